/*
 * calchange.h: changes of the office calendar's days (overrides imported,
 * the official schedules loaded) and hours, each with the open dossiers
 * recounted in the same transaction (recount.h).
 */
#ifndef DOSSIER_CALCHANGE_H
#define DOSSIER_CALCHANGE_H

#include <stdint.h>

#include "db.h"
#include "jsonl.h"
#include "util.h"

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
long calchange_import(struct db *db, struct jsonl_reader *r, int year,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e);

/*
 * calchange_import() inside the caller's write transaction (the caller rolls
 * back when it fails).  With year -1, every existing override is removed
 * first: the lines become the whole set of overrides.
 */
long calchange_apply(struct db *db, struct jsonl_reader *r, int year,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e);

/*
 * Load the shipped official schedules (official.h) into `db`, replacing
 * the days of each shipped year, and recount the open dossiers, in one
 * transaction.  *years receives the number of years that were new or
 * whose announcement changed, *recounted the dossiers changed.  0, or -1
 * with e set (nothing changed).
 */
int calchange_official(struct db *db, const char *actor, long *years,
    long *recounted, struct dx_err *e);

/*
 * Change the office hours from local day `from` on: `periods` and
 * `cutoff` as cal_set_hours() takes them (cutoff NULL: the cut-off in
 * force on that day), replacing a change of the same day, and recount
 * the open dossiers, in one transaction; the change names `actor`.  The
 * days before `from` keep their hours.  *recounted receives the dossiers
 * changed.  0, or -1 with e set (DX_DATAERR for bad hours; nothing
 * changed).
 */
int calchange_hours(struct db *db, int64_t from, const char *periods,
    const char *cutoff, const char *actor, long *recounted,
    struct dx_err *e);

/*
 * Take the changes of office hours in the lines of r,
 * {"from":"2026-05-01","office_hours":"07:00-11:30,13:30-17:00",
 * "cutoff":"16:30"} (what a parent office sends down in hours.jsonl,
 * dossier-bundle(5)), inside the caller's write transaction: each is added
 * to this office's changes, replacing a change of the same day; the others
 * stay.  When any changed, the open dossiers are recounted; the changes
 * and the recount name `actor`.  Every bad line is reported through
 * `report`, and then nothing is applied.  The number of changes new or
 * different, or -1 with e set (the caller rolls back).
 */
long calchange_hours_apply(struct db *db, struct jsonl_reader *r,
    const struct dx_report *report, const char *actor, long *recounted,
    struct dx_err *e);

#endif
