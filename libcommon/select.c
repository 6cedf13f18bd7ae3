/*
 * select.c: the filter options and the query that selects dossiers.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "calendar.h"
#include "db.h"
#include "fold.h"
#include "record.h"
#include "search.h"
#include "select.h"
#include "util.h"

enum {
	O_NAME = SEL_OPT_FIRST, O_IDNUM, O_PHONE, O_STATUS, O_PROC, O_FIELD,
	O_UNIT, O_HANDLER, O_CHANNEL, O_RFROM, O_RTO, O_FFROM, O_FTO,
	O_OVERDUE, O_DUEIN, O_PAUSED, O_SUPPL, O_ELSEWHERE, O_SORT, O_REVERSE,
	O_WAITING
};

const struct option sel_options[] = {
	{ "name", required_argument, NULL, O_NAME },
	{ "id-number", required_argument, NULL, O_IDNUM },
	{ "phone", required_argument, NULL, O_PHONE },
	{ "status", required_argument, NULL, O_STATUS },
	{ "procedure", required_argument, NULL, O_PROC },
	{ "field", required_argument, NULL, O_FIELD },
	{ "unit", required_argument, NULL, O_UNIT },
	{ "handler", required_argument, NULL, O_HANDLER },
	{ "channel", required_argument, NULL, O_CHANNEL },
	{ "received-from", required_argument, NULL, O_RFROM },
	{ "received-to", required_argument, NULL, O_RTO },
	{ "finished-from", required_argument, NULL, O_FFROM },
	{ "finished-to", required_argument, NULL, O_FTO },
	{ "overdue", optional_argument, NULL, O_OVERDUE },
	{ "due-within", required_argument, NULL, O_DUEIN },
	{ "paused", no_argument, NULL, O_PAUSED },
	{ "supplement-pending", no_argument, NULL, O_SUPPL },
	{ "elsewhere", no_argument, NULL, O_ELSEWHERE },
	{ "sort", required_argument, NULL, O_SORT },
	{ "reverse", no_argument, NULL, O_REVERSE },
	{ "waiting", no_argument, NULL, O_WAITING },
	{ NULL, 0, NULL, 0 }
};

struct option *
sel_longopts(const struct option *own)
{
	struct option *o;
	size_t n = 0, m = 0;

	while (own[n].name != NULL)
		n++;
	while (sel_options[m].name != NULL)
		m++;
	o = xreallocarray(NULL, n + m + 1, sizeof(*o));
	memcpy(o, own, n * sizeof(*o));
	memcpy(o + n, sel_options, (m + 1) * sizeof(*o));
	return o;
}

void
sel_init(struct sel *s)
{
	memset(s, 0, sizeof(*s));
	s->due_within = -1;
	s->keyparam = -1;
	buf_init(&s->sql);
	buf_init(&s->match);
}

void
sel_free(struct sel *s)
{
	free(s->qname);
	free(s->params);
	buf_free(&s->sql);
	buf_free(&s->match);
	s->qname = NULL;
	s->params = NULL;
	s->nparams = s->capparams = 0;
}

int
sel_option(struct sel *s, int ch, const char *arg, struct dx_err *e)
{
	const char *errstr;
	long long n;
	int st;

	switch (ch) {
	case O_NAME:
		s->name = arg;
		break;
	case O_IDNUM:
		s->id_number = arg;
		break;
	case O_PHONE:
		s->phone = arg;
		break;
	case O_STATUS:
		if ((st = status_parse(arg)) == -1) {
			char names[256];
			size_t len = 0;
			int i;

			for (i = 1; status_name(i) != NULL; i++)
				len += (size_t)snprintf(names + len,
				    sizeof(names) - len, "%s%s", i > 1 ? ", " :
				    "", status_name(i));
			return dx_seterr(e, DX_USAGE, _("--status: '%s' is not"
			    " one of %s"), arg, names);
		}
		s->statuses |= 1u << st;
		break;
	case O_PROC:
		s->procedure = arg;
		break;
	case O_FIELD:
		s->field = arg;
		break;
	case O_UNIT:
		s->unit = arg;
		break;
	case O_HANDLER:
		s->handler = arg;
		break;
	case O_CHANNEL:
		if (strcmp(arg, "direct") != 0 && strcmp(arg, "online") != 0 &&
		    strcmp(arg, "postal") != 0)
			return dx_seterr(e, DX_USAGE, _("--channel: '%s' is not"
			    " direct, online or postal"), arg);
		s->channel = arg;
		break;
	case O_RFROM:
		if (sel_check_time("--received-from", arg, e) == -1)
			return -1;
		s->recv_from_s = arg;
		break;
	case O_RTO:
		if (sel_check_time("--received-to", arg, e) == -1)
			return -1;
		s->recv_to_s = arg;
		break;
	case O_FFROM:
		if (sel_check_time("--finished-from", arg, e) == -1)
			return -1;
		s->fin_from_s = arg;
		break;
	case O_FTO:
		if (sel_check_time("--finished-to", arg, e) == -1)
			return -1;
		s->fin_to_s = arg;
		break;
	case O_OVERDUE:
		if (arg != NULL && sel_check_time("--overdue", arg, e) == -1)
			return -1;
		s->overdue = 1;
		s->overdue_s = arg;
		break;
	case O_DUEIN:
		if (parse_int(arg, 0, 3650, &n, &errstr) == -1)
			return dx_seterr(e, DX_USAGE, _("--due-within: '%s'"
			    " is %s"), arg, errstr);
		s->due_within = (long)n;
		break;
	case O_PAUSED:
		s->paused = 1;
		break;
	case O_SUPPL:
		s->supplement = 1;
		break;
	case O_ELSEWHERE:
		s->elsewhere = 1;
		break;
	case O_WAITING:
		s->waiting = 1;
		break;
	case O_SORT:
		if (strcmp(arg, "received") == 0)
			s->sort = SEL_SORT_RECEIVED;
		else if (strcmp(arg, "due") == 0)
			s->sort = SEL_SORT_DUE;
		else if (strcmp(arg, "code") == 0)
			s->sort = SEL_SORT_CODE;
		else
			return dx_seterr(e, DX_USAGE, _("--sort: '%s' is not"
			    " received, due or code"), arg);
		s->sort_given = 1;
		return 1;
	case O_REVERSE:
		s->reverse = 1;
		return 1;
	default:
		return 0;
	}
	s->nfilters++;
	return 1;
}

int
sel_parse_time(const struct calendar *cal, const char *what, const char *str,
    dx_time *t, int *incl, struct dx_err *e)
{
	if (cal_parse(cal, str, t) == -1)
		return dx_seterr(e, DX_USAGE, _("%s: '%s' is not an RFC 3339"
		    " time or a date"), what, str);
	if (incl != NULL) {
		/* a date alone ends at the next midnight, exclusive */
		*incl = strlen(str) != 10;
		if (!*incl)
			*t += 86400;
	}
	return 0;
}

int
sel_check_time(const char *what, const char *str, struct dx_err *e)
{
	struct calendar cal;
	dx_time t;
	int r;

	/* the offset moves the instant, never makes a time valid */
	cal_init(&cal);
	r = sel_parse_time(&cal, what, str, &t, NULL, e);
	cal_free(&cal);
	return r;
}

int
sel_resolve(struct sel *s, struct calendar *cal, const char *agency,
    dx_time now, struct dx_err *e)
{
	s->agency = agency;
	s->now = now;
	s->overdue_at = now;
	if (s->overdue_s != NULL && sel_parse_time(cal, "--overdue",
	    s->overdue_s, &s->overdue_at, NULL, e) == -1)
		return -1;
	if (s->recv_from_s != NULL && sel_parse_time(cal, "--received-from",
	    s->recv_from_s, &s->recv_from, NULL, e) == -1)
		return -1;
	if (s->recv_to_s != NULL && sel_parse_time(cal, "--received-to",
	    s->recv_to_s, &s->recv_to, &s->recv_to_incl, e) == -1)
		return -1;
	if (s->fin_from_s != NULL && sel_parse_time(cal, "--finished-from",
	    s->fin_from_s, &s->fin_from, NULL, e) == -1)
		return -1;
	if (s->fin_to_s != NULL && sel_parse_time(cal, "--finished-to",
	    s->fin_to_s, &s->fin_to, &s->fin_to_incl, e) == -1)
		return -1;
	if (s->name != NULL && s->qname == NULL) {
		struct dx_buf b;

		buf_init(&b);
		/* a name that folds to nothing filters nothing */
		fold_name(s->name, &b);
		s->qname = b.buf;
	}
	if (s->due_within >= 0 && cal_add(cal, now, (double)s->due_within,
	    TU_WORKING_DAYS, &s->due_until) == -1)
		return dx_seterr(e, DX_USAGE, _("--due-within: cannot count %ld"
		    " working days"), s->due_within);
	/* a submission waiting for acceptance has no due time yet */
	if (s->waiting && (s->overdue || s->due_within >= 0))
		return dx_seterr(e, DX_USAGE, _("--waiting: a submission not"
		    " yet accepted has no due time (not with %s)"),
		    s->overdue ? "--overdue" : "--due-within");
	if (!s->sort_given && (s->overdue || s->due_within >= 0))
		s->sort = SEL_SORT_DUE;
	/* the oldest first: the order of the counter's queue */
	if (!s->sort_given && s->waiting)
		s->sort = SEL_SORT_RECEIVED;
	return 0;
}

void
sel_open_sql(struct dx_buf *out)
{
	status_open_sql(out, "d.status");
}

static void
param(struct sel *s, const char *text, int64_t i)
{
	if (s->nparams == s->capparams) {
		s->capparams = s->capparams ? s->capparams * 2 : 16;
		s->params = xreallocarray(s->params, (size_t)s->capparams,
		    sizeof(*s->params));
	}
	s->params[s->nparams].s = text;
	s->params[s->nparams++].i = i;
}

/* Append " AND fragment": fragments are constants of this file. */
static void
where(struct sel *s, const char *fragment)
{
	buf_adds(&s->sql, " AND ");
	buf_adds(&s->sql, fragment);
}

/* " AND (d.status = 2 OR ... d.status = 6)" and `more` */
static void
where_open(struct sel *s, const char *more)
{
	buf_adds(&s->sql, " AND ");
	sel_open_sql(&s->sql);
	buf_adds(&s->sql, more);
}

/* The MATCH of the name, ID number and phone filters; 0 or -1. */
static int
build_match(struct sel *s, struct db *db, struct dx_err *e)
{
	struct dx_buf *m = &s->match;
	int r;

	buf_reset(m);
	if (s->qname != NULL) {
		/* in brackets: it may be an OR, and AND binds tighter */
		buf_adds(m, "(");
		r = search_name_expr(db, s->qname, m, e);
		buf_adds(m, ")");
		if (r == -1)
			return -1;
		if (r == 0)
			return dx_seterr(e, DX_USAGE, _("--name: nothing to"
			    " search for"));
	}
	if (s->id_number != NULL) {
		if (m->len > 0)
			buf_adds(m, " AND ");
		if (search_number_expr(s->id_number, m) == 0)
			return dx_seterr(e, DX_USAGE, _("--id-number: nothing"
			    " to search for"));
	}
	if (s->phone != NULL) {
		if (m->len > 0)
			buf_adds(m, " AND ");
		if (search_number_expr(s->phone, m) == 0)
			return dx_seterr(e, DX_USAGE, _("--phone: nothing to"
			    " search for"));
	}
	return 0;
}

int
sel_build(struct sel *s, struct db *db, const char *columns, int keyed,
    struct dx_err *e)
{
	const char *dir = s->reverse ? " DESC" : "";
	int st, first;

	buf_reset(&s->sql);
	s->nparams = 0;
	s->keyparam = -1;
	if (build_match(s, db, e) == -1)
		return -1;
	buf_adds(&s->sql, "SELECT ");
	buf_adds(&s->sql, columns);
	/*
	 * A search by name, ID number or phone alone starts from the search
	 * index and joins each dossier it gives, in rowid order (CROSS JOIN
	 * keeps that order of the loops): rows come as they are found, and
	 * a limit stops the search early.  With other filters, which may
	 * select fewer rows than the name, the index's rows are gathered
	 * once (IN) and the planner chooses; never the index inside the
	 * loop, which would run the search again for each dossier.
	 */
	s->stream = s->match.len > 0 && !keyed && s->nfilters ==
	    (s->qname != NULL) + (s->id_number != NULL) + (s->phone != NULL);
	if (s->stream) {
		buf_adds(&s->sql, " FROM dossier_search fts"
		    " CROSS JOIN dossiers d ON d.id = fts.rowid");
		buf_adds(&s->sql, rec_joins_sql);
		buf_adds(&s->sql, " WHERE fts.dossier_search MATCH ?");
		param(s, s->match.buf, 0);
	} else {
		buf_adds(&s->sql, rec_from_sql);
		buf_adds(&s->sql, " WHERE 1");
		if (s->match.len > 0) {
			where(s, "d.id IN (SELECT rowid FROM dossier_search"
			    " WHERE dossier_search MATCH ?)");
			param(s, s->match.buf, 0);
		}
	}
	if (keyed) {
		where(s, "d.id = ?");
		s->keyparam = s->nparams;
		param(s, NULL, 0);
	}
	if (s->id_number != NULL) {
		where(s, "json_extract(d.applicant, '$.id_number') = ?");
		param(s, s->id_number, 0);
	}
	if (s->phone != NULL) {
		where(s, "json_extract(d.applicant, '$.phone') = ?");
		param(s, s->phone, 0);
	}
	if (s->statuses != 0) {
		int open = 1;

		first = 1;
		for (st = 1; st <= 10; st++) {
			if (!(s->statuses & (1u << st)))
				continue;
			if (first)
				where(s, "d.status IN (?");
			else
				buf_adds(&s->sql, ", ?");
			param(s, NULL, st);
			open &= status_is_open(st);
			first = 0;
		}
		buf_adds(&s->sql, ")");
		/*
		 * Open statuses only: say so in the words of the partial
		 * index of open dossiers, which SQLite cannot read from
		 * bound values, so that it may use it.
		 */
		if (open)
			where_open(s, "");
	}
	if (s->procedure != NULL) {
		where(s, "p.code = ?");
		param(s, s->procedure, 0);
	}
	if (s->field != NULL) {
		where(s, "p.field = ?");
		param(s, s->field, 0);
	}
	if (s->unit != NULL) {
		where(s, "d.unit = ?");
		param(s, s->unit, 0);
	}
	if (s->handler != NULL) {
		where(s, "d.handler = ?");
		param(s, s->handler, 0);
	}
	if (s->channel != NULL) {
		where(s, "d.channel = ?");
		param(s, s->channel, 0);
	}
	if (s->recv_from != 0) {
		where(s, "d.received_at >= ?");
		param(s, NULL, s->recv_from);
	}
	if (s->recv_to != 0) {
		where(s, s->recv_to_incl ? "d.received_at <= ?" :
		    "d.received_at < ?");
		param(s, NULL, s->recv_to);
	}
	if (s->fin_from != 0) {
		where(s, "d.finished_at >= ?");
		param(s, NULL, s->fin_from);
	}
	if (s->fin_to != 0) {
		where(s, s->fin_to_incl ? "d.finished_at <= ?" :
		    "d.finished_at < ?");
		param(s, NULL, s->fin_to);
	}
	if (s->overdue) {
		/*
		 * Open dossiers past due; a paused one counts its pause
		 * start as its end (Decision 766 subtracts the waiting).
		 */
		where_open(s, " AND d.due_at < ?"
		    " AND (d.paused_at IS NULL OR d.due_at < d.paused_at)");
		param(s, NULL, s->overdue_at);
	}
	if (s->due_within >= 0) {
		where_open(s, " AND d.due_at >= ? AND d.due_at <= ?");
		param(s, NULL, s->now);
		param(s, NULL, s->due_until);
	}
	if (s->live_to != 0) {
		/*
		 * Three index ranges, one for each side of the OR, each
		 * bounded on its index; or none (a unary + keeps a column's
		 * term off its index), to read the table through.
		 */
		where(s, s->live_scan ? "+d.received_at < ? AND"
		    " (+d.received_at >= ? OR +d.finished_at >= ?"
		    " OR +d.finished_at IS NULL)" :
		    "((d.received_at < ? AND d.received_at >= ?)"
		    " OR (d.finished_at >= ? AND d.received_at < ?)"
		    " OR (d.finished_at IS NULL AND d.received_at < ?))");
		param(s, NULL, s->live_to);
		param(s, NULL, s->live_from);
		param(s, NULL, s->live_from);
		if (!s->live_scan) {
			param(s, NULL, s->live_from);
			param(s, NULL, s->live_from);
		}
	}
	if (s->paused)
		where(s, "d.paused_at IS NOT NULL");
	if (s->supplement)
		where(s, "d.status = 5");
	if (s->waiting)
		where(s, "d.status = 1");
	if (s->elsewhere) {
		where(s, "d.owner <> ?");
		param(s, s->agency, 0);
	}
	if (s->unordered)
		return 0;
	switch (s->sort) {
	case SEL_SORT_RECEIVED:
		buf_printf(&s->sql, " ORDER BY d.received_at%s, d.id%s", dir,
		    dir);
		break;
	case SEL_SORT_DUE:
		buf_printf(&s->sql, " ORDER BY d.due_at%s, d.id%s", dir, dir);
		break;
	case SEL_SORT_CODE:
		buf_printf(&s->sql, " ORDER BY d.code%s", dir);
		break;
	default:
		/* the search index gives its rows in this order */
		buf_printf(&s->sql, " ORDER BY %s%s", s->stream ? "fts.rowid" :
		    "d.id", dir);
		break;
	}
	return 0;
}

sqlite3_stmt *
sel_prepare(struct sel *s, struct db *db, const char *columns, int keyed,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	int i, rc = SQLITE_OK;

	if (sel_build(s, db, columns, keyed, e) == -1)
		return NULL;
	if ((st = db_prepare(db, s->sql.buf, 1, e)) == NULL)
		return NULL;
	for (i = 0; i < s->nparams && rc == SQLITE_OK; i++) {
		if (s->params[i].s != NULL)
			rc = sqlite3_bind_text(st, i + 1, s->params[i].s, -1,
			    SQLITE_STATIC);
		else
			rc = sqlite3_bind_int64(st, i + 1, s->params[i].i);
	}
	if (rc != SQLITE_OK) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int
sel_match(const struct sel *s, const char *name, struct dx_buf *scratch)
{
	if (s->qname == NULL)
		return 1;
	buf_reset(scratch);
	fold_name(name, scratch);
	return fold_match(scratch->len > 0 ? scratch->buf : "", s->qname);
}
