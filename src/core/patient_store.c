/* folio — registering, reading, changing and restricting patient records. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "folio/smem.h"

/* Where a struct patient may sit in a grant's scratch after the serialised
 * bytes, suitably aligned. */
#define SCRATCH_PATIENT_AT ((PATIENT_BLOB_MAX + 15) & ~(size_t)15)

static int need(struct grant *g, enum action a, struct folio_err *e)
{
	if (grant_action(g) != a)
		return err_set(e, FOLIO_EDENIED, "%s needs its own grant", action_name(a));
	return FOLIO_OK;
}

/* Seals p's demographics and its card (plain: PATIENT_BLOB_MAX bytes of
 * secure scratch), the keys made readable once for both. */
static int seal_both(const struct keyring *kr, const struct patient *p, uint8_t *plain, uint8_t *env,
		     size_t *envlen, uint8_t *card, size_t *cardlen, struct folio_err *e)
{
	int rc;

	keyring_pin(kr);
	if ((rc = patient_seal(kr, p, p->id, plain, env, envlen, e)) == FOLIO_OK)
		rc = card_seal(kr, p, p->id, plain, card, cardlen, e);
	keyring_unpin(kr);
	return rc;
}

int patient_register(struct grant *g, struct patient *p, struct folio_err *e)
{
	struct store *st = grant_store(g);
	/* ciphertext needs no guarded memory; the plaintext goes in the
	 * grant's scratch, reused across a bulk registration */
	uint8_t env[PATIENT_BLOB_MAX + ENVELOPE_OVERHEAD], card[CARD_MAX + ENVELOPE_OVERHEAD];
	uint8_t *plain;
	struct stmt *s = NULL;
	char now[24];
	size_t envlen, cardlen;
	int64_t seq;
	int rc;

	if (grant_action(g) != ACT_PATIENT_ADD && grant_action(g) != ACT_IMPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "registration needs its own grant");
	if (!p->v[PF_LAST][0])
		return err_set(e, FOLIO_EUSAGE, "a patient needs at least a last name");
	if ((rc = stmt_prepare(st, "UPDATE mrn_sequence SET next = next + 1 WHERE id = 1 RETURNING next - 1",
			       &s, e)))
		return rc;
	rc = stmt_step(s, e);
	seq = stmt_int64(s, 0);
	stmt_finalize(s);
	s = NULL;
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "MRN sequence is missing") : rc;
	if (seq > 9999999)
		return err_set(e, FOLIO_EFAIL, "MRNs are used up (7 digits)");
	/* The row id is the MRN's sequence number, so the envelope can be
	 * bound to its row before the row exists. */
	p->id = seq;
	mrn_format(seq, p->mrn);
	if (!(plain = grant_scratch(g, PATIENT_BLOB_MAX)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = seal_both(grant_keys(g), p, plain, env, &envlen, card, &cardlen, e)))
		goto out;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO patients (id, mrn, card, demographics, restricted, test_patient,"
				   " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", &s, e)))
		goto out;
	stmt_bind_int64(s, 1, p->id);
	stmt_bind_text(s, 2, p->mrn);
	stmt_bind_blob(s, 3, card, cardlen);
	stmt_bind_blob(s, 4, env, envlen);
	stmt_bind_int64(s, 5, p->restricted != 0);
	stmt_bind_int64(s, 6, p->test != 0);
	stmt_bind_text(s, 7, now);
	stmt_bind_text(s, 8, now);
	rc = stmt_step(s, e);
	if (rc != STMT_DONE)
		goto out;
	p->row_version = 1;
	rc = patient_index_write(g, NULL, p, p->id, card, cardlen, e);
out:
	stmt_finalize(s);
	if (rc != FOLIO_OK) {
		p->id = 0;
		p->mrn[0] = '\0';
	}
	return rc;
}

int patient_load(struct grant *g, struct patient *p, struct folio_err *e)
{
	uint8_t *scratch;
	struct stmt *s;
	int rc;

	if (grant_action(g) != ACT_PATIENT_VIEW && grant_action(g) != ACT_PATIENT_EDIT && !grant_reads_chart(g) &&
	    grant_action(g) != ACT_IMPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "reading demographics needs its own grant");
	if (!grant_mrn(g)[0])
		return err_set(e, FOLIO_EUSAGE, "no MRN");
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, mrn, restricted, test_patient, row_version,"
				   " demographics FROM patients WHERE mrn = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(g));
	rc = stmt_step(s, e);
	if (rc != STMT_ROW) {
		stmt_finalize(s);
		return rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", grant_mrn(g)) : rc;
	}
	scratch = smem_alloc(PATIENT_BLOB_MAX);
	if (!scratch) {
		stmt_finalize(s);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	p->id = stmt_int64(s, 0);
	str_copy(p->mrn, sizeof p->mrn, stmt_text(s, 1));
	p->restricted = (int)stmt_int64(s, 2);
	p->test = (int)stmt_int64(s, 3);
	p->row_version = stmt_int64(s, 4);
	{
		size_t len;
		const uint8_t *env = stmt_blob(s, 5, &len);
		rc = patient_open(grant_keys(g), p->id, env, len, scratch, p, e);
	}
	stmt_finalize(s);
	smem_free(scratch);
	return rc;
}

/* Decrypts row id's stored demographics into p. */
static int patient_stored(struct grant *g, int64_t id, struct patient *p, uint8_t *scratch, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT demographics FROM patients WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		size_t len;
		const uint8_t *env = stmt_blob(s, 0, &len);
		rc = patient_open(grant_keys(g), id, env, len, scratch, p, e);
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no patient record %" PRId64, id);
	}
	stmt_finalize(s);
	return rc;
}

int patient_update(struct grant *g, struct patient *p, struct folio_err *e)
{
	uint8_t env[PATIENT_BLOB_MAX + ENVELOPE_OVERHEAD], card[CARD_MAX + ENVELOPE_OVERHEAD];
	uint8_t *plain;
	struct patient *old;
	struct stmt *s;
	char now[24];
	size_t envlen, cardlen;
	int rc;

	/* an import (HL7 A08) updates demographics under its own grant */
	if (grant_action(g) != ACT_IMPORT_RUN && (rc = need(g, ACT_PATIENT_EDIT, e)))
		return rc;
	if (!p->id || strcmp(p->mrn, grant_mrn(g)) != 0)
		return err_set(e, FOLIO_EUSAGE, "the record being saved is not the one granted");
	if (!p->v[PF_LAST][0])
		return err_set(e, FOLIO_EUSAGE, "a patient needs at least a last name");
	if (!(plain = grant_scratch(g, SCRATCH_PATIENT_AT + sizeof *old)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	/* the record as stored, whose index rows the edit replaces */
	old = (struct patient *)(void *)(plain + SCRATCH_PATIENT_AT);
	if ((rc = patient_stored(g, p->id, old, plain, e)))
		return rc;
	if ((rc = seal_both(grant_keys(g), p, plain, env, &envlen, card, &cardlen, e)))
		return rc;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE patients SET demographics = ?, card = ?, updated_at = ?,"
				   " row_version = row_version + 1 WHERE id = ? AND row_version = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, envlen);
	stmt_bind_blob(s, 2, card, cardlen);
	stmt_bind_text(s, 3, now);
	stmt_bind_int64(s, 4, p->id);
	stmt_bind_int64(s, 5, p->row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "someone else changed this record since you opened it;"
					       " nothing was saved: open it again and redo the change");
	p->row_version++;
	return patient_index_write(g, old, p, p->id, card, cardlen, e);
}

int patient_restrict(struct grant *g, int on, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = need(g, ACT_PATIENT_RESTRICT, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "UPDATE patients SET restricted = ?,"
				   " row_version = row_version + 1 WHERE mrn = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, on != 0);
	stmt_bind_text(s, 2, grant_mrn(g));
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", grant_mrn(g));
	return FOLIO_OK;
}

int patient_link_staff(struct grant *g, const char *mrn, const char *user, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = need(g, ACT_USER_LINK, e)))
		return rc;
	if (mrn_valid(mrn) != 0)
		return err_set(e, FOLIO_EUSAGE, "'%s' is not a valid MRN", mrn);
	if ((rc = stmt_prepare(grant_store(g), user ?
			       "UPDATE patients SET staff_user_id = (SELECT id FROM users WHERE name = ?2)"
			       " WHERE mrn = ?1 AND EXISTS (SELECT 1 FROM users WHERE name = ?2)" :
			       "UPDATE patients SET staff_user_id = NULL WHERE mrn = ?1", &s, e)))
		return rc;
	stmt_bind_text(s, 1, mrn);
	if (user)
		stmt_bind_text(s, 2, user);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc == FOLIO_EUSAGE ? err_set(e, FOLIO_EUSAGE, "that user is linked to another record") : rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ENOTFOUND, user ? "no patient %s or no user '%s'" : "no patient %s", mrn,
			       user ? user : "");
	return FOLIO_OK;
}
