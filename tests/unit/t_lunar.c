/*
 * t_lunar.c: the Vietnamese lunar calendar.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "calendar.h"
#include "lunar.h"

void t_lunar(void);

/* Tết (1/1) and the Hùng Kings' day (10/3) at UTC+7, with weekdays. */
static const struct {
	int year;
	int tet_m, tet_d, tet_wd;
	int hung_m, hung_d, hung_wd;
	int leap;
} vec[] = {
	{ 2020, 1, 25, 6, 4,  2, 4, 4 },
	{ 2021, 2, 12, 5, 4, 21, 3, 0 },
	{ 2022, 2,  1, 2, 4, 10, 0, 0 },
	{ 2023, 1, 22, 0, 4, 29, 6, 2 },
	{ 2024, 2, 10, 6, 4, 18, 4, 0 },
	{ 2025, 1, 29, 3, 4,  7, 1, 6 },
	{ 2026, 2, 17, 2, 4, 26, 0, 0 },
	{ 2027, 2,  6, 6, 4, 16, 5, 0 },
	{ 2028, 1, 26, 3, 4,  4, 2, 5 },
	{ 2029, 2, 13, 2, 4, 23, 1, 0 },
	{ 2030, 2,  2, 6, 4, 12, 5, 0 },
};

static void
check_vectors(void)
{
	size_t i;

	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		struct lunar_date ld = { vec[i].year, 1, 1, 0 }, back;
		int y = 0, m = 0, d = 0, rc;

		rc = lunar_to_solar(&ld, 7, &y, &m, &d);
		ok(rc == 0 && y == vec[i].year && m == vec[i].tet_m &&
		    d == vec[i].tet_d, "Tết %d is %02d/%02d (got %02d/%02d/%d)",
		    vec[i].year, vec[i].tet_d, vec[i].tet_m, d, m, y);
		is_int(weekday_of(days_from_civil(y, m, d)), vec[i].tet_wd,
		    "Tết %d weekday", vec[i].year);
		rc = lunar_from_solar(vec[i].year, vec[i].tet_m, vec[i].tet_d,
		    7, &back);
		ok(rc == 0 && back.year == vec[i].year && back.month == 1 &&
		    back.day == 1 && !back.leap, "%02d/%02d/%d is lunar 1/1",
		    vec[i].tet_d, vec[i].tet_m, vec[i].year);

		ld.month = 3;
		ld.day = 10;
		rc = lunar_to_solar(&ld, 7, &y, &m, &d);
		ok(rc == 0 && y == vec[i].year && m == vec[i].hung_m &&
		    d == vec[i].hung_d,
		    "Hùng Kings %d is %02d/%02d (got %02d/%02d/%d)",
		    vec[i].year, vec[i].hung_d, vec[i].hung_m, d, m, y);
		is_int(weekday_of(days_from_civil(y, m, d)), vec[i].hung_wd,
		    "Hùng Kings %d weekday", vec[i].year);

		is_int(lunar_leap_month(vec[i].year, 7), vec[i].leap,
		    "leap month of %d", vec[i].year);
	}
}

static void
check_timezones(void)
{
	static const struct {
		int year, m7, d7, m8, d8;
	} tz[] = {
		{ 1985, 1, 21, 2, 20 },
		{ 2007, 2, 17, 2, 18 },
		{ 2030, 2,  2, 2,  3 },
	};
	size_t i;

	for (i = 0; i < sizeof tz / sizeof tz[0]; i++) {
		struct lunar_date ld = { tz[i].year, 1, 1, 0 };
		int y = 0, m = 0, d = 0;

		ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && m == tz[i].m7 &&
		    d == tz[i].d7, "Tết %d at UTC+7: %02d/%02d", tz[i].year,
		    d, m);
		ok(lunar_to_solar(&ld, 8, &y, &m, &d) == 0 && m == tz[i].m8 &&
		    d == tz[i].d8, "Tết %d at UTC+8: %02d/%02d", tz[i].year,
		    d, m);
	}
	/* Vietnam skipped China's leap 10th month of 1984 */
	is_int(lunar_leap_month(1984, 7), 0, "1984 has no leap month at +7");
	is_int(lunar_leap_month(1984, 8), 10, "1984 leap month 10 at +8");
	is_int(lunar_leap_month(1985, 7), 2, "1985 leap month 2 at +7");
}

static void
check_jdn(void)
{
	int y, m, d;
	long j;
	int bad = 0;

	is_int(lunar_jdn(2000, 1, 1), 2451545, "JDN of 2000-01-01");
	is_int(lunar_jdn(1970, 1, 1), 2440588, "JDN of 1970-01-01");
	is_int(lunar_jdn(1900, 1, 1), 2415021, "JDN of 1900-01-01");
	lunar_jdn_to_date(2460720, &y, &m, &d);
	ok(y == 2025 && m == 2 && d == 13, "JDN 2460720 is 2025-02-13");
	for (j = lunar_jdn(1799, 1, 1); j <= lunar_jdn(2201, 1, 1); j++) {
		lunar_jdn_to_date(j, &y, &m, &d);
		if (lunar_jdn(y, m, d) != j ||
		    days_from_civil(y, m, d) != j - 2440588)
			bad++;
	}
	is_int(bad, 0, "JDN round trip 1799-2201");
}

/* Every day of 2020-2030 to lunar and back, months in sequence. */
static void
check_round_trip(void)
{
	int64_t z, first = days_from_civil(2020, 1, 1);
	int64_t last = days_from_civil(2030, 12, 31);
	struct lunar_date prev = { 0, 0, 0, 0 };
	int bad = 0, badseq = 0, badleap = 0, n = 0;

	for (z = first; z <= last; z++) {
		struct lunar_date ld;
		int y, m, d, y2, m2, d2;

		civil_from_days(z, &y, &m, &d);
		if (lunar_from_solar(y, m, d, 7, &ld) != 0 ||
		    lunar_to_solar(&ld, 7, &y2, &m2, &d2) != 0 ||
		    y2 != y || m2 != m || d2 != d) {
			bad++;
			continue;
		}
		if (ld.leap && lunar_leap_month(ld.year, 7) != ld.month)
			badleap++;
		if (z > first) {
			if (ld.day == 1) {
				/* a new month: 29 or 30 days after the last */
				if (prev.day != 29 && prev.day != 30)
					badseq++;
				if (ld.leap ? ld.month != prev.month :
				    ld.month != prev.month % 12 + 1)
					badseq++;
				if (ld.month == 1 && !ld.leap &&
				    ld.year != prev.year + 1)
					badseq++;
			} else if (ld.day != prev.day + 1 ||
			    ld.month != prev.month || ld.leap != prev.leap ||
			    ld.year != prev.year) {
				badseq++;
			}
		}
		prev = ld;
		n++;
	}
	is_int(n, last - first + 1, "all days of 2020-2030 converted");
	is_int(bad, 0, "solar -> lunar -> solar round trip 2020-2030");
	is_int(badseq, 0, "lunar dates run in sequence 2020-2030");
	is_int(badleap, 0, "leap months agree with lunar_leap_month");
}

static void
check_months(void)
{
	struct lunar_date ld = { 2023, 2, 1, 1 }, back;
	int y, m, d;

	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && y == 2023 && m == 3 &&
	    d == 22, "leap 2/2023 starts 22/03/2023");
	ok(lunar_from_solar(2023, 3, 22, 7, &back) == 0 &&
	    back.year == 2023 && back.month == 2 && back.day == 1 &&
	    back.leap == 1, "22/03/2023 is lunar leap 2/1");
	ok(lunar_from_solar(2023, 3, 21, 7, &back) == 0 &&
	    back.month == 2 && back.day == 30 && !back.leap,
	    "21/03/2023 is lunar 2/30");
	ld.year = 2020;
	ld.month = 4;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && y == 2020 && m == 5 &&
	    d == 23, "leap 4/2020 starts 23/05/2020");
	ld.year = 2025;
	ld.month = 6;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && y == 2025 && m == 7 &&
	    d == 25, "leap 6/2025 starts 25/07/2025");

	/* the last day of lunar 2025 is the eve of Tết 2026 */
	ok(lunar_from_solar(2026, 2, 16, 7, &back) == 0 &&
	    back.year == 2025 && back.month == 12 && back.day == 29 &&
	    !back.leap, "16/02/2026 is lunar 29/12/2025");
	ok(lunar_from_solar(2025, 12, 31, 7, &back) == 0 &&
	    back.year == 2025 && back.month == 11 && back.day == 12,
	    "31/12/2025 is lunar 12/11/2025");

	/* 2033: the leap 11th month */
	is_int(lunar_leap_month(2033, 7), 11, "2033 has a leap 11th month");
	ld.year = 2033;
	ld.month = 11;
	ld.day = 1;
	ld.leap = 1;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && y == 2033 && m == 12 &&
	    d == 22, "leap 11/2033 starts 22/12/2033");

	/* things that do not exist */
	ld.year = 2026;
	ld.month = 4;
	ld.day = 1;
	ld.leap = 1;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1, "no leap 4 in 2026");
	ld.year = 2023;
	ld.month = 3;
	ld.leap = 1;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1,
	    "leap flag on 3/2023 (the leap is 2)");
	ld.leap = 0;
	ld.day = 30;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1,
	    "3/2023 has 29 days: no day 30");
	ld.month = 2;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == 0 && m == 3 && d == 21,
	    "2/2023 has a day 30");
	ld.day = 31;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1, "no day 31");
	ld.day = 1;
	ld.month = 13;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1, "no month 13");
	ld.month = 1;
	ld.year = 2200;
	ok(lunar_to_solar(&ld, 7, &y, &m, &d) == -1, "year 2200 out of range");
	ok(lunar_from_solar(1799, 6, 1, 7, &back) == -1,
	    "year 1799 out of range");
	ok(lunar_from_solar(2026, 2, 30, 7, &back) == -1,
	    "30/02 is not a date");
	ok(lunar_from_solar(1800, 1, 1, 7, &back) == 0 &&
	    lunar_to_solar(&back, 7, &y, &m, &d) == 0 && y == 1800 && m == 1 &&
	    d == 1, "1800-01-01 (lunar 1799) round trip");
	ok(lunar_from_solar(2199, 12, 31, 7, &back) == 0 &&
	    lunar_to_solar(&back, 7, &y, &m, &d) == 0 && y == 2199 &&
	    m == 12 && d == 31, "2199-12-31 round trip");
}

void
t_lunar(void)
{
	check_jdn();
	check_vectors();
	check_timezones();
	check_round_trip();
	check_months();
}
