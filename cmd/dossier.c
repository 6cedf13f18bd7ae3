/*
 * dossier: the front.  `dossier new ...` runs dossier-new with the same
 * arguments, from the directory this program was run from if it has one,
 * else from PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const char *const tools[][2] = {
	{ "admin", "create and configure an office database" },
	{ "new", "receive dossiers and issue codes and due dates" },
	{ "route", "move dossiers through their procedure" },
	{ "status", "look up and filter dossiers" },
	{ "report", "on-time statistics and the report forms" },
	{ "bundle", "export and import signed bundles between offices" },
};

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: dossier command [argument ...]\n\n");
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(stderr, "  %-8s %s\n", tools[i][0], tools[i][1]);
	exit(DX_USAGE);
}

int
main(int argc, char *argv[])
{
	char prog[64], path[PATH_MAX];
	const char *slash;
	size_t i;

	dx_setprogname(argv[0]);
	if (argc < 2 || argv[1][0] == '-')
		usage();
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(argv[1], tools[i][0]) == 0)
			break;
	if (i == sizeof(tools) / sizeof(tools[0])) {
		dx_warn("unknown command '%s'", argv[1]);
		usage();
	}
	snprintf(prog, sizeof(prog), "dossier-%s", tools[i][0]);
	argv[1] = prog;
	slash = strrchr(argv[0], '/');
	if (slash != NULL && (size_t)(slash - argv[0]) + 1 + strlen(prog) <
	    sizeof(path)) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - argv[0]),
		    argv[0], prog);
		if (access(path, X_OK) == 0) {
			execv(path, argv + 1);
			dx_die(DX_SOFTWARE, "%s: %s", path, strerror(errno));
		}
	}
	execvp(prog, argv + 1);
	dx_die(DX_SOFTWARE, "%s: %s", prog,
	    strerror(errno));
}
