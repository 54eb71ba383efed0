/* folio — a ready demo database: one account per role, made through the
 * same gate as any other (init, sign-in, user.add), so it is audited. */
#include "folio/demo.h"

#include <string.h>

#include "folio/access.h"
#include "folio/account.h"

const struct demo_user demo_users[] = {
	{ "admin", "admin", "demo-admin-pass" },
	{ "desk", "frontdesk", "demo-desk-pass" },
	{ "tech", "technician", "demo-tech-pass" },
	{ "super", "supervisor", "demo-super-pass" },
	{ "doctor", "physician", "demo-doctor-pass" },
};
const size_t demo_user_count = sizeof demo_users / sizeof demo_users[0];

int demo_create(const char *path, char *recovery_text, size_t cap, struct folio_err *e)
{
	const struct demo_user *admin = &demo_users[0];
	struct store *st;
	struct session *s;
	int rc;

	if ((rc = access_init_db(path, admin->name, admin->password, strlen(admin->password), 0,
				 recovery_text, cap, e)))
		return rc;
	if ((rc = access_open(path, &st, e)))
		return rc;
	if ((rc = access_login(st, admin->name, admin->password, strlen(admin->password), &s, e))) {
		access_close(st);
		return rc;
	}
	for (size_t i = 1; i < demo_user_count && rc == FOLIO_OK; i++) {
		const struct demo_user *u = &demo_users[i];
		struct grant *g;

		if ((rc = access_begin(s, ACT_USER_ADD, NULL, "user", u->name, &g, e)))
			break;
		rc = account_add(g, u->name, (enum role)role_parse(u->role), u->password,
				 strlen(u->password), e);
		rc = access_end(g, rc, e);
	}
	access_logout(s);
	access_close(st);
	return rc;
}
