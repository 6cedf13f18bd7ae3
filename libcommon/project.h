/*
 * project.h: the dossiers table as a projection of the events.
 *
 * The state of a dossier is a JSON object whose keys are the columns of
 * the dossiers table (project_columns), except that the procedure is named
 * by its code and version ("procedure", "procedure_version") rather than
 * by the local row id, so that events mean the same in every office.  A `receive` event's payload holds
 * the initial state; every later event's payload holds an object "after"
 * with the columns it changed (including "version").  Folding a dossier's
 * events in order gives its row; dossier-admin check compares the two.
 *
 * Events written before schema 4 carry no original_due_at, late or
 * result: original_due_at then follows every due time an event sets
 * except an extension's, and an end event (finish, reject, stop) without
 * a result gets the one migration 4 gives (the local due day at
 * `utc_offset`, a stop on time).
 */
#ifndef DOSSIER_PROJECT_H
#define DOSSIER_PROJECT_H

#include <jansson.h>

#include "db.h"
#include "util.h"

/* The projected columns, in table order, NULL-terminated. */
extern const char *const project_columns[];

/*
 * Apply one event to `state` (a new object for the first event), dates
 * of legacy results taken at `utc_offset` seconds east of UTC.
 * Returns 0, or -1 with e set when the event cannot apply (a receive for
 * a dossier that exists, a change before any receive, a bad payload).
 * A `guide` event (guidance before receipt) changes nothing.
 */
int project_apply(json_t *state, const char *action, const json_t *payload,
    int utc_offset, struct dx_err *e);

/*
 * Rebuild every dossier from its events and compare with its row.  Each
 * mismatch is reported (dossier code or UUID, and the first differing
 * column).  Returns the number of mismatches, or -1 with e set.
 * *ndossiers receives the number of dossiers compared.
 */
long project_verify(struct db *db, const struct dx_report *report,
    long *ndossiers, struct dx_err *e);

#endif
