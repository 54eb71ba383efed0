/* folio — the physician answers a query: the answer is written into the
 * record as a signed addendum (to the encounter's discharge summary, else
 * its latest signed document, else a new progress note on the encounter),
 * and the query keeps the document's number.
 *
 * All of it happens under the one ACT_QUERY_ANSWER grant, so the addendum,
 * its signature and the query's new status commit together or not at all:
 * a wrong signature code leaves no unsigned addendum behind.  The
 * signature is the one `note sign` makes (doc_signature_add), so `note
 * verify` checks it like any other, and the completeness hook runs on the
 * encounter as after any document change. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "deficiency_internal.h"
#include "folio/smem.h"
#include "query_internal.h"

/* A growing text in one guarded block (sized up front: no realloc). */
struct qbuf {
	char *p;
	size_t len, cap;
};

static void qb_add(struct qbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void qb_add(struct qbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static int reply_ok(const struct query_info *q, const struct query_text *t, const struct query_reply *r,
		    struct folio_err *e)
{
	const char *text = r->text ? r->text : "";
	int rc;

	if (r->comment && *r->comment && (rc = chart_line_ok(r->comment, QUERY_ANSWER_MAX, "the comment", e)))
		return rc;
	if (*text && (rc = chart_line_ok(text, QUERY_ANSWER_MAX, "the answer", e)))
		return rc;
	if (q->format == QUERY_OPEN) {
		if (r->option)
			return err_set(e, FOLIO_EUSAGE, "query %" PRId64 " is open-ended: answer in your own words",
				       q->id);
		if (!*text)
			return err_set(e, FOLIO_EUSAGE, "the answer is empty");
		return FOLIO_OK;
	}
	if (r->option < 1 || (size_t)r->option > t->n_options)
		return err_set(e, FOLIO_EUSAGE, "pick one of the options 1 to %zu", t->n_options);
	if (strcmp(t->options[r->option - 1], QUERY_OPTION_OTHER) == 0 && !*text)
		return err_set(e, FOLIO_EUSAGE, "\"Other\" needs your answer in words");
	if (strcmp(t->options[r->option - 1], QUERY_OPTION_OTHER) != 0 && *text)
		return err_set(e, FOLIO_EUSAGE, "words go with \"Other\" only; anything more is a comment");
	return FOLIO_OK;
}

/* The addendum's text: the query as asked, and the answer. */
static char *addendum_text(const struct query_info *q, const struct query_text *t, const struct query_reply *r,
			   size_t *len)
{
	struct qbuf b = { NULL, 0, 1024 };
	char day[11];

	b.cap += strlen(t->question) + (r->text ? strlen(r->text) : 0) + (r->comment ? strlen(r->comment) : 0);
	for (size_t i = 0; i < t->n_indicators; i++)
		b.cap += strlen(t->indicators[i]) + 4;
	for (size_t i = 0; i < t->n_options; i++)
		b.cap += strlen(t->options[i]) + 8;
	if (!(b.p = smem_alloc(b.cap)))
		return NULL;
	str_copy(day, sizeof day, q->created);
	qb_add(&b, "RESPONSE TO DOCUMENTATION QUERY %" PRId64 "\n", q->id);
	qb_add(&b, "Query from %s on %s (%s).\n\nClinical indicators cited:\n", q->from, day,
	       query_format_name(q->format));
	for (size_t i = 0; i < t->n_indicators; i++)
		qb_add(&b, "- %s\n", t->indicators[i]);
	qb_add(&b, "\nQuestion: %s\n", t->question);
	if (t->n_options) {
		qb_add(&b, "Options offered:\n");
		for (size_t i = 0; i < t->n_options; i++)
			qb_add(&b, "  %zu. %s\n", i + 1, t->options[i]);
	}
	if (r->option)
		qb_add(&b, "\nAnswer: %s%s%s\n", t->options[r->option - 1], r->text && *r->text ? ": " : "",
		       r->text ? r->text : "");
	else
		qb_add(&b, "\nAnswer: %s\n", r->text);
	if (r->comment && *r->comment)
		qb_add(&b, "Comment: %s\n", r->comment);
	*len = b.len;
	return b.p;
}

/* The document the answer is added to: the encounter's signed discharge
 * summary, else its latest signed document (not a sensitive one: a coder's
 * query belongs with the ordinary chart); 0 when there is none. */
static int target_of(struct grant *g, const struct query_info *q, int64_t pid, int64_t *doc, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*doc = 0;
	if ((rc = stmt_prepare(grant_store(g), "SELECT id FROM documents WHERE encounter_id = ? AND patient_id = ?"
				   " AND parent_id IS NULL AND status IN ('completed', 'uncosigned')"
				   " AND type NOT IN ('psychotherapy', 'substance')"
				   " ORDER BY type = 'discharge' DESC, created_at DESC, id DESC LIMIT 1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, q->encounter_id);
	stmt_bind_int64(s, 2, pid);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW)
		*doc = stmt_int64(s, 0);
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Files the text as document *id by the signed-in physician: an addendum
 * to parent (of its type), or a progress note when parent is 0. */
static int file_answer(struct grant *g, const struct query_info *q, int64_t pid, int64_t parent, const char *text,
		       size_t len, int64_t *id, struct folio_err *e)
{
	const char *me = session_user(grant_session(g));
	enum doc_type type = DOC_PROGRESS;
	struct doc_row d;
	struct stmt *s;
	char now[24];
	int rc;

	if (parent) {
		if ((rc = doc_load(g, parent, 0, &d, e)))
			return rc;
		type = d.info.type;
	}
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO documents (patient_id, encounter_id, type, status, author,"
				   " entered_by, parent_id, version, created_at, updated_at)"
				   " VALUES (?, ?, ?, 'unsigned', ?, ?, nullif(?, 0), 1, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_int64(s, 2, q->encounter_id);
	stmt_bind_text(s, 3, doc_type_code(type));
	stmt_bind_text(s, 4, me);
	stmt_bind_text(s, 5, me);
	stmt_bind_int64(s, 6, parent);
	stmt_bind_text(s, 7, now);
	stmt_bind_text(s, 8, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(grant_store(g));
	return doc_seal_into(g, "documents", "body", *id, type, text, len, e);
}

/* Signs document id as its author and marks it completed. */
static int sign_answer(struct grant *g, int64_t id, const char *code, size_t codelen, struct folio_err *e)
{
	struct doc_row d;
	struct stmt *s;
	int rc;

	if ((rc = doc_load(g, id, 0, &d, e)) || (rc = doc_signature_add(g, &d, "author", code, codelen, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "UPDATE documents SET status = 'completed',"
				   " row_version = row_version + 1 WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The answer as kept with the query (sealed): the option, text, comment. */
static int keep_answer(struct grant *g, int64_t id, const struct query_reply *r, int64_t doc, struct folio_err *e)
{
	struct qbuf b = { NULL, 0, 64 };
	struct stmt *s;
	int rc;

	b.cap += (r->text ? strlen(r->text) : 0) + (r->comment ? strlen(r->comment) : 0);
	if (!(b.p = smem_alloc(b.cap)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	qb_add(&b, "%c\t%d\n%c\t%s\n%c\t%s\n", QUERY_KEY_PICK, r->option, QUERY_KEY_ANSWER, r->text ? r->text : "",
	       QUERY_KEY_COMMENT, r->comment ? r->comment : "");
	rc = doc_seal_into(g, "queries", "answer", id, DOC_OTHER, b.p, b.len, e);
	smem_free(b.p);
	if (rc)
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "UPDATE queries SET addendum_id = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, doc);
	stmt_bind_int64(s, 2, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int query_answer(struct grant *g, int64_t id, const struct query_reply *r, const char *code, size_t codelen,
		 int64_t *document_id, struct folio_err *e)
{
	static const enum action ok[] = { ACT_QUERY_ANSWER };
	const char *me = session_user(grant_session(g));
	struct query_text *t = NULL;
	struct query_info q;
	int64_t pid, parent;
	char *text;
	size_t len = 0;
	int rc;

	*document_id = 0;
	if ((rc = query_need(g, ok, 1, e)) || (rc = query_row_load(g, id, &q, &pid, e)))
		return rc;
	if (strcmp(q.status, "open") != 0 && strcmp(q.status, "escalated") != 0)
		return err_set(e, FOLIO_EUSAGE, "query %" PRId64 " is %s: there is nothing to answer", id, q.status);
	if (strcmp(q.to, me) != 0)
		return err_set(e, FOLIO_EDENIED, "query %" PRId64 " is for %s to answer", id, q.to);
	if ((rc = query_text_open(g, id, &t, e)))
		return rc;
	if ((rc = reply_ok(&q, t, r, e)) == FOLIO_OK && (rc = target_of(g, &q, pid, &parent, e)) == FOLIO_OK) {
		if (!(text = addendum_text(&q, t, r, &len))) {
			rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		} else {
			rc = file_answer(g, &q, pid, parent, text, len, document_id, e);
			smem_free(text);
		}
	}
	query_text_free(t);
	if (rc == FOLIO_OK)
		rc = sign_answer(g, *document_id, code, codelen, e);
	if (rc == FOLIO_OK)
		rc = keep_answer(g, id, r, *document_id, e);
	if (rc == FOLIO_OK)
		rc = query_set_status(g, id, q.row_version, "answered", e);
	/* A new signed document on the encounter: its completeness as any other. */
	rc = deficiency_after(g, q.encounter_id, rc, e);
	if (rc != FOLIO_OK)
		*document_id = 0;
	return rc;
}
