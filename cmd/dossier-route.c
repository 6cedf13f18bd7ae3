/*
 * dossier-route: move dossiers through the state machine and their
 * procedure's internal steps, between units and offices.  Every action is
 * one event on the office's hash chain, written in the same transaction
 * as the dossier's new row; the transition table is libcommon/flow.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common.h"
#include "flow.h"
#include "forms.h"
#include "txn.h"
#include "uuid.h"

/* A procedure version's rules, cached by id. */
struct pcache {
	int64_t id;
	struct fproc p;
};

static struct {
	struct db *db;
	struct calendar cal;
	struct office office;
	struct actor actor;
	struct recbuilder rb;
	struct chain chain;
	struct unitinfo *units;
	size_t nunits;
	struct pcache *procs;
	size_t nprocs;
	sqlite3_stmt *get_code, *get_uuid, *receiver, *put;
	sqlite3_stmt *staff, *rejected, *last, *home;
	struct dx_buf out, payload;
	struct txn tx;			/* the write transaction and its spool */
	/* options */
	const char *action, *to, *handler, *reason;
	json_t *missing;		/* document names, for form 02 */
	dx_time at, due;
	long long expect;		/* -1: none */
	long batch;
	long ok, failed;
	int lastcode;
	int form;			/* -1: JSON records */
	enum form_format formfmt;
	struct form_writer *forms;
	const char *os_user;		/* when an admin acts as someone */
} g;

static const struct cli cli = {
	"usage: dossier-route [-d dbfile] [-f text|html] [-b count]"
	" [--as login] [--at time]\n"
	"                     [-t target] [-H handler] [-r reason]"
	" [-D due] [-V version]\n"
	"                     [-m document] action [code ...]\n"
	"       dossier-route [-d dbfile] [-f text|html] [--as login]"
	" < actions.jsonl\n"
	"       dossier-route -l\n"
	"       dossier-route --help | --version\n",
	"  -b, --batch COUNT           commit every COUNT actions (default"
	" 10000)\n"
	"  -D, --due TIME              the new due time, for extend\n"
	"  -d, --db FILE               the office database (default:"
	" $DOSSIER_DB)\n"
	"  -f, --form text|html        write the forms the actions issue"
	" instead of JSON\n"
	"  -H, --handler LOGIN         who handles the dossier next\n"
	"  -l, --list                  list the actions and exit\n"
	"  -m, --missing DOCUMENT      a document request_supplement asks"
	" for (repeat)\n"
	"  -r, --reason TEXT           the reason for the action\n"
	"  -t, --to CODE               the unit or office forward sends to\n"
	"  -V, --expect-version N      act only if the dossier is at version"
	" N\n"
	"      --as LOGIN              act as the staff member LOGIN"
	" (admins)\n"
	"      --at TIME               date the actions at TIME (admins)\n"
	"      --help                  this text\n"
	"      --version               the version and the database schema"
	" version\n"
};

#define usage(...) cli_usage(&cli, __VA_ARGS__)

/* Refuse option `opt`, given, when `action` does not use `what`. */
static void
unused(const char *action, unsigned what, int given, const char *opt)
{
	if (given && !(flow_uses(action) & what))
		usage(_("%s does not apply to %s"), opt, action);
}

static void
print_line(const char *s)
{
	printf("%s\n", s);
}

/*
 * The versions -V and "expect_version" may name: a dossier starts at
 * version 1, so 0 or less would compare with nothing.  One rule and one
 * message for both forms.  0, or -1 with e set (DX_DATAERR).
 */
#define EXPECT_MAX (1LL << 40)

static int
expect_check(long long v, struct dx_err *e)
{
	if (v < 1 || v > EXPECT_MAX)
		return dx_seterr(e, DX_DATAERR, _("expected version %lld is out"
		    " of range (a dossier version is 1 to %lld)"), v,
		    EXPECT_MAX);
	return 0;
}

/* ---- the catalog (catalog.h), as the rules need it ---- */

static int office_for(const char *, char *, size_t, struct dx_err *);

static struct fproc *
procedure(int64_t id, const char *unit, struct dx_err *e)
{
	struct procedure cp;
	struct fproc *p;
	struct fstep *s;
	struct unitinfo *u;
	const char *code;
	size_t i, j;
	int k;

	for (i = 0; i < g.nprocs; i++)
		if (g.procs[i].id == id)
			goto found;
	if (procedure_by_id(g.db, id, &cp, e) == -1)
		return NULL;
	g.procs = xreallocarray(g.procs, g.nprocs + 1, sizeof(*g.procs));
	i = g.nprocs++;
	memset(&g.procs[i], 0, sizeof(g.procs[i]));
	g.procs[i].id = id;
	p = &g.procs[i].p;
	p->amount = cp.amount;
	p->time_unit = cp.time_unit;
	p->remote_amount = cp.remote_amount;
	p->remote_unit = cp.remote_unit;
	p->pause = cp.pause;
	p->fee_paused = cp.fee_paused;
	p->supplement_amount = cp.supplement_amount;
	p->supplement_unit = cp.supplement_unit;
	for (j = 0; j < cp.nsteps && j < FLOW_MAX_STEPS; j++) {
		s = &p->steps[p->nsteps++];
		snprintf(s->name, sizeof(s->name), "%s", cp.steps[j].name);
		s->role = cp.steps[j].role == NULL ? 0 :
		    role_bit(cp.steps[j].role);
		snprintf(s->unit, sizeof(s->unit), "%s",
		    cp.steps[j].unit == NULL ? "" : cp.steps[j].unit);
		/* a step at an office of the trust list is a hand-off */
		s->office[0] = '\0';
		code = cp.steps[j].unit != NULL ? cp.steps[j].unit :
		    cp.steps[j].office;
		k = code != NULL ? office_for(code, s->office,
		    sizeof(s->office), e) : 0;
		if (k == -1) {
			procedure_free(&cp);
			return NULL;
		}
		if (k != 1)
			s->office[0] = '\0';
		s->amount = cp.steps[j].amount;
		s->time_unit = cp.steps[j].time_unit;
	}
	procedure_free(&cp);
found:
	p = &g.procs[i].p;
	/* the remote extra follows the unit that received the dossier */
	u = unit != NULL ? units_find(g.units, g.nunits, unit) : NULL;
	p->remote = u != NULL && u->remote;
	return p;
}

/*
 * The office a unit belongs to: the unit itself, or for a section the
 * nearest unit above it that is not a section.  Written to `out`.
 */
static int
office_of(const char *code, char *out, size_t n, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(g.db, "WITH RECURSIVE up(code, level, parent, depth)"
	    " AS (SELECT code, level, parent, 0 FROM units WHERE code = ?"
	    "  UNION ALL"
	    "  SELECT u.code, u.level, u.parent, up.depth + 1 FROM up"
	    "  JOIN units u ON u.code = up.parent"
	    "  WHERE up.level = 'section' AND up.depth < 1000)"
	    " SELECT code FROM up WHERE level <> 'section'"
	    " ORDER BY depth LIMIT 1", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	snprintf(out, n, "%s", rc == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : code);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(g.db, rc, e, g.db->path);
	return 0;
}

/*
 * The path from unit ?1 up to the root of the unit tree, as up(cur,
 * depth), depth 0 at ?1; a cycle in the tree stops at depth 1000.
 */
#define UNIT_PATH "WITH RECURSIVE up(cur, depth) AS (" \
	"  SELECT ?1, 0" \
	"  UNION ALL" \
	"  SELECT u.parent, up.depth + 1 FROM up" \
	"  JOIN units u ON u.code = up.cur" \
	"  WHERE u.parent IS NOT NULL AND up.depth < 1000)"

/* 1 if `code` is this office's own unit or one below it. */
static int
internal_unit(const char *code, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc, found;

	st = db_prepare(g.db, UNIT_PATH
	    " SELECT EXISTS (SELECT 1 FROM up WHERE cur = ?2)", 0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, g.office.agency, -1,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	found = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_seterr(g.db, rc, e, g.db->path);
	return found;
}

/*
 * The office that unit `code` belongs to, among the offices this one
 * exchanges bundles with: the nearest unit at or above it that is this
 * office (0) or an office in the trust list (1, its code in `out`).
 * Failing that, the one office of the trust list beside the unit or an
 * ancestor of it, of the same level under the same parent (1): a
 * province's service centre, a department, receives for the other
 * departments.  Neither: -2.  -1 with e set on an error.
 */
static int
office_for(const char *code, char *out, size_t n, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc, ret;

	st = db_prepare(g.db, UNIT_PATH
	    " SELECT cur FROM up WHERE cur = ?2"
	    "  OR cur IN (SELECT agency FROM peers)"
	    " ORDER BY depth LIMIT 1", 0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, g.office.agency, -1,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	ret = -2;
	if (rc == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st,
		    0));
		ret = strcmp(out, g.office.agency) != 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(g.db, rc, e, g.db->path);
	if (ret != -2)
		return ret;
	/* the nearest level with peers beside the path; two: no answer */
	st = db_prepare(g.db, UNIT_PATH
	    " SELECT s.code, up.depth FROM up JOIN units u ON u.code = up.cur"
	    " JOIN units s ON s.parent = u.parent AND s.level = u.level"
	    "  AND s.code <> u.code"
	    " JOIN peers p ON p.agency = s.code"
	    " ORDER BY up.depth LIMIT 2", 0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t depth = sqlite3_column_int64(st, 1);

		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st,
		    0));
		ret = 1;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlite3_column_int64(st, 1) == depth)
			ret = -2;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(g.db, rc, e, g.db->path);
	return ret;
}

/* ---- one action ---- */

static dx_time
col_time(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, col);
}

static void
col_copy(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", s != NULL ? s : "");
}

/* The differences of two states as "before" and "after" objects. */
static void
diff(struct jw *w, const char *which, const struct dstate *a,
    const struct dstate *b, int pick)
{
	const struct dstate *v = pick ? b : a;

#define TIMEF(f) if (a->f != b->f) { \
	if (v->f != 0) jw_int(w, #f, v->f); else jw_null(w, #f); }
#define INTF(f) if (a->f != b->f) jw_int(w, #f, v->f);
#define STRF(f, nullable) if (strcmp(a->f, b->f) != 0) { \
	if (nullable && v->f[0] == '\0') jw_null(w, #f); \
	else jw_str(w, #f, v->f); }
	jw_obj(w, which);
	INTF(status);
	if (a->step != b->step) {
		if (v->step > 0)
			jw_int(w, "step", v->step);
		else
			jw_null(w, "step");
	}
	TIMEF(step_at);
	TIMEF(step_due_at);
	STRF(handler, 1);
	STRF(unit, 0);
	STRF(owner, 0);
	TIMEF(start_at);
	TIMEF(due_at);
	TIMEF(original_due_at);
	TIMEF(paused_at);
	INTF(paused_total);
	TIMEF(finished_at);
	TIMEF(returned_at);
	INTF(supplements);
	INTF(extensions);
	INTF(late);
	STRF(result, 1);
	INTF(version);
	jw_close(w);
#undef TIMEF
#undef INTF
#undef STRF
}

static int
bind_time(sqlite3_stmt *st, int i, dx_time t)
{
	return t != 0 ? sqlite3_bind_int64(st, i, t) : sqlite3_bind_null(st, i);
}

/* Print the form an action issued, with what the action said. */
static int
issue_form(int kind, int64_t id, const struct dstate *before,
    const struct frequest *r, struct dx_err *e)
{
	json_t *rec, *info;
	char buf[40];
	int rc;

	if ((rec = rec_dossier(&g.rb, id, e)) == NULL)
		return -1;
	info = json_pack("{s:s,s:s}", "office_name", g.office.name,
	    "staff_name", g.actor.name);
	if (r->reason != NULL)
		json_object_set_new(info, "reason", json_string(r->reason));
	if (r->missing != NULL)
		json_object_set(info, "missing", (json_t *)r->missing);
	cal_format(&g.cal, r->now, buf);
	json_object_set_new(info, "date", json_string(buf));
	json_object_set_new(info, "requested_at", json_string(buf));
	if (kind == FORM_APOLOGY) {
		cal_format(&g.cal, r->due, buf);
		json_object_set_new(info, "new_due_at", json_string(buf));
		if (before->due_at != 0) {
			cal_format(&g.cal, before->due_at, buf);
			json_object_set_new(info, "old_due_at",
			    json_string(buf));
		}
	}
	if (kind == FORM_RECEIPT) {
		/* an online submission's receipt shows when it was accepted,
		 * and its line in the register book */
		struct rec_book book;
		long long no;
		int year;

		json_object_set_new(info, "accepted_at", json_string(buf));
		memset(&book, 0, sizeof(book));
		rc = rec_book_line(g.db, &book, json_string_value(
		    json_object_get(rec, "code")), &year, &no, e);
		rec_book_free(&book);
		if (rc == -1) {
			json_decref(rec);
			json_decref(info);
			return -1;
		}
		if (rc == 1) {
			snprintf(buf, sizeof(buf), "%d", year);
			json_object_set_new(info, "register_book",
			    json_string(buf));
			json_object_set_new(info, "register_no",
			    json_integer(no));
		}
	}
	if (kind == FORM_REFUSAL && (strcmp(r->action, "reject") == 0 ||
	    strcmp(r->action, "return") == 0))
		json_object_set_new(info, "stage", json_string("appraisal"));
	if (kind == FORM_STOP) {
		json_object_set_new(info, "requested_by",
		    json_string("applicant"));
		if (r->reason == NULL)
			json_object_set_new(info, "reason", json_string(
			    "Theo đề nghị rút hồ sơ của người nộp hồ sơ"));
	}
	rc = form_write(g.forms, (enum form_kind)kind, rec, info, &g.cal, e);
	json_decref(rec);
	json_decref(info);
	return rc;
}

/*
 * An action dated by --at comes after the dossier's last event: the log is
 * append-only, so a mistyped date would stay in its history for good.
 * 0, or -1 with e set (DX_DATAERR: earlier than the last event).
 */
static int
after_last(const char *uuid, dx_time at, struct dx_err *e)
{
	char t[40], last[40];
	dx_time l;
	int rc;

	sqlite3_bind_text(g.last, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(g.last);
	l = rc == SQLITE_ROW ? sqlite3_column_int64(g.last, 0) : 0;
	sqlite3_reset(g.last);
	if (rc != SQLITE_ROW)
		return db_seterr(g.db, rc, e, g.db->path);
	if (at >= l)
		return 0;
	cal_format(&g.cal, at, t);
	cal_format(&g.cal, l, last);
	return dx_seterr(e, DX_DATAERR, _("--at %s is earlier than the"
	    " dossier's last event, at %s: the event log is append-only"),
	    t, last);
}

/*
 * Apply `r` to the dossier `key` (code or UUID).  0, or -1 with e set:
 * DX_NOINPUT (no such dossier), DX_DATAERR and DX_NOPERM (refused) leave
 * nothing written; other codes are failures that stop the run.
 */
static int
act(const char *key, long long expect, struct frequest *r, struct dx_err *e)
{
	struct dstate before, after;
	struct rec_fields f;
	struct fproc *p;
	sqlite3_stmt *st;
	struct jw w;
	char uuid[UUID_STR_LEN + 8], receiver[64], target[32], home[32];
	int64_t id, pid;
	int rc, internal, other;

	st = strlen(key) == 36 && key[8] == '-' ? g.get_uuid : g.get_code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return dx_seterr(e, DX_NOINPUT, _("no dossier"
			    " '%s'"), key);
		return db_seterr(g.db, rc, e, g.db->path);
	}
	/* the record's columns, then the state the rules also need */
	rec_fields_row(st, &f);
	memset(&before, 0, sizeof(before));
	col_copy(uuid, sizeof(uuid), st, 0);
	before.status = f.status;
	before.step = f.step;
	col_copy(before.handler, sizeof(before.handler), st, 14);
	col_copy(before.unit, sizeof(before.unit), st, 7);
	col_copy(before.owner, sizeof(before.owner), st, 9);
	before.start_at = f.start_at;
	before.due_at = f.due_at;
	before.original_due_at = f.original_due_at;
	snprintf(before.result, sizeof(before.result), "%s",
	    f.result != NULL ? f.result : "");
	before.finished_at = f.finished_at;
	before.returned_at = f.returned_at;
	before.supplements = f.supplements;
	before.extensions = f.extensions;
	before.version = f.version;
	id = sqlite3_column_int64(st, REC_NCOLS);
	pid = sqlite3_column_int64(st, REC_NCOLS + 1);
	before.step_at = col_time(st, REC_NCOLS + 2);
	before.step_due_at = col_time(st, REC_NCOLS + 3);
	before.paused_at = col_time(st, REC_NCOLS + 4);
	before.paused_total = sqlite3_column_int64(st, REC_NCOLS + 5);
	before.late = sqlite3_column_int(st, REC_NCOLS + 6);

	if (expect >= 0 && expect != before.version) {
		sqlite3_reset(st);
		return dx_seterr(e, DX_DATAERR, _("dossier '%s' is at version"
		    " %d, not %lld: someone acted on it first; look at it"
		    " again"),
		    key, before.version, expect);
	}
	if (g.at != 0 && after_last(uuid, r->now, e) == -1) {
		sqlite3_reset(st);
		return -1;
	}

	/* who received it, for the separation of duties */
	receiver[0] = '\0';
	if (flow_needs_receiver(r->action)) {
		sqlite3_bind_text(g.receiver, 1, uuid, -1, SQLITE_STATIC);
		rc = sqlite3_step(g.receiver);
		if (rc == SQLITE_ROW)
			col_copy(receiver, sizeof(receiver), g.receiver, 0);
		sqlite3_reset(g.receiver);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return db_seterr(g.db, rc, e, g.db->path);
		}
	}

	if ((p = procedure(pid, before.unit, e)) == NULL) {
		sqlite3_reset(st);
		return -1;
	}
	/* a stopped dossier goes back to the applicant after a rejection */
	r->rejected = 0;
	if (before.status == ST_STOPPED && strcmp(r->action, "return") == 0) {
		sqlite3_bind_text(g.rejected, 1, uuid, -1, SQLITE_STATIC);
		rc = sqlite3_step(g.rejected);
		sqlite3_reset(g.rejected);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return db_seterr(g.db, rc, e, g.db->path);
		}
		r->rejected = rc == SQLITE_ROW;
	}
	r->receiver = receiver[0] ? receiver : NULL;
	r->internal = 0;
	if (r->to != NULL && strcmp(r->action, "forward") == 0) {
		if (units_find(g.units, g.nunits, r->to) == NULL) {
			sqlite3_reset(st);
			return dx_seterr(e, DX_DATAERR, _("forward: unknown"
			    " unit or office '%s'"), r->to);
		}
		/* an office of the trust list, or this one, owns its units */
		if ((other = office_for(r->to, target, sizeof(target),
		    e)) == -1) {
			sqlite3_reset(st);
			return -1;
		}
		if (other >= 0) {
			r->internal = !other;
			if (other)
				r->to = target;
		} else if ((internal = internal_unit(r->to, e)) == -1) {
			sqlite3_reset(st);
			return -1;
		} else
			r->internal = internal;
		/* a hand-off goes to the office that the target belongs to */
		if (!r->internal && r->to != target) {
			if (office_of(r->to, target, sizeof(target), e) == -1) {
				sqlite3_reset(st);
				return -1;
			}
			r->to = target;
		}
	}
	/* the office that received the dossier gets its result back */
	r->home = NULL;
	if (strcmp(r->action, "finish") == 0 ||
	    strcmp(r->action, "reject") == 0) {
		sqlite3_bind_text(g.home, 1, uuid, -1, SQLITE_STATIC);
		rc = sqlite3_step(g.home);
		if (rc == SQLITE_ROW) {
			col_copy(home, sizeof(home), g.home, 0);
			r->home = home;
		}
		sqlite3_reset(g.home);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return db_seterr(g.db, rc, e, g.db->path);
		}
	}
	if (r->handler != NULL) {
		/* a dossier is assigned only to active staff of this office */
		sqlite3_bind_text(g.staff, 1, r->handler, -1, SQLITE_STATIC);
		rc = sqlite3_step(g.staff);
		sqlite3_reset(g.staff);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return db_seterr(g.db, rc, e, g.db->path);
			return dx_seterr(e, DX_DATAERR, _("handler '%s' is not"
			    " active staff of this office"), r->handler);
		}
	}
	if (flow_apply(&g.cal, p, &before, &after, r, e) == -1) {
		sqlite3_reset(st);
		return -1;
	}

	/* the new record, from the row read and the new state */
	f.status = after.status;
	f.step = after.step;
	f.step_name = after.step > 0 && after.step <= p->nsteps ?
	    p->steps[after.step - 1].name : NULL;
	f.handler = after.handler[0] ? after.handler : NULL;
	f.owner = after.owner;
	if (strcmp(after.unit, before.unit) != 0) {
		struct unitinfo *u = units_find(g.units, g.nunits, after.unit);

		f.unit = after.unit;
		f.unit_name = u != NULL ? u->name : NULL;
	}
	f.start_at = after.start_at;
	f.due_at = after.due_at;
	f.original_due_at = after.original_due_at;
	f.result = after.result[0] ? after.result : NULL;
	f.finished_at = after.finished_at;
	f.returned_at = after.returned_at;
	f.supplements = after.supplements;
	f.extensions = after.extensions;
	f.version = after.version;
	buf_reset(&g.out);
	rec_write(&g.out, &f, &g.cal);
	sqlite3_reset(st);

	/* compare-and-set: the row changes only if nobody changed it */
	st = g.put;
	sqlite3_bind_int(st, 1, after.status);
	if (after.step > 0)
		sqlite3_bind_int(st, 2, after.step);
	else
		sqlite3_bind_null(st, 2);
	bind_time(st, 3, after.step_at);
	bind_time(st, 4, after.step_due_at);
	db_bind_text(st, 5, after.handler[0] ? after.handler : NULL);
	sqlite3_bind_text(st, 6, after.unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, after.owner, -1, SQLITE_STATIC);
	bind_time(st, 8, after.start_at);
	bind_time(st, 9, after.due_at);
	bind_time(st, 10, after.paused_at);
	sqlite3_bind_int64(st, 11, after.paused_total);
	bind_time(st, 12, after.finished_at);
	bind_time(st, 13, after.returned_at);
	sqlite3_bind_int(st, 14, after.supplements);
	sqlite3_bind_int(st, 15, after.extensions);
	sqlite3_bind_int(st, 16, after.version);
	bind_time(st, 17, after.original_due_at);
	sqlite3_bind_int(st, 18, after.late);
	db_bind_text(st, 19, after.result[0] ? after.result : NULL);
	sqlite3_bind_int64(st, 20, id);
	sqlite3_bind_int(st, 21, before.version);
	if (db_step_done(g.db, st, e) == -1)
		return -1;
	if (sqlite3_changes(g.db->h) != 1)
		return dx_seterr(e, DX_SOFTWARE, "dossier '%s' changed under"
		    " the write lock", key);

	buf_reset(&g.payload);
	jw_open(&w, &g.payload);
	diff(&w, "before", &before, &after, 0);
	diff(&w, "after", &before, &after, 1);
	jw_str(&w, "reason", r->reason);
	if (r->to != NULL && strcmp(r->action, "forward") == 0)
		jw_str(&w, "to", r->to);
	else if (r->handoff)
		jw_str(&w, "to", after.owner);
	if (r->step_result[0] != '\0')
		jw_str(&w, "step_result", r->step_result);
	if (r->late)
		jw_bool(&w, "late", 1);
	if (after.result[0] != '\0' && before.result[0] == '\0')
		jw_str(&w, "result", after.result);
	if (r->handoff)
		jw_bool(&w, "handoff", 1);
	if (r->missing != NULL &&
	    strcmp(r->action, "request_supplement") == 0) {
		char *m = xjson_dumps((const json_t *)r->missing,
		    JSON_COMPACT);

		jw_raw(&w, "missing", m);
		free(m);
	}
	if (g.os_user != NULL)
		jw_str(&w, "os_user", g.os_user);
	jw_close(&w);
	if (chain_append(g.db, &g.chain, uuid, r->action, r->actor, r->now,
	    g.payload.buf, e) == -1)
		return -1;

	if (g.form >= 0) {
		/* the action is stored: a form that cannot be made is ours */
		if (r->form != 0 &&
		    issue_form(r->form, id, &before, r, e) == -1) {
			if (e->code == DX_DATAERR || e->code == DX_NOINPUT)
				e->code = DX_SOFTWARE;
			return -1;
		}
		return 0;
	}
	buf_add(&g.out, "\n", 1);
	return txn_write(&g.tx, g.out.buf, g.out.len, e);
}

/* ---- transactions (txn.h): records go out after commit ---------------- */

static void
begin(void)
{
	struct dx_err e;

	if (txn_begin(&g.tx, &e) == -1)
		dx_die_err(&e);
}

/*
 * A failure of the database or the spool (a full disk, an I/O error):
 * undo the open transaction, say what it held, and stop.
 */
static void fail(struct dx_err *e) __attribute__((noreturn));

static void
fail(struct dx_err *e)
{
	long lost = txn_fail(&g.tx);

	if (lost > 0)
		dx_warn(_("the last %ld action%s were not applied; the %ld"
		    " before them were"), lost, lost == 1 ? "" : "s",
		    g.tx.committed);
	dx_die_err(e);
}

static void
commit(void)
{
	struct dx_err e;
	long n = g.tx.n;

	if (txn_commit(&g.tx, &e) != 0) {
		if (g.tx.open)
			fail(&e);	/* a full disk: say what is lost */
		/* stored: a rerun would apply them twice, or be refused */
		dx_die(e.code, _("%s: %ld action%s applied and stored, but"
		    " their records not written"), e.msg, n,
		    n == 1 ? "" : "s");
	}
}

/* One dossier and action; failures are reported and counted. */
static void
one(const char *where, const char *key, long long expect,
    struct frequest *r)
{
	struct dx_err e;

	begin();
	e.code = 0;
	r->now = g.at != 0 ? g.at : time(NULL);
	if (act(key, expect, r, &e) == -1) {
		if (e.code != DX_DATAERR && e.code != DX_NOPERM &&
		    e.code != DX_NOINPUT)
			fail(&e);
		if (where != NULL)
			dx_warn("%s: %s: %s", where, key, e.msg);
		else
			dx_warn("%s: %s", key, e.msg);
		g.failed++;
		g.lastcode = e.code;
	} else {
		g.ok++;
		txn_count(&g.tx);
	}
	if (txn_due(&g.tx))
		commit();
}

static void
request_init(struct frequest *r, const char *action)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->reason = g.reason;
	r->to = g.to;
	r->handler = g.handler;
	r->missing = g.missing;
	r->due = g.due;
	r->actor = g.actor.login;
	r->roles = g.actor.roles;
	r->office = g.office.agency;
}

/* Document names, printed on form 02: text by the rule of every name. */
static int
missing_ok(const json_t *m, struct dx_err *e)
{
	const json_t *x;
	char what[40];
	size_t i;

	json_array_foreach(m, i, x) {
		snprintf(what, sizeof(what), "missing[%zu]", i);
		if (!json_is_string(x))
			return dx_seterr(e, DX_DATAERR, _("%s must be a string"),
			    what);
		if (text_ok(what, json_string_value(x), 500, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * A line of input: an action record {"code" or "uuid", "action", "to",
 * "handler", "reason", "due", "expect_version", "missing"}, or a dossier
 * record from another tool ("v" present: only code/uuid are read, the
 * action comes from the command line).
 */
static void
line(struct jsonl_reader *rd, const json_t *o)
{
	static const char *const keys[] = {
		"code", "uuid", "action", "to", "handler", "reason", "due",
		"expect_version", "missing", NULL
	};
	struct frequest r;
	struct dx_err e;
	char where[300];
	const char *key, *uuid, *action, *due = NULL;
	long long expect = g.expect;
	json_t *m, *ev;
	int dossier = json_object_get(o, "v") != NULL;

	snprintf(where, sizeof(where), "%s:%ld", rd->name, rd->lineno);
	if (jx_str(o, "code", 0, &key, &e) == -1 ||
	    jx_str(o, "uuid", 0, &uuid, &e) == -1 ||
	    (!dossier && jx_only(o, keys, NULL, &e) == -1) ||
	    (!dossier && jx_str(o, "action", 0, &action, &e) == -1))
		goto bad;
	if (dossier)
		action = NULL;
	if (key == NULL)
		key = uuid;
	if (key == NULL) {
		dx_seterr(&e, DX_DATAERR, _("no 'code' or 'uuid'"));
		goto bad;
	}
	if (action == NULL)
		action = g.action;
	if (action == NULL) {
		dx_seterr(&e, DX_DATAERR, _("no 'action' (give one in the"
		    " record or on the command line)"));
		goto bad;
	}
	if (g.action != NULL && strcmp(action, g.action) != 0) {
		dx_seterr(&e, DX_DATAERR, _("action '%s' differs from '%s'"
		    " given on the command line"), action, g.action);
		goto bad;
	}
	if (!flow_known(action)) {
		dx_seterr(&e, DX_DATAERR, _("unknown action '%s'"), action);
		goto bad;
	}
	request_init(&r, action);
	if (!dossier) {
		if (jx_str(o, "to", 0, &r.to, &e) == -1 ||
		    jx_str(o, "handler", 0, &r.handler, &e) == -1 ||
		    jx_str(o, "reason", 0, &r.reason, &e) == -1 ||
		    jx_str(o, "due", 0, &due, &e) == -1 ||
		    jx_int(o, "expect_version", 0, &expect, &e) == -1 ||
		    text_ok("reason", r.reason, 4000, &e) == -1)
			goto bad;
		ev = json_object_get(o, "expect_version");
		if (ev != NULL && !json_is_null(ev) &&
		    expect_check(expect, &e) == -1)
			goto bad;
		if (r.to == NULL)
			r.to = g.to;
		if (r.handler == NULL)
			r.handler = g.handler;
		if (r.reason == NULL)
			r.reason = g.reason;
		if (due != NULL && cal_parse(&g.cal, due, &r.due) == -1) {
			dx_seterr(&e, DX_DATAERR, _("due: '%s' is not an RFC"
			    " 3339 time"), due);
			goto bad;
		}
		m = json_object_get(o, "missing");
		if (m != NULL && !json_is_null(m)) {
			if (!json_is_array(m)) {
				dx_seterr(&e, DX_DATAERR, _("field 'missing'"
				    " must be an array of document names"));
				goto bad;
			}
			if (missing_ok(m, &e) == -1)
				goto bad;
			r.missing = m;
		}
	}
	one(where, key, expect, &r);
	return;
bad:
	dx_warn("%s: %s", where, e.msg);
	g.failed++;
	g.lastcode = DX_DATAERR;
}

static void
read_input(void)
{
	struct jsonl_reader rd;
	struct dx_err e;
	json_t *o;
	int rc;

	jsonl_init(&rd, stdin, "stdin");
	while ((rc = jsonl_next(&rd, &o, &e)) != 0) {
		if (rc == -2) {
			db_rollback(g.db);
			dx_die_err(&e);
		}
		if (rc == -1) {
			dx_warn("%s", e.msg);
			g.failed++;
			g.lastcode = DX_DATAERR;
			continue;
		}
		line(&rd, o);
		json_decref(o);
	}
	jsonl_free(&rd);
}

static void
prepare(void)
{
	struct dx_err e;
	struct dx_buf b;

	/* the record's columns, then what the rules need besides */
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	buf_adds(&b, rec_columns_sql);
	buf_adds(&b, ", d.id, d.procedure_id, d.step_at, d.step_due_at,"
	    " d.paused_at, d.paused_total, d.late");
	buf_adds(&b, rec_from_sql);
	buf_adds(&b, " WHERE d.code = ?");
	g.get_code = db_prepare(g.db, b.buf, 1, &e);
	b.len -= strlen("code = ?");
	buf_adds(&b, "uuid = ?");
	g.get_uuid = g.get_code == NULL ? NULL : db_prepare(g.db, b.buf, 1, &e);
	buf_free(&b);
	g.receiver = g.get_uuid == NULL ? NULL : db_prepare(g.db,
	    "SELECT actor FROM events WHERE dossier = ?"
	    " AND action IN ('receive', 'accept')"
	    " ORDER BY action = 'accept' DESC, id LIMIT 1",
	    1, &e);
	g.put = g.receiver == NULL ? NULL : db_prepare(g.db,
	    "UPDATE dossiers SET status = ?, step = ?, step_at = ?,"
	    " step_due_at = ?, handler = ?, unit = ?, owner = ?, start_at = ?,"
	    " due_at = ?, paused_at = ?, paused_total = ?, finished_at = ?,"
	    " returned_at = ?, supplements = ?, extensions = ?, version = ?,"
	    " original_due_at = ?, late = ?, result = ?"
	    " WHERE id = ? AND version = ?", 1, &e);
	g.staff = g.put == NULL ? NULL : db_prepare(g.db,
	    "SELECT 1 FROM staff WHERE login = ? AND active = 1", 1, &e);
	g.rejected = g.staff == NULL ? NULL : db_prepare(g.db,
	    "SELECT 1 FROM events WHERE dossier = ? AND action = 'reject'"
	    " LIMIT 1", 1, &e);
	g.last = g.rejected == NULL ? NULL : db_prepare(g.db,
	    "SELECT coalesce(max(at), 0) FROM events WHERE dossier = ?", 1,
	    &e);
	g.home = g.last == NULL ? NULL : db_prepare(g.db,
	    "SELECT origin FROM events WHERE dossier = ? AND action = 'receive'"
	    " LIMIT 1", 1, &e);
	if (g.home == NULL)
		dx_die_err(&e);
}

static dx_time
parse_time(const char *what, const char *s)
{
	dx_time t;

	if (cal_parse(&g.cal, s, &t) == -1)
		usage(_("%s: '%s' is not an RFC 3339 time"), what, s);
	return t;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'U' },
		{ "at", required_argument, NULL, 'T' },
		{ "batch", required_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'd' },
		{ "due", required_argument, NULL, 'D' },
		{ "expect-version", required_argument, NULL, 'V' },
		{ "form", required_argument, NULL, 'f' },
		{ "handler", required_argument, NULL, 'H' },
		{ "list", no_argument, NULL, 'l' },
		{ "missing", required_argument, NULL, 'm' },
		{ "reason", required_argument, NULL, 'r' },
		{ "to", required_argument, NULL, 't' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *as = NULL, *atopt = NULL, *dueopt = NULL;
	const char *errstr;
	struct frequest r;
	struct dx_err e;
	FILE *fp;
	long long n;
	int ch, i, list = 0;

	dx_setprogname(argv[0]);
	/*
	 * A file size limit must end in a message and 74 like a full disk
	 * (the write fails with EFBIG), not kill the tool silently.
	 */
	signal(SIGXFSZ, SIG_IGN);
	g.batch = 10000;
	g.expect = -1;
	g.form = -1;
	while ((ch = getopt_long(argc, argv, "b:D:d:f:H:lm:r:t:V:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (parse_int(optarg, 1, 1000000, &n, &errstr) == -1)
				usage(_("batch size '%s' is %s"), optarg,
				    errstr);
			g.batch = (long)n;
			break;
		case 'D':
			if (sel_check_time("--due", optarg, &e) == -1)
				usage("%s", e.msg);
			dueopt = optarg;
			break;
		case 'd':
			dbopt = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				g.formfmt = FORM_TEXT;
			else if (strcmp(optarg, "html") == 0)
				g.formfmt = FORM_HTML;
			else
				usage(_("--form: '%s' is not text or html"),
				    optarg);
			g.form = 0;
			break;
		case 'H':
			g.handler = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'm':
			if (g.missing == NULL)
				g.missing = json_array();
			if (text_ok("--missing", optarg, 500, &e) == -1)
				usage("%s", e.msg);
			json_array_append_new(g.missing, json_string(optarg));
			break;
		case 'r':
			if (text_ok("--reason", optarg, 4000, &e) == -1)
				usage("%s", e.msg);
			g.reason = optarg;
			break;
		case 't':
			g.to = optarg;
			break;
		case 'T':
			if (sel_check_time("--at", optarg, &e) == -1)
				usage("%s", e.msg);
			atopt = optarg;
			break;
		case 'U':
			as = optarg;
			break;
		case 'V':
			if (parse_int(optarg, LLONG_MIN, LLONG_MAX, &g.expect,
			    &errstr) == -1)
				usage(_("--expect-version: '%s' is %s"), optarg,
				    errstr);
			if (expect_check(g.expect, &e) == -1)
				dx_die(DX_USAGE, "%s", e.msg);
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	/* --list is alone: anything with it would be ignored */
	if (list) {
		if (argc != 2)
			usage(_("--list takes no other option or operand"));
		flow_describe(print_line);
		dx_exit(DX_OK);
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		g.action = argv[0];
		if (!flow_known(g.action))
			usage(_("unknown action '%s' (see dossier-route -l)"),
			    g.action);
		/* an option the action does not read would be lost */
		unused(g.action, FLOW_USES_TO, g.to != NULL, "--to");
		unused(g.action, FLOW_USES_DUE, dueopt != NULL, "--due");
		unused(g.action, FLOW_USES_HANDLER, g.handler != NULL,
		    "--handler");
		unused(g.action, FLOW_USES_MISSING, g.missing != NULL,
		    "--missing");
		argc--;
		argv++;
	}

	g.db = office_open(db_path(dbopt), 0, &e);
	if (g.db == NULL)
		dx_die_err(&e);
	/* every action appends to the hash chain: say now if it cannot */
	if (crypto_init() == -1)
		dx_die(DX_SOFTWARE, CRYPTO_INIT_FAILED);
	if (db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1 ||
	    actor_get(g.db, as, &g.actor, &e) == -1)
		dx_die_err(&e);
	if (g.actor.as)
		g.os_user = g.actor.os_user;
	/* a time other than now is for an admin entering past actions */
	if (atopt != NULL) {
		if (!g.actor.as && !(g.actor.roles & ROLE_ADMIN))
			dx_die(DX_NOPERM, _("only an admin may give --at"));
		g.at = parse_time("--at", atopt);
		if (g.at > time(NULL))
			dx_die(DX_DATAERR, _("--at %s is in the future: an"
			    " action is dated when it was taken"), atopt);
	}
	if (dueopt != NULL)
		g.due = parse_time("--due", dueopt);
	if ((g.units = units_load(g.db, &g.nunits, &e)) == NULL ||
	    chain_open(g.db, g.office.agency, &g.chain, &e) == -1 ||
	    rec_init(&g.rb, g.db, &g.cal, &e) == -1)
		dx_die_err(&e);
	prepare();
	if (txn_open(&g.tx, g.db, &g.chain, g.batch, &e) == -1)
		dx_die_err(&e);
	/* forms, like records, reach stdout only once their actions commit */
	if (g.form >= 0) {
		if ((fp = spool_file(&g.tx.spool, &e)) == NULL)
			dx_die_err(&e);
		g.forms = form_open(fp, g.formfmt);
	}

	if (argc > 0) {
		for (i = 0; i < argc; i++) {
			request_init(&r, g.action);
			one(NULL, argv[i], g.expect, &r);
		}
	} else
		read_input();
	if (g.forms != NULL && form_close(g.forms, &e) == -1)
		dx_die_err(&e);
	commit();

	json_decref(g.missing);
	rec_free(&g.rb);
	chain_close(&g.chain);
	sqlite3_finalize(g.get_code);
	sqlite3_finalize(g.get_uuid);
	sqlite3_finalize(g.receiver);
	sqlite3_finalize(g.put);
	sqlite3_finalize(g.staff);
	sqlite3_finalize(g.rejected);
	sqlite3_finalize(g.last);
	sqlite3_finalize(g.home);
	units_free(g.units, g.nunits);
	free(g.procs);
	txn_close(&g.tx);
	db_close(g.db);
	cal_free(&g.cal);
	if (g.failed == 0)
		dx_exit(DX_OK);
	dx_exit(g.ok > 0 ? DX_PARTIAL : g.lastcode);
}
