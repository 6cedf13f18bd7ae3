/*
 * clock.h: a dossier's clock as its events tell it: where counting
 * started and why, the pauses, the restarts, the extension, and the
 * working time used, left or overrun at an instant.  dossier-status
 * --explain prints it; reports count with it.
 *
 * The rules are those flow.c applies when the events are recorded,
 * read back from the events' payloads (their "before" and "after"
 * states):
 *   - counting starts at reception: a paper dossier after the cut-off
 *     (Decree 61/2018 Art. 18), an online one after office hours, starts
 *     at the next opening (cal_start()); "accept" moves the basis to the
 *     acceptance, judged against the end of office hours;
 *   - an event that sets paused_at opens a pause (request_fee: a fee
 *     pause, any other: a supplement pause);
 *   - the event that clears it closes the pause, adding its working time
 *     to the budget: what it added to paused_total, or for a limit in
 *     calendar days, whose paused_total counts elapsed seconds (flow.h),
 *     the office time of its interval; or, when it sets a new start_at,
 *     restarts the clock (the restart policy, Decree 61/2018 Art. 19(4)):
 *     the pause is dropped, the basis moves to the restart, judged
 *     against the paper cut-off;
 *   - "extend" moves the due time (once: the last one is kept);
 *   - an event with "late": true is an act done outside its time limit
 *     (flow.h); a late supplement request or apology makes the result
 *     late;
 *   - "finish", "reject" and "stop" end the dossier: its stored result
 *     was judged then (a rejection while paused, when the clock stopped).
 * Working time is cal_elapsed() time; a pause still running counts up
 * to `now`.
 */
#ifndef DOSSIER_CLOCK_H
#define DOSSIER_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "calendar.h"
#include "db.h"
#include "record.h"
#include "util.h"

/* A pause of the clock.  Times of 0 are none. */
struct clock_pause {
	int fee;		/* 1: waiting for a fee, 0: for a supplement */
	dx_time from, to;	/* to 0: still running */
	int64_t working;	/* its office time, seconds (so far) */
	dx_time due_at;		/* running: the due time when it began */
	dx_time due_before, due_after;	/* closed: the due time moved */
};

/* A restart of the clock after a supplement. */
struct clock_restart {
	dx_time requested_at;	/* the supplement request */
	dx_time at, start_at;	/* the supplement, and counting's new start */
	dx_time due_before, due_after;
};

/* An act recorded late (flow.h). */
struct clock_late {
	char action[32];
	dx_time at;
};

enum clock_state {
	CLOCK_NOT_STARTED,	/* not accepted yet: no clock */
	CLOCK_RUNNING,
	CLOCK_PAUSED,
	CLOCK_FINISHED,
	CLOCK_ENDED		/* stopped or refused */
};

/* The clock of one dossier (clock_read()); free with clock_free(). */
struct clock {
	dx_time basis;		/* counting was judged from this instant */
	int cutoff;		/* ... against this cut-off, minutes (after
				 * clock_end(); CAL_CUTOFF_* before) */
	const char *start_reason;	/* why counting starts at start_at */
	struct clock_pause *pauses;	/* in order; a running one last */
	size_t npauses;
	struct clock_restart *restarts;
	size_t nrestarts;
	int extended;		/* ext is set */
	struct {
		dx_time at, due_before, due_after;
		char *reason;	/* NULL: none */
		int late;	/* less than one working day before due */
	} ext;
	struct clock_late *lates;	/* the acts recorded late, in order */
	size_t nlates;
	int late_kept;		/* a late supplement request or apology */
	dx_time ended;		/* the result was judged at; 0: open */
	int stopped;		/* ended by a stop at the applicant's request */
	enum clock_state state;
	dx_time as_of;		/* the instant used, left, overrun are at */
	int64_t paused;		/* working seconds of the closed pauses */
	int counted;		/* start_at and due_at known: the next three */
	int64_t used;		/* working seconds used, at least 0 */
	int late;		/* as_of is past due: overrun, not left */
	int64_t left, overrun;
	/* the dossier, and what clock_event() keeps between events */
	const struct rec_fields *f;
	dx_time paused_at;
	int open;		/* pauses[npauses - 1] is the running pause */
	int cutoff_paper, cutoff_online;
};

/* The name of a state: "not_started", "running", ... */
const char *clock_state_name(enum clock_state s);

/*
 * Why counting starts at `start` for something received at `t`, judged
 * against `cutoff` (minutes after midnight, or CAL_CUTOFF_PAPER or
 * CAL_CUTOFF_ONLINE) and the office hours in force on the day of `t`: a
 * sentence, static.
 */
const char *clock_start_reason(struct calendar *cal, dx_time t,
    dx_time start, int cutoff);

/*
 * Start reading the clock of dossier `f` (borrowed until clock_end()),
 * whose row says it is paused since `paused_at` (0: not paused).
 */
void clock_begin(struct clock *c, const struct calendar *cal,
    const struct rec_fields *f, dx_time paused_at);

/*
 * Read one event, in order: its action, its instant and its payload (the
 * JSON text stored with it; NULL or unreadable text reads as {}).
 */
void clock_event(struct clock *c, const char *action, dx_time at,
    const char *payload);

/* Close the reading at the instant `now`: the state and the counts. */
void clock_end(struct clock *c, struct calendar *cal, dx_time now);

/*
 * clock_begin(), clock_event() for each event of the dossier in the
 * database (in the order they were appended), clock_end().  `events` is
 * a statement the caller keeps between dossiers (NULL at first, then
 * finalized by the caller).  Returns 0, or -1 with e set.
 */
int clock_read(struct clock *c, struct db *db, sqlite3_stmt **events,
    struct calendar *cal, const struct rec_fields *f, dx_time paused_at,
    dx_time now, struct dx_err *e);

/*
 * Why the dossier read has its stored result (f->result): a late act
 * that keeps it late, a stop at the applicant's request, no due time, or
 * the day rule with the day it ended and its due day (Decision 766).  A
 * new string, or NULL while the dossier has no result.
 */
char *clock_result_rule(const struct clock *c, const struct calendar *cal);

/* Free what `c` holds (not `c`). */
void clock_free(struct clock *c);

#endif
