/*
 * catalog.c: import and export of units, procedures and staff.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "applicant.h"
#include "calendar.h"
#include "catalog.h"
#include "db.h"
#include "jsonl.h"
#include "util.h"

static const char *const unit_levels[] = {
	"province", "department", "district", "commune", "section", NULL
};
static const char *const proc_levels[] = {
	"central", "province", "district", "commune", NULL
};
static const char *const roles[] = {
	"reception", "specialist", "leader", "clerk", "admin", NULL
};

static int
in_list(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

static int
digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
agency_valid(const char *s)
{
	/* DDD.DD.DD.LDD */
	return strlen(s) == 13 && digits(s, 3) && s[3] == '.' &&
	    digits(s + 4, 2) && s[6] == '.' && digits(s + 7, 2) &&
	    s[9] == '.' && s[10] >= 'A' && s[10] <= 'Z' && digits(s + 11, 2);
}

int
procedure_code_valid(const char *s)
{
	if (strlen(s) < 8 || !digits(s, 1) || s[1] != '.' || !digits(s + 2, 6))
		return 0;
	if (s[8] == '\0')
		return 1;
	return s[8] == '.' && agency_valid(s + 9);
}

int
role_valid(const char *s)
{
	return in_list(s, roles);
}

static int
login_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 32 || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

/* A validated amount of time as a canonical object {"amount":r,"unit":u}. */
static json_t *
time_canon(const json_t *o, const char *key, int required, struct dx_err *e)
{
	static const char *const keys[] = { "amount", "unit", NULL };
	const json_t *t = json_object_get(o, key);
	const char *unit;
	double amount;

	if (t == NULL || json_is_null(t)) {
		if (required)
			dx_seterr(e, DX_DATAERR, _("missing field '%s'"), key);
		else
			dx_seterr(e, 0, "absent");
		return NULL;
	}
	if (!json_is_object(t)) {
		dx_seterr(e, DX_DATAERR, _("field '%s' must be an object"
		    " {\"amount\":N,\"unit\":U}"), key);
		return NULL;
	}
	if (jx_only(t, keys, key, e) == -1 ||
	    jx_num(t, "amount", JX_REQ, &amount, e) == -1 ||
	    jx_str(t, "unit", JX_REQ, &unit, e) == -1) {
		dx_prefix(e, "%s", key);
		return NULL;
	}
	if (!(amount > 0) || amount > 100000) {
		dx_seterr(e, DX_DATAERR, _("%s: amount must be > 0 and at most"
		    " 100000"), key);
		return NULL;
	}
	if (time_unit_parse(unit) < 0) {
		dx_seterr(e, DX_DATAERR, _("%s: unknown unit '%s'"
		    " (working_days, days, half_days, hours)"), key, unit);
		return NULL;
	}
	/* whole amounts stay integers, so an export reads like its input */
	return json_pack("{s:o,s:s}", "amount",
	    amount == (double)(json_int_t)amount ?
	    json_integer((json_int_t)amount) : json_real(amount),
	    "unit", unit);
}

/* An optional agency/unit code field: NULL, or a valid code. */
static int
code_field(const json_t *o, const char *key, const char **out,
    struct dx_err *e)
{
	if (jx_str(o, key, 0, out, e) == -1)
		return -1;
	if (*out != NULL && !agency_valid(*out))
		return dx_seterr(e, DX_DATAERR, _("field '%s': invalid agency"
		    " code '%s' (want DDD.DD.DD.LDD, e.g. 000.00.22.H56)"), key,
		    *out);
	return 0;
}

/* What one run of the importer has seen, to name lines in errors. */
struct seen {
	char kind;		/* 'u', 'p', 's' */
	char *code;
	long line;
};

struct import {
	struct db *db;
	struct jsonl_reader *r;
	const struct dx_report *report;
	struct catalog_stats *st;
	struct seen *seen;
	size_t nseen, capseen;
	sqlite3_stmt *unit_get, *unit_put;
	sqlite3_stmt *proc_get, *proc_put, *doc_put, *step_put;
	sqlite3_stmt *staff_get, *staff_put;
	time_t now;
};

static long
seen_line(struct import *im, char kind, const char *code)
{
	size_t i;

	for (i = 0; i < im->nseen; i++)
		if (im->seen[i].kind == kind &&
		    strcmp(im->seen[i].code, code) == 0)
			return im->seen[i].line;
	return 0;
}

static void
seen_add(struct import *im, char kind, const char *code)
{
	if (im->nseen == im->capseen) {
		im->capseen = im->capseen ? 2 * im->capseen : 64;
		im->seen = xreallocarray(im->seen, im->capseen,
		    sizeof(*im->seen));
	}
	im->seen[im->nseen].kind = kind;
	im->seen[im->nseen].code = xstrdup(code);
	im->seen[im->nseen].line = im->r->lineno;
	im->nseen++;
}

static int
dup_check(struct import *im, char kind, const char *what, const char *code,
    struct dx_err *e)
{
	long prev = seen_line(im, kind, code);

	if (prev != 0)
		return dx_seterr(e, DX_DATAERR, _("duplicate %s '%s' (also on "
		    "line %ld)"), what, code, prev);
	return 0;
}

static int
import_unit(struct import *im, const json_t *o, struct dx_err *e)
{
	static const char *const keys[] = {
		"v", "kind", "code", "name", "level", "parent", "remote", NULL
	};
	const char *code, *name, *level, *parent;
	int remote = 0, rc;
	sqlite3_stmt *st;

	if (jx_only(o, keys, NULL, e) == -1 ||
	    jx_str(o, "code", JX_REQ, &code, e) == -1 ||
	    jx_str(o, "name", JX_REQ, &name, e) == -1 ||
	    jx_str(o, "level", JX_REQ, &level, e) == -1 ||
	    code_field(o, "parent", &parent, e) == -1 ||
	    jx_bool(o, "remote", 0, &remote, e) == -1 ||
	    text_ok("name", name, 300, e) == -1)
		return -1;
	if (!agency_valid(code))
		return dx_seterr(e, DX_DATAERR, _("invalid agency code '%s'"
		    " (want DDD.DD.DD.LDD, e.g. 000.00.22.H56)"), code);
	if (!in_list(level, unit_levels))
		return dx_seterr(e, DX_DATAERR, _("unknown unit level '%s'"
		    " (province, department, district, commune, section)"),
		    level);
	if (parent != NULL && strcmp(parent, code) == 0)
		return dx_seterr(e, DX_DATAERR, _("unit '%s' is its own"
		    " parent"),
		    code);
	if (dup_check(im, 'u', "unit", code, e) == -1)
		return -1;

	st = im->unit_get;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, level);
	db_bind_text(st, 4, parent);
	sqlite3_bind_int(st, 5, remote);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_seterr(im->db, rc, e, "unit");
	}
	/* 0: absent, 1: same, 2: differs */
	rc = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	seen_add(im, 'u', code);
	if (rc == 1) {
		im->st->unchanged++;
		return 0;
	}
	st = im->unit_put;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, level, -1, SQLITE_STATIC);
	db_bind_text(st, 4, parent);
	sqlite3_bind_int(st, 5, remote);
	if (db_step_done(im->db, st, e) == -1)
		return -1;
	if (rc == 0)
		im->st->added++;
	else
		im->st->changed++;
	return 0;
}

/*
 * Validate a procedure line and build its canonical definition: the
 * fields in a fixed order with defaults filled in, so that the same
 * procedure always serialises to the same bytes.
 */
static json_t *
procedure_canon(const json_t *o, struct dx_err *e)
{
	static const char *const keys[] = {
		"v", "kind", "code", "name", "field", "level", "time",
		"supplement_policy", "remote_extra", "fee_paused", "documents",
		"steps", "supplement_window", NULL
	};
	static const char *const dkeys[] = { "name", "required", NULL };
	static const char *const skeys[] = {
		"name", "role", "unit", "office", "time", NULL
	};
	const char *code, *name, *field, *level, *policy = "restart";
	const char *s, *role, *unit, *office;
	json_t *def = NULL, *t = NULL, *remote = NULL, *window = NULL;
	json_t *docs, *steps, *a, *x;
	int fee = 0, required;
	size_t i, j;
	char where[32];

	if (jx_only(o, keys, NULL, e) == -1 ||
	    jx_str(o, "code", JX_REQ, &code, e) == -1 ||
	    jx_str(o, "name", JX_REQ, &name, e) == -1 ||
	    jx_str(o, "field", JX_REQ, &field, e) == -1 ||
	    jx_str(o, "level", JX_REQ, &level, e) == -1 ||
	    jx_str(o, "supplement_policy", 0, &s, e) == -1 ||
	    jx_bool(o, "fee_paused", 0, &fee, e) == -1 ||
	    text_ok("name", name, 1000, e) == -1 ||
	    text_ok("field", field, 300, e) == -1)
		return NULL;
	if (!procedure_code_valid(code)) {
		dx_seterr(e, DX_DATAERR, _("invalid procedure code '%s' (want"
		    " D.DDDDDD, e.g. 1.001193)"), code);
		return NULL;
	}
	if (!in_list(level, proc_levels)) {
		dx_seterr(e, DX_DATAERR, _("unknown procedure level '%s'"
		    " (central, province, district, commune)"), level);
		return NULL;
	}
	if (s != NULL) {
		if (strcmp(s, "restart") != 0 && strcmp(s, "pause") != 0) {
			dx_seterr(e, DX_DATAERR, _("supplement_policy must be"
			    " 'restart' or 'pause', not '%s'"), s);
			return NULL;
		}
		policy = s;
	}
	if ((t = time_canon(o, "time", 1, e)) == NULL)
		return NULL;
	remote = time_canon(o, "remote_extra", 0, e);
	if (remote == NULL && e->code != 0)
		goto fail;
	/* how long after receipt a supplement may be asked (Decree 61/2018
	 * Art. 19(4): 3 working days unless sector law says otherwise) */
	window = time_canon(o, "supplement_window", 0, e);
	if (window == NULL && e->code != 0)
		goto fail;

	docs = json_array();
	a = json_object_get(o, "documents");
	if (a != NULL && !json_is_null(a) && !json_is_array(a)) {
		dx_seterr(e, DX_DATAERR, _("field 'documents' must be an"
		    " array"));
		json_decref(docs);
		goto fail;
	}
	json_array_foreach(a, i, x) {
		snprintf(where, sizeof(where), "documents[%zu]", i);
		required = 1;
		if (!json_is_object(x)) {
			dx_seterr(e, DX_DATAERR, _("%s must be an"
			    " object"), where);
			json_decref(docs);
			goto fail;
		}
		if (jx_only(x, dkeys, where, e) == -1 ||
		    jx_str(x, "name", JX_REQ, &s, e) == -1 ||
		    jx_bool(x, "required", 0, &required, e) == -1 ||
		    text_ok("name", s, 500, e) == -1) {
			dx_prefix(e, "%s", where);
			json_decref(docs);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcmp(json_string_value(json_object_get(
			    json_array_get(docs, j), "name")), s) == 0) {
				dx_seterr(e, DX_DATAERR, _("%s: duplicate"
				    " document '%s'"), where, s);
				json_decref(docs);
				goto fail;
			}
		json_array_append_new(docs, json_pack("{s:s,s:b}", "name", s,
		    "required", required));
	}

	steps = json_array();
	a = json_object_get(o, "steps");
	if (a == NULL || !json_is_array(a) || json_array_size(a) == 0) {
		dx_seterr(e, DX_DATAERR, _("field 'steps' must be a non-empty"
		    " array of internal steps"));
		json_decref(docs);
		json_decref(steps);
		goto fail;
	}
	json_array_foreach(a, i, x) {
		json_t *st_time;

		snprintf(where, sizeof(where), "steps[%zu]", i);
		if (!json_is_object(x)) {
			dx_seterr(e, DX_DATAERR, _("%s must be an"
			    " object"), where);
			goto fail_steps;
		}
		if (jx_only(x, skeys, where, e) == -1 ||
		    jx_str(x, "name", JX_REQ, &s, e) == -1 ||
		    jx_str(x, "role", 0, &role, e) == -1 ||
		    code_field(x, "unit", &unit, e) == -1 ||
		    code_field(x, "office", &office, e) == -1 ||
		    text_ok("name", s, 300, e) == -1) {
			dx_prefix(e, "%s", where);
			goto fail_steps;
		}
		if (role != NULL && !role_valid(role)) {
			dx_seterr(e, DX_DATAERR, _("%s: unknown role '%s'"
			    " (reception, specialist, leader, clerk, admin)"),
			    where, role);
			goto fail_steps;
		}
		if (role == NULL && unit == NULL) {
			dx_seterr(e, DX_DATAERR, _("%s: a step needs a role or"
			    " a unit"), where);
			goto fail_steps;
		}
		if ((st_time = time_canon(x, "time", 1, e)) == NULL) {
			dx_prefix(e, "%s", where);
			goto fail_steps;
		}
		json_array_append_new(steps, json_pack("{s:s,s:o,s:o,s:o,s:o}",
		    "name", s, "role", jx_strornull(role),
		    "unit", jx_strornull(unit), "office", jx_strornull(office),
		    "time", st_time));
	}

	def = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:b,s:o,s:o}",
	    "code", code, "name", name, "field", field, "level", level,
	    "time", t, "supplement_policy", policy,
	    "remote_extra", remote != NULL ? remote : json_null(),
	    "fee_paused", fee, "documents", docs, "steps", steps);
	/* only when given: older definitions keep their bytes */
	if (window != NULL)
		json_object_set_new(def, "supplement_window", window);
	return def;
fail_steps:
	json_decref(docs);
	json_decref(steps);
fail:
	json_decref(t);
	json_decref(remote);
	json_decref(window);
	return NULL;
}

static int
import_procedure(struct import *im, const json_t *o, struct dx_err *e)
{
	json_t *def, *x, *tm;
	char *text = NULL;
	const char *code, *cur;
	sqlite3_stmt *st;
	sqlite3_int64 id;
	int rc, version = 0, r = -1;
	size_t i;

	e->code = 0;
	if ((def = procedure_canon(o, e)) == NULL)
		return -1;
	code = json_string_value(json_object_get(def, "code"));
	if (dup_check(im, 'p', "procedure", code, e) == -1)
		goto out;
	text = json_dumps(def, JSON_COMPACT);
	if (text == NULL) {
		dx_seterr(e, DX_SOFTWARE, "cannot serialise procedure");
		goto out;
	}

	st = im->proc_get;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		version = sqlite3_column_int(st, 0);
		cur = (const char *)sqlite3_column_text(st, 1);
		if (cur != NULL && strcmp(cur, text) == 0) {
			sqlite3_reset(st);
			seen_add(im, 'p', code);
			im->st->unchanged++;
			r = 0;
			goto out;
		}
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		db_seterr(im->db, rc, e, "procedure");
		goto out;
	}
	sqlite3_reset(st);

	tm = json_object_get(def, "time");
	st = im->proc_put;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, version + 1);
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(def,
	    "name")), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json_string_value(json_object_get(def,
	    "field")), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, json_string_value(json_object_get(def,
	    "level")), -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 6, json_number_value(json_object_get(tm,
	    "amount")));
	sqlite3_bind_text(st, 7, json_string_value(json_object_get(tm,
	    "unit")), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, json_string_value(json_object_get(def,
	    "supplement_policy")), -1, SQLITE_STATIC);
	x = json_object_get(def, "remote_extra");
	if (json_is_object(x)) {
		sqlite3_bind_double(st, 9, json_number_value(json_object_get(x,
		    "amount")));
		sqlite3_bind_text(st, 10, json_string_value(json_object_get(x,
		    "unit")), -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 9);
		sqlite3_bind_null(st, 10);
	}
	sqlite3_bind_int(st, 11, json_is_true(json_object_get(def,
	    "fee_paused")));
	sqlite3_bind_text(st, 12, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)im->now);
	if (db_step_done(im->db, st, e) == -1)
		goto out;
	id = sqlite3_last_insert_rowid(im->db->h);

	json_array_foreach(json_object_get(def, "documents"), i, x) {
		st = im->doc_put;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(x,
		    "name")), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, json_is_true(json_object_get(x,
		    "required")));
		if (db_step_done(im->db, st, e) == -1)
			goto out;
	}
	json_array_foreach(json_object_get(def, "steps"), i, x) {
		tm = json_object_get(x, "time");
		st = im->step_put;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i + 1);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(x,
		    "name")), -1, SQLITE_STATIC);
		db_bind_text(st, 4, json_string_value(json_object_get(x,
		    "role")));
		db_bind_text(st, 5, json_string_value(json_object_get(x,
		    "unit")));
		db_bind_text(st, 6, json_string_value(json_object_get(x,
		    "office")));
		sqlite3_bind_double(st, 7, json_number_value(json_object_get(tm,
		    "amount")));
		sqlite3_bind_text(st, 8, json_string_value(json_object_get(tm,
		    "unit")), -1, SQLITE_STATIC);
		if (db_step_done(im->db, st, e) == -1)
			goto out;
	}
	seen_add(im, 'p', code);
	if (version == 0)
		im->st->added++;
	else
		im->st->changed++;
	r = 0;
out:
	free(text);
	json_decref(def);
	return r;
}

static int
import_staff(struct import *im, const json_t *o, struct dx_err *e)
{
	static const char *const keys[] = {
		"v", "kind", "login", "name", "unit", "roles", "active", NULL
	};
	const char *login, *name, *unit, *role;
	json_t *a, *x, *canon;
	char *text;
	int active = 1, rc;
	size_t i, j;
	sqlite3_stmt *st;

	if (jx_only(o, keys, NULL, e) == -1 ||
	    jx_str(o, "login", JX_REQ, &login, e) == -1 ||
	    jx_str(o, "name", JX_REQ, &name, e) == -1 ||
	    code_field(o, "unit", &unit, e) == -1 ||
	    jx_bool(o, "active", 0, &active, e) == -1 ||
	    text_ok("name", name, 300, e) == -1)
		return -1;
	if (unit == NULL)
		return dx_seterr(e, DX_DATAERR, _("missing field 'unit'"));
	if (!login_valid(login))
		return dx_seterr(e, DX_DATAERR, _("invalid login '%s' (letters,"
		    " digits, '.', '_', '-'; at most 32)"), login);
	a = json_object_get(o, "roles");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return dx_seterr(e, DX_DATAERR, _("field 'roles' must be a"
		    " non-empty array"));
	/* canonical: the known roles in their fixed order */
	canon = json_array();
	for (j = 0; roles[j] != NULL; j++) {
		json_array_foreach(a, i, x) {
			if (!json_is_string(x)) {
				json_decref(canon);
				return dx_seterr(e, DX_DATAERR, _("roles[%zu]"
				    " must be a string"), i);
			}
			role = json_string_value(x);
			if (!role_valid(role)) {
				json_decref(canon);
				return dx_seterr(e, DX_DATAERR, _("unknown role"
				    " '%s' (reception, specialist, leader, "
				    "clerk, admin)"), role);
			}
			if (strcmp(role, roles[j]) == 0) {
				json_array_append_new(canon,
				    json_string(role));
				break;
			}
		}
	}
	if (json_array_size(canon) != json_array_size(a)) {
		json_decref(canon);
		return dx_seterr(e, DX_DATAERR, _("duplicate role in 'roles'"));
	}
	if (dup_check(im, 's', "staff login", login, e) == -1) {
		json_decref(canon);
		return -1;
	}
	text = json_dumps(canon, JSON_COMPACT);
	json_decref(canon);
	if (text == NULL)
		return dx_seterr(e, DX_SOFTWARE, "cannot serialise roles");

	st = im->staff_get;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, active);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		free(text);
		return db_seterr(im->db, rc, e, "staff");
	}
	rc = sqlite3_column_int(st, 0);	/* 0: absent, 1: same, 2: differs */
	sqlite3_reset(st);
	seen_add(im, 's', login);
	if (rc == 1) {
		free(text);
		im->st->unchanged++;
		return 0;
	}
	st = im->staff_put;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, active);
	if (db_step_done(im->db, st, e) == -1) {
		free(text);
		return -1;
	}
	free(text);
	if (rc == 0)
		im->st->added++;
	else
		im->st->changed++;
	return 0;
}

/* Report a bad line and count it. */
static void
reject(struct import *im, struct dx_err *e)
{
	char msg[sizeof(e->msg) + 64];

	snprintf(msg, sizeof(msg), "%s:%ld: %s", im->r->name, im->r->lineno,
	    e->msg);
	dx_report(im->report, "%s", msg);
	im->st->rejected++;
}

/*
 * After all lines: every reference must resolve and the unit tree must
 * have no cycle.  Each problem is reported against the line that made it.
 */
static int
check_refs(struct import *im, struct dx_err *e)
{
	/* each names the line's kind, its code, the problem and its subject */
	static const char *const q[] = {
		/* units whose parent does not exist */
		"SELECT 'u', code, 0, parent, NULL"
		" FROM units WHERE parent IS NOT NULL"
		" AND parent NOT IN (SELECT code FROM units)",
		/* staff in unknown units */
		"SELECT 's', login, 1, unit, NULL"
		" FROM staff WHERE unit NOT IN (SELECT code FROM units)",
		/* steps naming unknown units */
		"SELECT DISTINCT 'p', p.code, 2, s.unit, s.seq"
		" FROM procedure_steps s JOIN procedures p"
		" ON p.id = s.procedure_id WHERE s.unit IS NOT NULL"
		" AND s.unit NOT IN (SELECT code FROM units)",
		/* units that are their own ancestor */
		"WITH RECURSIVE walk(start, cur, depth) AS ("
		"  SELECT code, parent, 1 FROM units WHERE parent IS NOT NULL"
		"  UNION ALL"
		"  SELECT w.start, u.parent, w.depth + 1 FROM walk w"
		"  JOIN units u ON u.code = w.cur"
		"  WHERE u.parent IS NOT NULL AND w.cur <> w.start"
		"  AND w.depth <= (SELECT count(*) FROM units))"
		" SELECT DISTINCT 'u', start, 3, start, NULL"
		" FROM walk WHERE cur = start",
	};
	sqlite3_stmt *st;
	size_t i;
	int rc, bad = 0;
	long line;
	char msg[1024], what[512];

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		if ((st = db_prepare(im->db, q[i], 0, e)) == NULL)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(st, 0);
			const char *code = (const char *)sqlite3_column_text(st, 1);
			const char *arg = (const char *)sqlite3_column_text(st, 3);
			long long seq = sqlite3_column_int64(st, 4);

			switch (sqlite3_column_int(st, 2)) {
			case 0:
				snprintf(what, sizeof(what),
				    _("unknown parent unit '%s'"), arg);
				break;
			case 1:
				snprintf(what, sizeof(what),
				    _("unknown unit '%s'"), arg);
				break;
			case 2:
				snprintf(what, sizeof(what),
				    _("step %lld: unknown unit '%s'"), seq, arg);
				break;
			default:
				snprintf(what, sizeof(what),
				    _("cycle in the unit tree through '%s'"), arg);
				break;
			}
			line = seen_line(im, kind[0], code);
			if (line > 0)
				snprintf(msg, sizeof(msg), "%s:%ld: %s",
				    im->r->name, line, what);
			else
				snprintf(msg, sizeof(msg), "%s: '%s': %s",
				    im->r->name, code, what);
			dx_report(im->report, "%s", msg);
			bad++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_seterr(im->db, rc, e, im->db->path);
	}
	im->st->rejected += bad;
	return bad;
}

static int
prepare_all(struct import *im, struct dx_err *e)
{
	struct db *db = im->db;

	im->unit_get = db_prepare(db, "SELECT CASE"
	    " WHEN NOT EXISTS (SELECT 1 FROM units WHERE code = ?1) THEN 0"
	    " WHEN EXISTS (SELECT 1 FROM units WHERE code = ?1 AND name = ?2"
	    "  AND level = ?3 AND parent IS ?4 AND remote = ?5) THEN 1"
	    " ELSE 2 END", 1, e);
	im->unit_put = db_prepare(db, "INSERT INTO units"
	    " (code, name, level, parent, remote) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
	    " level = excluded.level, parent = excluded.parent,"
	    " remote = excluded.remote", 1, e);
	im->proc_get = db_prepare(db, "SELECT version, definition FROM"
	    " procedures WHERE code = ? ORDER BY version DESC LIMIT 1", 1, e);
	im->proc_put = db_prepare(db, "INSERT INTO procedures (code, version,"
	    " name, field, level, time_amount, time_unit, supplement_policy,"
	    " remote_amount, remote_unit, fee_paused, definition, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 1, e);
	im->doc_put = db_prepare(db, "INSERT INTO procedure_documents"
	    " (procedure_id, seq, name, required) VALUES (?, ?, ?, ?)", 1, e);
	im->step_put = db_prepare(db, "INSERT INTO procedure_steps"
	    " (procedure_id, seq, name, role, unit, office, time_amount,"
	    " time_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", 1, e);
	im->staff_get = db_prepare(db, "SELECT CASE"
	    " WHEN NOT EXISTS (SELECT 1 FROM staff WHERE login = ?1) THEN 0"
	    " WHEN EXISTS (SELECT 1 FROM staff WHERE login = ?1 AND name = ?2"
	    "  AND unit = ?3 AND roles = ?4 AND active = ?5) THEN 1"
	    " ELSE 2 END", 1, e);
	im->staff_put = db_prepare(db, "INSERT INTO staff"
	    " (login, name, unit, roles, active) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (login) DO UPDATE SET name = excluded.name,"
	    " unit = excluded.unit, roles = excluded.roles,"
	    " active = excluded.active", 1, e);
	if (im->unit_get == NULL || im->unit_put == NULL ||
	    im->proc_get == NULL || im->proc_put == NULL ||
	    im->doc_put == NULL || im->step_put == NULL ||
	    im->staff_get == NULL || im->staff_put == NULL)
		return -1;
	return 0;
}

static void
finalize_all(struct import *im)
{
	size_t i;

	sqlite3_finalize(im->unit_get);
	sqlite3_finalize(im->unit_put);
	sqlite3_finalize(im->proc_get);
	sqlite3_finalize(im->proc_put);
	sqlite3_finalize(im->doc_put);
	sqlite3_finalize(im->step_put);
	sqlite3_finalize(im->staff_get);
	sqlite3_finalize(im->staff_put);
	for (i = 0; i < im->nseen; i++)
		free(im->seen[i].code);
	free(im->seen);
}

int
catalog_import(struct db *db, struct jsonl_reader *r,
    const struct dx_report *report, struct catalog_stats *st,
    struct dx_err *e)
{
	if (db_begin(db, e) == -1)
		return -1;
	if (catalog_apply(db, r, 0, report, st, e) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int
catalog_apply(struct db *db, struct jsonl_reader *r, int flags,
    const struct dx_report *report, struct catalog_stats *st,
    struct dx_err *e)
{
	struct import im;
	struct dx_err le;
	json_t *o, *vv;
	const char *kind;
	int rc, ret = -1;

	memset(&im, 0, sizeof(im));
	memset(st, 0, sizeof(*st));
	im.db = db;
	im.r = r;
	im.report = report;
	im.st = st;
	im.now = time(NULL);

	if (prepare_all(&im, e) == -1)
		goto out;
	for (;;) {
		le.code = 0;
		rc = jsonl_next(r, &o, &le);
		if (rc == 0)
			break;
		if (rc == -2) {
			*e = le;
			goto out;
		}
		if (rc == -1) {
			dx_report(report, "%s", le.msg);
			st->rejected++;
			continue;
		}
		st->lines++;
		vv = json_object_get(o, "v");
		if (vv != NULL && (!json_is_integer(vv) ||
		    json_integer_value(vv) != 1))
			rc = dx_seterr(&le, DX_DATAERR, _("unsupported record"
			    " version (want \"v\":1)"));
		else if (jx_str(o, "kind", JX_REQ, &kind, &le) == -1)
			rc = -1;
		else if (strcmp(kind, "unit") == 0)
			rc = import_unit(&im, o, &le);
		else if (strcmp(kind, "procedure") == 0)
			rc = import_procedure(&im, o, &le);
		else if (strcmp(kind, "staff") == 0 &&
		    !(flags & CATALOG_NO_STAFF))
			rc = import_staff(&im, o, &le);
		else
			rc = dx_seterr(&le, DX_DATAERR, _("unknown kind '%s'"
			    " (unit, procedure%s)"), kind,
			    flags & CATALOG_NO_STAFF ? "" : ", staff");
		json_decref(o);
		if (rc == -1) {
			/* a database failure stops the import; bad data not */
			if (le.code != DX_DATAERR) {
				*e = le;
				goto out;
			}
			reject(&im, &le);
		}
	}
	if (st->rejected == 0 && check_refs(&im, e) == -1)
		goto out;
	if (st->rejected > 0) {
		dx_seterr(e, DX_DATAERR, _("%s: %ld bad record%s, nothing"
		    " imported"),
		    r->name, st->rejected, st->rejected == 1 ? "" : "s");
		goto out;
	}
	/* a tool running across this import reloads what it changed */
	if (st->added + st->changed > 0 && db_exec(db, "INSERT INTO settings"
	    " (key, value) VALUES ('catalog_generation', '1')"
	    " ON CONFLICT (key) DO UPDATE SET"
	    " value = CAST(value AS INTEGER) + 1", e) == -1)
		goto out;
	ret = 0;
out:
	finalize_all(&im);
	return ret;
}

int
catalog_generation(struct db *db, sqlite3_stmt **st, int64_t *gen,
    struct dx_err *e)
{
	int rc;

	if (*st == NULL && (*st = db_prepare(db, "SELECT CAST(value AS"
	    " INTEGER) FROM settings WHERE key = 'catalog_generation'", 1,
	    e)) == NULL)
		return -1;
	*gen = 0;
	rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		*gen = sqlite3_column_int64(*st, 0);
	sqlite3_reset(*st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

/* Write a line for each row of the prepared st, then finalize it. */
static int
export_stmt(struct db *db, FILE *fp, sqlite3_stmt *st,
    json_t *(*row)(sqlite3_stmt *, struct dx_err *), struct dx_err *e)
{
	json_t *o;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((o = row(st, e)) == NULL) {
			sqlite3_finalize(st);
			return -1;
		}
		if (jsonl_write(fp, o) == -1) {
			json_decref(o);
			sqlite3_finalize(st);
			return dx_seterr(e, DX_IOERR, _("write error"));
		}
		json_decref(o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

static int
export_query(struct db *db, FILE *fp, const char *sql,
    json_t *(*row)(sqlite3_stmt *, struct dx_err *), struct dx_err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, sql, 0, e)) == NULL)
		return -1;
	return export_stmt(db, fp, st, row, e);
}

static json_t *
unit_row(sqlite3_stmt *st, struct dx_err *e)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:b}", "kind", "unit",
	    "code", (const char *)sqlite3_column_text(st, 0),
	    "name", (const char *)sqlite3_column_text(st, 1),
	    "level", (const char *)sqlite3_column_text(st, 2),
	    "parent", jx_strornull((const char *)sqlite3_column_text(st, 3)),
	    "remote", sqlite3_column_int(st, 4));
}

static json_t *
procedure_row(sqlite3_stmt *st, struct dx_err *e)
{
	json_t *def, *o;
	json_error_t jerr;

	def = json_loads((const char *)sqlite3_column_text(st, 0), 0, &jerr);
	if (def == NULL) {
		dx_seterr(e, DX_DATAERR, _("stored procedure definition is not"
		    " valid JSON: %s"), jerr.text);
		return NULL;
	}
	o = json_pack("{s:s}", "kind", "procedure");
	json_object_update(o, def);
	json_decref(def);
	return o;
}

static json_t *
staff_row(sqlite3_stmt *st, struct dx_err *e)
{
	json_t *o, *roles_;
	json_error_t jerr;

	roles_ = json_loads((const char *)sqlite3_column_text(st, 3), 0, &jerr);
	if (roles_ == NULL) {
		dx_seterr(e, DX_DATAERR, _("stored staff roles are not valid"
		    " JSON: %s"), jerr.text);
		return NULL;
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:o}", "kind", "staff",
	    "login", (const char *)sqlite3_column_text(st, 0),
	    "name", (const char *)sqlite3_column_text(st, 1),
	    "unit", (const char *)sqlite3_column_text(st, 2),
	    "roles", roles_);
	if (!sqlite3_column_int(st, 4))
		json_object_set_new(o, "active", json_false());
	return o;
}

int
catalog_init(struct db *db, const char *agency, const char *name,
    const char *login, struct dx_err *e)
{
	sqlite3_stmt *st;

	st = db_prepare(db, "INSERT INTO units (code, name, level, parent,"
	    " remote) VALUES (?, ?, 'department', NULL, 0)", 0, e);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, agency);
	db_bind_text(st, 2, name);
	if (db_step_done(db, st, e) == -1) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	st = db_prepare(db, "INSERT INTO staff (login, name, unit, roles,"
	    " active) VALUES (?, ?, ?, '[\"admin\"]', 1)", 0, e);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, login);
	db_bind_text(st, 3, agency);
	if (db_step_done(db, st, e) == -1) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
catalog_export(struct db *db, FILE *fp, struct dx_err *e)
{
	if (export_query(db, fp,
	    "WITH RECURSIVE t(code, depth) AS ("
	    "  SELECT code, 0 FROM units WHERE parent IS NULL"
	    "  UNION ALL"
	    "  SELECT u.code, t.depth + 1 FROM units u JOIN t"
	    "  ON u.parent = t.code WHERE t.depth < 1000)"
	    " SELECT u.code, u.name, u.level, u.parent, u.remote"
	    " FROM t JOIN units u USING (code) ORDER BY t.depth, u.code",
	    unit_row, e) == -1)
		return -1;
	if (export_query(db, fp,
	    "SELECT definition FROM procedures p WHERE version ="
	    " (SELECT max(version) FROM procedures q WHERE q.code = p.code)"
	    " ORDER BY code", procedure_row, e) == -1)
		return -1;
	return export_query(db, fp,
	    "SELECT login, name, unit, roles, active FROM staff ORDER BY login",
	    staff_row, e);
}

int
catalog_export_down(struct db *db, FILE *fp, const char *from,
    const char *to, struct dx_err *e)
{
	sqlite3_stmt *st;

	/*
	 * The units the steps name, the sender's, the receiver's and those
	 * below it, and the provincial tier's (the province, its departments
	 * and their sections), with their ancestors, parents first: what the
	 * receiver needs to tell a hand-off (dossier-route's office_for()),
	 * to know the offices above it, and to place its own staff.
	 */
	st = db_prepare(db, "WITH RECURSIVE"
	    " below(code, depth) AS ("
	    "  SELECT code, 0 FROM units WHERE code = ?2"
	    "  UNION"
	    "  SELECT u.code, below.depth + 1 FROM units u JOIN below"
	    "  ON u.parent = below.code WHERE below.depth < 1000),"
	    " up(code, depth) AS ("
	    "  SELECT DISTINCT s.unit, 0 FROM procedure_steps s"
	    "  JOIN procedures p ON p.id = s.procedure_id"
	    "  WHERE s.unit IS NOT NULL AND p.version ="
	    "  (SELECT max(version) FROM procedures q WHERE q.code = p.code)"
	    "  UNION SELECT ?1, 0"
	    "  UNION SELECT code, 0 FROM below"
	    /* the provincial tier, which every office below may hand to */
	    "  UNION SELECT u.code, 0 FROM units u LEFT JOIN units p"
	    "  ON p.code = u.parent WHERE u.level IN ('province', 'department')"
	    "  OR (u.level = 'section' AND p.level IN ('province',"
	    "  'department'))"
	    "  UNION"
	    "  SELECT u.parent, up.depth + 1 FROM units u JOIN up"
	    "  ON u.code = up.code WHERE u.parent IS NOT NULL"
	    "  AND up.depth < 1000)"
	    " SELECT u.code, u.name, u.level, u.parent, u.remote FROM units u"
	    " JOIN (SELECT code, max(depth) AS d FROM up GROUP BY code) t"
	    " USING (code) ORDER BY t.d DESC, u.code", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	if (export_stmt(db, fp, st, unit_row, e) == -1)
		return -1;
	return export_query(db, fp,
	    "SELECT definition FROM procedures p WHERE version ="
	    " (SELECT max(version) FROM procedures q WHERE q.code = p.code)"
	    " ORDER BY code", procedure_row, e);
}

json_t *
procedure_get(struct db *db, const char *code, int version, struct dx_err *e)
{
	sqlite3_stmt *st;
	json_t *def = NULL;
	json_error_t jerr;
	int rc;

	st = db_prepare(db, version > 0 ?
	    "SELECT id, version, definition FROM procedures"
	    " WHERE code = ?1 AND version = ?2" :
	    "SELECT id, version, definition FROM procedures"
	    " WHERE code = ?1 ORDER BY version DESC LIMIT 1", 0, e);
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (version > 0)
		sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		def = json_loads((const char *)sqlite3_column_text(st, 2), 0,
		    &jerr);
		if (def == NULL)
			dx_seterr(e, DX_DATAERR, _("procedure '%s': stored"
			    " definition is not valid JSON"), code);
		else {
			json_object_set_new(def, "id",
			    json_integer(sqlite3_column_int64(st, 0)));
			json_object_set_new(def, "version",
			    json_integer(sqlite3_column_int(st, 1)));
		}
	} else if (rc == SQLITE_DONE)
		dx_seterr(e, DX_NOINPUT, _("unknown procedure '%s'"), code);
	else
		db_seterr(db, rc, e, db->path);
	sqlite3_finalize(st);
	return def;
}

/* ---- procedures as the tools apply them ---------------------------- */

#define PROC_COLUMNS "SELECT id, code, version, name, field, time_amount," \
	" time_unit, remote_amount, remote_unit, supplement_policy," \
	" fee_paused, json_extract(definition, '$.supplement_window.amount')," \
	" json_extract(definition, '$.supplement_window.unit')" \
	" FROM procedures p"

static char *
col_strdup(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return xstrdup((const char *)sqlite3_column_text(st, i));
}

/* Fill *p from a row of PROC_COLUMNS, then its documents and steps. */
static int
proc_read(struct db *db, sqlite3_stmt *st, sqlite3_stmt *docs,
    sqlite3_stmt *steps, struct procedure *p, struct dx_err *e)
{
	struct procedure_step *s;
	int rc;

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->code = col_strdup(st, 1);
	p->version = sqlite3_column_int(st, 2);
	p->name = col_strdup(st, 3);
	p->field = col_strdup(st, 4);
	p->amount = sqlite3_column_double(st, 5);
	p->time_unit = time_unit_parse((const char *)
	    sqlite3_column_text(st, 6));
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		p->remote_amount = sqlite3_column_double(st, 7);
		p->remote_unit = time_unit_parse((const char *)
		    sqlite3_column_text(st, 8));
	}
	p->pause = strcmp((const char *)sqlite3_column_text(st, 9),
	    "pause") == 0;
	p->fee_paused = sqlite3_column_int(st, 10);
	if (sqlite3_column_type(st, 11) != SQLITE_NULL &&
	    sqlite3_column_type(st, 12) != SQLITE_NULL) {
		p->supplement_amount = sqlite3_column_double(st, 11);
		p->supplement_unit = time_unit_parse((const char *)
		    sqlite3_column_text(st, 12));
	}

	sqlite3_bind_int64(docs, 1, p->id);
	while ((rc = sqlite3_step(docs)) == SQLITE_ROW) {
		p->required = xreallocarray(p->required, p->nrequired + 1,
		    sizeof(char *));
		p->required[p->nrequired++] = col_strdup(docs, 0);
	}
	sqlite3_reset(docs);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	sqlite3_bind_int64(steps, 1, p->id);
	while ((rc = sqlite3_step(steps)) == SQLITE_ROW) {
		p->steps = xreallocarray(p->steps, p->nsteps + 1,
		    sizeof(*p->steps));
		s = &p->steps[p->nsteps++];
		s->name = col_strdup(steps, 0);
		s->role = col_strdup(steps, 1);
		s->unit = col_strdup(steps, 2);
		s->office = col_strdup(steps, 3);
		s->amount = sqlite3_column_double(steps, 4);
		s->time_unit = time_unit_parse((const char *)
		    sqlite3_column_text(steps, 5));
	}
	sqlite3_reset(steps);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

/* The statements for documents and steps; 0 or -1 with e set. */
static int
proc_prepare(struct db *db, sqlite3_stmt **docs, sqlite3_stmt **steps,
    struct dx_err *e)
{
	*steps = NULL;
	*docs = db_prepare(db, "SELECT name FROM procedure_documents"
	    " WHERE procedure_id = ? AND required ORDER BY seq", 0, e);
	if (*docs == NULL)
		return -1;
	*steps = db_prepare(db, "SELECT name, role, unit, office,"
	    " time_amount, time_unit FROM procedure_steps"
	    " WHERE procedure_id = ? ORDER BY seq", 0, e);
	return *steps == NULL ? -1 : 0;
}

static int
proc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct procedure *)a)->code,
	    ((const struct procedure *)b)->code);
}

struct procedure *
procedures_current(struct db *db, size_t *n, struct dx_err *e)
{
	struct procedure *p = NULL;
	sqlite3_stmt *st, *docs = NULL, *steps = NULL;
	int rc = SQLITE_ERROR;

	*n = 0;
	st = db_prepare(db, PROC_COLUMNS " WHERE version ="
	    " (SELECT max(version) FROM procedures q WHERE q.code = p.code)",
	    0, e);
	if (st == NULL || proc_prepare(db, &docs, &steps, e) == -1)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = xreallocarray(p, *n + 1, sizeof(*p));
		if (proc_read(db, st, docs, steps, &p[(*n)++], e) == -1)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		db_seterr(db, rc, e, db->path);
		goto out;
	}
	if (p == NULL)
		p = xcalloc(1, sizeof(*p));
	qsort(p, *n, sizeof(*p), proc_cmp);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(docs);
	sqlite3_finalize(steps);
	if (rc != 0) {
		procedures_free(p, *n);
		*n = 0;
		return NULL;
	}
	return p;
}

const struct procedure *
procedures_find(const struct procedure *p, size_t n, const char *code)
{
	struct procedure key;

	key.code = (char *)code;
	return bsearch(&key, p, n, sizeof(*p), proc_cmp);
}

int
procedure_by_id(struct db *db, int64_t id, struct procedure *p,
    struct dx_err *e)
{
	sqlite3_stmt *st, *docs = NULL, *steps = NULL;
	int rc, r = -1;

	memset(p, 0, sizeof(*p));
	st = db_prepare(db, PROC_COLUMNS " WHERE id = ?", 0, e);
	if (st == NULL || proc_prepare(db, &docs, &steps, e) == -1)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		dx_seterr(e, DX_DATAERR, _("procedure %lld is missing"),
		    (long long)id);
	else if (rc != SQLITE_ROW)
		db_seterr(db, rc, e, db->path);
	else
		r = proc_read(db, st, docs, steps, p, e);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(docs);
	sqlite3_finalize(steps);
	if (r == -1)
		procedure_free(p);
	return r;
}

void
procedure_free(struct procedure *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->code);
	free(p->name);
	free(p->field);
	for (i = 0; i < p->nrequired; i++)
		free(p->required[i]);
	free(p->required);
	for (i = 0; i < p->nsteps; i++) {
		free(p->steps[i].name);
		free(p->steps[i].role);
		free(p->steps[i].unit);
		free(p->steps[i].office);
	}
	free(p->steps);
	memset(p, 0, sizeof(*p));
}

void
procedures_free(struct procedure *p, size_t n)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < n; i++)
		procedure_free(&p[i]);
	free(p);
}

static int
unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unitinfo *)a)->code,
	    ((const struct unitinfo *)b)->code);
}

struct unitinfo *
units_load(struct db *db, size_t *n, struct dx_err *e)
{
	struct unitinfo *u = NULL;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	st = db_prepare(db, "WITH RECURSIVE up(start, cur, remote, depth) AS ("
	    "  SELECT code, parent, remote, 0 FROM units"
	    "  UNION ALL"
	    "  SELECT up.start, u.parent, u.remote, up.depth + 1 FROM up"
	    "  JOIN units u ON u.code = up.cur WHERE up.depth < 1000)"
	    " SELECT u.code, u.name, max(up.remote) FROM units u"
	    " JOIN up ON up.start = u.code GROUP BY u.code", 0, e);
	if (st == NULL)
		return NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u = xreallocarray(u, *n + 1, sizeof(*u));
		u[*n].code = xstrdup((const char *)sqlite3_column_text(st, 0));
		u[*n].name = xstrdup((const char *)sqlite3_column_text(st, 1));
		u[*n].remote = sqlite3_column_int(st, 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		units_free(u, *n);
		db_seterr(db, rc, e, db->path);
		return NULL;
	}
	if (u == NULL)
		u = xcalloc(1, sizeof(*u));
	qsort(u, *n, sizeof(*u), unit_cmp);
	return u;
}

void
units_free(struct unitinfo *u, size_t n)
{
	size_t i;

	for (i = 0; u != NULL && i < n; i++) {
		free(u[i].code);
		free(u[i].name);
	}
	free(u);
}

struct unitinfo *
units_find(struct unitinfo *u, size_t n, const char *code)
{
	struct unitinfo key;

	key.code = (char *)code;
	return bsearch(&key, u, n, sizeof(*u), unit_cmp);
}

static char *
col_dup(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	return t != NULL ? xstrdup(t) : NULL;
}

int
catalog_lookup(struct db *db, enum catalog_kind kind, const char *key,
    struct catalog_entry *out, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (key == NULL)
		return 0;
	st = db_prepare(db, kind == CATALOG_UNIT ?
	    "SELECT name, level, parent FROM units WHERE code = ?" :
	    "SELECT name, NULL, NULL FROM staff WHERE login = ?", 0, e);
	if (st == NULL)
		return -1;
	if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
		db_seterr(db, SQLITE_ERROR, e, kind == CATALOG_UNIT ? "units" :
		    "staff");
		sqlite3_finalize(st);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->name = col_dup(st, 0);
		out->level = col_dup(st, 1);
		out->parent = col_dup(st, 2);
	} else if (rc != SQLITE_DONE) {
		db_seterr(db, rc, e, kind == CATALOG_UNIT ? "units" : "staff");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

void
catalog_entry_free(struct catalog_entry *c)
{
	free(c->name);
	free(c->level);
	free(c->parent);
	memset(c, 0, sizeof(*c));
}
