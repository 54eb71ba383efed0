/* folio — the duplicate pairs kept for a person to verify (include/folio/
 * dupes.h): the worklist, one pair, both charts side by side, and the
 * decision (duplicate / not a duplicate).  All under ACT_MERGE_PROPOSE
 * with no chart; merging is not here. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/dupes.h"
#include "folio/smem.h"

static const char *const status_names[] = { "potential", "duplicate", "not-duplicate" };

const char *dup_status_name(enum dup_status s)
{
	return (unsigned)s < ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

int dup_status_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++)
		if (name && strcmp(name, status_names[i]) == 0)
			return (int)i;
	return -1;
}

static int need(struct grant *g, struct folio_err *e)
{
	return grant_action(g) == ACT_MERGE_PROPOSE ? FOLIO_OK
						    : err_set(e, FOLIO_EDENIED, "duplicate pairs need merge.propose");
}

#define PAIR_COLUMNS "d.id, pa.mrn, pb.mrn, d.score, d.reasons, d.status, d.found_at, coalesce(d.decided_by, ''),"  \
		     " coalesce(d.decided_at, ''), d.merged IS NOT NULL, d.row_version, d.patient_a, d.patient_b" \
		     " FROM dup_pairs d JOIN patients pa ON pa.id = d.patient_a JOIN patients pb ON pb.id = d.patient_b"

static void pair_row(struct stmt *s, struct dup_pair *p)
{
	memset(p, 0, sizeof *p);
	p->id = stmt_int64(s, 0);
	str_copy(p->mrn_a, sizeof p->mrn_a, stmt_text(s, 1));
	str_copy(p->mrn_b, sizeof p->mrn_b, stmt_text(s, 2));
	p->score = (int)stmt_int64(s, 3);
	str_copy(p->reasons, sizeof p->reasons, stmt_text(s, 4));
	p->status = (enum dup_status)dup_status_parse(stmt_text(s, 5));
	str_copy(p->found_at, sizeof p->found_at, stmt_text(s, 6));
	str_copy(p->decided_by, sizeof p->decided_by, stmt_text(s, 7));
	str_copy(p->decided_at, sizeof p->decided_at, stmt_text(s, 8));
	p->merged = (int)stmt_int64(s, 9);
	p->row_version = stmt_int64(s, 10);
}

int dup_list(struct grant *g, int status, int min_score, int (*fn)(const struct dup_pair *, void *), void *ctx,
	     struct folio_err *e)
{
	struct stmt *s;
	struct dup_pair p;
	int rc;

	if ((rc = need(g, e)) ||
	    (rc = stmt_prepare(grant_store(g), "SELECT " PAIR_COLUMNS " WHERE (?1 IS NULL OR d.status = ?1)"
					       " AND d.score >= ?2 ORDER BY d.score DESC, d.id", &s, e)))
		return rc;
	if (status >= 0)
		stmt_bind_text(s, 1, dup_status_name((enum dup_status)status));
	else
		stmt_bind_null(s, 1);
	stmt_bind_int64(s, 2, min_score);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		pair_row(s, &p);
		if (fn(&p, ctx) != 0) {
			rc = STMT_DONE;
			break;
		}
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The pair and its two patients' row ids. */
static int pair_load(struct grant *g, int64_t id, struct dup_pair *p, int64_t *a, int64_t *b, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = need(g, e)) || (rc = stmt_prepare(grant_store(g), "SELECT " PAIR_COLUMNS " WHERE d.id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		pair_row(s, p);
		*a = stmt_int64(s, 11);
		*b = stmt_int64(s, 12);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no duplicate pair %" PRId64, id);
	}
	stmt_finalize(s);
	return rc;
}

int dup_get(struct grant *g, int64_t id, struct dup_pair *p, struct folio_err *e)
{
	int64_t a, b;
	return pair_load(g, id, p, &a, &b, e);
}

/* ---- side by side ---------------------------------------------------------- */

struct dup_side *dup_side_new(void)
{
	return smem_alloc(sizeof(struct dup_side));
}

void dup_side_free(struct dup_side *s)
{
	smem_free(s);
}

static int record_open(struct grant *g, int64_t id, uint8_t *blob, struct patient *p, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT demographics FROM patients WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t len;
		const uint8_t *env = stmt_blob(s, 0, &len);
		rc = patient_open(grant_keys(g), id, env, len, blob, p, e);
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "a duplicate pair names a missing record");
	}
	stmt_finalize(s);
	return rc;
}

/* The shown field a reason (as the scorer names it) speaks of, or -1. */
static int reason_field(const char *r, size_t n)
{
	static const struct {
		const char *name;
		int field;
	} map[] = {
		{ "family", DS_FAMILY }, { "given", DS_GIVEN }, { "middle", DS_MIDDLE }, { "dob", DS_DOB },
		{ "dob-swap", DS_DOB },  { "dob-year", DS_DOB }, { "sex", DS_SEX },       { "phone", DS_PHONE },
		{ "number", DS_ADDRESS }, { "street", DS_ADDRESS }, { "city", DS_CITY },  { "zip", DS_ZIP },
		{ "ssn", DS_SSN4 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strlen(map[i].name) == n && strncmp(r, map[i].name, n) == 0)
			return map[i].field;
	return -1;
}

/* Marks per shown field from the scorer's reasons: the weakest wins (an
 * address whose number differs but street agrees is "!"). */
static void side_marks(struct dup_side *sd, const char *reasons)
{
	const char *r = reasons;

	while (*r) {
		size_t n = strcspn(r, " ");
		char last = n ? r[n - 1] : 0;
		int marked = last == '=' || last == '~' || last == '!';
		char mark = marked ? last : '~';
		int f = reason_field(r, marked ? n - 1 : n);
		if (n == 9 && strncmp(r, "name-swap", 9) == 0) {
			sd->mark[DS_FAMILY] = sd->mark[DS_GIVEN] = '~';
		} else if (f >= 0) {
			char old = sd->mark[f];
			if (old == ' ' || mark == '!' || (mark == '~' && old == '='))
				sd->mark[f] = mark;
		}
		r += n;
		r += *r == ' ';
	}
}

static void side_fill(char out[96], const struct patient *p, int f)
{
	static const int fields[DS_COUNT] = { -1, PF_LAST, PF_FIRST, PF_MIDDLE, PF_DOB, PF_SEX,
					      PF_PHONE, PF_ADDRESS, PF_CITY, PF_ZIP, PF_SSN };
	if (f == DS_SSN4)
		last_four(p->v[PF_SSN], out);
	else if (f == DS_PHONE && !p->v[PF_PHONE][0])
		str_copy(out, 96, p->v[PF_MOBILE]);
	else if (fields[f] >= 0)
		str_copy(out, 96, p->v[fields[f]]);
}

/* Working memory of a side-by-side view. */
struct show_mem {
	uint8_t blob[PATIENT_BLOB_MAX];
	struct patient a, b;
	struct dup_person pa, pb;
	char reasons[DUP_REASONS_MAX];
};

static void person_of(const struct patient *p, struct dup_person *out)
{
	struct dup_input in = { p->v[PF_FIRST], p->v[PF_MIDDLE], p->v[PF_LAST], p->v[PF_DOB], p->v[PF_SEX],
				p->v[PF_PHONE][0] ? p->v[PF_PHONE] : p->v[PF_MOBILE], p->v[PF_ADDRESS],
				p->v[PF_CITY], p->v[PF_ZIP], p->v[PF_SSN] };
	dup_person_make(&in, out);
}

int dup_show(struct grant *g, int64_t id, struct dup_side *sd, struct folio_err *e)
{
	static const char *const labels[DS_COUNT] = { "MRN", "Last name", "First name", "Middle name",
						      "Date of birth", "Sex", "Phone", "Street address",
						      "City", "ZIP", "SSN last four" };
	struct show_mem *m = grant_scratch(g, sizeof *m);
	int64_t a, b;
	int rc;

	memset(sd, 0, sizeof *sd);
	if (!m)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = pair_load(g, id, &sd->pair, &a, &b, e)) || (rc = record_open(g, a, m->blob, &m->a, e)) ||
	    (rc = record_open(g, b, m->blob, &m->b, e)))
		goto done;
	/* the marks as the scorer sees the records now (an edit since the
	 * scan shows) */
	person_of(&m->a, &m->pa);
	person_of(&m->b, &m->pb);
	dup_compare(&m->pa, &m->pb, m->reasons, sizeof m->reasons);
	for (int f = 0; f < DS_COUNT; f++) {
		sd->label[f] = labels[f];
		sd->mark[f] = ' ';
		if (f == DS_MRN) {
			str_copy(sd->a[f], sizeof sd->a[f], sd->pair.mrn_a);
			str_copy(sd->b[f], sizeof sd->b[f], sd->pair.mrn_b);
			continue;
		}
		side_fill(sd->a[f], &m->a, f);
		side_fill(sd->b[f], &m->b, f);
	}
	side_marks(sd, m->reasons);
done:
	smem_wipe(m, sizeof *m);
	return rc;
}

void dup_side_restrict(struct dup_side *sd, int side)
{
	static const enum dup_side_field hidden[] = { DS_PHONE, DS_ADDRESS, DS_CITY, DS_ZIP, DS_SSN4 };

	for (size_t i = 0; i < ARRAY_SIZE(hidden); i++) {
		char *v = side ? sd->b[hidden[i]] : sd->a[hidden[i]];
		smem_wipe(v, sizeof sd->a[0]);
		str_copy(v, sizeof sd->a[0], "(restricted: open the chart)");
		sd->mark[hidden[i]] = ' ';
	}
}

/* ---- the decision ------------------------------------------------------------ */

int dup_decide(struct grant *g, int64_t id, enum dup_status to, const char *note, struct folio_err *e)
{
	uint8_t env[512];
	char ad[64], at[24];
	size_t len = 0;
	struct dup_pair p;
	struct stmt *s;
	int64_t a, b;
	int rc;

	if (to != DUP_DUPLICATE && to != DUP_NOT_DUPLICATE)
		return err_set(e, FOLIO_EUSAGE, "a pair is decided duplicate or not-duplicate");
	if (note && (rc = chart_line_ok(note, 400, "The note", e)))
		return rc;
	if ((rc = pair_load(g, id, &p, &a, &b, e)))
		return rc;
	if (p.status != DUP_POTENTIAL)
		return err_set(e, FOLIO_EUSAGE, "pair %" PRId64 " is already decided (%s) by %s", id,
			       dup_status_name(p.status), p.decided_by);
	if (note && note[0]) {
		field_ad(ad, sizeof ad, "dup_pairs", "note", id);
		if ((rc = field_seal(grant_keys(g), KC_DEMOGRAPHICS, ad, note, strlen(note), env, sizeof env, &len, e)))
			return rc;
	}
	time_utc_now(at, sizeof at);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE dup_pairs SET status = ?, decided_by = ?, decided_at = ?,"
					       " note = ?, row_version = row_version + 1"
					       " WHERE id = ? AND status = 'potential'", &s, e)))
		return rc;
	stmt_bind_text(s, 1, dup_status_name(to));
	stmt_bind_text(s, 2, session_user(grant_session(g)));
	stmt_bind_text(s, 3, at);
	if (len)
		stmt_bind_blob(s, 4, env, len);
	else
		stmt_bind_null(s, 4);
	stmt_bind_int64(s, 5, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}
