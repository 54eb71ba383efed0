/* folio — the grammar of the one lookup prompt (include/folio/lookup.h):
 * pure, no database and no keys, so it is fuzzed alone
 * (tests/fuzz/fuzz_lookup.c). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "folio/date.h"
#include "folio/lookup.h"
#include "folio/names.h"
#include "folio/patient.h"

int lookup_parse(const char *text, struct lookup_query *q, struct folio_err *e)
{
	size_t n = strlen(text);
	char *buf = q->typed;
	const char *comma;

	memset(q, 0, sizeof *q);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	while (n && isspace((unsigned char)*text)) {
		text++;
		n--;
	}
	if (n == 0)
		return err_set(e, FOLIO_EUSAGE, "type a name (LAST,FIRST), an MRN, a date of birth or last four");
	if (n >= sizeof q->typed)
		return err_set(e, FOLIO_EUSAGE, "the lookup is too long");
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (n == 8 && strspn(buf, "0123456789") == 8) {
		if (mrn_valid(buf) != 0)
			return err_set(e, FOLIO_EUSAGE, "%s is not a valid MRN: its check digit is wrong (mistyped?)", buf);
		q->kind = LOOKUP_MRN;
		str_copy(q->value, sizeof q->value, buf);
		return FOLIO_OK;
	}
	if (n == 4 && strspn(buf, "0123456789") == 4) {
		q->kind = LOOKUP_LAST4;
		str_copy(q->value, sizeof q->value, buf);
		q->index = IX_LAST4;
		str_copy(q->key, sizeof q->key, buf);
		return FOLIO_OK;
	}
	if (n == 5 && isalpha((unsigned char)buf[0]) && strspn(buf + 1, "0123456789") == 4) {
		q->kind = LOOKUP_INITIAL_LAST4;
		q->initial = (char)toupper((unsigned char)buf[0]);
		str_copy(q->value, sizeof q->value, buf + 1);
		q->index = IX_LAST4;
		str_copy(q->key, sizeof q->key, buf + 1);
		return FOLIO_OK;
	}
	if (strpbrk(buf, "0123456789")) {
		char d[11];
		if (date_parse(buf, date_today(), d, NULL) == FOLIO_OK) {
			q->kind = LOOKUP_DOB;
			str_copy(q->value, sizeof q->value, d);
			q->index = IX_DOB;
			str_copy(q->key, sizeof q->key, d);
			return FOLIO_OK;
		}
		/* The typed text is not repeated: a failed lookup's message is
		 * audited, and what was typed may be part of a date of birth. */
		return err_set(e, FOLIO_EUSAGE,
			       "with digits, type an MRN (8 digits), a date of birth, last four digits,"
			       " or an initial and last four");
	}
	q->kind = LOOKUP_NAME;
	comma = strchr(buf, ',');
	if (comma)
		buf[comma - buf] = '\0';
	if (name_normalize(buf, q->last, sizeof q->last) < 0 ||
	    (comma && name_normalize(comma + 1, q->first, sizeof q->first) < 0))
		return err_set(e, FOLIO_EUSAGE, "the lookup is not valid UTF-8 text");
	q->last_len = strlen(q->last);
	if (q->last_len < 2)
		return err_set(e, FOLIO_EUSAGE,
			       "type at least two letters of the last name (one letter matches too many"
			       " charts), or an initial and last four, e.g. S1234");
	if (q->last_len >= 3 && q->first[0]) {
		q->index = IX_PREFIX3_INIT;
		snprintf(q->key, sizeof q->key, "%.3s,%c", q->last, q->first[0]);
	} else if (q->last_len >= 3) {
		q->index = IX_PREFIX3;
		snprintf(q->key, sizeof q->key, "%.3s", q->last);
	} else {
		q->index = IX_PREFIX2;
		snprintf(q->key, sizeof q->key, "%.2s", q->last);
	}
	return FOLIO_OK;
}
