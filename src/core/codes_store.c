/* folio — the code sets in the database (include/folio/codes.h): the
 * second half of `codes load` (write what codes_load.c read and checked,
 * inside the grant's one transaction) and every read: the loaded sets, the
 * search index, one code, the POA-exempt list, the packed MCE and MS-DRG
 * tables, the DRG weights.  Plain columns: reference data, not PHI. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes_internal.h"
#include "folio/grant.h"
#include "folio/store.h"

#define PROGRESS_ROWS 4096
#define E4 10000.0 /* weights are stored in ten-thousandths */

/* The kind a system's codes are stored under. */
static enum codes_kind kind_of(enum codes_system sys)
{
	return sys == CODES_ICD10PCS ? KIND_PCS : KIND_CM;
}

static int may_read(struct grant *g, struct folio_err *e)
{
	if (grant_reads_chart(g))
		return FOLIO_OK;
	switch (grant_action(g)) {
	case ACT_CODES_SEARCH:
	case ACT_CODE_ASSIGN:
	case ACT_CHART_VIEW: /* reading a coding shows its codes' descriptions and checks */
	case ACT_CODES_LOAD:
	case ACT_REPORT_RUN:
		return FOLIO_OK;
	default:
		return err_set(e, FOLIO_EDENIED, "reading the code sets needs a code-search or coding grant");
	}
}

/* ---- writing ------------------------------------------------------------------ */

struct writer {
	struct store *st;
	codes_progress_fn fn;
	void *ctx;
	char now[24];
	const char *user;
};

static void progress(const struct writer *w, const struct codes_file *f, size_t done)
{
	if (w->fn) {
		struct codes_progress p = { f->info->source, "storing", done, f->n ? f->n : 1, done };
		w->fn(w->ctx, &p);
	}
}

/* Runs a statement to its end; FOLIO_OK or the error. */
static int step_done(struct stmt *s, struct folio_err *e)
{
	int rc = stmt_step(s, e);
	return rc == STMT_DONE || rc == STMT_ROW ? FOLIO_OK : rc;
}

/* Finds the set row of f: *id 0 when there is none; *same when its content
 * is what f holds (then loaded_at/by come from the row). */
static int set_row(const struct writer *w, const struct codes_file *f, const char *hash, int64_t *id, int *same,
		   struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*id = 0;
	*same = 0;
	if ((rc = stmt_prepare(w->st, "SELECT id, content_hash, loaded_at, loaded_by FROM code_sets"
				      " WHERE kind = ? AND fy = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, codes_kind_name(f->kind));
	stmt_bind_int64(s, 2, f->fy);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		*id = stmt_int64(s, 0);
		if (strcmp(stmt_text(s, 1), hash) == 0) {
			*same = 1;
			str_copy(f->info->loaded_at, sizeof f->info->loaded_at, stmt_text(s, 2));
			str_copy(f->info->loaded_by, sizeof f->info->loaded_by, stmt_text(s, 3));
		}
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Row i of f into columns 2.. of its kind's insert (1 is the set);
 * stmt_bind_text copies, so local buffers do. */
static void bind_code(struct stmt *s, const struct codes_file *f, size_t i)
{
	const struct codes_row *r = &f->rows[i];
	char sd[CODES_SHORT_MAX], ld[CODES_LONG_MAX];

	snprintf(sd, sizeof sd, "%.*s", (int)r->short_len, r->short_desc);
	snprintf(ld, sizeof ld, "%.*s", (int)r->long_len, r->long_desc);
	stmt_bind_text(s, 2, r->code);
	stmt_bind_int64(s, 3, r->order);
	stmt_bind_int64(s, 4, r->billable);
	stmt_bind_text(s, 5, sd);
	stmt_bind_text(s, 6, ld);
}

static void bind_poa(struct stmt *s, const struct codes_file *f, size_t i)
{
	stmt_bind_text(s, 2, f->poa[i]);
}

static void bind_weight(struct stmt *s, const struct codes_file *f, size_t i)
{
	const struct codes_weight *x = &f->weights[i];

	stmt_bind_int64(s, 2, x->drg);
	stmt_bind_int64(s, 3, (int64_t)(x->weight * E4 + 0.5));
	stmt_bind_int64(s, 4, (int64_t)(x->gmlos * E4 + 0.5));
	stmt_bind_int64(s, 5, (int64_t)(x->amlos * E4 + 0.5));
}

static void bind_blob(struct stmt *s, const struct codes_file *f, size_t i)
{
	(void)i;
	stmt_bind_blob(s, 2, f->blob, f->blob_len);
}

#define INSERT_CODE "INSERT INTO codes (set_id, code, ord, billable, short_desc, long_desc) VALUES (?, ?, ?, ?, ?, ?)"
#define INSERT_TABLES "INSERT INTO code_tables (set_id, blob) VALUES (?, ?)"

/* Where each kind's rows go. */
static const struct {
	const char *clear, *insert;
	void (*bind)(struct stmt *, const struct codes_file *, size_t);
} rows_of[KIND_COUNT] = {
	[KIND_CM] = { "DELETE FROM codes WHERE set_id = ?", INSERT_CODE, bind_code },
	[KIND_PCS] = { "DELETE FROM codes WHERE set_id = ?", INSERT_CODE, bind_code },
	[KIND_POA] = { "DELETE FROM poa_exempt WHERE set_id = ?", "INSERT INTO poa_exempt (set_id, code) VALUES (?, ?)",
		       bind_poa },
	[KIND_MCE] = { "DELETE FROM code_tables WHERE set_id = ?", INSERT_TABLES, bind_blob },
	[KIND_DRG] = { "DELETE FROM code_tables WHERE set_id = ?", INSERT_TABLES, bind_blob },
	[KIND_WEIGHTS] = { "DELETE FROM drg_weights WHERE set_id = ?", "INSERT INTO drg_weights (set_id, drg,"
			   " weight_e4, gmlos_e4, amlos_e4) VALUES (?, ?, ?, ?, ?)", bind_weight },
};

/* The set's row, new or updated, and its old rows gone. */
static int set_replace(const struct writer *w, const struct codes_file *f, const char *hash, int64_t *id,
		       struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if (*id && (rc = store_exec_id(w->st, rows_of[f->kind].clear, *id, e)))
		return rc;
	if ((rc = stmt_prepare(w->st, *id ? "UPDATE code_sets SET version = ?1, source = ?2, content_hash = ?3,"
					    " n_valid = ?4, n_header = ?5, loaded_at = ?6, loaded_by = ?7 WHERE id = ?8"
					  : "INSERT INTO code_sets (version, source, content_hash, n_valid, n_header,"
					    " loaded_at, loaded_by, kind, fy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10)",
			       &s, e)))
		return rc;
	stmt_bind_text(s, 1, f->info->version);
	stmt_bind_text(s, 2, f->info->source);
	stmt_bind_text(s, 3, hash);
	stmt_bind_int64(s, 4, f->info->n_valid);
	stmt_bind_int64(s, 5, f->info->n_header);
	stmt_bind_text(s, 6, w->now);
	stmt_bind_text(s, 7, w->user);
	if (*id) {
		stmt_bind_int64(s, 8, *id);
	} else {
		stmt_bind_text(s, 9, codes_kind_name(f->kind));
		stmt_bind_int64(s, 10, f->fy);
	}
	rc = step_done(s, e);
	stmt_finalize(s);
	if (rc == FOLIO_OK && !*id)
		*id = store_last_rowid(w->st);
	str_copy(f->info->loaded_at, sizeof f->info->loaded_at, w->now);
	str_copy(f->info->loaded_by, sizeof f->info->loaded_by, w->user);
	return rc;
}

/* Inserts f's rows (a packed table is one row) with one prepared statement. */
static int put_rows(const struct writer *w, const struct codes_file *f, int64_t id, struct folio_err *e)
{
	size_t n = f->blob ? 1 : f->n;
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(w->st, rows_of[f->kind].insert, &s, e)))
		return rc;
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++) {
		stmt_bind_int64(s, 1, id);
		rows_of[f->kind].bind(s, f, i);
		rc = step_done(s, e);
		stmt_reset(s);
		if ((i + 1) % PROGRESS_ROWS == 0)
			progress(w, f, i + 1);
	}
	stmt_finalize(s);
	return rc;
}

static int put_set(const struct writer *w, const struct codes_file *f, struct folio_err *e)
{
	char hash[17];
	int64_t id;
	int same, rc;

	snprintf(hash, sizeof hash, "%016" PRIx64, f->hash);
	if ((rc = set_row(w, f, hash, &id, &same, e)))
		return rc;
	f->info->unchanged = same;
	if (same)
		return FOLIO_OK;
	if ((rc = set_replace(w, f, hash, &id, e)) || (rc = put_rows(w, f, id, e)))
		return rc;
	progress(w, f, f->n ? f->n : 1);
	return rc;
}

int codes_load_store(struct grant *g, struct codes_load *l, codes_progress_fn fn, void *ctx,
		     struct folio_err *e)
{
	struct writer w = { grant_store(g), fn, ctx, "", session_user(grant_session(g)) };
	int rc = FOLIO_OK;

	if (grant_action(g) != ACT_CODES_LOAD)
		return err_set(e, FOLIO_EDENIED, "loading code sets needs its own grant");
	time_utc_now(w.now, sizeof w.now);
	for (size_t i = 0; i < l->n && rc == FOLIO_OK; i++)
		rc = put_set(&w, &l->files[i], e);
	return rc;
}

/* ---- reading -------------------------------------------------------------------- */

static void fill_info(struct stmt *s, struct codes_set_info *x)
{
	memset(x, 0, sizeof *x);
	str_copy(x->kind, sizeof x->kind, stmt_text(s, 0));
	for (int k = 0; k < KIND_COUNT; k++)
		if (strcmp(x->kind, codes_kind_name((enum codes_kind)k)) == 0)
			str_copy(x->title, sizeof x->title, codes_kind_title((enum codes_kind)k));
	x->fy = (int)stmt_int64(s, 1);
	str_copy(x->version, sizeof x->version, stmt_text(s, 2));
	str_copy(x->source, sizeof x->source, stmt_text(s, 3));
	x->n_valid = (long)stmt_int64(s, 4);
	x->n_header = (long)stmt_int64(s, 5);
	str_copy(x->loaded_at, sizeof x->loaded_at, stmt_text(s, 6));
	str_copy(x->loaded_by, sizeof x->loaded_by, stmt_text(s, 7));
	x->bytes = (size_t)stmt_int64(s, 8);
}

#define SET_COLUMNS "kind, fy, version, source, n_valid, n_header, loaded_at, loaded_by," \
	" coalesce((SELECT length(blob) FROM code_tables t WHERE t.set_id = code_sets.id), 0), id"

int codes_sets(struct grant *g, struct codes_set_info *out, size_t max, size_t *n, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	*n = 0;
	if ((rc = may_read(g, e)) || (rc = stmt_prepare(grant_store(g), "SELECT " SET_COLUMNS " FROM code_sets"
				      " ORDER BY CASE kind WHEN 'icd10cm' THEN 0 WHEN 'icd10pcs' THEN 1"
				      " WHEN 'poa_exempt' THEN 2 WHEN 'mce' THEN 3 WHEN 'msdrg' THEN 4 ELSE 5 END, fy",
				      &s, e)))
		return rc;
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		if (*n < max)
			fill_info(s, &out[*n]);
		(*n)++;
	}
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The set of kind for FY fy (0: the latest): its id, with *info filled
 * when given.  FOLIO_ENOTFOUND says what is loaded and how to load. */
static int set_find(struct grant *g, enum codes_kind kind, int fy, int64_t *id, struct codes_set_info *info,
		    struct folio_err *e)
{
	char have[96] = "";
	struct stmt *s;
	int rc;

	if ((rc = may_read(g, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT " SET_COLUMNS " FROM code_sets WHERE kind = ?1"
				      " AND (fy = ?2 OR ?2 = 0) ORDER BY fy DESC LIMIT 1", &s, e)))
		return rc;
	stmt_bind_text(s, 1, codes_kind_name(kind));
	stmt_bind_int64(s, 2, fy);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		if (info)
			fill_info(s, info);
		*id = stmt_int64(s, 9);
	}
	stmt_finalize(s);
	if (rc == STMT_ROW)
		return FOLIO_OK;
	if (rc != STMT_DONE)
		return rc;
	/* what is there instead */
	if (stmt_prepare(grant_store(g), "SELECT fy FROM code_sets WHERE kind = ? ORDER BY fy", &s, e) == FOLIO_OK) {
		stmt_bind_text(s, 1, codes_kind_name(kind));
		while (stmt_step(s, e) == STMT_ROW) {
			size_t o = strlen(have);
			snprintf(have + o, sizeof have - o, "%sFY%d", o ? ", " : "", (int)stmt_int64(s, 0));
		}
		stmt_finalize(s);
	}
	{
		char for_fy[16] = "", loaded[128] = "";
		if (fy)
			snprintf(for_fy, sizeof for_fy, " for FY%d", fy);
		if (have[0])
			snprintf(loaded, sizeof loaded, " (loaded: %s)", have);
		if (kind == KIND_WEIGHTS)
			return err_set(e, FOLIO_ENOTFOUND, "no DRG weights are loaded%s%s: CMS does not ship them with"
				       " the tables; run folio codes load DIR --weights FILE (drg, weight, gmlos, amlos)",
				       for_fy, loaded);
		return err_set(e, FOLIO_ENOTFOUND, "no %s are loaded%s%s; run folio codes load DIR",
			       codes_kind_title(kind), for_fy, loaded);
	}
}

int codes_latest_fy(struct grant *g, enum codes_system sys, struct folio_err *e)
{
	struct codes_set_info info;
	int64_t id;

	if (set_find(g, kind_of(sys), 0, &id, &info, e) != FOLIO_OK)
		return 0;
	return info.fy;
}

/* Builds the index from rows copied out of the database: one text buffer,
 * offsets turned into pointers once it stops growing. */
struct rowbuf {
	struct codes_row *rows;
	size_t n, cap;
	char *text;
	size_t len, tcap;
};

static int rowbuf_add(struct rowbuf *b, const char *code, int billable, const char *sd, const char *ld)
{
	size_t cl = strlen(code), sl = strlen(sd), ll = strlen(ld);

	if (cl >= CODES_CODE_MAX)
		return -1;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		struct codes_row *r = realloc(b->rows, cap * sizeof *r);
		if (!r)
			return -1;
		b->rows = r;
		b->cap = cap;
	}
	if (b->len + sl + ll > b->tcap) {
		size_t cap = b->tcap ? b->tcap : 1 << 20;
		while (cap < b->len + sl + ll)
			cap *= 2;
		char *t = realloc(b->text, cap);
		if (!t)
			return -1;
		b->text = t;
		b->tcap = cap;
	}
	struct codes_row *r = &b->rows[b->n++];
	memset(r, 0, sizeof *r);
	memcpy(r->code, code, cl + 1);
	r->billable = billable;
	/* offsets for now: the buffer may still move */
	r->short_desc = (const char *)(uintptr_t)b->len;
	r->short_len = sl;
	memcpy(b->text + b->len, sd, sl);
	b->len += sl;
	r->long_desc = (const char *)(uintptr_t)b->len;
	r->long_len = ll;
	memcpy(b->text + b->len, ld, ll);
	b->len += ll;
	return 0;
}

int codes_index_open(struct grant *g, enum codes_system sys, int fy, struct codes_index **out,
		     struct folio_err *e)
{
	struct codes_set_info info;
	struct rowbuf b = { 0 };
	struct stmt *s;
	int64_t id;
	int rc;

	*out = NULL;
	if ((rc = set_find(g, kind_of(sys), fy, &id, &info, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT code, billable, short_desc, long_desc FROM codes"
				      " WHERE set_id = ? ORDER BY code", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	while ((rc = stmt_step(s, e)) == STMT_ROW)
		if (rowbuf_add(&b, stmt_text(s, 0), (int)stmt_int64(s, 1), stmt_text(s, 2), stmt_text(s, 3)) != 0) {
			rc = err_set(e, FOLIO_EFAIL, "out of memory reading the %s FY%d codes", codes_system_name(sys),
				     info.fy);
			break;
		}
	stmt_finalize(s);
	if (rc == STMT_DONE) {
		for (size_t i = 0; i < b.n; i++) {
			b.rows[i].short_desc = b.text + (uintptr_t)b.rows[i].short_desc;
			b.rows[i].long_desc = b.text + (uintptr_t)b.rows[i].long_desc;
		}
		rc = codes_index_build(sys, info.fy, b.rows, b.n, out, e);
	}
	free(b.rows);
	free(b.text);
	return rc;
}

int codes_get(struct grant *g, enum codes_system sys, int fy, const char *code, struct codes_info *out,
	      struct folio_err *e)
{
	struct stmt *s;
	int64_t id;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = set_find(g, kind_of(sys), fy, &id, NULL, e)))
		return rc;
	if (codes_normalize(code, out->code) != 0)
		return FOLIO_OK;
	if ((rc = stmt_prepare(grant_store(g), "SELECT billable, short_desc, long_desc FROM codes"
				      " WHERE set_id = ? AND code = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, out->code);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		out->exists = 1;
		out->billable = (int)stmt_int64(s, 0);
		str_copy(out->short_desc, sizeof out->short_desc, stmt_text(s, 1));
		str_copy(out->long_desc, sizeof out->long_desc, stmt_text(s, 2));
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int codes_poa_exempt(struct grant *g, int fy, const char *code, int *exempt, struct folio_err *e)
{
	char c[CODES_CODE_MAX];
	struct stmt *s;
	int64_t id;
	int rc;

	*exempt = 0;
	if ((rc = set_find(g, KIND_POA, fy, &id, NULL, e)))
		return rc;
	if (codes_normalize(code, c) != 0)
		return FOLIO_OK;
	if ((rc = stmt_prepare(grant_store(g), "SELECT 1 FROM poa_exempt WHERE set_id = ? AND code = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, c);
	rc = stmt_step(s, e);
	*exempt = rc == STMT_ROW;
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int codes_tables_fetch(struct grant *g, enum codes_tables which, int fy, unsigned char **blob, size_t *len,
		       struct codes_set_info *info, struct folio_err *e)
{
	struct codes_set_info local;
	struct stmt *s;
	int64_t id;
	int rc;

	*blob = NULL;
	*len = 0;
	if (!info)
		info = &local;
	if ((rc = set_find(g, which == CODES_TABLES_DRG ? KIND_DRG : KIND_MCE, fy, &id, info, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT blob FROM code_tables WHERE set_id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		size_t n;
		const void *p = stmt_blob(s, 0, &n);
		if ((*blob = malloc(n ? n : 1))) {
			if (n)
				memcpy(*blob, p, n);
			*len = n;
			rc = FOLIO_OK;
		} else {
			rc = err_set(e, FOLIO_EFAIL, "out of memory");
		}
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_EFAIL, "the %s for FY%d have no data: load them again", info->title, info->fy);
	}
	stmt_finalize(s);
	return rc;
}

int codes_drg_weight(struct grant *g, int fy, int drg, struct codes_weight *w, struct folio_err *e)
{
	struct codes_set_info info;
	struct stmt *s;
	int64_t id;
	int rc;

	memset(w, 0, sizeof *w);
	if ((rc = set_find(g, KIND_WEIGHTS, fy, &id, &info, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT weight_e4, gmlos_e4, amlos_e4 FROM drg_weights"
				      " WHERE set_id = ? AND drg = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, drg);
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		w->drg = drg;
		w->weight = (double)stmt_int64(s, 0) / E4;
		w->gmlos = (double)stmt_int64(s, 1) / E4;
		w->amlos = (double)stmt_int64(s, 2) / E4;
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "DRG %03d has no weight in the FY%d weights", drg, info.fy);
	}
	stmt_finalize(s);
	return rc;
}
