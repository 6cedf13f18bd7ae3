/*
 * spool.h: output held back until its transaction commits.
 *
 * A tool that prints what it stores writes each record to a spool (an
 * unlinked temporary file in $TMPDIR with a large buffer, so memory stays flat
 * whatever the transaction's size) and copies the spool to its output
 * only after COMMIT: what a reader of the output sees is stored.
 */
#ifndef DOSSIER_SPOOL_H
#define DOSSIER_SPOOL_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

struct spool {
	FILE *fp;
	char *vbuf;		/* the stdio buffer of fp */
};

/* 0, or -1 with e set (DX_IOERR). */
int spool_open(struct spool *sp, struct dx_err *e);
/* Append n bytes; 0, or -1 with e set. */
int spool_write(struct spool *sp, const void *p, size_t n, struct dx_err *e);

/*
 * Copy the spool to `out` and empty it.  With `line` not NULL, each line
 * (newline included) is handed to it instead, and a non-zero return stops
 * with that value.  0, or -1 with e set on an I/O error.
 */
int spool_flush(struct spool *sp, FILE *out,
    int (*line)(const char *s, size_t n, void *arg), void *arg,
    struct dx_err *e);
/* Empty the spool without copying it (its transaction was rolled back). */
int spool_discard(struct spool *sp, struct dx_err *e);
void spool_close(struct spool *sp);

#endif
