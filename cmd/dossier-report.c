/*
 * dossier-report: the status-and-results report of an office (form
 * II.06a): per field, procedure or unit, the dossiers received in a
 * reporting period, carried over, resolved early, on time and late, and
 * pending on time and overdue, as they stood at the as-of instant.
 *
 * The report is a function of the events up to the as-of instant.
 * It is not replayed from every event: a
 * dossier row is taken as it is, and only a dossier with events after
 * the as-of instant is rewound, by the "before" states of those events,
 * newest first, to the state it had then.  Every definition of a cell is
 * in classify(), once; the class of a resolved dossier is the result
 * stored when it ended (flow.h), never judged again here.
 */
#include <getopt.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common.h"
#include "doc.h"

enum by { BY_FIELD, BY_UNIT, BY_PROCEDURE, BY_STEP };
static const char *const by_names[] = {
	"field", "unit", "procedure", "step"
};

/* The counts of a row, in the order of the columns. */
enum {
	N_ONLINE, N_DIRECT, N_CARRIED, N_EARLY, N_ONTIME, N_LATE,
	N_PEND_OK, N_PEND_OVER, N_GUIDED, N_COUNTS
};

/* A row of the report: a group, or the whole office (key NULL). */
struct grp {
	char *key, *name;
	char *level;		/* --by unit: the unit's level */
	char *order;		/* what rows are sorted by */
	long long n[N_COUNTS];
};

/* A dossier's state at the as-of instant: what classify() reads. */
struct rstate {
	int status;
	char channel[16];
	char unit[32];
	char handler[64];
	char owner[32];
	char result[16];	/* "" while open */
	dx_time received_at, due_at, paused_at, finished_at, start_at;
	int64_t paused_total;	/* not 0: a pause ended (flow.h's unit) */
	int digitised;		/* every document has its file attached */
	int64_t id;		/* its row */
	const char *uuid;	/* NULL until looked up */
};

/* A row of the scan, as read before any rewind (row_read()). */
struct row {
	struct rstate s;
	int64_t proc_id;
	dx_time changed_at;
};

/*
 * The second scanner: on a large database, a thread on a connection of
 * its own reads the later half of the period's dossiers, in the same
 * snapshot as the main connection (split_start()), and hands the rows
 * to the main thread in batches, which takes them (take_row()) between
 * its own: every count, rewind and group stays on the main thread.
 */
#define SPLIT_BATCH 256		/* rows in a batch */
#define SPLIT_NBATCH 8		/* batches in the ring */
#define SPLIT_MIN 200000	/* dossiers a database needs to split */
static struct {
	int on;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* a batch filled or freed, or the end */
	struct row *rows;	/* SPLIT_NBATCH batches of SPLIT_BATCH */
	size_t fill[SPLIT_NBATCH];	/* rows of a full batch; 0: free */
	unsigned wr, rd;	/* the batch being filled, the next to take */
	size_t n;		/* rows in the batch being filled */
	int done, failed;
	struct db *db;
	sqlite3_stmt *st;
	struct dx_err e;
} sp;
static void split_drain(int wait);

/*
 * The query's columns: the first eleven are in the report's indexes
 * (schema migration 11), the rest "NULL" unless asked for
 * (report_columns()).
 */
enum {
	C_ID, C_RECEIVED, C_FINISHED, C_STATUS, C_CHANNEL, C_PROC_ID, C_UNIT,
	C_DUE, C_PAUSED, C_RESULT, C_CHANGED, C_START, C_PAUSED_TOTAL,
	C_DIGITISED, C_HANDLER, C_OWNER, C_UUID, C_NAME
};

/*
 * A dossier resolved in more than this many seconds is in the index of
 * the long-lived (schema.sql.h, migration 11), with those still open.
 */
#define LONG_LIVED 3888000

/* the values that tell two connections' snapshots apart (SNAP_SQL) */
#define SNAP_N 3

/* A procedure version as the rows need it, by its id. */
struct proc {
	char *code, *name, *field;
	struct grp *gr;		/* its row, once made (field, procedure) */
	int pass;		/* passes --procedure and --field */
};

/*
 * Decision 766's "dossiers with attached component files": a dossier
 * whose documents all carry the hash of an attached file.
 */
#define DIGITISED_SQL "(json_array_length(d.documents) > 0 AND NOT EXISTS" \
    " (SELECT 1 FROM json_each(d.documents) j" \
    " WHERE json_extract(j.value, '$.sha256') IS NULL))"

static struct {
	struct db *db;
	const char *path;		/* its file */
	int64_t snap[SNAP_N];		/* what its snapshot holds */
	struct calendar cal;
	struct office office;
	struct sel sel;
	enum by by;
	int format, bom;
	char from_s[11], to_s[11];	/* the period, inclusive dates */
	dx_time p0, p1;			/* [p0, p1): the period's instants */
	dx_time as_of;
	char as_of_s[40];		/* as RFC 3339 */
	const char *by_s;		/* the grouping's name */
	sqlite3_stmt *later;		/* a dossier's events after as_of */
	sqlite3_stmt *uuid_of;		/* a dossier's UUID by its id */
	struct proc *procs;		/* by id, nprocs of them */
	size_t nprocs;
	/* the groups: an open-addressing table of `cap` slots */
	struct grp **slot;
	size_t ngroups, cap;
	struct grp total;
	long long rewound;
	/*
	 * The filters of what events change (unit, handler, status, pause,
	 * owner), taken out of the query and judged on the state at the
	 * as-of instant: a dossier moved to another unit after it counts
	 * under the unit it had then.
	 */
	struct {
		const char *unit, *handler;
		unsigned statuses;
		int paused, supplement, elsewhere;
		int any;
	} sf;
	sqlite3_stmt *stepev, *stepname;	/* --by step */
	/* --indicators: what the rows do not hold */
	int indicators;
	sqlite3_stmt *clockev;		/* a paused dossier's clock */
	/*
	 * The working days of the resolved, in millionths of a day: an
	 * integer sum is the same in any order of rows, whichever way the
	 * split's two streams meet (split_drain()).
	 */
	int64_t resolved_udays;
	long long resolved_timed;	/* ... those with a start time */
	long long digitised;		/* received in the period, digitised */
	/* --format html: received and resolved per month of the year */
	dx_time now;
	int y_end, nmonths;		/* the year, its months so far */
	dx_time y0;			/* the year's first instant */
	long long m_recv[12], m_res[12];
	/* the scan (take_step()) */
	struct progress prog;		/* on a terminal, the dossiers walked */
	int64_t walked;
	struct dx_buf folded;		/* sel_match()'s scratch */
} g;

/* --format html: after the formats of rows.h */
#define FMT_HTML (ROWS_CSV + 1)

static const struct cli cli = {
	    "usage: dossier-report [-d dbfile] [--period"
	    " month|quarter|half|nine_months|year [--of when]]\n"
	    "                      [--from date --to date] [--as-of time]"
	    " [--by field|unit|procedure|step]\n"
	    "                      [--format json|table|csv|html] [--bom]"
	    " [--now time] [filters of dossier-status]\n"
	    "       dossier-report [-d dbfile] --indicators [period options]"
	    " [--as-of time]\n"
	    "                      [--format json|table|csv]\n"
	    "       dossier-report merge [--format json|table|csv] [--bom]\n"
	    "       dossier-report --help | --version\n",
	    "  -d, --db FILE        the office database (else $DOSSIER_DB)\n"
	    "      --period P       month, quarter, half, nine_months or year\n"
	    "      --of WHEN        which one: 2026-03, 2026-Q1 or 2026\n"
	    "      --from, --to D   any other range of dates, inclusive\n"
	    "      --as-of TIME     the instant the state is judged at\n"
	    "      --by GROUP       field (default), unit, procedure or step\n"
	    "      --format F       json (default), table, csv or html\n"
	    "      --bom            a byte-order mark before CSV\n"
	    "      --indicators     the Decision 766 indicators instead\n"
	    "      --now TIME       the current time (default: the clock)\n"
	    "  merge                sum the reports of several offices (stdin)\n"
	    "      --help, --version\n"
};

/* defined below, with their kind of output */
static void html_page(struct grp **v, size_t n);
static const struct col step_cols[14];
static void take_steps(const char *uuid, int64_t pid, const char *code);
static sqlite3_stmt *prepare(const char *sql);

/* ---- periods ----------------------------------------------------------- */

enum period { P_NONE = -1, P_MONTH, P_QUARTER, P_HALF, P_NINE, P_YEAR };
static const char *const period_names[] = {
	"month", "quarter", "half", "nine_months", "year", NULL
};

/* Y-M-D into `out` ("2026-02-15"), months past 12 or below 1 carried. */
static void
ymd(char *out, int y, int m, int d)
{
	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/*
 * The reporting month (year *y, month *m) of the local date `date`
 * ("2026-03-14"): the 15th opens the next month's report.
 */
static void
report_month(const char *date, int *y, int *m)
{
	int d;

	if (sscanf(date, "%4d-%2d-%2d", y, m, &d) != 3)
		dx_die(DX_SOFTWARE, "bad date '%s'", date);
	if (d >= 15 && ++*m > 12) {
		*m = 1;
		++*y;
	}
}

/*
 * The dates of period `p` named by `of` (NULL: the one holding `today`),
 * with the reporting cut-off: month M is the 15th of M-1 to the 14th of M;
 * quarter n ends on the 14th of its last month; half, nine months and
 * year end on 14/06, 14/09, 14/12 and start on 15/12 of the year before.
 */
static void
period_dates(enum period p, const char *of, const char *today)
{
	static const int last[] = { 0, 0, 6, 9, 12 };
	int y, m, q;
	char tail;

	report_month(today, &y, &m);
	switch (p) {
	case P_MONTH:
		if (of != NULL && (sscanf(of, "%4d-%2d%c", &y, &m, &tail) != 2 ||
		    strlen(of) != 7 || m < 1 || m > 12))
			cli_usage(&cli, _("--of: '%s' is not a month"
			    " (YYYY-MM)"), of);
		ymd(g.from_s, y, m - 1, 15);
		ymd(g.to_s, y, m, 14);
		return;
	case P_QUARTER:
		q = (m - 1) / 3 + 1;
		if (of != NULL && (sscanf(of, "%4d-Q%1d%c", &y, &q, &tail) !=
		    2 || strlen(of) != 7 || q < 1 || q > 4))
			cli_usage(&cli, _("--of: '%s' is not a quarter"
			    " (YYYY-Qn)"), of);
		ymd(g.from_s, y, 3 * q - 3, 15);
		ymd(g.to_s, y, 3 * q, 14);
		return;
	default:
		if (of != NULL && (sscanf(of, "%4d%c", &y, &tail) != 1 ||
		    strlen(of) != 4))
			cli_usage(&cli, _("--of: '%s' is not a year (YYYY)"),
			    of);
		ymd(g.from_s, y - 1, 12, 15);
		ymd(g.to_s, y, last[p], 14);
		return;
	}
}

/* ---- groups ------------------------------------------------------------ */

static size_t
hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The group of `key`, made with `name` if new. */
static struct grp *
group(const char *key, const char *name)
{
	struct grp *gr, **old;
	size_t i, n;

	if (g.ngroups * 2 >= g.cap) {
		old = g.slot;
		n = g.cap;
		g.cap = n == 0 ? 64 : 2 * n;
		g.slot = xcalloc(g.cap, sizeof(*g.slot));
		for (i = 0; i < n; i++) {
			size_t j;

			if (old[i] == NULL)
				continue;
			for (j = hash(old[i]->key) & (g.cap - 1);
			    g.slot[j] != NULL; j = (j + 1) & (g.cap - 1))
				;
			g.slot[j] = old[i];
		}
		free(old);
	}
	for (i = hash(key) & (g.cap - 1); g.slot[i] != NULL;
	    i = (i + 1) & (g.cap - 1))
		if (strcmp(g.slot[i]->key, key) == 0)
			return g.slot[i];
	gr = xcalloc(1, sizeof(*gr));
	gr->key = xstrdup(key);
	gr->name = name != NULL ? xstrdup(name) : NULL;
	g.slot[i] = gr;
	g.ngroups++;
	return gr;
}

static int
grp_cmp(const void *a, const void *b)
{
	const struct grp *x = *(struct grp *const *)a;
	const struct grp *y = *(struct grp *const *)b;

	return strcmp(x->order != NULL ? x->order : x->key,
	    y->order != NULL ? y->order : y->key);
}

/* The groups, in order, in a new array of g.ngroups. */
static struct grp **
groups_sorted(void)
{
	struct grp **v;
	size_t i, n = 0;

	v = xcalloc(g.ngroups + 1, sizeof(*v));
	for (i = 0; i < g.cap; i++)
		if (g.slot[i] != NULL)
			v[n++] = g.slot[i];
	qsort(v, n, sizeof(*v), grp_cmp);
	return v;
}

static void
groups_free(struct grp **v)
{
	size_t i;

	for (i = 0; i < g.ngroups; i++) {
		free(v[i]->key);
		free(v[i]->name);
		free(v[i]->level);
		free(v[i]->order);
		free(v[i]);
	}
	free(v);
	free(g.slot);
	g.slot = NULL;
	g.ngroups = g.cap = 0;
}

/* ---- classification: every cell's definition, once --------------------- */

static const char *uuid_of(int64_t id);

/*
 * The working days that ended dossier `s` spent paused between the start
 * of counting and its end, each day with its own office hours: the
 * intervals of its pauses as its clock reads them (clock.h), a pause
 * still running at the end up to the end.  paused_total says whether
 * there was a pause, not how long it was in working days: for a limit
 * in calendar days it holds elapsed seconds (flow.h).
 */
static double
paused_days(const struct rstate *s)
{
	struct rec_fields f;
	struct clock c;
	struct dx_err e;
	double days = 0;
	dx_time a, b;
	size_t i;

	if (s->paused_total == 0 && s->paused_at == 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.uuid = s->uuid != NULL ? s->uuid : uuid_of(s->id);
	f.channel = s->channel;
	f.status = s->status;
	f.received_at = s->received_at;
	f.start_at = s->start_at;
	f.due_at = s->due_at;
	f.finished_at = s->finished_at;
	if (clock_read(&c, g.db, &g.clockev, &g.cal, &f, s->paused_at,
	    s->finished_at, &e) == -1)
		dx_die_err(&e);
	for (i = 0; i < c.npauses; i++) {
		a = c.pauses[i].from > s->start_at ? c.pauses[i].from :
		    s->start_at;
		b = c.pauses[i].to != 0 && c.pauses[i].to < s->finished_at ?
		    c.pauses[i].to : s->finished_at;
		days += cal_elapsed_days(&g.cal, a, b);
	}
	clock_free(&c);
	return days;
}

/*
 * Count dossier `s` into `gr` and the total.  A dossier enters when it was
 * received for resolution (status 2 or later, never 1 nor 3) before the end
 * of the period and had not ended before its start.  It ends when
 * finished, rejected or stopped (finished_at); its class is its stored
 * result.  A pending one is overdue when its due day is before the day it
 * is judged at: the as-of day, or the day its pause began.
 */
static void
classify(struct grp *gr, const struct rstate *s)
{
	dx_time judged;
	int k, ended;

	if (s->status < 2 || s->status == 3)
		return;
	if (s->received_at >= g.p1 || s->received_at > g.as_of)
		return;
	ended = s->finished_at != 0 && s->finished_at <= g.as_of;
	if (ended && s->finished_at < g.p0)
		return;
	if (s->received_at < g.p0)
		k = N_CARRIED;
	else
		k = strcmp(s->channel, "online") == 0 ? N_ONLINE : N_DIRECT;
	gr->n[k]++;
	g.total.n[k]++;
	if (ended) {
		if (strcmp(s->result, "early") == 0)
			k = N_EARLY;
		else if (strcmp(s->result, "on_time") == 0)
			k = N_ONTIME;
		else if (strcmp(s->result, "late") == 0)
			k = N_LATE;
		else
			dx_die(DX_DATAERR, _("a dossier ended without a stored"
			    " result ('%s'): the database needs"
			    " `dossier-admin migrate`"), s->result);
		/* Decision 766 indicator 2.2: working days, pauses out */
		if (g.indicators && s->start_at != 0 &&
		    s->finished_at > s->start_at) {
			g.resolved_udays += llround(1e6 *
			    (cal_elapsed_days(&g.cal, s->start_at,
			    s->finished_at) - paused_days(s)));
			g.resolved_timed++;
		}
	} else {
		judged = s->paused_at != 0 ? s->paused_at : g.as_of;
		k = s->due_at != 0 && cal_local_day(&g.cal, s->due_at) <
		    cal_local_day(&g.cal, judged) ? N_PEND_OVER : N_PEND_OK;
	}
	gr->n[k]++;
	g.total.n[k]++;
	if (s->received_at >= g.p0 && s->digitised)
		g.digitised++;
}

/* ---- the state at the as-of instant -------------------------------------- */

/* `src` (NULL: "") into `dst` of `n` bytes, cut to fit: for every row */
static void
str_copy(char *dst, size_t n, const char *src)
{
	size_t len = src != NULL ? strlen(src) : 0;

	if (len >= n)
		len = n - 1;
	memcpy(dst, src != NULL ? src : "", len);
	dst[len] = '\0';
}

static void
col_copy(char *dst, size_t n, sqlite3_value *v)
{
	str_copy(dst, n, (const char *)sqlite3_value_text(v));
}

static void
jstr_copy(char *dst, size_t n, const json_t *v)
{
	str_copy(dst, n, json_is_string(v) ? json_string_value(v) : NULL);
}

static dx_time
jtime(const json_t *v)
{
	return json_is_integer(v) ? (dx_time)json_integer_value(v) : 0;
}

/*
 * Rewind `s`, the row of dossier `uuid`, to the as-of instant: each event
 * after it, newest first, gives back the values its "before" holds.
 * Returns 0 if the dossier did not exist yet, else 1.
 */
static int
rewind_state(const char *uuid, struct rstate *s)
{
	struct dx_err e;
	const json_t *before, *v;
	json_t *p;
	const char *key;
	int rc, exists = 1;

	if (db_bind_text(g.later, 1, uuid) != SQLITE_OK ||
	    sqlite3_bind_int64(g.later, 2, g.as_of) != SQLITE_OK) {
		db_seterr(g.db, SQLITE_ERROR, &e, "events");
		dx_die_err(&e);
	}
	while ((rc = sqlite3_step(g.later)) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(g.later, 0),
		    "receive") == 0) {
			exists = 0;
			continue;
		}
		p = json_loads((const char *)sqlite3_column_text(g.later, 1),
		    0, NULL);
		before = json_object_get(p, "before");
		if (!json_is_object(before))
			dx_die(DX_DATAERR, _("dossier %s: an event without a"
			    " 'before' state"), uuid);
		json_object_foreach((json_t *)before, key, v) {
			if (strcmp(key, "status") == 0)
				s->status = (int)json_integer_value(v);
			else if (strcmp(key, "unit") == 0)
				jstr_copy(s->unit, sizeof(s->unit), v);
			else if (strcmp(key, "handler") == 0)
				jstr_copy(s->handler, sizeof(s->handler), v);
			else if (strcmp(key, "owner") == 0)
				jstr_copy(s->owner, sizeof(s->owner), v);
			else if (strcmp(key, "result") == 0)
				jstr_copy(s->result, sizeof(s->result), v);
			else if (strcmp(key, "due_at") == 0)
				s->due_at = jtime(v);
			else if (strcmp(key, "paused_at") == 0)
				s->paused_at = jtime(v);
			else if (strcmp(key, "finished_at") == 0)
				s->finished_at = jtime(v);
			else if (strcmp(key, "start_at") == 0)
				s->start_at = jtime(v);
			else if (strcmp(key, "paused_total") == 0)
				s->paused_total = json_integer_value(v);
		}
		json_decref(p);
	}
	if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "events");
		dx_die_err(&e);
	}
	sqlite3_reset(g.later);
	if (exists)
		g.rewound++;
	return exists;
}

/* The month of the year charted that holds instant `t`, or -1. */
static int
month_of(dx_time t)
{
	char buf[40];
	int y, m;

	cal_format(&g.cal, t, buf);
	buf[10] = '\0';
	report_month(buf, &y, &m);
	return y == g.y_end && m <= g.nmonths ? m - 1 : -1;
}

/* --format html: count `s` into the months it was received and ended in. */
static void
count_months(const struct rstate *s)
{
	int i;

	if (s->status < 2 || s->status == 3 || s->received_at > g.as_of)
		return;
	if ((i = month_of(s->received_at)) >= 0)
		g.m_recv[i]++;
	if (s->finished_at != 0 && s->finished_at <= g.as_of &&
	    (i = month_of(s->finished_at)) >= 0)
		g.m_res[i]++;
}

/*
 * The procedures, by id, with whether each passes --procedure and
 * --field: the rows carry a procedure's id alone, and no join is made.
 */
static void
procs_load(void)
{
	struct dx_err e;
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	st = db_prepare(g.db, "SELECT id, code, name, field FROM procedures"
	    " ORDER BY id DESC", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct proc *pr;

		id = sqlite3_column_int64(st, 0);
		if (id < 0 || id > 10000000)
			dx_die(DX_DATAERR, _("procedures: id %lld out of"
			    " range"), (long long)id);
		if (g.procs == NULL) {
			g.nprocs = (size_t)id + 1;
			g.procs = xcalloc(g.nprocs, sizeof(*g.procs));
		}
		pr = &g.procs[id];
		pr->code = xstrdup((const char *)sqlite3_column_text(st, 1));
		pr->name = xstrdup((const char *)sqlite3_column_text(st, 2));
		pr->field = xstrdup((const char *)sqlite3_column_text(st, 3));
		pr->pass = (g.sel.procedure == NULL ||
		    strcmp(pr->code, g.sel.procedure) == 0) &&
		    (g.sel.field == NULL || strcmp(pr->field, g.sel.field) == 0);
	}
	if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "procedures");
		dx_die_err(&e);
	}
	sqlite3_finalize(st);
}

static void
procs_free(void)
{
	size_t i;

	for (i = 0; i < g.nprocs; i++) {
		free(g.procs[i].code);
		free(g.procs[i].name);
		free(g.procs[i].field);
	}
	free(g.procs);
}

/* The procedure of id `id` in a row, NULL if it is missing. */
static struct proc *
proc_get(int64_t id)
{
	if (id < 0 || (size_t)id >= g.nprocs || g.procs[id].code == NULL)
		return NULL;
	return &g.procs[id];
}

#define PROC_MISSING N_("dossiers: procedure %lld is missing")

/* The procedure of id `id` in a row; a dangling one is refused. */
static struct proc *
proc_of(int64_t id)
{
	struct proc *pr;

	if ((pr = proc_get(id)) == NULL)
		dx_die(DX_DATAERR, _(PROC_MISSING), (long long)id);
	return pr;
}

/*
 * Take the filters of what events change out of the selection's query:
 * state_match() judges them on the state at the as-of instant.
 */
static void
state_filters(void)
{
	g.sf.unit = g.sel.unit;
	g.sf.handler = g.sel.handler;
	g.sf.statuses = g.sel.statuses;
	g.sf.paused = g.sel.paused;
	g.sf.supplement = g.sel.supplement;
	g.sf.elsewhere = g.sel.elsewhere;
	g.sf.any = g.sf.unit != NULL || g.sf.handler != NULL ||
	    g.sf.statuses != 0 || g.sf.paused || g.sf.supplement ||
	    g.sf.elsewhere;
	g.sel.unit = g.sel.handler = NULL;
	g.sel.statuses = 0;
	g.sel.paused = g.sel.supplement = g.sel.elsewhere = 0;
}

/* Whether state `s` passes the filters state_filters() took out. */
static int
state_match(const struct rstate *s)
{
	if (g.sf.unit != NULL && strcmp(s->unit, g.sf.unit) != 0)
		return 0;
	if (g.sf.handler != NULL && strcmp(s->handler, g.sf.handler) != 0)
		return 0;
	if (g.sf.statuses != 0 && (s->status < 1 || s->status > 10 ||
	    !(g.sf.statuses & (1u << s->status))))
		return 0;
	if (g.sf.paused && s->paused_at == 0)
		return 0;
	if (g.sf.supplement && s->status != 5)
		return 0;
	if (g.sf.elsewhere && strcmp(s->owner, g.office.agency) == 0)
		return 0;
	return 1;
}

/* The UUID of dossier `id`, for its events; borrowed until the next. */
static const char *
uuid_of(int64_t id)
{
	struct dx_err e;
	int rc;

	sqlite3_reset(g.uuid_of);
	if (sqlite3_bind_int64(g.uuid_of, 1, id) != SQLITE_OK) {
		db_seterr(g.db, SQLITE_ERROR, &e, "dossiers");
		dx_die_err(&e);
	}
	if ((rc = sqlite3_step(g.uuid_of)) != SQLITE_ROW) {
		db_seterr(g.db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, &e,
		    "dossiers");
		dx_die_err(&e);
	}
	return (const char *)sqlite3_column_text(g.uuid_of, 0);
}

/*
 * Read one row of the query, the values `v` of report_columns(), into
 * `r`: 1, 0 if the procedure or channel filters refuse it, -1 if its
 * procedure is missing.  On either thread: it reads what the run set up
 * and changes nothing else.
 */
static int
row_read(sqlite3_value **v, struct row *r)
{
	struct rstate *s = &r->s;
	struct proc *pr;

	r->proc_id = sqlite3_value_int64(v[C_PROC_ID]);
	if ((pr = proc_get(r->proc_id)) == NULL)
		return -1;
	if (!pr->pass)
		return 0;
	memset(s, 0, sizeof(*s));
	col_copy(s->channel, sizeof(s->channel), v[C_CHANNEL]);
	if (g.sel.channel != NULL && strcmp(s->channel, g.sel.channel) != 0)
		return 0;
	s->status = sqlite3_value_int(v[C_STATUS]);
	col_copy(s->unit, sizeof(s->unit), v[C_UNIT]);
	col_copy(s->result, sizeof(s->result), v[C_RESULT]);
	s->received_at = sqlite3_value_int64(v[C_RECEIVED]);
	s->due_at = sqlite3_value_int64(v[C_DUE]);
	s->paused_at = sqlite3_value_int64(v[C_PAUSED]);
	s->finished_at = sqlite3_value_int64(v[C_FINISHED]);
	s->id = sqlite3_value_int64(v[C_ID]);
	r->changed_at = sqlite3_value_int64(v[C_CHANGED]);
	/* the columns a run without them selects as NULL are not read */
	if (g.indicators) {
		s->start_at = sqlite3_value_int64(v[C_START]);
		s->paused_total = sqlite3_value_int64(v[C_PAUSED_TOTAL]);
		s->digitised = sqlite3_value_int(v[C_DIGITISED]);
	}
	if (g.sf.any) {
		col_copy(s->handler, sizeof(s->handler), v[C_HANDLER]);
		col_copy(s->owner, sizeof(s->owner), v[C_OWNER]);
	}
	return 1;
}

/*
 * Take row `r`: rewound when it changed after the as-of instant, judged
 * by the state filters, classified.
 */
static void
take_row(struct row *r)
{
	struct rstate *s = &r->s;
	struct proc *pr = proc_of(r->proc_id);
	struct grp *gr;
	const char *uuid = NULL;

	/*
	 * Only a dossier with events after the as-of instant is rewound:
	 * one received after it does not count (classify()), and the row
	 * says when any other event last changed it (changed_at).
	 */
	if (r->changed_at > g.as_of && s->received_at <= g.as_of) {
		uuid = uuid_of(s->id);
		if (!rewind_state(uuid, s))
			return;
		s->uuid = uuid;
	}
	if (g.sf.any && !state_match(s))
		return;
	if (g.format == FMT_HTML)
		count_months(s);
	switch (g.by) {
	case BY_STEP:
		if (s->status >= 2 && s->status != 3)
			take_steps(uuid != NULL ? uuid : uuid_of(s->id),
			    r->proc_id, pr->code);
		return;
	case BY_FIELD:
		if ((gr = pr->gr) == NULL)
			gr = pr->gr = group(pr->field, pr->field);
		break;
	case BY_PROCEDURE:
		if ((gr = pr->gr) == NULL)
			gr = pr->gr = group(pr->code, pr->name);
		break;
	default:
		/* the name is looked up by roll_up() */
		gr = group(s->unit, NULL);
		break;
	}
	classify(gr, s);
}

/*
 * The query's rows reach row_read() as the arguments of this aggregate,
 * report_take(the columns of report_columns()), inside the scan: SQLite
 * hands over the values it has read without a result row and a call per
 * column for each dossier.  The rows a --name search refuses are dropped
 * here.  With a second scanner (split_start()), its rows are taken in
 * between.
 */
static void
take_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	struct row r;
	int k;

	progress_set(&g.prog, ++g.walked, -1);
	if (g.sel.qname == NULL || sel_match(&g.sel,
	    (const char *)sqlite3_value_text(v[C_NAME]), &g.folded)) {
		if ((k = row_read(v, &r)) == -1)
			proc_of(r.proc_id);
		if (k == 1)
			take_row(&r);
	}
	if (sp.on && (g.walked & 63) == 0)
		split_drain(0);
}

static void
take_final(sqlite3_context *ctx)
{
	sqlite3_result_null(ctx);
}

/* ---- the second scanner ----------------------------------------------- */

/* Hand the batch being filled to the main thread; wait for a free one. */
static void
split_publish(void)
{
	pthread_mutex_lock(&sp.mu);
	sp.fill[sp.wr] = sp.n;
	pthread_cond_broadcast(&sp.cv);
	sp.wr = (sp.wr + 1) % SPLIT_NBATCH;
	while (sp.fill[sp.wr] != 0)
		pthread_cond_wait(&sp.cv, &sp.mu);
	pthread_mutex_unlock(&sp.mu);
	sp.n = 0;
}

/*
 * report_take() on the second connection: the row into the batch.  A
 * row without its procedure stops the scan, for the main thread to say.
 */
static void
split_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	struct row *r = &sp.rows[sp.wr * SPLIT_BATCH + sp.n];
	int k;

	if ((k = row_read(v, r)) == -1) {
		pthread_mutex_lock(&sp.mu);
		dx_seterr(&sp.e, DX_DATAERR, _(PROC_MISSING),
		    (long long)r->proc_id);
		sp.failed = 1;
		pthread_mutex_unlock(&sp.mu);
		/* ends the scan; the message said is sp.e */
		sqlite3_result_error(ctx, "procedure missing", -1);
	} else if (k == 1 && ++sp.n == SPLIT_BATCH)
		split_publish();
}

static void *
split_thread(void *arg)
{
	int rc;

	while ((rc = sqlite3_step(sp.st)) == SQLITE_ROW)
		;
	if (sp.n > 0)
		split_publish();
	pthread_mutex_lock(&sp.mu);
	if (rc != SQLITE_DONE && !sp.failed) {
		db_seterr(sp.db, rc, &sp.e, "dossiers");
		sp.failed = 1;
	}
	sp.done = 1;
	pthread_cond_broadcast(&sp.cv);
	pthread_mutex_unlock(&sp.mu);
	return NULL;
}

/*
 * Take the batches the second scanner has filled; with `wait`, every one
 * until it ends.
 */
static void
split_drain(int wait)
{
	size_t i, n;
	int failed;

	for (;;) {
		pthread_mutex_lock(&sp.mu);
		while (wait && sp.fill[sp.rd] == 0 && !sp.done)
			pthread_cond_wait(&sp.cv, &sp.mu);
		n = sp.fill[sp.rd];
		failed = sp.failed;
		pthread_mutex_unlock(&sp.mu);
		/* what the second thread met, said at once */
		if (failed)
			dx_die_err(&sp.e);
		if (n == 0)
			return;
		for (i = 0; i < n; i++) {
			progress_set(&g.prog, ++g.walked, -1);
			take_row(&sp.rows[sp.rd * SPLIT_BATCH + i]);
		}
		pthread_mutex_lock(&sp.mu);
		sp.fill[sp.rd] = 0;
		pthread_cond_broadcast(&sp.cv);
		pthread_mutex_unlock(&sp.mu);
		sp.rd = (sp.rd + 1) % SPLIT_NBATCH;
	}
}

/* ---- guidance at the counter ------------------------------------------ */

/*
 * Count the guidance given within the period, up to the as-of instant:
 * the guide events of dossier-new --guide (Decree 61/2018 Arts. 15 and
 * 18), with no dossier row, found by their time in their own partial
 * index, events_guide: the events index by time (events_at) would read
 * every event of the period to find the few guide ones.  An
 * application guided was not received, so it is outside intake.  Its
 * group is its procedure's (field, code) or the unit it was brought to;
 * --procedure, --field, --unit and --channel judge the application as
 * checked, and a filter of what only a dossier has (status, handler,
 * pause, owner, applicant search) leaves no guidance.
 */
static void
take_guidance(void)
{
	struct dx_err e;
	sqlite3_stmt *st;
	struct proc *pr;
	struct grp *gr;
	const char *unit, *channel;
	int rc;

	if (g.sf.handler != NULL || g.sf.statuses != 0 || g.sf.paused ||
	    g.sf.supplement || g.sf.elsewhere || g.sel.match.len != 0 ||
	    g.sel.qname != NULL || g.sel.id_number != NULL ||
	    g.sel.phone != NULL)
		return;
	st = prepare("SELECT p.id, json_extract(e.payload, '$.unit'),"
	    " json_extract(e.payload, '$.channel')"
	    " FROM events e INDEXED BY events_guide"
	    " LEFT JOIN procedures p"
	    " ON p.code = json_extract(e.payload, '$.procedure')"
	    " AND p.version = json_extract(e.payload, '$.procedure_version')"
	    " WHERE e.at >= ?1 AND e.at < ?2 AND e.at <= ?3"
	    " AND e.action = 'guide'");
	if (sqlite3_bind_int64(st, 1, g.p0) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, g.p1) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, g.as_of) != SQLITE_OK) {
		db_seterr(g.db, SQLITE_ERROR, &e, "events");
		dx_die_err(&e);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		unit = (const char *)sqlite3_column_text(st, 1);
		channel = (const char *)sqlite3_column_text(st, 2);
		if (sqlite3_column_type(st, 0) == SQLITE_NULL || unit == NULL)
			dx_die(DX_DATAERR, _("events: a guide event without its"
			    " procedure or unit"));
		pr = proc_of(sqlite3_column_int64(st, 0));
		if (!pr->pass || (g.sel.channel != NULL && (channel == NULL ||
		    strcmp(channel, g.sel.channel) != 0)) ||
		    (g.sf.unit != NULL && strcmp(unit, g.sf.unit) != 0))
			continue;
		switch (g.by) {
		case BY_FIELD:
			if ((gr = pr->gr) == NULL)
				gr = pr->gr = group(pr->field, pr->field);
			break;
		case BY_PROCEDURE:
			if ((gr = pr->gr) == NULL)
				gr = pr->gr = group(pr->code, pr->name);
			break;
		default:
			gr = group(unit, NULL);
			break;
		}
		gr->n[N_GUIDED]++;
		g.total.n[N_GUIDED]++;
	}
	if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "events");
		dx_die_err(&e);
	}
	sqlite3_finalize(st);
}

/* ---- output ------------------------------------------------------------ */

static const struct grp *R(const void *r) { return r; }
static long long
sum(const struct grp *r, int a, int b, int c)
{
	return r->n[a] + r->n[b] + (c >= 0 ? r->n[c] : 0);
}
static void c_v(const void *r, struct cell *v) { v->i = 1; }
static void c_from(const void *r, struct cell *v) { v->s = g.from_s; }
static void c_to(const void *r, struct cell *v) { v->s = g.to_s; }
static void c_asof(const void *r, struct cell *v) { v->s = g.as_of_s; }
static void c_by(const void *r, struct cell *v) { v->s = g.by_s; }
static void c_key(const void *r, struct cell *v) { v->s = R(r)->key; }
static void c_name(const void *r, struct cell *v) { v->s = R(r)->name; }
static void c_level(const void *r, struct cell *v) { v->s = R(r)->level; }
#define COUNT(f, k) static void f(const void *r, struct cell *v) \
	{ v->i = R(r)->n[k]; }
COUNT(c_online, N_ONLINE)
COUNT(c_direct, N_DIRECT)
COUNT(c_carried, N_CARRIED)
COUNT(c_early, N_EARLY)
COUNT(c_ontime, N_ONTIME)
COUNT(c_late, N_LATE)
COUNT(c_pend_ok, N_PEND_OK)
COUNT(c_pend_over, N_PEND_OVER)
COUNT(c_guided, N_GUIDED)
static void
c_intake(const void *r, struct cell *v)
{
	v->i = sum(R(r), N_ONLINE, N_DIRECT, N_CARRIED);
}
static void
c_resolved(const void *r, struct cell *v)
{
	v->i = sum(R(r), N_EARLY, N_ONTIME, N_LATE);
}
static void
c_pending(const void *r, struct cell *v)
{
	v->i = sum(R(r), N_PEND_OK, N_PEND_OVER, -1);
}
/*
 * (early + on time) / (early + on time + late) of `r`, the counts at
 * those indexes, to 4 places; null when all three are 0.
 */
static void
rate(const struct grp *r, int early, int on_time, int late, struct cell *v)
{
	long long all = sum(r, early, on_time, late);

	v->null = all == 0;
	if (all != 0)
		v->d = round(10000.0 * (double)sum(r, early, on_time, -1) /
		    (double)all) / 10000.0;
}
/* (early + on time) / resolved; null when none resolved */
static void
c_rate(const void *r, struct cell *v)
{
	rate(R(r), N_EARLY, N_ONTIME, N_LATE, v);
}

static const struct col cols[] = {
	{ "v", COL_INT, c_v, NULL, 0 },
	{ "from", COL_TEXT, c_from, NULL, 0 },
	{ "to", COL_TEXT, c_to, NULL, 0 },
	{ "as_of", COL_TEXT, c_asof, NULL, 0 },
	{ "by", COL_TEXT, c_by, NULL, 0 },
	{ "key", COL_TEXT, c_key, "KEY", 1 },
	{ "name", COL_TEXT, c_name, "NAME", 2 },
	{ "level", COL_TEXT, c_level, NULL, 0 },
	{ "received_online", COL_INT, c_online, "ONLINE", 3 },
	{ "received_direct", COL_INT, c_direct, "DIRECT", 4 },
	{ "carried_over", COL_INT, c_carried, "CARRIED", 5 },
	{ "intake", COL_INT, c_intake, "INTAKE", 6 },
	{ "resolved_early", COL_INT, c_early, "EARLY", 7 },
	{ "resolved_on_time", COL_INT, c_ontime, "ON_TIME", 8 },
	{ "resolved_late", COL_INT, c_late, "LATE", 9 },
	{ "resolved", COL_INT, c_resolved, "RESOLVED", 10 },
	{ "pending_on_time", COL_INT, c_pend_ok, "PEND_OK", 11 },
	{ "pending_overdue", COL_INT, c_pend_over, "OVERDUE", 12 },
	{ "pending", COL_INT, c_pending, "PENDING", 13 },
	{ "on_time_rate", COL_NUM, c_rate, "RATE", 14 },
	{ "guided", COL_INT, c_guided, "GUIDED", 15 },
};

/*
 * Look unit `code` up in the catalog: its name and level (new strings,
 * NULL if it is not there) and its parent (into `parent`, "" for none).
 */
static void
unit_info(const char *code, char **name, char **level, char *parent,
    size_t n)
{
	struct catalog_entry c;
	struct dx_err e;

	if (catalog_lookup(g.db, CATALOG_UNIT, code, &c, &e) == -1)
		dx_die_err(&e);
	snprintf(parent, n, "%s", c.parent != NULL ? c.parent : "");
	*name = c.name;
	*level = c.level;
	c.name = c.level = NULL;
	catalog_entry_free(&c);
}

/* Deeper than this, the unit tree has a cycle. */
#define UNIT_DEPTH 16

/*
 * --by unit: roll each unit's counts up into its parents along the unit
 * tree, so that a row counts its subtree; give each row its name, level
 * and place in the tree (parents before their children).  The total
 * stays the sum of the dossiers, counted once.
 */
static void
roll_up(void)
{
	struct grp **own, *gr, *up;
	struct dx_buf path;
	char code[32], parent[32];
	char *chain[UNIT_DEPTH];
	long long (*add)[N_COUNTS];
	size_t i, n, k;
	int j, depth;

	own = groups_sorted();
	n = g.ngroups;
	/*
	 * Each unit's own counts, copied before any is rolled up: a unit
	 * with dossiers of its own above one with dossiers (a district
	 * above a commune) passes up its own, not the commune's again.
	 */
	add = xreallocarray(NULL, n ? n : 1, sizeof(*add));
	for (i = 0; i < n; i++)
		memcpy(add[i], own[i]->n, sizeof(add[i]));
	buf_init(&path);
	for (i = 0; i < n; i++) {
		snprintf(code, sizeof(code), "%s", own[i]->key);
		for (depth = 0; depth < UNIT_DEPTH; depth++) {
			char *name, *level;

			unit_info(code, &name, &level, parent, sizeof(parent));
			free(name);
			free(level);
			if (parent[0] == '\0')
				break;
			up = group(parent, NULL);
			for (k = 0; k < N_COUNTS; k++)
				up->n[k] += add[i][k];
			snprintf(code, sizeof(code), "%s", parent);
		}
		if (depth == UNIT_DEPTH)
			dx_die(DX_DATAERR, _("units: the parents of '%s' make a"
			    " cycle"), own[i]->key);
	}
	free(add);
	free(own);
	for (i = 0; i < g.cap; i++) {
		if ((gr = g.slot[i]) == NULL)
			continue;
		unit_info(gr->key, &gr->name, &gr->level, parent,
		    sizeof(parent));
		/* the order: the codes from the root down, '/' between */
		chain[0] = gr->key;
		for (depth = 1; parent[0] != '\0' && depth < UNIT_DEPTH;
		    depth++) {
			char *name, *level;

			chain[depth] = xstrdup(parent);
			unit_info(parent, &name, &level, parent,
			    sizeof(parent));
			free(name);
			free(level);
		}
		buf_reset(&path);
		for (j = depth - 1; j >= 0; j--) {
			buf_adds(&path, chain[j]);
			buf_adds(&path, j > 0 ? "/" : "");
			if (j > 0)
				free(chain[j]);
		}
		gr->order = xstrdup(path.buf);
	}
	buf_free(&path);
}


/*
 * Rows `v[0..n-1]` of the `ncols` columns `cols` on stdout in g.format,
 * after a byte-order mark with --bom; a failed write exits.
 */
static void
put_rows(const struct col *c, size_t ncols, const void *const *v, size_t n)
{
	struct rows *w;
	struct dx_err e;
	size_t i;

	if (g.bom && fputs("\xef\xbb\xbf", stdout) == EOF)
		dx_die(DX_IOERR, _("stdout: write error"));
	w = rows_open(stdout, (enum rows_format)g.format, c, ncols, &g.cal);
	for (i = 0; i < n; i++)
		if (rows_put(w, v[i], &e) == -1) {
			rows_close(w, NULL);
			goto fail;
		}
	if (rows_close(w, &e) == 0)
		return;
fail:
	dx_prefix(&e, "stdout");
	dx_die_err(&e);
}

static void
output(void)
{
	struct grp **v;
	const void **rows;
	size_t i, n = g.ngroups;

	v = groups_sorted();
	if (g.format == FMT_HTML) {
		html_page(v, n);
		groups_free(v);
		return;
	}
	/* the groups, then the total */
	rows = xcalloc(n + 1, sizeof(*rows));
	for (i = 0; i < n; i++)
		rows[i] = v[i];
	rows[n] = &g.total;
	if (g.by == BY_STEP)
		put_rows(step_cols, sizeof(step_cols) / sizeof(step_cols[0]),
		    rows, n + 1);
	else
		put_rows(cols, sizeof(cols) / sizeof(cols[0]), rows, n + 1);
	free(rows);
	groups_free(v);
}

/* ---- --by step ----------------------------------------------------------- */

/*
 * The counts of a step's row share the group's array: entered, then left
 * early, on time and late, by the step results the events recorded
 * (dossier-route(1): a step is judged by its due day when it is left).
 */
enum { S_ENTERED, S_EARLY, S_ONTIME, S_LATE };

/* The group of step `seq` of procedure `pid` (code `code`). */
static struct grp *
step_group(int64_t pid, const char *code, long long seq)
{
	struct dx_err e;
	struct grp *gr;
	char key[96];
	int rc;

	snprintf(key, sizeof(key), "%s/%lld", code, seq);
	gr = group(key, NULL);
	if (gr->name != NULL)
		return gr;
	if (sqlite3_bind_int64(g.stepname, 1, pid) != SQLITE_OK ||
	    sqlite3_bind_int64(g.stepname, 2, seq) != SQLITE_OK) {
		db_seterr(g.db, SQLITE_ERROR, &e, "procedure_steps");
		dx_die_err(&e);
	}
	rc = sqlite3_step(g.stepname);
	if (rc == SQLITE_ROW)
		gr->name = xstrdup((const char *)sqlite3_column_text(
		    g.stepname, 0));
	else if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "procedure_steps");
		dx_die_err(&e);
	} else
		gr->name = xstrdup("");
	sqlite3_reset(g.stepname);
	/* rows in the order of the procedure, then of its steps */
	free(gr->order);
	gr->order = xstrfmt("%s/%06lld", code, seq);
	return gr;
}

/*
 * The steps dossier `uuid` (procedure pid, code) entered and left within
 * the period, by the events up to the as-of instant.  A step is entered
 * by an event that sets it, and left by an event that records a step
 * result (the step it moves from, or the one the dossier is at when it
 * does not move, as a finish).
 */
static void
take_steps(const char *uuid, int64_t pid, const char *code)
{
	struct dx_err e;
	const json_t *b, *a, *r;
	long long step = 0;
	json_t *p;
	int rc, k, in;

	if (db_bind_text(g.stepev, 1, uuid) != SQLITE_OK ||
	    sqlite3_bind_int64(g.stepev, 2, g.as_of) != SQLITE_OK) {
		db_seterr(g.db, SQLITE_ERROR, &e, "events");
		dx_die_err(&e);
	}
	while ((rc = sqlite3_step(g.stepev)) == SQLITE_ROW) {
		in = sqlite3_column_int64(g.stepev, 0) >= g.p0;
		p = json_loads((const char *)sqlite3_column_text(g.stepev, 1),
		    0, NULL);
		b = json_object_get(json_object_get(p, "before"), "step");
		a = json_object_get(json_object_get(p, "after"), "step");
		r = json_object_get(p, "step_result");
		if (json_is_integer(b))
			step = json_integer_value(b);
		if (in && step > 0 && json_is_string(r)) {
			k = strcmp(json_string_value(r), "early") == 0 ?
			    S_EARLY : strcmp(json_string_value(r), "late") == 0 ?
			    S_LATE : S_ONTIME;
			step_group(pid, code, step)->n[k]++;
			g.total.n[k]++;
		}
		if (json_is_integer(a)) {
			step = json_integer_value(a);
			if (in) {
				step_group(pid, code, step)->n[S_ENTERED]++;
				g.total.n[S_ENTERED]++;
			}
		} else if (json_is_null(a))
			step = 0;
		json_decref(p);
	}
	if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "events");
		dx_die_err(&e);
	}
	sqlite3_reset(g.stepev);
}

/* guidance is given on applications, not on the steps of dossiers */
static void c_null(const void *r, struct cell *v) { v->null = 1; }
COUNT(c_s_entered, S_ENTERED)
COUNT(c_s_early, S_EARLY)
COUNT(c_s_ontime, S_ONTIME)
COUNT(c_s_late, S_LATE)
static void
c_s_left(const void *r, struct cell *v)
{
	v->i = sum(R(r), S_EARLY, S_ONTIME, S_LATE);
}
static void
c_s_rate(const void *r, struct cell *v)
{
	rate(R(r), S_EARLY, S_ONTIME, S_LATE, v);
}

static const struct col step_cols[] = {
	{ "v", COL_INT, c_v, NULL, 0 },
	{ "from", COL_TEXT, c_from, NULL, 0 },
	{ "to", COL_TEXT, c_to, NULL, 0 },
	{ "as_of", COL_TEXT, c_asof, NULL, 0 },
	{ "by", COL_TEXT, c_by, NULL, 0 },
	{ "key", COL_TEXT, c_key, "KEY", 1 },
	{ "name", COL_TEXT, c_name, "NAME", 2 },
	{ "entered", COL_INT, c_s_entered, "ENTERED", 3 },
	{ "left_early", COL_INT, c_s_early, "EARLY", 4 },
	{ "left_on_time", COL_INT, c_s_ontime, "ON_TIME", 5 },
	{ "left_late", COL_INT, c_s_late, "LATE", 6 },
	{ "left", COL_INT, c_s_left, "LEFT", 7 },
	{ "on_time_rate", COL_NUM, c_s_rate, "RATE", 8 },
	{ "guided", COL_INT, c_null, "GUIDED", 9 },
};

/* ---- the page of form II.06a ------------------------------------------- */

static void
esc(struct dx_buf *o, const char *s)
{
	doc_html_esc(o, s);
}

/* "2026-03-14" as "14/03/2026". */
static void
dmy(struct dx_buf *o, const char *date)
{
	buf_printf(o, "%.2s/%.2s/%.4s", date + 8, date + 5, date);
}

static const char page_css[] =
    "@page { size: A4 landscape; margin: 10mm }\n"
    "body { font-family: 'Times New Roman', serif; font-size: 11pt;"
    " margin: 0 auto; max-width: 277mm; color: #000 }\n"
    ".head { display: flex; justify-content: space-between }\n"
    ".head div { text-align: center }\n"
    "h1 { font-size: 13pt; text-align: center; margin: 8pt 0 2pt }\n"
    "p.c { text-align: center; margin: 2pt 0 }\n"
    "table.f { border-collapse: collapse; width: 100%; margin-top: 6pt }\n"
    "table.f th, table.f td { border: 1px solid #000; padding: 2pt 3pt;"
    " font-size: 10pt }\n"
    "table.f th { font-weight: bold; text-align: center }\n"
    "table.f td.n { text-align: right }\n"
    "table.f tr.t td { font-weight: bold }\n"
    ".sign { display: flex; justify-content: space-between;"
    " margin-top: 12pt; page-break-inside: avoid }\n"
    ".sign div { text-align: center; width: 40% }\n"
    ".charts { page-break-before: always }\n"
    ".charts svg { display: block; margin: 8pt 0 }\n"
    "@media print { .charts { page-break-before: always } }\n";

/* The heads of form II.06a, its three header rows. */
static void
form_heads(struct dx_buf *o)
{
	static const char *const by_head[] = {
		"Lĩnh vực", "Đơn vị", "Thủ tục hành chính"
	};
	int i;

	buf_adds(o, "<thead>\n<tr><th rowspan=\"3\">STT</th>"
	    "<th rowspan=\"3\">");
	buf_adds(o, by_head[g.by]);
	buf_adds(o, "</th><th colspan=\"4\">Số hồ sơ nhận giải quyết</th>"
	    "<th colspan=\"4\">Số hồ sơ đã giải quyết</th>"
	    "<th colspan=\"3\">Số hồ sơ đang giải quyết</th>"
	    "<th rowspan=\"3\">Tỷ lệ đúng hạn (%)</th></tr>\n"
	    "<tr><th rowspan=\"2\">Tổng số</th><th colspan=\"3\">Trong đó</th>"
	    "<th rowspan=\"2\">Tổng số</th><th rowspan=\"2\">Trước hạn</th>"
	    "<th rowspan=\"2\">Đúng hạn</th><th rowspan=\"2\">Quá hạn</th>"
	    "<th rowspan=\"2\">Tổng số</th><th rowspan=\"2\">Trong hạn</th>"
	    "<th rowspan=\"2\">Quá hạn</th></tr>\n"
	    "<tr><th>Trực tuyến</th><th>Trực tiếp, dịch vụ bưu chính</th>"
	    "<th>Từ kỳ trước</th></tr>\n<tr>");
	for (i = 1; i <= 14; i++)
		buf_printf(o, "<th>(%d)</th>", i);
	buf_adds(o, "</tr>\n</thead>\n");
}

/* One row of the form: STT (0: the total row), the name, the cells. */
static void
form_row(struct dx_buf *o, size_t stt, const struct grp *r)
{
	const int order[] = { -1, N_ONLINE, N_DIRECT, N_CARRIED, -2, N_EARLY,
		N_ONTIME, N_LATE, -3, N_PEND_OK, N_PEND_OVER };
	struct cell v;
	size_t i;

	if (stt == 0)
		buf_adds(o, "<tr class=\"t\"><td></td><td>Tổng số</td>");
	else {
		buf_printf(o, "<tr><td class=\"n\">%zu</td><td>", stt);
		esc(o, r->name != NULL ? r->name : r->key);
		buf_adds(o, "</td>");
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		long long n;

		if (order[i] == -1)
			n = sum(r, N_ONLINE, N_DIRECT, N_CARRIED);
		else if (order[i] == -2)
			n = sum(r, N_EARLY, N_ONTIME, N_LATE);
		else if (order[i] == -3)
			n = sum(r, N_PEND_OK, N_PEND_OVER, -1);
		else
			n = r->n[order[i]];
		buf_printf(o, "<td class=\"n\">%lld</td>", n);
	}
	memset(&v, 0, sizeof(v));
	c_rate(r, &v);
	if (v.null)
		buf_adds(o, "<td class=\"n\">-</td></tr>\n");
	else
		buf_printf(o, "<td class=\"n\">%.2f</td></tr>\n", 100.0 * v.d);
}

/* The on-time share of each group as horizontal bars. */
static void
chart_rates(struct dx_buf *o, struct grp **v, size_t n)
{
	struct cell c;
	size_t i;
	int h = 24 * (int)n + 30;

	buf_printf(o, "<svg width=\"900\""
	    " height=\"%d\" viewBox=\"0 0 900 %d\" role=\"img\">\n"
	    "<title>Tỷ lệ giải quyết đúng hạn</title>\n", h, h);
	for (i = 0; i < n; i++) {
		int y = 24 * (int)i + 4;

		memset(&c, 0, sizeof(c));
		c_rate(v[i], &c);
		buf_printf(o, "<text x=\"0\" y=\"%d\" font-size=\"11\">", y + 14);
		esc(o, v[i]->name != NULL ? v[i]->name : v[i]->key);
		buf_adds(o, "</text>");
		buf_printf(o, "<rect x=\"300\" y=\"%d\" width=\"500\""
		    " height=\"18\" fill=\"#eee\"/>", y);
		if (!c.null)
			buf_printf(o, "<rect x=\"300\" y=\"%d\" width=\"%.1f\""
			    " height=\"18\" fill=\"#2a6\"/><text x=\"810\""
			    " y=\"%d\" font-size=\"11\">%.2f%%</text>", y,
			    500.0 * c.d, y + 14, 100.0 * c.d);
		else
			buf_printf(o, "<text x=\"810\" y=\"%d\""
			    " font-size=\"11\">-</text>", y + 14);
		buf_adds(o, "\n");
	}
	buf_adds(o, "</svg>\n");
}

/* Received and resolved per month of the year so far, as column pairs. */
static void
chart_months(struct dx_buf *o)
{
	long long top = 1;
	int i, x, hr, hs;

	for (i = 0; i < g.nmonths; i++) {
		if (g.m_recv[i] > top)
			top = g.m_recv[i];
		if (g.m_res[i] > top)
			top = g.m_res[i];
	}
	buf_adds(o, "<svg width=\"900\""
	    " height=\"260\" viewBox=\"0 0 900 260\" role=\"img\">\n"
	    "<title>Hồ sơ tiếp nhận và đã giải quyết theo tháng</title>\n"
	    "<rect x=\"600\" y=\"4\" width=\"12\" height=\"12\""
	    " fill=\"#36c\"/><text x=\"616\" y=\"15\" font-size=\"11\">"
	    "Tiếp nhận</text><rect x=\"700\" y=\"4\" width=\"12\""
	    " height=\"12\" fill=\"#2a6\"/><text x=\"716\" y=\"15\""
	    " font-size=\"11\">Đã giải quyết</text>\n"
	    "<line x1=\"40\" y1=\"230\" x2=\"880\" y2=\"230\""
	    " stroke=\"#000\"/>\n");
	for (i = 0; i < g.nmonths; i++) {
		x = 50 + 70 * i;
		hr = (int)(200 * g.m_recv[i] / top);
		hs = (int)(200 * g.m_res[i] / top);
		buf_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"24\""
		    " height=\"%d\" fill=\"#36c\"/><rect x=\"%d\" y=\"%d\""
		    " width=\"24\" height=\"%d\" fill=\"#2a6\"/>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"10\">%lld</text>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"10\">%lld</text>"
		    "<text x=\"%d\" y=\"246\" font-size=\"11\">T%d</text>\n",
		    x, 230 - hr, hr, x + 26, 230 - hs, hs, x, 226 - hr,
		    g.m_recv[i], x + 26, 226 - hs, g.m_res[i], x + 14, i + 1);
	}
	buf_adds(o, "</svg>\n");
}

/* The whole page: form II.06a, the signatures, the charts. */
static void
html_page(struct grp **v, size_t n)
{
	struct dx_buf o;
	char when[40];
	size_t i;

	buf_init(&o);
	buf_adds(&o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<title>Biểu số II.06a – ");
	esc(&o, g.office.name);
	buf_adds(&o, "</title>\n<style>\n");
	buf_adds(&o, page_css);
	buf_adds(&o, "</style>\n</head>\n<body>\n<div class=\"head\"><div>"
	    "<b>");
	esc(&o, g.office.name);
	buf_adds(&o, "</b></div><div><b>Biểu số II.06a/VPCP/KSTT</b></div>"
	    "</div>\n<h1>TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</h1>\n"
	    "<p class=\"c\">Kỳ báo cáo: từ ngày ");
	dmy(&o, g.from_s);
	buf_adds(&o, " đến ngày ");
	dmy(&o, g.to_s);
	buf_printf(&o, "</p>\n<p class=\"c\">Số liệu tính đến %.5s ngày ",
	    g.as_of_s + 11);
	dmy(&o, g.as_of_s);
	buf_adds(&o, "</p>\n<p class=\"c\">Đơn vị tính: hồ sơ</p>\n"
	    "<table class=\"f\">\n");
	form_heads(&o);
	buf_adds(&o, "<tbody>\n");
	for (i = 0; i < n; i++)
		form_row(&o, i + 1, v[i]);
	form_row(&o, 0, &g.total);
	cal_format(&g.cal, g.now, when);
	buf_adds(&o, "</tbody>\n</table>\n<div class=\"sign\"><div><b>NGƯỜI"
	    " LẬP BIỂU</b><br/><i>(Ký, ghi rõ họ tên)</i></div><div>"
	    "<i>Ngày ");
	buf_printf(&o, "%.2s tháng %.2s năm %.4s", when + 8, when + 5, when);
	buf_adds(&o, "</i><br/><b>THỦ TRƯỞNG ĐƠN VỊ</b><br/><i>(Ký, ghi rõ"
	    " họ tên và đóng dấu)</i></div></div>\n<div class=\"charts\">\n"
	    "<h1>Tỷ lệ giải quyết đúng hạn</h1>\n");
	chart_rates(&o, v, n);
	buf_adds(&o, "<h1>Hồ sơ tiếp nhận và đã giải quyết từ đầu năm</h1>\n");
	chart_months(&o);
	buf_adds(&o, "</div>\n");
	buf_adds(&o, DOC_HTML_END);
	if (fwrite(o.buf, 1, o.len, stdout) != o.len || fflush(stdout) == EOF)
		dx_die(DX_IOERR, _("stdout: write error"));
	buf_free(&o);
}

/* ---- indicators ---------------------------------------------------------- */

/* One indicator of Decision 766/QĐ-TTg. */
struct ind {
	const char *id, *name;
	double num, den;
	double full;		/* < 0: no full-score threshold known */
	int unknown;		/* the database records nothing to count */
};

static const struct ind *I(const void *r) { return r; }
static void c_ind(const void *r, struct cell *v) { v->s = I(r)->id; }
static void c_iname(const void *r, struct cell *v) { v->s = I(r)->name; }
static void
c_num(const void *r, struct cell *v)
{
	v->null = I(r)->unknown;
	v->d = I(r)->num;
}
static void
c_den(const void *r, struct cell *v)
{
	v->null = I(r)->unknown;
	v->d = I(r)->den;
}
static void
c_value(const void *r, struct cell *v)
{
	v->null = I(r)->unknown || I(r)->den == 0;
	if (!v->null)
		v->d = round(10000.0 * I(r)->num / I(r)->den) / 10000.0;
}
static void
c_full(const void *r, struct cell *v)
{
	v->null = I(r)->full < 0;
	v->d = I(r)->full;
}

static const struct col ind_cols[] = {
	{ "v", COL_INT, c_v, NULL, 0 },
	{ "from", COL_TEXT, c_from, NULL, 0 },
	{ "to", COL_TEXT, c_to, NULL, 0 },
	{ "as_of", COL_TEXT, c_asof, NULL, 0 },
	{ "indicator", COL_TEXT, c_ind, "INDICATOR", 1 },
	{ "name", COL_TEXT, c_iname, "NAME", 2 },
	{ "numerator", COL_NUM, c_num, "NUMERATOR", 3 },
	{ "denominator", COL_NUM, c_den, "DENOMINATOR", 4 },
	{ "value", COL_NUM, c_value, "VALUE", 5 },
	{ "full_score_at", COL_NUM, c_full, "FULL_SCORE_AT", 6 },
};

/*
 * The indicators the database can compute, from the total row and what
 * classify() gathered; dossier-report(1) gives each one's definition.
 */
static void
indicators(void)
{
	const long long *n = g.total.n;
	double received = (double)(n[N_ONLINE] + n[N_DIRECT]);
	struct ind v[] = {
		{ "2.1", "on-time rate", (double)(n[N_EARLY] + n[N_ONTIME] +
		    n[N_PEND_OK]), (double)(n[N_ONLINE] + n[N_DIRECT] +
		    n[N_CARRIED]), -1, 0 },
		{ "2.2", "average resolution time, working days",
		    round((double)g.resolved_udays / 1e4) / 100.0,
		    (double)g.resolved_timed, -1, 0 },
		{ "3.3", "online submission rate", (double)n[N_ONLINE],
		    received, 0.5, 0 },
		/*
		 * Dossiers with an electronic result file over those of
		 * procedures whose result is a document: no action stores
		 * a result file and the catalog does not say which results
		 * are documents, so both are unknown, and said to be.
		 */
		{ "4.1", "e-result rate", 0, 0, -1, 1 },
		{ "4.2", "digitisation rate", (double)g.digitised, received,
		    0.8, 0 },
	};
	const void *rows[sizeof(v) / sizeof(v[0])];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		rows[i] = &v[i];
	put_rows(ind_cols, sizeof(ind_cols) / sizeof(ind_cols[0]), rows,
	    sizeof(v) / sizeof(v[0]));
}

/* ---- merge ------------------------------------------------------------- */

static const char *const count_keys[N_COUNTS] = {
	"received_online", "received_direct", "carried_over",
	"resolved_early", "resolved_on_time", "resolved_late",
	"pending_on_time", "pending_overdue", "guided"
};

/* Keep the first value of `key` in `dst`; refuse a different one. */
static void
agree(const json_t *o, const char *key, char *dst, size_t n,
    const char *where)
{
	const char *v;
	struct dx_err e;

	if (jx_str(o, key, JX_REQ, &v, &e) == -1)
		dx_die(DX_DATAERR, "%s: %s", where, e.msg);
	if (dst[0] == '\0')
		snprintf(dst, n, "%s", v);
	else if (strcmp(dst, v) != 0)
		dx_die(DX_DATAERR, _("%s: %s '%s' is not the '%s' of the rows"
		    " before"), where, key, v, dst);
}

/*
 * dossier-report merge: the rows of several offices' reports of one
 * period and grouping, summed by key (the total rows into the total),
 * the sums and the rate computed again.  The latest as-of is kept.
 */
static void
merge(void)
{
	struct jsonl_reader r;
	static char by[32];
	struct grp *gr;
	struct dx_err e;
	const char *key, *name, *level, *asof;
	char where[64];
	long long v;
	json_t *o;
	int rc, k;

	jsonl_init(&r, stdin, "stdin");
	while ((rc = jsonl_next(&r, &o, &e)) != 0) {
		if (rc < 0)
			dx_die_err(&e);
		snprintf(where, sizeof(where), "stdin:%ld", r.lineno);
		if (json_object_get(o, "indicator") != NULL)
			dx_die(DX_DATAERR, _("%s: an indicator's row (of"
			    " --indicators), not a report's: merge sums"
			    " report rows"), where);
		agree(o, "from", g.from_s, sizeof(g.from_s), where);
		agree(o, "to", g.to_s, sizeof(g.to_s), where);
		agree(o, "by", by, sizeof(by), where);
		if (jx_str(o, "as_of", JX_REQ, &asof, &e) == -1 ||
		    jx_str(o, "key", 0, &key, &e) == -1 ||
		    jx_str(o, "name", 0, &name, &e) == -1 ||
		    jx_str(o, "level", 0, &level, &e) == -1)
			dx_die(DX_DATAERR, "%s: %s", where, e.msg);
		/* RFC 3339 of one offset: the text's order is the time's */
		if (strcmp(asof, g.as_of_s) > 0)
			snprintf(g.as_of_s, sizeof(g.as_of_s), "%s", asof);
		gr = key != NULL ? group(key, name) : &g.total;
		if (gr->level == NULL && level != NULL)
			gr->level = xstrdup(level);
		for (k = 0; k < N_COUNTS; k++) {
			/* a report from before `guided` counts none */
			v = 0;
			if (jx_int(o, count_keys[k], k == N_GUIDED ? 0 : JX_REQ,
			    &v, &e) == -1)
				dx_die(DX_DATAERR, "%s: %s", where, e.msg);
			if (v < 0)
				dx_die(DX_DATAERR, _("%s: %s is negative"),
				    where, count_keys[k]);
			gr->n[k] += v;
		}
		json_decref(o);
	}
	jsonl_free(&r);
	g.by_s = by;
	if (g.from_s[0] != '\0')
		output();
	free(g.total.level);
}

/* ---- the run ------------------------------------------------------------ */

/*
 * The query's columns, in the order of the enum, as the arguments of
 * report_take() (take_step()): after C_CHANGED each "NULL" unless this
 * run reads it, since a column outside the report's indexes costs a read
 * of the dossier's row; the unit, too, unless the run groups or filters
 * by it, since every column costs its read for each dossier.
 */
static void
report_columns(struct dx_buf *b)
{
	buf_adds(b, "report_take(d.id, d.received_at, d.finished_at, d.status,"
	    " d.channel, d.procedure_id, ");
	buf_adds(b, g.by == BY_UNIT || g.sf.unit != NULL ? "d.unit" : "NULL");
	buf_adds(b, ", d.due_at, d.paused_at, d.result, d.changed_at, ");
	buf_adds(b, g.indicators ? "d.start_at, d.paused_total, "
	    DIGITISED_SQL : "NULL, NULL, NULL");
	buf_adds(b, g.sf.any ? ", d.handler, d.owner" : ", NULL, NULL");
	buf_adds(b, ", NULL, ");
	buf_adds(b, g.sel.qname != NULL ? SEL_NAME_SQL : "NULL");
	buf_adds(b, ")");
}

/*
 * The query of the dossiers that may count in [lo, p1), read from the
 * report's indexes: received in it or at most LONG_LIVED before it, and
 * not ended before lo; or received earlier and open at lo, which only the
 * index of the long-lived holds.  Either part reads what the period holds,
 * not what the database holds before or after it.  On connection `db`,
 * the first part's receipts in [r0, r1) (lo - LONG_LIVED and p1 for all
 * of it), and the second part when `long_lived`.
 */
static sqlite3_stmt *
report_query(struct db *db, dx_time lo, dx_time r0, dx_time r1,
    int long_lived)
{
	struct dx_buf sql;
	struct dx_err e;
	sqlite3_stmt *st;

	buf_init(&sql);
	buf_adds(&sql, "SELECT ");
	report_columns(&sql);
	buf_adds(&sql, " FROM dossiers d INDEXED BY dossiers_report"
	    " WHERE d.received_at >= ?1 AND d.received_at < ?2"
	    " AND d.status <> 1 AND d.status <> 3"
	    " AND (d.received_at >= ?3 OR d.finished_at >= ?3"
	    " OR d.finished_at IS NULL)");
	if (long_lived) {
		buf_adds(&sql, " UNION ALL SELECT ");
		report_columns(&sql);
		buf_printf(&sql, " FROM dossiers d INDEXED BY"
		    " dossiers_report_long WHERE d.received_at < ?4"
		    " AND d.status <> 1 AND d.status <> 3"
		    " AND (d.finished_at IS NULL OR d.finished_at -"
		    " d.received_at > %d) AND (d.finished_at IS NULL"
		    " OR d.finished_at >= ?3)", LONG_LIVED);
	}
	if ((st = db_prepare(db, sql.buf, 0, &e)) == NULL)
		dx_die_err(&e);
	buf_free(&sql);
	if (sqlite3_bind_int64(st, 1, r0) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, r1) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, lo) != SQLITE_OK ||
	    (long_lived && sqlite3_bind_int64(st, 4, lo - LONG_LIVED) !=
	    SQLITE_OK)) {
		db_seterr(db, SQLITE_ERROR, &e, "dossiers");
		dx_die_err(&e);
	}
	return st;
}

/* Register report_take() with step `step` on connection `db`. */
static void
take_register(struct db *db, void (*step)(sqlite3_context *, int,
    sqlite3_value **))
{
	struct dx_err e;
	int rc;

	if ((rc = sqlite3_create_function_v2(db->h, "report_take", C_NAME + 1,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, NULL, step, take_final,
	    NULL)) != SQLITE_OK) {
		db_seterr(db, rc, &e, "report_take");
		dx_die_err(&e);
	}
}

/*
 * What tells two connections' snapshots apart: every change of a
 * dossier appends an event (design.md), so the newest event and
 * dossier; and the schema's version, which a migration changes.
 */
#define SNAP_SQL "SELECT (SELECT max(id) FROM events)," \
    " (SELECT max(id) FROM dossiers)," \
    " (SELECT schema_version FROM pragma_schema_version)"

/*
 * The SNAP_SQL of connection `db` into `v`, in its read transaction.  0,
 * or -1 with e set.
 */
static int
snap_read(struct db *db, int64_t v[SNAP_N], struct dx_err *e)
{
	sqlite3_stmt *st;
	int i, rc;

	if ((st = db_prepare(db, SNAP_SQL, 0, e)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		db_seterr(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, e,
		    "events");
		sqlite3_finalize(st);
		return -1;
	}
	for (i = 0; i < SNAP_N; i++)
		v[i] = sqlite3_column_int64(st, i);
	sqlite3_finalize(st);
	return 0;
}

/*
 * Whether to split the scan of [r0, r1) with a second scanner:
 * DOSSIER_REPORT_THREADS=1 never, 2 always; else on a database of
 * SPLIT_MIN dossiers or more and a machine of more than one processor.
 * `main_snap` is the main connection's SNAP_SQL.
 */
static int
split_wanted(const int64_t main_snap[SNAP_N])
{
	const char *t = getenv("DOSSIER_REPORT_THREADS");

	if (t != NULL && strcmp(t, "1") == 0)
		return 0;
	if (t != NULL && strcmp(t, "2") == 0)
		return 1;
	return main_snap[1] >= SPLIT_MIN && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
	    sqlite3_threadsafe() != 0;
}

/*
 * Start the second scanner on the receipts [r0, r1) when it is wanted
 * and its connection opens and sees the main one's snapshot; else (a
 * write committed in between, the file moved, busy) the main thread
 * scans alone.  1 if started.
 */
static int
split_start(const char *path, const int64_t main_snap[SNAP_N], dx_time lo,
    dx_time r0, dx_time r1)
{
	struct dx_err e;
	int64_t snap[SNAP_N];

	if (!split_wanted(main_snap))
		return 0;
	if ((sp.db = db_open(path, DB_RDONLY, &e)) == NULL)
		return 0;
	if (db_exec(sp.db, "PRAGMA cache_size = -2048", &e) == -1 ||
	    db_exec(sp.db, "BEGIN", &e) == -1 ||
	    snap_read(sp.db, snap, &e) == -1 ||
	    memcmp(snap, main_snap, sizeof(snap)) != 0) {
		db_close(sp.db);
		sp.db = NULL;
		return 0;
	}
	take_register(sp.db, split_step);
	sp.st = report_query(sp.db, lo, r0, r1, 0);
	sp.rows = xcalloc(SPLIT_NBATCH * SPLIT_BATCH, sizeof(*sp.rows));
	if (pthread_mutex_init(&sp.mu, NULL) != 0 ||
	    pthread_cond_init(&sp.cv, NULL) != 0)
		dx_die(DX_SOFTWARE, "pthread_mutex_init failed");
	sp.on = 1;
	/* a death on the main thread leaves without the exit handlers */
	dx_exit_threaded(1);
	if (pthread_create(&sp.th, NULL, split_thread, NULL) != 0)
		dx_die(DX_SOFTWARE, "pthread_create failed");
	return 1;
}

/* Take the second scanner's last rows, and end it. */
static void
split_end(void)
{
	if (!sp.on)
		return;
	split_drain(1);
	pthread_join(sp.th, NULL);
	dx_exit_threaded(0);
	if (sp.failed)
		dx_die_err(&sp.e);
	sqlite3_finalize(sp.st);
	db_close(sp.db);
	pthread_mutex_destroy(&sp.mu);
	pthread_cond_destroy(&sp.cv);
	free(sp.rows);
	sp.on = 0;
}

static sqlite3_stmt *
prepare(const char *sql)
{
	struct dx_err e;
	sqlite3_stmt *st;

	if ((st = db_prepare(g.db, sql, 0, &e)) == NULL)
		dx_die_err(&e);
	return st;
}

static void
run(void)
{
	struct dx_buf cols_sql;
	struct dx_err e;
	sqlite3_stmt *st;
	dx_time lo, mid;
	int rc;

	buf_init(&g.folded);
	state_filters();
	take_register(g.db, take_step);
	procs_load();
	/* the period's dossiers (and the year's, for the chart) */
	lo = g.format == FMT_HTML ? g.y0 : g.p0;
	if (g.sel.match.len == 0 && g.sel.qname == NULL &&
	    g.sel.id_number == NULL && g.sel.phone == NULL) {
		/* the later half of the receipts to a second scanner */
		mid = lo - LONG_LIVED + (g.p1 - lo + LONG_LIVED) / 2;
		if (split_start(g.path, g.snap, lo, mid, g.p1))
			st = report_query(g.db, lo, lo - LONG_LIVED, mid, 1);
		else
			st = report_query(g.db, lo, lo - LONG_LIVED, g.p1, 1);
	} else {
		/*
		 * A search by name, ID number or phone: the selection's
		 * query, which starts from the search index, bounded to
		 * the same dossiers.
		 */
		buf_init(&cols_sql);
		report_columns(&cols_sql);
		g.sel.live_to = g.p1;
		g.sel.live_from = lo;
		g.sel.unordered = 1;
		st = sel_prepare(&g.sel, g.db, cols_sql.buf, 0, &e);
		if (st == NULL)
			dx_die_err(&e);
		buf_free(&cols_sql);
	}
	g.later = prepare("SELECT action, payload FROM events"
	    " WHERE dossier = ? AND at > ? ORDER BY id DESC");
	g.uuid_of = prepare("SELECT uuid FROM dossiers WHERE id = ?");
	g.stepev = prepare("SELECT at, payload FROM events"
	    " WHERE dossier = ? AND at <= ? ORDER BY id");
	g.stepname = prepare("SELECT name FROM procedure_steps"
	    " WHERE procedure_id = ? AND seq = ?");
	/* on a terminal, the dossiers walked so far */
	progress_start(&g.prog, STDERR_FILENO, dx_progname(), _("dossiers"),
	    -1);
	/* a row per part of the query, each after take_step() saw its rows */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		db_seterr(g.db, rc, &e, "dossiers");
		dx_die_err(&e);
	}
	sqlite3_finalize(st);
	split_end();
	progress_end(&g.prog);
	buf_free(&g.folded);
	if (!g.indicators && g.by != BY_STEP)
		take_guidance();
	if (!g.indicators && g.by == BY_UNIT)
		roll_up();
	sqlite3_finalize(g.later);
	sqlite3_finalize(g.uuid_of);
	sqlite3_finalize(g.stepev);
	sqlite3_finalize(g.stepname);
	sqlite3_finalize(g.clockev);
	/* all is read: a reader held up by stdout holds no snapshot */
	if (db_exec(g.db, "COMMIT", &e) == -1)
		dx_die_err(&e);
	if (g.indicators) {
		indicators();
		groups_free(groups_sorted());
	} else
		output();
	procs_free();
}

/* A filter of dossier-status that the report's own options replace. */
static void
refuse_filters(void)
{
	static const char *const msg = N_("%s: not a report filter (the"
	    " period chooses the dossiers)");

	if (g.sel.recv_from_s != NULL || g.sel.recv_to_s != NULL)
		cli_usage(&cli, _(msg), "--received-from/--received-to");
	if (g.sel.fin_from_s != NULL || g.sel.fin_to_s != NULL)
		cli_usage(&cli, _(msg), "--finished-from/--finished-to");
	if (g.sel.overdue || g.sel.due_within >= 0)
		cli_usage(&cli, _(msg), "--overdue/--due-within");
	/* the report counts dossiers received, never submissions */
	if (g.sel.waiting)
		cli_usage(&cli, _(msg), "--waiting");
	if (g.sel.sort_given || g.sel.reverse)
		cli_usage(&cli, _("--sort, --reverse: rows are in the order of"
		    " their keys"));
}

static int
parse_list(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int
main(int argc, char *argv[])
{
	enum {
		O_PERIOD = 256, O_OF, O_FROM, O_TO, O_ASOF, O_BY, O_FORMAT,
		O_BOM, O_NOW, O_IND
	};
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "period", required_argument, NULL, O_PERIOD },
		{ "of", required_argument, NULL, O_OF },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "as-of", required_argument, NULL, O_ASOF },
		{ "by", required_argument, NULL, O_BY },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "bom", no_argument, NULL, O_BOM },
		{ "now", required_argument, NULL, O_NOW },
		{ "indicators", no_argument, NULL, O_IND },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const bys[] = { "field", "unit", "procedure", "step",
		NULL };
	struct option *opts;
	const char *dbopt = NULL, *of = NULL, *from = NULL, *to = NULL;
	const char *asof = NULL, *nowopt = NULL;
	char today[40];
	enum period period = P_NONE;
	struct dx_err e;
	int64_t d0, d1;
	dx_time now;
	int ch, r, merging = 0, by_given = 0;

	dx_setprogname(argv[0]);
	g.format = isatty(STDOUT_FILENO) ? ROWS_TABLE : ROWS_JSON;
	sel_init(&g.sel);
	opts = sel_longopts(longopts);
	while ((ch = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
		if ((r = sel_option(&g.sel, ch, optarg, &e)) == -1) {
			if (e.code == DX_USAGE)
				cli_usage(&cli, "%s", e.msg);
			dx_die_err(&e);
		}
		if (r == 1)
			continue;
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		case O_PERIOD:
			if ((r = parse_list(period_names, optarg)) == -1)
				cli_usage(&cli, _("--period: '%s' is not month,"
				    " quarter, half, nine_months or year"),
				    optarg);
			period = (enum period)r;
			break;
		case O_OF:
			of = optarg;
			break;
		case O_FROM:
			from = optarg;
			break;
		case O_TO:
			to = optarg;
			break;
		case O_ASOF:
			if (sel_check_time("--as-of", optarg, &e) == -1)
				cli_usage(&cli, "%s", e.msg);
			asof = optarg;
			break;
		case O_BY:
			if ((r = parse_list(bys, optarg)) == -1)
				cli_usage(&cli, _("--by: '%s' is not field,"
				    " unit, procedure or step"), optarg);
			g.by = (enum by)r;
			by_given = 1;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "html") == 0)
				g.format = FMT_HTML;
			else if ((g.format = rows_format_parse(optarg)) == -1)
				cli_usage(&cli, _("--format: '%s' is not json,"
				    " table, csv or html"), optarg);
			break;
		case O_BOM:
			g.bom = 1;
			break;
		case O_NOW:
			if (sel_check_time("--now", optarg, &e) == -1)
				cli_usage(&cli, "%s", e.msg);
			nowopt = optarg;
			break;
		case O_IND:
			g.indicators = 1;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	free(opts);
	if (optind < argc && strcmp(argv[optind], "merge") == 0) {
		merging = 1;
		if (period != P_NONE || from != NULL || asof != NULL ||
		    dbopt != NULL || g.sel.nfilters > 0 || g.indicators ||
		    by_given)
			cli_usage(&cli, _("merge takes --format and --bom"
			    " only"));
		/* the form needs the office and the months of one database */
		if (g.format == FMT_HTML)
			cli_usage(&cli, _("merge: --format html: the form is"
			    " printed by each office; merge prints json, table"
			    " or csv"));
		optind++;
	} else if (optind < argc)
		cli_usage(&cli, _("unexpected operand '%s'"), argv[optind]);
	cli_exclusive(&cli, period != P_NONE, "--period", from != NULL ||
	    to != NULL, "--from/--to");
	if (of != NULL && period == P_NONE)
		cli_usage(&cli, _("--of needs --period"));
	if ((from == NULL) != (to == NULL))
		cli_usage(&cli, _("--from and --to go together"));
	cli_exclusive(&cli, g.by == BY_STEP, "--by step", g.format == FMT_HTML,
	    "--format html");
	cli_exclusive(&cli, g.indicators, "--indicators", by_given, "--by");
	cli_exclusive(&cli, g.indicators, "--indicators",
	    g.format == FMT_HTML, "--format html");
	if (g.bom && g.format != ROWS_CSV)
		cli_usage(&cli, _("--bom needs --format csv"));
	refuse_filters();
	if (merging) {
		if (optind < argc)
			cli_usage(&cli, _("unexpected operand '%s'"),
			    argv[optind]);
		merge();
		sel_free(&g.sel);
		dx_exit(DX_OK);
	}

	if (from != NULL) {
		if (cal_parse_day(from, &d0) == -1)
			cli_usage(&cli, _("--from: '%s' is not a date"
			    " (YYYY-MM-DD)"), from);
		if (cal_parse_day(to, &d1) == -1)
			cli_usage(&cli, _("--to: '%s' is not a date"
			    " (YYYY-MM-DD)"), to);
		if (d1 < d0)
			cli_usage(&cli, _("--to %s is before --from %s"), to,
			    from);
	} else if (of != NULL)
		/* a period named needs no today */
		period_dates(period, of, "1970-01-01");

	g.path = db_path(dbopt);
	g.db = db_open(g.path, DB_RDONLY, &e);
	if (g.db == NULL)
		dx_die_err(&e);
	/* one snapshot for everything the report reads, the calendar first */
	if (db_exec(g.db, "BEGIN", &e) == -1 ||
	    snap_read(g.db, g.snap, &e) == -1)
		dx_die_err(&e);
	/* one pass over the dossiers: a small page cache recycles its pages */
	if (db_exec(g.db, "PRAGMA cache_size = -2048", &e) == -1)
		dx_die_err(&e);
	if (db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1)
		dx_die_err(&e);
	now = (dx_time)time(NULL);
	if (nowopt != NULL && sel_parse_time(&g.cal, "--now", nowopt, &now,
	    NULL, &e) == -1)
		dx_die_err(&e);
	cal_format(&g.cal, now, today);
	today[10] = '\0';

	if (from != NULL) {
		cal_format_day(d0, g.from_s);
		cal_format_day(d1, g.to_s);
	} else if (of == NULL)
		period_dates(period == P_NONE ? P_MONTH : period, NULL, today);
	if (cal_parse_day(g.from_s, &d0) == -1 ||
	    cal_parse_day(g.to_s, &d1) == -1)
		dx_die(DX_SOFTWARE, "bad period %s..%s", g.from_s, g.to_s);
	if (d1 < d0)
		cli_usage(&cli, _("--to %s is before --from %s"), g.to_s,
		    g.from_s);
	g.p0 = cal_day_start(&g.cal, d0);
	g.p1 = cal_day_start(&g.cal, d1 + 1);
	g.as_of = now < g.p1 - 1 ? now : g.p1 - 1;
	if (asof != NULL && sel_parse_time(&g.cal, "--as-of", asof,
	    &g.as_of, NULL, &e) == -1)
		dx_die_err(&e);
	if ((g.as_of < g.p0 || g.as_of >= g.p1) && asof != NULL)
		cli_usage(&cli, _("--as-of %s: not within the period %s..%s"),
		    asof, g.from_s, g.to_s);
	/* judged now by default: a period not begun has nothing to count */
	if (g.as_of < g.p0)
		cli_usage(&cli, _("the period %s..%s has not begun (today is"
		    " %s)"), g.from_s, g.to_s, today);
	if (sel_resolve(&g.sel, &g.cal, g.office.agency, now, &e) == -1)
		dx_die_err(&e);
	cal_format(&g.cal, g.as_of, g.as_of_s);
	g.by_s = by_names[g.by];
	g.now = now;
	if (g.format == FMT_HTML) {
		char y0[11];

		report_month(g.to_s, &g.y_end, &g.nmonths);
		ymd(y0, g.y_end - 1, 12, 15);
		if (cal_parse_day(y0, &d0) == -1)
			dx_die(DX_SOFTWARE, "bad date %s", y0);
		g.y0 = cal_day_start(&g.cal, d0);
	}

	run();

	db_close(g.db);
	cal_free(&g.cal);
	sel_free(&g.sel);
	dx_exit(DX_OK);
}
