/*
 * dossier-new: receive dossiers.  Reads applications as JSON lines (one
 * at the counter, or a batch of millions from a script), validates each
 * against the catalog, issues its code, UUID and due time, stores it with
 * its `receive` event, and writes one dossier record per line.  At the
 * counter it also records the two other outcomes of a paper application:
 * a refusal at receipt (--refuse, a dossier in status 3), and guidance
 * to complete an incomplete one (--guide, an event and no dossier).
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "applicant.h"
#include "common.h"
#include "events.h"
#include "forms.h"
#include "record.h"
#include "search.h"
#include "txn.h"
#include "uuid.h"

#define MAX_DOCS 200

/*
 * The writer stores new dossiers HOLD at a time: one statement inserts
 * HOLD rows into each table, so what a statement costs once (its start
 * and end) is paid once per HOLD records.  The items stay in the reader's ring until then.
 */
#define HOLD 64

struct dayseq {
	char day[8];		/* YYMMDD */
	long last;
	int dirty;
};

static struct {
	struct db *db;
	struct calendar cal;		/* the reader's: its year cache changes */
	struct calendar fmtcal;		/* the writer's, for printing times */
	struct office office;
	struct actor actor;
	struct recbuilder rb;
	struct chain chain;
	struct uuidgen ug;
	struct procedure *procs;
	size_t nprocs;
	struct unitinfo *units;
	size_t nunits;
	struct dayseq *days;
	size_t ndays, capdays;
	sqlite3_stmt *find_ref, *find_uuid, *put, *seq_get, *seq_put;
	sqlite3_stmt *max_id;	/* the largest dossier id */
	sqlite3_stmt *put_rows;	/* HOLD dossiers at once */
	sqlite3_stmt *ev_one, *ev_rows;	/* one and HOLD receive events */
	struct search_batch sb;	/* their index entries, held back */
	struct search_seen seen;	/* first words in search_first */
	struct txn tx;		/* the write transaction and its spool */
	struct dx_buf out;	/* scratch, reused */
	FILE *rejects;
	enum form_format slipfmt;
	enum form_kind slipkind;	/* 01, or 02 (--guide), 03 (--refuse) */
	struct form_writer *slips;
	json_t *slipinfo;
	struct rec_book book;	/* the slips' lines in the register book */
	long batch;		/* records per transaction */
	long accepted, existing, rejected;
	int64_t maxfile;
	struct attach_dir att;	/* where documents[].file are read from */
	dx_time now;		/* when the run started */
	dx_time earliest;	/* received_at before it: admins only, or 0 */
	struct search_put search;	/* the search index's inserts */
	int accept, atomic, dryrun, slip;
	int guide;		/* --guide: guidance, no dossier */
	int bulk;		/* --bulk: the database alone, db_bulk() */
	const char *refuse;	/* --refuse: the reason, or NULL */
	sqlite3_stmt *guided;	/* a guide event of a UUID */
	sqlite3_stmt *guided_ref;	/* one of a ref at a time */
	int portal;		/* --input-format portal (portal.h) */
	const char *actor_payload;	/* NULL, or the OS user behind --as */
	struct progress prog;	/* on a terminal: records done, time left */
	int64_t handled;	/* lines taken from the reader */
	size_t held;		/* items taken from the ring, not given back */
	struct item *pend[HOLD];	/* of which stored by the next flush() */
	size_t npend;
	const char *pend_ref[2 * HOLD], *pend_uuid[2 * HOLD];	/* theirs */
} g;

static const struct cli cli = {
	"usage: dossier-new [-Aan] [-d dbfile] [-b count] [-r file]"
	" [-s text|html]\n"
	"                   [--as login] [--attachments dir] [--bulk]"
	" [--max-file-size bytes]\n"
	"                   [--input-format json|portal]"
	" [--guide | --refuse reason]\n"
	"                   [file ...]\n"
	"       dossier-new --help | --version\n",
	"  -A, --atomic             all or nothing: store the input only if no"
	" record is rejected\n"
	"  -a, --accept             accept online submissions at once\n"
	"  -b, --batch COUNT        commit every COUNT records (default"
	" 10000)\n"
	"  -d, --db FILE            the office database (default:"
	" $DOSSIER_DB)\n"
	"  -n, --dry-run            check and compute everything, store"
	" nothing\n"
	"  -r, --rejects FILE       copy every rejected line to FILE\n"
	"  -s, --slip text|html     write the receipt slips (form 01)"
	" instead of JSON\n"
	"      --as LOGIN           act as the staff member LOGIN (admins)\n"
	"      --attachments DIR    read attached files from DIR (default"
	" .)\n"
	"      --bulk               load faster, with the database alone"
	" until the end\n"
	"      --max-file-size N    the largest attachment, in bytes\n"
	"      --input-format FMT   json (default) or portal: the national"
	" portal's records\n"
	"      --guide              record guidance for incomplete"
	" applications (form 02)\n"
	"      --refuse REASON      refuse applications at receipt, status 3"
	" (form 03)\n"
	"      --help               this text\n"
	"      --version            the version and the database schema"
	" version\n"
};

/* Load the current catalog: procedures with their required documents,
 * and units with their effective remote flag. */
static void
load_catalog(void)
{
	struct dx_err e;

	if ((g.procs = procedures_current(g.db, &g.nprocs, &e)) == NULL ||
	    (g.units = units_load(g.db, &g.nunits, &e)) == NULL)
		dx_die_err(&e);
}

static const struct procedure *
find_proc(const char *code)
{
	return procedures_find(g.procs, g.nprocs, code);
}

static struct unitinfo *
find_unit(const char *code)
{
	return units_find(g.units, g.nunits, code);
}

/*
 * The parameters of a new dossier's row, and their number: its columns
 * but the last two, and whether its UUID came with the input.
 */
#define PUT_NCOLS 16

/*
 * An INSERT of n new dossiers, bound by bind_put().  A UUID made here is
 * new; one that came with the input may be that of guidance already
 * given, whose event sets changed_at (events.h).
 */
static sqlite3_stmt *
prepare_put(int n, struct dx_err *e)
{
	struct dx_buf sql;
	sqlite3_stmt *st;
	int i, k;

	buf_init(&sql);
	buf_adds(&sql, "INSERT INTO dossiers (id, uuid, code, ref, procedure_id,"
	    " unit, owner, channel, status, applicant, documents, note,"
	    " received_at, start_at, due_at, original_due_at, changed_at)"
	    " VALUES ");
	for (i = 0; i < n; i++) {
		buf_adds(&sql, i > 0 ? ", (" : "(");
		for (k = 1; k < PUT_NCOLS; k++)
			buf_printf(&sql, "?%d, ", i * PUT_NCOLS + k);
		/* the original due time is the due time */
		buf_printf(&sql, "?%d, ", i * PUT_NCOLS + PUT_NCOLS - 1);
		buf_printf(&sql, "CASE WHEN ?%d THEN "
		    EVENTS_CHANGED_AT_SQL("?%d") " END)",
		    i * PUT_NCOLS + PUT_NCOLS, i * PUT_NCOLS + 2);
	}
	st = db_prepare(g.db, sql.buf, 1, e);
	buf_free(&sql);
	return st;
}

static void
prepare(void)
{
	struct dx_err e;

	g.find_ref = db_prepare(g.db, "SELECT id FROM dossiers WHERE ref = ?",
	    1, &e);
	g.find_uuid = g.find_ref == NULL ? NULL : db_prepare(g.db,
	    "SELECT id FROM dossiers WHERE uuid = ?", 1, &e);
	g.seq_get = g.find_uuid == NULL ? NULL : db_prepare(g.db,
	    "SELECT last FROM code_seq WHERE day = ?", 1, &e);
	g.seq_put = g.seq_get == NULL ? NULL : db_prepare(g.db,
	    "INSERT INTO code_seq (day, last) VALUES (?, ?) ON CONFLICT (day)"
	    " DO UPDATE SET last = excluded.last", 1, &e);
	g.max_id = g.seq_put == NULL ? NULL : db_prepare(g.db,
	    "SELECT max(id) FROM dossiers", 1, &e);
	g.put_rows = g.max_id == NULL ? NULL : prepare_put(HOLD, &e);
	g.put = g.put_rows == NULL ? NULL : prepare_put(1, &e);
	g.ev_one = g.put == NULL ? NULL : events_prepare_rows(g.db, 1, &e);
	g.ev_rows = g.ev_one == NULL ? NULL : events_prepare_rows(g.db, HOLD,
	    &e);
	g.guided = g.ev_rows == NULL ? NULL : db_prepare(g.db,
	    "SELECT id FROM events WHERE dossier = ? AND action = 'guide'", 1,
	    &e);
	g.guided_ref = g.guided == NULL ? NULL : db_prepare(g.db,
	    "SELECT dossier FROM events WHERE at = ? AND action = 'guide'"
	    " AND json_extract(payload, '$.ref') = ?", 1, &e);
	if (g.guided_ref == NULL)
		dx_die_err(&e);
}

/* ---- validation ------------------------------------------------------ */

/* How many originals, certified copies and copies of a document (form 01). */
static const char *const doc_counts[] = { "original", "certified_copy",
	"copy", NULL };

/* Write the counts document `x` gives, checked by documents_check(). */
static void
counts_write(struct jw *w, const json_t *x)
{
	const json_t *v;
	size_t k;

	for (k = 0; doc_counts[k] != NULL; k++)
		if ((v = json_object_get(x, doc_counts[k])) != NULL &&
		    !json_is_null(v))
			jw_int(w, doc_counts[k], json_integer_value(v));
}

/*
 * Validate the documents handed in against the procedure's required ones.
 * An incomplete dossier names every missing document at once (guide
 * once, fully); with `missing` non-NULL it is not an error, and the
 * missing documents' names are written to `missing` as a JSON array.
 * Without attached files, the canonical list is written to `out`; with
 * files, *files is set and documents_read() writes it once the files are
 * read.  0, or -1 with e set.
 */
static int
documents_check(const json_t *rec, const struct procedure *p, struct dx_buf *out,
    int *files, struct dx_buf *missing_out, struct dx_err *e)
{
	static const char *const keys[] = { "name", "file", "original",
		"certified_copy", "copy", NULL };
	const json_t *a = json_object_get(rec, "documents"), *x;
	struct dx_buf missing;
	struct jw w;
	const char *name, *file;
	char what[32];
	long long q;
	size_t i, j, k, n;

	*files = 0;
	if (a != NULL && !json_is_null(a) && !json_is_array(a))
		return dx_seterr(e, DX_DATAERR, _("field 'documents' must be an"
		    " array"));
	if (json_array_size(a) > MAX_DOCS)
		return dx_seterr(e, DX_DATAERR, _("more than %d documents"),
		    MAX_DOCS);
	json_array_foreach(a, i, x) {
		snprintf(what, sizeof(what), "documents[%zu]", i);
		if (!json_is_object(x))
			return dx_seterr(e, DX_DATAERR,
			    _("%s must be an object"), what);
		if (jx_only(x, keys, NULL, e) == -1 ||
		    jx_str(x, "name", JX_REQ, &name, e) == -1 ||
		    jx_str(x, "file", 0, &file, e) == -1)
			return dx_prefix(e, "%s", what);
		if (text_ok("name", name, 500, e) == -1)
			return dx_prefix(e, "%s", what);
		for (k = 0; doc_counts[k] != NULL; k++) {
			q = 0;
			if (jx_int(x, doc_counts[k], 0, &q, e) == -1)
				return dx_prefix(e, "%s", what);
			if (q < 0 || q > 999)
				return dx_seterr(e, DX_DATAERR,
				    _("%s: field '%s' must be 0 to 999"), what,
				    doc_counts[k]);
		}
		if (file != NULL)
			*files = 1;
	}
	buf_init(&missing);
	if (missing_out != NULL) {
		buf_reset(missing_out);
		buf_add(missing_out, "[", 1);
	}
	for (j = n = 0; j < p->nrequired; j++) {
		json_array_foreach(a, i, x)
			if (strcmp(json_string_value(json_object_get(x, "name")),
			    p->required[j]) == 0)
				break;
		if (i == json_array_size(a)) {
			buf_printf(&missing, "%s'%s'", n ? ", " : "",
			    p->required[j]);
			if (missing_out != NULL) {
				if (n > 0)
					buf_add(missing_out, ",", 1);
				jw_quote(missing_out, p->required[j]);
			}
			n++;
		}
	}
	if (missing_out != NULL) {
		buf_add(missing_out, "]", 1);
		n = 0;
	}
	if (n > 0) {
		dx_seterr(e, DX_DATAERR, _("incomplete dossier: missing"
		    " required document%s %s"), n > 1 ? "s" : "", missing.buf);
		buf_free(&missing);
		return -1;
	}
	buf_free(&missing);
	if (*files)
		return 0;
	buf_reset(out);
	buf_add(out, "[", 1);
	json_array_foreach(a, i, x) {
		if (i > 0)
			buf_add(out, ",", 1);
		jw_open(&w, out);
		jw_str(&w, "name", json_string_value(json_object_get(x,
		    "name")));
		counts_write(&w, x);
		jw_close(&w);
	}
	buf_add(out, "]", 1);
	return 0;
}

/* The files of an application, read by the reader before any lock. */
struct docfiles {
	struct attach_stash stash;
	struct attach_file *f;	/* one per document, of which `files` used */
	size_t cap;
};

/*
 * Read the attached files of checked documents into `df` and write the
 * canonical list, with each file's SHA-256 and size, to `out` (reader
 * thread).  0, or -1 with e set (DX_DATAERR when a file is refused or
 * unreadable: the record's fault).
 */
static int
documents_read(const json_t *rec, struct docfiles *df, struct dx_buf *out,
    struct dx_err *e)
{
	const json_t *a = json_object_get(rec, "documents"), *x;
	struct attach_file *f;
	struct jw w;
	const char *file;
	size_t i;

	attach_stash_reset(&df->stash);
	if (json_array_size(a) > df->cap) {
		df->cap = json_array_size(a);
		df->f = xreallocarray(df->f, df->cap, sizeof(*df->f));
	}
	buf_reset(out);
	buf_add(out, "[", 1);
	json_array_foreach(a, i, x) {
		file = json_string_value(json_object_get(x, "file"));
		if (i > 0)
			buf_add(out, ",", 1);
		jw_open(&w, out);
		jw_str(&w, "name", json_string_value(json_object_get(x,
		    "name")));
		counts_write(&w, x);
		f = &df->f[i];
		f->hex[0] = '\0';
		if (file != NULL) {
			if (attach_read(&g.att, file, g.maxfile, &df->stash, f,
			    e) == -1)
				return dx_prefix(e, "documents[%zu]", i);
			jw_str(&w, "sha256", f->hex);
			jw_int(&w, "size", f->size);
		}
		jw_close(&w);
	}
	buf_add(out, "]", 1);
	return 0;
}

/* Store the files read by documents_read() (writer thread, in a write
 * transaction).  0, or -1 with e set: the database's failure. */
static int
documents_store(const json_t *rec, const struct docfiles *df,
    struct dx_err *e)
{
	size_t i, n = json_array_size(json_object_get(rec, "documents"));

	for (i = 0; i < n; i++)
		if (df->f[i].hex[0] != '\0' &&
		    attach_store(g.db, &df->stash, &df->f[i], e) == -1)
			return -1;
	return 0;
}

/* ---- codes ------------------------------------------------------------ */

/* The next sequence number of day YYMMDD in this transaction. */
static long
next_seq(const char *day, struct dx_err *e)
{
	struct dayseq *d;
	size_t i;
	int rc;

	for (i = 0; i < g.ndays; i++)
		if (strcmp(g.days[i].day, day) == 0)
			break;
	if (i == g.ndays) {
		if (g.ndays == g.capdays) {
			g.capdays = g.capdays ? 2 * g.capdays : 16;
			g.days = xreallocarray(g.days, g.capdays,
			    sizeof(*g.days));
		}
		d = &g.days[g.ndays++];
		snprintf(d->day, sizeof(d->day), "%s", day);
		d->last = 0;
		d->dirty = 0;
		sqlite3_bind_text(g.seq_get, 1, day, -1, SQLITE_STATIC);
		rc = sqlite3_step(g.seq_get);
		if (rc == SQLITE_ROW)
			d->last = sqlite3_column_int64(g.seq_get, 0);
		sqlite3_reset(g.seq_get);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_seterr(g.db, rc, e, g.db->path);
	}
	d = &g.days[i];
	d->dirty = 1;
	return ++d->last;
}

/* Write the day counters back; part of every commit. */
static int
save_seqs(struct dx_err *e)
{
	size_t i;

	for (i = 0; i < g.ndays; i++) {
		if (!g.days[i].dirty)
			continue;
		sqlite3_bind_text(g.seq_put, 1, g.days[i].day, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(g.seq_put, 2, g.days[i].last);
		if (db_step_done(g.db, g.seq_put, e) == -1)
			return -1;
	}
	g.ndays = 0;
	return 0;
}

/* ---- transactions ------------------------------------------------------ */

static void
begin(void)
{
	struct dx_err e;

	if (g.tx.open)
		return;
	if (txn_begin(&g.tx, &e) == -1)
		dx_die_err(&e);
	g.ndays = 0;
}

/* A spooled record rendered as the receipt slip instead of JSON. */
static int
slip_line(const char *line, size_t n, void *arg, struct dx_err *e)
{
	json_t *o, *info;
	long long no;
	int r, year;
	char buf[16];

	if ((o = json_loadb(line, n, 0, NULL)) == NULL)
		return dx_seterr(e, DX_SOFTWARE, "spool file: unreadable"
		    " record");
	/* committed: its line in the register book is known (a dry run
	 * stores nothing, so it has none); a guidance or a refusal has
	 * none */
	info = json_deep_copy(g.slipinfo);
	if (g.slipkind == FORM_SUPPLEMENT) {
		/* form 02 of the guidance record: its time, what to add */
		json_object_set(o, "received_at", json_object_get(o,
		    "guided_at"));
		json_object_set(info, "missing", json_object_get(o,
		    "missing"));
		json_object_set(info, "reason", json_object_get(o, "reason"));
	}
	if (g.slipkind != FORM_RECEIPT)
		json_object_set(info, "date", json_object_get(o,
		    "received_at"));
	r = g.dryrun || g.slipkind != FORM_RECEIPT ? 0 : rec_book_line(g.db,
	    &g.book, json_string_value(json_object_get(o, "code")), &year,
	    &no, e);
	if (r == 1) {
		snprintf(buf, sizeof(buf), "%d", year);
		json_object_set_new(info, "register_book", json_string(buf));
		json_object_set_new(info, "register_no", json_integer(no));
	}
	if (r != -1)
		r = form_write(g.slips, g.slipkind, o, info, &g.fmtcal, e);
	json_decref(info);
	json_decref(o);
	return r;
}

static void fail(struct dx_err *e) __attribute__((noreturn));
struct item;
static void refused(const struct item *it, struct dx_err *e)
    __attribute__((noreturn));
static void flush(void);

/* Commit with the day counters, then print what the transaction held. */
static void
commit(void)
{
	struct dx_err e;

	flush();
	if (!g.tx.open)
		return;
	if (search_batch_flush(g.db, &g.sb, &e) == -1)
		fail(&e);
	if (save_seqs(&e) == -1)
		dx_die_err(&e);
	if (txn_commit(&g.tx, &e) != 0) {
		if (g.tx.open)
			fail(&e);	/* a full disk: say what is lost */
		dx_die_err(&e);		/* stored, but not all printed */
	}
}

/* A database failure in the middle of a transaction: undo it and stop. */
static void
fail(struct dx_err *e)
{
	long lost = txn_fail(&g.tx);

	if (lost > 0)
		dx_warn(_("the last %ld record%s were not stored: run the same"
		    " input again to finish"), lost, lost == 1 ? "" : "s");
	dx_die_err(e);
}

static int
lookup(sqlite3_stmt *st, const char *key, int64_t *id, struct dx_err *e)
{
	int rc;

	if (key == NULL)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(g.db, rc, e, g.db->path);
	return rc == SQLITE_ROW;
}

static void
spool(void)
{
	struct dx_err e;

	buf_add(&g.out, "\n", 1);
	if (txn_write(&g.tx, g.out.buf, g.out.len, &e) == -1)
		fail(&e);
}

/* Spool the record of dossier `id` until its transaction commits. */
static void
emit(int64_t id, int existing)
{
	struct dx_err e;

	buf_reset(&g.out);
	if (rec_dossier_text(&g.rb, id, &g.out, &e) == -1)
		fail(&e);
	if (existing) {
		/* the record is an object: reopen it for one more member */
		g.out.len--;
		buf_adds(&g.out, ",\"existing\":true}");
	}
	spool();
}

/* ---- one application: checked by the reader, stored by the writer ---- */

/*
 * The work is split over two threads: the reader parses and validates
 * each line (everything that needs no database), the writer (the main
 * thread) stores it.  Items pass through a bounded ring, in input order,
 * so memory stays flat and the writer reports rejects in order.
 */
enum item_kind { IT_RECORD, IT_BADLINE, IT_IOERR, IT_END };

struct item {
	enum item_kind kind;
	const char *name;	/* input name, for messages */
	long lineno;
	struct dx_buf raw;	/* the line as read, for --rejects */
	int64_t spill_at, spill_len;	/* or, overlong, where in q.spill */
	json_t *in;		/* the parsed record (owned) */
	int bad;		/* validation failed: err says why */
	struct dx_err err;
	/* what validation found (strings borrowed from `in`) */
	const char *ref, *uuid_in, *note, *channel;
	const char *reason;	/* --guide and --refuse: the form's reason */
	const struct procedure *p;
	struct unitinfo *u;
	int status, y, m, d, files;
	dx_time received, start, due;
	char uuid[UUID_STR_LEN];
	struct dx_buf app, docs;
	struct docfiles df;	/* the attached files, read */
	struct dx_buf terms;	/* the name's terms in the search index */
	struct dx_buf missing;	/* --guide: the documents missing, JSON */
	struct dx_buf pay, rec;	/* event payload and record, without code */
	size_t pay_at, rec_at;	/* where the code goes in them */
	const char *id_number, *phone;
	int64_t pos;		/* bytes of all inputs read up to this line */
	/* what the writer made of it, for flush() */
	char code[64];
	int64_t id;
	struct event ev;	/* the receive event, linked to the chain */
	struct dx_buf payload;	/* its payload */
};

#define RING 256

/*
 * How often, at most, the reader reads the catalog's generation: a
 * record read this long after a catalog import committed is judged by
 * the new catalog.
 */
#define GEN_MS 10

/* A catalog replaced while the run went on: items may still point in it. */
struct oldcat {
	struct procedure *procs;
	size_t nprocs;
	struct unitinfo *units;
	size_t nunits;
};

static struct {
	struct item items[RING];
	size_t head, count;	/* next to take, items waiting */
	pthread_mutex_t mu;
	pthread_cond_t nonempty, nonfull;
	char **inputs;		/* operands, or NULL for stdin */
	int ninputs;
	int64_t pos;		/* bytes read so far (the reader's) */
	/* the reader's own: the catalog as it reads it */
	struct db *rdb;		/* its read-only connection */
	sqlite3_stmt *gen_st;	/* the generation's query */
	int64_t gen;		/* the generation g.procs, g.units are of */
	struct timespec gen_at;	/* when it was last read */
	const char *as;		/* --as, to look the actor up again */
	struct dx_err actor_err;	/* code 0, or why the actor may not */
	struct oldcat *old;	/* catalogs replaced, freed at the end */
	size_t nold;
	int spill;		/* -1, or a file lines too long to read are
				 * copied to, for --rejects */
} q;

/*
 * The actor may receive dossiers: 0, or -1 with e set (DX_NOPERM).
 */
static int
may_receive(const struct actor *a, struct dx_err *e)
{
	if (!(a->roles & (ROLE_RECEPTION | ROLE_ADMIN)))
		return dx_seterr(e, DX_NOPERM, _("user '%s' may not receive"
		    " dossiers: the reception or admin role is needed"),
		    a->login);
	return 0;
}

/*
 * Reader thread, before it checks a record: when a catalog import has
 * committed since the catalog was loaded, load it again, in one read
 * transaction of the reader's own connection, and look the actor up
 * again.  The items already checked keep pointing in the catalog they
 * were checked with, so it stays until the end of the run; the writer
 * reads nothing of it but through its items.  0, or -1 with e set.
 */
static int
catalog_fresh(struct dx_err *e)
{
	struct timespec now;
	struct procedure *procs;
	struct unitinfo *units;
	struct actor a;
	size_t np, nu;
	int64_t gen;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - q.gen_at.tv_sec) * 1000 +
	    (now.tv_nsec - q.gen_at.tv_nsec) / 1000000;
	if (q.rdb == NULL || ms < GEN_MS)
		return 0;
	q.gen_at = now;
	if (catalog_generation(q.rdb, &q.gen_st, &gen, e) == -1)
		return -1;
	if (gen == q.gen)
		return 0;
	if (db_exec(q.rdb, "BEGIN", e) == -1)
		return -1;
	if (catalog_generation(q.rdb, &q.gen_st, &gen, e) == -1 ||
	    (procs = procedures_current(q.rdb, &np, e)) == NULL) {
		db_exec(q.rdb, "ROLLBACK", NULL);
		return -1;
	}
	if ((units = units_load(q.rdb, &nu, e)) == NULL) {
		procedures_free(procs, np);
		db_exec(q.rdb, "ROLLBACK", NULL);
		return -1;
	}
	q.actor_err.code = 0;
	if (actor_get(q.rdb, q.as, &a, &q.actor_err) == 0)
		(void)may_receive(&a, &q.actor_err);
	if (q.actor_err.code != 0 && q.actor_err.code != DX_NOPERM) {
		*e = q.actor_err;
		procedures_free(procs, np);
		units_free(units, nu);
		db_exec(q.rdb, "ROLLBACK", NULL);
		return -1;
	}
	if (db_exec(q.rdb, "COMMIT", e) == -1) {
		procedures_free(procs, np);
		units_free(units, nu);
		return -1;
	}
	q.old = xreallocarray(q.old, q.nold + 1, sizeof(*q.old));
	q.old[q.nold].procs = g.procs;
	q.old[q.nold].nprocs = g.nprocs;
	q.old[q.nold].units = g.units;
	q.old[q.nold].nunits = g.nunits;
	q.nold++;
	g.procs = procs;
	g.nprocs = np;
	g.units = units;
	g.nunits = nu;
	q.gen = gen;
	/* an admin, also acting --as someone, may enter past days */
	if (q.actor_err.code == 0)
		g.earliest = !a.as && !(a.roles & ROLE_ADMIN) ?
		    cal_day_start(&g.cal, cal_local_day(&g.cal, g.now)) : 0;
	return 0;
}

/* The reader's scratch: the applicant's name folded (fold.h). */
static struct dx_buf folded;

/* Validate one parsed application into `it` (reader thread). */
static int
check(struct item *it, struct dx_err *e)
{
	static const char *const keys[] = {
		"v", "ref", "uuid", "procedure", "unit", "channel",
		"received_at", "applicant", "documents", "note", NULL
	};
	const json_t *in = it->in, *a;
	const char *pcode, *ucode, *rtime;
	long long v = 1;
	int cutoff;

	/* first what identifies the record: a rerun finds it even if bad */
	if (jx_str(in, "ref", 0, &it->ref, e) == -1 ||
	    jx_str(in, "uuid", 0, &it->uuid_in, e) == -1)
		return -1;
	if (it->ref != NULL && (*it->ref == '\0' ||
	    text_ok("ref", it->ref, 200, e) == -1)) {
		it->ref = NULL;
		return dx_seterr(e, DX_DATAERR, _("ref: must be 1 to 200"
		    " printable bytes"));
	}
	if (it->uuid_in != NULL && !uuid_valid(it->uuid_in)) {
		dx_seterr(e, DX_DATAERR, _("uuid: '%s' is not a lower-case"
		    " UUID"), it->uuid_in);
		it->uuid_in = NULL;
		return -1;
	}
	if (jx_only(in, keys, NULL, e) == -1 ||
	    jx_int(in, "v", 0, &v, e) == -1 ||
	    jx_str(in, "procedure", JX_REQ, &pcode, e) == -1 ||
	    jx_str(in, "unit", 0, &ucode, e) == -1 ||
	    jx_str(in, "channel", 0, &it->channel, e) == -1 ||
	    jx_str(in, "received_at", 0, &rtime, e) == -1 ||
	    jx_str(in, "note", 0, &it->note, e) == -1)
		return -1;
	if (v != 1)
		return dx_seterr(e, DX_DATAERR, _("unsupported record version"
		    " %lld"), v);
	if (text_ok("note", it->note, 4000, e) == -1)
		return -1;
	if ((it->p = find_proc(pcode)) == NULL)
		return dx_seterr(e, DX_DATAERR, _("unknown procedure '%s'"),
		    pcode);
	if (ucode == NULL)
		ucode = g.office.agency;
	if ((it->u = find_unit(ucode)) == NULL)
		return dx_seterr(e, DX_DATAERR, _("unknown unit '%s'"), ucode);
	if (it->channel == NULL)
		it->channel = "direct";
	if (strcmp(it->channel, "direct") != 0 &&
	    strcmp(it->channel, "online") != 0 &&
	    strcmp(it->channel, "postal") != 0)
		return dx_seterr(e, DX_DATAERR, _("channel: unknown '%s'"
		    " (direct, online, postal)"), it->channel);
	/* an online submission has its own flow from status 1 */
	if ((g.guide || g.refuse != NULL) &&
	    strcmp(it->channel, "online") == 0)
		return dx_seterr(e, DX_DATAERR, g.guide ? _("channel: an online"
		    " submission is not guided at the counter: dossier-route"
		    " request_supplement sends it back") : _("channel: an online"
		    " submission is refused with dossier-route refuse"));
	if (rtime == NULL)
		it->received = g.now;
	else if (cal_parse(&g.cal, rtime, &it->received) == -1)
		return dx_seterr(e, DX_DATAERR, _("received_at: '%s' is not an"
		    " RFC 3339 time"), rtime);
	civil_from_days(cal_local_day(&g.cal, it->received), &it->y, &it->m,
	    &it->d);
	if (it->y < 2000 || it->y > 2099)
		return dx_seterr(e, DX_DATAERR, _("received_at: year %d is out"
		    " of range"), it->y);
	if (it->received > g.now + 3600)
		return dx_seterr(e, DX_DATAERR, _("received_at: '%s' is in the"
		    " future"), rtime);
	/*
	 * The receive event is permanent: only an admin enters an earlier
	 * day (a paper register).  An online submission keeps the time
	 * the portal received it.
	 */
	if (it->received < g.earliest &&
	    strcmp(it->channel, "online") != 0)
		return dx_seterr(e, DX_DATAERR, _("received_at: '%s' is before"
		    " today: only an admin may enter a dossier received on an"
		    " earlier day"), rtime);
	/* a refusal or guidance needs no complete set: it is why */
	if (applicant_check(in, &it->app, e) == -1 ||
	    documents_check(in, it->p, &it->docs, &it->files, g.guide ||
	    g.refuse != NULL ? &it->missing : NULL, e) == -1)
		return -1;
	it->reason = g.refuse;
	if (g.guide) {
		/*
		 * What to supplement, once, fully (Decree 61/2018 Art.
		 * 15(3)): the documents missing, and what the note says to
		 * correct in those handed in.
		 */
		if (strcmp(it->missing.buf, "[]") == 0 && it->note == NULL)
			return dx_seterr(e, DX_DATAERR, _("nothing to guide:"
			    " every required document is there (receive it"
			    " without --guide, or say in 'note' what to"
			    " correct)"));
		it->reason = it->note != NULL ? it->note :
		    "Hồ sơ chưa đủ thành phần theo quy định của thủ tục";
	}
	/* what the search index needs, prepared here off the writer */
	a = json_object_get(in, "applicant");
	buf_reset(&folded);
	fold_name(json_string_value(json_object_get(a, "name")), &folded);
	buf_reset(&it->terms);
	search_terms(folded.buf, &it->terms);
	it->id_number = json_string_value(json_object_get(a, "id_number"));
	it->phone = json_string_value(json_object_get(a, "phone"));

	it->status = strcmp(it->channel, "online") == 0 && !g.accept ?
	    ST_SUBMITTED : ST_ACCEPTED;
	if (g.refuse != NULL)
		it->status = ST_REFUSED;
	else if (g.guide)
		it->status = 0;		/* not received: no dossier */
	it->start = it->due = 0;
	if (it->status == ST_ACCEPTED) {
		/* paper counts from the next day after the cut-off; online
		 * only after office hours */
		cutoff = strcmp(it->channel, "online") == 0 ?
		    CAL_CUTOFF_ONLINE : CAL_CUTOFF_PAPER;
		it->start = cal_budget_start(&g.cal, it->received, cutoff,
		    (enum time_unit)it->p->time_unit);
		if (cal_add(&g.cal, it->start, it->p->amount, it->p->time_unit,
		    &it->due) == -1 || (it->u->remote &&
		    it->p->remote_amount > 0 && cal_add(&g.cal, it->due,
		    it->p->remote_amount, it->p->remote_unit, &it->due) == -1))
			return dx_seterr(e, DX_DATAERR, _("cannot compute the"
			    " due time"));
	}
	if (it->uuid_in != NULL)
		snprintf(it->uuid, sizeof(it->uuid), "%s", it->uuid_in);
	else if (uuid_v7(&g.ug, it->uuid) == -1)
		return dx_seterr(e, DX_SOFTWARE, "no random bytes for a UUID");
	/* last, once the record is known good: the files are the slow part */
	if (it->files && documents_read(in, &it->df, &it->docs, e) == -1)
		return -1;
	return 0;
}

/*
 * --guide: the guide event's payload, what the applicant was told to
 * supplement, and the guidance record, the same with the names of the
 * procedure and unit and the time, to `pay` and `rec`.  No dossier: no
 * code, no status.
 */
static void
guide_texts(const struct item *it, struct dx_buf *pay, struct dx_buf *rec)
{
	const struct procedure *p = it->p;
	const struct unitinfo *u = it->u;
	struct dx_buf *b;
	struct jw w;
	char at[40];
	int k;

	for (k = 0; k < 2; k++) {
		b = k == 0 ? pay : rec;
		buf_reset(b);
		jw_open(&w, b);
		if (k == 1)
			jw_int(&w, "v", 1);
		jw_str(&w, "uuid", it->uuid);
		jw_str(&w, "ref", it->ref);
		jw_str(&w, "procedure", p->code);
		jw_int(&w, "procedure_version", p->version);
		if (k == 1) {
			jw_str(&w, "procedure_name", p->name);
			jw_str(&w, "field", p->field);
		}
		jw_str(&w, "unit", u->code);
		if (k == 1)
			jw_str(&w, "unit_name", u->name);
		jw_str(&w, "channel", it->channel);
		jw_raw(&w, "applicant", it->app.buf);
		jw_raw(&w, "documents", it->docs.buf);
		jw_raw(&w, "missing", it->missing.buf);
		jw_str(&w, "reason", it->reason);
		jw_str(&w, "note", it->note);
		if (k == 1) {
			cal_format(&g.fmtcal, it->received, at);
			jw_str(&w, "guided_at", at);
		} else if (g.actor_payload != NULL)
			jw_str(&w, "os_user", g.actor_payload);
		jw_close(&w);
	}
}

/*
 * Write the receive event's payload (the dossier's whole initial state)
 * to `pay` and the output record to `rec`, with dossier code `code`.
 * The reader calls it with an empty code, the writer splices the code in.
 */
static void
texts(const struct item *it, const char *code, struct dx_buf *pay,
    struct dx_buf *rec)
{
	const struct procedure *p = it->p;
	const struct unitinfo *u = it->u;
	struct rec_fields f;
	struct jw w;

	if (g.guide) {
		guide_texts(it, pay, rec);
		return;
	}
	buf_reset(pay);
	jw_open(&w, pay);
	jw_str(&w, "uuid", it->uuid);
	jw_str(&w, "code", code);
	jw_str(&w, "ref", it->ref);
	jw_str(&w, "procedure", p->code);
	jw_int(&w, "procedure_version", p->version);
	jw_str(&w, "unit", u->code);
	jw_str(&w, "owner", g.office.agency);
	jw_str(&w, "channel", it->channel);
	jw_int(&w, "status", it->status);
	jw_raw(&w, "applicant", it->app.buf);
	jw_raw(&w, "documents", it->docs.buf);
	jw_str(&w, "note", it->note);
	jw_int(&w, "received_at", it->received);
	if (it->status == ST_ACCEPTED) {
		jw_int(&w, "start_at", it->start);
		jw_int(&w, "due_at", it->due);
	} else {
		jw_null(&w, "start_at");
		jw_null(&w, "due_at");
	}
	/* a refusal at receipt: why, as form 03 says it */
	if (it->status == ST_REFUSED)
		jw_str(&w, "reason", it->reason);
	if (g.actor_payload != NULL)
		jw_str(&w, "os_user", g.actor_payload);
	jw_close(&w);

	/* the record, from what is stored (no need to read it back) */
	memset(&f, 0, sizeof(f));
	f.uuid = it->uuid;
	f.code = code;
	f.ref = it->ref;
	f.procedure = p->code;
	f.procedure_version = p->version;
	f.procedure_name = p->name;
	f.field = p->field;
	f.unit = u->code;
	f.unit_name = u->name;
	f.owner = g.office.agency;
	f.channel = it->channel;
	f.status = it->status;
	f.applicant = it->app.buf;
	f.documents = it->docs.buf;
	f.note = it->note;
	f.received_at = it->received;
	f.start_at = it->start;
	f.due_at = it->due;
	f.original_due_at = it->due;
	f.time_amount = p->amount;
	f.time_unit = time_unit_name(p->time_unit);
	f.remote_amount = p->remote_amount > 0 ? p->remote_amount : -1;
	f.remote_unit = time_unit_name(p->remote_unit);
	f.version = 1;
	buf_reset(rec);
	rec_write(rec, &f, &g.fmtcal);
}

/* Where the (empty) code's value begins in a text written by texts(). */
static size_t
code_at(const struct dx_buf *b)
{
	static const char key[] = "\"code\":\"\"";
	const char *p = strstr(b->buf, key);

	return p != NULL ? (size_t)(p - b->buf) + sizeof(key) - 2 : 0;
}

/* dst = src with `code` inserted at offset `at`. */
static void
splice(struct dx_buf *dst, const struct dx_buf *src, size_t at,
    const char *code)
{
	buf_reset(dst);
	buf_add(dst, src->buf, at);
	buf_adds(dst, code);
	buf_add(dst, src->buf + at, src->len - at);
}

static struct item *
slot_free(void)
{
	struct item *it;

	pthread_mutex_lock(&q.mu);
	while (q.count == RING)
		pthread_cond_wait(&q.nonfull, &q.mu);
	it = &q.items[(q.head + q.count) % RING];
	pthread_mutex_unlock(&q.mu);
	return it;
}

static void
slot_push(void)
{
	pthread_mutex_lock(&q.mu);
	q.count++;
	pthread_cond_signal(&q.nonempty);
	pthread_mutex_unlock(&q.mu);
}

/*
 * The next item after the `held` ones taken, or NULL when none came
 * within `ms` (ms < 0: wait).
 */
static struct item *
slot_take(size_t held, long ms)
{
	struct timespec until;
	struct item *it = NULL;

	if (ms >= 0) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += ms % 1000 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&q.mu);
	while (q.count <= held)
		if (ms < 0)
			pthread_cond_wait(&q.nonempty, &q.mu);
		else if (pthread_cond_timedwait(&q.nonempty, &q.mu,
		    &until) != 0 && q.count <= held)
			break;
	if (q.count > held)
		it = &q.items[(q.head + held) % RING];
	pthread_mutex_unlock(&q.mu);
	return it;
}

/* Give the first n items back to the reader. */
static void
slots_done(size_t n)
{
	if (n == 0)
		return;
	pthread_mutex_lock(&q.mu);
	q.head = (q.head + n) % RING;
	q.count -= n;
	pthread_cond_signal(&q.nonfull);
	pthread_mutex_unlock(&q.mu);
}

/* Read one input to its end, pushing items; 0, or -1 on a read error. */
static int
read_input(FILE *fp, const char *name)
{
	struct jsonl_reader r;
	struct item *it;
	json_t *in;
	int rc;

	jsonl_init(&r, fp, name);
	jsonl_spill(&r, q.spill);
	for (;;) {
		it = slot_free();
		json_decref(it->in);
		it->in = NULL;
		it->err.code = 0;
		rc = jsonl_next(&r, &in, &it->err);
		if (rc == 0)
			break;
		q.pos += (int64_t)r.line.len + 1;
		it->pos = q.pos;
		it->name = name;
		it->lineno = r.lineno;
		it->in = NULL;
		it->bad = 0;
		buf_reset(&it->raw);
		buf_add(&it->raw, jsonl_text(&r), r.line.len);
		it->spill_at = r.spill_at;
		it->spill_len = r.spill_len;
		if (rc == -2) {
			it->kind = IT_IOERR;
			slot_push();
			jsonl_free(&r);
			return -1;
		}
		if (rc == -1) {
			it->kind = IT_BADLINE;
		} else {
			it->kind = IT_RECORD;
			if (g.portal) {
				/* the portal's shape, read as an application */
				json_t *app = portal_to_app(in, &g.cal,
				    &it->err);

				json_decref(in);
				if ((in = app) == NULL) {
					it->in = NULL;
					it->ref = it->uuid_in = NULL;
					it->bad = 1;
					slot_push();
					continue;
				}
			}
			it->in = in;
			it->ref = it->uuid_in = NULL;
			if (catalog_fresh(&it->err) == -1) {
				it->kind = IT_IOERR;
				slot_push();
				jsonl_free(&r);
				return -1;
			}
			if (q.actor_err.code != 0) {
				/* what identifies it, for a rerun's lookup */
				it->ref = json_string_value(
				    json_object_get(in, "ref"));
				it->uuid_in = json_string_value(
				    json_object_get(in, "uuid"));
				it->err = q.actor_err;
				it->bad = 1;
			} else if (check(it, &it->err) == -1)
				it->bad = 1;
			else {
				/* the writer only puts the code in */
				texts(it, "", &it->pay, &it->rec);
				it->pay_at = code_at(&it->pay);
				it->rec_at = code_at(&it->rec);
			}
		}
		slot_push();
	}
	jsonl_free(&r);
	return 0;
}

/* The bytes of all inputs, or -1 when one is not a regular file. */
static int64_t
input_size(int argc, char **argv)
{
	struct stat sb;
	int64_t total = 0;
	int i;

	if (argc == 0)
		return fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode) ?
		    (int64_t)sb.st_size : -1;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 ? fstat(STDIN_FILENO, &sb) :
		    stat(argv[i], &sb))
			return -1;
		if (!S_ISREG(sb.st_mode))
			return -1;
		total += (int64_t)sb.st_size;
	}
	return total;
}

static void *
reader(void *arg)
{
	struct dx_err e;
	struct item *it;
	FILE *fp;
	int i;

	(void)arg;
	if (q.ninputs == 0)
		(void)read_input(stdin, "stdin");
	for (i = 0; i < q.ninputs; i++) {
		if (strcmp(q.inputs[i], "-") == 0) {
			if (read_input(stdin, "stdin") == -1)
				return NULL;
			continue;
		}
		if ((fp = dx_fopen_input(q.inputs[i], &e)) == NULL) {
			it = slot_free();
			it->kind = IT_IOERR;
			it->err = e;
			slot_push();
			return NULL;
		}
		if (read_input(fp, q.inputs[i]) == -1) {
			fclose(fp);
			return NULL;
		}
		fclose(fp);
	}
	it = slot_free();
	it->kind = IT_END;
	slot_push();
	return NULL;
}

/* A line too long to read, copied whole to the rejects file. */
static void
copy_spilled(const struct item *it)
{
	char chunk[65536];
	int64_t at = it->spill_at, left = it->spill_len;
	ssize_t n;

	while (left > 0) {
		n = pread(q.spill, chunk, left < (int64_t)sizeof(chunk) ?
		    (size_t)left : sizeof(chunk), (off_t)at);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			dx_die(DX_IOERR, _("%s:%ld: cannot copy the line to the"
			    " rejects file: %s"), it->name, it->lineno,
			    n == 0 ? _("short read") : strerror(errno));
		fwrite(chunk, 1, (size_t)n, g.rejects);
		at += n;
		left -= n;
	}
}

static void
reject(const struct item *it, const char *msg)
{
	if (it->kind == IT_BADLINE)
		dx_warn("%s", msg);	/* the reader named the line */
	else
		dx_warn("%s:%ld: %s", it->name, it->lineno, msg);
	g.rejected++;
	if (g.rejects == NULL)
		return;
	if (it->spill_at >= 0)
		copy_spilled(it);
	else
		fwrite(it->raw.buf != NULL ? it->raw.buf : "", 1, it->raw.len,
		    g.rejects);
	putc('\n', g.rejects);
}

/* FNV-1a of string s */
static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * Look key up in a table of the pending items' keys (2 * HOLD slots,
 * open addressing): 1 if there; else 0, and with add set it is added.
 */
static int
pend_key(const char **tab, const char *key, int add)
{
	uint32_t i = hash_str(key) % (2 * HOLD);

	for (; tab[i] != NULL; i = (i + 1) % (2 * HOLD))
		if (strcmp(tab[i], key) == 0)
			return 1;
	if (add)
		tab[i] = key;
	return 0;
}

/* Bind new dossier `it` to row `row` of an INSERT from prepare_put(). */
static void
bind_put(sqlite3_stmt *st, int row, const struct item *it)
{
	int k = row * PUT_NCOLS;

	sqlite3_bind_int64(st, k + 1, it->id);
	sqlite3_bind_text(st, k + 2, it->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 3, it->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 4, it->ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 5, it->p->id);
	sqlite3_bind_text(st, k + 6, it->u->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 7, g.office.agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 8, it->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, k + 9, it->status);
	sqlite3_bind_text(st, k + 10, it->app.buf, (int)it->app.len,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, k + 11, it->docs.buf, (int)it->docs.len,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, k + 12, it->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 13, it->received);
	if (it->status == ST_ACCEPTED) {
		sqlite3_bind_int64(st, k + 14, it->start);
		sqlite3_bind_int64(st, k + 15, it->due);
	} else {
		sqlite3_bind_null(st, k + 14);
		sqlite3_bind_null(st, k + 15);
	}
	sqlite3_bind_int(st, k + 16, it->uuid_in != NULL);
}

/*
 * Insert the pending dossiers, their search entries and their events, in
 * the order they came, then give every item taken back to the reader.
 * The rows are those the records were stored by one at a time: the ids
 * SQLite would have given (the largest plus one), in the same order.
 */
static void
flush(void)
{
	struct dx_err e;
	sqlite3_stmt *put, *ev;
	size_t i, j, n;
	int64_t id = 0;
	int rc;

	if (g.npend > 0) {
		rc = sqlite3_step(g.max_id);
		if (rc == SQLITE_ROW)
			id = sqlite3_column_int64(g.max_id, 0);
		sqlite3_reset(g.max_id);
		if (rc != SQLITE_ROW) {
			db_seterr(g.db, rc, &e, g.db->path);
			fail(&e);
		}
		for (i = 0; i < g.npend; i++)
			g.pend[i]->id = ++id;
	}
	for (i = 0; i < g.npend; i += n) {
		n = g.npend - i == HOLD ? HOLD : 1;
		put = n == HOLD ? g.put_rows : g.put;
		ev = n == HOLD ? g.ev_rows : g.ev_one;
		for (j = 0; j < n; j++)
			bind_put(put, (int)j, g.pend[i + j]);
		if (db_step_done(g.db, put, &e) == -1)
			fail(&e);
		/* their entries in the name/ID/phone search index, inserted
		 * SEARCH_BATCH at a time (search.h) */
		for (j = 0; j < n; j++)
			if (search_batch_add(&g.sb, g.pend[i + j]->id,
			    g.pend[i + j]->terms.buf, g.pend[i + j]->id_number,
			    g.pend[i + j]->phone) >= SEARCH_BATCH &&
			    search_batch_flush(g.db, &g.sb, &e) == -1)
				fail(&e);
		for (j = 0; j < n; j++)
			if (search_first_put(g.db, &g.search, &g.seen,
			    g.pend[i + j]->terms.buf, &e) == -1)
				fail(&e);
		for (j = 0; j < n; j++)
			event_bind(ev, (int)j, &g.pend[i + j]->ev);
		if (db_step_done(g.db, ev, &e) == -1)
			fail(&e);
	}
	g.npend = 0;
	memset(g.pend_ref, 0, sizeof(g.pend_ref));
	memset(g.pend_uuid, 0, sizeof(g.pend_uuid));
	slots_done(g.held);
	g.held = 0;
}

/*
 * The UUID of the guidance already given for ref `it->ref` at the time
 * `it->received`, a rerun of the same input, into it->uuid: 1 if found,
 * 0 if not, -1 with e set.  (The guide events' index is their time.)
 */
static int
guided_ref(struct item *it, struct dx_err *e)
{
	int rc;

	if (it->ref == NULL)
		return 0;
	sqlite3_bind_int64(g.guided_ref, 1, it->received);
	sqlite3_bind_text(g.guided_ref, 2, it->ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(g.guided_ref);
	if (rc == SQLITE_ROW)
		snprintf(it->uuid, sizeof(it->uuid), "%s",
		    (const char *)sqlite3_column_text(g.guided_ref, 0));
	sqlite3_reset(g.guided_ref);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_seterr(g.db, rc, e, g.db->path);
	return rc == SQLITE_ROW;
}

/*
 * --guide: record the guidance given for one checked application
 * (writer thread) as a `guide` event on the application's UUID, with no
 * dossier row: an application not received gets no code (Decree 61/2018
 * Art. 17(3)).  The same UUID guided again is a rerun: nothing new.
 * Returns as store() does.
 */
static int
store_guide(struct item *it, struct dx_err *e)
{
	const char *key;
	int64_t id;
	int r;

	if ((it->ref != NULL && pend_key(g.pend_ref, it->ref, 0)) ||
	    (it->uuid_in != NULL && pend_key(g.pend_uuid, it->uuid_in, 0)))
		flush();
	/* a dossier received is past guidance */
	key = it->ref;
	if ((r = lookup(g.find_ref, it->ref, &id, e)) == 0) {
		key = it->uuid_in;
		r = lookup(g.find_uuid, it->uuid_in, &id, e);
	}
	if (r == -1)
		return -1;
	if (r == 1)
		return dx_seterr(e, DX_DATAERR, _("'%s' is already a dossier:"
		    " nothing to guide"), key);
	if (it->bad) {
		*e = it->err;
		return -1;
	}
	/* a rerun: the same UUID, or the same ref at the same time */
	if ((r = lookup(g.guided, it->uuid_in, &id, e)) == 0 &&
	    it->uuid_in == NULL && (r = guided_ref(it, e)) == 1)
		guide_texts(it, &it->pay, &it->rec);
	if (r == -1)
		return -1;
	buf_reset(&g.out);
	buf_add(&g.out, it->rec.buf, it->rec.len);
	if (r == 1) {
		g.out.len--;
		buf_adds(&g.out, ",\"existing\":true}");
		spool();
		g.existing++;
		txn_count(&g.tx);
		return 0;
	}
	/* the pending dossiers' events first: the chain's order */
	flush();
	it->ev.dossier = it->uuid;
	it->ev.action = "guide";
	it->ev.actor = g.actor.login;
	it->ev.at = it->received;
	it->ev.payload = it->pay.buf;
	if (chain_link(&g.chain, &it->ev) == -1) {
		dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
		fail(e);
	}
	event_bind(g.ev_one, 0, &it->ev);
	if (db_step_done(g.db, g.ev_one, e) == -1 ||
	    event_changed(g.db, g.chain.changed, &it->ev, e) == -1)
		fail(e);
	spool();
	g.accepted++;
	txn_count(&g.tx);
	return 0;
}

/*
 * Store one checked application (writer thread): a new dossier is put
 * in the pending ones, which flush() inserts.  Returns 0 (stored, or
 * already known), or -1 with e set: DX_DATAERR for a record rejected
 * before anything was written, anything else for a failure that stops
 * the run.
 */
static int
store(struct item *it, struct dx_err *e)
{
	char day[8];
	int64_t id;
	long seq;
	int r;

	/* a key of a pending dossier: it must be in the database first */
	if ((it->ref != NULL && pend_key(g.pend_ref, it->ref, 0)) ||
	    (it->uuid_in != NULL && pend_key(g.pend_uuid, it->uuid_in, 0)))
		flush();
	/* idempotency: a known ref or UUID creates nothing new */
	if ((r = lookup(g.find_ref, it->ref, &id, e)) == 0)
		r = lookup(g.find_uuid, it->uuid_in, &id, e);
	if (r == -1)
		return -1;
	if (r == 1) {
		emit(id, 1);
		g.existing++;
		txn_count(&g.tx);
		return 0;
	}
	if (it->bad) {
		*e = it->err;
		return -1;
	}
	/* the files were read and checked by the reader: only stored here */
	if (it->files && documents_store(it->in, &it->df, e) == -1)
		fail(e);

	snprintf(day, sizeof(day), "%02d%02d%02d", it->y % 100, it->m, it->d);
	if ((seq = next_seq(day, e)) < 0)
		fail(e);
	snprintf(it->code, sizeof(it->code), "%s-%s-%04ld", g.office.agency,
	    day, seq);

	/*
	 * The event's payload and the output record were written by the
	 * reader with an empty code; put the code in.
	 */
	splice(&it->payload, &it->pay, it->pay_at, it->code);
	splice(&g.out, &it->rec, it->rec_at, it->code);
	it->ev.dossier = it->uuid;
	it->ev.action = "receive";
	it->ev.actor = g.actor.login;
	it->ev.at = it->received;
	it->ev.payload = it->payload.buf;
	if (chain_link(&g.chain, &it->ev) == -1) {
		dx_seterr(e, DX_SOFTWARE, "SHA-256 failed");
		fail(e);
	}
	g.pend[g.npend++] = it;
	if (it->ref != NULL)
		pend_key(g.pend_ref, it->ref, 1);
	pend_key(g.pend_uuid, it->uuid, 1);
	spool();
	g.accepted++;
	txn_count(&g.tx);
	return 0;
}

/*
 * The actor lost the right to receive during the run (a catalog import
 * made them inactive or took the role): store what came before, which
 * was checked while they had it, unless the run is all or nothing, and
 * stop.
 */
static void
refused(const struct item *it, struct dx_err *e)
{
	if (g.atomic || g.dryrun)
		db_rollback(g.db);
	else
		commit();
	dx_prefix(e, "%s:%ld", it->name, it->lineno);
	dx_die_err(e);
}

/* The writer: take items in order until the reader's end. */
static void
write_all(void)
{
	struct item *it;
	struct dx_err e;
	pthread_t tid;
	int rc;

	dx_exit_threaded(1);
	if ((rc = pthread_create(&tid, NULL, reader, NULL)) != 0)
		dx_die(DX_SOFTWARE, "cannot start the reader: %s",
		    strerror(rc));
	for (;;) {
		/*
		 * A batch does not hold the write lock while the reader is
		 * slow (a large attachment, a pipe that pauses): it commits
		 * what it has after DB_SLICE_MS without an item.
		 */
		it = slot_take(g.held, g.db->in_tx && !g.atomic && !g.dryrun ?
		    DB_SLICE_MS : -1);
		if (it == NULL) {
			commit();
			continue;
		}
		if (it->kind == IT_END) {
			flush();
			slots_done(1);
			break;
		}
		progress_set(&g.prog, ++g.handled, it->pos);
		if (it->kind == IT_IOERR) {
			e = it->err;
			fail(&e);
		}
		if (it->kind == IT_BADLINE) {
			reject(it, it->err.msg);
			if (++g.held == HOLD)
				flush();
			continue;
		}
		begin();
		e.code = 0;
		if ((g.guide ? store_guide(it, &e) : store(it, &e)) == -1) {
			if (e.code == DX_NOPERM)
				refused(it, &e);
			if (e.code != DX_DATAERR)
				fail(&e);
			reject(it, e.msg);
		}
		/* the reader frees it->in when it reuses the slot: memory
		 * goes back to the thread that allocated it; flush() gives
		 * the items back */
		if (++g.held == HOLD)
			flush();
		/* a dry run is one transaction, rolled back at the end */
		if (txn_due(&g.tx))
			commit();
	}
	pthread_join(tid, NULL);
	progress_end(&g.prog);
	dx_exit_threaded(0);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "atomic", no_argument, NULL, 'A' },
		{ "accept", no_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "slip", required_argument, NULL, 's' },
		{ "as", required_argument, NULL, 'U' },
		{ "max-file-size", required_argument, NULL, 'M' },
		{ "attachments", required_argument, NULL, 'F' },
		{ "input-format", required_argument, NULL, 'I' },
		{ "guide", no_argument, NULL, 'G' },
		{ "bulk", no_argument, NULL, 'K' },
		{ "refuse", required_argument, NULL, 'R' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *rejpath = NULL, *as = NULL, *errstr;
	const char *attdir = ".";
	struct dx_err e;
	long long n;
	int ch, i, batch_given = 0;

	dx_setprogname(argv[0]);
	/*
	 * A file size limit must end in a message and 74 like a full disk
	 * (the write fails with EFBIG), not kill the tool silently.
	 */
	signal(SIGXFSZ, SIG_IGN);
	g.batch = 10000;
	g.now = time(NULL);
	g.maxfile = ATTACH_MAX_DEFAULT;
	while ((ch = getopt_long(argc, argv, "Aab:d:nr:s:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'A':
			g.atomic = 1;
			break;
		case 'a':
			g.accept = 1;
			break;
		case 'b':
			if (parse_int(optarg, 1, 10000000, &n, &errstr) == -1)
				dx_die(DX_USAGE, _("batch size '%s' is %s"),
				    optarg, errstr);
			g.batch = (long)n;
			batch_given = 1;
			break;
		case 'd':
			dbopt = optarg;
			break;
		case 'n':
			g.dryrun = 1;
			break;
		case 'r':
			rejpath = optarg;
			break;
		case 's':
			g.slip = 1;
			if (strcmp(optarg, "text") == 0)
				g.slipfmt = FORM_TEXT;
			else if (strcmp(optarg, "html") == 0)
				g.slipfmt = FORM_HTML;
			else
				cli_usage(&cli, _("--slip: '%s' is not text or"
				    " html"), optarg);
			break;
		case 'U':
			as = optarg;
			break;
		case 'M':
			/* checked against what SQLite takes once it is open */
			if (parse_int(optarg, 0, INT64_MAX, &n, &errstr) == -1)
				dx_die(DX_USAGE, _("file size '%s' is %s"),
				    optarg, errstr);
			g.maxfile = (int64_t)n;
			break;
		case 'F':
			attdir = optarg;
			break;
		case 'G':
			g.guide = 1;
			break;
		case 'K':
			g.bulk = 1;
			break;
		case 'R':
			/* the reason printed on form 03: text, and some */
			if (text_ok("--refuse", optarg, 4000, &e) == -1)
				cli_usage(&cli, "%s", e.msg);
			if (optarg[strspn(optarg, " \t")] == '\0')
				cli_usage(&cli, _("--refuse: the reason is"
				    " required"));
			g.refuse = optarg;
			break;
		case 'I':
			if (strcmp(optarg, "portal") == 0)
				g.portal = 1;
			else if (strcmp(optarg, "json") != 0)
				cli_usage(&cli, _("--input-format: '%s' is not"
				    " json or portal"), optarg);
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	argc -= optind;
	argv += optind;
	/* one transaction has no batches: a size would be ignored */
	cli_exclusive(&cli, g.atomic, "--atomic", batch_given, "--batch");
	cli_exclusive(&cli, g.dryrun, "--dry-run", batch_given, "--batch");
	/* one outcome for the applications of a run */
	cli_exclusive(&cli, g.guide, "--guide", g.refuse != NULL, "--refuse");
	cli_exclusive(&cli, g.accept, "--accept", g.guide, "--guide");
	cli_exclusive(&cli, g.accept, "--accept", g.refuse != NULL,
	    "--refuse");
	g.slipkind = g.guide ? FORM_SUPPLEMENT : g.refuse != NULL ?
	    FORM_REFUSAL : FORM_RECEIPT;

	/* resources first: the database, the inputs, the output files */
	g.db = office_open(db_path(dbopt), 0, &e);
	if (g.db == NULL)
		dx_die_err(&e);
	/* the hash chain's SHA-256, set up before the reader thread starts */
	if (crypto_init() == -1)
		dx_die(DX_SOFTWARE, CRYPTO_INIT_FAILED);
	if (g.maxfile > attach_max(g.db))
		dx_die(DX_USAGE, _("file size '%lld' is more than the %lld"
		    " bytes the database can store"), (long long)g.maxfile,
		    (long long)attach_max(g.db));
	if (attach_open(&g.att, attdir, g.db->path, &e) == -1)
		dx_die_err(&e);
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") != 0 && access(argv[i], R_OK) == -1)
			dx_die(errno == ENOENT ? DX_NOINPUT : DX_IOERR, "%s: %s",
			    argv[i], strerror(errno));
	/*
	 * A bulk load takes the database alone before it reads the office,
	 * the calendar, the actor and the catalog: no one else can change
	 * them until the end.
	 */
	if (g.bulk && db_bulk(g.db, 1, &e) == -1)
		dx_die_err(&e);
	if (db_office(g.db, &g.office, &e) == -1 ||
	    caldb_load(g.db, &g.cal, &e) == -1 ||
	    caldb_load(g.db, &g.fmtcal, &e) == -1 ||
	    actor_get(g.db, as, &g.actor, &e) == -1)
		dx_die_err(&e);
	if (may_receive(&g.actor, &e) == -1)
		dx_die_err(&e);
	if (g.actor.as)
		g.actor_payload = g.actor.os_user;
	/* an admin, also acting --as someone, may enter past days */
	if (!g.actor.as && !(g.actor.roles & ROLE_ADMIN))
		g.earliest = cal_day_start(&g.cal, cal_local_day(&g.cal,
		    g.now));
	if (rejpath != NULL && (g.rejects = fopen(rejpath, "w")) == NULL)
		dx_die(DX_CANTCREAT, "%s: %s", rejpath, strerror(errno));
	/* a line over the reader's limit goes to the rejects whole */
	q.spill = -1;
	if (g.rejects != NULL && (q.spill = dx_tmpfd(&e)) == -1)
		dx_die_err(&e);
	if (txn_open(&g.tx, g.db, &g.chain, g.batch, &e) == -1)
		dx_die_err(&e);
	/* a dry run is one transaction, rolled back at the end */
	if (g.atomic || g.dryrun)
		txn_single(&g.tx, g.dryrun);
	if (g.slip)
		txn_output(&g.tx, NULL, slip_line, NULL);
	if (g.slip) {
		g.slips = form_open(stdout, g.slipfmt);
		g.slipinfo = json_pack("{s:s,s:s}", "office_name",
		    g.office.name, "staff_name", g.actor.name);
		if (g.refuse != NULL)
			json_object_set_new(g.slipinfo, "reason",
			    json_string(g.refuse));
	}
	if (chain_open(g.db, g.office.agency, &g.chain, &e) == -1 ||
	    rec_init(&g.rb, g.db, &g.fmtcal, &e) == -1)
		dx_die_err(&e);
	/* the per-record savepoints journal in memory, not in a file */
	if (db_exec(g.db, "PRAGMA temp_store = MEMORY", &e) == -1)
		dx_die_err(&e);
	/* the generation first: an import in between reloads, needlessly */
	if (catalog_generation(g.db, &q.gen_st, &q.gen, &e) == -1)
		dx_die_err(&e);
	sqlite3_finalize(q.gen_st);
	q.gen_st = NULL;
	clock_gettime(CLOCK_MONOTONIC, &q.gen_at);
	load_catalog();
	/* the reader's own connection, to follow the catalog (WAL: it
	 * reads while the writer holds the write lock) */
	if (!g.bulk && (q.rdb = db_open(g.db->path, DB_RDONLY, &e)) == NULL)
		dx_die_err(&e);
	q.as = as;
	prepare();
	uuid_init(&g.ug);

	q.inputs = argv;
	q.ninputs = argc;
	for (i = 0; i < RING; i++) {
		buf_init(&q.items[i].raw);
		buf_init(&q.items[i].app);
		buf_init(&q.items[i].docs);
		attach_stash_init(&q.items[i].df.stash);
		buf_init(&q.items[i].terms);
		buf_init(&q.items[i].missing);
		buf_init(&q.items[i].pay);
		buf_init(&q.items[i].rec);
		buf_init(&q.items[i].payload);
	}
	if (pthread_mutex_init(&q.mu, NULL) != 0 ||
	    pthread_cond_init(&q.nonempty, NULL) != 0 ||
	    pthread_cond_init(&q.nonfull, NULL) != 0)
		dx_die(DX_SOFTWARE, "cannot set up the reader's queue");
	/* jansson's hash seed, set before a second thread makes objects */
	json_object_seed(0);
	progress_start(&g.prog, STDERR_FILENO, dx_progname(), _("records"),
	    input_size(argc, argv));
	write_all();
	for (i = 0; i < RING; i++) {
		json_decref(q.items[i].in);
		buf_free(&q.items[i].raw);
		buf_free(&q.items[i].app);
		buf_free(&q.items[i].docs);
		attach_stash_free(&q.items[i].df.stash);
		free(q.items[i].df.f);
		buf_free(&q.items[i].terms);
		buf_free(&q.items[i].missing);
		buf_free(&q.items[i].pay);
		buf_free(&q.items[i].rec);
		buf_free(&q.items[i].payload);
	}
	buf_free(&folded);
	for (i = 0; i < (int)q.nold; i++) {
		procedures_free(q.old[i].procs, q.old[i].nprocs);
		units_free(q.old[i].units, q.old[i].nunits);
	}
	free(q.old);
	sqlite3_finalize(q.gen_st);
	db_close(q.rdb);
	if (q.spill != -1)
		close(q.spill);

	if (g.atomic && g.rejected > 0) {
		db_rollback(g.db);
		dx_die(DX_DATAERR, _("%ld record%s rejected: nothing stored"
		    " (--atomic)"), g.rejected, g.rejected == 1 ? "" : "s");
	}
	commit();
	/* stored: a database left in rollback mode is set back by the next
	 * writer to open it */
	if (g.bulk && db_bulk(g.db, 0, &e) == -1)
		dx_warn("%s", e.msg);
	if (g.slip && form_close(g.slips, &e) == -1)
		dx_die_err(&e);
	if (g.rejects != NULL && fclose(g.rejects) == EOF)
		dx_die(DX_IOERR, "%s: %s", rejpath, strerror(errno));
	json_decref(g.slipinfo);
	rec_book_free(&g.book);
	txn_close(&g.tx);
	rec_free(&g.rb);
	chain_close(&g.chain);
	sqlite3_finalize(g.find_ref);
	sqlite3_finalize(g.find_uuid);
	sqlite3_finalize(g.put);
	sqlite3_finalize(g.max_id);
	sqlite3_finalize(g.put_rows);
	sqlite3_finalize(g.ev_one);
	sqlite3_finalize(g.ev_rows);
	search_batch_free(&g.sb);
	search_seen_free(&g.seen);
	sqlite3_finalize(g.seq_get);
	sqlite3_finalize(g.seq_put);
	sqlite3_finalize(g.guided);
	sqlite3_finalize(g.guided_ref);
	attach_close(&g.att);
	search_put_free(&g.search);
	db_close(g.db);
	cal_free(&g.cal);
	cal_free(&g.fmtcal);
	if (g.rejected > 0)
		dx_exit(g.accepted + g.existing > 0 ? DX_PARTIAL : DX_DATAERR);
	dx_exit(DX_OK);
}
