#!/bin/sh
# dossier-report --by unit rolls the units up along the unit tree, and
# dossier-report merge sums the reports of two offices by key and
# computes the rates again.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
H=+07:00
export H

# app REF PROC UNIT TIME [CHANNEL]
app() {
	application "$1" "$2" unit="$3" at="$4" channel="${5:-direct}" \
	    name="Lê Thị Hoa" address="Phường Hạc Thành"
}
# route DB LOGIN TIME ACTION REF [OPTION ...]
route() {
	_db=$1 _as=$2 _at=$3 _action=$4 _ref=$5
	shift 5
	dossier-route -d "$_db" --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(jq -r --arg r "$_ref" 'select(.ref == $r) | .code' "$_db.new")" \
	    >/dev/null
}
# done3 DB REF AT1 AT2: the three steps of 1.001022, finished at AT2
done3() {
	route "$1" an.nv "$3" start "$2" -H hai.pm &&
	route "$1" hai.pm "$3" next "$2" -H hung.lv &&
	route "$1" hung.lv "$3" next "$2" -H mai.vt &&
	route "$1" mai.vt "$4" finish "$2"
}
office() {
	dossier-admin -d "$1" init --agency "$2" --name "$3" >/dev/null &&
	dossier-admin -d "$1" catalog import "$CATALOG" >/dev/null
}

# Office a: a1 in the one-stop section of the ward, on time (finished on
# its due day); a2 at the provincial centre, early.  Office b: b1 online
# in the section, overdue at the end of March; b2 at the ward, late.
expect_ok 'setup: two offices, two dossiers each' '
	office a.db 000.00.01.H56 "Trung tâm Phục vụ hành chính công" &&
	office b.db 000.00.21.H56 "UBND phường Hạc Thành" &&
	{ app a1 1.001022 000.01.21.H56 2026-03-09T09:00:00$H
	  app a2 1.001022 000.00.01.H56 2026-03-09T09:00:00$H; } |
	    dossier-new -d a.db --as an.nv >a.db.new &&
	{ app b1 1.001022 000.01.21.H56 2026-03-10T09:00:00$H online
	  app b2 1.001022 000.00.21.H56 2026-03-09T09:00:00$H; } |
	    dossier-new -d b.db -a --as an.nv >b.db.new &&
	done3 a.db a1 2026-03-09T10:00:00$H 2026-03-12T15:00:00$H &&
	done3 a.db a2 2026-03-09T10:00:00$H 2026-03-10T10:00:00$H &&
	done3 b.db b2 2026-03-09T10:00:00$H 2026-03-13T10:00:00$H'

P='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-14T23:59:59+07:00","by":"unit"'
cat >want-a.jsonl <<EOF
{$P,"key":"000.00.00.H56","name":"UBND tỉnh Thanh Hóa","level":"province","received_online":0,"received_direct":2,"carried_over":0,"intake":2,"resolved_early":1,"resolved_on_time":1,"resolved_late":0,"resolved":2,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
{$P,"key":"000.00.01.H56","name":"Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa","level":"department","received_online":0,"received_direct":1,"carried_over":0,"intake":1,"resolved_early":1,"resolved_on_time":0,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
{$P,"key":"000.00.21.H56","name":"UBND phường Hạc Thành","level":"commune","received_online":0,"received_direct":1,"carried_over":0,"intake":1,"resolved_early":0,"resolved_on_time":1,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
{$P,"key":"000.01.21.H56","name":"Bộ phận Một cửa phường Hạc Thành","level":"section","received_online":0,"received_direct":1,"carried_over":0,"intake":1,"resolved_early":0,"resolved_on_time":1,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
{$P,"key":null,"name":null,"level":null,"received_online":0,"received_direct":2,"carried_over":0,"intake":2,"resolved_early":1,"resolved_on_time":1,"resolved_late":0,"resolved":2,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
EOF
cat >want-merged.jsonl <<EOF
{$P,"key":"000.00.00.H56","name":"UBND tỉnh Thanh Hóa","level":"province","received_online":1,"received_direct":3,"carried_over":0,"intake":4,"resolved_early":1,"resolved_on_time":1,"resolved_late":1,"resolved":3,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":0.6667,"guided":0}
{$P,"key":"000.00.01.H56","name":"Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa","level":"department","received_online":0,"received_direct":1,"carried_over":0,"intake":1,"resolved_early":1,"resolved_on_time":0,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":0,"pending":0,"on_time_rate":1,"guided":0}
{$P,"key":"000.00.21.H56","name":"UBND phường Hạc Thành","level":"commune","received_online":1,"received_direct":2,"carried_over":0,"intake":3,"resolved_early":0,"resolved_on_time":1,"resolved_late":1,"resolved":2,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":0.5,"guided":0}
{$P,"key":"000.01.21.H56","name":"Bộ phận Một cửa phường Hạc Thành","level":"section","received_online":1,"received_direct":1,"carried_over":0,"intake":2,"resolved_early":0,"resolved_on_time":1,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":1,"guided":0}
{$P,"key":null,"name":null,"level":null,"received_online":1,"received_direct":3,"carried_over":0,"intake":4,"resolved_early":1,"resolved_on_time":1,"resolved_late":1,"resolved":3,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":0.6667,"guided":0}
EOF

expect_ok '--by unit: each row counts its subtree, parents first' '
	dossier-report -d a.db --period month --of 2026-03 --by unit >a.jsonl &&
	same want-a.jsonl a.jsonl'
expect_ok 'merge of the two offices: sums by key, rates again' '
	dossier-report -d b.db --period month --of 2026-03 --by unit >b.jsonl &&
	cat a.jsonl b.jsonl | dossier-report merge >out.jsonl &&
	same want-merged.jsonl out.jsonl'
expect_ok 'merge --format csv: the same rows' '
	cat a.jsonl b.jsonl | dossier-report merge --format csv >out.csv &&
	test "$(wc -l <out.csv)" = 6 &&
	test "$(sed -n 2p out.csv | cut -d, -f6,8,12,20)" = "000.00.00.H56,province,4,0.6667"'
# The table of the merged rows above (want-merged.jsonl): the counts and
# rates as they are, a null as "-" (the total row's key and name), the
# level not a column of the table; each column as wide as its widest cell
# or head in characters (the centre's name, 48), two spaces between, the
# last one unpadded.
cat >want-merged.txt <<'EOF'
KEY            NAME                                              ONLINE  DIRECT  CARRIED  INTAKE  EARLY  ON_TIME  LATE  RESOLVED  PEND_OK  OVERDUE  PENDING  RATE    GUIDED
000.00.00.H56  UBND tỉnh Thanh Hóa                               1       3       0        4       1      1        1     3         0        1        1        0.6667  0
000.00.01.H56  Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa  0       1       0        1       1      0        0     1         0        0        0        1       0
000.00.21.H56  UBND phường Hạc Thành                             1       2       0        3       0      1        1     2         0        1        1        0.5     0
000.01.21.H56  Bộ phận Một cửa phường Hạc Thành                  1       1       0        2       0      1        0     1         0        1        1        1       0
-              -                                                 1       3       0        4       1      1        1     3         0        1        1        0.6667  0
EOF
expect_ok 'merge --format table: the whole output' '
	cat a.jsonl b.jsonl | dossier-report merge --format table >out.txt &&
	same want-merged.txt out.txt'
expect_ok 'merge by field: the same total' '
	{ dossier-report -d a.db --period month --of 2026-03
	  dossier-report -d b.db --period month --of 2026-03; } |
	    dossier-report merge | tail -n 1 >f.jsonl &&
	tail -n 1 want-merged.jsonl | sed "s/\"by\":\"unit\"/\"by\":\"field\"/" >want &&
	same want f.jsonl'
expect_code 65 'merge refuses reports of different periods' '
	{ cat a.jsonl
	  dossier-report -d b.db --period month --of 2026-02 --by unit \
	      --as-of 2026-02-14T12:00:00$H; } | dossier-report merge'
expect_code 65 'merge refuses a row without its counts' '
	echo "{\"from\":\"2026-02-15\",\"to\":\"2026-03-14\",\"by\":\"unit\",\"as_of\":\"x\",\"key\":null}" |
	    dossier-report merge'
expect_code 64 'merge takes no period' \
	'dossier-report merge --period month </dev/null'
expect_ok 'merge of nothing: nothing' '
	dossier-report merge </dev/null >out && test ! -s out'

# b1 moves from the section to the ward's civil-status officer in April:
# March's report, filtered by unit, counts it where it was in March.
expect_ok 'a filter judges the unit a dossier had at the as-of instant' '
	route b.db an.nv 2026-04-02T09:00:00$H forward b1 -t 000.02.21.H56 &&
	test "$(sqlite3 b.db "SELECT unit FROM dossiers WHERE ref = '\''b1'\''")" \
	    = 000.02.21.H56 &&
	dossier-report -d b.db --period month --of 2026-03 \
	    --unit 000.01.21.H56 | jq -c "select(.key == null) |
	    [.received_online, .pending_overdue]" >out &&
	test "$(cat out)" = "[1,1]" &&
	dossier-report -d b.db --period month --of 2026-03 \
	    --unit 000.02.21.H56 | jq -c "select(.key == null) | .intake" >out &&
	test "$(cat out)" = 0 &&
	dossier-report -d b.db --period month --of 2026-04 \
	    --unit 000.02.21.H56 | jq -c "select(.key == null) |
	    .carried_over" >out &&
	test "$(cat out)" = 1'

finish
