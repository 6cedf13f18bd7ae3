/*
 * doc.h: a printable document and its two renderers.  A document is a
 * list of items (the header of an administrative document, a title,
 * field lines, paragraphs, tables, signatures) holding final strings;
 * it knows nothing of where they came from.  The renderers write it as
 * plain text for a receipt printer or as HTML, and know nothing of what
 * it says.  The forms of forms.h are built as documents; report forms
 * are too.
 *
 * Text: UTF-8, no line longer than DOC_TEXT_WIDTH display columns
 * (u8_width()), long values wrapped at spaces with an indent, a word
 * longer than a line cut (never between a letter and its combining
 * marks); DOC_NBSP binds words and prints as a space.  An empty table
 * cell prints DOC_DOTS, for filling in by hand.
 *
 * HTML: a page made of doc_html_head(), one doc_html() per document (a
 * <section>, A5 or A4, a page break between sections) and
 * DOC_HTML_END; inline CSS, no external resources, every string
 * escaped (& < > " ').
 *
 * Ownership: a document owns its item strings and cells (doc_free());
 * labels, columns and the page attributes are borrowed, usually static.
 */
#ifndef DOSSIER_DOC_H
#define DOSSIER_DOC_H

#include <stddef.h>

#include "util.h"

#define DOC_TEXT_WIDTH 48	/* display columns of a receipt printer */
#define DOC_NBSP "\xc2\xa0"	/* U+00A0: no line break here */
#define DOC_DOTS "................"

enum doc_kind {
	DOC_HEADER,	/* s[0] parent, s[1] office, s[2] place and date */
	DOC_TITLE,	/* s[0] */
	DOC_FIELD,	/* "label: s[0]"; label only when s[0] is NULL */
	DOC_PARA,	/* s[0] */
	DOC_TABLE,	/* cols, cells */
	DOC_SIGN,	/* cols (title, note), one row of names */
	DOC_GAP		/* a blank line in text, nothing in HTML */
};

/* Flags of a field. */
#define DOC_BOLD	0x1	/* value in bold (HTML) */
#define DOC_SUB		0x2	/* indented one level */
#define DOC_CENTER	0x4	/* centred */

enum doc_style {
	DOC_LIST,	/* text: "  1. name" lines; the other columns
			 * given follow as "col: value; ..." */
	DOC_BLOCKS	/* text: one block of "label: value" lines per row */
};

/* Flags of a column. */
#define DOC_COL_NUM	0x1	/* a narrow number column */
#define DOC_COL_SIGN	0x2	/* left empty for a signature */
#define DOC_COL_BARE	0x4	/* text: the value without the column name */

struct doc_column {
	const char *name;	/* header; signature: the title */
	const char *note;	/* signature: "(Ký và ghi rõ họ tên)" */
	unsigned flags;
};

struct doc_item {
	enum doc_kind kind;
	unsigned flags;
	const char *label;	/* borrowed */
	char *s[3];		/* owned */
	enum doc_style style;
	const struct doc_column *cols;	/* borrowed */
	size_t ncols, nrows;
	char **cells;		/* owned, nrows * ncols, NULL = empty */
};

/*
 * A document: its items, and for HTML its page: `name` (the <title>),
 * `id` (the section's data-form attribute), `a4` (A4, else A5) and
 * `landscape` (A4 turned, for a wide table such as a register book).
 * Start from all zeroes.
 */
struct doc {
	struct doc_item *v;
	size_t n, cap;
	const char *name, *id;
	int a4, landscape;
};

/* A new empty item of `kind` at the end, to fill in. */
struct doc_item *doc_add(struct doc *doc, enum doc_kind kind);
/* A field line; `value` (copied) may be NULL for a heading. */
void doc_field(struct doc *doc, unsigned flags, const char *label,
    const char *value);
/* The same with `value` owned by the document from now on. */
void doc_field_own(struct doc *doc, unsigned flags, const char *label,
    char *value);
/* A field only when `value` is set and not empty. */
void doc_field_opt(struct doc *doc, const char *label, const char *value);
/* A paragraph; `text` is owned by the document from now on. */
void doc_para(struct doc *doc, char *text);
void doc_gap(struct doc *doc);
/*
 * A table of `nrows` empty rows of the `ncols` columns `cols`: fill in
 * it->cells[row * ncols + col] with strings the document will own.
 */
struct doc_item *doc_table(struct doc *doc, enum doc_style style,
    const struct doc_column *cols, size_t ncols, size_t nrows);
/* Signatures: `cols` gives titles and notes, `names` (copied) the names. */
void doc_signatures(struct doc *doc, const struct doc_column *cols,
    size_t n, const char *const *names);
/* Free the items (not `doc`), leaving an empty document. */
void doc_free(struct doc *doc);

/* Append the document as text. */
void doc_text(struct dx_buf *o, const struct doc *doc);

/*
 * Append the head of an HTML page whose first document is `first` (NULL
 * for a page without documents: a generic title, A5), titled with
 * `code` too when it is not NULL.
 */
void doc_html_head(struct dx_buf *o, const struct doc *first,
    const char *code);
/* Append the document as an HTML section. */
void doc_html(struct dx_buf *o, const struct doc *doc);
/*
 * Append `s` as HTML text, as the renderer writes data: & < > " '
 * escaped, newlines as <br>, U+00A0 and other blanks as a space (NULL:
 * nothing), for a page a tool lays out itself around the documents.
 */
void doc_html_esc(struct dx_buf *o, const char *s);
/* What ends the page. */
#define DOC_HTML_END "</body>\n</html>\n"

#endif
