/* folio — the chart screen: a header that always shows who the patient is
 * (name, MRN, age, sex, the allergy banner, the restricted flag), a summary
 * (open admission, latest vitals, recent encounters and documents), and the
 * sections a key away.  Also the encounter list with admit, transfer,
 * discharge and cancel.
 *
 * The header's name and the summary rows are decrypted PHI: they live in one
 * guarded block (struct chart) wiped when the chart closes. */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/chart.h"
#include "folio/clinical.h"
#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define CHART_ROWS 8
#define ENC_MAX 200

struct chart {
	char mrn[MRN_MAX];
	char name[200];
	char age_sex[40];
	int restricted, test;
	char banner[400];
	char vitals[200];
	struct encounter_info enc[CHART_ROWS];
	size_t n_enc;
	struct document_info doc[CHART_ROWS];
	size_t n_doc;
	size_t unsigned_docs;
};

static const char chart_help[] =
	"The patient's chart.  The header always shows who the patient is and\n"
	"their allergies; the summary shows the open admission, the latest\n"
	"vitals, recent encounters and documents.\n"
	"  E  encounters (admit, transfer, discharge, cancel)\n"
	"  D  documents (read, write, transcribe, sign, addenda)\n"
	"  V  vitals      A  allergies     P  problems\n"
	"  M  medications R  results       C  procedures (as done)\n"
	"  I  demographics (the patient screen)\n"
	"  K  code the latest inpatient admission (diagnoses, procedures, DRG)\n"
	"  T  the paper chart: where it is, charge out, request, missing\n"
	"  L  disclosures: the ledger, the accounting, the access report\n"
	"  X  export: the chart as a FHIR R4 bundle file (a disclosure if sent out)\n"
	"  O  release of information: the patient's requests, log a new one\n"
	"  F5 read the chart again\n"
	"Esc or ^ closes the chart; q signs out and leaves folio.";

void ui_chart_age_sex(const char *dob, const char *sex, char *out, size_t cap)
{
	int y, m, d, age = -1;

	if (dob[0] && sscanf(dob, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		char today[11];
		int ty, tm, td;
		date_format_days(date_today(), today);
		if (sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td) == 3)
			age = ty - y - (tm < m || (tm == m && td < d));
	}
	if (age >= 0)
		snprintf(out, cap, "%dy %s", age, sex[0] ? sex : "U");
	else
		snprintf(out, cap, "age unknown %s", sex[0] ? sex : "U");
}

static int keep_enc(const struct encounter_info *x, void *ctx)
{
	struct chart *c = ctx;

	if (c->n_enc < CHART_ROWS)
		c->enc[c->n_enc++] = *x;
	return c->n_enc >= CHART_ROWS;
}

static int keep_doc(const struct document_info *x, void *ctx)
{
	struct chart *c = ctx;

	if (strcmp(x->status, "completed") != 0)
		c->unsigned_docs++;
	if (c->n_doc < CHART_ROWS)
		c->doc[c->n_doc++] = *x;
	return 0;
}

int ui_chart_heading(struct ui *u, const char *mrn, struct ui_heading *h, struct folio_err *e)
{
	struct patient *p = patient_new();
	struct grant *g = NULL;
	int rc;

	memset(h, 0, sizeof *h);
	if (!p)
		return err_set(e, FOLIO_EFAIL, "out of secure memory");
	err_clear(e);
	rc = access_begin(u->s, ACT_PATIENT_VIEW, mrn, "patient", mrn, &g, e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_load(g, p, e), e);
	if (rc == FOLIO_OK) {
		ui_patient_name(p->v[PF_LAST], p->v[PF_FIRST], p->v[PF_MIDDLE], h->name, sizeof h->name);
		ui_chart_age_sex(p->v[PF_DOB], p->v[PF_SEX], h->age_sex, sizeof h->age_sex);
		h->restricted = p->restricted;
		h->test = p->test;
	}
	patient_free(p);
	return rc;
}

/* Reads everything the screen shows; -1 (with a message) when the chart
 * cannot be read at all. */
static int chart_load(struct ui *u, struct chart *c)
{
	struct ui_heading h;
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	if ((rc = ui_chart_heading(u, c->mrn, &h, &e)) != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the chart: %s", e.msg);
		return -1;
	}
	memcpy(c->name, h.name, sizeof c->name);
	memcpy(c->age_sex, h.age_sex, sizeof c->age_sex);
	c->restricted = h.restricted;
	c->test = h.test;
	c->banner[0] = c->vitals[0] = '\0';
	if (ui_clinical_summary(u, c->mrn, c->banner, sizeof c->banner, c->vitals, sizeof c->vitals) != 0)
		return -1;
	c->n_enc = c->n_doc = c->unsigned_docs = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, c->mrn, "chart", c->mrn, &g, &e);
	if (rc == FOLIO_OK) {
		rc = encounter_list(g, keep_enc, c, &e);
		if (rc == FOLIO_OK)
			rc = document_list(g, 0, keep_doc, c, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read the chart: %s", e.msg);
		return -1;
	}
	return 0;
}

/* The header rows 2..3, shared by every chart screen. */
void ui_chart_header(struct ui *u, const char *name, const char *mrn, const char *age_sex, int restricted,
		     int test, const char *banner)
{
	char line[320];
	int col;

	snprintf(line, sizeof line, "%s   MRN %s   %s", name, mrn, age_sex);
	col = ui_put(2, 0, COLS, line, ui_attr(u, UI_A_TITLE));
	if (restricted)
		col += ui_put(2, col + 3, COLS - col - 3, "RESTRICTED", ui_attr(u, UI_A_ERROR)) + 3;
	if (test)
		ui_put(2, col + 3, COLS - col - 3, "TEST PATIENT", ui_attr(u, UI_A_ERROR));
	ui_clinical_banner_draw(u, 3, banner);
}

static void enc_line(const struct encounter_info *x, char *out, size_t cap)
{
	char from[17] = "", to[17] = "", where[160];

	if (x->started[0])
		datetime_local(x->started, from);
	if (x->ended[0])
		datetime_local(x->ended, to);
	if (strcmp(x->kind, "inpatient") == 0)
		snprintf(where, sizeof where, "%s%s%s%s%s att %s%s%s%s%s", x->service, x->room[0] ? " rm " : "", x->room,
			 x->bed[0] ? "-" : "", x->bed, x->attending, to[0] ? ", out " : "", to,
			 x->status[0] ? " status " : "", x->status);
	else
		snprintf(where, sizeof where, "%s visit %s", x->kind, x->clinic);
	snprintf(out, cap, "%-6" PRId64 " %-16s %-12s %s", x->id, from, x->state, where);
}

void ui_document_line(const struct document_info *d, char *out, size_t cap)
{
	char when[17] = "";

	datetime_local(d->created, when);
	snprintf(out, cap, "%-6" PRId64 " %-16s %-24.24s %-11s %s%s", d->id, when, doc_type_title(d->type),
		 d->status, d->author, d->readable ? "" : "  (not your key)");
}

static void chart_draw(struct ui *u, void *ctx)
{
	struct chart *c = ctx;
	char line[320];
	int row = 5, end = ui_body_end();

	ui_frame(u, "Chart", "E enc D docs V A P M R C I demogr K code T paper L discl X export O roi ? help");
	ui_chart_header(u, c->name, c->mrn, c->age_sex, c->restricted, c->test, c->banner);
	snprintf(line, sizeof line, "Latest vitals: %s", c->vitals[0] ? c->vitals : "none recorded");
	ui_put(4, 0, COLS, line, 0);
	for (size_t i = 0; i < c->n_enc; i++)
		if (strcmp(c->enc[i].kind, "inpatient") == 0 && strcmp(c->enc[i].state, "admitted") == 0) {
			snprintf(line, sizeof line, "ADMITTED: encounter %" PRId64 ", %s, room %s %s, attending %s",
				 c->enc[i].id, c->enc[i].service, c->enc[i].room, c->enc[i].bed, c->enc[i].attending);
			ui_put(row++, 0, COLS, line, ui_attr(u, UI_A_TITLE));
			break;
		}
	row++;
	if (row <= end)
		ui_put(row++, 0, COLS, "Encounters (E)", ui_attr(u, UI_A_HEADER));
	if (!c->n_enc && row <= end)
		ui_put(row++, 2, COLS - 2, "none", ui_attr(u, UI_A_DIM));
	for (size_t i = 0; i < c->n_enc && i < 4 && row <= end; i++) {
		enc_line(&c->enc[i], line, sizeof line);
		ui_put(row++, 2, COLS - 2, line, 0);
	}
	row++;
	str_copy(line, sizeof line, "Documents (D)");
	if (c->unsigned_docs)
		snprintf(line, sizeof line, "Documents (D): %zu not yet completed", c->unsigned_docs);
	if (row <= end)
		ui_put(row++, 0, COLS, line, ui_attr(u, UI_A_HEADER));
	if (!c->n_doc && row <= end)
		ui_put(row++, 2, COLS - 2, "none", ui_attr(u, UI_A_DIM));
	for (size_t i = 0; i < c->n_doc && row <= end; i++) {
		ui_document_line(&c->doc[i], line, sizeof line);
		ui_put(row++, 2, COLS - 2, line, 0);
	}
}

/* ---- encounters -------------------------------------------------------- */

struct encs {
	struct chart *c;
	struct encounter_info *rows;
	size_t n;
	struct ui_list list;
};

#define ENC_TOP 5

static const char enc_help[] =
	"The patient's encounters, newest first.\n"
	"Up/Down move; a number picks a row.\n"
	"  Enter  the encounter's movement history\n"
	"  A      admit (attending, service, room, bed, time)\n"
	"  T      transfer the highlighted admission\n"
	"  D      discharge it (UB-04 discharge status)\n"
	"  C      cancel the admission, discharge or visit (a reason is asked)\n"
	"  K      code it: diagnoses, procedures and the MS-DRG\n"
	"  U      query the physician about its documentation (coders)\n"
	"Times: T@14:30, T-1@0800, 2026-11-24 14:30, or Enter for now.\n"
	"Esc or ^ goes back to the chart.";

static int enc_keep(const struct encounter_info *x, void *ctx)
{
	struct encs *s = ctx;

	if (s->n < ENC_MAX)
		s->rows[s->n++] = *x;
	return s->n >= ENC_MAX;
}

static void encs_load(struct ui *u, struct encs *s)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	s->n = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, s->c->mrn, "encounter", "list", &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, encounter_list(g, enc_keep, s, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the encounters: %s", e.msg);
	s->list.n = (int)s->n;
	if (s->list.sel >= s->list.n)
		s->list.sel = s->list.n ? s->list.n - 1 : 0;
}

static void encs_draw(struct ui *u, void *ctx)
{
	struct encs *s = ctx;
	int page = ui_body_end() - ENC_TOP + 1;
	char line[320];

	ui_frame(u, "Encounters", "Enter hist  A admit  T transf  D disch  C cancel  K code  U query  ? help");
	ui_chart_header(u, s->c->name, s->c->mrn, s->c->age_sex, s->c->restricted, s->c->test, s->c->banner);
	ui_put(4, 0, COLS, "   #  Enc    Started          State        Where / who", ui_attr(u, UI_A_HEADER));
	if (!s->n)
		ui_put(ENC_TOP, 2, COLS - 2, "No encounters.  A admits.", ui_attr(u, UI_A_DIM));
	ui_list_fit(&s->list, page);
	for (int i = s->list.top; i < s->list.n && i < s->list.top + page; i++) {
		char num[16];
		snprintf(num, sizeof num, "%3d ", i + 1);
		enc_line(&s->rows[i], line, sizeof line);
		ui_put(ENC_TOP + i - s->list.top, 0, 4, num, 0);
		ui_put(ENC_TOP + i - s->list.top, 4, COLS - 4, line,
		       i == s->list.sel ? ui_attr(u, UI_A_SELECT) : 0);
	}
}

struct history {
	char text[4096];
	size_t len;
};

static int history_add(const struct encounter_event *v, void *ctx)
{
	struct history *h = ctx;
	char at[17];
	int n;

	datetime_local(v->at, at);
	n = snprintf(h->text + h->len, sizeof h->text - h->len, "%s  %-16s %-12s %s%s%s%s%s%s%s%s%s  by %s%s%s\n",
		     at, v->kind, v->state, v->service, v->room[0] ? " rm " : "", v->room, v->bed[0] ? " bed " : "",
		     v->bed, v->attending[0] ? " att " : "", v->attending, v->status[0] ? " status " : "", v->status,
		     v->by, v->reason[0] ? ": " : "", v->reason);
	if (n > 0 && (size_t)n < sizeof h->text - h->len)
		h->len += (size_t)n;
	return 0;
}

static void enc_history(struct ui *u, struct encs *s)
{
	struct history *h = smem_alloc(sizeof *h);
	struct encounter_info info;
	struct folio_err e;
	struct grant *g = NULL;
	char title[64];
	int rc;

	if (!h || !s->n) {
		smem_free(h);
		return;
	}
	snprintf(title, sizeof title, "Encounter %" PRId64 ": movements", s->rows[s->list.sel].id);
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, s->c->mrn, "encounter", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, encounter_show(g, s->rows[s->list.sel].id, &info, history_add, h, &e), &e);
	if (rc == FOLIO_OK)
		ui_popup(u, title, h->len ? h->text : "No movements recorded.");
	else
		ui_msg(u, 1, "Cannot show it: %s", e.msg);
	smem_free(h);
}

/* Asks one optional line; -1 when the user backed out. */
static int ask(struct ui *u, const char *label, const char *help, const char *def, char *buf, size_t cap)
{
	buf[0] = '\0';
	return ui_ask(u, label, help, def, buf, cap) == UI_OK ? 0 : -1;
}

static int ask_time(struct ui *u, const char *label, char out[24])
{
	static const char help[] = "When it happened, clinic time: T@14:30, T-1@0800,\n"
				   "2026-11-24 14:30, or Enter for now.";
	char buf[40];
	struct folio_err e;

	for (;;) {
		if (ask(u, label, help, "NOW", buf, sizeof buf) != 0)
			return -1;
		err_clear(&e);
		if (datetime_parse(buf[0] ? buf : "NOW", date_today(), out, &e) == FOLIO_OK)
			return 0;
		ui_msg(u, 1, "%s", e.msg);
	}
}

static void enc_run(struct ui *u, struct encs *s, int op)
{
	static const char att_help[] = "The attending physician's user name.";
	static const char status_help[] =
		"UB-04 discharge status: 01 home, 02 short-term hospital, 03 SNF,\n"
		"04 ICF, 05 cancer/children's, 06 home health, 07 left AMA,\n"
		"20 expired, 21 court/law enforcement, 30 still a patient,\n"
		"43 federal, 50/51 hospice, 61 swing bed, 62 IRF, 63 LTCH,\n"
		"64 nursing facility, 65 psychiatric, 66 critical access,\n"
		"70 other institution; 81-95 the same with a planned readmission.";
	char attending[40] = "", service[48] = "", room[16] = "", bed[16] = "", status[8] = "", at[24] = "";
	char reason[200] = "";
	struct adt a = { 0 };
	struct folio_err e;
	struct grant *g = NULL;
	int64_t id = 0, target = s->n ? s->rows[s->list.sel].id : 0;
	int rc;

	if (!ui_may(u, ACT_ENCOUNTER_EDIT))
		return;
	if (op != 'A' && !target) {
		ui_msg(u, 1, "No encounter is highlighted.");
		return;
	}
	if (op == 'A' && (ask(u, "Attending", att_help, NULL, attending, sizeof attending) ||
			  ask(u, "Service", "e.g. medicine, surgery, cardiology", NULL, service, sizeof service) ||
			  ask(u, "Room", "optional", NULL, room, sizeof room) ||
			  ask(u, "Bed", "optional", NULL, bed, sizeof bed) || ask_time(u, "Admitted at", at)))
		return;
	if (op == 'T' && (ask(u, "New service", "Enter keeps it", NULL, service, sizeof service) ||
			  ask(u, "New room", "Enter keeps it", NULL, room, sizeof room) ||
			  ask(u, "New bed", "Enter keeps it", NULL, bed, sizeof bed) ||
			  ask(u, "New attending", "Enter keeps it", NULL, attending, sizeof attending) ||
			  ask_time(u, "Transferred at", at)))
		return;
	if (op == 'D' && (ask(u, "Discharge status", status_help, "01", status, sizeof status) ||
			  ask_time(u, "Discharged at", at)))
		return;
	if (op == 'C' && ask(u, "Reason for the cancel", "Required; kept encrypted and audited.", NULL, reason,
			     sizeof reason))
		return;
	if (op == 'D' && !status[0])
		str_copy(status, sizeof status, "01");
	a.attending = attending;
	a.service = service;
	a.room = room;
	a.bed = bed;
	a.status = status;
	a.at = at[0] ? at : NULL;
	a.reason = reason;
	err_clear(&e);
	rc = access_begin(u->s, ACT_ENCOUNTER_EDIT, s->c->mrn, "encounter", NULL, &g, &e);
	if (rc == FOLIO_OK) {
		switch (op) {
		case 'A': rc = encounter_admit(g, &a, &id, &e); break;
		case 'T': rc = encounter_transfer(g, target, &a, &e); break;
		case 'D': rc = encounter_discharge(g, target, &a, &e); break;
		default: rc = encounter_cancel(g, target, reason, &e); break;
		}
		rc = ui_grant_end(g, rc, &e);
	}
	smem_wipe(reason, sizeof reason);
	if (rc == FOLIO_OK)
		ui_msg(u, 0, op == 'A' ? "Admitted (encounter %" PRId64 ")." : "Done (encounter %" PRId64 ").",
		       op == 'A' ? id : target);
	else
		ui_msg(u, 1, "Not done: %s", e.msg);
	encs_load(u, s);
}

static void encounters_run(struct ui *u, struct chart *c)
{
	struct encs s;
	struct ui_view v;

	memset(&s, 0, sizeof s);
	s.c = c;
	if (!(s.rows = calloc(ENC_MAX, sizeof *s.rows))) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	encs_load(u, &s);
	ui_view_push(u, &v, encs_draw, &s, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), page = ui_body_end() - ENC_TOP + 1;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (ui_list_key(&s.list, k, page))
			;
		else if (ui_key_is_help(k))
			ui_popup(u, "Encounters", enc_help);
		else if (ui_key_is_enter(k))
			enc_history(u, &s);
		else if (k == 'a' || k == 'A' || k == 't' || k == 'T' || k == 'd' || k == 'D' || k == 'c' || k == 'C')
			enc_run(u, &s, k & ~0x20);
		else if ((k == 'k' || k == 'K') && s.n) {
			ui_coding_run(u, c->mrn, s.rows[s.list.sel].id, c->name, c->age_sex, c->restricted, c->test,
				      c->banner);
			encs_load(u, &s);
		}
		else if ((k == 'u' || k == 'U') && s.n)
			ui_query_raise(u, c->mrn, &s.rows[s.list.sel]);
		else if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(s.rows);
}

/* ---- the chart --------------------------------------------------------- */

/* K on the chart: the coding of the newest inpatient admission. */
static void chart_code_latest(struct ui *u, struct chart *c)
{
	for (size_t i = 0; i < c->n_enc; i++)
		if (strcmp(c->enc[i].kind, "inpatient") == 0 && strcmp(c->enc[i].state, "cancelled") != 0) {
			ui_coding_run(u, c->mrn, c->enc[i].id, c->name, c->age_sex, c->restricted, c->test, c->banner);
			return;
		}
	ui_msg(u, 1, "No inpatient admission among the recent encounters: E lists them all, K there codes one.");
}

void ui_chart_screen(struct ui *u, const char *mrn)
{
	struct chart *c = smem_alloc(sizeof *c);
	struct ui_view v;

	if (!c) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (!ui_may(u, ACT_CHART_VIEW)) {
		smem_free(c);
		return;
	}
	str_copy(c->mrn, sizeof c->mrn, mrn);
	if (chart_load(u, c) != 0) {
		smem_free(c);
		return;
	}
	session_set_patient(u->s, c->mrn);
	ui_view_push(u, &v, chart_draw, c, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 1;

		if (ui_key_is_back(k) || k == '^')
			break;
		switch (k) {
		case 'e': case 'E': encounters_run(u, c); break;
		case 'd': case 'D': ui_documents_run(u, c->mrn, c->name, c->age_sex, c->restricted, c->test, c->banner); break;
		case 'v': case 'V': ui_clinical_run(u, c->mrn, CLIN_VITALS); break;
		case 'a': case 'A': ui_clinical_run(u, c->mrn, CLIN_ALLERGY); break;
		case 'p': case 'P': ui_clinical_run(u, c->mrn, CLIN_PROBLEM); break;
		case 'm': case 'M': ui_clinical_run(u, c->mrn, CLIN_MED); break;
		case 'r': case 'R': ui_clinical_run(u, c->mrn, CLIN_RESULT); break;
		case 'c': case 'C': ui_clinical_run(u, c->mrn, CLIN_PROCEDURE); break;
		case 'i': case 'I': ui_patient_screen(u, c->mrn); session_set_patient(u->s, c->mrn); break;
		case 'k': case 'K': chart_code_latest(u, c); break;
		case 't': case 'T': ui_tracking_run(u, c->mrn); session_set_patient(u->s, c->mrn); break;
		case 'l': case 'L': ui_disclosures_run(u, c->mrn); reload = 0; break;
		case 'x': case 'X': ui_export_chart(u, c->mrn); reload = 0; break;
		case 'o': case 'O': ui_roi_chart_run(u, c->mrn); session_set_patient(u->s, c->mrn); reload = 0; break;
		case 'q': case 'Q': ui_end(u, UI_END_QUIT); reload = 0; break;
		case UI_FKEY(KEY_F(5)): break;
		default:
			reload = 0;
			if (ui_key_is_help(k))
				ui_popup(u, "Chart", chart_help);
		}
		if (reload && !u->ending && chart_load(u, c) != 0)
			break;
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	session_set_patient(u->s, "");
	smem_free(c);
	ui_redraw(u);
}
