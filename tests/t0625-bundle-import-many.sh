#!/bin/sh
# dossier-bundle import of many dossiers: more than an import holds in
# memory at once (1,000 dossiers' states) and more than one statement
# puts into the search index (4,096 entries), with attachments that
# compress and attachments that do not.  The province then holds the
# commune's dossiers as the commune does, finds each of them by name,
# and its attachments read back whole.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317,SC2034
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

C=000.00.22.H56
P=000.00.01.H56
N=4200

# names DB: for each first word of the applicants' names, the codes of
# the dossiers that dossier-status --name finds with it, one line each
names() {
	jq -r ".applicant.name | split(\" \")[0]" all.jsonl | sort -u |
	while read -r w; do
		dossier-status -d "$1" --name "$w" | jq -r .code | sort |
		    tr '\n' ' ' | sed "s/^/$w: /"
		echo
	done
}

expect_ok 'setup: a commune with 4,200 dossiers, 20 with attachments' '
	for o in c:$C p:$P; do
		dossier-admin -d "${o%%:*}.db" init --agency "${o#*:}" --name "O ${o#*:}" >/dev/null &&
		dossier-admin -d "${o%%:*}.db" catalog import "$CATALOG" >/dev/null || exit 1
	done &&
	dossier-bundle -d p.db trust add $C "$(dossier-bundle -d c.db key | jq -r .public_key)" >/dev/null &&
	dossier-bundle -d c.db trust add $P "$(dossier-bundle -d p.db key | jq -r .public_key)" >/dev/null &&
	mkdir att && head -c 1000000 /dev/urandom | split -b 100000 -a 2 -d - att/r &&
	i=0 && while [ $i -lt 10 ]; do
		seq 1 $((3000 + i * 1000)) >att/t$i && i=$((i + 1)) || exit 1
	done &&
	gen-dossiers -c "$CATALOG" -n $N -s 7 -p mm |
	    awk "NR <= 10 { sub(/\"file\":null/, sprintf(\"\\\"file\\\":\\\"r%02d\\\"\", NR - 1)) }
		NR > 10 && NR <= 20 { sub(/\"file\":null/, sprintf(\"\\\"file\\\":\\\"t%d\\\"\", NR - 11)) } 1" |
	    dossier-new -d c.db --as root --attachments att -b 10000 >/dev/null &&
	test "$(sqlite3 c.db "SELECT count(*) FROM dossiers")" = $N &&
	test "$(sqlite3 c.db "SELECT count(*) FROM blobs")" = 20 &&
	dossier-bundle -d c.db export --to $P -o b.bundle >/dev/null'
expect_ok 'the import brings every dossier and attachment' '
	dossier-bundle -d p.db import b.bundle >out.json &&
	jq -e ".events_new == $N and .dossiers_new == $N and .blobs_new == 20
	    and .conflicts == 0" out.json >/dev/null &&
	dossier-status -d c.db >all.jsonl && dossier-status -d p.db >p.jsonl &&
	jq -c "{code, ref, owner, status, due_at, applicant, documents}" all.jsonl >c.cmp &&
	jq -c "{code, ref, owner, status, due_at, applicant, documents}" p.jsonl >p.cmp &&
	same c.cmp p.cmp'
expect_ok 'the province finds each dossier by name as the commune does' '
	names c.db >c.names && names p.db >p.names && same c.names p.names &&
	test "$(tr " " "\n" <p.names | grep -c "^$C-")" -ge $N &&
	sqlite3 p.db "INSERT INTO dossier_search (dossier_search, rank)
	    VALUES ('\''integrity-check'\'', 0)"'
expect_ok 'the attachments read back whole: random bytes as they are, text compressed' '
	dossier-admin -d p.db check >check.json &&
	jq -e ".ok and .dossiers == $N and .projection_mismatches == 0 and
	    .blobs == 20 and .blob_errors == 0" check.json >/dev/null &&
	test "$(sqlite3 p.db "SELECT count(*) FROM blobs
	    WHERE raw = 1 AND length(data) = size")" = 10 &&
	test "$(sqlite3 p.db "SELECT count(*) FROM blobs
	    WHERE raw = 0 AND length(data) < size / 2")" = 10'
expect_code 65 'a raw attachment with a byte changed is found by check' '
	cp p.db p2.db &&
	sqlite3 p2.db "UPDATE blobs SET data = randomblob(size)
	    WHERE id = (SELECT min(id) FROM blobs WHERE raw = 1)" &&
	dossier-admin -d p2.db check >check.json 2>err.txt; s=$?
	has "content does not match its SHA-256 and size" err.txt &&
	jq -e ".blob_errors == 1" check.json >/dev/null || exit 99
	exit $s'
expect_code 65 '... and so is an attachment whose raw flag is flipped, either way' '
	cp p.db p3.db &&
	sqlite3 p3.db "UPDATE blobs SET raw = 1 - raw WHERE id IN
	    ((SELECT min(id) FROM blobs WHERE raw = 1),
	     (SELECT min(id) FROM blobs WHERE raw = 0))" &&
	dossier-admin -d p3.db check >check.json 2>err.txt; s=$?
	jq -e ".blob_errors == 2" check.json >/dev/null || exit 99
	exit $s'
expect_ok 'an export reads raw attachments whole' '
	sqlite3 c.db ".backup c2.db" && cp c.db.key c2.db.key &&
	for f in att/r0*; do
		h=$(sha256sum "$f" | cut -d" " -f1) &&
		sqlite3 c2.db "UPDATE blobs SET data = readfile('\''$f'\''), raw = 1
		    WHERE sha256 = '\''$h'\''" || exit 1
	done &&
	test "$(sqlite3 c2.db "SELECT count(*) FROM blobs WHERE raw = 1")" = 10 &&
	dossier-admin -d c2.db check >/dev/null &&
	dossier-bundle -d c2.db export --to $P -o b2.bundle >/dev/null &&
	mkdir x && tar -xzf b2.bundle -C x &&
	for f in att/*; do
		cmp "$f" "x/blobs/$(sha256sum "$f" | cut -d" " -f1)" || exit 1
	done'
expect_ok 'a second import of the same bundle changes nothing' '
	dossier-bundle -d p.db import b.bundle >again.json &&
	jq -e ".events_new == 0 and .dossiers_new == 0 and .blobs_new == 0" again.json >/dev/null &&
	test "$(sqlite3 p.db "SELECT count(*) FROM dossiers")" = $N'
finish
