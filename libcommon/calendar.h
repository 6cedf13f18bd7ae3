/*
 * calendar.h: the office calendar and working-time arithmetic.
 *
 * Instants are `dx_time`: seconds since 1970-01-01T00:00:00Z.  Local days
 * are `int64_t` day numbers: days since 1970-01-01 in office local time
 * (UTC plus cal->utc_offset, fixed, +07:00 in Vietnam: no daylight time).
 *
 * A day is a working day when, in order of precedence:
 *   1. an override for that date says so (kind CAL_WORKDAY: a make-up
 *      working day) or says not (CAL_HOLIDAY, CAL_COMPENSATORY);
 *   2. otherwise the Government's announced schedule lists it (the
 *      official days: days off, and make-up working Saturdays);
 *   3. otherwise, in a year without an official schedule, the rule
 *      holidays of its year say not (Labour Code 2019 Art. 112, with the
 *      compensatory day of Art. 111(3));
 *   4. otherwise its weekday is in the work week (Monday to Friday).
 * A year with an official schedule uses no rule days at all: the
 * announcement replaces them, swapped days included.
 *
 * On a working day, working time is the office periods (default 07:00 to
 * 11:30 and 13:30 to 17:00: 8 hours).  One working day of budget is one
 * day's office hours, so Monday 10:00 + 2 working days = Wednesday 10:00.
 * The hours may change from a date on (struct cal_hours): each day is
 * counted with the hours in force on it.
 *
 * Ownership: struct calendar owns its overrides, official days and year
 * cache; callers
 * free it with cal_free().  The functions are not thread-safe on one
 * calendar (the year cache is filled lazily).
 */
#ifndef DOSSIER_CALENDAR_H
#define DOSSIER_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "civil.h"

typedef int64_t dx_time;

#define CAL_DEFAULT_OFFSET (7 * 3600)	/* Vietnam: UTC+7 */
#define CAL_MAX_PERIODS 4
/* The years the calendar shows and imports (the lunar tables cover them). */
#define CAL_YEAR_MIN 1900
#define CAL_YEAR_MAX 2199

enum cal_kind {
	CAL_PLAIN = 0,		/* an ordinary weekday or weekend day */
	CAL_HOLIDAY = 1,	/* public holiday */
	CAL_COMPENSATORY = 2,	/* day off for a holiday on a rest day */
	CAL_WORKDAY = 3		/* make-up working day (e.g. a Saturday) */
};
enum cal_source {
	CAL_SRC_NONE = 0,
	CAL_SRC_RULE = 1,	/* generated from the Labour Code rules */
	CAL_SRC_OVERRIDE = 2,	/* from the office's override table */
	CAL_SRC_OFFICIAL = 3	/* from the Government's announced schedule */
};

/* One day that differs from a plain weekday or weekend day. */
struct cal_day {
	int64_t day;		/* local day number */
	enum cal_kind kind;
	enum cal_source source;
	char name[96];		/* Vietnamese name, UTF-8 */
};

/* Units of a time budget (dossier(5), "Records": amounts of time). */
enum time_unit {
	TU_WORKING_DAYS = 0,	/* "working_days" */
	TU_DAYS = 1,		/* "days": calendar days */
	TU_HALF_DAYS = 2,	/* "half_days": half a working day */
	TU_HOURS = 3		/* "hours": working hours */
};
/* "working_days" etc. -> unit; -1 if unknown. */
int time_unit_parse(const char *s);
const char *time_unit_name(enum time_unit u);

/*
 * Office hours in force from a local day on: `dossier-admin calendar
 * hours` changes them from a date, so that the days before it keep the
 * hours they were counted with.
 */
struct cal_hours {
	int64_t from;			/* first local day (CAL_HOURS_ALWAYS) */
	int nperiods;
	int period_start[CAL_MAX_PERIODS];	/* minutes after midnight */
	int period_end[CAL_MAX_PERIODS];
	int cutoff;			/* paper receipt cut-off, minutes */
};
#define CAL_HOURS_ALWAYS INT64_MIN	/* the hours before any change */

/*
 * Cut-offs that cal_start() and cal_budget_start() take from the office
 * hours of the day of receipt: the paper cut-off (15:00 by default), or
 * the end of the last period for an online submission.
 */
#define CAL_CUTOFF_PAPER (-1)
#define CAL_CUTOFF_ONLINE (-2)

struct calendar {
	int utc_offset;			/* seconds east of UTC */
	/* the office hours before the first of `hours` (always, if none) */
	int nperiods;			/* office periods of a working day */
	int period_start[CAL_MAX_PERIODS];	/* minutes after midnight */
	int period_end[CAL_MAX_PERIODS];
	int cutoff;			/* paper receipt cut-off, minutes (900) */
	struct cal_hours *hours;	/* changes, sorted by from, unique */
	size_t nhours;
	unsigned workweek;		/* bit w set: weekday w works (0x3e) */
	struct cal_day *overrides;	/* sorted by day, unique */
	size_t noverrides;
	struct cal_day *official;	/* sorted by day, unique */
	size_t nofficial;
	int *official_years;		/* sorted, unique */
	size_t nofficial_years;
	/* lazily computed rule days, per year */
	struct cal_year {
		int year;
		int n;
		struct cal_day days[24];
	} *years;
	size_t nyears;
};

/* Defaults: UTC+7, 07:00-11:30 and 13:30-17:00, cut-off 15:00, Mon-Fri. */
void cal_init(struct calendar *cal);
void cal_free(struct calendar *cal);

/*
 * Change the office hours from local day h->from on (copied; a later
 * change of the same day replaces the earlier one).  Returns 0, or -1 if
 * h->nperiods is not 1 to CAL_MAX_PERIODS or out of memory.
 */
int cal_add_hours(struct calendar *cal, const struct cal_hours *h);

/*
 * The office hours in force on local `day` into *h: the latest change
 * from that day or before it, else the calendar's own (h->from is then
 * CAL_HOURS_ALWAYS).
 */
void cal_hours_on(const struct calendar *cal, int64_t day,
    struct cal_hours *h);

/*
 * The cut-off, minutes after midnight, that `cutoff` means on local
 * `day`: CAL_CUTOFF_PAPER and CAL_CUTOFF_ONLINE resolved with the hours
 * of that day, any other value itself.
 */
int cal_cutoff_on(const struct calendar *cal, int64_t day, int cutoff);

/*
 * Add an override (copied).  A later override of the same day replaces the
 * earlier one.  Returns 0, or -1 if `kind` is CAL_PLAIN.
 */
int cal_add_override(struct calendar *cal, int64_t day, enum cal_kind kind,
    const char *name);

/*
 * Add a day of the Government's announced schedule (copied), as
 * cal_add_override() does; the day's year is not marked official by this
 * (a make-up day may fall in the year before the holiday it serves).
 * Returns 0, or -1 if `kind` is CAL_PLAIN or out of memory.
 */
int cal_add_official(struct calendar *cal, int64_t day, enum cal_kind kind,
    const char *name);

/*
 * Mark `year` as having an official schedule: its rule days are no longer
 * used (cal_rule_days() gives none).  Returns 0, or -1 out of memory.
 */
int cal_set_official_year(struct calendar *cal, int year);
/* 1 if `year` has an official schedule. */
int cal_is_official_year(const struct calendar *cal, int year);
/* The number of overrides whose day is in `year`. */
size_t cal_year_overrides(const struct calendar *cal, int year);

/*
 * The rule days of `year` (holidays and compensatory days, before
 * overrides), sorted by day, written to out[0..max-1]; returns how many
 * there are (which may exceed max); none for a year with an official
 * schedule.  Rules (Labour Code 2019 Art. 112(1)): 1/1; Tết: the last day
 * of the lunar year and the first four days of the new one (5 days); Hùng
 * Kings 10/3 lunar; 30/4; 1/5; 2/9 and, from 2021, one adjacent day (1/9
 * when 2/9 is a Tuesday, else 3/9: the law leaves the choice to the Prime
 * Minister, Art. 112(3), and this is the default where no choice is
 * known).  Before 2021 (Labour Code 2012 Art. 115) 2/9 is one day.  A
 * holiday falling on a rest day (not in the work week) gives a
 * compensatory day on the next day that is in the work week and is not
 * itself a holiday (Art. 111(3)).  No other day is a rule holiday: a day
 * off that no enacted text makes one (such as a proposed new holiday)
 * comes in as an override.
 */
int cal_rule_days(struct calendar *cal, int year, struct cal_day *out,
    int max);

/*
 * The days of `year` that differ from a plain weekday/weekend, after
 * official days and overrides: the list `calendar show` prints.  Allocated; *out freed by
 * the caller with free().  Returns the count.
 */
size_t cal_year_days(struct calendar *cal, int year, struct cal_day **out);

/*
 * What a local day is: fills *info (kind CAL_PLAIN and source
 * CAL_SRC_NONE for an ordinary day) and returns 1 if it is a working day.
 */
int cal_day_info(struct calendar *cal, int64_t day, struct cal_day *info);
int cal_is_workday(struct calendar *cal, int64_t day);

/*
 * Seconds of office time in one working day (28800 by default): of the
 * calendar's own hours, and of the hours in force on local `day`.
 */
int64_t cal_day_seconds(const struct calendar *cal);
int64_t cal_day_seconds_on(const struct calendar *cal, int64_t day);

/*
 * The instant counting starts for something received at `t`: `t` itself
 * if it falls inside office hours of a working day and before `cutoff`
 * minutes after midnight (CAL_CUTOFF_PAPER or CAL_CUTOFF_ONLINE: the
 * cut-off of the hours in force that day), else the opening of the next
 * working day.  A time before opening on a working day starts at that
 * day's opening; a time in the lunch break starts at the afternoon
 * opening.  Each day is counted with the office hours in force on it.
 */
dx_time cal_start(struct calendar *cal, dx_time t, int cutoff);

/*
 * The instant a budget in `unit` starts from, for something received (or
 * made complete) at `t`: cal_start(cal, t, cutoff) for working units; `t`
 * itself for calendar days, whose period starts on the day after receipt
 * whatever the hour (Civil Code 2015 Art. 147), so that neither the
 * cut-off nor office hours shift it.
 */
dx_time cal_budget_start(struct calendar *cal, dx_time t, int cutoff,
    enum time_unit unit);

/*
 * The due instant of a budget of `amount` `unit`s counted from `start`.
 * Working units count office time only; the result is the instant the
 * budget is used up (so it may be the end of a period, e.g. 17:00).
 * Each day counts with the office hours in force on it; a working day
 * of budget is a whole working day whatever its hours (a day with
 * longer hours uses more of them), and an hour is an hour.
 * TU_DAYS follows the Civil Code 2015, Arts. 147-148: the period starts
 * on the day after `start`'s local day and ends at the close of office
 * hours of its last day (that day + amount, a fraction of a day counting
 * as a whole one); when the last day is not a working day, at the close
 * of office hours of the next working day.  (Art. 148 ends a period at
 * the end of its last day; the close of office hours is when an office
 * can last act on it.)
 * Returns 0, or -1 if amount is negative or not finite.
 */
int cal_add(struct calendar *cal, dx_time start, double amount,
    enum time_unit unit, dx_time *due);

/* Working seconds of office time in [a, b); 0 if b <= a. */
int64_t cal_elapsed(struct calendar *cal, dx_time a, dx_time b);

/*
 * The office time in [a, b) in working days: each working day counts the
 * share of its own office hours (those in force on it) that [a, b)
 * covers, so that a whole day is one day whatever its hours.  0 if
 * b <= a.  cal_elapsed() counts the same time in seconds.
 */
double cal_elapsed_days(struct calendar *cal, dx_time a, dx_time b);

/*
 * Time formats.  Output: RFC 3339 with the office offset,
 * "2026-02-13T09:00:00+07:00" (buffer of at least 26 bytes).  Input:
 * RFC 3339 with "Z" or an offset, or without an offset meaning office
 * local time; "YYYY-MM-DD" alone means local midnight.  Returns 0 or -1.
 */
void cal_format(const struct calendar *cal, dx_time t, char *buf);
int cal_parse(const struct calendar *cal, const char *s, dx_time *out);
/* "YYYY-MM-DD" <-> local day number. */
void cal_format_day(int64_t day, char *buf);
int cal_parse_day(const char *s, int64_t *day);
/* The local day number of instant t, and the instant of local day start. */
int64_t cal_local_day(const struct calendar *cal, dx_time t);
dx_time cal_day_start(const struct calendar *cal, int64_t day);

#endif
