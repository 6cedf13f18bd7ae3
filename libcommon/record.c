/*
 * record.c: the dossier record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "calendar.h"
#include "db.h"
#include "jsonl.h"
#include "record.h"
#include "util.h"

static const char *const names[] = {
	NULL, "submitted", "accepted", "refused", "processing",
	"supplement_requested", "fee_requested", "withdrawal_requested",
	"stopped", "finished", "returned"
};

const char *
status_name(int status)
{
	if (status < 1 || status > 10)
		return NULL;
	return names[status];
}

int
status_is_open(int status)
{
	return status == ST_ACCEPTED || status == ST_PROCESSING ||
	    status == ST_SUPPLEMENT || status == ST_FEE;
}

void
status_open_sql(struct dx_buf *out, const char *col)
{
	int st, n = 0;

	buf_adds(out, "(");
	for (st = 1; st <= 10; st++)
		if (status_is_open(st))
			buf_printf(out, "%s%s = %d", n++ ? " OR " : "", col, st);
	buf_adds(out, ")");
}

int
status_parse(const char *s)
{
	long long v;
	const char *errstr;
	int i;

	if (parse_int(s, 1, 10, &v, &errstr) == 0)
		return (int)v;
	for (i = 1; i <= 10; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char rec_columns_sql[] =
    "d.uuid, d.code, d.ref, p.code, p.version, p.name, p.field, d.unit,"
    " u.name, d.owner, d.channel, d.status, d.step, s.name, d.handler,"
    " d.applicant, d.documents, d.note, d.received_at, d.start_at,"
    " d.due_at, d.finished_at, d.returned_at, p.time_amount, p.time_unit,"
    " p.remote_amount, p.remote_unit, d.supplements, d.extensions,"
    " d.version, d.original_due_at, d.result";
#define REC_JOINS \
    " JOIN procedures p ON p.id = d.procedure_id" \
    " LEFT JOIN units u ON u.code = d.unit" \
    " LEFT JOIN procedure_steps s ON s.procedure_id = d.procedure_id" \
    " AND s.seq = d.step"
const char rec_joins_sql[] = REC_JOINS;
const char rec_from_sql[] = " FROM dossiers d" REC_JOINS;

int
rec_init(struct recbuilder *rb, struct db *db, struct calendar *cal,
    struct dx_err *e)
{
	struct dx_buf sql;

	rb->db = db;
	rb->cal = cal;
	buf_init(&sql);
	buf_adds(&sql, "SELECT ");
	buf_adds(&sql, rec_columns_sql);
	buf_adds(&sql, rec_from_sql);
	buf_adds(&sql, " WHERE d.id = ?");
	rb->get = db_prepare(db, sql.buf, 1, e);
	buf_free(&sql);
	return rb->get == NULL ? -1 : 0;
}

void
rec_free(struct recbuilder *rb)
{
	sqlite3_finalize(rb->get);
	rb->get = NULL;
}

static void
w_time(struct jw *w, const char *key, const struct calendar *cal, dx_time t)
{
	char buf[40];

	if (t == 0) {
		jw_null(w, key);
		return;
	}
	cal_format(cal, t, buf);
	jw_str(w, key, buf);
}

static void
w_amount(struct jw *w, const char *key, double amount, const char *unit)
{
	if (amount < 0 || unit == NULL) {
		jw_null(w, key);
		return;
	}
	jw_obj(w, key);
	jw_num(w, "amount", amount);
	jw_str(w, "unit", unit);
	jw_close(w);
}

void
rec_write(struct dx_buf *out, const struct rec_fields *f,
    const struct calendar *cal)
{
	struct jw w;

	jw_open(&w, out);
	jw_int(&w, "v", 1);
	jw_str(&w, "uuid", f->uuid);
	jw_str(&w, "code", f->code);
	jw_str(&w, "ref", f->ref);
	jw_str(&w, "procedure", f->procedure);
	jw_int(&w, "procedure_version", f->procedure_version);
	jw_str(&w, "procedure_name", f->procedure_name);
	jw_str(&w, "field", f->field);
	jw_str(&w, "unit", f->unit);
	jw_str(&w, "unit_name", f->unit_name);
	jw_str(&w, "owner", f->owner);
	jw_str(&w, "channel", f->channel);
	jw_int(&w, "status", f->status);
	jw_str(&w, "status_name", status_name(f->status));
	if (f->step > 0)
		jw_int(&w, "step", f->step);
	else
		jw_null(&w, "step");
	jw_str(&w, "step_name", f->step_name);
	jw_str(&w, "handler", f->handler);
	/* stored as compact JSON written by this toolkit */
	jw_raw(&w, "applicant", f->applicant);
	jw_raw(&w, "documents", f->documents);
	jw_str(&w, "note", f->note);
	w_time(&w, "received_at", cal, f->received_at);
	w_time(&w, "start_at", cal, f->start_at);
	w_time(&w, "due_at", cal, f->due_at);
	w_time(&w, "original_due_at", cal, f->original_due_at);
	w_time(&w, "finished_at", cal, f->finished_at);
	w_time(&w, "returned_at", cal, f->returned_at);
	jw_str(&w, "result", f->result);
	w_amount(&w, "time", f->time_amount, f->time_unit);
	w_amount(&w, "remote_extra", f->remote_amount, f->remote_unit);
	jw_int(&w, "supplements", f->supplements);
	jw_int(&w, "extensions", f->extensions);
	jw_int(&w, "version", f->version);
	jw_close(&w);
}

static const char *
c_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static dx_time
c_time(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, col);
}

static double
c_amount(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(st, col);
}

void
rec_fields_row(sqlite3_stmt *st, struct rec_fields *f)
{
	f->uuid = c_text(st, 0);
	f->code = c_text(st, 1);
	f->ref = c_text(st, 2);
	f->procedure = c_text(st, 3);
	f->procedure_version = sqlite3_column_int(st, 4);
	f->procedure_name = c_text(st, 5);
	f->field = c_text(st, 6);
	f->unit = c_text(st, 7);
	f->unit_name = c_text(st, 8);
	f->owner = c_text(st, 9);
	f->channel = c_text(st, 10);
	f->status = sqlite3_column_int(st, 11);
	f->step = sqlite3_column_int(st, 12);
	f->step_name = c_text(st, 13);
	f->handler = c_text(st, 14);
	f->applicant = c_text(st, 15);
	f->documents = c_text(st, 16);
	f->note = c_text(st, 17);
	f->received_at = c_time(st, 18);
	f->start_at = c_time(st, 19);
	f->due_at = c_time(st, 20);
	f->finished_at = c_time(st, 21);
	f->returned_at = c_time(st, 22);
	f->time_amount = c_amount(st, 23);
	f->time_unit = c_text(st, 24);
	f->remote_amount = c_amount(st, 25);
	f->remote_unit = c_text(st, 26);
	f->supplements = sqlite3_column_int(st, 27);
	f->extensions = sqlite3_column_int(st, 28);
	f->version = sqlite3_column_int(st, 29);
	f->original_due_at = c_time(st, 30);
	f->result = c_text(st, 31);
}

int
rec_dossier_text(struct recbuilder *rb, int64_t id, struct dx_buf *out,
    struct dx_err *e)
{
	sqlite3_stmt *st = rb->get;
	struct rec_fields f;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return dx_seterr(e, DX_NOINPUT, _("no dossier %lld"),
			    (long long)id);
		return db_seterr(rb->db, rc, e, rb->db->path);
	}
	rec_fields_row(st, &f);
	rec_write(out, &f, rb->cal);
	sqlite3_reset(st);
	return 0;
}

json_t *
rec_dossier(struct recbuilder *rb, int64_t id, struct dx_err *e)
{
	struct dx_buf b;
	json_error_t jerr;
	json_t *o;

	buf_init(&b);
	if (rec_dossier_text(rb, id, &b, e) == -1) {
		buf_free(&b);
		return NULL;
	}
	o = json_loadb(b.buf, b.len, 0, &jerr);
	if (o == NULL)
		dx_seterr(e, DX_DATAERR, _("dossier %lld: stored data is not"
		    " valid JSON: %s"), (long long)id, jerr.text);
	buf_free(&b);
	return o;
}

int
rec_find(struct db *db, const char *key, int64_t *id, struct dx_err *e)
{
	static const char *const q[] = {
		"SELECT id FROM dossiers WHERE code = ?",
		"SELECT id FROM dossiers WHERE uuid = ?",
		"SELECT id FROM dossiers WHERE ref = ?",
	};
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		if ((st = db_prepare(db, q[i], 0, e)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*id = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			return 1;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_seterr(db, rc, e, db->path);
	}
	return 0;
}

/* The book of `code`: its prefix "AGENCY-YY" (length *len) and year. */
static int
book_of(const char *code, size_t *len, int *year)
{
	const char *d = code != NULL ? strchr(code, '-') : NULL;

	if (d == NULL || d == code || strlen(d) < 7 ||
	    d[1] < '0' || d[1] > '9' || d[2] < '0' || d[2] > '9')
		return 0;
	*len = (size_t)(d - code) + 3;
	*year = 2000 + (d[1] - '0') * 10 + (d[2] - '0');
	return 1;
}

int
rec_book_line(struct db *db, struct rec_book *b, const char *code,
    int *year, long long *no, struct dx_err *e)
{
	size_t len;
	int rc, cont;
	char *prefix;

	if (!book_of(code, &len, year))
		return 0;
	prefix = xstrndup(code, len);
	/* from the line before, in the same book, else from the book's start */
	cont = b->prefix != NULL && strcmp(b->prefix, prefix) == 0 &&
	    strcmp(b->code, code) < 0;
	if (b->count == NULL && (b->count = db_prepare(db,
	    "SELECT count(*) FROM dossiers WHERE code > ?1 AND code <= ?2"
	    " AND substr(code, 1, length(?3)) = ?3", 0, e)) == NULL) {
		free(prefix);
		return -1;
	}
	if ((rc = sqlite3_bind_text(b->count, 1, cont ? b->code : prefix, -1,
	    SQLITE_TRANSIENT)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(b->count, 2, code, -1,
	    SQLITE_TRANSIENT)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(b->count, 3, prefix, -1,
	    SQLITE_TRANSIENT)) != SQLITE_OK ||
	    (rc = sqlite3_step(b->count)) != SQLITE_ROW) {
		sqlite3_reset(b->count);
		free(prefix);
		return db_seterr(db, rc, e, db->path);
	}
	*no = sqlite3_column_int64(b->count, 0) + (cont ? b->no : 0);
	sqlite3_reset(b->count);
	free(b->prefix);
	free(b->code);
	b->prefix = prefix;
	b->code = xstrdup(code);
	b->no = *no;
	return 1;
}

void
rec_book_free(struct rec_book *b)
{
	sqlite3_finalize(b->count);
	free(b->prefix);
	free(b->code);
	memset(b, 0, sizeof(*b));
}
