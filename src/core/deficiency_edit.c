/* folio — changing a deficiency by hand (include/folio/deficiency.h):
 * assign, complete, review, reopen, note, remind; and its history.  Every
 * change is an event row (who, when, what) in the grant's transaction,
 * which the gate audits.  A closed deficiency is changed only under the
 * supervisor's ACT_DEFICIENCY_REOPEN; notes are sealed under the clinical
 * key, bound to their event row. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "deficiency_internal.h"
#include "folio/crypto.h"
#include "folio/smem.h"
#include "folio/store.h"

int def_event_add(struct grant *g, int64_t id, const char *kind, const char *from, const char *to,
		  const char *to_user, const char *note, int64_t *event_id, struct folio_err *e)
{
	struct store *st = grant_store(g);
	uint8_t env[DEF_NOTE_MAX + ENVELOPE_OVERHEAD];
	char now[24], ad[64];
	struct stmt *s;
	size_t envlen;
	int64_t ev;
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO deficiency_events (deficiency_id, at, by_user, kind, from_status,"
				   " to_status, to_user) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_text(s, 2, now);
	stmt_bind_text(s, 3, session_user(grant_session(g)));
	stmt_bind_text(s, 4, kind);
	stmt_bind_text(s, 5, from ? from : "");
	stmt_bind_text(s, 6, to ? to : "");
	stmt_bind_text(s, 7, to_user ? to_user : "");
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	ev = store_last_rowid(st);
	if (event_id)
		*event_id = ev;
	if (!note || !*note)
		return FOLIO_OK;
	/* the row exists first so that the envelope is bound to its id */
	field_ad(ad, sizeof ad, "deficiency_events", "note", ev);
	if ((rc = field_seal(grant_keys(g), KC_CLINICAL, ad, note, strlen(note), env, sizeof env, &envlen, e)))
		return rc;
	if ((rc = stmt_prepare(st, "UPDATE deficiency_events SET note = ? WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_blob(s, 1, env, envlen);
	stmt_bind_int64(s, 2, ev);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

void def_event_note(struct grant *g, int64_t id, const void *env, size_t len, char *out, size_t cap)
{
	struct folio_err e = { 0 };
	char ad[64];
	size_t n = 0;

	out[0] = '\0';
	if (!env || !len || cap < 2)
		return;
	field_ad(ad, sizeof ad, "deficiency_events", "note", id);
	if (field_open(grant_keys(g), ad, env, len, out, cap - 1, &n, &e) != FOLIO_OK)
		n = 0;
	out[n] = '\0';
}

/* Loads deficiency id for a change under this grant: on its chart, and a
 * closed one only by a role the policy lets reopen (the supervisor). */
static int edit_load(struct grant *g, int64_t id, struct deficiency_info *d, struct folio_err *e)
{
	enum action a = grant_action(g);
	int rc;

	if (a != ACT_DEFICIENCY_EDIT && a != ACT_DEFICIENCY_REOPEN)
		return err_set(e, FOLIO_EDENIED, "changing a deficiency needs its own grant");
	if (!grant_mrn(g) || !*grant_mrn(g))
		return err_set(e, FOLIO_EUSAGE, "a deficiency is changed under a grant on its chart");
	if ((rc = deficiency_get(g, id, d, e)))
		return rc;
	if (!strcmp(d->status, "withdrawn"))
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " was withdrawn: its rule no longer applies", id);
	/* the policy's reopen right is what lets one touch a closed one */
	if (!d->open && a != ACT_DEFICIENCY_REOPEN && !access_may(grant_session(g), ACT_DEFICIENCY_REOPEN))
		return err_set(e, FOLIO_EDENIED, "deficiency %" PRId64 " is %s: only a supervisor reopens or"
			       " changes it", id, d->status);
	return FOLIO_OK;
}

/* Sets the row's status (and by_hand) with the event; expect guards
 * against a change made meanwhile. */
static int set_status(struct grant *g, const struct deficiency_info *d, const char *to, const char *kind,
		      const char *note, struct folio_err *e)
{
	struct stmt *s;
	char now[24];
	int rc;

	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE deficiencies SET status = ?, by_hand = 1, updated_at = ?,"
					       " row_version = row_version + 1 WHERE id = ? AND row_version = ?",
			       &s, e)))
		return rc;
	stmt_bind_text(s, 1, to);
	stmt_bind_text(s, 2, now);
	stmt_bind_int64(s, 3, d->id);
	stmt_bind_int64(s, 4, d->row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "deficiency %" PRId64 " changed meanwhile: look again", d->id);
	return def_event_add(g, d->id, kind, d->status, to, "", note, NULL, e);
}

int deficiency_assign(struct grant *g, int64_t id, const char *user, struct folio_err *e)
{
	struct deficiency_info d;
	struct stmt *s;
	char role[16], now[24];
	const char *r;
	int rc;

	if ((rc = edit_load(g, id, &d, e)))
		return rc;
	if (!user || !*user)
		return err_set(e, FOLIO_EUSAGE, "assign to whom? (a physician's or supervisor's user name)");
	if (!(r = chart_user_role(g, user, role)))
		return err_set(e, FOLIO_EUSAGE, "no user '%s'", user);
	if (strcmp(r, "physician") && strcmp(r, "supervisor"))
		return err_set(e, FOLIO_EUSAGE, "%s is %s staff: deficiencies go to physicians or the supervisor", user, r);
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(grant_store(g), "UPDATE deficiencies SET responsible = ?, assigned = 1, updated_at = ?,"
					       " row_version = row_version + 1 WHERE id = ? AND row_version = ?",
			       &s, e)))
		return rc;
	stmt_bind_text(s, 1, user);
	stmt_bind_text(s, 2, now);
	stmt_bind_int64(s, 3, id);
	stmt_bind_int64(s, 4, d.row_version);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (store_changes(grant_store(g)) != 1)
		return err_set(e, FOLIO_ESTALE, "deficiency %" PRId64 " changed meanwhile: look again", id);
	return def_event_add(g, id, "assign", d.status, d.status, user, NULL, NULL, e);
}

int deficiency_complete(struct grant *g, int64_t id, const char *note, struct folio_err *e)
{
	struct deficiency_info d;
	int rc;

	if ((rc = def_note_ok(note, "note", e)) || (rc = edit_load(g, id, &d, e)))
		return rc;
	if (!d.open)
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " is %s already", id, d.status);
	return set_status(g, &d, "completed", "complete", note, e);
}

int deficiency_review(struct grant *g, int64_t id, struct folio_err *e)
{
	struct deficiency_info d;
	int rc;

	if (grant_action(g) != ACT_DEFICIENCY_EDIT && grant_action(g) != ACT_DEFICIENCY_REOPEN)
		return err_set(e, FOLIO_EDENIED, "reviewing a deficiency needs its own grant");
	if ((rc = deficiency_get(g, id, &d, e)))
		return rc;
	if (!grant_mrn(g) || !*grant_mrn(g))
		return err_set(e, FOLIO_EUSAGE, "a deficiency is reviewed under a grant on its chart");
	/* the technician's check of finished work: no supervisor needed */
	if (strcmp(d.status, "signed") && strcmp(d.status, "completed"))
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " is %s: only a signed or completed one is"
			       " reviewed", id, d.status);
	return set_status(g, &d, "reviewed", "review", NULL, e);
}

int deficiency_reopen(struct grant *g, int64_t id, const char *why, struct folio_err *e)
{
	struct deficiency_info d;
	int rc;

	if (grant_action(g) != ACT_DEFICIENCY_REOPEN)
		return err_set(e, FOLIO_EDENIED, "reopening a deficiency is the supervisor's (deficiency.reopen)");
	if (!why || !*why)
		return err_set(e, FOLIO_EUSAGE, "a reopening needs a reason (--why)");
	if ((rc = def_note_ok(why, "reason", e)) || (rc = edit_load(g, id, &d, e)))
		return rc;
	if (d.open)
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " is open (%s): nothing to reopen", id, d.status);
	return set_status(g, &d, "incomplete", "reopen", why, e);
}

int deficiency_note(struct grant *g, int64_t id, const char *text, struct folio_err *e)
{
	struct deficiency_info d;
	int rc;

	if (!text || !*text)
		return err_set(e, FOLIO_EUSAGE, "the note has no text");
	if ((rc = def_note_ok(text, "note", e)) || (rc = edit_load(g, id, &d, e)))
		return rc;
	return def_event_add(g, id, "note", d.status, d.status, "", text, NULL, e);
}

int deficiency_remind(struct grant *g, int64_t id, const char *note, int64_t *reminder_id, struct folio_err *e)
{
	struct deficiency_info d;
	int rc;

	if ((rc = def_note_ok(note, "note", e)) || (rc = edit_load(g, id, &d, e)))
		return rc;
	if (!d.open)
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " is %s: nothing to remind of", id, d.status);
	if (!d.responsible[0])
		return err_set(e, FOLIO_EUSAGE, "deficiency %" PRId64 " has no one responsible (the %s pool): assign"
			       " it first", id, d.role);
	return def_event_add(g, id, "remind", d.status, d.status, d.responsible, note, reminder_id, e);
}

int deficiency_events(struct grant *g, int64_t id, int (*fn)(const struct deficiency_event *, void *), void *ctx,
		      struct folio_err *e)
{
	struct deficiency_info d;
	struct deficiency_event *ev;
	struct stmt *s;
	int rc;

	if ((rc = deficiency_get(g, id, &d, e)))
		return rc;
	/* notes are decrypted into guarded memory */
	if (!(ev = smem_alloc(sizeof *ev)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g), "SELECT id, at, by_user, kind, from_status, to_status, to_user, note"
					       " FROM deficiency_events WHERE deficiency_id = ? ORDER BY id", &s, e))) {
		smem_free(ev);
		return rc;
	}
	stmt_bind_int64(s, 1, id);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		size_t len = 0;
		const void *env;
		memset(ev, 0, sizeof *ev);
		ev->id = stmt_int64(s, 0);
		chart_col_copy(s, 1, ev->at, sizeof ev->at);
		chart_col_copy(s, 2, ev->by, sizeof ev->by);
		chart_col_copy(s, 3, ev->kind, sizeof ev->kind);
		chart_col_copy(s, 4, ev->from_status, sizeof ev->from_status);
		chart_col_copy(s, 5, ev->to_status, sizeof ev->to_status);
		chart_col_copy(s, 6, ev->to_user, sizeof ev->to_user);
		env = stmt_is_null(s, 7) ? NULL : stmt_blob(s, 7, &len);
		def_event_note(g, ev->id, env, len, ev->note, sizeof ev->note);
		if (fn(ev, ctx))
			break;
	}
	stmt_finalize(s);
	smem_free(ev);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}
