/*
 * official.h: the Government's announced holiday schedules as shipped.
 *
 * The source of truth is data/holidays.jsonl; its lines (comments and
 * empty lines removed) are compiled in at build time, so that the tools
 * need no data path.  A line is a year header {"year":Y,"source":"..."}
 * or a day {"date":"YYYY-MM-DD","kind":"holiday|compensatory|workday",
 * "name":"..."} of the year above it.  calchange_official() loads them into
 * a database.
 */
#ifndef DOSSIER_OFFICIAL_H
#define DOSSIER_OFFICIAL_H

#include <stddef.h>

/* Line i of the shipped schedules (borrowed, static), or NULL past the
 * last line. */
const char *official_line(size_t i);

#endif
