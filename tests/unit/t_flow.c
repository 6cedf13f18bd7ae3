/*
 * t_flow.c: flow_apply()'s table, row by row, as jq.test is: for an
 * action on a dossier in a status, by an actor with some roles, either
 * the status it moves to (0: unchanged) and the form it issues, or the
 * rule that refuses it and the exit code.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "actor.h"
#include "calendar.h"
#include "flow.h"
#include "record.h"
#include "util.h"

void t_flow(void);

#define ALL (ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_LEADER | ROLE_CLERK)
#define REC ROLE_RECEPTION
#define SPE ROLE_SPECIALIST
#define LEA ROLE_LEADER
#define CLE ROLE_CLERK

enum {
	NO_REASON = 1,		/* the request has no reason */
	NO_TO = 2,		/* ... no target */
	NO_DUE = 4,		/* ... no new due time */
	RECEIVER = 8,		/* the actor received the dossier */
	FOREIGN = 16,		/* the dossier is owned by another office */
	STEP0 = 32,		/* at no internal step */
	STEP2 = 64,		/* at the last step (2 of 2) */
	EXTENDED = 128,		/* extended once already */
	OVERDUE = 256		/* the due time has passed */
};

static const struct row {
	const char *action;
	int status;
	unsigned roles;
	unsigned how;
	int to;			/* the status after; 0: unchanged */
	int form;
	const char *rule;	/* NULL: applied */
	int code;
} rows[] = {
	/* applied: every action from each status it applies to */
	{ "accept", 1, REC, 0, ST_ACCEPTED, 1, NULL, 0 },
	{ "refuse", 1, REC, 0, ST_REFUSED, 3, NULL, 0 },
	{ "start", 2, REC, STEP0, ST_PROCESSING, 0, NULL, 0 },
	{ "start", 2, LEA, STEP0, ST_PROCESSING, 0, NULL, 0 },
	{ "next", 4, SPE, 0, 0, 0, NULL, 0 },
	{ "back", 4, LEA, STEP2, 0, 0, NULL, 0 },
	{ "forward", 2, REC, 0, 0, 0, NULL, 0 },
	{ "forward", 4, SPE, 0, 0, 0, NULL, 0 },
	{ "request_supplement", 2, REC, 0, ST_SUPPLEMENT, 2, NULL, 0 },
	{ "request_supplement", 4, SPE, 0, ST_SUPPLEMENT, 2, NULL, 0 },
	{ "supplement_received", 5, REC, 0, ST_PROCESSING, 0, NULL, 0 },
	{ "supplement_received", 5, REC, STEP0, ST_ACCEPTED, 0, NULL, 0 },
	{ "request_fee", 4, SPE, 0, ST_FEE, 0, NULL, 0 },
	{ "fee_paid", 6, CLE, 0, ST_PROCESSING, 0, NULL, 0 },
	{ "extend", 4, LEA, 0, 0, 4, NULL, 0 },
	{ "extend", 5, LEA, 0, 0, 4, NULL, 0 },
	{ "extend", 6, LEA, 0, 0, 4, NULL, 0 },
	{ "finish", 4, CLE, STEP2, ST_FINISHED, 0, NULL, 0 },
	{ "return", 9, REC, 0, ST_RETURNED, 0, NULL, 0 },
	{ "withdraw", 1, REC, 0, ST_WITHDRAWAL, 0, NULL, 0 },
	{ "withdraw", 6, REC, 0, ST_WITHDRAWAL, 0, NULL, 0 },
	{ "stop", 7, LEA, 0, ST_STOPPED, 5, NULL, 0 },
	{ "reject", 4, LEA, 0, ST_STOPPED, 3, NULL, 0 },
	{ "reject", 6, LEA, 0, ST_STOPPED, 3, NULL, 0 },

	/* rule 'status': every other status */
	{ "accept", 2, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "refuse", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "start", 1, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "start", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "next", 2, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "back", 5, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "forward", 1, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "forward", 5, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "request_supplement", 5, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "supplement_received", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "request_fee", 2, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "fee_paid", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "extend", 2, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "finish", 6, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "return", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "withdraw", 9, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "withdraw", 3, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "stop", 4, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "reject", 2, ALL, 0, 0, 0, "status", DX_DATAERR },
	{ "reject", 10, ALL, 0, 0, 0, "status", DX_DATAERR },

	/* rule 'role' */
	{ "accept", 1, SPE | LEA | CLE, 0, 0, 0, "role", DX_NOPERM },
	{ "start", 2, SPE | CLE, STEP0, 0, 0, "role", DX_NOPERM },
	{ "next", 4, REC | LEA, 0, 0, 0, "role", DX_NOPERM },
	{ "forward", 4, CLE, 0, 0, 0, "role", DX_NOPERM },
	{ "fee_paid", 6, SPE | LEA, 0, 0, 0, "role", DX_NOPERM },
	{ "extend", 4, REC | SPE | CLE, 0, 0, 0, "role", DX_NOPERM },
	{ "finish", 4, REC | SPE, STEP2, 0, 0, "role", DX_NOPERM },
	{ "stop", 7, REC, 0, 0, 0, "role", DX_NOPERM },
	{ "reject", 4, SPE, 0, 0, 0, "role", DX_NOPERM },

	/* the other rules, in the order flow_apply checks them */
	{ "next", 4, ALL, FOREIGN, 0, 0, "owner", DX_NOPERM },
	{ "next", 4, ALL, STEP0, 0, 0, "step", DX_DATAERR },
	{ "refuse", 1, REC, NO_REASON, 0, 0, "reason", DX_DATAERR },
	{ "back", 4, ALL, STEP2 | NO_REASON, 0, 0, "reason", DX_DATAERR },
	{ "forward", 4, SPE, NO_TO, 0, 0, "target", DX_DATAERR },
	{ "extend", 4, LEA, NO_DUE, 0, 0, "due", DX_DATAERR },
	{ "finish", 4, CLE, STEP2 | RECEIVER, 0, 0, "separation of duties",
	  DX_NOPERM },
	{ "reject", 4, LEA, RECEIVER, 0, 0, "separation of duties",
	  DX_NOPERM },
	{ "next", 4, LEA, STEP2, 0, 0, "last step", DX_DATAERR },
	{ "back", 4, SPE, 0, 0, 0, "first step", DX_DATAERR },
	{ "finish", 4, CLE, 0, 0, 0, "last step", DX_DATAERR },
	{ "extend", 4, LEA, EXTENDED, 0, 0, "once", DX_DATAERR },

	/* late, not refused: recorded as late (Decree 61/2018 Art. 19) */
	{ "extend", 4, LEA, OVERDUE, 0, 4, NULL, 0 },
	{ "reject", 4, LEA, OVERDUE, ST_STOPPED, 3, NULL, 0 },
};

/* The procedure: two steps, for a specialist then a leader. */
static void
procedure(struct fproc *p)
{
	memset(p, 0, sizeof(*p));
	p->amount = 10;
	p->time_unit = TU_WORKING_DAYS;
	p->nsteps = 2;
	snprintf(p->steps[0].name, sizeof(p->steps[0].name), "Thẩm định");
	p->steps[0].role = ROLE_SPECIALIST;
	p->steps[0].amount = 3;
	p->steps[0].time_unit = TU_WORKING_DAYS;
	snprintf(p->steps[1].name, sizeof(p->steps[1].name), "Ký duyệt");
	p->steps[1].role = ROLE_LEADER;
	p->steps[1].amount = 1;
	p->steps[1].time_unit = TU_WORKING_DAYS;
}

void
t_flow(void)
{
	struct calendar cal;
	struct fproc p;
	struct dstate before, after;
	struct frequest r;
	struct dx_err e;
	char want[128];
	dx_time now = 1773280800;	/* 2026-03-12T09:00:00+07:00 */
	size_t i;
	int rc;

	cal_init(&cal);
	procedure(&p);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];

		memset(&before, 0, sizeof(before));
		before.status = w->status;
		before.step = w->how & STEP0 ? 0 : w->how & STEP2 ? 2 : 1;
		before.step_at = now - 86400;
		before.step_due_at = now + 86400;
		snprintf(before.handler, sizeof(before.handler), "someone");
		snprintf(before.owner, sizeof(before.owner), "%s",
		    w->how & FOREIGN ? "000.00.23.H56" : "000.00.22.H56");
		snprintf(before.unit, sizeof(before.unit), "000.00.22.H56");
		/* a day ago: inside the 3-day supplement window */
		before.start_at = now - 86400;
		before.due_at = w->how & OVERDUE ? now - 3600 :
		    now + 10 * 86400;
		before.extensions = w->how & EXTENDED ? 1 : 0;
		before.version = 3;

		memset(&r, 0, sizeof(r));
		r.action = w->action;
		r.reason = w->how & NO_REASON ? NULL : "lý do";
		r.to = w->how & NO_TO ? NULL : "000.00.23.H56";
		r.due = w->how & NO_DUE ? 0 : before.due_at + 5 * 86400;
		r.now = now;
		r.actor = "an.nv";
		r.roles = w->roles;
		r.receiver = w->how & RECEIVER ? "an.nv" : "binh.tt";
		r.office = "000.00.22.H56";

		e.code = 0;
		e.msg[0] = '\0';
		rc = flow_apply(&cal, &p, &before, &after, &r, &e);
		if (w->rule == NULL) {
			ok(rc == 0 && after.status == (w->to != 0 ? w->to :
			    w->status) && r.form == w->form &&
			    after.version == 4 &&
			    r.late == ((w->how & OVERDUE) != 0),
			    "%s from %d: to %d, form %d%s%s", w->action,
			    w->status, w->to != 0 ? w->to : w->status, w->form,
			    rc == 0 ? "" : ": ", rc == 0 ? "" : e.msg);
		} else {
			snprintf(want, sizeof(want), "%s: refused by rule '%s':",
			    w->action, w->rule);
			ok(rc == -1 && e.code == w->code &&
			    strncmp(e.msg, want, strlen(want)) == 0,
			    "%s from %d: rule '%s', %d (%s)", w->action,
			    w->status, w->rule, w->code, e.msg);
		}
	}
	r.action = "frobnicate";
	e.code = 0;
	ok(flow_apply(&cal, &p, &before, &after, &r, &e) == -1 &&
	    e.code == DX_USAGE, "an unknown action: DX_USAGE");

	/* hand-offs: into a step of another office, and the result back */
	memset(&before, 0, sizeof(before));
	before.status = 4;
	before.step = 1;
	before.step_at = now - 86400;
	before.step_due_at = now + 86400;
	before.start_at = now - 86400;
	before.due_at = now + 10 * 86400;
	before.version = 3;
	snprintf(before.handler, sizeof(before.handler), "an.nv");
	snprintf(before.owner, sizeof(before.owner), "000.00.22.H56");
	snprintf(before.unit, sizeof(before.unit), "000.00.22.H56");
	memset(&r, 0, sizeof(r));
	r.action = "next";
	r.now = now;
	r.actor = "an.nv";
	r.roles = ROLE_SPECIALIST;
	r.handler = "binh.tt";
	r.office = "000.00.22.H56";
	rc = flow_apply(&cal, &p, &before, &after, &r, &e);
	ok(rc == 0 && r.handoff == 0 && strcmp(after.owner,
	    "000.00.22.H56") == 0 && strcmp(after.handler, "binh.tt") == 0,
	    "next into a step of this office: no hand-off");
	snprintf(p.steps[1].office, sizeof(p.steps[1].office),
	    "000.00.00.H56");
	rc = flow_apply(&cal, &p, &before, &after, &r, &e);
	ok(rc == 0 && r.handoff == 1 && strcmp(after.owner,
	    "000.00.00.H56") == 0 && after.handler[0] == '\0' &&
	    after.step == 2 && after.due_at == before.due_at,
	    "next into a step of another office: handed off, the clock kept");
	before = after;
	r.action = "finish";
	r.roles = ROLE_LEADER;
	r.handler = NULL;
	r.receiver = "an.nv";
	r.actor = "hung.lv";
	r.office = "000.00.00.H56";
	r.home = "000.00.22.H56";
	rc = flow_apply(&cal, &p, &before, &after, &r, &e);
	ok(rc == 0 && r.handoff == 1 && after.status == ST_FINISHED &&
	    strcmp(after.owner, "000.00.22.H56") == 0,
	    "finish in another office: back to the one that received it%s%s",
	    rc == 0 ? "" : ": ", rc == 0 ? "" : e.msg);
	r.home = "000.00.00.H56";
	rc = flow_apply(&cal, &p, &before, &after, &r, &e);
	ok(rc == 0 && r.handoff == 0 && strcmp(after.owner,
	    "000.00.00.H56") == 0, "finish where it was received: kept");
	cal_free(&cal);
}
