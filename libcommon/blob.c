/*
 * blob.c: content-addressed attachments.
 */
#include <limits.h>
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
 * The zlib state of blob_write(), allocated once per writer: `probe`
 * compresses a blob's first 4 KiB at level 1 (probe_raw), `z` the blob,
 * into `out`.
 */
struct blob_zs {
	z_stream probe, z;
	unsigned char *out;
	size_t cap;
};

/*
 * 1 when p[0..n-1] is to be kept as it is: its first 4 KiB do not shrink
 * by an eighth at level 1, as with scans and photos that are compressed
 * already and that zlib would spend its time on for nothing (the SHA-256
 * still checks them).  `probe` is a level-1 stream, reset here.
 */
static int
probe_raw(z_stream *probe, const void *p, size_t n)
{
	unsigned char out[4096 + 1024];
	uLong k = n < 4096 ? (uLong)n : 4096;

	if (k < 512 || deflateReset(probe) != Z_OK)
		return 0;
	probe->next_in = (z_const Bytef *)p;
	probe->avail_in = (uInt)k;
	probe->next_out = out;
	probe->avail_out = sizeof(out);
	if (deflate(probe, Z_FINISH) != Z_STREAM_END)
		return 0;
	return probe->total_out > k - k / 8;
}

int
blob_keep_raw(const void *p, size_t n)
{
	z_stream z;
	int raw;

	memset(&z, 0, sizeof(z));
	if (n < 512 || deflateInit(&z, 1) != Z_OK)
		return 0;
	raw = probe_raw(&z, p, n);
	deflateEnd(&z);
	return raw;
}

/* The writer's zlib state, made on first use; NULL when out of memory. */
static struct blob_zs *
blob_zs(struct blob_writer *w)
{
	struct blob_zs *zs;

	if (w->zs != NULL)
		return w->zs;
	zs = xmalloc(sizeof(*zs));
	memset(zs, 0, sizeof(*zs));
	if (deflateInit(&zs->probe, 1) != Z_OK) {
		free(zs);
		return NULL;
	}
	if (deflateInit(&zs->z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		deflateEnd(&zs->probe);
		free(zs);
		return NULL;
	}
	return w->zs = zs;
}

/*
 * Compress p[0..n-1] into zs->out (grown as needed) at zlib's default
 * level: its length, or -1.
 */
static int64_t
blob_deflate(struct blob_zs *zs, const void *p, size_t n)
{
	uLong bound;

	if (n > UINT_MAX / 2 || deflateReset(&zs->z) != Z_OK)
		return -1;
	bound = deflateBound(&zs->z, (uLong)n);
	if (bound > zs->cap) {
		free(zs->out);
		zs->out = xmalloc(bound);
		zs->cap = bound;
	}
	zs->z.next_in = (z_const Bytef *)p;
	zs->z.avail_in = (uInt)n;
	zs->z.next_out = zs->out;
	zs->z.avail_out = (uInt)bound;
	if (deflate(&zs->z, Z_FINISH) != Z_STREAM_END)
		return -1;
	return (int64_t)zs->z.total_out;
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
blob_have(struct db *db, struct blob_writer *w, const char *hex,
    struct dx_err *e)
{
	int rc;

	if (w->find == NULL && (w->find = db_prepare(db, "SELECT 1 FROM blobs"
	    " WHERE sha256 = ?", 1, e)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(w->find, 1, hex, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_step(w->find);
	sqlite3_reset(w->find);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return 0;
}

int
blob_write(struct db *db, struct blob_writer *w, const void *p, size_t n,
    const unsigned char *md, char hex[65], struct dx_err *e)
{
	unsigned char own[SHA256_LEN];
	struct blob_zs *zs;
	const void *data = p != NULL ? p : "";	/* NULL binds a NULL */
	int64_t zlen = (int64_t)n;
	int raw = 1, rc;

	if (md == NULL) {
		if (sha256(p, n, own) == -1)
			return dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
		md = own;
	}
	hex_encode(md, SHA256_LEN, hex);
	if ((rc = blob_have(db, w, hex, e)) != 0)
		return rc == 1 ? 0 : -1;

	if ((zs = blob_zs(w)) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "zlib: out of memory");
	if (!probe_raw(&zs->probe, p, n)) {
		if ((zlen = blob_deflate(zs, p, n)) == -1)
			return dx_seterr(e, DX_SOFTWARE,
			    "zlib compression failed");
		if (zlen < (int64_t)n) {
			data = zs->out;
			raw = 0;
		} else	/* it did not shrink: kept as it is */
			zlen = (int64_t)n;
	}
	if (w->ins == NULL && (w->ins = db_prepare(db, "INSERT INTO blobs"
	    " (sha256, size, data, raw) VALUES (?, ?, ?, ?)", 1, e)) == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(w->ins, 1, hex, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(w->ins, 2, (sqlite3_int64)n)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_blob64(w->ins, 3, data,
	    (sqlite3_uint64)zlen, SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(w->ins, 4, raw)) != SQLITE_OK) {
		sqlite3_clear_bindings(w->ins);
		return db_seterr(db, rc, e, db->path);
	}
	rc = db_step_done(db, w->ins, e);
	sqlite3_clear_bindings(w->ins);
	return rc == -1 ? -1 : 1;
}

void
blob_writer_free(struct blob_writer *w)
{
	struct blob_zs *zs = w->zs;

	sqlite3_finalize(w->find);
	sqlite3_finalize(w->ins);
	w->find = w->ins = NULL;
	if (zs != NULL) {
		deflateEnd(&zs->probe);
		deflateEnd(&zs->z);
		free(zs->out);
		free(zs);
		w->zs = NULL;
	}
}

int
blob_put(struct db *db, const void *p, size_t n, char hex[65],
    struct dx_err *e)
{
	struct blob_writer w;
	int rc;

	memset(&w, 0, sizeof(w));
	rc = blob_write(db, &w, p, n, NULL, hex, e);
	blob_writer_free(&w);
	return rc == -1 ? -1 : 0;
}

int
blob_get(struct db *db, const char *hex, unsigned char **out, size_t *n,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	unsigned char md[SHA256_LEN];
	char got[65];
	uLongf len;
	int rc, zrc;

	*out = NULL;
	*n = 0;
	if ((rc = blob_find(db, "SELECT size, data, raw FROM blobs"
	    " WHERE sha256 = ?", hex, &st, e)) != 1)
		return rc;
	len = (uLongf)sqlite3_column_int64(st, 0);
	*out = xmalloc(len + 1);
	if (sqlite3_column_int(st, 2)) {
		zrc = (uLongf)sqlite3_column_bytes(st, 1) == len ? Z_OK :
		    Z_DATA_ERROR;
		if (zrc == Z_OK && len > 0)
			memcpy(*out, sqlite3_column_blob(st, 1), len);
	} else
		zrc = uncompress(*out, &len, sqlite3_column_blob(st, 1),
		    (uLong)sqlite3_column_bytes(st, 1));
	if (zrc != Z_OK || len != (uLongf)sqlite3_column_int64(st, 0) ||
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

/*
 * blob_stream() of a raw blob, open as b: its bytes in pieces of at most
 * 64 KiB, which must be `size` in all.
 */
static int
blob_stream_raw(struct db *db, sqlite3_blob *b, sqlite3_int64 size,
    const char *hex,
    int (*put)(void *arg, const void *p, size_t n, struct dx_err *e),
    void *arg, struct dx_err *e)
{
	unsigned char *buf;
	int len, off, k, rc, ret = -1;

	if ((len = sqlite3_blob_bytes(b)) != size)
		return dx_seterr(e, DX_DATAERR, _("blob %s is damaged"), hex);
	buf = xmalloc(65536);
	for (off = 0; off < len; off += k) {
		k = len - off < 65536 ? len - off : 65536;
		if ((rc = sqlite3_blob_read(b, buf, k, off)) != SQLITE_OK) {
			db_seterr(db, rc, e, db->path);
			goto out;
		}
		if (put(arg, buf, (size_t)k, e) == -1)
			goto out;
	}
	ret = 1;
out:
	free(buf);
	return ret;
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
	int zlen, off = 0, rc, zrc = Z_OK, ret = -1, raw;
	z_stream z;

	if ((rc = blob_find(db, "SELECT id, size, raw FROM blobs"
	    " WHERE sha256 = ?", hex, &st, e)) != 1)
		return rc;
	id = sqlite3_column_int64(st, 0);
	size = sqlite3_column_int64(st, 1);
	raw = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	if ((rc = sqlite3_blob_open(db->h, "main", "blobs", "data", id, 0,
	    &b)) != SQLITE_OK) {
		sqlite3_blob_close(b);
		return db_seterr(db, rc, e, db->path);
	}
	if (raw) {
		ret = blob_stream_raw(db, b, size, hex, put, arg, e);
		sqlite3_blob_close(b);
		return ret;
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
