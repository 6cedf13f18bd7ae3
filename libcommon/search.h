/*
 * search.h: the search index of dossiers by applicant name, ID number
 * and phone (dossier(5): tables dossier_search and search_first).
 *
 * dossier_search is a contentless FTS5 table (detail=none, columnsize=0,
 * the ascii tokenizer with '_' a word character) whose rowid is
 * dossiers.id.  Its `name` column holds the terms of the applicant's
 * name folded by fold_name() (search_terms()): each word, so "nguyen"
 * finds "Nguyễn Văn An", and each run of words from one word to the end
 * (at most 8 of them) joined by '_' behind a '_', so "van an" is the one
 * term "_van_an" and a full name is found by a prefix term of its own
 * instead of by intersecting the long row lists of "van", "thi",
 * "nguyen".  Being contentless, it stores no text, only the terms' row
 * lists, and an insert appends to FTS5's segments instead of touching
 * pages all over a B-tree: it stays cheap at millions of dossiers.  FTS5
 * finds candidates; the caller confirms each against the dossier's own
 * applicant (fold_match(), or equality for the ID number and phone).
 */
#ifndef DOSSIER_SEARCH_H
#define DOSSIER_SEARCH_H

#include <stdint.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

/*
 * Append to `out` the text indexed for a name already folded by
 * fold_name() (`folded`, may be NULL): "le thi nhan" gives
 * "le thi nhan _le_thi_nhan _thi_nhan".  Words are the runs of ASCII
 * letters and digits and of non-ASCII bytes.  out->buf is a string even
 * when nothing is appended.  Returns the number of bytes appended.
 */
size_t search_terms(const char *folded, struct dx_buf *out);

/* The statements of search_put(), prepared on first use. */
struct search_put {
	sqlite3_stmt *row;	/* into dossier_search */
	sqlite3_stmt *first;	/* into search_first */
};

/*
 * Write the search entry of the new dossier `id`: the search_terms() of
 * its applicant's folded name (`terms`), `id_number` and `phone` (any
 * may be NULL), and the name's first word into search_first, the first
 * words seen (a one-word query finds by them the names that begin with
 * a longer word).  Building the terms is left to the caller so that a
 * busy writer can have it done elsewhere (dossier-new does it on its
 * reader).  *sp holds the prepared statements across calls: zeroed
 * before the first call, search_put_free() after the last.  Call inside
 * the transaction that inserts the dossier.  0, or -1 with e set.
 */
int search_put(struct db *db, struct search_put *sp, int64_t id,
    const char *terms, const char *id_number, const char *phone,
    struct dx_err *e);
void search_put_free(struct search_put *sp);

/*
 * The same by parts, for a writer that inserts many rows with one
 * statement: search_prepare_rows() makes an INSERT of n rows into
 * dossier_search (persistent), search_bind() binds its row `row` (0 to
 * n - 1; the strings must outlive the step), and search_first_put() puts
 * the first word of `terms` into search_first.
 */
sqlite3_stmt *search_prepare_rows(struct db *db, int n, struct dx_err *e);
void search_bind(sqlite3_stmt *st, int row, int64_t id, const char *terms,
    const char *id_number, const char *phone);

/*
 * Search entries held back, to be inserted by one statement.  A statement
 * that may have to undo its own changes (an INSERT checking constraints)
 * begins with a savepoint, and at each savepoint FTS5 writes the rows it
 * holds in memory as a new segment: entries inserted a few at a time
 * between other statements make many small segments, which FTS5 then
 * merges over and over.  A writer of many dossiers adds their entries
 * here and flushes them in one statement when SEARCH_BATCH are held and
 * before it commits: the same index, built at a fraction of the cost.
 * Zeroed before use, search_batch_free() after.
 */
#define SEARCH_BATCH 4096
struct search_entry {
	int64_t id;		/* the dossier's rowid */
	/* where its terms, ID number and phone are in the text, or -1 */
	int64_t at[3];
};
struct search_batch {
	struct search_entry *ent;	/* SEARCH_BATCH, allocated on first use */
	struct dx_buf text;	/* the strings, each with its NUL */
	size_t n;		/* entries held */
	sqlite3_stmt *st;	/* the INSERT of SEARCH_BATCH rows, prepared
				 * on first use */
	sqlite3_stmt *rest;	/* the INSERT of the last smaller flush's */
	size_t nrest;		/* rows, kept while batches repeat their size */
};

/*
 * Hold the entry of dossier `id` (as search_put(); the strings are
 * copied).  Returns the number of entries held: at SEARCH_BATCH, the
 * caller flushes before it adds another.
 */
size_t search_batch_add(struct search_batch *b, int64_t id,
    const char *terms, const char *id_number, const char *phone);
/*
 * Insert the entries held into dossier_search, inside the transaction
 * that inserts their dossiers, and empty the batch.  0, or -1 with e set
 * (the batch is emptied either way).
 */
int search_batch_flush(struct db *db, struct search_batch *b,
    struct dx_err *e);
void search_batch_free(struct search_batch *b);

/*
 * The first words a writer has put into search_first: a word found here
 * needs no INSERT OR IGNORE.  Valid while every transaction that put one
 * commits (a writer that rolls one back stops, or frees the set).  Zeroed
 * before use, search_seen_free() after; it holds up to SEARCH_SEEN / 2
 * words, then the others always go to the database.
 */
#define SEARCH_SEEN 1024
struct search_seen {
	char *word[SEARCH_SEEN];
	size_t n;
};

int search_first_put(struct db *db, struct search_put *sp,
    struct search_seen *seen, const char *terms, struct dx_err *e);
void search_seen_free(struct search_seen *seen);

/*
 * Append to `out` the FTS5 MATCH expression of the dossiers whose folded
 * name may match the folded query `folded` (fold_match()).  Several
 * words are a prefix of the joined terms ("_van_an"* finds "Nguyễn Văn
 * An" and "Văn Anh").  One word is that whole word, or any longer first
 * word beginning with it that search_first holds ("nguy" finds the
 * Nguyễns): whole terms, so FTS5 gives rows as it finds them.  Every
 * match is among its rows; not every row is a match.  Returns the
 * number of words (0: nothing to search for, and nothing appended), or
 * -1 with e set.
 */
int search_name_expr(struct db *db, const char *folded, struct dx_buf *out,
    struct dx_err *e);

/*
 * Append to `out` the FTS5 MATCH expression that requires every word of
 * `s` (an ID number or a phone), each a whole term.  Returns the number
 * of words (0: nothing to search for, and nothing appended).
 */
int search_number_expr(const char *s, struct dx_buf *out);

#endif
