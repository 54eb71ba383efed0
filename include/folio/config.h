/* folio — site settings (src/access/config.c).  Settings are few, named and
 * range-checked; they hold no PHI.  Changing one is audited. */
#ifndef FOLIO_CONFIG_H
#define FOLIO_CONFIG_H

#include <stddef.h>

#include "folio/access.h"

#define FOLIO_SETTINGS(_) \
	_(lockout_threshold, 5, 1, 100, "failed sign-ins in a row that lock an account") \
	_(lockout_minutes, 15, 0, 10080, "minutes a lockout lasts (0: until an admin unlocks)") \
	_(idle_lock_seconds, 600, 5, 86400, "idle time before the screen locks") \
	_(delinquent_days, 30, 1, 365, "days after discharge before an incomplete chart is delinquent") \
	_(delinquency_limit_pct, 50, 1, 1000, "delinquency rate limit, % of average monthly discharges") \
	_(delinquency_months, 3, 1, 24, "full calendar months the average monthly discharges spans") \
	_(short_stay_hours, 48, 1, 240, "an inpatient stay shorter than this is a short stay") \
	_(chart_due_days, 3, 1, 365, "days a charged-out paper chart may stay out (its default due date)") \
	_(query_due_days, 2, 0, 90, "days a physician has to answer a query (its default due date)") \
	_(query_escalate_days, 7, 0, 365, "days after which an unanswered query is escalated")

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
