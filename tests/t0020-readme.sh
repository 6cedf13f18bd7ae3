#!/bin/sh
# The README as a new user meets it: the commands of its console blocks
# (the short tour, "A day at the counter", the month-end report from
# cron and "A commune without internet"), in order, run by a user
# who is not root, in a folder of their own, print what the README shows.
# Then `make demo` (scripts/demo) as that user, and the refusals an
# ordinary user meets: a database they may not open, a missing folder.
# As root the commands run as `nobody`; as anyone else, as themselves.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

if [ "$(id -u)" -ne 0 ]; then
	user=$(id -un)
	as_user() { "$@"; }
elif id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	user=nobody
	as_user() {
		setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups "$@"
	}
	chmod 755 "$T"
	if why=$(nobody_cannot "$T"); then
		skip_all "$why"
	fi
else
	skip_all 'running as root, and no user nobody to run as'
fi
export user

# The user needs a folder of their own and tools they may run, wherever
# the source tree is: the built tools on PATH, and in their folder what
# a clone has there (examples/, and scripts/ run by their path), so that
# the commands run exactly as the README gives them.
chmod 755 "$T"
mkdir "$T/bin" "$T/home" "$T/home/scripts"
cp "$DOSSIER_BIN"/dossier "$DOSSIER_BIN"/dossier-* "$DOSSIER_BIN/gen-dossiers" \
    "$T/bin/"
rm -f "$T/bin/"*.d
[ -d "$DOSSIER_BIN/locale" ] && cp -r "$DOSSIER_BIN/locale" "$T/bin/"
cp -r "$DOSSIER_ROOT/examples" "$T/home/"
cp "$DOSSIER_ROOT/scripts/demo" "$DOSSIER_ROOT/scripts/monthly-report" \
    "$T/home/scripts/"
[ "$user" = "$(id -un)" ] || chown -R "$user" "$T/home"
chmod -R a+rX "$T/bin"

# run CMD: CMD in sh as the user, in their folder, after the exports of
# the README so far, with a clean environment
run() {
	as_user env -i PATH="$T/bin:/usr/local/bin:/usr/bin:/bin" \
	    HOME="$T/home" LC_ALL=C.UTF-8 TZ=UTC \
	    sh -c 'cd "$HOME" && . ./.exports && '"$1"
}
: >"$T/home/.exports"
[ "$user" = "$(id -un)" ] || chown "$user" "$T/home/.exports"

# The console blocks of the README: each "$ " line a command, the lines
# after it its output; cmd.N and want.N.
awk -v dir="$T" '
	/^```console/ { inblock = 1; next }
	/^```/ { inblock = 0; next }
	!inblock { next }
	/^\$ / { n++; f = sprintf("%s/want.%d", dir, n);
		printf "" >f
		print substr($0, 3) >(sprintf("%s/cmd.%d", dir, n)); next }
	{ print >>f }
' "$DOSSIER_ROOT/README.md"

# what differs from run to run: the new key and the user's login
normal() {
	sed -e 's/"public_key":"[0-9a-f]*"/"public_key":"KEY"/' \
	    -e 's/"admin":"[^"]*"/"admin":"USER"/' "$1"
}

n=1
while [ -f "$T/cmd.$n" ]; do
	rcmd=$(cat "$T/cmd.$n")
	export n rcmd
	case $rcmd in
	export\ *)
		expect_ok "README: $rcmd" '
			echo "$rcmd" >>"$T/home/.exports" && run "$rcmd"'
		;;
	*)
		expect_ok "README: $rcmd" '
			run "$rcmd" >"$T/got.$n" &&
			normal "$T/want.$n" >want && normal "$T/got.$n" >got &&
			same want got'
		;;
	esac
	n=$((n + 1))
done

expect_ok "the README ran: $((n - 1)) commands" '[ "$n" -gt 10 ]'
expect_ok 'the README runs every tool of the toolkit, and --explain' '
	cat "$T"/cmd.* >cmds &&
	for t in dossier-admin dossier-new dossier-route dossier-status \
	    dossier-report dossier-bundle; do
		grep -q "^$t " cmds || { echo "no $t in the README"; exit 1; }
	done &&
	has "dossier-status --explain" cmds &&
	has "dossier-admin calendar hours" cmds'
expect_ok "init made $user the office's first admin" '
	run "dossier-admin catalog export" >cat.jsonl &&
	jq -c --arg u "$user" "select(.kind == \"staff\" and .login == \$u) |
	    [.roles, .active]" cat.jsonl >got &&
	echo "[[\"admin\"],null]" >want && same want got'

# make demo, as the user, into a folder of theirs
expect_ok "make demo (scripts/demo) works for $user" '
	mkdir "$T/home/demo" && cp "$T/bin/"* "$T/home/demo/" 2>/dev/null;
	{ [ "$user" = "$(id -un)" ] || chown -R "$user" "$T/home/demo"; } &&
	run "O=\$HOME/demo DEMO_COUNT=50 scripts/demo" >demo.out &&
	has "demo: received 50 dossiers" demo.out'
expect_ok 'each command the demo suggests shows something, and no error' '
	sed "1,/^demo: try:/d; s/^  //" demo.out >try &&
	grep -q "^export DOSSIER_DB=" try && test "$(wc -l <try)" -ge 3 &&
	sed 1d try | while IFS= read -r c; do
		run "$(head -n 1 try) && $c" >try.out 2>try.err ||
		    { echo "$c: exit $?" >&2; cat try.err >&2; exit 1; }
		[ -s try.out ] || { echo "$c: prints nothing" >&2; exit 1; }
		! [ -s try.err ] || { echo "$c:" >&2; cat try.err >&2; exit 1; }
	done'

# A database the user may not open is "permission denied", 77.
expect_ok 'setup: a database of someone else, closed to others' '
	mkdir "$T/closed" && chmod 755 "$T/closed" &&
	dossier-admin -d "$T/closed/office.db" init --agency 000.00.01.H56 \
	    --name X >/dev/null && chmod 600 "$T/closed/office.db"'
if [ "$user" != "$(id -un)" ]; then
	expect_code 77 'a database the user may not read: permission denied' '
		run "dossier-status -d $T/closed/office.db" 2>err; s=$?
		has "$T/closed/office.db: permission denied" err || exit 1
		exit $s'
	expect_code 77 'a database the user may not write: permission denied' '
		chmod 644 "$T/closed/office.db" &&
		run "dossier-new -d $T/closed/office.db </dev/null" 2>err; s=$?
		has "$T/closed/office.db: permission denied" err || exit 1
		exit $s'
	expect_code 77 'init in a folder the user may not write: 77' '
		run "dossier-admin -d $T/closed/new.db init --agency \
		    000.00.01.H56 --name X" 2>err; s=$?
		has "permission denied: cannot create files in folder" err ||
		    exit 1
		exit $s'
else
	skip 'a database the user may not read' 'the tests run as its owner'
	skip 'a database the user may not write' 'the tests run as its owner'
	skip 'init in a folder the user may not write' 'the tests run as its owner'
fi
expect_code 66 'init in a folder that does not exist: 66, its own message' '
	dossier-admin -d "$T/nowhere/office.db" init --agency 000.00.01.H56 \
	    --name X 2>err; s=$?
	has "$T/nowhere/office.db: no such folder '\''$T/nowhere'\''" err ||
	    exit 1
	exit $s'

finish
