#!/bin/sh
# dossier-report: the II.06a cells of a small office worked out by hand
# (every classification rule, the period's edges on the 14th and 15th, a
# paused, an extended, a withdrawn and a refused dossier), the same
# numbers when the report is run later, the as-of reconstruction, the
# formats and the usage errors.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo

# app REF PROC TIME [CHANNEL]: an application with the required documents
app() {
	application "$1" "$2" at="$3" channel="${4:-direct}" \
	    name="Nguyễn Văn An"
}
# done3 REF AT1 AT2: the three steps of 1.001022 at AT1, finished at AT2
done3() {
	route an.nv "$2" start "$1" -H hai.pm &&
	route hai.pm "$2" next "$1" -H hung.lv &&
	route hung.lv "$2" next "$1" -H mai.vt &&
	route mai.vt "$3" finish "$1"
}
# done2 REF AT1 AT2: the two steps of 2.000815
done2() {
	route an.nv "$2" start "$1" -H hai.pm &&
	route hai.pm "$2" next "$1" -H hung.lv &&
	route hung.lv "$3" finish "$1"
}
H=+07:00

# Month 2026-03 is 2026-02-15 .. 2026-03-14.  1.001022 (Hộ tịch) takes 3
# working days, 1.004873 (Hộ tịch) pauses for a supplement, 2.000815
# (Chứng thực) takes 4 hours.
{
	app early 1.001022 2026-03-09T09:00:00$H	# due 03-12 09:00
	app ontime 1.001022 2026-03-09T09:00:00$H online
	app late 1.001022 2026-03-09T09:00:00$H postal
	app overdue 1.001022 2026-03-10T09:00:00$H	# due 03-13 09:00
	app open 1.001022 2026-03-12T09:00:00$H	# due 03-17 09:00
	app paused 1.004873 2026-03-09T09:00:00$H
	app extended 1.001022 2026-03-09T09:00:00$H
	app withdrawn 1.001022 2026-03-09T09:00:00$H
	app carried 1.001022 2026-02-10T09:00:00$H	# due 02-13 09:00
	app gone 1.001022 2026-02-10T09:00:00$H
	app after 2.000815 2026-03-13T08:00:00$H	# due 03-13 14:00
	app last 2.000815 2026-03-14T10:00:00$H online	# due 03-16
	app next 2.000815 2026-03-15T09:00:00$H online
	app first 2.000815 2026-02-15T10:00:00$H online	# due 02-23
	app before 2.000815 2026-02-14T23:00:00$H online
} >apps.jsonl

expect_ok 'setup: sixteen dossiers, routed' '
	dossier-new -a --as an.nv <apps.jsonl >new.jsonl &&
	app refused 1.001022 2026-03-11T09:00:00$H online |
	    dossier-new --as an.nv >>new.jsonl &&
	done3 early 2026-03-09T10:00:00$H 2026-03-10T10:00:00$H &&
	done3 ontime 2026-03-09T10:00:00$H 2026-03-12T16:00:00$H &&
	done3 late 2026-03-09T10:00:00$H 2026-03-13T09:00:00$H &&
	route an.nv 2026-03-09T10:00:00$H start paused -H hai.pm &&
	route hai.pm 2026-03-11T10:00:00$H request_supplement paused \
	    -r "Thiếu giấy" &&
	route an.nv 2026-03-09T10:00:00$H start extended -H hung.lv &&
	route hung.lv 2026-03-10T09:00:00$H extend extended \
	    -r "Cần xác minh" -D 2026-03-18T09:00:00$H &&
	route an.nv 2026-03-10T09:00:00$H withdraw withdrawn -r "Xin rút" &&
	route hung.lv 2026-03-10T11:00:00$H stop withdrawn &&
	done3 gone 2026-02-10T10:00:00$H 2026-02-11T10:00:00$H &&
	done2 after 2026-03-13T08:30:00$H 2026-03-16T10:00:00$H &&
	route an.nv 2026-03-11T10:00:00$H refuse refused -r "Không đủ"'

# gapp REF PROC TIME [UNIT]: an application short of its first required
# document, guided at the counter (a guide event, no dossier)
gapp() {
	app "$1" "$2" "$3" | jq -c --arg u "${4:-000.00.01.H56}" \
	    '.unit = $u | .documents |= .[1:]'
}
# Guidance: g1 (Hộ tịch) on 03-10; g2 (Chứng thực) on 02-15, the first
# day; g3 (Hộ tịch) on 03-14 at the ward's one-stop section, the last
# day; g4 on 02-14 and g5 on 03-15, outside the period.
expect_ok 'setup: five applications guided at the counter' '
	{ gapp g1 1.001022 2026-03-10T09:00:00$H
	  gapp g2 2.000815 2026-02-15T08:00:00$H
	  gapp g3 1.001022 2026-03-14T16:00:00$H 000.01.21.H56
	  gapp g4 1.001022 2026-02-14T16:00:00$H
	  gapp g5 2.000815 2026-03-15T08:00:00$H; } >guide.jsonl &&
	dossier-new --as an.nv --guide guide.jsonl >guided.jsonl &&
	test "$(wc -l <guided.jsonl)" = 5'

# By hand, at 2026-03-14T23:59:59:
#   Hộ tịch: early direct, resolved early; ontime online, ended on its due
#   day after its due hour: on time; late postal (direct), late; overdue
#   pending, due 03-13 < 03-14; open pending on time; paused before its
#   due time: judged at its pause, on time; extended to 03-18: on time;
#   withdrawn and stopped: on time; carried (02-10) pending overdue; gone
#   ended before the period: out; refused (status 3): out.
#   Chứng thực: after (finished only on 03-16) pending overdue; last
#   (received on the 14th) online, pending on time; next (the 15th): out;
#   first (02-15) online, overdue; before (02-14) carried over, overdue.
#   Guided, outside intake: Hộ tịch g1 and g3, Chứng thực g2.
P='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-14T23:59:59+07:00","by":"field"'
cat >want.jsonl <<EOF
{$P,"key":"Chứng thực","name":"Chứng thực","level":null,"received_online":2,"received_direct":1,"carried_over":1,"intake":4,"resolved_early":0,"resolved_on_time":0,"resolved_late":0,"resolved":0,"pending_on_time":1,"pending_overdue":3,"pending":4,"on_time_rate":null,"guided":1}
{$P,"key":"Hộ tịch","name":"Hộ tịch","level":null,"received_online":1,"received_direct":7,"carried_over":1,"intake":9,"resolved_early":1,"resolved_on_time":2,"resolved_late":1,"resolved":4,"pending_on_time":3,"pending_overdue":2,"pending":5,"on_time_rate":0.75,"guided":2}
{$P,"key":null,"name":null,"level":null,"received_online":3,"received_direct":8,"carried_over":2,"intake":13,"resolved_early":1,"resolved_on_time":2,"resolved_late":1,"resolved":4,"pending_on_time":4,"pending_overdue":5,"pending":9,"on_time_rate":0.75,"guided":3}
EOF

expect_ok 'month 2026-03 by field: every cell as worked out by hand' '
	dossier-report --period month --of 2026-03 \
	    --now 2026-04-02T10:00:00$H >out.jsonl &&
	same want.jsonl out.jsonl'
expect_ok 'intake = resolved + pending and the total is the sum, in every row' '
	jq "select(.intake != .resolved + .pending or
	    .intake != .received_online + .received_direct + .carried_over)" \
	    out.jsonl >bad.jsonl && test ! -s bad.jsonl &&
	jq -s "[.[:-1][] | .intake] | add" out.jsonl >sum &&
	test "$(cat sum)" = "$(jq -s ".[-1].intake" out.jsonl)"'
expect_ok 'the same period as --from/--to' '
	dossier-report --from 2026-02-15 --to 2026-03-14 \
	    --now 2026-04-02T10:00:00$H >out2.jsonl &&
	same want.jsonl out2.jsonl'
expect_ok 'run in December, after later events: the same numbers' '
	route an.nv 2026-03-17T09:00:00$H return after &&
	route an.nv 2026-03-16T08:00:00$H start overdue -H hung.lv &&
	route hung.lv 2026-03-16T09:00:00$H extend overdue -r "Chậm" \
	    -D 2026-03-20T09:00:00$H &&
	route an.nv 2026-03-16T09:00:00$H supplement_received paused &&
	dossier-report --period month --of 2026-03 \
	    --now 2026-12-02T10:00:00$H >out3.jsonl &&
	same want.jsonl out3.jsonl'

# At 2026-03-11T12:00: ontime and late were not finished (due 03-12: on
# time), after, last and open not received yet; g3 not guided yet.
A='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-11T12:00:00+07:00","by":"field"'
cat >want-asof.jsonl <<EOF
{$A,"key":"Chứng thực","name":"Chứng thực","level":null,"received_online":1,"received_direct":0,"carried_over":1,"intake":2,"resolved_early":0,"resolved_on_time":0,"resolved_late":0,"resolved":0,"pending_on_time":0,"pending_overdue":2,"pending":2,"on_time_rate":null,"guided":1}
{$A,"key":"Hộ tịch","name":"Hộ tịch","level":null,"received_online":1,"received_direct":6,"carried_over":1,"intake":8,"resolved_early":1,"resolved_on_time":1,"resolved_late":0,"resolved":2,"pending_on_time":5,"pending_overdue":1,"pending":6,"on_time_rate":1,"guided":1}
{$A,"key":null,"name":null,"level":null,"received_online":2,"received_direct":6,"carried_over":2,"intake":10,"resolved_early":1,"resolved_on_time":1,"resolved_late":0,"resolved":2,"pending_on_time":5,"pending_overdue":3,"pending":8,"on_time_rate":1,"guided":2}
EOF
expect_ok '--as-of inside the period: the state as the events stood then' '
	dossier-report --period month --of 2026-03 \
	    --as-of 2026-03-11T12:00:00$H >out.jsonl &&
	same want-asof.jsonl out.jsonl'
expect_ok 'without --as-of while the period runs: now' '
	dossier-report --now 2026-03-11T12:00:00$H >out.jsonl &&
	same want-asof.jsonl out.jsonl'
# At 2026-03-15T12:00, overdue (due 03-13) was not extended yet: overdue;
# on time: last, open, paused (at its pause), extended, next.  Only the
# dossiers whose row says they changed after the as-of instant
# (changed_at) are rewound, overdue's extension among them.
expect_ok 'April (2026-03-15 .. 2026-04-14): what March left, and next' '
	dossier-report --period month --of 2026-04 --as-of 2026-03-15T12:00:00$H |
	    jq -c "select(.key == null) | [.from, .to, .received_online,
	    .carried_over, .resolved, .pending_on_time,
	    .pending_overdue]" >out &&
	test "$(cat out)" = "[\"2026-03-15\",\"2026-04-14\",1,9,0,5,5]"'

expect_ok '--by procedure and --by unit, and a filter' '
	dossier-report --of 2026-03 --period month --by procedure \
	    --now 2026-04-02T10:00:00$H | jq -r ".key // \"-\"" | tr "\n" " " >out &&
	test "$(cat out)" = "1.001022 1.004873 2.000815 - " &&
	dossier-report --of 2026-03 --period month --by unit \
	    --now 2026-04-02T10:00:00$H | jq -c "[.key, .name, .intake]" >out &&
	test "$(sed -n 1p out)" = "[\"000.00.00.H56\",\"UBND tỉnh Thanh Hóa\",13]" &&
	test "$(sed -n 2p out)" = "[\"000.00.01.H56\",\"Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa\",13]" &&
	dossier-report --of 2026-03 --period month --field "Chứng thực" \
	    --now 2026-04-02T10:00:00$H >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 2 &&
	test "$(jq -s -c "[.[] | .intake]" out.jsonl)" = "[4,4]"'

# A search by the applicant: the selection's query from the search index,
# every row judged as the period's scan judges it.
expect_ok '--name: the same cells from the search index' '
	dossier-report --of 2026-03 --period month \
	    --now 2026-04-02T10:00:00$H | jq -c "del(.guided)" >all.jsonl &&
	dossier-report --of 2026-03 --period month --name "nguyen van an" \
	    --now 2026-04-02T10:00:00$H | jq -c "del(.guided)" >out.jsonl &&
	cmp all.jsonl out.jsonl &&
	dossier-report --of 2026-03 --period month --name "Trần Thị Bình" \
	    --now 2026-04-02T10:00:00$H |
	    jq -c "select(.key == null) | [.intake, .resolved, .pending]" >out &&
	test "$(cat out)" = "[0,0,0]"'

# Guidance by the row's key: the procedure's field or code; the unit the
# application was brought to, rolled up the unit tree like intake.
expect_ok 'guided by procedure and by unit, outside intake' '
	dossier-report --period month --of 2026-03 --by procedure |
	    jq -c "[.key, .guided]" | tr "\n" " " >out &&
	test "$(cat out)" = "[\"1.001022\",2] [\"1.004873\",0] [\"2.000815\",1] [null,3] " &&
	dossier-report --period month --of 2026-03 --by unit >out.jsonl &&
	jq -c "[.key, .intake, .guided]" out.jsonl | tr "\n" " " >out &&
	test "$(cat out)" = "[\"000.00.00.H56\",13,3] [\"000.00.01.H56\",13,2] [\"000.00.21.H56\",0,1] [\"000.01.21.H56\",0,1] [null,13,3] " &&
	! jq -e "select(.intake != .resolved + .pending)" out.jsonl \
	    >bad.jsonl && test ! -s bad.jsonl'
expect_ok 'guided under the filters: --field, --unit, --channel' '
	dossier-report --period month --of 2026-03 --field "Chứng thực" |
	    jq -c "[.key, .guided]" | tr "\n" " " >out &&
	test "$(cat out)" = "[\"Chứng thực\",1] [null,1] " &&
	dossier-report --period month --of 2026-03 --unit 000.01.21.H56 |
	    jq -c "[.key, .intake, .guided]" | tr "\n" " " >out &&
	test "$(cat out)" = "[\"Hộ tịch\",0,1] [null,0,1] " &&
	dossier-report --period month --of 2026-03 --channel online |
	    jq -c "select(.key == null) | [.intake, .guided]" >out &&
	test "$(cat out)" = "[4,0]"'
expect_ok 'guided: the guidance of the period only, up to the as-of instant' '
	dossier-report --period month --of 2026-04 --as-of 2026-03-15T12:00:00$H |
	    jq -c "select(.key == null) | .guided" >out &&
	test "$(cat out)" = 1 &&
	dossier-report --period month --of 2026-02 |
	    jq -c "select(.key == null) | .guided" >out &&
	test "$(cat out)" = 1'
# Office b guided one application for 1.001022 in March.
expect_ok 'merge of two offices sums guided; a row without it counts 0' '
	dossier-admin -d b.db init --agency 000.00.21.H56 \
	    --name "UBND phường Hạc Thành" >/dev/null &&
	dossier-admin -d b.db catalog import "$CATALOG" >/dev/null &&
	gapp g6 1.001022 2026-03-02T09:00:00$H 000.00.21.H56 >g6.jsonl &&
	dossier-new -d b.db --as an.nv --guide g6.jsonl >/dev/null &&
	dossier-report --period month --of 2026-03 >a.jsonl &&
	dossier-report -d b.db --period month --of 2026-03 >b.jsonl &&
	test "$(jq -c "[.key, .intake, .guided]" b.jsonl | tr "\n" " ")" = "[\"Hộ tịch\",0,1] [null,0,1] " &&
	cat a.jsonl b.jsonl | dossier-report merge >m.jsonl &&
	jq -c "[.key, .intake, .guided]" m.jsonl | tr "\n" " " >out &&
	test "$(cat out)" = "[\"Chứng thực\",4,1] [\"Hộ tịch\",9,3] [null,13,4] " &&
	jq -c "del(.guided)" a.jsonl >old.jsonl &&
	cat old.jsonl b.jsonl | dossier-report merge >m.jsonl &&
	jq -c "[.key, .guided]" m.jsonl | tr "\n" " " >out &&
	test "$(cat out)" = "[\"Chứng thực\",0] [\"Hộ tịch\",1] [null,1] "'

cat >want.csv <<'EOF'
v,from,to,as_of,by,key,name,level,received_online,received_direct,carried_over,intake,resolved_early,resolved_on_time,resolved_late,resolved,pending_on_time,pending_overdue,pending,on_time_rate,guided
1,2026-02-15,2026-03-14,2026-03-14T23:59:59+07:00,field,Chứng thực,Chứng thực,,2,1,1,4,0,0,0,0,1,3,4,,1
1,2026-02-15,2026-03-14,2026-03-14T23:59:59+07:00,field,Hộ tịch,Hộ tịch,,1,7,1,9,1,2,1,4,3,2,5,0.75,2
1,2026-02-15,2026-03-14,2026-03-14T23:59:59+07:00,field,,,,3,8,2,13,1,2,1,4,4,5,9,0.75,3
EOF
cat >want.txt <<'EOF'
KEY         NAME        ONLINE  DIRECT  CARRIED  INTAKE  EARLY  ON_TIME  LATE  RESOLVED  PEND_OK  OVERDUE  PENDING  RATE  GUIDED
Chứng thực  Chứng thực  2       1       1        4       0      0        0     0         1        3        4        -     1
Hộ tịch     Hộ tịch     1       7       1        9       1      2        1     4         3        2        5        0.75  2
-           -           3       8       2        13      1      2        1     4         4        5        9        0.75  3
EOF
expect_ok '--format csv: the whole output' '
	dossier-report --period month --of 2026-03 --format csv >out.csv &&
	same want.csv out.csv'
expect_ok '--bom: a byte-order mark, then the same CSV' '
	dossier-report --period month --of 2026-03 --format csv --bom >out.csv &&
	printf "\357\273\277" >want-bom.csv && cat want.csv >>want-bom.csv &&
	same want-bom.csv out.csv'
expect_ok '--format table: the whole output' '
	dossier-report --period month --of 2026-03 --format table >out.txt &&
	same want.txt out.txt'

expect_ok 'periods: quarter, half, nine months, year' '
	for p in "quarter 2026-Q1 2025-12-15 2026-03-14" \
	    "quarter 2026-Q4 2026-09-15 2026-12-14" \
	    "half 2026 2025-12-15 2026-06-14" \
	    "nine_months 2026 2025-12-15 2026-09-14" \
	    "year 2026 2025-12-15 2026-12-14" \
	    "month 2026-01 2025-12-15 2026-01-14"; do
		set -- $p
		dossier-report --period "$1" --of "$2" --as-of "$3" |
		    jq -r "select(.key == null) | .from + \" \" + .to" >out &&
		test "$(cat out)" = "$3 $4" || exit 1
	done'
expect_ok 'the current month by the cut-off: the 15th opens the next one' '
	dossier-report --now 2026-03-14T10:00:00$H | jq -r .from | head -n 1 >a &&
	dossier-report --now 2026-03-15T10:00:00$H | jq -r .from | head -n 1 >b &&
	dossier-report --now 2026-12-20T10:00:00$H | jq -r .to | head -n 1 >c &&
	test "$(cat a) $(cat b) $(cat c)" = "2026-02-15 2026-03-15 2027-01-14"'
expect_ok 'an empty period: the total row alone, rate null' '
	dossier-report --from 2025-01-01 --to 2025-01-31 >out.jsonl &&
	test "$(jq -c "[.key, .intake, .on_time_rate]" out.jsonl)" = "[null,0,null]"'

# 2.1: early 1 + on time 2 + pending on time 4 of intake 13.  2.2: the
# working time from the start of counting to the end (office hours 07:00
# to 11:30 and 13:30 to 17:00): early 9 h, ontime 29 h, late 32 h,
# withdrawn 10 h, 80 h = 10 days over 4.  3.3: online 3 of 11 received.
# 4.1: no result file is stored, so unknown.  4.2: no document attached.
I='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-14T23:59:59+07:00"'
cat >want-ind.jsonl <<EOF
{$I,"indicator":"2.1","name":"on-time rate","numerator":7,"denominator":13,"value":0.5385,"full_score_at":null}
{$I,"indicator":"2.2","name":"average resolution time, working days","numerator":10,"denominator":4,"value":2.5,"full_score_at":null}
{$I,"indicator":"3.3","name":"online submission rate","numerator":3,"denominator":11,"value":0.2727,"full_score_at":0.5}
{$I,"indicator":"4.1","name":"e-result rate","numerator":null,"denominator":null,"value":null,"full_score_at":null}
{$I,"indicator":"4.2","name":"digitisation rate","numerator":0,"denominator":11,"value":0,"full_score_at":0.8}
EOF
expect_ok '--indicators: Decision 766 2.1, 2.2, 3.3, 4.1 and 4.2 by hand' '
	dossier-report --indicators --period month --of 2026-03 >out.jsonl &&
	same want-ind.jsonl out.jsonl'

cat >want-tbody.html <<'EOF'
<tbody>
<tr><td class="n">1</td><td>Chứng thực</td><td class="n">4</td><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">4</td><td class="n">1</td><td class="n">3</td><td class="n">-</td></tr>
<tr><td class="n">2</td><td>Hộ tịch</td><td class="n">9</td><td class="n">1</td><td class="n">7</td><td class="n">1</td><td class="n">4</td><td class="n">1</td><td class="n">2</td><td class="n">1</td><td class="n">5</td><td class="n">3</td><td class="n">2</td><td class="n">75.00</td></tr>
<tr class="t"><td></td><td>Tổng số</td><td class="n">13</td><td class="n">3</td><td class="n">8</td><td class="n">2</td><td class="n">4</td><td class="n">1</td><td class="n">2</td><td class="n">1</td><td class="n">9</td><td class="n">4</td><td class="n">5</td><td class="n">75.00</td></tr>
</tbody>
EOF
expect_ok '--format html: form II.06a, its cells as in JSON' '
	dossier-report --period month --of 2026-03 --format html \
	    --now 2026-04-02T10:00:00$H >r.html &&
	sed -n "/<tbody>/,/<\/tbody>/p" r.html >tbody.html &&
	same want-tbody.html tbody.html &&
	has "Biểu số II.06a/VPCP/KSTT" r.html &&
	has "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa" r.html &&
	has "Kỳ báo cáo: từ ngày 15/02/2026 đến ngày 14/03/2026" r.html &&
	has "Số liệu tính đến 23:59 ngày 14/03/2026" r.html &&
	has "<th>Trực tiếp, dịch vụ bưu chính</th><th>Từ kỳ trước</th>" r.html &&
	has "Ngày 02 tháng 04 năm 2026" r.html &&
	has "THỦ TRƯỞNG ĐƠN VỊ" r.html &&
	has "@page { size: A4 landscape" r.html'
expect_ok '... well-formed, as XML and as HTML' '
	python3 -c "
import sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
ET.parse(sys.argv[1])
HTMLParser().feed(open(sys.argv[1], encoding=\"utf-8\").read())
" r.html'
expect_ok '... self-contained: no scripts, links, sources or URLs' '
	! grep -Ei "<script|<link|src=|href=|url\(|@import|https?:" r.html'
# The months of 2026 so far: T1 nothing; T2 (01-15 .. 02-14) carried, gone
# and before received, gone resolved; T3 the 11 received in March.
expect_ok '... the charts: on-time share per group, months of the year' '
	test "$(grep -c "<svg" r.html)" = 2 &&
	has "75.00%" r.html &&
	grep -o "<text[^>]*>[^<]*</text>" r.html | sed "s/<[^>]*>//g" |
	    tail -n 9 | tr "\n" " " >months &&
	test "$(cat months)" = "0 0 T1 3 1 T2 11 4 T3 "'

# --by step, by the step results recorded in March: 1.001022 step 1 (2
# working days) left on 03-09 by early, ontime and late: early; step 2
# (half a day, due 03-09 14:00) left at 10:00 the same day: on time; step
# 3 (half a day) left by the finish on 03-10, 03-12 and 03-13: late.
# extended and paused entered their first step and did not leave it;
# after left 2.000815 step 1 on its due day and finished only on 03-16.
cat >want-step.txt <<'EOF'
KEY         NAME                                                  ENTERED  EARLY  ON_TIME  LATE  LEFT  RATE  GUIDED
1.001022/1  Thẩm định hồ sơ, niêm yết công khai                   4        3      0        0     3     1     -
1.001022/2  Chủ tịch UBND ký Trích lục đăng ký nhận cha, mẹ, con  3        0      3        0     3     1     -
1.001022/3  Vào sổ hộ tịch, đóng dấu và chuyển kết quả            3        0      0        3     3     0     -
1.004873/1  Thẩm định, xác minh tình trạng hôn nhân               1        0      0        0     0     -     -
2.000815/1  Đối chiếu bản chính, ghi lời chứng                    1        0      1        0     1     1     -
2.000815/2  Lãnh đạo ký chứng thực                                1        0      0        0     0     -     -
-           -                                                     13       3      4        3     10    0.7   -
EOF
expect_ok '--by step: which steps make dossiers late' '
	dossier-report --period month --of 2026-03 --by step --format table \
	    >out.txt && same want-step.txt out.txt &&
	dossier-report --period month --of 2026-03 --by step |
	    jq -c "select(.key == \"1.001022/3\") | [.by, .entered,
	    .left_late, .left, .on_time_rate]" >out &&
	test "$(cat out)" = "[\"step\",3,3,3,0]"'
expect_code 64 '--by step has no form II.06a page' \
	'dossier-report --by step --format html'

expect_code 64 'a period not begun is refused, with its dates' '
	dossier-report --period month --of 2099-06 2>err; s=$?
	has "the period 2099-05-15..2099-06-14 has not begun" err || exit 99
	exit $s'
expect_code 64 'an --as-of outside the period names the value given' '
	dossier-report --period month --of 2026-03 --as-of 2026-04-01T00:00:00$H 2>err; s=$?
	has "--as-of 2026-04-01T00:00:00$H: not within the period 2026-02-15..2026-03-14" err || exit 99
	exit $s'
expect_code 64 '--indicators has no --by' 'dossier-report --indicators --by unit'
expect_code 64 '--indicators has no form page' 'dossier-report --indicators --format html'
expect_code 64 'merge prints no form page' \
	'dossier-report --period month --of 2026-03 | dossier-report merge --format html'
expect_code 65 'merge refuses indicator rows, saying so' '
	dossier-report --indicators --period month --of 2026-03 |
	    dossier-report merge 2>err; s=$?
	has "stdin:1: an indicator'\''s row (of --indicators), not a report'\''s" err || exit 99
	exit $s'

MR="$DOSSIER_ROOT/scripts/monthly-report"
export MR
expect_ok 'monthly-report on 2 April: March, as HTML and JSON, in reports/2026-03' '
	mkdir reports &&
	"$MR" -o reports -t 0.75 -n 2026-04-02T06:00:00+07:00 >out &&
	test "$(cat out)" = reports/2026-03 &&
	same want.jsonl reports/2026-03/report.jsonl &&
	same want-ind.jsonl reports/2026-03/indicators.jsonl &&
	has "Biểu số II.06a" reports/2026-03/report.html &&
	test ! -e reports/2026-03/report.html.tmp'
expect_ok 'monthly-report on the 15th: the month that ended the day before' '
	"$MR" -o reports -n 2026-03-15T06:00:00+07:00 >out &&
	test "$(cat out)" = reports/2026-03'
expect_code 1 'monthly-report: an on-time rate below the threshold is 1' '
	"$MR" -o reports -t 0.9 -n 2026-04-02T06:00:00+07:00 >/dev/null 2>err &&
	exit 9; s=$?; has "on-time rate 0.75 is below 0.9" err || exit 8; exit $s'
expect_code 64 'monthly-report: a bad threshold' '"$MR" -t x'
expect_code 64 'monthly-report: a threshold above 1 (a rate, not a percentage)' '
	"$MR" -o reports -t 90 2>err; s=$?
	has "-t: '\''90'\'' is not a number from 0 to 1" err || exit 99
	exit $s'
expect_code 64 'monthly-report: a date that is not one makes no folder' '
	"$MR" -o reports -n 2026-13-40 2>err; s=$?
	has "-n: '\''2026-13-40'\'' is not a time" err &&
	test ! -e reports/2026-13 && test ! -e reports/2026-12 || exit 99
	exit $s'
expect_code 70 'monthly-report: a report failing after another leaves no half folder' '
	mkdir fake &&
	printf "#!/bin/sh\ncase \"\$*\" in *--indicators*) exit 70 ;; esac\nexec \"%s\" \"\$@\"\n" \
	    "$(command -v dossier-report)" >fake/dossier-report &&
	chmod +x fake/dossier-report &&
	PATH="$PWD/fake:$PATH" "$MR" -o reports -n 2026-07-02T06:00:00+07:00; s=$?
	test ! -e reports/2026-06 || exit 99
	exit $s'
expect_code 66 'monthly-report: a failing report leaves no empty folder' '
	"$MR" -d nosuch.db -o reports -n 2026-06-02T06:00:00+07:00 2>err; s=$?
	test ! -e reports/2026-05 || exit 99
	exit $s'

# A hundred dossiers received in May: many more events after March's
# as-of instant than March has dossiers; receipts, which leave changed_at
# alone, and of dossiers the period does not read.
expect_ok 'many events after the as-of instant: the same numbers' '
	gen-dossiers -c "$CATALOG" -n 100 -s 5 -o -f 2026-05-04 -D 5 |
	    dossier-new -a --as an.nv >/dev/null &&
	dossier-report --period month --of 2026-03 >out.jsonl &&
	same want.jsonl out.jsonl &&
	dossier-report --period month --of 2026-03 \
	    --as-of 2026-03-11T12:00:00$H >out.jsonl &&
	same want-asof.jsonl out.jsonl'

expect_code 64 '--of without --period' 'dossier-report --of 2026-03'
expect_code 64 'a bad month' 'dossier-report --period month --of 2026-13'
expect_code 64 '--period with --from' \
	'dossier-report --period month --from 2026-01-01 --to 2026-01-31'
expect_code 64 '--from without --to' 'dossier-report --from 2026-01-01'
expect_code 64 '--as-of outside the period' \
	'dossier-report --period month --of 2026-03 --as-of 2026-04-01'
expect_code 64 '--bom without csv' 'dossier-report --bom'
expect_code 64 'a filter the period replaces' \
	'dossier-report --received-from 2026-01-01'
expect_code 64 'an unknown --by' 'dossier-report --by handler'
# A row whose procedure is gone (a damaged file): refused whichever
# thread reads it, with what is wrong.
expect_ok 'a dossier whose procedure is gone: exit 65 on either thread' '
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '"'"'gone.db'"'"'" &&
	sqlite3 gone.db "PRAGMA foreign_keys = OFF;
	    DELETE FROM procedures WHERE code = '"'"'2.000815'"'"'" &&
	for t in 1 2; do
		DOSSIER_REPORT_THREADS=$t dossier-report -d gone.db \
		    --period month --of 2026-03 >out 2>err
		test $? = 65 && test ! -s out &&
		grep -q "dossiers: procedure [0-9]* is missing" err || exit 1
	done'

# Usage errors are found before the database is opened: none here.
expect_code 64 'a bad --as-of, before the database' \
	'dossier-report -d nowhere.db --as-of 2026-02-30'
expect_code 64 'a bad --now, before the database' \
	'dossier-report -d nowhere.db --now soon'
expect_code 64 'a bad --to, before the database' \
	'dossier-report -d nowhere.db --from 2026-01-01 --to 2026-1-31'
expect_code 64 '--to before --from, before the database' \
	'dossier-report -d nowhere.db --from 2026-02-01 --to 2026-01-31'
expect_code 64 'a bad quarter, before the database' \
	'dossier-report -d nowhere.db --period quarter --of 2026-Q0'

finish
