# lib.sh: helpers for the end-to-end test scripts (sourced; POSIX sh).
#
# Each script:
#   . "$(dirname "$0")/lib.sh"
#   setup                      # fresh temp dir as cwd, DOSSIER_DB inside it
#   expect_ok 'desc' 'shell commands'
#   expect_code 65 'desc' 'shell commands'
#   skip 'desc' 'why'          # a test that cannot run here
#   finish                     # prints the plan "1..N": every script ends so
#
# tests/run holds each script to its plan: a script that stops early
# (an `exit` or a crash of the shell before finish) fails, even if every
# test it printed passed.  A script that cannot run at all here calls
# `skip_all 'why'` right after setup.
#
# Commands run with `set -e` semantics by chaining with &&; the binaries
# under test come first on PATH.  Inside a command, `same WANT GOT` compares
# two files and prints a unified diff when they differ.  A failing test
# prints the command, the exit status wanted and got, and the captured
# stdout and stderr; the temp dir is kept and its path shown.
# shellcheck shell=sh

: "${DOSSIER_BIN:=$(cd "$(dirname "$0")/.." && pwd)/build}"
: "${DOSSIER_ROOT:=$(cd "$(dirname "$0")/.." && pwd)}"
PATH="$DOSSIER_BIN:$PATH"
export PATH DOSSIER_BIN DOSSIER_ROOT
# python3 in a script imports the modules of this directory (forge.py),
# and writes no __pycache__ into it
PYTHONPATH=$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE
CATALOG="$DOSSIER_ROOT/examples/catalog.jsonl"
export CATALOG

tap_n=0
tap_failed=0

setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-test.XXXXXX")
	cd "$T" || exit 1
	DOSSIER_DB="$T/office.db"
	export T DOSSIER_DB
}

finish() {
	echo "1..$tap_n"
	cd / || exit 1
	if [ "$tap_failed" -eq 0 ]; then
		rm -rf "$T"
		exit 0
	fi
	echo "# kept test directory $T"
	exit 1
}

# skip DESC WHY: a test that cannot run here, counted as skipped.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# skip_all WHY: the whole script cannot run here.
skip_all() {
	echo "1..0 # SKIP $1"
	cd / || exit 1
	rm -rf "$T"
	exit 0
}

# nobody_cannot [PATH...]: why a tool cannot be run here as the
# unprivileged user nobody (uid 65534), printed, or fail quietly when it
# can: not root, no setpriv, or a PATH (the test folder, a tool, an
# input) that nobody cannot read, as in a checkout under a folder
# closed to others (a home of mode 700, /root).  A script skips its tests
# as nobody with the reason:
#   if why=$(nobody_cannot "$T" "$DOSSIER_BIN/dossier-new"); then
#   	skip 'desc' "$why"
nobody_cannot() {
	if [ "$(id -u)" != 0 ]; then
		echo 'not root'
		return 0
	fi
	if ! command -v setpriv >/dev/null 2>&1 ||
	    ! setpriv --reuid=65534 --regid=65534 --clear-groups true \
	    2>/dev/null; then
		echo 'no setpriv to run as nobody'
		return 0
	fi
	for _p; do
		if ! setpriv --reuid=65534 --regid=65534 --clear-groups \
		    test -r "$_p"; then
			echo "user nobody cannot read $_p (a folder on the way is closed to others)"
			return 0
		fi
	done
	return 1
}

# inro CMD...: CMD with $T/ro mounted read-only, as on write-protected
# media: a bind mount made read-only in a mount namespace of its own.
# shellcheck disable=SC2016
inro() {
	unshare -m sh -c 'mount --bind "$0" "$0" &&
	    mount -o remount,ro,bind "$0" && exec "$@"' "$T/ro" "$@"
}

# ro_cannot: make $T/ro and print why inro cannot work here (root and
# unshare(1) are needed), or fail quietly when it can.
ro_cannot() {
	mkdir -p "$T/ro"
	if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1 ||
	    ! inro true 2>/dev/null; then
		echo 'no read-only mount here'
		return 0
	fi
	return 1
}

# same WANT GOT: compare files, show a diff when they differ.
same() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" >&2
		return 1
	fi
}

# has PATTERN FILE: FILE has a line matching the fixed string PATTERN.
# An empty PATTERN (a variable that came out empty) is an error, not a
# match of every line.
has() {
	if [ -z "$1" ]; then
		echo "has: empty pattern (looking in $2)" >&2
		return 1
	fi
	if ! grep -qF -- "$1" "$2"; then
		echo "no line with '$1' in $2:" >&2
		head -n 20 "$2" >&2
		return 1
	fi
}

_run() {
	want=$1 desc=$2 cmd=$3
	tap_n=$((tap_n + 1))
	(eval "$cmd") >"$T/.stdout" 2>"$T/.stderr"
	got=$?
	if { [ "$want" = any ] && [ "$got" -ne 0 ] && [ "$got" -lt 128 ]; } ||
	    [ "$got" = "$want" ]; then
		echo "ok $tap_n - $desc"
		return 0
	fi
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $desc"
	echo "#   command: $cmd" | sed '2,$s/^/#   /'
	if [ "$got" -gt 128 ] && [ "$got" -ne 255 ]; then
		echo "#   exit status: wanted $want, got $got (killed by signal $((got - 128)))"
	else
		echo "#   exit status: wanted $want, got $got"
	fi
	echo "#   stdout:"
	head -n 30 "$T/.stdout" | sed 's/^/#     /'
	echo "#   stderr:"
	head -n 30 "$T/.stderr" | sed 's/^/#     /'
	return 1
}

expect_ok() {
	_run 0 "$1" "$2"
}

expect_code() {
	_run "$1" "$2" "$3"
}

# A fresh office database with the demo catalog.
init_demo() {
	dossier-admin init --agency 000.00.01.H56 \
	    --name "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa" \
	    >/dev/null &&
	dossier-admin catalog import "$CATALOG" >/dev/null
}

# application REF PROCEDURE [KEY=VALUE ...]: one application record for
# dossier-new on stdout, listing PROCEDURE's documents from $CATALOG.
# KEY is one of at (received_at; left out when not given), channel
# (direct), unit (000.00.01.H56; "-" leaves it out), name (Trần Thị Bích),
# id (052189001234), phone (0905123456), address (Thôn Vinh Thạnh), docs
# (required, or all) and catalog (the file the documents are read from).
application() {
	_ref=$1 _proc=$2
	shift 2
	_at='' _ch=direct _unit=000.00.01.H56 _name="Trần Thị Bích"
	_id=052189001234 _phone=0905123456 _addr="Thôn Vinh Thạnh"
	_docs=required _cat=$CATALOG
	for _kv; do
		case $_kv in
		at=*) _at=${_kv#at=} ;;
		channel=*) _ch=${_kv#channel=} ;;
		unit=*) _unit=${_kv#unit=} ;;
		name=*) _name=${_kv#name=} ;;
		id=*) _id=${_kv#id=} ;;
		phone=*) _phone=${_kv#phone=} ;;
		address=*) _addr=${_kv#address=} ;;
		docs=required | docs=all) _docs=${_kv#docs=} ;;
		catalog=*) _cat=${_kv#catalog=} ;;
		*)
			echo "application: unknown KEY=VALUE '$_kv'" >&2
			return 2
			;;
		esac
	done
	jq -nc --arg ref "$_ref" --arg p "$_proc" --arg u "$_unit" \
	    --arg ch "$_ch" --arg t "$_at" --arg n "$_name" --arg id "$_id" \
	    --arg ph "$_phone" --arg a "$_addr" --arg docs "$_docs" \
	    --slurpfile cat "$_cat" '{ref: $ref, procedure: $p} +
	    (if $u == "-" then {} else {unit: $u} end) + {channel: $ch} +
	    (if $t == "" then {} else {received_at: $t} end) +
	    {applicant: {type: "citizen", name: $n, id_number: $id,
	        phone: $ph, address: $a, email: null},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select($docs == "all" or .required) |
	        {name, file: null}],
	    note: null}'
}

# code REF: the code dossier-new gave REF, read from new.jsonl
code() {
	jq -r --arg r "$1" 'select(.ref == $r) | .code' new.jsonl
}

# route LOGIN TIME ACTION REF [OPTION ...]: dossier-route as LOGIN at TIME
# on the dossier of REF (see code), its records thrown away
route() {
	_as=$1 _at=$2 _action=$3 _ref=$4
	shift 4
	dossier-route --as "$_as" --at "$_at" "$@" "$_action" \
	    "$(code "$_ref")" >/dev/null
}

# birth REF [FILE]: the shortest application, a birth registration
# (1.001193) whose declaration attaches FILE when one is given
birth() {
	_file=
	[ $# -lt 2 ] || _file=",\"file\":\"$2\""
	printf '{"ref":"%s","procedure":"1.001193","applicant":{"name":"Lê Văn Tám"},"documents":[{"name":"Tờ khai đăng ký khai sinh"%s},{"name":"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"}]}\n' \
	    "$1" "$_file"
}

# sec KEYFILE PEM: the PEM secret key openssl takes, from a key file
sec() {
	printf '302e020100300506032b657004220420%s' "$(cut -d" " -f2 "$1")" |
	    xxd -r -p >sec.der &&
	openssl pkey -inform DER -in sec.der -out "$2" 2>/dev/null
}

# pem KEYHEX: the PEM public key openssl takes, from the raw key
pem() {
	printf '302a300506032b6570032100%s' "$1" | xxd -r -p >pub.der &&
	openssl pkey -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null
}
