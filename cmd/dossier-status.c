/*
 * dossier-status: find dossiers and show where they are.  Looks dossiers
 * up by code, UUID or ref, by applicant name (ignoring diacritics and
 * case), ID number or phone, or lists those that match a set of filters
 * (status, procedure, unit, overdue, due soon ...), and prints them as
 * dossier records (JSON lines), a table or CSV; or prints their event
 * history, an explanation of their due time, or their forms 01 and 06;
 * or the queue of online submissions waiting for acceptance, each with
 * the working time it has waited.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common.h"
#include "forms.h"

enum { MODE_LIST, MODE_HISTORY, MODE_EXPLAIN, MODE_FORM };

/* --format portal: the national portal's shape (portal.h) */
#define FMT_PORTAL (ROWS_CSV + 1)

/* Extra columns after the record's (REC_NCOLS of them). */
enum {
	X_ID = REC_NCOLS, X_PAUSED_AT, X_NAME, X_IDNUM, X_PHONE, X_STEP_AT,
	X_STEP_DUE_AT, X_PAUSED_TOTAL, X_SINCE
};

static struct {
	struct db *db;
	struct calendar cal;
	struct office office;
	struct recbuilder rb;
	sqlite3_stmt *list;		/* the query */
	sqlite3_stmt *events;		/* a dossier's events */
	sqlite3_stmt *clockev;		/* the same for clock_read() */
	dx_time now;
	int format, mode, bom;
	long limit, printed;
	struct sel sel;			/* the filters, the query */
	/* output */
	struct dx_buf out;
	struct rows *rows;		/* the table and CSV writer */
	int form;
	enum form_format formfmt;
	struct form_writer *fw;
	struct rec_book book;		/* the lines of the register book */
	json_t *book_rows;		/* --form register: its dossiers */
	int failed;			/* an operand was not found */
	struct unitinfo *units;		/* for --explain, loaded once */
	size_t nunits;
} g;

static const struct cli cli = {
	    "usage: dossier-status [-d dbfile]"
	    " [--format json|table|csv|portal] [--bom]\n"
	    "                      [--history | --explain |\n"
	    "                      -f receipt|tracking|register"
	    " [--form-format text|html]]\n"
	    "                      [--now time]\n"
	    "                      [--name text] [--id-number number]"
	    " [--phone number]\n"
	    "                      [--status status] [--procedure code]"
	    " [--field field]\n"
	    "                      [--unit code] [--handler login]"
	    " [--channel channel]\n"
	    "                      [--received-from time] [--received-to"
	    " time]\n"
	    "                      [--finished-from time] [--finished-to"
	    " time]\n"
	    "                      [--overdue[=time]] [--due-within days]"
	    " [--paused]\n"
	    "                      [--supplement-pending] [--elsewhere]"
	    " [--waiting]\n"
	    "                      [--sort received|due|code] [--reverse]"
	    " [-n limit]\n"
	    "                      [code | uuid | ref ...]\n"
	    "       dossier-status --help | --version\n",
	"  -d, --db FILE              the office database (default:"
	" $DOSSIER_DB)\n"
	"      --format FORMAT        json, table, csv or portal (default:"
	" table on a terminal)\n"
	"      --bom                  CSV for a spreadsheet program\n"
	"      --history              the events of each dossier\n"
	"      --explain              how each due time was counted\n"
	"  -f, --form receipt|tracking|register  print form 01, form 06\n"
	"                             or the register book of a period\n"
	"      --form-format text|html  the forms as text (default) or HTML\n"
	"      --now TIME             count as at TIME instead of now\n"
	"      --name TEXT            applicants whose name has these words\n"
	"      --id-number NUMBER     applicants with this ID number\n"
	"      --phone NUMBER         applicants with this phone\n"
	"      --status STATUS        dossiers in STATUS (repeat for several)\n"
	"      --procedure CODE       of this procedure\n"
	"      --field FIELD          of procedures in this field\n"
	"      --unit CODE            handled in this unit\n"
	"      --handler LOGIN        handled by this staff member\n"
	"      --channel CHANNEL      direct, online or postal\n"
	"      --received-from TIME   received at or after TIME\n"
	"      --received-to TIME     received before TIME\n"
	"      --finished-from TIME   finished at or after TIME\n"
	"      --finished-to TIME     finished before TIME\n"
	"      --overdue[=TIME]       open and past due (now, or at TIME)\n"
	"      --due-within DAYS      open and due within DAYS working days\n"
	"      --paused               with the clock paused\n"
	"      --supplement-pending   waiting for a supplement\n"
	"      --elsewhere            forwarded to another office\n"
	"      --waiting              online submissions waiting for"
	" acceptance, oldest first\n"
	"      --sort KEY             received, due or code\n"
	"      --reverse              the other way round\n"
	"  -n, --limit N              at most N dossiers\n"
	"      --help                 this text\n"
	"      --version              the version and the database schema"
	" version\n"
};

/* ---- writing ---------------------------------------------------------- */

static void
put(const char *s, size_t n)
{
	if (n > 0)
		fwrite(s, 1, n, stdout);
}

static void
puts_nl(struct dx_buf *b)
{
	buf_add(b, "\n", 1);
	put(b->buf, b->len);
	buf_reset(b);
}

/* ---- the table and CSV formats ---------------------------------------- */

/* A row of the list: the record's fields and the query's extra columns. */
struct lrow {
	const struct rec_fields *f;
	sqlite3_stmt *st;
	dx_time since;		/* --waiting: waiting since */
	int64_t waited;		/* and the working seconds since then */
};

#define F(r) (((const struct lrow *)(r))->f)
#define X(r, col) ((const char *)sqlite3_column_text( \
	((const struct lrow *)(r))->st, (col)))

static void c_code(const void *r, struct cell *v) { v->s = F(r)->code; }
static void c_uuid(const void *r, struct cell *v) { v->s = F(r)->uuid; }
static void c_ref(const void *r, struct cell *v) { v->s = F(r)->ref; }
static void c_status(const void *r, struct cell *v) { v->i = F(r)->status; }
static void
c_status_name(const void *r, struct cell *v)
{
	v->s = status_name(F(r)->status);
}
static void c_proc(const void *r, struct cell *v) { v->s = F(r)->procedure; }
static void c_field(const void *r, struct cell *v) { v->s = F(r)->field; }
static void c_unit(const void *r, struct cell *v) { v->s = F(r)->unit; }
static void c_owner(const void *r, struct cell *v) { v->s = F(r)->owner; }
static void c_channel(const void *r, struct cell *v) { v->s = F(r)->channel; }
static void
c_step(const void *r, struct cell *v)
{
	v->i = F(r)->step;
	v->null = F(r)->step <= 0;
}
static void c_handler(const void *r, struct cell *v) { v->s = F(r)->handler; }
static void c_name(const void *r, struct cell *v) { v->s = X(r, X_NAME); }
static void c_idnum(const void *r, struct cell *v) { v->s = X(r, X_IDNUM); }
static void c_phone(const void *r, struct cell *v) { v->s = X(r, X_PHONE); }
static void c_recv(const void *r, struct cell *v) { v->i = F(r)->received_at; }
static void c_start(const void *r, struct cell *v) { v->i = F(r)->start_at; }
static void c_due(const void *r, struct cell *v) { v->i = F(r)->due_at; }
static void c_fin(const void *r, struct cell *v) { v->i = F(r)->finished_at; }
static void c_ret(const void *r, struct cell *v) { v->i = F(r)->returned_at; }
static void c_version(const void *r, struct cell *v) { v->i = F(r)->version; }
static void
c_proc_name(const void *r, struct cell *v)
{
	v->s = F(r)->procedure_name;
}
static void
c_unit_name(const void *r, struct cell *v)
{
	v->s = F(r)->unit_name;
}

static void
c_since(const void *r, struct cell *v)
{
	v->i = ((const struct lrow *)r)->since;
}
static void
c_waited_s(const void *r, struct cell *v)
{
	v->i = ((const struct lrow *)r)->waited;
}

/* Working seconds as the table shows them: "1 d 2 h 5 min". */
static void
c_waited(const void *r, struct cell *v)
{
	static char buf[64];
	int64_t s = ((const struct lrow *)r)->waited;
	int64_t day = cal_day_seconds(&g.cal);

	snprintf(buf, sizeof(buf), "%lld d %lld h %lld min",
	    (long long)(s / day), (long long)(s % day / 3600),
	    (long long)(s % 3600 / 60));
	v->s = buf;
}

/* The columns of --format csv (all) and table (those with a heading). */
static const struct col list_cols[] = {
	{ "code", COL_TEXT, c_code, "CODE", 1 },
	{ "uuid", COL_TEXT, c_uuid, NULL, 0 },
	{ "ref", COL_TEXT, c_ref, NULL, 0 },
	{ "status", COL_INT, c_status, NULL, 0 },
	{ "status_name", COL_TEXT, c_status_name, "STATUS", 2 },
	{ "procedure", COL_TEXT, c_proc, "PROCEDURE", 3 },
	{ "field", COL_TEXT, c_field, NULL, 0 },
	{ "unit", COL_TEXT, c_unit, NULL, 0 },
	{ "owner", COL_TEXT, c_owner, NULL, 0 },
	{ "channel", COL_TEXT, c_channel, NULL, 0 },
	{ "step", COL_INT, c_step, NULL, 0 },
	{ "handler", COL_TEXT, c_handler, "HANDLER", 7 },
	{ "applicant_name", COL_TEXT, c_name, "APPLICANT", 4 },
	{ "applicant_id_number", COL_TEXT, c_idnum, NULL, 0 },
	{ "applicant_phone", COL_TEXT, c_phone, NULL, 0 },
	{ "received_at", COL_TIME, c_recv, "RECEIVED", 5 },
	{ "start_at", COL_TIME, c_start, NULL, 0 },
	{ "due_at", COL_TIME, c_due, "DUE", 6 },
	{ "finished_at", COL_TIME, c_fin, NULL, 0 },
	{ "returned_at", COL_TIME, c_ret, NULL, 0 },
	{ "version", COL_INT, c_version, NULL, 0 },
	/* added last, so that the columns before keep their places */
	{ "procedure_name", COL_TEXT, c_proc_name, NULL, 0 },
	{ "unit_name", COL_TEXT, c_unit_name, NULL, 0 },
	/* --waiting only: the queue of submissions */
	{ "waiting_since", COL_TIME, c_since, NULL, 0 },
	{ "waited_seconds", COL_INT, c_waited_s, NULL, 0 },
	{ "waited", COL_TEXT, c_waited, "WAITED", 8 },
};

/* The columns after list_cols[NLIST] are those of --waiting. */
#define NLIST (sizeof(list_cols) / sizeof(list_cols[0]) - 3)

#undef F
#undef X

/*
 * Write a JSON record (history, explain) through the one JSON writer.  A
 * record that cannot be written stops the tool: a missing line would pass
 * for a dossier without events.
 */
static void
put_record(const json_t *o, const struct rec_fields *f)
{
	if (jsonl_write(stdout, o) == -1) {
		if (ferror(stdout))
			dx_die(DX_IOERR, _("stdout: write error"));
		dx_die(DX_SOFTWARE, "%s: cannot encode the record", f->code);
	}
}

/* ---- history ------------------------------------------------------------ */

/* Times in a payload's before/after objects become RFC 3339 strings. */
static json_t *
times_rfc3339(json_t *o)
{
	const char *k;
	json_t *v;
	char buf[40];
	size_t n;

	if (!json_is_object(o))
		return o;
	json_object_foreach(o, k, v) {
		n = strlen(k);
		if (n > 3 && strcmp(k + n - 3, "_at") == 0 &&
		    json_is_integer(v)) {
			cal_format(&g.cal, json_integer_value(v), buf);
			json_object_set_new(o, k, json_string(buf));
		}
	}
	return o;
}

/* The dossier's events, in order: a statement to step, bound to uuid. */
static sqlite3_stmt *
events_of(const char *uuid)
{
	struct dx_err e;

	if (g.events == NULL && (g.events = db_prepare(g.db,
	    "SELECT seq, origin, action, actor, at, payload FROM events"
	    " WHERE dossier = ? ORDER BY id", 1, &e)) == NULL)
		dx_die_err(&e);
	sqlite3_reset(g.events);
	sqlite3_bind_text(g.events, 1, uuid, -1, SQLITE_TRANSIENT);
	return g.events;
}

static json_t *
payload_of(sqlite3_stmt *st)
{
	json_t *p;

	p = json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);
	if (p == NULL)
		p = json_object();
	return p;
}

static int
step_row(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	struct dx_err e;

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_seterr(g.db, rc, &e, g.db->path);
	dx_die_err(&e);
}

/*
 * A value of a payload as the table shows it: a time (a key ending in
 * "_at") as "2026-03-12 09:00" in office time, anything else as JSON.
 * Freed by the caller.
 */
static char *
value_text(const char *k, json_t *v)
{
	char full[40], buf[40];
	size_t n = strlen(k);

	if (n > 3 && strcmp(k + n - 3, "_at") == 0 && json_is_integer(v)) {
		cal_format(&g.cal, json_integer_value(v), full);
		snprintf(buf, sizeof(buf), "%.10s %.5s", full, full + 11);
		return xstrdup(buf);
	}
	return xjson_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* A readable "key a → b" list of what an event changed. */
static void
changes_text(struct dx_buf *b, json_t *before, json_t *after)
{
	const char *k;
	json_t *v;
	char *s1, *s2;
	int first = 1;

	json_object_foreach(after, k, v) {
		if (strcmp(k, "version") == 0)
			continue;
		s1 = value_text(k, json_object_get(before, k));
		s2 = value_text(k, v);
		buf_printf(b, "%s%s %s → %s", first ? "" : ", ", k,
		    s1 ? s1 : "null", s2 ? s2 : "null");
		free(s1);
		free(s2);
		first = 0;
	}
}

static void
history(const struct rec_fields *f)
{
	sqlite3_stmt *st = events_of(f->uuid);
	json_t *p, *o;
	const char *keys[] = { "reason", "to", "step_result", NULL };
	char at[40];
	int i;

	if (g.format == ROWS_TABLE)
		printf("%s\n", f->code);
	while (step_row(st)) {
		p = payload_of(st);
		cal_format(&g.cal, sqlite3_column_int64(st, 4), at);
		if (g.format == ROWS_TABLE) {
			struct dx_buf b;

			buf_init(&b);
			changes_text(&b, json_object_get(p, "before"),
			    json_object_get(p, "after"));
			for (i = 0; keys[i] != NULL; i++)
				if (json_string_value(json_object_get(p,
				    keys[i])) != NULL)
					buf_printf(&b, "%s%s: %s",
					    b.len ? ", " : "", keys[i],
					    json_string_value(json_object_get(
					    p, keys[i])));
			printf("  %3lld  %.10s %.5s  %-20s %-12s %s\n",
			    (long long)sqlite3_column_int64(st, 0), at, at + 11,
			    (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3),
			    b.len ? b.buf : "");
			buf_free(&b);
			json_decref(p);
			continue;
		}
		o = json_object();
		json_object_set_new(o, "v", json_integer(1));
		json_object_set_new(o, "code", json_string(f->code));
		json_object_set_new(o, "seq", json_integer(
		    sqlite3_column_int64(st, 0)));
		json_object_set_new(o, "origin", json_string(
		    (const char *)sqlite3_column_text(st, 1)));
		json_object_set_new(o, "action", json_string(
		    (const char *)sqlite3_column_text(st, 2)));
		json_object_set_new(o, "actor", json_string(
		    (const char *)sqlite3_column_text(st, 3)));
		json_object_set_new(o, "at", json_string(at));
		json_object_set(o, "before", json_object_get(p, "before") ?
		    times_rfc3339(json_object_get(p, "before")) : json_null());
		json_object_set(o, "after", json_object_get(p, "after") ?
		    times_rfc3339(json_object_get(p, "after")) : json_null());
		for (i = 0; keys[i] != NULL; i++) {
			json_t *v = json_object_get(p, keys[i]);

			json_object_set(o, keys[i], v ? v : json_null());
		}
		put_record(o, f);
		json_decref(o);
		json_decref(p);
	}
	sqlite3_reset(st);
}

/* ---- explain ------------------------------------------------------------ */

static json_t *
jtime(dx_time t)
{
	char buf[40];

	if (t == 0)
		return json_null();
	cal_format(&g.cal, t, buf);
	return json_string(buf);
}

/* An amount of time as {"amount", "unit"}: whole amounts as integers. */
static json_t *
jamount(double amount, const char *unit)
{
	json_t *a = amount == (double)(json_int_t)amount ?
	    json_integer((json_int_t)amount) : json_real(amount);

	return json_pack("{s:o,s:s}", "amount", a, "unit", unit);
}

/* The working day of jspan(): of the hours the dossier started under. */
static int64_t span_day;

/* Working seconds as {"seconds", "days", "hours", "minutes"}. */
static json_t *
jspan(int64_t s)
{
	int64_t day = span_day > 0 ? span_day : cal_day_seconds(&g.cal);

	return json_pack("{s:I,s:I,s:I,s:I}", "seconds", (json_int_t)s,
	    "days", (json_int_t)(s / day), "hours",
	    (json_int_t)(s % day / 3600), "minutes",
	    (json_int_t)(s % 3600 / 60));
}

static dx_time
jint_time(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (dx_time)json_integer_value(v) : 0;
}

static const char *const kind_names[] = {
	"weekend", "holiday", "compensatory", "workday"
};

/* The days between start and due that are not plain working days. */
static json_t *
explain_days(dx_time start, dx_time due)
{
	static const char *const wd[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	json_t *a = json_array();
	struct cal_day info;
	int64_t d, d1;
	char date[16];
	int work;

	if (start == 0 || due == 0)
		return a;
	d1 = cal_local_day(&g.cal, due);
	for (d = cal_local_day(&g.cal, start); d <= d1; d++) {
		work = cal_day_info(&g.cal, d, &info);
		if (work && info.kind == CAL_PLAIN)
			continue;
		cal_format_day(d, date);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o,s:b}",
		    "date", date, "weekday", wd[weekday_of(d)],
		    "kind", kind_names[info.kind],
		    "name", info.kind == CAL_PLAIN ? json_null() :
		    json_string(info.name), "counted", work));
	}
	return a;
}

/*
 * Whether the remote extra time applied to dossier f: only a dossier
 * received by a unit that is remote, or under a remote unit, has it
 * (dossier-route and dossier-new count it so).
 */
static int
remote_applied(const struct rec_fields *f)
{
	struct unitinfo *u;
	struct dx_err e;

	if (f->remote_unit == NULL || f->remote_amount <= 0 || f->unit == NULL)
		return 0;
	if (g.units == NULL && (g.units = units_load(g.db, &g.nunits,
	    &e)) == NULL)
		dx_die_err(&e);
	u = units_find(g.units, g.nunits, f->unit);
	return u != NULL && u->remote;
}

/* The pauses of the clock as explain prints them. */
static json_t *
explain_pauses(const struct clock *c)
{
	const struct clock_pause *p;
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < c->npauses; i++) {
		p = &c->pauses[i];
		o = json_pack("{s:s,s:o,s:o,s:I}", "kind", p->fee ? "fee" :
		    "supplement", "from", jtime(p->from), "to", jtime(p->to),
		    "working_seconds", (json_int_t)p->working);
		if (p->to == 0) {
			/* still running: its working time so far */
			json_object_set_new(o, "due_at", jtime(p->due_at));
			json_object_set_new(o, "so_far", jspan(p->working));
		} else {
			json_object_set_new(o, "added", jspan(p->working));
			json_object_set_new(o, "due_before",
			    jtime(p->due_before));
			json_object_set_new(o, "due_after",
			    jtime(p->due_after));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
explain_restarts(const struct clock *c)
{
	const struct clock_restart *r;
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < c->nrestarts; i++) {
		r = &c->restarts[i];
		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o}",
		    "requested_at", jtime(r->requested_at), "at", jtime(r->at),
		    "start_at", jtime(r->start_at),
		    "due_before", jtime(r->due_before),
		    "due_after", jtime(r->due_after)));
	}
	return a;
}

static void
explain(const struct rec_fields *f, sqlite3_stmt *row)
{
	struct clock c;
	struct dx_err e;
	json_t *o, *pauses, *restarts, *ext, *late;
	dx_time paused_at;
	char *rule;
	size_t n;
	int remote = remote_applied(f);

	paused_at = sqlite3_column_type(row, X_PAUSED_AT) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(row, X_PAUSED_AT);
	if (clock_read(&c, g.db, &g.clockev, &g.cal, f, paused_at, g.now,
	    &e) == -1)
		dx_die_err(&e);
	span_day = cal_day_seconds_on(&g.cal, cal_local_day(&g.cal,
	    f->start_at != 0 ? f->start_at : f->received_at));
	pauses = explain_pauses(&c);
	restarts = explain_restarts(&c);
	ext = !c.extended ? json_null() : json_pack("{s:o,s:o,s:o,s:o,s:b}",
	    "at", jtime(c.ext.at), "due_before", jtime(c.ext.due_before),
	    "due_after", jtime(c.ext.due_after), "reason",
	    jx_strornull(c.ext.reason), "late", c.ext.late);
	late = json_array();
	for (n = 0; n < c.nlates; n++)
		json_array_append_new(late, json_pack("{s:s,s:o}", "action",
		    c.lates[n].action, "at", jtime(c.lates[n].at)));
	rule = clock_result_rule(&c, &g.cal);

	o = json_object();
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "code", json_string(f->code));
	json_object_set_new(o, "procedure", json_string(f->procedure));
	json_object_set_new(o, "channel", json_string(f->channel));
	json_object_set_new(o, "received_at", jtime(f->received_at));
	json_object_set_new(o, "counted_from", jtime(c.basis));
	json_object_set_new(o, "start_at", jtime(f->start_at));
	json_object_set_new(o, "start_reason", json_string(c.start_reason));
	json_object_set_new(o, "time", f->time_unit == NULL ? json_null() :
	    jamount(f->time_amount, f->time_unit));
	json_object_set_new(o, "remote_extra", !remote ? json_null() :
	    jamount(f->remote_amount, f->remote_unit));
	json_object_set_new(o, "days", explain_days(f->start_at, f->due_at));
	json_object_set_new(o, "pauses", pauses);
	json_object_set_new(o, "restarts", restarts);
	json_object_set_new(o, "extension", ext);
	json_object_set_new(o, "due_at", jtime(f->due_at));
	json_object_set_new(o, "original_due_at", jtime(f->original_due_at));
	json_object_set_new(o, "late_acts", late);
	json_object_set_new(o, "result", jx_strornull(f->result));
	json_object_set_new(o, "result_rule", jx_strornull(rule));
	json_object_set_new(o, "finished_at", jtime(f->finished_at));
	json_object_set_new(o, "now", jtime(g.now));
	json_object_set_new(o, "as_of", jtime(c.as_of));
	json_object_set_new(o, "state",
	    json_string(clock_state_name(c.state)));
	json_object_set_new(o, "used", c.counted ? jspan(c.used) : json_null());
	json_object_set_new(o, "left", c.counted && !c.late ? jspan(c.left) :
	    json_null());
	json_object_set_new(o, "overrun", c.counted && c.late ?
	    jspan(c.overrun) : json_null());

	if (g.format == ROWS_TABLE) {
		json_t *v, *x;
		size_t i;

		printf("%s  %s\n", f->code, f->procedure_name ?
		    f->procedure_name : "");
		printf("  received      %s (%s)\n",
		    json_string_value(json_object_get(o, "received_at")),
		    f->channel);
		if (c.basis != f->received_at)
			printf("  counted from  %s\n", json_string_value(
			    json_object_get(o, "counted_from")));
		printf("  start         %s: %s\n",
		    f->start_at ? json_string_value(json_object_get(o,
		    "start_at")) : "-",
		    json_string_value(json_object_get(o, "start_reason")));
		if (f->time_unit != NULL)
			printf("  budget        %g %s\n", f->time_amount,
			    f->time_unit);
		if (remote)
			printf("  remote extra  %g %s\n", f->remote_amount,
			    f->remote_unit);
		json_array_foreach(json_object_get(o, "days"), i, v)
			printf("  %-12s  %s %s %s%s%s\n",
			    json_string_value(json_object_get(v, "date")),
			    json_string_value(json_object_get(v, "weekday")),
			    json_is_true(json_object_get(v, "counted")) ?
			    "counted:" : "skipped:",
			    json_string_value(json_object_get(v, "kind")),
			    json_string_value(json_object_get(v, "name")) ?
			    " " : "",
			    json_string_value(json_object_get(v, "name")) ?
			    json_string_value(json_object_get(v, "name")) :
			    "");
		json_array_foreach(pauses, i, v) {
			x = json_object_get(v, "to");
			printf("  pause         %s %s -> %s: +%lld working"
			    " seconds\n",
			    json_string_value(json_object_get(v, "kind")),
			    json_string_value(json_object_get(v, "from")),
			    json_is_string(x) ? json_string_value(x) :
			    "(running)", (long long)json_integer_value(
			    json_object_get(v, "working_seconds")));
		}
		json_array_foreach(restarts, i, v)
			printf("  restart       %s: due %s\n",
			    json_string_value(json_object_get(v, "at")),
			    json_string_value(json_object_get(v,
			    "due_after")));
		if (json_is_object(ext))
			printf("  extension     %s: due %s -> %s\n",
			    json_string_value(json_object_get(ext, "at")),
			    json_string_value(json_object_get(ext,
			    "due_before")),
			    json_string_value(json_object_get(ext,
			    "due_after")));
		if (f->original_due_at != f->due_at)
			printf("  first due     %s\n", json_string_value(
			    json_object_get(o, "original_due_at")));
		printf("  due           %s\n", f->due_at ?
		    json_string_value(json_object_get(o, "due_at")) : "-");
		json_array_foreach(late, i, v)
			printf("  late          %s at %s\n",
			    json_string_value(json_object_get(v, "action")),
			    json_string_value(json_object_get(v, "at")));
		if (rule != NULL)
			printf("  result        %s: %s\n", f->result, rule);
		printf("  as of         %s (%s)\n", json_string_value(
		    json_object_get(o, "as_of")), clock_state_name(c.state));
		for (i = 0; i < 3; i++) {
			static const char *const k[] = {
				"used", "left", "overrun"
			};

			v = json_object_get(o, k[i]);
			if (json_is_object(v))
				printf("  %-12s  %lld d %lld h %lld min"
				    " (%lld working seconds)\n", k[i],
				    (long long)json_integer_value(
				    json_object_get(v, "days")),
				    (long long)json_integer_value(
				    json_object_get(v, "hours")),
				    (long long)json_integer_value(
				    json_object_get(v, "minutes")),
				    (long long)json_integer_value(
				    json_object_get(v, "seconds")));
		}
	} else
		put_record(o, f);
	json_decref(o);
	free(rule);
	clock_free(&c);
}

/* ---- forms ------------------------------------------------------------- */

/* The name of a unit or staff member (new, or NULL), from the catalog. */
static char *
catalog_name(enum catalog_kind kind, const char *key)
{
	struct catalog_entry c;
	struct dx_err e;
	char *s;

	if (catalog_lookup(g.db, kind, key, &c, &e) == -1)
		dx_die_err(&e);
	s = c.name;
	c.name = NULL;
	catalog_entry_free(&c);
	return s;
}

static char *
unit_name(const char *code)
{
	return catalog_name(CATALOG_UNIT, code);
}

static char *
staff_name(const char *login)
{
	return catalog_name(CATALOG_STAFF, login);
}

/* The rows of form 06: the dossier's hand-overs from its events. */
static json_t *
tracking_steps(const struct rec_fields *f)
{
	/* the hand-overs, with the note form 06 prints for each */
	static const char *const moves[] = {
		"start", "next", "back", "forward", "finish", "reject",
		"return", NULL
	};
	static const char *const notes[] = {
		"Phân công xử lý", "Chuyển bước tiếp theo",
		"Trả lại bước trước", "Chuyển xử lý", "Hoàn thành giải quyết",
		"Từ chối giải quyết", "Trả kết quả"
	};
	sqlite3_stmt *st = events_of(f->uuid);
	json_t *steps = json_array(), *p, *af, *row;
	char *unit = xstrdup(f->unit), *from, *to, *who;
	const char *action, *h;
	int i;

	while (step_row(st)) {
		action = (const char *)sqlite3_column_text(st, 2);
		p = payload_of(st);
		af = json_object_get(p, "after");
		if (strcmp(action, "receive") == 0 && json_is_string(
		    json_object_get(p, "unit"))) {
			free(unit);
			unit = xstrdup(json_string_value(json_object_get(p,
			    "unit")));
		}
		for (i = 0; moves[i] != NULL; i++)
			if (strcmp(action, moves[i]) == 0)
				break;
		if (moves[i] == NULL) {
			json_decref(p);
			continue;
		}
		from = unit_name(unit);
		if (json_is_string(json_object_get(af, "unit"))) {
			free(unit);
			unit = xstrdup(json_string_value(json_object_get(af,
			    "unit")));
		} else if (json_is_string(json_object_get(af, "owner"))) {
			free(unit);
			unit = xstrdup(json_string_value(json_object_get(af,
			    "owner")));
		}
		to = unit_name(unit);
		h = json_string_value(json_object_get(af, "handler"));
		who = staff_name(h != NULL ? h :
		    (const char *)sqlite3_column_text(st, 3));
		row = json_object();
		json_object_set_new(row, "from_unit", jx_strornull(from ?
		    from : unit));
		json_object_set_new(row, "to_unit", jx_strornull(to ? to :
		    unit));
		json_object_set_new(row, "handed_at",
		    jtime(sqlite3_column_int64(st, 4)));
		json_object_set_new(row, "due_at", jtime(jint_time(af,
		    "step_due_at") ? jint_time(af, "step_due_at") :
		    f->due_at));
		/* the end of the dossier carries its stored result (flow.h),
		 * judged against its due time, not the step's */
		if ((strcmp(action, "finish") == 0 ||
		    strcmp(action, "reject") == 0) && f->result != NULL)
			json_object_set_new(row, "result",
			    json_string(f->result));
		else
			json_object_set(row, "result", json_object_get(p,
			    "step_result") ? json_object_get(p, "step_result") :
			    json_null());
		json_object_set_new(row, "handler_name", jx_strornull(who));
		json_object_set_new(row, "note", json_string(
		    json_is_true(json_object_get(p, "late")) &&
		    strcmp(action, "reject") == 0 ?
		    "Từ chối giải quyết (quá hạn)" : notes[i]));
		json_array_append_new(steps, row);
		free(from);
		free(to);
		free(who);
		json_decref(p);
	}
	sqlite3_reset(st);
	free(unit);
	return steps;
}

/*
 * The name of the officer who received the dossier: the actor of its
 * receipt at the counter, or of the acceptance of an online submission,
 * whose time is *accepted (else 0).  NULL if none; freed by the caller.
 */
static char *
receiver_name(const struct rec_fields *f, dx_time *accepted)
{
	sqlite3_stmt *st = events_of(f->uuid);
	const char *action;
	char *login = NULL, *name;

	*accepted = 0;
	while (step_row(st)) {
		action = (const char *)sqlite3_column_text(st, 2);
		if (strcmp(action, "receive") == 0 ||
		    strcmp(action, "accept") == 0) {
			free(login);
			login = xstrdup((const char *)sqlite3_column_text(st,
			    3));
		}
		if (strcmp(action, "accept") == 0)
			*accepted = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	name = staff_name(login);
	free(login);
	return name;
}

/* The dossier's line in the register book, set in `o` as form 01 wants. */
static void
book_line(json_t *o, const char *code, int with_book)
{
	struct dx_err e;
	long long no;
	int year, r;
	char buf[16];

	if ((r = rec_book_line(g.db, &g.book, code, &year, &no, &e)) == -1)
		dx_die_err(&e);
	if (r == 0)
		return;
	if (with_book) {
		snprintf(buf, sizeof(buf), "%d", year);
		json_object_set_new(o, "register_book", json_string(buf));
	}
	json_object_set_new(o, "register_no", json_integer(no));
}

static void
form(int64_t id, const struct rec_fields *f)
{
	struct dx_err e;
	json_t *rec, *info;
	char *who;
	dx_time accepted;

	/* a receipt is an appointment: none for a dossier not accepted */
	if (g.form == FORM_RECEIPT && (f->status == ST_SUBMITTED ||
	    f->status == ST_REFUSED)) {
		dx_warn(f->status == ST_SUBMITTED ? _("%s: no receipt: an online"
		    " submission not yet accepted") : _("%s: no receipt: refused"
		    " at receipt"), f->code);
		g.failed = 1;
		return;
	}
	if ((rec = rec_dossier(&g.rb, id, &e)) == NULL)
		dx_die_err(&e);
	if (g.form == FORM_REGISTER) {
		/* one line of the book, written when the query is done */
		book_line(rec, f->code, 0);
		json_array_append_new(g.book_rows, rec);
		return;
	}
	info = json_pack("{s:s}", "office_name", g.office.name);
	if (g.form == FORM_TRACKING)
		json_object_set_new(info, "steps", tracking_steps(f));
	if (g.form == FORM_RECEIPT) {
		if ((who = receiver_name(f, &accepted)) != NULL)
			json_object_set_new(info, "staff_name",
			    json_string(who));
		free(who);
		if (accepted != 0)
			json_object_set_new(info, "accepted_at",
			    jtime(accepted));
		book_line(info, f->code, 1);
	}
	if (form_write(g.fw, (enum form_kind)g.form, rec, info, &g.cal,
	    &e) == -1)
		dx_die_err(&e);
	json_decref(info);
	json_decref(rec);
}

/*
 * The period of the register book: --received-from and --received-to,
 * else the year of --now (a book is opened for a year, Circular
 * 01/2018/TT-VPCP Art. 10(2)); its lines in the order of their codes.
 */
static void
register_period(void)
{
	int y, m, d;

	if (g.sel.recv_from == 0 && g.sel.recv_to == 0) {
		civil_from_days(cal_local_day(&g.cal, g.now), &y, &m, &d);
		g.sel.recv_from = cal_day_start(&g.cal, days_from_civil(y, 1,
		    1));
		g.sel.recv_to = cal_day_start(&g.cal, days_from_civil(y + 1, 1,
		    1));
		g.sel.recv_to_incl = 0;
	}
	g.sel.sort = SEL_SORT_CODE;
	g.book_rows = json_array();
}

/* Write the register book of the dossiers collected. */
static void
register_write(void)
{
	struct dx_err e;
	json_t *info;
	char buf[16];

	info = json_pack("{s:s}", "office_name", g.office.name);
	/* the book is printed, and dated, now */
	json_object_set_new(info, "date", jtime(g.now));
	if (g.sel.recv_from != 0) {
		cal_format_day(cal_local_day(&g.cal, g.sel.recv_from), buf);
		json_object_set_new(info, "from", json_string(buf));
	}
	if (g.sel.recv_to != 0) {
		cal_format_day(cal_local_day(&g.cal, g.sel.recv_to -
		    (g.sel.recv_to_incl ? 0 : 1)), buf);
		json_object_set_new(info, "to", json_string(buf));
	}
	if (form_register(g.fw, g.book_rows, info, &g.cal, &e) == -1)
		dx_die_err(&e);
	json_decref(info);
	json_decref(g.book_rows);
}

/* ---- the portal's shape ---------------------------------------------- */

/* What each action did, as the portal's process steps say it. */
static const char *
step_text(const char *action)
{
	static const char *const t[][2] = {
		{ "receive", "Tiếp nhận hồ sơ" },
		{ "accept", "Tiếp nhận hồ sơ trực tuyến" },
		{ "refuse", "Từ chối tiếp nhận hồ sơ" },
		{ "start", "Phân công xử lý" },
		{ "next", "Chuyển bước tiếp theo" },
		{ "back", "Trả lại bước trước" },
		{ "forward", "Chuyển xử lý" },
		{ "request_supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ" },
		{ "supplement_received", "Nhận hồ sơ bổ sung" },
		{ "request_fee", "Yêu cầu thực hiện nghĩa vụ tài chính" },
		{ "fee_paid", "Đã thực hiện nghĩa vụ tài chính" },
		{ "extend", "Xin lỗi và hẹn lại ngày trả kết quả" },
		{ "finish", "Hoàn thành giải quyết" },
		{ "return", "Trả kết quả" },
		{ "withdraw", "Công dân yêu cầu rút hồ sơ" },
		{ "stop", "Dừng xử lý" },
		{ "reject", "Từ chối giải quyết" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(action, t[i][0]) == 0)
			return t[i][1];
	return action;
}

/* The dossier's events as the portal's process steps (tiến trình). */
static json_t *
portal_steps(const struct rec_fields *f)
{
	sqlite3_stmt *st = events_of(f->uuid);
	json_t *steps = json_array(), *p, *af, *row, *v;
	char *unit = xstrdup(f->unit), *uname, *who;
	const char *action, *actor, *reason;
	char at[16], num[8];
	long long status = 0;
	dx_time due;

	while (step_row(st)) {
		action = (const char *)sqlite3_column_text(st, 2);
		actor = (const char *)sqlite3_column_text(st, 3);
		p = payload_of(st);
		af = json_object_get(p, "after");
		/* the receive event holds the whole first state */
		if (strcmp(action, "receive") == 0)
			af = p;
		if (json_is_integer(v = json_object_get(af, "status")))
			status = json_integer_value(v);
		if (json_is_string(v = json_object_get(af, "unit"))) {
			free(unit);
			unit = xstrdup(json_string_value(v));
		}
		due = jint_time(af, "step_due_at");
		if (due == 0)
			due = jint_time(af, "due_at");
		if (due == 0)
			due = f->due_at;
		who = staff_name(actor);
		uname = unit_name(unit);
		portal_time_format(&g.cal, sqlite3_column_int64(st, 4), at);
		snprintf(num, sizeof(num), "%lld", status);
		row = json_object();
		json_object_set_new(row, "MaHoSo", json_string(f->code));
		json_object_set_new(row, "NguoiXuLy", json_string(who != NULL ?
		    who : actor));
		json_object_set_new(row, "ChucDanh", json_null());
		json_object_set_new(row, "ThoiDiemXuLy", json_string(at));
		json_object_set_new(row, "PhongBanXuLy", jx_strornull(uname !=
		    NULL ? uname : unit));
		reason = json_string_value(json_object_get(p, "reason"));
		/* a refusal at the counter is the dossier's first event */
		if (strcmp(action, "receive") == 0 && status == ST_REFUSED)
			action = "refuse";
		json_object_set_new(row, "NoiDungXuLy", reason != NULL ?
		    json_sprintf("%s: %s", step_text(action), reason) :
		    json_string(step_text(action)));
		json_object_set_new(row, "TrangThai", json_string(num));
		json_object_set_new(row, "NgayBatDau", json_string(at));
		if (due != 0) {
			portal_time_format(&g.cal, due, at);
			json_object_set_new(row, "NgayKetThucTheoQuyDinh",
			    json_string(at));
		} else
			json_object_set_new(row, "NgayKetThucTheoQuyDinh",
			    json_null());
		json_array_append_new(steps, row);
		free(who);
		free(uname);
		json_decref(p);
	}
	sqlite3_reset(st);
	free(unit);
	return steps;
}

static void
portal(int64_t id, const struct rec_fields *f)
{
	struct dx_err e;
	json_t *rec, *o;

	if ((rec = rec_dossier(&g.rb, id, &e)) == NULL)
		dx_die_err(&e);
	o = portal_dossier(rec, portal_steps(f), &g.cal);
	put_record(o, f);
	json_decref(o);
	json_decref(rec);
}

/* ---- the query ------------------------------------------------------- */

static void
build_query(int keys)
{
	struct dx_buf cols;
	struct dx_err e;

	buf_init(&cols);
	buf_adds(&cols, rec_columns_sql);
	/* the applicant's fields apart only where they are used */
	buf_adds(&cols, ", d.id, d.paused_at, ");
	buf_adds(&cols, g.sel.qname != NULL || (g.mode == MODE_LIST &&
	    g.format != ROWS_JSON) ? SEL_NAME_SQL : "NULL");
	buf_adds(&cols, g.mode == MODE_LIST && g.format == ROWS_CSV ?
	    ", json_extract(d.applicant, '$.id_number'),"
	    " json_extract(d.applicant, '$.phone')" : ", NULL, NULL");
	buf_adds(&cols, ", d.step_at, d.step_due_at, d.paused_total");
	/*
	 * A submission waits from its last event: its receipt, or the
	 * supplement that brought it back; every action on a submission
	 * (accept, refuse, request_supplement, withdraw) changes its status.
	 */
	buf_adds(&cols, g.sel.waiting ? ", (SELECT max(e.at) FROM events e"
	    " WHERE e.dossier = d.uuid)" : ", NULL");
	if ((g.list = sel_prepare(&g.sel, g.db, cols.buf, keys, &e)) == NULL)
		dx_die_err(&e);
	buf_free(&cols);
}

/*
 * Reopen the record in g.out for --waiting's fields: since when and how
 * long in working time (the office calendar) the submission has waited.
 */
static void
waited_fields(const struct lrow *r)
{
	int64_t day = cal_day_seconds(&g.cal);
	char buf[40];

	cal_format(&g.cal, r->since, buf);
	g.out.len--;
	buf_printf(&g.out, ",\"waiting_since\":\"%s\",\"waited\":"
	    "{\"seconds\":%lld,\"days\":%lld,\"hours\":%lld,"
	    "\"minutes\":%lld}}", buf, (long long)r->waited,
	    (long long)(r->waited / day), (long long)(r->waited % day / 3600),
	    (long long)(r->waited % 3600 / 60));
}

/* Show one row of the query in the chosen mode and format. */
static void
show(sqlite3_stmt *st)
{
	struct rec_fields f;
	struct lrow r = { &f, st, 0, 0 };
	int64_t id = sqlite3_column_int64(st, X_ID);

	rec_fields_row(st, &f);
	if (g.sel.waiting) {
		r.since = sqlite3_column_type(st, X_SINCE) == SQLITE_NULL ?
		    f.received_at : sqlite3_column_int64(st, X_SINCE);
		r.waited = r.since < g.now ? cal_elapsed(&g.cal, r.since,
		    g.now) : 0;
	}
	switch (g.mode) {
	case MODE_HISTORY:
		history(&f);
		return;
	case MODE_EXPLAIN:
		explain(&f, st);
		return;
	case MODE_FORM:
		form(id, &f);
		return;
	}
	switch (g.format) {
	case FMT_PORTAL:
		portal(id, &f);
		break;
	case ROWS_TABLE:
	case ROWS_CSV: {
		struct dx_err e;

		if (rows_put(g.rows, &r, &e) == -1)
			dx_die_err(&e);
		break;
	}
	default:
		rec_write(&g.out, &f, &g.cal);
		if (g.sel.waiting)
			waited_fields(&r);
		puts_nl(&g.out);
		break;
	}
}

/* Step the query, confirming name matches; stop at the limit. */
static void
run(void)
{
	struct dx_buf folded;

	buf_init(&folded);
	while ((g.limit < 0 || g.printed < g.limit) && step_row(g.list)) {
		if (!sel_match(&g.sel, (const char *)sqlite3_column_text(
		    g.list, X_NAME), &folded))
			continue;
		show(g.list);
		g.printed++;
	}
	sqlite3_reset(g.list);
	buf_free(&folded);
}

/* ---- options ----------------------------------------------------------- */

/* --history, --explain and --form each choose what is printed: one only. */
static void
modes(int *mode, int want)
{
	static const char *const names[] = {
		[MODE_HISTORY] = "--history", [MODE_EXPLAIN] = "--explain",
		[MODE_FORM] = "--form"
	};

	if (*mode != MODE_LIST && *mode != want)
		cli_exclusive(&cli, 1, names[*mode], 1, names[want]);
	*mode = want;
}

int
main(int argc, char *argv[])
{
	enum {
		O_FORMAT = 256, O_HISTORY, O_EXPLAIN, O_FORMFMT, O_NOW, O_BOM
	};
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "form", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "history", no_argument, NULL, O_HISTORY },
		{ "explain", no_argument, NULL, O_EXPLAIN },
		{ "form-format", required_argument, NULL, O_FORMFMT },
		{ "now", required_argument, NULL, O_NOW },
		{ "bom", no_argument, NULL, O_BOM },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct option *opts;
	const char *dbopt = NULL, *nowopt = NULL;
	const char *errstr;
	struct dx_err e;
	long long n;
	int ch, i, r, formfmt_given = 0, format_given = 0;

	dx_setprogname(argv[0]);
	g.format = isatty(STDOUT_FILENO) ? ROWS_TABLE : ROWS_JSON;
	g.limit = -1;
	g.form = -1;
	g.formfmt = FORM_TEXT;
	sel_init(&g.sel);
	opts = sel_longopts(longopts);
	while ((ch = getopt_long(argc, argv, "d:f:n:", opts, NULL)) != -1) {
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
		case 'f':
			g.form = form_parse(optarg);
			if (g.form != FORM_RECEIPT && g.form != FORM_TRACKING &&
			    g.form != FORM_REGISTER)
				cli_usage(&cli, _("--form: '%s' is not receipt"
				    " (01), tracking (06) or register (07)"),
				    optarg);
			modes(&g.mode, MODE_FORM);
			break;
		case 'n':
			if (parse_int(optarg, 0, 1LL << 40, &n, &errstr) == -1)
				cli_usage(&cli, _("-n, --limit: '%s' is %s"),
				    optarg, errstr);
			g.limit = (long)n;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "portal") == 0)
				g.format = FMT_PORTAL;
			else if ((g.format = rows_format_parse(optarg)) == -1)
				cli_usage(&cli, _("--format: '%s' is not json,"
				    " table, csv or portal"), optarg);
			format_given = 1;
			break;
		case O_BOM:
			g.bom = 1;
			break;
		case O_HISTORY:
			modes(&g.mode, MODE_HISTORY);
			break;
		case O_EXPLAIN:
			modes(&g.mode, MODE_EXPLAIN);
			break;
		case O_FORMFMT:
			if (strcmp(optarg, "text") == 0)
				g.formfmt = FORM_TEXT;
			else if (strcmp(optarg, "html") == 0)
				g.formfmt = FORM_HTML;
			else
				cli_usage(&cli, _("--form-format: '%s' is not"
				    " text or html"), optarg);
			formfmt_given = 1;
			break;
		case O_NOW:
			if (sel_check_time("--now", optarg, &e) == -1)
				cli_usage(&cli, "%s", e.msg);
			nowopt = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	argc -= optind;
	argv += optind;
	free(opts);
	if (formfmt_given && g.mode != MODE_FORM)
		cli_usage(&cli, _("--form-format needs --form"));
	/* never a format other than the one asked for */
	if (format_given && g.mode == MODE_FORM)
		cli_usage(&cli, _("--form prints forms: --form-format, not"
		    " --format"));
	if (g.format == ROWS_CSV && g.mode == MODE_HISTORY)
		cli_usage(&cli, _("--history has no CSV: --format json or"
		    " table"));
	if (g.format == ROWS_CSV && g.mode == MODE_EXPLAIN)
		cli_usage(&cli, _("--explain has no CSV: --format json or"
		    " table"));
	if (g.format == FMT_PORTAL && g.mode != MODE_LIST)
		cli_usage(&cli, _("--format portal writes dossiers only, not"
		    " with --history or --explain"));
	if (g.bom && (!format_given || g.format != ROWS_CSV))
		cli_usage(&cli, _("--bom needs --format csv"));
	/* the book is one document of a period, in the order of its lines */
	if (g.form == FORM_REGISTER && argc > 0)
		cli_usage(&cli, _("--form register prints the book of a period,"
		    " not of dossiers named"));
	if (g.form == FORM_REGISTER && (g.sel.sort_given || g.sel.reverse ||
	    g.limit >= 0))
		cli_usage(&cli, _("--form register keeps the book's order and"
		    " every line: no --sort, --reverse or -n"));

	g.db = db_open(db_path(dbopt), DB_RDONLY, &e);
	if (g.db == NULL)
		dx_die_err(&e);
	/*
	 * A list reads dossiers all over the file, each page once: a page
	 * cache that keeps growing only costs fresh memory (a fault and a
	 * cleared page each); a small one recycles its buffers and still
	 * holds the top of the B-trees.
	 */
	if (db_exec(g.db, "PRAGMA cache_size = -2048", &e) == -1)
		dx_die_err(&e);
	if (db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1)
		dx_die_err(&e);
	/* the whole record, for the forms and the portal only */
	if ((g.mode == MODE_FORM || g.format == FMT_PORTAL) &&
	    rec_init(&g.rb, g.db, &g.cal, &e) == -1)
		dx_die_err(&e);

	g.now = (dx_time)time(NULL);
	if ((nowopt != NULL && sel_parse_time(&g.cal, "--now", nowopt, &g.now,
	    NULL, &e) == -1) || sel_resolve(&g.sel, &g.cal, g.office.agency,
	    g.now, &e) == -1)
		dx_die_err(&e);
	if (g.form == FORM_REGISTER)
		register_period();
	if (g.mode == MODE_FORM)
		g.fw = form_open(stdout, g.formfmt);
	if (g.mode == MODE_LIST && (g.format == ROWS_TABLE ||
	    g.format == ROWS_CSV))
		g.rows = rows_open(stdout, (enum rows_format)g.format,
		    list_cols, g.sel.waiting ? NLIST + 3 : NLIST, &g.cal);
	if (g.bom)
		rows_spreadsheet(g.rows);

	build_query(argc > 0);
	if (argc > 0) {
		for (i = 0; i < argc; i++) {
			int64_t id;

			if ((r = rec_find(g.db, argv[i], &id, &e)) == -1)
				dx_die_err(&e);
			if (r == 0) {
				dx_warn(_("no dossier '%s'"), argv[i]);
				g.failed = 1;
				continue;
			}
			sqlite3_bind_int64(g.list, g.sel.keyparam + 1, id);
			run();
		}
	} else
		run();
	if (rows_close(g.rows, &e) == -1) {
		dx_prefix(&e, "stdout");
		dx_die_err(&e);
	}
	if (g.form == FORM_REGISTER)
		register_write();
	if (g.fw != NULL && form_close(g.fw, &e) == -1)
		dx_die_err(&e);
	rec_book_free(&g.book);

	sqlite3_finalize(g.list);
	sqlite3_finalize(g.events);
	sqlite3_finalize(g.clockev);
	rec_free(&g.rb);
	db_close(g.db);
	cal_free(&g.cal);
	units_free(g.units, g.nunits);
	buf_free(&g.out);
	sel_free(&g.sel);
	dx_exit(g.failed || g.printed == 0 ? DX_PARTIAL : DX_OK);
}
