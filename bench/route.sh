#!/bin/sh
# bench/route.sh: the dossier-route benchmark.
#
# Routes N dossiers (default 1,000,000) of a three-step procedure through
# three actions each (start, next, next) and prints actions/s and the cost
# per action, next to bench/bare-route: a bare prepared UPDATE + INSERT per
# action on a copy of the same database, measured in the same run.  Then 8
# processes finish disjoint eighths of the dossiers at once against one
# file, and the run checks that no update was lost and none failed.
#
#   bench/route.sh [N]          (O=build by default; WORK=dir for the files)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-1000000}
work=${WORK:-$bin/bench-route}
mkdir -p "$work"
db="$work/route.db"

echo "bench/route.sh: $n dossiers x 3 actions, $(nproc) cores," \
    "$(date -u +%Y-%m-%dT%H:%MZ)"
rm -f "$db" "$db-wal" "$db-shm" "$db.key" "$work/bare.db"
dossier-admin -d "$db" init --agency 000.00.01.H56 --name "Bench office" \
    >/dev/null
dossier-admin -d "$db" catalog import "$cat" >/dev/null
# every application made one of procedure 1.001022 (three steps)
gen-dossiers -c "$cat" -n "$n" -s 9 -o |
    sed -e 's/"procedure":"[^"]*"/"procedure":"1.001022"/' \
	-e 's/"documents":\[[^]]*\]/"documents":[{"name":"Tờ khai đăng ký nhận cha, mẹ, con"},{"name":"Văn bản, tài liệu chứng minh quan hệ cha, mẹ, con"}]/' |
    dossier-new -d "$db" --as root --accept >/dev/null
dossier-admin -d "$db" backup "$work/bare.db" >/dev/null
sqlite3 "$db" "SELECT json_object('code', code) FROM dossiers" \
    >"$work/codes.jsonl"

t0=$(now)
dossier-route -d "$db" --as an.nv --at 2026-11-02T08:00:00 start \
    <"$work/codes.jsonl" >/dev/null
dossier-route -d "$db" --as hai.pm --at 2026-11-02T09:00:00 next \
    <"$work/codes.jsonl" >/dev/null
dossier-route -d "$db" --as hung.lv --at 2026-11-02T10:00:00 next \
    <"$work/codes.jsonl" >/dev/null
t1=$(now)
s_route=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
actions=$((3 * n))
r_route=$(rate "$actions" "$s_route")
read -r bare_n s_bare <<EOF2
$("$bin/bare-route" "$work/bare.db")
EOF2
r_bare=$(rate "$bare_n" "$s_bare")
echo "dossier-route:   $actions actions in ${s_route}s = $r_route/s" \
    "($(awk -v s="$s_route" -v n="$actions" 'BEGIN { printf "%.1f", s / n * 1e6 }') us/action)"
echo "bare update+insert: $bare_n actions in ${s_bare}s = $r_bare/s" \
    "($(awk -v s="$s_bare" -v n="$bare_n" 'BEGIN { printf "%.1f", s / n * 1e6 }') us/action)"
echo "ratio dossier-route / bare: $(awk -v a="$r_route" -v b="$r_bare" \
    'BEGIN { printf "%.2f", a / b }') (target >= 0.5)"

# 8 writers at once, each finishing its own eighth
split -n l/8 -d "$work/codes.jsonl" "$work/part."
t0=$(now)
pids=""
for p in "$work"/part.*; do
	dossier-route -d "$db" --as mai.vt --at 2026-11-02T11:00:00 finish \
	    <"$p" >/dev/null 2>"$p.err" &
	pids="$pids $!"
done
fails=0
for pid in $pids; do
	wait "$pid" || fails=$((fails + 1))
done
t1=$(now)
s_conc=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
lost=$(sqlite3 "$db" "SELECT count(*) FROM dossiers WHERE version <> 5")
finished=$(sqlite3 "$db" "SELECT count(*) FROM dossiers WHERE status = 9")
echo "8 processes: $n finish actions in ${s_conc}s = $(rate "$n" "$s_conc")/s;" \
    "failed processes $fails, dossiers not at version 5: $lost," \
    "finished $finished of $n"
