#!/bin/sh
# t0126-days.sh: a time limit in plain days follows the Civil Code 2015,
# Arts. 147-148: from the day after receipt to the close of office hours
# of the last day, moved to the next working day; the 15:00 cut-off does
# not shift it.  Across Tết 2026 (official: off 14/02 to 22/02).
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# A procedure of 10 calendar days (the shape of Decree 131/2021's "ngày").
grep '"code":"1.001193"' "$CATALOG" |
    sed -e 's/"code":"1.001193"/"code":"9.000010"/' \
	-e 's/"name":"Đăng ký khai sinh"/"name":"Thủ tục thử 10 ngày"/' \
	-e 's/"time":{"amount":1,"unit":"working_days"},"supplement_policy"/"time":{"amount":10,"unit":"days"},"supplement_policy"/' \
    >days.jsonl
expect_ok 'a procedure of 10 days' '
	grep -q "\"amount\":10,\"unit\":\"days\"" days.jsonl &&
	dossier-admin catalog import days.jsonl >/dev/null'

KS='{"name":"Tờ khai đăng ký khai sinh"},{"name":"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"}'
app() {
	printf '{"ref":"%s","procedure":"%s","unit":"000.00.01.H56","channel":"direct","received_at":"%s","applicant":{"type":"citizen","name":"Lê Văn Tám","id_number":"052189001234","phone":"0905123456","address":"Thôn Vinh Thạnh","email":null},"documents":[%s],"note":null}\n' \
	    "$1" "${3:-9.000010}" "$2" "$KS"
}
due() {
	jq -r -s --arg r "$1" 'map(select(.ref == $r))[0].due_at' out.jsonl
}
{
	app d-1 2026-03-02T10:00:00+07:00	# Monday: 12/03 is a Thursday
	app d-2 2026-02-05T10:00:00+07:00	# 15/02, inside Tết
	app d-3 2026-02-11T16:30:00+07:00	# after the cut-off: 21/02
	app d-4 2026-01-30T16:30:00+07:00	# 09/02, a Monday before Tết
} >apps.jsonl
expect_ok 'receipts of the 10-day procedure' 'dossier-new <apps.jsonl >out.jsonl'
expect_ok 'Monday 02/03 + 10 days: Thursday 12/03 at the close, 17:00' '
	test "$(due d-1)" = 2026-03-12T17:00:00+07:00'
expect_ok '05/02 + 10 days ends on 15/02, in Tết: Monday 23/02, 17:00' '
	test "$(due d-2)" = 2026-02-23T17:00:00+07:00'
expect_ok 'after the 15:00 cut-off the period still starts the next day' '
	test "$(due d-3)" = 2026-02-23T17:00:00+07:00 &&
	test "$(due d-4)" = 2026-02-09T17:00:00+07:00'
expect_ok 'the clock of a limit in days starts at receipt' '
	jq -e -s "map(select(.ref == \"d-3\"))[0].start_at ==
	    \"2026-02-11T16:30:00+07:00\"" out.jsonl >/dev/null'
expect_ok 'explain says why: the Civil Code period in days' '
	code=$(jq -r -s "map(select(.ref == \"d-3\"))[0].code" out.jsonl) &&
	dossier-status --explain --now 2026-02-25T12:00:00+07:00 "$code" \
	    >ex.json &&
	jq -e ".start_reason | test(\"Civil Code 2015 Art. 147\")" ex.json \
	    >/dev/null'
# A pause on a limit in days moves the due day by the days paused: the due
# time stays at the close of office hours of a working day.
sed -e 's/"code":"9.000010"/"code":"9.000011"/' \
    -e 's/"supplement_policy":"restart"/"supplement_policy":"pause"/' \
    days.jsonl >pause.jsonl
expect_ok 'a procedure of 10 days whose supplement pauses the clock' '
	grep -q "\"supplement_policy\":\"pause\"" pause.jsonl &&
	dossier-admin catalog import pause.jsonl >/dev/null &&
	{ app p-1 2026-03-02T10:00:00+07:00 9.000011
	  app p-2 2026-03-02T10:00:00+07:00 9.000011; } >p.jsonl &&
	dossier-new <p.jsonl >out.jsonl &&
	test "$(due p-1)" = 2026-03-12T17:00:00+07:00'
# pause REF FROM TO: a supplement asked at FROM and received at TO
pause() {
	_c=$(jq -r -s --arg r "$1" 'map(select(.ref == $r))[0].code' out.jsonl)
	dossier-route --as an.nv --at "$2" -r "Thiếu giấy chứng sinh" \
	    request_supplement "$_c" >/dev/null &&
	dossier-route --as an.nv --at "$3" supplement_received "$_c" \
	    >"$1.rec"
}
expect_ok 'paused Tuesday 09:00 to Wednesday 11:30: Friday 13/03 at 17:00' '
	pause p-1 2026-03-03T09:00:00+07:00 2026-03-04T11:30:00+07:00 &&
	test "$(jq -r .due_at p-1.rec)" = 2026-03-13T17:00:00+07:00'
# By hand: paused_total keeps the pause of a limit in days in elapsed
# seconds, Tuesday 09:00 to Wednesday 11:30 = 26.5 h = 95400 (flow.h);
# its office time is Tuesday 09:00-11:30 and 13:30-17:00 (6 h) and
# Wednesday 07:00-11:30 (4.5 h): 10.5 h = 37800.  Used on Friday 12:00,
# from receipt on Monday 10:00: Monday 5 h, Tuesday to Thursday 24 h,
# Friday 07:00-11:30 4.5 h, 33.5 h less the 10.5 h paused: 23 h = 82800.
expect_ok 'explain: a pause on a limit in days counts its office time' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT paused_total FROM dossiers
	    WHERE ref = '\''p-1'\''")" = 95400 &&
	dossier-status --explain --now 2026-03-06T12:00:00+07:00 \
	    "$(jq -r .code p-1.rec)" >ex.json &&
	jq -e ".pauses[0].working_seconds == 37800 and
	    .used.seconds == 82800" ex.json >/dev/null'
expect_ok 'paused two days, the due day a Saturday: Monday 16/03, 17:00' '
	pause p-2 2026-03-03T09:00:00+07:00 2026-03-05T08:00:00+07:00 &&
	test "$(jq -r .due_at p-2.rec)" = 2026-03-16T17:00:00+07:00'
expect_ok '... and a recount when that Monday becomes a holiday: 17/03' '
	printf "%s\n" "{\"date\":\"2026-03-16\",\"kind\":\"holiday\",\"name\":\"Nghỉ\"}" |
	    dossier-admin calendar import >sum.json &&
	jq -e ".recounted >= 1" sum.json >/dev/null &&
	dossier-status --format json "$(jq -r .code p-2.rec)" >st.json &&
	jq -e ".due_at == \"2026-03-17T17:00:00+07:00\"" st.json >/dev/null'

# a working-day limit received after the cut-off still starts next day
app w-1 2026-01-30T16:30:00+07:00 1.001193 >w.jsonl
expect_ok 'working days keep the office-hour arithmetic and the cut-off' '
	dossier-new <w.jsonl >out.jsonl &&
	test "$(due w-1)" = 2026-02-02T17:00:00+07:00'

finish
