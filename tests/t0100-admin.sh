#!/bin/sh
# t0100-admin.sh: dossier-admin init, keys, check, backup and the exit
# codes every tool shares (dossier(5), dossier(7)).
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

# --- init ------------------------------------------------------------------

expect_ok 'init prints one JSON line: agency, name, public key, db' '
	dossier-admin init --agency 000.00.22.H56 \
	    --name "UBND xã Phước Thắng" >init.json &&
	test "$(wc -l <init.json)" -eq 1 &&
	jq -e --arg db "$DOSSIER_DB" ".v == 1 and
	    .agency == \"000.00.22.H56\" and
	    .name == \"UBND xã Phước Thắng\" and
	    (.public_key | test(\"^[0-9a-f]{64}\$\")) and .db == \$db" \
	    init.json >/dev/null
'

expect_ok 'the new database has mode 0600' '
	test "$(stat -c %a "$DOSSIER_DB")" = 600
'

expect_ok 'init with -d FILE creates FILE' '
	dossier-admin -d other.db init --agency 000.00.23.H56 --name B \
	    >other.json &&
	test -f other.db &&
	jq -e ".db == \"other.db\" and .agency == \"000.00.23.H56\"" \
	    other.json >/dev/null
'

expect_ok 'two databases get two different keys' '
	jq -r .public_key init.json >k1 &&
	jq -r .public_key other.json >k2 &&
	! cmp -s k1 k2
'

cp "$DOSSIER_DB" before.db
expect_code 73 'init refuses an existing database' '
	dossier-admin init --agency 000.00.22.H56 --name X >out 2>err
'
expect_ok '... and leaves it unchanged, with a message' '
	cmp before.db "$DOSSIER_DB" && has "already exists" err &&
	test ! -s out
'

for code in 000.0.22.H56 000.00.22.h56 000.00.22.H5 0000.00.22.H56 \
    000.00.22.56H 000-00-22-H56 ''; do
	expect_code 65 "init refuses agency code '$code'" "
		dossier-admin -d bad.db init --agency '$code' --name X
	"
	expect_ok "... and creates no file" 'test ! -e bad.db'
done

expect_code 64 'init without --name is a usage error' '
	dossier-admin -d bad.db init --agency 000.00.22.H56
'
expect_code 64 'init with an empty --name is a usage error' '
	dossier-admin -d bad.db init --agency 000.00.22.H56 --name ""
'
expect_code 64 'init without --agency is a usage error' '
	dossier-admin -d bad.db init --name X
'
expect_code 64 'init with an extra operand is a usage error' '
	dossier-admin -d bad.db init --agency 000.00.22.H56 --name X extra
'
expect_ok 'no file was created by the usage errors' 'test ! -e bad.db'

expect_code 64 'init with no -d and no DOSSIER_DB' '
	unset DOSSIER_DB &&
	dossier-admin init --agency 000.00.22.H56 --name X
'
expect_code 64 'check with no -d and DOSSIER_DB empty' '
	DOSSIER_DB= dossier-admin check
'
expect_code 64 'an unknown subcommand is a usage error' 'dossier-admin frob'
expect_code 64 'no subcommand is a usage error' 'dossier-admin'
expect_code 64 'an unknown option is a usage error' 'dossier-admin -x check'
expect_code 64 'an unknown catalog subcommand' 'dossier-admin catalog frob'
expect_code 64 'an unknown keys subcommand' 'dossier-admin keys frob'
expect_code 64 'check takes no operand' 'dossier-admin check extra'

# --- a missing or foreign database -------------------------------------------

for cmd in 'check' 'keys show' 'catalog export' "catalog import $CATALOG" \
    'calendar show 2026' 'calendar hours 07:00-11:00' 'backup copy.db'; do
	expect_code 66 "$cmd on a missing database" "
		dossier-admin -d missing.db $cmd
	"
done
expect_ok '... which are not created' 'test ! -e missing.db && test ! -e copy.db'

printf 'hello, world\n' >text.db
cp text.db text.orig
expect_code 65 'a text file is not a database (check)' '
	dossier-admin -d text.db check 2>err
'
expect_ok '... the message says so' 'has "not a" err'
expect_code 65 'a text file is not a database (catalog import)' '
	dossier-admin -d text.db catalog import "$CATALOG"
'
expect_ok '... and it is left unchanged' 'cmp text.orig text.db'

expect_ok 'setup: an SQLite file of another application' '
	sqlite3 foreign.db "CREATE TABLE t (x); INSERT INTO t VALUES (1);"'
expect_code 65 'an SQLite file of another application is refused' '
	dossier-admin -d foreign.db check 2>err
'
expect_ok '... as "not a dossier database"' 'has "not a dossier database" err'
expect_code 65 '... also by a writing command' '
	dossier-admin -d foreign.db calendar import /dev/null
'

# --- keys, check -------------------------------------------------------------

expect_ok 'keys show prints the public key init printed' '
	dossier-admin keys show >keys.json &&
	jq -r .public_key init.json >want &&
	jq -r .public_key keys.json >got &&
	same want got &&
	jq -e ".agency == \"000.00.22.H56\"" keys.json >/dev/null
'

expect_ok 'check on a fresh database: ok' '
	dossier-admin check >check.json &&
	has "\"ok\":true" check.json &&
	jq -e ".integrity_errors == 0 and .foreign_key_errors == 0 and
	    .events == 0 and .broken_chains == 0" check.json >/dev/null
'

expect_ok 'the demo catalog imports' '
	dossier-admin catalog import "$CATALOG" >/dev/null
'
expect_ok 'check with a catalog: ok' '
	dossier-admin check >check.json && has "\"ok\":true" check.json
'

expect_ok 'setup: a copy with a staff row in a missing unit' '
	cp "$DOSSIER_DB" fk.db &&
	sqlite3 fk.db "INSERT INTO staff (login, name, unit, roles)
	    VALUES ('\''ghost'\'', '\''Ghost'\'', '\''000.99.99.H56'\'', '\''[\"admin\"]'\'');"
'
expect_code 65 'check finds a row referring to a missing unit' '
	dossier-admin -d fk.db check >fk.json 2>fk.err
'
expect_ok '... counts it and names the table' '
	jq -e ".ok == false and .foreign_key_errors == 1 and
	    .integrity_errors == 0" fk.json >/dev/null &&
	has "foreign key" fk.err && has "staff" fk.err
'

# --- a full disk on stdout: 74 ------------------------------------------------

for cmd in 'keys show' 'check' 'catalog export' 'calendar show 2026'; do
	if [ -w /dev/full ]; then
		expect_code 74 "$cmd with stdout on a full disk" "
			dossier-admin $cmd >/dev/full
		"
	else
		skip "$cmd with stdout on a full disk" "no /dev/full"
	fi
done

# --- backup ------------------------------------------------------------------

printf '%s\n' '{"date":"2026-02-07","kind":"workday","name":"Làm bù"}' \
    >cal.jsonl
expect_ok 'setup: a calendar override' '
	dossier-admin calendar import cal.jsonl >/dev/null'

expect_ok 'backup writes a copy and says where' '
	dossier-admin backup copy.db >backup.json &&
	jq -e ".backup == \"copy.db\"" backup.json >/dev/null
'
expect_ok 'the copy has mode 0600' 'test "$(stat -c %a copy.db)" = 600'
expect_ok 'check accepts the copy' '
	dossier-admin -d copy.db check >check.json &&
	has "\"ok\":true" check.json
'
expect_ok 'the copy has the same catalog, calendar and public key' '
	dossier-admin catalog export >orig.jsonl &&
	dossier-admin -d copy.db catalog export >copy.jsonl &&
	test -s orig.jsonl && same orig.jsonl copy.jsonl &&
	dossier-admin calendar show 2026 >orig.cal &&
	dossier-admin -d copy.db calendar show 2026 >copy.cal &&
	has "\"override\"" copy.cal && same orig.cal copy.cal &&
	dossier-admin keys show >orig.key &&
	dossier-admin -d copy.db keys show >copy.key &&
	jq -r .public_key orig.key >want && jq -r .public_key copy.key >got &&
	same want got
'
expect_ok '... but not the secret key' '
	test ! -e copy.db.key &&
	jq -e ".key_state == \"missing\"" copy.key >/dev/null &&
	secret=$(cut -d" " -f2 "$DOSSIER_DB.key") && test ${#secret} = 64 &&
	od -An -tx1 -v copy.db | tr -d " \n" >copy.hex &&
	! grep -q "$secret" copy.hex
'

cp copy.db copy.orig
expect_code 73 'backup refuses an existing target' '
	dossier-admin backup copy.db 2>err
'
expect_ok '... and leaves it unchanged' '
	cmp copy.orig copy.db && has "already exists" err
'
expect_code 64 'backup needs a target' 'dossier-admin backup'

# Two override sets for 2027, of 3 and 5 days: a writer loop switches
# between them with `calendar import -r 2027` (delete and insert in one
# transaction), so a consistent snapshot holds 3 or 5 days of 2027.
for d in 02 03 04; do
	printf '{"date":"2027-03-%s","kind":"holiday","name":"A"}\n' "$d"
done >a.jsonl
for d in 05 06 07 08 09; do
	printf '{"date":"2027-03-%s","kind":"holiday","name":"B"}\n' "$d"
done >b.jsonl
expect_ok 'setup: the first override set' '
	dossier-admin calendar import -r 2027 a.jsonl >/dev/null'

expect_ok 'backup while another process writes: consistent copies' '
	(
		while [ ! -e stop ]; do
			dossier-admin calendar import -r 2027 b.jsonl \
			    >/dev/null &&
			dossier-admin calendar import -r 2027 a.jsonl \
			    >/dev/null || exit 1
			echo >>progress
		done
	) &
	writer=$!
	n=1
	while [ "$n" -le 8 ]; do
		dossier-admin backup "live$n.db" >/dev/null || break
		n=$((n + 1))
	done
	while [ ! -s progress ] && kill -0 "$writer" 2>/dev/null; do
		sleep 1
	done
	: >stop
	wait "$writer" && test "$n" -gt 8 && test -s progress &&
	for f in live*.db; do
		dossier-admin -d "$f" check >"$f.check" &&
		has "\"ok\":true" "$f.check" &&
		sqlite3 "$f" "SELECT count(*) FROM calendar_overrides
		    WHERE CAST(substr(day, 1, 4) AS INTEGER) = 2027" \
		    >"$f.count" &&
		grep -qx "[35]" "$f.count" &&
		dossier-admin -d "$f" catalog export >"$f.cat" &&
		same orig.jsonl "$f.cat" || {
			echo "bad copy $f" >&2
			exit 1
		}
	done
'

finish
