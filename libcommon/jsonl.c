/*
 * jsonl.c: JSON lines reader and writer, field access.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"
#include "util.h"

void
jsonl_init(struct jsonl_reader *r, FILE *fp, const char *name)
{
	r->fp = fp;
	r->name = name;
	r->lineno = 0;
	r->maxline = JSONL_MAXLINE;
	buf_init(&r->line);
}

void
jsonl_free(struct jsonl_reader *r)
{
	buf_free(&r->line);
}

const char *
jsonl_text(const struct jsonl_reader *r)
{
	return r->line.buf != NULL ? r->line.buf : "";
}

/*
 * Read one line into r->line.  Returns 1 for a line, 0 at EOF, -2 on a read
 * error.  Sets *toolong when the line exceeded maxline (the rest of it is
 * consumed and dropped).
 */
static int
read_line(struct jsonl_reader *r, int *toolong)
{
	char chunk[4096];
	size_t n = 0;
	int c = EOF, got = 0;

	buf_reset(&r->line);
	*toolong = 0;
	/* getc_unlocked: a line may hold NUL bytes, which fgets would hide */
	while ((c = getc_unlocked(r->fp)) != EOF) {
		got = 1;
		if (c == '\n')
			break;
		if (*toolong)
			continue;
		chunk[n++] = (char)c;
		if (n == sizeof(chunk)) {
			if (r->line.len + n > r->maxline)
				*toolong = 1;
			else
				buf_add(&r->line, chunk, n);
			n = 0;
		}
	}
	if (c == EOF && ferror(r->fp))
		return -2;
	if (!got)
		return 0;
	if (!*toolong) {
		if (r->line.len + n > r->maxline)
			*toolong = 1;
		else
			buf_add(&r->line, chunk, n);
	}
	r->lineno++;
	return 1;
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int
jsonl_next(struct jsonl_reader *r, json_t **out, struct dx_err *e)
{
	json_error_t jerr;
	json_t *v;
	const char *p;
	size_t n;
	int rc, toolong;

	*out = NULL;
	for (;;) {
		errno = 0;
		rc = read_line(r, &toolong);
		if (rc == -2)
			return dx_seterr(e, DX_IOERR, _("%s: read error: %s"),
			    r->name, strerror(errno ? errno : EIO)), -2;
		if (rc == 0)
			return 0;
		if (toolong)
			return dx_seterr(e, DX_DATAERR,
			    _("%s:%ld: line longer than %zu bytes"), r->name,
			    r->lineno, r->maxline);
		p = r->line.buf != NULL ? r->line.buf : "";
		n = r->line.len;
		/* a CRLF line parses without its CR, and is kept as read */
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (r->lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		if (memchr(p, '\0', n) != NULL)
			return dx_seterr(e, DX_DATAERR,
			    _("%s:%ld: NUL byte in line"),
			    r->name, r->lineno);
		if (!blank(p, n))
			break;
	}
	v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
	/* jansson names every syntax error; no text: it ran out of memory */
	if (v == NULL && (json_error_code(&jerr) == json_error_out_of_memory ||
	    jerr.text[0] == '\0'))
		return dx_seterr(e, DX_SOFTWARE, _("%s:%ld: out of memory"),
		    r->name, r->lineno), -2;
	if (v == NULL)
		return dx_seterr(e, DX_DATAERR, _("%s:%ld: invalid JSON: %s"),
		    r->name, r->lineno, jerr.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return dx_seterr(e, DX_DATAERR, _("%s:%ld: not a JSON object"),
		    r->name, r->lineno);
	}
	*out = v;
	return 1;
}

int
jsonl_write(FILE *fp, const json_t *rec)
{
	if (json_dumpf(rec, fp, JSON_COMPACT) != 0)
		return -1;
	if (putc('\n', fp) == EOF)
		return -1;
	return 0;
}

static int
missing(const json_t *v, const char *key, int flags, struct dx_err *e)
{
	if (flags & JX_REQ)
		return dx_seterr(e, DX_DATAERR, _("missing field '%s'"), key);
	(void)v;
	return 1;
}

int
jx_str(const json_t *o, const char *key, int flags, const char **out,
    struct dx_err *e)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return missing(v, key, flags, e);
	if (!json_is_string(v))
		return dx_seterr(e, DX_DATAERR,
		    _("field '%s' must be a string"),
		    key);
	if ((flags & JX_REQ) && json_string_length(v) == 0)
		return dx_seterr(e, DX_DATAERR, _("field '%s' is empty"), key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return dx_seterr(e, DX_DATAERR,
		    _("field '%s' contains NUL"), key);
	*out = json_string_value(v);
	return 0;
}

int
jx_num(const json_t *o, const char *key, int flags, double *out,
    struct dx_err *e)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return missing(v, key, flags, e);
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return dx_seterr(e, DX_DATAERR,
		    _("field '%s' must be a number"),
		    key);
	*out = json_number_value(v);
	return 0;
}

int
jx_int(const json_t *o, const char *key, int flags, long long *out,
    struct dx_err *e)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return missing(v, key, flags, e);
	if (!json_is_integer(v))
		return dx_seterr(e, DX_DATAERR,
		    _("field '%s' must be an integer"),
		    key);
	*out = json_integer_value(v);
	return 0;
}

int
jx_bool(const json_t *o, const char *key, int flags, int *out,
    struct dx_err *e)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return missing(v, key, flags, e);
	if (!json_is_boolean(v))
		return dx_seterr(e, DX_DATAERR,
		    _("field '%s' must be true or false"),
		    key);
	*out = json_is_true(v);
	return 0;
}

int
jx_only(const json_t *o, const char *const *allowed, const char *what,
    struct dx_err *e)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)o, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			if (what != NULL)
				return dx_seterr(e, DX_DATAERR,
				    _("unknown field '%s' in %s"), key, what);
			return dx_seterr(e, DX_DATAERR, _("unknown field '%s'"),
			    key);
		}
	}
	return 0;
}

json_t *
jx_strornull(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The bytes a JSON string escapes, and NUL, which ends it. */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, [0x7f] = 1
};

void
jw_quote(struct dx_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *p, *run;
	char esc[8];

	buf_add(b, "\"", 1);
	for (run = p = s;; p++) {
		unsigned char c = (unsigned char)*p;

		if (!special[c])
			continue;
		if (c == '\0')
			break;
		buf_add(b, run, (size_t)(p - run));
		run = p + 1;
		switch (c) {
		case '"':
			buf_add(b, "\\\"", 2);
			break;
		case '\\':
			buf_add(b, "\\\\", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		case '\r':
			buf_add(b, "\\r", 2);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_add(b, esc, 6);
		}
	}
	buf_add(b, run, (size_t)(p - run));
	buf_add(b, "\"", 1);
}

void
jw_open(struct jw *w, struct dx_buf *b)
{
	w->b = b;
	w->depth = 0;
	w->count[0] = 0;
	w->close[0] = '}';
	buf_add(b, "{", 1);
}

static void
jw_member(struct jw *w, const char *key)
{
	if (w->count[w->depth]++ > 0)
		buf_add(w->b, ",", 1);
	if (key != NULL) {
		jw_quote(w->b, key);
		buf_add(w->b, ":", 1);
	}
}

void
jw_close(struct jw *w)
{
	buf_add(w->b, &w->close[w->depth], 1);
	if (w->depth > 0)
		w->depth--;
}

static void
jw_nest(struct jw *w, const char *key, const char *open)
{
	jw_member(w, key);
	buf_add(w->b, open, 1);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
	w->close[w->depth] = open[0] == '{' ? '}' : ']';
}

void
jw_obj(struct jw *w, const char *key)
{
	jw_nest(w, key, "{");
}

void
jw_arr(struct jw *w, const char *key)
{
	jw_nest(w, key, "[");
}

void
jw_str(struct jw *w, const char *key, const char *s)
{
	jw_member(w, key);
	if (s == NULL)
		buf_add(w->b, "null", 4);
	else
		jw_quote(w->b, s);
}

void
jw_int(struct jw *w, const char *key, long long v)
{
	jw_member(w, key);
	buf_addint(w->b, v);
}

void
jw_num(struct jw *w, const char *key, double v)
{
	jw_member(w, key);
	if (v == (double)(long long)v)
		buf_addint(w->b, (long long)v);
	else
		buf_printf(w->b, "%.15g", v);
}

void
jw_bool(struct jw *w, const char *key, int v)
{
	jw_member(w, key);
	buf_adds(w->b, v ? "true" : "false");
}

void
jw_null(struct jw *w, const char *key)
{
	jw_member(w, key);
	buf_add(w->b, "null", 4);
}

void
jw_raw(struct jw *w, const char *key, const char *json)
{
	jw_member(w, key);
	buf_adds(w->b, json != NULL ? json : "null");
}
