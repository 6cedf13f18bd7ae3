/*
 * db.c: open and use the office database.
 */
#define _XOPEN_SOURCE 700	/* realpath(3), an XSI function */

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

const char *
db_path(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	env = getenv("DOSSIER_DB");
	if (env != NULL && *env != '\0')
		return env;
	return NULL;
}

static int
rc_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DX_TEMPFAIL;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		return DX_IOERR;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
		return DX_DATAERR;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return DX_NOPERM;
	default:
		return DX_SOFTWARE;
	}
}

int
db_seterr(struct db *db, int rc, struct dx_err *e, const char *what)
{
	const char *msg;

	msg = db != NULL && db->h != NULL ? sqlite3_errmsg(db->h) :
	    sqlite3_errstr(rc);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return dx_seterr(e, DX_TEMPFAIL,
		    _("%s: database is busy, try again later"), what);
	/* "unable to open database file" hides a refused permission */
	if (rc_code(rc) == DX_IOERR && db != NULL && db->h != NULL &&
	    (sqlite3_system_errno(db->h) == EACCES ||
	    sqlite3_system_errno(db->h) == EPERM))
		return dx_seterr(e, DX_NOPERM, _("%s: permission denied"),
		    what);
	return dx_seterr(e, rc_code(rc), "%s: %s", what, msg);
}

int
db_exec(struct db *db, const char *sql, struct dx_err *e)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, int persistent, struct dx_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v3(db->h, sql, -1,
	    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
	if (rc != SQLITE_OK) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct dx_err *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

int
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int
db_begin(struct db *db, struct dx_err *e)
{
	if (db_exec(db, "BEGIN IMMEDIATE", e) == -1)
		return -1;
	db->in_tx = 1;
	clock_gettime(CLOCK_MONOTONIC, &db->tx_since);
	return 0;
}

int
db_commit(struct db *db, struct dx_err *e)
{
	int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		db_seterr(db, rc, e, db->path);
		db_rollback(db);
		return -1;
	}
	db->in_tx = 0;
	/* let a process waiting for the lock have it before our next batch */
	sqlite3_sleep(DB_YIELD_MS);
	return 0;
}

/* Milliseconds from `then` to `now`. */
static long long
ms_between(const struct timespec *then, const struct timespec *now)
{
	return (long long)(now->tv_sec - then->tv_sec) * 1000 +
	    (now->tv_nsec - then->tv_nsec) / 1000000;
}

int
db_due(const struct db *db)
{
	struct timespec now;

	if (!db->in_tx || !db->contended)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ms_between(&db->tx_since, &now) >= DB_SLICE_MS;
}

void
db_rollback(struct db *db)
{
	if (db == NULL || db->h == NULL)
		return;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
}

static int
pragma_int(struct db *db, const char *sql, int *out, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, sql, 0, e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
db_schema_version(struct db *db, int *v, struct dx_err *e)
{
	return pragma_int(db, "PRAGMA user_version", v, e);
}

int
db_schema_usable(struct db *db, int v, int rdonly, struct dx_err *e)
{
	if (v > DB_SCHEMA_VERSION)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: schema version %d is newer than this tool "
		    "knows (%d): upgrade the toolkit"), db->path, v,
		    DB_SCHEMA_VERSION);
	if (v < DB_SCHEMA_VERSION && rdonly)
		return dx_seterr(e, DX_DATAERR,
		    _("%s: schema version %d needs an upgrade: run"
		    " dossier-admin migrate"), db->path, v);
	return 0;
}

/*
 * The busy handler: poll every millisecond until DB_BUSY_TIMEOUT_MS have
 * passed since this wait began (SQLite's own handler sleeps up to 100 ms
 * between tries and misses a lock that is free only briefly).
 */
static int
busy(void *arg, int count)
{
	struct db *db = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		db->busy_since = now;
	db->contended = 1;
	if (ms_between(&db->busy_since, &now) >= DB_BUSY_TIMEOUT_MS)
		return 0;
	sqlite3_sleep(1);
	return 1;
}

static int
configure(struct db *db, int rdonly, struct dx_err *e)
{
	int on = 1;

	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_handler(db->h, busy, db);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    &on);
	/* 64 MiB at most, allocated as used: indexes' hot pages stay */
	if (db_exec(db, "PRAGMA cache_size = -65536", e) == -1)
		return -1;
	/* foreign keys are checked on writes: a reader skips the statement */
	if (!rdonly && db_exec(db, "PRAGMA foreign_keys = ON", e) == -1)
		return -1;
	return 0;
}

/*
 * WAL and durability, set only once the file is known to be ours; a
 * reader writes nothing to sync.
 */
static int
journal(struct db *db, int rdonly, struct dx_err *e)
{
	if (rdonly)
		return 0;
	if (db_exec(db, "PRAGMA journal_mode = WAL", e) == -1)
		return -1;
	return db_exec(db, "PRAGMA synchronous = FULL", e);
}

/* The journal mode `sql` sets: 1 if it is now `want`, 0 if not, -1. */
static int
journal_set(struct db *db, const char *sql, const char *want,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = db_prepare(db, sql, 0, e)) == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	else
		r = db_seterr(db, rc, e, db->path);
	sqlite3_finalize(st);
	return r;
}

int
db_bulk(struct db *db, int on, struct dx_err *e)
{
	int r, tries;

	if (!on) {
		if (db_exec(db, "PRAGMA locking_mode = NORMAL", e) == -1 ||
		    (r = journal_set(db, "PRAGMA journal_mode = WAL", "wal",
		    e)) == -1)
			return -1;
		if (r == 0)
			return dx_seterr(e, DX_SOFTWARE, _("%s: cannot go"
			    " back to WAL mode"), db->path);
		return 0;
	}
	/*
	 * Leaving WAL needs every other connection closed, and SQLite does
	 * not wait for that: a lookup at the counter, which closes its
	 * connection within milliseconds, is waited for here by the busy
	 * handler, as for any lock.
	 */
	if (db_exec(db, "PRAGMA locking_mode = EXCLUSIVE", e) == -1)
		return -1;
	for (tries = 0;; tries++) {
		r = journal_set(db, "PRAGMA journal_mode = TRUNCATE",
		    "truncate", e);
		if (r == 1 || (r == -1 && e->code != DX_TEMPFAIL) ||
		    !busy(db, tries))
			break;
	}
	/* the lock, taken now rather than at the first commit */
	if (r == 1 && (db_exec(db, "BEGIN EXCLUSIVE", e) == -1 ||
	    db_exec(db, "COMMIT", e) == -1))
		r = -1;
	if (r == 1)
		return 0;
	if (r == 0 || e->code == DX_TEMPFAIL)
		dx_seterr(e, DX_TEMPFAIL, _("%s: in use by another program: a"
		    " bulk load needs the database alone; try again when it is"
		    " free"), db->path);
	db_exec(db, "PRAGMA locking_mode = NORMAL", NULL);
	return -1;
}

/*
 * `path` with its folder resolved by realpath(3), its last component
 * kept: a new string, or NULL when there is nothing to resolve or it
 * cannot be.
 */
static char *
real_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *out;

	if (slash == NULL || slash == path)
		return NULL;
	dir = xstrndup(path, (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return NULL;
	out = xstrfmt("%s%s", real, slash);
	free(real);
	return out;
}

/* 1 when the file system holding `path` is mounted read-only. */
static int
on_rdonly_fs(const char *path)
{
	struct statvfs sv;

	return statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* 1 when a write-ahead log with something in it is beside `path`. */
static int
wal_left(const char *path)
{
	struct stat sb;
	char *wal = xstrfmt("%s-wal", path);
	int r = stat(wal, &sb) == 0 && sb.st_size > 0;

	free(wal);
	return r;
}

/*
 * 1 when a rollback journal that may be hot is beside `path`: a writer
 * stopped in the middle of a commit (a bulk load, db_bulk(), killed).
 * SQLite zeroes a journal's header once the transaction is over.
 */
static int
journal_left(const char *path)
{
	unsigned char head[8] = { 0 };
	char *name = xstrfmt("%s-journal", path);
	int fd, r = 0;

	if ((fd = open(name, O_RDONLY | O_CLOEXEC)) != -1) {
		r = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
		    memcmp(head, "\0\0\0\0\0\0\0\0", sizeof(head)) != 0;
		close(fd);
	}
	free(name);
	return r;
}

/* A reader that cannot roll back the journal journal_left() found. */
static int
journal_refused(const char *path, struct dx_err *e)
{
	return dx_seterr(e, DX_TEMPFAIL, _("%s: a write that did not finish"
	    " left its journal: it is undone when a user who may write the"
	    " database opens it"), path);
}

/*
 * The URI "file:PATH?immutable=1": a database on read-only media, which
 * SQLite cannot open in WAL mode without creating its -shm file beside
 * it, is read as a file nobody changes.  Freed by the caller.
 */
static char *
immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct dx_buf b;
	const unsigned char *p;
	char *out;

	buf_init(&b);
	buf_adds(&b, "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 ||
		    *p >= 0x7f) {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			buf_add(&b, esc, 3);
		} else
			buf_add(&b, (const char *)p, 1);
	buf_adds(&b, "?immutable=1");
	out = xstrdup(b.buf);
	buf_free(&b);
	return out;
}

/* db_open()'s own flag: a second try, after open_rolled_back() */
#define DB_AGAIN 0x100

/*
 * A reader found a rollback journal that a writer stopped in the middle
 * of a transaction left (a bulk load killed, db_bulk()): SQLite lets only
 * a connection that may write roll it back.  Open one for that if this
 * user may write the file (it also sets WAL mode back), then open for
 * reading again.
 */
static struct db *
open_rolled_back(const char *path, int flags, struct dx_err *e)
{
	struct db *w;

	if (access(path, W_OK) == -1) {
		journal_refused(path, e);
		return NULL;
	}
	if ((w = db_open(path, flags & ~DB_RDONLY, e)) == NULL)
		return NULL;
	db_close(w);
	return db_open(path, flags | DB_AGAIN, e);
}

struct db *
db_open(const char *path, int flags, struct dx_err *e)
{
	struct db *db;
	struct stat sb;
	char *real;
	int rc, fd, appid, oflags, v;

	if (path == NULL) {
		dx_seterr(e, DX_USAGE,
		    _("no database: use -d FILE or set DOSSIER_DB"));
		return NULL;
	}
	if (flags & DB_CREATE) {
		/* O_EXCL: never overwrite; 0600: the admin opens it up to staff */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
		if (fd == -1) {
			dx_seterr(e, DX_CANTCREAT, "%s: %s", path,
			    errno == EEXIST ?
			    "already exists, refusing to overwrite it" :
			    strerror(errno));
			return NULL;
		}
		close(fd);
	} else if (lstat(path, &sb) == -1) {
		dx_seterr(e, errno == ENOENT ? DX_NOINPUT : DX_IOERR,
		    "%s: %s", path, errno == ENOENT ?
		    _("no such database (create one with dossier-admin init)") :
		    strerror(errno));
		return NULL;
	} else if (S_ISLNK(sb.st_mode)) {
		dx_seterr(e, DX_NOINPUT, _("%s: a symbolic link (name the"
		    " database file itself)"), path);
		return NULL;
	} else if (!S_ISREG(sb.st_mode)) {
		dx_seterr(e, DX_NOINPUT, _("%s: not a regular file"), path);
		return NULL;
	} else if (access(path, (flags & DB_RDONLY) ? R_OK : R_OK | W_OK) ==
	    -1 && (errno == EACCES || errno == EPERM)) {
		dx_seterr(e, DX_NOPERM, _("%s: permission denied"), path);
		return NULL;
	} else if (!(flags & DB_RDONLY) && on_rdonly_fs(path)) {
		dx_seterr(e, DX_IOERR, _("%s: on a read-only file system"
		    " (write-protected media?): it can be read, not written"),
		    path);
		return NULL;
	} else if (sb.st_size == 0) {
		dx_seterr(e, DX_DATAERR, _("%s: not a dossier database (empty"
		    " file)"), path);
		return NULL;
	}

	/*
	 * On read-only media nothing can roll back a journal left in the
	 * middle of a commit, and SQLite reading the file as immutable
	 * would see the half-written transaction: refuse.
	 */
	if ((flags & DB_RDONLY) && on_rdonly_fs(path) && journal_left(path)) {
		journal_refused(path, e);
		return NULL;
	}
	/*
	 * No allocation statistics: nothing reads them, and keeping them
	 * takes a mutex at every allocation SQLite makes.  Set before
	 * SQLite's first use; refused, harmlessly, after it.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	oflags = (flags & DB_RDONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE;
	/*
	 * One connection, one thread: no mutexes needed.  NOFOLLOW refuses
	 * a symbolic link anywhere in the path, so the folder is resolved
	 * first: a data folder that is a link works, a database file that
	 * is one does not.
	 */
	real = real_folder(path);
	/* with a log left, the -shm beside it lets SQLite read it all */
	if ((flags & DB_RDONLY) && on_rdonly_fs(path) && !wal_left(path)) {
		char *uri = immutable_uri(real != NULL ? real : path);

		free(real);
		real = uri;
		oflags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(real != NULL ? real : path, &db->h, oflags |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
	free(real);
	if (rc != SQLITE_OK) {
		db_seterr(db, rc, e, path);
		goto fail;
	}
	if (configure(db, flags & DB_RDONLY, e) == -1)
		goto fail;
	if (!(flags & DB_CREATE)) {
		/* refuse a foreign file before changing anything in it */
		if ((rc = pragma_int(db, "PRAGMA application_id", &appid,
		    e)) == -1 || appid != DB_APPLICATION_ID) {
			/* busy, out of memory, I/O: say that instead */
			if (rc == 0 || e == NULL || e->code == DX_DATAERR)
				dx_seterr(e, DX_DATAERR,
				    _("%s: not a dossier database"), path);
			goto fail;
		}
	}
	/*
	 * A new file's page size, set before the first write fixes it.  A
	 * dossier row is about 500 bytes and an event about 900: SQLite's
	 * default 4 KiB page holds four events, so the B-trees split often
	 * and a commit writes many small pages.  With 16 KiB pages
	 * dossier-new stores the same applications in about 0.86 of the
	 * time (bench/README, "Figures of 2026-12-03, sixth").  A file
	 * keeps the size it was made with.
	 */
	if ((flags & DB_CREATE) &&
	    db_exec(db, "PRAGMA page_size = 16384", e) == -1)
		goto fail;
	if (journal(db, flags & DB_RDONLY, e) == -1)
		goto fail;
	/* a reader cannot migrate: it uses the newest schema or none */
	if ((flags & DB_RDONLY) && (db_schema_version(db, &v, e) == -1 ||
	    db_schema_usable(db, v, 1, e) == -1))
		goto fail;
	if (flags & DB_CREATE) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		    DB_APPLICATION_ID);
		if (db_exec(db, sql, e) == -1)
			goto fail;
	}
	return db;
fail:
	if ((flags & DB_RDONLY) && !(flags & DB_AGAIN) && db->h != NULL &&
	    sqlite3_extended_errcode(db->h) == SQLITE_READONLY_ROLLBACK) {
		db_close(db);
		return open_rolled_back(path, flags, e);
	}
	db_close(db);
	if (flags & DB_CREATE) {
		/* a half-made database is removed: creation is all or nothing */
		unlink(path);
	}
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_rollback(db);
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

int
db_setting(struct db *db, const char *key, char **out, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	st = db_prepare(db, "SELECT value FROM settings WHERE key = ?", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return *out != NULL;
}

int
db_set_setting(struct db *db, const char *key, const char *value,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?, ?)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	r = db_step_done(db, st, e);
	sqlite3_finalize(st);
	return r;
}

int
db_office(struct db *db, struct office *o, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(o, 0, sizeof(*o));
	st = db_prepare(db, "SELECT agency, name, utc_offset, public_key"
	    " FROM office WHERE id = 1", 0, e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(o->agency, sizeof(o->agency), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		snprintf(o->name, sizeof(o->name), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		o->utc_offset = sqlite3_column_int(st, 2);
		if (sqlite3_column_bytes(st, 3) == 32)
			memcpy(o->public_key, sqlite3_column_blob(st, 3), 32);
		sqlite3_finalize(st);
		return 0;
	}
	if (rc == SQLITE_DONE)
		dx_seterr(e, DX_DATAERR, _("%s: no office record"), db->path);
	else
		db_seterr(db, rc, e, db->path);
	sqlite3_finalize(st);
	return -1;
}
