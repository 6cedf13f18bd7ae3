/*
 * crypto.h: SHA-256 and Ed25519, through OpenSSL's libcrypto.
 */
#ifndef DOSSIER_CRYPTO_H
#define DOSSIER_CRYPTO_H

#include <stddef.h>

#include "util.h"

#define SHA256_LEN 32
#define ED25519_PUB_LEN 32
#define ED25519_SEC_LEN 32
#define ED25519_SIG_LEN 64

/*
 * Set libcrypto up, once per process (pthread_once), and fetch SHA-256.
 * Every function below calls it first, so libcrypto is set up only in the
 * processes that hash, sign or verify, when they first do; a tool that
 * hashes from several threads calls it itself before they start, and one
 * that wants the failure reported apart calls it at its start.  0, or -1
 * (out of memory; every later call fails the same way).
 */
int crypto_init(void);

/* The message of a failed crypto_init(). */
#define CRYPTO_INIT_FAILED "cannot set up libcrypto: out of memory"

/* out = SHA-256(p[0..n-1]).  Returns 0, or -1 (libcrypto failure). */
int sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);

/* Incremental SHA-256.  The context is opaque and owned by the caller. */
struct sha256_ctx;
struct sha256_ctx *sha256_new(void);
int sha256_update(struct sha256_ctx *c, const void *p, size_t n);
/* Writes the digest and resets the context for the next message. */
int sha256_final(struct sha256_ctx *c, unsigned char out[SHA256_LEN]);
void sha256_free(struct sha256_ctx *c);

/* A new key pair from the system's random source.  0 or -1 (e set). */
int ed25519_keygen(unsigned char pub[ED25519_PUB_LEN],
    unsigned char sec[ED25519_SEC_LEN], struct dx_err *e);
/* The public key of a secret key.  0 or -1 (e set). */
int ed25519_public(const unsigned char sec[ED25519_SEC_LEN],
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e);
/* Sign msg[0..n-1].  0 or -1 (e set). */
int ed25519_sign(const unsigned char sec[ED25519_SEC_LEN], const void *msg,
    size_t n, unsigned char sig[ED25519_SIG_LEN], struct dx_err *e);
/* 1 if sig is a valid signature of msg by pub, else 0. */
int ed25519_verify(const unsigned char pub[ED25519_PUB_LEN], const void *msg,
    size_t n, const unsigned char sig[ED25519_SIG_LEN]);

/* Fill p with n bytes from the kernel (getrandom(2)).  0, or -1 with errno. */
int random_bytes(void *p, size_t n);

#endif
