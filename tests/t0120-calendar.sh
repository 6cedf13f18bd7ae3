#!/bin/sh
# t0120-calendar.sh: dossier-admin calendar show, import (overrides, -r)
# and hours.
# The test commands are single-quoted on purpose: lib.sh evaluates them,
# and they call the functions below (which shellcheck cannot see).
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

expect_ok 'an office with the demo catalog' 'init_demo'

# These tests are about the Labour Code rules and the overrides: 2026 as
# if its official schedule had not been loaded (t0125 tests that one).
sqlite3 "$DOSSIER_DB" "DELETE FROM calendar_official WHERE day LIKE '2026-%';
    DELETE FROM calendar_years WHERE year = 2026"

# The rule days of 2026 (Labour Code 2019 Art. 112): Tết Nguyên đán is the
# last day of Ất Tỵ (16/02) and the first four of Bính Ngọ; Giỗ Tổ Hùng
# Vương (10/3 lunar) falls on Sunday 26/04, so Monday 27/04 is the
# compensatory day; 02/09 is a Wednesday, so 03/09 is the second day of
# Quốc khánh (the default adjacent day).  24/11 is not a holiday: no
# enacted text makes it one.
cat >rules2026.jsonl <<'EOF'
{"date":"2026-01-01","kind":"holiday","name":"Tết Dương lịch","source":"rule"}
{"date":"2026-02-16","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
{"date":"2026-02-17","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
{"date":"2026-02-18","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
{"date":"2026-02-19","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
{"date":"2026-02-20","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
{"date":"2026-04-26","kind":"holiday","name":"Giỗ Tổ Hùng Vương","source":"rule"}
{"date":"2026-04-27","kind":"compensatory","name":"Giỗ Tổ Hùng Vương (bù)","source":"rule"}
{"date":"2026-04-30","kind":"holiday","name":"Ngày Chiến thắng","source":"rule"}
{"date":"2026-05-01","kind":"holiday","name":"Quốc tế Lao động","source":"rule"}
{"date":"2026-09-02","kind":"holiday","name":"Quốc khánh","source":"rule"}
{"date":"2026-09-03","kind":"holiday","name":"Quốc khánh","source":"rule"}
EOF

expect_ok 'calendar show 2026: the rule days' '
	dossier-admin calendar show 2026 >got && same rules2026.jsonl got
'

# 02/09/2031 is a Tuesday (a year without an official schedule): the
# second day of Quốc khánh by the rule is Monday 01/09.
expect_ok 'calendar show 2031: the second day of Quốc khánh goes before a Tuesday' '
	dossier-admin calendar show 2031 >got &&
	grep "\"2031-0[89]-" got >sep &&
	printf "%s\n" \
	    "{\"date\":\"2031-09-01\",\"kind\":\"holiday\",\"name\":\"Quốc khánh\",\"source\":\"rule\"}" \
	    "{\"date\":\"2031-09-02\",\"kind\":\"holiday\",\"name\":\"Quốc khánh\",\"source\":\"rule\"}" \
	    >want && same want sep
'
expect_code 64 'calendar show needs a year' 'dossier-admin calendar show'
expect_code 64 'calendar show: a year that is not a number' '
	dossier-admin calendar show 2026x
'
expect_code 64 'calendar show: a year out of range' '
	dossier-admin calendar show 1800
'
expect_code 64 'an unknown calendar subcommand' 'dossier-admin calendar frob'

# --- overrides ------------------------------------------------------------------

# The 2026 Tết schedule for civil servants: off from Saturday 14/02 to
# Sunday 22/02, with Friday 13/02 taken and made up on Saturday 07/02.
cat >tet.jsonl <<'EOF'
{"date":"2026-02-07","kind":"workday","name":"Làm bù cho ngày 13/02"}
{"date":"2026-02-13","kind":"holiday","name":"Nghỉ Tết Nguyên đán"}
EOF
cat >tet-show.jsonl <<'EOF'
{"date":"2026-01-01","kind":"holiday","name":"Tết Dương lịch","source":"rule"}
{"date":"2026-02-07","kind":"workday","name":"Làm bù cho ngày 13/02","source":"override"}
{"date":"2026-02-13","kind":"holiday","name":"Nghỉ Tết Nguyên đán","source":"override"}
{"date":"2026-02-16","kind":"holiday","name":"Tết Nguyên đán","source":"rule"}
EOF

expect_ok 'calendar import: two overrides' '
	dossier-admin calendar import tet.jsonl >sum.json &&
	jq -e ".v == 1 and .overrides == 2" sum.json >/dev/null
'
expect_ok 'calendar show lists them in order with source override' '
	dossier-admin calendar show 2026 >got &&
	head -n 4 got >got.head && same tet-show.jsonl got.head &&
	test "$(wc -l <got)" -eq 14
'
expect_ok 'the other years are not affected' '
	dossier-admin calendar show 2025 >got &&
	! grep -q override got
'

printf '%s\n' '{"date":"2027-02-05","kind":"workday","name":"Làm bù 2027"}' \
    >y2027.jsonl
expect_ok 'an override in 2027 (from stdin)' '
	dossier-admin calendar import <y2027.jsonl >/dev/null &&
	dossier-admin calendar show 2027 >got2027 &&
	has "\"date\":\"2027-02-05\",\"kind\":\"workday\"" got2027
'

printf '%s\n' '{"date":"2026-02-16","kind":"workday","name":"Đi làm"}' \
    >rule.jsonl
expect_ok 'an override replaces a rule day (no second line for the date)' '
	dossier-admin calendar import rule.jsonl >/dev/null &&
	dossier-admin calendar show 2026 >got &&
	test "$(grep -c "\"2026-02-16\"" got)" -eq 1 &&
	has "{\"date\":\"2026-02-16\",\"kind\":\"workday\",\"name\":\"Đi làm\",\"source\":\"override\"}" got
'
expect_ok 'a later import of the same date replaces the override' '
	printf "%s\n" "{\"date\":\"2026-02-16\",\"kind\":\"holiday\",\"name\":\"Tết\"}" \
	    >again.jsonl &&
	dossier-admin calendar import again.jsonl >/dev/null &&
	dossier-admin calendar show 2026 >got &&
	test "$(grep -c "\"2026-02-16\"" got)" -eq 1 &&
	has "{\"date\":\"2026-02-16\",\"kind\":\"holiday\",\"name\":\"Tết\",\"source\":\"override\"}" got
'

expect_ok 'calendar import -r 2026 replaces the overrides of 2026' '
	dossier-admin calendar import -r 2026 tet.jsonl >sum.json &&
	jq -e ".overrides == 2" sum.json >/dev/null &&
	dossier-admin calendar show 2026 >got &&
	head -n 4 got >got.head && same tet-show.jsonl got.head &&
	has "\"date\":\"2026-02-16\",\"kind\":\"holiday\",\"name\":\"Tết Nguyên đán\",\"source\":\"rule\"" got
'
expect_ok '... and keeps those of 2027' '
	dossier-admin calendar show 2027 >got && same got2027 got
'
expect_ok 'calendar import -r 2026 of nothing removes them all' '
	dossier-admin calendar import -r 2026 /dev/null >sum.json &&
	jq -e ".overrides == 0" sum.json >/dev/null &&
	dossier-admin calendar show 2026 >got && same rules2026.jsonl got &&
	dossier-admin calendar import tet.jsonl >/dev/null
'
expect_ok 'the lines of calendar show import back (source is ignored)' '
	dossier-admin calendar show 2026 >shown &&
	dossier-admin calendar import -r 2026 shown >/dev/null &&
	dossier-admin calendar show 2026 >got &&
	sed "s/\"source\":\"rule\"/\"source\":\"override\"/" shown >want &&
	same want got
'
expect_ok 'setup: the Tết overrides of 2026' '
	dossier-admin calendar import -r 2026 tet.jsonl >/dev/null'

# --- bad lines: 65, FILE:LINE:, nothing changed ------------------------------------

expect_ok 'setup: the calendars before the bad lines' '
	dossier-admin calendar show 2026 >before2026 &&
	dossier-admin calendar show 2027 >before2027'

# cal_reject FILE LINE... [-- OPTIONS]: calendar import OPTIONS FILE exits
# 65, names exactly FILE:LINE: for each LINE, and changes nothing.
cal_reject() {
	f=$1
	shift
	lines=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		lines="$lines $1"
		shift
	done
	[ $# -gt 0 ] && shift
	dossier-admin calendar import "$@" "$f" >out 2>err
	rc=$?
	if [ "$rc" -ne 65 ]; then
		echo "exit status $rc, wanted 65; stderr:" >&2
		cat err >&2
		return 1
	fi
	n=0
	for l in $lines; do
		has "$f:$l:" err || return 1
		n=$((n + 1))
	done
	if [ "$(grep -c "^dossier-admin: $f:[0-9]*:" err)" -ne "$n" ]; then
		echo "other lines named:" >&2
		cat err >&2
		return 1
	fi
	test ! -s out &&
	dossier-admin calendar show 2026 >after2026 &&
	same before2026 after2026 &&
	dossier-admin calendar show 2027 >after2027 &&
	same before2027 after2027
}

cat >outside.jsonl <<'EOF'
{"date":"2026-03-02","kind":"holiday","name":"Nghỉ"}
{"date":"2027-01-04","kind":"holiday","name":"Nghỉ"}
{"date":"2025-12-31","kind":"holiday","name":"Nghỉ"}
EOF
expect_ok 'with -r 2026 a line outside 2026 is rejected, nothing removed' '
	cal_reject outside.jsonl 2 3 -- -r 2026 && has "not in 2026" err
'
expect_ok 'without -r the same lines are accepted' '
	dossier-admin calendar import outside.jsonl >sum.json &&
	jq -e ".overrides == 3" sum.json >/dev/null &&
	dossier-admin calendar import -r 2026 tet.jsonl >/dev/null &&
	dossier-admin calendar import -r 2027 y2027.jsonl >/dev/null &&
	dossier-admin calendar import -r 2025 /dev/null >/dev/null
'

cat >dates.jsonl <<'EOF'
{"date":"2026-03-03","kind":"holiday","name":"Tốt"}
{"date":"2026-02-30","kind":"holiday","name":"Nghỉ"}
{"date":"2026-2-3","kind":"holiday","name":"Nghỉ"}
{"date":"2026-13-01","kind":"holiday","name":"Nghỉ"}
{"date":"03/02/2026","kind":"holiday","name":"Nghỉ"}
{"date":"2026-02-03T00:00:00","kind":"holiday","name":"Nghỉ"}
{"date":20260203,"kind":"holiday","name":"Nghỉ"}
EOF
expect_ok 'bad dates' 'cal_reject dates.jsonl 2 3 4 5 6 7 && has "2026-02-30" err'

cat >kinds.jsonl <<'EOF'
{"date":"2026-03-03","kind":"holiday","name":"Tốt"}
{"date":"2026-03-04","kind":"plain","name":"Nghỉ"}
{"date":"2026-03-05","kind":"Holiday","name":"Nghỉ"}
{"date":"2026-03-06","kind":"","name":"Nghỉ"}
{"date":"2026-03-07","name":"Nghỉ"}
EOF
expect_ok 'bad kinds' 'cal_reject kinds.jsonl 2 3 4 5 && has "plain" err'

printf '%s\n' '{"date":"2026-03-03","kind":"holiday","name":"Tốt"}' \
    '{"date":"2026-03-04","kind":"holiday"}' \
    '{"date":"2026-03-04","kind":"holiday","name":"X","colour":"red"}' \
    '{"date":"2026-03-04","kind":"holiday","name":"X"' \
    '["2026-03-04"]' >misc.jsonl
expect_ok 'no name, an unknown field, bad JSON, not an object' '
	cal_reject misc.jsonl 2 3 4 5
'
expect_ok 'the same from stdin names stdin:LINE:' '
	{ dossier-admin calendar import <misc.jsonl 2>err; test $? = 65; } &&
	has "stdin:2:" err && has "stdin:5:" err
'
expect_code 64 'calendar import -r with a bad year' '
	dossier-admin calendar import -r 26 tet.jsonl
'
expect_code 64 'calendar import with two files' '
	dossier-admin calendar import tet.jsonl tet.jsonl
'
expect_code 66 'calendar import of a missing file' '
	dossier-admin calendar import nosuch.jsonl
'
expect_ok 'the failed imports changed nothing' '
	dossier-admin calendar show 2026 >after2026 &&
	same before2026 after2026
'

# --- office hours ---------------------------------------------------------------

# setting KEY: the stored value of KEY (office_hours or cutoff) in the
# latest change of the office hours.
setting() {
	sqlite3 "$DOSSIER_DB" "SELECT $1 FROM calendar_hours ORDER BY day DESC
	    LIMIT 1"
}

expect_ok 'calendar hours: periods and cut-off' '
	dossier-admin calendar hours 07:30-11:30,13:00-17:00 16:00 >out &&
	jq -e ".v == 1 and .office_hours == \"07:30-11:30,13:00-17:00\" and
	    .cutoff == \"16:00\"" out &&
	test "$(setting office_hours)" = 07:30-11:30,13:00-17:00 &&
	test "$(setting cutoff)" = 16:00
'
expect_ok 'calendar hours: periods alone keep the cut-off, and say so' '
	dossier-admin calendar hours 07:00-11:30,13:30-17:00 >out &&
	jq -e ".cutoff == \"16:00\"" out &&
	test "$(setting office_hours)" = 07:00-11:30,13:30-17:00 &&
	test "$(setting cutoff)" = 16:00
'
expect_ok 'calendar hours: one period, and adjacent periods' '
	dossier-admin calendar hours 08:00-16:00 &&
	dossier-admin calendar hours 07:00-09:00,09:00-11:00,13:00-17:00 &&
	test "$(setting office_hours)" = 07:00-09:00,09:00-11:00,13:00-17:00
'
expect_ok 'setup: the office hours of the next tests' '
	dossier-admin calendar hours 07:30-11:30,13:00-17:00 16:00'
expect_ok 'calendar hours alone prints the hours in force, changing nothing' '
	dossier-admin calendar hours >out &&
	jq -e ".v == 1 and .office_hours == \"07:30-11:30,13:00-17:00\" and
	    .cutoff == \"16:00\"" out &&
	test "$(setting office_hours)" = 07:30-11:30,13:00-17:00'
expect_code 64 'calendar hours: three operands are too many' '
	dossier-admin calendar hours 07:00-11:00 15:00 x 2>err; s=$?
	has "too many operands" err || exit 9; exit $s'
for h in 17:00-07:00 7:00-11:00 25:00-26:00 '' 07:00-07:00 \
    07:00-11:30,11:00-17:00 '07:00-11:30,' ,07:00-11:30 07:00-11:60 \
    '07:00 -11:30' 07:00-11:30-13:00 0700-1130 \
    07:00-08:00,08:00-09:00,09:00-10:00,10:00-11:00,11:00-12:00; do
	expect_code 65 "calendar hours refuses '$h'" "
		dossier-admin calendar hours '$h'
	"
done
for c in 16 16:0 24:01 25:00 4pm; do
	expect_code 65 "calendar hours refuses the cut-off '$c'" "
		dossier-admin calendar hours 07:00-11:30 '$c'
	"
done
expect_ok 'the refused hours changed nothing' '
	test "$(setting office_hours)" = 07:30-11:30,13:00-17:00 &&
	test "$(setting cutoff)" = 16:00
'
expect_ok 'calendar show still works with the new hours' '
	dossier-admin calendar show 2026 >after2026 &&
	same before2026 after2026
'


# calendar import refuses what calendar show could not show, and a date
# given twice, naming the line, instead of collapsing it
overrides() {
	sqlite3 "$DOSSIER_DB" 'SELECT count(*) FROM calendar_overrides'
}
printf '%s\n' '{"date":"2026-05-04","kind":"holiday","name":"A"}' \
    '{"date":"1800-05-04","kind":"holiday","name":"B"}' \
    '{"date":"2200-01-02","kind":"workday","name":"C"}' >range.jsonl
expect_code 65 'calendar import refuses a year calendar show does not accept' '
	n=$(overrides) &&
	dossier-admin calendar import range.jsonl 2>err.txt; s=$?
	has "range.jsonl:2: date '\''1800-05-04'\'': year 1800 is out of range (1900 to 2199)" err.txt &&
	has "range.jsonl:3: date '\''2200-01-02'\'': year 2200 is out of range (1900 to 2199)" err.txt &&
	test "$(overrides)" = "$n" || exit 99
	exit "$s"'
printf '%s\n' '{"date":"2026-05-04","kind":"holiday","name":"A"}' \
    '{"date":"2026-05-05","kind":"holiday","name":"B"}' \
    '{"date":"2026-05-04","kind":"workday","name":"C"}' >twice.jsonl
expect_code 65 'calendar import refuses the same date twice in one input' '
	n=$(overrides) &&
	dossier-admin calendar import twice.jsonl 2>err.txt; s=$?
	has "twice.jsonl:3: date '\''2026-05-04'\'' is already on line 1" err.txt &&
	test "$(overrides)" = "$n" || exit 99
	exit "$s"'

finish
