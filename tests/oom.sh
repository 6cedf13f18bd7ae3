#!/bin/sh
# tests/oom.sh: out-of-memory runs (make oom; not part of make check).
# dossier-new and dossier-route run under tests/failmalloc.c with every
# allocation from call N on failing, for N from FROM to TO by STEP; each
# run must end with 0, 1 (dossier-route: some refused) or 70 (out of
# memory) and a message, and leave the database intact.  Prints the runs
# that did not, and a count.  Known, and not ours: when the allocation
# that fails is inside glibc's first user lookup (getpwuid, NSS) or
# libcrypto's first set-up, those libraries can crash; read each report.
#
#   tests/oom.sh [FROM [STEP [TO]]]     (O=build by default)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in
/*) bin=$O ;;
*) bin=$root/$O ;;
esac
PATH="$bin:$PATH"
shim=$bin/failmalloc.so
cat="$root/examples/catalog.jsonl"
from=${1:-50}
step=${2:-7}
to=${3:-20000}
work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-oom.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

dossier-admin -d o0.db init --agency 000.00.01.H56 --name OOM >/dev/null &&
    dossier-admin -d o0.db catalog import "$cat" >/dev/null || exit 1
gen-dossiers -c "$cat" -n 30 -s 4 >in.jsonl
cp o0.db r0.db
dossier-new -d r0.db --as root in.jsonl >/dev/null || exit 1
sqlite3 r0.db "SELECT json_object('code', code) FROM dossiers
    WHERE status = 2" >codes.jsonl

runs=0 bad=0
# try NAME OKCODES DB COMMAND...: one run of COMMAND on a fresh copy of DB
try() {
	name=$1 ok=$2 db=$3
	shift 3
	cp "$db" t.db
	rm -f t.db-wal t.db-shm
	FAILMALLOC_AFTER=$n LD_PRELOAD=$shim "$@" >out 2>err
	s=$?
	runs=$((runs + 1))
	case " $ok " in
	*" $s "*) ;;
	*)	bad=$((bad + 1))
		echo "$name N=$n: exit $s: $(head -c 200 err)" ;;
	esac
	i=$(sqlite3 t.db 'PRAGMA integrity_check' 2>&1)
	if [ "$i" != ok ]; then
		bad=$((bad + 1))
		echo "$name N=$n: integrity: $i"
	fi
}
n=$from
while [ "$n" -le "$to" ]; do
	try dossier-new "0 70" o0.db dossier-new -d t.db --as root in.jsonl
	try dossier-route "0 1 70" r0.db dossier-route -d t.db --as an.nv \
	    start -H hai.pm <codes.jsonl
	n=$((n + step))
done
echo "oom: $runs runs, $bad not clean (N from $from to $to by $step)"
[ "$bad" -eq 0 ]
