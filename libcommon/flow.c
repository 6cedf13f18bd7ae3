/*
 * flow.c: the transition table of a dossier and its clock rules.
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "calendar.h"
#include "flow.h"
#include "record.h"
#include "util.h"

#define S(n) (1u << (n))

enum {
	F_REASON = 1,		/* a reason is required */
	F_TO = 2,		/* a target (--to) is required */
	F_DUE = 4,		/* a new due time is required */
	F_NOT_RECEIVER = 8,	/* not by the one who received the dossier */
	F_STEP_ROLE = 16	/* the role of the current step, or its handler */
};

enum effect {
	E_NONE, E_ACCEPT, E_START, E_NEXT, E_BACK, E_FORWARD, E_SUPPLEMENT,
	E_SUPPLIED, E_FEE, E_PAID, E_EXTEND, E_FINISH, E_RETURN, E_STOP,
	E_REJECT
};

#define TO_PREVIOUS (-1)	/* back to 2 or 4, whichever it came from */

static const struct transition {
	const char *name;
	unsigned from;		/* statuses it applies to */
	int to;			/* new status; 0: unchanged */
	unsigned roles;		/* roles allowed (F_STEP_ROLE: the step's) */
	unsigned flags;
	enum effect effect;
	int form;		/* form issued (forms.h numbering), 0: none */
} table[] = {
	{ "accept", S(1), ST_ACCEPTED, ROLE_RECEPTION, 0, E_ACCEPT, 1 },
	{ "refuse", S(1), ST_REFUSED, ROLE_RECEPTION, F_REASON, E_NONE, 3 },
	{ "start", S(2), ST_PROCESSING, ROLE_RECEPTION | ROLE_LEADER, 0,
	    E_START, 0 },
	{ "next", S(4), 0, 0, F_STEP_ROLE, E_NEXT, 0 },
	{ "back", S(4), 0, 0, F_STEP_ROLE | F_REASON, E_BACK, 0 },
	{ "forward", S(2) | S(4), 0,
	    ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_LEADER, F_TO, E_FORWARD,
	    0 },
	{ "request_supplement", S(1) | S(2) | S(4), ST_SUPPLEMENT,
	    ROLE_RECEPTION | ROLE_SPECIALIST, F_REASON, E_SUPPLEMENT, 2 },
	{ "supplement_received", S(5), TO_PREVIOUS, ROLE_RECEPTION, 0,
	    E_SUPPLIED, 0 },
	{ "request_fee", S(4), ST_FEE, ROLE_RECEPTION | ROLE_SPECIALIST, 0,
	    E_FEE, 0 },
	{ "fee_paid", S(6), ST_PROCESSING, ROLE_RECEPTION | ROLE_CLERK, 0,
	    E_PAID, 0 },
	{ "extend", S(4) | S(5) | S(6), 0, ROLE_LEADER, F_REASON | F_DUE,
	    E_EXTEND, 4 },
	{ "finish", S(4), ST_FINISHED, ROLE_LEADER | ROLE_CLERK,
	    F_NOT_RECEIVER, E_FINISH, 0 },
	{ "return", S(8) | S(9), ST_RETURNED, ROLE_RECEPTION, 0, E_RETURN, 0 },
	{ "withdraw", S(1) | S(2) | S(4) | S(5) | S(6), ST_WITHDRAWAL,
	    ROLE_RECEPTION, F_REASON, E_NONE, 0 },
	{ "stop", S(7), ST_STOPPED, ROLE_LEADER, 0, E_STOP, 5 },
	{ "reject", S(4) | S(5) | S(6), ST_STOPPED, ROLE_LEADER,
	    F_REASON | F_NOT_RECEIVER, E_REJECT, 3 },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static const struct transition *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

int
flow_known(const char *name)
{
	return find(name) != NULL;
}

int
flow_needs_receiver(const char *name)
{
	const struct transition *t = find(name);

	return t != NULL && (t->flags & F_NOT_RECEIVER);
}

unsigned
flow_uses(const char *name)
{
	const struct transition *t = find(name);
	unsigned u = 0;

	if (t == NULL)
		return 0;
	if (t->flags & F_TO)
		u |= FLOW_USES_TO;
	if (t->flags & F_DUE)
		u |= FLOW_USES_DUE;
	if (t->effect == E_START || t->effect == E_NEXT ||
	    t->effect == E_BACK || t->effect == E_FORWARD)
		u |= FLOW_USES_HANDLER;
	if (t->effect == E_SUPPLEMENT)
		u |= FLOW_USES_MISSING;
	return u;
}

static void
roles_text(unsigned roles, char *buf, size_t n)
{
	unsigned bit;
	size_t len = 0;

	buf[0] = '\0';
	for (bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
		if (roles & bit)
			len = list_append(buf, n, len, " or ", role_name(bit));
}

static void
statuses_text(unsigned from, char *buf, size_t n)
{
	size_t len = 0;
	int s;

	buf[0] = '\0';
	for (s = 1; s <= 10; s++)
		if (from & S(s))
			len = list_append(buf, n, len, ", ", status_name(s));
}

void
flow_describe(void (*line)(const char *))
{
	char from[256], roles[128], msg[512];
	size_t i;

	for (i = 0; i < NTABLE; i++) {
		statuses_text(table[i].from, from, sizeof(from));
		if (table[i].flags & F_STEP_ROLE)
			snprintf(roles, sizeof(roles), "the step's role");
		else
			roles_text(table[i].roles, roles, sizeof(roles));
		snprintf(msg, sizeof(msg), "%s: %s -> %s (%s)", table[i].name,
		    from, table[i].to == 0 ? "same" :
		    table[i].to == TO_PREVIOUS ? "previous" :
		    status_name(table[i].to), roles);
		line(msg);
	}
}

/* A refusal: "ACTION: refused by rule 'RULE': WHY". */
static int
refuse(struct dx_err *e, int code, const char *action, const char *rule,
    const char *why)
{
	return dx_seterr(e, code, _("%s: refused by rule '%s': %s"), action,
	    rule, why);
}

/* The due time of the procedure's whole budget counted from `start`. */
static int
budget(struct calendar *cal, const struct fproc *p, dx_time start,
    dx_time *due)
{
	if (cal_add(cal, start, p->amount, p->time_unit, due) == -1)
		return -1;
	if (p->remote && p->remote_amount > 0 &&
	    cal_add(cal, *due, p->remote_amount, p->remote_unit, due) == -1)
		return -1;
	return 0;
}

static int
step_due(struct calendar *cal, const struct fproc *p, int step, dx_time at,
    dx_time *due)
{
	const struct fstep *s = &p->steps[step - 1];

	return cal_add(cal, at, s->amount, s->time_unit, due);
}

/*
 * Move `t` later by the clock time that passed while paused, from
 * `paused_at` to `now`: working time for working units.  A limit in
 * calendar days moves its last day by the days the pause spanned (the
 * remaining days count again from the day after the resumption, as the
 * Civil Code 2015 Art. 147 counts a period), and ends at the close of
 * office hours of that day, or of the next working day: never at an
 * hour the office is closed.  Returns the seconds paused, for
 * paused_total (flow.h): working seconds, or for a limit in calendar days
 * the elapsed seconds.
 */
static int64_t
resume(struct calendar *cal, const struct fproc *p, dx_time paused_at,
    dx_time now, dx_time *t)
{
	int64_t w, days;

	if (p->time_unit == TU_DAYS) {
		w = now - paused_at;
		days = cal_local_day(cal, now) - cal_local_day(cal, paused_at);
		if (*t != 0 && days > 0)
			cal_add(cal, *t, (double)days, TU_DAYS, t);
		return w;
	}
	w = cal_elapsed(cal, paused_at, now);
	if (*t != 0 && w > 0)
		cal_add(cal, *t, (double)w / 3600.0, TU_HOURS, t);
	return w;
}

/* Early, on time or late: the local date of `done` against `due`'s. */
static void
classify(const struct calendar *cal, dx_time done, dx_time due, char *out,
    size_t n)
{
	int64_t a, b;

	if (due == 0) {
		snprintf(out, n, "on_time");
		return;
	}
	a = cal_local_day(cal, done);
	b = cal_local_day(cal, due);
	snprintf(out, n, "%s", a < b ? "early" : a == b ? "on_time" : "late");
}

void
flow_result(const struct calendar *cal, dx_time done, dx_time due, int late,
    char *out, size_t n)
{
	if (late)
		snprintf(out, n, "late");
	else
		classify(cal, done, due, out, n);
}

/*
 * The end of a dossier at `done`: its result against its current due
 * time (not its last step's), stored once.
 */
static void
end(const struct calendar *cal, struct dstate *after, dx_time done)
{
	flow_result(cal, done, after->due_at, after->late, after->result,
	    sizeof(after->result));
}

/*
 * A supplement request after receipt is late outside its window from the
 * start of the clock (3 working days unless the procedure sets another:
 * Decree 61/2018 Art. 19(4)) or after the due time.  0, or -1 if the
 * window cannot be computed.
 */
static int
supplement_late(struct calendar *cal, const struct fproc *p,
    const struct dstate *before, dx_time now, int *late)
{
	dx_time limit;
	double amount = p->supplement_amount;
	int unit = p->supplement_unit;

	if (amount <= 0) {
		amount = FLOW_SUPPLEMENT_DAYS;
		unit = TU_WORKING_DAYS;
	}
	if (cal_add(cal, before->start_at, amount, unit, &limit) == -1)
		return -1;
	*late = now > limit || (before->due_at != 0 && now > before->due_at);
	return 0;
}

static void
set_handler(struct dstate *s, const char *login)
{
	snprintf(s->handler, sizeof(s->handler), "%s", login ? login : "");
}

/*
 * Hand the dossier off to office `to` unless it is empty or this office:
 * the other office owns it from now on, and assigns its own staff.
 */
static void
handoff(struct dstate *after, struct frequest *r, const char *to)
{
	if (to == NULL || *to == '\0' || strcmp(to, r->office) == 0)
		return;
	snprintf(after->owner, sizeof(after->owner), "%s", to);
	set_handler(after, NULL);
	r->handoff = 1;
}

int
flow_apply(struct calendar *cal, const struct fproc *p,
    const struct dstate *before, struct dstate *after, struct frequest *r,
    struct dx_err *e)
{
	const struct transition *t = find(r->action);
	const struct fstep *st;
	char why[512], list[256];
	unsigned need;
	dx_time now = r->now;

	*after = *before;
	r->form = 0;
	r->handoff = 0;
	r->step_result[0] = '\0';
	r->late = 0;
	if (t == NULL)
		return dx_seterr(e, DX_USAGE, _("unknown action"
		    " '%s'"), r->action);

	/* only the owner office changes a dossier (dossier-route(1)) */
	if (strcmp(before->owner, r->office) != 0) {
		snprintf(why, sizeof(why), "the dossier was handed to office %s;"
		    " only that office may change it until it comes back",
		    before->owner);
		return refuse(e, DX_NOPERM, t->name, "owner", why);
	}
	if (!(t->from & S(before->status))) {
		statuses_text(t->from, list, sizeof(list));
		snprintf(why, sizeof(why), "the dossier is %s; %s applies to a"
		    " dossier that is %s", status_name(before->status),
		    t->name, list);
		return refuse(e, DX_DATAERR, t->name, "status", why);
	}
	need = t->roles;
	st = before->step > 0 && before->step <= p->nsteps ?
	    &p->steps[before->step - 1] : NULL;
	if (t->flags & F_STEP_ROLE) {
		if (st == NULL)
			return refuse(e, DX_DATAERR, t->name, "step",
			    "the dossier is at no internal step");
		need = st->role;
		if (need != 0 && !(r->roles & need) &&
		    strcmp(before->handler, r->actor) != 0) {
			roles_text(need, list, sizeof(list));
			snprintf(why, sizeof(why), "step %d '%s' is for the %s"
			    " role or its handler '%s'", before->step, st->name,
			    list, before->handler);
			return refuse(e, DX_NOPERM, t->name, "role", why);
		}
	} else if (!(r->roles & need)) {
		roles_text(need, list, sizeof(list));
		snprintf(why, sizeof(why), "'%s' needs the %s role", t->name,
		    list);
		return refuse(e, DX_NOPERM, t->name, "role", why);
	}
	if ((t->flags & F_REASON) && (r->reason == NULL || *r->reason == '\0'))
		return refuse(e, DX_DATAERR, t->name, "reason",
		    "a reason is required");
	if ((t->flags & F_TO) && (r->to == NULL || *r->to == '\0'))
		return refuse(e, DX_DATAERR, t->name, "target",
		    "a target unit or office is required (to)");
	if ((t->flags & F_DUE) && r->due == 0)
		return refuse(e, DX_DATAERR, t->name, "due",
		    "the new due time is required (due)");
	if ((t->flags & F_NOT_RECEIVER) && r->receiver != NULL &&
	    strcmp(r->receiver, r->actor) == 0)
		return refuse(e, DX_NOPERM, t->name, "separation of duties",
		    "the one who received a dossier may not also approve it");

	if (t->to == TO_PREVIOUS)
		after->status = before->step > 0 ? ST_PROCESSING : ST_ACCEPTED;
	else if (t->to != 0)
		after->status = t->to;
	r->form = t->form;

	switch (t->effect) {
	case E_NONE:
		break;
	case E_ACCEPT:
		/* an online dossier counts from acceptance, after hours from
		 * the next working day (a limit in days: from the next day) */
		after->start_at = cal_budget_start(cal, now,
		    CAL_CUTOFF_ONLINE, (enum time_unit)p->time_unit);
		if (budget(cal, p, after->start_at, &after->due_at) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: cannot compute"
			    " the due time"), t->name);
		after->original_due_at = after->due_at;
		break;
	case E_START:
		if (p->nsteps == 0)
			return refuse(e, DX_DATAERR, t->name, "steps",
			    "the procedure has no internal steps");
		after->step = 1;
		after->step_at = now;
		if (step_due(cal, p, 1, now, &after->step_due_at) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: cannot compute"
			    " the step's due time"), t->name);
		set_handler(after, r->handler ? r->handler : r->actor);
		break;
	case E_NEXT:
	case E_BACK:
		if (t->effect == E_NEXT && before->step >= p->nsteps)
			return refuse(e, DX_DATAERR, t->name, "last step",
			    "this is the procedure's last step: use finish");
		if (t->effect == E_BACK && before->step <= 1)
			return refuse(e, DX_DATAERR, t->name, "first step",
			    "this is the procedure's first step");
		classify(cal, now, before->step_due_at, r->step_result,
		    sizeof(r->step_result));
		after->step = before->step + (t->effect == E_NEXT ? 1 : -1);
		after->step_at = now;
		if (step_due(cal, p, after->step, now,
		    &after->step_due_at) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: cannot compute"
			    " the step's due time"), t->name);
		set_handler(after, r->handler);
		/* into a step of another office: a hand-off to it */
		handoff(after, r, p->steps[after->step - 1].office);
		break;
	case E_FORWARD:
		if (r->internal) {
			snprintf(after->unit, sizeof(after->unit), "%s", r->to);
			set_handler(after, r->handler);
		} else {
			/* a hand-off: the other office owns it from now on */
			snprintf(after->owner, sizeof(after->owner), "%s",
			    r->to);
			set_handler(after, NULL);
			r->handoff = 1;
		}
		break;
	case E_SUPPLEMENT:
		if (before->supplements > 0)
			return refuse(e, DX_DATAERR, t->name, "once",
			    "a supplement may be requested only once, fully"
			    " (Decree 61/2018 Art. 11(2)(c), 15(3))");
		after->supplements = before->supplements + 1;
		/* an online submission not accepted yet has no clock */
		if (before->start_at == 0)
			break;
		after->paused_at = now;
		if (supplement_late(cal, p, before, now, &r->late) == -1)
			return dx_seterr(e, DX_DATAERR, _("%s: cannot compute"
			    " the supplement window"), t->name);
		if (r->late)
			after->late = 1;
		break;
	case E_SUPPLIED:
		if (before->start_at == 0) {
			/* back to the queue of submissions to accept */
			after->status = ST_SUBMITTED;
			break;
		}
		if (p->pause) {
			int64_t w = resume(cal, p, before->paused_at, now,
			    &after->due_at);

			resume(cal, p, before->paused_at, now,
			    &after->step_due_at);
			resume(cal, p, before->paused_at, now,
			    &after->original_due_at);
			after->paused_total = before->paused_total + w;
		} else {
			/* the clock restarts from the complete dossier
			 * (Decree 61/2018 Art. 19(4)) */
			after->start_at = cal_budget_start(cal, now,
			    CAL_CUTOFF_PAPER, (enum time_unit)p->time_unit);
			if (budget(cal, p, after->start_at,
			    &after->due_at) == -1)
				return dx_seterr(e, DX_DATAERR, _("%s: cannot"
				    " compute the due time"), t->name);
			after->original_due_at = after->due_at;
			if (before->step > 0) {
				after->step_at = now;
				if (step_due(cal, p, before->step, now,
				    &after->step_due_at) == -1)
					return dx_seterr(e, DX_DATAERR, _("%s:"
					    " cannot compute the step's due"
					    " time"), t->name);
			}
		}
		after->paused_at = 0;
		break;
	case E_FEE:
		if (p->fee_paused)
			after->paused_at = now;
		break;
	case E_PAID:
		if (before->paused_at != 0) {
			int64_t w = resume(cal, p, before->paused_at, now,
			    &after->due_at);

			resume(cal, p, before->paused_at, now,
			    &after->step_due_at);
			resume(cal, p, before->paused_at, now,
			    &after->original_due_at);
			after->paused_total = before->paused_total + w;
			after->paused_at = 0;
		}
		break;
	case E_EXTEND:
		/* while the clock is paused, the deadline is judged at the
		 * moment it stopped */
		if (before->paused_at != 0)
			now = before->paused_at;
		if (before->extensions > 0)
			return refuse(e, DX_DATAERR, t->name, "once",
			    "the due date may be moved only once (Decree"
			    " 61/2018 Art. 19(9))");
		if (r->due <= before->due_at)
			return refuse(e, DX_DATAERR, t->name, "later",
			    "the new due time must be later than the current"
			    " one");
		if (before->due_at == 0)
			return refuse(e, DX_DATAERR, t->name, "due time",
			    "the dossier has no due time to move");
		/*
		 * Asked less than one working day before the due time, or
		 * after it, the apology is late (Decree 61/2018 Art.
		 * 19(9)): recorded, and the dossier stays late.
		 */
		if (now >= before->due_at || cal_elapsed(cal, now,
		    before->due_at) < cal_day_seconds_on(cal,
		    cal_local_day(cal, now))) {
			r->late = 1;
			after->late = 1;
		}
		after->due_at = r->due;
		after->extensions = before->extensions + 1;
		break;
	case E_FINISH:
		if (p->nsteps > 0 && before->step < p->nsteps) {
			snprintf(why, sizeof(why), "the dossier is at step %d"
			    " of %d; the steps must be followed to the last",
			    before->step, p->nsteps);
			return refuse(e, DX_DATAERR, t->name, "last step", why);
		}
		classify(cal, now, before->step_due_at, r->step_result,
		    sizeof(r->step_result));
		after->finished_at = now;
		end(cal, after, now);
		/* the result goes back to the office that received it */
		handoff(after, r, r->home);
		break;
	case E_RETURN:
		if (before->status == ST_STOPPED) {
			if (!r->rejected)
				return refuse(e, DX_DATAERR, t->name,
				    "rejected", "a stopped dossier is returned"
				    " only after a rejection, whose refusal"
				    " and original documents go back to the"
				    " applicant");
			r->form = 3;
		}
		after->returned_at = now;
		break;
	case E_STOP:
		/* a stop at the applicant's request is never the office's
		 * delay */
		after->finished_at = now;
		snprintf(after->result, sizeof(after->result), "on_time");
		break;
	case E_REJECT: {
		/* while the clock is paused, judged when it stopped */
		dx_time done = before->paused_at != 0 ? before->paused_at :
		    now;

		/* late, not refused: Decree 61/2018 Art. 19(8) sets the
		 * time limit, not a bar */
		if (before->due_at != 0 && done > before->due_at)
			r->late = 1;
		after->finished_at = now;
		end(cal, after, done);
		handoff(after, r, r->home);
		break;
	}
	}
	after->version = before->version + 1;
	return 0;
}
