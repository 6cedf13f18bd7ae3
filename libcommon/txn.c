/*
 * txn.c: the write transaction of a tool that stores a stream of records.
 */
#include <stddef.h>
#include <stdio.h>

#include "db.h"
#include "events.h"
#include "spool.h"
#include "txn.h"
#include "util.h"

int
txn_open(struct txn *t, struct db *db, struct chain *chain, long batch,
    struct dx_err *e)
{
	t->db = db;
	t->chain = chain;
	t->batch = batch < 1 ? 1 : batch;
	t->single = 0;
	t->dryrun = 0;
	t->out = stdout;
	t->line = NULL;
	t->line_arg = NULL;
	t->open = 0;
	t->n = 0;
	t->committed = 0;
	return spool_open(&t->spool, e);
}

void
txn_single(struct txn *t, int dryrun)
{
	t->single = 1;
	t->dryrun = dryrun;
}

void
txn_output(struct txn *t, FILE *out,
    int (*line)(const char *s, size_t n, void *arg, struct dx_err *e), void *arg)
{
	t->out = out;
	t->line = line;
	t->line_arg = arg;
}

int
txn_begin(struct txn *t, struct dx_err *e)
{
	if (t->open)
		return 0;
	if (db_begin(t->db, e) == -1)
		return -1;
	t->open = 1;
	t->n = 0;
	if (t->chain != NULL && chain_reload(t->db, t->chain, e) == -1)
		return -1;
	return 0;
}

int
txn_write(struct txn *t, const void *p, size_t n, struct dx_err *e)
{
	return spool_write(&t->spool, p, n, e);
}

void
txn_count(struct txn *t)
{
	t->n++;
}

int
txn_due(const struct txn *t)
{
	if (t->single || !t->open)
		return 0;
	return t->n >= t->batch || db_due(t->db);
}

/* spool_flush's line callback, with the error of the commit. */
struct flush_ctx {
	struct txn *t;
	struct dx_err *e;
};

static int
flush_line(const char *s, size_t n, void *arg)
{
	struct flush_ctx *c = arg;

	return c->t->line(s, n, c->t->line_arg, c->e);
}

int
txn_commit(struct txn *t, struct dx_err *e)
{
	struct flush_ctx c;

	if (t->open) {
		if (t->dryrun)
			db_rollback(t->db);
		else if (db_commit(t->db, e) == -1)
			return -1;
		t->open = 0;
		t->committed += t->n;
		t->n = 0;
	}
	if (t->line == NULL)
		return spool_flush(&t->spool, t->out, NULL, NULL, e);
	c.t = t;
	c.e = e;
	return spool_flush(&t->spool, NULL, flush_line, &c, e);
}

long
txn_fail(struct txn *t)
{
	long lost = t->open ? t->n : 0;

	db_rollback(t->db);
	t->open = 0;
	t->n = 0;
	/* best effort: a tool stops after a failure */
	(void)spool_discard(&t->spool, NULL);
	return lost;
}

void
txn_close(struct txn *t)
{
	if (t == NULL)
		return;
	if (t->db != NULL)
		db_rollback(t->db);
	spool_close(&t->spool);
}
