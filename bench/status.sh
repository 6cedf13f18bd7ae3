#!/bin/sh
# bench/status.sh: the dossier-status lookup benchmark.
#
# Builds (or reuses, with DB=file) an office database of N generated
# dossiers (default 10,000,000; N=1000000 for a quicker run), then times:
#   - one lookup by code as a whole process, next to `sqlite3 DB "SELECT
#     ... WHERE code = '...'"` run the same way, in R pairs (default 200):
#     the median ms of each, the median of the pairs' ratios (target <=
#     1.0) with its middle half, and the middle half of the sqlite3
#     shell's own times (the machine's noise); LOOKUP_ONLY=1 stops there;
#   - the overdue list of one unit when 0.2% of the open dossiers are past
#     due (target under 100 ms), and when 2% are, next to the sqlite3 CLI
#     printing the same rows as JSON; diacritics-insensitive name searches
#     of a full name, of two words and of one common word for a screen
#     (target: each under 100 ms); the query plans, which must use an
#     index (dossiers_open_due, dossier_search), not a scan.
#
#   bench/status.sh [N]       (O=build by default; WORK=dir, DB=file, R=n,
#                             LOOKUP_ONLY=1)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-10000000}
reps=${R:-200}
work=${WORK:-$bin/bench}
mkdir -p "$work"
chunk=1000000

# ms OUTFILE COUNT: mean milliseconds of one of COUNT runs timed in OUTFILE
ms() {
	read -r s _ <"$1"
	awk -v s="$s" -v c="$2" 'BEGIN { printf "%.2f", s * 1000 / c }'
}

echo "bench/status.sh: $n dossiers, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
db=${DB:-$work/status-$n.db}
start=$(date +%s)

# receive DB N: bring DB to N dossiers made by gen-dossiers and
# dossier-new, a million at a time
receive() {
	if [ ! -f "$1" ]; then
		fresh "$1"
	fi
	have=$(sqlite3 "$1" 'SELECT count(*) FROM dossiers')
	i=0
	while [ "$have" -lt "$2" ]; do
		m=$(($2 - have))
		[ "$m" -gt "$chunk" ] && m=$chunk
		gen-dossiers -c "$cat" -n "$m" -s "$((2000 + i))" \
		    -p "st$i-$have" |
		    dossier-new -d "$1" --as root -b 10000 >/dev/null 2>&1 ||
		    true
		now=$(sqlite3 "$1" 'SELECT count(*) FROM dossiers')
		echo "  built $now dossiers ($(($(date +%s) - start))s)"
		[ "$now" -gt "$have" ] || { echo "bench: no progress" >&2; exit 1; }
		have=$now
		i=$((i + 1))
	done
}

# Beyond the first million the tools would take hours on shared cores:
# the first million comes from them, once (kept as status-1000000.db in
# WORK for later runs), and each further million is a copy of it made in
# SQL, its ids, UUIDs, codes and references made unique by the copy's
# number k and its times moved 60 * k days back, as an office's register
# grows.  The copies have no events and no rows in the name search index
# (its terms come from a function only the tools register): the lookup
# by code reads neither, and the name searches below find the names of
# the first million.  The indexes on dossiers are dropped for the copies
# and built again once after them.
if [ "$n" -gt "$chunk" ] && [ ! -f "$db" ]; then
	base=$work/status-$chunk.db
	receive "$base" "$chunk"
	sqlite3 "$base" "VACUUM INTO '$db'"
	if [ -f "$base.key" ]; then
		cp "$base.key" "$db.key"
	fi
fi
receive "$db" "$((n < chunk ? n : chunk))"
if [ "$have" -lt "$n" ]; then
	idx=$work/status-indexes.sql
	[ -s "$idx" ] ||
	    sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master
	    WHERE type = 'index' AND tbl_name = 'dossiers' AND sql IS NOT NULL" \
	    >"$idx"
	sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master
	    WHERE type = 'index' AND tbl_name = 'dossiers' AND sql IS NOT NULL" |
	    sqlite3 "$db"
	cols=$(sqlite3 "$db" "SELECT group_concat(name, ', ')
	    FROM pragma_table_info('dossiers')")
	k=$((have / chunk))
	while [ "$have" -lt "$n" ]; do
		exprs=$(sqlite3 "$db" "SELECT group_concat(CASE
		    WHEN name = 'id' THEN 'id + $((k * chunk))'
		    WHEN name IN ('uuid', 'code', 'ref') THEN
		      name || ' || ''-$k'''
		    WHEN name LIKE '%\_at' ESCAPE '\' THEN
		      name || ' - $((k * 5184000))'
		    ELSE name END, ', ') FROM pragma_table_info('dossiers')")
		sqlite3 "$db" "PRAGMA cache_size = -1000000;
		    INSERT INTO dossiers ($cols) SELECT $exprs FROM dossiers
		    WHERE id <= $((n - have < chunk ? n - have : chunk));"
		have=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
		echo "  copied to $have dossiers ($(($(date +%s) - start))s)"
		k=$((k + 1))
	done
	sqlite3 "$db" "PRAGMA cache_size = -1000000; $(cat "$idx")"
	echo "  indexes built ($(($(date +%s) - start))s)"
fi
# a database made by an older version is brought up to date first
dossier-admin -d "$db" migrate >/dev/null
echo "database: $db, $have dossiers," \
    "$(($(stat -c %s "$db") / 1048576)) MB"

# a dossier in the middle, its unit and applicant name
mid=$((have / 2))
code=$(sqlite3 "$db" "SELECT code FROM dossiers WHERE id = $mid")
unit=$(sqlite3 "$db" "SELECT unit FROM dossiers WHERE id = $mid")
name=$(sqlite3 "$db" \
    "SELECT json_extract(applicant, '\$.name') FROM dossiers WHERE id = $mid")
# "now" for the overdue lists: when 0.2% of the open dossiers are past
# due (generated dossiers are never finished, so all of them are open: an
# office's real backlog is a few weeks of receipts, and the overdue part
# of it is small), and when 2% are, a backlog ten times as large.
# at PERMILLE: "time|unix seconds" when PERMILLE per mille are due
at() {
	sqlite3 "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%S+07:00', due_at,
	    'unixepoch', '+7 hours') || '|' || due_at FROM dossiers
	    WHERE (status = 2 OR status = 4 OR status = 5 OR status = 6)
	    AND due_at IS NOT NULL
	    ORDER BY due_at LIMIT 1 OFFSET $((have * $1 / 1000))"
}
a=$(at 2)
at=${a%|*}
a=$(at 20)
at2=${a%|*}
at2_s=${a#*|}

# warm the page cache, then the lookups as whole processes: R pairs of
# dossier-status and the sqlite3 shell running the same SELECT, one after
# the other (which goes first alternates), each timed alone by runstat
dossier-status -d "$db" "$code" >/dev/null
sqlite3 "$db" "SELECT * FROM dossiers WHERE code = '$code'" >/dev/null
# one NAME COMMAND...: run it, timed, and append its seconds to NAME
one() {
	_n=$1
	shift
	runstat "$@" 2>"$work/one.stat" >/dev/null || {
		echo "bench: $* failed" >&2
		exit 1
	}
	tail -n 1 "$work/one.stat" | cut -d" " -f1 >>"$work/$_n"
}
: >"$work/l.st"
: >"$work/l.sq"
i=0
while [ "$i" -lt "$reps" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		one l.st dossier-status -d "$db" "$code"
		one l.sq sqlite3 "$db" "SELECT * FROM dossiers WHERE code = '$code'"
	else
		one l.sq sqlite3 "$db" "SELECT * FROM dossiers WHERE code = '$code'"
		one l.st dossier-status -d "$db" "$code"
	fi
	i=$((i + 1))
done
# the medians of each, the median of the pairs' ratios and its middle
# half (the noise of a ratio on this machine now), and the middle half of
# the sqlite3 shell's own times about their median (the noise of a time)
paste -d" " "$work/l.st" "$work/l.sq" | awk '
function q(a, n, f) { return a[int((n - 1) * f) + 1] }
function sort(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}
{ n++; st[n] = $1 * 1000; sq[n] = $2 * 1000; r[n] = $1 / $2 }
END {
	sort(st, n); sort(sq, n); sort(r, n)
	printf "lookup by code:   dossier-status %.2f ms, sqlite3 CLI %.2f ms" \
	    " (medians of %d pairs of whole processes), ratio %.2f" \
	    " (median of the pairs; middle half %.2f to %.2f)" \
	    " (target <= 1.0)\n", q(st, n, .5), q(sq, n, .5), n,
	    q(r, n, .5), q(r, n, .25), q(r, n, .75)
	printf "  noise: the sqlite3 CLI alone, middle half of its runs" \
	    " %.2f to %.2f ms (%+.0f%% to %+.0f%% of its median)\n",
	    q(sq, n, .25), q(sq, n, .75),
	    100 * (q(sq, n, .25) / q(sq, n, .5) - 1),
	    100 * (q(sq, n, .75) / q(sq, n, .5) - 1)
}'
[ -z "${LOOKUP_ONLY:-}" ] || exit 0

# odue AT LABEL: the overdue list of the unit as of AT, whole, timed
odue() {
	dossier-status -d "$db" --overdue="$1" --unit "$unit" \
	    >"$work/overdue.jsonl" || true
	timed "$work/t.od" dossier-status -d "$db" --overdue="$1" \
	    --unit "$unit" >/dev/null
	rows=$(wc -l <"$work/overdue.jsonl")
	odms=$(ms "$work/t.od" 1)
	echo "overdue of $unit as of $1 ($2): $rows dossiers in $odms ms" \
	    "($(awk -v t="$odms" -v n="$rows" 'BEGIN { printf "%.1f",
	    n ? t * 1000 / n : 0 }') us a dossier)"
}

odue "$at" "0.2% of the open dossiers past due"
echo "  target < 100 ms"
timed "$work/t.od1" dossier-status -d "$db" --overdue="$at" --unit "$unit" \
    -n 100 >/dev/null
echo "  the first 100 of them (a screen): $(ms "$work/t.od1" 1) ms"
timed "$work/t.odo" dossier-status -d "$db" --overdue="$at" >"$work/all.jsonl"
echo "  the whole office as of then: $(wc -l <"$work/all.jsonl") dossiers in" \
    "$(ms "$work/t.odo" 1) ms"
timed "$work/t.odo1" dossier-status -d "$db" --overdue="$at" -n 100 \
    >/dev/null
echo "  the first 100 of the whole office: $(ms "$work/t.odo1" 1) ms"
odue "$at2" "2%, a backlog ten times as large"
timed "$work/t.cli" sqlite3 -json "$db" "SELECT d.*, p.code, p.name, u.name
    FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
    LEFT JOIN units u ON u.code = d.unit
    WHERE d.unit = '$unit' AND (d.status = 2 OR d.status = 4
    OR d.status = 5 OR d.status = 6)
    AND d.due_at < $at2_s AND (d.paused_at IS NULL OR d.due_at < d.paused_at)
    ORDER BY d.due_at, d.id" >/dev/null
cli=$(ms "$work/t.cli" 1)
echo "  sqlite3 -json of the same rows: $cli ms, ratio $(ratio "$odms" "$cli")"
sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT d.id FROM dossiers d
    WHERE d.unit = '$unit' AND (d.status = 2 OR d.status = 4
    OR d.status = 5 OR d.status = 6) AND d.due_at < 1
    AND (d.paused_at IS NULL OR d.due_at < d.paused_at)
    ORDER BY d.due_at, d.id" | sed 's/^/  plan: /'
sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT d.id FROM dossiers d
    WHERE (d.status = 2 OR d.status = 4 OR d.status = 5 OR d.status = 6)
    AND d.due_at < 1
    AND (d.paused_at IS NULL OR d.due_at < d.paused_at)
    ORDER BY d.due_at, d.id" | sed 's/^/  plan (whole office): /'

# Name searches, diacritics-insensitive: the full name of the dossier in
# the middle, its last two words (middle and given name), and its first
# word (a family name) for one screen.
# nsearch QUERY [OPTION]: time it
nsearch() {
	dossier-status -d "$db" --name "$1" ${2:+"$2"} >"$work/name.jsonl" ||
	    true
	timed "$work/t.nm" dossier-status -d "$db" --name "$1" ${2:+"$2"} \
	    >/dev/null
	echo "name search '$1'${2:+ $2}: $(wc -l <"$work/name.jsonl")" \
	    "dossiers in $(ms "$work/t.nm" 1) ms (target < 100)"
}
nsearch "$name"
nmsearch=$(ms "$work/t.nm" 1)
# the sqlite3 CLI printing the same rows as JSON, found by the same term
term=$(echo "$name" | iconv -f UTF-8 -t ASCII//TRANSLIT |
    tr 'A-Z ' 'a-z_')
timed "$work/t.cli" sqlite3 -json "$db" "SELECT d.*, p.code, p.name, u.name
    FROM dossier_search fts CROSS JOIN dossiers d ON d.id = fts.rowid
    JOIN procedures p ON p.id = d.procedure_id
    LEFT JOIN units u ON u.code = d.unit
    WHERE fts.dossier_search MATCH '\"_$term\"*' ORDER BY fts.rowid" \
    >/dev/null
cli=$(ms "$work/t.cli" 1)
echo "  sqlite3 -json of the same rows: $cli ms," \
    "ratio $(ratio "$nmsearch" "$cli")"
nsearch "$name" -n20
nsearch "$(echo "$name" | awk '{ print $(NF - 1), $NF }')"
nsearch "$(echo "$name" | awk '{ print $1 }')" -n20
sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT d.id FROM dossier_search fts
    JOIN dossiers d ON d.id = fts.rowid
    WHERE fts.dossier_search MATCH '\"_nguyen_van\"*' ORDER BY fts.rowid" |
    sed 's/^/  plan: /'
