#!/bin/sh
# dossier-admin backup and the database path under faults: an interrupted
# backup blocks nothing, and a data folder reached through a symbolic
# link works while a database file that is one is refused.  Short forms
# of two faults of make torture: an I/O error (tests/failio.c) and a
# database on read-only media.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_code 74 'a backup that cannot be written leaves no file behind' '
	( ulimit -f 128; exec dossier-admin backup copy.db ) >out.json 2>err.txt; s=$?
	has "copy.db: backup failed" err.txt && test ! -e copy.db &&
	test -z "$(ls | grep "copy\.db\.tmp")" || exit 99
	exit "$s"'
expect_ok '... and the next backup goes through' '
	dossier-admin backup copy.db >out.json &&
	dossier-admin -d copy.db check >check.json && jq -e .ok check.json &&
	test "$(stat -c %a copy.db)" = 600'
expect_code 73 'an existing backup is still never overwritten' '
	cp copy.db copy.orig && dossier-admin backup copy.db 2>err.txt; s=$?
	cmp copy.db copy.orig && has "already exists" err.txt || exit 99
	exit "$s"'

mkdir real && ln -s real data
expect_ok 'a data folder reached through a symbolic link works' '
	dossier-admin -d data/office.db init --agency 000.00.02.H56 --name B >/dev/null &&
	test -f real/office.db && test -f real/office.db.key &&
	dossier-admin -d data/office.db catalog import "$CATALOG" >/dev/null &&
	gen-dossiers -n 5 -s 1 -c "$CATALOG" | dossier-new -d data/office.db >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 5 &&
	dossier-admin -d data/office.db seal >/dev/null &&
	dossier-admin -d data/office.db check >check.json && jq -e .ok check.json'
expect_code 66 'a database file that is a symbolic link is refused' '
	ln -s real/office.db link.db &&
	dossier-admin -d link.db check 2>err.txt; s=$?
	has "link.db: a symbolic link (name the database file itself)" err.txt || exit 99
	exit "$s"'

# I/O errors: tests/failio.c makes SQLite's Nth write or sync, and every
# one after, fail (make torture draws N at random, many times)
FAILIO=$DOSSIER_BIN/failio.so
if ! [ -f "$FAILIO" ]; then
	skip 'an I/O error stops an import with 74, whole batches' 'no failio.so'
	skip '... and the rerun completes it' 'no failio.so'
elif ldd "$DOSSIER_BIN/dossier-new" 2>/dev/null | grep -q libasan; then
	skip 'an I/O error stops an import with 74, whole batches' 'sanitizers'
	skip '... and the rerun completes it' 'sanitizers'
else
	expect_code 74 'an I/O error stops an import with 74, whole batches' '
		gen-dossiers -n 400 -s 7 -c "$CATALOG" >io.jsonl &&
		FAILIO_AFTER=150 LD_PRELOAD="$FAILIO" dossier-new -b 50 io.jsonl \
		    >io.out 2>err.txt; s=$?
		has "disk I/O error" err.txt || exit 99
		n=$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers") &&
		test $((n % 50)) = 0 && test "$n" -lt 400 &&
		test "$(wc -l <io.out)" = "$n" &&
		test "$(sqlite3 "$DOSSIER_DB" "PRAGMA integrity_check")" = ok ||
		    exit 99
		exit "$s"'
	expect_ok '... and the rerun completes it' '
		dossier-new -b 50 io.jsonl >io2.out &&
		test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers")" \
		    = 400 &&
		dossier-admin check >check.json && jq -e .ok check.json'
fi

# Read-only media: ro/ mounted read-only (lib.sh inro)
if why=$(ro_cannot); then
	skip 'read-only media: lookups and check read the database' "$why"
	skip 'read-only media: a writer is refused, naming it' "$why"
else
	expect_ok 'read-only media: lookups and check read the database' '
		gen-dossiers -n 20 -s 9 -c "$CATALOG" >ro.jsonl &&
		dossier-new ro.jsonl >ro-new.jsonl &&
		cp -p "$DOSSIER_DB" "$DOSSIER_DB.key" ro/ &&
		test ! -e ro/office.db-shm && (cd ro && cksum ./* >../ro.sum) &&
		DOSSIER_DB=$T/ro/office.db inro dossier-status --status accepted \
		    >ro.out &&
		test "$(wc -l <ro.out)" = "$(sqlite3 "$DOSSIER_DB" \
		    "SELECT count(*) FROM dossiers WHERE status = 2")" &&
		DOSSIER_DB=$T/ro/office.db inro dossier-admin check >check.json &&
		jq -e .ok check.json'
	expect_code 74 'read-only media: a writer is refused, naming it' '
		DOSSIER_DB=$T/ro/office.db inro dossier-new io.jsonl >out.jsonl \
		    2>err.txt; s=$?
		has "office.db: on a read-only file system" err.txt &&
		(cd ro && cksum ./* >../ro.sum2) && same ro.sum ro.sum2 || exit 99
		exit "$s"'
fi

finish
