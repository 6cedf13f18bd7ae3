/*
 * blob.h: attachments, stored once by SHA-256, zlib-compressed or, when
 * they do not compress, as they are (the blobs table's raw column says
 * which).  Files are read and stored by attach.h; these work on bytes in
 * memory.
 */
#ifndef DOSSIER_BLOB_H
#define DOSSIER_BLOB_H

#include <stddef.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

/*
 * What blob_write() keeps across calls: its two statements and its zlib
 * state and buffer, so that a writer of many blobs (a bundle's import)
 * prepares and allocates them once.  Zeroed before the first call,
 * blob_writer_free() after the last.
 */
struct blob_writer {
	sqlite3_stmt *find, *ins;
	struct blob_zs *zs;
};

/*
 * Store p[0..n-1] unless a blob with the same SHA-256 is already there;
 * write its hex digest to hex (65 bytes).  md is that SHA-256 when the
 * caller has it already (a bundle's reader checks every member's against
 * the signed manifest), else NULL: the bytes are hashed here.  Call
 * inside a write transaction.  The bytes are zlib-compressed at the
 * default level, or kept as they are (raw = 1) when their first 4 KiB do
 * not shrink by an eighth at level 1 (a scan, a photo) or the whole does
 * not shrink at all.  1 stored, 0 there already, or -1 with e set.
 */
int blob_write(struct db *db, struct blob_writer *w, const void *p,
    size_t n, const unsigned char *md, char hex[65], struct dx_err *e);
void blob_writer_free(struct blob_writer *w);

/*
 * 1 when the blob `hex` (its SHA-256, lower-case hex) is stored, 0 if
 * not, -1 with e set; with the writer's statement, prepared once.
 */
int blob_have(struct db *db, struct blob_writer *w, const char *hex,
    struct dx_err *e);

/*
 * 1 when p[0..n-1] is kept as it is rather than compressed: its first
 * 4 KiB (it has 512 bytes or more) do not shrink by an eighth at zlib
 * level 1.  The rule of blob_write(), for a writer that streams a blob
 * (attach.c) and decides on its first piece.
 */
int blob_keep_raw(const void *p, size_t n);

/*
 * blob_write() of one blob, with a writer of its own: 0, or -1 with e
 * set.  dossier-new stores attachments through attach.h, which streams
 * them.
 */
int blob_put(struct db *db, const void *p, size_t n, char hex[65],
    struct dx_err *e);

/*
 * Fetch (and decompress, unless raw) the blob `hex` into a new buffer
 * (*out, freed by the caller) of *n bytes, verifying its SHA-256.  1
 * found, 0 not, -1 on error.  Only the unit tests call it: the bundle
 * export streams blobs with blob_stream().
 */
int blob_get(struct db *db, const char *hex, unsigned char **out, size_t *n,
    struct dx_err *e);

/*
 * Hand the bytes of blob `hex` to put(arg, p, n, e) as they are
 * decompressed (or read, for a raw blob), in pieces of at most 64 KiB,
 * reading the stored bytes with incremental blob I/O: the blob is never
 * whole in memory.  Its SHA-256 is not checked here: the caller hashes
 * what it is handed (a bundle's writer does).  1 found, 0 not, or -1
 * with e set: DX_DATAERR for stored bytes that do not decompress to the
 * blob's size (or, raw, are not that size), else db_seterr() or what
 * put() set.
 */
int blob_stream(struct db *db, const char *hex,
    int (*put)(void *arg, const void *p, size_t n, struct dx_err *e),
    void *arg, struct dx_err *e);

#endif
