/*
 * t_crypto.c: SHA-256 and Ed25519 against published test vectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "crypto.h"
#include "util.h"

void t_crypto(void);

static void
is_hex(const unsigned char *p, size_t n, const char *want, const char *what)
{
	char got[2 * 128 + 1];

	hex_encode(p, n, got);
	is_str(got, want, "%s", what);
}

static void
check_sha256(void)
{
	static const char abc[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char empty[] =
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	/* FIPS 180-2, the two-block message */
	static const char two[] =
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
	static const char million_a[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	unsigned char out[SHA256_LEN], out2[SHA256_LEN];
	struct sha256_ctx *c;
	char *a;
	size_t i;
	int rc;

	is_int(sha256("abc", 3, out), 0, "sha256");
	is_hex(out, sizeof(out), abc, "SHA-256(\"abc\")");
	is_int(sha256("", 0, out), 0, "sha256 of nothing");
	is_hex(out, sizeof(out), empty, "SHA-256(\"\")");
	sha256(NULL, 0, out);
	is_hex(out, sizeof(out), empty, "SHA-256(NULL, 0)");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    out);
	is_hex(out, sizeof(out), two, "SHA-256 of the 56-byte vector");

	c = sha256_new();
	ok(c != NULL, "sha256_new");
	if (c == NULL)
		return;
	rc = sha256_update(c, "a", 1);
	rc |= sha256_update(c, "", 0);
	rc |= sha256_update(c, "bc", 2);
	rc |= sha256_final(c, out);
	is_int(rc, 0, "incremental \"a\" + \"\" + \"bc\"");
	is_hex(out, sizeof(out), abc, "... equals SHA-256(\"abc\")");

	/* final resets the context for the next message */
	sha256_update(c, "abc", 3);
	sha256_final(c, out);
	is_hex(out, sizeof(out), abc, "the context is reusable after final");
	sha256_final(c, out);
	is_hex(out, sizeof(out), empty, "final of nothing is SHA-256(\"\")");

	/* one million 'a', one-shot and in uneven pieces */
	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	sha256(a, 1000000, out);
	is_hex(out, sizeof(out), million_a, "SHA-256 of a million 'a'");
	for (i = 0; i < 1000000; i += 997)
		sha256_update(c, a + i, 1000000 - i < 997 ? 1000000 - i : 997);
	sha256_final(c, out2);
	ok(memcmp(out, out2, SHA256_LEN) == 0,
	    "incremental in 997-byte pieces equals one-shot");
	free(a);
	sha256_free(c);
	/* a crash here ends the suite before its plan, which the runner
	 * reports; after it, a fresh context still works */
	sha256_free(NULL);
	c = sha256_new();
	ok(c != NULL && sha256_final(c, out2) == 0,
	    "after sha256_free(NULL), a new context works");
	is_hex(out2, sizeof(out2), empty, "... and hashes the empty input");
	sha256_free(c);
}

static void
check_ed25519(void)
{
	/* RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 */
	static const char sec1[] =
	    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
	static const char pub1[] =
	    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
	static const char sig1[] =
	    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
	    "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
	static const char sec2[] =
	    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
	static const char pub2[] =
	    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
	static const char sig2[] =
	    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
	unsigned char sec[ED25519_SEC_LEN], pub[ED25519_PUB_LEN];
	unsigned char pub_b[ED25519_PUB_LEN], sig[ED25519_SIG_LEN];
	unsigned char msg[] = "Biên nhận hồ sơ 000.00.22.H56-260312-0001";
	unsigned char want[ED25519_SIG_LEN], k[ED25519_PUB_LEN];
	unsigned char r1[32], r2[32];
	struct dx_err e;
	size_t n = sizeof(msg) - 1;

	hex_decode(sec1, sec, sizeof(sec));
	is_int(ed25519_public(sec, pub, &e), 0, "ed25519_public");
	is_hex(pub, sizeof(pub), pub1, "RFC 8032 test 1: public key");
	is_int(ed25519_sign(sec, "", 0, sig, &e), 0, "ed25519_sign");
	is_hex(sig, sizeof(sig), sig1, "RFC 8032 test 1: signature");
	ok(ed25519_verify(pub, "", 0, sig) == 1, "... verifies");
	hex_decode(sig1, want, sizeof(want));
	ok(ed25519_verify(pub, "", 0, want) == 1,
	    "the published signature verifies");
	ok(ed25519_verify(pub, "\x72", 1, want) == 0,
	    "... but not for another message");

	hex_decode(sec2, sec, sizeof(sec));
	ed25519_public(sec, pub, &e);
	is_hex(pub, sizeof(pub), pub2, "RFC 8032 test 2: public key");
	ed25519_sign(sec, "\x72", 1, sig, &e);
	is_hex(sig, sizeof(sig), sig2, "RFC 8032 test 2: signature");

	/* a fresh key pair */
	is_int(ed25519_keygen(pub, sec, &e), 0, "ed25519_keygen");
	is_int(ed25519_public(sec, pub_b, &e), 0, "ed25519_public of it");
	ok(memcmp(pub, pub_b, sizeof(pub)) == 0,
	    "ed25519_public matches keygen's public key");
	is_int(ed25519_sign(sec, msg, n, sig, &e), 0, "sign a message");
	ok(ed25519_verify(pub, msg, n, sig) == 1, "... it verifies");
	ed25519_sign(sec, msg, n, want, &e);
	ok(memcmp(sig, want, sizeof(sig)) == 0, "signing is deterministic");

	msg[3] ^= 0x01;
	ok(ed25519_verify(pub, msg, n, sig) == 0, "a flipped message bit fails");
	msg[3] ^= 0x01;
	ok(ed25519_verify(pub, msg, n - 1, sig) == 0, "a shorter message fails");
	sig[0] ^= 0x80;
	ok(ed25519_verify(pub, msg, n, sig) == 0, "a flipped bit in R fails");
	sig[0] ^= 0x80;
	sig[40] ^= 0x01;
	ok(ed25519_verify(pub, msg, n, sig) == 0, "a flipped bit in S fails");
	sig[40] ^= 0x01;
	memset(k, 0, sizeof(k));
	ok(ed25519_verify(k, msg, n, sig) == 0, "a zero public key fails");
	hex_decode(pub1, k, sizeof(k));
	ok(ed25519_verify(k, msg, n, sig) == 0, "another public key fails");
	ok(ed25519_verify(pub, msg, n, sig) == 1, "the original still verifies");

	ed25519_keygen(pub_b, sec, &e);
	ok(memcmp(pub, pub_b, sizeof(pub)) != 0, "two key pairs differ");

	is_int(random_bytes(r1, sizeof(r1)), 0, "random_bytes");
	random_bytes(r2, sizeof(r2));
	ok(memcmp(r1, r2, sizeof(r1)) != 0, "... differ between calls");
	is_int(random_bytes(r1, 0), 0, "random_bytes of nothing");
}

void
t_crypto(void)
{
	check_sha256();
	check_ed25519();
}
