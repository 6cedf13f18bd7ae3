/*
 * recount.h: recount the open dossiers after a calendar change.
 *
 * A change of the office calendar (an override imported, an official
 * schedule loaded) can move the due time of an open dossier: a day it
 * counted may have become a holiday, or a make-up working day may have
 * been added.  The recount recomputes each open dossier's due time and
 * its step's due time from the basis the dossier already uses, with the
 * new calendar:
 *
 *   - the dossier's budget (the procedure's time, plus the remote extra
 *     for a remote unit) counted from its start_at, which a restart after
 *     a supplement has already moved (Decree 61/2018 Art. 19(4));
 *   - the step's budget counted from its step_at;
 *   - then the clock time the dossier was paused: what the old due time
 *     lies beyond the old budget's end, in working time under the old
 *     calendar (plain time for a limit in calendar days), added again
 *     under the new calendar.
 *
 * A due time set by an extension (form 04, a new appointment given to the
 * applicant) is not recounted; its step due time is.  A recounted due
 * time is also the dossier's first due time (original_due_at).  A start_at is not
 * moved: the instant counting began is a fact of the past.
 *
 * Every dossier whose due time or step due time changes gets its row
 * updated and one `recount` event appended, in the caller's transaction:
 * payload {"before":{...},"after":{...},"reason":"calendar change"}
 * holding the changed columns and the version, as dossier-route writes.
 */
#ifndef DOSSIER_RECOUNT_H
#define DOSSIER_RECOUNT_H

#include "calendar.h"
#include "db.h"
#include "util.h"

/*
 * Recount the open dossiers (status 2, 4, 5, 6) this office owns (one
 * handed to another office is that office's to recount) from calendar
 * `before` to calendar `after`, inside the caller's write transaction.
 * `actor` (a login) and `now` name the events.  Returns the number of
 * dossiers changed, or -1 with e set (the caller rolls back).
 */
long recount_open(struct db *db, struct calendar *before,
    struct calendar *after, const char *actor, dx_time now,
    struct dx_err *e);

#endif
