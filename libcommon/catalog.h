/*
 * catalog.h: the office catalog: units, procedures (versioned) and staff,
 * as the catalog lines of dossier(5) ("Catalog lines").
 */
#ifndef DOSSIER_CATALOG_H
#define DOSSIER_CATALOG_H

#include <stddef.h>
#include <stdint.h>
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
    const struct dx_report *report, struct catalog_stats *st,
    struct dx_err *e);

/*
 * catalog_import() inside the caller's write transaction: nothing is
 * written when it fails, provided the caller rolls back.  With
 * CATALOG_NO_STAFF in `flags`, a staff record is a bad record (a
 * catalog sent by another office carries no staff of this one).
 */
#define CATALOG_NO_STAFF 1
int catalog_apply(struct db *db, struct jsonl_reader *r, int flags,
    const struct dx_report *report, struct catalog_stats *st,
    struct dx_err *e);

/*
 * The catalog's generation in *gen: 0 for a new office, raised by every
 * catalog_apply() that adds or changes a unit, procedure or staff member,
 * in its transaction.  A tool that runs across an import compares it to
 * the one it loaded the catalog at.  *st caches the statement (NULL at
 * first; the caller finalizes it).  0, or -1 with e set.
 */
int catalog_generation(struct db *db, sqlite3_stmt **st, int64_t *gen,
    struct dx_err *e);

/*
 * The catalog as it travels down from office `from` to its child office
 * `to` in a bundle: the units the current procedures' steps name, `from`,
 * `to` and the units below `to`, and the province, its departments and
 * their sections (the provincial tier, as dossier-bundle's relation()
 * knows it), with their ancestors, parents first; then the current
 * version of each procedure; no staff.  0, or -1 with e set.
 */
int catalog_export_down(struct db *db, FILE *fp, const char *from,
    const char *to, struct dx_err *e);

/*
 * The catalog of a new office: its own unit (`agency`, named `name`, at
 * level department with no parent) and its first staff member `login`,
 * an admin named after the login, so that whoever created the database
 * may configure it.  The catalog may rename, move or retire both later.
 * Inside the caller's transaction.  0, or -1 with e set.
 */
int catalog_init(struct db *db, const char *agency, const char *name,
    const char *login, struct dx_err *e);

/*
 * Write the catalog as catalog lines to `fp`: units (parents first), the
 * current version of each procedure, staff.  0, or -1 with e set.
 */
int catalog_export(struct db *db, FILE *fp, struct dx_err *e);

/*
 * The current procedure definition of `code` as a new JSON object (the
 * catalog line without "kind", plus "id" and "version"), or NULL.
 * When version > 0, that version instead of the current one.  NULL with
 * e set: DX_NOINPUT for an unknown code or version, DX_DATAERR for a
 * stored definition that is not JSON.
 *
 * Only the unit tests call it today (to read back what an import stored);
 * it is kept for the bundle export, which carries definitions.
 */
json_t *procedure_get(struct db *db, const char *code, int version,
    struct dx_err *e);

/*
 * A procedure version as the tools apply it: the columns of `procedures`,
 * its required documents and its internal steps, in catalog order.  The
 * one reader of these tables for dossier-new (the current versions, by
 * code) and dossier-route (the version a dossier was received under, by
 * id).  Every string is owned by the struct.
 */
struct procedure_step {
	char *name;
	char *role;		/* NULL: any role */
	char *unit;		/* NULL: none */
	char *office;		/* NULL: none */
	double amount;
	int time_unit;		/* enum time_unit, or -1 if unknown */
};

struct procedure {
	int64_t id;
	char *code;
	int version;
	char *name;
	char *field;
	double amount;		/* statutory time */
	int time_unit;		/* enum time_unit, or -1 if unknown */
	double remote_amount;	/* 0: none */
	int remote_unit;
	int pause;		/* supplement policy: 1 pause, 0 restart */
	int fee_paused;		/* waiting for the fee is not counted */
	double supplement_amount;	/* supplement_window; 0: none */
	int supplement_unit;
	char **required;	/* names of the required documents */
	size_t nrequired;
	struct procedure_step *steps;
	size_t nsteps;
};

/*
 * The current version of every procedure, sorted by code, in a new array
 * of *n entries, freed with procedures_free().  NULL with e set on error.
 */
struct procedure *procedures_current(struct db *db, size_t *n,
    struct dx_err *e);
/* The procedure `code` in a sorted array, or NULL. */
const struct procedure *procedures_find(const struct procedure *p,
    size_t n, const char *code);
void procedures_free(struct procedure *p, size_t n);

/*
 * Read the procedure version `id` into *p (freed with procedure_free()).
 * 0, or -1 with e set: DX_DATAERR "procedure N is missing" if there is no
 * such row (a dossier refers to it), or the database's error.
 */
int procedure_by_id(struct db *db, int64_t id, struct procedure *p,
    struct dx_err *e);
void procedure_free(struct procedure *p);

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

/* What catalog_lookup() looks up: a unit by code, a staff member by login. */
enum catalog_kind { CATALOG_UNIT, CATALOG_STAFF };

/* A unit's or a staff member's entry, as catalog_lookup() fills it in. */
struct catalog_entry {
	char *name;		/* the name */
	char *level;		/* a unit's level; NULL for staff */
	char *parent;		/* a unit's parent code; NULL at the root, for staff */
};

/*
 * Look `key` up in the catalog: the unit of that code or the staff member
 * of that login.  1 with *out filled in (new strings, freed with
 * catalog_entry_free()), 0 if there is no such entry or key is NULL (*out
 * all NULL), -1 with e set on a database error.
 */
int catalog_lookup(struct db *db, enum catalog_kind kind, const char *key,
    struct catalog_entry *out, struct dx_err *e);
void catalog_entry_free(struct catalog_entry *c);

#endif
