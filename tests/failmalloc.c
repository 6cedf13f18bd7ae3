/*
 * failmalloc.so: an LD_PRELOAD shim for the out-of-memory runs
 * (tests/oom.sh, make oom): malloc, calloc and realloc fail with ENOMEM
 * from call FAILMALLOC_AFTER on (0 or unset: never).  Not under the
 * sanitizers, which bring their own allocator.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

static long after = -1, calls;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static char boot[65536];
static size_t bootn;

static int
failing(void)
{
	if (after < 0) {
		const char *s = getenv("FAILMALLOC_AFTER");

		after = s != NULL ? atol(s) : 0;
		if (after == 0)
			after = 1L << 60;
	}
	return ++calls >= after;
}

void *
malloc(size_t n)
{
	if (real_malloc == NULL)
		real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	if (failing()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	if (real_calloc == NULL) {
		/* dlsym itself calls calloc */
		void *p = boot + bootn;

		bootn += (a * b + 15) & ~(size_t)15;
		if (bootn > sizeof(boot))
			return NULL;
		real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
		    "calloc");
		return p;
	}
	if (failing()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	if (real_realloc == NULL)
		real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT,
		    "realloc");
	if (failing()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, n);
}

void
free(void *p)
{
	static void (*real_free)(void *);

	if ((char *)p >= boot && (char *)p < boot + sizeof(boot))
		return;
	if (real_free == NULL)
		real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_free(p);
}
