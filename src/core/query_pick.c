/* folio — what a coder may quote as a query's clinical indicators: the
 * results and vitals of the encounter, the patient's active problems, and
 * the lines of the encounter's documents, each made one line a query
 * accepts (no control characters, at most QUERY_LINE_MAX bytes).
 *
 * The lines are PHI: each is built in one guarded buffer, handed to the
 * caller and wiped with it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/clinical.h"
#include "folio/smem.h"
#include "query_internal.h"

#define PICK_ITEMS 200
#define PICK_DOC_LINES 400
/* The scratch a line is built in before tidy() makes it one: longer than
 * a line, so a cut is seen whole. */
#define PICK_TMP (2 * QUERY_LINE_MAX + 2)

struct pick {
	struct grant *g;
	int (*fn)(const char *line, const char *source, void *);
	void *ctx;
	char *line;                 /* guarded: QUERY_LINE_MAX + 1, then PICK_TMP of scratch */
	char from[17], to[17];      /* the encounter's span, "YYYY-MM-DDTHH:MM" */
	int64_t enc;
	int stop;
};

/* Makes p->line one line a query takes, from n bytes of s: tabs become
 * spaces, other control characters end it, blanks are trimmed and a long
 * line is cut at a character boundary.  0 when nothing is left. */
static size_t tidy(struct pick *p, const char *s, size_t n)
{
	size_t o = 0, i = 0, start = 0;

	for (; i < n && o < QUERY_LINE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			break;
		p->line[o++] = (char)c;
	}
	if (i < n && o == QUERY_LINE_MAX && ((unsigned char)s[i] & 0xc0) == 0x80) {
		/* cut inside a character: drop its first bytes too */
		while (o && ((unsigned char)p->line[o - 1] & 0xc0) == 0x80)
			o--;
		if (o)
			o--;
	}
	while (o && p->line[o - 1] == ' ')
		o--;
	p->line[o] = '\0';
	while (p->line[start] == ' ')
		start++;
	if (start)
		memmove(p->line, p->line + start, o - start + 1);
	return o - start;
}

static void give(struct pick *p, const char *source)
{
	if (!p->stop && p->line[0] && utf8_length(p->line, strlen(p->line)) >= 0)
		p->stop = p->fn(p->line, source, p->ctx) != 0;
}

/* An item of this encounter: filed with it, or without an encounter but
 * taken during it. */
static int in_encounter(const struct pick *p, const struct clinical_item *it, const char *when)
{
	if (it->encounter_id)
		return it->encounter_id == p->enc;
	return when[0] && strncmp(when, p->from, 16) >= 0 && strncmp(when, p->to, 16) <= 0;
}

static int items(struct pick *p, int kind, struct clinical_item *rows, struct folio_err *e)
{
	char *tmp = p->line + QUERY_LINE_MAX + 1;
	size_t n = 0;
	int rc;

	if ((rc = clinical_list(p->g, kind, rows, PICK_ITEMS, &n, NULL, e)))
		return rc;
	for (size_t i = 0; i < n && !p->stop; i++) {
		const struct clinical_item *it = &rows[i];
		char day[11] = "";
		switch (kind) {
		case CLIN_RESULT:
			if (strcmp(it->status, "entered-in-error") == 0 || !in_encounter(p, it, it->v[RF_COLLECTED]))
				continue;
			snprintf(day, sizeof day, "%.10s", it->v[RF_COLLECTED]);
			snprintf(tmp, PICK_TMP, "%s %s: %s %s%s%s%s", day, it->v[RF_TEST], it->v[RF_VALUE],
				 it->v[RF_UNITS], it->v[RF_FLAG][0] ? " (" : "", it->v[RF_FLAG],
				 it->v[RF_FLAG][0] ? ")" : "");
			if (it->v[RF_RANGE][0]) {
				size_t l = strlen(tmp);
				snprintf(tmp + l, PICK_TMP - l, ", reference %s", it->v[RF_RANGE]);
			}
			break;
		case CLIN_VITALS: {
			char v[256];
			if (strcmp(it->status, "entered-in-error") == 0 || !in_encounter(p, it, it->v[VF_TAKEN]))
				continue;
			clinical_item_line(it, v, sizeof v);
			snprintf(tmp, PICK_TMP, "%.10s vitals: %s", it->v[VF_TAKEN], v);
			smem_wipe(v, sizeof v);
			break;
		}
		default: /* problems: the active ones, whenever they began */
			if (strcmp(it->status, "active") != 0)
				continue;
			snprintf(tmp, PICK_TMP, "Problem: %s%s%s%s", it->v[PRF_TEXT],
				 it->v[PRF_ICD][0] ? " (" : "", it->v[PRF_ICD], it->v[PRF_ICD][0] ? ")" : "");
			break;
		}
		tidy(p, tmp, strlen(tmp));
		give(p, kind == CLIN_RESULT ? "result" : kind == CLIN_VITALS ? "vitals" : "problem");
	}
	smem_wipe(tmp, PICK_TMP);
	return FOLIO_OK;
}

/* Each line of one document's text, after the document's title and
 * number (what a physician needs to find it). */
static int doc_lines(struct pick *p, int64_t id, const char *title, size_t *budget, struct folio_err *e)
{
	char source[40], *text = NULL, *tmp = p->line + QUERY_LINE_MAX + 1;
	size_t len = 0;
	int rc;

	if ((rc = doc_open_from(p->g, "documents", "body", id, &text, &len, e)))
		return rc == FOLIO_EDENIED ? FOLIO_OK : rc;
	snprintf(source, sizeof source, "document %" PRId64, id);
	for (size_t i = 0; text && i < len && *budget && !p->stop;) {
		size_t n = 0, skip = i;
		while (i + n < len && text[i + n] != '\n')
			n++;
		while (skip < i + n && (text[skip] == ' ' || text[skip] == '\t'))
			skip++;
		if (skip < i + n) {
			int w = snprintf(tmp, PICK_TMP, "%s %" PRId64 ": %.*s", title, id, (int)(i + n - skip),
					 text + skip);
			tidy(p, tmp, w < 0 ? 0 : (size_t)w < PICK_TMP - 1 ? (size_t)w : PICK_TMP - 1);
			give(p, source);
			(*budget)--;
		}
		i += n + 1;
	}
	smem_wipe(tmp, PICK_TMP);
	smem_free(text);
	return FOLIO_OK;
}

static int documents(struct pick *p, struct folio_err *e)
{
	const unsigned held = keyring_classes(grant_keys(p->g));
	size_t budget = PICK_DOC_LINES;
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(p->g), "SELECT d.id, d.type FROM documents d JOIN patients pt ON"
				   " pt.id = d.patient_id WHERE pt.mrn = ? AND d.encounter_id = ?"
				   " AND d.status NOT IN ('retracted', 'amended') AND d.body IS NOT NULL"
				   " ORDER BY coalesce(d.parent_id, d.id), d.id", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(p->g));
	stmt_bind_int64(s, 2, p->enc);
	while (!p->stop && budget && (rc = stmt_step(s, e)) == STMT_ROW) {
		int t = doc_type_parse(stmt_text(s, 1));
		int64_t id = stmt_int64(s, 0);
		if (t < 0 || !(held & KC_BIT(doc_key_class((enum doc_type)t))))
			continue;
		if ((rc = doc_lines(p, id, doc_type_title((enum doc_type)t), &budget, e)))
			break;
		rc = STMT_ROW;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int query_indicator_lines(struct grant *g, int64_t enc, int (*fn)(const char *line, const char *source, void *),
			  void *ctx, struct folio_err *e)
{
	static const enum action ok[] = { ACT_CHART_VIEW };
	static const int kinds[] = { CLIN_RESULT, CLIN_VITALS, CLIN_PROBLEM };
	struct pick p = { g, fn, ctx, NULL, "", "", enc, 0 };
	struct encounter_info x;
	struct clinical_item *rows = NULL;
	int rc;

	if ((rc = query_need(g, ok, 1, e)) || (rc = encounter_row_load(g, enc, &x, e)))
		return rc;
	snprintf(p.from, sizeof p.from, "%.16s", x.started);
	snprintf(p.to, sizeof p.to, "%.16s", x.ended[0] ? x.ended : "9999-12-31T23:59");
	if (!(p.line = smem_alloc(QUERY_LINE_MAX + 1 + PICK_TMP)) || !(rows = clinical_items_new(PICK_ITEMS))) {
		smem_free(p.line);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	for (size_t k = 0; k < ARRAY_SIZE(kinds) && rc == FOLIO_OK && !p.stop; k++)
		rc = items(&p, kinds[k], rows, e);
	clinical_items_free(rows, PICK_ITEMS);
	if (rc == FOLIO_OK && !p.stop)
		rc = documents(&p, e);
	smem_free(p.line);
	return rc;
}
