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

/* The doctor's signature code in the demo (`folio note sign` asks for it,
 * or FOLIO_SIGNATURE_CODE); published like the passwords. */
#define DEMO_DOCTOR_SIGNATURE_CODE "demo-doctor-sign"

#define DEMO_PATIENTS_DEFAULT 500
#define DEMO_PATIENTS_MAX 2000000

/* Creates a demo database at path with one user per role and `patients`
 * patients: a few fixed ones to show lookup (O'Brien-Muñoz, the Smiths, a
 * restricted record, a TEST patient, the front-desk clerk's own record)
 * and the rest synthetic.  The fixed patients (but the clerk) and about
 * every 8th synthetic one (at most 96 charts in all) get a chart:
 * encounters, notes (some signed by the doctor, some awaiting signature),
 * vitals, allergies, problems, medications and results; it is the same
 * every time, with times relative to today.  The doctor's signature code is
 * DEMO_DOCTOR_SIGNATURE_CODE.  With codesets (a directory as for `codes
 * load`, or NULL) the code sets are loaded first, and discharged admissions
 * are coded and grouped.  recovery_text (RECOVERY_TEXT_MAX bytes) gets the
 * recovery key. */
int demo_create(const char *path, long patients, const char *codesets, char *recovery_text, size_t cap,
		struct folio_err *e) MUST_CHECK;

#endif
