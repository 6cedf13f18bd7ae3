/*
 * rows.c: one column table, three formats.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "jsonl.h"
#include "rows.h"
#include "util.h"

struct rows {
	FILE *fp;
	enum rows_format fmt;
	const struct col *cols;
	size_t ncols;
	const struct calendar *cal;
	struct dx_buf out;
	int sheet;		/* rows_spreadsheet() */
	size_t count;
	int failed;		/* a write failed: errno in `err` */
	int err;
	/* the table: its columns (indices into cols) and the cells kept */
	size_t *tcol, ntcol;
	char **cells;		/* ntcol per row */
	size_t ncells, capcells;
};

int
rows_format_parse(const char *s)
{
	if (strcmp(s, "json") == 0)
		return ROWS_JSON;
	if (strcmp(s, "table") == 0)
		return ROWS_TABLE;
	if (strcmp(s, "csv") == 0)
		return ROWS_CSV;
	return -1;
}

static void
get(const struct col *c, const void *row, struct cell *v)
{
	memset(v, 0, sizeof(*v));
	c->value(row, v);
	if (c->kind == COL_TEXT)
		v->null = v->s == NULL;
	else if (c->kind == COL_TIME && v->i == 0)
		v->null = 1;
}

/* The text of a value for JSON and CSV; NULL for none. */
static const char *
text(const struct col *c, const struct cell *v, const struct calendar *cal,
    char *buf, size_t n)
{
	if (v->null)
		return NULL;
	switch (c->kind) {
	case COL_INT:
		snprintf(buf, n, "%lld", (long long)v->i);
		return buf;
	case COL_TIME:
		cal_format(cal, v->i, buf);
		return buf;
	case COL_NUM:
		snprintf(buf, n, "%.15g", v->d);
		return buf;
	default:
		return v->s;
	}
}

void
rows_json(struct dx_buf *b, const struct col *cols, size_t ncols,
    const void *row, const struct calendar *cal)
{
	struct jw w;
	struct cell v;
	char buf[40];
	size_t i;

	jw_open(&w, b);
	for (i = 0; i < ncols; i++) {
		get(&cols[i], row, &v);
		if (v.null)
			jw_null(&w, cols[i].name);
		else if (cols[i].kind == COL_INT)
			jw_int(&w, cols[i].name, (long long)v.i);
		else if (cols[i].kind == COL_NUM)
			jw_num(&w, cols[i].name, v.d);
		else
			jw_str(&w, cols[i].name, text(&cols[i], &v, cal, buf,
			    sizeof(buf)));
	}
	jw_close(&w);
}

/*
 * A text cell a spreadsheet program would read as a formula: it begins
 * with one of the characters OWASP lists ("CSV injection").
 */
static int
formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/*
 * A text cell a spreadsheet program would turn into a number and lose
 * digits of: only digits, and a leading zero (0905123456 becomes
 * 905123456) or more than 11 of them (an ID number 123456789012 becomes
 * 1.23457E+11).
 */
static int
digits_lost(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n > 1 && (s[0] == '0' || n > 11);
}

static void
csv_cell(struct dx_buf *b, const struct col *c, const char *s, int sheet)
{
	const char *p;

	if (s == NULL || c->kind != COL_TEXT) {
		buf_csv(b, s, 0);
		return;
	}
	if (formula(s)) {
		/* a quote first: the program shows the text as it is */
		buf_adds(b, "\"'");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				buf_add(b, "\"", 1);
			buf_add(b, p, 1);
		}
		buf_add(b, "\"", 1);
	} else if (sheet && digits_lost(s)) {
		/* ="0905123456": a formula of our own, giving the text */
		buf_printf(b, "\"=\"\"%s\"\"\"", s);
	} else
		buf_csv(b, s, 0);
}

static void
csv_row(struct dx_buf *b, const struct col *cols, size_t ncols,
    const void *row, const struct calendar *cal, int sheet)
{
	struct cell v;
	char buf[40];
	size_t i;

	for (i = 0; i < ncols; i++) {
		get(&cols[i], row, &v);
		csv_cell(b, &cols[i], text(&cols[i], &v, cal, buf,
		    sizeof(buf)), sheet);
		buf_add(b, i + 1 < ncols ? "," : "\n", 1);
	}
}

void
rows_csv(struct dx_buf *b, const struct col *cols, size_t ncols,
    const void *row, const struct calendar *cal)
{
	csv_row(b, cols, ncols, row, cal, 0);
}

/* The text of a value in the table: "-" for none, short times. */
static char *
table_cell(const struct col *c, const struct cell *v,
    const struct calendar *cal)
{
	char full[40], buf[40];

	if (v->null)
		return xstrdup("-");
	switch (c->kind) {
	case COL_INT:
		snprintf(buf, sizeof(buf), "%lld", (long long)v->i);
		return xstrdup(buf);
	case COL_TIME:
		cal_format(cal, v->i, full);
		snprintf(buf, sizeof(buf), "%.10s %.5s", full, full + 11);
		return xstrdup(buf);
	case COL_NUM:
		snprintf(buf, sizeof(buf), "%.15g", v->d);
		return xstrdup(buf);
	default:
		return xstrdup(v->s);
	}
}

struct rows *
rows_open(FILE *fp, enum rows_format fmt, const struct col *cols,
    size_t ncols, const struct calendar *cal)
{
	struct rows *w = xcalloc(1, sizeof(*w));
	size_t i, j, k;

	w->fp = fp;
	w->fmt = fmt;
	w->cols = cols;
	w->ncols = ncols;
	w->cal = cal;
	buf_init(&w->out);
	if (fmt != ROWS_TABLE)
		return w;
	w->tcol = xreallocarray(NULL, ncols ? ncols : 1, sizeof(*w->tcol));
	for (i = 0; i < ncols; i++) {
		if (cols[i].title == NULL)
			continue;
		/* insertion by tpos, stable */
		for (j = w->ntcol; j > 0 && cols[w->tcol[j - 1]].tpos >
		    cols[i].tpos; j--)
			;
		for (k = w->ntcol; k > j; k--)
			w->tcol[k] = w->tcol[k - 1];
		w->tcol[j] = i;
		w->ntcol++;
	}
	return w;
}

static void
flush_out(struct rows *w)
{
	if (w->out.len > 0 && fwrite(w->out.buf, 1, w->out.len, w->fp) !=
	    w->out.len && !w->failed) {
		w->failed = 1;
		w->err = errno;
	}
	buf_reset(&w->out);
}

static int
write_error(struct rows *w, struct dx_err *e)
{
	return dx_seterr(e, DX_IOERR, "%s", w->err ? strerror(w->err) :
	    _("write error"));
}

int
rows_put(struct rows *w, const void *row, struct dx_err *e)
{
	struct cell v;
	size_t i;

	switch (w->fmt) {
	case ROWS_TABLE:
		if (w->ncells + w->ntcol > w->capcells) {
			w->capcells = w->capcells ? w->capcells * 2 :
			    64 * (w->ntcol ? w->ntcol : 1);
			w->cells = xreallocarray(w->cells, w->capcells,
			    sizeof(*w->cells));
		}
		for (i = 0; i < w->ntcol; i++) {
			get(&w->cols[w->tcol[i]], row, &v);
			w->cells[w->ncells++] = table_cell(&w->cols[w->tcol[i]],
			    &v, w->cal);
		}
		break;
	case ROWS_CSV:
		if (w->count == 0) {
			if (w->sheet)
				buf_adds(&w->out, "\xef\xbb\xbf");
			for (i = 0; i < w->ncols; i++) {
				buf_adds(&w->out, w->cols[i].name);
				buf_add(&w->out, i + 1 < w->ncols ? "," : "\n",
				    1);
			}
		}
		csv_row(&w->out, w->cols, w->ncols, row, w->cal, w->sheet);
		flush_out(w);
		break;
	default:
		rows_json(&w->out, w->cols, w->ncols, row, w->cal);
		buf_add(&w->out, "\n", 1);
		flush_out(w);
		break;
	}
	w->count++;
	return w->failed ? write_error(w, e) : 0;
}

void
rows_spreadsheet(struct rows *w)
{
	w->sheet = 1;
}

size_t
rows_count(const struct rows *w)
{
	return w->count;
}

static void
pad(struct dx_buf *b, size_t n)
{
	while (n-- > 0)
		buf_add(b, " ", 1);
}

static size_t
swidth(const char *s)
{
	return u8_width(s, strlen(s));
}

/* The table: headings and rows, each column as wide as its widest. */
static void
table_write(struct rows *w)
{
	size_t *wd, i, j, n = w->ntcol;
	const char *s;

	if (w->count == 0 || n == 0)
		return;
	wd = xreallocarray(NULL, n, sizeof(*wd));
	for (j = 0; j < n; j++)
		wd[j] = swidth(w->cols[w->tcol[j]].title);
	for (i = 0; i < w->ncells; i++)
		if (swidth(w->cells[i]) > wd[i % n])
			wd[i % n] = swidth(w->cells[i]);
	for (j = 0; j < n; j++) {
		s = w->cols[w->tcol[j]].title;
		buf_adds(&w->out, s);
		if (j + 1 < n)
			pad(&w->out, wd[j] - swidth(s) + 2);
	}
	buf_add(&w->out, "\n", 1);
	flush_out(w);
	for (i = 0; i < w->ncells; i++) {
		buf_adds(&w->out, w->cells[i]);
		if ((i + 1) % n != 0)
			pad(&w->out, wd[i % n] - swidth(w->cells[i]) + 2);
		else {
			buf_add(&w->out, "\n", 1);
			flush_out(w);
		}
	}
	free(wd);
}

int
rows_close(struct rows *w, struct dx_err *e)
{
	size_t i;
	int r;

	if (w == NULL)
		return 0;
	if (w->fmt == ROWS_TABLE)
		table_write(w);
	if (w->sheet && w->fmt == ROWS_CSV && w->count == 0) {
		buf_adds(&w->out, "\xef\xbb\xbf");
		flush_out(w);
	}
	if (fflush(w->fp) == EOF && !w->failed) {
		w->failed = 1;
		w->err = errno;
	}
	if (ferror(w->fp) && !w->failed)
		w->failed = 1;
	r = w->failed ? write_error(w, e) : 0;
	for (i = 0; i < w->ncells; i++)
		free(w->cells[i]);
	free(w->cells);
	free(w->tcol);
	buf_free(&w->out);
	free(w);
	return r;
}
