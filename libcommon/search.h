/*
 * search.h: the search index of dossiers by applicant name, ID number
 * and phone (dossier(5): table dossier_search).
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

/*
 * Write the search entry of the new dossier `id`: the search_terms() of
 * its applicant's folded name (`terms`), `id_number` and `phone` (any
 * may be NULL).  Building the terms is left to the caller so that a busy
 * writer can have it done elsewhere (dossier-new does it on its reader).
 * *st caches the prepared statement across calls: NULL before the first
 * call; the caller finalizes it with sqlite3_finalize() (or leaves it to
 * db_close()).  Call inside the transaction that inserts the dossier.
 * 0, or -1 with e set.
 */
int search_put(struct db *db, sqlite3_stmt **st, int64_t id,
    const char *terms, const char *id_number, const char *phone,
    struct dx_err *e);

/*
 * Append to `out` the FTS5 MATCH expression of the dossiers whose folded
 * name may match the folded query `folded` (fold_match()): one word is
 * a prefix of the words ("an"* finds "anh"); several are a prefix of the
 * joined terms ("_van_an"* finds "Nguyễn Văn An" and "Văn Anh").  Every
 * match is among its rows; not every row is a match.  Returns the number
 * of words (0: nothing to search for, and nothing appended).
 */
int search_name_expr(const char *folded, struct dx_buf *out);

/*
 * Append to `out` the FTS5 MATCH expression that requires every word of
 * `s` (an ID number or a phone), each a whole term.  Returns the number
 * of words (0: nothing to search for, and nothing appended).
 */
int search_number_expr(const char *s, struct dx_buf *out);

#endif
