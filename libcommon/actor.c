/*
 * actor.c: map the OS user to a staff record.
 */
#include <sys/types.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "actor.h"
#include "db.h"
#include "util.h"

static const char *const names[] = {
	"reception", "specialist", "leader", "clerk", "admin"
};

const char *
role_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bit == 1u << i)
			return names[i];
	return "?";
}

unsigned
role_bit(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

int
actor_os_login(char *buf, size_t n, struct dx_err *e)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwuid(getuid())) == NULL) {
		/* no such user is 77; a failed lookup (no memory, no
		 * files) is not the user's fault */
		if (errno != 0 && errno != ENOENT && errno != ESRCH)
			return dx_seterr(e, DX_SOFTWARE, _("cannot look up user"
			    " %ld: %s"), (long)getuid(), strerror(errno));
		return dx_seterr(e, DX_NOPERM, _("cannot identify user %ld"),
		    (long)getuid());
	}
	snprintf(buf, n, "%s", pw->pw_name);
	return 0;
}

/* Load staff `login` into a; 0 found, 1 not found/inactive, -1 error. */
static int
load_staff(struct db *db, const char *login, struct actor *a,
    struct dx_err *e)
{
	sqlite3_stmt *st;
	json_t *roles, *x;
	json_error_t jerr;
	const char *unit, *text, *name;
	size_t i;
	int rc;

	st = db_prepare(db, "SELECT unit, roles, name FROM staff"
	    " WHERE login = ? AND active = 1", 0, e);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	unit = (const char *)sqlite3_column_text(st, 0);
	text = (const char *)sqlite3_column_text(st, 1);
	name = (const char *)sqlite3_column_text(st, 2);
	if (unit == NULL || text == NULL || name == NULL) {
		/* NOT NULL columns: only a failed allocation gives NULL */
		sqlite3_finalize(st);
		return dx_seterr(e, DX_SOFTWARE, _("staff '%s': out of memory"),
		    login);
	}
	snprintf(a->login, sizeof(a->login), "%s", login);
	snprintf(a->unit, sizeof(a->unit), "%s", unit);
	snprintf(a->name, sizeof(a->name), "%s", name);
	/* unreadable roles are an error, never "no roles" */
	if ((roles = json_loads(text, 0, &jerr)) == NULL) {
		sqlite3_finalize(st);
		return dx_seterr(e, DX_SOFTWARE, _("staff '%s': roles: %s"),
		    login, jerr.text);
	}
	a->roles = 0;
	json_array_foreach(roles, i, x)
		if (json_is_string(x))
			a->roles |= role_bit(json_string_value(x));
	json_decref(roles);
	sqlite3_finalize(st);
	return 0;
}

int
actor_get(struct db *db, const char *as, struct actor *a, struct dx_err *e)
{
	int r;

	memset(a, 0, sizeof(*a));
	if (actor_os_login(a->os_user, sizeof(a->os_user), e) == -1)
		return -1;
	r = load_staff(db, a->os_user, a, e);
	if (r == -1)
		return -1;
	if (r == 1)
		return dx_seterr(e, DX_NOPERM, _("user '%s' is not active staff"
		    " of this office"), a->os_user);
	if (as == NULL || strcmp(as, a->os_user) == 0)
		return 0;
	if (!(a->roles & ROLE_ADMIN))
		return dx_seterr(e, DX_NOPERM, _("only an admin may act as"
		    " another user ('%s' is not an admin)"), a->os_user);
	r = load_staff(db, as, a, e);
	if (r == -1)
		return -1;
	if (r == 1)
		return dx_seterr(e, DX_NOPERM, _("'%s' is not active staff of"
		    " this office"), as);
	a->as = 1;
	return 0;
}

int
actor_may_configure(struct db *db, struct dx_err *e)
{
	struct actor a;
	sqlite3_stmt *st;
	int rc, any;

	st = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM staff)", 0, e);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_seterr(db, rc, e, db->path);
	}
	any = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!any)
		return 0;
	if (actor_get(db, NULL, &a, e) == -1)
		return -1;
	if (!(a.roles & ROLE_ADMIN))
		return dx_seterr(e, DX_NOPERM,
		    _("user '%s' may not configure the"
		    " office: the admin role is needed"), a.login);
	return 0;
}

void
actor_login(struct db *db, char *buf, size_t n)
{
	struct actor a;
	struct dx_err e;

	snprintf(buf, n, "%s", actor_get(db, NULL, &a, &e) == 0 ? a.login :
	    "");
}
