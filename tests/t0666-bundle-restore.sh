#!/bin/sh
# dossier-bundle between a province and a commune when either is restored
# from a backup, or a peer is trusted again: a commune that takes a bundle
# built on one it lost asks for a resync and gets every event it lacks,
# even of a dossier that does not change again; the word of a commune
# restored, under numbers it used before, is the one taken, from a file or
# a folder; a bundle replaced by a restored province's later one does not
# bring back its older calendar; a peer removed and added again is sent
# bundles under new numbers.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

up() {
	dossier-bundle -d c.db export --to "$P" -o "u$1.bundle" >/dev/null &&
	dossier-bundle -d p.db import "u$1.bundle" >/dev/null
}
down() {
	dossier-bundle -d p.db export --to "$C" -o "d$1.bundle" >/dev/null &&
	dossier-bundle -d c.db import "d$1.bundle" >/dev/null
}
# restore DB FROM: DB becomes the backup FROM
restore() {
	rm -f "$1-wal" "$1-shm" && cp "$2" "$1"
}
# events DB REF: the province's events of REF that DB holds
events() {
	sqlite3 "$1" "SELECT seq || action FROM events WHERE origin = '$P'
	    AND dossier = (SELECT uuid FROM dossiers WHERE ref = '$2')
	    ORDER BY seq" | tr '\n' ' '
}

expect_ok 'setup: a province and a commune; a dossier handed up' '
	pair &&
	app r1 1.001731 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	route c.db chien.hv start r1 >/dev/null &&
	route c.db chien.hv next r1 -H tuan.lm >/dev/null &&
	route c.db tuan.lm next r1 >/dev/null &&
	up 1 && down 1 && up 2 && sqlite3 c.db ".backup c0.db"'
expect_ok 'a commune restored refuses a bundle built on one it lost, and takes nothing of it' '
	route p.db thao.ltp next r1 -H hung.lv >/dev/null &&
	down 2 && up 3 && test "$(events c.db r1)" = "1next " &&
	restore c.db c0.db && test -z "$(events c.db r1)" &&
	route p.db hung.lv finish r1 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d3.bundle >/dev/null &&
	snap c.db >before &&
	{ dossier-bundle -d c.db import d3.bundle >out.json 2>err.txt; test $? = 65; } &&
	has "bundle 3 of '\''$P'\'' extends its bundle 2, which this office does not hold" err.txt &&
	test ! -s out.json && snap c.db >after && same before after'
expect_ok '... and once it says what it holds, gets every event it lacks, in order' '
	dossier-bundle -d c.db export --to $P -o u3b.bundle >out.json &&
	jq -e ".seq == 3" out.json >/dev/null &&
	dossier-bundle -d p.db import u3b.bundle >/dev/null &&
	test "$(sqlite3 p.db "SELECT held_seq FROM peers")" = 1 &&
	down 4 &&
	test "$(events c.db r1)" = "1next 2finish " &&
	test "$(sqlite3 c.db "SELECT count(*) FROM conflicts")" = 0 &&
	test "$(col c.db r1 owner)" = $C && test "$(col c.db r1 status)" = 9 &&
	dossier-admin -d c.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'the refused bundle, taken again after a later one, is skipped: the later one carried it' '
	snap c.db >before &&
	dossier-bundle -d c.db import d3.bundle >out.json &&
	jq -e ".seq == 3 and .skipped == \"a later bundle from it was taken\"" out.json >/dev/null &&
	snap c.db >after && same before after &&
	mkdir stick && cp d3.bundle stick/${P}_${C}_000003.bundle &&
	dossier-bundle -d c.db import stick/ >out.json &&
	jq -s -e "any(.[]; .seq == 3 and .skipped != null)" out.json >/dev/null'

# The commune takes the province's bundle 5 and says so in its bundles 4
# and 5 (5 from a folder); then it is restored from a backup taken before
# all three and writes its bundles 4 and 5 again.
held() {
	test "$(sqlite3 p.db "SELECT held_seq FROM peers")" = "$1"
}
expect_ok 'a restored commune'\''s bundle under a number used before is its word, from a folder too' '
	sqlite3 c.db ".backup c1.db" && down 5 && up 4 && held 5 &&
	mkdir inbox && dossier-bundle -d c.db export --to $P -o inbox/ >out.json &&
	jq -e ".seq == 5" out.json >/dev/null &&
	dossier-bundle -d p.db import inbox/ >out.jsonl && held 5 &&
	sleep 1 && restore c.db c1.db &&
	dossier-bundle -d c.db export --to $P -o u4b.bundle >out.json &&
	jq -e ".seq == 4" out.json >/dev/null &&
	dossier-bundle -d p.db import u4b.bundle >/dev/null && held 4 &&
	dossier-bundle -d c.db export --to $P -o inbox/ >out.json &&
	jq -e ".seq == 5" out.json >/dev/null &&
	dossier-bundle -d p.db import inbox/ >out.jsonl &&
	! grep -q skipped out.jsonl && jq -s -e "any(.[]; .seq == 5)" out.jsonl >/dev/null &&
	held 4 &&
	dossier-bundle -d p.db import inbox/ >out.jsonl && has "imported before" out.jsonl'
expect_ok 'the bundle it replaced, taken again, is not its word' '
	dossier-bundle -d p.db import u4.bundle >/dev/null && held 4'

# The province is restored from a backup taken before its next bundle,
# adds a holiday, and writes a bundle under that number again.
expect_ok 'a bundle of a restored province replaced by its later one does not bring back the older calendar' '
	sqlite3 p.db ".backup p0.db" &&
	dossier-bundle -d p.db export --to $C -o old8.bundle >/dev/null &&
	dossier-bundle -d c.db import old8.bundle >/dev/null &&
	sleep 1 && restore p.db p0.db &&
	echo "{\"date\":\"2027-03-03\",\"kind\":\"holiday\",\"name\":\"Ngày mới\"}" >cal.jsonl &&
	dossier-admin -d p.db calendar import cal.jsonl >/dev/null &&
	dossier-bundle -d p.db export --to $C -o new8.bundle >out.json &&
	n=$(jq .seq out.json) &&
	dossier-bundle -d c.db import new8.bundle >out.json &&
	jq -e ".calendar_days > 0" out.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(*) FROM calendar_overrides WHERE day = '\''2027-03-03'\''")" = 1 &&
	dossier-bundle -d c.db import old8.bundle >out.json &&
	jq -e ".calendar_days == 0 and .events_new == 0" out.json >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(*) FROM calendar_overrides WHERE day = '\''2027-03-03'\''")" = 1 &&
	test "$(sqlite3 c.db "SELECT manifest FROM bundles_in WHERE bundle_seq = $n")" = \
	    "$(tar -xzOf new8.bundle manifest.json | sha256sum | cut -d" " -f1)" &&
	gzip -dc new8.bundle | gzip -9 >again8.bundle && ! cmp -s new8.bundle again8.bundle &&
	dossier-bundle -d c.db import again8.bundle >out.json &&
	jq -e ".calendar_days == 0 and .events_new == 0" out.json >/dev/null'

# fwd REF: a dossier the province receives and hands to the commune
fwd() {
	app "$1" 1.001193 000.00.01.H56 | dossier-new -d p.db --as an.nv >/dev/null &&
	route p.db an.nv forward "$1" -t 000.03.27.H56 >/dev/null
}
# Bundle A, taken by the commune and then moved off its stick, and
# bundle B, built on A; the commune is restored from a backup taken
# before it took A.
expect_ok 'setup: bundles A and B, the commune restored to before A' '
	up 10 && sqlite3 c.db ".backup c2.db" &&
	mkdir sa sb &&
	fwd q1 && dossier-bundle -d p.db export --to $C -o sa/ >/dev/null &&
	dossier-bundle -d c.db import sa/ >/dev/null && up 11 &&
	fwd q2 && dossier-bundle -d p.db export --to $C -o sb/ >/dev/null &&
	rm -rf B && mkdir B && tar -xzf sb/*.bundle -C B &&
	test "$(jq .base.seq B/sync.jsonl)" = "$(tar -xzOf sa/*.bundle manifest.json | jq .seq)" &&
	restore c.db c2.db'
expect_ok 'a dry run of a folder holding A and B: B counts A as held' '
	mkdir s1 && cp sa/*.bundle sb/*.bundle s1/ &&
	snap c.db >before &&
	dossier-bundle -d c.db import --dry-run s1/ >out.jsonl &&
	test "$(jq -s "map(select(.dry_run)) | length" out.jsonl)" = 2 &&
	snap c.db >after && same before after'
expect_ok 'a folder holding B alone: B is skipped and said, the bundle after it taken' '
	mkdir s2 && cp sb/*.bundle s2/ &&
	up 12 &&
	fwd q3 && dossier-bundle -d p.db export --to $C -o s2/ >/dev/null &&
	{ dossier-bundle -d c.db import s2/ >out.jsonl 2>err.txt; test $? = 65; } &&
	has "does not hold" err.txt &&
	jq -s -e "any(.[]; .skipped == \"built on a bundle this office does not hold\")" out.jsonl >/dev/null &&
	jq -s -e "any(.[]; .events_new == 6)" out.jsonl >/dev/null &&
	for r in q1 q2 q3; do test "$(events c.db $r)" = "$(events p.db $r)" || exit 1; done'

expect_ok 'export --whole: every dossier that concerns the commune, from its first event, on no base' '
	dossier-bundle -d p.db export --to $C --whole -o w.bundle >/dev/null &&
	rm -rf w && mkdir w && tar -xzf w.bundle -C w && test ! -e w/sync.jsonl &&
	test "$(jq -r "select(.origin == \"$P\") | .seq" w/events.jsonl | sort -n | tr "\n" " ")" = \
	    "$(sqlite3 p.db "SELECT seq FROM events WHERE origin = '\''$P'\'' ORDER BY seq" | tr "\n" " ")" &&
	dossier-bundle -d c.db import w.bundle >out.json &&
	jq -e ".conflicts == 0" out.json >/dev/null &&
	dossier-bundle -d p.db trust list | jq -e ".held_seq == 0" >/dev/null &&
	fwd q4 && down 20 &&
	for r in r1 q1 q2 q3 q4; do test "$(events c.db $r)" = "$(events p.db $r)" || exit 1; done'

expect_ok 'export --whole up: every event of the commune again, which the province holds' '
	dossier-bundle -d c.db export --to $P --whole -o wu.bundle >out.json &&
	test "$(jq .events out.json)" = "$(sqlite3 c.db "SELECT count(*) FROM events WHERE origin = '\''$C'\''")" &&
	dossier-bundle -d p.db import wu.bundle >out.json &&
	jq -e ".events_new == 0 and .conflicts == 0" out.json >/dev/null'

expect_ok 'a commune removed from the trust list and added again is sent bundles under new numbers' '
	n=$(dossier-bundle -d p.db trust list | jq .sent_seq) &&
	dossier-bundle -d p.db trust remove $C >/dev/null &&
	dossier-bundle -d p.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d9.bundle >out.json &&
	jq -e --argjson n "$n" ".seq == \$n + 1" out.json >/dev/null &&
	dossier-bundle -d c.db import d9.bundle >out.json &&
	jq -e ".events_new == 0 and .conflicts == 0" out.json >/dev/null'

finish
