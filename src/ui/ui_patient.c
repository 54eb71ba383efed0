/* folio — the patient screen: the checks before a chart opens (own record,
 * near twin, restricted record, TEST patient), then the demographics with
 * Edit, Check in and Restrict.
 *
 * Decrypted demographics live only in a patient_new() buffer owned by the
 * screen and freed (wiped) when it closes; the patient's MRN is in context
 * on the status line while the screen shows and cleared when it goes.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define PT_TOP 2
#define PT_FIELDS_TOP 5
#define TWIN_MAX 20

static const char patient_help[] =
	"The patient's demographics. The status line shows the patient in\n"
	"context while this screen is open.\n"
	"  O  open the chart (clinical roles): encounters, documents, vitals ...\n"
	"  E  edit the demographics (each change is checked and audited)\n"
	"  C  check the patient in (clinic and reason for visit)\n"
	"  R  restrict the record, or lift the restriction\n"
	"  F5 read the record again\n"
	"Actions in parentheses are not open to your role.\n"
	"Esc or ^ goes back; q signs out and leaves folio.";

/* ---- shared drawing -------------------------------------------------- */

/* Rows of the demographics layout: two fields side by side, or one across
 * (second -1). */
static const int layout[][2] = {
	{ PF_LAST, PF_FIRST },        { PF_MIDDLE, PF_SUFFIX },   { PF_PREFERRED, PF_DOB },
	{ PF_SEX, PF_SSN },           { PF_ADDRESS, -1 },         { PF_CITY, PF_STATE },
	{ PF_ZIP, PF_LANGUAGE },      { PF_PHONE, PF_MOBILE },    { PF_EMAIL, -1 },
	{ PF_EMERGENCY, -1 },         { PF_EMERGENCY_PHONE, PF_INSURER },
	{ PF_MEMBER_ID, PF_RACE },    { PF_ETHNICITY, -1 },
};

#define LABEL_W 19

void ui_patient_ssn_masked(const char *ssn, char out[16])
{
	size_t n = strlen(ssn);

	if (n == 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 16, "***-**-%s", n >= 4 ? ssn + n - 4 : ssn);
}

static void field_cell(struct ui *u, const struct patient *p, int f, int row, int col, int width,
		       int cur)
{
	char label[48], ssn[16];
	const char *v = p->v[f];

	if (f == PF_SSN) {
		ui_patient_ssn_masked(v, ssn);
		v = ssn;
	}
	snprintf(label, sizeof label, "%s:", patient_field_label((enum patient_field)f));
	ui_put(row, col, LABEL_W, label, f == cur ? ui_attr(u, UI_A_SELECT) : ui_attr(u, UI_A_DIM));
	ui_put(row, col + LABEL_W + 1, width - LABEL_W - 1, v, A_NORMAL);
	smem_wipe(ssn, sizeof ssn);
}

void ui_patient_draw_fields(struct ui *u, const struct patient *p, int top, int cur)
{
	int half = (COLS - 2) / 2;

	for (size_t i = 0; i < ARRAY_SIZE(layout) && top + (int)i <= ui_body_end(); i++) {
		int row = top + (int)i;

		if (layout[i][1] < 0) {
			field_cell(u, p, layout[i][0], row, 1, COLS - 2, cur);
		} else {
			field_cell(u, p, layout[i][0], row, 1, half - 1, cur);
			field_cell(u, p, layout[i][1], row, 1 + half, half - 1, cur);
		}
	}
}

void ui_patient_name(const char *last, const char *first, const char *middle, char *out,
		     size_t cap)
{
	const char *parts[] = { last, first[0] ? "," : "", first, middle[0] ? " " : "", middle };
	size_t off = 0;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(parts) && off + 1 < cap; i++) {
		str_copy(out + off, cap - off, parts[i]);
		off += strlen(out + off);
	}
}

/* Column positions of the lookup rows (80 columns). */
enum { HC_NUM = 1, HC_NAME = 6, HC_DOB = 37, HC_SEX = 48, HC_LAST4 = 52, HC_MRN = 58, HC_FLAG = 67 };

void ui_patient_hit_header(struct ui *u, int row)
{
	int a = ui_attr(u, UI_A_TITLE);

	ui_put(row, HC_NUM, 4, "  #", a);
	ui_put(row, HC_NAME, 30, "Name", a);
	ui_put(row, HC_DOB, 10, "DOB", a);
	ui_put(row, HC_SEX, 3, "Sex", a);
	ui_put(row, HC_LAST4, 5, "Last4", a);
	ui_put(row, HC_MRN, 8, "MRN", a);
}

void ui_patient_hit_draw(struct ui *u, int row, int num, const struct patient_hit *h, int attr)
{
	(void)u;
	char name[200], n[16];

	if (attr != (int)A_NORMAL) {
		attron((attr_t)attr);
		mvhline(row, 0, ' ', COLS);
		attroff((attr_t)attr);
	}
	if (num > 0)
		snprintf(n, sizeof n, "%3d", num);
	else
		n[0] = '\0';
	ui_patient_name(h->last, h->first, h->middle, name, sizeof name);
	ui_put(row, HC_NUM, 4, n, attr);
	ui_put(row, HC_NAME, HC_DOB - HC_NAME - 1, name, attr);
	ui_put(row, HC_DOB, 10, h->dob, attr);
	ui_put(row, HC_SEX, 3, h->sex, attr);
	ui_put(row, HC_LAST4, 5, h->last4, attr);
	ui_put(row, HC_MRN, 8, h->mrn, attr);
	if (h->restricted || h->test)
		ui_put(row, HC_FLAG, COLS - HC_FLAG - 1,
		       h->restricted ? (h->test ? "*RESTRICTED* TEST" : "*RESTRICTED*") : "TEST", attr);
	smem_wipe(name, sizeof name);
}

/* ---- the gate -------------------------------------------------------- */

struct gate {
	const char *mrn;
	const struct patient_hit *who;   /* the picked row, when known */
	const struct patient_hit *twins; /* near twins found */
	size_t ntwins;
	struct chart_flags f;
	int show_restricted;
};

static void gate_draw(struct ui *u, void *ctx)
{
	struct gate *gt = ctx;
	int row = PT_TOP;
	char line[128];

	ui_frame(u, "Open a patient", "? help  Esc back");
	snprintf(line, sizeof line, "MRN %s", gt->mrn);
	if (gt->who)
		ui_patient_hit_draw(u, row, 0, gt->who, A_BOLD);
	else
		ui_put(row, 2, COLS - 4, line, A_BOLD);
	row += 2;
	if (gt->f.test)
		ui_put(row++, 2, COLS - 4, "*** TEST PATIENT ***  (not a real person)",
		       ui_attr(u, UI_A_ERROR));
	if (gt->show_restricted) {
		ui_put(row++, 2, COLS - 4, "***  RESTRICTED RECORD  ***", ui_attr(u, UI_A_ERROR));
		ui_put(row++, 2, COLS - 4,
		       "This record is restricted. Opening it is audited, and your reason is",
		       A_NORMAL);
		ui_put(row++, 2, COLS - 4, "sent to the supervisor for review.", A_NORMAL);
		row++;
	}
	if (gt->ntwins > 0) {
		ui_put(row++, 2, COLS - 4,
		       "NEAR TWIN: another patient has the same last name and last four:",
		       ui_attr(u, UI_A_ERROR));
		ui_patient_hit_header(u, row++);
		for (size_t i = 0; i < gt->ntwins && row <= ui_body_end(); i++)
			ui_patient_hit_draw(u, row++, (int)i + 1, &gt->twins[i], A_NORMAL);
		ui_put(row <= ui_body_end() ? row : ui_body_end(), 2, COLS - 4,
		       "Check the date of birth and the MRN with the patient.", A_NORMAL);
	}
}

static int same_last(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* Copies into tw the rows of h[0..n) that share the picked patient's last
 * name and last four under another MRN. */
static size_t twins_in(const struct patient_hit *who, const struct patient_hit *h, size_t n,
		       struct patient_hit *tw, size_t have)
{
	for (size_t i = 0; i < n && have < TWIN_MAX; i++) {
		int dup = 0;

		if (!strcmp(h[i].mrn, who->mrn) || !same_last(h[i].last, who->last) ||
		    strcmp(h[i].last4, who->last4) != 0)
			continue;
		for (size_t j = 0; j < have; j++)
			dup |= !strcmp(tw[j].mrn, h[i].mrn);
		if (!dup)
			tw[have++] = h[i];
	}
	return have;
}

/* The near-twin search: the rows the lookup already has, then a lookup of
 * initial + last four (its own audited grant), which finds every patient
 * with that last four whatever the first query was. */
static size_t find_twins(struct ui *u, const struct patient_hit *who, const struct patient_hit *hits,
			 size_t n, struct patient_hit *tw, struct patient_hit *scratch)
{
	size_t have = 0, got = 0, total = 0;
	struct folio_err e;
	struct grant *g = NULL;
	char q[8];
	unsigned char c = (unsigned char)who->last[0];

	if (!who->last4[0] || !who->last[0])
		return 0;
	if (hits)
		have = twins_in(who, hits, n, tw, have);
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) || strlen(who->last4) != 4)
		return have;
	snprintf(q, sizeof q, "%c%s", c, who->last4);
	err_clear(&e);
	if (access_begin(u->s, ACT_PATIENT_FIND, NULL, "query", NULL, &g, &e) == FOLIO_OK &&
	    ui_grant_end(g, patient_find(g, q, scratch, TWIN_MAX, &got, &total, &e), &e) == FOLIO_OK)
		have = twins_in(who, scratch, got, tw, have);
	smem_wipe(q, sizeof q);
	return have;
}

/* Looks the picked MRN up among the hits; NULL when it is not there. */
static const struct patient_hit *hit_of(const char *mrn, const struct patient_hit *h, size_t n)
{
	for (size_t i = 0; h && i < n; i++)
		if (!strcmp(h[i].mrn, mrn))
			return &h[i];
	return NULL;
}

/* The lookup row of one MRN (a lookup grant of its own); 0 when found. */
static int lookup_mrn(struct ui *u, const char *mrn, struct patient_hit *out)
{
	struct folio_err e;
	struct grant *g = NULL;
	size_t got = 0, total = 0;

	err_clear(&e);
	if (access_begin(u->s, ACT_PATIENT_FIND, NULL, "query", NULL, &g, &e) != FOLIO_OK ||
	    ui_grant_end(g, patient_find(g, mrn, out, 1, &got, &total, &e), &e) != FOLIO_OK)
		return -1;
	return got == 1 && !strcmp(out->mrn, mrn) ? 0 : -1;
}

static int ask_reason(struct ui *u, char *reason, size_t cap)
{
	static const char help[] =
		"Why you need this restricted record now, e.g. \"patient at the desk for\n"
		"check-in\". The reason is kept encrypted, audited, and sent to the\n"
		"supervisor, who reviews every opening of a restricted record.";

	for (;;) {
		int r = ui_ask(u, "Reason for opening", help, NULL, reason, cap);
		size_t n = strlen(reason);

		if (r != UI_OK)
			return r;
		while (n > 0 && reason[n - 1] == ' ')
			reason[--n] = '\0';
		if (n > 0)
			return UI_OK;
		ui_msg(u, 1, "A reason is required to open a restricted record.");
	}
}

int ui_patient_gate(struct ui *u, const char *mrn, const struct patient_hit *hits, size_t n)
{
	struct gate gt;
	struct ui_view v;
	struct folio_err e;
	struct patient_hit *tw = NULL, *scratch = NULL, *self = NULL;
	char *reason = NULL;
	int r = UI_OK, rc;

	memset(&gt, 0, sizeof gt);
	gt.mrn = mrn;
	gt.who = hit_of(mrn, hits, n);
	err_clear(&e);
	rc = access_chart_flags(u->s, mrn, &gt.f, &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the record: %s", e.msg);
		return UI_BACK;
	}
	if (!gt.f.exists) {
		ui_msg(u, 1, "No patient has MRN %s.", mrn);
		return UI_BACK;
	}
	if (gt.f.own) {
		ui_msg(u, 1, "This is your own record: you may not open it. Ask a colleague.");
		return UI_BACK;
	}
	tw = patient_hits_new(TWIN_MAX);
	scratch = patient_hits_new(TWIN_MAX);
	self = patient_hits_new(1);
	reason = smem_alloc(256);
	if (!tw || !scratch || !self || !reason) {
		ui_msg(u, 1, "Out of secure memory.");
		r = UI_BACK;
		goto out;
	}
	if (!gt.who && lookup_mrn(u, mrn, self) == 0)
		gt.who = self; /* opened from a list without lookup rows */
	if (gt.who)
		gt.ntwins = find_twins(u, gt.who, hits, n, tw, scratch);
	gt.twins = tw;
	gt.show_restricted = gt.f.restricted && !gt.f.opened;
	if (!gt.ntwins && !gt.show_restricted)
		goto out; /* nothing to ask; a TEST banner shows on the patient screen */
	ui_view_push(u, &v, gate_draw, &gt, 1);
	ui_redraw(u);
	if (gt.ntwins > 0 && !ui_confirm(u, "Is this the right patient?", 0))
		r = u->ending ? UI_ABORT : UI_BACK;
	if (r == UI_OK && gt.show_restricted) {
		if (!ui_confirm(u, "Do you want to continue?", 0))
			r = u->ending ? UI_ABORT : UI_BACK;
		else if ((r = ask_reason(u, reason, 256)) == UI_OK) {
			err_clear(&e);
			rc = access_break_glass(u->s, mrn, reason, &e);
			if (rc != FOLIO_OK) {
				ui_msg(u, 1, "Not opened: %s", e.msg);
				r = UI_BACK;
			}
		}
	}
	if (r == UI_BACK && !u->msg[0])
		ui_msg(u, 0, "The record was not opened.");
	ui_view_pop(u, &v);
out:
	patient_hits_free(tw, TWIN_MAX);
	patient_hits_free(scratch, TWIN_MAX);
	patient_hits_free(self, 1);
	smem_free(reason);
	return r;
}

/* ---- the patient screen ---------------------------------------------- */

struct pscreen {
	char mrn[MRN_MAX];
	struct patient *p;
	int loaded;
};

static int pscreen_load(struct ui *u, struct pscreen *ps)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_PATIENT_VIEW, ps->mrn, "patient", ps->mrn, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_load(g, ps->p, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the record: %s", e.msg);
		return -1;
	}
	ps->loaded = 1;
	return 0;
}

static void action_bar(struct ui *u, const struct patient *p)
{
	char bar[160];

	snprintf(bar, sizeof bar, "%s%s  %s  %s  F5 Reload  ? Help  Esc Back",
		 access_may(u->s, ACT_CHART_VIEW) ? "O Open chart  " : "",
		 access_may(u->s, ACT_PATIENT_EDIT) ? "E Edit" : "(E Edit)",
		 access_may(u->s, ACT_CHECKIN) ? "C Check in" : "(C Check in)",
		 access_may(u->s, ACT_PATIENT_RESTRICT) ?
			 (p->restricted ? "R Unrestrict" : "R Restrict") :
			 (p->restricted ? "(R Unrestrict)" : "(R Restrict)"));
	ui_put(ui_action_row(), 1, COLS - 2, bar, A_NORMAL);
}

static void pscreen_draw(struct ui *u, void *ctx)
{
	struct pscreen *ps = ctx;
	const struct patient *p = ps->p;
	char name[200], line[256];
	int col;

	ui_frame(u, "Patient", NULL);
	ui_patient_name(p->v[PF_LAST], p->v[PF_FIRST], p->v[PF_MIDDLE], name, sizeof name);
	col = 2 + ui_put(PT_TOP, 2, 44, name, ui_attr(u, UI_A_TITLE));
	snprintf(line, sizeof line, "  MRN %s  DOB %s  Sex %s", p->mrn, p->v[PF_DOB][0] ? p->v[PF_DOB] : "-",
		 p->v[PF_SEX][0] ? p->v[PF_SEX] : "-");
	ui_put(PT_TOP, col, COLS - col - 1, line, A_BOLD);
	line[0] = '\0';
	if (p->restricted)
		str_copy(line, sizeof line, "*RESTRICTED RECORD*  ");
	if (p->test)
		snprintf(line + strlen(line), sizeof line - strlen(line), "*** TEST PATIENT ***");
	if (line[0])
		ui_put(PT_TOP + 1, 2, COLS - 4, line, ui_attr(u, UI_A_ERROR));
	ui_patient_draw_fields(u, p, PT_FIELDS_TOP, -1);
	action_bar(u, p);
	smem_wipe(name, sizeof name);
	smem_wipe(line, sizeof line);
}

/* Edits a copy of the record; the save is refused (FOLIO_ESTALE) when
 * someone else saved in between, and the screen then reads it again. */
static void pscreen_edit(struct ui *u, struct pscreen *ps)
{
	struct patient *w;
	struct folio_err e;
	struct grant *g = NULL;
	int changed = 0, r, rc;

	if (!ui_may(u, ACT_PATIENT_EDIT))
		return;
	if (!(w = patient_new())) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	memcpy(w, ps->p, sizeof *w);
	r = ui_patient_form(u, "Edit patient",
			    "Enter keeps the value shown before //, @ deletes it, Esc or ^ stops.", w,
			    &changed);
	if (r == UI_OK && changed == 0)
		ui_msg(u, 0, "Nothing changed.");
	else if (r == UI_OK && ui_confirm(u, "Save the changes?", 1)) {
		err_clear(&e);
		rc = access_begin(u->s, ACT_PATIENT_EDIT, ps->mrn, "patient", ps->mrn, &g, &e);
		if (rc == FOLIO_OK)
			rc = ui_grant_end(g, patient_update(g, w, &e), &e);
		if (rc == FOLIO_OK) {
			memcpy(ps->p, w, sizeof *w);
			ui_msg(u, 0, "Saved: %d field%s changed.", changed, changed == 1 ? "" : "s");
		} else if (rc == FOLIO_ESTALE) {
			/* Message first: the reload may add its own. */
			ui_msg(u, 1, "%s", e.msg);
			if (pscreen_load(u, ps) == 0)
				ui_msg(u, 1, "%s", e.msg);
		} else {
			ui_msg(u, 1, "Not saved: %s", e.msg);
		}
	} else if (!u->ending) {
		ui_msg(u, 0, "Not saved.");
	}
	patient_free(w);
}

/* Returns 1 when the screen should close (the record became restricted). */
static int pscreen_restrict(struct ui *u, struct pscreen *ps)
{
	struct folio_err e;
	struct grant *g = NULL;
	int on = !ps->p->restricted, rc;

	if (!ui_may(u, ACT_PATIENT_RESTRICT))
		return 0;
	if (!ui_confirm(u, on ? "Mark this record RESTRICTED?" : "Lift the restriction on this record?",
			0))
		return 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_PATIENT_RESTRICT, ps->mrn, "patient", ps->mrn, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_restrict(g, on, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not changed: %s", e.msg);
		return 0;
	}
	if (on) {
		/* From now on the record asks for a reason before it opens, for
		 * this session too: close it rather than keep showing it. */
		ui_msg(u, 0, "MRN %s is now restricted: it asks for a reason before it opens.", ps->mrn);
		return 1;
	}
	ps->p->restricted = 0;
	ui_msg(u, 0, "The restriction on MRN %s is lifted.", ps->mrn);
	return 0;
}

void ui_patient_screen(struct ui *u, const char *mrn)
{
	struct pscreen ps;
	struct ui_view v;

	memset(&ps, 0, sizeof ps);
	str_copy(ps.mrn, sizeof ps.mrn, mrn);
	if (!(ps.p = patient_new())) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (pscreen_load(u, &ps) != 0) {
		patient_free(ps.p);
		return;
	}
	session_set_patient(u->s, ps.mrn);
	ui_view_push(u, &v, pscreen_draw, &ps, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), done = 0;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, "Patient", patient_help);
		else if (k == 'e' || k == 'E')
			pscreen_edit(u, &ps);
		else if (k == 'o' || k == 'O') {
			if (ui_may(u, ACT_CHART_VIEW))
				ui_chart_screen(u, ps.mrn);
			session_set_patient(u->s, ps.mrn);
		}
		else if (k == 'c' || k == 'C') {
			if (ui_may(u, ACT_CHECKIN))
				ui_patient_checkin(u, ps.mrn);
		} else if (k == 'r' || k == 'R')
			done = pscreen_restrict(u, &ps);
		else if (k == UI_FKEY(KEY_F(5)) && pscreen_load(u, &ps) != 0)
			done = 1;
		if (done)
			break;
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	session_set_patient(u->s, "");
	patient_free(ps.p);
	ui_redraw(u);
}

void ui_patient_open(struct ui *u, const char *mrn, const struct patient_hit *hits, size_t n)
{
	if (ui_patient_gate(u, mrn, hits, n) == UI_OK)
		ui_patient_screen(u, mrn);
}
