/*
 * uuid.h: time-ordered UUIDs (version 7, RFC 9562).
 *
 * A UUIDv7 starts with the Unix time in milliseconds, so the keys of
 * dossiers made one after another grow at the right edge of the index.
 * Within one generator, UUIDs are strictly increasing: a 12-bit counter
 * follows the timestamp (RFC 9562 section 6.2, method 1).
 */
#ifndef DOSSIER_UUID_H
#define DOSSIER_UUID_H

#include <stdint.h>

#define UUID_STR_LEN 37		/* 36 characters and a NUL */

struct uuidgen {
	int64_t last_ms;
	unsigned counter;
	unsigned char pool[1024];	/* random bytes, refilled in bulk */
	unsigned pos;
};

void uuid_init(struct uuidgen *g);
/* Write a new UUIDv7 as 36 lower-case characters.  0, or -1 if the
 * system's random source fails. */
int uuid_v7(struct uuidgen *g, char out[UUID_STR_LEN]);
/* 1 if s is a UUID in the canonical 8-4-4-4-12 lower-case hex form. */
int uuid_valid(const char *s);

#endif
