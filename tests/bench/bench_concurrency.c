/* folio bench: a clinic's whole department at once (issue 9, concurrency).
 * P processes for S seconds fork/exec the folio binary (env FOLIO, else
 * build/folio) against one database file, each with a role's mix: desk
 * (lookups, check-ins), doctor (note edits with the row version, new notes
 * signed, vitals), technician (coding, vitals, note edits), supervisor
 * (audit reads).  Every invocation is timed around fork/exec/wait and its
 * outcome classified: ok, stale (a correct refusal: "changed by someone
 * else"), busy (SQLITE_BUSY text reached the user: a failure) or failed.
 *
 * Then it checks, printing PASS/FAIL lines (tests/run.sh counts them):
 * no busy and no unexplained failure; no lost update (every accepted vitals
 * add, check-in, new note and signature is in the data; the shared note
 * carries the marker of every accepted edit exactly once; the coding holds
 * exactly the codes each coder's accepted toggles leave); audit sequence
 * numbers dense and unique, rows added >= commands that succeeded, and
 * `audit verify` and `db check` pass.  It prints count, ops/s, p50 and p99
 * per operation, beside a single-process baseline (each operation N times
 * by one process alone, before the concurrent phase).  Timings are never
 * asserted.  Exit 1 when a check fails.
 *
 *   bench_concurrency [--procs P] [--seconds S] [--baseline N] [--patients N]
 *                     [--codesets DIR]
 * Defaults (the `make bench` form): 8 processes, 60 s, baseline 5 runs each,
 * 200 patients, the code sets from ../shared/codesets when present.
 *
 * Only libc: tests/reliability/concurrency.sh compiles it on its own.  The
 * demo database uses the interactive Argon2id parameters for every user
 * (as shipped): each invocation pays one password derivation outside any
 * transaction; `note sign` pays a second one for the signature code. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT_CAP (256 * 1024)
#define MAX_PROCS 64
#define MAX_SAMPLES 200000
#define NOTE_RETRIES 12
#define CODE_POOL 4
#define VITAL_MRNS 3

enum op {
	OP_FIND, OP_CHECKIN, OP_VITALS, OP_NOTE_SHOW, OP_NOTE_EDIT, OP_NOTE_NEW, OP_NOTE_SIGN,
	OP_CODING, OP_AUDIT_SHOW, OP_AUDIT_VERIFY, OP_COUNT
};
static const char *const op_name[OP_COUNT] = {
	"patient find", "checkin", "vitals add", "note show", "note edit", "note new", "note sign",
	"coding add/remove", "audit show", "audit verify",
};

enum outcome { RES_OK, RES_STALE, RES_BUSY, RES_FAIL, RES_COUNT };

static const char *folio;
static char dir[256], db[300];
static char mrn_note[16], mrn_vitals[VITAL_MRNS][16];
static long enc_id, note_id;
static int in_worker; /* a forked worker: the directory is the parent's to remove */

/* ---- running folio ----------------------------------------------------- */

struct result {
	int status;      /* exit code, or 128+signal */
	double ms;
	char out[OUT_CAP];
	size_t outlen;
	char err[4096];
	size_t errlen;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_concurrency: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void drain(int fd, char *buf, size_t cap, size_t *len, int *open_)
{
	char sink[4096];
	ssize_t n;

	if (*len + 1 < cap)
		n = read(fd, buf + *len, cap - 1 - *len);
	else
		n = read(fd, sink, sizeof sink);
	if (n > 0) {
		if (*len + 1 < cap)
			*len += (size_t)n;
	} else if (n == 0 || errno != EINTR) {
		*open_ = 0;
	}
	buf[*len] = '\0';
}

/* Runs folio as USER (demo password) with ARGS; stdin from `in` (or
 * /dev/null).  Timed from just before fork to just after wait. */
static void run(struct result *r, const char *user, const char *in, const char *const *args)
{
	const char *argv[32];
	int po[2], pe[2], n = 0;
	char pw[64], infile[320];
	pid_t pid;
	double t0;

	argv[n++] = folio;
	argv[n++] = "--db";
	argv[n++] = db;
	if (user) {
		argv[n++] = "--user";
		argv[n++] = user;
	}
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(pw, sizeof pw, "demo-%s-pass", user ? user : "admin");
	infile[0] = '\0';
	if (in) {
		int fd;
		snprintf(infile, sizeof infile, "%s/stdin.%d", dir, (int)getpid());
		fd = open(infile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, in, strlen(in)) != (ssize_t)strlen(in))
			die("writing %s: %s", infile, strerror(errno));
		close(fd);
	}
	if (pipe(po) || pipe(pe))
		die("pipe: %s", strerror(errno));
	t0 = now_s();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(in ? infile : "/dev/null", O_RDONLY);
		dup2(fd, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		setenv("FOLIO_PASSWORD", pw, 1);
		setenv("FOLIO_SIGNATURE_CODE", "demo-doctor-sign", 1);
		execv(folio, (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	r->outlen = r->errlen = 0;
	r->out[0] = r->err[0] = '\0';
	{
		struct pollfd p[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		int oo = 1, eo = 1;
		while (oo || eo) {
			p[0].fd = oo ? po[0] : -1;
			p[1].fd = eo ? pe[0] : -1;
			if (poll(p, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				die("poll: %s", strerror(errno));
			}
			if (oo && p[0].revents)
				drain(po[0], r->out, sizeof r->out, &r->outlen, &oo);
			if (eo && p[1].revents)
				drain(pe[0], r->err, sizeof r->err, &r->errlen, &eo);
		}
	}
	close(po[0]);
	close(pe[0]);
	{
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	r->ms = (now_s() - t0) * 1e3;
	if (in)
		unlink(infile);
}

#define RUN(r, user, in, ...) run((r), (user), (in), (const char *const[]){ __VA_ARGS__, NULL })

/* A failing setup step ends the run. */
static void must(struct result *r, const char *what)
{
	if (r->status != 0)
		die("%s: exit %d: %s", what, r->status, r->err);
}

static enum outcome classify(const struct result *r)
{
	if (r->status == 0)
		return RES_OK;
	if (strcasestr(r->err, "busy") || strcasestr(r->err, "locked"))
		return RES_BUSY;
	if (r->status == 1 && (strstr(r->err, "changed by someone else") || strstr(r->err, "changed meanwhile") ||
			       strstr(r->err, "someone else coded")))
		return RES_STALE;
	return RES_FAIL;
}

/* Lines of output, less the header. */
static long rows(const struct result *r)
{
	long n = 0;

	for (size_t i = 0; i < r->outlen; i++)
		n += r->out[i] == '\n';
	return n > 0 ? n - 1 : 0;
}

/* The value of "KEY\tVALUE" in r's output, or "". */
static void field(const struct result *r, const char *key, char *buf, size_t cap)
{
	size_t k = strlen(key);

	buf[0] = '\0';
	for (const char *p = r->out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, k) == 0 && p[k] == '\t') {
			size_t n = strcspn(p + k + 1, "\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(buf, p + k + 1, n);
			buf[n] = '\0';
			return;
		}
	}
}

static long count_substr(const char *hay, const char *needle)
{
	long n = 0;
	size_t k = strlen(needle);

	for (const char *p = hay; (p = strstr(p, needle)); p += k)
		n++;
	return n;
}

/* ---- the log each worker writes, read back by the parent -------------- */

static FILE *wlog;

static void log_op(enum op op, const struct result *r, enum outcome o)
{
	fprintf(wlog, "op %d %.3f %d\n", (int)op, r->ms, (int)o);
	if (o == RES_FAIL || o == RES_BUSY) {
		char msg[240];
		size_t n = strcspn(r->err, "\n");
		if (n >= sizeof msg)
			n = sizeof msg - 1;
		memcpy(msg, r->err, n);
		msg[n] = '\0';
		fprintf(wlog, "why %s: exit %d: %s\n", op_name[op], r->status, msg);
	}
}

static enum outcome timed(enum op op, struct result *r)
{
	enum outcome o = classify(r);
	log_op(op, r, o);
	return o;
}

/* ---- the operations ------------------------------------------------------ */

struct worker {
	int id;
	const char *user;
	unsigned seed;
	long edits;
	int slot;        /* which of its role's workers: picks the coder's codes */
	int code_present[CODE_POOL];
	int next_code;
};

static const char *const codes[] = {
	"I10", "E119", "N179", "J449", "I4891", "D649", "E039", "K219", "F329", "E785",
	"G4733", "M1990", "R739", "E6601", "I2510", "K5900",
};

static unsigned rnd(struct worker *w)
{
	w->seed = w->seed * 1103515245u + 12345u;
	return (w->seed >> 16) & 0x7fff;
}

/* Lookups the demo always answers: by name, name prefix, DOB and MRN. */
static void op_find(struct worker *w, struct result *r)
{
	const char *const finds[] = { "Smith", "smi,j", "1980-03-04", "1985-07-01", mrn_vitals[1] };

	RUN(r, w->user, NULL, "patient", "find", finds[rnd(w) % (sizeof finds / sizeof finds[0])]);
	timed(OP_FIND, r);
}

static void op_checkin(struct worker *w, struct result *r)
{
	const char *m = mrn_vitals[rnd(w) % VITAL_MRNS];

	RUN(r, w->user, NULL, "checkin", m, "--clinic", "Medicine", "--visit-reason", "concurrency");
	if (timed(OP_CHECKIN, r) == RES_OK)
		fprintf(wlog, "checkin\n");
}

static void op_vitals(struct worker *w, struct result *r)
{
	char pulse[8];
	const char *m = mrn_vitals[rnd(w) % VITAL_MRNS];

	snprintf(pulse, sizeof pulse, "%u", 50 + rnd(w) % 60);
	RUN(r, w->user, NULL, "vitals", "add", m, "--pulse", pulse, "--bp", "120/80");
	if (timed(OP_VITALS, r) == RES_OK)
		fprintf(wlog, "vital %ld\n", strtol(r->out, NULL, 10));
}

/* Read, append this worker's marker, save with the row version read; on a
 * stale refusal read again and retry.  Accepted markers are logged. */
static void op_note_edit(struct worker *w, struct result *r)
{
	char id[24], rv[24], marker[48];
	static char text[OUT_CAP + 64];

	snprintf(id, sizeof id, "%ld", note_id);
	snprintf(marker, sizeof marker, "edit-w%d-n%ld", w->id, w->edits + 1);
	for (int tries = 0; tries < NOTE_RETRIES; tries++) {
		const char *body;
		RUN(r, w->user, NULL, "note", "show", id);
		if (timed(OP_NOTE_SHOW, r) != RES_OK)
			return;
		field(r, "row_version", rv, sizeof rv);
		body = strstr(r->out, "\n----\n");
		if (!rv[0] || !body) {
			fprintf(wlog, "why note show: no row_version or text in the output\n");
			return;
		}
		snprintf(text, sizeof text, "%s%s\n", body + 6, marker);
		RUN(r, w->user, text, "note", "edit", id, "--version", rv);
		switch (timed(OP_NOTE_EDIT, r)) {
		case RES_OK:
			w->edits++;
			fprintf(wlog, "mark %s\n", marker);
			return;
		case RES_STALE:
			continue;
		default:
			return;
		}
	}
	fprintf(wlog, "gaveup\n");
}

static void op_note_new_sign(struct worker *w, struct result *r)
{
	char enc[24], id[24];

	snprintf(enc, sizeof enc, "%ld", enc_id);
	RUN(r, w->user, "Progress note written under load.\n", "note", "new", mrn_note, "--type", "progress",
	    "--author", "doctor", "--encounter", enc);
	if (timed(OP_NOTE_NEW, r) != RES_OK)
		return;
	snprintf(id, sizeof id, "%ld", strtol(r->out, NULL, 10));
	fprintf(wlog, "note %s\n", id);
	RUN(r, w->user, NULL, "note", "sign", id);
	if (timed(OP_NOTE_SIGN, r) == RES_OK)
		fprintf(wlog, "signed %s\n", id);
}

/* Each coder owns CODE_POOL codes and toggles them: add when absent,
 * remove when present.  The log says what each accepted toggle left. */
static void op_coding(struct worker *w, struct result *r)
{
	int i = w->next_code++ % CODE_POOL;
	const char *code = codes[(w->slot * CODE_POOL + i) % (sizeof codes / sizeof codes[0])];
	char enc[24], sdx[16];

	snprintf(enc, sizeof enc, "%ld", enc_id);
	snprintf(sdx, sizeof sdx, "%s:Y", code);
	if (w->code_present[i])
		RUN(r, w->user, NULL, "coding", "remove", enc, "--sdx", code);
	else
		RUN(r, w->user, NULL, "coding", "add", enc, "--sdx", sdx);
	if (timed(OP_CODING, r) == RES_OK) {
		w->code_present[i] = !w->code_present[i];
		fprintf(wlog, "code %s %d\n", code, w->code_present[i]);
	}
}

static void op_audit_show(struct worker *w, struct result *r)
{
	RUN(r, w->user, NULL, "audit", "show", "--limit", "50");
	timed(OP_AUDIT_SHOW, r);
}

static void op_audit_verify(struct worker *w, struct result *r)
{
	RUN(r, w->user, NULL, "audit", "verify");
	timed(OP_AUDIT_VERIFY, r);
}

typedef void (*op_fn)(struct worker *, struct result *);

/* A role's mix: operations with weights out of 100. */
struct persona {
	const char *user;
	struct { op_fn fn; int weight; } mix[5];
};

static const struct persona personas[] = {
	{ "desk", { { op_find, 55 }, { op_checkin, 45 } } },
	{ "doctor", { { op_note_edit, 40 }, { op_vitals, 25 }, { op_note_new_sign, 15 }, { op_find, 20 } } },
	{ "tech", { { op_coding, 45 }, { op_vitals, 20 }, { op_note_edit, 20 }, { op_find, 15 } } },
	{ "super", { { op_audit_show, 50 }, { op_audit_verify, 20 }, { op_find, 30 } } },
};
/* Process k plays personas[order[k % 8]]: 2 desks, 3 doctors, 2 techs, 1 supervisor. */
static const int order[8] = { 0, 1, 2, 3, 0, 1, 2, 1 };

static void worker_run(int k, double until, unsigned seed)
{
	const struct persona *p = &personas[order[k % 8]];
	struct worker w = { .id = k, .user = p->user, .seed = seed };
	static struct result r;
	char path[320];

	for (int i = 0; i < k; i++)
		w.slot += order[i % 8] == order[k % 8];

	in_worker = 1;
	snprintf(path, sizeof path, "%s/w%d.log", dir, k);
	if (!(wlog = fopen(path, "w")))
		die("%s: %s", path, strerror(errno));
	setvbuf(wlog, NULL, _IOLBF, 0);
	while (now_s() < until) {
		int x = (int)(rnd(&w) % 100), acc = 0;
		for (int i = 0; i < 5 && p->mix[i].fn; i++) {
			acc += p->mix[i].weight;
			if (x < acc) {
				p->mix[i].fn(&w, &r);
				break;
			}
		}
	}
	fclose(wlog);
}

/* ---- the tally ------------------------------------------------------------ */

struct tally {
	double *ms[OP_COUNT];
	long n[OP_COUNT], cap[OP_COUNT], by[OP_COUNT][RES_COUNT];
	long vitals, checkins, notes, signs, gaveup, marks;
	char *markers;           /* "\n"-joined accepted markers */
	size_t mlen, mcap;
	int code_state[sizeof codes / sizeof codes[0]]; /* -1 untouched */
	char whys[8][260];
	int nwhy;
	long whys_total;
};

static void tally_add(struct tally *t, enum op op, double ms, enum outcome o)
{
	if (t->n[op] == t->cap[op]) {
		t->cap[op] = t->cap[op] ? t->cap[op] * 2 : 256;
		if (!(t->ms[op] = realloc(t->ms[op], (size_t)t->cap[op] * sizeof(double))))
			die("out of memory");
	}
	t->ms[op][t->n[op]++] = ms;
	t->by[op][o]++;
}

static void tally_read(struct tally *t, int k)
{
	char path[320], line[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/w%d.log", dir, k);
	if (!(f = fopen(path, "r")))
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		int op, o, st;
		double ms;
		char s[64];
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "op %d %lf %d", &op, &ms, &o) == 3 && op >= 0 && op < OP_COUNT && o >= 0 && o < RES_COUNT) {
			tally_add(t, (enum op)op, ms, (enum outcome)o);
		} else if (strncmp(line, "why ", 4) == 0) {
			if (t->nwhy < 8)
				snprintf(t->whys[t->nwhy++], sizeof t->whys[0], "%.250s", line + 4);
			t->whys_total++;
		} else if (strcmp(line, "checkin") == 0) {
			t->checkins++;
		} else if (strncmp(line, "vital ", 6) == 0) {
			t->vitals++;
		} else if (strncmp(line, "note ", 5) == 0) {
			t->notes++;
		} else if (strncmp(line, "signed ", 7) == 0) {
			t->signs++;
		} else if (strcmp(line, "gaveup") == 0) {
			t->gaveup++;
		} else if (strncmp(line, "mark ", 5) == 0) {
			size_t n = strlen(line + 5);
			if (t->mlen + n + 2 > t->mcap) {
				t->mcap = (t->mcap + n + 2) * 2;
				if (!(t->markers = realloc(t->markers, t->mcap)))
					die("out of memory");
			}
			memcpy(t->markers + t->mlen, line + 5, n);
			t->mlen += n;
			t->markers[t->mlen++] = '\n';
			t->markers[t->mlen] = '\0';
			t->marks++;
		} else if (sscanf(line, "code %63s %d", s, &st) == 2) {
			for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
				if (strcmp(codes[i], s) == 0)
					t->code_state[i] = st;
		}
	}
	fclose(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, long n, double p)
{
	long i;

	if (n == 0)
		return 0;
	i = (long)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* ---- checks ---------------------------------------------------------------- */

static int failures;

static void check(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL %s: ", name);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	failures++;
}

struct counts {
	long vitals, checkins, notes, signed_, audit_n, audit_min, audit_max, audit_distinct;
};

static void count_data(struct counts *c, struct result *r)
{
	char today[16];
	time_t t = time(NULL);
	struct tm tm;

	memset(c, 0, sizeof *c);
	for (int i = 0; i < VITAL_MRNS; i++) {
		RUN(r, "doctor", NULL, "vitals", "list", mrn_vitals[i]);
		must(r, "vitals list");
		c->vitals += rows(r);
	}
	gmtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	RUN(r, "desk", NULL, "checkins", "--date", today);
	must(r, "checkins");
	c->checkins = count_substr(r->out, "\tconcurrency\t");
	RUN(r, "doctor", NULL, "note", "list", mrn_note, "--all");
	must(r, "note list");
	c->notes = rows(r);
	c->signed_ = count_substr(r->out, "\tcompleted\t");
	{
		/* sqlite3 reads the plain columns; the file is ours alone now. */
		char cmd[600];
		FILE *p;
		snprintf(cmd, sizeof cmd,
			 "sqlite3 -readonly -separator ' ' '%s' 'SELECT count(*), min(seq), max(seq), count(DISTINCT seq)"
			 " FROM audit_log'",
			 db);
		if (!(p = popen(cmd, "r")) ||
		    fscanf(p, "%ld %ld %ld %ld", &c->audit_n, &c->audit_min, &c->audit_max, &c->audit_distinct) != 4)
			die("sqlite3 could not read audit_log (is the sqlite3 program installed?)");
		pclose(p);
	}
}

/* ---- setup ------------------------------------------------------------------ */

static void first_mrns(struct result *r, const char *query, char (*out)[16], int n)
{
	const char *p;
	int got = 0;

	RUN(r, "desk", NULL, "patient", "find", query);
	must(r, "patient find");
	p = strchr(r->out, '\n');
	while (p && *++p && got < n) {
		size_t k = strcspn(p, "\t\n");
		if (k == 0 || k >= 16)
			break;
		memcpy(out[got], p, k);
		out[got++][k] = '\0';
		p = strchr(p, '\n');
	}
	if (got < n)
		die("'patient find %s' gave %d charts, wanted %d", query, got, n);
}

static void setup(const char *codesets, long patients, struct result *r)
{
	char npat[24], enc[24];

	snprintf(npat, sizeof npat, "%ld", patients);
	if (codesets)
		run(r, NULL, NULL, (const char *const[]){ "demo", "--patients", npat, "--codesets", codesets, NULL });
	else
		run(r, NULL, NULL, (const char *const[]){ "demo", "--patients", npat, NULL });
	must(r, "folio demo");
	first_mrns(r, "Smith", mrn_vitals, VITAL_MRNS);
	snprintf(mrn_note, sizeof mrn_note, "%s", mrn_vitals[0]);
	RUN(r, "tech", NULL, "encounter", "admit", mrn_note, "--attending", "doctor", "--service", "medicine");
	must(r, "encounter admit");
	enc_id = strtol(r->out, NULL, 10);
	snprintf(enc, sizeof enc, "%ld", enc_id);
	RUN(r, "doctor", "Shared progress note: every editor appends a line.\n", "note", "new", mrn_note, "--type",
	    "progress", "--author", "doctor", "--encounter", enc);
	must(r, "note new");
	note_id = strtol(r->out, NULL, 10);
	RUN(r, "tech", NULL, "coding", "pdx", enc, "A419");
	must(r, "coding pdx");
	printf("database: %s (%ld patients, code sets %s), rollback journal per design.md section 4;"
	       " KDF: interactive Argon2id (the demo's), every password and signature code derived outside the write transactions\n",
	       db, patients, codesets ? "loaded" : "not loaded");
}

/* ---- the phases ------------------------------------------------------------- */

static void baseline(int rounds, struct tally *t)
{
	static const op_fn fns[] = { op_find, op_checkin, op_vitals, op_note_edit, op_note_new_sign, op_coding,
				     op_audit_show, op_audit_verify };
	static const char *const users[] = { "desk", "desk", "doctor", "doctor", "doctor", "tech", "super", "super" };
	/* Slot 3: codes no coder of an 8-process run toggles. */
	struct worker w = { .id = 99, .seed = 7, .slot = 3 };
	static struct result r;
	char path[320];

	snprintf(path, sizeof path, "%s/w99.log", dir);
	if (!(wlog = fopen(path, "w")))
		die("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		w.user = users[i];
		for (int k = 0; k < rounds; k++)
			fns[i](&w, &r);
	}
	/* Leave the coding as it found it: the checks count toggles from here. */
	for (int i = 0; i < CODE_POOL; i++)
		if (w.code_present[i]) {
			w.next_code = i;
			w.code_present[i] = 1;
			op_coding(&w, &r);
		}
	fclose(wlog);
	tally_read(t, 99);
}

static void print_table(struct tally *t, struct tally *base, double secs, int procs)
{
	printf("\n%-18s %7s %6s %6s %5s %5s %8s %9s %9s %9s | %9s %9s\n", "operation", "count", "ok", "stale", "busy",
	       "fail", "ops/s", "p50 ms", "p99 ms", "max ms", "alone p50", "alone p99");
	for (int op = 0; op < OP_COUNT; op++) {
		long n = t->n[op];
		char b50[16] = "-", b99[16] = "-";
		if (!n)
			continue;
		qsort(t->ms[op], (size_t)n, sizeof(double), cmp_double);
		if (base && base->n[op]) {
			qsort(base->ms[op], (size_t)base->n[op], sizeof(double), cmp_double);
			snprintf(b50, sizeof b50, "%.0f", pct(base->ms[op], base->n[op], 0.50));
			snprintf(b99, sizeof b99, "%.0f", pct(base->ms[op], base->n[op], 0.99));
		}
		printf("%-18s %7ld %6ld %6ld %5ld %5ld %8.2f %9.0f %9.0f %9.0f | %9s %9s\n", op_name[op], n,
		       t->by[op][RES_OK], t->by[op][RES_STALE], t->by[op][RES_BUSY], t->by[op][RES_FAIL], (double)n / secs,
		       pct(t->ms[op], n, 0.50), pct(t->ms[op], n, 0.99), t->ms[op][n - 1], b50, b99);
	}
	printf("(%d processes for %.1f s; times are wall clock around fork/exec/wait of one folio run,"
	       " sign-in and its Argon2id included; 'alone' = one process, nothing else running)\n",
	       procs, secs);
}

static void cleanup(void)
{
	char cmd[400];

	if (!dir[0] || in_worker || getenv("FOLIO_BENCH_KEEP"))
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_concurrency: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
	int procs = 8, rounds = 5;
	double seconds = 60;
	long patients = 200;
	const char *codesets = NULL, *tmp = getenv("TMPDIR");
	static struct result r;
	static struct tally t, base;
	struct counts before, after;
	pid_t pids[MAX_PROCS];
	double t0, secs;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			die("usage: bench_concurrency [--procs P] [--seconds S] [--baseline N] [--patients N]"
			    " [--codesets DIR]");
		if (strcmp(a, "--procs") == 0)
			procs = atoi(v);
		else if (strcmp(a, "--seconds") == 0)
			seconds = atof(v);
		else if (strcmp(a, "--baseline") == 0)
			rounds = atoi(v);
		else if (strcmp(a, "--patients") == 0)
			patients = atol(v);
		else if (strcmp(a, "--codesets") == 0)
			codesets = v;
		else
			die("unknown option %s", a);
		i++;
	}
	if (procs < 1 || procs > MAX_PROCS || seconds <= 0)
		die("--procs 1..%d, --seconds > 0", MAX_PROCS);
	folio = getenv("FOLIO");
	if (!folio || !*folio)
		folio = "build/folio";
	if (access(folio, X_OK) != 0)
		die("%s is not an executable (set FOLIO)", folio);
	if (!codesets && access("../shared/codesets/msdrg_v43", R_OK) == 0)
		codesets = "../shared/codesets";
	snprintf(dir, sizeof dir, "%s/folio-conc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp: %s", strerror(errno));
	atexit(cleanup);
	snprintf(db, sizeof db, "%s/clinic.db", dir);
	for (size_t i = 0; i < sizeof t.code_state / sizeof t.code_state[0]; i++)
		t.code_state[i] = base.code_state[i] = -1;

	printf("bench_concurrency: a clinic's department against one database file, %s\n", folio);
	setup(codesets, patients, &r);
	if (rounds > 0) {
		printf("baseline: each operation %d times by one process alone\n", rounds);
		baseline(rounds, &base);
	}
	count_data(&before, &r);
	printf("concurrent phase: %d processes for %.0f s\n", procs, seconds);
	fflush(stdout);
	t0 = now_s();
	for (int k = 0; k < procs; k++) {
		pids[k] = fork();
		if (pids[k] < 0)
			die("fork: %s", strerror(errno));
		if (pids[k] == 0) {
			worker_run(k, t0 + seconds, 0x9e3779b9u * (unsigned)(k + 1) ^ (unsigned)getpid());
			_exit(0);
		}
	}
	{
		int bad = 0, st;
		for (int k = 0; k < procs; k++) {
			while (waitpid(pids[k], &st, 0) < 0 && errno == EINTR)
				;
			bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		check(bad == 0, "every worker process ends cleanly", "%d of %d did not", bad, procs);
	}
	secs = now_s() - t0;
	for (int k = 0; k < procs; k++)
		tally_read(&t, k);
	count_data(&after, &r);
	print_table(&t, rounds > 0 ? &base : NULL, secs, procs);

	/* -- no SQLITE_BUSY reaches a user; every failure is classified -- */
	long total = 0, ok = 0, stale = 0, busy = 0, fail = 0;
	for (int op = 0; op < OP_COUNT; op++) {
		total += t.n[op];
		ok += t.by[op][RES_OK];
		stale += t.by[op][RES_STALE];
		busy += t.by[op][RES_BUSY];
		fail += t.by[op][RES_FAIL];
	}
	for (int i = 0; i < t.nwhy; i++)
		printf("  failure: %s\n", t.whys[i]);
	if (t.whys_total > t.nwhy)
		printf("  ... and %ld more\n", t.whys_total - t.nwhy);
	check(total > 0 && t.n[OP_FIND] && t.n[OP_CHECKIN] && t.n[OP_VITALS] && t.n[OP_NOTE_EDIT] && t.n[OP_CODING] &&
		      t.n[OP_AUDIT_SHOW],
	      "every kind of operation ran under load", "%ld operations; some kind never ran", total);
	check(busy == 0, "no 'database is busy/locked' reached a user", "%ld commands failed busy", busy);
	check(fail == 0, "every failure is an expected refusal (stale row version)", "%ld unexplained failures",
	      fail);

	/* -- no update lost: each discrepancy counts -- */
	long lost = labs(after.vitals - before.vitals - t.vitals) + labs(after.checkins - before.checkins - t.checkins) +
		    labs(after.notes - before.notes - t.notes) + labs(after.signed_ - before.signed_ - t.signs);
	check(after.vitals - before.vitals == t.vitals, "every accepted vitals add is in the chart",
	      "%ld accepted, %ld more rows", t.vitals, after.vitals - before.vitals);
	check(after.checkins - before.checkins == t.checkins, "every accepted check-in is on the list",
	      "%ld accepted, %ld more on the list", t.checkins, after.checkins - before.checkins);
	check(after.notes - before.notes == t.notes, "every accepted new note is in the chart",
	      "%ld accepted, %ld more notes", t.notes, after.notes - before.notes);
	check(after.signed_ - before.signed_ == t.signs, "every accepted signature stands",
	      "%ld accepted, %ld more signed", t.signs, after.signed_ - before.signed_);
	{
		char id[24];
		long missing = 0, doubled = 0;
		char first_missing[48] = "";
		snprintf(id, sizeof id, "%ld", note_id);
		RUN(&r, "doctor", NULL, "note", "show", id);
		must(&r, "note show");
		for (char *m = t.markers; m && *m;) {
			char mk[64];
			size_t n = strcspn(m, "\n");
			snprintf(mk, sizeof mk, "%.*s\n", (int)n, m);
			long c = count_substr(r.out, mk);
			if (c == 0 && !missing++)
				snprintf(first_missing, sizeof first_missing, "%.*s", (int)n, m);
			if (c > 1)
				doubled++;
			m += n + (m[n] == '\n');
		}
		lost += missing + doubled;
		check(t.marks > 0 && missing == 0 && doubled == 0,
		      "the shared note holds every accepted edit's marker once (row versions)",
		      "%ld accepted edits, %ld markers missing (first %s), %ld doubled", t.marks, missing,
		      first_missing, doubled);
		/* The baseline's accepted edits are in the note too. */
		lost += labs(count_substr(r.out, "edit-w") - (t.marks + base.marks));
		check(count_substr(r.out, "edit-w") == t.marks + base.marks, "and no edit that was refused",
		      "%ld markers in the note, %ld edits accepted", count_substr(r.out, "edit-w"),
		      t.marks + base.marks);
	}
	{
		char enc[24];
		long wrong = 0, touched = 0;
		snprintf(enc, sizeof enc, "%ld", enc_id);
		RUN(&r, "tech", NULL, "coding", "show", enc);
		must(&r, "coding show");
		for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
			char needle[24];
			int want = t.code_state[i] == 1, have;
			if (t.code_state[i] < 0)
				continue;
			touched++;
			snprintf(needle, sizeof needle, "\t%s\t", codes[i]);
			have = strstr(r.out, needle) != NULL;
			if (have != want) {
				printf("  code %s: %s after the last accepted change, %s in the coding\n", codes[i],
				       want ? "present" : "absent", have ? "present" : "absent");
				wrong++;
			}
		}
		lost += wrong;
		check(touched > 0 && wrong == 0, "the coding holds exactly what the accepted changes left",
		      "%ld of %ld codes wrong", wrong, touched);
	}

	/* -- the audit log -- */
	check(after.audit_n == after.audit_max - after.audit_min + 1 && after.audit_distinct == after.audit_n,
	      "audit sequence numbers have no gap and no duplicate", "count %ld, min %ld, max %ld, distinct %ld",
	      after.audit_n, after.audit_min, after.audit_max, after.audit_distinct);
	check(after.audit_n - before.audit_n >= ok, "at least one audit row per successful command",
	      "%ld rows added, %ld commands succeeded", after.audit_n - before.audit_n, ok);
	RUN(&r, "super", NULL, "audit", "verify");
	check(r.status == 0, "audit verify passes after the run", "exit %d: %s", r.status, r.err);
	RUN(&r, "admin", NULL, "db", "check");
	check(r.status == 0, "db check passes after the run", "exit %d: %s %s", r.status, r.out, r.err);

	printf("\nconcurrency: %d processes, %.1f s, %ld operations (%.1f/s), %ld ok, %ld stale refusals"
	       " (%ld note saves given up after %d tries), busy errors %ld, unexplained failures %ld,"
	       " lost updates %ld, audit rows %ld..%ld (+%ld, gaps %ld)\n",
	       procs, secs, total, (double)total / secs, ok, stale, t.gaveup, NOTE_RETRIES, busy, fail,
	       lost, after.audit_min, after.audit_max, after.audit_n - before.audit_n,
	       after.audit_max - after.audit_min + 1 - after.audit_n);
	return failures ? 1 : 0;
}
