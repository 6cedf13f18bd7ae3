#!/bin/sh
# The views for SQL in the sqlite3 shell: dossiers_v and events_v, with
# status names, the names of procedures, units and staff, and times as
# the tools print them; read-only.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
if ! command -v sqlite3 >/dev/null 2>&1; then
	skip_all 'no sqlite3 shell'
fi
expect_ok 'setup: an office with the demo catalog' init_demo
expect_ok 'setup: 20 dossiers, one started' '
	gen-dossiers -n 20 -s 5 -c "$CATALOG" >apps.jsonl &&
	dossier-new apps.jsonl >all.jsonl &&
	jq -c "select(.status == 2)" all.jsonl | head -n 1 >new.jsonl &&
	c1=$(jq -r .code new.jsonl) && at=$(jq -r .received_at new.jsonl) &&
	dossier-route --as an.nv --at "$at" start -H hai.pm "$c1" >/dev/null'

expect_ok 'the query of the manual: dossiers by status name' '
	sqlite3 "$DOSSIER_DB" "select status_name, count(*) from dossiers_v
	    group by 1 order by 1" >by.txt &&
	dossier-status --format json >all.jsonl &&
	jq -r .status_name all.jsonl | sort | uniq -c |
	    awk "{ print \$2 \"|\" \$1 }" >want.txt &&
	same want.txt by.txt && has "processing|1" by.txt'
expect_ok 'dossiers_v: the fields of the record, as dossier-status prints them' '
	dossier-status --format json --sort code >all.jsonl &&
	jq -r "[.code, .status, .status_name, .procedure, .procedure_name,
	    .unit, .unit_name, .channel, (.step // \"\"), (.handler // \"\"),
	    .applicant.name, .received_at, (.start_at // \"\"),
	    (.due_at // \"\"), (.original_due_at // \"\"), .version] |
	    join(\"|\")" all.jsonl >want.txt &&
	sqlite3 "$DOSSIER_DB" "select code, status, status_name, procedure,
	    procedure_name, unit, unit_name, channel, step, handler,
	    applicant_name, received_at, start_at, due_at, original_due_at,
	    version from dossiers_v order by code" >got.txt &&
	same want.txt got.txt &&
	test "$(wc -l <got.txt)" = 20'
expect_ok 'dossiers_v: the handler by name, times with the office offset' '
	sqlite3 "$DOSSIER_DB" "select handler_name, step_name, received_at
	    from dossiers_v where handler is not null" >got.txt &&
	name=$(sqlite3 "$DOSSIER_DB" "select name from staff where
	    login = '\''hai.pm'\''") && has "$name|" got.txt &&
	grep -q "|20[0-9-]*T[0-9:]*+07:00\$" got.txt'
expect_ok 'events_v: every event, with its dossier code and a time' '
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from events_v")" = \
	    "$(sqlite3 "$DOSSIER_DB" "select count(*) from events")" &&
	sqlite3 "$DOSSIER_DB" "select code, action, actor, actor_name, at
	    from events_v where action = '\''start'\''" >got.txt &&
	test "$(wc -l <got.txt)" = 1 && has "$(jq -r .code new.jsonl)|start|an.nv|" got.txt &&
	dossier-status --history --format json "$(jq -r .code new.jsonl)" >h.jsonl &&
	has "|$(jq -r "select(.action == \"start\") | .at" h.jsonl)" got.txt'
expect_code 1 'the views are read-only' '
	sqlite3 "$DOSSIER_DB" "update dossiers_v set status = 10" 2>err; s=$?
	has "cannot modify dossiers_v because it is a view" err || exit 9
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers
	    where status = 10")" = 0 || exit 9
	exit $s'
expect_ok 'dossier-admin check is content with the views' '
	dossier-admin check >check.json'
finish
