/* folio — name handling for the patient index (src/core/names.c): pure
 * functions, no database, no keys.  Used to build blind-index values and to
 * filter and rank decrypted candidates.
 *
 * Normal form (design.md section 2): upper-case ASCII letters and digits only;
 * Latin letters with accents lose them (Muñoz -> MUNOZ, Søren -> SOREN,
 * Straße -> STRASSE); apostrophes, hyphens, spaces and other punctuation are
 * dropped (O'Brien -> OBRIEN).  Letters of other scripts are kept as their
 * UTF-8 bytes (upper-cased where Unicode simple case mapping is known for
 * Greek and Cyrillic), so non-Latin names are still found by exact prefix.
 */
#ifndef FOLIO_NAMES_H
#define FOLIO_NAMES_H

#include <stddef.h>

#define NAME_NORM_MAX 256
#define NAME_TOKENS_MAX 8

/* Normal form of s into out (capacity cap, NUL-terminated); returns its
 * length, 0 for a name with no letters, or -1 when s is not valid UTF-8. */
int name_normalize(const char *s, char *out, size_t cap);

/* Splits a surname into the parts a person might type on their own
 * ("O'Brien-Muñoz" -> OBRIENMUNOZ, OBRIEN, MUNOZ; "de la Cruz" -> DELACRUZ,
 * CRUZ, ...): the whole normal form first, then each hyphen- or space-
 * separated part of at least 2 letters, without repeats. Returns the count. */
int name_tokens(const char *surname, char out[][NAME_NORM_MAX], int max);

/* American Soundex of a normalised name (4 characters + NUL), "" when it has
 * no Latin letter. */
void name_soundex(const char *norm, char out[5]);

/* Damerau-Levenshtein (optimal string alignment) distance between two
 * normalised strings, capped: returns cap+1 as soon as it exceeds cap. */
int name_distance(const char *a, const char *b, int cap);

#endif
