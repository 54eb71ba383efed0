/* folio — the checks of clinical fields other than vitals: choices, dates
 * and times, ICD-10-CM and LOINC codes, reference ranges, user names; and a
 * result's abnormal flag from its range.  Each writes the stored form of
 * what was typed, or refuses it with the rule (never the value). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clinical_internal.h"
#include "folio/account.h"
#include "folio/date.h"
#include "folio/patient.h"

/* Choices: "a|b|c"; case does not matter, and a prefix that names one
 * choice is taken (an exact match first: "H" is not "HH"). */
int clin_check_choice(const struct clinical_field *f, const char *in, char *out, size_t cap,
		      struct folio_err *e)
{
	const char *set = f->arg, *p = set, *hit = NULL;
	size_t n = strlen(in), hits = 0, hitlen = 0;

	while (*p) {
		size_t len = strcspn(p, "|");
		if (len == n && strncasecmp(p, in, n) == 0) {
			hit = p;
			hitlen = len;
			hits = 1;
			break;
		}
		if (n < len && strncasecmp(p, in, n) == 0) {
			hit = p;
			hitlen = len;
			hits++;
		}
		p += len + (p[len] == '|');
	}
	if (hits != 1) {
		char list[128];
		size_t i = 0;
		for (p = set; *p && i + 3 < sizeof list; p++) {
			if (*p == '|')
				list[i++] = ',', list[i++] = ' ';
			else
				list[i++] = *p;
		}
		list[i] = '\0';
		return err_set(e, FOLIO_EUSAGE, "%s: one of %s", f->label, list);
	}
	snprintf(out, cap, "%.*s", (int)hitlen, hit);
	return FOLIO_OK;
}

void clin_now_minute(char out[17])
{
	char now[24];

	time_utc_now(now, sizeof now);
	memcpy(out, now, 16);
	out[16] = '\0';
}

static int date_of(const struct clinical_field *f, const char *in, char day[11], struct folio_err *e)
{
	struct folio_err why;

	if (date_parse(in, date_today(), day, &why) != FOLIO_OK)
		return err_set(e, FOLIO_EUSAGE, "%s: a date: T, T-3, 2026-03-14, 3/14/2026, 14 MAR 2026",
			       f->label);
	return FOLIO_OK;
}

int clin_check_date(const struct clinical_field *f, const char *in, char *out, size_t cap,
		    struct folio_err *e)
{
	char day[11];
	int rc = date_of(f, in, day, e);

	if (rc == FOLIO_OK)
		str_copy(out, cap, day);
	return rc;
}

int clin_check_past_date(const struct clinical_field *f, const char *in, char *out, size_t cap,
			 struct folio_err *e)
{
	char day[11], today[11];
	int rc = date_of(f, in, day, e);

	if (rc)
		return rc;
	date_format_days(date_today(), today);
	if (strcmp(day, today) > 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not a date in the future", f->label);
	str_copy(out, cap, day);
	return FOLIO_OK;
}

/* "2026-03-14T09:30", "2026-03-14 09:30", "T@9:30", "9:30" (today), "NOW",
 * or a date alone (midnight): UTC, like every time folio keeps. */
int clin_check_time(const struct clinical_field *f, const char *in, char *out, size_t cap,
		    struct folio_err *e)
{
	static const char time_rule[] = "a date and time (UTC): 2026-03-14T09:30, T@9:30, 9:30, NOW";
	char datepart[40], day[11], now[17], t[24];
	unsigned hh = 0, mm = 0;
	int rc;
	size_t n = strlen(in), cut = n;
	const char *colon = strrchr(in, ':');

	clin_now_minute(now);
	if (!strcasecmp(in, "now")) {
		str_copy(out, cap, now);
		return FOLIO_OK;
	}
	if (colon) {
		/* the time is the last H:MM or HH:MM, after 'T', '@' or a space */
		size_t c = (size_t)(colon - in), h = c;
		while (h > 0 && isdigit((unsigned char)in[h - 1]) && c - h < 2)
			h--;
		if (h == c || (h > 0 && !strchr("Tt@ ", in[h - 1])) || n - c != 3 ||
		    !isdigit((unsigned char)in[c + 1]) || !isdigit((unsigned char)in[c + 2]))
			return err_set(e, FOLIO_EUSAGE, "%s: %s", f->label, time_rule);
		hh = (unsigned)atoi(in + h);
		mm = (unsigned)atoi(in + c + 1);
		cut = h > 0 ? h - 1 : 0;
	}
	if (cut >= sizeof datepart || hh > 23 || mm > 59)
		return err_set(e, FOLIO_EUSAGE, "%s: %s", f->label, time_rule);
	memcpy(datepart, in, cut);
	datepart[cut] = '\0';
	if ((rc = date_of(f, cut ? datepart : "T", day, e)))
		return rc;
	/* "YYYY-MM-DDTHH:MM" (hh and mm checked above) */
	memcpy(t, day, 10);
	t[10] = 'T';
	str_digits(t + 11, hh, 2);
	t[13] = ':';
	str_digits(t + 14, mm, 2);
	t[16] = '\0';
	if (strcmp(t, now) > 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not a time in the future (times are UTC)", f->label);
	str_copy(out, cap, t);
	return FOLIO_OK;
}

int clinical_icd_normalize(const char *in, char out[16])
{
	const char *dot = strchr(in, '.');
	char c[16];
	size_t n = 0, tail;

	/* one dot at most, right after the category, and not at the end */
	if (dot && (dot - in != 3 || strchr(dot + 1, '.') || !dot[1]))
		return -1;
	for (const char *p = in; *p; p++) {
		if (p == dot)
			continue; /* it goes back in after the category */
		if (!isalnum((unsigned char)*p) || n >= 7)
			return -1;
		c[n++] = (char)toupper((unsigned char)*p);
	}
	if (n < 3 || !isalpha((unsigned char)c[0]) || !isdigit((unsigned char)c[1]))
		return -1;
	tail = n - 3;
	if (tail == 0)
		snprintf(out, 16, "%.3s", c);
	else
		snprintf(out, 16, "%.3s.%.*s", c, (int)tail, c + 3);
	return 0;
}

int clin_check_icd(const struct clinical_field *f, const char *in, char *out, size_t cap,
		   struct folio_err *e)
{
	char code[16];

	if (clinical_icd_normalize(in, code) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: an ICD-10-CM code: a letter, a digit, a letter or digit,"
						" then . and up to 4 more (E11.9)", f->label);
	str_copy(out, cap, code);
	return FOLIO_OK;
}

int clinical_loinc_valid(const char *code)
{
	char padded[MRN_MAX];
	size_t n = strspn(code, "0123456789");

	if (n < 1 || n > 7 || code[n] != '-' || !isdigit((unsigned char)code[n + 1]) || code[n + 2])
		return -1;
	/* LOINC's mod-10 check digit is the Luhn digit, the MRN's: zero-padded
	 * to the MRN's seven payload digits (leading zeros add nothing to a
	 * Luhn sum), the code is checked by the MRN's own check. */
	memset(padded, '0', 7);
	memcpy(padded + 7 - n, code, n);
	padded[7] = code[n + 1];
	padded[8] = '\0';
	return mrn_valid(padded) == 0 ? 0 : -1;
}

int clin_check_loinc(const struct clinical_field *f, const char *in, char *out, size_t cap,
		     struct folio_err *e)
{
	if (clinical_loinc_valid(in) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: digits, a dash, a check digit (2345-7): check the digits", f->label);
	str_copy(out, cap, in);
	return FOLIO_OK;
}

/* A signed decimal number at s (n bytes); 0 or -1. */
static int number_at(const char *s, size_t n, double *v)
{
	const char *p = s;
	size_t digits = 0, dots = 0;
	char buf[32];

	if (n == 0 || n >= sizeof buf)
		return -1;
	if (*p == '-' || *p == '+')
		p++;
	for (; (size_t)(p - s) < n; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '.')
			dots++;
		else
			return -1;
	}
	if (!digits || dots > 1)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtod(buf, NULL);
	return 0;
}

/* "3.5-5.0", "-2-2", "<5", ">60": low and high (a missing side unset). */
static int range_parse(const char *r, double *lo, double *hi, int *has_lo, int *has_hi)
{
	size_t n = strlen(r);

	*has_lo = *has_hi = 0;
	if (n && (r[0] == '<' || r[0] == '>')) {
		int *has = r[0] == '<' ? has_hi : has_lo;
		double *v = r[0] == '<' ? hi : lo;
		size_t off = r[1] == '=' ? 2 : 1;
		*has = 1;
		return number_at(r + off, n - off, v);
	}
	/* the dash between the two numbers is the first one after a digit */
	for (size_t i = 1; i < n; i++) {
		if (r[i] == '-' && (isdigit((unsigned char)r[i - 1]) || r[i - 1] == '.')) {
			*has_lo = *has_hi = 1;
			if (number_at(r, i, lo) || number_at(r + i + 1, n - i - 1, hi) || *lo > *hi)
				return -1;
			return 0;
		}
	}
	return -1;
}

int clin_check_range(const struct clinical_field *f, const char *in, char *out, size_t cap,
		     struct folio_err *e)
{
	double lo, hi;
	int has_lo, has_hi;
	char buf[CLIN_VALUE_MAX];
	size_t j = 0;

	for (const char *p = in; *p && j + 1 < sizeof buf; p++)
		if (*p != ' ')
			buf[j++] = *p;
	buf[j] = '\0';
	if (range_parse(buf, &lo, &hi, &has_lo, &has_hi) != 0)
		return err_set(e, FOLIO_EUSAGE, "%s: LOW-HIGH (3.5-5.0), <HIGH or >LOW, low not above high",
			       f->label);
	str_copy(out, cap, buf);
	return FOLIO_OK;
}

const char *clin_range_flag(const char *value, const char *range)
{
	double v, lo = 0, hi = 0;
	int has_lo, has_hi;

	if (!value[0] || !range[0] || number_at(value, strlen(value), &v) != 0 ||
	    range_parse(range, &lo, &hi, &has_lo, &has_hi) != 0)
		return "";
	if (has_lo && v < lo)
		return "L";
	if (has_hi && v > hi)
		return "H";
	return "N";
}

int clin_check_user(const struct clinical_field *f, const char *in, char *out, size_t cap,
		    struct folio_err *e)
{
	char low[ACCOUNT_NAME_MAX + 1];
	size_t n = strlen(in);

	if (n > ACCOUNT_NAME_MAX)
		return err_set(e, FOLIO_EUSAGE, "%s: a user name", f->label);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)in[i]);
	if (account_name_valid(low, NULL) != FOLIO_OK)
		return err_set(e, FOLIO_EUSAGE, "%s: a user name (letters, digits . _ -)", f->label);
	str_copy(out, cap, low);
	return FOLIO_OK;
}
