#!/bin/sh
# torture.sh: the long forms of the fault tests (make torture; not in
# make check).  Each fault is run many times and must hold every time:
#
#   kill-import    dossier-new killed with SIGKILL at a random instant of
#                  an import, $KILLS times: integrity ok, whole batches
#                  only, check ok, and a rerun of the same input completes
#                  it exactly once
#   kill-route     the same for dossier-route starting every dossier
#   writers        $WRITERS processes each importing and routing its own
#                  dossiers in a loop for $SECONDS_ seconds: every run
#                  exits 0, nothing is lost or doubled, check ok
#   full-disk      dossier-new and dossier-route under a file size limit
#                  (SIGXFSZ ignored) of $DISKS sizes: 0 or 74 with a
#                  message, whole batches only, check ok, a rerun
#                  completes it
#   io-error       the same under tests/failio.c (LD_PRELOAD): the Nth
#                  write or sync SQLite makes, and every one after (or,
#                  one run in three, that one alone) fails with EIO or
#                  ENOSPC, N at random, $IOS times each
#   read-only      the database on a read-only mount (unshare -m, as
#                  root), clean and with the -wal of a killed import:
#                  every reader works and sees what was committed, every
#                  writer exits 74 naming the read-only file system, and
#                  the files are unchanged
#
# The table of results (fault, runs, result) is printed and written
# between the torture markers of tests/RELIABILITY.md.  Exits 1 if any
# run failed; the failing runs' databases are kept under $TMPDIR.
#
#   tests/torture.sh            KILLS=50 WRITERS=8 SECONDS_=180 DISKS=20 IOS=20
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case $O in
/*) bindir=$O ;;
*) bindir=$root/$O ;;
esac
PATH="$bindir:$PATH"
export PATH
KILLS=${KILLS:-50}
WRITERS=${WRITERS:-8}
SECONDS_=${SECONDS_:-180}
DISKS=${DISKS:-20}
IOS=${IOS:-20}
N=${N:-6000}
B=200
CATALOG=$root/examples/catalog.jsonl

W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-torture.XXXXXX")
cd "$W" || exit 1
DOSSIER_DB=$W/office.db
export DOSSIER_DB
table=""
failed=0

say() {
	echo "torture: $*" >&2
}

# row FAULT RUNS RESULT: one line of the table
row() {
	table="$table| $1 | $2 | $3 |
"
}

# rnd: a random number in 0..65535
rnd() {
	od -An -N2 -tu2 /dev/urandom | tr -d ' '
}

# q SQL: one value from the database
q() {
	sqlite3 "$DOSSIER_DB" "$1"
}

# whole: integrity ok and check ok
whole() {
	test "$(q 'PRAGMA integrity_check')" = ok &&
	    dossier-admin check >check.json 2>check.err &&
	    jq -e .ok check.json >/dev/null
}

# copy_db FROM: the office database (and its key file) from template FROM
copy_db() {
	rm -f "$DOSSIER_DB" "$DOSSIER_DB"-wal "$DOSSIER_DB"-shm
	cp "$1" "$DOSSIER_DB" || return 1
	if [ -e "$1.key" ]; then
		cp -p "$1.key" "$DOSSIER_DB.key" || return 1
	fi
}

# keep NAME: keep the database of a failed run
keep() {
	mkdir -p "kept/$1"
	cp "$DOSSIER_DB"* "kept/$1/" 2>/dev/null
	say "$1: failed; database kept in $W/kept/$1"
}

# ---- the template: an office with its catalog, and the inputs ----
if ! { dossier-admin init --agency 000.00.01.H56 --name "Torture" \
    >/dev/null && dossier-admin catalog import "$CATALOG" >/dev/null &&
    gen-dossiers -n "$N" -s 1 -c "$CATALOG" >apps.jsonl; }; then
	say "cannot set up the template"
	exit 1
fi
sqlite3 "$DOSSIER_DB" "VACUUM INTO 'empty.db'" || exit 1
[ -e "$DOSSIER_DB.key" ] && cp -p "$DOSSIER_DB.key" empty.db.key

# the duration of a whole import, to spread the kills over it
t0=$(date +%s%N)
dossier-new --accept -b $B apps.jsonl >/dev/null || exit 1
t1=$(date +%s%N)
T_IMPORT=$(((t1 - t0) / 1000000))
sqlite3 "$DOSSIER_DB" "VACUUM INTO 'full.db'" || exit 1
[ -e "$DOSSIER_DB.key" ] && cp -p "$DOSSIER_DB.key" full.db.key
dossier-status --status accepted >accepted.jsonl || exit 1
t0=$(date +%s%N)
dossier-route --as an.nv -b $B start -H hai.pm <accepted.jsonl >/dev/null ||
    exit 1
t1=$(date +%s%N)
T_ROUTE=$(((t1 - t0) / 1000000))
say "a whole import takes ${T_IMPORT} ms, routing it ${T_ROUTE} ms"

# ---- kill -9 during an import ----
bad=0 mid=0
i=1
while [ "$i" -le "$KILLS" ]; do
	copy_db empty.db || exit 1
	ms=$(($(rnd) * T_IMPORT / 65536))
	dossier-new --accept -b $B apps.jsonl >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	[ $? = 137 ] && mid=$((mid + 1))
	n=$(q 'SELECT count(*) FROM dossiers')
	if ! whole || { [ $((n % B)) != 0 ] && [ "$n" != "$N" ]; } ||
	    [ "$(q 'SELECT count(*) FROM events')" != "$n" ] ||
	    ! dossier-new --accept -b $B apps.jsonl >again.jsonl 2>again.err ||
	    [ "$(q 'SELECT count(*) FROM dossiers')" != "$N" ] ||
	    [ "$(q 'SELECT count(DISTINCT ref) FROM dossiers')" != "$N" ] ||
	    [ "$(jq -s 'map(select(.existing)) | length' again.jsonl)" != "$n" ] ||
	    ! whole; then
		bad=$((bad + 1))
		keep "kill-import-$i (killed at ${ms} ms, $n stored)"
	fi
	i=$((i + 1))
done
say "kill-import: $KILLS runs, $mid killed while running, $bad failed"
row "kill -9 during dossier-new ($N records, batches of $B)" \
    "$KILLS ($mid killed mid-import)" \
    "$([ $bad = 0 ] && echo "ok: integrity, whole batches, exact rerun" ||
    echo "**$bad failed**")"
failed=$((failed + bad))

# ---- kill -9 during routing ----
# rest: the dossiers still accepted, in rest.jsonl (exit 1: none)
rest() {
	dossier-status --status accepted >rest.jsonl 2>rest.err
	[ $? -le 1 ] && ! [ -s rest.err ]
}
bad=0 mid=0
i=1
while [ "$i" -le "$KILLS" ]; do
	copy_db full.db || exit 1
	ms=$(($(rnd) * T_ROUTE / 65536))
	dossier-route --as an.nv -b $B start -H hai.pm <accepted.jsonl \
	    >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	[ $? = 137 ] && mid=$((mid + 1))
	s=$(q 'SELECT count(*) FROM dossiers WHERE status = 4')
	if ! whole || { [ $((s % B)) != 0 ] && [ "$s" != "$N" ]; } ||
	    [ "$(q 'SELECT count(*) FROM events')" != $((N + s)) ] ||
	    ! rest || ! dossier-route --as an.nv -b $B start -H hai.pm \
	    <rest.jsonl >again.jsonl 2>again.err ||
	    [ "$(q 'SELECT count(*) FROM dossiers WHERE status = 4')" != "$N" ] ||
	    [ "$(q 'SELECT count(*) FROM events')" != $((2 * N)) ] ||
	    ! whole; then
		bad=$((bad + 1))
		keep "kill-route-$i (killed at ${ms} ms, $s started)"
	fi
	i=$((i + 1))
done
say "kill-route: $KILLS runs, $mid killed while running, $bad failed"
row "kill -9 during dossier-route start ($N dossiers, batches of $B)" \
    "$KILLS ($mid killed mid-run)" \
    "$([ $bad = 0 ] && echo "ok: integrity, whole batches, exact rerun" ||
    echo "**$bad failed**")"
failed=$((failed + bad))

# ---- concurrent writers ----
# writer K: until the deadline, import the next 100 of its own
# applications, then start them; every run must exit 0
writer() {
	k=$1 end=$2 at=1 rounds=0
	gen-dossiers -n 20000 -s $((100 + k)) -p "w$k" -c "$CATALOG" \
	    >"w$k.jsonl" || return 1
	while [ "$(date +%s)" -lt "$end" ] && [ "$at" -lt 20000 ]; do
		sed -n "${at},$((at + 99))p" "w$k.jsonl" >"w$k.in"
		dossier-new --accept -b 50 "w$k.in" >"w$k.out" 2>>"w$k.err" || {
			echo "writer $k: dossier-new exit $?" >>"w$k.err"
			return 1
		}
		dossier-route --as an.nv -b 25 start -H hai.pm <"w$k.out" \
		    >/dev/null 2>>"w$k.err" || {
			echo "writer $k: dossier-route exit $?" >>"w$k.err"
			return 1
		}
		at=$((at + 100))
		rounds=$((rounds + 1))
	done
	echo "$rounds" >"w$k.rounds"
}
copy_db empty.db || exit 1
end=$(($(date +%s) + SECONDS_))
pids=""
k=1
while [ "$k" -le "$WRITERS" ]; do
	writer "$k" "$end" &
	pids="$pids $!"
	k=$((k + 1))
done
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
rounds=$(cat w*.rounds 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
n=$(q 'SELECT count(*) FROM dossiers')
if [ "$n" != $((rounds * 100)) ] ||
    [ "$(q 'SELECT count(*) FROM dossiers WHERE status = 4')" != "$n" ] ||
    [ "$(q 'SELECT count(*) FROM events')" != $((2 * n)) ] ||
    [ "$(q 'SELECT count(*) - count(DISTINCT code) FROM dossiers')" != 0 ] ||
    cat w*.err 2>/dev/null | grep -q . || ! whole; then
	bad=$((bad + 1))
	cat w*.err >&2 2>/dev/null
	keep "writers"
fi
say "writers: $WRITERS for ${SECONDS_} s, $rounds rounds of 100, $bad failed"
row "$WRITERS concurrent writers (import 100, start them; loop) for ${SECONDS_} s" \
    "$rounds rounds, $n dossiers, $((2 * n)) events" \
    "$([ $bad = 0 ] && echo "ok: every run exit 0, no busy error, no loss or duplicate" ||
    echo "**failed**")"
failed=$((failed + bad))

# ---- a full disk ----
# limited BLOCKS CMD...: CMD with files limited to BLOCKS 512-byte blocks
limited() {
	_b=$1
	shift
	(
		trap '' XFSZ
		ulimit -f "$_b"
		exec "$@"
	)
}
bad=0 full=0
i=1
while [ "$i" -le "$DISKS" ]; do
	# 1 to 8 MiB
	blocks=$((2048 + $(rnd) * 14336 / 65536))
	copy_db empty.db || exit 1
	limited "$blocks" dossier-new --accept -b $B apps.jsonl >out.jsonl 2>err.txt
	s1=$?
	n=$(q 'SELECT count(*) FROM dossiers')
	[ "$s1" = 74 ] && full=$((full + 1))
	ok=1
	case $s1 in
	0) [ "$n" = "$N" ] || ok=0 ;;
	74) grep -q "were not stored" err.txt &&
	    [ $((n % B)) = 0 ] && [ "$(wc -l <out.jsonl)" = "$n" ] || ok=0 ;;
	*) ok=0 ;;
	esac
	whole || ok=0
	dossier-new --accept -b $B apps.jsonl >/dev/null 2>&1 &&
	    [ "$(q 'SELECT count(*) FROM dossiers')" = "$N" ] || ok=0
	limited "$blocks" dossier-route --as an.nv -b $B start -H hai.pm \
	    <accepted.jsonl >out.jsonl 2>err.txt
	s2=$?
	s=$(q 'SELECT count(*) FROM dossiers WHERE status = 4')
	[ "$s2" = 74 ] && full=$((full + 1))
	case $s2 in
	0) [ "$s" = "$N" ] || ok=0 ;;
	74) grep -q "were not applied" err.txt && [ $((s % B)) = 0 ] || ok=0 ;;
	*) ok=0 ;;
	esac
	whole || ok=0
	if [ "$ok" = 0 ]; then
		bad=$((bad + 1))
		keep "full-disk-$i ($blocks blocks, exits $s1 $s2)"
	fi
	i=$((i + 1))
done
say "full-disk: $DISKS sizes, $full runs stopped by the limit, $bad failed"
row "a full disk (ulimit -f of 1 to 8 MiB, SIGXFSZ ignored): import, then route" \
    "$((2 * DISKS)) ($full stopped at the limit)" \
    "$([ $bad = 0 ] && echo "ok: 0 or 74 with a message, whole batches, check ok, rerun completes" ||
    echo "**$bad failed**")"
failed=$((failed + bad))

# ---- I/O errors ----
failio=$bindir/failio.so
# the calls a whole import and a whole routing make, to draw N from
copy_db empty.db || exit 1
FAILIO_REPORT=$W/calls LD_PRELOAD=$failio \
    dossier-new --accept -b $B apps.jsonl >/dev/null || exit 1
K_IMPORT=$(cat calls)
FAILIO_REPORT=$W/calls LD_PRELOAD=$failio dossier-route --as an.nv -b $B \
    start -H hai.pm <accepted.jsonl >/dev/null || exit 1
K_ROUTE=$(cat calls)
say "a whole import makes $K_IMPORT writes and syncs, routing $K_ROUTE"
# iofail N ERRNO ONCE CMD...: CMD with the shim
iofail() {
	_n=$1 _err=$2 _once=$3
	shift 3
	FAILIO_AFTER=$_n FAILIO_ERRNO=$_err FAILIO_ONCE=$_once \
	    LD_PRELOAD=$failio "$@"
}
# ioerr FILE: FILE says what failed
ioerr() {
	grep -q "disk I/O error\|database or disk is full\|were not stored\|were not applied" "$1"
}
bad=0 hit=0
i=1
while [ "$i" -le "$IOS" ]; do
	err=EIO
	[ $((i % 2)) = 0 ] && err=ENOSPC
	once=0
	[ $((i % 3)) = 0 ] && once=1
	n1=$((1 + $(rnd) * K_IMPORT / 65536))
	n2=$((1 + $(rnd) * K_ROUTE / 65536))
	copy_db empty.db || exit 1
	iofail "$n1" "$err" "$once" dossier-new --accept -b $B apps.jsonl \
	    >out.jsonl 2>err.txt
	s1=$?
	n=$(q 'SELECT count(*) FROM dossiers')
	ok=1
	case $s1 in
	0) [ "$n" = "$N" ] && [ "$(wc -l <out.jsonl)" = "$N" ] || ok=0 ;;
	74) hit=$((hit + 1))
	    ioerr err.txt && [ $((n % B)) = 0 ] &&
	    [ "$(wc -l <out.jsonl)" = "$n" ] || ok=0 ;;
	*) ok=0 ;;
	esac
	whole || ok=0
	dossier-new --accept -b $B apps.jsonl >/dev/null 2>&1 &&
	    [ "$(q 'SELECT count(*) FROM dossiers')" = "$N" ] || ok=0
	iofail "$n2" "$err" "$once" dossier-route --as an.nv -b $B start \
	    -H hai.pm <accepted.jsonl >out.jsonl 2>err.txt
	s2=$?
	s=$(q 'SELECT count(*) FROM dossiers WHERE status = 4')
	case $s2 in
	0) [ "$s" = "$N" ] || ok=0 ;;
	74) hit=$((hit + 1))
	    ioerr err.txt && [ $((s % B)) = 0 ] || ok=0 ;;
	*) ok=0 ;;
	esac
	whole || ok=0
	rest && dossier-route --as an.nv -b $B start -H hai.pm <rest.jsonl \
	    >/dev/null 2>&1
	[ "$(q 'SELECT count(*) FROM dossiers WHERE status = 4')" = "$N" ] ||
	    ok=0
	if [ "$ok" = 0 ]; then
		bad=$((bad + 1))
		keep "io-error-$i ($err from call $n1/$n2, once=$once, exits $s1 $s2)"
	fi
	i=$((i + 1))
done
say "io-error: $IOS runs each, $hit stopped by the error, $bad failed"
row "I/O errors (LD_PRELOAD failio.so: the Nth write or sync and after, or it alone; EIO, ENOSPC): import, then route" \
    "$((2 * IOS)) ($hit stopped by the error)" \
    "$([ $bad = 0 ] && echo "ok: 0 or 74 with a message, whole batches, check ok, rerun completes" ||
    echo "**$bad failed**")"
failed=$((failed + bad))

# ---- read-only media ----
# inro CMD...: CMD in a mount namespace of its own where ro/ is mounted
# read-only
inro() {
	# shellcheck disable=SC2016
	unshare -m sh -c 'mount --bind "$0" "$0" &&
	    mount -o remount,ro,bind "$0" && exec "$@"' "$W/ro" "$@"
}
# rocase NAME CODE CMD...: on the read-only copy, CMD exits CODE (74 with
# the message of a read-only file system)
rocase() {
	_name=$1 _code=$2
	shift 2
	DOSSIER_DB=$W/ro/office.db inro "$@" >ro.out 2>ro.err
	_s=$?
	rocases=$((rocases + 1))
	if [ "$_s" != "$_code" ] || { [ "$_code" = 74 ] &&
	    ! grep -q "on a read-only file system" ro.err; }; then
		robad=$((robad + 1))
		say "read-only: $_name: exit $_s, wanted $_code: $(cat ro.err)"
	fi
}
# rorun KIND: the cases
rorun() {
	want=$(cat ro-count)
	rocase "dossier-status lookup" 0 dossier-status --status accepted
	[ "$(wc -l <ro.out)" = "$want" ] || {
		robad=$((robad + 1)); say "read-only: $(wc -l <ro.out) dossiers read, $want stored"; }
	rocase "dossier-report" 0 dossier-report --from 2026-01-01 --to 2026-12-31
	rocase "dossier-admin check" 0 dossier-admin check
	rocase "dossier-admin backup" 0 dossier-admin backup "$W/ro-backup-$1.db"
	rocase "dossier-new" 74 dossier-new --accept apps.jsonl
	rocase "dossier-route" 74 dossier-route --as an.nv start -H hai.pm \
	    <accepted.jsonl
	rocase "catalog import" 74 dossier-admin catalog import "$CATALOG"
	rocase "seal" 74 dossier-admin seal
}
rocases=0 robad=0
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
    mkdir -p ro && inro true; then
	for kind in clean wal; do
		rm -rf ro && mkdir ro || exit 1
		copy_db full.db || exit 1
		if [ "$kind" = wal ]; then
			# a -wal left by a kill, which readers must see through
			dossier-route --as an.nv -b 50 start -H hai.pm \
			    <accepted.jsonl >/dev/null 2>&1 &
			pid=$!
			sleep 0.3
			kill -9 "$pid" 2>/dev/null
			wait "$pid"
		fi
		cp -p "$DOSSIER_DB"* ro/ || exit 1
		q 'SELECT count(*) FROM dossiers WHERE status = 2' >ro-count
		(cd ro && cksum ./* >"$W/ro-before")
		rorun "$kind"
		(cd ro && cksum ./* >"$W/ro-after")
		cmp -s ro-before ro-after || {
			robad=$((robad + 1)); say "read-only: the files changed"; }
	done
	row "read-only media (ro bind mount; clean, and a -wal left by kill -9): 4 readers, 4 writers" \
	    "$rocases" \
	    "$([ $robad = 0 ] && echo "ok: readers see every commit, writers 74 naming the read-only file system, files unchanged" ||
	    echo "**$robad failed**")"
	failed=$((failed + robad))
else
	say "read-only: not run (needs root and unshare)"
	row "read-only media" 0 "not run: needs root and unshare(1)"
fi

# ---- the table ----
when=$(date -u +%Y-%m-%d)
out="Last run: $when, \`make torture\` (KILLS=$KILLS WRITERS=$WRITERS SECONDS_=$SECONDS_ DISKS=$DISKS IOS=$IOS), SQLite $(sqlite3 --version | cut -d' ' -f1).

| fault | runs | result |
|---|---|---|
$table"
printf '%s' "$out"
md=$root/tests/RELIABILITY.md
if [ -f "$md" ] && grep -q '^<!-- torture -->$' "$md"; then
	printf '%s' "$out" >table.md
	awk -v f=table.md '
	/^<!-- torture -->$/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
	/^<!-- \/torture -->$/ { skip = 0 }
	!skip' "$md" >"$md.new" && mv "$md.new" "$md"
	say "table written to tests/RELIABILITY.md"
fi
cd / || exit 1
if [ "$failed" = 0 ]; then
	rm -rf "$W"
	exit 0
fi
say "$failed runs failed; kept $W"
exit 1
