#!/bin/sh
# dossier-bundle relays up and down a tree of three offices: a remote
# commune under a district under the province.  The commune's bundles go
# to the district, the district's to the province, which then holds the
# commune's chain whole and sees its dossiers in its lookups and reports;
# each origin goes on from what the province acknowledged of it; a lost
# bundle on the district's leg is made good by the next one; a replayed
# bundle changes nothing; the commune's seals stay at the district; a
# dossier the province hands to the commune goes down through the
# district and comes back up; events of an office that is not below the
# sender in the receiver's catalog (a sibling commune that a district's
# own catalog put below it, or a commune's crafted bundle) are refused.
# The crafted bundle is built with python3 and signed with openssl.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

S=000.00.22.H56		# UBND xã Quảng Phú, a commune of the province
# snap: also the seals held and what each peer acknowledged
snap_more='SELECT count(*) FROM seals; SELECT ack FROM peers ORDER BY agency'
# bundle FROM TO FILE: export from office FROM (p, d, c, s) to TO
bundle() {
	dossier-bundle -d "$1.db" export --to "$(sqlite3 "$2.db" \
	    "SELECT agency FROM office")" -o "$3" >/dev/null
}
# chain DB ORIGIN: the events of ORIGIN held, "seq hash" a line
chain() {
	sqlite3 "$1" "SELECT seq || ' ' || hex(hash) FROM events
	    WHERE origin = '$2' ORDER BY seq"
}
# range FILE ORIGIN: "first last" of ORIGIN in the district's bundle FILE
# to the province, or nothing
range() {
	dossier-bundle -d p.db list "$1" | head -n 1 | jq -r --arg o "$2" \
	    '.ranges[] | select(.origin == $o) | "\(.first) \(.last)"'
}

cat >mk.py <<'PY'
# mk.py DIR EXTRA OUT: the bundle of the members in DIR with the events
# of EXTRA appended to its events.jsonl and their ranges to its manifest,
# the manifest listing the new size and hash, signed by the key in
# sign.pem (forge.py)
import json, sys
import forge
src, extra, out = sys.argv[1], sys.argv[2], sys.argv[3]
man, members = forge.load(src)
with open(extra, "rb") as f:
    more = f.read()
members = [(n, d + more if n == "events.jsonl" else d) for n, d in members]
for line in more.decode().splitlines():
    ev = json.loads(line)
    r = [x for x in man["ranges"] if x["origin"] == ev["origin"]]
    if r:
        r[0]["first"] = min(r[0]["first"], ev["seq"])
        r[0]["last"] = max(r[0]["last"], ev["seq"])
    else:
        man["ranges"].append({"origin": ev["origin"], "first": ev["seq"],
            "last": ev["seq"]})
man["entries"] = forge.entries(members)
mb = forge.dump(man)
forge.write_tar(out, mb, forge.sign(mb, "sign.pem"), members)
PY

expect_ok 'setup: the commune under the district under the province, in every catalog' '
	jq -c --arg p $P --arg d $D --arg c $C "
	    if .kind == \"unit\" and .code == \$p then ., {kind: \"unit\",
	        code: \$d, name: \"UBND huyện Mường Lát\", level: \"district\",
	        parent: \$p, remote: true}
	    elif .kind == \"unit\" and .code == \$c then .parent = \$d
	    else . end" "$CATALOG" >cat.jsonl &&
	echo "{\"kind\":\"staff\",\"login\":\"kim.dt\",\"name\":\"Đinh Thị Kim\",\"unit\":\"$D\",\"roles\":[\"reception\",\"specialist\"]}" >>cat.jsonl &&
	for o in p:$P d:$D c:$C s:$S; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import cat.jsonl >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db trust add $D "$(key d.db)" >/dev/null &&
	dossier-bundle -d d.db trust add $P "$(key p.db)" >/dev/null &&
	dossier-bundle -d d.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d c.db trust add $D "$(key d.db)" >/dev/null &&
	: the province and the commune know each other, for their hand-offs &&
	dossier-bundle -d p.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(key p.db)" >/dev/null &&
	test "$(sqlite3 p.db "SELECT parent FROM units WHERE code = '\''$C'\''")" = $D'

expect_ok 'the commune'\''s dossiers, and its seal, reach the district' '
	{ app r1 1.001731 $C; app r2 1.001193 $C; } |
	    dossier-new -d c.db --as chien.hv >/dev/null &&
	route c.db chien.hv start r1 >/dev/null &&
	app k1 1.001193 $D | dossier-new -d d.db --as kim.dt >/dev/null &&
	dossier-admin -d c.db seal >/dev/null &&
	dossier-admin -d d.db seal >/dev/null &&
	bundle c d c1.bundle &&
	dossier-bundle -d d.db import c1.bundle >out.json &&
	jq -e ".dossiers_new == 2 and .events_new == 3 and .seals_new == 1" out.json >/dev/null'
expect_ok 'the district'\''s bundle to the province relays the commune'\''s chain from its start' '
	bundle d p d1.bundle &&
	test "$(range d1.bundle $C)" = "1 3" && test "$(range d1.bundle $D)" = "1 1" &&
	dossier-bundle -d p.db import d1.bundle >out.json &&
	jq -e ".dossiers_new == 3 and .events_new == 4 and .conflicts == 0" out.json >/dev/null &&
	chain c.db $C >want && chain p.db $C >got && same want got &&
	test "$(col p.db r1 status)" = "$(col c.db r1 status)" &&
	same_rows r1 && same_rows r2'
expect_ok 'the commune'\''s seals stay at the district; the district'\''s go up' '
	jq -e ".seals_new == 1" out.json >/dev/null &&
	test "$(sqlite3 p.db "SELECT group_concat(origin) FROM seals")" = $D &&
	test "$(sqlite3 d.db "SELECT count(*) FROM seals WHERE origin = '\''$C'\''")" = 1 &&
	mkdir x1 && tar -xzf d1.bundle -C x1 && jq -r .origin x1/seals.jsonl >o.txt &&
	echo $D >want && same want o.txt &&
	for db in p.db d.db; do dossier-admin -d $db check >check.json &&
		jq -e ".ok and .seal_errors == 0" check.json >/dev/null || exit 1; done'
expect_ok 'the province'\''s lookups and report see the commune'\''s dossiers' '
	dossier-status -d p.db --unit $C >pc.jsonl && test "$(wc -l <pc.jsonl)" = 2 &&
	jq -e "select(.code == \"$(code c.db r2)\") | .owner == \"$C\"" pc.jsonl >/dev/null &&
	dossier-status -d p.db --name "lo thi hoa" >n.jsonl && test "$(wc -l <n.jsonl)" = 3 &&
	m=$(date +%Y-%m) &&
	dossier-report -d c.db --period month --of "$m" >rc.jsonl &&
	dossier-report -d p.db --period month --of "$m" --unit $C >rp.jsonl &&
	jq -c "del(.as_of)" rc.jsonl >rc.cmp && jq -c "del(.as_of)" rp.jsonl >rp.cmp &&
	same rc.cmp rp.cmp &&
	dossier-report -d p.db --period month --of "$m" --by unit >rd.jsonl &&
	jq -se "map(select(.key == \"$D\" or .key == \"$P\" or .key == null) |
	    .intake) == [3, 3, 3]" rd.jsonl >/dev/null'

expect_ok 'after the province acknowledges, the commune'\''s chain goes on from there' '
	bundle p d a1.bundle &&
	dossier-bundle -d d.db import a1.bundle >out.json &&
	test "$(sqlite3 d.db "SELECT json_extract(ack, '\''$.\"$C\"'\'') FROM peers WHERE agency = '\''$P'\''")" = 3 &&
	app r3 1.001193 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	bundle c d c2.bundle && dossier-bundle -d d.db import c2.bundle >/dev/null &&
	bundle d p lost.bundle && test "$(range lost.bundle $C)" = "4 4" &&
	test -z "$(range lost.bundle $D)"'
expect_ok 'a lost bundle on the district'\''s leg: the next one brings the province up to date' '
	rm lost.bundle &&
	route c.db chien.hv next r1 -H tuan.lm >/dev/null &&
	app r4 1.001731 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	bundle c d c3.bundle && dossier-bundle -d d.db import c3.bundle >/dev/null &&
	bundle d p d2.bundle && test "$(range d2.bundle $C)" = "4 6" &&
	dossier-bundle -d p.db import d2.bundle >out.json &&
	jq -e ".events_new == 3 and .dossiers_new == 2 and .conflicts == 0" out.json >/dev/null &&
	chain c.db $C >want && chain p.db $C >got && same want got &&
	same_rows r1 && same_rows r3 && same_rows r4 &&
	dossier-admin -d p.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'a replayed bundle, and an older one, change nothing' '
	snap p.db >before &&
	dossier-bundle -d p.db import d2.bundle >out.json &&
	jq -e ".events == 3 and .events_new == 0 and .dossiers_new == 0" out.json >/dev/null &&
	dossier-bundle -d p.db import d1.bundle >out.json &&
	jq -e ".events_new == 0 and .seals_new == 0" out.json >/dev/null &&
	snap p.db >after && same before after'

expect_ok 'the commune hands a dossier to the province: it goes up through the district' '
	route c.db tuan.lm next r1 >out.json &&
	jq -e ".owner == \"$P\" and .step == 3" out.json >/dev/null &&
	bundle c d c4.bundle && dossier-bundle -d d.db import c4.bundle >/dev/null &&
	test "$(col d.db r1 owner)" = $P &&
	bundle d p d3.bundle && test "$(range d3.bundle $C)" = "4 7" &&
	dossier-bundle -d p.db import d3.bundle >out.json &&
	jq -e ".events_new == 1 and .conflicts == 0" out.json >/dev/null &&
	test "$(col p.db r1 owner)" = $P &&
	route p.db thao.ltp next r1 -H hung.lv >/dev/null &&
	route p.db hung.lv finish r1 >out.json &&
	jq -e ".status == 9 and .owner == \"$C\"" out.json >/dev/null'
expect_ok 'the province hands a dossier to the commune; the district takes both on their way' '
	app p1 1.001193 000.00.01.H56 | dossier-new -d p.db --as an.nv >/dev/null &&
	app p2 1.001193 000.00.01.H56 | dossier-new -d p.db --as an.nv >/dev/null &&
	route p.db an.nv forward p1 -t 000.03.27.H56 >out.json &&
	jq -e ".owner == \"$C\"" out.json >/dev/null &&
	bundle p d a2.bundle &&
	dossier-bundle -d d.db import a2.bundle >out.json &&
	jq -e ".dossiers_new == 1 and .conflicts == 0" out.json >/dev/null &&
	test "$(col d.db p1 owner)" = $C && test -z "$(col d.db p2 owner)" &&
	test "$(col d.db r1 owner)" = $C && test "$(col d.db r1 status)" = 9'
expect_ok 'the district'\''s bundle down carries them to the commune, with their history' '
	bundle d c b1.bundle &&
	dossier-bundle -d c.db import b1.bundle >out.json &&
	jq -e ".dossiers_new == 1 and .conflicts == 0" out.json >/dev/null &&
	test "$(col c.db p1 owner)" = $C && test -z "$(col c.db p2 owner)" &&
	test "$(col c.db r1 owner)" = $C && test "$(col c.db r1 status)" = 9 &&
	chain p.db $P >all && chain c.db $P >got &&
	test "$(wc -l <got)" -ge 4 && test "$(wc -l <got)" -lt "$(wc -l <all)" &&
	test "$(col c.db p1 due_at)" = "$(col p.db p1 due_at)" &&
	test "$(col c.db r1 due_at)" = "$(col p.db r1 due_at)"'
expect_ok 'the commune returns the one and processes the other; both go back up' '
	route c.db chien.hv return r1 >out.json &&
	jq -e ".status == 10" out.json >/dev/null &&
	route c.db chien.hv start p1 >/dev/null &&
	route c.db chien.hv next p1 -H tuan.lm >/dev/null &&
	route c.db tuan.lm finish p1 >out.json &&
	jq -e ".status == 9 and .owner == \"$P\"" out.json >/dev/null &&
	bundle c d c5.bundle && dossier-bundle -d d.db import c5.bundle >/dev/null &&
	test "$(col d.db p1 owner)" = $P &&
	bundle d p d4.bundle &&
	dossier-bundle -d p.db import d4.bundle >out.json &&
	jq -e ".conflicts == 0 and .events_new == 4" out.json >/dev/null &&
	same_rows r1 && test "$(col p.db r1 status)" = 10 &&
	route p.db an.nv return p1 >out.json &&
	jq -e ".status == 10" out.json >/dev/null &&
	for db in p.db d.db c.db; do dossier-admin -d $db check >check.json &&
		jq -e ".ok" check.json >/dev/null || exit 1; done'

expect_ok 'setup: the district'\''s own catalog puts a commune of the province below it' '
	dossier-bundle -d d.db trust add $S "$(key s.db)" >/dev/null &&
	dossier-bundle -d s.db trust add $D "$(key d.db)" >/dev/null &&
	jq -c --arg d $D "select(.kind == \"unit\" and .code == \"$S\") |
	    .parent = \$d" cat.jsonl >moved.jsonl && test -s moved.jsonl &&
	dossier-admin -d d.db catalog import moved.jsonl >/dev/null &&
	dossier-admin -d s.db catalog import moved.jsonl >/dev/null &&
	app s1 1.001193 $S | dossier-new -d s.db --as lan.tt >/dev/null &&
	bundle s d s1.bundle && cp d.db dx.db &&
	dossier-bundle -d d.db import s1.bundle >out.json &&
	jq -e ".dossiers_new == 1" out.json >/dev/null &&
	app r5 1.001193 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	bundle c d c6.bundle && dossier-bundle -d d.db import c6.bundle >/dev/null &&
	bundle d p d5.bundle && test "$(range d5.bundle $S)" = "1 1"'
expect_code 65 'the province refuses the district'\''s bundle that relays the sibling'\''s events' '
	snap p.db >before &&
	dossier-bundle -d p.db import d5.bundle >out.json 2>err.txt; s=$?
	has "office $S is not below $D, which sent it, in this office'\''s catalog" err.txt &&
	has "nothing imported" err.txt && test ! -s out.json &&
	snap p.db >after && same before after && test -z "$(col p.db r5 owner)" || exit 99
	exit $s'
expect_code 65 'a commune'\''s bundle crafted to carry the sibling'\''s events is refused' '
	sqlite3 s.db "SELECT json_object('\''origin'\'', origin, '\''seq'\'', seq,
	    '\''dossier'\'', dossier, '\''action'\'', action, '\''actor'\'', actor,
	    '\''at'\'', at, '\''payload'\'', payload,
	    '\''prev_hash'\'', lower(hex(prev_hash)), '\''hash'\'', lower(hex(hash)))
	    FROM events ORDER BY seq" >sib.jsonl &&
	test "$(wc -l <sib.jsonl)" = 1 &&
	app r6 1.001193 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	bundle c d c7.bundle && mkdir x7 && tar -xzf c7.bundle -C x7 &&
	sec c.db.key sign.pem && python3 mk.py x7 sib.jsonl evil.bundle &&
	snap dx.db >before || exit 99
	dossier-bundle -d dx.db import evil.bundle >out.json 2>err.txt; s=$?
	has "office $S is not below $C, which sent it, in this office'\''s catalog" err.txt &&
	test ! -s out.json && snap dx.db >after && same before after &&
	dossier-bundle -d dx.db import c7.bundle >out.json &&
	jq -e ".dossiers_new == 2" out.json >/dev/null || exit 99
	exit $s'
expect_ok 'once the district puts the sibling back in its catalog, the next bundle goes through' '
	dossier-bundle -d d.db import c7.bundle >/dev/null &&
	jq -c "select(.kind == \"unit\" and .code == \"$S\")" cat.jsonl >back.jsonl &&
	dossier-admin -d d.db catalog import back.jsonl >/dev/null &&
	test "$(sqlite3 d.db "SELECT parent FROM units WHERE code = '\''$S'\''")" = $P &&
	bundle d p d6.bundle && test -z "$(range d6.bundle $S)" &&
	dossier-bundle -d p.db import d6.bundle >out.json &&
	jq -e ".dossiers_new == 2 and .conflicts == 0" out.json >/dev/null &&
	same_rows r5 && same_rows r6 && test -z "$(col p.db s1 owner)" &&
	chain c.db $C >want && chain p.db $C >got && same want got &&
	dossier-admin -d p.db check >check.json && jq -e ".ok" check.json >/dev/null'

expect_ok 'a relayed chain with a gap holds that origin back until the gap is filled' '
	{ app r7 1.001193 $C; app r8 1.001193 $C; } |
	    dossier-new -d c.db --as chien.hv >/dev/null &&
	sqlite3 c.db "SELECT json_object('\''origin'\'', origin, '\''seq'\'', seq,
	    '\''dossier'\'', dossier, '\''action'\'', action, '\''actor'\'', actor,
	    '\''at'\'', at, '\''payload'\'', payload,
	    '\''prev_hash'\'', lower(hex(prev_hash)), '\''hash'\'', lower(hex(hash)))
	    FROM events ORDER BY seq DESC LIMIT 1" >late.jsonl &&
	n=$(jq .seq late.jsonl) &&
	bundle p d a4.bundle && mkdir x8 && tar -xzf a4.bundle -C x8 &&
	sec p.db.key sign.pem && python3 mk.py x8 late.jsonl gap.bundle &&
	dossier-bundle -d d.db import gap.bundle >/dev/null &&
	chain d.db $C | tail -n 2 | cut -d" " -f1 >got &&
	printf "%s\n" $((n - 2)) $n >want && same want got &&
	bundle d p d7.bundle && test -z "$(range d7.bundle $C)" &&
	dossier-bundle -d p.db import d7.bundle >out.json &&
	jq -e ".events_new == 0" out.json >/dev/null &&
	bundle c d c8.bundle && dossier-bundle -d d.db import c8.bundle >/dev/null &&
	bundle d p d8.bundle && test "$(range d8.bundle $C)" = "$((n - 1)) $n" &&
	dossier-bundle -d p.db import d8.bundle >out.json &&
	jq -e ".events_new == 2 and .dossiers_new == 2" out.json >/dev/null &&
	chain c.db $C >want && chain p.db $C >got && same want got'

finish
