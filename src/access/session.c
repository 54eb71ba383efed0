/* folio — signing in and out, the idle lock, password changes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "folio/account.h"
#include "folio/smem.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

struct user_row {
	int64_t id;
	enum role role;
	int64_t locked_until;
	int admin_locked;
	int failed;
	char last_at[32];
	char last_from[72];
};

int access_password_acceptable(const char *user, const char *pw, size_t len, struct folio_err *e)
{
	long chars = utf8_length(pw, len);

	if (chars < 0)
		return err_set(e, FOLIO_EUSAGE, "password is not valid UTF-8 text");
	if (len > PASSWORD_MAX)
		return err_set(e, FOLIO_EUSAGE, "password is longer than %d bytes", PASSWORD_MAX);
	if (chars < PASSWORD_MIN)
		return err_set(e, FOLIO_EUSAGE, "password must have at least %d characters", PASSWORD_MIN);
	if (memchr(pw, '\0', len) || memchr(pw, '\n', len))
		return err_set(e, FOLIO_EUSAGE, "password must not hold a line break or NUL");
	if (user && strlen(user) == len && memcmp(user, pw, len) == 0)
		return err_set(e, FOLIO_EUSAGE, "password must not be the user name");
	return FOLIO_OK;
}

static int user_find(struct store *st, const char *name, struct user_row *u, struct folio_err *e)
{
	struct stmt *s;
	int rc, r;

	if ((rc = stmt_prepare(st, "SELECT id, role, locked_until, admin_locked, failed_logins,"
				   " last_login_at, last_login_from FROM users WHERE name = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, name);
	rc = stmt_step(s, e);
	if (rc != STMT_ROW) {
		stmt_finalize(s);
		return rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no user '%s'", name) : rc;
	}
	u->id = stmt_int64(s, 0);
	r = role_parse(stmt_text(s, 1));
	u->locked_until = stmt_int64(s, 2);
	u->admin_locked = (int)stmt_int64(s, 3);
	u->failed = (int)stmt_int64(s, 4);
	str_copy(u->last_at, sizeof u->last_at, stmt_text(s, 5));
	str_copy(u->last_from, sizeof u->last_from, stmt_text(s, 6));
	stmt_finalize(s);
	if (r < 0)
		return err_set(e, FOLIO_EFAIL, "user '%s' has an unknown role", name);
	u->role = (enum role)r;
	return FOLIO_OK;
}

static int locked_message(const struct user_row *u, struct folio_err *e)
{
	char when[40];

	if (u->admin_locked || u->locked_until == INT64_MAX)
		return err_set(e, FOLIO_EDENIED, "account is locked until the security officer unlocks it");
	time_format_utc(u->locked_until, when, sizeof when);
	return err_set(e, FOLIO_EDENIED, "account is locked until %s", when);
}

/* A failed password: counts, maybe locks, audits; always FOLIO_EDENIED. */
static int password_failed(struct store *st, const struct user_row *u, const char *user,
			   const char *ws, const char *action, struct folio_err *e)
{
	struct folio_err ae;
	int64_t until = 0;

	if (login_failure(st, u->id, user, role_name(u->role), ws, action, &until, &ae) != FOLIO_OK)
		return err_set(e, FOLIO_EFAIL, "could not record the failed sign-in: %s", ae.msg);
	if (until) {
		struct user_row locked = *u;
		struct folio_err why;
		locked.locked_until = until;
		locked_message(&locked, &why);
		return err_set(e, FOLIO_EDENIED, "wrong password; %s", why.msg);
	}
	return err_set(e, FOLIO_EDENIED, "user name or password is wrong");
}

int access_login(struct store *st, const char *user, const char *pw, size_t pwlen,
		 struct session **out, struct folio_err *e)
{
	struct user_row u;
	struct session *s;
	struct kek *k = NULL;
	char ws[72], now[24];
	struct stmt *q;
	int rc;

	*out = NULL;
	workstation_name(ws, sizeof ws);
	rc = user_find(st, user, &u, e);
	if (rc == FOLIO_ENOTFOUND) {
		/* The typed name is not kept: it may be a password typed one
		 * field too early. */
		struct audit_actor who = { "?", "", ws };
		struct audit_entry what = { "session.login.failed", "denied", NULL, NULL, NULL,
					    "unknown user name" };
		audit_alone(st, NULL, &who, &what, NULL);
		return err_set(e, FOLIO_EDENIED, "user name or password is wrong");
	}
	if (rc)
		return rc;
	if (u.admin_locked || u.locked_until > time_now()) {
		struct audit_actor who = { user, role_name(u.role), ws };
		struct audit_entry what = { "session.login.locked", "denied", NULL, "user", user,
					    "account locked" };
		audit_alone(st, NULL, &who, &what, NULL);
		return locked_message(&u, e);
	}
	s = calloc(1, sizeof *s);
	if (!s || !(s->kr = keyring_new())) {
		free(s);
		return err_set(e, FOLIO_EFAIL, "out of memory");
	}
	s->st = st;
	s->user_id = u.id;
	s->role = u.role;
	str_copy(s->user, sizeof s->user, user);
	str_copy(s->workstation, sizeof s->workstation, ws);
	rc = user_keys_open(st, u.id, u.role, pw, pwlen, s->kr, &k, e);
	if (rc == FOLIO_EDENIED) {
		keyring_free(s->kr);
		free(s);
		return password_failed(st, &u, user, ws, "session.login.failed", e);
	}
	if (rc) {
		keyring_free(s->kr);
		free(s);
		return rc;
	}
	if (u.last_at[0])
		snprintf(s->last_login, sizeof s->last_login, "%s from %s", u.last_at, u.last_from);
	s->failures_since = u.failed;
	s->idle_seconds = (int)settings_value(st, "idle_lock_seconds");

	time_utc_now(now, sizeof now);
	if ((rc = store_begin_write(st, e)))
		goto fail;
	if ((rc = stmt_prepare(st, "UPDATE users SET failed_logins = 0, locked_until = 0,"
				   " last_login_at = ?, last_login_from = ? WHERE id = ?", &q, e)))
		goto fail_tx;
	stmt_bind_text(q, 1, now);
	stmt_bind_text(q, 2, ws);
	stmt_bind_int64(q, 3, u.id);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	if (rc != STMT_DONE)
		goto fail_tx;
	/* Keys a rotation sealed to this user since their last sign-in. */
	if ((rc = user_offers_accept(st, u.id, u.role, k, s->kr, e)))
		goto fail_tx;
	{
		struct audit_entry what = { "session.login", "ok", NULL, "user", user, NULL };
		if ((rc = audit_session(s, &what, e)))
			goto fail_tx;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	kek_free(k);
	*out = s;
	return FOLIO_OK;
fail_tx:
	store_rollback(st);
fail:
	kek_free(k);
	keyring_free(s->kr);
	free(s);
	return rc ? rc : FOLIO_EFAIL;
}

void access_logout(struct session *s)
{
	if (!s)
		return;
	if (!s->locked) {
		struct audit_entry what = { "session.logout", "ok", NULL, "user", s->user, NULL };
		audit_alone(s->st, s->kr, &(struct audit_actor){ s->user, role_name(s->role), s->workstation },
			    &what, NULL);
	}
	access_sign_forget(s);
	keyring_free(s->kr);
	smem_wipe(s, sizeof *s);
	free(s);
}

int access_lock(struct session *s, const char *reason, struct folio_err *e)
{
	struct audit_entry what = { "session.lock", "ok", NULL, "user", s->user, reason };
	int rc;

	if (s->locked)
		return FOLIO_OK;
	rc = audit_alone(s->st, s->kr, &(struct audit_actor){ s->user, role_name(s->role), s->workstation },
			 &what, e);
	/* The keys go whatever the audit said: a lock must never fail open. */
	access_sign_forget(s);
	keyring_clear(s->kr);
	s->locked = 1;
	return rc;
}

int access_unlock(struct session *s, const char *pw, size_t pwlen, struct folio_err *e)
{
	struct user_row u;
	struct kek *k = NULL;
	int rc;

	if (!s->locked)
		return FOLIO_OK;
	if ((rc = user_find(s->st, s->user, &u, e)))
		return rc;
	if (u.admin_locked || u.locked_until > time_now()) {
		s->ended = 1;
		return locked_message(&u, e);
	}
	rc = user_keys_open(s->st, s->user_id, s->role, pw, pwlen, s->kr, &k, e);
	if (rc == FOLIO_EDENIED) {
		rc = password_failed(s->st, &u, s->user, s->workstation, "session.unlock.failed", e);
		if (user_find(s->st, s->user, &u, NULL) == FOLIO_OK &&
		    (u.admin_locked || u.locked_until > time_now()))
			s->ended = 1;
		return rc;
	}
	if (rc)
		return rc;
	s->locked = 0;
	{
		struct audit_entry what = { "session.unlock", "ok", NULL, "user", s->user, NULL };
		if ((rc = store_begin_write(s->st, e))) {
			kek_free(k);
			return rc;
		}
		/* a rotation that began while the screen was locked reaches this
		 * session here, not only at the next sign-in */
		if ((rc = store_exec_id(s->st, "UPDATE users SET failed_logins = 0 WHERE id = ?", s->user_id, e)) ||
		    (rc = user_offers_accept(s->st, s->user_id, s->role, k, s->kr, e)) ||
		    (rc = audit_session(s, &what, e))) {
			kek_free(k);
			store_rollback(s->st);
			return rc;
		}
		kek_free(k);
		return store_commit(s->st, e);
	}
}

int access_change_password(struct session *s, const char *oldpw, size_t oldlen,
			   const char *newpw, size_t newlen, struct folio_err *e)
{
	struct keyring *check;
	struct grant *g;
	int rc;

	if ((rc = access_password_acceptable(s->user, newpw, newlen, e)))
		return rc;
	if (oldlen == newlen && memcmp(oldpw, newpw, newlen) == 0)
		return err_set(e, FOLIO_EUSAGE, "the new password must differ from the old one");
	/* The old password is checked against the stored wraps, not the
	 * session: someone at an unlocked screen cannot take the account. */
	check = keyring_new();
	if (!check)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	rc = user_keys_load(s->st, s->user_id, s->role, oldpw, oldlen, check, e);
	keyring_free(check);
	if (rc == FOLIO_EDENIED) {
		struct user_row u;
		if (user_find(s->st, s->user, &u, e) == FOLIO_OK)
			password_failed(s->st, &u, s->user, s->workstation, "session.login.failed", e);
		return err_set(e, FOLIO_EDENIED, "the current password is wrong");
	}
	if (rc)
		return rc;
	if ((rc = access_begin(s, ACT_PASSWD_SELF, NULL, "user", s->user, &g, e)))
		return rc;
	rc = user_keys_store(s->st, s->user_id, s->role, s->kr, role_key_classes(s->role), newpw, newlen,
			     0, e);
	return access_end(g, rc, e);
}

const char *session_user(const struct session *s)
{
	return s->user;
}

enum role session_role(const struct session *s)
{
	return s->role;
}

int session_is_locked(const struct session *s)
{
	return s->locked;
}

int session_is_ended(const struct session *s)
{
	return s->ended;
}

const char *session_last_login(const struct session *s)
{
	return s->last_login;
}

int session_failures_since(const struct session *s)
{
	return s->failures_since;
}

int session_idle_seconds(const struct session *s)
{
	return s->idle_seconds;
}

const char *session_patient(const struct session *s)
{
	return s->patient;
}

void session_set_patient(struct session *s, const char *mrn)
{
	str_copy(s->patient, sizeof s->patient, mrn ? mrn : "");
}

int access_may(const struct session *s, enum action a)
{
	return !s->locked && policy_allows(s->role, a);
}
