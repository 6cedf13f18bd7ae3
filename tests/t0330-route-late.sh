#!/bin/sh
# dossier-route: late acts are recorded, not refused (Decree 61/2018 Art.
# 19(4), (8), (9)), and the one result rule: early, on time or late by the
# due day (Decision 766), stored when a dossier ends.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo

# app REF PROC TIME [CHANNEL]: an application with the required documents
app() {
	jq -nc --arg ref "$1" --arg p "$2" --arg t "$3" \
	    --arg ch "${4:-direct}" --slurpfile cat "$CATALOG" '{ref: $ref,
	    procedure: $p, unit: "000.00.01.H56", channel: $ch,
	    received_at: $t, applicant: {name: "Phạm Văn Đồng"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select(.required) | {name}]}'
}
# recv REF PROC TIME [CHANNEL]: trang.ntt receives it; its record in REF.jsonl
recv() {
	app "$1" "$2" "$3" "${4:-direct}" |
	    dossier-new --as trang.ntt >"$1.jsonl"
}
code() {
	jq -r .code "$1.jsonl"
}
col() {
	sqlite3 "$DOSSIER_DB" "SELECT $2 FROM dossiers WHERE code = '$(code "$1")'"
}
# route REF LOGIN TIME ACTION [OPTION ...]; the output in out.jsonl
route() {
	_ref=$1 _as=$2 _at=$3 _action=$4
	shift 4
	dossier-route --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(code "$_ref")" >out.jsonl
}
# last REF KEY: a field of the payload of the dossier's last event
last() {
	sqlite3 "$DOSSIER_DB" "SELECT json_extract(e.payload, '\$.$2') FROM
	    events e JOIN dossiers d ON d.uuid = e.dossier
	    WHERE d.code = '$(code "$1")' ORDER BY e.id DESC LIMIT 1"
}
# steps REF TIME: through the three steps of 1.001022 up to the last one
steps() {
	route "$1" an.nv 2026-03-02T09:00:00+07:00 start -H hai.pm &&
	route "$1" hai.pm 2026-03-02T10:00:00+07:00 next &&
	route "$1" hung.lv 2026-03-02T11:00:00+07:00 next
}
# result REF: the stored result, in the row and in the record printed
result() {
	_r=$(col "$1" result) &&
	test "$(jq -r .result out.jsonl)" = "$_r" &&
	echo "$_r"
}

# 1.001022: 3 working days.  Received Monday 2/3/2026 08:00, due Thursday
# 5/3/2026 08:00.
# shellcheck disable=SC2034 # used in the test commands
# shellcheck disable=SC2034 # used in the test commands
R=2026-03-02T08:00:00+07:00
expect_ok 'a new dossier: its first due time is its due time, no result' '
	recv n1 1.001022 $R &&
	jq -e ".original_due_at == \"2026-03-05T08:00:00+07:00\" and
	    .due_at == .original_due_at and .result == null" n1.jsonl \
	    >/dev/null &&
	test "$(col n1 original_due_at)" = "$(col n1 due_at)"'

# ---- the day rule, against the dossier's due time ----
expect_ok 'finished the day before the due day: early' '
	recv d1 1.001022 $R && steps d1 &&
	route d1 hung.lv 2026-03-04T16:00:00+07:00 finish &&
	test "$(result d1)" = early && test "$(last d1 result)" = early'
expect_ok 'finished on the due day after the due hour: on time' '
	recv d2 1.001022 $R && steps d2 &&
	route d2 hung.lv 2026-03-05T16:00:00+07:00 finish &&
	test "$(result d2)" = on_time && test "$(last d2 result)" = on_time'
expect_ok 'finished the day after the due day: late' '
	recv d3 1.001022 $R && steps d3 &&
	route d3 hung.lv 2026-03-06T08:00:00+07:00 finish &&
	test "$(result d3)" = late && test "$(last d3 result)" = late'
expect_ok '... against the dossier'\''s due time, not its last step'\''s' '
	test "$(last d1 step_result)" = late && test "$(last d1 result)" = early'
expect_ok 'the result is kept when the dossier is returned' '
	route d3 an.nv 2026-03-06T09:00:00+07:00 return &&
	test "$(col d3 status)" = 10 && test "$(result d3)" = late'

# ---- a late rejection (Art. 19(8)) ----
expect_ok 'a rejection the day after the due day is recorded, late' '
	recv j1 1.001022 $R &&
	route j1 an.nv 2026-03-02T09:00:00+07:00 start &&
	route j1 hung.lv 2026-03-06T09:00:00+07:00 reject -r "Không đủ điều kiện" &&
	test "$(col j1 status)" = 8 && test "$(last j1 late)" = 1 &&
	test "$(result j1)" = late'
expect_ok 'a rejection on the due day after the due hour: late act, on time' '
	recv j2 1.001022 $R &&
	route j2 an.nv 2026-03-02T09:00:00+07:00 start &&
	route j2 hung.lv 2026-03-05T16:00:00+07:00 reject -r "Không đủ điều kiện" &&
	test "$(last j2 late)" = 1 && test "$(result j2)" = on_time'
expect_ok 'a rejection in time: early, nothing late' '
	recv j3 1.001022 $R &&
	route j3 an.nv 2026-03-02T09:00:00+07:00 start &&
	route j3 hung.lv 2026-03-03T09:00:00+07:00 reject -r "Không đủ điều kiện" &&
	test "$(last j3 late)" = "" && test "$(result j3)" = early'
expect_ok 'return hands the rejection back: status 10 from 8, its form 03' '
	dossier-route --as an.nv --at 2026-03-06T10:00:00+07:00 -f text \
	    -r "Không đủ điều kiện" return "$(code j1)" >ret.txt &&
	test "$(col j1 status)" = 10 &&
	has "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ" ret.txt &&
	! has "TIẾP NHẬN GIẢI QUYẾT" ret.txt && has "Qua thẩm định" ret.txt &&
	has "ĐẠI DIỆN CƠ QUAN" ret.txt && test "$(col j1 result)" = late'

# ---- apologies (Art. 19(9)) ----
expect_ok 'an extension asked in time: judged against the new due time' '
	recv x1 1.001022 $R && steps x1 &&
	route x1 hung.lv 2026-03-03T09:00:00+07:00 extend -r "Cần xác minh" \
	    -D 2026-03-10T08:00:00+07:00 &&
	test "$(last x1 late)" = "" &&
	jq -e ".due_at == \"2026-03-10T08:00:00+07:00\" and
	    .original_due_at == \"2026-03-05T08:00:00+07:00\"" out.jsonl \
	    >/dev/null &&
	route x1 hung.lv 2026-03-09T09:00:00+07:00 finish &&
	test "$(result x1)" = early'
expect_ok 'a late apology (the day before the due day, after the hour)' '
	recv x2 1.001022 $R && steps x2 &&
	route x2 hung.lv 2026-03-04T09:00:00+07:00 extend -r "Cần xác minh" \
	    -D 2026-03-10T08:00:00+07:00 &&
	test "$(last x2 late)" = 1 && test "$(col x2 late)" = 1 &&
	test "$(col x2 extensions)" = 1'
expect_ok '... does not make the dossier on time' '
	route x2 hung.lv 2026-03-09T09:00:00+07:00 finish &&
	test "$(result x2)" = late'
expect_ok 'an apology after the due time is recorded, late' '
	recv x3 1.001022 $R && steps x3 &&
	route x3 hung.lv 2026-03-06T09:00:00+07:00 extend -r "Quá hạn" \
	    -D 2026-03-10T08:00:00+07:00 -f text >/dev/null &&
	test "$(col x3 extensions)" = 1 && test "$(col x3 late)" = 1 &&
	test "$(last x3 late)" = 1'

# ---- supplement requests (Art. 19(4)) ----
expect_ok 'a supplement request within 3 working days is in time' '
	recv s1 1.001022 $R &&
	route s1 an.nv 2026-03-02T09:00:00+07:00 start &&
	route s1 an.nv 2026-03-04T09:00:00+07:00 request_supplement -r "Thiếu" &&
	test "$(last s1 late)" = "" && test "$(col s1 late)" = 0'
expect_ok 'a late supplement request (after the due time) is recorded late' '
	recv s2 1.001022 $R && steps s2 &&
	route s2 hai.pm 2026-03-06T09:00:00+07:00 request_supplement -r "Thiếu" &&
	test "$(col s2 status)" = 5 && test "$(last s2 late)" = 1 &&
	test "$(col s2 late)" = 1'
expect_ok '... and the restart does not make it on time' '
	route s2 an.nv 2026-03-09T09:00:00+07:00 supplement_received &&
	test "$(col s2 late)" = 1 &&
	route s2 hung.lv 2026-03-09T10:00:00+07:00 finish &&
	test "$(result s2)" = late'
expect_ok 'a procedure sets its own window (supplement_window)' '
	jq -c "select(.kind == \"procedure\" and .code == \"1.001022\") |
	    .code = \"1.001023\" |
	    .supplement_window = {amount: 1, unit: \"working_days\"}" \
	    "$CATALOG" >win.jsonl &&
	dossier-admin catalog import win.jsonl >/dev/null &&
	dossier-admin catalog export | grep -F "\"1.001023\"" |
	    grep -qF "\"supplement_window\":{\"amount\":1" &&
	app s3 1.001022 $R | jq -c ".procedure = \"1.001023\"" |
	    dossier-new --as trang.ntt >s3.jsonl &&
	route s3 an.nv 2026-03-02T09:00:00+07:00 start &&
	route s3 an.nv 2026-03-04T09:00:00+07:00 request_supplement -r "Thiếu" &&
	test "$(last s3 late)" = 1 && test "$(col s3 late)" = 1'
expect_code 65 'a bad supplement_window is refused' '
	jq -c "select(.kind == \"procedure\" and .code == \"1.001022\") |
	    .code = \"1.001024\" | .supplement_window = {amount: 0,
	    unit: \"working_days\"}" "$CATALOG" >bad.jsonl &&
	dossier-admin catalog import bad.jsonl 2>err.txt; rc=$?;
	has "supplement_window" err.txt; exit $rc'

# ---- withdrawals, and an online submission sent back ----
expect_ok 'a stop at the applicant'\''s request is on time, even when late' '
	recv w1 1.001022 $R &&
	route w1 an.nv 2026-03-02T09:00:00+07:00 start &&
	route w1 an.nv 2026-03-09T09:00:00+07:00 withdraw -r "Rút hồ sơ" &&
	route w1 hung.lv 2026-03-09T10:00:00+07:00 stop &&
	test "$(result w1)" = on_time'
expect_ok 'an online submission sent back for supplement from status 1' '
	recv o1 1.001022 $R online &&
	route o1 an.nv 2026-03-02T09:00:00+07:00 request_supplement \
	    -r "Thiếu bản chính" &&
	test "$(col o1 status)" = 5 && test "$(col o1 paused_at)" = "" &&
	route o1 an.nv 2026-03-03T09:00:00+07:00 supplement_received &&
	test "$(col o1 status)" = 1 && test "$(col o1 start_at)" = "" &&
	route o1 an.nv 2026-03-03T10:00:00+07:00 accept &&
	jq -e ".status == 2 and .due_at == .original_due_at and
	    .due_at != null" out.jsonl >/dev/null'

# ---- where the result is shown ----
expect_ok '--explain shows the result and the rule applied' '
	dossier-status --explain "$(code x2)" >x.json &&
	jq -e ".result == \"late\" and
	    (.result_rule | test(\"Art. 19\\\\(9\\\\)\")) and
	    .original_due_at == \"2026-03-05T08:00:00+07:00\" and
	    .late_acts[0].action == \"extend\" and .extension.late" \
	    x.json >/dev/null &&
	dossier-status --explain "$(code d2)" >x.json &&
	jq -e ".result == \"on_time\" and (.result_rule | test(\"day rule\"))" \
	    x.json >/dev/null &&
	dossier-status --explain "$(code n1)" >x.json &&
	jq -e ".result == null and .result_rule == null" x.json >/dev/null'
expect_ok 'form 06 notes are Vietnamese and end with the result' '
	dossier-status -f tracking "$(code d3)" >f6.txt &&
	has "Phân công xử lý" f6.txt && has "Hoàn thành giải quyết" f6.txt &&
	has "Trả kết quả" f6.txt && ! grep -qw finish f6.txt &&
	has "Quá hạn" f6.txt'
expect_ok 'dossier-admin check rebuilds the new columns from the events' '
	dossier-admin check >check.txt 2>&1'
expect_ok '... and notices a result that differs from them' '
	sqlite3 "$DOSSIER_DB" "UPDATE dossiers SET result = '\''early'\''
	    WHERE code = '\''$(code d3)'\''" &&
	! dossier-admin check >check.txt 2>&1 && has "result" check.txt'

finish
