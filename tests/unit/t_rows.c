/*
 * t_rows.c: one column table written as JSON, CSV and an aligned table;
 * quoting; the display width of Vietnamese text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "calendar.h"
#include "rows.h"
#include "util.h"

void t_rows(void);

struct person {
	const char *name, *note;
	long long n;
	dx_time at;
};

static void
c_name(const void *r, struct cell *v)
{
	v->s = ((const struct person *)r)->name;
}

static void
c_note(const void *r, struct cell *v)
{
	v->s = ((const struct person *)r)->note;
}

static void
c_n(const void *r, struct cell *v)
{
	v->i = ((const struct person *)r)->n;
	v->null = v->i < 0;
}

static void
c_at(const void *r, struct cell *v)
{
	v->i = ((const struct person *)r)->at;
}

/* The table shows at, then name: in the order of tpos, not of the list. */
static const struct col cols[] = {
	{ "name", COL_TEXT, c_name, "NAME", 2 },
	{ "note", COL_TEXT, c_note, NULL, 0 },
	{ "n", COL_INT, c_n, "N", 3 },
	{ "at", COL_TIME, c_at, "AT", 1 },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* 2026-03-12T09:00:00+07:00 */
#define T0 1773280800

static const struct person people[] = {
	/* "Nguyễn" with e, U+0302 and U+0303: 6 columns, 10 bytes */
	{ "Nguye\xcc\x82\xcc\x83n", "a, \"b\"", 7, T0 },
	{ "Đỗ An", NULL, -1, 0 },
	{ "Lê\nBình", "x\r\ny", 12345, T0 + 86400 },
};

/* Everything a writer prints for the rows above in format `fmt`. */
static char *
written(enum rows_format fmt, size_t nrows, const struct calendar *cal)
{
	struct rows *w;
	struct dx_err e;
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&text, &len);

	w = rows_open(fp, fmt, cols, NCOLS, cal);
	for (i = 0; i < nrows; i++)
		ok(rows_put(w, &people[i], &e) == 0, "rows_put %zu", i);
	is_int(rows_count(w), nrows, "rows_count");
	ok(rows_close(w, &e) == 0, "rows_close");
	fclose(fp);
	return text;
}

static void
width(void)
{
	is_int(u8_width("", 0), 0, "width of nothing");
	is_int(u8_width("abc", 3), 3, "ASCII: one column a byte");
	/* precomposed: ễ is U+1EC5, Đ U+0110 */
	is_int(u8_width("Nguy\xe1\xbb\x85n", 8), 6, "Nguyễn precomposed");
	is_int(u8_width("Nguye\xcc\x82\xcc\x83n", 10), 6,
	    "Nguyễn with combining circumflex and tilde");
	is_int(u8_width("Tra\xcc\x82\xcc\x80n Thi\xcc\xa3 \xc4\x90" "a\xcc\x80o",
	    21), 12, "Trần Thị Đào decomposed (grave, dot below)");
	is_int(u8_width("Thu\xcc\x89", 5), 3, "hook above (U+0309)");
	is_int(u8_width("a\xe2\x83\x97", 4), 1, "U+20D7 is a mark too");
	is_int(u8_width("\xcc\x81", 2), 0, "a mark alone takes no column");
	is_int(u8_width("\xc2\xa0", 2), 1, "no-break space is a column");
	is_int(u8_width("\xf0\x9f\x93\x84", 4), 1, "4-byte code point: 1");
	is_int(u8_width("\x80\x80x", 3), 1, "stray continuation bytes: none");
	is_int(u8_width("\xe1\xbb", 2), 1, "a cut sequence counts once");
	is_int(u8_width("Nguy\xe1\xbb\x85n", 4), 4, "only the first n bytes");
}

static void
formats(void)
{
	struct calendar cal;
	struct dx_buf b;
	char *s;

	cal_init(&cal);
	is_int(rows_format_parse("json"), ROWS_JSON, "format json");
	is_int(rows_format_parse("table"), ROWS_TABLE, "format table");
	is_int(rows_format_parse("csv"), ROWS_CSV, "format csv");
	is_int(rows_format_parse("CSV"), -1, "format names are lower case");

	buf_init(&b);
	rows_json(&b, cols, NCOLS, &people[0], &cal);
	is_str(b.buf, "{\"name\":\"Nguye\xcc\x82\xcc\x83n\",\"note\":"
	    "\"a, \\\"b\\\"\",\"n\":7,\"at\":\"2026-03-12T09:00:00+07:00\"}",
	    "JSON: keys in column order, kinds, escapes");
	buf_reset(&b);
	rows_json(&b, cols, NCOLS, &people[1], &cal);
	is_str(b.buf, "{\"name\":\"Đỗ An\",\"note\":null,\"n\":null,"
	    "\"at\":null}", "JSON: nulls");
	buf_reset(&b);
	rows_csv(&b, cols, NCOLS, &people[0], &cal);
	is_str(b.buf, "Nguye\xcc\x82\xcc\x83n,\"a, \"\"b\"\"\",7,"
	    "2026-03-12T09:00:00+07:00\n", "CSV: comma and quotes quoted");
	buf_reset(&b);
	rows_csv(&b, cols, NCOLS, &people[1], &cal);
	is_str(b.buf, "Đỗ An,,,\n", "CSV: nulls are empty fields");
	buf_reset(&b);
	rows_csv(&b, cols, NCOLS, &people[2], &cal);
	is_str(b.buf, "\"Lê\nBình\",\"x\r\ny\",12345,"
	    "2026-03-13T09:00:00+07:00\n", "CSV: line ends quoted");
	buf_free(&b);

	s = written(ROWS_JSON, 2, &cal);
	is_str(s, "{\"name\":\"Nguye\xcc\x82\xcc\x83n\",\"note\":"
	    "\"a, \\\"b\\\"\",\"n\":7,\"at\":\"2026-03-12T09:00:00+07:00\"}\n"
	    "{\"name\":\"Đỗ An\",\"note\":null,\"n\":null,\"at\":null}\n",
	    "writer: JSON lines");
	free(s);
	s = written(ROWS_CSV, 2, &cal);
	is_str(s, "name,note,n,at\n"
	    "Nguye\xcc\x82\xcc\x83n,\"a, \"\"b\"\"\",7,"
	    "2026-03-12T09:00:00+07:00\n"
	    "Đỗ An,,,\n", "writer: CSV with its header");
	free(s);
	s = written(ROWS_CSV, 0, &cal);
	is_str(s, "", "writer: no rows, no CSV header");
	free(s);
	/* widths by display columns: the decomposed name pads as 6 */
	s = written(ROWS_TABLE, 2, &cal);
	is_str(s, "AT                NAME    N\n"
	    "2026-03-12 09:00  Nguye\xcc\x82\xcc\x83n  7\n"
	    "-                 Đỗ An   -\n",
	    "writer: the table, aligned by display width");
	free(s);
	s = written(ROWS_TABLE, 0, &cal);
	is_str(s, "", "writer: no rows, no table");
	free(s);
	cal_free(&cal);
}

static void
write_error(void)
{
	struct calendar cal;
	struct rows *w;
	struct dx_err e;
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	cal_init(&cal);
	setvbuf(fp, NULL, _IONBF, 0);
	w = rows_open(fp, ROWS_CSV, cols, NCOLS, &cal);
	e.code = 0;
	ok(rows_put(w, &people[0], &e) == -1 && e.code == DX_IOERR,
	    "a failed write is DX_IOERR");
	ok(rows_close(w, &e) == -1 && e.code == DX_IOERR,
	    "... and rows_close says so too");
	fclose(fp);
	cal_free(&cal);
}

/* Cells a spreadsheet program would run or change. */
static const struct person sheet_people[] = {
	{ "=HYPERLINK(\"http://x\")", "+1", 5, 0 },
	{ "@SUM(A1)", "-2", -1, 0 },
	{ "\tx", "\rx", 3, 0 },
	{ "0905123456", "123456789012", 4, 0 },
	{ "12345678901", "0", 6, 0 },
	{ "a=b", "090a", 7, 0 },
};

static char *
sheet_written(int sheet, size_t nrows, const struct calendar *cal)
{
	struct rows *w;
	struct dx_err e;
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&text, &len);

	w = rows_open(fp, ROWS_CSV, cols, NCOLS, cal);
	if (sheet)
		rows_spreadsheet(w);
	for (i = 0; i < nrows; i++)
		ok(rows_put(w, &sheet_people[i], &e) == 0, "rows_put %zu", i);
	ok(rows_close(w, &e) == 0, "rows_close");
	fclose(fp);
	return text;
}

static void
spreadsheet(void)
{
	struct calendar cal;
	struct dx_buf b;
	char *s;

	cal_init(&cal);
	buf_init(&b);
	rows_csv(&b, cols, NCOLS, &sheet_people[1], &cal);
	is_str(b.buf, "\"'@SUM(A1)\",\"'-2\",,\n",
	    "CSV: a formula is written after a quote");
	buf_free(&b);
	s = sheet_written(0, 6, &cal);
	is_str(s, "name,note,n,at\n"
	    "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",5,\n"
	    "\"'@SUM(A1)\",\"'-2\",,\n"
	    "\"'\tx\",\"'\rx\",3,\n"
	    "0905123456,123456789012,4,\n"
	    "12345678901,0,6,\n"
	    "a=b,090a,7,\n",
	    "CSV: = + - @ tab CR neutralised; digits as they are");
	free(s);
	s = sheet_written(1, 6, &cal);
	is_str(s, "\xef\xbb\xbfname,note,n,at\n"
	    "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",5,\n"
	    "\"'@SUM(A1)\",\"'-2\",,\n"
	    "\"'\tx\",\"'\rx\",3,\n"
	    "\"=\"\"0905123456\"\"\",\"=\"\"123456789012\"\"\",4,\n"
	    "12345678901,0,6,\n"
	    "a=b,090a,7,\n",
	    "spreadsheet: a BOM, digits a number would lose kept as text");
	free(s);
	s = sheet_written(1, 0, &cal);
	is_str(s, "\xef\xbb\xbf", "spreadsheet: the BOM even with no rows");
	free(s);
	cal_free(&cal);
}

void
t_rows(void)
{
	width();
	formats();
	spreadsheet();
	write_error();
}
