/*
 * seal.h: signed heads of the office's event chain.
 *
 * A seal is the office's Ed25519 signature over the head of one origin's
 * event chain at a time:
 *
 *   "dossier-seal-v1\n" origin "\n" seq "\n" hex(hash) "\n" at "\n"
 *
 * where seq is the last event's sequence number (0 and 32 zero bytes for
 * an empty chain), hash its hash and at the time of sealing, seq and at in
 * decimal.  Seals are kept in the seals table with the public key that
 * made them.  Whoever can write the database but not read the key file
 * cannot make a seal, so deleting sealed events, or rewriting the chain
 * and recomputing every hash, no longer matches the latest seal.
 */
#ifndef DOSSIER_SEAL_H
#define DOSSIER_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto.h"
#include "db.h"
#include "util.h"

struct seal {
	char origin[32];
	int64_t seq;
	unsigned char hash[SHA256_LEN];
	int64_t at;
	unsigned char public_key[ED25519_PUB_LEN];
	unsigned char signature[ED25519_SIG_LEN];
};

/*
 * Seal the head of `origin`'s chain at time `at` with the key pair
 * sec/pub, store the seal, and describe it in *s.  Opens its own write
 * transaction.  0, or -1 with e set.
 */
int seal_make(struct db *db, const char *origin, int64_t at,
    const unsigned char sec[ED25519_SEC_LEN],
    const unsigned char pub[ED25519_PUB_LEN], struct seal *s,
    struct dx_err *e);

/*
 * Verify every seal's signature, by a key of `keys` (nkeys public keys of
 * ED25519_PUB_LEN bytes, one after the other; with keys NULL, the keys of
 * the office_keys table) or, for a seal of another office's chain taken
 * from its bundles, by the key the trust list (peers) holds for it (never
 * for this office's own chain, whatever peers holds), and
 * each origin's chain against its latest seal: the sealed event must be
 * there with the sealed hash.  Each problem is reported through `report`.  Returns the
 * number of problems, or -1 with e set on a database error; *nseals
 * receives the number of seals checked.
 */
long seal_verify(struct db *db, const unsigned char *keys, size_t nkeys,
    const struct dx_report *report, long *nseals, struct dx_err *e);

/*
 * The seals that travel in a bundle (dossier-bundle(5), seals.jsonl):
 * write to fp, oldest first, one JSON line each,
 *
 *   {"origin":...,"seq":N,"hash":"<64 hex>","at":N,
 *    "public_key":"<64 hex>","signature":"<128 hex>"}
 *
 * every seal of `origin`'s chain made with the key `pub` whose sealed
 * event is at most `upto`.  The number written, or -1 with e set
 * (DX_IOERR for a write error).
 */
long seal_export(struct db *db, const char *origin,
    const unsigned char pub[ED25519_PUB_LEN], int64_t upto, FILE *fp,
    struct dx_err *e);

/*
 * Take one line of seals.jsonl from a bundle of office `origin`, whose
 * trusted key is `pub`: the seal must be of `origin`'s chain, made with
 * `pub` and verify with it, and the sealed event must be held with the
 * sealed hash (so call it once the bundle's events are applied).  Stores
 * it unless the same seal is held.  1 stored, 0 held already, or -1 with
 * e set (DX_DATAERR for a seal that fails any of this).  Call inside a
 * write transaction.  seal_verify() then counts such a seal as good when
 * `origin` is still trusted with `pub`.
 */
int seal_take(struct db *db, const char *origin,
    const unsigned char pub[ED25519_PUB_LEN], const char *line, size_t len,
    struct dx_err *e);

#endif
