#!/bin/sh
# dossier-status --format csv for spreadsheet programs: --bom, formulas
# neutralised, digits kept as text, the names of procedure and unit; the
# modes that have no CSV refuse it.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF NAME ID PHONE: an application for 1.001193
app() {
	application "$1" 1.001193 channel=online \
	    at=2026-03-12T09:00:00+07:00 name="$2" id="$3" phone="$4"
}

{
	app c1 "=HYPERLINK(\"http://x\",\"An\")" 052189001234 0905123456
	app c2 "@Nguyễn Văn Bình" 152189001234 +84905123456
	app c3 "Trần Thị Đào" 052189005678 0912345678
} >apps.jsonl

expect_ok 'setup: three dossiers, two with names a spreadsheet would run' '
	dossier-new --as an.nv <apps.jsonl >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 3'

expect_ok 'csv: a name that begins with = or @ is text after a quote' '
	dossier-status --format csv --sort code >out.csv &&
	has ",\"'\''=HYPERLINK(\"\"http://x\"\",\"\"An\"\")\"," out.csv &&
	has ",\"'\''@Nguyễn Văn Bình\"," out.csv &&
	has ",\"'\''+84905123456\"," out.csv &&
	! grep -q ",=\|,\"=\|,@\|,+" out.csv'
expect_ok 'csv: without --bom, no mark and the digits as they are' '
	dossier-status --format csv --sort code >out.csv &&
	test "$(head -c 4 out.csv)" = "code" &&
	has ",Trần Thị Đào,052189005678,0912345678," out.csv'
expect_ok 'csv: procedure_name and unit_name, last' '
	dossier-status --format csv --sort code >out.csv &&
	head -n 1 out.csv | grep -q ",version,procedure_name,unit_name\$" &&
	name=$(jq -r "select(.kind == \"procedure\" and .code == \"1.001193\")
	    | .name" "$CATALOG") && unit=$(jq -r "select(.kind == \"unit\" and
	    .code == \"000.00.01.H56\") | .name" "$CATALOG") &&
	test -n "$name" && test -n "$unit" &&
	grep -c -F ",$name,$unit" out.csv >n && test "$(cat n)" = 3'
expect_ok '--bom: a byte-order mark, and ID numbers and phones stay text' '
	dossier-status --format csv --bom --sort code >out.csv &&
	test "$(head -c 3 out.csv | od -An -tx1 | tr -d " ")" = efbbbf &&
	test "$(head -n 1 out.csv | tail -c +4 | head -c 5)" = "code," &&
	has ",Trần Thị Đào,\"=\"\"052189005678\"\"\",\"=\"\"0912345678\"\"\"," out.csv &&
	has ",\"'\''@Nguyễn Văn Bình\",\"=\"\"152189001234\"\"\",\"'\''+84905123456\"," out.csv'
expect_ok '--bom: the mark also when nothing is found' '
	dossier-status --format csv --bom --status returned >out.csv
	test $? = 1 && test "$(od -An -tx1 out.csv | tr -d " ")" = efbbbf'
if command -v python3 >/dev/null 2>&1; then
	expect_ok 'python csv reads the --bom file as utf-8-sig, three rows' '
		dossier-status --format csv --bom --sort code >out.csv &&
		python3 -c "
import csv, sys
rows = list(csv.DictReader(open(\"out.csv\", encoding=\"utf-8-sig\")))
assert len(rows) == 3, rows
assert rows[2][\"applicant_name\"] == \"Trần Thị Đào\", rows[2]
assert rows[2][\"applicant_phone\"] == \"=\\\"0912345678\\\"\", rows[2]
assert rows[0][\"applicant_name\"].startswith(\"\x27=\"), rows[0]
"'
else
	skip 'python csv reads the --bom file' 'no python3'
fi

expect_code 64 '--bom without --format csv is a usage error' '
	dossier-status --bom 2>err; s=$?
	has "--bom needs --format csv" err || exit 1; exit $s'
expect_code 64 '--bom with --format json is a usage error' '
	dossier-status --format json --bom 2>err; s=$?
	has "--bom needs --format csv" err || exit 1; exit $s'
expect_code 64 '--history has no CSV' '
	dossier-status --history --format csv 2>err; s=$?
	has "--history has no CSV" err || exit 1; exit $s'
expect_code 64 '--explain has no CSV' '
	dossier-status --format csv --explain 2>err; s=$?
	has "--explain has no CSV" err || exit 1; exit $s'
expect_code 64 'forms take --form-format, not --format' '
	dossier-status -f receipt --format csv 2>err; s=$?
	has "--form-format, not --format" err || exit 1; exit $s'
expect_ok '--history and --explain still take table and json' '
	dossier-status --history --format json >h.jsonl &&
	dossier-status --explain --format table >e.txt &&
	test -s h.jsonl && test -s e.txt'
finish
