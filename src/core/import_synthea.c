/* folio — importing a Synthea CSV export (include/folio/synthea.h): the
 * run in steps (one grant, one transaction each), the files in order, and
 * patients and encounters.  Clinical rows are in import_synthea_rows.c.
 *
 * Speed comes from doing each thing once (issue 8; tests/bench/bench_import.c
 * measures it): one guarded block for the whole run (rows are unquoted into
 * it, items built in it), the per-row statements held for a step, item and
 * encounter ids assigned in the write transaction so a row is sealed and
 * inserted in one statement, a row's source key claimed in one statement
 * once the row has passed its checks (not looked up, then recorded), steps
 * of 100,000 rows (a step's commit rewrites every page it touched, and the
 * keyed index is touched all over), and the last patient and encounter
 * looked up remembered (rows come grouped by them). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/import.h"
#include "folio/smem.h"
#include "folio/textfile.h"
#include "import_synthea_internal.h"

/* rows read per step (one grant, one transaction, one audit row); the
 * progress bar moves once a step */
#define BATCH_PATIENTS 5000
#define BATCH_ROWS 100000

static void note(struct synthea_import *imp, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void note(struct synthea_import *imp, const char *fmt, ...)
{
	char msg[FOLIO_ERR_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (imp->h.note)
		imp->h.note(imp->h.ctx, msg);
}

void syn_skip(struct synthea_import *imp, unsigned line, const char *why)
{
	imp->r.f[imp->file].skipped++;
	note(imp, "%s:%u: %s", synthea_file_name(imp->file), line, why);
}

void syn_warn(struct synthea_import *imp, unsigned line, const char *what)
{
	note(imp, "%s:%u: %s", synthea_file_name(imp->file), line, what);
}

static void encmap_clear(struct synthea_import *imp);

/* ---- occurrences of a key within one file ------------------------------ */

static uint64_t key_hash(const struct synthea_import *imp, const char *s)
{
	uint64_t h = imp->seed;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

unsigned syn_occurrence(struct synthea_import *imp, const char *key)
{
	uint64_t h = key_hash(imp, key);
	size_t i;

	if (imp->occ_used * 2 >= imp->occ_cap) {
		size_t cap = imp->occ_cap ? imp->occ_cap * 2 : 4096;
		struct syn_occ *t = calloc(cap, sizeof *t);
		if (!t)
			return 0;
		for (size_t j = 0; j < imp->occ_cap; j++) {
			if (!imp->occ[j].h)
				continue;
			for (i = imp->occ[j].h & (cap - 1); t[i].h; i = (i + 1) & (cap - 1))
				;
			t[i] = imp->occ[j];
		}
		free(imp->occ);
		imp->occ = t;
		imp->occ_cap = cap;
	}
	for (i = h & (imp->occ_cap - 1); imp->occ[i].h && imp->occ[i].h != h; i = (i + 1) & (imp->occ_cap - 1))
		;
	if (!imp->occ[i].h) {
		imp->occ[i].h = h;
		imp->occ_used++;
	}
	return ++imp->occ[i].n;
}

/* ---- opening and closing ------------------------------------------------ */

static size_t disk_size(const char *dir, const char *name)
{
	char p[1100];
	struct stat sb;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (stat(p, &sb) == 0)
		return (size_t)sb.st_size;
	snprintf(p, sizeof p, "%s/%s.xz", dir, name);
	return stat(p, &sb) == 0 ? (size_t)sb.st_size * 8 : 0; /* about what it unpacks to */
}

int synthea_import_open(const char *dir, const struct synthea_hooks *h, struct synthea_import **out,
			struct folio_err *e)
{
	struct synthea_import *imp;
	struct stat sb;

	*out = NULL;
	if (!dir || !*dir || strlen(dir) >= sizeof imp->dir || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, FOLIO_ENOTFOUND, "no such directory");
	if (!disk_size(dir, synthea_file_name(SYN_PATIENTS)))
		return err_set(e, FOLIO_ENOTFOUND, "no patients.csv in that directory: not a Synthea CSV export");
	if (!(imp = calloc(1, sizeof *imp)))
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if (!(imp->gm = smem_alloc(sizeof *imp->gm))) {
		free(imp);
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	str_copy(imp->dir, sizeof imp->dir, dir);
	if (h)
		imp->h = *h;
	imp->batch_patients = BATCH_PATIENTS;
	imp->batch_rows = BATCH_ROWS;
	imp->seed = 0xcbf29ce484222325ULL ^ ((uint64_t)(uintptr_t)imp << 7) ^ (uint64_t)time_now();
	for (int f = 0; f < SYN_FILES; f++) {
		imp->size[f] = disk_size(dir, synthea_file_name(f));
		imp->r.bytes_total += imp->size[f];
	}
	*out = imp;
	return FOLIO_OK;
}

int synthea_import_batch(struct synthea_import *imp, long patients, long rows)
{
	if (patients < 1 || rows < 1 || patients > BATCH_PATIENTS || rows > BATCH_ROWS)
		return -1;
	imp->batch_patients = patients;
	imp->batch_rows = rows;
	return 0;
}

static void file_close(struct synthea_import *imp)
{
	if (!imp->open)
		return;
	smem_wipe(imp->tf.data, imp->tf.len);
	textfile_free(&imp->tf);
	imp->open = 0;
	free(imp->occ);
	imp->occ = NULL;
	imp->occ_cap = imp->occ_used = 0;
}

void synthea_import_free(struct synthea_import *imp)
{
	if (!imp)
		return;
	file_close(imp);
	encmap_clear(imp);
	smem_free(imp->gm);
	free(imp);
}

const struct synthea_report *synthea_import_report(const struct synthea_import *imp)
{
	return &imp->r;
}

/* Opens the current file or moves past absent ones; 0 when one is open or
 * all are done, else a failure to read. */
static int file_next(struct synthea_import *imp, struct folio_err *e)
{
	struct folio_err e2 = { 0 };
	char why[96];
	int rc;

	while (!imp->open && imp->file < SYN_FILES) {
		const char *name = synthea_file_name(imp->file);
		rc = textfile_read(imp->dir, name, &imp->tf, &e2);
		if (rc == FOLIO_ENOTFOUND) {
			note(imp, "%s absent: skipped", name);
			imp->file++;
			continue;
		}
		if (rc)
			return err_set(e, rc, "%s: %s", name, e2.msg);
		imp->open = 1;
		imp->r.f[imp->file].present = 1;
		csv_open(&imp->csv, imp->tf.data, imp->tf.len, imp->gm->row, sizeof imp->gm->row);
		if (csv_header(&imp->csv) != 0 || synthea_map(imp->file, &imp->csv, &imp->map, why, sizeof why) != 0) {
			note(imp, "%s: %s; the file is skipped", name, imp->csv.why[0] ? imp->csv.why : why);
			imp->r.f[imp->file].skipped++;
			imp->done_bytes += imp->size[imp->file];
			file_close(imp);
			imp->file++;
		}
	}
	return FOLIO_OK;
}

/* ---- the run's row ------------------------------------------------------- */

/* Counts and what each file did, never a value: "patients.csv 27 read,
 * 27 imported, 0 already there, 0 skipped; ..." */
static int run_finish(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	char summary[1024];
	long read = 0, imported = 0, skipped = 0;
	size_t o = 0;

	summary[0] = '\0';
	for (int f = 0; f < SYN_FILES; f++) {
		const struct synthea_count *c = &imp->r.f[f];
		read += c->read;
		imported += c->imported;
		skipped += c->skipped;
		if (o < sizeof summary)
			o += (size_t)snprintf(summary + o, sizeof summary - o, "%s%s %s", o ? "; " : "",
					      synthea_file_name(f), c->present ? "" : "absent");
		if (c->present && o < sizeof summary)
			o += (size_t)snprintf(summary + o, sizeof summary - o - 1,
					      "%ld read, %ld imported, %ld already there, %ld skipped", c->read,
					      c->imported, c->already, c->skipped);
	}
	return import_run_end(g, imp->r.run_id, read, imported, skipped, summary, e);
}

/* ---- patients -------------------------------------------------------------- */

/* Sets field f of p from text; the refusal becomes the row's reason. */
static int pset(struct patient *p, enum patient_field f, const char *v, struct folio_err *e)
{
	return *v ? patient_set(p, f, v, e) : FOLIO_OK;
}

static int patient_row(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	struct patient *p = &gm->p;
	const struct syn_map *m = &imp->map;
	const struct csv *c = &imp->csv;
	const char *id = synthea_get(m, c, SC_ID), *state = synthea_get(m, c, SC_STATE), *code;
	int64_t pid = 0;
	int rc;

	if (!*id)
		return err_set(e, FOLIO_EUSAGE, "no Id");
	if ((rc = external_id_find(x, "synthea", id, &pid, e)))
		return rc;
	if (pid) {
		imp->r.f[imp->file].already++;
		return FOLIO_OK;
	}
	smem_wipe(p, sizeof *p);
	synthea_name(synthea_get(m, c, SC_LAST), gm->t[0], sizeof gm->t[0]);
	synthea_name(synthea_get(m, c, SC_FIRST), gm->t[1], sizeof gm->t[1]);
	synthea_name(synthea_get(m, c, SC_MIDDLE), gm->t[2], sizeof gm->t[2]);
	if (!gm->t[0][0])
		return err_set(e, FOLIO_EUSAGE, "no LAST name");
	code = *state ? synthea_state(state) : "";
	if (!code)
		return err_set(e, FOLIO_EUSAGE, "STATE: not a US state or territory");
	if ((rc = pset(p, PF_LAST, gm->t[0], e)) || (rc = pset(p, PF_FIRST, gm->t[1], e)) ||
	    (rc = pset(p, PF_MIDDLE, gm->t[2], e)) || (rc = pset(p, PF_SUFFIX, synthea_get(m, c, SC_SUFFIX), e)) ||
	    (rc = pset(p, PF_DOB, synthea_get(m, c, SC_BIRTHDATE), e)) ||
	    (rc = pset(p, PF_SEX, synthea_get(m, c, SC_GENDER), e)) ||
	    (rc = pset(p, PF_SSN, synthea_get(m, c, SC_SSN), e)) ||
	    (rc = pset(p, PF_ADDRESS, synthea_get(m, c, SC_ADDRESS), e)) ||
	    (rc = pset(p, PF_CITY, synthea_get(m, c, SC_CITY), e)) || (rc = pset(p, PF_STATE, code, e)) ||
	    (rc = pset(p, PF_ZIP, synthea_get(m, c, SC_ZIP), e)) ||
	    (rc = pset(p, PF_RACE, synthea_get(m, c, SC_RACE), e)) ||
	    (rc = pset(p, PF_ETHNICITY, synthea_get(m, c, SC_ETHNICITY), e)))
		return rc;
	if (!p->v[PF_DOB][0])
		return err_set(e, FOLIO_EUSAGE, "no BIRTHDATE");
	if ((rc = patient_register(g, p, e)) || (rc = external_id_add(x, p->id, "synthea", id, e)))
		return rc == FOLIO_EUSAGE || rc == FOLIO_ESTALE ? FOLIO_EFAIL : rc;
	imp->r.f[imp->file].imported++;
	return FOLIO_OK;
}

/* ---- held statements ------------------------------------------------------ */

#define ITEM_COLS "INSERT INTO clinical_items (id, patient_id, encounter_id, kind, status, recorded_at, recorded_by," \
	" body) VALUES "
#define ITEM_1 "(?, ?, ?, ?, ?, ?, ?, ?)"
#define ITEM_4 ITEM_1 ", " ITEM_1 ", " ITEM_1 ", " ITEM_1
#define ENC_COLS "INSERT INTO encounters (id, patient_id, kind, state, started_at, day, clinic, created_by," \
	" ended_at, reason) VALUES "
#define ENC_1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ENC_4 ENC_1 ", " ENC_1 ", " ENC_1 ", " ENC_1
#define EVENT_COLS "INSERT INTO encounter_events (encounter_id, at, recorded_at, kind, state, by_user) VALUES "
#define EVENT_1 "(?, ?, ?, ?, ?, ?)"
#define EVENT_4 EVENT_1 ", " EVENT_1 ", " EVENT_1 ", " EVENT_1
#define EVENTS_BATCH 16 /* rows of SYN_INS_EVENTS */

static const char *const held_sql[SYN_HELD_N] = {
	[SYN_INS_ITEM] = ITEM_COLS ITEM_1,
	/* SYN_ITEM_BATCH rows */
	[SYN_INS_ITEMS] = ITEM_COLS ITEM_4 ", " ITEM_4 ", " ITEM_4 ", " ITEM_4,
	[SYN_INS_ENCOUNTER] = ENC_COLS ENC_1,
	[SYN_INS_ENCOUNTERS] = ENC_COLS ENC_4 ", " ENC_4 ", " ENC_4 ", " ENC_4,
	[SYN_INS_EVENT] = EVENT_COLS EVENT_1,
	[SYN_INS_EVENTS] = EVENT_COLS EVENT_4 ", " EVENT_4 ", " EVENT_4 ", " EVENT_4,
};

int syn_hold(struct grant *g, struct synthea_import *imp, enum syn_held which, struct stmt **s,
	     struct folio_err *e)
{
	int rc;

	if (!imp->held[which] && (rc = stmt_prepare(grant_store(g), held_sql[which], &imp->held[which], e)))
		return rc;
	*s = imp->held[which];
	return FOLIO_OK;
}

static void held_release(struct synthea_import *imp)
{
	for (int i = 0; i < SYN_HELD_N; i++) {
		stmt_finalize(imp->held[i]);
		imp->held[i] = NULL;
	}
}

/* ---- encounters ------------------------------------------------------------ */

_Static_assert(SYN_ENC_BATCH == 16, "SYN_INS_ENCOUNTERS writes 16 rows");

/* Binds encounter r of the waiting ones as row k (from 0) of s. */
static void encounter_bind(struct grant *g, struct stmt *s, int k, const struct syn_encrow *r)
{
	int p = 10 * k;

	stmt_bind_int64(s, p + 1, r->id);
	stmt_bind_int64(s, p + 2, r->pid);
	stmt_bind_text_ref(s, p + 3, r->kind);
	stmt_bind_text_ref(s, p + 4, r->state);
	stmt_bind_text_ref(s, p + 5, r->start);
	stmt_bind_text_ref(s, p + 6, r->day);
	stmt_bind_text_ref(s, p + 7, r->cls);
	stmt_bind_text_ref(s, p + 8, session_user(grant_session(g)));
	stmt_bind_text_ref(s, p + 9, r->stop[0] ? r->stop : NULL);
	stmt_bind_blob(s, p + 10, r->env, r->envlen);
}

/* Binds event `last` (0 the first, 1 the last) of r as row k of s. */
static void event_bind(struct grant *g, struct synthea_import *imp, struct stmt *s, int k,
		       const struct syn_encrow *r, int last)
{
	int p = 6 * k, inpatient = !strcmp(r->kind, "inpatient");

	stmt_bind_int64(s, p + 1, r->id);
	stmt_bind_text_ref(s, p + 2, last ? r->stop : r->start);
	stmt_bind_text_ref(s, p + 3, imp->now);
	if (last) {
		stmt_bind_text_ref(s, p + 4, inpatient ? "discharge" : "close");
		stmt_bind_text_ref(s, p + 5, r->state);
	} else {
		stmt_bind_text_ref(s, p + 4, inpatient ? "admit" : "visit");
		stmt_bind_text_ref(s, p + 5, inpatient ? "admitted" : "checked-in");
	}
	stmt_bind_text_ref(s, p + 6, session_user(grant_session(g)));
}

/* Steps s (bound) and makes it ready for more. */
static int step_reset(struct stmt *s, struct folio_err *e)
{
	int rc = stmt_step(s, e);

	stmt_reset(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* The events of the waiting encounters, EVENTS_BATCH to a statement while
 * there are as many, in the order an encounter's would be written alone. */
static int events_flush(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	int total = 0, done = 0, k = 0, rc;
	struct stmt *many, *one;

	for (int i = 0; i < gm->nencrows; i++)
		total += gm->encrows[i].stop[0] ? 2 : 1;
	if ((rc = syn_hold(g, imp, SYN_INS_EVENTS, &many, e)) || (rc = syn_hold(g, imp, SYN_INS_EVENT, &one, e)))
		return rc;
	for (int i = 0; i < gm->nencrows; i++)
		for (int last = 0; last < (gm->encrows[i].stop[0] ? 2 : 1); last++) {
			/* a statement of EVENTS_BATCH once begun; begun while as many remain */
			if (k || total - done >= EVENTS_BATCH) {
				event_bind(g, imp, many, k, &gm->encrows[i], last);
				if (++k == EVENTS_BATCH) {
					if ((rc = step_reset(many, e)))
						return rc;
					done += k;
					k = 0;
				}
			} else {
				event_bind(g, imp, one, 0, &gm->encrows[i], last);
				if ((rc = step_reset(one, e)))
					return rc;
				done++;
			}
		}
	return FOLIO_OK;
}

int syn_encounters_flush(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	int whole = gm->nencrows == SYN_ENC_BATCH, rc = FOLIO_OK;
	struct stmt *s;

	if (!gm->nencrows)
		return FOLIO_OK;
	if ((rc = syn_hold(g, imp, whole ? SYN_INS_ENCOUNTERS : SYN_INS_ENCOUNTER, &s, e)))
		return rc;
	for (int i = 0; i < gm->nencrows && !rc; i++) {
		encounter_bind(g, s, whole ? i : 0, &gm->encrows[i]);
		if (!whole || i + 1 == gm->nencrows)
			rc = step_reset(s, e);
	}
	if (!rc)
		rc = events_flush(g, imp, e);
	gm->nencrows = 0;
	return rc;
}

/* The encounter row eid (numbered in this step, so its reason is sealed
 * first and the row written whole, not inserted and then updated as
 * encounter_insert's callers do), with its events: they wait to be
 * written with the next few (syn_encounters_flush). */
static int encounter_save(struct grant *g, struct synthea_import *imp, int64_t eid, int64_t pid, const char *kind,
			  const char *state, const char *start, const char *stop, const char *cls,
			  const char *reason, struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	struct syn_encrow *r = &gm->encrows[gm->nencrows];
	char ad[64];
	int rc;

	field_ad(ad, sizeof ad, "encounters", "reason", eid);
	if ((rc = field_seal(grant_keys(g), KC_DEMOGRAPHICS, ad, reason, strlen(reason), r->env, sizeof r->env,
			     &r->envlen, e)))
		return rc;
	r->id = eid;
	r->pid = pid;
	r->kind = kind;
	r->state = state;
	str_copy(r->start, sizeof r->start, start);
	str_copy(r->stop, sizeof r->stop, stop);
	memcpy(r->day, start, 10);
	r->day[10] = '\0';
	str_copy(r->cls, sizeof r->cls, cls);
	return ++gm->nencrows == SYN_ENC_BATCH ? syn_encounters_flush(g, imp, e) : FOLIO_OK;
}

/* ---- encounters of this run, by tag ------------------------------------------ */

static size_t encmap_home(const uint8_t tag[IDKEY_TAG_BYTES], size_t cap)
{
	uint64_t h;

	/* the last eight bytes: the first four of a grouped tag name its patient */
	memcpy(&h, tag + IDKEY_TAG_BYTES - 8, 8);
	return (size_t)h & (cap - 1);
}

static const struct syn_encmap *encmap_find(const struct synthea_import *imp, const uint8_t tag[IDKEY_TAG_BYTES])
{
	for (size_t i = imp->encs_cap ? encmap_home(tag, imp->encs_cap) : 0; imp->encs_cap && imp->encs[i].row;
	     i = (i + 1) & (imp->encs_cap - 1))
		if (!memcmp(imp->encs[i].tag, tag, IDKEY_TAG_BYTES))
			return &imp->encs[i];
	return NULL;
}

/* Remembers it; out of memory forgets nothing wrong, it only looks up more. */
static void encmap_add(struct synthea_import *imp, const uint8_t tag[IDKEY_TAG_BYTES], int64_t row, int64_t pid)
{
	size_t i;

	if (encmap_find(imp, tag))
		return;
	if (imp->encs_used * 2 >= imp->encs_cap) {
		size_t cap = imp->encs_cap ? imp->encs_cap * 2 : 4096;
		struct syn_encmap *t = calloc(cap, sizeof *t);
		if (!t)
			return;
		for (size_t j = 0; j < imp->encs_cap; j++) {
			if (!imp->encs[j].row)
				continue;
			for (i = encmap_home(imp->encs[j].tag, cap); t[i].row; i = (i + 1) & (cap - 1))
				;
			t[i] = imp->encs[j];
		}
		free(imp->encs);
		imp->encs = t;
		imp->encs_cap = cap;
	}
	for (i = encmap_home(tag, imp->encs_cap); imp->encs[i].row; i = (i + 1) & (imp->encs_cap - 1))
		;
	memcpy(imp->encs[i].tag, tag, IDKEY_TAG_BYTES);
	imp->encs[i].row = row;
	imp->encs[i].pid = pid;
	imp->encs_used++;
}

static void encmap_clear(struct synthea_import *imp)
{
	free(imp->encs);
	imp->encs = NULL;
	imp->encs_cap = imp->encs_used = 0;
	imp->last_enc = 0;
}

/* What the run remembers is true only if its steps were committed: a step
 * whose grant rolled back (the caller should have stopped) leaves its last
 * encounter missing, and then nothing remembered is trusted. */
static int encmap_check(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if (!imp->last_enc)
		return FOLIO_OK;
	if ((rc = stmt_prepare(grant_store(g), "SELECT 1 FROM encounters WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, imp->last_enc);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc == STMT_DONE)
		encmap_clear(imp);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

static struct syn_enc *enc_slot(struct synthea_import *imp, const char *id)
{
	return &imp->gm->enc[key_hash(imp, id) & (SYN_ENC_CACHE - 1)];
}

static void enc_remember(struct synthea_import *imp, const char *id, int64_t row, int64_t pid)
{
	struct syn_enc *c = enc_slot(imp, id);

	if (str_copy(c->id, sizeof c->id, id) != 0) {
		c->id[0] = '\0'; /* too long to keep: looked up each time */
		return;
	}
	c->row = row;
	c->pid = pid;
}

static int encounter_row(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e)
{
	const struct syn_map *m = &imp->map;
	const struct csv *c = &imp->csv;
	const char *id = synthea_get(m, c, SC_ID), *cls = synthea_get(m, c, SC_CLASS), *kind, *state, *reason;
	char start[24], stop[24] = "";
	uint8_t tag[IDKEY_TAG_BYTES];
	int64_t pid, eid = imp->next_enc;
	int rc, inpatient, claimed;

	if (!*id)
		return err_set(e, FOLIO_EUSAGE, "no Id");
	if ((rc = syn_patient(imp, x, synthea_get(m, c, SC_PATIENT), &pid, e)))
		return rc;
	if (synthea_time(synthea_get(m, c, SC_START), start) != 0)
		return err_set(e, FOLIO_EUSAGE, "START: not a date and time");
	if (*synthea_get(m, c, SC_STOP) && synthea_time(synthea_get(m, c, SC_STOP), stop) != 0)
		return err_set(e, FOLIO_EUSAGE, "STOP: not a date and time");
	if (stop[0] && strcmp(stop, start) < 0)
		return err_set(e, FOLIO_EUSAGE, "STOP is before START");
	reason = synthea_get(m, c, SC_REASONDESC);
	if (!*reason)
		reason = synthea_get(m, c, SC_DESC);
	if ((rc = chart_line_ok(cls, ENC_NAME_MAX - 1, "ENCOUNTERCLASS", e)) ||
	    (rc = chart_line_ok(reason, ENC_REASON_MAX, "REASONDESCRIPTION", e)))
		return rc;
	/* the row is good: its key is claimed now (a skipped row keeps none) */
	if ((rc = import_key_claim(x, "synthea", "encounter", synthea_get(m, c, SC_PATIENT), id, "encounters", eid,
				   &claimed, e)))
		return rc;
	if (!claimed) {
		imp->r.f[imp->file].already++;
		return FOLIO_OK;
	}
	kind = synthea_encounter_kind(cls);
	inpatient = !strcmp(kind, "inpatient");
	state = inpatient ? (stop[0] ? "discharged" : "admitted") : (stop[0] ? "closed" : "in-progress");
	if ((rc = encounter_save(g, imp, eid, pid, kind, state, start, stop, cls, reason, e)))
		return rc;
	imp->next_enc++;
	/* the encounter's rows follow in the other files: remember it */
	enc_remember(imp, id, eid, pid);
	import_key_tag(x, "synthea", "encounter", synthea_get(m, c, SC_PATIENT), id, tag);
	encmap_add(imp, tag, eid, pid);
	imp->last_enc = eid;
	imp->r.f[imp->file].imported++;
	return FOLIO_OK;
}

/* ---- lookups shared with the clinical rows -------------------------------- */

int syn_patient(struct synthea_import *imp, struct import_ctx *x, const char *id, int64_t *pid,
		struct folio_err *e)
{
	struct syn_guarded *gm = imp->gm;
	int rc;

	if (!*id)
		return err_set(e, FOLIO_EUSAGE, "no PATIENT");
	if (gm->pat_row && !strcmp(gm->pat_id, id)) {
		*pid = gm->pat_row;
		return FOLIO_OK;
	}
	if ((rc = external_id_find(x, "synthea", id, pid, e)))
		return rc;
	if (!*pid)
		return err_set(e, FOLIO_EUSAGE, "PATIENT is not in patients.csv (or its row was skipped)");
	str_copy(gm->pat_id, sizeof gm->pat_id, id);
	gm->pat_row = *pid;
	return FOLIO_OK;
}

/* The row and patient of encounter id: from the few last used (by Id),
 * else the run's map (by tag), else the database. */
static int enc_lookup(struct grant *g, struct synthea_import *imp, struct import_ctx *x, const char *id,
		      const char *patient, int64_t *row, int64_t *owner, struct folio_err *e)
{
	const struct syn_enc *c = enc_slot(imp, id);
	const struct syn_encmap *m;
	uint8_t tag[IDKEY_TAG_BYTES];
	struct stmt *s;
	int rc;

	if (c->id[0] && !strcmp(c->id, id)) {
		*row = c->row;
		*owner = c->pid;
		return FOLIO_OK;
	}
	/* an encounter's key is grouped under its own PATIENT: another
	 * patient's encounter is not found */
	import_key_tag(x, "synthea", "encounter", patient, id, tag);
	if ((m = encmap_find(imp, tag))) {
		*row = m->row;
		*owner = m->pid;
	} else {
		if ((rc = import_key_find(x, "synthea", "encounter", patient, id, row, e)))
			return rc;
		if (!*row)
			return err_set(e, FOLIO_EUSAGE, "ENCOUNTER is not one of this PATIENT's in encounters.csv"
							 " (or its row was skipped)");
		if ((rc = stmt_prepare(grant_store(g), "SELECT patient_id FROM encounters WHERE id = ?", &s, e)))
			return rc;
		stmt_bind_int64(s, 1, *row);
		*owner = 0;
		if ((rc = stmt_step(s, e)) == STMT_ROW)
			*owner = stmt_int64(s, 0);
		stmt_finalize(s);
		if (rc != STMT_ROW && rc != STMT_DONE)
			return rc;
		encmap_add(imp, tag, *row, *owner);
	}
	enc_remember(imp, id, *row, *owner);
	return FOLIO_OK;
}

int syn_encounter(struct grant *g, struct synthea_import *imp, struct import_ctx *x, const char *id,
		  const char *patient, int64_t pid, int64_t *eid, struct folio_err *e)
{
	int64_t row = 0, owner = 0;
	int rc;

	*eid = 0;
	if (!*id)
		return FOLIO_OK;
	if ((rc = enc_lookup(g, imp, x, id, patient, &row, &owner, e)))
		return rc;
	if (owner != pid)
		return err_set(e, FOLIO_EUSAGE, "ENCOUNTER belongs to another PATIENT");
	*eid = row;
	return FOLIO_OK;
}

/* ---- a step -------------------------------------------------------------------- */

/* The next ids of clinical_items and encounters, assigned in this step's
 * write transaction. */
static int next_ids(struct grant *g, struct synthea_import *imp, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT (SELECT coalesce(max(id), 0) + 1 FROM clinical_items),"
					       " (SELECT coalesce(max(id), 0) + 1 FROM encounters)", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		imp->next_item = stmt_int64(s, 0);
		imp->next_enc = stmt_int64(s, 1);
	}
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK : rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "cannot number rows") : rc;
}

static int row(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e)
{
	switch (imp->file) {
	case SYN_PATIENTS:
		return patient_row(g, imp, x, e);
	case SYN_ENCOUNTERS:
		return encounter_row(g, imp, x, e);
	default:
		return syn_clinical_row(g, imp, x, e);
	}
}

int synthea_import_step(struct grant *g, struct synthea_import *imp, int *done, struct folio_err *e)
{
	struct import_ctx *x = NULL;
	struct folio_err e2;
	long n = 0;
	int rc, pinned = 0;

	*done = 0;
	if (grant_action(g) != ACT_IMPORT_RUN)
		return err_set(e, FOLIO_EDENIED, "an import needs its own grant");
	if (!imp->r.run_id && (rc = import_run_begin(g, "synthea", &imp->r.run_id, e)))
		return rc;
	if ((rc = file_next(imp, e)) || (rc = import_ctx_new(g, &x, e)) || (rc = next_ids(g, imp, e)) ||
	    (rc = encmap_check(g, imp, e)))
		goto out;
	time_utc_now(imp->now, sizeof imp->now);
	/* rows remembered from an earlier step are looked up again: that step
	 * may not have been committed */
	smem_wipe(imp->gm->enc, sizeof imp->gm->enc);
	imp->gm->pat_row = 0;
	imp->gm->nitems = 0;
	imp->gm->nencrows = 0;
	/* the keys stay readable for the batch, not made so once per seal */
	keyring_pin(grant_keys(g));
	pinned = 1;
	while (imp->open && n < (imp->file == SYN_PATIENTS ? imp->batch_patients : imp->batch_rows)) {
		int r = csv_next(&imp->csv);

		imp->r.bytes_done = imp->done_bytes + (imp->tf.len ? imp->size[imp->file] *
						       csv_offset(&imp->csv, imp->tf.data) / imp->tf.len : 0);
		if (r == 0) {
			if ((rc = syn_vitals_flush(g, imp, x, e)))
				goto out;
			imp->done_bytes += imp->size[imp->file];
			imp->r.bytes_done = imp->done_bytes;
			file_close(imp);
			imp->file++;
			break;
		}
		n++;
		imp->r.f[imp->file].read++;
		if (r < 0) {
			syn_skip(imp, imp->csv.line, imp->csv.why);
			continue;
		}
		memset(&e2, 0, sizeof e2);
		rc = row(g, imp, x, &e2);
		if (rc == FOLIO_EUSAGE) {
			syn_skip(imp, imp->csv.line, e2.msg);
			continue;
		}
		if (rc) {
			err_set(e, rc, "%s:%u: %s", synthea_file_name(imp->file), imp->csv.line, e2.msg);
			goto out;
		}
	}
	/* a vitals set still being gathered waits for the next step (its rows
	 * were only looked up: a rerun after a stop here reads them again), so a
	 * set that straddles two steps is still one item */
	if ((rc = syn_encounters_flush(g, imp, e)) || (rc = syn_items_flush(g, imp, e)))
		goto out;
	if (!imp->open && (rc = file_next(imp, e)) == FOLIO_OK && imp->file >= SYN_FILES) {
		if ((rc = run_finish(g, imp, e)) == FOLIO_OK)
			*done = 1;
	}
out:
	if (pinned)
		keyring_unpin(grant_keys(g));
	held_release(imp);
	import_ctx_free(x);
	return rc;
}
