/* folio — rotating a key class (`folio rekey CLASS`, include/folio/rekey.h).
 *
 * Why offers, not wraps: the new key must reach every holder without their
 * passwords, and a rotation after a leak is pointless if the old key opens
 * the new one; so it is sealed to each holder's X25519 public key (and to
 * the recovery key's), opened at their next sign-in (userkeys.c,
 * bootstrap.c).  The running admin holds the new key from the start.
 *
 * Why the old wrapped keys are kept after retirement: a session signed in
 * before the rotation began keeps writing under the old version until it
 * signs in again, audit rows stay keyed under the version they were written
 * with, and a backup made before the rotation carries its own wraps anyway;
 * deleting them would make those rows unreadable and buy nothing (whoever
 * leaked the old key has it already).  A later run reseals stragglers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access_internal.h"
#include "folio/grant.h"
#include "folio/rekey.h"
#include "folio/smem.h"

#define BATCH_DEFAULT 500
#define BATCH_PAUSE_NS 10000000L
#define ENTRY(t, c) { t, c, t, c, "id", "rowid", "rowid" }

const struct envelope_column envelope_columns[] = {
	ENTRY("patients", "demographics"),
	ENTRY("patients", "card"),
	/* the index carries each patient's card, sealed to the patient row */
	{ "patient_cards", "card", "patients", "card", "patient_id", "key", "patient_id" },
	{ "merge_held", "card", "patients", "card",
	  "(SELECT loser FROM merges WHERE merges.id = merge_held.merge_id)", "merge_id", "key" },
	ENTRY("encounters", "reason"),
	ENTRY("encounter_events", "reason"),
	ENTRY("alerts", "reason"),
	ENTRY("documents", "body"),
	ENTRY("documents", "retract_reason"),
	ENTRY("drafts", "body"),
	{ "encounter_coding", "body", "encounter_coding", "body", "encounter_id", "rowid", "rowid" },
	ENTRY("deficiency_events", "note"),
	ENTRY("queries", "body"),
	ENTRY("queries", "answer"),
	ENTRY("queries", "withdraw_reason"),
	ENTRY("chart_moves", "reason"),
	ENTRY("disclosures", "recipient"),
	ENTRY("disclosures", "address"),
	ENTRY("disclosures", "description"),
	ENTRY("disclosures", "purpose"),
	ENTRY("roi_requests", "requester"),
	ENTRY("roi_requests", "organisation"),
	ENTRY("roi_requests", "address"),
	ENTRY("roi_requests", "purpose"),
	ENTRY("roi_requests", "reason"),
	ENTRY("external_ids", "value"),
	ENTRY("dup_pairs", "note"),
	ENTRY("clinical_items", "body"),
};
const size_t envelope_column_count = sizeof envelope_columns / sizeof envelope_columns[0];

const char *const envelope_exempt[] = {
	"users.kdf_salt", "users.box_public", "users.box_wrapped", "user_keys.wrapped",
	"recovery_keys.wrapped", "recovery_box.box_public", "key_offers.sealed",
	"audit_log.hash", "audit_anchor.hash", "signing_keys.public_key", "signing_keys.wrapped",
	"signing_keys.kdf_salt", "signatures.body_hash", "signatures.signature", "code_tables.blob",
	"import_tags.tag", /* a keyed hash of another system's id (schema/018), not an envelope */
};
const size_t envelope_exempt_count = sizeof envelope_exempt / sizeof envelope_exempt[0];

const struct envelope_column *envelope_column_find(const char *table, const char *column)
{
	for (size_t i = 0; i < envelope_column_count; i++)
		if (strcmp(envelope_columns[i].table, table) == 0 && strcmp(envelope_columns[i].column, column) == 0)
			return &envelope_columns[i];
	return NULL;
}

static void be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

static int64_t query_int(struct store *st, const char *sql, int64_t a, int64_t dflt, struct folio_err *e)
{
	struct stmt *s;
	int64_t v = dflt;

	if (stmt_prepare(st, sql, &s, e))
		return -1;
	stmt_bind_int64(s, 1, a);
	if (stmt_step(s, e) == STMT_ROW && !stmt_is_null(s, 0))
		v = stmt_int64(s, 0);
	stmt_finalize(s);
	return v;
}

static int audit_note(struct session *s, const char *action, const char *reason, struct folio_err *e)
{
	struct audit_entry what = { action, "ok", NULL, "key", NULL, reason };
	return audit_session(s, &what, e);
}

/* The accounts that hold class c but have no box key yet, into names. */
static int holders_without_box(struct store *st, int c, char *names, size_t cap, struct folio_err *e)
{
	struct stmt *s;
	size_t used = 0;
	int rc, n = 0;

	names[0] = '\0';
	if ((rc = stmt_prepare(st, "SELECT name, role FROM users WHERE box_public IS NULL ORDER BY name", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		int r = role_parse(stmt_text(s, 1));
		if (r < 0 || !(role_key_classes((enum role)r) & KC_BIT(c)))
			continue;
		if (used + 48 < cap)
			used += (size_t)snprintf(names + used, cap - used, "%s%s", n ? ", " : "", stmt_text(s, 0));
		n++;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? n : rc > 0 ? -rc : -FOLIO_EFAIL;
}

static int offer_insert(struct store *st, int64_t recipient, const uint8_t *pk, const struct keyring *kr,
			int c, uint32_t v, struct folio_err *e)
{
	uint8_t sealed[KEY_OFFER_BYTES];
	struct stmt *s;
	int rc;

	if ((rc = key_offer_seal(pk, kr, (enum key_class)c, v, sealed, e)))
		return rc;
	if ((rc = stmt_prepare(st, "INSERT INTO key_offers (recipient, class, version, sealed) VALUES (?,?,?,?)",
			       &s, e)))
		return rc;
	stmt_bind_int64(s, 1, recipient);
	stmt_bind_int64(s, 2, c);
	stmt_bind_int64(s, 3, v);
	stmt_bind_blob(s, 4, sealed, sizeof sealed);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Makes version v of class c in the session's ring and seals it to every
 * holder and to the recovery key, inside the grant's transaction. */
static int rotation_start(struct session *ss, int c, uint32_t v, struct folio_err *e)
{
	struct store *st = ss->st;
	uint8_t rpk[BOX_PUBLIC_BYTES];
	char names[512], why[96];
	struct stmt *s;
	size_t n;
	int rc, missing;

	if ((missing = holders_without_box(st, c, names, sizeof names, e)) < 0)
		return -missing;
	if (missing > 0)
		return err_set(e, FOLIO_EUSAGE,
			       "%d account(s) holding the %s key have not signed in since key rotation came in: %s;"
			       " each must sign in once (or have its password reset), then run rekey again",
			       missing, key_class_name((enum key_class)c), names);
	if ((rc = stmt_prepare(st, "SELECT box_public FROM recovery_box WHERE id = 1", &s, e)))
		return rc;
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		const void *p = stmt_blob(s, 0, &n);
		if (n == sizeof rpk)
			memcpy(rpk, p, n);
		else
			rc = STMT_DONE;
	}
	stmt_finalize(s);
	if (rc == STMT_DONE)
		return err_set(e, FOLIO_EUSAGE,
			       "the recovery key cannot receive new keys yet (this database predates key"
			       " rotation): run 'folio recover --user NAME' once with the recovery key, then rekey");
	if (rc != STMT_ROW)
		return rc;
	if (keyring_generate(ss->kr, (enum key_class)c, v) != 0)
		return err_set(e, FOLIO_EFAIL, "key generation failed");
	if ((rc = key_version_insert(st, (enum key_class)c, v, e)) || (rc = offer_insert(st, 0, rpk, ss->kr, c, v, e)))
		return rc;
	if ((rc = stmt_prepare(st, "SELECT id, role, box_public FROM users ORDER BY id", &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		int r = role_parse(stmt_text(s, 1));
		uint8_t pk[BOX_PUBLIC_BYTES];
		const void *p = stmt_blob(s, 2, &n);

		if (r < 0 || !(role_key_classes((enum role)r) & KC_BIT(c)) || n != sizeof pk)
			continue;
		memcpy(pk, p, n);
		if ((rc = offer_insert(st, stmt_int64(s, 0), pk, ss->kr, c, v, e)))
			break;
	}
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	snprintf(why, sizeof why, "%s key version %u made and sealed to its holders",
		 key_class_name((enum key_class)c), (unsigned)v);
	return audit_note(ss, "key.rotate.start", why, e);
}

struct held_row {
	int64_t k1, k2, adid;
	uint8_t *env;
	size_t len;
};

static void rows_free(struct held_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].env);
}

/* One batch of column ec: up to max rows still on a version below v are
 * resealed under v in one transaction.  *done gets how many. */
static int reseal_batch(struct session *ss, const struct envelope_column *ec, int c, uint32_t v, long max,
			long *done, struct folio_err *e)
{
	struct store *st = ss->st;
	struct held_row *rows = calloc((size_t)max, sizeof *rows);
	uint8_t hdr[2] = { 1, (uint8_t)c }, ver[4];
	char sql[512], ad[128], why[128];
	struct stmt *s = NULL;
	size_t n = 0;
	int rc;

	*done = 0;
	if (!rows)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	be32(ver, v);
	if ((rc = store_begin_write(st, e))) {
		free(rows);
		return rc;
	}
	snprintf(sql, sizeof sql, "SELECT %s, %s, %s, %s FROM %s WHERE substr(%s, 1, 2) = ?1"
		 " AND substr(%s, 3, 4) < ?2 LIMIT %ld", ec->k1, ec->k2, ec->ad_id, ec->column, ec->table,
		 ec->column, ec->column, max);
	if ((rc = stmt_prepare(st, sql, &s, e)))
		goto fail;
	stmt_bind_blob(s, 1, hdr, sizeof hdr);
	stmt_bind_blob(s, 2, ver, sizeof ver);
	while ((rc = stmt_step(s, e)) == STMT_ROW && n < (size_t)max) {
		const void *p = stmt_blob(s, 3, &rows[n].len);
		rows[n].k1 = stmt_int64(s, 0);
		rows[n].k2 = stmt_int64(s, 1);
		rows[n].adid = stmt_int64(s, 2);
		if (!(rows[n].env = malloc(rows[n].len ? rows[n].len : 1))) {
			rc = err_set(e, FOLIO_EFAIL, "out of memory");
			break;
		}
		memcpy(rows[n].env, p, rows[n].len);
		n++;
	}
	stmt_finalize(s);
	s = NULL;
	if (rc != STMT_DONE && rc != STMT_ROW)
		goto fail;
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE %s = ?2 AND %s = ?3 AND %s = ?4", ec->table,
		 ec->column, ec->k1, ec->k2, ec->column);
	if ((rc = stmt_prepare(st, sql, &s, e)))
		goto fail;
	keyring_pin(ss->kr);
	for (size_t i = 0; i < n; i++) {
		size_t cap = rows[i].len, ptlen, outlen;
		uint8_t *pt = smem_alloc(cap ? cap : 1);
		uint8_t *out = malloc(cap + ENVELOPE_OVERHEAD);

		field_ad(ad, sizeof ad, ec->ad_table, ec->ad_column, rows[i].adid);
		rc = (!pt || !out) ? err_set(e, FOLIO_EFAIL, "out of memory")
				   : field_open(ss->kr, ad, rows[i].env, rows[i].len, pt, cap, &ptlen, e);
		if (rc == FOLIO_OK)
			rc = field_seal(ss->kr, (enum key_class)c, ad, pt, ptlen, out, cap + ENVELOPE_OVERHEAD,
					&outlen, e);
		smem_free(pt);
		if (rc != FOLIO_OK) {
			char cause[sizeof e->msg];
			free(out);
			str_copy(cause, sizeof cause, e->msg);
			err_set(e, rc, "cannot reseal %s.%s of row %" PRId64 ": %s; nothing of this batch was"
				       " changed", ec->table, ec->column, rows[i].adid, cause);
			break;
		}
		stmt_reset(s);
		stmt_bind_blob(s, 1, out, outlen);
		stmt_bind_int64(s, 2, rows[i].k1);
		stmt_bind_int64(s, 3, rows[i].k2);
		stmt_bind_blob(s, 4, rows[i].env, rows[i].len);
		rc = stmt_step(s, e);
		free(out);
		if (rc != STMT_DONE)
			break;
		rc = FOLIO_OK;
		/* 0 changes: an edit replaced the row since it was read; the
		 * edit's envelope is caught by a later batch if still old. */
		*done += store_changes(st);
	}
	keyring_unpin(ss->kr);
	stmt_finalize(s);
	s = NULL;
	if (rc != FOLIO_OK && rc != STMT_DONE)
		goto fail;
	if (n > 0) {
		snprintf(why, sizeof why, "%s.%s: %ld envelope(s) resealed under %s version %u", ec->table,
			 ec->column, *done, key_class_name((enum key_class)c), (unsigned)v);
		if ((rc = audit_note(ss, "key.rotate.batch", why, e)))
			goto fail;
	}
	rows_free(rows, n);
	free(rows);
	if ((rc = store_commit(st, e)))
		return rc;
	if (n > 0 && *done == 0)
		*done = -1; /* rows seen but all changed under us: look again */
	return FOLIO_OK;
fail:
	stmt_finalize(s);
	store_rollback(st);
	rows_free(rows, n);
	free(rows);
	return rc ? rc : FOLIO_EFAIL;
}

static int rotation_finish(struct session *ss, int c, uint32_t v, const struct rekey_report *r,
			   struct folio_err *e)
{
	struct stmt *s;
	char now[24], why[128];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = store_begin_write(ss->st, e)))
		return rc;
	if ((rc = stmt_prepare(ss->st, "UPDATE key_versions SET retired_at = ? WHERE class = ? AND version < ?"
				       " AND retired_at IS NULL", &s, e)))
		goto fail;
	stmt_bind_text(s, 1, now);
	stmt_bind_int64(s, 2, c);
	stmt_bind_int64(s, 3, v);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		goto fail;
	snprintf(why, sizeof why, "%s now on version %u; %ld envelope(s) resealed by this run; older versions retired",
		 key_class_name((enum key_class)c), (unsigned)v, r->resealed);
	if ((rc = audit_note(ss, "key.rotate.done", why, e)))
		goto fail;
	return store_commit(ss->st, e);
fail:
	store_rollback(ss->st);
	return rc;
}

int access_rekey(struct grant *g, const char *cls, long batch_rows, struct rekey_report *r, struct folio_err *e)
{
	struct session *ss = grant_session(g);
	struct store *st = grant_store(g);
	int c = key_class_parse(cls);
	int64_t cur, unfinished;
	int rc;

	memset(r, 0, sizeof *r);
	r->cls = key_class_name((enum key_class)c);
	if (grant_action(g) != ACT_KEY_ROTATE)
		return err_set(e, FOLIO_EDENIED, "a key rotation needs its own grant");
	if (c < KC_FIRST || c > KC_LAST)
		return err_set(e, FOLIO_EUSAGE, "unknown key class '%s' (demographics clinical sensitive audit)", cls);
	if (c == KC_INDEX)
		return err_set(e, FOLIO_EUSAGE,
			       "the index key cannot be rotated yet: it keys the blind indexes, pseudonyms and"
			       " import ids, which would all have to be rebuilt; nothing was changed");
	if (batch_rows <= 0)
		batch_rows = BATCH_DEFAULT;
	cur = query_int(st, "SELECT max(version) FROM key_versions WHERE class = ?", c, 0, e);
	unfinished = query_int(st, "SELECT count(*) FROM key_versions WHERE class = ?1 AND retired_at IS NULL"
				   " AND version < (SELECT max(version) FROM key_versions WHERE class = ?1)", c, 0, e);
	if (cur <= 0 || unfinished < 0)
		return err_set(e, FOLIO_EFAIL, "cannot read the key versions: %s", e->msg);
	if (!keyring_has(ss->kr, (enum key_class)c, (uint32_t)cur))
		return err_set(e, FOLIO_EDENIED, "you do not hold the current %s key (version %" PRId64 ")",
			       key_class_name((enum key_class)c), cur);
	r->resumed = unfinished > 0;
	if (!r->resumed) {
		/* the grant's transaction is open: the new version, its offers and
		 * the start are one commit */
		if ((rc = rotation_start(ss, c, (uint32_t)cur + 1, e)))
			return rc;
		cur++;
	}
	r->version = (uint32_t)cur;
	if ((rc = store_commit(st, e)))
		return rc;
	rc = FOLIO_OK;
	/* Audit rows are never resealed: each names the audit key version it
	 * was chained with, which is kept. */
	for (size_t i = 0; c != KC_AUDIT && i < envelope_column_count && rc == FOLIO_OK; i++) {
		long done;
		int idle = 0;
		do {
			rc = reseal_batch(ss, &envelope_columns[i], c, (uint32_t)cur, batch_rows, &done, e);
			/* a breath between batches: back-to-back write transactions
			 * would starve the clinic's readers, whose busy handler
			 * sleeps and retries */
			if (rc == FOLIO_OK && done != 0)
				nanosleep(&(struct timespec){ 0, BATCH_PAUSE_NS }, NULL);
			if (rc == FOLIO_OK && done != 0) {
				r->batches++;
				r->resealed += done > 0 ? done : 0;
			}
			/* rows that every batch finds but none can update: give up
			 * rather than spin (a rerun continues) */
			idle = done < 0 ? idle + 1 : 0;
			if (idle > 5)
				rc = err_set(e, FOLIO_EFAIL, "%s.%s keeps changing under the rotation; run rekey"
							     " again later", envelope_columns[i].table,
					     envelope_columns[i].column);
		} while (rc == FOLIO_OK && done != 0);
	}
	if (rc == FOLIO_OK) {
		rc = rotation_finish(ss, c, (uint32_t)cur, r, e);
		r->retired = rc == FOLIO_OK;
	}
	if (store_begin_write(st, NULL) != FOLIO_OK && rc == FOLIO_OK)
		rc = err_set(e, FOLIO_EFAIL, "rotation finished, but the database is busy: try 'audit verify'");
	return rc;
}
