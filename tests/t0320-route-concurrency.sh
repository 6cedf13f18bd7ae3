#!/bin/sh
# dossier-route: compare-and-set between clerks acting at once, and many
# routing processes at once on one database without lost updates.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME: an application with the procedure's required documents
app() {
	jq -nc --arg ref "$1" --arg p "$2" --arg t "$3" \
	    --slurpfile cat "$CATALOG" '{ref: $ref, procedure: $p,
	    received_at: $t, applicant: {name: "Hoàng Thị Mận"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select(.required) | {name}]}'
}

# count SQL: the single value of a query
count() {
	sqlite3 "$DOSSIER_DB" "$1"
}

# later CMD...: run CMD once the file "go" exists (a start line for racers)
later() {
	while [ ! -e go ]; do
		sleep 0.01
	done
	exec "$@"
}

# race CODE LOGIN...: each LOGIN runs `next -V 2` on CODE at the same
# moment; the k-th one's stdout, stderr and exit status in out.k, err.k, rc.k
race() {
	_c=$1
	shift
	rm -f go rc.* out.* err.*
	_k=0 _pids=""
	for _who; do
		_k=$((_k + 1))
		later dossier-route --as "$_who" --at 2026-03-03T09:00:00+07:00 \
		    -V 2 next "$_c" >"out.$_k" 2>"err.$_k" &
		_pids="$_pids $!"
	done
	sleep 0.2
	touch go
	_k=0
	for _p in $_pids; do
		_k=$((_k + 1))
		wait "$_p"
		echo $? >"rc.$_k"
	done
}

# one_won N: of N racers, one exited 0 with one record, the others 65
# saying someone acted first, with no record
one_won() {
	cat err.* >&2
	head rc.* >&2
	test "$(grep -lx 0 rc.* | wc -l)" = 1 &&
	    test "$(grep -lx 65 rc.* | wc -l)" = $(($1 - 1)) &&
	    test "$(grep -l "someone acted on it first" err.* | wc -l)" = \
	    $(($1 - 1)) &&
	    test "$(cat out.* | wc -l)" = 1
}

# ---- two clerks, one dossier, the same expected version ----
# 1.001022: step 1 is for a specialist; hai.pm and dung.hv both are.
i=1
while [ $i -le 5 ]; do
	expect_ok "round $i: two clerks at once with -V 2: exactly one wins" '
		app race-$i 1.001022 2026-03-02T09:00:00+07:00 |
		    dossier-new --as an.nv >race-$i.jsonl &&
		c=$(jq -r .code race-$i.jsonl) &&
		dossier-route --as an.nv --at 2026-03-02T10:00:00+07:00 start "$c" \
		    >/dev/null &&
		n=$(count "SELECT count(*) FROM events") &&
		race "$c" hai.pm dung.hv &&
		one_won 2 &&
		test "$(count "SELECT count(*) FROM events")" = $((n + 1)) &&
		test "$(count "SELECT version FROM dossiers WHERE code = '\''$c'\''")" = 3 &&
		test "$(count "SELECT step FROM dossiers WHERE code = '\''$c'\''")" = 2 &&
		test "$(count "SELECT count(*) FROM events e JOIN dossiers d
		    ON d.uuid = e.dossier WHERE d.code = '\''$c'\''")" = 3'
	i=$((i + 1))
done

expect_ok 'eight clerks at once with -V 2 on one dossier: exactly one wins' '
	app race-8 1.001022 2026-03-02T09:00:00+07:00 |
	    dossier-new --as an.nv >race-8.jsonl &&
	c=$(jq -r .code race-8.jsonl) &&
	dossier-route --as an.nv --at 2026-03-02T10:00:00+07:00 start "$c" \
	    >/dev/null &&
	n=$(count "SELECT count(*) FROM events") &&
	race "$c" hai.pm dung.hv son.bd thao.ltp linh.dn chien.hv \
	    hai.pm dung.hv &&
	one_won 8 &&
	test "$(count "SELECT count(*) FROM events")" = $((n + 1)) &&
	test "$(count "SELECT version FROM dossiers WHERE code = '\''$c'\''")" = 3'

# ---- eight processes, disjoint dossiers, interleaved transactions ----
NPROC=8
expect_ok 'generate and receive 1600 dossiers, then start them all' '
	gen-dossiers -c "$CATALOG" -n 1600 -s 20 -f 2026-03-02 -D 10 \
	    -p conc >apps.jsonl &&
	n=$(count "SELECT count(*) FROM dossiers") &&
	dossier-new --accept apps.jsonl >recs.jsonl 2>err.txt &&
	test ! -s err.txt && test "$(wc -l <recs.jsonl)" = 1600 &&
	test "$(count "SELECT count(*) FROM dossiers")" = $((n + 1600)) &&
	dossier-route --as hung.lv --at 2026-03-20T09:00:00+07:00 -H an.nv \
	    start <recs.jsonl >started.jsonl &&
	test "$(wc -l <started.jsonl)" = "$(wc -l <recs.jsonl)" &&
	jq -e -s "all(.[]; .status == 4 and .step == 1 and .version == 2)" \
	    started.jsonl >/dev/null'
expect_ok "$NPROC processes route their own ~200 dossiers at once: all succeed" '
	awk -v n=$NPROC "{ print > (\"part_\" (NR % n) \".jsonl\") }" \
	    started.jsonl &&
	before=$(count "SELECT count(*) FROM events") &&
	echo "$before" >before.n &&
	rm -f go && pids="" &&
	for k in $(seq 0 $((NPROC - 1))); do
		later dossier-route --as an.nv --at 2026-03-20T10:00:00+07:00 \
		    -b 10 next <part_$k.jsonl >next_$k.jsonl 2>err_$k.txt &
		pids="$pids $!"
	done &&
	sleep 0.2 && touch go &&
	bad=0 &&
	for p in $pids; do
		wait "$p" || bad=$((bad + 1))
	done &&
	cat err_*.txt >&2 &&
	test $bad = 0'
expect_ok '... every dossier moved once: events, versions and steps add up' '
	n=$(wc -l <started.jsonl) &&
	test "$(cat next_*.jsonl | wc -l)" = "$n" &&
	test "$(cat next_*.jsonl | jq -r .code | sort -u | wc -l)" = "$n" &&
	test "$(count "SELECT count(*) FROM events")" = $(($(cat before.n) + n)) &&
	test "$(count "SELECT count(*) FROM events WHERE action = '\''next'\''
	    AND dossier IN (SELECT uuid FROM dossiers WHERE ref LIKE '\''conc-%'\'')")" = "$n" &&
	test "$(count "SELECT count(*) FROM dossiers WHERE ref LIKE '\''conc-%'\''
	    AND version = 3 AND step = 2 AND status = 4")" = "$n" &&
	jq -e -s "all(.[]; .version == 3 and .step == 2)" next_*.jsonl >/dev/null'
expect_ok 'the office chain has no gaps and check passes' '
	test "$(count "SELECT max(seq) = count(*) FROM events")" = 1 &&
	dossier-admin check >check.json &&
	jq -e ".ok and .broken_chains == 0 and .projection_mismatches == 0" \
	    check.json >/dev/null'

finish
