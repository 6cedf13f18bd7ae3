#!/bin/sh
# dossier-new --bulk: the database alone and a rollback journal for the
# load, the same dossiers and events as a load in WAL mode, WAL mode back
# at the end; a program that keeps the database open is waited for, then
# refused (75, nothing stored); a load killed at any instant leaves whole
# batches, and a reader (which SQLite does not let roll a journal back)
# still opens the database.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office, 3000 applications, a copy of the office' '
	init_demo && gen-dossiers -n 3000 -s 11 -c "$CATALOG" >apps.jsonl &&
	cp office.db plain.db'

# rows DB: what the load stored, without the UUIDs made at random
rows() {
	sqlite3 "$1" "SELECT code, ref, status, unit, due_at, applicant,
	    documents FROM dossiers ORDER BY id;
	    SELECT seq, action, at FROM events ORDER BY id;
	    SELECT count(*) FROM dossier_search WHERE dossier_search MATCH 'nguyen'"
}

expect_ok 'a bulk load stores what a load in WAL mode stores' '
	DOSSIER_DB=plain.db dossier-new -b 1000 apps.jsonl >plain.out &&
	dossier-new --bulk -b 1000 apps.jsonl >bulk.out 2>err.txt &&
	test ! -s err.txt &&
	test "$(wc -l <bulk.out)" = 3000 &&
	jq -r .code plain.out >plain.codes && jq -r .code bulk.out >bulk.codes &&
	same plain.codes bulk.codes &&
	rows plain.db >plain.rows && rows office.db >bulk.rows &&
	same plain.rows bulk.rows &&
	dossier-admin check >check.json && jq -e .ok check.json >/dev/null'

expect_ok 'WAL mode again at the end, no journal left' '
	test "$(sqlite3 office.db "PRAGMA journal_mode")" = wal &&
	test ! -s office.db-journal'

expect_ok 'a program with the database open for a moment is waited for' '
	gen-dossiers -n 20 -s 12 -p wait -c "$CATALOG" >wait.jsonl &&
	{ python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(\"office.db\")
c.execute(\"SELECT count(*) FROM dossiers\").fetchone()
print(\"open\", flush=True)
time.sleep(1)
c.close()
" >holder.txt & } &&
	while ! test -s holder.txt; do sleep 0.05; done &&
	dossier-new --bulk wait.jsonl >wait.out && wait &&
	test "$(wc -l <wait.out)" = 20 &&
	test "$(sqlite3 office.db "PRAGMA journal_mode")" = wal'

expect_ok 'a dry run in bulk stores nothing' '
	gen-dossiers -n 50 -s 13 -p dry -c "$CATALOG" >dry.jsonl &&
	before=$(sqlite3 office.db "SELECT count(*) FROM dossiers") &&
	dossier-new --bulk -n dry.jsonl >dry.out &&
	test "$(wc -l <dry.out)" = 50 &&
	test "$(sqlite3 office.db "SELECT count(*) FROM dossiers")" = "$before" &&
	test "$(sqlite3 office.db "PRAGMA journal_mode")" = wal'

# hot DB: leave in DB the journal of a writer killed in a transaction: in
# rollback mode it changes more pages than its cache holds, so that the
# changed pages are in the file and their old content in the journal
hot() {
	python3 -c "
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute(\"PRAGMA journal_mode = TRUNCATE\").fetchone()
c.execute(\"PRAGMA cache_size = 5\")
c.execute(\"BEGIN\")
c.execute(\"UPDATE dossiers SET note = hex(randomblob(400))\")
os._exit(0)
" "$1" && test -s "$1-journal"
}

expect_ok 'a reader opens a database a killed writer left a journal in' '
	cp office.db hot.db && hot hot.db &&
	c=$(head -n 1 bulk.codes) &&
	DOSSIER_DB=hot.db dossier-status "$c" >hot.json &&
	jq -e ".code == \"$c\" and .note == null" hot.json >/dev/null &&
	test ! -s hot.db-journal &&
	test "$(sqlite3 hot.db "SELECT count(*) FROM dossiers WHERE note IS NOT NULL")" = 0 &&
	test "$(sqlite3 hot.db "PRAGMA journal_mode")" = wal &&
	test "$(sqlite3 hot.db "PRAGMA integrity_check")" = ok'

# ro/ mounted read-only (lib.sh inro)
if why=$(ro_cannot); then
	skip 'on read-only media, a journal left in a commit: 75' "$why"
else
	expect_ok 'on read-only media, a journal left in a commit: 75' '
		cp office.db ro/hot.db && hot ro/hot.db &&
		{ DOSSIER_DB=$T/ro/hot.db inro dossier-status \
		    "$(head -n 1 bulk.codes)" >ro.out 2>err.txt; test $? = 75; } &&
		test ! -s ro.out &&
		has "did not finish left its journal" err.txt &&
		test -s ro/hot.db-journal'
fi

chmod 755 "$T"
if why=$(nobody_cannot "$T" "$DOSSIER_BIN/dossier-status"); then
	skip 'a reader who may not write it is told why (75)' "$why"
else
	expect_ok 'a reader who may not write it is told why (75)' '
		cp office.db hot2.db && hot hot2.db && chmod 644 hot2.db &&
		{ DOSSIER_DB=hot2.db setpriv --reuid=65534 --regid=65534 \
		    --clear-groups dossier-status "$(head -n 1 bulk.codes)" \
		    2>err.txt; test $? = 75; } &&
		has "did not finish left its journal" err.txt &&
		test -s hot2.db-journal'
fi

# stored DB: the number of dossiers in it
stored() {
	sqlite3 "$1" 'SELECT count(*) FROM dossiers'
}

expect_ok 'killed in the middle: whole batches, readers open it, a rerun ends it' '
	gen-dossiers -n 40000 -s 14 -p kill -c "$CATALOG" >kill.jsonl &&
	cp plain.db kill.db && base=$(stored kill.db) && : >killed.out &&
	{ DOSSIER_DB=kill.db dossier-new --bulk -b 15000 kill.jsonl \
	    >killed.out 2>/dev/null & } && pid=$! &&
	i=0 && while test "$(wc -l <killed.out)" -lt 15000 && test $i -lt 1200;
		do sleep 0.05; i=$((i + 1)); done &&
	sleep 0.2 && kill -9 $pid && { wait $pid; test $? = 137; } &&
	c=$(jq -r .code killed.out | head -n 1) &&
	DOSSIER_DB=kill.db dossier-status "$c" >one.json &&
	jq -e ".code == \"$c\"" one.json >/dev/null &&
	test "$(sqlite3 kill.db "PRAGMA integrity_check")" = ok &&
	n=$(($(stored kill.db) - base)) &&
	test $((n % 15000)) = 0 && test "$n" -ge 15000 && test "$n" -lt 40000 &&
	jq -r .code killed.out | sort >printed.codes &&
	sqlite3 kill.db "SELECT code FROM dossiers" | sort >stored.codes &&
	comm -23 printed.codes stored.codes >unstored.codes &&
	test ! -s unstored.codes &&
	DOSSIER_DB=kill.db dossier-new --bulk -b 15000 kill.jsonl >again.out &&
	test "$(jq -s "map(select(.existing)) | length" again.out)" = "$n" &&
	test "$(($(stored kill.db) - base))" = 40000 &&
	DOSSIER_DB=kill.db dossier-admin check >check.json &&
	jq -e .ok check.json >/dev/null'

# Slow: the wait is the busy timeout of every tool, 30 seconds.
expect_ok 'a program that keeps the database open: 75, nothing stored' '
	{ python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(\"office.db\")
c.execute(\"SELECT count(*) FROM dossiers\").fetchone()
print(\"open\", flush=True)
time.sleep(40)
" >holder2.txt & } && holder=$! &&
	while ! test -s holder2.txt; do sleep 0.05; done &&
	before=$(stored office.db) &&
	{ dossier-new --bulk dry.jsonl >busy.out 2>err.txt; test $? = 75; } &&
	kill $holder && wait ;
	test ! -s busy.out &&
	grep -q "a bulk load needs the database alone" err.txt &&
	test "$(stored office.db)" = "$before" &&
	test "$(sqlite3 office.db "PRAGMA journal_mode")" = wal'

finish
