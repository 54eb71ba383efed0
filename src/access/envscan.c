/* folio — opening stored envelopes to prove they still open: a random
 * sample of every column before a restore (src/access/restore.c), every
 * one of them for `db check` (src/access/bootstrap.c).  SQLite's own
 * checks see well-formed b-trees; only opening a field shows it is the
 * field its row was given (a page left half-written when a journal was
 * lost is well formed and does not open). */
#include <inttypes.h>
#include <stdio.h>

#include "access_internal.h"
#include "folio/rekey.h"
#include "folio/smem.h"

/* The guarded buffer a field opens into, grown as fields need. */
struct scan_buf {
	uint8_t *p;
	size_t cap;
};

static int buf_fit(struct scan_buf *b, size_t n, struct folio_err *e)
{
	if (n <= b->cap)
		return FOLIO_OK;
	smem_free(b->p);
	b->cap = n < 4096 ? 4096 : n;
	if (!(b->p = smem_alloc(b->cap))) {
		b->cap = 0;
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	return FOLIO_OK;
}

/* One column: every envelope (per_column 0) or a random per_column. */
static int scan_column(struct store *st, const struct keyring *kr, const struct envelope_column *ec, long per_column,
		       struct scan_buf *b, struct envscan *r, struct folio_err *e)
{
	unsigned held = keyring_classes(kr);
	char sql[512], ad[128];
	struct stmt *s;
	int rc;

	if (per_column > 0)
		snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s WHERE %s IS NOT NULL ORDER BY random() LIMIT %ld",
			 ec->ad_id, ec->column, ec->table, ec->column, per_column);
	else
		snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s WHERE %s IS NOT NULL", ec->ad_id, ec->column,
			 ec->table, ec->column);
	if ((rc = stmt_prepare(st, sql, &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t n, ptlen;
		const uint8_t *env = stmt_blob(s, 1, &n);
		int64_t id = stmt_int64(s, 0);
		enum key_class c;
		uint32_t v;

		if (field_header(env, n, &c, &v) != 0) {
			rc = err_set(e, FOLIO_EFAIL, "%s.%s of row %" PRId64 " is not an envelope", ec->table,
				     ec->column, id);
			break;
		}
		if (!(held & KC_BIT(c))) {
			r->unheld++;
			continue;
		}
		if ((rc = buf_fit(b, n, e)))
			break;
		field_ad(ad, sizeof ad, ec->ad_table, ec->ad_column, id);
		rc = field_open(kr, ad, env, n, b->p, b->cap, &ptlen, e);
		smem_wipe(b->p, n);
		if (rc) {
			rc = err_set(e, FOLIO_EFAIL, "%s.%s of row %" PRId64 " does not decrypt (%s key version %u)",
				     ec->table, ec->column, id, key_class_name(c), (unsigned)v);
			break;
		}
		r->opened++;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc ? rc : FOLIO_EFAIL;
}

int envelope_scan(struct store *st, const struct keyring *kr, long per_column, struct envscan *r,
		  struct folio_err *e)
{
	struct scan_buf b = { 0 };
	int rc = FOLIO_OK;

	r->opened = r->unheld = 0;
	keyring_pin(kr);
	for (size_t i = 0; i < envelope_column_count && rc == FOLIO_OK; i++)
		rc = scan_column(st, kr, &envelope_columns[i], per_column, &b, r, e);
	keyring_unpin(kr);
	smem_free(b.p);
	return rc;
}
