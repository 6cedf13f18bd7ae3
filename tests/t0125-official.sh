#!/bin/sh
# t0125-official.sh: the Government's announced holiday schedules shipped
# with the tools (data/holidays.jsonl): loaded by init and by calendar
# official, shown with source official, used for due times, overridden by
# the office; calendar status and the check warning for computed years;
# the recount of open dossiers after a calendar change.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

KS='{"name":"Tờ khai đăng ký khai sinh"},{"name":"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"}'

# app REF TIME: a birth registration (1 working day) received at TIME
app() {
	printf '{"ref":"%s","procedure":"1.001193","unit":"000.00.01.H56","channel":"direct","received_at":"%s","applicant":{"type":"citizen","name":"Trần Thị Bích","id_number":"052189001234","phone":"0905123456","address":"Thôn Vinh Thạnh","email":null},"documents":[%s],"note":null}\n' \
	    "$1" "$2" "$KS"
}
# shown YEAR DATE KIND: calendar show YEAR has DATE as KIND, source official
shown() {
	dossier-admin calendar show "$1" >show.jsonl &&
	jq -s -e --arg d "$2" --arg k "$3" 'map(select(.date == $d)) |
	    length == 1 and .[0].kind == $k and .[0].source == "official"' \
	    show.jsonl >/dev/null
}
absent() {
	dossier-admin calendar show "$1" >show.jsonl &&
	! grep -q "\"date\":\"$2\"" show.jsonl
}

expect_ok 'init loads 2020 to 2026 as official years' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT group_concat(year) FROM
	    (SELECT year FROM calendar_years ORDER BY year)")" = \
	    2020,2021,2022,2023,2024,2025,2026'
expect_ok '2026: 02/01 off, Saturday 10/01 worked' '
	shown 2026 2026-01-02 holiday && shown 2026 2026-01-10 workday'
expect_ok '2026: Tết off 14/02 to 22/02' '
	for d in 14 15 16 17 18 19 20 21 22; do
		shown 2026 2026-02-$d holiday || exit 1
	done; absent 2026 2026-02-13 && absent 2026 2026-02-23'
expect_ok '2026: 31/08 and 01/09 off, 03/09 not (the computed day)' '
	shown 2026 2026-08-31 holiday && shown 2026 2026-09-01 holiday &&
	shown 2026 2026-09-02 holiday && absent 2026 2026-09-03'
expect_ok '2026: Saturday 22/08 worked in exchange for 31/08' '
	shown 2026 2026-08-22 workday'
expect_ok '2026: 24/11 is no holiday' 'absent 2026 2026-11-24'
expect_ok '2025: 02/05 off, Saturday 26/04 worked' '
	shown 2025 2025-05-02 holiday && shown 2025 2025-04-26 workday'
expect_ok '2024: 29/04 off, Saturday 04/05 worked, 02/09-03/09 off' '
	shown 2024 2024-04-29 holiday && shown 2024 2024-05-04 workday &&
	shown 2024 2024-09-03 holiday && absent 2024 2024-09-04'
expect_ok '2020: Tết 23/01 to 29/01, 28/01 and 29/01 in lieu; National Day one day' '
	for d in 23 24 25 26 27; do
		shown 2020 2020-01-$d holiday || exit 1
	done; shown 2020 2020-01-28 compensatory &&
	shown 2020 2020-01-29 compensatory &&
	shown 2020 2020-09-02 holiday && absent 2020 2020-09-03'
expect_ok '2027 has no shipped schedule: computed from the rules' '
	dossier-admin calendar show 2027 >show.jsonl &&
	! grep -q official show.jsonl && has "\"source\":\"rule\"" show.jsonl'
expect_ok 'calendar official again changes nothing' '
	dossier-admin calendar official >out.json &&
	jq -e ".v == 1 and .years == 0 and .recounted == 0" out.json'

# --- due times over the official schedules (1 working day) -----------------
{
	app y25-1 2025-12-31T10:00:00+07:00	# 1/1, 2/1 off, 3-4 weekend
	app y26-1 2026-01-09T10:00:00+07:00	# Saturday 10/01 worked
	app y25-2 2025-04-25T10:00:00+07:00	# Saturday 26/04 worked
	app y25-3 2025-04-29T10:00:00+07:00	# 30/4, 1/5, 2/5 off
	app y26-2 2026-08-28T10:00:00+07:00	# 31/8, 1/9, 2/9 off
	app y26-4 2026-08-21T10:00:00+07:00	# Saturday 22/08 worked
	app y26-3 2026-02-13T10:00:00+07:00	# Tết 14/02-22/02
	app y24-1 2024-04-26T10:00:00+07:00	# 27/4-1/5 off
	app y24-2 2024-05-03T10:00:00+07:00	# Saturday 04/05 worked
	app y24-3 2024-08-30T10:00:00+07:00	# 2/9, 3/9 off
} >apps.jsonl
due() {
	jq -r -s --arg r "$1" 'map(select(.ref == $r))[0].due_at' out.jsonl
}
expect_ok 'receipts across the official schedules' '
	dossier-new <apps.jsonl >out.jsonl'
expect_ok '31/12/2025 + 1 working day: Monday 05/01/2026' '
	test "$(due y25-1)" = 2026-01-05T10:00:00+07:00'
expect_ok '09/01/2026 + 1 working day: Saturday 10/01/2026' '
	test "$(due y26-1)" = 2026-01-10T10:00:00+07:00'
expect_ok '25/04/2025 + 1 working day: Saturday 26/04/2025' '
	test "$(due y25-2)" = 2025-04-26T10:00:00+07:00'
expect_ok '29/04/2025 + 1 working day: Monday 05/05/2025' '
	test "$(due y25-3)" = 2025-05-05T10:00:00+07:00'
expect_ok '28/08/2026 + 1 working day: Thursday 03/09/2026' '
	test "$(due y26-2)" = 2026-09-03T10:00:00+07:00'
expect_ok '21/08/2026 + 1 working day: Saturday 22/08/2026, a make-up day' '
	test "$(due y26-4)" = 2026-08-22T10:00:00+07:00'
expect_ok '13/02/2026 + 1 working day: Monday 23/02/2026' '
	test "$(due y26-3)" = 2026-02-23T10:00:00+07:00'
expect_ok '26/04/2024 + 1 working day: Thursday 02/05/2024' '
	test "$(due y24-1)" = 2024-05-02T10:00:00+07:00'
expect_ok '03/05/2024 + 1 working day: Saturday 04/05/2024' '
	test "$(due y24-2)" = 2024-05-04T10:00:00+07:00'
expect_ok '30/08/2024 + 1 working day: Wednesday 04/09/2024' '
	test "$(due y24-3)" = 2024-09-04T10:00:00+07:00'

# --- calendar status and check ----------------------------------------------
# shellcheck disable=SC2034
this=$(date +%Y)
expect_ok 'calendar status: one line per year, oldest open dossier to next year' '
	dossier-admin calendar status >st.jsonl &&
	test "$(jq -r .year st.jsonl | head -n 1)" = 2024 &&
	test "$(jq -r .year st.jsonl | tail -n 1)" = $((this + 1)) &&
	jq -s -e "map(select(.year == 2024))[0] | .schedule == \"official\"
	    and .official and .overrides == 0 and
	    (.source | test(\"5015/TB-LĐTBXH\"))" st.jsonl >/dev/null &&
	jq -s -e "map(select(.year == 2027))[0] | .schedule == \"computed\"
	    and (.official | not) and .source == null" st.jsonl >/dev/null'
expect_ok 'check: no open dossier is due in a computed year' '
	dossier-admin check >check.json 2>err.txt &&
	jq -e ".ok and .computed_due == 0 and .computed_years == []" check.json &&
	! has calendar err.txt'
expect_ok 'calendar status: an overridden year' '
	printf "%s\n" "{\"date\":\"2027-01-05\",\"kind\":\"holiday\",\"name\":\"Nghỉ\"}" |
	    dossier-admin calendar import >/dev/null &&
	dossier-admin calendar status >st.jsonl &&
	jq -s -e "map(select(.year == 2027))[0] |
	    .schedule == \"overridden\" and .overrides == 1" st.jsonl \
	    >/dev/null &&
	dossier-admin check >check.json 2>err.txt &&
	jq -e ".computed_due == 0" check.json >/dev/null'

# A second office whose 2026 schedule is not loaded yet (as a database
# made before the schedule was shipped): 2026 is only computed.
main_db=$DOSSIER_DB
DOSSIER_DB=$T/two.db
expect_ok 'setup: an office with the demo catalog' init_demo
sqlite3 "$DOSSIER_DB" "DELETE FROM calendar_official WHERE day LIKE '2026-%';
    DELETE FROM calendar_years WHERE year = 2026"
app c26-1 2026-08-28T10:00:00+07:00 >c26.jsonl
expect_ok 'computed: 28/08/2026 + 1 working day is Monday 31/08' '
	dossier-new <c26.jsonl >out.jsonl &&
	test "$(due c26-1)" = 2026-08-31T10:00:00+07:00'
expect_ok 'check warns about the dossier due in computed 2026, ok stays true' '
	dossier-admin check >check.json 2>err.txt &&
	jq -e ".ok and .computed_due == 1 and .computed_years == [2026]" \
	    check.json >/dev/null &&
	has "1 open dossier is due in 2026" err.txt &&
	dossier-admin calendar status >st.jsonl &&
	jq -s -e "map(select(.year == 2026))[0].schedule == \"computed\"" \
	    st.jsonl >/dev/null'
expect_ok 'calendar official loads 2026 and recounts the dossier' '
	dossier-admin calendar official >sum.json &&
	jq -e ".years == 1 and .recounted == 1" sum.json >/dev/null &&
	code=$(jq -r .code out.jsonl) &&
	dossier-status --format json "$code" >st.json &&
	jq -e ".due_at == \"2026-09-03T10:00:00+07:00\"" st.json >/dev/null &&
	dossier-admin check >check.json 2>err.txt &&
	jq -e ".ok and .computed_due == 0" check.json >/dev/null'
DOSSIER_DB=$main_db

# --- recount ------------------------------------------------------------------
app rc-1 2026-12-01T10:00:00+07:00 >rc.jsonl
expect_ok 'a dossier due Wednesday 02/12/2026' '
	dossier-new <rc.jsonl >out.jsonl &&
	test "$(due rc-1)" = 2026-12-02T10:00:00+07:00'
printf '%s\n' '{"date":"2026-12-02","kind":"holiday","name":"Nghỉ đột xuất"}' \
    >hol.jsonl
expect_ok 'an override on its due day recounts it, and only it' '
	dossier-admin calendar import hol.jsonl >sum.json &&
	jq -e ".overrides == 1 and .recounted == 1" sum.json >/dev/null &&
	code=$(jq -r .code out.jsonl) &&
	dossier-status --format json "$code" >st.json &&
	jq -e ".due_at == \"2026-12-03T10:00:00+07:00\"" st.json >/dev/null'
expect_ok 'one recount event with before and after' '
	sqlite3 "$DOSSIER_DB" "SELECT payload FROM events
	    WHERE action = '\''recount'\''" >ev.txt &&
	test "$(wc -l <ev.txt)" -eq 1 &&
	jq -e ".before.due_at < .after.due_at and
	    .after.version == .before.version + 1 and
	    .reason == \"calendar change\"" ev.txt >/dev/null'
expect_ok 'check replays the recount: projections and chains intact' '
	dossier-admin check >check.json 2>/dev/null &&
	jq -e ".ok and .projection_mismatches == 0 and .broken_chains == 0" \
	    check.json >/dev/null'
expect_ok 'the same override again recounts nothing' '
	dossier-admin calendar import hol.jsonl >sum.json &&
	jq -e ".recounted == 0" sum.json >/dev/null'
expect_ok 'removing it recounts the dossier back' '
	code=$(jq -r .code out.jsonl) &&
	dossier-admin calendar import -r 2026 /dev/null >sum.json &&
	jq -e ".recounted == 1" sum.json >/dev/null &&
	dossier-status --format json "$code" >st.json &&
	jq -e ".due_at == \"2026-12-02T10:00:00+07:00\"" st.json >/dev/null'
expect_ok 'a finished dossier is not recounted' '
	code=$(jq -r .code out.jsonl) &&
	sqlite3 "$DOSSIER_DB" "UPDATE dossiers SET status = 9 WHERE code = '\''$code'\''" &&
	dossier-admin calendar import hol.jsonl >sum.json &&
	jq -e ".recounted == 0" sum.json >/dev/null'
app rc-2 2026-12-01T10:00:00+07:00 >rc2.jsonl
expect_ok 'a dossier handed to another office is not recounted here' '
	dossier-new <rc2.jsonl >out.jsonl &&
	test "$(due rc-2)" = 2026-12-03T10:00:00+07:00 &&
	code=$(jq -r .code out.jsonl) &&
	sqlite3 "$DOSSIER_DB" "UPDATE dossiers SET owner = '\''000.00.12.H56'\''
	    WHERE code = '\''$code'\''" &&
	dossier-admin calendar import -r 2026 /dev/null >sum.json &&
	jq -e ".recounted == 0" sum.json >/dev/null'

finish
