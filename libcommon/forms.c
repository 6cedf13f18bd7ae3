/*
 * forms.c: printable forms (TT 01/2018/TT-VPCP, TT 03/2025/TT-VPCP).
 *
 * A builder per form (build_receipt ...) turns the dossier and the form
 * data into a document (doc.h): a list of items (header, title, field
 * lines, paragraphs, tables, signatures) holding the final Vietnamese
 * strings.  All data errors happen there.  Then the document's renderer
 * for the format writes it into a buffer, which goes to the FILE in one
 * fwrite.  The renderers know nothing of forms, the builders nothing of
 * formats.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "doc.h"
#include "forms.h"
#include "jsonl.h"
#include "util.h"

#define DOTS DOC_DOTS
#define TIME_DOTS "..... giờ ..... phút, ngày ...../...../........"
#define BLANK_STEPS 4	/* rows of an empty control slip */
/*
 * U+00A0 binds the words of a time so that text never wraps inside it;
 * both renderers print it as a plain space.
 */
#define NBSP DOC_NBSP

struct form_writer {
	FILE *fp;
	enum form_format fmt;
	int nforms;		/* forms written so far */
};

struct form_def;

/* A form being built: its document, and what its builder reads. */
struct fdoc {
	struct doc doc;
	const struct form_def *def;
	const json_t *d;		/* dossier */
	const json_t *info;		/* form data, may be NULL */
	const struct calendar *cal;
	struct dx_err *e;
};

struct form_def {
	const char *num;	/* "01" */
	const char *key;	/* "receipt" */
	const char *name;	/* title as a phrase */
	const char *title;	/* title as printed, upper case */
	int a4;			/* printed on A4, else A5 */
	const char *need[3];	/* required info strings, NULL-terminated */
	int (*build)(struct fdoc *);
};

static int build_receipt(struct fdoc *);
static int build_supplement(struct fdoc *);
static int build_refusal(struct fdoc *);
static int after_appraisal(struct fdoc *);

/* Form 03 after appraisal (info "stage": "appraisal"), Art. 19(8). */
#define REFUSAL_APPRAISAL_TITLE "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
static int build_apology(struct fdoc *);
static int build_stop(struct fdoc *);
static int build_tracking(struct fdoc *);

static const struct form_def forms[] = {
	{ "01", "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
	    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", 0, { NULL },
	    build_receipt },
	{ "02", "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
	    "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", 0,
	    { "reason", NULL }, build_supplement },
	{ "03", "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
	    "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", 0,
	    { "reason", NULL }, build_refusal },
	{ "04", "apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
	    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", 0,
	    { "reason", "new_due_at", NULL }, build_apology },
	{ "05", "stop", "Thông báo dừng giải quyết hồ sơ",
	    "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", 0,
	    { "reason", NULL }, build_stop },
	{ "06", "tracking", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
	    "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", 1, { NULL },
	    build_tracking },
};
#define NFORMS (sizeof(forms) / sizeof(forms[0]))

static const struct form_def *
lookup_def(enum form_kind kind)
{
	if ((int)kind < 1 || (size_t)kind > NFORMS)
		return NULL;
	return &forms[kind - 1];
}

const char *
form_name(enum form_kind kind)
{
	const struct form_def *def = lookup_def(kind);

	return def != NULL ? def->name : NULL;
}

int
form_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < NFORMS; i++)
		if (strcmp(s, forms[i].num) == 0 ||
		    strcmp(s, forms[i].num + 1) == 0 ||
		    strcmp(s, forms[i].key) == 0)
			return (int)i + 1;
	return -1;
}

/*
 * Small helpers.
 */

static char *
xdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * Building the document (doc.h).
 */

static struct doc_item *
add(struct fdoc *doc, enum doc_kind kind)
{
	return doc_add(&doc->doc, kind);
}

static void
field(struct fdoc *doc, unsigned flags, const char *label, const char *value)
{
	doc_field(&doc->doc, flags, label, value);
}

static void
field_own(struct fdoc *doc, unsigned flags, const char *label, char *value)
{
	doc_field_own(&doc->doc, flags, label, value);
}

static void
field_opt(struct fdoc *doc, const char *label, const char *value)
{
	doc_field_opt(&doc->doc, label, value);
}

static void
para(struct fdoc *doc, char *text)
{
	doc_para(&doc->doc, text);
}

static void
gap(struct fdoc *doc)
{
	doc_gap(&doc->doc);
}

static struct doc_item *
table(struct fdoc *doc, enum doc_style style, const struct doc_column *cols,
    size_t ncol, size_t nrows)
{
	return doc_table(&doc->doc, style, cols, ncol, nrows);
}

static void
signatures(struct fdoc *doc, const struct doc_column *cols, size_t n,
    const char *const *names)
{
	doc_signatures(&doc->doc, cols, n, names);
}

/*
 * Reading the inputs.  Failures set doc->e to DX_DATAERR naming the field.
 */

static int
dstr(struct fdoc *doc, const char *key, int flags, const char **out)
{
	if (jx_str(doc->d, key, flags, out, doc->e) == -1)
		return dx_prefix(doc->e, "dossier");
	return 0;
}

static const char *
dopt(struct fdoc *doc, const char *key)
{
	const char *s = NULL;

	/* a wrong type reads as absent here; dstr() checks the ones we need */
	if (jx_str(doc->d, key, 0, &s, NULL) == -1)
		return NULL;
	return s;
}

static const char *
applicant(struct fdoc *doc, const char *key)
{
	const char *s = NULL;

	if (jx_str(json_object_get(doc->d, "applicant"), key, 0, &s,
	    NULL) == -1)
		return NULL;
	return s;
}

static int
istr(struct fdoc *doc, const char *key, int flags, const char **out)
{
	if (jx_str(doc->info, key, flags, out, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	return 0;
}

/* 1 if form 03 is the refusal after appraisal (info "stage"). */
static int
after_appraisal(struct fdoc *doc)
{
	const char *s = json_string_value(json_object_get(doc->info,
	    "stage"));

	return s != NULL && strcmp(s, "appraisal") == 0;
}

/* A document name: a string or an object with "name". */
static int
document_name(struct fdoc *doc, const char *what, size_t i, const json_t *v,
    const char **out)
{
	if (json_is_object(v))
		v = json_object_get(v, "name");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return dx_seterr(doc->e, DX_DATAERR,
		    "%s[%zu]: missing document name", what, i);
	*out = json_string_value(v);
	return 0;
}

/* The array `key` of `o` (NULL when absent or null). */
static int
array(struct fdoc *doc, const char *what, const json_t *o, const char *key,
    const json_t **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return dx_seterr(doc->e, DX_DATAERR,
		    "%s: field '%s' must be an array", what, key);
	*out = v;
	return 0;
}

/*
 * "09 giờ 00 phút, ngày 12/03/2026" for RFC 3339 `s` (office local
 * time), or the dotted blank when `s` is NULL.  `what` names the field in
 * messages.
 */
static int
vn_time(struct fdoc *doc, const char *what, const char *s, char *out,
    size_t n)
{
	dx_time t;
	int64_t day, sod;
	int y, m, d;

	if (s == NULL) {
		snprintf(out, n, "%s", TIME_DOTS);
		return 0;
	}
	if (cal_parse(doc->cal, s, &t) == -1)
		return dx_seterr(doc->e, DX_DATAERR, "%s: invalid time '%s'",
		    what, s);
	day = cal_local_day(doc->cal, t);
	sod = t - cal_day_start(doc->cal, day);
	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%02d" NBSP "giờ" NBSP "%02d" NBSP "phút," NBSP
	    "ngày" NBSP "%02d/%02d/%04d",
	    (int)(sod / 3600), (int)(sod / 60 % 60), d, m, y);
	return 0;
}

/* A dossier time field (may be null). */
static int
dtime(struct fdoc *doc, const char *key, char *out, size_t n)
{
	const char *s;

	if (dstr(doc, key, 0, &s) == -1)
		return -1;
	if (vn_time(doc, key, s, out, n) == -1)
		return dx_prefix(doc->e, "dossier");
	return 0;
}

/* An info time field; required or not. */
static int
itime(struct fdoc *doc, const char *key, int flags, char *out, size_t n)
{
	const char *s;

	if (istr(doc, key, flags, &s) == -1)
		return -1;
	if (vn_time(doc, key, s, out, n) == -1)
		return dx_prefix(doc->e, "info");
	return 0;
}

/* "0,5" (Vietnamese decimal comma), "12". */
static void
vn_number(double a, char *out, size_t n)
{
	char *p;
	size_t len;

	if (a == floor(a) && fabs(a) < 1e15) {
		snprintf(out, n, "%.0f", a);
		return;
	}
	snprintf(out, n, "%.2f", a);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '0')
		out[--len] = '\0';
	if (len > 0 && out[len - 1] == '.')
		out[--len] = '\0';
	if ((p = strchr(out, '.')) != NULL)
		*p = ',';
}

/*
 * The text of an amount {amount, unit}: "1 ngày làm việc".  Returns 1 and
 * leaves `out` empty when `v` is absent or null, 0, or -1 on bad data.
 */
static int
vn_amount(struct fdoc *doc, const char *what, const json_t *v, char *out,
    size_t n)
{
	static const char *const words[] = {
		[TU_WORKING_DAYS] = "ngày" NBSP "làm" NBSP "việc",
		[TU_DAYS] = "ngày",
		[TU_HALF_DAYS] = "buổi" NBSP "làm" NBSP "việc",
		[TU_HOURS] = "giờ" NBSP "làm" NBSP "việc",
	};
	const char *u;
	char num[48];
	double a = 0;
	int unit;

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 1;
	if (!json_is_object(v))
		return dx_seterr(doc->e, DX_DATAERR,
		    "dossier: field '%s' must be an object", what);
	if (jx_num(v, "amount", JX_REQ, &a, doc->e) == -1 ||
	    jx_str(v, "unit", JX_REQ, &u, doc->e) == -1)
		return dx_prefix(doc->e, "dossier: %s", what);
	if (a < 0 || (unit = time_unit_parse(u)) < 0)
		return dx_seterr(doc->e, DX_DATAERR,
		    "dossier: %s: invalid amount %g %s", what, a, u);
	vn_number(a, num, sizeof(num));
	snprintf(out, n, "%s" NBSP "%s", num, words[unit]);
	return 0;
}

static const char *
channel_name(const char *c)
{
	static const char *const names[][2] = {
		{ "direct", "Trực tiếp" },
		{ "online", "Trực tuyến" },
		{ "postal", "Qua dịch vụ bưu chính công ích" },
	};
	size_t i;

	for (i = 0; c != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(c, names[i][0]) == 0)
			return names[i][1];
	return NULL;
}

/* The office that speaks on the form: office_name, else a generic name. */
static const char *
office(struct fdoc *doc)
{
	const char *s = NULL;

	if (jx_str(doc->info, "office_name", 0, &s, NULL) == -1 || s == NULL ||
	    *s == '\0')
		return "Cơ quan tiếp nhận hồ sơ";
	return s;
}

static const char *
staff(struct fdoc *doc)
{
	const char *s = NULL;

	if (jx_str(doc->info, "staff_name", 0, &s, NULL) == -1)
		return NULL;
	return s;
}

/* "Đăng ký khai sinh (mã thủ tục 1.001193)" */
static char *
procedure_text(struct fdoc *doc)
{
	const char *name = dopt(doc, "procedure_name");
	const char *code = dopt(doc, "procedure");

	if (name != NULL && code != NULL)
		return xstrfmt("%s (mã thủ tục %s)", name, code);
	if (name != NULL || code != NULL)
		return xstrdup(name != NULL ? name : code);
	return xstrdup(DOTS);
}

/*
 * Shared parts of the forms.
 */

/*
 * Check the inputs every form needs; then the header (agency and
 * national motto, place and date), the title and the dossier code.
 */
static int
build_common(struct fdoc *doc)
{
	const struct form_def *def = doc->def;
	const char *s, *place, *date;
	struct doc_item *it;
	dx_time t;
	int64_t day;
	int y, m, d;
	size_t i;

	if (!json_is_object(doc->d))
		return dx_seterr(doc->e, DX_DATAERR,
		    "dossier must be a JSON object");
	if (doc->info != NULL && !json_is_object(doc->info))
		return dx_seterr(doc->e, DX_DATAERR,
		    "info must be a JSON object");
	if (dstr(doc, "code", JX_REQ, &s) == -1)
		return -1;
	if (jx_str(json_object_get(doc->d, "applicant"), "name", JX_REQ, &s,
	    doc->e) == -1)
		return dx_prefix(doc->e, "dossier: applicant");
	for (i = 0; def->need[i] != NULL; i++)
		if (istr(doc, def->need[i], JX_REQ, &s) == -1)
			return -1;
	if (istr(doc, "place", 0, &place) == -1 ||
	    istr(doc, "date", 0, &date) == -1)
		return -1;
	if (date == NULL && def->build == build_receipt)
		date = dopt(doc, "received_at");

	it = add(doc, DOC_HEADER);
	if (istr(doc, "parent_name", 0, &s) == -1)
		return -1;
	it->s[0] = xdup(s);
	if (istr(doc, "office_name", 0, &s) == -1)
		return -1;
	it->s[1] = xdup(s);
	if (place == NULL || *place == '\0')
		place = DOTS;
	if (date == NULL) {
		it->s[2] = xstrfmt("%s, ngày ..... tháng ..... năm .........",
		    place);
	} else {
		if (cal_parse(doc->cal, date, &t) == -1)
			return dx_seterr(doc->e, DX_DATAERR,
			    "date: invalid date '%s'", date);
		day = cal_local_day(doc->cal, t);
		civil_from_days(day, &y, &m, &d);
		it->s[2] = xstrfmt("%s, ngày %02d tháng %02d năm %04d", place,
		    d, m, y);
	}
	gap(doc);
	add(doc, DOC_TITLE)->s[0] = xstrdup(def->build == build_refusal &&
	    after_appraisal(doc) ? REFUSAL_APPRAISAL_TITLE : def->title);
	field(doc, DOC_CENTER | DOC_BOLD, "Mã hồ sơ", dopt(doc, "code"));
	gap(doc);
	return 0;
}

/* Who the dossier is from: name (and channel), address, phone, e-mail. */
static void
applicant_fields(struct fdoc *doc, const char *label, int with_channel)
{
	const char *name = applicant(doc, "name");
	const char *ch = with_channel ? channel_name(dopt(doc, "channel")) :
	    NULL;

	if (ch != NULL)
		field_own(doc, DOC_BOLD, label, xstrfmt("%s (%s)", name, ch));
	else
		field(doc, DOC_BOLD, label, name);
	field_opt(doc, "Địa chỉ", applicant(doc, "address"));
	field_opt(doc, "Số điện thoại", applicant(doc, "phone"));
	field_opt(doc, "Email", applicant(doc, "email"));
}

static const struct doc_column list_cols[] = {
	{ "STT", NULL, DOC_COL_NUM },
	{ "Tên giấy tờ", NULL, 0 },
};

/* A numbered list of document names from `arr` (strings or {name}). */
static int
doc_list(struct fdoc *doc, const char *what, const json_t *arr)
{
	struct doc_item *it;
	const char *name;
	size_t i, n = json_array_size(arr);

	it = table(doc, DOC_LIST, list_cols, 2, n);
	for (i = 0; i < n; i++) {
		if (document_name(doc, what, i, json_array_get(arr, i), &name) == -1)
			return -1;
		it->cells[i * 2] = xstrfmt("%zu", i + 1);
		it->cells[i * 2 + 1] = xstrdup(name);
	}
	return 0;
}

/*
 * The forms.
 */

static const struct doc_column sign_receipt[] = {
	{ "NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
	{ "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct doc_column sign_guide[] = {
	{ "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct doc_column sign_receiver[] = {
	{ "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct doc_column sign_head[] = {
	{ "ĐẠI DIỆN CƠ QUAN, ĐƠN VỊ", "(Ký, ghi rõ họ tên và đóng dấu)", 0 },
};

static int
build_receipt(struct fdoc *doc)
{
	const json_t *docs;
	const char *unit, *lookup, *due;
	char amount[128], extra[128], when[96];
	const char *names[2];
	long long sets = 1;

	unit = dopt(doc, "unit_name");
	if (unit == NULL)
		unit = dopt(doc, "unit");
	field(doc, 0, "Bộ phận tiếp nhận và trả kết quả",
	    unit != NULL ? unit : DOTS);
	applicant_fields(doc, "Tiếp nhận hồ sơ của", 1);
	field_opt(doc, "Số định danh cá nhân/CCCD",
	    applicant(doc, "id_number"));
	field_own(doc, 0, "Nội dung yêu cầu giải quyết", procedure_text(doc));

	field(doc, 0, "1. Thành phần hồ sơ nộp gồm", NULL);
	if (array(doc, "dossier", doc->d, "documents", &docs) == -1)
		return -1;
	if (json_array_size(docs) > 0) {
		if (doc_list(doc, "documents", docs) == -1)
			return -1;
	} else {
		field(doc, DOC_SUB, NULL, "(không có giấy tờ kèm theo)");
	}

	if (jx_int(doc->info, "sets", 0, &sets, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	if (sets < 1 || sets > 999)
		return dx_seterr(doc->e, DX_DATAERR,
		    "info: invalid number of sets %lld", sets);
	field_own(doc, 0, "2. Số lượng hồ sơ", xstrfmt("%02lld bộ", sets));

	if (vn_amount(doc, "time", json_object_get(doc->d, "time"), amount,
	    sizeof(amount)) == -1 ||
	    vn_amount(doc, "remote_extra",
	    json_object_get(doc->d, "remote_extra"), extra,
	    sizeof(extra)) == -1)
		return -1;
	if (*extra != '\0')
		field_own(doc, 0, "3. Thời gian giải quyết hồ sơ theo quy định",
		    xstrfmt("%s (cộng thêm %s đối với xã vùng sâu, vùng xa)",
		    *amount != '\0' ? amount : DOTS, extra));
	else
		field(doc, 0, "3. Thời gian giải quyết hồ sơ theo quy định",
		    *amount != '\0' ? amount : DOTS);

	if (dtime(doc, "received_at", when, sizeof(when)) == -1)
		return -1;
	field(doc, 0, "4. Thời gian nhận hồ sơ", when);
	if (dstr(doc, "due_at", 0, &due) == -1)
		return -1;
	if (due == NULL) {
		field(doc, 0, "5. Thời gian trả kết quả giải quyết hồ sơ",
		    "(chưa hẹn: hồ sơ trực tuyến chờ tiếp nhận)");
	} else {
		if (vn_time(doc, "dossier: due_at", due, when,
		    sizeof(when)) == -1)
			return -1;
		field(doc, DOC_BOLD, "5. Thời gian trả kết quả giải quyết hồ sơ",
		    when);
	}
	field(doc, 0, "6. Đăng ký nhận kết quả tại",
	    unit != NULL ? unit : DOTS);

	if (istr(doc, "lookup", 0, &lookup) == -1)
		return -1;
	gap(doc);
	if (lookup != NULL && *lookup != '\0')
		para(doc, xstrfmt("Tra cứu tình trạng hồ sơ theo mã hồ sơ %s tại "
		    "%s.", dopt(doc, "code"), lookup));
	else
		para(doc, xstrfmt("Tra cứu tình trạng hồ sơ theo mã hồ sơ %s trên "
		    "Cổng Dịch vụ công hoặc tại Bộ phận Một cửa.",
		    dopt(doc, "code")));

	names[0] = NULL;
	names[1] = staff(doc);
	signatures(doc, sign_receipt, 2, names);
	return 0;
}

static const struct doc_column missing_cols[] = {
	{ "STT", NULL, DOC_COL_NUM },
	{ "Giấy tờ, nội dung cần bổ sung, hoàn thiện", NULL, 0 },
};

static int
build_supplement(struct fdoc *doc)
{
	const json_t *missing;
	const char *reason, *name, *who;
	char when[96];
	struct doc_item *it;
	size_t i, n;

	applicant_fields(doc, "Hồ sơ của", 0);
	field_own(doc, 0, "Nội dung yêu cầu giải quyết", procedure_text(doc));
	if (dtime(doc, "received_at", when, sizeof(when)) == -1)
		return -1;
	field(doc, 0, "Thời gian nhận hồ sơ", when);

	gap(doc);
	para(doc, xstrdup("Yêu cầu hoàn thiện hồ sơ gồm những nội dung "
	    "sau:"));
	if (array(doc, "info", doc->info, "missing", &missing) == -1)
		return -1;
	n = json_array_size(missing);
	if (n > 0) {
		it = table(doc, DOC_LIST, missing_cols, 2, n);
		for (i = 0; i < n; i++) {
			if (document_name(doc, "info: missing", i,
			    json_array_get(missing, i), &name) == -1)
				return -1;
			it->cells[i * 2] = xstrfmt("%zu", i + 1);
			it->cells[i * 2 + 1] = xstrdup(name);
		}
	}
	if (istr(doc, "reason", JX_REQ, &reason) == -1)
		return -1;
	field(doc, 0, "Lý do", reason);
	if (istr(doc, "requested_at", 0, &name) == -1)
		return -1;
	if (name != NULL) {
		if (vn_time(doc, "info: requested_at", name, when,
		    sizeof(when)) == -1)
			return -1;
		field(doc, 0, "Thời gian yêu cầu", when);
	}

	who = staff(doc);
	para(doc, xstrfmt("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, "
	    "ông/bà liên hệ với %s%s%s để được hướng dẫn.",
	    who != NULL ? who : "", who != NULL ? ", " : "", office(doc)));
	para(doc, xstrdup("Xin trân trọng cảm ơn!"));
	signatures(doc, sign_guide, 1, &who);
	return 0;
}

static int
build_refusal(struct fdoc *doc)
{
	const char *reason, *who;

	if (after_appraisal(doc)) {
		/* Decree 61/2018 Art. 19(8): the competent body's refusal */
		applicant_fields(doc, "Hồ sơ của", 1);
		field_own(doc, 0, "Nội dung yêu cầu giải quyết",
		    procedure_text(doc));
		gap(doc);
		para(doc, xstrfmt("Qua thẩm định, %s thông báo từ chối giải"
		    " quyết hồ sơ này với lý do cụ thể như sau:", office(doc)));
		if (istr(doc, "reason", JX_REQ, &reason) == -1)
			return -1;
		field(doc, DOC_SUB, NULL, reason);
		para(doc, xstrdup("Hồ sơ gốc được trả lại cho ông/bà cùng"
		    " Phiếu này. Xin thông báo để ông/bà được biết./."));
		who = staff(doc);
		signatures(doc, sign_head, 1, &who);
		return 0;
	}
	applicant_fields(doc, "Tiếp nhận hồ sơ của", 1);
	field_own(doc, 0, "Nội dung yêu cầu giải quyết", procedure_text(doc));
	gap(doc);
	para(doc, xstrfmt("Qua xem xét, %s thông báo không tiếp nhận, giải "
	    "quyết hồ sơ này với lý do cụ thể như sau:", office(doc)));
	if (istr(doc, "reason", JX_REQ, &reason) == -1)
		return -1;
	field(doc, DOC_SUB, NULL, reason);
	para(doc, xstrdup("Xin thông báo để ông/bà được biết và thực "
	    "hiện./."));
	who = staff(doc);
	signatures(doc, sign_receiver, 1, &who);
	return 0;
}

static int
build_apology(struct fdoc *doc)
{
	const char *reason, *who, *old;
	char received[96], due[96], newdue[96];

	field(doc, DOC_BOLD, "Kính gửi", applicant(doc, "name"));
	if (dtime(doc, "received_at", received, sizeof(received)) == -1 ||
	    istr(doc, "old_due_at", 0, &old) == -1 ||
	    (old == NULL && dstr(doc, "due_at", 0, &old) == -1) ||
	    vn_time(doc, "old_due_at", old, due, sizeof(due)) == -1 ||
	    itime(doc, "new_due_at", JX_REQ, newdue, sizeof(newdue)) == -1 ||
	    istr(doc, "reason", JX_REQ, &reason) == -1)
		return -1;
	{
		char *proc = procedure_text(doc);

		para(doc, xstrfmt("%s xin lỗi ông/bà vì hồ sơ đề nghị giải quyết "
		    "thủ tục hành chính %s, mã hồ sơ %s, tiếp nhận lúc %s, "
		    "hẹn trả kết quả lúc %s chưa được giải quyết đúng hạn.",
		    office(doc), proc, dopt(doc, "code"), received, due));
		free(proc);
	}
	field(doc, 0, "Lý do", reason);
	para(doc, xstrfmt("Sự chậm trễ này đã gây phiền hà cho ông/bà. %s xin "
	    "tiếp thu và nghiêm túc rút kinh nghiệm.", office(doc)));
	field(doc, DOC_BOLD, "Thời gian hẹn trả kết quả mới", newdue);
	para(doc, xstrdup("Mong nhận được sự thông cảm của ông/bà."));
	who = staff(doc);
	signatures(doc, sign_head, 1, &who);
	return 0;
}

static int
build_stop(struct fdoc *doc)
{
	const char *reason, *by, *who, *unit;
	char when[96];

	if (istr(doc, "reason", JX_REQ, &reason) == -1 ||
	    istr(doc, "requested_by", 0, &by) == -1 ||
	    dtime(doc, "received_at", when, sizeof(when)) == -1)
		return -1;
	if (by != NULL && strcmp(by, "applicant") != 0 &&
	    strcmp(by, "appraisal") != 0)
		return dx_seterr(doc->e, DX_DATAERR, "info: requested_by: "
		    "'%s' is not 'applicant' or 'appraisal'", by);
	field(doc, DOC_BOLD, "Kính gửi", applicant(doc, "name"));
	if (by != NULL && strcmp(by, "appraisal") == 0)
		para(doc, xstrfmt("Căn cứ kết quả thẩm định hồ sơ, %s thông báo "
		    "dừng giải quyết hồ sơ sau:", office(doc)));
	else
		para(doc, xstrfmt("Căn cứ đề nghị dừng giải quyết hồ sơ của "
		    "ông/bà, %s thông báo dừng giải quyết hồ sơ sau:",
		    office(doc)));
	field(doc, DOC_SUB, "Mã hồ sơ", dopt(doc, "code"));
	field_own(doc, DOC_SUB, "Thủ tục hành chính", procedure_text(doc));
	field(doc, DOC_SUB, "Thời gian nhận hồ sơ", when);
	field(doc, DOC_SUB, "Lý do", reason);
	unit = dopt(doc, "unit_name");
	para(doc, xstrfmt("Ông/bà vui lòng liên hệ %s để nhận lại hồ sơ "
	    "(nếu có).", unit != NULL ? unit : office(doc)));
	who = staff(doc);
	signatures(doc, sign_head, 1, &who);
	return 0;
}

static const struct doc_column step_cols[] = {
	{ "Bước", NULL, DOC_COL_NUM },
	{ "Giao, nhận hồ sơ", NULL, DOC_COL_BARE },
	{ "Thời gian giao, nhận", NULL, 0 },
	{ "Hạn xử lý", NULL, 0 },
	{ "Kết quả giải quyết", NULL, 0 },
	{ "Người xử lý", NULL, 0 },
	{ "Người giao ký", NULL, DOC_COL_SIGN },
	{ "Người nhận ký", NULL, DOC_COL_SIGN },
	{ "Ghi chú", NULL, 0 },
};
#define NSTEPCOLS (sizeof(step_cols) / sizeof(step_cols[0]))

static int
step_row(struct fdoc *doc, size_t i, const json_t *st, char **row)
{
	static const char *const results[][2] = {
		{ "early", "Trước hạn" },
		{ "on_time", "Đúng hạn" },
		{ "late", "Quá hạn" },
	};
	const char *from, *to, *handed, *due, *res, *who, *note;
	char t1[96], t2[96];
	size_t k;

	if (!json_is_object(st))
		return dx_seterr(doc->e, DX_DATAERR,
		    "info: steps[%zu] must be an object", i);
	if (jx_str(st, "from_unit", 0, &from, doc->e) == -1 ||
	    jx_str(st, "to_unit", 0, &to, doc->e) == -1 ||
	    jx_str(st, "handed_at", 0, &handed, doc->e) == -1 ||
	    jx_str(st, "due_at", 0, &due, doc->e) == -1 ||
	    jx_str(st, "result", 0, &res, doc->e) == -1 ||
	    jx_str(st, "handler_name", 0, &who, doc->e) == -1 ||
	    jx_str(st, "note", 0, &note, doc->e) == -1)
		return dx_prefix(doc->e, "info: steps[%zu]", i);
	if (vn_time(doc, "handed_at", handed, t1, sizeof(t1)) == -1 ||
	    (due != NULL && vn_time(doc, "due_at", due, t2, sizeof(t2)) == -1))
		return dx_prefix(doc->e, "info: steps[%zu]", i);
	row[0] = xstrfmt("%zu", i + 1);
	row[1] = xstrfmt("Giao: %s / Nhận: %s", from != NULL ? from : DOTS,
	    to != NULL ? to : DOTS);
	row[2] = xstrdup(t1);
	row[3] = due != NULL ? xstrdup(t2) : NULL;
	if (res != NULL) {
		for (k = 0; k < sizeof(results) / sizeof(results[0]); k++)
			if (strcmp(res, results[k][0]) == 0)
				break;
		if (k == sizeof(results) / sizeof(results[0]))
			return dx_seterr(doc->e, DX_DATAERR,
			    "info: steps[%zu]: result '%s' is not early, "
			    "on_time or late", i, res);
		row[4] = xstrdup(results[k][1]);
	}
	row[5] = xdup(who);
	row[8] = xdup(note);
	return 0;
}

static int
build_tracking(struct fdoc *doc)
{
	const json_t *steps;
	const char *unit;
	char when[96];
	struct doc_item *it;
	size_t i, n;

	field(doc, DOC_BOLD, "Kèm theo hồ sơ của", applicant(doc, "name"));
	field_own(doc, 0, "Thủ tục hành chính", procedure_text(doc));
	if (dtime(doc, "received_at", when, sizeof(when)) == -1)
		return -1;
	field(doc, 0, "Thời gian nhận hồ sơ", when);
	if (dtime(doc, "due_at", when, sizeof(when)) == -1)
		return -1;
	field(doc, 0, "Thời gian hẹn trả kết quả", when);
	unit = dopt(doc, "unit_name");
	field(doc, 0, "Cơ quan, bộ phận giải quyết hồ sơ",
	    unit != NULL ? unit : DOTS);
	gap(doc);
	if (array(doc, "info", doc->info, "steps", &steps) == -1)
		return -1;
	n = json_array_size(steps);
	it = table(doc, DOC_BLOCKS, step_cols, NSTEPCOLS,
	    n > 0 ? n : BLANK_STEPS);
	for (i = 0; i < n; i++)
		if (step_row(doc, i, json_array_get(steps, i),
		    &it->cells[i * NSTEPCOLS]) == -1)
			return -1;
	for (i = n; i < it->nrows; i++)
		it->cells[i * NSTEPCOLS] = xstrfmt("%zu", i + 1);
	return 0;
}

/*
 * The writer.
 */

struct form_writer *
form_open(FILE *fp, enum form_format fmt)
{
	struct form_writer *w;

	if (fp == NULL || (fmt != FORM_TEXT && fmt != FORM_HTML))
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->fp = fp;
	w->fmt = fmt;
	return w;
}

static int
put(struct form_writer *w, const struct dx_buf *b, struct dx_err *e)
{
	if ((b->len > 0 && fwrite(b->buf, 1, b->len, w->fp) != b->len) ||
	    ferror(w->fp))
		return dx_seterr(e, DX_IOERR, "cannot write form");
	return 0;
}

int
form_write(struct form_writer *w, enum form_kind kind, const json_t *dossier,
    const json_t *info, const struct calendar *cal, struct dx_err *e)
{
	const struct form_def *def = lookup_def(kind);
	struct fdoc doc;
	struct dx_buf out;
	int rc;

	if (w == NULL || def == NULL || cal == NULL)
		return dx_seterr(e, DX_SOFTWARE, "form_write: bad argument "
		    "(form %d)", (int)kind);
	memset(&doc, 0, sizeof(doc));
	doc.doc.name = def->name;
	doc.doc.id = def->num;
	doc.doc.a4 = def->a4;
	doc.def = def;
	doc.d = dossier;
	doc.info = info;
	doc.cal = cal;
	doc.e = e;
	if (build_common(&doc) == -1 || def->build(&doc) == -1) {
		doc_free(&doc.doc);
		return dx_prefix(e, "form %s", def->num);
	}
	buf_init(&out);
	if (w->fmt == FORM_HTML) {
		if (w->nforms == 0)
			doc_html_head(&out, &doc.doc, dopt(&doc, "code"));
		doc_html(&out, &doc.doc);
	} else {
		if (w->nforms > 0)
			buf_adds(&out, "\f\n");
		doc_text(&out, &doc.doc);
	}
	doc_free(&doc.doc);
	rc = put(w, &out, e);
	buf_free(&out);
	if (rc == 0)
		w->nforms++;
	return rc;
}

int
form_close(struct form_writer *w, struct dx_err *e)
{
	struct dx_buf out;
	int rc;

	if (w == NULL)
		return 0;
	buf_init(&out);
	if (w->fmt == FORM_HTML) {
		if (w->nforms == 0)
			doc_html_head(&out, NULL, NULL);
		buf_adds(&out, DOC_HTML_END);
	}
	rc = put(w, &out, e);
	buf_free(&out);
	if (fflush(w->fp) == EOF || ferror(w->fp))
		rc = dx_seterr(e, DX_IOERR, "cannot write forms");
	free(w);
	return rc;
}
