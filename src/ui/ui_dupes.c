/* folio — "Duplicate charts": the pairs the duplicate scan kept, best score
 * first (S runs the scan again); Enter opens both charts' demographics side
 * by side with the fields that differ highlighted, V verifies the pair as a
 * duplicate, X marks it not a duplicate (asked to confirm), each with an
 * optional note.  Technicians and supervisors (merge.propose).  On a
 * verified pair M asks which chart survives, shows what the merge would
 * move (rows per table, any conflict) and, once confirmed, merges the
 * charts (supervisors: merge.approve; the others see "(M merge)").  G lists
 * the merges done (ui_merges.c), where a supervisor undoes one.
 *
 * The list holds MRNs, scores and field names only; the side-by-side
 * view's decrypted values live in one guarded block, wiped when it closes.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/dupes.h"
#include "folio/merge.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define DUPES_MAX 1000
#define DL_TOP 4

static const char dupes_help[] =
	"Pairs of charts that may be one person, found by the duplicate scan\n"
	"(folio dup scan), best score first. The reasons name the fields that\n"
	"agree (=), nearly agree (~) or differ (!); never their values.\n"
	"  Enter  both charts side by side, to verify or reject the pair\n"
	"  A      every pair, or only those waiting for a decision\n"
	"  S      scan the whole index again (new pairs join the list;\n"
	"         pairs a person decided are left as they are)\n"
	"  G      the merges done, newest first (a supervisor undoes one)\n"
	"  F5     read the list again\n"
	"Esc or ^ goes back to the menu; q signs out and leaves folio.";

static const char review_help[] =
	"The two charts' demographics side by side. Fields that differ are\n"
	"highlighted; ~ nearly the same (a typo, day and month swapped).\n"
	"  V  verified: these charts are the same person (a duplicate)\n"
	"  X  verified: not the same person (asked to confirm)\n"
	"Both ask for an optional note, kept encrypted.\n"
	"  M  on a verified pair: which chart survives (A, the older, unless\n"
	"     you say B), what the merge would move (rows per table) and, once\n"
	"     confirmed, the merge (supervisors; it is audited and can be\n"
	"     undone: G on the list of pairs).\n"
	"Esc goes back to the list.";

struct dupes {
	struct dup_pair *rows;
	size_t n;
	int all, truncated;
	struct ui_list list;
};

static int dupes_add(const struct dup_pair *p, void *ctx)
{
	struct dupes *d = ctx;

	if (d->n >= DUPES_MAX) {
		d->truncated = 1;
		return 1;
	}
	d->rows[d->n++] = *p;
	return 0;
}

static void dupes_load(struct ui *u, struct dupes *d)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	d->n = 0;
	d->truncated = 0;
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_PROPOSE, NULL, "dup-pairs", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, dup_list(g, d->all ? -1 : DUP_POTENTIAL, -1000, dupes_add, d, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Cannot list the pairs: %s", e.msg);
	d->list.n = (int)d->n;  /* the draw keeps sel in range */
}

static int dl_page(void)
{
	return ui_body_end() - DL_TOP + 1;
}

static void dupes_draw(struct ui *u, void *ctx)
{
	struct dupes *d = ctx;
	char line[128];
	int page = dl_page(), t = ui_attr(u, UI_A_TITLE);

	ui_list_fit(&d->list, page);
	ui_frame(u, "Duplicate charts", NULL);
	snprintf(line, sizeof line, "%zu %spair%s%s", d->n, d->all ? "" : "potential ", d->n == 1 ? "" : "s",
		 d->truncated ? " (the best)" : "");
	ui_put(2, 2, COLS - 4, line, t);
	ui_put(DL_TOP - 1, 1, 4, "  #", t);
	ui_put(DL_TOP - 1, 6, 5, "Score", t);
	ui_put(DL_TOP - 1, 12, 8, "Chart A", t);
	ui_put(DL_TOP - 1, 21, 8, "Chart B", t);
	ui_put(DL_TOP - 1, 30, 13, "Status", t);
	ui_put(DL_TOP - 1, 44, COLS - 45, "Reasons", t);
	for (int i = d->list.top; i < (int)d->n && i < d->list.top + page; i++) {
		const struct dup_pair *p = &d->rows[i];
		int row = DL_TOP + i - d->list.top;
		int at = ui_list_bar(u, row, i == d->list.sel);

		snprintf(line, sizeof line, "%3d", i + 1);
		ui_put(row, 1, 4, line, at);
		snprintf(line, sizeof line, "%5d", p->score);
		ui_put(row, 6, 5, line, at);
		ui_put(row, 12, 8, p->mrn_a, at);
		ui_put(row, 21, 8, p->mrn_b, at);
		ui_put(row, 30, 13, dup_status_name(p->status), at);
		ui_put(row, 44, COLS - 45, p->reasons, at);
	}
	if (d->n == 0)
		ui_put(DL_TOP, 2, COLS - 4,
		       d->all ? "No pairs: S scans the index." : "No pairs waiting for a decision (S scans the index).",
		       A_NORMAL);
	ui_put(ui_action_row(), 1, COLS - 2,
	       d->all ? "Enter Review  A Potential only  S Scan  G Merges  ? Help"
		      : "Enter Review  A All  S Scan  G Merges  ? Help",
	       A_NORMAL);
}

/* ---- side by side ------------------------------------------------------------ */

struct review {
	struct dup_side *sd;
	int may_merge;
};

static const char *mark_word(char m)
{
	return m == '=' ? "same" : m == '~' ? "near" : m == '!' ? "DIFFERS" : "";
}

static void review_draw(struct ui *u, void *ctx)
{
	struct review *r = ctx;
	const struct dup_side *sd = r->sd;
	char line[128];
	int t = ui_attr(u, UI_A_TITLE), w = (COLS - 30) / 2;

	ui_frame(u, "Duplicate charts — review", NULL);
	snprintf(line, sizeof line, "Pair %" PRId64 ", score %d, %s%s%s", sd->pair.id, sd->pair.score,
		 dup_status_name(sd->pair.status), sd->pair.decided_by[0] ? " by " : "", sd->pair.decided_by);
	ui_put(2, 2, COLS - 4, line, t);
	ui_put(4, 2, 16, "Field", t);
	ui_put(4, 19, w, "Chart A", t);
	ui_put(4, 20 + w, w, "Chart B", t);
	ui_put(4, 21 + 2 * w, 8, "", t);
	for (int f = 0; f < DS_COUNT; f++) {
		int row = 5 + f;
		int at = sd->mark[f] == '!' ? ui_attr(u, UI_A_ERROR) : sd->mark[f] == '~' ? ui_attr(u, UI_A_TITLE)
											 : (int)A_NORMAL;
		if (row > ui_body_end())
			break;
		ui_put(row, 2, 16, sd->label[f], A_NORMAL);
		ui_put(row, 19, w, sd->a[f][0] ? sd->a[f] : "-", at);
		ui_put(row, 20 + w, w, sd->b[f][0] ? sd->b[f] : "-", at);
		ui_put(row, 21 + 2 * w, 8, mark_word(sd->mark[f]), at);
	}
	ui_put(ui_action_row(), 1, COLS - 2,
	       sd->pair.status == DUP_POTENTIAL ? "V Duplicate  X Not a duplicate  Esc Back  ? Help"
	       : sd->pair.status != DUP_DUPLICATE || sd->pair.merged ? "Esc Back  ? Help"
	       : r->may_merge ? "M Merge  Esc Back  ? Help" : "(M merge)  Esc Back  ? Help",
	       A_NORMAL);
}

/* 1 when the pair was decided. */
static int review_decide(struct ui *u, const struct dup_side *sd, enum dup_status to)
{
	struct folio_err e;
	struct grant *g = NULL;
	char note[400] = "", q[96], id[24];
	int64_t pid = sd->pair.id;
	int rc;

	if (sd->pair.status != DUP_POTENTIAL) {
		ui_msg(u, 1, "Pair %" PRId64 " is decided already (%s).", pid, dup_status_name(sd->pair.status));
		return 0;
	}
	if (to == DUP_NOT_DUPLICATE) {
		snprintf(q, sizeof q, "Charts %s and %s are NOT the same person?", sd->pair.mrn_a, sd->pair.mrn_b);
		if (!ui_confirm(u, q, 0))
			return 0;
	}
	rc = ui_ask(u, "Note (optional)", "Why you decided so: what you checked. Kept encrypted.", NULL, note,
		    sizeof note);
	if (rc != UI_OK) {
		smem_wipe(note, sizeof note);
		return 0;
	}
	snprintf(id, sizeof id, "%" PRId64, pid);
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_PROPOSE, NULL, "dup-pair", id, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, dup_decide(g, pid, to, note, &e), &e);
	smem_wipe(note, sizeof note);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not decided: %s", e.msg);
		return 0;
	}
	ui_msg(u, 0, "Pair %" PRId64 " marked %s.", pid, to == DUP_DUPLICATE ? "a duplicate" : "not a duplicate");
	return 1;
}

/* The preview as text for a popup: what moves, what is in the way. */
static void merge_text(const struct merge_plan *p, const struct dup_pair *pair, char *out, size_t cap)
{
	int b_survives = !strcmp(p->survivor, pair->mrn_b);
	size_t len = (size_t)snprintf(out, cap, "Chart %c %s merges into chart %c %s.\n\nRows that move:\n",
				      b_survives ? 'A' : 'B', p->loser, b_survives ? 'B' : 'A', p->survivor);

	for (size_t i = 0; i < merge_registry_count && len < cap; i++)
		if (merge_registry[i].how != MERGE_KEEP && p->rows[i])
			len += (size_t)snprintf(out + len, cap - len, "  %-16s %6ld\n", merge_registry[i].table,
						p->rows[i]);
	if (len < cap)
		len += (size_t)snprintf(out + len, cap - len, "  %-16s %6ld\n", "total", p->total);
	for (size_t i = 0; i < p->nconflicts && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%sConflict: %s\n", i ? "" : "\n", p->conflicts[i]);
}

/* Which chart of the pair survives: A (the default) or B; 0 when backed
 * out. */
static int survivor_ask(struct ui *u, const struct dup_pair *pair, char out[16])
{
	static const char help[] = "The chart that stays: its MRN is the patient's from now on; the other\n"
				   "chart's rows move to it and its MRN keeps finding it.\n"
				   "A: chart A (the older registration), B: chart B.";
	char ans[8];

	for (;;) {
		memset(ans, 0, sizeof ans);
		if (ui_ask(u, "Which chart survives (A or B)", help, "A", ans, sizeof ans) != UI_OK)
			return 0;
		if ((ans[0] == 'a' || ans[0] == 'A') && !ans[1]) {
			str_copy(out, 16, pair->mrn_a);
			return 1;
		}
		if ((ans[0] == 'b' || ans[0] == 'B') && !ans[1]) {
			str_copy(out, 16, pair->mrn_b);
			return 1;
		}
		ui_msg(u, 1, "A or B: the chart that stays.");
	}
}

/* Merges a verified pair: which chart survives, the preview, a
 * confirmation, then the merge.  1 when merged. */
static int review_merge(struct ui *u, struct review *r)
{
	struct dup_side *sd = r->sd;
	struct merge_plan p;
	struct chart_flags f;
	struct folio_err e;
	struct grant *g = NULL;
	char text[1200], q[96], id[24], loser[16], survivor[16];
	int64_t pid = sd->pair.id;
	int rc;

	if (sd->pair.status != DUP_DUPLICATE || sd->pair.merged) {
		ui_msg(u, 1, "Only a verified duplicate pair that is not merged can be merged.");
		return 0;
	}
	if (!r->may_merge) {
		ui_msg(u, 1, "A supervisor approves a merge (merge.approve).");
		return 0;
	}
	if (!survivor_ask(u, &sd->pair, survivor))
		return 0;
	snprintf(id, sizeof id, "%" PRId64, pid);
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_APPROVE, NULL, "merge-pair", id, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, merge_preview(g, pid, survivor, &p, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot preview the merge: %s", e.msg);
		return 0;
	}
	merge_text(&p, &sd->pair, text, sizeof text);
	ui_popup(u, "Merge preview", text);
	if (p.nconflicts) {
		ui_msg(u, 1, "Not merged: %s", p.conflicts[0]);
		return 0;
	}
	if (access_chart_flags(u->s, p.loser, &f, &e) != FOLIO_OK || (f.restricted && !f.opened)) {
		ui_msg(u, 1, "Chart %s is restricted: open it (with a reason) before merging.", p.loser);
		return 0;
	}
	snprintf(q, sizeof q, "Merge chart %s into %s (%ld rows move)?", p.loser, p.survivor, p.total);
	if (!ui_confirm(u, q, 0))
		return 0;
	str_copy(loser, sizeof loser, p.loser);
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_APPROVE, p.survivor, "merge", loser, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, merge_approve(g, pid, &p, &e), &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Not merged: %s", e.msg);
		return 0;
	}
	sd->pair.merged = 1;
	ui_msg(u, 0, "Merged chart %s into %s (merge %" PRId64 "; G on the list of pairs undoes it).", p.loser,
	       p.survivor, p.merge_id);
	return 1;
}

/* The scan (merge.propose), its figures on the message line. */
static void dupes_scan(struct ui *u)
{
	struct dup_scan_result r;
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	ui_msg(u, 0, "Scanning every chart for duplicates...");
	refresh();
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_PROPOSE, NULL, "dup-scan", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, dup_scan(g, &r, &e), &e);
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "Scan failed: %s", e.msg);
	else
		ui_msg(u, 0, "Scanned %zu charts in %.1f s: %zu pairs, %zu new, %zu decided kept as they were.",
		       r.patients, r.seconds, r.found, r.added, r.kept);
}

/* 1 when the pair was decided (the list reloads). */
static int review_run(struct ui *u, int64_t pid)
{
	struct review r = { dup_side_new(), access_may(u->s, ACT_MERGE_APPROVE) };
	struct folio_err e;
	struct grant *g = NULL;
	struct ui_view v;
	char id[24];
	int rc, decided = 0;

	if (!r.sd) {
		ui_msg(u, 1, "Out of secure memory.");
		return 0;
	}
	snprintf(id, sizeof id, "%" PRId64, pid);
	err_clear(&e);
	rc = access_begin(u->s, ACT_MERGE_PROPOSE, NULL, "dup-pair", id, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, dup_show(g, pid, r.sd, &e), &e);
	for (int side = 0; rc == FOLIO_OK && side < 2; side++) {
		struct chart_flags f;
		struct folio_err e2 = { 0 };
		/* a restricted chart shows no more than the lookup until opened */
		if (access_chart_flags(u->s, side ? r.sd->pair.mrn_b : r.sd->pair.mrn_a, &f, &e2) != FOLIO_OK ||
		    (f.restricted && !f.opened))
			dup_side_restrict(r.sd, side);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the pair: %s", e.msg);
		dup_side_free(r.sd);
		return 0;
	}
	ui_view_push(u, &v, review_draw, &r, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Duplicate charts — review", review_help);
		} else if (k == 'v' || k == 'V' || k == 'x' || k == 'X') {
			if (review_decide(u, r.sd, (k == 'v' || k == 'V') ? DUP_DUPLICATE : DUP_NOT_DUPLICATE)) {
				decided = 1;
				break;
			}
		} else if (k == 'm' || k == 'M') {
			decided |= review_merge(u, &r);
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	dup_side_free(r.sd);
	return decided;
}

void ui_dupes_run(struct ui *u)
{
	struct dupes d;
	struct ui_view v;

	memset(&d, 0, sizeof d);
	if (!(d.rows = calloc(DUPES_MAX, sizeof *d.rows))) {
		ui_msg(u, 1, "Out of memory.");
		return;
	}
	dupes_load(u, &d);
	ui_view_push(u, &v, dupes_draw, &d, 1);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u), reload = 0;
		const struct dup_pair *p = d.n > 0 ? &d.rows[d.list.sel] : NULL;

		if (ui_key_is_back(k) || k == '^')
			break;
		if (k == 'q' || k == 'Q') {
			ui_end(u, UI_END_QUIT);
		} else if (ui_key_is_help(k)) {
			ui_popup(u, "Duplicate charts", dupes_help);
		} else if (p && ui_key_is_enter(k)) {
			reload = review_run(u, p->id);
		} else if (k == 'a' || k == 'A') {
			d.all = !d.all;
			d.list.sel = d.list.top = 0;
			reload = 1;
		} else if (k == 's' || k == 'S') {
			dupes_scan(u);
			reload = 1;
		} else if (k == 'g' || k == 'G') {
			ui_merges_run(u);
			reload = 1;
		} else if (k == UI_FKEY(KEY_F(5))) {
			reload = 1;
		} else {
			ui_list_key(&d.list, k, dl_page());
		}
		if (reload && !u->ending)
			dupes_load(u, &d);
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	free(d.rows);
}
