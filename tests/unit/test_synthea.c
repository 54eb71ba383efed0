/* folio — unit tests: Synthea CSV rows (src/interop/synthea.c): every
 * header variant of MANIFEST.md maps by name, and the conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "folio/synthea.h"

#include "unit_fixture.h"

static char buf[4096];

/* Maps header text for file; returns synthea_map's result. */
static int map_of(int file, const char *text, struct csv *c, struct syn_map *m)
{
	char why[96];

	csv_open(c, text, strlen(text), buf, sizeof buf);
	assert_int_equal(csv_header(c), 0);
	return synthea_map(file, c, m, why, sizeof why);
}

static void test_patient_variants(void **state)
{
	static const char *const headers[] = {
		"Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,"
		"GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE\n",
		"Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,"
		"GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE,INCOME\n",
		"Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,"
		"GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,FIPS,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE,"
		"INCOME\n",
		"Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,MIDDLE,LAST,SUFFIX,MAIDEN,MARITAL,RACE,"
		"ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,FIPS,ZIP,LAT,LON,HEALTHCARE_EXPENSES,"
		"HEALTHCARE_COVERAGE,INCOME\n",
	};
	struct csv c;
	struct syn_map m;
	(void)state;

	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		assert_int_equal(map_of(SYN_PATIENTS, headers[i], &c, &m), 0);
		assert_int_equal(m.idx[SC_LAST], csv_col(&c, "LAST"));
		assert_int_equal(m.idx[SC_ZIP], csv_col(&c, "ZIP"));
		assert_int_equal(m.idx[SC_MIDDLE], i == 3 ? 8 : -1);
	}
	/* the ZIP after FIPS is still the ZIP */
	assert_int_equal(map_of(SYN_PATIENTS, headers[2], &c, &m), 0);
	assert_int_equal(m.idx[SC_ZIP], 21);
	assert_int_equal(map_of(SYN_PATIENTS, "Id,FIRST,GENDER\n", &c, &m), -1);
}

static void test_other_variants(void **state)
{
	struct csv c;
	struct syn_map m;
	char key[200];
	(void)state;

	/* procedures: v2 DATE, v3 START/STOP, newest SYSTEM */
	assert_int_equal(map_of(SYN_PROCEDURES, "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,"
				"REASONDESCRIPTION\n2020-01-02T03:04:05Z,p1,e1,123,Thing,1.0,,\n", &c, &m), 0);
	assert_int_equal(m.idx[SC_START], 0);
	assert_int_equal(m.idx[SC_STOP], -1);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(synthea_row_key(&m, &c, key, sizeof key), 0);
	assert_string_equal(key, "p1|e1|123|2020-01-02T03:04:05Z|");
	assert_int_equal(map_of(SYN_PROCEDURES, "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION,BASE_COST,"
				"REASONCODE,REASONDESCRIPTION\n", &c, &m), 0);
	assert_int_equal(m.idx[SC_START], 0);
	assert_int_equal(m.idx[SC_SYSTEM], 4);
	/* allergies v2 and v3 */
	assert_int_equal(map_of(SYN_ALLERGIES, "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n", &c, &m), 0);
	assert_int_equal(m.idx[SC_SEVERITY1], -1);
	assert_int_equal(map_of(SYN_ALLERGIES, "START,STOP,PATIENT,ENCOUNTER,CODE,SYSTEM,DESCRIPTION,TYPE,CATEGORY,"
				"REACTION1,DESCRIPTION1,SEVERITY1,REACTION2,DESCRIPTION2,SEVERITY2\n", &c, &m), 0);
	assert_int_equal(m.idx[SC_DESC], 6);
	assert_int_equal(m.idx[SC_REACTION1], 10);
	assert_int_equal(m.idx[SC_SEVERITY2], 14);
	/* conditions with and without SYSTEM; observations need VALUE */
	assert_int_equal(map_of(SYN_CONDITIONS, "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n", &c, &m), 0);
	assert_int_equal(m.idx[SC_CODE], 5);
	assert_int_equal(map_of(SYN_OBSERVATIONS, "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,UNITS,TYPE\n",
				&c, &m), -1);
	assert_string_equal(synthea_get(&m, &c, SC_VALUE), "");
}

static void test_conversions(void **state)
{
	char t[24], d[11], n[32];
	(void)state;

	assert_int_equal(synthea_time("2023-01-27T16:17:47Z", t), 0);
	assert_string_equal(t, "2023-01-27T16:17:47Z");
	assert_int_equal(synthea_time("2023-01-27", t), 0);
	assert_string_equal(t, "2023-01-27T00:00:00Z");
	assert_int_equal(synthea_time("2023-01-27T16:17:47.123Z", t), 0);
	assert_int_equal(synthea_time("2023-13-01", t), -1);
	assert_int_equal(synthea_time("27/01/2023", t), -1);
	assert_int_equal(synthea_time("2023-01-27T25:00:00Z", t), -1);
	assert_int_equal(synthea_date("2023-01-27T16:17:47Z", d), 0);
	assert_string_equal(d, "2023-01-27");
	synthea_name("Freeman822", n, sizeof n);
	assert_string_equal(n, "Freeman");
	synthea_name("Jorge Luis88", n, sizeof n);
	assert_string_equal(n, "Jorge Luis");
	synthea_name("Jer\xc3\xb3nimo599", n, sizeof n);
	assert_string_equal(n, "Jer\xc3\xb3nimo");
	synthea_name("", n, sizeof n);
	assert_string_equal(n, "");
	assert_string_equal(synthea_state("Massachusetts"), "MA");
	assert_string_equal(synthea_state("Nebraska"), "NE");
	assert_string_equal(synthea_state("NE"), "NE");
	assert_null(synthea_state("Atlantis"));
	assert_string_equal(synthea_encounter_kind("inpatient"), "inpatient");
	assert_string_equal(synthea_encounter_kind("urgentcare"), "emergency");
	assert_string_equal(synthea_encounter_kind("emergency"), "emergency");
	assert_string_equal(synthea_encounter_kind("wellness"), "outpatient");
	assert_string_equal(synthea_allergy_type("medication"), "drug");
	assert_string_equal(synthea_allergy_type("environment"), "environmental");
	assert_int_equal(synthea_vital("29463-7"), SV_WEIGHT);
	assert_int_equal(synthea_vital("8480-6"), SV_SYSTOLIC);
	assert_int_equal(synthea_vital("59408-5"), SV_SPO2);
	assert_int_equal(synthea_vital("72514-3"), SV_PAIN);
	assert_int_equal(synthea_vital("2093-3"), SV_NONE);
	assert_string_equal(synthea_file_name(SYN_OBSERVATIONS), "observations.csv");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patient_variants),
		cmocka_unit_test(test_other_variants),
		cmocka_unit_test(test_conversions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
