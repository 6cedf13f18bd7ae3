/*
 * t_catalog.c: code validation, and catalog import through the library:
 * statistics, canonical procedures and versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "tap.h"
#include "calendar.h"
#include "catalog.h"
#include "db.h"
#include "jsonl.h"
#include "office.h"
#include "util.h"

void t_catalog(void);

static void
check_codes(void)
{
	static const char *const good_agency[] = {
		"000.00.22.H56", "000.17.22.H56", "999.99.99.Z99",
		"000.00.00.A00", NULL
	};
	static const char *const bad_agency[] = {
		"", "000.0.22.H56", "000.00.22.h56", "000.00.22.H5",
		"000.00.22.H567", "0000.00.22.H56", "000.00.22.56H",
		"000-00-22-H56", "000.00.22.HH6", "00a.00.22.H56",
		" 000.00.22.H56", "000.00.22.H56 ", "000.00.22.\xc4\x90" "56",
		"G01.00.00.H56", NULL
	};
	static const char *const good_proc[] = {
		"1.001193", "1.001776.000.00.00.H56", "2.000000", "9.999999",
		NULL
	};
	static const char *const bad_proc[] = {
		"", "1.00119", "1.0011934", "1.001193.", "1.001193.000.00.00",
		"1.001193.000.00.00.h56", "1.001193-000.00.00.H56", "1,001193",
		"11.001193", "a.001193", "1.00119a", ".001193", "1.001193 ",
		"1.001776.000.00.00.H56.1", NULL
	};
	static const char *const good_role[] = {
		"reception", "specialist", "leader", "clerk", "admin", NULL
	};
	static const char *const bad_role[] = {
		"", "Admin", "ADMIN", "admins", "admin ", "root", "boss", NULL
	};
	size_t i;

	for (i = 0; good_agency[i] != NULL; i++)
		ok(agency_valid(good_agency[i]), "agency_valid('%s')",
		    good_agency[i]);
	for (i = 0; bad_agency[i] != NULL; i++)
		ok(!agency_valid(bad_agency[i]), "agency_valid('%s') is 0",
		    bad_agency[i]);
	for (i = 0; good_proc[i] != NULL; i++)
		ok(procedure_code_valid(good_proc[i]),
		    "procedure_code_valid('%s')", good_proc[i]);
	for (i = 0; bad_proc[i] != NULL; i++)
		ok(!procedure_code_valid(bad_proc[i]),
		    "procedure_code_valid('%s') is 0", bad_proc[i]);
	for (i = 0; good_role[i] != NULL; i++)
		ok(role_valid(good_role[i]), "role_valid('%s')", good_role[i]);
	for (i = 0; bad_role[i] != NULL; i++)
		ok(!role_valid(bad_role[i]), "role_valid('%s') is 0",
		    bad_role[i]);
}

/* Reports collected from catalog_import, its report's context. */
struct reports {
	struct dx_buf text;
	int n;
};

static void
collect(void *ctx, const char *msg)
{
	struct reports *rep = ctx;

	buf_adds(&rep->text, msg);
	buf_adds(&rep->text, "\n");
	rep->n++;
}

/* Import the text `s`, the reports into `rep`; catalog_import's result. */
static int
import(struct db *db, struct reports *rep, const char *s,
    struct catalog_stats *st, struct dx_err *e)
{
	struct dx_report report = { collect, rep };
	struct jsonl_reader r;
	FILE *fp = tmpfile();
	int rc;

	buf_reset(&rep->text);
	rep->n = 0;
	fputs(s, fp);
	rewind(fp);
	jsonl_init(&r, fp, "cat");
	rc = catalog_import(db, &r, &report, st, e);
	jsonl_free(&r);
	fclose(fp);
	return rc;
}

static const char *
report_text(const struct reports *rep)
{
	return rep->text.buf != NULL ? rep->text.buf : "";
}

#define UNIT_P "{\"kind\":\"unit\",\"code\":\"000.00.00.H56\",\"name\":\"Tỉnh\"," \
	"\"level\":\"province\"}\n"
#define UNIT_C "{\"kind\":\"unit\",\"code\":\"000.00.22.H56\",\"name\":\"Xã\"," \
	"\"level\":\"commune\",\"parent\":\"000.00.00.H56\"}\n"
#define PROC "{\"kind\":\"procedure\",\"code\":\"1.001193\"," \
	"\"name\":\"Đăng ký khai sinh\",\"field\":\"Hộ tịch\"," \
	"\"level\":\"commune\",\"time\":{\"amount\":1,\"unit\":\"working_days\"}," \
	"\"documents\":[{\"name\":\"Tờ khai\"}]," \
	"\"steps\":[{\"name\":\"Thẩm định\",\"role\":\"specialist\"," \
	"\"time\":{\"amount\":0.5,\"unit\":\"working_days\"}}]}\n"
/* the same procedure: keys in another order, 1.0 for 1, defaults spelt */
#define PROC_SAME "{\"code\":\"1.001193\",\"kind\":\"procedure\"," \
	"\"level\":\"commune\",\"field\":\"Hộ tịch\"," \
	"\"name\":\"Đăng ký khai sinh\",\"supplement_policy\":\"restart\"," \
	"\"fee_paused\":false,\"remote_extra\":null," \
	"\"time\":{\"unit\":\"working_days\",\"amount\":1.0}," \
	"\"documents\":[{\"required\":true,\"name\":\"Tờ khai\"}]," \
	"\"steps\":[{\"time\":{\"amount\":0.5,\"unit\":\"working_days\"}," \
	"\"unit\":null,\"name\":\"Thẩm định\",\"role\":\"specialist\"}]}\n"
#define PROC_V2 "{\"kind\":\"procedure\",\"code\":\"1.001193\"," \
	"\"name\":\"Đăng ký khai sinh\",\"field\":\"Hộ tịch\"," \
	"\"level\":\"commune\",\"time\":{\"amount\":1,\"unit\":\"working_days\"}," \
	"\"documents\":[{\"name\":\"Tờ khai\"}]," \
	"\"steps\":[{\"name\":\"Thẩm định\",\"role\":\"specialist\"," \
	"\"time\":{\"amount\":4,\"unit\":\"hours\"}}]}\n"
#define STAFF "{\"kind\":\"staff\",\"login\":\"an.nv\",\"name\":\"An\"," \
	"\"unit\":\"000.00.22.H56\",\"roles\":[\"reception\"]}\n"

/* catalog_lookup() on the units and staff of UNIT_P, UNIT_C and STAFF */
static void
check_lookup(struct db *db)
{
	struct catalog_entry c;
	struct dx_err e;

	is_int(catalog_lookup(db, CATALOG_UNIT, "000.00.22.H56", &c, &e), 1,
	    "catalog_lookup: a commune");
	is_str(c.name, "Xã", "... its name");
	is_str(c.level, "commune", "... its level");
	is_str(c.parent, "000.00.00.H56", "... its parent");
	catalog_entry_free(&c);
	ok(c.name == NULL && c.level == NULL && c.parent == NULL,
	    "catalog_entry_free: all NULL after");
	is_int(catalog_lookup(db, CATALOG_UNIT, "000.00.00.H56", &c, &e), 1,
	    "catalog_lookup: the province");
	ok(c.parent == NULL, "... the root has no parent");
	catalog_entry_free(&c);
	is_int(catalog_lookup(db, CATALOG_STAFF, "an.nv", &c, &e), 1,
	    "catalog_lookup: a staff member");
	is_str(c.name, "An", "... the name");
	ok(c.level == NULL && c.parent == NULL, "... no level nor parent");
	catalog_entry_free(&c);
	is_int(catalog_lookup(db, CATALOG_STAFF, "000.00.22.H56", &c, &e), 0,
	    "catalog_lookup: a unit's code is no login");
	ok(c.name == NULL, "... nothing filled in");
	is_int(catalog_lookup(db, CATALOG_UNIT, "an.nv", &c, &e), 0,
	    "catalog_lookup: a login is no unit's code");
	is_int(catalog_lookup(db, CATALOG_UNIT, NULL, &c, &e), 0,
	    "catalog_lookup: a NULL key is none");
}

static void
check_import(void)
{
	char dir[64], path[96], cmd[128];
	struct reports rep = { 0 };
	struct dx_report report = { collect, &rep };
	struct catalog_stats st;
	struct dx_err e;
	struct db *db;
	json_t *p;
	int failed = tap_failed;

	buf_init(&rep.text);
	snprintf(dir, sizeof(dir), "%s/t_catalog.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	db = office_open(path, DB_CREATE, &e);
	if (db == NULL) {
		ok(0, "office_open: %s", e.msg);
		return;
	}

	is_int(import(db, &rep, UNIT_C UNIT_P PROC STAFF, &st, &e), 0,
	    "import: a child before its parent is fine");
	ok(st.lines == 4 && st.added == 4 && st.changed == 0 &&
	    st.unchanged == 0 && st.rejected == 0, "... 4 added");
	is_int(rep.n, 0, "... nothing reported");
	ok(!db->in_tx, "... the transaction is over");

	is_int(import(db, &rep, UNIT_P UNIT_C PROC_SAME STAFF, &st, &e), 0,
	    "the same catalog, spelt differently");
	ok(st.unchanged == 4 && st.added == 0 && st.changed == 0,
	    "... is unchanged (%ld added, %ld changed)", st.added, st.changed);

	check_lookup(db);

	p = procedure_get(db, "1.001193", 0, &e);
	ok(p != NULL, "procedure_get");
	if (p != NULL) {
		json_t *d = json_array_get(json_object_get(p, "documents"), 0);

		is_int(json_integer_value(json_object_get(p, "version")), 1,
		    "... version 1");
		ok(json_integer_value(json_object_get(p, "id")) > 0,
		    "... with an id");
		ok(json_object_get(p, "kind") == NULL, "... without kind");
		is_str(json_string_value(json_object_get(p,
		    "supplement_policy")), "restart", "... default restart");
		ok(json_is_true(json_object_get(d, "required")),
		    "... documents are required by default");
		ok(json_is_null(json_object_get(p, "remote_extra")),
		    "... remote_extra null");
		json_decref(p);
	}

	is_int(import(db, &rep, PROC_V2, &st, &e), 0, "a changed step time");
	ok(st.changed == 1 && st.added == 0, "... is a change");
	p = procedure_get(db, "1.001193", 0, &e);
	is_int(json_integer_value(json_object_get(p, "version")), 2,
	    "... the current version is 2");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(p, "steps"), 0), "time"), "unit")),
	    "hours", "... with the new step time");
	json_decref(p);
	p = procedure_get(db, "1.001193", 1, &e);
	is_int(json_integer_value(json_object_get(p, "version")), 1,
	    "version 1 is kept");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(p, "steps"), 0), "time"), "unit")),
	    "working_days", "... with the old step time");
	json_decref(p);
	e.code = 0;
	ok(procedure_get(db, "1.001193", 3, &e) == NULL &&
	    e.code == DX_NOINPUT, "no version 3: DX_NOINPUT");
	e.code = 0;
	ok(procedure_get(db, "1.999999", 0, &e) == NULL &&
	    e.code == DX_NOINPUT, "an unknown procedure: DX_NOINPUT");

	/* all or nothing, every bad line reported */
	e.code = 0;
	is_int(import(db, &rep, UNIT_P
	    "{\"kind\":\"unit\",\"code\":\"000.00.23.H56\",\"name\":\"Mới\","
	    "\"level\":\"commune\",\"parent\":\"000.00.00.H56\"}\n"
	    "{\"kind\":\"unit\"\n"
	    "{\"kind\":\"staff\",\"login\":\"x\",\"name\":\"X\","
	    "\"unit\":\"000.00.22.H56\",\"roles\":[\"root\"]}\n"
	    "\n"
	    "{\"kind\":\"bogus\"}\n", &st, &e), -1, "a catalog with bad lines");
	is_int(e.code, DX_DATAERR, "... DX_DATAERR");
	is_int(rep.n, 3, "... 3 reports");
	ok(strstr(report_text(&rep), "cat:3: ") != NULL &&
	    strstr(report_text(&rep), "cat:4: ") != NULL &&
	    strstr(report_text(&rep), "cat:6: ") != NULL,
	    "... naming lines 3, 4 and 6");
	is_int(st.rejected, 3, "... 3 rejected");
	ok(!db->in_tx, "... the transaction is over");
	is_int(import(db, &rep, "", &st, &e), 0, "an empty catalog");
	is_int(st.lines, 0, "... no lines");
	{
		sqlite3_stmt *q = db_prepare(db, "SELECT count(*) FROM units",
		    0, &e);

		sqlite3_step(q);
		is_int(sqlite3_column_int(q, 0), 2, "the good unit was not added");
		sqlite3_finalize(q);
	}

	/* a cycle that passes every line check */
	is_int(import(db, &rep,
	    "{\"kind\":\"unit\",\"code\":\"000.00.00.H56\",\"name\":\"Tỉnh\","
	    "\"level\":\"province\",\"parent\":\"000.00.22.H56\"}\n", &st, &e),
	    -1, "a cycle through the database is refused");
	ok(strstr(report_text(&rep), "cat:1: ") != NULL &&
	    strstr(report_text(&rep), "cycle") != NULL, "... named");

	/* the export round trip through a second database */
	{
		char path2[96], *a = NULL, *b = NULL;
		size_t na = 0, nb = 0;
		struct jsonl_reader r;
		struct db *db2;
		FILE *fa, *fb;

		fa = open_memstream(&a, &na);
		is_int(catalog_export(db, fa, &e), 0, "catalog_export");
		fclose(fa);
		snprintf(path2, sizeof(path2), "%s/copy.db", dir);
		db2 = office_open(path2, DB_CREATE, &e);
		fa = fmemopen(a, na, "r");
		jsonl_init(&r, fa, "export");
		is_int(catalog_import(db2, &r, &report, &st, &e), 0,
		    "import the export");
		jsonl_free(&r);
		fclose(fa);
		fb = open_memstream(&b, &nb);
		catalog_export(db2, fb, &e);
		fclose(fb);
		ok(na > 0 && na == nb && memcmp(a, b, na) == 0,
		    "... exports the same bytes");
		free(a);
		free(b);
		db_close(db2);
	}

	db_close(db);
	buf_free(&rep.text);
	if (tap_failed == failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
}

#define PROC_B "{\"kind\":\"procedure\",\"code\":\"1.000894\"," \
	"\"name\":\"Chứng thực bản sao\",\"field\":\"Chứng thực\"," \
	"\"level\":\"commune\",\"time\":{\"amount\":4,\"unit\":\"hours\"}," \
	"\"supplement_policy\":\"pause\",\"fee_paused\":true," \
	"\"remote_extra\":{\"amount\":2,\"unit\":\"working_days\"}," \
	"\"documents\":[{\"name\":\"Bản chính\"}," \
	"{\"name\":\"Ảnh\",\"required\":false},{\"name\":\"Bản sao\"}]," \
	"\"steps\":[{\"name\":\"Tiếp nhận\",\"unit\":\"000.00.22.H56\",\"time\":" \
	"{\"amount\":1,\"unit\":\"hours\"}},{\"name\":\"Ký\"," \
	"\"role\":\"leader\",\"unit\":\"000.00.22.H56\",\"time\":" \
	"{\"amount\":3,\"unit\":\"hours\"}}]}\n"

/* The procedures as the tools apply them: current versions, by id. */
static void
check_procedures(void)
{
	struct procedure *all, one;
	const struct procedure *p;
	struct reports rep = { 0 };
	struct catalog_stats st;
	struct dx_err e;
	struct db *db;
	char dir[64], path[96], cmd[128];
	int failed = tap_failed;
	int64_t v1 = 0;
	size_t n;
	json_t *j;

	snprintf(dir, sizeof(dir), "%s/t_proc.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	if ((db = office_open(path, DB_CREATE, &e)) == NULL) {
		ok(0, "office_open: %s", e.msg);
		return;
	}
	all = procedures_current(db, &n, &e);
	ok(all != NULL && n == 0, "an empty catalog: no procedures");
	procedures_free(all, n);

	import(db, &rep, UNIT_P UNIT_C PROC STAFF, &st, &e);
	if ((j = procedure_get(db, "1.001193", 0, &e)) != NULL)
		v1 = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	is_int(import(db, &rep, PROC_V2 PROC_B, &st, &e), 0,
	    "a version 2, another");
	if (rep.n > 0)
		printf("# %s", report_text(&rep));

	all = procedures_current(db, &n, &e);
	ok(all != NULL && n == 2, "procedures_current: two procedures");
	if (all == NULL || n != 2)
		goto out;
	is_str(all[0].code, "1.000894", "sorted by code");
	ok(procedures_find(all, n, "1.999999") == NULL, "an unknown code");
	p = procedures_find(all, n, "1.001193");
	ok(p != NULL && p->version == 2 && p->id != v1,
	    "the current version of 1.001193 is 2");
	ok(p != NULL && p->nsteps == 1 && p->steps[0].amount == 4 &&
	    p->steps[0].time_unit == TU_HOURS &&
	    strcmp(p->steps[0].role, "specialist") == 0 &&
	    p->steps[0].unit == NULL, "... with its new step time");
	ok(p != NULL && p->pause == 0 && p->fee_paused == 0 &&
	    p->remote_amount == 0, "... restart, no fee pause, no remote");
	p = procedures_find(all, n, "1.000894");
	ok(p != NULL && strcmp(p->name, "Chứng thực bản sao") == 0 &&
	    strcmp(p->field, "Chứng thực") == 0 && p->version == 1 &&
	    p->amount == 4 && p->time_unit == TU_HOURS,
	    "1.000894: name, field, version, time");
	ok(p != NULL && p->pause && p->fee_paused &&
	    p->remote_amount == 2 && p->remote_unit == TU_WORKING_DAYS,
	    "... pause, fee paused, remote extra");
	ok(p != NULL && p->nrequired == 2 &&
	    strcmp(p->required[0], "Bản chính") == 0 &&
	    strcmp(p->required[1], "Bản sao") == 0,
	    "... the required documents only, in order");
	ok(p != NULL && p->nsteps == 2 && p->steps[0].role == NULL &&
	    strcmp(p->steps[0].name, "Tiếp nhận") == 0 &&
	    strcmp(p->steps[1].role, "leader") == 0 &&
	    strcmp(p->steps[1].unit, "000.00.22.H56") == 0 &&
	    p->steps[1].office == NULL, "... its steps, in order");

	is_int(procedure_by_id(db, v1, &one, &e), 0, "procedure_by_id");
	ok(one.version == 1 && strcmp(one.code, "1.001193") == 0 &&
	    one.nsteps == 1 && one.steps[0].amount == 0.5 &&
	    one.steps[0].time_unit == TU_WORKING_DAYS,
	    "... an old version, with its old step time");
	ok(one.nrequired == 1 && strcmp(one.required[0], "Tờ khai") == 0,
	    "... and its documents");
	procedure_free(&one);
	e.code = 0;
	ok(procedure_by_id(db, 9999, &one, &e) == -1 &&
	    e.code == DX_DATAERR &&
	    strcmp(e.msg, "procedure 9999 is missing") == 0,
	    "a missing id: DX_DATAERR, named");
out:
	procedures_free(all, n);
	buf_free(&rep.text);
	db_close(db);
	if (tap_failed == failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
}

void
t_catalog(void)
{
	check_codes();
	check_import();
	check_procedures();
}
