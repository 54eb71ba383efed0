/* folio — release-of-information requests (schema/011_roi.sql): logging,
 * loading, the worklist, deny/withdraw/extend, the selection and the
 * history.  Validation is in roi_check.c, the packet in roi_packet.c.
 *
 * The request's texts (requester, organisation, address, purpose, reason)
 * are sealed to their own row, so the id is taken before the insert (the
 * grant's write transaction keeps anyone else from taking it). */
#include "folio/roi.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "roi_internal.h"

static const struct {
	const char *name, *help;
} authorities[RA_COUNT] = {
#define FOLIO_ROI_AUTH_ROW(id, name, help) { name, help },
	FOLIO_ROI_AUTHORITIES(FOLIO_ROI_AUTH_ROW)
#undef FOLIO_ROI_AUTH_ROW
};

static const struct {
	const char *name, *help;
} statuses[RS_COUNT] = {
#define FOLIO_ROI_STATUS_ROW(id, name, help) { name, help },
	FOLIO_ROI_STATUSES(FOLIO_ROI_STATUS_ROW)
#undef FOLIO_ROI_STATUS_ROW
};

static const struct {
	const char *name, *title;
} sections[RSEC_COUNT] = {
#define FOLIO_ROI_SECTION_ROW(id, name, title) { name, title },
	FOLIO_ROI_SECTIONS(FOLIO_ROI_SECTION_ROW)
#undef FOLIO_ROI_SECTION_ROW
};

const char *roi_authority_name(enum roi_authority a)
{
	return (unsigned)a < RA_COUNT ? authorities[a].name : "?";
}

const char *roi_authority_help(enum roi_authority a)
{
	return (unsigned)a < RA_COUNT ? authorities[a].help : "?";
}

int roi_authority_parse(const char *name)
{
	for (int i = 0; name && i < RA_COUNT; i++)
		if (strcmp(name, authorities[i].name) == 0)
			return i;
	return -1;
}

const char *roi_status_name(enum roi_status s)
{
	return (unsigned)s < RS_COUNT ? statuses[s].name : "?";
}

const char *roi_status_help(enum roi_status s)
{
	return (unsigned)s < RS_COUNT ? statuses[s].help : "?";
}

int roi_status_parse(const char *name)
{
	for (int i = 0; name && i < RS_COUNT; i++)
		if (strcmp(name, statuses[i].name) == 0)
			return i;
	return -1;
}

int roi_status_final(enum roi_status s)
{
	return s == RS_RELEASED || s == RS_PARTIAL || s == RS_DENIED || s == RS_WITHDRAWN;
}

const char *roi_section_name(enum roi_section s)
{
	return (unsigned)s < RSEC_COUNT ? sections[s].name : "?";
}

const char *roi_section_title(enum roi_section s)
{
	return (unsigned)s < RSEC_COUNT ? sections[s].title : "?";
}

int roi_section_parse(const char *name)
{
	for (int i = 0; name && i < RSEC_COUNT; i++)
		if (strcmp(name, sections[i].name) == 0)
			return i;
	return -1;
}

struct roi_request *roi_request_new(void)
{
	return smem_alloc(sizeof(struct roi_request));
}

void roi_request_free(struct roi_request *r)
{
	smem_free(r);
}

int roi_need(struct grant *g, struct folio_err *e)
{
	if (grant_action(g) != ACT_ROI_PROCESS)
		return err_set(e, FOLIO_EDENIED, "release of information needs its own grant");
	return FOLIO_OK;
}

/* ---- the sealed texts ----------------------------------------------------- */

enum { T_REQUESTER, T_ORGANISATION, T_ADDRESS, T_PURPOSE, T_REASON, T_COUNT };
static const char *const text_cols[T_COUNT] = { "requester", "organisation", "address", "purpose", "reason" };

static char *text_of(struct roi_request *r, int i)
{
	switch (i) {
	case T_REQUESTER: return r->requester;
	case T_ORGANISATION: return r->organisation;
	case T_ADDRESS: return r->address;
	case T_PURPOSE: return r->purpose;
	default: return r->reason;
	}
}

enum { ENV_MAX = ROI_TEXT_MAX + ENVELOPE_OVERHEAD };

static int seal(struct grant *g, int64_t id, int col, const char *text, uint8_t env[ENV_MAX], size_t *len,
		struct folio_err *e)
{
	char ad[64];

	field_ad(ad, sizeof ad, "roi_requests", text_cols[col], id);
	return field_seal(grant_keys(g), KC_CLINICAL, ad, text, strlen(text), env, ENV_MAX, len, e);
}

/* Opens column col of row r->id; one text under a key not held reads
 * "(unreadable)" rather than hiding the request. */
static void open_text(struct grant *g, struct stmt *s, int scol, int col, struct roi_request *r)
{
	char *dst = text_of(r, col), ad[64];
	struct folio_err e2 = { 0 };
	const uint8_t *b;
	size_t n, len = 0;

	dst[0] = '\0';
	if (stmt_is_null(s, scol))
		return;
	b = stmt_blob(s, scol, &n);
	field_ad(ad, sizeof ad, "roi_requests", text_cols[col], r->id);
	if (field_open(grant_keys(g), ad, b, n, (uint8_t *)dst, ROI_TEXT_MAX, &len, &e2) != FOLIO_OK)
		str_copy(dst, ROI_TEXT_MAX + 1, "(unreadable)");
	else
		dst[len] = '\0';
}

/* ---- checking what is logged ---------------------------------------------- */

/* A date as typed into out (YYYY-MM-DD); "" stays "". */
static int day_opt(const char *in, char out[11], const char *what, struct folio_err *e)
{
	struct folio_err e2 = { 0 };

	out[0] = '\0';
	if (!in || !in[0])
		return FOLIO_OK;
	if (date_parse(in, date_today(), out, &e2))
		return err_set(e, FOLIO_EUSAGE, "%s is not a date (%s)", what, e2.msg);
	return FOLIO_OK;
}

/* A comma list in which every word passes ok(); the list as stored. */
static int words_ok(const char *list, int (*ok)(const char *), const char *what, struct folio_err *e)
{
	char buf[ROI_ASKS_MAX + 1], *save = NULL;

	if (str_copy(buf, sizeof buf, list))
		return err_set(e, FOLIO_EUSAGE, "%s is too long", what);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (!ok(w))
			return err_set(e, FOLIO_EUSAGE, "%s: '%.24s' is not one of them", what, w);
	return FOLIO_OK;
}

static int ask_word_ok(const char *w)
{
	return strcmp(w, "all") == 0 || strcmp(w, "documents") == 0 || doc_type_parse(w) >= 0 ||
	       roi_section_parse(w) >= 0;
}

static int name_word_ok(const char *w)
{
	return strcmp(w, "psychotherapy") == 0 || strcmp(w, "substance") == 0;
}

static int check_new(const struct roi_request *r, struct roi_request *out, struct folio_err *e)
{
	char today[11];
	int rc;

	if ((unsigned)r->authority >= RA_COUNT)
		return err_set(e, FOLIO_EUSAGE, "not an authority for a release");
	if (!r->requester[0])
		return err_set(e, FOLIO_EUSAGE, "a request names who asks");
	if (!r->purpose[0])
		return err_set(e, FOLIO_EUSAGE, "a request says its purpose");
	if ((rc = chart_line_ok(r->requester, ROI_NAME_MAX, "The requester", e)) ||
	    (rc = chart_line_ok(r->organisation, ROI_NAME_MAX, "The organisation", e)) ||
	    (rc = chart_line_ok(r->address, ROI_TEXT_MAX, "The address", e)) ||
	    (rc = chart_line_ok(r->purpose, ROI_TEXT_MAX, "The purpose", e)))
		return rc;
	if ((rc = day_opt(r->received[0] ? r->received : "T", out->received, "The day received", e)) ||
	    (rc = day_opt(r->auth_signed, out->auth_signed, "The day signed", e)) ||
	    (rc = day_opt(r->auth_expires, out->auth_expires, "The expiry", e)) ||
	    (rc = day_opt(r->asks_from, out->asks_from, "The first date of service", e)) ||
	    (rc = day_opt(r->asks_to, out->asks_to, "The last date of service", e)))
		return rc;
	date_format_days(date_today(), today);
	if (strcmp(out->received, today) > 0)
		return err_set(e, FOLIO_EUSAGE, "a request is logged when it arrives, not for %s", out->received);
	if (out->auth_signed[0] && strcmp(out->auth_signed, today) > 0)
		return err_set(e, FOLIO_EUSAGE, "an authorization is not signed in the future (%s)", out->auth_signed);
	if (out->auth_signed[0] && out->auth_expires[0] && strcmp(out->auth_expires, out->auth_signed) < 0)
		return err_set(e, FOLIO_EUSAGE, "the authorization expires (%s) before it was signed (%s)",
			       out->auth_expires, out->auth_signed);
	if (!out->asks_from[0] != !out->asks_to[0])
		return err_set(e, FOLIO_EUSAGE, "the dates of service asked for need both ends");
	if (out->asks_from[0] && strcmp(out->asks_from, out->asks_to) > 0)
		return err_set(e, FOLIO_EUSAGE, "the dates of service run backwards");
	str_copy(out->asks, sizeof out->asks, r->asks[0] ? r->asks : "all");
	if ((rc = words_ok(out->asks, ask_word_ok, "What is asked for (all, documents, a document type or a section)",
			   e)) ||
	    (rc = words_ok(r->names, name_word_ok, "The restricted categories named (psychotherapy, substance)", e)))
		return rc;
	str_copy(out->names, sizeof out->names, r->names);
	out->authority = r->authority;
	for (int i = 0; i < T_REASON; i++)
		str_copy(text_of(out, i), ROI_TEXT_MAX + 1, text_of((struct roi_request *)r, i));
	return FOLIO_OK;
}

static void bind_day(struct stmt *s, int i, const char *day)
{
	if (day[0])
		stmt_bind_text(s, i, day);
	else
		stmt_bind_null(s, i);
}

static int event_add(struct grant *g, int64_t id, const char *step, enum roi_status st, const char *detail,
		     struct folio_err *e)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO roi_events (request_id, at, by_user, step, status, detail)"
					       " VALUES (?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, now);
	stmt_bind_text(s, 3, session_user(grant_session(g)));
	stmt_bind_text(s, 4, step);
	stmt_bind_text(s, 5, roi_status_name(st));
	stmt_bind_text(s, 6, detail ? detail : "");
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

int roi_new(struct grant *g, const struct roi_request *r, int64_t *id, struct folio_err *e)
{
	struct roi_request *x = NULL;
	uint8_t env[T_REASON][ENV_MAX];
	size_t envlen[T_REASON];
	struct stmt *s;
	int64_t pid, rid = 0, received;
	char now[24], due[11];
	int rc, y, m, d;

	if ((rc = roi_need(g, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if (!(x = roi_request_new()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = check_new(r, x, e)))
		goto out;
	sscanf(x->received, "%4d-%2d-%2d", &y, &m, &d);
	received = date_days(y, m, d);
	date_format_days(received + ROI_DAYS_DUE, due);
	if ((rc = stmt_prepare(grant_store(g), "SELECT coalesce(max(id), 0) + 1 FROM roi_requests", &s, e)))
		goto out;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		rid = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW) {
		rc = rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "cannot number the request") : rc;
		goto out;
	}
	for (int i = 0; i < T_REASON; i++)
		if ((rc = seal(g, rid, i, text_of(x, i), env[i], &envlen[i], e)))
			goto out;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g),
			       "INSERT INTO roi_requests (id, patient_id, received_on, due_on, status, authority,"
			       " auth_signed, auth_expires, names, asks, asks_from, asks_to, requester, organisation,"
			       " address, purpose, created_by, created_at)"
			       " VALUES (?, ?, ?, ?, 'logged', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &s, e)))
		goto out;
	stmt_bind_int64(s, 1, rid);
	stmt_bind_int64(s, 2, pid);
	stmt_bind_text(s, 3, x->received);
	stmt_bind_text(s, 4, due);
	stmt_bind_text(s, 5, roi_authority_name(x->authority));
	bind_day(s, 6, x->auth_signed);
	bind_day(s, 7, x->auth_expires);
	stmt_bind_text(s, 8, x->names);
	stmt_bind_text(s, 9, x->asks);
	bind_day(s, 10, x->asks_from);
	bind_day(s, 11, x->asks_to);
	for (int i = 0; i < T_REASON; i++)
		stmt_bind_blob(s, 12 + i, env[i], envlen[i]);
	stmt_bind_text(s, 16, session_user(grant_session(g)));
	stmt_bind_text(s, 17, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		goto out;
	if ((rc = event_add(g, rid, "logged", RS_LOGGED, roi_authority_name(x->authority), e)))
		goto out;
	if (id)
		*id = rid;
	rc = FOLIO_OK;
out:
	roi_request_free(x);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

#define ROI_COLUMNS \
	"r.id, p.mrn, r.received_on, r.due_on, coalesce(r.extended_on, ''), r.status, r.authority," \
	" coalesce(r.auth_signed, ''), coalesce(r.auth_expires, ''), r.names, r.asks," \
	" coalesce(r.asks_from, ''), coalesce(r.asks_to, ''), coalesce(r.released_on, '')," \
	" coalesce(r.packet_pages, 0), coalesce(r.packet_hash, ''), coalesce(r.disclosure_id, 0)," \
	" r.created_by, r.created_at, r.row_version," \
	" r.requester, r.organisation, r.address, r.purpose, r.reason"

static void row_fill(struct grant *g, struct stmt *s, struct roi_request *r)
{
	char today[11];
	int k;

	memset(r, 0, sizeof *r);
	r->id = stmt_int64(s, 0);
	chart_col_copy(s, 1, r->mrn, sizeof r->mrn);
	chart_col_copy(s, 2, r->received, sizeof r->received);
	chart_col_copy(s, 3, r->due, sizeof r->due);
	chart_col_copy(s, 4, r->extended, sizeof r->extended);
	r->status = (k = roi_status_parse(stmt_text(s, 5))) < 0 ? RS_LOGGED : (enum roi_status)k;
	r->authority = (k = roi_authority_parse(stmt_text(s, 6))) < 0 ? RA_AUTHORIZATION : (enum roi_authority)k;
	chart_col_copy(s, 7, r->auth_signed, sizeof r->auth_signed);
	chart_col_copy(s, 8, r->auth_expires, sizeof r->auth_expires);
	chart_col_copy(s, 9, r->names, sizeof r->names);
	chart_col_copy(s, 10, r->asks, sizeof r->asks);
	chart_col_copy(s, 11, r->asks_from, sizeof r->asks_from);
	chart_col_copy(s, 12, r->asks_to, sizeof r->asks_to);
	chart_col_copy(s, 13, r->released, sizeof r->released);
	r->pages = (int)stmt_int64(s, 14);
	chart_col_copy(s, 15, r->packet_hash, sizeof r->packet_hash);
	r->disclosure_id = stmt_int64(s, 16);
	chart_col_copy(s, 17, r->created_by, sizeof r->created_by);
	chart_col_copy(s, 18, r->created_at, sizeof r->created_at);
	r->row_version = stmt_int64(s, 19);
	for (int i = 0; i < T_COUNT; i++)
		open_text(g, s, 20 + i, i, r);
	date_format_days(date_today(), today);
	r->overdue = !roi_status_final(r->status) && strcmp(r->due, today) < 0;
}

/* Walks the rows sql selects (ROI_COLUMNS, parameter 1 bound to arg). */
static int walk(struct grant *g, const char *sql, int64_t arg, int (*fn)(const struct roi_request *, void *),
		void *ctx, int64_t *count, struct folio_err *e)
{
	struct roi_request *r;
	struct stmt *s;
	int rc;

	if (!(r = roi_request_new()))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), sql, &s, e))) {
		roi_request_free(r);
		return rc;
	}
	stmt_bind_int64(s, 1, arg);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		row_fill(g, s, r);
		if (count)
			(*count)++;
		if (fn && fn(r, ctx))
			break;
	}
	stmt_finalize(s);
	roi_request_free(r);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

struct one {
	struct roi_request *out;
};

static int take_one(const struct roi_request *r, void *ctx)
{
	memcpy(((struct one *)ctx)->out, r, sizeof *r);
	return 1;
}

int roi_row_load(struct grant *g, int64_t id, struct roi_request *r, struct folio_err *e)
{
	struct one o = { r };
	int64_t n = 0, pid;
	int rc;

	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = walk(g, "SELECT " ROI_COLUMNS " FROM roi_requests r JOIN patients p ON p.id = r.patient_id"
			  " WHERE r.id = ?1", id, take_one, &o, &n, e)))
		return rc;
	if (!n || strcmp(r->mrn, grant_mrn(g)) != 0)
		return err_set(e, FOLIO_ENOTFOUND, "no request %" PRId64 " for MRN %s", id, grant_mrn(g));
	return FOLIO_OK;
}

int roi_load(struct grant *g, int64_t id, struct roi_request *r, struct folio_err *e)
{
	int rc = roi_need(g, e);

	return rc ? rc : roi_row_load(g, id, r, e);
}

int roi_list(struct grant *g, int (*fn)(const struct roi_request *, void *), void *ctx, struct folio_err *e)
{
	int64_t pid;
	int rc;

	if ((rc = roi_need(g, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	return walk(g, "SELECT " ROI_COLUMNS " FROM roi_requests r JOIN patients p ON p.id = r.patient_id"
		       " WHERE r.patient_id = ?1 ORDER BY r.received_on DESC, r.id DESC", pid, fn, ctx, NULL, e);
}

int roi_worklist(struct grant *g, int all, int (*fn)(const struct roi_request *, void *), void *ctx,
		 struct folio_err *e)
{
	int rc;

	if ((rc = roi_need(g, e)))
		return rc;
	return walk(g, "SELECT " ROI_COLUMNS " FROM roi_requests r JOIN patients p ON p.id = r.patient_id"
		       " WHERE ?1 OR r.status NOT IN ('released', 'partial', 'denied', 'withdrawn')"
		       " ORDER BY r.due_on, r.id", all, fn, ctx, NULL, e);
}

/* ---- changes ------------------------------------------------------------- */

int roi_step(struct grant *g, int64_t id, enum roi_status to, const char *step, const char *detail,
	     struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(g), "UPDATE roi_requests SET status = ?, row_version = row_version + 1"
					       " WHERE id = ? AND status NOT IN ('released', 'partial', 'denied',"
					       " 'withdrawn')", &s, e)))
		return rc;
	stmt_bind_text(s, 1, roi_status_name(to));
	stmt_bind_int64(s, 2, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	return event_add(g, id, step, to, detail, e);
}

/* Loads an open request for a change. */
static int load_open(struct grant *g, int64_t id, struct roi_request *r, struct folio_err *e)
{
	int rc;

	if ((rc = roi_need(g, e)) || (rc = roi_row_load(g, id, r, e)))
		return rc;
	if (roi_status_final(r->status))
		return err_set(e, FOLIO_EUSAGE, "request %" PRId64 " is %s: nothing changes after that", id,
			       roi_status_help(r->status));
	return FOLIO_OK;
}

/* Seals reason into the request's reason column. */
static int set_reason(struct grant *g, int64_t id, const char *reason, const char *extended, struct folio_err *e)
{
	uint8_t env[ENV_MAX];
	size_t len;
	struct stmt *s;
	int rc;

	if (!reason || !reason[0])
		return err_set(e, FOLIO_EUSAGE, "give the reason");
	if ((rc = chart_line_ok(reason, ROI_TEXT_MAX, "The reason", e)) || (rc = seal(g, id, T_REASON, reason, env, &len, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "UPDATE roi_requests SET reason = ?, extended_on = coalesce(?, extended_on),"
					       " due_on = CASE WHEN ? IS NULL THEN due_on ELSE date(due_on, '+"
					       "30 days') END WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, len);
	if (extended) {
		stmt_bind_text(s, 2, extended);
		stmt_bind_text(s, 3, extended);
	} else {
		stmt_bind_null(s, 2);
		stmt_bind_null(s, 3);
	}
	stmt_bind_int64(s, 4, id);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

static int close_with(struct grant *g, int64_t id, enum roi_status to, const char *step, const char *reason,
		      struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	int rc;

	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if (!(rc = load_open(g, id, r, e)) && !(rc = set_reason(g, id, reason, NULL, e)))
		rc = roi_step(g, id, to, step, "", e);
	roi_request_free(r);
	return rc;
}

int roi_deny(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	return close_with(g, id, RS_DENIED, "denied", reason, e);
}

int roi_withdraw(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	return close_with(g, id, RS_WITHDRAWN, "withdrawn", reason && reason[0] ? reason : "withdrawn by the requester",
			  e);
}

int roi_extend(struct grant *g, int64_t id, const char *reason, struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	char today[11], detail[40];
	int rc;

	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	date_format_days(date_today(), today);
	if ((rc = load_open(g, id, r, e)))
		goto out;
	if (r->extended[0]) {
		rc = err_set(e, FOLIO_EUSAGE, "request %" PRId64 " was extended already on %s: one extension only",
			     id, r->extended);
		goto out;
	}
	if (strcmp(today, r->due) > 0) {
		rc = err_set(e, FOLIO_EUSAGE, "request %" PRId64 " was due on %s: an extension is given before the due"
					      " date", id, r->due);
		goto out;
	}
	if ((rc = set_reason(g, id, reason, today, e)))
		goto out;
	snprintf(detail, sizeof detail, "due +%d days", ROI_DAYS_EXTENSION);
	rc = roi_step(g, id, r->status, "extended", detail, e);
out:
	roi_request_free(r);
	return rc;
}

/* ---- the selection --------------------------------------------------------- */

int roi_select(struct grant *g, int64_t id, const struct roi_item *it, int add, struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	struct doc_row d;
	struct stmt *s;
	char ref[24], detail[64];
	int rc;

	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = load_open(g, id, r, e)))
		goto out;
	if (it->is_document) {
		if (add && (rc = doc_load(g, it->document_id, 0, &d, e)))
			goto out;
		if (add && strcmp(d.info.status, "retracted") == 0) {
			rc = err_set(e, FOLIO_EUSAGE, "document %" PRId64 " was retracted from this chart",
				     it->document_id);
			goto out;
		}
		snprintf(ref, sizeof ref, "%" PRId64, it->document_id);
	} else {
		if ((unsigned)it->section >= RSEC_COUNT) {
			rc = err_set(e, FOLIO_EUSAGE, "not a section of the chart");
			goto out;
		}
		str_copy(ref, sizeof ref, roi_section_name(it->section));
	}
	if ((rc = stmt_prepare(grant_store(g), add ? "INSERT OR IGNORE INTO roi_items (request_id, kind, ref, added_by)"
						     " VALUES (?1, ?2, ?3, ?4)"
						   : "DELETE FROM roi_items WHERE request_id = ?1 AND kind = ?2"
						     " AND ref = ?3 AND ?4 IS NOT NULL", &s, e)))
		goto out;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, it->is_document ? "document" : "section");
	stmt_bind_text(s, 3, ref);
	stmt_bind_text(s, 4, session_user(grant_session(g)));
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		goto out;
	/* A changed selection has to be validated again. */
	snprintf(detail, sizeof detail, "%s %s %s", add ? "+" : "-", it->is_document ? "document" : "section", ref);
	rc = roi_step(g, id, RS_LOGGED, "selected", detail, e);
out:
	roi_request_free(r);
	return rc;
}

/* The grant may read request id: it is this chart's. */
static int request_known(struct grant *g, int64_t id, struct folio_err *e)
{
	struct roi_request *r = roi_request_new();
	int rc;

	if (!r)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	rc = roi_need(g, e);
	if (!rc)
		rc = roi_row_load(g, id, r, e);
	roi_request_free(r);
	return rc;
}

int roi_items(struct grant *g, int64_t id, int (*fn)(const struct roi_item *, void *), void *ctx,
	      struct folio_err *e)
{
	struct roi_item it;
	struct stmt *s;
	int rc;

	if ((rc = request_known(g, id, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT kind, ref FROM roi_items WHERE request_id = ?"
					       " ORDER BY kind, CASE kind WHEN 'document' THEN CAST(ref AS INTEGER)"
					       " ELSE 0 END, ref", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		memset(&it, 0, sizeof it);
		it.is_document = strcmp(stmt_text(s, 0), "document") == 0;
		if (it.is_document) {
			sscanf(stmt_text(s, 1), "%" SCNd64, &it.document_id);
		} else {
			int k = roi_section_parse(stmt_text(s, 1));
			if (k < 0)
				continue;
			it.section = (enum roi_section)k;
		}
		if (fn(&it, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int roi_events(struct grant *g, int64_t id, int (*fn)(const struct roi_event *, void *), void *ctx,
	       struct folio_err *e)
{
	struct roi_event ev;
	struct stmt *s;
	int rc;

	if ((rc = request_known(g, id, e)))
		return rc;
	if ((rc = stmt_prepare(grant_store(g), "SELECT at, by_user, step, status, detail FROM roi_events"
					       " WHERE request_id = ? ORDER BY id", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		memset(&ev, 0, sizeof ev);
		chart_col_copy(s, 0, ev.at, sizeof ev.at);
		chart_col_copy(s, 1, ev.by, sizeof ev.by);
		chart_col_copy(s, 2, ev.step, sizeof ev.step);
		chart_col_copy(s, 3, ev.status, sizeof ev.status);
		chart_col_copy(s, 4, ev.detail, sizeof ev.detail);
		if (fn(&ev, ctx))
			break;
	}
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}
