#!/bin/sh
# dossier-admin backup and the database path under faults: an interrupted
# backup blocks nothing, and a data folder reached through a symbolic
# link works while a database file that is one is refused.
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

finish
