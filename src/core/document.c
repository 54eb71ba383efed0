/* folio — documents (VistA TIU): filing, transcription, editing before
 * signature, addenda, amendments, retraction and refiling, and reading.
 *
 *   undictated -> untranscribed -> unverified -> unsigned -> uncosigned -> completed
 *   completed -> amended (a new version replaces it) ; any -> retracted
 * A signed document's text never changes: the only ways on are an
 * addendum, an amendment (a new row) or a retraction (hidden, kept). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "deficiency_internal.h"
#include "folio/smem.h"

static const struct {
	const char *code, *title;
} doc_types[] = {
#define DOC_TYPE_ROW(id, code, title) { code, title },
	DOC_TYPES(DOC_TYPE_ROW)
#undef DOC_TYPE_ROW
};

const char *doc_type_code(enum doc_type t)
{
	return (unsigned)t < DOC_TYPE_COUNT ? doc_types[t].code : "?";
}

const char *doc_type_title(enum doc_type t)
{
	return (unsigned)t < DOC_TYPE_COUNT ? doc_types[t].title : "?";
}

int doc_type_parse(const char *code)
{
	for (int i = 0; code && i < DOC_TYPE_COUNT; i++)
		if (strcmp(doc_types[i].code, code) == 0)
			return i;
	return -1;
}

int doc_type_sensitive(enum doc_type t)
{
	return t == DOC_PSYCHOTHERAPY || t == DOC_SUBSTANCE;
}

int doc_key_class(enum doc_type t)
{
	return doc_type_sensitive(t) ? KC_SENSITIVE : KC_CLINICAL;
}

static int need(struct grant *g, enum action a, struct folio_err *e)
{
	if (grant_action(g) != a)
		return err_set(e, FOLIO_EDENIED, "%s needs its own grant", action_name(a));
	return FOLIO_OK;
}

static int is_status(const struct doc_row *d, const char *s)
{
	return strcmp(d->info.status, s) == 0;
}

static int signed_status(const struct doc_row *d)
{
	return is_status(d, "uncosigned") || is_status(d, "completed") || is_status(d, "amended");
}

int doc_text_ok(const char *text, size_t len, struct folio_err *e)
{
	if (len > DOC_BODY_MAX)
		return err_set(e, FOLIO_EUSAGE, "a document holds at most %d bytes of text", DOC_BODY_MAX);
	if (utf8_length(text, len) < 0)
		return err_set(e, FOLIO_EUSAGE, "the text is not valid UTF-8");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "the text has a control character at byte %zu", i);
	}
	return FOLIO_OK;
}

int doc_seal_into(struct grant *g, const char *table, const char *column, int64_t id, enum doc_type t,
		  const char *text, size_t len, struct folio_err *e)
{
	char ad[64], sql[96];
	uint8_t *env;
	size_t envlen;
	struct stmt *s;
	int rc;

	if (!(env = malloc(len + ENVELOPE_OVERHEAD))) /* ciphertext: ordinary memory */
		return err_set(e, FOLIO_EFAIL, "out of memory");
	field_ad(ad, sizeof ad, table, column, id);
	rc = field_seal(grant_keys(g), (enum key_class)doc_key_class(t), ad, text, len, env,
			len + ENVELOPE_OVERHEAD, &envlen, e);
	if (rc == FOLIO_OK) {
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, column);
		if ((rc = stmt_prepare(grant_store(g), sql, &s, e)) == FOLIO_OK) {
			stmt_bind_blob(s, 1, env, envlen);
			stmt_bind_int64(s, 2, id);
			rc = stmt_step(s, e);
			stmt_finalize(s);
			rc = rc == STMT_DONE ? FOLIO_OK : rc;
		}
	}
	free(env);
	return rc;
}

int doc_open_from(struct grant *g, const char *table, const char *column, int64_t id, char **text, size_t *len,
		  struct folio_err *e)
{
	char ad[64], sql[96];
	const uint8_t *env;
	struct stmt *s;
	size_t n;
	int rc;

	*text = NULL;
	*len = 0;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?", column, table);
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	if (rc != STMT_ROW || stmt_is_null(s, 0)) {
		stmt_finalize(s);
		return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
	}
	env = stmt_blob(s, 0, &n);
	if (n < ENVELOPE_OVERHEAD) {
		stmt_finalize(s);
		return err_set(e, FOLIO_EFAIL, "the text of %s %" PRId64 " is damaged", table, id);
	}
	if (!(*text = smem_alloc(n - ENVELOPE_OVERHEAD + 1))) {
		stmt_finalize(s);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	field_ad(ad, sizeof ad, table, column, id);
	rc = field_open(grant_keys(g), ad, env, n, *text, n - ENVELOPE_OVERHEAD, len, e);
	stmt_finalize(s);
	if (rc != FOLIO_OK) {
		smem_free(*text);
		*text = NULL;
		*len = 0;
		if (rc == FOLIO_EFAIL)
			err_set(e, FOLIO_EFAIL, "the text of %s %" PRId64 " does not open: it was altered", table, id);
		return rc;
	}
	(*text)[*len] = '\0';
	return FOLIO_OK;
}

#define DOC_COLUMNS "d.id, d.encounter_id, d.type, d.status, d.author, d.cosigner, d.entered_by, d.parent_id," \
		    " d.supersedes_id, d.refiled_from, d.version, d.created_at, d.updated_at, d.row_version," \
		    " length(d.body), d.patient_id, p.mrn," \
		    " (SELECT signer || char(9) || signed_at FROM signatures WHERE document_id = d.id AND" \
		    "  role IN ('author', 'amender') ORDER BY id DESC LIMIT 1)," \
		    " (SELECT signer || char(9) || signed_at FROM signatures WHERE document_id = d.id AND" \
		    "  role = 'cosigner' ORDER BY id DESC LIMIT 1)"

/* "signer<TAB>time" into two fields. */
static void sig_split(struct stmt *s, int col, char *who, size_t wcap, char *at, size_t acap)
{
	const char *v, *tab;

	who[0] = at[0] = '\0';
	if (stmt_is_null(s, col))
		return;
	v = stmt_text(s, col);
	if (!(tab = strchr(v, '\t')))
		return;
	snprintf(who, wcap, "%.*s", (int)(tab - v), v);
	str_copy(at, acap, tab + 1);
}

static void doc_fill(struct grant *g, struct stmt *s, struct doc_row *d)
{
	struct document_info *x = &d->info;
	int t;

	memset(d, 0, sizeof *d);
	x->id = stmt_int64(s, 0);
	x->encounter_id = stmt_is_null(s, 1) ? 0 : stmt_int64(s, 1);
	t = doc_type_parse(stmt_text(s, 2));
	x->type = t < 0 ? DOC_OTHER : (enum doc_type)t;
	chart_col_copy(s, 3, x->status, sizeof x->status);
	chart_col_copy(s, 4, x->author, sizeof x->author);
	chart_col_copy(s, 5, x->cosigner, sizeof x->cosigner);
	chart_col_copy(s, 6, x->entered_by, sizeof x->entered_by);
	x->parent_id = stmt_is_null(s, 7) ? 0 : stmt_int64(s, 7);
	x->supersedes_id = stmt_is_null(s, 8) ? 0 : stmt_int64(s, 8);
	x->refiled_from = stmt_is_null(s, 9) ? 0 : stmt_int64(s, 9);
	x->version = (int)stmt_int64(s, 10);
	chart_col_copy(s, 11, x->created, sizeof x->created);
	chart_col_copy(s, 12, x->updated, sizeof x->updated);
	x->row_version = stmt_int64(s, 13);
	x->body_len = stmt_is_null(s, 14) ? 0 : (size_t)stmt_int64(s, 14) - ENVELOPE_OVERHEAD;
	d->patient_id = stmt_int64(s, 15);
	chart_col_copy(s, 16, d->mrn, sizeof d->mrn);
	sig_split(s, 17, x->signed_by, sizeof x->signed_by, x->signed_at, sizeof x->signed_at);
	sig_split(s, 18, x->cosigned_by, sizeof x->cosigned_by, x->cosigned_at, sizeof x->cosigned_at);
	x->readable = (keyring_classes(grant_keys(g)) & KC_BIT(doc_key_class(x->type))) != 0;
}

int doc_load(struct grant *g, int64_t id, int any_chart, struct doc_row *d, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT " DOC_COLUMNS " FROM documents d JOIN patients p ON"
				   " p.id = d.patient_id WHERE d.id = ? AND (? OR p.mrn = ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, any_chart);
	stmt_bind_text(s, 3, grant_mrn(g) ? grant_mrn(g) : "");
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		doc_fill(g, s, d);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no document %" PRId64 " on this chart", id);
	}
	stmt_finalize(s);
	return rc;
}

/* A document's author signs: a physician's account. */
static int author_ok(struct grant *g, const char *name, const char *what, struct folio_err *e)
{
	char buf[16];
	const char *r = chart_user_role(g, name, buf);

	if (!r)
		return err_set(e, FOLIO_EUSAGE, "%s %s: no such user", what, name);
	if (strcmp(r, "physician") != 0)
		return err_set(e, FOLIO_EUSAGE, "%s %s is not a physician", what, name);
	return FOLIO_OK;
}

static int encounter_on_chart(struct grant *g, int64_t enc, int64_t pid, struct folio_err *e)
{
	struct stmt *s;
	int rc, found = 0;

	if (!enc)
		return FOLIO_OK;
	if ((rc = stmt_prepare(grant_store(g), "SELECT 1 FROM encounters WHERE id = ? AND patient_id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, enc);
	stmt_bind_int64(s, 2, pid);
	found = stmt_step(s, e) == STMT_ROW;
	stmt_finalize(s);
	return found ? FOLIO_OK : err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is not on this chart", enc);
}

struct doc_insert {
	int64_t patient_id, encounter_id, parent_id, supersedes_id, refiled_from;
	enum doc_type type;
	const char *status, *author, *cosigner;
	int version;
};

static int doc_insert(struct grant *g, const struct doc_insert *x, const char *text, size_t len, int64_t *id,
		      struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO documents (patient_id, encounter_id, type, status, author, cosigner,"
				   " entered_by, parent_id, supersedes_id, refiled_from, version, created_at, updated_at)"
				   " VALUES (?, nullif(?, 0), ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0), nullif(?, 0),"
				   " ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, x->patient_id);
	stmt_bind_int64(s, 2, x->encounter_id);
	stmt_bind_text(s, 3, doc_type_code(x->type));
	stmt_bind_text(s, 4, x->status);
	stmt_bind_text(s, 5, x->author);
	if (x->cosigner && *x->cosigner)
		stmt_bind_text(s, 6, x->cosigner);
	else
		stmt_bind_null(s, 6);
	stmt_bind_text(s, 7, session_user(grant_session(g)));
	stmt_bind_int64(s, 8, x->parent_id);
	stmt_bind_int64(s, 9, x->supersedes_id);
	stmt_bind_int64(s, 10, x->refiled_from);
	stmt_bind_int64(s, 11, x->version ? x->version : 1);
	stmt_bind_text(s, 12, now);
	stmt_bind_text(s, 13, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(st);
	if (!text)
		return FOLIO_OK;
	return doc_seal_into(g, "documents", "body", *id, x->type, text, len, e);
}

/* Typed by its author it awaits signature; typed for them, their review. */
static const char *typed_status(struct grant *g, const char *author)
{
	return strcmp(session_user(grant_session(g)), author) == 0 ? "unsigned" : "unverified";
}

int document_create(struct grant *g, const struct document_new *d, const char *text, size_t len, int64_t *id,
		    struct folio_err *e)
{
	struct doc_insert x = { 0 };
	int rc, placeholder = d->status != NULL;

	/* an import (an HL7 text report) files under its own grant */
	if (grant_action(g) != ACT_IMPORT_RUN && (rc = need(g, ACT_NOTE_WRITE, e)))
		return rc;
	if ((unsigned)d->type >= DOC_TYPE_COUNT)
		return err_set(e, FOLIO_EUSAGE, "unknown document type");
	if (!d->author || (rc = author_ok(g, d->author, "author", e)))
		return d->author ? rc : err_set(e, FOLIO_EUSAGE, "a document needs an author");
	if (d->cosigner && *d->cosigner) {
		if ((rc = author_ok(g, d->cosigner, "cosigner", e)))
			return rc;
		if (strcmp(d->cosigner, d->author) == 0)
			return err_set(e, FOLIO_EUSAGE, "the cosigner must be someone other than the author");
	}
	if (placeholder && strcmp(d->status, "undictated") != 0 && strcmp(d->status, "untranscribed") != 0)
		return err_set(e, FOLIO_EUSAGE, "a new document is undictated, untranscribed, or has its text");
	if (placeholder && len)
		return err_set(e, FOLIO_EUSAGE, "a placeholder for dictation has no text yet");
	if (!placeholder && (rc = doc_text_ok(text, len, e)))
		return rc;
	if (!placeholder && len == 0)
		return err_set(e, FOLIO_EUSAGE, "the document has no text");
	if (!(x.patient_id = chart_patient_id(g, e)))
		return e->code;
	if ((rc = encounter_on_chart(g, d->encounter_id, x.patient_id, e)))
		return rc;
	x.encounter_id = d->encounter_id;
	x.type = d->type;
	x.status = placeholder ? d->status : typed_status(g, d->author);
	x.author = d->author;
	x.cosigner = d->cosigner;
	return deficiency_after(g, x.encounter_id, doc_insert(g, &x, placeholder ? NULL : text, len, id, e), e);
}

static int doc_set(struct grant *g, int64_t id, int64_t expect, const char *status, struct folio_err *e)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE documents SET status = ?, updated_at = ?,"
				   " row_version = row_version + 1 WHERE id = ? AND row_version = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, status);
	stmt_bind_text(s, 2, now);
	stmt_bind_int64(s, 3, id);
	stmt_bind_int64(s, 4, expect);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "document %" PRId64 " was changed by someone else since you read it:"
			       " your text is kept as a draft", id);
	return FOLIO_OK;
}

int document_edit(struct grant *g, int64_t id, int64_t expect, const char *text, size_t len, struct folio_err *e)
{
	const char *me = session_user(grant_session(g));
	struct doc_row d;
	int rc;

	if ((rc = need(g, ACT_NOTE_WRITE, e)) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	if (signed_status(&d) || is_status(&d, "retracted"))
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " is %s: a signed document is never changed;"
			       " write an addendum (or, if authorised, an amendment)", id, d.info.status);
	if (strcmp(me, d.info.author) != 0 && strcmp(me, d.info.entered_by) != 0 &&
	    session_role(grant_session(g)) != ROLE_TECHNICIAN)
		return err_set(e, FOLIO_EDENIED, "only the author or the transcriptionist edits document %" PRId64, id);
	if (expect && expect != d.info.row_version)
		return err_set(e, FOLIO_ESTALE, "document %" PRId64 " was changed by someone else since you read it"
			       " (version %" PRId64 ", yours %" PRId64 "): your text is kept as a draft", id,
			       d.info.row_version, expect);
	if ((rc = doc_text_ok(text, len, e)))
		return rc;
	if (len == 0)
		return err_set(e, FOLIO_EUSAGE, "the document would have no text");
	if ((rc = doc_set(g, id, d.info.row_version, typed_status(g, d.info.author), e)))
		return rc;
	return deficiency_after(g, d.info.encounter_id,
				doc_seal_into(g, "documents", "body", id, d.info.type, text, len, e), e);
}

int document_sign(struct grant *g, int64_t id, const char *code, size_t codelen, char status[16],
		  struct folio_err *e)
{
	const char *me = session_user(grant_session(g)), *role, *next;
	struct doc_row d;
	int rc;

	if ((rc = need(g, ACT_NOTE_SIGN, e)) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	if ((is_status(&d, "unsigned") || is_status(&d, "unverified")) && strcmp(me, d.info.author) == 0) {
		role = "author";
		next = d.info.cosigner[0] ? "uncosigned" : "completed";
	} else if (is_status(&d, "uncosigned") && strcmp(me, d.info.cosigner) == 0) {
		role = "cosigner";
		next = "completed";
	} else if (is_status(&d, "unsigned") || is_status(&d, "unverified")) {
		return err_set(e, FOLIO_EDENIED, "document %" PRId64 " is for %s to sign", id, d.info.author);
	} else if (is_status(&d, "uncosigned")) {
		return err_set(e, FOLIO_EDENIED, "document %" PRId64 " awaits cosignature by %s", id, d.info.cosigner);
	} else {
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " is %s: nothing to sign", id, d.info.status);
	}
	if (!d.info.body_len)
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " has no text to sign", id);
	if ((rc = doc_signature_add(g, &d, role, code, codelen, e)))
		return rc;
	if ((rc = doc_set(g, id, d.info.row_version, next, e)) ||
	    (rc = deficiency_after(g, d.info.encounter_id, FOLIO_OK, e)))
		return rc;
	str_copy(status, 16, next);
	return FOLIO_OK;
}

int document_addend(struct grant *g, int64_t id, const char *author, const char *text, size_t len,
		    int64_t *addendum_id, struct folio_err *e)
{
	struct doc_insert x = { 0 };
	enum role r = session_role(grant_session(g));
	struct doc_row d;
	int rc;

	if ((rc = need(g, ACT_NOTE_WRITE, e)) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	if (!signed_status(&d) || d.info.parent_id)
		return err_set(e, FOLIO_EUSAGE, d.info.parent_id ? "document %" PRId64 " is itself an addendum:"
			       " add to its document" : "document %" PRId64 " is not signed yet: edit it instead", id);
	if (is_status(&d, "amended"))
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " has a newer version: add to that one", id);
	x.author = r == ROLE_PHYSICIAN ? session_user(grant_session(g)) : author && *author ? author : d.info.author;
	if ((rc = author_ok(g, x.author, "author", e)) || (rc = doc_text_ok(text, len, e)))
		return rc;
	if (len == 0)
		return err_set(e, FOLIO_EUSAGE, "the addendum has no text");
	x.patient_id = d.patient_id;
	x.encounter_id = d.info.encounter_id;
	x.parent_id = id;
	x.type = d.info.type;
	x.status = typed_status(g, x.author);
	return deficiency_after(g, x.encounter_id, doc_insert(g, &x, text, len, addendum_id, e), e);
}

int document_amend(struct grant *g, int64_t id, const char *text, size_t len, const char *code, size_t codelen,
		   int64_t *new_id, struct folio_err *e)
{
	struct doc_insert x = { 0 };
	struct doc_row d, n;
	int rc;

	if ((rc = need(g, ACT_NOTE_AMEND, e)) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	if (!is_status(&d, "completed") && !is_status(&d, "uncosigned"))
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " is %s: only a signed, current document is"
			       " amended", id, d.info.status);
	if ((rc = doc_text_ok(text, len, e)))
		return rc;
	if (len == 0)
		return err_set(e, FOLIO_EUSAGE, "the amendment has no text");
	x.patient_id = d.patient_id;
	x.encounter_id = d.info.encounter_id;
	x.parent_id = d.info.parent_id;
	x.supersedes_id = id;
	x.type = d.info.type;
	x.status = "completed";
	x.author = d.info.author;
	x.version = d.info.version + 1;
	if ((rc = doc_insert(g, &x, text, len, new_id, e)) || (rc = doc_load(g, *new_id, 0, &n, e)) ||
	    (rc = doc_signature_add(g, &n, "amender", code, codelen, e)))
		return rc;
	return deficiency_after(g, d.info.encounter_id, doc_set(g, id, d.info.row_version, "amended", e), e);
}

int document_retract(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	struct doc_row d;
	struct stmt *s;
	char now[24];
	int rc;

	if ((rc = need(g, ACT_NOTE_AMEND, e)) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	if (is_status(&d, "retracted"))
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " is already retracted", id);
	if (!reason || !*reason)
		return err_set(e, FOLIO_EUSAGE, "a retraction needs a reason");
	if ((rc = doc_text_ok(reason, strlen(reason), e)))
		return rc;
	if (strlen(reason) > 500)
		return err_set(e, FOLIO_EUSAGE, "the reason is at most 500 bytes");
	time_utc_now(now, sizeof now);
	if ((rc = doc_set(g, id, d.info.row_version, "retracted", e)))
		return rc;
	/* Its addenda go with it: they belong to what was misfiled. */
	if ((rc = stmt_prepare(grant_store(g), "UPDATE documents SET retracted_at = ?1, retracted_by = ?2,"
				   " status = CASE WHEN id = ?3 THEN status ELSE 'retracted' END,"
				   " row_version = row_version + (id <> ?3)"
				   " WHERE id = ?3 OR (parent_id = ?3 AND status <> 'retracted')", &s, e)))
		return rc;
	stmt_bind_text(s, 1, now);
	stmt_bind_text(s, 2, session_user(grant_session(g)));
	stmt_bind_int64(s, 3, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	return deficiency_after(g, d.info.encounter_id,
				doc_seal_into(g, "documents", "retract_reason", id, DOC_OTHER, reason, strlen(reason), e), e);
}

static int retracted_by_me(struct grant *g, int64_t id, struct folio_err *e)
{
	struct stmt *s;
	int rc, mine = 0;

	if ((rc = stmt_prepare(grant_store(g), "SELECT retracted_by = ? FROM documents WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, session_user(grant_session(g)));
	stmt_bind_int64(s, 2, id);
	if (stmt_step(s, e) == STMT_ROW)
		mine = stmt_int64(s, 0) == 1;
	stmt_finalize(s);
	return mine ? FOLIO_OK : err_set(e, FOLIO_EDENIED, "document %" PRId64 " is refiled by whoever retracted it", id);
}

int document_refile(struct grant *g, int64_t from_id, int64_t *new_id, struct folio_err *e)
{
	struct doc_insert x = { 0 };
	struct doc_row d;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = need(g, ACT_NOTE_AMEND, e)) || (rc = doc_load(g, from_id, 1, &d, e)))
		return rc;
	if (!is_status(&d, "retracted"))
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " is %s: retract it from the wrong chart first",
			       from_id, d.info.status);
	/* The copy is read from a chart this grant did not open: only the one
	 * who retracted it there (and so passed that chart's gate) moves it. */
	if ((rc = retracted_by_me(g, from_id, e)))
		return rc;
	if (!(x.patient_id = chart_patient_id(g, e)))
		return e->code;
	if (x.patient_id == d.patient_id)
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " was retracted from this same chart", from_id);
	if ((rc = doc_open_from(g, "documents", "body", from_id, &text, &len, e)))
		return rc;
	x.type = d.info.type;
	x.author = d.info.author;
	x.cosigner = d.info.cosigner;
	x.refiled_from = from_id;
	/* A signature names its patient: the copy is signed again. */
	x.status = text ? "unsigned" : "undictated";
	rc = doc_insert(g, &x, text, len, new_id, e);
	smem_free(text);
	return rc;
}

/* Calls fn for each document of the grant's chart that `where` selects
 * (a fixed SQL condition with one integer parameter). */
static int doc_walk(struct grant *g, const char *sql, int64_t arg, int (*fn)(const struct document_info *, void *),
		    void *ctx, struct folio_err *e)
{
	struct doc_row *d;
	struct stmt *s;
	int rc;

	if (!grant_reads_chart(g) && (rc = need(g, ACT_CHART_VIEW, e)))
		return rc;
	if (!(d = malloc(sizeof *d)))
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e))) {
		free(d);
		return rc;
	}
	stmt_bind_text(s, 1, grant_mrn(g));
	stmt_bind_int64(s, 2, arg);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		doc_fill(g, s, d);
		if (fn(&d->info, ctx))
			break;
	}
	stmt_finalize(s);
	free(d);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int document_list(struct grant *g, int all, int (*fn)(const struct document_info *, void *), void *ctx,
		  struct folio_err *e)
{
	return doc_walk(g, "SELECT " DOC_COLUMNS " FROM documents d JOIN patients p ON p.id = d.patient_id"
			   " WHERE p.mrn = ? AND d.parent_id IS NULL AND (? OR d.status NOT IN ('retracted', 'amended'))"
			   " ORDER BY d.created_at DESC, d.id DESC", all, fn, ctx, e);
}

int document_read(struct grant *g, int64_t id, struct document_info *info, char **text, size_t *len,
		  struct folio_err *e)
{
	struct doc_row d;
	int rc;

	*text = NULL;
	*len = 0;
	if ((!grant_reads_chart(g) && (rc = need(g, ACT_CHART_VIEW, e))) || (rc = doc_load(g, id, 0, &d, e)))
		return rc;
	*info = d.info;
	if (!d.info.readable)
		return err_set(e, FOLIO_EDENIED, "document %" PRId64 " is a %s: your role does not hold its key", id,
			       doc_type_title(d.info.type));
	return doc_open_from(g, "documents", "body", id, text, len, e);
}

int document_addenda(struct grant *g, int64_t id, int (*fn)(const struct document_info *, void *), void *ctx,
		     struct folio_err *e)
{
	return doc_walk(g, "SELECT " DOC_COLUMNS " FROM documents d JOIN patients p ON p.id = d.patient_id"
			   " WHERE p.mrn = ? AND d.parent_id = ? ORDER BY d.id", id, fn, ctx, e);
}
