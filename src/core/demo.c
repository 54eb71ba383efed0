/* folio — a ready demo database: one account per role and synthetic
 * patients, made through the same gate as any other (init, sign-in,
 * user.add, patient.add), so all of it is audited.  Which patients get a
 * chart is picked here; demo_chart.c fills them. */
#include "folio/demo.h"

#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "folio/access.h"
#include "folio/account.h"
#include "folio/codes.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/synth.h"

const struct demo_user demo_users[] = {
	{ "admin", "admin", "demo-admin-pass" },
	{ "desk", "frontdesk", "demo-desk-pass" },
	{ "tech", "technician", "demo-tech-pass" },
	{ "super", "supervisor", "demo-super-pass" },
	{ "doctor", "physician", "demo-doctor-pass" },
};
const size_t demo_user_count = sizeof demo_users / sizeof demo_users[0];

#define DEMO_BATCH 5000
#define DEMO_SEED 20261124

/* Fixed patients a demonstration (and the interface tests) can rely on. */
static const struct {
	const char *last, *first, *dob, *sex, *phone, *ssn;
	int flag; /* 1 restricted, 2 TEST, 3 the clerk's own record */
	enum demo_story story;
} fixed[] = {
	{ "O'Brien-Muñoz", "Seán", "1962-03-14", "M", "617-555-1234", "987-65-4321", 0, DEMO_STORY_HEART },
	{ "Smith", "John", "1980-03-04", "M", "508-555-9876", "", 0, DEMO_STORY_DIABETES },
	{ "Smith", "Jane", "1985-07-01", "F", "508-555-2222", "", 0, DEMO_STORY_ASTHMA },
	{ "Smith", "Julia", "1990-11-02", "F", "508-555-3131", "", 0, DEMO_STORY_WELL },
	{ "Muñoz", "Ana", "1990-03-14", "F", "617-555-0001", "", 0, DEMO_STORY_MOOD },
	{ "Nguyen", "Minh", "1975-05-20", "M", "415-555-4545", "", 1, DEMO_STORY_ADMITTED },
	{ "Testpatient", "Zzyzx", "2000-01-01", "U", "999-555-0000", "", 2, DEMO_STORY_TEST },
	{ "Desk", "Dana", "1988-08-08", "F", "617-555-8888", "", 3, DEMO_STORY_NONE },
};

static void set_synthetic(struct patient *p, const struct synth_person *sp)
{
	const struct {
		enum patient_field f;
		const char *v;
	} map[] = {
		{ PF_LAST, sp->last },       { PF_FIRST, sp->first },         { PF_MIDDLE, sp->middle },
		{ PF_SUFFIX, sp->suffix },   { PF_PREFERRED, sp->preferred }, { PF_DOB, sp->dob },
		{ PF_SEX, sp->sex },         { PF_ADDRESS, sp->address },     { PF_CITY, sp->city },
		{ PF_STATE, sp->state },     { PF_ZIP, sp->zip },             { PF_PHONE, sp->phone },
		{ PF_MOBILE, sp->mobile },   { PF_EMAIL, sp->email },         { PF_SSN, sp->ssn },
		{ PF_LANGUAGE, sp->language }, { PF_INSURER, sp->insurer },   { PF_MEMBER_ID, sp->member_id },
		{ PF_EMERGENCY, sp->emergency_name }, { PF_EMERGENCY_PHONE, sp->emergency_phone },
	};

	memset(p, 0, sizeof *p);
	/* a generated value a field refuses is simply left out */
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		(void)patient_set(p, map[i].f, map[i].v, NULL);
}

/* Notes patient i (just registered as p) for a chart when the demo gives
 * it one: the fixed ones with a story, then about every DEMO_CHART_EVERY-th
 * synthetic one old enough for the stories (two and over). */
static void chart_pick(struct demo_chart *charts, size_t *n, size_t i, const struct patient *p,
		       const struct synth_person *sp, size_t *since)
{
	struct demo_chart *c = &charts[*n];

	if (*n >= DEMO_CHARTS_MAX)
		return;
	if (i < sizeof fixed / sizeof fixed[0]) {
		if (fixed[i].story == DEMO_STORY_NONE)
			return;
		c->story = fixed[i].story;
		c->age = demo_age(fixed[i].dob);
		c->sex = fixed[i].sex[0];
	} else {
		c->age = demo_age(sp->dob);
		if (++*since < DEMO_CHART_EVERY || c->age < 2)
			return;
		*since = 0;
		c->story = DEMO_STORY_SYNTHETIC;
		c->sex = sp->sex[0];
	}
	str_copy(c->mrn, sizeof c->mrn, p->mrn);
	(*n)++;
}

static int demo_patients(struct session *tech, struct session *admin, struct session *doctor, long n,
			 struct folio_err *e)
{
	struct patient *p = patient_new();
	struct demo_chart *charts = smem_alloc(DEMO_CHARTS_MAX * sizeof *charts);
	struct synth *g = NULL;
	struct synth gen;
	struct synth_person sp;
	struct grant *gr = NULL;
	char restricted[MRN_MAX] = "", own[MRN_MAX] = "";
	size_t ncharts = 0, since = 0;
	long done = 0;
	int rc = FOLIO_OK;

	if (!p || !charts) {
		patient_free(p);
		smem_free(charts);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	synth_init(&gen, DEMO_SEED);
	g = &gen;
	while (done < n && rc == FOLIO_OK) {
		if ((rc = access_begin(tech, ACT_PATIENT_ADD, NULL, "patient", "demo", &gr, e)))
			break;
		for (long k = 0; k < DEMO_BATCH && done < n && rc == FOLIO_OK; k++, done++) {
			size_t i = (size_t)done;
			if (i < sizeof fixed / sizeof fixed[0]) {
				memset(p, 0, sizeof *p);
				patient_set(p, PF_LAST, fixed[i].last, NULL);
				patient_set(p, PF_FIRST, fixed[i].first, NULL);
				patient_set(p, PF_DOB, fixed[i].dob, NULL);
				patient_set(p, PF_SEX, fixed[i].sex, NULL);
				patient_set(p, PF_PHONE, fixed[i].phone, NULL);
				patient_set(p, PF_SSN, fixed[i].ssn, NULL);
				patient_set(p, PF_ADDRESS, "1 Demo Way", NULL);
				patient_set(p, PF_CITY, "Boston", NULL);
				patient_set(p, PF_STATE, "MA", NULL);
				patient_set(p, PF_ZIP, "02134", NULL);
				p->test = fixed[i].flag == 2;
			} else {
				synth_person(g, &sp);
				set_synthetic(p, &sp);
			}
			rc = patient_register(gr, p, e);
			if (rc == FOLIO_OK)
				chart_pick(charts, &ncharts, i, p, &sp, &since);
			if (rc == FOLIO_OK && i < sizeof fixed / sizeof fixed[0] && fixed[i].flag == 1)
				str_copy(restricted, sizeof restricted, p->mrn);
			if (rc == FOLIO_OK && i < sizeof fixed / sizeof fixed[0] && fixed[i].flag == 3)
				str_copy(own, sizeof own, p->mrn);
		}
		rc = access_end(gr, rc, e);
	}
	memset(&sp, 0, sizeof sp);
	patient_free(p);
	/* before the restriction: a clinic charts a patient before anyone
	 * asks for the record to be restricted */
	if (rc == FOLIO_OK)
		rc = demo_charts(tech, doctor, charts, ncharts, e);
	if (rc == FOLIO_OK)
		rc = demo_tracking(tech, doctor, charts, ncharts, e);
	if (rc == FOLIO_OK)
		rc = demo_queries(tech, doctor, charts, ncharts, e);
	if (rc == FOLIO_OK)
		rc = demo_deficiencies(tech, e);
	smem_free(charts);
	if (rc == FOLIO_OK && restricted[0]) {
		if ((rc = access_begin(tech, ACT_PATIENT_RESTRICT, restricted, "patient", restricted, &gr, e)) == FOLIO_OK)
			rc = access_end(gr, patient_restrict(gr, 1, e), e);
	}
	if (rc == FOLIO_OK && own[0]) {
		if ((rc = access_begin(admin, ACT_USER_LINK, NULL, "patient", own, &gr, e)) == FOLIO_OK)
			rc = access_end(gr, patient_link_staff(gr, own, "desk", e), e);
	}
	return rc;
}

/* The doctor's signature code, so the demo can sign and so can whoever
 * signs in as the doctor. */
static int demo_sigcode(struct session *doctor, struct folio_err *e)
{
	static const char code[] = DEMO_DOCTOR_SIGNATURE_CODE;
	struct grant *g;
	int rc = access_begin(doctor, ACT_SIGCODE_SET, NULL, "user", "doctor", &g, e);

	return rc ? rc : access_end(g, account_sigcode_set(g, code, sizeof code - 1, e), e);
}

/* Loads the code sets (as the admin) so that the demo's admissions are
 * coded and grouped as they are made. */
static int demo_codes(struct session *admin, const char *dir, struct folio_err *e)
{
	struct codes_load *l = NULL;
	struct grant *g;
	int rc = codes_load_read(dir, NULL, NULL, NULL, &l, e);

	if (rc == FOLIO_OK && (rc = access_begin(admin, ACT_CODES_LOAD, NULL, "codes", dir, &g, e)) == FOLIO_OK)
		rc = access_end(g, codes_load_store(g, l, NULL, NULL, e), e);
	codes_load_free(l);
	return rc;
}

int demo_create(const char *path, long patients, const char *codesets, char *recovery_text, size_t cap,
		struct folio_err *e)
{
	const struct demo_user *admin = &demo_users[0];
	struct store *st;
	struct session *s, *tech = NULL, *doctor = NULL;
	int rc;

	if (patients < 0 || patients > DEMO_PATIENTS_MAX)
		return err_set(e, FOLIO_EUSAGE, "the demo takes 0 to %d patients", DEMO_PATIENTS_MAX);
	if ((rc = access_init_db(path, admin->name, admin->password, strlen(admin->password), 0,
				 recovery_text, cap, e)))
		return rc;
	if ((rc = access_open(path, &st, e)))
		return rc;
	if ((rc = access_login(st, admin->name, admin->password, strlen(admin->password), &s, e))) {
		access_close(st);
		return rc;
	}
	for (size_t i = 1; i < demo_user_count && rc == FOLIO_OK; i++) {
		const struct demo_user *u = &demo_users[i];
		struct grant *g;

		if ((rc = access_begin(s, ACT_USER_ADD, NULL, "user", u->name, &g, e)))
			break;
		rc = account_add(g, u->name, (enum role)role_parse(u->role), u->password,
				 strlen(u->password), e);
		rc = access_end(g, rc, e);
	}
	if (rc == FOLIO_OK) {
		const struct demo_user *d = &demo_users[4];
		rc = access_login(st, d->name, d->password, strlen(d->password), &doctor, e);
		if (rc == FOLIO_OK)
			rc = demo_sigcode(doctor, e);
	}
	if (rc == FOLIO_OK && codesets)
		rc = demo_codes(s, codesets, e);
	if (rc == FOLIO_OK && patients > 0) {
		const struct demo_user *t = &demo_users[2];
		rc = access_login(st, t->name, t->password, strlen(t->password), &tech, e);
		if (rc == FOLIO_OK)
			rc = demo_patients(tech, s, doctor, patients, e);
		access_logout(tech);
	}
	access_logout(doctor);
	access_logout(s);
	access_close(st);
	return rc;
}
