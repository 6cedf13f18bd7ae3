/*
 * spool.c: output held back until commit, in memory while it fits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "util.h"

#define SPOOL_BUF (1 << 20)

int
spool_open(struct spool *sp, struct dx_err *e)
{
	int fd;

	memset(sp, 0, sizeof(*sp));
	/* not tmpfile(3): it ignores TMPDIR */
	if ((fd = dx_tmpfd(e)) == -1)
		return -1;
	if ((sp->fp = fdopen(fd, "w+")) == NULL) {
		close(fd);
		return dx_seterr(e, DX_IOERR, _("cannot create a spool file:"
		    " %s"),
		    strerror(errno));
	}
	sp->vbuf = xmalloc(SPOOL_BUF);
	setvbuf(sp->fp, sp->vbuf, _IOFBF, SPOOL_BUF);
	return 0;
}

static int
file_write(struct spool *sp, const void *p, size_t n, struct dx_err *e)
{
	if (n > 0 && fwrite(p, 1, n, sp->fp) != n)
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	return 0;
}

/* Move what the memory holds to the file; this transaction stays there. */
static int
spill(struct spool *sp, struct dx_err *e)
{
	if (file_write(sp, sp->mem, sp->len, e) == -1)
		return -1;
	sp->len = 0;
	sp->filed = 1;
	return 0;
}

int
spool_write(struct spool *sp, const void *p, size_t n, struct dx_err *e)
{
	size_t cap;

	if (sp->filed)
		return file_write(sp, p, n, e);
	if (n > SPOOL_MEM - sp->len)
		return spill(sp, e) == -1 ? -1 : file_write(sp, p, n, e);
	if (sp->len + n > sp->cap) {
		cap = sp->cap ? sp->cap : 1 << 16;
		while (cap < sp->len + n)
			cap *= 2;
		if (cap > SPOOL_MEM)
			cap = SPOOL_MEM;
		sp->mem = xreallocarray(sp->mem, cap, 1);
		sp->cap = cap;
	}
	memcpy(sp->mem + sp->len, p, n);
	sp->len += n;
	return 0;
}

FILE *
spool_file(struct spool *sp, struct dx_err *e)
{
	if (!sp->filed && spill(sp, e) == -1)
		return NULL;
	sp->direct = 1;
	return sp->fp;
}

/* The memory's records to `out` or to `line`, then emptied. */
static int
flush_mem(struct spool *sp, FILE *out,
    int (*line)(const char *s, size_t n, void *arg), void *arg,
    struct dx_err *e)
{
	const char *s = sp->mem, *end, *nl;
	int r;

	if (sp->len == 0)
		return 0;
	end = sp->mem + sp->len;
	if (line == NULL) {
		if (fwrite(sp->mem, 1, sp->len, out) != sp->len)
			return dx_seterr(e, DX_IOERR, _("stdout: %s"),
			    strerror(errno));
	} else {
		for (; s < end; s = nl) {
			nl = memchr(s, '\n', (size_t)(end - s));
			nl = nl == NULL ? end : nl + 1;
			if ((r = line(s, (size_t)(nl - s), arg)) != 0)
				return r;
		}
	}
	sp->len = 0;
	return 0;
}

/* The file's records to `out` or to `line`, then emptied. */
static int
flush_file(struct spool *sp, FILE *out,
    int (*line)(const char *s, size_t n, void *arg), void *arg,
    struct dx_err *e)
{
	char buf[65536], *l = NULL;
	size_t n, cap = 0;
	ssize_t len;
	int r = 0;

	if (fflush(sp->fp) == EOF)
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	rewind(sp->fp);
	if (line == NULL) {
		while ((n = fread(buf, 1, sizeof(buf), sp->fp)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				return dx_seterr(e, DX_IOERR, _("stdout: %s"),
				    strerror(errno));
	} else {
		while (r == 0 && (len = getline(&l, &cap, sp->fp)) > 0)
			r = line(l, (size_t)len, arg);
		free(l);
		if (r != 0)
			return r;
	}
	if (ferror(sp->fp))
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	rewind(sp->fp);
	if (ftruncate(fileno(sp->fp), 0) == -1)
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	sp->filed = sp->direct;
	return 0;
}

int
spool_flush(struct spool *sp, FILE *out,
    int (*line)(const char *s, size_t n, void *arg), void *arg,
    struct dx_err *e)
{
	int r;

	r = sp->filed ? flush_file(sp, out, line, arg, e) :
	    flush_mem(sp, out, line, arg, e);
	if (r != 0)
		return r;
	if (out != NULL && fflush(out) == EOF)
		return dx_seterr(e, DX_IOERR, _("stdout: %s"), strerror(errno));
	return 0;
}

int
spool_discard(struct spool *sp, struct dx_err *e)
{
	sp->len = 0;
	if (!sp->filed)
		return 0;
	sp->filed = sp->direct;
	if (fflush(sp->fp) == EOF || ftruncate(fileno(sp->fp), 0) == -1)
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	rewind(sp->fp);
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp->fp != NULL)
		fclose(sp->fp);
	free(sp->vbuf);
	free(sp->mem);
	memset(sp, 0, sizeof(*sp));
}
