/*
 * events.c: append to and verify the hash-chained event log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crypto.h"
#include "db.h"
#include "events.h"
#include "util.h"

int
event_hash(struct event *ev, struct dx_buf *b)
{
	buf_reset(b);
	buf_add(b, ev->prev_hash, SHA256_LEN);
	buf_adds(b, "dossier-event-v1\n");
	buf_adds(b, ev->origin);
	buf_add(b, "\n", 1);
	buf_addint(b, ev->seq);
	buf_add(b, "\n", 1);
	buf_adds(b, ev->dossier);
	buf_add(b, "\n", 1);
	buf_adds(b, ev->action);
	buf_add(b, "\n", 1);
	buf_adds(b, ev->actor);
	buf_add(b, "\n", 1);
	buf_addint(b, ev->at);
	buf_add(b, "\n", 1);
	buf_adds(b, ev->payload);
	return sha256(b->buf, b->len, ev->hash);
}

int
chain_reload(struct db *db, struct chain *c, struct dx_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, "SELECT seq, hash FROM events WHERE origin = ?"
	    " ORDER BY seq DESC LIMIT 1", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, c->origin, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	c->seq = 0;
	memset(c->hash, 0, sizeof(c->hash));
	if (rc == SQLITE_ROW) {
		c->seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) != SHA256_LEN) {
			sqlite3_finalize(st);
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld:"
			    " bad hash length"), c->origin, (long long)c->seq);
		}
		memcpy(c->hash, sqlite3_column_blob(st, 1), SHA256_LEN);
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	sqlite3_finalize(st);
	return 0;
}

int
chain_open(struct db *db, const char *origin, struct chain *c,
    struct dx_err *e)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	buf_init(&c->scratch);
	c->ins = events_prepare_rows(db, 1, e);
	if (c->ins == NULL)
		return -1;
	if ((c->changed = events_prepare_changed(db, e)) == NULL) {
		chain_close(c);
		return -1;
	}
	if (chain_reload(db, c, e) == -1) {
		chain_close(c);
		return -1;
	}
	return 0;
}

void
chain_close(struct chain *c)
{
	sqlite3_finalize(c->ins);
	sqlite3_finalize(c->changed);
	c->ins = NULL;
	c->changed = NULL;
	buf_free(&c->scratch);
}

int
chain_link(struct chain *c, struct event *ev)
{
	ev->origin = c->origin;
	ev->seq = c->seq + 1;
	memcpy(ev->prev_hash, c->hash, SHA256_LEN);
	if (event_hash(ev, &c->scratch) == -1)
		return -1;
	c->seq = ev->seq;
	memcpy(c->hash, ev->hash, SHA256_LEN);
	return 0;
}

/* The columns of an event row and their number. */
#define EVENT_COLS "(origin, seq, dossier, action, actor, at, payload," \
	" prev_hash, hash)"
#define EVENT_NCOLS 9

sqlite3_stmt *
events_prepare_rows(struct db *db, int n, struct dx_err *e)
{
	struct dx_buf sql;
	sqlite3_stmt *st;
	int i;

	buf_init(&sql);
	buf_adds(&sql, "INSERT INTO events " EVENT_COLS " VALUES ");
	for (i = 0; i < n; i++)
		buf_adds(&sql, i > 0 ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?)" :
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?)");
	st = db_prepare(db, sql.buf, 1, e);
	buf_free(&sql);
	return st;
}

sqlite3_stmt *
events_prepare_changed(struct db *db, struct dx_err *e)
{
	return db_prepare(db, "UPDATE dossiers SET changed_at = ?2"
	    " WHERE uuid = ?1 AND (changed_at IS NULL OR changed_at < ?2)",
	    1, e);
}

int
event_changed(struct db *db, sqlite3_stmt *st, const struct event *ev,
    struct dx_err *e)
{
	if (strcmp(ev->action, "receive") == 0)
		return 0;
	sqlite3_bind_text(st, 1, ev->dossier, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ev->at);
	return db_step_done(db, st, e);
}

void
event_bind(sqlite3_stmt *st, int row, const struct event *ev)
{
	int k = row * EVENT_NCOLS;

	sqlite3_bind_text(st, k + 1, ev->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 2, ev->seq);
	sqlite3_bind_text(st, k + 3, ev->dossier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 4, ev->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 5, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 6, ev->at);
	sqlite3_bind_text(st, k + 7, ev->payload, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, k + 8, ev->prev_hash, SHA256_LEN,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st, k + 9, ev->hash, SHA256_LEN, SQLITE_STATIC);
}

int64_t
chain_append(struct db *db, struct chain *c, const char *dossier,
    const char *action, const char *actor, dx_time at, const char *payload,
    struct dx_err *e)
{
	struct event ev;
	int64_t seq = c->seq, id;
	unsigned char hash[SHA256_LEN];

	ev.dossier = dossier;
	ev.action = action;
	ev.actor = actor;
	ev.at = at;
	ev.payload = payload;
	memcpy(hash, c->hash, SHA256_LEN);
	if (chain_link(c, &ev) == -1)
		return dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
	event_bind(c->ins, 0, &ev);
	if (db_step_done(db, c->ins, e) == -1) {
		/* not stored: the chain's head stays where it was */
		c->seq = seq;
		memcpy(c->hash, hash, SHA256_LEN);
		return -1;
	}
	id = sqlite3_last_insert_rowid(db->h);
	if (event_changed(db, c->changed, &ev, e) == -1)
		return -1;
	return id;
}

long
events_verify(struct db *db, const struct dx_report *report,
    long *nevents, struct dx_err *e)
{
	sqlite3_stmt *st;
	struct event ev;
	struct dx_buf b;
	char origin[64] = "", self[64], msg[256];
	unsigned char want_prev[SHA256_LEN];
	int64_t want_seq = 1;
	int rc, broken_here = 0;
	long broken = 0;

	*nevents = 0;
	st = db_prepare(db, "SELECT agency FROM office", 0, e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	snprintf(self, sizeof(self), "%s", rc == SQLITE_ROW ?
	    (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	st = db_prepare(db, "SELECT origin, seq, dossier, action, actor, at,"
	    " payload, prev_hash, hash FROM events ORDER BY origin, seq", 0, e);
	if (st == NULL)
		return -1;
	buf_init(&b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*nevents)++;
		ev.origin = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(ev.origin, origin) != 0) {
			snprintf(origin, sizeof(origin), "%s", ev.origin);
			want_seq = 1;
			memset(want_prev, 0, sizeof(want_prev));
			broken_here = 0;
		}
		if (broken_here)
			continue;
		ev.seq = sqlite3_column_int64(st, 1);
		ev.dossier = (const char *)sqlite3_column_text(st, 2);
		ev.action = (const char *)sqlite3_column_text(st, 3);
		ev.actor = (const char *)sqlite3_column_text(st, 4);
		ev.at = sqlite3_column_int64(st, 5);
		ev.payload = (const char *)sqlite3_column_text(st, 6);
		msg[0] = '\0';
		/* another office's chain is held in part: a gap is no break */
		if (ev.seq > want_seq && strcmp(origin, self) != 0 &&
		    sqlite3_column_bytes(st, 7) == SHA256_LEN) {
			want_seq = ev.seq;
			memcpy(want_prev, sqlite3_column_blob(st, 7),
			    SHA256_LEN);
		}
		if (ev.seq != want_seq)
			snprintf(msg, sizeof(msg), _("chain %s: event %lld"
			    " missing (found %lld)"), origin,
			    (long long)want_seq, (long long)ev.seq);
		else if (sqlite3_column_bytes(st, 7) != SHA256_LEN ||
		    sqlite3_column_bytes(st, 8) != SHA256_LEN ||
		    memcmp(sqlite3_column_blob(st, 7), want_prev,
		    SHA256_LEN) != 0)
			snprintf(msg, sizeof(msg), _("chain %s: event %lld:"
			    " previous hash does not match event %lld"),
			    origin, (long long)ev.seq, (long long)ev.seq - 1);
		else {
			memcpy(ev.prev_hash, want_prev, SHA256_LEN);
			if (event_hash(&ev, &b) == -1) {
				sqlite3_finalize(st);
				buf_free(&b);
				return dx_seterr(e, DX_SOFTWARE,
				    "SHA-256 failed");
			}
			if (memcmp(ev.hash, sqlite3_column_blob(st, 8),
			    SHA256_LEN) != 0)
				snprintf(msg, sizeof(msg), _("chain %s: event"
				    " %lld (dossier %s, %s): content does not"
				    " match its hash"), origin,
				    (long long)ev.seq, ev.dossier, ev.action);
		}
		if (msg[0] != '\0') {
			dx_report(report, "%s", msg);
			broken++;
			broken_here = 1;
			continue;
		}
		memcpy(want_prev, ev.hash, SHA256_LEN);
		want_seq++;
	}
	sqlite3_finalize(st);
	buf_free(&b);
	if (rc != SQLITE_DONE)
		return db_seterr(db, rc, e, db->path);
	return broken;
}
