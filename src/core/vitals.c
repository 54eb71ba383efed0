/* folio — vital signs: typed values in either unit system into the one
 * stored (metric) form, what is refused as implausible and what is only
 * warned as unusual, BMI, and the other unit for display.
 *
 * Arithmetic is in integers (thousandths typed, tenths stored) so that
 * 98.6F is 37.0 C and a half rounds up the same way on every machine.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "clinical_internal.h"

/* Stored = (typed thousandths + off) * num / den, rounded half away from 0. */
static const struct vitals_unit kg_units[] = {
	{ "kg|kgs|kilo|kilos|kilogram|kilograms", 1, 100, 0 },
	{ "lb|lbs|pound|pounds|#", 45359237, INT64_C(10000000000), 0 },
};
static const struct vitals_unit cm_units[] = {
	{ "cm|cms|centimeter|centimeters|centimetre|centimetres", 1, 100, 0 },
	{ "in|ins|inch|inches|\"", 254, 10000, 0 },
	{ "m|meter|meters|metre|metres", 1, 1, 0 },
};
static const struct vitals_unit c_units[] = {
	{ "c|celsius", 1, 100, 0 },
	{ "f|fahrenheit", 1, 180, -32000 },
};
static const struct vitals_unit per_min[] = { { "/min|bpm|per min", 1, 1000, 0 } };
static const struct vitals_unit percent[] = { { "%", 1, 1000, 0 } };
static const struct vitals_unit scale[] = { { "/10", 1, 1000, 0 } };

const struct vitals_measure vitals_weight = {
	kg_units, ARRAY_SIZE(kg_units), 1, 0, 2, 7000, 20, 2500,
	"between 0.2 and 700 kg; pounds as 154lb", "Weight under 2 kg", "Weight over 250 kg"
};
const struct vitals_measure vitals_height = {
	cm_units, ARRAY_SIZE(cm_units), 1, 1, 200, 2750, 450, 2200,
	"between 20 and 275 cm; inches as 69in or 5'9\"", "Height under 45 cm", "Height over 220 cm"
};
const struct vitals_measure vitals_pulse = {
	per_min, ARRAY_SIZE(per_min), 0, 0, 20, 300, 40, 130,
	"a whole number of beats a minute, 20 to 300", "Pulse under 40/min", "Pulse over 130/min"
};
const struct vitals_measure vitals_temp = {
	c_units, ARRAY_SIZE(c_units), 1, 0, 250, 450, 350, 379,
	"between 25 and 45 C; Fahrenheit as 98.6F", "Temperature under 35 C (hypothermia)",
	"Temperature 38 C or more (fever)"
};
const struct vitals_measure vitals_resp = {
	per_min, ARRAY_SIZE(per_min), 0, 0, 3, 100, 10, 30,
	"a whole number of breaths a minute, 3 to 100", "Respiratory rate under 10/min",
	"Respiratory rate over 30/min"
};
const struct vitals_measure vitals_spo2 = {
	percent, ARRAY_SIZE(percent), 0, 0, 40, 100, 92, 100,
	"a whole percentage, 40 to 100", "SpO2 under 92%", NULL
};
const struct vitals_measure vitals_pain = {
	scale, ARRAY_SIZE(scale), 0, 0, 0, 10, 0, 10, "a whole number from 0 (none) to 10 (worst)", NULL, NULL
};

#define BP_SYS_LO 40
#define BP_SYS_HI 300
#define BP_DIA_LO 10
#define BP_DIA_HI 200
/* BMI (tenths) outside this is a weight or height in the wrong unit. */
#define BMI_LO 50
#define BMI_HI 2000
#define BMI_WARN_LO 120
#define BMI_WARN_HI 600

static int64_t round_div(int64_t num, int64_t den)
{
	return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

int64_t vitals_milli(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0, ints = 0, decs = 0;

	for (; i < n && isdigit((unsigned char)s[i]); i++, ints++) {
		if (ints >= 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdigit((unsigned char)s[i]); i++, decs++) {
			if (decs >= 3)
				return -1;
			v = v * 10 + (s[i] - '0');
		}
	}
	if (i != n || ints + decs == 0)
		return -1;
	for (; decs < 3; decs++)
		v *= 10;
	return v;
}

/* Length of the number at the start of s. */
static size_t number_len(const char *s)
{
	return strspn(s, "0123456789.");
}

static const char *skip_space(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* 1 when the unit text u (n bytes) is one of the spellings in names. */
static int unit_is(const char *names, const char *u, size_t n)
{
	while (*names) {
		size_t len = strcspn(names, "|");
		if (len == n && strncasecmp(names, u, n) == 0)
			return 1;
		names += len + (names[len] == '|');
	}
	return 0;
}

/* The unit of the text after a number ("" is the stored unit); NULL when
 * unknown.  A degree sign before it is allowed. */
static const struct vitals_unit *unit_of(const struct vitals_measure *m, const char *s)
{
	size_t n;

	s = skip_space(s);
	if (!strncmp(s, "\xc2\xb0", 2))
		s += 2;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return &m->units[0];
	for (size_t i = 0; i < m->nunits; i++)
		if (unit_is(m->units[i].names, s, n))
			return &m->units[i];
	return NULL;
}

/* 5'9", 5' 9, 5ft 9in, 5 ft: feet and inches into thousandths of an inch;
 * 0 when s is that form, -1 when it is not. */
static int feet_inches(const char *s, int64_t *inch_milli)
{
	size_t n = number_len(s);
	int64_t ft = vitals_milli(s, n), in = 0;
	const char *p = skip_space(s + n);

	if (ft < 0)
		return -1;
	if (*p == '\'')
		p++;
	else if (!strncasecmp(p, "ft", 2))
		p += 2;
	else
		return -1;
	p = skip_space(p);
	if (*p) {
		n = number_len(p);
		if ((in = vitals_milli(p, n)) < 0)
			return -1;
		p = skip_space(p + n);
		if (*p == '"')
			p++;
		else if (!strncasecmp(p, "in", 2))
			p += 2;
		if (*skip_space(p))
			return -1;
	}
	*inch_milli = ft * 12 + in;
	return 0;
}

void vitals_format(int64_t x, int tenths, char *out, size_t cap)
{
	if (tenths)
		snprintf(out, cap, "%s%" PRId64 ".%" PRId64, x < 0 ? "-" : "", (x < 0 ? -x : x) / 10,
			 (x < 0 ? -x : x) % 10);
	else
		snprintf(out, cap, "%" PRId64, x);
}

int64_t vitals_stored(const char *v, int tenths)
{
	int64_t m;

	if (!v || !*v)
		return -1;
	m = vitals_milli(v, strlen(v));
	return m < 0 ? -1 : m / (tenths ? 100 : 1000);
}

int vitals_check_measure(const struct clinical_field *f, const char *in, char *out, size_t cap,
			 struct folio_err *e)
{
	const struct vitals_measure *m = f->arg;
	const struct vitals_unit *u = NULL;
	int64_t milli, x;
	size_t n = number_len(in);

	if (in[0] == '-')
		return err_set(e, FOLIO_EUSAGE, "%s: a positive number, %s", f->label, m->rule);
	if (m->feet && feet_inches(in, &milli) == 0) {
		u = &m->units[1]; /* inches */
	} else {
		milli = vitals_milli(in, n);
		u = unit_of(m, in + n);
	}
	if (milli < 0 || !u)
		return err_set(e, FOLIO_EUSAGE, "%s: %s", f->label, m->rule);
	if (!m->tenths && (u->den == 1000 && milli % 1000 != 0))
		return err_set(e, FOLIO_EUSAGE, "%s: %s", f->label, m->rule);
	x = round_div((milli + u->off) * u->num, u->den);
	if (x < m->lo || x > m->hi)
		return err_set(e, FOLIO_EUSAGE, "%s: %s", f->label, m->rule);
	vitals_format(x, m->tenths, out, cap);
	return FOLIO_OK;
}

/* "120/80" into its two numbers; 0 or -1. */
static int bp_split(const char *s, int64_t *sys, int64_t *dia)
{
	size_t n = strspn(s, "0123456789");
	const char *p;

	if (n == 0 || n > 4)
		return -1;
	*sys = vitals_milli(s, n) / 1000;
	p = skip_space(s + n);
	if (*p++ != '/')
		return -1;
	p = skip_space(p);
	n = strspn(p, "0123456789");
	if (n == 0 || n > 4)
		return -1;
	*dia = vitals_milli(p, n) / 1000;
	p = skip_space(p + n);
	if (!strncasecmp(p, "mmhg", 4))
		p += 4;
	return *skip_space(p) ? -1 : 0;
}

int vitals_check_bp(const struct clinical_field *f, const char *in, char *out, size_t cap,
		    struct folio_err *e)
{
	int64_t sys, dia;

	if (bp_split(in, &sys, &dia) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: systolic/diastolic in whole mmHg, e.g. 120/80", f->label);
	if (sys < BP_SYS_LO || sys > BP_SYS_HI)
		return err_set(e, FOLIO_EUSAGE, "%s: the systolic pressure must be %d to %d mmHg", f->label,
			       BP_SYS_LO, BP_SYS_HI);
	if (dia < BP_DIA_LO || dia > BP_DIA_HI)
		return err_set(e, FOLIO_EUSAGE, "%s: the diastolic pressure must be %d to %d mmHg", f->label,
			       BP_DIA_LO, BP_DIA_HI);
	if (sys <= dia)
		return err_set(e, FOLIO_EUSAGE, "%s: the systolic pressure must be above the diastolic",
			       f->label);
	snprintf(out, cap, "%" PRId64 "/%" PRId64, sys, dia);
	return FOLIO_OK;
}

static void alt_of(const char *stored, char *out, size_t cap, int64_t num, int64_t den, int64_t add)
{
	int64_t x = vitals_stored(stored, 1);

	if (x < 0) {
		out[0] = '\0';
		return;
	}
	vitals_format(round_div(x * num, den) + add, 1, out, cap);
}

void vitals_kg_to_lb(const char *stored, char *out, size_t cap)
{
	alt_of(stored, out, cap, 100000000, 45359237, 0);
}

void vitals_cm_to_in(const char *stored, char *out, size_t cap)
{
	alt_of(stored, out, cap, 100, 254, 0);
}

void vitals_c_to_f(const char *stored, char *out, size_t cap)
{
	alt_of(stored, out, cap, 9, 5, 320);
}

int64_t vitals_bmi10(int64_t kg10, int64_t cm10)
{
	if (kg10 <= 0 || cm10 <= 0)
		return -1;
	/* kg / m^2 in tenths = (kg10 / 10) / (cm10 / 1000)^2 * 10 */
	return round_div(kg10 * 1000000, cm10 * cm10);
}

int vitals_complete(struct clinical_item *it, struct folio_err *e)
{
	int64_t kg10 = vitals_stored(it->v[VF_WEIGHT], 1), cm10 = vitals_stored(it->v[VF_HEIGHT], 1);
	int any = 0;

	for (int i = VF_WEIGHT; i < VF_COUNT; i++)
		any |= i != VF_BMI && it->v[i][0];
	if (!any)
		return err_set(e, FOLIO_EUSAGE, "a set of vitals needs at least one measurement");
	it->v[VF_BMI][0] = '\0';
	if (kg10 > 0 && cm10 > 0) {
		int64_t bmi = vitals_bmi10(kg10, cm10);
		if (bmi < BMI_LO || bmi > BMI_HI)
			return err_set(e, FOLIO_EUSAGE, "Weight and height give a BMI under 5 or over 200:"
							" check their units");
		vitals_format(bmi, 1, it->v[VF_BMI], sizeof it->v[VF_BMI]);
	}
	return FOLIO_OK;
}

#define WARN(...) do { if (*n < max) snprintf(w[(*n)++], 120, __VA_ARGS__); } while (0)

void vitals_warnings(const struct clinical_item *it, char w[][120], int max, int *n)
{
	int64_t sys, dia, bmi;

	for (size_t i = 0; i < clinical_field_count(CLIN_VITALS); i++) {
		const struct clinical_field *f = clinical_field(CLIN_VITALS, i);
		const struct vitals_measure *m = f->arg;
		int64_t x;

		if (f->check != vitals_check_measure || (x = vitals_stored(it->v[i], m->tenths)) < 0)
			continue;
		if (x < m->warn_lo && m->low)
			WARN("%s: unusual, check it", m->low);
		else if (x > m->warn_hi && m->high)
			WARN("%s: unusual, check it", m->high);
	}
	if (it->v[VF_BP][0] && bp_split(it->v[VF_BP], &sys, &dia) == 0) {
		if (sys >= 180 || dia >= 120)
			WARN("Blood pressure in the crisis range (systolic 180+ or diastolic 120+): check it");
		else if (sys < 90 || dia < 50)
			WARN("Blood pressure low (systolic under 90 or diastolic under 50): check it");
		if (sys - dia < 20)
			WARN("Blood pressure with a pulse pressure under 20 mmHg: check it");
	}
	bmi = vitals_stored(it->v[VF_BMI], 1);
	if (bmi >= 0 && bmi < BMI_WARN_LO)
		WARN("BMI under 12: check the weight and height");
	else if (bmi > BMI_WARN_HI)
		WARN("BMI over 60: check the weight and height");
}
