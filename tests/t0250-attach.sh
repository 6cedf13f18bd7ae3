#!/bin/sh
# dossier-new: attached files come from the attachment folder only, and a
# file that cannot be read rejects its record, never the run.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF FILE: an application whose first document attaches FILE
app() {
	birth "$1" "$2"
}
# stored REF: 1 if a dossier with REF was stored, else 0
stored() {
	sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM dossiers WHERE ref = '$1'"
}
# refused REF FILE TEXT: FILE rejects only its record, with TEXT, named
# stdin:2 (line 1 is a good record, which is stored)
refused() {
	{ app "ok-$1" scan.pdf; app "$1" "$2"; } >"in-$1.jsonl"
	dossier-new --attachments att <"in-$1.jsonl" >out.jsonl 2>err.txt
	s=$?
	has "stdin:2: documents[0]: file '$2': $3" err.txt &&
	test "$(wc -l <err.txt)" = 1 && test "$(wc -l <out.jsonl)" = 1 &&
	test "$(stored "ok-$1")" = 1 && test "$(stored "$1")" = 0 || exit 99
	exit "$s"
}

mkdir att outside
printf 'certificate scan' >att/scan.pdf
printf 'secret' >outside/secret.txt
ln -s ../outside/secret.txt att/link.pdf
ln -s ../outside att/linkdir
ln -s self att/self
mkdir att/folder
ln "$DOSSIER_DB" att/db.pdf
mkfifo att/fifo.pdf

expect_ok 'a file of the attachment folder is stored' '
	app a-1 scan.pdf | dossier-new --attachments att >out.jsonl &&
	jq -e ".documents[0].sha256 == \"$(sha256sum att/scan.pdf | cut -d" " -f1)\"" out.jsonl'
expect_ok 'the attachment folder is the current folder by default' '
	cd att && app a-2 ./scan.pdf | dossier-new >../out.jsonl &&
	test "$(stored a-2)" = 1'
expect_code 1 'an absolute path is refused' '
	refused abs /etc/passwd "an absolute path"'
expect_code 1 'a path with .. is refused' '
	refused dotdot ../outside/secret.txt "a '\''..'\'' component"'
expect_code 1 'a /proc file is refused' '
	refused proc /proc/self/environ "an absolute path"'
expect_code 1 'a symbolic link out of the folder is refused' '
	refused link link.pdf "a symbolic link"'
expect_code 1 'a symbolic link to a folder on the way is refused' '
	refused linkdir linkdir/secret.txt "a symbolic link"'
expect_code 1 'a symbolic link loop rejects only its record' '
	refused loop self "a symbolic link"'
expect_code 1 'a folder rejects only its record' '
	refused folder folder "not a regular file"'
expect_code 1 'a file named as a folder rejects only its record' '
	refused notdir scan.pdf/x "Not a directory"'
expect_code 1 'a missing file rejects only its record' '
	refused missing nosuch.pdf "No such file or directory"'
expect_code 1 'the database under another name is refused' '
	refused db db.pdf "the office database'\''s own file"'
expect_code 1 'the database through the current folder is refused' '
	cd "$T" && { app ok-wal att/scan.pdf; app wal office.db-wal; } |
	dossier-new >out.jsonl 2>err.txt; s=$?
	has "stdin:2: documents[0]: file '\''office.db-wal'\'': the office database'\''s own file" err.txt || exit 99
	exit $s'
expect_code 1 'a FIFO is refused at once, and a concurrent writer finishes' '
	{ app ok-f scan.pdf; app fifo fifo.pdf; } >fifo.jsonl &&
	{ app ok-c1 scan.pdf; app ok-c2 scan.pdf; } >other.jsonl &&
	{ timeout 20 dossier-new --attachments att fifo.jsonl >f.out 2>f.err; echo $? >f.rc; } &
	sleep 1 &&
	timeout 20 dossier-new --attachments att other.jsonl >o.out 2>o.err &&
	wait && test "$(stored ok-c2)" = 1 && test "$(stored ok-f)" = 1 &&
	has "fifo.jsonl:2: documents[0]: file '\''fifo.pdf'\'': not a regular file" f.err &&
	exit "$(cat f.rc)"'
expect_code 65 'a refused file in atomic mode stores nothing' '
	{ app ok-at scan.pdf; app at folder; } | dossier-new -A --attachments att >out.jsonl 2>err.txt; s=$?
	has "stdin:2: documents[0]: file '\''folder'\'': not a regular file" err.txt &&
	test "$(stored ok-at)" = 0 || exit 99
	exit $s'
expect_code 66 'a missing attachment folder is exit 66' '
	app m scan.pdf | dossier-new --attachments nosuch'
expect_code 64 'a file size limit above what SQLite stores is refused' '
	dossier-new --max-file-size 1000000000 </dev/null 2>err.txt; s=$?
	has "more than the" err.txt || exit 99
	exit $s'
expect_code 1 'a file over the size limit rejects only its record' '
	{ app ok-big scan.pdf; head -c 2000 /dev/zero >att/big.pdf; app big big.pdf; } |
	dossier-new --attachments att --max-file-size 1000 >out.jsonl 2>err.txt; s=$?
	has "stdin:2: documents[0]: file '\''big.pdf'\'': 2000 bytes, more than the limit of 1000" err.txt || exit 99
	exit $s'
expect_ok 'a large file is stored whole, once' '
	head -c 5000000 /dev/urandom >att/large.pdf &&
	{ app large-1 large.pdf; app large-2 large.pdf; } |
	dossier-new --attachments att >out.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM blobs WHERE size = 5000000")" = 1 &&
	jq -e ".documents[0].size == 5000000" out.jsonl >/dev/null'

expect_ok 'a file that does not compress is kept as it is, one that does is compressed' '
	seq 1 20000 >att/list.pdf &&
	app squeeze list.pdf | dossier-new --attachments att >out.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT raw, length(data) = size FROM blobs WHERE size = 5000000")" = "1|1" &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT raw, length(data) < size / 2 FROM blobs WHERE size = $(wc -c <att/list.pdf)")" = "0|1"'
expect_ok '... and check reads both back to their SHA-256' '
	dossier-admin check >check.json && jq -e ".ok" check.json >/dev/null &&
	rm -f copy.db && sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''copy.db'\''" &&
	sqlite3 copy.db "UPDATE blobs SET data = zeroblob(length(data)) WHERE raw = 1 AND size = 5000000" &&
	{ dossier-admin -d copy.db check >check.json 2>err.txt; test $? = 65; } &&
	has "content does not match its SHA-256" err.txt'

# permission denied: only an unprivileged user meets it
if [ "$(id -u)" != 0 ]; then
	expect_code 1 'an unreadable file rejects only its record' '
		printf x >att/locked.pdf && chmod 000 att/locked.pdf &&
		refused perm locked.pdf "Permission denied"'
elif chmod 777 "$T" && ! why=$(nobody_cannot "$T" "$DOSSIER_BIN/dossier-new")
then
	expect_code 1 'an unreadable file rejects only its record' '
		printf "{\"kind\":\"staff\",\"login\":\"nobody\",\"name\":\"Người nhận\",\"unit\":\"000.00.01.H56\",\"roles\":[\"reception\"]}\n" >nobody.jsonl &&
		dossier-admin catalog import nobody.jsonl >/dev/null &&
		printf x >att/locked.pdf && chmod 000 att/locked.pdf &&
		chmod 777 "$T" && chmod 666 "$DOSSIER_DB" &&
		{ app ok-perm scan.pdf; app perm locked.pdf; } >perm.jsonl &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    dossier-new --attachments att perm.jsonl >out.jsonl 2>err.txt; s=$?
		has "perm.jsonl:2: documents[0]: file '\''locked.pdf'\'': Permission denied" err.txt &&
		test "$(stored ok-perm)" = 1 && test "$(stored perm)" = 0 || exit 99
		exit $s'
else
	skip 'an unreadable file rejects only its record' "$why"
fi

expect_code 74 'the spool and large files go to TMPDIR' '
	app tmp-1 scan.pdf | TMPDIR="$T/nosuch" dossier-new --attachments att >out.jsonl 2>err.txt; s=$?
	has "cannot create a temporary file in '\''$T/nosuch'\''" err.txt || exit 99
	exit $s'
expect_ok '... and work there' '
	mkdir tmp && head -c 1000000 /dev/urandom >att/tmp.pdf &&
	app tmp-2 tmp.pdf | TMPDIR="$T/tmp" dossier-new --attachments att >out.jsonl &&
	test "$(stored tmp-2)" = 1'

expect_ok 'check verifies the chain after all of this' '
	dossier-admin check >check.json && jq -e ".ok" check.json'

finish
