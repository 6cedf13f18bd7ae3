/*
 * db.h: the office database: open, transactions, errors.
 *
 * db_open() is the one place that opens an office file.  It sets WAL,
 * foreign keys, a busy timeout, synchronous=FULL and SQLite's defensive
 * mode and checks that the file is an office database (application_id)
 * at a schema version a reader can use.  A tool that may write opens the
 * file with office_open() (office.h), which brings the schema up to date
 * on top of this; one that only reads needs nothing above db.  Every
 * statement is prepared with bound parameters; nothing here builds SQL
 * from data.
 *
 * SQLite result codes map to exit codes by db_seterr(): busy or locked ->
 * DX_TEMPFAIL (75, the caller may retry), I/O errors and a full disk ->
 * DX_IOERR (74), a corrupt or foreign file -> DX_DATAERR (65), constraint
 * failures -> DX_DATAERR, anything else -> DX_SOFTWARE (70).
 */
#ifndef DOSSIER_DB_H
#define DOSSIER_DB_H

#include <time.h>

#include <sqlite3.h>

#include "util.h"

#define DB_APPLICATION_ID 0x44534f31	/* "DSO1" */
#define DB_SCHEMA_VERSION 19		/* user_version after migrations */
#define DB_BUSY_TIMEOUT_MS 30000	/* wait for the write lock this long */
#define DB_YIELD_MS 2			/* pause after a commit, see db_commit */
#define DB_SLICE_MS 200			/* longest batch transaction, see db_due */

enum {
	DB_RDONLY = 1,		/* open read-only (lookups, reports) */
	DB_CREATE = 2		/* create a new file; refuse an existing one */
};

struct db {
	sqlite3 *h;		/* the connection */
	char *path;		/* as given */
	int in_tx;		/* inside db_begin() .. db_commit()/rollback */
	struct timespec busy_since;	/* when the current wait began */
	struct timespec tx_since;	/* when the open transaction began */
	int contended;			/* this connection has waited */
};

/*
 * The database path: `opt` (from -d) if not NULL, else $DOSSIER_DB, else
 * NULL (the caller reports "no database: use -d FILE or set DOSSIER_DB").
 */
const char *db_path(const char *opt);

/*
 * Open the office database at `path`.  With DB_RDONLY the schema must be
 * DB_SCHEMA_VERSION (db_schema_usable(): a reader cannot migrate), and
 * the database is ready for a tool that only reads; one that may write
 * opens with office_open() (office.h), which migrates the file on top of
 * this.  Without DB_RDONLY the schema is left as it is.  With DB_CREATE
 * the file must not exist (DX_CANTCREAT) and is created with mode 0600,
 * empty but for its application_id (removed again on failure); otherwise
 * a missing file is DX_NOINPUT.  On a file system mounted read-only
 * (write-protected media) a reader opens the file immutable, so that a
 * WAL database reads without its -shm file (unless a write-ahead log is
 * left beside it, which the -shm then reads), and a writer is refused
 * (DX_IOERR, "...: on a read-only file system ...").  Returns NULL with
 * e set.
 */
struct db *db_open(const char *path, int flags, struct dx_err *e);
/* Close (rolling back an open transaction).  NULL is a no-op. */
void db_close(struct db *db);

/*
 * Fill e from SQLite result code `rc` and the connection's message:
 * "WHAT: message".  Always returns -1.
 */
int db_seterr(struct db *db, int rc, struct dx_err *e, const char *what);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK.  0 or -1 with e set.  Waiting for
 * the write lock polls every millisecond, and a commit is followed by a
 * pause of DB_YIELD_MS: a process writing batch after batch then lets
 * the others waiting for the lock in between, instead of taking it back
 * at once and starving them until their timeout.
 */
int db_begin(struct db *db, struct dx_err *e);
int db_commit(struct db *db, struct dx_err *e);
/*
 * 1 when a batch transaction has held the write lock for DB_SLICE_MS and
 * this connection has had to wait for the lock before (other writers are
 * about): a tool writing a stream commits then, whatever its batch size,
 * so that several writers take turns often and none waits out its
 * timeout.  A writer alone keeps its whole batches.
 */
int db_due(const struct db *db);

/*
 * The file's schema version (PRAGMA user_version) in *v: DB_SCHEMA_VERSION
 * after office_open().  0, or -1 with e set.
 */
int db_schema_version(struct db *db, int *v, struct dx_err *e);

/*
 * Whether schema version `v` of db can be used: a version newer than
 * DB_SCHEMA_VERSION never, an older one only by a writer, which migrates
 * it (`rdonly` zero).  0, or -1 with e set (DX_DATAERR, the message says
 * what to do).
 */
int db_schema_usable(struct db *db, int v, int rdonly, struct dx_err *e);

/*
 * A bulk load (dossier-new --bulk): with `on`, take the database for this
 * connection alone until the load ends (locking_mode EXCLUSIVE) and
 * journal its transactions in a rollback journal instead of the WAL.
 * SQLite's WAL writes every page twice, once in the log and once when
 * the log is copied back; a rollback journal holds only the old content
 * of the pages a transaction changes, so the new pages of a load are
 * written once.  Fails with DX_TEMPFAIL when another connection has the
 * database open (after waiting for it to close as for a lock).  With
 * `on` zero, go back to WAL and shared locking.  A load that stops
 * before it ends leaves the database in rollback mode, which the next
 * writer's db_open() turns back to WAL, and if it stops in the middle of
 * a commit, a journal that the next db_open() rolls back (a reader's
 * too, when its user may write the file).  0, or -1 with e set.
 */
int db_bulk(struct db *db, int on, struct dx_err *e);

/* Roll back if a transaction is open; never fails visibly. */
void db_rollback(struct db *db);

/* Run constant SQL (no parameters, no data).  0 or -1 with e set. */
int db_exec(struct db *db, const char *sql, struct dx_err *e);

/*
 * Prepare `sql`; NULL with e set on error.  Statements a command reuses
 * for every record are prepared once with `persistent` non-zero.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, int persistent,
    struct dx_err *e);

/*
 * Step a statement that returns no rows (or whose rows are ignored) and
 * reset it.  0 or -1 with e set.
 */
int db_step_done(struct db *db, sqlite3_stmt *st, struct dx_err *e);

/* Bind helpers: bind a C string or NULL, as text. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);

/*
 * Read one text setting from the `settings` key/value table into a new
 * string *out (freed by the caller).  Returns 1 if set, 0 if not (*out
 * NULL), -1 on error with e set.
 */
int db_setting(struct db *db, const char *key, char **out, struct dx_err *e);
int db_set_setting(struct db *db, const char *key, const char *value,
    struct dx_err *e);

/* The office row. */
struct office {
	char agency[32];
	char name[256];
	int utc_offset;
	unsigned char public_key[32];
};
/* Read the office row.  0 or -1 with e set. */
int db_office(struct db *db, struct office *o, struct dx_err *e);

#endif
