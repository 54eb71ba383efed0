/* folio — the field tables of the clinical kinds and everything they
 * drive: setting a typed value, the checks before a save, warnings, the
 * one-line form, the status changes, and the serialised body. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "clinical_internal.h"
#include "folio/smem.h"

#define IN CF_INPUT
#define REQ (CF_INPUT | CF_REQUIRED)
#define NO_ALT NULL, NULL, NULL

/* A SNOMED CT concept id or RxNorm code, as imported: digits only (the
 * code systems' own check digits are not ours to judge). */
static int check_code_digits(const struct clinical_field *f, const char *in, char *out, size_t cap,
			     struct folio_err *e)
{
	size_t n = strspn(in, "0123456789");

	if (n == 0 || in[n] || n > f->max)
		return err_set(e, FOLIO_EUSAGE, "%s: a code of digits only (at most %zu)", f->label, f->max);
	str_copy(out, cap, in);
	return FOLIO_OK;
}

static const char time_help[] =
	"(UTC) 2026-03-14T09:30, T@9:30, 9:30 (today), NOW, or a date alone";

static const struct clinical_field vitals_fields[VF_COUNT] = {
	[VF_TAKEN] = { "taken", "at", "Taken", "", 24, "when the vitals were taken; empty: now", clin_check_time,
		       NULL, NO_ALT, 0, IN | CF_WHEN, "NOW" },
	[VF_WEIGHT] = { "weight_kg", "weight", "Weight", "kg", 16, "70kg, 70.5 (bare numbers are kg) or 154lb",
			vitals_check_measure, &vitals_weight, "weight_lb", "lb", vitals_kg_to_lb, 0, IN },
	[VF_HEIGHT] = { "height_cm", "height", "Height", "cm", 16, "175cm, 1.75m, 69in or 5'9\" (bare numbers are cm)",
			vitals_check_measure, &vitals_height, "height_in", "in", vitals_cm_to_in, 0, IN },
	[VF_BMI] = { "bmi", NULL, "BMI", "kg/m2", 8, "computed from the weight and height", NULL, NULL, NO_ALT, 0, 0 },
	[VF_BP] = { "bp", "bp", "Blood pressure", "mmHg", 16, "systolic/diastolic, e.g. 120/80", vitals_check_bp,
		    NULL, NO_ALT, 0, IN },
	[VF_PULSE] = { "pulse", "pulse", "Pulse", "/min", 8, "beats a minute", vitals_check_measure,
		       &vitals_pulse, NO_ALT, 0, IN },
	[VF_TEMP] = { "temp_c", "temp", "Temperature", "C", 12, "37.0C, 37 (bare numbers are C) or 98.6F",
		      vitals_check_measure, &vitals_temp, "temp_f", "F", vitals_c_to_f, 0, IN },
	[VF_RESP] = { "resp", "resp", "Respiratory rate", "/min", 8, "breaths a minute", vitals_check_measure,
		      &vitals_resp, NO_ALT, 0, IN },
	[VF_SPO2] = { "spo2", "spo2", "SpO2", "%", 8, "oxygen saturation, percent", vitals_check_measure,
		      &vitals_spo2, NO_ALT, 0, IN },
	[VF_PAIN] = { "pain", "pain", "Pain", "/10", 4, "0 (none) to 10 (worst imaginable)", vitals_check_measure,
		      &vitals_pain, NO_ALT, 0, IN },
};

static const struct clinical_field allergy_fields[AF_COUNT] = {
	[AF_ALLERGEN] = { "allergen", "allergen", "Allergen", "", 80,
			  "the drug, food or substance: penicillin, peanut, latex", NULL, NULL, NO_ALT, 18, REQ },
	[AF_TYPE] = { "type", "type", "Type", "", 16, "drug, food, environmental or other", clin_check_choice,
		      "drug|food|environmental|other", NO_ALT, 13, IN },
	[AF_SEVERITY] = { "severity", "severity", "Severity", "", 10, "mild, moderate or severe",
			  clin_check_choice, "mild|moderate|severe", NO_ALT, 8, IN },
	[AF_REACTION] = { "reaction", "reaction", "Reaction", "", 120, "what happens: hives, anaphylaxis, rash",
			  NULL, NULL, NO_ALT, 14, IN },
	[AF_SNOMED] = { "snomed", NULL, "SNOMED CT", "", 18, "the substance's concept id (set by an import)",
			check_code_digits, NULL, NO_ALT, 0, 0 },
};

static const struct clinical_field problem_fields[PRF_COUNT] = {
	[PRF_TEXT] = { "text", "text", "Problem", "", 120, "the problem in words: type 2 diabetes mellitus", NULL,
		       NULL, NO_ALT, 29, REQ },
	[PRF_ICD] = { "icd", "icd", "ICD-10-CM", "", 10, "optional code, e.g. E11.9 (a letter, a digit, a letter"
		      " or digit, then . and up to 4 more)", clin_check_icd, NULL, NO_ALT, 9, IN },
	[PRF_ONSET] = { "onset", "onset", "Onset", "", 24, "when it began (optional): 2019-05-01, 5/1/2019, T-1Y",
			clin_check_past_date, NULL, NO_ALT, 10, IN },
	[PRF_RESOLVED] = { "resolved", NULL, "Resolved", "", 10, "set when the problem is resolved", NULL, NULL,
			   NO_ALT, 0, 0 },
	[PRF_SNOMED] = { "snomed", NULL, "SNOMED CT", "", 18, "the condition's concept id (set by an import)",
			 check_code_digits, NULL, NO_ALT, 0, 0 },
};

static const struct clinical_field med_fields[MF_COUNT] = {
	[MF_DRUG] = { "drug", "drug", "Drug", "", 160, "name and strength: metformin 500 mg tablet", NULL, NULL,
		      NO_ALT, 18, REQ },
	[MF_DOSE] = { "dose", "dose", "Dose", "", 40, "how much each time: 1 tablet, 500 mg", NULL, NULL, NO_ALT, 8,
		      IN },
	[MF_ROUTE] = { "route", "route", "Route", "", 20, "PO (by mouth), IV, IM, SC, SL, topical, inhaled, PR",
		       NULL, NULL, NO_ALT, 4, IN },
	[MF_FREQUENCY] = { "frequency", "frequency", "Frequency", "", 30, "daily, BID, TID, QID, q8h, PRN ...",
			   NULL, NULL, NO_ALT, 7, IN },
	[MF_START] = { "start", "start", "Start", "", 24, "the first day: T, 2026-03-14, 3/14/2026", clin_check_date,
		       NULL, NO_ALT, 10, IN },
	[MF_STOP] = { "stop", "stop", "Stop", "", 24, "the last day (optional); set when stopped", clin_check_date,
		      NULL, NO_ALT, 0, IN },
	[MF_PRESCRIBER] = { "prescriber", "prescriber", "Prescriber", "", 32, "the prescriber's folio user name",
			    clin_check_user, NULL, NO_ALT, 0, IN },
	[MF_RXNORM] = { "rxnorm", NULL, "RxNorm", "", 12, "the drug's RxNorm code (set by an import)",
			check_code_digits, NULL, NO_ALT, 0, 0 },
};

static const struct clinical_field result_fields[RF_COUNT] = {
	[RF_TEST] = { "test", "test", "Test", "", 200, "what was measured: hemoglobin A1c", NULL, NULL, NO_ALT, 18,
		      REQ },
	[RF_LOINC] = { "loinc", "loinc", "LOINC", "", 10, "optional code with its check digit: 4548-4",
		       clin_check_loinc, NULL, NO_ALT, 0, IN },
	[RF_VALUE] = { "value", "value", "Value", "", 64, "the result: 7.2, positive, <0.01", NULL, NULL, NO_ALT, 8,
		       REQ },
	[RF_UNITS] = { "units", "units", "Units", "", 20, "%, mg/dL, mmol/L, 10*3/uL", NULL, NULL, NO_ALT, 7, IN },
	[RF_RANGE] = { "range", "range", "Reference range", "", 30, "the normal range: 4.0-5.6, <200, >60",
		       clin_check_range, NULL, NO_ALT, 9, IN },
	[RF_FLAG] = { "flag", "flag", "Flag", "", 2, "H, L, HH, LL (critical), A (abnormal) or N;"
		      " empty: from the value and the range", clin_check_choice, "H|L|HH|LL|A|N", NO_ALT, 4, IN },
	[RF_COLLECTED] = { "collected", "collected", "Collected", "", 24, time_help, clin_check_time, NULL, NO_ALT,
			   0, IN | CF_WHEN },
	[RF_REPORTED] = { "reported", "reported", "Reported", "", 24, "when the lab reported it; empty: now",
			  clin_check_time, NULL, NO_ALT, 0, IN | CF_WHEN, "NOW" },
	[RF_REVIEWED_BY] = { "reviewed_by", NULL, "Reviewed by", "", 32, "set when reviewed", NULL, NULL, NO_ALT,
			     0, 0 },
	[RF_REVIEWED_AT] = { "reviewed_at", NULL, "Reviewed at", "", 16, "set when reviewed", NULL, NULL, NO_ALT, 0,
			     0 },
};

static const struct clinical_field procedure_fields[PCF_COUNT] = {
	[PCF_TEXT] = { "text", "text", "Procedure", "", 160, "what was done: appendectomy", NULL, NULL, NO_ALT, 29,
		       REQ },
	[PCF_CODE] = { "code", "code", "Code", "", 18, "optional SNOMED CT concept id, digits only",
		       check_code_digits, NULL, NO_ALT, 12, IN },
	[PCF_SYSTEM] = { "system", "system", "Code system", "", 16, "the code's system: SNOMED-CT (the default)",
			 NULL, NULL, NO_ALT, 0, IN },
	[PCF_DATE] = { "date", "date", "Date", "", 24, time_help, clin_check_time, NULL, NO_ALT, 16, IN | CF_WHEN },
	[PCF_REASON] = { "reason", "reason", "Reason", "", 160, "why it was done (optional)", NULL, NULL, NO_ALT, 0,
			 IN },
};

static const struct {
	const char *name, *command, *title, *statuses;
	const struct clinical_field *fields;
	size_t n;
} kinds[CLIN_KINDS] = {
	[CLIN_VITALS] = { "vitals", "vitals", "Vitals", "recorded|entered-in-error", vitals_fields, VF_COUNT },
	[CLIN_ALLERGY] = { "allergy", "allergy", "Allergies", "active|inactive|entered-in-error", allergy_fields,
			   AF_COUNT },
	[CLIN_PROBLEM] = { "problem", "problem", "Problems", "active|resolved|inactive|entered-in-error",
			   problem_fields, PRF_COUNT },
	[CLIN_MED] = { "medication", "med", "Medications", "active|stopped|completed|entered-in-error", med_fields,
		       MF_COUNT },
	[CLIN_RESULT] = { "result", "result", "Results", "new|reviewed|entered-in-error", result_fields, RF_COUNT },
	[CLIN_PROCEDURE] = { "procedure", "procedure", "Procedures", "completed|entered-in-error", procedure_fields,
			     PCF_COUNT },
	[CLIN_NKA] = { "nka", "nka", "No known allergies", "active|superseded|entered-in-error", NULL, 0 },
};

static const struct clinical_op ops[] = {
	{ CLIN_PROBLEM, "resolve", "Resolve", 'R', "active|inactive", "resolved",
	  "mark the problem resolved (today)", PRF_RESOLVED, -1, -1 },
	{ CLIN_PROBLEM, "inactivate", "Inactive", 'I', "active", "inactive",
	  "mark the problem inactive (not being treated)", -1, -1, -1 },
	{ CLIN_MED, "stop", "Stop", 'S', "active", "stopped", "stop the medication (today)", MF_STOP, -1, -1 },
	{ CLIN_MED, "complete", "Complete", 'C', "active", "completed", "the course is complete", MF_STOP, -1, -1 },
	{ CLIN_RESULT, "review", "Review", 'V', "new", "reviewed", "mark the result reviewed by you, now", -1,
	  RF_REVIEWED_BY, RF_REVIEWED_AT },
	{ CLIN_ALLERGY, "inactivate", "Inactive", 'I', "active", "inactive",
	  "the allergy no longer applies (e.g. outgrown)", -1, -1, -1 },
	{ CLIN_VITALS, "error", "In error", 'E', "recorded", "entered-in-error",
	  "this set was entered in error (it stays in the record, marked)", -1, -1, -1 },
	{ CLIN_ALLERGY, "error", "In error", 'E', "active|inactive", "entered-in-error",
	  "this allergy was entered in error", -1, -1, -1 },
	{ CLIN_NKA, "error", "In error", 'E', "active|superseded", "entered-in-error",
	  "the no-known-allergies assertion was entered in error", -1, -1, -1 },
	{ CLIN_PROBLEM, "error", "In error", 'E', "active|resolved|inactive", "entered-in-error",
	  "this problem was entered in error", -1, -1, -1 },
	{ CLIN_MED, "error", "In error", 'E', "active|stopped|completed", "entered-in-error",
	  "this medication was entered in error", -1, -1, -1 },
	{ CLIN_RESULT, "error", "In error", 'E', "new|reviewed", "entered-in-error",
	  "this result was entered in error", -1, -1, -1 },
	{ CLIN_PROCEDURE, "error", "In error", 'E', "completed", "entered-in-error",
	  "this procedure was entered in error", -1, -1, -1 },
};

/* ---- tables ------------------------------------------------------------ */

static int kind_ok(int kind)
{
	return kind >= 0 && kind < CLIN_KINDS;
}

const char *clinical_kind_name(int kind)
{
	return kind_ok(kind) ? kinds[kind].name : "?";
}

const char *clinical_kind_command(int kind)
{
	return kind_ok(kind) ? kinds[kind].command : "?";
}

const char *clinical_kind_title(int kind)
{
	return kind_ok(kind) ? kinds[kind].title : "?";
}

const char *clinical_kind_statuses(int kind)
{
	return kind_ok(kind) ? kinds[kind].statuses : "";
}

int clinical_kind_parse(const char *word)
{
	for (int k = 0; k < CLIN_KINDS; k++)
		if (!strcmp(word, kinds[k].name) || !strcmp(word, kinds[k].command))
			return k;
	return -1;
}

size_t clinical_field_count(int kind)
{
	return kind_ok(kind) ? kinds[kind].n : 0;
}

const struct clinical_field *clinical_field(int kind, size_t i)
{
	return i < clinical_field_count(kind) ? &kinds[kind].fields[i] : NULL;
}

int clinical_field_by_option(int kind, const char *option)
{
	for (size_t i = 0; i < clinical_field_count(kind); i++)
		if (kinds[kind].fields[i].option && !strcmp(kinds[kind].fields[i].option, option))
			return (int)i;
	return -1;
}

int clinical_field_by_name(int kind, const char *name)
{
	for (size_t i = 0; i < clinical_field_count(kind); i++)
		if (!strcmp(kinds[kind].fields[i].name, name))
			return (int)i;
	return -1;
}

size_t clinical_op_count(void)
{
	return ARRAY_SIZE(ops);
}

const struct clinical_op *clinical_op_at(size_t i)
{
	return i < ARRAY_SIZE(ops) ? &ops[i] : NULL;
}

const struct clinical_op *clinical_op_find(int kind, const char *verb)
{
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (ops[i].kind == kind && !strcmp(ops[i].verb, verb))
			return &ops[i];
	return NULL;
}

int clin_word_in(const char *status, const char *set)
{
	size_t n = strlen(status);

	while (*set) {
		size_t len = strcspn(set, "|");
		if (len == n && !strncmp(set, status, n))
			return 1;
		set += len + (set[len] == '|');
	}
	return 0;
}

/* ---- items ------------------------------------------------------------- */

struct clinical_item *clinical_items_new(size_t n)
{
	return smem_alloc((n ? n : 1) * sizeof(struct clinical_item));
}

void clinical_items_free(struct clinical_item *it, size_t n)
{
	(void)n; /* smem_free wipes the whole block */
	smem_free(it);
}

void clinical_item_init(struct clinical_item *it, int kind)
{
	smem_wipe(it, sizeof *it);
	it->kind = kind;
	snprintf(it->status, sizeof it->status, "%.*s", (int)strcspn(clinical_kind_statuses(kind), "|"),
		 clinical_kind_statuses(kind));
}

int clinical_set(struct clinical_item *it, size_t i, const char *value, struct folio_err *e)
{
	const struct clinical_field *f = clinical_field(it->kind, i);
	char in[CLIN_VALUE_MAX], out[CLIN_VALUE_MAX];
	size_t n;
	int rc = FOLIO_OK;

	if (!f)
		return err_set(e, FOLIO_EUSAGE, "no such field");
	if (!(f->flags & CF_INPUT))
		return err_set(e, FOLIO_EUSAGE, "%s is set by folio, not typed", f->label);
	while (*value == ' ' || *value == '\t')
		value++;
	n = strlen(value);
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n > f->max || n >= sizeof in)
		return err_set(e, FOLIO_EUSAGE, "%s: at most %zu characters", f->label, f->max);
	if (utf8_length(value, n) < 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not valid UTF-8 text", f->label);
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)value[k] < 0x20 || value[k] == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "%s: control characters are not allowed", f->label);
	memcpy(in, value, n);
	in[n] = '\0';
	out[0] = '\0';
	if (n && f->check)
		rc = f->check(f, in, out, sizeof out, e);
	else
		memcpy(out, in, n + 1);
	if (rc == FOLIO_OK)
		memcpy(it->v[i], out, sizeof out);
	smem_wipe(in, sizeof in);
	smem_wipe(out, sizeof out);
	return rc;
}

int clinical_complete(struct clinical_item *it, struct folio_err *e)
{
	for (size_t i = 0; i < clinical_field_count(it->kind); i++) {
		const struct clinical_field *f = clinical_field(it->kind, i);
		if ((f->flags & CF_REQUIRED) && !it->v[i][0])
			return err_set(e, FOLIO_EUSAGE, "%s: required (%s)", f->label, f->help);
	}
	if (!it->status[0])
		clinical_item_init(it, it->kind);
	switch (it->kind) {
	case CLIN_VITALS:
		if (!it->v[VF_TAKEN][0])
			clin_now_minute(it->v[VF_TAKEN]);
		return vitals_complete(it, e);
	case CLIN_MED:
		if (it->v[MF_START][0] && it->v[MF_STOP][0] && strcmp(it->v[MF_STOP], it->v[MF_START]) < 0)
			return err_set(e, FOLIO_EUSAGE, "Stop: the stop date is before the start date");
		return FOLIO_OK;
	case CLIN_RESULT:
		if (!it->v[RF_REPORTED][0])
			clin_now_minute(it->v[RF_REPORTED]);
		if (it->v[RF_COLLECTED][0] && strcmp(it->v[RF_REPORTED], it->v[RF_COLLECTED]) < 0)
			return err_set(e, FOLIO_EUSAGE, "Reported: before the specimen was collected");
		if (!it->v[RF_FLAG][0])
			str_copy(it->v[RF_FLAG], sizeof it->v[RF_FLAG],
				 clin_range_flag(it->v[RF_VALUE], it->v[RF_RANGE]));
		return FOLIO_OK;
	default:
		return FOLIO_OK;
	}
}

int clinical_warnings(const struct clinical_item *it, char warnings[][120], int max)
{
	int n = 0;

	if (it->kind == CLIN_VITALS)
		vitals_warnings(it, warnings, max, &n);
	if (it->kind == CLIN_RESULT && (!strcmp(it->v[RF_FLAG], "HH") || !strcmp(it->v[RF_FLAG], "LL")) &&
	    n < max)
		snprintf(warnings[n++], 120, "A critical result (%.2s): tell the responsible physician now",
			 it->v[RF_FLAG]);
	if (it->kind == CLIN_MED && !it->v[MF_PRESCRIBER][0] && n < max)
		snprintf(warnings[n++], 120, "No prescriber recorded");
	return n;
}

/* Appends "label value unit" for the vitals line. */
static void vitals_part(char *out, size_t cap, const char *label, const char *v, const char *unit)
{
	size_t len = strlen(out);

	if (v[0] && len + 1 < cap)
		snprintf(out + len, cap - len, "%s%s %s%s", len ? "  " : "", label, v, unit);
}

void clinical_item_line(const struct clinical_item *it, char *out, size_t cap)
{
	if (!cap)
		return;
	out[0] = '\0';
	switch (it->kind) {
	case CLIN_VITALS:
		vitals_part(out, cap, "BP", it->v[VF_BP], "");
		vitals_part(out, cap, "P", it->v[VF_PULSE], "");
		vitals_part(out, cap, "T", it->v[VF_TEMP], "C");
		vitals_part(out, cap, "R", it->v[VF_RESP], "");
		vitals_part(out, cap, "SpO2", it->v[VF_SPO2], "%");
		vitals_part(out, cap, "Wt", it->v[VF_WEIGHT], "kg");
		vitals_part(out, cap, "Ht", it->v[VF_HEIGHT], "cm");
		vitals_part(out, cap, "BMI", it->v[VF_BMI], "");
		vitals_part(out, cap, "Pain", it->v[VF_PAIN], "/10");
		return;
	case CLIN_NKA:
		str_copy(out, cap, "No known allergies");
		return;
	case CLIN_ALLERGY: {
		size_t i = 0;
		for (const char *p = it->v[AF_ALLERGEN]; *p && i + 1 < cap; p++)
			out[i++] = (char)toupper((unsigned char)*p);
		out[i] = '\0';
		if (it->v[AF_SEVERITY][0] && i + 1 < cap)
			snprintf(out + i, cap - i, " (%s)", it->v[AF_SEVERITY]);
		return;
	}
	default:
		break;
	}
	for (size_t i = 0; i < clinical_field_count(it->kind); i++) {
		size_t len = strlen(out);
		if (it->v[i][0] && (clinical_field(it->kind, i)->flags & CF_INPUT) && len + 1 < cap)
			snprintf(out + len, cap - len, "%s%s", len ? "  " : "", it->v[i]);
	}
}

/* ---- the body: "name=value\n" per field set, after a version byte ------ */

size_t clinical_serialize(const struct clinical_item *it, uint8_t *out)
{
	size_t o = 0;

	out[o++] = 1;
	for (size_t i = 0; i < clinical_field_count(it->kind); i++) {
		const char *name = clinical_field(it->kind, i)->name;
		size_t n = strnlen(it->v[i], CLIN_VALUE_MAX - 1), k = strlen(name);
		if (!n)
			continue;
		memcpy(out + o, name, k);
		o += k;
		out[o++] = '=';
		memcpy(out + o, it->v[i], n);
		o += n;
		out[o++] = '\n';
	}
	return o;
}

int clinical_deserialize(const uint8_t *in, size_t len, struct clinical_item *it)
{
	size_t i = 1;

	if (len < 1 || in[0] != 1)
		return -1;
	memset(it->v, 0, sizeof it->v);
	while (i < len) {
		const uint8_t *eq = memchr(in + i, '=', len - i), *nl = memchr(in + i, '\n', len - i);
		char name[24];
		size_t k, n;
		int f;

		if (!eq || !nl || eq > nl || (k = (size_t)(eq - (in + i))) >= sizeof name)
			return -1;
		memcpy(name, in + i, k);
		name[k] = '\0';
		n = (size_t)(nl - eq - 1);
		if (n >= CLIN_VALUE_MAX)
			return -1;
		/* a field a later folio added is skipped, not refused */
		if ((f = clinical_field_by_name(it->kind, name)) >= 0) {
			memcpy(it->v[f], eq + 1, n);
			it->v[f][n] = '\0';
		}
		i = (size_t)(nl - in) + 1;
	}
	return 0;
}

int clinical_snomed_system(const char *system)
{
	static const char *const names[] = { "", "SNOMED-CT", "SNOMED CT", "SNOMED", "SCT", "http://snomed.info/sct" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcasecmp(system, names[i]))
			return 1;
	return 0;
}
