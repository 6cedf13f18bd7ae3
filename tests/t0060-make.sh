#!/bin/sh
# The Makefile: only make check and make demo install packages (a
# packager's build never runs apt-get), and make install sets the modes.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

command -v make >/dev/null 2>&1 || skip_all 'no make'

# mk ARGS: make in the source tree on the binaries under test
mk() {
	make --no-print-directory -C "$DOSSIER_ROOT" O="$DOSSIER_BIN" "$@"
}

expect_ok 'the build and install do not run install-deps' '
	mk -n -B all >all.txt 2>&1 && has "libcommon/db.c" all.txt &&
	! grep -q install-deps all.txt &&
	mk -n -B -o all install DESTDIR="$PWD/d" >inst.txt 2>&1 &&
	! grep -q install-deps inst.txt'
expect_ok 'make check and make demo do' '
	mk -n check >check.txt 2>&1 && has "scripts/install-deps" check.txt &&
	mk -n demo >demo.txt 2>&1 && has "scripts/install-deps" demo.txt'
expect_ok 'make install sets 755 on the tools and 644 on the pages' '
	(umask 077 && mk -o all install DESTDIR="$PWD/d" PREFIX=/p \
	    >inst.txt 2>&1) &&
	test "$(stat -c %a d/p/bin/dossier-new)" = 755 &&
	test "$(stat -c %a d/p/bin/dossier)" = 755 &&
	test "$(stat -c %a d/p/share/man/man1/dossier-new.1)" = 644 &&
	test "$(stat -c %a d/p/share/man/man7/dossier.7)" = 644 &&
	test "$(stat -c %a d/p/share/man/man5)" = 755'

finish
