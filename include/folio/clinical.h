/* folio — the clinical data of the chart (src/core/clinical*.c, vitals.c):
 * vitals, allergies and the "no known allergies" assertion, problems,
 * medications and prescriptions, results, procedures.
 *
 * One table of field descriptors per kind drives everything: what a value
 * may be (its check normalises what was typed: 154lb is stored as 69.9 kg),
 * the serialised body, the command-line options and the interface forms.
 * Each item is one row of clinical_items whose fields are all sealed in one
 * envelope under the clinical key (associated data "clinical_items.body:ID");
 * only the patient, encounter, kind, status, who and when stay plain.
 *
 * Memory: items hold decrypted values: make them with clinical_items_new()
 * (guarded) and free them with clinical_items_free() (wipes).  Reads run
 * under an ACT_CHART_VIEW grant, changes under ACT_CLINICAL_ENTER, on the
 * grant's patient.  Messages never echo a typed or stored value.
 */
#ifndef FOLIO_CLINICAL_H
#define FOLIO_CLINICAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

enum clinical_kind {
	CLIN_VITALS,
	CLIN_ALLERGY,
	CLIN_PROBLEM,
	CLIN_MED,
	CLIN_RESULT,
	CLIN_PROCEDURE,
	CLIN_NKA,        /* "no known allergies": listed with the allergies */
	CLIN_KINDS
};
/* The kinds with a section (a list screen and a command) of their own. */
#define CLIN_SECTIONS CLIN_NKA

#define CLIN_FIELDS_MAX 12
#define CLIN_VALUE_MAX 256 /* imported texts: SNOMED and LOINC names run to ~190 */
#define CLIN_STATUS_MAX 20

/* The fields of each kind, in the order of its table.  The body stores
 * them by name, so fields may be added; never renamed. */
enum { VF_TAKEN, VF_WEIGHT, VF_HEIGHT, VF_BMI, VF_BP, VF_PULSE, VF_TEMP, VF_RESP, VF_SPO2, VF_PAIN,
       VF_COUNT };
enum { AF_ALLERGEN, AF_TYPE, AF_SEVERITY, AF_REACTION, AF_SNOMED, AF_COUNT };
enum { PRF_TEXT, PRF_ICD, PRF_ONSET, PRF_RESOLVED, PRF_SNOMED, PRF_COUNT };
enum { MF_DRUG, MF_DOSE, MF_ROUTE, MF_FREQUENCY, MF_START, MF_STOP, MF_PRESCRIBER, MF_RXNORM, MF_COUNT };
enum { RF_TEST, RF_LOINC, RF_VALUE, RF_UNITS, RF_RANGE, RF_FLAG, RF_COLLECTED, RF_REPORTED,
       RF_REVIEWED_BY, RF_REVIEWED_AT, RF_COUNT };
enum { PCF_TEXT, PCF_CODE, PCF_SYSTEM, PCF_DATE, PCF_REASON, PCF_COUNT };

struct clinical_field;
/* Checks a typed value and writes its stored form into out (cap bytes);
 * FOLIO_EUSAGE with the rule (never the value) when it is refused. */
typedef int clinical_check_fn(const struct clinical_field *f, const char *in, char *out, size_t cap,
			      struct folio_err *e);
/* The stored value in the other unit system ("69.9" kg -> "154.1" lb). */
typedef void clinical_alt_fn(const char *stored, char *out, size_t cap);

enum clinical_field_flags {
	CF_REQUIRED = 1 << 0,  /* an item needs it */
	CF_INPUT = 1 << 1,     /* typed (an option, a form question); else set by folio */
	CF_WHEN = 1 << 2,      /* the item's time for sorting (else recorded_at) */
};

struct clinical_field {
	const char *name;      /* serialised key and TSV column: "weight_kg" */
	const char *option;    /* command-line option without "--": "weight"; NULL if not typed */
	const char *label;     /* "Weight" */
	const char *unit;      /* stored unit for display ("kg"), "" none */
	size_t max;            /* longest value accepted as typed */
	const char *help;      /* for ? in forms and `folio KIND fields` */
	clinical_check_fn *check; /* NULL: plain text */
	const void *arg;       /* the check's table (choices, measure) */
	const char *alt_name;  /* the other unit's column ("weight_lb"), or NULL */
	const char *alt_unit;  /* "lb" */
	clinical_alt_fn *alt;
	int width;             /* column on the list screen; 0 not shown there */
	unsigned flags;
	const char *def;       /* the form's default (Enter takes it), or NULL */
};

struct clinical_item {
	int64_t id;            /* 0 until saved */
	int64_t encounter_id;  /* 0 for none */
	int64_t row_version;   /* for stale-edit refusal */
	int kind;              /* enum clinical_kind */
	char status[CLIN_STATUS_MAX];
	char recorded_at[24];  /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
	char recorded_by[40];
	char v[CLIN_FIELDS_MAX][CLIN_VALUE_MAX];
};

/* ---- kinds and fields ----------------------------------------------- */
const char *clinical_kind_name(int kind);    /* stored kind: "medication" */
const char *clinical_kind_command(int kind); /* command word: "med" */
const char *clinical_kind_title(int kind);   /* "Medications" */
const char *clinical_kind_statuses(int kind); /* "active|stopped|completed" */
/* The kind of a command word or stored name, or -1. */
int clinical_kind_parse(const char *word);
size_t clinical_field_count(int kind);
/* The i-th field of a kind, or NULL past the end. */
const struct clinical_field *clinical_field(int kind, size_t i);
/* The index of the field typed as --option, or -1. */
int clinical_field_by_option(int kind, const char *option);
/* The index of the field named name, or -1. */
int clinical_field_by_name(int kind, const char *name);

/* Status changes: "resolve" a problem, "stop" a medication, "review" a
 * result ...  Each names the statuses it starts from, the one it sets, the
 * key of the interface and what it stamps (today, the user, the time). */
struct clinical_op {
	int kind;
	const char *verb;      /* command word: "resolve" */
	const char *label;     /* "Resolve" */
	int key;               /* 'R' on the list screen */
	const char *from;      /* "active|inactive" */
	const char *to;        /* "resolved" */
	const char *help;
	int date_field;        /* set to today when empty (-1 none) */
	int user_field;        /* set to the user (-1 none) */
	int time_field;        /* set to now (-1 none) */
};
size_t clinical_op_count(void);
const struct clinical_op *clinical_op_at(size_t i);
/* The op of a kind by command word, or NULL. */
const struct clinical_op *clinical_op_find(int kind, const char *verb);

/* ---- items ------------------------------------------------------------ */
/* Guarded, zeroed array of n items (NULL when out of memory); free with
 * clinical_items_free(it, n), which wipes. */
struct clinical_item *clinical_items_new(size_t n);
void clinical_items_free(struct clinical_item *it, size_t n);
/* Empties it and makes it a new item of kind (its first status). */
void clinical_item_init(struct clinical_item *it, int kind);

/* Sets field i of it from typed text (trimmed; "" clears it).  Changes
 * nothing and returns FOLIO_EUSAGE with "Label: rule" when refused. */
int clinical_set(struct clinical_item *it, size_t i, const char *value, struct folio_err *e);
/* Before a save: required fields, rules across fields (a stop date before
 * the start, a report before the collection, weight and height that make
 * no body), defaults (a vitals time, a report time) and what is computed
 * (BMI, a result's flag from its range).  FOLIO_EUSAGE when refused. */
int clinical_complete(struct clinical_item *it, struct folio_err *e);
/* Unusual values the user should see (the item is still saved): up to max
 * lines of at most 120 bytes, no values in them; returns the count. */
int clinical_warnings(const struct clinical_item *it, char warnings[][120], int max);
/* One line for lists and headers ("PENICILLIN (severe)", "BP 120/80 ..."). */
void clinical_item_line(const struct clinical_item *it, char *out, size_t cap);

/* ---- the chart ------------------------------------------------------ */
/* Saves a new item for the grant's patient (ACT_CLINICAL_ENTER): runs
 * clinical_complete(), checks the encounter is this patient's and a
 * prescriber is a user; sets it->id, recorded_*, row_version.  An active
 * allergy supersedes the patient's "no known allergies" assertion. */
int clinical_add(struct grant *g, struct clinical_item *it, struct folio_err *e) MUST_CHECK;
/* Asserts "no known allergies" (ACT_CLINICAL_ENTER); refused while an
 * allergy is active.  *id gets the assertion's item id. */
int clinical_nka(struct grant *g, int64_t *id, struct folio_err *e) MUST_CHECK;
/* The items of one section, newest first (ACT_CHART_VIEW or
 * ACT_CLINICAL_ENTER); allergies come with the NKA assertions.  At most max
 * into rows (the newest by entry when there are more); *n written, *total
 * how many there are. */
int clinical_list(struct grant *g, int kind, struct clinical_item *rows, size_t max, size_t *n,
		  size_t *total, struct folio_err *e);
/* One item of the grant's patient (FOLIO_ENOTFOUND when it is not). */
int clinical_get(struct grant *g, int64_t id, struct clinical_item *it, struct folio_err *e) MUST_CHECK;
/* Runs the change verb ("resolve") on item id of section kind
 * (ACT_CLINICAL_ENTER); the item's own kind picks the op (an NKA assertion
 * in the allergies).  expect_version is the row version the user read (0:
 * the current one); FOLIO_ESTALE when the item changed since, and nothing
 * is saved.  out (may be NULL) gets the item as saved. */
int clinical_apply(struct grant *g, int section, const char *verb, int64_t id, int64_t expect_version,
		   struct clinical_item *out, struct folio_err *e) MUST_CHECK;

/* The allergy line of the chart header (ACT_CHART_VIEW): "ALLERGIES:
 * PENICILLIN (severe), LATEX", "No known allergies (NKA, by USER DATE)" or
 * "Allergies not assessed".  *active gets the number of active allergies
 * (may be NULL). */
int clinical_allergy_banner(struct grant *g, char *out, size_t cap, int *active, struct folio_err *e);
/* The latest vitals as one line ("" when none) (ACT_CHART_VIEW). */
int clinical_vitals_latest(struct grant *g, char *out, size_t cap, struct folio_err *e);

/* ---- checks and conversions (pure) ---------------------------------- */
/* ICD-10-CM shape: letter, digit, letter or digit, then optionally a dot and
 * one to four letters or digits ("E11.9", "S72.001A"; "E119" becomes
 * "E11.9"); out gets the upper-case dotted form.  0 or -1. */
int clinical_icd_normalize(const char *in, char out[16]);
/* LOINC code "NNNNN-N" (1 to 7 digits) with its mod-10 check digit right.
 * 0 or -1. */
int clinical_loinc_valid(const char *code);
/* BMI in tenths from weight in tenths of a kg and height in tenths of a
 * cm, rounded half up; -1 when either is not positive. */
int64_t vitals_bmi10(int64_t kg10, int64_t cm10);
/* Decimal text ("70", "69.9", ".5") into thousandths; -1 when it is not an
 * unsigned decimal with at most three decimals. */
int64_t vitals_milli(const char *s, size_t n);

#endif
