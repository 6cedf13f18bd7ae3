/*
 * lunar.c: the Vietnamese lunar calendar.
 *
 * An independent implementation of the method Ho Ngoc Duc describes for
 * the Vietnamese (and Chinese) calendar:
 *
 *   - new moons: the k-th new moon after the one of 1900-01-01 by the
 *     formula of Meeus (mean phase plus periodic terms, corrected from
 *     dynamical to universal time), counted on the local day it falls on;
 *   - solar terms: the sun's true longitude at local midnight (Meeus'
 *     low-precision solar theory), in sectors of 30 degrees; sector k
 *     holds the major term at 30k degrees, the winter solstice being the
 *     start of sector 9;
 *   - month 11 is the lunar month containing the winter solstice;
 *   - a lunar year with 13 months (two month-11s more than 365 days apart)
 *     has a leap month: the first month after month 11 that contains no
 *     major solar term, which repeats the number of the month before it.
 *
 * Day numbers here are Julian day numbers (JDN): whole days, the day that
 * begins at the local midnight of the civil date.
 */
#include <math.h>
#include <stddef.h>

#include "civil.h"
#include "lunar.h"

#define LUNAR_MIN_YEAR 1800
#define LUNAR_MAX_YEAR 2199

/* Mean length of a synodic month, days. */
#define SYNODIC 29.530588853
/* JD of the mean new moon k = 0 (1900-01-01, about 13:52 UT). */
#define NM_EPOCH 2415021.076998695

static const double deg = 3.14159265358979323846 / 180.0;

/* JDN of 1970-01-01, the day civil.h counts from */
#define JDN_EPOCH 2440588L

long
lunar_jdn(int y, int m, int d)
{
	return (long)days_from_civil(y, m, d) + JDN_EPOCH;
}

void
lunar_jdn_to_date(long jdn, int *y, int *m, int *d)
{
	civil_from_days((int64_t)jdn - JDN_EPOCH, y, m, d);
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/*
 * Julian date (UT) of the k-th new moon after the mean new moon of
 * 1900-01-01.  Meeus, Astronomical Formulae for Calculators, with the
 * difference between dynamical and universal time (delta T) removed.
 */
static double
new_moon_jd(long k)
{
	double t = (double)k / 1236.85;	/* Julian centuries from 1900 */
	double t2 = t * t, t3 = t2 * t;
	double mean, m_sun, m_moon, f, corr, dt;

	mean = 2415020.75933 + 29.53058868 * (double)k + 0.0001178 * t2 -
	    0.000000155 * t3;
	mean += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * deg);

	/* the sun's and moon's mean anomalies, the moon's argument of
	 * latitude */
	m_sun = (359.2242 + 29.10535608 * (double)k - 0.0000333 * t2 -
	    0.00000347 * t3) * deg;
	m_moon = (306.0253 + 385.81691806 * (double)k + 0.0107306 * t2 +
	    0.00001236 * t3) * deg;
	f = (21.2964 + 390.67050646 * (double)k - 0.0016528 * t2 -
	    0.00000239 * t3) * deg;

	corr = (0.1734 - 0.000393 * t) * sin(m_sun)
	    + 0.0021 * sin(2 * m_sun)
	    - 0.4068 * sin(m_moon)
	    + 0.0161 * sin(2 * m_moon)
	    - 0.0004 * sin(3 * m_moon)
	    + 0.0104 * sin(2 * f)
	    - 0.0051 * sin(m_sun + m_moon)
	    - 0.0074 * sin(m_sun - m_moon)
	    + 0.0004 * sin(2 * f + m_sun)
	    - 0.0004 * sin(2 * f - m_sun)
	    - 0.0006 * sin(2 * f + m_moon)
	    + 0.0010 * sin(2 * f - m_moon)
	    + 0.0005 * sin(m_sun + 2 * m_moon);

	/* delta T in days, a polynomial fit in centuries from 1900 */
	if (t < -11)
		dt = 0.001 + 0.000839 * t + 0.0002261 * t2 -
		    0.00000845 * t3 - 0.000000081 * t * t3;
	else
		dt = -0.000278 + 0.000265 * t + 0.000262 * t2;

	return mean + corr - dt;
}

/* The local day (JDN at `tz` hours east) on which new moon k falls. */
static long
new_moon_day(long k, int tz)
{
	return (long)floor(new_moon_jd(k) + 0.5 + tz / 24.0);
}

/*
 * The sector (0..11, 30 degrees each) of the sun's true longitude at the
 * local midnight that begins day `jdn`.  Meeus, Astronomical Algorithms,
 * ch. 25, low precision.
 */
static int
sun_sector(long jdn, int tz)
{
	double jd = (double)jdn - 0.5 - tz / 24.0;
	double t = (jd - 2451545.0) / 36525.0;	/* centuries from J2000 */
	double t2 = t * t;
	double m, l0, c, l;

	m = (357.52910 + 35999.05030 * t - 0.0001559 * t2 -
	    0.00000048 * t * t2) * deg;
	l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	c = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(m) +
	    (0.019993 - 0.000101 * t) * sin(2 * m) + 0.000290 * sin(3 * m);
	l = fmod(l0 + c, 360.0);
	if (l < 0)
		l += 360.0;
	return (int)floor(l / 30.0) % 12;
}

/* The index k of the new moon that starts the month beginning on `day`. */
static long
moon_index(long day)
{
	return (long)floor(((double)day - NM_EPOCH) / SYNODIC + 0.5);
}

/*
 * The first day of lunar month 11 around the end of Gregorian year y: the
 * month holding the winter solstice.  Take the new moon on or just before
 * 31 December; if the sun has already reached the solstice sector by then,
 * that month began after the solstice, so month 11 is the one before.
 */
static long
month11_start(int y, int tz)
{
	double off = (double)lunar_jdn(y, 12, 31) - NM_EPOCH;
	long k = (long)floor(off / SYNODIC);
	long start = new_moon_day(k, tz);

	if (sun_sector(start, tz) >= 9)
		start = new_moon_day(k - 1, tz);
	return start;
}

/*
 * In the 13-month year that starts with month 11 on day a11, the position
 * (1..12, counted in months after month 11) of the leap month: the first
 * month whose start and end fall in the same solar-term sector.
 */
static int
leap_offset(long a11, int tz)
{
	long k = moon_index(a11);
	int i, prev, cur;

	prev = sun_sector(new_moon_day(k + 1, tz), tz);
	for (i = 1; i < 13; i++) {
		cur = sun_sector(new_moon_day(k + i + 1, tz), tz);
		if (cur == prev)
			return i;
		prev = cur;
	}
	return 12;	/* not reached for a true 13-month year */
}

/* Lunar month number of the month at `off` months after month 11. */
static int
month_at(int off)
{
	return (off + 10) % 12 + 1;
}

int
lunar_from_solar(int y, int m, int d, int tz, struct lunar_date *out)
{
	long day, k, start, a11, b11;
	int lyear, off, leap_off;

	if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > days_in_month(y, m) || tz < -12 || tz > 14)
		return -1;

	day = lunar_jdn(y, m, d);
	/* the last new moon on or before the day (the estimate from the
	 * mean month can be one off either way) */
	k = (long)floor(((double)day - NM_EPOCH) / SYNODIC);
	while ((start = new_moon_day(k, tz)) > day)
		k--;
	while (new_moon_day(k + 1, tz) <= day)
		start = new_moon_day(++k, tz);

	/* the month-11 interval [a11, b11) that holds the day */
	a11 = month11_start(y, tz);
	if (a11 <= start) {
		b11 = month11_start(y + 1, tz);
		lyear = y + 1;
	} else {
		b11 = a11;
		a11 = month11_start(y - 1, tz);
		lyear = y;
	}

	off = (int)floor((double)(start - a11) / SYNODIC + 0.5);
	out->leap = 0;
	if (b11 - a11 > 365) {
		leap_off = leap_offset(a11, tz);
		if (off >= leap_off) {
			out->leap = off == leap_off;
			off--;
		}
	}
	out->month = month_at(off);
	/* months 11 and 12 belong to the lunar year before */
	out->year = off < 2 ? lyear - 1 : lyear;
	out->day = (int)(day - start + 1);
	return 0;
}

int
lunar_to_solar(const struct lunar_date *ld, int tz, int *y, int *m, int *d)
{
	long a11, b11, k, start, next, day;
	int off, leap_off = 0;

	/* months 11 and 12 of the year before the first start in it */
	if (ld == NULL || ld->year < LUNAR_MIN_YEAR - (ld->month >= 11) ||
	    ld->year > LUNAR_MAX_YEAR || ld->month < 1 || ld->month > 12 ||
	    ld->day < 1 || ld->day > 30 || tz < -12 || tz > 14)
		return -1;

	/* month 11 of the previous lunar year starts the interval holding
	 * months 1..10; months 11 and 12 are in the following interval */
	if (ld->month >= 11) {
		a11 = month11_start(ld->year, tz);
		b11 = month11_start(ld->year + 1, tz);
	} else {
		a11 = month11_start(ld->year - 1, tz);
		b11 = month11_start(ld->year, tz);
	}
	off = (ld->month + 1) % 12;	/* 11 -> 0, 12 -> 1, 1 -> 2 ... */
	if (b11 - a11 > 365)
		leap_off = leap_offset(a11, tz);
	if (ld->leap) {
		if (leap_off == 0 || off + 1 != leap_off)
			return -1;
		off++;
	} else if (leap_off != 0 && off >= leap_off) {
		off++;
	}

	k = moon_index(a11);
	start = new_moon_day(k + off, tz);
	next = new_moon_day(k + off + 1, tz);
	day = start + ld->day - 1;
	if (day >= next)
		return -1;
	lunar_jdn_to_date(day, y, m, d);
	return 0;
}

int
lunar_leap_month(int lyear, int tz)
{
	long a11, b11;
	int off;

	if (lyear < LUNAR_MIN_YEAR || lyear > LUNAR_MAX_YEAR || tz < -12 ||
	    tz > 14)
		return 0;

	/* months 1..10 (and a leap month after any of them) */
	a11 = month11_start(lyear - 1, tz);
	b11 = month11_start(lyear, tz);
	if (b11 - a11 > 365) {
		off = leap_offset(a11, tz);
		if (off >= 3)
			return month_at(off - 1);
	}
	/* a leap 11 or 12 follows month 11 of this year */
	a11 = b11;
	b11 = month11_start(lyear + 1, tz);
	if (b11 - a11 > 365) {
		off = leap_offset(a11, tz);
		if (off <= 2)
			return month_at(off - 1);
	}
	return 0;
}
