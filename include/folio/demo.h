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

#define DEMO_PATIENTS_DEFAULT 500
#define DEMO_PATIENTS_MAX 2000000

/* Creates a demo database at path with one user per role and `patients`
 * patients: a few fixed ones to show lookup (O'Brien-Muñoz, the Smiths, a
 * restricted record, a TEST patient, the front-desk clerk's own record)
 * and the rest synthetic.  recovery_text (RECOVERY_TEXT_MAX bytes) gets the
 * recovery key. */
int demo_create(const char *path, long patients, char *recovery_text, size_t cap,
		struct folio_err *e) MUST_CHECK;

#endif
