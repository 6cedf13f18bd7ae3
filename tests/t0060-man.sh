#!/bin/sh
# The manual pages agree with the tools: every page formats without a
# troff warning, every SEE ALSO names every other page of the toolkit,
# no page calls an existing tool planned, the stated defaults are the
# tools' own, and every JSON record the tools write carries "v":1,
# dossier-report's and dossier-bundle's too.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
M=$DOSSIER_ROOT/man
export M

PAGES="dossier.1 dossier-admin.1 dossier-bundle.1 dossier-new.1
    dossier-report.1 dossier-route.1 dossier-status.1 dossier.5
    dossier-bundle.5 dossier.7"
export PAGES
for page in $PAGES; do
	export page
	if command -v man >/dev/null 2>&1; then
		expect_ok "$page: man -l prints it without a warning" '
			MANWIDTH=80 man -l "$M/$page" 2>err >out &&
			! [ -s err ] && [ -s out ]'
	else
		skip "$page: man -l prints it without a warning" 'no man'
	fi
	expect_ok "$page: SEE ALSO names every other page" '
		sed -n "/^\.Sh SEE ALSO/,/^\.Sh /p" "$M/$page" >see &&
		for p in $PAGES; do
			[ "$p" = "$page" ] && continue
			has ".Xr ${p%.*} ${p##*.}" see || exit 1
		done'
done

# words WHAT: the whitespace-separated words of stdin, one line
words() {
	tr -s " \t\n" "   " | sed "s/^ //; s/ \$//"
}
bs=$(printf '\b')
export bs
for t in dossier-admin dossier-bundle dossier-new dossier-report \
    dossier-route dossier-status; do
	export t
	if command -v mandoc >/dev/null 2>&1; then
		expect_ok "$t: the SYNOPSIS is the --help synopsis, word for word" '
			mandoc -T ascii -O width=300 "$M/$t.1" >page &&
			sed "s/.$bs//g" page |
			    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
			    words >want &&
			$t --help >help && sed "/^\$/q; s/^usage: //" help |
			    words >got && same want got'
	else
		skip "$t: the SYNOPSIS is the --help synopsis" 'no mandoc'
	fi
done

expect_ok 'no page calls dossier-status planned' '
	! grep -n "planned" "$M"/*.[157] | grep -i "status"'
expect_ok 'dossier-route -b: the default stated once, and the tool'\''s' '
	grep -c "the default is 10000" "$M/dossier-route.1" >n &&
	echo 1 >one && same one n &&
	dossier-route --help >help && has "(default 10000)" help'

init_demo
expect_ok 'setup: one dossier, started' '
	gen-dossiers -c "$CATALOG" -n 1 -s 5 >app.jsonl &&
	dossier-new -a app.jsonl >new.jsonl &&
	code=$(jq -r .code new.jsonl) &&
	dossier-route --as an.nv start "$code" >/dev/null && echo "$code" >code'
expect_ok 'every record carries "v":1: dossiers, --history, --explain' '
	code=$(cat code) &&
	dossier-status "$code" >a.jsonl &&
	dossier-status --history "$code" --format json >b.jsonl &&
	dossier-status --explain "$code" --format json >c.jsonl &&
	cat a.jsonl b.jsonl c.jsonl >all.jsonl &&
	test "$(wc -l <all.jsonl)" -ge 4 &&
	jq -e -s "all(.[]; .v == 1)" all.jsonl >/dev/null'
expect_ok 'every record carries "v":1: dossier-report' '
	dossier-report --period year --of 2026 >r1.jsonl &&
	dossier-report --period year --of 2026 --by step >r2.jsonl &&
	dossier-report --period year --of 2026 --indicators >r3.jsonl &&
	dossier-report merge <r1.jsonl >r4.jsonl &&
	cat r1.jsonl r2.jsonl r3.jsonl r4.jsonl >all.jsonl &&
	test "$(wc -l <all.jsonl)" -ge 4 &&
	jq -e -s "all(.[]; .v == 1)" all.jsonl >/dev/null'
expect_ok 'every record carries "v":1: dossier-bundle' '
	dossier-admin -d p.db init --agency 000.00.00.H56 --name P >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle key >b1.jsonl &&
	dossier-bundle trust add 000.00.00.H56 \
	    "$(dossier-bundle -d p.db key | jq -r .public_key)" >b2.jsonl &&
	dossier-bundle -d p.db trust add 000.00.01.H56 \
	    "$(jq -r .public_key b1.jsonl)" >b3.jsonl &&
	dossier-bundle trust list >b4.jsonl &&
	dossier-bundle export --to 000.00.00.H56 -o x.bundle >b5.jsonl &&
	dossier-bundle -d p.db verify x.bundle >b6.jsonl &&
	dossier-bundle -d p.db list x.bundle >b7.jsonl &&
	dossier-bundle -d p.db import x.bundle >b8.jsonl &&
	cat b?.jsonl >all.jsonl &&
	test "$(wc -l <all.jsonl)" -ge 9 &&
	jq -e -s "all(.[]; .v == 1)" all.jsonl >/dev/null'

finish
