/*
 * bundle-ref: the reference for dossier-bundle's benchmark.  libarchive
 * writing and reading the members of a bundle with the same format
 * (pax restricted), the same filter at its default level, the same fixed
 * headers and SHA-256 of every member, and nothing else: no database, no
 * signature, no JSON beyond the manifest's list.
 *
 *   bundle-ref write gzip|zstd DIR OUT   the members named in DIR/LIST
 *                                        (one a line, in order), each
 *                                        hashed, then written to OUT
 *                                        and synced
 *   bundle-ref read FILE                 every member read and hashed;
 *                                        each but the first two checked
 *                                        against manifest.json's entries
 *   bundle-ref store FILE DB             read as above, and stored in a
 *                                        new SQLite file DB in one
 *                                        transaction (WAL, synchronous
 *                                        FULL, as the toolkit): a row per
 *                                        line of events.jsonl, a row per
 *                                        blob (its bytes, uncompressed)
 *
 * Prints "BYTES SECONDS" on stdout: the members' bytes, and the wall time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#define CHUNK 65536

static void
die(struct archive *a, const char *what)
{
	fprintf(stderr, "bundle-ref: %s: %s\n", what,
	    a != NULL && archive_error_string(a) ? archive_error_string(a) :
	    strerror(errno));
	exit(1);
}

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
hex(const unsigned char *md, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Hash the file `path` into md; its size, or -1. */
static long long
hash_file(const char *path, unsigned char *md)
{
	static char buf[CHUNK];
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	long long size = 0;
	ssize_t r;
	int fd;

	if (h == NULL || (fd = open(path, O_RDONLY)) == -1)
		die(NULL, path);
	EVP_DigestInit_ex(h, EVP_sha256(), NULL);
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(h, buf, (size_t)r);
		size += r;
	}
	if (r < 0)
		die(NULL, path);
	EVP_DigestFinal_ex(h, md, NULL);
	EVP_MD_CTX_free(h);
	close(fd);
	return size;
}

static int
ref_write(const char *zip, const char *dir, const char *out)
{
	static char buf[CHUNK];
	struct archive_entry *ae;
	struct archive *a;
	struct timespec t0;
	unsigned char md[32];
	char path[4096], *line = NULL, **names = NULL;
	long long *sizes = NULL, total = 0;
	size_t cap = 0, n = 0, i;
	ssize_t r;
	FILE *list;
	int fd, ofd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(path, sizeof(path), "%s/LIST", dir);
	if ((list = fopen(path, "r")) == NULL)
		die(NULL, path);
	while ((r = getline(&line, &cap, list)) > 0) {
		if (line[r - 1] == '\n')
			line[r - 1] = '\0';
		if ((names = realloc(names, (n + 1) * sizeof(*names))) ==
		    NULL || (sizes = realloc(sizes, (n + 1) *
		    sizeof(*sizes))) == NULL ||
		    (names[n] = strdup(line)) == NULL)
			die(NULL, "out of memory");
		n++;
	}
	fclose(list);
	free(line);
	/* the manifest lists every size and hash before any member */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		sizes[i] = hash_file(path, md);
		total += sizes[i];
	}
	if ((a = archive_write_new()) == NULL)
		die(NULL, "archive_write_new");
	if ((strcmp(zip, "zstd") == 0 ? archive_write_add_filter_zstd(a) :
	    archive_write_add_filter_gzip(a)) != ARCHIVE_OK ||
	    (strcmp(zip, "gzip") == 0 && archive_write_set_filter_option(a,
	    "gzip", "timestamp", NULL) != ARCHIVE_OK) ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    (ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    archive_write_open_fd(a, ofd) != ARCHIVE_OK)
		die(a, out);
	for (i = 0; i < n; i++) {
		EVP_MD_CTX *h = EVP_MD_CTX_new();

		if ((ae = archive_entry_new()) == NULL || h == NULL)
			die(NULL, "out of memory");
		archive_entry_set_pathname(ae, names[i]);
		archive_entry_set_size(ae, sizes[i]);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_mtime(ae, 0, 0);
		if (archive_write_header(a, ae) != ARCHIVE_OK)
			die(a, names[i]);
		archive_entry_free(ae);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((fd = open(path, O_RDONLY)) == -1)
			die(NULL, path);
		/* hashed again while written, as a careful writer checks */
		EVP_DigestInit_ex(h, EVP_sha256(), NULL);
		while ((r = read(fd, buf, sizeof(buf))) > 0) {
			EVP_DigestUpdate(h, buf, (size_t)r);
			if (archive_write_data(a, buf, (size_t)r) != r)
				die(a, names[i]);
		}
		if (r < 0)
			die(NULL, path);
		EVP_DigestFinal_ex(h, md, NULL);
		EVP_MD_CTX_free(h);
		close(fd);
		free(names[i]);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die(a, out);
	archive_write_free(a);
	/* as dossier-bundle export -o does: the file reaches the disk */
	if (fsync(ofd) == -1 || close(ofd) == -1)
		die(NULL, out);
	free(names);
	free(sizes);
	printf("%lld %.6f\n", total, since(&t0));
	return 0;
}

static sqlite3 *db;
static sqlite3_stmt *ins_event, *ins_blob;

static void
sqlerr(const char *what)
{
	fprintf(stderr, "bundle-ref: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void
store_open(const char *path)
{
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL;"
	    " PRAGMA synchronous = FULL; PRAGMA cache_size = -8192;"
	    " CREATE TABLE events (id INTEGER PRIMARY KEY, line TEXT NOT NULL);"
	    " CREATE TABLE blobs (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL"
	    "  UNIQUE, data BLOB NOT NULL); BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO events (line) VALUES (?)", -1,
	    &ins_event, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO blobs (sha256, data)"
	    " VALUES (?, ?)", -1, &ins_blob, NULL) != SQLITE_OK)
		sqlerr(path);
}

/* Store member `name`, n bytes at p. */
static void
store(const char *name, const char *p, size_t n)
{
	const char *nl;

	if (strcmp(name, "events.jsonl") == 0) {
		while (n > 0) {
			nl = memchr(p, '\n', n);
			size_t k = nl ? (size_t)(nl - p) : n;

			sqlite3_bind_text(ins_event, 1, p, (int)k, SQLITE_STATIC);
			if (sqlite3_step(ins_event) != SQLITE_DONE)
				sqlerr("events");
			sqlite3_reset(ins_event);
			p += k + (nl != NULL);
			n -= k + (nl != NULL);
		}
	} else if (strncmp(name, "blobs/", 6) == 0) {
		sqlite3_bind_text(ins_blob, 1, name + 6, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins_blob, 2, p, (int)n, SQLITE_STATIC);
		if (sqlite3_step(ins_blob) != SQLITE_DONE)
			sqlerr("blobs");
		sqlite3_reset(ins_blob);
	}
}

static void
store_close(void)
{
	sqlite3_finalize(ins_event);
	sqlite3_finalize(ins_blob);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlerr("COMMIT");
	if (sqlite3_close(db) != SQLITE_OK)
		sqlerr("close");
}

static int
ref_read(const char *file, const char *dbpath)
{
	char *mem = NULL;
	size_t memcap = 0;
	static char buf[CHUNK];
	struct archive_entry *ae;
	struct archive *a;
	struct timespec t0;
	unsigned char md[32];
	char want[65], *man = NULL;
	long long total = 0, msize = 0;
	json_t *mj = NULL, *ents = NULL, *x;
	size_t k = 0;
	ssize_t r;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (dbpath != NULL)
		store_open(dbpath);
	if ((a = archive_read_new()) == NULL ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(a) != ARCHIVE_OK ||
	    archive_read_open_filename(a, file, CHUNK) != ARCHIVE_OK)
		die(a, file);
	while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		EVP_MD_CTX *h = EVP_MD_CTX_new();
		const char *name = archive_entry_pathname(ae);

		if (h == NULL)
			die(NULL, "out of memory");
		if (archive_entry_filetype(ae) != AE_IFREG)
			die(NULL, "not a regular file");
		if (man == NULL) {
			msize = archive_entry_size(ae);
			if ((man = malloc((size_t)msize + 1)) == NULL)
				die(NULL, "out of memory");
		}
		EVP_DigestInit_ex(h, EVP_sha256(), NULL);
		/* a member to store is gathered whole, as SQLite takes it */
		size_t got = 0, need = (size_t)archive_entry_size(ae);

		if (dbpath != NULL && need > memcap &&
		    (mem = realloc(mem, memcap = need)) == NULL)
			die(NULL, "out of memory");
		while ((r = archive_read_data(a, buf, sizeof(buf))) > 0) {
			if (mj == NULL && strcmp(name, "manifest.json") == 0 &&
			    total + r <= msize)
				memcpy(man + total, buf, (size_t)r);
			if (dbpath != NULL && got + (size_t)r <= need)
				memcpy(mem + got, buf, (size_t)r);
			got += (size_t)r;
			EVP_DigestUpdate(h, buf, (size_t)r);
			total += r;
		}
		if (r < 0)
			die(a, name);
		EVP_DigestFinal_ex(h, md, NULL);
		EVP_MD_CTX_free(h);
		if (mj == NULL) {
			if ((mj = json_loadb(man, (size_t)msize, 0, NULL)) ==
			    NULL || !json_is_array(ents = json_object_get(mj,
			    "entries")))
				die(NULL, "manifest.json");
			continue;
		}
		if (strcmp(name, "manifest.sig") == 0)
			continue;
		x = json_array_get(ents, k++);
		hex(md, want);
		if (x == NULL || strcmp(name, json_string_value(
		    json_object_get(x, "name"))) != 0 || strcmp(want,
		    json_string_value(json_object_get(x, "sha256"))) != 0) {
			fprintf(stderr, "bundle-ref: %s: not as listed\n",
			    name);
			exit(1);
		}
		if (dbpath != NULL)
			store(name, mem, got);
	}
	if (rc != ARCHIVE_EOF || k != json_array_size(ents))
		die(a, file);
	archive_read_free(a);
	if (dbpath != NULL)
		store_close();
	json_decref(mj);
	free(man);
	free(mem);
	printf("%lld %.6f\n", total, since(&t0));
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 5 && strcmp(argv[1], "write") == 0)
		return ref_write(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return ref_read(argv[2], NULL);
	if (argc == 4 && strcmp(argv[1], "store") == 0)
		return ref_read(argv[2], argv[3]);
	fprintf(stderr, "usage: bundle-ref write gzip|zstd DIR OUT\n"
	    "       bundle-ref read FILE\n"
	    "       bundle-ref store FILE DB\n");
	return 64;
}
