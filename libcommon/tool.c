/*
 * tool.c: the command files' shortcuts that exit on error.
 */
#include <stdio.h>

#include <jansson.h>

#include "db.h"
#include "jsonl.h"
#include "office.h"
#include "tool.h"
#include "util.h"

struct db *
tool_open(const char *dbopt, int flags)
{
	struct dx_err e;
	struct db *db;

	db = office_open(db_path(dbopt), flags, &e);
	if (db == NULL)
		dx_die_err(&e);
	return db;
}

void
tool_put(json_t *o)
{
	if (o == NULL)
		dx_die(DX_SOFTWARE, "out of memory");
	if (jsonl_write(stdout, o) == -1)
		dx_die(DX_IOERR, _("stdout: write error"));
	json_decref(o);
}

void
tool_die_db(struct db *db, int rc)
{
	struct dx_err e;

	db_seterr(db, rc, &e, db->path);
	dx_die_err(&e);
}
