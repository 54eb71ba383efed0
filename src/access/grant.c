/* folio — grants: one permitted, audited action in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "folio/grant.h"
#include "folio/smem.h"

static struct audit_actor actor_of(const struct session *s)
{
	struct audit_actor who = { s->user, role_name(s->role), s->workstation };
	return who;
}

int access_begin(struct session *s, enum action a, const char *mrn, const char *object_type,
		 const char *object_id, struct grant **out, struct folio_err *e)
{
	struct audit_actor who = actor_of(s);
	struct audit_entry what = { action_name(a), "ok", mrn, object_type, object_id, NULL };
	struct grant *g;
	char resolved[16], via[48];
	int rc;

	*out = NULL;
	if (s->locked) {
		/* The keys are gone while locked, so this row is unkeyed. */
		what.action = "session.locked.denied";
		what.outcome = "denied";
		what.object_type = "action";
		what.object_id = action_name(a);
		audit_alone(s->st, NULL, &who, &what, NULL);
		return err_set(e, FOLIO_EDENIED, "the session is locked");
	}
	if (!policy_allows(s->role, a)) {
		what.outcome = "denied";
		what.reason = "not permitted for this role";
		audit_alone(s->st, s->kr, &who, &what, NULL);
		return err_set(e, FOLIO_EDENIED, "%s: not permitted for the %s role", action_name(a),
			       role_name(s->role));
	}
	if (mrn && *mrn) {
		const char *why;
		/* a merged chart's MRN opens its survivor; the row says which MRN was asked for */
		if ((rc = chart_resolve(s, mrn, resolved, e)))
			return rc;
		if (strcmp(resolved, mrn) != 0) {
			snprintf(via, sizeof via, "via merged MRN %s", mrn);
			what.reason = via;
			what.mrn = mrn = resolved;
		}
		if ((rc = chart_gate(s, mrn, &why, e)))
			return rc;
		if (why) {
			what.outcome = "denied";
			what.reason = why;
			audit_alone(s->st, s->kr, &who, &what, NULL);
			return err_set(e, FOLIO_EDENIED, "%s", why);
		}
	}
	g = calloc(1, sizeof *g);
	if (!g)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	g->s = s;
	g->a = a;
	str_copy(g->mrn, sizeof g->mrn, mrn ? mrn : "");
	str_copy(g->object_type, sizeof g->object_type, object_type ? object_type : "");
	str_copy(g->object_id, sizeof g->object_id, object_id ? object_id : "");
	if ((rc = store_begin_write(s->st, e))) {
		free(g);
		return rc;
	}
	if ((rc = audit_append(s->st, s->kr, &who, &what, e))) {
		store_rollback(s->st);
		free(g);
		return rc;
	}
	*out = g;
	return FOLIO_OK;
}

int access_end(struct grant *g, int status, struct folio_err *e)
{
	struct session *s;
	int rc = status;

	if (!g)
		return status;
	s = g->s;
	if (status == FOLIO_OK) {
		rc = store_commit(s->st, e);
	} else {
		store_rollback(s->st);
	}
	if (rc != FOLIO_OK) {
		/* What was tried and failed is audited, outside the rolled-back
		 * transaction; the message is the error's text (no PHI by rule). */
		struct audit_actor who = actor_of(s);
		struct audit_entry what = { action_name(g->a), rc == FOLIO_EDENIED ? "denied" : "failed",
					    g->mrn, g->object_type, g->object_id, e ? e->msg : NULL };
		audit_alone(s->st, s->kr, &who, &what, NULL);
	}
	blinder_free(g->blinder);
	smem_free(g->scratch);
	smem_wipe(g, sizeof *g);
	free(g);
	return rc;
}

struct store *grant_store(const struct grant *g)
{
	return g->s->st;
}

const struct keyring *grant_keys(const struct grant *g)
{
	return g->s->kr;
}

struct session *grant_session(const struct grant *g)
{
	return g->s;
}

enum action grant_action(const struct grant *g)
{
	return g->a;
}

int grant_reads_chart(const struct grant *g)
{
	return g->a == ACT_CHART_VIEW || g->a == ACT_ROI_PROCESS || g->a == ACT_EXPORT_RUN;
}

const char *grant_mrn(const struct grant *g)
{
	return g->mrn;
}

long grant_setting(const struct grant *g, const char *name)
{
	return settings_value(g->s->st, name);
}

const struct blinder *grant_blinder(struct grant *g, struct folio_err *e)
{
	if (!g->blinder && blinder_new(g->s->kr, &g->blinder, e) != FOLIO_OK)
		return NULL;
	return g->blinder;
}

void *grant_scratch(struct grant *g, size_t n)
{
	if (n > g->scratch_len) {
		/* never realloc: the old buffer is wiped and freed whole */
		smem_free(g->scratch);
		g->scratch_len = 0;
		if (!(g->scratch = smem_alloc(n)))
			return NULL;
		g->scratch_len = n;
	}
	return g->scratch;
}
