/* folio — the coding screen of one encounter: the principal diagnosis, the
 * numbered secondaries with their POA and (once grouped) how each counted
 * toward the CC/MCC, the numbered procedures with dates, each code with its
 * description; a live MS-DRG panel; and the actions of the records
 * technician (P S R O D U N M W V), each saved at once.
 *
 * Saving regroups (coding_save), so the panel always shows what is stored.
 * A save someone else got in first is refused (FOLIO_ESTALE): the coding is
 * read again and the user redoes the change.  The what-if (W) groups a
 * changed copy beside the stored codes and saves nothing.
 *
 * Grants: the code sets are opened once per screen into in-memory indexes
 * (ACT_CODES_SEARCH, audited) and kept until the screen closes; searching
 * them touches no database.  Reads run under ACT_CODE_ASSIGN for the roles
 * that code, else ACT_CHART_VIEW (a physician reads, read-only); each save
 * is one ACT_CODE_ASSIGN grant.
 *
 * A patient's codes are PHI: the screen's state is one guarded block, wiped
 * when the screen closes.
 */
#include <ctype.h>
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "folio/chart.h"
#include "folio/codes.h"
#include "folio/coding.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define CD_ENC_ROW 4      /* the encounter line */
#define CD_PANEL_ROW 5    /* the DRG panel: 4 rows */
#define CD_HEAD_ROW 9     /* the list's column titles */
#define CD_TOP 10         /* the first row of the list */
#define CD_COL_CODE 5
#define CD_COL_POA 14
#define CD_COL_USE 25
#define CD_COL_DESC 34
#define CD_TITLE_MAX 160

static const char no_sets[] = "No code sets loaded: a supervisor runs folio codes load DIR";

static const char coding_help[] =
	"The encounter's codes and its MS-DRG.  Every change is saved at once\n"
	"and regrouped: the DRG panel always shows what is stored.\n"
	"Up/Down or a number highlights a line.\n"
	"  P  the principal diagnosis (search ICD-10-CM)\n"
	"  S  add a secondary diagnosis, then its POA (Y N U W E)\n"
	"  R  add a procedure (search ICD-10-PCS), then its date\n"
	"  O  change the POA of the highlighted secondary\n"
	"  D  delete the highlighted line (asks first)\n"
	"  U/N  move the highlighted line up / down\n"
	"  M  make the highlighted secondary the principal\n"
	"  W  what if: add a code or drop a line, see both DRGs; saves nothing\n"
	"  V  the checks: what is wrong and how to fix it\n"
	"  G  regroup and save when the panel says the grouping is out of date\n"
	"     (the discharge, age or sex changed since it was grouped)\n"
	"  F5 read again   Esc or ^ back   q sign out and leave\n"
	"Usage: how a secondary counted: CC or MCC; 'excl' excluded by the\n"
	"principal diagnosis; 'n/a' not used by this DRG's logic.\n"
	"Actions in parentheses are not open to your role or to the line.";

static const char poa_help[] =
	"Present on admission (POA):\n"
	"  Y  yes: present at the time of the inpatient admission\n"
	"  N  no: not present, it arose during the stay\n"
	"  U  unknown: the documentation is insufficient to tell\n"
	"  W  clinically undetermined: the provider cannot tell\n"
	"  E  exempt from POA reporting (the CDC exempt list)\n"
	"A condition that arose before the admission in the emergency\n"
	"department or in observation counts as present.";

enum row_kind { ROW_PDX, ROW_SDX, ROW_PROC };

struct cscreen {
	char mrn[16];
	char oid[24];               /* the encounter number, for the audit rows */
	int64_t enc;
	const char *name, *age_sex, *banner;
	int restricted, test;
	int may_code;
	struct coding c;            /* as stored */
	struct coding work;         /* a change being made */
	struct coding scratch;      /* a save reads the chart's context afresh */
	struct coding_context ctx;
	struct coding_finding f[CODING_FINDINGS_MAX];
	int nf, nerr, nwarn;
	char check_note[FOLIO_ERR_MAX + 32];
	char drg_title[CD_TITLE_MAX], mdc_title[CD_TITLE_MAX];
	struct codes_index *idx[2]; /* by enum codes_system; NULL until opened */
	int idx_tried[2];
	int no_sets;                /* no ICD-10-CM set is loaded at all */
	struct ui_list list;
};

/* ---- lines and their descriptions ---------------------------------------- */

static enum row_kind row_kind(const struct cscreen *s, int r, int *i)
{
	if (r <= 0) {
		*i = 0;
		return ROW_PDX;
	}
	if (r <= s->c.nsdx) {
		*i = r - 1;
		return ROW_SDX;
	}
	*i = r - 1 - s->c.nsdx;
	return ROW_PROC;
}

static void rows_count(struct cscreen *s)
{
	s->list.n = 1 + s->c.nsdx + s->c.nproc;
	ui_list_fit(&s->list, 1 << 20);
}

static const char *describe(const struct cscreen *s, enum codes_system sys, const char *code)
{
	struct codes_hit h;

	if (!s->idx[sys])
		return "";
	if (codes_lookup(s->idx[sys], code, &h) != FOLIO_OK)
		return "(not in this code set)";
	return h.desc && h.desc[0] ? h.desc : h.short_desc;
}

static const char *poa_text(char p)
{
	switch (p) {
	case ' ': return "-";
	case '1': return "E";
	case 'Y': return "Y";
	case 'N': return "N";
	case 'U': return "U";
	case 'W': return "W";
	default: return "?";
	}
}

static const char *usage_text(enum drg_sdx_usage x)
{
	switch (x) {
	case DRG_SDX_CC: return "CC";
	case DRG_SDX_MCC: return "MCC";
	case DRG_SDX_CC_EXCLUDED: return "CC excl";
	case DRG_SDX_MCC_EXCLUDED: return "MCC excl";
	case DRG_SDX_CC_EXCLUDED_BY_DRG_LOGIC: return "CC n/a";
	case DRG_SDX_MCC_EXCLUDED_BY_DRG_LOGIC: return "MCC n/a";
	default: return "";
	}
}

static const char *severity_text(enum drg_severity x)
{
	switch (x) {
	case DRG_SEV_NON_CC: return "no CC/MCC";
	case DRG_SEV_CC: return "CC";
	case DRG_SEV_MCC: return "MCC";
	default: return "-";
	}
}

static const char *med_surg_text(enum drg_med_surg x)
{
	return x == DRG_MS_MEDICAL ? "medical" : x == DRG_MS_SURGICAL ? "surgical" : "-";
}

/* A line of the list in display form: tag, dotted code, POA or date, usage. */
static void line_parts(const struct cscreen *s, int r, char tag[16], char code[CODES_DOTTED_MAX], char mid[12],
		       const char **use, const char **desc)
{
	int i;
	enum row_kind k = row_kind(s, r, &i);
	const struct coding *c = &s->c;

	mid[0] = '\0';
	*use = "";
	if (k == ROW_PDX) {
		str_copy(tag, 16, "PDX");
		codes_format(CODES_ICD10CM, c->pdx, code);
		*desc = c->pdx[0] ? describe(s, CODES_ICD10CM, c->pdx) : "";
	} else if (k == ROW_SDX) {
		snprintf(tag, 16, "%3d", i + 1);
		codes_format(CODES_ICD10CM, c->sdx[i].code, code);
		str_copy(mid, 12, poa_text(c->sdx[i].poa));
		if (c->group.grouped && i < c->group.r.nsdx)
			*use = usage_text(c->group.r.sdx_usage[i]);
		*desc = describe(s, CODES_ICD10CM, c->sdx[i].code);
	} else {
		snprintf(tag, 16, "P%d", i + 1);
		codes_format(CODES_ICD10PCS, c->proc[i].code, code);
		str_copy(mid, 12, c->proc[i].date[0] ? c->proc[i].date : "no date");
		*desc = describe(s, CODES_ICD10PCS, c->proc[i].code);
	}
}

/* ---- drawing ---------------------------------------------------------------- */

static void enc_draw(const struct cscreen *s)
{
	char line[256], fy[48];
	const struct coding_context *x = &s->ctx;
	const struct codes_index *cm = s->idx[CODES_ICD10CM];
	int w;

	if (cm && codes_index_fy(cm) != x->fy)
		snprintf(fy, sizeof fy, "codes FY%d (claim FY%d)", codes_index_fy(cm), x->fy);
	else
		snprintf(fy, sizeof fy, "FY%d", x->fy);
	if (x->discharged[0]) {
		char st[12] = "";
		const char *label = NULL;
		if (x->discharge_status >= 0) {
			snprintf(st, sizeof st, "%02d", x->discharge_status);
			label = discharge_status_label(st);
		}
		/* the status label only where it fits beside the code-set year */
		int room = COLS - ui_text_width(fy) - 2 - 52;
		snprintf(line, sizeof line, "%c%s %" PRId64 "  adm %s  disch %s%s%s%s%s%.*s", toupper(x->kind[0]),
			 x->kind + (x->kind[0] != 0), s->enc, x->admitted, x->discharged, st[0] ? " (" : "", st,
			 st[0] ? ")" : "", label && room > 4 ? " " : "", room > 4 && label ? room : 0,
			 label ? label : "");
	} else {
		snprintf(line, sizeof line, "%c%s %" PRId64 "  adm %s, %s", toupper(x->kind[0]),
			 x->kind + (x->kind[0] != 0), s->enc, x->admitted,
			 strcmp(x->state, "cancelled") == 0 ? "cancelled" : "not discharged");
	}
	w = ui_text_width(fy);
	ui_put(CD_ENC_ROW, 0, COLS - w - 2, line, 0);
	ui_put(CD_ENC_ROW, COLS - w, w, fy, A_BOLD);
}

static void panel_draw(struct ui *u, const struct cscreen *s)
{
	const struct coding_group *g = &s->c.group;
	char line[320], right[64];
	int row = CD_PANEL_ROW, d;

	if (s->no_sets) {
		ui_put(row, 0, COLS, no_sets, ui_attr(u, UI_A_ERROR));
	} else if (!g->grouped) {
		snprintf(line, sizeof line, "MS-DRG: not grouped: %s",
			 g->note[0] ? g->note : !s->c.pdx[0] ? "no principal diagnosis yet" : "not saved yet");
		ui_put(row, 0, COLS, line, A_BOLD);
	} else {
		snprintf(line, sizeof line, "MS-DRG %03d  %s", g->r.final_drg, s->drg_title);
		ui_put(row, 0, COLS, line, ui_attr(u, UI_A_TITLE));
		snprintf(right, sizeof right, "%s, %s", med_surg_text(g->r.med_surg), severity_text(g->r.final_severity));
		snprintf(line, sizeof line, "MDC %02d  %s", g->r.final_mdc, s->mdc_title);
		ui_put(row + 1, 0, COLS - ui_text_width(right) - 3, line, 0);
		ui_put(row + 1, COLS - ui_text_width(right), ui_text_width(right), right, A_BOLD);
		d = coding_severity_driver(g);
		if (d >= 0 && d < s->c.nsdx) {
			char code[CODES_DOTTED_MAX];
			codes_format(CODES_ICD10CM, s->c.sdx[d].code, code);
			snprintf(line, sizeof line, "%s: %s (secondary %d)", severity_text(g->r.final_severity), code, d + 1);
		} else {
			str_copy(line, sizeof line, g->r.final_severity == DRG_SEV_NON_CC ? "No CC or MCC"
												: "Severity: -");
		}
		if (g->weight >= 0)
			snprintf(right, sizeof right, "weight %.4f  GMLOS %.1f  AMLOS %.1f", g->weight, g->gmlos,
				 g->amlos);
		else
			str_copy(right, sizeof right, "no weights loaded");
		d = COLS - ui_text_width(right);
		ui_put(row + 2, d, COLS - d, right, 0);
		if (!s->ctx.discharged[0]) /* grouped as still a patient (status 30) */
			ui_put(row + 2, d -= 13, 12, "PROVISIONAL", ui_attr(u, UI_A_ERROR));
		ui_put(row + 2, 0, d - 2, line, 0);
	}
	if (s->check_note[0]) {
		ui_put(row + 3, 0, COLS, s->check_note, ui_attr(u, UI_A_ERROR));
		return;
	}
	if (!s->nf)
		str_copy(line, sizeof line, "Checks: none");
	else
		snprintf(line, sizeof line, "Checks: %d error%s, %d warning%s (V lists them)", s->nerr,
			 s->nerr == 1 ? "" : "s", s->nwarn, s->nwarn == 1 ? "" : "s");
	d = ui_put(row + 3, 0, COLS, line, s->nerr ? ui_attr(u, UI_A_ERROR) : 0);
	if (g->grouped && g->r.grc && strcmp(g->r.grc, "OK") != 0) {
		snprintf(line, sizeof line, "Return code %s", g->r.grc);
		d += 3 + ui_put(row + 3, d + 3, COLS - d - 3, line, ui_attr(u, UI_A_ERROR));
	}
	if (s->c.stale)
		ui_put(row + 3, d + 3, COLS - d - 3,
		       s->may_code ? "OUT OF DATE: the chart changed, G regroups" : "OUT OF DATE: the chart changed",
		       ui_attr(u, UI_A_ERROR));
}

static int list_page(void)
{
	int n = ui_body_end() - CD_TOP + 1;
	return n > 1 ? n : 1;
}

static void list_draw(struct ui *u, struct cscreen *s)
{
	int page = list_page();

	ui_put(CD_HEAD_ROW, 0, COLS, "  #  Code     POA/date   Usage    Description", ui_attr(u, UI_A_HEADER));
	ui_list_fit(&s->list, page);
	for (int r = s->list.top; r < s->list.n && r < s->list.top + page; r++) {
		char tag[16], code[CODES_DOTTED_MAX], mid[12];
		const char *use, *desc;
		int row = CD_TOP + r - s->list.top, sel = r == s->list.sel;
		int a = sel ? ui_attr(u, UI_A_SELECT) : 0;

		line_parts(s, r, tag, code, mid, &use, &desc);
		if (sel) {
			attron((attr_t)a);
			mvhline(row, 0, ' ', COLS);
			attroff((attr_t)a);
		}
		ui_put(row, 0, 4, tag, a | (r == 0 ? (int)A_BOLD : 0));
		if (r == 0 && !s->c.pdx[0]) {
			ui_put(row, CD_COL_CODE, COLS - CD_COL_CODE,
			       s->may_code ? "(none)   P sets the principal diagnosis" : "(none)", a);
			continue;
		}
		ui_put(row, CD_COL_CODE, 8, code, a | (int)A_BOLD);
		ui_put(row, CD_COL_POA, 10, mid, a);
		ui_put(row, CD_COL_USE, 8, use, a | (use[0] == 'M' || use[0] == 'C' ? (int)A_BOLD : 0));
		ui_put(row, CD_COL_DESC, COLS - CD_COL_DESC, desc, a);
	}
	if (!s->c.nproc && CD_TOP + s->list.n - s->list.top <= ui_body_end())
		ui_put(CD_TOP + s->list.n - s->list.top, 0, COLS,
		       s->may_code ? "  No procedures coded (R adds one)." : "  No procedures coded.",
		       ui_attr(u, UI_A_DIM));
}

/* Which actions apply: the role codes, and the highlighted line is one
 * they work on. */
static int action_ok(const struct cscreen *s, int key)
{
	int i;
	enum row_kind k = row_kind(s, s->list.sel, &i);

	if (key == 'V')
		return 1;
	if (!s->may_code)
		return 0;
	switch (key) {
	case 'O': case 'M': return k == ROW_SDX;
	case 'D': case 'U': case 'N': return k != ROW_PDX;
	default: return 1;
	}
}

static void bar_draw(const struct cscreen *s)
{
	static const struct {
		int key;
		const char *label;
	} acts[] = { { 'P', "P pdx" },   { 'S', "S dx" },        { 'R', "R proc" },
		     { 'O', "O poa" },   { 'D', "D del" },       { 'U', "U/N move" },
		     { 'M', "M main" },  { 'W', "W what-if" },   { 'V', "V checks" } };
	char bar[256];

	if (!s->may_code) {
		ui_put(ui_action_row(), 1, COLS - 2, "Read only: (P S R O D U/N M W)  V checks  ? help  Esc back",
		       A_NORMAL);
		return;
	}
	for (int sep = 2; sep >= 1; sep--) {
		size_t o = 0;
		for (size_t i = 0; i < ARRAY_SIZE(acts) && o < sizeof bar; i++) {
			int ok = action_ok(s, acts[i].key);
			o += (size_t)snprintf(bar + o, sizeof bar - o, "%*s%s%s%s", i ? sep : 0, "", ok ? "" : "(",
					      acts[i].label, ok ? "" : ")");
		}
		if (ui_text_width(bar) <= COLS - 2)
			break;
	}
	ui_put(ui_action_row(), 1, COLS - 2, bar, A_NORMAL);
}

static void cd_draw(struct ui *u, void *ctx)
{
	struct cscreen *s = ctx;
	char title[64];

	snprintf(title, sizeof title, "Coding: encounter %" PRId64 "%s", s->enc, s->may_code ? "" : " (read only)");
	ui_frame(u, title, "? help  F5 read again  Esc back");
	ui_chart_header(u, s->name, s->mrn, s->age_sex, s->restricted, s->test, s->banner);
	enc_draw(s);
	panel_draw(u, s);
	list_draw(u, s);
	bar_draw(s);
}

/* ---- reading ------------------------------------------------------------------ */

/* Opens the index of sys once for the screen (audited once; the searches
 * that follow touch no database).  The claim's fiscal year first, else the
 * latest loaded. */
static void idx_ensure(struct ui *u, struct cscreen *s, enum codes_system sys)
{
	struct folio_err e;
	struct grant *g = NULL;
	char what[48];
	int rc;

	if (s->idx[sys] || s->idx_tried[sys] || u->ending)
		return;
	s->idx_tried[sys] = 1;
	snprintf(what, sizeof what, "%s:%d", sys == CODES_ICD10CM ? "icd10cm" : "icd10pcs", s->ctx.fy);
	err_clear(&e);
	rc = access_begin(u->s, ACT_CODES_SEARCH, NULL, "code_set", what, &g, &e);
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot open the code set: %s", e.msg);
		return;
	}
	rc = codes_index_open(g, sys, s->ctx.fy, &s->idx[sys], &e);
	if (rc == FOLIO_ENOTFOUND) {
		err_clear(&e);
		rc = codes_index_open(g, sys, 0, &s->idx[sys], &e);
	}
	rc = ui_grant_end(g, rc, &e);
	if (rc != FOLIO_OK) {
		if (s->idx[sys])
			codes_index_free(s->idx[sys]);
		s->idx[sys] = NULL;
		if (rc == FOLIO_ENOTFOUND && sys == CODES_ICD10CM)
			s->no_sets = 1;
		else if (rc == FOLIO_ENOTFOUND)
			ui_msg(u, 1, "No %s code set loaded: a supervisor runs folio codes load DIR",
			       codes_system_name(sys));
		else
			ui_msg(u, 1, "Cannot open the code set: %s", e.msg);
	} else if (codes_index_fy(s->idx[sys]) != s->ctx.fy) {
		ui_msg(u, 1, "No FY%d %s set loaded: FY%d is used. A supervisor runs folio codes load DIR.",
		       s->ctx.fy, codes_system_name(sys), codes_index_fy(s->idx[sys]));
	}
}

/* The checks of c and the titles of its DRG, under g: a coding grant, or
 * NULL for a role that only reads (a code-set grant of its own, since
 * grants do not nest). */
static void derive(struct ui *u, struct cscreen *s, struct grant *g, const struct coding *c)
{
	struct grant *own = NULL;
	struct folio_err e;
	int n;

	s->nf = s->nerr = s->nwarn = 0;
	s->check_note[0] = s->drg_title[0] = s->mdc_title[0] = '\0';
	err_clear(&e);
	if (!g) {
		if (access_begin(u->s, ACT_CODES_SEARCH, NULL, "coding", s->oid, &own, &e) != FOLIO_OK) {
			snprintf(s->check_note, sizeof s->check_note, "Checks not run: %s", e.msg);
			return;
		}
		g = own;
	}
	n = coding_check(g, c, &s->ctx, s->f, CODING_FINDINGS_MAX, &e);
	if (n < 0) {
		snprintf(s->check_note, sizeof s->check_note, "Checks not run: %s", e.msg);
		n = 0;
	}
	s->nf = n < CODING_FINDINGS_MAX ? n : CODING_FINDINGS_MAX;
	for (int i = 0; i < s->nf; i++) {
		if (s->f[i].fatal)
			s->nerr++;
		else
			s->nwarn++;
	}
	if (c->group.grouped) {
		str_copy(s->drg_title, sizeof s->drg_title, coding_drg_title(g, c->group.r.final_drg));
		str_copy(s->mdc_title, sizeof s->mdc_title, coding_mdc_title(g, c->group.r.final_mdc));
	}
	if (own)
		(void)ui_grant_end(own, FOLIO_OK, &e);
}

/* Reads the coding as stored, its checks and titles; 0, or -1 with a
 * message. */
static int cd_read(struct ui *u, struct cscreen *s)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, s->may_code ? ACT_CODE_ASSIGN : ACT_CHART_VIEW, s->mrn, "coding", s->oid, &g, &e);
	if (rc == FOLIO_OK) {
		rc = coding_load(g, s->enc, &s->c, &s->ctx, &e);
		if (rc == FOLIO_OK && s->may_code)
			derive(u, s, g, &s->c);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc != FOLIO_OK) {
		ui_msg(u, 1, "Cannot read the coding: %s", e.msg);
		return -1;
	}
	if (!s->may_code)
		derive(u, s, NULL, &s->c);
	idx_ensure(u, s, CODES_ICD10CM);
	if (s->c.nproc)
		idx_ensure(u, s, CODES_ICD10PCS);
	rows_count(s);
	return 0;
}

/* ---- changing ------------------------------------------------------------------ */

/* Saves s->work (regrouped by the save) in one grant; on success it is what
 * the screen shows.  A stale save reads the coding again. */
static int cd_save(struct ui *u, struct cscreen *s, const char *done)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	err_clear(&e);
	rc = access_begin(u->s, ACT_CODE_ASSIGN, s->mrn, "coding", s->oid, &g, &e);
	if (rc == FOLIO_OK) {
		/* group with the discharge, age and sex as they are now, not as
		 * they were when the screen opened (the row version still
		 * catches a coding saved meanwhile) */
		rc = coding_load(g, s->enc, &s->scratch, &s->ctx, &e);
		smem_wipe(&s->scratch, sizeof s->scratch);
		if (rc == FOLIO_OK)
			rc = coding_save(g, &s->work, &s->ctx, &e);
		if (rc == FOLIO_OK)
			derive(u, s, g, &s->work);
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc == FOLIO_OK) {
		memcpy(&s->c, &s->work, sizeof s->c);
		s->c.stale = 0; /* the save regrouped from the chart as it is now */
		rows_count(s);
		if (s->c.group.grouped)
			ui_msg(u, 0, "%s  MS-DRG %03d.", done, s->c.group.r.final_drg);
		else
			ui_msg(u, 0, "%s", done);
		return 0;
	}
	if (rc == FOLIO_ESTALE) {
		/* what the other user saved is read in; the user redoes theirs */
		cd_read(u, s);
		ui_msg(u, 1, "Someone else changed this coding since you read it; nothing saved. Read again: redo your change.");
	} else {
		ui_msg(u, 1, "Not saved: %s", e.msg);
		cd_read(u, s);
	}
	return -1;
}

/* A pure edit of the copy went wrong: says why. */
static int edit_failed(struct ui *u, int rc, const struct folio_err *e)
{
	if (rc != FOLIO_OK)
		ui_msg(u, 1, "%s", e->msg);
	return rc != FOLIO_OK;
}

/* The code search over sys: UI_OK with a billable code in code. */
static int pick_code(struct ui *u, struct cscreen *s, enum codes_system sys, const char *title,
		     char code[CODES_CODE_MAX])
{
	idx_ensure(u, s, sys);
	if (!s->idx[sys]) {
		if (s->no_sets || sys == CODES_ICD10CM)
			ui_msg(u, 1, "%s", no_sets);
		else if (!u->msg[0])
			ui_msg(u, 1, "No %s code set loaded: a supervisor runs folio codes load DIR",
			       codes_system_name(sys));
		return UI_BACK;
	}
	return ui_code_search(u, s->idx[sys], title, code);
}

/* Asks a POA indicator ("Y//"); 0 with it in out, -1 backed out. */
static int ask_poa(struct ui *u, const char *code, const char *def, char out[4])
{
	char label[64], buf[8], p;
	struct folio_err e;

	snprintf(label, sizeof label, "Present on admission, %s (Y N U W E)", code);
	for (;;) {
		memset(buf, 0, sizeof buf);
		if (ui_ask(u, label, poa_help, def, buf, sizeof buf) != UI_OK)
			return -1;
		err_clear(&e);
		if (coding_poa_norm(buf, &p, &e) == FOLIO_OK) {
			str_copy(out, 4, buf);
			return 0;
		}
		ui_msg(u, 1, "%s", e.msg);
	}
}

/* Asks the date a procedure was done (default the admission day); 0 with
 * YYYY-MM-DD in out, -1 backed out. */
static int ask_date(struct ui *u, const struct cscreen *s, const char *def, char out[11])
{
	static const char help[] = "The day the procedure was performed:\n"
				   "T today, T-1 yesterday, T-3, or YYYY-MM-DD.\n"
				   "Enter takes the day shown before //.";
	char buf[24];

	for (;;) {
		memset(buf, 0, sizeof buf);
		if (ui_ask(u, "Date performed", help, def[0] ? def : s->ctx.admitted, buf, sizeof buf) != UI_OK)
			return -1;
		if (ui_date_parse(buf, out) == 0)
			return 0;
		ui_msg(u, 1, "Not a date: T, T-1, T-3 or YYYY-MM-DD (? for help).");
	}
}

static void act_pdx(struct ui *u, struct cscreen *s)
{
	char code[CODES_CODE_MAX], dotted[CODES_DOTTED_MAX], done[64];
	struct folio_err e;

	if (pick_code(u, s, CODES_ICD10CM, "Principal diagnosis (ICD-10-CM)", code) != UI_OK)
		return;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_set_pdx(&s->work, code, &e), &e))
		return;
	codes_format(CODES_ICD10CM, code, dotted);
	snprintf(done, sizeof done, "Principal diagnosis %s saved.", dotted);
	if (cd_save(u, s, done) == 0)
		s->list.sel = 0;
}

static void act_sdx(struct ui *u, struct cscreen *s)
{
	char code[CODES_CODE_MAX], dotted[CODES_DOTTED_MAX], poa[4], done[64];
	struct folio_err e;

	if (pick_code(u, s, CODES_ICD10CM, "Secondary diagnosis (ICD-10-CM)", code) != UI_OK)
		return;
	codes_format(CODES_ICD10CM, code, dotted);
	if (ask_poa(u, dotted, "Y", poa) != 0)
		return;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_add_sdx(&s->work, code, poa, &e), &e))
		return;
	snprintf(done, sizeof done, "Secondary %d %s (POA %s) saved.", s->work.nsdx, dotted,
		 poa_text(s->work.sdx[s->work.nsdx - 1].poa));
	if (cd_save(u, s, done) == 0)
		s->list.sel = s->c.nsdx;
}

static void act_proc(struct ui *u, struct cscreen *s)
{
	char code[CODES_CODE_MAX], date[11], done[64];
	struct folio_err e;

	if (pick_code(u, s, CODES_ICD10PCS, "Procedure (ICD-10-PCS)", code) != UI_OK)
		return;
	if (ask_date(u, s, s->ctx.admitted, date) != 0)
		return;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_add_proc(&s->work, code, date, &e), &e))
		return;
	snprintf(done, sizeof done, "Procedure %d %s on %s saved.", s->work.nproc, code, date);
	if (cd_save(u, s, done) == 0)
		s->list.sel = s->list.n - 1;
}

static void act_poa(struct ui *u, struct cscreen *s, int i)
{
	char dotted[CODES_DOTTED_MAX], poa[4], done[64];
	struct folio_err e;

	codes_format(CODES_ICD10CM, s->c.sdx[i].code, dotted);
	if (ask_poa(u, dotted, poa_text(s->c.sdx[i].poa), poa) != 0)
		return;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_set_poa(&s->work, i, poa, &e), &e))
		return;
	snprintf(done, sizeof done, "POA of %s is %s.", dotted, poa_text(s->work.sdx[i].poa));
	cd_save(u, s, done);
}

static void act_delete(struct ui *u, struct cscreen *s, enum row_kind k, int i)
{
	char q[80], code[CODES_DOTTED_MAX];
	struct folio_err e;

	if (k == ROW_SDX) {
		codes_format(CODES_ICD10CM, s->c.sdx[i].code, code);
		snprintf(q, sizeof q, "Delete secondary %d, %s?", i + 1, code);
	} else {
		codes_format(CODES_ICD10PCS, s->c.proc[i].code, code);
		snprintf(q, sizeof q, "Delete procedure %d, %s?", i + 1, code);
	}
	if (!ui_confirm(u, q, 0))
		return;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_remove(&s->work, k == ROW_SDX ? CODING_SDX : CODING_PROC, i, &e), &e))
		return;
	snprintf(q, sizeof q, "%s deleted.", code);
	cd_save(u, s, q);
}

static void act_move(struct ui *u, struct cscreen *s, enum row_kind k, int i, int dir)
{
	struct folio_err e;

	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_move(&s->work, k == ROW_SDX ? CODING_SDX : CODING_PROC, i, dir, &e), &e))
		return;
	if (cd_save(u, s, "Order saved.") == 0)
		s->list.sel += dir;
}

static void act_promote(struct ui *u, struct cscreen *s, int i)
{
	char code[CODES_DOTTED_MAX], done[64];
	struct folio_err e;

	codes_format(CODES_ICD10CM, s->c.sdx[i].code, code);
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	if (edit_failed(u, coding_promote(&s->work, i, &e), &e))
		return;
	snprintf(done, sizeof done, "%s is the principal diagnosis.", code);
	if (cd_save(u, s, done) == 0)
		s->list.sel = 0;
}

/* ---- what if ---------------------------------------------------------------- */

struct whatif {
	struct coding_group now, then;
	char title[2][CD_TITLE_MAX], mdc[2][CD_TITLE_MAX];
	char driver[2][CODES_DOTTED_MAX];
	char text[3072];
};

/* The what-if change on s->work: 0 with a description in what, -1. */
static int whatif_edit(struct ui *u, struct cscreen *s, char *what, size_t cap)
{
	static const char help[] = "What would the DRG be:\n"
				   "  A  with a diagnosis added (search, then POA)\n"
				   "  R  with a procedure added (search)\n"
				   "  D  without the highlighted line\n"
				   "Both DRGs are shown side by side; nothing is saved.";
	char ans[8] = "", code[CODES_CODE_MAX], dotted[CODES_DOTTED_MAX], poa[4];
	struct folio_err e;
	int i, rc;
	enum row_kind k;

	if (ui_ask(u, "What if (A add a diagnosis, R add a procedure, D drop the line)", help, "A", ans, sizeof ans) !=
	    UI_OK)
		return -1;
	memcpy(&s->work, &s->c, sizeof s->work);
	err_clear(&e);
	switch (toupper((unsigned char)ans[0])) {
	case 'A':
		if (pick_code(u, s, CODES_ICD10CM, "What if: add a diagnosis (ICD-10-CM)", code) != UI_OK)
			return -1;
		codes_format(CODES_ICD10CM, code, dotted);
		if (!s->work.pdx[0]) {
			rc = coding_set_pdx(&s->work, code, &e);
			snprintf(what, cap, "with %s as the principal diagnosis", dotted);
		} else {
			if (ask_poa(u, dotted, "Y", poa) != 0)
				return -1;
			rc = coding_add_sdx(&s->work, code, poa, &e);
			snprintf(what, cap, "with %s added (POA %s)", dotted, poa);
		}
		break;
	case 'R':
		if (pick_code(u, s, CODES_ICD10PCS, "What if: add a procedure (ICD-10-PCS)", code) != UI_OK)
			return -1;
		rc = coding_add_proc(&s->work, code, s->ctx.admitted, &e);
		snprintf(what, cap, "with procedure %s added", code);
		break;
	case 'D':
		k = row_kind(s, s->list.sel, &i);
		if (k == ROW_PDX) {
			ui_msg(u, 1, "The principal diagnosis cannot be dropped: highlight a secondary or a procedure.");
			return -1;
		}
		if (k == ROW_SDX)
			codes_format(CODES_ICD10CM, s->c.sdx[i].code, dotted);
		else
			codes_format(CODES_ICD10PCS, s->c.proc[i].code, dotted);
		rc = coding_remove(&s->work, k == ROW_SDX ? CODING_SDX : CODING_PROC, i, &e);
		snprintf(what, cap, "without %s", dotted);
		break;
	default:
		ui_msg(u, 1, "Answer A, R or D (? for help).");
		return -1;
	}
	return edit_failed(u, rc, &e) ? -1 : 0;
}

#define WHATIF_COL 30

/* Where a title is split over two lines of a column: the last space that
 * lets the first part fit. */
static size_t title_split(const char *title)
{
	size_t n = strlen(title), cut = WHATIF_COL;

	if (n <= WHATIF_COL)
		return n;
	while (cut > 0 && title[cut] != ' ')
		cut--;
	return cut ? cut : WHATIF_COL;
}

/* One column of the side by side: the grouping's facts, line by line. */
static void whatif_cell(const struct coding_group *g, const char *title, const char *mdc, const char *driver,
			int line, char *out, size_t cap)
{
	size_t cut = title_split(title);

	out[0] = '\0';
	if (!g->grouped) {
		if (line == 0)
			str_copy(out, cap, "not grouped");
		else if (line == 1)
			snprintf(out, cap, "%.30s", g->note);
		return;
	}
	switch (line) {
	case 0: snprintf(out, cap, "%03d", g->r.final_drg); break;
	case 1: snprintf(out, cap, "%.*s", (int)cut, title); break;
	case 2: snprintf(out, cap, "%.30s", title + cut + (title[cut] == ' ')); break;
	case 3: snprintf(out, cap, "%02d %.27s", g->r.final_mdc, mdc); break;
	case 4: snprintf(out, cap, "%s", med_surg_text(g->r.med_surg)); break;
	case 5: snprintf(out, cap, "%s%s%s", severity_text(g->r.final_severity), driver[0] ? " by " : "", driver); break;
	case 6:
		if (g->weight >= 0)
			snprintf(out, cap, "%.4f", g->weight);
		else
			str_copy(out, cap, "no weights loaded");
		break;
	case 7: snprintf(out, cap, "%s", g->r.grc ? g->r.grc : ""); break;
	}
}

static void whatif_show(struct ui *u, struct whatif *w, const char *what)
{
	static const char *const labels[] = { "MS-DRG", "", "", "MDC", "Type", "Severity", "Weight", "Return" };
	char a[48], b[48];
	size_t o;

	o = (size_t)snprintf(w->text, sizeof w->text, "What if: %s.\nNothing is saved.\n\n%-9s %-30s  %s\n", what, "",
			     "Now (as stored)", "What if");
	for (int line = 0; line < (int)ARRAY_SIZE(labels) && o < sizeof w->text; line++) {
		whatif_cell(&w->now, w->title[0], w->mdc[0], w->driver[0], line, a, sizeof a);
		whatif_cell(&w->then, w->title[1], w->mdc[1], w->driver[1], line, b, sizeof b);
		if (!a[0] && !b[0])
			continue;
		o += (size_t)snprintf(w->text + o, sizeof w->text - o, "%-9s %-30s  %s\n", labels[line], a, b);
	}
	if (w->now.grouped && w->then.grouped && o < sizeof w->text)
		snprintf(w->text + o, sizeof w->text - o, "\n%s", w->now.r.final_drg == w->then.r.final_drg
									   ? "The DRG would not change."
									   : "The DRG would change.");
	ui_popup(u, "What if (not saved)", w->text);
}

static void act_whatif(struct ui *u, struct cscreen *s)
{
	struct whatif *w = smem_alloc(sizeof *w);
	struct folio_err e;
	struct grant *g = NULL;
	char what[96] = "";
	int rc;

	if (!w) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (whatif_edit(u, s, what, sizeof what) != 0)
		goto out;
	err_clear(&e);
	rc = access_begin(u->s, ACT_CODE_ASSIGN, s->mrn, "coding", s->oid, &g, &e);
	if (rc == FOLIO_OK) {
		const struct coding *c[2] = { &s->c, &s->work };
		struct coding_group *gr[2] = { &w->now, &w->then };
		for (int k = 0; k < 2 && rc == FOLIO_OK; k++) {
			rc = coding_group(g, c[k], &s->ctx, gr[k], &e);
			if (rc != FOLIO_OK || !gr[k]->grouped)
				continue;
			str_copy(w->title[k], sizeof w->title[k], coding_drg_title(g, gr[k]->r.final_drg));
			str_copy(w->mdc[k], sizeof w->mdc[k], coding_mdc_title(g, gr[k]->r.final_mdc));
			int d = coding_severity_driver(gr[k]);
			if (d >= 0 && d < c[k]->nsdx)
				codes_format(CODES_ICD10CM, c[k]->sdx[d].code, w->driver[k]);
		}
		/* nothing was written: the grant ends only to audit the look */
		rc = ui_grant_end(g, rc, &e);
	}
	if (rc == FOLIO_OK)
		whatif_show(u, w, what);
	else
		ui_msg(u, 1, "No what-if: %s", e.msg);
out:
	smem_wipe(&s->work, sizeof s->work);
	smem_wipe(what, sizeof what);
	smem_free(w);
}

/* ---- checks ------------------------------------------------------------------ */

static void act_checks(struct ui *u, struct cscreen *s)
{
	char *text = smem_alloc(CODING_FINDINGS_MAX * 240);
	size_t o = 0, cap = CODING_FINDINGS_MAX * 240;

	if (!text) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	if (s->check_note[0])
		o += (size_t)snprintf(text + o, cap - o, "%s\n", s->check_note);
	else if (!s->nf)
		o += (size_t)snprintf(text + o, cap - o, "No findings: the codes pass the checks before billing.\n");
	for (int i = 0; i < s->nf && o < cap; i++)
		o += (size_t)snprintf(text + o, cap - o, "%d. %s: %s [%s]\n", i + 1, s->f[i].fatal ? "ERROR" : "warning",
				      s->f[i].message, s->f[i].code);
	ui_popup(u, "Checks before billing", text);
	smem_free(text);
}

/* ---- the screen ---------------------------------------------------------------- */

/* Runs the action of key k (upper case); 1 when k was one. */
static int cd_action(struct ui *u, struct cscreen *s, int k)
{
	int i;
	enum row_kind kind = row_kind(s, s->list.sel, &i);

	if (!strchr("PSRODUNMWVG", k))
		return 0;
	if (k == 'V') {
		act_checks(u, s);
		return 1;
	}
	if (!ui_may(u, ACT_CODE_ASSIGN))
		return 1;
	if (!action_ok(s, k)) {
		ui_msg(u, 1, "%s", k == 'O' || k == 'M' ? "Highlight a secondary diagnosis first."
							: "Highlight a secondary diagnosis or a procedure first.");
		return 1;
	}
	switch (k) {
	case 'P': act_pdx(u, s); break;
	case 'S': act_sdx(u, s); break;
	case 'R': act_proc(u, s); break;
	case 'O': act_poa(u, s, i); break;
	case 'D': act_delete(u, s, kind, i); break;
	case 'U': act_move(u, s, kind, i, -1); break;
	case 'N': act_move(u, s, kind, i, 1); break;
	case 'M': act_promote(u, s, i); break;
	case 'W': act_whatif(u, s); break;
	case 'G':
		memcpy(&s->work, &s->c, sizeof s->work);
		cd_save(u, s, "Regrouped.");
		break;
	}
	smem_wipe(&s->work, sizeof s->work);
	return 1;
}

void ui_coding_run(struct ui *u, const char *mrn, int64_t enc, const char *name, const char *age_sex,
		   int restricted, int test, const char *banner)
{
	struct cscreen *s;
	struct ui_view v;

	if (!ui_may(u, ACT_CHART_VIEW))
		return;
	if (!(s = smem_alloc(sizeof *s))) {
		ui_msg(u, 1, "Out of secure memory.");
		return;
	}
	str_copy(s->mrn, sizeof s->mrn, mrn);
	snprintf(s->oid, sizeof s->oid, "%" PRId64, enc);
	s->enc = enc;
	s->name = name;
	s->age_sex = age_sex;
	s->banner = banner;
	s->restricted = restricted;
	s->test = test;
	s->may_code = access_may(u->s, ACT_CODE_ASSIGN);
	if (cd_read(u, s) == 0) {
		ui_view_push(u, &v, cd_draw, s, 1);
		ui_redraw(u);
		for (;;) {
			int k = ui_getkey(u);

			if (ui_key_is_back(k) || k == '^')
				break;
			if (k == 'q' || k == 'Q')
				ui_end(u, UI_END_QUIT);
			else if (ui_key_is_help(k))
				ui_popup(u, "Coding", coding_help);
			else if (k == UI_FKEY(KEY_F(5)))
				cd_read(u, s);
			else if (!ui_list_key(&s->list, k, list_page()) && k < 0x80)
				cd_action(u, s, toupper(k));
			ui_redraw(u);
		}
		ui_view_pop(u, &v);
	}
	for (int i = 0; i < 2; i++)
		if (s->idx[i])
			codes_index_free(s->idx[i]);
	smem_free(s);
	ui_redraw(u);
}
