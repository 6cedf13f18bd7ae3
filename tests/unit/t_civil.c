/*
 * t_civil.c: the civil day numbers, on their own (civil.h includes no
 * other module of ours).
 */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "civil.h"

void t_civil(void);

void
t_civil(void)
{
	int y, m, d;

	is_int(days_from_civil(1, 1, 1), -719162, "0001-01-01");
	is_int(days_from_civil(9999, 12, 31), 2932896, "9999-12-31");
	civil_from_days(-719162, &y, &m, &d);
	ok(y == 1 && m == 1 && d == 1, "day -719162 is 0001-01-01");
	civil_from_days(2932896, &y, &m, &d);
	ok(y == 9999 && m == 12 && d == 31, "day 2932896 is 9999-12-31");
	/* before year 1: still arithmetic, not a valid date */
	is_int(days_from_civil(0, 3, 1) - days_from_civil(0, 2, 28), 2,
	    "year 0 is a leap year of the proleptic calendar");
	civil_from_days(days_from_civil(-400, 3, 1), &y, &m, &d);
	ok(y == -400 && m == 3 && d == 1, "-400-03-01 round trip");
	ok(!valid_date(0, 1, 1), "year 0 is not a date");
	ok(!valid_date(10000, 1, 1), "year 10000 is not a date");
	ok(valid_date(1, 1, 1) && valid_date(9999, 12, 31),
	    "years 1 and 9999 are");
	is_int(days_from_civil(2026, 3, 1) - days_from_civil(2026, 2, 28), 1,
	    "2026 has no 29 February");
	is_int(weekday_of(-7), weekday_of(0), "weekdays repeat backwards");
	is_int(weekday_of(INT64_C(-719162)), 1, "0001-01-01 was a Monday");
	is_int(floor_div(-1, 86400), -1, "floor_div rounds down below zero");
	is_int(floor_div(-86400, 86400), -1, "floor_div exact below zero");
	is_int(floor_div(86399, 86400), 0, "floor_div above zero");
}
