#!/bin/sh
# dossier-new killed at any instant: the database stays consistent and a
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# rerun of the same input completes the batch exactly.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo

gen-dossiers -n 20000 -s 5 -c "$CATALOG" >apps.jsonl
total=$(wc -l <apps.jsonl)

# kill_run DELAY: start an import, kill -9 it after DELAY seconds
kill_run() {
	dossier-new -b 500 apps.jsonl >/dev/null 2>&1 &
	pid=$!
	sleep "$1"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

for delay in 0.2 0.5 0.9 1.4; do
	expect_ok "killed after ${delay}s: integrity ok, whole batches only" "
		kill_run $delay &&
		test \"\$(sqlite3 \"\$DOSSIER_DB\" 'PRAGMA integrity_check')\" = ok &&
		n=\$(sqlite3 \"\$DOSSIER_DB\" 'SELECT count(*) FROM dossiers') &&
		e=\$(sqlite3 \"\$DOSSIER_DB\" 'SELECT count(*) FROM events') &&
		test \"\$n\" = \"\$e\" &&
		dossier-admin check >check.json"
done

expect_ok 'a rerun completes the batch exactly once' '
	dossier-new -b 500 apps.jsonl >out.jsonl 2>err.txt;
	test "$(wc -l <out.jsonl)" = "'"$total"'" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers")" = "'"$total"'" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(DISTINCT ref) FROM dossiers")" = "'"$total"'" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) - count(DISTINCT code) FROM dossiers")" = 0 &&
	dossier-admin check >check.json && jq -e .ok check.json'

finish
