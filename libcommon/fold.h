/*
 * fold.h: folding Vietnamese names for diacritics- and case-insensitive
 * search.
 *
 * fold_name() maps "  Nguyễn  Văn ĐẠT " to "nguyen van dat": ASCII is
 * lower-cased; the 132 precomposed (NFC) Vietnamese vowel letters with
 * any tone or vowel mark (a ă â e ê i o ô ơ u ư y, upper and lower case)
 * map to their ASCII base letter, and đ/Đ to d; combining marks
 * U+0300..U+036F (decomposed input, NFD) are dropped; runs of white
 * space and ASCII punctuation (every ASCII character but letters and
 * digits, and U+00A0) become one space, so "H'Hen Niê" is "h hen nie",
 * and leading and trailing space is removed.  Every other character,
 * including malformed UTF-8, is kept byte for byte.  A folded name is
 * words (runs of ASCII letters, digits and non-ASCII bytes) with one
 * space between them: the words of the search index (search.h).
 *
 * The same folding is applied to the stored name (dossier-new, through
 * search.h) and to the query (dossier-status), so both sides agree.
 */
#ifndef DOSSIER_FOLD_H
#define DOSSIER_FOLD_H

#include "util.h"

/*
 * Append the folded form of the NUL-terminated UTF-8 string `utf8` to
 * `out` (borrowed; not reset first).  Never fails; a NULL `utf8` appends
 * nothing.  Returns the number of bytes appended.
 */
size_t fold_name(const char *utf8, struct dx_buf *out);

/* 1 for a byte of a word: an ASCII letter or digit, or any non-ASCII. */
int fold_wordbyte(unsigned char c);

/*
 * 1 if the folded name `name` matches the folded query `q`: `q` is a
 * prefix of `name`, or equals a sequence of whole words of `name` (it
 * starts at the beginning or after a space, and ends at the end or
 * before a space).  An empty query matches nothing.
 */
int fold_match(const char *name, const char *q);

#endif
