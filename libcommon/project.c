/*
 * project.c: fold events into dossier rows, and verify the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "db.h"
#include "project.h"
#include "util.h"

const char *const project_columns[] = {
	"uuid", "code", "ref", "procedure", "procedure_version", "unit",
	"owner", "channel",
	"status", "step", "step_at", "step_due_at", "handler", "applicant",
	"documents", "note",
	"received_at", "start_at", "due_at", "paused_at", "paused_total",
	"finished_at", "returned_at", "supplements", "extensions", "version",
	"original_due_at", "late", "result",
	NULL
};

/* Columns a receive event must carry; the rest start at their defaults. */
static const char *const receive_columns[] = {
	"uuid", "code", "ref", "procedure", "procedure_version", "unit",
	"owner", "channel",
	"status", "applicant", "documents", "note", "received_at",
	"start_at", "due_at", NULL
};

static int
is_column(const char *key)
{
	size_t i;

	for (i = 0; project_columns[i] != NULL; i++)
		if (strcmp(key, project_columns[i]) == 0)
			return 1;
	return 0;
}

/* The local day of a time at `utc_offset` seconds east of UTC. */
static json_int_t
local_day(json_int_t t, int utc_offset)
{
	json_int_t s = t + utc_offset;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/*
 * The result of an end event written before results were stored (no
 * "result" in its "after"): what migration 4 gives such a dossier.
 */
static void
legacy_result(json_t *state, const char *action, int utc_offset)
{
	const json_t *f = json_object_get(state, "finished_at");
	const json_t *d = json_object_get(state, "due_at");
	json_int_t a, b;
	const char *r;

	if (strcmp(action, "stop") == 0 || !json_is_integer(d))
		r = "on_time";
	else if (!json_is_integer(f))
		return;
	else {
		a = local_day(json_integer_value(f), utc_offset);
		b = local_day(json_integer_value(d), utc_offset);
		r = a < b ? "early" : a == b ? "on_time" : "late";
	}
	json_object_set_new(state, "result", json_string(r));
}

int
project_apply(json_t *state, const char *action, const json_t *payload,
    int utc_offset, struct dx_err *e)
{
	const json_t *after, *v;
	const char *key;
	size_t i;

	if (!json_is_object(payload))
		return dx_seterr(e, DX_DATAERR, _("%s: payload is not an"
		    " object"),
		    action);
	/* guidance before receipt (dossier-new --guide) changes no row */
	if (strcmp(action, "guide") == 0)
		return 0;
	if (strcmp(action, "receive") == 0) {
		if (json_object_size(state) != 0)
			return dx_seterr(e, DX_DATAERR, _("receive of a dossier"
			    " that already exists"));
		for (i = 0; receive_columns[i] != NULL; i++) {
			v = json_object_get(payload, receive_columns[i]);
			if (v == NULL)
				return dx_seterr(e, DX_DATAERR, _("receive: no"
				    " '%s'"),
				    receive_columns[i]);
			json_object_set(state, receive_columns[i], (json_t *)v);
		}
		json_object_set_new(state, "step", json_null());
		json_object_set_new(state, "step_at", json_null());
		json_object_set_new(state, "step_due_at", json_null());
		json_object_set_new(state, "handler", json_null());
		json_object_set_new(state, "paused_at", json_null());
		json_object_set_new(state, "paused_total", json_integer(0));
		json_object_set_new(state, "finished_at", json_null());
		json_object_set_new(state, "returned_at", json_null());
		json_object_set_new(state, "supplements", json_integer(0));
		json_object_set_new(state, "extensions", json_integer(0));
		json_object_set_new(state, "version", json_integer(1));
		v = json_object_get(payload, "original_due_at");
		json_object_set(state, "original_due_at", v != NULL ?
		    (json_t *)v : json_object_get(state, "due_at"));
		json_object_set_new(state, "late", json_integer(0));
		json_object_set_new(state, "result", json_null());
		return 0;
	}
	if (json_object_size(state) == 0)
		return dx_seterr(e, DX_DATAERR, _("%s before the dossier was"
		    " received"), action);
	after = json_object_get(payload, "after");
	if (!json_is_object(after))
		return dx_seterr(e, DX_DATAERR, _("%s: no 'after'"
		    " object"), action);
	json_object_foreach((json_t *)after, key, v) {
		if (!is_column(key))
			return dx_seterr(e, DX_DATAERR, _("%s: unknown column"
			    " '%s'"),
			    action, key);
		json_object_set(state, key, (json_t *)v);
	}
	/* events written before original_due_at was stored: it follows
	 * every due time but an extension's */
	v = json_object_get(after, "due_at");
	if (v != NULL && json_object_get(after, "original_due_at") == NULL &&
	    strcmp(action, "extend") != 0)
		json_object_set(state, "original_due_at", (json_t *)v);
	if ((strcmp(action, "finish") == 0 || strcmp(action, "reject") == 0 ||
	    strcmp(action, "stop") == 0) &&
	    json_object_get(after, "result") == NULL)
		legacy_result(state, action, utc_offset);
	return 0;
}

/* The row's value of column i as JSON (text columns holding JSON parsed). */
static json_t *
column_json(sqlite3_stmt *st, int i, const char *name)
{
	const char *t;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	default:
		t = (const char *)sqlite3_column_text(st, i);
		if (strcmp(name, "applicant") == 0 ||
		    strcmp(name, "documents") == 0) {
			json_t *v = json_loads(t, JSON_DECODE_ANY, NULL);

			return v != NULL ? v : json_string(t);
		}
		return json_string(t);
	}
}

/* Compare, reporting the first column that differs; 1 if equal. */
static int
same(sqlite3_stmt *row, const json_t *state, const char *uuid,
    const struct dx_report *report, const char *why)
{
	char msg[1024];
	json_t *v;
	size_t i;
	int eq;

	if (why != NULL) {
		snprintf(msg, sizeof(msg), "dossier %s: events do not replay:"
		    " %s", uuid, why);
		dx_report(report, "%s", msg);
		return 0;
	}
	for (i = 0; project_columns[i] != NULL; i++) {
		v = column_json(row, (int)i, project_columns[i]);
		eq = json_equal(v, json_object_get(state, project_columns[i]));
		json_decref(v);
		if (!eq) {
			snprintf(msg, sizeof(msg), "dossier %s: column '%s'"
			    " differs from what its events say", uuid,
			    project_columns[i]);
			dx_report(report, "%s", msg);
			return 0;
		}
	}
	return 1;
}

static int
office_offset(struct db *db, int *offset, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT utc_offset FROM office", 0, e)) ==
	    NULL)
		return -1;
	rc = sqlite3_step(st);
	*offset = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

long
project_verify(struct db *db, const struct dx_report *report,
    long *ndossiers, struct dx_err *e)
{
	sqlite3_stmt *rows, *evs;
	struct dx_buf sql;
	struct dx_err le;
	json_t *state, *payload;
	const char *uuid, *why;
	char msg[sizeof(le.msg)];
	size_t i;
	int rc, erc, offset;
	long bad = 0;

	*ndossiers = 0;
	buf_init(&sql);
	/* a constant list of column names, not data */
	buf_adds(&sql, "SELECT ");
	for (i = 0; project_columns[i] != NULL; i++) {
		if (strcmp(project_columns[i], "procedure") == 0)
			buf_adds(&sql, ", p.code");
		else if (strcmp(project_columns[i], "procedure_version") == 0)
			buf_adds(&sql, ", p.version");
		else
			buf_printf(&sql, "%sd.%s", i ? ", " : "",
			    project_columns[i]);
	}
	buf_adds(&sql, " FROM dossiers d JOIN procedures p"
	    " ON p.id = d.procedure_id ORDER BY d.uuid");
	rows = db_prepare(db, sql.buf, 0, e);
	buf_free(&sql);
	if (rows == NULL)
		return -1;
	evs = db_prepare(db, "SELECT action, payload FROM events"
	    " WHERE dossier = ? ORDER BY id", 0, e);
	if (evs == NULL) {
		sqlite3_finalize(rows);
		return -1;
	}
	if (office_offset(db, &offset, e) == -1) {
		sqlite3_finalize(rows);
		sqlite3_finalize(evs);
		return -1;
	}
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		(*ndossiers)++;
		uuid = (const char *)sqlite3_column_text(rows, 0);
		state = json_object();
		why = NULL;
		sqlite3_bind_text(evs, 1, uuid, -1, SQLITE_TRANSIENT);
		while ((erc = sqlite3_step(evs)) == SQLITE_ROW) {
			payload = json_loads((const char *)
			    sqlite3_column_text(evs, 1), 0, NULL);
			if (why == NULL && project_apply(state,
			    (const char *)sqlite3_column_text(evs, 0), payload,
			    offset, &le) == -1) {
				memcpy(msg, le.msg, sizeof(msg));
				why = msg;
			}
			json_decref(payload);
		}
		sqlite3_reset(evs);
		if (erc != SQLITE_DONE) {
			json_decref(state);
			sqlite3_finalize(rows);
			sqlite3_finalize(evs);
			return db_seterr(db, erc, e, db->path);
		}
		if (why == NULL && json_object_size(state) == 0)
			why = "no receive event";
		if (!same(rows, state, uuid, report, why))
			bad++;
		json_decref(state);
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(evs);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return bad;
}
