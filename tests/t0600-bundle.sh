#!/bin/sh
# dossier-bundle: the office's key and trust list, and the bundle format
# as real tools see it (tar, sha256sum, openssl), written by export and
# checked by verify and list.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56		# the commune
P=000.00.01.H56		# the province
app() {
	birth "$1" scan.pdf
}

expect_ok 'setup: a commune with two dossiers, and a province' '
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-admin -d c.db catalog import "$CATALOG" >/dev/null &&
	dossier-admin -d p.db init --agency $P --name "Tỉnh" >/dev/null &&
	mkdir att && head -c 100000 /dev/urandom >att/scan.pdf &&
	{ app r1; app r2; } | dossier-new -d c.db --attachments att >new.jsonl'

expect_ok 'key prints the agency, the public key and its fingerprint' '
	dossier-bundle -d c.db key >ck.json &&
	dossier-admin -d c.db keys show >admin.json &&
	jq -e --slurpfile a admin.json ".v == 1 and .agency == \"$C\" and
	    .public_key == \$a[0].public_key" ck.json >/dev/null &&
	fp=$(jq -r .public_key ck.json | xxd -r -p | sha256sum | cut -c1-20 |
	    sed "s/..../&-/g; s/-$//") &&
	jq -e --arg fp "$fp" ".fingerprint == \$fp" ck.json >/dev/null &&
	dossier-bundle -d p.db key >pk.json'
expect_ok 'the dossier front runs it' '
	DOSSIER_DB=c.db dossier bundle key >front.json && same ck.json front.json'

expect_code 64 'trust add refuses a malformed key' '
	dossier-bundle -d c.db trust add $P abcd 2>err.txt; s=$?
	has "invalid public key '\''abcd'\''" err.txt || exit 99; exit $s'
expect_code 64 'trust add refuses the office itself' '
	dossier-bundle -d c.db trust add $C "$(jq -r .public_key pk.json)" 2>err.txt; s=$?
	has "'\''$C'\'' is this office" err.txt || exit 99; exit $s'
expect_ok 'trust add, and list shows the peer with its fingerprint' '
	dossier-bundle -d c.db trust add $P "$(jq -r .public_key pk.json)" >add.json &&
	same pk.json add.json &&
	dossier-bundle -d c.db trust add $P "$(jq -r .public_key pk.json)" >add2.json &&
	same pk.json add2.json &&
	dossier-bundle -d c.db trust list >list.jsonl &&
	test "$(wc -l <list.jsonl)" = 1 &&
	jq -e --slurpfile k pk.json ".agency == \$k[0].agency and
	    .fingerprint == \$k[0].fingerprint and .sent_seq == 0" list.jsonl >/dev/null'
expect_code 65 'trust add refuses another key for a trusted agency' '
	dossier-bundle -d c.db trust add $P "$(jq -r .public_key ck.json)" 2>err.txt; s=$?
	has "trusted with another key: remove it first" err.txt || exit 99; exit $s'
expect_code 66 'trust remove of an agency not trusted' '
	dossier-bundle -d c.db trust remove 000.00.99.H56 2>err.txt; s=$?
	has "'\''000.00.99.H56'\'' is not in the trust list" err.txt || exit 99; exit $s'
expect_ok 'trust remove, then add again' '
	dossier-bundle -d c.db trust remove $P &&
	dossier-bundle -d c.db trust list >list.jsonl && test ! -s list.jsonl &&
	dossier-bundle -d c.db trust add $P "$(jq -r .public_key pk.json)" >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(jq -r .public_key ck.json)" >/dev/null'

expect_code 77 'export refuses an office not in the trust list' '
	dossier-bundle -d c.db export --to 000.00.99.H56 >b.bundle 2>err.txt; s=$?
	has "'\''000.00.99.H56'\'' is not in the trust list" err.txt || exit 99; exit $s'
expect_ok 'export -o FILE writes the members in order, with fixed owner, mode and time' '
	dossier-bundle -d c.db export --to $P -o b1.bundle >sum.json &&
	jq -e ".seq == 1 and .events == 2 and .blobs == 1 and .file == \"b1.bundle\"" sum.json >/dev/null &&
	tar -tzf b1.bundle >names.txt &&
	sha=$(jq -r ".documents[0].sha256" new.jsonl | head -n 1) &&
	printf "manifest.json\nmanifest.sig\nevents.jsonl\nblobs/%s\n" "$sha" >want.txt &&
	same want.txt names.txt &&
	tar -tvzf b1.bundle >long.txt &&
	test "$(grep -c "^-rw-r--r-- 0/0 .* 1970-01-01 00:00 " long.txt)" = 4 &&
	test "$(od -An -tx1 -j4 -N4 b1.bundle | tr -d " ")" = 00000000 &&
	test ! -e b1.bundle.tmp'
expect_ok 'sha256sum checks every entry of the manifest' '
	mkdir x && tar -xzf b1.bundle -C x &&
	jq -r ".entries[] | \"\(.sha256)  \(.name)\"" x/manifest.json >x/SHA256SUMS &&
	test "$(wc -l <x/SHA256SUMS)" = 2 &&
	(cd x && sha256sum -c --quiet SHA256SUMS) &&
	cmp x/blobs/"$(jq -r ".documents[0].sha256" new.jsonl | head -n 1)" att/scan.pdf'
expect_ok 'openssl checks the signature with the sender'\''s public key' '
	pem "$(jq -r .public_key ck.json)" &&
	test "$(wc -c <x/manifest.sig)" = 64 &&
	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in x/manifest.json \
	    -sigfile x/manifest.sig >ossl.txt && has "Signature Verified Successfully" ossl.txt'
expect_ok 'the manifest names sender, receiver, sequence and ranges' '
	jq -e ".format == \"dossier-bundle\" and .version == 1 and .from == \"$C\" and
	    .to == \"$P\" and .seq == 1 and .ack == {} and
	    .ranges == [{\"origin\":\"$C\",\"first\":1,\"last\":2}]" x/manifest.json >/dev/null &&
	test "$(wc -l <x/events.jsonl)" = 2 &&
	jq -se ".[0] | .origin == \"$C\" and .seq == 1 and .action == \"receive\" and
	    (.payload | fromjson | .ref) == \"r1\"" x/events.jsonl >/dev/null'
expect_ok 'verify with the key, and with the trust list of the receiver' '
	dossier-bundle verify --key "$(jq -r .public_key ck.json)" b1.bundle >v.json &&
	jq -e ".from == \"$C\" and .to == \"$P\" and .seq == 1 and .members == 2 and .signed" v.json >/dev/null &&
	dossier-bundle -d p.db verify b1.bundle >v2.json && same v.json v2.json'
expect_code 77 'verify with another key' '
	dossier-bundle verify --key "$(jq -r .public_key pk.json)" b1.bundle 2>err.txt; s=$?
	has "b1.bundle: the signature is not by the key trusted for '\''$C'\''" err.txt || exit 99
	exit $s'
expect_code 77 'verify against a trust list without the sender' '
	dossier-admin -d o.db init --agency 000.00.33.H56 --name O >/dev/null &&
	dossier-bundle -d o.db verify b1.bundle 2>err.txt; s=$?
	has "bundle from '\''$C'\'', which is not in the trust list" err.txt || exit 99
	exit $s'
expect_code 64 'verify without a key or a database' '
	env -u DOSSIER_DB dossier-bundle verify b1.bundle 2>err.txt; s=$?
	has "verify needs the sender'\''s key" err.txt || exit 99; exit $s'
expect_ok 'list needs no database and shows what the bundle carries' '
	env -u DOSSIER_DB dossier-bundle list b1.bundle >l.jsonl &&
	test "$(wc -l <l.jsonl)" = 3 &&
	head -n 1 l.jsonl | jq -e ".from == \"$C\" and .seq == 1 and .members == 2 and
	    .signature == \"unchecked\"" >/dev/null &&
	sed -n 2p l.jsonl | jq -e ".name == \"events.jsonl\"" >/dev/null &&
	dossier-bundle -d p.db list b1.bundle >l2.jsonl &&
	head -n 1 l2.jsonl | jq -e ".signature == \"good\"" >/dev/null'
expect_ok 'export to stdout; the sequence number goes up' '
	dossier-bundle -d c.db export --to $P >b2.bundle &&
	dossier-bundle -d p.db verify b2.bundle >v.json &&
	jq -e ".seq == 2" v.json >/dev/null &&
	dossier-bundle -d c.db trust list >list.jsonl &&
	jq -e ".sent_seq == 2" list.jsonl >/dev/null'
expect_ok 'export -o DIR/ names the file after sender, receiver and sequence' '
	mkdir usb && dossier-bundle -d c.db export --to $P -o usb/ >sum.json &&
	f="usb/${C}_${P}_000003.bundle" && test -f "$f" &&
	jq -e --arg f "$f" ".file == \$f" sum.json >/dev/null &&
	test "$(ls usb | wc -l)" = 1 &&
	dossier-bundle -d p.db verify "$f" >/dev/null'
if dossier-bundle -d c.db export --to $P -z zstd >z.bundle 2>zerr.txt; then
	expect_ok 'export -z zstd writes a zstd tar that verify reads' '
		od -An -tx1 -N4 z.bundle | grep -q "28 b5 2f fd" &&
		dossier-bundle -d p.db verify z.bundle >/dev/null'
else
	expect_ok 'export -z zstd is refused clearly when libarchive lacks zstd' '
		has "zstd compression is not available" zerr.txt'
fi
expect_code 64 'export refuses an unknown compression' '
	dossier-bundle -d c.db export --to $P -z xz >b.bundle 2>err.txt; s=$?
	has "unknown compression '\''xz'\'' (gzip, zstd)" err.txt || exit 99; exit $s'
finish
