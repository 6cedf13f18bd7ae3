/*
 * clock.c: a dossier's clock read back from its events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "calendar.h"
#include "clock.h"
#include "db.h"
#include "record.h"
#include "util.h"

const char *
clock_state_name(enum clock_state s)
{
	static const char *const names[] = {
		"not_started", "running", "paused", "finished", "ended"
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] :
	    NULL;
}

const char *
clock_start_reason(struct calendar *cal, dx_time t, dx_time start,
    int cutoff)
{
	struct cal_hours h;
	struct cal_day info;
	int64_t day = cal_local_day(cal, t);
	long minute = (long)((t - cal_day_start(cal, day)) / 60);

	/* the hours in force on the day of receipt, not today's */
	cal_hours_on(cal, day, &h);
	cutoff = cal_cutoff_on(cal, day, cutoff);
	if (start == t)
		return "in office hours: counting starts at once";
	if (!cal_day_info(cal, day, &info))
		return "on a non-working day: counting starts at the opening"
		    " of the next working day";
	if (minute >= h.period_end[h.nperiods - 1] && cutoff != h.cutoff)
		return "after office hours: counting starts at the opening"
		    " of the next working day";
	if (minute >= cutoff)
		return "after the paper cut-off (Decree 61/2018 Art. 18):"
		    " counting starts at the opening of the next working day";
	if (minute < h.period_start[0])
		return "before office hours: counting starts at the opening";
	return "between office periods: counting starts when the office"
	    " reopens";
}

void
clock_begin(struct clock *c, const struct calendar *cal,
    const struct rec_fields *f, dx_time paused_at)
{
	int online = f->channel != NULL && strcmp(f->channel, "online") == 0;

	memset(c, 0, sizeof(*c));
	c->f = f;
	c->paused_at = paused_at;
	c->basis = f->received_at;
	(void)cal;
	/* resolved with the hours of the day counting starts from */
	c->cutoff = online ? CAL_CUTOFF_ONLINE : CAL_CUTOFF_PAPER;
	c->cutoff_paper = CAL_CUTOFF_PAPER;
	c->cutoff_online = CAL_CUTOFF_ONLINE;
}

/* An integer time of `o` (a payload's before or after), else 0. */
static dx_time
jtime(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (dx_time)json_integer_value(v) : 0;
}

static struct clock_pause *
new_pause(struct clock *c)
{
	struct clock_pause *p;

	c->pauses = xreallocarray(c->pauses, c->npauses + 1,
	    sizeof(*c->pauses));
	p = &c->pauses[c->npauses++];
	memset(p, 0, sizeof(*p));
	return p;
}

void
clock_event(struct clock *c, const char *action, dx_time at,
    const char *payload)
{
	json_t *p = payload != NULL ? json_loads(payload, 0, NULL) : NULL;
	json_t *bf = json_object_get(p, "before");
	json_t *af = json_object_get(p, "after");
	struct clock_pause *pause;
	struct clock_restart *r;
	const char *reason;
	struct clock_late *l;

	if (json_is_true(json_object_get(p, "late"))) {
		c->lates = xreallocarray(c->lates, c->nlates + 1,
		    sizeof(*c->lates));
		l = &c->lates[c->nlates++];
		snprintf(l->action, sizeof(l->action), "%s", action);
		l->at = at;
		if (strcmp(action, "request_supplement") == 0 ||
		    strcmp(action, "extend") == 0)
			c->late_kept = 1;
	}
	if (strcmp(action, "finish") == 0 || strcmp(action, "reject") == 0 ||
	    strcmp(action, "stop") == 0) {
		c->stopped = strcmp(action, "stop") == 0;
		/* a rejection while paused is judged when the clock stopped */
		c->ended = strcmp(action, "reject") == 0 && c->paused_at != 0 ?
		    c->paused_at : at;
	}
	if (strcmp(action, "accept") == 0) {
		c->basis = at;
		c->cutoff = c->cutoff_online;
	} else if (jtime(af, "paused_at") != 0) {
		/* a pause begins; one begun and not ended is forgotten */
		if (c->open)
			c->npauses--;
		pause = new_pause(c);
		pause->fee = strcmp(action, "request_fee") == 0;
		pause->from = at;
		pause->due_at = jtime(bf, "due_at") ? jtime(bf, "due_at") :
		    c->f->due_at;
		c->open = 1;
	} else if (c->open && json_object_get(bf, "paused_at") != NULL) {
		pause = &c->pauses[c->npauses - 1];
		c->open = 0;
		if (jtime(af, "start_at") != 0) {
			/* the restart policy: the clock starts over */
			c->basis = at;
			c->cutoff = c->cutoff_paper;
			c->restarts = xreallocarray(c->restarts,
			    c->nrestarts + 1, sizeof(*c->restarts));
			r = &c->restarts[c->nrestarts++];
			r->requested_at = pause->from;
			r->at = at;
			r->start_at = jtime(af, "start_at");
			r->due_before = jtime(bf, "due_at");
			r->due_after = jtime(af, "due_at");
			c->npauses--;
		} else {
			pause->to = at;
			pause->working = jtime(af, "paused_total") -
			    jtime(bf, "paused_total");
			pause->due_before = jtime(bf, "due_at");
			pause->due_after = jtime(af, "due_at") ?
			    jtime(af, "due_at") : c->f->due_at;
			pause->due_at = 0;
			c->paused += pause->working;
		}
	} else if (strcmp(action, "extend") == 0) {
		free(c->ext.reason);
		reason = json_string_value(json_object_get(p, "reason"));
		c->extended = 1;
		c->ext.at = at;
		c->ext.due_before = jtime(bf, "due_at");
		c->ext.due_after = jtime(af, "due_at");
		c->ext.reason = reason != NULL ? xstrdup(reason) : NULL;
		c->ext.late = json_is_true(json_object_get(p, "late"));
	}
	json_decref(p);
}

void
clock_end(struct clock *c, struct calendar *cal, dx_time now)
{
	const struct rec_fields *f = c->f;
	int days = f->time_unit != NULL && strcmp(f->time_unit, "days") == 0;
	size_t i;

	if (f->finished_at != 0) {
		c->as_of = f->finished_at;
		c->state = CLOCK_FINISHED;
	} else if (f->start_at == 0) {
		c->as_of = now;
		c->state = CLOCK_NOT_STARTED;
	} else if (c->paused_at != 0) {
		c->as_of = c->paused_at < now ? c->paused_at : now;
		c->state = CLOCK_PAUSED;
	} else {
		c->as_of = now;
		c->state = f->status == ST_STOPPED || f->status == ST_REFUSED ?
		    CLOCK_ENDED : CLOCK_RUNNING;
	}
	if (c->open)
		c->pauses[c->npauses - 1].working = cal_elapsed(cal,
		    c->paused_at, now);
	/*
	 * A limit in calendar days keeps paused_total in elapsed seconds
	 * (flow.h): the working time of its closed pauses is their
	 * intervals' office time, which `used` is counted in.
	 */
	if (days) {
		c->paused = 0;
		for (i = 0; i < c->npauses; i++) {
			if (c->pauses[i].to == 0)
				continue;
			c->pauses[i].working = cal_elapsed(cal,
			    c->pauses[i].from, c->pauses[i].to);
			c->paused += c->pauses[i].working;
		}
	}
	/* the cut-off of the hours in force on the day of the basis */
	c->cutoff = cal_cutoff_on(cal, cal_local_day(cal, c->basis),
	    c->cutoff);
	if (f->start_at == 0)
		c->start_reason = "not accepted yet: no clock";
	else if (days)
		c->start_reason = "a limit in days: the period starts on the"
		    " day after receipt, whatever the hour (Civil Code 2015"
		    " Art. 147)";
	else
		c->start_reason = clock_start_reason(cal, c->basis,
		    f->start_at, c->cutoff);
	c->counted = f->start_at != 0 && f->due_at != 0;
	if (!c->counted)
		return;
	c->used = cal_elapsed(cal, f->start_at, c->as_of) - c->paused;
	if (c->used < 0)
		c->used = 0;
	c->late = c->as_of > f->due_at;
	if (c->late)
		c->overrun = cal_elapsed(cal, f->due_at, c->as_of);
	else
		c->left = cal_elapsed(cal, c->as_of, f->due_at);
}

int
clock_read(struct clock *c, struct db *db, sqlite3_stmt **events,
    struct calendar *cal, const struct rec_fields *f, dx_time paused_at,
    dx_time now, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	clock_begin(c, cal, f, paused_at);
	if (*events == NULL && (*events = db_prepare(db,
	    "SELECT action, at, payload FROM events WHERE dossier = ?"
	    " ORDER BY id", 1, e)) == NULL)
		return -1;
	st = *events;
	sqlite3_reset(st);
	if ((rc = sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_TRANSIENT)) !=
	    SQLITE_OK)
		return db_seterr(db, rc, e, db->path);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		clock_event(c, sqlite3_column_type(st, 0) == SQLITE_NULL ? "" :
		    (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	clock_end(c, cal, now);
	return 0;
}

void
clock_free(struct clock *c)
{
	free(c->pauses);
	free(c->restarts);
	free(c->ext.reason);
	free(c->lates);
	c->pauses = NULL;
	c->restarts = NULL;
	c->ext.reason = NULL;
	c->lates = NULL;
	c->npauses = c->nrestarts = c->nlates = 0;
}

char *
clock_result_rule(const struct clock *c, const struct calendar *cal)
{
	const char *r = c->f->result;
	struct dx_buf b;
	char d1[40], d2[40];
	size_t i;

	if (r == NULL)
		return NULL;
	buf_init(&b);
	for (i = 0; c->late_kept && i < c->nlates; i++) {
		if (strcmp(c->lates[i].action, "request_supplement") == 0) {
			buf_adds(&b, "a supplement request outside its window"
			    " or after the due time keeps the dossier late"
			    " (Decree 61/2018 Art. 19(4))");
			return b.buf;
		}
		if (strcmp(c->lates[i].action, "extend") == 0) {
			buf_adds(&b, "an apology less than one working day"
			    " before the due time keeps the dossier late"
			    " (Decree 61/2018 Art. 19(9))");
			return b.buf;
		}
	}
	if (c->stopped)
		buf_adds(&b, "stopped at the applicant's request: on time");
	else if (c->f->due_at == 0 || c->ended == 0)
		buf_adds(&b, "no due time: on time");
	else {
		cal_format(cal, c->ended, d1);
		cal_format(cal, c->f->due_at, d2);
		buf_printf(&b, "ended on %.10s, due on %.10s: %s the due day"
		    " (day rule, Decision 766)", d1, d2,
		    strcmp(r, "early") == 0 ? "before" :
		    strcmp(r, "on_time") == 0 ? "on" : "after");
	}
	return b.buf;
}
