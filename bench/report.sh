#!/bin/sh
# bench/report.sh: the quarter report of dossier-report on N generated
# dossiers (default 1,000,000), --by field and --by unit, in ms and peak
# RSS, next to a hand-written GROUP BY in the sqlite3 shell computing the
# same cells of form II.06a from the dossiers table, on the same file in
# the same run; the two answers are compared.
#
# Generated dossiers are all open: to have finished, late and pending
# ones, the database is then aged directly (bench data, not an office's):
# of the dossiers received before the quarter's last month, 70% end at
# their due day or one day off it, with the result stored as the tools
# would (early, on time or late by day); the rest stay open.
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
if [ ! -f "$db" ]; then
	fresh "$db"
fi
have=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
i=0
while [ "$have" -lt "$n" ]; do
	m=$((n - have))
	[ "$m" -gt "$chunk" ] && m=$chunk
	gen-dossiers -c "$cat" -n "$m" -s "$((3000 + i))" -p "rp$i-$have" |
	    dossier-new -d "$db" --as root -b 10000 >/dev/null 2>&1 || true
	now=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
	[ "$now" -gt "$have" ] || { echo "bench: no progress" >&2; exit 1; }
	have=$now
	i=$((i + 1))
done
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

# Age the database once: end 70% of the dossiers, by a hash of their id.
if [ "$(sqlite3 "$db" 'SELECT count(*) FROM dossiers WHERE status = 9')" = 0 ]
then
	sqlite3 "$db" "UPDATE dossiers SET status = 9,
	    finished_at = due_at + ((id * 7919) % 3 - 1) * 86400,
	    result = CASE (id * 7919) % 3 WHEN 0 THEN 'early'
	      WHEN 1 THEN 'on_time' ELSE 'late' END
	    WHERE due_at IS NOT NULL AND (id * 104729) % 10 < 7;"
fi

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

# The same cells by hand, by field: a GROUP BY over the dossiers table.
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
WHERE d.status NOT IN (1, 3) AND d.received_at < $p1
  AND (d.finished_at IS NULL OR d.finished_at >= $p0)
GROUP BY p.field ORDER BY p.field;
SQL

timed "$work/t.field" dossier-report -d "$db" --period quarter --of "$y-Q$q" \
    --by field --format json >"$work/field.jsonl"
timed "$work/t.unit" dossier-report -d "$db" --period quarter --of "$y-Q$q" \
    --by unit --format json >"$work/unit.jsonl"
timed "$work/t.sql" sqlite3 "$db" <"$work/report.sql" >"$work/sql.txt"
cells <"$work/field.jsonl" >"$work/field.txt"
if cmp -s "$work/field.txt" "$work/sql.txt"; then
	same=yes
else
	same=NO
fi
read -r sf rf _ <"$work/t.field"
read -r su ru _ <"$work/t.unit"
read -r ss rs _ <"$work/t.sql"
ms() {
	awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'
}
echo "dossier-report --by field: $(ms "$sf") ms, peak RSS $((rf / 1024)) MB"
echo "dossier-report --by unit:  $(ms "$su") ms, peak RSS $((ru / 1024)) MB"
echo "sqlite3 GROUP BY by field: $(ms "$ss") ms, peak RSS $((rs / 1024)) MB"
echo "ratio SQL / report (by field): $(ratio "$ss" "$sf"); same cells: $same"
