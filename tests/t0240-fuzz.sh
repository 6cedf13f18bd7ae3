#!/bin/sh
# A fuzz smoke test: thousands of damaged lines (tests/mutate.c) into
# dossier-new and dossier-route.  Each line is either taken or rejected
# with a message naming it, on one line of its own whatever the input
# quoted in it holds, nothing crashes (under `make asan` the sanitizers
# watch), and the database stays whole.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_ok 'setup: 3000 applications, each line damaged' '
	gen-dossiers -n 3000 -s 11 -c "$CATALOG" >apps.jsonl &&
	mutate -s 1 <apps.jsonl >bad.jsonl'

# lines FILE: its number of lines
lines() {
	wc -l <"$1" | tr -d ' '
}

expect_ok 'dossier-new: each damaged line taken or rejected, no crash' '
	dossier-new -r rejects.jsonl bad.jsonl >out.jsonl 2>err.txt; s=$?;
	case $s in 0|1|65) ;; *) echo "exit $s"; exit 1 ;; esac;
	test $(($(lines out.jsonl) + $(lines rejects.jsonl))) = 3000 &&
	test "$(grep -c "^dossier-new: bad.jsonl:[0-9]*: " err.txt)" = \
	    "$(lines rejects.jsonl)" &&
	test "$(lines rejects.jsonl)" -gt 2000 &&
	test "$(grep -vc "^dossier-new: " err.txt)" = 0'
expect_ok '... what was taken is whole, and the database too' '
	jq -e -s "all(.[]; .v == 1 and (.code | length) > 0)" out.jsonl \
	    >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers")" = \
	    "$(jq -s "map(select(.existing | not)) | length" out.jsonl)" &&
	dossier-admin check >check.json && jq -e .ok check.json'

# action records for a thousand more dossiers, half of them damaged
expect_ok 'setup: 1000 dossiers, and a start for each, half of them damaged' '
	gen-dossiers -n 1000 -s 12 -p clean -c "$CATALOG" >clean.jsonl &&
	dossier-new clean.jsonl >/dev/null &&
	dossier-status --format json >all.jsonl &&
	jq -c "{code, action: \"start\", handler: \"hai.pm\",
	    expect_version: .version}" all.jsonl >actions.jsonl &&
	half=$(($(wc -l <actions.jsonl) / 2)) && test "$half" -gt 400 &&
	head -n "$half" actions.jsonl >first.jsonl &&
	mutate -s 2 <first.jsonl >badact.jsonl &&
	tail -n +"$((half + 1))" actions.jsonl >>badact.jsonl'
expect_ok 'dossier-route: each damaged action applied or refused, no crash' '
	n=$(lines badact.jsonl);
	dossier-route --as an.nv <badact.jsonl >routed.jsonl 2>err.txt; s=$?;
	case $s in 0|1|64|65|66|77) ;; *) echo "exit $s"; exit 1 ;; esac;
	test $(($(lines routed.jsonl) + $(grep -c "^dossier-route: stdin:" \
	    err.txt))) = "$n" && test "$(lines routed.jsonl)" -gt 300 &&
	test "$(grep -vc "^dossier-route: " err.txt)" = 0'
expect_ok '... the database whole' '
	dossier-admin check >check.json && jq -e .ok check.json'

# the catalog with one line damaged, 40 ways: all or nothing, no crash
expect_ok 'dossier-admin catalog import: a damaged catalog refused whole' '
	total=$(wc -l <"$CATALOG") &&
	for seed in $(seq 1 40); do
		dossier-admin catalog export >before.jsonl || exit 1
		k=$((seed * 37 % total + 1))
		{
			head -n $((k - 1)) "$CATALOG"
			sed -n "${k}p" "$CATALOG" | mutate -s "$seed"
			tail -n +$((k + 1)) "$CATALOG"
		} >cat.jsonl
		dossier-admin catalog import cat.jsonl >/dev/null 2>err.txt
		s=$?
		case $s in
		0) ;;
		65) grep -q "^dossier-admin: cat.jsonl:[0-9]*: " err.txt || {
			echo "seed $seed: $(head -n 1 err.txt)"; exit 1; }
		    dossier-admin catalog export >after.jsonl &&
		    cmp -s before.jsonl after.jsonl || {
			echo "seed $seed: refused but changed"; exit 1; } ;;
		*) echo "seed $seed: exit $s"; exit 1 ;;
		esac
	done &&
	dossier-admin check >check.json && jq -e .ok check.json'

finish
