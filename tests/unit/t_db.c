/*
 * t_db.c: opening, creating and migrating the office database, busy
 * handling, settings, and the hash-chained event log.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "db.h"
#include "events.h"
#include "office.h"
#include "util.h"

void t_db(void);

static char dir[64];

/* path of `name` in the test directory (a static buffer per call site) */
static const char *
path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}

static int
write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	int r = 0;

	if (fp == NULL)
		return -1;
	if (n > 0 && fwrite(p, 1, n, fp) != n)
		r = -1;
	if (fclose(fp) != 0)
		r = -1;
	return r;
}

/* Run SQL on a plain connection (no defensive mode); creates the file. */
static int
raw_exec_(const char *path, const char *sql, int quiet)
{
	sqlite3 *h = NULL;
	char *err = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK && !quiet)
		printf("# %s: %s\n", sql, err ? err : sqlite3_errstr(rc));
	sqlite3_free(err);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

static int
raw_exec(const char *path, const char *sql)
{
	return raw_exec_(path, sql, 0);
}

static int
raw_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
file_mode(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return -1;
	return (int)(sb.st_mode & 07777);
}

static void
check_path(void)
{
	const char *old = getenv("DOSSIER_DB");
	char *save = old ? xstrdup(old) : NULL;

	setenv("DOSSIER_DB", "/env.db", 1);
	is_str(db_path("opt.db"), "opt.db", "db_path: -d wins");
	is_str(db_path(NULL), "/env.db", "db_path: else DOSSIER_DB");
	setenv("DOSSIER_DB", "", 1);
	ok(db_path(NULL) == NULL, "db_path: an empty DOSSIER_DB is none");
	unsetenv("DOSSIER_DB");
	ok(db_path(NULL) == NULL, "db_path: no DOSSIER_DB is none");
	if (save != NULL) {
		setenv("DOSSIER_DB", save, 1);
		free(save);
	}
}

static void
check_open(void)
{
	char p[128], q[128], r[128];
	struct dx_err e;
	struct db *db;
	sqlite3 *h;
	char text[] = "hello, world\n";

	e.code = 0;
	ok(office_open(NULL, 0, &e) == NULL && e.code == DX_USAGE,
	    "office_open(NULL): DX_USAGE");

	path_in(p, sizeof(p), "office.db");
	db = office_open(p, DB_CREATE, &e);
	ok(db != NULL, "office_open DB_CREATE");
	if (db == NULL) {
		printf("#   %s\n", e.msg);
		return;
	}
	is_int(file_mode(p), 0600, "created with mode 0600");
	ok(db->in_tx == 0, "not in a transaction");
	is_int(raw_int(db->h, "PRAGMA user_version"), DB_SCHEMA_VERSION,
	    "user_version is the schema version");
	is_int(raw_int(db->h, "PRAGMA application_id"), DB_APPLICATION_ID,
	    "application_id is set");
	is_int(raw_int(db->h, "PRAGMA foreign_keys"), 1, "foreign keys on");
	is_int(raw_int(db->h, "SELECT count(*) FROM sqlite_schema"
	    " WHERE type = 'trigger'"), 2,
	    "the event log's two triggers (changed_at is kept by the tools)");
	is_int(raw_int(db->h, "SELECT count(*) FROM sqlite_schema"
	    " WHERE name IN ('office','units','procedures','staff','events',"
	    "'blobs','peers','conflicts','calendar_overrides','settings')"),
	    10, "the main tables exist");
	e.code = 0;
	is_int(db_office(db, &(struct office){ 0 }, &e), -1,
	    "db_office: no office row yet");
	is_int(e.code, DX_DATAERR, "... DX_DATAERR");

	/* settings */
	{
		char *v = (char *)"x";

		is_int(db_setting(db, "cutoff", &v, &e), 0, "unset setting: 0");
		ok(v == NULL, "... and NULL");
		is_int(db_set_setting(db, "cutoff", "15:00", &e), 0,
		    "db_set_setting");
		is_int(db_set_setting(db, "cutoff", "16:00", &e), 0,
		    "db_set_setting replaces");
		is_int(db_setting(db, "cutoff", &v, &e), 1, "set setting: 1");
		is_str(v, "16:00", "... the last value");
		free(v);
	}
	is_int(file_mode(p), 0600, "still 0600 after writes");
	path_in(q, sizeof(q), "office.db-wal");
	ok(access(q, F_OK) != 0 || file_mode(q) == 0600,
	    "the WAL file (it holds recent pages) is 0600 too");
	db_close(db);

	e.code = 0;
	ok(office_open(p, DB_CREATE, &e) == NULL && e.code == DX_CANTCREAT,
	    "DB_CREATE refuses an existing file: DX_CANTCREAT");
	ok(strstr(e.msg, p) != NULL, "... naming it: %s", e.msg);

	db = office_open(p, 0, &e);
	ok(db != NULL, "reopen");
	db_close(db);
	db = office_open(p, DB_RDONLY, &e);
	ok(db != NULL, "reopen read-only");
	if (db != NULL)
		is_int(raw_int(db->h, "PRAGMA foreign_keys"), 0,
		    "... without the writers' pragmas (foreign keys)");
	if (db != NULL) {
		e.code = 0;
		is_int(db_exec(db, "INSERT INTO settings VALUES ('a', 'b')",
		    &e), -1, "read-only: a write fails");
		ok(e.code != 0 && e.code != DX_OK, "... with a code (%d)",
		    e.code);
	}
	db_close(db);
	db_close(NULL);

	e.code = 0;
	path_in(q, sizeof(q), "missing.db");
	ok(office_open(q, 0, &e) == NULL && e.code == DX_NOINPUT,
	    "a missing file: DX_NOINPUT");
	ok(access(q, F_OK) != 0, "... not created");
	e.code = 0;
	ok(office_open(q, DB_RDONLY, &e) == NULL && e.code == DX_NOINPUT,
	    "a missing file read-only: DX_NOINPUT");
	e.code = 0;
	ok(office_open(dir, 0, &e) == NULL && e.code == DX_NOINPUT,
	    "a directory: DX_NOINPUT");

	path_in(q, sizeof(q), "text.db");
	write_file(q, text, strlen(text));
	e.code = 0;
	ok(office_open(q, 0, &e) == NULL && e.code == DX_DATAERR,
	    "a text file: DX_DATAERR (%s)", e.msg);
	e.code = 0;
	ok(office_open(q, DB_RDONLY, &e) == NULL && e.code == DX_DATAERR,
	    "a text file read-only: DX_DATAERR");

	/* an SQLite file of another application */
	path_in(q, sizeof(q), "other.db");
	raw_exec(q, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	e.code = 0;
	ok(office_open(q, 0, &e) == NULL && e.code == DX_DATAERR &&
	    strstr(e.msg, "not a dossier database") != NULL,
	    "another application's database: DX_DATAERR, not a dossier"
	    " database");

	/* a schema newer than the tool */
	path_in(q, sizeof(q), "newer.db");
	if (sqlite3_open_v2(p, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		char sql[200];

		snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", q);
		sqlite3_exec(h, sql, NULL, NULL, NULL);
		sqlite3_close(h);
	}
	raw_exec(q, "PRAGMA user_version = 99");
	e.code = 0;
	ok(office_open(q, 0, &e) == NULL && e.code == DX_DATAERR &&
	    strstr(e.msg, "newer") != NULL,
	    "a newer schema version: DX_DATAERR (%s)", e.msg);

	/* an old schema: read-only refuses, a writer migrates */
	path_in(r, sizeof(r), "old.db");
	raw_exec(r, "PRAGMA application_id = 1146310449");
	e.code = 0;
	ok(office_open(r, DB_RDONLY, &e) == NULL && e.code == DX_DATAERR,
	    "version 0 read-only: DX_DATAERR (%s)", e.msg);
	db = office_open(r, 0, &e);
	ok(db != NULL, "version 0 is migrated by a writer");
	if (db != NULL)
		is_int(raw_int(db->h, "PRAGMA user_version"),
		    DB_SCHEMA_VERSION, "... to the schema version");
	db_close(db);

	/* db_open(), the lower half, leaves the schema as it is */
	path_in(r, sizeof(r), "bare.db");
	db = db_open(r, DB_CREATE, &e);
	ok(db != NULL, "db_open DB_CREATE");
	if (db != NULL) {
		is_int(raw_int(db->h, "PRAGMA user_version"), 0,
		    "... makes no tables: version 0");
		is_int(raw_int(db->h, "PRAGMA application_id"),
		    DB_APPLICATION_ID, "... but an office file");
	}
	db_close(db);
	db = db_open(r, 0, &e);
	ok(db != NULL, "db_open of version 0 for writing");
	if (db != NULL)
		is_int(raw_int(db->h, "PRAGMA user_version"), 0,
		    "... does not migrate it");
	db_close(db);

	/*
	 * A read-only open registers no SQL function (only migrations call
	 * them); a writer's migrations have them.
	 */
	db = office_open(p, DB_RDONLY, &e);
	ok(db != NULL, "office_open read-only");
	if (db != NULL) {
		e.code = 0;
		is_int(db_exec(db, "SELECT dossier_fold('A')", &e), -1,
		    "... has no dossier_fold()");
		ok(strstr(e.msg, "no such function") != NULL, "... (%s)",
		    e.msg);
	}
	db_close(db);
}

static void
check_busy(void)
{
	char p[128];
	struct dx_err e;
	struct db *db;
	sqlite3 *other = NULL;

	path_in(p, sizeof(p), "office.db");
	db = office_open(p, 0, &e);
	if (db == NULL) {
		ok(0, "open for the busy test: %s", e.msg);
		return;
	}
	ok(sqlite3_open_v2(p, &other, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK && sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) == SQLITE_OK, "a second connection holds BEGIN IMMEDIATE");
	sqlite3_busy_timeout(db->h, 50);
	e.code = 0;
	is_int(db_begin(db, &e), -1, "db_begin fails while it is held");
	is_int(e.code, DX_TEMPFAIL, "... with DX_TEMPFAIL");
	ok(strstr(e.msg, "busy") != NULL, "... saying busy: %s", e.msg);
	is_int(db->in_tx, 0, "... and is not in a transaction");
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	is_int(db_begin(db, &e), 0, "db_begin once it is released");
	is_int(db->in_tx, 1, "... in a transaction");
	is_int(db_set_setting(db, "k", "v", &e), 0, "a write");
	db_rollback(db);
	is_int(db->in_tx, 0, "db_rollback ends it");
	{
		char *v = NULL;

		is_int(db_setting(db, "k", &v, &e), 0, "... and undid the write");
		free(v);
	}
	db_rollback(db);
	ok(db->in_tx == 0 && sqlite3_get_autocommit(db->h),
	    "db_rollback without a transaction leaves none open");
	is_int(db_begin(db, &e), 0, "... and a transaction begins after it");
	is_int(db_commit(db, &e), 0, "... and commits");
	sqlite3_close(other);
	db_close(db);
}

/* events_verify, collecting the reports into the buffer `ctx` */
static void
collect(void *ctx, const char *msg)
{
	buf_adds(ctx, msg);
	buf_adds(ctx, "\n");
}

static long
verify(const char *path, struct dx_buf *reports, long *nevents)
{
	struct dx_report report = { collect, reports };
	struct dx_err e;
	struct db *db;
	long r;

	buf_reset(reports);
	*nevents = -1;
	db = office_open(path, DB_RDONLY, &e);
	if (db == NULL) {
		printf("# open %s: %s\n", path, e.msg);
		return -2;
	}
	r = events_verify(db, &report, nevents, &e);
	if (r == -1)
		printf("# verify: %s\n", e.msg);
	db_close(db);
	return r;
}

/* The text of the reports: "" for none. */
static const char *
report_text(const struct dx_buf *reports)
{
	return reports->buf != NULL ? reports->buf : "";
}

/* The reports contain `a` (and `b` when not NULL) and not `never`. */
static void
reported(const struct dx_buf *reports, const char *a, const char *b,
    const char *never, const char *what)
{
	const char *t = report_text(reports);
	int good = strstr(t, a) != NULL && (b == NULL || strstr(t, b) != NULL) &&
	    (never == NULL || strstr(t, never) == NULL);
	const char *nl;

	ok(good, "%s", what);
	if (good)
		return;
	printf("#   want '%s'%s%s%s%s, reports:\n", a, b ? " and '" : "",
	    b ? b : "", b ? "'" : "", never ? " only" : "");
	for (; *t != '\0'; t = nl + 1) {
		nl = strchr(t, '\n');
		if (nl == NULL)
			nl = t + strlen(t) - 1;
		printf("#     %.*s\n", (int)(nl - t), t);
	}
}

/* copy the database at `from` to the new file `to` */
static void
copy_db(const char *from, const char *to)
{
	sqlite3 *h;
	char sql[256];

	unlink(to);
	if (sqlite3_open_v2(from, &h, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK) {
		snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", to);
		if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
			printf("# %s: %s\n", sql, sqlite3_errmsg(h));
	}
	sqlite3_close(h);
}

static void
check_events(void)
{
	static const char *const acts[] = { "receive", "assign", "next" };
	char p[128], q[128];
	struct dx_err e;
	struct db *db;
	struct chain c;
	struct event ev;
	struct dx_buf scratch, reports;
	sqlite3_stmt *st;
	unsigned char zero[SHA256_LEN] = { 0 }, prev[SHA256_LEN];
	unsigned char last[SHA256_LEN];
	int64_t id;
	long n, broken;
	int i, bad;

	buf_init(&reports);
	path_in(p, sizeof(p), "events.db");
	db = office_open(p, DB_CREATE, &e);
	if (db == NULL) {
		ok(0, "create events.db: %s", e.msg);
		return;
	}
	ok(db_exec(db, "INSERT INTO office (id, agency, name, utc_offset,"
	    " public_key, created_at) VALUES (1, '000.00.22.H56',"
	    " 'UBND xã Phước Thắng', 25200, zeroblob(32), 0)",
	    &e) == 0, "an office row");
	{
		struct office o;

		is_int(db_office(db, &o, &e), 0, "db_office");
		is_str(o.agency, "000.00.22.H56", "... agency");
		is_str(o.name, "UBND xã Phước Thắng", "... name");
		is_int(o.utc_offset, 25200, "... offset");
	}

	is_int(verify(p, &reports, &n), 0, "an empty log verifies");
	is_int(n, 0, "... with 0 events");

	is_int(db_begin(db, &e), 0, "begin");
	is_int(chain_open(db, "000.00.22.H56", &c, &e), 0, "chain_open");
	is_int(c.seq, 0, "a new chain starts at seq 0");
	ok(memcmp(c.hash, zero, SHA256_LEN) == 0, "... with a zero hash");
	bad = 0;
	for (i = 0; i < 3; i++) {
		char payload[64];

		snprintf(payload, sizeof(payload), "{\"n\":%d}", i + 1);
		id = chain_append(db, &c, "0194f3c2-0000-7000-8000-000000000001",
		    acts[i], "an.nv", 1773280800 + i, payload, &e);
		if (id <= 0 || c.seq != i + 1) {
			printf("#   append %d: %s\n", i + 1, e.msg);
			bad++;
		}
	}
	is_int(bad, 0, "three events appended, seq 1 to 3");
	is_int(db_commit(db, &e), 0, "commit");

	/* the stored chain is the documented one */
	buf_init(&scratch);
	st = db_prepare(db, "SELECT seq, dossier, action, actor, at, payload,"
	    " prev_hash, hash FROM events WHERE origin = '000.00.22.H56'"
	    " ORDER BY seq", 0, &e);
	memset(prev, 0, sizeof(prev));
	bad = 0;
	for (i = 0; st != NULL && sqlite3_step(st) == SQLITE_ROW; i++) {
		ev.origin = "000.00.22.H56";
		ev.seq = sqlite3_column_int64(st, 0);
		ev.dossier = (const char *)sqlite3_column_text(st, 1);
		ev.action = (const char *)sqlite3_column_text(st, 2);
		ev.actor = (const char *)sqlite3_column_text(st, 3);
		ev.at = sqlite3_column_int64(st, 4);
		ev.payload = (const char *)sqlite3_column_text(st, 5);
		memcpy(ev.prev_hash, prev, SHA256_LEN);
		if (ev.seq != i + 1 ||
		    memcmp(sqlite3_column_blob(st, 6), prev, SHA256_LEN) != 0 ||
		    event_hash(&ev, &scratch) != 0 ||
		    memcmp(sqlite3_column_blob(st, 7), ev.hash, SHA256_LEN) != 0)
			bad++;
		memcpy(prev, ev.hash, SHA256_LEN);
	}
	sqlite3_finalize(st);
	is_int(i, 3, "three rows");
	is_int(bad, 0, "each links to the one before and hashes as documented");
	ok(memcmp(prev, c.hash, SHA256_LEN) == 0, "the head is the last hash");
	memcpy(last, prev, SHA256_LEN);

	/* the hash covers every field: a different actor changes it */
	ev.origin = "000.00.22.H56";
	ev.seq = 1;
	ev.dossier = "0194f3c2-0000-7000-8000-000000000001";
	ev.action = "receive";
	ev.actor = "an.nv";
	ev.at = 1773280800;
	ev.payload = "{\"n\":1}";
	memset(ev.prev_hash, 0, SHA256_LEN);
	event_hash(&ev, &scratch);
	memcpy(prev, ev.hash, SHA256_LEN);
	ev.actor = "hung.lv";
	event_hash(&ev, &scratch);
	ok(memcmp(prev, ev.hash, SHA256_LEN) != 0, "the hash covers the actor");
	buf_free(&scratch);

	/* a reloaded chain continues where it was */
	is_int(db_begin(db, &e), 0, "begin");
	is_int(chain_reload(db, &c, &e), 0, "chain_reload");
	is_int(c.seq, 3, "... head at 3");
	ok(memcmp(c.hash, last, SHA256_LEN) == 0, "... with the last hash");
	id = chain_append(db, &c, "d", "x", "y", 0, "{}", &e);
	ok(id > 0 && c.seq == 4, "append a 4th");
	db_rollback(db);
	is_int(db_begin(db, &e), 0, "begin after the rollback");
	is_int(chain_reload(db, &c, &e), 0, "chain_reload after a rollback");
	is_int(c.seq, 3, "... back at 3");
	db_rollback(db);
	chain_close(&c);

	/* a second origin with its own chain */
	is_int(db_begin(db, &e), 0, "begin");
	is_int(chain_open(db, "000.00.23.H56", &c, &e), 0, "a second origin");
	ok(chain_append(db, &c, "d2", "receive", "x", 1, "{}", &e) > 0 &&
	    chain_append(db, &c, "d2", "next", "x", 2, "{}", &e) > 0 &&
	    c.seq == 2, "... its own seq 1 and 2");
	is_int(db_commit(db, &e), 0, "commit");
	chain_close(&c);

	is_int(verify(p, &reports, &n), 0, "two intact chains verify");
	is_int(n, 5, "... 5 events checked");
	ok(report_text(&reports)[0] == '\0', "... nothing reported");

	/* the triggers refuse UPDATE and DELETE */
	e.code = 0;
	is_int(db_exec(db, "UPDATE events SET payload = '{}' WHERE seq = 2",
	    &e), -1, "UPDATE of an event is refused");
	ok(strstr(e.msg, "append-only") != NULL, "... append-only: %s", e.msg);
	is_int(e.code, DX_DATAERR, "... DX_DATAERR");
	e.code = 0;
	is_int(db_exec(db, "DELETE FROM events WHERE seq = 3", &e), -1,
	    "DELETE of an event is refused");
	ok(strstr(e.msg, "append-only") != NULL, "... append-only: %s", e.msg);
	is_int(raw_exec_(p, "UPDATE events SET actor = 'x'", 1), -1,
	    "... also for a plain connection");
	is_int(raw_exec_(p, "DELETE FROM events", 1), -1, "... also DELETE");
	e.code = 0;
	is_int(db_exec(db, "INSERT INTO events (origin, seq, dossier, action,"
	    " actor, at, payload, prev_hash, hash) VALUES ('000.00.22.H56', 2,"
	    " 'd', 'a', 'b', 0, '{}', zeroblob(32), zeroblob(32))", &e), -1,
	    "a second event with the same (origin, seq) is refused");
	db_close(db);
	is_int(verify(p, &reports, &n), 0, "... and the log still verifies");

	/* tampering, each on its own copy */
	path_in(q, sizeof(q), "edit.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET payload = '{\"n\":20}'"
	    " WHERE origin = '000.00.22.H56' AND seq = 2");
	broken = verify(q, &reports, &n);
	is_int(broken, 1, "an edited payload breaks one chain");
	is_int(n, 5, "... all events counted");
	reported(&reports, "000.00.22.H56", "event 2", "event 3",
	    "... reported at event 2 only");

	path_in(q, sizeof(q), "at.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET at = at + 1 WHERE seq = 1;");
	is_int(verify(q, &reports, &n), 2,
	    "an edited time in both chains: 2 broken");
	reported(&reports, "000.00.22.H56: event 1", "000.00.23.H56: event 1",
	    NULL, "... each reported");

	path_in(q, sizeof(q), "relink.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET prev_hash = zeroblob(32)"
	    " WHERE origin = '000.00.22.H56' AND seq = 3;");
	is_int(verify(q, &reports, &n), 1, "a broken link: 1 broken chain");
	reported(&reports, "000.00.22.H56: event 3", NULL, NULL,
	    "... at event 3");

	path_in(q, sizeof(q), "delete.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_delete;"
	    " DELETE FROM events WHERE origin = '000.00.22.H56' AND seq = 2;");
	is_int(verify(q, &reports, &n), 1, "a deleted event: 1 broken chain");
	is_int(n, 4, "... 4 events left");
	reported(&reports, "event 2 missing", NULL, NULL,
	    "... event 2 missing");

	path_in(q, sizeof(q), "seq.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET seq = 5"
	    " WHERE origin = '000.00.22.H56' AND seq = 3;");
	is_int(verify(q, &reports, &n), 1, "a renumbered event: 1 broken chain");

	path_in(q, sizeof(q), "swap.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET seq = -seq"
	    " WHERE origin = '000.00.22.H56' AND seq IN (1, 2);"
	    " UPDATE events SET seq = 2 WHERE seq = -1;"
	    " UPDATE events SET seq = 1 WHERE seq = -2;");
	is_int(verify(q, &reports, &n), 1, "two events swapped: 1 broken chain");

	path_in(q, sizeof(q), "short.db");
	copy_db(p, q);
	raw_exec(q, "DROP TRIGGER events_no_update;"
	    " UPDATE events SET hash = x'00'"
	    " WHERE origin = '000.00.23.H56' AND seq = 2;");
	is_int(verify(q, &reports, &n), 1,
	    "a hash of the wrong length: 1 broken");
	reported(&reports, "000.00.23.H56: event 2", NULL, NULL,
	    "... named");

	buf_free(&reports);
}

void
t_db(void)
{
	char cmd[128];
	int failed = tap_failed;

	snprintf(dir, sizeof(dir), "%s/t_db.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp %s", dir);
		return;
	}
	check_path();
	check_open();
	check_busy();
	check_events();
	if (tap_failed == failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	} else
		printf("# kept %s\n", dir);
}
