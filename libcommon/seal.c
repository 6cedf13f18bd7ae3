/*
 * seal.c: signed heads of the event chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crypto.h"
#include "db.h"
#include "seal.h"
#include "util.h"

/* The signed text of a seal. */
static void
seal_text(const struct seal *s, struct dx_buf *b)
{
	char hex[2 * SHA256_LEN + 1];

	hex_encode(s->hash, sizeof(s->hash), hex);
	buf_reset(b);
	buf_printf(b, "dossier-seal-v1\n%s\n%lld\n%s\n%lld\n", s->origin,
	    (long long)s->seq, hex, (long long)s->at);
}

int
seal_make(struct db *db, const char *origin, int64_t at,
    const unsigned char sec[ED25519_SEC_LEN],
    const unsigned char pub[ED25519_PUB_LEN], struct seal *s,
    struct dx_err *e)
{
	struct dx_buf text;
	sqlite3_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->origin, sizeof(s->origin), "%s", origin);
	s->at = at;
	memcpy(s->public_key, pub, ED25519_PUB_LEN);
	if (db_begin(db, e) == -1)
		return -1;
	st = db_prepare(db, "SELECT seq, hash FROM events WHERE origin = ?"
	    " ORDER BY seq DESC LIMIT 1", 0, e);
	if (st == NULL)
		goto fail;
	if ((rc = sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC)) ==
	    SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != SHA256_LEN) {
			sqlite3_finalize(st);
			dx_seterr(e, DX_DATAERR, "%s: the last event of '%s'"
			    " has a damaged hash", db->path, origin);
			goto fail;
		}
		s->seq = sqlite3_column_int64(st, 0);
		memcpy(s->hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	} else if (rc != SQLITE_DONE) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);

	buf_init(&text);
	seal_text(s, &text);
	rc = ed25519_sign(sec, text.buf, text.len, s->signature, e);
	buf_free(&text);
	if (rc == -1)
		goto fail;

	st = db_prepare(db, "INSERT INTO seals (origin, seq, hash, at,"
	    " public_key, signature) VALUES (?, ?, ?, ?, ?, ?)", 0, e);
	if (st == NULL)
		goto fail;
	if ((rc = sqlite3_bind_text(st, 1, s->origin, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 2, s->seq)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 3, s->hash, SHA256_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 4, s->at)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 5, s->public_key, ED25519_PUB_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 6, s->signature, ED25519_SIG_LEN,
	    SQLITE_STATIC)) != SQLITE_OK) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		goto fail;
	}
	rc = db_step_done(db, st, e);
	sqlite3_finalize(st);
	if (rc == -1 || db_commit(db, e) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* Load the office's public keys; the count, or -1 with e set. */
static long
office_keys(struct db *db, unsigned char **keys, struct dx_err *e)
{
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	*keys = NULL;
	st = db_prepare(db, "SELECT public_key FROM office_keys", 0, e);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != ED25519_PUB_LEN)
			continue;
		*keys = xreallocarray(*keys, (size_t)n + 1, ED25519_PUB_LEN);
		memcpy(*keys + (size_t)n++ * ED25519_PUB_LEN,
		    sqlite3_column_blob(st, 0), ED25519_PUB_LEN);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*keys);
		*keys = NULL;
		return db_seterr(db, rc, e, db->path);
	}
	return n;
}

/* Check the chain of the latest seal of s->origin; problems found. */
static long
check_head(struct db *db, const struct seal *s,
    const struct dx_report *report, struct dx_err *e)
{
	sqlite3_stmt *st;
	int64_t last = 0;
	long bad = 0;
	int rc;

	if (s->seq == 0)
		return 0;
	st = db_prepare(db, "SELECT max(seq), (SELECT hash FROM events"
	    " WHERE origin = ?1 AND seq = ?2) FROM events WHERE origin = ?1",
	    0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, s->origin, -1, SQLITE_STATIC)) ==
	    SQLITE_OK &&
	    (rc = sqlite3_bind_int64(st, 2, s->seq)) == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	last = sqlite3_column_int64(st, 0);
	if (last < s->seq) {
		dx_report(report, "seal %s: event %lld was sealed but the"
		    " chain ends at %lld: sealed events were deleted",
		    s->origin, (long long)s->seq, (long long)last);
		bad++;
	} else if (sqlite3_column_bytes(st, 1) != SHA256_LEN ||
	    memcmp(sqlite3_column_blob(st, 1), s->hash, SHA256_LEN) != 0) {
		dx_report(report, "seal %s: event %lld does not have the"
		    " sealed hash: the chain was rewritten", s->origin,
		    (long long)s->seq);
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}

long
seal_verify(struct db *db, const unsigned char *keys, size_t nkeys,
    const struct dx_report *report, long *nseals, struct dx_err *e)
{
	unsigned char *own = NULL;
	struct seal s, *latest = NULL;
	struct dx_buf text;
	sqlite3_stmt *st;
	size_t i, nlatest = 0;
	long bad = 0, n, r;
	int rc, known;

	*nseals = 0;
	if (keys == NULL) {
		if ((n = office_keys(db, &own, e)) == -1)
			return -1;
		keys = own;
		nkeys = (size_t)n;
	}
	st = db_prepare(db, "SELECT id, origin, seq, hash, at, public_key,"
	    " signature FROM seals ORDER BY id", 0, e);
	if (st == NULL) {
		free(own);
		return -1;
	}
	buf_init(&text);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		(*nseals)++;
		memset(&s, 0, sizeof(s));
		snprintf(s.origin, sizeof(s.origin), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		s.seq = sqlite3_column_int64(st, 2);
		s.at = sqlite3_column_int64(st, 4);
		if (sqlite3_column_bytes(st, 3) != SHA256_LEN ||
		    sqlite3_column_bytes(st, 5) != ED25519_PUB_LEN ||
		    sqlite3_column_bytes(st, 6) != ED25519_SIG_LEN) {
			dx_report(report, "seal %lld: damaged", (long long)id);
			bad++;
			continue;
		}
		memcpy(s.hash, sqlite3_column_blob(st, 3), SHA256_LEN);
		memcpy(s.public_key, sqlite3_column_blob(st, 5),
		    ED25519_PUB_LEN);
		memcpy(s.signature, sqlite3_column_blob(st, 6),
		    ED25519_SIG_LEN);
		for (known = 0, i = 0; i < nkeys && !known; i++)
			known = memcmp(keys + i * ED25519_PUB_LEN,
			    s.public_key, ED25519_PUB_LEN) == 0;
		if (!known) {
			dx_report(report, "seal %lld (%s, event %lld): signed"
			    " by a key that is not the office's", (long long)id,
			    s.origin, (long long)s.seq);
			bad++;
			continue;
		}
		seal_text(&s, &text);
		if (!ed25519_verify(s.public_key, text.buf, text.len,
		    s.signature)) {
			dx_report(report, "seal %lld (%s, event %lld): the"
			    " signature does not verify", (long long)id,
			    s.origin, (long long)s.seq);
			bad++;
			continue;
		}
		/* the latest good seal of each origin */
		for (i = 0; i < nlatest; i++)
			if (strcmp(latest[i].origin, s.origin) == 0)
				break;
		if (i == nlatest)
			latest = xreallocarray(latest, ++nlatest,
			    sizeof(*latest));
		latest[i] = s;
	}
	sqlite3_finalize(st);
	buf_free(&text);
	free(own);
	if (rc != SQLITE_DONE) {
		free(latest);
		return db_seterr(db, rc, e, db->path);
	}
	for (i = 0; i < nlatest; i++) {
		if ((r = check_head(db, &latest[i], report, e)) == -1) {
			free(latest);
			return -1;
		}
		bad += r;
	}
	free(latest);
	return bad;
}
