/* folio — encounters: admissions, transfers, discharges and visits as a
 * state machine with a movement history.  Nothing is overwritten without an
 * event row; a cancel moves back and says why.
 *
 *   inpatient:  pre-admitted -> admitted -> discharged
 *               pre-admitted|admitted -> cancelled;  discharged -> admitted
 *   visits:     checked-in -> in-progress -> closed;  checked-in -> cancelled
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "deficiency_internal.h"
#include "folio/chart.h"
#include "folio/date.h"
#include "folio/smem.h"

#define REASON_MAX 199
/* A discharge may be entered a little ahead of the clock, never later. */
#define FUTURE_SLACK_SECONDS 300

/* UB-04 patient discharge status codes in force (NUBC; the MCE's table for
 * FY2026), so that a discharge carries one the grouper accepts. */
static const struct {
	const char *code, *label;
} discharge_statuses[] = {
	{ "01", "home or self care" },
	{ "02", "short-term general hospital" },
	{ "03", "skilled nursing facility" },
	{ "04", "intermediate care facility" },
	{ "05", "cancer or children's hospital" },
	{ "06", "home health service" },
	{ "07", "left against medical advice" },
	{ "20", "expired" },
	{ "21", "court or law enforcement" },
	{ "30", "still a patient" },
	{ "43", "federal health care facility" },
	{ "50", "hospice, home" },
	{ "51", "hospice, medical facility" },
	{ "61", "swing bed" },
	{ "62", "inpatient rehabilitation facility" },
	{ "63", "long-term care hospital" },
	{ "64", "nursing facility (Medicaid)" },
	{ "65", "psychiatric hospital or unit" },
	{ "66", "critical access hospital" },
	{ "69", "designated disaster alternative care site" },
	{ "70", "another institution" },
	{ "81", "home, planned readmission" },
	{ "82", "short-term hospital, planned readmission" },
	{ "83", "SNF, planned readmission" },
	{ "84", "ICF, planned readmission" },
	{ "85", "cancer/children's hospital, planned readmission" },
	{ "86", "home health, planned readmission" },
	{ "87", "court or law enforcement, planned readmission" },
	{ "88", "federal facility, planned readmission" },
	{ "89", "swing bed, planned readmission" },
	{ "90", "IRF, planned readmission" },
	{ "91", "LTCH, planned readmission" },
	{ "92", "nursing facility, planned readmission" },
	{ "93", "psychiatric, planned readmission" },
	{ "94", "critical access hospital, planned readmission" },
	{ "95", "another institution, planned readmission" },
};

const char *discharge_status_label(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_SIZE(discharge_statuses); i++)
		if (strcmp(discharge_statuses[i].code, code) == 0)
			return discharge_statuses[i].label;
	return NULL;
}

const char *discharge_status_code(size_t i)
{
	return i < ARRAY_SIZE(discharge_statuses) ? discharge_statuses[i].code : NULL;
}

/* An import (HL7 ADT) moves encounters under its own grant on the chart. */
static int need(struct grant *g, enum action a, struct folio_err *e)
{
	if (grant_action(g) != a && !(a == ACT_ENCOUNTER_EDIT && grant_action(g) == ACT_IMPORT_RUN))
		return err_set(e, FOLIO_EDENIED, "%s needs its own grant", action_name(a));
	return FOLIO_OK;
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

int chart_line_ok(const char *s, size_t max, const char *what, struct folio_err *e)
{
	size_t n;

	if (!s)
		return FOLIO_OK;
	n = strlen(s);
	if (n > max)
		return err_set(e, FOLIO_EUSAGE, "%s: at most %zu characters", what, max);
	if (utf8_length(s, n) < 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not valid UTF-8 text", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "%s: control characters are not allowed", what);
	return FOLIO_OK;
}

const char *chart_user_role(struct grant *g, const char *name, char buf[16])
{
	struct folio_err e2 = { 0 };
	const char *r = NULL;
	struct stmt *s;

	if (stmt_prepare(grant_store(g), "SELECT role FROM users WHERE name = ?", &s, &e2))
		return NULL;
	stmt_bind_text(s, 1, name);
	if (stmt_step(s, &e2) == STMT_ROW && str_copy(buf, 16, stmt_text(s, 0)) == 0)
		r = buf;
	stmt_finalize(s);
	return r;
}

/* The attending must be a physician's account. */
static int attending_ok(struct grant *g, const char *name, struct folio_err *e)
{
	char buf[16];
	const char *r;

	if (!name)
		return FOLIO_OK;
	if (!(r = chart_user_role(g, name, buf)))
		return err_set(e, FOLIO_EUSAGE, "attending %s: no such user", name);
	if (strcmp(r, "physician") != 0)
		return err_set(e, FOLIO_EUSAGE, "attending %s is not a physician", name);
	return FOLIO_OK;
}

static int when(const struct adt *a, char out[24], struct folio_err *e)
{
	(void)e;
	if (a && opt(a->at))
		return str_copy(out, 24, a->at) == 0 ? FOLIO_OK
						     : err_set(e, FOLIO_EUSAGE, "time: not a date and time");
	time_utc_now(out, 24);
	return FOLIO_OK;
}

static int not_future(const char *at, const char *what, struct folio_err *e)
{
	char limit[24];

	time_utc_format(time_now() + FUTURE_SLACK_SECONDS, limit, sizeof limit);
	if (strcmp(at, limit) > 0)
		return err_set(e, FOLIO_EUSAGE, "%s cannot be in the future", what);
	return FOLIO_OK;
}

int64_t chart_patient_id(struct grant *g, struct folio_err *e)
{
	struct stmt *s;
	int64_t id = 0;

	if (stmt_prepare(grant_store(g), "SELECT id FROM patients WHERE mrn = ?", &s, e))
		return 0;
	stmt_bind_text(s, 1, grant_mrn(g));
	if (stmt_step(s, e) == STMT_ROW)
		id = stmt_int64(s, 0);
	stmt_finalize(s);
	if (!id)
		err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", grant_mrn(g));
	return id;
}

void chart_col_copy(struct stmt *s, int col, char *dst, size_t cap)
{
	str_copy(dst, cap, stmt_is_null(s, col) ? "" : stmt_text(s, col));
}

#define ENC_COLUMNS "id, kind, state, started_at, ended_at, attending, service, room, bed, clinic," \
		    " discharge_status, row_version"

static void enc_fill(struct stmt *s, struct encounter_info *x)
{
	memset(x, 0, sizeof *x);
	x->id = stmt_int64(s, 0);
	chart_col_copy(s, 1, x->kind, sizeof x->kind);
	chart_col_copy(s, 2, x->state, sizeof x->state);
	chart_col_copy(s, 3, x->started, sizeof x->started);
	chart_col_copy(s, 4, x->ended, sizeof x->ended);
	chart_col_copy(s, 5, x->attending, sizeof x->attending);
	chart_col_copy(s, 6, x->service, sizeof x->service);
	chart_col_copy(s, 7, x->room, sizeof x->room);
	chart_col_copy(s, 8, x->bed, sizeof x->bed);
	chart_col_copy(s, 9, x->clinic, sizeof x->clinic);
	chart_col_copy(s, 10, x->status, sizeof x->status);
	x->row_version = stmt_int64(s, 11);
}

/* Loads encounter id if it is on the grant's chart. */
int encounter_row_load(struct grant *g, int64_t id, struct encounter_info *x, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT " ENC_COLUMNS " FROM encounters WHERE id = ?"
				   " AND patient_id = (SELECT id FROM patients WHERE mrn = ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, grant_mrn(g));
	rc = stmt_step(s, e);
	if (rc == STMT_ROW) {
		enc_fill(s, x);
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = err_set(e, FOLIO_ENOTFOUND, "no encounter %" PRId64 " on this chart", id);
	}
	stmt_finalize(s);
	return rc;
}

static void bind_opt(struct stmt *s, int i, const char *v)
{
	if (opt(v))
		stmt_bind_text(s, i, v);
	else
		stmt_bind_null(s, i);
}

/* Appends the event row (the reason sealed under the clinical key). */
static int event_add(struct grant *g, int64_t enc, const char *kind, const char *state, const char *at,
		     const struct adt *a, struct folio_err *e)
{
	struct store *st = grant_store(g);
	uint8_t env[REASON_MAX + 1 + ENVELOPE_OVERHEAD];
	char now[24], ad[64];
	struct stmt *s;
	size_t envlen;
	int64_t id;
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO encounter_events (encounter_id, at, recorded_at, kind, state,"
				   " attending, service, room, bed, discharge_status, by_user)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, enc);
	stmt_bind_text(s, 2, at);
	stmt_bind_text(s, 3, now);
	stmt_bind_text(s, 4, kind);
	stmt_bind_text(s, 5, state);
	bind_opt(s, 6, a ? a->attending : NULL);
	bind_opt(s, 7, a ? a->service : NULL);
	bind_opt(s, 8, a ? a->room : NULL);
	bind_opt(s, 9, a ? a->bed : NULL);
	bind_opt(s, 10, a ? a->status : NULL);
	stmt_bind_text(s, 11, session_user(grant_session(g)));
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (!a || !opt(a->reason))
		return FOLIO_OK;
	id = store_last_rowid(st);
	field_ad(ad, sizeof ad, "encounter_events", "reason", id);
	if ((rc = field_seal(grant_keys(g), KC_CLINICAL, ad, a->reason, strlen(a->reason), env, sizeof env,
			     &envlen, e)))
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE encounter_events SET reason = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, envlen);
	stmt_bind_int64(s, 2, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static int adt_check(struct grant *g, const struct adt *a, struct folio_err *e)
{
	int rc;

	if (!a)
		return FOLIO_OK;
	if ((rc = chart_line_ok(opt(a->service), ENC_NAME_MAX - 1, "Service", e)) ||
	    (rc = chart_line_ok(opt(a->room), 15, "Room", e)) || (rc = chart_line_ok(opt(a->bed), 15, "Bed", e)) ||
	    (rc = chart_line_ok(opt(a->clinic), ENC_NAME_MAX - 1, "Clinic", e)) ||
	    (rc = chart_line_ok(opt(a->reason), REASON_MAX, "Reason", e)))
		return rc;
	return attending_ok(g, opt(a->attending), e);
}

int encounter_insert(struct grant *g, int64_t pid, const char *kind, const char *state, const char *at,
		     const char *clinic, const struct adt *a, int64_t *id, struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct stmt *s;
	char day[11];
	int rc;

	memcpy(day, at, 10);
	day[10] = '\0';
	if ((rc = stmt_prepare(st, "INSERT INTO encounters (patient_id, kind, state, started_at, day, clinic,"
				   " created_by, attending, service, room, bed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, kind);
	stmt_bind_text(s, 3, state);
	stmt_bind_text(s, 4, at);
	stmt_bind_text(s, 5, day);
	stmt_bind_text(s, 6, clinic ? clinic : "");
	stmt_bind_text(s, 7, session_user(grant_session(g)));
	bind_opt(s, 8, a ? a->attending : NULL);
	bind_opt(s, 9, a ? a->service : NULL);
	bind_opt(s, 10, a ? a->room : NULL);
	bind_opt(s, 11, a ? a->bed : NULL);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(st);
	return FOLIO_OK;
}

int encounter_admit(struct grant *g, const struct adt *a, int64_t *id, struct folio_err *e)
{
	struct store *st = grant_store(g);
	const char *state = a && a->pre ? "pre-admitted" : "admitted";
	char at[24];
	int64_t pid, open = 0;
	struct stmt *s;
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, a, e)))
		return rc;
	if (!a || !opt(a->attending))
		return err_set(e, FOLIO_EUSAGE, "an admission needs an attending physician");
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = when(a, at, e)))
		return rc;
	if ((rc = stmt_prepare(st, "SELECT id FROM encounters WHERE patient_id = ? AND kind = 'inpatient'"
				   " AND state IN ('pre-admitted', 'admitted') LIMIT 1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	if (stmt_step(s, e) == STMT_ROW)
		open = stmt_int64(s, 0);
	stmt_finalize(s);
	if (open)
		return err_set(e, FOLIO_EUSAGE, "the patient already has an open admission (encounter %" PRId64
			       "): discharge or cancel it first", open);
	if ((rc = encounter_insert(g, pid, "inpatient", state, at, "", a, id, e)))
		return rc;
	return deficiency_after(g, *id, event_add(g, *id, a->pre ? "preadmit" : "admit", state, at, a, e), e);
}

/* Sets state (and the given columns) of encounter x, bumping its version. */
static int enc_update(struct grant *g, const struct encounter_info *x, const char *state, const char *ended,
		      const struct adt *a, int clear_discharge, struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g),
			       "UPDATE encounters SET state = ?, ended_at = CASE WHEN ?6 THEN NULL ELSE"
			       " coalesce(?2, ended_at) END, attending = coalesce(?3, attending),"
			       " service = coalesce(?4, service), room = coalesce(?5, room),"
			       " bed = coalesce(?7, bed), discharge_status = CASE WHEN ?6 THEN NULL ELSE"
			       " coalesce(?8, discharge_status) END, row_version = row_version + 1"
			       " WHERE id = ?9 AND row_version = ?10", &s, e)))
		return rc;
	stmt_bind_text(s, 1, state);
	bind_opt(s, 2, ended);
	bind_opt(s, 3, a ? a->attending : NULL);
	bind_opt(s, 4, a ? a->service : NULL);
	bind_opt(s, 5, a ? a->room : NULL);
	stmt_bind_int64(s, 6, clear_discharge);
	bind_opt(s, 7, a ? a->bed : NULL);
	bind_opt(s, 8, a ? a->status : NULL);
	stmt_bind_int64(s, 9, x->id);
	stmt_bind_int64(s, 10, x->row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	return store_changes(grant_store(g)) == 1
		       ? FOLIO_OK
		       : err_set(e, FOLIO_ESTALE, "encounter %" PRId64 " changed meanwhile: look again", x->id);
}

/* The time of the encounter's latest event: nothing may be back-timed
 * before it (a transfer before the admission, say). */
static int last_event_at(struct grant *g, int64_t id, char out[24], struct folio_err *e)
{
	struct stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = stmt_prepare(grant_store(g), "SELECT max(at) FROM encounter_events WHERE encounter_id = ?"
				   " AND kind NOT LIKE 'cancel-%'", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if (stmt_step(s, e) == STMT_ROW && !stmt_is_null(s, 0))
		str_copy(out, 24, stmt_text(s, 0));
	stmt_finalize(s);
	return FOLIO_OK;
}

static int inpatient(const struct encounter_info *x, struct folio_err *e)
{
	if (strcmp(x->kind, "inpatient") != 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is a %s visit, not an admission", x->id,
			       x->kind);
	return FOLIO_OK;
}

int encounter_arrive(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e)
{
	struct encounter_info x;
	char at[24];
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, a, e)) || (rc = encounter_row_load(g, id, &x, e)) ||
	    (rc = inpatient(&x, e)) || (rc = when(a, at, e)))
		return rc;
	if (strcmp(x.state, "pre-admitted") != 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is %s, not pre-admitted", id, x.state);
	if ((rc = enc_update(g, &x, "admitted", NULL, a, 0, e)))
		return rc;
	return deficiency_after(g, id, event_add(g, id, "admit", "admitted", at, a, e), e);
}

/* What a transfer or a discharge starts from: the admission, the time of
 * the event and the time of the last one before it. */
static int inpatient_move(struct grant *g, int64_t id, const struct adt *a, struct encounter_info *x,
			  char at[24], char last[24], struct folio_err *e)
{
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, a, e)) || (rc = encounter_row_load(g, id, x, e)) ||
	    (rc = inpatient(x, e)) || (rc = when(a, at, e)))
		return rc;
	return last_event_at(g, id, last, e);
}

int encounter_transfer(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e)
{
	struct encounter_info x;
	char at[24], last[24];
	int rc;

	if ((rc = inpatient_move(g, id, a, &x, at, last, e)))
		return rc;
	if (!a || !(opt(a->attending) || opt(a->service) || opt(a->room) || opt(a->bed)))
		return err_set(e, FOLIO_EUSAGE, "a transfer names a new service, room, bed or attending");
	if (strcmp(x.state, "admitted") != 0)
		return err_set(e, FOLIO_EUSAGE, "only an admitted patient can be transferred (encounter %" PRId64
			       " is %s)", id, x.state);
	if (strcmp(at, last) < 0)
		return err_set(e, FOLIO_EUSAGE, "the transfer time is before the encounter's last movement");
	if ((rc = not_future(at, "a transfer", e)) || (rc = enc_update(g, &x, "admitted", NULL, a, 0, e)))
		return rc;
	return deficiency_after(g, id, event_add(g, id, "transfer", "admitted", at, a, e), e);
}

int encounter_discharge(struct grant *g, int64_t id, const struct adt *a, struct folio_err *e)
{
	struct encounter_info x;
	char at[24], last[24];
	int rc;

	if ((rc = inpatient_move(g, id, a, &x, at, last, e)))
		return rc;
	if (!a || !discharge_status_label(a->status))
		return err_set(e, FOLIO_EUSAGE, "a discharge needs a UB-04 discharge status (01 home, 03 SNF,"
			       " 06 home health, 20 expired ...; ? lists them)");
	if (strcmp(x.state, "pre-admitted") == 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is pre-admitted: a patient is admitted"
			       " before being discharged", id);
	if (strcmp(x.state, "admitted") != 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is %s: only an admitted patient is"
			       " discharged", id, x.state);
	if (strcmp(at, x.started) < 0)
		return err_set(e, FOLIO_EUSAGE, "the discharge time is before the admission time");
	if (strcmp(at, last) < 0)
		return err_set(e, FOLIO_EUSAGE, "the discharge time is before the last transfer");
	if ((rc = not_future(at, "a discharge", e)) || (rc = enc_update(g, &x, "discharged", at, a, 0, e)))
		return rc;
	return deficiency_after(g, id, event_add(g, id, "discharge", "discharged", at, a, e), e);
}

int encounter_cancel(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	struct adt a = { .reason = reason };
	struct encounter_info x;
	char at[24];
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, &a, e)) || (rc = encounter_row_load(g, id, &x, e)))
		return rc;
	if (!opt(reason))
		return err_set(e, FOLIO_EUSAGE, "a cancel needs a reason");
	time_utc_now(at, sizeof at);
	if (strcmp(x.kind, "inpatient") != 0)
		return encounter_step(g, id, "cancel", &a, e);
	if (strcmp(x.state, "discharged") == 0) {
		if ((rc = enc_update(g, &x, "admitted", NULL, NULL, 1, e)))
			return rc;
		return deficiency_after(g, id, event_add(g, id, "cancel-discharge", "admitted", at, &a, e), e);
	}
	if (strcmp(x.state, "admitted") == 0 || strcmp(x.state, "pre-admitted") == 0) {
		if ((rc = enc_update(g, &x, "cancelled", NULL, NULL, 0, e)))
			return rc;
		return deficiency_after(g, id, event_add(g, id, "cancel-admission", "cancelled", at, &a, e), e);
	}
	return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is %s: nothing to cancel", id, x.state);
}

int encounter_visit(struct grant *g, const char *kind, const struct adt *a, int64_t *id, struct folio_err *e)
{
	char at[24];
	int64_t pid;
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, a, e)))
		return rc;
	if (!kind || (strcmp(kind, "outpatient") != 0 && strcmp(kind, "emergency") != 0))
		return err_set(e, FOLIO_EUSAGE, "a visit is outpatient or emergency");
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = when(a, at, e)) || (rc = not_future(at, "a visit", e)))
		return rc;
	if ((rc = encounter_insert(g, pid, kind, "checked-in", at, a ? opt(a->clinic) : NULL, a, id, e)))
		return rc;
	return event_add(g, *id, "visit", "checked-in", at, a, e);
}

int encounter_step(struct grant *g, int64_t id, const char *step, const struct adt *a, struct folio_err *e)
{
	struct encounter_info x;
	const char *to, *ev;
	char at[24];
	int rc;

	if ((rc = need(g, ACT_ENCOUNTER_EDIT, e)) || (rc = adt_check(g, a, e)) || (rc = encounter_row_load(g, id, &x, e)) ||
	    (rc = when(a, at, e)))
		return rc;
	if (strcmp(x.kind, "inpatient") == 0)
		return err_set(e, FOLIO_EUSAGE, "encounter %" PRId64 " is an admission: use admit, transfer,"
			       " discharge or cancel", id);
	if (strcmp(step, "start") == 0 && strcmp(x.state, "checked-in") == 0) {
		to = "in-progress";
		ev = "start";
	} else if (strcmp(step, "close") == 0 &&
		   (strcmp(x.state, "checked-in") == 0 || strcmp(x.state, "in-progress") == 0)) {
		to = "closed";
		ev = "close";
	} else if (strcmp(step, "cancel") == 0 && strcmp(x.state, "checked-in") == 0) {
		if (!a || !opt(a->reason))
			return err_set(e, FOLIO_EUSAGE, "a cancel needs a reason");
		to = "cancelled";
		ev = "cancel-visit";
	} else {
		return err_set(e, FOLIO_EUSAGE, "visit %" PRId64 " is %s: it cannot %s", id, x.state, step);
	}
	if (strcmp(at, x.started) < 0)
		return err_set(e, FOLIO_EUSAGE, "that time is before the visit began");
	if ((rc = enc_update(g, &x, to, strcmp(to, "closed") == 0 ? at : NULL, NULL, 0, e)))
		return rc;
	return deficiency_after(g, id, event_add(g, id, ev, to, at, a, e), e);
}

int encounter_list(struct grant *g, int (*fn)(const struct encounter_info *, void *), void *ctx,
		   struct folio_err *e)
{
	struct encounter_info x;
	struct stmt *s;
	int rc;

	if (!grant_reads_chart(g) && (rc = need(g, ACT_CHART_VIEW, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT " ENC_COLUMNS " FROM encounters WHERE patient_id ="
				   " (SELECT id FROM patients WHERE mrn = ?) ORDER BY started_at DESC, id DESC", &s, e)))
		return rc;
	stmt_bind_text(s, 1, grant_mrn(g));
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		enc_fill(s, &x);
		if (fn(&x, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int encounter_show(struct grant *g, int64_t id, struct encounter_info *info,
		   int (*fn)(const struct encounter_event *, void *), void *ctx, struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct encounter_event *ev;
	struct stmt *s;
	int rc;

	if ((!grant_reads_chart(g) && (rc = need(g, ACT_CHART_VIEW, e))) || (rc = encounter_row_load(g, id, info, e)))
		return rc;
	if (!fn)
		return FOLIO_OK;
	if (!(ev = smem_alloc(sizeof *ev)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, at, recorded_at, kind, state, attending, service, room,"
				   " bed, discharge_status, reason, by_user FROM encounter_events"
				   " WHERE encounter_id = ? ORDER BY id", &s, e))) {
		smem_free(ev);
		return rc;
	}
	stmt_bind_int64(s, 1, id);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		memset(ev, 0, sizeof *ev);
		ev->id = stmt_int64(s, 0);
		chart_col_copy(s, 1, ev->at, sizeof ev->at);
		chart_col_copy(s, 2, ev->recorded, sizeof ev->recorded);
		chart_col_copy(s, 3, ev->kind, sizeof ev->kind);
		chart_col_copy(s, 4, ev->state, sizeof ev->state);
		chart_col_copy(s, 5, ev->attending, sizeof ev->attending);
		chart_col_copy(s, 6, ev->service, sizeof ev->service);
		chart_col_copy(s, 7, ev->room, sizeof ev->room);
		chart_col_copy(s, 8, ev->bed, sizeof ev->bed);
		chart_col_copy(s, 9, ev->status, sizeof ev->status);
		chart_col_copy(s, 11, ev->by, sizeof ev->by);
		if (!stmt_is_null(s, 10)) {
			const uint8_t *b;
			size_t n, len = 0;
			char ad[64];
			b = stmt_blob(s, 10, &n);
			field_ad(ad, sizeof ad, "encounter_events", "reason", ev->id);
			if (field_open(kr, ad, b, n, ev->reason, sizeof ev->reason - 1, &len, e) != FOLIO_OK)
				str_copy(ev->reason, sizeof ev->reason, "(reason unreadable)");
			else
				ev->reason[len] = '\0';
		}
		if (fn(ev, ctx))
			break;
	}
	stmt_finalize(s);
	smem_free(ev);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}
