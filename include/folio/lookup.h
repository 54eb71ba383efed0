/* folio — the grammar of the one lookup prompt ("Select PATIENT NAME:",
 * domain.md "Lookup"): what was typed, classified and normalised into the
 * blind-index bucket that answers it (src/core/lookup.c).  Pure: the
 * lookup itself (src/core/patient_index.c) opens the bucket and ranks. */
#ifndef FOLIO_LOOKUP_H
#define FOLIO_LOOKUP_H

#include <stddef.h>

#include "folio/util.h"
#include "folio/names.h"

/* The blind indexes (patient_index.kind, patient_cards). */
enum index_kind {
	IX_PREFIX2 = 1,   /* first 2 letters of a surname part */
	IX_PREFIX3 = 2,   /* first 3 letters of a surname part */
	IX_PREFIX3_INIT = 3, /* first 3 letters + first-name initial */
	IX_DOB = 4,       /* YYYY-MM-DD */
	IX_LAST4 = 5,     /* last four digits of a phone or the SSN */
	IX_SOUNDEX = 6,   /* Soundex of a surname part */
	IX_PHONE = 7      /* all digits of a phone */
};

enum lookup_kind { LOOKUP_NAME, LOOKUP_MRN, LOOKUP_DOB, LOOKUP_LAST4, LOOKUP_INITIAL_LAST4 };

struct lookup_query {
	enum lookup_kind kind;
	char typed[256];         /* the text, trimmed (wiped with the query) */
	char last[NAME_NORM_MAX];
	char first[NAME_NORM_MAX];
	size_t last_len;
	char value[16];          /* MRN, DOB or last four */
	char initial;
	enum index_kind index;
	char key[NAME_NORM_MAX + 8];
};

/* Classifies text: "LAST,FIRST" fragments (at least two letters of the
 * surname), an MRN (8 digits with a valid check digit), a date of birth
 * (date_parse's forms), last four digits, or an initial and last four
 * (S1234).  FOLIO_EUSAGE with a hint that never repeats what was typed
 * (it may be part of a date of birth, and refusals are audited). */
int lookup_parse(const char *text, struct lookup_query *q, struct folio_err *e);

#endif
