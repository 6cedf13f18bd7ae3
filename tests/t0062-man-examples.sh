#!/bin/sh
# The EXAMPLES of dossier-admin(1) and dossier(1) are what the tools
# print: their commands, in order, in one shell, in a folder that has the
# source tree's examples/ and build/, print what the pages show (the new
# office key aside).  The pages run them as root, the office's admin.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

[ "$(id -u)" = 0 ] || skip_all 'the examples run as root, the office admin'
command -v jq >/dev/null 2>&1 || skip_all 'no jq'

mkdir work
ln -s "$DOSSIER_ROOT/examples" work/examples
ln -s "$DOSSIER_BIN" work/build

# The literal blocks of EXAMPLES: a line "$ CMD" is a command (continued
# on the next lines after a trailing \ or |), the other lines its output;
# cmd.N and want.N.
for page in dossier-admin.1 dossier.1; do
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$DOSSIER_ROOT/man/$page"
done | awk -v dir="$T" '
	/^\.Bd -literal/ { inblock = 1; next }
	/^\.Ed/ { inblock = 0; next }
	!inblock { next }
	{ gsub(/\\e/, "\\") }
	cont { print >>c; cont = /[\\|]$/; next }
	/^\$ / { n++; f = sprintf("%s/want.%d", dir, n)
		c = sprintf("%s/cmd.%d", dir, n)
		printf "" >f
		print substr($0, 3) >c; cont = /[\\|]$/; next }
	{ print >>f }
'

# one script: each command with its output, stderr too, in got.N
n=1
: >script
while [ -f "cmd.$n" ]; do
	{ echo "{"; cat "cmd.$n"; echo "} >\"\$T/got.$n\" 2>&1"; } >>script
	n=$((n + 1))
done
export n
expect_ok "the pages give examples: $((n - 1)) commands" '[ "$n" -gt 20 ]'
expect_ok 'setup: the commands run' '
	cd work && PATH="$DOSSIER_BIN:$PATH" sh ../script'

normal() {
	sed -e 's/"public_key":"[0-9a-f]*"/"public_key":"KEY"/' "$1"
}
i=1
while [ "$i" -lt "$n" ]; do
	rcmd=$(head -n 1 "cmd.$i")
	export i
	expect_ok "example: $rcmd" '
		normal "want.$i" >want && normal "got.$i" >got && same want got'
	i=$((i + 1))
done

finish
