/*
 * Unit tests for attach.c: files read from one folder, streamed through
 * a stash into the blobs table, and read back byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tap.h"
#include "attach.h"
#include "blob.h"
#include "db.h"
#include "office.h"
#include "util.h"

void t_attach(void);

#define BIG (3 * 1024 * 1024 + 17)	/* larger than the memory stash */

void
t_attach(void)
{
	char dir[] = "/tmp/t_attach.XXXXXX", path[128];
	struct attach_dir ad;
	struct attach_stash st;
	struct attach_file f[2];
	unsigned char *big, *got = NULL;
	struct dx_err e;
	struct db *db;
	FILE *fp;
	size_t i, n = 0;
	uint32_t x = 12345;
	int rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "attach: a temporary directory");
		return;
	}
	/* bytes that do not compress, so the stash must spill to a file */
	big = xmalloc(BIG);
	for (i = 0; i < BIG; i++) {
		x = x * 1103515245 + 12345;
		big[i] = (unsigned char)(x >> 16);
	}
	snprintf(path, sizeof(path), "%s/big.bin", dir);
	fp = fopen(path, "w");
	ok(fp != NULL && fwrite(big, 1, BIG, fp) == BIG && fclose(fp) == 0,
	    "attach: a file of %d bytes", BIG);
	snprintf(path, sizeof(path), "%s/small.txt", dir);
	fp = fopen(path, "w");
	ok(fp != NULL && fputs("giấy tờ", fp) >= 0 && fclose(fp) == 0,
	    "attach: a small file");

	snprintf(path, sizeof(path), "%s/a.db", dir);
	db = office_open(path, DB_CREATE, &e);
	ok(db != NULL, "attach: a database");
	if (db == NULL)
		return;
	ok(attach_max(db) > 0 && attach_max(db) <
	    sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, -1),
	    "attach: the largest file is below SQLite's length limit");
	ok(attach_open(&ad, dir, path, &e) == 0, "attach: open the folder");
	attach_stash_init(&st);
	ok(attach_read(&ad, "small.txt", 100, &st, &f[0], &e) == 0 &&
	    f[0].size == (int64_t)strlen("giấy tờ") && st.fd == -1,
	    "attach: a small file stays in memory");
	ok(attach_read(&ad, "./big.bin", BIG, &st, &f[1], &e) == 0 &&
	    f[1].size == BIG && st.fd != -1 && f[1].off == f[0].zlen,
	    "attach: a large file goes to a temporary file");
	ok(db_begin(db, &e) == 0 && attach_store(db, &st, &f[0], &e) == 0 &&
	    attach_store(db, &st, &f[1], &e) == 0 &&
	    attach_store(db, &st, &f[1], &e) == 0 && db_commit(db, &e) == 0,
	    "attach: stored (the second time, found)");
	rc = blob_get(db, f[1].hex, &got, &n, &e);
	ok(rc == 1 && n == BIG && memcmp(got, big, BIG) == 0,
	    "attach: the large file reads back byte for byte");
	free(got);
	rc = blob_get(db, f[0].hex, &got, &n, &e);
	ok(rc == 1 && n == strlen("giấy tờ") &&
	    memcmp(got, "giấy tờ", n) == 0,
	    "attach: the small file reads back byte for byte");
	free(got);

	attach_stash_reset(&st);
	rc = attach_read(&ad, "big.bin", BIG - 1, &st, &f[0], &e);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "limit"),
	    "attach: a file over the limit is the record's fault");
	rc = attach_read(&ad, "a.db", BIG, &st, &f[0], &e);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "database"),
	    "attach: the database itself is refused");
	rc = attach_read(&ad, "x/../small.txt", BIG, &st, &f[0], &e);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "'..'"),
	    "attach: a '..' component is refused");
	rc = attach_read(&ad, "small.txt/", BIG, &st, &f[0], &e);
	ok(rc == -1 && e.code == DX_DATAERR,
	    "attach: a file named as a folder is refused");

	attach_stash_free(&st);
	attach_close(&ad);
	db_close(db);
	free(big);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ok(system(path) == 0, "attach: clean up");
}
