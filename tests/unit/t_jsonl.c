/*
 * t_jsonl.c: the JSON lines reader and writer, and the field getters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "jsonl.h"
#include "util.h"

void t_jsonl(void);

/* A reader over the n bytes at s (which may hold NUL bytes). */
struct mem {
	FILE *fp;
	struct jsonl_reader r;
};

static void
mem_open(struct mem *m, const char *s, size_t n)
{
	m->fp = tmpfile();
	if (m->fp == NULL) {
		perror("tmpfile");
		exit(1);
	}
	if (n > 0 && fwrite(s, 1, n, m->fp) != n) {
		perror("fwrite");
		exit(1);
	}
	rewind(m->fp);
	jsonl_init(&m->r, m->fp, "in.jsonl");
}

static void
mem_close(struct mem *m)
{
	jsonl_free(&m->r);
	fclose(m->fp);
}

/* The next record is an object whose compact text is `want` at `line`. */
static void
next_is(struct mem *m, const char *want, long line, const char *what)
{
	struct dx_err e;
	json_t *o = NULL;
	char *text = NULL;
	int rc;

	e.msg[0] = '\0';
	rc = jsonl_next(&m->r, &o, &e);
	if (rc == 1)
		text = json_dumps(o, JSON_COMPACT);
	ok(rc == 1 && text != NULL && strcmp(text, want) == 0 &&
	    m->r.lineno == line, "%s: line %ld is %s", what, line, want);
	if (rc != 1 || text == NULL || strcmp(text, want) != 0 ||
	    m->r.lineno != line)
		printf("#   rc %d, line %ld, got %s, error '%s'\n", rc,
		    m->r.lineno, text ? text : "(none)", rc == 1 ? "" : e.msg);
	free(text);
	json_decref(o);
}

/* The next record is bad: -1, DX_DATAERR, a message starting with
 * "in.jsonl:LINE: " and containing `frag`. */
static void
next_bad(struct mem *m, long line, const char *frag, const char *what)
{
	struct dx_err e;
	json_t *o = (json_t *)&o;	/* must be reset to NULL */
	char head[64];
	int rc, good;

	e.code = 0;
	e.msg[0] = '\0';
	rc = jsonl_next(&m->r, &o, &e);
	snprintf(head, sizeof(head), "in.jsonl:%ld: ", line);
	good = rc == -1 && o == NULL && e.code == DX_DATAERR &&
	    strncmp(e.msg, head, strlen(head)) == 0 &&
	    strstr(e.msg, frag) != NULL && m->r.lineno == line;
	ok(good, "%s: line %ld refused", what, line);
	if (!good)
		printf("#   rc %d, code %d, line %ld, msg '%s', want '%s...%s'\n",
		    rc, e.code, m->r.lineno, e.msg, head, frag);
	if (rc == 1)
		json_decref(o);
}

static void
next_eof(struct mem *m, long line, const char *what)
{
	struct dx_err e;
	json_t *o = (json_t *)&o;
	int rc;

	rc = jsonl_next(&m->r, &o, &e);
	ok(rc == 0 && o == NULL && m->r.lineno == line,
	    "%s: end of input after line %ld", what, line);
	if (rc != 0 || m->r.lineno != line)
		printf("#   rc %d, line %ld\n", rc, m->r.lineno);
	if (rc == 1)
		json_decref(o);
	/* and it stays at the end */
	rc = jsonl_next(&m->r, &o, &e);
	ok(rc == 0, "%s: still at the end", what);
	if (rc == 1)
		json_decref(o);
}

#define S(lit) lit, sizeof(lit) - 1

/*
 * Lines of every length about the reader's 4096-byte chunk and its
 * multiples, of 'x' with a NUL at none, the last and inner places: each
 * is read back whole, byte for byte, with its number, and the last one
 * (no newline, a NUL last) too.
 */
static void
check_raw_lines(void)
{
	static const size_t lens[] = { 1, 2, 3, 4093, 4094, 4095, 4096, 4097,
	    8189, 8190, 8191, 8192, 8193 };
	struct dx_buf in;
	struct dx_err e;
	struct mem m;
	json_t *o;
	size_t i, j, k, nlines = 0, at;
	int rc, bad = 0;

	buf_init(&in);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (k = 0; k < 4; k++) {
			at = in.len;
			for (j = 0; j < lens[i]; j++)
				buf_add(&in, "x", 1);
			/* no NUL; NUL last; NUL at 4094; NUL at 4095 */
			if (k == 1 && lens[i] > 1)
				in.buf[in.len - 1] = '\0';
			if (k >= 2 && lens[i] > 4092 + k)
				in.buf[at + 4092 + k] = '\0';
			buf_add(&in, "\n", 1);
			nlines++;
		}
	buf_add(&in, "xx\0", 3);
	nlines++;
	mem_open(&m, in.buf, in.len);
	at = 0;
	for (i = 1; i <= nlines; i++) {
		const char *nl = memchr(in.buf + at, '\n', in.len - at);
		size_t len = nl != NULL ? (size_t)(nl - (in.buf + at)) :
		    in.len - at;

		o = NULL;
		rc = jsonl_next(&m.r, &o, &e);
		if (rc != -1 || m.r.lineno != (long)i || m.r.line.len != len ||
		    memcmp(jsonl_text(&m.r), in.buf + at, len) != 0) {
			printf("#   line %zu: rc %d, line %ld, %zu bytes for"
			    " %zu\n", i, rc, m.r.lineno, m.r.line.len, len);
			bad++;
		}
		json_decref(o);
		at += len + 1;
	}
	ok(bad == 0, "%zu raw lines about the chunk size, NULs anywhere",
	    nlines);
	next_eof(&m, (long)nlines, "raw lines");
	mem_close(&m);
	buf_free(&in);
}

static void
check_reader(void)
{
	struct mem m;
	char *big;
	size_t i;

	mem_open(&m, S("{\"a\":1}\n{\"b\":[true,null]}\n"));
	next_is(&m, "{\"a\":1}", 1, "normal");
	is_str(jsonl_text(&m.r), "{\"a\":1}", "jsonl_text: the raw line");
	next_is(&m, "{\"b\":[true,null]}", 2, "normal");
	next_eof(&m, 2, "normal");
	mem_close(&m);

	mem_open(&m, S(""));
	next_eof(&m, 0, "empty input");
	is_str(jsonl_text(&m.r), "", "jsonl_text before any line");
	mem_close(&m);

	mem_open(&m, S("\n  \n{\"a\":1}\n\t\n\n{\"b\":2}\n\n"));
	next_is(&m, "{\"a\":1}", 3, "blank lines skipped");
	next_is(&m, "{\"b\":2}", 6, "blank lines skipped");
	next_eof(&m, 7, "blank lines skipped");
	mem_close(&m);

	mem_open(&m, S("{\"a\":1}\n{\"b\":2}"));
	next_is(&m, "{\"a\":1}", 1, "no final newline");
	next_is(&m, "{\"b\":2}", 2, "no final newline");
	next_eof(&m, 2, "no final newline");
	mem_close(&m);

	mem_open(&m, S("{\"a\":\"x\"}\r\n\r\n{\"b\":2}\r\n{\"c\":3}\r"));
	next_is(&m, "{\"a\":\"x\"}", 1, "CRLF");
	is_str(jsonl_text(&m.r), "{\"a\":\"x\"}\r",
	    "CRLF: the raw text keeps the CR (for -r, verbatim)");
	next_is(&m, "{\"b\":2}", 3, "CRLF, blank CRLF line skipped");
	next_is(&m, "{\"c\":3}", 4, "CR before end of input");
	next_eof(&m, 4, "CRLF");
	mem_close(&m);

	mem_open(&m, S("\xef\xbb\xbf{\"a\":\"\xc3\xa9\"}\n\xef\xbb\xbf{\"b\":2}\n"
	    "{\"c\":3}\n"));
	next_is(&m, "{\"a\":\"\xc3\xa9\"}", 1, "BOM on line 1 accepted");
	next_bad(&m, 2, "invalid JSON", "BOM on line 2");
	next_is(&m, "{\"c\":3}", 3, "after a BOM on line 2");
	mem_close(&m);

	mem_open(&m, S("\xef\xbb\xbf\n{\"a\":1}\n"));
	next_is(&m, "{\"a\":1}", 2, "a BOM alone on line 1 is a blank line");
	mem_close(&m);

	/* lines longer than maxline, short and past the 4096-byte chunk */
	mem_open(&m, S("{\"a\":1}\n{\"long\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}\n"
	    "{\"b\":2}\n{\"c\":\"12345678\"}\n{\"d\":\"123456789\"}\n"
	    "{\"e\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"));
	m.r.maxline = 16;
	next_is(&m, "{\"a\":1}", 1, "maxline 16");
	next_bad(&m, 2, "longer than 16 bytes", "a 33-byte line");
	next_is(&m, "{\"b\":2}", 3, "the line after a long line");
	next_is(&m, "{\"c\":\"12345678\"}", 4, "a line of exactly 16 bytes");
	next_bad(&m, 5, "longer than 16", "a line of 17 bytes");
	next_bad(&m, 6, "longer than 16", "a long last line without newline");
	next_eof(&m, 6, "maxline 16");
	mem_close(&m);

	big = xmalloc(20000);
	memcpy(big, "{\"a\":\"", 6);
	memset(big + 6, 'y', 10000);
	memcpy(big + 10006, "\"}\n{\"b\":2}\n", 11);
	mem_open(&m, big, 10017);
	m.r.maxline = 5000;
	next_bad(&m, 1, "longer than 5000", "a 10008-byte line, maxline 5000");
	next_is(&m, "{\"b\":2}", 2, "the line after it");
	mem_close(&m);
	mem_open(&m, big, 10017);
	big[10008] = '\0';
	next_is(&m, big, 1, "the same line with the default limit");
	next_is(&m, "{\"b\":2}", 2, "... and the next");
	mem_close(&m);
	free(big);

	mem_open(&m, S("{\"a\":1}\n{\"a\":\"x\0y\"}\n\0\n{\"b\":2}\n"));
	next_is(&m, "{\"a\":1}", 1, "NUL");
	next_bad(&m, 2, "NUL", "a NUL byte in a string");
	next_bad(&m, 3, "NUL", "a NUL byte alone");
	next_is(&m, "{\"b\":2}", 4, "the line after NUL bytes");
	mem_close(&m);

	mem_open(&m, S("{\"a\":1,\"a\":2}\n{\"o\":{\"k\":1,\"k\":1}}\n"
	    "{\"a\":1,\"A\":2}\n"));
	next_bad(&m, 1, "duplicate", "a duplicate key");
	next_bad(&m, 2, "duplicate", "a duplicate key in an inner object");
	next_is(&m, "{\"a\":1,\"A\":2}", 3, "keys differing in case");
	mem_close(&m);

	mem_open(&m, S("{\"a\":\"\xff\"}\n{\"a\":\"\xc0\xaf\"}\n"
	    "{\"a\":\"\xed\xa0\x80\"}\n{\"a\":\"\xe1\xbb\"}\n"
	    "{\"a\":\"\xe1\xbb\x87\"}\n"));
	next_bad(&m, 1, "", "invalid UTF-8: 0xff");
	next_bad(&m, 2, "", "invalid UTF-8: an overlong encoding");
	next_bad(&m, 3, "", "invalid UTF-8: a surrogate");
	next_bad(&m, 4, "", "invalid UTF-8: a truncated sequence");
	next_is(&m, "{\"a\":\"\xe1\xbb\x87\"}", 5, "valid UTF-8");
	mem_close(&m);

	mem_open(&m, S("[1]\n1\n\"s\"\nnull\ntrue\n{}\n"));
	next_bad(&m, 1, "not a JSON object", "an array");
	/* jansson itself refuses a scalar at the top level */
	next_bad(&m, 2, "", "a number");
	next_bad(&m, 3, "", "a string");
	next_bad(&m, 4, "", "null");
	next_bad(&m, 5, "", "true");
	next_is(&m, "{}", 6, "an empty object");
	mem_close(&m);

	mem_open(&m, S("{\"a\":1} x\n{\"a\":1}{\"b\":2}\n{\"a\":\n\"b\"}\n"
	    "{\"a\":1}   \n"));
	next_bad(&m, 1, "invalid JSON", "trailing garbage");
	next_bad(&m, 2, "invalid JSON", "two objects on a line");
	next_bad(&m, 3, "invalid JSON", "an object split over lines");
	next_bad(&m, 4, "invalid JSON", "... whose rest is not JSON");
	next_is(&m, "{\"a\":1}", 5, "trailing spaces");
	next_eof(&m, 5, "bad lines");
	mem_close(&m);

	/* a long run of bad and good lines keeps counting */
	{
		struct dx_buf b;
		int bad = 0, rc;
		json_t *o;
		struct dx_err e;

		buf_init(&b);
		for (i = 1; i <= 300; i++)
			buf_printf(&b, i % 3 == 0 ? "{\"n\":%zu}\n" :
			    i % 3 == 1 ? "[%zu]\n" : "\n", i);
		mem_open(&m, b.buf, b.len);
		for (i = 1; i <= 300; i++) {
			if (i % 3 == 2)
				continue;
			rc = jsonl_next(&m.r, &o, &e);
			if ((i % 3 == 0 && (rc != 1 ||
			    json_integer_value(json_object_get(o, "n")) !=
			    (json_int_t)i)) || (i % 3 == 1 && rc != -1) ||
			    m.r.lineno != (long)i)
				bad++;
			if (rc == 1)
				json_decref(o);
		}
		is_int(bad, 0, "300 lines, good, bad and blank: numbers right");
		mem_close(&m);
		buf_free(&b);
	}
}

static void
check_read_error(void)
{
	struct jsonl_reader r;
	struct dx_err e;
	json_t *o;
	FILE *fp;
	int rc;

	/* a stream open for writing only cannot be read */
	fp = fopen("/dev/null", "w");
	if (fp == NULL) {
		ok(0, "open /dev/null");
		return;
	}
	jsonl_init(&r, fp, "out");
	e.code = 0;
	rc = jsonl_next(&r, &o, &e);
	ok(rc == -2 && e.code == DX_IOERR && strncmp(e.msg, "out: ", 5) == 0,
	    "a read error is -2, DX_IOERR, named");
	if (rc != -2)
		printf("#   rc %d, code %d, msg '%s'\n", rc, e.code, e.msg);
	jsonl_free(&r);
	fclose(fp);
}

static void
check_writer(void)
{
	json_t *o;
	FILE *fp;
	char buf[256];
	size_t n;

	o = json_object();
	json_object_set_new(o, "z", json_integer(1));
	json_object_set_new(o, "a", json_string("Phước Thắng"));
	json_object_set_new(o, "m", json_pack("[i,s,n,b]", 2, "x", 0));
	json_object_set_new(o, "b", json_pack("{s:f}", "amount", 0.5));
	json_object_set_new(o, "e", json_string("a\"b\\c\n"));
	fp = tmpfile();
	is_int(jsonl_write(fp, o), 0, "jsonl_write");
	is_int(jsonl_write(fp, o), 0, "jsonl_write again");
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	is_str(buf, "{\"z\":1,\"a\":\"Phước Thắng\",\"m\":[2,\"x\",null,false],"
	    "\"b\":{\"amount\":0.5},\"e\":\"a\\\"b\\\\c\\n\"}\n"
	    "{\"z\":1,\"a\":\"Phước Thắng\",\"m\":[2,\"x\",null,false],"
	    "\"b\":{\"amount\":0.5},\"e\":\"a\\\"b\\\\c\\n\"}\n",
	    "compact lines, keys in insertion order, UTF-8 as is");
	fclose(fp);

	/* what jsonl_write writes, the reader reads back */
	{
		struct mem m;
		char *want = json_dumps(o, JSON_COMPACT);

		mem_open(&m, buf, strlen(buf));
		next_is(&m, want, 1, "written lines read back");
		next_is(&m, want, 2, "written lines read back");
		mem_close(&m);
		free(want);
	}

	fp = fopen("/dev/null", "r");
	if (fp != NULL) {
		ok(jsonl_write(fp, o) == -1 || fflush(fp) == EOF,
		    "a write error is reported");
		fclose(fp);
	}
	json_decref(o);
}

static void
check_getters(void)
{
	static const char *const allowed[] = { "kind", "name", "n", NULL };
	struct dx_err e;
	json_t *o;
	const char *s;
	double d;
	long long i;
	int b;

	o = json_loads("{\"name\":\"An\",\"empty\":\"\",\"nul\":null,"
	    "\"n\":5,\"r\":2.5,\"r1\":1.0,\"t\":true,\"f\":false,"
	    "\"arr\":[],\"big\":9007199254740993}", 0, NULL);
	ok(o != NULL, "test object");
	json_object_set_new(o, "zero", json_stringn("a\0b", 3));

	/* strings */
	s = NULL;
	is_int(jx_str(o, "name", JX_REQ, &s, &e), 0, "jx_str required");
	is_str(s, "An", "... value");
	e.code = 0;
	s = "x";
	is_int(jx_str(o, "missing", JX_REQ, &s, &e), -1, "jx_str missing");
	ok(s == NULL && e.code == DX_DATAERR && strstr(e.msg, "missing") &&
	    strstr(e.msg, "'missing'"), "... DX_DATAERR naming it: %s", e.msg);
	is_int(jx_str(o, "nul", JX_REQ, &s, &e), -1, "jx_str required null");
	ok(strstr(e.msg, "'nul'") != NULL, "... names it: %s", e.msg);
	is_int(jx_str(o, "n", JX_REQ, &s, &e), -1, "jx_str of a number");
	ok(strstr(e.msg, "string") != NULL, "... says string: %s", e.msg);
	is_int(jx_str(o, "n", 0, &s, &e), -1, "... also when optional");
	is_int(jx_str(o, "empty", JX_REQ, &s, &e), -1, "jx_str required empty");
	ok(strstr(e.msg, "empty") != NULL, "... says empty: %s", e.msg);
	s = "x";
	is_int(jx_str(o, "missing", 0, &s, &e), 1, "jx_str optional missing");
	ok(s == NULL, "... gives NULL");
	s = "x";
	is_int(jx_str(o, "nul", 0, &s, &e), 1, "jx_str optional null");
	ok(s == NULL, "... gives NULL");
	is_int(jx_str(o, "empty", 0, &s, &e), 0, "jx_str optional empty");
	is_str(s, "", "... gives the empty string");
	is_int(jx_str(o, "zero", 0, &s, &e), -1, "jx_str with a NUL inside");
	is_int(jx_str(o, "arr", 0, &s, &e), -1, "jx_str of an array");

	/* numbers */
	d = -1;
	is_int(jx_num(o, "n", JX_REQ, &d, &e), 0, "jx_num of an integer");
	ok(d == 5.0, "... 5");
	is_int(jx_num(o, "r", JX_REQ, &d, &e), 0, "jx_num of a real");
	ok(d == 2.5, "... 2.5");
	is_int(jx_num(o, "name", JX_REQ, &d, &e), -1, "jx_num of a string");
	ok(e.code == DX_DATAERR && strstr(e.msg, "'name'"),
	    "... names it: %s", e.msg);
	is_int(jx_num(o, "t", 0, &d, &e), -1, "jx_num of a boolean");
	is_int(jx_num(o, "missing", JX_REQ, &d, &e), -1, "jx_num missing");
	d = 7;
	is_int(jx_num(o, "missing", 0, &d, &e), 1, "jx_num optional missing");
	ok(d == 7, "... leaves the value");
	is_int(jx_num(o, "nul", 0, &d, &e), 1, "jx_num optional null");
	ok(d == 7, "... leaves the value");

	/* integers */
	i = -1;
	is_int(jx_int(o, "n", JX_REQ, &i, &e), 0, "jx_int");
	is_int(i, 5, "... 5");
	is_int(jx_int(o, "big", JX_REQ, &i, &e), 0, "jx_int beyond 2^53");
	ok(i == 9007199254740993LL, "... exact");
	is_int(jx_int(o, "r", JX_REQ, &i, &e), -1, "jx_int of 2.5");
	is_int(jx_int(o, "r1", JX_REQ, &i, &e), -1, "jx_int of 1.0");
	ok(strstr(e.msg, "integer") != NULL, "... says integer: %s", e.msg);
	is_int(jx_int(o, "name", 0, &i, &e), -1, "jx_int of a string");
	i = 9;
	is_int(jx_int(o, "missing", 0, &i, &e), 1, "jx_int optional missing");
	is_int(i, 9, "... leaves the value");
	is_int(jx_int(o, "nul", JX_REQ, &i, &e), -1, "jx_int required null");

	/* booleans */
	b = -1;
	is_int(jx_bool(o, "t", JX_REQ, &b, &e), 0, "jx_bool true");
	is_int(b, 1, "... 1");
	is_int(jx_bool(o, "f", JX_REQ, &b, &e), 0, "jx_bool false");
	is_int(b, 0, "... 0");
	is_int(jx_bool(o, "n", 0, &b, &e), -1, "jx_bool of a number");
	ok(strstr(e.msg, "true or false") != NULL, "... says so: %s", e.msg);
	is_int(jx_bool(o, "name", 0, &b, &e), -1, "jx_bool of a string");
	b = 3;
	is_int(jx_bool(o, "missing", 0, &b, &e), 1, "jx_bool optional missing");
	is_int(b, 3, "... leaves the value");
	is_int(jx_bool(o, "missing", JX_REQ, &b, &e), -1,
	    "jx_bool required missing");

	/* a NULL error pointer is allowed */
	is_int(jx_str(o, "missing", JX_REQ, &s, NULL), -1, "jx_str, e NULL");
	json_decref(o);

	/* jx_only */
	o = json_loads("{\"kind\":\"unit\",\"name\":\"x\"}", 0, NULL);
	is_int(jx_only(o, allowed, NULL, &e), 0, "jx_only: allowed keys");
	json_object_set_new(o, "colour", json_string("red"));
	is_int(jx_only(o, allowed, NULL, &e), -1, "jx_only: an unknown key");
	is_str(e.msg, "unknown field 'colour'", "... named");
	is_int(e.code, DX_DATAERR, "... DX_DATAERR");
	is_int(jx_only(o, allowed, "applicant", &e), -1, "jx_only with what");
	is_str(e.msg, "unknown field 'colour' in applicant", "... named");
	json_decref(o);
	o = json_object();
	is_int(jx_only(o, allowed, NULL, &e), 0, "jx_only: an empty object");
	json_decref(o);

	/* jx_strornull */
	o = jx_strornull(NULL);
	ok(json_is_null(o), "jx_strornull(NULL) is null");
	json_decref(o);
	o = jx_strornull("x");
	ok(json_is_string(o) && strcmp(json_string_value(o), "x") == 0,
	    "jx_strornull(\"x\") is \"x\"");
	json_decref(o);
}

/*
 * The reader builds what jansson builds from the same line (with
 * JSON_REJECT_DUPLICATES), and refuses what jansson refuses with
 * jansson's message, whichever way it parses the line.
 */
static void
check_as_jansson(void)
{
	static const char *const lines[] = {
		"{\"a\":1}",
		"{\"a\":-0,\"b\":-12,\"c\":0}",
		"{\"a\":123456789012345678,\"b\":-123456789012345678}",
		"{\"a\":1234567890123456789}",
		"{\"a\":99999999999999999999}",
		"{\"a\":-99999999999999999999}",
		"{\"a\":1.5,\"b\":1e3,\"c\":-2E-2,\"d\":1.0}",
		"{\"a\":01}",
		"{\"a\":-}",
		"{\"a\":+1}",
		"{\"a\":1x}",
		"{\"a\":\"x\\u00e9\\u0041\"}",
		"{\"a\":\"\\u0000\"}",
		"{\"a\":\"\\ud83d\\ude00\"}",
		"{\"a\":\"tab\tx\"}",
		"{\"a\":\"Phước Thắng \xf0\x9f\x98\x80 \x7f\"}",
		"{\"a\":\"\xc0\xaf\"}",
		"{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xf4\x90\x80\x80\"}",
		"{\"a\":\"\xe1\x80\"}",
		"{\"a\":\"\x80\"}",
		"{\"a\":\"\xf5\x80\x80\x80\"}",
		"{\"a\":1,\"a\":2}",
		"{\"a\":{\"b\":1},\"c\":{\"b\":2,\"b\":3}}",
		"{\"a\":{\"b\":[1,2,{\"c\":null}],\"d\":[]},\"e\":{}}",
		"{\"a\":true,\"b\":false,\"c\":null}",
		"{\"a\":tru}",
		"{\"a\":truex}",
		"{\"a\":nul}",
		"{\"a\":nulll}",
		"{}",
		"{\"\":1}",
		"{\"a\":[1,]}",
		"{\"a\":1,}",
		"{,}",
		" \t{ \"a\" : [ 1 , 2 ] , \"b\" : \"c\" } \t",
		"{\"a\"1}",
		"{\"a\" \"b\"}",
		"{\"a\":\"e \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}",
		"{\"a\":\"bad \\x\"}",
		"{\"a\":\"bad \\\xc3\xa9\"}",
		"{\"a\\\"b\":1,\"a\\nb\":2}",
		"{\"a\":\"unterminated}",
		"{\"a\":1}}",
		"{\"a\":1",
		"[1]",
		"\"s\"",
		"1",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
		    "]]]]]]]]]]]]]]]]]]]]]]}",
	};
	struct mem m;
	struct dx_err e;
	json_error_t jerr;
	json_t *o, *want;
	char key[400], *got_text, *want_text;
	size_t i, k;
	int rc, good;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]) + 1; i++) {
		const char *line = i < sizeof(lines) / sizeof(lines[0]) ?
		    lines[i] : NULL;

		if (line == NULL) {
			/* a key longer than the direct parse takes */
			key[0] = '{';
			key[1] = '"';
			for (k = 2; k < 302; k++)
				key[k] = 'k';
			snprintf(key + k, sizeof(key) - k, "\":1}");
			line = key;
		}
		mem_open(&m, line, strlen(line));
		e.msg[0] = '\0';
		o = NULL;
		rc = jsonl_next(&m.r, &o, &e);
		want = json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES,
		    &jerr);
		if (want != NULL && !json_is_object(want)) {
			/* jansson's value, which the reader refuses */
			json_decref(want);
			want = NULL;
			snprintf(jerr.text, sizeof(jerr.text), "not a JSON object");
		}
		got_text = rc == 1 ? json_dumps(o, JSON_COMPACT) : NULL;
		want_text = want != NULL ? json_dumps(want, JSON_COMPACT) : NULL;
		if (want != NULL)
			good = rc == 1 && got_text != NULL &&
			    strcmp(got_text, want_text) == 0;
		else
			good = rc == -1 && strstr(e.msg, jerr.text) != NULL;
		ok(good, "as jansson: %.60s", line);
		if (!good)
			printf("#   rc %d, got %s, want %s, msg '%s', jansson"
			    " '%s'\n", rc, got_text ? got_text : "(none)",
			    want_text ? want_text : "(none)", e.msg,
			    want != NULL ? "" : jerr.text);
		free(got_text);
		free(want_text);
		json_decref(o);
		json_decref(want);
		mem_close(&m);
	}
}

/*
 * jsonl_parse(): the value jansson builds with the flags given, directly
 * or through jansson; an error named by jansson.
 */
static void
check_parse(void)
{
	static const struct {
		const char *text;
		size_t flags;
	} cases[] = {
		{ "{\"a\":\"b\",\"n\":[1,-2,true,null],\"o\":{}}\n", 0 },
		{ "{\"p\":\"{\\\"k\\\":\\\"v\\\"}\"}",
		    JSON_REJECT_DUPLICATES },
		{ "{\"u\":\"\\u00e9\",\"r\":1.5}", 0 },
		{ "{\"d\":1,\"d\":2}", 0 },
		{ "{\"d\":1,\"d\":2}", JSON_REJECT_DUPLICATES },
		{ "{\"a\":", JSON_REJECT_DUPLICATES },
		{ "[1]", 0 },
	};
	json_error_t je, jw;
	json_t *got, *want;
	size_t i;
	int good;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&je, 0, sizeof(je));
		got = jsonl_parse(cases[i].text, strlen(cases[i].text),
		    cases[i].flags, &je);
		want = json_loadb(cases[i].text, strlen(cases[i].text),
		    cases[i].flags, &jw);
		if (want == NULL)
			good = got == NULL && strcmp(je.text, jw.text) == 0;
		else
			good = got != NULL && json_equal(got, want);
		ok(good, "jsonl_parse as json_loadb: case %zu", i);
		json_decref(got);
		json_decref(want);
	}
}

void
t_jsonl(void)
{
	check_reader();
	check_raw_lines();
	check_read_error();
	check_writer();
	check_getters();
	check_as_jansson();
	check_parse();
}
