/*
 * cli.h: what every tool answers the same way: --help, --version and
 * usage errors.
 *
 * A tool describes itself once, in a `struct cli`: its synopsis (the
 * usage text, word for word the SYNOPSIS of its manual page) and one line
 * per option.  Its getopt_long() table ends with CLI_LONGOPTS, and the
 * `default:` case of its option switch calls cli_option(), which answers
 * --help and --version and turns anything else (getopt has already said
 * what was wrong) into the usage text and exit 64.
 */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

#include <getopt.h>

enum {
	CLI_HELP = 0x1000,	/* getopt_long() value of --help */
	CLI_VERSION		/* and of --version */
};

/* The two entries every getopt_long() table carries, before its end. */
#define CLI_LONGOPTS \
	{ "help", no_argument, NULL, CLI_HELP }, \
	{ "version", no_argument, NULL, CLI_VERSION }

struct cli {
	const char *synopsis;	/* "usage: tool ...\n", one or more lines */
	const char *options;	/* "  -d, --db FILE  the database\n" ... */
};

/* The version of the toolkit, from the Makefile ("0.4.0"). */
const char *cli_version_string(void);

/*
 * Print the synopsis, then the options, on stdout and exit 0 (or 74 when
 * stdout cannot be written).
 */
void cli_help(const struct cli *c) __attribute__((noreturn));

/*
 * Print "PROG VERSION (database schema N)" on stdout and exit 0 (or 74).
 */
void cli_version(void) __attribute__((noreturn));

/*
 * A usage error: "prog: MESSAGE" (when fmt is not NULL; the message says
 * what was wrong), then the synopsis, on stderr; exit 64.
 */
void cli_usage(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/*
 * The `default:` case of an option switch: --help and --version are
 * answered; any other `ch` is an option getopt has already complained
 * about, and ends in the synopsis and exit 64.
 */
void cli_option(const struct cli *c, int ch) __attribute__((noreturn));

/*
 * Refuse two options given together: when both `a` and `b` are non-zero,
 * a usage error "OPTA and OPTB cannot be given together".
 */
void cli_exclusive(const struct cli *c, int a, const char *opta, int b,
    const char *optb);

/* One command of a tool that has several ("dossier-admin init ..."). */
struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

/*
 * Run the command of `cmds` (ended by a NULL name) that argv[0] names,
 * with argc and argv, and return what it returns; a name not there is a
 * usage error "unknown command 'NAME'".
 */
int cli_run(const struct cli *c, const struct cli_cmd *cmds, int argc,
    char **argv);

#endif
