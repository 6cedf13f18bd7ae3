/*
 * lunar.h: the Vietnamese lunar calendar.
 *
 * Implemented from the published description of Ho Ngoc Duc's algorithm
 * (astronomical new moons and solar terms after Meeus), computed for a
 * time zone given in hours east of UTC; Vietnam uses 7.  The eleventh
 * lunar month is the one containing the winter solstice, and in a leap
 * year the leap month is the first month after month 11 that contains no
 * major solar term.
 *
 * Pure functions: no state, no allocation, valid for years 1800 to 2199.
 */
#ifndef DOSSIER_LUNAR_H
#define DOSSIER_LUNAR_H

struct lunar_date {
	int year;	/* lunar year (the Gregorian year in which it mostly lies) */
	int month;	/* 1..12 */
	int day;	/* 1..30 */
	int leap;	/* 1 if this month is the leap (intercalary) month */
};

/* Julian day number of a Gregorian date, and back. */
long lunar_jdn(int y, int m, int d);
void lunar_jdn_to_date(long jdn, int *y, int *m, int *d);

/*
 * Convert the Gregorian date y-m-d to the lunar calendar at `tz` hours east
 * of UTC.  Returns 0, or -1 if the year is out of range.  Only the unit
 * tests call it, to check the algorithm against published tables.
 */
int lunar_from_solar(int y, int m, int d, int tz, struct lunar_date *out);

/*
 * Convert a lunar date to Gregorian.  Returns 0, or -1 if no such lunar
 * date exists (a leap flag on a month that is not leap, day 30 of a
 * 29-day month, or out of range).
 */
int lunar_to_solar(const struct lunar_date *ld, int tz, int *y, int *m,
    int *d);

/*
 * The leap month of lunar year `lyear` (1..12: the leap month follows the
 * ordinary month of that number), or 0 if the year has none.  Only the
 * unit tests call it.
 */
int lunar_leap_month(int lyear, int tz);

#endif
