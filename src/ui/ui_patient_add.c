/* folio — "Register a patient": the demographics form, the consistency
 * warnings (patient_check), the likely duplicates (patient_duplicates) as a
 * numbered list with "Register anyway? No//", then the new MRN.
 *
 * No write transaction waits on the user: the duplicate check and the
 * registration are one grant when nothing is found; when something is, the
 * check's grant ends before the question and the registration gets its own.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define DUP_MAX 50
#define WARN_MAX 12
#define REVIEW_TOP 3

struct review {
	const char *title;
	const struct patient *p;
	const struct patient_hit *dups;
	size_t ndups;
	struct ui_list list;
};

static void review_draw(struct ui *u, void *ctx)
{
	struct review *rv = ctx;

	ui_frame(u, rv->title, "? help  Esc back");
	if (rv->ndups == 0) {
		ui_put(2, 2, COLS - 4, "The new patient:", ui_attr(u, UI_A_DIM));
		ui_patient_draw_fields(u, rv->p, REVIEW_TOP, -1);
		return;
	}
	{
		int page = ui_body_end() - 5 + 1;
		char line[96];

		ui_list_fit(&rv->list, page);
		snprintf(line, sizeof line, "%zu likely existing patient%s (same birth date and a similar name,",
			 rv->ndups, rv->ndups == 1 ? "" : "s");
		ui_put(2, 2, COLS - 4, line, ui_attr(u, UI_A_ERROR));
		ui_put(3, 2, COLS - 4, "or the same phone). Check them before making a new chart:",
		       ui_attr(u, UI_A_ERROR));
		ui_patient_hit_header(u, 4);
		for (int i = rv->list.top; i < (int)rv->ndups && i < rv->list.top + page; i++)
			ui_patient_hit_draw(u, 5 + i - rv->list.top, i + 1, &rv->dups[i], A_NORMAL);
	}
}

/* The duplicate check, and the registration in the same grant when it finds
 * nothing.  Returns the status; *registered tells which happened. */
static int check_and_register(struct ui *u, struct patient *p, struct patient_hit *dups, size_t *n,
			      int *registered, struct folio_err *e)
{
	struct grant *g = NULL;
	int rc;

	*registered = 0;
	*n = 0;
	rc = access_begin(u->s, ACT_PATIENT_ADD, NULL, "patient", NULL, &g, e);
	if (rc != FOLIO_OK)
		return rc;
	rc = patient_duplicates(g, p, dups, DUP_MAX, n, e);
	if (rc == FOLIO_OK && *n == 0) {
		rc = patient_register(g, p, e);
		*registered = rc == FOLIO_OK;
	}
	return ui_grant_end(g, rc, e);
}

static int register_only(struct ui *u, struct patient *p, struct folio_err *e)
{
	struct grant *g = NULL;
	int rc = access_begin(u->s, ACT_PATIENT_ADD, NULL, "patient", NULL, &g, e);

	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_register(g, p, e), e);
	return rc;
}

static void show_warnings(struct ui *u, const struct patient *p)
{
	char warn[WARN_MAX][120], text[WARN_MAX * 124 + 80];
	int nw = patient_check(p, warn, WARN_MAX);
	size_t off;

	if (nw <= 0)
		return;
	off = (size_t)snprintf(text, sizeof text, "Please check before saving:\n");
	for (int i = 0; i < nw && off < sizeof text; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, "\n  - %s", warn[i]);
	ui_popup(u, "Warnings", text);
}

static void registered_msg(struct ui *u, const struct patient *p)
{
	char text[256];

	snprintf(text, sizeof text, "Registered. The new MRN is\n\n    %s\n\n"
				    "Write it on the chart folder.", p->mrn);
	ui_msg(u, 0, "Registered: MRN %s.", p->mrn);
	ui_popup(u, "Patient registered", text);
}

void ui_patient_register_run(struct ui *u)
{
	struct review rv;
	struct ui_view v;
	struct patient *p = patient_new();
	struct patient_hit *dups = patient_hits_new(DUP_MAX);
	struct folio_err e;
	size_t n = 0;
	int changed = 0, registered = 0, rc, r;

	memset(&rv, 0, sizeof rv);
	if (!p || !dups) {
		ui_msg(u, 1, "Out of secure memory.");
		goto out;
	}
	r = ui_patient_form(u, "Register a patient",
			    "One field at a time: Enter skips, ^ or Esc stops (then save or not).", p,
			    &changed);
	if (r != UI_OK || !p->v[PF_LAST][0]) {
		if (r != UI_ABORT)
			ui_msg(u, 0, "Nothing registered.");
		goto out;
	}
	rv.title = "Register a patient";
	rv.p = p;
	rv.dups = dups;
	ui_view_push(u, &v, review_draw, &rv, 1);
	ui_redraw(u);
	show_warnings(u, p);
	if (!ui_confirm(u, "Register this patient?", 1)) {
		if (!u->ending)
			ui_msg(u, 0, "Nothing registered.");
		goto pop;
	}
	err_clear(&e);
	rc = check_and_register(u, p, dups, &n, &registered, &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not registered: %s", e.msg);
		goto pop;
	}
	if (!registered) {
		rv.ndups = n;
		rv.list.n = (int)n;
		ui_redraw(u);
		if (!ui_confirm(u, "Register anyway?", 0)) {
			if (!u->ending)
				ui_msg(u, 0, "Nothing registered: find the existing chart instead.");
			goto pop;
		}
		err_clear(&e);
		rc = register_only(u, p, &e);
		if (rc != FOLIO_OK) {
			ui_msg(u, 1, "Not registered: %s", e.msg);
			goto pop;
		}
		registered = 1;
	}
	rv.ndups = 0;
	registered_msg(u, p);
pop:
	ui_view_pop(u, &v);
	ui_redraw(u);
out:
	patient_hits_free(dups, DUP_MAX);
	patient_free(p);
}
