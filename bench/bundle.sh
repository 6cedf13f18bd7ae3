#!/bin/sh
# bench/bundle.sh: the dossier-bundle export and import benchmark.
#
# A commune office with N dossiers (default 10,000), one receive event
# each, of which A (default 1,000) carry an attachment of 100 KB of
# random bytes (a scan does not compress either), exports everything to
# its province; the province imports it.  Each is timed as a whole
# process, next to bench/bundle-ref.c (libarchive alone writing and
# reading the same members with the same format, filter and level and
# SHA-256 of every member, built by make bench-tools) in the same run:
#   - export vs the reference writing the members from files;
#   - verify (every check of import, no database) vs the reference
#     reading them back and checking each hash against the manifest;
#   - import (the checks, then the events applied in one transaction to
#     a copy of the province's database) vs the same reference read, and
#     vs the reference reading them and storing them in a new SQLite file
#     in one transaction (a row per event line, a row per blob; WAL,
#     synchronous FULL, as the toolkit): the floor of an import.
# Both gzip (level 6, libarchive's default) and zstd (level 3).
# MB/s counts the members' uncompressed bytes (1 MB = 10^6 bytes).  R
# rounds (default 5), each running the tool and the reference one after
# the other, the order alternating; the figures are the medians, the
# ratio the median of the rounds' ratios (target >= 0.70), and the noise
# the spread (max/min - 1) of the reference's own times.  Peak RSS (KB,
# wait4's ru_maxrss, as /usr/bin/time -f %M) is the median of the rounds,
# at two sizes: N/2 dossiers with A/2 attachments, and N with A; it must
# not grow with the bundle.
#
#   bench/bundle.sh [N [A]]   (O=build by default; WORK=dir, R=rounds,
#                             Z="gzip zstd")
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-10000}
na=${2:-1000}
rounds=${R:-5}
zips=${Z:-gzip zstd}
work=${WORK:-$bin/bench}/bundle
mkdir -p "$work"
C=000.00.22.H56
P=000.00.01.H56

# median: the median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# tm OUTFILE command...: run it (its stdout passes through), leaving
# "wall_seconds maxrss_kb cpu_seconds" in OUTFILE (GNU time: %e %M, and
# %U + %S); stop the benchmark if it fails
tm() {
	out=$1
	shift
	/usr/bin/time -o "$out.stat" -f '%e %M %U %S' "$@" 2>"$out.err" || {
		echo "bench: $* failed; the end of its messages:" >&2
		tail -n 5 "$out.err" "$out.stat" >&2
		exit 1
	}
	awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$out.stat" >"$out"
}

# spread: max/min - 1 of the numbers on stdin, in percent
spread() {
	sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END {
		printf "%.0f", 100 * (hi / lo - 1) }'
}

# mbs BYTES SECONDS: MB/s
mbs() {
	awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'
}

# offices DIR ND NA: the commune's and the province's databases in DIR
offices() {
	d=$1
	rm -rf "$d"
	mkdir -p "$d/att"
	dossier-admin -d "$d/c.db" init --agency $C --name "Bench commune" \
	    >/dev/null
	dossier-admin -d "$d/c.db" catalog import "$cat" >/dev/null
	dossier-admin -d "$d/p.db" init --agency $P --name "Bench province" \
	    >/dev/null
	dossier-admin -d "$d/p.db" catalog import "$cat" >/dev/null
	dossier-bundle -d "$d/c.db" trust add $P \
	    "$(dossier-bundle -d "$d/p.db" key | jq -r .public_key)" >/dev/null
	dossier-bundle -d "$d/p.db" trust add $C \
	    "$(dossier-bundle -d "$d/c.db" key | jq -r .public_key)" >/dev/null
	head -c $(($3 * 102400)) /dev/urandom |
	    split -b 102400 -a 5 -d - "$d/att/a"
	gen-dossiers -c "$cat" -n "$2" -s 15 -p "bb" |
	    awk -v na="$3" 'NR <= na {
		sub(/"file":null/, sprintf("\"file\":\"a%05d\"", NR - 1)) } 1' |
	    dossier-new -d "$d/c.db" --as root --attachments "$d/att" \
	    -b 10000 >/dev/null
	sqlite3 "$d/p.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
}

# pair Z DIR ROUND: one round of export, verify and import and the
# references, appending "what seconds rss" lines to DIR/times.Z
pair() {
	z=$1 d=$2 r=$3 t=$d/times.$z
	# the tool first in odd rounds, the reference first in even ones
	if [ $((r % 2)) = 1 ]; then
		tool_round "$z" "$d" >>"$t"
		ref_round "$z" "$d" >>"$t"
	else
		ref_round "$z" "$d" >>"$t"
		tool_round "$z" "$d" >>"$t"
	fi
}

tool_round() {
	tm "$2/s" dossier-bundle -d "$2/c.db" export --to $P -z "$1" \
	    -o "$2/b.$1" >/dev/null
	echo "export $(cat "$2/s")"
	tm "$2/s" dossier-bundle -d "$2/p.db" verify "$2/b.$1" >/dev/null
	echo "verify $(cat "$2/s")"
	cp "$2/p.db" "$2/pi.db"
	rm -f "$2/pi.db-wal" "$2/pi.db-shm"
	tm "$2/s" dossier-bundle -d "$2/pi.db" import "$2/b.$1" >"$2/imp"
	echo "import $(cat "$2/s")"
	jq -e ".events_new >= $n_now and .blobs_new == $na_now" "$2/imp" \
	    >/dev/null || { echo "bench: import: $(cat "$2/imp")" >&2; exit 1; }
}

ref_round() {
	tm "$2/s" bundle-ref write "$1" "$2/m.$1" "$2/r.$1" >"$2/w"
	echo "refwrite $(cat "$2/s") $(cut -d' ' -f1 "$2/w")"
	tm "$2/s" bundle-ref read "$2/r.$1" >/dev/null
	echo "refread $(cat "$2/s")"
	tm "$2/s" bundle-ref store "$2/r.$1" "$2/rs.db" >/dev/null
	echo "refstore $(cat "$2/s")"
}

# col Z DIR WHAT FIELD: the median of field FIELD of WHAT's lines
col() {
	awk -v w="$3" -v f="$4" '$1 == w { print $f }' "$2/times.$1" | median
}

# ratios Z DIR TOOL REF FIELD: the median of the rounds' ratios of the
# tool's rate to the reference's (same bytes: the reference's time, wall
# in field 2 or cpu in field 4, over the tool's), rounds paired in order
ratios() {
	awk -v a="$3" -v b="$4" -v f="$5" '$1 == a { t[++i] = $f }
	    $1 == b { u[++j] = $f }
	    END { for (k = 1; k <= i; k++) if (t[k] > 0) print u[k] / t[k] }' \
	    "$2/times.$1" | median
}

echo "bench/bundle.sh: $n dossiers, $na attachments of 100 KB," \
    "$rounds rounds, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for size in half full; do
	if [ $size = half ]; then
		n_now=$((n / 2)) na_now=$((na / 2))
	else
		n_now=$n na_now=$na
	fi
	d=$work/$size
	offices "$d" "$n_now" "$na_now"
	for z in $zips; do
		rm -f "$d/times.$z"
		# the reference's members: the tool's own, unpacked once
		dossier-bundle -d "$d/c.db" export --to $P -z "$z" \
		    -o "$d/b.$z" >/dev/null
		rm -rf "$d/m.$z"
		mkdir -p "$d/m.$z"
		tar -xf "$d/b.$z" -C "$d/m.$z"
		tar -tf "$d/b.$z" >"$d/m.$z/LIST"
		r=1
		while [ $r -le "$rounds" ]; do
			pair "$z" "$d" $r
			r=$((r + 1))
		done
		bytes=$(col "$z" "$d" refwrite 5)
		printf '%s %s: %d dossiers, %d attachments, %.1f MB of members,' \
		    "$size" "$z" "$n_now" "$na_now" "$(awk -v b="$bytes" \
		    'BEGIN { print b / 1e6 }')"
		printf ' bundle %.1f MB\n' "$(awk -v b="$(stat -c %s \
		    "$d/b.$z")" 'BEGIN { print b / 1e6 }')"
		for w in export verify import refwrite refread refstore; do
			s=$(col "$z" "$d" $w 2)
			printf '  %-9s %7s MB/s  %6.2f s  cpu %6.2f s' \
			    $w "$(mbs "$bytes" "$s")" "$s" \
			    "$(col "$z" "$d" $w 4)"
			printf '  peak RSS %6d KB\n' "$(col "$z" "$d" $w 3)"
		done
		printf '  ratio export/refwrite %.2f (cpu %.2f),' \
		    "$(ratios "$z" "$d" export refwrite 2)" \
		    "$(ratios "$z" "$d" export refwrite 4)"
		printf ' verify/refread %.2f (cpu %.2f),' \
		    "$(ratios "$z" "$d" verify refread 2)" \
		    "$(ratios "$z" "$d" verify refread 4)"
		printf ' import/refread %.2f (cpu %.2f),' \
		    "$(ratios "$z" "$d" import refread 2)" \
		    "$(ratios "$z" "$d" import refread 4)"
		printf ' import/refstore %.2f (cpu %.2f)\n' \
		    "$(ratios "$z" "$d" import refstore 2)" \
		    "$(ratios "$z" "$d" import refstore 4)"
		printf '  (medians of %d same-run pairs; target 0.70)\n' "$rounds"
		printf '  noise: the reference'"'"'s own wall times spread %s%%' \
		    "$(awk '$1 == "refwrite" { print $2 }' "$d/times.$z" |
		    spread)"
		printf ' (write), %s%% (read) from fastest to slowest\n' \
		    "$(awk '$1 == "refread" { print $2 }' "$d/times.$z" |
		    spread)"
	done
done
