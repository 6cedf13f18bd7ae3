#!/bin/sh
# One text rule for every name that is printed (text_ok()): no C0 or C1
# control, no DEL, no mark or override that reorders text (U+061C, U+200E,
# U+200F, U+202A-202E, U+2066-2069), valid UTF-8.  Each entry point that
# takes such a name refuses it, naming the input, the line and the field:
# dossier-admin init --name, catalog import (units, procedures, their
# documents and steps, staff), calendar import, dossier-new (applicant,
# documents, note), dossier-route (reason, missing, as records and as
# options).  Vietnamese text with its diacritics passes everywhere.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup

# refused CODE WANT CMD...: CMD exits CODE with the message WANT on stderr
refused() {
	_code=$1 _want=$2
	shift 2
	"$@" >out.txt 2>err.txt
	_s=$?
	has "$_want" err.txt || return 99
	test "$_s" = "$_code"
}

# app REF: an application for procedure 1.001193 with its documents
app() {
	application "$1" 1.001193 address="Thôn Vinh Thạnh, xã Quảng Phú"
}

# shellcheck disable=SC2034
RLO=$(printf '\342\200\256')
# shellcheck disable=SC2034
NEL=$(printf '\302\205')

expect_ok 'init: a name with an override is refused, nothing created' '
	refused 64 "dossier-admin: --name: contains the control character U+202E" \
	    dossier-admin init --agency 000.00.01.H56 --name "A${RLO}B" &&
	test ! -e "$DOSSIER_DB"'
expect_ok 'init: a name with a C1 control is refused' '
	refused 64 "--name: contains the control character U+0085" \
	    dossier-admin init --agency 000.00.01.H56 --name "A${NEL}B" &&
	test ! -e "$DOSSIER_DB"'
expect_ok 'init: a name that is not UTF-8 is refused' '
	refused 64 "--name: not valid UTF-8 at byte 2" \
	    dossier-admin init --agency 000.00.01.H56 \
	    --name "$(printf "A\\377")" && test ! -e "$DOSSIER_DB"'
expect_ok 'setup: an office with the demo catalog' init_demo

# one bad name per line, each kind of catalog record
cat >cat.jsonl <<'EOF'
{"kind":"unit","code":"000.00.90.H56","name":"UBND x\u202e","level":"commune","parent":"000.00.00.H56","remote":false}
{"kind":"staff","login":"x.y","name":"Nguy\u061cn","unit":"000.00.01.H56","roles":["reception"]}
{"kind":"procedure","code":"1.999999","name":"Th\u0085","field":"Hộ tịch","level":"commune","time":{"amount":1,"unit":"working_days"},"steps":[{"name":"a","role":"specialist","time":{"amount":1,"unit":"working_days"}}]}
{"kind":"procedure","code":"1.999998","name":"Th","field":"H\u0080","level":"commune","time":{"amount":1,"unit":"working_days"},"steps":[{"name":"a","role":"specialist","time":{"amount":1,"unit":"working_days"}}]}
{"kind":"procedure","code":"1.999997","name":"Th","field":"H","level":"commune","time":{"amount":1,"unit":"working_days"},"documents":[{"name":"T\u2066x"}],"steps":[{"name":"a","role":"specialist","time":{"amount":1,"unit":"working_days"}}]}
{"kind":"procedure","code":"1.999996","name":"Th","field":"H","level":"commune","time":{"amount":1,"unit":"working_days"},"steps":[{"name":"a\u200f","role":"specialist","time":{"amount":1,"unit":"working_days"}}]}
{"kind":"unit","code":"000.00.91.H56","name":"UBND x\u0009","level":"commune","parent":"000.00.00.H56","remote":false}
{"kind":"unit","code":"000.00.92.H56","name":"UBND xã Mới","level":"commune","parent":"000.00.00.H56","remote":false}
EOF
expect_ok 'catalog import: every bad name named FILE:LINE: field' '
	sqlite3 "$DOSSIER_DB" .dump >before.dump &&
	refused 65 "cat.jsonl: 7 bad records, nothing imported" \
	    dossier-admin catalog import cat.jsonl &&
	has "cat.jsonl:1: name: contains the control character U+202E" err.txt &&
	has "cat.jsonl:2: name: contains the control character U+061C" err.txt &&
	has "cat.jsonl:3: name: contains the control character U+0085" err.txt &&
	has "cat.jsonl:4: field: contains the control character U+0080" err.txt &&
	has "cat.jsonl:5: documents[0]: name: contains the control character U+2066" err.txt &&
	has "cat.jsonl:6: steps[0]: name: contains the control character U+200F" err.txt &&
	has "cat.jsonl:7: name: contains the control character U+0009" err.txt &&
	test "$(grep -c "contains the control" err.txt)" = 7 &&
	sqlite3 "$DOSSIER_DB" .dump >after.dump && same before.dump after.dump'
expect_ok 'catalog import: the good line alone passes' '
	sed -n 8p cat.jsonl >good.jsonl &&
	dossier-admin catalog import good.jsonl >out.json &&
	test "$(sqlite3 "$DOSSIER_DB" \
	    "SELECT name FROM units WHERE code = '\''000.00.92.H56'\''")" = \
	    "UBND xã Mới"'

expect_ok 'calendar import: a name with an override, named' '
	printf "%s\n" "{\"date\":\"2027-03-03\",\"kind\":\"holiday\",\"name\":\"N\"}" \
	    "{\"date\":\"2027-03-04\",\"kind\":\"holiday\",\"name\":\"Ng\\u202dy\"}" \
	    >cal.jsonl &&
	refused 65 "cal.jsonl:2: name: contains the control character U+202D" \
	    dossier-admin calendar import cal.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" \
	    "SELECT count(*) FROM calendar_overrides WHERE day LIKE '\''2027-03%'\''")" = 0'
expect_ok 'calendar import: a name with a C1 control, named' '
	printf "%s\n" "{\"date\":\"2027-03-04\",\"kind\":\"holiday\",\"name\":\"x\\u0090\"}" \
	    >cal.jsonl &&
	refused 65 "cal.jsonl:1: name: contains the control character U+0090" \
	    dossier-admin calendar import cal.jsonl'

expect_ok 'dossier-new: each bad name rejects its record, named' '
	{ app r1 | jq -c ".applicant.name = \"Tr\\u202en\"" &&
	  app r2 | jq -c ".applicant.address = \"x\\u009by\"" &&
	  app r3 | jq -c ".documents[0].name = \"T\\u2067\"" &&
	  app r4 | jq -c ".note = \"n\\u200e\"" &&
	  app r5 | jq -c ".applicant.name = \"a\\u061cb\"" &&
	  app r6; } >in.jsonl &&
	refused 1 "stdin:1: applicant.name: contains the control character U+202E" \
	    dossier-new --as an.nv -r rej.jsonl <in.jsonl &&
	cp out.txt new.jsonl &&
	has "stdin:2: applicant.address: contains the control character U+009B" err.txt &&
	has "stdin:3: documents[0]: name: contains the control character U+2067" err.txt &&
	has "stdin:4: note: contains the control character U+200E" err.txt &&
	has "stdin:5: applicant.name: contains the control character U+061C" err.txt &&
	test "$(wc -l <new.jsonl)" = 1 && test "$(jq -r .ref new.jsonl)" = r6 &&
	head -n 5 in.jsonl >want.jsonl && same want.jsonl rej.jsonl'

expect_ok 'dossier-route: a reason with an override in a record, named' '
	c=$(jq -r .code new.jsonl) &&
	printf "{\"code\":\"%s\",\"action\":\"withdraw\",\"reason\":\"x\\\\u202ey\"}\n" \
	    "$c" >act.jsonl &&
	refused 65 "stdin:1: reason: contains the control character U+202E" \
	    dossier-route --as an.nv <act.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events
	    WHERE action = '\''withdraw'\''")" = 0'
expect_ok 'dossier-route: --reason with a C1 control is a usage error' '
	c=$(jq -r .code new.jsonl) &&
	refused 64 "dossier-route: --reason: contains the control character U+0085" \
	    dossier-route --as an.nv --reason "a${NEL}" withdraw "$c"'
expect_ok 'dossier-route: --missing with an isolate is a usage error' '
	c=$(jq -r .code new.jsonl) &&
	refused 64 "--missing: contains the control character U+2068" \
	    dossier-route --as an.nv -m "$(printf "a\342\201\250")" \
	    request_supplement "$c"'
expect_ok 'dossier-route: a missing document with an isolate, named' '
	c=$(jq -r .code new.jsonl) &&
	printf "{\"code\":\"%s\",\"action\":\"request_supplement\",\"reason\":\"r\",\"missing\":[\"a\",\"b\\\\u2069\"]}\n" \
	    "$c" >act.jsonl &&
	refused 65 "stdin:1: missing[1]: contains the control character U+2069" \
	    dossier-route --as an.nv <act.jsonl'
expect_ok 'dossier-route: a Vietnamese reason passes' '
	c=$(jq -r .code new.jsonl) &&
	dossier-route --as an.nv --reason "Người nộp xin rút hồ sơ" withdraw "$c" \
	    >out.jsonl 2>err.txt &&
	test "$(sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM events
	    WHERE action = '\''withdraw'\''")" = 1'

finish
