/*
 * txn.h: the write transaction of a tool that stores a stream of records.
 *
 * After git's ref_transaction: a tool opens one txn, and for each record
 * it begins (a no-op inside an open transaction), writes to the database,
 * spools the record it will print, counts it, and commits when txn_due()
 * says so.  The object holds what dossier-new and dossier-route share:
 *
 *   - BEGIN IMMEDIATE, and the event chain's head re-read at each begin
 *     (another writer may have appended since: see chain_reload());
 *   - batches: a commit every `batch` records, or as soon as db_due()
 *     says the transaction has held the lock DB_SLICE_MS while others
 *     wait, so that writers take turns; or one transaction for the whole
 *     run (all or nothing, or a dry run, which rolls back);
 *   - the spool: records of the open transaction reach the output only
 *     after its COMMIT, so what a reader of the output sees is stored;
 *   - after a failure, how many records were lost with the rollback and
 *     how many were committed before them, for the tool's message ("the
 *     last N records were not stored").
 *
 *	struct txn t;
 *
 *	txn_open(&t, db, &chain, batch, &e);
 *	for each record:
 *		txn_begin(&t, &e);
 *		... INSERT, chain_append() ...
 *		txn_write(&t, line, len, &e);
 *		txn_count(&t);
 *		if (txn_due(&t))
 *			txn_commit(&t, &e);
 *	txn_commit(&t, &e);
 *	txn_close(&t);
 *
 * Any -1 from txn_begin/txn_write/txn_commit (or from the tool's own
 * statements) is a failure of the database, the disk or the spool: the
 * tool calls txn_fail(), says what was lost, and stops.  A record the tool
 * refuses (bad data, no permission) is simply not counted.
 *
 * Like the rest of libcommon, nothing here prints or exits.  The object
 * borrows `db` and `chain`, which must outlive it; one thread uses it.
 */
#ifndef DOSSIER_TXN_H
#define DOSSIER_TXN_H

#include <stddef.h>
#include <stdio.h>

#include "db.h"
#include "events.h"
#include "spool.h"
#include "util.h"

struct txn {
	struct db *db;		/* borrowed */
	struct chain *chain;	/* borrowed; reloaded by each begin, or NULL */
	struct spool spool;	/* records of the open transaction */
	long batch;		/* records per transaction, >= 1 */
	int single;		/* one transaction for the run: never due */
	int dryrun;		/* txn_commit rolls back instead */
	FILE *out;		/* committed records go here (stdout) */
	/* if not NULL, each committed line goes to line() instead of out */
	int (*line)(const char *s, size_t n, void *arg, struct dx_err *e);
	void *line_arg;
	int open;		/* from txn_begin to txn_commit or txn_fail */
	long n;			/* records counted in the open transaction */
	long committed;		/* records committed before it */
};

/*
 * Set up `t` on `db` (and `chain`, which may be NULL) with `batch` records
 * per transaction (values below 1 mean 1), output to stdout, and open its
 * spool.  0, or -1 with e set (DX_IOERR: no spool file).  On success the
 * caller frees it with txn_close().
 */
int txn_open(struct txn *t, struct db *db, struct chain *chain, long batch,
    struct dx_err *e);

/*
 * One transaction for the whole run: txn_due() is never true, and only the
 * final txn_commit() ends it.  With `dryrun`, that commit rolls back (the
 * output is flushed all the same: it shows what would have been stored).
 */
void txn_single(struct txn *t, int dryrun);

/*
 * Send committed records to `out` (default stdout), or with `line` not
 * NULL hand each line to line(s, n, arg, e) instead, `e` being the error
 * of the txn_commit() that flushes: a non-zero return of line() stops the
 * flush and is returned by txn_commit(), with e as line() set it.
 */
void txn_output(struct txn *t, FILE *out,
    int (*line)(const char *s, size_t n, void *arg, struct dx_err *e), void *arg);

/*
 * Begin a transaction unless one is open (t->open): BEGIN IMMEDIATE (waiting for
 * the lock up to DB_BUSY_TIMEOUT_MS, then DX_TEMPFAIL) and the chain's
 * head re-read.  0, or -1 with e set.
 */
int txn_begin(struct txn *t, struct dx_err *e);

/*
 * Append n bytes (a whole record, newline included) to the output of the
 * open transaction.  0, or -1 with e set (DX_IOERR).  A writer that
 * prints through stdio (forms) takes the spool's FILE from
 * spool_file(&t->spool, e) instead.
 */
int txn_write(struct txn *t, const void *p, size_t n, struct dx_err *e);

/* One more record stored in the open transaction. */
void txn_count(struct txn *t);

/*
 * 1 when the open transaction should be committed now: it holds `batch`
 * records, or db_due() (it has held the lock DB_SLICE_MS while another
 * writer waits).  Always 0 after txn_single() or with no transaction open.
 */
int txn_due(const struct txn *t);

/*
 * Commit the open transaction (or roll it back in a dry run), then copy
 * its spooled records to the output.  With no transaction open, only the
 * spool is flushed (a writer may have added a trailer to it).  0, or -1
 * with e set: if COMMIT failed (and was rolled back), t->open is still 1
 * and t->n says how many records were lost, for txn_fail(); if the flush
 * failed, the records are stored, t->open is 0 and t->n is 0.  A line() callback's non-zero return is returned
 * as is.
 */
int txn_commit(struct txn *t, struct dx_err *e);

/*
 * After a failure: roll back the open transaction, if any, drop its
 * spooled records, and return how many records it held, which are not
 * stored (0 if none).  t->committed still says how many were stored before
 * them.  Never fails (dropping the spool is best effort: the tool is
 * expected to stop).
 */
long txn_fail(struct txn *t);

/* Roll back an open transaction and close the spool.  NULL is a no-op. */
void txn_close(struct txn *t);

#endif
