/*
 * record.h: the dossier record (dossier(5) "Dossiers", version 1): the one
 * place that knows its fields.  Every tool that shows dossiers builds them
 * here, so the names never drift apart.
 *
 * Fields, in output order: v, uuid, code, ref, procedure,
 * procedure_version, procedure_name, field, unit, unit_name, owner,
 * channel, status, status_name, step, step_name, handler, applicant,
 * documents, note, received_at, start_at, due_at, original_due_at,
 * finished_at, returned_at, result, time, remote_extra, supplements,
 * extensions, version.
 *
 * due_at is the current due time, original_due_at the one before any
 * extension (equal to due_at until an extension moves it); result is
 * "early", "on_time" or "late" once the dossier ended (flow.h), else
 * null.
 */
#ifndef DOSSIER_RECORD_H
#define DOSSIER_RECORD_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "calendar.h"
#include "db.h"
#include "util.h"

/* National status codes (dossier(5), "Dossiers"). */
enum status {
	ST_SUBMITTED = 1,
	ST_ACCEPTED = 2,
	ST_REFUSED = 3,
	ST_PROCESSING = 4,
	ST_SUPPLEMENT = 5,
	ST_FEE = 6,
	ST_WITHDRAWAL = 7,
	ST_STOPPED = 8,
	ST_FINISHED = 9,
	ST_RETURNED = 10
};

/*
 * 1 if `status` is open: accepted, processing, supplement or fee
 * requested, the dossiers on the clock.  The one list of them: the query
 * text comes from it (sel_open_sql()), and a unit test holds the partial
 * index dossiers_open_due (schema.sql.h) to it.
 */
int status_is_open(int status);
/*
 * Append to `out` the SQL test that column `col` (e.g. "d.status") holds
 * an open status, made from status_is_open(): "(d.status = 2 OR
 * d.status = 4 OR d.status = 5 OR d.status = 6)", the words of the
 * partial index dossiers_open_due, so that a query written so can use
 * that index.
 */
void status_open_sql(struct dx_buf *out, const char *col);
/* "accepted" etc., or NULL for a code outside 1..10. */
const char *status_name(int status);
/* The code of a status name or of its decimal code; -1 if unknown. */
int status_parse(const char *s);

/*
 * The fields of a dossier record, as C values: what rec_write() prints.
 * Strings are borrowed; NULL prints null.  Times of 0 print null (no
 * dossier time is the epoch).  A step of 0 prints null; a time amount
 * below 0 prints null.  applicant and documents are compact JSON text.
 */
struct rec_fields {
	const char *uuid, *code, *ref, *procedure;
	int procedure_version;
	const char *procedure_name, *field, *unit, *unit_name, *owner;
	const char *channel;
	int status;
	int step;
	const char *step_name, *handler;
	const char *applicant, *documents, *note;
	dx_time received_at, start_at, due_at, original_due_at;
	dx_time finished_at, returned_at;
	const char *result;		/* NULL while open */
	double time_amount;
	const char *time_unit;
	double remote_amount;
	const char *remote_unit;
	int supplements, extensions, version;
};

/* Append the record of `f` as compact JSON (no newline) to `out`. */
void rec_write(struct dx_buf *out, const struct rec_fields *f,
    const struct calendar *cal);

/*
 * The record's columns and the FROM clause that yields them (table d is
 * dossiers), for tools that select dossiers with filters of their own:
 * "SELECT " rec_columns_sql [", more"] rec_from_sql " WHERE ...".  The
 * first REC_NCOLS result columns are then the record's, which
 * rec_fields_row() reads (strings valid until the statement moves on).
 */
#define REC_NCOLS 32
extern const char rec_columns_sql[];
extern const char rec_from_sql[];
/* rec_from_sql without its "FROM dossiers d", to join d to another table */
extern const char rec_joins_sql[];
void rec_fields_row(sqlite3_stmt *st, struct rec_fields *f);

/* Builds records; holds a prepared statement. */
struct recbuilder {
	struct db *db;
	struct calendar *cal;
	sqlite3_stmt *get;
};

/* 0, or -1 with e set.  `cal` formats the times; both are borrowed. */
int rec_init(struct recbuilder *rb, struct db *db, struct calendar *cal,
    struct dx_err *e);
void rec_free(struct recbuilder *rb);

/*
 * The record of the dossier with rowid `id`: a new reference, or NULL with
 * e set (DX_NOINPUT if there is no such dossier).
 */
json_t *rec_dossier(struct recbuilder *rb, int64_t id, struct dx_err *e);

/*
 * The same record as compact JSON text appended to `out` (no newline):
 * the fast path for tools that only print records.  0, or -1 with e set.
 */
int rec_dossier_text(struct recbuilder *rb, int64_t id, struct dx_buf *out,
    struct dx_err *e);

/*
 * Find a dossier by code, UUID or ref (tried in that order).  Returns 1
 * and *id, 0 if none, -1 on error.
 */
int rec_find(struct db *db, const char *key, int64_t *id, struct dx_err *e);

/*
 * The register book (Sổ theo dõi hồ sơ, Circular 01/2018/TT-VPCP Art.
 * 10(2)): one book per receiving agency and year, its lines numbered
 * from 1 in the order the dossier codes were issued.  A code
 * "AGENCY-YYMMDD-XXXX" is in the book "AGENCY-YY" of year 20YY, and its
 * line is the number of codes of that book up to and including it
 * (every dossier the database holds, whatever its status).  Keep a
 * struct rec_book (all zeroes to start, rec_book_free() after) across
 * calls in code order: each line then counts from the one before.
 */
struct rec_book {
	char *prefix;		/* "AGENCY-YY" of the last line */
	char *code;		/* its code */
	long long no;		/* its line */
	sqlite3_stmt *count;
};

/*
 * The year of the book of dossier `code` (*year) and its line (*no).
 * Returns 1, 0 if the code is not of that shape (no line), or -1 with e
 * set.
 */
int rec_book_line(struct db *db, struct rec_book *b, const char *code,
    int *year, long long *no, struct dx_err *e);
void rec_book_free(struct rec_book *b);

#endif
