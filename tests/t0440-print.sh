#!/bin/sh
# Printing: form 01 with several documents and its signatures on one A5
# page, printed to PDF by a headless Chromium (skipped without one); the
# national motto kept on one line and no justified text; a reprinted
# receipt names the officer who received the dossier, and none is printed
# for a dossier not accepted.
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

code() {
	jq -r --arg r "$1" 'select(.ref == $r) | .code' new.jsonl
}

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
