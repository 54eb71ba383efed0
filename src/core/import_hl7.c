/* folio — HL7 v2 messages applied to the chart (include/folio/import_hl7.h):
 * which messages folio takes, the patient a message is about (matched by
 * identifier, else by the duplicate guard, else registered), the
 * demographics PID carries, once-only application by message control id,
 * and the import_runs row.  The events themselves are in import_hl7_adt.c
 * and import_hl7_oru.c. */
#include "folio/import_hl7.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "folio/store.h"
#include "import_hl7_internal.h"

#define DUP_HITS 8

static const struct {
	const char *type, *trigger;
	int registers;               /* an unknown patient gets a chart */
} events[] = {
	{ "ADT", "A01", 1 }, { "ADT", "A02", 0 }, { "ADT", "A03", 0 }, { "ADT", "A04", 1 },
	{ "ADT", "A05", 1 }, { "ADT", "A08", 1 }, { "ADT", "A11", 0 }, { "ADT", "A12", 0 },
	{ "ADT", "A13", 0 }, { "ADT", "A40", 0 }, { "ORU", "R01", 1 },
};

static void outcome(struct hl7_outcome *o, const char *code, const char *reason, const char *text)
{
	str_copy(o->code, sizeof o->code, code);
	str_copy(o->reason, sizeof o->reason, reason);
	str_copy(o->text, sizeof o->text, text);
}

/* A word from the message fit for an acknowledgement: letters, digits, _. */
static void word_of(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in && n + 1 < cap && n < 8; in++)
		out[n++] = isalnum((unsigned char)*in) || *in == '_' ? *in : '?';
	out[n] = '\0';
}

/* The message's type and trigger (MSH-9, or EVN-1 for an ADT without a
 * trigger) and its row in events, or -1. */
static int event_of(const struct hl7_msg *m, char type[16], char trigger[16])
{
	long evn;

	type[0] = trigger[0] = '\0';
	hl7_get(m, 0, 9, 0, 1, 1, type, 16);
	hl7_get(m, 0, 9, 0, 2, 1, trigger, 16);
	if (!trigger[0] && !strcmp(type, "ADT") && (evn = hl7_find(m, "EVN", 1)) > 0)
		hl7_get(m, (size_t)evn, 1, 0, 1, 1, trigger, 16);
	for (size_t i = 0; i < ARRAY_SIZE(events); i++)
		if (!strcmp(type, events[i].type) && !strcmp(trigger, events[i].trigger))
			return (int)i;
	return -1;
}

int import_hl7_screen(const struct hl7_msg *m, struct hl7_outcome *o)
{
	char type[16], trigger[16], t[12], tr[12], text[HL7_TEXT_MAX], ctl[8];

	memset(o, 0, sizeof *o);
	if (m->error[0]) {
		outcome(o, "AR", "malformed", m->error);
		return 1;
	}
	if (event_of(m, type, trigger) < 0) {
		word_of(type, t, sizeof t);
		word_of(trigger, tr, sizeof tr);
		snprintf(text, sizeof text, "message type %s^%s is not processed by folio", t[0] ? t : "(none)",
			 tr[0] ? tr : "(none)");
		outcome(o, "AR", "type not processed", text);
		return 1;
	}
	str_copy(o->event, sizeof o->event, trigger);
	if (hl7_get(m, 0, 10, 0, 1, 1, ctl, sizeof ctl) < 0) {
		outcome(o, "AR", "no control id", "MSH-10 (message control id) is empty: the message cannot be"
						   " applied only once");
		return 1;
	}
	return 0;
}

/* ---- shared helpers -------------------------------------------------- */

int h7_get(struct h7 *h, long seg, int field, int rep, int comp, int sub, char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	if (seg < 0)
		return HL7_ABSENT;
	return hl7_get(h->m, (size_t)seg, field, rep, comp, sub, out, cap);
}

void h7_join(char *out, size_t cap, ...)
{
	size_t n = 0;
	const char *p;
	va_list ap;

	va_start(ap, cap);
	while ((p = va_arg(ap, const char *)) != NULL)
		while (*p && n + 1 < cap)
			out[n++] = *p++;
	va_end(ap);
	out[n] = '\0';
}

void h7_note(struct h7 *h, const char *text)
{
	char had[HL7_TEXT_MAX];

	str_copy(had, sizeof had, h->note);
	h7_join(h->note, sizeof h->note, had, had[0] ? "; " : "", text, (char *)NULL);
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int h7_time(const char *ts, char out[24], const char *what, struct folio_err *e)
{
	size_t n = 0, len = strlen(ts);
	int y, mo, d, hh = 0, mi = 0, ss = 0;
	const char *z;

	out[0] = '\0';
	while (n < len && isdigit((unsigned char)ts[n]))
		n++;
	z = ts + n;
	if (*z == '.') /* fractions of a second */
		for (z++; isdigit((unsigned char)*z); z++)
			;
	if ((n != 8 && n != 10 && n != 12 && n != 14) || (*z && !((*z == '+' || *z == '-') && strlen(z) == 5 &&
								    digits(z + 1, 4))))
		return err_set(e, FOLIO_EUSAGE, "%s: not an HL7 date and time (YYYYMMDD[HHMM[SS]][+ZZZZ])", what);
	y = num(ts, 4);
	mo = num(ts + 4, 2);
	d = num(ts + 6, 2);
	if (n >= 10)
		hh = num(ts + 8, 2);
	if (n >= 12)
		mi = num(ts + 10, 2);
	if (n >= 14)
		ss = num(ts + 12, 2);
	if (date_days(y, mo, d) == DATE_INVALID || hh > 23 || mi > 59 || ss > 59)
		return err_set(e, FOLIO_EUSAGE, "%s: not a real date and time", what);
	if (*z) {
		int64_t off = (num(z + 1, 2) * 60 + num(z + 3, 2)) * 60;
		int64_t t = date_days(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - (*z == '-' ? -off : off);

		time_utc_format(t, out, 24);
		return FOLIO_OK;
	} else {
		char local[48];
		struct folio_err e2 = { 0 };

		snprintf(local, sizeof local, "%04d-%02d-%02d %02d:%02d", y, mo, d, hh, mi);
		if (datetime_parse(local, date_today(), out, &e2))
			return err_set(e, FOLIO_EUSAGE, "%s: not a real date and time", what);
	}
	return FOLIO_OK;
}

int h7_time_first(struct h7 *h, const long *segs, const int *fields, size_t n, char out[24], const char *what,
		  struct folio_err *e)
{
	char ts[64];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (h7_get(h, segs[i], fields[i], 0, 1, 1, ts, sizeof ts) > 0)
			return h7_time(ts, out, what, e);
	return FOLIO_OK;
}

/* 1 when name is a physician's account. */
static int is_physician(struct h7 *h, const char *name)
{
	struct folio_err e2 = { 0 };
	struct stmt *s;
	int yes = 0;

	if (!name[0] || stmt_prepare(grant_store(h->g), "SELECT 1 FROM users WHERE name = ? AND role = 'physician'",
				     &s, &e2))
		return 0;
	stmt_bind_text(s, 1, name);
	yes = stmt_step(s, &e2) == STMT_ROW;
	stmt_finalize(s);
	return yes;
}

void h7_physician(struct h7 *h, long seg, int field, char out[40])
{
	char v[40];

	out[0] = '\0';
	for (int comp = 1; comp <= 2; comp++) {
		if (h7_get(h, seg, field, 0, comp, 1, v, sizeof v) <= 0)
			continue;
		for (char *c = v; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (is_physician(h, v)) {
			str_copy(out, 40, v);
			return;
		}
	}
	if (h->op && h->op->attending && is_physician(h, h->op->attending))
		str_copy(out, 40, h->op->attending);
}

/* ---- demographics (PID) ---------------------------------------------- */

/* The value of one patient field from PID into out: HL7_ABSENT, HL7_NULL
 * or its length; converted to what patient_set takes. */
static int pid_value(struct h7 *h, enum patient_field f, char *out, size_t cap)
{
	long p = h->pid;
	int n;

	switch (f) {
	case PF_LAST: return h7_get(h, p, 5, 0, 1, 1, out, cap);
	case PF_FIRST: return h7_get(h, p, 5, 0, 2, 1, out, cap);
	case PF_MIDDLE: return h7_get(h, p, 5, 0, 3, 1, out, cap);
	case PF_SUFFIX: return h7_get(h, p, 5, 0, 4, 1, out, cap);
	case PF_DOB:
		if ((n = h7_get(h, p, 7, 0, 1, 1, out, cap)) > 0) {
			size_t d = 0;
			while (isdigit((unsigned char)out[d]))
				d++;
			/* a date and time keeps its date; anything else goes to
			 * patient_set as it came, to be refused with its rule */
			if ((d == 8 || d == 10 || d == 12 || d == 14) && (!out[d] || strchr(".+-", out[d])) && cap > 10) {
				memmove(out + 8, out + 6, 2);
				memmove(out + 5, out + 4, 2);
				out[4] = out[7] = '-';
				out[10] = '\0';
				n = 10;
			}
		}
		return n;
	case PF_SEX:
		if ((n = h7_get(h, p, 8, 0, 1, 1, out, cap)) > 0 && n == 1) {
			char c = (char)toupper((unsigned char)out[0]);
			out[0] = c == 'O' || c == 'A' ? 'X' : c == 'N' ? 'U' : c;
		}
		return n;
	case PF_ADDRESS: {
		int a = h7_get(h, p, 11, 0, 1, 1, out, cap);
		char more[128];
		if (a > 0 && h7_get(h, p, 11, 0, 2, 1, more, sizeof more) > 0) {
			size_t l = strlen(out);
			snprintf(out + l, cap - l, ", %s", more);
			a = (int)strlen(out);
		}
		return a;
	}
	case PF_CITY: return h7_get(h, p, 11, 0, 3, 1, out, cap);
	case PF_STATE: return h7_get(h, p, 11, 0, 4, 1, out, cap);
	case PF_ZIP: return h7_get(h, p, 11, 0, 5, 1, out, cap);
	case PF_PHONE:
		/* XTN: the number as written, else area code and local number */
		if ((n = h7_get(h, p, 13, 0, 1, 1, out, cap)) == HL7_ABSENT) {
			char area[16], local[32];
			if (h7_get(h, p, 13, 0, 6, 1, area, sizeof area) < 0)
				area[0] = '\0';
			if (h7_get(h, p, 13, 0, 7, 1, local, sizeof local) > 0) {
				snprintf(out, cap, "%s%s", area, local);
				n = (int)strlen(out);
			}
		}
		return n;
	case PF_SSN: return h7_get(h, p, 19, 0, 1, 1, out, cap);
	case PF_LANGUAGE:
		return (n = h7_get(h, p, 15, 0, 2, 1, out, cap)) > 0 ? n : h7_get(h, p, 15, 0, 1, 1, out, cap);
	case PF_RACE:
		return (n = h7_get(h, p, 10, 0, 2, 1, out, cap)) > 0 ? n : h7_get(h, p, 10, 0, 1, 1, out, cap);
	case PF_ETHNICITY:
		return (n = h7_get(h, p, 22, 0, 2, 1, out, cap)) > 0 ? n : h7_get(h, p, 22, 0, 1, 1, out, cap);
	default: return HL7_ABSENT;
	}
}

static const char *pid_field_name(enum patient_field f)
{
	switch (f) {
	case PF_LAST: case PF_FIRST: case PF_MIDDLE: case PF_SUFFIX: return "PID-5";
	case PF_DOB: return "PID-7";
	case PF_SEX: return "PID-8";
	case PF_ADDRESS: case PF_CITY: case PF_STATE: case PF_ZIP: return "PID-11";
	case PF_PHONE: return "PID-13";
	case PF_SSN: return "PID-19";
	case PF_LANGUAGE: return "PID-15";
	case PF_RACE: return "PID-10";
	case PF_ETHNICITY: return "PID-22";
	default: return "PID";
	}
}

/* Sets p's fields from PID: absent = no change; `""` = delete (when
 * updating); a refused value refuses the message, naming the field. */
static int pid_fill(struct h7 *h, struct patient *p, int update, struct folio_err *e)
{
	char *v = h->v[0];
	struct folio_err e2 = { 0 };

	for (int f = 0; f < PF_COUNT; f++) {
		int n = pid_value(h, (enum patient_field)f, v, sizeof h->v[0]);
		if (n == HL7_ABSENT || (n == HL7_NULL && !update))
			continue;
		if (n == HL7_NULL)
			v[0] = '\0';
		if (patient_set(p, (enum patient_field)f, v, &e2)) {
			smem_wipe(v, sizeof h->v[0]);
			return err_set(e, FOLIO_EUSAGE, "%s %s", pid_field_name((enum patient_field)f), e2.msg);
		}
	}
	smem_wipe(v, sizeof h->v[0]);
	return FOLIO_OK;
}

/* ---- identifiers and matching ---------------------------------------- */

/* Identifier rep of a CX field: value and its assigning authority (CX-4,
 * else the sending facility).  0 when the repetition has no value. */
static int cx_of(struct h7 *h, long seg, int field, int rep, char *value, size_t cap, char auth[65])
{
	if (h7_get(h, seg, field, rep, 1, 1, value, cap) <= 0)
		return 0;
	if (h7_get(h, seg, field, rep, 4, 1, auth, 65) <= 0 && h7_get(h, seg, field, rep, 4, 2, auth, 65) <= 0)
		str_copy(auth, 65, h->facility);
	return 1;
}

int h7_cx_patient(struct h7 *h, long seg, int field, int64_t *patient_id, struct folio_err *e)
{
	char auth[65];
	int reps = seg >= 0 ? hl7_reps(h->m, (size_t)seg, field) : 0;
	int rc = FOLIO_OK;

	*patient_id = 0;
	for (int r = 0; r < reps && rc == FOLIO_OK; r++) {
		int64_t id = 0;
		if (!cx_of(h, seg, field, r, h->v[1], sizeof h->v[1], auth))
			continue;
		if ((rc = external_id_find(h->x, auth, h->v[1], &id, e)))
			break;
		if (id && *patient_id && id != *patient_id)
			rc = err_set(e, FOLIO_EUSAGE, "the identifiers in %s-%d name two different charts: review them",
				     h->m->seg[seg].id, field);
		else if (id)
			*patient_id = id;
	}
	smem_wipe(h->v[1], sizeof h->v[1]);
	return rc;
}

/* Records PID-3's identifiers for the chart. */
static int ids_record(struct h7 *h, struct folio_err *e)
{
	char auth[65];
	int reps = hl7_reps(h->m, (size_t)h->pid, 3);
	int rc = FOLIO_OK;

	for (int r = 0; r < reps && rc == FOLIO_OK; r++)
		if (cx_of(h, h->pid, 3, r, h->v[1], sizeof h->v[1], auth) &&
		    (rc = external_id_add(h->x, h->patient_id, auth, h->v[1], e)) == FOLIO_ESTALE)
			rc = err_set(e, FOLIO_EUSAGE, "PID-3: an identifier (%s) belongs to another chart", auth);
	smem_wipe(h->v[1], sizeof h->v[1]);
	return rc;
}

static int64_t patient_id_by_mrn(struct h7 *h, const char *mrn, struct folio_err *e)
{
	struct stmt *s;
	int64_t id = 0;

	if (stmt_prepare(grant_store(h->g), "SELECT id FROM patients WHERE mrn = ?", &s, e))
		return 0;
	stmt_bind_text(s, 1, mrn);
	if (stmt_step(s, e) == STMT_ROW)
		id = stmt_int64(s, 0);
	stmt_finalize(s);
	return id;
}

static int mrn_of(struct h7 *h, int64_t id, char mrn[16], struct folio_err *e)
{
	struct stmt *s;
	int rc;

	mrn[0] = '\0';
	if ((rc = stmt_prepare(grant_store(h->g), "SELECT mrn FROM patients WHERE id = ?", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, id);
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		str_copy(mrn, 16, stmt_text(s, 0));
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK : rc == STMT_DONE ? err_set(e, FOLIO_ENOTFOUND, "no such chart") : rc;
}

/* The MRN the next registration gets. */
static int mrn_next(struct h7 *h, char mrn[16], struct folio_err *e)
{
	struct stmt *s;
	int rc;

	if ((rc = stmt_prepare(grant_store(h->g), "SELECT next FROM mrn_sequence WHERE id = 1", &s, e)))
		return rc;
	if ((rc = stmt_step(s, e)) == STMT_ROW)
		mrn_format(stmt_int64(s, 0), mrn);
	stmt_finalize(s);
	return rc == STMT_ROW ? FOLIO_OK : rc == STMT_DONE ? err_set(e, FOLIO_EFAIL, "MRN sequence is missing") : rc;
}

/* The patient of the message: by identifier, else by the duplicate guard
 * on p (filled from PID): *id the chart, or 0 for a new one.  FOLIO_EUSAGE
 * (the message is refused) for an ambiguous match or a refused value. */
static int match(struct h7 *h, struct patient *p, int64_t *id, struct folio_err *e)
{
	struct patient_hit *hits;
	size_t n = 0;
	int rc;

	*id = 0;
	if (h->pid < 0)
		return err_set(e, FOLIO_EUSAGE, "no PID segment: the message names no patient");
	if ((rc = h7_cx_patient(h, h->pid, 3, id, e)) || *id)
		return rc;
	if ((rc = pid_fill(h, p, 0, e)))
		return rc;
	if (!p->v[PF_LAST][0])
		return err_set(e, FOLIO_EUSAGE, "PID-5 (patient name): a family name is needed to match or register"
						 " the patient");
	if (!(hits = patient_hits_new(DUP_HITS)))
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	rc = patient_duplicates(h->g, p, hits, DUP_HITS, &n, e);
	if (rc == FOLIO_OK && n == 1 && !strcasecmp(hits[0].last, p->v[PF_LAST]) &&
	    !strcasecmp(hits[0].first, p->v[PF_FIRST]) && p->v[PF_DOB][0] && !strcmp(hits[0].dob, p->v[PF_DOB]) &&
	    !strcmp(hits[0].sex, p->v[PF_SEX])) {
		*id = patient_id_by_mrn(h, hits[0].mrn, e);
		if (!*id)
			rc = err_set(e, FOLIO_EFAIL, "the matched chart is gone");
		else
			h7_note(h, "matched an existing chart by name, birth date and sex");
	} else if (rc == FOLIO_OK && n > 0) {
		rc = err_set(e, FOLIO_EUSAGE, "possible duplicate of an existing chart: review it");
	}
	patient_hits_free(hits, DUP_HITS);
	return rc;
}

/* ---- one message ------------------------------------------------------ */

static struct h7 *h7_new(struct grant *g, const struct hl7_msg *m, const struct import_hl7_opts *op,
			 struct hl7_outcome *o, struct folio_err *e)
{
	struct h7 *h = smem_alloc(sizeof *h);
	char app[64] = "";

	if (!h) {
		err_set(e, FOLIO_EFAIL, "out of secure memory");
		return NULL;
	}
	h->g = g;
	h->m = m;
	h->op = op;
	h->o = o;
	if (import_ctx_new(g, &h->x, e)) {
		smem_free(h);
		return NULL;
	}
	h->pid = hl7_find(m, "PID", 1);
	h->pv1 = hl7_find(m, "PV1", 1);
	hl7_get(m, 0, 3, 0, 1, 1, app, sizeof app);
	hl7_get(m, 0, 4, 0, 1, 1, h->facility, sizeof h->facility);
	snprintf(h->sender, sizeof h->sender, "%s^%s", app, h->facility);
	if (!h->facility[0])
		str_copy(h->facility, sizeof h->facility, app[0] ? app : "HL7");
	return h;
}

static void h7_free(struct h7 *h)
{
	if (!h)
		return;
	import_ctx_free(h->x);
	smem_free(h);
}

/* The message's once-only key: sender and control id. */
static void msg_key(struct h7 *h, char *out, size_t cap)
{
	char ctl[200] = "";

	hl7_get(h->m, 0, 10, 0, 1, 1, ctl, sizeof ctl);
	snprintf(out, cap, "%s|%s", h->sender, ctl);
}

/* The message's content as a 64-bit FNV-1a of its segments after the MSH
 * (line ends aside; a resend may carry a new MSH-7), in hex: the same
 * control id with other content is not the same message.  It goes only
 * into a keyed tag. */
static void msg_digest(const struct hl7_msg *m, char out[17])
{
	uint64_t x = 0xcbf29ce484222325ULL;

	for (size_t i = 1; i < m->nseg; i++) {
		for (size_t k = 0; k < m->seg[i].len; k++)
			x = (x ^ (unsigned char)m->seg[i].text[k]) * 0x100000001b3ULL;
		x = (x ^ '\r') * 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016" PRIx64, x);
}

static int registers(const struct hl7_msg *m)
{
	char type[16], trigger[16];
	int i = event_of(m, type, trigger);

	return i >= 0 && events[i].registers;
}

/* Plans (apply = 0) or checks the plan (apply = 1): *id the matched chart
 * (0 new), mrn the chart to work on.  1 when already applied. */
static int plan(struct h7 *h, struct patient *p, int64_t *id, char mrn[16], struct folio_err *e)
{
	char key[400];
	int64_t done = 0;
	int rc;

	msg_key(h, key, sizeof key);
	if ((rc = import_key_find(h->x, "hl7", "message", NULL, key, &done, e)))
		return rc;
	if (done) {
		char dig[17];
		msg_digest(h->m, dig);
		if ((rc = import_key_find(h->x, "hl7", "content", NULL, dig, &done, e)))
			return rc;
		if (done)
			return 1;
		return err_set(e, FOLIO_EUSAGE, "MSH-10: this control id was used before by a different message from"
						 " the same sender");
	}
	if ((rc = match(h, p, id, e)))
		return rc;
	if (*id)
		return mrn_of(h, *id, mrn, e);
	if (!registers(h->m))
		return err_set(e, FOLIO_EUSAGE, "the patient (PID-3) is not known here: an ADT^A%s needs a chart"
			       " registered first", h->o->event[0] == 'A' ? h->o->event + 1 : h->o->event);
	return mrn_next(h, mrn, e);
}

int import_hl7_plan(struct grant *g, const struct hl7_msg *m, struct hl7_outcome *o, struct folio_err *e)
{
	struct patient *p = patient_new();
	struct h7 *h = p ? h7_new(g, m, NULL, o, e) : NULL;
	int64_t id = 0;
	int rc;

	if (!p) {
		err_set(e, FOLIO_EFAIL, "out of secure memory");
		outcome(o, "AE", "internal error", "out of secure memory");
		return 1;
	}
	if (!h) {
		patient_free(p);
		outcome(o, "AE", "internal error", e->msg);
		return 1;
	}
	rc = plan(h, p, &id, o->mrn, e);
	if (rc == 1)
		outcome(o, "AA", "already applied", "already applied");
	else if (rc)
		outcome(o, "AE", rc == FOLIO_EUSAGE ? e->msg : "internal error", e->msg);
	h7_free(h);
	patient_free(p);
	return rc ? 1 : 0;
}

int import_hl7_apply(struct grant *g, const struct hl7_msg *m, const struct import_hl7_opts *op,
		     struct hl7_outcome *o, struct folio_err *e)
{
	struct patient *p = patient_new();
	struct h7 *h = p ? h7_new(g, m, op, o, e) : NULL;
	char mrn[16] = "", key[400], text[HL7_TEXT_MAX];
	int64_t id = 0;
	int rc;

	if (!p || !h) {
		patient_free(p);
		return p ? e->code : err_set(e, FOLIO_EFAIL, "out of secure memory");
	}
	rc = plan(h, p, &id, mrn, e);
	if (rc == 1 || (rc == FOLIO_OK && strcmp(mrn, grant_mrn(g)) != 0))
		rc = err_set(e, FOLIO_ESTALE, "the chart changed meanwhile: plan again");
	if (rc == FOLIO_OK && !id) {
		if ((rc = patient_register(g, p, e)) == FOLIO_OK && strcmp(p->mrn, grant_mrn(g)) != 0)
			rc = err_set(e, FOLIO_ESTALE, "the chart number changed meanwhile: plan again");
		id = p->id;
		if (rc == FOLIO_OK)
			h7_note(h, "registered a new chart");
	}
	h->patient_id = id;
	if (rc == FOLIO_OK && (rc = ids_record(h, e)) == FOLIO_OK) {
		rc = !strcmp(o->event, "R01") ? h7_oru(h, e) : h7_adt(h, e);
	}
	if (rc == FOLIO_OK) {
		char dig[17];
		int64_t had = 0;
		msg_key(h, key, sizeof key);
		msg_digest(m, dig);
		if ((rc = import_key_put(h->x, "hl7", "message", NULL, key, "patients", id, e)) == FOLIO_OK &&
		    (rc = import_key_find(h->x, "hl7", "content", NULL, dig, &had, e)) == FOLIO_OK && !had)
			rc = import_key_put(h->x, "hl7", "content", NULL, dig, "patients", id, e);
	}
	if (rc == FOLIO_OK) {
		h7_join(text, sizeof text, "applied", h->note[0] ? ": " : "", h->note, (char *)NULL);
		if (!o->text[0])
			outcome(o, "AA", "applied", text);
		str_copy(o->mrn, sizeof o->mrn, grant_mrn(g));
	}
	h7_free(h);
	patient_free(p);
	return rc;
}

/* ---- A08's demographics (used by import_hl7_adt.c) -------------------- */

int h7_demographics(struct h7 *h, struct folio_err *e)
{
	struct patient *p = patient_new();
	int rc;

	if (!p)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	if ((rc = patient_load(h->g, p, e)) == FOLIO_OK && (rc = pid_fill(h, p, 1, e)) == FOLIO_OK)
		rc = patient_update(h->g, p, e);
	patient_free(p);
	return rc;
}

/* ---- the run --------------------------------------------------------- */

