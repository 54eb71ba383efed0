/* libFuzzer target: the one lookup prompt's grammar (src/core/lookup.c).
 *
 * Whatever is typed, lookup_parse() must stay in bounds and either refuse
 * it with a message (that, for typed text with digits, never repeats it:
 * it may be part of a date of birth) or classify it consistently: an MRN
 * has a valid check digit, a date of birth is a real date, last four are
 * four digits, a name has at least two normalised surname letters and its
 * bucket key starts with them. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/date.h"
#include "folio/lookup.h"
#include "folio/patient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lookup_query q;
	struct folio_err e = { 0 };
	char *text = malloc(size + 1), again[11];

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (lookup_parse(text, &q, &e) != FOLIO_OK) {
		if (!e.msg[0])
			abort();
		/* a refusal quotes nothing typed with a digit in it (an MRN
		 * with a wrong check digit is the one exception: it is a chart
		 * number, not the patient's) */
		if (strlen(text) >= 6 && strpbrk(text, "0123456789") && strstr(e.msg, text) &&
		    !strstr(e.msg, "check digit"))
			abort();
		free(text);
		return 0;
	}
	if (strnlen(q.typed, sizeof q.typed) == sizeof q.typed || strnlen(q.key, sizeof q.key) == sizeof q.key)
		abort();
	switch (q.kind) {
	case LOOKUP_MRN:
		if (!digits(q.value, 8) || mrn_valid(q.value) != 0)
			abort();
		break;
	case LOOKUP_DOB:
		if (strlen(q.value) != 10 || date_parse(q.value, date_today(), again, NULL) != FOLIO_OK ||
		    strcmp(again, q.value) != 0 || strcmp(q.key, q.value) != 0 || q.index != IX_DOB)
			abort();
		break;
	case LOOKUP_LAST4:
		if (!digits(q.value, 4) || q.index != IX_LAST4)
			abort();
		break;
	case LOOKUP_INITIAL_LAST4:
		if (!digits(q.value, 4) || !isupper((unsigned char)q.initial) || q.index != IX_LAST4)
			abort();
		break;
	case LOOKUP_NAME:
		if (q.last_len < 2 || strlen(q.last) != q.last_len || strncmp(q.key, q.last, 2) != 0 ||
		    (q.index != IX_PREFIX2 && q.index != IX_PREFIX3 && q.index != IX_PREFIX3_INIT))
			abort();
		break;
	default:
		abort();
	}
	free(text);
	return 0;
}
