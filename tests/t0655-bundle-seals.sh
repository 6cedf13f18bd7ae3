#!/bin/sh
# dossier-bundle: the office's seals (dossier-admin seal) travel in
# bundles as seals.jsonl; import checks each against the key trusted for
# the sender and against the chain it holds, and refuses the bundle when
# one fails.  Optional members a later writer may add are checked
# against the manifest and ignored.  Hostile bundles are built with
# python3 and signed with openssl, so that only the seal is wrong.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56
P=000.00.01.H56
app() {
	birth "$1"
}
# fresh: a province that trusts the commune and holds nothing of it
fresh() {
	rm -f p.db p.db-wal p.db-shm p.db.key &&
	dossier-admin -d p.db init --agency "$P" --name "Tỉnh" >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle -d p.db trust add "$C" "$(jq -r .public_key ck.json)" >/dev/null
}
# held: the province's events and seals, "EVENTS SEALS"
held() {
	sqlite3 p.db "SELECT (SELECT count(*) FROM events) || ' ' ||
	    (SELECT count(*) FROM seals)"
}

cat >mk.py <<'PY'
# mk.py MODE OUT: the bundle of the members in x/, changed as MODE says,
# its manifest signed by the key in sign.pem
import hashlib, io, json, subprocess, sys, tarfile
mode, out = sys.argv[1], sys.argv[2]
def rd(n):
    with open("x/" + n, "rb") as f:
        return f.read()
def sign(data):
    with open("s.bin", "wb") as f:
        f.write(data)
    return subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey",
        "sign.pem", "-rawin", "-in", "s.bin"], check=True,
        capture_output=True).stdout
man = json.loads(rd("manifest.json"))
members = [(e["name"], rd(e["name"])) for e in man["entries"]]
def put(name, data):
    global members
    members = [(n, d) for n, d in members if n != name] + [(name, data)]
def seal(line, **kw):
    s = json.loads(line)
    s.update(kw)
    text = "dossier-seal-v1\n%s\n%d\n%s\n%d\n" % (s["origin"], s["seq"],
        s["hash"], s["at"])
    s["signature"] = sign(text.encode()).hex()
    return (json.dumps(s, separators=(",", ":")) + "\n").encode()
seals = dict(members).get("seals.jsonl", b"").decode().splitlines()
if mode == "flip":
    s = json.loads(seals[0])
    s["hash"] = ("0" if s["hash"][0] != "0" else "1") + s["hash"][1:]
    put("seals.jsonl", (json.dumps(s, separators=(",", ":")) + "\n").encode())
elif mode == "rehash":
    put("seals.jsonl", seal(seals[0], hash="ab" * 32))
elif mode == "ahead":
    put("seals.jsonl", seal(seals[0], seq=9, hash="cd" * 32))
elif mode == "otherkey":
    put("seals.jsonl", seal(seals[0], public_key=sys.argv[3]))
elif mode == "optional":
    put("notes-v2.jsonl", b'{"note":"for a later reader"}\n')
elif mode == "optional-bad":
    put("notes-v2.jsonl", b'{"note":"for a later reader"}\n')
elif mode == "badname":
    put("notes.txt", b"hello\n")
man["entries"] = [{"name": n, "size": len(d),
    "sha256": hashlib.sha256(d).hexdigest()} for n, d in members]
if mode == "optional-bad":
    man["entries"][-1]["sha256"] = "00" * 32
mb = json.dumps(man, separators=(",", ":"), ensure_ascii=False).encode()
def info(name, size):
    t = tarfile.TarInfo(name)
    t.size, t.mode = size, 0o644
    return t
sig = sign(mb)
with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tf:
    tf.addfile(info("manifest.json", len(mb)), io.BytesIO(mb))
    tf.addfile(info("manifest.sig", len(sig)), io.BytesIO(sig))
    for n, d in members:
        tf.addfile(info(n, len(d)), io.BytesIO(d))
PY

expect_ok 'setup: a commune with two dossiers, and a province that trusts it' '
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-admin -d c.db catalog import "$CATALOG" >/dev/null &&
	{ app r1; app r2; } | dossier-new -d c.db >/dev/null &&
	dossier-bundle -d c.db key >ck.json &&
	dossier-admin -d z.db init --agency 000.00.44.H56 --name Z >/dev/null &&
	dossier-bundle -d z.db key >zk.json &&
	fresh &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	sec c.db.key sign.pem && sec z.db.key other.pem'
expect_ok 'a bundle of an office that never sealed has no seals.jsonl' '
	dossier-bundle -d c.db export --to $P -o b0.bundle >/dev/null &&
	tar -tzf b0.bundle >names.txt &&
	printf "manifest.json\nmanifest.sig\nevents.jsonl\n" >want.txt &&
	same want.txt names.txt'
expect_ok 'after a seal, the bundle carries it, listed in the manifest' '
	dossier-admin -d c.db seal >seal.json &&
	dossier-bundle -d c.db export --to $P -o b1.bundle >/dev/null &&
	tar -tzf b1.bundle >names.txt &&
	printf "manifest.json\nmanifest.sig\nevents.jsonl\nseals.jsonl\n" >want.txt &&
	same want.txt names.txt &&
	mkdir x && tar -xzf b1.bundle -C x &&
	jq -r ".entries[] | \"\(.sha256)  \(.name)\"" x/manifest.json >x/SUMS &&
	(cd x && sha256sum -c --quiet SUMS) &&
	test "$(wc -l <x/seals.jsonl)" = 1 &&
	jq -e --slurpfile s seal.json --slurpfile k ck.json "
	    .origin == \"$C\" and .seq == 2 and .seq == \$s[0].seq and
	    .hash == \$s[0].hash and .public_key == \$k[0].public_key and
	    (.signature | length) == 128" x/seals.jsonl >/dev/null'
expect_ok 'openssl verifies the seal with the sender'\''s public key' '
	pem "$(jq -r .public_key ck.json)" &&
	jq -j "\"dossier-seal-v1\n\(.origin)\n\(.seq)\n\(.hash)\n\(.at)\n\"" \
	    x/seals.jsonl >seal.txt &&
	jq -r .signature x/seals.jsonl | xxd -r -p >seal.sig &&
	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in seal.txt \
	    -sigfile seal.sig >ossl.txt && has "Signature Verified Successfully" ossl.txt'
expect_ok 'import takes the seal; check counts it good; again it is held' '
	dossier-bundle -d p.db import b1.bundle >imp.json &&
	jq -e ".events_new == 2 and .seals_new == 1" imp.json >/dev/null &&
	test "$(held)" = "2 1" &&
	dossier-admin -d p.db check >check.json &&
	jq -e ".ok and .seals == 1 and .seal_errors == 0" check.json >/dev/null &&
	dossier-bundle -d p.db import b1.bundle >imp2.json &&
	jq -e ".events_new == 0 and .seals_new == 0" imp2.json >/dev/null &&
	test "$(held)" = "2 1"'
expect_ok 'a later bundle carries the seal again; it is not stored twice' '
	app r3 | dossier-new -d c.db >/dev/null &&
	dossier-bundle -d c.db export --to $P -o b2.bundle >/dev/null &&
	dossier-bundle -d p.db import b2.bundle >imp3.json &&
	jq -e ".events_new == 1 and .seals_new == 0" imp3.json >/dev/null &&
	test "$(held)" = "3 1"'
expect_ok 'a bundle down to a child office carries no seals' '
	dossier-admin -d p.db seal >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d.bundle >/dev/null &&
	tar -tzf d.bundle >names.txt && has catalog.jsonl names.txt &&
	! grep -q seals.jsonl names.txt'

# refused MODE TEXT [ARG]: the bundle of b1 changed in MODE is refused
# by import with TEXT, and the province holds nothing of it
refused() {
	fresh && python3 mk.py "$1" "$1.bundle" "${3:-}" || exit 99
	dossier-bundle -d p.db import "$1.bundle" >out.json 2>err.txt; s=$?
	has "$2" err.txt && test ! -s out.json && test "$(held)" = "0 0" ||
	    exit 99
	exit "$s"
}
expect_ok 'the bundle rebuilt by python, unchanged, imports' '
	fresh && python3 mk.py none py.bundle &&
	dossier-bundle -d p.db import py.bundle >out.json &&
	jq -e ".seals_new == 1" out.json >/dev/null'
expect_code 65 'a seal changed after it was signed' \
	'refused flip "seals.jsonl:1: seal of event 2: the signature does not verify with the key trusted for '\''$C'\''"'
expect_code 65 'a seal signed with the sender'\''s key over another chain' \
	'refused rehash "seals.jsonl:1: seal of event 2: the event held does not have the sealed hash"'
expect_code 65 'a seal of an event the bundle does not bring' \
	'refused ahead "seals.jsonl:1: seal of event 9: the event is not held"'
expect_code 65 'a seal made with another key' \
	'refused otherkey "seal of event 2: made with another key than the one trusted for '\''$C'\''" "$(jq -r .public_key zk.json)"'
expect_ok 'an optional member a later writer adds is checked, then ignored' '
	fresh && python3 mk.py optional opt.bundle &&
	dossier-bundle -d p.db verify opt.bundle >/dev/null &&
	dossier-bundle -d p.db import opt.bundle >out.json &&
	jq -e ".events_new == 2 and .seals_new == 1" out.json >/dev/null'
expect_code 65 'an optional member whose bytes do not match the manifest' '
	fresh && python3 mk.py optional-bad optb.bundle || exit 99
	dossier-bundle -d p.db import optb.bundle 2>err.txt; s=$?
	has "member '\''notes-v2.jsonl'\'' does not have the SHA-256" err.txt &&
	test "$(held)" = "0 0" || exit 99; exit $s'
expect_code 65 'a member name outside the rule is refused, listed or not' '
	fresh && python3 mk.py badname bad.bundle || exit 99
	dossier-bundle -d p.db import bad.bundle 2>err.txt; s=$?
	has "want a member name the format allows" err.txt &&
	test "$(held)" = "0 0" || exit 99; exit $s'
expect_code 65 'a row added to peers does not vouch for the office'\''s own chain' '
	zk=$(jq -r .public_key zk.json) &&
	printf "dossier-seal-v1\n%s\n0\n%064d\n1\n" "$P" 0 >fs.txt &&
	openssl pkeyutl -sign -inkey other.pem -rawin -in fs.txt >fs.sig &&
	sqlite3 p.db "INSERT INTO peers (agency, public_key, added_at)
	    VALUES ('\''$P'\'', X'\''$zk'\'', 0);
	    INSERT INTO seals (origin, seq, hash, at, public_key, signature)
	    VALUES ('\''$P'\'', 0, zeroblob(32), 1, X'\''$zk'\'',
	    X'\''$(xxd -p -c 256 fs.sig)'\'')" || exit 99
	dossier-admin -d p.db check >check.json 2>err.txt; s=$?
	has "signed by a key that is not the office'\''s" err.txt &&
	jq -e ".seal_errors == 1" check.json >/dev/null || exit 99; exit $s'
finish
