/*
 * t_txn.c: the write transaction: batches, output after commit only, a
 * dry run, one transaction for a run, the chain re-read at each begin, a
 * failed COMMIT and what it lost, a failing line writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "db.h"
#include "events.h"
#include "office.h"
#include "txn.h"
#include "util.h"

void t_txn(void);

#define ORIGIN "000.00.22.H56"

static char dir[64];

/* The whole of fp, rewound, as a string in buf. */
static const char *
contents(FILE *fp, char *buf, size_t n)
{
	size_t len;

	fflush(fp);
	rewind(fp);
	len = fread(buf, 1, n - 1, fp);
	buf[len] = '\0';
	fseek(fp, 0, SEEK_END);
	return buf;
}

static long
count(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One record: a row of t and its output line. */
static int
record(struct txn *t, int x, struct dx_err *e)
{
	sqlite3_stmt *st;
	char line[32];
	int rc;

	if (txn_begin(t, e) == -1)
		return -1;
	if ((st = db_prepare(t->db, "INSERT INTO t(x) VALUES (?)", 0,
	    e)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, x);
	rc = db_step_done(t->db, st, e);
	sqlite3_finalize(st);
	if (rc == -1)
		return -1;
	snprintf(line, sizeof(line), "%d\n", x);
	if (txn_write(t, line, strlen(line), e) == -1)
		return -1;
	txn_count(t);
	return 0;
}

static void
check_batches(struct db *db, FILE *out)
{
	struct txn t;
	struct dx_err e;
	char buf[256];
	int i, due = 0, fails = 0;

	is_int(txn_open(&t, db, NULL, 3, &e), 0, "txn_open");
	txn_output(&t, out, NULL, NULL);
	ok(!t.open && !txn_due(&t), "nothing open, nothing due");
	for (i = 1; i <= 2; i++)
		fails += record(&t, i, &e) != 0;
	is_int(fails, 0, "two records");
	ok(t.open && t.n == 2 && !txn_due(&t), "two of three: not due");
	is_str(contents(out, buf, sizeof(buf)), "",
	    "nothing printed before COMMIT");
	is_int(record(&t, 3, &e), 0, "a third record");
	ok(txn_due(&t), "three of three: due");
	is_int(txn_commit(&t, &e), 0, "txn_commit");
	is_str(contents(out, buf, sizeof(buf)), "1\n2\n3\n",
	    "the batch printed after COMMIT");
	ok(!t.open && t.n == 0 && t.committed == 3, "counts after commit");
	is_int(count(db, "SELECT count(*) FROM t"), 3, "three rows stored");

	for (i = 4; i <= 8; i++) {
		fails += record(&t, i, &e) != 0;
		if (txn_due(&t)) {
			due++;
			fails += txn_commit(&t, &e) != 0;
		}
	}
	is_int(fails, 0, "five more records");
	is_int(due, 1, "one more batch due on the way");
	is_int(t.n, 2, "two records in the open transaction");
	is_int(txn_fail(&t), 2, "txn_fail: two records lost");
	ok(!t.open && t.n == 0 && t.committed == 6, "counts after failure");
	is_int(count(db, "SELECT count(*) FROM t"), 6, "rolled back");
	is_int(txn_fail(&t), 0, "txn_fail with nothing open: none lost");
	is_int(txn_commit(&t, &e), 0, "a commit with nothing open");
	is_str(contents(out, buf, sizeof(buf)), "1\n2\n3\n4\n5\n6\n",
	    "records of the failed transaction are never printed");
	txn_close(&t);

	is_int(txn_open(&t, db, NULL, 0, &e), 0, "txn_open, batch 0");
	is_int(t.batch, 1, "a batch below 1 is 1");
	txn_close(&t);
}

static void
check_single(struct db *db, FILE *out)
{
	struct txn t;
	struct dx_err e;
	char buf[256];
	int i, due = 0, fails = 0;

	txn_open(&t, db, NULL, 1, &e);
	txn_output(&t, out, NULL, NULL);
	txn_single(&t, 1);
	for (i = 10; i < 13; i++) {
		fails += record(&t, i, &e) != 0;
		due += txn_due(&t);
	}
	is_int(fails, 0, "a dry run: three records");
	is_int(due, 0, "one transaction: never due, whatever the batch");
	is_int(txn_commit(&t, &e), 0, "the dry run's commit");
	is_int(count(db, "SELECT count(*) FROM t WHERE x >= 10"), 0,
	    "a dry run stores nothing");
	ok(strstr(contents(out, buf, sizeof(buf)), "10\n11\n12\n") != NULL,
	    "and prints what it would have stored");
	txn_close(&t);

	txn_open(&t, db, NULL, 1, &e);
	txn_single(&t, 0);
	txn_output(&t, out, NULL, NULL);
	fails = record(&t, 20, &e) != 0;
	fails += record(&t, 21, &e) != 0;
	ok(fails == 0 && !txn_due(&t) && txn_commit(&t, &e) == 0,
	    "one transaction, committed at the end");
	is_int(count(db, "SELECT count(*) FROM t WHERE x >= 20"), 2,
	    "both stored");
	txn_close(&t);
}

/* Another writer appends to the chain between two transactions. */
static void
check_chain(struct db *db, const char *path)
{
	struct txn t;
	struct chain mine, theirs;
	struct db *other;
	struct dx_err e;
	int64_t id;

	other = office_open(path, 0, &e);
	ok(other != NULL, "a second connection");
	if (other == NULL)
		return;
	chain_open(db, ORIGIN, &mine, &e);
	chain_open(other, ORIGIN, &theirs, &e);
	txn_open(&t, db, &mine, 10, &e);
	txn_begin(&t, &e);
	id = chain_append(db, &mine, "d1", "x", "u", 0, "{}", &e);
	ok(id > 0 && txn_commit(&t, &e) == 0, "ours: event 1");

	db_begin(other, &e);
	chain_reload(other, &theirs, &e);
	id = chain_append(other, &theirs, "d2", "x", "u", 0, "{}", &e);
	ok(id > 0 && db_commit(other, &e) == 0, "theirs: event 2");

	is_int(txn_begin(&t, &e), 0, "txn_begin re-reads the head");
	id = chain_append(db, &mine, "d3", "x", "u", 0, "{}", &e);
	ok(id > 0, "ours: event 3 follows theirs");
	is_int(txn_commit(&t, &e), 0, "and commits");
	is_int(count(db, "SELECT max(seq) FROM events"), 3,
	    "the chain is 1, 2, 3");
	txn_close(&t);
	chain_close(&mine);
	chain_close(&theirs);
	db_close(other);
}

/* A deferred foreign key makes COMMIT itself fail. */
static void
check_commit_fails(struct db *db, FILE *out)
{
	struct txn t;
	struct dx_err e;
	char buf[256];
	long before;

	contents(out, buf, sizeof(buf));
	before = (long)strlen(buf);
	txn_open(&t, db, NULL, 10, &e);
	txn_output(&t, out, NULL, NULL);
	record(&t, 30, &e);
	txn_begin(&t, &e);
	is_int(db_exec(db, "INSERT INTO c(p) VALUES (42)", &e), 0,
	    "a dangling reference, checked at COMMIT");
	e.code = 0;
	is_int(txn_commit(&t, &e), -1, "txn_commit fails");
	ok(e.code == DX_DATAERR && strstr(e.msg, "FOREIGN KEY") != NULL,
	    "with the database's error");
	ok(t.open && t.n == 1, "the transaction still counts as open");
	is_int(txn_fail(&t), 1, "txn_fail: one record lost");
	ok(!db->in_tx, "rolled back");
	is_int(count(db, "SELECT count(*) FROM t WHERE x = 30"), 0,
	    "nothing stored");
	is_int(txn_commit(&t, &e), 0, "a later flush");
	is_int((long)strlen(contents(out, buf, sizeof(buf))), before,
	    "prints nothing of it");
	txn_close(&t);
}

static int
picky(const char *s, size_t n, void *arg, struct dx_err *e)
{
	int *calls = arg;

	if (++*calls == 2)
		return dx_seterr(e, DX_IOERR, "cannot print '%.*s'",
		    (int)n - 1, s);
	return 0;
}

static void
check_line(struct db *db)
{
	struct txn t;
	struct dx_err e;
	int calls = 0;

	txn_open(&t, db, NULL, 10, &e);
	txn_output(&t, NULL, picky, &calls);
	record(&t, 40, &e);
	record(&t, 41, &e);
	e.code = 0;
	is_int(txn_commit(&t, &e), -1, "a line writer's failure");
	ok(e.code == DX_IOERR && strcmp(e.msg, "cannot print '41'") == 0,
	    "reaches txn_commit's error");
	ok(!t.open && t.committed == 2, "the records are stored all the same");
	is_int(count(db, "SELECT count(*) FROM t WHERE x >= 40"), 2,
	    "both rows");
	txn_close(&t);
}

void
t_txn(void)
{
	struct db *db;
	struct dx_err e;
	char path[128], cmd[128];
	FILE *out;
	int failed = tap_failed;

	snprintf(dir, sizeof(dir), "%s/t_txn.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp %s", dir);
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	db = office_open(path, DB_CREATE, &e);
	ok(db != NULL, "a new office database");
	if (db == NULL)
		return;
	out = tmpfile();
	ok(out != NULL && db_exec(db, "CREATE TABLE t(x INTEGER);"
	    "CREATE TABLE p(id INTEGER PRIMARY KEY);"
	    "CREATE TABLE c(p INTEGER REFERENCES p(id)"
	    " DEFERRABLE INITIALLY DEFERRED)", &e) == 0, "test tables");
	check_batches(db, out);
	check_single(db, out);
	check_chain(db, path);
	check_commit_fails(db, out);
	check_line(db);
	fclose(out);
	db_close(db);
	if (tap_failed == failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	} else
		printf("# kept %s\n", dir);
}
