#!/bin/sh
# fuzz.sh: run the libFuzzer harnesses of tests/fuzz/ (built by `make
# fuzzers` into $O/fuzz/ with clang) on an office database made for them,
# starting from the seeds in tests/fuzz/corpus/NAME.
#
#   tests/fuzz.sh [-t SECONDS | -r RUNS] [NAME...]
#
# -t: each harness for SECONDS (make fuzz: FUZZTIME, 60 by default); -r:
# each for RUNS inputs (the smoke test of make check).  NAME: catalog,
# calendar, intake, action (default: all).  New inputs that reach new code
# go to a scratch directory, not into the repository's seeds (add the
# useful ones by hand, small).  A crash, leak or sanitizer report fails:
# the input is kept and its path printed; make it a regression test.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in
/*) bindir=$O ;;
*) bindir=$root/$O ;;
esac
PATH="$bindir:$PATH"
export PATH

limit="-max_total_time=60"
case ${1:-} in
-t) limit="-max_total_time=$2"; shift 2 ;;
-r) limit="-runs=$2"; shift 2 ;;
[0-9]*) limit="-max_total_time=$1"; shift ;;
esac
names=${*:-catalog calendar intake action}

W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-fuzz.XXXXXX")
FUZZ_DB=$W/office.db
export FUZZ_DB
# the harnesses' office: the demo catalog, 40 dossiers, some of them
# started and one waiting for a supplement (see corpus/action)
CATALOG=$root/examples/catalog.jsonl
if ! { dossier-admin -d "$FUZZ_DB" init --agency 000.00.01.H56 \
    --name "Fuzz" >/dev/null &&
    dossier-admin -d "$FUZZ_DB" catalog import "$CATALOG" >/dev/null &&
    gen-dossiers -n 40 -s 3 -c "$CATALOG" >"$W/apps.jsonl" &&
    dossier-new -d "$FUZZ_DB" --accept "$W/apps.jsonl" >"$W/new.jsonl" &&
    head -n 20 "$W/new.jsonl" >"$W/start.jsonl" &&
    dossier-route -d "$FUZZ_DB" --as an.nv start -H hai.pm \
    <"$W/start.jsonl" >/dev/null; }; then
	echo "fuzz: cannot make the database" >&2
	exit 1
fi

failed=0
for n in $names; do
	h=$bindir/fuzz/fuzz-$n
	if [ ! -x "$h" ]; then
		echo "fuzz: no $h (make fuzzers needs clang)" >&2
		exit 1
	fi
	mkdir -p "$W/new-$n" "$W/tmp-$n"
	# leaks are reported (detect_leaks); a time-out or an exit is a crash
	if TMPDIR="$W/tmp-$n" \
	    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	    "$h" "$limit" -timeout=10 -rss_limit_mb=1024 -max_len=8192 \
	    -artifact_prefix="$W/crash-$n-" -print_final_stats=1 \
	    "$W/new-$n" "$root/tests/fuzz/corpus/$n" >"$W/$n.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$W/$n.log")
		# its office copy, made in TMPDIR, removed at its exit
		tmp=$(sed -n 's/^fuzz: office copy in //p' "$W/$n.log" |
		    head -n 1)
		case $tmp in
		"$W/tmp-$n"/*) ;;
		*)
			failed=$((failed + 1))
			echo "fuzz-$n: FAILED: office copy '$tmp' not in TMPDIR"
			continue ;;
		esac
		if [ -e "$tmp" ] || [ -n "$(ls -A "$W/tmp-$n")" ]; then
			failed=$((failed + 1))
			echo "fuzz-$n: FAILED: left in TMPDIR:" \
			    "$(ls -A "$W/tmp-$n")"
			continue
		fi
		echo "fuzz-$n: ${runs:-?} inputs, no crash"
	else
		failed=$((failed + 1))
		echo "fuzz-$n: FAILED"
		grep -E "ERROR|SUMMARY|Test unit written|==[0-9]+==" \
		    "$W/$n.log" | head -n 20 | sed 's/^/#   /'
	fi
done
if [ "$failed" = 0 ]; then
	rm -rf "$W"
	exit 0
fi
echo "fuzz: $failed harnesses failed; logs and inputs kept in $W"
exit 1
