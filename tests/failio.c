/*
 * failio.so: an LD_PRELOAD shim for the I/O-error runs of the torture
 * test (tests/torture.sh, make torture): the writes SQLite makes to the
 * database and its journal (pwrite, pwrite64) and its syncs (fsync,
 * fdatasync) fail from call FAILIO_AFTER on (0 or unset: never), with
 * FAILIO_ERRNO (EIO, the default, or ENOSPC).  With FAILIO_ONCE=1 only
 * that call fails: a transient error.  Writes to the standard output and
 * error (write(2)) are not touched.  With FAILIO_REPORT, the number of
 * calls is written to that file at exit (to choose FAILIO_AFTER from).
 * Not under the sanitizers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long after = -1, calls;
static int once, err = EIO;

static int
failing(void)
{
	const char *s;
	long n;

	if (after < 0) {
		s = getenv("FAILIO_AFTER");
		after = s != NULL ? atol(s) : 0;
		if (after == 0)
			after = 1L << 60;
		s = getenv("FAILIO_ONCE");
		once = s != NULL && strcmp(s, "1") == 0;
		s = getenv("FAILIO_ERRNO");
		if (s != NULL && strcmp(s, "ENOSPC") == 0)
			err = ENOSPC;
	}
	n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	return once ? n == after : n >= after;
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(
		    RTLD_NEXT, "pwrite");
	if (failing()) {
		errno = err;
		return -1;
	}
	return real(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off64_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, off64_t))dlsym(
		    RTLD_NEXT, "pwrite64");
	if (failing()) {
		errno = err;
		return -1;
	}
	return real(fd, buf, n, off);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (failing()) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if (failing()) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

__attribute__((destructor)) static void
report(void)
{
	const char *path = getenv("FAILIO_REPORT");
	int fd;

	if (path == NULL ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return;
	dprintf(fd, "%ld\n", calls);
	close(fd);
}
