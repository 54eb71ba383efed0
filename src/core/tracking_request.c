/* folio — paper chart requests and the lists built on tracking: a request
 * (and its cancel), a patient's open requests and movement history, the
 * department's pull list (open requests by date needed) and overdue list
 * (volumes out past their due date).
 *
 * The department lists open nothing encrypted: MRNs, user names, dates and
 * locations only.  The history opens the sealed reasons into guarded memory
 * for the length of the walk. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "tracking_internal.h"

int tracking_request(struct grant *g, const char *needed, const char *reason, int64_t *id,
		     struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct track_move_new m = { .kind = "request" };
	const char *user = session_user(grant_session(g));
	struct stmt *s;
	char day[11], today[12], now[24];
	int64_t pid, dup = 0;
	int rc;

	if ((rc = track_need(g, (const enum action[]){ ACT_CHART_REQUEST }, 1, "a chart request", e)))
		return rc;
	track_today(today);
	if ((rc = date_parse(needed && *needed ? needed : "T", date_today(), day, e)))
		return rc;
	if (strcmp(day, today) < 0)
		return err_set(e, FOLIO_EUSAGE, "a chart is requested for today or later, not %s", day);
	if ((rc = chart_line_ok(reason, TRACK_WHY_MAX, "Reason", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = stmt_prepare(st, "SELECT id FROM chart_requests WHERE patient_id = ? AND requester = ?"
				   " AND needed = ? AND state = 'open'", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, user);
	stmt_bind_text(s, 3, day);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		dup = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (dup)
		return err_set(e, FOLIO_EUSAGE, "you already requested this chart for %s (request %" PRId64 ")", day, dup);
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO chart_requests (patient_id, requester, needed, requested_at)"
				   " VALUES (?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, user);
	stmt_bind_text(s, 3, day);
	stmt_bind_text(s, 4, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	*id = store_last_rowid(st);
	m.patient_id = pid;
	m.request_id = *id;
	m.at = now;
	m.to = user;
	m.due = day;
	m.reason = reason;
	return track_move_write(g, &m, e);
}

int tracking_request_cancel(struct grant *g, int64_t id, struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct track_move_new m = { .kind = "cancel" };
	const char *user = session_user(grant_session(g));
	char requester[40] = "", state[16] = "", now[24];
	struct stmt *s;
	int64_t pid;
	int rc;

	if ((rc = track_need(g, (const enum action[]){ ACT_CHART_REQUEST, ACT_CHART_TRACK }, 2,
			     "cancelling a request", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = stmt_prepare(st, "SELECT requester, state FROM chart_requests WHERE id = ? AND patient_id = ?", &s,
			       e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, pid);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		str_copy(requester, sizeof requester, stmt_text(s, 0));
		str_copy(state, sizeof state, stmt_text(s, 1));
	}
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (!state[0])
		return err_set(e, FOLIO_ENOTFOUND, "no request %" PRId64 " for MRN %s", id, grant_mrn(g));
	if (strcmp(state, "open") != 0)
		return err_set(e, FOLIO_EUSAGE, "request %" PRId64 " is %s already", id, state);
	/* A physician withdraws their own request; the file room any. */
	if (grant_action(g) == ACT_CHART_REQUEST && strcmp(requester, user) != 0)
		return err_set(e, FOLIO_EDENIED, "request %" PRId64 " is %s's: only they or the file room cancel it", id,
			       requester);
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "UPDATE chart_requests SET state = 'cancelled', closed_at = ?, closed_by = ?"
				   " WHERE id = ? AND state = 'open'", &s, e)))
		return rc;
	stmt_bind_text(s, 1, now);
	stmt_bind_text(s, 2, user);
	stmt_bind_int64(s, 3, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	m.patient_id = pid;
	m.request_id = id;
	m.at = now;
	m.from = requester;
	return track_move_write(g, &m, e);
}

/* Open requests, earliest needed first: of patient pid (> 0), or of every
 * patient needed on or before `by` ("" = any day). */
static int requests_walk(struct grant *g, int64_t pid, const char *by,
			 int (*fn)(const struct track_request *, void *), void *ctx, struct folio_err *e)
{
	struct track_request r;
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "SELECT r.id, p.mrn, r.requester, r.needed, r.requested_at, p.id"
				   " FROM chart_requests r JOIN patients p ON p.id = r.patient_id"
				   " WHERE r.state = 'open' AND (? = 0 OR r.patient_id = ?) AND (? = '' OR r.needed <= ?)"
				   " ORDER BY r.needed, r.requested_at, r.id", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_int64(s, 2, pid);
	stmt_bind_text(s, 3, by);
	stmt_bind_text(s, 4, by);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		memset(&r, 0, sizeof r);
		r.id = stmt_int64(s, 0);
		str_copy(r.mrn, sizeof r.mrn, stmt_text(s, 1));
		str_copy(r.requester, sizeof r.requester, stmt_text(s, 2));
		str_copy(r.needed, sizeof r.needed, stmt_text(s, 3));
		str_copy(r.at, sizeof r.at, stmt_text(s, 4));
		if ((rc = track_where_of(g, stmt_int64(s, 5), r.where, sizeof r.where, e)))
			break;
		if (!r.where[0])
			str_copy(r.where, sizeof r.where, "(no paper chart yet)");
		if (fn(&r, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int tracking_requests(struct grant *g, int (*fn)(const struct track_request *, void *), void *ctx,
		      struct folio_err *e)
{
	int64_t pid;
	int rc;

	if ((rc = track_need(g, TRACK_HISTORY, TRACK_HISTORY_N, "a chart's requests", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	return requests_walk(g, pid, "", fn, ctx, e);
}

int tracking_pull_list(struct grant *g, const char *by, int (*fn)(const struct track_request *, void *),
		       void *ctx, struct folio_err *e)
{
	char day[11] = "";
	int rc;

	if ((rc = track_need(g, (const enum action[]){ ACT_CHART_TRACK }, 1, "the pull list", e)))
		return rc;
	if (by && *by && (rc = date_parse(by, date_today(), day, e)))
		return rc;
	return requests_walk(g, 0, day, fn, ctx, e);
}

int tracking_overdue(struct grant *g, int (*fn)(const struct track_overdue *, void *), void *ctx,
		     struct folio_err *e)
{
	struct track_overdue o;
	struct stmt *s;
	char today[12];
	int64_t now = date_today();
	int rc;

	if ((rc = track_need(g, (const enum action[]){ ACT_CHART_TRACK }, 1, "the overdue list", e)))
		return rc;
	track_today(today);
	if ((rc = stmt_prepare(grant_store(g), "SELECT p.mrn, v.number, v.borrower, v.out_at, v.due"
				   " FROM chart_volumes v JOIN patients p ON p.id = v.patient_id"
				   " WHERE v.state = 'out' AND v.due < ? ORDER BY v.due, p.mrn, v.number", &s, e)))
		return rc;
	stmt_bind_text(s, 1, today);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		int64_t due;

		memset(&o, 0, sizeof o);
		str_copy(o.mrn, sizeof o.mrn, stmt_text(s, 0));
		o.volume = (int)stmt_int64(s, 1);
		str_copy(o.borrower, sizeof o.borrower, stmt_text(s, 2));
		str_copy(o.out_since, sizeof o.out_since, stmt_text(s, 3));
		str_copy(o.due, sizeof o.due, stmt_text(s, 4));
		if ((due = track_day(o.due)) != DATE_INVALID)
			o.days_over = (int)(now - due);
		if (fn(&o, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int tracking_history(struct grant *g, int (*fn)(const struct track_move *, void *), void *ctx,
		     struct folio_err *e)
{
	const struct keyring *kr = grant_keys(g);
	struct track_move *m;
	struct stmt *s;
	int64_t pid;
	int rc;

	if ((rc = track_need(g, TRACK_HISTORY, TRACK_HISTORY_N, "a chart's movements", e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if (!(m = smem_alloc(sizeof *m)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT m.id, coalesce(v.number, 0), m.at, m.recorded_at, m.by_user,"
				   " m.kind, m.from_loc, m.to_loc, coalesce(m.due, ''), coalesce(m.request_id, 0),"
				   " m.reason FROM chart_moves m LEFT JOIN chart_volumes v ON v.id = m.volume_id"
				   " WHERE m.patient_id = ? ORDER BY m.at DESC, m.id DESC", &s, e))) {
		smem_free(m);
		return rc;
	}
	stmt_bind_int64(s, 1, pid);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		memset(m, 0, sizeof *m);
		m->id = stmt_int64(s, 0);
		m->volume = (int)stmt_int64(s, 1);
		str_copy(m->at, sizeof m->at, stmt_text(s, 2));
		str_copy(m->recorded, sizeof m->recorded, stmt_text(s, 3));
		str_copy(m->by, sizeof m->by, stmt_text(s, 4));
		str_copy(m->kind, sizeof m->kind, stmt_text(s, 5));
		str_copy(m->from, sizeof m->from, stmt_text(s, 6));
		str_copy(m->to, sizeof m->to, stmt_text(s, 7));
		str_copy(m->due, sizeof m->due, stmt_text(s, 8));
		m->request = stmt_int64(s, 9);
		if (!stmt_is_null(s, 10)) {
			struct folio_err e2 = { 0 };
			const uint8_t *b;
			size_t n, len = 0;
			char ad[64];

			b = stmt_blob(s, 10, &n);
			field_ad(ad, sizeof ad, "chart_moves", "reason", m->id);
			/* One unreadable reason (a key not held) does not hide the
			 * movements. */
			if (field_open(kr, ad, b, n, m->reason, sizeof m->reason - 1, &len, &e2) != FOLIO_OK)
				str_copy(m->reason, sizeof m->reason, "(reason unreadable)");
			else
				m->reason[len] = '\0';
		}
		if (fn(m, ctx))
			break;
	}
	stmt_finalize(s);
	smem_free(m);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}
