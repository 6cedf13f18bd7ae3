/*
 * select.h: choosing dossiers.  The filter options a tool offers, how
 * they are parsed and refused, and the query that selects the dossiers
 * they describe, in one place, so that every tool spells a filter the
 * same way (git's ref-filter).
 *
 * A tool adds sel_options[] to its own getopt_long() options
 * (sel_longopts()), hands every option it does not know to sel_option(),
 * and after opening the database calls sel_resolve() (times, the name,
 * --due-within) and sel_prepare(), then steps the statement, dropping the
 * rows sel_match() refuses.
 *
 * The options (each filter ANDed with the others):
 *   --name text            the applicant's name, ignoring diacritics and
 *                          case (fold.h): the search index, then
 *                          sel_match() on each row
 *   --id-number n, --phone n   the applicant's ID number or phone
 *   --status s             a status name or code; repeated: any of them
 *   --procedure code, --field field, --unit code, --handler login
 *   --channel direct|online|postal
 *   --received-from t, --received-to t, --finished-from t, --finished-to t
 *                          RFC 3339 times or dates; a date alone as the
 *                          upper bound takes in the whole day
 *   --overdue[=t]          open and past due at t (default: now); a
 *                          paused dossier is judged at its pause
 *   --due-within days      open and due between now and `days` working
 *                          days from now
 *   --paused, --supplement-pending, --elsewhere (owned by another office)
 *   --waiting              online submissions not yet accepted or refused
 *                          (status 1); not with --overdue or --due-within,
 *                          since such a submission has no due time
 *   --sort received|due|code, --reverse
 *                          the order; without --sort, --overdue and
 *                          --due-within sort by due time, --waiting by
 *                          receipt (oldest first), others by row
 *                          (or the name index's order)
 *
 * Errors are DX_USAGE with the messages of dossier-status(1), e.g.
 * "--status: unknown 'x'".  Nothing here keeps global state.
 */
#ifndef DOSSIER_SELECT_H
#define DOSSIER_SELECT_H

#include <getopt.h>
#include <stdint.h>

#include <sqlite3.h>

#include "calendar.h"
#include "db.h"
#include "util.h"

enum sel_sort { SEL_SORT_NONE, SEL_SORT_RECEIVED, SEL_SORT_DUE,
	SEL_SORT_CODE };

/* One bound parameter of the query: text or an integer. */
struct sel_param {
	const char *s;		/* NULL: the integer i */
	int64_t i;
};

/*
 * A selection.  Initialize with sel_init(), free with sel_free().  Option
 * strings are borrowed (argv); the rest is owned.
 */
struct sel {
	/* the filters as given */
	unsigned statuses;		/* bit s: status s (1..10) */
	const char *procedure, *field, *unit, *handler, *channel;
	const char *name, *id_number, *phone;
	const char *recv_from_s, *recv_to_s, *fin_from_s, *fin_to_s;
	const char *overdue_s;		/* --overdue=time, NULL for now */
	int overdue, paused, supplement, elsewhere, waiting;
	long due_within;		/* -1: none */
	int nfilters;			/* how many filter options were given */
	enum sel_sort sort;
	int sort_given, reverse;
	/* sel_resolve() */
	const char *agency;		/* this office, for --elsewhere */
	char *qname;			/* the folded --name, or NULL */
	dx_time now;
	dx_time recv_from, recv_to, fin_from, fin_to, overdue_at, due_until;
	int recv_to_incl, fin_to_incl;	/* a time (<=), not a date (<) */
	/*
	 * Set by a tool, not an option: with live_to non-zero, only the
	 * dossiers received before live_to and, of those, received at or
	 * after live_from or not ended before it (open, or finished at or
	 * after it): read through the indexes of receipt and end times, or
	 * with live_scan, when they are most of the table, by reading the
	 * table through.  With unordered, no ORDER BY: rows come as the
	 * table or the indexes give them.
	 */
	dx_time live_from, live_to;
	int live_scan, unordered;
	/* sel_build() */
	struct dx_buf sql;
	struct sel_param *params;
	int nparams, capparams;
	int keyparam;			/* index of d.id = ?, or -1 */
	int stream;			/* rows come from the name index */
	struct dx_buf match;		/* the search index's MATCH text */
};

/* The applicant's name, for the query's columns when sel_match() runs. */
#define SEL_NAME_SQL "json_extract(d.applicant, '$.name')"

/*
 * The filter options, for getopt_long(), ended by a zero entry.  Their
 * values are SEL_OPT_FIRST and up; a tool's own options must stay below.
 */
#define SEL_OPT_FIRST 1024
extern const struct option sel_options[];

/*
 * `own` (ended by a zero entry) followed by sel_options[]: a new array,
 * freed by the caller with free().
 */
struct option *sel_longopts(const struct option *own);

void sel_init(struct sel *s);
void sel_free(struct sel *s);

/*
 * Take option `ch` with argument `arg` (NULL if none) as getopt_long()
 * returned it.  Returns 1 if it was a selection option, 0 if it is not
 * one (the tool's own), or -1 with e set to DX_USAGE for a bad value.
 */
int sel_option(struct sel *s, int ch, const char *arg, struct dx_err *e);

/*
 * Parse `str`, an RFC 3339 time or a date, for option `what`.  With
 * `incl` non-NULL (an upper bound), a date alone means the next midnight,
 * exclusive, and *incl is set to 0, else to 1.  Returns 0, or -1 with e
 * set to DX_USAGE.
 */
int sel_parse_time(const struct calendar *cal, const char *what,
    const char *str, dx_time *t, int *incl, struct dx_err *e);

/*
 * Check that `str` is an RFC 3339 time or a date, for option `what`,
 * before the office's calendar is known: a tool refuses a bad time among
 * its usage errors, before it opens the database (sel_option() does so
 * for the selection's times).  Returns 0, or -1 with e set to DX_USAGE.
 */
int sel_check_time(const char *what, const char *str, struct dx_err *e);

/*
 * Resolve the filters for the office whose agency code is `agency`
 * (borrowed: --elsewhere) and calendar `cal` (used by this call only) at
 * the instant `now`: parse the times, fold the name, count --due-within,
 * choose the default order.  Returns 0, or -1 with e set to DX_USAGE.
 */
int sel_resolve(struct sel *s, struct calendar *cal, const char *agency,
    dx_time now, struct dx_err *e);

/*
 * Build the query into s->sql and s->params: "SELECT " `columns` (the
 * tool's, which may use the tables of rec_from_sql: d, p, u, s), the
 * joins, the filters, the order.  With `keyed`, one more condition
 * d.id = ?, parameter s->keyparam (0-based), for the tool to bind to each
 * dossier it looks up.  The SQL holds no data: every value is a
 * parameter.  `db` is read for the name index's vocabulary.  Returns 0,
 * or -1 with e set (DX_USAGE: "--name: nothing to search for").
 */
int sel_build(struct sel *s, struct db *db, const char *columns, int keyed,
    struct dx_err *e);

/*
 * sel_build(), then prepare the query and bind its parameters: a new
 * statement the caller finalizes, or NULL with e set.
 */
sqlite3_stmt *sel_prepare(struct sel *s, struct db *db, const char *columns,
    int keyed, struct dx_err *e);

/*
 * 1 if a row whose applicant's name is `name` (the SEL_NAME_SQL column)
 * matches --name, or if there is no --name; else 0.  `scratch` is a
 * buffer the caller keeps across rows.
 */
int sel_match(const struct sel *s, const char *name, struct dx_buf *scratch);

/*
 * The open statuses (accepted, processing, supplement and fee
 * requested), in the words of the partial index dossiers_open_due:
 * "(d.status = 2 OR d.status = 4 OR d.status = 5 OR d.status = 6)",
 * appended to `out`.  An open-status filter written so lets SQLite use
 * that index.
 */
void sel_open_sql(struct dx_buf *out);

#endif
