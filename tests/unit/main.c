/*
 * Unit tests for libcommon: runs every suite and prints TAP, the plan
 * last.  `unit-tests NAME` runs only the suite t_NAME; a name that is
 * no suite is refused (exit 2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

int tap_count;
int tap_failed;

void
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!cond) {
		printf(" # %s:%d", file, line);
		tap_failed++;
	}
	putchar('\n');
}

#define SUITE(name) void name(void);
#include "suites.h"
#undef SUITE

int
main(int argc, char *argv[])
{
	/* `unit-tests NAME` runs only suite t_NAME */
	const char *only = argc > 1 ? argv[1] : NULL;
	int ran = 0;

	if (argc > 2) {
		fputs("usage: unit-tests [SUITE]\n", stderr);
		return 2;
	}
#define SUITE(name) \
	if (only == NULL || strcmp(only, &#name[2]) == 0) { name(); ran++; }
#include "suites.h"
#undef SUITE
	if (ran == 0) {
		/* a name that matches no suite must not pass as "1..0" */
		fprintf(stderr, "unit-tests: no suite named '%s'\n", only);
		return 2;
	}
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
