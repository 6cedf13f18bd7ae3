/*
 * t_schema.c: db_schema_version(), which `dossier-admin migrate` prints:
 * the version after office_open, and a failed read reported, never taken
 * for version 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "db.h"
#include "office.h"
#include "util.h"

void t_schema(void);

/* A progress handler that interrupts every statement. */
static int
stop(void *arg)
{
	return 1;
}

void
t_schema(void)
{
	struct db *db;
	struct dx_err e;
	char dir[64], path[96], cmd[128];
	int v = -1, failed = tap_failed;

	snprintf(dir, sizeof(dir), "%s/t_schema.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp %s", dir);
		return;
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	if ((db = office_open(path, DB_CREATE, &e)) == NULL) {
		ok(0, "office_open: %s", e.msg);
		return;
	}
	is_int(db_schema_version(db, &v, &e), 0, "db_schema_version");
	is_int(v, DB_SCHEMA_VERSION, "a new file is at the newest version");
	sqlite3_progress_handler(db->h, 1, stop, NULL);
	v = -1;
	e.code = 0;
	is_int(db_schema_version(db, &v, &e), -1,
	    "a read that fails is an error");
	ok(e.code == DX_SOFTWARE && strstr(e.msg, "interrupt") != NULL,
	    "... with the database's message (%s)", e.msg);
	is_int(v, -1, "... and no version");
	sqlite3_progress_handler(db->h, 0, NULL, NULL);
	db_close(db);
	if (tap_failed == failed) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
}
