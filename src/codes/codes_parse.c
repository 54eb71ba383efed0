/* folio — the line parsers of the CMS/CDC code-set files and code text
 * helpers (include/folio/codes.h).  Pure: a line in, a row or a reason out.
 * The loader prefixes "FILE:LINE: " to the reasons given here. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "folio/codes.h"
#include "folio/date.h"

/* Order-file columns, 0-based. */
#define COL_CODE 6
#define COL_CODE_END 13 /* 7 columns */
#define COL_FLAG 14
#define COL_SHORT 16
#define COL_SHORT_END 76 /* 60 columns */
#define COL_LONG 77

uint64_t codes_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

const char *codes_system_name(enum codes_system s)
{
	return s == CODES_ICD10PCS ? "ICD-10-PCS" : "ICD-10-CM";
}

/* Whether s[0..n) can be quoted in a message as it is. */
static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int is_upper_alnum(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

int codes_normalize(const char *in, char out[CODES_CODE_MAX])
{
	size_t n = 0;

	out[0] = '\0';
	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in; in++) {
		char ch = *in;
		if (ch == '.')
			continue;
		if (ch == ' ' || ch == '\t') {
			/* only trailing blanks */
			while (*in == ' ' || *in == '\t')
				in++;
			if (*in)
				return -1;
			break;
		}
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!is_upper_alnum(ch) || n == CODES_CODE_MAX - 1)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n ? 0 : -1;
}

void codes_format(enum codes_system sys, const char *code, char out[CODES_DOTTED_MAX])
{
	size_t n = strnlen(code, CODES_CODE_MAX - 1);

	if (sys == CODES_ICD10CM && n > 3) {
		memcpy(out, code, 3);
		out[3] = '.';
		memcpy(out + 4, code + 3, n - 3);
		out[n + 1] = '\0';
	} else {
		memcpy(out, code, n);
		out[n] = '\0';
	}
}

int codes_fy_for_date(const char *date)
{
	int y, m, d;

	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9'))
			return 0;
	y = atoi(date);
	m = atoi(date + 5);
	d = atoi(date + 8);
	if (date_days(y, m, d) == DATE_INVALID)
		return 0;
	return m >= 10 ? y + 1 : y;
}

/* Length of s[0..n) without its trailing blanks. */
static size_t trim_right(const char *s, size_t n)
{
	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* Description text: non-empty, valid UTF-8, no control characters. */
static int desc_ok(const char *s, size_t n, const char *what, struct folio_err *e)
{
	if (n == 0)
		return err_set(e, FOLIO_EUSAGE, "the %s is empty", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "the %s holds a control character (byte %zu)", what,
				       i + 1);
	if (utf8_length(s, n) < 0)
		return err_set(e, FOLIO_EUSAGE, "the %s is not valid UTF-8", what);
	return FOLIO_OK;
}

static int code_shape_ok(enum codes_system sys, const char *code, size_t n, int billable, struct folio_err *e)
{
	for (size_t i = 0; i < n; i++)
		if (!is_upper_alnum(code[i]))
			return printable(code, n)
				       ? err_set(e, FOLIO_EUSAGE, "code '%.*s' holds '%c': codes are upper-case letters"
						 " and digits", (int)n, code, code[i])
				       : err_set(e, FOLIO_EUSAGE, "the code in columns 7-13 holds a byte that is not"
						 " an upper-case letter or digit");
	if (sys == CODES_ICD10CM) {
		if (n < 3 || !(code[0] >= 'A' && code[0] <= 'Z'))
			return err_set(e, FOLIO_EUSAGE,
				       "'%.*s' is not an ICD-10-CM code (3 to 7 letters and digits, a letter first)",
				       (int)n, code);
		return FOLIO_OK;
	}
	if (n != 3 && n != 7)
		return err_set(e, FOLIO_EUSAGE, "'%.*s' is not an ICD-10-PCS code (7 characters, or 3 for a header)",
			       (int)n, code);
	if ((n == 7) != (billable == 1))
		return err_set(e, FOLIO_EUSAGE, "ICD-10-PCS code '%.*s' is marked %s: only 7-character codes are valid",
			       (int)n, code, billable ? "valid" : "a header");
	return FOLIO_OK;
}

int codes_order_line(enum codes_system sys, const char *line, size_t len, struct codes_row *r,
		     struct folio_err *e)
{
	size_t n;
	int rc;

	memset(r, 0, sizeof *r);
	if (len <= COL_LONG)
		return err_set(e, FOLIO_EUSAGE, "line too short (%zu characters): the long description starts in"
			       " column 78", len);
	for (int i = 0; i < 5; i++) {
		if (line[i] < '0' || line[i] > '9')
			return err_set(e, FOLIO_EUSAGE, "columns 1-5 must be the order number (5 digits)");
		r->order = r->order * 10 + (line[i] - '0');
	}
	if (line[5] != ' ' || line[COL_CODE_END] != ' ' || line[COL_FLAG + 1] != ' ' ||
	    line[COL_SHORT_END] != ' ')
		return err_set(e, FOLIO_EUSAGE, "columns 6, 14, 16 and 77 must be blank (fixed-width layout)");
	n = trim_right(line + COL_CODE, COL_CODE_END - COL_CODE);
	for (size_t i = 0; i < n; i++)
		if (line[COL_CODE + i] == ' ')
			return err_set(e, FOLIO_EUSAGE, "the code in columns 7-13 holds a blank");
	if (n == 0)
		return err_set(e, FOLIO_EUSAGE, "no code in columns 7-13");
	if (line[COL_FLAG] != '0' && line[COL_FLAG] != '1')
		return err_set(e, FOLIO_EUSAGE, "column 15 must be 1 (valid) or 0 (header), not '%c'",
			       (unsigned char)line[COL_FLAG] >= 0x20 && line[COL_FLAG] < 0x7f ? line[COL_FLAG] : '?');
	r->billable = line[COL_FLAG] == '1';
	if ((rc = code_shape_ok(sys, line + COL_CODE, n, r->billable, e)))
		return rc;
	memcpy(r->code, line + COL_CODE, n);
	r->code[n] = '\0';
	r->short_desc = line + COL_SHORT;
	r->short_len = trim_right(r->short_desc, COL_SHORT_END - COL_SHORT);
	r->long_desc = line + COL_LONG;
	r->long_len = trim_right(r->long_desc, len - COL_LONG);
	if ((rc = desc_ok(r->short_desc, r->short_len, "short description (columns 17-76)", e)) ||
	    (rc = desc_ok(r->long_desc, r->long_len, "long description (column 78 on)", e)))
		return rc;
	if (r->long_len >= CODES_LONG_MAX)
		return err_set(e, FOLIO_EUSAGE, "the long description is longer than %d characters", CODES_LONG_MAX - 1);
	return FOLIO_OK;
}

/* Splits a tab-separated line into at most max views; returns the count
 * (which may exceed max). */
static int split_tabs(const char *line, size_t len, const char **f, size_t *fl, int max)
{
	int n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (n < max) {
				f[n] = line + start;
				fl[n] = i - start;
			}
			n++;
			start = i + 1;
		}
	}
	return n;
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int poa_bad_code(const char *f, size_t n, char code[CODES_CODE_MAX], struct folio_err *e)
{
	code[0] = '\0';
	if (n <= 16 && printable(f, n))
		return err_set(e, FOLIO_EUSAGE, "'%.*s' is not a dotted ICD-10-CM code", (int)n, f);
	return err_set(e, FOLIO_EUSAGE, "the second field is not a dotted ICD-10-CM code");
}

int codes_poa_line(const char *line, size_t len, char code[CODES_CODE_MAX], struct folio_err *e)
{
	const char *f[3];
	size_t fl[3], n = 0;
	int nf = split_tabs(line, len, f, fl, 3);

	code[0] = '\0';
	if (nf >= 2 && fl[0] >= 5 && memcmp(f[0], "Order", 5) == 0)
		return FOLIO_OK; /* the column titles */
	if (nf != 3)
		return err_set(e, FOLIO_EUSAGE, "%d tab-separated fields, 3 expected (order, code, description)", nf);
	if (!all_digits(f[0], fl[0]))
		return err_set(e, FOLIO_EUSAGE, "the order number is not a number");
	for (size_t i = 0; i < fl[1]; i++) {
		char ch = f[1][i];
		if (ch == '.' && i == 3)
			continue;
		if (!is_upper_alnum(ch) || n == CODES_CODE_MAX - 1)
			return poa_bad_code(f[1], fl[1], code, e);
		code[n++] = ch;
	}
	code[n] = '\0';
	if (n < 3 || code[0] < 'A' || code[0] > 'Z')
		return poa_bad_code(f[1], fl[1], code, e);
	{
		int rc = desc_ok(f[2], trim_right(f[2], fl[2]), "description", e);
		if (rc) {
			code[0] = '\0';
			return rc;
		}
	}
	return FOLIO_OK;
}

/* A decimal number in s[0..n): plain digits with an optional fraction. */
static int number(const char *s, size_t n, double *out)
{
	char buf[32], *end;
	int dot = 0;

	if (n == 0 || n >= sizeof buf)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && !dot && i > 0 && i + 1 < n)
			dot = 1;
		else if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return errno || *end || !isfinite(*out) ? -1 : 0;
}

int codes_weight_line(const char *line, size_t len, struct codes_weight *w, struct folio_err *e)
{
	static const char *const names[4] = { "drg", "weight", "gmlos", "amlos" };
	const char *f[4];
	size_t fl[4];
	double v[4];
	int nf;

	memset(w, 0, sizeof *w);
	if (trim_right(line, len) == 0 || line[0] == '#')
		return FOLIO_OK;
	nf = split_tabs(line, len, f, fl, 4);
	if (nf >= 1 && fl[0] >= 3 && strncasecmp(f[0], "drg", 3) == 0)
		return FOLIO_OK; /* the column titles */
	if (nf != 4)
		return err_set(e, FOLIO_EUSAGE, "%d tab-separated fields, 4 expected (drg, weight, gmlos, amlos)", nf);
	for (int i = 0; i < 4; i++) {
		size_t l = trim_right(f[i], fl[i]);
		if (number(f[i], l, &v[i]) != 0)
			return err_set(e, FOLIO_EUSAGE, "%s is not a number", names[i]);
	}
	if (!all_digits(f[0], trim_right(f[0], fl[0])) || v[0] < 1 || v[0] > 999)
		return err_set(e, FOLIO_EUSAGE, "drg must be a whole number from 1 to 999");
	if (v[1] <= 0 || v[1] > 100)
		return err_set(e, FOLIO_EUSAGE, "weight must be above 0 (and at most 100)");
	if (v[2] > 1000 || v[3] > 1000)
		return err_set(e, FOLIO_EUSAGE, "a length of stay over 1000 days");
	w->drg = (int)v[0];
	w->weight = v[1];
	w->gmlos = v[2];
	w->amlos = v[3];
	return FOLIO_OK;
}
