/*
 * actor.h: who is acting.  The actor is the OS user running the tool
 * (getuid(), never $USER), mapped to an active staff record by login.
 * An admin may act as another staff member (--as), which is recorded.
 */
#ifndef DOSSIER_ACTOR_H
#define DOSSIER_ACTOR_H

#include "db.h"
#include "util.h"

enum {
	ROLE_RECEPTION = 1 << 0,
	ROLE_SPECIALIST = 1 << 1,
	ROLE_LEADER = 1 << 2,
	ROLE_CLERK = 1 << 3,
	ROLE_ADMIN = 1 << 4
};

struct actor {
	char login[64];		/* the staff login acting */
	char name[256];		/* the staff member's full name */
	char os_user[64];	/* the OS user running the tool */
	char unit[32];		/* the staff member's unit */
	unsigned roles;		/* ROLE_* bits */
	int as;			/* 1 when an admin acts as `login` */
};

/* The name of a role bit, and the bit of a name (0 if unknown). */
const char *role_name(unsigned bit);
unsigned role_bit(const char *name);

/*
 * The login of the OS user running the tool (getuid()) into `buf` of `n`
 * bytes.  0, or -1 with e set: DX_NOPERM for a user id without a name,
 * DX_SOFTWARE when the lookup itself failed.
 */
int actor_os_login(char *buf, size_t n, struct dx_err *e);

/*
 * Identify the actor: the OS user, or `as` (may be NULL) when the OS user
 * is an admin.  Unknown or inactive users, and --as by a non-admin, are
 * DX_NOPERM.  Returns 0 or -1 with e set.
 */
int actor_get(struct db *db, const char *as, struct actor *a,
    struct dx_err *e);

/*
 * The login of the actor running the tool into `buf`, as actor_get(db,
 * NULL) finds it, or "" when there is none (a new office has no staff
 * yet, and then no dossiers either): the login under which a tool records
 * the events of its own work, such as a recount after a calendar change.
 */
void actor_login(struct db *db, char *buf, size_t n);

/*
 * Permission to configure the office (catalog, calendar, keys): an admin,
 * or anyone while the staff table is still empty (a new office).  0 or -1
 * with e set (DX_NOPERM).
 */
int actor_may_configure(struct db *db, struct dx_err *e);

#endif
