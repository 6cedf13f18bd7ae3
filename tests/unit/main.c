/*
 * Unit tests for libcommon: runs every suite and prints TAP.
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

#define SUITE(name) \
	if (only == NULL || strcmp(only, &#name[2]) == 0) name();
#include "suites.h"
#undef SUITE
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
