/*
 * progress.c: a progress line on a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_MS 200	/* at most five lines a second */

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
progress_start(struct progress *p, int fd, const char *prog,
    const char *what, int64_t total)
{
	memset(p, 0, sizeof(*p));
	p->fd = isatty(fd) ? fd : -1;
	p->prog = prog;
	p->what = what;
	p->total = total;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

/* "1:05" or "2:03:04" */
static void
duration(char *buf, size_t n, double s)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		    t % 60);
	else
		snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

size_t
progress_format(char *buf, size_t n, const char *prog, const char *what,
    int64_t done, int64_t pos, int64_t total, double elapsed)
{
	char left[32];
	size_t len;
	int r;

	if (n == 0)
		return 0;
	if (elapsed < 0.5)
		r = snprintf(buf, n, "%s: %lld %s, ...", prog, (long long)done,
		    what);
	else
		r = snprintf(buf, n, "%s: %lld %s, %.0f/s", prog,
		    (long long)done, what, (double)done / elapsed);
	len = r < 0 ? 0 : (size_t)r >= n ? n - 1 : (size_t)r;
	if (total > 0 && pos >= 0 && elapsed >= 0.5 && len < n - 1) {
		if (pos > total)
			pos = total;
		if (pos > 0)
			duration(left, sizeof(left), elapsed *
			    (double)(total - pos) / (double)pos);
		r = snprintf(buf + len, n - len, ", %d%%%s%s%s",
		    (int)(100 * pos / total), pos > 0 ? ", " : "",
		    pos > 0 ? left : "", pos > 0 ? " left" : "");
		len += r < 0 ? 0 : (size_t)r >= n - len ? n - len - 1 :
		    (size_t)r;
	}
	return len;
}

void
progress_set(struct progress *p, int64_t done, int64_t pos)
{
	char line[256], out[sizeof(line) + 128];
	struct timespec now;
	size_t len, o;

	if (p->fd == -1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&p->last, &now) * 1000 < REDRAW_MS)
		return;
	p->last = now;
	len = progress_format(line, sizeof(line), p->prog, p->what, done, pos,
	    p->total, since(&p->start, &now));
	/* over what was there: a shorter line blanks the rest */
	o = 0;
	out[o++] = '\r';
	memcpy(out + o, line, len);
	o += len;
	while (o - 1 < p->width && o < sizeof(out))
		out[o++] = ' ';
	p->width = len;
	(void)!write(p->fd, out, o);
}

void
progress_end(struct progress *p)
{
	char out[300];
	size_t o = 0;

	if (p->fd == -1 || p->width == 0) {
		p->fd = -1;
		return;
	}
	out[o++] = '\r';
	while (o - 1 < p->width && o < sizeof(out) - 1)
		out[o++] = ' ';
	out[o++] = '\r';
	(void)!write(p->fd, out, o);
	p->fd = -1;
	p->width = 0;
}
