#!/bin/sh
# tests/mutants.sh finds each mutant of tests/mutants.txt by its source
# text, never by a line number: `--check` (no build, no test run) finds
# every line of the list once in its file; a line whose code moved to
# another file is found there and named, one found nowhere or twice is
# refused.  make mutate itself is too slow for make check.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

# tree: a scratch tree with mutants.sh, two sources and a list
tree() {
	rm -rf t && mkdir -p t/tests t/cmd t/libcommon &&
	cp "$DOSSIER_ROOT/tests/mutants.sh" t/tests/ &&
	printf '%s\n' 'int' 'f(int a)' '{' '	return a < 3;' '}' \
	    >t/libcommon/a.c &&
	printf '%s\n' 'int' 'g(int b)' '{' '	return b + 1;' '}' \
	    >t/cmd/tool.c &&
	printf '%s\n' '# a list' '' 'file:  libcommon/a.c' \
	    'from:  return a < 3;' 'to:    return a <= 3;' 'tests: t0000' \
	    'why:   off by one' >t/list
}

expect_ok 'every mutant of the list is found once in its file' '
	"$DOSSIER_ROOT/tests/mutants.sh" --check >out.txt 2>err.txt &&
	has "0 not found once, 0 moved" out.txt'
expect_ok 'a scratch list: found where it is' '
	tree && t/tests/mutants.sh --check t/list >out.txt 2>err.txt &&
	has "mutate: 1 mutants, 0 not found once, 0 moved" out.txt'
expect_code 1 'the code moved to another file: found there, named' '
	tree && mv t/libcommon/a.c t/libcommon/b.c &&
	t/tests/mutants.sh --check t/list >out.txt 2>err.txt; s=$?
	has "mutant 1: libcommon/a.c: the line is now in libcommon/b.c: update its block" \
	    out.txt || exit 99
	exit "$s"'
expect_code 1 'a line found nowhere is refused' '
	tree && sed -i "s/a < 3/a < 4/" t/libcommon/a.c &&
	t/tests/mutants.sh --check t/list >out.txt 2>err.txt; s=$?
	has "line found 0 times in the sources" out.txt || exit 99
	exit "$s"'
expect_code 1 'a line found twice is refused' '
	tree && printf "%s\n" "	return a < 3;" >>t/libcommon/a.c &&
	t/tests/mutants.sh --check t/list >out.txt 2>err.txt; s=$?
	has "line found 2 times in libcommon/a.c, not once" out.txt || exit 99
	exit "$s"'
expect_ok 'indentation and blanks at the end do not count' '
	tree && sed -i "s/^	return a < 3;/		return a < 3;   /" t/libcommon/a.c &&
	t/tests/mutants.sh --check t/list >out.txt 2>err.txt &&
	has "0 not found once, 0 moved" out.txt'

finish
