/*
 * events.h: the append-only event log and its hash chains.
 *
 * Every change to a dossier is one event.  Events written by one office
 * (the origin) are numbered 1, 2, 3 ... and chained:
 *
 *   hash = SHA-256(prev_hash || "dossier-event-v1\n" || origin "\n" seq "\n"
 *                  dossier "\n" action "\n" actor "\n" at "\n" payload)
 *
 * where prev_hash is the previous event's hash (32 zero bytes for seq 1),
 * seq and at are decimal, and payload is the compact JSON text stored.
 * Editing, removing or reordering any event breaks every later link.
 */
#ifndef DOSSIER_EVENTS_H
#define DOSSIER_EVENTS_H

#include <stdint.h>

#include <sqlite3.h>

#include "calendar.h"
#include "crypto.h"
#include "db.h"
#include "util.h"

struct event {
	const char *origin;
	int64_t seq;
	const char *dossier;	/* the dossier's UUID */
	const char *action;
	const char *actor;
	dx_time at;
	const char *payload;	/* compact JSON object text */
	unsigned char prev_hash[SHA256_LEN];
	unsigned char hash[SHA256_LEN];
};

/* Compute ev->hash from the other fields.  0 or -1. */
int event_hash(struct event *ev, struct dx_buf *scratch);

/*
 * A chain head for appending: the origin's last seq and hash.  Open it
 * inside the write transaction that appends (the head read is then
 * current), and reopen it after a rollback.
 */
struct chain {
	char origin[32];
	int64_t seq;
	unsigned char hash[SHA256_LEN];
	sqlite3_stmt *ins;
	sqlite3_stmt *changed;	/* events_prepare_changed() */
	struct dx_buf scratch;
};

int chain_open(struct db *db, const char *origin, struct chain *c,
    struct dx_err *e);
/* Re-read the head (after a rollback, or at the start of a transaction). */
int chain_reload(struct db *db, struct chain *c, struct dx_err *e);
void chain_close(struct chain *c);

/*
 * Link event ev (dossier, action, actor, at and payload set) to the
 * chain: set its origin, seq, prev_hash and hash, and advance the head
 * in memory.  The caller stores it (event_bind) in the same transaction,
 * or stops: a rollback needs chain_reload().  0, or -1 if SHA-256 failed.
 */
int chain_link(struct chain *c, struct event *ev);

/*
 * An INSERT of n events into the events table (persistent), each bound
 * with event_bind(st, row, ev), row 0 to n - 1.  NULL with e set.
 */
sqlite3_stmt *events_prepare_rows(struct db *db, int n, struct dx_err *e);
void event_bind(sqlite3_stmt *st, int row, const struct event *ev);

/*
 * The time of a dossier's last change (its changed_at column, which
 * dossier-report(1) rewinds by) brought up to the time of event ev if
 * that is later: what every writer of an event other than a receipt does
 * after storing it, in the same transaction (no trigger does it).  A
 * dossier without a row yet is left alone: a row written after its
 * events takes changed_at from them (EVENTS_CHANGED_AT_SQL).  The
 * statement is persistent; event_changed() does nothing for a receipt.
 * 0, or -1 with e set.
 */
sqlite3_stmt *events_prepare_changed(struct db *db, struct dx_err *e);
int event_changed(struct db *db, sqlite3_stmt *st, const struct event *ev,
    struct dx_err *e);

/*
 * changed_at of a new row of dossier `uuid` (an SQL expression, `uuid`
 * the parameter of its UUID): the time of its newest event other than its
 * receipt already stored, or NULL.
 */
#define EVENTS_CHANGED_AT_SQL(uuid) "(SELECT max(at) FROM events" \
	" WHERE dossier = " uuid " AND action <> 'receive')"

/*
 * Append one event (origin, seq and prev_hash come from the chain) and
 * advance the head, and bring its dossier's changed_at up to it
 * (event_changed()).  Returns the new event's rowid, or -1 with e set;
 * if it is changed_at that failed, the event is stored and the head
 * advanced (the transaction is to be rolled back).
 */
int64_t chain_append(struct db *db, struct chain *c, const char *dossier,
    const char *action, const char *actor, dx_time at, const char *payload,
    struct dx_err *e);

/*
 * Verify every origin's chain: seq contiguous from 1, each prev_hash equal
 * to the hash before it, each hash recomputed.  Another office's chain may
 * be held in part (a parent office sends a child only the events that
 * concern it, and an event kept as a conflict is not in the table): a gap
 * in it is no break, and the event after a gap is checked against its own
 * content and the hashes that follow it.  Every problem is reported
 * through `report` naming the origin and the first broken seq.  Returns
 * the number of broken chains, or -1 with e set on a database error.
 * *nevents receives the number of events checked.
 */
long events_verify(struct db *db, const struct dx_report *report,
    long *nevents, struct dx_err *e);

#endif
