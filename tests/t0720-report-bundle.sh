#!/bin/sh
# dossier-report after dossier-bundle import: the report takes a dossier
# row as it is unless changed_at says it changed after the as-of instant.
# An import that brings a dossier's later events (to a row it has, or to
# a row it makes) must leave changed_at so that the row is rewound: the
# report of a past period gives the same numbers before and after it.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=offices.sh
. "$(dirname "$0")/offices.sh"
setup
H=+07:00
export H
C=000.00.21.H56
P=000.00.01.H56

# app REF PROC TIME: an application with the required documents
app() {
	application "$1" "$2" at="$3" unit="$C" name="Lê Thị Hoa" \
	    address="Phường Hạc Thành"
}
# route LOGIN TIME ACTION REF [OPTION ...]: at the commune, c.db
route() {
	_as=$1 _at=$2 _action=$3 _ref=$4
	shift 4
	dossier-route -d c.db --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(jq -r --arg r "$_ref" 'select(.ref == $r) | .code' new.jsonl)" \
	    >/dev/null
}
# send: the commune's new events to the province, imported there
send() {
	dossier-bundle -d c.db export --to "$P" -o "$1" >/dev/null &&
	dossier-bundle -d p.db import "$1" >/dev/null
}
# at DB REF COLUMN: a column of a dossier's row
at() {
	sqlite3 "$1" "SELECT $3 FROM dossiers WHERE ref = '$2'"
}
# epoch TIME
epoch() {
	date -d "$1" +%s
}

expect_ok 'setup: a commune and the province, trusting each other' pair

# March (2026-02-15 .. 2026-03-14) at the commune; 1.001022 (Hộ tịch)
# takes 3 working days, 2.000815 (Chứng thực) 4 working hours.
#   r1 (Hộ tịch): received 03-09 09:00, due 03-12 09:00, at step 1 on
#      03-14: pending, overdue.
#   r2 (Hộ tịch): received 03-10 09:00, due 03-13 09:00, finished 03-12:
#      resolved early.
#   r3 (Chứng thực): received 03-09 09:00, due 03-09 15:00, at step 2 on
#      03-14: pending, overdue.  Entered at the commune after the bundle
#      of March left: not sent in March.
expect_ok 'setup: March at the commune; r1 and r2 sent to the province' '
	{ app r1 1.001022 2026-03-09T09:00:00$H
	  app r2 1.001022 2026-03-10T09:00:00$H; } |
	    dossier-new -d c.db --as an.nv >new.jsonl &&
	route an.nv 2026-03-09T10:00:00$H start r1 -H hai.pm &&
	route an.nv 2026-03-10T10:00:00$H start r2 -H hai.pm &&
	route hai.pm 2026-03-10T10:00:00$H next r2 -H hung.lv &&
	route hung.lv 2026-03-10T10:00:00$H next r2 -H mai.vt &&
	route mai.vt 2026-03-12T10:00:00$H finish r2 &&
	send m1.bundle &&
	test "$(sqlite3 p.db "SELECT group_concat(ref) FROM dossiers")" = r1,r2 &&
	app r3 2.000815 2026-03-09T09:00:00$H |
	    dossier-new -d c.db --as an.nv >>new.jsonl &&
	route an.nv 2026-03-09T10:00:00$H start r3 -H hai.pm &&
	route hai.pm 2026-03-09T10:00:00$H next r3 -H hung.lv'

P1='"v":1,"from":"2026-02-15","to":"2026-03-14","as_of":"2026-03-14T23:59:59+07:00","by":"field"'
HT="{$P1,"'"key":"Hộ tịch","name":"Hộ tịch","level":null,"received_online":0,"received_direct":2,"carried_over":0,"intake":2,"resolved_early":1,"resolved_on_time":0,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":1,"guided":0}'
cat >want-before.jsonl <<EOF
$HT
{$P1,"key":null,"name":null,"level":null,"received_online":0,"received_direct":2,"carried_over":0,"intake":2,"resolved_early":1,"resolved_on_time":0,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":1,"guided":0}
EOF
expect_ok 'the province'\''s March report: r1 overdue, r2 early' '
	dossier-report -d p.db --period month --of 2026-03 >before.jsonl &&
	same want-before.jsonl before.jsonl'

# April at the commune: r1 and r3, past due, extended late to 04-20 on
# 04-01 and finished on 04-02; r2 returned on 04-01.  The rows now say
# due 04-20 and finished: taken as they are, r1 and r3 would be neither
# overdue nor pending in March.
expect_ok 'setup: April at the commune, sent: r3 new to the province' '
	route hung.lv 2026-04-01T09:00:00$H extend r1 -r "Chậm" \
	    -D 2026-04-20T09:00:00$H &&
	route hai.pm 2026-04-02T09:00:00$H next r1 -H hung.lv &&
	route hung.lv 2026-04-02T09:00:00$H next r1 -H mai.vt &&
	route mai.vt 2026-04-02T10:00:00$H finish r1 &&
	route an.nv 2026-04-01T09:00:00$H return r2 &&
	route hung.lv 2026-04-01T09:00:00$H extend r3 -r "Chậm" \
	    -D 2026-04-20T09:00:00$H &&
	route hung.lv 2026-04-02T10:00:00$H finish r3 &&
	send m2.bundle &&
	test "$(at p.db r1 status) $(at p.db r3 status)" = "9 9" &&
	test "$(at p.db r1 due_at)" = "$(epoch 2026-04-20T09:00:00$H)"'
expect_ok 'the import left changed_at at each dossier'\''s newest event' '
	test "$(at p.db r1 changed_at)" = "$(epoch 2026-04-02T10:00:00$H)" &&
	test "$(at p.db r2 changed_at)" = "$(epoch 2026-04-01T09:00:00$H)" &&
	test "$(at p.db r3 changed_at)" = "$(epoch 2026-04-02T10:00:00$H)" &&
	for r in r1 r2 r3; do
		test "$(at p.db $r changed_at)" = "$(at c.db $r changed_at)" ||
		    exit 1
	done'

# After: Hộ tịch as before; r3, received in March and overdue on 03-14,
# adds Chứng thực; the same report as the commune's own.
cat >want-after.jsonl <<EOF
{$P1,"key":"Chứng thực","name":"Chứng thực","level":null,"received_online":0,"received_direct":1,"carried_over":0,"intake":1,"resolved_early":0,"resolved_on_time":0,"resolved_late":0,"resolved":0,"pending_on_time":0,"pending_overdue":1,"pending":1,"on_time_rate":null,"guided":0}
$HT
{$P1,"key":null,"name":null,"level":null,"received_online":0,"received_direct":3,"carried_over":0,"intake":3,"resolved_early":1,"resolved_on_time":0,"resolved_late":0,"resolved":1,"pending_on_time":0,"pending_overdue":2,"pending":2,"on_time_rate":1,"guided":0}
EOF
expect_ok 'after the import: the same numbers for what it had, r3 as in March' '
	dossier-report -d p.db --period month --of 2026-03 >after.jsonl &&
	same want-after.jsonl after.jsonl &&
	grep -F "\"key\":\"Hộ tịch\"" before.jsonl >b.ht &&
	grep -F "\"key\":\"Hộ tịch\"" after.jsonl >a.ht && same b.ht a.ht &&
	dossier-report -d c.db --period month --of 2026-03 >c.jsonl &&
	same c.jsonl after.jsonl'
# The test has teeth: the same rows with changed_at cleared are taken as
# they are, r1 and r3 pending on time (due 04-20, finished after 03-14).
expect_ok '... which rewinding made: rows taken as they are would differ' '
	sqlite3 p.db ".backup q.db" &&
	sqlite3 q.db "UPDATE dossiers SET changed_at = NULL" &&
	dossier-report -d q.db --period month --of 2026-03 >q.jsonl &&
	jq -c "select(.key == null) | [.pending_on_time, .pending_overdue]" \
	    q.jsonl >out && test "$(cat out)" = "[2,0]"'
# April (03-15 .. 04-14), as of 04-14: r1 and r3 carried over and late
# (ended after the late apology), r2 ended in March: out.
expect_ok 'and April: r1 and r3 carried over, resolved late' '
	dossier-report -d p.db --period month --of 2026-04 |
	    jq -c "select(.key == null) | [.carried_over, .resolved_late,
	    .pending]" >out &&
	test "$(cat out)" = "[2,2,0]"'

finish
