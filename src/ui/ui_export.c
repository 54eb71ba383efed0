/* folio — exports from the interface: chart key X writes the chart as a
 * FHIR R4 Bundle to a file (src/core/export_fhir.c), for the records
 * department itself or, recorded in the disclosure ledger, to a person or
 * agency; and the menu item "Research extract (de-identified)" writes the
 * Safe Harbor extract of every chart (src/core/export_deid.c) into a
 * directory.  Both run under one ACT_EXPORT_RUN grant (technician,
 * supervisor), the same as `folio export fhir|deid`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "folio/deid.h"
#include "folio/disclosure.h"
#include "folio/fhir.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define PATH_CAP 1024

static const char format_help[] =
	"The format of the export.  FHIR: one FHIR R4 Bundle (JSON) of the\n"
	"chart: the patient, encounters, diagnoses and problems, vitals and\n"
	"results, allergies, medications and the signed documents.";
static const char file_help[] =
	"Where to write the bundle: a file name (relative to the directory\n"
	"folio was started in) or a full path.  It is written readable by you\n"
	"only, and appears only when the whole bundle is written.";
static const char to_help[] =
	"Y when the file goes to a person or agency outside the records\n"
	"department: the disclosure is then recorded in the patient's ledger\n"
	"(recipient, kind, purpose).  N for an internal export.";
static const char recipient_help[] = "Who receives it: a person, practice or agency.";
static const char purpose_help[] = "Why it is disclosed, in a few words: \"continuing care\", \"cancer registry\".";
static const char address_help[] = "The recipient's address (optional).";

struct fx_form {
	char format[16], file[PATH_CAP], to[4];
	char kind[32];
	struct disclosure *d;  /* guarded: recipient, purpose, address */
};

/* The disclosure kinds, numbered, in two columns. */
static void kind_help(char *out, size_t cap)
{
	size_t half = (DK_COUNT + 1) / 2, at = 0;

	at += (size_t)snprintf(out, cap, "The legal basis: a number or a name.\n");
	for (size_t i = 0; i < half && at < cap; i++) {
		char left[40];
		snprintf(left, sizeof left, "%2zu %s", i + 1, disclosure_kind_name((enum disclosure_kind)i));
		if (i + half < DK_COUNT)
			at += (size_t)snprintf(out + at, cap - at, "%-26s%2zu %s\n", left, i + half + 1,
					       disclosure_kind_name((enum disclosure_kind)(i + half)));
		else
			at += (size_t)snprintf(out + at, cap - at, "%s\n", left);
	}
	if (at < cap)
		snprintf(out + at, cap - at, "The first ten are left out of an accounting (45 CFR 164.528).");
}

/* A kind typed as its number or name; -1 when neither. */
static int kind_pick(const char *typed)
{
	char *end;
	long n = strtol(typed, &end, 10);

	if (typed[0] && !*end)
		return n >= 1 && n <= DK_COUNT ? (int)n - 1 : -1;
	return disclosure_kind_parse(typed);
}

enum { Q_FORMAT, Q_FILE, Q_TO, Q_RECIPIENT, Q_KIND, Q_PURPOSE, Q_ADDRESS, Q_DONE };

/* The field of question q. */
static void question(struct fx_form *x, int q, struct ui_field *f, char *khelp)
{
	memset(f, 0, sizeof *f);
	switch (q) {
	case Q_FORMAT: *f = (struct ui_field){ "Format", format_help, "FHIR", x->format, sizeof x->format }; break;
	case Q_FILE: *f = (struct ui_field){ "File", file_help, NULL, x->file, sizeof x->file }; break;
	case Q_TO: *f = (struct ui_field){ "To a person or agency", to_help, "NO", x->to, sizeof x->to }; break;
	case Q_RECIPIENT:
		*f = (struct ui_field){ "Recipient", recipient_help, NULL, x->d->recipient, sizeof x->d->recipient };
		break;
	case Q_KIND: *f = (struct ui_field){ "Kind of disclosure", khelp, NULL, x->kind, sizeof x->kind }; break;
	case Q_PURPOSE: *f = (struct ui_field){ "Purpose", purpose_help, NULL, x->d->purpose, sizeof x->d->purpose }; break;
	default: *f = (struct ui_field){ "Address", address_help, NULL, x->d->address, sizeof x->d->address }; break;
	}
	f->buf[0] = '\0';
}

/* Checks the answer to q; the next question, or q again with a message. */
static int answer(struct ui *u, struct fx_form *x, int q)
{
	switch (q) {
	case Q_FORMAT:
		if (strcasecmp(x->format, "FHIR") != 0) {
			ui_msg(u, 1, "FHIR is the only format: a FHIR R4 Bundle.");
			return q;
		}
		return Q_FILE;
	case Q_FILE:
		if (!x->file[0]) {
			ui_msg(u, 1, "Which file? ? shows help.");
			return q;
		}
		return Q_TO;
	case Q_TO:
		if (strchr("YyNn", x->to[0]) == NULL || !x->to[0]) {
			ui_msg(u, 1, "Y or N.");
			return q;
		}
		return x->to[0] == 'Y' || x->to[0] == 'y' ? Q_RECIPIENT : Q_DONE;
	case Q_RECIPIENT:
		if (!x->d->recipient[0]) {
			ui_msg(u, 1, "A disclosure names its recipient.");
			return q;
		}
		return Q_KIND;
	case Q_KIND: {
		int k = kind_pick(x->kind);
		if (k < 0) {
			ui_msg(u, 1, "Not a kind of disclosure: ? lists them.");
			return q;
		}
		x->d->kind = (enum disclosure_kind)k;
		str_copy(x->kind, sizeof x->kind, disclosure_kind_name((enum disclosure_kind)k));
		return Q_PURPOSE;
	}
	case Q_PURPOSE:
		if (!x->d->purpose[0]) {
			ui_msg(u, 1, "A disclosure says its purpose.");
			return q;
		}
		return Q_ADDRESS;
	default:
		return Q_DONE;
	}
}

/* Writes the bundle; the message line says where and how much. */
static void fhir_write(struct ui *u, const char *mrn, struct fx_form *x, int to)
{
	struct fhir_export o = { .out = x->file, .to = to ? x->d : NULL };
	struct fhir_counts c;
	struct folio_err e;
	struct grant *g = NULL;
	char what[DISC_WHAT_MAX + 1];
	int rc;

	if (access(x->file, F_OK) == 0) {
		if (!ui_confirm(u, "That file exists.  Replace it?", 0)) {
			ui_msg(u, 0, "Not exported.");
			return;
		}
		o.force = 1;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_EXPORT_RUN, mrn, "export", "fhir", &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, export_fhir_run(g, &o, &c, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not exported: %s", e.msg);
		return;
	}
	fhir_counts_text(&c, what, sizeof what);
	ui_msg(u, 0, "Wrote %d resources to %s%s%s", c.total, x->file,
	       c.disclosure_id ? "; disclosure recorded" : "",
	       c.sensitive_left_out ? "; sensitive notes left out" : "");
	ui_popup(u, "Export", what);
}

void ui_export_chart(struct ui *u, const char *mrn)
{
	struct fx_form *x = smem_alloc(sizeof *x);
	struct ui_form fm;
	struct ui_field f;
	char title[64], khelp[1400];
	int q = Q_FORMAT, prev[Q_DONE + 1], np = 0;

	if (!ui_may(u, ACT_EXPORT_RUN))
		goto out;
	if (!x || !(x->d = smem_alloc(sizeof *x->d))) {
		ui_msg(u, 1, "Out of secure memory.");
		goto out;
	}
	kind_help(khelp, sizeof khelp);
	snprintf(title, sizeof title, "Export: MRN %s", mrn);
	ui_form_open(u, &fm, title, "? shows help on a question; Esc goes back a question.");
	while (q != Q_DONE) {
		question(x, q, &f, khelp);
		int r = ui_form_field(u, &fm, &f);
		if (r == UI_ABORT)
			break;
		if (r == UI_BACK) {
			if (!np)
				break;
			ui_form_drop(&fm, 1);
			q = prev[--np];
			continue;
		}
		int next = answer(u, x, q);
		if (next == q) {
			ui_form_drop(&fm, 1);
			continue;
		}
		/* the form shows the answer as taken ("11" is "public-health") */
		snprintf(fm.line[fm.n - 1], sizeof fm.line[0], "%s: %s", f.label, f.buf);
		ui_msg_clear(u);
		prev[np++] = q;
		q = next;
	}
	if (q == Q_DONE && ui_confirm(u, "Write the bundle?", 1))
		fhir_write(u, mrn, x, x->to[0] == 'Y' || x->to[0] == 'y');
	else if (!u->ending)
		ui_msg(u, 0, "Not exported.");
	ui_form_close(u, &fm);
out:
	if (x)
		smem_free(x->d);
	smem_free(x);
}

void ui_export_deid_run(struct ui *u)
{
	static const char dir_help[] =
		"A new or empty directory for the extract: one CSV file per table\n"
		"and manifest.txt.  Nothing in it identifies a patient (HIPAA Safe\n"
		"Harbor); it covers every chart.";
	struct ui_form fm;
	char dir[PATH_CAP], text[600];
	struct ui_field f = { "Directory", dir_help, NULL, dir, sizeof dir };
	long rows[DEID_FILES];
	struct folio_err e;
	struct grant *g = NULL;
	int r, rc;

	dir[0] = '\0';
	ui_form_open(u, &fm, "Research extract (de-identified)", "Every chart, de-identified.  Esc goes back.");
	while ((r = ui_form_field(u, &fm, &f)) == UI_OK && !dir[0]) {
		ui_form_drop(&fm, 1);
		ui_msg(u, 1, "Which directory? ? shows help.");
	}
	if (r != UI_OK || !ui_confirm(u, "Write the extract?", 1)) {
		if (!u->ending)
			ui_msg(u, 0, "No extract written.");
		ui_form_close(u, &fm);
		return;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_EXPORT_RUN, NULL, "export", "deid", &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, export_deid_run(g, dir, rows, &e), &e);
	ui_form_close(u, &fm);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "No extract written: %s", e.msg);
		return;
	}
	size_t at = (size_t)snprintf(text, sizeof text, "Written to %s\n\n", dir);
	for (int i = 0; i < DEID_FILES && at < sizeof text; i++)
		at += (size_t)snprintf(text + at, sizeof text - at, "%-16s %ld rows\n",
				       deid_file_name((enum deid_file)i), rows[i]);
	ui_msg(u, 0, "De-identified extract written to %s.", dir);
	ui_popup(u, "Research extract", text);
}
