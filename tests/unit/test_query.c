/* folio — unit tests of physician queries (src/core/query*.c): the rules of
 * a compliant query, one by one; the text sealed to its row; escalation
 * and overdue as of the day it is read; an answer that commits whole or
 * not at all, filed on the right document; grants that do not reach
 * queries; indicator lines made safe to quote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/demo.h"
#include "folio/patient.h"
#include "folio/query.h"
#include "folio/smem.h"
#include "unit_fixture.h"

#define CODE DEMO_DOCTOR_SIGNATURE_CODE

/* The demo's users, signed in for each test. */
enum { TECH, DOCTOR, SUPER, USERS };
static const char *const users[USERS] = { "tech", "doctor", "super" };

struct qfx {
	struct fixture *f;
	struct session *as[USERS];
	char mrn[MRN_MAX];
	int64_t enc;           /* an admission of the patient, open */
};

static int setup(void **state)
{
	struct qfx *x = calloc(1, sizeof *x);
	struct adt a = { .attending = "doctor", .service = "medicine", .at = NULL };
	struct patient *p;
	struct folio_err e = { 0 };
	struct grant *g;

	if (!x || !(x->f = fixture_new_demo()) || !(p = patient_new()))
		return -1;
	for (int i = 0; i < USERS; i++) {
		char pw[40];
		snprintf(pw, sizeof pw, "demo-%s-pass", users[i]);
		x->as[i] = fixture_login(x->f->st, users[i], pw);
	}
	if (patient_set(p, PF_LAST, "Queryman", &e) || patient_set(p, PF_DOB, "1955-04-04", &e) ||
	    access_begin(x->as[TECH], ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e) ||
	    access_end(g, patient_register(g, p, &e), &e))
		return -1;
	str_copy(x->mrn, sizeof x->mrn, p->mrn);
	patient_free(p);
	if (access_begin(x->as[TECH], ACT_ENCOUNTER_EDIT, x->mrn, NULL, NULL, &g, &e) ||
	    access_end(g, encounter_admit(g, &a, &x->enc, &e), &e))
		return -1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct qfx *x = *state;

	for (int i = 0; i < USERS; i++)
		access_logout(x->as[i]);
	fixture_free(x->f);
	free(x);
	return 0;
}

static const char *const one_indicator[] = { "Sodium 128 mmol/L (L) on day 1" };

static struct query_new base(const struct qfx *x, enum query_format f)
{
	struct query_new q = { 0 };

	q.encounter_id = x->enc;
	q.to = "doctor";
	q.format = f;
	q.question = "What do the sodium results represent?";
	q.indicators = one_indicator;
	q.n_indicators = 1;
	return q;
}

/* query_create as the technician; the status, and the message in msg. */
static int create(struct qfx *x, const struct query_new *q, int64_t *id, char *msg)
{
	struct folio_err e = { 0 };
	struct grant *g;
	int64_t dummy = 0;
	int rc;

	assert_int_equal(access_begin(x->as[TECH], ACT_QUERY_SEND, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	rc = query_create(g, q, id ? id : &dummy, &e);
	access_end(g, rc, NULL);
	if (msg)
		str_copy(msg, FOLIO_ERR_MAX, e.msg);
	return rc;
}

static int answer(struct qfx *x, int64_t id, int option, const char *text, const char *code, int64_t *doc)
{
	struct query_reply r = { option, text, NULL };
	struct folio_err e = { 0 };
	struct grant *g;
	int64_t dummy = 0;
	int rc;

	assert_int_equal(access_begin(x->as[DOCTOR], ACT_QUERY_ANSWER, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	rc = query_answer(g, id, &r, code, strlen(code), doc ? doc : &dummy, &e);
	return access_end(g, rc, &e);
}

static void info_of(struct qfx *x, int64_t id, struct query_info *q)
{
	struct folio_err e = { 0 };
	struct grant *g;

	assert_int_equal(access_begin(x->as[TECH], ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_get(g, id, q, NULL, &e), FOLIO_OK);
	access_end(g, FOLIO_OK, &e);
}

static void test_rules(void **state)
{
	struct qfx *x = *state;
	static const char *const mc_ok[] = { "Hyponatremia", "SIADH", "other", " Clinically Undetermined " };
	static const char *const mc_no_undetermined[] = { "Hyponatremia", "SIADH", "Other" };
	static const char *const mc_one[] = { "Hyponatremia", "Other", "Clinically undetermined" };
	static const char *const mc_dup[] = { "SIADH", "siadh", "Other", "Clinically undetermined" };
	static const char *const bad_line[] = { "Sodium\x01" };
	static const char *const many[QUERY_INDICATORS_MAX + 1] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u" };
	static const char *const volume[] = { "Urine output 5 cc/kg over the first hour" };
	int64_t before = fixture_sql_int(x->f, "SELECT count(*) FROM queries"), id = 0;
	char msg[FOLIO_ERR_MAX];
	struct query_new q;

	q = base(x, QUERY_CHOICE);
	q.options = mc_no_undetermined;
	q.n_options = 3;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	assert_non_null(strstr(msg, "Clinically undetermined"));
	q.options = mc_one;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	assert_non_null(strstr(msg, "two clinically reasonable"));
	q.options = mc_dup;
	q.n_options = 4;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	assert_non_null(strstr(msg, "the same"));
	q = base(x, QUERY_YESNO);
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);   /* no case that allows it */
	q.yesno_case = "poa";
	q.options = mc_ok;
	q.n_options = 4;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);   /* yes/no brings its own options */
	q = base(x, QUERY_OPEN);
	q.yesno_case = "poa";
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q = base(x, QUERY_OPEN);
	q.n_indicators = 0;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q.indicators = many;
	q.n_indicators = QUERY_INDICATORS_MAX + 1;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q.indicators = bad_line;
	q.n_indicators = 1;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	assert_null(strstr(msg, "Sodium"));                     /* the rule, never the text */
	q = base(x, QUERY_OPEN);
	q.question = "Would a CC or an MCC change the MS-DRG?";
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q.question = "Adding this improves our quality score";
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q.question = "   ";
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q = base(x, QUERY_OPEN);
	q.to = "tech";
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_EUSAGE);
	q = base(x, QUERY_OPEN);
	q.encounter_id = 999999;
	assert_int_equal(create(x, &q, NULL, msg), FOLIO_ENOTFOUND);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM queries"), before);

	/* the ones that pass: "cc" as a volume is no payment word; the two
	 * options every query offers are kept in their usual spelling */
	q = base(x, QUERY_OPEN);
	q.indicators = volume;
	assert_int_equal(create(x, &q, &id, msg), FOLIO_OK);
	q = base(x, QUERY_CHOICE);
	q.options = mc_ok;
	q.n_options = 4;
	assert_int_equal(create(x, &q, &id, msg), FOLIO_OK);
	{
		struct folio_err e = { 0 };
		struct query_info qi;
		struct query_text *t = NULL;
		struct grant *g;

		assert_int_equal(access_begin(x->as[TECH], ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
		assert_int_equal(query_get(g, id, &qi, &t, &e), FOLIO_OK);
		access_end(g, FOLIO_OK, &e);
		assert_int_equal(t->n_options, 4);
		assert_string_equal(t->options[2], QUERY_OPTION_OTHER);
		assert_string_equal(t->options[3], QUERY_OPTION_UNDETERMINED);
		assert_string_equal(t->question, "What do the sodium results represent?");
		assert_string_equal(qi.status, "open");
		query_text_free(t);
	}
	q = base(x, QUERY_YESNO);
	q.yesno_case = "cause";
	assert_int_equal(create(x, &q, &id, msg), FOLIO_OK);
}

static void test_text_is_sealed_to_its_row(void **state)
{
	struct qfx *x = *state;
	struct query_new q = base(x, QUERY_OPEN);
	struct folio_err e = { 0 };
	struct query_info qi;
	struct query_text *t = NULL;
	struct grant *g;
	int64_t a = 0, b = 0;

	q.question = "Describe the marker-question-5150 finding";
	assert_int_equal(create(x, &q, &a, NULL), FOLIO_OK);
	q.question = "A second question";
	assert_int_equal(create(x, &q, &b, NULL), FOLIO_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM queries WHERE instr(body, "
					 "CAST('marker-question-5150' AS BLOB)) > 0"), 0);
	/* the first query's envelope copied onto the second does not open there */
	fixture_sqlf(x->f, "UPDATE queries SET body = (SELECT body FROM queries WHERE id = %lld) WHERE id = %lld",
		     (long long)a, (long long)b);
	assert_int_equal(access_begin(x->as[TECH], ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_get(g, b, &qi, &t, &e), FOLIO_EFAIL);
	assert_null(t);
	assert_int_equal(query_get(g, a, &qi, &t, &e), FOLIO_OK);
	query_text_free(t);
	access_end(g, FOLIO_OK, &e);
}

static int count_row(const struct query_info *q, void *ctx)
{
	(void)q;
	(*(int *)ctx)++;
	return 0;
}

static void test_escalation_when_read(void **state)
{
	struct qfx *x = *state;
	struct query_new q = base(x, QUERY_OPEN);
	struct folio_err e = { 0 };
	struct query_filter f = { .to = "doctor2" };
	struct query_info qi;
	struct grant *g;
	int64_t id = 0;
	int n = 0;

	q.due = "T";
	q.escalate = "T+3";
	assert_int_equal(create(x, &q, &id, NULL), FOLIO_OK);
	info_of(x, id, &qi);
	assert_string_equal(qi.status, "open");
	assert_int_equal(qi.days_overdue, 0);                   /* due today is not late */
	fixture_sqlf(x->f, "UPDATE queries SET due_on = date('now', '-4 days'), escalate_on = date('now')"
		     " WHERE id = %lld", (long long)id);
	info_of(x, id, &qi);
	assert_string_equal(qi.status, "escalated");            /* from its escalation date on */
	assert_int_equal(qi.days_overdue, 4);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM queries WHERE status = 'escalated'"), 0);

	assert_int_equal(access_begin(x->as[SUPER], ACT_QUEUE_VIEW, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_overdue(g, "doctor", count_row, &n, &e), FOLIO_OK);
	access_end(g, FOLIO_OK, &e);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(access_begin(x->as[DOCTOR], ACT_INBOX_VIEW, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_inbox(g, NULL, count_row, &n, &e), FOLIO_OK);
	assert_int_equal(n, 1);
	/* minimum necessary: a physician lists only what was sent to them */
	assert_int_equal(query_list(g, &f, count_row, &n, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_OK, &e);
	/* answered, it is neither escalated nor overdue */
	assert_int_equal(answer(x, id, 0, "Hyponatremia", CODE, NULL), FOLIO_OK);
	info_of(x, id, &qi);
	assert_string_equal(qi.status, "answered");
	assert_int_equal(qi.days_overdue, 0);
}

/* A document of the admission by the doctor, signed or not. */
static int64_t note(struct qfx *x, enum doc_type t, const char *text, int sign)
{
	struct document_new d = { .type = t, .author = "doctor", .encounter_id = x->enc };
	struct folio_err e = { 0 };
	struct grant *g;
	char status[16];
	int64_t id = 0;

	assert_int_equal(access_begin(x->as[DOCTOR], ACT_NOTE_WRITE, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, document_create(g, &d, text, strlen(text), &id, &e), &e), FOLIO_OK);
	if (sign) {
		assert_int_equal(access_begin(x->as[DOCTOR], ACT_NOTE_SIGN, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
		assert_int_equal(access_end(g, document_sign(g, id, CODE, strlen(CODE), status, &e), &e), FOLIO_OK);
	}
	return id;
}

static int64_t parent_of(struct qfx *x, int64_t doc)
{
	char sql[96];

	snprintf(sql, sizeof sql, "SELECT parent_id FROM documents WHERE id = %lld", (long long)doc);
	return fixture_sql_int(x->f, sql);
}

static void test_answer_whole_or_nothing(void **state)
{
	struct qfx *x = *state;
	struct query_new q = base(x, QUERY_OPEN);
	int64_t id = 0, doc = 0, progress, docs;
	struct query_info qi;

	progress = note(x, DOC_PROGRESS, "Progress: sodium improving", 1);
	note(x, DOC_DISCHARGE, "Discharge summary, not yet signed", 0);
	note(x, DOC_PSYCHOTHERAPY, "A psychotherapy note, signed", 1);
	assert_int_equal(create(x, &q, &id, NULL), FOLIO_OK);
	docs = fixture_sql_int(x->f, "SELECT count(*) FROM documents");
	assert_int_equal(answer(x, id, 0, "Hyponatremia", "not-the-code", &doc), FOLIO_EDENIED);
	assert_int_equal(doc, 0);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM documents"), docs);
	info_of(x, id, &qi);
	assert_string_equal(qi.status, "open");
	/* the unsigned discharge summary takes no addendum, a sensitive note
	 * is never the target: the signed progress note is */
	assert_int_equal(answer(x, id, 0, "Hyponatremia", CODE, &doc), FOLIO_OK);
	assert_true(doc > 0);
	assert_int_equal(parent_of(x, doc), progress);
	info_of(x, id, &qi);
	assert_string_equal(qi.status, "answered");
	assert_int_equal(qi.addendum_id, doc);
	assert_string_equal(qi.answered_by, "doctor");
}

static void test_signed_discharge_summary_first(void **state)
{
	struct qfx *x = *state;
	struct query_new q = base(x, QUERY_OPEN);
	int64_t id = 0, doc = 0, ds;

	ds = note(x, DOC_DISCHARGE, "Discharge summary", 1);
	note(x, DOC_PROGRESS, "A later progress note", 1);
	assert_int_equal(create(x, &q, &id, NULL), FOLIO_OK);
	assert_int_equal(answer(x, id, 0, "Hyponatremia", CODE, &doc), FOLIO_OK);
	assert_int_equal(parent_of(x, doc), ds);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM signatures s JOIN documents d ON"
					 " d.id = s.document_id WHERE d.parent_id IS NOT NULL AND s.signer = 'doctor'"),
			 1);
}

static void test_grants_that_do_not_reach(void **state)
{
	struct qfx *x = *state;
	struct query_new q = base(x, QUERY_OPEN);
	struct query_reply r = { 0, "words", NULL };
	struct folio_err e = { 0 };
	struct grant *g;
	int64_t id = 0, doc = 0;

	assert_int_equal(create(x, &q, &id, NULL), FOLIO_OK);
	assert_int_equal(access_begin(x->as[SUPER], ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_create(g, &q, &id, &e), FOLIO_EDENIED);
	assert_int_equal(query_close(g, id, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_OK, &e);
	assert_int_equal(access_begin(x->as[SUPER], ACT_QUERY_SEND, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_answer(g, id, &r, CODE, strlen(CODE), &doc, &e), FOLIO_EDENIED);
	assert_int_equal(query_indicator_lines(g, x->enc, NULL, NULL, &e), FOLIO_EDENIED);
	access_end(g, FOLIO_OK, &e);
	/* a query of another chart is not found through this one */
	{
		struct patient *p = patient_new();
		assert_non_null(p);
		assert_int_equal(patient_set(p, PF_LAST, "Otherchart", &e), FOLIO_OK);
		assert_int_equal(access_begin(x->as[TECH], ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e), FOLIO_OK);
		assert_int_equal(access_end(g, patient_register(g, p, &e), &e), FOLIO_OK);
		assert_int_equal(access_begin(x->as[TECH], ACT_QUERY_SEND, p->mrn, NULL, NULL, &g, &e), FOLIO_OK);
		assert_int_equal(query_withdraw(g, id, "why", &e), FOLIO_ENOTFOUND);
		access_end(g, FOLIO_OK, &e);
		patient_free(p);
	}
}

struct lines {
	int n, long_ok, tab_ok, result_ok;
};

static int line_seen(const char *line, const char *source, void *ctx)
{
	struct lines *l = ctx;
	size_t n = strlen(line);

	l->n++;
	assert_true(n > 0 && n <= QUERY_LINE_MAX);
	assert_true(fixture_utf8_text(line, n));
	if (strncmp(line, "Progress note", 13) == 0 && strstr(line, "ééé"))
		l->long_ok = n <= QUERY_LINE_MAX;
	if (strstr(line, "a b"))
		l->tab_ok = 1;
	if (strcmp(source, "result") == 0 && strstr(line, "Sodium: 128 mmol/L (L)"))
		l->result_ok = 1;
	return 0;
}

static void test_indicator_lines(void **state)
{
	struct qfx *x = *state;
	struct clinical_item *it = clinical_items_new(1);
	struct folio_err e = { 0 };
	struct lines l = { 0 };
	struct grant *g;
	char body[1200];
	size_t o = 0;

	/* one line of 2-byte characters far past the limit, and a tab */
	o += (size_t)snprintf(body, sizeof body, "Findings: ");
	for (int i = 0; i < 400; i++)
		o += (size_t)snprintf(body + o, sizeof body - o, "é");
	snprintf(body + o, sizeof body - o, "\n\n   \na\tb\n");
	note(x, DOC_PROGRESS, body, 0);
	clinical_item_init(it, CLIN_RESULT);
	assert_int_equal(clinical_set(it, RF_TEST, "Sodium", &e), FOLIO_OK);
	assert_int_equal(clinical_set(it, RF_VALUE, "128", &e), FOLIO_OK);
	assert_int_equal(clinical_set(it, RF_UNITS, "mmol/L", &e), FOLIO_OK);
	assert_int_equal(clinical_set(it, RF_FLAG, "L", &e), FOLIO_OK);
	it->encounter_id = x->enc;
	assert_int_equal(access_begin(x->as[TECH], ACT_CLINICAL_ENTER, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(access_end(g, clinical_add(g, it, &e), &e), FOLIO_OK);
	clinical_items_free(it, 1);

	assert_int_equal(access_begin(x->as[TECH], ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	assert_int_equal(query_indicator_lines(g, x->enc, line_seen, &l, &e), FOLIO_OK);
	access_end(g, FOLIO_OK, &e);
	assert_int_equal(l.n, 3);         /* the result, the long line, "a b"; blank lines dropped */
	assert_true(l.long_ok);
	assert_true(l.tab_ok);
	assert_true(l.result_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_is_sealed_to_its_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_when_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_whole_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signed_discharge_summary_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grants_that_do_not_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indicator_lines, setup, teardown),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
