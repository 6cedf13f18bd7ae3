/*
 * spool.h: output held back until its transaction commits.
 *
 * A tool that prints what it stores writes each record to a spool and
 * copies the spool to its output only after COMMIT: what a reader of the
 * output sees is stored.  The spool holds its records in memory up to
 * SPOOL_MEM bytes and past that in an unlinked temporary file in $TMPDIR
 * (created by spool_open, so a TMPDIR that cannot hold one fails early),
 * so memory stays flat whatever the transaction's size.  A writer that
 * needs a FILE (forms) takes the file with spool_file(): from then on
 * everything goes through the file, in order.
 */
#ifndef DOSSIER_SPOOL_H
#define DOSSIER_SPOOL_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* What one transaction's records may take in memory before the file. */
#define SPOOL_MEM (24 << 20)

struct spool {
	FILE *fp;
	char *vbuf;		/* the stdio buffer of fp */
	char *mem;		/* the records while they fit */
	size_t len, cap;
	int filed;		/* this transaction's records are in fp */
	int direct;		/* spool_file() was called: always fp */
};

/* 0, or -1 with e set (DX_IOERR). */
int spool_open(struct spool *sp, struct dx_err *e);
/* Append n bytes; 0, or -1 with e set. */
int spool_write(struct spool *sp, const void *p, size_t n, struct dx_err *e);
/*
 * The spool's file, for a writer that prints through stdio: what the
 * memory held is moved to it first, and every later spool_write() goes
 * to it too.  NULL, with e set, when the move fails.
 */
FILE *spool_file(struct spool *sp, struct dx_err *e);

/*
 * Copy the spool to `out` and empty it.  With `line` not NULL, each line
 * (newline included; not NUL-terminated) is handed to it instead, and a
 * non-zero return stops with that value.  0, or -1 with e set on an I/O error.
 */
int spool_flush(struct spool *sp, FILE *out,
    int (*line)(const char *s, size_t n, void *arg), void *arg,
    struct dx_err *e);
/* Empty the spool without copying it (its transaction was rolled back). */
int spool_discard(struct spool *sp, struct dx_err *e);
void spool_close(struct spool *sp);

#endif
