/* folio — an encounter's coding in the chart (include/folio/coding.h): the
 * claim built from the encounter and the patient, the checks before
 * grouping, the grouping, and the sealed row that keeps codes and result.
 *
 * One envelope per encounter holds the codes and the last grouping (the
 * clinical key): diagnoses tied to a patient are PHI, and so is the DRG and
 * the hash of the inputs, since the small code space would let a plain hash
 * be reversed. */
#include "folio/coding.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "coding_internal.h"
#include "core_internal.h"
#include "deficiency_internal.h"
#include "folio/chart.h"
#include "folio/codes.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/store.h"

#define CODING_BODY_MAX 4096

/* ---- the sealed body: one record per line, tab-separated ------------- */

static const char *const usage_names[] = { "N", "CC", "MCC", "CCX", "MCCX", "CCL", "MCCL" };

static size_t body_write(const struct coding *c, char *out, size_t cap)
{
	size_t n = 0;
#define PUT(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
	PUT("folio-coding 1\n");
	if (c->pdx[0])
		PUT("pdx\t%s\n", c->pdx);
	for (int i = 0; i < c->nsdx; i++)
		PUT("sdx\t%s\t%c\n", c->sdx[i].code, c->sdx[i].poa == ' ' ? '-' : c->sdx[i].poa);
	for (int i = 0; i < c->nproc; i++)
		PUT("proc\t%s\t%s\n", c->proc[i].code, c->proc[i].date[0] ? c->proc[i].date : "-");
	const struct coding_group *g = &c->group;
	if (g->grouped) {
		PUT("group\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t", g->version, g->hash, g->at,
		    g->r.final_drg, g->r.final_mdc, g->r.initial_drg, g->r.initial_mdc, g->r.base_drg,
		    (int)g->r.med_surg, (int)g->r.final_severity, g->r.grc, g->r.hac_status);
		for (int i = 0; i < g->r.nsdx; i++)
			PUT("%s%s", i ? "," : "", usage_names[g->r.sdx_usage[i]]);
		PUT("\n");
	} else if (g->note[0]) {
		PUT("nogroup\t%s\n", g->note);
	}
#undef PUT
	return n;
}

/* Interned names for the return code and HAC status read back. */
static const char *name_intern(const char *s)
{
	static const char *const known[] = { "OK", "DX_CANNOT_BE_PDX", "INVALID_PDX", "INVALID_AGE",
		"INVALID_SEX", "INVALID_DISCHARGE_STATUS", "UNGROUPABLE", "HAC_MISSING_ONE_POA",
		"HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W", "HAC_STATUS_INVALID_POA_N_OR_U",
		"HAC_STATUS_INVALID_POA_INVALID_OR_1", "INVALID_PRINCIPAL_DIAGNOSIS", "NOT_APPLICABLE",
		"FINAL_DRG_NO_CHANGE", "FINAL_DRG_CHANGES", "FINAL_DRG_UNGROUPABLE" };
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(known[i], s) == 0)
			return known[i];
	return "?";
}

static int body_read(const char *text, size_t len, struct coding *c)
{
	char line[512];
	size_t off = 0;
	int first = 1;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		if (n >= sizeof line)
			return -1;
		memcpy(line, text + off, n);
		line[n] = 0;
		off += n + 1;
		char *f[16];
		int nf = 0;
		for (char *p = line; nf < 16;) {
			f[nf++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = 0;
			p = t + 1;
		}
		if (first) {
			if (strcmp(f[0], "folio-coding 1") != 0)
				return -1;
			first = 0;
		} else if (strcmp(f[0], "pdx") == 0 && nf == 2) {
			str_copy(c->pdx, sizeof c->pdx, f[1]);
		} else if (strcmp(f[0], "sdx") == 0 && nf == 3 && c->nsdx < CODING_SDX_MAX) {
			str_copy(c->sdx[c->nsdx].code, sizeof c->sdx[0].code, f[1]);
			c->sdx[c->nsdx++].poa = f[2][0] == '-' ? ' ' : f[2][0];
		} else if (strcmp(f[0], "proc") == 0 && nf == 3 && c->nproc < CODING_PROC_MAX) {
			str_copy(c->proc[c->nproc].code, sizeof c->proc[0].code, f[1]);
			str_copy(c->proc[c->nproc++].date, sizeof c->proc[0].date,
				 strcmp(f[2], "-") ? f[2] : "");
		} else if (strcmp(f[0], "group") == 0 && nf == 14) {
			struct coding_group *g = &c->group;
			g->grouped = 1;
			str_copy(g->version, sizeof g->version, f[1]);
			str_copy(g->hash, sizeof g->hash, f[2]);
			str_copy(g->at, sizeof g->at, f[3]);
			g->r.final_drg = atoi(f[4]);
			g->r.final_mdc = atoi(f[5]);
			g->r.initial_drg = atoi(f[6]);
			g->r.initial_mdc = atoi(f[7]);
			g->r.base_drg = atoi(f[8]);
			g->r.med_surg = (enum drg_med_surg)(atoi(f[9]) & 3);
			g->r.final_severity = (enum drg_severity)(atoi(f[10]) & 3);
			g->r.grc = name_intern(f[11]);
			g->r.hac_status = name_intern(f[12]);
			for (char *p = f[13]; *p && g->r.nsdx < DRG_MAX_SDX;) {
				size_t w = strcspn(p, ",");
				for (size_t u = 0; u < ARRAY_SIZE(usage_names); u++)
					if (strlen(usage_names[u]) == w && strncmp(usage_names[u], p, w) == 0)
						g->r.sdx_usage[g->r.nsdx] = (enum drg_sdx_usage)u;
				g->r.nsdx++;
				p += w + (p[w] == ',');
			}
		} else if (strcmp(f[0], "nogroup") == 0 && nf == 2) {
			str_copy(c->group.note, sizeof c->group.note, f[1]);
		} else if (f[0][0]) {
			return -1;
		}
	}
	return first ? -1 : 0;
}

/* ---- the claim's context: the encounter and the patient -------------- */

static int age_on(const char *dob, const char *day)
{
	int y, m, d, ty, tm, td;
	if (sscanf(dob, "%4d-%2d-%2d", &y, &m, &d) != 3 || sscanf(day, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
		return -1;
	int age = ty - y - (tm < m || (tm == m && td < d));
	return age >= 0 ? age : -1;
}

static int context_patient(struct grant *g, struct coding_context *ctx, struct folio_err *e)
{
	struct stmt *s;
	int rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, demographics FROM patients WHERE mrn = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(g));
	rc = stmt_step(s, e);
	if (rc != STMT_ROW) {
		stmt_finalize(s);
		return rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", grant_mrn(g)) : rc;
	}
	struct patient *p = patient_new();
	uint8_t *scratch = smem_alloc(PATIENT_BLOB_MAX);
	if (!p || !scratch) {
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
	} else {
		size_t len;
		const uint8_t *env = stmt_blob(s, 1, &len);
		rc = patient_open(grant_keys(g), stmt_int64(s, 0), env, len, scratch, p, e);
	}
	stmt_finalize(s);
	if (!rc) {
		ctx->age = age_on(p->v[PF_DOB], ctx->admitted);
		char sx = p->v[PF_SEX][0];
		ctx->sex = sx == 'M' || sx == 'F' ? sx : 'U';
	}
	smem_free(scratch);
	patient_free(p);
	return rc;
}

/* The ICD-10-CM set to check against: the one in force, else the latest
 * loaded (new sets come out each October; until a site loads one, coding
 * goes on against the last, with a warning). */
static int code_set_fy(struct grant *g, int fy)
{
	struct codes_set_info sets[16];
	size_t n = 0;
	struct folio_err ignore = { 0 };
	int latest = 0;
	if (codes_sets(g, sets, ARRAY_SIZE(sets), &n, &ignore) != FOLIO_OK)
		return 0;
	for (size_t i = 0; i < n && i < ARRAY_SIZE(sets); i++) {
		if (strcmp(sets[i].kind, "icd10cm") != 0)
			continue;
		if (sets[i].fy == fy)
			return fy;
		if (sets[i].fy > latest)
			latest = sets[i].fy;
	}
	return latest;
}

static int context_load(struct grant *g, int64_t id, struct coding_context *ctx, struct folio_err *e)
{
	struct encounter_info x;
	char local[17];
	int rc = encounter_row_load(g, id, &x, e);
	if (rc)
		return rc;
	memset(ctx, 0, sizeof *ctx);
	ctx->encounter_id = id;
	str_copy(ctx->kind, sizeof ctx->kind, x.kind);
	str_copy(ctx->state, sizeof ctx->state, x.state);
	datetime_local(x.started, local);
	snprintf(ctx->admitted, sizeof ctx->admitted, "%.10s", local);
	if (x.ended[0] && strcmp(x.state, "cancelled") != 0) {
		datetime_local(x.ended, local);
		snprintf(ctx->discharged, sizeof ctx->discharged, "%.10s", local);
	}
	ctx->discharge_status = x.status[0] ? atoi(x.status) : -1;
	char day[11];
	if (ctx->discharged[0]) {
		memcpy(day, ctx->discharged, sizeof day);
	} else {
		date_format_days(date_today(), day);
	}
	int y = 0, m = 0;
	sscanf(day, "%4d-%2d", &y, &m);
	ctx->fy = m >= 10 ? y + 1 : y; /* the federal fiscal year starts October 1 */
	ctx->code_fy = code_set_fy(g, ctx->fy);
	return context_patient(g, ctx, e);
}

static void claim_build(const struct coding *c, const struct coding_context *ctx, struct drg_claim *cl);
static void claim_hash(const struct drg_claim *cl, char out[17]);

/* 1 when what the stored grouping was made from is not what the chart says
 * now (the codes are in the same envelope, so only the chart can differ). */
static int grouping_stale(const struct coding *c, const struct coding_context *ctx)
{
	struct drg_claim *cl = smem_alloc(sizeof *cl);
	char h[17];
	if (!cl)
		return 0;
	claim_build(c, ctx, cl);
	if (cl->discharge_status < 0)
		cl->discharge_status = 30;
	claim_hash(cl, h);
	smem_free(cl);
	return strcmp(h, c->group.hash) != 0;
}

/* Reads the stored codes of encounter_id into c (left empty when it was
 * never coded); any grant on its chart. */
static int coding_row_read(struct grant *g, int64_t encounter_id, struct coding *c, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT coded_at, coded_by, body, row_version FROM encounter_coding"
				   " WHERE encounter_id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, encounter_id);
	rc = stmt_step(s, e);
	if (rc == STMT_DONE) {
		stmt_finalize(s);
		return FOLIO_OK;
	}
	if (rc != STMT_ROW) {
		stmt_finalize(s);
		return rc;
	}
	chart_col_copy(s, 0, c->coded_at, sizeof c->coded_at);
	chart_col_copy(s, 1, c->coded_by, sizeof c->coded_by);
	c->row_version = stmt_int64(s, 3);
	char ad[64], *plain = smem_alloc(CODING_BODY_MAX);
	size_t len, n = 0;
	const uint8_t *env = stmt_blob(s, 2, &len);
	field_ad(ad, sizeof ad, "encounter_coding", "body", encounter_id);
	if (!plain)
		rc = err_set(e, FOLIO_EFAIL, "out of secure memory");
	else
		rc = field_open(grant_keys(g), ad, env, len, plain, CODING_BODY_MAX - 1, &n, e);
	stmt_finalize(s);
	if (!rc && body_read(plain, n, c) != 0)
		rc = err_set(e, FOLIO_EFAIL, "the coding of encounter %" PRId64 " is damaged", encounter_id);
	if (plain)
		smem_free(plain);
	return rc;
}

int coding_load(struct grant *g, int64_t encounter_id, struct coding *c, struct coding_context *ctx,
		struct folio_err *e)
{
	enum action a = grant_action(g);
	int rc;

	if (!grant_reads_chart(g) && a != ACT_CODE_ASSIGN)
		return err_set(e, FOLIO_EDENIED, "reading the coding needs a chart or coding grant");
	memset(c, 0, sizeof *c);
	c->encounter_id = encounter_id;
	if ((rc = context_load(g, encounter_id, ctx, e)) || (rc = coding_row_read(g, encounter_id, c, e)))
		return rc;
	if (c->group.grouped) {
		coding_weights(g, c->group.r.final_drg, &c->group.weight, &c->group.gmlos, &c->group.amlos);
		c->stale = grouping_stale(c, ctx);
	} else if (c->pdx[0] && strcmp(ctx->kind, "inpatient") == 0) {
		/* saved before any grouper tables were loaded: groupable now? */
		const struct drg_tables *drg = NULL;
		const struct mce_tables *mce = NULL;
		char why[120];
		struct folio_err ignore = { 0 };
		c->stale = coding_tables_get(g, &drg, &mce, why, sizeof why, &ignore) == FOLIO_OK && drg;
	}
	return rc;
}

int coding_stored(struct grant *g, int64_t encounter_id, struct coding *c, struct folio_err *e)
{
	memset(c, 0, sizeof *c);
	c->encounter_id = encounter_id;
	return coding_row_read(g, encounter_id, c, e);
}

int coding_review_facts(struct grant *g, int64_t encounter_id, int *has_pdx, int *surgical, struct folio_err *e)
{
	struct coding *c = coding_new();
	int rc;

	*has_pdx = *surgical = 0;
	if (!c)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = coding_row_read(g, encounter_id, c, e)) == FOLIO_OK) {
		*has_pdx = c->pdx[0] != '\0';
		for (int i = 0; i < c->nproc; i++)
			*surgical += c->proc[i].code[0] == '0';
	}
	coding_free(c);
	return rc;
}

/* ---- the claim and its grouping ---------------------------------------- */

static void claim_build(const struct coding *c, const struct coding_context *ctx, struct drg_claim *cl)
{
	memset(cl, 0, sizeof *cl);
	cl->age = ctx->age;
	cl->sex = ctx->sex;
	cl->discharge_status = ctx->discharge_status;
	memcpy(cl->pdx, c->pdx, sizeof cl->pdx);
	cl->nsdx = c->nsdx;
	for (int i = 0; i < c->nsdx; i++) {
		memcpy(cl->sdx[i].code, c->sdx[i].code, sizeof cl->sdx[i].code);
		cl->sdx[i].poa = c->sdx[i].poa;
	}
	cl->nproc = c->nproc;
	for (int i = 0; i < c->nproc; i++)
		memcpy(cl->proc[i], c->proc[i].code, sizeof cl->proc[i]);
}

/* 16 hex digits of BLAKE2b over the grouper's inputs and version. */
static void claim_hash(const struct drg_claim *cl, char out[17])
{
	char buf[1024];
	uint8_t h[HASH_BYTES];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s|%d|%c|%d|%s|", DRG_GROUPER_VERSION, cl->age, cl->sex,
				    cl->discharge_status, cl->pdx);
	for (int i = 0; i < cl->nsdx && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s:%c;", cl->sdx[i].code, cl->sdx[i].poa);
	for (int i = 0; i < cl->nproc && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "|%s", cl->proc[i]);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	crypto_digest(buf, n, h);
	smem_wipe(buf, sizeof buf);
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

int coding_group(struct grant *g, const struct coding *c, const struct coding_context *ctx,
		 struct coding_group *out, struct folio_err *e)
{
	const struct drg_tables *drg = NULL;
	const struct mce_tables *mce = NULL;
	struct drg_claim *cl;
	int rc;

	memset(out, 0, sizeof *out);
	out->weight = out->gmlos = out->amlos = -1;
	if (strcmp(ctx->kind, "inpatient") != 0) {
		str_copy(out->note, sizeof out->note, "the MS-DRG applies to inpatient admissions only");
		return FOLIO_OK;
	}
	if (!c->pdx[0]) {
		str_copy(out->note, sizeof out->note, "no principal diagnosis yet");
		return FOLIO_OK;
	}
	if ((rc = coding_tables_get(g, &drg, &mce, out->note, sizeof out->note, e)))
		return rc;
	if (!drg)
		return FOLIO_OK;
	if (!(cl = smem_alloc(sizeof *cl)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	claim_build(c, ctx, cl);
	if (cl->discharge_status < 0)
		cl->discharge_status = 30; /* still a patient until the discharge is recorded */
	drg_group(drg, cl, &out->r);
	claim_hash(cl, out->hash);
	smem_free(cl);
	out->grouped = 1;
	str_copy(out->version, sizeof out->version, DRG_GROUPER_VERSION);
	time_utc_now(out->at, sizeof out->at);
	if (!ctx->discharged[0])
		str_copy(out->note, sizeof out->note, "provisional: the patient is not discharged yet");
	coding_weights(g, out->r.final_drg, &out->weight, &out->gmlos, &out->amlos);
	return FOLIO_OK;
}

/* ---- checks before grouping ------------------------------------------ */

struct fsink {
	struct coding_finding *out;
	int max, n;
};

static void PRINTF_LIKE(6, 7) finding(struct fsink *s, int fatal, enum mce_where where, int index,
				      const char *code, const char *fmt, ...)
{
	if (s->n < s->max) {
		struct coding_finding *f = &s->out[s->n];
		va_list ap;
		f->fatal = fatal;
		f->where = where;
		f->index = index;
		str_copy(f->code, sizeof f->code, code);
		va_start(ap, fmt);
		vsnprintf(f->message, sizeof f->message, fmt, ap);
		va_end(ap);
	}
	s->n++;
}

/* The code-set check of one code: billable in the fiscal year.  Returns 1
 * when the code is a complete code, so the MCE's own invalid-code finding
 * would only repeat it. */
static int check_code(struct grant *g, struct fsink *s, const struct coding_context *ctx, int pcs,
		      enum mce_where w, int i, const char *code, struct folio_err *e)
{
	char children[64], what[40];
	if (w == MCE_AT_PDX)
		snprintf(what, sizeof what, "the principal diagnosis");
	else
		snprintf(what, sizeof what, "%s %d", w == MCE_AT_SDX ? "secondary diagnosis" : "procedure", i + 1);
	int st = coding_code_status(g, pcs, ctx->code_fy ? ctx->code_fy : ctx->fy, code, children,
				    sizeof children, e);
	if (st == 1)
		return 1;
	if (st == 0)
		finding(s, 1, w, i, "HEADER_CODE",
			"%s (%s) is a header, not a billable code: pick one of its codes (%s)", what, code,
			children[0] ? children : "see codes search --children");
	else if (st == -2)
		finding(s, 1, w, i, "NO_CODE_SET",
			"no ICD-10-%s code set for FY%d is loaded: a supervisor runs folio codes load DIR",
			pcs ? "PCS" : "CM", ctx->fy);
	else if (st == -1)
		finding(s, 1, w, i, "INVALID_CODE",
			"%s (%s) is not an ICD-10-%s code in FY%d: check it with codes search", what, code,
			pcs ? "PCS" : "CM", ctx->code_fy ? ctx->code_fy : ctx->fy);
	return 0;
}

int coding_check(struct grant *g, const struct coding *c, const struct coding_context *ctx,
		 struct coding_finding *out, int max, struct folio_err *e)
{
	struct fsink s = { out, max, 0 };
	const struct drg_tables *drg = NULL;
	const struct mce_tables *mce = NULL;
	char why[120];
	int ok_codes = 1;

	if (ctx->code_fy && ctx->code_fy != ctx->fy)
		finding(&s, 0, MCE_AT_CLAIM, 0, "CODE_SET_YEAR",
			"the FY%d code set is not loaded: codes were checked against FY%d; load the new "
			"set (folio codes load DIR) before billing",
			ctx->fy, ctx->code_fy);
	if (!c->pdx[0])
		finding(&s, 1, MCE_AT_PDX, 0, "NO_PRINCIPAL",
			"no principal diagnosis: code the condition that occasioned the %s",
			strcmp(ctx->kind, "inpatient") == 0 ? "admission" : "visit");
	else
		ok_codes &= check_code(g, &s, ctx, 0, MCE_AT_PDX, 0, c->pdx, e);
	for (int i = 0; i < c->nsdx; i++) {
		ok_codes &= check_code(g, &s, ctx, 0, MCE_AT_SDX, i, c->sdx[i].code, e);
		char poa = c->sdx[i].poa;
		int exempt = coding_poa_exempt(g, ctx->code_fy ? ctx->code_fy : ctx->fy, c->sdx[i].code, e);
		if (strcmp(ctx->kind, "inpatient") != 0)
			continue; /* POA is reported on inpatient claims only */
		if (exempt == 1 && poa != '1' && poa != ' ')
			finding(&s, 0, MCE_AT_SDX, i, "POA_EXEMPT",
				"%s is exempt from POA reporting: set its POA to E (exempt)", c->sdx[i].code);
		else if (exempt == 0 && (poa == '1' || poa == ' '))
			finding(&s, 0, MCE_AT_SDX, i, "POA_MISSING",
				"%s needs a POA indicator (Y, N, U or W): it is not on the exempt list",
				c->sdx[i].code);
	}
	for (int i = 0; i < c->nproc; i++) {
		ok_codes &= check_code(g, &s, ctx, 1, MCE_AT_PROC, i, c->proc[i].code, e);
		const char *d = c->proc[i].date;
		if (!d[0])
			finding(&s, 0, MCE_AT_PROC, i, "PROC_DATE",
				"procedure %d has no date: add the date it was performed", i + 1);
		else if (strcmp(d, ctx->admitted) < 0 || (ctx->discharged[0] && strcmp(d, ctx->discharged) > 0))
			finding(&s, 0, MCE_AT_PROC, i, "PROC_DATE",
				"procedure %d is dated outside the stay (%s to %s): correct the date", i + 1,
				ctx->admitted, ctx->discharged[0] ? ctx->discharged : "now");
	}
	if (strcmp(ctx->kind, "inpatient") == 0 && ctx->discharge_status < 0)
		finding(&s, 1, MCE_AT_CLAIM, 0, "NO_DISCHARGE_STATUS",
			"no discharge status: record the discharge (with its UB-04 status) first");
	if (coding_tables_get(g, &drg, &mce, why, sizeof why, e))
		return -1;
	if (!mce) {
		finding(&s, 0, MCE_AT_CLAIM, 0, "NO_MCE", "%s", why);
		return s.n;
	}
	struct drg_claim *cl = smem_alloc(sizeof *cl);
	struct mce_finding *mf = smem_alloc(MCE_MAX_FINDINGS * sizeof *mf);
	if (!cl || !mf) {
		smem_free(cl);
		smem_free(mf);
		err_set(e, FOLIO_EFAIL, "out of secure memory");
		return -1;
	}
	claim_build(c, ctx, cl);
	char day[11];
	if (ctx->discharged[0])
		memcpy(day, ctx->discharged, sizeof day);
	else
		date_format_days(date_today(), day);
	char last[11];
	mce_tables_last_day(mce, last);
	if (strcmp(day, last) > 0) {
		finding(&s, 0, MCE_AT_CLAIM, 0, "MCE_YEAR",
			"the Medicare Code Editor tables end %s: the edits of that day were applied; load "
			"newer tables before billing",
			last);
		memcpy(day, last, sizeof day);
	}
	int n = mce_check(mce, cl, day, mf, MCE_MAX_FINDINGS);
	for (int i = 0; i < n && i < MCE_MAX_FINDINGS; i++) {
		if (mf[i].edit == MCE_INVALID_CODE && (ok_codes || !c->pdx[0]))
			continue; /* the code-set check above said it better */
		if (mf[i].edit == MCE_INVALID_CODE && mf[i].where != MCE_AT_CLAIM)
			continue;
		if (mf[i].edit == MCE_INVALID_DISCHARGE_STATUS && ctx->discharge_status < 0)
			continue;
		if (mf[i].edit == MCE_INVALID_CODE && mf[i].where == MCE_AT_CLAIM && !ctx->discharged[0])
			continue;
		finding(&s, mf[i].fatal, mf[i].where, mf[i].index, mce_edit_name(mf[i].edit), "%s",
			mf[i].message);
	}
	smem_free(cl);
	smem_free(mf);
	return s.n;
}

/* ---- saving ------------------------------------------------------------ */

int coding_save(struct grant *g, struct coding *c, const struct coding_context *ctx, struct folio_err *e)
{
	uint8_t env[CODING_BODY_MAX + ENVELOPE_OVERHEAD];
	char ad[64], now[24], *plain;
	struct stmt *s;
	size_t n, envlen;
	int rc;

	if (grant_action(g) != ACT_CODE_ASSIGN)
		return err_set(e, FOLIO_EDENIED, "coding needs its own grant");
	if (ctx->encounter_id != c->encounter_id)
		return err_set(e, FOLIO_EUSAGE, "the coding and its encounter do not match");
	if (strcmp(ctx->state, "cancelled") == 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " was cancelled: nothing to code",
			       c->encounter_id);
	/* changing the codes regroups: the stored result always matches them */
	if ((rc = coding_group(g, c, ctx, &c->group, e)))
		return rc;
	if (!(plain = smem_alloc(CODING_BODY_MAX)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	n = body_write(c, plain, CODING_BODY_MAX);
	if (n >= CODING_BODY_MAX) {
		smem_free(plain);
		return err_set(e, FOLIO_EFAIL, "the coding is too long to store");
	}
	field_ad(ad, sizeof ad, "encounter_coding", "body", c->encounter_id);
	rc = field_seal(grant_keys(g), KC_CLINICAL, ad, plain, n, env, sizeof env, &envlen, e);
	smem_free(plain);
	if (rc)
		return rc;
	time_utc_now(now, sizeof now);
	const char *status = !c->group.grouped ? "in-progress"
			     : c->group.r.final_drg >= 998 ? "ungroupable"
							   : "grouped";
	if (c->row_version == 0)
		rc = stmt_prepare(grant_store(g), "INSERT INTO encounter_coding (status, coded_at, coded_by, body,"
				  " encounter_id) VALUES (?, ?, ?, ?, ?)", &s, e);
	else
		rc = stmt_prepare(grant_store(g), "UPDATE encounter_coding SET status = ?, coded_at = ?,"
				  " coded_by = ?, body = ?, row_version = row_version + 1"
				  " WHERE encounter_id = ? AND row_version = ?", &s, e);
	if (rc)
		return rc;
	stmt_bind_text(s, 1, status);
	stmt_bind_text(s, 2, now);
	stmt_bind_text(s, 3, session_user(grant_session(g)));
	stmt_bind_blob(s, 4, env, envlen);
	stmt_bind_int64(s, 5, c->encounter_id);
	if (c->row_version)
		stmt_bind_int64(s, 6, c->row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE) {
		if (c->row_version == 0 && e && strstr(e->msg, "UNIQUE"))
			return err_set(e, FOLIO_ESTALE, "someone else coded encounter %" PRId64
				       " meanwhile; nothing was saved: reload and redo", c->encounter_id);
		return rc;
	}
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "the coding of encounter %" PRId64 " was changed by someone else"
			       " since you read it; nothing was saved: reload and redo", c->encounter_id);
	c->row_version++;
	c->stale = 0;
	str_copy(c->coded_at, sizeof c->coded_at, now);
	str_copy(c->coded_by, sizeof c->coded_by, session_user(grant_session(g)));
	return deficiency_after(g, c->encounter_id, FOLIO_OK, e);
}
