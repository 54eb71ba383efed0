/* folio — paper chart volumes and their movements: where each folder is,
 * charge-out to a borrower, check-in to its home, the missing flag and its
 * clearing.  Every change of a volume's state writes a chart_moves row in
 * the same transaction; nothing is overwritten without one.  The requests,
 * the department lists and the history are in tracking_request.c.
 *
 * Reasons are the only PHI: sealed under the clinical key to their row
 * (AD chart_moves.reason:id).  Locations and borrowers are plain. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/store.h"
#include "tracking_internal.h"

/* A charge-out may be entered a little ahead of the clock, never later. */
#define FUTURE_SLACK_SECONDS 300
#define DUE_DAYS_DEFAULT 3
#define DUE_DAYS_MAX 365

#define VOL_COLUMNS                                                                                  \
	"id, number, home, state, coalesce(borrower, ''), coalesce(out_at, ''), coalesce(due, ''),"  \
	" coalesce(missing_at, ''), row_version"

int track_need(struct grant *g, const enum action *acts, size_t n, const char *what, struct folio_err *e)
{
	for (size_t i = 0; i < n; i++)
		if (grant_action(g) == acts[i])
			return FOLIO_OK;
	return err_set(e, FOLIO_EDENIED, "%s needs its own grant", what);
}

void track_today(char out[12])
{
	date_format_days(date_today(), out);
}

const char *track_state_name(enum track_state s)
{
	switch (s) {
	case TRACK_IN: return "in";
	case TRACK_OUT: return "out";
	case TRACK_MISSING: return "missing";
	}
	return "?";
}

static enum track_state state_parse(const char *s)
{
	if (strcmp(s, "out") == 0)
		return TRACK_OUT;
	if (strcmp(s, "missing") == 0)
		return TRACK_MISSING;
	return TRACK_IN;
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

/* Binds text, or NULL for NULL or "". */
static void bind_text_or_null(struct stmt *s, int i, const char *v)
{
	if (opt(v))
		stmt_bind_text(s, i, v);
	else
		stmt_bind_null(s, i);
}

static void bind_id_or_null(struct stmt *s, int i, int64_t id)
{
	if (id)
		stmt_bind_int64(s, i, id);
	else
		stmt_bind_null(s, i);
}

int track_move_write(struct grant *g, const struct track_move_new *m, struct folio_err *e)
{
	struct store *st = grant_store(g);
	uint8_t env[TRACK_REASON_MAX + ENVELOPE_OVERHEAD];
	size_t envlen = 0;
	struct stmt *s;
	char now[24], ad[64];
	int64_t id = 0;
	int rc;

	/* The id is taken before the insert so the reason is sealed to its own
	 * row and the row is written whole (the table takes no updates).  The
	 * grant's write transaction keeps anyone else from taking it. */
	if ((rc = stmt_prepare(st, "SELECT coalesce(max(id), 0) + 1 FROM chart_moves", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		id = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "cannot number the movement") : rc;
	if (opt(m->reason)) {
		field_ad(ad, sizeof ad, "chart_moves", "reason", id);
		if ((rc = field_seal(grant_keys(g), KC_CLINICAL, ad, m->reason, strlen(m->reason), env, sizeof env,
				     &envlen, e)))
			return rc;
	}
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO chart_moves (id, patient_id, volume_id, request_id, at, recorded_at,"
				   " kind, from_loc, to_loc, due, reason, by_user)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, m->patient_id);
	bind_id_or_null(s, 3, m->volume_id);
	bind_id_or_null(s, 4, m->request_id);
	stmt_bind_text(s, 5, opt(m->at) ? m->at : now);
	stmt_bind_text(s, 6, now);
	stmt_bind_text(s, 7, m->kind);
	stmt_bind_text(s, 8, m->from ? m->from : "");
	stmt_bind_text(s, 9, m->to ? m->to : "");
	bind_text_or_null(s, 10, m->due);
	if (envlen)
		stmt_bind_blob(s, 11, env, envlen);
	else
		stmt_bind_null(s, 11);
	stmt_bind_text(s, 12, session_user(grant_session(g)));
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* ---- volumes ------------------------------------------------------------ */

static void vol_fill(struct stmt *s, struct track_volume *v, const char *today)
{
	memset(v, 0, sizeof *v);
	v->id = stmt_int64(s, 0);
	v->number = (int)stmt_int64(s, 1);
	str_copy(v->home, sizeof v->home, stmt_text(s, 2));
	v->state = state_parse(stmt_text(s, 3));
	str_copy(v->borrower, sizeof v->borrower, stmt_text(s, 4));
	str_copy(v->out_since, sizeof v->out_since, stmt_text(s, 5));
	str_copy(v->due, sizeof v->due, stmt_text(s, 6));
	str_copy(v->missing_since, sizeof v->missing_since, stmt_text(s, 7));
	v->row_version = stmt_int64(s, 8);
	v->overdue = v->state == TRACK_OUT && strcmp(v->due, today) < 0;
}

/* Every volume of patient pid, in number order, via fn (non-zero stops). */
static int vol_walk(struct grant *g, int64_t pid, int (*fn)(const struct track_volume *, void *), void *ctx,
		    struct folio_err *e)
{
	struct track_volume v;
	struct stmt *s;
	char today[12];
	int rc;

	track_today(today);
	if ((rc = stmt_prepare(grant_store(g), "SELECT " VOL_COLUMNS " FROM chart_volumes WHERE patient_id = ?"
				   " ORDER BY number", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		vol_fill(s, &v, today);
		if (fn(&v, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Picking the volume an action means when none is named. */
struct vol_pick {
	int want;                 /* a track_state, or -1 for any */
	int total, matching;
	struct track_volume v;    /* the (last) matching one */
};

static int pick_one(const struct track_volume *v, void *ctx)
{
	struct vol_pick *p = ctx;

	p->total++;
	if (p->want < 0 || (int)v->state == p->want) {
		p->matching++;
		p->v = *v;
	}
	return 0;
}

static int pick_number(const struct track_volume *v, void *ctx)
{
	struct vol_pick *p = ctx;

	p->total++;
	if (v->number == p->want) {
		p->matching = 1;
		p->v = *v;
		return 1;
	}
	return 0;
}

/* Loads volume `number` of patient pid into *v; number 0 means the one
 * volume in state want (any state when want < 0).  FOLIO_ENOTFOUND when
 * the patient has no paper chart (or no such volume); FOLIO_EUSAGE when
 * the choice is not clear. */
static int vol_pick(struct grant *g, int64_t pid, int number, int want, struct track_volume *v,
		    struct folio_err *e)
{
	struct vol_pick p = { .want = number > 0 ? number : want };
	int rc;

	if (number < 0)
		return err_set(e, FOLIO_EUSAGE, "volume numbers start at 1");
	if ((rc = vol_walk(g, pid, number > 0 ? pick_number : pick_one, &p, e)))
		return rc;
	if (p.total == 0)
		return err_set(e, FOLIO_ENOTFOUND, "MRN %s has no paper chart", grant_mrn(g));
	if (number > 0 && !p.matching)
		return err_set(e, FOLIO_ENOTFOUND, "MRN %s has no volume %d (it has %d)", grant_mrn(g), number,
			       p.total);
	if (number == 0 && p.matching == 0)
		return err_set(e, FOLIO_EUSAGE, "no volume of MRN %s is %s", grant_mrn(g),
			       track_state_name((enum track_state)want));
	if (number == 0 && p.matching > 1)
		return err_set(e, FOLIO_EUSAGE, "MRN %s has %d volumes%s%s: name the volume", grant_mrn(g),
			       p.matching, want < 0 ? "" : " ", want < 0 ? "" : track_state_name((enum track_state)want));
	*v = p.v;
	return FOLIO_OK;
}

/* Writes a volume's new state, checking nobody changed it since it was
 * read (the row version). */
static int vol_set(struct grant *g, const struct track_volume *v, enum track_state st, const char *borrower,
		   const char *out_at, const char *due, const char *missing_at, struct folio_err *e)
{
	const char *vals[] = { borrower, out_at, due, missing_at };
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "UPDATE chart_volumes SET state = ?, borrower = ?, out_at = ?,"
				   " due = ?, missing_at = ?, row_version = row_version + 1"
				   " WHERE id = ? AND row_version = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, track_state_name(st));
	for (int i = 0; i < 4; i++)
		bind_text_or_null(s, 2 + i, vals[i]);
	stmt_bind_int64(s, 6, v->id);
	stmt_bind_int64(s, 7, v->row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "volume %d changed meanwhile: look again", v->number);
	return FOLIO_OK;
}

static int vol_create(struct grant *g, int64_t pid, const char *home, struct track_volume *v, struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct track_move_new m = { .patient_id = pid, .kind = "created" };
	struct stmt *s;
	char now[24];
	int number = 1, rc;

	home = opt(home) ? home : TRACK_DEFAULT_HOME;
	if ((rc = chart_line_ok(home, TRACK_NAME_MAX - 1, "Home location", e)))
		return rc;
	if ((rc = stmt_prepare(st, "SELECT coalesce(max(number), 0) + 1 FROM chart_volumes WHERE patient_id = ?", &s,
			       e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		number = (int)stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO chart_volumes (patient_id, number, home, created_at)"
				   " VALUES (?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_int64(s, 2, number);
	stmt_bind_text(s, 3, home);
	stmt_bind_text(s, 4, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	memset(v, 0, sizeof *v);
	v->id = store_last_rowid(st);
	v->number = number;
	v->row_version = 1;
	str_copy(v->home, sizeof v->home, home);
	m.volume_id = v->id;
	m.to = home;
	return track_move_write(g, &m, e);
}

int tracking_volume_add(struct grant *g, const char *home, int *number, struct folio_err *e)
{
	struct track_volume v;
	int64_t pid;
	int rc;

	if ((rc = track_need(g, (const enum action[]){ ACT_CHART_TRACK }, 1, "adding a volume", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = vol_create(g, pid, home, &v, e)))
		return rc;
	*number = v.number;
	return FOLIO_OK;
}

int tracking_volumes(struct grant *g, int (*fn)(const struct track_volume *, void *), void *ctx,
		     struct folio_err *e)
{
	int64_t pid;
	int rc;

	if ((rc = track_need(g, TRACK_READERS, TRACK_READERS_N, "where a chart is", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	return vol_walk(g, pid, fn, ctx, e);
}

/* ---- where -------------------------------------------------------------- */

struct where {
	char *out;
	size_t cap, len;
	int count;
	char one[TRACK_NAME_MAX + 64];
	int several;
};

static void where_line(const struct track_volume *v, char *out, size_t cap)
{
	switch (v->state) {
	case TRACK_OUT:
		snprintf(out, cap, "Out: %s since %.10s%s", v->borrower, v->out_since, v->overdue ? " (overdue)" : "");
		break;
	case TRACK_MISSING:
		str_copy(out, cap, "MISSING");
		break;
	default:
		str_copy(out, cap, v->home);
	}
}

static int where_add(const struct track_volume *v, void *ctx)
{
	struct where *w = ctx;
	char part[TRACK_NAME_MAX + 64];
	int n;

	where_line(v, part, sizeof part);
	n = snprintf(w->out + w->len, w->cap - w->len, "%sVol %d %s", w->count ? "; " : "", v->number, part);
	if (w->count == 0)
		str_copy(w->one, sizeof w->one, part);
	w->count++;
	if (n > 0)
		w->len = (size_t)n < w->cap - w->len ? w->len + (size_t)n : w->cap - 1;
	return w->len + 1 >= w->cap;
}

int track_where_of(struct grant *g, int64_t pid, char *out, size_t cap, struct folio_err *e)
{
	struct where w = { .out = out, .cap = cap };
	int rc;

	if (cap == 0)
		return err_set(e, FOLIO_EUSAGE, "no room for the location");
	out[0] = '\0';
	rc = vol_walk(g, pid, where_add, &w, e);
	/* One folder needs no volume number. */
	if (rc == FOLIO_OK && w.count == 1)
		str_copy(out, cap, w.one);
	return rc;
}

int tracking_where(struct grant *g, const char *mrn, char *out, size_t cap, struct folio_err *e)
{
	struct stmt *s;
	int64_t pid = 0;
	int rc;

	if (cap)
		out[0] = '\0';
	if ((rc = track_need(g, TRACK_READERS, TRACK_READERS_N, "where a chart is", e)))
		return rc;
	if (!mrn || !*mrn)
		mrn = grant_mrn(g);
	if (!*mrn)
		return err_set(e, FOLIO_EUSAGE, "which patient's chart?");
	if (*grant_mrn(g) && strcmp(mrn, grant_mrn(g)) != 0)
		return err_set(e, FOLIO_EDENIED, "a grant on one chart does not show another");
	if ((rc = stmt_prepare(grant_store(g), "SELECT id FROM patients WHERE mrn = ?", &s, e)))
		return rc;
	stmt_bind_text(s, 1, mrn);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		pid = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (!pid)
		return err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", mrn);
	return track_where_of(g, pid, out, cap, e);
}

/* ---- movements ---------------------------------------------------------- */

/* When a movement happened: now, or a back-timed UTC time that is not in
 * the future and not before the volume's last movement (from or to
 * somewhere). */
static int move_time(struct grant *g, const struct track_volume *v, const char *at, char out[24],
		     struct folio_err *e)
{
	struct stmt *s;
	char limit[24], last[24] = "";
	int y, mo, da, h, mi, se, n = 0, rc;

	if (!opt(at)) {
		time_utc_now(out, 24);
		at = out;
	} else if (strlen(at) != 20 || sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &da, &h, &mi, &se, &n) != 6 ||
		   n != 20 || date_days(y, mo, da) == DATE_INVALID || h > 23 || mi > 59 || se > 59) {
		return err_set(e, FOLIO_EUSAGE, "time: not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)");
	} else {
		str_copy(out, 24, at);
	}
	time_utc_format(time_now() + FUTURE_SLACK_SECONDS, limit, sizeof limit);
	if (strcmp(out, limit) > 0)
		return err_set(e, FOLIO_EUSAGE, "a movement cannot be in the future");
	/* Registering a folder does not date it (it may be years old), so its
	 * "created" row does not bound a back-timed entry. */
	if ((rc = stmt_prepare(grant_store(g), "SELECT max(at) FROM chart_moves WHERE volume_id = ? AND kind <> 'created'",
			       &s, e)))
		return rc;
	stmt_bind_int64(s, 1, v->id);
	if ((rc = stmt_step(s, e)) == STMT_ROW && !stmt_is_null(s, 0))
		str_copy(last, sizeof last, stmt_text(s, 0));
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (last[0] && strcmp(out, last) < 0)
		return err_set(e, FOLIO_EUSAGE, "volume %d last moved at %s: a movement cannot be before it", v->number,
			       last);
	return FOLIO_OK;
}

/* The site's due-back period in days (setting chart_due_days). */
static int due_days(struct grant *g)
{
	struct folio_err e2 = { 0 };
	struct stmt *s;
	int64_t v = DUE_DAYS_DEFAULT;

	if (stmt_prepare(grant_store(g), "SELECT value FROM settings WHERE name = 'chart_due_days'", &s, &e2))
		return DUE_DAYS_DEFAULT;
	if (stmt_step(s, &e2) == STMT_ROW)
		v = stmt_int64(s, 0);
	stmt_finalize(s);
	/* A value edited out of range in the file is not trusted. */
	return v >= 1 && v <= DUE_DAYS_MAX ? (int)v : DUE_DAYS_DEFAULT;
}

int64_t track_day(const char *ymd)
{
	int y, m, d;

	if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return DATE_INVALID;
	return date_days(y, m, d);
}

/* The borrower's open requests for this chart become fulfilled; *first
 * gets the one needed soonest (0 when none). */
static int fulfil_requests(struct grant *g, int64_t pid, const char *borrower, int64_t *first,
			   struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct stmt *s;
	char now[24];
	int rc;

	*first = 0;
	if ((rc = stmt_prepare(st, "SELECT id FROM chart_requests WHERE patient_id = ? AND state = 'open'"
				   " AND lower(requester) = lower(?) ORDER BY needed, id LIMIT 1", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, borrower);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		*first = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (!*first)
		return FOLIO_OK;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "UPDATE chart_requests SET state = 'fulfilled', closed_at = ?, closed_by = ?"
				   " WHERE patient_id = ? AND state = 'open' AND lower(requester) = lower(?)", &s, e)))
		return rc;
	stmt_bind_text(s, 1, now);
	stmt_bind_text(s, 2, session_user(grant_session(g)));
	stmt_bind_int64(s, 3, pid);
	stmt_bind_text(s, 4, borrower);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Why a volume cannot go out, or FOLIO_OK. */
static int out_refused(const struct track_volume *v, struct folio_err *e)
{
	if (v->state == TRACK_OUT)
		return err_set(e, FOLIO_EUSAGE, "volume %d is already out to %s since %.10s: check it in first", v->number,
			       v->borrower, v->out_since);
	if (v->state == TRACK_MISSING)
		return err_set(e, FOLIO_EUSAGE, "volume %d is missing: a supervisor marks it found first", v->number);
	return FOLIO_OK;
}

/* The patient and the volume a movement is about: under a grant for
 * action a, volume `volume`, or (0) the one in state want (any: -1). */
static int vol_find(struct grant *g, enum action a, const char *what, int volume, int want, int64_t *pid,
		    struct track_volume *v, struct folio_err *e)
{
	int rc;

	if ((rc = track_need(g, (const enum action[]){ a }, 1, what, e)))
		return rc;
	if (!(*pid = chart_patient_id(g, e)))
		return e->code;
	return vol_pick(g, *pid, volume, volume ? -1 : want, v, e);
}

/* Puts volume v of patient pid in state st at `at` (checked by
 * move_time) and writes movement m, which names where from and to. */
static int vol_move(struct grant *g, int64_t pid, const struct track_volume *v, enum track_state st,
		    const char *at, struct track_move_new *m, struct folio_err *e)
{
	int rc = vol_set(g, v, st, st == TRACK_OUT ? m->to : NULL, st == TRACK_OUT ? at : NULL,
			 st == TRACK_OUT ? m->due : NULL, st == TRACK_MISSING ? at : NULL, e);

	if (rc)
		return rc;
	m->patient_id = pid;
	m->volume_id = v->id;
	m->at = at;
	return track_move_write(g, m, e);
}

int tracking_out(struct grant *g, const struct track_out *o, struct folio_err *e)
{
	struct track_move_new m = { .kind = "out" };
	struct track_volume v;
	char at[24], due[11];
	int64_t pid = 0, day;
	int rc;

	if (!o || !opt(o->to))
		return err_set(e, FOLIO_EUSAGE, "a charge-out names the borrower (a user, clinic or department)");
	if ((rc = chart_line_ok(o->to, TRACK_NAME_MAX - 1, "Borrower", e)))
		return rc;
	rc = vol_find(g, ACT_CHART_TRACK, "a charge-out", o->volume, -1, &pid, &v, e);
	if (rc == FOLIO_ENOTFOUND && o->volume == 0 && pid) {
		/* The first charge-out of a chart nobody filed yet makes its
		 * folder: volume 1 at the default home. */
		err_clear(e);
		rc = vol_create(g, pid, NULL, &v, e);
	}
	if (rc || (rc = out_refused(&v, e)) || (rc = move_time(g, &v, o->at, at, e)))
		return rc;
	day = track_day(at);
	if (opt(o->due)) {
		if ((rc = date_parse(o->due, date_today(), due, e)))
			return rc;
		if (track_day(due) < day)
			return err_set(e, FOLIO_EUSAGE, "due back %s is before the chart went out (%.10s)", due, at);
	} else {
		date_format_days(day + due_days(g), due);
	}
	if ((rc = fulfil_requests(g, pid, o->to, &m.request_id, e)))
		return rc;
	m.from = v.home;
	m.to = o->to;
	m.due = due;
	return vol_move(g, pid, &v, TRACK_OUT, at, &m, e);
}

int tracking_in(struct grant *g, int volume, const char *at, struct folio_err *e)
{
	struct track_move_new m = { .kind = "in" };
	struct track_volume v;
	char when[24];
	int64_t pid;
	int rc;

	if ((rc = vol_find(g, ACT_CHART_TRACK, "a check-in", volume, TRACK_OUT, &pid, &v, e)))
		return rc;
	if (v.state == TRACK_IN)
		return err_set(e, FOLIO_EUSAGE, "volume %d is in (%s), not out", v.number, v.home);
	if (v.state == TRACK_MISSING)
		return err_set(e, FOLIO_EUSAGE, "volume %d is missing: a supervisor marks it found", v.number);
	if ((rc = move_time(g, &v, at, when, e)))
		return rc;
	m.from = v.borrower;
	m.to = v.home;
	return vol_move(g, pid, &v, TRACK_IN, when, &m, e);
}

int tracking_missing(struct grant *g, int volume, const char *why, struct folio_err *e)
{
	struct track_move_new m = { .kind = "missing", .reason = why };
	struct track_volume v;
	char now[24];
	int64_t pid;
	int rc;

	if (!opt(why))
		return err_set(e, FOLIO_EUSAGE, "marking a chart missing needs a reason");
	if ((rc = chart_line_ok(why, TRACK_WHY_MAX, "Reason", e)) ||
	    (rc = vol_find(g, ACT_CHART_TRACK, "marking a chart missing", volume, -1, &pid, &v, e)))
		return rc;
	if (v.state == TRACK_MISSING)
		return err_set(e, FOLIO_EUSAGE, "volume %d is already missing (since %.10s)", v.number, v.missing_since);
	if ((rc = move_time(g, &v, NULL, now, e)))
		return rc;
	m.from = v.state == TRACK_OUT ? v.borrower : v.home;
	return vol_move(g, pid, &v, TRACK_MISSING, now, &m, e);
}

int tracking_found(struct grant *g, int volume, struct folio_err *e)
{
	struct track_move_new m = { .kind = "found" };
	struct track_volume v;
	char now[24];
	int64_t pid;
	int rc;

	if ((rc = vol_find(g, ACT_CHART_FOUND, "clearing the missing flag", volume, TRACK_MISSING, &pid, &v, e)))
		return rc;
	if (v.state != TRACK_MISSING)
		return err_set(e, FOLIO_EUSAGE, "volume %d is not missing", v.number);
	if ((rc = move_time(g, &v, NULL, now, e)))
		return rc;
	m.to = v.home;
	return vol_move(g, pid, &v, TRACK_IN, now, &m, e);
}
