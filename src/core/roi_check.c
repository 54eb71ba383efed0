/* folio — whether a release request may go out (45 CFR 164.508, 164.524,
 * 42 CFR Part 2): the authority's signature and expiry, the scope asked
 * for, the restricted categories, and each selected item.
 *
 * Problems are sentences for the technician: they name document numbers,
 * types, dates and rules, never the chart's text or the requester. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "roi_internal.h"

/* word is one of the comma-separated words of list. */
int roi_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int roi_asks_type(const struct roi_request *r, enum doc_type t)
{
	if (roi_list_has(r->asks, doc_type_code(t)))
		return 1;
	if (doc_type_sensitive(t))
		return 0;
	return roi_list_has(r->asks, "all") || roi_list_has(r->asks, "documents");
}

int roi_asks_section(const struct roi_request *r, enum roi_section s)
{
	return roi_list_has(r->asks, "all") || roi_list_has(r->asks, roi_section_name(s));
}

int roi_names(const struct roi_request *r, const char *category)
{
	return roi_list_has(r->names, category);
}

int roi_in_dates(const struct roi_request *r, const char *day)
{
	if (!r->asks_from[0])
		return 1;
	return strcmp(day, r->asks_from) >= 0 && strcmp(day, r->asks_to) <= 0;
}

void roi_document_day(struct grant *g, const struct document_info *d, char day[11])
{
	struct encounter_info enc;
	struct folio_err e2 = { 0 };

	str_copy(day, 11, d->created);
	if (d->encounter_id && encounter_row_load(g, d->encounter_id, &enc, &e2) == FOLIO_OK && enc.started[0])
		str_copy(day, 11, enc.started);
}

int roi_document_releasable(const struct document_info *d)
{
	return strcmp(d->status, "completed") == 0 || strcmp(d->status, "uncosigned") == 0;
}

/* ---- the checks ------------------------------------------------------------ */

struct check {
	struct grant *g;
	const struct roi_request *r;
	int (*fn)(const char *, void *);
	void *ctx;
	int problems;
	int items;
	char today[11];
};

static void problem(struct check *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void problem(struct check *c, const char *fmt, ...)
{
	char text[ROI_PROBLEM_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	c->problems++;
	if (c->fn)
		c->fn(text, c->ctx);
}

/* What the authority's document is called in a problem. */
static const char *instrument(enum roi_authority a)
{
	switch (a) {
	case RA_PATIENT: return "the patient's request";
	case RA_SUBPOENA: return "the subpoena";
	case RA_COURT_ORDER: return "the court order";
	default: return "the authorization";
	}
}

/* Which authorities may name each restricted category: psychotherapy notes
 * only under the patient's authorization (164.508(a)(2); the right of access
 * leaves them out, 164.524(a)(1)(i)); Part 2 records under the patient's
 * consent, to the patient, or under a court order (42 CFR 2.64). */
static int may_name(enum roi_authority a, const char *category)
{
	if (strcmp(category, "psychotherapy") == 0)
		return a == RA_AUTHORIZATION;
	return a == RA_AUTHORIZATION || a == RA_PATIENT || a == RA_COURT_ORDER;
}

static const char *category_of(enum doc_type t)
{
	return t == DOC_PSYCHOTHERAPY ? "psychotherapy" : t == DOC_SUBSTANCE ? "substance" : NULL;
}

static const char *category_title(const char *category)
{
	return strcmp(category, "psychotherapy") == 0 ? "psychotherapy notes" : "substance-use treatment records";
}

static void check_authority(struct check *c)
{
	const struct roi_request *r = c->r;
	static const char *const categories[] = { "psychotherapy", "substance" };
	enum roi_authority a = r->authority;

	if ((a == RA_AUTHORIZATION || a == RA_PATIENT || a == RA_SUBPOENA || a == RA_COURT_ORDER) &&
	    !r->auth_signed[0])
		problem(c, "%s is not signed", instrument(a));
	if (a == RA_AUTHORIZATION && !r->auth_expires[0])
		problem(c, "the authorization gives no expiry date (45 CFR 164.508(c)(1)(v))");
	if (r->auth_expires[0] && strcmp(r->auth_expires, c->today) < 0)
		problem(c, "%s expired on %s", instrument(a), r->auth_expires);
	for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
		const char *cat = categories[i];
		int asked = roi_list_has(r->asks, cat);

		if (asked && !roi_names(r, cat))
			problem(c, "%s are asked for but %s does not name them", category_title(cat), instrument(a));
		else if ((asked || roi_names(r, cat)) && !may_name(a, cat))
			problem(c, "%s are not released under %s (%s)", category_title(cat), roi_authority_help(a),
				strcmp(cat, "psychotherapy") == 0 ? "45 CFR 164.508(a)(2)" : "42 CFR Part 2");
	}
}

static void check_document(struct check *c, int64_t id)
{
	struct folio_err e2 = { 0 };
	struct document_info info;
	struct doc_row d;
	const char *cat;
	char day[11];

	if (doc_load(c->g, id, 0, &d, &e2) != FOLIO_OK) {
		problem(c, "document %" PRId64 " is no longer in this chart", id);
		return;
	}
	info = d.info;
	if (strcmp(info.status, "retracted") == 0) {
		problem(c, "document %" PRId64 " was retracted", id);
		return;
	}
	if (!roi_document_releasable(&info))
		problem(c, "document %" PRId64 " (%s) is %s: only signed documents are released", id,
			doc_type_title(info.type), info.status);
	if (!info.readable)
		problem(c, "document %" PRId64 " (%s) is under a key you do not hold: a supervisor releases it", id,
			doc_type_title(info.type));
	if ((cat = category_of(info.type)) && (!roi_names(c->r, cat) || !may_name(c->r->authority, cat)))
		problem(c, "document %" PRId64 " is one of the %s: %s does not allow it", id, category_title(cat),
			instrument(c->r->authority));
	else if (!roi_asks_type(c->r, info.type))
		problem(c, "document %" PRId64 " (%s) was not asked for", id, doc_type_title(info.type));
	roi_document_day(c->g, &info, day);
	if (!roi_in_dates(c->r, day))
		problem(c, "document %" PRId64 " (%s, %s) is outside the dates of service asked for", id,
			doc_type_title(info.type), day);
}

static int check_item(const struct roi_item *it, void *ctx)
{
	struct check *c = ctx;

	c->items++;
	if (it->is_document)
		check_document(c, it->document_id);
	else if (!roi_asks_section(c->r, it->section))
		problem(c, "the %s section was not asked for", roi_section_name(it->section));
	return 0;
}

int roi_validate(struct grant *g, int64_t id, int (*fn)(const char *problem, void *), void *ctx, int *problems,
		 struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	struct check c = { g, r, fn, ctx, 0, 0, "" };
	char detail[40];
	int rc;

	*problems = 0;
	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = roi_need(g, e)) || (rc = roi_row_load(g, id, r, e)))
		goto out;
	if (roi_status_final(r->status)) {
		rc = err_set(e, FOLIO_EUSAGE, "request %" PRId64 " is %s already", id, roi_status_help(r->status));
		goto out;
	}
	date_format_days(date_today(), c.today);
	check_authority(&c);
	if ((rc = roi_items(g, id, check_item, &c, e)))
		goto out;
	if (!c.items)
		problem(&c, "nothing is selected: pick the documents and sections that go out");
	*problems = c.problems;
	snprintf(detail, sizeof detail, "%d problem%s, %d item%s", c.problems, c.problems == 1 ? "" : "s", c.items,
		 c.items == 1 ? "" : "s");
	rc = roi_step(g, id, c.problems ? RS_VALIDATING : RS_PENDING, c.problems ? "problems" : "validated", detail, e);
out:
	roi_request_free(r);
	return rc;
}

/* ---- candidates ---------------------------------------------------------------- */

#define CANDIDATE_SELECTED_MAX 400

struct cands {
	struct grant *g;
	const struct roi_request *r;
	int (*fn)(const struct roi_candidate *, void *);
	void *ctx;
	int64_t selected[CANDIDATE_SELECTED_MAX];
	int nselected;
	int stopped;
};

static int take_selected(const struct roi_item *it, void *ctx)
{
	struct cands *c = ctx;

	if (it->is_document && c->nselected < CANDIDATE_SELECTED_MAX)
		c->selected[c->nselected++] = it->document_id;
	return 0;
}

static int put_candidate(const struct document_info *d, void *ctx)
{
	struct cands *c = ctx;
	struct roi_candidate rc;

	if (d->parent_id)
		return 0;
	memset(&rc, 0, sizeof rc);
	rc.doc = *d;
	roi_document_day(c->g, d, rc.day);
	rc.asked = roi_asks_type(c->r, d->type) && roi_in_dates(c->r, rc.day);
	rc.releasable = roi_document_releasable(d) && d->readable;
	rc.restricted = doc_type_sensitive(d->type);
	for (int i = 0; i < c->nselected; i++)
		rc.selected |= c->selected[i] == d->id;
	return c->stopped = c->fn(&rc, c->ctx);
}

int roi_candidates(struct grant *g, int64_t id, int (*fn)(const struct roi_candidate *, void *), void *ctx,
		   struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	struct cands *c = smem_alloc(sizeof *c);
	int rc;

	if (!r || !c) {
		roi_request_free(r);
		smem_free(c);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	c->g = g;
	c->r = r;
	c->fn = fn;
	c->ctx = ctx;
	if (!(rc = roi_need(g, e)) && !(rc = roi_row_load(g, id, r, e)) && !(rc = roi_items(g, id, take_selected, c, e)))
		rc = document_list(g, 0, put_candidate, c, e);
	roi_request_free(r);
	smem_free(c);
	return rc;
}
