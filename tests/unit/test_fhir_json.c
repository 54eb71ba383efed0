/* folio — unit tests: the JSON writer and checker of the FHIR export
 * (src/interop/fhir_json.c), the FHIR value forms, the Patient.link shape,
 * and one export of a demo chart (src/core/export_fhir.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/fhir.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "unit_fixture.h"

/* The writer's text, which the test expects to be complete. */
static const char *done(struct json_out *j)
{
	const char *t = json_text(j, NULL);

	assert_non_null(t);
	assert_int_equal(json_check(t, strlen(t)), 0);
	return t;
}

static void test_nesting(void **state)
{
	struct json_out *j = json_new();

	(void)state;
	json_object(j, NULL);
	json_string(j, "a", "x");
	json_int(j, "n", -42);
	json_bool(j, "t", 1);
	json_bool(j, "f", 0);
	json_number(j, "d", "37.5");
	json_array(j, "list");
	json_string(j, NULL, "one");
	json_object(j, NULL);
	json_end(j);
	json_array(j, NULL);
	json_end(j);
	json_int(j, NULL, 7);
	json_end(j);
	json_object(j, "o");
	json_string(j, "k", "");
	json_end(j);
	json_end(j);
	assert_string_equal(done(j), "{\"a\":\"x\",\"n\":-42,\"t\":true,\"f\":false,\"d\":37.5,"
				     "\"list\":[\"one\",{},[],7],\"o\":{\"k\":\"\"}}");
	json_free(j);
}

static void want_string(const char *in, size_t n, const char *want)
{
	struct json_out *j = json_new();

	json_string_n(j, NULL, in, n);
	assert_string_equal(done(j), want);
	json_free(j);
}

static void test_escaping(void **state)
{
	(void)state;
	want_string("say \"hi\" \\ /", 12, "\"say \\\"hi\\\" \\\\ /\"");
	want_string("a\nb\tc\rd\be\ff", 11, "\"a\\nb\\tc\\rd\\be\\ff\"");
	want_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
	want_string("nul\0in", 6, "\"nul\\u0000in\"");
	/* well-formed UTF-8 passes as it is */
	want_string("Mu\xC3\xB1oz \xE2\x82\xAC \xF0\x9F\x98\x80", 15, "\"Mu\xC3\xB1oz \xE2\x82\xAC \xF0\x9F\x98\x80\"");
	/* each stray byte becomes U+FFFD */
	want_string("\x80", 1, "\"\xEF\xBF\xBD\"");
	want_string("\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");         /* overlong '/' */
	want_string("\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); /* surrogate */
	want_string("\xF4\x90\x80\x80", 4,
		      "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); /* past U+10FFFF */
	want_string("x\xE2\x82", 3, "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"");     /* cut short */
	want_string("\xFF" "a", 2, "\"\xEF\xBF\xBD" "a\"");
	/* keys are escaped the same way */
	struct json_out *j = json_new();
	json_object(j, NULL);
	json_string(j, "k\"\x01\xFE", "v");
	json_end(j);
	assert_string_equal(done(j), "{\"k\\\"\\u0001\xEF\xBF\xBD\":\"v\"}");
	json_free(j);
}

static void want_failed(struct json_out *j)
{
	assert_true(json_failed(j));
	assert_null(json_text(j, NULL));
	json_free(j);
}

static void test_misuse(void **state)
{
	struct json_out *j;

	(void)state;
	j = json_new(); /* a key inside an array */
	json_array(j, NULL);
	json_string(j, "k", "v");
	json_end(j);
	want_failed(j);
	j = json_new(); /* no key inside an object */
	json_object(j, NULL);
	json_string(j, NULL, "v");
	json_end(j);
	want_failed(j);
	j = json_new(); /* closing what is not open */
	json_object(j, NULL);
	json_end(j);
	json_end(j);
	want_failed(j);
	j = json_new(); /* two values at the top */
	json_int(j, NULL, 1);
	json_int(j, NULL, 2);
	want_failed(j);
	j = json_new(); /* a key at the top */
	json_int(j, "k", 1);
	want_failed(j);
	j = json_new(); /* not a number */
	json_array(j, NULL);
	json_number(j, NULL, "12abc");
	json_end(j);
	want_failed(j);
	j = json_new(); /* too deep */
	for (int i = 0; i <= JSON_DEPTH_MAX; i++)
		json_array(j, NULL);
	want_failed(j);
	/* still open: no text, but not failed */
	j = json_new();
	json_object(j, NULL);
	assert_false(json_failed(j));
	assert_null(json_text(j, NULL));
	json_free(j);
	j = json_new(); /* nothing written */
	assert_null(json_text(j, NULL));
	json_free(j);
}

static void test_numbers(void **state)
{
	static const char *const good[] = { "0", "-0", "7", "37.5", "-0.25", "1e5", "1E+5", "2.5e-3", "120" };
	static const char *const bad[] = { "", "01", "1.", ".5", "-", "+1", "1e", "0x10", "1,5", "NaN", " 1",
					   "1 " };

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(json_number_ok(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(json_number_ok(bad[i]));
	assert_false(json_number_ok(NULL));
}

static void test_base64(void **state)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const out[] = { "\"\"", "\"Zg==\"", "\"Zm8=\"", "\"Zm9v\"", "\"Zm9vYg==\"",
					   "\"Zm9vYmE=\"", "\"Zm9vYmFy\"" };

	(void)state;
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		struct json_out *j = json_new();
		json_base64(j, NULL, in[i], strlen(in[i]));
		assert_string_equal(done(j), out[i]);
		json_free(j);
	}
}

/* Far past the first buffer: the text grows by copies and stays whole. */
static void test_growth(void **state)
{
	struct json_out *j = json_new();
	char *chunk = malloc(70001);
	size_t len;

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 'a', 70000);
	chunk[70000] = '\0';
	json_array(j, NULL);
	for (int i = 0; i < 20; i++) {
		json_string(j, NULL, chunk);
		json_base64(j, NULL, chunk, 30000);
	}
	json_end(j);
	const char *t = json_text(j, &len);
	assert_non_null(t);
	assert_int_equal(len, strlen(t));
	assert_int_equal(len, 2 + 20 * (70002 + 40002) + 39);
	assert_int_equal(json_check(t, len), 0);
	json_free(j);
	free(chunk);
}

static void test_check(void **state)
{
	static const char *const good[] = { "{}", "[]", " {\"a\" : [1, 2.5, -3e2, true, false, null, \"x\\u00e9\\n\"]} ",
					    "\"\xC3\xA9\"", "0", "[[[]]]", "{\"\":{}}" };
	static const char *const bad[] = { "", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "[01]", "\"\x01\"", "\"\\x\"",
					   "\"\\u12\"", "\"\xC0\xAF\"", "[1] [2]", "{a:1}", "tru", "'x'", "\"abc",
					   "[1 2]" };

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(json_check(good[i], strlen(good[i])), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(json_check(bad[i], strlen(bad[i])), -1);
	char deep[2 * (JSON_DEPTH_MAX + 1) + 1];
	memset(deep, '[', JSON_DEPTH_MAX + 1);
	memset(deep + JSON_DEPTH_MAX + 1, ']', JSON_DEPTH_MAX + 1);
	deep[sizeof deep - 1] = '\0';
	assert_int_equal(json_check(deep, strlen(deep)), -1);
	assert_int_equal(json_check(deep + 1, strlen(deep) - 2), 0);
}

static void test_fhir_forms(void **state)
{
	char t[32], icd[16], urn[46];

	(void)state;
	fhir_datetime("2026-10-29", t);
	assert_string_equal(t, "2026-10-29");
	fhir_datetime("2026-10-29T13:10", t);
	assert_string_equal(t, "2026-10-29T13:10:00Z");
	fhir_datetime("2026-10-29 13:10", t);
	assert_string_equal(t, "2026-10-29T13:10:00Z");
	fhir_datetime("2026-10-29T13:10:05Z", t);
	assert_string_equal(t, "2026-10-29T13:10:05Z");
	fhir_datetime("10/29/2026", t);
	assert_string_equal(t, "");
	fhir_datetime("2026-10-29T13:10+02:00", t);
	assert_string_equal(t, "");
	fhir_datetime(NULL, t);
	assert_string_equal(t, "");
	fhir_icd10_dotted("I5023", icd);
	assert_string_equal(icd, "I50.23");
	fhir_icd10_dotted("I10", icd);
	assert_string_equal(icd, "I10");
	fhir_icd10_dotted("S72.001A", icd);
	assert_string_equal(icd, "S72.001A");
	fhir_uuid_urn("0123456789ABCDEF0123456789abcdef", urn);
	assert_string_equal(urn, "urn:uuid:01234567-89ab-8def-8123-456789abcdef");
	fhir_uuid_urn("ffffffffffffffffffffffffffffffff", urn);
	assert_string_equal(urn, "urn:uuid:ffffffff-ffff-8fff-bfff-ffffffffffff");
}

/* Merges do not exist yet: the shape of Patient.link with made-up links. */
static void test_patient_link(void **state)
{
	struct fhir_link links[] = { { "10000024", 1 }, { "10000032", 0 } };
	struct json_out *j = json_new();

	(void)state;
	json_object(j, NULL);
	fhir_patient_links(j, links, 0);
	json_string(j, "resourceType", "Patient");
	fhir_patient_links(j, links, 2);
	json_end(j);
	assert_string_equal(done(j),
			    "{\"resourceType\":\"Patient\",\"link\":["
			    "{\"other\":{\"identifier\":{\"system\":\"urn:folio:mrn\",\"value\":\"10000024\"}},"
			    "\"type\":\"replaced-by\"},"
			    "{\"other\":{\"identifier\":{\"system\":\"urn:folio:mrn\",\"value\":\"10000032\"}},"
			    "\"type\":\"replaces\"}]}");
	json_free(j);
}

static void test_counts_text(void **state)
{
	struct fhir_counts c = { .n = { [FHIR_PATIENT] = 1, [FHIR_ENCOUNTER] = 3, [FHIR_OBSERVATION] = 2 },
				 .total = 6 };
	char out[200];

	(void)state;
	fhir_counts_text(&c, out, sizeof out);
	assert_string_equal(out, "FHIR R4 bundle: 6 resources (Patient, Encounter \xC3\x97" "3, Observation \xC3\x97" "2)");
	assert_string_equal(fhir_resource_name(FHIR_DOCUMENT), "DocumentReference");
}

/* A small chart exported under its grant: one JSON value holding the
 * MRN and the blood pressure with its components; another grant is refused; an existing file is kept. */
static void test_export_demo(void **state)
{
	struct fixture *f = *state;
	struct session *s = fixture_login(f->st, "tech", "demo-tech-pass");
	struct fhir_counts c;
	struct folio_err e = { 0 };
	struct grant *g;
	FILE *tmp = tmpfile();
	char path[200], buf[64], mrn[24], want[48];
	size_t len;

	assert_non_null(tmp);
	/* a chart of one visit with a blood pressure */
	struct patient *p = patient_new();
	struct clinical_item *it = clinical_items_new(1);
	struct adt visit = { .clinic = "Cardiology" };
	int64_t enc;
	assert_int_equal(patient_set(p, PF_LAST, "Ledger", &e) | patient_set(p, PF_SEX, "F", &e), 0);
	assert_int_equal(access_begin(s, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e), 0);
	assert_int_equal(access_end(g, patient_register(g, p, &e), &e), 0);
	str_copy(mrn, sizeof mrn, p->mrn);
	patient_free(p);
	assert_int_equal(access_begin(s, ACT_ENCOUNTER_EDIT, mrn, NULL, NULL, &g, &e), 0);
	assert_int_equal(access_end(g, encounter_visit(g, "outpatient", &visit, &enc, &e), &e), 0);
	clinical_item_init(it, CLIN_VITALS);
	assert_int_equal(clinical_set(it, VF_BP, "120/80", &e), 0);
	it->encounter_id = enc;
	assert_int_equal(access_begin(s, ACT_CLINICAL_ENTER, mrn, NULL, NULL, &g, &e), 0);
	assert_int_equal(access_end(g, clinical_add(g, it, &e), &e), 0);
	clinical_items_free(it, 1);
	snprintf(want, sizeof want, "\"value\":\"%s\"", mrn);
	assert_int_equal(access_begin(s, ACT_EXPORT_RUN, mrn, "export", "fhir", &g, &e), 0);
	struct fhir_export x = { .stream = tmp };
	int rc = export_fhir_run(g, &x, &c, &e);
	if (rc)
		fail_msg("export: %d %s", rc, e.msg);
	assert_int_equal(access_end(g, 0, &e), 0);
	assert_int_equal(c.n[FHIR_PATIENT], 1);
	assert_int_equal(c.n[FHIR_ENCOUNTER], 1);
	assert_int_equal(c.n[FHIR_OBSERVATION], 1);
	assert_int_equal(c.total, 3);
	assert_int_equal(c.disclosure_id, 0);
	len = (size_t)ftell(tmp);
	char *text = malloc(len + 1);
	assert_non_null(text);
	rewind(tmp);
	assert_int_equal(fread(text, 1, len, tmp), len);
	text[len] = '\0';
	assert_int_equal(json_check(text, len), 0);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "\"resourceType\":\"Bundle\""));
	assert_non_null(strstr(text, "\"code\":\"85354-9\""));
	assert_non_null(strstr(text, "\"code\":\"8480-6\",\"display\":\"Systolic blood pressure\"}]},\"valueQuantity\":{\"value\":120,"));
	free(text);
	fclose(tmp);

	assert_int_equal(access_begin(s, ACT_CHART_VIEW, mrn, NULL, NULL, &g, &e), 0);
	assert_int_equal(export_fhir_run(g, &x, &c, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_EDENIED, &e);

	snprintf(path, sizeof path, "%s/kept.json", f->dir);
	FILE *k = fopen(path, "w");
	assert_non_null(k);
	fputs("old", k);
	fclose(k);
	struct fhir_export y = { .out = path };
	assert_int_equal(access_begin(s, ACT_EXPORT_RUN, mrn, "export", "fhir", &g, &e), 0);
	assert_int_equal(export_fhir_run(g, &y, &c, &e), FOLIO_EUSAGE);
	access_end(g, FOLIO_EUSAGE, &e);
	k = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, k));
	fclose(k);
	assert_string_equal(buf, "old");
	unlink(path);
	access_logout(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),	      cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_misuse),	      cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_base64),	      cmocka_unit_test(test_growth),
		cmocka_unit_test(test_check),	      cmocka_unit_test(test_fhir_forms),
		cmocka_unit_test(test_patient_link),  cmocka_unit_test(test_counts_text),
		cmocka_unit_test_setup_teardown(test_export_demo, fixture_setup_demo, fixture_teardown_db),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
