/*
 * calchange.c: change the office calendar and recount the open dossiers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "applicant.h"
#include "caldb.h"
#include "calchange.h"
#include "calendar.h"
#include "db.h"
#include "jsonl.h"
#include "official.h"
#include "recount.h"
#include "util.h"

/*
 * Recount the open dossiers from calendar `old` to the one now in the
 * database, inside the open transaction.  The count, or -1 with e set.
 */
static long
recount_from(struct db *db, struct calendar *old, const char *actor,
    struct dx_err *e)
{
	struct calendar cal;
	long n;

	if (caldb_load(db, &cal, e) == -1)
		return -1;
	n = recount_open(db, old, &cal, actor, (dx_time)time(NULL), e);
	cal_free(&cal);
	return n;
}

/* The dates of one import, by line: the same date twice is refused. */
struct seen {
	int64_t day;
	long lineno;
};

/*
 * The line that already named `day` in this input, or 0 after recording
 * it for line `lineno`.  Calendar inputs are a few dozen lines: a linear
 * search.
 */
static long
seen_line(struct seen **seen, size_t *n, int64_t day, long lineno)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*seen)[i].day == day)
			return (*seen)[i].lineno;
	*seen = xreallocarray(*seen, *n + 1, sizeof(**seen));
	(*seen)[*n].day = day;
	(*seen)[*n].lineno = lineno;
	(*n)++;
	return 0;
}

/*
 * The lines of one calendar input: each a JSON object of `keys` whose
 * `datekey` names a day; line() checks the rest of a line and writes it.
 */
struct lines {
	const char *const *keys;
	const char *datekey;
	int year;		/* > 0: every day in that year */
	sqlite3_stmt *put;
	const char *actor;
	/*
	 * Line `o` of day `day`: the rows it changed, -1 with le set when
	 * the line is bad, -2 with e set when the database failed.
	 */
	long (*line)(struct db *db, struct lines *l, json_t *o, int64_t day,
	    struct dx_err *le, struct dx_err *e);
};

/*
 * Read every line of r through l, inside the caller's transaction: each
 * bad one reported through `report` (the input's name and line), and
 * then nothing is kept.  The rows changed, or -1 with e set.
 */
static long
apply_lines(struct db *db, struct jsonl_reader *r, struct lines *l,
    const struct dx_report *report, struct dx_err *e)
{
	struct dx_err le;
	json_t *o;
	const char *date;
	char msg[sizeof(le.msg) + 64];
	struct seen *seen = NULL;
	size_t nseen = 0;
	int64_t day;
	int rc, y, m, d;
	long n = 0, bad = 0, first, k;

	for (;;) {
		rc = jsonl_next(r, &o, &le);
		if (rc == 0)
			break;
		if (rc == -2) {
			*e = le;
			goto fail;
		}
		if (rc == -1) {
			dx_report(report, "%s", le.msg);
			bad++;
			continue;
		}
		k = -1;
		if (jx_only(o, l->keys, NULL, &le) == -1 ||
		    jx_str(o, l->datekey, JX_REQ, &date, &le) == -1)
			;
		else if (cal_parse_day(date, &day) == -1)
			dx_seterr(&le, DX_DATAERR, _("invalid date '%s' (want"
			    " YYYY-MM-DD)"), date);
		else if ((civil_from_days(day, &y, &m, &d), l->year > 0 &&
		    y != l->year))
			dx_seterr(&le, DX_DATAERR, _("date '%s' is not in %d"),
			    date, l->year);
		else if (y < CAL_YEAR_MIN || y > CAL_YEAR_MAX)
			dx_seterr(&le, DX_DATAERR, _("date '%s': year %d is out"
			    " of range (%d to %d)"), date, y, CAL_YEAR_MIN,
			    CAL_YEAR_MAX);
		else if ((first = seen_line(&seen, &nseen, day,
		    r->lineno)) != 0)
			dx_seterr(&le, DX_DATAERR, _("date '%s' is already on"
			    " line %ld"), date, first);
		else if ((k = l->line(db, l, o, day, &le, e)) == -2) {
			json_decref(o);
			goto fail;
		}
		if (k >= 0)
			n += k;
		else {
			snprintf(msg, sizeof(msg), "%s:%ld: %s", r->name,
			    r->lineno, le.msg);
			dx_report(report, "%s", msg);
			bad++;
		}
		json_decref(o);
	}
	free(seen);
	if (bad > 0)
		return dx_seterr(e, DX_DATAERR, _("%s: %ld bad line%s, nothing"
		    " imported"), r->name, bad, bad == 1 ? "" : "s");
	return n;
fail:
	free(seen);
	return -1;
}

/* One override {"date","kind","name"}: see struct lines. */
static long
override_line(struct db *db, struct lines *l, json_t *o, int64_t day,
    struct dx_err *le, struct dx_err *e)
{
	const char *kind, *name;
	char norm[16];
	int k, rc;

	if (jx_str(o, "kind", JX_REQ, &kind, le) == -1 ||
	    jx_str(o, "name", JX_REQ, &name, le) == -1 ||
	    text_ok("name", name, 300, le) == -1)
		return -1;
	for (k = 1; k < 4; k++)
		if (strcmp(kind, cal_kind_name(k)) == 0)
			break;
	if (k == 4) {
		dx_seterr(le, DX_DATAERR, _("unknown kind '%s' (holiday,"
		    " compensatory, workday)"), kind);
		return -1;
	}
	cal_format_day(day, norm);
	if ((rc = sqlite3_bind_text(l->put, 1, norm, -1, SQLITE_TRANSIENT)) !=
	    SQLITE_OK || (rc = sqlite3_bind_text(l->put, 2, kind, -1,
	    SQLITE_STATIC)) != SQLITE_OK || (rc = sqlite3_bind_text(l->put, 3,
	    name, -1, SQLITE_STATIC)) != SQLITE_OK) {
		db_seterr(db, rc, e, db->path);
		return -2;
	}
	return db_step_done(db, l->put, e) == -1 ? -2 : 1;
}

long
calchange_apply(struct db *db, struct jsonl_reader *r, int year,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e)
{
	static const char *const keys[] = {
		"date", "kind", "name", "source", NULL
	};
	struct lines l = { keys, "date", year, NULL, actor, override_line };
	struct calendar old;
	sqlite3_stmt *del = NULL;
	char lo[32], hi[32];
	long n;
	int rc;

	*recounted = 0;
	if (caldb_load(db, &old, e) == -1)
		return -1;
	l.put = db_prepare(db, "INSERT INTO calendar_overrides (day, kind,"
	    " name) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
	    " kind = excluded.kind, name = excluded.name", 0, e);
	if (l.put == NULL)
		goto fail;
	if (year != 0) {
		snprintf(lo, sizeof(lo), "%04d-01-01", year > 0 ? year :
		    CAL_YEAR_MIN);
		snprintf(hi, sizeof(hi), "%04d-12-31", year > 0 ? year :
		    CAL_YEAR_MAX);
		del = db_prepare(db, "DELETE FROM calendar_overrides"
		    " WHERE day BETWEEN ? AND ?", 0, e);
		if (del == NULL)
			goto fail;
		if ((rc = sqlite3_bind_text(del, 1, lo, -1, SQLITE_STATIC)) !=
		    SQLITE_OK || (rc = sqlite3_bind_text(del, 2, hi, -1,
		    SQLITE_STATIC)) != SQLITE_OK) {
			db_seterr(db, rc, e, db->path);
			goto fail;
		}
		if (db_step_done(db, del, e) == -1)
			goto fail;
	}
	if ((n = apply_lines(db, r, &l, report, e)) == -1)
		goto fail;
	sqlite3_finalize(l.put);
	sqlite3_finalize(del);
	l.put = del = NULL;
	if ((*recounted = recount_from(db, &old, actor, e)) == -1)
		goto fail;
	cal_free(&old);
	return n;
fail:
	sqlite3_finalize(l.put);
	sqlite3_finalize(del);
	cal_free(&old);
	*recounted = 0;
	return -1;
}

long
calchange_import(struct db *db, struct jsonl_reader *r, int year,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e)
{
	long n;

	*recounted = 0;
	if (db_begin(db, e) == -1)
		return -1;
	if ((n = calchange_apply(db, r, year, report, actor, recounted,
	    e)) == -1 ||
	    db_commit(db, e) == -1) {
		db_rollback(db);
		*recounted = 0;
		return -1;
	}
	return n;
}

/* Parse shipped line i; *year set for a year header, *o the object. */
static int
official_parse(size_t i, json_t **o, struct dx_err *e)
{
	json_error_t je;

	*o = json_loads(official_line(i), JSON_REJECT_DUPLICATES, &je);
	if (*o == NULL || !json_is_object(*o)) {
		json_decref(*o);
		return dx_seterr(e, DX_SOFTWARE, "shipped calendar line %zu:"
		    " %s", i + 1, je.text);
	}
	return 0;
}

int
calchange_official(struct db *db, const char *actor, long *years,
    long *recounted, struct dx_err *e)
{
	struct calendar old;
	sqlite3_stmt *get = NULL, *put_year = NULL, *del = NULL, *put = NULL;
	json_t *o = NULL;
	const char *date, *kind, *name, *source, *have;
	char lo[16], hi[16];
	size_t i;
	int64_t day;
	int year = 0, rc;

	*years = 0;
	*recounted = 0;
	if (db_begin(db, e) == -1)
		return -1;
	if (caldb_load(db, &old, e) == -1) {
		db_rollback(db);
		return -1;
	}
	get = db_prepare(db, "SELECT source FROM calendar_years WHERE year = ?",
	    0, e);
	put_year = get == NULL ? NULL : db_prepare(db, "INSERT INTO"
	    " calendar_years (year, source, loaded_at) VALUES (?, ?, ?)"
	    " ON CONFLICT (year) DO UPDATE SET source = excluded.source,"
	    " loaded_at = excluded.loaded_at", 0, e);
	del = put_year == NULL ? NULL : db_prepare(db, "DELETE FROM"
	    " calendar_official WHERE day BETWEEN ? AND ?", 0, e);
	put = del == NULL ? NULL : db_prepare(db, "INSERT INTO"
	    " calendar_official (day, kind, name) VALUES (?, ?, ?)"
	    " ON CONFLICT (day) DO UPDATE SET kind = excluded.kind,"
	    " name = excluded.name", 0, e);
	if (put == NULL)
		goto fail;
	/* every shipped year is written again: a corrected release of the
	 * data replaces what an older one loaded */
	for (i = 0; official_line(i) != NULL; i++) {
		if (official_parse(i, &o, e) == -1)
			goto fail;
		if (json_object_get(o, "year") != NULL) {
			year = (int)json_integer_value(json_object_get(o,
			    "year"));
			source = json_string_value(json_object_get(o,
			    "source"));
			if (year < 1900 || year > 2199 || source == NULL) {
				dx_seterr(e, DX_SOFTWARE, "shipped calendar"
				    " line %zu: bad year", i + 1);
				goto fail;
			}
			if ((rc = sqlite3_bind_int(get, 1, year)) != SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				goto fail;
			}
			rc = sqlite3_step(get);
			have = rc == SQLITE_ROW ? (const char *)
			    sqlite3_column_text(get, 0) : NULL;
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				db_seterr(db, rc, e, db->path);
				goto fail;
			}
			if (have == NULL || strcmp(have, source) != 0)
				(*years)++;
			sqlite3_reset(get);
			snprintf(lo, sizeof(lo), "%04d-01-01", year);
			snprintf(hi, sizeof(hi), "%04d-12-31", year);
			if ((rc = sqlite3_bind_text(del, 1, lo, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_text(del, 2, hi, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_int(put_year, 1, year)) !=
			    SQLITE_OK ||
			    (rc = sqlite3_bind_text(put_year, 2, source, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_int64(put_year, 3,
			    (sqlite3_int64)time(NULL))) != SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				goto fail;
			}
			if (db_step_done(db, del, e) == -1 ||
			    db_step_done(db, put_year, e) == -1)
				goto fail;
		} else {
			date = json_string_value(json_object_get(o, "date"));
			kind = json_string_value(json_object_get(o, "kind"));
			name = json_string_value(json_object_get(o, "name"));
			if (year == 0 || date == NULL || kind == NULL ||
			    name == NULL || cal_parse_day(date, &day) == -1) {
				dx_seterr(e, DX_SOFTWARE, "shipped calendar"
				    " line %zu: bad day", i + 1);
				goto fail;
			}
			if ((rc = sqlite3_bind_text(put, 1, date, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_text(put, 2, kind, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_text(put, 3, name, -1,
			    SQLITE_STATIC)) != SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				goto fail;
			}
			if (db_step_done(db, put, e) == -1)
				goto fail;
		}
		json_decref(o);
		o = NULL;
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put_year);
	sqlite3_finalize(del);
	sqlite3_finalize(put);
	get = put_year = del = put = NULL;
	if ((*recounted = recount_from(db, &old, actor, e)) == -1)
		goto fail;
	cal_free(&old);
	return db_commit(db, e);
fail:
	json_decref(o);
	sqlite3_finalize(get);
	sqlite3_finalize(put_year);
	sqlite3_finalize(del);
	sqlite3_finalize(put);
	cal_free(&old);
	db_rollback(db);
	*years = *recounted = 0;
	return -1;
}

/*
 * The upsert of one change of hours (day, periods, cutoff, actor, time):
 * the same hours again change no row.
 */
#define HOURS_PUT_SQL "INSERT INTO calendar_hours (day, office_hours," \
	" cutoff, set_by, set_at) VALUES (?, ?, ?, ?, ?)" \
	" ON CONFLICT (day) DO UPDATE SET office_hours =" \
	" excluded.office_hours, cutoff = excluded.cutoff," \
	" set_by = excluded.set_by, set_at = excluded.set_at" \
	" WHERE office_hours <> excluded.office_hours" \
	" OR cutoff <> excluded.cutoff"

/* Put one change of hours with `st` (HOURS_PUT_SQL).  0, or -1 with e set. */
static int
hours_put(struct db *db, sqlite3_stmt *st, int64_t from, const char *periods,
    const char *cutoff, const char *actor, struct dx_err *e)
{
	char day[16];
	int rc;

	cal_format_day(from, day);
	if ((rc = sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT)) ==
	    SQLITE_OK && (rc = sqlite3_bind_text(st, 2, periods, -1,
	    SQLITE_TRANSIENT)) == SQLITE_OK && (rc = sqlite3_bind_text(st, 3,
	    cutoff, -1, SQLITE_TRANSIENT)) == SQLITE_OK &&
	    (rc = sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT)) ==
	    SQLITE_OK && (rc = sqlite3_bind_int64(st, 5,
	    (sqlite3_int64)time(NULL))) == SQLITE_OK)
		return db_step_done(db, st, e);
	return db_seterr(db, rc, e, db->path);
}

int
calchange_hours(struct db *db, int64_t from, const char *periods,
    const char *cutoff, const char *actor, long *recounted,
    struct dx_err *e)
{
	struct calendar old;
	struct cal_hours h;
	sqlite3_stmt *st;
	char cut[8];
	int rc;

	*recounted = 0;
	if (db_begin(db, e) == -1)
		return -1;
	if (caldb_load(db, &old, e) == -1) {
		db_rollback(db);
		return -1;
	}
	if (cutoff == NULL) {
		/* periods alone keep the cut-off in force on that day */
		cal_hours_on(&old, from, &h);
		snprintf(cut, sizeof(cut), "%02d:%02d", h.cutoff / 60 % 100,
		    h.cutoff % 60);
		cutoff = cut;
	}
	if (caldb_parse_hours(from, periods, cutoff, &h, e) == -1)
		goto fail;
	if ((st = db_prepare(db, HOURS_PUT_SQL, 0, e)) == NULL)
		goto fail;
	rc = hours_put(db, st, from, periods, cutoff, actor, e);
	sqlite3_finalize(st);
	if (rc == -1)
		goto fail;
	if ((*recounted = recount_from(db, &old, actor, e)) == -1 ||
	    db_commit(db, e) == -1)
		goto fail;
	cal_free(&old);
	return 0;
fail:
	db_rollback(db);
	cal_free(&old);
	*recounted = 0;
	return -1;
}

/* One change of hours {"from","office_hours","cutoff"}: struct lines. */
static long
hours_line(struct db *db, struct lines *l, json_t *o, int64_t day,
    struct dx_err *le, struct dx_err *e)
{
	const char *periods, *cutoff;
	struct cal_hours h;

	if (jx_str(o, "office_hours", JX_REQ, &periods, le) == -1 ||
	    jx_str(o, "cutoff", JX_REQ, &cutoff, le) == -1 ||
	    caldb_parse_hours(day, periods, cutoff, &h, le) == -1)
		return -1;
	if (hours_put(db, l->put, day, periods, cutoff, l->actor, e) == -1)
		return -2;
	return sqlite3_changes(db->h);
}

long
calchange_hours_apply(struct db *db, struct jsonl_reader *r,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e)
{
	static const char *const keys[] = {
		"from", "office_hours", "cutoff", NULL
	};
	struct lines l = { keys, "from", 0, NULL, actor, hours_line };
	struct calendar old;
	long n;

	*recounted = 0;
	if (caldb_load(db, &old, e) == -1)
		return -1;
	if ((l.put = db_prepare(db, HOURS_PUT_SQL, 0, e)) == NULL ||
	    (n = apply_lines(db, r, &l, report, e)) == -1)
		goto fail;
	sqlite3_finalize(l.put);
	l.put = NULL;
	if (n > 0 && (*recounted = recount_from(db, &old, actor, e)) == -1)
		goto fail;
	cal_free(&old);
	return n;
fail:
	sqlite3_finalize(l.put);
	cal_free(&old);
	*recounted = 0;
	return -1;
}
