/*
 * t_clock.c: a dossier's clock read back from its events: the start
 * rules, pauses, restarts, the extension, and used, left and overrun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "calendar.h"
#include "clock.h"
#include "record.h"
#include "util.h"

void t_clock(void);

/* Monday 2026-03-16 in office time (+07:00) */
#define MON(h, m) ((dx_time)1773622800 + ((h) - 8) * 3600 + (m) * 60)
#define DAY 86400
#define WDAY 28800		/* working seconds of a working day */

/* A dossier received at `recv`, counting from `start`, due at `due`. */
static struct rec_fields
dossier(const char *channel, int status, dx_time recv, dx_time start,
    dx_time due)
{
	struct rec_fields f;

	memset(&f, 0, sizeof(f));
	f.uuid = "0194f3c2-7d1e-7c4a-9b1a-2f0c3d4e5f60";
	f.code = "000.00.01.H56-260316-0001";
	f.channel = channel;
	f.status = status;
	f.received_at = recv;
	f.start_at = start;
	f.due_at = due;
	return f;
}

static void
check_start(void)
{
	struct calendar cal;
	struct rec_fields f;
	struct clock c;

	cal_init(&cal);
	f = dossier("direct", ST_PROCESSING, MON(9, 0), MON(9, 0),
	    MON(9, 0) + 2 * DAY);
	clock_begin(&c, &cal, &f, 0);
	clock_end(&c, &cal, MON(10, 0));
	is_str(c.start_reason, "in office hours: counting starts at once",
	    "in office hours");
	ok(c.basis == MON(9, 0) && c.cutoff == 900, "paper: basis and 15:00");
	is_str(clock_state_name(c.state), "running", "running");
	ok(c.counted && c.used == 3600 && !c.late &&
	    c.left == 2 * WDAY - 3600, "used 1 h, left 2 days less 1 h");
	clock_free(&c);

	/* after the paper cut-off, 16:00: the next morning */
	f = dossier("direct", ST_PROCESSING, MON(16, 0), MON(7, 0) + DAY,
	    MON(7, 0) + 2 * DAY);
	clock_begin(&c, &cal, &f, 0);
	clock_end(&c, &cal, MON(16, 30));
	is_str(c.start_reason, "after the paper cut-off (Decree 61/2018"
	    " Art. 18): counting starts at the opening of the next working"
	    " day", "paper after 15:00");
	ok(c.counted && c.used == 0 && c.left == WDAY + 1800,
	    "nothing used before the start; left counts from now");
	clock_free(&c);

	/* online at 16:00 is in time; at 18:00, after hours */
	f = dossier("online", ST_PROCESSING, MON(18, 0), MON(7, 0) + DAY,
	    MON(7, 0) + 2 * DAY);
	clock_begin(&c, &cal, &f, 0);
	is_int(c.cutoff, CAL_CUTOFF_ONLINE, "online: the cut-off of the day");
	clock_end(&c, &cal, MON(18, 0));
	is_int(c.cutoff, 17 * 60, "online: the cut-off is the closing");
	is_str(c.start_reason, "after office hours: counting starts at the"
	    " opening of the next working day", "online after hours");
	clock_free(&c);

	/* Saturday; before opening; lunch */
	is_str(clock_start_reason(&cal, MON(9, 0) + 5 * DAY,
	    MON(7, 0) + 7 * DAY, 900), "on a non-working day: counting"
	    " starts at the opening of the next working day", "Saturday");
	is_str(clock_start_reason(&cal, MON(6, 0), MON(7, 0), 900),
	    "before office hours: counting starts at the opening",
	    "before opening");
	is_str(clock_start_reason(&cal, MON(12, 0), MON(13, 30), 900),
	    "between office periods: counting starts when the office"
	    " reopens", "lunch");

	/* not accepted: no clock */
	f = dossier("online", ST_SUBMITTED, MON(9, 0), 0, 0);
	clock_begin(&c, &cal, &f, 0);
	clock_end(&c, &cal, MON(10, 0));
	is_str(c.start_reason, "not accepted yet: no clock", "no clock yet");
	is_str(clock_state_name(c.state), "not_started", "not_started");
	ok(!c.counted, "... nothing counted");
	clock_free(&c);

	/* accepted: the basis moves, judged against the closing */
	f = dossier("direct", ST_ACCEPTED, MON(9, 0), MON(7, 0) + DAY,
	    MON(7, 0) + 3 * DAY);
	clock_begin(&c, &cal, &f, 0);
	clock_event(&c, "receive", MON(9, 0), "{}");
	clock_event(&c, "accept", MON(16, 0), "{\"before\":{},\"after\":{}}");
	clock_end(&c, &cal, MON(16, 0));
	ok(c.basis == MON(16, 0) && c.cutoff == 17 * 60,
	    "accept: counted from acceptance, cut-off at closing");
	is_str(c.start_reason, "between office periods: counting starts"
	    " when the office reopens", "... 16:00 is in time for that");
	clock_free(&c);
	cal_free(&cal);
}

static void
check_pauses(void)
{
	struct calendar cal;
	struct rec_fields f;
	struct clock c;
	char p1[256], p2[256];

	cal_init(&cal);
	/* a supplement pause of one working hour, closed */
	f = dossier("direct", ST_PROCESSING, MON(8, 0), MON(8, 0),
	    MON(9, 0) + 2 * DAY);
	snprintf(p1, sizeof(p1), "{\"before\":{\"due_at\":%lld},"
	    "\"after\":{\"paused_at\":%lld},\"reason\":\"Thiếu\"}",
	    (long long)(MON(8, 0) + 2 * DAY), (long long)MON(9, 0));
	snprintf(p2, sizeof(p2), "{\"before\":{\"paused_at\":%lld,"
	    "\"paused_total\":0,\"due_at\":%lld},\"after\":{\"paused_at\":"
	    "null,\"paused_total\":3600,\"due_at\":%lld}}",
	    (long long)MON(9, 0), (long long)(MON(8, 0) + 2 * DAY),
	    (long long)(MON(9, 0) + 2 * DAY));
	clock_begin(&c, &cal, &f, 0);
	clock_event(&c, "request_supplement", MON(9, 0), p1);
	clock_event(&c, "supplement_received", MON(10, 0), p2);
	clock_end(&c, &cal, MON(11, 0));
	is_int(c.npauses, 1, "one pause");
	if (c.npauses == 1) {
		ok(!c.pauses[0].fee && c.pauses[0].from == MON(9, 0) &&
		    c.pauses[0].to == MON(10, 0), "supplement, 9:00 to 10:00");
		is_int(c.pauses[0].working, 3600, "... added one hour");
		ok(c.pauses[0].due_before == MON(8, 0) + 2 * DAY &&
		    c.pauses[0].due_after == MON(9, 0) + 2 * DAY,
		    "... and moved the due time by it");
	}
	is_int(c.paused, 3600, "paused total");
	is_int(c.used, 2 * 3600, "used: 3 h less the pause");
	is_int(c.left, WDAY + 6 * 3600, "left: to the new due, Wednesday 9:00");
	clock_free(&c);

	/* the same closing with a new start_at: a restart */
	snprintf(p2, sizeof(p2), "{\"before\":{\"paused_at\":%lld,"
	    "\"due_at\":%lld},\"after\":{\"paused_at\":null,\"start_at\":"
	    "%lld,\"due_at\":%lld}}", (long long)MON(9, 0),
	    (long long)(MON(8, 0) + 2 * DAY), (long long)MON(16, 0),
	    (long long)(MON(16, 0) + 2 * DAY));
	f.start_at = MON(16, 0);
	f.due_at = MON(16, 0) + 2 * DAY;
	clock_begin(&c, &cal, &f, 0);
	clock_event(&c, "request_supplement", MON(9, 0), p1);
	clock_event(&c, "supplement_received", MON(16, 0), p2);
	clock_end(&c, &cal, MON(16, 30));
	ok(c.npauses == 0 && c.nrestarts == 1, "a restart, no pause");
	if (c.nrestarts == 1)
		ok(c.restarts[0].requested_at == MON(9, 0) &&
		    c.restarts[0].at == MON(16, 0) &&
		    c.restarts[0].start_at == MON(16, 0) &&
		    c.restarts[0].due_before == MON(8, 0) + 2 * DAY &&
		    c.restarts[0].due_after == MON(16, 0) + 2 * DAY,
		    "... its times");
	ok(c.basis == MON(16, 0) && c.cutoff == 900,
	    "... counted from the restart, paper cut-off");
	is_int(c.used, 1800, "... used since the restart");
	clock_free(&c);

	/* a fee pause still running: paused state, counted to now */
	f = dossier("direct", ST_FEE, MON(8, 0), MON(8, 0),
	    MON(8, 0) + 2 * DAY);
	clock_begin(&c, &cal, &f, MON(10, 0));
	snprintf(p1, sizeof(p1), "{\"before\":{},\"after\":{\"paused_at\":"
	    "%lld}}", (long long)MON(10, 0));
	clock_event(&c, "request_fee", MON(10, 0), p1);
	clock_end(&c, &cal, MON(11, 0) + DAY);
	is_int(c.npauses, 1, "a running pause");
	if (c.npauses == 1)
		ok(c.pauses[0].fee && c.pauses[0].to == 0 &&
		    c.pauses[0].working == WDAY + 3600 &&
		    c.pauses[0].due_at == f.due_at,
		    "... fee, running, 9 working hours so far, due as it was");
	is_str(clock_state_name(c.state), "paused", "paused");
	ok(c.as_of == MON(10, 0) && c.used == 2 * 3600 &&
	    c.left == 2 * WDAY - 2 * 3600, "counted to the pause");
	clock_free(&c);

	/* a bad payload reads as {} */
	clock_begin(&c, &cal, &f, 0);
	clock_event(&c, "request_fee", MON(10, 0), "{not json");
	clock_event(&c, "request_fee", MON(10, 0), NULL);
	clock_end(&c, &cal, MON(11, 0));
	is_int(c.npauses, 0, "unreadable payloads: no pause");
	clock_free(&c);
	cal_free(&cal);
}

static void
check_end(void)
{
	struct calendar cal;
	struct rec_fields f;
	struct clock c;
	char p[256];

	cal_init(&cal);
	/* extended, then late */
	f = dossier("direct", ST_PROCESSING, MON(8, 0), MON(8, 0),
	    MON(8, 0) + DAY);
	snprintf(p, sizeof(p), "{\"before\":{\"due_at\":%lld},\"after\":"
	    "{\"due_at\":%lld},\"reason\":\"Chờ xác minh\"}",
	    (long long)(MON(8, 0) + 1), (long long)(MON(8, 0) + DAY));
	clock_begin(&c, &cal, &f, 0);
	clock_event(&c, "extend", MON(9, 0), "{}");
	clock_event(&c, "extend", MON(10, 0), p);
	clock_end(&c, &cal, MON(8, 0) + 3 * DAY);
	ok(c.extended && c.ext.at == MON(10, 0) &&
	    c.ext.due_before == MON(8, 0) + 1 &&
	    c.ext.due_after == MON(8, 0) + DAY && c.ext.reason != NULL &&
	    strcmp(c.ext.reason, "Chờ xác minh") == 0,
	    "the last extension is kept, with its reason");
	ok(c.late && c.overrun == 2 * WDAY && c.used == 3 * WDAY,
	    "late: two working days overrun");
	clock_free(&c);

	/* finished: as of the finish */
	f.finished_at = MON(12, 0);
	f.status = ST_FINISHED;
	clock_begin(&c, &cal, &f, 0);
	clock_end(&c, &cal, MON(8, 0) + 3 * DAY);
	is_str(clock_state_name(c.state), "finished", "finished");
	ok(c.as_of == MON(12, 0) && c.used == 3.5 * 3600 && !c.late,
	    "counted to the finish");
	clock_free(&c);

	/* stopped: ended, counted to now */
	f.finished_at = 0;
	f.status = ST_STOPPED;
	clock_begin(&c, &cal, &f, 0);
	clock_end(&c, &cal, MON(9, 0));
	is_str(clock_state_name(c.state), "ended", "stopped: ended");
	ok(clock_state_name((enum clock_state)9) == NULL, "no state 9");
	clock_free(&c);
	cal_free(&cal);
}

void
t_clock(void)
{
	check_start();
	check_pauses();
	check_end();
}
