/*
 * attach.h: the files attached to applications, read from one folder.
 *
 * An application names its files relative to the attachment folder.  A
 * name is refused when it is absolute, has a ".." component, goes through
 * a symbolic link (each component is opened with O_NOFOLLOW relative to
 * the one before), or names anything but a regular file; the database,
 * its -wal, -shm and -journal files and the office key file are refused
 * whatever the name, by device and inode.  A file is opened with
 * O_NONBLOCK, so a FIFO is refused at once instead of blocking.
 *
 * Reading is split from storing.  attach_read() reads, hashes and
 * compresses a file into a stash (in memory, spilled to an unlinked
 * temporary file in TMPDIR when large) and needs no database, so a tool
 * can read every file of a record before it takes the write lock.
 * attach_store() then copies the compressed bytes into the blobs table
 * with incremental blob I/O, inside the write transaction.  Neither holds
 * more than a bounded buffer of the file in memory.
 */
#ifndef DOSSIER_ATTACH_H
#define DOSSIER_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "util.h"

#define ATTACH_MAX_DEFAULT (20L * 1024 * 1024)	/* 20 MiB a file */
#define ATTACH_NGUARD 5		/* the database's files and the key file */

/* An open attachment folder and the files it never yields. */
struct attach_dir {
	int fd;				/* the folder */
	char *path;			/* as given, for messages */
	char *guard[ATTACH_NGUARD];	/* paths refused by device and inode */
};

/* The compressed bytes of a record's files, in the order read. */
struct attach_stash {
	struct dx_buf mem;	/* the bytes, until they outgrow memory */
	int fd;			/* then an unlinked temporary file, or -1 */
	int64_t len;		/* bytes stashed */
};

/* One file read into a stash. */
struct attach_file {
	char hex[65];		/* SHA-256 of the file's bytes */
	int64_t size;		/* the file's bytes */
	int64_t off, zlen;	/* where its stored bytes are in the stash */
	int raw;		/* stored as they are (blobs.raw), not zlib */
};

/*
 * Open the folder `dir` (a symbolic link to a folder is followed: the
 * caller chose it) for the database at `dbpath`.  0, or -1 with e set
 * (DX_NOINPUT when the folder is missing, DX_IOERR otherwise).  Release
 * with attach_close().
 */
int attach_open(struct attach_dir *ad, const char *dir, const char *dbpath,
    struct dx_err *e);
void attach_close(struct attach_dir *ad);

/*
 * The largest file attach_store() can store in `db`: what SQLite's length
 * limit leaves once the worst case of compression is counted.
 */
int64_t attach_max(struct db *db);

/* An empty stash; attach_stash_reset() empties it, attach_stash_free()
 * releases it. */
void attach_stash_init(struct attach_stash *st);
void attach_stash_reset(struct attach_stash *st);
void attach_stash_free(struct attach_stash *st);

/*
 * Read the file `name` of folder `ad`, at most `max` bytes, appending its
 * bytes to `st`, zlib-compressed or as they are by the rule of
 * blob_write() (blob_keep_raw), and describing them in *f.  Thread-safe for
 * distinct stashes.  0, or -1 with e set: DX_DATAERR when the file is
 * refused or cannot be read (the record's fault: missing, refused by the
 * rules above, permission denied, a loop, an I/O error, too large, or
 * shrunk while read; the message names the file), DX_IOERR when the stash
 * cannot be written (the machine's fault), DX_SOFTWARE when hashing or
 * compressing fails.
 */
int attach_read(const struct attach_dir *ad, const char *name, int64_t max,
    struct attach_stash *st, struct attach_file *f, struct dx_err *e);

/*
 * Store the file *f of stash `st` in the blobs table unless a blob with
 * its SHA-256 is there.  Call inside a write transaction.  0, or -1 with
 * e set (db_seterr(); DX_IOERR when the stash cannot be read back).
 */
int attach_store(struct db *db, const struct attach_stash *st,
    const struct attach_file *f, struct dx_err *e);

#endif
