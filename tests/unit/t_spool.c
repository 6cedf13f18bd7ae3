/*
 * t_spool.c: output held back until commit: records in memory, the
 * spill to the file past SPOOL_MEM, the order kept across the spill and
 * across spool_file(), lines handed one by one, discard.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "spool.h"
#include "util.h"

void t_spool(void);

/* Everything of fp from the start, which is then emptied. */
static char *
slurp(FILE *fp, size_t *n)
{
	char *buf;
	long len;

	fflush(fp);
	len = ftell(fp);
	buf = xmalloc((size_t)len + 1);
	rewind(fp);
	*n = fread(buf, 1, (size_t)len, fp);
	buf[*n] = '\0';
	rewind(fp);
	if (ftruncate(fileno(fp), 0) == -1)
		*n = 0;
	return buf;
}

struct lines {
	size_t n, bytes;
	int bad;		/* a line that does not end in a newline */
	int stop_at;		/* return 7 on this line (1-based), or 0 */
};

static int
take(const char *s, size_t n, void *arg)
{
	struct lines *l = arg;

	l->n++;
	l->bytes += n;
	if (n == 0 || s[n - 1] != '\n')
		l->bad = 1;
	return l->stop_at != 0 && (int)l->n == l->stop_at ? 7 : 0;
}

static void
check_memory(FILE *out)
{
	struct spool sp;
	struct dx_err e;
	struct lines l;
	char *got;
	size_t n;

	ok(spool_open(&sp, &e) == 0, "spool_open");
	spool_write(&sp, "a\n", 2, &e);
	spool_write(&sp, "bc\n", 3, &e);
	ok(!sp.filed && sp.len == 5, "small records stay in memory");
	ok(spool_flush(&sp, out, NULL, NULL, &e) == 0, "flush to a FILE");
	got = slurp(out, &n);
	is_str(got, "a\nbc\n", "in order");
	free(got);
	ok(sp.len == 0, "emptied by the flush");

	spool_write(&sp, "x\n", 2, &e);
	ok(spool_discard(&sp, &e) == 0 && sp.len == 0, "discard");
	spool_write(&sp, "y\nzz\n", 5, &e);
	memset(&l, 0, sizeof(l));
	ok(spool_flush(&sp, NULL, take, &l, &e) == 0, "flush by lines");
	ok(l.n == 2 && l.bytes == 5 && !l.bad,
	    "two lines, each with its newline, the discarded one gone");
	spool_write(&sp, "1\n2\n3\n", 6, &e);
	memset(&l, 0, sizeof(l));
	l.stop_at = 2;
	is_int(spool_flush(&sp, NULL, take, &l, &e), 7,
	    "a line writer's non-zero return stops the flush");
	ok(l.n == 2, "after that line");
	spool_close(&sp);
}

static void
check_spill(FILE *out)
{
	struct spool sp;
	struct dx_err e;
	struct lines l;
	char rec[4096], *got;
	size_t n, i, recs = SPOOL_MEM / sizeof(rec) + 3, bad = 0;

	memset(rec, 'r', sizeof(rec) - 1);
	rec[sizeof(rec) - 1] = '\n';
	ok(spool_open(&sp, &e) == 0, "spool_open");
	for (i = 0; i < recs; i++) {
		rec[0] = (char)('a' + i % 26);
		if (spool_write(&sp, rec, sizeof(rec), &e) == -1)
			break;
	}
	ok(i == recs, "%zu records of 4 KiB written", recs);
	ok(sp.filed, "past SPOOL_MEM the records are in the file");
	ok(sp.cap <= SPOOL_MEM, "memory held at most SPOOL_MEM (%zu)", sp.cap);
	ok(spool_flush(&sp, out, NULL, NULL, &e) == 0, "flush");
	got = slurp(out, &n);
	ok(n == recs * sizeof(rec), "every byte out (%zu)", n);
	for (i = 0; i < recs && (i + 1) * sizeof(rec) <= n; i++)
		if (got[i * sizeof(rec)] != (char)('a' + i % 26) ||
		    got[(i + 1) * sizeof(rec) - 1] != '\n')
			bad++;
	ok(bad == 0, "in the order written, across the spill");
	free(got);
	ok(!sp.filed && sp.len == 0, "the next transaction starts in memory");

	/* a spilled transaction handed line by line, then discarded */
	for (i = 0; i < recs; i++)
		spool_write(&sp, rec, sizeof(rec), &e);
	memset(&l, 0, sizeof(l));
	ok(spool_flush(&sp, NULL, take, &l, &e) == 0 && l.n == recs &&
	    !l.bad, "lines from the file: %zu", l.n);
	for (i = 0; i < recs; i++)
		spool_write(&sp, rec, sizeof(rec), &e);
	ok(spool_discard(&sp, &e) == 0 && !sp.filed, "discard a spill");
	spool_write(&sp, "after\n", 6, &e);
	ok(spool_flush(&sp, out, NULL, NULL, &e) == 0, "flush");
	got = slurp(out, &n);
	is_str(got, "after\n", "nothing of the discarded spill");
	free(got);
	spool_close(&sp);
}

static void
check_file(FILE *out)
{
	struct spool sp;
	struct dx_err e;
	FILE *fp;
	char *got;
	size_t n;

	ok(spool_open(&sp, &e) == 0, "spool_open");
	spool_write(&sp, "one\n", 4, &e);
	fp = spool_file(&sp, &e);
	ok(fp != NULL, "spool_file");
	fprintf(fp, "two\n");
	spool_write(&sp, "three\n", 6, &e);
	ok(spool_flush(&sp, out, NULL, NULL, &e) == 0, "flush");
	got = slurp(out, &n);
	is_str(got, "one\ntwo\nthree\n",
	    "memory, stdio and spool_write in the order written");
	free(got);
	spool_write(&sp, "four\n", 5, &e);
	ok(sp.filed && sp.len == 0, "after spool_file, always the file");
	fprintf(fp, "five\n");
	ok(spool_flush(&sp, out, NULL, NULL, &e) == 0, "flush");
	got = slurp(out, &n);
	is_str(got, "four\nfive\n", "the next transaction too");
	free(got);
	spool_close(&sp);
}

void
t_spool(void)
{
	FILE *out = tmpfile();

	ok(out != NULL, "tmpfile");
	if (out == NULL)
		return;
	check_memory(out);
	check_spill(out);
	check_file(out);
	fclose(out);
}
