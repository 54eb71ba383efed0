/* folio — the demo database (src/core/demo.c). */
#ifndef FOLIO_DEMO_H
#define FOLIO_DEMO_H

#include <stddef.h>

#include "folio/util.h"

struct demo_user {
	const char *name;
	const char *role;
	const char *password;
};

/* The demo accounts, one per role; passwords are published (demo only). */
extern const struct demo_user demo_users[];
extern const size_t demo_user_count;

/* Creates a demo database at path with one user per role.  recovery_text
 * (RECOVERY_TEXT_MAX bytes) gets the recovery key. */
int demo_create(const char *path, char *recovery_text, size_t cap, struct folio_err *e) MUST_CHECK;

#endif
