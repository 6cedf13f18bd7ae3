#!/bin/sh
# README, "Month-end report from cron": the dossier of the tour, then every
# command of the section, each printing what the README shows.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
init_demo
PATH="$DOSSIER_ROOT/scripts:$PATH"
export PATH

# The section's console block: commands ("$ " lines) and what they print.
sed -n '/^## Month-end report from cron/,/^## /p' "$DOSSIER_ROOT/README.md" |
    sed -n '/^```console/,/^```/p' | sed '1d;$d' >block

expect_ok 'setup: the tour'\''s dossier, finished on time' '
	test -s block &&
	jq -nc --slurpfile cat "$CATALOG" "{ref: \"r1\", procedure: \"1.001193\",
	    unit: \"000.00.01.H56\", channel: \"direct\",
	    received_at: \"2026-11-20T15:20:00+07:00\",
	    applicant: {type: \"citizen\", name: \"Trần Thị Bích\",
	        id_number: \"052189001234\", phone: \"0905123456\",
	        address: \"Thôn Vinh Thạnh\", email: null},
	    documents: [\$cat[] | select(.kind == \"procedure\" and
	        .code == \"1.001193\") | .documents[] | select(.required) |
	        {name, file: null}], note: null}" >app.jsonl &&
	dossier-new --as an.nv app.jsonl >/dev/null &&
	c=000.00.01.H56-261120-0001 &&
	dossier-route --as an.nv --at 2026-11-23T08:00:00 start $c >/dev/null &&
	dossier-route --as hai.pm --at 2026-11-23T09:30:00 next $c >/dev/null &&
	dossier-route --as hung.lv --at 2026-11-23T10:00:00 finish $c >/dev/null'

expect_ok 'every command of the section prints what the README shows' '
	grep -v "^\$ " block >want &&
	grep "^\$ " block | sed "s/^\$ //" >cmds &&
	test "$(wc -l <cmds)" -ge 4 &&
	while IFS= read -r cmd; do
		sh -c "$cmd" </dev/null || { echo "failed: $cmd" >&2; exit 1; }
	done <cmds >got &&
	same want got'

finish
