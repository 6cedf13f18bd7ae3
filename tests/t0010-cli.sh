#!/bin/sh
# The command line every tool shares: --help (synopsis and options on
# stdout, exit 0), --version (the Makefile's version and the schema
# version), usage errors that say what was wrong before the synopsis,
# options that exclude each other refused, and `dossier help COMMAND`.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

version=$(sed -n 's/^VERSION = //p' "$DOSSIER_ROOT/Makefile")
schema=$(sed -n 's/^#define DB_SCHEMA_VERSION \([0-9]*\).*/\1/p' \
    "$DOSSIER_ROOT/libcommon/db.h")
export version schema

for t in dossier dossier-admin dossier-new dossier-route dossier-status \
    dossier-bundle dossier-report; do
	export t
	expect_ok "$t --help: the synopsis and the options on stdout" '
		$t --help >out 2>err && has "usage: $t" out &&
		has "--version" out && ! [ -s err ]'
	expect_ok "$t --version: $version, schema $schema" '
		$t --version >out 2>err &&
		echo "$t $version (database schema $schema)" >want &&
		same want out && ! [ -s err ]'
done

for sub in "calendar import" "catalog import" "calendar hours" "check"; do
	export sub
	expect_ok "dossier-admin $sub --help: the synopsis, and nothing done" '
		dossier-admin -d nowhere.db $sub --help >out 2>err &&
		has "usage: dossier-admin" out && has "calendar import" out &&
		! [ -s err ] && ! [ -e nowhere.db ]'
done

# usage TEXT CMD...: exit 64, TEXT on the first line, the synopsis after
usage() {
	want=$1
	shift
	"$@" >out 2>err
	s=$?
	head -n 1 err >first &&
	has "$want" first && has "usage:" err || exit 1
	exit "$s"
}

expect_code 64 'dossier: an unknown command is named' \
	'usage "dossier: unknown command '\''chekc'\''" dossier chekc'
expect_code 64 'dossier: no command' \
	'usage "dossier: the command is required" dossier'
expect_code 64 'dossier-admin: an unknown subcommand is named' \
	'usage "unknown command '\''chekc'\''" dossier-admin chekc'
expect_code 64 'dossier-admin init: --name is required' \
	'usage "dossier-admin: --name is required" \
	    dossier-admin init --agency 000.00.01.H56'
expect_code 64 'dossier-admin init: --agency is required' \
	'usage "dossier-admin: --agency is required" \
	    dossier-admin init --name X'
expect_code 64 'dossier-admin catalog: the subcommand is named' \
	'usage "unknown catalog command '\''imprt'\''" \
	    dossier-admin catalog imprt'
expect_code 64 'dossier-admin: an unknown option is named by getopt' \
	'usage "dossier-admin: unrecognized option '\''--nope'\''" \
	    dossier-admin --nope'
expect_code 64 'dossier-route: an unknown action is named' \
	'usage "unknown action '\''chekc'\''" dossier-route chekc X'
expect_code 64 'dossier-route: a bad --form is named' \
	'usage "--form: '\''pdf'\'' is not text or html" \
	    dossier-route -f pdf start X'
expect_code 64 'dossier-new: a bad --slip is named' \
	'usage "--slip: '\''pdf'\'' is not text or html" dossier-new -s pdf'
expect_code 64 'dossier-status: a misspelt --status lists the statuses' \
	'usage "--status: '\''procesing'\'' is not one of submitted, accepted," \
	    dossier-status --status procesing'

# Options that exclude each other are refused, never resolved silently.
expect_code 64 'dossier-new: --atomic with --batch' \
	'usage "--atomic and --batch cannot be given together" \
	    dossier-new -A -b 10'
expect_code 64 'dossier-new: --dry-run with --batch' \
	'usage "--dry-run and --batch cannot be given together" \
	    dossier-new -n -b 10'
expect_code 64 'dossier-route: --list with another option' \
	'usage "--list takes no other option or operand" dossier-route -l -b 5'
expect_code 64 'dossier-route: --list with an operand' \
	'usage "--list takes no other option or operand" dossier-route -l start'
expect_code 64 'dossier-route: --due with an action other than extend' \
	'usage "--due does not apply to start" \
	    dossier-route -D 2026-12-01T10:00:00 start X'
expect_code 64 'dossier-route: --to with an action other than forward' \
	'usage "--to does not apply to finish" \
	    dossier-route -t 000.00.10.H56 finish X'
expect_code 64 'dossier-route: --handler with finish' \
	'usage "--handler does not apply to finish" \
	    dossier-route -H an.nv finish X'
expect_code 64 'dossier-route: --missing with an action other than request_supplement' \
	'usage "--missing does not apply to extend" \
	    dossier-route -m "Tờ khai" -D 2026-12-01T10:00:00 -r late extend X'
expect_code 64 'dossier-status: --history with --explain' \
	'usage "--history and --explain cannot be given together" \
	    dossier-status --history --explain'
expect_code 64 'dossier-status: --explain with --form' \
	'usage "--explain and --form cannot be given together" \
	    dossier-status --explain -f receipt'
expect_code 64 'dossier-status: --form with --history' \
	'usage "--form and --history cannot be given together" \
	    dossier-status -f receipt --history'
expect_code 64 'dossier-status: --form-format without --form' \
	'usage "--form-format needs --form" \
	    dossier-status --form-format html'

# `dossier help` shows the manual page from the source tree.
if command -v man >/dev/null 2>&1; then
	expect_ok 'dossier help route: the manual page of dossier-route' '
		MANPAGER=cat PAGER=cat MANWIDTH=80 dossier help route >out &&
		has "dossier-route" out && has "SYNOPSIS" out'
	expect_ok 'dossier help: the overview, dossier(7)' '
		MANPAGER=cat PAGER=cat MANWIDTH=80 dossier help >out &&
		has "DOSSIER(7)" out'
else
	skip 'dossier help route: the manual page' 'no man'
	skip 'dossier help: the overview' 'no man'
fi
expect_code 64 'dossier help: an unknown command' \
	'usage "help: unknown command '\''nope'\''" dossier help nope'

finish
