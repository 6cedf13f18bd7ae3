/*
 * officekey.c: the office's secret key, in a file beside the database.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crypto.h"
#include "db.h"
#include "officekey.h"
#include "util.h"

#define OKEY_TAG "ed25519 "
#define OKEY_LINE (sizeof(OKEY_TAG) - 1 + 2 * ED25519_SEC_LEN + 1)

char *
okey_path(const char *dbpath)
{
	size_t n = strlen(dbpath) + sizeof(".key");
	char *p = xmalloc(n);

	snprintf(p, n, "%s.key", dbpath);
	return p;
}

/* Sync the folder holding `path`, so that a new name in it lasts. */
static int
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
okey_write(const char *path, const unsigned char sec[ED25519_SEC_LEN],
    struct dx_err *e)
{
	char line[OKEY_LINE + 1];
	size_t n;
	int fd, err = 0;

	memcpy(line, OKEY_TAG, sizeof(OKEY_TAG) - 1);
	hex_encode(sec, ED25519_SEC_LEN, line + sizeof(OKEY_TAG) - 1);
	n = strlen(line);
	line[n++] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		err = errno;
		memset(line, 0, sizeof(line));
		return dx_seterr(e, err == EEXIST ? DX_CANTCREAT : DX_IOERR,
		    "key file '%s': %s", path, err == EEXIST ?
		    "already exists, refusing to overwrite it" :
		    strerror(err));
	}
	/* fchmod: the umask must not loosen nor tighten 0600 */
	if (fchmod(fd, 0600) == -1 || write(fd, line, n) != (ssize_t)n ||
	    fsync(fd) == -1)
		err = errno != 0 ? errno : EIO;
	memset(line, 0, sizeof(line));
	if (close(fd) == -1 && err == 0)
		err = errno;
	if (err == 0 && sync_dir(path) == -1)
		err = errno;
	if (err != 0) {
		unlink(path);
		return dx_seterr(e, DX_IOERR, _("key file '%s': %s"), path,
		    strerror(err));
	}
	return 0;
}

/*
 * Read the key file `path` into sec.  0, or -1 with e set and *state one
 * of enum okey_state.
 */
static int
read_key(const char *path, unsigned char sec[ED25519_SEC_LEN], int *state,
    struct dx_err *e)
{
	char line[OKEY_LINE + 2];
	struct stat sb;
	ssize_t r;
	int fd, err;

	*state = OKEY_BAD;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1) {
		err = errno;
		if (err == ENOENT) {
			*state = OKEY_MISSING;
			return dx_seterr(e, DX_NOINPUT, _("key file '%s':"
			    " missing (restore it from the office's copy, or"
			    " make a new one with dossier-admin keys rotate)"),
			    path);
		}
		return dx_seterr(e, err == EACCES ? DX_NOPERM : DX_IOERR,
		    _("key file '%s': %s"), path, strerror(err));
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return dx_seterr(e, DX_DATAERR, _("key file '%s': not a regular"
		    " file"), path);
	}
	if (sb.st_mode & 077) {
		close(fd);
		*state = OKEY_OPEN;
		return dx_seterr(e, DX_NOPERM, _("key file '%s': mode %04o lets"
		    " others read it (chmod 600, and make a new key with"
		    " dossier-admin keys rotate if it was read)"), path,
		    (unsigned)(sb.st_mode & 07777));
	}
	do
		r = read(fd, line, sizeof(line) - 1);
	while (r == -1 && errno == EINTR);
	err = errno;
	close(fd);
	if (r == -1)
		return dx_seterr(e, DX_IOERR, _("key file '%s': %s"), path,
		    strerror(err));
	line[r] = '\0';
	if ((size_t)r != OKEY_LINE || line[OKEY_LINE - 1] != '\n' ||
	    memcmp(line, OKEY_TAG, sizeof(OKEY_TAG) - 1) != 0 ||
	    (line[OKEY_LINE - 1] = '\0', hex_decode(line +
	    sizeof(OKEY_TAG) - 1, sec, ED25519_SEC_LEN) == -1)) {
		memset(line, 0, sizeof(line));
		return dx_seterr(e, DX_DATAERR, _("key file '%s': not an office"
		    " key (want one line 'ed25519 HEX')"), path);
	}
	memset(line, 0, sizeof(line));
	*state = OKEY_OK;
	return 0;
}

/* 1 when sec is the key of pub, 0 when not, -1 with e set. */
static int
key_matches(const unsigned char sec[ED25519_SEC_LEN],
    const unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	unsigned char got[ED25519_PUB_LEN];

	if (ed25519_public(sec, got, e) == -1)
		return -1;
	return memcmp(got, pub, ED25519_PUB_LEN) == 0;
}

/* Load and match; *state says what was found.  0, or -1 with e set. */
static int
load(struct db *db, unsigned char sec[ED25519_SEC_LEN], int *state,
    struct dx_err *e)
{
	struct office o;
	char *path, *next;
	size_t n;
	int m, nstate;

	if (db_office(db, &o, e) == -1) {
		*state = -1;
		return -1;
	}
	path = okey_path(db->path);
	if (read_key(path, sec, state, e) == 0 &&
	    (m = key_matches(sec, o.public_key, e)) != 0) {
		free(path);
		return m == 1 ? 0 : -1;
	}
	if (*state != OKEY_OK && *state != OKEY_MISSING) {
		free(path);
		return -1;
	}
	/* a rotation interrupted after its commit: the new file is ready */
	n = strlen(path) + sizeof(".new");
	next = xmalloc(n);
	snprintf(next, n, "%s.new", path);
	if (read_key(next, sec, &nstate, NULL) == 0 &&
	    key_matches(sec, o.public_key, NULL) == 1) {
		if (rename(next, path) == 0 && sync_dir(path) == 0) {
			*state = OKEY_OK;
			free(next);
			free(path);
			return 0;
		}
		dx_seterr(e, DX_IOERR, _("key file '%s': %s"), path,
		    strerror(errno));
		*state = OKEY_BAD;
	} else if (*state == OKEY_OK) {
		*state = OKEY_MISMATCH;
		dx_seterr(e, DX_DATAERR, _("key file '%s': not the key of the"
		    " office's public key (restore the office's key file)"),
		    path);
	}
	memset(sec, 0, ED25519_SEC_LEN);
	free(next);
	free(path);
	return -1;
}

int
okey_load(struct db *db, unsigned char sec[ED25519_SEC_LEN],
    struct dx_err *e)
{
	int state;

	return load(db, sec, &state, e);
}

int
okey_state(struct db *db, struct dx_err *e)
{
	unsigned char sec[ED25519_SEC_LEN];
	struct dx_err scratch;
	int state;

	if (load(db, sec, &state, &scratch) == -1 && state == -1) {
		*e = scratch;
		return -1;
	}
	memset(sec, 0, sizeof(sec));
	return state;
}

const char *
okey_state_name(int state)
{
	switch (state) {
	case OKEY_OK:
		return "ok";
	case OKEY_MISSING:
		return "missing";
	case OKEY_OPEN:
		return "readable by others";
	case OKEY_MISMATCH:
		return "not the office's key";
	default:
		return "unreadable";
	}
}

int
okey_rotate(struct db *db, unsigned char pub[ED25519_PUB_LEN],
    struct dx_err *e)
{
	unsigned char sec[ED25519_SEC_LEN], nsec[ED25519_SEC_LEN];
	sqlite3_stmt *st = NULL;
	char *path, *next;
	size_t n;
	int rc = -1, r;

	if (okey_load(db, sec, e) == -1)
		return -1;
	memset(sec, 0, sizeof(sec));
	if (ed25519_keygen(pub, nsec, e) == -1)
		return -1;
	path = okey_path(db->path);
	n = strlen(path) + sizeof(".new");
	next = xmalloc(n);
	snprintf(next, n, "%s.new", path);
	/* a stale .new of an attempt that never committed is not a key */
	(void)unlink(next);
	if (okey_write(next, nsec, e) == -1)
		goto out;
	if (db_begin(db, e) == -1)
		goto undo;
	st = db_prepare(db, "UPDATE office_keys SET retired_at = ?"
	    " WHERE retired_at IS NULL", 0, e);
	if (st == NULL)
		goto undo;
	if ((r = sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL))) !=
	    SQLITE_OK) {
		db_seterr(db, r, e, db->path);
		goto undo;
	}
	if (db_step_done(db, st, e) == -1)
		goto undo;
	sqlite3_finalize(st);
	st = db_prepare(db, "INSERT INTO office_keys (public_key, created_at)"
	    " VALUES (?, ?)", 0, e);
	if (st == NULL)
		goto undo;
	if ((r = sqlite3_bind_blob(st, 1, pub, ED25519_PUB_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (r = sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL))) !=
	    SQLITE_OK) {
		db_seterr(db, r, e, db->path);
		goto undo;
	}
	if (db_step_done(db, st, e) == -1)
		goto undo;
	sqlite3_finalize(st);
	st = db_prepare(db, "UPDATE office SET public_key = ? WHERE id = 1",
	    0, e);
	if (st == NULL)
		goto undo;
	if ((r = sqlite3_bind_blob(st, 1, pub, ED25519_PUB_LEN,
	    SQLITE_STATIC)) != SQLITE_OK) {
		db_seterr(db, r, e, db->path);
		goto undo;
	}
	if (db_step_done(db, st, e) == -1)
		goto undo;
	sqlite3_finalize(st);
	st = NULL;
	if (db_commit(db, e) == -1)
		goto undo;
	/* committed: from here okey_load() finishes what a crash stops */
	if (rename(next, path) == -1 || sync_dir(path) == -1) {
		dx_seterr(e, DX_IOERR, _("key file '%s': %s"), path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
undo:
	sqlite3_finalize(st);
	db_rollback(db);
	unlink(next);
out:
	memset(nsec, 0, sizeof(nsec));
	free(next);
	free(path);
	return rc;
}

int
okey_migrate_out(struct db *db, struct dx_err *e)
{
	unsigned char sec[ED25519_SEC_LEN], pub[ED25519_PUB_LEN];
	sqlite3_stmt *st;
	char *path;
	int rc, state;

	st = db_prepare(db, "SELECT secret_key, public_key FROM office"
	    " WHERE id = 1", 0, e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		/* a new file, before init wrote its office row */
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_ROW || sqlite3_column_bytes(st, 0) !=
	    ED25519_SEC_LEN || sqlite3_column_bytes(st, 1) !=
	    ED25519_PUB_LEN) {
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return db_seterr(db, rc, e, db->path);
		return dx_seterr(e, DX_DATAERR, _("%s: the office row's key is"
		    " damaged"), db->path);
	}
	memcpy(sec, sqlite3_column_blob(st, 0), sizeof(sec));
	memcpy(pub, sqlite3_column_blob(st, 1), sizeof(pub));
	sqlite3_finalize(st);
	path = okey_path(db->path);
	rc = okey_write(path, sec, e);
	if (rc == -1 && e != NULL && e->code == DX_CANTCREAT) {
		/* an earlier attempt wrote it and did not commit: same key? */
		unsigned char old[ED25519_SEC_LEN];

		if (read_key(path, old, &state, e) == 0)
			rc = memcmp(old, sec, sizeof(sec)) == 0 ? 0 :
			    dx_seterr(e, DX_CANTCREAT, _("key file '%s': holds"
			    " another key than the database; move it away"),
			    path);
		memset(old, 0, sizeof(old));
	}
	memset(sec, 0, sizeof(sec));
	free(path);
	return rc;
}
