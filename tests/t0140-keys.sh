#!/bin/sh
# dossier-admin keys: the office's secret key lives in a key file beside
# the database, never in it; keys show, rotate and export.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

expect_ok 'init writes the key file beside the database, mode 0600' '
	dossier-admin init --agency 000.00.22.H56 --name "UBND xã" >init.json &&
	jq -e --arg k "$DOSSIER_DB.key" ".key_file == \$k" init.json >/dev/null &&
	test "$(stat -c %a "$DOSSIER_DB.key")" = 600 &&
	grep -Eqx "ed25519 [0-9a-f]{64}" "$DOSSIER_DB.key"'
expect_ok '... and the database holds no secret key' '
	secret=$(cut -d" " -f2 "$DOSSIER_DB.key") &&
	cat "$DOSSIER_DB" "$DOSSIER_DB"-wal 2>/dev/null | od -An -tx1 -v | tr -d " \n" >db.hex &&
	! grep -q "$secret" db.hex &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM pragma_table_info('\''office'\'') WHERE name = '\''secret_key'\''")" = 0'
expect_ok 'keys show names the key file and its state' '
	dossier-admin keys show >keys.json &&
	jq -e --arg k "$DOSSIER_DB.key" --slurpfile i init.json \
	    ".key_file == \$k and .key_state == \"ok\" and .public_key == \$i[0].public_key" keys.json >/dev/null'
expect_ok 'keys alone is keys show' '
	dossier-admin keys >keys2.json && same keys.json keys2.json'
expect_code 73 'init refuses a key file left from another database' '
	dossier-admin -d other.db init --agency 000.00.23.H56 --name B >/dev/null &&
	rm other.db &&
	dossier-admin -d other.db init --agency 000.00.23.H56 --name B 2>err.txt; s=$?
	has "other.db.key'\'': already exists" err.txt && test ! -e other.db || exit 99
	exit "$s"'

expect_ok 'keys rotate makes a new pair and keeps the old public key' '
	old=$(jq -r .public_key keys.json) &&
	dossier-admin keys rotate >rot.json &&
	new=$(jq -r .public_key rot.json) && test "$new" != "$old" &&
	test "$(cut -d" " -f2 "$DOSSIER_DB.key")" != "$secret" &&
	test "$(stat -c %a "$DOSSIER_DB.key")" = 600 && test ! -e "$DOSSIER_DB.key.new" &&
	dossier-admin keys show >keys.json &&
	jq -e ".public_key == \"$new\" and .key_state == \"ok\"" keys.json >/dev/null &&
	dossier-admin keys export >export.jsonl &&
	test "$(wc -l <export.jsonl)" = 2 &&
	head -n 1 export.jsonl | jq -e ".public_key == \"$old\" and (.retired_at | type) == \"string\"" >/dev/null &&
	tail -n 1 export.jsonl | jq -e ".public_key == \"$new\" and .retired_at == null" >/dev/null'
expect_ok 'keys export prints no secret' '
	! grep -q "$(cut -d" " -f2 "$DOSSIER_DB.key")" export.jsonl &&
	! grep -q secret export.jsonl'

expect_ok 'a key file others can read is shown so' '
	chmod 644 "$DOSSIER_DB.key" &&
	dossier-admin keys show >keys.json &&
	jq -e ".key_state == \"readable by others\"" keys.json >/dev/null'
expect_code 77 '... and not used' '
	dossier-admin keys rotate 2>err.txt; s=$?
	has "lets others read it" err.txt || exit 99
	exit "$s"'
chmod 600 "$DOSSIER_DB.key"
expect_ok 'a key file of another key is shown so' '
	cp "$DOSSIER_DB.key" saved.key &&
	cp other.db.key "$DOSSIER_DB.key" &&
	dossier-admin keys show >keys.json &&
	jq -e ".key_state == \"not the office'\''s key\"" keys.json >/dev/null'
expect_code 65 '... and not used' '
	dossier-admin keys rotate 2>err.txt; s=$?
	has "not the key of the office'\''s public key" err.txt || exit 99
	exit "$s"'
expect_ok 'a missing key file is shown so' '
	rm "$DOSSIER_DB.key" &&
	dossier-admin keys show >keys.json &&
	jq -e ".key_state == \"missing\"" keys.json >/dev/null'
expect_code 66 '... and not used' '
	dossier-admin keys rotate 2>err.txt; s=$?
	has "missing (restore it" err.txt || exit 99
	exit "$s"'
expect_ok 'restoring the copy restores the key' '
	cp saved.key "$DOSSIER_DB.key" && chmod 600 "$DOSSIER_DB.key" &&
	dossier-admin keys show >keys.json &&
	jq -e ".key_state == \"ok\"" keys.json >/dev/null'
expect_code 64 'an unknown keys subcommand' 'dossier-admin keys frob'

finish
