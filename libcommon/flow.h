/*
 * flow.h: the state machine of a dossier.  Every action, its guards
 * (status, role, step, once-only rules, deadlines), its target status and
 * its effect on the clock are in one table in flow.c; dossier-route only
 * loads the dossier, calls flow_apply() and stores what it returns.
 *
 * Late acts are recorded, not refused (Decree 61/2018 Art. 19(4), (8),
 * (9)): a rejection after the due time, an apology (extend) less than one
 * working day before the due time or after it, and a supplement request
 * outside its window or after the due time.  flow_apply() sets r->late for
 * them; a late apology or supplement request also sets the dossier's
 * sticky `late`, which makes its result late whatever the due time
 * becomes.  When a dossier ends (finish, reject, stop) its `result` is
 * stored once: flow_result().
 *
 * A refused action names the rule that refused it, e.g.
 *   "extend: refused by rule 'once': a dossier's due date may be moved
 *    once (Decree 61/2018 Art. 19(9))"
 */
#ifndef DOSSIER_FLOW_H
#define DOSSIER_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "util.h"

#define FLOW_MAX_STEPS 32

/* The state of a dossier that actions read and change (its row). */
struct dstate {
	int status;
	int step;			/* 1-based internal step, 0: none */
	dx_time step_at, step_due_at;	/* step started, step due (0: none) */
	char handler[64];		/* "" for none */
	char unit[32];
	char owner[32];
	dx_time start_at, due_at;	/* 0: none; due_at is the current one */
	dx_time original_due_at;	/* the due time before any extension */
	dx_time paused_at;		/* 0: the clock runs */
	/*
	 * The time paused so far, in seconds of the procedure's clock:
	 * working seconds (office time) for a limit in working days,
	 * half-days or hours; elapsed seconds for a limit in calendar
	 * days, whose pauses move the last day by the days they spanned
	 * (resume()).  The events keep it as written; office time of a
	 * pause in days is counted from its interval (clock.h).
	 */
	int64_t paused_total;
	dx_time finished_at, returned_at;
	int supplements, extensions;
	int late;			/* a late supplement request or apology */
	char result[16];		/* "early", "on_time", "late"; "": open */
	int version;
};

/* One internal step of a procedure version. */
struct fstep {
	char name[256];
	unsigned role;			/* ROLE_* bit, 0: any */
	char unit[32];			/* "" for the receiving unit */
	char office[32];		/* another office that handles the
					   step (a hand-off), "" for the
					   office that owns the dossier */
	double amount;
	int time_unit;
};

/* The rules of the procedure version a dossier was received under. */
struct fproc {
	double amount;			/* statutory time */
	int time_unit;
	double remote_amount;		/* 0: none */
	int remote_unit;
	int remote;			/* the receiving unit is remote */
	int pause;			/* supplement policy: 1 pause, 0 restart */
	int fee_paused;			/* fee waiting is not counted */
	double supplement_amount;	/* a supplement request's window from */
	int supplement_unit;		/* the start of the clock (Art. 19(4)) */
	int nsteps;
	struct fstep steps[FLOW_MAX_STEPS];
};

/* What the actor asked for, and who and when. */
struct frequest {
	const char *action;
	const char *reason;		/* NULL if none */
	const char *to;			/* forward target */
	const char *handler;		/* assign to (login) */
	const void *missing;		/* json_t array of document names */
	dx_time due;			/* extend: the new due time */
	dx_time now;
	const char *actor;		/* login */
	unsigned roles;			/* the actor's ROLE_* bits */
	const char *receiver;		/* login that received the dossier */
	const char *office;		/* this office's agency code */
	const char *home;		/* the office that received the
					   dossier, NULL if this one */
	int internal;			/* forward target is in this office */
	int rejected;			/* the dossier was rejected (return) */
	int form;			/* out: the form the action issues */
	int handoff;			/* out: ownership passes to the
					   after state's owner */
	char step_result[16];		/* out: "early", "on_time", "late" or "" */
	int late;			/* out: done outside its time limit */
};

/* The default supplement window: 3 working days (Decree 61/2018 Art. 19(4)). */
#define FLOW_SUPPLEMENT_DAYS 3

/* 1 if `name` is an action of the table. */
int flow_known(const char *name);
/* 1 if action `name` needs to know who received the dossier. */
int flow_needs_receiver(const char *name);

/* What of a request an action reads besides the reason. */
enum {
	FLOW_USES_TO = 1,	/* the target: forward */
	FLOW_USES_DUE = 2,	/* the new due time: extend */
	FLOW_USES_HANDLER = 4,	/* who handles next: start, next, back, forward */
	FLOW_USES_MISSING = 8	/* the documents asked for: request_supplement */
};

/* The FLOW_USES_* bits of action `name`; 0 for an unknown action. */
unsigned flow_uses(const char *name);

/*
 * Apply request `r` to dossier `before` of procedure `p`, writing the new
 * state to `after`.  Returns 0, or -1 with e set: DX_NOPERM for the role,
 * ownership and separation-of-duty rules, DX_DATAERR for every other
 * refusal (status, step, once-only, deadline, missing reason or target).
 */
int flow_apply(struct calendar *cal, const struct fproc *p,
    const struct dstate *before, struct dstate *after, struct frequest *r,
    struct dx_err *e);

/*
 * The result of a dossier that ends at `done` with due time `due` and
 * sticky flag `late`: "late" if `late`; otherwise the day rule of step
 * results (Decision 766): "early" if the local date of `done` is before
 * that of `due`, "on_time" on the same date, "late" after it; "on_time"
 * when `due` is 0.  Written to `out` (at least 8 bytes).
 */
void flow_result(const struct calendar *cal, dx_time done, dx_time due,
    int late, char *out, size_t n);

/* Write the list of actions, one per line, as "name: from -> to (roles)". */
void flow_describe(void (*line)(const char *));

#endif
