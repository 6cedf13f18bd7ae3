#!/bin/sh
# dossier-bundle import: a trusted office that forges events, signed with
# its own key and chained as they should be, makes no dossier in another
# office's name, takes no other office's code and sets no time the
# calendar cannot count: the bundle is refused whole (65), and the other
# offices' bundles import as before.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

P=000.00.00.H56		# the province
C=000.00.27.H56		# the commune that forges
S=000.00.22.H56		# a commune beside it

cat >mk.py <<'PY'
# mk.py MODE OUT: the commune's bundle unpacked in x/, its receive event
# changed as MODE says, chained again and signed with the commune's key
import json, sys
import forge
mode, out = sys.argv[1], sys.argv[2]
man, members = forge.load("x")
S, P = "000.00.22.H56", "000.00.00.H56"
for i, (n, d) in enumerate(members):
    if n != "events.jsonl":
        continue
    evs = [json.loads(l) for l in d.decode().splitlines()]
    p = json.loads(evs[0]["payload"])
    code = p["code"]
    if mode == "owner":
        p["owner"] = P
    if mode == "code":
        p["code"] = S + code[len(evs[0]["origin"]):]
    if mode == "uuid":
        p["uuid"] = "0badc0de-0000-7000-8000-000000000001"
    if mode == "due":
        p["due_at"] = 9223372036854775807
    if mode == "at":
        evs[0]["at"] = -1
    if mode == "recvstr":
        p["received_at"] = "x"
    evs[0]["payload"] = json.dumps(p, ensure_ascii=False, separators=(",", ":"))
    q = json.loads(evs[1]["payload"])
    if mode == "aftercode":
        q["after"]["code"] = S + code[len(evs[0]["origin"]):]
    if mode == "afteruuid":
        q["after"]["uuid"] = "0badc0de-0000-7000-8000-000000000002"
    if mode == "afterowner":
        q["after"]["owner"] = "nobody"
    if mode == "afterdue":
        q["after"]["due_at"] = 1e30
    evs[1]["payload"] = json.dumps(q, ensure_ascii=False, separators=(",", ":"))
    forge.rechain(evs)
    members[i] = (n, "".join(json.dumps(e, ensure_ascii=False,
        separators=(",", ":")) + "\n" for e in evs).encode())
man["entries"] = forge.entries(members)
mb = forge.dump(man)
forge.write_tar(out, mb, forge.sign(mb, "sign.pem"), members)
PY

# forged MODE MESSAGE: the bundle forged as MODE says is refused with
# MESSAGE, and the province holds what it held
forged() {
	python3 mk.py "$1" "$1.bundle" &&
	snap p.db >before &&
	dossier-bundle -d p.db import "$1.bundle" 2>err.txt; s=$?
	has "$2" err.txt && snap p.db >after && same before after || exit 99
	exit "$s"
}

expect_ok 'setup: the province, two communes, and the first commune'\''s bundle unpacked' '
	for o in p:$P c:$C s:$S; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name x >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d p.db trust add $S "$(key s.db)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(key p.db)" >/dev/null &&
	dossier-bundle -d s.db trust add $P "$(key p.db)" >/dev/null &&
	app r1 1.001193 $C | dossier-new -d c.db >/dev/null &&
	route c.db chien.hv start r1 >/dev/null &&
	app r2 1.001193 $S | dossier-new -d s.db >/dev/null &&
	dossier-bundle -d c.db export --to $P -o c1.bundle >/dev/null &&
	mkdir x && tar -xzf c1.bundle -C x && sec c.db.key sign.pem &&
	python3 mk.py none same.bundle &&
	dossier-bundle -d p.db import --dry-run same.bundle >/dev/null'
expect_code 65 'a receive owned by another office is refused' '
	forged owner "event $C/1: a receive by $C of a dossier it does not own"'
expect_code 65 'a receive under another office'\''s code is refused' '
	forged code "event $C/1: a receive by $C of a dossier under another office'\''s code"'
expect_code 65 'a receive whose payload names another dossier is refused' '
	forged uuid "a receive of dossier"'
expect_code 65 'a due time past what the calendar counts is refused' '
	forged due "event $C/1: due_at is out of range"'
expect_code 65 'an event time before 2000 is refused' '
	forged at "event $C/1: its time is out of range"'
expect_code 65 'a receive time that is not a number is refused' '
	forged recvstr "event $C/1: received_at is out of range"'
expect_code 65 'a later event that gives the dossier another office'\''s code is refused' '
	forged aftercode "event $C/2: start changes the dossier'\''s UUID or code"'
expect_code 65 'a later event that gives the dossier another UUID is refused' '
	forged afteruuid "event $C/2: start changes the dossier'\''s UUID or code"'
expect_code 65 'a later event that hands the dossier to no agency is refused' '
	forged afterowner "event $C/2: start hands the dossier to no agency"'
expect_code 65 'a due time of 1e30 is refused' '
	forged afterdue "event $C/2: due_at is out of range"'
expect_ok 'the other commune'\''s bundle, and the first one'\''s own, import as before' '
	dossier-bundle -d s.db export --to $P -o s1.bundle >/dev/null &&
	dossier-bundle -d p.db import s1.bundle >out.json &&
	jq -e ".dossiers_new == 1" out.json >/dev/null &&
	dossier-bundle -d p.db import c1.bundle >out.json &&
	jq -e ".dossiers_new == 1" out.json >/dev/null &&
	dossier-admin -d p.db check >check.json && jq -e .ok check.json >/dev/null'

finish
