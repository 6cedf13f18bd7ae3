/*
 * caldb.c: load the office calendar, and store its hours.
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
				return dx_seterr(e, DX_DATAERR, _("invalid"
				    " office hours '%s' (want increasing periods"
				    " like 07:00-11:30,13:30-17:00)"), periods);
			n++;
			if (*comma == '\0')
				break;
		}
	}
	if (cutoff != NULL && (c = parse_hhmm(cutoff, strlen(cutoff))) < 0)
		return dx_seterr(e, DX_DATAERR, _("invalid cut-off '%s' (want"
		    " HH:MM)"), cutoff);
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
			return dx_seterr(e, DX_DATAERR, _("bad calendar day"
			    " '%s'"), d);
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
caldb_parse_hours(int64_t from, const char *periods, const char *cutoff,
    struct cal_hours *h, struct dx_err *e)
{
	struct calendar tmp;
	int p;

	cal_init(&tmp);
	if (cal_set_hours(&tmp, periods, cutoff, e) == -1) {
		cal_free(&tmp);
		return -1;
	}
	memset(h, 0, sizeof(*h));
	h->from = from;
	h->nperiods = tmp.nperiods;
	for (p = 0; p < tmp.nperiods; p++) {
		h->period_start[p] = tmp.period_start[p];
		h->period_end[p] = tmp.period_end[p];
	}
	h->cutoff = tmp.cutoff;
	cal_free(&tmp);
	return 0;
}

/* The office hours changed from a date (calendar_hours) into `cal`. */
static int
load_hours(struct db *db, struct calendar *cal, struct dx_err *e)
{
	struct cal_hours h;
	sqlite3_stmt *st;
	const char *d;
	int64_t day;
	int rc;

	if ((st = db_prepare(db, "SELECT day, office_hours, cutoff FROM"
	    " calendar_hours ORDER BY day", 0, e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d = (const char *)sqlite3_column_text(st, 0);
		if (cal_parse_day(d, &day) == -1) {
			dx_seterr(e, DX_DATAERR, _("bad office hours day '%s'"),
			    d != NULL ? d : "");
			break;
		}
		if (caldb_parse_hours(day,
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), &h, e) == -1)
			break;
		if (cal_add_hours(cal, &h) == -1) {
			dx_seterr(e, DX_SOFTWARE, "out of memory");
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return -1;
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
	if (load_hours(db, cal, e) == -1 ||
	    load_days(db, cal, "SELECT day, kind, name FROM"
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

const char *
cal_kind_name(enum cal_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ?
	    kind_names[k] : "plain";
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
