/*
 * dossier: the front.  `dossier new ...` runs dossier-new with the same
 * arguments, from the directory this program was run from if it has one,
 * else from PATH.  A tool that cannot be run is DX_UNAVAILABLE (69), not
 * an internal error: the front works, the installation lacks the tool.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const struct {
	const char *name;
	const char *what;
	int planned;		/* not yet part of the toolkit */
} tools[] = {
	{ "admin", "create and configure an office database", 0 },
	{ "new", "receive dossiers and issue codes and due dates", 0 },
	{ "route", "move dossiers through their procedure", 0 },
	{ "status", "look up and filter dossiers", 0 },
	{ "report", "on-time statistics and the report forms", 1 },
	{ "bundle", "export and import signed bundles between offices", 1 },
};

static void unavailable(size_t i, const char *prog, int err)
    __attribute__((noreturn));

/* The tool's program cannot be run: say why, and exit 69. */
static void
unavailable(size_t i, const char *prog, int err)
{
	if (err == ENOENT && tools[i].planned)
		dx_die(DX_UNAVAILABLE, "'%s' does not exist yet: %s is a"
		    " planned tool, not in this version of the toolkit",
		    tools[i].name, prog);
	if (err == ENOENT)
		dx_die(DX_UNAVAILABLE, "%s is not installed (not next to"
		    " dossier, nor in PATH)", prog);
	dx_die(DX_UNAVAILABLE, "%s: cannot run it: %s", prog, strerror(err));
}

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: dossier command [argument ...]\n\n");
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		fprintf(stderr, "  %-8s %s\n", tools[i].name, tools[i].what);
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
		if (strcmp(argv[1], tools[i].name) == 0)
			break;
	if (i == sizeof(tools) / sizeof(tools[0])) {
		dx_warn("unknown command '%s'", argv[1]);
		usage();
	}
	snprintf(prog, sizeof(prog), "dossier-%s", tools[i].name);
	argv[1] = prog;
	slash = strrchr(argv[0], '/');
	if (slash != NULL && (size_t)(slash - argv[0]) + 1 + strlen(prog) <
	    sizeof(path)) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - argv[0]),
		    argv[0], prog);
		if (access(path, X_OK) == 0) {
			execv(path, argv + 1);
			unavailable(i, path, errno);
		}
	}
	execvp(prog, argv + 1);
	unavailable(i, prog, errno);
}
