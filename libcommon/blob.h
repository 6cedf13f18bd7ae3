/*
 * blob.h: attachments, stored once by SHA-256, zlib-compressed.  Files
 * are read and stored by attach.h; these work on bytes in memory.
 */
#ifndef DOSSIER_BLOB_H
#define DOSSIER_BLOB_H

#include <stddef.h>

#include "db.h"
#include "util.h"

/*
 * Store p[0..n-1] unless a blob with the same SHA-256 is already there;
 * write its hex digest to hex (65 bytes).  Call inside a write
 * transaction.  0, or -1 with e set.  Only the unit tests call it:
 * dossier-new stores attachments through attach.h, which streams them.
 */
int blob_put(struct db *db, const void *p, size_t n, char hex[65],
    struct dx_err *e);

/*
 * Fetch and decompress the blob `hex` into a new buffer (*out, freed by
 * the caller) of *n bytes, verifying its SHA-256.  1 found, 0 not, -1 on
 * error.  Only the unit tests call it today; the bundle export will.
 */
int blob_get(struct db *db, const char *hex, unsigned char **out, size_t *n,
    struct dx_err *e);

#endif
