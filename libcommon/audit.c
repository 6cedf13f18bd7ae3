/*
 * audit.c: orphaned events and attachments checked against their hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zlib.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "util.h"

#define AUDIT_CHUNK 65536

long
audit_orphans(struct db *db, const struct dx_report *report,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	/* guidance at the counter is the one event without a dossier */
	st = db_prepare(db, "SELECT dossier, count(*) FROM events"
	    " WHERE action <> 'guide'"
	    " AND dossier NOT IN (SELECT uuid FROM dossiers)"
	    " GROUP BY dossier ORDER BY dossier", 0, e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dx_report(report, _("dossier %s: %lld event%s but no dossier"
		    " row"), (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 1) == 1 ? "" : "s");
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return n;
}

/*
 * Inflate blob `id` (or read it as it is, when raw) and hash it: 1 when
 * it has `size` bytes and the hash `hex`, 0 when not, -1 with e set on a
 * database error.
 */
static int
blob_ok(struct db *db, sqlite3_int64 id, const char *hex, int64_t size,
    int raw, struct dx_err *e)
{
	unsigned char in[AUDIT_CHUNK], out[AUDIT_CHUNK], md[SHA256_LEN];
	char got[2 * SHA256_LEN + 1];
	struct sha256_ctx *h;
	sqlite3_blob *b;
	z_stream z;
	int64_t total = 0;
	int len, off, n, rc, zrc = Z_OK, good = 0;

	rc = sqlite3_blob_open(db->h, "main", "blobs", "data", id, 0, &b);
	if (rc != SQLITE_OK)
		return db_seterr(db, rc, e, db->path);
	if ((h = sha256_new()) == NULL) {
		sqlite3_blob_close(b);
		return dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		sha256_free(h);
		sqlite3_blob_close(b);
		return dx_seterr(e, DX_SOFTWARE, "zlib failed");
	}
	len = sqlite3_blob_bytes(b);
	if (raw) {
		for (off = 0; off < len; off += n) {
			n = len - off < (int)sizeof(in) ? len - off :
			    (int)sizeof(in);
			if ((rc = sqlite3_blob_read(b, in, n, off)) !=
			    SQLITE_OK) {
				db_seterr(db, rc, e, db->path);
				good = -1;
				goto out;
			}
			if (sha256_update(h, in, (size_t)n) == -1)
				goto out;
		}
		total = len;
		zrc = Z_STREAM_END;
	}
	for (off = 0; off < len && zrc != Z_STREAM_END; off += n) {
		n = len - off < (int)sizeof(in) ? len - off : (int)sizeof(in);
		if ((rc = sqlite3_blob_read(b, in, n, off)) != SQLITE_OK) {
			db_seterr(db, rc, e, db->path);
			good = -1;
			goto out;
		}
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			zrc = inflate(&z, Z_NO_FLUSH);
			if (zrc != Z_OK && zrc != Z_STREAM_END)
				goto out;	/* damaged: good stays 0 */
			total += (int64_t)(sizeof(out) - z.avail_out);
			if (total > size ||
			    sha256_update(h, out, sizeof(out) - z.avail_out) ==
			    -1)
				goto out;
		} while (z.avail_out == 0 && zrc != Z_STREAM_END);
	}
	if (zrc == Z_STREAM_END && total == size &&
	    sha256_final(h, md) == 0) {
		hex_encode(md, sizeof(md), got);
		good = strcmp(got, hex) == 0;
	}
out:
	inflateEnd(&z);
	sha256_free(h);
	sqlite3_blob_close(b);
	return good;
}

long
audit_blobs(struct db *db, const struct dx_report *report, long *nblobs,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	long bad = 0;
	int rc, r;

	*nblobs = 0;
	st = db_prepare(db, "SELECT id, sha256, size, raw FROM blobs"
	    " ORDER BY id", 0, e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *hex = (const char *)sqlite3_column_text(st, 1);

		(*nblobs)++;
		r = blob_ok(db, sqlite3_column_int64(st, 0),
		    hex != NULL ? hex : "", sqlite3_column_int64(st, 2),
		    sqlite3_column_int(st, 3), e);
		if (r == -1) {
			sqlite3_finalize(st);
			return -1;
		}
		if (r == 0) {
			dx_report(report, _("blob %s: content does not match"
			    " its SHA-256 and size"),
			    hex != NULL ? hex : "(null)");
			bad++;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);

	st = db_prepare(db, "SELECT d.code, json_extract(j.value, '$.sha256')"
	    " AS h FROM dossiers d, json_each(d.documents) j"
	    " WHERE h IS NOT NULL"
	    " AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = h)"
	    " ORDER BY d.code", 0, e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dx_report(report, _("dossier %s: attachment %s is missing"),
		    (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return bad;
}
