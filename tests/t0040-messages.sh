#!/bin/sh
# Vietnamese diagnostics: with LANGUAGE=vi (and a locale that is not C)
# the tools take their messages from the catalog built from po/vi.po;
# otherwise, and for an unknown language, they speak English.  Every
# message marked for translation has its Vietnamese one.
# The test commands are single-quoted on purpose: lib.sh evaluates them.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
setup
if ! [ -f "$DOSSIER_BIN/locale/vi/LC_MESSAGES/dossier.mo" ]; then
	skip_all 'no message catalog (msgfmt was missing at build time)'
fi
init_demo

# glibc reads LANGUAGE only when the locale is not "C": C.UTF-8 is not
expect_code 64 'a usage error in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier chekc 2>err; s=$?
	has "dossier: lệnh không tồn tại '\''chekc'\''" err || exit 1
	exit $s'
expect_code 64 'a required option in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-admin -d x.db init --agency \
	    000.00.01.H56 2>err; s=$?
	has "dossier-admin: cần có --name" err || exit 1
	exit $s'
expect_code 65 'a record rejection in Vietnamese, with its place' '
	echo "{}" >bad.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-new bad.jsonl 2>err; s=$?
	has "bad.jsonl:1: thiếu trường" err || exit 1
	exit $s'
expect_ok 'the version line in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-status --version >out &&
	has "(lược đồ cơ sở dữ liệu " out'
expect_code 64 'a refused option of dossier-status in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-status --history --format csv \
	    2>err; s=$?
	has "dossier-status: --history không có CSV: --format json hoặc table" \
	    err || exit 1
	exit $s'
expect_code 65 'a date refused by dossier-route in Vietnamese' '
	jq -c ". + {ref: \"vi-1\"}" "$DOSSIER_ROOT/examples/app.jsonl" |
	    head -n 1 >app.jsonl &&
	dossier-new app.jsonl >new.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-route --at 2099-01-01T09:00:00+07:00 start \
	    "$(jq -r .code new.jsonl)" 2>err; s=$?
	has "ở tương lai: thao tác được ghi ngày khi nó được thực hiện" err ||
	    exit 1
	exit $s'
expect_code 65 'an attachment refused in Vietnamese' '
	jq -c ". + {ref: \"vi-2\"} | .documents[0].file = \"/etc/passwd\"" \
	    "$DOSSIER_ROOT/examples/app.jsonl" | head -n 1 >att.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-new att.jsonl >out 2>err; s=$?
	has "tệp '\''/etc/passwd'\'': đường dẫn tuyệt đối" err || exit 1
	exit $s'
if command -v xgettext >/dev/null 2>&1 && command -v msgattrib >/dev/null 2>&1
then
	expect_ok 'every message marked _() has its Vietnamese translation' '
		xgettext --from-code=UTF-8 -k_ -kN_ --language=C --no-wrap \
		    -o d.pot "$DOSSIER_ROOT"/cmd/*.c \
		    "$DOSSIER_ROOT"/libcommon/*.c &&
		msgmerge -q --no-wrap -o m.po "$DOSSIER_ROOT/po/vi.po" d.pot &&
		msgattrib --untranslated --no-wrap m.po >un.po &&
		msgattrib --only-fuzzy --no-wrap m.po >fz.po &&
		if grep -q "^msgid \"." un.po fz.po; then
			grep -h -A1 "^msgid \"." un.po fz.po >&2; exit 1
		fi'
else
	skip 'every message marked _() has its Vietnamese translation' \
	    'no gettext tools'
fi
expect_code 64 'English without LANGUAGE' '
	LC_ALL=C.UTF-8 LANGUAGE= dossier chekc 2>err; s=$?
	has "dossier: unknown command '\''chekc'\''" err || exit 1
	exit $s'
expect_code 64 'English in the C locale, whatever LANGUAGE says' '
	LC_ALL=C LANGUAGE=vi dossier chekc 2>err; s=$?
	has "dossier: unknown command '\''chekc'\''" err || exit 1
	exit $s'
expect_code 64 'English for a language without a catalog' '
	LC_ALL=C.UTF-8 LANGUAGE=fr dossier chekc 2>err; s=$?
	has "dossier: unknown command '\''chekc'\''" err || exit 1
	exit $s'
expect_code 65 'a calendar line refused in Vietnamese, with its place' '
	echo "{\"date\":\"2026-02-30\",\"kind\":\"holiday\",\"name\":\"x\"}" \
	    >days.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-admin calendar import days.jsonl \
	    2>err; s=$?
	has "days.jsonl:1: ngày '\''2026-02-30'\'' không hợp lệ (cần YYYY-MM-DD)" \
	    err || exit 1
	has "days.jsonl: 1 dòng sai, không nhập gì" err || exit 1
	exit $s'
expect_code 65 'a catalog line refused in Vietnamese' '
	echo "{\"v\":1,\"kind\":\"unit\",\"code\":\"000.00.98.H56\",\"name\":\"X\",\"level\":\"village\",\"parent\":null}" \
	    >cat.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-admin catalog import cat.jsonl \
	    2>err; s=$?
	has "cat.jsonl:1: cấp đơn vị không tồn tại '\''village'\''" err || exit 1
	exit $s'
expect_code 65 'a catalog reference refused in Vietnamese, with its line' '
	echo "{\"v\":1,\"kind\":\"unit\",\"code\":\"000.00.97.H56\",\"name\":\"X\",\"level\":\"commune\",\"parent\":\"000.00.96.H56\"}" \
	    >ref.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-admin catalog import ref.jsonl \
	    2>err; s=$?
	has "ref.jsonl:1: đơn vị cấp trên không tồn tại '\''000.00.96.H56'\''" \
	    err || exit 1
	exit $s'
expect_code 64 'a filter refused by dossier-report in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-report --period month --of 2026-03 \
	    --waiting 2>err; s=$?
	has "dossier-report: --waiting: không phải bộ lọc của báo cáo" err ||
	    exit 1
	exit $s'
expect_code 65 'a channel refused by dossier-new in Vietnamese, counted' '
	jq -c ". + {ref: \"vi-3\", channel: \"fax\"}" \
	    "$DOSSIER_ROOT/examples/app.jsonl" | head -n 1 >fax.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-new --atomic fax.jsonl >out 2>err
	s=$?
	has "fax.jsonl:1: channel: không biết '\''fax'\'' (direct, online, postal)" \
	    err || exit 1
	has "dossier-new: 1 bản ghi bị từ chối: không lưu gì (--atomic)" err ||
	    exit 1
	exit $s'
expect_code 65 'a file that is not a bundle refused in Vietnamese' '
	echo hello >bad.bundle &&
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-bundle import bad.bundle 2>err
	s=$?
	has "dossier-bundle: bad.bundle: không phải gói dữ liệu" err || exit 1
	exit $s'
expect_code 66 'an untrusted peer refused by dossier-bundle in Vietnamese' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-bundle trust remove 000.00.77.H56 \
	    2>err; s=$?
	has "dossier-bundle: '\''000.00.77.H56'\'' không có trong danh sách tin cậy" \
	    err || exit 1
	exit $s'

# Every message the sources mark is in the catalog, translated; and the
# tools whose diagnostics are all marked keep them so: a call with a bare
# literal of words (not an internal error) fails the test.
if command -v xgettext >/dev/null 2>&1; then
	expect_ok 'every marked message has a Vietnamese translation' '
		(cd "$DOSSIER_ROOT" && xgettext --from-code=UTF-8 -k_ -kN_ \
		    --language=C --no-wrap -o "$T/all.pot" cmd/*.c \
		    libcommon/*.c) &&
		msgmerge -q --no-wrap -o merged.po "$DOSSIER_ROOT/po/vi.po" \
		    all.pot &&
		msgattrib --no-wrap --untranslated merged.po >untr.po &&
		msgattrib --no-wrap --only-fuzzy merged.po >fuzzy.po &&
		cat untr.po fuzzy.po >bad.po &&
		{ ! grep -q "^msgid \"..*\"" bad.po ||
		    { grep "^msgid" bad.po; exit 1; }; } &&
		! grep -q "^msgid \"..*\"" fuzzy.po'
else
	skip 'every marked message has a Vietnamese translation' 'no xgettext'
fi
expect_ok 'the admin, route and status tools and their modules mark every message' '
	cd "$DOSSIER_ROOT" &&
	call="(dx_die\(DX_[A-Z]+, *|usage\(|dx_warn\(|dx_seterr\([^,()]+, *DX_[A-Z]+, *)\"" &&
	grep -nE "$call" \
	    cmd/dossier-admin.c cmd/dossier-route.c cmd/dossier-status.c \
	    libcommon/caldb.c libcommon/calchange.c libcommon/catalog.c \
	    libcommon/db.c libcommon/officekey.c libcommon/select.c \
	    libcommon/flow.c libcommon/spool.c libcommon/project.c \
	    libcommon/record.c libcommon/tool.c libcommon/util.c \
	    libcommon/seal.c libcommon/blob.c libcommon/portal.c \
	    libcommon/events.c libcommon/forms.c libcommon/attach.c \
	    cmd/dossier-report.c cmd/dossier-new.c libcommon/bundle.c \
	    cmd/dossier-bundle.c libcommon/audit.c |
	    grep -v DX_SOFTWARE | sed "s/%[-0-9.]*[a-z]*//g" |
	    grep -E "$call[^\"]*[A-Za-z]{2}" >"$T/bare" ;
	cd "$T" && { ! [ -s bare ] || { cat bare; exit 1; }; }'
expect_ok 'JSON output stays as it is: numbers, keys, times' '
	LC_ALL=C.UTF-8 LANGUAGE=vi dossier-admin calendar show 2026 >vi.jsonl &&
	LC_ALL=C.UTF-8 LANGUAGE= dossier-admin calendar show 2026 >en.jsonl &&
	same en.jsonl vi.jsonl'

finish
