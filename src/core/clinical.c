/* folio — clinical items on the chart: adding one (sealed under the
 * clinical key), listing a section, status changes with the row-version
 * check, the "no known allergies" assertion and the allergy banner. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinical_internal.h"
#include "core_internal.h"
#include "deficiency_internal.h"
#include "folio/date.h"
#include "folio/smem.h"

#define BANNER_SCAN 200  /* allergies looked at for the banner */
#define LATEST_SCAN 20   /* vitals sets looked at for the latest one */

static int need(struct grant *g, int write, struct folio_err *e)
{
	enum action a = grant_action(g);

	/* an import (HL7 results, diagnoses, allergies) enters under its own grant */
	if (a == ACT_CLINICAL_ENTER || a == ACT_IMPORT_RUN || (!write && grant_reads_chart(g)))
		return FOLIO_OK;
	return err_set(e, FOLIO_EDENIED, "%s needs its own grant",
		       write ? "entering clinical data" : "reading the chart");
}

/* The row id of the grant's patient. */
static int patient_id_of(struct grant *g, int64_t *pid, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*pid = 0;
	if ((rc = stmt_prepare(grant_store(g), "SELECT id FROM patients WHERE mrn = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(g));
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		*pid = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	return *pid ? FOLIO_OK : err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", grant_mrn(g));
}

/* 1 when sql gives a row with ?1.. the nids ids, then text (may be NULL);
 * -1 (e set) when it fails. */
static int exists(struct grant *g, const char *sql, const int64_t *ids, int nids, const char *text,
		  struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if (stmt_prepare(grant_store(g), sql, &s, e))
		return -1;
	for (int i = 0; i < nids; i++)
		stmt_bind_int64(s, i + 1, ids[i]);
	if (text)
		stmt_bind_text(s, nids + 1, text);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_ROW ? 1 : rc == STMT_DONE ? 0 : -1;
}

/* Seals the fields of it as the body of row id and stores it with the
 * item's status; with version > 0 only over that row version. */
static int store_body(struct grant *g, const struct clinical_item *it, int64_t id, int64_t version,
		      struct folio_err *e)
{
	uint8_t env[CLIN_BODY_MAX + ENVELOPE_OVERHEAD];
	uint8_t *plain = grant_scratch(g, CLIN_BODY_MAX);
	struct stmt *s;
	char ad[64];
	size_t n, envlen;
	int rc;

	if (!plain)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	n = clinical_serialize(it, plain);
	field_ad(ad, sizeof ad, "clinical_items", "body", id);
	rc = field_seal(grant_keys(g), KC_CLINICAL, ad, plain, n, env, sizeof env, &envlen, e);
	smem_wipe(plain, n);
	if (rc)
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "UPDATE clinical_items SET body = ?, status = ?,"
				   " row_version = row_version + (?4 > 0) WHERE id = ?3 AND (?4 = 0 OR row_version = ?4)",
			       &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, envlen);
	stmt_bind_text(s, 2, it->status);
	stmt_bind_int64(s, 3, id);
	stmt_bind_int64(s, 4, version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "item %" PRId64 " was changed by someone else since you read it;"
					       " nothing was saved: read it again and redo the change", id);
	return FOLIO_OK;
}

/* Inserts it for patient pid (recorded now by the user) and seals its body. */
static int insert_item(struct grant *g, int64_t pid, struct clinical_item *it, struct folio_err *e)
{
	struct stmt *s;
	int64_t id;
	int rc;

	time_utc_now(it->recorded_at, sizeof it->recorded_at);
	str_copy(it->recorded_by, sizeof it->recorded_by, session_user(grant_session(g)));
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO clinical_items (patient_id, encounter_id, kind, status,"
				   " recorded_at, recorded_by, body) VALUES (?, ?, ?, ?, ?, ?, x'')", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	if (it->encounter_id > 0)
		stmt_bind_int64(s, 2, it->encounter_id);
	else
		stmt_bind_null(s, 2);
	stmt_bind_text(s, 3, clinical_kind_name(it->kind));
	stmt_bind_text(s, 4, it->status);
	stmt_bind_text(s, 5, it->recorded_at);
	stmt_bind_text(s, 6, it->recorded_by);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	id = store_last_rowid(grant_store(g));
	/* the row exists first so that the envelope is bound to its id */
	if ((rc = store_body(g, it, id, 0, e)))
		return rc;
	it->id = id;
	it->row_version = 1;
	return FOLIO_OK;
}

/* Marks the patient's standing NKA assertion superseded. */
static int nka_supersede(struct grant *g, int64_t pid, struct folio_err *e)
{
	return store_exec_id(grant_store(g), "UPDATE clinical_items SET status = 'superseded',"
					     " row_version = row_version + 1"
					     " WHERE patient_id = ?1 AND kind = 'nka' AND status = 'active'",
			     pid, e);
}

int clinical_add(struct grant *g, struct clinical_item *it, struct folio_err *e)
{
	int64_t pid;
	int rc, found;

	if ((rc = need(g, 1, e)))
		return rc;
	if (it->kind < 0 || it->kind >= CLIN_SECTIONS)
		return err_set(e, FOLIO_EUSAGE, "not a kind of clinical item that is added this way");
	if ((rc = clinical_complete(it, e)) || (rc = patient_id_of(g, &pid, e)))
		return rc;
	if (it->encounter_id > 0) {
		int64_t ids[2] = { it->encounter_id, pid };
		found = exists(g, "SELECT 1 FROM encounters WHERE id = ? AND patient_id = ?", ids, 2, NULL, e);
		if (found < 0)
			return e ? e->code : FOLIO_EFAIL;
		if (!found)
			return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is not one of this patient's",
				       it->encounter_id);
	}
	if (it->kind == CLIN_MED && it->v[MF_PRESCRIBER][0]) {
		found = exists(g, "SELECT 1 FROM users WHERE name = ?", NULL, 0, it->v[MF_PRESCRIBER], e);
		if (found < 0)
			return e ? e->code : FOLIO_EFAIL;
		if (!found)
			return err_set(e, FOLIO_EUSAGE, "Prescriber: no folio user '%s'", it->v[MF_PRESCRIBER]);
	}
	if ((rc = insert_item(g, pid, it, e)))
		return rc;
	if (it->kind == CLIN_ALLERGY && !strcmp(it->status, "active") && (rc = nka_supersede(g, pid, e)))
		return rc;
	return deficiency_after_clinical(g, it->kind, it->encounter_id, FOLIO_OK, e);
}

int clinical_nka(struct grant *g, int64_t *id, struct folio_err *e)
{
	struct clinical_item *it;
	int64_t pid;
	int rc, active;

	if ((rc = need(g, 1, e)) || (rc = patient_id_of(g, &pid, e)))
		return rc;
	active = exists(g, "SELECT 1 FROM clinical_items WHERE patient_id = ? AND kind = 'allergy'"
			   " AND status = 'active'", &pid, 1, NULL, e);
	if (active < 0)
		return e ? e->code : FOLIO_EFAIL;
	if (active)
		return err_set(e, FOLIO_EUSAGE, "the chart has active allergies: mark them inactive or entered"
						" in error before asserting no known allergies");
	if (!(it = clinical_items_new(1)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	clinical_item_init(it, CLIN_NKA);
	/* a new assertion (who and when) replaces the standing one */
	if ((rc = nka_supersede(g, pid, e)) == FOLIO_OK && (rc = insert_item(g, pid, it, e)) == FOLIO_OK)
		*id = it->id;
	clinical_items_free(it, 1);
	return deficiency_after_clinical(g, CLIN_NKA, 0, rc, e);
}

/* ---- reading ---------------------------------------------------------- */

#define ITEM_COLUMNS "SELECT id, kind, status, recorded_at, recorded_by, coalesce(encounter_id, 0)," \
		     " row_version, body FROM clinical_items"

/* Fills it from a row of ITEM_COLUMNS, opening the body. */
static int item_from_row(struct grant *g, struct stmt *s, struct clinical_item *it, struct folio_err *e)
{
	uint8_t *plain = grant_scratch(g, CLIN_BODY_MAX);
	const uint8_t *env;
	char ad[64];
	size_t len, n = 0;
	int rc;

	if (!plain)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	memset(it, 0, sizeof *it);
	it->id = stmt_int64(s, 0);
	it->kind = clinical_kind_parse(stmt_text(s, 1));
	str_copy(it->status, sizeof it->status, stmt_text(s, 2));
	str_copy(it->recorded_at, sizeof it->recorded_at, stmt_text(s, 3));
	str_copy(it->recorded_by, sizeof it->recorded_by, stmt_text(s, 4));
	it->encounter_id = stmt_int64(s, 5);
	it->row_version = stmt_int64(s, 6);
	env = stmt_blob(s, 7, &len);
	field_ad(ad, sizeof ad, "clinical_items", "body", it->id);
	if ((rc = field_open(grant_keys(g), ad, env, len, plain, CLIN_BODY_MAX, &n, e)))
		return rc;
	rc = it->kind < 0 ? -1 : clinical_deserialize(plain, n, it);
	smem_wipe(plain, n);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "clinical item %" PRId64 " is damaged", it->id);
	return FOLIO_OK;
}

/* The item's time: its first "when" field set, else when it was entered. */
static const char *when_of(const struct clinical_item *it)
{
	for (size_t i = 0; i < clinical_field_count(it->kind); i++)
		if ((clinical_field(it->kind, i)->flags & CF_WHEN) && it->v[i][0])
			return it->v[i];
	return it->recorded_at;
}

static int newest_first(const void *a, const void *b)
{
	const struct clinical_item *x = a, *y = b;
	int c = strcmp(when_of(y), when_of(x));

	return c ? c : (y->id > x->id) - (y->id < x->id);
}

int clinical_list(struct grant *g, int kind, struct clinical_item *rows, size_t max, size_t *n,
		  size_t *total, struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct stmt *s;
	int64_t pid;
	int rc;

	*n = 0;
	if (total)
		*total = 0;
	if ((rc = need(g, 0, e)) || (rc = patient_id_of(g, &pid, e)))
		return rc;
	if (kind < 0 || kind >= CLIN_SECTIONS)
		return err_set(e, FOLIO_EUSAGE, "not a section of the chart");
	if ((rc = stmt_prepare(grant_store(g), ITEM_COLUMNS " WHERE patient_id = ? AND kind IN (?, ?)"
				   " ORDER BY id DESC", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, clinical_kind_name(kind));
	stmt_bind_text(s, 3, clinical_kind_name(kind == CLIN_ALLERGY ? CLIN_NKA : kind));
	keyring_pin(kr);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		if (total)
			(*total)++;
		if (*n >= max)
			continue;
		if ((rc = item_from_row(g, s, &rows[*n], e)))
			break;
		(*n)++;
	}
	keyring_unpin(kr);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (*n > 1)
		qsort(rows, *n, sizeof *rows, newest_first);
	return FOLIO_OK;
}

/* Item id of patient pid into it. */
static int load_item(struct grant *g, int64_t pid, int64_t id, struct clinical_item *it, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), ITEM_COLUMNS " WHERE id = ? AND patient_id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, pid);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW)
		rc = item_from_row(g, s, it, e);
	else if (rc == STMT_DONE)
		rc = err_set(e, FOLIO_ENOTFOUND, "no clinical item %" PRId64 " on this chart", id);
	stmt_finalize(s);
	return rc;
}

int clinical_item_stored(struct grant *g, int64_t pid, int64_t id, struct clinical_item *it, struct folio_err *e)
{
	return load_item(g, pid, id, it, e);
}

int clinical_get(struct grant *g, int64_t id, struct clinical_item *it, struct folio_err *e)
{
	int64_t pid;
	int rc;

	if ((rc = need(g, 0, e)) || (rc = patient_id_of(g, &pid, e)))
		return rc;
	return load_item(g, pid, id, it, e);
}

/* ---- status changes ----------------------------------------------------- */

static void stamp(struct grant *g, const struct clinical_op *op, struct clinical_item *it)
{
	char today[11];

	date_format_days(date_today(), today);
	/* a stop date planned for later becomes today's when stopped now */
	if (op->date_field >= 0 && (!it->v[op->date_field][0] || strcmp(it->v[op->date_field], today) > 0))
		str_copy(it->v[op->date_field], CLIN_VALUE_MAX, today);
	if (op->user_field >= 0)
		str_copy(it->v[op->user_field], CLIN_VALUE_MAX, session_user(grant_session(g)));
	if (op->time_field >= 0)
		clin_now_minute(it->v[op->time_field]);
	str_copy(it->status, sizeof it->status, op->to);
}

int clinical_apply(struct grant *g, int section, const char *verb, int64_t id, int64_t expect_version,
		   struct clinical_item *out, struct folio_err *e)
{
	const struct clinical_op *op;
	struct clinical_item *it;
	int64_t pid;
	int rc;

	if ((rc = need(g, 1, e)) || (rc = patient_id_of(g, &pid, e)))
		return rc;
	if (!(it = clinical_items_new(1)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = load_item(g, pid, id, it, e)))
		goto out;
	if (it->kind != section && !(section == CLIN_ALLERGY && it->kind == CLIN_NKA)) {
		rc = err_set(e, FOLIO_EUSAGE, "item %" PRId64 " is not in %s", id, clinical_kind_title(section));
		goto out;
	}
	if (!(op = clinical_op_find(it->kind, verb))) {
		rc = err_set(e, FOLIO_EUSAGE, "%s: not a change of this kind of item", verb);
		goto out;
	}
	if (expect_version > 0 && it->row_version != expect_version) {
		rc = err_set(e, FOLIO_ESTALE, "item %" PRId64 " was changed by someone else since you read it"
					      " (it is at version %" PRId64 ", not %" PRId64 "); nothing was saved:"
					      " read it again and redo the change", id, it->row_version, expect_version);
		goto out;
	}
	if (!clin_word_in(it->status, op->from)) {
		rc = err_set(e, FOLIO_EUSAGE, "item %" PRId64 " is %s: %s applies to one that is %s", id,
			     it->status, verb, op->from);
		goto out;
	}
	stamp(g, op, it);
	if ((rc = store_body(g, it, id, it->row_version, e)))
		goto out;
	it->row_version++;
	if (out)
		memcpy(out, it, sizeof *it);
	rc = deficiency_after_clinical(g, it->kind, it->encounter_id, rc, e);
out:
	clinical_items_free(it, 1);
	return rc;
}

/* ---- the chart header ------------------------------------------------- */

/* Appends text to out (cap), ending in "..." when it does not fit. */
static void append(char *out, size_t cap, const char *text)
{
	size_t len = strlen(out), n = strlen(text);

	if (len + n + 1 <= cap) {
		memcpy(out + len, text, n + 1);
	} else if (cap > 4 && len + 4 <= cap) {
		snprintf(out + len, cap - len, "%.*s...", (int)(cap - len - 4), text);
	}
}

/* Empties out, then lists the newest max items of a section into a new
 * block *rows (the caller frees it with clinical_items_free(*rows, max)). */
static int scan(struct grant *g, int kind, size_t max, struct clinical_item **rows, size_t *n, char *out,
		size_t cap, struct folio_err *e)
{
	if (cap)
		out[0] = '\0';
	*n = 0;
	if (!(*rows = clinical_items_new(max)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	return clinical_list(g, kind, *rows, max, n, NULL, e);
}

int clinical_allergy_banner(struct grant *g, char *out, size_t cap, int *active, struct folio_err *e)
{
	struct clinical_item *rows;
	const struct clinical_item *nka = NULL;
	char line[CLIN_VALUE_MAX + 24];
	size_t n;
	int count = 0, rc = scan(g, CLIN_ALLERGY, BANNER_SCAN, &rows, &n, out, cap, e);

	for (size_t i = 0; rc == FOLIO_OK && i < n; i++) {
		if (strcmp(rows[i].status, "active") != 0)
			continue;
		if (rows[i].kind == CLIN_NKA) {
			nka = nka ? nka : &rows[i];
			continue;
		}
		clinical_item_line(&rows[i], line, sizeof line);
		append(out, cap, count++ ? ", " : "ALLERGIES: ");
		append(out, cap, line);
	}
	if (rc == FOLIO_OK && count == 0) {
		if (nka)
			snprintf(out, cap, "No known allergies (NKA, by %s %.10s)", nka->recorded_by, nka->recorded_at);
		else
			str_copy(out, cap, "Allergies not assessed");
	}
	if (active)
		*active = count;
	smem_wipe(line, sizeof line);
	clinical_items_free(rows, BANNER_SCAN);
	return rc;
}

int clinical_vitals_latest(struct grant *g, char *out, size_t cap, struct folio_err *e)
{
	struct clinical_item *rows;
	size_t n;
	int rc = scan(g, CLIN_VITALS, LATEST_SCAN, &rows, &n, out, cap, e);

	for (size_t i = 0; rc == FOLIO_OK && i < n; i++) {
		char line[200];
		if (strcmp(rows[i].status, "recorded") != 0)
			continue;
		clinical_item_line(&rows[i], line, sizeof line);
		snprintf(out, cap, "%.10s %.5s  %s", rows[i].v[VF_TAKEN], rows[i].v[VF_TAKEN] + 11, line);
		smem_wipe(line, sizeof line);
		break;
	}
	clinical_items_free(rows, LATEST_SCAN);
	return rc;
}
