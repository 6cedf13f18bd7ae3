/*
 * caldb.h: the office calendar as stored in the database: office hours,
 * the receipt cut-off and the per-year overrides.
 */
#ifndef DOSSIER_CALDB_H
#define DOSSIER_CALDB_H

#include "calendar.h"
#include "db.h"
#include "jsonl.h"
#include "util.h"

/*
 * Initialise `cal` with the defaults, then the office's UTC offset, office
 * hours, cut-off, official schedules and overrides from `db`.  0, or -1
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

/* Store office hours and cut-off (validated as above).  0 or -1. */
int caldb_set_hours(struct db *db, const char *periods, const char *cutoff,
    struct dx_err *e);

/*
 * Import calendar lines {"date":"2026-02-14","kind":"holiday","name":"..."}
 * ("source" is accepted and ignored) as overrides, in one transaction: all
 * or nothing, every bad line reported through `report`.  With year > 0,
 * that year's existing overrides are removed first and every line must be
 * in that year.  In the same transaction the open dossiers are recounted
 * with the new calendar (recount.h), the events naming `actor`;
 * *recounted receives how many changed.  Returns the number of lines
 * imported, or -1 with e set (nothing changed).
 */
long caldb_import(struct db *db, struct jsonl_reader *r, int year,
    void (*report)(const char *msg), const char *actor, long *recounted,
    struct dx_err *e);

/*
 * caldb_import() inside the caller's write transaction (the caller rolls
 * back when it fails).  With year -1, every existing override is removed
 * first: the lines become the whole set of overrides.
 */
long caldb_apply(struct db *db, struct jsonl_reader *r, int year,
    void (*report)(const char *msg), const char *actor, long *recounted,
    struct dx_err *e);

/*
 * Load the shipped official schedules (official.h) into `db`, replacing
 * the days of each shipped year, and recount the open dossiers, in one
 * transaction.  *years receives the number of years that were new or
 * whose announcement changed, *recounted the dossiers changed.  0, or -1
 * with e set (nothing changed).
 */
int caldb_official(struct db *db, const char *actor, long *years,
    long *recounted, struct dx_err *e);

/*
 * The announcement loaded for `year` in *source (a new string freed by
 * the caller), or NULL if the year has no official schedule.  0 or -1.
 */
int caldb_year_source(struct db *db, int year, char **source,
    struct dx_err *e);

/* The calendar line of a day: {"date","kind","name","source"}. */
json_t *cal_day_json(const struct cal_day *d);

#endif
