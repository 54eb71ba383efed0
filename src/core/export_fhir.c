/* folio — `export fhir MRN`: one patient's record as a FHIR R4 Bundle
 * (type collection), read through the chart's own readers under one
 * ACT_EXPORT_RUN grant on the MRN, written by the JSON writer of
 * src/interop/fhir_json.c into guarded memory, then to a stream or a file
 * (all or nothing).  An export to a person or agency is recorded in the
 * disclosure ledger in the same transaction.  Resource ids are keyed
 * pseudonyms (kinds of their own, so they never match the de-identified
 * extract's) shaped as UUIDs: the same record gets the same id in every
 * export. */
#include "folio/fhir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clinical_internal.h"
#include "core_internal.h"
#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/coding.h"
#include "folio/disclosure.h"
#include "folio/outfile.h"
#include "folio/smem.h"

#define URN_MAX 46
#define SYS_LOINC "http://loinc.org"
#define SYS_UCUM "http://unitsofmeasure.org"
#define SYS_ICD10CM "http://hl7.org/fhir/sid/icd-10-cm"
#define SYS_SNOMED "http://snomed.info/sct"
#define SYS_TERM "http://terminology.hl7.org/CodeSystem/"

struct fx {
	struct grant *g;
	struct json_out *j;
	struct fhir_counts *c;
	int include_sensitive;
	char patient[URN_MAX];
	struct folio_err *e;
};

/* The stable urn:uuid of a record. */
static int urn_of(struct fx *x, const char *kind, int64_t id, char out[URN_MAX])
{
	char hex[PSEUDONYM_HEX + 1];
	int rc = crypto_pseudonym(grant_keys(x->g), kind, id, hex, x->e);

	if (rc == FOLIO_OK)
		fhir_uuid_urn(hex, out);
	return rc;
}

/* Opens entry {fullUrl, resource {resourceType, id}}; entry_end closes it. */
static void entry_begin(struct fx *x, enum fhir_resource r, const char *urn)
{
	json_object(x->j, NULL);
	json_string(x->j, "fullUrl", urn);
	json_object(x->j, "resource");
	json_string(x->j, "resourceType", fhir_resource_name(r));
	json_string(x->j, "id", urn + strlen("urn:uuid:"));
	x->c->n[r]++;
	x->c->total++;
}

static void entry_end(struct fx *x)
{
	json_end(x->j);
	json_end(x->j);
}

static void ref(struct json_out *j, const char *key, const char *urn)
{
	json_object(j, key);
	json_string(j, "reference", urn);
	json_end(j);
}

static void display_ref(struct json_out *j, const char *key, const char *display)
{
	json_object(j, key);
	json_string(j, "display", display);
	json_end(j);
}

/* One Coding inside the open "coding" array. */
static void coding(struct json_out *j, const char *system, const char *code, const char *display)
{
	json_object(j, NULL);
	json_string(j, "system", system);
	json_string(j, "code", code);
	if (display && *display)
		json_string(j, "display", display);
	json_end(j);
}

/* A CodeableConcept of one coding (none when code is NULL) and a text. */
static void concept(struct json_out *j, const char *key, const char *system, const char *code,
		    const char *display, const char *text)
{
	json_object(j, key);
	if (code && *code) {
		json_array(j, "coding");
		coding(j, system, code, display);
		json_end(j);
	}
	if (text && *text)
		json_string(j, "text", text);
	json_end(j);
}

/* "key": [ concept ] */
static void concept_list(struct json_out *j, const char *key, const char *system, const char *code,
			 const char *display)
{
	json_array(j, key);
	concept(j, NULL, system, code, display, NULL);
	json_end(j);
}

static void datetime(struct json_out *j, const char *key, const char *stored)
{
	char t[32];

	fhir_datetime(stored, t);
	if (t[0])
		json_string(j, key, t);
}

/* "key": an instant (a dateTime with a time), when stored has one. */
static void instant(struct json_out *j, const char *key, const char *stored)
{
	char t[32];

	fhir_datetime(stored, t);
	if (strlen(t) > 10)
		json_string(j, key, t);
}

static void quantity(struct json_out *j, const char *key, const char *value, const char *unit, const char *ucum)
{
	json_object(j, key);
	json_number(j, "value", value);
	json_string(j, "unit", unit);
	json_string(j, "system", SYS_UCUM);
	json_string(j, "code", ucum);
	json_end(j);
}

/* ---- Patient ----------------------------------------------------------- */
static const char *gender_of(const char *sex)
{
	return !strcmp(sex, "M") ? "male" : !strcmp(sex, "F") ? "female" : !strcmp(sex, "X") ? "other" : "unknown";
}

static void telecom(struct json_out *j, const char *system, const char *value, const char *use)
{
	if (!value[0])
		return;
	json_object(j, NULL);
	json_string(j, "system", system);
	json_string(j, "value", value);
	if (use)
		json_string(j, "use", use);
	json_end(j);
}

static int patient_resource(struct fx *x, const struct patient *p, const char *deceased)
{
	struct json_out *j = x->j;
	struct fhir_link links[8];
	size_t nlinks = 0;
	int rc;

	if ((rc = export_fhir_links(x->g, links, ARRAY_SIZE(links), &nlinks, x->e)))
		return rc;
	entry_begin(x, FHIR_PATIENT, x->patient);
	json_array(j, "identifier");
	json_object(j, NULL);
	json_string(j, "use", "usual");
	concept(j, "type", SYS_TERM "v2-0203", "MR", "Medical record number", NULL);
	json_string(j, "system", FHIR_MRN_SYSTEM);
	json_string(j, "value", p->mrn);
	json_end(j);
	json_end(j);
	json_bool(j, "active", 1);
	json_array(j, "name");
	json_object(j, NULL);
	json_string(j, "use", "official");
	if (p->v[PF_LAST][0])
		json_string(j, "family", p->v[PF_LAST]);
	if (p->v[PF_FIRST][0] || p->v[PF_MIDDLE][0]) {
		json_array(j, "given");
		if (p->v[PF_FIRST][0])
			json_string(j, NULL, p->v[PF_FIRST]);
		if (p->v[PF_MIDDLE][0])
			json_string(j, NULL, p->v[PF_MIDDLE]);
		json_end(j);
	}
	if (p->v[PF_SUFFIX][0]) {
		json_array(j, "suffix");
		json_string(j, NULL, p->v[PF_SUFFIX]);
		json_end(j);
	}
	json_end(j);
	if (p->v[PF_PREFERRED][0]) {
		json_object(j, NULL);
		json_string(j, "use", "usual");
		json_array(j, "given");
		json_string(j, NULL, p->v[PF_PREFERRED]);
		json_end(j);
		json_end(j);
	}
	json_end(j);
	if (p->v[PF_PHONE][0] || p->v[PF_MOBILE][0] || p->v[PF_EMAIL][0]) {
		json_array(j, "telecom");
		telecom(j, "phone", p->v[PF_PHONE], "home");
		telecom(j, "phone", p->v[PF_MOBILE], "mobile");
		telecom(j, "email", p->v[PF_EMAIL], NULL);
		json_end(j);
	}
	json_string(j, "gender", gender_of(p->v[PF_SEX]));
	if (p->v[PF_DOB][0])
		json_string(j, "birthDate", p->v[PF_DOB]);
	if (deceased[0])
		datetime(j, "deceasedDateTime", deceased);
	if (p->v[PF_ADDRESS][0] || p->v[PF_CITY][0] || p->v[PF_STATE][0] || p->v[PF_ZIP][0]) {
		json_array(j, "address");
		json_object(j, NULL);
		json_string(j, "use", "home");
		if (p->v[PF_ADDRESS][0]) {
			json_array(j, "line");
			json_string(j, NULL, p->v[PF_ADDRESS]);
			json_end(j);
		}
		if (p->v[PF_CITY][0])
			json_string(j, "city", p->v[PF_CITY]);
		if (p->v[PF_STATE][0])
			json_string(j, "state", p->v[PF_STATE]);
		if (p->v[PF_ZIP][0])
			json_string(j, "postalCode", p->v[PF_ZIP]);
		json_end(j);
		json_end(j);
	}
	if (p->v[PF_EMERGENCY][0] || p->v[PF_EMERGENCY_PHONE][0]) {
		json_array(j, "contact");
		json_object(j, NULL);
		concept_list(j, "relationship", SYS_TERM "v2-0131", "C", "Emergency Contact");
		if (p->v[PF_EMERGENCY][0]) {
			json_object(j, "name");
			json_string(j, "text", p->v[PF_EMERGENCY]);
			json_end(j);
		}
		if (p->v[PF_EMERGENCY_PHONE][0]) {
			json_array(j, "telecom");
			telecom(j, "phone", p->v[PF_EMERGENCY_PHONE], NULL);
			json_end(j);
		}
		json_end(j);
		json_end(j);
	}
	if (p->v[PF_LANGUAGE][0]) {
		json_array(j, "communication");
		json_object(j, NULL);
		concept(j, "language", NULL, NULL, NULL, p->v[PF_LANGUAGE]);
		json_end(j);
		json_end(j);
	}
	fhir_patient_links(j, links, nlinks);
	entry_end(x);
	return FOLIO_OK;
}

int export_fhir_links(struct grant *g, struct fhir_link *links, size_t max, size_t *n, struct folio_err *e)
{
	(void)g;
	(void)links;
	(void)max;
	(void)e;
	/* Merges come with issue 8: it fills this from the merge links of the
	 * grant's chart (the charts this one replaced and the one replacing
	 * it).  Until then no chart is linked. */
	*n = 0;
	return FOLIO_OK;
}

/* ---- encounters and their diagnoses ---------------------------------- */
struct enc_list {
	struct encounter_info *v;
	size_t n, cap;
};

static int enc_collect(const struct encounter_info *in, void *ctx)
{
	struct enc_list *l = ctx;

	if (l->v && l->n < l->cap)
		l->v[l->n] = *in;
	l->n++;
	return 0;
}

/* Every encounter of the grant's patient into *l (guarded; smem_free). */
static int enc_load(struct fx *x, struct enc_list *l)
{
	int rc;

	memset(l, 0, sizeof *l);
	if ((rc = encounter_list(x->g, enc_collect, l, x->e)) || !l->n)
		return rc;
	l->cap = l->n;
	l->n = 0;
	if (!(l->v = smem_alloc(l->cap * sizeof *l->v)))
		return err_set(x->e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = encounter_list(x->g, enc_collect, l, x->e)))
		return rc;
	if (l->n > l->cap)
		l->n = l->cap; /* one added between the two walks: leave it out */
	return FOLIO_OK;
}

static const char *enc_status(const char *state)
{
	static const char *const map[][2] = {
		{ "pre-admitted", "planned" }, { "checked-in", "arrived" },   { "in-progress", "in-progress" },
		{ "admitted", "in-progress" }, { "closed", "finished" },      { "discharged", "finished" },
		{ "cancelled", "cancelled" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(map[i][0], state))
			return map[i][1];
	return "unknown";
}

static void enc_class(struct json_out *j, const char *kind)
{
	const char *code = !strcmp(kind, "inpatient") ? "IMP" : !strcmp(kind, "emergency") ? "EMER" : "AMB";
	const char *label = code[0] == 'I' ? "inpatient encounter" : code[0] == 'E' ? "emergency" : "ambulatory";

	json_object(j, "class");
	json_string(j, "system", SYS_TERM "v3-ActCode");
	json_string(j, "code", code);
	json_string(j, "display", label);
	json_end(j);
}

static int expired(const char *status)
{
	return !strcmp(status, "20") || !strcmp(status, "40") || !strcmp(status, "41") || !strcmp(status, "42");
}

/* The Condition of one coded diagnosis of an encounter. */
static int diagnosis_resource(struct fx *x, const struct encounter_info *en, const char *enc_urn,
			      const char *code, const char *cond_urn)
{
	struct json_out *j = x->j;
	char dotted[16];

	fhir_icd10_dotted(code, dotted);
	entry_begin(x, FHIR_CONDITION, cond_urn);
	concept(j, "verificationStatus", SYS_TERM "condition-ver-status", "confirmed", "Confirmed", NULL);
	concept_list(j, "category", SYS_TERM "condition-category", "encounter-diagnosis", "Encounter Diagnosis");
	concept(j, "code", SYS_ICD10CM, dotted, NULL, NULL);
	ref(j, "subject", x->patient);
	ref(j, "encounter", enc_urn);
	datetime(j, "recordedDate", en->ended[0] ? en->ended : en->started);
	entry_end(x);
	return FOLIO_OK;
}

static const char *dx_code(const struct coding *cd, int i)
{
	return i == 0 ? cd->pdx : cd->sdx[i - 1].code;
}

static int encounter_resources(struct fx *x, const struct encounter_info *en, struct coding *cd)
{
	struct coding_context ctx;
	struct json_out *j = x->j;
	char urn[URN_MAX], cond[CODING_SDX_MAX + 1][URN_MAX];
	int rc, ndx = 0;

	if ((rc = urn_of(x, "fhir.encounter", en->id, urn)) ||
	    (rc = coding_load(x->g, en->id, cd, &ctx, x->e)))
		return rc;
	if (cd->pdx[0])
		ndx = 1 + cd->nsdx;
	for (int i = 0; i < ndx; i++)
		if ((rc = urn_of(x, "fhir.diagnosis", en->id * 64 + i, cond[i])))
			return rc;
	entry_begin(x, FHIR_ENCOUNTER, urn);
	json_string(j, "status", enc_status(en->state));
	enc_class(j, en->kind);
	if (en->service[0] || en->clinic[0]) {
		json_object(j, "serviceType");
		json_string(j, "text", en->service[0] ? en->service : en->clinic);
		json_end(j);
	}
	ref(j, "subject", x->patient);
	if (en->attending[0]) {
		json_array(j, "participant");
		json_object(j, NULL);
		json_array(j, "type");
		concept(j, NULL, SYS_TERM "v3-ParticipationType", "ATND", "attender", NULL);
		json_end(j);
		display_ref(j, "individual", en->attending);
		json_end(j);
		json_end(j);
	}
	if (en->started[0]) {
		json_object(j, "period");
		datetime(j, "start", en->started);
		datetime(j, "end", en->ended);
		json_end(j);
	}
	if (ndx) {
		json_array(j, "diagnosis");
		for (int i = 0; i < ndx; i++) {
			json_object(j, NULL);
			ref(j, "condition", cond[i]);
			concept(j, "use", SYS_TERM "diagnosis-role", "billing", "Billing", NULL);
			json_int(j, "rank", i + 1);
			json_end(j);
		}
		json_end(j);
	}
	if (en->status[0]) {
		json_object(j, "hospitalization");
		concept(j, "dischargeDisposition", "https://www.nubc.org/CodeSystem/PatDischargeStatus", en->status,
			discharge_status_label(en->status), NULL);
		json_end(j);
	}
	entry_end(x);
	for (int i = 0; i < ndx; i++)
		if ((rc = diagnosis_resource(x, en, urn, dx_code(cd, i), cond[i])))
			return rc;
	return FOLIO_OK;
}

/* ---- clinical items ---------------------------------------------------- */
static int items_load(struct fx *x, int kind, struct clinical_item **rows, size_t *n)
{
	struct clinical_item none; /* counting: nothing is decrypted into it */
	size_t total = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((rc = clinical_list(x->g, kind, &none, 0, n, &total, x->e)) || !total)
		return rc;
	if (!(*rows = clinical_items_new(total)))
		return err_set(x->e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = clinical_list(x->g, kind, *rows, total, n, NULL, x->e))) {
		clinical_items_free(*rows, total);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

/* The common head of an item's resource; 0 when it is left out. */
static int item_begin(struct fx *x, enum fhir_resource r, const char *kind, const struct clinical_item *it,
		      int64_t sub)
{
	char urn[URN_MAX];
	int rc;

	if ((rc = urn_of(x, kind, it->id * 16 + sub, urn)))
		return rc;
	entry_begin(x, r, urn);
	return FOLIO_OK;
}

static int enc_ref(struct fx *x, const struct clinical_item *it)
{
	char urn[URN_MAX];
	int rc;

	if (!it->encounter_id)
		return FOLIO_OK;
	if ((rc = urn_of(x, "fhir.encounter", it->encounter_id, urn)))
		return rc;
	ref(x->j, "encounter", urn);
	return FOLIO_OK;
}

struct vital {
	int field;
	const char *loinc, *display, *unit, *ucum;
};

static const struct vital vitals[] = {
	{ VF_WEIGHT, "29463-7", "Body weight", "kg", "kg" },
	{ VF_HEIGHT, "8302-2", "Body height", "cm", "cm" },
	{ VF_BMI, "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "kg/m2" },
	{ VF_BP, "85354-9", "Blood pressure panel with all children optional", "mmHg", "mm[Hg]" },
	{ VF_PULSE, "8867-4", "Heart rate", "beats/minute", "/min" },
	{ VF_TEMP, "8310-5", "Body temperature", "C", "Cel" },
	{ VF_RESP, "9279-1", "Respiratory rate", "breaths/minute", "/min" },
	{ VF_SPO2, "2708-6", "Oxygen saturation in Arterial blood", "%", "%" },
	{ VF_PAIN, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "score", "{score}" },
};

static void bp_component(struct json_out *j, const char *loinc, const char *display, const char *value)
{
	json_object(j, NULL);
	concept(j, "code", SYS_LOINC, loinc, display, NULL);
	quantity(j, "valueQuantity", value, "mmHg", "mm[Hg]");
	json_end(j);
}

static int vital_resource(struct fx *x, const struct clinical_item *it, size_t k)
{
	const struct vital *v = &vitals[k];
	const char *val = it->v[v->field];
	struct json_out *j = x->j;
	char sys[16] = "", dia[16] = "";
	int rc;

	if (v->field == VF_BP) {
		if (sscanf(val, "%15[0-9]/%15[0-9]", sys, dia) != 2)
			return FOLIO_OK;
	} else if (!json_number_ok(val)) {
		return FOLIO_OK;
	}
	if ((rc = item_begin(x, FHIR_OBSERVATION, "fhir.vitals", it, (int64_t)k)))
		return rc;
	json_string(j, "status", "final");
	concept_list(j, "category", SYS_TERM "observation-category", "vital-signs", "Vital Signs");
	concept(j, "code", SYS_LOINC, v->loinc, v->display, NULL);
	ref(j, "subject", x->patient);
	if ((rc = enc_ref(x, it)))
		return rc;
	datetime(j, "effectiveDateTime", it->v[VF_TAKEN][0] ? it->v[VF_TAKEN] : it->recorded_at);
	if (v->field == VF_BP) {
		json_array(j, "component");
		bp_component(j, "8480-6", "Systolic blood pressure", sys);
		bp_component(j, "8462-4", "Diastolic blood pressure", dia);
		json_end(j);
	} else {
		quantity(j, "valueQuantity", val, v->unit, v->ucum);
	}
	entry_end(x);
	return FOLIO_OK;
}

static const char *interpretation(const char *flag, const char **display)
{
	static const char *const map[][2] = { { "H", "High" },	   { "L", "Low" },    { "HH", "Critical high" },
					      { "LL", "Critical low" }, { "A", "Abnormal" }, { "N", "Normal" } };
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(map[i][0], flag)) {
			*display = map[i][1];
			return map[i][0];
		}
	return NULL;
}

static int result_resource(struct fx *x, const struct clinical_item *it)
{
	const char *val = it->v[RF_VALUE], *units = it->v[RF_UNITS], *shown = NULL, *flag;
	struct json_out *j = x->j;
	const char *num = val;
	char cmp[3] = "";
	int rc;

	if ((rc = item_begin(x, FHIR_OBSERVATION, "fhir.result", it, 0)))
		return rc;
	json_string(j, "status", "final");
	concept_list(j, "category", SYS_TERM "observation-category", "laboratory", "Laboratory");
	concept(j, "code", SYS_LOINC, it->v[RF_LOINC], NULL, it->v[RF_TEST]);
	ref(j, "subject", x->patient);
	if ((rc = enc_ref(x, it)))
		return rc;
	datetime(j, "effectiveDateTime", it->v[RF_COLLECTED][0] ? it->v[RF_COLLECTED] : it->recorded_at);
	instant(j, "issued", it->v[RF_REPORTED]);
	/* "<0.01" is a quantity with a comparator; words stay words. */
	size_t c = strspn(val, "<>=");
	if (c && c <= 2 && strcmp(val, "=") != 0) {
		memcpy(cmp, val, c);
		num = val + c;
	}
	if (json_number_ok(num) && (!cmp[0] || strchr("<>", cmp[0]))) {
		json_object(j, "valueQuantity");
		json_number(j, "value", num);
		if (cmp[0])
			json_string(j, "comparator", cmp);
		if (units[0]) {
			json_string(j, "unit", units);
			json_string(j, "system", SYS_UCUM);
			json_string(j, "code", units);
		}
		json_end(j);
	} else if (val[0]) {
		json_string(j, "valueString", val);
	}
	if ((flag = interpretation(it->v[RF_FLAG], &shown))) {
		json_array(j, "interpretation");
		concept(j, NULL, SYS_TERM "v3-ObservationInterpretation", flag, shown, NULL);
		json_end(j);
	}
	if (it->v[RF_RANGE][0]) {
		json_array(j, "referenceRange");
		json_object(j, NULL);
		json_string(j, "text", it->v[RF_RANGE]);
		json_end(j);
		json_end(j);
	}
	entry_end(x);
	return FOLIO_OK;
}

static int observation_resources(struct fx *x)
{
	struct clinical_item *rows;
	size_t n;
	int rc;

	if ((rc = items_load(x, CLIN_VITALS, &rows, &n)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++)
		for (size_t k = 0; k < ARRAY_SIZE(vitals) && !rc; k++)
			if (strcmp(rows[i].status, "entered-in-error") != 0)
				rc = vital_resource(x, &rows[i], k);
	if (rows)
		clinical_items_free(rows, n);
	if (rc || (rc = items_load(x, CLIN_RESULT, &rows, &n)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++)
		if (strcmp(rows[i].status, "entered-in-error") != 0)
			rc = result_resource(x, &rows[i]);
	if (rows)
		clinical_items_free(rows, n);
	return rc;
}

static int problem_resource(struct fx *x, const struct clinical_item *it)
{
	struct json_out *j = x->j;
	char icd[16] = "";
	int rc;

	if ((rc = item_begin(x, FHIR_CONDITION, "fhir.problem", it, 0)))
		return rc;
	concept(j, "clinicalStatus", SYS_TERM "condition-clinical", it->status, NULL, NULL);
	concept(j, "verificationStatus", SYS_TERM "condition-ver-status", "confirmed", "Confirmed", NULL);
	concept_list(j, "category", SYS_TERM "condition-category", "problem-list-item", "Problem List Item");
	if (it->v[PRF_ICD][0])
		fhir_icd10_dotted(it->v[PRF_ICD], icd);
	concept(j, "code", SYS_ICD10CM, icd, NULL, it->v[PRF_TEXT]);
	ref(j, "subject", x->patient);
	if ((rc = enc_ref(x, it)))
		return rc;
	datetime(j, "onsetDateTime", it->v[PRF_ONSET]);
	if (!strcmp(it->status, "resolved"))
		datetime(j, "abatementDateTime", it->v[PRF_RESOLVED]);
	datetime(j, "recordedDate", it->recorded_at);
	entry_end(x);
	return FOLIO_OK;
}

static int allergy_resource(struct fx *x, const struct clinical_item *it)
{
	struct json_out *j = x->j;
	const char *type = it->v[AF_TYPE], *sev = it->v[AF_SEVERITY];
	const char *cat = !strcmp(type, "drug") ? "medication" : !strcmp(type, "food") ? "food" :
			  !strcmp(type, "environmental") ? "environment" : NULL;
	int nka = it->kind == CLIN_NKA, rc;

	if ((rc = item_begin(x, FHIR_ALLERGY, "fhir.allergy", it, 0)))
		return rc;
	concept(j, "clinicalStatus", SYS_TERM "allergyintolerance-clinical", nka ? "active" : it->status, NULL, NULL);
	concept(j, "verificationStatus", SYS_TERM "allergyintolerance-verification", "confirmed", "Confirmed", NULL);
	if (!nka) {
		json_string(j, "type", "allergy");
		if (cat) {
			json_array(j, "category");
			json_string(j, NULL, cat);
			json_end(j);
		}
		if (!strcmp(sev, "severe") || !strcmp(sev, "mild") || !strcmp(sev, "moderate"))
			json_string(j, "criticality", sev[0] == 's' ? "high" : "low");
		concept(j, "code", NULL, NULL, NULL, it->v[AF_ALLERGEN]);
	} else {
		/* FHIR R4's way to say "no known allergies": the SNOMED CT
		 * negation code as the substance. */
		concept(j, "code", SYS_SNOMED, "716186003", "No known allergy", "No known allergies");
	}
	ref(j, "patient", x->patient);
	datetime(j, "recordedDate", it->recorded_at);
	if (!nka && it->v[AF_REACTION][0]) {
		json_array(j, "reaction");
		json_object(j, NULL);
		json_array(j, "manifestation");
		concept(j, NULL, NULL, NULL, NULL, it->v[AF_REACTION]);
		json_end(j);
		if (!strcmp(sev, "severe") || !strcmp(sev, "mild") || !strcmp(sev, "moderate"))
			json_string(j, "severity", sev);
		json_end(j);
		json_end(j);
	}
	entry_end(x);
	return FOLIO_OK;
}

static int medication_resource(struct fx *x, const struct clinical_item *it)
{
	struct json_out *j = x->j;
	char dose[CLIN_VALUE_MAX * 3 + 4];
	int rc;

	if ((rc = item_begin(x, FHIR_MEDICATION, "fhir.medication", it, 0)))
		return rc;
	json_string(j, "status", it->status);
	json_string(j, "intent", "order");
	concept(j, "medicationCodeableConcept", NULL, NULL, NULL, it->v[MF_DRUG]);
	ref(j, "subject", x->patient);
	if ((rc = enc_ref(x, it)))
		return rc;
	datetime(j, "authoredOn", it->v[MF_START][0] ? it->v[MF_START] : it->recorded_at);
	if (it->v[MF_PRESCRIBER][0])
		display_ref(j, "requester", it->v[MF_PRESCRIBER]);
	snprintf(dose, sizeof dose, "%s%s%s%s%s", it->v[MF_DOSE], it->v[MF_ROUTE][0] ? " " : "", it->v[MF_ROUTE],
		 it->v[MF_FREQUENCY][0] ? " " : "", it->v[MF_FREQUENCY]);
	if (dose[0] || it->v[MF_ROUTE][0]) {
		json_array(j, "dosageInstruction");
		json_object(j, NULL);
		json_string(j, "text", dose[0] == ' ' ? dose + 1 : dose);
		if (it->v[MF_ROUTE][0])
			concept(j, "route", NULL, NULL, NULL, it->v[MF_ROUTE]);
		json_end(j);
		json_end(j);
	}
	if (it->v[MF_START][0] || it->v[MF_STOP][0]) {
		json_object(j, "dispenseRequest");
		json_object(j, "validityPeriod");
		datetime(j, "start", it->v[MF_START]);
		datetime(j, "end", it->v[MF_STOP]);
		json_end(j);
		json_end(j);
	}
	entry_end(x);
	return FOLIO_OK;
}

/* 1 when a procedure's code system is SNOMED CT: as a Synthea import names
 * it ("SNOMED-CT", its URI) or left empty (the field's default). */

static int procedure_resource(struct fx *x, const struct clinical_item *it)
{
	struct json_out *j = x->j;
	const char *code = clinical_snomed_system(it->v[PCF_SYSTEM]) ? it->v[PCF_CODE] : NULL;
	int rc;

	if ((rc = item_begin(x, FHIR_PROCEDURE, "fhir.procedure", it, 0)))
		return rc;
	/* in-error items never get here (history_resources), so the one
	 * other status a procedure has maps as is */
	json_string(j, "status", it->status);
	concept(j, "code", SYS_SNOMED, code, NULL, it->v[PCF_TEXT]);
	ref(j, "subject", x->patient);
	if ((rc = enc_ref(x, it)))
		return rc;
	datetime(j, "performedDateTime", it->v[PCF_DATE][0] ? it->v[PCF_DATE] : it->recorded_at);
	if (it->v[PCF_REASON][0]) {
		json_array(j, "reasonCode");
		concept(j, NULL, NULL, NULL, NULL, it->v[PCF_REASON]);
		json_end(j);
	}
	entry_end(x);
	return FOLIO_OK;
}

/* Problems, allergies (with an NKA assertion in force), medications and
 * procedures. */
static int history_resources(struct fx *x)
{
	static const int kinds[] = { CLIN_PROBLEM, CLIN_ALLERGY, CLIN_MED, CLIN_PROCEDURE };
	struct clinical_item *rows;
	size_t n;
	int rc = FOLIO_OK;

	for (size_t k = 0; k < ARRAY_SIZE(kinds) && !rc; k++) {
		if ((rc = items_load(x, kinds[k], &rows, &n)))
			break;
		for (size_t i = 0; i < n && !rc; i++) {
			const struct clinical_item *it = &rows[i];
			if (!strcmp(it->status, "entered-in-error") || !strcmp(it->status, "superseded"))
				continue;
			rc = it->kind == CLIN_PROBLEM   ? problem_resource(x, it) :
			     it->kind == CLIN_MED       ? medication_resource(x, it) :
			     it->kind == CLIN_PROCEDURE ? procedure_resource(x, it) :
							  allergy_resource(x, it);
		}
		if (rows)
			clinical_items_free(rows, n);
	}
	return rc;
}

/* ---- documents --------------------------------------------------------- */
static const char *const doc_loinc[DOC_TYPE_COUNT][2] = {
	[DOC_HP] = { "34117-2", "History and physical note" },
	[DOC_PROGRESS] = { "11506-3", "Progress note" },
	[DOC_CONSULT] = { "11488-4", "Consult note" },
	[DOC_OPERATIVE] = { "11504-8", "Surgical operation note" },
	[DOC_PROCEDURE] = { "28570-0", "Procedure note" },
	[DOC_DISCHARGE] = { "18842-5", "Discharge summary" },
	[DOC_LETTER] = { "34109-9", "Note" },
	[DOC_OTHER] = { "34109-9", "Note" },
	[DOC_PSYCHOTHERAPY] = { "34109-9", "Note" },
	[DOC_SUBSTANCE] = { "34109-9", "Note" },
};

struct doc_list {
	struct document_info *v;
	size_t n, cap;
};

static int doc_signed(const struct document_info *d)
{
	return !strcmp(d->status, "completed") || !strcmp(d->status, "amended") || !strcmp(d->status, "uncosigned");
}

static int doc_collect(const struct document_info *in, void *ctx)
{
	struct doc_list *l = ctx;

	if (!doc_signed(in))
		return 0;
	if (l->v && l->n < l->cap)
		l->v[l->n] = *in;
	l->n++;
	return 0;
}

static int document_resource(struct fx *x, int64_t id)
{
	struct document_info d;
	struct json_out *j = x->j;
	char urn[URN_MAX], other[URN_MAX];
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = document_read(x->g, id, &d, &text, &len, x->e)) || (rc = urn_of(x, "fhir.document", id, urn)))
		goto out;
	entry_begin(x, FHIR_DOCUMENT, urn);
	json_string(j, "status", !strcmp(d.status, "amended") ? "superseded" : "current");
	json_string(j, "docStatus", !strcmp(d.status, "uncosigned") ? "preliminary" :
				    d.supersedes_id			 ? "amended" :
									   "final");
	concept(j, "type", SYS_LOINC, doc_loinc[d.type][0], doc_loinc[d.type][1], doc_type_title(d.type));
	ref(j, "subject", x->patient);
	instant(j, "date", d.signed_at[0] ? d.signed_at : d.created);
	json_array(j, "author");
	display_ref(j, NULL, d.author);
	json_end(j);
	if (d.signed_by[0])
		display_ref(j, "authenticator", d.signed_by);
	if (d.parent_id || d.supersedes_id) {
		json_array(j, "relatesTo");
		json_object(j, NULL);
		json_string(j, "code", d.parent_id ? "appends" : "replaces");
		if ((rc = urn_of(x, "fhir.document", d.parent_id ? d.parent_id : d.supersedes_id, other)))
			goto out;
		ref(j, "target", other);
		json_end(j);
		json_end(j);
	}
	json_array(j, "content");
	json_object(j, NULL);
	json_object(j, "attachment");
	json_string(j, "contentType", "text/plain");
	json_base64(j, "data", text ? text : "", len);
	json_string(j, "title", doc_type_title(d.type));
	datetime(j, "creation", d.created);
	json_end(j);
	json_end(j);
	json_end(j);
	if (d.encounter_id) {
		char enc[URN_MAX];
		if ((rc = urn_of(x, "fhir.encounter", d.encounter_id, enc)))
			goto out;
		json_object(j, "context");
		json_array(j, "encounter");
		ref(j, NULL, enc);
		json_end(j);
		json_end(j);
	}
	entry_end(x);
out:
	if (text)
		smem_free(text);
	return rc;
}

static int document_resources(struct fx *x)
{
	struct doc_list l = { 0 };
	int rc;

	if ((rc = document_list(x->g, 1, doc_collect, &l, x->e)) || !l.n)
		return rc;
	l.cap = l.n;
	l.n = 0;
	if (!(l.v = smem_alloc(l.cap * sizeof *l.v)))
		return err_set(x->e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = document_list(x->g, 1, doc_collect, &l, x->e)))
		goto out;
	for (size_t i = 0; i < l.n && i < l.cap && !rc; i++) {
		if (doc_type_sensitive(l.v[i].type) && !x->include_sensitive) {
			x->c->sensitive_left_out++;
			continue;
		}
		rc = document_resource(x, l.v[i].id);
	}
out:
	smem_free(l.v);
	return rc;
}

/* ---- the bundle -------------------------------------------------------- */
static int bundle_build(struct fx *x)
{
	struct patient *p = patient_new();
	struct coding *cd = coding_new();
	struct enc_list encs = { 0 };
	char now[32], deceased[24] = "";
	int rc;

	if (!p || !cd) {
		rc = err_set(x->e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	if ((rc = patient_load(x->g, p, x->e)) || (rc = urn_of(x, "fhir.patient", p->id, x->patient)) ||
	    (rc = enc_load(x, &encs)))
		goto out;
	for (size_t i = 0; i < encs.n; i++)
		if (expired(encs.v[i].status) && encs.v[i].ended[0])
			str_copy(deceased, sizeof deceased, encs.v[i].ended);
	time_utc_now(now, sizeof now);
	json_object(x->j, NULL);
	json_string(x->j, "resourceType", "Bundle");
	json_string(x->j, "type", "collection");
	datetime(x->j, "timestamp", now);
	json_array(x->j, "entry");
	if ((rc = patient_resource(x, p, deceased)))
		goto out;
	for (size_t i = 0; i < encs.n && !rc; i++)
		rc = encounter_resources(x, &encs.v[i], cd);
	if (rc || (rc = history_resources(x)) || (rc = observation_resources(x)) || (rc = document_resources(x)))
		goto out;
	json_end(x->j);
	json_end(x->j);
	if (json_failed(x->j))
		rc = err_set(x->e, FOLIO_EFAIL, "the bundle could not be written (out of secure memory)");
out:
	smem_free(encs.v);
	coding_free(cd);
	patient_free(p);
	return rc;
}

/* Writes the bundle to the stream's descriptor straight from the guarded
 * buffer, so no stdio buffer keeps a copy of the chart; 0 or -1 (errno). */
static int stream_write(FILE *f, const char *text, size_t len)
{
	int fd = fileno(f);

	if (fflush(f) != 0 || fd < 0 || outfile_write_fd(fd, text, len) != 0)
		return -1;
	return outfile_write_fd(fd, "\n", 1);
}

static int ledger_record(struct fx *x, const struct disclosure *to)
{
	struct disclosure *d = smem_alloc(sizeof *d);
	int rc;

	if (!d)
		return err_set(x->e, FOLIO_EFAIL, "out of secure memory");
	*d = *to;
	d->date[0] = '\0';
	d->source = DS_EXPORT;
	d->source_id = 0;
	fhir_counts_text(x->c, d->description, sizeof d->description);
	rc = disclosure_record(x->g, d, &x->c->disclosure_id, x->e);
	smem_free(d);
	return rc;
}

int export_fhir_run(struct grant *g, const struct fhir_export *o, struct fhir_counts *c, struct folio_err *e)
{
	struct fx x = { .g = g, .c = c, .include_sensitive = o->include_sensitive, .e = e };
	const char *text;
	char *tmp = NULL;
	size_t len;
	struct stat st;
	int rc;

	memset(c, 0, sizeof *c);
	if (grant_action(g) != ACT_EXPORT_RUN || !grant_mrn(g))
		return err_set(e, FOLIO_EDENIED, "a FHIR export needs its own grant on the chart");
	if (o->include_sensitive &&
	    !(role_key_classes(session_role(grant_session(g))) & KC_BIT(KC_SENSITIVE)))
		return err_set(e, FOLIO_EDENIED, "psychotherapy and substance-use notes need the sensitive key,"
						 " which your role does not hold");
	if (o->out && !o->force && lstat(o->out, &st) == 0)
		return err_set(e, FOLIO_EUSAGE, "%s exists: give --force to replace it", o->out);
	if (!o->out && !o->stream)
		return err_set(e, FOLIO_EUSAGE, "no output for the bundle");
	if (!(x.j = json_new()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = bundle_build(&x)))
		goto out;
	if (!(text = json_text(x.j, &len))) {
		rc = err_set(e, FOLIO_EFAIL, "the bundle could not be written");
		goto out;
	}
	/* Staged first, recorded, then placed: a failure at any step leaves
	 * no file and, the grant rolling back, no ledger entry. */
	if (o->out && (rc = outfile_stage(o->out, text, len, &tmp, e)))
		goto out;
	if (o->to && (rc = ledger_record(&x, o->to)))
		goto out;
	if (o->out) {
		rc = outfile_place(tmp, o->out, o->force, e);
	} else if (stream_write(o->stream, text, len) != 0) {
		rc = err_set(e, FOLIO_EFAIL, "cannot write the bundle: %s", strerror(errno));
	}
out:
	if (tmp && rc)
		outfile_drop(tmp);
	free(tmp);
	json_free(x.j);
	return rc;
}
