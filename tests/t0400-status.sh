#!/bin/sh
# dossier-status: lookups by code, UUID, ref, name (diacritics-insensitive),
# ID number and phone; every filter; sorting and limits; the formats; the
# pipe into dossier-route; forms; unknown codes and exit statuses.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC TIME NAME [CHANNEL [UNIT [ID [PHONE]]]]: an application
# with the required documents of PROC in the demo catalog
app() {
	application "$1" "$2" at="$3" name="$4" channel="${5:-direct}" \
	    unit="${6:-000.00.01.H56}" id="${7:-052189001234}" \
	    phone="${8:-0905123456}"
}

# refs [FILE]: the refs of the records in FILE (out.jsonl), one line
refs() {
	jq -r .ref "${1:-out.jsonl}" | tr '\n' ' ' | sed 's/ $//'
}

{
	app a1 1.001193 2026-03-12T09:00:00+07:00 "Nguyễn Văn An"
	app a2 1.004873 2026-03-12T10:00:00+07:00 "Trần Thị Đào"
	app a3 1.001193 2026-03-12T18:00:00+07:00 "Lê Đức Anh" online
	app a4 1.001776 2026-03-16T10:00:00+07:00 "NGUYỄN  VĂN ANH" direct \
	    000.00.22.H56 052189009999 0912345678
	app a5 1.001022 2026-03-13T16:00:00+07:00 "Phạm Thị Dung" postal
	app a6 1.001022 2026-03-09T09:00:00+07:00 "Đỗ Thanh Bình"
} >apps.jsonl

expect_ok 'setup: six dossiers, some routed' '
	dossier-new --as an.nv <apps.jsonl >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 6 &&
	route an.nv 2026-03-12T11:00:00+07:00 start a2 -H hai.pm &&
	route hai.pm 2026-03-13T10:00:00+07:00 request_supplement a2 -r "Thiếu" &&
	route an.nv 2026-03-09T10:00:00+07:00 start a6 -H hai.pm &&
	route hai.pm 2026-03-10T10:00:00+07:00 next a6 -H hung.lv &&
	route hung.lv 2026-03-11T09:00:00+07:00 next a6 -H mai.vt &&
	route hung.lv 2026-03-11T10:00:00+07:00 finish a6 &&
	route an.nv 2026-03-16T08:00:00+07:00 start a5 -H hai.pm &&
	route hung.lv 2026-03-16T09:00:00+07:00 forward a5 -t 000.00.12.H56'

# ---- lookups ----
expect_ok 'by code: the record as dossier-new printed it (record.h)' '
	dossier-status "$(code a1)" >out.jsonl &&
	jq -c "select(.ref == \"a1\")" new.jsonl >want.jsonl &&
	same want.jsonl out.jsonl'
expect_ok 'by UUID and by ref' '
	dossier-status "$(jq -r "select(.ref == \"a4\") | .uuid" new.jsonl)" a1 \
	    >out.jsonl &&
	test "$(refs)" = "a4 a1"'
expect_code 1 'an unknown code: a message and exit 1' '
	dossier-status 000.00.01.H56-260101-9999 >out.jsonl 2>err &&
	exit 9'
expect_ok '... the message names it, stdout is empty' '
	{ dossier-status 000.00.01.H56-260101-9999 >out.jsonl 2>err;
	  test $? = 1; } &&
	has "no dossier '"'"'000.00.01.H56-260101-9999'"'"'" err &&
	test ! -s out.jsonl'
expect_ok 'known and unknown together: the known one printed, exit 1' '
	{ dossier-status nope a1 >out.jsonl 2>err; test $? = 1; } &&
	test "$(refs)" = a1 && has "no dossier '"'"'nope'"'"'" err'

expect_code 1 'a code with control characters: quoted escaped, on one line' '
	dossier-status "$(printf "x\nbad\001")" >out.jsonl 2>err.txt; s=$?;
	test "$(wc -l <err.txt)" = 1 &&
	has "no dossier '"'"'x\\nbad\\x01'"'"'" err.txt || exit 9; exit $s'

# ---- name, ID number, phone ----
expect_ok 'name without diacritics finds names with them (and a prefix)' '
	dossier-status --name "nguyen van an" >out.jsonl &&
	test "$(refs)" = "a1 a4"'
expect_ok 'name in capitals with diacritics, extra spaces' '
	dossier-status --name "  NGUYỄN   VĂN ANH " >out.jsonl &&
	test "$(refs)" = a4'
expect_ok 'a whole-word sequence inside the name, not a part of a word' '
	dossier-status --name "van an" >out.jsonl &&
	test "$(refs)" = a1'
expect_ok 'd finds đ, and đ finds d' '
	dossier-status --name "tran thi dao" >out.jsonl &&
	test "$(refs)" = a2 &&
	dossier-status --name "Đức" >out.jsonl && test "$(refs)" = a3 &&
	dossier-status --name "đức" >out.jsonl && test "$(refs)" = a3 &&
	dossier-status --name "le đuc anh" >out.jsonl && test "$(refs)" = a3 &&
	dossier-status --name "do thanh" >out.jsonl && test "$(refs)" = a6'
expect_ok 'decomposed (NFD) input finds the precomposed name' '
	dossier-status --name "$(printf "Tra\314\202\314\200n")" >out.jsonl &&
	test "$(refs)" = a2'
expect_code 1 'a name nobody has: nothing, exit 1' '
	dossier-status --name "hoang" >out.jsonl'
expect_ok 'by ID number and by phone (exact)' '
	dossier-status --id-number 052189009999 >out.jsonl &&
	test "$(refs)" = a4 &&
	dossier-status --phone 0912345678 >out.jsonl && test "$(refs)" = a4 &&
	dossier-status --id-number 052189001234 --name "pham" >out.jsonl &&
	test "$(refs)" = a5'
expect_code 1 '--due-within: nothing due in the next working day' '
	dossier-status --due-within 1 --now 2026-03-16T08:00:00+07:00 \
	    >out.jsonl'
expect_code 1 'a partial ID number finds nothing' '
	dossier-status --id-number 05218900 >out.jsonl'

# ---- filters ----
expect_ok 'no operand and no filter: every dossier, in order of entry' '
	dossier-status >out.jsonl && test "$(refs)" = "a1 a2 a3 a4 a5 a6"'
expect_ok '--status by name and code, repeatable (OR)' '
	dossier-status --status submitted >out.jsonl && test "$(refs)" = a3 &&
	dossier-status --status 9 --status supplement_requested >out.jsonl &&
	test "$(refs)" = "a2 a6"'
expect_ok '--status any number of times: the eleventh counts too' '
	dossier-status --status 1 --status 2 --status 3 --status 4 --status 5 \
	    --status 6 --status 7 --status 8 --status 10 --status 1 \
	    --status finished >out.jsonl &&
	test "$(refs)" = "a1 a2 a3 a4 a5 a6"'
expect_code 64 '--status: an unknown status is a usage error' '
	dossier-status --status late'
expect_ok '--procedure, --field, --unit, --handler, --channel' '
	dossier-status --procedure 1.001022 >out.jsonl &&
	test "$(refs)" = "a5 a6" &&
	dossier-status --field "Bảo trợ xã hội" >out.jsonl &&
	test "$(refs)" = a4 &&
	dossier-status --unit 000.00.22.H56 >out.jsonl && test "$(refs)" = a4 &&
	dossier-status --handler hai.pm >out.jsonl && test "$(refs)" = a2 &&
	dossier-status --channel online >out.jsonl && test "$(refs)" = a3 &&
	dossier-status --channel postal --procedure 1.001022 >out.jsonl &&
	test "$(refs)" = a5'
expect_ok '--received-from/--received-to: dates take whole days' '
	dossier-status --received-from 2026-03-12 --received-to 2026-03-12 \
	    >out.jsonl && test "$(refs)" = "a1 a2 a3" &&
	dossier-status --received-from 2026-03-12T10:00:00+07:00 \
	    --received-to 2026-03-13T16:00:00+07:00 >out.jsonl &&
	test "$(refs)" = "a2 a3 a5"'
expect_ok '--finished-from/--finished-to' '
	dossier-status --finished-from 2026-03-11 --finished-to 2026-03-11 \
	    >out.jsonl && test "$(refs)" = a6'
expect_code 1 '... and nothing finished in another week' '
	dossier-status --finished-from 2026-03-16 >out.jsonl'
expect_ok '--overdue=TIME: open and past due; a paused one counts to its pause' '
	dossier-status --overdue=2026-03-20T12:00:00+07:00 >out.jsonl &&
	test "$(refs)" = "a1 a5" &&
	dossier-status --overdue --now 2026-03-13T10:00:00+07:00 >out.jsonl &&
	test "$(refs)" = a1'
expect_ok '--overdue=TIME: due at that very instant is not yet overdue' '
	dossier-status "$(code a1)" >a1.jsonl &&
	jq -e ".due_at == \"2026-03-13T09:00:00+07:00\"" a1.jsonl >/dev/null &&
	dossier-status --overdue=2026-03-13T09:00:00+07:00 >out.jsonl; s=$?;
	test $s = 1 && test ! -s out.jsonl &&
	dossier-status --overdue=2026-03-13T09:00:01+07:00 >out.jsonl &&
	test "$(refs)" = a1'
expect_ok '--overdue with --unit: the index on open dossiers by unit is used' '
	dossier-status --overdue=2026-03-20 --unit 000.00.01.H56 >out.jsonl &&
	test "$(refs)" = "a1 a5" &&
	sqlite3 "$DOSSIER_DB" "EXPLAIN QUERY PLAN SELECT id FROM dossiers d
	    WHERE d.unit = '"'"'000.00.01.H56'"'"' AND (d.status = 2 OR
	    d.status = 4 OR d.status = 5 OR d.status = 6)
	    AND d.due_at < 1 ORDER BY d.due_at, d.id" >plan &&
	has "USING INDEX dossiers_open_due (unit=? AND due_at<?)" plan'
expect_ok '--due-within N working days from --now' '
	dossier-status --due-within 2 --now 2026-03-16T08:00:00+07:00 \
	    >out.jsonl && test "$(refs)" = a2 &&
	dossier-status --due-within 30 --now 2026-03-16T08:00:00+07:00 \
	    >out.jsonl && test "$(refs)" = "a2 a5 a4"'
expect_ok '--paused, --supplement-pending, --elsewhere' '
	dossier-status --paused >out.jsonl && test "$(refs)" = a2 &&
	dossier-status --supplement-pending >out.jsonl && test "$(refs)" = a2 &&
	dossier-status --elsewhere >out.jsonl && test "$(refs)" = a5'
expect_ok 'filters combine with AND, operands too' '
	dossier-status --procedure 1.001193 --channel direct >out.jsonl &&
	test "$(refs)" = a1 &&
	dossier-status --status accepted "$(code a1)" "$(code a2)" \
	    >out.jsonl && test "$(refs)" = a1'
expect_ok '--sort received|due|code, --reverse, --limit' '
	dossier-status --sort received >out.jsonl &&
	test "$(refs)" = "a6 a1 a2 a3 a5 a4" &&
	dossier-status --sort received --reverse -n 2 >out.jsonl &&
	test "$(refs)" = "a4 a5" &&
	dossier-status --sort code --limit 1 >out.jsonl &&
	test "$(refs)" = a6 &&
	dossier-status --status accepted --status processing --sort due \
	    >out.jsonl && test "$(refs)" = "a1 a5 a4"'
expect_code 64 'a bad option value is a usage error' '
	dossier-status --sort size'
expect_code 66 'a missing database is 66' '
	dossier-status -d nosuch.db a1'
# usage errors: the message, then the synopsis, 64, before the database
# is opened
# shellcheck disable=SC2089,SC2090 # the quotes are the message's
for args in '-n -1|-n, --limit: '\''-1'\'' is too small' \
    '--limit x|-n, --limit: '\''x'\'' is invalid' \
    '--format xml|--format: '\''xml'\'' is not json, table, csv or portal' \
    '--now 2026-13-01|--now: '\''2026-13-01'\'' is not an RFC 3339 time or a date' \
    '--received-from soon|--received-from: '\''soon'\'' is not an RFC 3339' \
    '--overdue=later|--overdue: '\''later'\'' is not an RFC 3339'; do
	export args
	expect_code 64 "usage: dossier-status -d nosuch.db ${args%%|*}" '
		# shellcheck disable=SC2086
		dossier-status -d nosuch.db ${args%%|*} >out 2>err; s=$?
		has "dossier-status: ${args#*|}" err &&
		has "usage: dossier-status" err && ! [ -s out ] || exit 1
		exit $s'
done
expect_code 64 'a bad argument is shown escaped, never its raw bytes' '
	dossier-status --format "$(printf "a\377\233[31m\302\233")" 2>err; s=$?
	has "dossier-status: --format: '\''a\\xff\\x9b[31m\\xc2\\x9b'\''" err &&
	! LC_ALL=C grep -q "$(printf "[\200-\377]")" err || exit 1
	exit $s'

# ---- formats ----
expect_ok 'table: a header and columns aligned by characters, not bytes' '
	dossier-status --format table --sort received >out.txt &&
	head -n 1 out.txt >h &&
	has "CODE" h && has "STATUS" h && has "APPLICANT" h && has "HANDLER" h &&
	test "$(wc -l <out.txt)" = 7 &&
	has "Nguyễn Văn An" out.txt && has "2026-03-12 09:00" out.txt &&
	sed "1d; s/2026-03.*//" out.txt >prefix &&
	while IFS= read -r l; do
		printf "%s" "$l" | LC_ALL=C.UTF-8 wc -m
	done <prefix | sort -u >cols &&
	test "$(wc -l <cols)" = 1'
expect_ok 'csv: a header, RFC 4180 quoting, one line per dossier' '
	dossier-status --format csv --sort received >out.csv &&
	head -n 1 out.csv | grep -q "^code,uuid,ref,status,status_name," &&
	test "$(wc -l <out.csv)" = 7 &&
	has "$(code a1),$(jq -r "select(.ref == \"a1\") | .uuid" new.jsonl),a1,2,accepted,1.001193" out.csv &&
	has ",Nguyễn Văn An,052189001234,0905123456,2026-03-12T09:00:00+07:00," out.csv'
expect_ok 'json is the default on a pipe; every line a dossier record' '
	dossier-status --format json >a && dossier-status >b && same a b &&
	jq -e -s "length == 6 and all(.[]; .v == 1 and (.uuid | length) == 36)" \
	    b >/dev/null'

# ---- the pipe into dossier-route ----
expect_ok 'the overdue list piped into dossier-route: each listed dossier acted on' '
	dossier-status --overdue=2026-03-20 --unit 000.00.01.H56 --status 2 \
	    >list.jsonl && test "$(refs list.jsonl)" = a1 &&
	dossier-route --as an.nv --at 2026-03-20T10:00:00+07:00 start \
	    -H hai.pm <list.jsonl >routed.jsonl &&
	test "$(refs routed.jsonl)" = a1 &&
	dossier-status --handler hai.pm --status processing >out.jsonl &&
	test "$(refs)" = a1'

# ---- forms ----
expect_ok 'form 01 (receipt) as text for a dossier found by name' '
	dossier-status -f receipt --name "nguyen van an" --limit 1 >slip.txt &&
	has "$(code a1)" slip.txt && has "Nguyễn Văn An" slip.txt'
expect_ok 'form 06 (tracking) as HTML with the hand-overs' '
	dossier-status -f tracking --form-format html "$(code a6)" >f6.html &&
	has "<html" f6.html && has "</html>" f6.html &&
	has "$(code a6)" f6.html && has "Phạm Minh Hải" f6.html'
expect_code 64 'only forms 01 and 06' '
	dossier-status -f refusal a1'

# ---- names with punctuation, and long names ----
long="Công ty Trách nhiệm hữu hạn Một thành viên Xây dựng và Thương mại Hà Trung"
{
	app b1 1.001193 2026-03-17T09:00:00+07:00 "H'Hen Niê"
	app b2 1.001193 2026-03-17T10:00:00+07:00 "$long"
	app b3 1.001193 2026-03-17T11:00:00+07:00 "Nguyễn Văn An-Bình"
} >apps2.jsonl
expect_ok 'setup: three more dossiers' '
	dossier-new --as an.nv <apps2.jsonl >>new.jsonl'
expect_ok 'punctuation parts words: "hen nie" and "h hen" find H'"'"'Hen Niê' '
	dossier-status --name "hen nie" >out.jsonl && test "$(refs)" = b1 &&
	dossier-status --name "h hen" >out.jsonl && test "$(refs)" = b1 &&
	dossier-status --name "h'"'"'hen" >out.jsonl && test "$(refs)" = b1 &&
	dossier-status --name "van an binh" >out.jsonl && test "$(refs)" = b3 &&
	dossier-status --name "an" >out.jsonl && test "$(refs)" = "a1 b3"'
expect_code 1 '... but not a part of a word' '
	dossier-status --name "hhen" >out.jsonl'
expect_ok 'one word: a whole word anywhere, or the start of the name' '
	dossier-status --name "ngu" >out.jsonl && test "$(refs)" = "a1 a4 b3" &&
	dossier-status --name "NGUYEN" -n 2 >out.jsonl &&
	test "$(refs)" = "a1 a4" &&
	dossier-status --name "thi" >out.jsonl && test "$(refs)" = "a2 a5" &&
	dossier-status --name "do" >out.jsonl && test "$(refs)" = "a6"'
expect_ok 'a name with other filters, and with codes' '
	dossier-status --name "nguyen" --unit 000.00.22.H56 >out.jsonl &&
	test "$(refs)" = a4 &&
	dossier-status --name "nguyen van an" --status accepted --sort received \
	    --reverse >out.jsonl && test "$(refs)" = "b3 a4" &&
	dossier-status --name "nguyen" "$(code a4)" "$(code a2)" >out.jsonl \
	    2>/dev/null; test $? = 0 && test "$(refs)" = a4'
expect_code 1 '... not the start of an inner word' '
	dossier-status --name "th" >out.jsonl'
expect_ok 'a long name: a sequence inside, longer than eight words' '
	dossier-status --name "trach nhiem huu han mot thanh vien xay dung va thuong mai" \
	    >out.jsonl && test "$(refs)" = b2 &&
	dossier-status --name "xay dung va thuong mai ha trung" >out.jsonl &&
	test "$(refs)" = b2 &&
	dossier-status --name "CONG TY TRACH NHIEM HUU HAN MOT THANH VIEN XAY D" \
	    >out.jsonl && test "$(refs)" = b2'
expect_code 1 '... the last word whole when it is not the start of the name' '
	dossier-status --name "thanh vien xay dung va thuong mai ha trun" \
	    >out.jsonl'

finish
