/*
 * forms.h: the printable forms of Circular 01/2018/TT-VPCP and their
 * Circular 03/2025/TT-VPCP equivalents (listed in the project's domain
 * notes, which are kept outside this repository), rendered from a dossier
 * record (record.h) as plain text or as HTML.
 *
 * A form is built as a document (doc.h) and rendered by its renderers.
 * Plain text is UTF-8 for a receipt printer: no line is longer than
 * FORM_TEXT_WIDTH display columns (u8_width(): a combining mark takes
 * none; long values wrap with an indent), and forms are separated by a
 * line holding a form feed ("\f\n").
 *
 * HTML is one self-contained page (inline CSS, no external resources):
 * A5 pages for forms 01-05, A4 for 06 and A4 landscape for 07 (CSS
 * named pages), a page break between forms, every data string escaped
 * (& < > " ').
 *
 * The numbering of enum form_kind follows TT 03/2025 Annex I (05 the
 * stop notice, 06 the control slip, 07 the register book).  What a form
 * prints, its number ("Mẫu số 05 - Thông tư 01/2018/TT-VPCP") and title,
 * follows one set: TT 03/2025's for a dossier received from the day of
 * that circular, 15/09/2025, TT 01/2018 Art. 9's before it (where 05 is
 * the control slip, 06 the register book, and 04 "Phiếu xin lỗi và hẹn
 * lại ngày trả kết quả" rather than "Văn bản xin lỗi và đề nghị gia hạn
 * thời gian giải quyết").  TT 01/2018 has no stop notice: form 05 of TT
 * 03/2025 is printed for every dossier.
 *
 * Inputs: `dossier` is a record as built by rec_dossier(); times in it
 * are RFC 3339 strings and print as "09 giờ 00 phút, ngày 12/03/2026" in
 * the calendar's local time.  It must have "code" (but for form 02, whose
 * guidance at the counter comes before a dossier) and "applicant.name".
 * `info` is an object of form data (may be NULL for form 01); keys:
 *
 *   all forms   office_name, parent_name (the two header lines),
 *               staff_name (the officer who signs), place and date
 *               (RFC 3339 or YYYY-MM-DD) for "Place, ngày D tháng M năm Y";
 *               without a date the line keeps dots, except on form 01,
 *               where it defaults to the dossier's received_at
 *   01 receipt  sets (number of sets, default 1), lookup (where to look
 *               the dossier up: a portal address or a phone number),
 *               register_book (string) and register_no (integer > 0),
 *               the dossier's line in the register book (dots if not
 *               given); accepted_at (RFC 3339), when an online submission
 *               was accepted: for channel "online" the form prints the
 *               submission time, accepted_at and the dossier's start_at
 *               (the start of the clock); form 01 is dated accepted_at,
 *               else received_at.  Each of "documents" may give how many
 *               originals, certified copies and copies were handed in
 *               ("original", "certified_copy", "copy": integers 0-999)
 *   02          reason (required), missing (array of document names),
 *               requested_at
 *   03          reason (required); stage: "appraisal" for the refusal
 *               after appraisal (Decree 61/2018 Art. 19(8), "Phiếu từ
 *               chối giải quyết hồ sơ", signed for the competent body),
 *               else the refusal at receipt
 *   04          reason (required), new_due_at (required), old_due_at
 *               (default: the dossier's due_at)
 *   05          reason (required), requested_by: "applicant" (default,
 *               a withdrawal) or "appraisal"
 *   06          steps: array of {from_unit, to_unit, handed_at, due_at,
 *               result ("early", "on_time", "late" or null),
 *               handler_name, note}; without steps, four blank rows are
 *               printed for filling in by hand
 *
 *   07 register  form_register(): see there
 *
 * Ownership: the writer borrows `fp`, which the caller closes; all JSON
 * arguments are borrowed.
 */
#ifndef DOSSIER_FORMS_H
#define DOSSIER_FORMS_H

#include <stdio.h>

#include <jansson.h>

#include "calendar.h"
#include "doc.h"
#include "util.h"

#define FORM_TEXT_WIDTH DOC_TEXT_WIDTH	/* display columns (doc.h) */

enum form_format {
	FORM_TEXT,
	FORM_HTML
};

/*
 * 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả
 * 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
 * 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
 * 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả
 * 05 Thông báo dừng giải quyết hồ sơ (TT 03/2025)
 * 06 Phiếu kiểm soát quá trình giải quyết hồ sơ (A4)
 * 07 Sổ theo dõi hồ sơ (A4), the register book
 */
enum form_kind {
	FORM_RECEIPT = 1,
	FORM_SUPPLEMENT = 2,
	FORM_REFUSAL = 3,
	FORM_APOLOGY = 4,
	FORM_STOP = 5,
	FORM_TRACKING = 6,
	FORM_REGISTER = 7
};

/* The two sets of forms, and the day the newer applies from. */
#define FORM_TT01_2018 1
#define FORM_TT03_2025 2
#define FORM_TT03_2025_Y 2025
#define FORM_TT03_2025_M 9
#define FORM_TT03_2025_D 15

/* The set of forms for a dossier received at `t` (office local day). */
int form_circular(const struct calendar *cal, dx_time t);

/*
 * The number form `kind` has in set `circular` ("05" for FORM_TRACKING
 * in FORM_TT01_2018), or NULL for an unknown kind or set.  A form the
 * set lacks (the stop notice in TT 01/2018) has its TT 03/2025 number.
 */
const char *form_number(enum form_kind kind, int circular);

/* A writer: its format, the borrowed FILE * and the forms written. */
struct form_writer;

/*
 * Start a document on `fp` (borrowed, not closed by the writer).  Nothing
 * is written yet: the HTML head, whose default page size follows the
 * first form, is written with the first form.  Returns a new writer to be
 * ended with form_close(), or NULL if `fp` is NULL or `fmt` unknown.
 */
struct form_writer *form_open(FILE *fp, enum form_format fmt);

/*
 * Render form `kind` for `dossier` with the form data `info` (see above),
 * formatting times with `cal`, and write it.  The whole form is built
 * before anything is written, so a data error writes nothing.  Returns 0,
 * or -1 with e set: DX_DATAERR if a needed field is missing or malformed
 * (message names the field), DX_SOFTWARE for an unknown kind, DX_IOERR
 * on a write error.
 */
int form_write(struct form_writer *w, enum form_kind kind,
    const json_t *dossier, const json_t *info, const struct calendar *cal,
    struct dx_err *e);

/*
 * Write the register book (form 07, A4 landscape) of the dossiers
 * `dossiers`, an array of records as for form_write() in the order of
 * the book, each
 * with "register_no", its line number in the book (else its place in
 * the array is printed).  `info`: the header keys above, and "from" and
 * "to" (RFC 3339 or YYYY-MM-DD), the period, whose start chooses the
 * set of forms.  The book has no dossier code; it prints one line per
 * dossier: code, procedure, applicant, address and phone, unit, times
 * received, due and returned, the stored result (early, on time, late),
 * a blank for the signature and the status as a note.  Returns as
 * form_write() does.
 */
int form_register(struct form_writer *w, const json_t *dossiers,
    const json_t *info, const struct calendar *cal, struct dx_err *e);

/*
 * End the document (HTML: close body and html; with no form written, an
 * empty but complete page), flush `fp` and free `w` (NULL is allowed).
 * Returns 0, or -1 with e set to DX_IOERR if any write failed (ferror).
 */
int form_close(struct form_writer *w, struct dx_err *e);

/*
 * The Vietnamese title of a form ("Giấy tiếp nhận hồ sơ..."), or NULL.
 * Only the unit tests call it; the renderers print the title themselves.
 */
const char *form_name(enum form_kind kind);

/*
 * A form from its number ("01".."07" or "1".."7", as enum form_kind) or
 * its name ("receipt", "supplement", "refusal", "apology", "stop",
 * "tracking", "register"); -1 if unknown.
 */
int form_parse(const char *s);

#endif
