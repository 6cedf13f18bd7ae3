/*
 * official.c: the shipped holiday schedules, compiled in from
 * data/holidays.jsonl (see the Makefile).
 */
#include <stddef.h>

#include "official.h"

static const char *const lines[] = {
#include "holidays.inc"
	NULL
};

const char *
official_line(size_t i)
{
	if (i >= sizeof lines / sizeof lines[0])
		return NULL;
	return lines[i];
}
