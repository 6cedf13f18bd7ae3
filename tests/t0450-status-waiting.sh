#!/bin/sh
# dossier-status --waiting: the online submissions not yet accepted or
# refused (status 1), oldest first, each with the working time it has
# waited by the office calendar, in JSON, table and CSV; the options it
# excludes.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF TIME CHANNEL: an application for 1.001193 with its documents
app() {
	application "$1" 1.001193 at="$2" channel="$3" unit=- \
	    name="Người nộp $1"
}

# route TIME ACTION REF [OPTION ...]: as the receiving officer
route() {
	_at=$1 _action=$2 _ref=$3
	shift 3
	dossier-route --as an.nv --at "$_at" "$@" "$_action" \
	    "$(code "$_ref")" >/dev/null
}

now=2026-03-17T09:00:00+07:00
export now

{
	# Thursday after office hours, Friday afternoon, Monday morning
	app w2 2026-03-12T18:00:00+07:00 online
	app w1 2026-03-13T16:00:00+07:00 online
	app w3 2026-03-16T09:00:00+07:00 online
	# sent back for supplement, then supplied on Monday afternoon
	app w6 2026-03-10T09:00:00+07:00 online
	# accepted, refused, sent back and not yet supplied, and received
	# at the counter: not waiting
	app x1 2026-03-09T09:00:00+07:00 online
	app x4 2026-03-09T10:30:00+07:00 online
	app x2 2026-03-09T10:00:00+07:00 online
	app x3 2026-03-09T11:00:00+07:00 direct
} >apps.jsonl

expect_ok 'setup: eight applications, four of them dealt with' '
	dossier-new --as an.nv <apps.jsonl >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 8 &&
	route 2026-03-10T09:00:00+07:00 request_supplement x4 \
	    -r "Thiếu tờ khai" &&
	route 2026-03-09T14:00:00+07:00 accept x1 &&
	route 2026-03-09T14:00:00+07:00 refuse x2 -r "Sai thẩm quyền" &&
	route 2026-03-11T09:00:00+07:00 request_supplement w6 \
	    -r "Thiếu bản sao giấy chứng sinh" &&
	route 2026-03-16T14:00:00+07:00 supplement_received w6'

expect_ok 'the submissions waiting, oldest received first' '
	dossier-status --waiting --now "$now" >out.jsonl &&
	jq -r .ref out.jsonl | tr "\n" " " >got &&
	printf "w6 w2 w1 w3 " >want && same want got'
expect_ok 'each waited the working time since it came, by the calendar' '
	jq -r "[.ref, .waited.seconds, .waited.days, .waited.hours,
	    .waited.minutes] | @tsv" out.jsonl >got &&
	printf "w6\t18000\t0\t5\t0\nw2\t64800\t2\t2\t0\n" >want &&
	printf "w1\t39600\t1\t3\t0\nw3\t28800\t1\t0\t0\n" >>want &&
	same want got'
expect_ok 'a submission supplied again waits from the supplement' '
	jq -r "select(.ref == \"w6\") | .waiting_since" out.jsonl >got &&
	echo 2026-03-16T14:00:00+07:00 >want && same want got &&
	jq -r "select(.ref == \"w2\") | .waiting_since" out.jsonl >got &&
	echo 2026-03-12T18:00:00+07:00 >want && same want got'
expect_ok 'the records are dossier records, status 1, no due time' '
	jq -e -s "all(.v == 1 and .status == 1 and
	    .status_name == \"submitted\" and .due_at == null)" out.jsonl \
	    >/dev/null'
expect_ok 'the day off for Giỗ Tổ Hùng Vương, Monday 27/4/2026, does not count' '
	app h1 2026-04-24T16:00:00+07:00 online >h.jsonl &&
	dossier-new --as an.nv <h.jsonl >>new.jsonl &&
	dossier-status --waiting --now 2026-04-28T08:00:00+07:00 \
	    "$(code h1)" >h.out &&
	jq -r .waited.seconds h.out >got && echo 7200 >want && same want got'
expect_ok 'the table has a WAITED column' '
	dossier-status --waiting --now "$now" --format table >out.txt &&
	head -n 1 out.txt >head.txt && has WAITED head.txt &&
	grep "$(code w2)" out.txt >row.txt && has "2 d 2 h 0 min" row.txt'
expect_ok 'CSV: the columns of every list, then the waiting ones' '
	dossier-status --waiting --now "$now" --format csv >out.csv &&
	head -n 1 out.csv >head.txt &&
	has ",unit_name,waiting_since,waited_seconds,waited" head.txt &&
	grep "^$(code w1)," out.csv >row.txt &&
	has ",2026-03-13T16:00:00+07:00,39600,1 d 3 h 0 min" row.txt'
expect_ok 'without --waiting the list has none of those columns' '
	dossier-status --format csv >all.csv && head -n 1 all.csv >head.txt &&
	! grep -q waited head.txt &&
	dossier-status >all.jsonl && ! grep -q waited all.jsonl'
expect_ok 'with the other filters: --received-from' '
	dossier-status --waiting --now "$now" --received-from 2026-03-13 \
	    >out.jsonl && jq -r .ref out.jsonl | tr "\n" " " >got &&
	printf "w1 w3 h1 " >want && same want got'
expect_ok '--sort and --reverse still choose the order' '
	dossier-status --waiting --now "$now" --sort received --reverse \
	    >out.jsonl && jq -r .ref out.jsonl | head -n 1 >got &&
	echo h1 >want && same want got'
expect_code 1 'nothing waiting: exit 1, nothing printed' '
	dossier-status --waiting --unit 000.00.22.H56 >out.jsonl; s=$?
	! [ -s out.jsonl ] || exit 70; exit $s'
expect_code 64 '--waiting and --overdue exclude each other' '
	dossier-status --waiting --overdue 2>err.txt; s=$?
	has "--waiting: a submission not yet accepted has no due time" \
	    err.txt || exit 1; exit $s'
expect_code 64 '--waiting and --due-within exclude each other' '
	dossier-status --due-within 3 --waiting 2>err.txt; s=$?
	has "(not with --due-within)" err.txt || exit 1; exit $s'
expect_code 64 'dossier-report refuses --waiting' '
	dossier-report --waiting 2>err.txt; s=$?
	has "--waiting: not a report filter" err.txt || exit 1; exit $s'

finish
