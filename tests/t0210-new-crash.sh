#!/bin/sh
# dossier-new killed at any instant: the database stays consistent, holds
# whole batches only, every record it printed is stored (it may have
# stored more than it printed), and a rerun of the same input completes
# the batch exactly.  Each kill lands while the import runs (the test waits for a
# number of stored dossiers first, and fails if the import had already
# ended), so a commit per record instead of per batch is caught.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office, 20000 applications' '
	init_demo && gen-dossiers -n 20000 -s 5 -c "$CATALOG" >apps.jsonl'
total=20000

# stored: the number of dossiers in the database
stored() {
	sqlite3 "$DOSSIER_DB" 'SELECT count(*) FROM dossiers'
}

# kill_at N EXTRA: start an import, kill -9 it once N dossiers are stored
# and EXTRA seconds more have passed; fails unless the kill hit it running
kill_at() {
	dossier-new -b 500 apps.jsonl >killed.jsonl 2>/dev/null &
	pid=$!
	while [ "$(stored)" -lt "$1" ]; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	sleep "$2"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	s=$?
	if [ "$s" != 137 ]; then
		echo "the import ended (exit $s) before the kill"
		return 1
	fi
}

for at in "1000 0" "5000 0.03" "9000 0.11" "14000 0.07"; do
	expect_ok "killed after ${at% *} stored: integrity ok, whole batches only" "
		kill_at $at &&
		test \"\$(sqlite3 \"\$DOSSIER_DB\" 'PRAGMA integrity_check')\" = ok &&
		n=\$(stored) && e=\$(sqlite3 \"\$DOSSIER_DB\" 'SELECT count(*) FROM events') &&
		test \"\$n\" = \"\$e\" && test \$((n % 500)) = 0 &&
		test \"\$n\" -lt $total &&
		head -n \"\$(wc -l <killed.jsonl)\" killed.jsonl >printed.jsonl &&
		jq -r .code printed.jsonl | sort >printed.codes &&
		sqlite3 \"\$DOSSIER_DB\" 'SELECT code FROM dossiers' | sort >stored.codes &&
		comm -23 printed.codes stored.codes >unstored.codes &&
		test ! -s unstored.codes &&
		dossier-admin check >check.json && jq -e .ok check.json >/dev/null"
done

expect_ok 'a rerun completes the batch exactly once' '
	before=$(stored) &&
	dossier-new -b 500 apps.jsonl >out.jsonl 2>err.txt &&
	test ! -s err.txt &&
	test "$(wc -l <out.jsonl)" = '"$total"' &&
	test "$(jq -s "map(select(.existing)) | length" out.jsonl)" = "$before" &&
	test "$(stored)" = '"$total"' &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(DISTINCT ref) FROM dossiers")" = '"$total"' &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) - count(DISTINCT code) FROM dossiers")" = 0 &&
	dossier-admin check >check.json && jq -e .ok check.json >/dev/null'

finish
