/*
 * applicant.h: the rules an applicant record must meet.
 *
 * One place for them, so that dossier-new and a bundle import check an
 * applicant the same way.  The fields (dossier(5), "Applications"):
 *
 *   type       citizen (default), enterprise, organisation, state_body
 *   name       required; no control character; at most 300 bytes
 *   id_number  citizen: 12 digits (citizen ID) or 9 (old ID card);
 *              others: 9 to 14 digits (tax or registration number)
 *   phone      0 and 9 or 10 more digits, or +84 and 9 or 10 digits
 *              not starting with 0
 *   address    no control character; at most 1000 bytes
 *   email      one '@', a dot in the domain, no blank or list separator;
 *              at most 254 bytes
 *
 * Every function is pure: no state, no allocation but `out`'s buffer.
 */
#ifndef DOSSIER_APPLICANT_H
#define DOSSIER_APPLICANT_H

#include <stddef.h>

#include <jansson.h>

#include "util.h"

/*
 * Check the member "applicant" of `rec` and write its canonical JSON
 * object (every key, null when absent, in the fixed order above, type
 * defaulted) to `out`, replacing its contents.  0, or -1 with e set
 * (DX_DATAERR) and a message naming the field: "applicant.phone: '12' is
 * not a phone number (...)".
 */
int applicant_check(const json_t *rec, struct dx_buf *out, struct dx_err *e);

/*
 * A free-text field, the one rule for every name that is printed: NULL
 * (absent) or at most `max` bytes of valid UTF-8 with no control
 * character: C0 (below U+0020), DEL, C1 (U+0080 to U+009F), nor a
 * mark or override that reorders text (U+061C, U+200E, U+200F, U+202A
 * to U+202E, U+2066 to U+2069).  0, or -1 with e set (DX_DATAERR,
 * "WHAT: contains the control character U+202E", "WHAT: not valid UTF-8
 * at byte N" or "WHAT: longer than MAX bytes").
 */
int text_ok(const char *what, const char *s, size_t max, struct dx_err *e);

/* 1 if s is a Vietnamese phone number as above, else 0. */
int phone_valid(const char *s);
/* 1 if s has the shape of an e-mail address as above, else 0. */
int email_valid(const char *s);

#endif
