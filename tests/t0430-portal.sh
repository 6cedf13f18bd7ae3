#!/bin/sh
# The national portal's synchronisation shape: dossier-status --format
# portal writes dossiers and their process steps in it, dossier-new
# --input-format portal reads online submissions in it; round trip.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
expect_ok 'setup: an office with the demo catalog' init_demo

# portal MAHOSO NAME CHANNEL WHEN: an online submission as the portal
# synchronises it, for 1.001193
portal() {
	jq -nc --arg ma "$1" --arg n "$2" --arg ch "$3" --arg t "$4" \
	    --slurpfile cat "$CATALOG" '{MaHoSo: $ma, MaTTHC: "1.001193",
	    TenTTHC: "Đăng ký khai sinh", KenhThucHien: $ch, ChuHoSo: $n,
	    SoGiayToChuHoSo: "052189001234", LoaiDoiTuong: "1",
	    SoDienThoaiChuHoSo: "0905123456", EmailChuHoSo: null,
	    DiaChiChuHoSo: "Thôn Vinh Thạnh", NgayNopHoSo: $t,
	    NgayHenTra: null, TrangThaiHoSo: "1",
	    TaiLieuNop: [$cat[] | select(.kind == "procedure" and
	        .code == "1.001193") | .documents[] | select(.required) |
	        {TenTepDinhKem: .name, MaThanhPhanHoSo: null}] |
	        map(del(.MaThanhPhanHoSo))}'
}

expect_ok 'setup: two submissions from the portal' '
	{
		portal G22.99-260312-0001 "Nguyễn Văn An" 2 20260312083000
		portal G22.99-260312-0002 "Trần Thị Đào" 2 20260312100500
	} >portal.jsonl &&
	dossier-new --input-format portal portal.jsonl >new.jsonl &&
	test "$(wc -l <new.jsonl)" = 2'
expect_ok 'read as online submissions: ref, applicant, time received' '
	jq -e -s "length == 2 and .[0].ref == \"G22.99-260312-0001\" and
	    .[0].status_name == \"submitted\" and .[0].channel == \"online\" and
	    .[0].applicant.name == \"Nguyễn Văn An\" and
	    .[0].applicant.id_number == \"052189001234\" and
	    .[0].received_at == \"2026-03-12T08:30:00+07:00\" and
	    .[1].received_at == \"2026-03-12T10:05:00+07:00\" and
	    (.[0].documents | length) > 0" new.jsonl >/dev/null'
expect_ok 'a record fed twice is stored once' '
	dossier-new --input-format portal portal.jsonl >again.jsonl &&
	test "$(dossier-status --format json | wc -l)" = 2'
expect_ok 'setup: one accepted and started' '
	c=$(jq -r "select(.ref == \"G22.99-260312-0001\") | .code" new.jsonl) &&
	dossier-route --as an.nv --at 2026-03-12T09:00:00+07:00 accept "$c" \
	    >/dev/null &&
	dossier-route --as an.nv --at 2026-03-12T09:30:00+07:00 start \
	    -H hai.pm "$c" >/dev/null'
expect_ok '--format portal: the dossier and its steps in the portal shape' '
	c=$(jq -r "select(.ref == \"G22.99-260312-0001\") | .code" new.jsonl) &&
	dossier-status --format portal "$c" >out.jsonl &&
	test "$(wc -l <out.jsonl)" = 1 &&
	jq -e --arg c "$c" ".MaHoSo == \$c and .MaTTHC == \"1.001193\" and
	    .KenhThucHien == \"2\" and .TrangThaiHoSo == \"4\" and
	    .ChuHoSo == \"Nguyễn Văn An\" and .LoaiDoiTuong == \"1\" and
	    .NgayTiepNhan == \"20260312083000\" and
	    (.NgayHenTra | test(\"^2026031[0-9]{7}\$\")) and
	    (.QuaTrinhXuLy | length) == 3 and
	    ([.QuaTrinhXuLy[].TrangThai] == [\"1\", \"2\", \"4\"]) and
	    .QuaTrinhXuLy[2].NoiDungXuLy == \"Phân công xử lý\" and
	    .QuaTrinhXuLy[2].ThoiDiemXuLy == \"20260312093000\" and
	    .QuaTrinhXuLy[1].NguoiXuLy == \"Nguyễn Văn An\" and
	    all(.QuaTrinhXuLy[]; .MaHoSo == \$c)" out.jsonl >/dev/null'
expect_ok 'round trip: what one office writes, another reads as it was' '
	dossier-status --format portal --sort code >all.jsonl &&
	mkdir other && DOSSIER_DB=$T/other/office.db &&
	init_demo &&
	dossier-new --input-format portal all.jsonl >other.jsonl &&
	DOSSIER_DB=$T/office.db &&
	dossier-status --format json --sort code >mine.jsonl &&
	pick="[.procedure, .channel, .applicant, .received_at,
	    [.documents[].name], .note]" &&
	jq -c "$pick" mine.jsonl >want.txt &&
	jq -c "$pick" other.jsonl >got.txt && same want.txt got.txt &&
	jq -r .code mine.jsonl >want.txt && jq -r .ref other.jsonl >got.txt &&
	same want.txt got.txt'
expect_code 65 'a record without MaTTHC is rejected, naming the field' '
	echo "{\"MaHoSo\":\"X-1\",\"ChuHoSo\":\"An\"}" >bad.jsonl &&
	dossier-new --input-format portal bad.jsonl 2>err; s=$?
	has "MaTTHC" err || exit 9; exit $s'
expect_code 65 'a date not yyyyMMddHHmmss is rejected' '
	portal X-2 "Lê Văn Tám" 2 2026-03-12 >bad.jsonl &&
	dossier-new --input-format portal bad.jsonl 2>err; s=$?
	has "is not a date yyyyMMddHHmmss" err || exit 9; exit $s'
expect_code 65 'an unknown field is refused' '
	portal X-3 "Lê Văn Tám" 2 20260312083000 |
	    jq -c ". + {MaBiMat: 1}" >bad.jsonl &&
	dossier-new --input-format portal bad.jsonl 2>err; s=$?
	has "MaBiMat" err || exit 9; exit $s'
expect_code 64 'an unknown input format is a usage error' '
	dossier-new --input-format xml </dev/null 2>err; s=$?
	has "--input-format: '\''xml'\'' is not json or portal" err || exit 9
	exit $s'
expect_code 64 '--format portal has no --history' '
	dossier-status --format portal --history 2>err; s=$?
	has "--format portal writes dossiers only" err || exit 9; exit $s'
finish
