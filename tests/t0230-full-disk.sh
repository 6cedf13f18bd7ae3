#!/bin/sh
# dossier-new and dossier-route on a full disk (a file size limit, so
# that no privilege is needed): they stop with 74 and say what was not
# stored, the database keeps whole batches only and stays intact, and the
# same input run again completes it exactly once.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_ok 'setup: 1000 dossiers, and 20000 more applications' '
	gen-dossiers -n 1000 -s 1 -c "$CATALOG" >first.jsonl &&
	dossier-new first.jsonl >/dev/null &&
	gen-dossiers -n 20000 -s 2 -c "$CATALOG" >more.jsonl'

# limited TOOL ARGS...: TOOL ARGS with files limited to 8192 blocks
# (4 MiB in sh's 512-byte blocks; the database's log outgrows it)
limited() {
	(
		trap '' XFSZ
		ulimit -f 8192
		exec "$@"
	)
}

# count: the dossiers stored
count() {
	sqlite3 "$DOSSIER_DB" 'SELECT count(*) FROM dossiers'
}

expect_code 74 'the disk fills during a commit: 74, and what was lost is named' '
	limited dossier-new -b 1000 more.jsonl >out.jsonl 2>err.txt; s=$?;
	has "were not stored: run the same input again" err.txt || exit 1; exit $s'
expect_ok '... whole batches stored, each printed, the database intact' '
	n=$(count) && test $((n % 1000)) = 0 && test "$n" -gt 1000 &&
	test "$n" -lt 21000 && test "$(wc -l <out.jsonl)" = $((n - 1000)) &&
	dossier-admin check >check.json && jq -e .ok check.json'
expect_ok '... the same input again completes it exactly once' '
	dossier-new -b 1000 more.jsonl >again.jsonl &&
	test "$(count)" = 21000 && test "$(wc -l <again.jsonl)" = 20000 &&
	test "$(jq -s "map(select(.existing)) | length" again.jsonl)" = \
	    "$(wc -l <out.jsonl)" &&
	dossier-admin check >check.json && jq -e .ok check.json'

# one batch larger than the limit: the spool of its records fills first
expect_ok 'setup: 20000 applications for one batch' '
	gen-dossiers -n 20000 -s 3 -p big -c "$CATALOG" >big.jsonl'
expect_code 74 'a batch whose records outgrow the disk: 74, nothing stored' '
	limited dossier-new -b 20000 big.jsonl >out.jsonl 2>err.txt; s=$?;
	has "were not stored" err.txt && test ! -s out.jsonl &&
	test "$(count)" = 21000 || exit 1; exit $s'
expect_ok '... the database intact' '
	dossier-admin check >check.json && jq -e .ok check.json'

# dossier-route: 21000 starts in batches of 250 fill the log
# started: the dossiers in processing
started() {
	sqlite3 "$DOSSIER_DB" 'SELECT count(*) FROM dossiers WHERE status = 4'
}
expect_ok 'setup: the accepted dossiers' '
	dossier-status --status accepted >accepted.jsonl'
expect_code 74 'dossier-route on a full disk: 74, and what was lost is named' '
	limited dossier-route --as an.nv -b 250 start -H hai.pm \
	    <accepted.jsonl >routed.jsonl 2>err.txt; s=$?;
	has "actions were not applied; the" err.txt || exit 1; exit $s'
expect_ok '... whole batches applied, each printed, the database intact' '
	n=$(started) && test $((n % 250)) = 0 && test "$n" -gt 0 &&
	test "$(wc -l <routed.jsonl)" = "$n" &&
	dossier-admin check >check.json && jq -e .ok check.json'
expect_ok '... the rest started from a new list' '
	dossier-status --status accepted >rest.jsonl &&
	dossier-route --as an.nv start -H hai.pm <rest.jsonl >/dev/null &&
	test "$(started)" = "$(wc -l <accepted.jsonl)" &&
	dossier-admin check >check.json && jq -e .ok check.json'

# the same limit without SIGXFSZ ignored by the caller: the tools ignore it
gen-dossiers -n 20000 -s 4 -p sig -c "$CATALOG" >sig.jsonl
expect_code 74 'a file size limit is a message and 74, not a silent kill' '
	( trap - XFSZ; ulimit -f 8192; exec dossier-new -b 1000 sig.jsonl ) \
	    >out.jsonl 2>err.txt; s=$?
	has "were not stored: run the same input again" err.txt || exit 99
	exit "$s"'
expect_ok '... the database intact' '
	dossier-admin check >check.json && jq -e .ok check.json &&
	dossier-new -b 1000 sig.jsonl >/dev/null'

finish
