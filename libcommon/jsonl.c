/*
 * jsonl.c: JSON lines reader and writer, field access.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	r->tick = NULL;
	r->tick_arg = NULL;
	buf_init(&r->line);
	r->spill = -1;
	r->spill_at = -1;
	r->spill_len = 0;
	r->spill_err = 0;
}

void
jsonl_spill(struct jsonl_reader *r, int fd)
{
	r->spill = fd;
}

/* Append n bytes of an overlong line to the spill file, if any. */
static void
spill(struct jsonl_reader *r, const char *p, size_t n)
{
	ssize_t w;

	if (r->spill == -1 || r->spill_err != 0)
		return;
	while (n > 0) {
		if ((w = write(r->spill, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			r->spill_err = errno;
			return;
		}
		p += w;
		n -= (size_t)w;
		r->spill_len += w;
	}
}

/* Keep n more bytes of the line, or spill them once it is too long. */
static void
line_add(struct jsonl_reader *r, const char *p, size_t n, int *toolong)
{
	off_t at;

	if (!*toolong && r->line.len + n > r->maxline) {
		*toolong = 1;
		if (r->spill != -1) {
			if ((at = lseek(r->spill, 0, SEEK_CUR)) == -1)
				r->spill_err = errno;
			r->spill_at = (int64_t)at;
			r->spill_len = 0;
			spill(r, r->line.buf, r->line.len);
		}
	}
	if (*toolong)
		spill(r, p, n);
	else
		buf_add(&r->line, p, n);
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
 * The length of what fgets() put in `chunk` (of `size` bytes, filled with
 * newlines before the call), and in *end whether that ends the line.  The
 * bytes read may hold NULs, so their length is not strlen(): it is found
 * from the first newline.  Either fgets() read it, and its null byte
 * follows; or it is the first of the filling, and the null byte before it
 * ends what was read.  No newline: the chunk is full.
 */
static size_t
chunk_len(const char *chunk, size_t size, int *end)
{
	const char *p;
	size_t i;

	*end = 0;
	if ((p = memchr(chunk, '\n', size)) == NULL)
		return size - 1;
	i = (size_t)(p - chunk);
	if (i + 1 < size && chunk[i + 1] == '\0') {
		*end = 1;
		return i;
	}
	return i - 1;
}

/*
 * Read one line into r->line.  Returns 1 for a line, 0 at EOF, -2 on a read
 * error.  Sets *toolong when the line exceeded maxline (the rest of it is
 * consumed and dropped).  fgets() finds the newline in the stream's buffer
 * and copies up to it at once, where a loop of getc() would handle every
 * byte.
 */
static int
read_line(struct jsonl_reader *r, int *toolong)
{
	char chunk[4096];
	size_t n;
	int end = 0, got = 0;

	buf_reset(&r->line);
	*toolong = 0;
	r->spill_at = -1;
	while (!end) {
		memset(chunk, '\n', sizeof(chunk));
		if (fgets(chunk, (int)sizeof(chunk), r->fp) == NULL)
			break;
		got = 1;
		n = chunk_len(chunk, sizeof(chunk), &end);
		line_add(r, chunk, n, toolong);
	}
	if (!end && ferror(r->fp))
		return -2;
	if (!got)
		return 0;
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

/*
 * A direct parse of the common line: objects, arrays, strings with the
 * simple escapes, integers of up to 18 digits, true, false and null, as
 * jansson would build them from JSON_REJECT_DUPLICATES.  jansson reads
 * one byte at a time through its stream and validates UTF-8 on the way;
 * this parse is several times faster on the lines an import is made of.
 * Anything else, well formed or not (a \u escape, a real number, a long
 * integer, a duplicate key, invalid UTF-8, deep nesting, no memory), gives
 * NULL: the caller parses the line again with jansson, which builds the
 * value or names the error exactly as it always did.
 */
#define FAST_DEPTH 64

struct fast {
	const unsigned char *p, *end;
	struct dx_buf s;	/* a string with escapes, decoded */
	int depth;
};

static json_t *fast_value(struct fast *f);

static void
fast_ws(struct fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' ||
	    *f->p == '\n' || *f->p == '\r'))
		f->p++;
}

/*
 * The length of the valid UTF-8 sequence at p (of at most n bytes) as
 * jansson checks it: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  0 if invalid.
 */
static size_t
fast_utf8(const unsigned char *p, size_t n)
{
	unsigned int c = p[0], v;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	return len;
}

/*
 * The string at f->p (after its opening quote): its bytes in *s and
 * *len, borrowed from the line or from f->s.  0, or -1.
 */
static int
fast_string(struct fast *f, const char **s, size_t *len)
{
	const unsigned char *start = f->p, *q;
	size_t k;
	int esc = 0;

	for (q = start; q < f->end && *q != '"'; ) {
		if (*q < 0x20)
			return -1;
		if (*q == '\\') {
			if (q + 1 >= f->end || q[1] == 'u')
				return -1;
			esc = 1;
			q += 2;
		} else if (*q < 0x80)
			q++;
		else if ((k = fast_utf8(q, (size_t)(f->end - q))) == 0)
			return -1;
		else
			q += k;
	}
	if (q >= f->end)
		return -1;
	f->p = q + 1;
	if (!esc) {
		*s = (const char *)start;
		*len = (size_t)(q - start);
		return 0;
	}
	buf_reset(&f->s);
	for (; start < q; start++) {
		char c = (char)*start;

		if (c == '\\') {
			switch (*++start) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			default: return -1;
			}
		}
		buf_add(&f->s, &c, 1);
	}
	buf_add(&f->s, "", 0);
	*s = f->s.buf;
	*len = f->s.len;
	return 0;
}

/*
 * After a value inside an object or array: 1 past a ',' (another value
 * follows), 0 past `close` (the end), -1 at anything else.
 */
static int
fast_next(struct fast *f, char close)
{
	fast_ws(f);
	if (f->p < f->end && *f->p == ',') {
		f->p++;
		fast_ws(f);
		return 1;
	}
	if (f->p < f->end && *f->p == close) {
		f->p++;
		return 0;
	}
	return -1;
}

static json_t *
fast_object(struct fast *f)
{
	json_t *o, *v;
	const char *k;
	char key[256];
	size_t n;
	int more;

	if ((o = json_object()) == NULL)
		return NULL;
	fast_ws(f);
	if (f->p < f->end && *f->p == '}') {
		f->p++;
		return o;
	}
	for (;;) {
		if (f->p >= f->end || *f->p++ != '"' ||
		    fast_string(f, &k, &n) == -1 || n >= sizeof(key))
			break;
		/* the key outlives f->s, which the value may reuse */
		memcpy(key, k, n);
		key[n] = '\0';
		if (json_object_getn(o, key, n) != NULL)
			break;
		fast_ws(f);
		if (f->p >= f->end || *f->p++ != ':')
			break;
		fast_ws(f);
		if ((v = fast_value(f)) == NULL ||
		    json_object_setn_new_nocheck(o, key, n, v) == -1 ||
		    (more = fast_next(f, '}')) == -1)
			break;
		if (!more)
			return o;
	}
	json_decref(o);
	return NULL;
}

static json_t *
fast_array(struct fast *f)
{
	json_t *a, *v;
	int more;

	if ((a = json_array()) == NULL)
		return NULL;
	fast_ws(f);
	if (f->p < f->end && *f->p == ']') {
		f->p++;
		return a;
	}
	for (;;) {
		if ((v = fast_value(f)) == NULL ||
		    json_array_append_new(a, v) == -1 ||
		    (more = fast_next(f, ']')) == -1)
			break;
		if (!more)
			return a;
	}
	json_decref(a);
	return NULL;
}

static json_t *
fast_word(struct fast *f, const char *w, size_t n, json_t *v)
{
	if ((size_t)(f->end - f->p) < n || memcmp(f->p, w, n) != 0 ||
	    (f->p + n < f->end && (isalnum(f->p[n]) || f->p[n] == '_')))
		return NULL;
	f->p += n;
	return v;
}

static json_t *
fast_value(struct fast *f)
{
	const unsigned char *q;
	const char *s;
	json_int_t v = 0;
	json_t *r;
	size_t n;
	int neg = 0;

	if (f->p >= f->end)
		return NULL;
	switch (*f->p) {
	case '{':
	case '[':
		if (++f->depth > FAST_DEPTH)
			return NULL;
		r = *f->p++ == '{' ? fast_object(f) : fast_array(f);
		f->depth--;
		return r;
	case '"':
		f->p++;
		if (fast_string(f, &s, &n) == -1)
			return NULL;
		return json_stringn_nocheck(s, n);
	case 't':
		return fast_word(f, "true", 4, json_true());
	case 'f':
		return fast_word(f, "false", 5, json_false());
	case 'n':
		return fast_word(f, "null", 4, json_null());
	}
	q = f->p;
	if (*q == '-') {
		neg = 1;
		q++;
	}
	/* count every digit, add up only the 18 that cannot overflow */
	for (n = 0; q + n < f->end && isdigit(q[n]); n++)
		if (n < 18)
			v = v * 10 + (q[n] - '0');
	/* no leading zero, 18 digits at most, and not a real number */
	if (n == 0 || n > 18 || (q[0] == '0' && n > 1) || (q + n < f->end &&
	    (q[n] == '.' || q[n] == 'e' || q[n] == 'E' || isalpha(q[n]))))
		return NULL;
	f->p = q + n;
	return json_integer(neg ? -v : v);
}

static json_t *
fast_parse(const char *p, size_t n)
{
	struct fast f;
	json_t *v = NULL;

	f.p = (const unsigned char *)p;
	f.end = f.p + n;
	f.depth = 0;
	buf_init(&f.s);
	fast_ws(&f);
	if (f.p < f.end && *f.p == '{')
		v = fast_value(&f);
	fast_ws(&f);
	if (v != NULL && f.p != f.end) {
		json_decref(v);
		v = NULL;
	}
	buf_free(&f.s);
	return v;
}

json_t *
jsonl_parse(const char *p, size_t n, size_t flags, json_error_t *err)
{
	json_t *v;

	if ((v = fast_parse(p, n)) != NULL)
		return v;
	return json_loadb(p, n, flags, err);
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
		if (r->tick != NULL)
			r->tick(r->tick_arg, r->lineno, (int64_t)ftello(r->fp));
		if (r->spill_err != 0)
			return dx_seterr(e, DX_IOERR, _("%s:%ld: cannot keep the"
			    " long line for the rejects: %s"), r->name,
			    r->lineno, strerror(r->spill_err)), -2;
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
	if ((v = fast_parse(p, n)) == NULL)
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

char *
xjson_dumps(const json_t *v, size_t flags)
{
	char *s = json_dumps(v, flags);

	if (s == NULL && v != NULL && (json_is_object(v) || json_is_array(v) ||
	    (flags & JSON_ENCODE_ANY)))
		dx_die(DX_SOFTWARE, "out of memory");
	return s;
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
