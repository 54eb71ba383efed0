/* folio — the de-identified research extract (`export deid`): walks every
 * chart under one ACT_EXPORT_RUN grant and writes what Safe Harbor lets
 * out (deid.c does each field's rule) as CSV files plus a manifest.
 * Restricted charts are included: nothing in the extract identifies them. */
#include "folio/deid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clinical_internal.h"
#include "coding_internal.h"
#include "core_internal.h"
#include "folio/clinical.h"
#include "folio/coding.h"
#include "folio/smem.h"

#define DIR_CAP 2048
#define PATH_CAP 4096

static const char *const headers[DEID_FILES][12] = {
	[DEID_PATIENTS] = { "patient", "sex", "birth_year", "age", "state", "zip3" },
	[DEID_ENCOUNTERS] = { "encounter", "patient", "kind", "status", "start_year", "end_year", "age_at_start",
			      "discharge_status" },
	[DEID_DIAGNOSES] = { "encounter", "patient", "seq", "icd10cm", "poa" },
	[DEID_PROCEDURES] = { "encounter", "patient", "seq", "icd10pcs", "year" },
	[DEID_DRGS] = { "encounter", "patient", "drg", "mdc", "grouper" },
	[DEID_VITALS] = { "patient", "encounter", "year", "weight_kg", "height_cm", "bmi", "bp", "pulse",
			  "temp_c", "resp", "spo2", "pain" },
	[DEID_RESULTS] = { "patient", "encounter", "year", "loinc", "value", "units", "flag" },
	[DEID_PROBLEMS] = { "patient", "encounter", "snomed", "icd10cm", "onset_year", "resolved_year", "status" },
	[DEID_MEDICATIONS] = { "patient", "encounter", "rxnorm", "start_year", "stop_year", "status" },
	[DEID_ALLERGIES] = { "patient", "encounter", "type", "snomed", "severity", "status" },
	[DEID_CHARTED_PROCEDURES] = { "patient", "encounter", "snomed", "year", "status" },
};

struct walk {
	struct grant *g;
	FILE *f[DEID_FILES];
	long *rows;
	char today[32];
	struct folio_err *e;
};

static size_t header_count(enum deid_file f)
{
	size_t n = 0;

	while (n < 12 && headers[f][n])
		n++;
	return n;
}

static int put(struct walk *w, enum deid_file f, const char *const *cols)
{
	if (deid_csv_row(w->f[f], cols, header_count(f)) != 0)
		return err_set(w->e, FOLIO_EFAIL, "cannot write %s: %s", deid_file_name(f), strerror(errno));
	w->rows[f]++;
	return FOLIO_OK;
}

static int pseudonym(struct walk *w, const char *kind, int64_t id, char out[PSEUDONYM_HEX + 1])
{
	return crypto_pseudonym(grant_keys(w->g), kind, id, out, w->e);
}

/* The coded diagnoses, procedures and stored DRG of one encounter. */
static int coding_rows(struct walk *w, int64_t eid, const char *enc, const char *pat)
{
	struct coding *c = coding_new();
	char seq[12], year[5], drg[12], mdc[12];
	int rc;

	if (!c)
		return err_set(w->e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = coding_stored(w->g, eid, c, w->e)))
		goto out;
	if (c->pdx[0]) {
		const char *row[] = { enc, pat, "0", c->pdx, "" };
		if ((rc = put(w, DEID_DIAGNOSES, row)))
			goto out;
	}
	for (int i = 0; i < c->nsdx; i++) {
		char poa[2] = { c->sdx[i].poa == ' ' ? '\0' : c->sdx[i].poa, '\0' };
		const char *row[] = { enc, pat, seq, c->sdx[i].code, poa };
		snprintf(seq, sizeof seq, "%d", i + 1);
		if ((rc = put(w, DEID_DIAGNOSES, row)))
			goto out;
	}
	for (int i = 0; i < c->nproc; i++) {
		const char *row[] = { enc, pat, seq, c->proc[i].code, year };
		snprintf(seq, sizeof seq, "%d", i + 1);
		deid_year(c->proc[i].date, year);
		if ((rc = put(w, DEID_PROCEDURES, row)))
			goto out;
	}
	if (c->group.grouped) {
		const char *row[] = { enc, pat, drg, mdc, c->group.version };
		snprintf(drg, sizeof drg, "%03d", c->group.r.final_drg);
		snprintf(mdc, sizeof mdc, "%02d", c->group.r.final_mdc);
		rc = put(w, DEID_DRGS, row);
	}
out:
	coding_free(c);
	return rc;
}

/* The encounters of patient row pid, with their coding. */
static int encounter_rows(struct walk *w, int64_t pid, const char *pat, const char *dob)
{
	char enc[PSEUDONYM_HEX + 1], y0[5], y1[5], age[8];
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(w->g), "SELECT id, kind, state, started_at, coalesce(ended_at, ''),"
				   " coalesce(discharge_status, '') FROM encounters WHERE patient_id = ? ORDER BY id",
				   &s, w->e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	while ((rc = stmt_step(s, w->e)) == STMT_ROW) {
		int64_t eid = stmt_int64(s, 0);
		char kind[16], state[16], start[32], end[32], dis[8];
		str_copy(kind, sizeof kind, stmt_text(s, 1));
		str_copy(state, sizeof state, stmt_text(s, 2));
		str_copy(start, sizeof start, stmt_text(s, 3));
		str_copy(end, sizeof end, stmt_text(s, 4));
		str_copy(dis, sizeof dis, stmt_text(s, 5));
		deid_year(start, y0);
		deid_year(end, y1);
		deid_age_text(deid_age(dob, start), age);
		const char *row[] = { enc, pat, kind, state, y0, y1, age, dis };
		if ((rc = pseudonym(w, "encounter", eid, enc)) || (rc = put(w, DEID_ENCOUNTERS, row)) ||
		    (rc = coding_rows(w, eid, enc, pat)))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The year of a date field ("" when it has none), for a row's initializer. */
static const char *year_of(const char *date, char year[5])
{
	deid_year(date, year);
	return year;
}

/* A problem, medication, allergy or charted procedure: codes, years and
 * statuses only (their names and texts are free text, dropped). */
static int coded_row(struct walk *w, const struct clinical_item *it, const char *pat, const char *enc)
{
	char y1[5], y2[5];

	switch (it->kind) {
	case CLIN_PROBLEM: {
		const char *row[] = { pat, enc, it->v[PRF_SNOMED], it->v[PRF_ICD], year_of(it->v[PRF_ONSET], y1),
				      year_of(it->v[PRF_RESOLVED], y2), it->status };
		return put(w, DEID_PROBLEMS, row);
	}
	case CLIN_MED: {
		const char *row[] = { pat, enc, it->v[MF_RXNORM], year_of(it->v[MF_START], y1),
				      year_of(it->v[MF_STOP], y2), it->status };
		return put(w, DEID_MEDICATIONS, row);
	}
	case CLIN_ALLERGY: {
		const char *row[] = { pat, enc, it->v[AF_TYPE], it->v[AF_SNOMED], it->v[AF_SEVERITY], it->status };
		return put(w, DEID_ALLERGIES, row);
	}
	default: {
		/* a code of another system than SNOMED CT comes with a system
		 * name typed as free text: neither is kept */
		const char *code = clinical_snomed_system(it->v[PCF_SYSTEM]) ? it->v[PCF_CODE] : "";
		const char *row[] = { pat, enc, code, year_of(it->v[PCF_DATE], y1), it->status };
		return put(w, DEID_CHARTED_PROCEDURES, row);
	}
	}
}

/* One clinical item: values, codes, units, years and statuses only. */
static int item_row(struct walk *w, const struct clinical_item *it, const char *pat)
{
	char enc[PSEUDONYM_HEX + 1] = "", year[5];
	int rc;

	if (it->encounter_id && (rc = pseudonym(w, "encounter", it->encounter_id, enc)))
		return rc;
	if (it->kind != CLIN_VITALS && it->kind != CLIN_RESULT)
		return coded_row(w, it, pat, enc);
	if (it->kind == CLIN_VITALS) {
		const char *row[12] = { pat, enc, year };
		deid_year(it->v[VF_TAKEN][0] ? it->v[VF_TAKEN] : it->recorded_at, year);
		for (int i = VF_WEIGHT; i <= VF_PAIN; i++)
			row[3 + i - VF_WEIGHT] = it->v[i];
		return put(w, DEID_VITALS, row);
	}
	const char *value = deid_numeric(it->v[RF_VALUE]) ? it->v[RF_VALUE] : "";
	const char *row[] = { pat, enc, year, it->v[RF_LOINC], value, it->v[RF_UNITS], it->v[RF_FLAG] };
	deid_year(it->v[RF_COLLECTED][0] ? it->v[RF_COLLECTED] : it->recorded_at, year);
	return put(w, DEID_RESULTS, row);
}

static int item_rows(struct walk *w, int64_t pid, const char *pat)
{
	struct clinical_item *it = clinical_items_new(1);
	struct stmt *s;
	int rc;

	if (!it)
		return err_set(w->e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(w->g), "SELECT id FROM clinical_items WHERE patient_id = ? AND kind IN"
				   " ('vitals', 'result', 'problem', 'medication', 'allergy', 'procedure')"
				   " AND status <> 'entered-in-error' ORDER BY id", &s, w->e))) {
		clinical_items_free(it, 1);
		return rc;
	}
	stmt_bind_int64(s, 1, pid);
	while ((rc = stmt_step(s, w->e)) == STMT_ROW)
		if ((rc = clinical_item_stored(w->g, pid, stmt_int64(s, 0), it, w->e)) ||
		    (rc = item_row(w, it, pat)))
			break;
	stmt_finalize(s);
	clinical_items_free(it, 1);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* One patient's row and everything of theirs. */
static int patient_rows(struct walk *w, int64_t pid, const uint8_t *env, size_t len, struct patient *p,
			uint8_t *scratch)
{
	char pat[PSEUDONYM_HEX + 1], by[5] = "", age[8], zip3[4];
	int rc, years;

	if ((rc = patient_open(grant_keys(w->g), pid, env, len, scratch, p, w->e)) ||
	    (rc = pseudonym(w, "patient", pid, pat)))
		return rc;
	years = deid_age(p->v[PF_DOB], w->today);
	deid_age_text(years, age);
	/* Over 89 the birth year would give the age back. */
	if (years >= 0 && years <= 89)
		deid_year(p->v[PF_DOB], by);
	deid_zip3(p->v[PF_ZIP], zip3);
	const char *row[] = { pat, p->v[PF_SEX], by, age, p->v[PF_STATE], zip3 };
	if ((rc = put(w, DEID_PATIENTS, row)) || (rc = encounter_rows(w, pid, pat, p->v[PF_DOB])) ||
	    (rc = item_rows(w, pid, pat)))
		return rc;
	return FOLIO_OK;
}

static int walk_all(struct walk *w)
{
	struct patient *p = patient_new();
	uint8_t *scratch = smem_alloc(PATIENT_BLOB_MAX);
	struct stmt *s = NULL;
	int rc;

	if (!p || !scratch) {
		rc = err_set(w->e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	for (int f = 0; f < DEID_FILES; f++)
		if (deid_csv_row(w->f[f], headers[f], header_count((enum deid_file)f)) != 0) {
			rc = err_set(w->e, FOLIO_EFAIL, "cannot write %s", deid_file_name((enum deid_file)f));
			goto out;
		}
	if ((rc = stmt_prepare(grant_store(w->g), "SELECT id, demographics FROM patients"
						 " WHERE merged_into IS NULL ORDER BY id", &s, w->e)))
		goto out;
	keyring_pin(grant_keys(w->g));
	while ((rc = stmt_step(s, w->e)) == STMT_ROW) {
		size_t len;
		const uint8_t *env = stmt_blob(s, 1, &len);
		if ((rc = patient_rows(w, stmt_int64(s, 0), env, len, p, scratch)))
			break;
	}
	keyring_unpin(grant_keys(w->g));
	if (rc == STMT_DONE)
		rc = FOLIO_OK;
out:
	if (s)
		stmt_finalize(s);
	if (scratch)
		smem_free(scratch);
	patient_free(p);
	return rc;
}

static int manifest_write(struct walk *w, const char *path)
{
	static const char *const rules[] = {
		"patient, encounter: keyed pseudonyms (BLAKE2b of the row id under a subkey of the index key);"
		" not reversible without the key",
		"names, MRN, SSN, phones, email, street address, city, emergency contact, insurer and member id,"
		" language, race, ethnicity: dropped",
		"dates: the year only; ages over 89 written 90+ and their birth year dropped",
		"ZIP: the first three digits; 000 for the 17 three-digit areas of 20,000 people or fewer"
		" (036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893)",
		"free text (visit reasons, clinics, notes, problem, drug, allergen and procedure names, reactions,"
		" test names, non-numeric results, code systems typed by hand): dropped; kept are ICD-10-CM/PCS"
		" codes, POA, MS-DRG and MDC, SNOMED CT, RxNorm and LOINC codes, numeric values and units,"
		" allergy type and severity, item statuses",
		"sex, state, encounter kind and status, discharge status: kept",
	};
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	int bad;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return err_set(w->e, FOLIO_EFAIL, "cannot write manifest.txt: %s", strerror(errno));
	}
	fprintf(f, "folio de-identified extract (HIPAA Safe Harbor, 45 CFR 164.514(b)(2))\n");
	fprintf(f, "folio version: %s\nmade at: %s\nmade by: %s\n\nwhat was done:\n", FOLIO_VERSION, w->today,
		session_user(grant_session(w->g)));
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		fprintf(f, "- %s\n", rules[i]);
	fprintf(f, "\nrows (data rows, after the header line):\n");
	for (int i = 0; i < DEID_FILES; i++)
		fprintf(f, "%s %ld\n", deid_file_name((enum deid_file)i), w->rows[i]);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return err_set(w->e, FOLIO_EFAIL, "cannot write manifest.txt");
	return FOLIO_OK;
}

/* FOLIO_OK when dir may take the extract: absent, or an empty directory. */
static int dir_usable(const char *dir, struct folio_err *e)
{
	struct stat st;
	struct dirent *d;
	DIR *dp;
	int empty = 1;

	if (stat(dir, &st) != 0)
		return errno == ENOENT ? FOLIO_OK : err_set(e, FOLIO_EUSAGE, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, FOLIO_EUSAGE, "%s exists and is not a directory", dir);
	if (!(dp = opendir(dir)))
		return err_set(e, FOLIO_EUSAGE, "%s: %s", dir, strerror(errno));
	while (empty && (d = readdir(dp)))
		empty = strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0;
	closedir(dp);
	return empty ? FOLIO_OK : err_set(e, FOLIO_EUSAGE, "%s is not empty: give a new or empty directory", dir);
}

/* Removes the temporary directory and what is in it. */
static void tmp_remove(const char *tmp)
{
	char path[PATH_CAP];

	for (int i = 0; i <= DEID_FILES; i++) {
		snprintf(path, sizeof path, "%.2100s/%s", tmp, i < DEID_FILES ? deid_file_name((enum deid_file)i)
									   : "manifest.txt");
		unlink(path);
	}
	rmdir(tmp);
}

int export_deid_run(struct grant *g, const char *dir, long rows[DEID_FILES], struct folio_err *e)
{
	struct walk w = { .g = g, .rows = rows, .e = e };
	char clean[DIR_CAP], tmp[DIR_CAP + 16], path[PATH_CAP];
	size_t n;
	int rc = FOLIO_OK;

	memset(rows, 0, DEID_FILES * sizeof rows[0]);
	if (grant_action(g) != ACT_EXPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "the extract needs its own grant");
	if (!dir || !dir[0] || (n = strlen(dir)) >= DIR_CAP)
		return err_set(e, FOLIO_EUSAGE, "give the output directory: --out DIR");
	str_copy(clean, sizeof clean, dir);
	while (n > 1 && clean[n - 1] == '/')
		clean[--n] = '\0';
	if ((rc = dir_usable(clean, e)))
		return rc;
	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", clean);
	if (!mkdtemp(tmp))
		return err_set(e, FOLIO_EFAIL, "cannot make a directory beside %s: %s", clean, strerror(errno));
	time_utc_now(w.today, sizeof w.today);
	for (int i = 0; i < DEID_FILES && !rc; i++) {
		int fd;
		snprintf(path, sizeof path, "%s/%s", tmp, deid_file_name((enum deid_file)i));
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || !(w.f[i] = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			rc = err_set(e, FOLIO_EFAIL, "cannot create %s: %s", deid_file_name((enum deid_file)i),
				     strerror(errno));
		}
	}
	if (!rc)
		rc = walk_all(&w);
	for (int i = 0; i < DEID_FILES; i++)
		if (w.f[i] && ((ferror(w.f[i]) | fclose(w.f[i])) != 0) && !rc)
			rc = err_set(e, FOLIO_EFAIL, "cannot write %s", deid_file_name((enum deid_file)i));
	if (!rc) {
		snprintf(path, sizeof path, "%s/manifest.txt", tmp);
		rc = manifest_write(&w, path);
	}
	/* rename() replaces an empty directory, so an empty DIR is taken over. */
	if (!rc && rename(tmp, clean) != 0)
		rc = err_set(e, FOLIO_EFAIL, "cannot move the extract into %s: %s", clean, strerror(errno));
	if (rc)
		tmp_remove(tmp);
	return rc;
}
