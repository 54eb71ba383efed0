/* folio — what the clinical modules share inside src/core: the checks of
 * the field tables (vitals.c, clinical_check.c) and the body format. */
#ifndef FOLIO_CLINICAL_INTERNAL_H
#define FOLIO_CLINICAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/clinical.h"

/* Largest serialised body: every field at its longest with its name. */
#define CLIN_BODY_MAX (1 + CLIN_FIELDS_MAX * (24 + CLIN_VALUE_MAX))

/* ---- vitals.c: measures with units ----------------------------------- */
struct vitals_unit {
	const char *names;      /* spellings, '|' between: "lb|lbs|pound|pounds" */
	int64_t num, den;       /* stored = (typed thousandths + off) * num / den */
	int64_t off;
};

struct vitals_measure {
	const struct vitals_unit *units; /* the first is the stored unit, taken for a bare number */
	size_t nunits;
	int tenths;             /* stored with one decimal, else whole numbers */
	int feet;               /* also takes 5'9" and 5 ft 9 in */
	int64_t lo, hi;         /* plausible, in stored units (tenths when tenths) */
	int64_t warn_lo, warn_hi; /* usual: outside them is warned */
	const char *rule;       /* the refusal: "between 0.2 and 700 kg; pounds as 154lb" */
	const char *low, *high; /* the warnings: "Weight under 2 kg" */
};

clinical_check_fn vitals_check_measure; /* arg: a struct vitals_measure */
clinical_check_fn vitals_check_bp;
clinical_alt_fn vitals_kg_to_lb;
clinical_alt_fn vitals_cm_to_in;
clinical_alt_fn vitals_c_to_f;
extern const struct vitals_measure vitals_weight, vitals_height, vitals_pulse, vitals_temp,
	vitals_resp, vitals_spo2, vitals_pain;
/* A stored measure ("69.9", "72") in its stored scale; -1 when empty. */
int64_t vitals_stored(const char *v, int tenths);
/* Formats a scaled value (tenths or whole) into out. */
void vitals_format(int64_t x, int tenths, char *out, size_t cap);
/* Vitals rules across fields (at least one measure; weight and height that
 * make a body) and BMI. */
int vitals_complete(struct clinical_item *it, struct folio_err *e);
/* Unusual vitals into w (from *n up to max). */
void vitals_warnings(const struct clinical_item *it, char w[][120], int max, int *n);

/* ---- clinical_check.c: the other checks ------------------------------ */
clinical_check_fn clin_check_choice;    /* arg: "a|b|c"; a unique prefix is taken */
clinical_check_fn clin_check_date;      /* any date */
clinical_check_fn clin_check_past_date; /* a date not after today */
clinical_check_fn clin_check_time;      /* a date and time not in the future */
clinical_check_fn clin_check_icd;
clinical_check_fn clin_check_loinc;
clinical_check_fn clin_check_range;
clinical_check_fn clin_check_user;
/* Now as "YYYY-MM-DDTHH:MM" (UTC). */
void clin_now_minute(char out[17]);
/* A result's flag from its value and reference range: "H", "L", "N", or ""
 * when either is not numeric. */
const char *clin_range_flag(const char *value, const char *range);

/* ---- clinical_fields.c ------------------------------------------------ */
/* 1 when status is one of the '|'-separated words of set. */
int clin_word_in(const char *status, const char *set);

/* Item id of patient row pid into it, under any grant the caller has
 * already checked (the de-identified extract spans charts). */
int clinical_item_stored(struct grant *g, int64_t pid, int64_t id, struct clinical_item *it,
			 struct folio_err *e);

/* ---- body ------------------------------------------------------------ */
/* 1 when a procedure's code system is SNOMED CT under any of the names
 * people give it ("" is the default, SNOMED CT). */
int clinical_snomed_system(const char *system);

/* Serialises the fields of it into out (CLIN_BODY_MAX); returns length. */
size_t clinical_serialize(const struct clinical_item *it, uint8_t *out);
/* Fills the fields of it (its kind set) from a body; -1 when malformed. */
int clinical_deserialize(const uint8_t *in, size_t len, struct clinical_item *it);

#endif
