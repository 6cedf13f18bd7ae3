#!/bin/sh
# The libFuzzer harnesses of tests/fuzz/ (application intake, action
# records, catalog and calendar import), a short smoke run of each from
# its seeds: no crash, leak or sanitizer report, and its temporary office
# copy made in TMPDIR and removed at exit.  make fuzz runs them for
# longer.  Skipped where clang is not installed (make check builds them
# only when it is).
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

RUNS=${FUZZ_SMOKE_RUNS:-1000}
for n in intake action catalog calendar; do
	if [ ! -x "$DOSSIER_BIN/fuzz/fuzz-$n" ]; then
		skip "fuzz-$n: $RUNS inputs, no crash" "no clang: make fuzzers"
		continue
	fi
	expect_ok "fuzz-$n: $RUNS inputs from the seeds, no crash" "
		O=\"\$DOSSIER_BIN\" \"\$DOSSIER_ROOT/tests/fuzz.sh\" -r $RUNS $n \
		    >out.txt 2>&1; s=\$?; cat out.txt;
		test \$s = 0 && has 'fuzz-$n: ' out.txt &&
		has ' inputs, no crash' out.txt"
done
finish
