/*
 * search.h: the search index of dossiers by applicant name, ID number
 * and phone (dossier(5): table dossier_search).
 *
 * dossier_search is a contentless FTS5 table (detail=none) whose rowid
 * is dossiers.id; its `name` column holds the applicant name folded by
 * fold_name(), so a query folded the same way finds "Nguyễn Văn An" from
 * "nguyen van an" or "NGUYEN VAN AN".  Being contentless, it stores no
 * text, only the terms' row lists, and an insert appends to FTS5's
 * segments instead of touching pages all over a B-tree: it stays cheap
 * at millions of dossiers.  FTS5 finds candidates; the caller confirms
 * each against the dossier's own applicant (fold_match(), or equality
 * for the ID number and phone).
 */
#ifndef DOSSIER_SEARCH_H
#define DOSSIER_SEARCH_H

#include <stdint.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

/*
 * Write the search entry of the new dossier `id`: its applicant's name
 * already folded by fold_name() (`folded`), `id_number` and `phone`
 * (either may be NULL).  Folding is left to the caller so that a busy
 * writer can have it done elsewhere (dossier-new folds on its reader).
 * *st caches the prepared statement across calls: NULL before the first
 * call; the caller finalizes it with sqlite3_finalize() (or leaves it to
 * db_close()).  Call inside the transaction that inserts the dossier.
 * 0, or -1 with e set.
 */
int search_put(struct db *db, sqlite3_stmt **st, int64_t id,
    const char *folded, const char *id_number, const char *phone,
    struct dx_err *e);

/*
 * Append to `out` an FTS5 MATCH expression that requires every word of
 * `folded` (a fold_name() result, or a number): words are the runs of
 * ASCII letters and digits and of non-ASCII bytes, as FTS5's unicode61
 * tokenizer splits them; each is quoted, and with `prefix_last` the last
 * one is a prefix term ("an"* finds "anh").  Returns the number of
 * words (0: nothing to search for, and nothing appended).
 */
int search_match_expr(const char *folded, int prefix_last,
    struct dx_buf *out);

#endif
