#!/bin/sh
# The layers of libcommon: scripts/check-headers (make lint) reads the
# modules bottom-up from CONTRIBUTING.md's drawing and fails when a module
# includes the header of one drawn below it (a call up) or is not drawn.
# It runs on the tree, then on scratch copies with a call up put back.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler"
command -v pkg-config >/dev/null 2>&1 || skip_all "no pkg-config"
# shellcheck disable=SC2034
FLAGS="-std=c99 -D_POSIX_C_SOURCE=200809L -Ilibcommon \
$(pkg-config --cflags sqlite3 jansson libarchive 2>/dev/null)"

# tree: a scratch copy of what check-headers reads
tree() {
	rm -rf t && mkdir -p t/scripts &&
	cp -R "$DOSSIER_ROOT/libcommon" "$DOSSIER_ROOT/CONTRIBUTING.md" t/ &&
	cp "$DOSSIER_ROOT/scripts/check-headers" t/scripts/
}

expect_ok 'no module of the tree calls up' '
	tree && t/scripts/check-headers "$CC" "$FLAGS" >out.txt 2>err.txt &&
	has "no module calls up" out.txt'
expect_code 1 'db including search.h is a call up' '
	tree && sed -i "s/^#include \"db.h\"$/&\n#include \"search.h\"/" \
	    t/libcommon/db.c &&
	t/scripts/check-headers "$CC" "$FLAGS" >out.txt 2>err.txt; s=$?
	has "libcommon/db.c calls up: includes search.h" err.txt || exit 99
	exit $s'
expect_code 1 'a module missing from the drawing is refused' '
	tree && printf "int x;\n" >t/libcommon/stray.c &&
	t/scripts/check-headers "$CC" "$FLAGS" >out.txt 2>err.txt; s=$?
	has "module '\''stray'\'' is not in" err.txt || exit 99
	exit $s'

finish
