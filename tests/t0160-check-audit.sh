#!/bin/sh
# dossier-admin check: a dossier row deleted under its events, and
# attachments damaged or missing, are found.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

app() {
	birth "$1" "$2"
}
printf 'certificate scan' >scan.pdf
head -c 300000 /dev/urandom >large.pdf
{ app a-1 scan.pdf; app a-2 large.pdf; } >apps.jsonl
expect_ok 'setup: two dossiers with attachments' '
	dossier-new apps.jsonl >/dev/null'
# shellcheck disable=SC2034
scan=$(sha256sum scan.pdf | cut -d" " -f1)

# caught DB TEXT FIELD: check fails on DB with TEXT, and FIELD is 1
caught() {
	dossier-admin -d "$1" check >check.json 2>err.txt; s=$?
	has "$2" err.txt &&
	jq -e ".ok == false and .$3 == 1" check.json >/dev/null || exit 99
	exit "$s"
}

expect_ok 'check verifies every attachment' '
	dossier-admin check >check.json &&
	jq -e ".ok and .blobs == 2 and .blob_errors == 0 and .events_without_dossier == 0" check.json >/dev/null'
expect_code 65 'a dossier row deleted while its events remain is found' '
	cp "$DOSSIER_DB" del.db &&
	uuid=$(sqlite3 del.db "SELECT uuid FROM dossiers WHERE ref = '\''a-1'\''") &&
	sqlite3 del.db "DELETE FROM dossiers WHERE ref = '\''a-1'\''" &&
	caught del.db "dossier $uuid: 1 event but no dossier row" events_without_dossier'
expect_code 65 'an attachment whose content changed is found' '
	cp "$DOSSIER_DB" bad.db &&
	sqlite3 bad.db "UPDATE blobs SET data = zeroblob(length(data)) WHERE sha256 = '\''$scan'\''" &&
	caught bad.db "blob $scan: content does not match its SHA-256 and size" blob_errors'
expect_code 65 '... also when it is still valid zlib data' '
	printf "forged scan" >forged.pdf && app f-1 forged.pdf >f.jsonl &&
	cp "$DOSSIER_DB" swap.db && dossier-new -d swap.db f.jsonl >/dev/null &&
	forged=$(sha256sum forged.pdf | cut -d" " -f1) &&
	sqlite3 swap.db "UPDATE blobs SET data = (SELECT data FROM blobs WHERE sha256 = '\''$forged'\''), size = 11 WHERE sha256 = '\''$scan'\''" &&
	caught swap.db "blob $scan: content does not match its SHA-256 and size" blob_errors'
expect_code 65 'an attachment that dossiers name but that is missing is found' '
	cp "$DOSSIER_DB" gone.db &&
	code=$(sqlite3 gone.db "SELECT code FROM dossiers WHERE ref = '\''a-1'\''") &&
	sqlite3 gone.db "DELETE FROM blobs WHERE sha256 = '\''$scan'\''" &&
	caught gone.db "dossier $code: attachment $scan is missing" blob_errors'

finish
