/* folio — the gate's view of a chart: restricted records, one's own record,
 * break-the-glass with its alert. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access_internal.h"

static int glass_opened(const struct session *s, const char *mrn)
{
	for (size_t i = 0; i < ARRAY_SIZE(s->glass); i++)
		if (s->glass[i][0] && strcmp(s->glass[i], mrn) == 0)
			return 1;
	return 0;
}

int access_chart_flags(struct session *s, const char *mrn, struct chart_flags *f, struct folio_err *e)
{
	struct stmt *q;
	int rc;

	memset(f, 0, sizeof *f);
	/* a merged chart's MRN stands for its survivor (chart_resolve) */
	if ((rc = stmt_prepare(s->st, "SELECT v.restricted, v.test_patient, v.staff_user_id, v.mrn FROM patients p"
				      " JOIN patients v ON v.id = coalesce(p.merged_into, p.id) WHERE p.mrn = ?", &q, e)))
		return rc;
	stmt_bind_text(q, 1, mrn);
	rc = stmt_step(q, e);
	if (rc == STMT_ROW) {
		f->exists = 1;
		f->restricted = stmt_int64(q, 0) != 0;
		f->test = stmt_int64(q, 1) != 0;
		f->own = !stmt_is_null(q, 2) && stmt_int64(q, 2) == s->user_id;
		f->opened = f->restricted && (glass_opened(s, mrn) || glass_opened(s, stmt_text(q, 3)));
		rc = FOLIO_OK;
	} else if (rc == STMT_DONE) {
		rc = FOLIO_OK;
	}
	stmt_finalize(q);
	return rc;
}

/* The MRN a grant works on: a chart merged into another (patients.
 * merged_into, src/core/merge.c) resolves to the surviving chart, so the
 * losing MRN keeps opening the one chart everything moved to.  Any other
 * MRN (unknown ones too) is itself. */
int chart_resolve(struct session *s, const char *mrn, char out[16], struct folio_err *e)
{
	struct stmt *q;
	int rc;

	str_copy(out, 16, mrn);
	if ((rc = stmt_prepare(s->st, "SELECT v.mrn FROM patients p JOIN patients v ON v.id = p.merged_into"
				      " WHERE p.mrn = ?", &q, e)))
		return rc;
	stmt_bind_text(q, 1, mrn);
	rc = stmt_step(q, e);
	if (rc == STMT_ROW)
		str_copy(out, 16, stmt_text(q, 0));
	stmt_finalize(q);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

/* Object kinds and the table holding each; every table has patient_id.
 * A fixed list: the table name is never taken from the caller. */
static const struct {
	const char *kind;
	const char *sql;
} object_tables[] = {
	{ "encounter", "SELECT p.mrn FROM encounters x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "document", "SELECT p.mrn FROM documents x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "item", "SELECT p.mrn FROM clinical_items x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "deficiency", "SELECT p.mrn FROM deficiencies x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "disclosure", "SELECT p.mrn FROM disclosures x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "query", "SELECT p.mrn FROM queries x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
	{ "roi", "SELECT p.mrn FROM roi_requests x JOIN patients p ON p.id = x.patient_id WHERE x.id = ?" },
};

int access_object_mrn(struct session *s, const char *kind, int64_t id, char mrn[16], struct folio_err *e)
{
	struct stmt *q;
	int rc;

	mrn[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(object_tables); i++) {
		if (strcmp(object_tables[i].kind, kind) != 0)
			continue;
		if ((rc = stmt_prepare(s->st, object_tables[i].sql, &q, e)))
			return rc;
		stmt_bind_int64(q, 1, id);
		rc = stmt_step(q, e);
		if (rc == STMT_ROW) {
			snprintf(mrn, 16, "%s", stmt_text(q, 0));
			rc = FOLIO_OK;
		} else if (rc == STMT_DONE) {
			rc = err_set(e, FOLIO_ENOTFOUND, "no %s %" PRId64, kind, id);
		}
		stmt_finalize(q);
		return rc;
	}
	return err_set(e, FOLIO_EUSAGE, "unknown object kind %s", kind);
}

/* Called by access_begin for every grant naming a chart. */
int chart_gate(struct session *s, const char *mrn, const char **why, struct folio_err *e)
{
	struct chart_flags f;
	int rc = access_chart_flags(s, mrn, &f, e);

	*why = NULL;
	if (rc)
		return rc;
	if (f.own)
		*why = "this is your own record; ask a colleague";
	else if (f.restricted && !f.opened)
		*why = "restricted record: give a reason to open it";
	return FOLIO_OK;
}

int access_break_glass(struct session *s, const char *mrn, const char *reason, struct folio_err *e)
{
	struct audit_actor who = { s->user, role_name(s->role), s->workstation };
	struct audit_entry what = { action_name(ACT_BREAK_GLASS), "ok", mrn, "alert", NULL, NULL };
	struct chart_flags f;
	uint8_t env[256 + ENVELOPE_OVERHEAD];
	char ad[64], id_text[24], now[24];
	size_t envlen, rlen = reason ? strlen(reason) : 0;
	struct stmt *q;
	int64_t id;
	int rc;

	if (s->locked)
		return err_set(e, FOLIO_EDENIED, "the session is locked");
	if (!policy_allows(s->role, ACT_BREAK_GLASS)) {
		what.outcome = "denied";
		what.reason = "not permitted for this role";
		audit_alone(s->st, s->kr, &who, &what, NULL);
		return err_set(e, FOLIO_EDENIED, "%s: not permitted for the %s role",
			       action_name(ACT_BREAK_GLASS), role_name(s->role));
	}
	while (rlen && (reason[rlen - 1] == ' ' || reason[rlen - 1] == '\t'))
		rlen--;
	if (rlen < 4)
		return err_set(e, FOLIO_EUSAGE, "a restricted record needs a reason (a few words)");
	if (rlen > 200 || utf8_length(reason, rlen) < 0)
		return err_set(e, FOLIO_EUSAGE, "the reason must be text of at most 200 bytes");
	if ((rc = access_chart_flags(s, mrn, &f, e)))
		return rc;
	if (!f.exists)
		return err_set(e, FOLIO_ENOTFOUND, "no patient with MRN %s", mrn);
	if (f.own) {
		what.outcome = "denied";
		what.reason = "own record";
		audit_alone(s->st, s->kr, &who, &what, NULL);
		return err_set(e, FOLIO_EDENIED, "this is your own record; ask a colleague");
	}
	if ((rc = store_begin_write(s->st, e)))
		return rc;
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(s->st, "INSERT INTO alerts (at, kind, user_name, mrn, reason)"
				      " VALUES (?, 'restricted_access', ?, ?, x'')", &q, e)))
		goto fail;
	stmt_bind_text(q, 1, now);
	stmt_bind_text(q, 2, s->user);
	stmt_bind_text(q, 3, mrn);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	if (rc != STMT_DONE)
		goto fail;
	id = store_last_rowid(s->st);
	/* The reason may say why the patient is here: it is kept encrypted. */
	field_ad(ad, sizeof ad, "alerts", "reason", id);
	if ((rc = field_seal(s->kr, KC_DEMOGRAPHICS, ad, reason, rlen, env, sizeof env, &envlen, e)))
		goto fail;
	if ((rc = stmt_prepare(s->st, "UPDATE alerts SET reason = ? WHERE id = ?", &q, e)))
		goto fail;
	stmt_bind_blob(q, 1, env, envlen);
	stmt_bind_int64(q, 2, id);
	rc = stmt_step(q, e);
	stmt_finalize(q);
	if (rc != STMT_DONE)
		goto fail;
	snprintf(id_text, sizeof id_text, "%" PRId64, id);
	what.object_id = id_text;
	what.reason = "reason kept in the alert";
	if ((rc = audit_append(s->st, s->kr, &who, &what, e)))
		goto fail;
	if ((rc = store_commit(s->st, e)))
		return rc;
	str_copy(s->glass[s->glass_next++ % ARRAY_SIZE(s->glass)], sizeof s->glass[0], mrn);
	return FOLIO_OK;
fail:
	store_rollback(s->st);
	return rc;
}
