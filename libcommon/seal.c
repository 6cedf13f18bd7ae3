/*
 * seal.c: signed heads of the event chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "crypto.h"
#include "db.h"
#include "jsonl.h"
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
			dx_seterr(e, DX_DATAERR, _("%s: the last event of '%s'"
			    " has a damaged hash"), db->path, origin);
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

/*
 * 1 if the trust list holds `pub` for office `origin` (a seal taken from
 * its bundles), 0 if not, -1 with e set.  Never for this office's own
 * chain: a row added to peers must not vouch for it.
 */
static int
peer_key_is(struct db *db, const char *origin,
    const unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, "SELECT 1 FROM peers WHERE agency = ?1 AND"
	    " public_key = ?2 AND agency NOT IN (SELECT agency FROM office)",
	    0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC)) ==
	    SQLITE_OK && (rc = sqlite3_bind_blob(st, 2, pub, ED25519_PUB_LEN,
	    SQLITE_STATIC)) == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return rc == SQLITE_ROW;
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
		dx_report(report, _("seal %s: event %lld was sealed but the"
		    " chain ends at %lld: sealed events were deleted"),
		    s->origin, (long long)s->seq, (long long)last);
		bad++;
	} else if (sqlite3_column_bytes(st, 1) != SHA256_LEN ||
	    memcmp(sqlite3_column_blob(st, 1), s->hash, SHA256_LEN) != 0) {
		dx_report(report, _("seal %s: event %lld does not have the"
		    " sealed hash: the chain was rewritten"), s->origin,
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
			dx_report(report, _("seal %lld: damaged"),
			    (long long)id);
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
		if (!known && (known = peer_key_is(db, s.origin,
		    s.public_key, e)) == -1) {
			bad = -1;
			break;
		}
		if (!known) {
			dx_report(report, _("seal %lld (%s, event %lld): signed"
			    " by a key that is not the office's"),
			    (long long)id, s.origin, (long long)s.seq);
			bad++;
			continue;
		}
		seal_text(&s, &text);
		if (!ed25519_verify(s.public_key, text.buf, text.len,
		    s.signature)) {
			dx_report(report, _("seal %lld (%s, event %lld): the"
			    " signature does not verify"), (long long)id,
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
	if (bad == -1) {
		free(latest);
		return -1;
	}
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

long
seal_export(struct db *db, const char *origin,
    const unsigned char pub[ED25519_PUB_LEN], int64_t upto, FILE *fp,
    struct dx_err *e)
{
	char hex[2 * ED25519_SIG_LEN + 1];
	sqlite3_stmt *st;
	struct dx_buf b;
	struct jw w;
	long n = 0;
	int rc;

	st = db_prepare(db, "SELECT seq, hash, at, signature FROM seals"
	    " WHERE origin = ? AND public_key = ? AND seq <= ? ORDER BY id",
	    0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC)) !=
	    SQLITE_OK || (rc = sqlite3_bind_blob(st, 2, pub,
	    ED25519_PUB_LEN, SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 3, upto)) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	buf_init(&b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* a damaged row is check's to report: it does not travel */
		if (sqlite3_column_bytes(st, 1) != SHA256_LEN ||
		    sqlite3_column_bytes(st, 3) != ED25519_SIG_LEN)
			continue;
		buf_reset(&b);
		jw_open(&w, &b);
		jw_str(&w, "origin", origin);
		jw_int(&w, "seq", sqlite3_column_int64(st, 0));
		hex_encode(sqlite3_column_blob(st, 1), SHA256_LEN, hex);
		jw_str(&w, "hash", hex);
		jw_int(&w, "at", sqlite3_column_int64(st, 2));
		hex_encode(pub, ED25519_PUB_LEN, hex);
		jw_str(&w, "public_key", hex);
		hex_encode(sqlite3_column_blob(st, 3), ED25519_SIG_LEN, hex);
		jw_str(&w, "signature", hex);
		jw_close(&w);
		buf_add(&b, "\n", 1);
		if (fwrite(b.buf, 1, b.len, fp) != b.len) {
			rc = SQLITE_DONE;
			n = dx_seterr(e, DX_IOERR, _("seals.jsonl: write"
			    " error"));
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	buf_free(&b);
	if (n == -1)
		return -1;
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return n;
}

int
seal_take(struct db *db, const char *origin,
    const unsigned char pub[ED25519_PUB_LEN], const char *line, size_t len,
    struct dx_err *e)
{
	static const char *const fields[] = { "origin", "seq", "hash", "at",
		"public_key", "signature", NULL };
	const char *o, *hash, *key, *sig;
	struct dx_buf text;
	struct seal s;
	sqlite3_stmt *st;
	json_error_t je;
	long long seq, at;
	json_t *j;
	int rc, ok;

	if ((j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return dx_seterr(e, DX_DATAERR, "%s", je.text);
	memset(&s, 0, sizeof(s));
	if (jx_only(j, fields, "seal", e) == -1 ||
	    jx_str(j, "origin", 1, &o, e) == -1 ||
	    jx_int(j, "seq", 1, &seq, e) == -1 ||
	    jx_str(j, "hash", 1, &hash, e) == -1 ||
	    jx_int(j, "at", 1, &at, e) == -1 ||
	    jx_str(j, "public_key", 1, &key, e) == -1 ||
	    jx_str(j, "signature", 1, &sig, e) == -1) {
		json_decref(j);
		return -1;
	}
	ok = strcmp(o, origin) == 0 && seq >= 0 &&
	    hex_decode(hash, s.hash, SHA256_LEN) == 0 &&
	    hex_decode(key, s.public_key, ED25519_PUB_LEN) == 0 &&
	    hex_decode(sig, s.signature, ED25519_SIG_LEN) == 0;
	json_decref(j);
	if (!ok)
		return dx_seterr(e, DX_DATAERR, _("not a seal of '%s' (origin,"
		    " hex hash, key and signature)"), origin);
	snprintf(s.origin, sizeof(s.origin), "%s", origin);
	s.seq = seq;
	s.at = at;
	if (memcmp(s.public_key, pub, ED25519_PUB_LEN) != 0)
		return dx_seterr(e, DX_DATAERR, _("seal of event %lld: made"
		    " with another key than the one trusted for '%s'"), seq,
		    origin);
	buf_init(&text);
	seal_text(&s, &text);
	ok = ed25519_verify(pub, text.buf, text.len, s.signature);
	buf_free(&text);
	if (!ok)
		return dx_seterr(e, DX_DATAERR, _("seal of event %lld: the"
		    " signature does not verify with the key trusted for '%s'"),
		    seq, origin);
	/* the chain as this office holds it must be the one sealed */
	if (seq > 0) {
		st = db_prepare(db, "SELECT hash FROM events WHERE origin = ?"
		    " AND seq = ?", 0, e);
		if (st == NULL)
			return -1;
		if ((rc = sqlite3_bind_text(st, 1, origin, -1,
		    SQLITE_STATIC)) == SQLITE_OK && (rc = sqlite3_bind_int64(st,
		    2, seq)) == SQLITE_OK)
			rc = sqlite3_step(st);
		ok = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) ==
		    SHA256_LEN && memcmp(sqlite3_column_blob(st, 0), s.hash,
		    SHA256_LEN) == 0;
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_seterr(db, rc, e, db->path);
		if (!ok)
			return dx_seterr(e, DX_DATAERR, _("seal of event %lld:"
			    " %s"), seq, rc == SQLITE_DONE ? "the event is not"
			    " held" : "the event held does not have the sealed"
			    " hash");
	}
	st = db_prepare(db, "SELECT 1 FROM seals WHERE origin = ? AND seq = ?"
	    " AND at = ? AND signature = ?", 0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC)) ==
	    SQLITE_OK && (rc = sqlite3_bind_int64(st, 2, seq)) == SQLITE_OK &&
	    (rc = sqlite3_bind_int64(st, 3, at)) == SQLITE_OK &&
	    (rc = sqlite3_bind_blob(st, 4, s.signature, ED25519_SIG_LEN,
	    SQLITE_STATIC)) == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	st = db_prepare(db, "INSERT INTO seals (origin, seq, hash, at,"
	    " public_key, signature) VALUES (?, ?, ?, ?, ?, ?)", 0, e);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC)) !=
	    SQLITE_OK || (rc = sqlite3_bind_int64(st, 2, seq)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 3, s.hash, SHA256_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 4, at)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 5, pub, ED25519_PUB_LEN,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 6, s.signature, ED25519_SIG_LEN,
	    SQLITE_STATIC)) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	rc = db_step_done(db, st, e);
	sqlite3_finalize(st);
	return rc == -1 ? -1 : 1;
}
