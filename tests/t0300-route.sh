#!/bin/sh
# dossier-route: the happy paths through internal steps, online acceptance,
# forwarding and hand-off, supplements, fees, extension, withdrawal,
# rejection, the pipe forms and the printed forms.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME [CHANNEL [UNIT]]: an application with the required
# documents of procedure PROC in the demo catalog
app() {
	application "$1" "$2" at="$3" channel="${4:-direct}" \
	    unit="${5:-000.00.01.H56}" address="Thôn Vinh Thạnh, xã Quảng Phú"
}

# recv REF PROC TIME [CHANNEL [UNIT]]: an.nv receives it; record in REF.jsonl
recv() {
	app "$@" | dossier-new --as an.nv >"$1.jsonl"
}

# code REF: the code of the dossier received as REF
code() {
	jq -r .code "$1.jsonl"
}

# col REF EXPR: a column (SQL expression) of the dossier's row
col() {
	sqlite3 "$DOSSIER_DB" "SELECT $2 FROM dossiers WHERE code = '$(code "$1")'"
}

# tcol REF COLUMN: a time column as RFC 3339 office time
tcol() {
	col "$1" "strftime('%Y-%m-%dT%H:%M:%S+07:00', $2, 'unixepoch', '+7 hours')"
}

# route REF LOGIN TIME ACTION [OPTION ...]: LOGIN does ACTION on the dossier
# REF at TIME; the output goes to out.jsonl
route() {
	_ref=$1 _as=$2 _at=$3 _action=$4
	shift 4
	dossier-route --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(code "$_ref")" >out.jsonl
}

# want FILTER [FILE]: FILE (out.jsonl) has lines, and FILTER is true of each
want() {
	jq -e -s "length > 0 and all(.[]; $1)" "${2:-out.jsonl}" >/dev/null
}

# isrec [FILE]: each line is a dossier record (dossier(5))
isrec() {
	want '.v == 1 and (.uuid | type) == "string" and
	    (.code | type) == "string" and (.status | type) == "number" and
	    (.status_name | type) == "string" and (.version | type) == "number"
	    and has("step") and has("step_name") and has("handler") and
	    has("owner") and has("unit") and has("due_at") and has("start_at")' \
	    "${1:-out.jsonl}"
}

# evs REF [COLUMN]: the actions (or actors...) of the dossier's events, in
# order, on one line
evs() {
	sqlite3 "$DOSSIER_DB" "SELECT group_concat(x, ' ') FROM (SELECT
	    e.${2:-action} AS x FROM events e JOIN dossiers d ON d.uuid = e.dossier
	    WHERE d.code = '$(code "$1")' ORDER BY e.id)"
}

# last REF KEY: a field of the payload of the dossier's last event
last() {
	sqlite3 "$DOSSIER_DB" "SELECT json_extract(e.payload, '\$.$2') FROM
	    events e JOIN dossiers d ON d.uuid = e.dossier
	    WHERE d.code = '$(code "$1")' ORDER BY e.id DESC LIMIT 1"
}

# ---- receive, start, each internal step, finish, return (restart proc) ----
# 1.001022: 3 working days; steps specialist 2 d, leader 0.5 d, clerk 0.5 d
expect_ok 'a received dossier is accepted, version 1, due in 3 working days' '
	recv a 1.001022 2026-03-09T09:00:00+07:00 &&
	isrec a.jsonl &&
	want ".status == 2 and .status_name == \"accepted\" and .version == 1
	    and .step == null and .handler == null and
	    .due_at == \"2026-03-12T09:00:00+07:00\"" a.jsonl'
expect_ok 'start: processing at step 1, with the handler named by -H' '
	route a an.nv 2026-03-09T10:00:00+07:00 start -H hai.pm &&
	isrec && test "$(wc -l <out.jsonl)" = 1 &&
	want ".code == \"$(code a)\" and .status == 4 and
	    .status_name == \"processing\" and .step == 1 and
	    .step_name == \"Thẩm định hồ sơ, niêm yết công khai\" and
	    .handler == \"hai.pm\" and .version == 2 and
	    .due_at == \"2026-03-12T09:00:00+07:00\"" &&
	test "$(tcol a step_at)" = 2026-03-09T10:00:00+07:00 &&
	test "$(tcol a step_due_at)" = 2026-03-11T10:00:00+07:00'
expect_ok 'next by the specialist of step 1: step 2, its name and handler' '
	route a hai.pm 2026-03-10T10:00:00+07:00 next -H hung.lv &&
	isrec &&
	want ".status == 4 and .step == 2 and
	    .step_name == \"Chủ tịch UBND ký Trích lục đăng ký nhận cha, mẹ, con\"
	    and .handler == \"hung.lv\" and .version == 3" &&
	test "$(last a step_result)" = early &&
	test "$(tcol a step_due_at)" = 2026-03-10T16:00:00+07:00'
expect_ok 'back to step 1 with a reason, then next again' '
	route a hung.lv 2026-03-10T11:00:00+07:00 back -r "Cần xác minh thêm" &&
	want ".step == 1 and .version == 4 and .handler == null and
	    .step_name == \"Thẩm định hồ sơ, niêm yết công khai\"" &&
	test "$(last a reason)" = "Cần xác minh thêm" &&
	route a hai.pm 2026-03-10T14:00:00+07:00 next -H hung.lv &&
	want ".step == 2 and .version == 5 and .handler == \"hung.lv\""'
expect_ok 'next by the leader of step 2: the last step, for the clerk' '
	route a hung.lv 2026-03-11T09:00:00+07:00 next -H mai.vt &&
	want ".step == 3 and .version == 6 and .handler == \"mai.vt\" and
	    .step_name == \"Vào sổ hộ tịch, đóng dấu và chuyển kết quả\"" &&
	test "$(last a step_result)" = on_time'
expect_ok 'finish by a leader who did not receive it' '
	route a hung.lv 2026-03-11T10:00:00+07:00 finish &&
	isrec &&
	want ".status == 9 and .status_name == \"finished\" and .version == 7
	    and .finished_at == \"2026-03-11T10:00:00+07:00\" and
	    .returned_at == null"'
expect_ok 'return to the applicant by reception' '
	route a an.nv 2026-03-11T15:00:00+07:00 return &&
	isrec &&
	want ".status == 10 and .status_name == \"returned\" and .version == 8
	    and .returned_at == \"2026-03-11T15:00:00+07:00\" and
	    .finished_at == \"2026-03-11T10:00:00+07:00\""'
expect_ok 'each action is one event on the chain, by the one who acted' '
	test "$(evs a)" = "receive start next back next next finish return" &&
	test "$(evs a actor)" = \
	    "an.nv an.nv hai.pm hung.lv hai.pm hung.lv hung.lv an.nv" &&
	test "$(col a version)" = 8'

# ---- online submissions: accept, refuse ----
expect_ok 'an online submission waits with status 1 and no due time' '
	recv o1 1.001193 2026-03-10T16:30:00+07:00 online &&
	want ".status == 1 and .status_name == \"submitted\" and
	    .due_at == null and .start_at == null" o1.jsonl'
expect_ok 'accept within office hours: the clock starts at acceptance' '
	route o1 an.nv 2026-03-10T16:45:00+07:00 accept &&
	isrec &&
	want ".status == 2 and .status_name == \"accepted\" and .version == 2
	    and .start_at == \"2026-03-10T16:45:00+07:00\" and
	    .due_at == \"2026-03-11T16:45:00+07:00\""'
expect_ok 'accept after office hours: the clock starts the next working day' '
	recv o2 1.001193 2026-03-13T17:30:00+07:00 online &&
	route o2 an.nv 2026-03-13T18:00:00+07:00 accept &&
	want ".status == 2 and .start_at == \"2026-03-16T07:00:00+07:00\" and
	    .due_at == \"2026-03-16T17:00:00+07:00\""'
expect_code 65 'refuse needs a reason' '
	recv o3 1.001193 2026-03-10T10:00:00+07:00 online &&
	route o3 an.nv 2026-03-10T11:00:00+07:00 refuse'
expect_ok '... and without one it says so and changes nothing' '
	route o3 an.nv 2026-03-10T11:00:00+07:00 refuse 2>err.txt;
	test $? = 65 && has "refuse: refused by rule '\''reason'\''" err.txt &&
	test "$(col o3 status)" = 1 && test "$(col o3 version)" = 1'
expect_ok 'refuse with a reason prints form 03 (-f text)' '
	route o3 an.nv 2026-03-10T11:00:00+07:00 refuse -f text \
	    -r "Sai thẩm quyền giải quyết" &&
	mv out.jsonl refuse.txt &&
	has "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" refuse.txt &&
	has "Mã hồ sơ: $(code o3)" refuse.txt &&
	has "Sai thẩm quyền giải quyết" refuse.txt &&
	has "Trần Thị Bích" refuse.txt &&
	has "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" refuse.txt &&
	test "$(col o3 status)" = 3 && test "$(col o3 version)" = 2 &&
	test "$(last o3 reason)" = "Sai thẩm quyền giải quyết"'

# ---- forward: inside this office, and a hand-off to another office ----
echo '{"kind":"unit","code":"000.01.01.H56","name":"Bộ phận Một cửa Trung tâm","level":"section","parent":"000.00.01.H56","remote":false}' >unit.jsonl
expect_ok 'forward to a unit of this office: the unit changes, not the owner' '
	dossier-admin catalog import unit.jsonl >/dev/null &&
	recv f1 1.001022 2026-03-09T09:00:00+07:00 &&
	route f1 an.nv 2026-03-09T10:00:00+07:00 start -H hai.pm &&
	route f1 an.nv 2026-03-09T10:30:00+07:00 forward -t 000.01.01.H56 \
	    -H hai.pm &&
	isrec &&
	want ".unit == \"000.01.01.H56\" and .owner == \"000.00.01.H56\" and
	    .handler == \"hai.pm\" and .status == 4 and .step == 1 and
	    .version == 3" &&
	test "$(last f1 to)" = 000.01.01.H56 && test -z "$(last f1 handoff)"'
expect_ok '... and the dossier goes on in this office' '
	route f1 hai.pm 2026-03-09T11:00:00+07:00 next &&
	want ".step == 2 and .version == 4"'
expect_ok 'forward to another office is a hand-off: the owner changes' '
	route f1 hung.lv 2026-03-09T14:00:00+07:00 forward -t 000.00.12.H56 &&
	isrec &&
	want ".owner == \"000.00.12.H56\" and .handler == null and
	    .status == 4 and .version == 5" &&
	test "$(last f1 handoff)" = 1 && test "$(last f1 to)" = 000.00.12.H56'
expect_ok 'after the hand-off every action is refused (77), naming the owner' '
	n=$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events") &&
	dossier-route -l >list.txt && cut -d: -f1 list.txt >actions &&
	test "$(wc -l <actions)" -ge 16 &&
	while read -r act; do
		# the target and the due time for the actions that read them
		case $act in
		forward) set -- -t 000.01.01.H56 ;;
		extend) set -- -D 2026-03-20T09:00:00+07:00 ;;
		*) set -- ;;
		esac
		for who in an.nv hung.lv mai.vt hai.pm; do
			dossier-route --as $who --at 2026-03-10T09:00:00+07:00 \
			    -r "lý do" "$@" "$act" "$(code f1)" \
			    >out.jsonl 2>err.txt
			rc=$?
			if [ $rc != 77 ] || ! grep -q "rule '\''owner'\''.*000\.00\.12\.H56" err.txt; then
				echo "$act by $who: exit $rc" >&2; cat err.txt >&2
				exit 1
			fi
			test ! -s out.jsonl || exit 1
		done
	done <actions &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events")" = "$n" &&
	test "$(col f1 version)" = 5'
expect_ok 'an accepted dossier may be handed off before it starts' '
	recv f2 1.012793 2026-03-09T09:00:00+07:00 &&
	route f2 an.nv 2026-03-09T10:00:00+07:00 forward -t 000.00.12.H56 &&
	want ".status == 2 and .owner == \"000.00.12.H56\" and .version == 2"'
expect_code 65 'forward to an unknown unit is refused' '
	recv f3 1.001022 2026-03-09T09:00:00+07:00 &&
	route f3 an.nv 2026-03-09T10:00:00+07:00 forward -t 000.99.99.H56'

# ---- supplement: restart procedure (clock restarts from the arrival) ----
# 1.001193: 1 working day, restart
expect_ok 'request_supplement at step 1 prints form 02 with reason and documents' '
	recv s1 1.001193 2026-03-09T09:00:00+07:00 &&
	test "$(jq -r .due_at s1.jsonl)" = 2026-03-10T09:00:00+07:00 &&
	route s1 an.nv 2026-03-09T09:30:00+07:00 start -H hai.pm &&
	route s1 hai.pm 2026-03-09T10:00:00+07:00 request_supplement -f text \
	    -r "Giấy chứng sinh bị mờ" -m "Giấy chứng sinh (bản chính)" \
	    -m "Tờ khai có chữ ký" &&
	mv out.jsonl supp.txt &&
	has "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" supp.txt &&
	has "Mã hồ sơ: $(code s1)" supp.txt &&
	has "1. Giấy chứng sinh (bản chính)" supp.txt &&
	has "2. Tờ khai có chữ ký" supp.txt &&
	has "Lý do: Giấy chứng sinh bị mờ" supp.txt &&
	has "Phạm Minh Hải" supp.txt'
expect_ok '... the dossier waits for the supplement, which is recorded' '
	test "$(col s1 status)" = 5 && test "$(col s1 supplements)" = 1 &&
	test "$(col s1 version)" = 3 &&
	test "$(tcol s1 paused_at)" = 2026-03-09T10:00:00+07:00 &&
	test "$(last s1 reason)" = "Giấy chứng sinh bị mờ" &&
	test "$(last s1 missing)" = "[\"Giấy chứng sinh (bản chính)\",\"Tờ khai có chữ ký\"]"'
expect_ok 'supplement_received (restart): back to processing, due from the arrival' '
	route s1 an.nv 2026-03-11T14:00:00+07:00 supplement_received &&
	isrec &&
	want ".status == 4 and .step == 1 and .supplements == 1 and
	    .version == 4 and .start_at == \"2026-03-11T14:00:00+07:00\" and
	    .due_at == \"2026-03-12T14:00:00+07:00\"" &&
	test "$(tcol s1 step_at)" = 2026-03-11T14:00:00+07:00 &&
	test "$(tcol s1 step_due_at)" = 2026-03-12T08:00:00+07:00 &&
	test -z "$(col s1 paused_at)"'
expect_ok 'a supplement asked at receipt returns to accepted; after 15:00 it counts from the next day' '
	recv s2 1.001193 2026-03-09T09:00:00+07:00 &&
	route s2 an.nv 2026-03-09T09:10:00+07:00 request_supplement \
	    -r "Thiếu giấy chứng sinh" &&
	want ".status == 5 and .status_name == \"supplement_requested\"" &&
	route s2 an.nv 2026-03-11T15:30:00+07:00 supplement_received &&
	want ".status == 2 and .step == null and
	    .start_at == \"2026-03-12T07:00:00+07:00\" and
	    .due_at == \"2026-03-12T17:00:00+07:00\""'

# ---- supplement: pause procedure (the paused working time is added) ----
# 1.004873: 3 working days, pause; step 1 is 2 working days
expect_ok 'supplement_received (pause): due shifted by the working time paused' '
	recv p1 1.004873 2026-03-12T09:00:00+07:00 &&
	test "$(jq -r .due_at p1.jsonl)" = 2026-03-17T09:00:00+07:00 &&
	route p1 an.nv 2026-03-12T10:00:00+07:00 start -H hai.pm &&
	test "$(tcol p1 step_due_at)" = 2026-03-16T10:00:00+07:00 &&
	route p1 hai.pm 2026-03-13T10:00:00+07:00 request_supplement \
	    -r "Thiếu tờ khai" &&
	want ".status == 5 and .due_at == \"2026-03-17T09:00:00+07:00\"" &&
	route p1 an.nv 2026-03-16T10:00:00+07:00 supplement_received &&
	isrec &&
	want ".status == 4 and .step == 1 and .version == 4 and
	    .start_at == \"2026-03-12T09:00:00+07:00\" and
	    .due_at == \"2026-03-18T09:00:00+07:00\"" &&
	test "$(col p1 paused_total)" = 28800 &&
	test "$(tcol p1 step_due_at)" = 2026-03-17T10:00:00+07:00 &&
	test -z "$(col p1 paused_at)"'
expect_ok 'a longer pause of the 22-day procedure 1.001776 shifts it further' '
	recv p2 1.001776 2026-03-02T09:00:00+07:00 &&
	test "$(jq -r .due_at p2.jsonl)" = 2026-04-01T09:00:00+07:00 &&
	route p2 an.nv 2026-03-02T10:00:00+07:00 request_supplement -r "x" &&
	route p2 an.nv 2026-03-05T10:00:00+07:00 supplement_received &&
	want ".status == 2 and .due_at == \"2026-04-06T09:00:00+07:00\"" &&
	test "$(col p2 paused_total)" = 86400'

# ---- fees: a land procedure whose fee waiting is not counted ----
# 1.012793: 10 working days, fee_paused; steps reception, specialist, ...
expect_ok 'land procedure: through the first steps to the fee step' '
	recv l1 1.012793 2026-03-02T09:00:00+07:00 &&
	test "$(jq -r .due_at l1.jsonl)" = 2026-03-16T09:00:00+07:00 &&
	route l1 an.nv 2026-03-02T10:00:00+07:00 start &&
	want ".handler == \"an.nv\" and .step == 1" &&
	route l1 an.nv 2026-03-03T09:00:00+07:00 next -H son.bd &&
	route l1 son.bd 2026-03-04T09:00:00+07:00 next &&
	want ".step == 3 and
	    .step_name == \"Xác định và thông báo nghĩa vụ tài chính\""'
expect_ok 'request_fee pauses the clock (status 6)' '
	route l1 son.bd 2026-03-04T10:00:00+07:00 request_fee &&
	isrec &&
	want ".status == 6 and .status_name == \"fee_requested\" and
	    .version == 5 and .due_at == \"2026-03-16T09:00:00+07:00\"" &&
	test "$(tcol l1 paused_at)" = 2026-03-04T10:00:00+07:00'
expect_ok 'fee_paid resumes it: due shifted by the two working days waited' '
	route l1 mai.vt 2026-03-06T10:00:00+07:00 fee_paid &&
	isrec &&
	want ".status == 4 and .step == 3 and .version == 6 and
	    .due_at == \"2026-03-18T09:00:00+07:00\"" &&
	test "$(col l1 paused_total)" = 57600 && test -z "$(col l1 paused_at)"'
expect_ok 'a procedure without fee_paused keeps its due time over a fee' '
	recv l2 1.001022 2026-03-09T09:00:00+07:00 &&
	route l2 an.nv 2026-03-09T10:00:00+07:00 start &&
	route l2 an.nv 2026-03-09T11:00:00+07:00 request_fee &&
	want ".status == 6" && test -z "$(col l2 paused_at)" &&
	route l2 an.nv 2026-03-11T11:00:00+07:00 fee_paid &&
	want ".status == 4 and .due_at == \"2026-03-12T09:00:00+07:00\"" &&
	test "$(col l2 paused_total)" = 0'

# ---- extend: once, by a leader, prints form 04 ----
expect_ok 'extend by a leader moves the due time and prints form 04' '
	recv e1 1.001022 2026-03-09T09:00:00+07:00 &&
	route e1 an.nv 2026-03-09T10:00:00+07:00 start &&
	route e1 hung.lv 2026-03-10T09:00:00+07:00 extend -f text \
	    -r "Cần xác minh tại địa phương" -D 2026-03-16T09:00:00+07:00 &&
	mv out.jsonl extend.txt &&
	has "Mẫu số 04 - Thông tư 03/2025/TT-VPCP" extend.txt &&
	has "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" \
	    extend.txt &&
	has "Lý do: Cần xác minh tại địa phương" extend.txt &&
	has "Thời gian hẹn trả kết quả mới" extend.txt &&
	has "16/03/2026" extend.txt && has "12/03/2026" extend.txt &&
	has "Lê Văn Hùng" extend.txt &&
	test "$(tcol e1 due_at)" = 2026-03-16T09:00:00+07:00 &&
	test "$(col e1 extensions)" = 1 && test "$(col e1 status)" = 4 &&
	test "$(col e1 version)" = 3'
expect_ok 'extend as JSON: the record shows the new due time' '
	recv e2 1.001022 2026-03-09T09:00:00+07:00 &&
	route e2 an.nv 2026-03-09T10:00:00+07:00 start &&
	route e2 hung.lv 2026-03-09T11:00:00+07:00 extend -r "Chờ xác minh" \
	    --due 2026-03-13T17:00:00+07:00 &&
	isrec &&
	want ".due_at == \"2026-03-13T17:00:00+07:00\" and .extensions == 1
	    and .status == 4 and .version == 3"'

# ---- withdraw, then stop (form 05) ----
expect_ok 'withdraw on the applicant'\''s request (status 7)' '
	recv w1 1.001022 2026-03-09T09:00:00+07:00 &&
	route w1 an.nv 2026-03-09T10:00:00+07:00 start &&
	route w1 an.nv 2026-03-10T09:00:00+07:00 withdraw \
	    -r "Người nộp xin rút hồ sơ" &&
	isrec &&
	want ".status == 7 and .status_name == \"withdrawal_requested\" and
	    .version == 3"'
expect_ok 'stop by a leader prints form 05 (status 8)' '
	route w1 hung.lv 2026-03-10T10:00:00+07:00 stop -f text \
	    -r "Người nộp xin rút hồ sơ" &&
	mv out.jsonl stop.txt &&
	has "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" stop.txt &&
	has "Mã hồ sơ: $(code w1)" stop.txt &&
	has "Người nộp xin rút hồ sơ" stop.txt &&
	has "Căn cứ đề nghị dừng giải quyết" stop.txt &&
	test "$(col w1 status)" = 8 && test "$(col w1 version)" = 4 &&
	test "$(tcol w1 finished_at)" = 2026-03-10T10:00:00+07:00'
expect_ok 'stop as JSON: status 8 stopped' '
	recv w2 1.001193 2026-03-09T09:00:00+07:00 online &&
	route w2 an.nv 2026-03-09T10:00:00+07:00 withdraw -r "Rút hồ sơ" &&
	want ".status == 7" &&
	route w2 hung.lv 2026-03-09T11:00:00+07:00 stop &&
	isrec && want ".status == 8 and .status_name == \"stopped\" and
	    .finished_at == \"2026-03-09T11:00:00+07:00\""'
# A stop needs no reason; its form then gives the applicant's withdrawal.
expect_ok 'stop -f text without -r prints form 05 for the withdrawal' '
	recv w3 1.001022 2026-03-09T09:00:00+07:00 &&
	route w3 an.nv 2026-03-09T10:00:00+07:00 withdraw -r "Rút hồ sơ" &&
	route w3 hung.lv 2026-03-09T11:00:00+07:00 stop -f text &&
	has "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" out.jsonl &&
	has "Theo đề nghị rút hồ sơ" out.jsonl &&
	test "$(col w3 status)" = 8 && test "$(col w3 version)" = 3'

# ---- reject after appraisal, within the deadline (form 03) ----
expect_ok 'reject by a leader within the deadline prints form 03 (status 8)' '
	recv r1 1.001022 2026-03-09T09:00:00+07:00 &&
	route r1 an.nv 2026-03-09T10:00:00+07:00 start &&
	route r1 hung.lv 2026-03-11T09:00:00+07:00 reject -f text \
	    -r "Không đủ điều kiện" &&
	mv out.jsonl reject.txt &&
	has "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ" reject.txt &&
	! has "TIẾP NHẬN GIẢI QUYẾT" reject.txt &&
	has "ĐẠI DIỆN CƠ QUAN" reject.txt &&
	has "Không đủ điều kiện" reject.txt &&
	has "Lê Văn Hùng" reject.txt &&
	test "$(col r1 status)" = 8 && test "$(col r1 version)" = 3 &&
	test "$(tcol r1 finished_at)" = 2026-03-11T09:00:00+07:00 &&
	test "$(last r1 reason)" = "Không đủ điều kiện"'
expect_ok 'reject as JSON, from supplement_requested' '
	recv r2 1.001022 2026-03-09T09:00:00+07:00 &&
	route r2 an.nv 2026-03-09T10:00:00+07:00 start &&
	route r2 an.nv 2026-03-09T11:00:00+07:00 request_supplement -r "x" &&
	route r2 hung.lv 2026-03-10T11:00:00+07:00 reject -r "Không bổ sung" &&
	isrec && want ".status == 8 and .status_name == \"stopped\""'

# ---- HTML forms ----
expect_ok '-f html gives a whole HTML page with the form' '
	recv h1 1.001022 2026-03-09T09:00:00+07:00 &&
	route h1 an.nv 2026-03-09T10:00:00+07:00 request_supplement -f html \
	    -r "Thiếu <bản> & chính" -m "Giấy tờ A" &&
	mv out.jsonl supp.html &&
	has "<!DOCTYPE html>" supp.html && has "<html" supp.html &&
	has "</html>" supp.html && has "$(code h1)" supp.html &&
	has "Thiếu &lt;bản&gt; &amp; chính" supp.html &&
	! grep -q "Thiếu <bản>" supp.html &&
	test "$(col h1 status)" = 5'
expect_ok 'actions that issue no form print nothing with -f' '
	recv h2 1.001022 2026-03-09T09:00:00+07:00 &&
	route h2 an.nv 2026-03-09T10:00:00+07:00 start -f text &&
	test ! -s out.jsonl && test "$(col h2 status)" = 4'

# ---- the pipe: dossier records and action records on stdin ----
expect_ok 'dossier-new | dossier-route start: each dossier record is started' '
	{ app q1 1.001022 2026-03-16T08:00:00+07:00
	  app q2 1.004873 2026-03-16T08:00:00+07:00
	  app q3 1.001193 2026-03-16T08:00:00+07:00; } >q.jsonl &&
	dossier-new --as an.nv q.jsonl >d.jsonl &&
	dossier-route --as an.nv --at 2026-03-16T09:00:00+07:00 -H hai.pm \
	    start <d.jsonl >started.jsonl &&
	isrec started.jsonl && test "$(wc -l <started.jsonl)" = 3 &&
	jq -r .code d.jsonl >want && jq -r .code started.jsonl >got &&
	same want got &&
	want ".status == 4 and .step == 1 and .version == 2 and
	    .handler == \"hai.pm\"" started.jsonl'
expect_ok 'action records with expect_version move each dossier' '
	jq -c "{code, action: \"next\", expect_version: .version}" \
	    started.jsonl >actions.jsonl &&
	dossier-route --as hai.pm --at 2026-03-16T10:00:00+07:00 \
	    <actions.jsonl >next.jsonl &&
	isrec next.jsonl && test "$(wc -l <next.jsonl)" = 3 &&
	want ".step == 2 and .version == 3" next.jsonl'
expect_ok 'a stale expect_version is refused: someone acted on it first' '
	dossier-route --as hai.pm --at 2026-03-16T11:00:00+07:00 \
	    <actions.jsonl >stale.jsonl 2>err.txt;
	test $? = 65 && test ! -s stale.jsonl &&
	has "someone acted on it first" err.txt &&
	want ".version == 3" next.jsonl'
# A version of 0 or less would disable compare-and-set: both forms refuse
# the same range with the same message.
expect_ok 'expect_version 0 or less is refused, as -V 0 is, with its line' '
	c1=$(jq -r "select(.ref == \"q1\") | .code" d.jsonl) &&
	for v in 0 -1 -9223372036854775808 1099511627777; do
		printf "{\"code\":\"%s\",\"action\":\"next\",\"expect_version\":%s}\n" \
		    "$c1" "$v" >bad.jsonl &&
		{ dossier-route --as hai.pm <bad.jsonl >bad.out 2>rerr.txt
		  test $? = 65; } && test ! -s bad.out &&
		has "stdin:1: expected version $v is out of range (a dossier version is 1 to 1099511627776)" rerr.txt &&
		{ dossier-route --as hai.pm -V "$v" next "$c1" >bad.out 2>oerr.txt
		  test $? = 64; } && test ! -s bad.out &&
		has "dossier-route: expected version $v is out of range (a dossier version is 1 to 1099511627776)" oerr.txt ||
		return 1
	done &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT version FROM dossiers
	    WHERE code = '\''$c1'\''")" = 3'
expect_ok 'action records carry their own reason, target and due time' '
	c1=$(jq -r "select(.ref == \"q1\") | .code" d.jsonl) &&
	c2=$(jq -r "select(.ref == \"q2\") | .code" d.jsonl) &&
	printf "%s\n" \
	    "{\"code\":\"$c1\",\"action\":\"extend\",\"reason\":\"Chờ ý kiến\",\"due\":\"2026-03-25T09:00:00+07:00\",\"expect_version\":3}" \
	    "{\"code\":\"$c2\",\"action\":\"forward\",\"to\":\"000.01.01.H56\",\"handler\":\"hung.lv\"}" \
	    >mixed.jsonl &&
	dossier-route --as hung.lv --at 2026-03-16T14:00:00+07:00 \
	    <mixed.jsonl >mixed.out &&
	jq -s -e ".[0].due_at == \"2026-03-25T09:00:00+07:00\" and
	    .[0].extensions == 1 and .[1].unit == \"000.01.01.H56\" and
	    .[1].handler == \"hung.lv\"" mixed.out >/dev/null'
# The documents listed as missing belong to the record that lists them.
expect_ok 'a record'\''s missing documents do not leak into the next record' '
	{ app m1 1.001022 2026-03-16T08:00:00+07:00
	  app m2 1.001022 2026-03-16T08:00:00+07:00; } | \
	    dossier-new --as an.nv >m.jsonl &&
	jq -c "{code, action: \"request_supplement\", reason: \"Thiếu giấy tờ\"}
	    + (if .ref == \"m1\" then {missing: [\"Giấy A\"]} else {} end)" \
	    m.jsonl >msupp.jsonl &&
	dossier-route --as an.nv --at 2026-03-16T09:00:00+07:00 \
	    <msupp.jsonl >/dev/null &&
	jq -r "select(.ref == \"m1\") | .code" m.jsonl >m1.code &&
	jq -r "select(.ref == \"m2\") | .code" m.jsonl >m2.code &&
	sqlite3 "$DOSSIER_DB" "SELECT d.code, json_extract(e.payload, '\''\$.missing'\'')
	    FROM events e JOIN dossiers d ON d.uuid = e.dossier
	    WHERE e.action = '\''request_supplement'\'' AND d.ref IN ('\''m1'\'', '\''m2'\'')
	    ORDER BY e.id" >got &&
	printf "%s|[\"Giấy A\"]\n%s|\n" "$(cat m1.code)" "$(cat m2.code)" >want &&
	same want got'

# ---- --at: the event log is append-only, so no date it cannot hold ----
expect_ok 'setup: a dossier started at 09:00' '
	recv z1 1.001022 2026-03-16T08:00:00+07:00 &&
	route z1 an.nv 2026-03-16T09:00:00+07:00 start -H hai.pm &&
	sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events" >events.before'
expect_code 65 '--at in the future is refused, naming the rule' '
	future=$(date -d "+1 day" +%Y-%m-%dT%H:%M:%S+07:00) &&
	dossier-route --as hai.pm --at "$future" next "$(code z1)" \
	    >out.jsonl 2>err.txt; s=$?
	has "dossier-route: --at $future is in the future: an action is dated when it was taken" err.txt &&
	test ! -s out.jsonl && test "$(col z1 version)" = 2 || exit 1
	exit $s'
expect_code 65 '--at before the dossier'\''s last event is refused, naming the rule' '
	route z1 hai.pm 2026-03-16T08:59:59+07:00 next 2>err.txt; s=$?
	has ": --at 2026-03-16T08:59:59+07:00 is earlier than the dossier'\''s last event, at 2026-03-16T09:00:00+07:00: the event log is append-only" err.txt &&
	test ! -s out.jsonl && test "$(col z1 version)" = 2 || exit 1
	exit $s'
expect_code 65 'so is an action record, with its line' '
	printf "{\"code\":\"%s\",\"action\":\"next\"}\n" "$(code z1)" >z.jsonl &&
	dossier-route --as hai.pm --at 2026-03-16T08:00:00+07:00 <z.jsonl \
	    >out.jsonl 2>err.txt; s=$?
	has "dossier-route: stdin:1: $(code z1): --at 2026-03-16T08:00:00+07:00 is earlier than" err.txt &&
	test ! -s out.jsonl && test "$(col z1 version)" = 2 &&
	sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events" >events.after &&
	same events.before events.after || exit 1
	exit $s'
expect_ok 'an action at the same instant as the last event is taken' '
	route z1 hai.pm 2026-03-16T09:00:00+07:00 next &&
	want ".version == 3 and .step == 2"'

# ---- the whole database still checks ----
expect_ok 'an event whose previous hash was changed is found by check' '
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''tamper.db'\''" &&
	sqlite3 tamper.db "DROP TRIGGER events_no_update;
	    UPDATE events SET prev_hash = randomblob(32) WHERE seq = 3" &&
	dossier-admin -d tamper.db check >check.json 2>err.txt;
	test $? = 65 &&
	has "event 3: previous hash does not match event 2" err.txt &&
	jq -e ".ok == false and .broken_chains == 1" check.json >/dev/null'
expect_ok 'dossier-admin check: chains and projections agree after all of this' '
	dossier-admin check >check.json &&
	jq -e ".ok and .broken_chains == 0 and .projection_mismatches == 0 and
	    .events == $(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events") and
	    .events > 50" check.json >/dev/null'

finish
