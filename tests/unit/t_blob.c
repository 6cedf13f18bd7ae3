/*
 * Unit tests for blob.c: attachments stored once by SHA-256, compressed,
 * and read back verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "blob.h"
#include "db.h"
#include "office.h"
#include "util.h"

void t_blob(void);

void
t_blob(void)
{
	char dir[] = "/tmp/t_blob.XXXXXX", path[64], hex[65], hex2[65];
	static const char text[] = "Giấy chứng sinh, bản chụp";
	unsigned char *got = NULL;
	struct dx_err e;
	struct db *db;
	size_t n = 0;
	int rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "blob: a temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/b.db", dir);
	db = office_open(path, DB_CREATE, &e);
	ok(db != NULL, "blob: a database");
	if (db == NULL)
		return;
	ok(db_begin(db, &e) == 0 &&
	    blob_put(db, text, sizeof(text) - 1, hex, &e) == 0 &&
	    blob_put(db, text, sizeof(text) - 1, hex2, &e) == 0 &&
	    db_commit(db, &e) == 0, "blob: stored twice");
	is_str(hex, "251509bf21e45bed4acfad670331f132e3c1033932960e167ca9233bfd70f872", "blob: the key is the content's SHA-256");
	is_str(hex, hex2, "blob: the same content has the same key");
	{
		sqlite3_stmt *st;

		sqlite3_prepare_v2(db->h, "SELECT count(*) FROM blobs", -1,
		    &st, NULL);
		sqlite3_step(st);
		is_int(sqlite3_column_int(st, 0), 1, "blob: stored once");
		sqlite3_finalize(st);
	}
	rc = blob_get(db, hex, &got, &n, &e);
	ok(rc == 1 && n == sizeof(text) - 1 && got != NULL &&
	    memcmp(got, text, n) == 0, "blob: read back byte for byte");
	free(got);
	rc = blob_get(db, "0000000000000000000000000000000000000000000000000"
	    "000000000000000", &got, &n, &e);
	ok(rc == 0 && got == NULL, "blob: an unknown key is not found");

	/* damage the stored data: the read must refuse it */
	sqlite3_exec(db->h, "UPDATE blobs SET data = zeroblob(8)", NULL, NULL,
	    NULL);
	rc = blob_get(db, hex, &got, &n, &e);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "damaged"),
	    "blob: damaged data is refused");
	db_close(db);
	unlink(path);
	rmdir(dir);
}
