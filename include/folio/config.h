/* folio — site settings (src/access/config.c).  Settings are few, named and
 * range-checked; they hold no PHI.  Changing one is audited. */
#ifndef FOLIO_CONFIG_H
#define FOLIO_CONFIG_H

#include <stddef.h>

#include "folio/access.h"

#define FOLIO_SETTINGS(_) \
	_(lockout_threshold, 5, 1, 100, "failed sign-ins in a row that lock an account") \
	_(lockout_minutes, 15, 0, 10080, "minutes a lockout lasts (0: until an admin unlocks)") \
	_(idle_lock_seconds, 600, 5, 86400, "idle time before the screen locks")

struct setting_info {
	const char *name;
	long value;
	long def, min, max;
	const char *help;
};

/* Reads a setting's current value (ACT_CONFIG_READ). */
int config_get(struct grant *g, const char *name, long *value, struct folio_err *e);
/* Sets one, range-checked (ACT_CONFIG_SET). FOLIO_EUSAGE when out of range,
 * FOLIO_ENOTFOUND for an unknown name. */
int config_set(struct grant *g, const char *name, const char *value, struct folio_err *e) MUST_CHECK;
/* Each setting with its value (ACT_CONFIG_READ); a non-zero return from fn
 * stops the walk. */
int config_list(struct grant *g, int (*fn)(const struct setting_info *, void *), void *ctx,
		struct folio_err *e);

#endif
