#!/bin/sh
# dossier-status --explain and --history: a deadline across Tết 2026 (rule
# holidays 16-20/02/2026) and a supplement pause, a restart, the cut-off,
# and the event timeline.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME [UNIT]: an application with PROC's required documents
app() {
	application "$1" "$2" at="$3" unit="${4:-000.00.01.H56}"
}

# ex FILTER: the explanation in ex.json satisfies FILTER
ex() {
	jq -e "$1" ex.json >/dev/null
}

# 1.004873: 3 working days, supplement_policy pause; 1.001193: 1 working
# day, restart.  t1 is received on Thursday 12/02/2026, before Tết.
{
	app t1 1.004873 2026-02-12T09:00:00+07:00
	app t2 1.004873 2026-02-12T09:00:00+07:00
	app r1 1.001193 2026-03-02T09:00:00+07:00
	app c1 1.001193 2026-03-02T15:30:00+07:00
} >apps.jsonl

expect_ok 'setup: dossiers, a pause across Tết, a restart' '
	dossier-new --as an.nv <apps.jsonl >new.jsonl &&
	test "$(jq -r "select(.ref == \"t1\") | .due_at" new.jsonl)" = \
	    2026-02-24T09:00:00+07:00 &&
	route an.nv 2026-02-12T10:00:00+07:00 start t1 -H hai.pm &&
	route hai.pm 2026-02-13T10:00:00+07:00 request_supplement t1 \
	    -r "Thiếu giấy tờ" &&
	route an.nv 2026-02-24T10:00:00+07:00 supplement_received t1 &&
	route an.nv 2026-02-13T10:00:00+07:00 request_supplement t2 -r "x" &&
	route an.nv 2026-03-02T10:00:00+07:00 request_supplement r1 -r "x" &&
	route an.nv 2026-03-03T14:00:00+07:00 supplement_received r1'

expect_ok 'explain: start, budget, the due time after the pause' '
	dossier-status --explain --now 2026-02-25T12:00:00+07:00 "$(code t1)" \
	    >ex.json &&
	test "$(wc -l <ex.json)" = 1 &&
	ex ".received_at == \"2026-02-12T09:00:00+07:00\" and
	    .start_at == \"2026-02-12T09:00:00+07:00\" and
	    (.start_reason | test(\"in office hours\")) and
	    .time == {amount: 3, unit: \"working_days\"} and
	    .remote_extra == null and .extension == null and
	    .due_at == \"2026-02-26T09:00:00+07:00\""'
# the official 2026 schedule lists the whole break, 14/02 to 22/02, the
# weekend days inside it included
expect_ok 'explain: every day skipped, with Tết by name' '
	ex "[.days[] | select(.kind == \"weekend\") | .date] == []" &&
	ex "[.days[] | select(.kind == \"holiday\") | .date] ==
	    [\"2026-02-14\", \"2026-02-15\", \"2026-02-16\", \"2026-02-17\",
	     \"2026-02-18\", \"2026-02-19\", \"2026-02-20\", \"2026-02-21\",
	     \"2026-02-22\"]" &&
	ex "all(.days[]; .counted == false)" &&
	ex "[.days[] | select(.kind == \"holiday\") | .name] |
	    all(.[]; test(\"Tết\"))"'
expect_ok 'explain: the pause, its working time and the due time it moved' '
	ex ".pauses | length == 1" &&
	ex ".pauses[0] | .kind == \"supplement\" and
	    .from == \"2026-02-13T10:00:00+07:00\" and
	    .to == \"2026-02-24T10:00:00+07:00\" and
	    .working_seconds == 57600 and .added.days == 2 and
	    .due_before == \"2026-02-24T09:00:00+07:00\" and
	    .due_after == \"2026-02-26T09:00:00+07:00\""'
expect_ok 'explain: used and left as of --now (working time only)' '
	ex ".state == \"running\" and .as_of == \"2026-02-25T12:00:00+07:00\"
	    and .used.seconds == 66600 and .used.days == 2 and
	    .used.hours == 2 and .used.minutes == 30 and
	    .left.seconds == 19800 and .overrun == null"'
expect_ok 'explain: overrun after the due time' '
	dossier-status --explain --now 2026-02-27T09:00:00+07:00 "$(code t1)" \
	    >ex.json &&
	ex ".left == null and .overrun.seconds == 28800 and
	    .overrun.days == 1"'
expect_ok 'explain: a paused dossier stops at its pause; the pause runs' '
	dossier-status --explain --now 2026-02-25T12:00:00+07:00 "$(code t2)" \
	    >ex.json &&
	ex ".state == \"paused\" and .as_of == \"2026-02-13T10:00:00+07:00\"
	    and .pauses[0].to == null and .left.seconds > 0 and
	    .pauses[0].working_seconds == 91800"'
expect_ok 'explain: a restart (restart policy) counts from the complete dossier' '
	dossier-status --explain --now 2026-03-04T09:00:00+07:00 "$(code r1)" \
	    >ex.json &&
	ex ".restarts | length == 1" &&
	ex ".restarts[0].at == \"2026-03-03T14:00:00+07:00\" and
	    .restarts[0].due_after == \"2026-03-04T14:00:00+07:00\" and
	    .start_at == \"2026-03-03T14:00:00+07:00\" and
	    .counted_from == \"2026-03-03T14:00:00+07:00\" and
	    .pauses == []"'
expect_ok 'explain: paper after 15:00 starts the next working day' '
	dossier-status --explain --now 2026-03-03T09:00:00+07:00 "$(code c1)" \
	    >ex.json &&
	ex ".start_at == \"2026-03-03T07:00:00+07:00\" and
	    (.start_reason | test(\"cut-off\"))"'
expect_ok 'explain as text: the days, the pause and what is left' '
	dossier-status --format table --explain \
	    --now 2026-02-25T12:00:00+07:00 "$(code t1)" >ex.txt &&
	has "skipped: holiday" ex.txt && has "2026-02-17" ex.txt &&
	has "pause         supplement" ex.txt && has "+57600" ex.txt &&
	has "left" ex.txt && has "2026-02-26T09:00:00+07:00" ex.txt'

expect_ok 'history: one line per event, in order, with actors and times' '
	dossier-status --history "$(code t1)" >h.jsonl &&
	test "$(jq -r .action h.jsonl | tr "\n" " ")" = \
	    "receive start request_supplement supplement_received " &&
	test "$(jq -r .actor h.jsonl | tr "\n" " ")" = \
	    "an.nv an.nv hai.pm an.nv " &&
	jq -e -s ".[2].at == \"2026-02-13T10:00:00+07:00\" and
	    .[2].reason == \"Thiếu giấy tờ\" and
	    .[2].after.paused_at == \"2026-02-13T10:00:00+07:00\" and
	    .[3].after.due_at == \"2026-02-26T09:00:00+07:00\" and
	    .[3].before.due_at == \"2026-02-24T09:00:00+07:00\" and
	    all(.[]; .code != null and .seq > 0 and .origin != null)" \
	    h.jsonl >/dev/null'
expect_ok 'history as a table' '
	dossier-status --history --format table "$(code t1)" >h.txt &&
	has "$(code t1)" h.txt && has "request_supplement" h.txt &&
	has "reason: Thiếu giấy tờ" h.txt'
expect_ok 'history as a table: times as times, not seconds since 1970' '
	dossier-status --history --format table "$(code t1)" >h.txt &&
	has "paused_at null → 2026-02-13 10:00" h.txt &&
	has "due_at 2026-02-24 09:00 → 2026-02-26 09:00" h.txt &&
	! grep -q "[0-9]\{10\}" h.txt'

# 1.012793, a land procedure, has 10 working days of remote extra time:
# in a remote commune (000.00.27.H56) only, not in 000.00.26.H56
{
	app land 1.012793 2026-03-12T09:00:00+07:00 000.00.26.H56
	app land-remote 1.012793 2026-03-12T09:00:00+07:00 000.00.27.H56
} >land.jsonl
expect_ok 'explain: the remote extra time only where it applied' '
	dossier-new --as an.nv <land.jsonl >>new.jsonl &&
	dossier-status --explain --now 2026-03-13T09:00:00+07:00 \
	    "$(code land)" >ex.json &&
	ex ".remote_extra == null and
	    .due_at == \"2026-03-26T09:00:00+07:00\"" &&
	dossier-status --explain --now 2026-03-13T09:00:00+07:00 \
	    "$(code land-remote)" >ex.json &&
	ex ".remote_extra == {amount: 10, unit: \"working_days\"} and
	    .due_at == \"2026-04-09T09:00:00+07:00\""'
expect_ok 'explain as a table: no remote extra line where none applied' '
	dossier-status --explain --format table \
	    --now 2026-03-13T09:00:00+07:00 "$(code land)" >ex.txt &&
	! grep -q "remote extra" ex.txt &&
	dossier-status --explain --format table \
	    --now 2026-03-13T09:00:00+07:00 "$(code land-remote)" >ex.txt &&
	has "remote extra  10 working_days" ex.txt'

finish
