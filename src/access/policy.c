/* folio — roles and the policy table (compiled in; see access.h). */
#include <string.h>

#include "folio/access.h"
#include "folio/crypto.h"

static const struct {
	const char *name;
	unsigned roles;
	const char *help;
} actions[ACT_COUNT] = {
#define FOLIO_ACTION_ROW(id, name, roles, help) [ACT_##id] = { name, roles, help },
	FOLIO_ACTIONS(FOLIO_ACTION_ROW)
#undef FOLIO_ACTION_ROW
};

static const struct {
	const char *name;
	const char *title;
	unsigned keys;
} roles[ROLE_COUNT] = {
	/* Every role holds the audit key: every action writes a chain row. */
	[ROLE_FRONTDESK] = { "frontdesk", "Front desk",
			     KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT) },
	[ROLE_TECHNICIAN] = { "technician", "Records technician",
			      KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_CLINICAL) | KC_BIT(KC_INDEX) |
				      KC_BIT(KC_AUDIT) },
	[ROLE_SUPERVISOR] = { "supervisor", "HIM supervisor", KC_ALL },
	[ROLE_PHYSICIAN] = { "physician", "Physician", KC_ALL },
	/* The security officer is the key custodian: to give a new user the
	 * keys of a role one must hold them.  The policy, not the
	 * cryptography, keeps the officer out of charts; every try is audited. */
	[ROLE_ADMIN] = { "admin", "Security officer", KC_ALL },
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].name : "?";
}

const char *role_title(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].title : "?";
}

int role_parse(const char *name)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(name, roles[r].name) == 0)
			return r;
	return -1;
}

unsigned role_key_classes(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].keys : 0;
}

const char *action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].name : "?";
}

const char *action_help(enum action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].help : "?";
}

int policy_allows(int role, int action)
{
	if (role < 0 || role >= ROLE_COUNT || action < 0 || action >= ACT_COUNT)
		return 0;
	return (actions[action].roles & (1u << role)) != 0;
}
