#!/bin/sh
# dossier-new: who may receive dossiers.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

app='{"ref":"p-1","procedure":"1.001193","applicant":{"name":"Phạm Văn Đồng"},"documents":[{"name":"Tờ khai đăng ký khai sinh"},{"name":"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"}]}'
printf '%s\n' "$app" >app.jsonl

# as_nobody CMD: run CMD as an unprivileged user unknown to the office
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "$1"
}
chmod 777 "$T"
chmod 666 "$DOSSIER_DB" "$DOSSIER_DB"-* 2>/dev/null

# why nobody cannot run dossier-new here, if it cannot
why=$(nobody_cannot "$T" "$DOSSIER_BIN/dossier-new") || why=
if [ -z "$why" ]; then
	expect_code 77 'a user who is not staff cannot receive dossiers' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" app.jsonl"'
	expect_code 77 'a user who is not staff cannot use --as' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" --as root app.jsonl"'
else
	skip 'a user who is not staff cannot receive dossiers' "$why"
	skip 'a user who is not staff cannot use --as' "$why"
fi
expect_ok 'an admin may act as another staff member, and it is recorded' '
	login=$(jq -r "select(.kind == \"staff\" and (.roles | index(\"reception\"))) | .login" "$CATALOG" | head -n 1) &&
	dossier-new --as "$login" app.jsonl >out.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT actor FROM events")" = "$login" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT json_extract(payload, '\''$.os_user'\'') FROM events")" = root'
expect_code 77 'acting as someone who is not staff is refused' '
	dossier-new --as nosuchuser app.jsonl'
expect_code 77 'a staff member without the reception role cannot receive' '
	login=$(jq -r "select(.kind == \"staff\" and (.roles | index(\"reception\") | not) and (.roles | index(\"admin\") | not)) | .login" "$CATALOG" | head -n 1) &&
	dossier-new --as "$login" app.jsonl'

# A receive event is permanent: only an admin enters a dossier received
# on an earlier day (a paper register); a reception officer may backdate
# within today.  The unprivileged user is made a reception officer.
# the office's local dates (+07:00), used by the tests below
# shellcheck disable=SC2034
today=$(date -u -d '+7 hours' +%Y-%m-%d)
# shellcheck disable=SC2034
yesterday=$(date -u -d '-17 hours' +%Y-%m-%d)
# dated REF TIME [CHANNEL]: the application received at TIME
dated() {
	printf '%s\n' "$app" | jq -c --arg r "$1" --arg t "$2" \
	    --arg c "${3:-direct}" '.ref = $r | .received_at = $t | .channel = $c'
}
if [ -z "$why" ]; then
	expect_ok 'setup: the unprivileged user is a reception officer' '
		{ cat "$CATALOG"
		  echo "{\"kind\":\"staff\",\"login\":\"nobody\",\"name\":\"Lê Thị Mai\",\"unit\":\"000.00.01.H56\",\"roles\":[\"reception\"]}"
		} >staff.jsonl &&
		dossier-admin catalog import staff.jsonl >/dev/null &&
		for f in "$DOSSIER_DB"*; do chmod 666 "$f" || exit 1; done &&
		dated y-1 "$yesterday" >y1.jsonl &&
		dated t-1 "$today" >t1.jsonl &&
		dated o-1 "${yesterday}T20:00:00+07:00" online >o1.jsonl'
	expect_code 65 'a reception officer cannot enter a dossier received yesterday' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" y1.jsonl" >out.jsonl 2>err.txt; s=$?
		has "dossier-new: y1.jsonl:1: received_at: '\''$yesterday'\'' is before today: only an admin may enter a dossier received on an earlier day" err.txt &&
		test ! -s out.jsonl || exit 1
		exit $s'
	expect_ok 'but may backdate within today' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" t1.jsonl" >out.jsonl &&
		jq -e ".received_at == \"${today}T00:00:00+07:00\"" out.jsonl >/dev/null'
	expect_ok 'and keeps the time the portal received an online submission' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" o1.jsonl" >out.jsonl &&
		jq -e ".status_name == \"submitted\"" out.jsonl >/dev/null'
	expect_ok 'an admin enters yesterday, also acting as the officer' '
		dossier-new y1.jsonl >out.jsonl &&
		jq -e ".received_at == \"${yesterday}T00:00:00+07:00\"" out.jsonl >/dev/null &&
		dated y-2 "$yesterday" >y2.jsonl &&
		dossier-new --as nobody y2.jsonl >out.jsonl &&
		jq -e ".received_at == \"${yesterday}T00:00:00+07:00\"" out.jsonl >/dev/null'
else
	skip 'setup' "$why"
	skip 'a reception officer cannot enter yesterday' "$why"
	skip 'but may backdate within today' "$why"
	skip 'an online submission keeps its time' "$why"
	skip 'an admin enters yesterday' "$why"
fi

finish
