/*
 * calendar.c: the office calendar and working-time arithmetic.
 *
 * Everything is pure arithmetic on day numbers and seconds: nothing here
 * depends on the process time zone (no localtime, no mktime).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "civil.h"
#include "lunar.h"

#define DAY_SECS 86400
#define VN_TZ 7			/* lunar calendar: Vietnam, UTC+7 */
/* longest run of days searched for a working day */
#define MAX_SEARCH_DAYS 3660
/* largest working-time budget accepted by cal_add, in working days */
#define MAX_BUDGET_DAYS 1000000.0
/* 0001-01-01 and 10000-01-01, UTC, with a day to spare */
#define TIME_MIN (-62135596800LL - DAY_SECS)
#define TIME_MAX (253402300800LL + DAY_SECS)

/* ---- units --------------------------------------------------------- */

static const char *const unit_names[] = {
	"working_days", "days", "half_days", "hours"
};

int
time_unit_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
		if (strcmp(s, unit_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
time_unit_name(enum time_unit u)
{
	if ((int)u < 0 || (size_t)u >= sizeof unit_names / sizeof unit_names[0])
		return "?";
	return unit_names[u];
}

/* ---- the calendar -------------------------------------------------- */

void
cal_init(struct calendar *cal)
{
	memset(cal, 0, sizeof *cal);
	cal->utc_offset = CAL_DEFAULT_OFFSET;
	cal->nperiods = 2;
	cal->period_start[0] = 7 * 60;
	cal->period_end[0] = 11 * 60 + 30;
	cal->period_start[1] = 13 * 60 + 30;
	cal->period_end[1] = 17 * 60;
	cal->cutoff = 15 * 60;
	cal->workweek = 0x3e;
	cal->overrides = NULL;
	cal->noverrides = 0;
	cal->official = NULL;
	cal->nofficial = 0;
	cal->official_years = NULL;
	cal->nofficial_years = 0;
	cal->years = NULL;
	cal->nyears = 0;
	cal->hours = NULL;
	cal->nhours = 0;
}

void
cal_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->overrides);
	free(cal->official);
	free(cal->official_years);
	free(cal->years);
	free(cal->hours);
	cal->hours = NULL;
	cal->nhours = 0;
	cal->overrides = NULL;
	cal->noverrides = 0;
	cal->official = NULL;
	cal->nofficial = 0;
	cal->official_years = NULL;
	cal->nofficial_years = 0;
	cal->years = NULL;
	cal->nyears = 0;
}

/* Copy a UTF-8 name into a cal_day, cutting at a character boundary. */
static void
set_name(struct cal_day *cd, const char *name, const char *suffix)
{
	size_t cap = sizeof cd->name - 1;
	size_t n = name ? strlen(name) : 0;
	size_t sn = suffix ? strlen(suffix) : 0;

	if (n > cap) {
		n = cap;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(cd->name, name, n);
	if (sn > 0 && n + sn <= cap) {
		memcpy(cd->name + n, suffix, sn);
		n += sn;
	}
	cd->name[n] = '\0';
}

/* Index of the day `day` in v[0..n-1] sorted by day, or of where it would
 * go; *found. */
static size_t
day_find(const struct cal_day *v, size_t n, int64_t day, int *found)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n && v[lo].day == day;
	return lo;
}

static size_t
override_find(const struct calendar *cal, int64_t day, int *found)
{
	return day_find(cal->overrides, cal->noverrides, day, found);
}

/* Insert or replace `day` in the sorted array *v of *n days. */
static int
day_put(struct cal_day **v, size_t *n, int64_t day, enum cal_kind kind,
    enum cal_source source, const char *name)
{
	struct cal_day *cd;
	size_t i;
	int found;

	if (kind != CAL_HOLIDAY && kind != CAL_COMPENSATORY &&
	    kind != CAL_WORKDAY)
		return -1;
	i = day_find(*v, *n, day, &found);
	if (!found) {
		struct cal_day *nv = realloc(*v, (*n + 1) * sizeof *nv);

		if (nv == NULL)
			return -1;
		*v = nv;
		memmove(nv + i + 1, nv + i, (*n - i) * sizeof *nv);
		(*n)++;
	}
	cd = &(*v)[i];
	memset(cd, 0, sizeof *cd);
	cd->day = day;
	cd->kind = kind;
	cd->source = source;
	set_name(cd, name, NULL);
	return 0;
}

int
cal_add_override(struct calendar *cal, int64_t day, enum cal_kind kind,
    const char *name)
{
	return day_put(&cal->overrides, &cal->noverrides, day, kind,
	    CAL_SRC_OVERRIDE, name);
}

int
cal_add_official(struct calendar *cal, int64_t day, enum cal_kind kind,
    const char *name)
{
	return day_put(&cal->official, &cal->nofficial, day, kind,
	    CAL_SRC_OFFICIAL, name);
}

int
cal_is_official_year(const struct calendar *cal, int year)
{
	size_t i;

	for (i = 0; i < cal->nofficial_years; i++)
		if (cal->official_years[i] == year)
			return 1;
	return 0;
}

int
cal_set_official_year(struct calendar *cal, int year)
{
	int *nv;
	size_t i;

	if (cal_is_official_year(cal, year))
		return 0;
	nv = realloc(cal->official_years,
	    (cal->nofficial_years + 1) * sizeof *nv);
	if (nv == NULL)
		return -1;
	cal->official_years = nv;
	for (i = cal->nofficial_years; i > 0 && nv[i - 1] > year; i--)
		nv[i] = nv[i - 1];
	nv[i] = year;
	cal->nofficial_years++;
	/* the cached rule days of that year no longer apply */
	free(cal->years);
	cal->years = NULL;
	cal->nyears = 0;
	return 0;
}

size_t
cal_year_overrides(const struct calendar *cal, int year)
{
	size_t lo, hi;
	int found;

	lo = override_find(cal, days_from_civil(year, 1, 1), &found);
	hi = override_find(cal, days_from_civil(year + 1, 1, 1), &found);
	return hi - lo;
}

/* ---- rule holidays ------------------------------------------------- */

#define MAX_RULE_DAYS ((int)(sizeof ((struct cal_year *)0)->days / \
	sizeof ((struct cal_year *)0)->days[0]))

static int
day_cmp(const void *a, const void *b)
{
	const struct cal_day *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static int
rule_has(const struct cal_year *cy, int64_t day)
{
	int i;

	for (i = 0; i < cy->n; i++)
		if (cy->days[i].day == day)
			return 1;
	return 0;
}

static void
rule_add(struct cal_year *cy, int64_t day, enum cal_kind kind,
    const char *name, const char *suffix)
{
	struct cal_day *cd;

	/* two holidays on one day (not known to happen) count once */
	if (cy->n >= MAX_RULE_DAYS || rule_has(cy, day))
		return;
	cd = &cy->days[cy->n++];
	memset(cd, 0, sizeof *cd);
	cd->day = day;
	cd->kind = kind;
	cd->source = CAL_SRC_RULE;
	set_name(cd, name, suffix);
}

static int
in_workweek(const struct calendar *cal, int64_t day)
{
	return (cal->workweek >> weekday_of(day)) & 1u;
}

/* Compute the rule days of `year` into *cy, sorted. */
static void
rule_compute(const struct calendar *cal, int year, struct cal_year *cy)
{
	struct lunar_date ld;
	int y, m, d, i, nhol;
	int64_t sep2;

	memset(cy, 0, sizeof *cy);
	cy->year = year;
	if (cal_is_official_year(cal, year))
		return;

	rule_add(cy, days_from_civil(year, 1, 1), CAL_HOLIDAY,
	    "Tết Dương lịch", NULL);

	/* Tết: the last day of lunar year `year - 1` and days 1-4 of the
	 * lunar year that starts in Gregorian year `year` */
	ld.year = year;
	ld.month = 1;
	ld.day = 1;
	ld.leap = 0;
	if (lunar_to_solar(&ld, VN_TZ, &y, &m, &d) == 0) {
		int64_t tet = days_from_civil(y, m, d);

		for (i = -1; i <= 3; i++)
			rule_add(cy, tet + i, CAL_HOLIDAY, "Tết Nguyên đán",
			    NULL);
	}
	ld.month = 3;
	ld.day = 10;
	if (lunar_to_solar(&ld, VN_TZ, &y, &m, &d) == 0)
		rule_add(cy, days_from_civil(y, m, d), CAL_HOLIDAY,
		    "Giỗ Tổ Hùng Vương", NULL);

	rule_add(cy, days_from_civil(year, 4, 30), CAL_HOLIDAY,
	    "Ngày Chiến thắng", NULL);
	rule_add(cy, days_from_civil(year, 5, 1), CAL_HOLIDAY,
	    "Quốc tế Lao động", NULL);
	sep2 = days_from_civil(year, 9, 2);
	rule_add(cy, sep2, CAL_HOLIDAY, "Quốc khánh", NULL);
	/* the adjacent day: Labour Code 2019, in force from 2021 */
	if (year >= 2021)
		rule_add(cy, weekday_of(sep2) == 2 ? sep2 - 1 : sep2 + 1,
		    CAL_HOLIDAY, "Quốc khánh", NULL);

	qsort(cy->days, (size_t)cy->n, sizeof cy->days[0], day_cmp);

	/* compensatory days, in holiday order so that two holidays on rest
	 * days take successive working days */
	nhol = cy->n;
	if ((cal->workweek & 0x7fu) == 0)
		return;
	for (i = 0; i < nhol; i++) {
		const struct cal_day *h = &cy->days[i];
		int64_t c = h->day;

		if (in_workweek(cal, c))
			continue;
		do
			c++;
		while (!in_workweek(cal, c) || rule_has(cy, c));
		rule_add(cy, c, CAL_COMPENSATORY, h->name, " (bù)");
	}
	qsort(cy->days, (size_t)cy->n, sizeof cy->days[0], day_cmp);
}

/*
 * The cached rule days of `year`, computing them on first use.  The cache
 * is kept sorted by year; the pointer is valid until the next call.
 */
static const struct cal_year *
rule_year(struct calendar *cal, int year)
{
	struct cal_year *nv;
	size_t lo = 0, hi = cal->nyears;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->years[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cal->nyears && cal->years[lo].year == year)
		return &cal->years[lo];
	nv = realloc(cal->years, (cal->nyears + 1) * sizeof *nv);
	if (nv == NULL)
		return NULL;
	cal->years = nv;
	memmove(nv + lo + 1, nv + lo, (cal->nyears - lo) * sizeof *nv);
	cal->nyears++;
	rule_compute(cal, year, &nv[lo]);
	return &nv[lo];
}

int
cal_rule_days(struct calendar *cal, int year, struct cal_day *out, int max)
{
	struct cal_year tmp;
	const struct cal_year *cy = rule_year(cal, year);
	int i;

	if (cy == NULL) {	/* out of memory: compute uncached */
		rule_compute(cal, year, &tmp);
		cy = &tmp;
	}
	for (i = 0; i < cy->n && i < max; i++)
		out[i] = cy->days[i];
	return cy->n;
}

/* The rule day for `day` copied to *out (if not NULL); 1 if there is one. */
static int
rule_lookup(struct calendar *cal, int64_t day, struct cal_day *out)
{
	struct cal_year tmp;
	const struct cal_year *cy;
	int y, m, d, i, k;

	civil_from_days(day, &y, &m, &d);
	/* a compensatory day could in principle spill into January */
	for (k = 0; k < (m == 1 ? 2 : 1); k++) {
		cy = rule_year(cal, y - k);
		if (cy == NULL) {	/* out of memory: compute uncached */
			rule_compute(cal, y - k, &tmp);
			cy = &tmp;
		}
		for (i = 0; i < cy->n; i++) {
			if (cy->days[i].day == day) {
				if (out != NULL)
					*out = cy->days[i];
				return 1;
			}
		}
	}
	return 0;
}

/* Merge the days v2[lo..hi-1] into v[0..*n-1], each replacing a day of v
 * it falls on (keeping that day's name if it has none). */
static void
merge_days(struct cal_day *v, size_t *n, const struct cal_day *v2,
    size_t lo, size_t hi)
{
	size_t i, k;

	for (i = lo; i < hi; i++) {
		const struct cal_day *o = &v2[i];

		for (k = 0; k < *n && v[k].day != o->day; k++)
			;
		if (k < *n) {
			struct cal_day merged = *o;

			if (merged.name[0] == '\0')
				memcpy(merged.name, v[k].name,
				    sizeof merged.name);
			v[k] = merged;
		} else {
			v[(*n)++] = *o;
		}
	}
}

size_t
cal_year_days(struct calendar *cal, int year, struct cal_day **out)
{
	int64_t first = days_from_civil(year, 1, 1);
	int64_t last = days_from_civil(year, 12, 31);
	struct cal_day rules[MAX_RULE_DAYS];
	struct cal_day *v;
	size_t lo, hi, flo, fhi, n = 0, cap;
	int nr, j, found;

	nr = cal_rule_days(cal, year, rules, MAX_RULE_DAYS);
	if (nr > MAX_RULE_DAYS)
		nr = MAX_RULE_DAYS;
	lo = override_find(cal, first, &found);
	hi = override_find(cal, last + 1, &found);
	flo = day_find(cal->official, cal->nofficial, first, &found);
	fhi = day_find(cal->official, cal->nofficial, last + 1, &found);
	cap = (size_t)nr + (hi - lo) + (fhi - flo);
	*out = NULL;
	if (cap == 0)
		return 0;
	v = malloc(cap * sizeof *v);
	if (v == NULL)
		return 0;
	for (j = 0; j < nr; j++)
		if (rules[j].day >= first && rules[j].day <= last)
			v[n++] = rules[j];
	/* the official days, then the overrides, win */
	merge_days(v, &n, cal->official, flo, fhi);
	merge_days(v, &n, cal->overrides, lo, hi);
	qsort(v, n, sizeof *v, day_cmp);
	*out = v;
	return n;
}

int
cal_day_info(struct calendar *cal, int64_t day, struct cal_day *info)
{
	size_t i;
	int found;

	i = override_find(cal, day, &found);
	if (found) {
		*info = cal->overrides[i];
		return info->kind == CAL_WORKDAY;
	}
	i = day_find(cal->official, cal->nofficial, day, &found);
	if (found) {
		*info = cal->official[i];
		return info->kind == CAL_WORKDAY;
	}
	if (rule_lookup(cal, day, info))
		return 0;
	memset(info, 0, sizeof *info);
	info->day = day;
	info->kind = CAL_PLAIN;
	info->source = CAL_SRC_NONE;
	return in_workweek(cal, day);
}

int
cal_is_workday(struct calendar *cal, int64_t day)
{
	size_t i;
	int found;

	i = override_find(cal, day, &found);
	if (found)
		return cal->overrides[i].kind == CAL_WORKDAY;
	i = day_find(cal->official, cal->nofficial, day, &found);
	if (found)
		return cal->official[i].kind == CAL_WORKDAY;
	if (rule_lookup(cal, day, NULL))
		return 0;
	return in_workweek(cal, day);
}

/* ---- working time -------------------------------------------------- */

/* The office hours of one day, borrowed from the calendar. */
struct span {
	int n;
	const int *start, *end;
	int cutoff;
};

/* Index of the last change of hours from `day` or before, or -1. */
static long
hours_index(const struct calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->nhours, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->hours[mid].from <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

static void
span_on(const struct calendar *cal, int64_t day, struct span *v)
{
	const struct cal_hours *h;
	long i = cal->nhours == 0 ? -1 : hours_index(cal, day);

	if (i < 0) {
		v->n = cal->nperiods;
		v->start = cal->period_start;
		v->end = cal->period_end;
		v->cutoff = cal->cutoff;
	} else {
		h = &cal->hours[i];
		v->n = h->nperiods;
		v->start = h->period_start;
		v->end = h->period_end;
		v->cutoff = h->cutoff;
	}
	if (v->n < 0)
		v->n = 0;
	if (v->n > CAL_MAX_PERIODS)
		v->n = CAL_MAX_PERIODS;
}

int
cal_add_hours(struct calendar *cal, const struct cal_hours *h)
{
	struct cal_hours *nv;
	long i;

	if (h->nperiods < 1 || h->nperiods > CAL_MAX_PERIODS)
		return -1;
	i = hours_index(cal, h->from);
	if (i >= 0 && cal->hours[i].from == h->from) {
		cal->hours[i] = *h;
		return 0;
	}
	nv = realloc(cal->hours, (cal->nhours + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	cal->hours = nv;
	memmove(&cal->hours[i + 2], &cal->hours[i + 1],
	    (cal->nhours - (size_t)(i + 1)) * sizeof(*cal->hours));
	cal->hours[i + 1] = *h;
	cal->nhours++;
	return 0;
}

void
cal_hours_on(const struct calendar *cal, int64_t day, struct cal_hours *h)
{
	long i = cal->nhours == 0 ? -1 : hours_index(cal, day);
	int p;

	if (i >= 0) {
		*h = cal->hours[i];
		return;
	}
	memset(h, 0, sizeof(*h));
	h->from = CAL_HOURS_ALWAYS;
	h->nperiods = cal->nperiods;
	for (p = 0; p < cal->nperiods && p < CAL_MAX_PERIODS; p++) {
		h->period_start[p] = cal->period_start[p];
		h->period_end[p] = cal->period_end[p];
	}
	h->cutoff = cal->cutoff;
}

/* Period p of a day in seconds after midnight; 0 if it is empty. */
static int
period(const struct span *v, int p, int64_t *s, int64_t *e)
{
	*s = (int64_t)v->start[p] * 60;
	*e = (int64_t)v->end[p] * 60;
	return *e > *s;
}

static int64_t
span_seconds(const struct span *v)
{
	int64_t sum = 0, s, e;
	int p;

	for (p = 0; p < v->n; p++)
		if (period(v, p, &s, &e))
			sum += e - s;
	return sum;
}

int64_t
cal_day_seconds(const struct calendar *cal)
{
	struct span v;

	span_on(cal, CAL_HOURS_ALWAYS, &v);
	return span_seconds(&v);
}

int64_t
cal_day_seconds_on(const struct calendar *cal, int64_t day)
{
	struct span v;

	span_on(cal, day, &v);
	return span_seconds(&v);
}

int64_t
cal_local_day(const struct calendar *cal, dx_time t)
{
	/* split first so that t + offset cannot overflow */
	int64_t day = floor_div(t, DAY_SECS);
	int64_t sod = t % DAY_SECS;

	if (sod < 0)
		sod += DAY_SECS;

	return day + floor_div(sod + cal->utc_offset, DAY_SECS);
}

dx_time
cal_day_start(const struct calendar *cal, int64_t day)
{
	return day * DAY_SECS - cal->utc_offset;
}

/* Opening (first period start, seconds after midnight) of a day. */
static int64_t
opening(const struct span *v)
{
	int64_t s, e, best = -1;
	int p;

	for (p = 0; p < v->n; p++)
		if (period(v, p, &s, &e) && (best < 0 || s < best))
			best = s;
	return best < 0 ? 0 : best;
}

/* Latest period end of a day, seconds after midnight. */
static int64_t
closing(const struct span *v)
{
	int64_t s, e, best = 0;
	int p;

	for (p = 0; p < v->n; p++)
		if (period(v, p, &s, &e) && e > best)
			best = e;
	return best;
}

int
cal_cutoff_on(const struct calendar *cal, int64_t day, int cutoff)
{
	struct span v;

	if (cutoff != CAL_CUTOFF_PAPER && cutoff != CAL_CUTOFF_ONLINE)
		return cutoff;
	span_on(cal, day, &v);
	return cutoff == CAL_CUTOFF_PAPER ? v.cutoff :
	    (int)(closing(&v) / 60);
}

dx_time
cal_start(struct calendar *cal, dx_time t, int cutoff)
{
	int64_t day, sod, s, e, next = -1;
	struct span v;
	int p, i;

	if (t < TIME_MIN || t > TIME_MAX)
		return t;
	day = cal_local_day(cal, t);
	span_on(cal, day, &v);
	if (span_seconds(&v) == 0)
		return t;
	cutoff = cal_cutoff_on(cal, day, cutoff);
	sod = t - cal_day_start(cal, day);
	if (cal_is_workday(cal, day) && sod < (int64_t)cutoff * 60) {
		for (p = 0; p < v.n; p++) {
			if (!period(&v, p, &s, &e))
				continue;
			if (sod >= s && sod < e)
				return t;
			if (s > sod && (next < 0 || s < next))
				next = s;
		}
		if (next >= 0)
			return cal_day_start(cal, day) + next;
	}
	for (i = 0; i < MAX_SEARCH_DAYS; i++)
		if (cal_is_workday(cal, ++day))
			break;
	span_on(cal, day, &v);
	return cal_day_start(cal, day) + opening(&v);
}

/* Seconds of office time of a working day within [from, to) seconds of
 * the day. */
static int64_t
office_between(const struct span *v, int64_t from, int64_t to)
{
	int64_t sum = 0, s, e;
	int p;

	for (p = 0; p < v->n; p++) {
		if (!period(v, p, &s, &e))
			continue;
		if (s < from)
			s = from;
		if (e > to)
			e = to;
		if (e > s)
			sum += e - s;
	}
	return sum;
}

/*
 * On working day `day`, the second of the day at which `*budget` seconds
 * of office time counted from second `from` run out; or -1 with *budget
 * reduced by the office time left in the day.
 */
static int64_t
consume_day(const struct span *v, int64_t from, int64_t *budget)
{
	int64_t order[CAL_MAX_PERIODS][2], s, e, tmp0, tmp1;
	int n = 0, p, i;

	for (p = 0; p < v->n; p++) {
		if (!period(v, p, &s, &e))
			continue;
		/* insertion sort by start */
		for (i = n; i > 0 && order[i - 1][0] > s; i--) {
			order[i][0] = order[i - 1][0];
			order[i][1] = order[i - 1][1];
		}
		order[i][0] = s;
		order[i][1] = e;
		n++;
	}
	for (i = 0; i < n; i++) {
		tmp0 = order[i][0] > from ? order[i][0] : from;
		tmp1 = order[i][1];
		if (tmp1 <= tmp0)
			continue;
		if (*budget <= tmp1 - tmp0)
			return tmp0 + *budget;
		*budget -= tmp1 - tmp0;
	}
	return -1;
}

dx_time
cal_budget_start(struct calendar *cal, dx_time t, int cutoff,
    enum time_unit unit)
{
	return unit == TU_DAYS ? t : cal_start(cal, t, cutoff);
}

int
cal_add(struct calendar *cal, dx_time start, double amount,
    enum time_unit unit, dx_time *due)
{
	int64_t ds, dd, day, budget, need, at;
	struct span v;
	double secs;
	long i;

	if (!isfinite(amount) || amount < 0 || start < TIME_MIN ||
	    start > TIME_MAX)
		return -1;
	if (amount == 0) {
		*due = start;
		return 0;
	}
	if (unit == TU_DAYS) {
		if (amount > MAX_BUDGET_DAYS)
			return -1;
		day = cal_local_day(cal, start) + (int64_t)ceil(amount);
		for (i = 0; !cal_is_workday(cal, day); i++) {
			if (i > MAX_SEARCH_DAYS)
				return -1;
			day++;
		}
		span_on(cal, day, &v);
		*due = cal_day_start(cal, day) + closing(&v);
		return 0;
	}

	/* working days are counted in seconds of the first day's hours: a
	 * later day with other hours counts as one day all the same */
	day = cal_local_day(cal, start);
	span_on(cal, day, &v);
	ds = span_seconds(&v);
	switch (unit) {
	case TU_WORKING_DAYS:
		secs = amount * (double)ds;
		break;
	case TU_HALF_DAYS:
		secs = amount * (double)ds / 2.0;
		break;
	case TU_HOURS:
		secs = amount * 3600.0;
		break;
	default:
		return -1;
	}
	if (ds == 0 || secs > MAX_BUDGET_DAYS * (double)ds)
		return -1;
	budget = (int64_t)llround(secs);
	if (budget == 0) {
		*due = start;
		return 0;
	}

	if (cal_is_workday(cal, day)) {
		at = consume_day(&v, start - cal_day_start(cal, day), &budget);
		if (at >= 0) {
			*due = cal_day_start(cal, day) + at;
			return 0;
		}
	}
	/* whole days; a working-day-free stretch this long means the
	 * calendar has no working days at all */
	for (i = 0; ; ) {
		day++;
		if (!cal_is_workday(cal, day)) {
			if (++i > MAX_SEARCH_DAYS)
				return -1;
			continue;
		}
		i = 0;
		span_on(cal, day, &v);
		if ((dd = span_seconds(&v)) == 0) {
			if (++i > MAX_SEARCH_DAYS)
				return -1;
			continue;
		}
		if (budget > (unit == TU_HOURS ? dd : ds)) {
			budget -= unit == TU_HOURS ? dd : ds;
			continue;
		}
		need = unit == TU_HOURS || dd == ds ? budget :
		    (budget * dd + ds / 2) / ds;
		if (need < 1)
			need = 1;
		at = consume_day(&v, 0, &need);
		*due = cal_day_start(cal, day) + at;
		return 0;
	}
}

/*
 * The office time in [a, b), in working seconds, and in working days into
 * *days unless it is NULL: each day's share of the office hours in force
 * on it, so that both count the same days in the same loop.
 */
static int64_t
elapsed(struct calendar *cal, dx_time a, dx_time b, double *days)
{
	int64_t da, db, day, sum = 0, base, s, full;
	struct span v;

	if (b <= a)
		return 0;
	/* years 1 to 9999 */
	if (a < TIME_MIN)
		a = TIME_MIN;
	if (b > TIME_MAX)
		b = TIME_MAX;
	if (b <= a)
		return 0;
	da = cal_local_day(cal, a);
	db = cal_local_day(cal, b);
	for (day = da; day <= db; day++) {
		if (!cal_is_workday(cal, day))
			continue;
		span_on(cal, day, &v);
		full = span_seconds(&v);
		if (day != da && day != db)
			s = full;
		else {
			base = cal_day_start(cal, day);
			s = office_between(&v, day == da ? a - base : 0,
			    day == db ? b - base : DAY_SECS);
		}
		sum += s;
		if (days != NULL && s > 0)
			*days += (double)s / (double)full;
	}
	return sum;
}

int64_t
cal_elapsed(struct calendar *cal, dx_time a, dx_time b)
{
	return elapsed(cal, a, b, NULL);
}

double
cal_elapsed_days(struct calendar *cal, dx_time a, dx_time b)
{
	double days = 0;

	elapsed(cal, a, b, &days);
	return days;
}

/* ---- formats ------------------------------------------------------- */

void
cal_format_day(int64_t day, char *buf)
{
	char tmp[64];
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(buf, tmp, 11);	/* 10 characters and the NUL */
}

/* Write v as exactly n decimal digits (v >= 0, v < 10^n). */
static void
put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
cal_format(const struct calendar *cal, dx_time t, char *buf)
{
	char tmp[96];
	int64_t day, sod;
	int y, m, d, off = cal->utc_offset, sign = '+';

	/* out of the four-digit years: print the nearest one */
	if (t < TIME_MIN)
		t = TIME_MIN;
	if (t > TIME_MAX)
		t = TIME_MAX;
	day = cal_local_day(cal, t);
	sod = t - cal_day_start(cal, day);
	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	/* by hand: this runs for every time of every record printed */
	put_digits(tmp, y, 4);
	tmp[4] = '-';
	put_digits(tmp + 5, m, 2);
	tmp[7] = '-';
	put_digits(tmp + 8, d, 2);
	tmp[10] = 'T';
	put_digits(tmp + 11, (int)(sod / 3600), 2);
	tmp[13] = ':';
	put_digits(tmp + 14, (int)(sod / 60 % 60), 2);
	tmp[16] = ':';
	put_digits(tmp + 17, (int)(sod % 60), 2);
	tmp[19] = (char)sign;
	put_digits(tmp + 20, off / 3600 % 100, 2);
	tmp[22] = ':';
	put_digits(tmp + 23, off / 60 % 60, 2);
	tmp[25] = '\0';
	memcpy(buf, tmp, 26);	/* 25 characters and the NUL */
}

/* Parse exactly n digits at *s into *v, advancing *s. */
static int
digits(const char **s, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		x = x * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*v = x;
	return 0;
}

/* "YYYY-MM-DD" at *s, advancing *s. */
static int
parse_date(const char **s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || **s != '-')
		return -1;
	(*s)++;
	if (digits(s, 2, m) || **s != '-')
		return -1;
	(*s)++;
	if (digits(s, 2, d) || !valid_date(*y, *m, *d))
		return -1;
	return 0;
}

int
cal_parse_day(const char *s, int64_t *day)
{
	int y, m, d;

	if (s == NULL || parse_date(&s, &y, &m, &d) || *s != '\0')
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

int
cal_parse(const struct calendar *cal, const char *s, dx_time *out)
{
	int y, m, d, hh, mi, ss, oh, om;
	int64_t off, t;

	if (s == NULL || parse_date(&s, &y, &m, &d))
		return -1;
	t = days_from_civil(y, m, d) * DAY_SECS;
	if (*s == '\0') {
		*out = t - cal->utc_offset;
		return 0;
	}
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(&s, 2, &hh) || *s++ != ':' || digits(&s, 2, &mi) ||
	    *s++ != ':' || digits(&s, 2, &ss))
		return -1;
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	t += (int64_t)hh * 3600 + mi * 60 + ss;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == '\0') {
		off = cal->utc_offset;
	} else if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		off = 0;
	} else if (*s == '+' || *s == '-') {
		int neg = *s == '-';

		s++;
		if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) ||
		    *s != '\0' || oh > 23 || om > 59)
			return -1;
		off = (int64_t)oh * 3600 + om * 60;
		if (neg)
			off = -off;
	} else {
		return -1;
	}
	*out = t - off;
	return 0;
}
