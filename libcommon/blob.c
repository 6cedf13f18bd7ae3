/*
 * blob.c: content-addressed attachments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zlib.h>

#include "blob.h"
#include "crypto.h"
#include "db.h"
#include "util.h"

/*
 * The zlib level to store p[0..n-1] at: 0 (stored blocks, still checked
 * by zlib's Adler-32 and by the SHA-256) when its first 4 KiB do not
 * shrink by an eighth at level 1, as with scans and photos that are
 * compressed already and that the default level would spend its time on
 * for nothing; else the default level.
 */
static int
blob_level(const void *p, size_t n)
{
	unsigned char z[4096 + 1024];
	uLongf zlen = sizeof(z);
	uLong k = n < 4096 ? (uLong)n : 4096;

	if (k < 512 || compress2(z, &zlen, p, k, 1) != Z_OK)
		return Z_DEFAULT_COMPRESSION;
	return zlen > k - k / 8 ? Z_NO_COMPRESSION : Z_DEFAULT_COMPRESSION;
}

/*
 * Run sql, a SELECT from blobs WHERE sha256 = ?, for hex: 1 with *stp on
 * the blob's row (the caller finalizes it), 0 when there is no such blob,
 * or -1 with e set.
 */
static int
blob_find(struct db *db, const char *sql, const char *hex,
    sqlite3_stmt **stp, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*stp = NULL;
	if ((st = db_prepare(db, sql, 0, e)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*stp = st;
		return 1;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return db_seterr(db, rc, e, db->path);
}

int
blob_put(struct db *db, const void *p, size_t n, char hex[65],
    struct dx_err *e)
{
	unsigned char md[SHA256_LEN], *z;
	uLongf zlen;
	sqlite3_stmt *st;
	int rc;

	if (sha256(p, n, md) == -1)
		return dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
	hex_encode(md, sizeof(md), hex);
	if ((rc = blob_find(db, "SELECT 1 FROM blobs WHERE sha256 = ?", hex,
	    &st, e)) != 0) {
		sqlite3_finalize(st);
		return rc == 1 ? 0 : -1;
	}

	zlen = compressBound((uLong)n);
	z = xmalloc(zlen);
	if (compress2(z, &zlen, p, (uLong)n, blob_level(p, n)) != Z_OK) {
		free(z);
		return dx_seterr(e, DX_SOFTWARE, "zlib compression failed");
	}
	st = db_prepare(db, "INSERT INTO blobs (sha256, size, data)"
	    " VALUES (?, ?, ?)", 0, e);
	if (st == NULL) {
		free(z);
		return -1;
	}
	if ((rc = sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 2, (sqlite3_int64)n)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob64(st, 3, z, (sqlite3_uint64)zlen,
	    SQLITE_STATIC)) != SQLITE_OK)
		rc = db_seterr(db, rc, e, db->path);
	else
		rc = db_step_done(db, st, e);
	sqlite3_finalize(st);
	free(z);
	return rc;
}

int
blob_get(struct db *db, const char *hex, unsigned char **out, size_t *n,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	unsigned char md[SHA256_LEN];
	char got[65];
	uLongf len;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = blob_find(db, "SELECT size, data FROM blobs WHERE sha256 = ?",
	    hex, &st, e)) != 1)
		return rc;
	len = (uLongf)sqlite3_column_int64(st, 0);
	*out = xmalloc(len + 1);
	if (uncompress(*out, &len, sqlite3_column_blob(st, 1),
	    (uLong)sqlite3_column_bytes(st, 1)) != Z_OK ||
	    len != (uLongf)sqlite3_column_int64(st, 0) ||
	    sha256(*out, len, md) == -1 ||
	    (hex_encode(md, sizeof(md), got), strcmp(got, hex) != 0)) {
		sqlite3_finalize(st);
		free(*out);
		*out = NULL;
		return dx_seterr(e, DX_DATAERR, _("blob %s is damaged"), hex);
	}
	sqlite3_finalize(st);
	*n = len;
	return 1;
}

int
blob_stream(struct db *db, const char *hex,
    int (*put)(void *arg, const void *p, size_t n, struct dx_err *e),
    void *arg, struct dx_err *e)
{
	unsigned char *in, *out;
	sqlite3_stmt *st;
	sqlite3_blob *b = NULL;
	sqlite3_int64 id, size, total = 0;
	int zlen, off = 0, rc, zrc = Z_OK, ret = -1;
	z_stream z;

	if ((rc = blob_find(db, "SELECT id, size FROM blobs WHERE sha256 = ?",
	    hex, &st, e)) != 1)
		return rc;
	id = sqlite3_column_int64(st, 0);
	size = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if ((rc = sqlite3_blob_open(db->h, "main", "blobs", "data", id, 0,
	    &b)) != SQLITE_OK) {
		sqlite3_blob_close(b);
		return db_seterr(db, rc, e, db->path);
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		sqlite3_blob_close(b);
		return dx_seterr(e, DX_SOFTWARE, "zlib: out of memory");
	}
	in = xmalloc(65536);
	out = xmalloc(65536);
	zlen = sqlite3_blob_bytes(b);
	while (zrc != Z_STREAM_END) {
		if (z.avail_in == 0 && off < zlen) {
			int k = zlen - off < 65536 ? zlen - off : 65536;

			if ((rc = sqlite3_blob_read(b, in, k, off)) !=
			    SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				goto out;
			}
			off += k;
			z.next_in = in;
			z.avail_in = (uInt)k;
		}
		z.next_out = out;
		z.avail_out = 65536;
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END)
			break;
		if (65536 - z.avail_out > 0) {
			total += 65536 - z.avail_out;
			if (total > size)
				break;
			if (put(arg, out, 65536 - z.avail_out, e) == -1)
				goto out;
		} else if (z.avail_in == 0 && off == zlen)
			break;	/* truncated */
	}
	if (zrc != Z_STREAM_END || total != size) {
		dx_seterr(e, DX_DATAERR, _("blob %s is damaged"), hex);
		goto out;
	}
	ret = 1;
out:
	inflateEnd(&z);
	free(in);
	free(out);
	sqlite3_blob_close(b);
	return ret;
}
