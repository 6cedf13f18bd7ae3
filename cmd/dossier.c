/*
 * dossier: the front.  `dossier new ...` runs dossier-new with the same
 * arguments, from the directory this program was run from if it has one,
 * else from PATH.  A tool that cannot be run is DX_UNAVAILABLE (69), not
 * an internal error: the front works, the installation lacks the tool.
 * `dossier help [command]` shows a manual page.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static const struct {
	const char *name;
	const char *what;
	int planned;		/* not yet part of the toolkit */
} tools[] = {
	{ "admin", N_("create and configure an office database"), 0 },
	{ "new", N_("receive dossiers and issue codes and due dates"), 0 },
	{ "route", N_("move dossiers through their procedure"), 0 },
	{ "status", N_("look up and filter dossiers"), 0 },
	{ "report", N_("on-time statistics and the report forms"), 0 },
	{ "bundle", N_("export and import signed bundles between offices"), 0 },
};
#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

static const struct cli cli = {
	"usage: dossier command [argument ...]\n"
	"       dossier help [command]\n"
	"       dossier --help | --version\n",
	NULL
};

static void unavailable(size_t i, const char *prog, int err)
    __attribute__((noreturn));

/* The tool's program cannot be run: say why, and exit 69. */
static void
unavailable(size_t i, const char *prog, int err)
{
	if (err == ENOENT && tools[i].planned)
		dx_die(DX_UNAVAILABLE, _("'%s' does not exist yet: %s is a"
		    " planned tool, not in this version of the toolkit"),
		    tools[i].name, prog);
	if (err == ENOENT)
		dx_die(DX_UNAVAILABLE, _("%s is not installed (not next to"
		    " dossier, nor in PATH)"), prog);
	dx_die(DX_UNAVAILABLE, _("%s: cannot run it: %s"), prog,
	    strerror(err));
}

/* The synopsis and the commands on `fp`. */
static void
commands(FILE *fp)
{
	size_t i;

	fputs(_(cli.synopsis), fp);
	fputs("\n", fp);
	for (i = 0; i < NTOOLS; i++)
		fprintf(fp, "  %-8s %s\n", tools[i].name, _(tools[i].what));
	fprintf(fp, "  %-8s %s\n", "help", _("the manual page of a command"));
}

static void
usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* What was wrong, the synopsis and the commands; exit 64. */
static void
usage(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dx_warn("%s", msg);
	commands(stderr);
	exit(DX_USAGE);
}

static size_t
tool(const char *name)
{
	size_t i;

	for (i = 0; i < NTOOLS; i++)
		if (strcmp(name, tools[i].name) == 0)
			return i;
	return NTOOLS;
}

static void man(const char *page) __attribute__((noreturn));

/*
 * The manual page of `page` ("dossier-new.1", "dossier.7"): from the
 * source tree when this program is the one built there (build/ next to
 * man/), else the installed page through man(1).
 */
static void
man(const char *page)
{
	char self[PATH_MAX], src[PATH_MAX + 64], name[64], *slash;
	struct stat sb;
	ssize_t n;

	fflush(stdout);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(src, sizeof(src), "%s/../man/%s", self, page);
			if (stat(src, &sb) == 0 && S_ISREG(sb.st_mode)) {
				execlp("man", "man", "-l", src, (char *)NULL);
				dx_die(DX_UNAVAILABLE, "man: %s",
				    strerror(errno));
			}
		}
	}
	/* "dossier-new.1" -> section "1", page "dossier-new" */
	snprintf(name, sizeof(name), "%s", page);
	if ((slash = strrchr(name, '.')) == NULL)
		dx_die(DX_SOFTWARE, "bad page name '%s'", page);
	*slash = '\0';
	execlp("man", "man", slash + 1, name, (char *)NULL);
	dx_die(DX_UNAVAILABLE, "man: %s", strerror(errno));
}

int
main(int argc, char *argv[])
{
	char prog[64], path[PATH_MAX];
	const char *slash;
	size_t i;

	dx_setprogname(argv[0]);
	if (argc < 2)
		usage("%s", _("the command is required"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		commands(stdout);
		dx_exit(DX_OK);
	}
	if (strcmp(argv[1], "--version") == 0)
		cli_version();
	if (argv[1][0] == '-')
		usage(_("unknown option '%s' (the options follow the command)"),
		    argv[1]);
	if (strcmp(argv[1], "help") == 0) {
		if (argc > 3)
			usage(_("help: one command at most, got '%s'"), argv[3]);
		if (argc == 2)
			man("dossier.7");
		if ((i = tool(argv[2])) == NTOOLS)
			usage(_("help: unknown command '%s'"), argv[2]);
		snprintf(prog, sizeof(prog), "dossier-%s.1", tools[i].name);
		man(prog);
	}
	if ((i = tool(argv[1])) == NTOOLS)
		usage(_("unknown command '%s'"), argv[1]);
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
