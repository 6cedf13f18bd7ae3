#!/bin/sh
# bench/new.sh: the dossier-new import benchmark.
#
# For each size N (default 1,000,000), imports N generated applications
# into a fresh office database and prints records/s and peak RSS next to
# references measured in the same run on the same data:
#   - the sqlite3 shell's .import of the same rows as CSV into a minimal
#     two-table schema: dossiers with four indexes, one history row each
#     (the goal: dossier-new at least 1.0x its rate);
#   - the sqlite3 shell's .import of the equivalent CSV into the tool's
#     own tables (dossiers, events, the search index; OWN=0 leaves it
#     out, as at 10,000,000 where it takes the longest);
#   - jq -c . over the JSON lines (the cost of just parsing).
# dossier-new runs both ways, as is and with --bulk (the database alone,
# a rollback journal instead of the WAL).
# dossier-new and the imports run R times (default 3) in the same
# rounds, the order turned round every other round; each figure is the
# median of its R runs, and each ratio the median of the R same-round
# ratios with their range.  A ratio is given by wall time (what the user
# waits; dossier-new runs two threads) and by CPU time (user and system,
# all threads: the machine's work, which the load of other processes
# sharing the cores changes much less).  The noise line gives how far
# each one's runs spread about their median.  With BIG=M (e.g.
# BIG=10000000) it also grows a database to M dossiers and times
# importing N more into it (the last size).
#
#   bench/new.sh [N ...]      (O=build by default; WORK=dir for the files,
#                             R=rounds)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work=${WORK:-$bin/bench}
rounds=${R:-3}
mkdir -p "$work"

# the minimal schema: the columns dossier-new fills, four indexes, and a
# history table of one row per dossier (the receive event)
cat >"$work/minimal.sql" <<'SQL'
CREATE TABLE dossiers (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL,
    code TEXT NOT NULL, ref TEXT, procedure_id INTEGER NOT NULL,
    unit TEXT NOT NULL, owner TEXT NOT NULL, channel TEXT NOT NULL,
    status INTEGER NOT NULL, applicant TEXT NOT NULL,
    documents TEXT NOT NULL, note TEXT, received_at INTEGER NOT NULL,
    start_at INTEGER, due_at INTEGER);
CREATE UNIQUE INDEX dossiers_uuid ON dossiers (uuid);
CREATE UNIQUE INDEX dossiers_code ON dossiers (code);
CREATE INDEX dossiers_ref ON dossiers (ref);
CREATE INDEX dossiers_unit_due ON dossiers (unit, due_at);
CREATE TABLE history (id INTEGER PRIMARY KEY, dossier TEXT NOT NULL,
    action TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL,
    payload TEXT NOT NULL);
SQL

# run_new ROUND: dossier-new into a fresh database, "seconds rss" in
# $work/t.new.ROUND
run_new() {
	fresh "$work/new$1.db"
	timed "$work/t.new.$1" dossier-new -d "$work/new$1.db" --as root \
	    -b 10000 -r "$work/rejects.jsonl" "$work/apps.jsonl" \
	    >/dev/null 2>&1 </dev/null || true
	# the first round's rows become the references' input
	[ "$1" = 1 ] || rm -f "$work/new$1.db"*
}

# run_bulk ROUND: dossier-new --bulk into a fresh database
run_bulk() {
	fresh "$work/bulk$1.db"
	timed "$work/t.bulk.$1" dossier-new -d "$work/bulk$1.db" --as root \
	    --bulk -b 10000 -r "$work/rejects.jsonl" "$work/apps.jsonl" \
	    >/dev/null 2>&1 </dev/null || true
	# rejects exit 1; a load refused (75) stores nothing
	if [ "$(sqlite3 "$work/bulk$1.db" 'SELECT count(*) FROM dossiers')" \
	    = 0 ]; then
		echo "bench: dossier-new --bulk stored nothing:" >&2
		tail -n 5 "$work/t.bulk.$1.stat" >&2
		exit 1
	fi
	rm -f "$work/bulk$1.db"*
}

# run_min ROUND: .import into the minimal schema
run_min() {
	rm -f "$work/min$1.db"
	sqlite3 "$work/min$1.db" ".read $work/minimal.sql"
	timed "$work/t.min.$1" sqlite3 -bail "$work/min$1.db" \
	    ".import --csv $work/min-dossiers.csv dossiers" \
	    ".import --csv $work/min-history.csv history"
	rm -f "$work/min$1.db"*
}

# run_own ROUND: .import into the tool's own tables (a run of no time
# with OWN=0)
run_own() {
	if [ "${OWN:-1}" = 0 ]; then
		echo "0 0 0" >"$work/t.own.$1"
		return
	fi
	fresh "$work/own$1.db"
	timed "$work/t.own.$1" sqlite3 -bail "$work/own$1.db" \
	    ".read $work/import.sql"
	rm -f "$work/own$1.db"*
}

# runs KIND: its R runs, one "seconds rss cpu_seconds" a line
runs() {
	i=1
	while [ "$i" -le "$rounds" ]; do
		cat "$work/t.$1.$i"
		i=$((i + 1))
	done
}

# stats KIND: "seconds rss cpu spread": the medians of its runs' wall
# and CPU times, the largest peak RSS, and how far the wall times spread
# (lowest to highest, in percent of the median)
stats() {
	runs "$1" | awk '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
	}
	function med(a, n) {
		if (n % 2)
			return a[(n + 1) / 2]
		return (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ n++; s[n] = $1; c[n] = $3; if ($2 > m) m = $2 }
	END {
		sort(s, n); sort(c, n)
		md = med(s, n)
		printf "%.3f %d %.3f %.0f\n", md, m, med(c, n),
		    (md > 0 ? 100 * (s[n] - s[1]) / md : 0)
	}'
}

# ratios A B FIELD: the rate of A over the rate of B (B's time over A's)
# in each round, by wall time (FIELD 1) or CPU time (FIELD 3): "median
# lowest highest"
ratios() {
	runs "$1" >"$work/r.a"
	runs "$2" >"$work/r.b"
	paste -d" " "$work/r.a" "$work/r.b" | awk -v f="$3" '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
	}
	function med(a, n) {
		if (n % 2)
			return a[(n + 1) / 2]
		return (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ n++; r[n] = $(f + 3) / $f }
	END {
		sort(r, n)
		printf "%.2f %.2f %.2f\n", med(r, n), r[1], r[n]
	}'
}

# say_ratio A B WHAT GOAL: a line of A's rate over B's, wall and CPU
say_ratio() {
	case $1 in
	bulk) who="dossier-new --bulk" ;;
	*) who=dossier-new ;;
	esac
	read -r w wlo whi <<-X
	$(ratios "$1" "$2" 1)
	X
	read -r c clo chi <<-X
	$(ratios "$1" "$2" 3)
	X
	echo "ratio $who / $3 $w by wall time ($wlo to $whi)," \
	    "$c by CPU time ($clo to $chi) ($4)"
}

one_size() {
	n=$1
	echo "bench/new.sh: $n applications, $(nproc) cores," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
	# -o: in order of receipt, as an office's register runs
	gen-dossiers -c "$cat" -n "$n" -s 42 -o >"$work/apps.jsonl"

	# round 1: dossier-new first, then its references from its rows
	run_new 1
	db="$work/new1.db"
	stored=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
	sqlite3 -csv "$db" 'SELECT id, uuid, code, ref, procedure_id, unit,
	    owner, channel, status, applicant, documents, note, received_at,
	    start_at, due_at FROM dossiers' >"$work/min-dossiers.csv"
	sqlite3 -csv "$db" 'SELECT id, dossier, action, actor, at, payload
	    FROM events' >"$work/min-history.csv"
	if [ "${OWN:-1}" != 0 ]; then
		sqlite3 -csv "$db" 'SELECT * FROM dossiers' >"$work/dossiers.csv"
		sqlite3 -csv "$db" 'SELECT * FROM events' >"$work/events.csv"
		search-csv "$db" >"$work/search.csv"
	fi
	# each database goes once timed: at 10,000,000 they are 10 to 18 GB
	rm -f "$db"*
	# the same tables: the search index takes rows with their rowid
	# only, and .import reads an empty field as '', not NULL: both
	# through a table
	cat >"$work/import.sql" <<SQL
.import --csv $work/events.csv events
CREATE TEMP TABLE dossiers_in AS SELECT * FROM dossiers WHERE 0;
.import --csv $work/dossiers.csv dossiers_in
INSERT INTO dossiers SELECT id, uuid, code, nullif(ref, ''), procedure_id,
    unit, owner, channel, status, step, step_at, step_due_at, handler,
    applicant, documents, nullif(note, ''), received_at, start_at, due_at,
    paused_at, paused_total, finished_at, returned_at, supplements,
    extensions, version, original_due_at, late, nullif(result, ''),
    nullif(changed_at, '') FROM dossiers_in;
CREATE TEMP TABLE search_in (id INTEGER, name TEXT, id_number TEXT,
    phone TEXT);
.import --csv $work/search.csv search_in
INSERT INTO dossier_search (rowid, name, id_number, phone)
    SELECT * FROM search_in;
INSERT OR IGNORE INTO search_first (word)
    SELECT substr(name, 1, instr(name || ' ', ' ') - 1) FROM search_in
    WHERE name <> '';
SQL
	run_min 1
	run_bulk 1
	run_own 1
	# the other rounds, every other one the other way round
	k=2
	while [ "$k" -le "$rounds" ]; do
		if [ $((k % 2)) -eq 0 ]; then
			run_own "$k"
			run_bulk "$k"
			run_min "$k"
			run_new "$k"
		else
			run_new "$k"
			run_min "$k"
			run_bulk "$k"
			run_own "$k"
		fi
		k=$((k + 1))
	done

	read -r s_new rss_new c_new n_new <<-X
	$(stats new)
	X
	read -r s_min rss_min c_min n_min <<-X
	$(stats min)
	X
	read -r s_own rss_own c_own n_own <<-X
	$(stats own)
	X
	read -r s_bulk rss_bulk c_bulk n_bulk <<-X
	$(stats bulk)
	X
	r_bulk=$(rate "$stored" "$s_bulk")
	r_new=$(rate "$stored" "$s_new")
	r_min=$(rate "$stored" "$s_min")
	[ "${OWN:-1}" = 0 ] || r_own=$(rate "$stored" "$s_own")
	echo "medians of $rounds runs each, in the same rounds:"
	echo "dossier-new:                $stored dossiers in ${s_new}s =" \
	    "$r_new/s, CPU ${c_new}s, peak RSS $((rss_new / 1024)) MB"
	echo "dossier-new --bulk:         $stored dossiers in ${s_bulk}s =" \
	    "$r_bulk/s, CPU ${c_bulk}s, peak RSS $((rss_bulk / 1024)) MB"
	echo "sqlite3 .import, minimal:   $stored dossiers in ${s_min}s =" \
	    "$r_min/s, CPU ${c_min}s, peak RSS $((rss_min / 1024)) MB"
	[ "${OWN:-1}" = 0 ] ||
	    echo "sqlite3 .import, own tables: $stored dossiers in" \
	    "${s_own}s = $r_own/s, CPU ${c_own}s, peak RSS" \
	    "$((rss_own / 1024)) MB"

	# jq: just parsing the JSON lines
	timed "$work/t.jq" sh -c "jq -c . '$work/apps.jsonl' >/dev/null"
	read -r s_jq _ c_jq <"$work/t.jq"
	r_jq=$(rate "$n" "$s_jq")
	echo "jq -c .:                    $n lines in ${s_jq}s = $r_jq/s," \
	    "CPU ${c_jq}s (one run)"

	say_ratio new min ".import minimal:   " "goal >= 1.0"
	say_ratio bulk min ".import minimal:" "goal >= 1.0"
	[ "${OWN:-1}" = 0 ] ||
	    say_ratio new own ".import own tables:" "aim 2.0"
	echo "ratio dossier-new / jq parse:            $(ratio "$r_new" \
	    "$r_jq") by wall time"
	echo "noise: the $rounds wall times of each spread over ${n_new}%" \
	    "(dossier-new), ${n_bulk}% (--bulk), ${n_min}% (.import" \
	    "minimal), ${n_own:-0}% (.import own) of their medians; load" \
	    "$(cut -d' ' -f1-3 /proc/loadavg)"
	rm -f "$work"/new[0-9]*.db* "$work"/min[0-9]*.db* \
	    "$work"/own[0-9]*.db* "$work"/bulk[0-9]*.db*
}

for n in "${@:-1000000}"; do
	one_size "$n"
done

if [ -n "${BIG:-}" ]; then
	big="$work/big.db"
	fresh "$big"
	# the office's history, one window of 55 days after another from
	# 2025-01-01, so that the last window still ends before today
	i=0
	while [ "$(sqlite3 "$big" 'SELECT count(*) FROM dossiers')" -lt "$BIG" ]
	do
		first=$(date -u -d "2025-01-01 + $((55 * i)) days" +%F)
		i=$((i + 1))
		gen-dossiers -c "$cat" -n "$n" -s "$((1000 + i))" -p "grow$i" \
		    -o -f "$first" -D 55 |
		    dossier-new -d "$big" --as root -b 10000 >/dev/null
	done
	first=$(date -u -d "2025-01-01 + $((55 * i)) days" +%F)
	gen-dossiers -c "$cat" -n "$n" -s 7 -p more -o -f "$first" -D 55 \
	    >"$work/more.jsonl"
	timed "$work/t.big" dossier-new -d "$big" --as root -b 10000 \
	    "$work/more.jsonl" >/dev/null
	read -r s_big rss_big _ <"$work/t.big"
	r_big=$(rate "$n" "$s_big")
	echo "dossier-new into $BIG: $n more in ${s_big}s = $r_big/s," \
	    "peak RSS $((rss_big / 1024)) MB;" \
	    "ratio to fresh $(ratio "$r_big" "$r_new") (goal >= 0.7)"
fi
