/* folio — unit tests of paper chart tracking (src/core/tracking*.c):
 * charge-out makes the first folder and refuses a second charge-out; the
 * due date and its site setting; back-timed entries and the overdue list;
 * requests, the pull list and fulfilment by charging out to the requester;
 * the missing flag that only a supervisor clears (denial audited); several
 * volumes; the movement history is append-only and its reasons are not in
 * the file in plain text; who may read where a chart is. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/tracking.h"
#include "unit_fixture.h"

struct trk_fx {
	struct fixture *f;
	struct session *tech, *doctor, *super;
	char mrn[MRN_MAX], other[MRN_MAX];
};

static int add_patient(struct trk_fx *x, const char *last, char *mrn)
{
	struct patient *p = patient_new();
	struct folio_err e = { 0 };
	struct grant *g;
	int rc;

	if (!p || patient_set(p, PF_LAST, last, &e) || patient_set(p, PF_DOB, "1961-06-07", &e))
		return -1;
	rc = access_begin(x->tech, ACT_PATIENT_ADD, NULL, NULL, NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = access_end(g, patient_register(g, p, &e), &e);
	str_copy(mrn, MRN_MAX, p->mrn);
	patient_free(p);
	return rc;
}

static int setup(void **state)
{
	struct trk_fx *x = calloc(1, sizeof *x);

	if (!x || !(x->f = fixture_new_demo()))
		return -1;
	x->tech = fixture_login(x->f->st, "tech", "demo-tech-pass");
	x->doctor = fixture_login(x->f->st, "doctor", "demo-doctor-pass");
	x->super = fixture_login(x->f->st, "super", "demo-super-pass");
	if (add_patient(x, "Trackwell", x->mrn) || add_patient(x, "Otherfold", x->other))
		return -1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct trk_fx *x = *state;

	access_logout(x->tech);
	access_logout(x->doctor);
	access_logout(x->super);
	fixture_free(x->f);
	free(x);
	return 0;
}

/* ---- one call under its own grant, as a front end makes it ------------- */

static struct folio_err last_err;

enum op { OP_OUT, OP_IN, OP_MISSING, OP_FOUND, OP_VOLUME, OP_REQUEST, OP_CANCEL };

struct call {
	int volume;
	const char *text, *date, *at; /* borrower / reason / home; due / needed; when */
	int64_t id;                   /* the request made, or to cancel */
	int number;                   /* the volume made */
};

/* Runs op as s under a grant for a on mrn; returns the final status (the
 * denial, the call's refusal, or FOLIO_OK), its message in last_err. */
static int run(struct session *s, enum action a, const char *mrn, enum op op, struct call *c)
{
	struct track_out o = { .volume = c->volume, .to = c->text, .due = c->date, .at = c->at };
	struct grant *g;
	int rc;

	err_clear(&last_err);
	if ((rc = access_begin(s, a, mrn, NULL, NULL, &g, &last_err)))
		return rc;
	switch (op) {
	case OP_OUT: rc = tracking_out(g, &o, &last_err); break;
	case OP_IN: rc = tracking_in(g, c->volume, c->at, &last_err); break;
	case OP_MISSING: rc = tracking_missing(g, c->volume, c->text, &last_err); break;
	case OP_FOUND: rc = tracking_found(g, c->volume, &last_err); break;
	case OP_VOLUME: rc = tracking_volume_add(g, c->text, &c->number, &last_err); break;
	case OP_REQUEST: rc = tracking_request(g, c->date, c->text, &c->id, &last_err); break;
	case OP_CANCEL: rc = tracking_request_cancel(g, c->id, &last_err); break;
	}
	return access_end(g, rc, &last_err);
}

static int t_out(struct trk_fx *x, int volume, const char *to, const char *due, const char *at)
{
	return run(x->tech, ACT_CHART_TRACK, x->mrn, OP_OUT,
		   &(struct call){ .volume = volume, .text = to, .date = due, .at = at });
}

static int t_in(struct trk_fx *x, int volume)
{
	return run(x->tech, ACT_CHART_TRACK, x->mrn, OP_IN, &(struct call){ .volume = volume });
}

static int t_missing(struct trk_fx *x, int volume, const char *why)
{
	return run(x->tech, ACT_CHART_TRACK, x->mrn, OP_MISSING, &(struct call){ .volume = volume, .text = why });
}

static int t_found(struct session *s, const char *mrn, int volume)
{
	return run(s, ACT_CHART_FOUND, mrn, OP_FOUND, &(struct call){ .volume = volume });
}

static int t_volume(struct trk_fx *x, const char *home, int *number)
{
	struct call c = { .text = home };
	int rc = run(x->tech, ACT_CHART_TRACK, x->mrn, OP_VOLUME, &c);

	*number = c.number;
	return rc;
}

static int t_request(struct session *s, const char *mrn, const char *needed, const char *why, int64_t *id)
{
	struct call c = { .text = why, .date = needed };
	int rc = run(s, ACT_CHART_REQUEST, mrn, OP_REQUEST, &c);

	if (rc == FOLIO_OK)
		*id = c.id;
	return rc;
}

static int t_cancel(struct session *s, enum action a, const char *mrn, int64_t id)
{
	return run(s, a, mrn, OP_CANCEL, &(struct call){ .id = id });
}

/* Where the chart is, read under a grant for a (on mrn, or on none). */
static int t_where(struct session *s, enum action a, const char *grant_mrn, const char *mrn, char *out,
		   size_t cap)
{
	struct grant *g;
	int rc;

	err_clear(&last_err);
	if ((rc = access_begin(s, a, grant_mrn, NULL, NULL, &g, &last_err)))
		return rc;
	return access_end(g, tracking_where(g, mrn, out, cap, &last_err), &last_err);
}

static void where_is(struct trk_fx *x, const char *want)
{
	char w[256];

	assert_int_equal(t_where(x->tech, ACT_CHART_TRACK, x->mrn, x->mrn, w, sizeof w), FOLIO_OK);
	assert_string_equal(w, want);
}

static int64_t moves(const struct trk_fx *x)
{
	return fixture_sql_int(x->f, "SELECT count(*) FROM chart_moves");
}

static void day_plus(int days, char out[11])
{
	date_format_days(date_today() + days, out);
}

/* ---- lists, collected ------------------------------------------------- */

struct got {
	struct track_request req[8];
	struct track_overdue ovd[8];
	struct track_volume vol[8];
	int n;
	int history_has_reason;
};

static int got_req(const struct track_request *r, void *ctx)
{
	struct got *g = ctx;
	if (g->n < 8)
		g->req[g->n] = *r;
	g->n++;
	return 0;
}

static int got_ovd(const struct track_overdue *o, void *ctx)
{
	struct got *g = ctx;
	if (g->n < 8)
		g->ovd[g->n] = *o;
	g->n++;
	return 0;
}

static int got_vol(const struct track_volume *v, void *ctx)
{
	struct got *g = ctx;
	if (g->n < 8)
		g->vol[g->n] = *v;
	g->n++;
	return 0;
}

static int got_move(const struct track_move *m, void *ctx)
{
	struct got *g = ctx;
	if (strstr(m->reason, "crumpled-marker"))
		g->history_has_reason = 1;
	g->n++;
	return 0;
}

static void pull_list(struct trk_fx *x, const char *by, struct got *out)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin(x->tech, ACT_CHART_TRACK);

	memset(out, 0, sizeof *out);
	assert_int_equal(tracking_pull_list(g, by, got_req, out, &e), FOLIO_OK);
	fixture_end(g);
}

/* ---- tests ------------------------------------------------------------ */

static void test_out_makes_a_folder_and_refuses_twice(void **state)
{
	struct trk_fx *x = *state;
	char due[11], want[128], today[11];
	int64_t before;

	where_is(x, "");
	assert_int_equal(t_in(x, 0), FOLIO_ENOTFOUND); /* no paper chart yet */
	assert_int_equal(t_out(x, 0, "", NULL, NULL), FOLIO_EUSAGE);
	assert_int_equal(moves(x), 0);
	assert_int_equal(t_out(x, 0, "doctor", NULL, NULL), FOLIO_OK);
	day_plus(0, today);
	snprintf(want, sizeof want, "Out: doctor since %s", today);
	where_is(x, want);
	/* the default due-back period is three days */
	day_plus(3, due);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM chart_volumes WHERE number = 1 AND state = 'out'"),
			 1);
	{
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM chart_volumes WHERE due = '%s'", due);
		assert_int_equal(fixture_sql_int(x->f, sql), 1);
	}
	before = moves(x);
	assert_int_equal(t_out(x, 0, "Cardiology clinic", NULL, NULL), FOLIO_EUSAGE);
	assert_non_null(strstr(last_err.msg, "already out to doctor"));
	assert_int_equal(moves(x), before);
	assert_int_equal(t_in(x, 0), FOLIO_OK);
	where_is(x, "File room");
	assert_int_equal(t_in(x, 0), FOLIO_EUSAGE);
	assert_int_equal(t_in(x, 1), FOLIO_EUSAGE);
	assert_non_null(strstr(last_err.msg, "not out"));
	assert_int_equal(moves(x), before + 1); /* created, out, in */
	assert_int_equal(t_in(x, 7), FOLIO_ENOTFOUND);
}

static void test_due_dates_back_timing_and_overdue(void **state)
{
	struct trk_fx *x = *state;
	struct folio_err e = { 0 };
	struct grant *g;
	struct got o;
	char at[24], sql[160], due[11];

	fixture_sql(x->f, "INSERT INTO settings (name, value) VALUES ('chart_due_days', 7)");
	assert_int_equal(t_out(x, 0, "Ward 4B", NULL, NULL), FOLIO_OK);
	day_plus(7, due);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM chart_volumes WHERE due = '%s'", due);
	assert_int_equal(fixture_sql_int(x->f, sql), 1);
	assert_int_equal(t_in(x, 0), FOLIO_OK);

	/* a due date before the day it went out, a time in the future, a
	 * malformed time: refused, nothing written */
	int64_t before = moves(x);
	assert_int_equal(t_out(x, 0, "doctor", "T-1", NULL), FOLIO_EUSAGE);
	time_utc_format(time_now() + 3600, at, sizeof at);
	assert_int_equal(t_out(x, 0, "doctor", NULL, at), FOLIO_EUSAGE);
	assert_int_equal(t_out(x, 0, "doctor", NULL, "yesterday"), FOLIO_EUSAGE);
	/* before the volume's last movement (the check-in just now) */
	time_utc_format(time_now() - 6 * 86400, at, sizeof at);
	assert_int_equal(t_out(x, 0, "doctor", "T-3", at), FOLIO_EUSAGE);
	assert_int_equal(moves(x), before);

	/* the other patient's chart went out six days ago, due three days ago */
	memcpy(x->mrn, x->other, sizeof x->mrn);
	assert_int_equal(t_out(x, 0, "doctor", "T-3", at), FOLIO_OK);
	g = fixture_begin(x->tech, ACT_CHART_TRACK);
	memset(&o, 0, sizeof o);
	assert_int_equal(tracking_overdue(g, got_ovd, &o, &e), FOLIO_OK);
	fixture_end(g);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.ovd[0].mrn, x->other);
	assert_int_equal(o.ovd[0].days_over, 3);
	assert_string_equal(o.ovd[0].borrower, "doctor");
	{
		char w[256], want[128];
		snprintf(want, sizeof want, "Out: doctor since %.10s (overdue)", at);
		assert_int_equal(t_where(x->tech, ACT_CHART_TRACK, x->mrn, x->mrn, w, sizeof w), FOLIO_OK);
		assert_string_equal(w, want);
	}
	/* the overdue list is the file room's: not for a physician */
	assert_int_equal(access_begin(x->doctor, ACT_CHART_TRACK, NULL, NULL, NULL, &g, &e), FOLIO_EDENIED);
}

static void test_requests_pull_list_and_fulfilment(void **state)
{
	struct trk_fx *x = *state;
	struct got p;
	char tomorrow[11];
	int64_t r1 = 0, r2 = 0, r3 = 0, before;

	day_plus(1, tomorrow);
	assert_int_equal(t_request(x->doctor, x->mrn, "T+1", "crumpled-marker clinic visit", &r1), FOLIO_OK);
	assert_int_equal(t_request(x->tech, x->mrn, "T", NULL, &r2), FOLIO_OK);
	assert_int_equal(t_request(x->doctor, x->other, "T+2", NULL, &r3), FOLIO_OK);
	before = moves(x);
	assert_int_equal(t_request(x->doctor, x->mrn, "T+1", NULL, &r1), FOLIO_EUSAGE); /* the same again */
	assert_int_equal(t_request(x->doctor, x->mrn, "T-1", NULL, &r1), FOLIO_EUSAGE); /* the past */
	assert_int_equal(t_request(x->doctor, x->mrn, "someday", NULL, &r1), FOLIO_EUSAGE);
	assert_int_equal(moves(x), before);
	/* the front desk requests no charts */
	{
		struct session *desk = fixture_login(x->f->st, "desk", "demo-desk-pass");
		int64_t id;
		assert_int_equal(t_request(desk, x->mrn, "T", NULL, &id), FOLIO_EDENIED);
		access_logout(desk);
	}

	pull_list(x, NULL, &p);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.req[0].id, r2); /* needed today: first */
	assert_string_equal(p.req[0].requester, "tech");
	assert_int_equal(p.req[1].id, r1);
	assert_string_equal(p.req[1].needed, tomorrow);
	assert_string_equal(p.req[1].where, "(no paper chart yet)");
	assert_int_equal(p.req[2].id, r3);
	pull_list(x, "T", &p);
	assert_int_equal(p.n, 1);

	/* charging out to the requester (any case) fulfils their request only */
	assert_int_equal(t_out(x, 0, "DOCTOR", NULL, NULL), FOLIO_OK);
	pull_list(x, NULL, &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.req[0].id, r2);
	assert_int_equal(p.req[1].id, r3);
	assert_non_null(strstr(p.req[0].where, "Out: DOCTOR"));
	{
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM chart_moves WHERE kind = 'out' AND request_id = %" PRId64,
			 r1);
		assert_int_equal(fixture_sql_int(x->f, sql), 1);
	}

	/* a physician cancels only their own; the file room any */
	assert_int_equal(t_cancel(x->doctor, ACT_CHART_REQUEST, x->mrn, r2), FOLIO_EDENIED);
	assert_int_equal(t_cancel(x->tech, ACT_CHART_TRACK, x->mrn, r2), FOLIO_OK);
	assert_int_equal(t_cancel(x->tech, ACT_CHART_TRACK, x->mrn, r2), FOLIO_EUSAGE);
	assert_int_equal(t_cancel(x->tech, ACT_CHART_TRACK, x->mrn, r3), FOLIO_ENOTFOUND); /* another chart's */
	pull_list(x, NULL, &p);
	assert_int_equal(p.n, 1);
}

static void test_missing_only_a_supervisor_clears(void **state)
{
	struct trk_fx *x = *state;
	int64_t seq, before;

	assert_int_equal(t_missing(x, 0, "gone"), FOLIO_ENOTFOUND); /* no paper chart */
	assert_int_equal(t_out(x, 0, "Radiology", NULL, NULL), FOLIO_OK);
	assert_int_equal(t_missing(x, 0, ""), FOLIO_EUSAGE);
	assert_int_equal(t_missing(x, 0, "line\none"), FOLIO_EUSAGE);
	assert_int_equal(t_missing(x, 0, "crumpled-marker: not returned by radiology"), FOLIO_OK);
	where_is(x, "MISSING");
	before = moves(x);
	assert_int_equal(t_missing(x, 0, "again"), FOLIO_EUSAGE);
	assert_int_equal(t_out(x, 0, "doctor", NULL, NULL), FOLIO_EUSAGE);
	assert_non_null(strstr(last_err.msg, "missing"));
	assert_int_equal(t_in(x, 1), FOLIO_EUSAGE);
	assert_int_equal(moves(x), before);

	seq = fixture_audit_last_seq(x->f);
	assert_int_equal(t_found(x->tech, x->mrn, 0), FOLIO_EDENIED);
	assert_int_equal(t_found(x->doctor, x->mrn, 0), FOLIO_EDENIED);
	assert_int_equal(fixture_audit_count(x->f, seq, "tech", "chart.found", "denied"), 1);
	assert_int_equal(fixture_audit_count(x->f, seq, "doctor", "chart.found", "denied"), 1);
	where_is(x, "MISSING");
	assert_int_equal(t_found(x->super, x->mrn, 0), FOLIO_OK);
	where_is(x, "File room");
	assert_int_equal(fixture_audit_count(x->f, seq, "super", "chart.found", "ok"), 1);
	assert_int_equal(t_found(x->super, x->mrn, 0), FOLIO_EUSAGE);
	assert_int_equal(moves(x), before + 1);
}

static void test_volumes(void **state)
{
	struct trk_fx *x = *state;
	struct folio_err e = { 0 };
	struct grant *g;
	struct got v;
	int n = 0;
	char w[256];

	assert_int_equal(t_volume(x, "File room A", &n), FOLIO_OK);
	assert_int_equal(n, 1);
	assert_int_equal(t_volume(x, NULL, &n), FOLIO_OK);
	assert_int_equal(n, 2);
	assert_int_equal(t_volume(x, "bad\tplace", &n), FOLIO_EUSAGE);
	assert_int_equal(t_out(x, 0, "doctor", NULL, NULL), FOLIO_EUSAGE); /* which one? */
	assert_non_null(strstr(last_err.msg, "name the volume"));
	assert_int_equal(t_out(x, 2, "doctor", NULL, NULL), FOLIO_OK);
	assert_int_equal(t_out(x, 3, "doctor", NULL, NULL), FOLIO_ENOTFOUND);
	assert_int_equal(t_where(x->tech, ACT_CHART_TRACK, x->mrn, x->mrn, w, sizeof w), FOLIO_OK);
	assert_non_null(strstr(w, "Vol 1 File room A; Vol 2 Out: doctor since "));
	assert_int_equal(t_in(x, 0), FOLIO_OK); /* the one that is out */
	assert_int_equal(access_begin(x->doctor, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	memset(&v, 0, sizeof v);
	assert_int_equal(tracking_volumes(g, got_vol, &v, &e), FOLIO_OK);
	fixture_end(g);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.vol[1].number, 2);
	assert_string_equal(v.vol[1].home, "File room");
	assert_int_equal(v.vol[1].state, TRACK_IN);
	/* a physician may not move charts */
	assert_int_equal(access_begin(x->doctor, ACT_CHART_TRACK, x->mrn, NULL, NULL, &g, &e), FOLIO_EDENIED);
}

static void test_history_is_kept_sealed_and_append_only(void **state)
{
	struct trk_fx *x = *state;
	struct folio_err e = { 0 };
	struct grant *g;
	struct got h;
	int64_t id;
	FILE *fp;
	char *buf;
	long len;

	assert_int_equal(t_out(x, 0, "doctor", NULL, NULL), FOLIO_OK);
	assert_int_equal(t_missing(x, 0, "crumpled-marker behind the cabinet"), FOLIO_OK);
	assert_int_equal(t_request(x->doctor, x->mrn, "T", "crumpled-marker for rounds", &id), FOLIO_OK);
	assert_int_equal(access_begin(x->super, ACT_CHART_VIEW, x->mrn, NULL, NULL, &g, &e), FOLIO_OK);
	memset(&h, 0, sizeof h);
	assert_int_equal(tracking_history(g, got_move, &h, &e), FOLIO_OK);
	fixture_end(g);
	assert_int_equal(h.n, 4); /* created, out, missing, request */
	assert_true(h.history_has_reason);

	/* the reasons are sealed: not in the file as text (every change is
	 * committed to the file: rollback journal, synchronous=FULL) */
	fp = fopen(x->f->path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	assert_false(fixture_bytes_contain(buf, (size_t)len, "crumpled-marker", 15));
	assert_true(fixture_bytes_contain(buf, (size_t)len, "File room", 9)); /* places are plain */
	free(buf);

	/* nothing is changed or removed behind the library's back */
	assert_int_not_equal(fixture_sql_rc(x->f, "UPDATE chart_moves SET to_loc = 'nowhere'"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(x->f, "UPDATE chart_moves SET reason = NULL"), SQLITE_OK);
	assert_int_not_equal(fixture_sql_rc(x->f, "DELETE FROM chart_moves"), SQLITE_OK);
	assert_int_equal(fixture_sql_int(x->f, "SELECT count(*) FROM chart_moves"), 4);
}

static void test_who_reads_where(void **state)
{
	struct trk_fx *x = *state;
	char w[256];

	assert_int_equal(t_out(x, 0, "doctor", NULL, NULL), FOLIO_OK);
	/* the supervisor's queue: a grant on no chart, or on this one */
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, NULL, x->mrn, w, sizeof w), FOLIO_OK);
	assert_non_null(strstr(w, "Out: doctor"));
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, x->mrn, x->mrn, w, sizeof w), FOLIO_OK);
	assert_int_equal(t_where(x->doctor, ACT_INBOX_VIEW, x->mrn, NULL, w, sizeof w), FOLIO_OK);
	assert_non_null(strstr(w, "Out: doctor"));
	assert_int_equal(t_where(x->doctor, ACT_CHART_VIEW, x->mrn, x->mrn, w, sizeof w), FOLIO_OK);
	/* a grant on one chart does not read another */
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, x->other, x->mrn, w, sizeof w), FOLIO_EDENIED);
	/* nor does an unrelated action */
	assert_int_equal(t_where(x->tech, ACT_PATIENT_VIEW, x->mrn, x->mrn, w, sizeof w), FOLIO_EDENIED);
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, NULL, "99999997", w, sizeof w), FOLIO_ENOTFOUND);
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, NULL, x->other, w, sizeof w), FOLIO_OK);
	assert_string_equal(w, "");
	/* a tiny buffer is cut, never overrun */
	assert_int_equal(t_where(x->super, ACT_QUEUE_VIEW, NULL, x->mrn, w, 6), FOLIO_OK);
	assert_int_equal(strlen(w), 5);
	assert_string_equal(track_state_name(TRACK_MISSING), "missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_out_makes_a_folder_and_refuses_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_dates_back_timing_and_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests_pull_list_and_fulfilment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_only_a_supervisor_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_is_kept_sealed_and_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_reads_where, setup, teardown),
	};
	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
