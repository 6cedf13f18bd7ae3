#!/bin/sh
# dossier-new: receipt at the counter, batches, idempotency, due times.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

KS='{"name":"Tờ khai đăng ký khai sinh"},{"name":"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"}'
LAND='{"name":"Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 11/ĐK)"},{"name":"Giấy chứng nhận đã cấp (bản gốc)"},{"name":"Hợp đồng, văn bản chuyển nhượng, tặng cho hoặc văn bản thừa kế đã công chứng, chứng thực"}'

# app REF TIME [CHANNEL [UNIT [PROC [DOCS [NAME]]]]]: one application line
app() {
	printf '{"ref":"%s","procedure":"%s","unit":"%s","channel":"%s","received_at":"%s","applicant":{"type":"citizen","name":"%s","id_number":"052189001234","phone":"0905123456","address":"Thôn Vinh Thạnh, xã Quảng Phú","email":null},"documents":[%s],"note":null}\n' \
	    "$1" "${5:-1.001193}" "${4:-000.00.01.H56}" "${3:-direct}" "$2" \
	    "${7:-Trần Thị Bích}" "${6:-$KS}"
}

# due REF: the due_at of the dossier with that ref in out.jsonl
due() {
	jq -r --arg r "$1" 'select(.ref == $r) | .due_at' out.jsonl
}

app counter-1 2026-03-12T09:00:00+07:00 >one.jsonl
expect_ok 'a counter receipt gets a code, status 2 and a due time' '
	dossier-new <one.jsonl >out.jsonl &&
	jq -e ".code == \"000.00.01.H56-260312-0001\" and .status == 2 and
	    .status_name == \"accepted\" and
	    .due_at == \"2026-03-13T09:00:00+07:00\" and
	    .received_at == \"2026-03-12T09:00:00+07:00\" and
	    (.uuid | test(\"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$\")) and
	    .v == 1 and .procedure == \"1.001193\" and .owner == \"000.00.01.H56\"
	    and .applicant.name == \"Trần Thị Bích\" and .existing == null" out.jsonl'

app counter-2 2026-03-12T10:00:00+07:00 >two.jsonl
expect_ok 'the receipt slip as text names the code, applicant and appointment' '
	dossier-new -s text <two.jsonl >slip.txt &&
	has "000.00.01.H56-260312-0002" slip.txt &&
	has "Trần Thị Bích" slip.txt &&
	has "ngày 13/03/2026" slip.txt &&
	has "Đăng ký khai sinh" slip.txt'

expect_ok 'the slip for an existing dossier as HTML' '
	dossier-new --slip html <two.jsonl >slip.html &&
	has "<html" slip.html && has "000.00.01.H56-260312-0002" slip.html &&
	has "</html>" slip.html'

# A batch with good and bad lines.  INJ is a name that looks like SQL
# injection, with a quote and a printf directive; INJ_JSON is it in JSON.
# shellcheck disable=SC2089,SC2090
INJ="x'); DROP TABLE dossiers;-- %s \" Ờ"
INJ_JSON="x'); DROP TABLE dossiers;-- %s \\\" Ờ"
# shellcheck disable=SC2090
export INJ
{
	app b-1 2026-03-16T08:00:00+07:00
	echo '{"ref":"b-2", "procedure": '
	app b-3 2026-03-16T08:00:00+07:00 direct 000.00.01.H56 9.999999
	app b-4 2026-03-16T08:00:00+07:00 direct 000.00.01.H56 1.001193 \
	    '{"name":"Tờ khai đăng ký khai sinh"}'
	app b-5 2026-03-16T08:00:00+07:00 | sed 's/052189001234/05218900123/'
	app b-6 2026-03-16T08:00:00+07:00 | sed 's/Trần/Tr\xffn/'
	app b-7 2026-03-16T08:00:00+07:00 direct 000.00.01.H56 1.001193 "$KS" \
	    "$INJ_JSON"
	app b-8 2026-03-16T08:00:00+07:00 | sed 's/"note":null/"colour":"red"/'
	app b-9 2026-03-16T08:00:00+07:00
} >batch.jsonl
expect_code 1 'a batch with bad lines stores the good ones and exits 1' '
	dossier-new -r rejects.jsonl batch.jsonl >out.jsonl'
expect_ok 'each bad line is named on stderr with its reason' '
	dossier-new -r rejects2.jsonl batch.jsonl >out2.jsonl 2>err.txt;
	has "batch.jsonl:2: invalid JSON" err.txt &&
	has "batch.jsonl:3: unknown procedure '\''9.999999'\''" err.txt &&
	has "batch.jsonl:4: incomplete dossier: missing required document '\''Giấy chứng sinh" err.txt &&
	has "batch.jsonl:5: applicant.id_number" err.txt &&
	has "batch.jsonl:6: invalid JSON" err.txt &&
	has "batch.jsonl:8: unknown field '\''colour'\''" err.txt'
expect_ok 'the rejects file holds the bad lines verbatim' '
	sed -n "2p;3p;4p;5p;6p;8p" batch.jsonl >want &&
	same want rejects.jsonl'
expect_code 1 'a CRLF line parses, and a bad one is kept with its CR' '
	printf "%s\r\n" "$(sed -n 1p batch.jsonl | sed "s/b-1/crlf-1/")" \
	    "$(sed -n 3p batch.jsonl | sed "s/b-3/crlf-3/")" >crlf.jsonl &&
	dossier-new -n -r crlf-rejects.jsonl crlf.jsonl >out-crlf.jsonl 2>err.txt; s=$?
	test "$(wc -l <out-crlf.jsonl)" = 1 && has "crlf.jsonl:2:" err.txt &&
	sed -n 2p crlf.jsonl >want && same want crlf-rejects.jsonl || exit 99
	exit "$s"'
# longline REF BYTES [END]: a record whose note makes it BYTES long, END
# (a carriage return, say) before its newline
longline() {
	printf '{"ref":"%s","note":"' "$1" &&
	head -c "$(($2 - 20 - ${#1}))" /dev/zero | tr "\0" x &&
	printf '"}%s\n' "${3:-}"
}
expect_code 1 'lines over 1 MiB go to the rejects whole, a CR kept' '
	{ sed -n 1p batch.jsonl | sed "s/b-1/long-1/" &&
	  longline long-2 1500000 "$(printf "\r")" &&
	  sed -n 3p batch.jsonl | sed "s/b-3/long-3/" &&
	  longline long-4 2600000 &&
	  sed -n 9p batch.jsonl | sed "s/b-9/long-5/"; } >long.jsonl &&
	longline long-6 1048600 >long2.jsonl &&
	test "$(sed -n 2p long.jsonl | wc -c)" = 1500002 &&
	dossier-new -n -r long-rejects.jsonl long.jsonl long2.jsonl \
	    >out-long.jsonl 2>err.txt; s=$?
	test "$(wc -l <out-long.jsonl)" = 2 &&
	has "long.jsonl:2: line longer than 1048576 bytes" err.txt &&
	has "long.jsonl:4: line longer than 1048576 bytes" err.txt &&
	has "long2.jsonl:1: line longer than 1048576 bytes" err.txt &&
	{ sed -n "2,4p" long.jsonl && cat long2.jsonl; } >want &&
	cmp want long-rejects.jsonl >&2 || exit 99
	exit "$s"'
expect_ok 'an SQL-injection-looking name round-trips byte for byte' '
	jq -r "select(.ref == \"b-7\") | .applicant.name" out.jsonl >got &&
	printf "%s\n" "$INJ" >want &&
	same want got &&
	sqlite3 "$DOSSIER_DB" "select count(*) from dossiers" >n && echo 5 >want && same want n'

expect_ok 'a rerun creates nothing and outputs the existing dossiers' '
	dossier-new batch.jsonl >rerun.jsonl 2>/dev/null; test $? -eq 1 &&
	jq -r "[.ref, .code, .existing] | @tsv" rerun.jsonl >got &&
	jq -r "[.ref, .code, true] | @tsv" out.jsonl >want && same want got &&
	sqlite3 "$DOSSIER_DB" "select count(*) from dossiers; select count(*) from events" >n &&
	printf "5\n5\n" >want && same want n'

expect_ok 'the record of a rerun equals the record first written' '
	jq -c "del(.existing)" rerun.jsonl >got && same out.jsonl got'

app uuid-1 2026-03-17T09:00:00+07:00 >u1.jsonl
expect_ok 'a record sent again with its UUID under another ref is the same dossier' '
	dossier-new u1.jsonl >u1.out &&
	uuid=$(jq -r .uuid u1.out) && code=$(jq -r .code u1.out) &&
	n=$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers") &&
	jq -c --arg u "$uuid" ".uuid = \$u | .ref = \"uuid-1-resent\"" \
	    u1.jsonl >u2.jsonl &&
	dossier-new u2.jsonl >u2.out &&
	jq -e --arg c "$code" --arg u "$uuid" \
	    ".existing == true and .code == \$c and .uuid == \$u" u2.out \
	    >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers")" = "$n"'

{
	app at-1 2026-03-17T08:00:00+07:00
	app at-2 2026-03-17T08:00:00+07:00 direct 000.00.01.H56 1.001193 '{"name":"x"}'
} >atomic.jsonl
expect_code 65 '--atomic stores nothing when a record is bad' '
	dossier-new --atomic atomic.jsonl >out.jsonl'
expect_ok '... and the good record of that batch is not there' '
	test ! -s out.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers where ref like '\''at-%'\''")" = 0'
app dry-1 2026-03-17T08:00:00+07:00 >dry.jsonl
expect_ok '--dry-run prints the record as it would be stored, and stores nothing' '
	n=$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers") &&
	dossier-new -n dry.jsonl >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 1 &&
	jq -e ".ref == \"dry-1\" and .status == 2 and
	    .due_at == \"2026-03-18T08:00:00+07:00\" and .existing == null" \
	    out.jsonl >/dev/null &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers")" = "$n" &&
	sqlite3 "$DOSSIER_DB" "VACUUM INTO '\''copy.db'\''" &&
	dossier-new -d copy.db dry.jsonl >real.jsonl &&
	jq -c "del(.uuid)" out.jsonl >want && jq -c "del(.uuid)" real.jsonl >got &&
	same want got'

# Due times.
{
	app due-weekend 2026-03-13T10:00:00+07:00
	app due-tet 2026-02-13T10:00:00+07:00
	app due-cutoff 2026-03-12T15:30:00+07:00
	app due-at-cutoff 2026-03-12T15:00:00+07:00
	app due-before-cutoff 2026-03-12T14:59:00+07:00
	app due-online 2026-03-12T16:00:00+07:00 online
	app due-online-late 2026-03-12T17:30:00+07:00 online
	app due-saturday 2026-03-14T09:00:00+07:00 postal
	app due-land 2026-03-12T09:00:00+07:00 direct 000.00.26.H56 1.012793 "$LAND"
	app due-remote 2026-03-12T09:00:00+07:00 direct 000.00.27.H56 1.012793 "$LAND"
	app due-remote-section 2026-03-12T09:00:00+07:00 direct 000.01.27.H56 1.012793 "$LAND"
	app due-hungkings 2026-04-24T10:00:00+07:00
} >due.jsonl
expect_ok 'due times are computed from the calendar' '
	dossier-new --accept due.jsonl >out.jsonl &&
	test "$(due due-weekend)" = 2026-03-16T10:00:00+07:00 &&
	test "$(due due-tet)" = 2026-02-23T10:00:00+07:00 &&
	test "$(due due-cutoff)" = 2026-03-13T17:00:00+07:00 &&
	test "$(due due-at-cutoff)" = 2026-03-13T17:00:00+07:00 &&
	test "$(due due-before-cutoff)" = 2026-03-13T14:59:00+07:00 &&
	test "$(due due-online)" = 2026-03-13T16:00:00+07:00 &&
	test "$(due due-online-late)" = 2026-03-13T17:00:00+07:00 &&
	test "$(due due-saturday)" = 2026-03-16T17:00:00+07:00 &&
	test "$(due due-hungkings)" = 2026-04-28T10:00:00+07:00'
expect_ok 'a remote commune adds 10 working days to a land procedure' '
	test "$(due due-land)" = 2026-03-26T09:00:00+07:00 &&
	test "$(due due-remote)" = 2026-04-09T09:00:00+07:00 &&
	test "$(due due-remote-section)" = 2026-04-09T09:00:00+07:00'

app online-1 2026-03-18T09:00:00+07:00 online >online.jsonl
expect_ok 'an online submission arrives as status 1 without a due time' '
	dossier-new online.jsonl >out.jsonl &&
	jq -e ".status == 1 and .status_name == \"submitted\" and .due_at == null" out.jsonl'

expect_ok 'codes count per day and stay unique' '
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) - count(distinct code) from dossiers")" = 0 &&
	test "$(sqlite3 "$DOSSIER_DB" "select code from dossiers where ref = '\''b-9'\''")" = 000.00.01.H56-260316-0003'

expect_ok 'two importers at once store every record and never share a code' '
	gen-dossiers -n 3000 -s 11 -p c1 -c "$CATALOG" >c1.jsonl &&
	gen-dossiers -n 3000 -s 12 -p c2 -c "$CATALOG" >c2.jsonl &&
	n=$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers") &&
	{ dossier-new -b 100 c1.jsonl >o1.jsonl 2>e1 & p1=$!;
	  dossier-new -b 100 c2.jsonl >o2.jsonl 2>e2 & p2=$!;
	  wait $p1; s1=$?; wait $p2; s2=$?; } &&
	cat e1 e2 >&2 && test $s1 = 0 && test $s2 = 0 &&
	test ! -s e1 && test ! -s e2 &&
	test "$(wc -l <o1.jsonl)" = 3000 && test "$(wc -l <o2.jsonl)" = 3000 &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers")" = $((n + 6000)) &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers where ref like '\''c1-%'\'' or ref like '\''c2-%'\''")" = 6000 &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) - count(distinct code) from dossiers")" = 0 &&
	test "$(cat o1.jsonl o2.jsonl | jq -r .code | sort | uniq -d | wc -l)" = 0 &&
	dossier-admin check >check.json'

expect_code 66 'a missing database is exit 66' '
	dossier-new -d nonexistent.db <one.jsonl'
expect_code 66 'a missing input file is exit 66' '
	dossier-new no-such-file.jsonl'
expect_code 66 'an input file that is a folder is exit 66, and says so' '
	dossier-new . 2>err; s=$?
	has "dossier-new: .: a folder, not a file" err || exit 1
	exit $s'
expect_code 64 'an unknown option is exit 64' '
	dossier-new --colour <one.jsonl'

printf 'certificate scan' >scan.pdf
expect_ok 'an attached file is stored once by SHA-256' '
	printf "{\"ref\":\"att-1\",\"procedure\":\"1.001193\",\"applicant\":{\"name\":\"Lê Văn Tám\"},\"documents\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"file\":\"scan.pdf\"},{\"name\":\"Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)\",\"file\":\"scan.pdf\"}]}\n" >att.jsonl &&
	dossier-new att.jsonl >out.jsonl &&
	jq -e ".documents[0].sha256 == \"$(sha256sum scan.pdf | cut -d" " -f1)\" and .documents[0].size == 16" out.jsonl &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from blobs")" = 1'
expect_code 65 'a file over the size limit rejects the record' '
	sed "s/att-1/att-2/" att.jsonl | dossier-new --max-file-size 10 >out.jsonl'

# the writer stores new dossiers many at a time: a ref seen again in the
# same input, near (not stored yet) or far, is the dossier already made
{
	app dup-1 2026-03-18T08:00:00+07:00
	app dup-2 2026-03-18T08:00:00+07:00
	app dup-1 2026-03-18T08:00:00+07:00
	i=3
	while [ $i -le 150 ]; do
		app "dup-$i" 2026-03-18T08:00:00+07:00
		i=$((i + 1))
	done
	app dup-2 2026-03-18T08:00:00+07:00
	app dup-150 2026-03-18T08:00:00+07:00
} >dup.jsonl
expect_ok 'a ref twice in one input: the second time is the same dossier' '
	dossier-new dup.jsonl >dup.out &&
	test "$(wc -l <dup.out)" -eq 153 &&
	jq -r "select(.existing) | .ref" dup.out >got &&
	printf "dup-1\ndup-2\ndup-150\n" >want && same want got &&
	jq -r "select(.ref == \"dup-1\" or .ref == \"dup-2\" or
	    .ref == \"dup-150\") | [.ref, .code] | @tsv" dup.out |
	    sort -u >got &&
	sqlite3 -tabs "$DOSSIER_DB" "select ref, code from dossiers where ref in
	    ('\''dup-1'\'', '\''dup-2'\'', '\''dup-150'\'') order by ref" |
	    sort >want && same want got &&
	test "$(sqlite3 "$DOSSIER_DB" "select count(*) from dossiers where ref like '\''dup-%'\''")" = 150 &&
	jq -r "select(.existing == null) | .code" dup.out | sort -c &&
	test "$(jq -r "select(.existing == null) | .code" dup.out | sort -u | wc -l)" = 150'

expect_ok 'check verifies the chain after all of this' '
	dossier-admin check >check.json && jq -e ".ok and .events > 0" check.json'

finish
