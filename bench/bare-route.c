/*
 * bare-route: the floor for dossier-route's benchmark.  For every dossier
 * of an office database, three "actions", each a bare prepared UPDATE of
 * the dossier row and INSERT of an event (a payload of the same size, no
 * rules, no hashing), BATCH actions per transaction (default 10000, as
 * dossier-route), with the same connection settings as the toolkit (WAL,
 * synchronous=FULL, a 64 MiB cache).
 *
 *   bare-route dbfile [batch]
 *
 * Prints "ACTIONS SECONDS" on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bare-route: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	sqlite3_stmt *ids, *upd, *ins;
	struct timespec t0, t1;
	unsigned char hash[32];
	char payload[300];
	long long n = 0, seq = 1000000000LL;
	sqlite3_int64 *id = NULL;
	size_t nid = 0, cap = 0, i;
	int step, rc;

	long batch = 10000;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: bare-route dbfile [batch]\n");
		return 64;
	}
	if (argc == 3 && (batch = strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "bare-route: bad batch size\n");
		return 64;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		die(db, argv[1]);
	sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	    " PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536", NULL, NULL,
	    NULL);
	if (sqlite3_prepare_v2(db, "SELECT id FROM dossiers ORDER BY id", -1,
	    &ids, NULL) != SQLITE_OK)
		die(db, "select");
	while ((rc = sqlite3_step(ids)) == SQLITE_ROW) {
		if (nid == cap) {
			cap = cap ? 2 * cap : 1024;
			id = realloc(id, cap * sizeof(*id));
			if (id == NULL)
				return 70;
		}
		id[nid++] = sqlite3_column_int64(ids, 0);
	}
	sqlite3_finalize(ids);
	if (sqlite3_prepare_v2(db, "UPDATE dossiers SET status = 4, step = ?,"
	    " step_at = ?, step_due_at = ?, handler = ?, version = version + 1"
	    " WHERE id = ?", -1, &upd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO events (origin, seq, dossier,"
	    " action, actor, at, payload, prev_hash, hash)"
	    " VALUES ('000.00.99.H56', ?, ?, 'next', 'bench', ?, ?, ?, ?)", -1,
	    &ins, NULL) != SQLITE_OK)
		die(db, "prepare");
	memset(hash, 0x5a, sizeof(hash));
	memset(payload, 'x', sizeof(payload) - 1);
	payload[sizeof(payload) - 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (step = 1; step <= 3; step++) {
		for (i = 0; i < nid; i++) {
			if (n % batch == 0 &&
			    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
			    NULL) != SQLITE_OK)
				die(db, "begin");
			sqlite3_bind_int(upd, 1, step);
			sqlite3_bind_int64(upd, 2, 1790000000 + step);
			sqlite3_bind_int64(upd, 3, 1790100000 + step);
			sqlite3_bind_text(upd, 4, "bench", -1, SQLITE_STATIC);
			sqlite3_bind_int64(upd, 5, id[i]);
			if (sqlite3_step(upd) != SQLITE_DONE)
				die(db, "update");
			sqlite3_reset(upd);
			sqlite3_bind_int64(ins, 1, ++seq);
			sqlite3_bind_text(ins, 2,
			    "01a220bf-6fac-7566-a012-50153c641aa2", -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(ins, 3, 1790000000 + step);
			sqlite3_bind_text(ins, 4, payload, -1, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 5, hash, 32, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 6, hash, 32, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				die(db, "insert");
			sqlite3_reset(ins);
			if (++n % batch == 0 &&
			    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
			    SQLITE_OK)
				die(db, "commit");
		}
	}
	if (n % batch != 0 &&
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "commit");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld %.3f\n", n, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	sqlite3_finalize(upd);
	sqlite3_finalize(ins);
	free(id);
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
