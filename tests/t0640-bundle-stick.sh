#!/bin/sh
# dossier-bundle on a USB stick: a bundle too large for one FAT32 file is
# split into numbered parts, written under temporary names, that import,
# verify and list take together; a missing part, parts out of order or a
# part of another bundle import nothing.  --max-size caps what one export
# carries, the rest following in the next.
# The part size is made small with DOSSIER_BUNDLE_PART_SIZE.
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
snap() {
	sqlite3 "$1" "SELECT count(*) FROM events; SELECT count(*) FROM dossiers;
	    SELECT count(*) FROM blobs; SELECT count(*) FROM bundles_in"
}
B=${C}_${P}_000001.bundle

expect_ok 'setup: a commune with two dossiers and 100 KB of attachments, a province' '
	for o in c:$C p:$P; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null || exit 1
	done &&
	mkdir att stick &&
	head -c 50000 /dev/urandom >att/a.pdf && head -c 50000 /dev/urandom >att/b.pdf &&
	{ app r1 a.pdf; app r2 b.pdf; } | dossier-new -d c.db --attachments att >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null'
expect_ok 'a bundle larger than a part is split into numbered parts, no temporary file left' '
	DOSSIER_BUNDLE_PART_SIZE=40000 dossier-bundle -d c.db export --to $P -o stick/ >out.json &&
	jq -e ".parts == 3 and .file == \"stick/$B.001of003\"" out.json >/dev/null &&
	ls stick >names && printf "%s\n" $B.001of003 $B.002of003 $B.003of003 >want &&
	same want names &&
	test "$(wc -c <stick/$B.001of003)" = 40000 && test "$(wc -c <stick/$B.002of003)" = 40000'
expect_ok 'joined with cat, the parts are the bundle tar and sha256sum read' '
	cat stick/$B.001of003 stick/$B.002of003 stick/$B.003of003 >whole.bundle &&
	tar -tzf whole.bundle >t && test "$(wc -l <t)" = 5 &&
	dossier-bundle -d p.db verify whole.bundle >/dev/null'
expect_ok 'verify and list take any part' '
	dossier-bundle -d p.db verify stick/$B.002of003 >out.json &&
	jq -e ".members == 3 and .signed" out.json >/dev/null &&
	dossier-bundle -d p.db list stick/$B.003of003 >list.jsonl && test "$(wc -l <list.jsonl)" = 4'

mk_stick() {
	rm -rf s2 && mkdir s2 && cp stick/* s2/
}
expect_code 66 'a missing part imports nothing' '
	mk_stick && rm s2/$B.002of003 && snap p.db >before &&
	dossier-bundle -d p.db import s2/ >out.json 2>err.txt; s=$?
	snap p.db >after && same before after &&
	has "incomplete bundle: part 2 of 3" err.txt || exit 99; exit $s'
expect_code 65 'parts in the wrong order import nothing' '
	mk_stick && mv s2/$B.002of003 x && mv s2/$B.003of003 s2/$B.002of003 &&
	mv x s2/$B.003of003 && snap p.db >before &&
	dossier-bundle -d p.db import s2/$B.001of003 >out.json 2>err.txt; s=$?
	snap p.db >after && same before after && test ! -s out.json || exit 99; exit $s'
expect_code 65 'a part of another bundle imports nothing' '
	dossier-bundle -d c.db trust list >/dev/null &&
	app r3 a.pdf | dossier-new -d c.db --attachments att >/dev/null &&
	mkdir other && DOSSIER_BUNDLE_PART_SIZE=40000 dossier-bundle -d c.db export --to $P -o other/ >/dev/null &&
	mk_stick && cp other/*.002of003 s2/$B.002of003 && snap p.db >before &&
	dossier-bundle -d p.db import s2/$B.001of003 >out.json 2>err.txt; s=$?
	snap p.db >after && same before after && test ! -s out.json || exit 99; exit $s'
expect_code 65 'a part cut short imports nothing' '
	mk_stick && head -c 30000 stick/$B.002of003 >s2/$B.002of003 && snap p.db >before &&
	dossier-bundle -d p.db import s2/ >out.json 2>err.txt; s=$?
	snap p.db >after && same before after && test ! -s out.json || exit 99; exit $s'
expect_ok 'the whole stick imports, parts taken together' '
	dossier-bundle -d p.db import stick/ >out.json &&
	jq -e ".file == \"stick/$B.001of003\" and .events_new == 2 and .blobs_new == 2" out.json >/dev/null &&
	test "$(wc -l <out.json)" = 1'
expect_ok 'a bundle that fits in one part is one file' '
	mkdir one && DOSSIER_BUNDLE_PART_SIZE=1000000 dossier-bundle -d c.db export --to $P -o one/ >out.json &&
	jq -e ".parts == 1" out.json >/dev/null && ls one >names &&
	printf "%s\n" ${C}_${P}_000003.bundle >want && same want names'
expect_code 64 'a part size below 1024 is refused' '
	DOSSIER_BUNDLE_PART_SIZE=100 dossier-bundle -d c.db export --to $P -o small/'
expect_ok 'a write that fails leaves no part behind' '
	mkdir ro && chmod 555 ro &&
	{ DOSSIER_BUNDLE_PART_SIZE=40000 dossier-bundle -d c.db export --to $P -o ro/ 2>err.txt; test $? = 73 || test $? = 74 || test "$(id -u)" = 0; } &&
	chmod 755 ro && test -z "$(ls ro | grep -v "\.bundle\(\.[0-9]*of[0-9]*\)\{0,1\}$")"'

expect_ok '--max-size: the first export carries what fits, the next the rest' '
	dossier-admin -d q.db init --agency 000.00.10.H56 --name Q >/dev/null &&
	dossier-admin -d q.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle -d q.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add 000.00.10.H56 "$(dossier-bundle -d q.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db export --to 000.00.10.H56 --max-size 60K -o m1.bundle >out.json &&
	jq -e ".events == 1 and .blobs == 1" out.json >/dev/null &&
	dossier-bundle -d q.db import m1.bundle >/dev/null &&
	dossier-bundle -d q.db export --to $C -o ack.bundle >/dev/null &&
	dossier-bundle -d c.db import ack.bundle >/dev/null &&
	dossier-bundle -d c.db export --to 000.00.10.H56 --max-size 60K -o m2.bundle >out.json &&
	jq -e ".events == 1 and .blobs == 1" out.json >/dev/null &&
	dossier-bundle -d q.db import m2.bundle >out.json && jq -e ".events_new == 1" out.json >/dev/null'
expect_ok '--max-size smaller than one event still carries that event' '
	dossier-bundle -d c.db export --to 000.00.10.H56 --max-size 1 -o m3.bundle >out.json &&
	jq -e ".events == 1" out.json >/dev/null'
expect_ok 'a pipe named by -o is written, not renamed over' '
	mkfifo pipe.bundle &&
	{ timeout 20 cat pipe.bundle >piped.bundle & } &&
	dossier-bundle -d c.db export --to $P -o pipe.bundle >out.json && wait &&
	test -p pipe.bundle && test ! -s out.json &&
	dossier-bundle -d p.db verify piped.bundle >/dev/null'
expect_code 64 '--max-size must be a size' '
	dossier-bundle -d c.db export --to $P --max-size 3X -o m4.bundle'

expect_ok 'a folder says what it did not take: an export that did not finish, a pipe' '
	mkdir odd && head -c 5000 /dev/urandom >odd/${C}_${P}_000009.bundle.tmp &&
	mkfifo odd/${C}_${P}_000010.bundle &&
	timeout 20 dossier-bundle -d p.db import odd/ >out.json 2>err.txt &&
	jq -s -e "any(.[]; .file == \"odd/${C}_${P}_000009.bundle.tmp\" and
	    (.skipped | startswith(\"an export that did not finish\")))" out.json >/dev/null &&
	jq -s -e "any(.[]; .file == \"odd/${C}_${P}_000010.bundle\" and
	    .skipped == \"not a regular file\")" out.json >/dev/null &&
	has "odd/: no bundle for this office" err.txt'
expect_ok 'an empty folder says there was nothing for this office' '
	mkdir empty && dossier-bundle -d p.db import empty/ >out.json 2>err.txt &&
	test ! -s out.json && has "empty/: no bundle for this office" err.txt'

finish
