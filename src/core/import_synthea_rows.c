/* folio — the clinical rows of a Synthea import: conditions (problems
 * filed to their encounter: its diagnoses), medications, allergies,
 * procedures, and observations (vitals of one time gathered into one set,
 * the rest results).  Every value goes through the clinical field checks;
 * each source row keeps its key so a rerun adds nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/smem.h"
#include "import_synthea_internal.h"

static const char *const key_kind[SYN_FILES] = {
	[SYN_CONDITIONS] = "condition", [SYN_MEDICATIONS] = "medication", [SYN_ALLERGIES] = "allergy",
	[SYN_PROCEDURES] = "procedure", [SYN_OBSERVATIONS] = "observation",
};

static const char *get(struct synthea_import *imp, int col)
{
	return synthea_get(&imp->map, &imp->csv, col);
}

/* Sets field i from text ("" leaves it empty). */
static int put(struct clinical_item *it, size_t i, const char *v, struct folio_err *e)
{
	return *v ? clinical_set(it, i, v, e) : FOLIO_OK;
}

/* Sets a field folio fills (not typed: a code) through its own check. */
static int put_code(struct clinical_item *it, size_t i, const char *v, struct folio_err *e)
{
	const struct clinical_field *f = clinical_field(it->kind, i);

	if (!*v)
		return FOLIO_OK;
	if (strlen(v) > f->max)
		return err_set(e, FOLIO_EUSAGE, "%s: at most %zu characters", f->label, f->max);
	return f->check(f, v, it->v[i], sizeof it->v[i], e);
}

/* The date part of a column into out, through the field's check. */
static int put_date(struct clinical_item *it, size_t i, const char *col, const char *v, struct folio_err *e)
{
	char d[11];

	if (!*v)
		return FOLIO_OK;
	if (synthea_date(v, d) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not a date", col);
	return clinical_set(it, i, d, e);
}

/* A time as the clinical checks take it: "YYYY-MM-DDTHH:MM". */
static int minute_of(const char *v, const char *col, char out[24], struct folio_err *e)
{
	if (synthea_time(v, out) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not a date and time", col);
	out[16] = '\0';
	return FOLIO_OK;
}

_Static_assert(SYN_ITEM_BATCH == 16, "SYN_INS_ITEMS (src/core/import_synthea.c) writes 16 rows");

/* Binds item i of the waiting ones as row r (from 0) of statement s. */
static void item_bind(struct grant *g, struct synthea_import *imp, struct stmt *s, int r, const struct syn_item *i)
{
	int p = 8 * r;

	stmt_bind_int64(s, p + 1, i->id);
	stmt_bind_int64(s, p + 2, i->pid);
	if (i->eid > 0)
		stmt_bind_int64(s, p + 3, i->eid);
	else
		stmt_bind_null(s, p + 3);
	stmt_bind_text_ref(s, p + 4, i->kind);
	stmt_bind_text_ref(s, p + 5, i->status);
	stmt_bind_text_ref(s, p + 6, imp->now);
	stmt_bind_text_ref(s, p + 7, session_user(grant_session(g)));
	stmt_bind_blob(s, p + 8, i->env, i->envlen);
}

int syn_items_flush(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	int whole = gm->nitems == SYN_ITEM_BATCH, rc;
	struct stmt *s;

	if (!gm->nitems)
		return FOLIO_OK;
	if ((rc = syn_hold(g, imp, whole ? SYN_INS_ITEMS : SYN_INS_ITEM, &s, e)))
		return rc;
	rc = STMT_DONE;
	for (int i = 0; i < gm->nitems && rc == STMT_DONE; i++) {
		item_bind(g, imp, s, whole ? i : 0, &gm->items[i]);
		if (whole && i + 1 < gm->nitems)
			continue;
		rc = stmt_step(s, e);
		stmt_reset(s);
	}
	gm->nitems = 0;
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Seals it for patient pid under the next item id; it is written with the
 * next few (syn_items_flush). */
static int item_save(struct grant *g, struct synthea_import *imp, int64_t pid, struct clinical_item *it,
		     struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	struct syn_item *i = &gm->items[gm->nitems];
	char ad[64];
	size_t n;
	int rc;

	it->id = imp->next_item;
	n = clinical_serialize(it, gm->plain);
	field_ad(ad, sizeof ad, "clinical_items", "body", it->id);
	rc = field_seal(grant_keys(g), KC_CLINICAL, ad, gm->plain, n, i->env, sizeof i->env, &i->envlen, e);
	smem_wipe(gm->plain, n);
	if (rc)
		return rc;
	i->id = it->id;
	i->pid = pid;
	i->eid = it->encounter_id;
	i->kind = clinical_kind_name(it->kind);
	str_copy(i->status, sizeof i->status, it->status);
	imp->next_item++;
	return ++gm->nitems == SYN_ITEM_BATCH ? syn_items_flush(g, imp, e) : FOLIO_OK;
}

/* Keys are grouped under the row's PATIENT (src/core/import_keys.c). */
static int key_put(struct synthea_import *imp, struct import_ctx *x, const char *patient, const char *key, int64_t id,
		   struct folio_err *e)
{
	return import_key_put(x, "synthea", key_kind[imp->file], patient, key, "clinical_items", id, e);
}

/* Claims the row's key for the item about to be saved (it has passed every
 * check, so a skipped row never keeps a key); *made 0 when an earlier
 * import made it, counted as already there. */
static int key_claim(struct synthea_import *imp, struct import_ctx *x, const char *patient, const char *key,
		     int *made, struct folio_err *e)
{
	int rc;

	if ((rc = import_key_claim(x, "synthea", key_kind[imp->file], patient, key, "clinical_items", imp->next_item,
				   made, e)))
		return rc;
	if (!*made)
		imp->r.f[imp->file].already++;
	return FOLIO_OK;
}

/* ---- conditions, medications, allergies, procedures ---------------------- */

static int condition(struct synthea_import *imp, struct clinical_item *it, struct folio_err *e)
{
	const char *stop = get(imp, SC_STOP);
	int rc;

	clinical_item_init(it, CLIN_PROBLEM);
	if ((rc = put(it, PRF_TEXT, get(imp, SC_DESC), e)) || (rc = put_code(it, PRF_SNOMED, get(imp, SC_CODE), e)) ||
	    (rc = put_date(it, PRF_ONSET, "START", get(imp, SC_START), e)))
		return rc;
	if (*stop) {
		if (synthea_date(stop, it->v[PRF_RESOLVED]) != 0)
			return err_set(e, FOLIO_EUSAGE, "STOP: not a date");
		/* the source's own contradiction: the row is kept, the date it
		 * cannot have is not */
		if (strcmp(it->v[PRF_RESOLVED], it->v[PRF_ONSET]) < 0) {
			it->v[PRF_RESOLVED][0] = '\0';
			imp->warn = "STOP is before START: imported without its stop date";
		}
		str_copy(it->status, sizeof it->status, "resolved");
	}
	return FOLIO_OK;
}

static int medication(struct synthea_import *imp, struct clinical_item *it, struct folio_err *e)
{
	int rc;

	clinical_item_init(it, CLIN_MED);
	if ((rc = put(it, MF_DRUG, get(imp, SC_DESC), e)) || (rc = put_code(it, MF_RXNORM, get(imp, SC_CODE), e)) ||
	    (rc = put_date(it, MF_START, "START", get(imp, SC_START), e)) ||
	    (rc = put_date(it, MF_STOP, "STOP", get(imp, SC_STOP), e)))
		return rc;
	if (!it->v[MF_STOP][0])
		return FOLIO_OK;
	str_copy(it->status, sizeof it->status, "stopped");
	/* the source's own contradiction: kept stopped, without the date */
	if (it->v[MF_START][0] && strcmp(it->v[MF_STOP], it->v[MF_START]) < 0) {
		it->v[MF_STOP][0] = '\0';
		imp->warn = "STOP is before START: imported without its stop date";
	}
	return FOLIO_OK;
}

static void lower(const char *in, char *out, size_t cap)
{
	size_t i = 0;

	for (; in[i] && i + 1 < cap; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
	out[i] = '\0';
}

static int allergy(struct synthea_import *imp, struct clinical_item *it, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	const char *r1 = get(imp, SC_REACTION1), *r2 = get(imp, SC_REACTION2);
	int rc;

	clinical_item_init(it, CLIN_ALLERGY);
	lower(get(imp, SC_SEVERITY1), gm->t[0], sizeof gm->t[0]);
	snprintf(gm->t[1], sizeof gm->t[1], "%s%s%s", r1, *r1 && *r2 ? "; " : "", r2);
	if ((rc = put(it, AF_ALLERGEN, get(imp, SC_DESC), e)) ||
	    (rc = put(it, AF_TYPE, synthea_allergy_type(get(imp, SC_CATEGORY)), e)) ||
	    (rc = put(it, AF_SEVERITY, gm->t[0], e)) || (rc = put(it, AF_REACTION, gm->t[1], e)) ||
	    (rc = put_code(it, AF_SNOMED, get(imp, SC_CODE), e)))
		return rc;
	if (*get(imp, SC_STOP))
		str_copy(it->status, sizeof it->status, "inactive");
	return FOLIO_OK;
}

static int procedure(struct synthea_import *imp, struct clinical_item *it, struct folio_err *e)
{
	const char *system = get(imp, SC_SYSTEM);
	char at[24];
	int rc;

	clinical_item_init(it, CLIN_PROCEDURE);
	if ((rc = minute_of(get(imp, SC_START), "START", at, e)) || (rc = put(it, PCF_TEXT, get(imp, SC_DESC), e)) ||
	    (rc = put_code(it, PCF_CODE, get(imp, SC_CODE), e)) ||
	    (rc = put(it, PCF_SYSTEM, *system ? system : "SNOMED-CT", e)) || (rc = put(it, PCF_DATE, at, e)) ||
	    (rc = put(it, PCF_REASON, get(imp, SC_REASONDESC), e)))
		return rc;
	return FOLIO_OK;
}

/* ---- observations ---------------------------------------------------------- */

/* A result item from an observation. */
static int result_of(const struct syn_member *m, struct clinical_item *it, struct folio_err *e)
{
	int rc;

	clinical_item_init(it, CLIN_RESULT);
	if ((rc = put(it, RF_TEST, m->desc, e)) ||
	    (rc = put(it, RF_LOINC, clinical_loinc_valid(m->code) == 0 ? m->code : "", e)) ||
	    (rc = put(it, RF_VALUE, m->value, e)) || (rc = put(it, RF_UNITS, m->units, e)) ||
	    (rc = put(it, RF_COLLECTED, m->at, e)) || (rc = put(it, RF_REPORTED, m->at, e)))
		return rc;
	return clinical_complete(it, e);
}

static int result_save(struct grant *g, struct synthea_import *imp, struct import_ctx *x, const char *patient,
		       int64_t pid, int64_t eid, const struct syn_member *m, struct folio_err *e)
{
	struct clinical_item *it = &imp->gm->it;
	struct folio_err e2 = { 0 };
	int rc, made;

	if ((rc = result_of(m, it, &e2)) == FOLIO_EUSAGE) {
		syn_skip(imp, m->line, e2.msg);
		return FOLIO_OK;
	}
	if (rc)
		return err_set(e, rc, "%s", e2.msg);
	it->encounter_id = eid;
	if ((rc = key_claim(imp, x, patient, m->key, &made, e)) || !made || (rc = item_save(g, imp, pid, it, e)))
		return rc;
	imp->r.result_rows++;
	imp->r.f[imp->file].imported++;
	return FOLIO_OK;
}

/* The vitals field of a measure; -1 for those a set takes otherwise. */
static int vital_field(int vital)
{
	switch (vital) {
	case SV_WEIGHT: return VF_WEIGHT;
	case SV_HEIGHT: return VF_HEIGHT;
	case SV_PULSE: return VF_PULSE;
	case SV_RESP: return VF_RESP;
	case SV_TEMP: return VF_TEMP;
	case SV_SPO2: return VF_SPO2;
	case SV_PAIN: return VF_PAIN;
	default: return -1;
	}
}

static const struct syn_member *member(const struct syn_guarded *gm, int vital)
{
	for (int i = 0; i < gm->nset; i++)
		if (gm->set[i].vital == vital)
			return &gm->set[i];
	return NULL;
}

/* Whole mmHg, as the blood pressure check takes it ("106.0" -> "106"). */
static void whole(const char *v, char *out, size_t cap)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || *end || d < 0 || d > 1000)
		str_copy(out, cap, v);
	else
		snprintf(out, cap, "%ld", (long)(d + 0.5));
}

int syn_vitals_flush(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	struct clinical_item *it = &gm->it;
	const struct syn_member *sys = member(gm, SV_SYSTOLIC), *dia = member(gm, SV_DIASTOLIC);
	int in_set[SYN_SET_MAX] = { 0 }, measures = 0, n = gm->nset, rc = FOLIO_OK;
	struct folio_err e2 = { 0 };

	if (!n)
		return FOLIO_OK;
	gm->nset = 0;
	clinical_item_init(it, CLIN_VITALS);
	it->encounter_id = gm->set_eid;
	if ((rc = put(it, VF_TAKEN, gm->set[0].at, &e2)))
		goto refused;
	if (sys && dia) {
		char bp[64];
		whole(sys->value, gm->t[0], 24);
		whole(dia->value, gm->t[1], 24);
		snprintf(bp, sizeof bp, "%.24s/%.24s", gm->t[0], gm->t[1]);
		if ((rc = put(it, VF_BP, bp, &e2)) == FOLIO_OK) {
			in_set[sys - gm->set] = in_set[dia - gm->set] = 1;
			measures++;
		} else if (rc != FOLIO_EUSAGE) {
			return err_set(e, rc, "%s", e2.msg);
		} else {
			syn_skip(imp, sys->line, e2.msg);
			syn_skip(imp, dia->line, e2.msg);
			in_set[sys - gm->set] = in_set[dia - gm->set] = -1;
		}
	}
	for (int i = 0; i < n; i++) {
		int f = vital_field(gm->set[i].vital);
		if (f < 0)
			continue;
		if ((rc = put(it, (size_t)f, gm->set[i].value, &e2)) == FOLIO_OK) {
			in_set[i] = 1;
			measures++;
		} else if (rc == FOLIO_EUSAGE) {
			syn_skip(imp, gm->set[i].line, e2.msg);
			in_set[i] = -1;
		} else {
			return err_set(e, rc, "%s", e2.msg);
		}
	}
	/* BMI is computed from the weight and height of the set */
	for (int i = 0; i < n; i++)
		if (gm->set[i].vital == SV_BMI && it->v[VF_WEIGHT][0] && it->v[VF_HEIGHT][0])
			in_set[i] = 1;
	if (measures) {
		if ((rc = clinical_complete(it, &e2)) == FOLIO_EUSAGE)
			goto refused;
		if (rc || (rc = item_save(g, imp, gm->set_pid, it, e)))
			return rc ? rc : FOLIO_EFAIL;
		for (int i = 0; i < n; i++)
			if (in_set[i] == 1) {
				if ((rc = key_put(imp, x, gm->set_patient, gm->set[i].key, it->id, e)))
					return rc;
				imp->r.vitals_rows++;
				imp->r.f[imp->file].imported++;
			}
		imp->r.vitals_sets++;
	}
	/* what the set cannot hold (a lone systolic, a BMI without weight and
	 * height) is kept as a result */
	for (int i = 0; i < n; i++)
		if (!in_set[i] &&
		    (rc = result_save(g, imp, x, gm->set_patient, gm->set_pid, gm->set_eid, &gm->set[i], e)))
			return rc;
	return FOLIO_OK;
refused:
	if (rc != FOLIO_EUSAGE)
		return err_set(e, rc, "%s", e2.msg);
	for (int i = 0; i < n; i++)
		if (in_set[i] >= 0)
			syn_skip(imp, gm->set[i].line, e2.msg);
	return FOLIO_OK;
}

/* Copies the current observation into m. */
static int member_of(struct synthea_import *imp, struct syn_member *m, int vital, struct folio_err *e)
{
	const char *code = get(imp, SC_CODE), *units = get(imp, SC_UNITS), *desc = get(imp, SC_DESC),
		   *value = get(imp, SC_VALUE);
	int rc;

	if (strlen(code) >= sizeof m->code || strlen(units) >= sizeof m->units)
		return err_set(e, FOLIO_EUSAGE, "CODE or UNITS: too long");
	if (strlen(desc) >= sizeof m->desc || strlen(value) >= sizeof m->value)
		return err_set(e, FOLIO_EUSAGE, "DESCRIPTION or VALUE: too long");
	if ((rc = minute_of(get(imp, SC_START), "DATE", m->at, e)))
		return rc;
	m->vital = vital;
	m->line = imp->csv.line;
	str_copy(m->key, sizeof m->key, imp->gm->key);
	str_copy(m->code, sizeof m->code, code);
	str_copy(m->units, sizeof m->units, units);
	str_copy(m->desc, sizeof m->desc, desc);
	str_copy(m->value, sizeof m->value, value);
	return FOLIO_OK;
}

static int observation(struct grant *g, struct synthea_import *imp, struct import_ctx *x, int64_t pid,
		       int64_t eid, int vital, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	int rc;
	char group[SYN_KEY_MAX];

	if (vital == SV_NONE) {
		if ((rc = member_of(imp, &gm->one, vital, e)))
			return rc;
		return result_save(g, imp, x, get(imp, SC_PATIENT), pid, eid, &gm->one, e);
	}
	snprintf(group, sizeof group, "%s|%s|%s", get(imp, SC_PATIENT), get(imp, SC_ENCOUNTER), get(imp, SC_START));
	if (gm->nset && (strcmp(gm->set_of, group) != 0 || gm->nset == SYN_SET_MAX || member(gm, vital)) &&
	    (rc = syn_vitals_flush(g, imp, x, e)))
		return rc;
	if ((rc = member_of(imp, &gm->set[gm->nset], vital, e)))
		return rc;
	if (!gm->nset++) {
		str_copy(gm->set_of, sizeof gm->set_of, group);
		str_copy(gm->set_patient, sizeof gm->set_patient, get(imp, SC_PATIENT));
		gm->set_pid = pid;
		gm->set_eid = eid;
	}
	smem_wipe(group, sizeof group);
	return FOLIO_OK;
}

/* "#n" after a row's key (its occurrence in the file), written by hand: it
 * is made for every row.  key has room (SYN_KEY_MAX + 16). */
static void key_number(char *out, unsigned n)
{
	out[0] = '#';
	str_u64(out + 1, n);
}

/* ---- a row ------------------------------------------------------------------ */

int syn_clinical_row(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	struct clinical_item *it = &gm->it;
	int vital = imp->file == SYN_OBSERVATIONS ? synthea_vital(get(imp, SC_CODE)) : SV_NONE;
	size_t n;
	int64_t pid, eid, row = 0;
	int rc, made;

	if (synthea_row_key(&imp->map, &imp->csv, gm->key, SYN_KEY_MAX) != 0)
		return err_set(e, FOLIO_EUSAGE, "the identifying columns are too long");
	n = strlen(gm->key);
	key_number(gm->key + n, syn_occurrence(imp, gm->key));
	/* a vitals measure joins a set saved later under one item, so whether
	 * it is there already is asked now; every other row claims its key
	 * once it has passed its checks */
	if (vital != SV_NONE) {
		if ((rc = import_key_find(x, "synthea", key_kind[imp->file], get(imp, SC_PATIENT), gm->key, &row, e)))
			return rc;
		if (row) {
			imp->r.f[imp->file].already++;
			return FOLIO_OK;
		}
	}
	if ((rc = syn_patient(imp, x, get(imp, SC_PATIENT), &pid, e)) ||
	    (rc = syn_encounter(g, imp, x, get(imp, SC_ENCOUNTER), get(imp, SC_PATIENT), pid, &eid, e)))
		return rc;
	imp->warn = NULL;
	switch (imp->file) {
	case SYN_CONDITIONS: rc = condition(imp, it, e); break;
	case SYN_MEDICATIONS: rc = medication(imp, it, e); break;
	case SYN_ALLERGIES: rc = allergy(imp, it, e); break;
	case SYN_PROCEDURES: rc = procedure(imp, it, e); break;
	default: return observation(g, imp, x, pid, eid, vital, e);
	}
	if (rc || (rc = clinical_complete(it, e)))
		return rc;
	it->encounter_id = eid;
	if ((rc = key_claim(imp, x, get(imp, SC_PATIENT), gm->key, &made, e)) || !made ||
	    (rc = item_save(g, imp, pid, it, e)))
		return rc;
	if (imp->warn)
		syn_warn(imp, imp->csv.line, imp->warn);
	imp->r.f[imp->file].imported++;
	return FOLIO_OK;
}
