/* folio — unit tests of vital signs: unit conversions and their rounding
 * (lb -> kg, in -> cm, F -> C and back), BMI at the edges of height, what is
 * refused (zero, negative, absurd, a BP of 500/20 or with the systolic not
 * above the diastolic) and what is only warned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "folio/clinical.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "unit_fixture.h"

static struct clinical_item *item(void)
{
	struct clinical_item *it = clinical_items_new(1);

	assert_non_null(it);
	clinical_item_init(it, CLIN_VITALS);
	return it;
}

/* Sets field i from in and checks the stored form (NULL: refused). */
static void stored(struct clinical_item *it, int i, const char *in, const char *want)
{
	struct folio_err e = { 0 };
	int rc = clinical_set(it, (size_t)i, in, &e);

	if (want) {
		if (rc != FOLIO_OK)
			fail_msg("'%s' refused: %s", in, e.msg);
		assert_string_equal(it->v[i], want);
	} else {
		if (rc == FOLIO_OK)
			fail_msg("'%s' accepted as '%s'", in, it->v[i]);
		assert_int_equal(rc, FOLIO_EUSAGE);
		assert_true(strlen(e.msg) > 0);
		/* the refusal never repeats the value */
		if (strlen(in) > 2)
			assert_null(strstr(e.msg, in));
	}
}

static void alt(int i, const char *in, const char *want)
{
	char out[32];

	clinical_field(CLIN_VITALS, (size_t)i)->alt(in, out, sizeof out);
	assert_string_equal(out, want);
}

/* Typed values and what is stored (NULL: refused), by measure. */
static const struct typed {
	int field;
	const char *in, *want;
} typed[] = {
	/* weight: bare numbers are kg */
	{ VF_WEIGHT, "70kg", "70.0" },
	{ VF_WEIGHT, "70", "70.0" }, /* a bare number is metric */
	{ VF_WEIGHT, "70.25 kg", "70.3" }, /* a half rounds up */
	{ VF_WEIGHT, "154lb", "69.9" }, /* 69.853 */
	{ VF_WEIGHT, "154 LBS", "69.9" },
	{ VF_WEIGHT, "1lb", "0.5" }, /* 0.4536 */
	{ VF_WEIGHT, "0.2kg", "0.2" }, /* the lightest accepted */
	{ VF_WEIGHT, "700kg", "700.0" }, /* the heaviest */
	{ VF_WEIGHT, "1543lb", "699.9" },
	{ VF_WEIGHT, "0", NULL },
	{ VF_WEIGHT, "0kg", NULL },
	{ VF_WEIGHT, "-70kg", NULL },
	{ VF_WEIGHT, "0.1kg", NULL },
	{ VF_WEIGHT, "701kg", NULL },
	{ VF_WEIGHT, "1600lb", NULL },
	{ VF_WEIGHT, "70 stone", NULL },
	{ VF_WEIGHT, "70kgkg", NULL },
	{ VF_WEIGHT, "1e3", NULL },
	{ VF_WEIGHT, "7.0.1", NULL },
	{ VF_WEIGHT, "70.1234", NULL }, /* more than three decimals */
	{ VF_WEIGHT, "kg", NULL },
	{ VF_WEIGHT, "99999999999", NULL },
	/* height: bare numbers are cm */
	{ VF_HEIGHT, "175cm", "175.0" },
	{ VF_HEIGHT, "69in", "175.3" }, /* 175.26 */
	{ VF_HEIGHT, "69\"", "175.3" },
	{ VF_HEIGHT, "5'9\"", "175.3" },
	{ VF_HEIGHT, "5 ft 9 in", "175.3" },
	{ VF_HEIGHT, "6'", "182.9" }, /* 182.88 */
	{ VF_HEIGHT, "1.75m", "175.0" },
	{ VF_HEIGHT, "20cm", "20.0" },
	{ VF_HEIGHT, "275cm", "275.0" },
	{ VF_HEIGHT, "19.9cm", NULL },
	{ VF_HEIGHT, "276cm", NULL },
	{ VF_HEIGHT, "175ft", NULL },
	{ VF_HEIGHT, "0", NULL },
	{ VF_HEIGHT, "-175", NULL },
	{ VF_HEIGHT, "5'9\" tall", NULL },
	/* temperature: bare numbers are C */
	{ VF_TEMP, "37.0C", "37.0" },
	{ VF_TEMP, "37", "37.0" },
	{ VF_TEMP, "98.6F", "37.0" },
	{ VF_TEMP, "98.6 \xc2\xb0" "F", "37.0" },
	{ VF_TEMP, "100.4f", "38.0" },
	{ VF_TEMP, "99.5F", "37.5" },
	{ VF_TEMP, "100.49F", "38.1" }, /* 38.05: exactly a half, up */
	{ VF_TEMP, "100.48F", "38.0" }, /* 38.044 */
	{ VF_TEMP, "77F", "25.0" }, /* the coldest accepted */
	{ VF_TEMP, "113F", "45.0" }, /* the hottest */
	{ VF_TEMP, "99.1", NULL }, /* Fahrenheit without its F */
	{ VF_TEMP, "76.9F", NULL },
	{ VF_TEMP, "45.1C", NULL },
	{ VF_TEMP, "0", NULL },
	{ VF_TEMP, "-5C", NULL },
	{ VF_TEMP, "37K", NULL },
	/* pulse */
	{ VF_PULSE, "72", "72" },
	{ VF_PULSE, "72 bpm", "72" },
	{ VF_PULSE, "72/min", "72" },
	{ VF_PULSE, "72.5", NULL },
	{ VF_PULSE, "0", NULL },
	{ VF_PULSE, "-72", NULL },
	{ VF_PULSE, "301", NULL },
	/* respiratory rate */
	{ VF_RESP, "16", "16" },
	{ VF_RESP, "3/min", "3" },
	{ VF_RESP, "100", "100" },
	{ VF_RESP, "12.5", NULL },
	{ VF_RESP, "2", NULL },
	{ VF_RESP, "0", NULL },
	{ VF_RESP, "101", NULL },
	/* SpO2 */
	{ VF_SPO2, "98", "98" },
	{ VF_SPO2, "98%", "98" },
	{ VF_SPO2, "100", "100" },
	{ VF_SPO2, "101", NULL },
	{ VF_SPO2, "39", NULL },
	/* pain */
	{ VF_PAIN, "0", "0" },
	{ VF_PAIN, "10", "10" },
	{ VF_PAIN, "7/10", "7" },
	{ VF_PAIN, "11", NULL },
	{ VF_PAIN, "-1", NULL },
	{ VF_PAIN, "3.5", NULL },
	/* blood pressure */
	{ VF_BP, "120/80", "120/80" },
	{ VF_BP, " 120 / 80 mmHg ", "120/80" },
	{ VF_BP, "300/200", "300/200" },
	{ VF_BP, "40/10", "40/10" },
	{ VF_BP, "500/20", NULL }, /* the example */
	{ VF_BP, "80/120", NULL }, /* systolic not above diastolic */
	{ VF_BP, "80/80", NULL },
	{ VF_BP, "130/5", NULL },
	{ VF_BP, "130/201", NULL },
	{ VF_BP, "39/20", NULL },
	{ VF_BP, "130", NULL },
	{ VF_BP, "130/", NULL },
	{ VF_BP, "/85", NULL },
	{ VF_BP, "130/85/60", NULL },
	{ VF_BP, "-130/85", NULL },
	{ VF_BP, "13O/85", NULL },
};

/* Stored values in the other unit. */
static const struct typed other_unit[] = {
	{ VF_WEIGHT, "70.0", "154.3" },
	{ VF_WEIGHT, "69.9", "154.1" },
	{ VF_WEIGHT, "0.5", "1.1" },
	{ VF_HEIGHT, "175.3", "69.0" },
	{ VF_HEIGHT, "175.0", "68.9" },
	{ VF_TEMP, "37.0", "98.6" },
	{ VF_TEMP, "38.1", "100.6" },
	{ VF_TEMP, "25.0", "77.0" },
};

/* Runs the rows of typed for one field on one item: every refusal leaves
 * the value before it. */
static void run_typed(int field)
{
	struct clinical_item *it = item();
	char before[CLIN_VALUE_MAX] = "";
	int rows = 0;

	for (size_t i = 0; i < ARRAY_SIZE(typed); i++) {
		if (typed[i].field != field)
			continue;
		stored(it, field, typed[i].in, typed[i].want);
		if (!typed[i].want)
			assert_string_equal(it->v[field], before);
		str_copy(before, sizeof before, it->v[field]);
		rows++;
	}
	assert_true(rows > 3);
	stored(it, field, "", ""); /* empty clears */
	for (size_t i = 0; i < ARRAY_SIZE(other_unit); i++)
		if (other_unit[i].field == field)
			alt(field, other_unit[i].in, other_unit[i].want);
	clinical_items_free(it, 1);
}

static void test_weight(void **state)
{
	(void)state;
	run_typed(VF_WEIGHT);
}

static void test_height(void **state)
{
	(void)state;
	run_typed(VF_HEIGHT);
}

static void test_temperature(void **state)
{
	(void)state;
	run_typed(VF_TEMP);
}

static void test_whole_measures(void **state)
{
	(void)state;
	run_typed(VF_PULSE);
	run_typed(VF_RESP);
	run_typed(VF_SPO2);
	run_typed(VF_PAIN);
}

static void test_blood_pressure(void **state)
{
	(void)state;
	run_typed(VF_BP);
}

static void test_bmi(void **state)
{
	struct clinical_item *it = item();
	struct folio_err e = { 0 };

	(void)state;
	assert_int_equal(vitals_bmi10(700, 1750), 229);    /* 22.86 */
	assert_int_equal(vitals_bmi10(699, 1753), 227);    /* 22.75 -> 22.7 (22.746) */
	assert_int_equal(vitals_bmi10(1000, 1000), 1000);  /* 100 kg, 1 m: 100.0 */
	assert_int_equal(vitals_bmi10(2, 200), 50);        /* 0.2 kg at 20 cm: 5.0 */
	assert_int_equal(vitals_bmi10(7000, 200), 175000); /* 700 kg at 20 cm: no overflow */
	assert_int_equal(vitals_bmi10(7000, 2750), 926);   /* 700 kg at 275 cm: 92.56 */
	assert_int_equal(vitals_bmi10(2, 2750), 0);        /* 0.2 kg at 275 cm */
	assert_int_equal(vitals_bmi10(0, 1750), -1);
	assert_int_equal(vitals_bmi10(700, 0), -1);
	assert_int_equal(vitals_bmi10(-700, 1750), -1);

	/* computed on a save, from the stored metric values */
	stored(it, VF_WEIGHT, "154lb", "69.9");
	stored(it, VF_HEIGHT, "69in", "175.3");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_string_equal(it->v[VF_BMI], "22.7");
	assert_true(it->v[VF_TAKEN][0] != '\0'); /* the time defaults to now */
	/* the shortest height with a plausible weight: BMI 5.0 is accepted */
	stored(it, VF_WEIGHT, "0.2kg", "0.2");
	stored(it, VF_HEIGHT, "20cm", "20.0");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_string_equal(it->v[VF_BMI], "5.0");
	/* a weight and height that make no body are refused */
	stored(it, VF_WEIGHT, "700kg", "700.0");
	assert_int_equal(clinical_complete(it, &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, "BMI"));
	stored(it, VF_HEIGHT, "275cm", "275.0");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_string_equal(it->v[VF_BMI], "92.6");
	/* no BMI without a height */
	stored(it, VF_HEIGHT, "", "");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_string_equal(it->v[VF_BMI], "");
	/* BMI is computed, never typed */
	assert_int_equal(clinical_set(it, VF_BMI, "22", &e), FOLIO_EUSAGE);
	clinical_items_free(it, 1);
}

static int has_warning(const struct clinical_item *it, const char *needle)
{
	char w[12][120];
	int n = clinical_warnings(it, w, 12);

	for (int i = 0; i < n; i++)
		if (strstr(w[i], needle))
			return 1;
	return 0;
}

static void test_warnings(void **state)
{
	struct clinical_item *it = item();
	struct folio_err e = { 0 };
	char w[12][120];

	(void)state;
	/* an empty set is refused: it needs a measurement */
	assert_int_equal(clinical_complete(it, &e), FOLIO_EUSAGE);
	stored(it, VF_BP, "120/80", "120/80");
	stored(it, VF_PULSE, "72", "72");
	stored(it, VF_TEMP, "37", "37.0");
	stored(it, VF_RESP, "16", "16");
	stored(it, VF_SPO2, "98", "98");
	stored(it, VF_WEIGHT, "70", "70.0");
	stored(it, VF_HEIGHT, "175", "175.0");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_int_equal(clinical_warnings(it, w, 12), 0);

	stored(it, VF_PULSE, "150", "150"); /* unusual but possible: saved, warned */
	assert_true(has_warning(it, "Pulse over 130"));
	stored(it, VF_PULSE, "35", "35");
	assert_true(has_warning(it, "Pulse under 40"));
	stored(it, VF_TEMP, "101.3F", "38.5");
	assert_true(has_warning(it, "fever"));
	stored(it, VF_TEMP, "34.5", "34.5");
	assert_true(has_warning(it, "hypothermia"));
	stored(it, VF_SPO2, "85", "85");
	assert_true(has_warning(it, "SpO2 under 92"));
	stored(it, VF_BP, "190/100", "190/100");
	assert_true(has_warning(it, "crisis range"));
	stored(it, VF_BP, "85/55", "85/55");
	assert_true(has_warning(it, "Blood pressure low"));
	stored(it, VF_RESP, "35", "35");
	assert_true(has_warning(it, "Respiratory rate over 30"));
	stored(it, VF_WEIGHT, "300kg", "300.0");
	assert_int_equal(clinical_complete(it, &e), FOLIO_OK);
	assert_true(has_warning(it, "Weight over 250"));
	assert_true(has_warning(it, "BMI over 60"));
	/* the warnings say which measure, never its value */
	assert_false(has_warning(it, "300"));
	assert_false(has_warning(it, "190"));
	/* at most max lines */
	assert_int_equal(clinical_warnings(it, w, 2), 2);
	clinical_items_free(it, 1);
}

static void test_times(void **state)
{
	struct clinical_item *it = item();
	char now[24], day[11], want[24];

	(void)state;
	time_utc_now(now, sizeof now);
	stored(it, VF_TAKEN, "2026-03-14T09:30", "2026-03-14T09:30");
	stored(it, VF_TAKEN, "2026-03-14 9:30", "2026-03-14T09:30");
	stored(it, VF_TAKEN, "3/14/2026@09:30", "2026-03-14T09:30");
	stored(it, VF_TAKEN, "2026-03-14", "2026-03-14T00:00");
	date_format_days(date_today() - 1, day);
	snprintf(want, sizeof want, "%sT07:05", day);
	stored(it, VF_TAKEN, "T-1@7:05", want);
	assert_int_equal(clinical_set(it, VF_TAKEN, "NOW", NULL), FOLIO_OK);
	assert_int_equal(strncmp(it->v[VF_TAKEN], now, 10), 0);
	stored(it, VF_TAKEN, "2026-03-14T24:00", NULL);
	stored(it, VF_TAKEN, "2026-03-14T09:60", NULL);
	stored(it, VF_TAKEN, "2026-02-30T09:30", NULL);
	stored(it, VF_TAKEN, "2099-01-01T00:00", NULL); /* the future */
	stored(it, VF_TAKEN, "T+1", NULL);
	stored(it, VF_TAKEN, "yesterday", NULL);
	clinical_items_free(it, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weight),
		cmocka_unit_test(test_height),
		cmocka_unit_test(test_temperature),
		cmocka_unit_test(test_whole_measures),
		cmocka_unit_test(test_blood_pressure),
		cmocka_unit_test(test_bmi),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_times),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
