/*
 * civil.h: civil (proleptic Gregorian) day numbers.
 *
 * A day number is the count of days since 1970-01-01; it is negative
 * before.  The functions are pure: no time zone (a caller that means a
 * local day converts its instant first, see cal_local_day()), no state, no
 * allocation, no error (any int year is accepted; valid_date() says which
 * dates exist).  Nothing here includes another module: calendar and lunar
 * both stand on it.
 */
#ifndef DOSSIER_CIVIL_H
#define DOSSIER_CIVIL_H

#include <stdint.h>

/* a / b rounded towards minus infinity (b != 0): days of an instant. */
int64_t floor_div(int64_t a, int64_t b);

/* The day number of y-m-d (after Howard Hinnant's days_from_civil). */
int64_t days_from_civil(int y, int m, int d);

/* The date of day number z, the inverse of days_from_civil(). */
void civil_from_days(int64_t z, int *y, int *m, int *d);

/* The weekday of day number z: 0 = Sunday ... 6 = Saturday. */
int weekday_of(int64_t z);

/* 1 if y-m-d is a real date in the years 1 to 9999, else 0. */
int valid_date(int y, int m, int d);

#endif
