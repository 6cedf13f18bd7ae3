#!/bin/sh
# t0110-catalog.sh: dossier-admin catalog import and export: summaries,
# idempotence, round trips, procedure versions, every kind of bad record
# (all or nothing, each named FILE:LINE:) and the admin permission.
# The test commands are single-quoted on purpose: lib.sh evaluates them,
# and they call the functions below (which shellcheck cannot see).
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

# lines FILE LINE...: write each LINE to FILE.
lines() {
	f=$1
	shift
	printf '%s\n' "$@" >"$f"
}

# snapshot: remember the catalog and the whole database as they are now.
snapshot() {
	dossier-admin catalog export >before.jsonl &&
	sqlite3 "$DOSSIER_DB" .dump >before.dump
}

# unchanged: the catalog and the whole database are as at the snapshot.
unchanged() {
	dossier-admin catalog export >after.jsonl &&
	same before.jsonl after.jsonl &&
	sqlite3 "$DOSSIER_DB" .dump >after.dump &&
	same before.dump after.dump
}

# reject FILE LINE...: importing FILE exits 65, prints nothing on stdout,
# names exactly the lines FILE:LINE: given, and changes nothing.
reject() {
	f=$1
	shift
	dossier-admin catalog import "$f" >out 2>err
	rc=$?
	if [ "$rc" -ne 65 ]; then
		echo "exit status $rc, wanted 65; stderr:" >&2
		cat err >&2
		return 1
	fi
	if [ -s out ]; then
		echo "stdout not empty:" >&2
		cat out >&2
		return 1
	fi
	for l in "$@"; do
		has "$f:$l:" err || return 1
	done
	n=$(grep -c "^dossier-admin: $f:[0-9]*:" err)
	if [ "$n" -ne $# ]; then
		echo "$n lines named, wanted $#:" >&2
		cat err >&2
		return 1
	fi
	unchanged
}

# versions CODE: the stored versions of procedure CODE, one a line.
versions() {
	sqlite3 "$DOSSIER_DB" "SELECT version FROM procedures
	    WHERE code = '$1' ORDER BY version"
}

# first_steps CODE: "version|time of step 1" of each version of CODE.
first_steps() {
	sqlite3 "$DOSSIER_DB" "SELECT p.version, s.time_amount
	    FROM procedures p JOIN procedure_steps s ON s.procedure_id = p.id
	    WHERE p.code = '$1' AND s.seq = 1 ORDER BY p.version"
}

# Valid records that are not in the demo catalog.
U='{"kind":"unit","code":"000.00.99.H56","name":"UBND xã Mới","level":"commune","parent":"000.00.00.H56","remote":true}'
P='{"kind":"procedure","code":"1.999999","name":"Thủ tục thử","field":"Thử","level":"commune","time":{"amount":2,"unit":"working_days"},"steps":[{"name":"Thẩm định","role":"specialist","time":{"amount":1,"unit":"working_days"}},{"name":"Ký","unit":"000.00.99.H56","time":{"amount":4,"unit":"hours"}}]}'
S='{"kind":"staff","login":"moi.nv","name":"Nguyễn Văn Mới","unit":"000.00.99.H56","roles":["specialist","reception"]}'
# shellcheck disable=SC2034 # used in the test commands
nrec=$(grep -c . "$CATALOG")

# --- import, re-import, export ----------------------------------------------

expect_ok 'a new office database' '
	dossier-admin init --agency 000.00.01.H56 --name "Trung tâm" >/dev/null
'
# init made the office's own unit and its user (root, the catalog's
# admin) an admin: the catalog changes those two and adds the rest
expect_ok 'the demo catalog: everything added but the unit and admin of init' '
	dossier-admin catalog import "$CATALOG" >sum.json &&
	test "$(wc -l <sum.json)" -eq 1 &&
	jq -e --argjson n "$nrec" ".v == 1 and .records == \$n and
	    .added == \$n - 2 and .changed == 2 and .unchanged == 0" \
	    sum.json >/dev/null
'
expect_ok 'the catalog is in the tables' '
	sqlite3 "$DOSSIER_DB" "SELECT (SELECT count(*) FROM units) +
	    (SELECT count(*) FROM procedures) + (SELECT count(*) FROM staff)" \
	    >n && test "$(cat n)" -eq "$nrec" &&
	sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM procedures
	    WHERE version <> 1" >n && test "$(cat n)" -eq 0
'

snapshot
expect_ok 're-import: every record unchanged' '
	dossier-admin catalog import "$CATALOG" >sum.json &&
	jq -e --argjson n "$nrec" ".records == \$n and .added == 0 and
	    .changed == 0 and .unchanged == \$n" sum.json >/dev/null
'
expect_ok '... and the database is exactly as before' 'unchanged'

expect_ok 'export: one line per record, units first, staff last' '
	dossier-admin catalog export >export.jsonl &&
	test "$(wc -l <export.jsonl)" -eq "$nrec" &&
	jq -r .kind export.jsonl >kinds &&
	uniq kinds >kinds.uniq &&
	printf "unit\nprocedure\nstaff\n" >kinds.want &&
	same kinds.want kinds.uniq
'
expect_ok 'export lists parents before children' '
	jq -r "[.code, .parent // \"-\"] | @tsv" export.jsonl >tree &&
	awk -F "\t" "NR > 0 && \$2 != \"-\" && !(\$2 in seen) { bad = 1 }
	    { seen[\$1] = 1 } END { exit bad }" tree
'
expect_ok 'export is canonical: importing it into the same database is a no-op' '
	dossier-admin catalog import export.jsonl >sum.json &&
	jq -e ".added == 0 and .changed == 0" sum.json >/dev/null &&
	unchanged
'
expect_ok 'round trip: export, import into a fresh database, export' '
	dossier-admin -d fresh.db init --agency 000.00.01.H56 --name B \
	    >/dev/null &&
	dossier-admin -d fresh.db catalog import export.jsonl >/dev/null &&
	dossier-admin -d fresh.db catalog export >fresh.jsonl &&
	same export.jsonl fresh.jsonl
'
expect_ok 'import from stdin, with "-" or no operand' '
	dossier-admin -d fresh.db catalog import - <"$CATALOG" >sum.json &&
	jq -e ".unchanged == $nrec" sum.json >/dev/null &&
	dossier-admin -d fresh.db catalog import <"$CATALOG" >sum.json &&
	jq -e ".unchanged == $nrec" sum.json >/dev/null
'

# --- procedure versions --------------------------------------------------------

expect_ok 'a changed step time makes a new version of the procedure' '
	jq -c "if .code == \"1.001193\" then .steps[0].time.amount = 1
	    else . end" export.jsonl >changed.jsonl &&
	dossier-admin catalog import changed.jsonl >sum.json &&
	jq -e ".changed == 1 and .added == 0 and
	    .unchanged == $nrec - 1" sum.json >/dev/null &&
	versions 1.001193 >got && printf "1\n2\n" >want && same want got
'
expect_ok 'export shows the new version only' '
	dossier-admin catalog export >export2.jsonl &&
	test "$(wc -l <export2.jsonl)" -eq "$nrec" &&
	jq -c "select(.code == \"1.001193\") | .steps[0].time" \
	    export2.jsonl >got &&
	echo "{\"amount\":1.0,\"unit\":\"working_days\"}" >want &&
	jq -c . want >want.c && jq -c . got >got.c && same want.c got.c
'
expect_ok 'the old version is kept with its own steps' '
	first_steps 1.001193 >got &&
	printf "1|0.5\n2|1.0\n" >want && same want got
'
expect_ok 'importing the changed catalog again changes nothing' '
	snapshot &&
	dossier-admin catalog import changed.jsonl >sum.json &&
	jq -e ".changed == 0 and .unchanged == $nrec" sum.json >/dev/null &&
	unchanged
'
expect_ok 'a changed unit and a changed staff member are updated in place' '
	jq -c "if .code == \"000.00.21.H56\" then .remote = true
	    elif .login == \"an.nv\" then .roles = [\"specialist\", \"reception\"]
	    else . end" export2.jsonl >changed2.jsonl &&
	dossier-admin catalog import changed2.jsonl >sum.json &&
	jq -e ".changed == 2 and .added == 0" sum.json >/dev/null &&
	dossier-admin catalog export >export3.jsonl &&
	jq -c "select(.login == \"an.nv\") | .roles" export3.jsonl >got &&
	echo "[\"reception\",\"specialist\"]" >want && same want got &&
	jq -c "select(.code == \"000.00.21.H56\") | .remote" export3.jsonl \
	    >got && echo true >want && same want got
'

# --- bad records: exit 65, FILE:LINE:, nothing written ------------------------

snapshot

lines json.jsonl "$U" '{"kind":"unit","code":'
expect_ok 'malformed JSON' 'reject json.jsonl 2 && has "invalid JSON" err'

lines notobj.jsonl "$U" '[1,2]' '"unit"' '42'
expect_ok 'lines that are not objects' '
	reject notobj.jsonl 2 3 4 && has "not a JSON object" err
'

lines field.jsonl "$U" \
    '{"kind":"unit","code":"000.00.98.H56","name":"X","level":"commune","colour":"red"}'
expect_ok 'an unknown field' 'reject field.jsonl 2 && has "colour" err'

lines stepfield.jsonl \
    '{"kind":"procedure","code":"1.999998","name":"P","field":"F","level":"commune","time":{"amount":1,"unit":"days"},"steps":[{"name":"S","role":"leader","colour":1,"time":{"amount":1,"unit":"days"}}]}'
expect_ok 'an unknown field in a step' '
	reject stepfield.jsonl 1 && has "colour" err
'

lines kind.jsonl "$U" '{"kind":"office","code":"000.00.98.H56"}' \
    '{"code":"000.00.98.H56"}'
expect_ok 'an unknown kind, and no kind' '
	reject kind.jsonl 2 3 && has "unknown kind" err && has "kind" err
'

lines dupunit.jsonl "$U" "$P" "$U"
expect_ok 'a duplicate unit code names both lines' '
	reject dupunit.jsonl 3 && has "line 1" err
'

lines dupproc.jsonl "$P" "$U" "$P"
expect_ok 'a duplicate procedure code names both lines' '
	reject dupproc.jsonl 3 && has "line 1" err
'

lines dupstaff.jsonl "$U" "$S" "$S"
expect_ok 'a duplicate staff login names both lines' '
	reject dupstaff.jsonl 3 && has "line 2" err
'

lines agency.jsonl \
    '{"kind":"unit","code":"000.00.98.h56","name":"X","level":"commune"}' \
    '{"kind":"unit","code":"00.00.98.H56","name":"X","level":"commune"}' \
    '{"kind":"unit","code":"000.00.98.H56","name":"X","level":"commune","parent":"000.00.00"}' \
    "$U"
expect_ok 'invalid agency codes in a unit and its parent' '
	reject agency.jsonl 1 2 3 && has "agency code" err
'

lines level.jsonl \
    '{"kind":"unit","code":"000.00.98.H56","name":"X","level":"village"}'
expect_ok 'an unknown unit level' 'reject level.jsonl 1'

lines pcode.jsonl "$U" \
    "$(echo "$P" | sed 's/1\.999999/1.99999/')" \
    "$(echo "$P" | sed 's/1\.999999/1.9999999/')" \
    "$(echo "$P" | sed 's/1\.999999/x.999999/')" \
    "$(echo "$P" | sed 's/1\.999999/1.999999.000.00.99/')"
expect_ok 'invalid procedure codes' '
	reject pcode.jsonl 2 3 4 5 && has "invalid procedure code" err
'

lines role.jsonl "$U" "$(echo "$P" | sed 's/"specialist"/"boss"/')"
expect_ok 'an unknown role in a step' '
	reject role.jsonl 2 && has "unknown role" err && has "boss" err
'

lines noroleunit.jsonl "$U" "$(echo "$P" | sed 's/"role":"specialist",//')"
expect_ok 'a step with neither role nor unit' '
	reject noroleunit.jsonl 2 && has "role or a unit" err
'

lines tunit.jsonl "$U" "$(echo "$P" | sed 's/"hours"/"weeks"/')" \
    "$(echo "$P" | sed 's/"amount":2,"unit":"working_days"/"amount":2,"unit":"fortnights"/')"
expect_ok 'a time unit that does not exist' '
	reject tunit.jsonl 2 3 && has "weeks" err && has "fortnights" err
'

lines amount.jsonl "$U" \
    "$(echo "$P" | sed 's/"amount":2,/"amount":0,/')" \
    "$(echo "$P" | sed 's/"amount":2,/"amount":-1,/')" \
    "$(echo "$P" | sed 's/"amount":4,/"amount":0,/')" \
    "$(echo "$P" | sed 's/"amount":2,/"amount":"2",/')"
expect_ok 'an amount of 0, negative, or not a number' '
	reject amount.jsonl 2 3 4 5
'

lines notime.jsonl "$U" "$(echo "$P" | sed 's/"time":{"amount":2,"unit":"working_days"},//')"
expect_ok 'a procedure without a time' 'reject notime.jsonl 2'

lines nosteps.jsonl "$U" \
    "$(echo "$P" | sed 's/"steps":\[.*\]}$/"steps":[]}/')"
expect_ok 'a procedure without steps' 'reject nosteps.jsonl 2'

lines parent.jsonl "$U" \
    '{"kind":"unit","code":"000.00.98.H56","name":"X","level":"commune","parent":"000.00.97.H56"}'
expect_ok 'a unit whose parent does not exist' '
	reject parent.jsonl 2 && has "000.00.97.H56" err
'

lines cycle.jsonl "$U" \
    '{"kind":"unit","code":"000.00.98.H56","name":"A","level":"commune","parent":"000.00.97.H56"}' \
    '{"kind":"unit","code":"000.00.97.H56","name":"B","level":"commune","parent":"000.00.98.H56"}'
expect_ok 'a cycle in the unit tree (each line valid alone)' '
	reject cycle.jsonl 2 3 && has "cycle" err
'

lines self.jsonl \
    '{"kind":"unit","code":"000.00.98.H56","name":"A","level":"commune","parent":"000.00.98.H56"}'
expect_ok 'a unit that is its own parent' 'reject self.jsonl 1'

lines cycle2.jsonl \
    '{"kind":"unit","code":"000.00.00.H56","name":"UBND tỉnh Thanh Hóa","level":"province","parent":"000.01.21.H56","remote":false}'
expect_ok 'a cycle through units already in the database' '
	reject cycle2.jsonl 1 && has "cycle" err
'

lines staffunit.jsonl "$U" \
    '{"kind":"staff","login":"x.y","name":"X","unit":"000.00.97.H56","roles":["admin"]}'
expect_ok 'staff in an unknown unit' '
	reject staffunit.jsonl 2 && has "000.00.97.H56" err
'

lines stepunit.jsonl "$(echo "$P" | sed 's/"unit":"000.00.99.H56"/"unit":"000.00.97.H56"/')"
expect_ok 'a step in an unknown unit' '
	reject stepunit.jsonl 1 && has "000.00.97.H56" err
'

lines staffbad.jsonl "$U" \
    '{"kind":"staff","login":"-x","name":"X","unit":"000.00.99.H56","roles":["admin"]}' \
    '{"kind":"staff","login":"x.y","name":"X","unit":"000.00.99.H56","roles":[]}' \
    '{"kind":"staff","login":"x.y","name":"X","unit":"000.00.99.H56","roles":["boss"]}' \
    '{"kind":"staff","login":"x.y","name":"X","unit":"000.00.99.H56","roles":["admin","admin"]}' \
    '{"kind":"staff","login":"x.y","name":"X","roles":["admin"]}'
expect_ok 'bad staff: login, roles empty, unknown or repeated, no unit' '
	reject staffbad.jsonl 2 3 4 5 6
'

lines empty.jsonl "$U" \
    '{"kind":"unit","code":"000.00.98.H56","name":"","level":"commune"}' \
    '{"kind":"unit","code":"000.00.98.H56","name":null,"level":"commune"}' \
    '{"kind":"unit","code":"000.00.98.H56","name":7,"level":"commune"}'
expect_ok 'a required field empty, null or of the wrong type' '
	reject empty.jsonl 2 3 4
'

printf '%s\n{"kind":"unit","code":"000.00.98.H56","name":"\377","level":"commune"}\n' \
    "$U" >utf8.jsonl
expect_ok 'invalid UTF-8' 'reject utf8.jsonl 2'

printf '%s\n{"kind":"unit","code":"000.00.98.H56","name":"X\000Y","level":"commune"}\n' \
    "$U" >nul.jsonl
expect_ok 'a NUL byte' 'reject nul.jsonl 2'

lines dupkey.jsonl "$U" \
    '{"kind":"unit","code":"000.00.98.H56","name":"A","name":"B","level":"commune"}'
expect_ok 'a duplicate key in one object' '
	reject dupkey.jsonl 2 && has "duplicate" err
'

lines several.jsonl "$U" '{"kind":' "$P" '[]' \
    '{"kind":"unit","code":"bad","name":"X","level":"commune"}' "$S" \
    '{"kind":"nothing"}'
expect_ok 'several bad lines in one file are all reported' '
	reject several.jsonl 2 4 5 7 && has "several.jsonl: 4 bad records" err
'

expect_ok 'a bad line from stdin is named stdin:LINE:' '
	{ dossier-admin catalog import <several.jsonl >out 2>err; test $? = 65; } &&
	has "stdin:2:" err && has "stdin:7:" err && unchanged
'

expect_code 66 'a missing catalog file' '
	dossier-admin catalog import nosuch.jsonl
'
expect_code 66 'a catalog that is a folder: 66, cannot open input' '
	dossier-admin catalog import . 2>err; s=$?
	has "dossier-admin: .: a folder, not a file" err || exit 1
	exit $s
'
if [ "$(id -u)" != 0 ]; then
	expect_code 77 'a catalog file the user may not read: 77, permission denied' '
		cp "$CATALOG" locked.jsonl && chmod 000 locked.jsonl &&
		dossier-admin catalog import locked.jsonl 2>err; s=$?
		has "dossier-admin: locked.jsonl: permission denied" err || exit 1
		exit $s
	'
fi
expect_code 64 'two catalog files' '
	dossier-admin catalog import json.jsonl kind.jsonl
'
expect_ok 'the failed imports changed nothing' 'unchanged'

printf '%s\n\n   \n\t\r\n%s\r\n%s' "$U" "$P" "$S" >blank.jsonl
expect_ok 'empty lines are skipped, CRLF and no final newline accepted' '
	dossier-admin catalog import blank.jsonl >sum.json &&
	jq -e ".records == 3 and .added == 3" sum.json >/dev/null &&
	dossier-admin catalog export >export4.jsonl &&
	has "\"code\":\"1.999999\"" export4.jsonl &&
	has "\"login\":\"moi.nv\"" export4.jsonl
'

# --- permission ---------------------------------------------------------------

# Run "$@" as the unprivileged user nobody (uid 65534).
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# The temp dir is private (0700): open it and a shared subdirectory.
[ "$(id -u)" != 0 ] || chmod 755 "$T"
if why=$(nobody_cannot "$T" "$CATALOG"); then
	skip 'a non-admin user may not import' "$why"
	skip 'a new office is configured by the user who made it' "$why"
else
	mkdir "$T/shared"
	chmod 777 "$T/shared"
	cp "$DOSSIER_DB" "$T/shared/office.db"
	chmod 666 "$T/shared/office.db"
	# shellcheck disable=SC2034 # used in the test commands
	DB="$T/shared/office.db"

	expect_code 77 'a user who is not staff may not import' '
		as_nobody dossier-admin -d "$DB" catalog import "$CATALOG" \
		    2>err
	'
	expect_ok '... the message names the user' 'has "nobody" err'

	lines nobody.jsonl \
	    '{"kind":"staff","login":"nobody","name":"Không ai","unit":"000.00.01.H56","roles":["reception","leader"]}'
	expect_ok 'as root (an admin), make nobody a non-admin staff member' '
		dossier-admin -d "$DB" catalog import nobody.jsonl >/dev/null &&
		chmod 666 "$T"/shared/*
	'
	expect_code 77 'staff without the admin role may not import' '
		as_nobody dossier-admin -d "$DB" catalog import "$CATALOG" \
		    2>err
	'
	expect_ok '... the message names the admin role' 'has "admin" err'
	expect_code 77 '... nor change the calendar' '
		as_nobody dossier-admin -d "$DB" calendar import /dev/null
	'
	expect_code 77 'a catalog file nobody may not read: 77, permission denied' '
		cp "$CATALOG" "$T/shared/locked.jsonl" &&
		chmod 600 "$T/shared/locked.jsonl" &&
		as_nobody dossier-admin -d "$DB" catalog import \
		    "$T/shared/locked.jsonl" 2>err; s=$?
		has "dossier-admin: $T/shared/locked.jsonl: permission denied" err ||
		    exit 1
		exit $s
	'
	expect_ok '... but may export the catalog' '
		as_nobody dossier-admin -d "$DB" catalog export >nb.jsonl &&
		has "\"login\":\"nobody\"" nb.jsonl
	'

	expect_ok 'a new office is configured by the user who made it' '
		as_nobody dossier-admin -d "$T/shared/new.db" init \
		    --agency 000.00.03.H56 --name C >/dev/null &&
		as_nobody dossier-admin -d "$T/shared/new.db" catalog import \
		    "$CATALOG" >/dev/null
	'
	expect_code 77 '... not by another user (nobody, in a new office of root)' '
		dossier-admin -d "$T/shared/root.db" init \
		    --agency 000.00.03.H56 --name C >/dev/null &&
		chmod 666 "$T/shared/root.db" &&
		as_nobody dossier-admin -d "$T/shared/root.db" catalog import \
		    "$CATALOG"
	'
fi

finish
