/* folio — the line input field, and the prompts built on it.
 *
 * Text is kept in the caller's fixed buffer (an smem one for passwords), so
 * it never passes through a growing buffer and survives an idle lock: the
 * field is a view, redrawn from f->buf when the screen comes back.
 */
#include <ctype.h>
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "folio/smem.h"
#include "ui_internal.h"

#define CTRL_U 21
#define FIELD_TAIL_HELP \
	"\n\nEnter accepts the default shown before //.\n" \
	"Esc (or ^ on an empty field) backs out."

static int field_row(const struct ui_field *f)
{
	return f->row < 0 ? LINES + f->row : f->row;
}

/* The last bytes of s that fit in width columns, so the caret stays visible. */
static const char *tail_fitting(const char *s, int width)
{
	while (*s && ui_text_width(s) > width) {
		s++;
		while ((*s & 0xc0) == 0x80)
			s++;
	}
	return s;
}

void ui_field_draw(struct ui *u, struct ui_field *f)
{
	int row = field_row(f), col = f->col, avail;
	char label[160];

	size_t ll = strlen(f->label);
	/* A question ("Sign out?") takes no colon. */
	const char *sep = ll > 0 && f->label[ll - 1] == '?' ? " " : ": ";

	(void)u;
	move(row, col);
	clrtoeol();
	if (f->def && *f->def)
		snprintf(label, sizeof label, "%s%s%s// ", f->label, sep, f->def);
	else
		snprintf(label, sizeof label, "%s%s", f->label, sep);
	col += ui_put(row, col, COLS - col - 2, label, A_BOLD);
	avail = COLS - col - 1;
	if (!f->secret && avail > 0)
		col += ui_put(row, col, avail, tail_fitting(f->buf, avail - 1), A_NORMAL);
	move(row, col < COLS ? col : COLS - 1);
	curs_set(1);
}

static void field_view_draw(struct ui *u, void *ctx)
{
	ui_field_draw(u, ctx);
}

void ui_field_clear(struct ui_field *f)
{
	smem_wipe(f->buf, f->cap);
	f->len = 0;
}

static void field_help(struct ui *u, const struct ui_field *f)
{
	char text[1024];

	snprintf(text, sizeof text, "%s%s%s", f->help ? f->help : "",
		 f->secret ? "\n\nNothing you type is shown. F1 shows this help." : "",
		 FIELD_TAIL_HELP);
	ui_popup(u, f->label, text);
}

static void field_backspace(struct ui_field *f)
{
	if (f->len == 0)
		return;
	do {
		f->len--;
	} while (f->len > 0 && (f->buf[f->len] & 0xc0) == 0x80);
	smem_wipe(f->buf + f->len, f->cap - f->len);
}

static void field_insert(struct ui_field *f, int k)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)k, &st);
	if (n != (size_t)-1 && f->len + n < f->cap) {
		memcpy(f->buf + f->len, mb, n);
		f->len += n;
		f->buf[f->len] = '\0';
	}
	smem_wipe(mb, sizeof mb);
}

int ui_field_run(struct ui *u, struct ui_field *f)
{
	struct ui_view v;
	int r;

	f->len = strnlen(f->buf, f->cap);
	ui_view_push(u, &v, field_view_draw, f, 0);
	ui_redraw(u);
	for (;;) {
		int k = ui_getkey(u);

		if (k == UI_KEY_ABORT) {
			r = UI_ABORT;
			break;
		}
		if (k == UI_KEY_ESC || (k == '^' && f->len == 0 && !f->secret)) {
			r = UI_BACK;
			break;
		}
		if (ui_key_is_enter(k)) {
			if (f->len == 0 && f->def && *f->def) {
				str_copy(f->buf, f->cap, f->def);
				f->len = strlen(f->buf);
			}
			r = UI_OK;
			break;
		}
		if (k == UI_FKEY(KEY_F(1)) || (k == '?' && f->len == 0 && !f->secret))
			field_help(u, f);
		else if (ui_key_is_backspace(k))
			field_backspace(f);
		else if (k == CTRL_U)
			ui_field_clear(f);
		else if (k >= 32 && k != 127 && k < UI_KEY_FN)
			field_insert(f, k);
		ui_redraw(u);
	}
	curs_set(0);
	ui_view_pop(u, &v);
	ui_redraw(u);
	return r;
}

int ui_ask(struct ui *u, const char *label, const char *help, const char *def, char *buf,
	   size_t cap)
{
	struct ui_field f = { 0 };

	f.label = label;
	f.help = help;
	f.def = def;
	f.buf = buf;
	f.cap = cap;
	f.row = -3;
	f.col = 1;
	return ui_field_run(u, &f);
}

int ui_confirm(struct ui *u, const char *question, int def_yes)
{
	char ans[16];

	for (;;) {
		memset(ans, 0, sizeof ans);
		if (ui_ask(u, question, "Answer Yes or No (Y or N).", def_yes ? "Yes" : "No", ans,
			   sizeof ans) != UI_OK)
			return 0;
		if (!strcasecmp(ans, "y") || !strcasecmp(ans, "yes"))
			return 1;
		if (!strcasecmp(ans, "n") || !strcasecmp(ans, "no"))
			return 0;
		ui_msg(u, 1, "Answer Yes or No.");
	}
}

static int format_day(time_t t, char out[11])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return -1;
	return strftime(out, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

/* "T", "T-7", "T+2W", "NOW": days relative to today (UTC, as the audit log). */
static int parse_relative(const char *s, char out[11])
{
	long n = 0, unit = 1;
	char *end;

	if (!strcasecmp(s, "NOW") || !strcasecmp(s, "T") || !strcasecmp(s, "TODAY"))
		return format_day((time_t)time_now(), out);
	if (toupper((unsigned char)s[0]) != 'T' || (s[1] != '-' && s[1] != '+'))
		return -1;
	if (!isdigit((unsigned char)s[2]))
		return -1;
	n = strtol(s + 2, &end, 10);
	if (n > 36500)
		return -1;
	if (toupper((unsigned char)*end) == 'W') {
		unit = 7;
		end++;
	} else if (toupper((unsigned char)*end) == 'D') {
		end++;
	}
	if (*end)
		return -1;
	if (s[1] == '-')
		n = -n;
	return format_day((time_t)(time_now() + (int64_t)n * unit * 86400), out);
}

int ui_date_parse(const char *in, char out[11])
{
	struct tm tm;
	int y, m, d, used = 0;
	time_t t;

	if (parse_relative(in, out) == 0)
		return 0;
	if (sscanf(in, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || in[used] || strlen(in) != 10)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	if (t == (time_t)-1 || format_day(t, out) != 0)
		return -1;
	/* timegm normalises 02-30 to 03-02: a changed date was not a date. */
	return strncmp(in, out, 10) == 0 ? 0 : -1;
}
