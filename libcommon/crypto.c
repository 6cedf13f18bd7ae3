/*
 * crypto.c: SHA-256 and Ed25519 through libcrypto's EVP interface.
 */
#include <sys/random.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "util.h"

struct sha256_ctx {
	EVP_MD_CTX *md;
};

/* SHA-256, fetched once (EVP_sha256() fetches it again on every use) */
static EVP_MD *md_sha256;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
setup(void)
{
	/*
	 * libcrypto sets itself up on first use and does not check all of
	 * it: when memory ran out there, a later call took a lock that was
	 * never made.  Set it up here, once, and check.
	 */
	if (OPENSSL_init_crypto(0, NULL) != 1)
		return;
	md_sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

int
crypto_init(void)
{
	if (pthread_once(&once, setup) != 0)
		return -1;
	return md_sha256 != NULL ? 0 : -1;
}

int
sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
	unsigned int len = 0;

	if (crypto_init() == -1 ||
	    EVP_Digest(p, n, out, &len, md_sha256, NULL) != 1 ||
	    len != SHA256_LEN)
		return -1;
	return 0;
}

struct sha256_ctx *
sha256_new(void)
{
	struct sha256_ctx *c = xmalloc(sizeof(*c));

	c->md = crypto_init() == -1 ? NULL : EVP_MD_CTX_new();
	if (c->md == NULL || EVP_DigestInit_ex(c->md, md_sha256, NULL) != 1) {
		EVP_MD_CTX_free(c->md);
		free(c);
		return NULL;
	}
	return c;
}

int
sha256_update(struct sha256_ctx *c, const void *p, size_t n)
{
	return EVP_DigestUpdate(c->md, p, n) == 1 ? 0 : -1;
}

int
sha256_final(struct sha256_ctx *c, unsigned char out[SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(c->md, out, &len) != 1 || len != SHA256_LEN)
		return -1;
	return EVP_DigestInit_ex(c->md, md_sha256, NULL) == 1 ? 0 : -1;
}

void
sha256_free(struct sha256_ctx *c)
{
	if (c == NULL)
		return;
	EVP_MD_CTX_free(c->md);
	free(c);
}

int
ed25519_keygen(unsigned char pub[ED25519_PUB_LEN],
    unsigned char sec[ED25519_SEC_LEN], struct dx_err *e)
{
	if (random_bytes(sec, ED25519_SEC_LEN) == -1)
		return dx_seterr(e, DX_SOFTWARE, "cannot get random bytes: %s",
		    strerror(errno));
	return ed25519_public(sec, pub, e);
}

int
ed25519_public(const unsigned char sec[ED25519_SEC_LEN],
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	EVP_PKEY *k;
	size_t len = ED25519_PUB_LEN;
	int ok;

	if (crypto_init() == -1)
		return dx_seterr(e, DX_SOFTWARE, CRYPTO_INIT_FAILED);
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sec,
	    ED25519_SEC_LEN);
	if (k == NULL)
		return dx_seterr(e, DX_SOFTWARE, "invalid Ed25519 secret key");
	ok = EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 &&
	    len == ED25519_PUB_LEN;
	EVP_PKEY_free(k);
	if (!ok)
		return dx_seterr(e, DX_SOFTWARE, "cannot derive public key");
	return 0;
}

int
ed25519_sign(const unsigned char sec[ED25519_SEC_LEN], const void *msg,
    size_t n, unsigned char sig[ED25519_SIG_LEN], struct dx_err *e)
{
	EVP_PKEY *k;
	EVP_MD_CTX *md;
	size_t len = ED25519_SIG_LEN;
	int ok = 0;

	if (crypto_init() == -1)
		return dx_seterr(e, DX_SOFTWARE, CRYPTO_INIT_FAILED);
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sec,
	    ED25519_SEC_LEN);
	md = EVP_MD_CTX_new();
	if (k != NULL && md != NULL &&
	    EVP_DigestSignInit(md, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(md, sig, &len, msg, n) == 1 &&
	    len == ED25519_SIG_LEN)
		ok = 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	if (!ok)
		return dx_seterr(e, DX_SOFTWARE, "Ed25519 signing failed");
	return 0;
}

int
ed25519_verify(const unsigned char pub[ED25519_PUB_LEN], const void *msg,
    size_t n, const unsigned char sig[ED25519_SIG_LEN])
{
	EVP_PKEY *k;
	EVP_MD_CTX *md;
	int ok = 0;

	if (crypto_init() == -1)
		return 0;
	k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
	    ED25519_PUB_LEN);
	md = EVP_MD_CTX_new();
	if (k != NULL && md != NULL &&
	    EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(md, sig, ED25519_SIG_LEN, msg, n) == 1)
		ok = 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	return ok;
}

int
random_bytes(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t r;

	/*
	 * From the kernel: no allocation and no lock, unlike RAND_bytes(),
	 * whose first use sets up state that a failed allocation leaves
	 * half made (it crashed there when memory ran out).
	 */
	while (n > 0) {
		if ((r = getrandom(b, n, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += r;
		n -= (size_t)r;
	}
	return 0;
}
