#!/bin/sh
# dossier-bundle down to a child office carries only what the child does
# not hold: the child names, in sync.jsonl, the last bundle of its parent
# whose content it holds, and the parent's next bundle carries each
# dossier's events after the last that bundle's chain carried, and no
# attachment again.  A child restored from a backup, a parent restored
# from a backup, a word that names a bundle the parent never made, a
# damaged sync.jsonl: nothing is lost, the next bundle carries more.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

# down N, up N: a bundle from the province to the commune and back, taken
down() {
	dossier-bundle -d p.db export --to "$C" -o "d$1.bundle" >/dev/null &&
	dossier-bundle -d c.db import "d$1.bundle" >"in$1.json"
}
up() {
	dossier-bundle -d c.db export --to "$P" -o "u$1.bundle" >/dev/null &&
	dossier-bundle -d p.db import "u$1.bundle" >/dev/null
}
# members N: the names of bundle dN's members, one a line
members() {
	rm -rf "m$1" && mkdir "m$1" && tar -xzf "d$1.bundle" -C "m$1" &&
	jq -r ".entries[].name" "m$1/manifest.json"
}
# agree REF: both offices hold the same events of the province of REF
agree() {
	for db in p.db c.db; do
		sqlite3 "$db" "SELECT seq, action, hex(hash) FROM events
		    WHERE origin = '$P' AND dossier = (SELECT uuid FROM dossiers
		    WHERE ref = '$1') ORDER BY seq" >"$db.ev" || return 1
	done
	same p.db.ev c.db.ev && test -s p.db.ev
}

expect_ok 'setup: a province and a commune, trusting each other; dossiers handed up' '
	pair &&
	dossier-bundle -d p.db trust list | jq -e ".received_seq == null and .held_seq == 0" >/dev/null &&
	{ app r1 1.001731 $C; app r2 1.001731 $C; } | dossier-new -d c.db --as chien.hv >/dev/null &&
	for r in r1 r2; do
		route c.db chien.hv start $r >/dev/null &&
		route c.db chien.hv next $r -H tuan.lm >/dev/null &&
		route c.db tuan.lm next $r >/dev/null || exit 1
	done &&
	dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null &&
	tar -tzf u1.bundle >names && ! grep -q sync.jsonl names &&
	dossier-bundle -d p.db import u1.bundle >/dev/null'
expect_ok 'the first bundle down carries a dossier whole, its scan with it, and no base' '
	mkdir att && head -c 100000 /dev/urandom >att/scan.pdf &&
	app p1 1.001193 000.00.01.H56 | jq -c ".documents[0].file = \"scan.pdf\"" |
	    dossier-new -d p.db --as an.nv --attachments att >/dev/null &&
	route p.db an.nv forward p1 -t 000.03.27.H56 >/dev/null &&
	route p.db thao.ltp next r1 -H hung.lv >/dev/null &&
	down 1 && members 1 >names &&
	grep -q "^blobs/" names && ! grep -q sync.jsonl names &&
	jq -e ".dossiers_new == 1 and .blobs_new == 1 and .conflicts == 0" in1.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT holds FROM bundles_in WHERE bundle_seq = 1")" = 1'
expect_ok 'the commune names that bundle by its seq and its manifest'\''s SHA-256' '
	up 2 && rm -rf y && mkdir y && tar -xzf u2.bundle -C y &&
	h=$(sha256sum m1/manifest.json | cut -d" " -f1) &&
	jq -e --arg h "$h" ".held == {seq: 1, manifest: \$h}" y/sync.jsonl >/dev/null &&
	dossier-bundle -d p.db trust list | jq -e "select(.agency == \"$C\") | .held_seq == 1 and .received_seq == 2" >/dev/null &&
	dossier-bundle -d c.db trust list | jq -e "select(.agency == \"$P\") | .held_seq == 0 and .received_seq == 1" >/dev/null &&
	test "$(sqlite3 p.db "SELECT held_seq || held_manifest FROM peers WHERE agency = '\''$C'\''")" = "1$h"'
expect_ok 'the next bundle down carries only the events after it, and not the scan again' '
	route c.db chien.hv start p1 >/dev/null &&
	route c.db chien.hv next p1 -H tuan.lm >/dev/null &&
	route c.db tuan.lm finish p1 >/dev/null && up 3 &&
	route p.db an.nv return p1 >/dev/null &&
	route p.db thao.ltp next r2 -H hung.lv >/dev/null &&
	down 2 && members 2 >names && ! grep -q "^blobs/" names &&
	jq -e ".base.seq == 1" m2/sync.jsonl >/dev/null &&
	jq -r .action m2/events.jsonl >acts && printf "return\nnext\n" >want && same want acts &&
	jq -e ".events == 2 and .events_new == 2 and .conflicts == 0" in2.json >/dev/null &&
	agree p1 && agree r1 && agree r2 &&
	test "$(col c.db p1 status)" = 10'
expect_ok 'a lost bundle down: the next one carries what it carried' '
	up 4 &&
	route p.db hung.lv back r2 -r "thiếu chữ ký" >/dev/null &&
	dossier-bundle -d p.db export --to $C -o lost.bundle >/dev/null && rm lost.bundle &&
	route p.db thao.ltp next r2 -H hung.lv >/dev/null &&
	down 4 && members 4 >names && jq -e ".base.seq == 2" m4/sync.jsonl >/dev/null &&
	jq -r .action m4/events.jsonl >acts && printf "back\nnext\n" >want && same want acts &&
	agree r2'

# held SEQ: the bundle the province takes the commune to hold
held() {
	test "$(sqlite3 p.db "SELECT held_seq FROM peers WHERE agency = '$C'")" = "$1"
}
# The commune restored from a backup taken before it took bundle 5, on
# which bundle 6 was built: it holds bundle 6's content, not bundle 5's.
# Its next bundle up takes a number the province has taken already.
expect_ok 'a commune restored from a backup refuses a bundle built on one it lost' '
	up 5 && held 4 && sqlite3 c.db ".backup c0.db" &&
	route p.db hung.lv back r2 -r "sai tên" >/dev/null && down 5 && up 6 && held 5 &&
	route p.db thao.ltp next r2 -H hung.lv >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d6.bundle >/dev/null &&
	members 6 >/dev/null && jq -e ".base.seq == 5" m6/sync.jsonl >/dev/null &&
	rm -f c.db-wal c.db-shm && cp c0.db c.db && snap c.db >before &&
	{ dossier-bundle -d c.db import d6.bundle >in6.json 2>err.txt; test $? = 65; } &&
	has "extends its bundle 5, which this office does not hold" err.txt &&
	snap c.db >after && same before after'
expect_ok '... and is sent again what it lost once it says what it holds' '
	dossier-bundle -d c.db export --to $P -o u6b.bundle >out.json &&
	jq -e ".seq == 6" out.json >/dev/null &&
	dossier-bundle -d p.db import u6b.bundle >/dev/null && held 4 &&
	route p.db hung.lv finish r2 >/dev/null && down 7 &&
	members 7 >/dev/null && jq -e ".base.seq == 4" m7/sync.jsonl >/dev/null &&
	jq -r .action m7/events.jsonl >acts && printf "back\nnext\nfinish\n" >want && same want acts &&
	agree r2 && test "$(col c.db r2 owner)" = $C &&
	dossier-admin -d c.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok '... and the bundle after carries only what is new again' '
	up 7 && held 7 &&
	route p.db hung.lv back r1 -r "sai ngày" >/dev/null && down 8 &&
	members 8 >/dev/null && jq -e ".base.seq == 7" m8/sync.jsonl >/dev/null &&
	jq -r .action m8/events.jsonl >acts && printf "back\n" >want && same want acts &&
	agree r1'

# The province restored from a backup taken before it made bundle 9: the
# commune names a bundle 9 the province no longer knows, and the province
# numbers 9 again.
expect_ok 'a province restored from a backup sends whole what it no longer knows it sent' '
	up 8 && held 8 && sqlite3 p.db ".backup p0.db" &&
	down 9 && up 9 && held 9 &&
	rm -f p.db-wal p.db-shm && cp p0.db p.db && held 8 &&
	dossier-bundle -d p.db import u9.bundle >/dev/null && held 9 &&
	test "$(sqlite3 p.db "SELECT count(*) FROM sent_bundles WHERE seq = 9")" = 0 &&
	route p.db thao.ltp next r1 -H hung.lv >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d9b.bundle >/dev/null &&
	dossier-bundle -d c.db import d9b.bundle >/dev/null &&
	members 9b >/dev/null && test ! -e m9b/sync.jsonl &&
	jq -e ".seq == 9" m9b/manifest.json >/dev/null &&
	jq -r .action m9b/events.jsonl >acts && printf "next\nback\nnext\n" >want && same want acts &&
	agree r1 &&
	test "$(sqlite3 c.db "SELECT holds FROM bundles_in WHERE bundle_seq = 9")" = 1 &&
	up 10 && held 9 &&
	route p.db hung.lv back r1 -r "lần nữa" >/dev/null && down 10 &&
	members 10 >/dev/null && jq -e ".base.seq == 9" m10/sync.jsonl >/dev/null &&
	jq -r .action m10/events.jsonl >acts && printf "back\n" >want && same want acts &&
	agree r1'
expect_ok 'a word naming a bundle the province never made: the dossier goes whole' '
	sqlite3 c.db "UPDATE bundles_in SET bundle_seq = 99 WHERE bundle_seq = 10" &&
	up 11 && held 99 &&
	route p.db thao.ltp next r1 -H hung.lv >/dev/null && down 11 &&
	members 11 >/dev/null && test ! -e m11/sync.jsonl &&
	jq -r .action m11/events.jsonl >acts &&
	printf "next\nback\nnext\nback\nnext\n" >want && same want acts && agree r1'
expect_ok 'an older bundle of the commune'\''s does not take back its word' '
	sqlite3 c.db "DELETE FROM bundles_in WHERE bundle_seq = 99" && up 12 && held 11 &&
	dossier-bundle -d p.db import u2.bundle >/dev/null && held 11'

expect_ok 'a bundle down cut by --max-size: the next carries the rest, nothing twice' '
	up 13 &&
	for r in p2 p3; do
		mkdir "a$r" && head -c 100000 /dev/urandom >"a$r/scan.pdf" &&
		app $r 1.001193 000.00.01.H56 | jq -c ".documents[0].file = \"scan.pdf\"" |
		    dossier-new -d p.db --as an.nv --attachments "a$r" >/dev/null &&
		route p.db an.nv forward $r -t 000.03.27.H56 >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db export --to $C --max-size 150000 -o d12.bundle >out.json &&
	jq -e ".blobs == 1" out.json >/dev/null &&
	dossier-bundle -d c.db import d12.bundle >/dev/null && agree p2 && ! agree p3 &&
	up 14 && held 12 && down 13 && members 13 >/dev/null &&
	jq -e ".base.seq == 12" m13/sync.jsonl >/dev/null &&
	test "$(jq -r .dossier m13/events.jsonl | sort -u)" = "$(sqlite3 p.db "SELECT uuid FROM dossiers WHERE ref = '\''p3'\''")" &&
	agree p2 && agree p3 && agree r1 && agree r2 && agree p1'

cat >mk.py <<'PY'
# mk.py OUT SYNC: bundle y/ with sync.jsonl set to SYNC, signed (forge.py)
import sys
import forge
out, sync = sys.argv[1], sys.argv[2].encode() + b"\n"
man, members = forge.load("y")
members = [m for m in members if m[0] != "sync.jsonl"] + [("sync.jsonl", sync)]
man["entries"] = forge.entries(members)
mb = forge.dump(man)
forge.write_tar(out, mb, forge.sign(mb, "sign.pem"), members)
PY
# refused SYNC TEXT: a bundle of the commune's with that sync.jsonl is
# refused with TEXT, and the province's database is unchanged
refused() {
	python3 mk.py bad.bundle "$1" || exit 99
	snap p.db >before
	dossier-bundle -d p.db import bad.bundle >out.json 2>err.txt; s=$?
	snap p.db >after
	has "$2" err.txt && test ! -s out.json && same before after || exit 99
	exit "$s"
}
expect_ok 'setup: the commune'\''s next bundle and key, for damaged words' '
	dossier-bundle -d c.db export --to $P -o u15.bundle >/dev/null &&
	rm -rf y && mkdir y && tar -xzf u15.bundle -C y && sec c.db.key sign.pem &&
	python3 mk.py ok.bundle "$(cat y/sync.jsonl)" &&
	dossier-bundle -d p.db verify ok.bundle >/dev/null'
expect_code 65 'a sync.jsonl that is not a JSON object' \
	'refused "[1]" "sync.jsonl:1: not a JSON object"'
expect_code 65 'a held bundle whose manifest is not a SHA-256' \
	'refused "{\"held\":{\"seq\":3,\"manifest\":\"xyz\"}}" "sync.jsonl: '\''held'\'' must be"'
expect_code 65 'a held bundle of seq 0' \
	'refused "{\"held\":{\"seq\":0,\"manifest\":\"$(printf %064d 0)\"}}" "sync.jsonl: '\''held'\'' must be"'
expect_ok 'a key a later writer may add is ignored' '
	python3 mk.py new.bundle "{\"later\":1}" &&
	dossier-bundle -d p.db import new.bundle >out.json &&
	test "$(sqlite3 p.db "SELECT held_seq FROM peers WHERE agency = '\''$C'\''")" = 0'

finish
