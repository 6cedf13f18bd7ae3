#!/bin/sh
# gen-dossiers: deterministic test data that dossier-new accepts whole.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

expect_ok 'the same seed gives the same bytes, another seed others' '
	gen-dossiers -c "$CATALOG" -n 500 -s 7 >a.jsonl &&
	gen-dossiers -c "$CATALOG" -n 500 -s 7 >b.jsonl &&
	gen-dossiers -c "$CATALOG" -n 500 -s 8 >c.jsonl &&
	cmp -s a.jsonl b.jsonl && ! cmp -s a.jsonl c.jsonl'
expect_ok '-o: receipt times never go back' '
	gen-dossiers -c "$CATALOG" -n 2000 -s 7 -o -f 2026-01-05 -D 30 >o.jsonl &&
	jq -r .received_at o.jsonl | cut -c1-10 >dates &&
	sort -c dates && test "$(head -n 1 dates)" = 2026-01-05'
expect_ok 'every generated application is received, none rejected' '
	dossier-new o.jsonl >out.jsonl 2>err.txt &&
	test ! -s err.txt && test "$(wc -l <out.jsonl)" = 2000'
expect_code 64 'a bad option is a usage error' '
	gen-dossiers -c "$CATALOG" -n many'
expect_code 66 'a missing catalog is exit 66' '
	gen-dossiers -c no-such-catalog.jsonl -n 1'

finish
