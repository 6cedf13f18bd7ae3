#!/bin/sh
# The office database's pages and dossier-new's statements: a new file
# has 16 KiB pages and a file made with SQLite's 4 KiB pages keeps
# working; after a load dossier-admin check finds no foreign key broken;
# a constraint that a batch's multi-row INSERT breaks loses that batch
# whole and nothing before it.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office and 600 applications' '
	init_demo && gen-dossiers -n 600 -s 21 -c "$CATALOG" >apps.jsonl'

expect_ok 'a new office database has 16 KiB pages, in WAL mode' '
	test "$(sqlite3 office.db "PRAGMA page_size")" = 16384 &&
	test "$(sqlite3 office.db "PRAGMA journal_mode")" = wal'

# rows DB: what a load stored, without the UUIDs made at random
rows() {
	sqlite3 "$1" "SELECT code, ref, procedure_id, status, unit, due_at,
	    applicant, documents FROM dossiers ORDER BY id;
	    SELECT seq, action, at FROM events ORDER BY id;
	    SELECT count(*) FROM dossier_search WHERE dossier_search MATCH 'nguyen'"
}

expect_ok 'a database with 4 KiB pages stores the same' '
	cp office.db small.db && cp office.db.key small.db.key &&
	sqlite3 small.db "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096;
	    VACUUM; PRAGMA journal_mode = WAL" >/dev/null &&
	test "$(sqlite3 small.db "PRAGMA page_size")" = 4096 &&
	dossier-new -b 200 apps.jsonl >big.out &&
	DOSSIER_DB=small.db dossier-new -b 200 apps.jsonl >small.out &&
	test "$(wc -l <small.out)" = 600 &&
	rows office.db >big.rows && rows small.db >small.rows &&
	same big.rows small.rows &&
	DOSSIER_DB=small.db dossier-admin check >check.json &&
	jq -e .ok check.json >/dev/null &&
	code=$(jq -r .code small.out | sed -n 300p) &&
	DOSSIER_DB=small.db dossier-status "$code" >one.json &&
	jq -e --arg c "$code" ".code == \$c" one.json >/dev/null'

expect_ok 'no foreign key of the load is broken (dossier-admin check)' '
	dossier-admin check >check.json && jq -e .ok check.json >/dev/null &&
	test -z "$(sqlite3 office.db "PRAGMA foreign_key_check")"'

# The day counters set back make the next codes those already given:
# the second batch's multi-row INSERT breaks UNIQUE (code).
expect_ok 'a broken constraint loses its batch whole, and only it' '
	gen-dossiers -n 600 -s 21 -p again -c "$CATALOG" >again.jsonl &&
	head -n 200 again.jsonl | dossier-new -b 200 >first.out &&
	before=$(sqlite3 office.db "SELECT count(*) FROM dossiers") &&
	evs=$(sqlite3 office.db "SELECT count(*) FROM events") &&
	sqlite3 office.db "DELETE FROM code_seq" &&
	{ tail -n 400 again.jsonl | dossier-new -b 200 >second.out 2>err.txt;
	  test $? -ne 0; } &&
	has "were not stored: run the same input again" err.txt &&
	has "UNIQUE constraint failed: dossiers.code" err.txt &&
	test ! -s second.out &&
	test "$(sqlite3 office.db "SELECT count(*) FROM dossiers")" = "$before" &&
	test "$(sqlite3 office.db "SELECT count(*) FROM events")" = "$evs" &&
	test "$(sqlite3 office.db "PRAGMA integrity_check")" = ok &&
	dossier-admin check >check.json && jq -e .ok check.json >/dev/null'

finish
