#!/bin/sh
# bench/new.sh: the dossier-new import benchmark.
#
# Imports N generated applications (default 1,000,000) into a fresh office
# database and prints records/s and peak RSS next to two references
# measured in the same run on the same data:
#   - sqlite3's .import of the equivalent CSV into the same tables;
#   - jq -c . over the JSON lines (the cost of just parsing).
# With BIG=M (e.g. BIG=10000000) it also grows a database to M dossiers
# and times importing N more into it.
#
#   bench/new.sh [N]          (O=build by default; WORK=dir for the files)
set -eu

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
n=${1:-1000000}
work=${WORK:-$bin/bench}
mkdir -p "$work"

echo "bench/new.sh: $n applications, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
# -o: in order of receipt, as an office's register runs
gen-dossiers -c "$cat" -n "$n" -s 42 -o >"$work/apps.jsonl"

# dossier-new into a fresh database
db="$work/new.db"
fresh "$db"
timed "$work/t.new" dossier-new -d "$db" --as root -b 10000 \
    -r "$work/rejects.jsonl" "$work/apps.jsonl" >/dev/null 2>&1 </dev/null ||
    true
read -r s_new rss_new <"$work/t.new"
stored=$(sqlite3 "$db" 'SELECT count(*) FROM dossiers')
r_new=$(rate "$stored" "$s_new")
echo "dossier-new:      $stored dossiers in ${s_new}s = $r_new/s," \
    "peak RSS $((rss_new / 1024)) MB"

# sqlite3 .import of the same rows as CSV into the same tables: the
# dossiers, their events and their entries in the search index and its
# table of first words
sqlite3 -csv "$db" 'SELECT * FROM dossiers' >"$work/dossiers.csv"
sqlite3 -csv "$db" 'SELECT * FROM events' >"$work/events.csv"
search-csv "$db" >"$work/search.csv"
ref="$work/ref.db"
fresh "$ref"
# (the search index takes rows with their rowid only: through a table)
cat >"$work/import.sql" <<EOF
.import --csv $work/dossiers.csv dossiers
.import --csv $work/events.csv events
CREATE TEMP TABLE search_in (id INTEGER, name TEXT, id_number TEXT,
    phone TEXT);
.import --csv $work/search.csv search_in
INSERT INTO dossier_search (rowid, name, id_number, phone)
    SELECT * FROM search_in;
INSERT OR IGNORE INTO search_first (word)
    SELECT substr(name, 1, instr(name || ' ', ' ') - 1) FROM search_in
    WHERE name <> '';
EOF
timed "$work/t.ref" sqlite3 -bail "$ref" ".read $work/import.sql"
read -r s_ref rss_ref <"$work/t.ref"
r_ref=$(rate "$stored" "$s_ref")
echo "sqlite3 .import:  $stored dossiers in ${s_ref}s = $r_ref/s," \
    "peak RSS $((rss_ref / 1024)) MB"

# jq: just parsing the JSON lines
timed "$work/t.jq" sh -c "jq -c . '$work/apps.jsonl' >/dev/null"
read -r s_jq _ <"$work/t.jq"
r_jq=$(rate "$n" "$s_jq")
echo "jq -c .:          $n lines in ${s_jq}s = $r_jq/s"

echo "ratio dossier-new / sqlite3 .import: $(ratio "$r_new" "$r_ref")" \
    "(goal >= 1.0, aim 2.0)"
echo "ratio dossier-new / jq parse:        $(ratio "$r_new" "$r_jq")"

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
