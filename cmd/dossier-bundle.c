/*
 * dossier-bundle: the office's key and the offices it trusts, and signed
 * bundles of events between offices, on a USB stick or through a pipe
 * (dossier-bundle(1), the format in dossier-bundle(5)).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <jansson.h>
#include <sqlite3.h>

#include "blob.h"
#include "common.h"

static const char *dbopt;

static const struct cli cli = {
	"usage: dossier-bundle [-d dbfile] key\n"
	"       dossier-bundle [-d dbfile] trust add agency public-key\n"
	"       dossier-bundle [-d dbfile] trust list\n"
	"       dossier-bundle [-d dbfile] trust remove agency\n"
	"       dossier-bundle [-d dbfile] export --to agency [-z gzip | zstd]"
	" [--max-size size] [--whole] [-o file | dir/]\n"
	"       dossier-bundle [-d dbfile] import [--dry-run] file | dir/ | -\n"
	"       dossier-bundle [-d dbfile] verify [--key hex] file\n"
	"       dossier-bundle [-d dbfile] list [--key hex] file\n"
	"       dossier-bundle [-d dbfile] conflicts\n"
	"       dossier-bundle --help | --version\n",
	"  -d, --db FILE        the office database (default: $DOSSIER_DB)\n"
	"  key                  the office's public key and fingerprint\n"
	"  trust add|list|remove  the offices whose bundles are accepted\n"
	"  export               a bundle of what the peer has not acknowledged\n"
	"    -t, --to AGENCY    the receiving office\n"
	"    -z gzip|zstd       the compression (default gzip)\n"
	"    -o FILE|DIR/       write to FILE, or to a named file in DIR\n"
	"    -m, --max-size SIZE  carry at most SIZE bytes of events and"
	" attachments\n"
	"    -W, --whole        every event, as if the peer acknowledged"
	" none\n"
	"  import               apply a bundle from a trusted office\n"
	"    -n, --dry-run      say what would change, change nothing\n"
	"  verify, list         check a bundle; show what it carries\n"
	"    -k, --key HEX      the sender's public key (else the trust list)\n"
	"  conflicts            the events imported and not applied\n"
	"      --help           this text\n"
	"      --version        the version and the database schema version\n"
};

#define usage(...) cli_usage(&cli, __VA_ARGS__)
#define open_db(flags) tool_open(dbopt, (flags))
#define put(o) tool_put(o)
#define die_db(db, rc) tool_die_db((db), (rc))

/*
 * The fingerprint of a public key, read over the phone to check it: the
 * first 80 bits of the SHA-256 of the 32 key bytes, as five groups of
 * four hex digits joined by '-'.
 */
static void
fingerprint(const unsigned char pub[ED25519_PUB_LEN], char out[25])
{
	unsigned char md[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	int i;

	if (sha256(pub, ED25519_PUB_LEN, md) == -1)
		dx_die(DX_SOFTWARE, "sha256 failed");
	hex_encode(md, 10, hex);
	for (i = 0; i < 5; i++) {
		memcpy(out + 5 * i, hex + 4 * i, 4);
		out[5 * i + 4] = i < 4 ? '-' : '\0';
	}
}

static json_t *
key_json(const char *agency, const unsigned char pub[ED25519_PUB_LEN])
{
	char hex[2 * ED25519_PUB_LEN + 1], fp[25];

	hex_encode(pub, ED25519_PUB_LEN, hex);
	fingerprint(pub, fp);
	return json_pack("{s:i,s:s,s:s,s:s}", "v", 1, "agency", agency,
	    "public_key", hex, "fingerprint", fp);
}

static int
cmd_key(int argc, char **argv)
{
	struct office o;
	struct dx_err e;
	struct db *db;

	if (argc != 1)
		usage(NULL);
	db = open_db(DB_RDONLY);
	if (db_office(db, &o, &e) == -1)
		dx_die_err(&e);
	db_close(db);
	put(key_json(o.agency, o.public_key));
	return DX_OK;
}

/* ---- trust ------------------------------------------------------------ */

static void
parse_key(const char *hex, unsigned char pub[ED25519_PUB_LEN])
{
	if (strlen(hex) != 2 * ED25519_PUB_LEN ||
	    hex_decode(hex, pub, ED25519_PUB_LEN) == -1)
		dx_die(DX_USAGE,
		    _("invalid public key '%s' (want 64 hex digits,"
		    " as dossier-bundle key prints)"), hex);
}

/* The key trusted for `agency`: 1 found, 0 not. */
static int
peer_key(struct db *db, const char *agency, unsigned char pub[ED25519_PUB_LEN])
{
	sqlite3_stmt *st;
	struct dx_err e;
	int rc, found = 0;

	st = db_prepare(db, "SELECT public_key FROM peers WHERE agency = ?",
	    0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, agency, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) ==
	    ED25519_PUB_LEN) {
		memcpy(pub, sqlite3_column_blob(st, 0), ED25519_PUB_LEN);
		found = 1;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		die_db(db, rc);
	}
	sqlite3_finalize(st);
	return found;
}

/* Refuse (64) an agency code that is not one. */
static void
check_agency(const char *agency)
{
	if (!agency_valid(agency))
		dx_die(DX_USAGE,
		    _("invalid agency code '%s' (want DDD.DD.DD.LDD,"
		    " e.g. 000.00.22.H56)"), agency);
}

enum { REL_NONE, REL_CHILD, REL_PARENT };	/* see relation() */
static int
relation(struct db *db, const char *self, const char *agency);

static int
trust_add(struct db *db, const char *agency, const char *hex)
{
	unsigned char pub[ED25519_PUB_LEN], old[ED25519_PUB_LEN];
	struct office o;
	struct dx_err e;
	sqlite3_stmt *st;

	check_agency(agency);
	parse_key(hex, pub);
	if (db_begin(db, &e) == -1 || db_office(db, &o, &e) == -1)
		dx_die_err(&e);
	if (strcmp(o.agency, agency) == 0)
		dx_die(DX_USAGE, _("'%s' is this office"), agency);
	if (peer_key(db, agency, old)) {
		if (memcmp(old, pub, sizeof(pub)) != 0)
			dx_die(DX_DATAERR, _("'%s' is trusted with another key:"
			    " remove it first"), agency);
	} else {
		st = db_prepare(db, "INSERT INTO peers (agency, public_key,"
		    " added_at) VALUES (?, ?, ?)", 0, &e);
		if (st == NULL)
			dx_die_err(&e);
		sqlite3_bind_text(st, 1, agency, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, pub, sizeof(pub), SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		if (db_step_done(db, st, &e) == -1)
			dx_die_err(&e);
		sqlite3_finalize(st);
	}
	if (db_commit(db, &e) == -1)
		dx_die_err(&e);
	if (relation(db, o.agency, agency) == REL_NONE)
		dx_warn(_("'%s' is neither above nor below this office in its"
		    " catalog: no bundle goes to it until the catalog places"
		    " it"), agency);
	put(key_json(agency, pub));
	return DX_OK;
}

static int
trust_list(struct db *db)
{
	struct calendar cal;
	struct dx_err e;
	sqlite3_stmt *st;
	char t[40];
	int rc;

	if (caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	st = db_prepare(db, "SELECT agency, public_key, added_at, bundle_seq,"
	    " acked, (SELECT max(bundle_seq) FROM bundles_in"
	    "  WHERE sender = agency), held_seq FROM peers ORDER BY agency",
	    0, &e);
	if (st == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *k;

		if (sqlite3_column_bytes(st, 1) != ED25519_PUB_LEN)
			dx_die(DX_DATAERR, _("%s: a damaged public key in"
			    " peers"), db->path);
		k = key_json((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_blob(st, 1));
		cal_format(&cal, sqlite3_column_int64(st, 2), t);
		json_object_set_new(k, "added_at", json_string(t));
		json_object_set_new(k, "sent_seq",
		    json_integer(sqlite3_column_int64(st, 3)));
		json_object_set_new(k, "acked",
		    json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(k, "received_seq",
		    sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null() :
		    json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(k, "held_seq",
		    json_integer(sqlite3_column_int64(st, 6)));
		put(k);
	}
	sqlite3_finalize(st);
	cal_free(&cal);
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	return DX_OK;
}

static int
trust_remove(struct db *db, const char *agency)
{
	struct dx_err e;
	sqlite3_stmt *st;

	check_agency(agency);
	if (db_begin(db, &e) == -1)
		dx_die_err(&e);
	st = db_prepare(db, "DELETE FROM peers WHERE agency = ?", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, agency, -1, SQLITE_STATIC);
	if (db_step_done(db, st, &e) == -1)
		dx_die_err(&e);
	sqlite3_finalize(st);
	if (sqlite3_changes(db->h) == 0)
		dx_die(DX_NOINPUT, _("'%s' is not in the trust list"), agency);
	if (db_commit(db, &e) == -1)
		dx_die_err(&e);
	return DX_OK;
}

static int
cmd_trust(int argc, char **argv)
{
	struct dx_err e;
	struct db *db;
	int rc;

	if (argc < 2)
		usage(NULL);
	if (strcmp(argv[1], "list") == 0) {
		if (argc != 2)
			usage(NULL);
		db = open_db(DB_RDONLY);
		rc = trust_list(db);
		db_close(db);
		return rc;
	}
	if (strcmp(argv[1], "add") == 0 && argc == 4) {
		db = open_db(0);
		if (actor_may_configure(db, &e) == -1)
			dx_die_err(&e);
		rc = trust_add(db, argv[2], argv[3]);
	} else if (strcmp(argv[1], "remove") == 0 && argc == 3) {
		db = open_db(0);
		if (actor_may_configure(db, &e) == -1)
			dx_die_err(&e);
		rc = trust_remove(db, argv[2]);
	} else
		usage(NULL);
	db_close(db);
	return rc;
}

/* ---- export ------------------------------------------------------------- */

/*
 * Export and import pass over their rows once: a page cache of 8 MiB
 * rather than 64 keeps their peak memory the same whatever the size of
 * the bundle (an import's changed pages spill to the WAL before COMMIT).
 */
static void
small_cache(struct db *db)
{
	struct dx_err e;

	if (db_exec(db, "PRAGMA cache_size = -8192", &e) == -1)
		dx_die_err(&e);
}

/*
 * The members an export writes from unlinked files, besides events.jsonl:
 * the catalog, calendar days and office hours a parent sends down, the
 * seals a child sends up, and the word on the bundles between the two
 * (sync.jsonl) either may send.
 */
enum { T_CATALOG, T_CALENDAR, T_HOURS, T_SEALS, T_SYNC, NTABLES };
static const char *const table_name[NTABLES] = {
	"catalog.jsonl", "calendar.jsonl", "hours.jsonl", "seals.jsonl",
	"sync.jsonl"
};

/* What one export carries, gathered before the bundle is written. */
struct out {
	struct db *db;
	int evfd;			/* events.jsonl, in an unlinked file */
	int tabfd[NTABLES];		/* table_name[t], or -1 */
	struct bundle_entry *ent;
	size_t nent, cap;
	long nevents;
	/* down: the base bundle (0: none), and each dossier's last event */
	int64_t base;
	sqlite3_stmt *carried;		/* into temp.carried, or NULL */
};

/* On a terminal: the members written or read, and their bytes so far. */
static struct progress prog;
static int64_t prog_bytes;

static void
prog_start(const struct bundle_entry *ent, size_t n)
{
	int64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += ent[i].size;
	progress_start(&prog, STDERR_FILENO, dx_progname(), _("members"),
	    n > 0 ? total : -1);
	prog_bytes = 0;
}

static struct bundle_entry *
add_entry(struct out *o)
{
	if (o->nent == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 16;
		o->ent = xreallocarray(o->ent, o->cap, sizeof(*o->ent));
	}
	memset(&o->ent[o->nent], 0, sizeof(o->ent[0]));
	return &o->ent[o->nent++];
}

static int
hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/* Collect the blobs a payload names: every "sha256" member, at any depth. */
static void
blobs_named(const json_t *j, json_t *set)
{
	const char *k, *s;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v) {
			s = json_string_value(v);
			if (strcmp(k, "sha256") == 0 && s != NULL && hex64(s))
				json_object_set_new(set, s, json_true());
			else
				blobs_named(v, set);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			blobs_named(v, set);
	}
}

static void
write_all(int fd, const void *p, size_t n, const char *what)
{
	const char *s = p;
	ssize_t r;

	while (n > 0) {
		r = write(fd, s, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			dx_die(DX_IOERR, "%s: %s", what, strerror(errno));
		s += r;
		n -= (size_t)r;
	}
}

/* Widen the range of `origin` in `ranges` to seq (a new one at the end). */
static void
range_add(json_t *ranges, const char *origin, int64_t seq)
{
	json_t *r = NULL, *x;
	size_t i;

	json_array_foreach(ranges, i, x)
		if (strcmp(json_string_value(json_object_get(x, "origin")),
		    origin) == 0) {
			r = x;
			break;
		}
	if (r == NULL) {
		r = json_pack("{s:s,s:I,s:I}", "origin", origin, "first",
		    (json_int_t)seq, "last", (json_int_t)seq);
		json_array_append_new(ranges, r);
		return;
	}
	if (seq < json_integer_value(json_object_get(r, "first")))
		json_object_set_new(r, "first", json_integer(seq));
	if (seq > json_integer_value(json_object_get(r, "last")))
		json_object_set_new(r, "last", json_integer(seq));
}

/*
 * An export up: 1 if event (origin, seq) of `dossier` goes in the bundle,
 * the next of its origin's unbroken run from `acked`, the last the peer
 * holds (`next`: origin -> the seq that goes next, null once stopped);
 * else 0.  A gap stops its origin and, in `held`, its dossier; an event
 * of a stopped origin or dossier is left out and stops the other in turn.
 */
static int
run_on(json_t *next, json_t *held, const char *origin, int64_t seq,
    const char *dossier, int64_t acked)
{
	json_t *n = json_object_get(next, origin);
	int64_t want = n == NULL ? acked + 1 : json_is_integer(n) ?
	    json_integer_value(n) : -1;

	if (want == seq && json_object_get(held, dossier) == NULL) {
		json_object_set_new(next, origin, json_integer(seq + 1));
		return 1;
	}
	json_object_set_new(next, origin, json_null());
	json_object_set_new(held, dossier, json_true());
	return 0;
}

/*
 * The units of this office's subtree in the catalog: the office itself
 * and every unit below it, in SQL, for `WHERE origin IN (...)`.  An
 * export up relays the events of these origins, and an import from a
 * child office takes no other.
 */
#define SUBTREE_SQL "WITH RECURSIVE sub(code) AS (SELECT ?1 UNION" \
    " SELECT u.code FROM units u JOIN sub ON u.parent = sub.code)"

/*
 * The chain of bundles down to child office ?1 that ends at bundle ?3:
 * it, its base, its base's base ..., each extending what the one before
 * it left the child holding.  Empty for ?3 = 0.
 */
#define CHAIN_SQL "chain(seq) AS (SELECT ?3 WHERE ?3 > 0 UNION" \
    " SELECT b.base FROM sent_bundles b JOIN chain c ON b.peer = ?1" \
    " AND b.seq = c.seq WHERE b.base > 0 AND b.base < b.seq)"

/*
 * Write the events the peer has not acknowledged to o->evfd as
 * events.jsonl, collecting their ranges and the blobs they name.  To a
 * child office `to`, what concerns it: every event it does not hold of
 * the dossiers that concern it or an office below it (received there,
 * ever handed there, or changed there) and that changed since its
 * acknowledgement `ack` ({"AGENCY":SEQ,...}): a result for a commune
 * goes down through its district.  To another (the parent), every event of an
 * origin in this office's subtree after what the peer acknowledged of
 * that origin (`acked` for this office's own): its own, and what its
 * child offices sent it, relayed.  The events of other origins (what
 * came down from the parent) never go up.  Each origin's events go in
 * an unbroken run from the acknowledged one, for the peer checks every
 * link: at a gap in a relayed chain (an event that came down from the
 * parent before the ones before it came up), that origin stops, and so
 * do the dossiers of the events left out, so that nothing goes ahead of
 * what it follows; the rest follows once the gap is filled, the event
 * that fills it taking the place of the first stored after it.
 * The caller holds a read transaction.
 */
static void
gather_events(struct out *o, const char *self, const char *to, int child,
    int64_t acked, const char *ack, int64_t max, json_t *ranges,
    json_t *blobs)
{
	sqlite3_stmt *bsz;
	int64_t carried = 0;
	unsigned char md[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	struct sha256_ctx *h;
	struct bundle_entry *be;
	struct dx_buf b;
	struct dx_err e;
	struct jw w;
	sqlite3_stmt *st;
	json_t *next = NULL, *held = NULL;
	int64_t size = 0;
	int rc;

	if ((h = sha256_new()) == NULL)
		dx_die(DX_SOFTWARE, "out of memory");
	buf_init(&b);
	if (child) {
		/*
		 * In the order they were written here: causal, per dossier.
		 * Of each, only the events after the last that a bundle of
		 * the base's chain carried: the child holds those.
		 */
		st = db_prepare(o->db, SUBTREE_SQL ", " CHAIN_SQL
		    " SELECT origin, seq, dossier, action, actor, at, payload,"
		    " prev_hash, hash, id FROM events e"
		    " WHERE origin <> ?1 AND id > coalesce((SELECT"
		    "  max(s.last_id) FROM sent s WHERE s.peer = ?1"
		    "  AND s.dossier = e.dossier AND +s.seq IN chain), 0)"
		    " AND dossier IN ("
		    "  SELECT n.dossier FROM events n"
		    "  LEFT JOIN json_each(?2) a ON a.key = n.origin"
		    "  WHERE n.origin <> ?1 AND n.seq > coalesce(a.value, 0)"
		    "  AND EXISTS (SELECT 1 FROM events r"
		    "   WHERE r.dossier = n.dossier AND (r.origin IN sub OR"
		    "   json_extract(r.payload, '$.after.owner') IN sub)))"
		    " ORDER BY id", 0, &e);
		if (st == NULL)
			dx_die_err(&e);
		sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ack, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, o->base);
	} else {
		/*
		 * In the order they were stored here, causal per dossier,
		 * but each origin's by seq: an event that came late, filling
		 * a gap, goes with the first stored of those after it (else
		 * its origin would stop there at every export).
		 */
		st = db_prepare(o->db, SUBTREE_SQL ", held(origin, seq) AS"
		    " (SELECT code, CASE WHEN code = ?1 THEN ?2 ELSE"
		    "  coalesce((SELECT a.value FROM json_each(?3) a"
		    "  WHERE a.key = code), 0) END FROM sub)"
		    " SELECT origin, seq, dossier, action, actor, at, payload,"
		    " prev_hash, hash, acked FROM (SELECT e.origin, e.seq,"
		    "  e.dossier, e.action, e.actor, e.at, e.payload,"
		    "  e.prev_hash, e.hash, h.seq AS acked, min(e.id) OVER"
		    "  (PARTITION BY e.origin ORDER BY e.seq DESC) AS k"
		    "  FROM events e JOIN held h ON h.origin = e.origin"
		    "  AND e.seq > h.seq)"
		    " ORDER BY k, seq", 0, &e);
		if (st == NULL)
			dx_die_err(&e);
		sqlite3_bind_text(st, 1, self, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, acked);
		sqlite3_bind_text(st, 3, ack, -1, SQLITE_STATIC);
		next = json_object();
		held = json_object();
	}
	bsz = db_prepare(o->db, "SELECT size FROM blobs WHERE sha256 = ?", 0,
	    &e);
	if (bsz == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *payload = (const char *)sqlite3_column_text(st, 6);
		json_t *pj, *named;
		int64_t cost;
		const char *k;
		json_t *v;

		if (next != NULL && !run_on(next, held,
		    (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    sqlite3_column_int64(st, 9)))
			continue;
		buf_reset(&b);
		jw_open(&w, &b);
		jw_str(&w, "origin", (const char *)sqlite3_column_text(st, 0));
		jw_int(&w, "seq", sqlite3_column_int64(st, 1));
		jw_str(&w, "dossier", (const char *)sqlite3_column_text(st, 2));
		jw_str(&w, "action", (const char *)sqlite3_column_text(st, 3));
		jw_str(&w, "actor", (const char *)sqlite3_column_text(st, 4));
		jw_int(&w, "at", sqlite3_column_int64(st, 5));
		/* a string: the chain hashes the payload's exact bytes */
		jw_str(&w, "payload", payload);
		if (sqlite3_column_bytes(st, 7) != SHA256_LEN ||
		    sqlite3_column_bytes(st, 8) != SHA256_LEN)
			dx_die(DX_DATAERR,
			    _("%s: event %s/%lld: a damaged hash"),
			    o->db->path, (const char *)sqlite3_column_text(st,
			    0), (long long)sqlite3_column_int64(st, 1));
		hex_encode(sqlite3_column_blob(st, 7), SHA256_LEN, hex);
		jw_str(&w, "prev_hash", hex);
		hex_encode(sqlite3_column_blob(st, 8), SHA256_LEN, hex);
		jw_str(&w, "hash", hex);
		jw_close(&w);
		buf_add(&b, "\n", 1);
		/* --max-size: the event, and the attachments new to the bundle */
		named = json_object();
		/* parsed only when it may name one: this office wrote it */
		if (strstr(payload, "\"sha256\"") != NULL &&
		    (pj = json_loads(payload, 0, NULL)) != NULL) {
			blobs_named(pj, named);
			json_decref(pj);
		}
		cost = (int64_t)b.len;
		json_object_foreach(named, k, v) {
			if (json_object_get(blobs, k) != NULL)
				continue;
			sqlite3_bind_text(bsz, 1, k, -1, SQLITE_STATIC);
			if (sqlite3_step(bsz) == SQLITE_ROW)
				cost += sqlite3_column_int64(bsz, 0);
			sqlite3_reset(bsz);
		}
		if (max > 0 && o->nevents > 0 && carried + cost > max) {
			json_decref(named);
			break;	/* the rest follows in the next export */
		}
		carried += cost;
		json_object_update(blobs, named);
		json_decref(named);
		write_all(o->evfd, b.buf, b.len, "events.jsonl");
		if (sha256_update(h, b.buf, b.len) == -1)
			dx_die(DX_SOFTWARE, "sha256 failed");
		size += (int64_t)b.len;
		range_add(ranges, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1));
		/* in id order: the dossier's last event carried so far */
		if (o->carried != NULL) {
			sqlite3_bind_text(o->carried, 1, (const char *)
			    sqlite3_column_text(st, 2), -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(o->carried, 2,
			    sqlite3_column_int64(st, 9));
			if (db_step_done(o->db, o->carried, &e) == -1)
				dx_die_err(&e);
		}
		o->nevents++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		die_db(o->db, rc);
	sqlite3_finalize(st);
	sqlite3_finalize(bsz);
	json_decref(next);
	json_decref(held);
	buf_free(&b);
	if (sha256_final(h, md) == -1)
		dx_die(DX_SOFTWARE, "sha256 failed");
	sha256_free(h);
	be = add_entry(o);
	snprintf(be->name, sizeof(be->name), "events.jsonl");
	be->size = size;
	memcpy(be->sha256, md, SHA256_LEN);
}

/* The blobs named by the events that this office holds, as entries. */
static void
gather_blobs(struct out *o, json_t *blobs)
{
	struct bundle_entry *be;
	struct dx_err e;
	sqlite3_stmt *st;
	const char *k;
	json_t *v;
	int rc;

	st = db_prepare(o->db, "SELECT size FROM blobs WHERE sha256 = ?", 0,
	    &e);
	if (st == NULL)
		dx_die_err(&e);
	json_object_foreach(blobs, k, v) {
		sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			be = add_entry(o);
			snprintf(be->name, sizeof(be->name), "blobs/%s", k);
			be->size = sqlite3_column_int64(st, 0);
			if (hex_decode(k, be->sha256, SHA256_LEN) == -1)
				dx_die(DX_SOFTWARE, "bad blob name");
		} else if (rc != SQLITE_DONE)
			die_db(o->db, rc);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/*
 * Where office `agency` stands from this office `self` in this office's
 * unit tree.  An office's tier is its unit's level, a section's that of
 * the unit it belongs to: the provincial tier (the province and its
 * departments, the service centre among them), which acts for the whole
 * province, then districts, then communes.
 *   REL_CHILD: below it (catalog and calendar travel down to it): under
 *     its unit in the tree, or of a lower tier when `self` is provincial;
 *   REL_PARENT: above it: an ancestor of its unit; a provincial office
 *     when `self` is not; another provincial office when `self` is one
 *     (their bundles go up both ways); or any office when the catalog
 *     does not place `self` yet, its unit without a parent and not a
 *     province (a new office, whose own unit `dossier-admin init` made,
 *     sends its first bundles up before its parent's catalog comes down);
 *   REL_NONE: neither, or itself: an office aside (a commune beside this
 *     one, a district of another branch, a code in no catalog), with
 *     which no bundle is exchanged.
 */
static int
relation(struct db *db, const char *self, const char *agency)
{
	struct dx_err e;
	sqlite3_stmt *st;
	int rc, rel;

	st = db_prepare(db, "WITH RECURSIVE"
	    " up(code, depth) AS ("
	    "  SELECT parent, 1 FROM units WHERE code = ?1"
	    "  UNION SELECT u.parent, up.depth + 1 FROM units u JOIN up"
	    "  ON u.code = up.code WHERE up.depth < 1000),"
	    " mine(code, depth) AS ("
	    "  SELECT parent, 1 FROM units WHERE code = ?2"
	    "  UNION SELECT u.parent, mine.depth + 1 FROM units u JOIN mine"
	    "  ON u.code = mine.code WHERE mine.depth < 1000),"
	    " tier(code, t) AS (SELECT u.code, CASE CASE u.level WHEN"
	    "  'section' THEN p.level ELSE u.level END WHEN 'province' THEN 0"
	    "  WHEN 'department' THEN 0 WHEN 'district' THEN 2"
	    "  WHEN 'commune' THEN 3 END FROM units u LEFT JOIN units p"
	    "  ON p.code = u.parent WHERE u.code IN (?1, ?2))"
	    " SELECT CASE WHEN ?1 = ?2 THEN 0"
	    "  WHEN EXISTS (SELECT 1 FROM up WHERE code = ?2) THEN 1"
	    "  WHEN EXISTS (SELECT 1 FROM mine WHERE code = ?1) THEN 2"
	    "  WHEN NOT EXISTS (SELECT 1 FROM units WHERE code = ?2"
	    "   AND (parent IS NOT NULL OR level = 'province')) THEN 2"
	    "  WHEN (SELECT t FROM tier WHERE code = ?2) = 0 THEN"
	    "   CASE WHEN (SELECT t FROM tier WHERE code = ?1) > 0 THEN 1"
	    "   WHEN (SELECT t FROM tier WHERE code = ?1) = 0 THEN 2"
	    "   ELSE 0 END"
	    "  WHEN (SELECT t FROM tier WHERE code = ?1) = 0 THEN 2"
	    "  ELSE 0 END", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, self, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		die_db(db, rc);
	rel = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rel == 1 ? REL_CHILD : rel == 2 ? REL_PARENT : REL_NONE;
}

/* A member `name` from the bytes written to the unlinked file `fd`. */
static void
entry_of_fd(struct out *o, int fd, const char *name)
{
	unsigned char md[SHA256_LEN];
	struct bundle_entry *be;
	struct sha256_ctx *h;
	char buf[65536];
	int64_t size = 0;
	ssize_t r;

	if ((h = sha256_new()) == NULL)
		dx_die(DX_SOFTWARE, "out of memory");
	if (lseek(fd, 0, SEEK_SET) == -1)
		dx_die(DX_IOERR, "%s: %s", name, strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			dx_die(DX_IOERR, "%s: %s", name, strerror(errno));
		if (sha256_update(h, buf, (size_t)r) == -1)
			dx_die(DX_SOFTWARE, "sha256 failed");
		size += r;
	}
	if (sha256_final(h, md) == -1)
		dx_die(DX_SOFTWARE, "sha256 failed");
	sha256_free(h);
	if (size > BUNDLE_MAX_TABLE)
		dx_die(DX_SOFTWARE, "%s: %jd bytes, more than a reader takes"
		    " (%lld)", name, (intmax_t)size, BUNDLE_MAX_TABLE);
	be = add_entry(o);
	snprintf(be->name, sizeof(be->name), "%s", name);
	be->size = size;
	memcpy(be->sha256, md, SHA256_LEN);
}

/*
 * The catalog and calendar members for a child office: the catalog as
 * catalog_export_down() writes it, the calendar overrides as calendar
 * lines.  The caller holds a read transaction.
 */
/* A member in an unlinked file: its stream, and its descriptor in *fd. */
static FILE *
table_open(int t, int *fd)
{
	struct dx_err e;
	FILE *fp;

	if ((*fd = dx_tmpfd(&e)) == -1 || (fp = fdopen(*fd, "w+")) == NULL)
		dx_die(DX_IOERR, "%s: %s", table_name[t], strerror(errno));
	return fp;
}

/* The member in fp (from table_open()) listed, when `keep`, as table t. */
static void
table_close(struct out *o, int t, FILE *fp, int fd, int keep)
{
	if (fflush(fp) == EOF)
		dx_die(DX_IOERR, "%s: %s", table_name[t], strerror(errno));
	if (keep && (o->tabfd[t] = dup(fd)) == -1)
		dx_die(DX_IOERR, "%s: %s", table_name[t], strerror(errno));
	fclose(fp);
	if (keep)
		entry_of_fd(o, o->tabfd[t], table_name[t]);
}

/*
 * Table t from the rows of constant `sql`: one JSON object a row, named
 * by the columns, their values as text.
 */
static void
table_rows(struct out *o, int t, const char *sql)
{
	struct dx_err e;
	sqlite3_stmt *st;
	json_t *l;
	FILE *fp;
	int rc, fd, c;

	fp = table_open(t, &fd);
	if ((st = db_prepare(o->db, sql, 0, &e)) == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((l = json_object()) == NULL)
			dx_die(DX_SOFTWARE, "out of memory");
		for (c = 0; c < sqlite3_column_count(st); c++)
			if (json_object_set_new(l, sqlite3_column_name(st, c),
			    json_string((const char *)sqlite3_column_text(st,
			    c))) == -1)
				dx_die(DX_SOFTWARE, "out of memory");
		if (jsonl_write(fp, l) == -1)
			dx_die(DX_IOERR, "%s: %s", table_name[t],
			    _("write error"));
		json_decref(l);
	}
	if (rc != SQLITE_DONE)
		die_db(o->db, rc);
	sqlite3_finalize(st);
	table_close(o, t, fp, fd, 1);
}

/*
 * To a child office: the catalog, and the calendar's days and its changes
 * of office hours, each the whole set, which the child takes as its own.
 */
static void
gather_down(struct out *o, const char *self, const char *to)
{
	struct dx_err e;
	FILE *fp;
	int fd;

	fp = table_open(T_CATALOG, &fd);
	if (catalog_export_down(o->db, fp, self, to, &e) == -1)
		dx_die_err(&e);
	table_close(o, T_CATALOG, fp, fd, 1);
	table_rows(o, T_CALENDAR, "SELECT day AS date, kind, name"
	    " FROM calendar_overrides ORDER BY day");
	table_rows(o, T_HOURS, "SELECT day AS \"from\", office_hours, cutoff"
	    " FROM calendar_hours ORDER BY day");
}

/*
 * seals.jsonl: this office's seals made with its key, of events the peer
 * holds once it has this bundle (up to `upto`), so that the peer can
 * check the chain it holds against them.  Only up, to the office that
 * monitors this one and keeps every event it writes: the heads are
 * anchored there.  No member when there are none: a bundle without seals
 * stays readable by the readers that preceded it.
 */
static void
gather_seals(struct out *o, const struct office *off, int64_t upto)
{
	struct dx_err e;
	FILE *fp;
	long n;
	int fd;

	fp = table_open(T_SEALS, &fd);
	n = seal_export(o->db, off->agency, off->public_key, upto, fp, &e);
	if (n == -1)
		dx_die_err(&e);
	table_close(o, T_SEALS, fp, fd, n > 0);
}

/*
 * `seq` if bundle seq down to `to` is one this office recorded under the
 * manifest SHA-256 `manifest`, else 0: a bundle named by a child whose
 * parent was restored from a backup, or by one that says what is not so,
 * is no base, and the next bundle carries each dossier whole.
 */
static int64_t
sent_bundle(struct db *db, const char *to, int64_t seq, const char *manifest)
{
	struct dx_err e;
	sqlite3_stmt *st;
	int rc;

	if (seq <= 0)
		return 0;
	st = db_prepare(db, "SELECT 1 FROM sent_bundles WHERE peer = ?"
	    " AND seq = ? AND manifest = ?", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_text(st, 3, manifest, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die_db(db, rc);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? seq : 0;
}

/*
 * sync.jsonl, one line: down to a child, "base", the bundle whose content
 * the child said it holds, which this one extends (no member when there
 * is none: this bundle carries each dossier's events from its first); up,
 * "held", the last bundle of the receiver's whose content this office
 * holds, chained from one that had no base (none before any).  Each
 * bundle is named by its seq and the SHA-256 of its manifest.
 */
static void
gather_sync(struct out *o, const char *to, int child,
    const char *base_manifest)
{
	struct dx_err e;
	sqlite3_stmt *st;
	json_t *l = NULL;
	FILE *fp;
	int rc, fd;

	if (child && o->base > 0) {
		/* never NULL: a bundle without its base would say more */
		if ((l = json_pack("{s:{s:I,s:s}}", "base", "seq",
		    (json_int_t)o->base, "manifest", base_manifest)) == NULL)
			dx_die(DX_SOFTWARE, "out of memory");
	} else if (!child) {
		/*
		 * The bundle taken last, which holds with its chain: what
		 * this office holds now.  (Not the highest number: one
		 * taken out of order says less, never more.)
		 */
		st = db_prepare(o->db, "SELECT bundle_seq, manifest"
		    " FROM bundles_in WHERE sender = ? AND holds = 1"
		    " AND manifest IS NOT NULL"
		    " ORDER BY imported_at DESC, bundle_seq DESC LIMIT 1", 0,
		    &e);
		if (st == NULL)
			dx_die_err(&e);
		sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
		    (l = json_pack("{s:{s:I,s:s}}", "held", "seq",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    "manifest", (const char *)sqlite3_column_text(st,
		    1))) == NULL)
			dx_die(DX_SOFTWARE, "out of memory");
		else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			die_db(o->db, rc);
		sqlite3_finalize(st);
	}
	if (l == NULL)
		return;
	fp = table_open(T_SYNC, &fd);
	if (jsonl_write(fp, l) == -1)
		dx_die(DX_IOERR, "%s: %s", table_name[T_SYNC],
		    _("write error"));
	json_decref(l);
	table_close(o, T_SYNC, fp, fd, 1);
}

/*
 * Record bundle `seq` down to child office `to`, whose manifest is made
 * of `head` and o's entries: its name, its base, and the last event of
 * each dossier it carried.  The child names it once it holds it, and the
 * next bundle down carries only what came after.  0 with the write
 * transaction left open, for the caller to commit once the bundle is in
 * place, or -1 with e set and nothing written.
 */
static int
record_sent(struct out *o, const char *to, int64_t seq, const json_t *head,
    struct dx_err *e)
{
	unsigned char md[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	sqlite3_stmt *b = NULL, *d = NULL;
	int rc = -1;

	if (bundle_manifest_sha256(head, o->ent, o->nent, md, e) == -1)
		return -1;
	hex_encode(md, SHA256_LEN, hex);
	if (db_begin(o->db, e) == -1)
		return -1;
	b = db_prepare(o->db, "INSERT INTO sent_bundles (peer, seq, manifest,"
	    " base) VALUES (?, ?, ?, ?)", 0, e);
	d = db_prepare(o->db, "INSERT INTO sent (peer, dossier, seq, last_id)"
	    " SELECT ?1, dossier, ?2, last_id FROM temp.carried", 0, e);
	if (b == NULL || d == NULL)
		goto out;
	sqlite3_bind_text(b, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(b, 2, seq);
	sqlite3_bind_text(b, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(b, 4, o->base);
	if (db_step_done(o->db, b, e) == -1)
		goto out;
	sqlite3_bind_text(d, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(d, 2, seq);
	if (db_step_done(o->db, d, e) == -1)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(b);
	sqlite3_finalize(d);
	if (rc == -1)
		db_rollback(o->db);
	return rc;
}

/* Copy the unlinked file `fd` into the member being written. */
static int
put_fd(int fd, const char *name, struct bundle_writer *w, struct dx_err *e)
{
	char buf[65536];
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return dx_seterr(e, DX_IOERR, "%s: %s", name, strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return dx_seterr(e, DX_IOERR, "%s: %s", name,
			    strerror(errno));
		if (bundle_put(w, buf, (size_t)r, e) == -1)
			return -1;
	}
	return 0;
}

static int
put_blob(void *w, const void *p, size_t n, struct dx_err *e)
{
	return bundle_put(w, p, n, e);
}

static int
fill(void *arg, size_t i, struct bundle_writer *w, struct dx_err *e)
{
	struct out *o = arg;
	int found, t;

	progress_set(&prog, (int64_t)i, prog_bytes);
	prog_bytes += o->ent[i].size;
	if (strcmp(o->ent[i].name, "events.jsonl") == 0)
		return put_fd(o->evfd, o->ent[i].name, w, e);
	for (t = 0; t < NTABLES; t++)
		if (strcmp(o->ent[i].name, table_name[t]) == 0)
			return put_fd(o->tabfd[t], o->ent[i].name, w, e);
	/* bundle_write() hashes what it is handed: no second hash here */
	found = blob_stream(o->db, o->ent[i].name + 6, put_blob, w, e);
	if (found == 0)
		return dx_seterr(e, DX_SOFTWARE, "%s: gone from the database",
		    o->ent[i].name);
	return found == -1 ? -1 : 0;
}

/* The ack: for every origin but this office, the last event held. */
static json_t *
ack_json(struct db *db, const char *self)
{
	struct dx_err e;
	sqlite3_stmt *st;
	json_t *ack = json_object();
	int rc;

	st = db_prepare(db, "SELECT origin, max(seq) FROM (SELECT origin, seq"
	    " FROM events UNION ALL SELECT origin, seq FROM conflicts)"
	    " WHERE origin <> ? GROUP BY origin ORDER BY origin", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, self, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(ack, (const char *)sqlite3_column_text(st,
		    0), json_integer(sqlite3_column_int64(st, 1)));
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	sqlite3_finalize(st);
	return ack;
}

/* The file a bundle goes to in folder `dir`: sender, receiver, seq. */
static char *
bundle_file_name(const char *dir, const char *from, const char *to,
    int64_t seq)
{
	struct dx_buf b;

	buf_init(&b);
	buf_printf(&b, "%s%s%s_%s_%06lld.bundle", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", from, to, (long long)seq);
	return b.buf;
}

/* A size for --max-size: bytes, or with a suffix K, M or G (1024s). */
static int64_t
parse_size(const char *s)
{
	char *end;
	long long v;
	int shift = 0;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift != 0)
		end++;
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    v > (INT64_MAX >> shift))
		dx_die(DX_USAGE,
		    _("invalid size '%s' (bytes, or with K, M or G)"),
		    s);
	return (int64_t)v << shift;
}

/*
 * A bundle written to a file, in parts of at most `limit` bytes: FAT32
 * takes no file of 4 GiB or more.  Each part is written under a temporary
 * name (the file's name with ".tmp", or ".NNN.tmp" for the second part
 * on) and synced; only when the last is, are they renamed: one part to the
 * file's name, several to the file's name with ".NNNofMMM".
 */
#define PART_MAX 999
struct parts {
	const char *path;
	int64_t limit, used;
	int fd, n;
	char *tmp[PART_MAX], *final[PART_MAX];
};

/* The part size: DOSSIER_BUNDLE_PART_SIZE (for tests), else 4 GiB - 1. */
static int64_t
part_limit(void)
{
	const char *s = getenv("DOSSIER_BUNDLE_PART_SIZE"), *errstr;
	long long v;

	if (s == NULL || *s == '\0')
		return 4294967295LL;
	if (parse_int(s, 1024, INT64_MAX, &v, &errstr) == -1)
		dx_die(DX_USAGE,
		    _("DOSSIER_BUNDLE_PART_SIZE '%s' is %s (at least"
		    " 1024 bytes)"), s, errstr);
	return v;
}

static int
part_close(struct parts *pt)
{
	int rc = 0;

	if (pt->fd == -1)
		return 0;
	if (fsync(pt->fd) == -1)
		rc = -1;
	if (close(pt->fd) == -1)
		rc = -1;
	pt->fd = -1;
	return rc;
}

static la_ssize_t
part_sink(struct archive *a, void *arg, const void *p, size_t n)
{
	struct parts *pt = arg;
	struct dx_buf b;
	ssize_t r;

	if (pt->fd == -1 || pt->used == pt->limit) {
		if (part_close(pt) == -1) {
			archive_set_error(a, errno, "%s: %s", pt->tmp[pt->n -
			    1], strerror(errno));
			return -1;
		}
		if (pt->n == PART_MAX) {
			archive_set_error(a, EFBIG, "more than %d parts",
			    PART_MAX);
			return -1;
		}
		buf_init(&b);
		if (pt->n == 0)
			buf_printf(&b, "%s.tmp", pt->path);
		else
			buf_printf(&b, "%s.%03d.tmp", pt->path, pt->n + 1);
		pt->tmp[pt->n++] = b.buf;
		pt->used = 0;
		pt->fd = open(b.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		if (pt->fd == -1) {
			archive_set_error(a, errno, "%s: %s", b.buf,
			    strerror(errno));
			return -1;
		}
	}
	if ((int64_t)n > pt->limit - pt->used)
		n = (size_t)(pt->limit - pt->used);
	do
		r = write(pt->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		archive_set_error(a, errno, "%s: %s", pt->tmp[pt->n - 1],
		    strerror(errno));
		return -1;
	}
	pt->used += r;
	return r;
}

/* Sync the last part and rename every part to its final name. */
static int
parts_finish(struct parts *pt, struct dx_err *e)
{
	struct dx_buf b;
	int i;

	if (pt->n == 0)
		return dx_seterr(e, DX_SOFTWARE, "%s: nothing written",
		    pt->path);
	if (part_close(pt) == -1)
		return dx_seterr(e, DX_IOERR, "%s: %s", pt->tmp[pt->n - 1],
		    strerror(errno));
	for (i = 0; i < pt->n; i++) {
		buf_init(&b);
		if (pt->n == 1)
			buf_adds(&b, pt->path);
		else
			buf_printf(&b, "%s.%03dof%03d", pt->path, i + 1,
			    pt->n);
		pt->final[i] = b.buf;
		if (rename(pt->tmp[i], b.buf) == -1)
			return dx_seterr(e, DX_IOERR, "%s: %s", b.buf,
			    strerror(errno));
		free(pt->tmp[i]);
		pt->tmp[i] = NULL;
	}
	return 0;
}

/* Remove the temporary parts left, and free the names. */
static void
parts_discard(struct parts *pt)
{
	int i;

	if (pt->fd != -1)
		close(pt->fd);
	pt->fd = -1;
	for (i = 0; i < pt->n; i++) {
		if (pt->tmp[i] != NULL)
			unlink(pt->tmp[i]);
		free(pt->tmp[i]);
		free(pt->final[i]);
		pt->tmp[i] = pt->final[i] = NULL;
	}
}

static int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "whole", no_argument, NULL, 'W' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	unsigned char sec[ED25519_SEC_LEN], pub[ED25519_PUB_LEN];
	const char *to = NULL, *opath = NULL;
	char *path = NULL, t[40];
	enum bundle_zip zip = BUNDLE_GZIP;
	struct calendar cal;
	struct office off;
	struct dx_err e;
	struct stat sb;
	struct out o;
	struct parts pt;
	sqlite3_stmt *st;
	json_t *head, *ranges, *blobs, *rx;
	int64_t seq, acked, last, maxsize = 0, held;
	size_t ri;
	char *peer_ack, *held_manifest;
	int ch, rc, child, rel, k, tables = 0, outfd = STDOUT_FILENO, whole = 0;
	int64_t limit;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "t:o:z:m:W", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 't':
			to = optarg;
			break;
		case 'W':
			whole = 1;
			break;
		case 'm':
			maxsize = parse_size(optarg);
			break;
		case 'o':
			opath = optarg;
			break;
		case 'z':
			if (strcmp(optarg, "zstd") == 0) {
				if (bundle_zstd_ok(&e) == -1)
					dx_die_err(&e);
				zip = BUNDLE_ZSTD;
			} else if (strcmp(optarg, "gzip") == 0)
				zip = BUNDLE_GZIP;
			else
				dx_die(DX_USAGE, _("unknown compression '%s'"
				    " (gzip, zstd)"), optarg);
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	if (optind != argc || to == NULL)
		usage(NULL);
	check_agency(to);
	/* before a number is taken: a bundle on a screen is lost */
	if (opath == NULL && isatty(STDOUT_FILENO))
		dx_die(DX_USAGE, _("a bundle is not written to a terminal:"
		    " give -o FILE or -o DIR/, or redirect standard output"));
	limit = part_limit();	/* a bad part size: refused before any work */
	memset(&o, 0, sizeof(o));
	o.db = open_db(0);
	small_cache(o.db);
	if (actor_may_configure(o.db, &e) == -1 ||
	    db_office(o.db, &off, &e) == -1 ||
	    caldb_load(o.db, &cal, &e) == -1)
		dx_die_err(&e);
	if (!peer_key(o.db, to, pub))
		dx_die(DX_NOPERM,
		    _("'%s' is not in the trust list: dossier-bundle"
		    " trust add it first"), to);
	/* events go up to the office above, or down to one below: never
	 * aside, to an office a mistyped code names */
	if ((rel = relation(o.db, off.agency, to)) == REL_NONE)
		dx_die(DX_NOPERM, _("'%s' is neither above nor below this office"
		    " in its catalog: a bundle goes up to the office above or"
		    " down to one below"), to);
	if (okey_load(o.db, sec, &e) == -1)
		dx_die_err(&e);

	/* the number is taken first: a failed export leaves a gap, harmless */
	if (db_begin(o.db, &e) == -1)
		dx_die_err(&e);
	/*
	 * Past every number recorded to it too: a peer removed and added
	 * again starts from 0, and its numbers must not name two bundles.
	 */
	st = db_prepare(o.db, "UPDATE peers SET bundle_seq = max(bundle_seq,"
	    " coalesce((SELECT max(seq) FROM sent_bundles WHERE peer = ?1),"
	    " 0)) + 1,"
	    /* --whole: the word taken is forgotten, this bundle is the base */
	    " held_seq = CASE WHEN ?2 THEN 0 ELSE held_seq END,"
	    " held_manifest = CASE WHEN ?2 THEN NULL ELSE held_manifest END"
	    " WHERE agency = ?1 RETURNING bundle_seq, acked, ack,"
	    " held_seq, coalesce(held_manifest, '')", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, whole);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		die_db(o.db, rc);
	seq = sqlite3_column_int64(st, 0);
	acked = sqlite3_column_int64(st, 1);
	peer_ack = xstrdup((const char *)sqlite3_column_text(st, 2));
	held = sqlite3_column_int64(st, 3);
	held_manifest = xstrdup((const char *)sqlite3_column_text(st, 4));
	if (whole) {
		/* as if the peer held nothing: after a restore gone wrong */
		acked = 0;	/* and held is 0: forgotten above */
		free(peer_ack);
		peer_ack = xstrdup("{}");
	}
	sqlite3_finalize(st);
	if (db_commit(o.db, &e) == -1)
		dx_die_err(&e);

	if (opath != NULL) {
		int there = stat(opath, &sb) == 0;

		if ((there && S_ISDIR(sb.st_mode)) ||
		    opath[strlen(opath) - 1] == '/')
			path = bundle_file_name(opath, off.agency, to, seq);
		else if (there && !S_ISREG(sb.st_mode)) {
			/* a device or a pipe is written, never renamed over */
			if ((outfd = open(opath, O_WRONLY | O_CLOEXEC)) == -1)
				dx_die(DX_CANTCREAT, "%s: %s", opath,
				    strerror(errno));
		} else
			path = xstrdup(opath);
	}
	if ((o.evfd = dx_tmpfd(&e)) == -1)
		dx_die_err(&e);
	child = rel == REL_CHILD;
	/* down: each dossier's last event carried, out of memory */
	if (child && db_exec(o.db, "CREATE TEMP TABLE carried (dossier TEXT"
	    " PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID", &e) == -1)
		dx_die_err(&e);
	/*
	 * One read transaction: the events and blobs of one moment.  It
	 * writes the temporary table alone, and commits that.
	 */
	if (db_exec(o.db, "BEGIN", &e) == -1)
		dx_die_err(&e);
	ranges = json_array();
	blobs = json_object();
	if (child) {
		/* the base: the bundle the child last said it holds, if ours */
		o.base = sent_bundle(o.db, to, held, held_manifest);
		o.carried = db_prepare(o.db, "INSERT INTO temp.carried"
		    " (dossier, last_id) VALUES (?, ?) ON CONFLICT (dossier)"
		    " DO UPDATE SET last_id = excluded.last_id", 0, &e);
		if (o.carried == NULL)
			dx_die_err(&e);
	}
	gather_events(&o, off.agency, to, child, acked, peer_ack, maxsize,
	    ranges, blobs);
	gather_blobs(&o, blobs);
	json_decref(blobs);
	for (k = 0; k < NTABLES; k++)
		o.tabfd[k] = -1;
	gather_sync(&o, to, child, held_manifest);
	if (child)
		gather_down(&o, off.agency, to);
	else {
		/* the last of this office's events the receiver will hold */
		last = acked;
		json_array_foreach(ranges, ri, rx)
			if (strcmp(json_string_value(json_object_get(rx,
			    "origin")), off.agency) == 0 &&
			    json_integer_value(json_object_get(rx, "last")) >
			    last)
				last = json_integer_value(json_object_get(rx,
				    "last"));
		gather_seals(&o, &off, last);
	}
	cal_format(&cal, (dx_time)time(NULL), t);
	head = json_pack("{s:s,s:i,s:s,s:s,s:s,s:I,s:o,s:o}", "format",
	    BUNDLE_FORMAT, "version", BUNDLE_VERSION, "from", off.agency, "to",
	    to, "created_at", t, "seq", (json_int_t)seq, "ack",
	    ack_json(o.db, off.agency), "ranges", ranges);
	if (head == NULL)
		dx_die(DX_SOFTWARE, "out of memory");

	memset(&pt, 0, sizeof(pt));
	pt.fd = -1;
	prog_start(o.ent, o.nent);
	if (path == NULL)
		rc = bundle_write(outfd, zip, head, o.ent, o.nent, sec, fill,
		    &o, &e);
	else {
		/* a stick pulled out early never holds a complete-looking file */
		pt.path = path;
		pt.limit = limit;
		rc = bundle_write_sink(part_sink, &pt, zip, head, o.ent, o.nent,
		    sec, fill, &o, &e);
	}
	memset(sec, 0, sizeof(sec));
	progress_end(&prog);
	if (rc == 0 && db_exec(o.db, "COMMIT", &e) == -1)
		rc = -1;
	db_rollback(o.db);
	/*
	 * The record and the file's name in one step, as near as a file
	 * system and a database allow: a bundle whose name was not taken is
	 * not recorded; one whose record then failed to commit is a bundle
	 * the child may name and this office does not know, which costs a
	 * bundle of whole dossiers, not an event.
	 */
	if (rc == 0 && child)
		rc = record_sent(&o, to, seq, head, &e);
	if (rc == 0 && path != NULL)
		rc = parts_finish(&pt, &e);
	if (rc == 0 && child)
		rc = db_commit(o.db, &e);
	if (rc == -1) {
		db_rollback(o.db);
		parts_discard(&pt);
		dx_die_err(&e);
	}
	if (path != NULL) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		int dfd;

		for (k = 0; k < NTABLES; k++)
			tables += o.tabfd[k] != -1;
		/* the rename itself must reach the stick */
		if (slash != NULL)
			*slash = '\0';
		dfd = open(slash != NULL ? (*dir ? dir : "/") : ".",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd == -1 || fsync(dfd) == -1)
			dx_die(DX_IOERR, "%s: %s", slash ? dir : ".",
			    strerror(errno));
		close(dfd);
		free(dir);
		put(json_pack("{s:i,s:s,s:s,s:I,s:i,s:i,s:s,s:i}", "v", 1,
		    "from", off.agency, "to", to, "seq", (json_int_t)seq,
		    "events", (int)o.nevents, "blobs", (int)(o.nent - 1 -
		    tables),
		    "file", pt.n > 1 ?
		    pt.final[0] : path, "parts", pt.n));
		parts_discard(&pt);
	}
	json_decref(head);
	close(o.evfd);
	if (outfd != STDOUT_FILENO && close(outfd) == -1)
		dx_die(DX_IOERR, "%s: %s", opath, strerror(errno));
	for (k = 0; k < NTABLES; k++)
		if (o.tabfd[k] != -1)
			close(o.tabfd[k]);
	free(o.ent);
	free(path);
	free(peer_ack);
	free(held_manifest);
	sqlite3_finalize(o.carried);
	cal_free(&cal);
	db_close(o.db);
	return DX_OK;
}

/* ---- verify, list ------------------------------------------------------- */

struct keysrc {
	const char *hex;		/* --key */
	struct db *db;			/* or the trust list */
	int need;			/* verify: a key is required */
};

static int
key_for(void *arg, const struct bundle_manifest *m,
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	struct keysrc *k = arg;

	if (k->hex != NULL) {
		parse_key(k->hex, pub);
		return 1;
	}
	if (k->db == NULL)
		return 0;
	if (peer_key(k->db, m->from, pub))
		return 1;
	/* list shows what it cannot check; verify refuses it */
	if (!k->need)
		return 0;
	return dx_seterr(e, DX_NOPERM, _("bundle from '%s', which is not"
	    " in the trust list"), m->from);
}

static int
open_bundle(const char *path)
{
	struct stat sb;
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		dx_die(errno == ENOENT ? DX_NOINPUT : DX_IOERR, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode))
		dx_die(DX_USAGE, _("%s: a folder, not a bundle file"), path);
	return fd;
}

/*
 * The part number and count of a part's name, "....NNNofMMM": 1, else 0.
 * *baselen receives the length of the name before ".NNNofMMM".
 */
static int
part_name(const char *path, int *k, int *n, size_t *baselen)
{
	size_t len = strlen(path);
	const char *p;
	int i;

	if (len < 9)
		return 0;
	p = path + len - 9;
	if (p[0] != '.' || p[4] != 'o' || p[5] != 'f')
		return 0;
	for (i = 1; i < 9; i++)
		if (i != 4 && i != 5 && (p[i] < '0' || p[i] > '9'))
			return 0;
	*k = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	*n = (p[6] - '0') * 100 + (p[7] - '0') * 10 + (p[8] - '0');
	*baselen = len - 9;
	return *k >= 1 && *n >= 2 && *k <= *n;
}

/*
 * Open the bundle `path`, or every part of the bundle whose part `path`
 * is, in order: the descriptors in fds (at most PART_MAX), their count.
 */
static size_t
open_parts(const char *path, int *fds)
{
	struct dx_buf b;
	size_t baselen;
	int k, n, i;

	if (!part_name(path, &k, &n, &baselen)) {
		fds[0] = open_bundle(path);
		return 1;
	}
	for (i = 1; i <= n; i++) {
		buf_init(&b);
		buf_printf(&b, "%.*s.%03dof%03d", (int)baselen, path, i, n);
		if ((fds[i - 1] = open(b.buf, O_RDONLY | O_CLOEXEC)) == -1)
			dx_die(errno == ENOENT ? DX_NOINPUT : DX_IOERR,
			    _("%s: incomplete bundle: part %d of %d: %s"), path,
			    i, n, strerror(errno));
		buf_free(&b);
	}
	return (size_t)n;
}

static void
close_parts(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fds[i] != STDIN_FILENO)
			close(fds[i]);
}

static int
cmd_read(int argc, char **argv, int verify)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	/* the file's own hash is an import's record only */
	const struct bundle_ops ops = { key_for, NULL, 0 };
	struct bundle_manifest m;
	struct keysrc k;
	struct dx_err e;
	int64_t total = 0;
	int fds[PART_MAX];
	size_t i, nfd;
	int ch;

	memset(&k, 0, sizeof(k));
	k.need = verify;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			k.hex = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	if (optind != argc - 1)
		usage(NULL);
	if (k.hex != NULL) {
		unsigned char pub[ED25519_PUB_LEN];

		parse_key(k.hex, pub);
	} else if (db_path(dbopt) != NULL)
		k.db = open_db(DB_RDONLY);
	else if (verify)
		dx_die(DX_USAGE,
		    _("verify needs the sender's key: --key HEX, or"
		    " -d FILE for the trust list of an office"));
	nfd = open_parts(argv[optind], fds);
	if (bundle_read_parts(fds, nfd, argv[optind], &ops, &k, &m, &e) == -1)
		dx_die_err(&e);
	for (i = 0; i < m.nent; i++)
		total += m.ent[i].size;
	if (verify) {
		put(json_pack("{s:i,s:s,s:s,s:I,s:I,s:I,s:b}", "v", 1, "from",
		    m.from, "to", m.to, "seq", (json_int_t)m.seq, "members",
		    (json_int_t)m.nent, "bytes", (json_int_t)total, "signed",
		    m.signed_ok));
	} else {
		json_t *h = json_pack("{s:i,s:s,s:s,s:I,s:O,s:O,s:O,s:I,s:I,"
		    "s:s}", "v", 1, "from", m.from, "to", m.to, "seq",
		    (json_int_t)m.seq, "created_at",
		    json_object_get(m.json, "created_at"), "ack",
		    json_object_get(m.json, "ack"), "ranges",
		    json_object_get(m.json, "ranges"), "members",
		    (json_int_t)m.nent, "bytes", (json_int_t)total,
		    "signature", m.signed_ok ? "good" : "unchecked");

		put(h);
		for (i = 0; i < m.nent; i++) {
			char hex[2 * SHA256_LEN + 1];

			hex_encode(m.ent[i].sha256, SHA256_LEN, hex);
			put(json_pack("{s:i,s:s,s:I,s:s}", "v", 1, "name",
			    m.ent[i].name, "size", (json_int_t)m.ent[i].size,
			    "sha256", hex));
		}
	}
	bundle_manifest_free(&m);
	close_parts(fds, nfd);
	db_close(k.db);
	return DX_OK;
}

static int
cmd_verify(int argc, char **argv)
{
	return cmd_read(argc, argv, 1);
}

static int
cmd_list(int argc, char **argv)
{
	return cmd_read(argc, argv, 0);
}


/* ---- conflicts ---------------------------------------------------------- */

/*
 * The events kept in conflicts: imported for a dossier that their origin
 * did not own, never applied.
 */
static int
cmd_conflicts(int argc, char **argv)
{
	struct calendar cal;
	struct dx_err e;
	struct db *db;
	sqlite3_stmt *st;
	char t[40];
	int rc;

	if (argc != 1)
		usage(NULL);
	db = open_db(DB_RDONLY);
	if (caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	st = db_prepare(db, "SELECT c.origin, c.seq, c.dossier, d.code,"
	    " c.action, c.owner, c.reason, c.sender, c.bundle_seq, c.at"
	    " FROM conflicts c LEFT JOIN dossiers d ON d.uuid = c.dossier"
	    " ORDER BY c.id", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *c = json_object();
		int k;
		static const char *const names[] = { "origin", "seq",
			"dossier", "code", "action", "owner", "reason",
			"sender", "bundle_seq" };

		json_object_set_new(c, "v", json_integer(1));
		for (k = 0; k < 9; k++) {
			json_t *v;

			if (sqlite3_column_type(st, k) == SQLITE_NULL)
				v = json_null();
			else if (sqlite3_column_type(st, k) == SQLITE_INTEGER)
				v = json_integer(sqlite3_column_int64(st, k));
			else
				v = json_string((const char *)
				    sqlite3_column_text(st, k));
			json_object_set_new(c, names[k], v);
		}
		cal_format(&cal, sqlite3_column_int64(st, 9), t);
		json_object_set_new(c, "imported_at", json_string(t));
		put(c);
	}
	sqlite3_finalize(st);
	cal_free(&cal);
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	db_close(db);
	return DX_OK;
}

/* ---- import ------------------------------------------------------------- */

/*
 * Members are staged in one unlinked temporary file while the bundle is
 * checked; nothing is applied before bundle_read() has checked them all.
 */
struct stage {
	FILE *fp;
	off_t *off;			/* where member i starts */
	size_t n;
};

static int
stage_data(void *arg, size_t i, const void *p, size_t n, struct dx_err *e)
{
	struct stage *sg = arg;

	if (i >= sg->n) {
		sg->off = xreallocarray(sg->off, i + 1, sizeof(*sg->off));
		sg->n = i + 1;
		if (fseeko(sg->fp, 0, SEEK_END) == -1)
			return dx_seterr(e, DX_IOERR, _("staging: %s"),
			    strerror(errno));
		sg->off[i] = ftello(sg->fp);
	}
	if (n > 0 && fwrite(p, 1, n, sg->fp) != n)
		return dx_seterr(e, DX_IOERR,
		    _("staging: %s"), strerror(errno));
	return 0;
}

/* What a bundle's sync.jsonl says: a bundle named by seq and manifest. */
struct sync_ref {
	int64_t seq;			/* 0: none */
	char manifest[2 * SHA256_LEN + 1];
};

struct imp {
	struct db *db;
	const char *self;
	const char *from;
	int64_t bundle_seq;
	int utc_offset;			/* this office's, for project_apply() */
	int gaps;			/* others' chains may have gaps */
	json_t *states;			/* uuid -> state of dossiers touched */
	json_t *fresh;			/* uuid -> true: new here */
	long events, events_new, dossiers_new, blobs_new, conflicts;
	sqlite3_stmt *evs, *held, *next, *ins, *conf;
	sqlite3_stmt *changed;		/* events_prepare_changed() */
	sqlite3_stmt *below;		/* an origin in the sender's subtree */
	json_t *relayed;		/* origin -> true: checked below it */
	json_t *named;			/* sha256 -> true: blobs new events name */
	int rel;			/* relation() of the sender */
	sqlite3_stmt *row_ins, *row_upd;	/* write_row()'s, prepared once */
	struct search_put sp;		/* search_first, prepared once */
	struct search_batch sb;		/* the new dossiers' index entries */
	struct search_seen seen;	/* first words put in search_first */
	struct blob_writer bw;		/* the blobs' statements and zlib */
	struct dx_buf blob;		/* a blob read back from staging */
	struct dx_buf scratch;
	struct dx_buf appl;
	int take_down;			/* apply catalog, calendar, hours */
	int later;			/* later than any taken from it */
	int dry;			/* import --dry-run */
	int unheld;			/* refused: its base is not held */
	char manifest[2 * SHA256_LEN + 1];	/* the bundle's name */
	struct sync_ref base, held_by;	/* what its sync.jsonl says */
	char login[64];			/* names the events of a recount */
	long catalog_new, calendar_days, calendar_hours, recounted;
	long seals_new;
};

/*
 * Apply member i, catalog.jsonl, calendar.jsonl or hours.jsonl, from the
 * staging file, inside the import's transaction.
 */
static int
apply_table(struct imp *im, struct stage *sg, const struct bundle_entry *be,
    size_t i, struct dx_err *e)
{
	struct catalog_stats cs;
	struct jsonl_reader r;
	char *buf;
	FILE *fp;
	long n, recounted;
	int rc;

	/* the size was bounded by BUNDLE_MAX_TABLE when the manifest was read */
	buf = xmalloc((size_t)be->size + 1);
	if (fseeko(sg->fp, sg->off[i], SEEK_SET) == -1 ||
	    fread(buf, 1, (size_t)be->size, sg->fp) != (size_t)be->size) {
		free(buf);
		return dx_seterr(e, DX_IOERR, _("staging: short read"));
	}
	buf[be->size] = '\n';	/* a blank line: no empty stream */
	if ((fp = fmemopen(buf, (size_t)be->size + 1, "r")) == NULL) {
		free(buf);
		return dx_seterr(e, DX_SOFTWARE, "%s: %s", be->name,
		    strerror(errno));
	}
	jsonl_init(&r, fp, be->name);
	if (strcmp(be->name, "catalog.jsonl") == 0) {
		rc = catalog_apply(im->db, &r, CATALOG_NO_STAFF, &dx_warn_report,
		    &cs, e);
		im->catalog_new = cs.added + cs.changed;
	} else if (strcmp(be->name, "calendar.jsonl") == 0) {
		n = calchange_apply(im->db, &r, -1, &dx_warn_report, im->login,
		    &recounted, e);
		rc = n == -1 ? -1 : 0;
		im->calendar_days = n == -1 ? 0 : n;
		im->recounted += recounted;
	} else {
		n = calchange_hours_apply(im->db, &r, &dx_warn_report,
		    im->login, &recounted, e);
		rc = n == -1 ? -1 : 0;
		im->calendar_hours = n == -1 ? 0 : n;
		im->recounted += recounted;
	}
	jsonl_free(&r);
	fclose(fp);
	free(buf);
	return rc;
}

/* The state of dossier `uuid` from the events held (a new object if none). */
static json_t *
state_of(struct imp *im, const char *uuid, struct dx_err *e)
{
	json_t *st, *payload;
	int rc;

	if ((st = json_object_get(im->states, uuid)) != NULL)
		return st;
	st = json_object();
	sqlite3_bind_text(im->evs, 1, uuid, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(im->evs)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(im->evs,
		    1);

		payload = text == NULL ? NULL : jsonl_parse(text,
		    (size_t)sqlite3_column_bytes(im->evs, 1), 0, NULL);
		if (project_apply(st, (const char *)sqlite3_column_text(im->evs,
		    0), payload, im->utc_offset, e) == -1) {
			json_decref(payload);
			sqlite3_reset(im->evs);
			json_decref(st);
			return NULL;
		}
		json_decref(payload);
	}
	sqlite3_reset(im->evs);
	if (rc != SQLITE_DONE) {
		json_decref(st);
		db_seterr(im->db, rc, e, im->db->path);
		return NULL;
	}
	json_object_set_new(im->states, uuid, st);
	return st;
}

/*
 * The hash held for event (origin, seq) of the statement `st` (events,
 * then conflicts) into h: 1, or 0 if none is held; -1 with e set.
 */
static int
held_hash(struct imp *im, sqlite3_stmt *st, const char *origin, int64_t seq,
    unsigned char h[SHA256_LEN], struct dx_err *e)
{
	int rc, found = 0;

	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == SHA256_LEN) {
		memcpy(h, sqlite3_column_blob(st, 0), SHA256_LEN);
		found = 1;
	} else if (rc == SQLITE_ROW)
		memset(h, 0xff, SHA256_LEN);	/* damaged: matches none */
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(im->db, rc, e, im->db->path);
	return rc == SQLITE_ROW ? 1 : found;
}

/*
 * Check event ev (its hash computed from its content and the previous
 * hash it carries) against the chain of its origin as held: the event
 * before it, and the one after it, where they are held.  A gap is taken
 * only from a bundle of a parent office, which sends a child only the
 * events that concern it.
 */
static int
check_links(struct imp *im, const struct event *ev, struct dx_err *e)
{
	static const unsigned char zero[SHA256_LEN];
	unsigned char h[SHA256_LEN];
	int r;

	if (ev->seq == 1) {
		if (memcmp(ev->prev_hash, zero, SHA256_LEN) != 0)
			return dx_seterr(e, DX_DATAERR,
			    _("event %s/1: the first"
			    " event of a chain has a previous hash"),
			    ev->origin);
	} else if ((r = held_hash(im, im->held, ev->origin, ev->seq - 1, h,
	    e)) == -1)
		return -1;
	else if (r == 1 && memcmp(h, ev->prev_hash, SHA256_LEN) != 0)
		return dx_seterr(e, DX_DATAERR,
		    _("event %s/%lld does not extend"
		    " the chain held: the previous hash is not event %lld's"),
		    ev->origin, (long long)ev->seq, (long long)ev->seq - 1);
	else if (r == 0 && !im->gaps)
		return dx_seterr(e, DX_DATAERR,
		    _("event %s/%lld does not extend"
		    " the chain held: event %lld is missing"), ev->origin,
		    (long long)ev->seq, (long long)ev->seq - 1);
	if ((r = held_hash(im, im->next, ev->origin, ev->seq + 1, h, e)) == -1)
		return -1;
	if (r == 1 && memcmp(h, ev->hash, SHA256_LEN) != 0)
		return dx_seterr(e, DX_DATAERR, _("event %s/%lld: event %lld"
		    " held does not follow it"), ev->origin, (long long)ev->seq,
		    (long long)ev->seq + 1);
	return 0;
}

/*
 * 1 if `origin` is a unit below the sender in this office's catalog (a
 * child office relays the events of those only), 0 if not, -1 with e
 * set.  Each origin is looked up once an import.
 */
static int
in_subtree(struct imp *im, const char *origin, struct dx_err *e)
{
	int rc;

	if (json_object_get(im->relayed, origin) != NULL)
		return 1;
	sqlite3_bind_text(im->below, 1, im->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->below, 2, origin, -1, SQLITE_STATIC);
	rc = sqlite3_step(im->below);
	sqlite3_reset(im->below);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(im->db, rc, e, im->db->path);
	if (rc == SQLITE_DONE)
		return 0;
	json_object_set_new(im->relayed, origin, json_true());
	return 1;
}

/*
 * The times an event may set: the years dossier-new takes (2000 to 2099,
 * local time) and the due times that follow them, with two days' margin
 * for the office's offset from UTC.
 */
#define TIME_MIN 946512000LL		/* 1999-12-30T00:00:00Z */
#define TIME_MAX 7258291200LL		/* 2200-01-03T00:00:00Z */

/*
 * What an event from another office may say of a dossier, besides what its
 * chain and the single-writer rule check: a receive names the dossier of
 * the event, is owned by the office that wrote it, and bears a code of
 * that office's; a later event changes neither the dossier's UUID nor its
 * code, and hands it, if at all, to an agency: so that no office makes or
 * turns a dossier into one in another's name, or takes its codes.  Every
 * time it sets is a whole number of seconds in the range above, or null.
 * 0, or -1 with e set (the bundle is refused).
 */
static int
event_sane(const char *origin, long long seq, const char *dossier,
    const char *action, long long at, const json_t *pj, struct dx_err *e)
{
	const json_t *times, *v;
	const char *key, *s;
	size_t n = strlen(origin);

	if (at < TIME_MIN || at >= TIME_MAX)
		return dx_seterr(e, DX_DATAERR, _("event %s/%lld: its time is"
		    " out of range"), origin, seq);
	if (strcmp(action, "receive") == 0) {
		s = json_string_value(json_object_get(pj, "uuid"));
		if (s == NULL || strcmp(s, dossier) != 0)
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: a"
			    " receive of dossier %s that names another"),
			    origin, seq, dossier);
		s = json_string_value(json_object_get(pj, "owner"));
		if (s == NULL || strcmp(s, origin) != 0)
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: a"
			    " receive by %s of a dossier it does not own"),
			    origin, seq, origin);
		s = json_string_value(json_object_get(pj, "code"));
		if (s == NULL || strncmp(s, origin, n) != 0 || s[n] != '-')
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: a"
			    " receive by %s of a dossier under another"
			    " office's code"), origin, seq, origin);
		times = pj;
	} else {
		times = json_object_get(pj, "after");
		if (json_object_get(times, "uuid") != NULL ||
		    json_object_get(times, "code") != NULL)
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: %s"
			    " changes the dossier's UUID or code"), origin,
			    seq, action);
		v = json_object_get(times, "owner");
		if (v != NULL && (!json_is_string(v) ||
		    !agency_valid(json_string_value(v))))
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: %s"
			    " hands the dossier to no agency"), origin, seq,
			    action);
	}
	json_object_foreach((json_t *)times, key, v) {
		size_t k = strlen(key);

		if (k > 3 && strcmp(key + k - 3, "_at") == 0 &&
		    !json_is_null(v) && (!json_is_integer(v) ||
		    json_integer_value(v) < TIME_MIN ||
		    json_integer_value(v) >= TIME_MAX))
			return dx_seterr(e, DX_DATAERR, _("event %s/%lld: %s is"
			    " out of range"), origin, seq, key);
	}
	return 0;
}

/*
 * One event line: already held (the same hash), or an event whose hash
 * matches its content and whose chain links hold, stored and applied;
 * or, for a dossier owned by another office than its origin, kept in
 * conflicts and not applied.
 */
static int
import_event(struct imp *im, const char *line, size_t len, long lineno,
    struct dx_err *e)
{
	static const char *const fields[] = { "origin", "seq", "dossier",
		"action", "actor", "at", "payload", "prev_hash", "hash", NULL };
	unsigned char hash[SHA256_LEN], h[SHA256_LEN];
	const char *origin, *dossier, *action, *actor, *payload, *owner;
	const char *hx, *px;
	long long seq, at;
	struct event ev;
	json_error_t je;
	json_t *j, *st, *pj = NULL;
	int r, ret = -1;

	if ((j = jsonl_parse(line, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return dx_seterr(e, DX_DATAERR, "%s:%ld: %s", "events.jsonl",
		    lineno, je.text);
	if (jx_only(j, fields, "event", e) == -1 ||
	    jx_str(j, "origin", 1, &origin, e) == -1 ||
	    jx_int(j, "seq", 1, &seq, e) == -1 ||
	    jx_str(j, "dossier", 1, &dossier, e) == -1 ||
	    jx_str(j, "action", 1, &action, e) == -1 ||
	    jx_str(j, "actor", 1, &actor, e) == -1 ||
	    jx_int(j, "at", 1, &at, e) == -1 ||
	    jx_str(j, "payload", 1, &payload, e) == -1 ||
	    jx_str(j, "prev_hash", 1, &px, e) == -1 ||
	    jx_str(j, "hash", 1, &hx, e) == -1)
		goto bad;
	if (!agency_valid(origin) || seq < 1 || strlen(hx) != 64 ||
	    strlen(px) != 64 || hex_decode(hx, hash, SHA256_LEN) == -1 ||
	    hex_decode(px, ev.prev_hash, SHA256_LEN) == -1) {
		dx_seterr(e, DX_DATAERR, _("a bad origin, seq or hash"));
		goto bad;
	}
	im->events++;
	/* held already: it must be the very same event */
	if ((r = held_hash(im, im->held, origin, seq, h, e)) == -1)
		goto out;
	if (r == 1) {
		if (memcmp(h, hash, SHA256_LEN) != 0) {
			dx_seterr(e, DX_DATAERR, _("event %s/%lld differs from"
			    " the one held"), origin, seq);
			goto bad;
		}
		ret = 0;
		goto out;
	}
	if (strcmp(origin, im->self) == 0) {
		dx_seterr(e, DX_DATAERR, _("event %s/%lld: an event of this"
		    " office that it does not hold"), origin, seq);
		goto bad;
	}
	/* a child office relays only what its own child offices wrote */
	if (!im->gaps && strcmp(origin, im->from) != 0 &&
	    (r = in_subtree(im, origin, e)) != 1) {
		if (r == 0)
			dx_seterr(e, DX_DATAERR, _("event %s/%lld: office %s"
			    " is not below %s, which sent it, in this office's"
			    " catalog"), origin, seq, origin, im->from);
		goto bad;
	}
	ev.origin = origin;
	ev.seq = seq;
	ev.dossier = dossier;
	ev.action = action;
	ev.actor = actor;
	ev.at = (dx_time)at;
	ev.payload = payload;
	if (event_hash(&ev, &im->scratch) == -1) {
		dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
		goto out;
	}
	if (memcmp(ev.hash, hash, SHA256_LEN) != 0) {
		dx_seterr(e, DX_DATAERR, _("event %s/%lld: the hash does not"
		    " match its content"), origin, seq);
		goto bad;
	}
	if (check_links(im, &ev, e) == -1)
		goto bad;
	if ((pj = jsonl_parse(payload, strlen(payload), 0, &je)) == NULL) {
		dx_seterr(e, DX_DATAERR, _("event %s/%lld: a bad payload"),
		    origin, seq);
		goto bad;
	}
	blobs_named(pj, im->named);
	if (event_sane(origin, seq, dossier, action, at, pj, e) == -1)
		goto bad;
	/* a dossier received elsewhere: the rules of dossier-new's */
	if (strcmp(action, "receive") == 0 &&
	    applicant_check(pj, &im->appl, e) == -1) {
		dx_prefix(e, "event %s/%lld", origin, seq);
		goto bad;
	}
	/* the dossier as it was before this event */
	if ((st = state_of(im, dossier, e)) == NULL)
		goto bad;
	owner = json_string_value(json_object_get(st, "owner"));
	if (owner != NULL && strcmp(owner, origin) != 0) {
		/* the single-writer rule: kept and reported, not applied */
		sqlite3_bind_text(im->conf, 1, origin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(im->conf, 2, seq);
		sqlite3_bind_text(im->conf, 3, dossier, -1, SQLITE_STATIC);
		sqlite3_bind_text(im->conf, 4, line, (int)len, SQLITE_STATIC);
		sqlite3_bind_text(im->conf, 5, owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(im->conf, 6, (sqlite3_int64)time(NULL));
		sqlite3_bind_text(im->conf, 7, im->from, -1, SQLITE_STATIC);
		sqlite3_bind_int64(im->conf, 8, im->bundle_seq);
		sqlite3_bind_text(im->conf, 9, action, -1, SQLITE_STATIC);
		sqlite3_bind_blob(im->conf, 10, ev.prev_hash, SHA256_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_blob(im->conf, 11, ev.hash, SHA256_LEN,
		    SQLITE_STATIC);
		if (db_step_done(im->db, im->conf, e) == -1)
			goto out;
		im->conflicts++;
		ret = 0;
		goto out;
	}
	event_bind(im->ins, 0, &ev);
	if (db_step_done(im->db, im->ins, e) == -1 ||
	    event_changed(im->db, im->changed, &ev, e) == -1)
		goto out;
	im->events_new++;
	if (json_object_size(st) == 0 && strcmp(action, "receive") == 0)
		json_object_set_new(im->fresh, dossier, json_true());
	if (project_apply(st, action, pj, im->utc_offset, e) == -1)
		goto bad;
	ret = 0;
	goto out;
bad:
	dx_prefix(e, "events.jsonl:%ld", lineno);
out:
	json_decref(pj);
	json_decref(j);
	return ret;
}

/* Write the row of a dossier touched by the import from its state. */
static int
write_row(struct imp *im, const char *uuid, json_t *st, struct dx_err *e)
{
	struct dx_buf sql, terms, folded;
	sqlite3_stmt *q, **slot;
	const json_t *a;
	int64_t id;
	size_t i;
	int k, ku = 0, fresh, rc;

	fresh = json_object_get(im->fresh, uuid) != NULL;
	slot = fresh ? &im->row_ins : &im->row_upd;
	if (*slot != NULL)
		goto bind;
	buf_init(&sql);
	/* a constant list of column names, not data */
	if (fresh) {
		buf_adds(&sql, "INSERT INTO dossiers (procedure_id");
		for (i = 0; project_columns[i] != NULL; i++)
			if (strncmp(project_columns[i], "procedure", 9) != 0)
				buf_printf(&sql, ", %s", project_columns[i]);
		buf_adds(&sql, ", changed_at) VALUES ((SELECT id FROM"
		    " procedures WHERE code = ?1 AND version = ?2)");
		for (i = 0, k = 3; project_columns[i] != NULL; i++)
			if (strncmp(project_columns[i], "procedure", 9) != 0) {
				if (strcmp(project_columns[i], "uuid") == 0)
					ku = k;
				buf_printf(&sql, ", ?%d", k++);
			}
		/* the row comes after its events, which set changed_at */
		buf_printf(&sql, ", " EVENTS_CHANGED_AT_SQL("?%d") ")", ku);
	} else {
		buf_adds(&sql, "UPDATE dossiers SET procedure_id = (SELECT id"
		    " FROM procedures WHERE code = ?1 AND version = ?2)");
		for (i = 0, k = 3; project_columns[i] != NULL; i++)
			if (strncmp(project_columns[i], "procedure", 9) != 0)
				buf_printf(&sql, ", %s = ?%d",
				    project_columns[i], k++);
		buf_printf(&sql, " WHERE uuid = ?%d", k);
	}
	*slot = db_prepare(im->db, sql.buf, 0, e);
	buf_free(&sql);
	if (*slot == NULL)
		return -1;
bind:
	q = *slot;
	sqlite3_bind_text(q, 1, json_string_value(json_object_get(st,
	    "procedure")), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, json_integer_value(json_object_get(st,
	    "procedure_version")));
	for (i = 0, k = 3; project_columns[i] != NULL; i++) {
		json_t *v;

		if (strncmp(project_columns[i], "procedure", 9) == 0)
			continue;
		v = json_object_get(st, project_columns[i]);
		if (v == NULL || json_is_null(v))
			sqlite3_bind_null(q, k);
		else if (json_is_integer(v))
			sqlite3_bind_int64(q, k, json_integer_value(v));
		else if (json_is_real(v))
			sqlite3_bind_double(q, k, json_real_value(v));
		else if (json_is_string(v))
			sqlite3_bind_text(q, k, json_string_value(v), -1,
			    SQLITE_STATIC);
		else {
			char *t = xjson_dumps(v, JSON_COMPACT);

			sqlite3_bind_text(q, k, t ? t : "null", -1,
			    SQLITE_TRANSIENT);
			free(t);
		}
		k++;
	}
	if (!fresh)
		sqlite3_bind_text(q, k, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_CONSTRAINT_NOTNULL || rc == SQLITE_CONSTRAINT)
		return dx_seterr(e, DX_DATAERR, _("dossier %s: procedure '%s'"
		    " version %lld is not in this office's catalog, or the row"
		    " is refused: %s"), uuid, json_string_value(
		    json_object_get(st, "procedure")),
		    (long long)json_integer_value(json_object_get(st,
		    "procedure_version")), sqlite3_errmsg(im->db->h));
	if (rc != SQLITE_DONE)
		return db_seterr(im->db, rc, e, im->db->path);
	if (!fresh)
		return 0;
	im->dossiers_new++;
	id = sqlite3_last_insert_rowid(im->db->h);
	a = json_object_get(st, "applicant");
	buf_init(&terms);
	buf_init(&folded);
	fold_name(json_string_value(json_object_get(a, "name")), &folded);
	search_terms(folded.buf, &terms);
	/* held back and inserted SEARCH_BATCH at a time (search.h) */
	rc = 0;
	if (search_batch_add(&im->sb, id, terms.buf,
	    json_string_value(json_object_get(a, "id_number")),
	    json_string_value(json_object_get(a, "phone"))) >= SEARCH_BATCH)
		rc = search_batch_flush(im->db, &im->sb, e);
	if (rc == 0)
		rc = search_first_put(im->db, &im->sp, &im->seen, terms.buf, e);
	buf_free(&terms);
	buf_free(&folded);
	return rc;
}

/*
 * Take the sender's seals of member i, seals.jsonl, once the bundle's
 * events are applied: each must verify with the key trusted for the
 * sender and match the chain held, or nothing is imported.
 */
static int
take_seals(struct imp *im, struct stage *sg, const struct bundle_entry *be,
    size_t i, struct dx_err *e)
{
	unsigned char pub[ED25519_PUB_LEN];
	char *line = NULL;
	size_t cap = 0;
	int64_t left = be->size;
	long lineno = 0;
	ssize_t n;
	int r = 0;

	if (!peer_key(im->db, im->from, pub))
		return dx_seterr(e, DX_NOPERM,
		    _("bundle from '%s', which is not"
		    " in the trust list"), im->from);
	if (fseeko(sg->fp, sg->off[i], SEEK_SET) == -1)
		return dx_seterr(e, DX_IOERR,
		    _("staging: %s"), strerror(errno));
	while (left > 0 && (n = getline(&line, &cap, sg->fp)) > 0) {
		if (n > left)
			n = (ssize_t)left;
		left -= n;
		lineno++;
		if ((r = seal_take(im->db, im->from, pub, line, (size_t)n,
		    e)) == -1) {
			dx_prefix(e, "seals.jsonl:%ld", lineno);
			break;
		}
		im->seals_new += r;
	}
	free(line);
	return r == -1 ? -1 : 0;
}

/*
 * A row of bundles_in that names another bundle than the one whose file
 * and manifest SHA-256 are `sha` and `man`: by the manifest (the same
 * bundle compressed again has other bytes), or, for a row taken before
 * the manifest was recorded, by the file.
 */
#define OTHER_BUNDLE_SQL(sha, man) "(manifest <> " man " OR (manifest IS" \
    " NULL AND sha256 <> " sha "))"

/* The lower-case hex SHA-256 of bundle m's manifest.json, into hex. */
static void
manifest_hex(const struct bundle_manifest *m, char hex[2 * SHA256_LEN + 1])
{
	unsigned char md[SHA256_LEN];

	if (sha256(m->bytes, m->len, md) == -1)
		dx_die(DX_SOFTWARE, "sha256 failed");
	hex_encode(md, SHA256_LEN, hex);
}

/* When the sender says it wrote bundle m, in seconds; 0 if unreadable. */
static int64_t
created_at(const struct imp *im, const struct bundle_manifest *m)
{
	struct calendar c;
	dx_time t;

	memset(&c, 0, sizeof(c));
	c.utc_offset = im->utc_offset;	/* the manifest's has its own */
	if (cal_parse(&c, json_string_value(json_object_get(m->json,
	    "created_at")), &t) == -1)
		return 0;
	return t;
}


/* ref `key` of sync.jsonl's object `l` into *r: 0, or -1 with e set. */
static int
sync_ref(const json_t *l, const char *key, struct sync_ref *r,
    struct dx_err *e)
{
	static const char *const f[] = { "seq", "manifest", NULL };
	unsigned char md[SHA256_LEN];
	json_t *x = json_object_get(l, key), *seq;
	const char *hex;

	r->seq = 0;
	r->manifest[0] = '\0';
	if (x == NULL)
		return 0;
	seq = json_object_get(x, "seq");
	hex = json_string_value(json_object_get(x, "manifest"));
	if (!json_is_object(x) || jx_only(x, f, key, NULL) == -1 ||
	    !json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    hex == NULL || strlen(hex) != 2 * SHA256_LEN ||
	    hex_decode(hex, md, SHA256_LEN) == -1)
		return dx_seterr(e, DX_DATAERR, _("sync.jsonl: '%s' must be"
		    " {\"seq\":N,\"manifest\":\"<64 hex>\"}"), key);
	r->seq = json_integer_value(seq);
	hex_encode(md, SHA256_LEN, r->manifest);	/* lower case */
	return 0;
}

/*
 * The bundle's sync.jsonl, if it has one: its "base" and "held" into
 * *base and *held.  Other keys are for later writers.  0, or -1 with e
 * set.
 */
static int
read_sync(struct stage *sg, const struct bundle_manifest *m,
    struct sync_ref *base, struct sync_ref *held, struct dx_err *e)
{
	json_error_t je;
	json_t *l;
	char *buf;
	size_t i;
	int rc;

	base->seq = held->seq = 0;
	for (i = 0; i < m->nent; i++)
		if (strcmp(m->ent[i].name, "sync.jsonl") == 0)
			break;
	if (i == m->nent)
		return 0;
	/* the size was bounded by BUNDLE_MAX_TABLE when the manifest was read */
	buf = xmalloc((size_t)m->ent[i].size + 1);
	if (fseeko(sg->fp, sg->off[i], SEEK_SET) == -1 ||
	    fread(buf, 1, (size_t)m->ent[i].size, sg->fp) !=
	    (size_t)m->ent[i].size) {
		free(buf);
		return dx_seterr(e, DX_IOERR, _("staging: short read"));
	}
	l = json_loadb(buf, (size_t)m->ent[i].size, JSON_REJECT_DUPLICATES,
	    &je);
	free(buf);
	if (!json_is_object(l)) {
		json_decref(l);
		return dx_seterr(e, DX_DATAERR, _("sync.jsonl:1: not a JSON"
		    " object"));
	}
	rc = sync_ref(l, "base", base, e) == -1 ||
	    sync_ref(l, "held", held, e) == -1 ? -1 : 0;
	json_decref(l);
	return rc;
}

/*
 * The bundles from parents that a dry run of a folder took so far: their
 * base is held for the bundles after them in the same run.
 */
static struct dry_taken {
	char from[32];
	int64_t seq;
	char manifest[2 * SHA256_LEN + 1];
} *dry_taken;
static size_t ndry_taken;

/*
 * A bundle from the parent whose base this office does not hold (it was
 * restored from a backup since it said it did, or the parent took an
 * older word of its) carries only what comes after content this office
 * lacks: it is refused whole, before anything is applied.  The bundle
 * this office sends next names what it holds, and the parent's next
 * bundle is built on that.  0, or -1 with e set.
 */
static int
base_held(struct imp *im, const struct bundle_manifest *m, struct dx_err *e)
{
	const struct sync_ref base = im->base;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if (!im->gaps || base.seq == 0)
		return 0;
	q = db_prepare(im->db, "SELECT 1 FROM bundles_in WHERE sender = ?"
	    " AND bundle_seq = ? AND manifest = ? AND holds = 1", 0, e);
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, im->from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, base.seq);
	sqlite3_bind_text(q, 3, base.manifest, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_seterr(im->db, rc, e, im->db->path);
	for (i = 0; im->dry && i < ndry_taken; i++)
		if (strcmp(dry_taken[i].from, im->from) == 0 &&
		    dry_taken[i].seq == base.seq &&
		    strcmp(dry_taken[i].manifest, base.manifest) == 0)
			return 0;
	im->unheld = 1;
	return dx_seterr(e, DX_DATAERR, _("bundle %lld of '%s' extends its"
	    " bundle %lld, which this office does not hold (restored from a"
	    " backup?): send '%s' a bundle, then take the one it sends"
	    " back, or ask it for one made with export --whole"),
	    (long long)m->seq, im->from, (long long)base.seq, im->from);
}

/*
 * What the bundles between the two offices say of each other (sync.jsonl).
 * From the parent (its base held, base_held()): this office holds what
 * this bundle carried and what every bundle before it on its chain did,
 * recorded with the bundle.  From a child, its latest: the last bundle of
 * ours it holds so, the base of the next bundle down.
 */
static int
take_sync(struct imp *im, const struct bundle_manifest *m, const char *sha,
    struct dx_err *e)
{
	sqlite3_stmt *q;
	int rc;

	/*
	 * A replayed bundle keeps the row of its first import; a later
	 * bundle under a number taken (its sender restored from a backup)
	 * takes the row: the bundle it names is gone with the backup.
	 */
	q = db_prepare(im->db, "INSERT INTO bundles_in (sender,"
	    " bundle_seq, sha256, imported_at, manifest, holds, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (sender, bundle_seq) DO UPDATE SET"
	    " sha256 = excluded.sha256, imported_at = excluded.imported_at,"
	    " manifest = excluded.manifest, holds = excluded.holds,"
	    " created_at = excluded.created_at"
	    " WHERE " OTHER_BUNDLE_SQL("excluded.sha256", "excluded.manifest")
	    " AND (created_at IS NULL OR excluded.created_at >= created_at)",
	    0, e);
	if (q == NULL)
		return -1;
	sqlite3_bind_text(q, 1, im->from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, m->seq);
	sqlite3_bind_text(q, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(q, 5, im->manifest, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, im->gaps);	/* from the parent */
	sqlite3_bind_int64(q, 7, created_at(im, m));
	rc = db_step_done(im->db, q, e);
	sqlite3_finalize(q);
	if (rc == -1 || im->gaps || !im->later)
		return rc;
	q = db_prepare(im->db, "UPDATE peers SET held_seq = ?1,"
	    " held_manifest = nullif(?2, '') WHERE agency = ?3", 0, e);
	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, im->held_by.seq);
	sqlite3_bind_text(q, 2, im->held_by.manifest, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, im->from, -1, SQLITE_STATIC);
	rc = db_step_done(im->db, q, e);
	sqlite3_finalize(q);
	return rc;
}

/*
 * Write the rows of the dossiers touched so far and forget their states:
 * a later event of one of them reads its state back from the events, as
 * for a dossier of an earlier bundle.  Every STATES_MAX dossiers, so that
 * an import's memory does not grow with the bundle.
 */
#define STATES_MAX 1000
static int
write_rows(struct imp *im, struct dx_err *e)
{
	const char *k;
	json_t *v;

	json_object_foreach(im->states, k, v)
		/* a guide event alone leaves no dossier (dossier-new --guide) */
		if (json_object_size(v) > 0 && write_row(im, k, v, e) == -1)
			return -1;
	json_object_clear(im->states);
	json_object_clear(im->fresh);
	return 0;
}

/* The lines of one member read from the staging file, a block at a time. */
struct member_lines {
	FILE *fp;
	int64_t left;			/* bytes of the member not read yet */
	size_t pos, len;		/* what buf holds, not taken yet */
	char buf[64 * 1024];
};

/*
 * The next line of the member, newline included, into b: 1, 0 at its end,
 * -1 when the line passes JSONL_MAXLINE (an event is far smaller: memory
 * stays bounded whatever the member holds), or -2 when the staging file
 * cannot be read (errno set, EIO if it is short).
 */
static int
member_line(struct member_lines *ml, struct dx_buf *b)
{
	const char *nl;
	size_t n;

	buf_reset(b);
	for (;;) {
		if (ml->pos == ml->len) {
			if (ml->left == 0)
				return b->len > 0;
			n = ml->left < (int64_t)sizeof(ml->buf) ?
			    (size_t)ml->left : sizeof(ml->buf);
			if (fread(ml->buf, 1, n, ml->fp) != n) {
				if (!ferror(ml->fp))
					errno = EIO;
				return -2;
			}
			ml->left -= (int64_t)n;
			ml->pos = 0;
			ml->len = n;
		}
		nl = memchr(ml->buf + ml->pos, '\n', ml->len - ml->pos);
		n = nl != NULL ? (size_t)(nl - ml->buf) + 1 - ml->pos :
		    ml->len - ml->pos;
		if (b->len + n > JSONL_MAXLINE)
			return -1;
		buf_add(b, ml->buf + ml->pos, n);
		ml->pos += n;
		if (nl != NULL)
			return 1;
	}
}

static int
apply_bundle(struct imp *im, struct stage *sg,
    const struct bundle_manifest *m, const char *sha, struct dx_err *e)
{
	sqlite3_stmt *q;
	json_t *v;
	size_t i;
	int rc;

	im->evs = db_prepare(im->db, "SELECT action, payload FROM events"
	    " WHERE dossier = ? ORDER BY id", 0, e);
	im->held = db_prepare(im->db, "SELECT hash FROM events"
	    " WHERE origin = ?1 AND seq = ?2 UNION ALL SELECT hash FROM"
	    " conflicts WHERE origin = ?1 AND seq = ?2 LIMIT 1", 0, e);
	im->next = db_prepare(im->db, "SELECT prev_hash FROM events"
	    " WHERE origin = ?1 AND seq = ?2 UNION ALL SELECT prev_hash FROM"
	    " conflicts WHERE origin = ?1 AND seq = ?2 LIMIT 1", 0, e);
	im->ins = events_prepare_rows(im->db, 1, e);
	im->changed = events_prepare_changed(im->db, e);
	im->below = db_prepare(im->db, SUBTREE_SQL " SELECT 1 FROM sub"
	    " WHERE code = ?2 AND code <> ?1", 0, e);
	im->conf = db_prepare(im->db, "INSERT INTO conflicts (origin, seq,"
	    " dossier, event, reason, owner, at, sender, bundle_seq, action,"
	    " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, 'dossier owned by ' ||"
	    " ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", 0, e);
	if (im->evs == NULL || im->held == NULL || im->next == NULL ||
	    im->ins == NULL || im->conf == NULL || im->below == NULL ||
	    im->changed == NULL ||
	    read_sync(sg, m, &im->base, &im->held_by, e) == -1 ||
	    base_held(im, m, e) == -1)
		return -1;
	/* the catalog first: the dossiers the events bring name it */
	for (i = 0; i < m->nent && im->take_down; i++)
		if (strcmp(m->ent[i].name, "catalog.jsonl") == 0 &&
		    apply_table(im, sg, &m->ent[i], i, e) == -1)
			return -1;
	for (i = 0; i < m->nent; i++) {
		int64_t left = m->ent[i].size;
		long lineno = 0;
		int r;

		if (fseeko(sg->fp, sg->off[i], SEEK_SET) == -1)
			return dx_seterr(e, DX_IOERR, _("staging: %s"),
			    strerror(errno));
		if (strcmp(m->ent[i].name, "events.jsonl") == 0) {
			struct member_lines *ml = xmalloc(sizeof(*ml));
			struct dx_buf line;

			ml->fp = sg->fp;
			ml->left = left;
			ml->pos = ml->len = 0;
			buf_init(&line);
			while ((r = member_line(ml, &line)) == 1) {
				lineno++;
				if (import_event(im, line.buf, line.len, lineno,
				    e) == -1 || (json_object_size(im->states) >=
				    STATES_MAX && write_rows(im, e) == -1)) {
					buf_free(&line);
					free(ml);
					return -1;
				}
			}
			buf_free(&line);
			free(ml);
			if (r == -1)
				return dx_seterr(e, DX_DATAERR, _("events.jsonl:"
				    "%ld: a line longer than %d bytes"),
				    lineno + 1, JSONL_MAXLINE);
			if (r == -2)
				return dx_seterr(e, DX_IOERR, _("staging: %s"),
				    strerror(errno));
			continue;
		}
		if (strncmp(m->ent[i].name, "blobs/", 6) == 0) {
			char hex[65];

			/* one the new events name, or held already: no
			 * bundle stores what nothing refers to */
			if (json_object_get(im->named, m->ent[i].name + 6) ==
			    NULL) {
				if ((rc = blob_have(im->db, &im->bw,
				    m->ent[i].name + 6, e)) == -1)
					return -1;
				if (rc == 0)
					return dx_seterr(e, DX_DATAERR,
					    _("%s: an attachment that no event"
					    " of the bundle names"),
					    m->ent[i].name);
				continue;
			}

			/* one buffer for every blob, as large as the largest */
			buf_reset(&im->blob);
			buf_grow(&im->blob, (size_t)m->ent[i].size);
			if (fread(im->blob.buf, 1, (size_t)m->ent[i].size,
			    sg->fp) != (size_t)m->ent[i].size)
				return dx_seterr(e, DX_IOERR, _("staging: short"
				    " read"));
			/* its SHA-256 checked against the manifest's */
			if ((rc = blob_write(im->db, &im->bw, im->blob.buf,
			    (size_t)m->ent[i].size, m->ent[i].sha256, hex,
			    e)) == -1)
				return -1;
			im->blobs_new += rc;
		}
	}
	/* the sender's seals, against its chain as this bundle extends it */
	for (i = 0; i < m->nent; i++)
		if (strcmp(m->ent[i].name, "seals.jsonl") == 0 &&
		    take_seals(im, sg, &m->ent[i], i, e) == -1)
			return -1;
	if (write_rows(im, e) == -1 ||
	    search_batch_flush(im->db, &im->sb, e) == -1)
		return -1;
	/* the calendar last: it recounts the rows just written */
	for (i = 0; i < m->nent && im->take_down; i++)
		if ((strcmp(m->ent[i].name, "calendar.jsonl") == 0 ||
		    strcmp(m->ent[i].name, "hours.jsonl") == 0) &&
		    apply_table(im, sg, &m->ent[i], i, e) == -1)
			return -1;
	/*
	 * What the sender acknowledges of this office's events, and, from
	 * its latest bundle, of every origin: what a child office holds.
	 */
	v = json_object_get(json_object_get(m->json, "ack"), im->self);
	q = db_prepare(im->db, "UPDATE peers SET acked = max(acked, ?1),"
	    " ack = CASE WHEN ?2 THEN ?3 ELSE ack END WHERE agency = ?4", 0, e);
	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, json_is_integer(v) ? json_integer_value(v) :
	    0);
	sqlite3_bind_int(q, 2, im->later);
	{
		char *t = json_dumps(json_object_get(m->json, "ack"),
		    JSON_COMPACT);

		sqlite3_bind_text(q, 3, t != NULL ? t : "{}", -1,
		    SQLITE_TRANSIENT);
		free(t);
	}
	sqlite3_bind_text(q, 4, im->from, -1, SQLITE_STATIC);
	rc = db_step_done(im->db, q, e);
	sqlite3_finalize(q);
	if (rc == -1)
		return -1;
	return take_sync(im, m, sha, e);
}

/* The key of the sender, which must be trusted; the bundle must be ours. */
static int
key_import(void *arg, const struct bundle_manifest *m,
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	struct imp *im = arg;

	if (strcmp(m->from, im->self) == 0)
		return dx_seterr(e, DX_DATAERR, _("a bundle this office wrote"
		    " for '%s', not one for it"), m->to);
	if (!peer_key(im->db, m->from, pub))
		return dx_seterr(e, DX_NOPERM,
		    _("bundle from '%s', which is not in the trust list:"
		    " dossier-bundle trust add it first"), m->from);
	/* the catalog, the calendar and the looser checks of a parent's
	 * bundles are for the office above, not one aside */
	if ((im->rel = relation(im->db, im->self, m->from)) == REL_NONE)
		return dx_seterr(e, DX_NOPERM, _("bundle from '%s', which is"
		    " neither above nor below this office in its catalog"),
		    m->from);
	return 1;
}

static int
key_then_stage(void *arg, const struct bundle_manifest *m,
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e);
static int
stage_cb(void *arg, size_t i, const void *p, size_t n, struct dx_err *e);

struct impctx {
	struct imp *im;
	struct stage *sg;
};

static int
key_then_stage(void *arg, const struct bundle_manifest *m,
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	size_t i;

	for (prog.total = 0, i = 0; i < m->nent; i++)
		prog.total += m->ent[i].size;
	return key_import(((struct impctx *)arg)->im, m, pub, e);
}

static int
stage_cb(void *arg, size_t i, const void *p, size_t n, struct dx_err *e)
{
	prog_bytes += (int64_t)n;
	progress_set(&prog, (int64_t)i + 1, prog_bytes);
	return stage_data(((struct impctx *)arg)->sg, i, p, n, e);
}

/*
 * 1 if bundle m (whose file's SHA-256 is `sha`, its manifest's
 * im->manifest) is later than every
 * bundle taken from its sender: only such a bundle brings a catalog and
 * calendar (an older one carries older ones) and says what the sender
 * holds now.  So is one whose number was taken before by another bundle
 * written no later: its sender was restored from a backup and numbers
 * again from there (the bundle it wrote before, taken again, is not).
 */
static int
later_bundle(struct imp *im, const struct bundle_manifest *m,
    const char *sha)
{
	struct dx_err e;
	sqlite3_stmt *st;
	int rc, later;

	st = db_prepare(im->db, "SELECT ?2 > coalesce(max(bundle_seq), 0) OR"
	    " EXISTS (SELECT 1 FROM bundles_in WHERE sender = ?1"
	    " AND bundle_seq = ?2 AND " OTHER_BUNDLE_SQL("?3", "?5")
	    " AND (created_at IS NULL OR created_at <= ?4))"
	    " FROM bundles_in WHERE sender = ?1", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, m->from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->seq);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, created_at(im, m));
	sqlite3_bind_text(st, 5, im->manifest, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		die_db(im->db, rc);
	later = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return later;
}

/*
 * Run `sql` on bundles_in with ?1 = `from` and ?2 = `seq`: 1 when it
 * yields a row, its first column (a new string) in *col unless col is
 * NULL, else 0.  Dies on a database error.
 */
static int
bundle_row(struct db *db, const char *sql, const char *from, int64_t seq,
    char **col)
{
	struct dx_err e;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, 0, &e)) == NULL)
		dx_die_err(&e);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die_db(db, rc);
	if (rc == SQLITE_ROW && col != NULL)
		*col = xstrdup(sqlite3_column_text(st, 0) != NULL ?
		    (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

/*
 * 1 when a bundle from `from` numbered past `seq` has been taken: a later
 * bundle carries everything the receiver had not acknowledged, and was
 * built on a bundle this office held, so an earlier one built on a
 * bundle it no longer holds has nothing more to give.
 */
static int
taken_since(struct db *db, const char *from, int64_t seq)
{
	return bundle_row(db, "SELECT 1 FROM bundles_in WHERE sender = ?"
	    " AND bundle_seq > ? LIMIT 1", from, seq, NULL);
}

/*
 * Import one bundle file (or "-"); dies on a bundle that fails, but for
 * one whose base this office does not hold: skipped (DX_OK) when a later
 * bundle from its sender was taken since, else, in a folder (`in_dir`),
 * said, skipped and left for later (DX_DATAERR).
 */
static int
import_file(const char *name, int dry, int in_dir)
{
	const struct bundle_ops ops = { key_then_stage, stage_cb, 1 };
	struct bundle_manifest m;
	struct office off;
	struct impctx ctx;
	struct stage sg;
	struct imp im;
	struct txn tx;
	struct dx_err e;
	char sha[2 * SHA256_LEN + 1];
	int fds[PART_MAX];
	size_t i, nfd;
	int fd, rc;
	json_t *sum;
	char *line;

	memset(&im, 0, sizeof(im));
	memset(&sg, 0, sizeof(sg));
	im.db = open_db(0);
	small_cache(im.db);
	/*
	 * Each row's statement journals the pages it changes, in case it
	 * must be undone alone: in memory, not in a temporary file (an
	 * import that fails rolls back whole anyway).
	 */
	if (db_exec(im.db, "PRAGMA temp_store = MEMORY", &e) == -1)
		dx_die_err(&e);
	if (actor_may_configure(im.db, &e) == -1 ||
	    db_office(im.db, &off, &e) == -1)
		dx_die_err(&e);
	im.self = off.agency;
	im.utc_offset = off.utc_offset;
	if ((fd = dx_tmpfd(&e)) == -1 || (sg.fp = fdopen(fd, "w+")) == NULL)
		dx_die(DX_IOERR, _("staging: %s"), strerror(errno));
	nfd = open_parts(name, fds);
	ctx.im = &im;
	ctx.sg = &sg;
	prog_start(NULL, 0);
	rc = bundle_read_parts(fds, nfd, strcmp(name, "-") == 0 ? "stdin" :
	    name, &ops, &ctx, &m, &e);
	progress_end(&prog);
	if (rc == -1)
		dx_die_err(&e);
	close_parts(fds, nfd);
	if (strcmp(m.to, off.agency) != 0)
		dx_die(DX_DATAERR,
		    _("%s: a bundle for '%s', not for this office"),
		    name, m.to);
	if (sg.n < m.nent)	/* members of no bytes still get an offset */
		for (i = sg.n; i < m.nent; i++)
			stage_data(&sg, i, NULL, 0, &e);
	if (fflush(sg.fp) == EOF)
		dx_die(DX_IOERR, _("staging: %s"), strerror(errno));
	im.from = m.from;
	im.bundle_seq = m.seq;
	im.states = json_object();
	im.fresh = json_object();
	im.relayed = json_object();
	im.named = json_object();
	buf_init(&im.scratch);
	buf_init(&im.appl);
	buf_init(&im.blob);
	hex_encode(m.sha256, SHA256_LEN, sha);

	/* everything in one write transaction; the summary after COMMIT */
	if (txn_open(&tx, im.db, NULL, 1, &e) == -1)
		dx_die_err(&e);
	txn_single(&tx, dry);
	if (txn_begin(&tx, &e) == -1)
		dx_die_err(&e);
	manifest_hex(&m, im.manifest);
	im.later = later_bundle(&im, &m, sha);
	/* a child office sends every event it writes, its chain whole */
	im.gaps = im.rel != REL_CHILD;
	/* the catalog and calendar travel down only */
	im.take_down = im.later && im.gaps;
	if (im.take_down)
		actor_login(im.db, im.login, sizeof(im.login));
	im.dry = dry;
	if (apply_bundle(&im, &sg, &m, sha, &e) == -1) {
		txn_fail(&tx);
		if (im.unheld && taken_since(im.db, m.from, m.seq)) {
			/* what it carried came again in the later one */
			txn_close(&tx);
			put(json_pack("{s:i,s:s,s:s,s:I,s:s}", "v", 1, "file",
			    name, "from", m.from, "seq", (json_int_t)m.seq,
			    "skipped", "a later bundle from it was taken"));
			rc = DX_OK;
			goto done;
		}
		dx_prefix(&e, "%s: nothing imported", name);
		if (!im.unheld || !in_dir)
			dx_die_err(&e);
		dx_warn("%s", e.msg);
		txn_close(&tx);
		put(json_pack("{s:i,s:s,s:s}", "v", 1, "file", name, "skipped",
		    "built on a bundle this office does not hold"));
		rc = DX_DATAERR;
		goto done;
	}
	sum = json_pack("{s:i,s:s,s:s,s:I,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,"
	    "s:i,s:i,s:b}", "v", 1, "file", name, "from", m.from, "seq",
	    (json_int_t)m.seq, "events", (int)im.events, "events_new",
	    (int)im.events_new, "dossiers_new", (int)im.dossiers_new,
	    "blobs_new", (int)im.blobs_new, "conflicts", (int)im.conflicts,
	    "catalog_new", (int)im.catalog_new, "calendar_days",
	    (int)im.calendar_days, "calendar_hours", (int)im.calendar_hours,
	    "recounted", (int)im.recounted,
	    "seals_new", (int)im.seals_new, "dry_run", dry);
	if (sum == NULL || (line = xjson_dumps(sum, JSON_COMPACT)) == NULL)
		dx_die(DX_SOFTWARE, "out of memory");
	json_decref(sum);
	if (txn_write(&tx, line, strlen(line), &e) == -1 ||
	    txn_write(&tx, "\n", 1, &e) == -1) {
		txn_fail(&tx);
		dx_prefix(&e, "%s: nothing imported", name);
		dx_die_err(&e);
	}
	free(line);
	txn_count(&tx);
	if (txn_commit(&tx, &e) == -1) {
		/* a failed COMMIT stored nothing; after it, only the summary
		 * failed to reach stdout */
		if (tx.open || dry) {
			txn_fail(&tx);
			dx_prefix(&e, "%s: nothing imported", name);
		} else
			dx_prefix(&e, _("%s: imported, but its summary was not"
			    " printed"), name);
		dx_die_err(&e);
	}
	txn_close(&tx);
	if (im.conflicts > 0 && dry)
		dx_warn(_("%s: %ld event%s not applied: would be kept, see"
		    " dossier-bundle conflicts"), name, im.conflicts,
		    im.conflicts > 1 ? "s" : "");
	else if (im.conflicts > 0)
		dx_warn(_("%s: %ld event%s not applied: kept, see"
		    " dossier-bundle conflicts"), name, im.conflicts,
		    im.conflicts > 1 ? "s" : "");
	rc = im.conflicts > 0 ? DX_PARTIAL : DX_OK;
	if (dry && im.gaps) {
		/* the bundles after it in this run may be built on it */
		dry_taken = xreallocarray(dry_taken, ndry_taken + 1,
		    sizeof(*dry_taken));
		snprintf(dry_taken[ndry_taken].from,
		    sizeof(dry_taken[ndry_taken].from), "%s", m.from);
		dry_taken[ndry_taken].seq = m.seq;
		memcpy(dry_taken[ndry_taken].manifest, im.manifest,
		    sizeof(im.manifest));
		ndry_taken++;
	}
done:
	sqlite3_finalize(im.evs);
	sqlite3_finalize(im.held);
	sqlite3_finalize(im.next);
	sqlite3_finalize(im.ins);
	sqlite3_finalize(im.changed);
	sqlite3_finalize(im.conf);
	sqlite3_finalize(im.below);
	sqlite3_finalize(im.row_ins);
	sqlite3_finalize(im.row_upd);
	search_put_free(&im.sp);
	search_batch_free(&im.sb);
	search_seen_free(&im.seen);
	blob_writer_free(&im.bw);
	buf_free(&im.blob);
	buf_free(&im.scratch);
	buf_free(&im.appl);
	json_decref(im.states);
	json_decref(im.fresh);
	json_decref(im.relayed);
	json_decref(im.named);
	bundle_manifest_free(&m);
	fclose(sg.fp);
	free(sg.off);
	db_close(im.db);
	return rc;
}


/* A bundle file name of folder import: FROM_TO_SEQ.bundle. */
struct found {
	char *path;
	char from[32];
	long long seq;
};

static int
found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->from, y->from);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* bundle_read()'s key: the manifest's SHA-256 into arg, then stop. */
static int
key_peek(void *arg, const struct bundle_manifest *m,
    unsigned char pub[ED25519_PUB_LEN], struct dx_err *e)
{
	manifest_hex(m, arg);
	/* stops the read; never shown */
	return dx_seterr(e, DX_SOFTWARE, "manifest read");
}

/*
 * Already imported: bundles_in holds (from, seq) for the bundle in file
 * `path` (the same manifest; for a bundle taken before the manifest was
 * recorded, the number alone).  Another bundle under a number taken, of a
 * sender restored from a backup, is not.
 */
static int
imported(const char *from, long long seq, const char *path)
{
	const struct bundle_ops ops = { key_peek, NULL, 0 };
	struct bundle_manifest m;
	struct dx_err e;
	struct db *db = open_db(DB_RDONLY);
	char *had = NULL, hex[2 * SHA256_LEN + 1] = "";
	int fds[PART_MAX];
	size_t nfd;
	int got;

	got = bundle_row(db, "SELECT coalesce(manifest, '') FROM bundles_in"
	    " WHERE sender = ? AND bundle_seq = ?", from, seq, &had);
	db_close(db);
	if (got && *had != '\0') {
		nfd = open_parts(path, fds);
		memset(&m, 0, sizeof(m));
		bundle_read_parts(fds, nfd, path, &ops, hex, &m, &e);
		bundle_manifest_free(&m);
		close_parts(fds, nfd);
		got = strcmp(had, hex) == 0;
	}
	free(had);
	return got;
}

/*
 * Every bundle of folder `dir` addressed to this office, by sender and
 * sequence number, each in its own transaction; stops at the first that
 * fails.
 */
static int
import_dir(const char *dir, int dry)
{
	struct found *f = NULL;
	struct office off;
	struct dx_err e;
	struct dirent *de;
	struct stat sb;
	struct db *db;
	size_t n = 0, i;
	DIR *d;
	int rc = DX_OK, r;

	db = open_db(DB_RDONLY);
	if (db_office(db, &off, &e) == -1)
		dx_die_err(&e);
	db_close(db);
	if ((d = opendir(dir)) == NULL)
		dx_die(DX_NOINPUT, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		const char *s = de->d_name, *u1, *u2, *dot;
		size_t pl;
		int pk, pn;
		char to[32], num[16];
		long long seq;
		const char *errstr;
		struct dx_buf b;
		int tmp;

		if ((u1 = strchr(s, '_')) == NULL ||
		    (u2 = strchr(u1 + 1, '_')) == NULL ||
		    (dot = strchr(u2, '.')) == NULL ||
		    strncmp(dot, ".bundle", 7) != 0)
			continue;
		/* an export stopped before its rename: FROM_TO_SEQ.bundle.tmp */
		tmp = strlen(dot) > 4 &&
		    strcmp(dot + strlen(dot) - 4, ".tmp") == 0;
		if (!tmp && ((strcmp(dot, ".bundle") != 0 &&
		    /* a bundle in parts: its first part stands for it */
		    !(strncmp(dot, ".bundle.001of", 13) == 0 &&
		    part_name(dot, &pk, &pn, &pl))) || u1 - s >= 32 ||
		    u2 - u1 - 1 >= 32 || dot - u2 - 1 >= 16))
			continue;
		buf_init(&b);
		buf_printf(&b, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", s);
		if (tmp) {
			put(json_pack("{s:i,s:s,s:s}", "v", 1, "file", b.buf,
			    "skipped", "an export that did not finish: make"
			    " it again"));
			buf_free(&b);
			continue;
		}
		snprintf(to, sizeof(to), "%.*s", (int)(u2 - u1 - 1), u1 + 1);
		snprintf(num, sizeof(num), "%.*s", (int)(dot - u2 - 1), u2 + 1);
		/* a pipe or a device would block or never end */
		if (stat(b.buf, &sb) == -1 || !S_ISREG(sb.st_mode)) {
			put(json_pack("{s:i,s:s,s:s}", "v", 1, "file", b.buf,
			    "skipped", "not a regular file"));
			buf_free(&b);
			continue;
		}
		if (parse_int(num, 1, INT64_MAX, &seq, &errstr) == -1 ||
		    strcmp(to, off.agency) != 0) {
			put(json_pack("{s:i,s:s,s:s}", "v", 1, "file", b.buf,
			    "skipped", "not addressed to this office"));
			buf_free(&b);
			continue;
		}
		f = xreallocarray(f, n + 1, sizeof(*f));
		f[n].path = b.buf;
		snprintf(f[n].from, sizeof(f[n].from), "%.*s", (int)(u1 - s),
		    s);
		f[n].seq = seq;
		n++;
	}
	closedir(d);
	if (n == 0)
		dx_warn(_("%s: no bundle for this office"), dir);
	if (n > 1)
		qsort(f, n, sizeof(*f), found_cmp);
	for (i = 0; i < n; i++) {
		if (imported(f[i].from, f[i].seq, f[i].path))
			put(json_pack("{s:i,s:s,s:s}", "v", 1, "file",
			    f[i].path, "skipped", "imported before"));
		else if ((r = import_file(f[i].path, dry, 1)) != DX_OK &&
		    (rc == DX_OK || rc == DX_PARTIAL))
			rc = r;	/* a skipped bundle outweighs conflicts */
		free(f[i].path);
	}
	free(f);
	free(dry_taken);
	dry_taken = NULL;
	ndry_taken = 0;
	return rc;
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct stat sb;
	int ch, dry = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			dry = 1;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	if (optind != argc - 1)
		usage(NULL);
	if (strcmp(argv[optind], "-") != 0 && stat(argv[optind], &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		return import_dir(argv[optind], dry);
	return import_file(argv[optind], dry, 0);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const struct cli_cmd cmds[] = {
		{ "key", cmd_key },
		{ "trust", cmd_trust },
		{ "export", cmd_export },
		{ "import", cmd_import },
		{ "verify", cmd_verify },
		{ "list", cmd_list },
		{ "conflicts", cmd_conflicts },
		{ NULL, NULL }
	};
	int ch;

	dx_setprogname(argv[0]);
	/* "+": stop at the subcommand, whose options are its own */
	while ((ch = getopt_long(argc, argv, "+d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(NULL);
	if (crypto_init() == -1)
		dx_die(DX_SOFTWARE, "out of memory");
	dx_exit(cli_run(&cli, cmds, argc, argv));
}
