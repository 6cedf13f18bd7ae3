#!/bin/sh
# Printing: form 01 with several documents and its signatures on one A5
# page, printed to PDF by a headless Chromium (skipped without one); the
# national motto kept on one line and no justified text; a reprinted
# receipt names the officer who received the dossier, and none is printed
# for a dossier not accepted.  One set of forms by the day of receipt;
# form 01's documents table, register line and online times; the
# register book of a period.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# app REF PROC CHANNEL: an application with every document of PROC
app() {
	jq -nc --arg ref "$1" --arg p "$2" --arg ch "$3" \
	    --slurpfile cat "$CATALOG" '{ref: $ref, procedure: $p,
	    unit: "000.00.01.H56", channel: $ch,
	    applicant: {type: "citizen", name: "Công ty Trách nhiệm hữu hạn Một thành viên Xây dựng và Thương mại Hà Trung",
	        id_number: "052189001234", phone: "0905123456",
	        address: "Số 12, đường Lê Lợi, thôn Vinh Thạnh, xã Quảng Phú, tỉnh Thanh Hóa",
	        email: "hatrung@example.vn"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | {name, file: null}],
	    note: null}'
}

expect_ok 'setup: dossiers of five documents, received by an.nv' '
	{
		app p1 1.012793 direct
		app p2 1.012790 direct
		app p3 1.001193 online
	} >apps.jsonl &&
	dossier-new --as an.nv apps.jsonl >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 3'

expect_ok 'a reprinted receipt names the officer who received it' '
	dossier-status -f receipt "$(code p1)" >slip.txt &&
	has "Nguyễn Văn An" slip.txt &&
	name=$(jq -r "select(.kind == \"staff\" and .login == \"an.nv\") |
	    .name" "$CATALOG") && test "$name" = "Nguyễn Văn An"'
expect_ok '... an online submission, the officer who accepted it' '
	dossier-route --as trang.ntt accept "$(code p3)" >/dev/null &&
	dossier-status -f receipt "$(code p3)" >slip.txt &&
	has "Nguyễn Thị Thu Trang" slip.txt'
expect_code 1 'no receipt for a dossier refused at receipt, and why' '
	app p4 1.001193 online >p4.jsonl &&
	dossier-new --as an.nv p4.jsonl >>new.jsonl &&
	dossier-route --as an.nv -r "Thiếu giấy tờ" refuse "$(code p4)" \
	    >/dev/null &&
	dossier-status -f receipt "$(code p4)" >slip.txt 2>err; s=$?
	has "no receipt: refused at receipt" err || exit 9
	test ! -s slip.txt || exit 9
	exit $s'
expect_code 1 '... nor for an online submission not yet accepted' '
	app p5 1.001193 online >p5.jsonl &&
	dossier-new --as an.nv p5.jsonl >>new.jsonl &&
	dossier-status -f receipt "$(code p5)" >slip.txt 2>err; s=$?
	has "no receipt: an online submission not yet accepted" err || exit 9
	test ! -s slip.txt || exit 9
	exit $s'
expect_ok 'the HTML keeps the motto on one line and justifies nothing' '
	dossier-status -f receipt --form-format html "$(code p1)" >r.html &&
	has "class=\"b motto\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" r.html &&
	has ".hdr .motto { white-space: nowrap }" r.html &&
	! grep -q "justify" r.html'

# ---- one set of forms by the day of receipt (Circular 01/2018 before
# 15/09/2025, Circular 03/2025 from that day); form 01's documents table
# and register book line; the register book itself
# old REF PROC TIME: an application received at TIME, with counts
old() {
	jq -nc --arg ref "$1" --arg p "$2" --arg t "$3" \
	    --slurpfile cat "$CATALOG" '{ref: $ref, procedure: $p,
	    unit: "000.00.01.H56", channel: "direct", received_at: $t,
	    applicant: {type: "citizen", name: "Lê Thị Hồng",
	        address: "Thôn Vinh Thạnh", phone: "0905000111"},
	    documents: [$cat[] | select(.kind == "procedure" and .code == $p) |
	        .documents[] | select(.required) |
	        {name, original: 1, certified_copy: 1, copy: 2}]}'
}
expect_ok 'setup: dossiers received 12/09/2025 and 15/09/2025' '
	{ old f1 1.001193 2025-09-12T09:00:00+07:00
	  old f2 1.012793 2025-09-15T09:00:00+07:00; } >f.jsonl &&
	dossier-new --as an.nv f.jsonl >>new.jsonl'
expect_ok 'received before 15/09/2025: the numbers of Circular 01/2018' '
	dossier-status -f receipt "$(code f1)" >f1.txt &&
	has "Mẫu số 01 - Thông tư 01/2018/TT-VPCP" f1.txt &&
	dossier-status -f tracking "$(code f1)" >f1t.txt &&
	has "Mẫu số 05 - Thông tư 01/2018/TT-VPCP" f1t.txt'
expect_ok '... from 15/09/2025 those of Circular 03/2025' '
	dossier-status -f receipt "$(code f2)" >f2.txt &&
	has "Mẫu số 01 - Thông tư 03/2025/TT-VPCP" f2.txt &&
	dossier-status -f tracking "$(code f2)" >f2t.txt &&
	has "Mẫu số 06 - Thông tư 03/2025/TT-VPCP" f2t.txt &&
	! has "01/2018" f2t.txt'
expect_ok 'form 01 counts originals, certified copies and copies' '
	has "Bản chính: 1; Bản sao: 1; Bản chụp: 2" f1.txt &&
	dossier-status -f receipt --form-format html "$(code f1)" >f1.html &&
	has "<th class=\"num\">Bản sao</th>" f1.html &&
	has "<td class=\"num\">2</td>" f1.html'
expect_code 65 'dossier-new refuses a count out of range' '
	old f9 1.001193 2025-09-12T09:00:00+07:00 |
	    jq -c ".documents[0].copy = 1000" >f9.jsonl &&
	dossier-new --as an.nv f9.jsonl >f9.out 2>err; s=$?
	has "documents[0]" err && has "must be 0 to 999" err || exit 9
	exit $s'
expect_ok 'form 01 gives the line of the register book' '
	has "Vào Sổ theo dõi hồ sơ, Quyển số: 2025," f1.txt &&
	has "Số thứ tự: 01" f1.txt &&
	has "Quyển số: 2025," f2.txt && has "Số thứ tự: 02" f2.txt'
expect_ok 'the register book of September 2025, in the numbers of 01/2018' '
	dossier-status -f register --received-from 2025-09-01 \
	    --received-to 2025-09-30 >book.txt &&
	has "SỔ THEO DÕI HỒ SƠ" book.txt &&
	has "Mẫu số 06 - Thông tư 01/2018/TT-VPCP" book.txt &&
	has "Từ ngày 01/09/2025 đến ngày 30/09/2025" book.txt &&
	grep -q "^STT 01" book.txt && grep -q "^STT 02" book.txt &&
	has "$(code f1)" book.txt && has "Đã tiếp nhận" book.txt'
expect_ok '... a filter prints fewer lines, each keeps its number' '
	dossier-status -f register --received-from 2025-09-01 \
	    --received-to 2025-09-30 --procedure 1.012793 >book2.txt &&
	grep -q "^STT 02" book2.txt && ! grep -q "^STT 01" book2.txt &&
	has "$(code f2)" book2.txt'
expect_ok '... as HTML on A4 landscape, with a column to sign, dated' '
	dossier-status -f register --form-format html --received-from \
	    2025-09-01 --received-to 2025-09-30 >book.html &&
	has "@page { size: A4 landscape" book.html &&
	has "<th>Ký nhận</th>" book.html &&
	has "class=\"form a4l\" data-form=\"07\"" book.html &&
	! has "ngày ..... tháng" book.html'
expect_ok '... of the year of --now by default' '
	dossier-status -f register --now 2025-10-01T09:00:00+07:00 >book3.txt &&
	has "Từ ngày 01/01/2025 đến ngày 31/12/2025" book3.txt &&
	grep -q "^STT 02" book3.txt'
expect_ok 'the receipts dossier-new prints carry their lines in the book' '
	{ old g1 1.001193 2025-09-16T09:00:00+07:00
	  old g2 1.001193 2025-09-16T10:00:00+07:00; } >g.jsonl &&
	dossier-new --as an.nv -s text g.jsonl >g.txt &&
	has "Quyển số: 2025," g.txt && has "Số thứ tự: 03" g.txt &&
	has "Số thứ tự: 04" g.txt &&
	dossier-status -f register --received-from 2025-09-16 \
	    --received-to 2025-09-16 >book4.txt &&
	grep -q "^STT 03" book4.txt && grep -q "^STT 04" book4.txt'
expect_code 64 'the register book is of a period, not of dossiers named' '
	dossier-status -f register "$(code f1)" >/dev/null 2>err; s=$?
	has "register prints the book of a period" err || exit 9
	exit $s'
expect_ok 'an online receipt: submitted, accepted, and when the clock starts' '
	app o1 1.001193 online | jq -c ".received_at =
	    \"2026-03-02T16:00:00+07:00\"" >o1.jsonl &&
	dossier-new --as an.nv o1.jsonl >>new.jsonl &&
	dossier-route --as trang.ntt --at 2026-03-02T18:00:00+07:00 \
	    accept "$(code o1)" >/dev/null &&
	dossier-status -f receipt "$(code o1)" >o1.txt &&
	has "Thời gian nộp hồ sơ trực tuyến" o1.txt &&
	has "16 giờ 00 phút, ngày 02/03/2026" o1.txt &&
	has "Thời gian tiếp nhận hồ sơ" o1.txt &&
	has "18 giờ 00 phút, ngày 02/03/2026" o1.txt &&
	grep -A2 "bắt đầu tính thời hạn" o1.txt >start.txt &&
	has "ngày 03/03/2026" start.txt'
expect_ok '... and dossier-route -f prints the same at acceptance' '
	app o2 1.001193 online >o2.jsonl &&
	dossier-new --as an.nv o2.jsonl >>new.jsonl &&
	dossier-route --as trang.ntt -f text accept "$(code o2)" >o2.txt &&
	has "Thời gian tiếp nhận hồ sơ" o2.txt &&
	has "Vào Sổ theo dõi hồ sơ, Quyển số: 20" o2.txt'

# pages PDF: the number of pages of a PDF Chromium wrote
pages() {
	grep -ao "/Type */Pages*" "$1" | grep -c "Page\$"
}
# topdf HTML PDF: print HTML to PDF with the page sizes its CSS asks for
topdf() {
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$T/chrome" --no-pdf-header-footer \
	    --print-to-pdf="$T/$2" "file://$T/$1" >/dev/null 2>&1 &&
	test -s "$2"
}
chrome=$(command -v chromium || command -v chromium-browser ||
    command -v google-chrome || true)
if [ -n "$chrome" ]; then
	expect_ok 'form 01 with five documents fits one A5 page, signatures included' '
		dossier-status -f receipt --form-format html "$(code p1)" \
		    >r.html && topdf r.html r.pdf &&
		test "$(pages r.pdf)" = 1 &&
		grep -aq "/MediaBox \[0 0 4[12][0-9.]* 59[0-9.]*\]" r.pdf'
	expect_ok 'three receipts from dossier-new -s html: three A5 pages' '
		{ app q1 1.012793 direct; app q2 1.012790 direct;
		  app q3 1.001776 direct; } >q.jsonl &&
		dossier-new --as an.nv -s html q.jsonl >q.html &&
		topdf q.html q.pdf && test "$(pages q.pdf)" = 3'
	expect_ok 'form 06 on A4 stays A4' '
		dossier-status -f tracking --form-format html "$(code p1)" \
		    >t.html && topdf t.html t.pdf &&
		test "$(pages t.pdf)" = 1 &&
		grep -aq "/MediaBox \[0 0 59[0-9.]* 84[0-9.]*\]" t.pdf'
else
	skip 'form 01 fits one A5 page' 'no chromium'
	skip 'three receipts: three A5 pages' 'no chromium'
	skip 'form 06 on A4 stays A4' 'no chromium'
fi
finish
