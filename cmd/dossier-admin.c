/*
 * dossier-admin: create and configure an office database: init, the
 * catalog (units, procedures, staff), the calendar, keys, integrity check
 * and online backup.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common.h"

static const char *dbopt;

static const struct cli cli = {
	"usage: dossier-admin [-d dbfile] init --agency code --name name\n"
	"       dossier-admin [-d dbfile] catalog import [file]\n"
	"       dossier-admin [-d dbfile] catalog export\n"
	"       dossier-admin [-d dbfile] calendar show year\n"
	"       dossier-admin [-d dbfile] calendar import [-r year] [file]\n"
	"       dossier-admin [-d dbfile] calendar official\n"
	"       dossier-admin [-d dbfile] calendar status\n"
	"       dossier-admin [-d dbfile] calendar hours [-f date] [periods"
	" [cutoff]]\n"
	"       dossier-admin [-d dbfile] keys [show | rotate | export]\n"
	"       dossier-admin [-d dbfile] seal\n"
	"       dossier-admin [-d dbfile] check [--keys file]\n"
	"       dossier-admin [-d dbfile] migrate\n"
	"       dossier-admin [-d dbfile] backup file\n"
	"       dossier-admin --help | --version\n",
	"  -d, --db FILE        the office database (default: $DOSSIER_DB)\n"
	"  init                 create the database; the user running it is"
	" its admin\n"
	"    -a, --agency CODE  the office's agency code (DDD.DD.DD.LDD)\n"
	"    -n, --name NAME    the office's name\n"
	"  catalog import|export  units, procedures and staff as JSON lines\n"
	"  calendar show|import|official|status|hours  holidays, overrides,"
	" office hours\n"
	"    -r YEAR            replace the overrides of YEAR\n"
	"    -f DATE            the hours in force on DATE, or from DATE on\n"
	"  keys show|rotate|export  the office's signing keys\n"
	"  seal                 seal the head of the event chain\n"
	"  check                integrity, foreign keys, event chains, seals\n"
	"    --keys FILE        check the seals against these public keys\n"
	"  migrate              bring the schema up to date\n"
	"  backup FILE          an online copy of the database\n"
	"      --help           this text\n"
	"      --version        the version and the database schema version\n"
};

#define usage(...) cli_usage(&cli, __VA_ARGS__)
#define open_db(flags) tool_open(dbopt, (flags))
#define put(o) tool_put(o)
#define die_db(db, rc) tool_die_db((db), (rc))


/* Open an input operand (or stdin for none or "-"). */
static FILE *
open_input(int argc, char **argv, const char **name)
{
	struct dx_err e;
	FILE *fp;

	if (argc > 1)
		usage(_("one input file at most, got %d"), argc);
	if (argc == 0 || strcmp(argv[0], "-") == 0) {
		*name = "stdin";
		return stdin;
	}
	if ((fp = dx_fopen_input(argv[0], &e)) == NULL)
		dx_die_err(&e);
	*name = argv[0];
	return fp;
}

/* The progress of an import on a terminal: lines read, and how far. */
static struct progress prog;

static void
tick(void *arg, long lineno, int64_t pos)
{
	progress_set(arg, lineno, pos);
}

/*
 * Read `fp` with `r`, drawing its progress on stderr when that is a
 * terminal; a regular file's size gives the share done and the time left.
 */
static void
import_init(struct jsonl_reader *r, FILE *fp, const char *name)
{
	struct stat sb;

	jsonl_init(r, fp, name);
	progress_start(&prog, STDERR_FILENO, dx_progname(), _("lines"),
	    fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) ?
	    (int64_t)sb.st_size : -1);
	r->tick = tick;
	r->tick_arg = &prog;
}

/*
 * The folder of a new database must exist and be writable: each has its
 * own message and exit code, not that of an existing file (73).
 */
static void
folder_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	struct stat sb;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &sb) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			dx_die(DX_NOINPUT, _("%s: no such folder '%s'"), path,
			    dir);
		if (errno == EACCES)
			dx_die(DX_NOPERM, _("%s: permission denied (folder"
			    " '%s')"), path, dir);
		dx_die(DX_IOERR, "%s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		dx_die(DX_NOINPUT, _("%s: '%s' is not a folder"), path, dir);
	if (access(dir, W_OK | X_OK) == -1) {
		if (errno == EACCES)
			dx_die(DX_NOPERM, _("%s: permission denied: cannot"
			    " create files in folder '%s'"), path, dir);
		dx_die(DX_IOERR, "%s: %s", dir, strerror(errno));
	}
	free(dir);
}

static int
cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "agency", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	unsigned char pub[ED25519_PUB_LEN], sec[ED25519_SEC_LEN];
	char hex[2 * ED25519_PUB_LEN + 1], *keypath, login[64];
	const char *agency = NULL, *name = NULL, *path;
	struct dx_err e;
	struct db *db;
	sqlite3_stmt *st;
	sqlite3_int64 now;
	long years, recounted;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "a:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			agency = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	if (optind != argc)
		usage(_("init: unexpected operand '%s'"), argv[optind]);
	if (agency == NULL)
		usage(_("--agency is required"));
	if (name == NULL || *name == '\0')
		usage(_("--name is required"));
	if (text_ok("--name", name, 300, &e) == -1)
		usage("%s", e.msg);
	if (!agency_valid(agency))
		dx_die(DX_DATAERR, _("invalid agency code '%s' (want"
		    " DDD.DD.DD.LDD, e.g. 000.00.22.H56)"), agency);
	if ((path = db_path(dbopt)) == NULL)
		dx_die(DX_USAGE, _("no database: use -d FILE or set"
		    " DOSSIER_DB"));
	if (actor_os_login(login, sizeof(login), &e) == -1)
		dx_die_err(&e);
	folder_writable(path);
	if (ed25519_keygen(pub, sec, &e) == -1)
		dx_die_err(&e);

	/* the key file first: a stale one must not pair with a new file */
	keypath = okey_path(path);
	if (access(path, F_OK) == 0)
		dx_die(DX_CANTCREAT, _("%s: already exists, refusing to"
		    " overwrite it"), path);
	rc = okey_write(keypath, sec, &e);
	memset(sec, 0, sizeof(sec));
	if (rc == -1)
		dx_die_err(&e);
	db = office_open(path, DB_CREATE, &e);
	if (db == NULL) {
		unlink(keypath);
		dx_die_err(&e);
	}
	if (db_begin(db, &e) == -1)
		goto fail;
	st = db_prepare(db, "INSERT INTO office (id, agency, name, utc_offset,"
	    " public_key, created_at) VALUES (1, ?, ?, ?, ?, ?)", 0, &e);
	if (st == NULL)
		goto fail;
	now = (sqlite3_int64)time(NULL);
	if ((rc = sqlite3_bind_text(st, 1, agency, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_bind_int(st, 3, CAL_DEFAULT_OFFSET)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 4, pub, sizeof(pub),
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 5, now)) != SQLITE_OK) {
		db_seterr(db, rc, &e, path);
		sqlite3_finalize(st);
		goto fail;
	}
	if (db_step_done(db, st, &e) == -1) {
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	st = db_prepare(db, "INSERT INTO office_keys (public_key, created_at)"
	    " VALUES (?, ?)", 0, &e);
	if (st == NULL)
		goto fail;
	if ((rc = sqlite3_bind_blob(st, 1, pub, sizeof(pub),
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(st, 2, now)) != SQLITE_OK) {
		db_seterr(db, rc, &e, path);
		sqlite3_finalize(st);
		goto fail;
	}
	if (db_step_done(db, st, &e) == -1) {
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	/* whoever creates the office may configure it, root or not */
	if (catalog_init(db, agency, name, login, &e) == -1)
		goto fail;
	if (db_commit(db, &e) == -1)
		goto fail;
	/* the Government's announced schedules, as shipped */
	if (calchange_official(db, "", &years, &recounted, &e) == -1)
		goto fail;
	db_close(db);
	hex_encode(pub, sizeof(pub), hex);
	put(json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "v", 1, "agency",
	    agency, "name", name, "public_key", hex, "db", path, "key_file",
	    keypath, "admin", login));
	free(keypath);
	return DX_OK;
fail:
	db_close(db);
	/* a half-made database is removed: init is all or nothing */
	unlink(path);
	unlink(keypath);
	dx_die_err(&e);
}

static int
cmd_catalog(int argc, char **argv)
{
	struct catalog_stats st;
	struct jsonl_reader r;
	struct dx_err e;
	struct db *db;
	const char *name;
	FILE *fp;
	int rc;

	if (argc < 2)
		usage(_("catalog: import or export?"));
	if (strcmp(argv[1], "export") == 0) {
		if (argc != 2)
			usage(_("catalog export: unexpected operand"
			    " '%s'"), argv[2]);
		db = open_db(DB_RDONLY);
		rc = catalog_export(db, stdout, &e);
		db_close(db);
		if (rc == -1)
			dx_die_err(&e);
		return DX_OK;
	}
	if (strcmp(argv[1], "import") != 0)
		usage(_("unknown catalog command '%s' (import,"
		    " export)"), argv[1]);
	fp = open_input(argc - 2, argv + 2, &name);
	db = open_db(0);
	if (actor_may_configure(db, &e) == -1)
		dx_die_err(&e);
	import_init(&r, fp, name);
	rc = catalog_import(db, &r, &dx_warn_report, &st, &e);
	progress_end(&prog);
	jsonl_free(&r);
	db_close(db);
	if (fp != stdin)
		fclose(fp);
	if (rc == -1)
		dx_die_err(&e);
	put(json_pack("{s:i,s:I,s:I,s:I,s:I}", "v", 1, "records",
	    (json_int_t)st.lines, "added", (json_int_t)st.added, "changed",
	    (json_int_t)st.changed, "unchanged", (json_int_t)st.unchanged));
	return DX_OK;
}

static int
parse_year(const char *s)
{
	long long y;
	const char *errstr;

	if (parse_int(s, CAL_YEAR_MIN, CAL_YEAR_MAX, &y, &errstr) == -1)
		dx_die(DX_USAGE, _("year '%s' is %s (%d to %d)"), s, errstr,
		    CAL_YEAR_MIN, CAL_YEAR_MAX);
	return (int)y;
}

/* The first year of the open dossiers (by start or receipt), or 0. */
static int
oldest_open_year(struct db *db, struct calendar *cal)
{
	struct dx_err e;
	struct dx_buf sql;
	sqlite3_stmt *st;
	int64_t t = 0;
	int rc, y = 0, m, d;

	/* the open dossiers and the submissions waiting for acceptance */
	buf_init(&sql);
	buf_adds(&sql, "SELECT min(coalesce(start_at, received_at))"
	    " FROM dossiers WHERE status = 1 OR ");
	status_open_sql(&sql, "status");
	st = db_prepare(db, sql.buf, 0, &e);
	buf_free(&sql);
	if (st == NULL)
		dx_die_err(&e);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		t = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		die_db(db, rc);
	if (t != 0)
		civil_from_days(cal_local_day(cal, t), &y, &m, &d);
	return y;
}

/* "official", "overridden" or "computed": what a year's calendar is. */
static const char *
year_schedule(struct calendar *cal, int year)
{
	if (cal_year_overrides(cal, year) > 0)
		return "overridden";
	return cal_is_official_year(cal, year) ? "official" : "computed";
}

static int
calendar_status(void)
{
	struct calendar cal;
	struct dx_err e;
	struct db *db;
	char *source;
	int y, first, last, m, d;

	db = open_db(DB_RDONLY);
	if (caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	civil_from_days(cal_local_day(&cal, (dx_time)time(NULL)), &last, &m,
	    &d);
	first = oldest_open_year(db, &cal);
	if (first == 0 || first > last)
		first = last;
	last++;
	for (y = first; y <= last; y++) {
		json_t *o;

		if (caldb_year_source(db, y, &source, &e) == -1)
			dx_die_err(&e);
		o = json_pack("{s:i,s:i,s:s,s:b,s:I}", "v", 1, "year", y,
		    "schedule", year_schedule(&cal, y),
		    "official", cal_is_official_year(&cal, y),
		    "overrides", (json_int_t)cal_year_overrides(&cal, y));
		json_object_set_new(o, "source", source != NULL ?
		    json_string(source) : json_null());
		free(source);
		put(o);
	}
	cal_free(&cal);
	db_close(db);
	return DX_OK;
}

/*
 * {"v":1,"from":"2026-12-01","office_hours":"07:00-11:30,13:30-17:00",
 * "cutoff":"15:00"}: the hours in force on local `day` ("from" null: the
 * hours before any change).
 */
static json_t *
hours_json(const struct calendar *cal, int64_t day)
{
	struct cal_hours h;
	struct dx_buf b;
	char cut[8], from[16];
	json_t *o;
	int i;

	cal_hours_on(cal, day, &h);
	buf_init(&b);
	for (i = 0; i < h.nperiods; i++)
		buf_printf(&b, "%s%02d:%02d-%02d:%02d", i > 0 ? "," : "",
		    h.period_start[i] / 60, h.period_start[i] % 60,
		    h.period_end[i] / 60, h.period_end[i] % 60);
	snprintf(cut, sizeof(cut), "%02d:%02d", h.cutoff / 60 % 100,
	    h.cutoff % 60);
	if (h.from != CAL_HOURS_ALWAYS)
		cal_format_day(h.from, from);
	o = json_pack("{s:i,s:o,s:s,s:s}", "v", 1, "from",
	    h.from == CAL_HOURS_ALWAYS ? json_null() : json_string(from),
	    "office_hours", b.buf != NULL ? b.buf : "", "cutoff", cut);
	buf_free(&b);
	return o;
}

/*
 * calendar hours [-f date] [periods [cutoff]]: show the hours in force on
 * a date (today), or change them from that date on.
 */
static int
calendar_hours(int argc, char **argv)
{
	struct calendar cal;
	struct dx_err e;
	struct db *db;
	const char *date = NULL;
	char login[64];
	int64_t day = 0;
	long recounted = 0;
	json_t *o;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:")) != -1) {
		switch (ch) {
		case 'f':
			date = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage(_("calendar hours: too many operands"));
	if (date != NULL && cal_parse_day(date, &day) == -1)
		usage(_("calendar hours: -f: '%s' is not a date (YYYY-MM-DD)"),
		    date);
	db = open_db(argc == 0 ? DB_RDONLY : 0);
	if (caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	if (date == NULL)
		day = cal_local_day(&cal, (dx_time)time(NULL));
	if (argc > 0) {
		cal_free(&cal);
		if (actor_may_configure(db, &e) == -1)
			dx_die_err(&e);
		actor_login(db, login, sizeof(login));
		if (calchange_hours(db, day, argv[0], argc == 2 ? argv[1] :
		    NULL, login, &recounted, &e) == -1 ||
		    caldb_load(db, &cal, &e) == -1)
			dx_die_err(&e);
	}
	db_close(db);
	/* like every other subcommand, say what is now stored */
	o = hours_json(&cal, day);
	if (argc > 0)
		json_object_set_new(o, "recounted",
		    json_integer((json_int_t)recounted));
	put(o);
	cal_free(&cal);
	return DX_OK;
}

static int
cmd_calendar(int argc, char **argv)
{
	struct calendar cal;
	struct cal_day *days;
	struct jsonl_reader r;
	struct dx_err e;
	struct db *db;
	const char *name;
	char login[64];
	size_t i, n;
	long count, recounted;
	int ch, year = 0;
	FILE *fp;

	if (argc < 2)
		usage(_("calendar: show, import, official, status or hours?"));
	if (strcmp(argv[1], "show") == 0) {
		if (argc != 3)
			usage(argc < 3 ? _("calendar show: the year is"
			    " required") :
			    _("calendar show: one year only"));
		year = parse_year(argv[2]);
		db = open_db(DB_RDONLY);
		if (caldb_load(db, &cal, &e) == -1)
			dx_die_err(&e);
		db_close(db);
		n = cal_year_days(&cal, year, &days);
		for (i = 0; i < n; i++)
			put(cal_day_json(&days[i]));
		free(days);
		cal_free(&cal);
		return DX_OK;
	}
	if (strcmp(argv[1], "status") == 0) {
		if (argc != 2)
			usage(_("calendar status: unexpected operand '%s'"),
			    argv[2]);
		return calendar_status();
	}
	if (strcmp(argv[1], "official") == 0) {
		if (argc != 2)
			usage(_("calendar official: unexpected operand"
			    " '%s'"), argv[2]);
		db = open_db(0);
		if (actor_may_configure(db, &e) == -1)
			dx_die_err(&e);
		actor_login(db, login, sizeof(login));
		if (calchange_official(db, login, &count, &recounted, &e) == -1)
			dx_die_err(&e);
		db_close(db);
		put(json_pack("{s:i,s:I,s:I}", "v", 1, "years",
		    (json_int_t)count, "recounted", (json_int_t)recounted));
		return DX_OK;
	}
	if (strcmp(argv[1], "hours") == 0)
		return calendar_hours(argc - 1, argv + 1);
	if (strcmp(argv[1], "import") != 0)
		usage(_("unknown calendar command '%s' (show, import,"
		    " official, status, hours)"),
		    argv[1]);
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			year = parse_year(optarg);
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	fp = open_input(argc - optind, argv + optind, &name);
	db = open_db(0);
	if (actor_may_configure(db, &e) == -1)
		dx_die_err(&e);
	actor_login(db, login, sizeof(login));
	import_init(&r, fp, name);
	count = calchange_import(db, &r, year, &dx_warn_report, login,
	    &recounted, &e);
	progress_end(&prog);
	jsonl_free(&r);
	db_close(db);
	if (fp != stdin)
		fclose(fp);
	if (count == -1)
		dx_die_err(&e);
	put(json_pack("{s:i,s:I,s:I}", "v", 1, "overrides", (json_int_t)count,
	    "recounted", (json_int_t)recounted));
	return DX_OK;
}

/* keys show | rotate | export: the office's key pair (officekey.h). */
static int
cmd_keys(int argc, char **argv)
{
	unsigned char pub[ED25519_PUB_LEN];
	char hex[2 * ED25519_PUB_LEN + 1], t[40], *keypath;
	struct calendar cal;
	struct office o;
	struct dx_err e;
	struct db *db;
	sqlite3_stmt *st;
	int state, rc;

	if (argc > 2)
		usage(_("keys: unexpected operand '%s'"), argv[2]);
	if (argc == 1 || strcmp(argv[1], "show") == 0) {
		db = open_db(DB_RDONLY);
		if (db_office(db, &o, &e) == -1 ||
		    (state = okey_state(db, &e)) == -1)
			dx_die_err(&e);
		keypath = okey_path(db->path);
		db_close(db);
		hex_encode(o.public_key, sizeof(o.public_key), hex);
		put(json_pack("{s:i,s:s,s:s,s:s,s:s,s:s}", "v", 1, "agency",
		    o.agency, "name", o.name, "public_key", hex, "key_file",
		    keypath, "key_state", okey_state_name(state)));
		free(keypath);
		return DX_OK;
	}
	if (strcmp(argv[1], "rotate") == 0) {
		db = open_db(0);
		if (actor_may_configure(db, &e) == -1 ||
		    okey_rotate(db, pub, &e) == -1)
			dx_die_err(&e);
		keypath = okey_path(db->path);
		db_close(db);
		hex_encode(pub, sizeof(pub), hex);
		put(json_pack("{s:i,s:s,s:s}", "v", 1, "public_key", hex,
		    "key_file", keypath));
		free(keypath);
		return DX_OK;
	}
	if (strcmp(argv[1], "export") != 0)
		usage(_("unknown keys command '%s' (show, rotate, export)"),
		    argv[1]);
	/* every public key the office had: old seals verify with them */
	db = open_db(DB_RDONLY);
	if (db_office(db, &o, &e) == -1 || caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	st = db_prepare(db, "SELECT public_key, created_at, retired_at"
	    " FROM office_keys ORDER BY id", 0, &e);
	if (st == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *k;

		if (sqlite3_column_bytes(st, 0) != ED25519_PUB_LEN)
			dx_die(DX_DATAERR, _("%s: a damaged public key in"
			    " office_keys"), db->path);
		hex_encode(sqlite3_column_blob(st, 0), ED25519_PUB_LEN, hex);
		cal_format(&cal, sqlite3_column_int64(st, 1), t);
		k = json_pack("{s:i,s:s,s:s,s:s,s:n}", "v", 1, "agency",
		    o.agency, "public_key", hex, "created_at", t,
		    "retired_at");
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			cal_format(&cal, sqlite3_column_int64(st, 2), t);
			json_object_set_new(k, "retired_at", json_string(t));
		}
		put(k);
	}
	sqlite3_finalize(st);
	cal_free(&cal);
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	db_close(db);
	return DX_OK;
}

/* Rows of a check query, each reported as a problem; returns the count. */
static long
check_rows(struct db *db, const char *sql, const char *what)
{
	struct dx_err e;
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	if ((st = db_prepare(db, sql, 0, &e)) == NULL)
		dx_die_err(&e);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t != NULL && strcmp(t, "ok") == 0)
			continue;
		dx_warn("%s: %s", what, t != NULL ? t : "(null)");
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	return n;
}

/*
 * Warn about the open dossiers whose due time falls in a year whose
 * calendar is only computed (no official schedule, no override): their
 * due times may move when the Government announces that year's swaps.
 * The years go to *years; returns the number of such dossiers.
 */
static long
check_computed(struct db *db, json_t *years)
{
	struct calendar cal;
	struct dx_buf sql;
	struct dx_err e;
	sqlite3_stmt *st;
	long n = 0, k;
	int rc, y;

	if (caldb_load(db, &cal, &e) == -1)
		dx_die_err(&e);
	buf_init(&sql);
	buf_adds(&sql, "SELECT CAST(strftime('%Y', due_at + ?, 'unixepoch')"
	    " AS INTEGER) AS y, count(*) FROM dossiers WHERE ");
	status_open_sql(&sql, "status");
	buf_adds(&sql, " AND due_at IS NOT NULL GROUP BY y ORDER BY y");
	st = db_prepare(db, sql.buf, 0, &e);
	buf_free(&sql);
	if (st == NULL)
		dx_die_err(&e);
	if ((rc = sqlite3_bind_int(st, 1, cal.utc_offset)) != SQLITE_OK)
		die_db(db, rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		y = sqlite3_column_int(st, 0);
		k = (long)sqlite3_column_int64(st, 1);
		if (strcmp(year_schedule(&cal, y), "computed") != 0)
			continue;
		dx_warn(_("calendar: %ld open dossier%s due in %d, whose"
		    " calendar is only computed from the Labour Code (no"
		    " official schedule, no override)"), k, k == 1 ? " is" :
		    "s are", y);
		json_array_append_new(years, json_integer(y));
		n += k;
	}
	sqlite3_finalize(st);
	cal_free(&cal);
	if (rc != SQLITE_DONE)
		die_db(db, rc);
	return n;
}

/* seal: sign the head of the office's event chain (seal.h). */
static int
cmd_seal(int argc, char **argv)
{
	unsigned char sec[ED25519_SEC_LEN];
	char hex[2 * SHA256_LEN + 1], t[40];
	struct calendar cal;
	struct office o;
	struct seal s;
	struct dx_err e;
	struct db *db;
	int rc;

	if (argc != 1)
		usage(_("seal: unexpected operand '%s'"), argv[1]);
	db = open_db(0);
	if (actor_may_configure(db, &e) == -1 ||
	    db_office(db, &o, &e) == -1 || caldb_load(db, &cal, &e) == -1 ||
	    okey_load(db, sec, &e) == -1)
		dx_die_err(&e);
	rc = seal_make(db, o.agency, (int64_t)time(NULL), sec, o.public_key,
	    &s, &e);
	memset(sec, 0, sizeof(sec));
	if (rc == -1)
		dx_die_err(&e);
	db_close(db);
	hex_encode(s.hash, sizeof(s.hash), hex);
	cal_format(&cal, s.at, t);
	cal_free(&cal);
	put(json_pack("{s:i,s:s,s:I,s:s,s:s}", "v", 1, "origin", s.origin,
	    "seq", (json_int_t)s.seq, "hash", hex, "sealed_at", t));
	return DX_OK;
}

/*
 * The public keys of a `keys export` file kept outside the database: the
 * only keys check then trusts.  The count; *keys freed by the caller.
 */
static size_t
read_keys(const char *path, unsigned char **keys)
{
	static const char *const fields[] = {
		"v", "agency", "public_key", "created_at", "retired_at", NULL
	};
	struct jsonl_reader r;
	struct dx_err e;
	const char *hex;
	json_t *o;
	size_t n = 0;
	FILE *fp;
	int rc;

	*keys = NULL;
	if ((fp = dx_fopen_input(path, &e)) == NULL)
		dx_die_err(&e);
	jsonl_init(&r, fp, path);
	while ((rc = jsonl_next(&r, &o, &e)) == 1) {
		if (jx_only(o, fields, NULL, &e) == -1 ||
		    jx_str(o, "public_key", JX_REQ, &hex, &e) == -1)
			dx_die(DX_DATAERR, "%s:%ld: %s", path, r.lineno,
			    e.msg);
		*keys = xreallocarray(*keys, n + 1, ED25519_PUB_LEN);
		if (hex_decode(hex, *keys + n * ED25519_PUB_LEN,
		    ED25519_PUB_LEN) == -1)
			dx_die(DX_DATAERR, _("%s:%ld: public_key: '%s' is not"
			    " 64 hexadecimal digits"), path, r.lineno, hex);
		n++;
		json_decref(o);
	}
	if (rc != 0)
		dx_die_err(&e);
	jsonl_free(&r);
	fclose(fp);
	if (n == 0)
		dx_die(DX_DATAERR, _("%s: no public key"), path);
	return n;
}

static int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keys", required_argument, NULL, 'k' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	unsigned char *keys = NULL;
	struct dx_err e;
	struct db *db;
	long bad_integrity, bad_fk, broken, nevents, mismatched, ndossiers, bad;
	long computed, bad_seals, nseals, orphans, bad_blobs, nblobs;
	json_t *years;
	size_t nkeys = 0;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			free(keys);
			nkeys = read_keys(optarg, &keys);
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	if (optind != argc)
		usage(_("check: unexpected operand '%s'"), argv[optind]);
	db = open_db(DB_RDONLY);
	bad_integrity = check_rows(db, "PRAGMA integrity_check", "integrity");
	/* rowid is NULL for a WITHOUT ROWID table */
	bad_fk = check_rows(db, "SELECT 'table ' || \"table\" ||"
	    " coalesce(' row ' || rowid, '') ||"
	    " ' refers to a missing row of ' || parent"
	    " FROM pragma_foreign_key_check", "foreign key");
	broken = events_verify(db, &dx_warn_report, &nevents, &e);
	if (broken == -1)
		dx_die_err(&e);
	mismatched = project_verify(db, &dx_warn_report, &ndossiers, &e);
	if (mismatched == -1)
		dx_die_err(&e);
	if ((orphans = audit_orphans(db, &dx_warn_report, &e)) == -1 ||
	    (bad_blobs = audit_blobs(db, &dx_warn_report, &nblobs,
	    &e)) == -1)
		dx_die_err(&e);
	bad_seals = seal_verify(db, keys, nkeys, &dx_warn_report, &nseals,
	    &e);
	if (bad_seals == -1)
		dx_die_err(&e);
	free(keys);
	years = json_array();
	computed = check_computed(db, years);
	db_close(db);
	bad = bad_integrity + bad_fk + broken + mismatched + orphans +
	    bad_blobs + bad_seals;
	/* a computed calendar is a warning, not damage: ok stays true */
	put(json_pack("{s:i,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I,"
	    "s:I,s:I,s:I}",
	    "v", 1,
	    "ok", bad == 0,
	    "integrity_errors", (json_int_t)bad_integrity,
	    "foreign_key_errors", (json_int_t)bad_fk,
	    "events", (json_int_t)nevents,
	    "broken_chains", (json_int_t)broken,
	    "dossiers", (json_int_t)ndossiers,
	    "projection_mismatches", (json_int_t)mismatched,
	    "computed_due", (json_int_t)computed,
	    "computed_years", years,
	    "seals", (json_int_t)nseals,
	    "seal_errors", (json_int_t)bad_seals,
	    "events_without_dossier", (json_int_t)orphans,
	    "blobs", (json_int_t)nblobs,
	    "blob_errors", (json_int_t)bad_blobs));
	return bad == 0 ? DX_OK : DX_DATAERR;
}

/* Bring the schema up to date (office_open does it when it may write). */
static int
cmd_migrate(int argc, char **argv)
{
	struct dx_err e;
	struct db *db;
	int v;

	if (argc != 1)
		usage(_("migrate: unexpected operand '%s'"), argv[1]);
	db = open_db(0);
	if (db_schema_version(db, &v, &e) == -1)
		dx_die_err(&e);
	db_close(db);
	put(json_pack("{s:i,s:i}", "v", 1, "schema_version", v));
	return DX_OK;
}

/*
 * backup FILE: copy the database through SQLite's backup API into a
 * temporary file beside FILE, then link it to FILE, so that an
 * interrupted backup leaves no half FILE to block the next one, and FILE
 * is never overwritten (link(2) fails on an existing name).
 */
static int
cmd_backup(int argc, char **argv)
{
	struct dx_err e;
	struct stat sb;
	struct db *db;
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	const char *out;
	char *tmp;
	int fd, rc, err;

	if (argc != 2)
		usage(argc < 2 ? _("backup: the file is required") :
		    _("backup: one file only"));
	out = argv[1];
	db = open_db(DB_RDONLY);
	if (lstat(out, &sb) == 0)
		dx_die(DX_CANTCREAT, _("%s: already exists, refusing to"
		    " overwrite it"), out);
	tmp = xstrfmt("%s.tmp-XXXXXX", out);
	if ((fd = mkstemp(tmp)) == -1)
		dx_die(DX_IOERR, "%s: %s", tmp, strerror(errno));
	close(fd);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	b = sqlite3_backup_init(dst, "main", db->h, "main");
	if (b == NULL) {
		rc = sqlite3_errcode(dst);
		goto fail;
	}
	/*
	 * One step copies every page under one read transaction: a
	 * consistent snapshot, while writers go on in WAL mode.
	 */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	if (sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
		rc = sqlite3_errcode(dst);
	if (rc != SQLITE_DONE)
		goto fail;
	if (sqlite3_close(dst) != SQLITE_OK) {
		dst = NULL;
		rc = SQLITE_IOERR;
		goto fail;
	}
	dst = NULL;
	if (link(tmp, out) == -1) {
		err = errno;
		unlink(tmp);
		dx_die(err == EEXIST ? DX_CANTCREAT : DX_IOERR, "%s: %s", out,
		    err == EEXIST ? "already exists, refusing to overwrite it"
		    : strerror(err));
	}
	unlink(tmp);
	free(tmp);
	db_close(db);
	put(json_pack("{s:i,s:s}", "v", 1, "backup", out));
	return DX_OK;
fail:
	dx_seterr(&e, rc == SQLITE_BUSY ? DX_TEMPFAIL : DX_IOERR,
	    _("%s: backup failed: %s"), out, dst != NULL ?
	    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	db_close(db);
	dx_die_err(&e);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const struct cli_cmd cmds[] = {
		{ "init", cmd_init },
		{ "catalog", cmd_catalog },
		{ "calendar", cmd_calendar },
		{ "keys", cmd_keys },
		{ "seal", cmd_seal },
		{ "check", cmd_check },
		{ "backup", cmd_backup },
		{ "migrate", cmd_migrate },
		{ NULL, NULL }
	};
	int ch, i;

	dx_setprogname(argv[0]);
	/*
	 * A file size limit must end in a message and 74 like a full disk
	 * (the write fails with EFBIG), not kill the tool silently.
	 */
	signal(SIGXFSZ, SIG_IGN);
	/* "+": stop at the subcommand, whose options are its own */
	while ((ch = getopt_long(argc, argv, "+d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		default:
			cli_option(&cli, ch);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(_("the command is required"));
	/*
	 * "calendar import --help" is a question, not a file or a year: the
	 * commands share one synopsis, so every --help gets it.
	 */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0)
			cli_help(&cli);
	dx_exit(cli_run(&cli, cmds, argc, argv));
}
