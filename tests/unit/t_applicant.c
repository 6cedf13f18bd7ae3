/*
 * t_applicant.c: the applicant rules, as dossier-new and a bundle import
 * apply them.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "applicant.h"
#include "util.h"

void t_applicant(void);

/* applicant_check() of the JSON text `s`; the message or canonical form. */
static const char *
check(const char *s, int *rc)
{
	static char msg[600];
	struct dx_buf out;
	struct dx_err e;
	json_t *rec = json_loads(s, 0, NULL);

	buf_init(&out);
	if (rec == NULL) {
		*rc = -2;
		return "(bad test JSON)";
	}
	e.code = 0;
	*rc = applicant_check(rec, &out, &e);
	if (*rc == 0)
		snprintf(msg, sizeof(msg), "%s", out.buf);
	else
		snprintf(msg, sizeof(msg), "%d %s", e.code, e.msg);
	json_decref(rec);
	buf_free(&out);
	return msg;
}

static const struct {
	const char *in;
	int rc;
	const char *want;	/* canonical form, or "CODE message" */
} cases[] = {
	{ "{\"applicant\":{\"name\":\"Nguyễn Văn An\"}}", 0,
	  "{\"type\":\"citizen\",\"name\":\"Nguyễn Văn An\",\"id_number\":null,"
	  "\"phone\":null,\"address\":null,\"email\":null}" },
	{ "{\"applicant\":{\"email\":\"a@b.vn\",\"phone\":\"+84912345678\","
	  "\"id_number\":\"001090000001\",\"address\":\"Hà Nội\","
	  "\"name\":\"An\",\"type\":\"citizen\"}}", 0,
	  "{\"type\":\"citizen\",\"name\":\"An\",\"id_number\":\"001090000001\","
	  "\"phone\":\"+84912345678\",\"address\":\"Hà Nội\","
	  "\"email\":\"a@b.vn\"}" },
	{ "{\"applicant\":{\"name\":\"X\",\"type\":\"enterprise\","
	  "\"id_number\":\"0101234567\"}}", 0,
	  "{\"type\":\"enterprise\",\"name\":\"X\",\"id_number\":\"0101234567\","
	  "\"phone\":null,\"address\":null,\"email\":null}" },
	{ "{}", -1, "65 missing field 'applicant'" },
	{ "{\"applicant\":null}", -1, "65 missing field 'applicant'" },
	{ "{\"applicant\":[]}", -1,
	  "65 field 'applicant' must be an object" },
	{ "{\"applicant\":{}}", -1, "65 applicant: missing field 'name'" },
	{ "{\"applicant\":{\"name\":\"A\",\"age\":3}}", -1,
	  "65 applicant: unknown field 'age'" },
	{ "{\"applicant\":{\"name\":\"A\",\"type\":\"robot\"}}", -1,
	  "65 applicant.type: unknown 'robot' (citizen, enterprise,"
	  " organisation, state_body)" },
	{ "{\"applicant\":{\"name\":\"A\\u0007\"}}", -1,
	  "65 applicant.name: contains the control character U+0007" },
	{ "{\"applicant\":{\"name\":\"A\",\"address\":\"\\u007f\"}}", -1,
	  "65 applicant.address: contains the control character U+007F" },
	{ "{\"applicant\":{\"name\":\"A\",\"id_number\":\"12345678901\"}}", -1,
	  "65 applicant.id_number: '12345678901' is neither a 12-digit"
	  " citizen ID nor a 9-digit ID card number" },
	{ "{\"applicant\":{\"name\":\"A\",\"id_number\":\"123456789\"}}", 0,
	  "{\"type\":\"citizen\",\"name\":\"A\",\"id_number\":\"123456789\","
	  "\"phone\":null,\"address\":null,\"email\":null}" },
	{ "{\"applicant\":{\"name\":\"A\",\"type\":\"state_body\","
	  "\"id_number\":\"12345678\"}}", -1,
	  "65 applicant.id_number: '12345678' is not a number of 9 to 14"
	  " digits" },
	{ "{\"applicant\":{\"name\":\"A\",\"phone\":\"912345678\"}}", -1,
	  "65 applicant.phone: '912345678' is not a phone number (0 and"
	  " 9-10 digits, or +84 and 9-10 digits)" },
	{ "{\"applicant\":{\"name\":\"A\",\"email\":\"a@b\"}}", -1,
	  "65 applicant.email: 'a@b' is not an e-mail address" },
};

void
t_applicant(void)
{
	struct dx_err e;
	char longname[302];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = check(cases[i].in, &rc);

		ok(rc == cases[i].rc, "case %zu: returns %d", i, cases[i].rc);
		is_str(got, cases[i].want, "case %zu: %s", i, cases[i].in);
	}

	ok(phone_valid("0912345678") && phone_valid("02438123456"),
	    "phones: 10 and 11 digits from 0");
	ok(phone_valid("+84912345678") && phone_valid("+842438123456"),
	    "phones: +84 and 9 or 10 digits");
	ok(!phone_valid("+840912345678") && !phone_valid("091234567") &&
	    !phone_valid("091234567890") && !phone_valid("09123a5678") &&
	    !phone_valid("") && !phone_valid("+84"),
	    "not phones: +84 0, too short, too long, a letter, empty");
	ok(email_valid("an.nv@hanoi.gov.vn"), "an e-mail address");
	ok(!email_valid("@b.vn") && !email_valid("a@@b.vn") &&
	    !email_valid("a@.vn") && !email_valid("a@b.vn.") &&
	    !email_valid("a b@c.vn") && !email_valid("a@b.vn;c@d.vn") &&
	    !email_valid("a@b@c.vn"),
	    "not e-mail addresses: no local part, two @, dots, blanks, lists");

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ok(text_ok("f", NULL, 0, &e) == 0, "text_ok: an absent field");
	ok(text_ok("f", longname + 1, 300, &e) == 0, "text_ok: 300 bytes");
	e.code = 0;
	ok(text_ok("f", longname, 300, &e) == -1 && e.code == DX_DATAERR &&
	    strcmp(e.msg, "f: longer than 300 bytes") == 0,
	    "text_ok: 301 bytes, named");
	ok(text_ok("f", "Tiếng Việt", 300, &e) == 0,
	    "text_ok: UTF-8 is not control");
	ok(text_ok("f", "a\tb", 300, &e) == -1 &&
	    strcmp(e.msg, "f: contains the control character U+0009") == 0,
	    "text_ok: a tab is, named");
	ok(text_ok("f", "a\x7f" "b", 300, &e) == -1, "text_ok: DEL");
	ok(text_ok("f", "a\xc2\x85" "b", 300, &e) == -1 &&
	    strcmp(e.msg, "f: contains the control character U+0085") == 0,
	    "text_ok: C1 NEL, named");
	ok(text_ok("f", "a\xc2\x80", 300, &e) == -1 &&
	    text_ok("f", "a\xc2\x9f", 300, &e) == -1 &&
	    text_ok("f", "a\xc2\xa0", 300, &e) == 0,
	    "text_ok: C1 is U+0080 to U+009F, not U+00A0");
	ok(text_ok("f", "\xe2\x80\xae" "abc", 300, &e) == -1 &&
	    strcmp(e.msg, "f: contains the control character U+202E") == 0,
	    "text_ok: RIGHT-TO-LEFT OVERRIDE, named");
	ok(text_ok("f", "\xe2\x80\xaa", 300, &e) == -1 &&
	    text_ok("f", "\xe2\x81\xa6", 300, &e) == -1 &&
	    text_ok("f", "\xe2\x81\xa9", 300, &e) == -1 &&
	    text_ok("f", "\xe2\x80\x8e", 300, &e) == -1 &&
	    text_ok("f", "\xe2\x80\x8f", 300, &e) == -1 &&
	    text_ok("f", "\xd8\x9c", 300, &e) == -1,
	    "text_ok: LRE, LRI, PDI, LRM, RLM and ALM");
	ok(text_ok("f", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5"
	    "\xe2\x81\xaa\xe2\x80\x8d\xd8\x9b", 300, &e) == 0,
	    "text_ok: their neighbours are text");
	ok(text_ok("f", "a\xff", 300, &e) == -1 &&
	    strcmp(e.msg, "f: not valid UTF-8 at byte 2") == 0,
	    "text_ok: a byte that is not UTF-8, named");
	ok(text_ok("f", "\xc0\xae", 300, &e) == -1 &&
	    text_ok("f", "\xe0\x80\xae", 300, &e) == -1 &&
	    text_ok("f", "\xed\xa0\x80", 300, &e) == -1 &&
	    text_ok("f", "\xe2\x80", 300, &e) == -1,
	    "text_ok: overlong, surrogate and cut-short sequences");
}
