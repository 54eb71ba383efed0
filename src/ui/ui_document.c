/* folio — the documents of a chart: the list, the viewer (a document with
 * its addenda), writing and transcribing in the editor with drafts kept as
 * the user types, editing before signature, addenda, and the signing flow
 * (a signature code, not the password).
 *
 * Document text is PHI: it only ever lives in smem buffers from the core or
 * the editor, freed (wiped) as soon as the screen is done with it. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/chart.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define DOCS_MAX 300
#define DOCS_TOP 5
#define VIEW_MAX (2 * DOC_BODY_MAX)
#define SIGCODE_CAP 130

struct docs {
	const char *mrn, *name, *age_sex, *banner;
	int restricted, test;
	struct document_info *rows;
	size_t n;
	struct ui_list list;
};

static const char docs_help[] =
	"The patient's documents, newest first (retracted and superseded\n"
	"versions are kept but not listed).  A number picks a row.\n"
	"  Enter  read the document with its addenda (/ finds text)\n"
	"  N      new document: type, author, then the editor\n"
	"  E      edit an unsigned document (transcription, corrections)\n"
	"  A      addendum to a signed document\n"
	"  S      sign (author) or cosign: asks your signature code\n"
	"  F5     read the list again\n"
	"In the editor F10 or ^X saves; Esc leaves; your text is kept as a\n"
	"draft as you type, and comes back if you open the same document.\n"
	"Esc or ^ goes back to the chart.";

static int doc_keep(const struct document_info *d, void *ctx)
{
	struct docs *s = ctx;

	if (s->n < DOCS_MAX)
		s->rows[s->n++] = *d;
	return s->n >= DOCS_MAX;
}

static void docs_load(struct ui *u, struct docs *s)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	s->n = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, s->mrn, "document", "list", &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, document_list(g, 0, doc_keep, s, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the documents: %s", e.msg);
	s->list.n = (int)s->n;
	if (s->list.sel >= s->list.n)
		s->list.sel = s->list.n ? s->list.n - 1 : 0;
}

static void docs_draw(struct ui *u, void *ctx)
{
	struct docs *s = ctx;
	int page = ui_body_end() - DOCS_TOP + 1;
	char line[320];

	ui_frame(u, "Documents", "Enter read  N new  E edit  A addendum  S sign  ? help  Esc back");
	ui_chart_header(u, s->name, s->mrn, s->age_sex, s->restricted, s->test, s->banner);
	ui_put(4, 0, COLS, "   #  Doc    Written          Type                     Status      Author",
	       ui_attr(u, UI_A_HEADER));
	if (!s->n)
		ui_put(DOCS_TOP, 2, COLS - 2, "No documents.  N writes one.", ui_attr(u, UI_A_DIM));
	ui_list_fit(&s->list, page);
	for (int i = s->list.top; i < s->list.n && i < s->list.top + page; i++) {
		char num[16];
		snprintf(num, sizeof num, "%3d ", i + 1);
		ui_document_line(&s->rows[i], line, sizeof line);
		ui_put(DOCS_TOP + i - s->list.top, 0, 4, num, 0);
		ui_put(DOCS_TOP + i - s->list.top, 4, COLS - 4, line, i == s->list.sel ? ui_attr(u, UI_A_SELECT) : 0);
	}
}

static struct document_info *current(struct ui *u, struct docs *s)
{
	if (!s->n) {
		ui_msg(u, 1, "No document is highlighted.");
		return NULL;
	}
	return &s->rows[s->list.sel];
}

/* ---- reading ------------------------------------------------------------ */

/* A growing guarded text: appends copy into a new block when full (no
 * realloc of PHI). */
struct vbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void vb_add(struct vbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > VIEW_MAX || !(np = smem_alloc(cap))) {
			b->failed = 1;
			return;
		}
		if (b->p) {
			memcpy(np, b->p, b->len);
			smem_free(b->p);
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void vb_heading(struct vbuf *b, const struct document_info *d, const char *what)
{
	char line[400], when[17] = "", signed_at[17] = "";

	datetime_local(d->created, when);
	if (d->signed_at[0])
		datetime_local(d->signed_at, signed_at);
	snprintf(line, sizeof line, "%s %" PRId64 ": %s, %s by %s%s%s%s%s%s%s\n%s\n", what, d->id,
		 doc_type_title(d->type), when, d->author,
		 strcmp(d->entered_by, d->author) ? " (entered by " : "",
		 strcmp(d->entered_by, d->author) ? d->entered_by : "",
		 strcmp(d->entered_by, d->author) ? ")" : "", d->signed_at[0] ? "; signed " : "; ",
		 d->signed_at[0] ? signed_at : "", d->signed_at[0] ? "" : d->status,
		 "------------------------------------------------------------");
	vb_add(b, line, strlen(line));
}

struct addenda_ctx {
	struct grant *g;
	struct vbuf *b;
	struct folio_err *e;
};

static int add_addendum(const struct document_info *d, void *ctx)
{
	struct addenda_ctx *a = ctx;
	struct document_info info;
	char *text = NULL;
	size_t len = 0;

	vb_add(a->b, "\n", 1);
	vb_heading(a->b, d, "Addendum");
	if (document_read(a->g, d->id, &info, &text, &len, a->e) == FOLIO_OK && text)
		vb_add(a->b, text, len);
	smem_free(text);
	vb_add(a->b, "\n", 1);
	return 0;
}

static void doc_view(struct ui *u, struct docs *s)
{
	struct document_info *d = current(u, s), info;
	struct ui_editor_opts o = { 0 };
	struct vbuf b = { 0 };
	struct addenda_ctx a;
	struct folio_err e;
	struct grant *g = NULL;
	char *text = NULL, title[80];
	size_t len = 0;
	int rc;

	if (!d)
		return;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, s->mrn, "document", NULL, &g, &e);
	if (rc == FOLIO_OK) {
		rc = document_read(g, d->id, &info, &text, &len, &e);
		if (rc == FOLIO_OK) {
			vb_heading(&b, &info, "Document");
			if (text)
				vb_add(&b, text, len);
			else
				vb_add(&b, "(no text yet: awaiting dictation or transcription)", 50);
			vb_add(&b, "\n", 1);
			a.g = g;
			a.b = &b;
			a.e = &e;
			rc = document_addenda(g, d->id, add_addendum, &a, &e);
		}
		rc = ui_grant_end(g, rc, &e);
	}
	smem_free(text);
	if (rc != FOLIO_OK || b.failed) {
		ui_msg(u, 1, "Cannot show it: %s", b.failed ? "too long or out of secure memory" : e.msg);
		smem_free(b.p);
		return;
	}
	snprintf(title, sizeof title, "%s %" PRId64, doc_type_title(d->type), d->id);
	o.title = title;
	o.readonly = 1;
	ui_editor_run(u, b.p, b.len, &o, NULL, NULL);
	smem_free(b.p);
}

/* ---- writing -------------------------------------------------------------- */

struct draft_ctx {
	struct ui *u;
	const char *mrn;
	int64_t document_id;
	enum doc_type type;
	int64_t base_version;
};

static int save_draft(void *ctx, const char *text, size_t len)
{
	struct draft_ctx *d = ctx;
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(d->u->s, ACT_NOTE_WRITE, d->mrn, "draft", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, draft_save(g, d->document_id, d->type, d->base_version, text, len, NULL, &e),
				  &e);
	return rc == FOLIO_OK ? 0 : -1;
}

static void drop_draft(struct ui *u, const char *mrn, int64_t document_id)
{
	struct folio_err e;
	struct grant *g = NULL;

	err_clear(&e);
	if (access_begin(u->s, ACT_NOTE_WRITE, mrn, "draft", NULL, &g, &e) == FOLIO_OK)
		ui_grant_end(g, draft_discard(g, document_id, &e), &e);
}

/* The user's draft for a document, offered back; NULL when none or refused. */
static char *offer_draft(struct ui *u, const char *mrn, int64_t document_id, size_t *len)
{
	struct folio_err e;
	struct grant *g = NULL;
	char *text = NULL;
	int64_t base = 0;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_NOTE_WRITE, mrn, "draft", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, draft_load(g, document_id, &text, len, &base, &e), &e);
	if (rc != FOLIO_OK || !text)
		return NULL;
	if (ui_confirm(u, "You have an unsaved draft here. Continue from it?", 1))
		return text;
	smem_free(text);
	return NULL;
}

/* Runs the editor with drafts; UI_OK with *out (smem) to save. */
static int write_text(struct ui *u, struct draft_ctx *dc, const char *title, const char *initial, size_t len,
		      char **out, size_t *outlen)
{
	struct ui_editor_opts o = { 0 };
	int r;

	o.title = title;
	o.save_draft = save_draft;
	o.ctx = dc;
	o.draft_seconds = 5;
	r = ui_editor_run(u, initial, len, &o, out, outlen);
	if (r == UI_BACK)
		drop_draft(u, dc->mrn, dc->document_id); /* discarded on purpose */
	return r;
}

static int pick_type(struct ui *u, enum doc_type *t)
{
	char help[700], buf[32];
	size_t n = 0;

	n += (size_t)snprintf(help + n, sizeof help - n, "The kind of document, by code or number:\n");
	for (int i = 0; i < DOC_TYPE_COUNT && n < sizeof help; i++)
		n += (size_t)snprintf(help + n, sizeof help - n, "%2d %-14s %s%s\n", i + 1, doc_type_code((enum doc_type)i),
				      doc_type_title((enum doc_type)i),
				      doc_type_sensitive((enum doc_type)i) ? " (sensitive key)" : "");
	for (;;) {
		int v;
		if (ui_ask(u, "Document type", help, "progress", buf, sizeof buf) != UI_OK)
			return -1;
		if (!buf[0])
			str_copy(buf, sizeof buf, "progress");
		v = doc_type_parse(buf);
		if (v < 0 && atoi(buf) >= 1 && atoi(buf) <= DOC_TYPE_COUNT)
			v = atoi(buf) - 1;
		if (v >= 0) {
			*t = (enum doc_type)v;
			return 0;
		}
		ui_msg(u, 1, "Not a document type: ? lists them.");
	}
}

static void doc_new(struct ui *u, struct docs *s)
{
	struct draft_ctx dc = { u, s->mrn, 0, DOC_PROGRESS, 0 };
	struct document_new d = { 0 };
	char author[40], title[80], *out = NULL, *draft;
	const char *me = session_user(u->s);
	size_t outlen = 0, dlen = 0;
	struct folio_err e;
	struct grant *g = NULL;
	int64_t id = 0;
	int rc;

	if (!ui_may(u, ACT_NOTE_WRITE))
		return;
	if (pick_type(u, &dc.type) != 0)
		return;
	author[0] = '\0';
	if (ui_ask(u, "Author", "The physician whose document it is (their user name).\n"
				"Typed for someone else, it waits for their review and signature.",
		   session_role(u->s) == ROLE_PHYSICIAN ? me : NULL, author, sizeof author) != UI_OK)
		return;
	if (!author[0] && session_role(u->s) == ROLE_PHYSICIAN)
		str_copy(author, sizeof author, me);
	snprintf(title, sizeof title, "New %s (author %s)", doc_type_title(dc.type), author);
	draft = offer_draft(u, s->mrn, 0, &dlen);
	if (draft) {
		rc = write_text(u, &dc, title, draft, dlen, &out, &outlen);
		smem_free(draft);
	} else {
		const char *tpl = ui_editor_template(doc_type_code(dc.type));
		rc = write_text(u, &dc, title, tpl, tpl ? strlen(tpl) : 0, &out, &outlen);
	}
	if (rc != UI_OK) {
		if (rc == UI_BACK)
			ui_msg(u, 0, "Not filed.");
		return;
	}
	d.type = dc.type;
	d.author = author;
	err_clear(&e);
	rc = access_begin(u->s, ACT_NOTE_WRITE, s->mrn, "document", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, document_create(g, &d, out, outlen, &id, &e), &e);
	if (rc == FOLIO_OK) {
		drop_draft(u, s->mrn, 0);
		ui_msg(u, 0, "Filed as document %" PRId64 " (%s).", id,
		       strcmp(author, me) == 0 ? "unsigned: S signs it" : "unverified: for the author to review and sign");
	} else {
		save_draft(&dc, out, outlen);
		ui_msg(u, 1, "Not filed: %s (your text is kept as a draft)", e.msg);
	}
	smem_free(out);
	docs_load(u, s);
}

static void doc_edit(struct ui *u, struct docs *s)
{
	struct document_info *d = current(u, s), info;
	struct draft_ctx dc;
	struct folio_err e;
	struct grant *g = NULL;
	char *text = NULL, *out = NULL, *draft, title[80];
	size_t len = 0, outlen = 0, dlen = 0;
	int rc;

	if (!d || !ui_may(u, ACT_NOTE_WRITE))
		return;
	if (strcmp(d->status, "completed") == 0 || strcmp(d->status, "uncosigned") == 0) {
		ui_msg(u, 1, "Document %" PRId64 " is signed: it is never changed.  A writes an addendum.", d->id);
		return;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, s->mrn, "document", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, document_read(g, d->id, &info, &text, &len, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open it: %s", e.msg);
		return;
	}
	dc = (struct draft_ctx){ u, s->mrn, d->id, info.type, info.row_version };
	snprintf(title, sizeof title, "Edit %s %" PRId64, doc_type_title(info.type), d->id);
	if ((draft = offer_draft(u, s->mrn, d->id, &dlen))) {
		smem_free(text);
		text = draft;
		len = dlen;
	}
	rc = write_text(u, &dc, title, text, len, &out, &outlen);
	smem_free(text);
	if (rc != UI_OK)
		return;
	err_clear(&e);
	rc = access_begin(u->s, ACT_NOTE_WRITE, s->mrn, "document", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, document_edit(g, d->id, info.row_version, out, outlen, &e), &e);
	if (rc == FOLIO_OK) {
		drop_draft(u, s->mrn, d->id);
		ui_msg(u, 0, "Saved document %" PRId64 ".", d->id);
	} else {
		/* Stale or refused: nothing is lost, the text stays a draft. */
		save_draft(&dc, out, outlen);
		ui_msg(u, 1, "Not saved: %s", e.msg);
	}
	smem_free(out);
	docs_load(u, s);
}

static void doc_addend(struct ui *u, struct docs *s)
{
	struct document_info *d = current(u, s);
	struct draft_ctx dc;
	struct folio_err e;
	struct grant *g = NULL;
	char *out = NULL, *draft, title[80];
	size_t outlen = 0, dlen = 0;
	int64_t id = 0;
	int rc;

	if (!d || !ui_may(u, ACT_NOTE_WRITE))
		return;
	if (strcmp(d->status, "completed") != 0 && strcmp(d->status, "uncosigned") != 0) {
		ui_msg(u, 1, "Document %" PRId64 " is %s: E edits it until it is signed.", d->id, d->status);
		return;
	}
	/* An addendum's draft is kept against the document it adds to. */
	dc = (struct draft_ctx){ u, s->mrn, d->id, d->type, 0 };
	snprintf(title, sizeof title, "Addendum to %s %" PRId64, doc_type_title(d->type), d->id);
	draft = offer_draft(u, s->mrn, d->id, &dlen);
	rc = write_text(u, &dc, title, draft, dlen, &out, &outlen);
	smem_free(draft);
	if (rc != UI_OK)
		return;
	err_clear(&e);
	rc = access_begin(u->s, ACT_NOTE_WRITE, s->mrn, "document", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, document_addend(g, d->id, NULL, out, outlen, &id, &e), &e);
	if (rc == FOLIO_OK) {
		drop_draft(u, s->mrn, d->id);
		ui_msg(u, 0, "Addendum %" PRId64 " filed: it awaits %s's signature.", id, d->author);
	} else {
		save_draft(&dc, out, outlen);
		ui_msg(u, 1, "Not filed: %s (your text is kept as a draft)", e.msg);
	}
	smem_free(out);
	docs_load(u, s);
}

/* The unsigned addenda of the highlighted document count as signable from
 * its row: the signer picks the document, then each waiting addendum. */
struct pending {
	int64_t ids[16];
	int n;
	const char *me;
};

static int pending_add(const struct document_info *d, void *ctx)
{
	struct pending *p = ctx;

	if (p->n < 16 && (strcmp(d->status, "unsigned") == 0 || strcmp(d->status, "unverified") == 0) &&
	    strcmp(d->author, p->me) == 0)
		p->ids[p->n++] = d->id;
	return 0;
}

static void doc_sign(struct ui *u, struct docs *s)
{
	struct document_info *d = current(u, s);
	struct pending p = { { 0 }, 0, session_user(u->s) };
	struct ui_field f;
	struct folio_err e;
	struct grant *g = NULL;
	char *code, status[16] = "";
	int rc, signed_n = 0;

	if (!d || !ui_may(u, ACT_NOTE_SIGN))
		return;
	if ((strcmp(d->status, "unsigned") == 0 || strcmp(d->status, "unverified") == 0 ||
	     strcmp(d->status, "uncosigned") == 0))
		p.ids[p.n++] = d->id;
	err_clear(&e);
	if (access_begin(u->s, ACT_CHART_VIEW, s->mrn, "document", NULL, &g, &e) == FOLIO_OK)
		ui_grant_end(g, document_addenda(g, d->id, pending_add, &p, &e), &e);
	if (!p.n) {
		ui_msg(u, 1, "Document %" PRId64 " and its addenda have nothing for you to sign.", d->id);
		return;
	}
	if (!(code = smem_alloc(SIGCODE_CAP))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	memset(&f, 0, sizeof f);
	f.label = "Signature code";
	f.help = "Your electronic signature code (not your password).\n"
		 "Set it under Account if you have none.";
	f.buf = code;
	f.cap = SIGCODE_CAP;
	f.secret = 1;
	f.row = ui_prompt_row();
	ui_msg(u, 0, "Signing %d document%s: type your signature code.", p.n, p.n == 1 ? "" : "s");
	ui_redraw(u);
	rc = ui_field_run(u, &f);
	if (rc == UI_OK) {
		/* the code's Argon2id once, before the grants' transactions */
		err_clear(&e);
		(void)access_sign_prepare(u->s, code, f.len, &e);
	}
	for (int i = 0; rc == UI_OK && i < p.n; i++) {
		err_clear(&e);
		rc = access_begin(u->s, ACT_NOTE_SIGN, s->mrn, "document", NULL, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, document_sign(g, p.ids[i], code, f.len, status, &e), &e);
		if (rc == FOLIO_OK)
			signed_n++;
		else
			ui_msg(u, 1, "Not signed: %s", e.msg);
	}
	access_sign_forget(u->s);
	smem_free(code);
	if (signed_n)
		ui_msg(u, 0, "Signed %d document%s (%s).", signed_n, signed_n == 1 ? "" : "s", status);
	docs_load(u, s);
}

void ui_documents_run(struct ui *u, const char *mrn, const char *name, const char *age_sex, int restricted, int test,
		      const char *banner)
{
	struct docs s;
	struct ui_view v;

	memset(&s, 0, sizeof s);
	s.mrn = mrn;
	s.name = name;
	s.age_sex = age_sex;
	s.banner = banner;
	s.restricted = restricted;
	s.test = test;
	if (!(s.rows = calloc(DOCS_MAX, sizeof *s.rows))) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	docs_load(u, &s);
	ui_view_push(u, &v, docs_draw, &s, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), page = ui_body_end() - DOCS_TOP + 1;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (ui_list_key(&s.list, k, page))
			;
		else if (ui_key_is_help(k))
			ui_popup(u, "Documents", docs_help);
		else if (ui_key_is_enter(k))
			doc_view(u, &s);
		else if (k == 'n' || k == 'N')
			doc_new(u, &s);
		else if (k == 'e' || k == 'E')
			doc_edit(u, &s);
		else if (k == 'a' || k == 'A')
			doc_addend(u, &s);
		else if (k == 's' || k == 'S')
			doc_sign(u, &s);
		else if (k == UI_FKEY(KEY_F(5)))
			docs_load(u, &s);
		else if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(s.rows);
}
