/*
 * t_calendar.c: civil dates, rule holidays, overrides, working time and
 * time formats.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "calendar.h"

void t_calendar(void);

/* An instant from RFC 3339 text (which must parse). */
static dx_time
at(const struct calendar *cal, const char *s)
{
	dx_time t = 0;

	if (cal_parse(cal, s, &t) != 0)
		printf("# cannot parse '%s'\n", s);
	return t;
}

static int64_t
day_of(const char *s)
{
	int64_t d = 0;

	if (cal_parse_day(s, &d) != 0)
		printf("# cannot parse day '%s'\n", s);
	return d;
}

/* start + amount unit == want, all as text. */
static void
check_add(struct calendar *cal, const char *start, double amount,
    enum time_unit unit, const char *want)
{
	char buf[32];
	dx_time due = 0;
	int rc;

	rc = cal_add(cal, at(cal, start), amount, unit, &due);
	cal_format(cal, due, buf);
	is_str(rc == 0 ? buf : "(error)", want, "%s + %g %s", start, amount,
	    time_unit_name(unit));
}

static void
check_start(struct calendar *cal, const char *t, int cutoff,
    const char *want)
{
	char buf[32];

	cal_format(cal, cal_start(cal, at(cal, t), cutoff), buf);
	is_str(buf, want, "start of %s (cut-off %02d:%02d)", t, cutoff / 60,
	    cutoff % 60);
}

struct want_day {
	const char *day;
	enum cal_kind kind;
	const char *name;
};

static void
check_rules(struct calendar *cal, int year, const struct want_day *w,
    int nw)
{
	struct cal_day got[24];
	char buf[16];
	int n, i, bad = 0;

	n = cal_rule_days(cal, year, got, 24);
	is_int(n, nw, "%d has %d rule days", year, nw);
	for (i = 0; i < n && i < nw; i++) {
		cal_format_day(got[i].day, buf);
		if (strcmp(buf, w[i].day) != 0 || got[i].kind != w[i].kind ||
		    strcmp(got[i].name, w[i].name) != 0 ||
		    got[i].source != CAL_SRC_RULE) {
			printf("#   got %s %d %s, want %s %d %s\n", buf,
			    got[i].kind, got[i].name, w[i].day, w[i].kind,
			    w[i].name);
			bad++;
		}
	}
	is_int(bad, 0, "%d rule days as expected", year);
}

static void
check_civil(void)
{
	int y, m, d, bad = 0;
	int64_t z;

	is_int(days_from_civil(1970, 1, 1), 0, "epoch is day 0");
	is_int(days_from_civil(2026, 2, 13), 20497, "2026-02-13 is day 20497");
	is_int(days_from_civil(1969, 12, 31), -1, "1969-12-31 is day -1");
	civil_from_days(-1, &y, &m, &d);
	ok(y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
	civil_from_days(11016, &y, &m, &d);
	ok(y == 2000 && m == 2 && d == 29, "day 11016 is 2000-02-29");
	is_int(weekday_of(0), 4, "1970-01-01 was a Thursday");
	is_int(weekday_of(-1), 3, "1969-12-31 was a Wednesday");
	is_int(weekday_of(days_from_civil(2026, 2, 13)), 5,
	    "2026-02-13 is a Friday");
	is_int(weekday_of(days_from_civil(1900, 1, 1)), 1,
	    "1900-01-01 was a Monday");
	ok(valid_date(2024, 2, 29), "2024-02-29 is a date");
	ok(valid_date(2000, 2, 29), "2000-02-29 is a date");
	ok(!valid_date(2100, 2, 29), "2100-02-29 is not");
	ok(!valid_date(2026, 2, 29), "2026-02-29 is not");
	ok(!valid_date(2026, 4, 31), "2026-04-31 is not");
	ok(!valid_date(2026, 13, 1), "month 13 is not");
	ok(!valid_date(2026, 0, 1), "month 0 is not");
	ok(!valid_date(2026, 1, 0), "day 0 is not");
	for (z = days_from_civil(1600, 1, 1); z < days_from_civil(2400, 1, 1);
	    z++) {
		civil_from_days(z, &y, &m, &d);
		if (!valid_date(y, m, d) || days_from_civil(y, m, d) != z ||
		    weekday_of(z + 1) != (weekday_of(z) + 1) % 7)
			bad++;
	}
	is_int(bad, 0, "civil day round trip 1600-2400");

	is_int(time_unit_parse("working_days"), TU_WORKING_DAYS,
	    "working_days");
	is_int(time_unit_parse("days"), TU_DAYS, "days");
	is_int(time_unit_parse("half_days"), TU_HALF_DAYS, "half_days");
	is_int(time_unit_parse("hours"), TU_HOURS, "hours");
	is_int(time_unit_parse("weeks"), -1, "weeks is not a unit");
	is_int(time_unit_parse(""), -1, "empty is not a unit");
	is_str(time_unit_name(TU_HALF_DAYS), "half_days", "unit name");
	is_str(time_unit_name(TU_WORKING_DAYS), "working_days", "unit name");
}

static void
check_rule_days(void)
{
	static const struct want_day y2026[] = {
		{ "2026-01-01", CAL_HOLIDAY, "Tết Dương lịch" },
		{ "2026-02-16", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2026-02-17", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2026-02-18", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2026-02-19", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2026-02-20", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2026-04-26", CAL_HOLIDAY, "Giỗ Tổ Hùng Vương" },
		{ "2026-04-27", CAL_COMPENSATORY, "Giỗ Tổ Hùng Vương (bù)" },
		{ "2026-04-30", CAL_HOLIDAY, "Ngày Chiến thắng" },
		{ "2026-05-01", CAL_HOLIDAY, "Quốc tế Lao động" },
		{ "2026-09-02", CAL_HOLIDAY, "Quốc khánh" },
		{ "2026-09-03", CAL_HOLIDAY, "Quốc khánh" },
	};
	static const struct want_day y2025[] = {
		{ "2025-01-01", CAL_HOLIDAY, "Tết Dương lịch" },
		{ "2025-01-28", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2025-01-29", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2025-01-30", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2025-01-31", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2025-02-01", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2025-02-03", CAL_COMPENSATORY, "Tết Nguyên đán (bù)" },
		{ "2025-04-07", CAL_HOLIDAY, "Giỗ Tổ Hùng Vương" },
		{ "2025-04-30", CAL_HOLIDAY, "Ngày Chiến thắng" },
		{ "2025-05-01", CAL_HOLIDAY, "Quốc tế Lao động" },
		{ "2025-09-01", CAL_HOLIDAY, "Quốc khánh" },
		{ "2025-09-02", CAL_HOLIDAY, "Quốc khánh" },
	};
	/* 1/1 Sat, Hùng Sun, 30/4 Sat + 1/5 Sun, 3/9 Sat */
	static const struct want_day y2022[] = {
		{ "2022-01-01", CAL_HOLIDAY, "Tết Dương lịch" },
		{ "2022-01-03", CAL_COMPENSATORY, "Tết Dương lịch (bù)" },
		{ "2022-01-31", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2022-02-01", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2022-02-02", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2022-02-03", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2022-02-04", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2022-04-10", CAL_HOLIDAY, "Giỗ Tổ Hùng Vương" },
		{ "2022-04-11", CAL_COMPENSATORY, "Giỗ Tổ Hùng Vương (bù)" },
		{ "2022-04-30", CAL_HOLIDAY, "Ngày Chiến thắng" },
		{ "2022-05-01", CAL_HOLIDAY, "Quốc tế Lao động" },
		{ "2022-05-02", CAL_COMPENSATORY, "Ngày Chiến thắng (bù)" },
		{ "2022-05-03", CAL_COMPENSATORY, "Quốc tế Lao động (bù)" },
		{ "2022-09-02", CAL_HOLIDAY, "Quốc khánh" },
		{ "2022-09-03", CAL_HOLIDAY, "Quốc khánh" },
		{ "2022-09-05", CAL_COMPENSATORY, "Quốc khánh (bù)" },
	};
	/* Hùng Sat 29/4, 30/4 Sun, 1/5 Mon: the compensatory days queue */
	static const struct want_day y2023[] = {
		{ "2023-01-01", CAL_HOLIDAY, "Tết Dương lịch" },
		{ "2023-01-02", CAL_COMPENSATORY, "Tết Dương lịch (bù)" },
		{ "2023-01-21", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2023-01-22", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2023-01-23", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2023-01-24", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2023-01-25", CAL_HOLIDAY, "Tết Nguyên đán" },
		{ "2023-01-26", CAL_COMPENSATORY, "Tết Nguyên đán (bù)" },
		{ "2023-01-27", CAL_COMPENSATORY, "Tết Nguyên đán (bù)" },
		{ "2023-04-29", CAL_HOLIDAY, "Giỗ Tổ Hùng Vương" },
		{ "2023-04-30", CAL_HOLIDAY, "Ngày Chiến thắng" },
		{ "2023-05-01", CAL_HOLIDAY, "Quốc tế Lao động" },
		{ "2023-05-02", CAL_COMPENSATORY, "Giỗ Tổ Hùng Vương (bù)" },
		{ "2023-05-03", CAL_COMPENSATORY, "Ngày Chiến thắng (bù)" },
		{ "2023-09-02", CAL_HOLIDAY, "Quốc khánh" },
		{ "2023-09-03", CAL_HOLIDAY, "Quốc khánh" },
		{ "2023-09-04", CAL_COMPENSATORY, "Quốc khánh (bù)" },
		{ "2023-09-05", CAL_COMPENSATORY, "Quốc khánh (bù)" },
	};
	struct calendar cal;
	struct cal_day two[2], info;
	int n;

	cal_init(&cal);
	check_rules(&cal, 2026, y2026, (int)(sizeof y2026 / sizeof y2026[0]));
	check_rules(&cal, 2025, y2025, (int)(sizeof y2025 / sizeof y2025[0]));
	check_rules(&cal, 2022, y2022, (int)(sizeof y2022 / sizeof y2022[0]));
	check_rules(&cal, 2023, y2023, (int)(sizeof y2023 / sizeof y2023[0]));
	/* cached and uncached answers agree */
	check_rules(&cal, 2026, y2026, (int)(sizeof y2026 / sizeof y2026[0]));

	memset(two, 0, sizeof two);
	n = cal_rule_days(&cal, 2026, two, 2);
	is_int(n, 12, "the count exceeds max");
	ok(two[1].day == day_of("2026-02-16"), "only max days written");

	ok(cal_day_info(&cal, day_of("2026-04-27"), &info) == 0 &&
	    info.kind == CAL_COMPENSATORY && info.source == CAL_SRC_RULE &&
	    strcmp(info.name, "Giỗ Tổ Hùng Vương (bù)") == 0,
	    "27/04/2026 is the compensatory day");
	ok(cal_day_info(&cal, day_of("2026-04-28"), &info) == 1 &&
	    info.kind == CAL_PLAIN && info.source == CAL_SRC_NONE &&
	    info.name[0] == '\0', "28/04/2026 is a plain working day");
	ok(cal_day_info(&cal, day_of("2026-04-25"), &info) == 0 &&
	    info.kind == CAL_PLAIN, "25/04/2026 is a plain Saturday");
	ok(!cal_is_workday(&cal, day_of("2026-02-18")), "Tết is off");
	ok(cal_is_workday(&cal, day_of("2025-11-24")),
	    "24/11 is not a holiday before 2026");
	ok(cal_is_workday(&cal, day_of("2027-11-24")),
	    "24/11/2027 is not a holiday: no enacted text makes it one");
	ok(!cal_is_workday(&cal, day_of("2021-09-03")),
	    "03/09/2021 is the adjacent National Day (Labour Code 2019)");
	ok(cal_is_workday(&cal, day_of("2020-09-03")),
	    "03/09/2020 works: National Day was one day until 2020");
	ok(!cal_is_workday(&cal, day_of("2022-05-03")),
	    "03/05/2022 is compensatory");
	is_int(cal_day_seconds(&cal), 28800, "a working day is 8 hours");
	cal_free(&cal);
}

static void
check_overrides(void)
{
	struct calendar cal;
	struct cal_day *days = NULL, info;
	size_t n, i;
	int sorted = 1;

	cal_init(&cal);
	is_int(cal_add_override(&cal, day_of("2026-03-07"), CAL_PLAIN, "x"),
	    -1, "a CAL_PLAIN override is refused");
	/* out of order on purpose */
	ok(cal_add_override(&cal, day_of("2026-11-24"), CAL_WORKDAY, "") == 0,
	    "cancel 24/11/2026");
	ok(cal_add_override(&cal, day_of("2026-02-13"), CAL_HOLIDAY,
	    "Nghỉ Tết bổ sung") == 0, "extra holiday 13/02/2026");
	ok(cal_add_override(&cal, day_of("2026-02-07"), CAL_WORKDAY,
	    "Làm bù") == 0, "make-up Saturday 07/02/2026");
	ok(cal_add_override(&cal, day_of("2026-02-09"), CAL_WORKDAY,
	    "Ngày làm việc") == 0, "a working override on a weekday");
	ok(cal_add_override(&cal, day_of("2027-01-02"), CAL_HOLIDAY,
	    "Next year") == 0, "an override in 2027");
	ok(cal_add_override(&cal, day_of("2025-12-31"), CAL_HOLIDAY,
	    "Last year") == 0, "an override in 2025");
	/* replaced: same day again */
	ok(cal_add_override(&cal, day_of("2026-02-09"), CAL_WORKDAY,
	    "Làm bù thứ Hai") == 0, "replace an override");
	is_int(cal.noverrides, 6, "six overrides");
	for (i = 1; i < cal.noverrides; i++)
		if (cal.overrides[i - 1].day >= cal.overrides[i].day)
			sorted = 0;
	ok(sorted, "overrides sorted and unique");

	ok(cal_is_workday(&cal, day_of("2026-02-07")),
	    "the make-up Saturday works");
	ok(!cal_is_workday(&cal, day_of("2026-02-13")),
	    "the extra holiday is off");
	ok(cal_day_info(&cal, day_of("2026-11-24"), &info) == 1 &&
	    info.kind == CAL_WORKDAY && info.source == CAL_SRC_OVERRIDE,
	    "the cancelled holiday works");
	ok(cal_day_info(&cal, day_of("2026-02-13"), &info) == 0 &&
	    info.kind == CAL_HOLIDAY && info.source == CAL_SRC_OVERRIDE &&
	    strcmp(info.name, "Nghỉ Tết bổ sung") == 0, "override info");

	n = cal_year_days(&cal, 2026, &days);
	is_int(n, 16, "2026 lists 12 rule days and 4 overrides");
	for (i = 1; i < n; i++)
		if (days[i - 1].day >= days[i].day)
			sorted = 0;
	ok(sorted, "the year's days are sorted and unique");
	for (i = 0; i < n && days[i].day != day_of("2026-11-24"); i++)
		;
	ok(i < n && days[i].kind == CAL_WORKDAY &&
	    days[i].source == CAL_SRC_OVERRIDE && days[i].name[0] == '\0',
	    "an override on a day no rule names is listed as given");
	for (i = 0; i < n && days[i].day != day_of("2026-02-09"); i++)
		;
	ok(i < n && days[i].kind == CAL_WORKDAY &&
	    strcmp(days[i].name, "Làm bù thứ Hai") == 0,
	    "a working override on a weekday is listed");
	for (i = 0; i < n && days[i].day != day_of("2026-02-17"); i++)
		;
	ok(i < n && days[i].kind == CAL_HOLIDAY &&
	    days[i].source == CAL_SRC_RULE, "rule days stay listed");
	free(days);
	days = NULL;
	n = cal_year_days(&cal, 2027, &days);
	ok(n >= 2 && days[0].day == day_of("2027-01-01") &&
	    days[1].day == day_of("2027-01-02"), "2027 has its override");
	free(days);
	cal_free(&cal);
	ok(cal.overrides == NULL && cal.years == NULL, "cal_free clears");
}

static void
check_start_times(void)
{
	struct calendar cal;

	cal_init(&cal);
	check_start(&cal, "2026-03-02T10:00:00", cal.cutoff,
	    "2026-03-02T10:00:00+07:00");
	check_start(&cal, "2026-03-02T14:59:00", cal.cutoff,
	    "2026-03-02T14:59:00+07:00");
	check_start(&cal, "2026-03-02T14:59:59", cal.cutoff,
	    "2026-03-02T14:59:59+07:00");
	check_start(&cal, "2026-03-02T15:00:00", cal.cutoff,
	    "2026-03-03T07:00:00+07:00");
	check_start(&cal, "2026-03-02T16:30:00", cal.cutoff,
	    "2026-03-03T07:00:00+07:00");
	check_start(&cal, "2026-03-02T06:10:00", cal.cutoff,
	    "2026-03-02T07:00:00+07:00");
	check_start(&cal, "2026-03-02T00:00:00", cal.cutoff,
	    "2026-03-02T07:00:00+07:00");
	check_start(&cal, "2026-03-02T12:00:00", cal.cutoff,
	    "2026-03-02T13:30:00+07:00");
	check_start(&cal, "2026-03-02T11:30:00", cal.cutoff,
	    "2026-03-02T13:30:00+07:00");
	check_start(&cal, "2026-03-02T11:29:59", cal.cutoff,
	    "2026-03-02T11:29:59+07:00");
	check_start(&cal, "2026-03-07T10:00:00", cal.cutoff,
	    "2026-03-09T07:00:00+07:00");
	check_start(&cal, "2026-03-06T15:00:00", cal.cutoff,
	    "2026-03-09T07:00:00+07:00");
	check_start(&cal, "2026-02-16T09:00:00", cal.cutoff,
	    "2026-02-23T07:00:00+07:00");
	check_start(&cal, "2026-02-13T15:30:00", cal.cutoff,
	    "2026-02-23T07:00:00+07:00");
	check_start(&cal, "2026-04-24T16:00:00", cal.cutoff,
	    "2026-04-28T07:00:00+07:00");
	/* online: the cut-off is the close of office hours */
	check_start(&cal, "2026-03-02T16:30:00", 17 * 60,
	    "2026-03-02T16:30:00+07:00");
	check_start(&cal, "2026-03-02T17:00:00", 17 * 60,
	    "2026-03-03T07:00:00+07:00");
	check_start(&cal, "2026-03-02T01:00:00Z", cal.cutoff,
	    "2026-03-02T08:00:00+07:00");
	cal_add_override(&cal, day_of("2026-03-07"), CAL_WORKDAY, "Làm bù");
	check_start(&cal, "2026-03-07T10:00:00", cal.cutoff,
	    "2026-03-07T10:00:00+07:00");
	check_start(&cal, "2026-03-06T15:00:00", cal.cutoff,
	    "2026-03-07T07:00:00+07:00");
	cal_free(&cal);
}

static void
check_working_time(void)
{
	struct calendar cal;
	dx_time t0, due;

	cal_init(&cal);
	/* working days */
	check_add(&cal, "2026-03-02T07:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-02T17:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 2, TU_WORKING_DAYS,
	    "2026-03-04T10:00:00+07:00");
	check_add(&cal, "2026-03-02T13:30:00", 1, TU_WORKING_DAYS,
	    "2026-03-03T11:30:00+07:00");
	check_add(&cal, "2026-03-06T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-09T10:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 5, TU_WORKING_DAYS,
	    "2026-03-09T10:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 0.5, TU_WORKING_DAYS,
	    "2026-03-02T16:00:00+07:00");
	/* Tết 2026 (16-20/02) does not count: Friday 10:00 + 1 is the next
	 * working day, Monday 23/02, at 10:00, and + 2 is Tuesday */
	check_add(&cal, "2026-02-13T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-02-23T10:00:00+07:00");
	check_add(&cal, "2026-02-13T10:00:00", 2, TU_WORKING_DAYS,
	    "2026-02-24T10:00:00+07:00");
	check_add(&cal, "2026-02-13T07:00:00", 2, TU_WORKING_DAYS,
	    "2026-02-23T17:00:00+07:00");
	check_add(&cal, "2026-04-24T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-04-28T10:00:00+07:00");
	check_add(&cal, "2026-04-29T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-05-04T10:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 0, TU_WORKING_DAYS,
	    "2026-03-02T10:00:00+07:00");
	/* not inside office time: counting starts at the next period */
	check_add(&cal, "2026-03-07T10:00:00", 1, TU_HOURS,
	    "2026-03-09T08:00:00+07:00");
	check_add(&cal, "2026-03-02T12:00:00", 1, TU_HOURS,
	    "2026-03-02T14:30:00+07:00");
	check_add(&cal, "2026-03-02T18:00:00", 1, TU_HOURS,
	    "2026-03-03T08:00:00+07:00");
	check_add(&cal, "2026-03-02T18:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-03T17:00:00+07:00");
	/* hours */
	check_add(&cal, "2026-03-02T11:00:00", 1, TU_HOURS,
	    "2026-03-02T14:00:00+07:00");
	check_add(&cal, "2026-03-02T07:00:00", 4.5, TU_HOURS,
	    "2026-03-02T11:30:00+07:00");
	check_add(&cal, "2026-03-02T16:00:00", 2, TU_HOURS,
	    "2026-03-03T08:00:00+07:00");
	check_add(&cal, "2026-03-02T11:15:00", 0.5, TU_HOURS,
	    "2026-03-02T13:45:00+07:00");
	check_add(&cal, "2026-03-06T16:00:00", 24, TU_HOURS,
	    "2026-03-11T16:00:00+07:00");
	/* half days: 4 hours of office time */
	check_add(&cal, "2026-03-02T07:00:00", 1, TU_HALF_DAYS,
	    "2026-03-02T11:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 1, TU_HALF_DAYS,
	    "2026-03-02T16:00:00+07:00");
	check_add(&cal, "2026-03-02T07:00:00", 3, TU_HALF_DAYS,
	    "2026-03-03T11:00:00+07:00");
	check_add(&cal, "2026-03-06T13:30:00", 2, TU_HALF_DAYS,
	    "2026-03-09T11:30:00+07:00");
	/* calendar days (Civil Code Arts. 147-148): from the next day to the
	 * close of office hours of the last, moved to a working day */
	check_add(&cal, "2026-03-02T10:00:00", 1, TU_DAYS,
	    "2026-03-03T17:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 7, TU_DAYS,
	    "2026-03-09T17:00:00+07:00");
	check_add(&cal, "2026-03-06T10:00:00", 1, TU_DAYS,
	    "2026-03-09T17:00:00+07:00");
	check_add(&cal, "2026-02-13T10:00:00", 3, TU_DAYS,
	    "2026-02-23T17:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 0.5, TU_DAYS,
	    "2026-03-03T17:00:00+07:00");
	check_add(&cal, "2026-03-02T16:30:00", 3, TU_DAYS,
	    "2026-03-05T17:00:00+07:00");
	check_add(&cal, "2026-03-02T23:59:59", 1, TU_DAYS,
	    "2026-03-03T17:00:00+07:00");
	t0 = at(&cal, "2026-03-06T16:00:00");
	is_int(cal_budget_start(&cal, t0, cal.cutoff, TU_DAYS), t0,
	    "the cut-off does not shift a limit in days");
	is_int(cal_budget_start(&cal, t0, cal.cutoff, TU_WORKING_DAYS),
	    at(&cal, "2026-03-09T07:00:00"),
	    "it shifts a limit in working days");

	t0 = at(&cal, "2026-03-02T10:00:00");
	is_int(cal_add(&cal, t0, -1, TU_HOURS, &due), -1, "negative amount");
	is_int(cal_add(&cal, t0, NAN, TU_HOURS, &due), -1, "NaN amount");
	is_int(cal_add(&cal, t0, INFINITY, TU_WORKING_DAYS, &due), -1,
	    "infinite amount");
	is_int(cal_add(&cal, t0, 1, (enum time_unit)9, &due), -1,
	    "unknown unit");

	/* a make-up working Saturday counts */
	cal_add_override(&cal, day_of("2026-03-07"), CAL_WORKDAY, "Làm bù");
	check_add(&cal, "2026-03-06T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-07T10:00:00+07:00");
	check_add(&cal, "2026-03-06T10:00:00", 2, TU_WORKING_DAYS,
	    "2026-03-09T10:00:00+07:00");
	check_add(&cal, "2026-03-06T10:00:00", 1, TU_DAYS,
	    "2026-03-07T17:00:00+07:00");
	/* an extra holiday does not */
	cal_add_override(&cal, day_of("2026-03-10"), CAL_HOLIDAY, "Nghỉ");
	check_add(&cal, "2026-03-09T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-11T10:00:00+07:00");
	/* cancelling a rule holiday makes it count */
	cal_add_override(&cal, day_of("2026-04-27"), CAL_WORKDAY, "");
	check_add(&cal, "2026-04-24T10:00:00", 1, TU_WORKING_DAYS,
	    "2026-04-27T10:00:00+07:00");
	cal_free(&cal);
}

static void
check_elapsed(void)
{
	struct calendar cal;
	dx_time a, due;
	int64_t budget;
	int bad = 0, i, j;

	cal_init(&cal);
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-06T16:00:00"),
	    at(&cal, "2026-03-09T08:00:00")), 7200, "elapsed over a weekend");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-02T11:00:00"),
	    at(&cal, "2026-03-02T14:00:00")), 3600, "elapsed over lunch");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-02T00:00:00"),
	    at(&cal, "2026-03-09T00:00:00")), 5 * 28800, "a whole week");
	is_int(cal_elapsed(&cal, at(&cal, "2026-02-13T07:00:00"),
	    at(&cal, "2026-02-23T07:00:00")), 28800, "across Tết");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-02T12:00:00"),
	    at(&cal, "2026-03-02T13:00:00")), 0, "inside lunch");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-03T10:00:00"),
	    at(&cal, "2026-03-02T10:00:00")), 0, "b before a");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-02T10:00:00"),
	    at(&cal, "2026-03-02T10:00:00")), 0, "empty interval");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-02T10:00:00"),
	    at(&cal, "2026-03-02T10:00:01")), 1, "one second");
	/* the same in working days of 8 hours, to 1/10000 */
	is_int(llround(1e4 * cal_elapsed_days(&cal, at(&cal,
	    "2026-03-06T16:00:00"), at(&cal, "2026-03-09T08:00:00"))), 2500,
	    "a quarter of a day over a weekend");
	is_int(llround(1e4 * cal_elapsed_days(&cal, at(&cal,
	    "2026-03-02T00:00:00"), at(&cal, "2026-03-09T00:00:00"))), 50000,
	    "a whole week in days");
	is_int(llround(1e4 * cal_elapsed_days(&cal, at(&cal,
	    "2026-03-03T10:00:00"), at(&cal, "2026-03-02T10:00:00"))), 0,
	    "no days when b is before a");

	is_int(cal_elapsed(&cal, INT64_MIN, INT64_MIN + 5), 0,
	    "elapsed at the far past");
	ok(cal_elapsed(&cal, INT64_MAX - 86400 * 10, INT64_MAX) == 0,
	    "elapsed at the far future");

	/* a large budget */
	a = at(&cal, "2026-03-02T10:00:00");
	ok(cal_add(&cal, a, 2000, TU_WORKING_DAYS, &due) == 0,
	    "2000 working days");
	is_int(cal_elapsed(&cal, a, due), (int64_t)2000 * 28800,
	    "elapsed(start, due) is 2000 working days");
	ok(due > a + (int64_t)2000 * 7 / 5 * 86400 &&
	    due < a + (int64_t)2000 * 7 / 5 * 86400 + 200 * 86400,
	    "about 2800 calendar days later");
	ok(cal_add(&cal, a, 10000, TU_WORKING_DAYS, &due) == 0 &&
	    cal_elapsed(&cal, a, due) == (int64_t)10000 * 28800,
	    "10000 working days");

	/* due is the first instant the budget is used up */
	for (i = 0; i < 14 * 24 * 4; i++) {
		a = at(&cal, "2026-04-20T00:00:00") + (dx_time)i * 900 + 7;
		for (j = 1; j <= 40; j += 3) {
			budget = (int64_t)j * 1800;
			if (cal_add(&cal, a, j / 2.0, TU_HOURS, &due) != 0 ||
			    cal_elapsed(&cal, a, due) != budget ||
			    cal_elapsed(&cal, a, due - 1) != budget - 1)
				bad++;
		}
	}
	is_int(bad, 0, "cal_add and cal_elapsed agree over two weeks");
	cal_free(&cal);
}

static void
check_formats(void)
{
	static const char *const bad[] = {
		"2026-13-01",
		"2026-02-30T10:00:00",
		"2026-02-13T25:00:00+07:00",
		"2026-02-13T09:00:00+7",
		"2026-02-13T09:00:00+07:00x",
		"2026-02-13T09:00:00Zjunk",
		"2026-02-13T09:00:00 ",
		"2026-02-13x",
		"2026-02-13T",
		"2026-02-13T09:00",
		"2026-02-13T09:60:00",
		"2026-02-13T09:00:60",
		"2026-02-13T09:00:00+24:00",
		"2026-02-13T09:00:00+07:60",
		"2026-02-13T09:00:00+0700",
		"2026-02-13T09:00:00.",
		"2026-02-13T9:00:00",
		"2026-2-13",
		" 2026-02-13",
		"26-02-13",
		"",
		"garbage",
	};
	struct calendar cal, est;
	char buf[32];
	dx_time t;
	int64_t day;
	size_t i;
	int nbad = 0;

	cal_init(&cal);
	ok(cal_parse(&cal, "1970-01-01T00:00:00Z", &t) == 0 && t == 0,
	    "the epoch");
	ok(cal_parse(&cal, "2026-02-13T09:00:00+07:00", &t) == 0 &&
	    t == days_from_civil(2026, 2, 13) * 86400 + 2 * 3600,
	    "09:00+07:00 is 02:00Z");
	cal_format(&cal, t, buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "format");
	cal_format(&cal, at(&cal, "2026-02-13T02:00:00Z"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "Z input");
	cal_format(&cal, at(&cal, "2026-02-13T02:00:00z"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "z input");
	cal_format(&cal, at(&cal, "2026-02-13T10:00:00+08:00"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "+08:00 input");
	cal_format(&cal, at(&cal, "2026-02-12T21:00:00-05:00"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "-05:00 input");
	cal_format(&cal, at(&cal, "2026-02-13T09:00:00"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "no offset: office time");
	cal_format(&cal, at(&cal, "2026-02-13 09:00:00"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "space separator");
	cal_format(&cal, at(&cal, "2026-02-13T09:00:00.123456+07:00"), buf);
	is_str(buf, "2026-02-13T09:00:00+07:00", "fraction ignored");
	cal_format(&cal, at(&cal, "2026-02-13T01:59:59.9Z"), buf);
	is_str(buf, "2026-02-13T08:59:59+07:00", "fraction truncated");
	cal_format(&cal, at(&cal, "2026-02-13"), buf);
	is_str(buf, "2026-02-13T00:00:00+07:00", "a date is local midnight");
	cal_format(&cal, at(&cal, "2025-12-31T20:00:00Z"), buf);
	is_str(buf, "2026-01-01T03:00:00+07:00", "across the new year");
	cal_format(&cal, INT64_MAX, buf);
	is_int(strlen(buf), 25, "far future formats in 25 bytes");
	cal_format(&cal, INT64_MIN, buf);
	is_int(strlen(buf), 25, "far past formats in 25 bytes");
	cal_format(&cal, -1, buf);
	is_str(buf, "1970-01-01T06:59:59+07:00", "before the epoch");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = 12345;
		ok(cal_parse(&cal, bad[i], &t) == -1 && t == 12345,
		    "reject '%s'", bad[i]);
	}

	for (t = -3000000000LL; t < 4000000000LL; t += 7777777) {
		dx_time back = 0;

		cal_format(&cal, t, buf);
		if (strlen(buf) != 25 || cal_parse(&cal, buf, &back) != 0 ||
		    back != t)
			nbad++;
	}
	is_int(nbad, 0, "format/parse round trip 1874-2096");

	/* another office offset */
	cal_init(&est);
	est.utc_offset = -(5 * 3600 + 30 * 60);
	cal_format(&est, at(&cal, "2026-02-13T09:00:00+07:00"), buf);
	is_str(buf, "2026-02-12T20:30:00-05:30", "a negative offset");
	cal_format(&est, at(&est, "2026-02-13"), buf);
	is_str(buf, "2026-02-13T00:00:00-05:30", "local midnight there");
	cal_free(&est);

	/* days */
	ok(cal_parse_day("2026-02-13", &day) == 0 &&
	    day == days_from_civil(2026, 2, 13), "parse a day");
	cal_format_day(day, buf);
	is_str(buf, "2026-02-13", "format a day");
	cal_format_day(-1, buf);
	is_str(buf, "1969-12-31", "format day -1");
	ok(cal_parse_day("2024-02-29", &day) == 0, "2024-02-29");
	ok(cal_parse_day("2026-02-29", &day) == -1, "reject 2026-02-29");
	ok(cal_parse_day("2026-02-13T00:00:00", &day) == -1,
	    "reject a time as a day");
	ok(cal_parse_day("2026-02-1", &day) == -1, "reject 2026-02-1");

	t = at(&cal, "2026-02-13T23:30:00+07:00");
	is_int(cal_local_day(&cal, t), days_from_civil(2026, 2, 13),
	    "23:30 local is the same local day");
	t = at(&cal, "2026-02-13T17:30:00Z");
	is_int(cal_local_day(&cal, t), days_from_civil(2026, 2, 14),
	    "17:30Z is the next local day");
	is_int(cal_day_start(&cal, days_from_civil(2026, 2, 14)),
	    at(&cal, "2026-02-13T17:00:00Z"), "local day start");
	is_int(cal_local_day(&cal, -25201), -1, "local day before the epoch");
	cal_free(&cal);
}

/* The announced schedule replaces the rule days of its year; the office's
 * overrides still win. */
static void
check_official(void)
{
	struct calendar cal;
	struct cal_day info, *days;
	struct cal_day got[24];
	size_t n, i;
	int nofficial = 0;

	cal_init(&cal);
	/* cached rule days of 2026 before the year becomes official */
	ok(!cal_is_workday(&cal, day_of("2026-09-03")),
	    "03/09/2026 is the computed adjacent day");
	ok(cal_add_official(&cal, day_of("2026-01-02"), CAL_HOLIDAY,
	    "Tết Dương lịch (hoán đổi)") == 0 &&
	    cal_add_official(&cal, day_of("2026-01-10"), CAL_WORKDAY,
	    "Làm bù ngày 02/01") == 0 &&
	    cal_add_official(&cal, day_of("2026-08-31"), CAL_HOLIDAY,
	    "Quốc khánh (hoán đổi)") == 0 &&
	    cal_add_official(&cal, day_of("2026-09-01"), CAL_HOLIDAY,
	    "Quốc khánh") == 0 &&
	    cal_add_official(&cal, day_of("2026-09-02"), CAL_HOLIDAY,
	    "Quốc khánh") == 0, "add official days");
	ok(cal_add_official(&cal, day_of("2026-09-02"), CAL_PLAIN, "") == -1,
	    "an official day must be off or worked");
	ok(cal_set_official_year(&cal, 2026) == 0 &&
	    cal_is_official_year(&cal, 2026) &&
	    !cal_is_official_year(&cal, 2027), "2026 is official");
	is_int(cal_rule_days(&cal, 2026, got, 24), 0,
	    "an official year has no rule days");
	ok(cal_is_workday(&cal, day_of("2026-09-03")),
	    "03/09/2026 works under the official schedule");
	ok(!cal_is_workday(&cal, day_of("2026-08-31")) &&
	    !cal_is_workday(&cal, day_of("2026-09-01")),
	    "31/08 and 01/09/2026 are off");
	ok(cal_day_info(&cal, day_of("2026-01-10"), &info) == 1 &&
	    info.kind == CAL_WORKDAY && info.source == CAL_SRC_OFFICIAL,
	    "Saturday 10/01/2026 is worked");
	ok(!cal_is_workday(&cal, day_of("2026-01-02")), "02/01/2026 is off");
	ok(cal_is_workday(&cal, day_of("2026-02-16")),
	    "a day the schedule does not list is plain");
	ok(!cal_is_workday(&cal, day_of("2027-09-03")),
	    "2027 is still computed");
	/* the office's override wins */
	ok(cal_add_override(&cal, day_of("2026-01-10"), CAL_HOLIDAY,
	    "Nghỉ") == 0 && !cal_is_workday(&cal, day_of("2026-01-10")),
	    "an override wins over an official day");
	is_int(cal_year_overrides(&cal, 2026), 1, "one override in 2026");
	is_int(cal_year_overrides(&cal, 2025), 0, "none in 2025");
	n = cal_year_days(&cal, 2026, &days);
	is_int(n, 5, "2026 lists the official days");
	for (i = 0; i < n; i++)
		if (days[i].source == CAL_SRC_OFFICIAL)
			nofficial++;
	is_int(nofficial, 4, "four official, one override");
	free(days);
	cal_free(&cal);
}

/*
 * Office hours changed from Monday 09/03/2026: 08:00-12:00, 13:00-17:00
 * and a 16:00 cut-off.  The days before count with the first hours.
 */
static void
check_hours_from(void)
{
	struct calendar cal;
	struct cal_hours h, got;

	cal_init(&cal);
	memset(&h, 0, sizeof(h));
	h.from = day_of("2026-03-09");
	h.nperiods = 2;
	h.period_start[0] = 8 * 60;
	h.period_end[0] = 12 * 60;
	h.period_start[1] = 13 * 60;
	h.period_end[1] = 17 * 60;
	h.cutoff = 16 * 60;
	is_int(cal_add_hours(&cal, &h), 0, "hours from 09/03");
	cal_hours_on(&cal, day_of("2026-03-08"), &got);
	ok(got.from == CAL_HOURS_ALWAYS && got.cutoff == 900,
	    "08/03: the first hours");
	cal_hours_on(&cal, day_of("2026-03-10"), &got);
	ok(got.from == h.from && got.cutoff == 960, "10/03: the new hours");
	is_int(cal_cutoff_on(&cal, day_of("2026-03-06"), CAL_CUTOFF_PAPER),
	    900, "paper cut-off on 06/03");
	is_int(cal_cutoff_on(&cal, day_of("2026-03-09"), CAL_CUTOFF_ONLINE),
	    17 * 60, "online cut-off on 09/03");
	is_int(cal_day_seconds_on(&cal, day_of("2026-03-09")), 8 * 3600,
	    "8 hours a day still");
	/* before the change, nothing moves */
	check_start(&cal, "2026-03-02T15:30:00", CAL_CUTOFF_PAPER,
	    "2026-03-03T07:00:00+07:00");
	check_add(&cal, "2026-03-02T10:00:00", 2, TU_WORKING_DAYS,
	    "2026-03-04T10:00:00+07:00");
	/* from it, the new cut-off and opening */
	check_start(&cal, "2026-03-09T15:30:00", CAL_CUTOFF_PAPER,
	    "2026-03-09T15:30:00+07:00");
	check_start(&cal, "2026-03-06T15:30:00", CAL_CUTOFF_PAPER,
	    "2026-03-09T08:00:00+07:00");
	check_start(&cal, "2026-03-09T12:30:00", CAL_CUTOFF_PAPER,
	    "2026-03-09T13:00:00+07:00");
	/* across it: Friday 10:00-17:00 is 5 hours, then Monday and
	 * Tuesday, then 3 hours of Wednesday from 08:00 */
	check_add(&cal, "2026-03-06T10:00:00", 3, TU_WORKING_DAYS,
	    "2026-03-11T11:00:00+07:00");
	check_add(&cal, "2026-03-06T16:00:00", 2, TU_HOURS,
	    "2026-03-09T09:00:00+07:00");
	check_add(&cal, "2026-03-05T10:00:00", 3, TU_DAYS,
	    "2026-03-09T17:00:00+07:00");
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-06T16:00:00"),
	    at(&cal, "2026-03-09T09:00:00")), 2 * 3600,
	    "elapsed across the change");
	/* a longer day from 16/03 (9 hours) counts as one working day all
	 * the same: half of Friday, then half of Monday */
	h.from = day_of("2026-03-16");
	h.period_start[0] = 7 * 60;
	is_int(cal_add_hours(&cal, &h), 0, "hours from 16/03");
	check_add(&cal, "2026-03-13T08:00:00", 2, TU_WORKING_DAYS,
	    "2026-03-16T17:00:00+07:00");
	check_add(&cal, "2026-03-13T12:00:00", 1, TU_WORKING_DAYS,
	    "2026-03-16T11:30:00+07:00");
	/* elapsed, each day with its own hours: Friday 08:00-17:00 is 8
	 * hours, one day of 8; Monday 07:00-11:30 is 4.5 hours, half a day
	 * of 9: 12.5 hours, 1.5 days (not 12.5 / 8 = 1.5625) */
	is_int(cal_elapsed(&cal, at(&cal, "2026-03-13T08:00:00"),
	    at(&cal, "2026-03-16T11:30:00")), 45000,
	    "elapsed across a longer day");
	is_int(llround(1e4 * cal_elapsed_days(&cal, at(&cal,
	    "2026-03-13T08:00:00"), at(&cal, "2026-03-16T11:30:00"))), 15000,
	    "days across a longer day: each with its hours");
	h.from = day_of("2026-03-09");
	h.cutoff = 14 * 60;
	h.period_start[0] = 8 * 60;
	is_int(cal_add_hours(&cal, &h), 0, "09/03 again");
	is_int((int)cal.nhours, 2, "the same day replaced, not added");
	cal_free(&cal);
}

void
t_calendar(void)
{
	check_civil();
	check_rule_days();
	check_overrides();
	check_official();
	check_start_times();
	check_working_time();
	check_elapsed();
	check_hours_from();
	check_formats();
}
