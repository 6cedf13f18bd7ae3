/*
 * fuzz.h: what the libFuzzer harnesses share (tests/fuzz/fuzz-*.c, built
 * by `make fuzzers` with clang; run by tests/fuzz.sh).
 *
 * Each harness works on a copy of the office database named by $FUZZ_DB
 * (made by tests/fuzz.sh: the demo catalog and a few dossiers), taken
 * once at start into a temporary directory (fuzz_db(), or fuzz_office()
 * to open it too), and feeds each input to the entry point as the lines
 * of one input file.
 */
#ifndef DOSSIER_FUZZ_H
#define DOSSIER_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "office.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* copy file `from` to `to`; 0, or -1 if `from` cannot be read */
static int
fuzz_copy(const char *from, const char *to)
{
	char buf[65536];
	FILE *in, *out;
	size_t n;

	if ((in = fopen(from, "rb")) == NULL)
		return -1;
	if ((out = fopen(to, "wb")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out) == 0 ? 0 : -1;
}

/* A private copy of $FUZZ_DB (and its key file); its path, or exit 2. */
static const char *
fuzz_db(void)
{
	static char dir[] = "/tmp/dossier-fuzz.XXXXXX";
	static char path[sizeof(dir) + 32], key[sizeof(path) + 8];
	char srckey[4096];
	const char *src = getenv("FUZZ_DB");

	if (src == NULL || mkdtemp(dir) == NULL) {
		fputs("fuzz: set FUZZ_DB to an office database (tests/fuzz.sh"
		    " makes one)\n", stderr);
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/office.db", dir);
	snprintf(key, sizeof(key), "%s.key", path);
	snprintf(srckey, sizeof(srckey), "%s.key", src);
	if (fuzz_copy(src, path) == -1) {
		fprintf(stderr, "fuzz: cannot copy %s\n", src);
		exit(2);
	}
	(void)fuzz_copy(srckey, key);
	/* the key file must be private, as the tools demand */
	(void)chmod(key, 0600);
	return path;
}

/*
 * The private copy of $FUZZ_DB opened for writing (office_open()), for
 * the whole run; on failure a message naming `harness`, and exit 2.
 */
static inline struct db *
fuzz_office(const char *harness)
{
	struct dx_err e;
	struct db *db;

	if ((db = office_open(fuzz_db(), 0, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", harness, e.msg);
		exit(2);
	}
	return db;
}

/* A report's function that drops the messages, made all the same. */
static inline void
fuzz_drop(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* The input as a stream of lines, or NULL for an empty input. */
static FILE *
fuzz_open(const uint8_t *data, size_t size)
{
	if (size == 0)
		return NULL;
	return fmemopen((void *)(uintptr_t)data, size, "r");
}

#endif
