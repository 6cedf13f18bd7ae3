/*
 * search-csv: the rows of an office database's search index (search.h)
 * as CSV, for bench/new.sh's reference import: for each dossier in order,
 * its id, the terms of its applicant's folded name, its ID number and
 * phone.
 *
 *   search-csv dbfile > search.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common.h"
#include "fold.h"
#include "search.h"

int
main(int argc, char *argv[])
{
	struct dx_err e;
	struct dx_buf line, f, t;
	struct db *db;
	sqlite3_stmt *st;
	int rc;

	dx_setprogname(argv[0]);
	if (argc != 2)
		dx_die(DX_USAGE, "usage: search-csv dbfile");
	if ((db = office_open(argv[1], DB_RDONLY, &e)) == NULL)
		dx_die_err(&e);
	st = db_prepare(db, "SELECT json_extract(applicant, '$.name'),"
	    " json_extract(applicant, '$.id_number'),"
	    " json_extract(applicant, '$.phone'), id FROM dossiers ORDER BY id",
	    0, &e);
	if (st == NULL)
		dx_die_err(&e);
	buf_init(&line);
	buf_init(&f);
	buf_init(&t);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&line);
		buf_reset(&f);
		buf_reset(&t);
		fold_name((const char *)sqlite3_column_text(st, 0), &f);
		search_terms(f.buf, &t);
		buf_addint(&line, sqlite3_column_int64(st, 3));
		buf_add(&line, ",", 1);
		buf_csv(&line, t.buf, 1);
		buf_add(&line, ",", 1);
		buf_csv(&line, (const char *)sqlite3_column_text(st, 1), 1);
		buf_add(&line, ",", 1);
		buf_csv(&line, (const char *)sqlite3_column_text(st, 2), 1);
		buf_add(&line, "\n", 1);
		fwrite(line.buf, 1, line.len, stdout);
	}
	if (rc != SQLITE_DONE) {
		db_seterr(db, rc, &e, argv[1]);
		dx_die_err(&e);
	}
	sqlite3_finalize(st);
	buf_free(&line);
	buf_free(&f);
	buf_free(&t);
	db_close(db);
	dx_exit(DX_OK);
}
