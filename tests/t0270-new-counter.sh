#!/bin/sh
# dossier-new at the counter, the two outcomes of a paper application
# other than receipt: --refuse REASON stores a dossier refused at receipt
# (status 3) and prints form 03; --guide records the guidance to
# complete an incomplete application (a guide event, no dossier, no code)
# and prints form 02.  Reruns, refusals of the options, the online
# channel, dossier-admin check, and the applicant who comes back.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

birth=1.001193
cert="Giấy chứng sinh (hoặc văn bản người làm chứng, giấy cam đoan về việc sinh)"
export birth cert

# app REF CHANNEL [DOCUMENT ...]: a birth registration handed in with
# the documents named (none: only the declaration)
app() {
	_ref=$1 _ch=$2
	shift 2
	printf '%s\n' "Tờ khai đăng ký khai sinh" "$@" |
	    jq -R . | jq -sc --arg ref "$_ref" --arg ch "$_ch" '{ref: $ref,
	    procedure: "1.001193", channel: $ch,
	    received_at: "2026-03-12T09:00:00+07:00",
	    applicant: {type: "citizen", name: "Trần Thị Bích",
	        id_number: "052189001234", phone: "0905123456",
	        address: "Thôn Vinh Thạnh", email: null},
	    documents: [.[] | {name: ., file: null}], note: null}'
}

# count TABLE [WHERE]: rows of TABLE
count() {
	sqlite3 "$DOSSIER_DB" "SELECT count(*) FROM $1 ${2:-}"
}

reason="Không thuộc thẩm quyền giải quyết của UBND xã"
export reason

# ---- --refuse ----

expect_ok 'refuse: a dossier refused at receipt, status 3, no due time' '
	app r1 direct "$cert" >r1.jsonl &&
	dossier-new --as an.nv --refuse "$reason" r1.jsonl >out.jsonl &&
	jq -e ".status == 3 and .status_name == \"refused\" and
	    .due_at == null and .start_at == null and
	    (.code | startswith(\"000.00.01.H56-260312-\"))" out.jsonl \
	    >/dev/null && jq -r .code out.jsonl >r1.code'
expect_ok 'refuse: the receive event holds the reason' '
	dossier-status --history --format json "$(cat r1.code)" >h.jsonl &&
	jq -r "[.action, .reason] | @tsv" h.jsonl >got &&
	printf "receive\t%s\n" "$reason" >want && same want got'
expect_ok 'refuse: an incomplete application can be refused' '
	app r2 direct >r2.jsonl &&
	dossier-new --as an.nv --refuse "$reason" r2.jsonl >out.jsonl &&
	jq -e ".status == 3" out.jsonl >/dev/null'
expect_ok 'refuse -s text: form 03, the refusal at receipt, with the code' '
	app r3 postal >r3.jsonl &&
	dossier-new --as an.nv --refuse "$reason" -s text r3.jsonl >f.txt &&
	has "PHIẾU TỪ CHỐI TIẾP NHẬN" f.txt && has "$reason" f.txt &&
	has "Mã hồ sơ: 000.00.01.H56-260312-" f.txt &&
	has "Trần Thị Bích (Qua dịch vụ bưu chính công ích)" f.txt &&
	has "ngày 12 tháng 03 năm 2026" f.txt &&
	has "NGƯỜI TIẾP NHẬN HỒ SƠ" f.txt && ! has "Qua thẩm định" f.txt'
expect_ok 'refuse: a rerun of the same ref stores nothing new' '
	dossier-new --as an.nv --refuse "$reason" r1.jsonl >out.jsonl &&
	jq -e ".existing == true and .status == 3" out.jsonl >/dev/null &&
	test "$(count dossiers "WHERE status = 3")" = 3'
expect_ok 'refuse: the portal shape says the dossier was refused' '
	dossier-status --format portal "$(cat r1.code)" >p.jsonl &&
	jq -r ".TrangThaiHoSo, .QuaTrinhXuLy[0].NoiDungXuLy" p.jsonl >got &&
	printf "3\nTừ chối tiếp nhận hồ sơ: %s\n" "$reason" >want &&
	same want got'
expect_code 1 'refuse: no receipt slip for a refused dossier' '
	dossier-status -f receipt "$(cat r1.code)" >f.txt 2>err.txt; s=$?
	has "no receipt: refused at receipt" err.txt || exit 70; exit $s'
expect_code 64 'refuse: the reason is required' '
	dossier-new --refuse "  " r1.jsonl 2>err.txt; s=$?
	has "--refuse: the reason is required" err.txt || exit 70; exit $s'
expect_code 64 'refuse: the reason is text without control characters' '
	dossier-new --refuse "$(printf "a\033[2Jb")" r1.jsonl 2>err.txt; s=$?
	has "--refuse: contains the control character U+001B" err.txt ||
	    exit 70; exit $s'
expect_code 64 'refuse: no option argument' '
	dossier-new r1.jsonl --refuse 2>err.txt; s=$?
	has "usage: dossier-new" err.txt || exit 70; exit $s'
expect_code 65 'refuse: an online submission is refused by dossier-route' '
	app r4 online >r4.jsonl &&
	dossier-new --as an.nv --refuse "$reason" r4.jsonl 2>err.txt; s=$?
	has "online submission is refused with dossier-route refuse" \
	    err.txt || exit 70
	test "$(count dossiers "WHERE ref = '\''r4'\''")" = 0 || exit 70
	exit $s'
expect_code 64 'refuse: not with --accept' '
	dossier-new --accept --refuse "$reason" r1.jsonl 2>err.txt; s=$?
	has "--accept" err.txt && has "--refuse" err.txt || exit 70; exit $s'

# ---- --guide ----

expect_ok 'guide: a guidance record, what is missing, no code, no status' '
	app g1 direct >g1.jsonl &&
	dossier-new --as an.nv --guide g1.jsonl >out.jsonl &&
	jq -e --arg c "$cert" ".v == 1 and .ref == \"g1\" and
	    .missing == [\$c] and .code == null and .status == null and
	    .guided_at == \"2026-03-12T09:00:00+07:00\" and
	    .procedure == \"1.001193\" and
	    .reason == \"Hồ sơ chưa đủ thành phần theo quy định của thủ tục\"" \
	    out.jsonl >/dev/null && jq -r .uuid out.jsonl >g1.uuid'
expect_ok 'guide: no dossier, one guide event on the application UUID' '
	test "$(count dossiers "WHERE ref = '\''g1'\''")" = 0 &&
	test "$(count events "WHERE action = '\''guide'\''
	    AND dossier = '\''$(cat g1.uuid)'\''")" = 1'
expect_code 1 'guide: dossier-status does not find it: no dossier' '
	dossier-status g1 >out.jsonl 2>err.txt'
expect_ok 'guide: dossier-admin check counts no event without a dossier' '
	dossier-admin check >check.json &&
	jq -e ".ok and .events_without_dossier == 0" check.json >/dev/null'
expect_ok 'guide -s text: form 02, every missing document, no code' '
	app g2 direct >g2.jsonl &&
	dossier-new --as an.nv --guide -s text g2.jsonl >f.txt &&
	has "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" f.txt &&
	has "1. Giấy chứng sinh" f.txt && has "Hồ sơ của: Trần Thị Bích" f.txt &&
	has "Lý do: Hồ sơ chưa đủ thành phần" f.txt &&
	has "NGƯỜI HƯỚNG DẪN" f.txt && ! has "Mã hồ sơ" f.txt'
expect_ok 'guide -s html: form 02 as a page' '
	app g3 direct >g3.jsonl &&
	dossier-new --as an.nv --guide -s html g3.jsonl >f.html &&
	has "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" f.html &&
	has "</html>" f.html'
expect_ok 'guide: a complete set with a note says what to correct' '
	app g4 direct "$cert" |
	    jq -c ".note = \"Tờ khai thiếu chữ ký của người đi khai\"" \
	    >g4.jsonl &&
	dossier-new --as an.nv --guide g4.jsonl >out.jsonl &&
	jq -e ".missing == [] and
	    .reason == \"Tờ khai thiếu chữ ký của người đi khai\"" out.jsonl \
	    >/dev/null'
expect_code 65 'guide: a complete set without a note has nothing to guide' '
	app g5 direct "$cert" >g5.jsonl &&
	dossier-new --as an.nv --guide g5.jsonl 2>err.txt; s=$?
	has "nothing to guide: every required document is there" err.txt ||
	    exit 70
	test "$(count events "WHERE action = '\''guide'\''")" = 4 || exit 70
	exit $s'
expect_ok 'guide: a rerun (same ref, same time) records nothing new' '
	dossier-new --as an.nv --guide g1.jsonl >out.jsonl &&
	jq -e ".existing == true" out.jsonl >/dev/null &&
	jq -r .uuid out.jsonl >got && same g1.uuid got &&
	test "$(count events "WHERE action = '\''guide'\''")" = 4'
expect_code 65 'guide: an application already a dossier is not guided' '
	dossier-new --as an.nv --guide r2.jsonl 2>err.txt; s=$?
	has "'\''r2'\'' is already a dossier: nothing to guide" err.txt ||
	    exit 70; exit $s'
expect_code 65 'guide: an online submission is sent back by dossier-route' '
	app g6 online >g6.jsonl &&
	dossier-new --as an.nv --guide g6.jsonl 2>err.txt; s=$?
	has "request_supplement sends it back" err.txt || exit 70; exit $s'
expect_code 64 'guide: not with --refuse' '
	dossier-new --guide --refuse "$reason" g1.jsonl 2>err.txt; s=$?
	has "--guide" err.txt && has "--refuse" err.txt || exit 70; exit $s'
expect_ok 'guide: the applicant comes back complete, under the same UUID' '
	app g1b direct "$cert" |
	    jq -c --arg u "$(cat g1.uuid)" ".uuid = \$u" >back.jsonl &&
	dossier-new --as an.nv back.jsonl >out.jsonl &&
	jq -e ".status == 2 and .due_at != null" out.jsonl >/dev/null &&
	dossier-status --history --format json "$(jq -r .code out.jsonl)" \
	    >h.jsonl && jq -r .action h.jsonl >got &&
	printf "guide\nreceive\n" >want && same want got'
expect_ok 'guide: the dossier received after its guidance changed at the guidance' '
	test "$(sqlite3 "$DOSSIER_DB" "SELECT d.changed_at = e.at
	    FROM dossiers d JOIN events e ON e.dossier = d.uuid
	    WHERE e.action = '\''guide'\''
	    AND d.uuid = '\''$(cat g1.uuid)'\''")" = 1'
expect_ok 'guide: dossier-admin check rebuilds the dossier past its guidance' '
	dossier-admin check >check.json &&
	jq -e ".ok and .projection_mismatches == 0 and
	    .events_without_dossier == 0" check.json >/dev/null'
expect_ok 'guide: a dry run records nothing' '
	app g7 direct >g7.jsonl &&
	dossier-new --as an.nv --guide -n g7.jsonl >out.jsonl &&
	jq -e ".ref == \"g7\"" out.jsonl >/dev/null &&
	test "$(count events "WHERE action = '\''guide'\''")" = 4'
expect_ok 'guide: the guide events travel in a bundle, and make no dossier' '
	dossier-admin -d p.db init --agency 000.00.00.H56 --name "Tỉnh" \
	    >/dev/null &&
	dossier-admin -d p.db catalog import "$CATALOG" >/dev/null &&
	dossier-bundle key >ck.json && dossier-bundle -d p.db key >pk.json &&
	dossier-bundle trust add 000.00.00.H56 "$(jq -r .public_key pk.json)" \
	    >/dev/null &&
	dossier-bundle -d p.db trust add 000.00.01.H56 \
	    "$(jq -r .public_key ck.json)" >/dev/null &&
	dossier-bundle export --to 000.00.00.H56 -o b.bundle >/dev/null &&
	dossier-bundle -d p.db import b.bundle >/dev/null &&
	test "$(sqlite3 p.db "SELECT count(*) FROM events
	    WHERE action = '\''guide'\''")" = 4 &&
	test "$(sqlite3 p.db "SELECT count(*) FROM dossiers")" = \
	    "$(count dossiers)" &&
	dossier-admin -d p.db check >pc.json &&
	jq -e ".ok and .events_without_dossier == 0" pc.json >/dev/null'

finish
