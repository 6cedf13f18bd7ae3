/*
 * catalog.h: the office catalog: units, procedures (versioned) and staff,
 * as the catalog lines of design.md section 7.
 */
#ifndef DOSSIER_CATALOG_H
#define DOSSIER_CATALOG_H

#include <stdio.h>

#include <jansson.h>

#include "db.h"
#include "jsonl.h"
#include "util.h"

/* 1 if s has the shape of a QCVN 102 agency code: DDD.DD.DD.LDD */
int agency_valid(const char *s);
/* 1 if s looks like a procedure code: D.DDDDDD, optionally followed by
 * ".AGENCY" (a provincial service code). */
int procedure_code_valid(const char *s);
/* 1 if s is a staff role: reception, specialist, leader, clerk, admin */
int role_valid(const char *s);

/* What an import did. */
struct catalog_stats {
	long lines;		/* records read */
	long added;		/* new units, procedures, staff */
	long changed;		/* changed units, staff; new procedure versions */
	long unchanged;		/* identical to what the database holds */
	long rejected;		/* bad records (then nothing is written) */
};

/*
 * Import catalog lines from `r` into `db` in one write transaction: all or
 * nothing.  Every bad record is reported through `report` (called with the
 * message "NAME:LINE: reason"; may be NULL), and reading goes on so that all
 * of them are found; if any was bad, nothing is written and -1 is returned
 * with e set (DX_DATAERR).  Re-importing an identical catalog changes
 * nothing.  A changed procedure becomes a new version; older versions are
 * kept for the dossiers received under them.
 */
int catalog_import(struct db *db, struct jsonl_reader *r,
    void (*report)(const char *msg), struct catalog_stats *st,
    struct dx_err *e);

/*
 * Write the catalog as catalog lines to `fp`: units (parents first), the
 * current version of each procedure, staff.  0, or -1 with e set.
 */
int catalog_export(struct db *db, FILE *fp, struct dx_err *e);

/*
 * The current procedure definition of `code` as a new JSON object (the
 * catalog line without "kind", plus "id" and "version"), or NULL.
 * When version > 0, that version instead of the current one.
 */
json_t *procedure_get(struct db *db, const char *code, int version,
    struct dx_err *e);

/* A unit of the catalog, with its effective remote flag. */
struct unitinfo {
	char *code;
	char *name;
	int remote;		/* the unit or one of its ancestors is remote */
};

/*
 * Every unit, sorted by code, in a new array (*n entries) freed with
 * units_free().  NULL with e set on error.
 */
struct unitinfo *units_load(struct db *db, size_t *n, struct dx_err *e);
void units_free(struct unitinfo *u, size_t n);
/* The unit `code` in a sorted array, or NULL. */
struct unitinfo *units_find(struct unitinfo *u, size_t n, const char *code);

#endif
