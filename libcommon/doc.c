/*
 * doc.c: the document model and its text and HTML renderers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "util.h"

#define MOTTO1 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define MOTTO2 "Độc lập - Tự do - Hạnh phúc"

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

struct doc_item *
doc_add(struct doc *doc, enum doc_kind kind)
{
	struct doc_item *it;

	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? doc->cap * 2 : 32;
		doc->v = xreallocarray(doc->v, doc->cap, sizeof(*doc->v));
	}
	it = &doc->v[doc->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

void
doc_free(struct doc *doc)
{
	size_t i, j;

	for (i = 0; i < doc->n; i++) {
		struct doc_item *it = &doc->v[i];

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

void
doc_field(struct doc *doc, unsigned flags, const char *label, const char *value)
{
	struct doc_item *it = doc_add(doc, DOC_FIELD);

	it->flags = flags;
	it->label = label;
	it->s[0] = xdup(value);
}

void
doc_field_own(struct doc *doc, unsigned flags, const char *label, char *value)
{
	struct doc_item *it = doc_add(doc, DOC_FIELD);

	it->flags = flags;
	it->label = label;
	it->s[0] = value;
}

void
doc_field_opt(struct doc *doc, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		doc_field(doc, 0, label, value);
}

void
doc_para(struct doc *doc, char *text)
{
	doc_add(doc, DOC_PARA)->s[0] = text;
}

void
doc_gap(struct doc *doc)
{
	doc_add(doc, DOC_GAP);
}

struct doc_item *
doc_table(struct doc *doc, enum doc_style style, const struct doc_column *cols,
    size_t ncol, size_t nrows)
{
	struct doc_item *it = doc_add(doc, DOC_TABLE);

	it->style = style;
	it->cols = cols;
	it->ncols = ncol;
	it->nrows = nrows;
	it->cells = xcalloc(nrows * ncol + 1, sizeof(char *));
	return it;
}

void
doc_signatures(struct doc *doc, const struct doc_column *cols, size_t n,
    const char *const *names)
{
	struct doc_item *it;
	size_t i;

	doc_gap(doc);
	it = doc_add(doc, DOC_SIGN);
	it->cols = cols;
	it->ncols = n;
	it->nrows = 1;
	it->cells = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++)
		it->cells[i] = xdup(names[i]);
}

/*
 * Text rendering: every line at most DOC_TEXT_WIDTH display columns.
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
		if (align == 1 && w < DOC_TEXT_WIDTH)
			pad = (DOC_TEXT_WIDTH - w) / 2;
		else if (align == 2 && w < DOC_TEXT_WIDTH)
			pad = DOC_TEXT_WIDTH - w;
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

	wrap(&l, s, DOC_TEXT_WIDTH, ind1, ind2);
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
		return xstrfmt("%s:", label);
	return xstrfmt("%s: %s", label, value);
}

static void
text_field(struct dx_buf *o, const char *label, const char *value,
    unsigned flags)
{
	char *s = field_text(label, value);
	size_t ind = (flags & DOC_SUB) ? 2 : 0;
	int align = (flags & DOC_CENTER) ? 1 : 0;

	/* a value that fits a line of its own goes there rather than wrap */
	if (label != NULL && value != NULL &&
	    ind + swidth(s) > DOC_TEXT_WIDTH &&
	    ind + 2 + swidth(value) <= DOC_TEXT_WIDTH) {
		free(s);
		s = field_text(label, NULL);
		text_out(o, s, ind, ind + 2, align);
		text_out(o, value, ind + 2, ind + 2, align);
	} else {
		text_out(o, s, ind, ind + 2, align);
	}
	free(s);
}

/* Append "; label: value" (no "; " first), never broken across lines. */
static void
bound(struct dx_buf *b, const char *label, const char *value)
{
	const char *p;

	if (b->len > 0)
		buf_adds(b, "; ");
	for (p = label; *p != '\0'; p++)
		if (*p == ' ')
			buf_adds(b, DOC_NBSP);
		else
			buf_add(b, p, 1);
	buf_adds(b, ":" DOC_NBSP);
	buf_adds(b, value);
}

static void
text_table(struct dx_buf *o, const struct doc_item *it)
{
	size_t r, c;
	char *s;
	const char *v;
	int blank;

	for (r = 0; r < it->nrows; r++) {
		char *const *row = &it->cells[r * it->ncols];

		if (it->style == DOC_LIST) {
			size_t ind = 2 + swidth(row[0] != NULL ? row[0] :
			    "") + 2;
			struct dx_buf more;

			s = xstrfmt("%s. %s", row[0] != NULL ? row[0] : "",
			    row[1] != NULL ? row[1] : "");
			text_out(o, s, 2, ind, 0);
			free(s);
			/* the other columns, given ones only, on one line */
			buf_init(&more);
			for (c = 2; c < it->ncols; c++)
				if (row[c] != NULL)
					bound(&more, it->cols[c].name, row[c]);
			if (more.len > 0)
				text_out(o, more.buf, ind, ind, 0);
			buf_free(&more);
			continue;
		}
		/* a row with only its number is a blank row to fill in */
		for (blank = 1, c = 1; c < it->ncols; c++)
			if (row[c] != NULL)
				blank = 0;
		if (r > 0)
			buf_add(o, "\n", 1);
		s = xstrfmt("%s %s", it->cols[0].name, row[0] != NULL ?
		    row[0] : "");
		text_out(o, s, 0, 2, 0);
		free(s);
		for (c = 1; c < it->ncols; c++) {
			v = row[c];
			if (v == NULL && (blank || (it->cols[c].flags &
			    DOC_COL_SIGN)))
				v = DOC_DOTS;
			if (v != NULL)
				text_field(o, (it->cols[c].flags &
				    DOC_COL_BARE) ? NULL : it->cols[c].name, v,
				    DOC_SUB);
		}
	}
}

/*
 * Signature columns side by side, each centred in its column; a single
 * signature sits right of centre, as on the paper forms.
 */
static void
text_sign(struct dx_buf *o, const struct doc_item *it)
{
	struct lines col[4];
	size_t n, i, j, h = 0, w, cw, margin, lead;
	struct dx_buf line;

	n = it->ncols < 4 ? it->ncols : 4;
	margin = n == 1 ? DOC_TEXT_WIDTH / 3 : 0;
	cw = n == 1 ? DOC_TEXT_WIDTH - margin : DOC_TEXT_WIDTH / n;
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

void
doc_text(struct dx_buf *o, const struct doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n; i++) {
		const struct doc_item *it = &doc->v[i];

		switch (it->kind) {
		case DOC_HEADER:
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
		case DOC_TITLE:
			text_out(o, it->s[0], 0, 0, 1);
			break;
		case DOC_FIELD:
			text_field(o, it->label, it->s[0], it->flags);
			break;
		case DOC_PARA:
			text_out(o, it->s[0], 0, 0, 0);
			break;
		case DOC_TABLE:
			text_table(o, it);
			break;
		case DOC_SIGN:
			text_sign(o, it);
			break;
		case DOC_GAP:
			buf_add(o, "\n", 1);
			break;
		}
	}
}

/*
 * HTML rendering.
 */

static const char css[] =
    "@page a5 { size: A5; margin: 10mm 12mm }\n"
    "@page a4 { size: A4; margin: 12mm }\n"
    "@page a4l { size: A4 landscape; margin: 10mm 12mm }\n"
    "* { box-sizing: border-box }\n"
    "body { margin: 0; color: #000; background: #fff;"
    " font: 12pt/1.35 \"Times New Roman\", Times, serif }\n"
    ".form.a5 { page: a5; font-size: 9.5pt; line-height: 1.2 }\n"
    ".form.a4 { page: a4 }\n"
    ".form.a4l { page: a4l }\n"
    ".form + .form { break-before: page; page-break-before: always }\n"
    "table { border-collapse: collapse; width: 100% }\n"
    ".hdr td { vertical-align: top; text-align: center; padding: 0 }\n"
    ".hdr td.ag { width: 40% }\n"
    ".hdr .motto { white-space: nowrap }\n"
    ".a5 .hdr { font-size: 9.5pt }\n"
    ".b { font-weight: bold }\n"
    ".date { font-style: italic; margin-top: 4pt; text-align: right }\n"
    "hr { width: 30%; margin: 2pt auto; border: 0;"
    " border-top: 1px solid #000 }\n"
    "h1 { font-size: 13pt; text-align: center; margin: 12pt 0 2pt }\n"
    "p { margin: 3pt 0; text-align: left }\n"
    "p.c { text-align: center }\n"
    "p.sub { margin-left: 1.5em }\n"
    ".grid { margin: 3pt 0 }\n"
    ".grid th, .grid td { border: 1px solid #000; padding: 2pt 4pt;"
    " vertical-align: top; text-align: left }\n"
    ".grid th { text-align: center }\n"
    ".grid .num { width: 2.5em; text-align: center }\n"
    ".grid td.sg { height: 16mm; width: 11% }\n"
    ".a4 .grid { font-size: 10.5pt }\n"
    ".a4l .grid { font-size: 9.5pt }\n"
    ".sign { margin-top: 8pt; break-inside: avoid }\n"
    ".sign td { width: 50%; vertical-align: top; text-align: center }\n"
    ".sign .i { font-style: italic }\n"
    ".sign .space { height: 18mm }\n"
    ".a5 .sign .space { height: 13mm }\n"
    ".a5 h1 { font-size: 11.5pt; margin: 6pt 0 1pt }\n"
    ".a5 p { margin: 1.5pt 0 }\n"
    ".a5 .grid th, .a5 .grid td { padding: 1pt 3pt }\n"
    ".a5 .grid { font-size: 8.5pt }\n"
    "@media screen {\n"
    " body { background: #ddd }\n"
    " .form { background: #fff; margin: 1em auto; padding: 12mm;"
    " width: 148mm; min-height: 210mm }\n"
    " .form.a4 { width: 210mm; min-height: 297mm }\n"
    " .form.a4l { width: 297mm; min-height: 210mm }\n"
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

void
doc_html_esc(struct dx_buf *o, const char *s)
{
	esc(o, s);
}

void
doc_html_head(struct dx_buf *o, const struct doc *first, const char *code)
{
	buf_adds(o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	esc(o, first != NULL && first->name != NULL ? first->name :
	    "Biểu mẫu");
	if (code != NULL) {
		buf_adds(o, " ");
		esc(o, code);
	}
	buf_printf(o, "</title>\n<style>\n@page { size: %s; margin: %s }\n",
	    first == NULL ? "A5" : first->landscape ? "A4 landscape" :
	    first->a4 ? "A4" : "A5",
	    first != NULL && first->a4 && !first->landscape ? "12mm" :
	    "10mm 12mm");
	buf_adds(o, css);
	buf_adds(o, "</style>\n</head>\n<body>\n");
}

static void
html_field(struct dx_buf *o, const struct doc_item *it)
{
	buf_adds(o, "<p");
	if (it->flags & DOC_CENTER)
		buf_adds(o, " class=\"c\"");
	else if (it->flags & DOC_SUB)
		buf_adds(o, " class=\"sub\"");
	buf_adds(o, ">");
	if (it->label != NULL) {
		esc(o, it->label);
		buf_adds(o, it->s[0] != NULL ? ": " : ":");
	}
	if (it->s[0] != NULL) {
		buf_adds(o, (it->flags & DOC_BOLD) ? "<b>" : "");
		esc(o, it->s[0]);
		buf_adds(o, (it->flags & DOC_BOLD) ? "</b>" : "");
	}
	buf_adds(o, "</p>\n");
}

static void
html_table(struct dx_buf *o, const struct doc_item *it)
{
	size_t r, c;

	buf_adds(o, "<table class=\"grid\">\n<thead><tr>");
	for (c = 0; c < it->ncols; c++) {
		buf_adds(o, (it->cols[c].flags & DOC_COL_NUM) ?
		    "<th class=\"num\">" : "<th>");
		esc(o, it->cols[c].name);
		buf_adds(o, "</th>");
	}
	buf_adds(o, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < it->nrows; r++) {
		buf_adds(o, "<tr>");
		for (c = 0; c < it->ncols; c++) {
			unsigned f = it->cols[c].flags;

			buf_adds(o, (f & DOC_COL_NUM) ? "<td class=\"num\">" :
			    (f & DOC_COL_SIGN) ? "<td class=\"sg\">" : "<td>");
			esc(o, it->cells[r * it->ncols + c]);
			buf_adds(o, "</td>");
		}
		buf_adds(o, "</tr>\n");
	}
	buf_adds(o, "</tbody>\n</table>\n");
}

static void
html_sign(struct dx_buf *o, const struct doc_item *it)
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

void
doc_html(struct dx_buf *o, const struct doc *doc)
{
	size_t i;

	buf_printf(o, "<section class=\"form %s\" data-form=\"%s\">\n",
	    doc->landscape ? "a4l" : doc->a4 ? "a4" : "a5",
	    doc->id != NULL ? doc->id : "");
	for (i = 0; i < doc->n; i++) {
		const struct doc_item *it = &doc->v[i];

		switch (it->kind) {
		case DOC_HEADER:
			buf_adds(o, "<table class=\"hdr\"><tr><td class=\"ag\">"
			    "<div>");
			esc(o, it->s[0]);
			buf_adds(o, "</div><div class=\"b\">");
			esc(o, it->s[1]);
			buf_adds(o, "</div><hr></td>\n<td><div class=\"b motto\">"
			    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
			    "<div class=\"b motto\">Độc lập - Tự do - Hạnh phúc"
			    "</div>"
			    "<hr><div class=\"date\">");
			esc(o, it->s[2]);
			buf_adds(o, "</div></td></tr></table>\n");
			break;
		case DOC_TITLE:
			buf_adds(o, "<h1>");
			esc(o, it->s[0]);
			buf_adds(o, "</h1>\n");
			break;
		case DOC_FIELD:
			html_field(o, it);
			break;
		case DOC_PARA:
			buf_adds(o, "<p>");
			esc(o, it->s[0]);
			buf_adds(o, "</p>\n");
			break;
		case DOC_TABLE:
			html_table(o, it);
			break;
		case DOC_SIGN:
			html_sign(o, it);
			break;
		case DOC_GAP:
			break;
		}
	}
	buf_adds(o, "</section>\n");
}
