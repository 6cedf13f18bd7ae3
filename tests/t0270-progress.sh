#!/bin/sh
# The progress line of long work beyond dossier-new (t0260): dossier-admin
# catalog import and calendar import, dossier-bundle export and import.
# On a terminal (a pseudo-terminal made by script(1)) stderr shows the
# count and the rate, and the line is cleared at the end; in a pipe or a
# file, nothing.  Each input or output is slowed by a second in the
# middle, so that the line, drawn at most five times a second, is drawn.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56		# the commune
P=000.00.01.H56		# the province
export C P

# app REF FILE: an application whose declaration is FILE
app() {
	birth "$1" "$2"
}

# on_tty SCRIPT LOG: run the sh script SCRIPT with stderr on a terminal
on_tty() {
	script -qec "sh $1" "$2" >/dev/null </dev/null
}

# drawn PROG WHAT LOG: LOG shows a progress line of PROG counting WHAT,
# and ends with it cleared
drawn() {
	tr "\r" "\n" <"$3" >lines &&
	grep -q "^$1: [0-9][0-9]* $2, [0-9.]*" lines &&
	tr "\r" "\n" <"$3" | grep -v "^ *$" | tail -n 1 >last &&
	! grep -q "$2" last
}

expect_ok 'setup: a commune and a province that trust each other' '
	dossier-admin -d c.db init --agency $C --name "UBND xã" >/dev/null &&
	dossier-admin -d p.db init --agency $P --name "Tỉnh" >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle -d c.db trust add $P \
	    "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d p.db trust add $C \
	    "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null'

# the catalog with a pause after its first 20 lines
printf '%s\n' "{ head -n 20 \"\$CATALOG\"; sleep 1;" \
    "tail -n +21 \"\$CATALOG\"; } | dossier-admin -d c.db catalog import" \
    " >cat.json" >cat.sh
if command -v script >/dev/null 2>&1; then
	expect_ok 'catalog import on a terminal: lines, rate, cleared' '
		on_tty cat.sh tty.log &&
		jq -e ".records == 60" cat.json >/dev/null &&
		drawn dossier-admin lines tty.log'
	expect_ok 'calendar import on a terminal: lines, rate, cleared' '
		for d in 1 2 3 4 5 6 7 8 9; do
			echo "{\"date\":\"2027-03-0$d\",\"kind\":\"holiday\",\"name\":\"Nghỉ $d\"}"
		done >days.jsonl &&
		printf "%s\n" "{ head -n 2 days.jsonl; sleep 1;" \
		    "tail -n +3 days.jsonl; } |" \
		    "dossier-admin -d c.db calendar import -r 2027 >cal.json" \
		    >cal.sh &&
		on_tty cal.sh tty.log &&
		jq -e ".overrides == 9" cal.json >/dev/null &&
		drawn dossier-admin lines tty.log'
else
	skip 'catalog import on a terminal: lines, rate, cleared' 'no script(1)'
	skip 'calendar import on a terminal: lines, rate, cleared' \
	    'no script(1)'
fi
expect_ok 'catalog import in a pipe or a file: no progress' '
	sh cat.sh 2>err && ! [ -s err ] &&
	jq -e ".records == 60" cat.json >/dev/null'

# three dossiers, each with its own 200 kB attachment that no compression
# shrinks: more than a pipe holds, so that a slow reader holds the export
expect_ok 'setup: three dossiers with attachments' '
	mkdir att &&
	for i in 1 2 3; do
		head -c 200000 /dev/urandom >att/scan$i.pdf &&
		app r$i scan$i.pdf || exit 1
	done >apps.jsonl &&
	dossier-new -d c.db --attachments att apps.jsonl >new.jsonl'
printf '%s\n' "dossier-bundle -d c.db export --to \$P |" \
    "{ sleep 1; cat >b.bundle; }" >export.sh
if command -v script >/dev/null 2>&1; then
	expect_ok 'export on a terminal: members, rate, cleared' '
		on_tty export.sh tty.log &&
		dossier-bundle -d p.db verify b.bundle >v.json &&
		jq -e ".members == 4" v.json >/dev/null &&
		drawn dossier-bundle members tty.log'
	expect_ok 'import on a terminal: members, rate, cleared' '
		printf "%s\n" "{ head -c 100 b.bundle; sleep 1;" \
		    "tail -c +101 b.bundle; } |" \
		    "dossier-bundle -d p.db import - >imp.json" >import.sh &&
		on_tty import.sh tty.log &&
		jq -e ".blobs_new == 3 and .dossiers_new == 3" imp.json \
		    >/dev/null &&
		drawn dossier-bundle members tty.log'
else
	skip 'export on a terminal: members, rate, cleared' 'no script(1)'
	skip 'import on a terminal: members, rate, cleared' 'no script(1)'
fi
expect_ok 'export and import in a pipe or a file: no progress' '
	dossier-bundle -d c.db export --to $P -o b2.bundle 2>err >/dev/null &&
	! [ -s err ] &&
	dossier-bundle -d p.db import --dry-run - <b2.bundle 2>err >/dev/null &&
	! [ -s err ]'

finish
