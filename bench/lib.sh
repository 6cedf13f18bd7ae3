# bench/lib.sh: what the benchmark scripts share (sourced; POSIX sh).
# Sets root, bin (the build directory $O, default build), cat (the demo
# catalog) and PATH, and defines rate, ratio, now, fresh and timed.
# shellcheck shell=sh

root=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in
/*) bin=$O ;;
*) bin=$root/$O ;;
esac
PATH="$bin:$PATH"
cat="$root/examples/catalog.jsonl"
if ! [ -x "$bin/runstat" ]; then
	echo "bench: $bin/runstat is missing: run 'make bench-tools' first" >&2
	exit 1
fi

# rate COUNT SECONDS: COUNT per second, rounded
rate() {
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'
}

# ratio A B: A / B to two decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# now: seconds since the epoch, with nanoseconds
now() {
	date +%s.%N
}

# fresh DB: a new office database with the demo catalog
fresh() {
	rm -f "$1" "$1-wal" "$1-shm" "$1.key"
	dossier-admin -d "$1" init --agency 000.00.01.H56 --name "Bench office" \
	    >/dev/null
	dossier-admin -d "$1" catalog import "$cat" >/dev/null
}

# timed OUTFILE command...: run it (its stdout passes through), leaving
# "seconds maxrss_kb cpu_seconds" in OUTFILE; stop the benchmark if it
# fails
timed() {
	out=$1
	shift
	runstat "$@" 2>"$out.stat" || {
		echo "bench: $* failed; the end of its messages:" >&2
		tail -n 5 "$out.stat" >&2
		exit 1
	}
	tail -n 1 "$out.stat" >"$out"
}
