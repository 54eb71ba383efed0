/* folio — HL7 ORU^R01 results on the chart (include/folio/import_hl7.h).
 *
 * Each OBX under its OBR becomes one result; the text lines of consecutive
 * TX, FT or ST OBX segments naming the same observation (OBX-3) are one
 * result.  A result value is one short line (40 characters): a text report
 * longer than that, or of several lines, is filed whole as a document on
 * the encounter, authored by the physician the message names (OBR-32,
 * OBR-16, PV1-7, else --attending) and unverified until that physician
 * signs it; its result says "report: document N". */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/smem.h"
#include "import_hl7_internal.h"

#define REPORT_MAX (64 * 1024)

static int is_text(const char *type)
{
	return !strcmp(type, "TX") || !strcmp(type, "FT") || !strcmp(type, "ST");
}

/* 1 when OBX a and b name the same observation. */
static int same_obs(struct h7 *h, long a, long b)
{
	char x[128], y[128];

	for (int c = 1; c <= 3; c++) {
		h7_get(h, a, 3, 0, c, 1, x, sizeof x);
		h7_get(h, b, 3, 0, c, 1, y, sizeof y);
		if (strcmp(x, y) != 0)
			return 0;
	}
	return 1;
}

/* The value of one OBX (its repetitions as lines) appended to out. */
static void obx_value(struct h7 *h, long seg, const char *type, char *out, size_t cap)
{
	int reps = hl7_reps(h->m, (size_t)seg, 5);
	char *v = h->v[4];

	for (int r = 0; r < (reps ? reps : 1); r++) {
		size_t l = strlen(out);
		v[0] = '\0';
		if (!strcmp(type, "CE") || !strcmp(type, "CWE") || !strcmp(type, "CNE")) {
			if (h7_get(h, seg, 5, r, 2, 1, v, sizeof h->v[4]) <= 0)
				h7_get(h, seg, 5, r, 1, 1, v, sizeof h->v[4]);
		} else if (!strcmp(type, "SN")) {
			char cmp[8], n1[32], sep[8], n2[32];
			h7_get(h, seg, 5, r, 1, 1, cmp, sizeof cmp);
			h7_get(h, seg, 5, r, 2, 1, n1, sizeof n1);
			h7_get(h, seg, 5, r, 3, 1, sep, sizeof sep);
			h7_get(h, seg, 5, r, 4, 1, n2, sizeof n2);
			snprintf(v, sizeof h->v[4], "%s%s%s%s", cmp, n1, sep, n2);
		} else {
			h7_get(h, seg, 5, r, 1, 1, v, sizeof h->v[4]);
		}
		if (l < cap)
			snprintf(out + l, cap - l, "%s%s", l || r ? "\n" : "", v);
	}
	smem_wipe(v, sizeof h->v[4]);
}

/* Trims blank lines and trailing spaces around text. */
static void trim_lines(char *t)
{
	size_t n = strlen(t), s = 0;

	while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
		t[--n] = '\0';
	while (s < n && (t[s] == '\n' || t[s] == ' ' || t[s] == '\t'))
		s++;
	memmove(t, t + s, n - s + 1);
}

static int set(struct clinical_item *it, size_t f, const char *v, int n, struct folio_err *e)
{
	struct folio_err e2 = { 0 };

	if (v && v[0] && clinical_set(it, f, v, &e2))
		return err_set(e, FOLIO_EUSAGE, "OBX %d: %s", n, e2.msg);
	return FOLIO_OK;
}

/* A result time: UTC "YYYY-MM-DDTHH:MM" from the first TS of (seg, field). */
static int result_time(struct h7 *h, const long *segs, const int *fields, size_t k, char out[24], const char *what,
		       struct folio_err *e)
{
	int rc = h7_time_first(h, segs, fields, k, out, what, e);

	if (rc == FOLIO_OK && out[0])
		out[16] = '\0';
	return rc;
}

/* Files a long text report as a document; out gets "report: document N". */
static int report_file(struct h7 *h, long obr, const char *name, const char *text, int64_t enc, char *out,
		       size_t cap, struct folio_err *e)
{
	struct document_new d = { .type = DOC_OTHER, .encounter_id = enc };
	char author[40];
	char *body;
	size_t len;
	int64_t id = 0;
	int rc;

	h7_physician(h, obr, 32, author);
	if (!author[0] || (h->op && h->op->attending && !strcmp(author, h->op->attending)))
		h7_physician(h, obr, 16, author);
	if (!author[0] || (h->op && h->op->attending && !strcmp(author, h->op->attending)))
		h7_physician(h, h->pv1, 7, author);
	if (!author[0])
		return err_set(e, FOLIO_EUSAGE, "a text report needs a folio physician as its author (OBR-32,"
						 " OBR-16, PV1-7 or --attending)");
	if (!(body = smem_alloc(REPORT_MAX)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	snprintf(body, REPORT_MAX, "%s\n\n%s\n", name, text);
	len = strlen(body);
	d.author = author;
	rc = document_create(h->g, &d, body, len, &id, e);
	smem_free(body);
	if (rc == FOLIO_OK)
		snprintf(out, cap, "report: document %" PRId64, id);
	return rc;
}

/* One result from OBX first..last (the same observation) under obr. */
static int result_one(struct h7 *h, long obr, long first, long last, int n, int64_t enc, struct clinical_item *it,
		      char *text, struct folio_err *e)
{
	char type[8] = "", sys[16] = "", flag[8] = "", when[24], doc[40];
	char *name = h->v[1], *code = h->v[2], *units = h->v[3];
	long segs[2] = { obr, first };   /* OBR-7 is the specimen's time, OBX-14 the analysis' */
	int fields[2] = { 7, 14 };
	long rsegs[2] = { obr, 0 };
	int rfields[2] = { 22, 7 };
	int rc;

	h7_get(h, first, 2, 0, 1, 1, type, sizeof type);
	text[0] = '\0';
	for (long s = first; s <= last; s++)
		if (!strcmp(h->m->seg[s].id, "OBX"))
			obx_value(h, s, type, text, REPORT_MAX / 2);
	trim_lines(text);
	if (!text[0])
		return FOLIO_OK; /* nothing observed: no result */
	clinical_item_init(it, CLIN_RESULT);
	it->encounter_id = enc;
	code[0] = '\0';
	if (h7_get(h, first, 3, 0, 3, 1, sys, sizeof sys) > 0 && !strcasecmp(sys, "LN"))
		h7_get(h, first, 3, 0, 1, 1, code, 64);
	else if (h7_get(h, first, 3, 0, 6, 1, sys, sizeof sys) > 0 && !strcasecmp(sys, "LN"))
		h7_get(h, first, 3, 0, 4, 1, code, 64);
	if (h7_get(h, first, 3, 0, 2, 1, name, 256) <= 0 && h7_get(h, obr, 4, 0, 2, 1, name, 256) <= 0 &&
	    h7_get(h, first, 3, 0, 1, 1, name, 256) <= 0 && h7_get(h, obr, 4, 0, 1, 1, name, 256) <= 0)
		return err_set(e, FOLIO_EUSAGE, "OBX %d: the observation has no name (OBX-3, OBR-4)", n);
	if ((rc = set(it, RF_TEST, name, n, e)) || (rc = set(it, RF_LOINC, code, n, e)))
		return rc;
	if (strchr(text, '\n') || strlen(text) > clinical_field(CLIN_RESULT, RF_VALUE)->max) {
		if (!is_text(type))
			return err_set(e, FOLIO_EUSAGE, "OBX %d: a %s value longer than a result holds", n, type);
		if ((rc = report_file(h, obr, name, text, enc, doc, sizeof doc, e)))
			return rc;
		rc = set(it, RF_VALUE, doc, n, e);
	} else {
		rc = set(it, RF_VALUE, text, n, e);
	}
	if (rc)
		return rc;
	if (h7_get(h, first, 6, 0, 1, 1, units, 64) <= 0)
		h7_get(h, first, 6, 0, 2, 1, units, 64);
	h7_get(h, first, 8, 0, 1, 1, flag, sizeof flag);
	if (!strcmp(flag, "AA"))
		str_copy(flag, sizeof flag, "A");
	{
		char pipes[12];
		snprintf(pipes, sizeof pipes, "|%s|", flag);
		if (!flag[0] || strchr(flag, '|') || !strstr("|H|L|HH|LL|A|N|", pipes))
			flag[0] = '\0'; /* a flag folio has no word for: the range still shows it */
	}
	if ((rc = set(it, RF_UNITS, units, n, e)) || (rc = set(it, RF_FLAG, flag, n, e)))
		return rc;
	/* a range folio cannot read as numbers ("NEGATIVE", "Clear") is left
	 * out, and the acknowledgement says so: the flag still tells */
	if (h7_get(h, first, 7, 0, 1, 1, h->v[5], 64) > 0 && set(it, RF_RANGE, h->v[5], n, e) != FOLIO_OK) {
		char note[64];
		snprintf(note, sizeof note, "OBX %d: reference range not numeric, left out", n);
		h7_note(h, note);
	}
	if ((rc = result_time(h, segs, fields, 2, when, "OBX-14 observation time", e)) ||
	    (rc = set(it, RF_COLLECTED, when, n, e)) ||
	    (rc = result_time(h, rsegs, rfields, 2, when, "OBR-22 report time", e)) ||
	    (rc = set(it, RF_REPORTED, when, n, e)))
		return rc;
	if ((rc = clinical_add(h->g, it, e))) {
		char why[FOLIO_ERR_MAX];
		str_copy(why, sizeof why, e->msg);
		return err_set(e, rc, "OBX %d: %s", n, why);
	}
	return FOLIO_OK;
}

int h7_oru(struct h7 *h, struct folio_err *e)
{
	struct clinical_item *it = clinical_items_new(1);
	char *text = smem_alloc(REPORT_MAX);
	int64_t enc = 0;
	int rc, n = 0, saved = 0;

	if (!it || !text) {
		clinical_items_free(it, 1);
		smem_free(text);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	rc = h7_encounter(h, "admitted|pre-admitted|checked-in|in-progress", &enc, e);
	for (long obr = hl7_find(h->m, "OBR", 1); obr >= 0 && rc == FOLIO_OK;) {
		long next = hl7_find(h->m, "OBR", (size_t)obr + 1), end = next >= 0 ? next : (long)h->m->nseg;
		for (long s = obr + 1; s < end && rc == FOLIO_OK; s++) {
			char type[8] = "";
			long last = s;
			if (strcmp(h->m->seg[s].id, "OBX") != 0)
				continue;
			h7_get(h, s, 2, 0, 1, 1, type, sizeof type);
			while (is_text(type) && last + 1 < end && !strcmp(h->m->seg[last + 1].id, "OBX") &&
			       same_obs(h, s, last + 1)) {
				char t2[8] = "";
				h7_get(h, last + 1, 2, 0, 1, 1, t2, sizeof t2);
				if (!is_text(t2))
					break;
				last++;
			}
			n++;
			if ((rc = result_one(h, obr, s, last, n, enc, it, text, e)) == FOLIO_OK && it->id)
				saved++;
			it->id = 0;
			s = last;
		}
		obr = next;
	}
	if (rc == FOLIO_OK && !saved)
		rc = err_set(e, FOLIO_EUSAGE, "no result to file: the ORU^R01 has no OBX with a value under an OBR");
	if (rc == FOLIO_OK) {
		char note[64];
		char had[HL7_TEXT_MAX];
		snprintf(note, sizeof note, "%d result%s filed", saved, saved == 1 ? "" : "s");
		/* the count first: the notes may be cut at the end */
		str_copy(had, sizeof had, h->note);
		h->note[0] = '\0';
		h7_note(h, note);
		if (had[0])
			h7_note(h, had);
	}
	clinical_items_free(it, 1);
	smem_free(text);
	return rc;
}
