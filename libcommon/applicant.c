/*
 * applicant.c: the rules an applicant record must meet.
 */
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "applicant.h"
#include "jsonl.h"
#include "util.h"

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
text_ok(const char *what, const char *s, size_t max, struct dx_err *e)
{
	const unsigned char *p;
	size_t len;
	long c;

	if (s == NULL)
		return 0;
	if (strlen(s) > max)
		return dx_seterr(e, DX_DATAERR, _("%s: longer than %zu bytes"),
		    what, max);
	for (p = (const unsigned char *)s; *p != '\0'; p += len) {
		if ((c = u8_next(p, &len)) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: not valid UTF-8"
			    " at byte %zu"), what,
			    (size_t)(p - (const unsigned char *)s) + 1);
		if (u8_refused(c))
			return dx_seterr(e, DX_DATAERR, _("%s: contains the"
			    " control character U+%04lX"), what,
			    (unsigned long)c);
	}
	return 0;
}

int
email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') != NULL && at[1] != '.' &&
	    s[strlen(s) - 1] != '.' && strpbrk(s, " \t,;<>") == NULL &&
	    strlen(s) <= 254;
}

int
phone_valid(const char *s)
{
	if (s[0] == '+' && s[1] == '8' && s[2] == '4')
		return s[3] != '0' && all_digits(s + 3, 9, 10);
	return s[0] == '0' && all_digits(s, 10, 11);
}

int
applicant_check(const json_t *rec, struct dx_buf *out, struct dx_err *e)
{
	static const char *const keys[] = {
		"type", "name", "id_number", "phone", "address", "email", NULL
	};
	static const char *const types[] = {
		"citizen", "enterprise", "organisation", "state_body", NULL
	};
	const json_t *a = json_object_get(rec, "applicant");
	const char *type, *name, *id, *phone, *address, *email;
	struct jw w;
	size_t i;

	if (a == NULL || json_is_null(a))
		return dx_seterr(e, DX_DATAERR, _("missing field 'applicant'"));
	if (!json_is_object(a))
		return dx_seterr(e, DX_DATAERR, _("field 'applicant' must be an"
		    " object"));
	if (jx_only(a, keys, NULL, e) == -1 ||
	    jx_str(a, "type", 0, &type, e) == -1 ||
	    jx_str(a, "name", JX_REQ, &name, e) == -1 ||
	    jx_str(a, "id_number", 0, &id, e) == -1 ||
	    jx_str(a, "phone", 0, &phone, e) == -1 ||
	    jx_str(a, "address", 0, &address, e) == -1 ||
	    jx_str(a, "email", 0, &email, e) == -1) {
		return dx_prefix(e, "applicant");
	}
	if (type == NULL)
		type = "citizen";
	for (i = 0; types[i] != NULL; i++)
		if (strcmp(type, types[i]) == 0)
			break;
	if (types[i] == NULL) {
		dx_seterr(e, DX_DATAERR,
		    _("applicant.type: unknown '%s' (citizen,"
		    " enterprise, organisation, state_body)"), type);
		return -1;
	}
	if (text_ok("applicant.name", name, 300, e) == -1 ||
	    text_ok("applicant.address", address, 1000, e) == -1)
		return -1;
	if (id != NULL && strcmp(type, "citizen") == 0 &&
	    !all_digits(id, 12, 12) && !all_digits(id, 9, 9)) {
		dx_seterr(e, DX_DATAERR,
		    _("applicant.id_number: '%s' is neither a"
		    " 12-digit citizen ID nor a 9-digit ID card number"), id);
		return -1;
	}
	if (id != NULL && strcmp(type, "citizen") != 0 &&
	    !all_digits(id, 9, 14)) {
		dx_seterr(e, DX_DATAERR, _("applicant.id_number: '%s' is not a"
		    " number of 9 to 14 digits"), id);
		return -1;
	}
	if (phone != NULL && !phone_valid(phone)) {
		dx_seterr(e, DX_DATAERR,
		    _("applicant.phone: '%s' is not a phone"
		    " number (0 and 9-10 digits, or +84 and 9-10 digits)"),
		    phone);
		return -1;
	}
	if (email != NULL && (text_ok("applicant.email", email, 254, e) == -1 ||
	    !email_valid(email))) {
		dx_seterr(e, DX_DATAERR,
		    _("applicant.email: '%s' is not an e-mail"
		    " address"), email);
		return -1;
	}
	buf_reset(out);
	jw_open(&w, out);
	jw_str(&w, "type", type);
	jw_str(&w, "name", name);
	jw_str(&w, "id_number", id);
	jw_str(&w, "phone", phone);
	jw_str(&w, "address", address);
	jw_str(&w, "email", email);
	jw_close(&w);
	return 0;
}
