#!/bin/sh
# dossier-admin seal and check: signed heads of the event chain find what
# someone who can write the database but not read the key file did.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with 20 dossiers' '
	init_demo && gen-dossiers -n 20 -s 1 -c "$CATALOG" >apps.jsonl &&
	dossier-new apps.jsonl >/dev/null'

# tampered NAME SQL: a copy of the sealed office, changed with sqlite3
tampered() {
	cp "$DOSSIER_DB" "$1" && sqlite3 "$1" "$2"
}
# caught DB TEXT [OPTIONS]: check fails on DB, naming the seal with TEXT
caught() {
	db=$1 text=$2
	shift 2
	dossier-admin -d "$db" check "$@" >check.json 2>err.txt; s=$?
	has "$text" err.txt &&
	jq -e ".ok == false and .seal_errors >= 1" check.json >/dev/null || exit 99
	exit "$s"
}

expect_ok 'seal signs the head of the chain' '
	dossier-admin seal >seal.json &&
	jq -e ".origin == \"000.00.01.H56\" and .seq == 20 and
	    (.hash | test(\"^[0-9a-f]{64}$\")) and (.sealed_at | type) == \"string\"" seal.json >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT lower(hex(hash)) FROM events WHERE seq = 20")" = "$(jq -r .hash seal.json)"'
expect_ok 'check verifies the chain against it' '
	dossier-admin check >check.json &&
	jq -e ".ok and .seals == 1 and .seal_errors == 0" check.json >/dev/null'
dossier-admin keys export >trusted.jsonl
expect_ok 'check --keys trusts only the keys of a file kept apart' '
	dossier-admin check --keys trusted.jsonl >check.json &&
	jq -e ".ok and .seals == 1" check.json >/dev/null'
expect_ok 'events after the seal are fine until the next seal' '
	gen-dossiers -n 3 -s 2 -c "$CATALOG" | dossier-new >/dev/null &&
	dossier-admin check >check.json && jq -e ".ok" check.json >/dev/null &&
	dossier-admin seal >seal2.json && jq -e ".seq == 23" seal2.json >/dev/null'

expect_code 65 'deleting the newest events is found' '
	tampered del.db "DROP TRIGGER events_no_delete;
	    DELETE FROM events WHERE seq > 21" &&
	caught del.db "seal 000.00.01.H56: event 23 was sealed but the chain ends at 21"'

# the same office's chain written afresh: every hash recomputed by the tool
mkdir other && (
	cd other && DOSSIER_DB=$PWD/office.db && init_demo &&
	gen-dossiers -n 30 -s 9 -c "$CATALOG" | dossier-new >/dev/null &&
	dossier-admin seal >/dev/null)
expect_code 65 'rewriting and rehashing the whole chain is found' '
	tampered rew.db "ATTACH '\''other/office.db'\'' AS o;
	    DROP TRIGGER events_no_delete; DELETE FROM events;
	    INSERT INTO events SELECT * FROM o.events;
	    DELETE FROM dossiers; INSERT INTO dossiers SELECT * FROM o.dossiers" &&
	dossier-admin -d rew.db check >check.json 2>/dev/null;
	jq -e ".broken_chains == 0 and .projection_mismatches == 0" check.json >/dev/null || exit 99
	caught rew.db "seal 000.00.01.H56: event 23 does not have the sealed hash: the chain was rewritten"'
expect_code 65 '... and so is a seal made with another key' '
	tampered forged.db "ATTACH '\''other/office.db'\'' AS o;
	    DROP TRIGGER events_no_delete; DELETE FROM events;
	    INSERT INTO events SELECT * FROM o.events;
	    DELETE FROM dossiers; INSERT INTO dossiers SELECT * FROM o.dossiers;
	    INSERT INTO seals (origin, seq, hash, at, public_key, signature)
	    SELECT origin, seq, hash, at, public_key, signature FROM o.seals" &&
	caught forged.db "signed by a key that is not the office'\''s"'
expect_ok '... unless its key is made the office'\''s too' '
	sqlite3 forged.db "ATTACH '\''other/office.db'\'' AS o;
	    DELETE FROM seals WHERE public_key NOT IN (SELECT public_key FROM o.office_keys);
	    INSERT INTO office_keys (public_key, created_at)
	    SELECT public_key, created_at FROM o.office_keys" &&
	dossier-admin -d forged.db check >check.json'
expect_code 65 '... which check --keys with the kept keys finds' '
	caught forged.db "signed by a key that is not the office'\''s" --keys trusted.jsonl'
expect_code 65 'a damaged signature is found' '
	tampered sig.db "UPDATE seals SET signature = zeroblob(64) WHERE id = 1" &&
	caught sig.db "seal 1 (000.00.01.H56, event 20): the signature does not verify"'
expect_code 65 'a seal whose sealed text was changed is found' '
	tampered seq.db "UPDATE seals SET seq = 19 WHERE id = 2" &&
	caught seq.db "seal 2 (000.00.01.H56, event 19): the signature does not verify"'

expect_code 66 'seal needs the key file' '
	mv "$DOSSIER_DB.key" saved.key &&
	dossier-admin seal 2>err.txt; s=$?
	mv saved.key "$DOSSIER_DB.key"
	has "key file" err.txt || exit 99
	exit "$s"'
expect_code 64 'seal takes no operand' 'dossier-admin seal now'
expect_code 65 'check --keys refuses a file without keys' '
	: >empty.jsonl && dossier-admin check --keys empty.jsonl 2>err.txt; s=$?
	has "no public key" err.txt || exit 99
	exit "$s"'

finish
