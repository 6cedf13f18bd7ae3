/*
 * t_doc.c: the document model and its text and HTML renderers, without
 * a form: what report forms will build on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "doc.h"
#include "util.h"

void t_doc(void);

static const struct doc_column cols[] = {
	{ "STT", NULL, DOC_COL_NUM },
	{ "Đơn vị", NULL, 0 },
	{ "Số hồ sơ", NULL, 0 },
};

static const struct doc_column sign[] = {
	{ "NGƯỜI LẬP BIỂU", "(Ký và ghi rõ họ tên)", 0 },
	{ "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên và đóng dấu)", 0 },
};

/* A small report: header, title, fields, a paragraph, a table, signs. */
static void
build(struct doc *d)
{
	static const char *const names[] = { "Nguyễn Văn An", NULL };
	struct doc_item *it;

	memset(d, 0, sizeof(*d));
	d->name = "Báo cáo <tháng>";
	d->id = "r1";
	d->a4 = 1;
	it = doc_add(d, DOC_HEADER);
	it->s[0] = xstrdup("UBND TỈNH THANH HÓA");
	it->s[1] = xstrdup("Trung tâm Phục vụ hành chính công");
	it->s[2] = xstrdup("Thanh Hóa, ngày 01 tháng 12 năm 2026");
	doc_add(d, DOC_TITLE)->s[0] = xstrdup("BÁO CÁO");
	doc_field(d, DOC_BOLD, "Kỳ báo cáo", "Tháng 11/2026");
	doc_field_opt(d, "Ghi chú", "");
	doc_field_opt(d, "Ghi chú", NULL);
	doc_field_own(d, 0, "Người lập", xstrdup("A & B"));
	/* "Nguyễn" with combining marks, many times: wraps by columns */
	doc_para(d, xstrdup("Nguye\xcc\x82\xcc\x83n Nguye\xcc\x82\xcc\x83n"
	    " Nguye\xcc\x82\xcc\x83n Nguye\xcc\x82\xcc\x83n"
	    " Nguye\xcc\x82\xcc\x83n Nguye\xcc\x82\xcc\x83n"
	    " Nguye\xcc\x82\xcc\x83n Nguye\xcc\x82\xcc\x83n"));
	it = doc_table(d, DOC_BLOCKS, cols, 3, 2);
	it->cells[0] = xstrdup("1");
	it->cells[1] = xstrdup("UBND xã Phước Thắng");
	it->cells[3] = xstrdup("2");
	doc_signatures(d, sign, 2, names);
}

static size_t
widest(const char *s)
{
	const char *nl;
	size_t w = 0;

	for (; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
		if (u8_width(s, (size_t)(nl - s)) > w)
			w = u8_width(s, (size_t)(nl - s));
	return w;
}

void
t_doc(void)
{
	struct dx_buf o;
	struct doc d;

	build(&d);
	is_int(d.n, 8, "eight items: empty optional fields left out");
	buf_init(&o);
	doc_text(&o, &d);
	ok(o.buf != NULL && strstr(o.buf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	    != NULL, "text: the header carries the national motto");
	ok(o.buf != NULL && strstr(o.buf, "Kỳ báo cáo: Tháng 11/2026") != NULL,
	    "text: a field line");
	ok(o.buf != NULL && strstr(o.buf, "Ghi chú") == NULL,
	    "text: no empty optional field");
	ok(o.buf != NULL && widest(o.buf) <= DOC_TEXT_WIDTH,
	    "text: no line wider than %d columns", DOC_TEXT_WIDTH);
	ok(o.buf != NULL && widest(o.buf) >= DOC_TEXT_WIDTH - 6,
	    "text: ... and lines are filled by columns, not bytes");
	ok(o.buf != NULL && strstr(o.buf, "Đơn vị: UBND xã Phước Thắng") !=
	    NULL && strstr(o.buf, "Số hồ sơ: " DOC_DOTS) != NULL,
	    "text: a table in blocks, a blank row as dots");
	buf_reset(&o);
	doc_html_head(&o, &d, "X-1");
	doc_html(&o, &d);
	buf_adds(&o, DOC_HTML_END);
	ok(o.buf != NULL && strstr(o.buf, "<title>Báo cáo &lt;tháng&gt; X-1"
	    "</title>") != NULL, "html: the title, escaped");
	ok(o.buf != NULL && strstr(o.buf, "@page { size: A4;") != NULL &&
	    strstr(o.buf, "<section class=\"form a4\" data-form=\"r1\">") !=
	    NULL, "html: an A4 page, the section named");
	ok(o.buf != NULL && strstr(o.buf, "A &amp; B") != NULL,
	    "html: data escaped");
	ok(o.buf != NULL && strlen(o.buf) > strlen(DOC_HTML_END) &&
	    strcmp(o.buf + strlen(o.buf) - strlen(DOC_HTML_END),
	    DOC_HTML_END) == 0, "html: the page ends");
	buf_reset(&o);
	doc_html_head(&o, NULL, NULL);
	ok(o.buf != NULL && strstr(o.buf, "<title>Biểu mẫu</title>") != NULL &&
	    strstr(o.buf, "size: A5;") != NULL, "html: a page without documents");
	buf_free(&o);
	doc_free(&d);
	is_int(d.n, 0, "doc_free empties the document");
}
