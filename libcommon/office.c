/*
 * office.c: open an office database and bring its schema up to date.
 */
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "fold.h"
#include "office.h"
#include "officekey.h"
#include "schema.sql.h"
#include "search.h"
#include "util.h"

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* one migration for each version: fails to compile otherwise */
typedef char one_migration_a_version[NMIGRATIONS == DB_SCHEMA_VERSION ? 1 :
    -1];

/*
 * SQL dossier_fold(name), fold_name(), and dossier_search_terms(name),
 * search_terms() of that (the user data is non-NULL), for the
 * migrations.
 */
static void
sql_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct dx_buf folded, terms, *out = &folded;
	const char *s;

	(void)argc;
	if ((s = (const char *)sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&folded);
	buf_init(&terms);
	fold_name(s, &folded);
	if (sqlite3_user_data(ctx) != NULL) {
		search_terms(folded.buf, &terms);
		out = &terms;
	}
	sqlite3_result_text(ctx, out->buf, (int)out->len, SQLITE_TRANSIENT);
	buf_free(&folded);
	buf_free(&terms);
}

static int
functions(struct db *db, struct dx_err *e)
{
	if (sqlite3_create_function(db->h, "dossier_fold", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_name, NULL,
	    NULL) != SQLITE_OK || sqlite3_create_function(db->h,
	    "dossier_search_terms", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	    SQLITE_INNOCUOUS, db, sql_name, NULL, NULL) != SQLITE_OK)
		return db_seterr(db, sqlite3_errcode(db->h), e, db->path);
	return 0;
}

/*
 * What SQLite's procedure for changing a table ends with: no row of the
 * dossiers made again by migration 14 refers to a row that is not there.
 * 0, or -1 with e set (DX_DATAERR) naming the first such row.
 */
static int
foreign_keys_hold(struct db *db, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "PRAGMA foreign_key_check(dossiers)", 0,
	    e)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		dx_seterr(e, DX_DATAERR, _("%s: dossier %lld refers to a %s"
		    " row that is not there"), db->path,
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		db_seterr(db, rc, e, db->path);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Apply the migrations from the file's user_version up to the newest, each
 * in its own write transaction.  The version is read again inside the
 * transaction, so two processes opening an old file at once migrate it
 * once.
 */
static int
migrate(struct db *db, struct dx_err *e)
{
	char sql[64];
	int v, registered = 0;

	for (;;) {
		if (db_schema_version(db, &v, e) == -1 ||
		    db_schema_usable(db, v, 0, e) == -1)
			return -1;
		if (v == NMIGRATIONS)
			return 0;
		if (!registered && functions(db, e) == -1)
			return -1;
		registered = 1;
		if (db_begin(db, e) == -1)
			return -1;
		if (db_schema_version(db, &v, e) == -1)
			goto fail;
		if (v < NMIGRATIONS) {
			const char *const *q;

			/* migration 4 drops the key: save it first */
			if (v == 3 && okey_migrate_out(db, e) == -1)
				goto fail;
			for (q = migrations[v]; *q != NULL; q++)
				if (db_exec(db, *q, e) == -1)
					goto fail;
			if (v == 13 && foreign_keys_hold(db, e) == -1)
				goto fail;
			/* a constant integer, not data */
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			    v + 1);
			if (db_exec(db, sql, e) == -1)
				goto fail;
		}
		if (db_commit(db, e) == -1)
			return -1;
		/* the key's old pages must not linger in the WAL either */
		if (v == 3 && db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)",
		    e) == -1)
			return -1;
	}
fail:
	db_rollback(db);
	return -1;
}

struct db *
office_open(const char *path, int flags, struct dx_err *e)
{
	struct db *db;

	if ((db = db_open(path, flags, e)) == NULL)
		return NULL;
	/* db_open() has checked a reader's version: nothing to migrate */
	if ((flags & DB_RDONLY) || migrate(db, e) == 0)
		return db;
	db_close(db);
	/* a half-made database is removed: creation is all or nothing */
	if (flags & DB_CREATE)
		unlink(path);
	return NULL;
}
