/*
 * cli.c: --help, --version and usage errors, the same in every tool.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "util.h"

#ifndef DOSSIER_VERSION
#define DOSSIER_VERSION "unknown"
#endif

const char *
cli_version_string(void)
{
	return DOSSIER_VERSION;
}

void
cli_help(const struct cli *c)
{
	fputs(_(c->synopsis), stdout);
	if (c->options != NULL && *c->options != '\0') {
		fputs("\n", stdout);
		fputs(_(c->options), stdout);
	}
	dx_exit(DX_OK);
}

void
cli_version(void)
{
	printf("%s %s (%s %d)\n", dx_progname(), DOSSIER_VERSION,
	    _("database schema"), DB_SCHEMA_VERSION);
	dx_exit(DX_OK);
}

void
cli_usage(const struct cli *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		dx_warn("%s", msg);
	}
	fflush(stdout);
	fputs(_(c->synopsis), stderr);
	exit(DX_USAGE);
}

void
cli_option(const struct cli *c, int ch)
{
	if (ch == CLI_HELP)
		cli_help(c);
	if (ch == CLI_VERSION)
		cli_version();
	cli_usage(c, NULL);
}

int
cli_run(const struct cli *c, const struct cli_cmd *cmds, int argc,
    char **argv)
{
	for (; cmds->name != NULL; cmds++)
		if (strcmp(argv[0], cmds->name) == 0)
			return cmds->run(argc, argv);
	cli_usage(c, _("unknown command '%s'"), argv[0]);
}

void
cli_exclusive(const struct cli *c, int a, const char *opta, int b,
    const char *optb)
{
	if (a && b)
		cli_usage(c, _("%s and %s cannot be given together"), opta,
		    optb);
}
