#!/bin/sh
# dossier-bundle import: a commune's bundle brings its dossiers into the
# province's file in one transaction; a replayed, older or lost bundle
# changes nothing wrong; untrusted or damaged bundles import nothing.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56
P=000.00.01.H56
app() {
	birth "$1" scan.pdf
}
# count DB TABLE: its rows
count() {
	sqlite3 "$1" "SELECT count(*) FROM $2"
}
# snap DB: what an import may change, for before/after comparisons
snap() {
	sqlite3 "$1" "SELECT count(*) FROM events; SELECT count(*) FROM dossiers;
	    SELECT count(*) FROM blobs; SELECT count(*) FROM bundles_in;
	    SELECT group_concat(acked) FROM peers"
}

expect_ok 'setup: a commune with dossiers, a province, trusting each other' '
	for o in c:$C p:$P; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null || exit 1
	done &&
	dossier-admin -d z.db init --agency 000.00.44.H56 --name Z >/dev/null &&
	mkdir att && head -c 50000 /dev/urandom >att/scan.pdf &&
	{ app r1; app r2; } | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db export --to $P -o b1.bundle >/dev/null'

expect_ok 'import --dry-run says what would change and changes nothing' '
	snap p.db >before &&
	dossier-bundle -d p.db import --dry-run b1.bundle >out.json &&
	jq -e ".from == \"$C\" and .seq == 1 and .events == 2 and .events_new == 2 and
	    .dossiers_new == 2 and .blobs_new == 1 and .conflicts == 0 and .dry_run" out.json >/dev/null &&
	snap p.db >after && same before after'
expect_ok 'import brings the dossiers, their events and attachments' '
	dossier-bundle -d p.db import b1.bundle >out.json &&
	jq -e ".events_new == 2 and .dossiers_new == 2 and .blobs_new == 1 and
	    (.dry_run | not)" out.json >/dev/null &&
	dossier-status -d p.db >p.jsonl && dossier-status -d c.db >c.jsonl &&
	jq -c "{code, ref, owner, status, due_at, documents}" p.jsonl >p.cmp &&
	jq -c "{code, ref, owner, status, due_at, documents}" c.jsonl >c.cmp &&
	same c.cmp p.cmp &&
	dossier-admin -d p.db check >check.json &&
	jq -e ".ok and .events == 2 and .dossiers == 2 and .projection_mismatches == 0" check.json >/dev/null'
expect_code 74 'an import whose summary cannot be printed is stored, and says so' '
	dossier-admin -d q.db init --agency $P --name Q >/dev/null &&
	dossier-admin -d q.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle -d q.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d q.db import b1.bundle >/dev/full 2>err.txt; s=$?
	has "b1.bundle: imported, but its summary was not printed: stdout:" err.txt &&
	test "$(count q.db events)" = 2 && test "$(count q.db bundles_in)" = 1 || exit 99
	exit $s'
expect_ok 'the province finds the commune'\''s dossiers by name' '
	dossier-status -d p.db --name "le van tam" >found.jsonl &&
	test "$(wc -l <found.jsonl)" = 2'
expect_ok 'a replayed bundle changes nothing' '
	snap p.db >before &&
	dossier-bundle -d p.db import b1.bundle >out.json &&
	jq -e ".events == 2 and .events_new == 0 and .dossiers_new == 0 and .blobs_new == 0" out.json >/dev/null &&
	snap p.db >after && same before after'
expect_ok 'through a pipe, and a lost bundle is made good by the next one' '
	app r3 | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d c.db export --to $P -o lost.bundle >/dev/null &&
	app r4 | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d c.db export --to $P >b3.bundle &&
	dossier-bundle -d p.db import - <b3.bundle >out.json &&
	jq -e ".seq == 3 and .events_new == 2 and .dossiers_new == 2" out.json >/dev/null &&
	test "$(count p.db dossiers)" = 4'
expect_ok 'an older bundle after a newer one changes nothing' '
	snap p.db >before &&
	dossier-bundle -d p.db import lost.bundle >out.json &&
	jq -e ".events_new == 0" out.json >/dev/null && snap p.db >after &&
	head -n 3 before >b3 && head -n 3 after >a3 && same b3 a3'
expect_ok 'the acknowledgement comes back, and the next export sends only what is new' '
	dossier-bundle -d p.db export --to $C -o back.bundle >/dev/null &&
	dossier-bundle -d c.db import back.bundle >out.json &&
	jq -e ".events == 0 and .events_new == 0" out.json >/dev/null &&
	dossier-bundle -d c.db trust list >t.json &&
	jq -e ".acked == 4" t.json >/dev/null &&
	app r5 | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d c.db export --to $P -o b5.bundle >/dev/null &&
	dossier-bundle -d p.db list b5.bundle >l.jsonl &&
	head -n 1 l.jsonl | jq -e ".ranges == [{\"origin\":\"$C\",\"first\":5,\"last\":5}]" >/dev/null'
expect_code 77 'a bundle from an office not trusted imports nothing' '
	snap z.db >before &&
	dossier-bundle -d z.db import b5.bundle 2>err.txt; s=$?
	has "bundle from '\''$C'\'', which is not in the trust list" err.txt &&
	snap z.db >after && same before after || exit 99
	exit $s'
expect_code 65 'a bundle for another office imports nothing' '
	dossier-bundle -d z.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	snap z.db >before &&
	dossier-bundle -d z.db import b5.bundle 2>err.txt; s=$?
	has "a bundle for '\''$P'\'', not for this office" err.txt &&
	snap z.db >after && same before after || exit 99
	exit $s'
expect_code 65 'a damaged bundle imports nothing' '
	snap p.db >before &&
	gzip -dc b5.bundle >t.tar && python3 -c "
d = bytearray(open(\"t.tar\", \"rb\").read())
i = d.find(b\"\\\"action\\\":\\\"receive\\\"\")
d[i + 11] ^= 1
open(\"t.tar\", \"wb\").write(d)" && gzip -c t.tar >bad.bundle &&
	dossier-bundle -d p.db import bad.bundle 2>err.txt; s=$?
	has "member '\''events.jsonl'\'' does not have the SHA-256" err.txt &&
	snap p.db >after && same before after || exit 99
	exit $s'
expect_ok 'the good one then imports' '
	dossier-bundle -d p.db import b5.bundle >out.json &&
	jq -e ".events_new == 1 and .dossiers_new == 1" out.json >/dev/null &&
	dossier-admin -d p.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'import DIR/ takes the bundles for this office in order, skips the rest' '
	mkdir usb &&
	app r6 | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d c.db export --to $P -o usb/ >/dev/null &&
	app r7 | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d c.db export --to $P -o usb/ >/dev/null &&
	dossier-bundle -d p.db export --to $C -o usb/ >/dev/null &&
	dossier-bundle -d p.db import usb/ >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 3 &&
	sed -n 1p out.jsonl | jq -e ".skipped == \"not addressed to this office\"" >/dev/null &&
	sed -n 2p out.jsonl | jq -e ".seq == 5 and .events_new == 1" >/dev/null &&
	sed -n 3p out.jsonl | jq -e ".seq == 6 and .events_new == 1" >/dev/null &&
	test "$(count p.db dossiers)" = 7 &&
	dossier-bundle -d p.db import usb/ >again.jsonl &&
	test "$(grep -c "imported before" again.jsonl)" = 2 &&
	! ls usb | grep -q tmp'
finish
