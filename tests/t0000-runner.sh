#!/bin/sh
# The runner itself: tests/run holds every suite to its TAP plan, counts
# skips apart, and refuses a name that matches no test.  Fake suites in a
# temp directory ($TESTDIR) and a fake unit-test binary ($O) stand in for
# the real ones; lib.sh's own helpers are checked the same way.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

RUN="$DOSSIER_ROOT/tests/run"
mkdir fake bin
# suite NAME: a fake suite whose body is standard input
suite() {
	{ echo '#!/bin/sh'; cat; } >"fake/$1.sh"
}
suite t9001-good <<'EOF'
echo "ok 1 - one"; echo "ok 2 - two"; echo "1..2"
EOF
suite t9002-noplan <<'EOF'
echo "ok 1 - one"; exit 0
EOF
suite t9003-fewer <<'EOF'
echo "1..3"; echo "ok 1 - one"; echo "ok 2 - two"
EOF
suite t9004-extra <<'EOF'
echo "ok 1 - one"; echo "ok 2 - two"; echo "1..1"
EOF
suite t9005-skip <<'EOF'
echo "ok 1 - one"; echo "ok 2 - two # SKIP no clang"; echo "1..2"
EOF
suite t9006-skipall <<'EOF'
echo "1..0 # SKIP nothing to run here"
EOF
suite t9007-status <<'EOF'
echo "ok 1 - one"; echo "1..1"; exit 3
EOF
suite t9008-repeat <<'EOF'
echo "ok 1 - one"; echo "ok 1 - one again"; echo "1..2"
EOF
suite t9009-late <<'EOF'
echo "ok 1 - one"; echo "1..1"; echo "ok 2 - two"
EOF
suite t9010-twoplans <<'EOF'
echo "1..1"; echo "ok 1 - one"; echo "1..1"
EOF
suite t9011-fail <<'EOF'
echo "ok 1 - one"; echo "not ok 2 - two"; echo "#   detail"; echo "1..2"
EOF
# lib.sh's scripts: one that stops before finish, and one using skip
{
	echo '#!/bin/sh'
	echo ". \"$DOSSIER_ROOT/tests/lib.sh\""
	echo 'setup'
	echo 'expect_ok "one" "true"'
	echo 'exit 0'
	echo 'finish'
} >fake/t9012-libexit.sh
{
	echo '#!/bin/sh'
	echo ". \"$DOSSIER_ROOT/tests/lib.sh\""
	echo 'setup'
	echo 'expect_ok "one" "true"'
	echo 'skip "two" "not here"'
	echo 'finish'
} >fake/t9013-libskip.sh
{
	echo '#!/bin/sh'
	echo ". \"$DOSSIER_ROOT/tests/lib.sh\""
	echo 'setup'
	echo 'skip_all "not here"'
} >fake/t9014-libskipall.sh
{
	echo '#!/bin/sh'
	echo ". \"$DOSSIER_ROOT/tests/lib.sh\""
	echo 'setup'
	echo 'echo "a line" >f'
	echo 'empty=""'
	echo 'expect_ok "has with an empty pattern" "has \"\$empty\" f"'
	echo 'finish'
} >fake/t9015-libhas.sh
printf '#!/bin/sh\necho "ok 1 - u"; echo "1..1"\n' >bin/unit-tests
chmod +x bin/unit-tests

# run NAME...: the runner on the fake suites; its output in out.txt
run() {
	TMPDIR="$T" TESTDIR="$T/fake" O="$T/bin" "$RUN" "$@" >out.txt 2>err.txt
}
# last: the summary line
last() {
	tail -n 1 out.txt
}

expect_ok 'a suite that keeps its plan passes' '
	run t9001 && test "$(last)" = "2 passed, 0 failed, 0 skipped" &&
	has "--- t9001-good.sh: 2 passed" out.txt'
expect_ok 'a suite that exits 0 with no plan fails' '
	run t9002; test $? = 1 &&
	test "$(last)" = "1 passed, 1 failed, 0 skipped" &&
	has "no plan: the suite stopped before its end" out.txt'
expect_ok 'fewer tests than planned fail' '
	run t9003; test $? = 1 && has "planned 3 tests, ran 2" out.txt &&
	test "$(last)" = "2 passed, 1 failed, 0 skipped"'
expect_ok 'more tests than planned fail' '
	run t9004; test $? = 1 && has "planned 1 tests, ran 2" out.txt'
expect_ok 'a skipped test is counted apart, not as passed' '
	run t9005 && test "$(last)" = "1 passed, 0 failed, 1 skipped" &&
	has "--- t9005-skip.sh: 1 passed, 1 skipped" out.txt'
expect_ok 'a suite skipped whole counts as one skip' '
	run t9006 && test "$(last)" = "0 passed, 0 failed, 1 skipped"'
expect_ok 'a non-zero exit fails even with every test ok' '
	run t9007; test $? = 1 && has "(exit 3)" out.txt &&
	test "$(last)" = "1 passed, 1 failed, 0 skipped"'
expect_ok 'a test number repeated fails' '
	run t9008; test $? = 1 && has "test 2 is numbered 1" out.txt'
expect_ok 'a test after the closing plan fails' '
	run t9009; test $? = 1 && has "test 2 after the plan at the end" out.txt'
expect_ok 'two plans fail' '
	run t9010; test $? = 1 && has "2 plans" out.txt'
expect_ok 'a failing test is shown with its diagnostics' '
	run t9011; test $? = 1 && has "not ok 2 - two" out.txt &&
	has "#   detail" out.txt &&
	test "$(last)" = "1 passed, 1 failed, 0 skipped"'
expect_ok 'lib.sh: a script that exits before finish fails' '
	run t9012; test $? = 1 && has "no plan" out.txt'
expect_ok 'lib.sh: skip and skip_all are counted as skipped' '
	run t9013 t9014 && test "$(last)" = "1 passed, 0 failed, 2 skipped"'
expect_ok 'lib.sh: has refuses an empty pattern' '
	run t9015; test $? = 1 && has "has: empty pattern" out.txt'
expect_ok 'a name that matches no test is refused' '
	run t9001 t9999; test $? = 2 && test ! -s out.txt &&
	has "run: no test named '\''t9999*'\''" err.txt'
expect_ok 'the totals add up over several suites, unit tests included' '
	run unit t9001 t9005 t9011; test $? = 1 &&
	test "$(last)" = "5 passed, 1 failed, 1 skipped" &&
	has "--- unit-tests: 1 passed" out.txt'
expect_ok 'no name runs the unit tests and every suite' '
	run; test $? = 1 && test "$(grep -c "^--- " out.txt)" = 16'
printf '#!/bin/sh\necho "ok 1 - u"; echo "1..2"\n' >bin/unit-tests
expect_ok 'the unit tests are held to their plan too' '
	run unit; test $? = 1 && has "planned 2 tests, ran 1" out.txt'

expect_ok 'unit-tests: a suite name that is no suite is refused' '
	unit-tests nosuch >out.txt 2>err.txt; test $? = 2 &&
	has "unit-tests: no suite named '\''nosuch'\''" err.txt'
finish
