#!/bin/sh
# dossier-bundle: hostile and damaged bundles are refused as a whole,
# saying what failed: truncation, bit flips, foreign keys, members not in
# the manifest or not matching it, paths that leave the bundle, links,
# devices, and members larger than declared.  The hostile tars are built
# with python3's tarfile module and signed with openssl, so that the
# signature is good and only the member is wrong.
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

cat >mk.py <<'PY'
# mk.py MODE OUT: a bundle from the members in x/, damaged as MODE says,
# its manifest signed by the key in sign.pem (forge.py)
import sys, tarfile
import forge
mode, out = sys.argv[1], sys.argv[2]
man, members = forge.load("x")
extra = []
if mode == "hash":
    n, d = members[0]
    members[0] = (n, bytes([d[0] ^ 1]) + d[1:])
elif mode == "extra":
    extra.append(("notes.txt", b"hello"))
elif mode == "larger":
    n, d = members[0]
    members[0] = (n, d + b"x" * 4096)
elif mode == "tamper":
    man["to"] = "000.00.99.H56"
mb = forge.dump(man)
sig = forge.sign(mb, "sign.pem")
# the first member, once the manifest is signed
n, d = members[0]
if mode in ("traversal", "traversal2", "absolute"):
    n = {"traversal": "../events.jsonl",
         "traversal2": "blobs/../../events.jsonl",
         "absolute": "/tmp/events.jsonl"}[mode]
    members[0] = (n, d)
elif mode == "symlink":
    members[0] = forge.info(n, 0, tarfile.SYMTYPE, "/etc/passwd")
elif mode == "hardlink":
    members[0] = forge.info(n, 0, tarfile.LNKTYPE, "manifest.json")
elif mode == "device":
    members[0] = forge.info(n, 0, tarfile.CHRTYPE)
    members[0].devmajor, members[0].devminor = 1, 3
elif mode == "dir":
    members[0] = forge.info(n, 0, tarfile.DIRTYPE)
forge.write_tar(out, mb, sig, members + extra)
PY

expect_ok 'setup: a commune bundle to the province, and its members' '
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-admin -d c.db catalog import "$CATALOG" >/dev/null &&
	dossier-admin -d p.db init --agency $P --name "Tỉnh" >/dev/null &&
	dossier-admin -d z.db init --agency 000.00.44.H56 --name Z >/dev/null &&
	mkdir att && head -c 3000 /dev/urandom >att/scan.pdf &&
	{ app r1; app r2; } | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db export --to $P -o good.bundle >/dev/null &&
	dossier-bundle -d p.db verify good.bundle >/dev/null &&
	mkdir x && tar -xzf good.bundle -C x &&
	sec c.db.key sign.pem && sec z.db.key other.pem'
expect_ok 'a bundle rebuilt by python with the right key verifies' '
	python3 mk.py none py.bundle && dossier-bundle -d p.db verify py.bundle >/dev/null'

# refused MODE TEXT [KEY]: the bundle built in MODE is refused with TEXT
refused() {
	cp "${3:-sign.pem}" sign.pem.use && mv sign.pem sign.pem.keep &&
	cp sign.pem.use sign.pem && python3 mk.py "$1" "$1.bundle"; r=$?
	mv sign.pem.keep sign.pem; [ "$r" = 0 ] || exit 99
	dossier-bundle -d p.db verify "$1.bundle" >out.json 2>err.txt; s=$?
	has "$2" err.txt && test ! -s out.json || exit 99
	exit "$s"
}
expect_code 65 'a member whose bytes do not match the manifest' \
	'refused hash "member '\''events.jsonl'\'' does not have the SHA-256 the manifest lists"'
expect_code 65 'a member not in the manifest' \
	'refused extra "member '\''notes.txt'\'' not in the manifest"'
expect_code 65 'a member larger than declared' \
	'refused larger "member '\''events.jsonl'\'' has"'
expect_code 65 'a path with ..' \
	'refused traversal "member '\''../events.jsonl'\'': a path with '\''..'\''"'
expect_code 65 'a path with .. further in' \
	'refused traversal2 "member '\''blobs/../../events.jsonl'\'': a path with"'
expect_code 65 'an absolute path' \
	'refused absolute "member '\''/tmp/events.jsonl'\'': an absolute path"'
expect_code 65 'a symbolic link' \
	'refused symlink "member '\''events.jsonl'\'' is a symbolic link"'
expect_code 65 'a hard link' \
	'refused hardlink "member '\''events.jsonl'\'' is a hard link"'
expect_code 65 'a device' \
	'refused device "member '\''events.jsonl'\'' is not a regular file"'
expect_code 65 'a directory' \
	'refused dir "member '\''events.jsonl/'\'' where the manifest lists"'
expect_code 77 'a tampered manifest re-signed by another key' \
	'refused tamper "the signature is not by the key trusted for '\''$C'\''" other.pem'
expect_code 77 'a bundle from an office not trusted' '
	dossier-bundle -d z.db verify good.bundle 2>err.txt; s=$?
	has "bundle from '\''$C'\'', which is not in the trust list" err.txt || exit 99
	exit $s'
expect_code 65 'a zip file is not a bundle' '
	python3 -c "import zipfile; zipfile.ZipFile(\"a.zip\", \"w\").writestr(\"manifest.json\", \"{}\")" &&
	dossier-bundle -d p.db verify a.zip 2>err.txt; s=$?
	has "a.zip" err.txt || exit 99; exit $s'
# The signed manifest, not the tar trailer, says when a bundle is whole:
# a cut in the zero blocks after the last member loses nothing.
expect_ok 'cut at every 512-byte boundary of the tar, recompressed: all refused' '
	gzip -dc good.bundle >good.tar &&
	n=$(python3 -c "import sys; d = open(\"good.tar\", \"rb\").read().rstrip(b\"\\0\"); print((len(d) + 511) // 512)") &&
	test "$n" -gt 10 && i=0 &&
	while [ $i -lt "$n" ]; do
		head -c $((i * 512)) good.tar | gzip >cut.bundle
		dossier-bundle -d p.db verify cut.bundle >/dev/null 2>err.txt; s=$?
		[ $s = 65 ] || { echo "cut at block $i: exit $s"; exit 1; }
		i=$((i + 1))
	done'
expect_ok 'cut at every 97th byte of the compressed file: all refused' '
	n=$(wc -c <good.bundle) && i=0 &&
	while [ $i -lt "$n" ]; do
		head -c $i good.bundle >cut.bundle
		dossier-bundle -d p.db verify cut.bundle >/dev/null 2>err.txt; s=$?
		[ $s = 65 ] || { echo "cut at byte $i: exit $s"; cat err.txt; exit 1; }
		i=$((i + 97))
	done'
# A flip outside every member (the gzip trailer, tar padding) changes no
# content: such a bundle may pass, with exactly the members of the good one.
expect_ok '300 random bit flips: refused, or the very same members' '
	dossier-bundle -d p.db list good.bundle | sed 1d >good.list &&
	python3 -c "
import random, sys
random.seed(15)
d = open(\"good.bundle\", \"rb\").read()
for k in range(300):
    b = bytearray(d)
    i = random.randrange(len(b))
    b[i] ^= 1 << random.randrange(8)
    open(\"flip%03d.bundle\" % k, \"wb\").write(b)
" && for f in flip*.bundle; do
		dossier-bundle -d p.db verify "$f" >/dev/null 2>err.txt; s=$?
		case $s in
		65|77) ;;
		0) dossier-bundle -d p.db list "$f" | sed 1d >flip.list &&
		    same good.list flip.list || exit 1;;
		*) echo "$f: exit $s"; cat err.txt; exit 1;;
		esac
	done'
finish
