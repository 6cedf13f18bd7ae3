#!/bin/sh
# dossier-new across a catalog import: the reader thread reads the
# catalog's generation (raised by every import that changes something, in
# its transaction) before it checks a record, loads the catalog again when
# it changed and looks the actor up again.  The applications come slowly
# through a FIFO; imports in between add a procedure, give another a new
# version, and make the receiving officer inactive.  Records read after
# each import are judged by the new catalog.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC: an application for procedure PROC, its documents from the
# demo catalog or the import adding PROC
app() {
	cat "$CATALOG" add.jsonl >all.jsonl &&
	jq -nc --arg ref "$1" --arg p "$2" --slurpfile cat all.jsonl '{
	    ref: $ref, procedure: $p, unit: "000.00.01.H56",
	    channel: "direct",
	    applicant: {type: "citizen", name: "Trần Thị Bích",
	        id_number: "052189001234", phone: "0905123456",
	        address: "Thôn Vinh Thạnh, xã Quảng Phú", email: null},
	    documents: ([$cat[] | select(.kind == "procedure" and
	        .code == $p)][0].documents | map(select(.required) |
	        {name, file: null})),
	    note: null}'
}

# lines_in N FILE: wait (10 s at most) until FILE has N lines
lines_in() {
	_i=0
	while [ "$(wc -l <"$2" 2>/dev/null || echo 0)" -lt "$1" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt 200 ]; then
			echo "lines_in: $2 has not $1 lines:" >&2
			cat "$2" >&2
			return 1
		fi
		sleep 0.05
	done
}

expect_ok 'setup: the imports, a new procedure, a new version, inactive' '
	jq -c "select(.kind == \"procedure\" and .code == \"1.001193\") |
	    .code = \"1.999999\" | .name = \"Thủ tục mới\"" "$CATALOG" \
	    >add.jsonl &&
	jq -c "select(.kind == \"procedure\" and .code == \"1.001193\") |
	    .time.amount = 5" "$CATALOG" >>add.jsonl &&
	test "$(wc -l <add.jsonl)" = 2 &&
	jq -c "select(.kind == \"staff\" and .login == \"an.nv\") |
	    .active = false" "$CATALOG" >inactive.jsonl &&
	test "$(wc -l <inactive.jsonl)" = 1'

expect_ok 'setup: a slow run through a FIFO, imports in between' '
	mkfifo in.fifo || exit 1
	{ dossier-new --as an.nv <in.fifo >out.jsonl 2>err.txt;
	  echo $? >status; } &
	exec 3>in.fifo &&
	app a1 1.001193 >&3 && lines_in 1 out.jsonl &&
	app a2 1.999999 >&3 && lines_in 1 err.txt &&
	dossier-admin catalog import add.jsonl >import1.json &&
	app a3 1.999999 >&3 && app a4 1.001193 >&3 && lines_in 3 out.jsonl &&
	dossier-admin catalog import inactive.jsonl >import2.json &&
	app a5 1.001193 >&3 &&
	exec 3>&- && wait && test -s status'
expect_ok 'before the import: the known procedure, version 1' '
	test "$(jq -r "select(.ref == \"a1\") | .procedure_version" \
	    out.jsonl)" = 1'
expect_ok 'before the import: the new procedure is unknown' '
	has "stdin:2: unknown procedure '\''1.999999'\''" err.txt'
expect_ok 'after it: the new procedure is known' '
	test "$(jq -r "select(.ref == \"a3\") | .procedure" out.jsonl)" = \
	    1.999999'
expect_ok 'after it: the new version of the other, 5 working days' '
	test "$(jq -r "select(.ref == \"a4\") | .procedure_version" \
	    out.jsonl)" = 2 &&
	test "$(jq -r "select(.ref == \"a4\") | .time.amount" out.jsonl)" = 5'
expect_ok 'the officer made inactive: the run stops at the next record, 77' '
	test "$(cat status)" = 77 &&
	has "stdin:5: " err.txt && has "an.nv" err.txt &&
	test "$(wc -l <out.jsonl)" = 3 &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT group_concat(ref, \" \")
	    FROM (SELECT ref FROM dossiers ORDER BY id)")" = "a1 a3 a4"'
expect_ok 'each import raised the generation once' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT value FROM settings
	    WHERE key = '\''catalog_generation'\''")" = 3'
expect_ok 'an import that changes nothing leaves it' '
	dossier-admin catalog import add.jsonl >same.json &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT value FROM settings
	    WHERE key = '\''catalog_generation'\''")" = 3'
expect_ok 'an inactive officer is refused at the start too' '
	app a7 1.001193 >a7.jsonl &&
	dossier-new --as an.nv a7.jsonl >out7.jsonl 2>err7.txt; s=$?
	has "an.nv" err7.txt && test "$s" = 77'

finish
