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

int
rec_init(struct recbuilder *rb, struct db *db, struct calendar *cal,
    struct dx_err *e)
{
	rb->db = db;
	rb->cal = cal;
	rb->get = db_prepare(db, "SELECT d.uuid, d.code, d.ref, p.code,"
	    " p.version, p.name, p.field, d.unit, u.name, d.owner, d.channel,"
	    " d.status, d.step, s.name, d.handler, d.applicant, d.documents,"
	    " d.note, d.received_at, d.start_at, d.due_at, d.finished_at,"
	    " d.returned_at, p.time_amount, p.time_unit, p.remote_amount,"
	    " p.remote_unit, d.supplements, d.extensions, d.version"
	    " FROM dossiers d JOIN procedures p ON p.id = d.procedure_id"
	    " LEFT JOIN units u ON u.code = d.unit"
	    " LEFT JOIN procedure_steps s ON s.procedure_id = d.procedure_id"
	    " AND s.seq = d.step"
	    " WHERE d.id = ?", 1, e);
	return rb->get == NULL ? -1 : 0;
}

void
rec_free(struct recbuilder *rb)
{
	sqlite3_finalize(rb->get);
	rb->get = NULL;
}

void
rec_set_time(json_t *o, const char *key, const struct calendar *cal,
    sqlite3_stmt *st, int col)
{
	char buf[40];

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		json_object_set_new(o, key, json_null());
		return;
	}
	cal_format(cal, sqlite3_column_int64(st, col), buf);
	json_object_set_new(o, key, json_string(buf));
}

static json_t *
col_str(sqlite3_stmt *st, int col)
{
	return jx_strornull((const char *)sqlite3_column_text(st, col));
}

static json_t *
col_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, col));
}

static json_t *
col_json(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	json_t *v;

	if (t == NULL)
		return json_null();
	v = json_loads(t, JSON_DECODE_ANY, NULL);
	return v != NULL ? v : json_null();
}

static json_t *
col_amount(sqlite3_stmt *st, int acol, int ucol)
{
	double a;

	if (sqlite3_column_type(st, acol) == SQLITE_NULL)
		return json_null();
	a = sqlite3_column_double(st, acol);
	/* whole amounts print as integers: {"amount":5,...} */
	return json_pack("{s:o,s:s}", "amount", a == (double)(json_int_t)a ?
	    json_integer((json_int_t)a) : json_real(a),
	    "unit", (const char *)sqlite3_column_text(st, ucol));
}

json_t *
rec_dossier(struct recbuilder *rb, int64_t id, struct dx_err *e)
{
	sqlite3_stmt *st = rb->get;
	json_t *o;
	int rc, status;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			dx_seterr(e, DX_NOINPUT, "no dossier %lld", (long long)id);
		else
			db_seterr(rb->db, rc, e, rb->db->path);
		return NULL;
	}
	status = sqlite3_column_int(st, 11);
	o = json_object();
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "uuid", col_str(st, 0));
	json_object_set_new(o, "code", col_str(st, 1));
	json_object_set_new(o, "ref", col_str(st, 2));
	json_object_set_new(o, "procedure", col_str(st, 3));
	json_object_set_new(o, "procedure_version", col_int(st, 4));
	json_object_set_new(o, "procedure_name", col_str(st, 5));
	json_object_set_new(o, "field", col_str(st, 6));
	json_object_set_new(o, "unit", col_str(st, 7));
	json_object_set_new(o, "unit_name", col_str(st, 8));
	json_object_set_new(o, "owner", col_str(st, 9));
	json_object_set_new(o, "channel", col_str(st, 10));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "status_name", jx_strornull(status_name(status)));
	json_object_set_new(o, "step", col_int(st, 12));
	json_object_set_new(o, "step_name", col_str(st, 13));
	json_object_set_new(o, "handler", col_str(st, 14));
	json_object_set_new(o, "applicant", col_json(st, 15));
	json_object_set_new(o, "documents", col_json(st, 16));
	json_object_set_new(o, "note", col_str(st, 17));
	rec_set_time(o, "received_at", rb->cal, st, 18);
	rec_set_time(o, "start_at", rb->cal, st, 19);
	rec_set_time(o, "due_at", rb->cal, st, 20);
	rec_set_time(o, "finished_at", rb->cal, st, 21);
	rec_set_time(o, "returned_at", rb->cal, st, 22);
	json_object_set_new(o, "time", col_amount(st, 23, 24));
	json_object_set_new(o, "remote_extra", col_amount(st, 25, 26));
	json_object_set_new(o, "supplements", col_int(st, 27));
	json_object_set_new(o, "extensions", col_int(st, 28));
	json_object_set_new(o, "version", col_int(st, 29));
	sqlite3_reset(st);
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
