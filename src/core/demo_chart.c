/* folio — the demo database's charts: encounters with their ADT history,
 * documents from transcription to signature, vitals, allergies, problems,
 * medications and results.
 *
 * Everything goes through the calls and grants the front ends use, made by
 * the users a clinic would have do it: the technician registers the
 * encounters, transcribes and enters the clinical data; the doctor writes
 * and signs notes and reviews results.  What a chart holds follows from the
 * patient's number and age only, so the same database comes out every time
 * (its times are relative to today).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/coding.h"
#include "folio/date.h"
#include "folio/demo.h"
#include "folio/patient.h"
#include "folio/smem.h"

#define DOCTOR "doctor"
/* Each signature costs one Argon2id derivation (~70 ms): a dozen keeps
 * `folio demo` quick and still shows signed notes. */
#define SIGN_MAX 12
#define TEXT_MAX 4096
#define MOMENTS_MAX 10
#define RESULTS_MAX 12
#define SIGNS_MAX 6
#define DAY (24 * 3600)

/* ---- what a chart may hold ------------------------------------------ */

struct dx {
	const char *text, *icd, *onset;
};
struct rx {
	const char *drug, *dose, *route, *freq, *start;
};
struct lab {
	const char *test, *loinc, *units, *range, *v[3]; /* before, during and after an illness */
};
/* Vital signs; temperature in tenths of a degree C. */
struct signs {
	int sys, dia, pulse, temp10, resp, spo2, pain;
};

/* A kind of patient: their problems, treatment and tests, and the story of
 * an admission for the notes. */
struct profile {
	int min_age, max_age;
	const char *clinic, *service;
	struct dx dx[3];
	struct dx admit_dx;       /* why admitted; resolved at discharge */
	struct rx rx[3];
	struct rx stopped;        /* ended on stop_day */
	const char *stop_day, *stop_why;
	struct lab lab[3];
	int sys, dia;             /* usual blood pressure */
	struct signs ill;         /* at admission or in the emergency department */
	const char *complaint, *exam, *assessment, *plan, *course, *visit;
};

enum { P_DIABETES, P_HEART, P_COPD, P_ASTHMA, P_MOOD, P_PEDS, P_CKD, P_WELL, P_COUNT };

static const struct profile profiles[P_COUNT] = {
	[P_DIABETES] = {
		35, 100, "Family Medicine", "medicine",
		{ { "Type 2 diabetes mellitus", "E11.9", "T-9Y" },
		  { "Essential hypertension", "I10", "T-12Y" },
		  { "Hyperlipidemia", "E78.5", "T-6Y" } },
		{ "Community-acquired pneumonia", "J18.9", NULL },
		{ { "metformin 500 mg tablet", "500 mg", "PO", "BID", "T-9Y" },
		  { "lisinopril 10 mg tablet", "10 mg", "PO", "daily", "T-12Y" },
		  { "atorvastatin 20 mg tablet", "20 mg", "PO", "nightly", "T-6Y" } },
		{ "glipizide 5 mg tablet", "5 mg", "PO", "daily", "T-3Y" }, "T-200", "low blood sugar",
		{ { "Hemoglobin A1c", "4548-4", "%", "4.0-5.6", { "8.4", "7.6", "7.1" } },
		  { "Glucose", "2345-7", "mg/dL", "70-99", { "182", "141", "96" } },
		  { "Potassium", "2823-3", "mmol/L", "3.5-5.1", { "4.6", "5.4", "4.4" } } },
		134, 84, { 142, 88, 108, 386, 24, 91, 4 },
		"Fever, cough with rusty sputum and shortness of breath for three days",
		"Crackles and bronchial breathing at the right base; no leg swelling",
		"Community-acquired pneumonia, right lower lobe (J18.9); diabetes with high sugars while unwell",
		"Levofloxacin 750 mg IV daily (penicillin allergy checked); oxygen to keep SpO2 at 92% or more;"
		" hold metformin; sliding-scale insulin; glucose before meals and at bedtime",
		"Afebrile after 36 hours on levofloxacin, changed to tablets on day 2; off oxygen on day 3."
		" Metformin restarted once eating normally",
		"Diabetes review: home glucose log mostly 110-150. HbA1c improving. Feet: pulses present,"
		" monofilament sensation normal. Continue metformin and lisinopril; HbA1c again in 3 months",
	},
	[P_HEART] = {
		60, 100, "Cardiology", "cardiology",
		{ { "Heart failure with reduced ejection fraction", "I50.9", "T-4Y" },
		  { "Atrial fibrillation", "I48.91", "T-3Y" },
		  { "Essential hypertension", "I10", "T-15Y" } },
		{ "Acute on chronic systolic heart failure", "I50.23", NULL },
		{ { "furosemide 40 mg tablet", "40 mg", "PO", "daily", "T-4Y" },
		  { "metoprolol succinate 50 mg tablet", "50 mg", "PO", "daily", "T-4Y" },
		  { "apixaban 5 mg tablet", "5 mg", "PO", "BID", "T-3Y" } },
		{ "lisinopril 10 mg tablet", "10 mg", "PO", "daily", "T-4Y" }, "T-150", "dry cough",
		{ { "B-type natriuretic peptide", "30934-4", "pg/mL", "<100", { "420", "1250", "610" } },
		  { "Sodium", "2951-2", "mmol/L", "135-145", { "138", "133", "137" } },
		  { "Potassium", "2823-3", "mmol/L", "3.5-5.1", { "4.1", "3.3", "4.0" } } },
		128, 76, { 152, 94, 112, 368, 26, 89, 2 },
		"Worsening breathlessness, sleeping on three pillows and ankle swelling for a week",
		"JVP raised to the earlobe; crackles at both bases; pitting edema to the knees; irregularly"
		" irregular pulse",
		"Acute on chronic systolic heart failure (I50.23) with atrial fibrillation",
		"Furosemide 40 mg IV BID; daily weights; fluid restriction 1.5 L; potassium replacement;"
		" continue apixaban and metoprolol",
		"Diuresed 4.2 kg with IV furosemide; potassium replaced; moved to the cardiology unit for"
		" telemetry. Discharged on oral furosemide with home health nursing for daily weights",
		"Heart failure review: no orthopnea, walking two blocks. Weight stable at home. Continue"
		" current doses; echocardiogram in 3 months; call if weight rises 2 kg in 3 days",
	},
	[P_COPD] = {
		50, 100, "Pulmonology", "medicine",
		{ { "Chronic obstructive pulmonary disease", "J44.9", "T-7Y" },
		  { "History of nicotine dependence", "Z87.891", "T-5Y" },
		  { "Essential hypertension", "I10", "T-10Y" } },
		{ "COPD with acute exacerbation", "J44.1", NULL },
		{ { "tiotropium 18 mcg inhalation capsule", "1 capsule", "inhaled", "daily", "T-7Y" },
		  { "albuterol 90 mcg inhaler", "2 puffs", "inhaled", "q4h PRN", "T-7Y" },
		  { "amlodipine 5 mg tablet", "5 mg", "PO", "daily", "T-10Y" } },
		{ "prednisone 40 mg tablet", "40 mg", "PO", "daily", "T-40" }, "T-35", "5-day course completed",
		{ { "WBC", "6690-2", "10*3/uL", "4.5-11.0", { "7.2", "13.8", "8.1" } },
		  { "Hemoglobin", "718-7", "g/dL", "13.0-17.0", { "14.9", "15.3", "14.6" } },
		  { "Carbon dioxide", "2028-9", "mmol/L", "22-29", { "27", "33", "28" } } },
		136, 82, { 148, 90, 114, 378, 28, 86, 3 },
		"More breathless than usual for four days with green sputum; using the inhaler every hour",
		"Speaking in short sentences; widespread wheeze with a prolonged expiration; accessory muscles"
		" in use",
		"COPD with acute exacerbation (J44.1)",
		"Nebulized albuterol and ipratropium; prednisone 40 mg for 5 days; doxycycline;"
		" oxygen to SpO2 88-92%",
		"Improved with nebulizers, steroids and doxycycline; walking on the ward without oxygen by day 3."
		" Inhaler technique checked before discharge",
		"COPD review: one exacerbation this year. Inhaler technique good. Still not smoking."
		" Continue tiotropium; pulmonary rehabilitation referral",
	},
	[P_ASTHMA] = {
		5, 64, "Family Medicine", "medicine",
		{ { "Asthma", "J45.909", "T-15Y" },
		  { "Seasonal allergic rhinitis", "J30.2", "T-12Y" },
		  { NULL, NULL, NULL } },
		{ "Asthma with acute exacerbation", "J45.901", NULL },
		{ { "albuterol 90 mcg inhaler", "2 puffs", "inhaled", "q4h PRN", "T-15Y" },
		  { "fluticasone 110 mcg inhaler", "2 puffs", "inhaled", "BID", "T-5Y" },
		  { "cetirizine 10 mg tablet", "10 mg", "PO", "daily", "T-3Y" } },
		{ "prednisone 40 mg tablet", "40 mg", "PO", "daily", "T-130" }, "T-125", "5-day course completed",
		{ { "Eosinophils", "711-2", "10*3/uL", "0.0-0.5", { "0.3", "0.8", "0.4" } },
		  { "WBC", "6690-2", "10*3/uL", "4.5-11.0", { "7.1", "12.4", "7.6" } },
		  { "C-reactive protein", "1988-5", "mg/L", "<10", { "2", "18", "3" } } },
		116, 74, { 130, 82, 118, 372, 28, 90, 3 },
		"Wheeze and tight chest since a cold three days ago; albuterol helps for an hour only",
		"Widespread expiratory wheeze; speaking in phrases; peak flow 55% of best",
		"Asthma with acute exacerbation (J45.901), moderate",
		"Albuterol and ipratropium nebulizers; prednisone 40 mg daily for 5 days; review inhaler"
		" technique",
		"Settled with nebulizers and oral steroids; peak flow 85% of best at discharge",
		"Asthma review: night symptoms once a month, no reliever use most days. Inhaler technique good."
		" Continue fluticasone; action plan updated",
	},
	[P_MOOD] = {
		18, 64, "Family Medicine", "medicine",
		{ { "Major depressive disorder, single episode", "F32.9", "T-2Y" },
		  { "Generalized anxiety disorder", "F41.1", "T-3Y" },
		  { "Hypothyroidism", "E03.9", "T-4Y" } },
		{ "Acute pyelonephritis", "N10", NULL },
		{ { "sertraline 50 mg tablet", "50 mg", "PO", "daily", "T-2Y" },
		  { "levothyroxine 75 mcg tablet", "75 mcg", "PO", "daily before breakfast", "T-4Y" },
		  { "hydroxyzine 25 mg tablet", "25 mg", "PO", "q8h PRN", "T-1Y" } },
		{ "trazodone 50 mg tablet", "50 mg", "PO", "nightly", "T-1Y" }, "T-90", "sleep better",
		{ { "TSH", "3016-3", "mIU/L", "0.4-4.0", { "6.8", "4.1", "2.4" } },
		  { "Free T4", "3024-7", "ng/dL", "0.8-1.8", { "0.7", "1.0", "1.2" } },
		  { "WBC", "6690-2", "10*3/uL", "4.5-11.0", { "6.4", "14.2", "6.9" } } },
		118, 76, { 104, 62, 114, 391, 20, 97, 6 },
		"Fever with rigors, burning on passing urine and right flank pain for two days",
		"Tender right costovertebral angle; abdomen soft",
		"Acute pyelonephritis (N10)",
		"Ceftriaxone 1 g IV daily; IV fluids; urine culture; paracetamol for fever",
		"Urine grew E. coli sensitive to ceftriaxone; afebrile on day 2 and changed to oral"
		" antibiotics to complete 10 days",
		"Mood review: PHQ-9 9 (was 14). Sleeping better, back at work full time. Continue sertraline"
		" 50 mg; psychotherapy continues weekly",
	},
	[P_PEDS] = {
		2, 11, "Pediatrics", "pediatrics",
		{ { "Atopic dermatitis", "L20.9", "T-2Y" },
		  { NULL, NULL, NULL },
		  { NULL, NULL, NULL } },
		{ "Viral gastroenteritis with dehydration", "A08.4", NULL },
		{ { "emollient cream", "apply", "topical", "BID", "T-2Y" },
		  { "hydrocortisone 1% cream", "thin layer", "topical", "BID PRN", "T-1Y" },
		  { NULL, NULL, NULL, NULL, NULL } },
		{ "azithromycin 200 mg/5 mL suspension", "5 mL", "PO", "daily", "T-100" }, "T-96",
		"course completed",
		{ { "Hemoglobin", "718-7", "g/dL", "11.0-14.5", { "11.8", "12.6", "12.2" } },
		  { "Sodium", "2951-2", "mmol/L", "135-145", { "139", "132", "138" } },
		  { "WBC", "6690-2", "10*3/uL", "5.0-15.5", { "8.2", "12.9", "9.1" } } },
		98, 60, { 96, 58, 142, 383, 32, 97, 4 },
		"Vomiting and diarrhea for two days, passing little urine and sleepy",
		"Dry lips, capillary refill 3 seconds, sunken eyes; abdomen soft",
		"Viral gastroenteritis with moderate dehydration (A08.4)",
		"IV fluid bolus then maintenance; oral rehydration as tolerated; strict input and output",
		"Rehydrated over 24 hours; drinking well and passing urine normally at discharge",
		"Well child visit: growing along the 50th centile; eczema controlled with emollients;"
		" immunizations up to date",
	},
	[P_CKD] = {
		50, 100, "Nephrology", "nephrology",
		{ { "Chronic kidney disease, stage 3", "N18.30", "T-5Y" },
		  { "Type 2 diabetes mellitus with diabetic chronic kidney disease", "E11.22", "T-14Y" },
		  { "Essential hypertension", "I10", "T-16Y" } },
		{ "Acute kidney injury", "N17.9", NULL },
		{ { "losartan 50 mg tablet", "50 mg", "PO", "daily", "T-5Y" },
		  { "insulin glargine 100 units/mL", "18 units", "SC", "nightly", "T-3Y" },
		  { "amlodipine 10 mg tablet", "10 mg", "PO", "daily", "T-8Y" } },
		{ "metformin 1000 mg tablet", "1000 mg", "PO", "BID", "T-14Y" }, "T-250", "eGFR under 45",
		{ { "Creatinine", "2160-0", "mg/dL", "0.7-1.3", { "1.6", "2.9", "1.8" } },
		  { "eGFR (CKD-EPI)", "62238-1", "mL/min/1.73m2", ">60", { "42", "21", "37" } },
		  { "Potassium", "2823-3", "mmol/L", "3.5-5.1", { "5.0", "5.8", "5.1" } } },
		144, 86, { 104, 64, 102, 369, 18, 96, 1 },
		"Vomiting and diarrhea for three days with little to drink; dizzy on standing",
		"Dry mucous membranes; blood pressure falls 25 mmHg on standing",
		"Acute kidney injury on chronic kidney disease stage 3, from volume depletion (N17.9)",
		"IV fluids; hold losartan; creatinine and potassium daily; insulin dose halved while eating"
		" little",
		"Creatinine fell from 2.9 to 1.8 with IV fluids; losartan restarted once eating and drinking",
		"Kidney review: eGFR stable in the high 30s; blood pressure at target. Continue losartan;"
		" sick-day rules explained again",
	},
	[P_WELL] = {
		18, 70, "Family Medicine", "surgery",
		{ { "Seasonal allergic rhinitis", "J30.2", "T-10Y" },
		  { "Vitamin D deficiency", "E55.9", "T-1Y" },
		  { NULL, NULL, NULL } },
		{ "Acute appendicitis", "K35.80", NULL },
		{ { "cetirizine 10 mg tablet", "10 mg", "PO", "daily PRN", "T-10Y" },
		  { "cholecalciferol 2000 unit capsule", "2000 units", "PO", "daily", "T-1Y" },
		  { NULL, NULL, NULL, NULL, NULL } },
		{ "ibuprofen 400 mg tablet", "400 mg", "PO", "TID PRN", "T-400" }, "T-380", "back pain settled",
		{ { "Cholesterol", "2093-3", "mg/dL", "<200", { "188", "176", "171" } },
		  { "Glucose", "2345-7", "mg/dL", "70-99", { "92", "118", "88" } },
		  { "WBC", "6690-2", "10*3/uL", "4.5-11.0", { "6.2", "15.8", "7.4" } } },
		118, 74, { 126, 80, 104, 381, 18, 98, 7 },
		"Pain around the navel moving to the right lower abdomen over 18 hours, with nausea",
		"Tender at McBurney's point with guarding; Rovsing sign positive",
		"Acute appendicitis (K35.80)",
		"Nil by mouth; IV fluids; cefoxitin; laparoscopic appendectomy today",
		"Laparoscopic appendectomy on the day of admission: inflamed, not perforated. Eating on day 1;"
		" wounds clean",
		"Annual visit: well. Screening up to date; exercise and sleep discussed. Cetirizine in the"
		" pollen season; vitamin D again next year",
	},
};

/* Allergies a chart may list (a bit each). */
static const struct {
	const char *allergen, *type, *reaction, *severity;
	int outgrown; /* listed, then marked inactive */
} allergens[] = {
	{ "penicillin", "drug", "anaphylaxis", "severe", 0 },
	{ "latex", "environmental", "contact dermatitis", "moderate", 0 },
	{ "peanut", "food", "anaphylaxis", "severe", 0 },
	{ "shellfish", "food", "hives", "moderate", 0 },
	{ "sulfamethoxazole", "drug", "rash", "mild", 0 },
	{ "codeine", "drug", "nausea and vomiting", "mild", 0 },
	{ "bee venom", "other", "swelling at the sting", "moderate", 0 },
	{ "egg", "food", "hives", "mild", 1 },
};
enum {
	A_PENICILLIN = 1 << 0, A_LATEX = 1 << 1, A_PEANUT = 1 << 2, A_SHELLFISH = 1 << 3,
	A_SULFA = 1 << 4, A_CODEINE = 1 << 5,
};
#define NOT_ASSESSED (-1)
#define NKA 0

enum { ADM_NONE, ADM_DISCHARGED, ADM_TRANSFERRED, ADM_OPEN };

/* What one chart gets. */
struct plan {
	int profile;
	int visits;          /* closed outpatient visits, 0-3 */
	int ed;              /* a closed emergency visit */
	int adm;             /* ADM_* */
	const char *status;  /* UB-04 discharge status */
	int cancelled;       /* a pre-admission cancelled with a reason */
	int today;           /* 1 checked in today, 2 and being seen */
	int allergies;       /* NOT_ASSESSED, NKA or a mask of allergens[] */
	int sign;            /* the doctor signs its H&P, discharge summary, ED note, letter */
	int addendum, letter, psych;
};

static const struct plan fixed_plans[] = {
	[DEMO_STORY_HEART] = { .profile = P_HEART, .visits = 2, .adm = ADM_TRANSFERRED, .status = "06",
			       .allergies = A_SULFA | A_CODEINE, .sign = 1, .letter = 1 },
	[DEMO_STORY_DIABETES] = { .profile = P_DIABETES, .visits = 3, .adm = ADM_DISCHARGED, .status = "01",
				  .allergies = A_PENICILLIN | A_LATEX, .sign = 1, .addendum = 1 },
	[DEMO_STORY_ASTHMA] = { .profile = P_ASTHMA, .visits = 2, .ed = 1, .allergies = A_PEANUT | A_SHELLFISH,
				.sign = 1 },
	[DEMO_STORY_WELL] = { .profile = P_WELL, .visits = 1, .allergies = NKA },
	[DEMO_STORY_MOOD] = { .profile = P_MOOD, .visits = 2, .allergies = NKA, .sign = 1, .psych = 1 },
	[DEMO_STORY_ADMITTED] = { .profile = P_WELL, .visits = 1, .adm = ADM_OPEN, .allergies = NKA },
	[DEMO_STORY_TEST] = { .profile = P_WELL, .visits = 1, .cancelled = 1, .allergies = NOT_ASSESSED },
};

/* ---- one chart being filled ---------------------------------------- */

/* A time the patient was seen: vitals are taken, blood is drawn. */
struct moment {
	int64_t t;      /* epoch seconds */
	int64_t enc;
	int ill;        /* 0 well, 1 ill (admission, emergency), 2 getting better */
	int today;      /* in the clinic now: no results yet */
};

struct run {
	struct session *tech, *doctor;
	const struct demo_chart *c;
	const struct profile *p;
	const char *clinic, *service;  /* the profile's, or the children's */
	struct plan pl;
	uint32_t h;                 /* the chart's dice */
	int *signs_left;
	struct folio_err *e;
	struct clinical_item *it;   /* smem */
	char *text;                 /* smem, TEXT_MAX */
	size_t len;

	struct moment m[MOMENTS_MAX];
	size_t nm;
	int64_t visit[3], ed, adm, today;
	int nvisits;
	int64_t adm_t, dis_t;
	int64_t result[RESULTS_MAX];
	size_t nresults, nreview;
	int64_t hp, ds, progress, ednote, vnote[3], to_sign[SIGNS_MAX];
	size_t nsign;
	int ds_signed;
};

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

int demo_age(const char *dob)
{
	char today[11];
	int y, m, d, ty, tm, td, age;

	if (!dob || sscanf(dob, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	date_format_days(date_today(), today);
	if (sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
		return 0;
	age = ty - y - (tm < m || (tm == m && td < d));
	return age < 0 ? 0 : age;
}

/* hh:mm UTC on the day `days` ago. */
static int64_t day_at(int days, int hhmm)
{
	return (date_today() - days) * DAY + (hhmm / 100) * 3600 + (hhmm % 100) * 60;
}

/* UTC text of t, never later than now. */
static void utc(int64_t t, char out[24])
{
	int64_t now = time_now();

	time_utc_format(t < now ? t : now, out, 24);
}

/* "YYYY-MM-DDTHH:MM", the form a clinical time is typed in. */
static void minute(int64_t t, char out[24])
{
	utc(t, out);
	out[16] = '\0';
}

static void text_add(struct run *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void text_add(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len + 1 >= TEXT_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, TEXT_MAX - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len = r->len + (size_t)n < TEXT_MAX ? r->len + (size_t)n : TEXT_MAX - 1;
}

static void text_reset(struct run *r)
{
	smem_wipe(r->text, TEXT_MAX);
	r->len = 0;
}

static const char *person(const struct run *r)
{
	int child = r->c->age < 18;

	if (r->c->sex == 'F')
		return child ? "girl" : "woman";
	if (r->c->sex == 'M')
		return child ? "boy" : "man";
	return child ? "child" : "patient";
}

/* ---- vital signs ------------------------------------------------------ */

static void usual_signs(const struct run *r, struct signs *s)
{
	int age = r->c->age;

	s->sys = r->p->sys + (int)(r->h % 9) - 4;
	s->dia = r->p->dia + (int)(r->h / 9 % 7) - 3;
	s->pulse = (age < 2 ? 118 : age < 8 ? 96 : age < 14 ? 84 : 70) + (int)(r->h / 63 % 12);
	s->temp10 = 365 + (int)(r->h / 7 % 5);
	s->resp = age < 2 ? 30 : age < 8 ? 22 : age < 14 ? 18 : 14 + (int)(r->h / 11 % 4);
	s->spo2 = 97 + (int)(r->h / 13 % 3);
	s->pain = 0;
}

/* The signs at moment j: the usual ones, ill ones, or halfway between. */
static void signs_at(const struct run *r, size_t j, struct signs *s)
{
	const struct signs *ill = &r->p->ill;
	struct signs u;
	int k = r->m[j].ill;

	usual_signs(r, &u);
	*s = u;
	if (k == 0) {
		/* small changes from visit to visit, so the trend has a shape */
		s->sys += (int)((j * 5 + r->h) % 9) - 4;
		s->pulse += (int)((j * 3 + r->h) % 7) - 3;
		return;
	}
	s->sys = k == 1 ? ill->sys : (ill->sys + u.sys) / 2;
	s->dia = k == 1 ? ill->dia : (ill->dia + u.dia) / 2;
	s->pulse = k == 1 ? ill->pulse : (ill->pulse + u.pulse) / 2;
	s->temp10 = k == 1 ? ill->temp10 : (ill->temp10 + u.temp10) / 2;
	s->resp = k == 1 ? ill->resp : (ill->resp + u.resp) / 2;
	s->spo2 = k == 1 ? ill->spo2 : (ill->spo2 + u.spo2) / 2;
	s->pain = k == 1 ? ill->pain : ill->pain / 2;
}

/* Weight (tenths of a kg) and height (cm) for the age and sex; weight goes
 * down a little over the visits. */
static void body_at(const struct run *r, size_t j, int *kg10, int *cm)
{
	int age = r->c->age, f = r->c->sex == 'F';

	if (age < 1) {
		*kg10 = 75 + (int)(r->h % 20);
		*cm = 66 + (int)(r->h % 6);
	} else if (age <= 12) {
		*kg10 = (2 * age + 8) * 10 + (int)(r->h % 30);
		*cm = 6 * age + 77 + (int)(r->h % 8);
	} else {
		*kg10 = (f ? 580 : 700) + (int)(r->h % (f ? 260 : 300));
		*cm = (f ? 154 : 166) + (int)(r->h / 5 % 20);
		if (age < 16) {
			*kg10 -= 120;
			*cm -= 8;
		}
	}
	if (age > 12)
		*kg10 += (int)(r->nm - 1 - j) * 6;
}

static void signs_text(struct run *r, size_t j)
{
	struct signs s;

	signs_at(r, j, &s);
	text_add(r, "T %d.%d C, BP %d/%d, P %d, R %d, SpO2 %d%%", s.temp10 / 10, s.temp10 % 10, s.sys, s.dia,
		 s.pulse, s.resp, s.spo2);
}

/* ---- encounters (the technician, encounter.edit) ----------------------- */

static void moment_add(struct run *r, int64_t enc, int64_t t, int ill, int today)
{
	size_t i = r->nm;

	if (r->nm >= MOMENTS_MAX)
		return;
	/* kept in time order: vitals and results trend along it */
	while (i > 0 && r->m[i - 1].t > t) {
		r->m[i] = r->m[i - 1];
		i--;
	}
	r->m[i] = (struct moment){ t, enc, ill, today };
	r->nm++;
}

static size_t moment_of(const struct run *r, int64_t enc)
{
	for (size_t j = 0; j < r->nm; j++)
		if (r->m[j].enc == enc)
			return j;
	return 0;
}

/* A visit checked in at t, seen and closed after `minutes`. */
static int visit(struct run *r, struct grant *g, const char *kind, const char *clinic, int64_t t, int minutes,
		 int ill, int64_t *id)
{
	char at[24];
	struct adt a = { .at = at, .attending = DOCTOR, .clinic = clinic };
	struct adt step = { .at = at };
	int rc;

	utc(t, at);
	if ((rc = encounter_visit(g, kind, &a, id, r->e)))
		return rc;
	utc(t + 600, at);
	if ((rc = encounter_step(g, *id, "start", &step, r->e)))
		return rc;
	utc(t + minutes * 60, at);
	if ((rc = encounter_step(g, *id, "close", &step, r->e)) == FOLIO_OK)
		moment_add(r, *id, t, ill, 0);
	return rc;
}

static int admission(struct run *r, struct grant *g)
{
	static const char *const rooms[] = { "4B", "5A", "3C", "6D" };
	int open = r->pl.adm == ADM_OPEN, moved = r->pl.adm == ADM_TRANSFERRED;
	int days = open ? 2 : 26 + (int)(r->h % 11), stay = 2 + (int)(r->h / 11 % 4);
	char at[24], bed[4];
	struct adt a = { .at = at, .attending = DOCTOR, .service = moved ? "medicine" : r->service,
			 .room = rooms[r->h % 4], .bed = bed };
	int rc;

	snprintf(bed, sizeof bed, "%u", 1 + r->h / 5 % 12);
	r->adm_t = day_at(days, open ? 1640 : 1300 + (int)(r->h % 8) * 100);
	utc(r->adm_t, at);
	if ((rc = encounter_admit(g, &a, &r->adm, r->e)))
		return rc;
	moment_add(r, r->adm, r->adm_t, 1, 0);
	moment_add(r, r->adm, r->adm_t + DAY - 4 * 3600, 2, 0);
	if (moved) {
		/* to the specialty's unit the next morning */
		struct adt to = { .at = at, .service = strcmp(r->service, "medicine") ? r->service : NULL,
				  .room = "6C", .bed = "12" };
		utc(r->adm_t + 20 * 3600, at);
		if ((rc = encounter_transfer(g, r->adm, &to, r->e)))
			return rc;
	}
	if (open)
		return FOLIO_OK;
	r->dis_t = day_at(days - stay, 1115);
	utc(r->dis_t, at);
	return encounter_discharge(g, r->adm, &(struct adt){ .at = at, .status = r->pl.status }, r->e);
}

static int chart_encounters(struct run *r, struct grant *g)
{
	/* the last one is the follow-up two weeks after a discharge */
	static const int visit_days[3] = { 320, 175, 8 };
	int rc = FOLIO_OK;

	for (int i = 3 - r->pl.visits; i < 3 && rc == FOLIO_OK; i++)
		rc = visit(r, g, "outpatient", r->clinic,
			   day_at(visit_days[i] + (int)(r->h >> (i * 4) & 7),
				  800 + (int)(r->h >> (i * 3) & 7) * 100 + (int)(r->h >> (i * 2) & 3) * 15),
			   20 + (int)(r->h >> i & 15) + 5 * i, 0, &r->visit[r->nvisits++]);
	if (rc == FOLIO_OK && r->pl.ed)
		rc = visit(r, g, "emergency", "Emergency Department", day_at(118 + (int)(r->h % 9), 1945), 260, 1,
			   &r->ed);
	if (rc == FOLIO_OK && r->pl.cancelled) {
		char at[24];
		struct adt a = { .at = at, .attending = DOCTOR, .service = r->service, .pre = 1 };
		int64_t id;
		utc(day_at(80, 700), at);
		if ((rc = encounter_admit(g, &a, &id, r->e)) == FOLIO_OK)
			rc = encounter_cancel(g, id, "Elective admission cancelled: the patient asked to postpone",
					      r->e);
	}
	if (rc == FOLIO_OK && r->pl.adm != ADM_NONE)
		rc = admission(r, g);
	return rc;
}

/* Checked in today: on the day's check-in list (encounter.checkin). */
static int chart_checkin(struct run *r, struct grant *g)
{
	char reason[96];
	int rc;

	snprintf(reason, sizeof reason, "follow-up: %s", r->p->dx[0].text);
	if ((rc = patient_checkin(g, r->clinic, reason, &r->today, r->e)) == FOLIO_OK)
		moment_add(r, r->today, time_now(), 0, 1);
	smem_wipe(reason, sizeof reason);
	return rc;
}

/* And now with the doctor (encounter.edit). */
static int chart_seen(struct run *r, struct grant *g)
{
	return encounter_step(g, r->today, "start", NULL, r->e);
}

/* ---- clinical entry (the technician, clinical.enter) ------------------ */

/* Adds an item of kind from values by field index (NULL or "" not set). */
static int item_add(struct run *r, struct grant *g, int kind, int64_t enc, const char *const *v, size_t n,
		    int64_t *id)
{
	struct clinical_item *it = r->it;
	int rc;

	clinical_item_init(it, kind);
	it->encounter_id = enc;
	for (size_t i = 0; i < n; i++)
		if (v[i] && v[i][0] && (rc = clinical_set(it, i, v[i], r->e)))
			return rc;
	if ((rc = clinical_add(g, it, r->e)))
		return rc;
	if (id)
		*id = it->id;
	return FOLIO_OK;
}

static int apply(struct run *r, struct grant *g, int kind, const char *verb, int64_t id)
{
	return clinical_apply(g, kind, verb, id, 0, NULL, r->e);
}

static int allergies(struct run *r, struct grant *g)
{
	int64_t id;
	int rc = FOLIO_OK;

	if (r->pl.allergies == NOT_ASSESSED)
		return FOLIO_OK;
	if (r->pl.allergies == NKA)
		return clinical_nka(g, &id, r->e);
	for (size_t i = 0; i < ARRAY_SIZE(allergens) && rc == FOLIO_OK; i++) {
		if (!(r->pl.allergies & (1 << i)))
			continue;
		rc = item_add(r, g, CLIN_ALLERGY, 0,
			      (const char *[AF_COUNT]){ [AF_ALLERGEN] = allergens[i].allergen,
							[AF_TYPE] = allergens[i].type,
							[AF_REACTION] = allergens[i].reaction,
							[AF_SEVERITY] = allergens[i].severity },
			      AF_COUNT, &id);
		if (rc == FOLIO_OK && allergens[i].outgrown)
			rc = apply(r, g, CLIN_ALLERGY, "inactivate", id);
	}
	return rc;
}

/* A "T-NY" date of the profile, moved after the patient's birth when the
 * patient is younger than that. */
static const char *since(const struct run *r, const char *rel, char buf[16])
{
	int years;

	if (!rel || sscanf(rel, "T-%dY", &years) != 1 || years < r->c->age)
		return rel;
	snprintf(buf, 16, "T-%dY", r->c->age / 2 > 0 ? r->c->age / 2 : 1);
	return buf;
}

static int problem(struct run *r, struct grant *g, const struct dx *d, const char *onset, const char *verb)
{
	char buf[16];
	int64_t id;
	int rc = item_add(r, g, CLIN_PROBLEM, 0,
			  (const char *[PRF_COUNT]){ [PRF_TEXT] = d->text, [PRF_ICD] = d->icd,
						     [PRF_ONSET] = since(r, onset, buf) },
			  PRF_COUNT, &id);

	return rc == FOLIO_OK && verb ? apply(r, g, CLIN_PROBLEM, verb, id) : rc;
}

static int medication(struct run *r, struct grant *g, const struct rx *m, const char *stop)
{
	char buf[16];
	int64_t id;
	int rc = item_add(r, g, CLIN_MED, 0,
			  (const char *[MF_COUNT]){ [MF_DRUG] = m->drug, [MF_DOSE] = m->dose, [MF_ROUTE] = m->route,
						    [MF_FREQUENCY] = m->freq, [MF_START] = since(r, m->start, buf),
						    [MF_STOP] = stop, [MF_PRESCRIBER] = DOCTOR },
			  MF_COUNT, &id);

	return rc == FOLIO_OK && stop ? apply(r, g, CLIN_MED, "stop", id) : rc;
}

static int history(struct run *r, struct grant *g)
{
	const struct profile *p = r->p;
	char onset[24];
	int rc = FOLIO_OK;

	for (size_t i = 0; i < 3 && rc == FOLIO_OK; i++)
		if (p->dx[i].text)
			rc = problem(r, g, &p->dx[i], p->dx[i].onset, NULL);
	if (rc == FOLIO_OK && r->adm) {
		minute(r->adm_t, onset);
		onset[10] = '\0';
		rc = problem(r, g, &p->admit_dx, onset, r->pl.adm == ADM_OPEN ? NULL : "resolve");
	}
	for (size_t i = 0; i < 3 && rc == FOLIO_OK; i++)
		if (p->rx[i].drug)
			rc = medication(r, g, &p->rx[i], NULL);
	return rc == FOLIO_OK ? medication(r, g, &p->stopped, p->stop_day) : rc;
}

static int vitals(struct run *r, struct grant *g, size_t j)
{
	char at[24], wt[16], ht[16], bp[24], pulse[16], temp[16], resp[16], spo2[16], pain[16];
	struct signs s;
	int kg10, cm;

	signs_at(r, j, &s);
	body_at(r, j, &kg10, &cm);
	minute(r->m[j].t + 10 * 60, at);
	snprintf(wt, sizeof wt, "%d.%d", kg10 / 10, kg10 % 10);
	snprintf(ht, sizeof ht, "%d", cm);
	snprintf(bp, sizeof bp, "%d/%d", s.sys, s.dia);
	snprintf(pulse, sizeof pulse, "%d", s.pulse);
	snprintf(temp, sizeof temp, "%d.%d", s.temp10 / 10, s.temp10 % 10);
	snprintf(resp, sizeof resp, "%d", s.resp);
	snprintf(spo2, sizeof spo2, "%d", s.spo2);
	snprintf(pain, sizeof pain, "%d", s.pain);
	/* weight and height at visits; in hospital the nurses' round only */
	return item_add(r, g, CLIN_VITALS, r->m[j].enc,
			(const char *[VF_COUNT]){ [VF_TAKEN] = at, [VF_WEIGHT] = r->m[j].ill ? NULL : wt,
						  [VF_HEIGHT] = r->m[j].ill ? NULL : ht, [VF_BP] = bp,
						  [VF_PULSE] = pulse, [VF_TEMP] = temp, [VF_RESP] = resp,
						  [VF_SPO2] = spo2, [VF_PAIN] = pain },
			VF_COUNT, NULL);
}

/* Each test at the last three times blood was drawn: the profile's
 * baseline value before the illness, the ill value during it, the recovered
 * one after.  All but the newest are reviewed. */
static int results(struct run *r, struct grant *g)
{
	size_t idx[3], n = 0;
	int after_ill = 0, rc = FOLIO_OK;

	for (size_t j = r->nm; j > 0 && n < 3; j--)
		if (!r->m[j - 1].today && r->m[j - 1].ill != 2)
			idx[n++] = j - 1;
	for (size_t k = n; k > 0 && rc == FOLIO_OK; k--) {
		const struct moment *m = &r->m[idx[k - 1]];
		int v = m->ill ? 1 : after_ill || k == 1 ? 2 : 0;
		char drawn[24], reported[24];

		after_ill |= m->ill;
		minute(m->t + 30 * 60, drawn);
		minute(m->t + 4 * 3600, reported);
		for (size_t t = 0; t < 3 && rc == FOLIO_OK; t++) {
			const struct lab *l = &r->p->lab[t];
			int64_t id;
			rc = item_add(r, g, CLIN_RESULT, m->enc,
				      (const char *[RF_COUNT]){ [RF_TEST] = l->test, [RF_LOINC] = l->loinc,
								[RF_VALUE] = l->v[v], [RF_UNITS] = l->units,
								[RF_RANGE] = l->range, [RF_COLLECTED] = drawn,
								[RF_REPORTED] = reported },
				      RF_COUNT, &id);
			if (rc == FOLIO_OK && r->nresults < RESULTS_MAX) {
				r->result[r->nresults++] = id;
				if (k > 1)
					r->nreview = r->nresults;
			}
		}
	}
	return rc;
}

static int chart_clinical(struct run *r, struct grant *g)
{
	int rc;

	if ((rc = allergies(r, g)) || (rc = history(r, g)))
		return rc;
	for (size_t j = 0; j < r->nm && rc == FOLIO_OK; j++)
		rc = vitals(r, g, j);
	return rc == FOLIO_OK ? results(r, g) : rc;
}

/* ---- documents -------------------------------------------------------- */

static void list_problems(struct run *r)
{
	for (size_t i = 0, n = 0; i < 3; i++)
		if (r->p->dx[i].text)
			text_add(r, "%s%s (%s)", n++ ? "; " : "", r->p->dx[i].text, r->p->dx[i].icd);
}

static void list_meds(struct run *r)
{
	for (size_t i = 0, n = 0; i < 3; i++)
		if (r->p->rx[i].drug)
			text_add(r, "%s%s, %s %s %s", n++ ? "; " : "", r->p->rx[i].drug, r->p->rx[i].dose,
				 r->p->rx[i].route, r->p->rx[i].freq);
}

static void list_allergies(struct run *r)
{
	if (r->pl.allergies == NOT_ASSESSED) {
		text_add(r, "not yet assessed");
		return;
	}
	if (r->pl.allergies == NKA) {
		text_add(r, "no known allergies");
		return;
	}
	for (size_t i = 0, n = 0; i < ARRAY_SIZE(allergens); i++)
		if ((r->pl.allergies & (1 << i)) && !allergens[i].outgrown)
			text_add(r, "%s%s (%s)", n++ ? "; " : "", allergens[i].allergen, allergens[i].reaction);
}

static void note_hp(struct run *r)
{
	const struct profile *p = r->p;

	text_add(r, "HISTORY AND PHYSICAL\n\nChief complaint: %s.\n\n", p->complaint);
	text_add(r, "History of present illness: %d-year-old %s admitted to %s.\nPast medical history: ",
		 r->c->age, person(r), r->service);
	list_problems(r);
	text_add(r, ".\nMedications: ");
	list_meds(r);
	text_add(r, ".\nAllergies: ");
	list_allergies(r);
	text_add(r, ".\n\nExamination: ");
	signs_text(r, moment_of(r, r->adm));
	text_add(r, ". %s.\n\nAssessment: %s.\nPlan: %s.\n", p->exam, p->assessment, p->plan);
}

static void note_progress(struct run *r)
{
	text_add(r, "PROGRESS NOTE, hospital day 2\n\nSubjective: feels better than on admission; slept"
		    " through the night.\nObjective: ");
	signs_text(r, moment_of(r, r->adm) + 1);
	text_add(r, ".\nAssessment: %s, improving.\nPlan: continue the current treatment; %s.\n",
		 r->p->admit_dx.text, r->pl.adm == ADM_OPEN ? "mobilise; diet as tolerated" : "plan discharge");
}

static void note_discharge(struct run *r)
{
	char in[24], out[24];

	minute(r->adm_t, in);
	minute(r->dis_t, out);
	in[10] = out[10] = '\0';
	text_add(r, "DISCHARGE SUMMARY\n\nAdmitted: %s  Discharged: %s\nDisposition: %s (%s)\n\n"
		    "Principal diagnosis: %s (%s)\nHospital course: %s.\n\nDischarge medications: ",
		 in, out, discharge_status_label(r->pl.status), r->pl.status, r->p->admit_dx.text,
		 r->p->admit_dx.icd, r->p->course);
	list_meds(r);
	text_add(r, ".\nFollow-up: %s clinic in two weeks.\n", r->clinic);
}

static void note_visit(struct run *r, int64_t enc)
{
	text_add(r, "OUTPATIENT VISIT (%s)\n\nReason for visit: follow-up.\nProblems: ", r->clinic);
	list_problems(r);
	text_add(r, ".\nVitals: ");
	signs_text(r, moment_of(r, enc));
	text_add(r, ".\n\nAssessment and plan: %s.\n", r->p->visit);
}

static void note_ed(struct run *r)
{
	text_add(r, "EMERGENCY DEPARTMENT NOTE\n\nChief complaint: %s.\n\nExamination: ", r->p->complaint);
	signs_text(r, moment_of(r, r->ed));
	text_add(r, ". %s.\n\nAssessment: %s.\nTreatment: %s.\nDisposition: improved after four hours;"
		    " home with a written plan and follow-up in the %s clinic in one week.\n",
		 r->p->exam, r->p->assessment, r->p->plan, r->clinic);
}

static void note_letter(struct run *r)
{
	text_add(r, "CONSULTATION LETTER\n\nTo: Family Medicine\nFrom: %s clinic\n\nDear colleague,\n\n"
		    "Thank you for asking me to see this %d-year-old %s.\n\nProblems: ", r->clinic, r->c->age,
		 person(r));
	list_problems(r);
	text_add(r, ".\n\nFindings: ");
	signs_text(r, moment_of(r, r->visit[r->nvisits - 1]));
	text_add(r, "; results since the admission reviewed.\n\nAssessment and recommendations: %s.\n\n"
		    "With best wishes.\n", r->p->visit);
}

static void note_psych(struct run *r)
{
	text_add(r, "PSYCHOTHERAPY NOTE\n\nSession 6 of 12, cognitive behavioural therapy, 50 minutes.\n\n"
		    "Focus: worry about work performance and early waking.\nInterventions: cognitive restructuring"
		    " of catastrophic predictions; graded activity schedule reviewed.\nResponse: engaged; completed"
		    " the homework; PHQ-9 9 (was 14), GAD-7 8.\nRisk: no thoughts of self-harm.\nPlan: continue"
		    " weekly; behavioural experiment at the next team meeting.\n");
}

/* Files the text now in r->text as a document; *id gets its number. */
static int file_note(struct run *r, struct grant *g, enum doc_type type, int64_t enc, int64_t *id)
{
	struct document_new d = { .type = type, .author = DOCTOR, .encounter_id = enc };
	int rc = document_create(g, &d, r->text, r->len, id, r->e);

	text_reset(r);
	return rc;
}

static void sign_later(struct run *r, int64_t id)
{
	if (r->pl.sign && r->nsign < SIGNS_MAX)
		r->to_sign[r->nsign++] = id;
}

/* The technician types what the doctor dictated: "unverified" until signed. */
static int chart_transcribe(struct run *r, struct grant *g)
{
	int rc = FOLIO_OK;

	if (r->adm && r->pl.adm != ADM_OPEN) {
		note_discharge(r);
		if ((rc = file_note(r, g, DOC_DISCHARGE, r->adm, &r->ds)))
			return rc;
	}
	if (r->adm && r->pl.adm == ADM_OPEN) {
		note_hp(r);
		if ((rc = file_note(r, g, DOC_HP, r->adm, &r->hp)))
			return rc;
	}
	for (int i = 0; i < r->nvisits && rc == FOLIO_OK; i++)
		if ((i + (int)r->h) % 2) {
			note_visit(r, r->visit[i]);
			rc = file_note(r, g, DOC_PROGRESS, r->visit[i], &r->vnote[i]);
		}
	return rc;
}

/* The doctor types their own: "unsigned" until signed. */
static int chart_write(struct run *r, struct grant *g)
{
	int64_t id;
	int rc = FOLIO_OK;

	if (r->adm && r->pl.adm != ADM_OPEN) {
		note_hp(r);
		if ((rc = file_note(r, g, DOC_HP, r->adm, &r->hp)))
			return rc;
		sign_later(r, r->hp);
	}
	if (r->ds)
		sign_later(r, r->ds);
	if (r->adm) {
		note_progress(r);
		if ((rc = file_note(r, g, DOC_PROGRESS, r->adm, &r->progress)))
			return rc;
	}
	if (r->ed) {
		note_ed(r);
		if ((rc = file_note(r, g, DOC_PROGRESS, r->ed, &r->ednote)))
			return rc;
		sign_later(r, r->ednote);
	}
	for (int i = 0; i < r->nvisits && rc == FOLIO_OK; i++)
		if (!r->vnote[i]) {
			note_visit(r, r->visit[i]);
			rc = file_note(r, g, DOC_PROGRESS, r->visit[i], &r->vnote[i]);
		}
	if (rc == FOLIO_OK && r->pl.letter && r->nvisits) {
		note_letter(r);
		if ((rc = file_note(r, g, DOC_LETTER, r->visit[r->nvisits - 1], &id)) == FOLIO_OK)
			sign_later(r, id);
	}
	if (rc == FOLIO_OK && r->pl.psych && r->nvisits) {
		note_psych(r);
		if ((rc = file_note(r, g, DOC_PSYCHOTHERAPY, r->visit[r->nvisits - 1], &id)) == FOLIO_OK)
			sign_later(r, id);
	}
	return rc;
}

static int chart_sign(struct run *r, struct grant *g)
{
	static const char code[] = DEMO_DOCTOR_SIGNATURE_CODE;
	char status[16];
	int rc = FOLIO_OK;

	for (size_t i = 0; i < r->nsign && *r->signs_left > 0 && rc == FOLIO_OK; i++) {
		rc = document_sign(g, r->to_sign[i], code, sizeof code - 1, status, r->e);
		(*r->signs_left)--;
		if (r->to_sign[i] == r->ds)
			r->ds_signed = 1;
	}
	return rc;
}

/* A later thought on the signed discharge summary; left for the doctor to
 * sign. */
static int chart_addend(struct run *r, struct grant *g)
{
	int64_t id;
	int rc;

	text_add(r, "ADDENDUM: blood cultures from the admission were reported negative at five days."
		    " No change to the discharge plan; chest X-ray in six weeks to confirm resolution.\n");
	rc = document_addend(g, r->ds, NULL, r->text, r->len, &id, r->e);
	text_reset(r);
	return rc;
}

static int chart_review(struct run *r, struct grant *g)
{
	int rc = FOLIO_OK;

	for (size_t i = 0; i < r->nreview && rc == FOLIO_OK; i++)
		rc = apply(r, g, CLIN_RESULT, "review", r->result[i]);
	return rc;
}

/* The admission coded as a technician would after discharge: the reason
 * for admission as principal, the standing problems as secondaries present
 * on admission, and for appendicitis the appendectomy.  Grouped when the
 * demo was made with code sets (else grouped on first save). */
static int chart_code(struct run *r, struct grant *g)
{
	struct coding *c = coding_new();
	struct coding_context ctx;
	int rc;

	if (!c)
		return err_set(r->e, FOLIO_EFAIL, "out of secure memory");
	rc = coding_load(g, r->adm, c, &ctx, r->e);
	if (rc == FOLIO_OK)
		rc = coding_set_pdx(c, r->p->admit_dx.icd, r->e);
	for (size_t i = 0; i < ARRAY_SIZE(r->p->dx) && rc == FOLIO_OK; i++) {
		char code[DRG_CODE_MAX];
		if (!r->p->dx[i].icd || coding_code_norm(r->p->dx[i].icd, code, NULL) != FOLIO_OK ||
		    strcmp(code, c->pdx) == 0 || coding_find(c, CODING_SDX, code) >= 0)
			continue;
		rc = coding_add_sdx(c, code, "Y", r->e);
	}
	if (rc == FOLIO_OK && strcmp(c->pdx, "K3580") == 0)
		rc = coding_add_proc(c, "0DTJ4ZZ", ctx.admitted, r->e); /* laparoscopic appendectomy */
	if (rc == FOLIO_OK)
		rc = coding_save(g, c, &ctx, r->e);
	coding_free(c);
	return rc;
}

/* The visits of a month ago and more coded as the clinic's coder would:
 * the standing condition as principal diagnosis.  The last visit (a week
 * ago) waits, so the queue shows a visit not yet coded and not yet
 * delinquent. */
static int chart_code_visits(struct run *r, struct grant *g)
{
	struct coding *c = coding_new();
	struct coding_context ctx;
	int64_t ids[4];
	size_t n = 0;
	int rc = FOLIO_OK;

	if (!c)
		return err_set(r->e, FOLIO_EFAIL, "out of secure memory");
	for (int i = 0; i + 1 < r->nvisits; i++)
		ids[n++] = r->visit[i];
	if (r->ed)
		ids[n++] = r->ed;
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++) {
		rc = coding_load(g, ids[i], c, &ctx, r->e);
		if (rc == FOLIO_OK)
			rc = coding_set_pdx(c, r->p->dx[0].icd, r->e);
		if (rc == FOLIO_OK)
			rc = coding_save(g, c, &ctx, r->e);
	}
	coding_free(c);
	return rc;
}

/* ---- the charts ------------------------------------------------------- */

static int as_user(struct run *r, struct session *s, enum action a, const char *otype,
		   int (*fn)(struct run *, struct grant *))
{
	struct grant *g;
	int rc = access_begin(s, a, r->c->mrn, otype, NULL, &g, r->e);

	return rc ? rc : access_end(g, fn(r, g), r->e);
}

/* The plan of the k-th synthetic chart: a profile that fits the age, and
 * a few charts that show what the fixed ones do not. */
static void plan_synthetic(struct run *r, int k)
{
	static const char *const statuses[] = { "01", "01", "06", "03", "01", "62", "01", "81" };
	struct plan *pl = &r->pl;
	uint32_t h = r->h;
	int fit[P_COUNT], nfit = 0;

	for (int i = 0; i < P_COUNT; i++)
		if (profiles[i].min_age <= r->c->age && r->c->age <= profiles[i].max_age)
			fit[nfit++] = i;
	memset(pl, 0, sizeof *pl);
	pl->profile = nfit ? fit[h % (uint32_t)nfit] : P_WELL;
	pl->visits = 1 + (int)(h >> 4 & 3) % 3;
	pl->ed = (h >> 8) % 6 == 0;
	if ((h >> 11) % 3 == 0)
		pl->adm = ADM_DISCHARGED;
	pl->adm = k == 1 ? ADM_OPEN : k == 4 ? ADM_TRANSFERRED : pl->adm;
	pl->status = r->c->age < 18 ? "01" : statuses[h >> 14 & 7];
	pl->cancelled = k == 6;
	pl->today = k == 0 ? 2 : (k == 3 || k == 8);
	switch (h >> 17 & 3) {
	case 0:
		pl->allergies = NOT_ASSESSED;
		break;
	case 1:
		pl->allergies = NKA;
		break;
	default:
		pl->allergies = 1 << (h >> 19) % ARRAY_SIZE(allergens);
		if ((h >> 22 & 3) == 0)
			pl->allergies |= 1 << (h >> 24) % ARRAY_SIZE(allergens);
	}
	pl->sign = pl->adm != ADM_NONE;
}

/* One chart, in the order a clinic works: the technician registers the
 * encounters (and today's check-in), enters the clinical data and types
 * dictations; the doctor writes, signs, adds to a signed summary and reviews
 * results.  Each step is one audited grant on the chart. */
static int chart_fill(struct run *r)
{
	struct session *te = r->tech, *dr = r->doctor;
	int rc;

	if ((rc = as_user(r, te, ACT_ENCOUNTER_EDIT, "encounter", chart_encounters)))
		return rc;
	if (r->pl.today && (rc = as_user(r, te, ACT_CHECKIN, "encounter", chart_checkin)))
		return rc;
	if (r->pl.today == 2 && (rc = as_user(r, te, ACT_ENCOUNTER_EDIT, "encounter", chart_seen)))
		return rc;
	if ((r->pl.adm == ADM_DISCHARGED || r->pl.adm == ADM_TRANSFERRED) &&
	    (rc = as_user(r, te, ACT_CODE_ASSIGN, "encounter", chart_code)))
		return rc;
	if ((r->nvisits > 1 || r->ed) && (rc = as_user(r, te, ACT_CODE_ASSIGN, "encounter", chart_code_visits)))
		return rc;
	if ((rc = as_user(r, te, ACT_CLINICAL_ENTER, "item", chart_clinical)) ||
	    (rc = as_user(r, te, ACT_NOTE_WRITE, "document", chart_transcribe)) ||
	    (rc = as_user(r, dr, ACT_NOTE_WRITE, "document", chart_write)))
		return rc;
	if (r->nsign && *r->signs_left > 0 && (rc = as_user(r, dr, ACT_NOTE_SIGN, "document", chart_sign)))
		return rc;
	if (r->pl.addendum && r->ds_signed && (rc = as_user(r, dr, ACT_NOTE_WRITE, "document", chart_addend)))
		return rc;
	return r->nreview ? as_user(r, dr, ACT_CLINICAL_ENTER, "item", chart_review) : FOLIO_OK;
}

int demo_charts(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		struct folio_err *e)
{
	struct clinical_item *it = clinical_items_new(1);
	char *text = smem_alloc(TEXT_MAX);
	struct run *r = smem_alloc(sizeof *r);
	int signs_left = SIGN_MAX, synthetic = 0, rc = FOLIO_OK;

	if (!it || !text || !r)
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++) {
		if (c[i].story == DEMO_STORY_NONE)
			continue;
		memset(r, 0, sizeof *r);
		*r = (struct run){ .tech = tech, .doctor = doctor, .c = &c[i], .signs_left = &signs_left, .e = e,
				   .it = it, .text = text };
		if (c[i].story == DEMO_STORY_SYNTHETIC) {
			r->h = mix((uint32_t)synthetic + 0x5eed);
			plan_synthetic(r, synthetic++);
		} else {
			r->h = mix((uint32_t)c[i].story);
			r->pl = fixed_plans[c[i].story];
		}
		r->p = &profiles[r->pl.profile];
		r->clinic = c[i].age < 18 ? "Pediatrics" : r->p->clinic;
		r->service = c[i].age < 18 ? "pediatrics" : r->p->service;
		rc = chart_fill(r);
	}
	clinical_items_free(it, 1);
	smem_free(text);
	smem_free(r);
	return rc;
}
