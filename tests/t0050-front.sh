#!/bin/sh
# dossier, the front: runs dossier-NAME, and tells a tool that is not
# installed, or planned and not yet written, from an internal error.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

expect_ok 'runs the tool of that name' '
	dossier admin 2>err.txt; test $? = 64 &&
	has "usage: dossier-admin" err.txt'
expect_code 64 'an unknown command is a usage error' '
	dossier frob 2>err.txt; s=$?;
	has "dossier: unknown command '\''frob'\''" err.txt || exit 1; exit $s'
expect_ok 'dossier report runs dossier-report' '
	dossier report --bom 2>err.txt; test $? = 64 &&
	has "usage: dossier-report" err.txt'
expect_ok 'runs dossier-bundle, no longer planned' '
	dossier bundle 2>err.txt; test $? = 64 &&
	has "usage: dossier-bundle" err.txt'
expect_code 69 'a tool that is not installed: 69, named' '
	mkdir alone && cp "$DOSSIER_BIN/dossier" alone/ &&
	PATH=/nonexistent alone/dossier status 2>err.txt; s=$?;
	has "dossier: dossier-status is not installed (not next to dossier, nor in PATH)" err.txt ||
	exit 1; exit $s'

finish
