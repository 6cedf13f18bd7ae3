/*
 * forms.c: printable forms (TT 01/2018/TT-VPCP, TT 03/2025/TT-VPCP).
 *
 * A form is built in two stages.  A builder per form (build_receipt ...)
 * turns the dossier and the form data into a `struct doc`: a list of
 * items (header, title, field lines, paragraphs, tables, signatures)
 * holding the final Vietnamese strings.  All data errors happen there.
 * Then one renderer per format (text_render, html_render) writes the
 * list into a buffer, which goes to the FILE in one fwrite.  The
 * renderers know nothing of forms, the builders nothing of formats.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "forms.h"
#include "jsonl.h"
#include "util.h"

#define WIDTH FORM_TEXT_WIDTH
#define DOTS "................"
#define TIME_DOTS "..... giờ ..... phút, ngày ...../...../........"
#define BLANK_STEPS 4	/* rows of an empty control slip */
#define MOTTO1 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define MOTTO2 "Độc lập - Tự do - Hạnh phúc"
/*
 * U+00A0 binds the words of a time so that text never wraps inside it;
 * both renderers print it as a plain space.
 */
#define NBSP "\xc2\xa0"

struct form_writer {
	FILE *fp;
	enum form_format fmt;
	int nforms;		/* forms written so far */
};

/*
 * The intermediate form.
 */
enum item_kind {
	IT_HEADER,	/* s[0] parent, s[1] office, s[2] place and date */
	IT_TITLE,	/* s[0] */
	IT_FIELD,	/* "label: s[0]"; label only when s[0] is NULL */
	IT_PARA,	/* s[0] */
	IT_TABLE,	/* cols, cells */
	IT_SIGN,	/* cols (title, note), one row of names */
	IT_GAP		/* a blank line in text, nothing in HTML */
};

#define IF_BOLD		0x1	/* field value in bold (HTML) */
#define IF_SUB		0x2	/* field indented one level */
#define IF_CENTER	0x4	/* field centred */

enum table_style {
	TS_LIST,	/* text: "  1. name" lines */
	TS_BLOCKS	/* text: one block of "label: value" lines per row */
};

#define COL_NUM		0x1	/* a narrow number column */
#define COL_SIGN	0x2	/* left empty for a signature */
#define COL_BARE	0x4	/* text: the value without the column name */

struct column {
	const char *name;	/* header; signature: the title */
	const char *note;	/* signature: "(Ký và ghi rõ họ tên)" */
	unsigned flags;
};

struct item {
	enum item_kind kind;
	unsigned flags;
	const char *label;	/* static */
	char *s[3];		/* owned */
	enum table_style style;
	const struct column *cols;	/* static */
	size_t ncols, nrows;
	char **cells;		/* owned, nrows * ncols, NULL = empty */
};

struct form_def;

struct doc {
	struct item *v;
	size_t n, cap;
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
	int (*build)(struct doc *);
};

static int build_receipt(struct doc *);
static int build_supplement(struct doc *);
static int build_refusal(struct doc *);
static int build_apology(struct doc *);
static int build_stop(struct doc *);
static int build_tracking(struct doc *);

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

/* A new string from a printf format. */
static char *xfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	return s;
}

static char *
xdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The display width on a receipt printer (util.h). */
static size_t
swidth(const char *s)
{
	return u8_width(s, strlen(s));
}

/*
 * Building the item list.
 */

static struct item *
add(struct doc *doc, enum item_kind kind)
{
	struct item *it;

	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? doc->cap * 2 : 32;
		doc->v = xreallocarray(doc->v, doc->cap, sizeof(*doc->v));
	}
	it = &doc->v[doc->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static void
doc_free(struct doc *doc)
{
	size_t i, j;

	for (i = 0; i < doc->n; i++) {
		struct item *it = &doc->v[i];

		for (j = 0; j < 3; j++)
			free(it->s[j]);
		if (it->cells != NULL)
			for (j = 0; j < it->nrows * it->ncols; j++)
				free(it->cells[j]);
		free(it->cells);
	}
	free(doc->v);
	doc->v = NULL;
	doc->n = doc->cap = 0;
}

/* A field line; `value` (copied) may be NULL for a heading. */
static void
field(struct doc *doc, unsigned flags, const char *label, const char *value)
{
	struct item *it = add(doc, IT_FIELD);

	it->flags = flags;
	it->label = label;
	it->s[0] = xdup(value);
}

/* A field with an owned value. */
static void
field_own(struct doc *doc, unsigned flags, const char *label, char *value)
{
	struct item *it = add(doc, IT_FIELD);

	it->flags = flags;
	it->label = label;
	it->s[0] = value;
}

/* A field only when `value` is set. */
static void
field_opt(struct doc *doc, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		field(doc, 0, label, value);
}

static void
para(struct doc *doc, char *text)
{
	add(doc, IT_PARA)->s[0] = text;
}

static void
gap(struct doc *doc)
{
	add(doc, IT_GAP);
}

/* A table of `nrows` empty rows; fill with it->cells[row * ncols + col]. */
static struct item *
table(struct doc *doc, enum table_style style, const struct column *cols,
    size_t ncol, size_t nrows)
{
	struct item *it = add(doc, IT_TABLE);

	it->style = style;
	it->cols = cols;
	it->ncols = ncol;
	it->nrows = nrows;
	it->cells = xcalloc(nrows * ncol + 1, sizeof(char *));
	return it;
}

/* Signatures: `cols` gives titles and notes, `names` the printed names. */
static void
signatures(struct doc *doc, const struct column *cols, size_t n,
    const char *const *names)
{
	struct item *it;
	size_t i;

	gap(doc);
	it = add(doc, IT_SIGN);
	it->cols = cols;
	it->ncols = n;
	it->nrows = 1;
	it->cells = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++)
		it->cells[i] = xdup(names[i]);
}

/*
 * Reading the inputs.  Failures set doc->e to DX_DATAERR naming the field.
 */

static int
dstr(struct doc *doc, const char *key, int flags, const char **out)
{
	if (jx_str(doc->d, key, flags, out, doc->e) == -1)
		return dx_prefix(doc->e, "dossier");
	return 0;
}

static const char *
dopt(struct doc *doc, const char *key)
{
	const char *s = NULL;

	/* a wrong type reads as absent here; dstr() checks the ones we need */
	if (jx_str(doc->d, key, 0, &s, NULL) == -1)
		return NULL;
	return s;
}

static const char *
applicant(struct doc *doc, const char *key)
{
	const char *s = NULL;

	if (jx_str(json_object_get(doc->d, "applicant"), key, 0, &s,
	    NULL) == -1)
		return NULL;
	return s;
}

static int
istr(struct doc *doc, const char *key, int flags, const char **out)
{
	if (jx_str(doc->info, key, flags, out, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	return 0;
}

/* A document name: a string or an object with "name". */
static int
doc_name(struct doc *doc, const char *what, size_t i, const json_t *v,
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
array(struct doc *doc, const char *what, const json_t *o, const char *key,
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
vn_time(struct doc *doc, const char *what, const char *s, char *out,
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
dtime(struct doc *doc, const char *key, char *out, size_t n)
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
itime(struct doc *doc, const char *key, int flags, char *out, size_t n)
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
vn_amount(struct doc *doc, const char *what, const json_t *v, char *out,
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
office(struct doc *doc)
{
	const char *s = NULL;

	if (jx_str(doc->info, "office_name", 0, &s, NULL) == -1 || s == NULL ||
	    *s == '\0')
		return "Cơ quan tiếp nhận hồ sơ";
	return s;
}

static const char *
staff(struct doc *doc)
{
	const char *s = NULL;

	if (jx_str(doc->info, "staff_name", 0, &s, NULL) == -1)
		return NULL;
	return s;
}

/* "Đăng ký khai sinh (mã thủ tục 1.001193)" */
static char *
procedure_text(struct doc *doc)
{
	const char *name = dopt(doc, "procedure_name");
	const char *code = dopt(doc, "procedure");

	if (name != NULL && code != NULL)
		return xfmt("%s (mã thủ tục %s)", name, code);
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
build_common(struct doc *doc)
{
	const struct form_def *def = doc->def;
	const char *s, *place, *date;
	struct item *it;
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

	it = add(doc, IT_HEADER);
	if (istr(doc, "parent_name", 0, &s) == -1)
		return -1;
	it->s[0] = xdup(s);
	if (istr(doc, "office_name", 0, &s) == -1)
		return -1;
	it->s[1] = xdup(s);
	if (place == NULL || *place == '\0')
		place = DOTS;
	if (date == NULL) {
		it->s[2] = xfmt("%s, ngày ..... tháng ..... năm .........",
		    place);
	} else {
		if (cal_parse(doc->cal, date, &t) == -1)
			return dx_seterr(doc->e, DX_DATAERR,
			    "date: invalid date '%s'", date);
		day = cal_local_day(doc->cal, t);
		civil_from_days(day, &y, &m, &d);
		it->s[2] = xfmt("%s, ngày %02d tháng %02d năm %04d", place,
		    d, m, y);
	}
	gap(doc);
	add(doc, IT_TITLE)->s[0] = xstrdup(def->title);
	field(doc, IF_CENTER | IF_BOLD, "Mã hồ sơ", dopt(doc, "code"));
	gap(doc);
	return 0;
}

/* Who the dossier is from: name (and channel), address, phone, e-mail. */
static void
applicant_fields(struct doc *doc, const char *label, int with_channel)
{
	const char *name = applicant(doc, "name");
	const char *ch = with_channel ? channel_name(dopt(doc, "channel")) :
	    NULL;

	if (ch != NULL)
		field_own(doc, IF_BOLD, label, xfmt("%s (%s)", name, ch));
	else
		field(doc, IF_BOLD, label, name);
	field_opt(doc, "Địa chỉ", applicant(doc, "address"));
	field_opt(doc, "Số điện thoại", applicant(doc, "phone"));
	field_opt(doc, "Email", applicant(doc, "email"));
}

static const struct column list_cols[] = {
	{ "STT", NULL, COL_NUM },
	{ "Tên giấy tờ", NULL, 0 },
};

/* A numbered list of document names from `arr` (strings or {name}). */
static int
doc_list(struct doc *doc, const char *what, const json_t *arr)
{
	struct item *it;
	const char *name;
	size_t i, n = json_array_size(arr);

	it = table(doc, TS_LIST, list_cols, 2, n);
	for (i = 0; i < n; i++) {
		if (doc_name(doc, what, i, json_array_get(arr, i), &name) == -1)
			return -1;
		it->cells[i * 2] = xfmt("%zu", i + 1);
		it->cells[i * 2 + 1] = xstrdup(name);
	}
	return 0;
}

/*
 * The forms.
 */

static const struct column sign_receipt[] = {
	{ "NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
	{ "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct column sign_guide[] = {
	{ "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct column sign_receiver[] = {
	{ "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", 0 },
};
static const struct column sign_head[] = {
	{ "ĐẠI DIỆN CƠ QUAN, ĐƠN VỊ", "(Ký, ghi rõ họ tên và đóng dấu)", 0 },
};

static int
build_receipt(struct doc *doc)
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
		field(doc, IF_SUB, NULL, "(không có giấy tờ kèm theo)");
	}

	if (jx_int(doc->info, "sets", 0, &sets, doc->e) == -1)
		return dx_prefix(doc->e, "info");
	if (sets < 1 || sets > 999)
		return dx_seterr(doc->e, DX_DATAERR,
		    "info: invalid number of sets %lld", sets);
	field_own(doc, 0, "2. Số lượng hồ sơ", xfmt("%02lld bộ", sets));

	if (vn_amount(doc, "time", json_object_get(doc->d, "time"), amount,
	    sizeof(amount)) == -1 ||
	    vn_amount(doc, "remote_extra",
	    json_object_get(doc->d, "remote_extra"), extra,
	    sizeof(extra)) == -1)
		return -1;
	if (*extra != '\0')
		field_own(doc, 0, "3. Thời gian giải quyết hồ sơ theo quy định",
		    xfmt("%s (cộng thêm %s đối với xã vùng sâu, vùng xa)",
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
		field(doc, IF_BOLD, "5. Thời gian trả kết quả giải quyết hồ sơ",
		    when);
	}
	field(doc, 0, "6. Đăng ký nhận kết quả tại",
	    unit != NULL ? unit : DOTS);

	if (istr(doc, "lookup", 0, &lookup) == -1)
		return -1;
	gap(doc);
	if (lookup != NULL && *lookup != '\0')
		para(doc, xfmt("Tra cứu tình trạng hồ sơ theo mã hồ sơ %s tại "
		    "%s.", dopt(doc, "code"), lookup));
	else
		para(doc, xfmt("Tra cứu tình trạng hồ sơ theo mã hồ sơ %s trên "
		    "Cổng Dịch vụ công hoặc tại Bộ phận Một cửa.",
		    dopt(doc, "code")));

	names[0] = NULL;
	names[1] = staff(doc);
	signatures(doc, sign_receipt, 2, names);
	return 0;
}

static const struct column missing_cols[] = {
	{ "STT", NULL, COL_NUM },
	{ "Giấy tờ, nội dung cần bổ sung, hoàn thiện", NULL, 0 },
};

static int
build_supplement(struct doc *doc)
{
	const json_t *missing;
	const char *reason, *name, *who;
	char when[96];
	struct item *it;
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
		it = table(doc, TS_LIST, missing_cols, 2, n);
		for (i = 0; i < n; i++) {
			if (doc_name(doc, "info: missing", i,
			    json_array_get(missing, i), &name) == -1)
				return -1;
			it->cells[i * 2] = xfmt("%zu", i + 1);
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
	para(doc, xfmt("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, "
	    "ông/bà liên hệ với %s%s%s để được hướng dẫn.",
	    who != NULL ? who : "", who != NULL ? ", " : "", office(doc)));
	para(doc, xstrdup("Xin trân trọng cảm ơn!"));
	signatures(doc, sign_guide, 1, &who);
	return 0;
}

static int
build_refusal(struct doc *doc)
{
	const char *reason, *who;

	applicant_fields(doc, "Tiếp nhận hồ sơ của", 1);
	field_own(doc, 0, "Nội dung yêu cầu giải quyết", procedure_text(doc));
	gap(doc);
	para(doc, xfmt("Qua xem xét, %s thông báo không tiếp nhận, giải "
	    "quyết hồ sơ này với lý do cụ thể như sau:", office(doc)));
	if (istr(doc, "reason", JX_REQ, &reason) == -1)
		return -1;
	field(doc, IF_SUB, NULL, reason);
	para(doc, xstrdup("Xin thông báo để ông/bà được biết và thực "
	    "hiện./."));
	who = staff(doc);
	signatures(doc, sign_receiver, 1, &who);
	return 0;
}

static int
build_apology(struct doc *doc)
{
	const char *reason, *who, *old;
	char received[96], due[96], newdue[96];

	field(doc, IF_BOLD, "Kính gửi", applicant(doc, "name"));
	if (dtime(doc, "received_at", received, sizeof(received)) == -1 ||
	    istr(doc, "old_due_at", 0, &old) == -1 ||
	    (old == NULL && dstr(doc, "due_at", 0, &old) == -1) ||
	    vn_time(doc, "old_due_at", old, due, sizeof(due)) == -1 ||
	    itime(doc, "new_due_at", JX_REQ, newdue, sizeof(newdue)) == -1 ||
	    istr(doc, "reason", JX_REQ, &reason) == -1)
		return -1;
	{
		char *proc = procedure_text(doc);

		para(doc, xfmt("%s xin lỗi ông/bà vì hồ sơ đề nghị giải quyết "
		    "thủ tục hành chính %s, mã hồ sơ %s, tiếp nhận lúc %s, "
		    "hẹn trả kết quả lúc %s chưa được giải quyết đúng hạn.",
		    office(doc), proc, dopt(doc, "code"), received, due));
		free(proc);
	}
	field(doc, 0, "Lý do", reason);
	para(doc, xfmt("Sự chậm trễ này đã gây phiền hà cho ông/bà. %s xin "
	    "tiếp thu và nghiêm túc rút kinh nghiệm.", office(doc)));
	field(doc, IF_BOLD, "Thời gian hẹn trả kết quả mới", newdue);
	para(doc, xstrdup("Mong nhận được sự thông cảm của ông/bà."));
	who = staff(doc);
	signatures(doc, sign_head, 1, &who);
	return 0;
}

static int
build_stop(struct doc *doc)
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
	field(doc, IF_BOLD, "Kính gửi", applicant(doc, "name"));
	if (by != NULL && strcmp(by, "appraisal") == 0)
		para(doc, xfmt("Căn cứ kết quả thẩm định hồ sơ, %s thông báo "
		    "dừng giải quyết hồ sơ sau:", office(doc)));
	else
		para(doc, xfmt("Căn cứ đề nghị dừng giải quyết hồ sơ của "
		    "ông/bà, %s thông báo dừng giải quyết hồ sơ sau:",
		    office(doc)));
	field(doc, IF_SUB, "Mã hồ sơ", dopt(doc, "code"));
	field_own(doc, IF_SUB, "Thủ tục hành chính", procedure_text(doc));
	field(doc, IF_SUB, "Thời gian nhận hồ sơ", when);
	field(doc, IF_SUB, "Lý do", reason);
	unit = dopt(doc, "unit_name");
	para(doc, xfmt("Ông/bà vui lòng liên hệ %s để nhận lại hồ sơ "
	    "(nếu có).", unit != NULL ? unit : office(doc)));
	who = staff(doc);
	signatures(doc, sign_head, 1, &who);
	return 0;
}

static const struct column step_cols[] = {
	{ "Bước", NULL, COL_NUM },
	{ "Giao, nhận hồ sơ", NULL, COL_BARE },
	{ "Thời gian giao, nhận", NULL, 0 },
	{ "Hạn xử lý", NULL, 0 },
	{ "Kết quả giải quyết", NULL, 0 },
	{ "Người xử lý", NULL, 0 },
	{ "Người giao ký", NULL, COL_SIGN },
	{ "Người nhận ký", NULL, COL_SIGN },
	{ "Ghi chú", NULL, 0 },
};
#define NSTEPCOLS (sizeof(step_cols) / sizeof(step_cols[0]))

static int
step_row(struct doc *doc, size_t i, const json_t *st, char **row)
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
	row[0] = xfmt("%zu", i + 1);
	row[1] = xfmt("Giao: %s / Nhận: %s", from != NULL ? from : DOTS,
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
build_tracking(struct doc *doc)
{
	const json_t *steps;
	const char *unit;
	char when[96];
	struct item *it;
	size_t i, n;

	field(doc, IF_BOLD, "Kèm theo hồ sơ của", applicant(doc, "name"));
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
	it = table(doc, TS_BLOCKS, step_cols, NSTEPCOLS,
	    n > 0 ? n : BLANK_STEPS);
	for (i = 0; i < n; i++)
		if (step_row(doc, i, json_array_get(steps, i),
		    &it->cells[i * NSTEPCOLS]) == -1)
			return -1;
	for (i = n; i < it->nrows; i++)
		it->cells[i * NSTEPCOLS] = xfmt("%zu", i + 1);
	return 0;
}

/*
 * Text rendering: every line at most WIDTH display columns.
 */

struct lines {
	char **v;
	size_t n, cap;
};

static void
lines_push(struct lines *l, const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = xstrndup(s, len);
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || (c < 0x20 && c != '\n') || c == 0x7f;
}

/* Append n bytes of a word, with U+00A0 as a plain space. */
static void
add_word(struct dx_buf *b, const char *p, size_t n)
{
	const char *end = p + n, *q;

	while (p < end) {
		for (q = p; q < end && !(q + 1 < end &&
		    (unsigned char)q[0] == 0xc2 && (unsigned char)q[1] == 0xa0);
		    q++)
			;
		buf_add(b, p, (size_t)(q - p));
		if (q < end) {
			buf_add(b, " ", 1);
			q += 2;
		}
		p = q;
	}
}

static void
line_start(struct dx_buf *b, size_t *col, size_t indent)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < indent; i++)
		buf_add(b, " ", 1);
	*col = indent;
}

/*
 * Wrap `s` at spaces into lines of at most `width` columns: the first
 * line indented by `ind1` spaces, the others by `ind2`.  A newline in `s`
 * forces a break; control characters count as spaces; a word longer than
 * a line is cut.  Appends to `out` (at least one line).
 */
static void
wrap(struct lines *out, const char *s, size_t width, size_t ind1,
    size_t ind2)
{
	struct dx_buf b;
	const char *p = s, *q, *r, *nx;
	size_t col, wlen, room;
	int empty = 1, pushed = 0;

	if (ind1 >= width)
		ind1 = 0;
	if (ind2 >= width)
		ind2 = 0;
	buf_init(&b);
	line_start(&b, &col, ind1);
	while (*p != '\0') {
		if (*p == '\n') {
			lines_push(out, b.len > 0 ? b.buf : "", b.len);
			pushed = 1;
			line_start(&b, &col, ind2);
			empty = 1;
			p++;
			continue;
		}
		if (is_blank((unsigned char)*p)) {
			p++;
			continue;
		}
		for (q = p; *q != '\0' && *q != '\n' &&
		    !is_blank((unsigned char)*q); q++)
			;
		wlen = u8_width(p, (size_t)(q - p));
		if (!empty && col + 1 + wlen > width) {
			lines_push(out, b.buf, b.len);
			pushed = 1;
			line_start(&b, &col, ind2);
			empty = 1;
		}
		if (!empty) {
			buf_add(&b, " ", 1);
			col++;
		}
		while (col + wlen > width) {
			/*
			 * cut the word: as many columns as fit, a combining
			 * mark staying with the letter before it
			 */
			room = width - col;
			for (r = p; r < q; r = nx) {
				nx = r + 1;
				while (nx < q && ((unsigned char)*nx & 0xc0) ==
				    0x80)
					nx++;
				if (u8_width(p, (size_t)(nx - p)) > room)
					break;
			}
			add_word(&b, p, (size_t)(r - p));
			lines_push(out, b.buf, b.len);
			pushed = 1;
			line_start(&b, &col, ind2);
			wlen = u8_width(r, (size_t)(q - r));
			p = r;
		}
		add_word(&b, p, (size_t)(q - p));
		col += wlen;
		empty = 0;
		p = q;
	}
	if (!empty || !pushed)
		lines_push(out, b.len > 0 ? b.buf : "", b.len);
	buf_free(&b);
}

/* Emit lines, each padded on the left: 0 left, 1 centre, 2 right. */
static void
emit(struct dx_buf *o, const struct lines *l, int align)
{
	size_t i, w, pad;

	for (i = 0; i < l->n; i++) {
		w = swidth(l->v[i]);
		pad = 0;
		if (align == 1 && w < WIDTH)
			pad = (WIDTH - w) / 2;
		else if (align == 2 && w < WIDTH)
			pad = WIDTH - w;
		if (l->v[i][0] != '\0')
			buf_printf(o, "%*s", (int)pad, "");
		buf_adds(o, l->v[i]);
		buf_add(o, "\n", 1);
	}
}

/* Wrap `s` and emit it at once. */
static void
text_out(struct dx_buf *o, const char *s, size_t ind1, size_t ind2,
    int align)
{
	struct lines l = { NULL, 0, 0 };

	wrap(&l, s, WIDTH, ind1, ind2);
	emit(o, &l, align);
	lines_free(&l);
}

/* "label: value", "label:" or "value". */
static char *
field_text(const char *label, const char *value)
{
	if (label == NULL)
		return xstrdup(value != NULL ? value : "");
	if (value == NULL)
		return xfmt("%s:", label);
	return xfmt("%s: %s", label, value);
}

static void
text_field(struct dx_buf *o, const char *label, const char *value,
    unsigned flags)
{
	char *s = field_text(label, value);
	size_t ind = (flags & IF_SUB) ? 2 : 0;
	int align = (flags & IF_CENTER) ? 1 : 0;

	/* a value that fits a line of its own goes there rather than wrap */
	if (label != NULL && value != NULL && ind + swidth(s) > WIDTH &&
	    ind + 2 + swidth(value) <= WIDTH) {
		free(s);
		s = field_text(label, NULL);
		text_out(o, s, ind, ind + 2, align);
		text_out(o, value, ind + 2, ind + 2, align);
	} else {
		text_out(o, s, ind, ind + 2, align);
	}
	free(s);
}

static void
text_table(struct dx_buf *o, const struct item *it)
{
	size_t r, c;
	char *s;
	const char *v;
	int blank;

	for (r = 0; r < it->nrows; r++) {
		char *const *row = &it->cells[r * it->ncols];

		if (it->style == TS_LIST) {
			s = xfmt("%s. %s", row[0] != NULL ? row[0] : "",
			    row[1] != NULL ? row[1] : "");
			text_out(o, s, 2, 2 + swidth(row[0] != NULL ?
			    row[0] : "") + 2, 0);
			free(s);
			continue;
		}
		/* a row with only its number is a blank row to fill in */
		for (blank = 1, c = 1; c < it->ncols; c++)
			if (row[c] != NULL)
				blank = 0;
		if (r > 0)
			buf_add(o, "\n", 1);
		s = xfmt("%s %s", it->cols[0].name, row[0] != NULL ?
		    row[0] : "");
		text_out(o, s, 0, 2, 0);
		free(s);
		for (c = 1; c < it->ncols; c++) {
			v = row[c];
			if (v == NULL && (blank || (it->cols[c].flags &
			    COL_SIGN)))
				v = DOTS;
			if (v != NULL)
				text_field(o, (it->cols[c].flags & COL_BARE) ?
				    NULL : it->cols[c].name, v, IF_SUB);
		}
	}
}

/*
 * Signature columns side by side, each centred in its column; a single
 * signature sits right of centre, as on the paper forms.
 */
static void
text_sign(struct dx_buf *o, const struct item *it)
{
	struct lines col[4];
	size_t n, i, j, h = 0, w, cw, margin, lead;
	struct dx_buf line;

	n = it->ncols < 4 ? it->ncols : 4;
	margin = n == 1 ? WIDTH / 3 : 0;
	cw = n == 1 ? WIDTH - margin : WIDTH / n;
	memset(col, 0, sizeof(col));
	for (i = 0; i < n; i++) {
		const char *name = it->cells[i];

		wrap(&col[i], it->cols[i].name, cw - 1, 0, 0);
		if (it->cols[i].note != NULL)
			wrap(&col[i], it->cols[i].note, cw - 1, 0, 0);
		for (j = 0; j < 3; j++)
			lines_push(&col[i], "", 0);
		if (name != NULL && *name != '\0')
			wrap(&col[i], name, cw - 1, 0, 0);
		if (col[i].n > h)
			h = col[i].n;
	}
	buf_init(&line);
	for (j = 0; j < h; j++) {
		buf_reset(&line);
		buf_printf(&line, "%*s", (int)margin, "");
		for (i = 0; i < n; i++) {
			const char *s = j < col[i].n ? col[i].v[j] : "";

			w = swidth(s);
			lead = w < cw ? (cw - w) / 2 : 0;
			buf_printf(&line, "%*s%s%*s", (int)lead, "", s,
			    (int)(w + lead < cw ? cw - w - lead : 0), "");
		}
		while (line.len > 0 && line.buf[line.len - 1] == ' ')
			line.len--;
		buf_add(o, line.len > 0 ? line.buf : "", line.len);
		buf_add(o, "\n", 1);
	}
	buf_free(&line);
	for (i = 0; i < n; i++)
		lines_free(&col[i]);
}

static void
text_render(struct dx_buf *o, const struct doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n; i++) {
		const struct item *it = &doc->v[i];

		switch (it->kind) {
		case IT_HEADER:
			if (it->s[0] != NULL)
				text_out(o, it->s[0], 0, 0, 1);
			if (it->s[1] != NULL)
				text_out(o, it->s[1], 0, 0, 1);
			if (it->s[0] != NULL || it->s[1] != NULL)
				buf_add(o, "\n", 1);
			text_out(o, MOTTO1, 0, 0, 1);
			text_out(o, MOTTO2, 0, 0, 1);
			buf_add(o, "\n", 1);
			text_out(o, it->s[2], 0, 0, 2);
			break;
		case IT_TITLE:
			text_out(o, it->s[0], 0, 0, 1);
			break;
		case IT_FIELD:
			text_field(o, it->label, it->s[0], it->flags);
			break;
		case IT_PARA:
			text_out(o, it->s[0], 0, 0, 0);
			break;
		case IT_TABLE:
			text_table(o, it);
			break;
		case IT_SIGN:
			text_sign(o, it);
			break;
		case IT_GAP:
			buf_add(o, "\n", 1);
			break;
		}
	}
}

/*
 * HTML rendering.
 */

static const char css[] =
    "@page a5 { size: A5; margin: 12mm }\n"
    "@page a4 { size: A4; margin: 12mm }\n"
    "* { box-sizing: border-box }\n"
    "body { margin: 0; color: #000; background: #fff;"
    " font: 12pt/1.35 \"Times New Roman\", Times, serif }\n"
    ".form.a5 { page: a5 }\n"
    ".form.a4 { page: a4 }\n"
    ".form + .form { break-before: page; page-break-before: always }\n"
    "table { border-collapse: collapse; width: 100% }\n"
    ".hdr td { vertical-align: top; text-align: center; padding: 0 }\n"
    ".hdr td.ag { width: 42% }\n"
    ".b { font-weight: bold }\n"
    ".date { font-style: italic; margin-top: 4pt; text-align: right }\n"
    "hr { width: 30%; margin: 2pt auto; border: 0;"
    " border-top: 1px solid #000 }\n"
    "h1 { font-size: 13pt; text-align: center; margin: 12pt 0 2pt }\n"
    "p { margin: 3pt 0; text-align: justify }\n"
    "p.c { text-align: center }\n"
    "p.sub { margin-left: 1.5em }\n"
    ".grid { margin: 3pt 0 }\n"
    ".grid th, .grid td { border: 1px solid #000; padding: 2pt 4pt;"
    " vertical-align: top; text-align: left }\n"
    ".grid th { text-align: center }\n"
    ".grid .num { width: 2.5em; text-align: center }\n"
    ".grid td.sg { height: 16mm; width: 11% }\n"
    ".a4 .grid { font-size: 10.5pt }\n"
    ".sign { margin-top: 10pt }\n"
    ".sign td { width: 50%; vertical-align: top; text-align: center }\n"
    ".sign .i { font-style: italic }\n"
    ".sign .space { height: 18mm }\n"
    "@media screen {\n"
    " body { background: #ddd }\n"
    " .form { background: #fff; margin: 1em auto; padding: 12mm;"
    " width: 148mm; min-height: 210mm }\n"
    " .form.a4 { width: 210mm; min-height: 297mm }\n"
    "}\n";

/* Data as HTML text: & < > " ' escaped, newlines as <br>. */
static void
esc(struct dx_buf *o, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&': buf_adds(o, "&amp;"); break;
		case '<': buf_adds(o, "&lt;"); break;
		case '>': buf_adds(o, "&gt;"); break;
		case '"': buf_adds(o, "&quot;"); break;
		case '\'': buf_adds(o, "&#39;"); break;
		case '\n': buf_adds(o, "<br>"); break;
		default:
			if ((unsigned char)p[0] == 0xc2 &&
			    (unsigned char)p[1] == 0xa0) {
				buf_add(o, " ", 1);
				p++;
			} else if (is_blank((unsigned char)*p))
				buf_add(o, " ", 1);
			else
				buf_add(o, p, 1);
		}
	}
}

static void
html_head(struct dx_buf *o, const struct form_def *def, const char *code)
{
	buf_adds(o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	esc(o, def != NULL ? def->name : "Biểu mẫu");
	if (code != NULL) {
		buf_adds(o, " ");
		esc(o, code);
	}
	buf_printf(o, "</title>\n<style>\n@page { size: %s; margin: 12mm }\n",
	    def != NULL && def->a4 ? "A4" : "A5");
	buf_adds(o, css);
	buf_adds(o, "</style>\n</head>\n<body>\n");
}

static void
html_field(struct dx_buf *o, const struct item *it)
{
	buf_adds(o, "<p");
	if (it->flags & IF_CENTER)
		buf_adds(o, " class=\"c\"");
	else if (it->flags & IF_SUB)
		buf_adds(o, " class=\"sub\"");
	buf_adds(o, ">");
	if (it->label != NULL) {
		esc(o, it->label);
		buf_adds(o, it->s[0] != NULL ? ": " : ":");
	}
	if (it->s[0] != NULL) {
		buf_adds(o, (it->flags & IF_BOLD) ? "<b>" : "");
		esc(o, it->s[0]);
		buf_adds(o, (it->flags & IF_BOLD) ? "</b>" : "");
	}
	buf_adds(o, "</p>\n");
}

static void
html_table(struct dx_buf *o, const struct item *it)
{
	size_t r, c;

	buf_adds(o, "<table class=\"grid\">\n<thead><tr>");
	for (c = 0; c < it->ncols; c++) {
		buf_adds(o, (it->cols[c].flags & COL_NUM) ?
		    "<th class=\"num\">" : "<th>");
		esc(o, it->cols[c].name);
		buf_adds(o, "</th>");
	}
	buf_adds(o, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < it->nrows; r++) {
		buf_adds(o, "<tr>");
		for (c = 0; c < it->ncols; c++) {
			unsigned f = it->cols[c].flags;

			buf_adds(o, (f & COL_NUM) ? "<td class=\"num\">" :
			    (f & COL_SIGN) ? "<td class=\"sg\">" : "<td>");
			esc(o, it->cells[r * it->ncols + c]);
			buf_adds(o, "</td>");
		}
		buf_adds(o, "</tr>\n");
	}
	buf_adds(o, "</tbody>\n</table>\n");
}

static void
html_sign(struct dx_buf *o, const struct item *it)
{
	size_t i;

	buf_adds(o, "<table class=\"sign\"><tr>");
	if (it->ncols == 1)
		buf_adds(o, "<td></td>");
	for (i = 0; i < it->ncols; i++) {
		buf_adds(o, "<td><div class=\"b\">");
		esc(o, it->cols[i].name);
		buf_adds(o, "</div><div class=\"i\">");
		esc(o, it->cols[i].note);
		buf_adds(o, "</div><div class=\"space\"></div>"
		    "<div class=\"b\">");
		esc(o, it->cells[i]);
		buf_adds(o, "</div></td>");
	}
	buf_adds(o, "</tr></table>\n");
}

static void
html_render(struct dx_buf *o, const struct doc *doc)
{
	size_t i;

	buf_printf(o, "<section class=\"form %s\" data-form=\"%s\">\n",
	    doc->def->a4 ? "a4" : "a5", doc->def->num);
	for (i = 0; i < doc->n; i++) {
		const struct item *it = &doc->v[i];

		switch (it->kind) {
		case IT_HEADER:
			buf_adds(o, "<table class=\"hdr\"><tr><td class=\"ag\">"
			    "<div>");
			esc(o, it->s[0]);
			buf_adds(o, "</div><div class=\"b\">");
			esc(o, it->s[1]);
			buf_adds(o, "</div><hr></td>\n<td><div class=\"b\">"
			    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
			    "<div class=\"b\">Độc lập - Tự do - Hạnh phúc</div>"
			    "<hr><div class=\"date\">");
			esc(o, it->s[2]);
			buf_adds(o, "</div></td></tr></table>\n");
			break;
		case IT_TITLE:
			buf_adds(o, "<h1>");
			esc(o, it->s[0]);
			buf_adds(o, "</h1>\n");
			break;
		case IT_FIELD:
			html_field(o, it);
			break;
		case IT_PARA:
			buf_adds(o, "<p>");
			esc(o, it->s[0]);
			buf_adds(o, "</p>\n");
			break;
		case IT_TABLE:
			html_table(o, it);
			break;
		case IT_SIGN:
			html_sign(o, it);
			break;
		case IT_GAP:
			break;
		}
	}
	buf_adds(o, "</section>\n");
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
	struct doc doc;
	struct dx_buf out;
	int rc;

	if (w == NULL || def == NULL || cal == NULL)
		return dx_seterr(e, DX_SOFTWARE, "form_write: bad argument "
		    "(form %d)", (int)kind);
	memset(&doc, 0, sizeof(doc));
	doc.def = def;
	doc.d = dossier;
	doc.info = info;
	doc.cal = cal;
	doc.e = e;
	if (build_common(&doc) == -1 || def->build(&doc) == -1) {
		doc_free(&doc);
		return dx_prefix(e, "form %s", def->num);
	}
	buf_init(&out);
	if (w->fmt == FORM_HTML) {
		if (w->nforms == 0)
			html_head(&out, def, dopt(&doc, "code"));
		html_render(&out, &doc);
	} else {
		if (w->nforms > 0)
			buf_adds(&out, "\f\n");
		text_render(&out, &doc);
	}
	doc_free(&doc);
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
			html_head(&out, NULL, NULL);
		buf_adds(&out, "</body>\n</html>\n");
	}
	rc = put(w, &out, e);
	buf_free(&out);
	if (fflush(w->fp) == EOF || ferror(w->fp))
		rc = dx_seterr(e, DX_IOERR, "cannot write forms");
	free(w);
	return rc;
}
