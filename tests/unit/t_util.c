/*
 * t_util.c: parse_int, the growable buffer, hex, and error messages.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"

void t_util(void);

/* parse_int(s, min, max) succeeds with `want`. */
static void
int_ok(const char *s, long long min, long long max, long long want)
{
	const char *errstr = "unset";
	long long v = 12345;
	int rc;

	rc = parse_int(s, min, max, &v, &errstr);
	ok(rc == 0 && v == want && errstr == NULL,
	    "parse_int('%s', %lld, %lld) = %lld", s, min, max, want);
	if (rc != 0 || v != want)
		printf("#   rc %d, value %lld, errstr %s\n", rc, v,
		    errstr ? errstr : "(null)");
}

/* parse_int(s, min, max) fails with `want` and leaves *out alone. */
static void
int_bad(const char *s, long long min, long long max, const char *want)
{
	const char *errstr = NULL;
	long long v = 12345;
	int rc;

	rc = parse_int(s, min, max, &v, &errstr);
	ok(rc == -1 && v == 12345 && errstr != NULL &&
	    strcmp(errstr, want) == 0, "parse_int('%s', %lld, %lld) is %s",
	    s ? s : "(null)", min, max, want);
	if (rc != -1 || errstr == NULL || strcmp(errstr, want) != 0)
		printf("#   rc %d, errstr %s\n", rc, errstr ? errstr : "(null)");
}

static void
check_parse_int(void)
{
	int_ok("0", 0, 10, 0);
	int_ok("10", 0, 10, 10);
	int_ok("-5", -10, 10, -5);
	int_ok("+7", 0, 10, 7);
	int_ok("007", 0, 10, 7);
	int_ok("2026", 1900, 2199, 2026);
	int_ok("9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX);
	int_ok("-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN);

	int_bad("11", 0, 10, "too large");
	int_bad("-1", 0, 10, "too small");
	int_bad("1899", 1900, 2199, "too small");
	int_bad("9223372036854775808", LLONG_MIN, LLONG_MAX, "too large");
	int_bad("99999999999999999999", 0, 10, "too large");
	int_bad("-9223372036854775809", LLONG_MIN, LLONG_MAX, "too small");
	int_bad("-99999999999999999999", 0, 10, "too small");
	int_bad("", 0, 10, "invalid");
	int_bad(NULL, 0, 10, "invalid");
	int_bad("abc", 0, 10, "invalid");
	int_bad("1a", 0, 10, "invalid");
	int_bad("1 ", 0, 10, "invalid");
	int_bad(" 1", 0, 10, "invalid");
	int_bad("\t1", 0, 10, "invalid");
	int_bad("-", 0, 10, "invalid");
	int_bad("+", 0, 10, "invalid");
	int_bad("--1", -10, 10, "invalid");
	int_bad("0x10", 0, 100, "invalid");
	int_bad("1.5", 0, 10, "invalid");
	int_bad("1e3", 0, 10000, "invalid");
}

static void
check_buf(void)
{
	struct dx_buf b;
	char big[5000];
	size_t i;
	int bad = 0;

	buf_init(&b);
	ok(b.buf == NULL && b.len == 0 && b.cap == 0, "buf_init: empty");
	buf_reset(&b);
	ok(b.len == 0, "buf_reset of an empty buffer");
	buf_add(&b, "", 0);
	ok(b.buf != NULL && b.len == 0 && b.buf[0] == '\0',
	    "buf_add of nothing leaves an empty string");
	buf_adds(&b, "abc");
	is_str(b.buf, "abc", "buf_adds");
	is_int(b.len, 3, "length 3");
	buf_printf(&b, "-%d-%s", 42, "x");
	is_str(b.buf, "abc-42-x", "buf_printf appends");
	buf_add(&b, "\0z", 2);
	is_int(b.len, 10, "buf_add keeps NUL bytes");
	ok(b.buf[8] == '\0' && b.buf[9] == 'z' && b.buf[10] == '\0',
	    "... and NUL-terminates after them");

	/* CSV fields */
	buf_reset(&b);
	buf_csv(&b, "plain", 0);
	buf_csv(&b, NULL, 0);
	buf_csv(&b, "a,b", 0);
	buf_csv(&b, "say \"hi\"", 0);
	buf_csv(&b, "two\nlines", 0);
	buf_csv(&b, "x", 1);
	is_str(b.buf, "plain\"a,b\"\"say \"\"hi\"\"\"\"two\nlines\"\"x\"",
	    "buf_csv quotes when needed or asked, doubles quotes, NULL empty");

	/* growth: many small appends, then one large one */
	buf_reset(&b);
	is_int(b.len, 0, "buf_reset: length 0");
	is_str(b.buf, "", "buf_reset: empty string");
	for (i = 0; i < 10000; i++)
		buf_add(&b, &"0123456789"[i % 10], 1);
	is_int(b.len, 10000, "10000 one-byte appends");
	ok(b.cap > b.len, "capacity %zu > length", b.cap);
	for (i = 0; i < b.len; i++)
		if (b.buf[i] != (char)('0' + i % 10))
			bad++;
	is_int(bad, 0, "the bytes are in order");
	ok(b.buf[b.len] == '\0', "NUL-terminated after growth");

	memset(big, 'q', sizeof(big));
	buf_add(&b, big, sizeof(big));
	is_int(b.len, 15000, "one 5000-byte append");
	ok(b.buf[9999] == '9' && b.buf[10000] == 'q' && b.buf[14999] == 'q' &&
	    b.buf[15000] == '\0', "... lands after the old content");

	/* buf_printf larger than the free space */
	buf_reset(&b);
	buf_printf(&b, "%s", "x");
	buf_printf(&b, "%0*d", 3000, 7);
	is_int(b.len, 3001, "buf_printf of 3000 bytes");
	ok(b.buf[1] == '0' && b.buf[3000] == '7' && b.buf[3001] == '\0',
	    "... formatted whole");

	buf_free(&b);
	ok(b.buf == NULL && b.len == 0 && b.cap == 0, "buf_free resets");
	buf_free(&b);
	ok(b.buf == NULL && b.len == 0 && b.cap == 0,
	    "buf_free twice leaves it reset");
	buf_printf(&b, "%s", "again");
	is_int(b.len, 5, "... and usable again");
	buf_free(&b);
}

static void
check_hex(void)
{
	unsigned char in[256], out[256];
	char hex[513];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	hex_encode(in, 4, hex);
	is_str(hex, "00010203", "hex_encode");
	hex_encode((const unsigned char *)"\xde\xad\xbe\xef", 4, hex);
	is_str(hex, "deadbeef", "hex_encode is lower case");
	hex_encode(in, 0, hex);
	is_str(hex, "", "hex_encode of nothing");

	hex_encode(in, sizeof(in), hex);
	is_int(strlen(hex), 512, "256 bytes are 512 digits");
	memset(out, 0, sizeof(out));
	is_int(hex_decode(hex, out, sizeof(out)), 0, "hex_decode");
	ok(memcmp(in, out, sizeof(in)) == 0, "hex round trip of 0..255");

	is_int(hex_decode("DEADBEEF", out, 4), 0, "hex_decode upper case");
	ok(memcmp(out, "\xde\xad\xbe\xef", 4) == 0, "... decodes");
	is_int(hex_decode("", out, 0), 0, "hex_decode of nothing");

	memcpy(out, "\x11\x22\x33\x44", 4);
	is_int(hex_decode("deadbee", out, 4), -1, "odd length refused");
	is_int(hex_decode("deadbeef00", out, 4), -1, "too long refused");
	is_int(hex_decode("deadbe", out, 4), -1, "too short refused");
	is_int(hex_decode("deadbeeg", out, 4), -1, "'g' refused");
	is_int(hex_decode("dead beef", out, 4), -1, "a space refused");
	is_int(hex_decode("-1adbeef", out, 4), -1, "a sign refused");
	is_int(hex_decode("dea\xff" "beef", out, 4), -1, "a high byte refused");
}

static void
check_err(void)
{
	struct dx_err e;
	char longmsg[1000], head[400];
	size_t i;

	memset(&e, 0, sizeof(e));
	is_int(dx_seterr(&e, DX_DATAERR, "bad %s at %d", "thing", 7), -1,
	    "dx_seterr returns -1");
	is_int(e.code, DX_DATAERR, "dx_seterr sets the code");
	is_str(e.msg, "bad thing at 7", "dx_seterr formats");
	is_int(dx_seterr(NULL, DX_DATAERR, "x"), -1, "dx_seterr(NULL) is -1");

	is_int(dx_prefix(&e, "%s:%d", "file.jsonl", 3), -1,
	    "dx_prefix returns -1");
	is_str(e.msg, "file.jsonl:3: bad thing at 7", "dx_prefix prefixes");
	is_int(e.code, DX_DATAERR, "dx_prefix keeps the code");
	dx_prefix(&e, "steps[0]");
	is_str(e.msg, "steps[0]: file.jsonl:3: bad thing at 7",
	    "dx_prefix twice");
	is_int(dx_prefix(NULL, "x"), -1, "dx_prefix(NULL) is -1");

	dx_seterr(&e, DX_DATAERR, "%s", "");
	dx_prefix(&e, "where");
	is_str(e.msg, "where: ", "dx_prefix of an empty message");

	/* a message longer than the buffer is truncated, NUL-terminated */
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	dx_seterr(&e, DX_IOERR, "%s", longmsg);
	is_int(strlen(e.msg), sizeof(e.msg) - 1, "dx_seterr truncates");
	dx_prefix(&e, "head");
	is_int(strlen(e.msg), sizeof(e.msg) - 1,
	    "dx_prefix of a full message stays within the buffer");
	ok(strncmp(e.msg, "head: mmm", 9) == 0, "... and starts with the head");
	ok(e.msg[sizeof(e.msg) - 2] == 'm', "... then the message, cut");

	/* a long head: cut to its own limit, the message still fits */
	memset(head, 'h', sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	dx_seterr(&e, DX_IOERR, "tail");
	dx_prefix(&e, "%s", head);
	ok(strlen(e.msg) < sizeof(e.msg), "dx_prefix of a long head fits");
	for (i = 0; e.msg[i] == 'h'; i++)
		;
	ok(i > 0 && strcmp(e.msg + i, ": tail") == 0,
	    "... as 'hhh...: tail' (%zu h)", i);

	dx_seterr(&e, DX_IOERR, "%s", longmsg);
	dx_prefix(&e, "%s", head);
	is_int(strlen(e.msg), sizeof(e.msg) - 1,
	    "a long head and a full message fill the buffer exactly");
}

/* a report's function: the messages into the buffer of its context */
static void
into(void *ctx, const char *msg)
{
	buf_adds(ctx, msg);
	buf_adds(ctx, "|");
}

static void
check_report(void)
{
	struct dx_buf got;
	struct dx_report r = { into, &got }, none = { NULL, &got };

	buf_init(&got);
	dx_report(&r, "line %d: %s", 3, "bad");
	dx_report(&r, "%s", "100%");
	is_str(got.buf, "line 3: bad|100%|",
	    "dx_report: formatted, to the report's context");
	dx_report(NULL, "dropped");
	dx_report(&none, "dropped");
	is_str(got.buf, "line 3: bad|100%|", "... none for no report or fn");
	buf_free(&got);
}

void
t_util(void)
{
	check_parse_int();
	check_buf();
	check_hex();
	check_err();
	check_report();
}
