/* folio — Safe Harbor transformations and CSV quoting for the de-identified
 * extract: pure functions, so each rule is tested on its own edges. */
#include "folio/deid.h"

#include <ctype.h>
#include <string.h>

/* Digits at s[0..n-1]; the value, or -1. */
static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int deid_year(const char *date, char out[5])
{
	out[0] = '\0';
	if (!date || strlen(date) < 4 || digits(date, 4) < 0 || (date[4] && date[4] != '-'))
		return -1;
	memcpy(out, date, 4);
	out[4] = '\0';
	return digits(date, 4);
}

/* Year, month and day of "YYYY-MM-DD..."; -1 when it is not one. */
static int ymd(const char *d, int *y, int *m, int *dd)
{
	if (!d || strlen(d) < 10 || d[4] != '-' || d[7] != '-')
		return -1;
	*y = digits(d, 4);
	*m = digits(d + 5, 2);
	*dd = digits(d + 8, 2);
	return *y < 0 || *m < 1 || *m > 12 || *dd < 1 || *dd > 31 ? -1 : 0;
}

int deid_age(const char *dob, const char *on)
{
	int by, bm, bd, y, m, d, age;

	if (ymd(dob, &by, &bm, &bd) || ymd(on, &y, &m, &d))
		return -1;
	age = y - by;
	/* Month-day order puts a 29 February birthday after 28 February, so
	 * it comes round on 1 March in a common year. */
	if (m < bm || (m == bm && d < bd))
		age--;
	return age < 0 ? -1 : age;
}

void deid_age_text(int age, char out[8])
{
	if (age < 0)
		out[0] = '\0';
	else if (age > 89)
		memcpy(out, "90+", 4);
	else
		snprintf(out, 8, "%d", age);
}

int deid_zip3_restricted(const char zip3[4])
{
	static const char restricted[][4] = { "036", "059", "063", "102", "203", "556", "692", "790", "821",
					      "823", "830", "831", "878", "879", "884", "890", "893" };

	for (size_t i = 0; i < sizeof restricted / sizeof restricted[0]; i++)
		if (strncmp(zip3, restricted[i], 3) == 0)
			return 1;
	return 0;
}

void deid_zip3(const char *zip, char out[4])
{
	size_t n = zip ? strlen(zip) : 0;
	int ok = n == 5 && digits(zip, 5) >= 0;

	ok = ok || (n == 10 && digits(zip, 5) >= 0 && zip[5] == '-' && digits(zip + 6, 4) >= 0);
	ok = ok || (n == 9 && digits(zip, 9) >= 0);
	out[0] = '\0';
	if (!ok)
		return;
	memcpy(out, zip, 3);
	out[3] = '\0';
	if (deid_zip3_restricted(out))
		memcpy(out, "000", 4);
}

int deid_numeric(const char *v)
{
	int seen = 0;

	if (!v)
		return 0;
	if (*v == '<' || *v == '>')
		v += v[1] == '=' ? 2 : 1;
	if (*v == '-' || *v == '+')
		v++;
	for (; *v; v++) {
		if (isdigit((unsigned char)*v))
			seen = 1;
		else if (*v != '.' && *v != '/')
			return 0;
	}
	return seen;
}

size_t deid_csv_quote(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	int quote = in && in[strcspn(in, ",\"\r\n")] != '\0';

	if (!cap)
		return 0;
	if (quote)
		out[n++] = '"';
	for (const char *p = in ? in : ""; *p; p++) {
		if (n + 3 >= cap)
			goto full;
		if (*p == '"')
			out[n++] = '"';
		out[n++] = *p;
	}
	if (quote) {
		if (n + 1 >= cap)
			goto full;
		out[n++] = '"';
	}
	out[n] = '\0';
	return n;
full:
	out[0] = '\0';
	return cap;
}

int deid_csv_row(FILE *f, const char *const *fields, size_t n)
{
	char buf[512];

	for (size_t i = 0; i < n; i++) {
		size_t len = deid_csv_quote(fields[i], buf, sizeof buf);
		if (len >= sizeof buf)
			return -1;
		if ((i && fputc(',', f) == EOF) || fwrite(buf, 1, len, f) != len)
			return -1;
	}
	return fputs("\r\n", f) == EOF ? -1 : 0;
}

const char *deid_file_name(enum deid_file f)
{
	static const char *const names[DEID_FILES] = { "patients.csv", "encounters.csv", "diagnoses.csv",
						       "procedures.csv", "drgs.csv", "vitals.csv", "results.csv",
						       "problems.csv", "medications.csv", "allergies.csv",
						       "charted_procedures.csv" };
	return (unsigned)f < DEID_FILES ? names[f] : "";
}
