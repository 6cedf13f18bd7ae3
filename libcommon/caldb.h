/*
 * caldb.h: the office calendar as stored in the database: office hours,
 * the receipt cut-off and the per-year overrides, read; calchange.h
 * changes the days and the hours.
 */
#ifndef DOSSIER_CALDB_H
#define DOSSIER_CALDB_H

#include "calendar.h"
#include "db.h"
#include "jsonl.h"
#include "util.h"

/*
 * Initialise `cal` with the defaults, then the office's UTC offset, office
 * hours, cut-off, their changes from a date, official schedules and
 * overrides from `db`.  0, or -1
 * with e set (cal is then freed).
 */
int caldb_load(struct db *db, struct calendar *cal, struct dx_err *e);

/*
 * Parse office hours "07:00-11:30,13:30-17:00" (1 to CAL_MAX_PERIODS
 * increasing periods) and a cut-off "15:00" into `cal`.  Either may be
 * NULL to keep the current value.  0, or -1 with e set (DX_DATAERR).
 */
int cal_set_hours(struct calendar *cal, const char *periods,
    const char *cutoff, struct dx_err *e);

/*
 * Office hours and a cut-off, as cal_set_hours() takes them, into *h as
 * a change from local day `from` (NULL keeps the default).  0, or -1
 * with e set (DX_DATAERR).
 */
int caldb_parse_hours(int64_t from, const char *periods, const char *cutoff,
    struct cal_hours *h, struct dx_err *e);

/*
 * The announcement loaded for `year` in *source (a new string freed by
 * the caller), or NULL if the year has no official schedule.  0 or -1.
 */
int caldb_year_source(struct db *db, int year, char **source,
    struct dx_err *e);

/*
 * The name of a kind of day in calendar lines: "holiday", "compensatory",
 * "workday" ("plain" for CAL_PLAIN and anything else).  Static.
 */
const char *cal_kind_name(enum cal_kind k);

/* The calendar line of a day: {"date","kind","name","source"}. */
json_t *cal_day_json(const struct cal_day *d);

#endif
