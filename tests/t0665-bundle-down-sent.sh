#!/bin/sh
# dossier-bundle down to a child office carries only what the child does
# not hold: a dossier handed down goes with its history and attachments
# once; once the child says (the manifest's "imported") that it took that
# bundle, a later bundle carries only the dossier's new events and no
# attachment again.  A lost bundle, which the child never says it took,
# is carried again; a parent with no word of the child's imports carries
# the whole history as before; the sent table keeps one confirmed row per
# dossier; a manifest whose "imported" is not ranges is refused.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034,SC2089,SC2090
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

# papp REF: an application received at a province department, with a scan
papp() {
	app "$1" 1.001193 000.00.01.H56 | jq -c '.documents[0].file = "scan.pdf"'
}
# members BUNDLE: its member names, one a line
members() {
	tar -tzf "$1"
}
# events BUNDLE: the actions of its events.jsonl, one a line
events() {
	rm -rf xe && mkdir xe && tar -xzf "$1" -C xe events.jsonl &&
	jq -r .action xe/events.jsonl
}
# up_finished REF: the commune does REF's steps; the finish hands it back up
up_finished() {
	route c.db chien.hv start "$1" >/dev/null &&
	route c.db chien.hv next "$1" -H tuan.lm >/dev/null &&
	route c.db tuan.lm finish "$1" >out.json &&
	jq -e ".status == 9 and .owner == \"$P\"" out.json >/dev/null
}

cat >mk.py <<'PY'
# mk.py IMPORTED OUT: the bundle unpacked in x/ with its manifest's
# "imported" set to the JSON IMPORTED, signed again by sign.pem (forge.py)
import json, sys
import forge
man, members = forge.load("x")
man["imported"] = json.loads(sys.argv[1])
mb = forge.dump(man)
forge.write_tar(sys.argv[2], mb, forge.sign(mb, "sign.pem"), members)
PY

expect_ok 'setup: a province and a commune trusting each other' '
	for o in p:$P c:$C; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(key p.db)" >/dev/null &&
	mkdir att && head -c 50000 /dev/urandom >att/scan.pdf &&
	{ papp p1; papp p2; papp p3; } | dossier-new -d p.db --as an.nv --attachments att >/dev/null &&
	test "$(sqlite3 p.db "SELECT count(*) FROM blobs")" = 1'
expect_ok 'a dossier handed down goes with its history and its attachment' '
	route p.db an.nv forward p1 -t 000.03.27.H56 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d1.bundle >/dev/null &&
	members d1.bundle | grep -q "^blobs/" &&
	test "$(events d1.bundle | tr "\n" " ")" = "receive forward " &&
	dossier-bundle -d c.db import d1.bundle >out.json &&
	jq -e ".dossiers_new == 1 and .blobs_new == 1" out.json >/dev/null &&
	test "$(col c.db p1 owner)" = $C'
expect_ok 'the commune finishes it and its bundle up says which bundles it imported' '
	up_finished p1 &&
	dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null &&
	dossier-bundle -d p.db list u1.bundle | head -n 1 | jq -e ".imported == [[1,1]]" >/dev/null &&
	dossier-bundle -d p.db import u1.bundle >/dev/null &&
	test "$(sqlite3 p.db "SELECT imported FROM peers WHERE agency = '\''$C'\''")" = "[[1,1]]" &&
	test "$(col p.db p1 owner)" = $P'
expect_ok 'the next bundle down carries only the new event: no history, no attachment again' '
	route p.db an.nv return p1 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d2.bundle >/dev/null &&
	! members d2.bundle | grep -q "^blobs/" &&
	test "$(events d2.bundle)" = return &&
	dossier-bundle -d c.db import d2.bundle >out.json &&
	jq -e ".events_new == 1 and .conflicts == 0" out.json >/dev/null &&
	test "$(col c.db p1 status)" = 10 &&
	dossier-status -d c.db "$(code p.db p1)" | jq -c "{status, owner, due_at, returned_at}" >c1 &&
	dossier-status -d p.db "$(code p.db p1)" | jq -c "{status, owner, due_at, returned_at}" >p1 &&
	same c1 p1'
expect_ok 'a lost bundle down, never said imported, is carried again whole' '
	route p.db an.nv forward p2 -t 000.03.27.H56 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o lost.bundle >/dev/null &&
	rm lost.bundle &&
	dossier-bundle -d c.db export --to $P -o u2.bundle >/dev/null &&
	dossier-bundle -d p.db import u2.bundle >/dev/null &&
	test "$(sqlite3 p.db "SELECT imported FROM peers WHERE agency = '\''$C'\''")" = "[[1,2]]" &&
	dossier-bundle -d p.db export --to $C -o d4.bundle >/dev/null &&
	members d4.bundle | grep -q "^blobs/" &&
	test "$(events d4.bundle | tr "\n" " ")" = "receive forward " &&
	dossier-bundle -d c.db import d4.bundle >out.json &&
	jq -e ".dossiers_new == 1 and .events_new == 2" out.json >/dev/null'
expect_ok 'a bundle not yet said imported is carried again by the next export' '
	dossier-bundle -d p.db export --to $C -o d5.bundle >/dev/null &&
	test "$(events d5.bundle | tr "\n" " ")" = "receive forward " &&
	dossier-bundle -d c.db import d5.bundle >out.json &&
	jq -e ".events_new == 0" out.json >/dev/null'
expect_ok 'the sent table keeps, of each dossier, the row that counts and the ones not yet said' '
	up_finished p2 &&
	dossier-bundle -d c.db export --to $P -o u3.bundle >/dev/null &&
	dossier-bundle -d p.db list u3.bundle | head -n 1 | jq -e ".imported == [[1,2],[4,5]]" >/dev/null &&
	dossier-bundle -d p.db import u3.bundle >/dev/null &&
	route p.db an.nv return p2 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d6.bundle >/dev/null &&
	test "$(events d6.bundle)" = return &&
	p2=$(sqlite3 p.db "SELECT uuid FROM dossiers WHERE ref = '\''p2'\''") &&
	test "$(sqlite3 p.db "SELECT count(*), max(bundle_seq) FROM sent
	    WHERE dossier = '\''$p2'\''")" = "2|6" &&
	dossier-bundle -d c.db import d6.bundle >out.json &&
	jq -e ".events_new == 1" out.json >/dev/null && test "$(col c.db p2 status)" = 10'
expect_ok 'a parent with no word of what the commune imported carries the whole history, as before' '
	route p.db an.nv forward p3 -t 000.03.27.H56 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d7.bundle >/dev/null &&
	dossier-bundle -d c.db import d7.bundle >/dev/null &&
	up_finished p3 &&
	dossier-bundle -d c.db export --to $P -o u4.bundle >/dev/null &&
	dossier-bundle -d p.db import u4.bundle >/dev/null &&
	sqlite3 p.db "UPDATE peers SET imported = NULL" &&
	route p.db an.nv return p3 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d8.bundle >/dev/null &&
	members d8.bundle | grep -q "^blobs/" &&
	test "$(events d8.bundle | tr "\n" " ")" = "receive forward return " &&
	dossier-bundle -d c.db import d8.bundle >out.json &&
	jq -e ".events_new == 1 and .conflicts == 0" out.json >/dev/null &&
	for db in p.db c.db; do dossier-admin -d $db check >check.json &&
		jq -e ".ok" check.json >/dev/null || exit 1; done'
expect_ok 'a bundle whose record fails is whole; the dossier'\''s next change carries its history again' '
	papp p4 | dossier-new -d p.db --as an.nv --attachments att >/dev/null &&
	route p.db an.nv forward p4 -t 000.03.27.H56 >/dev/null &&
	sqlite3 p.db "CREATE TRIGGER no_sent BEFORE INSERT ON sent
	    BEGIN SELECT RAISE(ABORT, '\''sent refused'\''); END" &&
	dossier-bundle -d p.db export --to $C -o d9.bundle >out.json 2>err.txt &&
	has "what it carried was not recorded" err.txt && has "sent refused" err.txt &&
	sqlite3 p.db "DROP TRIGGER no_sent" &&
	dossier-bundle -d c.db import d9.bundle >out.json &&
	jq -e ".dossiers_new == 1" out.json >/dev/null &&
	up_finished p4 &&
	dossier-bundle -d c.db export --to $P -o u9.bundle >/dev/null &&
	dossier-bundle -d p.db import u9.bundle >/dev/null &&
	route p.db an.nv return p4 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d10.bundle >/dev/null &&
	test "$(events d10.bundle | tr "\n" " ")" = "receive forward return " &&
	dossier-bundle -d c.db import d10.bundle >out.json &&
	jq -e ".events_new == 1" out.json >/dev/null'
expect_ok 'setup: the commune bundle unpacked, and the commune key as PEM' '
	app r1 1.001731 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u5.bundle >/dev/null &&
	mkdir x && tar -xzf u5.bundle -C x && sec c.db.key sign.pem &&
	python3 mk.py "[[1,8]]" ok.bundle &&
	dossier-bundle -d p.db verify ok.bundle >/dev/null'
for BAD in '[[2,1]]' '[[1,3],[3,4]]' '[[0,1]]' '[["1",2]]' '[[1,2,3]]' '{"1":2}' '[1,2]'; do
	export BAD
	expect_code 65 "a manifest whose imported is $BAD is refused" '
		snap p.db >before &&
		python3 mk.py "$BAD" bad.bundle || exit 99
		dossier-bundle -d p.db import bad.bundle >out.json 2>err.txt; s=$?
		has "'\''imported'\'' must be ranges of bundle numbers" err.txt &&
		test ! -s out.json && snap p.db >after && same before after || exit 99
		exit $s'
done

finish
