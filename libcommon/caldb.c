/*
 * caldb.c: load and store the office calendar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "caldb.h"
#include "calendar.h"
#include "db.h"
#include "jsonl.h"
#include "official.h"
#include "recount.h"
#include "util.h"

static const char *const kind_names[] = {
	"plain", "holiday", "compensatory", "workday"
};

/* "HH:MM" -> minutes after midnight, or -1 */
static int
parse_hhmm(const char *s, size_t n)
{
	int h, m;

	if (n != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

int
cal_set_hours(struct calendar *cal, const char *periods, const char *cutoff,
    struct dx_err *e)
{
	int start[CAL_MAX_PERIODS], end[CAL_MAX_PERIODS];
	int n = 0, c = 0, i;
	const char *p, *comma, *dash;

	if (periods != NULL) {
		for (p = periods; ; p = comma + 1) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			dash = memchr(p, '-', (size_t)(comma - p));
			if (n == CAL_MAX_PERIODS || dash == NULL ||
			    (start[n] = parse_hhmm(p, (size_t)(dash - p))) < 0 ||
			    (end[n] = parse_hhmm(dash + 1,
			    (size_t)(comma - dash - 1))) < 0 ||
			    end[n] <= start[n] ||
			    (n > 0 && start[n] < end[n - 1]))
				return dx_seterr(e, DX_DATAERR, "invalid office"
				    " hours '%s' (want increasing periods like"
				    " 07:00-11:30,13:30-17:00)", periods);
			n++;
			if (*comma == '\0')
				break;
		}
	}
	if (cutoff != NULL && (c = parse_hhmm(cutoff, strlen(cutoff))) < 0)
		return dx_seterr(e, DX_DATAERR, "invalid cut-off '%s' (want"
		    " HH:MM)", cutoff);
	if (periods != NULL) {
		cal->nperiods = n;
		for (i = 0; i < n; i++) {
			cal->period_start[i] = start[i];
			cal->period_end[i] = end[i];
		}
	}
	if (cutoff != NULL)
		cal->cutoff = c;
	return 0;
}

/* Add the days of query `sql` (day, kind, name) to `cal` with `add`. */
static int
load_days(struct db *db, struct calendar *cal, const char *sql,
    int (*add)(struct calendar *, int64_t, enum cal_kind, const char *),
    struct dx_err *e)
{
	sqlite3_stmt *st;
	int64_t day;
	int rc, kind;

	if ((st = db_prepare(db, sql, 0, e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		const char *k = (const char *)sqlite3_column_text(st, 1);

		for (kind = 1; kind < 4; kind++)
			if (strcmp(k, kind_names[kind]) == 0)
				break;
		if (kind == 4 || cal_parse_day(d, &day) == -1) {
			sqlite3_finalize(st);
			return dx_seterr(e, DX_DATAERR, "bad calendar day"
			    " '%s'", d);
		}
		if (add(cal, day, (enum cal_kind)kind,
		    (const char *)sqlite3_column_text(st, 2)) == -1) {
			sqlite3_finalize(st);
			return dx_seterr(e, DX_SOFTWARE, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

int
caldb_load(struct db *db, struct calendar *cal, struct dx_err *e)
{
	struct office o;
	sqlite3_stmt *st;
	char *hours = NULL, *cutoff = NULL;
	int rc;

	cal_init(cal);
	if (db_office(db, &o, e) == -1)
		goto fail;
	cal->utc_offset = o.utc_offset;
	if (db_setting(db, "office_hours", &hours, e) == -1 ||
	    db_setting(db, "cutoff", &cutoff, e) == -1)
		goto fail;
	rc = cal_set_hours(cal, hours, cutoff, e);
	free(hours);
	free(cutoff);
	if (rc == -1)
		goto fail;
	if (load_days(db, cal, "SELECT day, kind, name FROM"
	    " calendar_overrides", cal_add_override, e) == -1 ||
	    load_days(db, cal, "SELECT day, kind, name FROM"
	    " calendar_official", cal_add_official, e) == -1)
		goto fail;
	st = db_prepare(db, "SELECT year FROM calendar_years", 0, e);
	if (st == NULL)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cal_set_official_year(cal, sqlite3_column_int(st, 0)) == -1)
			break;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		dx_seterr(e, DX_SOFTWARE, "out of memory");
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		db_seterr(db, rc, e, db->path);
		goto fail;
	}
	return 0;
fail:
	cal_free(cal);
	return -1;
}

int
caldb_set_hours(struct db *db, const char *periods, const char *cutoff,
    struct dx_err *e)
{
	struct calendar cal;

	cal_init(&cal);
	if (cal_set_hours(&cal, periods, cutoff, e) == -1) {
		cal_free(&cal);
		return -1;
	}
	cal_free(&cal);
	if (db_begin(db, e) == -1)
		return -1;
	if ((periods != NULL &&
	    db_set_setting(db, "office_hours", periods, e) == -1) ||
	    (cutoff != NULL && db_set_setting(db, "cutoff", cutoff, e) == -1)) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

json_t *
cal_day_json(const struct cal_day *d)
{
	char date[16];

	cal_format_day(d->day, date);
	return json_pack("{s:s,s:s,s:s,s:s}", "date", date,
	    "kind", kind_names[d->kind], "name", d->name,
	    "source", d->source == CAL_SRC_OVERRIDE ? "override" :
	    d->source == CAL_SRC_OFFICIAL ? "official" : "rule");
}

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

long
caldb_apply(struct db *db, struct jsonl_reader *r, int year,
    void (*report)(const char *msg), const char *actor, long *recounted,
    struct dx_err *e)
{
	struct calendar old;
	static const char *const keys[] = {
		"date", "kind", "name", "source", NULL
	};
	sqlite3_stmt *put = NULL, *del = NULL;
	struct dx_err le;
	json_t *o;
	const char *date, *kind, *name;
	char msg[sizeof(le.msg) + 64], lo[32], hi[32];
	struct seen *seen = NULL;
	size_t nseen = 0;
	int64_t day;
	int rc, k, y, m, d;
	long n = 0, bad = 0, first;

	*recounted = 0;
	if (caldb_load(db, &old, e) == -1)
		return -1;
	put = db_prepare(db, "INSERT INTO calendar_overrides (day, kind, name)"
	    " VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
	    " kind = excluded.kind, name = excluded.name", 0, e);
	if (put == NULL)
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
	for (;;) {
		rc = jsonl_next(r, &o, &le);
		if (rc == 0)
			break;
		if (rc == -2) {
			*e = le;
			goto fail;
		}
		if (rc == -1) {
			if (report != NULL)
				report(le.msg);
			bad++;
			continue;
		}
		rc = -1;
		if (jx_only(o, keys, NULL, &le) == -1 ||
		    jx_str(o, "date", JX_REQ, &date, &le) == -1 ||
		    jx_str(o, "kind", JX_REQ, &kind, &le) == -1 ||
		    jx_str(o, "name", JX_REQ, &name, &le) == -1)
			;
		else if (cal_parse_day(date, &day) == -1)
			dx_seterr(&le, DX_DATAERR, "invalid date '%s' (want"
			    " YYYY-MM-DD)", date);
		else if ((civil_from_days(day, &y, &m, &d), year > 0 &&
		    y != year))
			dx_seterr(&le, DX_DATAERR, "date '%s' is not in %d",
			    date, year);
		else if (y < CAL_YEAR_MIN || y > CAL_YEAR_MAX)
			dx_seterr(&le, DX_DATAERR, "date '%s': year %d is out of"
			    " range (%d to %d)", date, y, CAL_YEAR_MIN,
			    CAL_YEAR_MAX);
		else if ((first = seen_line(&seen, &nseen, day,
		    r->lineno)) != 0)
			dx_seterr(&le, DX_DATAERR, "date '%s' is already on"
			    " line %ld", date, first);
		else {
			for (k = 1; k < 4; k++)
				if (strcmp(kind, kind_names[k]) == 0)
					break;
			if (k == 4)
				dx_seterr(&le, DX_DATAERR, "unknown kind '%s'"
				    " (holiday, compensatory, workday)", kind);
			else
				rc = 0;
		}
		if (rc == 0) {
			char norm[16];

			cal_format_day(day, norm);
			if ((rc = sqlite3_bind_text(put, 1, norm, -1,
			    SQLITE_TRANSIENT)) != SQLITE_OK ||
			    (rc = sqlite3_bind_text(put, 2, kind, -1,
			    SQLITE_STATIC)) != SQLITE_OK ||
			    (rc = sqlite3_bind_text(put, 3, name, -1,
			    SQLITE_STATIC)) != SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				json_decref(o);
				goto fail;
			}
			if (db_step_done(db, put, e) == -1) {
				json_decref(o);
				goto fail;
			}
			n++;
		} else {
			snprintf(msg, sizeof(msg), "%s:%ld: %s", r->name,
			    r->lineno, le.msg);
			if (report != NULL)
				report(msg);
			bad++;
		}
		json_decref(o);
	}
	free(seen);
	seen = NULL;
	if (bad > 0) {
		dx_seterr(e, DX_DATAERR, "%s: %ld bad line%s, nothing imported",
		    r->name, bad, bad == 1 ? "" : "s");
		goto fail;
	}
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	put = del = NULL;
	if ((*recounted = recount_from(db, &old, actor, e)) == -1)
		goto fail;
	cal_free(&old);
	return n;
fail:
	free(seen);
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	cal_free(&old);
	*recounted = 0;
	return -1;
}

long
caldb_import(struct db *db, struct jsonl_reader *r, int year,
    void (*report)(const char *msg), const char *actor, long *recounted,
    struct dx_err *e)
{
	long n;

	*recounted = 0;
	if (db_begin(db, e) == -1)
		return -1;
	if ((n = caldb_apply(db, r, year, report, actor, recounted, e)) == -1 ||
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
caldb_official(struct db *db, const char *actor, long *years,
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

int
caldb_year_source(struct db *db, int year, char **source, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*source = NULL;
	st = db_prepare(db, "SELECT source FROM calendar_years WHERE year = ?",
	    0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_int(st, 1, year)) == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*source = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}
