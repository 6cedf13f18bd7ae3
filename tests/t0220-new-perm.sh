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

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	expect_code 77 'a user who is not staff cannot receive dossiers' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" app.jsonl"'
	expect_code 77 'a user who is not staff cannot use --as' '
		as_nobody "dossier-new -d \"$DOSSIER_DB\" --as root app.jsonl"'
else
	echo "ok 1 # SKIP not root or no setpriv"
	echo "ok 2 # SKIP not root or no setpriv"
	# shellcheck disable=SC2034
	tap_n=2
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

finish
