/* folio — user accounts, run under grants. */
#include "folio/account.h"

#include <stdio.h>
#include <string.h>

#include "access_internal.h"
#include "folio/grant.h"

int account_name_valid(const char *name, struct folio_err *e)
{
	size_t n = strlen(name);

	if (n == 0 || n > ACCOUNT_NAME_MAX)
		return err_set(e, FOLIO_EUSAGE, "a user name has 1-%d characters", ACCOUNT_NAME_MAX);
	if (name[0] < 'a' || name[0] > 'z')
		return err_set(e, FOLIO_EUSAGE, "a user name starts with a letter a-z");
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return err_set(e, FOLIO_EUSAGE, "a user name uses only a-z, 0-9, '.', '_' and '-'");
	}
	return FOLIO_OK;
}

static int need(struct grant *g, enum action a, struct folio_err *e)
{
	if (grant_action(g) != a)
		return err_set(e, FOLIO_EDENIED, "%s needs its own grant", action_name(a));
	return FOLIO_OK;
}

static int user_id_role(struct store *st, const char *name, int64_t *id, enum role *r, struct folio_err *e)
{
	struct stmt *s;
	int rc, role;

	if ((rc = stmt_prepare(st, "SELECT id, role FROM users WHERE name = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, name);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		*id = stmt_int64(s, 0);
		role = role_parse(stmt_text(s, 1));
		stmt_finalize(s);
		if (role < 0)
			return err_set(e, FOLIO_EFAIL, "user '%s' has an unknown role", name);
		*r = (enum role)role;
		return FOLIO_OK;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no user '%s'", name) : rc;
}

int account_add(struct grant *g, const char *name, enum role r, const char *pw, size_t pwlen,
		struct folio_err *e)
{
	struct store *st = grant_store(g);
	int64_t id;
	enum role existing;
	int rc;

	if ((rc = need(g, ACT_USER_ADD, e)) || (rc = account_name_valid(name, e)))
		return rc;
	if ((unsigned)r >= ROLE_COUNT)
		return err_set(e, FOLIO_EUSAGE, "unknown role");
	if ((rc = access_password_acceptable(name, pw, pwlen, e)))
		return rc;
	if (user_id_role(st, name, &id, &existing, e) == FOLIO_OK)
		return err_set(e, FOLIO_EUSAGE, "user '%s' already exists", name);
	return user_create(st, name, r, grant_keys(g), pw, pwlen, 0, &id, e);
}

int account_reset_password(struct grant *g, const char *name, const char *pw, size_t pwlen,
			   struct folio_err *e)
{
	struct store *st = grant_store(g);
	int64_t id;
	enum role r;
	int rc;

	if ((rc = need(g, ACT_USER_RESET, e)) || (rc = user_id_role(st, name, &id, &r, e)))
		return rc;
	if ((rc = access_password_acceptable(name, pw, pwlen, e)))
		return rc;
	if ((rc = user_keys_store(st, id, r, grant_keys(g), role_key_classes(r), pw, pwlen, 0, e)))
		return rc;
	return store_exec_id(st, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", id, e);
}

static int set_lock(struct grant *g, enum action a, const char *name, const char *sql, struct folio_err *e)
{
	int64_t id;
	enum role r;
	int rc;

	if ((rc = need(g, a, e)) || (rc = user_id_role(grant_store(g), name, &id, &r, e)))
		return rc;
	return store_exec_id(grant_store(g), sql, id, e);
}

int account_lock(struct grant *g, const char *name, struct folio_err *e)
{
	if (strcmp(name, session_user(grant_session(g))) == 0)
		return err_set(e, FOLIO_EUSAGE, "you cannot lock your own account");
	return set_lock(g, ACT_USER_LOCK, name,
			"UPDATE users SET admin_locked = 1, row_version = row_version + 1 WHERE id = ?", e);
}

int account_unlock(struct grant *g, const char *name, struct folio_err *e)
{
	return set_lock(g, ACT_USER_UNLOCK, name,
			"UPDATE users SET admin_locked = 0, locked_until = 0, failed_logins = 0,"
			" row_version = row_version + 1 WHERE id = ?", e);
}

int account_list(struct grant *g, int (*fn)(const struct account_info *, void *), void *ctx,
		 struct folio_err *e)
{
	struct stmt *s;
	struct account_info a;
	int rc;

	if ((rc = need(g, ACT_USER_LIST, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT name, role, admin_locked, locked_until, failed_logins,"
				   " last_login_at, last_login_from, created_at FROM users ORDER BY name", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		int r = role_parse(stmt_text(s, 1));
		memset(&a, 0, sizeof a);
		str_copy(a.name, sizeof a.name, stmt_text(s, 0));
		a.role = r < 0 ? ROLE_FRONTDESK : (enum role)r;
		a.admin_locked = (int)stmt_int64(s, 2);
		a.locked_until = stmt_int64(s, 3);
		if (a.locked_until <= time_now())
			a.locked_until = 0;
		a.failed_logins = (int)stmt_int64(s, 4);
		str_copy(a.last_login, sizeof a.last_login, stmt_text(s, 5));
		str_copy(a.last_from, sizeof a.last_from, stmt_text(s, 6));
		str_copy(a.created, sizeof a.created, stmt_text(s, 7));
		if (fn(&a, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}
