#!/bin/sh
# dossier-report --indicators, 2.2: the average resolution time in working
# days, each day counted with the office hours in force on it, less the
# pauses counted the same way from their intervals; a pause on a limit in
# calendar days, whose paused_total is in elapsed seconds, counts its
# office time, not its elapsed time.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo
H=+07:00
export H

# A procedure of 10 calendar days whose supplement pauses the clock: the
# three steps of 1.001022.
grep '"code":"1.001022"' "$CATALOG" |
    sed -e 's/"code":"1.001022"/"code":"9.000020"/' \
	-e 's/"time":{"amount":3,"unit":"working_days"},"supplement_policy":"restart"/"time":{"amount":10,"unit":"days"},"supplement_policy":"pause"/' \
    >days.jsonl

# app REF PROC TIME: an application with the required documents
app() {
	cat "$CATALOG" days.jsonl >both.jsonl &&
	application "$1" "$2" at="$3" name="Nguyễn Văn An" catalog=both.jsonl
}
# steps REF AT: the last two steps left at AT (the first one's handler
# hai.pm), then finished at AT2
steps() {
	route hai.pm "$2" next "$1" -H hung.lv &&
	route hung.lv "$2" next "$1" -H mai.vt &&
	route mai.vt "$3" finish "$1"
}

# Office hours 07:00-11:30 and 13:30-17:00 (8 hours) until Sunday
# 2026-03-08; from Monday 2026-03-09, 07:00-11:30 and 13:00-17:30 (9
# hours).  Every dossier is received on paper in office hours, so that
# counting starts at receipt.
#   d1 (9.000020, 10 days, pause): received Monday 03-02 09:00, paused
#      Tuesday 03-03 09:00 to Thursday 03-05 09:00, finished Friday 03-06
#      11:00.  Monday 09:00-17:00 6 h, Tuesday to Thursday 24 h, Friday
#      07:00-11:00 4 h: 34 h; the pause, Tuesday 6 h, Wednesday 8 h,
#      Thursday 2 h: 16 h (paused_total holds its 48 elapsed hours);
#      18 h of 8: 2.25 days.
#   d2 (1.001022, working days, no pause): received Thursday 03-05 09:00,
#      finished Monday 03-09 17:30.  Thursday 6 h of 8 (0.75), Friday 1,
#      Monday a whole day of 9 hours (1): 2.75 days.
#   d3 (1.004873, working days, pause): received Friday 03-06 09:00,
#      paused Monday 03-09 09:00 to Tuesday 03-10 09:00, finished Tuesday
#      03-10 11:30.  Friday 6 h of 8 (0.75), Monday 1, Tuesday
#      07:00-11:30 4.5 h of 9 (0.5); the pause, Monday 7 h and Tuesday
#      2 h of 9: 1 day; 1.25 days.
#   d4 (1.004873): received Monday 03-02 09:00, paused Tuesday 03-03
#      09:00, rejected while paused Wednesday 03-04 09:00.  Monday 6 h,
#      Tuesday 8 h, Wednesday 2 h, less the pause up to the end, Tuesday
#      6 h and Wednesday 2 h: 8 h of 8, 1 day.
# 2.2: 2.25 + 2.75 + 1.25 + 1 = 7.25 days over 4 = 1.8125.  (Working
# seconds over one 8-hour day, less paused_total, which d4 never added
# to, gave (34 h - 48 h + 23 h + 10.5 h + 16 h) / 8 h = 4.44 days.)
expect_ok 'setup: a procedure in days, hours longer from 03-09, four dossiers' '
	dossier-admin catalog import days.jsonl >/dev/null &&
	dossier-admin calendar hours -f 2026-03-09 07:00-11:30,13:00-17:30 \
	    >/dev/null &&
	{ app d1 9.000020 2026-03-02T09:00:00$H
	  app d2 1.001022 2026-03-05T09:00:00$H
	  app d3 1.004873 2026-03-06T09:00:00$H
	  app d4 1.004873 2026-03-02T09:00:00$H; } |
	    dossier-new --as an.nv >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 4 &&
	route an.nv 2026-03-02T10:00:00$H start d1 -H hai.pm &&
	route hai.pm 2026-03-03T09:00:00$H request_supplement d1 -r "Thiếu" &&
	route an.nv 2026-03-05T09:00:00$H supplement_received d1 &&
	steps d1 2026-03-06T10:00:00$H 2026-03-06T11:00:00$H &&
	route an.nv 2026-03-05T10:00:00$H start d2 -H hai.pm &&
	steps d2 2026-03-06T10:00:00$H 2026-03-09T17:30:00$H &&
	route an.nv 2026-03-06T10:00:00$H start d3 -H hai.pm &&
	route hai.pm 2026-03-09T09:00:00$H request_supplement d3 -r "Thiếu" &&
	route an.nv 2026-03-10T09:00:00$H supplement_received d3 &&
	steps d3 2026-03-10T10:00:00$H 2026-03-10T11:30:00$H &&
	route an.nv 2026-03-02T10:00:00$H start d4 -H hai.pm &&
	route hai.pm 2026-03-03T09:00:00$H request_supplement d4 -r "Thiếu" &&
	route hung.lv 2026-03-04T09:00:00$H reject d4 -r "Không bổ sung"'
expect_ok 'paused_total of the pause in days: its 48 elapsed hours' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT paused_total FROM dossiers
	    WHERE ref = '\''d1'\''")" = 172800'

# 2.1: all four ended early (d1 due 03-16, d2 03-10, d3 03-12, d4 judged
# at its pause, before its due day 03-05): 4 of 4.  3.3: none online.
# 4.2: no document attached.
I='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-14T23:59:59+07:00"'
cat >want-ind.jsonl <<EOF
{$I,"indicator":"2.1","name":"on-time rate","numerator":4,"denominator":4,"value":1,"full_score_at":null}
{$I,"indicator":"2.2","name":"average resolution time, working days","numerator":7.25,"denominator":4,"value":1.8125,"full_score_at":null}
{$I,"indicator":"3.3","name":"online submission rate","numerator":0,"denominator":4,"value":0,"full_score_at":0.5}
{$I,"indicator":"4.1","name":"e-result rate","numerator":null,"denominator":null,"value":null,"full_score_at":null}
{$I,"indicator":"4.2","name":"digitisation rate","numerator":0,"denominator":4,"value":0,"full_score_at":0.8}
EOF
expect_ok '--indicators: 2.2 in working days of each day, pauses out' '
	dossier-report --indicators --period month --of 2026-03 >out.jsonl &&
	same want-ind.jsonl out.jsonl'

# Each alone, by its procedure's field: d1, d2 (Hộ tịch) and d3, d4 (Hộ
# tịch too); by --procedure instead.
expect_ok '... each procedure alone: 2.25, 2.75, and (1.25 + 1) / 2' '
	for p in "9.000020 2.25 1" "1.001022 2.75 1" "1.004873 2.25 2"; do
		set -- $p
		dossier-report --indicators --period month --of 2026-03 \
		    --procedure "$1" >out.jsonl &&
		jq -c "select(.indicator == \"2.2\") | [.numerator,
		    .denominator]" out.jsonl >got &&
		test "$(cat got)" = "[$2,$3]" || exit 1
	done'

finish
