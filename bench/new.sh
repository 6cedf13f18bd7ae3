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
#     own tables (dossiers, events, the search index);
#   - jq -c . over the JSON lines (the cost of just parsing).
# dossier-new and the two imports run twice, in pairs (the second pair
# in the other order); each takes its best time.  Other processes share
# the cores: the noise line gives how far each one's two runs differ.
# With BIG=M (e.g. BIG=10000000) it also grows a database to M dossiers
# and times importing N more into it (the last size).
#
#   bench/new.sh [N ...]      (O=build by default; WORK=dir for the files)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work=${WORK:-$bin/bench}
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

# min A B: the smaller of two times
min() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'
}

# spread A B: how far two times differ, in percent of the smaller
spread() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		lo = a < b ? a : b; hi = a < b ? b : a
		printf "%.0f", 100 * (hi - lo) / lo }'
}

# run_new ROUND: dossier-new into a fresh database, "seconds rss" in
# $work/t.new.ROUND
run_new() {
	fresh "$work/new$1.db"
	timed "$work/t.new.$1" dossier-new -d "$work/new$1.db" --as root \
	    -b 10000 -r "$work/rejects.jsonl" "$work/apps.jsonl" \
	    >/dev/null 2>&1 </dev/null || true
}

# run_min ROUND: .import into the minimal schema
run_min() {
	rm -f "$work/min$1.db"
	sqlite3 "$work/min$1.db" ".read $work/minimal.sql"
	timed "$work/t.min.$1" sqlite3 -bail "$work/min$1.db" \
	    ".import --csv $work/min-dossiers.csv dossiers" \
	    ".import --csv $work/min-history.csv history"
}

# run_own ROUND: .import into the tool's own tables
run_own() {
	fresh "$work/own$1.db"
	timed "$work/t.own.$1" sqlite3 -bail "$work/own$1.db" \
	    ".read $work/import.sql"
}

# best KIND: "seconds rss" of the faster of its two rounds, and the
# spread between them
best() {
	read -r s1 m1 <"$work/t.$1.1"
	read -r s2 m2 <"$work/t.$1.2"
	echo "$(min "$s1" "$s2") $((m1 > m2 ? m1 : m2)) $(spread "$s1" "$s2")"
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
	sqlite3 -csv "$db" 'SELECT * FROM dossiers' >"$work/dossiers.csv"
	sqlite3 -csv "$db" 'SELECT * FROM events' >"$work/events.csv"
	search-csv "$db" >"$work/search.csv"
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
    extensions, version, original_due_at, late, nullif(result, '')
    FROM dossiers_in;
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
	run_own 1
	# round 2, the other way round
	run_own 2
	run_min 2
	run_new 2

	read -r s_new rss_new n_new <<-X
	$(best new)
	X
	read -r s_min rss_min n_min <<-X
	$(best min)
	X
	read -r s_own rss_own n_own <<-X
	$(best own)
	X
	r_new=$(rate "$stored" "$s_new")
	r_min=$(rate "$stored" "$s_min")
	r_own=$(rate "$stored" "$s_own")
	echo "dossier-new:                $stored dossiers in ${s_new}s =" \
	    "$r_new/s, peak RSS $((rss_new / 1024)) MB"
	echo "sqlite3 .import, minimal:   $stored dossiers in ${s_min}s =" \
	    "$r_min/s, peak RSS $((rss_min / 1024)) MB"
	echo "sqlite3 .import, own tables: $stored dossiers in ${s_own}s =" \
	    "$r_own/s, peak RSS $((rss_own / 1024)) MB"

	# jq: just parsing the JSON lines
	timed "$work/t.jq" sh -c "jq -c . '$work/apps.jsonl' >/dev/null"
	read -r s_jq _ <"$work/t.jq"
	r_jq=$(rate "$n" "$s_jq")
	echo "jq -c .:                    $n lines in ${s_jq}s = $r_jq/s"

	echo "ratio dossier-new / .import minimal:    $(ratio "$r_new" "$r_min")" \
	    "(goal >= 1.0)"
	echo "ratio dossier-new / .import own tables: $(ratio "$r_new" "$r_own")" \
	    "(aim 2.0)"
	echo "ratio dossier-new / jq parse:           $(ratio "$r_new" "$r_jq")"
	echo "noise (two runs each, best taken): dossier-new ${n_new}%," \
	    ".import minimal ${n_min}%, .import own ${n_own}%;" \
	    "load $(cut -d' ' -f1-3 /proc/loadavg)"
	rm -f "$work"/new[12].db* "$work"/min[12].db* "$work"/own[12].db*
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
	read -r s_big rss_big <"$work/t.big"
	r_big=$(rate "$n" "$s_big")
	echo "dossier-new into $BIG: $n more in ${s_big}s = $r_big/s," \
	    "peak RSS $((rss_big / 1024)) MB;" \
	    "ratio to fresh $(ratio "$r_big" "$r_new") (goal >= 0.7)"
fi
