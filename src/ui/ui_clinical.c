/* folio — the clinical sections of a chart: vitals (the last sets side by
 * side, as a trend), allergies, problems, medications, results, procedures.
 * Each is a list screen with an action bar: A adds (a form built from the
 * field table, each answer checked as typed), and the section's changes
 * (R resolve, S stop, V review, E entered in error, N no known allergies
 * ...) apply to the highlighted item with the row version it was read at:
 * a change someone else saved first is refused and the list is read again.
 *
 * Decrypted items live in one clinical_items_new() block owned by the
 * screen, wiped and freed when it closes.  Also the small helpers the chart
 * screen uses for its header: the allergy banner and the latest vitals.
 */
#include <ctype.h>
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "folio/clinical.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define ROWS_MAX 500
#define CL_TOP 5          /* first list row */
#define CL_FIELDS 27      /* the column the fields start in */
#define TREND_SETS 5      /* vitals sets side by side */
#define TREND_LABEL 22    /* width of the measure names */
#define TREND_COL 11      /* width of one set */

struct cscreen {
	char mrn[MRN_MAX];
	int kind;
	struct clinical_item *rows;
	size_t n, total;
	char banner[256];
	struct ui_list list;
};

/* ---- reading ------------------------------------------------------------ */

static int cs_load(struct ui *u, struct cscreen *cs)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	smem_wipe(cs->rows, ROWS_MAX * sizeof *cs->rows);
	cs->n = cs->total = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, cs->mrn, clinical_kind_name(cs->kind), NULL, &g, &e);
	if (rc == FOLIO_OK) {
		rc = clinical_list(g, cs->kind, cs->rows, ROWS_MAX, &cs->n, &cs->total, &e);
		if (rc == FOLIO_OK)
			rc = clinical_allergy_banner(g, cs->banner, sizeof cs->banner, NULL, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		cs->n = 0;
		ui_msg(u, 1, "Cannot read the chart: %s", e.msg);
	}
	cs->list.n = (int)cs->n;
	return rc == FOLIO_OK ? 0 : -1;
}

int ui_clinical_summary(struct ui *u, const char *mrn, char *banner, size_t bcap, char *vitals, size_t vcap)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_CHART_VIEW, mrn, "summary", NULL, &g, &e);
	if (rc == FOLIO_OK) {
		rc = clinical_allergy_banner(g, banner, bcap, NULL, &e);
		if (rc == FOLIO_OK && vitals)
			rc = clinical_vitals_latest(g, vitals, vcap, &e);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		str_copy(banner, bcap, "Allergies: cannot be read");
		if (vitals && vcap)
			vitals[0] = '\0';
		ui_msg(u, 1, "Cannot read the chart: %s", e.msg);
		return -1;
	}
	return 0;
}

void ui_clinical_banner_draw(struct ui *u, int row, const char *banner)
{
	/* Allergies, and a chart nobody has asked about, stand out. */
	int loud = strncmp(banner, "No known", 8) != 0;

	ui_put(row, 2, COLS - 4, banner, loud ? ui_attr(u, UI_A_ERROR) : (int)A_BOLD);
}

/* ---- drawing -------------------------------------------------------------- */

/* "2026-11-24T09:30" -> "2026-11-24 09:30" (at most cap-1). */
static void when_text(const char *t, char *out, size_t cap)
{
	str_copy(out, cap, t);
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
	if (strlen(out) > 16)
		out[16] = '\0';
}

/* The section's keys from the op table: "R Resolve  I Inactive ...";
 * in parentheses when the role may not enter clinical data. */
static void action_bar(struct ui *u, const struct cscreen *cs)
{
	int may = access_may(u->s, ACT_CLINICAL_ENTER);
	char bar[256];
	size_t o = 0;

	o += (size_t)snprintf(bar, sizeof bar, may ? "A Add" : "(A Add)");
	if (cs->kind == CLIN_ALLERGY)
		o += (size_t)snprintf(bar + o, sizeof bar - o, may ? "  N NKA" : "  (N NKA)");
	for (size_t i = 0; i < clinical_op_count() && o < sizeof bar; i++) {
		const struct clinical_op *op = clinical_op_at(i);
		if (op->kind == cs->kind)
			o += (size_t)snprintf(bar + o, sizeof bar - o, may ? "  %c %s" : "  (%c %s)", op->key,
					      op->label);
	}
	if (o < sizeof bar)
		snprintf(bar + o, sizeof bar - o, "  Enter View  F5  ?  Esc");
	ui_put(ui_action_row(), 1, COLS - 2, bar, A_NORMAL);
}

/* 1 when the item is in its kind's first status (an active problem, a new
 * result, a completed procedure): shown plain, the rest dimmed. */
static int status_current(const struct clinical_item *it)
{
	const char *all = clinical_kind_statuses(it->kind);
	size_t n = strcspn(all, "|");

	return strlen(it->status) == n && !strncmp(it->status, all, n);
}

/* A status in at most 9 columns. */
static const char *status_text(const char *status)
{
	if (!strcmp(status, "entered-in-error"))
		return "in error";
	if (!strcmp(status, "superseded"))
		return "replaced";
	return status;
}

static void select_row(struct ui *u, int row, int on)
{
	if (on) {
		int a = ui_attr(u, UI_A_SELECT);
		attron((attr_t)a);
		mvhline(row, 0, ' ', COLS);
		attroff((attr_t)a);
	}
}

static int list_page(void)
{
	return ui_body_end() - CL_TOP + 1;
}

/* The width of the first shown column (the item's name): narrowed, but not
 * under LEAD_MIN, when the columns would run past the screen, so that a
 * short last column (a procedure's date) is not cut. */
#define LEAD_MIN 20
static int lead_width(int kind, int *lead)
{
	int end = CL_FIELDS, w0 = 0, w;

	*lead = -1;
	for (size_t i = 0; i < clinical_field_count(kind); i++) {
		const struct clinical_field *f = clinical_field(kind, i);
		if (f->width <= 0)
			continue;
		if (*lead < 0) {
			*lead = (int)i;
			w0 = f->width;
		}
		end += f->width + 1;
	}
	w = w0 - (end - COLS);
	return w >= w0 ? w0 : w >= LEAD_MIN ? w : w0 < LEAD_MIN ? w0 : LEAD_MIN;
}

static void draw_list(struct ui *u, struct cscreen *cs)
{
	int t = ui_attr(u, UI_A_TITLE), page = list_page(), col = CL_FIELDS, lead;
	int lw = lead_width(cs->kind, &lead);
	char line[CLIN_VALUE_MAX + 24];

	ui_list_fit(&cs->list, page);
	ui_put(CL_TOP - 1, 1, 4, "  #", t);
	ui_put(CL_TOP - 1, 6, 10, "Entered", t);
	ui_put(CL_TOP - 1, 17, 9, "Status", t);
	for (size_t i = 0; i < clinical_field_count(cs->kind) && col < COLS - 2; i++) {
		const struct clinical_field *f = clinical_field(cs->kind, i);
		int fw = (int)i == lead ? lw : f->width;
		if (f->width <= 0)
			continue;
		ui_put(CL_TOP - 1, col, fw < COLS - 1 - col ? fw : COLS - 1 - col, f->label, t);
		col += fw + 1;
	}
	for (int r = cs->list.top; r < (int)cs->n && r < cs->list.top + page; r++) {
		const struct clinical_item *it = &cs->rows[r];
		int row = CL_TOP + r - cs->list.top, sel = r == cs->list.sel;
		int a = sel ? ui_attr(u, UI_A_SELECT) : status_current(it) ? (int)A_NORMAL : ui_attr(u, UI_A_DIM);

		select_row(u, row, sel);
		snprintf(line, sizeof line, "%3d", r + 1);
		ui_put(row, 1, 4, line, a);
		ui_put(row, 6, 10, it->recorded_at, a);
		ui_put(row, 17, 9, status_text(it->status), a);
		if (it->kind != cs->kind) { /* the NKA assertion among allergies */
			snprintf(line, sizeof line, "NO KNOWN ALLERGIES (by %s)", it->recorded_by);
			ui_put(row, CL_FIELDS, COLS - CL_FIELDS - 1, line, a);
			continue;
		}
		col = CL_FIELDS;
		for (size_t i = 0; i < clinical_field_count(cs->kind) && col < COLS - 2; i++) {
			const struct clinical_field *f = clinical_field(cs->kind, i);
			int fw = (int)i == lead ? lw : f->width, w = fw < COLS - 1 - col ? fw : COLS - 1 - col;
			if (f->width <= 0)
				continue;
			ui_put(row, col, w, it->v[i], a);
			col += fw + 1;
		}
	}
	if (cs->n == 0)
		ui_put(CL_TOP, 2, COLS - 4, "Nothing recorded.", A_NORMAL);
	smem_wipe(line, sizeof line);
}

/* Vitals: measures down, the sets across (newest on the left). */
static void draw_trend(struct ui *u, struct cscreen *cs)
{
	int t = ui_attr(u, UI_A_TITLE), row;
	char cell[CLIN_VALUE_MAX], label[40];

	ui_list_fit(&cs->list, TREND_SETS);
	ui_put(CL_TOP - 2, 1, TREND_LABEL, "Taken (UTC)", t);
	ui_put(CL_TOP - 1, 1, TREND_LABEL, "", t);
	for (int s = 0; s < TREND_SETS && cs->list.top + s < (int)cs->n; s++) {
		const struct clinical_item *it = &cs->rows[cs->list.top + s];
		int col = 1 + TREND_LABEL + s * TREND_COL;
		int a = cs->list.top + s == cs->list.sel ? ui_attr(u, UI_A_SELECT) : t;

		snprintf(cell, sizeof cell, "%.10s", it->v[VF_TAKEN]);
		ui_put(CL_TOP - 2, col, TREND_COL - 1, cell, a);
		snprintf(cell, sizeof cell, "%.5s%s", strlen(it->v[VF_TAKEN]) > 11 ? it->v[VF_TAKEN] + 11 : "",
			 strcmp(it->status, "recorded") ? " ERR" : "");
		ui_put(CL_TOP - 1, col, TREND_COL - 1, cell, a);
	}
	row = CL_TOP;
	for (size_t i = 0; i < clinical_field_count(CLIN_VITALS) && row <= ui_body_end(); i++) {
		const struct clinical_field *f = clinical_field(CLIN_VITALS, i);
		for (int alt = 0; alt < (f->alt ? 2 : 1) && i != VF_TAKEN && row <= ui_body_end(); alt++, row++) {
			snprintf(label, sizeof label, "%s %s", f->label, alt ? f->alt_unit : f->unit);
			ui_put(row, 1, TREND_LABEL, label, alt ? ui_attr(u, UI_A_DIM) : (int)A_BOLD);
			for (int s = 0; s < TREND_SETS && cs->list.top + s < (int)cs->n; s++) {
				const struct clinical_item *it = &cs->rows[cs->list.top + s];
				int err = strcmp(it->status, "recorded") != 0;
				if (alt)
					f->alt(it->v[i], cell, sizeof cell);
				else
					str_copy(cell, sizeof cell, it->v[i]);
				ui_put(row, 1 + TREND_LABEL + s * TREND_COL, TREND_COL - 1, cell[0] ? cell : "-",
				       err || alt ? ui_attr(u, UI_A_DIM) : (int)A_NORMAL);
			}
		}
	}
	if (cs->n == 0)
		ui_put(CL_TOP, 1 + TREND_LABEL, COLS - TREND_LABEL - 2, "No vitals recorded.", A_NORMAL);
	smem_wipe(cell, sizeof cell);
}

static void cs_draw(struct ui *u, void *ctx)
{
	struct cscreen *cs = ctx;
	char title[64], line[96];

	snprintf(title, sizeof title, "%s: MRN %s", clinical_kind_title(cs->kind), cs->mrn);
	ui_frame(u, title, NULL);
	ui_clinical_banner_draw(u, 2, cs->banner);
	if (cs->kind == CLIN_VITALS) {
		snprintf(line, sizeof line, "%zu set%s; <- -> move, the highlighted one is set %d", cs->n,
			 cs->n == 1 ? "" : "s", cs->n ? cs->list.sel + 1 : 0);
		ui_put(ui_body_end(), 2, COLS - 4, line, ui_attr(u, UI_A_DIM));
		draw_trend(u, cs);
	} else {
		draw_list(u, cs);
	}
	action_bar(u, cs);
}

/* ---- adding ---------------------------------------------------------------- */

/* The form's line for field i of it as stored: "Weight: 69.9 kg (154.1 lb)". */
static void answer_line(const struct clinical_item *it, size_t i, char *out, size_t cap)
{
	const struct clinical_field *f = clinical_field(it->kind, i);
	char alt[32] = "";

	if (f->alt && it->v[i][0])
		f->alt(it->v[i], alt, sizeof alt);
	snprintf(out, cap, "%s: %s%s%s%s%s%s", f->label, it->v[i][0] ? it->v[i] : "-",
		 it->v[i][0] && f->unit[0] ? " " : "", it->v[i][0] ? f->unit : "", alt[0] ? " (" : "", alt,
		 alt[0] ? " " : "");
	if (alt[0])
		snprintf(out + strlen(out), cap - strlen(out), "%s)", f->alt_unit);
}

/* Asks field i until it is accepted (UI_OK), or the user backs out. */
static int ask_one(struct ui *u, struct ui_form *fm, struct clinical_item *it, size_t i, char *ans)
{
	const struct clinical_field *f = clinical_field(it->kind, i);
	char help[512];
	struct ui_field fld;
	struct folio_err e;
	int r;

	snprintf(help, sizeof help, "%s: %s\nAt most %zu characters. %s\nEsc or ^ goes back to the question before.",
		 f->label, f->help, f->max,
		 (f->flags & CF_REQUIRED) ? "Required." : "Optional: Enter leaves it empty.");
	for (;;) {
		memset(&fld, 0, sizeof fld);
		smem_wipe(ans, CLIN_VALUE_MAX);
		fld.label = f->label;
		fld.def = f->def;
		fld.help = help;
		fld.buf = ans;
		fld.cap = CLIN_VALUE_MAX;
		r = ui_form_field(u, fm, &fld);
		if (r != UI_OK)
			return r;
		err_clear(&e);
		if ((f->flags & CF_REQUIRED) && !ans[0])
			ui_msg(u, 1, "%s is required (? for help).", f->label);
		else if (clinical_set(it, i, ans, &e) != FOLIO_OK)
			ui_msg(u, 1, "%s", e.msg);
		else {
			/* show the value as it will be kept, in both units */
			answer_line(it, i, fm->line[fm->n - 1], sizeof fm->line[0]);
			ui_msg_clear(u);
			return UI_OK;
		}
		ui_form_drop(fm, 1);
	}
}

/* The questions of the typed fields on form fm, then the checks across
 * fields (on a copy in done: a refusal asks the last question again with
 * every answer kept).  UI_OK with done complete, UI_BACK, UI_ABORT. */
static int add_form(struct ui *u, struct ui_form *fm, struct clinical_item *it, struct clinical_item *done,
		    char *ans)
{
	size_t idx[CLIN_FIELDS_MAX], n = 0;
	struct folio_err e;
	int step = 0, r = UI_OK;

	for (size_t i = 0; i < clinical_field_count(it->kind); i++)
		if (clinical_field(it->kind, i)->flags & CF_INPUT)
			idx[n++] = i;
	while (step >= 0) {
		if ((size_t)step == n) {
			memcpy(done, it, sizeof *done);
			err_clear(&e);
			if (clinical_complete(done, &e) == FOLIO_OK)
				return UI_OK;
			ui_msg(u, 1, "%s", e.msg);
			ui_form_drop(fm, 1);
			step--;
		}
		r = ask_one(u, fm, it, idx[step], ans);
		if (r == UI_ABORT)
			return r;
		if (r == UI_BACK) {
			it->v[idx[step]][0] = '\0';
			ui_form_drop(fm, 1);
			step--;
			continue;
		}
		step++;
	}
	return UI_BACK;
}

static void cs_add(struct ui *u, struct cscreen *cs)
{
	struct clinical_item *it = clinical_items_new(2);
	char *ans = smem_alloc(CLIN_VALUE_MAX), title[64], warn[12][120], text[12 * 122];
	struct ui_form fm;
	struct folio_err e;
	struct grant *g = NULL;
	int r, rc, nw = 0, save;

	if (!it || !ans) {
		ui_msg(u, 1, "Out of secure memory.");
		goto out;
	}
	clinical_item_init(&it[0], cs->kind);
	snprintf(title, sizeof title, "Add to %s: MRN %s", clinical_kind_title(cs->kind), cs->mrn);
	ui_form_open(u, &fm, title, "? shows help on a question; Esc goes back a question.");
	r = add_form(u, &fm, &it[0], &it[1], ans);
	save = r == UI_OK;
	if (save) {
		nw = clinical_warnings(&it[1], warn, 12);
		text[0] = '\0';
		for (int i = 0; i < nw; i++)
			snprintf(text + strlen(text), sizeof text - strlen(text), "%s\n", warn[i]);
		if (nw)
			ui_popup(u, "Unusual values: check them", text);
		save = ui_confirm(u, nw ? "Save with these values?" : "Save?", 1);
	}
	ui_form_close(u, &fm);
	if (!save) {
		if (!u->ending)
			ui_msg(u, 0, "Nothing added.");
		goto out;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_CLINICAL_ENTER, cs->mrn, "item", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, clinical_add(g, &it[1], &e), &e);
	if (rc == FOLIO_OK && cs_load(u, cs) == 0)
		ui_msg(u, 0, "Added (item %" PRId64 ")%s.", it[1].id, nw ? " with warnings" : "");
	else if (rc != FOLIO_OK)
		ui_msg(u, 1, "Not added: %s", e.msg);
out:
	clinical_items_free(it, 2);
	smem_free(ans);
}

/* ---- changes ------------------------------------------------------------------ */

/* Runs the change of key k on the highlighted item; 1 when k was one. */
static int cs_change(struct ui *u, struct cscreen *cs, int k)
{
	const struct clinical_item *sel = cs->n ? &cs->rows[cs->list.sel] : NULL;
	const struct clinical_op *op = NULL;
	struct folio_err e;
	struct grant *g = NULL;
	char q[CLIN_VALUE_MAX + 64], line[CLIN_VALUE_MAX], oid[24];
	int rc;

	for (size_t i = 0; i < clinical_op_count() && !op; i++) {
		const struct clinical_op *o = clinical_op_at(i);
		if (o->key == toupper(k) && (o->kind == cs->kind || (sel && o->kind == sel->kind)))
			op = o;
	}
	if (!op)
		return 0;
	if (!ui_may(u, ACT_CLINICAL_ENTER))
		return 1;
	if (!sel) {
		ui_msg(u, 1, "Nothing to %s.", op->verb);
		return 1;
	}
	if (!(op = clinical_op_find(sel->kind, op->verb)) || op->key != toupper(k)) {
		ui_msg(u, 1, "That change does not apply to this item.");
		return 1;
	}
	/* the first field names the item: the problem, the drug, the test,
	 * the allergen, the time the vitals were taken */
	if (sel->kind == CLIN_NKA)
		str_copy(line, sizeof line, "no known allergies");
	else if (sel->kind == CLIN_VITALS)
		when_text(sel->v[0], line, sizeof line);
	else
		str_copy(line, sizeof line, sel->v[0]);
	snprintf(q, sizeof q, "%s: %.40s?", op->label, line);
	smem_wipe(line, sizeof line);
	if (!ui_confirm(u, q, 0)) {
		smem_wipe(q, sizeof q);
		return 1;
	}
	smem_wipe(q, sizeof q);
	snprintf(oid, sizeof oid, "%" PRId64, sel->id);
	err_clear(&e);
	rc = access_begin(u->s, ACT_CLINICAL_ENTER, cs->mrn, "item", oid, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, clinical_apply(g, cs->kind, op->verb, sel->id, sel->row_version, NULL, &e), &e);
	if (rc == FOLIO_OK) {
		cs_load(u, cs);
		ui_msg(u, 0, "Item %s: %s.", oid, op->to);
	} else if (rc == FOLIO_ESTALE) {
		/* what the other user saved is read in; the user redoes theirs */
		cs_load(u, cs);
		ui_msg(u, 1, "Someone else changed it first; nothing saved. Read again: redo your change.");
	} else {
		ui_msg(u, 1, "Not changed: %s", e.msg);
	}
	return 1;
}

static void cs_nka(struct ui *u, struct cscreen *cs)
{
	struct folio_err e;
	struct grant *g = NULL;
	int64_t id = 0;
	int rc;

	if (!ui_may(u, ACT_CLINICAL_ENTER) || !ui_confirm(u, "Record NO KNOWN ALLERGIES (asked and assessed)?", 0))
		return;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CLINICAL_ENTER, cs->mrn, "item", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, clinical_nka(g, &id, &e), &e);
	if (rc == FOLIO_OK && cs_load(u, cs) == 0)
		ui_msg(u, 0, "No known allergies recorded (item %" PRId64 ").", id);
	else if (rc != FOLIO_OK)
		ui_msg(u, 1, "Not recorded: %s", e.msg);
}

/* The whole item in a popup. */
static void cs_view(struct ui *u, const struct cscreen *cs)
{
	const struct clinical_item *it = &cs->rows[cs->list.sel];
	char text[2048], line[CLIN_VALUE_MAX + 64], when[20];
	size_t o;

	when_text(it->recorded_at, when, sizeof when);
	o = (size_t)snprintf(text, sizeof text, "Item %" PRId64 ", %s, version %" PRId64 "\nEntered %s UTC by %s\n",
			     it->id, it->status, it->row_version, when, it->recorded_by);
	if (it->encounter_id > 0 && o < sizeof text)
		o += (size_t)snprintf(text + o, sizeof text - o, "Encounter %" PRId64 "\n", it->encounter_id);
	if (it->kind == CLIN_NKA && o < sizeof text)
		o += (size_t)snprintf(text + o, sizeof text - o, "\nNo known allergies (asserted).\n");
	for (size_t i = 0; i < clinical_field_count(it->kind) && o < sizeof text; i++) {
		answer_line(it, i, line, sizeof line);
		o += (size_t)snprintf(text + o, sizeof text - o, "%s%s\n", i ? "" : "\n", line);
	}
	ui_popup(u, clinical_kind_title(it->kind), text);
	smem_wipe(text, sizeof text);
	smem_wipe(line, sizeof line);
}

static const char section_help[] =
	"Up/Down (Left/Right on vitals) move; PgUp/PgDn or - and + move a page;\n"
	"a number picks a row.\n"
	"  A      add (a form, each answer checked; ? helps on every question)\n"
	"  Enter  the whole item\n"
	"  the other letters of the action bar change the highlighted item:\n"
	"         R resolve, I inactive, S stop, C complete, V review,\n"
	"         E entered in error, N no known allergies\n"
	"  F5     read the section again\n"
	"A change is refused when someone else changed the item since it was\n"
	"read: the list is read again, and you redo yours.\n"
	"Actions in parentheses are not open to your role.\n"
	"Esc or ^ goes back; q signs out and leaves folio.";

void ui_clinical_run(struct ui *u, const char *mrn, int kind)
{
	struct cscreen cs;
	struct ui_view v;

	if (kind < 0 || kind >= CLIN_SECTIONS)
		return;
	memset(&cs, 0, sizeof cs);
	str_copy(cs.mrn, sizeof cs.mrn, mrn);
	cs.kind = kind;
	if (!(cs.rows = clinical_items_new(ROWS_MAX))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (cs_load(u, &cs) != 0) {
		clinical_items_free(cs.rows, ROWS_MAX);
		return;
	}
	ui_view_push(u, &v, cs_draw, &cs, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), page = kind == CLIN_VITALS ? TREND_SETS : list_page();

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q')
			ui_end(u, UI_END_QUIT);
		else if (ui_key_is_help(k))
			ui_popup(u, clinical_kind_title(kind), section_help);
		else if (k == 'a' || k == 'A') {
			if (ui_may(u, ACT_CLINICAL_ENTER))
				cs_add(u, &cs);
		} else if ((k == 'n' || k == 'N') && kind == CLIN_ALLERGY)
			cs_nka(u, &cs);
		else if (ui_key_is_enter(k) && cs.n > 0)
			cs_view(u, &cs);
		else if (k == UI_FKEY(KEY_F(5)))
			cs_load(u, &cs);
		else if (k == UI_FKEY(KEY_LEFT))
			ui_list_key(&cs.list, UI_FKEY(KEY_UP), page);
		else if (k == UI_FKEY(KEY_RIGHT))
			ui_list_key(&cs.list, UI_FKEY(KEY_DOWN), page);
		else if (!ui_list_key(&cs.list, k, page) && k < 0x80 && isalpha(k))
			cs_change(u, &cs, k);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	clinical_items_free(cs.rows, ROWS_MAX);
	smem_wipe(&cs, sizeof cs);
	ui_redraw(u);
}
