/* folio — HL7 ADT events on the chart (include/folio/import_hl7.h):
 * admissions, visits, transfers, discharges and their cancels through the
 * encounter functions, A08 demographics, DG1 diagnoses and AL1 allergies,
 * and A40: the pair marked a verified duplicate, then merged through the
 * merge engine when the importer holds merge.approve, else queued for the
 * supervisor (a person verifies, a supervisor approves). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chart_internal.h"
#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/crypto.h"
#include "folio/merge.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "import_hl7_internal.h"

/* ---- encounters ------------------------------------------------------ */

/* The visit number's key ("authority|number"); 0 when PV1-19 is empty. */
static int visit_key(struct h7 *h, char *out, size_t cap)
{
	char num[128], auth[65];

	if (h7_get(h, h->pv1, 19, 0, 1, 1, num, sizeof num) <= 0)
		return 0;
	if (h7_get(h, h->pv1, 19, 0, 4, 1, auth, sizeof auth) <= 0)
		str_copy(auth, sizeof auth, h->facility);
	snprintf(out, cap, "%s|%s", auth, num);
	smem_wipe(num, sizeof num);
	return 1;
}

/* Kind and state of encounter id, which must be this chart's. */
static int enc_facts(struct h7 *h, int64_t id, char kind[16], char state[16], struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(h->g), "SELECT kind, state FROM encounters WHERE id = ? AND patient_id = ?",
			       &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, h->patient_id);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		str_copy(kind, 16, stmt_text(s, 0));
		str_copy(state, 16, stmt_text(s, 1));
	}
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK
	       : rc == STMT_DONE ? err_set(e, FOLIO_EUSAGE, "PV1-19: the visit number belongs to another chart")
				 : rc;
}

/* The encounter of the visit number (*by_visit 1), else the chart's latest
 * in one of states ("a|b"); *id 0 when none. */
static int find_enc(struct h7 *h, const char *states, int64_t *id, int *by_visit, char kind[16], char state[16],
		    struct folio_err *e)
{
	char key[256];
	struct stmt *s;
	int rc;

	*id = 0;
	*by_visit = 0;
	kind[0] = state[0] = '\0';
	if (visit_key(h, key, sizeof key)) {
		if ((rc = import_key_find(h->x, "hl7", "visit", NULL, key, id, e)))
			return rc;
		if (*id) {
			*by_visit = 1;
			return enc_facts(h, *id, kind, state, e);
		}
	}
	if (!states[0])
		return FOLIO_OK;
	if ((rc = stmt_prepare(grant_store(h->g), "SELECT id, kind, state FROM encounters WHERE patient_id = ? AND"
						  " instr('|' || ? || '|', '|' || state || '|') > 0"
						  " ORDER BY started_at DESC, id DESC LIMIT 1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, h->patient_id);
	stmt_bind_text(s, 2, states);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		*id = stmt_int64(s, 0);
		str_copy(kind, 16, stmt_text(s, 1));
		str_copy(state, 16, stmt_text(s, 2));
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int h7_encounter(struct h7 *h, const char *states, int64_t *id, struct folio_err *e)
{
	char kind[16], state[16];
	int by_visit;

	return find_enc(h, states, id, &by_visit, kind, state, e);
}

/* Remembers the visit number for encounter id (once). */
static int visit_remember(struct h7 *h, int64_t id, struct folio_err *e)
{
	char key[256];
	int64_t had = 0;
	int rc;

	if (!visit_key(h, key, sizeof key))
		return FOLIO_OK;
	if ((rc = import_key_find(h->x, "hl7", "visit", NULL, key, &had, e)) || had)
		return rc;
	return import_key_put(h->x, "hl7", "visit", NULL, key, "encounters", id, e);
}

/* Where PV1 puts the patient: PV1-3 point of care, room, bed; PV1-10
 * service.  The strings live in h's scratch. */
static void adt_where(struct h7 *h, struct adt *a)
{
	if (h7_get(h, h->pv1, 3, 0, 2, 1, h->v[2], 64) > 0)
		a->room = h->v[2];
	if (h7_get(h, h->pv1, 3, 0, 3, 1, h->v[3], 64) > 0)
		a->bed = h->v[3];
	if (h7_get(h, h->pv1, 10, 0, 1, 1, h->v[4], 64) > 0)
		a->service = h->v[4];
	if (h7_get(h, h->pv1, 3, 0, 1, 1, h->v[5], 64) > 0)
		a->clinic = h->v[5];
}

/* The event's time: the first of PV1-pv1_field (0 none), EVN-6 (occurred),
 * EVN-2 (recorded), MSH-7. */
static int event_time(struct h7 *h, int pv1_field, char at[24], struct folio_err *e)
{
	long evn = hl7_find(h->m, "EVN", 1);
	long segs[] = { h->pv1, evn, evn, 0 };
	int fields[] = { pv1_field, 6, 2, 7 };

	return pv1_field ? h7_time_first(h, segs, fields, 4, at, "the event time", e)
			 : h7_time_first(h, segs + 1, fields + 1, 3, at, "the event time", e);
}

static int need_pv1(struct h7 *h, struct folio_err *e)
{
	return h->pv1 < 0 ? err_set(e, FOLIO_EUSAGE, "no PV1 segment: the event names no visit") : FOLIO_OK;
}

static int ev_admit(struct h7 *h, int pre, struct folio_err *e)
{
	struct adt a = { .pre = pre };
	char at[24], kind[16], state[16];
	int64_t id;
	int by_visit, rc;

	if ((rc = need_pv1(h, e)) || (rc = event_time(h, 44, at, e)) ||
	    (rc = find_enc(h, pre ? "" : "pre-admitted", &id, &by_visit, kind, state, e)))
		return rc;
	h7_physician(h, h->pv1, 7, h->attending);
	a.at = at[0] ? at : NULL;
	a.attending = h->attending;
	adt_where(h, &a);
	a.clinic = NULL;
	if (id && !pre && !strcmp(state, "pre-admitted"))
		rc = encounter_arrive(h->g, id, &a, e);
	else if (id && by_visit)
		return err_set(e, FOLIO_EUSAGE, "PV1-19: this visit is already %s (encounter %" PRId64 ")", state, id);
	else if (!h->attending[0])
		return err_set(e, FOLIO_EUSAGE, "PV1-7 (attending): no folio physician by that id or name, and no"
						 " --attending given");
	else
		rc = encounter_admit(h->g, &a, &id, e);
	if (rc == FOLIO_OK && (rc = visit_remember(h, id, e)) == FOLIO_OK)
		rc = h7_dg1_al1(h, id, e);
	return rc;
}

static int ev_visit(struct h7 *h, struct folio_err *e)
{
	struct adt a = { 0 };
	char at[24], kind[16], state[16], cls[8] = "";
	int64_t id;
	int by_visit, rc;

	if ((rc = need_pv1(h, e)) || (rc = event_time(h, 44, at, e)) ||
	    (rc = find_enc(h, "", &id, &by_visit, kind, state, e)))
		return rc;
	if (id)
		return err_set(e, FOLIO_EUSAGE, "PV1-19: this visit is already registered (encounter %" PRId64 ")", id);
	h7_physician(h, h->pv1, 7, h->attending);
	a.at = at[0] ? at : NULL;
	a.attending = h->attending;
	adt_where(h, &a);
	a.room = a.bed = NULL;
	h7_get(h, h->pv1, 2, 0, 1, 1, cls, sizeof cls);
	if ((rc = encounter_visit(h->g, !strcmp(cls, "E") ? "emergency" : "outpatient", &a, &id, e)) == FOLIO_OK &&
	    (rc = visit_remember(h, id, e)) == FOLIO_OK)
		rc = h7_dg1_al1(h, id, e);
	return rc;
}

/* A02, and A12 (the transfer cancelled: back to PV1-3, the movement kept). */
static int ev_transfer(struct h7 *h, int undo, struct folio_err *e)
{
	struct adt a = { 0 };
	char at[24], kind[16], state[16];
	int64_t id;
	int by_visit, rc;

	if ((rc = need_pv1(h, e)) || (rc = event_time(h, 0, at, e)) ||
	    (rc = find_enc(h, "admitted", &id, &by_visit, kind, state, e)))
		return rc;
	if (!id)
		return err_set(e, FOLIO_EUSAGE, "no admission to transfer: PV1-19 names none and the chart has no"
						 " open one");
	h7_physician(h, h->pv1, 7, h->attending);
	a.at = at[0] ? at : NULL;
	if (h7_get(h, h->pv1, 7, 0, 1, 1, h->v[1], 64) > 0 || h7_get(h, h->pv1, 7, 0, 2, 1, h->v[1], 64) > 0)
		a.attending = h->attending;
	adt_where(h, &a);
	a.clinic = NULL;
	if ((rc = encounter_transfer(h->g, id, &a, e)) == FOLIO_OK && undo)
		h7_note(h, "transfer cancelled: the patient is back in PV1-3's place, both movements kept");
	return rc == FOLIO_OK ? visit_remember(h, id, e) : rc;
}

static int ev_discharge(struct h7 *h, struct folio_err *e)
{
	struct adt a = { 0 };
	char at[24], kind[16], state[16], disp[8] = "", code[4] = "";
	int64_t id;
	int by_visit, n, rc;

	if ((rc = need_pv1(h, e)) || (rc = event_time(h, 45, at, e)) ||
	    (rc = find_enc(h, "admitted|pre-admitted|checked-in|in-progress", &id, &by_visit, kind, state, e)))
		return rc;
	if (!id)
		return err_set(e, FOLIO_EUSAGE, "no encounter to discharge: PV1-19 names none and the chart has no"
						 " open one");
	a.at = at[0] ? at : NULL;
	if (strcmp(kind, "inpatient") != 0) {
		rc = encounter_step(h->g, id, "close", &a, e);
	} else {
		n = h7_get(h, h->pv1, 36, 0, 1, 1, disp, sizeof disp);
		if (n == 1 && isdigit((unsigned char)disp[0]))
			snprintf(code, sizeof code, "0%c", disp[0]);
		else if (n > 0 && n < 3)
			str_copy(code, sizeof code, disp);
		if (!code[0] || !discharge_status_label(code)) {
			str_copy(code, sizeof code, "01");
			h7_note(h, n > 0 ? "PV1-36 is not a UB-04 discharge status: 01 (home or self care) recorded"
					 : "no PV1-36: discharge status 01 (home or self care) recorded");
		}
		a.status = code;
		rc = encounter_discharge(h->g, id, &a, e);
	}
	if (rc == FOLIO_OK && (rc = visit_remember(h, id, e)) == FOLIO_OK)
		rc = h7_dg1_al1(h, id, e);
	return rc;
}

/* A11 (admission or visit) and A13 (discharge) cancels. */
static int ev_cancel(struct h7 *h, int discharge, struct folio_err *e)
{
	char kind[16], state[16], reason[200];
	int64_t id;
	int by_visit, rc;

	if ((rc = find_enc(h, discharge ? "discharged" : "admitted|pre-admitted|checked-in", &id, &by_visit, kind,
			   state, e)))
		return rc;
	if (!id)
		return err_set(e, FOLIO_EUSAGE, "nothing to cancel: PV1-19 names no encounter and the chart has no %s",
			       discharge ? "discharge" : "open admission or visit");
	if (discharge && strcmp(state, "discharged") != 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is %s, not discharged", id, state);
	snprintf(reason, sizeof reason, "%s cancelled by HL7 %s from %s", discharge ? "discharge" : "admission or visit",
		 discharge ? "A13" : "A11", h->sender);
	return encounter_cancel(h->g, id, reason, e);
}

/* ---- A40: a verified duplicate pair, merged or queued ------------------ */

static int pair_note(struct h7 *h, int64_t pair, struct folio_err *e)
{
	uint8_t env[512];
	char ad[64], note[200];
	size_t len;
	struct stmt *s;
	int rc;

	snprintf(note, sizeof note, "A40 from %s", h->sender);
	field_ad(ad, sizeof ad, "dup_pairs", "note", pair);
	if ((rc = field_seal(grant_keys(h->g), KC_DEMOGRAPHICS, ad, note, strlen(note), env, sizeof env, &len, e)) ||
	    (rc = stmt_prepare(grant_store(h->g), "UPDATE dup_pairs SET note = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, len);
	stmt_bind_int64(s, 2, pair);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The pair (a, b) marked a verified duplicate by the A40 (pair: its id,
 * 0 when there is none yet): *id the pair's id. */
static int pair_verify(struct h7 *h, int64_t pair, int64_t a, int64_t b, int64_t *id, struct folio_err *e)
{
	char now[24];
	struct stmt *s;
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(h->g), pair
			       ? "UPDATE dup_pairs SET status = 'duplicate', decided_by = ?2, decided_at = ?3,"
				 " row_version = row_version + 1 WHERE id = ?4 RETURNING id"
			       : "INSERT INTO dup_pairs (patient_a, patient_b, score, reasons, status, found_at,"
				 " decided_by, decided_at) VALUES (?5, ?6, 0, 'hl7-a40', 'duplicate', ?1, ?2, ?3)"
				 " RETURNING id", &s, e)))
		return rc;
	stmt_bind_text(s, 1, now);
	stmt_bind_text(s, 2, session_user(grant_session(h->g)));
	stmt_bind_text(s, 3, now);
	stmt_bind_int64(s, 4, pair);
	stmt_bind_int64(s, 5, a);
	stmt_bind_int64(s, 6, b);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		*id = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "the duplicate pair was not saved") : rc;
	return pair_note(h, *id, e);
}

/* The A40's acknowledgement when the merge waits for a supervisor
 * (why: a conflict the merge preview found, or NULL when the importer may
 * not approve merges). */
static int queued(struct h7 *h, const char *why)
{
	str_copy(h->o->code, sizeof h->o->code, "AA");
	str_copy(h->o->reason, sizeof h->o->reason, "merge queued");
	h7_join(h->o->text, sizeof h->o->text, "merge queued for approval", why ? ": " : "", why ? why : "",
		(char *)NULL);
	return FOLIO_OK;
}

/* An importer who holds merge.approve (the grant is merge.approve on the
 * surviving chart, PID-3's) merges in the message's transaction, through
 * the same path as `merge approve`; a conflict the preview finds (two open
 * admissions, a restricted chart, ...) leaves the pair queued for a person
 * rather than refusing the message: the sender's systems have merged
 * already, and the records department decides what folio does. */
static int merge_now(struct h7 *h, int64_t pair, struct folio_err *e)
{
	struct merge_plan *p = smem_alloc(sizeof *p);
	int rc;

	if (!p)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = merge_preview(h->g, pair, grant_mrn(h->g), p, e)) == FOLIO_OK) {
		if (p->nconflicts)
			rc = queued(h, p->conflicts[0]);
		else if ((rc = merge_approve(h->g, pair, p, e)) == FOLIO_OK) {
			str_copy(h->o->code, sizeof h->o->code, "AA");
			str_copy(h->o->reason, sizeof h->o->reason, "merged");
			snprintf(h->o->text, sizeof h->o->text, "merged: MRG-1's chart into PID-3's (%ld rows moved,"
				 " merge %" PRId64 ")", p->total, p->merge_id);
		}
	}
	smem_free(p);
	return rc;
}

static int ev_merge(struct h7 *h, struct folio_err *e)
{
	long mrg = hl7_find(h->m, "MRG", 1);
	int64_t other = 0, a, b, pair = 0;
	char status[16] = "";
	struct stmt *s;
	int rc;

	if (mrg < 0)
		return err_set(e, FOLIO_EUSAGE, "no MRG segment: the A40 names no chart to merge");
	if ((rc = h7_cx_patient(h, mrg, 1, &other, e)))
		return rc;
	if (!other)
		return err_set(e, FOLIO_EUSAGE, "MRG-1: the chart to merge is not known here");
	if (other == h->patient_id) {
		h7_note(h, "MRG-1 and PID-3 are already the same chart");
		return FOLIO_OK;
	}
	a = other < h->patient_id ? other : h->patient_id;
	b = other < h->patient_id ? h->patient_id : other;
	if ((rc = stmt_prepare(grant_store(h->g), "SELECT id, status FROM dup_pairs WHERE patient_a = ? AND"
						  " patient_b = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, a);
	stmt_bind_int64(s, 2, b);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		pair = stmt_int64(s, 0);
		str_copy(status, sizeof status, stmt_text(s, 1));
	}
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (!strcmp(status, "not-duplicate"))
		return err_set(e, FOLIO_EUSAGE, "a person decided these two charts are not duplicates (pair %" PRId64
			       "): review the pair", pair);
	if (strcmp(status, "duplicate") != 0 && (rc = pair_verify(h, pair, a, b, &pair, e)))
		return rc;
	return grant_action(h->g) == ACT_MERGE_APPROVE ? merge_now(h, pair, e) : queued(h, NULL);
}

/* ---- DG1 and AL1 ----------------------------------------------------- */

/* Saves it (once: key names it for this chart). */
static int item_once(struct h7 *h, struct clinical_item *it, const char *kind, const char *key,
		     struct folio_err *e)
{
	char k[700];
	int64_t had = 0;
	int rc;

	snprintf(k, sizeof k, "%" PRId64 "|%s", h->patient_id, key);
	if ((rc = import_key_find(h->x, "hl7", kind, NULL, k, &had, e)) || had)
		return rc;
	if ((rc = clinical_add(h->g, it, e)))
		return rc;
	return import_key_put(h->x, "hl7", kind, NULL, k, "clinical_items", it->id, e);
}

static int icd10_system(const char *sys)
{
	return !strncasecmp(sys, "I10", 3) || !strncasecmp(sys, "ICD10", 5) || !strncasecmp(sys, "ICD-10", 6);
}

/* One field of it set from text, a refusal naming the segment. */
static int item_set(struct clinical_item *it, size_t f, const char *v, const char *seg, int n, struct folio_err *e)
{
	struct folio_err e2 = { 0 };

	if (clinical_set(it, f, v, &e2))
		return err_set(e, FOLIO_EUSAGE, "%s %d: %s", seg, n, e2.msg);
	return FOLIO_OK;
}

static int dg1_one(struct h7 *h, long seg, int n, int64_t enc, struct clinical_item *it, struct folio_err *e)
{
	char *code = h->v[1], *text = h->v[2], *sys = h->v[3], *line = h->v[4], icd[16], when[24];
	int rc;

	h7_get(h, seg, 3, 0, 1, 1, code, 64);
	if (h7_get(h, seg, 3, 0, 2, 1, text, 512) <= 0)
		h7_get(h, seg, 4, 0, 1, 1, text, 512);
	if (h7_get(h, seg, 3, 0, 3, 1, sys, 64) <= 0)
		h7_get(h, seg, 2, 0, 1, 1, sys, 64);
	if (!code[0] && !text[0])
		return FOLIO_OK;
	clinical_item_init(it, CLIN_PROBLEM);
	it->encounter_id = enc;
	if (code[0] && icd10_system(sys) && clinical_icd_normalize(code, icd) == 0) {
		h7_join(line, 512, text[0] ? text : code, (char *)NULL);
		if ((rc = item_set(it, PRF_ICD, icd, "DG1", n, e)))
			return rc;
	} else if (code[0]) {
		/* not ICD-10: the code is kept as sent, in the text, with its system */
		h7_join(line, 512, text, text[0] ? " " : "", "[", sys[0] ? sys : "code", " ", code, "]", (char *)NULL);
	} else {
		h7_join(line, 512, text, (char *)NULL);
	}
	if ((rc = item_set(it, PRF_TEXT, line, "DG1", n, e)))
		return rc;
	if (h7_get(h, seg, 5, 0, 1, 1, h->v[5], 64) > 0) {
		if ((rc = h7_time(h->v[5], when, "DG1-5 diagnosis time", e)))
			return rc;
		when[10] = '\0';
		if ((rc = item_set(it, PRF_ONSET, when, "DG1", n, e)))
			return rc;
	}
	h7_join(h->v[5], sizeof h->v[5], sys, "|", code, "|", code[0] ? "" : text, (char *)NULL);
	return item_once(h, it, "dg1", h->v[5], e);
}

static const char *al1_type(const char *t)
{
	static const struct { const char *code, *type; } map[] = {
		{ "DA", "drug" }, { "FA", "food" }, { "EA", "environmental" }, { "LA", "environmental" },
		{ "AA", "environmental" }, { "PA", "environmental" }, { "MA", "other" }, { "MC", "other" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcasecmp(t, map[i].code))
			return map[i].type;
	return NULL;
}

static const char *al1_severity(const char *s)
{
	return !strcasecmp(s, "SV") ? "severe" : !strcasecmp(s, "MO") ? "moderate" : !strcasecmp(s, "MI") ? "mild"
														: NULL;
}

static int al1_one(struct h7 *h, long seg, int n, int64_t enc, struct clinical_item *it, struct folio_err *e)
{
	char *allergen = h->v[1], *reaction = h->v[2], t[8] = "", sev[8] = "";
	const char *type, *severity;
	int reps = hl7_reps(h->m, (size_t)seg, 5), rc;

	if (h7_get(h, seg, 3, 0, 2, 1, allergen, 256) <= 0 && h7_get(h, seg, 3, 0, 1, 1, allergen, 256) <= 0)
		return FOLIO_OK;
	clinical_item_init(it, CLIN_ALLERGY);
	it->encounter_id = enc;
	h7_get(h, seg, 2, 0, 1, 1, t, sizeof t);
	h7_get(h, seg, 4, 0, 1, 1, sev, sizeof sev);
	reaction[0] = '\0';
	for (int r = 0; r < reps; r++) {
		size_t l = strlen(reaction);
		if (l < 300 && h7_get(h, seg, 5, r, 1, 1, h->v[3], 256) > 0)
			h7_join(reaction + l, 512 - l, l ? ", " : "", h->v[3], (char *)NULL);
	}
	if ((rc = item_set(it, AF_ALLERGEN, allergen, "AL1", n, e)) ||
	    ((type = al1_type(t)) && (rc = item_set(it, AF_TYPE, type, "AL1", n, e))) ||
	    ((severity = al1_severity(sev)) && (rc = item_set(it, AF_SEVERITY, severity, "AL1", n, e))) ||
	    (reaction[0] && (rc = item_set(it, AF_REACTION, reaction, "AL1", n, e))))
		return rc;
	for (char *c = allergen; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	return item_once(h, it, "al1", allergen, e);
}

int h7_dg1_al1(struct h7 *h, int64_t enc, struct folio_err *e)
{
	struct clinical_item *it = clinical_items_new(1);
	int rc = FOLIO_OK, n = 0;

	if (!it)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	for (long s = hl7_find(h->m, "DG1", 1); s >= 0 && rc == FOLIO_OK; s = hl7_find(h->m, "DG1", (size_t)s + 1))
		rc = dg1_one(h, s, ++n, enc, it, e);
	n = 0;
	for (long s = hl7_find(h->m, "AL1", 1); s >= 0 && rc == FOLIO_OK; s = hl7_find(h->m, "AL1", (size_t)s + 1))
		rc = al1_one(h, s, ++n, enc, it, e);
	clinical_items_free(it, 1);
	return rc;
}

/* ---- the events ------------------------------------------------------ */

int h7_adt(struct h7 *h, struct folio_err *e)
{
	const char *ev = h->o->event;
	int64_t enc = 0;
	int rc;

	if (!strcmp(ev, "A01"))
		return ev_admit(h, 0, e);
	if (!strcmp(ev, "A05"))
		return ev_admit(h, 1, e);
	if (!strcmp(ev, "A04"))
		return ev_visit(h, e);
	if (!strcmp(ev, "A02") || !strcmp(ev, "A12"))
		return ev_transfer(h, ev[2] == '2' && ev[1] == '1', e);
	if (!strcmp(ev, "A03"))
		return ev_discharge(h, e);
	if (!strcmp(ev, "A11") || !strcmp(ev, "A13"))
		return ev_cancel(h, ev[2] == '3', e);
	if (!strcmp(ev, "A40"))
		return ev_merge(h, e);
	if (!strcmp(ev, "A08")) {
		if ((rc = h7_demographics(h, e)) || (rc = h7_encounter(h, "", &enc, e)))
			return rc;
		return h7_dg1_al1(h, enc, e);
	}
	return err_set(e, FOLIO_EUSAGE, "ADT^%s is not processed by folio", ev);
}
