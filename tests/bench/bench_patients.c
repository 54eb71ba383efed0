/* folio bench: the master patient index at scale.  Registers N synthetic
 * patients (default 1,000,000; FOLIO_BENCH_PATIENTS for a quick run) in bulk,
 * then times 10,000 lookups of each kind a user types: surname prefix +
 * first initial ("LAS,F"), exact date of birth, MRN, last four of the phone.
 * A folio lookup is what it costs a user: one ACT_PATIENT_FIND grant (audit
 * row, write transaction, commit) around patient_find().
 *
 * Baseline, built in the same run on the same file system: a plaintext
 * SQLite database holding the same people (the values patient_set() stored)
 * with the same pragmas and equally good indexes, answering the same queries
 * with SQL that returns the same rows in the same order (score, then last,
 * first, DOB, MRN; 50 rows at most).  A sample of each kind is checked for
 * agreement.  Surname parts are what folio indexes ("Smith-Lasater" is found
 * by LAS), so the baseline indexes them too, in a token table.
 *
 * The baseline is timed twice: the query alone, and the query as a
 * plaintext system that audits must run it: in a write transaction that
 * also inserts one plaintext audit row (same columns as folio's, same
 * indexes, no hash chain) into the same database and commits, with the same
 * synchronous=FULL and journal mode.  folio's lookup writes its audit row
 * and commits in the same way (design.md: the audit row in the same
 * transaction), and that commit's fsyncs are a floor no index can remove;
 * each p50 verdict says which baseline it uses.
 *
 * Targets at 1M (the issue): every lookup p99 under 5 ms; p50 within 3x of
 * the baseline; registration at least 10,000 patients/s; file at most 2.5x
 * the plaintext one.  The figures are synthetic people only (synth.h). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "bench_sql.h"
#include "folio/access.h"
#include "folio/account.h"
#include "folio/crypto.h"
#include "folio/names.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/synth.h"

#define N_DEFAULT 1000000L
#define BATCH 10000            /* patients per registration grant / transaction */
#define LOOKUPS 10000          /* lookups per kind */
#define VERIFY 200             /* queries per kind checked for agreement */
#define HIT_MAX 50
#define SEED 0x666f6c696fULL   /* "folio" */

/* targets */
#define T_P99 5e-3
#define T_P50_RATIO 3.0
#define T_RATE 10000.0
#define T_SIZE_RATIO 2.5

static const char admin_pw[] = "bench-admin-password-01";
static const char tech_pw[] = "bench-tech-password-0001";

/* ---- plumbing ------------------------------------------------------------------ */

const char *bench_program = "bench_patients";

static long long file_size(const char *name)
{
	char p[300];
	struct stat sb;

	bench_path(p, sizeof p, name);
	return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		bench_die("out of memory", NULL);
	return p;
}

/* Nearest-rank percentile of v[0..n) (sorts v). */
static double percentile(double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof v[0], bench_cmp_double);
	k = (size_t)(p * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ---- synthetic people into struct patient ------------------------------------- */

static const struct {
	enum patient_field f;
	size_t off;
} map[] = {
	{ PF_LAST, offsetof(struct synth_person, last) },
	{ PF_FIRST, offsetof(struct synth_person, first) },
	{ PF_MIDDLE, offsetof(struct synth_person, middle) },
	{ PF_SUFFIX, offsetof(struct synth_person, suffix) },
	{ PF_PREFERRED, offsetof(struct synth_person, preferred) },
	{ PF_DOB, offsetof(struct synth_person, dob) },
	{ PF_SEX, offsetof(struct synth_person, sex) },
	{ PF_ADDRESS, offsetof(struct synth_person, address) },
	{ PF_CITY, offsetof(struct synth_person, city) },
	{ PF_STATE, offsetof(struct synth_person, state) },
	{ PF_ZIP, offsetof(struct synth_person, zip) },
	{ PF_PHONE, offsetof(struct synth_person, phone) },
	{ PF_MOBILE, offsetof(struct synth_person, mobile) },
	{ PF_EMAIL, offsetof(struct synth_person, email) },
	{ PF_SSN, offsetof(struct synth_person, ssn) },
	{ PF_EMERGENCY, offsetof(struct synth_person, emergency_name) },
	{ PF_EMERGENCY_PHONE, offsetof(struct synth_person, emergency_phone) },
	{ PF_INSURER, offsetof(struct synth_person, insurer) },
	{ PF_MEMBER_ID, offsetof(struct synth_person, member_id) },
	{ PF_LANGUAGE, offsetof(struct synth_person, language) },
};

/* Values patient_set() refused, per field (counted in the folio pass only;
 * the baseline pass refuses the same ones). */
static long refused[PF_COUNT];
static char refused_msg[PF_COUNT][FOLIO_ERR_MAX];

static void fill(struct patient *p, const struct synth_person *sp, int count)
{
	struct folio_err e;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		const char *v = (const char *)sp + map[i].off;
		if (patient_set(p, map[i].f, v, &e) != FOLIO_OK && count) {
			if (!refused[map[i].f]++)
				snprintf(refused_msg[map[i].f], sizeof refused_msg[0], "%s", e.msg);
		}
	}
}

static void gen_batch(struct synth *g, struct synth_person *sp, long n)
{
	for (long i = 0; i < n; i++)
		synth_person(g, &sp[i]);
}

static void digits(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
}

/* Last four digits, "" when fewer (what folio indexes). */
static void last4(const char *s, char out[5])
{
	char d[32];
	size_t n;

	digits(s, d, sizeof d);
	n = strlen(d);
	if (n < 4)
		out[0] = '\0';
	else
		memcpy(out, d + n - 4, 5);
}

/* ---- samples: the lookups' inputs ---------------------------------------------- */

enum kind { K_NAME, K_DOB, K_MRN, K_LAST4, K_COUNT };
static const char *const kind_name[K_COUNT] = { "name (LAS,F)", "DOB", "MRN", "last four" };

struct sample {
	char q[K_COUNT][16];       /* "" when the person gives no such query */
};

static struct sample *samples;
static long n_samples, sample_stride;
static long name_skipped;

static void sample_take(const struct patient *p)
{
	struct sample *s = &samples[n_samples++];
	char norm[NAME_NORM_MAX], fnorm[NAME_NORM_MAX], l4[5];
	int ok = name_normalize(p->v[PF_LAST], norm, sizeof norm) >= 3 &&
		 name_normalize(p->v[PF_FIRST], fnorm, sizeof fnorm) >= 1;

	memset(s, 0, sizeof *s);
	/* 3 ASCII letters and an ASCII initial: what a clerk types */
	for (int i = 0; ok && i < 3; i++)
		ok = norm[i] >= 'A' && norm[i] <= 'Z';
	if (ok && fnorm[0] >= 'A' && fnorm[0] <= 'Z')
		snprintf(s->q[K_NAME], sizeof s->q[0], "%.3s,%c", norm, fnorm[0]);
	else
		name_skipped++;
	str_copy(s->q[K_DOB], sizeof s->q[0], p->v[PF_DOB]);
	str_copy(s->q[K_MRN], sizeof s->q[0], p->mrn);
	last4(p->v[PF_PHONE][0] ? p->v[PF_PHONE] : p->v[PF_MOBILE], l4);
	str_copy(s->q[K_LAST4], sizeof s->q[0], l4);
}

/* The queries of each kind, in a shuffled order shared by folio and the
 * baseline (so neither walks the index in MRN order). */
static const char **queries[K_COUNT];

static void queries_make(void)
{
	uint64_t rng = SEED ^ 0x9e3779b97f4a7c15ULL;

	for (int k = 0; k < K_COUNT; k++) {
		const char **have = xcalloc((size_t)n_samples + 1, sizeof *have);
		long nh = 0;

		for (long i = 0; i < n_samples; i++)
			if (samples[i].q[k][0])
				have[nh++] = samples[i].q[k];
		if (nh == 0)
			bench_die("no sample gives a query of some kind", NULL);
		for (long i = nh - 1; i > 0; i--) {
			long j = (long)(xorshift(&rng) % (uint64_t)(i + 1));
			const char *t = have[i];
			have[i] = have[j];
			have[j] = t;
		}
		queries[k] = xcalloc(LOOKUPS, sizeof *queries[k]);
		for (long i = 0; i < LOOKUPS; i++)
			queries[k][i] = have[i % nh];
		free(have);
	}
}

/* ---- folio ----------------------------------------------------------------------- */

struct reg_result {
	double secs;               /* inside the grants: begin, register x BATCH, end */
	double fill_secs;          /* of which patient_set() */
	double gen_secs;           /* synth_person(), outside the timing */
	double wall;
};

static struct session *folio_setup(struct store **st)
{
	char rec[RECOVERY_TEXT_MAX], p[300];
	struct folio_err e;
	struct session *admin, *tech;
	struct grant *g;
	int rc;

	bench_path(p, sizeof p, "folio.db");
	if (access_init_db(p, "admin", admin_pw, sizeof admin_pw - 1, 1, rec, sizeof rec, &e) != FOLIO_OK)
		bench_die("access_init_db", &e);
	smem_wipe(rec, sizeof rec);
	if (access_open(p, st, &e) != FOLIO_OK)
		bench_die("access_open", &e);
	if (access_login(*st, "admin", admin_pw, sizeof admin_pw - 1, &admin, &e) != FOLIO_OK)
		bench_die("access_login admin", &e);
	/* The admin role may not touch patients: a technician registers and looks up. */
	if (access_begin(admin, ACT_USER_ADD, NULL, "user", "tech", &g, &e) != FOLIO_OK)
		bench_die("access_begin user.add", &e);
	rc = account_add(g, "tech", ROLE_TECHNICIAN, tech_pw, sizeof tech_pw - 1, &e);
	if (access_end(g, rc, &e) != FOLIO_OK)
		bench_die("account_add", &e);
	access_logout(admin);
	if (access_login(*st, "tech", tech_pw, sizeof tech_pw - 1, &tech, &e) != FOLIO_OK)
		bench_die("access_login tech", &e);
	return tech;
}

static void folio_register_all(struct session *s, long n, int64_t *ids, struct reg_result *r)
{
	struct synth_person *sp = xcalloc(BATCH, sizeof *sp);
	struct patient *p = patient_new();
	struct synth g;
	struct folio_err e;
	double w0 = bench_now();

	if (!p)
		bench_die("patient_new: out of secure memory", NULL);
	memset(r, 0, sizeof *r);
	synth_init(&g, SEED);
	for (long done = 0; done < n;) {
		long b = n - done < BATCH ? n - done : BATCH;
		struct grant *gr;
		double t0;
		int rc = FOLIO_OK;

		t0 = bench_now();
		gen_batch(&g, sp, b);
		r->gen_secs += bench_now() - t0;

		t0 = bench_now();
		if (access_begin(s, ACT_PATIENT_ADD, NULL, "patient", NULL, &gr, &e) != FOLIO_OK)
			bench_die("access_begin patient.add", &e);
		for (long i = 0; i < b && rc == FOLIO_OK; i++) {
			double f0;

			/* one guarded record per batch, as a bulk import would:
			 * a patient_new() per person costs two mmaps, mprotects and
			 * mlocks, the caller's cost rather than folio's */
			memset(p, 0, sizeof *p);
			f0 = bench_now();
			fill(p, &sp[i], 1);
			r->fill_secs += bench_now() - f0;
			rc = patient_register(gr, p, &e);
			if (rc == FOLIO_OK) {
				ids[done + i] = p->id;
				if ((done + i) % sample_stride == 0)
					sample_take(p);
			}
		}
		if (rc != FOLIO_OK) {
			struct folio_err e2;
			access_end(gr, rc, &e2);
			bench_die("patient_register", &e);
		}
		if (access_end(gr, FOLIO_OK, &e) != FOLIO_OK)
			bench_die("access_end patient.add", &e);
		r->secs += bench_now() - t0;
		done += b;
		if (n >= 200000 && done % 100000 == 0) {
			fprintf(stderr, "  folio: %ld registered, %.0f/s\n", done, (double)done / r->secs);
		}
	}
	r->wall = bench_now() - w0;
	patient_free(p);
	free(sp);
}

struct lookup_result {
	double *lat;               /* whole lookup: grant + find + commit (baseline: as timed) */
	double *find;              /* patient_find() alone */
	double rows, total;        /* means */
	long errors;
	char first_error[FOLIO_ERR_MAX + 32];
	double wall;
	char (*mrns)[HIT_MAX][MRN_MAX]; /* the first VERIFY answers */
	size_t *counts;
};

static void folio_lookups(struct session *s, enum kind k, struct lookup_result *r)
{
	struct patient_hit *hits = patient_hits_new(HIT_MAX);
	double rows = 0, total = 0, w0 = bench_now();

	if (!hits)
		bench_die("patient_hits_new", NULL);
	for (long i = 0; i < LOOKUPS; i++) {
		struct folio_err e;
		struct grant *g;
		size_t n = 0, tot = 0;
		double t0, t1, t2;
		int rc;

		t0 = bench_now();
		if (access_begin(s, ACT_PATIENT_FIND, NULL, "query", NULL, &g, &e) != FOLIO_OK)
			bench_die("access_begin patient.find", &e);
		t1 = bench_now();
		rc = patient_find(g, queries[k][i], hits, HIT_MAX, &n, &tot, &e);
		t2 = bench_now();
		if (rc != FOLIO_OK) {
			if (!r->errors++)
				snprintf(r->first_error, sizeof r->first_error, "'%s': %s", queries[k][i], e.msg);
			n = 0;
		}
		if (access_end(g, rc, &e) != rc)
			bench_die("access_end patient.find", &e);
		r->lat[i] = bench_now() - t0;
		r->find[i] = t2 - t1;
		rows += (double)n;
		total += (double)tot;
		if (i < VERIFY) {
			r->counts[i] = n;
			for (size_t j = 0; j < n; j++)
				str_copy(r->mrns[i][j], MRN_MAX, hits[j].mrn);
		}
	}
	r->wall = bench_now() - w0;
	r->rows = rows / LOOKUPS;
	r->total = total / LOOKUPS;
	patient_hits_free(hits, HIT_MAX);
}

/* ---- baseline: plain SQLite ------------------------------------------------------ */

static sqlite3 *plain_open(void)
{
	char sql[4096];
	size_t o;
	sqlite3 *db;

	db = bench_plain_open("plain.db");
	/* Every demographic in clear, the columns folio's table has beside its
	 * envelope, and the normal forms and last fours the lookups need. */
	o = (size_t)snprintf(sql, sizeof sql, "CREATE TABLE plain (id INTEGER PRIMARY KEY,"
			     " mrn TEXT NOT NULL UNIQUE");
	for (int f = 0; f < PF_COUNT; f++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, ", \"%s\" TEXT NOT NULL",
				      patient_field_name((enum patient_field)f));
	snprintf(sql + o, sizeof sql - o,
		 ", norm_first TEXT NOT NULL, norm_pref TEXT NOT NULL, phone_l4 TEXT, mobile_l4 TEXT,"
		 " ssn_l4 TEXT, restricted INTEGER NOT NULL DEFAULT 0,"
		 " test_patient INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
		 " updated_at TEXT NOT NULL, row_version INTEGER NOT NULL DEFAULT 1) STRICT;"
		 /* surname parts (name_tokens) x initials of first and preferred name */
		 "CREATE TABLE plain_names (token TEXT NOT NULL, init TEXT NOT NULL, pos INTEGER NOT NULL,"
		 " patient_id INTEGER NOT NULL REFERENCES plain(id),"
		 " PRIMARY KEY (token, init, patient_id)) STRICT, WITHOUT ROWID;"
		 "CREATE INDEX plain_dob ON plain(dob);"
		 "CREATE INDEX plain_phone_l4 ON plain(phone_l4);"
		 "CREATE INDEX plain_mobile_l4 ON plain(mobile_l4);"
		 "CREATE INDEX plain_ssn_l4 ON plain(ssn_l4);"
		 /* what an auditing plaintext system writes per lookup: folio's
		  * audit_log columns and indexes, without the hash chain */
		 "CREATE TABLE plain_audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL,"
		 " role TEXT NOT NULL, workstation TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL,"
		 " mrn TEXT NOT NULL DEFAULT '', object_type TEXT NOT NULL DEFAULT '',"
		 " object_id TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '') STRICT;"
		 "CREATE INDEX plain_audit_user ON plain_audit(user_name, seq);"
		 "CREATE INDEX plain_audit_mrn ON plain_audit(mrn, seq) WHERE mrn <> '';");
	bench_sql_ok(db, sqlite3_exec(db, sql, NULL, NULL, NULL), "create tables");
	return db;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
	if (v[0])
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void plain_build(sqlite3 *db, long n, const int64_t *ids, struct reg_result *r)
{
	struct synth_person *sp = xcalloc(BATCH, sizeof *sp);
	struct patient *p = xcalloc(1, sizeof *p);
	char (*tok)[NAME_NORM_MAX] = xcalloc(NAME_TOKENS_MAX, NAME_NORM_MAX);
	sqlite3_stmt *ins, *ins_name;
	char sql[2048];
	struct synth g;
	double w0 = bench_now();
	size_t o;

	memset(r, 0, sizeof *r);
	o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO plain VALUES (?,?");
	for (int f = 0; f < PF_COUNT; f++)
		o += (size_t)snprintf(sql + o, sizeof sql - o, ",?");
	snprintf(sql + o, sizeof sql - o, ",?,?,?,?,?,0,0,?,?,1)");
	bench_sql_ok(db, sqlite3_prepare_v2(db, sql, -1, &ins, NULL), "prepare insert");
	bench_sql_ok(db, sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO plain_names VALUES (?,?,?,?)", -1,
				      &ins_name, NULL), "prepare insert name");
	synth_init(&g, SEED);
	for (long done = 0; done < n;) {
		long b = n - done < BATCH ? n - done : BATCH;
		double t0;

		t0 = bench_now();
		gen_batch(&g, sp, b);
		r->gen_secs += bench_now() - t0;

		t0 = bench_now();
		bench_sql_ok(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
		for (long i = 0; i < b; i++) {
			char mrn[MRN_MAX], now[24], nf[NAME_NORM_MAX], np[NAME_NORM_MAX], l4[3][5];
			char inits[2][2];
			int col = 1, nt;
			double f0 = bench_now();

			memset(p, 0, sizeof *p);
			fill(p, &sp[i], 0);
			r->fill_secs += bench_now() - f0;
			mrn_format(ids[done + i], mrn);
			time_utc_now(now, sizeof now);
			if (name_normalize(p->v[PF_FIRST], nf, sizeof nf) < 0)
				nf[0] = '\0';
			if (name_normalize(p->v[PF_PREFERRED], np, sizeof np) < 0)
				np[0] = '\0';
			last4(p->v[PF_PHONE], l4[0]);
			last4(p->v[PF_MOBILE], l4[1]);
			last4(p->v[PF_SSN], l4[2]);
			sqlite3_bind_int64(ins, col++, ids[done + i]);
			sqlite3_bind_text(ins, col++, mrn, -1, SQLITE_TRANSIENT);
			for (int f = 0; f < PF_COUNT; f++)
				sqlite3_bind_text(ins, col++, p->v[f], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, col++, nf, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, col++, np, -1, SQLITE_STATIC);
			for (int j = 0; j < 3; j++)
				bind_text_or_null(ins, col++, l4[j]);
			sqlite3_bind_text(ins, col++, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, col++, now, -1, SQLITE_STATIC);
			bench_sql_ok(db, sqlite3_step(ins), "insert");
			sqlite3_reset(ins);

			inits[0][0] = nf[0];
			inits[1][0] = np[0];
			inits[0][1] = inits[1][1] = '\0';
			nt = name_tokens(p->v[PF_LAST], tok, NAME_TOKENS_MAX);
			for (int t = 0; t < nt; t++)
				for (int j = 0; j < 2; j++) {
					if (!inits[j][0])
						continue;
					sqlite3_bind_text(ins_name, 1, tok[t], -1, SQLITE_STATIC);
					sqlite3_bind_text(ins_name, 2, inits[j], 1, SQLITE_STATIC);
					sqlite3_bind_int(ins_name, 3, t);
					sqlite3_bind_int64(ins_name, 4, ids[done + i]);
					bench_sql_ok(db, sqlite3_step(ins_name), "insert name");
					sqlite3_reset(ins_name);
				}
		}
		bench_sql_ok(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
		r->secs += bench_now() - t0;
		done += b;
		if (n >= 200000 && done % 100000 == 0)
			fprintf(stderr, "  plain: %ld inserted, %.0f/s\n", done, (double)done / r->secs);
	}
	r->wall = bench_now() - w0;
	sqlite3_finalize(ins);
	sqlite3_finalize(ins_name);
	free(tok);
	free(p);
	free(sp);
}

/* The hit columns folio returns; same order as folio's: score (higher first),
 * last, first, DOB, MRN — byte order, as strcmp. */
#define HIT_COLS "p.mrn, p.\"last\", p.\"first\", p.middle, p.dob, p.sex," \
		 " coalesce(p.ssn_l4, p.phone_l4, p.mobile_l4, ''), p.restricted, p.test_patient"
#define HIT_ORDER " ORDER BY score DESC, p.\"last\", p.\"first\", p.dob, p.mrn LIMIT 50"

static const char *const plain_sql[K_COUNT] = {
	/* a surname part starting with ?1 (range ?1..?3), first or preferred
	 * name starting with ?2; part score as folio's: whole surname 100/60
	 * (equal/prefix), another part 90/50; +20 for a first name equal to
	 * the initial typed, +10 for one starting with it */
	"SELECT " HIT_COLS ", m.s + CASE WHEN p.norm_first = ?2 OR p.norm_pref = ?2 THEN 20 ELSE 10 END"
	" AS score FROM (SELECT patient_id, max(CASE WHEN token = ?1 THEN (CASE pos WHEN 0 THEN 100 ELSE 90 END)"
	" ELSE (CASE pos WHEN 0 THEN 60 ELSE 50 END) END) AS s FROM plain_names"
	" WHERE token >= ?1 AND token < ?3 AND init = ?2 GROUP BY patient_id) m"
	" JOIN plain p ON p.id = m.patient_id" HIT_ORDER,
	"SELECT " HIT_COLS ", 100 AS score FROM plain p WHERE p.dob = ?1" HIT_ORDER,
	"SELECT " HIT_COLS ", 100 AS score FROM plain p WHERE p.mrn = ?1" HIT_ORDER,
	"SELECT " HIT_COLS ", CASE WHEN p.phone_l4 = ?1 OR p.mobile_l4 = ?1 THEN 100 ELSE 90 END AS score"
	" FROM plain p WHERE p.phone_l4 = ?1 OR p.mobile_l4 = ?1 OR p.ssn_l4 = ?1" HIT_ORDER,
};

struct plain_hit {
	char mrn[MRN_MAX];
	char last[64], first[48], middle[48], dob[11], sex[2], last4[5];
	int restricted, test, score;
};

static size_t plain_query(sqlite3 *db, sqlite3_stmt *s, enum kind k, const char *q, struct plain_hit *hits)
{
	size_t n = 0;
	int rc;

	if (k == K_NAME) {
		/* "LAS,F": prefix LAS, initial F; upper bound LAT */
		char pre[8], hi[8], init[2];
		const char *comma = strchr(q, ',');
		size_t l = comma ? (size_t)(comma - q) : strlen(q);

		snprintf(pre, sizeof pre, "%.*s", (int)l, q);
		memcpy(hi, pre, l + 1);
		hi[l - 1]++;
		init[0] = comma ? comma[1] : '\0';
		init[1] = '\0';
		sqlite3_bind_text(s, 1, pre, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, init, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, hi, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct plain_hit *h = &hits[n++];
		str_copy(h->mrn, sizeof h->mrn, (const char *)sqlite3_column_text(s, 0));
		str_copy(h->last, sizeof h->last, (const char *)sqlite3_column_text(s, 1));
		str_copy(h->first, sizeof h->first, (const char *)sqlite3_column_text(s, 2));
		str_copy(h->middle, sizeof h->middle, (const char *)sqlite3_column_text(s, 3));
		str_copy(h->dob, sizeof h->dob, (const char *)sqlite3_column_text(s, 4));
		str_copy(h->sex, sizeof h->sex, (const char *)sqlite3_column_text(s, 5));
		str_copy(h->last4, sizeof h->last4, (const char *)sqlite3_column_text(s, 6));
		h->restricted = sqlite3_column_int(s, 7);
		h->test = sqlite3_column_int(s, 8);
		h->score = sqlite3_column_int(s, 9);
	}
	bench_sql_ok(db, rc, "lookup");
	sqlite3_reset(s);
	return n;
}

/* The baseline's lookups: the query alone, or (audited) as a plaintext
 * system that audits runs it: BEGIN IMMEDIATE, the query, one audit row,
 * COMMIT (what folio's grant does around patient_find, less the hash
 * chain). */
static void plain_lookups(sqlite3 *db, enum kind k, int audited, struct lookup_result *r)
{
	struct plain_hit *hits = xcalloc(HIT_MAX, sizeof *hits);
	sqlite3_stmt *s, *ins = NULL, *begin = NULL, *commit = NULL;
	double rows = 0, w0 = bench_now();

	bench_sql_ok(db, sqlite3_prepare_v2(db, plain_sql[k], -1, &s, NULL), "prepare lookup");
	if (audited) {
		bench_sql_ok(db, sqlite3_prepare_v2(db, "INSERT INTO plain_audit (at, user_name, role, workstation, action,"
					      " outcome, mrn, object_type, object_id, reason) VALUES"
					      " (?, 'tech', 'technician', 'bench', 'patient.find', 'ok', '', 'query', '', '')",
					      -1, &ins, NULL), "prepare audit row");
		bench_sql_ok(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare begin");
		bench_sql_ok(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare commit");
	}
	for (long i = 0; i < LOOKUPS; i++) {
		double t0 = bench_now();
		size_t n;

		if (audited) {
			bench_sql_ok(db, sqlite3_step(begin), "begin");
			sqlite3_reset(begin);
		}
		n = plain_query(db, s, k, queries[k][i], hits);
		if (audited) {
			char now[24];
			time_utc_now(now, sizeof now);
			sqlite3_bind_text(ins, 1, now, -1, SQLITE_TRANSIENT);
			bench_sql_ok(db, sqlite3_step(ins), "audit row");
			sqlite3_reset(ins);
			bench_sql_ok(db, sqlite3_step(commit), "commit");
			sqlite3_reset(commit);
		}
		r->lat[i] = bench_now() - t0;
		r->find[i] = r->lat[i];
		rows += (double)n;
		if (i < VERIFY) {
			r->counts[i] = n;
			for (size_t j = 0; j < n; j++)
				str_copy(r->mrns[i][j], MRN_MAX, hits[j].mrn);
		}
	}
	r->wall = bench_now() - w0;
	r->rows = rows / LOOKUPS;
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	free(hits);
}

static void plain_explain(sqlite3 *db, enum kind k)
{
	char sql[2048];
	sqlite3_stmt *s;

	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", plain_sql[k]);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	printf("  plan %-13s", kind_name[k]);
	while (sqlite3_step(s) == SQLITE_ROW)
		printf(" | %s", (const char *)sqlite3_column_text(s, 3));
	printf("\n");
	sqlite3_finalize(s);
}

/* Agreement of the first VERIFY answers; prints the first difference. */
static int agree(enum kind k, const struct lookup_result *f, const struct lookup_result *pl)
{
	int same = 0, shown = 0;

	for (long i = 0; i < VERIFY; i++) {
		int eq = f->counts[i] == pl->counts[i];
		size_t j;

		for (j = 0; eq && j < f->counts[i]; j++)
			eq = strcmp(f->mrns[i][j], pl->mrns[i][j]) == 0;
		if (eq) {
			same++;
			continue;
		}
		if (shown++)
			continue;
		for (j = 0; j < f->counts[i] && j < pl->counts[i]; j++)
			if (strcmp(f->mrns[i][j], pl->mrns[i][j]) != 0)
				break;
		printf("  %s: query '%s' differs: folio %zu rows, plaintext %zu rows, first difference at"
		       " row %zu (folio %s, plaintext %s)\n", kind_name[k], queries[k][i], f->counts[i],
		       pl->counts[i], j, j < f->counts[i] ? f->mrns[i][j] : "-",
		       j < pl->counts[i] ? pl->mrns[i][j] : "-");
	}
	return same;
}

/* Page usage per table and index (dbstat), largest first. */
static void space_report(const char *name)
{
	char p[300];
	sqlite3 *db;
	sqlite3_stmt *s;

	bench_path(p, sizeof p, name);
	if (sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(db, "SELECT name, sum(pgsize), sum(ncell) FROM dbstat GROUP BY name"
				   " ORDER BY 2 DESC LIMIT 6", -1, &s, NULL) == SQLITE_OK) {
		printf("  %-9s", name);
		while (sqlite3_step(s) == SQLITE_ROW)
			printf(" %s %.1f MB;", (const char *)sqlite3_column_text(s, 0),
			       (double)sqlite3_column_int64(s, 1) / 1e6);
		printf("\n");
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/* ---- table ------------------------------------------------------------------------ */

static const char *verdict(int ok)
{
	return ok ? "PASS" : "MISS";
}

static void fmt_ms(double s, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.3f ms", s * 1e3);
}

static long patients_wanted(void)
{
	const char *v = getenv("FOLIO_BENCH_PATIENTS");
	char *end;
	long n;

	if (!v || !*v)
		return N_DEFAULT;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1 || n > 8000000) {
		fprintf(stderr, "bench_patients: FOLIO_BENCH_PATIENTS must be 1..8000000\n");
		exit(2);
	}
	return n;
}

int main(void)
{
	struct lookup_result fr[K_COUNT], pr[K_COUNT], pa[K_COUNT];
	struct reg_result freg, preg;
	struct store *st;
	struct session *s;
	sqlite3 *db;
	long n = patients_wanted();
	int64_t *ids;
	long long fsize, psize, fsize_end;
	double t0 = bench_now(), t_setup, t_lookup_f = 0, t_lookup_p = 0, t_lookup_a = 0;
	/* [0] folio, [1] plaintext query alone, [2] plaintext query + audit row + commit */
	double p50[3][K_COUNT], p99[3][K_COUNT], find50[K_COUNT], find99[K_COUNT], grant50[K_COUNT];
	int agreed[K_COUNT], agreed_audited[K_COUNT];
	char a[32], b[32], c[32];
	double frate, prate, sratio;

	if (smem_init() != 0)
		bench_die("smem_init", NULL);
	bench_tmpdir();
	setvbuf(stdout, NULL, _IOLBF, 0);

	sample_stride = n / LOOKUPS > 1 ? n / LOOKUPS : 1;
	samples = xcalloc((size_t)(n / sample_stride + 1), sizeof *samples);
	ids = xcalloc((size_t)n, sizeof *ids);
	for (int k = 0; k < K_COUNT; k++) {
		struct lookup_result *r[3] = { &fr[k], &pr[k], &pa[k] };
		for (int j = 0; j < 3; j++) {
			memset(r[j], 0, sizeof *r[j]);
			r[j]->lat = xcalloc(LOOKUPS, sizeof(double));
			r[j]->find = xcalloc(LOOKUPS, sizeof(double));
			r[j]->mrns = xcalloc(VERIFY, sizeof *r[j]->mrns);
			r[j]->counts = xcalloc(VERIFY, sizeof *r[j]->counts);
		}
	}

	fprintf(stderr, "bench_patients: %ld patients in %s\n", n, bench_dir());
	s = folio_setup(&st);
	t_setup = bench_now() - t0;

	folio_register_all(s, n, ids, &freg);
	db = plain_open();
	plain_build(db, n, ids, &preg);
	fsize = file_size("folio.db");
	psize = file_size("plain.db");
	queries_make();

	for (int k = 0; k < K_COUNT; k++) {
		folio_lookups(s, (enum kind)k, &fr[k]);
		plain_lookups(db, (enum kind)k, 0, &pr[k]);
		plain_lookups(db, (enum kind)k, 1, &pa[k]);
		t_lookup_f += fr[k].wall;
		t_lookup_p += pr[k].wall;
		t_lookup_a += pa[k].wall;
		agreed[k] = agree((enum kind)k, &fr[k], &pr[k]);
		agreed_audited[k] = agree((enum kind)k, &fr[k], &pa[k]);
		fprintf(stderr, "  lookups %s: folio %.1f s, plaintext %.1f s, plaintext audited %.1f s\n", kind_name[k],
			fr[k].wall, pr[k].wall, pa[k].wall);
		{
			double *gr = xcalloc(LOOKUPS, sizeof *gr);
			for (long i = 0; i < LOOKUPS; i++)
				gr[i] = fr[k].lat[i] - fr[k].find[i];
			grant50[k] = percentile(gr, LOOKUPS, 0.50);
			free(gr);
		}
		p50[0][k] = percentile(fr[k].lat, LOOKUPS, 0.50);
		p99[0][k] = percentile(fr[k].lat, LOOKUPS, 0.99);
		p50[1][k] = percentile(pr[k].lat, LOOKUPS, 0.50);
		p99[1][k] = percentile(pr[k].lat, LOOKUPS, 0.99);
		p50[2][k] = percentile(pa[k].lat, LOOKUPS, 0.50);
		p99[2][k] = percentile(pa[k].lat, LOOKUPS, 0.99);
		find50[k] = percentile(fr[k].find, LOOKUPS, 0.50);
		find99[k] = percentile(fr[k].find, LOOKUPS, 0.99);
	}
	fsize_end = file_size("folio.db");

	printf("\nfolio bench: patients (SQLite %s, journal_mode=%s, synchronous=FULL, %s on %s)\n",
	       access_sqlite_version(), access_journal_mode(), bench_fs_name(bench_dir()), bench_dir());
	printf("N = %ld synthetic patients (seed 0x%llx), registered %d per grant/transaction;"
	       " %d lookups per kind, at most %d rows each\n", n, (unsigned long long)SEED, BATCH, LOOKUPS,
	       HIT_MAX);
	printf("lookup = access_begin(patient.find) + patient_find + access_end (audit row, commit)\n");
	printf("baselines: \"query alone\" = the plaintext SQL query; \"audited\" = BEGIN IMMEDIATE, the same query,"
	       " one plaintext audit row, COMMIT\n  (what any plaintext system that audits must also do; same"
	       " synchronous=FULL and journal mode); each p50 verdict names its baseline\n");
	printf("queries drawn from every %ld-th patient (%ld samples; %ld without a 3-ASCII-letter surname"
	       " or ASCII first initial give no name query)\n\n", sample_stride, n_samples, name_skipped);

	printf("%-44s %12s %12s %8s  %-36s %s\n", "", "folio", "baseline", "ratio", "target", "");
	frate = (double)n / freg.secs;
	prate = (double)n / preg.secs;
	printf("%-44s %10s/s %10s/s %7.1fx  %-36s %s\n", "bulk registration (patients)",
	       bench_fmt_rate(frate, a, sizeof a), bench_fmt_rate(prate, b, sizeof b), prate / frate,
	       ">= 10 k/s (baseline: plaintext)", verdict(frate >= T_RATE));
	for (int k = 0; k < K_COUNT; k++) {
		static const char *const base_label[3] = { "", "query alone", "audited query" };
		static const char *const base_target[3] = { "", "<= 3x plaintext query alone",
							    "<= 3x plaintext query+audit+commit" };
		char label[80];

		for (int j = 1; j <= 2; j++) {
			double ratio = p50[0][k] / p50[j][k];
			snprintf(label, sizeof label, "lookup %s p50 vs %s", kind_name[k], base_label[j]);
			fmt_ms(p50[0][k], a, sizeof a);
			fmt_ms(p50[j][k], b, sizeof b);
			printf("%-44s %12s %12s %7.1fx  %-36s %s\n", label, a, b, ratio, base_target[j],
			       verdict(ratio <= T_P50_RATIO));
		}
		snprintf(label, sizeof label, "lookup %s p99", kind_name[k]);
		fmt_ms(p99[0][k], a, sizeof a);
		fmt_ms(p99[1][k], b, sizeof b);
		printf("%-44s %12s %12s %7.1fx  %-36s %s\n", label, a, b, p99[0][k] / p99[1][k],
		       "< 5 ms (baseline: query alone)", verdict(p99[0][k] < T_P99));
		snprintf(label, sizeof label, "  rows returned (mean) %s", kind_name[k]);
		printf("%-44s %12.1f %12.1f %8s  matched %.1f (folio total, mean)\n", label, fr[k].rows,
		       pr[k].rows, "", fr[k].total);
	}
	sratio = (double)fsize / (double)psize;
	snprintf(a, sizeof a, "%.1f MB", (double)fsize / 1e6);
	snprintf(b, sizeof b, "%.1f MB", (double)psize / 1e6);
	printf("%-44s %12s %12s %7.2fx  %-36s %s\n", "database file after registration", a, b, sratio,
	       "<= 2.5x (baseline: plaintext)", verdict(sratio <= T_SIZE_RATIO));
	printf("%-44s %9.0f B %10.0f B\n", "  per patient", (double)fsize / (double)n, (double)psize / (double)n);

	printf("\nplaintext baselines (p50 / p99):\n");
	for (int k = 0; k < K_COUNT; k++) {
		fmt_ms(p50[1][k], a, sizeof a);
		fmt_ms(p99[1][k], b, sizeof b);
		printf("  %-14s query alone %s / %s;", kind_name[k], a, b);
		fmt_ms(p50[2][k], a, sizeof a);
		fmt_ms(p99[2][k], b, sizeof b);
		fmt_ms(p50[2][k] - p50[1][k], c, sizeof c);
		printf(" audited %s / %s (audit row + commit adds %s at p50)\n", a, b, c);
	}

	printf("\nfolio lookup, split (p50 / p99):\n");
	for (int k = 0; k < K_COUNT; k++) {
		fmt_ms(find50[k], a, sizeof a);
		fmt_ms(find99[k], b, sizeof b);
		fmt_ms(grant50[k], c, sizeof c);
		printf("  %-14s patient_find %s / %s (p50 %.1fx plaintext query alone); grant (audit row + commit) p50 %s\n",
		       kind_name[k], a, b, find50[k] / p50[1][k], c);
	}
	printf("\nagreement (same MRNs in the same order, first %d queries per kind):", VERIFY);
	for (int k = 0; k < K_COUNT; k++)
		printf(" %s %d/%d;", kind_name[k], agreed[k], VERIFY);
	printf("\n  (audited baseline:");
	for (int k = 0; k < K_COUNT; k++)
		printf(" %s %d/%d;", kind_name[k], agreed_audited[k], VERIFY);
	printf(")\n");
	for (int k = 0; k < K_COUNT; k++)
		if (fr[k].errors)
			printf("  folio %s: %ld lookups refused, first %s\n", kind_name[k], fr[k].errors,
			       fr[k].first_error);
	for (int f = 0; f < PF_COUNT; f++)
		if (refused[f])
			printf("  patient_set refused %ld %s values (first: %s); stored empty in both\n",
			       refused[f], patient_field_name((enum patient_field)f), refused_msg[f]);

	printf("\nspace by table/index (dbstat):\n");
	space_report("folio.db");
	space_report("plain.db");
	printf("  folio.db after the lookups: %.1f MB (their audit rows)\n", (double)fsize_end / 1e6);
	printf("baseline query plans:\n");
	for (int k = 0; k < K_COUNT; k++)
		plain_explain(db, (enum kind)k);

	printf("\nphases: setup %.1f s; folio registration %.1f s (in grants %.1f s, of which patient_set"
	       " %.1f s; synth %.1f s outside); plaintext build %.1f s (in transactions %.1f s; synth %.1f s"
	       " outside); lookups folio %.1f s, plaintext %.1f s, plaintext audited %.1f s\n", t_setup, freg.wall,
	       freg.secs, freg.fill_secs, freg.gen_secs, preg.wall, preg.secs, preg.gen_secs, t_lookup_f, t_lookup_p,
	       t_lookup_a);
	printf("(bench_patients took %.1f s)\n", bench_now() - t0);

	sqlite3_close(db);
	access_logout(s);
	access_close(st);
	return 0;
}
