/* folio — what the patient-index modules share inside src/core. */
#ifndef FOLIO_CORE_INTERNAL_H
#define FOLIO_CORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/crypto.h"
#include "folio/grant.h"
#include "folio/patient.h"
#include "folio/store.h"

/* Largest serialised demographics: every field at its maximum. */
#define PATIENT_BLOB_MAX (1 + PF_COUNT * (2 + PATIENT_VALUE_MAX))

/* Serialises p's fields into out (caller's secure buffer); returns length. */
size_t patient_serialize(const struct patient *p, uint8_t *out);
/* The reverse; -1 when the bytes are malformed. */
int patient_deserialize(const uint8_t *in, size_t len, struct patient *p);

/* Seals p's demographics for row id into out (PATIENT_BLOB_MAX +
 * ENVELOPE_OVERHEAD bytes); plain is PATIENT_BLOB_MAX bytes of secure
 * scratch for the serialised form (wiped after). */
int patient_seal(const struct keyring *kr, const struct patient *p, int64_t id, uint8_t *plain,
		 uint8_t *out, size_t *outlen, struct folio_err *e);
/* Opens row id's envelope into p (fields only). scratch: PATIENT_BLOB_MAX
 * bytes of secure memory. */
int patient_open(const struct keyring *kr, int64_t id, const uint8_t *env, size_t len, uint8_t *scratch,
		 struct patient *p, struct folio_err *e);

/* ---- the card -------------------------------------------------------- */
/* A patient's card is a second, small envelope (demographics key, AD
 * "patients.card:ID") holding only what a lookup ranks by and lists, so a
 * bucket walk decrypts and parses ~50 bytes per candidate instead of the
 * whole record.  Stored in patients.card, and again in the patient's rows
 * of patient_cards, the index the front desk walks most (surname prefix +
 * initial), so that walk reads runs of rows and seeks no patients row.
 * The plaintext is a format byte and these strings, each NUL-terminated,
 * in this order; the last fours are "" when there is no such number. */
struct card {
	const char *last, *first, *middle, *preferred, *dob, *sex;
	const char *l4_phone, *l4_mobile, *l4_ssn;
};
#define CARD_STRINGS 9
#define CARD_MAX (1 + 6 * PATIENT_VALUE_MAX + 3 * 5)

/* The card of p as a view into p (the last fours into l4). */
void card_view(const struct patient *p, char l4[3][5], struct card *c);
/* Seals p's card for row id into out (CARD_MAX + ENVELOPE_OVERHEAD bytes);
 * plain: CARD_MAX bytes of secure scratch (wiped after). */
int card_seal(const struct keyring *kr, const struct patient *p, int64_t id, uint8_t *plain, uint8_t *out,
	      size_t *outlen, struct folio_err *e);
/* Opens row id's card into scratch (CARD_MAX bytes of secure memory) and
 * points c into it.  The caller wipes scratch when done with c: a bucket
 * walk wipes once at its end, not once per candidate. */
int card_open(const struct keyring *kr, int64_t id, const uint8_t *env, size_t len, uint8_t *scratch,
	      struct card *c, struct folio_err *e);

/* Writes the blind-index rows of p (patient row id); for an edit, old is
 * the record as stored before, whose rows are deleted first.  card is p's
 * sealed card, kept in the rows of the index that carries cards. */
int patient_index_write(struct grant *g, const struct patient *old, const struct patient *p, int64_t id,
			const uint8_t *card, size_t card_len, struct folio_err *e);

/* Digits of s (at most cap-1) into out. */
void digits_only(const char *s, char *out, size_t cap);
/* The last four digits of a phone or SSN, "" when fewer than four. */
void last_four(const char *s, char out[5]);

#endif
