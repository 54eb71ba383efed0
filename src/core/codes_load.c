/* folio — the first half of `codes load`: find the code-set files under a
 * directory, read them whole and check every line, with no database at all
 * (include/folio/codes.h, codes_load_read).  Any malformed line refuses the
 * whole load with "FILE:LINE: what is wrong"; nothing here writes.
 *
 * What is looked for, in DIR and its immediate subdirectories:
 *   icd10cm_order_YYYY.txt[.xz], icd10pcs_order_YYYY.txt[.xz]  (FY YYYY)
 *   POAexemptCodesFYNN.txt[.xz]                               (FY 20NN)
 *   mce_vNN/, msdrg_vNN/  (version NN is FY 1983+NN: v43 is FY2026)
 *   drg_weights*.tsv      (unless --weights FILE names one)
 * The addenda files (icd10cm_order_addenda_2026.txt ...) do not match. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "codes_internal.h"
#include "folio/drg.h"
#include "folio/mce.h"

#define PROGRESS_ROWS 8192
#define MAX_FILES 64

static const char *const kind_names[KIND_COUNT] = { "icd10cm", "icd10pcs", "poa_exempt", "mce", "msdrg",
						    "drg_weights" };
static const char *const kind_titles[KIND_COUNT] = { "ICD-10-CM codes", "ICD-10-PCS codes", "POA-exempt codes",
						     "MCE tables", "MS-DRG tables", "DRG weights" };

const char *codes_kind_name(enum codes_kind k)
{
	return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

const char *codes_kind_title(enum codes_kind k)
{
	return (unsigned)k < KIND_COUNT ? kind_titles[k] : "?";
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- finding the files ---------------------------------------------------- */

/* The number of `digits` digits after prefix when name is
 * PREFIX<digits><one of the suffixes>; -1 otherwise. */
static int name_number(const char *name, const char *prefix, int digits, const char *const *suffixes)
{
	size_t p = strlen(prefix);
	int v = 0;

	if (strncmp(name, prefix, p) != 0)
		return -1;
	for (int i = 0; i < digits; i++) {
		char ch = name[p + (size_t)i];
		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	for (; *suffixes; suffixes++)
		if (strcmp(name + p + (size_t)digits, *suffixes) == 0)
			return v;
	return -1;
}

static const char *const txt_suffixes[] = { ".txt", ".txt.xz", NULL };
static const char *const no_suffix[] = { "", NULL };

/* A year 20NN standing alone in a name ("drg_weights_FY2026.tsv"), or 0. */
static int year_in_name(const char *name)
{
	for (const char *p = name; *p; p++)
		if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
		    !(p[4] >= '0' && p[4] <= '9') && (p == name || !(p[-1] >= '0' && p[-1] <= '9')))
			return atoi(p);
	return 0;
}

/* What a file or directory name is: its kind and FY (0 for a weights file
 * without a year in its name), or -1. */
static int classify(const char *name, int is_dir, enum codes_kind *kind, int *fy)
{
	int v;

	if (is_dir) {
		if ((v = name_number(name, "mce_v", 2, no_suffix)) >= 0)
			*kind = KIND_MCE;
		else if ((v = name_number(name, "msdrg_v", 2, no_suffix)) >= 0)
			*kind = KIND_DRG;
		else
			return -1;
		*fy = 1983 + v;
		return 0;
	}
	if ((v = name_number(name, "icd10cm_order_", 4, txt_suffixes)) >= 0)
		*kind = KIND_CM;
	else if ((v = name_number(name, "icd10pcs_order_", 4, txt_suffixes)) >= 0)
		*kind = KIND_PCS;
	else if ((v = name_number(name, "POAexemptCodesFY", 2, txt_suffixes)) >= 0)
		v += 2000, *kind = KIND_POA;
	else {
		size_t n = strlen(name);
		if (strncmp(name, "drg_weights", 11) != 0 || n < 15 || strcmp(name + n - 4, ".tsv") != 0)
			return -1;
		*kind = KIND_WEIGHTS;
		v = year_in_name(name);
	}
	*fy = v;
	return v == 0 || (v >= 2000 && v <= 2999) ? 0 : -1;
}

struct scan {
	struct codes_file *files;
	size_t n;
	int want_weights;
};

static int add_found(struct scan *sc, enum codes_kind kind, int fy, const char *path, struct folio_err *e)
{
	for (size_t i = 0; i < sc->n; i++) {
		if (sc->files[i].kind != kind || sc->files[i].fy != fy)
			continue;
		if (fy == 0)
			return err_set(e, FOLIO_EFAIL, "two %s files without a year in their names: %s and %s; keep one",
				       codes_kind_title(kind), sc->files[i].path, path);
		return err_set(e, FOLIO_EFAIL, "two %s files for FY%d: %s and %s; keep one", codes_kind_title(kind), fy,
			       sc->files[i].path, path);
	}
	if (sc->n == MAX_FILES)
		return err_set(e, FOLIO_EFAIL, "more than %d code-set files under the directory", MAX_FILES);
	struct codes_file *f = &sc->files[sc->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->fy = fy;
	str_copy(f->path, sizeof f->path, path);
	return FOLIO_OK;
}

/* Scans dir (depth 0: and its immediate subdirectories). */
static int scan_dir(struct scan *sc, const char *dir, int depth, struct folio_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = FOLIO_OK;

	if (!d)
		return err_set(e, errno == ENOENT ? FOLIO_ENOTFOUND : FOLIO_EFAIL, "cannot open the directory %s: %s",
			       dir, strerror(errno));
	while (rc == FOLIO_OK && (de = readdir(d))) {
		char path[512];
		struct stat st;
		enum codes_kind kind;
		int fy, w;

		if (de->d_name[0] == '.')
			continue;
		w = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (w < 0 || (size_t)w >= sizeof path - 3 || stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth > 0)
				continue;
			if (classify(de->d_name, 1, &kind, &fy) == 0)
				rc = add_found(sc, kind, fy, path, e);
			else
				rc = scan_dir(sc, path, 1, e);
		} else if (S_ISREG(st.st_mode) && classify(de->d_name, 0, &kind, &fy) == 0) {
			if (kind != KIND_WEIGHTS || sc->want_weights)
				rc = add_found(sc, kind, fy, path, e);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	const struct codes_file *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->fy - y->fy;
}

/* ---- reading --------------------------------------------------------------- */

struct reader {
	codes_progress_fn fn;
	void *ctx;
};

static void progress(const struct reader *r, const char *path, size_t done, size_t total, size_t rows)
{
	if (r->fn) {
		struct codes_progress p = { base_name(path), "reading", done, total, rows };
		r->fn(r->ctx, &p);
	}
}

/* A set of codes seen in a file: open addressing over code strings. */
struct seen {
	const char **slot;
	size_t cap;
};

static int seen_init(struct seen *s, size_t n)
{
	s->cap = 16;
	while (s->cap < n * 2)
		s->cap *= 2;
	s->slot = calloc(s->cap, sizeof *s->slot);
	return s->slot ? 0 : -1;
}

/* Adds code (which must outlive the set); 1 when it was there already. */
static int seen_add(struct seen *s, const char *code)
{
	size_t h = (size_t)codes_fnv(CODES_FNV_INIT, code, strlen(code)) & (s->cap - 1);

	while (s->slot[h]) {
		if (strcmp(s->slot[h], code) == 0)
			return 1;
		h = (h + 1) & (s->cap - 1);
	}
	s->slot[h] = code;
	return 0;
}

static int count_lines(const struct textfile *t)
{
	size_t n = 1;
	for (const char *p = t->data; (p = memchr(p, '\n', t->len - (size_t)(p - t->data))); p++)
		n++;
	return n > (size_t)INT32_MAX ? -1 : (int)n;
}

static int read_text(struct codes_file *f, const struct reader *r, struct folio_err *e)
{
	int rc;

	progress(r, f->path, 0, 1, 0); /* decompression takes a moment too */
	rc = textfile_read(NULL, f->path, &f->text, e);

	if (rc == FOLIO_OK) {
		str_copy(f->path, sizeof f->path, f->text.path);
		f->hash = codes_fnv(CODES_FNV_INIT, f->text.data, f->text.len);
	}
	return rc;
}

/* The rows of the ICD-10-CM file of FY fy in this load, or NULL. */
static const struct codes_file *cm_of(const struct codes_load *l, int fy)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->files[i].kind == KIND_CM && l->files[i].fy == fy)
			return &l->files[i];
	return NULL;
}

/* A weights file without a year in its name is for the FY of the one set
 * of MS-DRG tables in this load. */
static int weights_fy(struct codes_file *f, const struct codes_load *ld, struct folio_err *e)
{
	int drg_fy = 0, ndrg = 0;

	if (f->fy)
		return FOLIO_OK;
	for (size_t i = 0; i < ld->n; i++)
		if (ld->files[i].kind == KIND_DRG) {
			drg_fy = ld->files[i].fy;
			ndrg++;
		}
	if (ndrg != 1)
		return err_set(e, FOLIO_EFAIL, "%s: which fiscal year are these weights for? Put the year in the file"
			       " name (drg_weights_2026.tsv)", f->path);
	f->fy = drg_fy;
	return FOLIO_OK;
}

/* What the line handlers of one file share. */
struct lines {
	enum codes_system sys;
	struct seen seen;              /* codes so far */
	const struct codes_file *cm;   /* POA: the same FY's ICD-10-CM file, if loaded now */
	struct seen billable;          /* POA: its billable codes */
	unsigned char have[1000];      /* weights: DRGs so far */
};

/* Each handler takes one line as row f->n (then counts it) or skips it;
 * a refusal leaves the reason in le, without FILE:LINE. */
typedef int (*line_fn)(struct codes_file *f, const struct textline *l, struct lines *c, struct folio_err *le);

static int order_line(struct codes_file *f, const struct textline *l, struct lines *c, struct folio_err *le)
{
	struct codes_row *row = &f->rows[f->n];
	int rc = codes_order_line(c->sys, l->p, l->len, row, le);

	if (rc)
		return rc;
	if (seen_add(&c->seen, row->code))
		return err_set(le, FOLIO_EUSAGE, "code %s is listed twice", row->code);
	if (row->billable)
		f->info->n_valid++;
	else
		f->info->n_header++;
	f->n++;
	return FOLIO_OK;
}

/* Each POA-exempt code must be a billable code of the same FY's ICD-10-CM
 * set when this load holds it (hashed once: the lists are 38,000 and
 * 98,000 long). */
static int poa_line(struct codes_file *f, const struct textline *l, struct lines *c, struct folio_err *le)
{
	char *code = f->poa[f->n];
	int rc = codes_poa_line(l->p, l->len, code, le);

	if (rc || !code[0])
		return rc;
	if (seen_add(&c->seen, code))
		return err_set(le, FOLIO_EUSAGE, "code %s is listed twice", code);
	if (c->cm && !seen_add(&c->billable, code))
		return err_set(le, FOLIO_EUSAGE, "%s is not a valid ICD-10-CM FY%d code", code, f->fy);
	f->info->n_valid++;
	f->n++;
	return FOLIO_OK;
}

static int weight_line(struct codes_file *f, const struct textline *l, struct lines *c, struct folio_err *le)
{
	struct codes_weight *w = &f->weights[f->n];
	int rc = codes_weight_line(l->p, l->len, w, le);

	if (rc || w->drg == 0)
		return rc;
	if (c->have[w->drg]++)
		return err_set(le, FOLIO_EUSAGE, "DRG %03d is listed twice", w->drg);
	f->info->n_valid++;
	f->n++;
	return FOLIO_OK;
}

/* Hands each line of f's text to fn; a refusal becomes "FILE:LINE: why". */
static int read_lines(struct codes_file *f, const struct reader *r, line_fn fn, struct lines *c, struct folio_err *e)
{
	struct textline l = { 0 };

	while (textfile_next(&f->text, &l)) {
		struct folio_err le = { 0 };
		size_t before = f->n;
		if (l.len == 0 && l.off >= f->text.len)
			break; /* a final empty line */
		if (fn(f, &l, c, &le) != FOLIO_OK)
			return err_set(e, FOLIO_EFAIL, "%s:%u: %s", f->path, l.lineno, le.msg);
		if (f->n != before && f->n % PROGRESS_ROWS == 0)
			progress(r, f->path, l.off, f->text.len, f->n);
	}
	if (f->n == 0)
		return err_set(e, FOLIO_EFAIL, "%s: no %s in the file", f->path, codes_kind_title(f->kind));
	progress(r, f->path, f->text.len, f->text.len, f->n);
	return FOLIO_OK;
}

/* An order file, the POA-exempt list or a weights file. */
static int read_text_set(struct codes_file *f, const struct codes_load *ld, const struct reader *r,
			 struct folio_err *e)
{
	struct lines *c = calloc(1, sizeof *c);
	line_fn fn;
	int rc, lines, ok;

	if (!c)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if ((rc = read_text(f, r, e)) || (f->kind == KIND_WEIGHTS && (rc = weights_fy(f, ld, e)))) {
		free(c);
		return rc;
	}
	lines = count_lines(&f->text);
	switch (f->kind) {
	case KIND_CM:
	case KIND_PCS:
		c->sys = f->kind == KIND_PCS ? CODES_ICD10PCS : CODES_ICD10CM;
		fn = order_line;
		ok = lines > 0 && (f->rows = malloc((size_t)lines * sizeof *f->rows)) &&
		     seen_init(&c->seen, (size_t)lines) == 0;
		break;
	case KIND_POA:
		c->cm = cm_of(ld, f->fy);
		fn = poa_line;
		ok = lines > 0 && (f->poa = malloc((size_t)lines * sizeof *f->poa)) &&
		     seen_init(&c->seen, (size_t)lines) == 0 && (!c->cm || seen_init(&c->billable, c->cm->n) == 0);
		for (size_t i = 0; ok && c->cm && i < c->cm->n; i++)
			if (c->cm->rows[i].billable)
				seen_add(&c->billable, c->cm->rows[i].code);
		break;
	default:
		fn = weight_line;
		ok = lines > 0 && (f->weights = malloc((size_t)lines * sizeof *f->weights));
		break;
	}
	rc = ok ? read_lines(f, r, fn, c, e) : err_set(e, FOLIO_EFAIL, "out of memory reading %s", f->path);
	free(c->seen.slot);
	free(c->billable.slot);
	free(c);
	return rc;
}

static int read_tables(struct codes_file *f, const struct reader *r, struct folio_err *e)
{
	int rc;

	progress(r, f->path, 0, 1, 0);
	if (f->kind == KIND_MCE) {
		struct mce_tables *t = NULL;
		if ((rc = mce_tables_load(f->path, &t, e)) == FOLIO_OK)
			rc = mce_tables_pack(t, &f->blob, &f->blob_len, e);
		mce_tables_free(t);
		snprintf(f->info->version, sizeof f->info->version, "MCE v%02d", f->fy - 1983);
	} else {
		struct drg_tables *t = NULL;
		if ((rc = drg_tables_load(f->path, &t, e)) == FOLIO_OK)
			rc = drg_tables_pack(t, &f->blob, &f->blob_len, e);
		drg_tables_free(t);
		str_copy(f->info->version, sizeof f->info->version, DRG_GROUPER_VERSION);
	}
	if (rc)
		return rc == FOLIO_ENOTFOUND ? FOLIO_EFAIL : rc;
	f->hash = codes_fnv(CODES_FNV_INIT, f->blob, f->blob_len);
	f->info->bytes = f->blob_len;
	progress(r, f->path, 1, 1, 0);
	return FOLIO_OK;
}

/* ---- the whole load ---------------------------------------------------------- */

void codes_load_free(struct codes_load *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct codes_file *f = &l->files[i];
		textfile_free(&f->text);
		free(f->rows);
		free(f->poa);
		free(f->weights);
		free(f->blob);
	}
	free(l->files);
	free(l->infos);
	free(l);
}

size_t codes_load_summary(const struct codes_load *l, const struct codes_set_info **sets)
{
	*sets = l->infos;
	return l->n;
}

static int read_one(struct codes_file *f, const struct codes_load *l, const struct reader *r,
		    struct folio_err *e)
{
	if (f->kind == KIND_MCE || f->kind == KIND_DRG)
		return read_tables(f, r, e);
	return read_text_set(f, l, r, e);
}

int codes_load_read(const char *dir, const char *weights_file, codes_progress_fn fn, void *ctx,
		    struct codes_load **out, struct folio_err *e)
{
	struct codes_load *l = calloc(1, sizeof *l);
	struct scan sc = { 0 };
	struct reader r = { fn, ctx };
	int rc;

	*out = NULL;
	if (!l || !(sc.files = calloc(MAX_FILES, sizeof *sc.files))) {
		free(l);
		return err_set(e, FOLIO_EFAIL, "out of memory");
	}
	sc.want_weights = weights_file == NULL;
	rc = scan_dir(&sc, dir, 0, e);
	if (rc == FOLIO_OK && weights_file) {
		struct stat st;
		if (stat(weights_file, &st) != 0 || !S_ISREG(st.st_mode))
			rc = err_set(e, FOLIO_ENOTFOUND, "cannot read the weights file %s", weights_file);
		else
			rc = add_found(&sc, KIND_WEIGHTS, year_in_name(base_name(weights_file)), weights_file, e);
	}
	l->files = sc.files;
	l->n = sc.n;
	if (rc == FOLIO_OK && l->n == 0)
		rc = err_set(e, FOLIO_ENOTFOUND, "no code sets in %s or its subdirectories (looked for"
			     " icd10cm_order_YYYY.txt[.xz], icd10pcs_order_YYYY.txt[.xz], POAexemptCodesFYNN.txt[.xz],"
			     " mce_vNN/, msdrg_vNN/)", dir);
	if (rc == FOLIO_OK && !(l->infos = calloc(l->n, sizeof *l->infos)))
		rc = err_set(e, FOLIO_EFAIL, "out of memory");
	if (rc) {
		codes_load_free(l);
		return rc;
	}
	/* order files before the POA list (checked against them) and the
	 * tables before the weights (which may take their FY) */
	qsort(l->files, l->n, sizeof *l->files, cmp_file);
	for (size_t i = 0; i < l->n && rc == FOLIO_OK; i++) {
		struct codes_file *f = &l->files[i];
		f->info = &l->infos[i];
		rc = read_one(f, l, &r, e);
		str_copy(f->info->kind, sizeof f->info->kind, codes_kind_name(f->kind));
		str_copy(f->info->title, sizeof f->info->title, codes_kind_title(f->kind));
		str_copy(f->info->source, sizeof f->info->source, base_name(f->path));
		f->info->fy = f->fy;
	}
	if (rc) {
		codes_load_free(l);
		return rc;
	}
	*out = l;
	return FOLIO_OK;
}
