/* folio — unit tests: the release-of-information PDF writer
 * (src/interop/pdf.c).  A multi-page packet is read back with pdftotext
 * (poppler-utils) to prove every word, the running header and footer and
 * the page numbering are really in it; hostile input (invalid UTF-8, a
 * 5,000-character word, NULs, control characters, the Big List of Naughty
 * Strings) must still give a valid file; misuse gives errors that do not
 * repeat the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "folio/pdf.h"
#include "folio/smem.h"

#define PDFTOTEXT "/usr/bin/pdftotext"
#define FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define NAME "Zo\xc3\xab \xc3\x98rsted \xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" /* Zoë Ørsted 王小明 */
#define NAME_LATIN "Zo\xc3\xab \xc3\x98rsted"
#define NAME_HAN "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"
#define MARK "CONFIDENTIAL"
#define PARAS 12
#define WORDS 120

/* ---- helpers --------------------------------------------------------- */

struct packet {
	unsigned char *bytes;
	size_t len;
	int pages;
	int unicode;
};

static void packet_done(struct packet *pk)
{
	smem_free(pk->bytes);
	pk->bytes = NULL;
}

/* Finishes p into pk, checks the file's frame, frees p. */
static void finish(struct pdf *p, struct packet *pk)
{
	struct folio_err e = { 0 };
	size_t n;

	pk->pages = pdf_pages(p);
	pk->unicode = pdf_unicode(p);
	assert_int_equal(pdf_finish(p, &pk->bytes, &pk->len, &e), 0);
	assert_non_null(pk->bytes);
	assert_true(pk->len > 100);
	assert_int_equal(pdf_pages(p), pk->pages ? pk->pages : 1);
	pk->pages = pdf_pages(p);
	pdf_free(p);
	assert_memory_equal(pk->bytes, "%PDF-", 5);
	n = pk->len;
	while (n > 0 && (pk->bytes[n - 1] == '\n' || pk->bytes[n - 1] == '\r'))
		n--;
	assert_true(n >= 5);
	assert_memory_equal(pk->bytes + n - 5, "%%EOF", 5);
}

/* The words of paragraph i: unique tokens, so each can be found alone. */
static void paragraph(char *buf, size_t cap, int i)
{
	size_t at = 0;

	for (int w = 0; w < WORDS; w++)
		at += (size_t)snprintf(buf + at, cap - at, "%sp%02dw%03d", w ? " " : "", i, w);
}

static int have_pdftotext(void)
{
	if (access(PDFTOTEXT, X_OK) != 0) {
		print_message("skipped: pdftotext not found\n");
		return 0;
	}
	return 1;
}

/* What `pdftotext -layout` reads in the packet (malloc'd, NUL-terminated),
 * by way of a private temporary directory that is removed again. */
static char *extract(const struct packet *pk)
{
	char dir[] = "/tmp/folio-pdf-XXXXXX", path[64], cmd[128];
	char *out = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/packet-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pk->bytes, pk->len), (ssize_t)pk->len);
	assert_int_equal(close(fd), 0);
	snprintf(cmd, sizeof cmd, PDFTOTEXT " -layout %s - 2>/dev/null", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		got = fread(out + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	out[len] = '\0';
	assert_int_equal(pclose(f), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

/* Every page (pdftotext ends each with a form feed) has the mark in its
 * header and footer and its own "Page i of n". */
static void check_pages(char *text, int pages)
{
	char want[48], *page = text;

	assert_int_equal(count(text, "\f"), pages);
	for (int i = 1; i <= pages; i++) {
		char *ff = strchr(page, '\f');

		assert_non_null(ff);
		*ff = '\0';
		snprintf(want, sizeof want, "Page %d of %d", i, pages);
		assert_non_null(strstr(page, want));
		assert_true(count(page, MARK) >= 2);
		*ff = '\f';
		page = ff + 1;
	}
}

/* ---- tests ------------------------------------------------------------ */

/* Two sections of text over three and more pages, fields with a name in
 * three scripts, read back word by word. */
static void test_packet(void **state)
{
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p = pdf_new("Release of information ROI-2024-0042", MARK, &e);
	const char *request = "Requested by " NAME ".\n\nBlank line above.\n";
	char para[WORDS * 10], word[16], *text;

	(void)state;
	assert_non_null(p);
	assert_int_equal(pdf_pages(p), 0);
	assert_int_equal(pdf_section(p, "Patient", &e), 0);
	assert_int_equal(pdf_field(p, "Name", NAME, &e), 0);
	assert_int_equal(pdf_field(p, "Date of birth", "1962-03-14", &e), 0);
	assert_int_equal(pdf_field(p, "A label long enough to wrap in its narrow column",
				   "and a value", &e), 0);
	assert_int_equal(pdf_subheading(p, "Request", &e), 0);
	assert_int_equal(pdf_text(p, request, strlen(request), &e), 0);
	assert_int_equal(pdf_pages(p), 1);
	assert_int_equal(pdf_section(p, "Progress notes", &e), 0);
	assert_int_equal(pdf_pages(p), 2);
	for (int i = 0; i < PARAS; i++) {
		paragraph(para, sizeof para, i);
		if (i == PARAS / 2)
			assert_int_equal(pdf_subheading(p, "Later notes", &e), 0);
		assert_int_equal(pdf_text(p, para, strlen(para), &e), 0);
		assert_int_equal(pdf_text(p, "\n", 1, &e), 0);
	}
	assert_true(pdf_pages(p) >= 4);
	finish(p, &pk);
	assert_true(pk.pages >= 4);
	if (!have_pdftotext()) {
		packet_done(&pk);
		skip();
	}
	text = extract(&pk);
	for (int i = 0; i < PARAS; i++)
		for (int w = 0; w < WORDS; w++) {
			snprintf(word, sizeof word, "p%02dw%03d", i, w);
			assert_non_null(strstr(text, word));
		}
	assert_non_null(strstr(text, "Progress notes"));
	assert_non_null(strstr(text, "Later notes"));
	assert_non_null(strstr(text, "Date of birth:"));
	assert_non_null(strstr(text, "1962-03-14"));
	assert_non_null(strstr(text, "Blank line above."));
	assert_non_null(strstr(text, "Release of information ROI-2024-0042"));
	check_pages(text, pk.pages);
	if (access(FONT_DIR "/DejaVuSans.ttf", R_OK) == 0) {
		assert_int_equal(pk.unicode, 1);
		assert_non_null(strstr(text, NAME_LATIN));
		assert_non_null(strstr(text, NAME_HAN));
	}
	free(text);
	packet_done(&pk);
}

/* Without the TrueType font: Helvetica in CP1252, '?' for what it lacks. */
static void test_fallback(void **state)
{
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p = pdf_new_fonts("Fallback", MARK, "/nonexistent", &e);
	const char *s = NAME " \xe2\x80\x93 \xe2\x82\xac" "5 done";   /* – €5 */
	char *text;

	(void)state;
	assert_non_null(p);
	assert_int_equal(pdf_unicode(p), 0);
	assert_int_equal(pdf_text(p, s, strlen(s), &e), 0);
	finish(p, &pk);
	assert_int_equal(pk.pages, 1);
	if (!have_pdftotext()) {
		packet_done(&pk);
		skip();
	}
	text = extract(&pk);
	assert_non_null(strstr(text, NAME_LATIN " ??? \xe2\x80\x93 \xe2\x82\xac" "5 done"));
	check_pages(text, 1);
	free(text);
	packet_done(&pk);
}

/* Hostile bytes in both encodings (state: the font directory, or NULL for
 * Helvetica): each document is still a valid PDF. */
static void test_hostile(void **state)
{
	const char *font_dir = *state;
	static const char bad[] = "bad:\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82 end";
	static const char nuls[] = "ab\0cd\0\0ef";
	static const char ctl[] = "x\x01\x1b[31my\r\n\tz\x7f\xc2\x85w \xf0\x9f\x98\x80 emoji";
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p = pdf_new_fonts("Hostile \xff title", MARK "\x01", font_dir, &e);
	char *word = malloc(5001), *zalgo = malloc(3 * 2000 + 1);

	assert_non_null(p);
	assert_non_null(word);
	assert_non_null(zalgo);
	memset(word, 'q', 5000);
	word[5000] = '\0';
	/* one letter under 2,000 combining marks: all zero width, no spaces */
	zalgo[0] = 'Z';
	for (int i = 0; i < 2000; i++)
		memcpy(zalgo + 1 + 2 * i, "\xcc\x81", 2);
	zalgo[1 + 2 * 2000] = '\0';
	assert_int_equal(pdf_text(p, NULL, 0, &e), 0);
	assert_int_equal(pdf_text(p, "", 0, &e), 0);
	assert_int_equal(pdf_pages(p), 0);
	assert_int_equal(pdf_section(p, "", &e), 0);
	assert_int_equal(pdf_text(p, bad, sizeof bad - 1, &e), 0);
	assert_int_equal(pdf_text(p, nuls, sizeof nuls - 1, &e), 0);
	assert_int_equal(pdf_text(p, ctl, sizeof ctl - 1, &e), 0);
	assert_int_equal(pdf_text(p, "\n\n\n   \n \t \n", 12, &e), 0);
	assert_int_equal(pdf_text(p, word, 5000, &e), 0);
	assert_int_equal(pdf_text(p, zalgo, strlen(zalgo), &e), 0);
	assert_int_equal(pdf_field(p, "", "", &e), 0);
	assert_int_equal(pdf_field(p, word, bad, &e), 0);
	assert_int_equal(pdf_subheading(p, bad, &e), 0);
	assert_int_equal(pdf_section(p, word, &e), 0);
	finish(p, &pk);
	free(word);
	free(zalgo);
	if (!have_pdftotext()) {
		packet_done(&pk);
		skip();
	}
	{
		char *text = extract(&pk);

		assert_non_null(strstr(text, "abcdef"));
		assert_non_null(strstr(text, "x[31my"));
		assert_non_null(strstr(text, "zw "));
		assert_non_null(strstr(text, " end"));
		/* the long word, broken over lines, is all there: 5000 in the
		 * text, 5000 in the field's label and 5000 in the heading */
		assert_int_equal(count(text, "q"), 3 * 5000);
		assert_true(count(text, "qqqqqqqqqq\n") > 10);
		if (pk.unicode)
			assert_non_null(strstr(text, "bad:\xef\xbf\xbd"));
		else
			assert_non_null(strstr(text, "bad:?"));
		check_pages(text, pk.pages);
		free(text);
	}
	packet_done(&pk);
}

/* Every line of the Big List of Naughty Strings as text, heading and field. */
static void test_naughty(void **state)
{
	static const char *const lists[] = {
		"../shared/testdata/naughty_strings/blns.txt",
		"../shared/testdata/patient_matching/naughty_strings/blns.txt",
	};
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p;
	char line[4096];
	FILE *f = NULL;
	int lines = 0;

	(void)state;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0] && !f; i++)
		f = fopen(lists[i], "r");
	if (!f) {
		print_message("skipped: blns.txt not found\n");
		skip();
	}
	p = pdf_new("Naughty strings", MARK, &e);
	assert_non_null(p);
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);

		if (lines % 100 == 0)
			assert_int_equal(pdf_section(p, line, &e), 0);
		assert_int_equal(pdf_text(p, line, n, &e), 0);
		assert_int_equal(pdf_field(p, line, line, &e), 0);
		lines++;
	}
	fclose(f);
	assert_true(lines > 100);
	finish(p, &pk);
	if (have_pdftotext()) {
		char *text = extract(&pk);

		check_pages(text, pk.pages);
		free(text);
	}
	packet_done(&pk);
}

/* Wrong calls are refused and the message never repeats the text. */
static void test_misuse(void **state)
{
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p;
	unsigned char *out = (unsigned char *)"x";
	size_t len = 1;

	(void)state;
	assert_null(pdf_new(NULL, MARK, &e));
	assert_int_equal(e.code, FOLIO_EUSAGE);
	assert_int_equal(pdf_text(NULL, "x", 1, &e), FOLIO_EUSAGE);
	assert_int_equal(pdf_pages(NULL), 0);
	pdf_free(NULL);

	p = pdf_new("Empty", MARK, &e);
	assert_non_null(p);
	assert_int_equal(pdf_text(p, NULL, 3, &e), FOLIO_EUSAGE);
	assert_int_equal(pdf_field(p, "Name", NULL, &e), FOLIO_EUSAGE);
	assert_int_equal(pdf_section(p, NULL, &e), FOLIO_EUSAGE);
	assert_int_equal(pdf_finish(p, NULL, &len, &e), FOLIO_EUSAGE);
	assert_int_equal(pdf_finish(p, &out, &len, &e), 0);
	assert_int_equal(pdf_pages(p), 1);    /* an empty packet is one page */
	assert_int_equal(pdf_section(p, NAME, &e), FOLIO_EUSAGE);
	assert_null(strstr(e.msg, "rsted"));
	assert_int_equal(pdf_text(p, NAME, strlen(NAME), &e), FOLIO_EUSAGE);
	assert_null(strstr(e.msg, "rsted"));
	assert_int_equal(pdf_finish(p, &pk.bytes, &pk.len, &e), FOLIO_EUSAGE);
	assert_null(pk.bytes);
	pdf_free(p);
	pk.bytes = out;
	pk.len = len;
	assert_memory_equal(out, "%PDF-", 5);
	packet_done(&pk);

	/* a font file that is there but is no font is an error, not '?'s */
	{
		char dir[] = "/tmp/folio-pdf-XXXXXX", path[64];
		FILE *f;

		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/DejaVuSans.ttf", dir);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("not a font", f);
		fclose(f);
		assert_null(pdf_new_fonts(NAME, MARK, dir, &e));
		assert_int_equal(e.code, FOLIO_EFAIL);
		assert_non_null(strstr(e.msg, "DejaVuSans.ttf"));
		assert_null(strstr(e.msg, "rsted"));
		assert_int_equal(unlink(path), 0);
		assert_int_equal(rmdir(dir), 0);
	}
}

/* Ten pages, one section each, with and without the embedded font: the
 * sizes are printed for the record. */
static size_t ten_pages(const char *font_dir)
{
	struct folio_err e = { 0 };
	struct packet pk = { 0 };
	struct pdf *p = pdf_new_fonts("Release of information ROI-2024-0042", MARK, font_dir, &e);
	char para[WORDS * 10], heading[32];
	size_t len;

	assert_non_null(p);
	for (int i = 0; i < 10; i++) {
		snprintf(heading, sizeof heading, "Section %d", i + 1);
		assert_int_equal(pdf_section(p, heading, &e), 0);
		assert_int_equal(pdf_field(p, "Patient", NAME, &e), 0);
		for (int k = 0; k < 3; k++) {
			paragraph(para, sizeof para, i * 3 + k);
			assert_int_equal(pdf_text(p, para, strlen(para), &e), 0);
		}
	}
	finish(p, &pk);
	assert_int_equal(pk.pages, 10);
	len = pk.len;
	packet_done(&pk);
	return len;
}

static void test_size(void **state)
{
	size_t with, without;

	(void)state;
	if (access(FONT_DIR "/DejaVuSans.ttf", R_OK) != 0) {
		print_message("skipped: DejaVu Sans not installed\n");
		skip();
	}
	with = ten_pages(FONT_DIR);
	without = ten_pages(NULL);
	print_message("10-page packet: %zu bytes with DejaVu Sans embedded, %zu with Helvetica\n",
		      with, without);
	assert_true(with > without);
}

int main(void)
{
	static char dejavu[] = FONT_DIR;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet),          cmocka_unit_test(test_fallback),
		cmocka_unit_test_prestate(test_hostile, dejavu),
		cmocka_unit_test_prestate(test_hostile, NULL),
		cmocka_unit_test(test_naughty),         cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_size),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
