/*
 * search.c: the dossier_search index (FTS5) of applicant names and
 * numbers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "fold.h"
#include "search.h"
#include "util.h"

/* The columns of a row of the index and their number. */
#define SEARCH_NCOLS 4

sqlite3_stmt *
search_prepare_rows(struct db *db, int n, struct dx_err *e)
{
	struct dx_buf sql;
	sqlite3_stmt *st;
	int i;

	buf_init(&sql);
	buf_adds(&sql, "INSERT INTO dossier_search (rowid, name, id_number,"
	    " phone) VALUES ");
	for (i = 0; i < n; i++)
		buf_adds(&sql, i > 0 ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
	st = db_prepare(db, sql.buf, 1, e);
	buf_free(&sql);
	return st;
}

void
search_bind(sqlite3_stmt *st, int row, int64_t id, const char *terms,
    const char *id_number, const char *phone)
{
	int k = row * SEARCH_NCOLS;

	sqlite3_bind_int64(st, k + 1, id);
	sqlite3_bind_text(st, k + 2, terms, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 3, id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 4, phone, -1, SQLITE_STATIC);
}

size_t
search_batch_add(struct search_batch *b, int64_t id, const char *terms,
    const char *id_number, const char *phone)
{
	const char *s[3];
	int i;

	s[0] = terms;
	s[1] = id_number;
	s[2] = phone;
	if (b->ent == NULL)
		b->ent = xreallocarray(NULL, SEARCH_BATCH, sizeof(*b->ent));
	b->ent[b->n].id = id;
	for (i = 0; i < 3; i++) {
		if (s[i] == NULL) {
			b->ent[b->n].at[i] = -1;
			continue;
		}
		b->ent[b->n].at[i] = (int64_t)b->text.len;
		buf_add(&b->text, s[i], strlen(s[i]) + 1);
	}
	return ++b->n;
}

/* The string held at `at` in b->text, or NULL. */
static const char *
held(const struct search_batch *b, int64_t at)
{
	return at >= 0 ? b->text.buf + at : NULL;
}

/*
 * The entries are bound to an INSERT of as many rows: no text to build
 * and parse again in SQL.  A full batch has its statement kept, and so
 * has the last smaller one: a commit's last entries, which number the
 * same at every commit of a batch of the same size.
 */
int
search_batch_flush(struct db *db, struct search_batch *b, struct dx_err *e)
{
	sqlite3_stmt *st;
	size_t i;
	int r;

	if (b->n == 0)
		return 0;
	if (b->n == SEARCH_BATCH) {
		if (b->st == NULL)
			b->st = search_prepare_rows(db, SEARCH_BATCH, e);
		st = b->st;
	} else {
		if (b->nrest != b->n) {
			sqlite3_finalize(b->rest);
			b->rest = search_prepare_rows(db, (int)b->n, e);
			b->nrest = b->rest != NULL ? b->n : 0;
		}
		st = b->rest;
	}
	r = -1;
	if (st != NULL) {
		for (i = 0; i < b->n; i++)
			search_bind(st, (int)i, b->ent[i].id,
			    held(b, b->ent[i].at[0]), held(b, b->ent[i].at[1]),
			    held(b, b->ent[i].at[2]));
		r = db_step_done(db, st, e);
		sqlite3_clear_bindings(st);
	}
	buf_reset(&b->text);
	b->n = 0;
	return r;
}

void
search_batch_free(struct search_batch *b)
{
	sqlite3_finalize(b->st);
	b->st = NULL;
	sqlite3_finalize(b->rest);
	b->rest = NULL;
	b->nrest = 0;
	free(b->ent);
	b->ent = NULL;
	buf_free(&b->text);
	b->n = 0;
}

/* FNV-1a of the n bytes at s */
static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * The slot of word w (n bytes) in the table of first words seen: its
 * slot if there, else the empty slot where it goes.
 */
static char **
seen_slot(struct search_seen *seen, const char *w, size_t n)
{
	uint32_t i = hash_bytes(w, n) % SEARCH_SEEN;
	char *s;

	while ((s = seen->word[i]) != NULL) {
		if (strncmp(s, w, n) == 0 && s[n] == '\0')
			break;
		i = (i + 1) % SEARCH_SEEN;
	}
	return &seen->word[i];
}

int
search_first_put(struct db *db, struct search_put *sp,
    struct search_seen *seen, const char *terms, struct dx_err *e)
{
	const char *sp_at;
	char **slot = NULL;
	size_t n;
	int r;

	if (terms == NULL || *terms == '\0')
		return 0;
	/* the first word: the terms begin with the words, space-separated */
	sp_at = strchr(terms, ' ');
	n = sp_at != NULL ? (size_t)(sp_at - terms) : strlen(terms);
	/* a word this connection has put is there: no statement needed */
	if (seen != NULL && *(slot = seen_slot(seen, terms, n)) != NULL)
		return 0;
	if (sp->first == NULL && (sp->first = db_prepare(db,
	    "INSERT OR IGNORE INTO search_first (word) VALUES (?)", 1,
	    e)) == NULL)
		return -1;
	sqlite3_bind_text(sp->first, 1, terms, (int)n, SQLITE_STATIC);
	r = db_step_done(db, sp->first, e);
	sqlite3_clear_bindings(sp->first);
	/* half full at most, so that a probe ends soon */
	if (r == 0 && seen != NULL && seen->n < SEARCH_SEEN / 2) {
		*slot = xstrndup(terms, n);
		seen->n++;
	}
	return r;
}

void
search_seen_free(struct search_seen *seen)
{
	size_t i;

	for (i = 0; i < SEARCH_SEEN; i++) {
		free(seen->word[i]);
		seen->word[i] = NULL;
	}
	seen->n = 0;
}

int
search_put(struct db *db, struct search_put *sp, int64_t id,
    const char *terms, const char *id_number, const char *phone,
    struct dx_err *e)
{
	int r;

	if (sp->row == NULL && (sp->row = search_prepare_rows(db, 1,
	    e)) == NULL)
		return -1;
	search_bind(sp->row, 0, id, terms, id_number, phone);
	r = db_step_done(db, sp->row, e);
	sqlite3_clear_bindings(sp->row);
	if (r == -1)
		return r;
	return search_first_put(db, sp, NULL, terms, e);
}

void
search_put_free(struct search_put *sp)
{
	sqlite3_finalize(sp->row);
	sqlite3_finalize(sp->first);
	sp->row = sp->first = NULL;
}

/*
 * Words looked at in a name: a name has at most 300 characters, so 150
 * words (the rest of a longer text is not indexed).  A term of words
 * joined holds at most SPAN of them: names have a handful, and a longer
 * query is found by its first SPAN words, then confirmed.
 */
#define MAX_WORDS 160
#define SPAN 8

/*
 * Split s into words: their starts and lengths in w[] and n[], at most
 * MAX_WORDS.  Returns the number of words.
 */
static int
words(const char *s, const char **w, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *start;
	int k = 0;

	while (*p != '\0' && k < MAX_WORDS) {
		if (!fold_wordbyte(*p)) {
			p++;
			continue;
		}
		for (start = p; fold_wordbyte(*p); p++)
			;
		w[k] = (const char *)start;
		n[k++] = (size_t)(p - start);
	}
	return k;
}

/* "_wi_wi+1_..._wj-1" */
static void
joined(struct dx_buf *out, const char **w, const size_t *n, int i, int j)
{
	for (; i < j; i++) {
		buf_add(out, "_", 1);
		buf_add(out, w[i], n[i]);
	}
}

size_t
search_terms(const char *folded, struct dx_buf *out)
{
	const char *w[MAX_WORDS];
	size_t n[MAX_WORDS], start = out->len;
	int i, k;

	buf_add(out, "", 0);	/* out->buf is a string even if empty */
	if (folded == NULL)
		return 0;
	k = words(folded, w, n);
	for (i = 0; i < k; i++) {
		if (i > 0)
			buf_add(out, " ", 1);
		buf_add(out, w[i], n[i]);
	}
	for (i = 0; i + 1 < k; i++) {
		buf_add(out, " ", 1);
		joined(out, w, n, i, i + SPAN < k ? i + SPAN : k);
	}
	return out->len - start;
}

/* Longer first words than a one-word query's, before "word"* instead */
#define MAX_FIRST 64

int
search_name_expr(struct db *db, const char *folded, struct dx_buf *out,
    struct dx_err *e)
{
	const char *w[MAX_WORDS], *f;
	size_t n[MAX_WORDS], start = out->len;
	sqlite3_stmt *st;
	int k, nfirst = 0, rc;

	if ((k = words(folded, w, n)) == 0)
		return 0;
	/* a word holds no '"': quoting needs no escape */
	buf_add(out, "\"", 1);
	if (k > 1) {
		joined(out, w, n, 0, k < SPAN ? k : SPAN);
		buf_add(out, "\"*", 2);
		return k;
	}
	/*
	 * One word: the names with it as a whole word, and those whose
	 * first word is longer and begins with it ("nguy" begins "Nguyễn
	 * Văn An"), by the first words the office has seen.  Whole terms,
	 * not a prefix term, which FTS5 would gather in full before giving
	 * the first row (all of the Nguyễns, for "nguyen").
	 */
	buf_add(out, w[0], n[0]);
	buf_add(out, "\"", 1);
	if ((st = db_prepare(db, "SELECT word FROM search_first"
	    " WHERE word > ? ORDER BY word", 0, e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, w[0], (int)n[0], SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = (const char *)sqlite3_column_text(st, 0);
		if (f == NULL || strncmp(f, w[0], n[0]) != 0)
			break;
		if (strpbrk(f, "\" ") != NULL)
			continue;	/* not a word of ours */
		if (++nfirst > MAX_FIRST) {
			/* so many: one prefix term is cheaper */
			out->len = start;
			buf_add(out, "\"", 1);
			buf_add(out, w[0], n[0]);
			buf_add(out, "\"*", 2);
			break;
		}
		buf_adds(out, " OR \"");
		buf_adds(out, f);
		buf_add(out, "\"", 1);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_seterr(db, rc, e, db->path);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 1;
}

int
search_number_expr(const char *s, struct dx_buf *out)
{
	const char *w[MAX_WORDS];
	size_t n[MAX_WORDS];
	int i, k;

	k = words(s, w, n);
	for (i = 0; i < k; i++) {
		if (i > 0)
			buf_add(out, " ", 1);
		buf_add(out, "\"", 1);
		buf_add(out, w[i], n[i]);
		buf_add(out, "\"", 1);
	}
	return k;
}
