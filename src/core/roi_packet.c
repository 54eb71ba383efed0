/* folio — the release itself: the packet (a PDF of exactly the selected
 * items, with a cover letter and a manifest) and its entry in the
 * disclosure ledger, in the grant's transaction.
 *
 * Everything decrypted for the packet lives in guarded memory (the PDF
 * library allocates from it too, src/interop/pdf.c) and is wiped when the
 * packet is freed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/clinical.h"
#include "folio/coding.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/disclosure.h"
#include "folio/outfile.h"
#include "folio/patient.h"
#include "folio/pdf.h"
#include "folio/seal.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "roi_internal.h"

#define ROI_ITEMS_MAX 400
#define ROI_ROWS_MAX 500  /* clinical items per section in a packet */

/* The disclosure a release is recorded as, by its authority. */
static enum disclosure_kind kind_of(enum roi_authority a)
{
	switch (a) {
	case RA_AUTHORIZATION: return DK_AUTHORIZATION;
	case RA_PATIENT: return DK_PATIENT;
	case RA_SUBPOENA: return DK_SUBPOENA;
	case RA_COURT_ORDER: return DK_COURT_ORDER;
	case RA_PUBLIC_HEALTH: return DK_PUBLIC_HEALTH;
	case RA_TREATMENT: return DK_TREATMENT;
	default: return DK_REQUIRED_BY_LAW;
	}
}

/* Everything one release works on; guarded memory. */
struct build {
	struct grant *g;
	struct roi_request r;
	struct patient *pt;
	struct pdf *pdf;
	struct roi_item items[ROI_ITEMS_MAX];
	struct document_info docs[ROI_ITEMS_MAX];  /* for document items */
	int page[ROI_ITEMS_MAX];                   /* where each item starts */
	int addenda[ROI_ITEMS_MAX];                /* signed addenda travelling with a document */
	int n, ndocs, nsections;
	int part2;                                 /* a substance-use record goes out */
	char line[1024];
};

static int take_item(const struct roi_item *it, void *ctx)
{
	struct build *b = ctx;

	if (b->n >= ROI_ITEMS_MAX)
		return 1;
	b->items[b->n++] = *it;
	return 0;
}

/* ---- the pieces ------------------------------------------------------------- */

static int text(struct build *b, const char *s, struct folio_err *e)
{
	return pdf_text(b->pdf, s, strlen(s), e);
}

static int field(struct build *b, const char *label, const char *value, struct folio_err *e)
{
	return value && value[0] ? pdf_field(b->pdf, label, value, e) : FOLIO_OK;
}

static const char *patient_name(struct build *b)
{
	const struct patient *p = b->pt;

	snprintf(b->line, sizeof b->line, "%s%s%s %s", p->v[PF_FIRST], p->v[PF_MIDDLE][0] ? " " : "",
		 p->v[PF_MIDDLE], p->v[PF_LAST]);
	return b->line;
}

/* The title of item i as the cover letter and the manifest list it. */
static void item_title(struct build *b, int i, char *out, size_t cap)
{
	const struct roi_item *it = &b->items[i];

	if (it->is_document) {
		char day[11];
		roi_document_day(b->g, &b->docs[i], day);
		if (b->addenda[i])
			snprintf(out, cap, "%s, %s (document %" PRId64 ", with %d addend%s)",
				 doc_type_title(b->docs[i].type), day, it->document_id, b->addenda[i],
				 b->addenda[i] == 1 ? "um" : "a");
		else
			snprintf(out, cap, "%s, %s (document %" PRId64 ")", doc_type_title(b->docs[i].type), day,
				 it->document_id);
	} else {
		snprintf(out, cap, "%s", roi_section_title(it->section));
	}
}

static int cover(struct build *b, struct folio_err *e)
{
	const struct roi_request *r = &b->r;
	char today[11], title[160];
	int rc;

	date_format_days(date_today(), today);
	if ((rc = pdf_section(b->pdf, "Release of information", e)) || (rc = field(b, "Date", today, e)) ||
	    (rc = field(b, "To", r->requester, e)) || (rc = field(b, "Organisation", r->organisation, e)) ||
	    (rc = field(b, "Address", r->address, e)) || (rc = text(b, "", e)) ||
	    (rc = field(b, "Patient", patient_name(b), e)) || (rc = field(b, "Date of birth", b->pt->v[PF_DOB], e)) ||
	    (rc = field(b, "Medical record number", r->mrn, e)))
		return rc;
	snprintf(b->line, sizeof b->line, "%" PRId64 ", received %s", r->id, r->received);
	if ((rc = field(b, "Request", b->line, e)) || (rc = field(b, "Authority", roi_authority_help(r->authority), e)) ||
	    (rc = field(b, "Purpose", r->purpose, e)))
		return rc;
	if (r->asks_from[0]) {
		snprintf(b->line, sizeof b->line, "%s to %s", r->asks_from, r->asks_to);
		if ((rc = field(b, "Dates of service", b->line, e)))
			return rc;
	}
	if ((rc = text(b, "", e)) ||
	    (rc = text(b, "In answer to the request above we enclose the following records, and only these:", e)))
		return rc;
	for (int i = 0; i < b->n; i++) {
		item_title(b, i, title, sizeof title);
		snprintf(b->line, sizeof b->line, "  %d. %s", i + 1, title);
		if ((rc = text(b, b->line, e)))
			return rc;
	}
	if ((rc = text(b, "", e)) ||
	    (rc = text(b, "These records are confidential. They are released for the purpose stated above only;"
			  " further disclosure may be prohibited by federal and state law.", e)))
		return rc;
	/* 42 CFR 2.32: the notice that must accompany a Part 2 disclosure. */
	if (b->part2 && (rc = text(b, "This record which has been disclosed to you is protected by federal"
				      " confidentiality rules (42 CFR part 2). These rules prohibit you from further"
				      " disclosing it unless further disclosure is expressly permitted by the written"
				      " consent of the individual whose information is being disclosed or as"
				      " otherwise permitted by 42 CFR part 2.", e)))
		return rc;
	return text(b, "A manifest of the packet is on its last page.", e);
}

struct addenda {
	struct build *b;
	struct folio_err *e;
	int rc;
};

static int put_addendum(const struct document_info *d, void *ctx)
{
	struct addenda *a = ctx;
	struct build *b = a->b;
	struct document_info info;
	char *body = NULL;
	size_t len = 0;

	if (!roi_document_releasable(d))
		return 0;
	if ((a->rc = document_read(b->g, d->id, &info, &body, &len, a->e)))
		return 1;
	snprintf(b->line, sizeof b->line, "Addendum %" PRId64 ", signed by %s at %s", d->id, d->signed_by,
		 d->signed_at);
	if (!(a->rc = pdf_subheading(b->pdf, b->line, a->e)) && body)
		a->rc = pdf_text(b->pdf, body, len, a->e);
	smem_free(body);
	return a->rc != FOLIO_OK;
}

static int document_out(struct build *b, int i, struct folio_err *e)
{
	struct document_info info;
	struct addenda a = { b, e, FOLIO_OK };
	char *body = NULL, day[11];
	size_t len = 0;
	int rc;

	if ((rc = document_read(b->g, b->items[i].document_id, &info, &body, &len, e)))
		return rc;
	roi_document_day(b->g, &info, day);
	snprintf(b->line, sizeof b->line, "%s, %s", doc_type_title(info.type), day);
	if (!(rc = pdf_section(b->pdf, b->line, e))) {
		b->page[i] = pdf_pages(b->pdf);
		snprintf(b->line, sizeof b->line, "%" PRId64 " (version %d, %s)", info.id, info.version, info.status);
		if (!(rc = field(b, "Document", b->line, e)) && !(rc = field(b, "Author", info.author, e)) &&
		    !(rc = field(b, "Signed", info.signed_by[0] ? info.signed_at : "", e)) &&
		    !(rc = field(b, "Cosigned", info.cosigned_by[0] ? info.cosigned_at : "", e)) &&
		    !(rc = text(b, "", e)) && body)
			rc = pdf_text(b->pdf, body, len, e);
	}
	smem_free(body);
	if (!rc && (rc = document_addenda(b->g, info.id, put_addendum, &a, e)) == FOLIO_OK)
		rc = a.rc;
	return rc;
}

/* ---- the chart sections ------------------------------------------------------- */

static int demographics_out(struct build *b, struct folio_err *e)
{
	int rc = FOLIO_OK;

	for (int f = 0; f < PF_COUNT && !rc; f++) {
		const char *v = b->pt->v[f];
		/* Minimum necessary: the SSN goes out as its last four digits. */
		if (f == PF_SSN && strlen(v) > 4) {
			snprintf(b->line, sizeof b->line, "***-**-%s", v + strlen(v) - 4);
			v = b->line;
		}
		rc = field(b, patient_field_label((enum patient_field)f), v, e);
	}
	return rc;
}

struct enc_walk {
	struct build *b;
	struct folio_err *e;
	int rc, diagnoses, shown;
	struct coding *c;
};

static void code_list(char *out, size_t cap, const struct coding *c)
{
	size_t n = 0;

	n += (size_t)snprintf(out + n, cap - n, "principal %s", c->pdx[0] ? c->pdx : "(none)");
	for (int i = 0; i < c->nsdx && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%s%s%c", i ? ", " : "; secondary ", c->sdx[i].code,
				      c->sdx[i].poa != ' ' ? " POA " : "", c->sdx[i].poa != ' ' ? c->sdx[i].poa : ' ');
	for (int i = 0; i < c->nproc && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%s %s", i ? ", " : "; procedures ", c->proc[i].code,
				      c->proc[i].date);
}

static int put_encounter(const struct encounter_info *x, void *ctx)
{
	struct enc_walk *w = ctx;
	struct build *b = w->b;
	struct coding_context cc;
	char day[11];

	str_copy(day, sizeof day, x->started);
	if (!roi_in_dates(&b->r, day))
		return 0;
	w->shown++;
	if (!w->diagnoses) {
		snprintf(b->line, sizeof b->line, "%.10s to %.10s  %s, %s  %s%s%s  attending %s", x->started,
			 x->ended[0] ? x->ended : "(open)", x->kind, x->state, x->service, x->clinic[0] ? " " : "",
			 x->clinic, x->attending[0] ? x->attending : "-");
		if (x->status[0]) {
			size_t n = strlen(b->line);
			snprintf(b->line + n, sizeof b->line - n, "  discharge status %s", x->status);
		}
		return (w->rc = text(b, b->line, w->e)) != FOLIO_OK;
	}
	if ((w->rc = coding_load(b->g, x->id, w->c, &cc, w->e)))
		return 1;
	if (!w->c->row_version) {
		w->shown--;
		return 0;
	}
	snprintf(b->line, sizeof b->line, "Encounter %" PRId64 ", %s, %.10s to %.10s", x->id, x->kind, x->started,
		 x->ended[0] ? x->ended : "(open)");
	if ((w->rc = pdf_subheading(b->pdf, b->line, w->e)))
		return 1;
	code_list(b->line, sizeof b->line, w->c);
	if ((w->rc = text(b, b->line, w->e)))
		return 1;
	if (w->c->group.grouped) {
		snprintf(b->line, sizeof b->line, "MS-DRG %03d %s (grouper %s)", w->c->group.r.final_drg,
			 coding_drg_title(b->g, w->c->group.r.final_drg), w->c->group.version);
		w->rc = text(b, b->line, w->e);
	}
	return w->rc != FOLIO_OK;
}

static int encounters_out(struct build *b, int diagnoses, struct folio_err *e)
{
	struct enc_walk w = { b, e, FOLIO_OK, diagnoses, 0, NULL };
	int rc;

	if (diagnoses && !(w.c = coding_new()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	rc = encounter_list(b->g, put_encounter, &w, e);
	coding_free(w.c);
	if (rc || (rc = w.rc))
		return rc;
	return w.shown ? FOLIO_OK : text(b, "None recorded for the dates asked for.", e);
}

/* The day an item speaks of: its own time field (vitals taken, result
 * collected) when it has one, else when it was recorded. */
static void item_day(const struct clinical_item *it, char day[11])
{
	const struct clinical_field *f;

	str_copy(day, 11, it->recorded_at);
	for (size_t i = 0; (f = clinical_field(it->kind, i)); i++)
		if ((f->flags & CF_WHEN) && it->v[i][0]) {
			str_copy(day, 11, it->v[i]);
			return;
		}
}

static int clinical_out(struct build *b, int kind, int dated, struct folio_err *e)
{
	struct clinical_item *rows = clinical_items_new(ROI_ROWS_MAX);
	size_t n = 0, total = 0;
	int rc, shown = 0;

	if (!rows)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = clinical_list(b->g, kind, rows, ROI_ROWS_MAX, &n, &total, e)))
		goto out;
	if (!dated && (rc = text(b, "As the list stands on the day of release.", e)))
		goto out;
	for (size_t i = 0; i < n && !rc; i++) {
		char day[11];
		size_t at;
		item_day(&rows[i], day);
		if (dated && !roi_in_dates(&b->r, day))
			continue;
		at = (size_t)snprintf(b->line, sizeof b->line, "%s  ", day);
		clinical_item_line(&rows[i], b->line + at, sizeof b->line - at);
		/* the record keeps an item entered in error; the packet must not
		 * pass it off as true */
		if (!strcmp(rows[i].status, "entered-in-error") && (at = strlen(b->line)) < sizeof b->line)
			snprintf(b->line + at, sizeof b->line - at, "  [entered in error]");
		rc = text(b, b->line, e);
		shown++;
	}
	if (!rc && total > n) {
		snprintf(b->line, sizeof b->line, "(the newest %zu of %zu entries)", n, total);
		rc = text(b, b->line, e);
	}
	if (!rc && !shown)
		rc = text(b, "None recorded.", e);
out:
	clinical_items_free(rows, ROI_ROWS_MAX);
	return rc;
}

static int section_out(struct build *b, int i, struct folio_err *e)
{
	enum roi_section s = b->items[i].section;
	int rc;

	if ((rc = pdf_section(b->pdf, roi_section_title(s), e)))
		return rc;
	b->page[i] = pdf_pages(b->pdf);
	switch (s) {
	case RSEC_DEMOGRAPHICS: return demographics_out(b, e);
	case RSEC_ENCOUNTERS: return encounters_out(b, 0, e);
	case RSEC_DIAGNOSES: return encounters_out(b, 1, e);
	case RSEC_PROBLEMS: return clinical_out(b, CLIN_PROBLEM, 0, e);
	case RSEC_MEDICATIONS: return clinical_out(b, CLIN_MED, 0, e);
	case RSEC_ALLERGIES: return clinical_out(b, CLIN_ALLERGY, 0, e);
	case RSEC_VITALS: return clinical_out(b, CLIN_VITALS, 1, e);
	/* a procedure is dated by when it was done, like a result */
	case RSEC_PROCEDURES: return clinical_out(b, CLIN_PROCEDURE, 1, e);
	default: return clinical_out(b, CLIN_RESULT, 1, e);
	}
}

static int manifest(struct build *b, struct folio_err *e)
{
	char title[160], now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = pdf_section(b->pdf, "Manifest", e)))
		return rc;
	snprintf(b->line, sizeof b->line, "%" PRId64, b->r.id);
	if ((rc = field(b, "Request", b->line, e)) || (rc = field(b, "Medical record number", b->r.mrn, e)) ||
	    (rc = field(b, "Released", now, e)) ||
	    (rc = field(b, "Released by", session_user(grant_session(b->g)), e)) || (rc = text(b, "", e)))
		return rc;
	for (int i = 0; i < b->n && !rc; i++) {
		item_title(b, i, title, sizeof title);
		snprintf(b->line, sizeof b->line, "%d. %s: page %d", i + 1, title, b->page[i]);
		rc = text(b, b->line, e);
	}
	if (rc)
		return rc;
	snprintf(b->line, sizeof b->line, "%d document%s and %d section%s; nothing else from the record is enclosed.",
		 b->ndocs, b->ndocs == 1 ? "" : "s", b->nsections, b->nsections == 1 ? "" : "s");
	return text(b, b->line, e);
}

/* ---- partial or whole --------------------------------------------------------- */

struct scope {
	struct build *b;
	int left_out;
};

/* A document in what was asked for that is not in the packet. */
static int count_left_out(const struct document_info *d, void *ctx)
{
	struct scope *s = ctx;
	struct build *b = s->b;
	char day[11];

	if (d->parent_id || !roi_document_releasable(d) || !roi_asks_type(&b->r, d->type))
		return 0;
	roi_document_day(b->g, d, day);
	if (!roi_in_dates(&b->r, day))
		return 0;
	for (int i = 0; i < b->n; i++)
		if (b->items[i].is_document && b->items[i].document_id == d->id)
			return 0;
	s->left_out++;
	return 0;
}

/* Sections named in what was asked for ("all" asks for the record as a
 * whole: its documents decide) and not sent. */
static int sections_left_out(const struct build *b)
{
	int n = 0;

	for (int sec = 0; sec < RSEC_COUNT; sec++) {
		int taken = 0;
		if (!roi_list_has(b->r.asks, roi_section_name((enum roi_section)sec)))
			continue;
		for (int i = 0; i < b->n; i++)
			taken |= !b->items[i].is_document && b->items[i].section == (enum roi_section)sec;
		n += !taken;
	}
	return n;
}

static int left_out(struct build *b, int *count, struct folio_err *e)
{
	struct scope s = { b, 0 };
	int rc = document_list(b->g, 0, count_left_out, &s, e);

	*count = s.left_out + sections_left_out(b);
	return rc;
}

/* ---- the release ------------------------------------------------------------ */

static int first_problem(const char *problem, void *ctx)
{
	char *out = ctx;

	if (!out[0])
		str_copy(out, ROI_PROBLEM_MAX, problem);
	return 0;
}

/* The ledger's description: what went out, by title (no chart text). */
static void describe(struct build *b, char *out, size_t cap)
{
	char title[160];
	size_t n = 0;

	n += (size_t)snprintf(out, cap, "Release %" PRId64 " (%d page%s): ", b->r.id, pdf_pages(b->pdf),
			      pdf_pages(b->pdf) == 1 ? "" : "s");
	for (int i = 0; i < b->n && n + 1 < cap; i++) {
		item_title(b, i, title, sizeof title);
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "; " : "", title);
	}
	if (n >= cap && cap > 4)
		memcpy(out + cap - 4, "...", 4);
}

static int record(struct build *b, struct roi_release *rel, struct folio_err *e)
{
	struct disclosure *d = smem_alloc(sizeof *d);
	struct stmt *s;
	char detail[80];
	int rc;

	if (!d)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	d->kind = kind_of(b->r.authority);
	/* roi_new keeps requester and organisation short enough to fit. */
	if (snprintf(d->recipient, sizeof d->recipient, "%s%s%s", b->r.requester, b->r.organisation[0] ? ", " : "",
		     b->r.organisation) >= (int)sizeof d->recipient) {
		smem_free(d);
		return err_set(e, FOLIO_EUSAGE, "the requester's name and organisation are too long for the ledger");
	}
	str_copy(d->address, sizeof d->address, b->r.address);
	describe(b, d->description, sizeof d->description);
	str_copy(d->purpose, sizeof d->purpose, b->r.purpose);
	d->source = DS_ROI;
	d->source_id = b->r.id;
	rc = disclosure_record(b->g, d, &rel->disclosure_id, e);
	smem_free(d);
	if (rc)
		return rc;
	if ((rc = stmt_prepare(grant_store(b->g), "UPDATE roi_requests SET released_on = date('now'), packet_pages = ?,"
						  " packet_hash = ?, disclosure_id = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, rel->pages);
	stmt_bind_text(s, 2, rel->hash);
	stmt_bind_int64(s, 3, rel->disclosure_id);
	stmt_bind_int64(s, 4, b->r.id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	snprintf(detail, sizeof detail, "%d documents, %d sections, %d pages, ledger %" PRId64, rel->documents,
		 rel->sections, rel->pages, rel->disclosure_id);
	return roi_step(b->g, b->r.id, rel->partial ? RS_PARTIAL : RS_RELEASED, "released", detail, e);
}

static int count_addendum(const struct document_info *d, void *ctx)
{
	*(int *)ctx += roi_document_releasable(d);
	return 0;
}

static int build(struct build *b, struct roi_release *rel, struct folio_err *e)
{
	char title[64];
	int rc;

	for (int i = 0; i < b->n; i++) {
		struct doc_row d;
		if (!b->items[i].is_document) {
			b->nsections++;
			continue;
		}
		if ((rc = doc_load(b->g, b->items[i].document_id, 0, &d, e)))
			return rc;
		b->docs[i] = d.info;
		if ((rc = document_addenda(b->g, d.info.id, count_addendum, &b->addenda[i], e)))
			return rc;
		b->part2 |= d.info.type == DOC_SUBSTANCE;
		b->ndocs++;
	}
	snprintf(title, sizeof title, "Release of information, request %" PRId64, b->r.id);
	if (!(b->pdf = pdf_new(title, "CONFIDENTIAL", e)))
		return e->code;
	if ((rc = cover(b, e)))
		return rc;
	for (int i = 0; i < b->n; i++)
		if ((rc = b->items[i].is_document ? document_out(b, i, e) : section_out(b, i, e)))
			return rc;
	if ((rc = manifest(b, e)) || (rc = pdf_finish(b->pdf, &rel->packet, &rel->len, e)))
		return rc;
	rel->pages = pdf_pages(b->pdf);
	rel->documents = b->ndocs;
	rel->sections = b->nsections;
	{
		uint8_t h[HASH_BYTES];
		crypto_digest(rel->packet, rel->len, h);
		crypto_hex(h, 32, rel->hash);
	}
	return FOLIO_OK;
}

int roi_release(struct grant *g, int64_t id, struct roi_release *rel, struct folio_err *e)
{
	struct build *b;
	char first[ROI_PROBLEM_MAX] = "";
	int rc, problems = 0, missing = 0;

	memset(rel, 0, sizeof *rel);
	if ((rc = roi_need(g, e)))
		return rc;
	if ((rc = roi_validate(g, id, first_problem, first, &problems, e)))
		return rc;
	if (problems)
		return err_set(e, FOLIO_EFAIL, "request %" PRId64 " cannot be released: %s%s", id, first,
			       problems > 1 ? " (and more: folio roi validate)" : "");
	if (!(b = smem_alloc(sizeof *b)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	b->g = g;
	if ((rc = roi_row_load(g, id, &b->r, e)) || (rc = roi_items(g, id, take_item, b, e)))
		goto out;
	if (!(b->pt = patient_new())) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
		goto out;
	}
	if ((rc = patient_load(g, b->pt, e)) || (rc = build(b, rel, e)) || (rc = left_out(b, &missing, e)))
		goto out;
	rel->partial = missing > 0;
	rc = record(b, rel, e);
out:
	if (rc)
		roi_release_free(rel);
	pdf_free(b->pdf);
	patient_free(b->pt);
	smem_free(b);
	return rc;
}

void roi_release_free(struct roi_release *rel)
{
	if (!rel)
		return;
	smem_free(rel->packet);
	rel->packet = NULL;
	rel->len = 0;
}

int roi_release_stage(struct grant *g, int64_t id, const char *path, const char *password,
		      struct roi_release *rel, char **staged, struct folio_err *e)
{
	unsigned char *sealed = NULL;
	size_t n = 0;
	int rc;

	*staged = NULL;
	if (!path || !path[0])
		return err_set(e, FOLIO_EUSAGE, "name the file the packet goes to");
	if ((rc = roi_release(g, id, rel, e)))
		return rc;
	if (password && password[0]) {
		if (!(rc = seal_with_password(password, strlen(password), rel->packet, rel->len, &sealed, &n, e)))
			rc = outfile_stage(path, sealed, n, staged, e);
		free(sealed);
	} else {
		rc = outfile_stage(path, rel->packet, rel->len, staged, e);
	}
	roi_release_free(rel);
	return rc;
}
