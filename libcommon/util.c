/*
 * util.c: exit codes, messages, checked allocation, small helpers.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define MSG_MAX 4096	/* the longest message, in bytes */

static const char *progname = "dossier";

const char *
dx_progname(void)
{
	return progname;
}

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void
dx_setprogname(const char *argv0)
{
	char dir[PATH_MAX], *q;
	const char *p;
	struct stat sb;
	ssize_t n;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	progname = p != NULL ? p + 1 : argv0;

	/*
	 * The catalog of a build tree is next to the program: found from
	 * the program file itself, as argv[0] has no folder when the
	 * program was found on PATH.
	 */
	setlocale(LC_MESSAGES, "");
	n = readlink("/proc/self/exe", dir, sizeof(dir) - sizeof("/locale"));
	if (n > 0)
		dir[n] = '\0';
	if (n > 0 && (q = strrchr(dir, '/')) != NULL) {
		memcpy(q, "/locale", sizeof("/locale"));
	} else if (p != NULL && (size_t)(p - argv0) + sizeof("/locale") <=
	    sizeof(dir)) {
		snprintf(dir, sizeof(dir), "%.*s/locale", (int)(p - argv0),
		    argv0);
	} else
		dir[0] = '\0';
	if (dir[0] != '\0' && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		bindtextdomain("dossier", dir);
	else
		bindtextdomain("dossier", LOCALEDIR);
	bind_textdomain_codeset("dossier", "UTF-8");
}

const char *
dx_gettext(const char *msgid)
{
	return dgettext("dossier", msgid);
}

int
dx_seterr(struct dx_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
dx_prefix(struct dx_err *e, const char *fmt, ...)
{
	char head[256];
	size_t n, len, room;
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	n = strlen(head);
	len = strnlen(e->msg, sizeof(e->msg) - 1);
	room = sizeof(e->msg) - 1 - (n + 2);
	if (len > room)
		len = room;
	memmove(e->msg + n + 2, e->msg, len);
	e->msg[n + 2 + len] = '\0';
	memcpy(e->msg, head, n);
	e->msg[n] = ':';
	e->msg[n + 1] = ' ';
	return -1;
}

long
u8_next(const unsigned char *p, size_t *len)
{
	long c;
	size_t n, i;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return -1;
	*len = n;
	return c;
}

int
u8_refused(long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

static void
vwarn_(const char *fmt, va_list ap)
{
	static const char hex[] = "0123456789abcdef";
	char msg[MSG_MAX + 1], out[4 * MSG_MAX + 64];
	size_t n, o, i, len;
	long cp;
	int r;

	/*
	 * One message, one line: the message may quote input, so control
	 * characters are escaped (a name with a newline in it must not
	 * start a line of its own), and so are bytes that are not UTF-8
	 * and the marks that reorder text, which a terminal would obey
	 * (0x9b starts an escape sequence); a long one is cut, at a
	 * character.
	 */
	r = vsnprintf(msg, sizeof(msg), fmt, ap);
	n = r < 0 ? 0 : (size_t)r;
	if (n > MSG_MAX) {
		n = MSG_MAX - 3;
		while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
			n--;
		memcpy(msg + n, "...", 3);
		n += 3;
		msg[n] = '\0';
	}
	/* "prog: " and the message in one write: threads do not mix */
	o = strlen(progname);
	if (o > 40)
		o = 40;
	memcpy(out, progname, o);
	out[o++] = ':';
	out[o++] = ' ';
	for (i = 0; i < n; i += len) {
		unsigned char c = (unsigned char)msg[i];

		cp = u8_next((const unsigned char *)msg + i, &len);
		if (cp != -1 && !u8_refused(cp)) {
			memcpy(out + o, msg + i, len);
			o += len;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else {
			/* a refused character, each byte; else the one byte */
			if (cp == -1)
				len = 1;
			for (r = 0; r < (int)len; r++) {
				c = (unsigned char)msg[i + (size_t)r];
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[c >> 4];
				out[o++] = hex[c & 15];
			}
		}
	}
	out[o++] = '\n';
	fflush(stdout);
	fwrite(out, 1, o, stderr);
}

void
dx_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
}

void
dx_report(const struct dx_report *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r == NULL || r->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->fn(r->ctx, msg);
}

static void
warn_line(void *ctx, const char *msg)
{
	(void)ctx;
	dx_warn("%s", msg);
}

const struct dx_report dx_warn_report = { warn_line, NULL };

static int threaded;	/* dx_exit_threaded() */

void
dx_exit_threaded(int on)
{
	threaded = on;
}

static void
leave(int code) __attribute__((noreturn));

static void
leave(int code)
{
	if (threaded) {
		fflush(stdout);
		fflush(stderr);
		_exit(code);
	}
	exit(code);
}

void
dx_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_(fmt, ap);
	va_end(ap);
	leave(code);
}

void
dx_die_err(const struct dx_err *e)
{
	dx_die(e->code ? e->code : DX_SOFTWARE, "%s", e->msg);
}

void
dx_exit(int status)
{
	int bad = ferror(stdout);

	errno = 0;
	if (fflush(stdout) == EOF || bad) {
		fprintf(stderr, "%s: stdout: %s\n", progname,
		    errno ? strerror(errno) : "write error");
		leave(DX_IOERR);
	}
	leave(status);
}

static void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	leave(DX_SOFTWARE);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size != 0 && n > SIZE_MAX / size)
		oom();
	q = realloc(p, n * size != 0 ? n * size : 1);
	if (q == NULL)
		oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	return s;
}

int
parse_int(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (s == NULL || *s == '\0' || (*s != '-' && *s != '+' &&
	    (*s < '0' || *s > '9'))) {
		*errstr = "invalid";
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

void
buf_init(struct dx_buf *b)
{
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_grow(struct dx_buf *b, size_t need)
{
	size_t cap;

	if (b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2)
			oom();
		cap *= 2;
	}
	b->buf = xreallocarray(b->buf, cap, 1);
	b->cap = cap;
}

void
buf_adds(struct dx_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_csv(struct dx_buf *b, const char *s, int always)
{
	const char *p;

	if (s == NULL)
		return;
	if (!always && strpbrk(s, ",\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_add(b, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_add(b, "\"", 1);
		buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

/* 1 if code point c is a combining mark (see u8_width()). */
static int
combining(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f);
}

size_t
u8_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	uint32_t c;
	size_t w = 0;
	int k;

	while (p < end) {
		if ((*p & 0xc0) == 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xe0 && *p < 0xf0) {
			c = *p & 0x0f;
			k = 2;
		} else if (*p >= 0xc0 && *p < 0xe0) {
			c = *p & 0x1f;
			k = 1;
		} else {
			/* ASCII, 4-byte sequences (no marks) and bad bytes */
			c = *p;
			k = 0;
		}
		for (p++; k > 0 && p < end && (*p & 0xc0) == 0x80; k--, p++)
			c = c << 6 | (*p & 0x3f);
		if (!combining(c) || k > 0)
			w++;
	}
	return w;
}

void
buf_printf(struct dx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_addint(struct dx_buf *b, long long v)
{
	char tmp[24];
	unsigned long long u;
	int i = sizeof(tmp);

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		tmp[--i] = '-';
	buf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void
buf_reset(struct dx_buf *b)
{
	b->len = 0;
	if (b->buf != NULL)
		b->buf[0] = '\0';
}

void
buf_free(struct dx_buf *b)
{
	free(b->buf);
	buf_init(b);
}

FILE *
dx_fopen_input(const char *path, struct dx_err *e)
{
	struct stat sb;
	FILE *fp;
	int err;

	if ((fp = fopen(path, "r")) == NULL) {
		err = errno;
		if (err == ENOENT || err == ENOTDIR)
			dx_seterr(e, DX_NOINPUT, "%s: %s", path,
			    strerror(err));
		else if (err == EACCES || err == EPERM)
			dx_seterr(e, DX_NOPERM, _("%s: permission denied"),
			    path);
		else
			dx_seterr(e, DX_IOERR, "%s: %s", path, strerror(err));
		return NULL;
	}
	/* a folder opens, and its first read fails with EISDIR */
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(fp);
		dx_seterr(e, DX_NOINPUT, _("%s: a folder, not a file"), path);
		return NULL;
	}
	return fp;
}

int
dx_tmpfd(struct dx_err *e)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t n;
	int fd, err;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = strlen(dir) + sizeof("/dossier.XXXXXX");
	path = xmalloc(n);
	snprintf(path, n, "%s/dossier.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1) {
		err = errno;
		dx_seterr(e, DX_IOERR, _("cannot create a temporary file in"
		    " '%s': %s"), dir, strerror(err));
		free(path);
		return -1;
	}
	if (unlink(path) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		err = errno;
		close(fd);
		dx_seterr(e, DX_IOERR, _("temporary file '%s': %s"), path,
		    strerror(err));
		free(path);
		return -1;
	}
	free(path);
	return fd;
}

void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_decode(const char *s, unsigned char *out, size_t n)
{
	size_t i;
	int hi, lo;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		hi = hexval((unsigned char)s[2 * i]);
		lo = hexval((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

size_t
list_append(char *buf, size_t n, size_t len, const char *sep,
    const char *item)
{
	int w;

	if (len >= n - 1)
		return n - 1;
	w = snprintf(buf + len, n - len, "%s%s", len > 0 ? sep : "", item);
	if (w < 0)
		return len;
	return (size_t)w >= n - len ? n - 1 : len + (size_t)w;
}
