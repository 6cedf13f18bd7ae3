#!/bin/sh
# bench/report.sh: the quarter report of dossier-report on N generated
# dossiers (default 1,000,000), --by field and --by unit, in ms and peak
# RSS, next to a hand-written GROUP BY in the sqlite3 shell computing the
# same cells of form II.06a from the dossiers table, on the same file in
# the same run; the two answers are compared.
#
# The first million dossiers come from gen-dossiers and dossier-new (60
# days of receipts).  Generated dossiers are all open: to have finished,
# late and pending ones, the database is then aged directly (bench data,
# not an office's): 70% of the dossiers end at their due day or one day
# off it, with the result stored as the tools would (early, on time or
# late by day); the rest stay open.  Beyond the first million (the tools
# would take hours here), each further million is a copy of the first
# made in SQL, received 60 days before the one before it, as an office's
# register grows, and of the dossiers due more than 60 days before the
# last receipt, 99% end: at 10,000,000 the database holds 600 days, and
# a quarter about what it holds at 1,000,000.
#
# The report and the SQL run REPS times (default 3) in alternating
# order; each figure is the median, with the spread of the runs (the
# machine's noise: the cores are shared).
#
#   bench/report.sh [N]       (O=build by default; WORK=dir, DB=file)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-1000000}
work=${WORK:-$bin/bench}
mkdir -p "$work"
chunk=1000000

echo "bench/report.sh: $n dossiers, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
db=${DB:-$work/report-$n.db}
base=$work/report-$chunk.db
if [ "$n" -gt "$chunk" ] && [ ! -f "$db" ]; then
	# Beyond the first million, copies of it (see above): the first
	# million from the tools, once, then each copy in SQL.
	[ -f "$base" ] || REPS=1 DB="$base" "$0" "$chunk" >/dev/null
	sqlite3 "$base" "VACUUM INTO '$db'"
fi
if [ ! -f "$db" ]; then
	fresh "$db"
fi
have=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
i=0
while [ "$have" -lt "$n" ] && [ "$have" -lt "$chunk" ]; do
	m=$((n - have))
	[ "$m" -gt "$chunk" ] && m=$chunk
	gen-dossiers -c "$cat" -n "$m" -s "$((3000 + i))" -p "rp$i-$have" |
	    dossier-new -d "$db" --as root -b 10000 >/dev/null 2>&1 || true
	now=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
	[ "$now" -gt "$have" ] || { echo "bench: no progress" >&2; exit 1; }
	have=$now
	i=$((i + 1))
done
if [ "$have" -lt "$n" ]; then
	# copy k of the first million: ids, codes and UUIDs made unique by
	# k, every time moved 60 * k days back; without their events, like
	# the ageing below (the report rewinds none of them); the indexes
	# are built again once, after the copies and the ageing
	# (kept for a run that goes on from copies an earlier one made)
	[ -s "$work/indexes.sql" ] ||
	    sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master
	    WHERE type = 'index' AND tbl_name = 'dossiers' AND sql IS NOT NULL" \
	    >"$work/indexes.sql"
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
		k=$((k + 1))
	done
fi
# Age the database once: end 70% of the dossiers, by a hash of their id;
# and 99% of those open and due long before the last receipt.
if [ "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers WHERE status = 9')" = 0 ]
then
	sqlite3 "$db" "UPDATE dossiers SET status = 9,
	    finished_at = due_at + ((id * 7919) % 3 - 1) * 86400,
	    result = CASE (id * 7919) % 3 WHEN 0 THEN 'early'
	      WHEN 1 THEN 'on_time' ELSE 'late' END
	    WHERE due_at IS NOT NULL AND (id * 104729) % 10 < 7;"
fi
sqlite3 "$db" "UPDATE dossiers SET status = 9,
    finished_at = due_at + ((id * 7919) % 3 - 1) * 86400,
    result = CASE (id * 7919) % 3 WHEN 0 THEN 'early'
      WHEN 1 THEN 'on_time' ELSE 'late' END
    WHERE status = 2 AND (id * 104729) % 100 < 99 AND
    due_at < (SELECT max(received_at) FROM dossiers) - 60 * 86400;"
# the indexes the copies went without, built once, after the ageing
if [ -s "$work/indexes.sql" ] && [ "$(sqlite3 "$db" "SELECT count(*)
    FROM sqlite_master WHERE name = 'dossiers_report'")" = 0 ]; then
	sqlite3 "$db" "PRAGMA cache_size = -1000000; $(cat "$work/indexes.sql")"
fi
dossier-admin -d "$db" migrate >/dev/null

# The quarter: the one holding the median receipt.
mid=$(sqlite3 "$db" "SELECT strftime('%Y-%m-%d', received_at, 'unixepoch',
    '+7 hours') FROM dossiers ORDER BY received_at LIMIT 1
    OFFSET $((have / 2))")
y=${mid%%-*}
mm=$(echo "$mid" | cut -c6-7 | sed 's/^0//')
dd=$(echo "$mid" | cut -c9-10 | sed 's/^0//')
[ "$dd" -ge 15 ] && mm=$((mm + 1))
[ "$mm" -le 12 ] || { mm=1; y=$((y + 1)); }
q=$(((mm - 1) / 3 + 1))
off=$(sqlite3 "$db" 'SELECT utc_offset FROM office')

# The report's JSON as "key|cells" lines, for comparing with the SQL.
cells() {
	jq -r 'select(.key != null) | [.key, .received_online,
	    .received_direct, .carried_over, .resolved_early,
	    .resolved_on_time, .resolved_late, .pending_on_time,
	    .pending_overdue] | map(tostring) | join("|")'
}

r=$(dossier-report -d "$db" --period quarter --of "$y-Q$q" --format json |
    jq -r 'select(.key == null) | [.from, .to, .as_of, .intake,
    .resolved, .pending] | @tsv')
# shellcheck disable=SC2086
set -- $r
from=$1 to=$2 asof=$3
echo "quarter $y-Q$q: $from .. $to, as of $asof: intake $4, resolved $5, pending $6"
p0=$(sqlite3 "$db" "SELECT unixepoch('$from') - $off")
p1=$(sqlite3 "$db" "SELECT unixepoch('$to', '+1 day') - $off")
a=$((p1 - 1))

# The same cells by hand, by field: a GROUP BY over the dossiers table
# (its test of the status in the words of the report's query, which
# dossiers_report_long, a partial index, needs).
cat >"$work/report.sql" <<SQL
SELECT p.field,
  sum(d.received_at >= $p0 AND d.channel = 'online'),
  sum(d.received_at >= $p0 AND d.channel <> 'online'),
  sum(d.received_at < $p0),
  sum(d.finished_at IS NOT NULL AND d.finished_at <= $a AND d.result = 'early'),
  sum(d.finished_at IS NOT NULL AND d.finished_at <= $a AND d.result = 'on_time'),
  sum(d.finished_at IS NOT NULL AND d.finished_at <= $a AND d.result = 'late'),
  sum((d.finished_at IS NULL OR d.finished_at > $a) AND NOT coalesce(
    (d.due_at + $off) / 86400 < (coalesce(d.paused_at, $a) + $off) / 86400, 0)),
  sum((d.finished_at IS NULL OR d.finished_at > $a) AND coalesce(
    (d.due_at + $off) / 86400 < (coalesce(d.paused_at, $a) + $off) / 86400, 0))
FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
WHERE d.status <> 1 AND d.status <> 3 AND d.received_at < $p1
  AND (d.finished_at IS NULL OR d.finished_at >= $p0)
GROUP BY p.field ORDER BY p.field;
SQL

# REPS rounds, each running the three in a rotating order; "seconds
# maxrss_kb" lines gathered per command.
reps=${REPS:-3}
: >"$work/r.field"
: >"$work/r.unit"
: >"$work/r.sql"
: >"$work/r.one"
run_field() {
	timed "$work/t" dossier-report -d "$db" --period quarter \
	    --of "$y-Q$q" --by field --format json >"$work/field.jsonl"
	cat "$work/t" >>"$work/r.field"
}
run_unit() {
	timed "$work/t" dossier-report -d "$db" --period quarter \
	    --of "$y-Q$q" --by unit --format json >"$work/unit.jsonl"
	cat "$work/t" >>"$work/r.unit"
}
# --by field read on one thread (DOSSIER_REPORT_THREADS=1): the split's gain
run_one() {
	timed "$work/t" env DOSSIER_REPORT_THREADS=1 dossier-report \
	    -d "$db" --period quarter --of "$y-Q$q" --by field \
	    --format json >"$work/one.jsonl"
	cat "$work/t" >>"$work/r.one"
}
run_sql() {
	timed "$work/t" sqlite3 "$db" <"$work/report.sql" >"$work/sql.txt"
	cat "$work/t" >>"$work/r.sql"
}
i=0
while [ "$i" -lt "$reps" ]; do
	case $((i % 3)) in
	0) run_field; run_unit; run_sql; run_one ;;
	1) run_sql; run_one; run_field; run_unit ;;
	*) run_one; run_unit; run_sql; run_field ;;
	esac
	i=$((i + 1))
done
cells <"$work/field.jsonl" >"$work/field.txt"
if cmp -s "$work/field.txt" "$work/sql.txt" &&
    cmp -s "$work/field.jsonl" "$work/one.jsonl"; then
	same=yes
else
	same=NO
fi
# the median wall ms of a command's runs, its lowest and highest, its
# peak RSS in MB and its median CPU ms (user and system: what the shared
# cores' load does not stretch)
stats() {
	sort -n "$1" | awk '{ t[NR] = $1 * 1000; if ($2 > m) m = $2 }
	END { printf "%.0f %.0f %.0f %d ", t[int((NR + 1) / 2)], t[1], t[NR],
	    m / 1024 }'
	sort -n -k3 "$1" | awk '{ c[NR] = $3 * 1000 }
	END { printf "%.0f\n", c[int((NR + 1) / 2)] }'
}
# shellcheck disable=SC2046
set -- $(stats "$work/r.field") $(stats "$work/r.unit") $(stats "$work/r.sql") \
    $(stats "$work/r.one")
echo "dossier-report --by field: $1 ms (runs $2..$3; CPU $5 ms), peak RSS $4 MB"
echo "dossier-report --by unit:  $6 ms (runs $7..$8; CPU ${10} ms), peak RSS $9 MB"
echo "sqlite3 GROUP BY by field: ${11} ms (runs ${12}..${13}; CPU ${15} ms)," \
    "peak RSS ${14} MB"
echo "--by field on one thread: ${16} ms (runs ${17}..${18}; CPU ${20} ms)," \
    "peak RSS ${19} MB"
echo "medians of $reps runs; ratio SQL / report: by field $(ratio "${11}" "$1")," \
    "by unit $(ratio "${11}" "$6"); same cells: $same"
