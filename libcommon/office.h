/*
 * office.h: the office database opened fully, for the tools that write.
 *
 * db_open() (db.h) opens a file and checks that it is an office database;
 * it knows nothing of the migrations.  office_open() is what a tool that
 * may write calls: it opens the file with db_open() and brings its schema
 * up to date (user_version), each migration in its own BEGIN IMMEDIATE
 * transaction, with the SQL functions the migrations call (dossier_fold(),
 * dossier_search_terms(): fold.h, search.h) registered on the connection
 * for them, and the secret key moved out for migration 4 (officekey.h).
 *
 * A tool that only reads opens with db_open(path, DB_RDONLY, e), which
 * refuses a schema it cannot use as it is: it registers nothing, migrates
 * nothing, and links nothing above db (a lookup loads no libcrypto).
 * office_open() with DB_RDONLY is the same.
 *
 * This module sits above db, fold, search and officekey, so that db
 * calls none of them.
 */
#ifndef DOSSIER_OFFICE_H
#define DOSSIER_OFFICE_H

#include "db.h"
#include "util.h"

/*
 * Open the office database at `path` (flags as db_open(): DB_RDONLY,
 * DB_CREATE) at schema DB_SCHEMA_VERSION.  A writable open migrates an
 * older file; a migration that fails is rolled back whole, leaving the
 * file at the version before it, and is reported in e.  A read-only open
 * of an older file is DX_DATAERR ("run dossier-admin migrate"); a file
 * newer than this toolkit is DX_DATAERR whatever the flags
 * (db_schema_usable()).  With DB_CREATE a file that cannot be brought up
 * to date is removed.  Returns the database, closed by the caller with
 * db_close(), or NULL with e set.
 */
struct db *office_open(const char *path, int flags, struct dx_err *e);

#endif
