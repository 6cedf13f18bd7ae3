/*
 * jsonl.h: JSON lines in and out, and field access with validation.
 *
 * The reader takes one line at a time (so a bad record is named
 * "stdin:17") and parses it into jansson values (directly when the line
 * is plain, else with jansson's own parser), rejecting duplicate keys,
 * invalid UTF-8, NUL bytes, lines longer than a limit, and anything but
 * an object.  Blank lines are skipped; a final line without a newline, a
 * trailing CR and a UTF-8 byte order mark on the first line are accepted.
 * One record is in memory at a time.
 */
#ifndef DOSSIER_JSONL_H
#define DOSSIER_JSONL_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "util.h"

#define JSONL_MAXLINE (1024 * 1024)	/* default line limit, bytes */

struct jsonl_reader {
	FILE *fp;
	const char *name;	/* for messages: "stdin" or a file name */
	long lineno;		/* line number of the last line read */
	size_t maxline;		/* longest accepted line, bytes */
	struct dx_buf line;	/* the last line read, without its newline
				 * but with a carriage return before it */
	/*
	 * Called, when set, after each line read with the line number and
	 * the offset reached in the input (-1 when it cannot tell): how a
	 * tool draws the progress of a long input.  NULL after jsonl_init().
	 */
	void (*tick)(void *arg, long lineno, int64_t pos);
	void *tick_arg;
	int spill;		/* -1, or where overlong lines are copied */
	int64_t spill_at;	/* the last line's place in it, or -1 */
	int64_t spill_len;	/* and its length */
	int spill_err;		/* errno of a failed copy, or 0 */
};

/* Start reading `fp`; `name` is borrowed and must outlive the reader. */
void jsonl_init(struct jsonl_reader *r, FILE *fp, const char *name);
void jsonl_free(struct jsonl_reader *r);

/*
 * Read the next record.  Returns 1 and a new reference in *out; 0 at end
 * of input; -1 for a bad line (e: DX_DATAERR, "NAME:LINE: reason"), after
 * which the reader is at the next line and reading may go on; -2 for a
 * read error (e: DX_IOERR) or no memory (DX_SOFTWARE), after which it may
 * not.
 */
int jsonl_next(struct jsonl_reader *r, json_t **out, struct dx_err *e);

/*
 * Parse n bytes at p into a new reference: directly, as jsonl_next()
 * does, when they are a plain object (the value jansson would build with
 * JSON_REJECT_DUPLICATES, which the direct parse always applies), else
 * json_loadb(p, n, flags, err), which builds it or names the error.  err
 * is set only when NULL is returned.
 */
json_t *jsonl_parse(const char *p, size_t n, size_t flags,
    json_error_t *err);

/*
 * Copy every line longer than the limit whole (but for its newline) to
 * the file `fd`, appended at its offset, instead of dropping the rest of
 * it: after jsonl_next() refused such a line, r->spill_at and
 * r->spill_len say where it is (pread(2) it); for any other line
 * r->spill_at is -1.  When a copy fails, r->spill_err is its errno and
 * jsonl_next() fails with -2 (DX_IOERR).  `fd` is borrowed.
 */
void jsonl_spill(struct jsonl_reader *r, int fd);

/*
 * The raw text of the last line read, r->line.len bytes, as read but for
 * its newline: a carriage return stays (valid until the next call).
 */
const char *jsonl_text(const struct jsonl_reader *r);

/*
 * Write `rec` as one compact line (keys in insertion order) to `fp`.
 * Returns 0, or -1 on a write error.
 */
int jsonl_write(FILE *fp, const json_t *rec);

/*
 * json_dumps(v, flags), freed by the caller with free().  NULL only for
 * what json_dumps refuses by `flags` (v NULL, or not an object or array
 * without JSON_ENCODE_ANY); when it fails on a value it encodes, which
 * is for want of memory, it prints "out of memory" and exits 70, like
 * xmalloc(), so that no caller drops the value or writes null instead.
 */
char *xjson_dumps(const json_t *v, size_t flags);

/*
 * Field access.  Each returns 0 and sets *out, or -1 with e set to
 * DX_DATAERR and a message naming the field.  JX_REQ: the field must be
 * present and not null; otherwise a missing or null field sets *out to
 * NULL (strings), leaves it unchanged (numbers, booleans) and returns 1.
 * Strings are borrowed from the object.  Empty strings are refused for
 * required fields.
 */
#define JX_REQ 1
int jx_str(const json_t *o, const char *key, int flags, const char **out,
    struct dx_err *e);
int jx_num(const json_t *o, const char *key, int flags, double *out,
    struct dx_err *e);
int jx_int(const json_t *o, const char *key, int flags, long long *out,
    struct dx_err *e);
int jx_bool(const json_t *o, const char *key, int flags, int *out,
    struct dx_err *e);

/*
 * Refuse keys not in the NULL-terminated list `allowed`: -1 with e set
 * ("unknown field 'colour'"), else 0.  `what` names the object in the
 * message when not NULL ("applicant").
 */
int jx_only(const json_t *o, const char *const *allowed, const char *what,
    struct dx_err *e);

/* A new JSON string, or JSON null when s is NULL. */
json_t *jx_strornull(const char *s);

/*
 * A JSON writer into a buffer, for records written at high rates: no
 * allocation per value, keys in the order they are written.  Strings are
 * UTF-8 and copied as they are, with '"', '\\' and control characters
 * escaped.  Usage: jw_open(&w, b); jw_str(&w, "code", code); ...;
 * jw_close(&w).  Objects nest: jw_obj(&w, "applicant") ... jw_close(&w).
 */
#define JW_DEPTH 8
struct jw {
	struct dx_buf *b;
	int depth;
	int count[JW_DEPTH];	/* members written at each level */
	char close[JW_DEPTH];	/* '}' or ']' for each level */
};
/* Start an object (appending to b). */
void jw_open(struct jw *w, struct dx_buf *b);
/* End the innermost object or array. */
void jw_close(struct jw *w);
/* Members: a key (NULL inside an array) and a value. */
void jw_str(struct jw *w, const char *key, const char *s);	/* NULL: null */
void jw_int(struct jw *w, const char *key, long long v);
void jw_num(struct jw *w, const char *key, double v);	/* whole: integer */
void jw_bool(struct jw *w, const char *key, int v);
void jw_null(struct jw *w, const char *key);
/* Raw JSON text (already valid, e.g. stored compact JSON); NULL: null. */
void jw_raw(struct jw *w, const char *key, const char *json);
/* Start a nested object or array member. */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
/* Append s as a quoted, escaped JSON string. */
void jw_quote(struct dx_buf *b, const char *s);

#endif
