#!/bin/sh
# dossier-admin migrate: a database of an older schema is brought up to
# date, and the search index is filled for the dossiers it already holds.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo

expect_ok 'a fresh database is at the newest schema' '
	dossier-admin migrate >out.json &&
	jq -e ".schema_version == 2" out.json'

# Make the database look like schema 1: without what migration 2 adds.
gen-dossiers -n 30 -s 3 -c "$CATALOG" | dossier-new >/dev/null
sqlite3 "$DOSSIER_DB" 'DROP TABLE dossier_search;
    DROP INDEX dossiers_open_due; PRAGMA user_version = 1;'

expect_code 65 'a read-only tool asks for the upgrade' '
	dossier-status --name "a" 2>err.txt; s=$?;
	has "run dossier-admin migrate" err.txt; exit $s'
expect_ok 'migrate brings it to schema 2' '
	dossier-admin migrate >out.json && jq -e ".schema_version == 2" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA user_version")" = 2'
expect_ok 'the search index holds the dossiers stored before' '
	name=$(sqlite3 "$DOSSIER_DB" "SELECT json_extract(applicant, '\''$.name'\'') FROM dossiers LIMIT 1") &&
	dossier-status --format json --name "$name" >found.jsonl &&
	test -s found.jsonl && dossier-admin check >check.json'
expect_code 65 'a schema newer than the tool is refused' '
	sqlite3 "$DOSSIER_DB" "PRAGMA user_version = 99" &&
	dossier-admin check'

finish
