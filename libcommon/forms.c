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
	const struct form_title *t;	/* the circular's number and title */
	int set;			/* 0: TT 01/2018, 1: TT 03/2025 */
};

/* A form as one circular numbers and names it. */
struct form_title {
	const char *num;	/* "01"; NULL: no such form in this circular */
	const char *name;	/* title as a phrase */
	const char *title;	/* title as printed, upper case */
};

struct form_def {
	const char *num;	/* "01": the kind, as form_parse() reads it */
	const char *key;	/* "receipt" */
	const char *name;	/* title as a phrase (form_name()) */
	int a4;			/* printed on A4, else A5 */
	const char *need[3];	/* required info strings, NULL-terminated */
	int (*build)(struct fdoc *);
	/* [0] Circular 01/2018/TT-VPCP Art. 9, [1] 03/2025/TT-VPCP Annex I */
	struct form_title set[2];
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

#define T_RECEIPT "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", \
	"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
#define T_SUPPLEMENT "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", \
	"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
#define T_REFUSAL "Phiếu từ chối tiếp nhận giải quyết hồ sơ", \
	"PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
#define T_STOP "Thông báo dừng giải quyết hồ sơ", \
	"THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
#define T_TRACKING "Phiếu kiểm soát quá trình giải quyết hồ sơ", \
	"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
#define T_REGISTER "Sổ theo dõi hồ sơ", "SỔ THEO DÕI HỒ SƠ"

static const struct form_def forms[] = {
	{ "01", "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", 0,
	    { NULL }, build_receipt,
	    { { "01", T_RECEIPT }, { "01", T_RECEIPT } } },
	{ "02", "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", 0,
	    { "reason", NULL }, build_supplement,
	    { { "02", T_SUPPLEMENT }, { "02", T_SUPPLEMENT } } },
	{ "03", "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", 0,
	    { "reason", NULL }, build_refusal,
	    { { "03", T_REFUSAL }, { "03", T_REFUSAL } } },
	{ "04", "apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", 0,
	    { "reason", "new_due_at", NULL }, build_apology,
	    { { "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
	    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" },
	    { "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
	    "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" } } },
	/* TT 01/2018 has no stop notice: the only one is 03/2025's */
	{ "05", "stop", "Thông báo dừng giải quyết hồ sơ", 0,
	    { "reason", NULL }, build_stop,
	    { { NULL, NULL, NULL }, { "05", T_STOP } } },
	{ "06", "tracking", "Phiếu kiểm soát quá trình giải quyết hồ sơ", 1,
	    { NULL }, build_tracking,
	    { { "05", T_TRACKING }, { "06", T_TRACKING } } },
	{ "07", "register", "Sổ theo dõi hồ sơ", 1, { NULL }, NULL,
	    { { "06", T_REGISTER }, { "07", T_REGISTER } } },
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

int
form_circular(const struct calendar *cal, dx_time t)
{
	return cal_local_day(cal, t) >= days_from_civil(FORM_TT03_2025_Y,
	    FORM_TT03_2025_M, FORM_TT03_2025_D) ? FORM_TT03_2025 :
	    FORM_TT01_2018;
}

const char *
form_number(enum form_kind kind, int circular)
{
	const struct form_def *def = lookup_def(kind);
	const struct form_title *t;

	if (def == NULL || (circular != FORM_TT01_2018 &&
	    circular != FORM_TT03_2025))
		return NULL;
	t = &def->set[circular == FORM_TT03_2025];
	return t->num != NULL ? t->num : def->set[1].num;
}

/*
 * The set of forms of a document received at RFC 3339 `s` (NULL: now,
 * the newer set); `t` the form's number and title in that set, or in
 * the newer one for a form the older set does not have.
 */
static void
choose_set(struct fdoc *doc, const char *s)
{
	dx_time t;

	doc->set = 1;
	if (s != NULL && cal_parse(doc->cal, s, &t) == 0)
		doc->set = form_circular(doc->cal, t) == FORM_TT03_2025;
	doc->t = &doc->def->set[doc->set];
	if (doc->t->num == NULL)
		doc->t = &doc->def->set[1];
}

/* "Mẫu số 01 - Thông tư 01/2018/TT-VPCP" */
static char *
form_line(struct fdoc *doc)
{
	return xstrfmt("Mẫu số %s - Thông tư %s", doc->t->num,
	    doc->t == &doc->def->set[0] ? "01/2018/TT-VPCP" :
	    "03/2025/TT-VPCP");
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
		    _("%s[%zu]: missing document name"), what, i);
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
		    _("%s: field '%s' must be an array"), what, key);
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
		return dx_seterr(doc->e, DX_DATAERR, _("%s: invalid time '%s'"),
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
		    _("dossier: field '%s' must be an object"), what);
	if (jx_num(v, "amount", JX_REQ, &a, doc->e) == -1 ||
	    jx_str(v, "unit", JX_REQ, &u, doc->e) == -1)
		return dx_prefix(doc->e, "dossier: %s", what);
	if (a < 0 || (unit = time_unit_parse(u)) < 0)
		return dx_seterr(doc->e, DX_DATAERR,
		    _("dossier: %s: invalid amount %g %s"), what, a, u);
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
 * Form 01's line of the register book (form 06 of TT 01/2018, 07 of TT
 * 03/2025): "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 15" from
 * info register_book and register_no, dots where they are not given.
 */
static int
register_line(struct fdoc *doc)
{
	const char *book;
	long long no = 0;
	char nbuf[32];

	if (istr(doc, "register_book", 0, &book) == -1)
		return -1;
	if (jx_int(doc->info, "register_no", 0, &no, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	if (no < 0)
		return dx_seterr(doc->e, DX_DATAERR,
		    _("info: invalid register_no %lld"), no);
	if (no > 0)
		snprintf(nbuf, sizeof(nbuf), "%02lld", no);
	field_own(doc, DOC_CENTER, NULL, xstrfmt("Vào Sổ theo dõi hồ sơ,"
	    " Quyển" NBSP "số:" NBSP "%s, Số" NBSP "thứ" NBSP "tự:" NBSP "%s",
	    book != NULL ? book : ".....", no > 0 ? nbuf : "....."));
	return 0;
}

/*
 * The header (agency and national motto, place and date: `date` RFC 3339
 * or YYYY-MM-DD, NULL for dots), then a blank line.
 */
static int
header(struct fdoc *doc, const char *place, const char *date)
{
	const char *s;
	struct doc_item *it;
	dx_time t;
	int64_t day;
	int y, m, d;

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
			    _("date: invalid date '%s'"), date);
		day = cal_local_day(doc->cal, t);
		civil_from_days(day, &y, &m, &d);
		it->s[2] = xstrfmt("%s, ngày %02d tháng %02d năm %04d", place,
		    d, m, y);
	}
	gap(doc);
	return 0;
}

/*
 * Check the inputs every form needs; then the header (agency and
 * national motto, place and date), the title and the dossier code.
 */
static int
build_common(struct fdoc *doc)
{
	const struct form_def *def = doc->def;
	const char *s, *place, *date;
	size_t i;

	if (!json_is_object(doc->d))
		return dx_seterr(doc->e, DX_DATAERR,
		    _("dossier must be a JSON object"));
	if (doc->info != NULL && !json_is_object(doc->info))
		return dx_seterr(doc->e, DX_DATAERR,
		    _("info must be a JSON object"));
	/* guidance at the counter comes before any dossier and code */
	if (dstr(doc, "code", def->build == build_supplement ? 0 : JX_REQ,
	    &s) == -1)
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
	/* form 01 is dated when the dossier was received or accepted */
	if (date == NULL && def->build == build_receipt &&
	    istr(doc, "accepted_at", 0, &date) == -1)
		return -1;
	if (date == NULL && def->build == build_receipt)
		date = dopt(doc, "received_at");

	if (header(doc, place, date) == -1)
		return -1;
	field_own(doc, DOC_CENTER, NULL, form_line(doc));
	add(doc, DOC_TITLE)->s[0] = xstrdup(def->build == build_refusal &&
	    after_appraisal(doc) ? REFUSAL_APPRAISAL_TITLE : doc->t->title);
	if (dopt(doc, "code") != NULL)
		field(doc, DOC_CENTER | DOC_BOLD, "Mã hồ sơ", dopt(doc, "code"));
	if (def->build == build_receipt && register_line(doc) == -1)
		return -1;
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

static const struct doc_column docs_cols[] = {
	{ "STT", NULL, DOC_COL_NUM },
	{ "Tên giấy tờ", NULL, 0 },
	{ "Bản chính", NULL, DOC_COL_NUM },
	{ "Bản sao", NULL, DOC_COL_NUM },
	{ "Bản chụp", NULL, DOC_COL_NUM },
};
static const char *const docs_keys[] = { "original", "certified_copy",
	"copy" };

/*
 * Form 01's table of the documents handed in: name and how many originals
 * (bản chính), copies issued from the master register or certified
 * (bản sao, Decree 23/2015/NĐ-CP Art. 2) and plain copies (bản chụp).  A document that gives none of the counts leaves them blank
 * to fill in by hand; one that gives some prints the others as 0.
 */
static int
documents_table(struct fdoc *doc, const json_t *arr)
{
	struct doc_item *it;
	const json_t *x;
	const char *name;
	long long q[3];
	int given;
	size_t i, k, n = json_array_size(arr);

	it = table(doc, DOC_LIST, docs_cols, 5, n);
	for (i = 0; i < n; i++) {
		x = json_array_get(arr, i);
		if (document_name(doc, "documents", i, x, &name) == -1)
			return -1;
		it->cells[i * 5] = xstrfmt("%zu", i + 1);
		it->cells[i * 5 + 1] = xstrdup(name);
		for (given = 0, k = 0; k < 3; k++) {
			q[k] = 0;
			if (json_is_object(x) && jx_int(x, docs_keys[k], 0,
			    &q[k], doc->e) == -1)
				return dx_prefix(doc->e, "dossier: "
				    "documents[%zu]", i);
			if (q[k] < 0 || q[k] > 999)
				return dx_seterr(doc->e, DX_DATAERR,
				    _("dossier: documents[%zu]: invalid %s"
				    " %lld"), i,
				    docs_keys[k], q[k]);
			if (json_object_get(x, docs_keys[k]) != NULL &&
			    !json_is_null(json_object_get(x, docs_keys[k])))
				given = 1;
		}
		for (k = 0; given && k < 3; k++)
			it->cells[i * 5 + 2 + k] = xstrfmt("%lld", q[k]);
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
	const char *unit, *lookup, *due, *ch;
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
		if (documents_table(doc, docs) == -1)
			return -1;
	} else {
		field(doc, DOC_SUB, NULL, "(không có giấy tờ kèm theo)");
	}

	if (jx_int(doc->info, "sets", 0, &sets, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	if (sets < 1 || sets > 999)
		return dx_seterr(doc->e, DX_DATAERR,
		    _("info: invalid number of sets %lld"), sets);
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
	ch = dopt(doc, "channel");
	if (ch != NULL && strcmp(ch, "online") == 0) {
		/* the clock runs from acceptance, not from submission */
		field(doc, 0, "4. Thời gian nộp hồ sơ trực tuyến", when);
		if (itime(doc, "accepted_at", 0, when, sizeof(when)) == -1)
			return -1;
		field(doc, DOC_SUB, "Thời gian tiếp nhận hồ sơ", when);
		if (dtime(doc, "start_at", when, sizeof(when)) == -1)
			return -1;
		field(doc, DOC_SUB, "Thời gian bắt đầu tính thời hạn giải"
		    " quyết", when);
	} else {
		field(doc, 0, "4. Thời gian nhận hồ sơ", when);
	}
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
		return dx_seterr(doc->e, DX_DATAERR, _("info: requested_by: "
		    "'%s' is not 'applicant' or 'appraisal'"), by);
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
		    _("info: steps[%zu] must be an object"), i);
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
			    _("info: steps[%zu]: result '%s' is not early, "
			    "on_time or late"), i, res);
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

static const struct doc_column register_cols[] = {
	{ "STT", NULL, DOC_COL_NUM },
	{ "Mã hồ sơ", NULL, 0 },
	{ "Tên thủ tục hành chính", NULL, 0 },
	{ "Tên cá nhân, tổ chức", NULL, 0 },
	{ "Địa chỉ, số điện thoại", NULL, 0 },
	{ "Cơ quan chủ trì giải quyết", NULL, 0 },
	{ "Nhận hồ sơ", NULL, 0 },
	{ "Hẹn trả kết quả", NULL, 0 },
	{ "Trả kết quả", NULL, 0 },
	{ "Kết quả giải quyết", NULL, 0 },
	{ "Ký nhận", NULL, DOC_COL_SIGN },
	{ "Ghi chú", NULL, 0 },
};
#define NREGCOLS (sizeof(register_cols) / sizeof(register_cols[0]))

/* What the register's notes say of a status (record.h's codes). */
static const char *
status_note(long long st)
{
	static const char *const notes[] = {
		NULL, "Nộp trực tuyến, chờ tiếp nhận", "Đã tiếp nhận",
		"Từ chối tiếp nhận", "Đang giải quyết", "Chờ bổ sung hồ sơ",
		"Chờ thực hiện nghĩa vụ tài chính", "Đề nghị rút hồ sơ",
		"Dừng giải quyết", "Đã giải quyết xong", "Đã trả kết quả"
	};

	return st >= 1 && st <= 10 ? notes[st] : NULL;
}

/* "12/03/2026 09:00" for RFC 3339 `s`; NULL stays NULL (a blank cell). */
static int
short_time(struct fdoc *doc, const char *what, const char *s, char **out)
{
	dx_time t;
	int64_t day, sod;
	int y, m, d;

	*out = NULL;
	if (s == NULL)
		return 0;
	if (cal_parse(doc->cal, s, &t) == -1)
		return dx_seterr(doc->e, DX_DATAERR, _("%s: invalid time '%s'"),
		    what, s);
	day = cal_local_day(doc->cal, t);
	sod = t - cal_day_start(doc->cal, day);
	civil_from_days(day, &y, &m, &d);
	*out = xstrfmt("%02d/%02d/%04d" NBSP "%02d:%02d", d, m, y,
	    (int)(sod / 3600), (int)(sod / 60 % 60));
	return 0;
}

/* "12/03/2026" for a date or RFC 3339 time `s`. */
static int
short_day(struct fdoc *doc, const char *what, const char *s, char **out)
{
	dx_time t;
	int y, m, d;

	if (cal_parse(doc->cal, s, &t) == -1)
		return dx_seterr(doc->e, DX_DATAERR, _("%s: invalid date '%s'"),
		    what, s);
	civil_from_days(cal_local_day(doc->cal, t), &y, &m, &d);
	*out = xstrfmt("%02d/%02d/%04d", d, m, y);
	return 0;
}

/* One line of the register from dossier record `r`, entry `i`. */
static int
register_row(struct fdoc *doc, size_t i, const json_t *r, char **row)
{
	static const char *const results[][2] = {
		{ "early", "Trước hạn" },
		{ "on_time", "Đúng hạn" },
		{ "late", "Quá hạn" },
	};
	const char *code, *name, *addr, *phone, *res;
	long long no = 0, st = 0;
	size_t k;

	if (!json_is_object(r))
		return dx_seterr(doc->e, DX_DATAERR,
		    _("dossiers[%zu] must be an object"), i);
	doc->d = r;
	if (dstr(doc, "code", JX_REQ, &code) == -1 ||
	    jx_int(r, "register_no", 0, &no, doc->e) == -1 ||
	    jx_int(r, "status", 0, &st, doc->e) == -1 ||
	    jx_str(r, "result", 0, &res, doc->e) == -1)
		return dx_prefix(doc->e, "dossiers[%zu]", i);
	name = applicant(doc, "name");
	addr = applicant(doc, "address");
	phone = applicant(doc, "phone");
	row[0] = no > 0 ? xstrfmt("%02lld", no) : xstrfmt("%zu", i + 1);
	row[1] = xstrdup(code);
	row[2] = procedure_text(doc);
	row[3] = xdup(name);
	if (addr != NULL || phone != NULL)
		row[4] = xstrfmt("%s%s%s", addr != NULL ? addr : "",
		    addr != NULL && phone != NULL ? "; " : "",
		    phone != NULL ? phone : "");
	row[5] = xdup(dopt(doc, "unit_name"));
	if (short_time(doc, "received_at", dopt(doc, "received_at"),
	    &row[6]) == -1 ||
	    short_time(doc, "due_at", dopt(doc, "due_at"), &row[7]) == -1 ||
	    short_time(doc, "returned_at", dopt(doc, "returned_at"),
	    &row[8]) == -1)
		return dx_prefix(doc->e, "dossiers[%zu]", i);
	for (k = 0; res != NULL && k < sizeof(results) / sizeof(results[0]);
	    k++)
		if (strcmp(res, results[k][0]) == 0)
			row[9] = xstrdup(results[k][1]);
	row[11] = xdup(status_note(st));
	return 0;
}

/*
 * The register book: the period's heading and one line per dossier.
 */
static int
build_register(struct fdoc *doc, const json_t *rows)
{
	const char *from, *to, *place, *date;
	char *f = NULL, *t = NULL;
	struct doc_item *it;
	size_t i, n;

	if (doc->info != NULL && !json_is_object(doc->info))
		return dx_seterr(doc->e, DX_DATAERR,
		    _("info must be a JSON object"));
	if (!json_is_array(rows))
		return dx_seterr(doc->e, DX_DATAERR,
		    _("dossiers must be a JSON array"));
	if (istr(doc, "from", 0, &from) == -1 || istr(doc, "to", 0, &to) == -1 ||
	    istr(doc, "place", 0, &place) == -1 ||
	    istr(doc, "date", 0, &date) == -1)
		return -1;
	if (header(doc, place, date) == -1)
		return -1;
	field_own(doc, DOC_CENTER, NULL, form_line(doc));
	add(doc, DOC_TITLE)->s[0] = xstrdup(doc->t->title);
	if (from != NULL || to != NULL) {
		if ((from != NULL && short_day(doc, "info: from", from,
		    &f) == -1) || (to != NULL && short_day(doc, "info: to", to,
		    &t) == -1)) {
			free(f);
			return -1;
		}
		field_own(doc, DOC_CENTER, NULL, xstrfmt("Từ ngày %s đến ngày"
		    " %s", f != NULL ? f : DOTS, t != NULL ? t : DOTS));
		free(f);
		free(t);
	}
	gap(doc);
	n = json_array_size(rows);
	it = table(doc, DOC_BLOCKS, register_cols, NREGCOLS, n);
	for (i = 0; i < n; i++)
		if (register_row(doc, i, json_array_get(rows, i),
		    &it->cells[i * NREGCOLS]) == -1)
			return -1;
	if (n == 0)
		para(doc, xstrdup("(Không có hồ sơ trong kỳ)"));
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
		return dx_seterr(e, DX_IOERR, _("cannot write form"));
	return 0;
}

/*
 * Render `doc` in the writer's format (the HTML head before the first
 * form, a form feed between text forms), free it and write it out.
 */
static int
emit(struct form_writer *w, struct doc *doc, const char *title,
    struct dx_err *e)
{
	struct dx_buf out;
	int rc;

	buf_init(&out);
	if (w->fmt == FORM_HTML) {
		if (w->nforms == 0)
			doc_html_head(&out, doc, title);
		doc_html(&out, doc);
	} else {
		if (w->nforms > 0)
			buf_adds(&out, "\f\n");
		doc_text(&out, doc);
	}
	doc_free(doc);
	rc = put(w, &out, e);
	buf_free(&out);
	if (rc == 0)
		w->nforms++;
	return rc;
}

int
form_write(struct form_writer *w, enum form_kind kind, const json_t *dossier,
    const json_t *info, const struct calendar *cal, struct dx_err *e)
{
	const struct form_def *def = lookup_def(kind);
	struct fdoc doc;

	if (w == NULL || def == NULL || cal == NULL)
		return dx_seterr(e, DX_SOFTWARE, "form_write: bad argument "
		    "(form %d)", (int)kind);
	memset(&doc, 0, sizeof(doc));
	if (def->build == NULL)
		return dx_seterr(e, DX_SOFTWARE, "form_write: form %s is"
		    " written by form_register()", def->num);
	doc.def = def;
	doc.d = dossier;
	doc.info = info;
	doc.cal = cal;
	doc.e = e;
	choose_set(&doc, json_is_object(dossier) ? dopt(&doc,
	    "received_at") : NULL);
	doc.doc.name = doc.t->name;
	doc.doc.id = def->num;
	doc.doc.a4 = def->a4;
	if (build_common(&doc) == -1 || def->build(&doc) == -1) {
		doc_free(&doc.doc);
		return dx_prefix(e, "form %s", def->num);
	}
	return emit(w, &doc.doc, dopt(&doc, "code"), e);
}

int
form_register(struct form_writer *w, const json_t *dossiers,
    const json_t *info, const struct calendar *cal, struct dx_err *e)
{
	const struct form_def *def = lookup_def(FORM_REGISTER);
	struct fdoc doc;
	const char *from = NULL;

	if (w == NULL || cal == NULL)
		return dx_seterr(e, DX_SOFTWARE, "form_register: bad argument");
	memset(&doc, 0, sizeof(doc));
	doc.def = def;
	doc.info = info;
	doc.cal = cal;
	doc.e = e;
	(void)jx_str(info, "from", 0, &from, NULL);
	choose_set(&doc, from);
	doc.doc.name = doc.t->name;
	doc.doc.id = def->num;
	doc.doc.a4 = def->a4;
	doc.doc.landscape = 1;	/* twelve columns */
	if (build_register(&doc, dossiers) == -1) {
		doc_free(&doc.doc);
		return dx_prefix(e, "form %s", def->num);
	}
	return emit(w, &doc.doc, NULL, e);
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
		rc = dx_seterr(e, DX_IOERR, _("cannot write forms"));
	free(w);
	return rc;
}
