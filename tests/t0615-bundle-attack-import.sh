#!/bin/sh
# dossier-bundle: the attacks of t0610 through import, not only verify,
# each leaving the province's database as it was; the cases t0610 does
# not build (a blob whose bytes differ, a member missing or out of
# order, one listed twice, a manifest field or signature that is wrong,
# a good manifest signed by another key, a FIFO, a manifest that is a
# bomb); and a zstd bundle as real tools see it, cut at every kind of
# boundary and flipped at random.  The hostile tars are built with
# python3's tarfile module and signed with openssl.  The bomb is refused
# in under 5 s and 64 MiB, generous bounds for a loaded machine.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56
P=000.00.01.H56
app() {
	birth "$1" "$2"
}
# state: what the province holds, one line
state() {
	sqlite3 p.db "SELECT (SELECT count(*) FROM events) || ' ' ||
	    (SELECT count(*) FROM dossiers) || ' ' ||
	    (SELECT count(*) FROM blobs) || ' ' ||
	    (SELECT count(*) FROM bundles_in) || ' ' ||
	    (SELECT count(*) FROM conflicts)"
}

cat >mk.py <<'PY'
# mk.py MODE OUT [KEY]: a bundle from the members in x/, damaged as MODE
# says, its manifest signed by the key in KEY (default sign.pem; forge.py)
import io, sys, tarfile
import forge
mode, out = sys.argv[1], sys.argv[2]
key = sys.argv[3] if len(sys.argv) > 3 else "sign.pem"
man, members = forge.load("x")
blob = [i for i, (n, d) in enumerate(members) if n.startswith("blobs/")][0]
if mode == "blobhash":
    n, d = members[blob]
    members[blob] = (n, d[:-1] + bytes([d[-1] ^ 0x80]))
elif mode == "unknownfield":
    man["comment"] = "hello"
elif mode == "twice":
    man["entries"].append(dict(man["entries"][blob]))
    members.append(members[blob])
elif mode == "longline":
    ev = [i for i, (n, d) in enumerate(members) if n == "events.jsonl"][0]
    members[ev] = ("events.jsonl", b"{" + b" " * (2 << 20) + b"}\n")
    man["entries"] = forge.entries(members)
elif mode == "stray":
    import hashlib
    d = b"a scan that no event names" * 1000
    members.append(("blobs/" + hashlib.sha256(d).hexdigest(), d))
    man["entries"] = forge.entries(members)
mb = forge.dump(man)
sig = forge.sign(mb, key)
if mode == "shortsig":
    sig = sig[:63]
class Zeros(io.RawIOBase):
    def __init__(self, n):
        self.n = n
    def readable(self):
        return True
    def readinto(self, b):
        k = min(len(b), self.n)
        b[:k] = bytes(k)
        self.n -= k
        return k
if mode == "bomb":
    # the header of a manifest of 200 MB and its zeros, the tar not ended
    with forge.open_tar(out) as tf:
        n = 200 * 1024 * 1024
        tf.addfile(forge.info("manifest.json", n), io.BufferedReader(Zeros(n)))
        sys.exit(0)
# the members, once the manifest is signed
if mode == "swap":
    members[0], members[1] = members[1], members[0]
elif mode == "missing":
    del members[blob]
elif mode == "middle":
    members.insert(1, ("notes.txt", b"hello"))
elif mode == "dotslash":
    members[0] = ("./" + members[0][0], members[0][1])
elif mode == "fifo":
    members[0] = forge.info(members[0][0], 0, tarfile.FIFOTYPE)
forge.write_tar(out, mb, sig, members)
PY

expect_ok 'setup: a commune bundle with two attachments, gzip and zstd' '
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-admin -d c.db catalog import "$CATALOG" >/dev/null &&
	dossier-admin -d p.db init --agency $P --name "Tỉnh" >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-admin -d z.db init --agency 000.00.44.H56 --name Z >/dev/null &&
	mkdir att && head -c 3000 /dev/urandom >att/a.pdf &&
	head -c 5000 /dev/urandom >att/b.pdf &&
	{ app r1 a.pdf; app r2 b.pdf; } |
	    dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db export --to $P -o good.bundle >/dev/null &&
	dossier-bundle -d c.db export --to $P -z zstd -o good.zst >/dev/null &&
	mkdir x && tar -xzf good.bundle -C x &&
	sec c.db.key sign.pem && sec z.db.key other.pem &&
	cp p.db p0.db && test "$(state)" = "0 0 0 0 0"'

# refused MODE TEXT [KEY]: import of the bundle built in MODE fails with
# TEXT, prints nothing and leaves the province as it was
refused() {
	python3 mk.py "$1" "$1.bundle" "${3:-sign.pem}" || exit 99
	dossier-bundle -d p.db import "$1.bundle" >out.json 2>err.txt; s=$?
	has "$2" err.txt && test ! -s out.json &&
	    test "$(state)" = "0 0 0 0 0" || exit 99
	exit "$s"
}
expect_code 65 'an event line of 2 MiB, held to 1 MiB' \
	'refused longline "events.jsonl:1: a line longer than 1048576 bytes"'
expect_code 65 'an attachment that no event of the bundle names' \
	'refused stray "an attachment that no event of the bundle names"'
expect_code 65 'an attachment whose bytes differ from its name' \
	'refused blobhash "does not have the SHA-256 the manifest lists"'
expect_code 65 'a member the manifest lists that is missing' \
	'refused missing "where the manifest lists"'
expect_code 65 'members out of the listed order' \
	'refused swap "where the manifest lists"'
expect_code 65 'a member not listed, between listed ones' \
	'refused middle "member '\''notes.txt'\'' where the manifest lists"'
expect_code 65 'a member named ./events.jsonl' \
	'refused dotslash "member '\''./events.jsonl'\'' where the manifest lists '\''events.jsonl'\''"'
expect_code 65 'a member listed twice' \
	'refused twice "listed twice"'
expect_code 65 'a manifest field this version does not know' \
	'refused unknownfield "comment"'
expect_code 65 'a signature of 63 bytes' \
	'refused shortsig "manifest.sig"'
expect_code 65 'a FIFO member' \
	'refused fifo "member '\''events.jsonl'\'' is not a regular file"'
expect_code 77 'the good manifest signed by another key' \
	'refused none "the signature is not by the key trusted for '\''$C'\''" other.pem'
expect_ok 'a manifest of 200 MB of zeros is refused at its header, at once' '
	python3 mk.py bomb bomb.bundle && test "$(wc -c <bomb.bundle)" -lt 1000000 &&
	/usr/bin/time -f "%e %M" -o time.txt dossier-bundle -d p.db import bomb.bundle 2>err.txt; s=$?
	test $s = 65 && has "member '\''manifest.json'\'' is larger than 16777216 bytes" err.txt &&
	tail -n 1 time.txt | awk "{ exit !(\$1 < 5 && \$2 < 65536) }" &&
	test "$(state)" = "0 0 0 0 0"'

# The attacks of t0610, through import this time.
expect_ok 'the hostile members of t0610 through import: refused, nothing imported' '
	sed -n "/^cat >mk.py <<.PY.$/,/^PY$/p" \
	    "$DOSSIER_ROOT/tests/t0610-bundle-attack.sh" | sed "1d;\$d" >mk610.py &&
	test -s mk610.py &&
	for m in hash extra larger traversal traversal2 absolute symlink hardlink device dir; do
		python3 mk610.py $m $m.bundle || exit 1
		dossier-bundle -d p.db import $m.bundle >out.json 2>err.txt; s=$?
		[ $s = 65 ] && test ! -s out.json ||
		    { echo "$m: exit $s"; cat err.txt; exit 1; }
		[ "$(state)" = "0 0 0 0 0" ] || { echo "$m: $(state)"; exit 1; }
	done'

# zstd: the real tools, then damage
expect_ok 'a zstd bundle: tar -t, sha256sum -c and openssl check it' '
	tar --zstd -tf good.zst >names.txt && head -n 2 names.txt >two.txt &&
	printf "manifest.json\nmanifest.sig\n" >want.txt && same want.txt two.txt &&
	mkdir z && tar --zstd -xf good.zst -C z &&
	jq -r ".entries[] | \"\(.sha256)  \(.name)\"" z/manifest.json >z/SUMS &&
	test "$(wc -l <z/SUMS)" = 3 && (cd z && sha256sum -c --quiet SUMS) &&
	pem "$(dossier-bundle -d c.db key | jq -r .public_key)" &&
	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in z/manifest.json \
	    -sigfile z/manifest.sig >ossl.txt && has "Signature Verified Successfully" ossl.txt'
expect_ok 'zstd: cut at every 512-byte boundary of the tar, recompressed: refused' '
	zstd -dcq good.zst >good.tar &&
	n=$(python3 -c "import sys; d = open(\"good.tar\", \"rb\").read().rstrip(b\"\\0\"); print((len(d) + 511) // 512)") &&
	test "$n" -gt 10 && i=0 &&
	while [ $i -lt "$n" ]; do
		head -c $((i * 512)) good.tar | zstd -qc >cut.zst
		dossier-bundle -d p.db import cut.zst >/dev/null 2>err.txt; s=$?
		[ $s = 65 ] || { echo "cut at block $i: exit $s"; exit 1; }
		i=$((i + 1))
	done && test "$(state)" = "0 0 0 0 0"'
expect_ok 'zstd: cut at every 61st byte of the compressed file: refused' '
	n=$(wc -c <good.zst) && i=0 &&
	while [ $i -lt "$n" ]; do
		head -c $i good.zst >cut.zst
		dossier-bundle -d p.db import cut.zst >/dev/null 2>err.txt; s=$?
		[ $s = 65 ] || { echo "cut at byte $i: exit $s"; cat err.txt; exit 1; }
		i=$((i + 61))
	done && test "$(state)" = "0 0 0 0 0"'
# libarchive writes zstd frames without a checksum: only the manifest's
# hashes catch a flip in a member.
expect_ok 'zstd: 200 random bit flips: refused, or the very same members' '
	dossier-bundle -d p.db list good.zst | sed 1d >good.list &&
	python3 -c "
import random
random.seed(615)
d = open(\"good.zst\", \"rb\").read()
for k in range(200):
    b = bytearray(d)
    i = random.randrange(len(b))
    b[i] ^= 1 << random.randrange(8)
    open(\"zflip%03d.zst\" % k, \"wb\").write(b)
" && ok=0 && for f in zflip*.zst; do
		dossier-bundle -d p.db verify "$f" >/dev/null 2>err.txt; s=$?
		case $s in
		65|77) ;;
		0) ok=$((ok + 1)); dossier-bundle -d p.db list "$f" | sed 1d >flip.list &&
		    same good.list flip.list || exit 1;;
		*) echo "$f: exit $s"; cat err.txt; exit 1;;
		esac
	done && echo "$ok of 200 passed with the same members"'
expect_ok 'after all of it, the good bundle imports, once' '
	dossier-bundle -d p.db import good.zst >imp.json &&
	jq -e ".events_new == 2 and .blobs_new == 2" imp.json >/dev/null &&
	test "$(state)" = "2 2 2 1 0" &&
	dossier-admin -d p.db check >check.json && jq -e .ok check.json >/dev/null'
finish
