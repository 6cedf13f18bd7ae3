#!/bin/sh
# gen-dossiers: deterministic test data that dossier-new accepts whole.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_ok 'the same seed gives the same bytes, another seed others' '
	gen-dossiers -c "$CATALOG" -n 500 -s 7 >a.jsonl &&
	gen-dossiers -c "$CATALOG" -n 500 -s 7 >b.jsonl &&
	gen-dossiers -c "$CATALOG" -n 500 -s 8 >c.jsonl &&
	cmp -s a.jsonl b.jsonl && ! cmp -s a.jsonl c.jsonl'
expect_ok '-o: receipt times never go back' '
	gen-dossiers -c "$CATALOG" -n 2000 -s 7 -o -f 2026-01-05 -D 30 >o.jsonl &&
	jq -r .received_at o.jsonl | cut -c1-10 >dates &&
	sort -c dates && test "$(head -n 1 dates)" = 2026-01-05'
expect_ok 'every generated application is received, none rejected' '
	dossier-new o.jsonl >out.jsonl 2>err.txt &&
	test ! -s err.txt && test "$(wc -l <out.jsonl)" = 2000'

# gen-ended: the dossiers of o.jsonl (received 2026-01-05 .. 02-03) ended
# through dossier-route, as of 2026-02-10.
# shellcheck disable=SC2034
GE="$DOSSIER_ROOT/scripts/gen-ended"
expect_ok 'gen-ended: finished, rejected and withdrawn, early, on time, late' '
	"$GE" -s 7 -n 2026-02-10T00:00:00+07:00 &&
	sqlite3 "$DOSSIER_DB" "SELECT status || coalesce(result, \"-\"), count(*)
	    FROM dossiers GROUP BY 1" >st.txt && cat st.txt &&
	for s in 8on_time 8early 8late 9early 9on_time 9late 2-; do
		grep -q "^$s|" st.txt || exit 1
	done'
expect_ok '... each end by its events, nothing after the given now' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events
	    WHERE action IN (\"finish\", \"reject\", \"withdraw\", \"stop\")
	    AND at > unixepoch(\"2026-02-10T00:00:00+07:00\")")" = 0 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers d
	    WHERE d.finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM
	    events e WHERE e.dossier = d.uuid AND e.at = d.finished_at AND
	    e.action IN (\"finish\", \"reject\", \"stop\"))")" = 0 &&
	dossier-admin check >check.json'
expect_ok '... the same seed on the same database, the same ends' '
	sqlite3 "$DOSSIER_DB" "SELECT code, status, finished_at, result
	    FROM dossiers ORDER BY code" >a.txt &&
	rm -f "$DOSSIER_DB" "$DOSSIER_DB-wal" "$DOSSIER_DB-shm" \
	    "$DOSSIER_DB.key" && init_demo && dossier-new o.jsonl >/dev/null &&
	"$GE" -s 7 -n 2026-02-10T00:00:00+07:00 &&
	sqlite3 "$DOSSIER_DB" "SELECT code, status, finished_at, result
	    FROM dossiers ORDER BY code" >b.txt && same a.txt b.txt'
expect_code 64 'gen-ended: a bad seed is a usage error' '
	"$GE" -s x'

expect_code 64 'a bad option is a usage error' '
	gen-dossiers -c "$CATALOG" -n many'
expect_code 66 'a missing catalog is exit 66' '
	gen-dossiers -c no-such-catalog.jsonl -n 1'

finish
