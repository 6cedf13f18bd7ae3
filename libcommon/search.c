/*
 * search.c: the dossier_search index (FTS5) of applicant names and
 * numbers.
 */
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "fold.h"
#include "search.h"
#include "util.h"

int
search_put(struct db *db, sqlite3_stmt **st, int64_t id, const char *folded,
    const char *id_number, const char *phone, struct dx_err *e)
{
	int r;

	if (*st == NULL && (*st = db_prepare(db,
	    "INSERT INTO dossier_search (rowid, name, id_number, phone)"
	    " VALUES (?, ?, ?, ?)", 1, e)) == NULL)
		return -1;
	sqlite3_bind_int64(*st, 1, id);
	db_bind_text(*st, 2, folded);
	db_bind_text(*st, 3, id_number);
	db_bind_text(*st, 4, phone);
	r = db_step_done(db, *st, e);
	sqlite3_clear_bindings(*st);
	return r;
}

static int
wordbyte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

int
search_match_expr(const char *folded, int prefix_last, struct dx_buf *out)
{
	const unsigned char *s = (const unsigned char *)folded;
	const unsigned char *w;
	int n = 0;

	while (*s != '\0') {
		if (!wordbyte(*s)) {
			s++;
			continue;
		}
		for (w = s; wordbyte(*s); s++)
			;
		if (n > 0)
			buf_add(out, " ", 1);
		/* a word holds no '"': quoting needs no escape */
		buf_add(out, "\"", 1);
		buf_add(out, w, (size_t)(s - w));
		buf_add(out, "\"", 1);
		n++;
	}
	if (n > 0 && prefix_last)
		buf_add(out, "*", 1);
	return n;
}
