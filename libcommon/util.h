/*
 * util.h: exit codes, error reporting, checked allocation, number parsing.
 *
 * Error convention for all of libcommon: a function that can fail takes a
 * `struct dx_err *` as its last argument, fills it with an exit code from
 * the table below and a message, and returns -1 (or NULL).  Library code
 * never prints and never exits; the single exception is out-of-memory in
 * the x*() allocators, which print and exit with DX_SOFTWARE.
 */
#ifndef DOSSIER_UTIL_H
#define DOSSIER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Exit codes: the public contract, see dossier(7) and CONTRIBUTING.md. */
enum {
	DX_OK = 0,		/* success */
	DX_PARTIAL = 1,		/* some records rejected; lookups: nothing found */
	DX_USAGE = 64,		/* bad option or operand */
	DX_DATAERR = 65,	/* malformed JSON, invalid record (strict mode) */
	DX_NOINPUT = 66,	/* database, file or dossier missing */
	DX_UNAVAILABLE = 69,	/* the front: the tool is not installed */
	DX_SOFTWARE = 70,	/* internal error */
	DX_CANTCREAT = 73,	/* cannot create (an existing database) */
	DX_IOERR = 74,		/* I/O error, including stdout */
	DX_TEMPFAIL = 75,	/* database busy after the timeout: retry */
	DX_NOPERM = 77		/* role, ownership, unknown user, untrusted */
};

/* An error: an exit code from the table above and a message. */
struct dx_err {
	int code;
	char msg[512];
};

/*
 * Fill `e` (which may be NULL) with `code` and a printf-style message.
 * Always returns -1 so that callers can write `return dx_seterr(...)`.
 */
int dx_seterr(struct dx_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefix the message in `e` with "where: ".  Returns -1.
 */
int dx_prefix(struct dx_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The program name used in messages, set by dx_setprogname() from argv[0].
 * dx_setprogname() is the first call of every tool: it also turns on the
 * message catalog of the user's language (LANGUAGE, LC_ALL, LC_MESSAGES;
 * only the messages category, so numbers and sorting stay as in C), read
 * from the folder `locale` next to the program when there is one (a build
 * tree), else from the installed LOCALEDIR.
 */
const char *dx_progname(void);
void dx_setprogname(const char *argv0);

/*
 * _("text"): the translation of a message in the user's language (domain
 * "dossier", UTF-8), or "text" itself when there is none.  N_("text")
 * marks a message translated later, where it is printed.
 */
const char *dx_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) dx_gettext(s)
#define N_(s) (s)

/* "prog: message\n" on stderr. */
void dx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* dx_warn, then exit with `code`. */
void dx_die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* Report `e` as "prog: msg" and exit with e->code. */
void dx_die_err(const struct dx_err *e) __attribute__((noreturn));

/*
 * Where a library function that checks many things (an import, a chain,
 * the seals) reports each problem it finds before it goes on: fn(ctx,
 * msg), one message without the program name or a newline.  `ctx` is the
 * caller's, passed through untouched.  A NULL report or fn drops them.
 */
struct dx_report {
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
};
/* Format a message (up to 1023 bytes) and pass it to r->fn. */
void dx_report(const struct dx_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For a tool: each message on stderr, as dx_warn() prints it. */
extern const struct dx_report dx_warn_report;

/*
 * Flush stdout and exit with `status`, or with DX_IOERR and a message if
 * any write to stdout failed (a full disk or a closed pipe must not pass
 * silently).
 */
void dx_exit(int status) __attribute__((noreturn));

/*
 * While another thread may run, leave without the exit handlers: with
 * `on`, dx_die(), dx_exit() and the out-of-memory exit flush stdout and
 * stderr and _exit().  exit() would run the libraries' handlers (libcrypto
 * frees its state) under the feet of the other thread.
 */
void dx_exit_threaded(int on);

/* Allocation that cannot fail: on out-of-memory print and exit(DX_SOFTWARE). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A new string from a printf format, freed by the caller (git's xstrfmt). */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse a decimal integer in [min, max] from the whole of `s`.  On error
 * returns -1 and sets *errstr to "invalid", "too small" or "too large"
 * (OpenBSD's strtonum).
 */
int parse_int(const char *s, long long min, long long max, long long *out,
    const char **errstr);

/* A growable byte buffer: `buf` is always NUL-terminated when len > 0. */
struct dx_buf {
	char *buf;
	size_t len;
	size_t cap;
};
void buf_init(struct dx_buf *b);
/* Make room for `need` more bytes and the NUL. */
void buf_grow(struct dx_buf *b, size_t need);

/* Append n bytes (inline: records are written a few bytes at a time). */
static inline void
buf_add(struct dx_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}
void buf_adds(struct dx_buf *b, const char *s);
void buf_printf(struct dx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Append `s` as a CSV field (RFC 4180): in double quotes, inner quotes
 * doubled, when `always` or when it holds a comma, quote or line end;
 * NULL appends nothing (an empty field).
 */
void buf_csv(struct dx_buf *b, const char *s, int always);
/*
 * The display width of the UTF-8 text [s, s + n), in columns: one per
 * code point, none for a combining mark (U+0300..U+036F, U+1AB0..U+1AFF,
 * U+1DC0..U+1DFF, U+20D0..U+20FF, U+FE20..U+FE2F), which joins the
 * character before it: "Nguyễn" is 6 columns whether written with the
 * precomposed U+1EC5 or as e, U+0302, U+0303.  A byte that does not start
 * a code point (a stray continuation byte) takes no column.
 */
size_t u8_width(const char *s, size_t n);
/*
 * The code point of the UTF-8 sequence at p, its length in *len; -1 for
 * a sequence that is not valid UTF-8 (overlong, a surrogate, beyond
 * U+10FFFF, cut short: p is NUL-terminated).
 */
long u8_next(const unsigned char *p, size_t *len);
/*
 * 1 for a character that must not reach a terminal or a printed name as
 * it is: C0 and C1 controls, DEL, and the marks and overrides that
 * reorder text (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
 * U+2069).  dx_warn() shows them, and bytes that are not UTF-8, as \xNN.
 */
int u8_refused(long c);
/* Append a decimal integer (no printf: this is on hot paths). */
void buf_addint(struct dx_buf *b, long long v);
void buf_reset(struct dx_buf *b);
void buf_free(struct dx_buf *b);

/*
 * A new temporary file, already unlinked, in $TMPDIR (or /tmp when it is
 * unset or empty): a small /tmp must not fail a run the caller pointed
 * elsewhere.  The descriptor, closed by the caller, or -1 with e set
 * (DX_IOERR).
 */
int dx_tmpfd(struct dx_err *e);

/*
 * Open the input file `path` for reading.  The stream, closed by the
 * caller, or NULL with e set: DX_NOINPUT when it does not exist or is a
 * folder, DX_NOPERM when the system refuses the user ("permission
 * denied"), DX_IOERR otherwise.
 */
FILE *dx_fopen_input(const char *path, struct dx_err *e);

/*
 * Append `item` to the list of len bytes in buf[0..n-1], after `sep` when
 * the list is not empty, truncating to fit (buf stays NUL-terminated, n >
 * 0).  Returns the new length, at most n - 1: a full list stays full, and
 * no pointer past buf + n is ever formed.
 */
size_t list_append(char *buf, size_t n, size_t len, const char *sep,
    const char *item);

/* Lower-case hexadecimal of `n` bytes into `out` (2n+1 bytes). */
void hex_encode(const unsigned char *p, size_t n, char *out);
/* Decode exactly 2n hex digits from `s`; -1 on a bad digit or length. */
int hex_decode(const char *s, unsigned char *out, size_t n);

#endif
