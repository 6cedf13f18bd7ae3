#!/bin/sh
# dossier-new: a progress line on stderr when stderr is a terminal (a
# pseudo-terminal made by script(1)), none in a pipe or a file.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo

# A batch whose reading pauses a second after its first lines, so that
# the progress, drawn at most five times a second, has something to say.
expect_ok 'setup: 300 applications and a slow reader of them' '
	gen-dossiers -c "$CATALOG" -n 300 -s 3 >apps.jsonl &&
	printf "%s\n" "{ head -n 20 apps.jsonl; sleep 1;" \
	    "tail -n +21 apps.jsonl; } | dossier-new \"\$@\" >out.jsonl" \
	    >slow.sh'

if command -v script >/dev/null 2>&1; then
	expect_ok 'on a terminal: records, rate' '
		script -qec "sh slow.sh" tty.log >/dev/null </dev/null &&
		test "$(wc -l <out.jsonl)" = 300 &&
		tr "\r" "\n" <tty.log >lines &&
		grep -q "^dossier-new: [0-9][0-9]* records, [0-9][0-9]*/s" lines'
	expect_ok 'the line is cleared at the end' '
		tr "\r" "\n" <tty.log | grep -v "^ *$" | tail -n 1 >last &&
		! grep -q "records" last'
else
	skip 'on a terminal: records, rate' 'no script(1)'
	skip 'the line is cleared at the end' 'no script(1)'
fi
expect_ok 'in a file: no progress' '
	dossier-admin -d two.db init --agency 000.00.01.H56 --name X \
	    >/dev/null && dossier-admin -d two.db catalog import "$CATALOG" \
	    >/dev/null &&
	sh slow.sh -d two.db 2>err && ! [ -s err ] &&
	test "$(wc -l <out.jsonl)" = 300'

finish
