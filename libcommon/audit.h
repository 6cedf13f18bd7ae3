/*
 * audit.h: checks of the office database beyond the hash chains and the
 * projections, for dossier-admin check.
 */
#ifndef DOSSIER_AUDIT_H
#define DOSSIER_AUDIT_H

#include "db.h"
#include "util.h"

/*
 * Find the dossiers that have events but no row (a row deleted while its
 * history remains).  Each is reported through `report`.  Returns their
 * number, or -1 with e set on a database error.
 */
long audit_orphans(struct db *db, const struct dx_report *report,
    struct dx_err *e);

/*
 * Verify every blob: decompressed (streaming, through incremental blob
 * I/O, so memory does not grow with the blob) to its recorded size and
 * SHA-256.  Then find every attachment a dossier names by SHA-256 that no
 * blob holds.  Each problem is reported through `report`.  Returns the
 * number of problems, or -1 with e set on a database error; *nblobs
 * receives the number of blobs checked.
 */
long audit_blobs(struct db *db, const struct dx_report *report,
    long *nblobs, struct dx_err *e);

#endif
