#!/bin/sh
# dossier-bundle between three offices, a province, a district and a
# remote commune: the commune receives dossiers and hands one to the
# province on a bundle (next into a step of a province department), the
# province processes it with its own staff and the finish hands it back,
# the commune returns the result against its receipt; the province sees
# every dossier of the commune and the district, the totals agree; the
# same through a pipe; a lost bundle made good by a later one; a replayed
# bundle; an event of an office that did not own the dossier, kept as a
# conflict and not applied; a forward to a department of the province; a
# dossier of the province handed down to the commune and back; a province
# whose database is its service centre.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup

expect_ok 'setup: three offices with the catalog and a district, trusting each other' '
	{ cat "$CATALOG"
	  echo "{\"kind\":\"unit\",\"code\":\"$D\",\"name\":\"UBND huyện Mường Lát\",\"level\":\"district\",\"parent\":\"$P\",\"remote\":true}"
	  echo "{\"kind\":\"staff\",\"login\":\"kim.dt\",\"name\":\"Đinh Thị Kim\",\"unit\":\"$D\",\"roles\":[\"reception\",\"specialist\"]}"
	} >cat.jsonl &&
	for o in p:$P d:$D c:$C; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import cat.jsonl >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db trust add $C "$(key c.db)" >/dev/null &&
	dossier-bundle -d p.db trust add $D "$(key d.db)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(key p.db)" >/dev/null &&
	dossier-bundle -d d.db trust add $P "$(key p.db)" >/dev/null'

expect_ok 'the commune receives dossiers, the district one' '
	{ app r1 1.001731 $C; app r2 1.001193 $C; app r3 1.001731 $C
	  app r4 1.001731 $C; } | dossier-new -d c.db --as chien.hv >/dev/null &&
	app k1 1.001193 $D | dossier-new -d d.db --as kim.dt >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(*) FROM dossiers WHERE owner = '\''$C'\''")" = 4'
expect_ok 'next into the step of a province department hands the dossier to the province' '
	for r in r1 r3 r4; do
		route c.db chien.hv start $r >/dev/null &&
		route c.db chien.hv next $r -H tuan.lm >/dev/null &&
		route c.db tuan.lm next $r >out.json || exit 1
	done &&
	jq -e ".owner == \"$P\" and .step == 3 and .handler == null and .status == 4" out.json >/dev/null &&
	sqlite3 c.db "SELECT json_extract(payload, '\''$.handoff'\''), json_extract(payload, '\''$.to'\'')
	    FROM events WHERE action = '\''next'\'' ORDER BY id DESC LIMIT 1" >h && has "1|$P" h'
expect_code 77 'the commune may no longer change it' '
	route c.db chien.hv back r1 -r x 2>err.txt; s=$?
	has "handed to office $P" err.txt || exit 99; exit $s'
expect_ok 'the commune'\''s bundle brings the province every dossier, and the hand-off' '
	dossier-bundle -d c.db export --to $P -o u1.bundle >/dev/null &&
	dossier-bundle -d p.db import u1.bundle >out.json &&
	jq -e ".dossiers_new == 4 and .conflicts == 0" out.json >/dev/null &&
	test "$(col p.db r1 owner)" = $P && test "$(col p.db r2 owner)" = $C &&
	same_rows r1 && same_rows r2'
expect_code 77 'the province may not change a dossier the commune owns' '
	route p.db an.nv request_supplement r2 -r x 2>err.txt; s=$?
	has "handed to office $C" err.txt || exit 99; exit $s'
expect_ok 'the province processes it with its own staff; finish hands it back' '
	route p.db thao.ltp next r1 -H hung.lv >out.json &&
	jq -e ".owner == \"$P\" and .step == 4 and .handler == \"hung.lv\"" out.json >/dev/null &&
	route p.db hung.lv finish r1 >out.json &&
	jq -e ".status == 9 and .owner == \"$C\" and .handler == null" out.json >/dev/null'
expect_ok 'the bundle down carries the province'\''s events of the dossier and not the others'\'' ' '
	route p.db thao.ltp next r4 -H hung.lv >/dev/null &&
	app p1 1.001193 000.00.01.H56 | dossier-new -d p.db --as an.nv >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d1.bundle >out.json &&
	dossier-bundle -d c.db list d1.bundle >l.jsonl &&
	head -n 1 l.jsonl | jq -e ".ranges == [{\"origin\":\"$P\",\"first\":1,\"last\":3}]" >/dev/null &&
	mkdir x1 && tar -xzf d1.bundle -C x1 &&
	test "$(jq -r .dossier x1/events.jsonl | sort -u | wc -l)" = 2 &&
	! grep -q "\"action\":\"receive\"" x1/events.jsonl'
expect_ok 'the commune takes the result back and returns it against its receipt' '
	dossier-bundle -d c.db import d1.bundle >out.json &&
	jq -e ".events_new == 3 and .dossiers_new == 0 and .conflicts == 0" out.json >/dev/null &&
	test "$(col c.db r1 status)" = 9 && test "$(col c.db r1 owner)" = $C &&
	test "$(col c.db r4 step)" = 4 &&
	route c.db chien.hv return r1 >out.json &&
	jq -e ".status == 10 and .code == \"$(code c.db r1)\"" out.json >/dev/null &&
	dossier-admin -d c.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'the due time and the clock followed the dossier' '
	dossier-bundle -d c.db export --to $P -o u2.bundle >/dev/null &&
	dossier-bundle -d p.db import u2.bundle >out.json &&
	jq -e ".events_new == 1 and .conflicts == 0" out.json >/dev/null &&
	same_rows r1 && same_rows r2 && same_rows r4 &&
	test "$(col p.db r1 due_at)" = "$(col c.db r1 due_at)" &&
	test "$(col p.db r1 status)" = 10'
expect_ok 'the district'\''s dossier reaches the province too' '
	dossier-bundle -d d.db export --to $P -o k1.bundle >/dev/null &&
	dossier-bundle -d p.db import k1.bundle >out.json &&
	jq -e ".dossiers_new == 1" out.json >/dev/null &&
	dossier-bundle -d p.db export --to $D -o kd.bundle >/dev/null &&
	dossier-bundle -d d.db import kd.bundle >out.json &&
	jq -e ".events == 0" out.json >/dev/null'
expect_ok 'the province'\''s lookups and report see the commune'\''s dossiers; the totals agree' '
	dossier-status -d p.db --unit $C >pc.jsonl && test "$(wc -l <pc.jsonl)" = 4 &&
	dossier-status -d p.db "$(code d.db k1)" >k.jsonl && jq -e ".owner == \"$D\"" k.jsonl >/dev/null &&
	dossier-status -d p.db --name "lo thi hoa" >n.jsonl && test "$(wc -l <n.jsonl)" = 6 &&
	m=$(date +%Y-%m) &&
	dossier-report -d c.db --period month --of "$m" >rc.jsonl &&
	dossier-report -d p.db --period month --of "$m" --unit $C >rp.jsonl &&
	jq -c "del(.as_of)" rc.jsonl >rc.cmp && jq -c "del(.as_of)" rp.jsonl >rp.cmp &&
	same rc.cmp rp.cmp &&
	dossier-report -d p.db --period month --of "$m" >all.jsonl &&
	jq -e "select(.key == null) | .intake == 6" all.jsonl >/dev/null &&
	for db in p.db d.db; do dossier-admin -d $db check >check.json &&
		jq -e ".ok" check.json >/dev/null || exit 1; done'

expect_ok 'the same cycle through a pipe' '
	{ dossier-bundle -d c.db export --to $P; echo $? >st; } |
	    dossier-bundle -d p.db import - >out.json && test "$(cat st)" = 0 &&
	route p.db thao.ltp next r3 -H hung.lv >/dev/null &&
	route p.db hung.lv finish r3 >/dev/null &&
	{ dossier-bundle -d p.db export --to $C; echo $? >st; } |
	    dossier-bundle -d c.db import - >out.json && test "$(cat st)" = 0 &&
	jq -e ".events_new == 2" out.json >/dev/null &&
	route c.db chien.hv return r3 >/dev/null &&
	{ dossier-bundle -d c.db export --to $P; echo $? >st; } |
	    dossier-bundle -d p.db import - >out.json && test "$(cat st)" = 0 &&
	same_rows r3 && test "$(col p.db r3 status)" = 10'
expect_ok 'a lost bundle down, made good by the next one' '
	route p.db hung.lv finish r4 >/dev/null &&
	dossier-bundle -d p.db export --to $C -o lost.bundle >/dev/null &&
	rm lost.bundle &&
	dossier-bundle -d p.db export --to $C -o d3.bundle >out.json &&
	dossier-bundle -d c.db import d3.bundle >out.json &&
	jq -e ".events_new == 1" out.json >/dev/null &&
	test "$(col c.db r4 status)" = 9 && test "$(col c.db r4 owner)" = $C'
expect_ok 'a replayed bundle changes nothing' '
	snap c.db >before &&
	dossier-bundle -d c.db import d3.bundle >out.json &&
	jq -e ".events_new == 0 and .dossiers_new == 0" out.json >/dev/null &&
	snap c.db >after && same before after &&
	sqlite3 c.db "SELECT sha256 FROM bundles_in WHERE bundle_seq = (SELECT max(bundle_seq) FROM bundles_in)" >got &&
	sha256sum d3.bundle | cut -d" " -f1 >want && same want got'

expect_ok 'setup: a dossier handed to the province, then changed by the commune from a row restored by hand' '
	app r5 1.001731 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	route c.db chien.hv start r5 >/dev/null &&
	route c.db chien.hv next r5 -H tuan.lm >/dev/null &&
	route c.db tuan.lm next r5 >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u5.bundle >/dev/null &&
	dossier-bundle -d p.db import u5.bundle >/dev/null &&
	sqlite3 c.db "UPDATE dossiers SET owner = '\''$C'\'' WHERE ref = '\''r5'\''" &&
	route c.db chien.hv back r5 -r "trả lại" >/dev/null &&
	app r6 1.001193 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u6.bundle >/dev/null'
expect_code 1 'an event of an office that did not own the dossier is kept as a conflict, not applied' '
	dossier-bundle -d p.db import u6.bundle >out.json 2>err.txt; s=$?
	jq -e ".events_new == 1 and .dossiers_new == 1 and .conflicts == 1" out.json >/dev/null &&
	has "1 event not applied" err.txt &&
	test "$(col p.db r5 step)" = 3 && test "$(col p.db r5 owner)" = $P &&
	test "$(col p.db r6 owner)" = $C || exit 99
	exit $s'
expect_ok 'dossier-bundle conflicts lists it, with the reason' '
	dossier-bundle -d p.db conflicts >conf.jsonl &&
	test "$(wc -l <conf.jsonl)" = 1 &&
	jq -e ".origin == \"$C\" and .action == \"back\" and .owner == \"$P\" and
	    .code == \"$(code c.db r5)\" and .sender == \"$C\" and
	    .reason == \"dossier owned by $P\"" conf.jsonl >/dev/null &&
	dossier-admin -d p.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'the chain goes on through the conflict; a replay counts it once' '
	snap p.db >before &&
	dossier-bundle -d p.db import u6.bundle >out.json &&
	jq -e ".conflicts == 0 and .events_new == 0" out.json >/dev/null &&
	snap p.db >after && same before after &&
	app r7 1.001193 $C | dossier-new -d c.db --as chien.hv >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u7.bundle >/dev/null &&
	dossier-bundle -d p.db list u7.bundle >l.jsonl &&
	dossier-bundle -d p.db import u7.bundle >out.json &&
	jq -e ".events_new == 1 and .conflicts == 0" out.json >/dev/null'
expect_ok 'a forward to a province department hands the dossier to the province, which returns it' '
	route c.db chien.hv forward r7 -t 000.00.11.H56 >out.json &&
	jq -e ".owner == \"$P\" and .status == 2" out.json >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u8.bundle >/dev/null &&
	dossier-bundle -d p.db import u8.bundle >/dev/null &&
	route p.db an.nv start r7 -H thao.ltp >/dev/null &&
	route p.db thao.ltp next r7 -H hung.lv >/dev/null &&
	route p.db hung.lv finish r7 >out.json &&
	jq -e ".status == 9 and .owner == \"$C\"" out.json >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d8.bundle >/dev/null &&
	dossier-bundle -d c.db import d8.bundle >out.json &&
	route c.db chien.hv return r7 >out.json &&
	jq -e ".status == 10" out.json >/dev/null'
expect_ok 'a dossier the province receives, handed to the commune, goes there with its history and comes back' '
	route p.db an.nv forward p1 -t 000.03.27.H56 >out.json &&
	jq -e ".owner == \"$C\"" out.json >/dev/null &&
	dossier-bundle -d p.db export --to $C -o d9.bundle >/dev/null &&
	dossier-bundle -d c.db import d9.bundle >out.json &&
	jq -e ".dossiers_new == 1 and .conflicts == 0" out.json >/dev/null &&
	test "$(col c.db p1 owner)" = $C &&
	test "$(col c.db p1 due_at)" = "$(col p.db p1 due_at)" &&
	route c.db chien.hv start p1 >/dev/null &&
	route c.db chien.hv next p1 -H tuan.lm >/dev/null &&
	route c.db tuan.lm finish p1 >out.json &&
	jq -e ".status == 9 and .owner == \"$P\"" out.json >/dev/null &&
	dossier-bundle -d c.db export --to $P -o u9.bundle >/dev/null &&
	dossier-bundle -d p.db import u9.bundle >out.json &&
	jq -e ".conflicts == 0" out.json >/dev/null &&
	route p.db an.nv return p1 >out.json &&
	jq -e ".status == 10" out.json >/dev/null &&
	dossier-admin -d p.db check >check.json && jq -e ".ok" check.json >/dev/null'
expect_ok 'a province whose database is its service centre takes the steps of its departments' '
	Q=000.00.01.H56 K=000.00.23.H56 &&
	for o in q:$Q k:$K; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import cat.jsonl >/dev/null || exit 1
	done &&
	dossier-bundle -d q.db trust add $K "$(key k.db)" >/dev/null &&
	dossier-bundle -d k.db trust add $Q "$(key q.db)" >/dev/null &&
	app s1 1.001731 $K | dossier-new -d k.db --as chien.hv >/dev/null &&
	route k.db chien.hv start s1 >/dev/null &&
	route k.db chien.hv next s1 -H tuan.lm >/dev/null &&
	route k.db tuan.lm next s1 >out.json &&
	jq -e ".owner == \"$Q\" and .step == 3" out.json >/dev/null &&
	dossier-bundle -d k.db export --to $Q -o s1.bundle >/dev/null &&
	dossier-bundle -d q.db import s1.bundle >/dev/null &&
	route q.db thao.ltp next s1 -H hung.lv >out.json &&
	jq -e ".owner == \"$Q\" and .step == 4" out.json >/dev/null &&
	route q.db hung.lv finish s1 >out.json &&
	jq -e ".owner == \"$K\" and .status == 9" out.json >/dev/null &&
	test "$(sqlite3 q.db "SELECT count(*) FROM events WHERE origin = '\''$Q'\''
	    AND action = '\''next'\'' AND json_extract(payload, '\''$.handoff'\'')")" = 0'

finish
