#!/bin/sh
# dossier-admin calendar hours -f DATE: office hours changed from a date.
# The days before the date keep the hours they were counted with, so a
# dossier explained before the change is explained the same after it; a
# dossier received from the date counts with the new hours; an open
# dossier whose budget runs past the date is recounted.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME: a paper application with PROC's required documents
app() {
	application "$1" "$2" at="$3"
}

# explain REF FILE: the explanation of REF at a fixed instant
explain() {
	dossier-status --explain --now 2026-03-05T12:00:00+07:00 \
	    "$(code "$1")" >"$2"
}

# ex FILE FILTER: the explanation in FILE satisfies FILTER
ex() {
	jq -e "$2" "$1" >/dev/null
}

# 1.001193: 1 working day; 1.004873: 3 working days.  a: Monday
# 02/03/2026 15:30, after the 15:00 cut-off of the first hours; d: Friday
# 06/03/2026 10:00, 3 working days that run past Monday 09/03.
{
	app a 1.001193 2026-03-02T15:30:00+07:00
	app d 1.004873 2026-03-06T10:00:00+07:00
} >apps.jsonl

expect_ok 'setup: two dossiers under the first hours' '
	dossier-new --as an.nv <apps.jsonl >new.jsonl &&
	test "$(jq -r "select(.ref == \"a\") | .start_at" new.jsonl)" = \
	    2026-03-03T07:00:00+07:00 &&
	test "$(jq -r "select(.ref == \"d\") | .due_at" new.jsonl)" = \
	    2026-03-11T10:00:00+07:00 &&
	explain a before.json &&
	ex before.json "(.start_reason | test(\"after the paper cut-off\"))"'

expect_ok 'hours from Monday 09/03: 08:00-12:00, 13:00-17:00, cut-off 16:00' '
	dossier-admin calendar hours -f 2026-03-09 08:00-12:00,13:00-17:00 \
	    16:00 >out &&
	ex out ".v == 1 and .from == \"2026-03-09\" and
	    .office_hours == \"08:00-12:00,13:00-17:00\" and
	    .cutoff == \"16:00\" and .recounted == 1"'

expect_ok 'the days before keep their hours: the old explanation stands' '
	explain a after.json && same before.json after.json'

expect_ok 'calendar hours -f shows the hours in force on a date' '
	dossier-admin calendar hours -f 2026-03-08 >old &&
	ex old ".from == null and .office_hours == \"07:00-11:30,13:30-17:00\"
	    and .cutoff == \"15:00\"" &&
	dossier-admin calendar hours -f 2026-04-30 >new &&
	ex new ".from == \"2026-03-09\" and .cutoff == \"16:00\""'

# d: Friday 10:00-17:00 is 5 hours of the old 8; 19 left are Monday,
# Tuesday (8 each) and 3 of Wednesday, which opens at 08:00.
expect_ok 'an open dossier running past the date is recounted' '
	dossier-status "$(code d)" >d.json &&
	ex d.json ".due_at == \"2026-03-11T11:00:00+07:00\""'

{
	app b 1.001193 2026-03-09T15:30:00+07:00
	app c 1.001193 2026-03-06T15:30:00+07:00
} >apps2.jsonl
expect_ok 'from the date: the new cut-off, the new periods' '
	dossier-new --as an.nv <apps2.jsonl >>new.jsonl &&
	explain b b.json &&
	ex b.json ".start_at == \"2026-03-09T15:30:00+07:00\" and
	    (.start_reason | test(\"in office hours\")) and
	    .due_at == \"2026-03-10T15:30:00+07:00\""'
expect_ok 'received the day before: starts at the new opening' '
	explain c c.json &&
	ex c.json ".start_at == \"2026-03-09T08:00:00+07:00\" and
	    (.start_reason | test(\"after the paper cut-off\")) and
	    .due_at == \"2026-03-09T17:00:00+07:00\""'

expect_ok 'a second change the same day replaces the first' '
	dossier-admin calendar hours -f 2026-03-09 08:00-12:00,13:00-17:00 \
	    >out &&
	ex out ".cutoff == \"16:00\"" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM calendar_hours")" \
	    = 1'
expect_code 64 'calendar hours -f refuses what is not a date' '
	dossier-admin calendar hours -f 2026-02-30 08:00-16:00 2>err; s=$?
	has "'\''2026-02-30'\'' is not a date" err || exit 99
	exit $s'
expect_code 65 'bad hours change nothing' '
	dossier-admin calendar hours -f 2026-05-01 08:00-07:00 2>err; s=$?
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM calendar_hours")" \
	    = 1 || exit 99
	exit $s'

finish
