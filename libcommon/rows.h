/*
 * rows.h: writing rows as JSON lines, an aligned table or CSV.
 *
 * A tool describes its output once, as a table of columns: a name (the
 * JSON key and the CSV header), a kind (how each format writes a value),
 * a function that reads the value from one of the tool's rows, and, for
 * the columns the aligned table shows, a heading and a position.  The
 * writer then prints the rows in the format the user chose:
 *
 *   json   one compact object per row, keys in the order of the columns
 *   csv    RFC 4180 with a header line before the first row (none for
 *          no rows): every column, in order.  A text cell that begins
 *          with =, +, -, @, a tab or a carriage return is written after a
 *          single quote ('=1+1), quoted, so that a spreadsheet program
 *          shows it and never runs it as a formula; numbers (COL_INT,
 *          COL_NUM) and times are written as they are
 *   table  the columns that have a heading, in the order of `tpos`,
 *          padded to the widest cell (display width, u8_width()) with two
 *          spaces between columns and none after the last; written at
 *          rows_close(), since every row decides the widths
 *
 * Values by kind: COL_TEXT as is (NULL: JSON null, an empty CSV field,
 * "-" in the table); COL_INT as a decimal integer (null: as for text);
 * COL_TIME, a dx_time, as RFC 3339 in the calendar's offset in JSON and
 * CSV and as "2026-03-12 09:00" in the table (0 or null: none); COL_NUM, a
 * double, as the shortest of %.15g (a JSON number; whole: an integer).
 *
 * JSON goes through the writer of jsonl.h (jw_*()).  A record richer than
 * a flat row (a dossier record, with its nested applicant) is written by
 * its own module (record.h), other JSON objects with jsonl_write().
 */
#ifndef DOSSIER_ROWS_H
#define DOSSIER_ROWS_H

#include <stdint.h>
#include <stdio.h>

#include "calendar.h"
#include "util.h"

enum rows_format {
	ROWS_JSON,
	ROWS_TABLE,
	ROWS_CSV
};

/* "json", "table" or "csv" -> format; -1 if unknown. */
int rows_format_parse(const char *s);

enum col_kind {
	COL_TEXT,
	COL_INT,
	COL_TIME,
	COL_NUM
};

/* One value: `s` for COL_TEXT, `i` for COL_INT and COL_TIME, `d` for
 * COL_NUM. */
struct cell {
	const char *s;		/* borrowed until the value is written */
	int64_t i;
	double d;
	int null;		/* COL_INT, COL_TIME: no value */
};

/*
 * A column.  `value` fills *out (zeroed before the call) from `row`, the
 * pointer the tool passes to rows_put().  `title` is the heading in the
 * table, NULL for a column the table does not show; the table shows its
 * columns by increasing `tpos`.
 */
struct col {
	const char *name;
	enum col_kind kind;
	void (*value)(const void *row, struct cell *out);
	const char *title;
	int tpos;
};

/* A writer (rows.c). */
struct rows;

/*
 * Start writing rows of the `ncols` columns `cols` to `fp` in format
 * `fmt`; `cal` formats times.  All three are borrowed and must outlive the
 * writer.  Returns a new writer, to be ended with rows_close().
 */
struct rows *rows_open(FILE *fp, enum rows_format fmt, const struct col *cols,
    size_t ncols, const struct calendar *cal);

/*
 * Write (or, for the table, keep) one row.  Returns 0, or -1 with e set to
 * DX_IOERR if the write failed.
 */
int rows_put(struct rows *w, const void *row, struct dx_err *e);

/*
 * Write the CSV of `w` for a spreadsheet program, before the first
 * rows_put(): a UTF-8 byte-order mark first (also for no rows), so that
 * the program reads UTF-8, and a text cell of digits that would lose some
 * as a number (a leading zero, or more than 11 digits: ID numbers, phones)
 * as ="0905123456", which the program shows as the text.  No effect on
 * the other formats.
 */
void rows_spreadsheet(struct rows *w);

/* The number of rows put so far. */
size_t rows_count(const struct rows *w);

/*
 * Write what is kept (the table), flush `fp` and free `w` (NULL is
 * allowed).  Returns 0, or -1 with e set to DX_IOERR if any write failed.
 */
int rows_close(struct rows *w, struct dx_err *e);

/*
 * Append one row to `b` without a writer: the JSON object (no newline) or
 * the CSV line (with its newline, without a header) of `row`.
 */
void rows_json(struct dx_buf *b, const struct col *cols, size_t ncols,
    const void *row, const struct calendar *cal);
void rows_csv(struct dx_buf *b, const struct col *cols, size_t ncols,
    const void *row, const struct calendar *cal);

#endif
