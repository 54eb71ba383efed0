/* folio — check-in (an outpatient encounter), the day's check-in list, and
 * the supervisor's restricted-record alerts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/smem.h"

#define REASON_MAX 95

int patient_checkin(struct grant *g, const char *clinic, const char *reason, int64_t *encounter_id,
		    struct folio_err *e)
{
	struct store *st = grant_store(g);
	uint8_t env[REASON_MAX + 1 + ENVELOPE_OVERHEAD];
	struct stmt *s;
	char now[24], ad[64];
	int64_t pid = 0, id;
	size_t envlen;
	int rc;

	if (grant_action(g) != ACT_CHECKIN)
		return err_set(e, FOLIO_EDENIED, "check-in needs its own grant");
	clinic = clinic ? clinic : "";
	reason = reason ? reason : "";
	if ((rc = chart_line_ok(clinic, 47, "Clinic", e)) || (rc = chart_line_ok(reason, REASON_MAX, "Reason for visit", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	time_utc_now(now, sizeof now);
	if ((rc = encounter_insert(g, pid, "outpatient", "checked-in", now, clinic, NULL, &id, e)))
		return rc;
	field_ad(ad, sizeof ad, "encounters", "reason", id);
	if ((rc = field_seal(grant_keys(g), KC_DEMOGRAPHICS, ad, reason, strlen(reason), env, sizeof env,
			     &envlen, e)))
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE encounters SET reason = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, envlen);
	stmt_bind_int64(s, 2, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*encounter_id = id;
	return FOLIO_OK;
}

struct checkin *checkins_new(size_t n)
{
	return smem_alloc((n ? n : 1) * sizeof(struct checkin));
}

void checkins_free(struct checkin *c, size_t n)
{
	(void)n;
	smem_free(c);
}

int patient_checkins(struct grant *g, const char *day, struct checkin *rows, size_t max, size_t *n,
		     struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct patient *p = NULL;
	uint8_t *scratch = NULL;
	struct stmt *s = NULL;
	int rc;

	*n = 0;
	if (grant_action(g) != ACT_CHECKIN_LIST)
		return err_set(e, FOLIO_EDENIED, "the check-in list needs its own grant");
	p = patient_new();
	scratch = smem_alloc(PATIENT_BLOB_MAX);
	if (!p || !scratch) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT e.id, p.mrn, e.started_at, e.clinic, e.reason, p.id, p.demographics,"
			       " e.created_by, p.restricted FROM encounters e JOIN patients p ON p.id = e.patient_id"
			       " WHERE e.day = ? AND e.kind = 'outpatient' ORDER BY e.started_at, e.id", &s, e)))
		goto out;
	stmt_bind_text(s, 1, day);
	keyring_pin(kr);
	while ((rc = stmt_step(s, e)) == STMT_ROW && *n < max) {
		struct checkin *c = &rows[*n];
		const uint8_t *env;
		size_t len, plen;
		char ad[64];

		memset(c, 0, sizeof *c);
		c->encounter_id = stmt_int64(s, 0);
		str_copy(c->mrn, sizeof c->mrn, stmt_text(s, 1));
		str_copy(c->at, sizeof c->at, stmt_text(s, 2));
		str_copy(c->clinic, sizeof c->clinic, stmt_text(s, 3));
		str_copy(c->by, sizeof c->by, stmt_text(s, 7));
		if (stmt_int64(s, 8)) {
			/* A restricted patient's name stays behind its reason prompt. */
			str_copy(c->last, sizeof c->last, "(restricted record)");
		} else {
			env = stmt_blob(s, 6, &len);
			if ((rc = patient_open(kr, stmt_int64(s, 5), env, len, scratch, p, e)))
				break;
			str_copy(c->last, sizeof c->last, p->v[PF_LAST]);
			str_copy(c->first, sizeof c->first, p->v[PF_FIRST]);
			env = stmt_blob(s, 4, &len);
			field_ad(ad, sizeof ad, "encounters", "reason", c->encounter_id);
			if (env && len > ENVELOPE_OVERHEAD &&
			    (rc = field_open(kr, ad, env, len, c->reason, sizeof c->reason - 1, &plen, e)))
				break;
		}
		(*n)++;
	}
	keyring_unpin(kr);
	if (rc == STMT_DONE || rc == STMT_ROW)
		rc = FOLIO_OK;
out:
	stmt_finalize(s);
	patient_free(p);
	smem_free(scratch);
	return rc;
}

int patient_encounters(struct grant *g, int (*fn)(const struct encounter_row *, void *), void *ctx,
		       struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct encounter_row *r;
	struct stmt *s;
	int rc;

	if (grant_action(g) != ACT_CHART_VIEW)
		return err_set(e, FOLIO_EDENIED, "reading the chart needs its own grant");
	r = smem_alloc(sizeof *r);
	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT e.id, e.kind, e.state, e.started_at, e.clinic, e.reason"
				   " FROM encounters e JOIN patients p ON p.id = e.patient_id WHERE p.mrn = ?"
				   " ORDER BY e.started_at DESC, e.id DESC", &s, e))) {
		smem_free(r);
		return rc;
	}
	stmt_bind_text(s, 1, grant_mrn(g));
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		const uint8_t *env;
		size_t len, plen;
		char ad[64];

		memset(r, 0, sizeof *r);
		r->id = stmt_int64(s, 0);
		str_copy(r->kind, sizeof r->kind, stmt_text(s, 1));
		str_copy(r->state, sizeof r->state, stmt_text(s, 2));
		str_copy(r->at, sizeof r->at, stmt_text(s, 3));
		str_copy(r->clinic, sizeof r->clinic, stmt_text(s, 4));
		env = stmt_blob(s, 5, &len);
		field_ad(ad, sizeof ad, "encounters", "reason", r->id);
		if (env && len >= ENVELOPE_OVERHEAD &&
		    (rc = field_open(kr, ad, env, len, r->reason, sizeof r->reason - 1, &plen, e)))
			break;
		if (fn(r, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	smem_free(r);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int alerts_list(struct grant *g, int all, int (*fn)(const struct alert *, void *), void *ctx,
		struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct alert *a;
	struct stmt *s;
	int rc;

	if (grant_action(g) != ACT_ALERT_REVIEW)
		return err_set(e, FOLIO_EDENIED, "alerts need their own grant");
	a = smem_alloc(sizeof *a);
	if (!a)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, at, user_name, mrn, reason, coalesce(reviewed_by, '')"
				   " FROM alerts WHERE ? OR reviewed_at IS NULL ORDER BY id DESC", &s, e))) {
		smem_free(a);
		return rc;
	}
	stmt_bind_int64(s, 1, all != 0);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		const uint8_t *env;
		size_t len, plen = 0;
		char ad[64];

		memset(a, 0, sizeof *a);
		a->id = stmt_int64(s, 0);
		str_copy(a->at, sizeof a->at, stmt_text(s, 1));
		str_copy(a->user, sizeof a->user, stmt_text(s, 2));
		str_copy(a->mrn, sizeof a->mrn, stmt_text(s, 3));
		str_copy(a->reviewed_by, sizeof a->reviewed_by, stmt_text(s, 5));
		env = stmt_blob(s, 4, &len);
		field_ad(ad, sizeof ad, "alerts", "reason", a->id);
		if ((rc = field_open(kr, ad, env, len, a->reason, sizeof a->reason - 1, &plen, e)))
			break;
		a->reason[plen] = '\0';
		if (fn(a, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	smem_free(a);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int alert_review(struct grant *g, int64_t id, struct folio_err *e)
{
	struct stmt *s;
	char now[24];
	int rc;

	if (grant_action(g) != ACT_ALERT_REVIEW)
		return err_set(e, FOLIO_EDENIED, "alerts need their own grant");
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE alerts SET reviewed_by = ?, reviewed_at = ?"
				   " WHERE id = ? AND reviewed_at IS NULL", &s, e)))
		return rc;
	stmt_bind_text(s, 1, session_user(grant_session(g)));
	stmt_bind_text(s, 2, now);
	stmt_bind_int64(s, 3, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ENOTFOUND, "no open alert %" PRId64, id);
	return FOLIO_OK;
}
