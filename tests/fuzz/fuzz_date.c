/* libFuzzer target: the dates people type (src/util/date.c) and the
 * patient-field parser behind registration (src/core/patient_record.c).
 *
 * date_parse() must stay in bounds and anything it accepts must be a real
 * YYYY-MM-DD that parses again to itself; patient_set() must either store
 * the value (then the field holds valid, NUL-terminated text within its
 * limit) or refuse it and leave the field as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/date.h"
#include "folio/patient.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct patient *p;
	struct folio_err e;
	char out[11], again[11], before[PATIENT_VALUE_MAX];
	char *text;
	int64_t today = date_days(2026, 11, 24);
	enum patient_field f;

	if (!ready) {
		if (smem_init() != 0 || !(p = patient_new()))
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	f = (enum patient_field)(data[0] % PF_COUNT);
	text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (date_parse(text, today, out, &e) == FOLIO_OK) {
		int y, m, d;
		if (strlen(out) != 10 || sscanf(out, "%d-%d-%d", &y, &m, &d) != 3 ||
		    date_days(y, m, d) == DATE_INVALID)
			abort();
		if (date_parse(out, today, again, &e) != FOLIO_OK || strcmp(out, again) != 0)
			abort();
	}
	memcpy(before, p->v[f], sizeof before);
	if (patient_set(p, f, text, &e) == FOLIO_OK) {
		if (strlen(p->v[f]) >= PATIENT_VALUE_MAX || utf8_length(p->v[f], strlen(p->v[f])) < 0)
			abort();
	} else if (memcmp(before, p->v[f], sizeof before) != 0) {
		abort();
	}
	free(text);
	return 0;
}
