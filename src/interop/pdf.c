/* folio — the PDF writer for release-of-information packets, on libharu:
 * pages with a running header and footer, headings, word-wrapped UTF-8 text
 * and label/value fields.
 *
 * The text is patient data.  libharu gets all of its memory from us
 * (HPDF_NewEx with smem_alloc/smem_free and one large pool, so a handful of
 * guarded allocations carry the whole document, its page streams and the
 * saved file, and every one is wiped on free); the file is saved to
 * libharu's memory stream and copied out into one guarded buffer, never to a
 * temp file.  Page text is left uncompressed: libharu runs zlib with zlib's
 * own malloc, so compressing it would leave the text in unwiped heap
 * (only the fonts, which are not patient data, are compressed).
 */
#include "folio/pdf.h"

#include "folio/smem.h"

#include <hpdf.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 612.0f                  /* US Letter, points */
#define PAGE_H 792.0f
#define MARGIN 72.0f
#define BODY_PT 10.0f
#define HEADING_PT 14.0f
#define SUBHEAD_PT 11.0f
#define RUNNING_PT 8.0f                /* header and footer */
#define LEADING 1.3f                   /* line height over font size */
#define LABEL_W 144.0f                 /* pdf_field's label column */
#define COLUMN_GAP 8.0f
#define HEADER_Y (PAGE_H - MARGIN + 24.0f)
#define FOOTER_Y (MARGIN - 32.0f)
#define RULE_GAP 6.0f                  /* header/footer text to its rule */
#define POOL_SIZE (256u * 1024u)       /* libharu's pool: few guarded allocations */
/* libharu truncates a string at 65535 bytes; lines of zero-width characters
 * could pass that while still "fitting", so a line is also cut by bytes. */
#define LINE_MAX_BYTES 1024
#define FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define FONT_REGULAR "DejaVuSans.ttf"
#define FONT_BOLD "DejaVuSans-Bold.ttf"
#define REPLACEMENT 0xFFFDu

struct pdf {
	HPDF_Doc doc;
	HPDF_Font body, bold;
	int unicode;                 /* DejaVu in UTF-8; else Helvetica in CP1252 */
	HPDF_STATUS lib_err;         /* the last error libharu reported */
	HPDF_STATUS lib_detail;
	int broken;                  /* a library error: nothing more is written */
	int finished;
	HPDF_Page page;              /* current page; NULL before the first */
	int pages;
	int page_used;               /* the current page has body text */
	float y;                     /* top of the next line on the page */
	char *title, *mark;          /* encoded for the fonts, guarded */
	size_t title_len, mark_len;
	char *buf;                   /* encoded text being laid out, guarded */
	size_t cap;
};

/* ---- libharu's memory and errors ------------------------------------ */

static void *pdf_lib_alloc(HPDF_UINT size)
{
	return smem_alloc(size);
}

static void pdf_lib_free(void *ptr)
{
	smem_free(ptr);
}

/* libharu calls this for every error and then returns the code as well, so
 * recording it is enough: every call's result is checked where it is made. */
static void pdf_lib_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct pdf *p = user_data;

	p->lib_err = error_no;
	p->lib_detail = detail_no;
}

/* Fails the document with libharu's error number, never with its text. */
static int pdf_fail(struct pdf *p, HPDF_STATUS ret, struct folio_err *e)
{
	HPDF_STATUS no = p->lib_err ? p->lib_err : ret;

	p->broken = 1;
	if (no == HPDF_FAILD_TO_ALLOC_MEM)
		return err_set(e, FOLIO_EFAIL, "out of memory building the PDF");
	return err_set(e, FOLIO_EFAIL, "the PDF library failed (error 0x%04X, detail %u)",
		       (unsigned)no, (unsigned)p->lib_detail);
}

static int pdf_usable(struct pdf *p, struct folio_err *e)
{
	if (!p)
		return err_set(e, FOLIO_EUSAGE, "no PDF document");
	if (p->finished)
		return err_set(e, FOLIO_EUSAGE, "the PDF document is already finished");
	if (p->broken)
		return err_set(e, FOLIO_EFAIL, "the PDF document failed earlier and cannot be written");
	return FOLIO_OK;
}

/* ---- text encoding --------------------------------------------------- */

/* The code point at s[0..n) (n >= 1) and its length in *used; a byte that
 * does not start a well-formed sequence is U+FFFD on its own. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	unsigned char c = s[0];
	uint32_t cp, min;
	size_t more;

	*used = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF)
		more = 1, cp = c & 0x1Fu, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		more = 2, cp = c & 0x0Fu, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		more = 3, cp = c & 0x07u, min = 0x10000;
	else
		return REPLACEMENT;
	if (more >= n)
		return REPLACEMENT;
	for (size_t k = 1; k <= more; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return REPLACEMENT;
		cp = cp << 6 | (s[k] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return REPLACEMENT;
	*used = more + 1;
	return cp;
}

/* CP1252's 0x80..0x9F; 0 where the code page has no character. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static unsigned char cp1252_byte(uint32_t cp)
{
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (unsigned char)cp;
	for (unsigned i = 0; i < ARRAY_SIZE(cp1252_high); i++)
		if (cp1252_high[i] == cp)
			return (unsigned char)(0x80 + i);
	return '?';
}

/* One code point in the document's encoding at out; returns the bytes
 * written (0 for a character that is dropped). */
static size_t encode_cp(const struct pdf *p, uint32_t cp, int keep_newline, char *out)
{
	if (cp == '\n')
		cp = keep_newline ? '\n' : ' ';
	else if (cp == '\t')
		cp = ' ';
	else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (!p->unicode) {
		out[0] = (char)cp1252_byte(cp);
		return 1;
	}
	/* libharu's UTF-8 encoder maps the Basic Multilingual Plane only */
	if (cp > 0xFFFF)
		cp = REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Makes room for need bytes in the scratch buffer, keeping the first keep.
 * Guarded memory is never realloc'd: a bigger buffer, a copy, a wipe. */
static int scratch_reserve(struct pdf *p, size_t keep, size_t need, struct folio_err *e)
{
	char *grown;
	size_t cap;

	if (need <= p->cap)
		return FOLIO_OK;
	cap = need < SIZE_MAX / 2 ? need * 2 : need;
	if (cap < 4096)
		cap = 4096;
	grown = smem_alloc(cap);
	if (!grown)
		return err_set(e, FOLIO_EFAIL, "out of memory building the PDF");
	if (keep)
		memcpy(grown, p->buf, keep);
	smem_free(p->buf);
	p->buf = grown;
	p->cap = cap;
	return FOLIO_OK;
}

/* Appends s[0..len) to the scratch buffer at *at in the document's encoding
 * (at most 3 bytes a code point), leaving a spare byte after it. */
static int scratch_put(struct pdf *p, size_t *at, const char *s, size_t len, int keep_newline,
		       struct folio_err *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, used;
	int rc;

	if (len > (SIZE_MAX - *at - 1) / 3)
		return err_set(e, FOLIO_EUSAGE, "the text is too long for the PDF");
	if ((rc = scratch_reserve(p, *at, *at + 3 * len + 1, e)))
		return rc;
	while (i < len) {
		uint32_t cp = utf8_next(u + i, len - i, &used);

		*at += encode_cp(p, cp, keep_newline, p->buf + *at);
		i += used;
	}
	p->buf[*at] = '\0';
	return FOLIO_OK;
}

/* A NUL-terminated string encoded into its own guarded copy. */
static int encode_copy(struct pdf *p, const char *s, char **out, size_t *out_len,
		       struct folio_err *e)
{
	size_t n = 0;
	int rc;

	if ((rc = scratch_put(p, &n, s, strlen(s), 0, e)))
		return rc;
	*out = smem_alloc(n + 1);
	if (!*out)
		return err_set(e, FOLIO_EFAIL, "out of memory building the PDF");
	memcpy(*out, p->buf, n + 1);
	*out_len = n;
	return FOLIO_OK;
}

/* ---- measuring and wrapping ------------------------------------------ */

/* Bytes of the character at s (the scratch holds BMP UTF-8 or CP1252). */
static size_t char_len(const struct pdf *p, const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (!p->unicode || c < 0xC0)
		return 1;
	return c < 0xE0 ? 2 : 3;
}

/* Widths add up (libharu applies no kerning here), so s[from..to) is
 * measured a character at a time and given up once it passes limit:
 * *fit is where the part that fits ends; returns that part's width. */
static float measure(const struct pdf *p, HPDF_Font f, float size, const char *s, size_t from,
		     size_t to, float limit, size_t *fit)
{
	float used = 0;
	size_t i = from;

	while (i < to) {
		size_t k = char_len(p, s + i);
		HPDF_TextWidth tw;
		float w;

		if (k > to - i)
			k = to - i;
		tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s + i, (HPDF_UINT)k);
		w = (float)tw.width * size / 1000.0f;
		if (used + w > limit)
			break;
		used += w;
		i += k;
	}
	*fit = i;
	return used;
}

/* The next line of s[*pos..n) that fits avail points: returns its end, and
 * moves *pos past it and past the spaces or the '\n' that end it.  A word
 * longer than the line is broken; a line always takes a character. */
static size_t wrap_line(const struct pdf *p, HPDF_Font f, float size, const char *s, size_t n,
			size_t *pos, float avail)
{
	size_t start = *pos, end = start, i = start, cut = n - start > LINE_MAX_BYTES ?
		start + LINE_MAX_BYTES : n;
	float used = 0;

	while (i < n && s[i] != '\n') {
		size_t seg = i, word, fit;
		float w;

		while (i < n && s[i] == ' ')
			i++;
		word = i;
		while (i < n && s[i] != ' ' && s[i] != '\n')
			i++;
		if (i == word)
			break;
		w = measure(p, f, size, s, seg, i < cut ? i : cut, avail - used, &fit);
		if (fit == i) {
			used += w;
			end = i;
			continue;
		}
		if (end == start)
			end = fit > start ? fit : start + char_len(p, s + start);
		break;
	}
	i = end;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '\n')
		i++;
	*pos = i;
	return end;
}

/* ---- drawing ---------------------------------------------------------- */

/* Draws s[0..n) at (x, y); s[n] is borrowed for the terminator libharu needs. */
static int show(struct pdf *p, HPDF_Font f, float size, float x, float y, char *s, size_t n,
		struct folio_err *e)
{
	char saved = s[n];
	HPDF_STATUS r;

	if (n == 0)
		return FOLIO_OK;
	s[n] = '\0';
	r = HPDF_Page_BeginText(p->page);
	if (r == HPDF_OK)
		r = HPDF_Page_SetFontAndSize(p->page, f, size);
	if (r == HPDF_OK)
		r = HPDF_Page_TextOut(p->page, x, y, s);
	if (r == HPDF_OK)
		r = HPDF_Page_EndText(p->page);
	s[n] = saved;
	if (r == HPDF_OK && p->lib_err)
		r = p->lib_err;
	return r == HPDF_OK ? FOLIO_OK : pdf_fail(p, r, e);
}

static float text_width(HPDF_Font f, float size, const char *s, size_t n)
{
	HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)n);

	return (float)tw.width * size / 1000.0f;
}

static int rule(struct pdf *p, float y, struct folio_err *e)
{
	HPDF_STATUS r = HPDF_Page_SetLineWidth(p->page, 0.5f);

	if (r == HPDF_OK)
		r = HPDF_Page_MoveTo(p->page, MARGIN, y);
	if (r == HPDF_OK)
		r = HPDF_Page_LineTo(p->page, PAGE_W - MARGIN, y);
	if (r == HPDF_OK)
		r = HPDF_Page_Stroke(p->page);
	return r == HPDF_OK ? FOLIO_OK : pdf_fail(p, r, e);
}

/* One running line: left text (cut short with "..." when it would run into
 * the right one) and right text flush with the margin. */
static int running_line(struct pdf *p, float y, HPDF_Font lf, char *left, size_t llen,
			HPDF_Font rf, char *right, size_t rlen, struct folio_err *e)
{
	float rw = text_width(rf, RUNNING_PT, right, rlen);
	float room = PAGE_W - 2 * MARGIN - rw - 12.0f;
	size_t fit;
	float lw = measure(p, lf, RUNNING_PT, left, 0, llen, room, &fit);
	char dots[] = "...";
	int rc;

	if (fit < llen) {
		lw = measure(p, lf, RUNNING_PT, left, 0, llen,
			     room - text_width(lf, RUNNING_PT, dots, 3), &fit);
		if ((rc = show(p, lf, RUNNING_PT, MARGIN + lw, y, dots, 3, e)))
			return rc;
	}
	if ((rc = show(p, lf, RUNNING_PT, MARGIN, y, left, fit, e)))
		return rc;
	return show(p, rf, RUNNING_PT, PAGE_W - MARGIN - rw, y, right, rlen, e);
}

static int page_new(struct pdf *p, struct folio_err *e)
{
	HPDF_Page pg = HPDF_AddPage(p->doc);
	HPDF_STATUS r;
	int rc;

	if (!pg)
		return pdf_fail(p, HPDF_FAILD_TO_ALLOC_MEM, e);
	r = HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	if (r != HPDF_OK)
		return pdf_fail(p, r, e);
	p->page = pg;
	p->pages++;
	p->page_used = 0;
	p->y = PAGE_H - MARGIN;
	if ((rc = running_line(p, HEADER_Y, p->body, p->title, p->title_len, p->bold, p->mark,
			       p->mark_len, e)))
		return rc;
	return rule(p, HEADER_Y - RULE_GAP, e);
}

/* Stamps the footer of page index i of n. */
static int page_footer(struct pdf *p, int i, int n, struct folio_err *e)
{
	char num[48];
	int len, rc;

	p->page = HPDF_GetPageByIndex(p->doc, (HPDF_UINT)i);
	if (!p->page)
		return pdf_fail(p, HPDF_INVALID_PAGE_INDEX, e);
	len = snprintf(num, sizeof num, "Page %d of %d", i + 1, n);
	if ((rc = rule(p, FOOTER_Y + RUNNING_PT + RULE_GAP, e)))
		return rc;
	return running_line(p, FOOTER_Y, p->bold, p->mark, p->mark_len, p->body, num,
			    (size_t)len, e);
}

/* Room for one more line of height lead, on a new page if need be. */
static int line_room(struct pdf *p, float lead, struct folio_err *e)
{
	if (p->page && p->y - lead >= MARGIN)
		return FOLIO_OK;
	return page_new(p, e);
}

/* Lays out the scratch bytes [from, to) as wrapped lines at x. */
static int put_lines(struct pdf *p, HPDF_Font f, float size, float x, size_t from, size_t to,
		     struct folio_err *e)
{
	float lead = size * LEADING;
	size_t pos = from;
	int rc;

	while (pos < to) {
		size_t start = pos, end = wrap_line(p, f, size, p->buf, to, &pos, PAGE_W - MARGIN - x);

		if ((rc = line_room(p, lead, e)))
			return rc;
		if ((rc = show(p, f, size, x, p->y - size, p->buf + start, end - start, e)))
			return rc;
		p->y -= lead;
		p->page_used = 1;
	}
	return FOLIO_OK;
}

/* ---- the document ----------------------------------------------------- */

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* libharu trusts a TrueType file's table directory (a short or garbage file
 * crashes it inside HPDF_TTFontDef_Load), so the directory is checked
 * against the file's size before libharu sees it. */
static int font_plausible(const char *path)
{
	unsigned char head[12], entry[16];
	FILE *f = fopen(path, "rb");
	long size = -1;
	uint32_t tables;
	int ok = 0;

	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size > 12 && fseek(f, 0, SEEK_SET) == 0 && fread(head, 1, sizeof head, f) == sizeof head) {
		tables = (uint32_t)head[4] << 8 | head[5];
		ok = (be32(head) == 0x00010000u || be32(head) == 0x74727565u /* "true" */) &&
		     tables > 0 && 12 + 16 * (long)tables <= size;
		for (uint32_t i = 0; ok && i < tables; i++) {
			ok = fread(entry, 1, sizeof entry, f) == sizeof entry &&
			     be32(entry + 8) <= (uint32_t)size &&
			     be32(entry + 12) <= (uint32_t)size - be32(entry + 8);
		}
	}
	fclose(f);
	return ok;
}

/* The font at path in UTF-8; NULL with *e set. */
static HPDF_Font font_load(struct pdf *p, const char *path, struct folio_err *e)
{
	const char *name = font_plausible(path) ? HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE) : NULL;
	HPDF_Font f = name ? HPDF_GetFont(p->doc, name, "UTF-8") : NULL;

	if (!f)
		err_set(e, FOLIO_EFAIL, "cannot load the font %s (error 0x%04X)", path,
			(unsigned)p->lib_err);
	return f;
}

/* DejaVu Sans from dir when it is there (embedded, UTF-8), else Helvetica
 * in CP1252.  A font file that is there but will not load is an error: a
 * packet quietly printing '?' for a patient's name is worse than none. */
static int fonts_load(struct pdf *p, const char *dir, struct folio_err *e)
{
	char regular[1024], bold[1024];
	HPDF_STATUS r;

	if (dir && ((size_t)snprintf(regular, sizeof regular, "%s/%s", dir, FONT_REGULAR) >=
			    sizeof regular ||
		    (size_t)snprintf(bold, sizeof bold, "%s/%s", dir, FONT_BOLD) >= sizeof bold))
		return err_set(e, FOLIO_EUSAGE, "the font directory's name is too long");
	if (dir && access(regular, R_OK) == 0) {
		if ((r = HPDF_UseUTFEncodings(p->doc)) != HPDF_OK)
			return pdf_fail(p, r, e);
		if (!(p->body = font_load(p, regular, e)))
			return FOLIO_EFAIL;
		/* without the bold face, headings are set in the regular one */
		p->bold = p->body;
		if (access(bold, R_OK) == 0 && !(p->bold = font_load(p, bold, e)))
			return FOLIO_EFAIL;
		p->unicode = 1;
		r = HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	} else {
		p->body = HPDF_GetFont(p->doc, "Helvetica", "WinAnsiEncoding");
		p->bold = HPDF_GetFont(p->doc, "Helvetica-Bold", "WinAnsiEncoding");
		if (!p->body || !p->bold)
			return pdf_fail(p, HPDF_INVALID_FONT_NAME, e);
		r = HPDF_SetCurrentEncoder(p->doc, "WinAnsiEncoding");
	}
	return r == HPDF_OK ? FOLIO_OK : pdf_fail(p, r, e);
}

static int pdf_setup(struct pdf *p, const char *title, const char *mark, const char *font_dir,
		     struct folio_err *e)
{
	HPDF_STATUS r;
	int rc;

	p->doc = HPDF_NewEx(pdf_lib_error, pdf_lib_alloc, pdf_lib_free, POOL_SIZE, p);
	if (!p->doc)
		return err_set(e, FOLIO_EFAIL, "out of memory starting the PDF");
	r = HPDF_SetCompressionMode(p->doc, HPDF_COMP_METADATA);
	if (r != HPDF_OK)
		return pdf_fail(p, r, e);
	if ((rc = fonts_load(p, font_dir, e)))
		return rc;
	if ((rc = encode_copy(p, title, &p->title, &p->title_len, e)) ||
	    (rc = encode_copy(p, mark, &p->mark, &p->mark_len, e)))
		return rc;
	/* the info dictionary takes the title in the current encoder's bytes */
	r = HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, p->title);
	if (r == HPDF_OK)
		r = HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "folio " FOLIO_VERSION);
	return r == HPDF_OK ? FOLIO_OK : pdf_fail(p, r, e);
}

struct pdf *pdf_new_fonts(const char *title, const char *mark, const char *font_dir,
			  struct folio_err *e)
{
	struct pdf *p;

	if (!title || !mark) {
		err_set(e, FOLIO_EUSAGE, "a PDF needs a title and a mark");
		return NULL;
	}
	p = smem_alloc(sizeof *p);
	if (!p) {
		err_set(e, FOLIO_EFAIL, "out of memory starting the PDF");
		return NULL;
	}
	/* libharu mallocs a glyph copy of each line it sets in a Unicode font
	 * (and zlib its window) outside the allocator it is given: while a PDF
	 * is open, glibc overwrites every block freed, so no line of the packet
	 * stays in the heap. */
	mallopt(M_PERTURB, 0xA5);
	if (pdf_setup(p, title, mark, font_dir, e) != FOLIO_OK) {
		pdf_free(p);
		return NULL;
	}
	return p;
}

struct pdf *pdf_new(const char *title, const char *mark, struct folio_err *e)
{
	return pdf_new_fonts(title, mark, FONT_DIR, e);
}

/* A bold heading of the given size, wrapped at the margins. */
static int put_heading(struct pdf *p, const char *text, float size, struct folio_err *e)
{
	size_t n = 0;
	int rc = scratch_put(p, &n, text, strlen(text), 0, e);

	return rc ? rc : put_lines(p, p->bold, size, MARGIN, 0, n, e);
}

int pdf_section(struct pdf *p, const char *heading, struct folio_err *e)
{
	int rc = pdf_usable(p, e);

	if (rc)
		return rc;
	if (!heading)
		return err_set(e, FOLIO_EUSAGE, "a section needs a heading");
	if ((!p->page || p->page_used) && (rc = page_new(p, e)))
		return rc;
	if ((rc = put_heading(p, heading, HEADING_PT, e)))
		return rc;
	p->y -= BODY_PT * LEADING / 2;
	return FOLIO_OK;
}

int pdf_subheading(struct pdf *p, const char *text, struct folio_err *e)
{
	/* a sub-heading keeps the first lines under it on its page */
	float need = SUBHEAD_PT * LEADING + 3 * BODY_PT * LEADING;
	int rc = pdf_usable(p, e);

	if (rc)
		return rc;
	if (!text)
		return err_set(e, FOLIO_EUSAGE, "a sub-heading needs text");
	if (p->page && p->page_used)
		p->y -= BODY_PT * LEADING / 2;
	if ((!p->page || p->y - need < MARGIN) && (rc = page_new(p, e)))
		return rc;
	return put_heading(p, text, SUBHEAD_PT, e);
}

int pdf_text(struct pdf *p, const char *utf8, size_t len, struct folio_err *e)
{
	size_t n = 0;
	int rc;

	if ((rc = pdf_usable(p, e)))
		return rc;
	if (!utf8 && len)
		return err_set(e, FOLIO_EUSAGE, "no text for the PDF");
	if (len == 0)
		return FOLIO_OK;
	if ((rc = scratch_put(p, &n, utf8, len, 1, e)))
		return rc;
	return put_lines(p, p->body, BODY_PT, MARGIN, 0, n, e);
}

int pdf_field(struct pdf *p, const char *label, const char *value, struct folio_err *e)
{
	float lead = BODY_PT * LEADING, vx = MARGIN + LABEL_W;
	size_t lpos = 0, la = 0, vpos, vb;
	int rc;

	if ((rc = pdf_usable(p, e)))
		return rc;
	if (!label || !value)
		return err_set(e, FOLIO_EUSAGE, "a field needs a label and a value");
	if ((rc = scratch_put(p, &la, label, strlen(label), 1, e)))
		return rc;
	if (la && (rc = scratch_put(p, &la, ":", 1, 1, e)))
		return rc;
	vpos = vb = la;
	if ((rc = scratch_put(p, &vb, value, strlen(value), 1, e)))
		return rc;
	/* the two columns wrap side by side, each on its own line breaks */
	while (lpos < la || vpos < vb) {
		size_t ls = lpos, le = lpos, vs = vpos, ve = vpos;

		if (lpos < la)
			le = wrap_line(p, p->bold, BODY_PT, p->buf, la, &lpos, LABEL_W - COLUMN_GAP);
		if (vpos < vb)
			ve = wrap_line(p, p->body, BODY_PT, p->buf, vb, &vpos, PAGE_W - MARGIN - vx);
		if ((rc = line_room(p, lead, e)) ||
		    (rc = show(p, p->bold, BODY_PT, MARGIN, p->y - BODY_PT, p->buf + ls, le - ls, e)) ||
		    (rc = show(p, p->body, BODY_PT, vx, p->y - BODY_PT, p->buf + vs, ve - vs, e)))
			return rc;
		p->y -= lead;
		p->page_used = 1;
	}
	return FOLIO_OK;
}

/* Copies libharu's saved stream out into one guarded buffer. */
static int pdf_copy_out(struct pdf *p, unsigned char **out, size_t *len, struct folio_err *e)
{
	HPDF_UINT32 size = HPDF_GetStreamSize(p->doc), got = 0;
	unsigned char *buf;

	if (size == 0)
		return pdf_fail(p, HPDF_INVALID_STREAM, e);
	buf = smem_alloc(size);
	if (!buf)
		return err_set(e, FOLIO_EFAIL, "out of memory saving the PDF");
	while (got < size) {
		HPDF_UINT32 chunk = size - got;
		HPDF_STATUS r = HPDF_ReadFromStream(p->doc, buf + got, &chunk);

		/* the read that reaches the end reports HPDF_STREAM_EOF */
		if ((r != HPDF_OK && r != HPDF_STREAM_EOF) || chunk == 0) {
			smem_free(buf);
			return pdf_fail(p, r != HPDF_OK ? r : HPDF_STREAM_EOF, e);
		}
		got += chunk;
	}
	p->lib_err = HPDF_NOERROR;
	HPDF_ResetError(p->doc);
	*out = buf;
	*len = size;
	return FOLIO_OK;
}

int pdf_finish(struct pdf *p, unsigned char **out, size_t *len, struct folio_err *e)
{
	HPDF_STATUS r;
	int rc;

	if ((rc = pdf_usable(p, e)))
		return rc;
	if (!out || !len)
		return err_set(e, FOLIO_EUSAGE, "no place for the finished PDF");
	*out = NULL;
	*len = 0;
	if (!p->page && (rc = page_new(p, e)))
		return rc;
	for (int i = 0; i < p->pages; i++)
		if ((rc = page_footer(p, i, p->pages, e)))
			return rc;
	p->finished = 1;
	r = HPDF_SaveToStream(p->doc);
	if (r != HPDF_OK)
		return pdf_fail(p, r, e);
	return pdf_copy_out(p, out, len, e);
}

int pdf_pages(const struct pdf *p)
{
	return p ? p->pages : 0;
}

int pdf_unicode(const struct pdf *p)
{
	return p ? p->unicode : 0;
}

void pdf_free(struct pdf *p)
{
	if (!p)
		return;
	/* every block libharu holds came from smem_alloc and is wiped here */
	if (p->doc)
		HPDF_Free(p->doc);
	smem_free(p->buf);
	smem_free(p->title);
	smem_free(p->mark);
	smem_free(p);
	mallopt(M_PERTURB, 0);
}
