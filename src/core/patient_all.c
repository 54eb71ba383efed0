/* folio — every patient of the index at once (`patient find --all`): the
 * cards opened in MRN order into one guarded array, under one
 * ACT_PATIENT_FIND grant (one audit row for the whole list). */
#include <string.h>

#include "core_internal.h"
#include "folio/smem.h"

int patient_find_all(struct grant *g, struct patient_hit **out, size_t *n, struct folio_err *e)
{
	struct patient_hit *h = NULL;
	uint8_t *scratch = NULL;
	struct stmt *s = NULL;
	size_t cap = 0, k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (grant_action(g) != ACT_PATIENT_FIND)
		return err_set(e, FOLIO_EDENIED, "listing patients needs its own grant");
	if ((rc = stmt_prepare(grant_store(g), "SELECT count(*) FROM patients WHERE merged_into IS NULL", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		cap = (size_t)stmt_int64(s, 0);
	stmt_finalize(s);
	s = NULL;
	if (rc != STMT_ROW)
		return rc;
	if (!(h = patient_hits_new(cap ? cap : 1)) || !(scratch = smem_alloc(CARD_MAX))) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, mrn, card, restricted, test_patient FROM patients"
					       " WHERE merged_into IS NULL"
					       " ORDER BY mrn", &s, e)))
		goto out;
	while (k < cap && (rc = stmt_step(s, e)) == STMT_ROW) {
		struct patient_hit *x = &h[k];
		struct card c;
		size_t len;
		const uint8_t *env = stmt_blob(s, 2, &len);
		if ((rc = card_open(grant_keys(g), stmt_int64(s, 0), env, len, scratch, &c, e)))
			goto out;
		str_copy(x->mrn, sizeof x->mrn, stmt_text(s, 1));
		str_copy(x->last, sizeof x->last, c.last);
		str_copy(x->first, sizeof x->first, c.first);
		str_copy(x->middle, sizeof x->middle, c.middle);
		str_copy(x->dob, sizeof x->dob, c.dob);
		str_copy(x->sex, sizeof x->sex, c.sex);
		str_copy(x->last4, sizeof x->last4, c.l4_ssn[0] ? c.l4_ssn : c.l4_phone[0] ? c.l4_phone : c.l4_mobile);
		x->restricted = (int)stmt_int64(s, 3);
		x->test = (int)stmt_int64(s, 4);
		k++;
	}
	rc = rc == STMT_ROW || rc == STMT_DONE || rc == FOLIO_OK ? FOLIO_OK : rc;
out:
	stmt_finalize(s);
	if (scratch)
		smem_free(scratch);
	if (rc) {
		patient_hits_free(h, cap ? cap : 1);
		return rc;
	}
	*out = h;
	*n = k;
	return FOLIO_OK;
}
