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
search_put(struct db *db, sqlite3_stmt **st, int64_t id, const char *terms,
    const char *id_number, const char *phone, struct dx_err *e)
{
	int r;

	if (*st == NULL && (*st = db_prepare(db,
	    "INSERT INTO dossier_search (rowid, name, id_number, phone)"
	    " VALUES (?, ?, ?, ?)", 1, e)) == NULL)
		return -1;
	sqlite3_bind_int64(*st, 1, id);
	db_bind_text(*st, 2, terms);
	db_bind_text(*st, 3, id_number);
	db_bind_text(*st, 4, phone);
	r = db_step_done(db, *st, e);
	sqlite3_clear_bindings(*st);
	return r;
}

/* A byte of a word: what FTS5's ascii tokenizer keeps, but '_'. */
static int
wordbyte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
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
		if (!wordbyte(*p)) {
			p++;
			continue;
		}
		for (start = p; wordbyte(*p); p++)
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

int
search_name_expr(const char *folded, struct dx_buf *out)
{
	const char *w[MAX_WORDS];
	size_t n[MAX_WORDS];
	int k;

	if ((k = words(folded, w, n)) == 0)
		return 0;
	/* a word holds no '"': quoting needs no escape */
	buf_add(out, "\"", 1);
	if (k == 1)
		buf_add(out, w[0], n[0]);
	else
		joined(out, w, n, 0, k < SPAN ? k : SPAN);
	buf_add(out, "\"*", 2);
	return k;
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
