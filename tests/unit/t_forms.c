/*
 * t_forms.c: the printable forms in text and HTML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "calendar.h"
#include "forms.h"
#include "util.h"

void t_forms(void);

#define CODE "000.00.22.H56-260312-0001"

/* A dossier as rec_dossier() builds it. */
static json_t *
dossier(const char *name, const char *address)
{
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:i, s:s, s:n, s:n, s:n,"
	    " s:{s:s, s:s, s:s, s:s, s:s, s:n},"
	    " s:[{s:s, s:n}, {s:s, s:n}], s:n,"
	    " s:s, s:s, s:s, s:n, s:n, s:{s:i, s:s}, s:n, s:i, s:i, s:i}",
	    "v", 1, "uuid", "0194f3c2-7d1e-7c4a-9b1a-2f0c3d4e5f60",
	    "code", CODE, "ref", "import-2026-03-12-0001",
	    "procedure", "1.001193", "procedure_version", 1,
	    "procedure_name", "Đăng ký khai sinh", "field", "Hộ tịch",
	    "unit", "000.00.22.H56", "unit_name", "UBND xã Phước Thắng",
	    "owner", "000.00.22.H56", "channel", "direct",
	    "status", 2, "status_name", "accepted", "step", "step_name",
	    "handler",
	    "applicant", "type", "citizen", "name", name,
	    "id_number", "052189001234", "phone", "0905123456",
	    "address", address, "email",
	    "documents", "name", "Tờ khai đăng ký khai sinh", "file",
	    "name", "Giấy chứng sinh do cơ sở y tế cấp", "file",
	    "note",
	    "received_at", "2026-03-12T09:00:00+07:00",
	    "start_at", "2026-03-12T09:00:00+07:00",
	    "due_at", "2026-03-13T09:00:00+07:00",
	    "finished_at", "returned_at",
	    "time", "amount", 1, "unit", "working_days",
	    "remote_extra",
	    "supplements", 0, "extensions", 0, "version", 1);
}

static json_t *
common_info(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}",
	    "parent_name", "UBND TỈNH THANH HÓA",
	    "office_name", "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
	    "staff_name", "Nguyễn Văn An", "place", "Thanh Hóa",
	    "date", "2026-03-12");
}

/* The form data of each kind (new references). */
static json_t *
info_for(enum form_kind kind)
{
	json_t *info = common_info();

	switch (kind) {
	case FORM_RECEIPT:
		json_object_del(info, "date");
		break;
	case FORM_SUPPLEMENT:
		json_object_update_new(info, json_pack("{s:s, s:[s, s], s:s}",
		    "reason", "Tờ khai thiếu chữ ký của người đi khai sinh",
		    "missing", "Tờ khai đăng ký khai sinh (bản có chữ ký)",
		    "Giấy chứng sinh bản chính",
		    "requested_at", "2026-03-12T10:30:00+07:00"));
		break;
	case FORM_REFUSAL:
		json_object_set_new(info, "reason", json_string(
		    "Thủ tục không thuộc thẩm quyền giải quyết của xã"));
		break;
	case FORM_APOLOGY:
		json_object_update_new(info, json_pack("{s:s, s:s}",
		    "reason", "Cần xác minh thêm thông tin nơi sinh",
		    "new_due_at", "2026-03-20T16:30:00+07:00"));
		break;
	case FORM_STOP:
		json_object_update_new(info, json_pack("{s:s, s:s}",
		    "reason", "Người yêu cầu rút hồ sơ", "requested_by",
		    "applicant"));
		break;
	case FORM_TRACKING:
		json_object_set_new(info, "steps", json_pack("[{s:s, s:s, s:s,"
		    " s:s, s:s, s:s, s:n}, {s:s, s:s, s:s, s:s, s:s, s:s,"
		    " s:s}]",
		    "from_unit", "Bộ phận Một cửa",
		    "to_unit", "Công chức tư pháp",
		    "handed_at", "2026-03-12T09:30:00+07:00",
		    "due_at", "2026-03-12T13:30:00+07:00",
		    "result", "on_time", "handler_name", "Lê Thị Hoa", "note",
		    "from_unit", "Công chức tư pháp", "to_unit",
		    "Chủ tịch UBND xã",
		    "handed_at", "2026-03-13T10:00:00+07:00",
		    "due_at", "2026-03-13T09:00:00+07:00", "result", "late",
		    "handler_name", "Phạm Văn Đức", "note",
		    "Chờ xác minh nơi sinh"));
		break;
	case FORM_REGISTER:
		/* form_register(): the period */
		json_object_update_new(info, json_pack("{s:s, s:s}", "from",
		    "2026-03-01", "to", "2026-03-31"));
		break;
	}
	return info;
}

/*
 * Render forms kinds[0..n-1] into one document; returns the output
 * (freed by the caller) and the result of the last call in *rc.
 */
static char *
render_n(enum form_format fmt, const enum form_kind *kinds, int n,
    const json_t *d, const json_t *info, struct dx_err *e, int *rc)
{
	struct calendar cal;
	struct form_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int i;

	cal_init(&cal);
	fp = open_memstream(&buf, &len);
	w = form_open(fp, fmt);
	*rc = 0;
	for (i = 0; i < n && *rc == 0; i++)
		*rc = form_write(w, kinds[i], d, info, &cal, e);
	if (form_close(w, e) == -1)
		*rc = -1;
	fclose(fp);
	cal_free(&cal);
	return buf;
}

static char *
render(enum form_format fmt, enum form_kind kind, const json_t *d,
    const json_t *info, struct dx_err *e, int *rc)
{
	return render_n(fmt, &kind, 1, d, info, e, rc);
}

/* The longest line of `s`, in code points. */
static size_t
longest(const char *s)
{
	size_t n = 0, max = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			n = 0;
			continue;
		}
		if (((unsigned char)*s & 0xc0) != 0x80 && ++n > max)
			max = n;
	}
	return max;
}

/*
 * `s` with each line break and the indent after it turned into one space,
 * to look for text that wrapping may have split.  A new string.
 */
static char *
unwrap(const char *s)
{
	char *out = malloc(strlen(s) + 1), *q = out;

	while (*s != '\0') {
		if (*s == '\n') {
			while (*s == '\n' || *s == ' ')
				s++;
			*q++ = ' ';
			continue;
		}
		*q++ = *s++;
	}
	*q = '\0';
	return out;
}

static int
has(const char *s, const char *sub)
{
	if (s == NULL || strstr(s, sub) == NULL) {
		printf("#   missing: '%s'\n", sub);
		return 0;
	}
	return 1;
}

/* Key strings each form shows, in both formats. */
static const struct {
	enum form_kind kind;
	const char *want[4];
} wants[] = {
	{ FORM_RECEIPT, { "09 giờ 00 phút, ngày 13/03/2026",
	    "1 ngày làm việc", "Tờ khai đăng ký khai sinh",
	    "Thanh Hóa, ngày 12 tháng 03 năm 2026" } },
	{ FORM_SUPPLEMENT, { "Giấy chứng sinh bản chính",
	    "Tờ khai thiếu chữ ký", "10 giờ 30 phút, ngày 12/03/2026",
	    "Nguyễn Văn An" } },
	{ FORM_REFUSAL, { "không thuộc thẩm quyền", "Đăng ký khai sinh",
	    "0905123456", "Thanh Hóa, ngày 12 tháng 03 năm 2026" } },
	{ FORM_APOLOGY, { "16 giờ 30 phút, ngày 20/03/2026",
	    "09 giờ 00 phút, ngày 13/03/2026", "Cần xác minh thêm",
	    "xin lỗi" } },
	{ FORM_STOP, { "Người yêu cầu rút hồ sơ", "dừng giải quyết",
	    "Căn cứ đề nghị", "UBND xã Phước Thắng" } },
	{ FORM_TRACKING, { "Quá hạn", "Đúng hạn",
	    "Giao: Bộ phận Một cửa / Nhận: Công chức tư pháp",
	    "10 giờ 00 phút, ngày 13/03/2026" } },
};

static void
check_forms(void)
{
	json_t *d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh, xã Phước Thắng");
	struct dx_err e;
	size_t i, j;
	int rc, f, good;
	char *out, *flat;

	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		json_t *info = info_for(wants[i].kind);

		for (f = FORM_TEXT; f <= FORM_HTML; f++) {
			const char *fname = f == FORM_TEXT ? "text" : "html";

			out = render((enum form_format)f, wants[i].kind, d,
			    info, &e, &rc);
			is_int(rc, 0, "form %zu %s renders", i + 1, fname);
			flat = unwrap(out);
			good = has(out, CODE) && has(out, "Trần Thị Bích");
			for (j = 0; j < 4 && wants[i].want[j] != NULL; j++)
				good &= has(flat, wants[i].want[j]);
			free(flat);
			ok(good, "form %zu %s shows code, applicant and its "
			    "data", i + 1, fname);
			if (f == FORM_TEXT)
				ok(longest(out) <= 48 && longest(out) > 30,
				    "form %zu text lines fit 48 columns (%zu)",
				    i + 1, longest(out));
			else
				ok(has(out, "<!DOCTYPE html>") &&
				    has(out, wants[i].kind == FORM_TRACKING ?
				    "@page { size: A4; margin: 12mm }" :
				    "@page { size: A5; margin: 10mm 12mm }") &&
				    has(out, "</html>") &&
				    strstr(out, "http") == NULL,
				    "form %zu html is a whole page, right size",
				    i + 1);
			free(out);
		}
		json_decref(info);
	}
	json_decref(d);
}

static void
check_receipt(void)
{
	static const char *long_addr = "Số nhà 123, đường Nguyễn Trãi, "
	    "khu phố Phú Sơn, phường Đông Sơn, tỉnh Thanh Hóa, gần chợ "
	    "Vườn Hoa Quảng trường Lam Sơn Supercalifragilisticexpialidocious"
	    "AbcdefghijklmnopqrstuvwxyzAbcdefghijklmnop";
	static const struct {
		const char *amount;	/* JSON */
		const char *unit;
		const char *want;
	} amounts[] = {
		{ "0.5", "working_days", "0,5 ngày làm việc" },
		{ "12", "days", "12 ngày" },
		{ "4", "hours", "4 giờ làm việc" },
		{ "2", "half_days", "2 buổi làm việc" },
		{ "1.25", "working_days", "1,25 ngày làm việc" },
	};
	json_t *d = dossier("Trần Thị Bích", long_addr);
	struct dx_err e;
	char *out, *p;
	size_t i;
	int rc;

	out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	is_int(rc, 0, "receipt without info renders");
	ok(has(out, "Mã hồ sơ: " CODE) && has(out, "Trực tiếp") &&
	    has(out, "01 bộ") && has(out, "052189001234") &&
	    has(out, "Tra cứu tình trạng hồ sơ theo mã hồ sơ") &&
	    has(out, "NGƯỜI TIẾP NHẬN HỒ SƠ") &&
	    has(out, "ngày 12 tháng 03 năm 2026") &&
	    has(out, "09 giờ 00 phút, ngày 12/03/2026"),
	    "receipt has the slip fields, date from received_at");
	ok(longest(out) <= 48, "long address wraps to 48 columns (%zu)",
	    longest(out));
	p = out != NULL ? strstr(out, "Địa chỉ: Số nhà") : NULL;
	p = p != NULL ? strchr(p, '\n') : NULL;
	ok(p != NULL && strncmp(p + 1, "  ", 2) == 0 && p[3] != ' ',
	    "wrapped value continues with an indent");
	ok(has(out, "Supercalifragilisticexpial"), "overlong word is cut");
	free(out);

	/* times given in UTC print in office time */
	json_object_set_new(d, "due_at", json_string("2026-03-13T02:00:00Z"));
	json_object_set_new(d, "channel", json_string("online"));
	json_object_set_new(d, "remote_extra",
	    json_pack("{s:i, s:s}", "amount", 10, "unit", "working_days"));
	out = render(FORM_HTML, FORM_RECEIPT, d, NULL, &e, &rc);
	ok(rc == 0 && has(out, "09 giờ 00 phút, ngày 13/03/2026") &&
	    has(out, "Trực tuyến") && has(out, "(cộng thêm 10 ngày làm việc "
	    "đối với xã vùng sâu, vùng xa)"),
	    "UTC due time shown at +07:00, channel, remote extra");
	free(out);

	json_object_set_new(d, "due_at", json_null());
	out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	ok(rc == 0 && has(out, "(chưa hẹn: hồ sơ trực tuyến chờ tiếp nhận)"),
	    "receipt without due time says so");
	free(out);

	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		json_object_set_new(d, "time", json_pack("{s:o, s:s}",
		    "amount", json_loads(amounts[i].amount, JSON_DECODE_ANY,
		    NULL), "unit", amounts[i].unit));
		out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
		ok(rc == 0 && has(out, amounts[i].want), "amount %s %s: %s",
		    amounts[i].amount, amounts[i].unit, amounts[i].want);
		free(out);
	}
	json_object_set_new(d, "time", json_pack("{s:i, s:s}", "amount", 1,
	    "unit", "weeks"));
	out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR && out != NULL && *out == '\0',
	    "unknown time unit: DX_DATAERR, nothing written (%s)",
	    rc == -1 ? e.msg : "no error");
	free(out);
	json_decref(d);
}

static void
check_escape(void)
{
	json_t *d = dossier("Lê <script>&\"Văn' Tám", "Thôn <b>Đông</b>");
	json_t *info = info_for(FORM_REFUSAL);
	struct dx_err e;
	char *out;
	int rc;

	json_object_set_new(info, "office_name", json_string("UBND & <i>"));
	out = render(FORM_HTML, FORM_REFUSAL, d, info, &e, &rc);
	ok(rc == 0 && has(out, "Lê &lt;script&gt;&amp;&quot;Văn&#39; Tám") &&
	    has(out, "Thôn &lt;b&gt;Đông&lt;/b&gt;") &&
	    has(out, "UBND &amp; &lt;i&gt;") && strstr(out, "<script>") ==
	    NULL && strstr(out, "<b>Đông") == NULL && strstr(out, "<i>") ==
	    NULL, "HTML escapes & < > \" ' in data");
	free(out);
	out = render(FORM_TEXT, FORM_REFUSAL, d, info, &e, &rc);
	ok(rc == 0 && has(out, "Lê <script>&\"Văn' Tám"),
	    "text keeps data as is");
	free(out);
	json_decref(info);
	json_decref(d);
}

static void
check_several(void)
{
	static const enum form_kind kinds[] = { FORM_RECEIPT, FORM_TRACKING,
	    FORM_APOLOGY };
	json_t *d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	json_t *info = info_for(FORM_APOLOGY);
	struct dx_err e;
	char *out, *p;
	int rc, n;

	out = render_n(FORM_TEXT, kinds, 3, d, info, &e, &rc);
	for (n = 0, p = out; p != NULL && (p = strstr(p, "\f\n")) != NULL;
	    p++)
		n++;
	ok(rc == 0 && n == 2 && out[0] != '\f', "text: a form feed line "
	    "between forms (%d)", n);
	ok(has(out, "Bước 1") && has(out, "Người giao ký: ....") &&
	    has(out, "Bước 4"), "control slip without steps has blank rows");
	ok(longest(out) <= 48, "three forms fit 48 columns");
	free(out);

	out = render_n(FORM_HTML, kinds, 3, d, info, &e, &rc);
	for (n = 0, p = out; p != NULL && (p = strstr(p, "<section")) != NULL;
	    p++)
		n++;
	ok(rc == 0 && n == 3 &&
	    has(out, ".form + .form { break-before: page") &&
	    has(out, "@page { size: A5; margin: 10mm 12mm }") &&
	    has(out, "class=\"form a4\"") &&
	    strstr(strstr(out, "<!DOCTYPE") + 1, "<!DOCTYPE") == NULL,
	    "html: one page, three sections with page breaks, A4 for 06");
	free(out);

	out = render_n(FORM_HTML, kinds, 0, d, info, &e, &rc);
	ok(rc == 0 && has(out, "<!DOCTYPE html>") && has(out, "</html>"),
	    "html with no form is still a whole page");
	free(out);
	json_decref(info);
	json_decref(d);
}

static void
check_errors(void)
{
	static const struct {
		enum form_kind kind;
		const char *drop;	/* info key removed */
		const char *want;	/* in the message */
	} cases[] = {
		{ FORM_SUPPLEMENT, "reason", "reason" },
		{ FORM_REFUSAL, "reason", "reason" },
		{ FORM_APOLOGY, "reason", "reason" },
		{ FORM_APOLOGY, "new_due_at", "new_due_at" },
		{ FORM_STOP, "reason", "reason" },
	};
	json_t *d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	json_t *info;
	struct dx_err e;
	struct calendar cal;
	struct form_writer *w;
	FILE *fp;
	char *out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		info = info_for(cases[i].kind);
		json_object_del(info, cases[i].drop);
		memset(&e, 0, sizeof(e));
		out = render(FORM_TEXT, cases[i].kind, d, info, &e, &rc);
		ok(rc == -1 && e.code == DX_DATAERR &&
		    strstr(e.msg, cases[i].want) != NULL && *out == '\0',
		    "form %d without %s: DX_DATAERR (%s)", cases[i].kind,
		    cases[i].drop, e.msg);
		free(out);
		json_decref(info);
	}
	out = render(FORM_HTML, FORM_REFUSAL, d, NULL, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR, "refusal with no info: "
	    "DX_DATAERR");
	free(out);

	info = info_for(FORM_TRACKING);
	json_object_set_new(json_array_get(json_object_get(info, "steps"), 0),
	    "result", json_string("soon"));
	out = render(FORM_TEXT, FORM_TRACKING, d, info, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "soon") != NULL,
	    "unknown step result: DX_DATAERR (%s)", e.msg);
	free(out);
	json_decref(info);

	info = info_for(FORM_APOLOGY);
	json_object_set_new(info, "new_due_at", json_string("next week"));
	out = render(FORM_TEXT, FORM_APOLOGY, d, info, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR, "bad time: DX_DATAERR (%s)",
	    e.msg);
	free(out);
	json_decref(info);

	json_object_del(d, "code");
	out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "code") != NULL,
	    "dossier without code: DX_DATAERR (%s)", e.msg);
	free(out);
	json_object_set_new(d, "code", json_string(CODE));
	json_object_set_new(d, "applicant", json_null());
	out = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR, "dossier without applicant: "
	    "DX_DATAERR (%s)", e.msg);
	free(out);
	json_decref(d);

	/* a write error: a stream opened for reading only */
	d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	cal_init(&cal);
	fp = fopen("/dev/null", "r");
	w = form_open(fp, FORM_TEXT);
	rc = form_write(w, FORM_RECEIPT, d, NULL, &cal, &e);
	ok(rc == -1 && e.code == DX_IOERR, "write error: DX_IOERR");
	rc = form_close(w, &e);
	ok(rc == -1 && e.code == DX_IOERR, "close after write error: -1");
	if (fp != NULL)
		fclose(fp);
	ok(form_open(NULL, FORM_TEXT) == NULL, "form_open(NULL) is NULL");
	cal_free(&cal);
	json_decref(d);
}

static void
check_parse(void)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "01", FORM_RECEIPT }, { "1", FORM_RECEIPT },
		{ "receipt", FORM_RECEIPT }, { "02", FORM_SUPPLEMENT },
		{ "supplement", FORM_SUPPLEMENT }, { "3", FORM_REFUSAL },
		{ "refusal", FORM_REFUSAL }, { "04", FORM_APOLOGY },
		{ "apology", FORM_APOLOGY }, { "05", FORM_STOP },
		{ "stop", FORM_STOP }, { "6", FORM_TRACKING },
		{ "06", FORM_TRACKING }, { "tracking", FORM_TRACKING },
		{ "07", FORM_REGISTER }, { "register", FORM_REGISTER },
		{ "08", -1 }, { "0", -1 }, { "", -1 }, { "Receipt", -1 },
		{ "001", -1 }, { "1 ", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(form_parse(cases[i].s), cases[i].want,
		    "form_parse(\"%s\")", cases[i].s);
	is_int(form_parse(NULL), -1, "form_parse(NULL)");
	is_str(form_name(FORM_RECEIPT),
	    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "form_name 01");
	is_str(form_name(FORM_STOP), "Thông báo dừng giải quyết hồ sơ",
	    "form_name 05");
	is_str(form_name(FORM_REGISTER), "Sổ theo dõi hồ sơ", "form_name 07");
	ok(form_name((enum form_kind)8) == NULL, "form_name 8 is NULL");
}

/*
 * One set of forms: Circular 01/2018's numbers and titles for a dossier
 * received before 15/09/2025, Circular 03/2025's from that day.
 */
static void
check_sets(void)
{
	static const struct {
		enum form_kind kind;
		int set;
		const char *want;
	} nums[] = {
		{ FORM_RECEIPT, FORM_TT01_2018, "01" },
		{ FORM_RECEIPT, FORM_TT03_2025, "01" },
		{ FORM_APOLOGY, FORM_TT01_2018, "04" },
		{ FORM_STOP, FORM_TT01_2018, "05" },
		{ FORM_TRACKING, FORM_TT01_2018, "05" },
		{ FORM_TRACKING, FORM_TT03_2025, "06" },
		{ FORM_REGISTER, FORM_TT01_2018, "06" },
		{ FORM_REGISTER, FORM_TT03_2025, "07" },
	};
	json_t *d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	json_t *info = info_for(FORM_APOLOGY);
	struct calendar cal;
	struct dx_err e;
	dx_time t;
	size_t i;
	int rc;
	char *out;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		is_str(form_number(nums[i].kind, nums[i].set), nums[i].want,
		    "form_number(%d, %d)", (int)nums[i].kind, nums[i].set);
	ok(form_number(FORM_RECEIPT, 3) == NULL, "form_number: no set 3");
	cal_init(&cal);
	ok(cal_parse(&cal, "2025-09-14T23:59:59+07:00", &t) == 0 &&
	    form_circular(&cal, t) == FORM_TT01_2018,
	    "14/09/2025 23:59 local: Circular 01/2018");
	ok(cal_parse(&cal, "2025-09-14T17:00:00Z", &t) == 0 &&
	    form_circular(&cal, t) == FORM_TT03_2025,
	    "15/09/2025 00:00 local: Circular 03/2025");
	cal_free(&cal);

	out = render(FORM_TEXT, FORM_APOLOGY, d, info, &e, &rc);
	ok(rc == 0 && strstr(out, "Mẫu số 04 - Thông tư 03/2025/TT-VPCP") &&
	    strstr(out, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN"),
	    "received 12/03/2026: form 04 of Circular 03/2025");
	free(out);
	json_object_set_new(d, "received_at",
	    json_string("2025-09-12T09:00:00+07:00"));
	out = render(FORM_TEXT, FORM_APOLOGY, d, info, &e, &rc);
	ok(rc == 0 && strstr(out, "Mẫu số 04 - Thông tư 01/2018/TT-VPCP") &&
	    strstr(out, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
	    "received 12/09/2025: form 04 of Circular 01/2018");
	free(out);
	out = render(FORM_HTML, FORM_TRACKING, d, NULL, &e, &rc);
	ok(rc == 0 && strstr(out, "Mẫu số 05 - Thông tư 01/2018/TT-VPCP") &&
	    strstr(out, "<title>Phiếu kiểm soát"),
	    "received 12/09/2025: the control slip is form 05");
	free(out);
	json_decref(info);
	info = info_for(FORM_STOP);
	out = render(FORM_TEXT, FORM_STOP, d, info, &e, &rc);
	ok(rc == 0 && strstr(out, "Mẫu số 05 - Thông tư 03/2025/TT-VPCP"),
	    "the stop notice exists in Circular 03/2025 only");
	free(out);
	json_decref(info);
	json_decref(d);
}

/* Form 01: the documents table, the register line, an online receipt. */
static void
check_receipt_more(void)
{
	json_t *d = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	json_t *info = json_pack("{s:s, s:i, s:s}", "register_book", "2026",
	    "register_no", 15, "accepted_at", "2026-03-12T18:10:00+07:00");
	struct dx_err e;
	char *out, *flat;
	int rc;

	json_object_set_new(d, "documents", json_pack("[{s:s, s:i, s:i},"
	    " {s:s}]", "name", "Tờ khai đăng ký khai sinh", "original", 1,
	    "copy", 2, "name", "Giấy chứng sinh"));
	out = render(FORM_TEXT, FORM_RECEIPT, d, info, &e, &rc);
	flat = unwrap(out);
	ok(rc == 0 && strstr(flat, "Bản chính: 1; Bản sao: 0;"
	    " Bản chụp: 2") && strstr(flat, "2. Giấy chứng sinh"),
	    "form 01 counts the copies of the documents that give them");
	ok(rc == 0 && strstr(flat, "Vào Sổ theo dõi hồ sơ, Quyển số: 2026,"
	    " Số thứ tự: 15"), "form 01 gives its line in the register book");
	ok(rc == 0 && strstr(flat, "4. Thời gian nhận hồ sơ") &&
	    !strstr(flat, "tiếp nhận hồ sơ: 18"),
	    "a paper receipt: the time received only");
	free(flat);
	free(out);
	out = render(FORM_HTML, FORM_RECEIPT, d, info, &e, &rc);
	ok(rc == 0 && strstr(out, "<th class=\"num\">Bản chụp</th>") &&
	    strstr(out, "<td class=\"num\">2</td>"),
	    "form 01 HTML: a column per kind of copy");
	free(out);

	json_object_set_new(d, "channel", json_string("online"));
	json_object_set_new(d, "received_at",
	    json_string("2026-03-12T16:40:00+07:00"));
	json_object_set_new(d, "start_at",
	    json_string("2026-03-13T07:30:00+07:00"));
	out = render(FORM_TEXT, FORM_RECEIPT, d, info, &e, &rc);
	flat = unwrap(out);
	ok(rc == 0 && strstr(flat, "Thời gian nộp hồ sơ trực tuyến: 16 giờ"
	    " 40 phút, ngày 12/03/2026") &&
	    strstr(flat, "Thời gian tiếp nhận hồ sơ: 18 giờ 10 phút,") &&
	    strstr(flat, "bắt đầu tính thời hạn giải quyết: 07 giờ 30 phút,"
	    " ngày 13/03/2026") && strstr(flat, "ngày 12 tháng 03 năm 2026"),
	    "an online receipt: submitted, accepted, the clock's start");
	free(flat);
	free(out);
	json_object_set_new(info, "register_no", json_integer(-1));
	out = render(FORM_TEXT, FORM_RECEIPT, d, info, &e, &rc);
	ok(rc == -1 && e.code == DX_DATAERR, "a negative register_no is"
	    " refused");
	free(out);
	json_decref(info);
	json_decref(d);
}

/* The register book of a period. */
static void
check_register(void)
{
	json_t *a = dossier("Trần Thị Bích", "Thôn Vinh Thạnh");
	json_t *b = dossier("Lê Văn Tám", "Thôn Phú Hòa");
	json_t *rows = json_array(), *info;
	struct calendar cal;
	struct form_writer *w;
	struct dx_err e;
	char *buf = NULL, *flat;
	size_t len = 0;
	FILE *fp;
	int rc, code;

	json_object_set_new(a, "register_no", json_integer(3));
	json_object_set_new(a, "result", json_string("early"));
	json_object_set_new(a, "status", json_integer(10));
	json_object_set_new(b, "code", json_string(
	    "000.00.22.H56-260313-0002"));
	json_object_set_new(b, "register_no", json_integer(7));
	json_array_append_new(rows, a);
	json_array_append_new(rows, b);
	info = json_pack("{s:s, s:s, s:s}", "office_name", "UBND xã Phước"
	    " Thắng", "from", "2026-03-01", "to", "2026-03-31");
	cal_init(&cal);
	fp = open_memstream(&buf, &len);
	w = form_open(fp, FORM_TEXT);
	rc = form_register(w, rows, info, &cal, &e);
	if (form_close(w, &e) == -1)
		rc = -1;
	fclose(fp);
	flat = unwrap(buf);
	ok(rc == 0 && strstr(flat, "SỔ THEO DÕI HỒ SƠ") &&
	    strstr(flat, "Mẫu số 07 - Thông tư 03/2025/TT-VPCP") &&
	    strstr(flat, "Từ ngày 01/03/2026 đến ngày 31/03/2026"),
	    "the register: form 07 of Circular 03/2025, with its period");
	ok(rc == 0 && strstr(buf, "STT 03\n") && strstr(buf, "STT 07\n") &&
	    strstr(flat, "Kết quả giải quyết: Trước hạn") &&
	    strstr(flat, "Ghi chú: Đã trả kết quả") &&
	    strstr(flat, "Ghi chú: Đã tiếp nhận") &&
	    strstr(flat, "Ký nhận: ....") &&
	    strstr(flat, "Nhận hồ sơ: 12/03/2026 09:00"),
	    "one block per line: its number, result, note and signature");
	ok(longest(buf) <= 48, "the register's text fits 48 columns");
	free(flat);
	free(buf);
	buf = NULL;
	json_object_set_new(info, "from", json_string("2025-01-01"));
	fp = open_memstream(&buf, &len);
	w = form_open(fp, FORM_HTML);
	rc = form_register(w, rows, info, &cal, &e);
	if (form_close(w, &e) == -1)
		rc = -1;
	fclose(fp);
	ok(rc == 0 && strstr(buf, "Mẫu số 06 - Thông tư 01/2018/TT-VPCP") &&
	    strstr(buf, "@page { size: A4 landscape") &&
	    strstr(buf, "<th>Ký nhận</th>"),
	    "a period from before 15/09/2025: form 06 of 01/2018, A4 turned");
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	w = form_open(fp, FORM_TEXT);
	rc = form_register(w, info, info, &cal, &e);
	code = e.code;
	form_close(w, &e);
	fclose(fp);
	ok(rc == -1 && code == DX_DATAERR, "the register wants an array");
	free(buf);
	cal_free(&cal);
	json_decref(info);
	json_decref(rows);
}

/* The number of lines of `s`, and the widest in display columns. */
static size_t
shape(const char *s, size_t *widest)
{
	const char *nl;
	size_t n = 0;

	*widest = 0;
	for (; (nl = strchr(s, '\n')) != NULL; s = nl + 1, n++)
		if (u8_width(s, (size_t)(nl - s)) > *widest)
			*widest = u8_width(s, (size_t)(nl - s));
	return n;
}

/*
 * Text wraps by display columns: an address written with combining marks
 * (e, U+0302, U+0303 for "ễ") wraps as its precomposed spelling does, and
 * a word cut at the end of a line keeps its marks.
 */
static void
check_combining(void)
{
	struct dx_buf nfc, nfd;
	struct dx_err e;
	json_t *d;
	char *o1, *o2;
	size_t i, n1, n2, w1, w2;
	int rc;

	buf_init(&nfc);
	buf_init(&nfd);
	for (i = 0; i < 20; i++) {
		buf_adds(&nfc, "Nguy\xe1\xbb\x85n ");
		buf_adds(&nfd, "Nguye\xcc\x82\xcc\x83n ");
	}
	/* a word longer than a line, cut: no mark may start a line */
	for (i = 0; i < 12; i++) {
		buf_adds(&nfc, "\xe1\xbb\x85\xe1\xbb\x85\xe1\xbb\x85");
		buf_adds(&nfd, "e\xcc\x82\xcc\x83" "e\xcc\x82\xcc\x83"
		    "e\xcc\x82\xcc\x83");
	}
	d = dossier("Trần Thị Bích", nfc.buf);
	o1 = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	json_decref(d);
	d = dossier("Trần Thị Bích", nfd.buf);
	o2 = render(FORM_TEXT, FORM_RECEIPT, d, NULL, &e, &rc);
	json_decref(d);
	n1 = o1 != NULL ? shape(o1, &w1) : 0;
	n2 = o2 != NULL ? shape(o2, &w2) : 1;
	is_int(n2, n1, "decomposed text wraps into as many lines");
	ok(o2 != NULL && w2 == w1 && w2 <= 48,
	    "... each at most 48 columns");
	ok(o2 != NULL && strstr(o2, "\n\xcc") == NULL &&
	    strstr(o2, "  \xcc") == NULL, "... and no line starts with a mark");
	free(o1);
	free(o2);
	buf_free(&nfc);
	buf_free(&nfd);
}

void
t_forms(void)
{
	check_forms();
	check_receipt();
	check_combining();
	check_escape();
	check_several();
	check_errors();
	check_parse();
	check_sets();
	check_receipt_more();
	check_register();
}
