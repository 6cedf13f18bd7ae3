/*
 * Unit tests for blob.c: attachments stored once by SHA-256, compressed,
 * and read back verified.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zlib.h>

#include "tap.h"
#include "blob.h"
#include "crypto.h"
#include "db.h"
#include "office.h"
#include "util.h"

void t_blob(void);

/* What blob_stream() hands over, gathered. */
struct sink {
	unsigned char *buf;
	size_t len, cap, max;
};

static int
sink_put(void *arg, const void *p, size_t n, struct dx_err *e)
{
	struct sink *sk = arg;

	if (n > sk->max)
		sk->max = n;
	if (sk->len + n > sk->cap)
		return dx_seterr(e, DX_SOFTWARE, "too many bytes");
	memcpy(sk->buf + sk->len, p, n);
	sk->len += n;
	return 0;
}

/* blob_keep_raw(): what does not compress is kept as it is. */
static void
check_keep_raw(void)
{
	unsigned char b[8192];
	uint32_t x = 2463534242u;
	size_t i;

	for (i = 0; i < sizeof(b); i++) {	/* xorshift: incompressible */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	ok(blob_keep_raw(b, sizeof(b)) == 1, "blob: random bytes kept raw");
	ok(blob_keep_raw(b, 511) == 0, "blob: under 512 bytes compressed");
	memset(b, 'a', 4096);
	ok(blob_keep_raw(b, sizeof(b)) == 0,
	    "blob: the first 4 KiB decide (they compress)");
	ok(blob_keep_raw(b + 4096, 4096) == 1, "blob: ... or do not");
}

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

	check_keep_raw();
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

	/*
	 * 300 KB: random bytes are stored as they are (raw), text is
	 * compressed; both stream back in pieces of at most 64 KiB that
	 * make the bytes.
	 */
	{
		unsigned char *rnd = xmalloc(300000), *txt = xmalloc(300000);
		char hr[65], ht[65];
		struct sink sk;
		sqlite3_stmt *st;
		size_t i;
		int zr = 0, zt = 0;

		for (i = 0; i < 300000; i++) {
			rnd[i] = (unsigned char)(rand() >> 7);
			txt[i] = text[i % (sizeof(text) - 1)];
		}
		ok(db_begin(db, &e) == 0 &&
		    blob_put(db, rnd, 300000, hr, &e) == 0 &&
		    blob_put(db, txt, 300000, ht, &e) == 0 &&
		    db_commit(db, &e) == 0, "blob: 300 KB random, 300 KB text");
		sqlite3_prepare_v2(db->h, "SELECT sha256, length(data), raw"
		    " FROM blobs", -1, &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (strcmp((const char *)sqlite3_column_text(st, 0),
			    hr) == 0 && sqlite3_column_int(st, 2) == 1)
				zr = sqlite3_column_int(st, 1);
			if (strcmp((const char *)sqlite3_column_text(st, 0),
			    ht) == 0 && sqlite3_column_int(st, 2) == 0)
				zt = sqlite3_column_int(st, 1);
		}
		sqlite3_finalize(st);
		ok(zr == 300000, "blob: random bytes stored as they are, raw");
		ok(zt > 0 && zt < 30000, "blob: text compressed, not raw");
		memset(&sk, 0, sizeof(sk));
		sk.buf = xmalloc(300000);
		sk.cap = 300000;
		rc = blob_stream(db, hr, sink_put, &sk, &e);
		ok(rc == 1 && sk.len == 300000 && sk.max <= 65536 &&
		    memcmp(sk.buf, rnd, 300000) == 0,
		    "blob: stream gives the random bytes back in pieces");
		sk.len = sk.max = 0;
		rc = blob_stream(db, ht, sink_put, &sk, &e);
		ok(rc == 1 && sk.len == 300000 && memcmp(sk.buf, txt, 300000)
		    == 0, "blob: stream gives the text back");
		rc = blob_stream(db, "00000000000000000000000000000000000000"
		    "00000000000000000000000000", sink_put, &sk, &e);
		ok(rc == 0, "blob: stream of an unknown key finds nothing");
		sqlite3_exec(db->h, "UPDATE blobs SET data = substr(data, 1,"
		    " length(data) / 2) WHERE size = 300000", NULL, NULL, NULL);
		sk.len = 0;
		rc = blob_stream(db, ht, sink_put, &sk, &e);
		ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "damaged"),
		    "blob: stream refuses a cut blob");
		sk.len = 0;
		rc = blob_stream(db, hr, sink_put, &sk, &e);
		ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "damaged")
		    && sk.len < 300000, "blob: stream refuses a cut raw blob");
		rc = blob_get(db, hr, &got, &n, &e);
		ok(rc == -1 && e.code == DX_DATAERR && got == NULL,
		    "blob: get refuses a cut raw blob");
		free(sk.buf);
		free(rnd);
		free(txt);
	}

	/*
	 * One writer for many blobs, as an import stores them: its
	 * statements, zlib state and buffer serve blobs of every size and
	 * kind, compressed or in stored blocks, each read back whole.
	 */
	{
		static const size_t sizes[] = { 200000, 0, 100, 700000, 5000,
			64 };
		struct blob_writer w;
		unsigned char *p = xmalloc(700000), *back;
		char hw[6][65], hx[65];
		size_t i, k, m;
		int stored = 0, held = 0, good = 0;

		memset(&w, 0, sizeof(w));
		ok(db_begin(db, &e) == 0, "blob: a transaction for a writer");
		for (k = 0; k < 6; k++) {
			for (i = 0; i < sizes[k]; i++)
				p[i] = k % 2 ? (unsigned char)text[(i + k) %
				    (sizeof(text) - 1)] :
				    (unsigned char)(rand() >> 7);
			stored += blob_write(db, &w, p, sizes[k], NULL,
			    hw[k], &e) == 1;
			held += blob_write(db, &w, p, sizes[k], NULL, hx,
			    &e) == 0 && strcmp(hx, hw[k]) == 0;
			if (blob_get(db, hw[k], &back, &m, &e) == 1 &&
			    m == sizes[k] && (m == 0 || memcmp(back, p, m) ==
			    0))
				good++;
			free(back);
		}
		ok(db_commit(db, &e) == 0, "blob: the writer's blobs"
		    " committed");
		is_int(stored, 6, "blob: a writer stores each new blob (1)");
		is_int(held, 6, "blob: ... and finds it there the second"
		    " time (0, the same key)");
		is_int(good, 6, "blob: ... each read back byte for byte");
		blob_writer_free(&w);
		ok(w.find == NULL && w.ins == NULL && w.zs == NULL,
		    "blob: a freed writer holds nothing");
		blob_writer_free(&w);
		free(p);
	}

	/*
	 * The rows of an older writer, zlib streams (raw = 0, the column's
	 * default: every blob before schema 16), in stored blocks for
	 * random bytes and compressed for text, read back as before; each
	 * kind is refused when its raw flag is flipped, and a raw blob with
	 * a byte changed is refused.  A blob stored with the caller's
	 * SHA-256 is named by it.
	 */
	{
		unsigned char *rnd = xmalloc(100000), *txt = xmalloc(100000);
		unsigned char *z = xmalloc(120000), md[SHA256_LEN];
		char hr[65], ht[65], hk[65];
		struct blob_writer w;
		struct sink sk;
		sqlite3_stmt *st;
		uLongf zl;
		size_t i;
		int k, good = 0;

		for (i = 0; i < 100000; i++) {
			rnd[i] = (unsigned char)(rand() >> 7);
			txt[i] = (unsigned char)text[i % (sizeof(text) - 1)];
		}
		sqlite3_prepare_v2(db->h, "INSERT INTO blobs (sha256, size,"
		    " data) VALUES (?, 100000, ?)", -1, &st, NULL);
		for (k = 0; k < 2; k++) {
			unsigned char *p = k == 0 ? rnd : txt;
			char *h = k == 0 ? hr : ht;

			zl = 120000;
			sha256(p, 100000, md);
			hex_encode(md, SHA256_LEN, h);
			compress2(z, &zl, p, 100000, k == 0 ? 0 :
			    Z_DEFAULT_COMPRESSION);
			sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
			sqlite3_bind_blob(st, 2, z, (int)zl, SQLITE_TRANSIENT);
			good += sqlite3_step(st) == SQLITE_DONE;
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
		is_int(good, 2, "blob: two rows as schema 15 stored them");
		memset(&sk, 0, sizeof(sk));
		sk.buf = xmalloc(100000);
		sk.cap = 100000;
		for (k = 0, good = 0; k < 2; k++) {
			unsigned char *p = k == 0 ? rnd : txt;

			rc = blob_get(db, k == 0 ? hr : ht, &got, &n, &e);
			good += rc == 1 && n == 100000 &&
			    memcmp(got, p, n) == 0;
			free(got);
			sk.len = 0;
			rc = blob_stream(db, k == 0 ? hr : ht, sink_put, &sk,
			    &e);
			good += rc == 1 && sk.len == 100000 &&
			    memcmp(sk.buf, p, 100000) == 0;
		}
		is_int(good, 4, "blob: old zlib rows, stored blocks and"
		    " compressed, read back by get and stream");
		sqlite3_exec(db->h, "UPDATE blobs SET raw = 1 WHERE size ="
		    " 100000", NULL, NULL, NULL);
		for (k = 0, good = 0; k < 2; k++) {
			rc = blob_get(db, k == 0 ? hr : ht, &got, &n, &e);
			good += rc == -1 && e.code == DX_DATAERR;
			sk.len = 0;
			rc = blob_stream(db, k == 0 ? hr : ht, sink_put, &sk,
			    &e);
			/* stream leaves the hash to its caller */
			good += (rc == -1 && e.code == DX_DATAERR) ||
			    (rc == 1 && memcmp(sk.buf, k == 0 ? rnd : txt,
			    100000) != 0);
		}
		is_int(good, 4, "blob: a zlib row taken for raw is refused");
		sqlite3_exec(db->h, "DELETE FROM blobs WHERE size = 100000",
		    NULL, NULL, NULL);

		memset(&w, 0, sizeof(w));
		sha256(rnd, 100000, md);
		ok(db_begin(db, &e) == 0 &&
		    blob_write(db, &w, rnd, 100000, md, hk, &e) == 1 &&
		    blob_write(db, &w, txt, 100000, NULL, ht, &e) == 1 &&
		    db_commit(db, &e) == 0 && strcmp(hk, hr) == 0,
		    "blob: stored with the SHA-256 the caller has");
		ok(blob_have(db, &w, hr, &e) == 1 &&
		    blob_have(db, &w, ht, &e) == 1 &&
		    blob_have(db, &w, "00000000000000000000000000000000"
		    "00000000000000000000000000000000", &e) == 0,
		    "blob: blob_have says what is stored and what is not");
		blob_writer_free(&w);
		sqlite3_exec(db->h, "UPDATE blobs SET raw = 0 WHERE size ="
		    " 100000 AND raw = 1", NULL, NULL, NULL);
		rc = blob_get(db, hr, &got, &n, &e);
		ok(rc == -1 && e.code == DX_DATAERR && got == NULL,
		    "blob: a raw row taken for zlib is refused");
		sk.len = 0;
		rc = blob_stream(db, hr, sink_put, &sk, &e);
		ok(rc == -1 && e.code == DX_DATAERR,
		    "blob: ... by stream too");
		/* the bytes as they were, one changed, raw again */
		rnd[5000] ^= 1;
		sqlite3_prepare_v2(db->h, "UPDATE blobs SET raw = 1, data = ?"
		    " WHERE sha256 = ?", -1, &st, NULL);
		sqlite3_bind_blob(st, 1, rnd, 100000, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, hr, -1, SQLITE_STATIC);
		ok(sqlite3_step(st) == SQLITE_DONE &&
		    sqlite3_changes(db->h) == 1, "blob: a raw blob's byte"
		    " changed");
		sqlite3_finalize(st);
		rc = blob_get(db, hr, &got, &n, &e);
		ok(rc == -1 && e.code == DX_DATAERR && got == NULL,
		    "blob: a raw blob with bytes changed is refused");
		rc = blob_get(db, ht, &got, &n, &e);
		ok(rc == 1 && n == 100000 && memcmp(got, txt, n) == 0,
		    "blob: ... and the compressed one beside it reads back");
		free(got);
		got = NULL;
		free(sk.buf);
		free(rnd);
		free(txt);
		free(z);
	}

	/* damage the stored data: the read must refuse it */
	sqlite3_exec(db->h, "UPDATE blobs SET data = zeroblob(8)", NULL, NULL,
	    NULL);
	rc = blob_get(db, hex, &got, &n, &e);
	ok(rc == -1 && e.code == DX_DATAERR && strstr(e.msg, "damaged"),
	    "blob: damaged data is refused");

	/*
	 * A database error in the lookup (here the blobs table is gone)
	 * is an error of each of the three, not "not found".
	 */
	sqlite3_exec(db->h, "DROP TABLE blobs", NULL, NULL, NULL);
	rc = blob_get(db, hex, &got, &n, &e);
	ok(rc == -1 && got == NULL && n == 0 && strstr(e.msg, "blobs"),
	    "blob: get reports a failed lookup");
	rc = blob_stream(db, hex, sink_put, NULL, &e);
	ok(rc == -1 && strstr(e.msg, "blobs"),
	    "blob: stream reports a failed lookup");
	ok(db_begin(db, &e) == 0, "blob: a transaction");
	rc = blob_put(db, text, sizeof(text) - 1, hex2, &e);
	ok(rc == -1 && strstr(e.msg, "blobs"),
	    "blob: put reports a failed lookup");
	db_rollback(db);
	db_close(db);
	unlink(path);
	rmdir(dir);
}
