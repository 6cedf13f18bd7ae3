/*
 * t_select.c: the selection of dossiers: options parsed and refused, the
 * query built for given options, the name match, the open statuses.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tap.h"
#include "calendar.h"
#include "db.h"
#include "office.h"
#include "record.h"
#include "select.h"
#include "util.h"

void t_select(void);

/* 2026-03-16T08:00:00+07:00, a Monday */
#define NOW 1773622800

/* Give option --`name` (`arg` may be NULL): sel_option()'s return. */
static int
opt(struct sel *s, const char *name, const char *arg, struct dx_err *e)
{
	size_t i;

	for (i = 0; sel_options[i].name != NULL; i++)
		if (strcmp(sel_options[i].name, name) == 0)
			return sel_option(s, sel_options[i].val, arg, e);
	return -2;
}

/* The SQL after "SELECT d.id" for the options in `argv` (name, arg ...). */
static const char *
query(struct sel *s, struct calendar *cal, const char *const *argv, int n,
    int keyed)
{
	static struct dx_err e;
	int i;

	sel_free(s);
	sel_init(s);
	for (i = 0; i + 1 < n; i += 2)
		if (opt(s, argv[i], argv[i + 1], &e) != 1)
			return e.msg;
	if (sel_resolve(s, cal, "000.00.01.H56", NOW, &e) == -1 ||
	    sel_build(s, NULL, "d.id", keyed, &e) == -1)
		return e.msg;
	return s->sql.buf + strlen("SELECT d.id");
}

#define FROM \
    " FROM dossiers d JOIN procedures p ON p.id = d.procedure_id" \
    " LEFT JOIN units u ON u.code = d.unit" \
    " LEFT JOIN procedure_steps s ON s.procedure_id = d.procedure_id" \
    " AND s.seq = d.step WHERE 1"

static void
check_queries(void)
{
	static const char *const none[] = { NULL };
	static const char *const status[] = { "status", "4",
	    "status", "accepted", "status", "4" };
	static const char *const closed[] = { "status", "9",
	    "status", "processing" };
	static const char *const eleven[] = { "status", "1", "status", "2",
	    "status", "3", "status", "4", "status", "5", "status", "6",
	    "status", "7", "status", "8", "status", "10", "status", "1",
	    "status", "finished" };
	static const char *const many[] = { "procedure", "1.001193",
	    "field", "Hộ tịch", "unit", "000.00.01.H56", "handler", "hai.pm",
	    "channel", "online", "received-from", "2026-03-01",
	    "received-to", "2026-03-12", "finished-from",
	    "2026-03-02T10:00:00+07:00", "finished-to",
	    "2026-03-20T17:00:00+07:00", "paused", NULL,
	    "supplement-pending", NULL, "elsewhere", NULL };
	static const char *const overdue[] = { "overdue", NULL,
	    "sort", "code", "reverse", NULL };
	static const char *const waiting[] = { "waiting", NULL };
	static const char *const waiting_due[] = { "waiting", NULL,
	    "due-within", "2" };
	static const char *const due[] = { "due-within", "2",
	    "id-number", "052189001234", "phone", "0905123456" };
	struct calendar cal;
	struct sel s;
	const char *q;
	int i;

	cal_init(&cal);
	sel_init(&s);
	is_str(query(&s, &cal, none, 0, 0), FROM " ORDER BY d.id",
	    "no filter: every dossier by row");
	is_int(s.nparams, 0, "... no parameter");
	is_str(query(&s, &cal, none, 0, 1), FROM " AND d.id = ?"
	    " ORDER BY d.id", "keyed: d.id = ?");
	is_int(s.keyparam, 0, "... parameter 0");
	is_str(query(&s, &cal, status, 6, 0), FROM
	    " AND d.status IN (?, ?) AND (d.status = 2 OR d.status = 4"
	    " OR d.status = 5 OR d.status = 6)"
	    " ORDER BY d.id",
	    "open statuses: bound, and in the words of the open index");
	ok(s.nparams == 2 && s.params[0].i == 2 && s.params[1].i == 4,
	    "... each status once, in order");
	is_str(query(&s, &cal, closed, 4, 0), FROM " AND d.status IN (?, ?)"
	    " ORDER BY d.id", "a closed status: no open-index words");
	is_str(query(&s, &cal, eleven, 22, 0), FROM
	    " AND d.status IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ORDER BY d.id",
	    "eleven --status: none is dropped");
	is_int(s.nparams, 10, "... ten statuses, the repeated one once");
	for (i = 0; i < s.nparams && s.params[i].i == i + 1; i++)
		;
	is_int(i, 10, "... 1 to 10, 9 (finished) included");
	q = query(&s, &cal, many, 24, 0);
	is_str(q, FROM " AND p.code = ? AND p.field = ? AND d.unit = ?"
	    " AND d.handler = ? AND d.channel = ? AND d.received_at >= ?"
	    " AND d.received_at < ? AND d.finished_at >= ?"
	    " AND d.finished_at <= ? AND d.paused_at IS NOT NULL"
	    " AND d.status = 5 AND d.owner <> ? ORDER BY d.id",
	    "every other filter, each a bound parameter");
	is_int(s.nparams, 10, "... ten parameters");
	if (s.nparams == 10) {
		is_str(s.params[1].s, "Hộ tịch", "... the field as given");
		is_int(s.params[6].i, 1773248400 + 86400,
		    "... a date as an upper bound ends at the next midnight");
		is_int(s.params[8].i, 1774000800,
		    "... a time as an upper bound is itself (<=)");
		is_str(s.params[9].s, "000.00.01.H56",
		    "... --elsewhere: not this office");
	}
	is_int(s.nfilters, 12, "twelve filters counted");
	is_str(query(&s, &cal, overdue, 6, 0), FROM
	    " AND (d.status = 2 OR d.status = 4 OR d.status = 5"
	    " OR d.status = 6) AND d.due_at < ?"
	    " AND (d.paused_at IS NULL OR d.due_at < d.paused_at)"
	    " ORDER BY d.code DESC", "--overdue, --sort code --reverse");
	ok(s.nparams == 1 && s.params[0].i == NOW, "... overdue now");
	is_str(query(&s, &cal, due, 6, 0), FROM
	    " AND d.id IN (SELECT rowid FROM dossier_search WHERE"
	    " dossier_search MATCH ?) AND json_extract(d.applicant,"
	    " '$.id_number') = ? AND json_extract(d.applicant, '$.phone') = ?"
	    " AND (d.status = 2 OR d.status = 4 OR d.status = 5"
	    " OR d.status = 6) AND d.due_at >= ?"
	    " AND d.due_at <= ? ORDER BY d.due_at, d.id",
	    "--due-within with numbers: the index gathered once, due order");
	ok(s.nparams == 5 && s.params[3].i == NOW &&
	    s.params[4].i == NOW + 2 * 86400,
	    "... from now to two working days on");
	is_str(query(&s, &cal, waiting, 2, 0), FROM " AND d.status = 1"
	    " ORDER BY d.received_at, d.id",
	    "--waiting: submissions, the oldest received first");
	is_str(query(&s, &cal, waiting_due, 4, 0), "--waiting: a submission"
	    " not yet accepted has no due time (not with --due-within)",
	    "--waiting refuses --due-within");
	is_str(query(&s, &cal, due + 2, 4, 0),
	    " FROM dossier_search fts CROSS JOIN dossiers d"
	    " ON d.id = fts.rowid JOIN procedures p ON p.id = d.procedure_id"
	    " LEFT JOIN units u ON u.code = d.unit"
	    " LEFT JOIN procedure_steps s ON s.procedure_id = d.procedure_id"
	    " AND s.seq = d.step WHERE fts.dossier_search MATCH ?"
	    " AND json_extract(d.applicant, '$.id_number') = ?"
	    " AND json_extract(d.applicant, '$.phone') = ?"
	    " ORDER BY fts.rowid", "numbers alone: rows from the index");
	sel_free(&s);
	cal_free(&cal);
}

/* opt() gives `name` `arg` and is refused with `msg`. */
static void
refused(const char *name, const char *arg, const char *msg)
{
	struct sel s;
	struct dx_err e;

	sel_init(&s);
	e.code = 0;
	ok(opt(&s, name, arg, &e) == -1 && e.code == DX_USAGE &&
	    strcmp(e.msg, msg) == 0, "--%s %s: %s", name, arg, msg);
	sel_free(&s);
}

static void
check_refusals(void)
{
	struct sel s;
	struct dx_err e;

	refused("status", "late", "--status: 'late' is not one of"
	    " submitted, accepted, refused, processing, supplement_requested,"
	    " fee_requested, withdrawal_requested, stopped, finished,"
	    " returned");
	refused("status", "11", "--status: '11' is not one of"
	    " submitted, accepted, refused, processing, supplement_requested,"
	    " fee_requested, withdrawal_requested, stopped, finished,"
	    " returned");
	refused("channel", "fax",
	    "--channel: 'fax' is not direct, online or postal");
	refused("due-within", "3651", "--due-within: '3651' is too large");
	refused("due-within", "x", "--due-within: 'x' is invalid");
	refused("sort", "name", "--sort: 'name' is not received, due or code");
	/* a bad time is refused with the option, before any database */
	refused("received-from", "yesterday", "--received-from:"
	    " 'yesterday' is not an RFC 3339 time or a date");
	refused("finished-to", "2026-02-30", "--finished-to:"
	    " '2026-02-30' is not an RFC 3339 time or a date");
	refused("overdue", "soon",
	    "--overdue: 'soon' is not an RFC 3339 time or a date");
	e.code = 0;
	ok(sel_check_time("--now", "2026-01-01T25:00:00", &e) == -1 &&
	    e.code == DX_USAGE, "sel_check_time() refuses hour 25");
	is_int(sel_check_time("--now", "2026-01-01T09:00:00+07:00", &e), 0,
	    "sel_check_time() takes an RFC 3339 time");
	sel_init(&s);
	is_int(opt(&s, "name", "an", &e), 1, "--name is a selection option");
	is_int(sel_option(&s, 'd', "x", &e), 0, "-d is not");
	is_int(sel_option(&s, SEL_OPT_FIRST - 1, NULL, &e), 0,
	    "nor anything below SEL_OPT_FIRST");
	sel_free(&s);
}

static void
check_longopts(void)
{
	static const struct option own[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct option *o = sel_longopts(own);
	size_t n;

	for (n = 0; o[n].name != NULL; n++)
		;
	ok(strcmp(o[0].name, "db") == 0 && strcmp(o[1].name, "name") == 0,
	    "sel_longopts: the tool's, then the selection's");
	ok(o[n].flag == NULL && o[n].val == 0, "... ended by a zero entry");
	for (n = 0; sel_options[n].name != NULL; n++)
		ok(sel_options[n].val >= SEL_OPT_FIRST, "--%s is %d or more",
		    sel_options[n].name, SEL_OPT_FIRST);
	free(o);
}

static void
check_match(void)
{
	struct calendar cal;
	struct sel s;
	struct dx_buf b;
	struct dx_err e;

	cal_init(&cal);
	buf_init(&b);
	sel_init(&s);
	ok(sel_match(&s, "Anyone", &b), "no --name: every row matches");
	opt(&s, "name", "  NGUYỄN  van AN ", &e);
	sel_resolve(&s, &cal, "x", NOW, &e);
	is_str(s.qname, "nguyen van an", "the name is folded");
	ok(sel_match(&s, "Nguyễn Văn An", &b), "the same name matches");
	ok(sel_match(&s, "Nguyễn Văn Anh", &b), "... as a prefix");
	ok(sel_match(&s, "Trần Nguyễn Văn An", &b), "... as whole words");
	ok(!sel_match(&s, "Nguyễn Văn Ba", &b), "another does not");
	ok(!sel_match(&s, NULL, &b), "nor a dossier without a name");
	sel_free(&s);
	buf_free(&b);
	cal_free(&cal);
}

/* The open statuses, and the partial index that must say the same. */
static void
check_open(void)
{
	char dir[256], path[300], cmd[300];
	struct dx_buf b;
	struct dx_err e;
	struct db *db;
	sqlite3_stmt *st;
	const char *sql, *w;
	int i, n = 0;

	for (i = 1; i <= 10; i++)
		n += status_is_open(i);
	ok(n == 4 && status_is_open(ST_ACCEPTED) &&
	    status_is_open(ST_PROCESSING) && status_is_open(ST_SUPPLEMENT) &&
	    status_is_open(ST_FEE), "four open statuses");
	buf_init(&b);
	sel_open_sql(&b);
	is_str(b.buf, "(d.status = 2 OR d.status = 4 OR d.status = 5"
	    " OR d.status = 6)", "sel_open_sql");

	snprintf(dir, sizeof(dir), "%s/t_select.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp %s", dir);
		buf_free(&b);
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	if ((db = office_open(path, DB_CREATE, &e)) == NULL) {
		ok(0, "office_open: %s", e.msg);
		buf_free(&b);
		return;
	}
	st = db_prepare(db, "SELECT sql FROM sqlite_schema"
	    " WHERE name = 'dossiers_open_due'", 0, &e);
	sql = st != NULL && sqlite3_step(st) == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : NULL;
	w = sql != NULL ? strstr(sql, "WHERE ") : NULL;
	/* the index says "status = ...", the query "d.status = ..." */
	buf_reset(&b);
	status_open_sql(&b, "status");
	is_str(w != NULL ? w + strlen("WHERE ") : NULL, b.buf,
	    "the open index's WHERE is sel_open_sql's");
	sqlite3_finalize(st);

	/* the name index is read for a --name query */
	{
		struct calendar cal;
		struct sel s;

		cal_init(&cal);
		sel_init(&s);
		opt(&s, "name", "an", &e);
		opt(&s, "unit", "000.00.01.H56", &e);
		ok(sel_resolve(&s, &cal, "x", NOW, &e) == 0 &&
		    (st = sel_prepare(&s, db, "d.id", 0, &e)) != NULL,
		    "a name query prepares");
		ok(strstr(s.sql.buf, " WHERE 1 AND d.id IN (SELECT rowid FROM"
		    " dossier_search WHERE dossier_search MATCH ?) AND"
		    " d.unit = ?") != NULL, "... with the name index, once");
		is_int(sqlite3_step(st), SQLITE_DONE, "... and runs");
		sqlite3_finalize(st);
		sel_free(&s);
		sel_init(&s);
		opt(&s, "name", "-", &e);
		e.code = 0;
		ok(sel_resolve(&s, &cal, "x", NOW, &e) == 0 &&
		    sel_build(&s, db, "d.id", 0, &e) == -1 &&
		    e.code == DX_USAGE &&
		    strcmp(e.msg, "--name: nothing to search for") == 0,
		    "a name with no word: nothing to search for");
		sel_free(&s);
		cal_free(&cal);
	}
	db_close(db);
	buf_free(&b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(0, "%s", cmd);
}

void
t_select(void)
{
	check_queries();
	check_refusals();
	check_longopts();
	check_match();
	check_open();
}
