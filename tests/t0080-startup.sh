#!/bin/sh
# What a tool loads and sets up when it starts: a tool that only reads
# links no libcrypto and no libarchive, and libcrypto is set up only by
# the tools and commands that hash, sign or verify (crypto.h).  Calls of
# the tool into libcrypto are seen with LD_DEBUG=bindings: a program
# linked without -z now binds each function on its first call.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with 20 dossiers' '
	init_demo && gen-dossiers -n 20 -s 8 -c "$CATALOG" >apps.jsonl &&
	dossier-new apps.jsonl >new.jsonl'

if command -v ldd >/dev/null 2>&1; then
	expect_ok 'dossier-status and dossier-report link no libcrypto or libarchive' '
		for t in dossier-status dossier-report; do
			ldd "$DOSSIER_BIN/$t" >ldd.txt || exit 1
			has libsqlite3 ldd.txt || exit 1
			if grep -E "libcrypto|libarchive" ldd.txt; then
				echo "$t loads them"; exit 1
			fi
		done'
	expect_ok '... dossier-new links libcrypto, dossier-bundle libarchive' '
		ldd "$DOSSIER_BIN/dossier-new" >ldd.txt && has libcrypto ldd.txt &&
		ldd "$DOSSIER_BIN/dossier-bundle" >ldd.txt && has libarchive ldd.txt'
else
	skip 'dossier-status and dossier-report link no libcrypto or libarchive' \
	    'no ldd'
	skip '... dossier-new links libcrypto, dossier-bundle libarchive' 'no ldd'
fi

# calls TOOL ARGS...: the libcrypto functions TOOL calls, in calls.txt
calls() {
	_t=$1
	shift
	LD_DEBUG=bindings "$_t" "$@" 2>bind.txt >out.txt
	_s=$?
	grep "$_t \[0\] to .*libcrypto" bind.txt >calls.txt
	return "$_s"
}
if readelf -d "$DOSSIER_BIN/dossier-admin" 2>/dev/null | grep -q NOW ||
    ! LD_DEBUG=bindings env true 2>&1 | grep -q binding; then
	why='bound at start (-z now) or no LD_DEBUG'
	skip 'dossier-admin catalog export sets no libcrypto up' "$why"
	skip 'dossier-admin seal does' "$why"
	skip 'dossier-new does, before its reader thread' "$why"
else
	expect_ok 'dossier-admin catalog export sets no libcrypto up' '
		calls dossier-admin catalog export && has "\"kind\"" out.txt &&
		! grep -E "OPENSSL_init_crypto|EVP_" calls.txt'
	expect_ok 'dossier-admin seal does' '
		calls dossier-admin seal && has OPENSSL_init_crypto calls.txt'
	expect_ok 'dossier-new does, before its reader thread' '
		gen-dossiers -n 2 -s 9 -c "$CATALOG" >two.jsonl &&
		calls dossier-new two.jsonl && has OPENSSL_init_crypto calls.txt'
fi

finish
