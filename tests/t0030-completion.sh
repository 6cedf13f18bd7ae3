#!/bin/sh
# Bash completion (completion/dossier): commands, subcommands, options
# from the tools' --help, actions from dossier-route -l, status names,
# and procedure codes, unit codes and logins from the office database.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
command -v bash >/dev/null 2>&1 || skip_all 'no bash'
init_demo

# complete WORD...: what bash completes for the last word of the line
cat >complete.bash <<'EOS'
. "$DOSSIER_ROOT/completion/dossier"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
f=$(complete -p "$1" | sed 's/.*-F \([^ ]*\) .*/\1/')
"$f"
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
EOS
complete() {
	bash complete.bash "$@"
}

expect_ok 'dossier: the commands' '
	complete dossier "" >got && has admin got && has status got &&
	has help got'
expect_ok 'dossier help: the commands' '
	complete dossier help r >got && printf "report\nroute\n" >want &&
	same want got'
expect_ok 'dossier-admin: the subcommands' '
	complete dossier-admin c >got &&
	printf "calendar\ncatalog\ncheck\n" >want && same want got'
expect_ok 'dossier-admin calendar: its subcommands' '
	complete dossier-admin calendar "" >got && has official got &&
	has hours got'
expect_ok 'dossier-admin -d FILE catalog: import and export' '
	complete dossier-admin -d office.db catalog "" >got &&
	printf "export\nimport\n" >want && same want got'
expect_ok 'dossier-new: the options from --help' '
	complete dossier-new --at >got &&
	printf "%s\n" --atomic --attachments >want && same want got'
expect_ok 'dossier-status --format: its formats, the portal among them' '
	complete dossier-status --format "" >got &&
	printf "%s\n" csv json portal table >want && same want got'
expect_ok 'dossier-new --input-format: json or portal' '
	complete dossier-new --input-format "" >got &&
	printf "%s\n" json portal >want && same want got'
expect_ok 'dossier-new: --guide and --refuse from --help' '
	complete dossier-new --gu >got && echo --guide >want && same want got &&
	complete dossier-new --ref >got && echo --refuse >want && same want got'
expect_ok 'dossier-new --refuse: a reason, free text: nothing completed' '
	complete dossier-new --refuse "" >got && ! [ -s got ]'
expect_ok 'dossier-status: --waiting from --help' '
	complete dossier-status --wai >got && echo --waiting >want &&
	same want got'
expect_ok 'dossier-route: the actions from dossier-route -l' '
	complete dossier-route "" >got && has start got && has finish got &&
	has request_supplement got'
expect_ok 'dossier-route: no action after the action' '
	complete dossier-route start "" >got && ! [ -s got ]'
expect_ok 'dossier-status --status: every status name' '
	complete dossier-status --status "" >got &&
	dossier-status --status x 2>err; sed -n "s/.*is not one of //p" err |
	    tr -d , | tr " " "\n" | sort >want && same want got'
expect_ok 'dossier-status --status proc: processing' '
	complete dossier-status --status proc >got &&
	echo processing >want && same want got'
expect_ok 'dossier-status --procedure: the codes of the database' '
	complete dossier-status --procedure 1.00119 >got && has 1.001193 got &&
	dossier-admin catalog export >cat.jsonl &&
	jq -r "select(.kind == \"procedure\") | .code" cat.jsonl |
	    grep "^1.00119" | sort >want && same want got'
expect_ok 'dossier-status --unit with -d FILE: the units of that file' '
	mv office.db other.db && mv office.db.key other.db.key &&
	complete dossier-status -d other.db --unit 000.00.2 >got &&
	mv other.db office.db && mv other.db.key office.db.key &&
	jq -r "select(.kind == \"unit\") | .code" cat.jsonl |
	    grep "^000.00.2" | sort >want && same want got && [ -s got ]'
expect_ok 'dossier status --handler: through the front, staff logins' '
	complete dossier status --handler an >got && echo an.nv >want &&
	same want got'
expect_ok 'dossier-route --as: staff logins' '
	complete dossier-route --as hu >got && echo hung.lv >want &&
	same want got'
expect_ok 'no database: no codes, no error' '
	DOSSIER_DB=$T/none.db complete dossier-status --unit "" >got 2>err &&
	! [ -s got ] && ! [ -s err ]'

finish
