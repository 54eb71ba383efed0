/* folio — keyed lookups shared by the importers (include/folio/import.h,
 * schema/012_interchange.sql). */
#include "folio/import.h"

#include <stdio.h>
#include <string.h>

#include "folio/crypto.h"
#include "folio/grant.h"
#include "folio/smem.h"
#include "folio/store.h"

#define EXT_VALUE_MAX 200

/* The per-row statements are held for the ctx's life (one grant, one
 * transaction) and reset after each use: an import runs them once or
 * twice a row, and finding them in the store's cache each time (a scan of
 * its SQL texts, an allocation) is a few percent of a row. */
enum { HELD_KEY_FIND, HELD_KEY_PUT, HELD_KEY_CLAIM, HELD_EXT_FIND, HELD_N };

static const char *const held_sql[HELD_N] = {
	[HELD_KEY_FIND] = "SELECT row_id FROM import_tags WHERE tag = ?",
	[HELD_KEY_PUT] = "INSERT INTO import_tags (tag, row_kind, row_id) VALUES (?, ?, ?)",
	[HELD_KEY_CLAIM] = ("INSERT INTO import_tags (tag, row_kind, row_id) VALUES (?, ?, ?)"
			    " ON CONFLICT (tag) DO NOTHING"),
	[HELD_EXT_FIND] = "SELECT patient_id FROM external_ids WHERE tag = ?",
};

#define GROUP_MAX 64
#define GROUP_PREFIX 4 /* bytes of a grouped tag that name its group */

struct import_ctx {
	struct grant *g;
	struct idkeyer *k;
	struct stmt *held[HELD_N];
	/* the database has tags written before grouping (schema/018's
	 * import_tags_ungrouped): a grouped key is looked for both ways */
	int ungrouped;
	/* the last group's prefix: consecutive keys share a group */
	char group[GROUP_MAX + 1];
	uint8_t prefix[GROUP_PREFIX];
};

/* Statement which, prepared on first use; the caller resets it. */
static int hold(struct import_ctx *x, int which, struct stmt **s, struct folio_err *e)
{
	int rc;

	if (!x->held[which] && (rc = stmt_prepare(grant_store(x->g), held_sql[which], &x->held[which], e)))
		return rc;
	*s = x->held[which];
	return FOLIO_OK;
}

static int ungrouped_count(struct import_ctx *x, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(x->g), "SELECT value FROM settings WHERE name = 'import_tags_ungrouped'",
			       &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		x->ungrouped = stmt_int64(s, 0) > 0;
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int import_ctx_new(struct grant *g, struct import_ctx **out, struct folio_err *e)
{
	struct import_ctx *x;
	int rc;

	*out = NULL;
	if (grant_action(g) != ACT_IMPORT_RUN && grant_action(g) != ACT_MERGE_APPROVE)
		return err_set(e, FOLIO_EDENIED, "an import needs its own grant");
	if (!(x = smem_alloc(sizeof *x)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	x->g = g;
	if ((rc = idkeyer_new(grant_keys(g), &x->k, e)) || (rc = ungrouped_count(x, e))) {
		import_ctx_free(x);
		return rc;
	}
	*out = x;
	return FOLIO_OK;
}

void import_ctx_free(struct import_ctx *x)
{
	if (!x)
		return;
	for (int i = 0; i < HELD_N; i++)
		stmt_finalize(x->held[i]);
	idkeyer_free(x->k);
	smem_free(x);
}

/* The tag of a key.  Without a group: the keyed hash of "source:kind:id".
 * With one (for Synthea, the source's patient): GROUP_PREFIX bytes of the
 * keyed hash of "source:group:<group>", then the rest of the key's hash.
 * Tags are random, so a step's new keys landed on as many b-tree pages as
 * it had keys, each written to the journal and the file at every commit;
 * a group's keys share pages, and an import writes a patient's rows
 * together.  The prefix says no more than patient_id beside each row does. */
void import_key_tag(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		    uint8_t tag[IDKEY_TAG_BYTES])
{
	idkeyer_tag(x->k, source, kind, id, strlen(id), tag);
	if (!group)
		return;
	memmove(tag + GROUP_PREFIX, tag, IDKEY_TAG_BYTES - GROUP_PREFIX);
	if (strlen(group) > GROUP_MAX || strcmp(group, x->group) != 0) {
		uint8_t h[IDKEY_TAG_BYTES];
		idkeyer_tag(x->k, source, "group", group, strlen(group), h);
		memcpy(x->prefix, h, GROUP_PREFIX);
		if (strlen(group) <= GROUP_MAX)
			str_copy(x->group, sizeof x->group, group);
		else
			x->group[0] = '\0';
	}
	memcpy(tag, x->prefix, GROUP_PREFIX);
}

/* The row_kind code of schema/018 for a table an import makes rows in. */
static int row_kind(const char *table)
{
	static const char *const tables[] = { "patients", "encounters", "clinical_items" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(table, tables[i]))
			return i + 1;
	return 0;
}

/* The row of a tag (a blob of IDKEY_TAG_BYTES, or hex text for external_ids). */
static int lookup(struct import_ctx *x, int which, const void *tag, int64_t *out, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*out = 0;
	if ((rc = hold(x, which, &s, e)))
		return rc;
	if (which == HELD_EXT_FIND)
		stmt_bind_text(s, 1, tag);
	else
		stmt_bind_blob(s, 1, tag, IDKEY_TAG_BYTES);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		*out = stmt_int64(s, 0);
	stmt_reset(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Records tag for row_id of table; *added 0 when it was there (claim). */
static int key_insert(struct import_ctx *x, int which, const uint8_t *tag, const char *table, int64_t row_id,
		      int *added, struct folio_err *e)
{
	struct stmt *s;
	int rc, kind = row_kind(table);

	if (!kind)
		return err_set(e, FOLIO_EFAIL, "an import key for a table imports do not make");
	if ((rc = hold(x, which, &s, e)))
		return rc;
	stmt_bind_blob(s, 1, tag, IDKEY_TAG_BYTES);
	stmt_bind_int64(s, 2, kind);
	stmt_bind_int64(s, 3, row_id);
	rc = stmt_step(s, e);
	stmt_reset(s);
	if (rc != STMT_DONE)
		return rc;
	*added = store_changes(grant_store(x->g)) == 1;
	return FOLIO_OK;
}

int import_key_find(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		    int64_t *row_id, struct folio_err *e)
{
	uint8_t tag[IDKEY_TAG_BYTES];
	int rc;

	import_key_tag(x, source, kind, group, id, tag);
	if ((rc = lookup(x, HELD_KEY_FIND, tag, row_id, e)) || *row_id || !group || !x->ungrouped)
		return rc;
	import_key_tag(x, source, kind, NULL, id, tag);
	return lookup(x, HELD_KEY_FIND, tag, row_id, e);
}

int import_key_put(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		   const char *table, int64_t row_id, struct folio_err *e)
{
	uint8_t tag[IDKEY_TAG_BYTES];
	int added;

	import_key_tag(x, source, kind, group, id, tag);
	return key_insert(x, HELD_KEY_PUT, tag, table, row_id, &added, e);
}

int import_key_claim(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		     const char *table, int64_t row_id, int *claimed, struct folio_err *e)
{
	uint8_t tag[IDKEY_TAG_BYTES];
	int64_t had = 0;
	int rc;

	*claimed = 0;
	/* a key an import made before grouping stays that row's */
	if (group && x->ungrouped) {
		import_key_tag(x, source, kind, NULL, id, tag);
		if ((rc = lookup(x, HELD_KEY_FIND, tag, &had, e)) || had)
			return rc;
	}
	import_key_tag(x, source, kind, group, id, tag);
	/* one statement, one search: the lookup and the record of find-then-put */
	return key_insert(x, HELD_KEY_CLAIM, tag, table, row_id, claimed, e);
}

int external_id_find(struct import_ctx *x, const char *authority, const char *value, int64_t *patient_id,
		     struct folio_err *e)
{
	char tag[PSEUDONYM_HEX + 1];

	idkeyer_hex(x->k, "external", authority, value, strlen(value), tag);
	return lookup(x, HELD_EXT_FIND, tag, patient_id, e);
}

int external_id_add(struct import_ctx *x, int64_t patient_id, const char *authority, const char *value,
		    struct folio_err *e)
{
	uint8_t env[EXT_VALUE_MAX + ENVELOPE_OVERHEAD];
	char tag[PSEUDONYM_HEX + 1], ad[64], now[24];
	struct stmt *s;
	int64_t other = 0, id = 0;
	size_t envlen;
	int rc;

	if (!authority[0] || strlen(authority) > 64 || !value[0] || strlen(value) > EXT_VALUE_MAX)
		return err_set(e, FOLIO_EUSAGE, "an identifier needs an authority (at most 64 bytes) and a value"
						 " (at most %d)", EXT_VALUE_MAX);
	if ((rc = external_id_find(x, authority, value, &other, e)))
		return rc;
	if (other == patient_id)
		return FOLIO_OK;
	if (other)
		return err_set(e, FOLIO_ESTALE, "that %s identifier belongs to another patient", authority);
	idkeyer_hex(x->k, "external", authority, value, strlen(value), tag);
	if ((rc = stmt_prepare(grant_store(x->g), "SELECT coalesce(max(id), 0) + 1 FROM external_ids", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		id = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "cannot number the identifier") : rc;
	field_ad(ad, sizeof ad, "external_ids", "value", id);
	if ((rc = field_seal(grant_keys(x->g), KC_DEMOGRAPHICS, ad, value, strlen(value), env, sizeof env, &envlen, e)))
		return rc;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(x->g), "INSERT INTO external_ids (id, patient_id, authority, tag, value,"
						  " created_at) VALUES (?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, patient_id);
	stmt_bind_text(s, 3, authority);
	stmt_bind_text(s, 4, tag);
	stmt_bind_blob(s, 5, env, envlen);
	stmt_bind_text(s, 6, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* ---- the run's row ------------------------------------------------------- */

/* The run's statement prepared under the import's grant, ?1 bound to now. */
static int run_stmt(struct grant *g, const char *sql, struct stmt **s, struct folio_err *e)
{
	char now[24];
	int rc;

	if (grant_action(g) != ACT_IMPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "an import needs its own grant");
	if ((rc = stmt_prepare(grant_store(g), sql, s, e)))
		return rc;
	time_utc_now(now, sizeof now);
	stmt_bind_text(*s, 1, now);
	return FOLIO_OK;
}

int import_run_begin(struct grant *g, const char *kind, int64_t *run_id, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*run_id = 0;
	if ((rc = run_stmt(g, "INSERT INTO import_runs (kind, started_at, by_user) VALUES (?3, ?1, ?2)"
			      " RETURNING id", &s, e)))
		return rc;
	stmt_bind_text(s, 2, session_user(grant_session(g)));
	stmt_bind_text(s, 3, kind);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		*run_id = stmt_int64(s, 0);
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK : rc;
}

int import_run_end(struct grant *g, int64_t run_id, long read, long imported, long skipped, const char *summary,
		   struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = run_stmt(g, "UPDATE import_runs SET finished_at = ?1, rows_read = ?2, rows_imported = ?3,"
			      " rows_skipped = ?4, summary = ?5 WHERE id = ?6", &s, e)))
		return rc;
	stmt_bind_int64(s, 2, read);
	stmt_bind_int64(s, 3, imported);
	stmt_bind_int64(s, 4, skipped);
	stmt_bind_text(s, 5, summary);
	stmt_bind_int64(s, 6, run_id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}
