/*
 * bundle.h: the bundle format (dossier-bundle(5)), written and read with
 * libarchive.
 *
 * A bundle is a tar archive (pax restricted: ustar headers unless a name
 * needs more), gzip- or zstd-compressed, whose members are, in order:
 * manifest.json, manifest.sig (the 64-byte Ed25519 signature of the exact
 * bytes of manifest.json), then every member the manifest's "entries"
 * list names, in the listed order, each with its exact size and SHA-256.
 * Every member has owner 0:0, no owner names, mode 0644 and time 0, and
 * the gzip header carries no time: the same content gives the same bytes.
 *
 * Reading never extracts anything to disk.  The signature is checked
 * before any other member is read; then every member is checked against
 * the manifest: exactly the listed names, in order, regular files only
 * (no links, devices or directories), each read no further than its
 * declared size, with limits on the number of members and their total
 * size.  A member's bytes are handed to the caller as they are read, so
 * that the caller can stage them; only when bundle_read() returns 0 has
 * every member been checked, and only then may the caller apply them.
 */
#ifndef DOSSIER_BUNDLE_H
#define DOSSIER_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include <archive.h>
#include <jansson.h>

#include "crypto.h"
#include "util.h"

#define BUNDLE_FORMAT "dossier-bundle"
#define BUNDLE_VERSION 1
#define BUNDLE_MAX_MANIFEST (16L * 1024 * 1024)	/* bytes of manifest.json */
#define BUNDLE_MAX_ENTRIES 1000000L		/* members besides the two */
#define BUNDLE_MAX_TOTAL (64LL * 1024 * 1024 * 1024)	/* their bytes */
#define BUNDLE_MAX_TABLE (64LL * 1024 * 1024)	/* catalog, calendar */

enum bundle_zip {
	BUNDLE_GZIP,
	BUNDLE_ZSTD
};

/* One member listed in the manifest. */
struct bundle_entry {
	char name[80];			/* "events.jsonl", "blobs/<hex>" ... */
	int64_t size;
	unsigned char sha256[SHA256_LEN];
};

/*
 * 1 if `name` is a member name the format allows besides the manifest
 * and its signature: events.jsonl, catalog.jsonl, calendar.jsonl,
 * seals.jsonl, blobs/ followed by 64 lower-case hex digits, or an
 * optional member a later writer may add: a lower-case letter, then up
 * to 31 lower-case letters, digits, '-' or '_', then ".jsonl".  Else 0.
 * A reader checks an optional member it does not know against the
 * manifest like any other (size, SHA-256, at most BUNDLE_MAX_TABLE
 * bytes) and ignores its content.
 */
int bundle_name_ok(const char *name);

/*
 * 0 if zstd bundles can be written and read with this libarchive, else
 * -1 with e set (DX_USAGE, saying so).
 */
int bundle_zstd_ok(struct dx_err *e);

/*
 * Write a bundle to `fd`: the manifest (the members of `head`, a JSON
 * object whose key order is kept, followed by "entries" built from
 * ent[0..n-1]), its signature with the secret key `sec`, then each member
 * in order, whose bytes fill(arg, i, w, e) writes with bundle_put().  A
 * member whose bytes do not have the declared size or SHA-256 fails the
 * write (DX_SOFTWARE: the caller's own data changed under it).  0, or -1
 * with e set (DX_IOERR for a write error).  `fd` stays open.
 */
struct bundle_writer;
typedef int (*bundle_fill_fn)(void *arg, size_t i, struct bundle_writer *w,
    struct dx_err *e);
int bundle_write(int fd, enum bundle_zip zip, const json_t *head,
    const struct bundle_entry *ent, size_t n,
    const unsigned char sec[ED25519_SEC_LEN], bundle_fill_fn fill,
    void *arg, struct dx_err *e);
/*
 * bundle_write() with the compressed stream handed to sink(a, sinkarg, p,
 * n), which writes some or all of p[0..n-1] and returns how many, or -1
 * after archive_set_error(a, ...).  For a bundle split into parts.
 */
typedef la_ssize_t (*bundle_sink_fn)(struct archive *a, void *sinkarg,
    const void *p, size_t n);
int bundle_write_sink(bundle_sink_fn sink, void *sinkarg,
    enum bundle_zip zip, const json_t *head, const struct bundle_entry *ent,
    size_t n, const unsigned char sec[ED25519_SEC_LEN], bundle_fill_fn fill,
    void *arg, struct dx_err *e);
/*
 * The SHA-256 of the manifest.json that bundle_write() would write for
 * `head` and ent[0..n-1], into md: the name both offices give the bundle
 * (an importer hashes m->bytes).  0, or -1 with e set.
 */
int bundle_manifest_sha256(const json_t *head,
    const struct bundle_entry *ent, size_t n, unsigned char md[SHA256_LEN],
    struct dx_err *e);
/* Append p[0..n-1] to the member being written.  0, or -1 with e set. */
int bundle_put(struct bundle_writer *w, const void *p, size_t n,
    struct dx_err *e);

/* What bundle_read() found; freed with bundle_manifest_free(). */
struct bundle_manifest {
	char *bytes;			/* manifest.json as read */
	size_t len;
	json_t *json;			/* the same, parsed */
	const char *from, *to;		/* borrowed from json */
	int64_t seq;
	int64_t created_at;
	struct bundle_entry *ent;	/* the entries, in order */
	size_t nent;
	unsigned char sig[ED25519_SIG_LEN];
	int signed_ok;			/* the signature was checked */
	unsigned char sha256[SHA256_LEN];	/* of the bundle's bytes, every
						   part, when read whole with
						   ops->file_hash */
};
void bundle_manifest_free(struct bundle_manifest *m);

/*
 * What bundle_read() asks of its caller.  key(): the public key trusted
 * for the sender m->from, into pub: 1, or 0 to read without checking the
 * signature (m->signed_ok stays 0), or -1 with e set (an unknown sender:
 * DX_NOPERM); NULL is 0.  data(): the next bytes of member i (called
 * with n 0 once at its end, when its size and hash have been checked);
 * NULL discards them.  Either returns -1 with e set to stop the read.
 * file_hash: 1 to hash every byte read, the bundle file's SHA-256, into
 * m->sha256 (an import records it); 0 leaves m->sha256 zero and spares
 * the reader a second hash of everything (verify, list).
 */
struct bundle_ops {
	int (*key)(void *arg, const struct bundle_manifest *m,
	    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e);
	int (*data)(void *arg, size_t i, const void *p, size_t n,
	    struct dx_err *e);
	int file_hash;
};

/*
 * Read and check the bundle on `fd` (named `name` in messages), as
 * described at the top.  0 with *m filled when everything checked; -1
 * with e set otherwise: DX_NOPERM for a signature that is not the
 * trusted key's, DX_DATAERR for anything else wrong with the bundle
 * (truncated, damaged, a member not in the manifest, too large ...),
 * DX_IOERR for a read error.  *m is freed by the caller either way.
 */
int bundle_read(int fd, const char *name, const struct bundle_ops *ops,
    void *arg, struct bundle_manifest *m, struct dx_err *e);

/*
 * bundle_read() of a bundle split into nfd parts, fds[0..nfd-1] in order,
 * read as the one stream they make one after the other.
 */
int bundle_read_parts(const int *fds, size_t nfd, const char *name,
    const struct bundle_ops *ops, void *arg, struct bundle_manifest *m,
    struct dx_err *e);

#endif
