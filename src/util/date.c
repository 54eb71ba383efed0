/* folio — parsing the dates records staff type. */
#include "folio/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const months[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
				      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : n[m - 1];
}

int64_t date_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return DATE_INVALID;
	/* days from civil (Howard Hinnant's algorithm, public domain facts) */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_format_days(int64_t z, char out[11])
{
	int64_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999) {
		snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
		return;
	}
	/* by hand: an import formats a date per row, and snprintf was most of it */
	str_digits(out, (unsigned)y, 4);
	out[4] = '-';
	str_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	str_digits(out + 8, (unsigned)d, 2);
	out[10] = '\0';
}

int64_t date_today(void)
{
	return time_now() / 86400;
}

static int month_parse(const char *s, size_t n)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (toupper((unsigned char)s[0]) == months[i][0] &&
		    toupper((unsigned char)s[1]) == months[i][1] &&
		    toupper((unsigned char)s[2]) == months[i][2])
			return i + 1;
	return 0;
}

/* Splits text into at most 3 fields of letters or digits. */
static int fields(const char *t, char f[3][16])
{
	int n = 0;

	while (*t) {
		size_t k = 0;
		int alpha;

		while (*t == ' ' || *t == '/' || *t == '-' || *t == '.' || *t == ',')
			t++;
		if (!*t)
			break;
		if (n == 3)
			return -1;
		alpha = isalpha((unsigned char)*t) != 0;
		while (*t && (alpha ? isalpha((unsigned char)*t) : isdigit((unsigned char)*t))) {
			if (k + 1 >= 16)
				return -1;
			f[n][k++] = *t++;
		}
		if (k == 0)
			return -1; /* a character that is neither */
		f[n++][k] = '\0';
	}
	return n;
}

static int relative(const char *t, int64_t today, int64_t *out)
{
	char unit = 'D';
	long n = 0;
	char *end;

	if (strcmp(t, "NOW") == 0 || strcmp(t, "T") == 0) {
		*out = today;
		return 0;
	}
	if (t[0] != 'T' || (t[1] != '+' && t[1] != '-'))
		return -1;
	n = strtol(t + 2, &end, 10);
	if (end == t + 2 || n < 0 || n > 100000)
		return -1;
	if (*end) {
		unit = *end;
		if (end[1] || (unit != 'D' && unit != 'W' && unit != 'M' && unit != 'Y'))
			return -1;
	}
	if (t[1] == '-')
		n = -n;
	if (unit == 'D' || unit == 'W') {
		char d[11];
		*out = today + n * (unit == 'W' ? 7 : 1);
		/* the same 1800-2200 range as a written date */
		date_format_days(*out, d);
		return (atoi(d) < 1800 || atoi(d) > 2200) ? -1 : 0;
	}
	{
		char d[11];
		int y, m, dd;
		date_format_days(today, d);
		if (sscanf(d, "%d-%d-%d", &y, &m, &dd) != 3)
			return -1;
		if (unit == 'Y')
			y += (int)n;
		else {
			long months_total = (long)y * 12 + (m - 1) + n;
			y = (int)(months_total / 12);
			m = (int)(months_total % 12) + 1;
		}
		if (y < 1800 || y > 2200)
			return -1;
		if (dd > month_days(y, m))
			dd = month_days(y, m);
		*out = date_days(y, m, dd);
		return *out == DATE_INVALID ? -1 : 0;
	}
}

int date_parse(const char *text, int64_t today, char out[11], struct folio_err *e)
{
	char up[32], f[3][16];
	size_t n = strlen(text), k = 0;
	int64_t days = DATE_INVALID;
	int y = 0, m = 0, d = 0, nf;

	while (n && text[n - 1] == ' ')
		n--;
	while (*text == ' ' && n) {
		text++;
		n--;
	}
	if (n == 0 || n >= sizeof up)
		goto bad;
	for (k = 0; k < n; k++)
		up[k] = (char)toupper((unsigned char)text[k]);
	up[k] = '\0';
	if (relative(up, today, &days) == 0)
		goto done;
	if (n == 8 && strspn(up, "0123456789") == 8) {
		if (sscanf(up, "%4d%2d%2d", &y, &m, &d) != 3)
			goto bad;
	} else {
		nf = fields(up, f);
		if (nf != 3)
			goto bad;
		if (isalpha((unsigned char)f[1][0])) { /* 14 MAR 1962 */
			d = atoi(f[0]);
			m = month_parse(f[1], strlen(f[1]));
			y = atoi(f[2]);
			if (strlen(f[2]) != 4)
				goto bad;
		} else if (isalpha((unsigned char)f[0][0])) { /* MAR 14 1962 */
			m = month_parse(f[0], strlen(f[0]));
			d = atoi(f[1]);
			y = atoi(f[2]);
			if (strlen(f[2]) != 4)
				goto bad;
		} else if (strlen(f[0]) == 4) { /* 1962-03-14 */
			y = atoi(f[0]);
			m = atoi(f[1]);
			d = atoi(f[2]);
		} else { /* 3/14/1962 or 3/14/62 (US order) */
			m = atoi(f[0]);
			d = atoi(f[1]);
			y = atoi(f[2]);
			if (strlen(f[2]) == 2) {
				char t[11];
				int cy;
				date_format_days(today, t);
				cy = atoi(t);
				y += (cy / 100) * 100;
				if (y > cy)
					y -= 100;
			} else if (strlen(f[2]) != 4) {
				goto bad;
			}
		}
		if (isalpha((unsigned char)f[2][0]) || strlen(f[0]) > 4 || strlen(f[1]) > 4)
			goto bad;
	}
	days = date_days(y, m, d);
done:
	if (days == DATE_INVALID)
		goto bad;
	date_format_days(days, out);
	return FOLIO_OK;
bad:
	return err_set(e, FOLIO_EUSAGE,
		       "not a date: write YYYY-MM-DD, M/D/YYYY, 14 MAR 1962, or T, T-1, T+1W");
}

/* "HH:MM", "HH:MM:SS" or "HHMM" into seconds of the day; -1 otherwise. */
static int time_of_day(const char *t)
{
	int h = -1, m = -1, s = 0, used = 0;
	size_t n = strlen(t);

	if (n == 4 && strspn(t, "0123456789") == 4) {
		h = (t[0] - '0') * 10 + (t[1] - '0');
		m = (t[2] - '0') * 10 + (t[3] - '0');
	} else if (sscanf(t, "%2d:%2d%n", &h, &m, &used) == 2 && (t[used] == '\0' ||
		   (t[used] == ':' && sscanf(t + used + 1, "%2d%n", &s, &used) == 1 && used == 2 &&
		    t[n - 3] == ':'))) {
		if (n != 5 && n != 8)
			return -1;
	} else {
		return -1;
	}
	if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59)
		return -1;
	return h * 3600 + m * 60 + s;
}

int datetime_parse(const char *text, int64_t today, char out[24], struct folio_err *e)
{
	char buf[40], day[11], *tpart = NULL;
	size_t n = strlen(text);
	struct tm tm = { 0 };
	time_t tt;
	int secs, y, mo, d;

	if (n == 0 || n >= sizeof buf)
		goto bad;
	memcpy(buf, text, n + 1);
	if (strcasecmp(buf, "NOW") == 0) {
		time_utc_now(out, 24);
		return FOLIO_OK;
	}
	if ((tpart = strchr(buf, '@')))
		*tpart++ = '\0';
	else if (n > 10 && (buf[10] == 'T' || buf[10] == ' ') && isdigit((unsigned char)buf[0])) {
		buf[10] = '\0';
		tpart = buf + 11;
	}
	if (!tpart || (secs = time_of_day(tpart)) < 0)
		goto bad;
	if (date_parse(buf, today, day, e) != FOLIO_OK)
		goto bad;
	sscanf(day, "%4d-%2d-%2d", &y, &mo, &d);
	/* Staff type the clinic's wall-clock time; folio stores UTC. */
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = secs / 3600;
	tm.tm_min = secs / 60 % 60;
	tm.tm_sec = secs % 60;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1 || !gmtime_r(&tt, &tm) ||
	    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		goto bad;
	return FOLIO_OK;
bad:
	return err_set(e, FOLIO_EUSAGE, "not a date and time: write YYYY-MM-DDTHH:MM, T@14:30, T-1@0800 or NOW");
}

void datetime_local(const char *utc, char out[17])
{
	struct tm tm = { 0 };
	time_t tt;

	if (sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) != 6) {
		str_copy(out, 17, utc);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tt = timegm(&tm);
	if (!localtime_r(&tt, &tm) || strftime(out, 17, "%Y-%m-%d %H:%M", &tm) == 0)
		str_copy(out, 17, utc);
}
