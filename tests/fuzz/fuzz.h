/*
 * fuzz.h: what the libFuzzer harnesses share (tests/fuzz/fuzz-*.c, built
 * by `make fuzzers` with clang; run by tests/fuzz.sh).
 *
 * Each harness works on a copy of the office database named by $FUZZ_DB
 * (made by tests/fuzz.sh: the demo catalog and a few dossiers), taken
 * once at start into a temporary directory in $TMPDIR (fuzz_db(), or
 * fuzz_office() to open it too), removed at exit, and feeds each input
 * to the entry point as the lines of one input file.
 */
#ifndef DOSSIER_FUZZ_H
#define DOSSIER_FUZZ_H

#include <dirent.h>
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

/* The temporary directories made, removed by fuzz_cleanup() at exit. */
static char fuzz_dirs[2][4096];

/* Remove the files in each temporary directory, then the directory. */
static void
fuzz_cleanup(void)
{
	char path[8192];
	struct dirent *d;
	DIR *dp;
	size_t i;

	for (i = 0; i < sizeof(fuzz_dirs) / sizeof(fuzz_dirs[0]); i++) {
		if (fuzz_dirs[i][0] == '\0')
			continue;
		if ((dp = opendir(fuzz_dirs[i])) != NULL) {
			while ((d = readdir(dp)) != NULL) {
				if (strcmp(d->d_name, ".") == 0 ||
				    strcmp(d->d_name, "..") == 0)
					continue;
				snprintf(path, sizeof(path), "%s/%s",
				    fuzz_dirs[i], d->d_name);
				(void)unlink(path);
			}
			closedir(dp);
		}
		(void)rmdir(fuzz_dirs[i]);
		fuzz_dirs[i][0] = '\0';
	}
}

/*
 * A new temporary directory NAME.XXXXXX in $TMPDIR (or /tmp), removed
 * with what it holds at exit; its path, or NULL.
 */
static const char *
fuzz_tmpdir(const char *name)
{
	static int registered;
	const char *tmp = getenv("TMPDIR");
	size_t i;

	for (i = 0; i < sizeof(fuzz_dirs) / sizeof(fuzz_dirs[0]); i++)
		if (fuzz_dirs[i][0] == '\0')
			break;
	if (i == sizeof(fuzz_dirs) / sizeof(fuzz_dirs[0]))
		return NULL;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fuzz_dirs[i], sizeof(fuzz_dirs[i]), "%s/%s.XXXXXX", tmp,
	    name);
	if (mkdtemp(fuzz_dirs[i]) == NULL) {
		fuzz_dirs[i][0] = '\0';
		return NULL;
	}
	if (!registered && atexit(fuzz_cleanup) == 0)
		registered = 1;
	return fuzz_dirs[i];
}

/* A private copy of $FUZZ_DB (and its key file); its path, or exit 2. */
static const char *
fuzz_db(void)
{
	static char path[4096 + 32], key[sizeof(path) + 8];
	char srckey[4096];
	const char *src = getenv("FUZZ_DB"), *dir;

	if (src == NULL || (dir = fuzz_tmpdir("dossier-fuzz")) == NULL) {
		fputs("fuzz: set FUZZ_DB to an office database (tests/fuzz.sh"
		    " makes one)\n", stderr);
		exit(2);
	}
	/* tests/fuzz.sh checks that it is gone once the harness ends */
	fprintf(stderr, "fuzz: office copy in %s\n", dir);
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
