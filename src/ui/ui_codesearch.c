/* folio — the code-search popup of the coding screen: one input line over
 * an in-memory ICD-10-CM or ICD-10-PCS index, the numbered best matches
 * refreshed on every keystroke (codes_search touches no database, so there
 * is no pause and no audit row per key: the index was opened, and audited,
 * once by the screen).
 *
 * Only a billable code ever comes back.  A header code is listed as such;
 * taking it lists its billable codes (codes_children) to pick from instead.
 *
 * What is typed may describe the patient's condition: the popup's state
 * lives in one guarded block, wiped when it closes.  The hits point into the
 * index (public reference data).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/codes.h"
#include "folio/smem.h"
#include "ui_internal.h"

#define CS_QUERY_CAP 64
#define CS_HITS_MAX 60      /* more than any screen shows */
#define CS_CHILD_MAX 2000   /* a PCS header has hundreds */
#define CS_TOP 2            /* the box's top row */
#define CTRL_U 21
#define CS_TAB 9

static const char search_help[] =
	"Type a code (A41.9, a419, 5A1955Z) or words of its description in any\n"
	"order (sepsis unsp, kidney acute): the best matches are listed as you type,\n"
	"billable codes first.\n"
	"  Enter        takes the highlighted code (the best match until you move)\n"
	"  Up/Down, Tab move into the list; there a number picks that row\n"
	"  a letter     goes back to typing;  Backspace, ^U clear\n"
	"A header code is not billable: taking it lists its billable codes to\n"
	"pick from.  Esc backs out without a code.";

struct csearch {
	const struct codes_index *x;
	const char *title;
	char q[CS_QUERY_CAP];
	size_t qlen;
	struct codes_hit hits[CS_HITS_MAX];
	size_t n, total;
	int inlist;                  /* keys go to the list: digits pick rows */
	struct ui_list list;
	/* a header was taken: its billable codes */
	struct codes_hit *kids;
	size_t nkids, kids_total;
	char parent[CODES_DOTTED_MAX];
	struct ui_list klist;
};

static int box_bottom(void)
{
	return ui_prompt_row();
}

/* The first list row and how many rows fit. */
static int list_top(void)
{
	return CS_TOP + 3;
}

static int list_page(void)
{
	int n = box_bottom() - 1 - list_top();
	return n > 1 ? n : 1;
}

static void box_draw(struct ui *u, const char *title)
{
	int top = CS_TOP, bot = box_bottom(), left = 1, w = COLS - 2;

	for (int r = top; r <= bot; r++) {
		move(r, left);
		for (int c = 0; c < w; c++)
			addch(' ');
	}
	mvaddch(top, left, ACS_ULCORNER);
	mvhline(top, left + 1, ACS_HLINE, w - 2);
	mvaddch(top, left + w - 1, ACS_URCORNER);
	mvvline(top + 1, left, ACS_VLINE, bot - top - 1);
	mvvline(top + 1, left + w - 1, ACS_VLINE, bot - top - 1);
	mvaddch(bot, left, ACS_LLCORNER);
	mvhline(bot, left + 1, ACS_HLINE, w - 2);
	mvaddch(bot, left + w - 1, ACS_LRCORNER);
	ui_put(top, left + 2, w - 4, title, ui_attr(u, UI_A_TITLE));
}

/* One row: number, dotted code, "header" for a code that is not billable,
 * the description. */
static void hit_draw(struct ui *u, const struct codes_index *x, int row, int num, const struct codes_hit *h,
		     int sel)
{
	char code[CODES_DOTTED_MAX], line[64];
	int a = sel ? ui_attr(u, UI_A_SELECT) : h->billable ? (int)A_NORMAL : ui_attr(u, UI_A_DIM);

	codes_format(codes_index_system(x), h->code, code);
	if (sel) {
		attron((attr_t)a);
		mvhline(row, 2, ' ', COLS - 4);
		attroff((attr_t)a);
	}
	snprintf(line, sizeof line, "%3d  %-8s %-6s", num, code, h->billable ? "" : "header");
	ui_put(row, 2, 24, line, a);
	ui_put(row, 26, COLS - 28, h->desc && h->desc[0] ? h->desc : h->short_desc, a);
}

static void cs_draw(struct ui *u, void *ctx)
{
	struct csearch *s = ctx;
	int top = CS_TOP, page = list_page(), left = 3, col;
	char info[160], label[64];

	box_draw(u, s->title);
	if (s->kids) {
		ui_list_fit(&s->klist, page);
		snprintf(info, sizeof info, "%s is a header, not billable: pick one of its %zu billable codes%s.",
			 s->parent, s->kids_total, s->kids_total > s->nkids ? " (the first shown)" : "");
		ui_put(top + 1, left, COLS - 6, info, A_BOLD);
		ui_put(top + 2, left, COLS - 6, "Up/Down or a number, then Enter; Esc goes back to the search.",
		       ui_attr(u, UI_A_DIM));
		for (int i = s->klist.top; i < (int)s->nkids && i < s->klist.top + page; i++)
			hit_draw(u, s->x, list_top() + i - s->klist.top, i + 1, &s->kids[i], i == s->klist.sel);
		curs_set(0);
		return;
	}
	ui_list_fit(&s->list, page);
	if (!s->q[0])
		str_copy(info, sizeof info, "Type a code or words of its description; ? for help.");
	else if (!s->total)
		str_copy(info, sizeof info, "No code matches: fewer or other words, or the code itself.");
	else if (s->total > (size_t)page)
		snprintf(info, sizeof info, "%zu codes match, best first%s: type more to narrow.", s->total,
			 s->n > (size_t)page ? "; Down scrolls" : "");
	else
		snprintf(info, sizeof info, "%zu code%s match%s.", s->total, s->total == 1 ? "" : "s",
			 s->total == 1 ? "es" : "");
	ui_put(top + 2, left, COLS - 6, info, ui_attr(u, UI_A_DIM));
	for (int i = s->list.top; i < (int)s->n && i < s->list.top + page; i++)
		hit_draw(u, s->x, list_top() + i - s->list.top, i + 1, &s->hits[i], i == s->list.sel);
	ui_put(box_bottom() - 1, left, COLS - 6,
	       s->inlist ? "number picks a row  Enter takes  a letter types  Esc back"
			 : "Enter takes the highlighted code  Up/Down/Tab list  ^U clear  Esc back",
	       ui_attr(u, UI_A_DIM));
	/* the input line last, so the cursor ends on it */
	snprintf(label, sizeof label, "Search %s FY%d: ", codes_system_name(codes_index_system(s->x)),
		 codes_index_fy(s->x));
	col = left + ui_put(top + 1, left, COLS - 6, label, A_BOLD);
	col += ui_put(top + 1, col, COLS - 3 - col, s->q, A_NORMAL);
	move(top + 1, col < COLS - 3 ? col : COLS - 3);
	curs_set(s->inlist ? 0 : 1);
}

static void cs_search(struct csearch *s)
{
	s->n = s->total = 0;
	s->list.sel = s->list.top = s->list.digits = 0;
	if (s->q[0]) {
		s->total = codes_search(s->x, s->q, s->hits, CS_HITS_MAX);
		s->n = s->total < CS_HITS_MAX ? s->total : CS_HITS_MAX;
	}
	s->list.n = (int)s->n;
}

/* The code sets' descriptions are plain ASCII (CMS order files), so the
 * query is too: one byte per key. */
static int cs_insert(struct csearch *s, int k)
{
	if (k < 32 || k > 126 || s->qlen + 1 >= sizeof s->q)
		return 0;
	s->q[s->qlen++] = (char)k;
	s->q[s->qlen] = '\0';
	return 1;
}

static void kids_close(struct csearch *s)
{
	free(s->kids);
	s->kids = NULL;
	s->nkids = s->kids_total = 0;
	memset(&s->klist, 0, sizeof s->klist);
}

/* Takes hit h: 1 when it was billable (copied to out); a header opens the
 * list of its billable codes instead. */
static int cs_take(struct ui *u, struct csearch *s, const struct codes_hit *h, char out[CODES_CODE_MAX])
{
	if (h->billable) {
		str_copy(out, CODES_CODE_MAX, h->code);
		return 1;
	}
	kids_close(s);
	if (!(s->kids = calloc(CS_CHILD_MAX, sizeof *s->kids))) {
		ui_msg(u, 1, "Out of memory.");
		return 0;
	}
	s->kids_total = codes_children(s->x, h->code, s->kids, CS_CHILD_MAX);
	s->nkids = s->kids_total < CS_CHILD_MAX ? s->kids_total : CS_CHILD_MAX;
	codes_format(codes_index_system(s->x), h->code, s->parent);
	if (!s->nkids) {
		ui_msg(u, 1, "%s is a header with no billable code under it in this code set.", s->parent);
		kids_close(s);
		return 0;
	}
	s->klist.n = (int)s->nkids;
	return 0;
}

/* A key while the children of a header are listed: 1 when a code was
 * taken. */
static int kids_key(struct ui *u, struct csearch *s, int k, char out[CODES_CODE_MAX])
{
	if (ui_key_is_back(k) || k == '^')
		kids_close(s);
	else if (ui_key_is_enter(k))
		return cs_take(u, s, &s->kids[s->klist.sel], out);
	else if (ui_key_is_help(k))
		ui_popup(u, "Pick a billable code", search_help);
	else if (!ui_list_key(&s->klist, k, list_page()))
		ui_msg(u, 1, "Pick one of the codes listed (a number or Up/Down, then Enter), or Esc.");
	return 0;
}

static int is_list_key(int k)
{
	return k == UI_FKEY(KEY_UP) || k == UI_FKEY(KEY_DOWN) || k == UI_FKEY(KEY_NPAGE) ||
	       k == UI_FKEY(KEY_PPAGE) || k == UI_FKEY(KEY_HOME) || k == UI_FKEY(KEY_END) || k == CS_TAB;
}

int ui_code_search(struct ui *u, const struct codes_index *x, const char *title, char *out)
{
	struct csearch *s = smem_alloc(sizeof *s);
	struct ui_view v;
	int r = UI_BACK;

	if (!s) {
		ui_msg(u, 1, "Out of secure memory.");
		return UI_BACK;
	}
	s->x = x;
	s->title = title;
	out[0] = '\0';
	ui_view_push(u, &v, cs_draw, s, 0);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (k == UI_KEY_ABORT) {
			r = UI_ABORT;
			break;
		}
		if (s->kids) {
			if (kids_key(u, s, k, out)) {
				r = UI_OK;
				break;
			}
		} else if (k == UI_KEY_ESC || (k == '^' && !s->qlen)) {
			break;
		} else if (ui_key_is_enter(k)) {
			if (!s->n)
				ui_msg(u, 1, s->q[0] ? "No code matches: try other words." : "Type a code or words first.");
			else if (cs_take(u, s, &s->hits[s->list.sel], out)) {
				r = UI_OK;
				break;
			}
		} else if (k == UI_FKEY(KEY_F(1)) || (k == '?' && !s->qlen)) {
			ui_popup(u, title, search_help);
		} else if (is_list_key(k)) {
			if (s->n) {
				s->inlist = 1;
				if (k != CS_TAB)
					ui_list_key(&s->list, k, list_page());
			}
		} else if (s->inlist && k >= '0' && k <= '9') {
			ui_list_key(&s->list, k, list_page());
		} else if (ui_key_is_backspace(k)) {
			s->inlist = 0;
			if (s->qlen)
				s->q[--s->qlen] = '\0';
			cs_search(s);
		} else if (k == CTRL_U) {
			s->inlist = 0;
			smem_wipe(s->q, sizeof s->q);
			s->qlen = 0;
			cs_search(s);
		} else if (k >= 32 && k < UI_KEY_FN) {
			s->inlist = 0;
			if (cs_insert(s, k))
				cs_search(s);
			else if (k > 126)
				ui_msg(u, 1, "Code descriptions use plain letters: type the word without accents.");
		}
		ui_redraw(u);
	}
	ui_view_pop(u, &v);
	kids_close(s);
	smem_free(s);
	ui_redraw(u);
	return r;
}
