/* folio — the disclosure ledger (schema/010_disclosures.sql) and the
 * accounting of disclosures built from it (45 CFR 164.528).
 *
 * Entries are written whole and never changed: the id is taken before the
 * insert so each text is sealed to its own row (the grant's write
 * transaction keeps anyone else from taking it).  Reading opens the texts
 * into one guarded buffer per walk. */
#include "folio/disclosure.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "folio/crypto.h"
#include "folio/date.h"
#include "folio/smem.h"
#include "folio/store.h"

static const struct {
	const char *name, *help;
	int excluded;
} kinds[DK_COUNT] = {
#define FOLIO_DK_ROW(id, name, excluded, help) { name, help, excluded },
	FOLIO_DISCLOSURE_KINDS(FOLIO_DK_ROW)
#undef FOLIO_DK_ROW
};

static const char *const sources[] = { "manual", "roi", "export" };

const char *disclosure_kind_name(enum disclosure_kind k)
{
	return (unsigned)k < DK_COUNT ? kinds[k].name : "?";
}

const char *disclosure_kind_help(enum disclosure_kind k)
{
	return (unsigned)k < DK_COUNT ? kinds[k].help : "?";
}

int disclosure_kind_excluded(enum disclosure_kind k)
{
	return (unsigned)k < DK_COUNT ? kinds[k].excluded : 0;
}

int disclosure_kind_parse(const char *name)
{
	for (int k = 0; name && k < DK_COUNT; k++)
		if (strcmp(name, kinds[k].name) == 0)
			return k;
	return -1;
}

/* The grant is one of those allowed for this step. */
static int need(struct grant *g, int writes, struct folio_err *e)
{
	enum action a = grant_action(g);

	if (a == ACT_DISCLOSURE_ACCOUNT || (a == ACT_ROI_PROCESS || a == ACT_EXPORT_RUN))
		return FOLIO_OK;
	return err_set(e, FOLIO_EDENIED, "%s the disclosure ledger needs a release, export or accounting grant",
		       writes ? "writing to" : "reading");
}

/* Day number of a stored or parsed YYYY-MM-DD. */
static int64_t day_of(const char *ymd)
{
	int y, m, d;

	if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return DATE_INVALID;
	return date_days(y, m, d);
}

/* The same day `years` years before (28 Feb for a 29 Feb). */
static void years_before(const char *ymd, int years, char out[11])
{
	int y, m, d;
	int64_t n;

	sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d);
	if ((n = date_days(y - years, m, d)) == DATE_INVALID)
		n = date_days(y - years, m, d - 1);
	date_format_days(n, out);
}

static int check(const struct disclosure *d, char day[11], struct folio_err *e)
{
	int rc;

	if ((unsigned)d->kind >= DK_COUNT)
		return err_set(e, FOLIO_EUSAGE, "not a kind of disclosure");
	if ((rc = date_parse(d->date[0] ? d->date : "T", date_today(), day, e)))
		return rc;
	if (day_of(day) > date_today())
		return err_set(e, FOLIO_EUSAGE, "a disclosure is recorded after it was made, not for %s", day);
	if (!d->recipient[0])
		return err_set(e, FOLIO_EUSAGE, "a disclosure names its recipient");
	if (!d->description[0])
		return err_set(e, FOLIO_EUSAGE, "a disclosure says what was disclosed");
	if (!d->purpose[0])
		return err_set(e, FOLIO_EUSAGE, "a disclosure says its purpose");
	if ((unsigned)d->source >= ARRAY_SIZE(sources) || d->source_id < 0)
		return err_set(e, FOLIO_EUSAGE, "not a source of disclosures");
	if ((rc = chart_line_ok(d->recipient, DISC_RECIPIENT_MAX, "The recipient", e)) ||
	    (rc = chart_line_ok(d->address, DISC_ADDRESS_MAX, "The address", e)) ||
	    (rc = chart_line_ok(d->description, DISC_WHAT_MAX, "The description", e)) ||
	    (rc = chart_line_ok(d->purpose, DISC_PURPOSE_MAX, "The purpose", e)))
		return rc;
	return FOLIO_OK;
}

static const char *const text_cols[] = { "recipient", "address", "description", "purpose" };

static const char *text_of(const struct disclosure *d, int i)
{
	return i == 0 ? d->recipient : i == 1 ? d->address : i == 2 ? d->description : d->purpose;
}

static int insert(struct grant *g, int64_t pid, const struct disclosure *d, int64_t corrects, int64_t *out,
		  struct folio_err *e)
{
	enum { ENV_MAX = DISC_WHAT_MAX + ENVELOPE_OVERHEAD };
	struct store *st = grant_store(g);
	uint8_t env[4][ENV_MAX];
	size_t envlen[4];
	char day[11], now[24], ad[64];
	struct stmt *s;
	int64_t id = 0;
	int rc;

	if ((rc = check(d, day, e)))
		return rc;
	if ((rc = stmt_prepare(st, "SELECT coalesce(max(id), 0) + 1 FROM disclosures", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		id = stmt_int64(s, 0);
	stmt_finalize(s);
	if (rc != STMT_ROW)
		return rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "cannot number the disclosure") : rc;
	for (int i = 0; i < 4; i++) {
		const char *t = text_of(d, i);
		field_ad(ad, sizeof ad, "disclosures", text_cols[i], id);
		if ((rc = field_seal(grant_keys(g), KC_CLINICAL, ad, t, strlen(t), env[i], ENV_MAX, &envlen[i], e)))
			return rc;
	}
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO disclosures (id, patient_id, disclosed_on, kind, recipient, address,"
				   " description, purpose, source, source_id, corrects, recorded_by, recorded_at)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	stmt_bind_int64(s, 2, pid);
	stmt_bind_text(s, 3, day);
	stmt_bind_text(s, 4, kinds[d->kind].name);
	for (int i = 0; i < 4; i++)
		stmt_bind_blob(s, 5 + i, env[i], envlen[i]);
	stmt_bind_text(s, 9, sources[d->source]);
	if (d->source_id)
		stmt_bind_int64(s, 10, d->source_id);
	else
		stmt_bind_null(s, 10);
	if (corrects)
		stmt_bind_int64(s, 11, corrects);
	else
		stmt_bind_null(s, 11);
	stmt_bind_text(s, 12, session_user(grant_session(g)));
	stmt_bind_text(s, 13, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (out)
		*out = id;
	return FOLIO_OK;
}

int disclosure_record(struct grant *g, const struct disclosure *d, int64_t *id, struct folio_err *e)
{
	int64_t pid;
	int rc;

	if ((rc = need(g, 1, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	return insert(g, pid, d, 0, id, e);
}

int disclosure_correct(struct grant *g, int64_t old_id, const struct disclosure *d, int64_t *id,
		       struct folio_err *e)
{
	struct stmt *s;
	int64_t pid, found = 0, newer = 0;
	int rc;

	if ((rc = need(g, 1, e)))
		return rc;
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if ((rc = stmt_prepare(grant_store(g), "SELECT d.id, coalesce(c.id, 0) FROM disclosures d"
					       " LEFT JOIN disclosures c ON c.corrects = d.id"
					       " WHERE d.id = ? AND d.patient_id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, old_id);
	stmt_bind_int64(s, 2, pid);
	if ((rc = stmt_step(s, e)) == STMT_ROW) {
		found = stmt_int64(s, 0);
		newer = stmt_int64(s, 1);
	}
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE)
		return rc;
	if (!found)
		return err_set(e, FOLIO_ENOTFOUND, "no disclosure %" PRId64 " for MRN %s", old_id, grant_mrn(g));
	if (newer)
		return err_set(e, FOLIO_ESTALE, "disclosure %" PRId64 " was corrected already by %" PRId64
					       ": correct that one", old_id, newer);
	return insert(g, pid, d, old_id, id, e);
}

/* Opens column i of row d->id into its field; one unreadable text (a key
 * not held) does not hide the entry. */
static void open_text(struct grant *g, struct stmt *s, int col, int i, struct disclosure *d)
{
	char *dst = i == 0 ? d->recipient : i == 1 ? d->address : i == 2 ? d->description : d->purpose;
	size_t cap = i == 0 ? sizeof d->recipient : i == 1 ? sizeof d->address :
		     i == 2 ? sizeof d->description : sizeof d->purpose;
	struct folio_err e2 = { 0 };
	const uint8_t *b;
	size_t n, len = 0;
	char ad[64];

	b = stmt_blob(s, col, &n);
	field_ad(ad, sizeof ad, "disclosures", text_cols[i], d->id);
	if (field_open(grant_keys(g), ad, b, n, (uint8_t *)dst, cap - 1, &len, &e2) != FOLIO_OK)
		str_copy(dst, cap, "(unreadable)");
	else
		dst[len] = '\0';
}

/* Walks the patient's entries; only_current skips corrected ones and
 * [from, to] bounds the dates (both or neither). */
static int walk(struct grant *g, int only_current, const char *from, const char *to,
		int (*fn)(const struct disclosure *, void *), void *ctx, int64_t *count, struct folio_err *e)
{
	struct disclosure *d;
	struct stmt *s;
	int64_t pid;
	int rc;

	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	if (!(d = smem_alloc(sizeof *d)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT d.id, d.disclosed_on, d.kind, d.source, coalesce(d.source_id, 0),"
			       " coalesce(d.corrects, 0), coalesce(c.id, 0), d.recorded_by, d.recorded_at,"
			       " d.recipient, d.address, d.description, d.purpose"
			       " FROM disclosures d LEFT JOIN disclosures c ON c.corrects = d.id"
			       " WHERE d.patient_id = ?1 AND (?2 = 0 OR c.id IS NULL)"
			       " AND (?3 IS NULL OR d.disclosed_on BETWEEN ?3 AND ?4)"
			       " ORDER BY d.disclosed_on, d.id", &s, e))) {
		smem_free(d);
		return rc;
	}
	stmt_bind_int64(s, 1, pid);
	stmt_bind_int64(s, 2, only_current);
	stmt_bind_text(s, 3, from);
	stmt_bind_text(s, 4, to);
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		int k = disclosure_kind_parse(stmt_text(s, 2));
		const char *src = stmt_text(s, 3);

		if (only_current && (k < 0 || disclosure_kind_excluded((enum disclosure_kind)k)))
			continue;
		memset(d, 0, sizeof *d);
		d->id = stmt_int64(s, 0);
		str_copy(d->date, sizeof d->date, stmt_text(s, 1));
		d->kind = (enum disclosure_kind)(k < 0 ? 0 : k);
		d->source = strcmp(src, "roi") == 0 ? DS_ROI : strcmp(src, "export") == 0 ? DS_EXPORT : DS_MANUAL;
		d->source_id = stmt_int64(s, 4);
		d->corrects = stmt_int64(s, 5);
		d->corrected_by = stmt_int64(s, 6);
		str_copy(d->recorded_by, sizeof d->recorded_by, stmt_text(s, 7));
		str_copy(d->recorded_at, sizeof d->recorded_at, stmt_text(s, 8));
		for (int i = 0; i < 4; i++)
			open_text(g, s, 9 + i, i, d);
		if (count)
			(*count)++;
		if (fn && fn(d, ctx))
			break;
	}
	stmt_finalize(s);
	smem_free(d);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int disclosure_list(struct grant *g, int (*fn)(const struct disclosure *, void *), void *ctx,
		    struct folio_err *e)
{
	int rc = need(g, 0, e);

	return rc ? rc : walk(g, 0, NULL, NULL, fn, ctx, NULL, e);
}

/* The newest accounting given in (from, to]; "" when none. */
static int last_given(struct grant *g, int64_t pid, const char *to, char out[11], struct folio_err *e)
{
	struct stmt *s;
	int rc;

	out[0] = '\0';
	if ((rc = stmt_prepare(grant_store(g), "SELECT max(provided_on) FROM accountings"
					       " WHERE patient_id = ? AND provided_on <= ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, to);
	if ((rc = stmt_step(s, e)) == STMT_ROW && !stmt_is_null(s, 0))
		str_copy(out, 11, stmt_text(s, 0));
	stmt_finalize(s);
	return rc == STMT_ROW || rc == STMT_DONE ? FOLIO_OK : rc;
}

int disclosure_accounting(struct grant *g, const char *as_of, int (*fn)(const struct disclosure *, void *),
			  void *ctx, struct accounting_summary *sum, struct folio_err *e)
{
	char year_ago[11];
	int64_t pid, day;
	int rc;

	memset(sum, 0, sizeof *sum);
	if (grant_action(g) != ACT_DISCLOSURE_ACCOUNT)
		return err_set(e, FOLIO_EDENIED, "an accounting of disclosures needs its own grant");
	if ((rc = date_parse(as_of && *as_of ? as_of : "T", date_today(), sum->requested, e)))
		return rc;
	if ((day = day_of(sum->requested)) > date_today())
		return err_set(e, FOLIO_EUSAGE, "an accounting is as of today or earlier, not %s", sum->requested);
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	years_before(sum->requested, 6, sum->from);
	years_before(sum->requested, 1, year_ago);
	date_format_days(day + 60, sum->due);
	date_format_days(day + 90, sum->extended_due);
	if ((rc = last_given(g, pid, sum->requested, sum->last_given, e)))
		return rc;
	/* The first accounting in any 12 months is free: chargeable only when
	 * one was given after the same day a year ago. */
	sum->free = !sum->last_given[0] || strcmp(sum->last_given, year_ago) <= 0;
	return walk(g, 1, sum->from, sum->requested, fn, ctx, &sum->entries, e);
}

int disclosure_accounting_given(struct grant *g, const struct accounting_summary *sum, int64_t *id,
				struct folio_err *e)
{
	struct store *st = grant_store(g);
	struct stmt *s;
	char today[11], now[24];
	int64_t pid;
	int rc;

	if (grant_action(g) != ACT_DISCLOSURE_ACCOUNT)
		return err_set(e, FOLIO_EDENIED, "logging an accounting needs the accounting grant");
	if (day_of(sum->requested) == DATE_INVALID || sum->entries < 0)
		return err_set(e, FOLIO_EUSAGE, "not an accounting that was prepared");
	if (!(pid = chart_patient_id(g, e)))
		return e->code;
	date_format_days(date_today(), today);
	time_utc_now(now, sizeof now);
	if ((rc = stmt_prepare(st, "INSERT INTO accountings (patient_id, requested_on, provided_on, entries, free,"
				   " given_by, given_at) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, pid);
	stmt_bind_text(s, 2, sum->requested);
	stmt_bind_text(s, 3, today);
	stmt_bind_int64(s, 4, sum->entries);
	stmt_bind_int64(s, 5, sum->free ? 1 : 0);
	stmt_bind_text(s, 6, session_user(grant_session(g)));
	stmt_bind_text(s, 7, now);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	if (rc != STMT_DONE)
		return rc;
	if (id)
		*id = store_last_rowid(st);
	return FOLIO_OK;
}
