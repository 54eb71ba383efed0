/* folio — the demographics form shared by registration and edits.
 *
 * VistA style: one field at a time on the prompt line, "Label: CURRENT//",
 * Enter keeps the value, @ deletes it, ^ (or Esc) stops asking.  Above the
 * prompt every field shows with its value, the one being asked highlighted.
 * Each answer goes through patient_set(), which checks it; a refused answer
 * shows the reason and the same field is asked again.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define FORM_FIELDS_TOP 3
#define ANSWER_CAP PATIENT_VALUE_MAX

/* The order questions come in: names, birth, sex, then how to reach the
 * patient, then the rest. */
static const int order[] = {
	PF_LAST,      PF_FIRST,    PF_MIDDLE,    PF_SUFFIX,    PF_PREFERRED, PF_DOB,
	PF_SEX,       PF_ADDRESS,  PF_CITY,      PF_STATE,     PF_ZIP,       PF_PHONE,
	PF_MOBILE,    PF_EMAIL,    PF_SSN,       PF_EMERGENCY, PF_EMERGENCY_PHONE,
	PF_INSURER,   PF_MEMBER_ID, PF_LANGUAGE, PF_RACE,      PF_ETHNICITY,
};

struct pform {
	const char *title;
	const char *intro;
	const struct patient *p;
	int cur;
};

static void pform_draw(struct ui *u, void *ctx)
{
	struct pform *pf = ctx;

	ui_frame(u, pf->title, "? help  ^ stop  Esc stop");
	if (pf->intro)
		ui_put(2, 2, COLS - 4, pf->intro, ui_attr(u, UI_A_DIM));
	ui_patient_draw_fields(u, pf->p, FORM_FIELDS_TOP, pf->cur);
}

/* Asks field f; UI_OK after a change or a kept value (*changed counts the
 * changes), UI_BACK for Esc or ^, UI_ABORT on an ending. */
static int ask_field(struct ui *u, struct patient *p, enum patient_field f, char *ans,
		     int *changed)
{
	char help[512], def[PATIENT_VALUE_MAX], day[11];
	const char *fh = patient_field_help(f);
	struct folio_err e;
	int r;

	if (f == PF_SSN)
		ui_patient_ssn_masked(p->v[f], def);
	else
		str_copy(def, sizeof def, p->v[f]);
	snprintf(help, sizeof help,
		 "%s: %s%s(at most %zu characters)\n\n"
		 "Enter keeps the value shown before //; @ deletes it.\n"
		 "^ or Esc stops asking: the fields after this one stay as they are.",
		 patient_field_label(f), fh && *fh ? fh : "", fh && *fh ? "\n" : "",
		 patient_field_max(f));
	for (;;) {
		smem_wipe(ans, ANSWER_CAP);
		r = ui_ask(u, patient_field_label(f), help, def[0] ? def : NULL, ans, ANSWER_CAP);
		if (r != UI_OK)
			break;
		if (def[0] && !strcmp(ans, def))
			break; /* kept */
		if (!strcmp(ans, "@")) {
			if (f == PF_LAST) {
				ui_msg(u, 1, "A patient needs a last name; it cannot be deleted.");
				continue;
			}
			ans[0] = '\0';
		}
		if (f == PF_LAST && !ans[0]) {
			ui_msg(u, 1, "A last name is required (? for help, Esc to stop).");
			continue;
		}
		err_clear(&e);
		/* The date's own message first: patient_set() wraps it in a
		 * copy of itself (overlapping buffers). */
		if (f == PF_DOB && ans[0] && date_parse(ans, date_today(), day, &e) != FOLIO_OK) {
			ui_msg(u, 1, "Date of birth: %s", e.msg[0] ? e.msg : "not a date");
			continue;
		}
		if (patient_set(p, f, ans, &e) == FOLIO_OK) {
			if (strcmp(p->v[f], def) != 0 || (f == PF_SSN && ans[0]))
				(*changed)++;
			break;
		}
		/* patient_set names the field and the rule, at most echoing
		 * what was typed. */
		ui_msg(u, 1, "%s", e.msg[0] ? e.msg : "That value is not accepted.");
	}
	smem_wipe(def, sizeof def);
	smem_wipe(help, sizeof help);
	return r;
}

int ui_patient_form(struct ui *u, const char *title, const char *intro, struct patient *p,
		    int *changed)
{
	struct pform pf = { title, intro, p, -1 };
	struct ui_view v;
	char *ans = smem_alloc(ANSWER_CAP);
	int r = UI_OK;

	*changed = 0;
	if (!ans) {
		ui_msg(u, 1, "Out of secure memory.");
		return UI_BACK;
	}
	ui_view_push(u, &v, pform_draw, &pf, 1);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		pf.cur = order[i];
		ui_redraw(u);
		r = ask_field(u, p, (enum patient_field)order[i], ans, changed);
		if (r == UI_ABORT)
			break;
		if (r == UI_BACK) {
			/* ^ stops the questions; with nothing typed yet it is a
			 * plain back-out. */
			r = (*changed > 0 || p->v[PF_LAST][0]) ? UI_OK : UI_BACK;
			break;
		}
	}
	pf.cur = -1;
	ui_view_pop(u, &v);
	smem_free(ans);
	ui_redraw(u);
	return r;
}
