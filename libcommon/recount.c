/*
 * recount.c: recount the open dossiers after a calendar change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "calendar.h"
#include "catalog.h"
#include "db.h"
#include "events.h"
#include "jsonl.h"
#include "record.h"
#include "recount.h"
#include "util.h"

/* An open dossier, as the recount needs it. */
struct orow {
	int64_t id;
	char uuid[40];
	int64_t proc;
	char unit[32];
	int step;
	dx_time step_at, step_due_at, start_at, due_at;
	int extensions, version;
	dx_time new_due, new_step_due;
};

/* A budget: an amount of a unit, and the remote extra (0: none). */
struct bgt {
	double amount;
	int unit;
	double ramount;
	int runit;
};

static int
add_budget(struct calendar *cal, dx_time start, const struct bgt *b,
    dx_time *due)
{
	if (cal_add(cal, start, b->amount, (enum time_unit)b->unit,
	    due) == -1)
		return -1;
	if (b->ramount > 0 && cal_add(cal, *due, b->ramount,
	    (enum time_unit)b->runit, due) == -1)
		return -1;
	return 0;
}

/*
 * The due time of budget `b` from `start` under `cal`, given `old_due`
 * under `old`: the budget counted again, plus the paused time the old due
 * time carried beyond the old budget's end.  0, or -1 (keep the old one).
 */
static int
recompute(struct calendar *old, struct calendar *cal, dx_time start,
    const struct bgt *b, dx_time old_due, dx_time *due)
{
	dx_time end_old, end_new;
	int64_t w;

	if (add_budget(old, start, b, &end_old) == -1 ||
	    add_budget(cal, start, b, &end_new) == -1)
		return -1;
	if (b->unit == TU_DAYS) {
		/* the days paused move the last day, which ends at the close
		 * of office hours of a working day (flow.c, resume()) */
		w = cal_local_day(old, old_due) - cal_local_day(old, end_old);
		if (w > 0 && cal_add(cal, end_new, (double)w, TU_DAYS,
		    &end_new) == -1)
			return -1;
		*due = end_new;
		return 0;
	}
	w = cal_elapsed(old, end_old, old_due);
	if (w > 0 && cal_add(cal, end_new, (double)w / 3600.0, TU_HOURS,
	    &end_new) == -1)
		return -1;
	*due = end_new;
	return 0;
}

static dx_time
col_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, i);
}

static void
col_str(char *dst, size_t n, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	snprintf(dst, n, "%s", s != NULL ? s : "");
}

/*
 * The open dossiers with a due time that office `owner` owns (only the
 * owner changes a dossier: the others hold copies it sends them), in a
 * new array.
 */
static struct orow *
load_rows(struct db *db, const char *owner, size_t *n, struct dx_err *e)
{
	struct dx_buf sql;
	sqlite3_stmt *st;
	struct orow *v = NULL, *r;
	int rc;

	*n = 0;
	buf_init(&sql);
	buf_adds(&sql, "SELECT id, uuid, procedure_id, unit, step, step_at,"
	    " step_due_at, start_at, due_at, extensions, version"
	    " FROM dossiers WHERE ");
	status_open_sql(&sql, "status");
	buf_adds(&sql, " AND owner = ? AND"
	    " (due_at IS NOT NULL OR step_due_at IS NOT NULL) ORDER BY id");
	st = db_prepare(db, sql.buf, 0, e);
	buf_free(&sql);
	if (st == NULL)
		return NULL;
	if ((rc = sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC)) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		db_seterr(db, rc, e, db->path);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof(*v));
		r = &v[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		col_str(r->uuid, sizeof(r->uuid), st, 1);
		r->proc = sqlite3_column_int64(st, 2);
		col_str(r->unit, sizeof(r->unit), st, 3);
		r->step = sqlite3_column_int(st, 4);
		r->step_at = col_time(st, 5);
		r->step_due_at = col_time(st, 6);
		r->start_at = col_time(st, 7);
		r->due_at = col_time(st, 8);
		r->extensions = sqlite3_column_int(st, 9);
		r->version = sqlite3_column_int(st, 10);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		db_seterr(db, rc, e, db->path);
		return NULL;
	}
	if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	return v;
}

/* Read a budget (amount, unit[, remote amount, remote unit]) at column 0. */
static int
read_budget(sqlite3_stmt *st, struct bgt *b, int remote)
{
	memset(b, 0, sizeof(*b));
	b->amount = sqlite3_column_double(st, 0);
	b->unit = time_unit_parse((const char *)sqlite3_column_text(st, 1));
	if (b->unit < 0)
		return -1;
	if (remote && sqlite3_column_type(st, 2) != SQLITE_NULL) {
		b->ramount = sqlite3_column_double(st, 2);
		b->runit = time_unit_parse((const char *)
		    sqlite3_column_text(st, 3));
		if (b->runit < 0)
			return -1;
	}
	return 0;
}

/* Step one statement expecting a row: 1 row, 0 none, -1 error. */
static int
one_row(struct db *db, sqlite3_stmt *st, struct dx_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_seterr(db, rc, e, db->path);
	return -1;
}

/* Compute r->new_due and r->new_step_due; 1 if either changed. */
static int
recount_row(struct db *db, struct calendar *old, struct calendar *cal,
    sqlite3_stmt *proc, sqlite3_stmt *step, struct unitinfo *units,
    size_t nunits, struct orow *r, struct dx_err *e)
{
	struct unitinfo *u;
	struct bgt b;
	int rc;

	r->new_due = r->due_at;
	r->new_step_due = r->step_due_at;
	if (r->due_at != 0 && r->start_at != 0 && r->extensions == 0) {
		u = units_find(units, nunits, r->unit);
		if ((rc = sqlite3_bind_int64(proc, 1, r->proc)) != SQLITE_OK)
			return db_seterr(db, rc, e, db->path);
		rc = one_row(db, proc, e);
		if (rc == 1 && read_budget(proc, &b, u != NULL &&
		    u->remote) == 0)
			recompute(old, cal, r->start_at, &b, r->due_at,
			    &r->new_due);
		sqlite3_reset(proc);
		if (rc == -1)
			return -1;
	}
	if (r->step_due_at != 0 && r->step_at != 0 && r->step > 0) {
		if ((rc = sqlite3_bind_int64(step, 1, r->proc)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int(step, 2, r->step)) != SQLITE_OK)
			return db_seterr(db, rc, e, db->path);
		rc = one_row(db, step, e);
		if (rc == 1 && read_budget(step, &b, 0) == 0)
			recompute(old, cal, r->step_at, &b, r->step_due_at,
			    &r->new_step_due);
		sqlite3_reset(step);
		if (rc == -1)
			return -1;
	}
	return r->new_due != r->due_at || r->new_step_due != r->step_due_at;
}

/* The changed columns of r, before (pick 0) or after (pick 1). */
static void
diff(struct jw *w, const char *which, const struct orow *r, int pick)
{
	jw_obj(w, which);
	if (r->new_step_due != r->step_due_at)
		jw_int(w, "step_due_at", pick ? r->new_step_due :
		    r->step_due_at);
	if (r->new_due != r->due_at) {
		jw_int(w, "due_at", pick ? r->new_due : r->due_at);
		/* only a due time no extension set is recounted: the first
		 * due time moves with it */
		jw_int(w, "original_due_at", pick ? r->new_due : r->due_at);
	}
	jw_int(w, "version", pick ? r->version + 1 : r->version);
	jw_close(w);
}

/* Bind an instant, 0 as NULL. */
static int
bind_time(sqlite3_stmt *st, int i, dx_time t)
{
	return t != 0 ? sqlite3_bind_int64(st, i, t) : sqlite3_bind_null(st, i);
}

static int
store(struct db *db, sqlite3_stmt *put, struct chain *c, struct dx_buf *pl,
    const struct orow *r, const char *actor, dx_time now, struct dx_err *e)
{
	struct jw w;
	int rc;

	if ((rc = bind_time(put, 1, r->new_due)) != SQLITE_OK ||
	    (rc = bind_time(put, 2, r->new_step_due)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(put, 3, r->version + 1)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(put, 4, r->id)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(put, 5, r->version)) != SQLITE_OK)
		return db_seterr(db, rc, e, db->path);
	if (db_step_done(db, put, e) == -1)
		return -1;
	if (sqlite3_changes(db->h) != 1)
		return dx_seterr(e, DX_SOFTWARE, "dossier '%s' changed under"
		    " the write lock", r->uuid);
	buf_reset(pl);
	jw_open(&w, pl);
	diff(&w, "before", r, 0);
	diff(&w, "after", r, 1);
	jw_str(&w, "reason", "calendar change");
	jw_close(&w);
	if (chain_append(db, c, r->uuid, "recount", actor, now, pl->buf,
	    e) == -1)
		return -1;
	return 0;
}

long
recount_open(struct db *db, struct calendar *before, struct calendar *after,
    const char *actor, dx_time now, struct dx_err *e)
{
	sqlite3_stmt *proc = NULL, *step = NULL, *put = NULL;
	struct unitinfo *units = NULL;
	struct office o;
	struct chain c;
	struct dx_buf pl;
	struct orow *rows;
	size_t n, nunits = 0, i;
	long changed = 0;
	int rc, chain_ok = 0;

	if (db_office(db, &o, e) == -1 ||
	    (rows = load_rows(db, o.agency, &n, e)) == NULL)
		return -1;
	if (n == 0) {
		free(rows);
		return 0;
	}
	buf_init(&pl);
	if ((units = units_load(db, &nunits, e)) == NULL)
		goto fail;
	proc = db_prepare(db, "SELECT time_amount, time_unit, remote_amount,"
	    " remote_unit FROM procedures WHERE id = ?", 0, e);
	step = proc == NULL ? NULL : db_prepare(db, "SELECT time_amount,"
	    " time_unit FROM procedure_steps WHERE procedure_id = ?"
	    " AND seq = ?", 0, e);
	put = step == NULL ? NULL : db_prepare(db, "UPDATE dossiers SET"
	    " due_at = ?, step_due_at = ?, version = ?,"
	    " original_due_at = CASE WHEN extensions = 0 THEN ?1"
	    " ELSE original_due_at END"
	    " WHERE id = ? AND version = ?", 0, e);
	if (put == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		rc = recount_row(db, before, after, proc, step, units, nunits,
		    &rows[i], e);
		if (rc == -1)
			goto fail;
		if (rc == 0)
			continue;
		if (!chain_ok) {
			if (chain_open(db, o.agency, &c, e) == -1)
				goto fail;
			chain_ok = 1;
		}
		if (store(db, put, &c, &pl, &rows[i], actor, now, e) == -1)
			goto fail;
		changed++;
	}
	goto done;
fail:
	changed = -1;
done:
	if (chain_ok)
		chain_close(&c);
	sqlite3_finalize(proc);
	sqlite3_finalize(step);
	sqlite3_finalize(put);
	if (units != NULL)
		units_free(units, nunits);
	buf_free(&pl);
	free(rows);
	return changed;
}
