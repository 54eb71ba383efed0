/* folio — synthetic patients for the demo database and the benchmarks
 * (src/core/synth.c): pure, deterministic for a seed, no database.
 *
 * Names follow realistic frequencies (a Zipf-like surname distribution
 * headed by common US surnames; given names by sex), and a share of them
 * carry accents (Muñoz, José, Zoë), hyphens (Smith-Jones), apostrophes
 * (O'Brien, D'Angelo), particles (de la Cruz) and a few non-Latin scripts.
 * No value is a real person's; SSNs use the never-issued 9xx area, phones the
 * 555 exchange (NPA-555-nnnn). */
#ifndef FOLIO_SYNTH_H
#define FOLIO_SYNTH_H

#include <stdint.h>

struct synth {
	uint64_t state; /* xorshift state; set by synth_init */
};

struct synth_person {
	char last[64], first[48], middle[48], suffix[8], preferred[48];
	char dob[11];          /* YYYY-MM-DD, ages 0-100 relative to 2026 */
	char sex[2];           /* "F", "M", "X" or "U" */
	char address[96], city[48], state[3], zip[6];
	char phone[16];        /* "NPA-555-nnnn" */
	char mobile[16];
	char email[96];
	char ssn[12];          /* "9xx-xx-xxxx" or "" (about 20% have none) */
	char language[24];
	char insurer[48], member_id[24];
	char emergency_name[96], emergency_phone[16];
};

void synth_init(struct synth *g, uint64_t seed);
/* Fills p with the next synthetic person. */
void synth_person(struct synth *g, struct synth_person *p);

#endif
