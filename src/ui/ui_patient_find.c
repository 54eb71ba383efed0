/* folio — "Select PATIENT NAME:", VistA's one lookup prompt, with
 * type-ahead: the numbered list under the prompt follows what is typed.
 *
 * Every lookup is a grant and so an audit row.  To keep the log to one row
 * per name the user meant (not one per keystroke), the lookup runs only
 * after LOOKUP_PAUSE_MS without a key (ui_getkey_timeout), and only once the
 * text can be a query (two letters, initial + last four, four or eight
 * digits, a date); Enter runs it at once whatever was typed, so a query the
 * lookup refuses (one letter) gets its hint there.  The same text is never
 * looked up twice in a row.
 *
 * The typed text and the rows are decrypted PHI: both live in guarded
 * buffers (smem, patient_hits_new) wiped when the prompt closes.
 */
#include <ctype.h>
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define LOOKUP_PAUSE_MS 300
#define FIND_MAX 50
#define QUERY_CAP 128
#define CHOOSE_CAP 8
#define FIND_PROMPT_ROW 2
#define FIND_INFO_ROW 3
#define FIND_HEAD_ROW 4
#define FIND_TOP 5
#define CTRL_U 21

static const char find_help[] =
	"Type any of these and the matching patients are listed below:\n"
	"  SMI,JO or SMITH       last name, comma, first name (fragments)\n"
	"  10000016              the MRN (8 digits)\n"
	"  3/14/1962 1962-03-14  the date of birth (or 14 MAR 1962)\n"
	"  9876                  last four digits of the SSN or a phone\n"
	"  S9876                 initial of the last name + last four\n"
	"Enter on one match opens it; with several, Enter asks which one:\n"
	"type its number. A number and Enter picks that row as well.\n"
	"Up/Down and Enter pick a row too. Esc or ^ goes back.";

struct find {
	const char *title;
	char *q;          /* smem, QUERY_CAP: what is typed */
	char *done_q;     /* smem, QUERY_CAP: the text of the rows shown */
	size_t qlen;
	struct patient_hit *hits;
	size_t n, total;
	int looked;       /* rows shown are for done_q */
	int moved;        /* the user moved the highlight */
	int choosing;     /* "CHOOSE 1-N:" */
	char choose[CHOOSE_CAP];
	struct ui_list list;
};

static int find_page(void)
{
	return ui_body_end() - FIND_TOP + 1;
}

static void find_draw(struct ui *u, void *ctx)
{
	struct find *fd = ctx;
	struct ui_field f = { 0 };
	char info[160], label[32];
	int page = find_page();

	ui_list_fit(&fd->list, page);
	ui_frame(u, fd->title, "? help  Esc back");
	if (fd->looked && fd->n > 0) {
		if (fd->total > fd->n)
			snprintf(info, sizeof info,
				 "%zu matches; the best %zu are shown: type more of the name.", fd->total,
				 fd->n);
		else
			snprintf(info, sizeof info, "%zu match%s.", fd->n, fd->n == 1 ? "" : "es");
		ui_put(FIND_INFO_ROW, 2, COLS - 4, info, ui_attr(u, UI_A_DIM));
		ui_patient_hit_header(u, FIND_HEAD_ROW);
		for (int i = fd->list.top; i < (int)fd->n && i < fd->list.top + page; i++)
			ui_patient_hit_draw(u, FIND_TOP + i - fd->list.top, i + 1, &fd->hits[i],
					    fd->moved && i == fd->list.sel ? ui_attr(u, UI_A_SELECT) :
									      (int)A_NORMAL);
	} else if (fd->looked) {
		ui_put(FIND_INFO_ROW, 2, COLS - 4, "No patient matches.", ui_attr(u, UI_A_DIM));
	} else {
		ui_put(FIND_INFO_ROW, 2, COLS - 4,
		       "LAST,FIRST, MRN, date of birth, last four or initial + last four; ? for help.",
		       ui_attr(u, UI_A_DIM));
	}
	ui_put(ui_action_row(), 1, COLS - 2,
	       "Enter pick  number+Enter pick that row  Up/Down  ^U clear  Esc back", A_NORMAL);
	/* The prompt last, so the cursor ends on it. */
	if (fd->choosing) {
		ui_field_draw(u, &(struct ui_field){ .label = "Select PATIENT NAME", .buf = fd->q,
						     .cap = QUERY_CAP, .row = FIND_PROMPT_ROW, .col = 1 });
		snprintf(label, sizeof label, "CHOOSE 1-%zu", fd->n);
		f.label = label;
		f.buf = fd->choose;
		f.cap = sizeof fd->choose;
		f.row = ui_prompt_row();
		f.col = 1;
	} else {
		f.label = "Select PATIENT NAME";
		f.buf = fd->q;
		f.cap = QUERY_CAP;
		f.row = FIND_PROMPT_ROW;
		f.col = 1;
	}
	ui_field_draw(u, &f);
}

/* ---- editing the typed text (the same rules as ui_field_run) ---------- */

static void text_backspace(char *buf, size_t *len, size_t cap)
{
	if (*len == 0)
		return;
	do {
		(*len)--;
	} while (*len > 0 && (buf[*len] & 0xc0) == 0x80);
	smem_wipe(buf + *len, cap - *len);
}

static void text_insert(char *buf, size_t *len, size_t cap, int k)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)k, &st);
	if (n != (size_t)-1 && *len + n < cap) {
		memcpy(buf + *len, mb, n);
		*len += n;
		buf[*len] = '\0';
	}
	smem_wipe(mb, sizeof mb);
}

static int is_text_key(int k)
{
	return k >= 32 && k != 127 && k < UI_KEY_FN;
}

/* ---- when to look up --------------------------------------------------- */

/* 1 when the text is worth a lookup while typing (see the top comment). */
static int query_ready(const char *q)
{
	size_t letters = 0, digits = 0, n = strlen(q);
	char day[11];

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)q[i];

		if (isdigit(c))
			digits++;
		else if (isalpha(c) || c >= 0x80)
			letters++;
	}
	if (letters >= 2 && digits == 0)
		return 1;
	if (letters == 1 && digits == 4 && n == 5 && !isdigit((unsigned char)q[0]))
		return 1; /* S1234 */
	if (letters == 0 && digits == n && (n == 4 || n == 8))
		return 1;
	/* A date of birth: only once it reads as a whole date. */
	if (digits >= 6 && date_parse(q, date_today(), day, NULL) == FOLIO_OK)
		return 1;
	return 0;
}

/* Row number typed into the name prompt: 1 to 2 digits, a list shown. */
static int typed_row(const struct find *fd)
{
	const char *q = fd->q;

	if (!fd->looked || fd->n == 0 || !q[0] || strlen(q) > 2 || !isdigit((unsigned char)q[0]) ||
	    (q[1] && !isdigit((unsigned char)q[1])))
		return 0;
	return atoi(q);
}

/* Runs the lookup for the typed text. Returns 0, or -1 after a message. */
static int find_lookup(struct ui *u, struct find *fd)
{
	struct folio_err e;
	struct grant *g = NULL;
	int rc;

	patient_hits_free(fd->hits, FIND_MAX);
	fd->hits = NULL;
	fd->n = fd->total = 0;
	fd->looked = 0;
	fd->moved = 0;
	fd->list.n = fd->list.sel = fd->list.top = 0;
	str_copy(fd->done_q, QUERY_CAP, fd->q);
	if (!(fd->hits = patient_hits_new(FIND_MAX))) {
		ui_msg(u, 1, "Out of secure memory.");
		return -1;
	}
	err_clear(&e);
	rc = access_begin(u->s, ACT_PATIENT_FIND, NULL, "query", NULL, &g, &e);
	if (rc == FOLIO_OK)
		rc = ui_grant_end(g, patient_find(g, fd->q, fd->hits, FIND_MAX, &fd->n, &fd->total, &e),
				  &e);
	if (rc != FOLIO_OK) {
		/* The lookup's hint (one letter, a bad check digit) names at
		 * most what was typed. */
		ui_msg(u, 1, "%s", e.msg[0] ? e.msg : "The lookup failed.");
		fd->n = fd->total = 0;
		return -1;
	}
	fd->looked = 1;
	fd->list.n = (int)fd->n;
	return 0;
}

static void find_reset(struct find *fd)
{
	smem_wipe(fd->q, QUERY_CAP);
	smem_wipe(fd->done_q, QUERY_CAP);
	fd->qlen = 0;
	patient_hits_free(fd->hits, FIND_MAX);
	fd->hits = NULL;
	fd->n = fd->total = 0;
	fd->looked = fd->moved = fd->choosing = 0;
	fd->list.n = fd->list.sel = fd->list.top = fd->list.digits = 0;
	smem_wipe(fd->choose, sizeof fd->choose);
}

/* Picks row i (0-based): copies its MRN. */
static int find_pick(struct ui *u, struct find *fd, int i, char *mrn, size_t cap)
{
	if (i < 0 || (size_t)i >= fd->n) {
		ui_msg(u, 1, "No row %d: choose 1 to %zu.", i + 1, fd->n);
		return 0;
	}
	str_copy(mrn, cap, fd->hits[i].mrn);
	fd->list.sel = i;
	return 1;
}

/* Enter on the name prompt: 1 when a row was picked into mrn. */
static int find_enter(struct ui *u, struct find *fd, char *mrn, size_t cap)
{
	int row = typed_row(fd);

	if (fd->moved && fd->n > 0)
		return find_pick(u, fd, fd->list.sel, mrn, cap);
	if (row > 0)
		return find_pick(u, fd, row - 1, mrn, cap);
	if (!fd->q[0]) {
		ui_msg(u, 1, "Type a name, MRN, date of birth or last four; ? shows the forms.");
		return 0;
	}
	if ((!fd->looked || strcmp(fd->q, fd->done_q) != 0) && find_lookup(u, fd) != 0)
		return 0;
	if (fd->n == 1)
		return find_pick(u, fd, 0, mrn, cap);
	if (fd->n > 1) {
		fd->choosing = 1;
		smem_wipe(fd->choose, sizeof fd->choose);
	} else {
		ui_msg(u, 1, "No patient matches \"%s\".", fd->q);
	}
	return 0;
}

/* A key at "CHOOSE 1-N:": 1 when a row was picked. */
static int choose_key(struct ui *u, struct find *fd, int k, char *mrn, size_t cap)
{
	size_t len = strlen(fd->choose);

	if (k == UI_KEY_ESC || (k == '^' && len == 0)) {
		fd->choosing = 0;
	} else if (ui_key_is_enter(k)) {
		if (len == 0)
			fd->choosing = 0;
		else if (find_pick(u, fd, atoi(fd->choose) - 1, mrn, cap))
			return 1;
		smem_wipe(fd->choose, sizeof fd->choose);
	} else if (ui_key_is_backspace(k)) {
		text_backspace(fd->choose, &len, sizeof fd->choose);
	} else if (ui_key_is_help(k)) {
		ui_popup(u, "Choose a patient", "Type the row number of the patient and press Enter.\n"
						"Esc goes back to the name prompt.");
	} else if (k >= '0' && k <= '9') {
		text_insert(fd->choose, &len, sizeof fd->choose, k);
	} else if (k == UI_FKEY(KEY_UP) || k == UI_FKEY(KEY_DOWN) || k == UI_FKEY(KEY_NPAGE) ||
		   k == UI_FKEY(KEY_PPAGE)) {
		ui_list_key(&fd->list, k, find_page());
		fd->moved = 1;
		fd->choosing = 0;
	} else {
		ui_msg(u, 1, "Type a row number from 1 to %zu, or Esc.", fd->n);
	}
	return 0;
}

/* The prompt loop.  With open_each, a picked patient is opened here (the
 * rows still at hand for the near-twin check) and the prompt comes back
 * empty for the next one; otherwise the pick is returned. */
static int lookup(struct ui *u, const char *title, char *mrn, size_t cap, int open_each)
{
	struct find fd;
	struct ui_view v;
	int r = UI_BACK;

	memset(&fd, 0, sizeof fd);
	fd.title = title;
	fd.q = smem_alloc(QUERY_CAP);
	fd.done_q = smem_alloc(QUERY_CAP);
	if (!fd.q || !fd.done_q) {
		smem_free(fd.q);
		smem_free(fd.done_q);
		ui_msg(u, 1, "Out of secure memory.");
		return UI_BACK;
	}
	ui_view_push(u, &v, find_draw, &fd, 1);
	ui_redraw(u);
	for (;;) {
		/* Wait for the pause only while there is new text to look up. */
		int pending = !fd.choosing && fd.q[0] && strcmp(fd.q, fd.done_q) != 0 &&
			      query_ready(fd.q);
		int k = pending ? ui_getkey_timeout(u, LOOKUP_PAUSE_MS) : ui_getkey(u);

		if (k == UI_KEY_ABORT) {
			r = UI_ABORT;
			break;
		}
		if (k == UI_KEY_NONE) {
			(void)find_lookup(u, &fd);
		} else if (fd.choosing) {
			if (choose_key(u, &fd, k, mrn, cap)) {
				r = UI_OK;
				if (!open_each)
					break;
				ui_patient_open(u, mrn, fd.hits, fd.n);
				find_reset(&fd);
			}
		} else if (k == UI_KEY_ESC || (k == '^' && fd.qlen == 0)) {
			break;
		} else if (ui_key_is_enter(k)) {
			if (find_enter(u, &fd, mrn, cap)) {
				r = UI_OK;
				if (!open_each)
					break;
				ui_patient_open(u, mrn, fd.hits, fd.n);
				find_reset(&fd);
			}
		} else if (k == UI_FKEY(KEY_F(1)) || (k == '?' && fd.qlen == 0)) {
			ui_popup(u, "Select PATIENT NAME", find_help);
		} else if (ui_key_is_backspace(k)) {
			text_backspace(fd.q, &fd.qlen, QUERY_CAP);
			fd.moved = 0;
		} else if (k == CTRL_U) {
			smem_wipe(fd.q, QUERY_CAP);
			fd.qlen = 0;
			fd.moved = 0;
		} else if (fd.looked && fd.n > 0 &&
			   (k == UI_FKEY(KEY_UP) || k == UI_FKEY(KEY_DOWN) || k == UI_FKEY(KEY_NPAGE) ||
			    k == UI_FKEY(KEY_PPAGE) || k == UI_FKEY(KEY_HOME) || k == UI_FKEY(KEY_END))) {
			if (!fd.moved && k == UI_FKEY(KEY_DOWN))
				fd.list.sel = -1; /* the first Down lights row 1 */
			ui_list_key(&fd.list, k, find_page());
			fd.moved = 1;
		} else if (is_text_key(k)) {
			text_insert(fd.q, &fd.qlen, QUERY_CAP, k);
			fd.moved = 0;
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	find_reset(&fd);
	smem_free(fd.q);
	smem_free(fd.done_q);
	ui_redraw(u);
	return r;
}

int ui_patient_lookup(struct ui *u, const char *title, char *mrn, size_t cap)
{
	return lookup(u, title, mrn, cap, 0);
}

/* The menu's "Find a patient": look up, check, open; then the prompt again
 * for the next patient, until Esc. */
void ui_patient_find_run(struct ui *u)
{
	char mrn[MRN_MAX];

	(void)lookup(u, "Find a patient", mrn, sizeof mrn, 1);
}
