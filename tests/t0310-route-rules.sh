#!/bin/sh
# dossier-route: every action from every status, the role, separation of
# duty, once-only, deadline and step rules, exit statuses, the append-only
# event log, and procedure versions.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME [CHANNEL]: an application with the required documents
# of procedure PROC in the demo catalog
app() {
	jq -nc --arg ref "$1" --arg p "$2" --arg t "$3" \
	    --arg ch "${4:-direct}" --slurpfile cat "$CATALOG" '{ref: $ref,
	    procedure: $p, unit: "000.00.01.H56", channel: $ch,
	    received_at: $t, applicant: {name: "Phạm Văn Đồng"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select(.required) | {name}]}'
}

# recv REF PROC TIME [CHANNEL [LOGIN]]: LOGIN (trang.ntt) receives it; its
# record in REF.jsonl
recv() {
	app "$1" "$2" "$3" "${4:-direct}" |
	    dossier-new --as "${5:-trang.ntt}" >"$1.jsonl"
}

# code REF: the code of the dossier received as REF
code() {
	jq -r .code "$1.jsonl"
}

# col REF EXPR [DB]: a column (SQL expression) of the dossier's row
col() {
	sqlite3 "${3:-$DOSSIER_DB}" \
	    "SELECT $2 FROM dossiers WHERE code = '$(code "$1")'"
}

# nevents [DB]: the number of events
nevents() {
	sqlite3 "${1:-$DOSSIER_DB}" "SELECT count(*) FROM events"
}

# route REF LOGIN TIME ACTION [OPTION ...]: LOGIN does ACTION on the dossier
# REF at TIME; the output goes to out.jsonl, diagnostics to err.txt
route() {
	_ref=$1 _as=$2 _at=$3 _action=$4
	shift 4
	dossier-route --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(code "$_ref")" >out.jsonl 2>err.txt
}

# refused CODE RULE: the last route exited CODE, naming RULE, printing nothing
refused() {
	_rc=$?
	cat err.txt >&2
	echo "exit $_rc" >&2
	test "$_rc" = "$1" && grep -qF "refused by rule '$2'" err.txt &&
	    test ! -s out.jsonl
}

# ---- one dossier in each of the ten statuses ----
# 1.001022: 3 working days (due 2026-03-05T08:00), steps specialist,
# leader, clerk.  trang.ntt receives them all.
# shellcheck disable=SC2034 # used in the test commands
R=2026-03-02T08:00:00+07:00 A=2026-03-02T09:00:00+07:00
expect_ok 'one dossier in each of the ten statuses' '
	recv S1 1.001022 $R online &&
	recv S2 1.001022 $R &&
	recv S3 1.001022 $R online &&
	route S3 an.nv $A refuse -r "Sai thẩm quyền" &&
	recv S4 1.001022 $R &&
	route S4 an.nv $A start -H hai.pm && route S4 hai.pm $A next &&
	recv S4L 1.001022 $R &&
	route S4L an.nv $A start -H hai.pm && route S4L hai.pm $A next &&
	route S4L hung.lv $A next &&
	recv S5 1.001022 $R &&
	route S5 an.nv $A start &&
	route S5 an.nv $A request_supplement -r "Thiếu giấy tờ" &&
	recv S6 1.001022 $R &&
	route S6 an.nv $A start && route S6 an.nv $A request_fee &&
	recv S7 1.001022 $R &&
	route S7 an.nv $A withdraw -r "Rút hồ sơ" &&
	recv S8 1.001022 $R &&
	route S8 an.nv $A start &&
	route S8 hung.lv $A reject -r "Không đủ điều kiện" &&
	recv S9 1.001022 $R &&
	route S9 an.nv $A start -H hai.pm && route S9 hai.pm $A next &&
	route S9 hung.lv $A next && route S9 hung.lv $A finish &&
	recv S10 1.001022 $R &&
	route S10 an.nv $A start -H hai.pm && route S10 hai.pm $A next &&
	route S10 hung.lv $A next && route S10 hung.lv $A finish &&
	route S10 an.nv $A return &&
	for s in 1 2 3 4 5 6 7 8 9 10; do
		test "$(col S$s status)" = $s || exit 1
	done &&
	test "$(col S4 step)" = 2 && test "$(col S4L step)" = 3 &&
	test "$(col S4L status)" = 4 &&
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''base.db'\''"'

# The table of libcommon/flow.c: the statuses each action applies to, and
# the status it leads to (0: unchanged; 4 for supplement_received, which
# returns to processing from a dossier at a step).
from() {
	case $1 in
	accept | refuse) echo 1 ;;
	start) echo 2 ;;
	next | back | request_fee | finish) echo 4 ;;
	forward) echo 2 4 ;;
	request_supplement) echo 1 2 4 ;;
	supplement_received) echo 5 ;;
	fee_paid) echo 6 ;;
	extend | reject) echo 4 5 6 ;;
	return) echo 8 9 ;;
	withdraw) echo 1 2 4 5 6 ;;
	stop) echo 7 ;;
	esac
}
to() {
	case $1 in
	accept) echo 2 ;;
	refuse) echo 3 ;;
	start | next | back | supplement_received | fee_paid) echo 4 ;;
	request_supplement) echo 5 ;;
	request_fee) echo 6 ;;
	withdraw) echo 7 ;;
	stop | reject) echo 8 ;;
	finish) echo 9 ;;
	return) echo 10 ;;
	*) echo 0 ;;
	esac
}
# actor ACTION: a staff member with the role the action needs, who did not
# receive the dossiers (next/back: the leader of step 2, where S4 is)
actor() {
	case $1 in
	next | back | start | extend | finish | stop | reject) echo hung.lv ;;
	fee_paid) echo mai.vt ;;
	*) echo an.nv ;;
	esac
}
# nonactor ACTION: a staff member without that role
nonactor() {
	case $1 in
	accept | refuse | request_supplement | supplement_received | fee_paid | \
	    return | withdraw) echo hung.lv ;;
	start | next | forward | request_fee) echo mai.vt ;;
	*) echo an.nv ;;
	esac
}
status_number() {
	case $1 in
	submitted) echo 1 ;; accepted) echo 2 ;; refused) echo 3 ;;
	processing) echo 4 ;; supplement_requested) echo 5 ;;
	fee_requested) echo 6 ;; withdrawal_requested) echo 7 ;;
	stopped) echo 8 ;; finished) echo 9 ;; returned) echo 10 ;;
	*) echo "?$1" ;;
	esac
}

ACTIONS="accept refuse start next back forward request_supplement
supplement_received request_fee fee_paid extend finish return withdraw stop
reject"

expect_ok 'dossier-route -l lists the actions and statuses of the table' '
	dossier-route -l >list.txt &&
	cut -d: -f1 list.txt >got && printf "%s\n" $ACTIONS >want &&
	same want got &&
	while IFS=: read -r a rest; do
		set -- $(echo "${rest%% ->*}" | tr "," " ")
		l=""
		for n; do l="$l $(status_number "$n")"; done
		test "${l# }" = "$(from "$a")" ||
		    { echo "$a: listed${l}, table $(from "$a")" >&2; exit 1; }
	done <list.txt'

# trial ACTION STATUS: try ACTION on a copy of the database, on the dossier
# in STATUS, by a staff member with the role, with every option given;
# check the exit status, the new status, the version and the events.
trial() {
	_a=$1 _s=$2 _d=S$2
	if [ "$_s" = 4 ] && [ "$_a" = finish ]; then
		_d=S4L
	fi
	cp base.db try.db || return 1
	_n0=$(nevents try.db) _v0=$(col "$_d" version try.db)
	# the target and the due time only for the actions that read them
	case $_a in
	forward) set -- -t 000.00.12.H56 ;;
	extend) set -- -D 2026-03-20T09:00:00+07:00 ;;
	*) set -- ;;
	esac
	dossier-route -d try.db --as "$(actor "$_a")" \
	    --at 2026-03-02T14:00:00+07:00 -r "Lý do" "$@" \
	    "$_a" "$(code "$_d")" >try.out 2>try.err
	_rc=$?
	_n1=$(nevents try.db) _v1=$(col "$_d" version try.db)
	_st=$(col "$_d" status try.db)
	cat try.err >&2
	echo "exit $_rc, status $_s -> $_st, version $_v0 -> $_v1," \
	    "events $_n0 -> $_n1" >&2
	case " $(from "$_a") " in
	*" $_s "*)
		_to=$(to "$_a")
		[ "$_to" = 0 ] && _to=$_s
		test "$_rc" = 0 && test "$_st" = "$_to" &&
		    test "$_v1" = $((_v0 + 1)) && test "$_n1" = $((_n0 + 1)) &&
		    jq -e ".status == $_to and .version == $_v1" try.out \
		    >/dev/null
		;;
	*)
		test "$_rc" = 65 &&
		    grep -qF "$_a: refused by rule 'status'" try.err &&
		    test "$_st" = "$_s" && test "$_v1" = "$_v0" &&
		    test "$_n1" = "$_n0" && test ! -s try.out
		;;
	esac
}

for act in $ACTIONS; do
	for st in 1 2 3 4 5 6 7 8 9 10; do
		case " $(from "$act") " in
		*" $st "*) w=0 ;;
		*) w=65 ;;
		esac
		expect_ok "$act from status $st: exit $w" 'trial "$act" "$st"'
	done
done

# ---- roles ----
# role_trial ACTION: the action by someone without its role, on the
# dossier in a status the action applies to
role_trial() {
	_a=$1
	_s=$(from "$_a" | cut -d" " -f1) _d=S$_s
	if [ "$_a" = finish ]; then
		_d=S4L
	fi
	cp base.db try.db || return 1
	_n0=$(nevents try.db)
	case $_a in
	forward) set -- -t 000.00.12.H56 ;;
	extend) set -- -D 2026-03-20T09:00:00+07:00 ;;
	*) set -- ;;
	esac
	dossier-route -d try.db --as "$(nonactor "$_a")" \
	    --at 2026-03-02T14:00:00+07:00 -r "Lý do" "$@" \
	    "$_a" "$(code "$_d")" >try.out 2>try.err
	_rc=$?
	cat try.err >&2
	test "$_rc" = 77 && grep -qF "$_a: refused by rule 'role'" try.err &&
	    test "$(nevents try.db)" = "$_n0" && test ! -s try.out
}
for act in $ACTIONS; do
	expect_ok "$act by $(nonactor "$act"), without the role: exit 77" \
	    'role_trial "$act"'
done
expect_ok 'an admin without the role may not act either' '
	route S2 root 2026-03-02T14:00:00+07:00 start -d try.db;
	refused 77 role && has "'\''start'\'' needs the reception or leader role" err.txt'
expect_ok 'a step is for its role: the leader may not do the specialist'\''s step' '
	recv k1 1.001022 $R &&
	route k1 an.nv $A start &&
	route k1 hung.lv 2026-03-02T10:00:00+07:00 next;
	refused 77 role &&
	has "step 1 '\''Thẩm định hồ sơ, niêm yết công khai'\'' is for the specialist role or its handler '\''an.nv'\''" err.txt'
expect_ok '... but its handler may, whatever their roles' '
	route k1 an.nv 2026-03-02T10:00:00+07:00 next &&
	jq -e ".step == 2" out.jsonl >/dev/null'

# ---- separation of duties ----
echo '{"kind":"staff","login":"thu.nt","name":"Nguyễn Thị Thu","unit":"000.00.01.H56","roles":["reception","leader"]}' >thu.jsonl
expect_ok 'a staff member with reception and leader roles receives a dossier' '
	dossier-admin catalog import thu.jsonl >/dev/null &&
	recv sd 1.001022 $R direct thu.nt &&
	route sd thu.nt $A start -H hai.pm && route sd hai.pm $A next &&
	route sd thu.nt $A next &&
	test "$(col sd step)" = 3'
expect_ok 'the one who received it may not finish it' '
	n=$(nevents) &&
	route sd thu.nt 2026-03-03T09:00:00+07:00 finish;
	refused 77 "separation of duties" && test "$(nevents)" = "$n" &&
	test "$(col sd status)" = 4'
expect_ok '... nor reject it' '
	route sd thu.nt 2026-03-03T09:00:00+07:00 reject -r "Không đủ điều kiện";
	refused 77 "separation of duties"'
expect_ok '... and another leader may' '
	route sd hung.lv 2026-03-03T09:00:00+07:00 finish &&
	test "$(col sd status)" = 9'
# An online submission is received when it is accepted (the slip is issued
# and the clock starts then): the one who accepted it is its receiver.
expect_ok 'who accepted an online submission may not finish it either' '
	recv sdo 1.001022 $R online &&
	route sdo thu.nt $A accept && route sdo thu.nt $A start -H hai.pm &&
	route sdo hai.pm $A next && route sdo thu.nt $A next &&
	route sdo thu.nt 2026-03-03T09:00:00+07:00 finish;
	refused 77 "separation of duties" && test "$(col sdo status)" = 4'

# ---- once-only rules ----
expect_ok 'a supplement may be requested once' '
	recv o1 1.001022 $R &&
	route o1 an.nv $A start &&
	route o1 an.nv $A request_supplement -r "Thiếu giấy tờ" &&
	route o1 an.nv 2026-03-02T10:00:00+07:00 supplement_received &&
	n=$(nevents) &&
	route o1 hai.pm 2026-03-02T11:00:00+07:00 request_supplement -r "Lần hai";
	refused 65 once && has "only once" err.txt &&
	test "$(nevents)" = "$n" && test "$(col o1 status)" = 4 &&
	test "$(col o1 supplements)" = 1'
expect_ok 'the due date may be moved once' '
	recv x1 1.001022 $R &&
	route x1 an.nv $A start &&
	route x1 hung.lv $A extend -r "Chờ xác minh" -D 2026-03-10T08:00:00+07:00 &&
	test "$(col x1 extensions)" = 1 &&
	route x1 hung.lv 2026-03-03T09:00:00+07:00 extend -r "Lần hai" \
	    -D 2026-03-12T08:00:00+07:00;
	refused 65 once &&
	test "$(col x1 due_at)" = "$(sqlite3 "$DOSSIER_DB" "SELECT unixepoch('\''2026-03-10T08:00:00+07:00'\'')")"'
expect_ok 'the new due time must be later' '
	recv x2 1.001022 $R &&
	route x2 an.nv $A start &&
	route x2 hung.lv $A extend -r "Chờ" -D 2026-03-04T08:00:00+07:00;
	refused 65 later'
expect_ok 'extend needs a new due time and a reason' '
	route x2 hung.lv $A extend -r "Chờ"; refused 65 due &&
	route x2 hung.lv $A extend -D 2026-03-10T08:00:00+07:00; refused 65 reason'
expect_ok 'an extension one working day before the due time is in time' '
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''x2.db'\''" &&
	route x2 hung.lv 2026-03-04T08:00:00+07:00 extend -r "Chờ" \
	    -D 2026-03-10T08:00:00+07:00 && test "$(col x2 extensions)" = 1 &&
	test "$(col x2 late)" = 0 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT json_type(payload, '\''$.late'\'')
	    FROM events WHERE action = '\''extend'\'' ORDER BY id DESC
	    LIMIT 1")" = ""'
# Decree 61/2018 Art. 19(9): later than that, the apology is late, not
# impossible.
expect_ok 'an extension less than one working day before is late' '
	dossier-route -d x2.db --as hung.lv --at 2026-03-04T09:00:00+07:00 \
	    -r "Chờ" -D 2026-03-10T08:00:00+07:00 extend "$(code x2)" \
	    >out.jsonl &&
	test "$(col x2 extensions x2.db)" = 1 && test "$(col x2 late x2.db)" = 1 &&
	test "$(sqlite3 x2.db "SELECT json_extract(payload, '\''$.late'\'')
	    FROM events WHERE action = '\''extend'\'' ORDER BY id DESC
	    LIMIT 1")" = 1'

# ---- deadlines and steps ----
# Decree 61/2018 Art. 19(8): a rejection after the due time is late, not
# impossible.
expect_ok 'reject after the deadline is recorded late' '
	recv j1 1.001022 $R &&
	route j1 an.nv $A start &&
	route j1 hung.lv 2026-03-05T09:00:00+07:00 reject -r "Không đủ điều kiện" &&
	test "$(col j1 status)" = 8 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT json_extract(payload, '\''$.late'\'')
	    FROM events WHERE action = '\''reject'\'' ORDER BY id DESC
	    LIMIT 1")" = 1'
expect_ok 'a stopped withdrawal is not returned' '
	recv w8 1.001022 $R &&
	route w8 an.nv $A withdraw -r "Rút hồ sơ" && route w8 hung.lv $A stop &&
	route w8 an.nv $A return; refused 65 rejected && test "$(col w8 status)" = 8'
# While the clock is paused, the deadline is judged when it stopped.
expect_ok 'a dossier waiting for a supplement since before its due time may be rejected' '
	recv pz 1.001022 $R &&
	route pz an.nv $A start &&
	route pz an.nv 2026-03-03T09:00:00+07:00 request_supplement -r "Thiếu" &&
	route pz hung.lv 2026-03-10T09:00:00+07:00 extend -r "Chờ bổ sung" \
	    -D 2026-03-20T08:00:00+07:00 &&
	test "$(col pz extensions)" = 1 &&
	route pz hung.lv 2026-03-25T09:00:00+07:00 reject -r "Không bổ sung" &&
	test "$(col pz status)" = 8'
expect_ok 'a dossier paused after its due time is rejected late' '
	recv pl 1.001022 $R &&
	route pl an.nv $A start &&
	route pl an.nv 2026-03-06T09:00:00+07:00 request_supplement -r "Thiếu" &&
	test "$(col pl late)" = 1 &&
	route pl hung.lv 2026-03-06T10:00:00+07:00 reject -r "Không bổ sung" &&
	test "$(col pl status)" = 8 && test "$(col pl result)" = late'
expect_ok 'a handler must be active staff' '
	recv hz 1.001022 $R &&
	route hz an.nv $A start -H no.such.user; test $? = 65 &&
	has "handler '\''no.such.user'\'' is not active staff" err.txt &&
	test "$(col hz status)" = 2'
expect_ok 'finish before the last step is refused' '
	recv st 1.001022 $R &&
	route st an.nv $A start -H hai.pm &&
	route st hung.lv $A finish;
	refused 65 "last step" && has "step 1 of 3" err.txt'
expect_ok 'back at the first step is refused' '
	route st hai.pm $A back -r "Xem lại"; refused 65 "first step"'
expect_ok 'back and forward need a reason and a target' '
	route st hai.pm $A next && route st hung.lv $A back;
	refused 65 reason &&
	route st hung.lv $A forward; refused 65 target'
# Every action that needs a reason is refused without one: the option
# left out, given empty, and an empty "reason" in an action record.
expect_ok 'each action that needs a reason is refused without one' '
	for a in refuse:1 back:4 request_supplement:2 extend:4 withdraw:1 \
	    reject:4 withdraw:5 reject:6; do
		_a=${a%:*} _d=S${a#*:}
		cp base.db try.db || exit 1
		_n0=$(nevents try.db) _v0=$(col "$_d" version try.db)
		for how in none empty record; do
			set -- -d try.db --as "$(actor "$_a")" --at $A
			[ "$_a" != extend ] ||
			    set -- "$@" -D 2026-03-20T09:00:00+07:00
			case $how in
			none) dossier-route "$@" \
			    "$_a" "$(code "$_d")" >out.jsonl 2>err.txt ;;
			empty) dossier-route "$@" \
			    -r "" "$_a" "$(code "$_d")" >out.jsonl 2>err.txt ;;
			record) jq -nc --arg c "$(code "$_d")" --arg a "$_a" \
			    "{code: \$c, action: \$a, reason: \"\",
			    due: \"2026-03-20T09:00:00+07:00\"}" >act.jsonl &&
			    dossier-route "$@" <act.jsonl >out.jsonl 2>err.txt ;;
			esac
			refused 65 reason ||
			    { echo "$_a on $_d ($how): not refused" >&2; exit 1; }
		done
		test "$(nevents try.db)" = "$_n0" &&
		    test "$(col "$_d" version try.db)" = "$_v0" ||
		    { echo "$_a on $_d: written" >&2; exit 1; }
	done'
expect_ok 'next at the last step is refused: use finish' '
	route st hung.lv $A next -H mai.vt && test "$(col st step)" = 3 &&
	route st mai.vt $A next; refused 65 "last step" &&
	has "use finish" err.txt &&
	route st mai.vt $A finish && test "$(col st status)" = 9'

# ---- who may run it, and exit statuses ----
chmod 777 "$T"
# as_nobody CMD: run CMD as an unprivileged user
as_nobody() {
	chmod 666 "$DOSSIER_DB" "$DOSSIER_DB"-* 2>/dev/null
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "$1"
}
# shellcheck disable=SC2034 # used in the test commands
NOBODY=$(id -nu 65534 2>/dev/null || echo nobody)
if ! why=$(nobody_cannot "$T" "$DOSSIER_BIN/dossier-route"); then
	expect_ok 'a user who is not staff may not route' '
		recv u1 1.001022 $R && n=$(nevents) &&
		as_nobody "dossier-route -d \"$DOSSIER_DB\" start $(code u1)" \
		    >out.jsonl 2>err.txt;
		test $? = 77 && has "is not active staff" err.txt &&
		test "$(nevents)" = "$n"'
	expect_ok 'a staff member who is not an admin may not give --at' '
		printf "{\"kind\":\"staff\",\"login\":\"%s\",\"name\":\"Người thử\",\"unit\":\"000.00.01.H56\",\"roles\":[\"reception\"]}\n" \
		    "$NOBODY" | dossier-admin catalog import >/dev/null &&
		as_nobody "dossier-route -d \"$DOSSIER_DB\" --at $A start $(code u1)" \
		    >out.jsonl 2>err.txt;
		test $? = 77 && has "only an admin may give --at" err.txt &&
		test "$(col u1 status)" = 2'
	expect_ok '... nor --as' '
		as_nobody "dossier-route -d \"$DOSSIER_DB\" --as an.nv start $(code u1)" \
		    >out.jsonl 2>err.txt;
		test $? = 77 && has "only an admin may act as another user" err.txt'
	expect_ok '... but may act as themselves, now' '
		as_nobody "dossier-route -d \"$DOSSIER_DB\" start $(code u1)" \
		    >out.jsonl &&
		jq -e ".status == 4 and .handler == \"$NOBODY\"" out.jsonl >/dev/null'
else
	skip 'a user who is not staff may not route' "$why"
	skip 'a staff member who is not an admin may not give --at' "$why"
	skip '... nor --as' "$why"
	skip '... but may act as themselves, now' "$why"
fi
expect_code 77 'acting as someone who is not staff is refused' '
	dossier-route --as nosuchuser start "$(code S2)"'
expect_code 66 'an unknown dossier code is exit 66' '
	dossier-route --as an.nv start 000.00.01.H56-260302-9999'
expect_ok '... and says so' '
	dossier-route --as an.nv start 000.00.01.H56-260302-9999 2>err.txt;
	test $? = 66 && has "no dossier '\''000.00.01.H56-260302-9999'\''" err.txt'
expect_code 64 'an unknown action is exit 64' '
	dossier-route --as an.nv approve "$(code S2)"'
expect_code 64 'an unknown option is exit 64' '
	dossier-route --colour start "$(code S2)"'
expect_code 66 'a missing database is exit 66' '
	dossier-route -d nonexistent.db --as an.nv start "$(code S2)"'
expect_code 64 'a bad --at is a usage error, before the database is opened' '
	dossier-route -d nonexistent.db --at 2026-02-30 start "$(code S2)" \
	    2>err.txt; s=$?
	has "dossier-route: --at: '\''2026-02-30'\'' is not an RFC 3339 time or a date" err.txt &&
	has "usage: dossier-route" err.txt || exit 1
	exit $s'
if [ -w /dev/full ]; then
	expect_code 74 'stdout full after the commit: says the actions were applied' '
		recv fu1 1.001022 $R && recv fu2 1.001022 $R &&
		dossier-route --as an.nv --at $A start "$(code fu1)" \
		    "$(code fu2)" >/dev/full 2>err.txt; s=$?
		has "dossier-route: stdout: No space left on device: 2 actions applied and stored, but their records not written" err.txt &&
		test "$(col fu1 status)" = 4 && test "$(col fu2 status)" = 4 ||
		    exit 1
		exit $s'
else
	skip 'stdout full after the commit: says the actions were applied' \
	    'no /dev/full'
fi
expect_ok 'a refused action leaves the database unchanged' '
	recv n1 1.001022 $R &&
	sqlite3 "$DOSSIER_DB" "SELECT * FROM dossiers ORDER BY id" >before &&
	n=$(nevents) &&
	{ route n1 hung.lv $A finish; test $? = 65; } &&
	{ route n1 mai.vt $A start; test $? = 77; } &&
	{ route n1 an.nv $A start -V 7; test $? = 65; } &&
	has "someone acted on it first" err.txt &&
	test "$(nevents)" = "$n" &&
	sqlite3 "$DOSSIER_DB" "SELECT * FROM dossiers ORDER BY id" >after &&
	same before after'
expect_code 1 'one good code and one bad: partial success, exit 1' '
	recv g1 1.001022 $R && recv g2 1.001022 $R online &&
	dossier-route --as an.nv --at $A start "$(code g1)" "$(code g2)" \
	    >out.jsonl'
expect_ok '... the good one is done, the bad one named' '
	test "$(wc -l <out.jsonl)" = 1 &&
	jq -e ".code == \"$(code g1)\" and .status == 4" out.jsonl >/dev/null &&
	test "$(col g2 status)" = 1 &&
	dossier-route --as an.nv --at $A start "$(code g2)" \
	    000.00.01.H56-260302-9999 >out.jsonl 2>err.txt;
	test $? = 66 && has "$(code g2)" err.txt &&
	has "000.00.01.H56-260302-9999" err.txt'

# ---- the event log ----
expect_ok 'the events table refuses UPDATE' '
	! sqlite3 "$DOSSIER_DB" "UPDATE events SET actor = '\''x'\'' WHERE seq = 2" \
	    2>err.txt && has "append-only" err.txt'
expect_ok 'the events table refuses DELETE' '
	! sqlite3 "$DOSSIER_DB" "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)" \
	    2>err.txt && has "append-only" err.txt &&
	dossier-admin check >/dev/null'
expect_ok 'a tampered route event is found by check, naming chain and seq' '
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''tamper.db'\''" &&
	seq=$(sqlite3 tamper.db "SELECT seq FROM events WHERE action = '\''request_supplement'\'' ORDER BY seq LIMIT 1") &&
	test -n "$seq" &&
	sqlite3 tamper.db "DROP TRIGGER events_no_update;
	    UPDATE events SET payload = replace(payload, '\''Thiếu giấy tờ'\'', '\''Khác'\'')
	    WHERE seq = $seq" &&
	dossier-admin -d tamper.db check >check.json 2>err.txt;
	test $? = 65 &&
	has "chain 000.00.01.H56: event $seq " err.txt &&
	has "content does not match its hash" err.txt &&
	jq -e ".ok == false and .broken_chains == 1" check.json >/dev/null'
expect_ok 'a tampered projection is found by check too' '
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''tamper2.db'\''" &&
	sqlite3 tamper2.db "UPDATE dossiers SET due_at = due_at + 86400
	    WHERE code = '\''$(code x2)'\''" &&
	dossier-admin -d tamper2.db check >check.json 2>err.txt;
	test $? = 65 && has "column '\''due_at'\'' differs" err.txt &&
	jq -e ".projection_mismatches == 1" check.json >/dev/null'

# ---- a dossier keeps the steps of its procedure version ----
jq -c 'select(.kind == "procedure" and .code == "1.001193") |
    .steps += [{"name": "Vào sổ hộ tịch và trả kết quả", "role": "clerk",
    "unit": null, "office": null,
    "time": {"amount": 0.5, "unit": "working_days"}}]' "$CATALOG" >changed.jsonl
expect_ok 'a dossier received under version 1 of a procedure' '
	recv v1 1.001193 $R &&
	jq -e ".procedure_version == 1" v1.jsonl >/dev/null &&
	route v1 an.nv $A start -H hai.pm &&
	dossier-admin catalog import changed.jsonl >imp.json &&
	test "$(jq .changed imp.json)" = 1 &&
	recv v2 1.001193 $R &&
	jq -e ".procedure_version == 2" v2.jsonl >/dev/null'
expect_ok '... keeps its two steps after the catalog gave it three' '
	route v1 hai.pm $A next &&
	jq -e ".step == 2 and .procedure_version == 1 and
	    .step_name == \"Chủ tịch UBND ký Giấy khai sinh\"" out.jsonl >/dev/null &&
	route v1 hung.lv $A next; refused 65 "last step" &&
	route v1 hung.lv $A finish &&
	jq -e ".status == 9" out.jsonl >/dev/null'
expect_ok 'a dossier received under version 2 follows the three steps' '
	route v2 an.nv $A start -H hai.pm && route v2 hai.pm $A next &&
	route v2 hung.lv $A finish; refused 65 "last step" &&
	has "step 2 of 3" err.txt &&
	route v2 hung.lv $A next -H mai.vt &&
	jq -e ".step == 3 and .procedure_version == 2 and
	    .step_name == \"Vào sổ hộ tịch và trả kết quả\"" out.jsonl >/dev/null &&
	route v2 hung.lv $A finish &&
	jq -e ".status == 9" out.jsonl >/dev/null'

expect_ok 'dossier-admin check passes after all of this' '
	dossier-admin check >check.json &&
	jq -e ".ok and .broken_chains == 0 and .projection_mismatches == 0" \
	    check.json >/dev/null'

finish
