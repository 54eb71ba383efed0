/* folio bench: `import synthea` at a realistic size.  The dbt-synthea set
 * (../shared/testdata/synthea_csv, 27 patients) is replicated with new Ids
 * (every UUID's first eight hex digits replaced by the copy number) to
 * FOLIO_BENCH_SYNTHEA_PATIENTS patients (default 20,000: about 450,000
 * encounters and 1.7 million clinical rows) in the bench directory, then
 * imported as `folio import synthea` does: one ACT_IMPORT_RUN grant (audit
 * row, transaction, commit) per step of STEP_PATIENTS patients or STEP_ROWS
 * rows (src/core/import_synthea.c), every value checked, sealed, keyed.
 * The import's CPU time is printed beside its wall time: on a shared
 * machine the difference is other work, not folio's.
 *
 * Baseline, same process, same file system, same pragmas: the same rows
 * read with the same CSV reader and inserted as plaintext into SQLite in
 * transactions of the same size, each with its source key looked up and
 * recorded (what makes a rerun add nothing), no checks, no crypto, no
 * audit.  Targets (issue 8): >= 20,000 patients/s and >= 100,000 clinical
 * rows/s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "bench_sql.h"
#include "folio/access.h"
#include "folio/account.h"
#include "folio/crypto.h"
#include "folio/csv.h"
#include "folio/smem.h"
#include "folio/synthea.h"
#include "folio/textfile.h"

#define SRC "../shared/testdata/synthea_csv/ohdsi-dbt-synthea_27p_v3.0.0"
#define T_PATIENTS 20000.0
#define T_ROWS 100000.0
#define STEP_PATIENTS 5000       /* as src/core/import_synthea.c BATCH_PATIENTS */
#define STEP_ROWS 100000         /* and BATCH_ROWS */

const char *bench_program = "bench_import";
static const char admin_pw[] = "bench-admin-password-01";
static const char tech_pw[] = "bench-tech-password-0001";
static char data_dir[300];
static long rows_in[SYN_FILES];

static void data_cleanup(void)
{
	char p[400];

	if (getenv("FOLIO_BENCH_KEEP"))
		return;
	for (int f = 0; f < SYN_FILES; f++) {
		snprintf(p, sizeof p, "%s/%s", data_dir, synthea_file_name(f));
		unlink(p);
	}
	rmdir(data_dir);
}

static int is_uuid(const char *s, size_t n)
{
	return n == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

/* Writes copies 0..copies-1 of the source file, UUIDs renumbered. */
static void replicate(int file, long copies)
{
	struct textfile tf;
	struct folio_err e;
	char p[400];
	FILE *out;
	const char *body;

	if (textfile_read(SRC, synthea_file_name(file), &tf, &e) != FOLIO_OK)
		bench_die(synthea_file_name(file), &e);
	snprintf(p, sizeof p, "%s/%s", data_dir, synthea_file_name(file));
	if (!(out = fopen(p, "w")))
		bench_die(p, NULL);
	body = strchr(tf.data, '\n') + 1;
	fwrite(tf.data, 1, (size_t)(body - tf.data), out);
	for (long k = 0; k < copies; k++) {
		const char *q = body;
		while (*q) {
			size_t n = strcspn(q, ",\n");
			if (is_uuid(q, n)) {
				fprintf(out, "%08lx", (unsigned long)k);
				fwrite(q + 8, 1, n - 8, out);
			} else {
				fwrite(q, 1, n, out);
			}
			q += n;
			if (*q) {
				if (*q == '\n')
					rows_in[file]++;
				fputc(*q++, out);
			}
		}
	}
	fclose(out);
	textfile_free(&tf);
}

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
	if (access_open(p, st, &e) != FOLIO_OK || access_login(*st, "admin", admin_pw, sizeof admin_pw - 1,
								  &admin, &e) != FOLIO_OK)
		bench_die("open and sign in", &e);
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

static long read_total(const struct synthea_report *r, int from, int to)
{
	long n = 0;

	for (int f = from; f < to; f++)
		n += r->f[f].read;
	return n;
}

/* folio: seconds spent on each file (a step handles one file). */
static void folio_import(struct session *s, double secs[SYN_FILES], struct synthea_report *out)
{
	struct synthea_import *imp;
	struct folio_err e;
	int done = 0;

	if (synthea_import_open(data_dir, NULL, &imp, &e) != FOLIO_OK)
		bench_die("synthea_import_open", &e);
	while (!done) {
		const struct synthea_report *r = synthea_import_report(imp);
		long before[SYN_FILES];
		struct grant *g;
		double t0 = bench_now();
		int rc;

		for (int f = 0; f < SYN_FILES; f++)
			before[f] = r->f[f].read;
		if (access_begin(s, ACT_IMPORT_RUN, NULL, "import", "synthea", &g, &e) != FOLIO_OK)
			bench_die("access_begin import.run", &e);
		rc = synthea_import_step(g, imp, &done, &e);
		if (access_end(g, rc, &e) != FOLIO_OK)
			bench_die("import step", &e);
		for (int f = 0; f < SYN_FILES; f++)
			if (r->f[f].read != before[f]) {
				secs[f] += bench_now() - t0;
				break;
			}
	}
	*out = *synthea_import_report(imp);
	synthea_import_free(imp);
}

/* ---- the plaintext baseline ------------------------------------------------ */

static const char plain_schema[] =
	"CREATE TABLE patients (id INTEGER PRIMARY KEY, src TEXT, last TEXT, first TEXT, middle TEXT,"
	" suffix TEXT, dob TEXT, sex TEXT, ssn TEXT, address TEXT, city TEXT, state TEXT, zip TEXT, race TEXT,"
	" ethnicity TEXT, created_at TEXT);"
	"CREATE TABLE encounters (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id), kind TEXT,"
	" state TEXT, started_at TEXT, ended_at TEXT, clinic TEXT, reason TEXT);"
	"CREATE INDEX encounters_patient ON encounters(patient_id, started_at);"
	"CREATE TABLE items (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id), encounter_id INTEGER"
	" REFERENCES encounters(id), kind TEXT, code TEXT, text TEXT, value TEXT, units TEXT, start TEXT, stop TEXT);"
	"CREATE INDEX items_patient ON items(patient_id, kind);"
	"CREATE TABLE keys (key TEXT PRIMARY KEY, row_id INTEGER) WITHOUT ROWID;";

struct plain {
	sqlite3 *db;
	sqlite3_stmt *find, *key, *pat, *enc, *item;
};

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;

	bench_sql_ok(db, sqlite3_prepare_v2(db, sql, -1, &s, NULL), sql);
	return s;
}

static int64_t plain_find(struct plain *p, const char *key)
{
	int64_t id = 0;

	sqlite3_bind_text(p->find, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(p->find) == SQLITE_ROW)
		id = sqlite3_column_int64(p->find, 0);
	sqlite3_reset(p->find);
	return id;
}

static void plain_key(struct plain *p, const char *key, int64_t id)
{
	sqlite3_bind_text(p->key, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(p->key, 2, id);
	bench_sql_ok(p->db, sqlite3_step(p->key), "key");
	sqlite3_reset(p->key);
}

static void plain_row(struct plain *p, int file, const struct syn_map *m, const struct csv *c)
{
	static const char *const kinds[SYN_FILES] = { "", "", "problem", "medication", "allergy", "procedure",
						      "observation" };
	char key[600], now[24];
	int64_t pid, eid = 0;
	sqlite3_stmt *s;

	if (file <= SYN_ENCOUNTERS)
		snprintf(key, sizeof key, "%d:%s", file, synthea_get(m, c, SC_ID));
	else if (synthea_row_key(m, c, key + 2, sizeof key - 2) == 0)
		key[0] = (char)('0' + file), key[1] = ':';
	if (plain_find(p, key))
		return;
	time_utc_now(now, sizeof now);
	if (file == SYN_PATIENTS) {
		static const int cols[] = { SC_ID, SC_LAST, SC_FIRST, SC_MIDDLE, SC_SUFFIX, SC_BIRTHDATE, SC_GENDER,
					    SC_SSN, SC_ADDRESS, SC_CITY, SC_STATE, SC_ZIP, SC_RACE, SC_ETHNICITY };
		s = p->pat;
		for (int i = 0; i < 14; i++)
			sqlite3_bind_text(s, i + 1, synthea_get(m, c, cols[i]), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 15, now, -1, SQLITE_TRANSIENT);
	} else {
		char pk[100];
		snprintf(pk, sizeof pk, "0:%s", synthea_get(m, c, SC_PATIENT));
		pid = plain_find(p, pk);
		if (*synthea_get(m, c, SC_ENCOUNTER)) {
			snprintf(pk, sizeof pk, "1:%s", synthea_get(m, c, SC_ENCOUNTER));
			eid = plain_find(p, pk);
		}
		if (file == SYN_ENCOUNTERS) {
			s = p->enc;
			sqlite3_bind_int64(s, 1, pid);
			sqlite3_bind_text(s, 2, synthea_encounter_kind(synthea_get(m, c, SC_CLASS)), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, "closed", -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, synthea_get(m, c, SC_START), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, synthea_get(m, c, SC_STOP), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 6, synthea_get(m, c, SC_CLASS), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 7, synthea_get(m, c, SC_REASONDESC), -1, SQLITE_STATIC);
		} else {
			s = p->item;
			sqlite3_bind_int64(s, 1, pid);
			if (eid)
				sqlite3_bind_int64(s, 2, eid);
			else
				sqlite3_bind_null(s, 2);
			sqlite3_bind_text(s, 3, kinds[file], -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, synthea_get(m, c, SC_CODE), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, synthea_get(m, c, SC_DESC), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 6, synthea_get(m, c, SC_VALUE), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 7, synthea_get(m, c, SC_UNITS), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 8, synthea_get(m, c, SC_START), -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 9, synthea_get(m, c, SC_STOP), -1, SQLITE_STATIC);
		}
	}
	bench_sql_ok(p->db, sqlite3_step(s), "insert");
	sqlite3_reset(s);
	plain_key(p, key, sqlite3_last_insert_rowid(p->db));
}

static void plain_import(double secs[SYN_FILES])
{
	static char buf[64 * 1024];
	struct plain p;

	p.db = bench_plain_open("plain.db");
	bench_sql_ok(p.db, sqlite3_exec(p.db, plain_schema, NULL, NULL, NULL), "schema");
	p.find = prep(p.db, "SELECT row_id FROM keys WHERE key = ?");
	p.key = prep(p.db, "INSERT INTO keys VALUES (?, ?)");
	p.pat = prep(p.db, "INSERT INTO patients (src, last, first, middle, suffix, dob, sex, ssn, address, city,"
			   " state, zip, race, ethnicity, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	p.enc = prep(p.db, "INSERT INTO encounters (patient_id, kind, state, started_at, ended_at, clinic, reason)"
			   " VALUES (?,?,?,?,?,?,?)");
	p.item = prep(p.db, "INSERT INTO items (patient_id, encounter_id, kind, code, text, value, units, start,"
			    " stop) VALUES (?,?,?,?,?,?,?,?,?)");
	for (int f = 0; f < SYN_FILES; f++) {
		struct textfile tf;
		struct folio_err e;
		struct syn_map m;
		struct csv c;
		char why[96];
		double t0 = bench_now();
		long n = 0, batch = f == SYN_PATIENTS ? STEP_PATIENTS : STEP_ROWS;
		int rc;

		if (textfile_read(data_dir, synthea_file_name(f), &tf, &e) != FOLIO_OK)
			bench_die("read", &e);
		csv_open(&c, tf.data, tf.len, buf, sizeof buf);
		if (csv_header(&c) || synthea_map(f, &c, &m, why, sizeof why))
			bench_die("header", NULL);
		bench_sql_ok(p.db, sqlite3_exec(p.db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
		while ((rc = csv_next(&c)) != 0) {
			if (rc > 0)
				plain_row(&p, f, &m, &c);
			if (++n % batch == 0)
				bench_sql_ok(p.db, sqlite3_exec(p.db, "COMMIT; BEGIN IMMEDIATE", NULL, NULL, NULL),
					     "commit");
		}
		bench_sql_ok(p.db, sqlite3_exec(p.db, "COMMIT", NULL, NULL, NULL), "commit");
		textfile_free(&tf);
		secs[f] = bench_now() - t0;
	}
	sqlite3_finalize(p.find);
	sqlite3_finalize(p.key);
	sqlite3_finalize(p.pat);
	sqlite3_finalize(p.enc);
	sqlite3_finalize(p.item);
	sqlite3_close(p.db);
}

int main(void)
{
	const char *v = getenv("FOLIO_BENCH_SYNTHEA_PATIENTS");
	long want = v && *v ? atol(v) : 20000, copies;
	double fs[SYN_FILES] = { 0 }, ps[SYN_FILES] = { 0 }, t0 = bench_now(), f_clin = 0, p_clin = 0, f_wall, f_cpu;
	struct timespec c0, c1;
	long clin = 0, imported = 0;
	struct synthea_report rep;
	struct session *s;
	struct store *st;
	char a[32], b[32];

	if (smem_init() != 0)
		bench_die("smem_init", NULL);
	if (want < 27 || want > 2000000) {
		fprintf(stderr, "bench_import: FOLIO_BENCH_SYNTHEA_PATIENTS must be 27..2000000\n");
		return 2;
	}
	if (access(SRC "/patients.csv", R_OK) != 0) {
		printf("bench_import: skipped: %s not found\n", SRC);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_tmpdir();
	snprintf(data_dir, sizeof data_dir, "%s/synthea", bench_dir());
	if (mkdir(data_dir, 0700) != 0)
		bench_die("mkdir", NULL);
	atexit(data_cleanup);
	copies = (want + 26) / 27;
	for (int f = 0; f < SYN_FILES; f++)
		replicate(f, copies);
	fprintf(stderr, "bench_import: %ld copies of dbt-synthea in %s\n", copies, data_dir);

	s = folio_setup(&st);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	f_wall = bench_now();
	folio_import(s, fs, &rep);
	f_wall = bench_now() - f_wall;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	f_cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	plain_import(ps);
	for (int f = SYN_ENCOUNTERS; f < SYN_FILES; f++) {
		clin += rows_in[f];
		f_clin += fs[f];
		p_clin += ps[f];
	}
	for (int f = 0; f < SYN_FILES; f++)
		imported += rep.f[f].imported;

	printf("\nfolio bench: import synthea (SQLite %s, journal_mode=%s, synchronous=FULL, %s on %s)\n",
	       access_sqlite_version(), access_journal_mode(), bench_fs_name(bench_dir()), bench_dir());
	printf("%ld patients, %ld encounters, %ld other clinical rows (dbt-synthea x %ld, new Ids);"
	       " folio: one import.run grant per %d patients / %d rows\n", rows_in[SYN_PATIENTS],
	       rows_in[SYN_ENCOUNTERS], clin - rows_in[SYN_ENCOUNTERS], copies, STEP_PATIENTS, STEP_ROWS);
	printf("baseline: the same rows, same CSV reader, plaintext INSERTs + source-key lookup, same batches and"
	       " pragmas\n\n");
	printf("%-40s %12s %12s %8s  %-22s %s\n", "", "folio", "baseline", "ratio", "target", "");
	printf("%-40s %10s/s %10s/s %7.1fx  %-22s %s\n", "patients (demographics)",
	       bench_fmt_rate((double)rows_in[SYN_PATIENTS] / fs[SYN_PATIENTS], a, sizeof a),
	       bench_fmt_rate((double)rows_in[SYN_PATIENTS] / ps[SYN_PATIENTS], b, sizeof b),
	       fs[SYN_PATIENTS] / ps[SYN_PATIENTS], ">= 20 k/s",
	       (double)rows_in[SYN_PATIENTS] / fs[SYN_PATIENTS] >= T_PATIENTS ? "PASS" : "MISS");
	printf("%-40s %10s/s %10s/s %7.1fx  %-22s %s\n", "clinical rows (encounters and the rest)",
	       bench_fmt_rate((double)clin / f_clin, a, sizeof a), bench_fmt_rate((double)clin / p_clin, b, sizeof b),
	       f_clin / p_clin, ">= 100 k/s", (double)clin / f_clin >= T_ROWS ? "PASS" : "MISS");
	for (int f = SYN_ENCOUNTERS; f < SYN_FILES; f++)
		printf("  %-38s %10s/s %10s/s %7.1fx\n", synthea_file_name(f),
		       bench_fmt_rate((double)rows_in[f] / fs[f], a, sizeof a),
		       bench_fmt_rate((double)rows_in[f] / ps[f], b, sizeof b), fs[f] / ps[f]);
	printf("rows read %ld, imported %ld (of %ld in the files); observations: %ld vitals rows in %ld sets,"
	       " %ld results\n", read_total(&rep, 0, SYN_FILES), imported, clin + rows_in[SYN_PATIENTS],
	       rep.vitals_rows, rep.vitals_sets, rep.result_rows);
	printf("folio import: %.1f s wall, %.1f s CPU (user and system) of this process\n", f_wall, f_cpu);
	printf("(bench_import took %.1f s)\n", bench_now() - t0);
	access_logout(s);
	access_close(st);
	return 0;
}
