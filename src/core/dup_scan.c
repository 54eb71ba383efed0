/* folio — the duplicate scan (dup_scan, include/folio/dupes.h): every
 * patient's demographics decrypted in bulk into guarded memory, blocked and
 * scored by dup_score.c, and the pairs at or over DUP_THRESHOLD kept in
 * dup_pairs.  Runs under one ACT_MERGE_PROPOSE grant with no chart: the
 * audit row names the scan, not the patients. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_internal.h"
#include "folio/dupes.h"
#include "folio/smem.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Scratch of the decryption: one record at a time. */
struct scan_mem {
	uint8_t blob[PATIENT_BLOB_MAX];
	struct patient p;
};

/* Reads and decrypts every patient into ps (guarded, n of them) and their
 * row ids into ids, in row-id order. */
static int scan_read(struct grant *g, struct dup_person **ps, int64_t **ids, size_t *n, struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct scan_mem *m = grant_scratch(g, sizeof *m);
	struct stmt *s = NULL;
	size_t cap = 0, k = 0;
	int rc;

	*ps = NULL;
	*ids = NULL;
	*n = 0;
	if (!m)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT count(*) FROM patients WHERE merged_into IS NULL", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		cap = (size_t)stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc;
	if (!(*ps = smem_alloc((cap ? cap : 1) * sizeof **ps)) || !(*ids = malloc((cap ? cap : 1) * sizeof **ids)))
		return err_set(e, FOLIO_EFAIL, "out of memory for %zu patients", cap);
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, demographics FROM patients WHERE merged_into IS NULL"
					       " ORDER BY id", &s, e)))
		return rc;
	keyring_pin(kr);
	while (k < cap && (rc = stmt_step(s, e)) == STMT_ROW) {
		const struct patient *p = &m->p;
		size_t len;
		const uint8_t *env = stmt_blob(s, 1, &len);
		struct dup_input in;

		(*ids)[k] = stmt_int64(s, 0);
		if ((rc = patient_open(kr, (*ids)[k], env, len, m->blob, &m->p, e)))
			break;
		in = (struct dup_input){ p->v[PF_FIRST], p->v[PF_MIDDLE], p->v[PF_LAST], p->v[PF_DOB], p->v[PF_SEX],
					 p->v[PF_PHONE][0] ? p->v[PF_PHONE] : p->v[PF_MOBILE], p->v[PF_ADDRESS],
					 p->v[PF_CITY], p->v[PF_ZIP], p->v[PF_SSN] };
		dup_person_make(&in, &(*ps)[k++]);
	}
	keyring_unpin(kr);
	stmt_finalize(s);
	smem_wipe(m, sizeof *m);
	*n = k;
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

struct upsert {
	struct stmt *get, *add, *upd;
	char at[24];
};

/* Keeps one pair found by the scan: new, re-scored, or left alone when a
 * person already decided it (or it was merged). */
static int pair_keep(struct upsert *u, int64_t a, int64_t b, int score, const char *reasons,
		     struct dup_scan_result *r, struct folio_err *e)
{
	int rc;

	stmt_reset(u->get);
	stmt_bind_int64(u->get, 1, a);
	stmt_bind_int64(u->get, 2, b);
	if ((rc = stmt_step(u->get, e)) == STMT_ROW) {
		int potential = strcmp(stmt_text(u->get, 1), "potential") == 0 && stmt_is_null(u->get, 4);
		int same = stmt_int64(u->get, 2) == score && strcmp(stmt_text(u->get, 3), reasons) == 0;
		int64_t id = stmt_int64(u->get, 0);
		if (!potential) {
			r->kept++;
			return FOLIO_OK;
		}
		r->updated += !same;
		stmt_reset(u->upd);
		stmt_bind_int64(u->upd, 1, score);
		stmt_bind_text(u->upd, 2, reasons);
		stmt_bind_text(u->upd, 3, u->at);
		stmt_bind_int64(u->upd, 4, same ? 0 : 1);
		stmt_bind_int64(u->upd, 5, id);
		rc = stmt_step(u->upd, e);
		return rc == STMT_DONE ? FOLIO_OK : rc;
	}
	if (rc != STMT_DONE)
		return rc;
	r->added++;
	stmt_reset(u->add);
	stmt_bind_int64(u->add, 1, a);
	stmt_bind_int64(u->add, 2, b);
	stmt_bind_int64(u->add, 3, score);
	stmt_bind_text(u->add, 4, reasons);
	stmt_bind_text(u->add, 5, u->at);
	rc = stmt_step(u->add, e);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static int scan_store(struct grant *g, const struct dup_person *ps, const int64_t *ids, const uint64_t *pairs,
		      size_t np, struct dup_scan_result *r, struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct upsert u = { 0 };
	char reasons[DUP_REASONS_MAX];
	int rc;

	time_utc_now(u.at, sizeof u.at);
	if ((rc = stmt_prepare(st, "SELECT id, status, score, reasons, merged FROM dup_pairs"
				   " WHERE patient_a = ? AND patient_b = ?", &u.get, e)) ||
	    (rc = stmt_prepare(st, "INSERT INTO dup_pairs (patient_a, patient_b, score, reasons, found_at)"
				   " VALUES (?, ?, ?, ?, ?)", &u.add, e)) ||
	    (rc = stmt_prepare(st, "UPDATE dup_pairs SET score = ?, reasons = ?, found_at = ?,"
				   " row_version = row_version + ? WHERE id = ?", &u.upd, e)))
		goto done;
	for (size_t i = 0; i < np && rc == FOLIO_OK; i++) {
		size_t a = (size_t)(pairs[i] >> 32), b = (size_t)(pairs[i] & 0xffffffffu);
		int score = dup_compare(&ps[a], &ps[b], reasons, sizeof reasons);
		if (score < DUP_THRESHOLD)
			continue;
		r->found++;
		rc = pair_keep(&u, ids[a], ids[b], score, reasons, r, e);
	}
done:
	stmt_finalize(u.get);
	stmt_finalize(u.add);
	stmt_finalize(u.upd);
	return rc;
}

int dup_scan(struct grant *g, struct dup_scan_result *r, struct folio_err *e)
{
	struct dup_person *ps = NULL;
	int64_t *ids = NULL;
	uint64_t *pairs = NULL;
	size_t n = 0, np = 0;
	double t0 = now_seconds();
	int rc;

	memset(r, 0, sizeof *r);
	if (grant_action(g) != ACT_MERGE_PROPOSE)
		return err_set(e, FOLIO_EDENIED, "the duplicate scan runs under merge.propose");
	rc = scan_read(g, &ps, &ids, &n, e);
	r->read_seconds = now_seconds() - t0;
	if (rc == FOLIO_OK) {
		if (dup_candidates(ps, n, &pairs, &np) != 0)
			rc = err_set(e, FOLIO_EFAIL, "out of memory for the candidate pairs");
		else
			rc = scan_store(g, ps, ids, pairs, np, r, e);
	}
	r->patients = n;
	r->candidates = np;
	smem_free(ps);
	free(ids);
	free(pairs);
	r->seconds = now_seconds() - t0;
	return rc;
}
