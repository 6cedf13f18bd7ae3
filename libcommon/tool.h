/*
 * tool.h: what a tool's command functions do the same way, and exit on.
 *
 * Like cli.h, and unlike the rest of libcommon, these print and exit:
 * they are for the command files (cmd/), never for library code.  A tool
 * that only reads opens its database with db_open(DB_RDONLY) instead of
 * tool_open(), so as to link nothing above db.
 */
#ifndef DOSSIER_TOOL_H
#define DOSSIER_TOOL_H

#include <jansson.h>

#include "db.h"

/*
 * The office database from -d `dbopt` (or $DOSSIER_DB) opened with
 * office_open() and `flags`; on failure the error is reported and the
 * tool exits with its code.  Closed by the caller with db_close().
 */
struct db *tool_open(const char *dbopt, int flags);

/*
 * Write record `o` as one JSON line on stdout and drop the reference
 * (o is stolen).  Exits 70 when `o` is NULL (json_pack() ran out of
 * memory), 74 when stdout cannot be written.
 */
void tool_put(json_t *o);

/* Report SQLite result code `rc` of db as db_seterr() maps it, and exit. */
void tool_die_db(struct db *db, int rc) __attribute__((noreturn));

#endif
