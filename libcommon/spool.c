/*
 * spool.c: output held back until commit.
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

	sp->vbuf = NULL;
	sp->fp = NULL;
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

int
spool_write(struct spool *sp, const void *p, size_t n, struct dx_err *e)
{
	if (fwrite(p, 1, n, sp->fp) != n)
		return dx_seterr(e, DX_IOERR, _("spool file: %s"),
		    strerror(errno));
	return 0;
}

int
spool_flush(struct spool *sp, FILE *out,
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
	if (out != NULL && fflush(out) == EOF)
		return dx_seterr(e, DX_IOERR, _("stdout: %s"), strerror(errno));
	return 0;
}

int
spool_discard(struct spool *sp, struct dx_err *e)
{
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
	sp->fp = NULL;
	sp->vbuf = NULL;
}
