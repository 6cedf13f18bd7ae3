/*
 * t_progress.c: the progress line (progress.h): its text, and silence
 * on anything but a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "tap.h"

void t_progress(void);

void
t_progress(void)
{
	struct progress p;
	char buf[128];
	size_t n;
	int fds[2];

	n = progress_format(buf, sizeof(buf), "dossier-new", "records", 5, -1,
	    -1, 0.1);
	is_str(buf, "dossier-new: 5 records, ...", "no rate in the first"
	    " half second");
	ok(n == strlen(buf), "the length is returned");
	progress_format(buf, sizeof(buf), "dossier-new", "records", 120000,
	    -1, -1, 3.0);
	is_str(buf, "dossier-new: 120000 records, 40000/s",
	    "count and rate when the size is unknown");
	progress_format(buf, sizeof(buf), "dossier-new", "records", 120000,
	    350, 1000, 2.0);
	is_str(buf, "dossier-new: 120000 records, 60000/s, 35%, 0:04 left",
	    "part done and time left when the size is known");
	progress_format(buf, sizeof(buf), "x", "records", 10, 1, 4000, 2.0);
	is_str(buf, "x: 10 records, 5/s, 0%, 2:13:18 left",
	    "hours past an hour");
	progress_format(buf, sizeof(buf), "x", "records", 10, 0, 1000, 2.0);
	is_str(buf, "x: 10 records, 5/s, 0%", "no time left before any"
	    " progress");
	progress_format(buf, sizeof(buf), "x", "records", 10, 2000, 1000,
	    2.0);
	is_str(buf, "x: 10 records, 5/s, 100%, 0:00 left",
	    "a position past the end counts as the end");
	n = progress_format(buf, 12, "dossier-new", "records", 10, 1, 10,
	    2.0);
	ok(n == 11 && strcmp(buf, "dossier-new") == 0,
	    "cut to the buffer, NUL-terminated");

	/* a pipe is not a terminal: nothing is written */
	ok(pipe(fds) == 0, "a pipe");
	progress_start(&p, fds[1], "x", "records", 100);
	ok(p.fd == -1, "silent on a pipe");
	progress_set(&p, 1, 1);
	progress_end(&p);
	close(fds[1]);
	ok(read(fds[0], buf, sizeof(buf)) == 0, "and nothing was written");
	close(fds[0]);
}
