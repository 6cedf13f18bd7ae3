/*
 * officekey.h: the office's Ed25519 key.
 *
 * The public key is in the database (office.public_key, and every key the
 * office ever had in office_keys, so that old seals still verify).  The
 * secret key is never in the database: it lives in the key file beside
 * it, DBFILE.key, mode 0600, one line "ed25519 HEX" of the 32-byte seed.
 * Anyone who can read the database (staff, a backup, an export) can thus
 * verify what the office signed, and only who can read the key file can
 * sign.
 *
 * A rotation writes the new key to DBFILE.key.new, commits the new public
 * key, then renames the file over DBFILE.key; okey_load() finishes a
 * rotation that was interrupted between the two.
 */
#ifndef DOSSIER_OFFICEKEY_H
#define DOSSIER_OFFICEKEY_H

#include "crypto.h"
#include "db.h"
#include "util.h"

/* What okey_state() found. */
enum okey_state {
	OKEY_OK,		/* present, 0600 or stricter, matches */
	OKEY_MISSING,		/* no key file */
	OKEY_OPEN,		/* readable or writable by group or others */
	OKEY_MISMATCH,		/* not the key of the office's public key */
	OKEY_BAD		/* unreadable, not a regular file, malformed */
};

/* The key file of database `dbpath`: a new string, freed by the caller. */
char *okey_path(const char *dbpath);

/*
 * Create the key file `path` (never overwriting one: DX_CANTCREAT) with
 * mode 0600 and the secret key `sec`, synced to disk.  0, or -1 with e
 * set; on failure no file is left.
 */
int okey_write(const char *path, const unsigned char sec[ED25519_SEC_LEN],
    struct dx_err *e);

/*
 * Read the secret key of the office of `db` from its key file into sec
 * and check that it is the key of the office's public key; finish an
 * interrupted rotation first.  0, or -1 with e set: DX_NOINPUT for no key
 * file, DX_NOPERM for a file readable by group or others, DX_DATAERR for
 * a malformed file or one of another key, DX_IOERR otherwise.
 */
int okey_load(struct db *db, unsigned char sec[ED25519_SEC_LEN],
    struct dx_err *e);

/*
 * The state of the key file of `db`, without failing on it: one of
 * enum okey_state, or -1 with e set when the database cannot be read.
 * okey_state_name() names a state for output.
 */
int okey_state(struct db *db, struct dx_err *e);
const char *okey_state_name(int state);

/*
 * Make a new key pair and make it the office's: the old public key stays
 * in office_keys, retired.  Needs the current key file (okey_load()).
 * The new public key goes to pub.  0, or -1 with e set.
 */
int okey_rotate(struct db *db, unsigned char pub[ED25519_PUB_LEN],
    struct dx_err *e);

/*
 * For the migration that takes the secret key out of the database (db.c
 * calls it in the migration's transaction, before the column is
 * dropped): write the stored secret key to the key file, or check that
 * the key file already there holds it.  0, or -1 with e set.
 */
int okey_migrate_out(struct db *db, struct dx_err *e);

#endif
