/*
 * attach.c: attachments read from one folder, stored as blobs.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zlib.h>

#include "attach.h"
#include "blob.h"
#include "crypto.h"
#include "db.h"
#include "util.h"

#define ATTACH_CHUNK 65536
#define ATTACH_MEM (256 * 1024)	/* a stash larger than this goes to a file */
#define ATTACH_NAME_MAX 1024

int
attach_open(struct attach_dir *ad, const char *dir, const char *dbpath,
    struct dx_err *e)
{
	static const char *const sfx[ATTACH_NGUARD] = {
		"", "-wal", "-shm", "-journal", ".key"
	};
	size_t i, n;
	int err;

	memset(ad, 0, sizeof(*ad));
	ad->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ad->fd == -1) {
		err = errno;
		return dx_seterr(e, err == ENOENT ? DX_NOINPUT : DX_IOERR,
		    _("attachment folder '%s': %s"), dir, strerror(err));
	}
	ad->path = xstrdup(dir);
	for (i = 0; i < ATTACH_NGUARD; i++) {
		n = strlen(dbpath) + strlen(sfx[i]) + 1;
		ad->guard[i] = xmalloc(n);
		snprintf(ad->guard[i], n, "%s%s", dbpath, sfx[i]);
	}
	return 0;
}

void
attach_close(struct attach_dir *ad)
{
	size_t i;

	if (ad->path == NULL)
		return;
	close(ad->fd);
	free(ad->path);
	for (i = 0; i < ATTACH_NGUARD; i++)
		free(ad->guard[i]);
	memset(ad, 0, sizeof(*ad));
	ad->fd = -1;
}

int64_t
attach_max(struct db *db)
{
	int64_t lim = sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, -1);

	/*
	 * zlib's worst case is n + n/4096 + n/16384 + a few bytes
	 * (deflateBound); n/1024 and 4 KiB cover it and the row's other
	 * columns.
	 */
	return lim - lim / 1024 - 4096;
}

void
attach_stash_init(struct attach_stash *st)
{
	buf_init(&st->mem);
	st->fd = -1;
	st->len = 0;
}

void
attach_stash_reset(struct attach_stash *st)
{
	buf_reset(&st->mem);
	if (st->fd != -1)
		close(st->fd);
	st->fd = -1;
	st->len = 0;
}

void
attach_stash_free(struct attach_stash *st)
{
	attach_stash_reset(st);
	buf_free(&st->mem);
}

static int
write_all(int fd, const void *p, size_t n, off_t off)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, s, n, off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		s += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

static int
stash_add(struct attach_stash *st, const void *p, size_t n, struct dx_err *e)
{
	if (st->fd == -1 && st->mem.len + n <= ATTACH_MEM) {
		buf_add(&st->mem, p, n);
		st->len += (int64_t)n;
		return 0;
	}
	if (st->fd == -1) {
		if ((st->fd = dx_tmpfd(e)) == -1)
			return -1;
		if (write_all(st->fd, st->mem.buf, st->mem.len, 0) == -1)
			goto fail;
		buf_reset(&st->mem);
	}
	if (write_all(st->fd, p, n, (off_t)st->len) == -1)
		goto fail;
	st->len += (int64_t)n;
	return 0;
fail:
	return dx_seterr(e, DX_IOERR, _("attachment stash: %s"),
	    strerror(errno));
}

static int
stash_get(const struct attach_stash *st, int64_t off, void *p, size_t n,
    struct dx_err *e)
{
	char *d = p;
	ssize_t r;

	if (st->fd == -1) {
		memcpy(p, st->mem.buf + off, n);
		return 0;
	}
	while (n > 0) {
		r = pread(st->fd, d, n, (off_t)off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return dx_seterr(e, DX_IOERR, _("attachment stash: %s"),
			    r == 0 ? _("short read") : strerror(errno));
		d += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

/* Refuse a name that could leave the folder before anything is opened. */
static int
name_ok(const char *name, struct dx_err *e)
{
	const char *p, *q;

	if (*name == '\0')
		return dx_seterr(e, DX_DATAERR, _("file: an empty name"));
	if (strlen(name) > ATTACH_NAME_MAX)
		return dx_seterr(e, DX_DATAERR, _("file: a name longer than %d"
		    " bytes"), ATTACH_NAME_MAX);
	if (*name == '/')
		return dx_seterr(e, DX_DATAERR, _("file '%s': an absolute path"
		    " (name a file inside the attachment folder)"), name);
	for (p = name; ; p = q + 1) {
		q = strchr(p, '/');
		if ((q == NULL ? strlen(p) : (size_t)(q - p)) == 2 &&
		    p[0] == '.' && p[1] == '.')
			return dx_seterr(e, DX_DATAERR, _("file '%s': a '..'"
			    " component (name a file inside the attachment"
			    " folder)"), name);
		if (q == NULL)
			break;
	}
	return 0;
}

static int
open_err(const char *name, int err, struct dx_err *e)
{
	if (err == ELOOP)
		return dx_seterr(e, DX_DATAERR, _("file '%s': a symbolic link"
		    " (only regular files in the attachment folder are read)"),
		    name);
	return dx_seterr(e, DX_DATAERR, _("file '%s': %s"), name,
	    strerror(err));
}

/*
 * Open `name` below the folder one component at a time, never following
 * a symbolic link.  The descriptor, or -1 with e set.
 */
static int
open_below(const struct attach_dir *ad, const char *name, struct dx_err *e)
{
	struct stat sb;
	char *copy, *p, *slash;
	int dfd = ad->fd, fd, err;

	copy = xstrdup(name);
	for (p = copy; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		*slash = '\0';
		if (*p == '\0' || strcmp(p, ".") == 0)
			continue;
		fd = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		err = errno;
		/* a symbolic link to a folder may fail as not a folder */
		if (fd == -1 && err == ENOTDIR &&
		    fstatat(dfd, p, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(sb.st_mode))
			err = ELOOP;
		if (dfd != ad->fd)
			close(dfd);
		if (fd == -1) {
			free(copy);
			return open_err(name, err, e);
		}
		dfd = fd;
	}
	if (*p == '\0' || strcmp(p, ".") == 0) {
		if (dfd != ad->fd)
			close(dfd);
		free(copy);
		return dx_seterr(e, DX_DATAERR, _("file '%s': not a regular"
		    " file"), name);
	}
	fd = openat(dfd, p, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC);
	err = errno;
	if (dfd != ad->fd)
		close(dfd);
	free(copy);
	if (fd == -1)
		return open_err(name, err, e);
	return fd;
}

/* 1 when the open file is one of the database's own, else 0. */
static int
guarded(const struct attach_dir *ad, const struct stat *sb)
{
	struct stat g;
	size_t i;

	for (i = 0; i < ATTACH_NGUARD; i++)
		if (stat(ad->guard[i], &g) == 0 && g.st_dev == sb->st_dev &&
		    g.st_ino == sb->st_ino)
			return 1;
	return 0;
}

/*
 * Read fd to its end into the stash, compressed or, when its first piece
 * says so (blob_keep_raw), as it is; 0, or -1 with e set.
 */
static int
stash_fd(int fd, const char *name, const struct stat *sb, int64_t max,
    struct attach_stash *st, struct attach_file *f, struct dx_err *e)
{
	unsigned char in[ATTACH_CHUNK], out[ATTACH_CHUNK],
	    md[SHA256_LEN];
	struct sha256_ctx *h;
	z_stream z;
	ssize_t r;
	int zrc = Z_OK, flush, err, rc = -1;

	if ((h = sha256_new()) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
	memset(&z, 0, sizeof(z));
	if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		sha256_free(h);
		return dx_seterr(e, DX_SOFTWARE, "zlib compression failed");
	}
	f->size = 0;
	f->off = st->len;
	f->raw = 0;
	do {
		r = read(fd, in, sizeof(in));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			err = errno;
			dx_seterr(e, DX_DATAERR, _("file '%s': %s"), name,
			    strerror(err));
			goto out;
		}
		f->size += r;
		if (f->size > max) {
			dx_seterr(e, DX_DATAERR, _("file '%s': more than the"
			    " limit of %lld bytes"), name, (long long)max);
			goto out;
		}
		if (sha256_update(h, in, (size_t)r) == -1) {
			dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
			goto out;
		}
		if (f->size == r && r > 0)
			f->raw = blob_keep_raw(in, (size_t)r);
		if (f->raw) {
			if (stash_add(st, in, (size_t)r, e) == -1)
				goto out;
			continue;
		}
		flush = r == 0 ? Z_FINISH : Z_NO_FLUSH;
		z.next_in = in;
		z.avail_in = (uInt)r;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			zrc = deflate(&z, flush);
			if (zrc == Z_STREAM_ERROR) {
				dx_seterr(e, DX_SOFTWARE, "zlib compression"
				    " failed");
				goto out;
			}
			if (stash_add(st, out, sizeof(out) - z.avail_out,
			    e) == -1)
				goto out;
		} while (z.avail_out == 0);
	} while (r != 0);
	if (!f->raw && zrc != Z_STREAM_END) {
		dx_seterr(e, DX_SOFTWARE, "zlib compression failed");
		goto out;
	}
	if (f->size < (int64_t)sb->st_size) {
		dx_seterr(e, DX_DATAERR, _("file '%s': shrank while read (%lld"
		    " of %lld bytes)"), name, (long long)f->size,
		    (long long)sb->st_size);
		goto out;
	}
	if (sha256_final(h, md) == -1) {
		dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
		goto out;
	}
	hex_encode(md, sizeof(md), f->hex);
	f->zlen = st->len - f->off;
	rc = 0;
out:
	deflateEnd(&z);
	sha256_free(h);
	return rc;
}

int
attach_read(const struct attach_dir *ad, const char *name, int64_t max,
    struct attach_stash *st, struct attach_file *f, struct dx_err *e)
{
	struct stat sb;
	int fd, rc, err;

	if (name_ok(name, e) == -1)
		return -1;
	if ((fd = open_below(ad, name, e)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		err = errno;
		close(fd);
		return dx_seterr(e, DX_DATAERR, _("file '%s': %s"), name,
		    strerror(err));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return dx_seterr(e, DX_DATAERR, _("file '%s': not a regular"
		    " file"), name);
	}
	if (guarded(ad, &sb)) {
		close(fd);
		return dx_seterr(e, DX_DATAERR, _("file '%s': the office"
		    " database's own file"), name);
	}
	if (sb.st_size > max) {
		close(fd);
		return dx_seterr(e, DX_DATAERR, _("file '%s': %lld bytes, more"
		    " than the limit of %lld"), name, (long long)sb.st_size,
		    (long long)max);
	}
	rc = stash_fd(fd, name, &sb, max, st, f, e);
	close(fd);
	return rc;
}

int
attach_store(struct db *db, const struct attach_stash *st,
    const struct attach_file *f, struct dx_err *e)
{
	unsigned char buf[ATTACH_CHUNK];
	sqlite3_stmt *s;
	sqlite3_blob *b;
	int64_t done;
	size_t n;
	int rc;

	s = db_prepare(db, "SELECT 1 FROM blobs WHERE sha256 = ?", 0, e);
	if (s == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(s, 1, f->hex, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);

	s = db_prepare(db, "INSERT INTO blobs (sha256, size, data, raw)"
	    " VALUES (?, ?, ?, ?)", 0, e);
	if (s == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(s, 1, f->hex, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(s, 2, f->size)) != SQLITE_OK ||
	    (rc = sqlite3_bind_zeroblob64(s, 3, (sqlite3_uint64)f->zlen)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int(s, 4, f->raw)) != SQLITE_OK) {
		sqlite3_finalize(s);
		return db_seterr(db, rc, e, db->path);
	}
	rc = db_step_done(db, s, e);
	sqlite3_finalize(s);
	if (rc == -1)
		return -1;

	rc = sqlite3_blob_open(db->h, "main", "blobs", "data",
	    sqlite3_last_insert_rowid(db->h), 1, &b);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(b);
		return db_seterr(db, rc, e, db->path);
	}
	for (done = 0; done < f->zlen; done += (int64_t)n) {
		n = f->zlen - done < (int64_t)sizeof(buf) ?
		    (size_t)(f->zlen - done) : sizeof(buf);
		if (stash_get(st, f->off + done, buf, n, e) == -1) {
			sqlite3_blob_close(b);
			return -1;
		}
		rc = sqlite3_blob_write(b, buf, (int)n, (int)done);
		if (rc != SQLITE_OK) {
			sqlite3_blob_close(b);
			return db_seterr(db, rc, e, db->path);
		}
	}
	if ((rc = sqlite3_blob_close(b)) != SQLITE_OK)
		return db_seterr(db, rc, e, db->path);
	return 0;
}
