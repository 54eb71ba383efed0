/* folio — user accounts (src/access/account.c).  Each call runs under a
 * grant for its action (ACT_USER_ADD for account_add, ...); the grant's
 * audit row records it.  User names are staff identifiers, not PHI.
 */
#ifndef FOLIO_ACCOUNT_H
#define FOLIO_ACCOUNT_H

#include <stddef.h>

#include "folio/access.h"

#define ACCOUNT_NAME_MAX 32

/* 1-32 characters from [a-z0-9._-], starting with a letter. */
int account_name_valid(const char *name, struct folio_err *e);

/* Creates an account with the key classes of its role, wrapped under pw.
 * Needs ACT_USER_ADD; the signed-in user must hold those keys. */
int account_add(struct grant *g, const char *name, enum role r, const char *pw, size_t pwlen,
		struct folio_err *e) MUST_CHECK;
/* Sets another user's password (ACT_USER_RESET), clears any lockout. */
int account_reset_password(struct grant *g, const char *name, const char *pw, size_t pwlen,
			   struct folio_err *e) MUST_CHECK;
/* Locks until unlocked (ACT_USER_LOCK) / clears lock and failures
 * (ACT_USER_UNLOCK). FOLIO_ENOTFOUND for an unknown name. */
int account_lock(struct grant *g, const char *name, struct folio_err *e) MUST_CHECK;
int account_unlock(struct grant *g, const char *name, struct folio_err *e) MUST_CHECK;

/* Sets the signed-in user's signature code (ACT_SIGCODE_SET): a new signing
 * key wrapped under it; earlier keys are retired but kept, so what they
 * signed still verifies.  Refused when shorter than 6 characters or equal to
 * the password. */
int account_sigcode_set(struct grant *g, const char *code, size_t len, struct folio_err *e) MUST_CHECK;

struct account_info {
	char name[ACCOUNT_NAME_MAX + 1];
	enum role role;
	int admin_locked;          /* locked by an administrator */
	int64_t locked_until;      /* lockout after failures; 0 when none */
	int failed_logins;
	char last_login[32];       /* "" when never */
	char last_from[64];
	char created[32];
};

/* Calls fn for each account in name order (ACT_USER_LIST); a non-zero return from fn
 * stops the walk (still FOLIO_OK). */
int account_list(struct grant *g, int (*fn)(const struct account_info *, void *), void *ctx,
		 struct folio_err *e);

#endif
