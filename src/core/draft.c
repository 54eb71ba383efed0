/* folio — drafts: a user's unsaved document text, sealed under the
 * document's key as they type and whenever a save is refused as stale, so
 * that no text is ever lost to a lock, a crash or another editor. */
#include <inttypes.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/smem.h"

static int need_write(struct grant *g, struct folio_err *e)
{
	if (grant_action(g) != ACT_NOTE_WRITE)
		return err_set(e, FOLIO_EDENIED, "drafts need a note.write grant");
	return FOLIO_OK;
}

/* The user's draft row for a document (0: a new one on this chart). */
static int draft_find(struct grant *g, int64_t pid, int64_t document_id, int64_t *id, int64_t *base,
		      struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*id = 0;
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, coalesce(base_version, 0) FROM drafts WHERE user_name = ?"
				   " AND patient_id = ? AND coalesce(document_id, 0) = ? ORDER BY saved_at DESC, id DESC"
				   " LIMIT 1", &s, e)))
		return rc;
	stmt_bind_text(s, 1, session_user(grant_session(g)));
	stmt_bind_int64(s, 2, pid);
	stmt_bind_int64(s, 3, document_id);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		*id = stmt_int64(s, 0);
		if (base)
			*base = stmt_int64(s, 1);
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int draft_save(struct grant *g, int64_t document_id, enum doc_type type, int64_t base_version, const char *text,
	       size_t len, int64_t *draft_id, struct folio_err *e)
{
	struct stmt *s;
	int64_t pid, id;
	char now[24];
	int rc;

	if ((rc = need_write(g, e)) || (rc = doc_text_ok(text, len, e)))
		return rc;
	if ((unsigned)type >= DOC_TYPE_COUNT)
		return err_set(e, FOLIO_EUSAGE, "unknown document type");
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if (document_id) {
		struct doc_row d;
		if ((rc = doc_load(g, document_id, 0, &d, e)))
			return rc;
		type = d.info.type; /* a draft is sealed like its document */
	}
	if ((rc = draft_find(g, pid, document_id, &id, NULL, e)))
		return rc;
	time_utc_now(now, sizeof now);
	if (!id) {
		if ((rc = stmt_prepare(grant_store(g), "INSERT INTO drafts (user_name, patient_id, document_id, type,"
					   " base_version, body, saved_at) VALUES (?, ?, nullif(?, 0), ?, nullif(?, 0),"
					   " x'', ?)", &s, e)))
			return rc;
		stmt_bind_text(s, 1, session_user(grant_session(g)));
		stmt_bind_int64(s, 2, pid);
		stmt_bind_int64(s, 3, document_id);
		stmt_bind_text(s, 4, doc_type_code(type));
		stmt_bind_int64(s, 5, base_version);
		stmt_bind_text(s, 6, now);
		rc = stmt_step(s, e);
		stmt_finalize(s);
		if (rc != STMT_DONE)
			return rc;
		id = store_last_rowid(grant_store(g));
	} else {
		if ((rc = stmt_prepare(grant_store(g), "UPDATE drafts SET saved_at = ?, type = ?,"
					   " base_version = coalesce(nullif(?, 0), base_version) WHERE id = ?", &s, e)))
			return rc;
		stmt_bind_text(s, 1, now);
		stmt_bind_text(s, 2, doc_type_code(type));
		stmt_bind_int64(s, 3, base_version);
		stmt_bind_int64(s, 4, id);
		rc = stmt_step(s, e);
		stmt_finalize(s);
		if (rc != STMT_DONE)
			return rc;
	}
	if (draft_id)
		*draft_id = id;
	return doc_seal_into(g, "drafts", "body", id, type, text, len, e);
}

int draft_load(struct grant *g, int64_t document_id, char **text, size_t *len, int64_t *base_version,
	       struct folio_err *e)
{
	int64_t pid, id, base = 0;
	int rc;

	*text = NULL;
	*len = 0;
	if (grant_action(g) != ACT_NOTE_WRITE && grant_action(g) != ACT_CHART_VIEW)
		return err_set(e, FOLIO_EDENIED, "drafts need a chart grant");
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = draft_find(g, pid, document_id, &id, &base, e)))
		return rc;
	if (!id)
		return err_set(e, FOLIO_ENOTFOUND, "you have no draft for %s", document_id ? "that document" :
			       "a new document on this chart");
	if (base_version)
		*base_version = base;
	return doc_open_from(g, "drafts", "body", id, text, len, e);
}

int draft_discard(struct grant *g, int64_t document_id, struct folio_err *e)
{
	struct stmt *s;
	int64_t pid;
	int rc;

	if ((rc = need_write(g, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	/* secure_delete is on: the sealed text is overwritten, not left in
	 * free pages. */
	if ((rc = stmt_prepare(grant_store(g), "DELETE FROM drafts WHERE user_name = ? AND patient_id = ?"
				   " AND coalesce(document_id, 0) = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, session_user(grant_session(g)));
	stmt_bind_int64(s, 2, pid);
	stmt_bind_int64(s, 3, document_id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}
