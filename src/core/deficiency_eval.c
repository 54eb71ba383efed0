/* folio — the completeness evaluator: what an encounter's chart should
 * hold by the rules, against what it holds, kept in step with the
 * deficiencies table.  Called by the chart's mutators in their own
 * transaction (deficiency_refresh) and by `check`.
 *
 * For each encounter: the rules that apply (the kind of encounter, the
 * stage reached: admission rules once admitted, discharge rules once
 * discharged or closed, short stays) each give what they want: a status
 * per subject (the encounter, or one document), the person responsible and
 * a line saying what is missing.  Then the rows follow: a new open one is
 * created, an open one moves along the chain (and is closed when met), an
 * open one no longer wanted is withdrawn; one closed by evaluation comes
 * back when its condition fails again (a signed summary retracted), one
 * closed by a person stays closed (only a supervisor reopens it).  A rule
 * the user's keys cannot judge leaves its rows alone.  Each change is an
 * event row with who (the user whose change caused it) and when. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "coding_internal.h"
#include "core_internal.h"
#include "folio/clinical.h"
#include "deficiency_internal.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/store.h"

/* What one rule wants for one subject. */
struct want {
	int rule;
	int64_t subject, document_id;
	const char *status;
	char responsible[DEF_NAME_MAX];
	char detail[80];
	char anchor[24];
};

struct enc {
	int64_t id, patient_id;
	char kind[16], state[16], started[24], ended[24], attending[DEF_NAME_MAX], status[4];
};

/* A document of the encounter that counts: not retracted, not superseded. */
struct edoc {
	int64_t id;
	char type[16], status[16], author[DEF_NAME_MAX], cosigner[DEF_NAME_MAX];
	int addendum;
};

struct eval {
	struct grant *g;
	struct folio_err *e;
	struct enc x;
	struct deficiency_rule rules[DEF_RULES_MAX];
	int nrules;
	int skip[DEF_RULES_MAX];     /* could not judge: rows left alone */
	struct want *w;
	size_t nw, cap;
	struct edoc *d;
	size_t nd;
	char coder[DEF_NAME_MAX];
	char coding[16];             /* encounter_coding.status, "" when never coded */
};

/* ---- document statuses on the chain ------------------------------------ */

/* The deficiency step a document's TIU status stands at. */
static const char *doc_step(const char *tiu)
{
	static const struct {
		const char *tiu, *step;
	} map[] = {
		{ "undictated", "incomplete" }, { "untranscribed", "dictated" }, { "unverified", "transcribed" },
		{ "unsigned", "transcribed" },  { "uncosigned", "signed" },      { "completed", "signed" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i].tiu, tiu) == 0)
			return map[i].step;
	return "incomplete";
}

static int step_rank(const char *s)
{
	static const char *const order[] = { "incomplete", "dictated", "transcribed", "signed" };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (strcmp(order[i], s) == 0)
			return (int)i;
	return 0;
}

static int doc_signed(const struct edoc *d)
{
	return strcmp(doc_step(d->status), "signed") == 0;
}

/* ---- loading ----------------------------------------------------------- */

static int enc_load(struct eval *v, int64_t id)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(v->g),
			       "SELECT x.id, x.patient_id, x.kind, x.state, x.started_at, coalesce(x.ended_at, ''),"
			       " coalesce(x.attending, ''), coalesce(x.discharge_status, ''),"
			       " coalesce(c.status, ''), coalesce(c.coded_by, '')"
			       " FROM encounters x LEFT JOIN encounter_coding c ON c.encounter_id = x.id"
			       " WHERE x.id = ? AND x.patient_id = (SELECT id FROM patients WHERE mrn = ?)",
			       &s, v->e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, grant_mrn(v->g));
	rc = stmt_step(s, v->e);
	if (rc == STMT_ROW) {
		memset(&v->x, 0, sizeof v->x);
		v->x.id = stmt_int64(s, 0);
		v->x.patient_id = stmt_int64(s, 1);
		chart_col_copy(s, 2, v->x.kind, sizeof v->x.kind);
		chart_col_copy(s, 3, v->x.state, sizeof v->x.state);
		chart_col_copy(s, 4, v->x.started, sizeof v->x.started);
		chart_col_copy(s, 5, v->x.ended, sizeof v->x.ended);
		chart_col_copy(s, 6, v->x.attending, sizeof v->x.attending);
		chart_col_copy(s, 7, v->x.status, sizeof v->x.status);
		chart_col_copy(s, 8, v->coding, sizeof v->coding);
		chart_col_copy(s, 9, v->coder, sizeof v->coder);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(v->e, FOLIO_ENOTFOUND, "no encounter %" PRId64 " on this chart", id);
	}
	stmt_finalize(s);
	return rc;
}

static int docs_load(struct eval *v)
{
	struct stmt *s;
	size_t cap = 0;
	int rc;

	v->nd = 0;
	if ((rc = stmt_prepare(grant_store(v->g),
			       "SELECT id, type, status, author, coalesce(cosigner, ''), parent_id IS NOT NULL"
			       " FROM documents WHERE encounter_id = ? AND status NOT IN ('retracted', 'amended')"
			       " ORDER BY id", &s, v->e)))
		return rc;
	stmt_bind_int64(s, 1, v->x.id);
	while ((rc = stmt_step(s, v->e)) == STMT_ROW) {
		struct edoc *d;
		if (v->nd == cap) {
			struct edoc *n = realloc(v->d, (cap = cap ? cap * 2 : 16) * sizeof *n);
			if (!n) {
				stmt_finalize(s);
				return err_set(v->e, FOLIO_EFAIL, "out of memory");
			}
			v->d = n;
		}
		d = &v->d[v->nd++];
		memset(d, 0, sizeof *d);
		d->id = stmt_int64(s, 0);
		chart_col_copy(s, 1, d->type, sizeof d->type);
		chart_col_copy(s, 2, d->status, sizeof d->status);
		chart_col_copy(s, 3, d->author, sizeof d->author);
		chart_col_copy(s, 4, d->cosigner, sizeof d->cosigner);
		d->addendum = stmt_int64(s, 5) != 0;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* ---- what the rules want ----------------------------------------------- */

static struct want *want_add(struct eval *v, int rule, int64_t subject, const char *status)
{
	struct want *w;

	if (v->nw == v->cap) {
		struct want *n = realloc(v->w, (v->cap = v->cap ? v->cap * 2 : 32) * sizeof *n);
		if (!n)
			return NULL;
		v->w = n;
	}
	w = &v->w[v->nw++];
	memset(w, 0, sizeof *w);
	w->rule = rule;
	w->subject = subject;
	w->status = status;
	str_copy(w->anchor, sizeof w->anchor,
		 strcmp(v->rules[rule].anchor, "admission") == 0 ? v->x.started : v->x.ended);
	return w;
}

/* The rule's responsible keyword made a user name for this subject. */
static void who(const struct eval *v, int rule, const struct edoc *d, char out[DEF_NAME_MAX])
{
	const char *r = v->rules[rule].responsible;

	if (!strcmp(r, "attending"))
		str_copy(out, DEF_NAME_MAX, v->x.attending);
	else if (!strcmp(r, "author"))
		str_copy(out, DEF_NAME_MAX, d && d->author[0] ? d->author : v->x.attending);
	else if (!strcmp(r, "cosigner"))
		str_copy(out, DEF_NAME_MAX, d && d->cosigner[0] ? d->cosigner : v->x.attending);
	else if (!strcmp(r, "coder"))
		str_copy(out, DEF_NAME_MAX, v->coder);
	else if (!strcmp(r, "records"))
		out[0] = '\0';
	else
		str_copy(out, DEF_NAME_MAX, r);
}

/* Types with a rule of their own; the signature rule takes the rest. */
static int own_rule_type(const char *type)
{
	return !strcmp(type, "hp") || !strcmp(type, "discharge") || !strcmp(type, "operative") ||
	       !strcmp(type, "procedure");
}

/* The one document of a type (the furthest along) the rule looks for. */
static int want_document(struct eval *v, int rule, const char *type, const char *missing)
{
	const struct edoc *best = NULL;
	struct want *w;

	for (size_t i = 0; i < v->nd; i++)
		if (!v->d[i].addendum && !strcmp(v->d[i].type, type) &&
		    (!best || step_rank(doc_step(v->d[i].status)) > step_rank(doc_step(best->status))))
			best = &v->d[i];
	if (!(w = want_add(v, rule, 0, best ? doc_step(best->status) : "incomplete")))
		return err_set(v->e, FOLIO_EFAIL, "out of memory");
	who(v, rule, best, w->responsible);
	if (best) {
		w->document_id = best->id;
		snprintf(w->detail, sizeof w->detail, "document %" PRId64 " %s", best->id, best->status);
	} else {
		snprintf(w->detail, sizeof w->detail, "%s", missing);
	}
	return FOLIO_OK;
}

static int want_signatures(struct eval *v, int rule, int cosign)
{
	for (size_t i = 0; i < v->nd; i++) {
		const struct edoc *d = &v->d[i];
		const char *st;
		struct want *w;

		if (cosign) {
			if (!d->cosigner[0] || (strcmp(d->status, "uncosigned") && strcmp(d->status, "completed")))
				continue;
			st = strcmp(d->status, "completed") == 0 ? "signed" : "incomplete";
		} else {
			if (!d->addendum && own_rule_type(d->type))
				continue;
			st = doc_step(d->status);
		}
		if (!(w = want_add(v, rule, d->id, st)))
			return err_set(v->e, FOLIO_EFAIL, "out of memory");
		w->document_id = d->id;
		who(v, rule, d, w->responsible);
		snprintf(w->detail, sizeof w->detail, "%s %" PRId64 " (%s) %s", d->addendum ? "addendum" : "document",
			 d->id, d->type, cosign && strcmp(d->status, "completed") ? "awaits cosignature" : d->status);
	}
	return FOLIO_OK;
}

/* An operative or procedure note, signed, for each OR procedure coded. */
static int want_operative(struct eval *v, int rule)
{
	const struct edoc *pending = NULL;
	int pdx, surgical, notes = 0, rc;
	struct folio_err e2 = { 0 };
	struct want *w;

	if ((rc = coding_review_facts(v->g, v->x.id, &pdx, &surgical, &e2)) != FOLIO_OK) {
		v->skip[rule] = 1;
		return FOLIO_OK;
	}
	if (surgical == 0)
		return FOLIO_OK;
	for (size_t i = 0; i < v->nd; i++) {
		const struct edoc *d = &v->d[i];
		if (d->addendum || (strcmp(d->type, "operative") && strcmp(d->type, "procedure")))
			continue;
		if (doc_signed(d))
			notes++;
		else if (!pending || step_rank(doc_step(d->status)) > step_rank(doc_step(pending->status)))
			pending = d;
	}
	if (!(w = want_add(v, rule, 0, notes >= surgical ? "signed" : pending ? doc_step(pending->status) : "incomplete")))
		return err_set(v->e, FOLIO_EFAIL, "out of memory");
	who(v, rule, pending, w->responsible);
	w->document_id = pending ? pending->id : 0;
	snprintf(w->detail, sizeof w->detail, "%d OR procedure%s coded, %d signed note%s", surgical,
		 surgical == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
	return FOLIO_OK;
}

/* A rule met or not by a fact of the chart. */
static int want_fact(struct eval *v, int rule, int met, const char *missing)
{
	struct want *w = want_add(v, rule, 0, met ? "completed" : "incomplete");

	if (!w)
		return err_set(v->e, FOLIO_EFAIL, "out of memory");
	who(v, rule, NULL, w->responsible);
	str_copy(w->detail, sizeof w->detail, met ? "" : missing);
	return FOLIO_OK;
}

/* 1 when sql (one integer parameter, ?1 the encounter and ?2 the patient)
 * finds a row; -1 on failure. */
static int found(struct eval *v, const char *sql)
{
	struct stmt *s;
	int rc;

	if (stmt_prepare(grant_store(v->g), sql, &s, v->e))
		return -1;
	stmt_bind_int64(s, 1, v->x.id);
	stmt_bind_int64(s, 2, v->x.patient_id);
	rc = stmt_step(s, v->e);
	stmt_finalize(s);
	return rc == STMT_ROW ? 1 : rc == STMT_DONE ? 0 : -1;
}

static int want_coding(struct eval *v, int rule)
{
	const char *missing = !v->coding[0] ? "not coded" : !strcmp(v->coding, "ungroupable") ? "ungroupable: DRG 998/999"
						       : "coding in progress, no DRG";

	return want_fact(v, rule, strcmp(v->coding, "grouped") == 0, missing);
}

static int want_visit_dx(struct eval *v, int rule)
{
	int pdx = 0, surgical;
	struct folio_err e2 = { 0 };

	if (v->coding[0] && coding_review_facts(v->g, v->x.id, &pdx, &surgical, &e2) != FOLIO_OK) {
		v->skip[rule] = 1;
		return FOLIO_OK;
	}
	return want_fact(v, rule, pdx, v->coding[0] ? "no principal diagnosis" : "not coded");
}

static int want_demographics(struct eval *v, int rule)
{
	char warn[4][120], detail[80];
	struct patient *p = patient_new();
	uint8_t *scratch = smem_alloc(PATIENT_BLOB_MAX);
	struct folio_err e2 = { 0 };
	struct stmt *s = NULL;
	int nw = -1;

	if (p && scratch &&
	    stmt_prepare(grant_store(v->g), "SELECT demographics FROM patients WHERE id = ?", &s, &e2) == FOLIO_OK) {
		stmt_bind_int64(s, 1, v->x.patient_id);
		if (stmt_step(s, &e2) == STMT_ROW) {
			size_t len;
			const uint8_t *env = stmt_blob(s, 0, &len);
			if (patient_open(grant_keys(v->g), v->x.patient_id, env, len, scratch, p, &e2) == FOLIO_OK)
				nw = patient_check(p, warn, (int)ARRAY_SIZE(warn));
		}
		stmt_finalize(s);
	}
	patient_free(p);
	smem_free(scratch);
	if (nw < 0) {
		v->skip[rule] = 1;
		return FOLIO_OK;
	}
	/* patient_check's lines carry no PHI (patient.h) */
	snprintf(detail, sizeof detail, "%d warning%s: %.56s", nw, nw == 1 ? "" : "s", nw ? warn[0] : "");
	return want_fact(v, rule, nw == 0, detail);
}

static int rule_wants(struct eval *v, int i)
{
	const char *c = v->rules[i].code;
	int r;

	if (!strcmp(c, "hp"))
		return want_document(v, i, "hp", "no history and physical on file");
	if (!strcmp(c, "discharge-summary"))
		return want_document(v, i, "discharge", "no discharge summary on file");
	if (!strcmp(c, "signature"))
		return want_signatures(v, i, 0);
	if (!strcmp(c, "cosignature"))
		return want_signatures(v, i, 1);
	if (!strcmp(c, "operative"))
		return want_operative(v, i);
	if (!strcmp(c, "discharge-status"))
		return want_fact(v, i, v->x.status[0] != '\0', "no discharge status");
	if (!strcmp(c, "coding"))
		return want_coding(v, i);
	if (!strcmp(c, "visit-diagnosis"))
		return want_visit_dx(v, i);
	if (!strcmp(c, "vitals")) {
		r = found(v, "SELECT 1 FROM clinical_items WHERE patient_id = ?2 AND kind = 'vitals'"
			     " AND status <> 'entered-in-error' AND encounter_id = ?1");
		return r < 0 ? v->e->code : want_fact(v, i, r, "no vitals for the visit");
	}
	if (!strcmp(c, "allergies")) {
		r = found(v, "SELECT 1 FROM clinical_items WHERE patient_id = ?2 AND kind IN ('allergy', 'nka')"
			     " AND status <> 'entered-in-error' AND ?1 > 0");
		return r < 0 ? v->e->code : want_fact(v, i, r, "allergies not assessed");
	}
	if (!strcmp(c, "demographics"))
		return want_demographics(v, i);
	/* a rule added to the table without an evaluator: nothing to judge */
	v->skip[i] = 1;
	return FOLIO_OK;
}

/* The rules that apply to the encounter as it stands. */
static int wants(struct eval *v)
{
	int inpatient = strcmp(v->x.kind, "inpatient") == 0;
	int admitted = inpatient ? !strcmp(v->x.state, "admitted") || !strcmp(v->x.state, "discharged")
				 : !strcmp(v->x.state, "closed");
	int ended = inpatient ? !strcmp(v->x.state, "discharged") : !strcmp(v->x.state, "closed");
	int64_t in = def_epoch(v->x.started), out = def_epoch(v->x.ended);
	int shortstay = inpatient && ended && in >= 0 && out >= 0 &&
			out - in < grant_setting(v->g, "short_stay_hours") * 3600;
	int rc;

	if (!admitted)
		return FOLIO_OK;
	if ((rc = docs_load(v)))
		return rc;
	for (int i = 0; i < v->nrules; i++) {
		const struct deficiency_rule *r = &v->rules[i];
		if (!r->active || (strcmp(r->applies, "all") && strcmp(r->applies, inpatient ? "inpatient" : "visit")))
			continue;
		if (strcmp(r->anchor, "admission") && !ended)
			continue;
		if (shortstay && !r->short_stay)
			continue;
		if ((rc = rule_wants(v, i)))
			return rc;
	}
	return FOLIO_OK;
}

/* ---- keeping the rows in step ------------------------------------------ */

struct row {
	int64_t id, subject;
	char rule[DEF_TYPE_MAX], status[16], responsible[DEF_NAME_MAX];
	int assigned, by_hand, seen;
};

static int rule_index(const struct eval *v, const char *code)
{
	for (int i = 0; i < v->nrules; i++)
		if (strcmp(v->rules[i].code, code) == 0)
			return i;
	return -1;
}

static int row_insert(struct eval *v, const struct want *w)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(v->g),
			       "INSERT INTO deficiencies (patient_id, encounter_id, rule, subject, document_id, status,"
			       " responsible, detail, anchor_at, created_at, updated_at)"
			       " VALUES (?, ?, ?, ?, nullif(?, 0), ?, ?, ?, nullif(?, ''), ?, ?)", &s, v->e)))
		return rc;
	stmt_bind_int64(s, 1, v->x.patient_id);
	stmt_bind_int64(s, 2, v->x.id);
	stmt_bind_text(s, 3, v->rules[w->rule].code);
	stmt_bind_int64(s, 4, w->subject);
	stmt_bind_int64(s, 5, w->document_id);
	stmt_bind_text(s, 6, w->status);
	stmt_bind_text(s, 7, w->responsible);
	stmt_bind_text(s, 8, w->detail);
	stmt_bind_text(s, 9, w->anchor);
	stmt_bind_text(s, 10, now);
	stmt_bind_text(s, 11, now);
	rc = stmt_step(s, v->e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	return def_event_add(v->g, store_last_rowid(grant_store(v->g)), "created", "", w->status, w->responsible,
			     NULL, NULL, v->e);
}

/* Moves row r to status (NULL: keeps it), refreshing what it says. */
static int row_update(struct eval *v, const struct row *r, const struct want *w, const char *status)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(v->g),
			       "UPDATE deficiencies SET status = coalesce(?2, status),"
			       " responsible = CASE WHEN assigned OR ?3 IS NULL"
			       " THEN responsible ELSE ?3 END, detail = coalesce(?4, detail),"
			       " document_id = CASE WHEN ?5 IS NULL THEN document_id ELSE nullif(?5, 0) END,"
			       " anchor_at = coalesce(nullif(?6, ''), anchor_at), updated_at = ?7,"
			       " row_version = row_version + 1 WHERE id = ?1", &s, v->e)))
		return rc;
	stmt_bind_int64(s, 1, r->id);
	stmt_bind_text(s, 2, status);
	stmt_bind_text(s, 3, w ? w->responsible : NULL);
	stmt_bind_text(s, 4, w ? w->detail : NULL);
	if (w)
		stmt_bind_int64(s, 5, w->document_id);
	else
		stmt_bind_null(s, 5);
	stmt_bind_text(s, 6, w ? w->anchor : "");
	stmt_bind_text(s, 7, now);
	rc = stmt_step(s, v->e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (!status || !strcmp(status, r->status))
		return FOLIO_OK;
	return def_event_add(v->g, r->id, "status", r->status, status, "", NULL, NULL, v->e);
}

/* Whether anything the row shows would change. */
static int row_differs(struct eval *v, const struct row *r, const struct want *w)
{
	struct stmt *s;
	int rc, same = 0;

	if (stmt_prepare(grant_store(v->g), "SELECT 1 FROM deficiencies WHERE id = ?1 AND detail = ?2"
					    " AND coalesce(document_id, 0) = ?3 AND coalesce(anchor_at, '') = ?4"
					    " AND (assigned OR responsible = ?5)", &s, v->e))
		return 1;
	stmt_bind_int64(s, 1, r->id);
	stmt_bind_text(s, 2, w->detail);
	stmt_bind_int64(s, 3, w->document_id);
	stmt_bind_text(s, 4, w->anchor);
	stmt_bind_text(s, 5, w->responsible);
	rc = stmt_step(s, v->e);
	same = rc == STMT_ROW;
	stmt_finalize(s);
	return !same;
}

static int sync_one(struct eval *v, struct row *rows, size_t nrows, const struct want *w)
{
	struct row *r = NULL;
	int open_want = deficiency_status_open(w->status);

	for (size_t i = 0; i < nrows; i++)
		if (rows[i].subject == w->subject && strcmp(rows[i].rule, v->rules[w->rule].code) == 0)
			r = &rows[i];
	if (!r)
		return open_want ? row_insert(v, w) : FOLIO_OK;
	r->seen = 1;
	if (!strcmp(r->status, "withdrawn"))
		return open_want ? row_update(v, r, w, w->status) : FOLIO_OK;
	if (deficiency_status_open(r->status)) {
		/* reopened by a supervisor: only a person closes it again */
		const char *to = r->by_hand && !open_want ? r->status : w->status;
		if (strcmp(r->status, to) || row_differs(v, r, w))
			return row_update(v, r, w, to);
		return FOLIO_OK;
	}
	/* closed: by evaluation it follows the chart; by a person it stays */
	if (open_want && !r->by_hand)
		return row_update(v, r, w, w->status);
	return FOLIO_OK;
}

static int sync(struct eval *v)
{
	struct row *rows = NULL;
	size_t nrows = 0, cap = 0;
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(v->g), "SELECT id, rule, subject, status, responsible, assigned, by_hand"
						  " FROM deficiencies WHERE encounter_id = ? ORDER BY id", &s, v->e)))
		return rc;
	stmt_bind_int64(s, 1, v->x.id);
	while ((rc = stmt_step(s, v->e)) == STMT_ROW) {
		if (nrows == cap) {
			struct row *n = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *n);
			if (!n) {
				rc = err_set(v->e, FOLIO_EFAIL, "out of memory");
				break;
			}
			rows = n;
		}
		memset(&rows[nrows], 0, sizeof rows[nrows]);
		rows[nrows].id = stmt_int64(s, 0);
		chart_col_copy(s, 1, rows[nrows].rule, sizeof rows[nrows].rule);
		rows[nrows].subject = stmt_int64(s, 2);
		chart_col_copy(s, 3, rows[nrows].status, sizeof rows[nrows].status);
		chart_col_copy(s, 4, rows[nrows].responsible, sizeof rows[nrows].responsible);
		rows[nrows].assigned = (int)stmt_int64(s, 5);
		rows[nrows].by_hand = (int)stmt_int64(s, 6);
		nrows++;
	}
	stmt_finalize(s);
	if (rc != STMT_DONE) {
		free(rows);
		return rc;
	}
	rc = FOLIO_OK;
	for (size_t i = 0; i < v->nw && rc == FOLIO_OK; i++)
		rc = sync_one(v, rows, nrows, &v->w[i]);
	/* open rows nothing wants any more: the rule no longer applies */
	for (size_t i = 0; i < nrows && rc == FOLIO_OK; i++) {
		int ri = rule_index(v, rows[i].rule);
		if (rows[i].seen || !deficiency_status_open(rows[i].status) || (ri >= 0 && v->skip[ri]))
			continue;
		rc = row_update(v, &rows[i], NULL, "withdrawn");
	}
	free(rows);
	return rc;
}

static int eval_encounter(struct eval *v, int64_t id)
{
	int rc;

	v->nw = 0;
	memset(v->skip, 0, sizeof v->skip);
	if ((rc = enc_load(v, id)) || (rc = wants(v)))
		return rc;
	return sync(v);
}

int deficiency_refresh(struct grant *g, int64_t encounter_id, struct folio_err *e)
{
	struct eval *v = calloc(1, sizeof *v);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct stmt *s;
	int rc;

	if (!v)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	v->g = g;
	v->e = e;
	if ((rc = def_rules_load(g, v->rules, DEF_RULES_MAX, &v->nrules, e)))
		goto out;
	if (encounter_id > 0) {
		rc = eval_encounter(v, encounter_id);
		goto out;
	}
	if ((rc = stmt_prepare(grant_store(g), "SELECT id FROM encounters WHERE patient_id ="
					       " (SELECT id FROM patients WHERE mrn = ?) ORDER BY id", &s, e)))
		goto out;
	stmt_bind_text(s, 1, grant_mrn(g));
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		if (n == cap) {
			int64_t *m = realloc(ids, (cap = cap ? cap * 2 : 16) * sizeof *m);
			if (!m) {
				rc = err_set(e, FOLIO_EFAIL, "out of memory");
				break;
			}
			ids = m;
		}
		ids[n++] = stmt_int64(s, 0);
	}
	stmt_finalize(s);
	if (rc != STMT_DONE)
		goto out;
	rc = FOLIO_OK;
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++)
		rc = eval_encounter(v, ids[i]);
out:
	free(ids);
	free(v->w);
	free(v->d);
	free(v);
	return rc;
}

int deficiency_after(struct grant *g, int64_t encounter_id, int rc, struct folio_err *e)
{
	if (rc != FOLIO_OK || encounter_id <= 0)
		return rc;
	return deficiency_refresh(g, encounter_id, e);
}

int deficiency_after_clinical(struct grant *g, int kind, int64_t encounter_id, int rc, struct folio_err *e)
{
	if (rc != FOLIO_OK)
		return rc;
	if (kind == CLIN_VITALS)
		return deficiency_after(g, encounter_id, rc, e);
	if (kind == CLIN_ALLERGY || kind == CLIN_NKA)
		return deficiency_refresh(g, 0, e);
	return FOLIO_OK;
}
