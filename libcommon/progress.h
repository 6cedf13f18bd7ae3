/*
 * progress.h: a progress line for long work (a batch import, an export,
 * a report), written to a terminal only.
 *
 * The line says how many items are done, at what rate, and, when the
 * size of the work is known, how much of it and how long is left:
 *
 *	dossier-new: 120000 records, 41000/s, 35%, 0:05 left
 *
 * It is redrawn in place (carriage return) at most five times a second
 * and cleared at the end, so that the messages of the tool stay on lines
 * of their own.  On anything but a terminal (a pipe, a file, cron) it
 * writes nothing at all.  One progress belongs to one thread.
 */
#ifndef DOSSIER_PROGRESS_H
#define DOSSIER_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct progress {
	int fd;			/* where the line goes, or -1: silent */
	const char *prog;	/* "dossier-new" (borrowed) */
	const char *what;	/* "records" (borrowed) */
	int64_t total;		/* size of the work (bytes), or -1 */
	struct timespec start, last;
	size_t width;		/* the length of the line on screen */
};

/*
 * Start a progress on `fd` (STDERR_FILENO) if it is a terminal, else a
 * silent one.  `total` is the size of the work in the unit progress_set()
 * is given `pos` in (bytes of input), or -1 when unknown.  `prog` and
 * `what` are borrowed and must outlive p.
 */
void progress_start(struct progress *p, int fd, const char *prog,
    const char *what, int64_t total);

/*
 * `done` items are done and the work is at `pos` of `total` (or pos -1).
 * Cheap when nothing is drawn: call it for every item.
 */
void progress_set(struct progress *p, int64_t done, int64_t pos);

/* Clear the line, if one was drawn.  p stays valid and silent. */
void progress_end(struct progress *p);

/*
 * The text of the line into buf (n bytes, always NUL-terminated): "PROG:
 * DONE WHAT, RATE/s" and, when total > 0 and pos >= 0, ", P%, M:SS left"
 * (H:MM:SS past an hour).  `elapsed` is in seconds; no rate before 0.5 s
 * (", ..." instead).  Returns the length of the text.  Pure: what
 * progress_set() draws, for tests.
 */
size_t progress_format(char *buf, size_t n, const char *prog,
    const char *what, int64_t done, int64_t pos, int64_t total,
    double elapsed);

#endif
