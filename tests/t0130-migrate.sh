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
	jq -e ".schema_version == 3" out.json'

# Make the database look like schema 1: without what migration 2 adds.
gen-dossiers -n 30 -s 3 -c "$CATALOG" | dossier-new >/dev/null
sqlite3 "$DOSSIER_DB" 'DROP TABLE dossier_search; DROP TABLE search_first;
    DROP INDEX dossiers_open_due; PRAGMA user_version = 1;'

expect_code 65 'a read-only tool asks for the upgrade' '
	dossier-status --name "a" 2>err.txt; s=$?;
	has "run dossier-admin migrate" err.txt || exit 1; exit $s'
expect_ok 'migrate brings it to schema 3' '
	dossier-admin migrate >out.json && jq -e ".schema_version == 3" out.json &&
	test "$(sqlite3 "$DOSSIER_DB" "PRAGMA user_version")" = 3'

# every dossier is found by its full name, its last two words, its
# last word, its first word and a letter, and its first two letters
found_by_name() {
	sqlite3 -separator "	" "$DOSSIER_DB" "SELECT code,
	    json_extract(applicant, '$.name') FROM dossiers" >names.tsv
	while IFS="	" read -r code name; do
		two=$(echo "$name" | awk '{ print $(NF - 1), $NF }')
		last=$(echo "$name" | awk '{ print $NF }')
		half=$(echo "$name" | jq -Rr 'split(" ") | "\(.[0]) \(.[1][0:1])"')
		start=$(echo "$name" | jq -Rr '.[0:2]')
		for q in "$name" "$two" "$last" "$half" "$start"; do
			dossier-status --format json --name "$q" |
			    jq -r .code >found.txt
			grep -qx "$code" found.txt || {
				echo "$code not found by --name \"$q\""
				return 1
			}
		done
	done <names.tsv
}
expect_ok 'the search index holds the dossiers stored before' '
	found_by_name && dossier-admin check >check.json'

# Schema 2: the first search index, of single words.
sqlite3 "$DOSSIER_DB" "DROP TABLE dossier_search; DROP TABLE search_first;
    CREATE VIRTUAL TABLE dossier_search USING fts5(name, id_number, phone,
    content='', detail='none', tokenize='unicode61 remove_diacritics 0');
    PRAGMA user_version = 2;"
expect_ok 'migrate brings schema 2 to 3 and refills the index' '
	dossier-admin migrate >out.json && jq -e ".schema_version == 3" out.json &&
	found_by_name && dossier-admin check >check.json'
expect_code 65 'a schema newer than the tool is refused' '
	sqlite3 "$DOSSIER_DB" "PRAGMA user_version = 99" &&
	dossier-admin check'

finish
