/* folio — what the two halves of the Synthea importer share
 * (import_synthea.c: the run, patients, encounters; import_synthea_rows.c:
 * conditions, medications, allergies, procedures, observations). */
#ifndef FOLIO_IMPORT_SYNTHEA_INTERNAL_H
#define FOLIO_IMPORT_SYNTHEA_INTERNAL_H

#include <stdint.h>

#include "clinical_internal.h"
#include "folio/chart.h"
#include "folio/crypto.h"
#include "folio/csv.h"
#include "folio/grant.h"
#include "folio/import.h"
#include "folio/patient.h"
#include "folio/store.h"
#include "folio/synthea.h"
#include "folio/textfile.h"

#define SYN_ROW_MAX (64 * 1024)  /* one record's unquoted fields */
#define SYN_KEY_MAX 400
#define SYN_SET_MAX 16           /* observations grouped into one vitals set */

/* An observation waiting in the vitals set of its time. */
struct syn_member {
	int vital;                   /* enum syn_vital */
	unsigned line;
	char key[SYN_KEY_MAX];
	char code[16], units[24], at[24];
	char desc[CLIN_VALUE_MAX], value[CLIN_VALUE_MAX];
};

/* An item sealed and waiting to be written with others (one INSERT of
 * SYN_ITEM_BATCH rows costs three quarters of as many single ones). */
#define SYN_ITEM_BATCH 16
struct syn_item {
	int64_t id, pid, eid;
	const char *kind;
	char status[CLIN_STATUS_MAX];
	size_t envlen;
	uint8_t env[CLIN_BODY_MAX + ENVELOPE_OVERHEAD];
};

/* An encounter sealed and waiting likewise, with its first event and, when
 * it has ended, its last (written after it: they reference it). */
#define SYN_ENC_BATCH 16
#define ENC_REASON_MAX 199 /* an encounter's reason, as the chart keeps it */
struct syn_encrow {
	int64_t id, pid;
	const char *kind, *state;
	char start[24], stop[24], day[11], cls[ENC_NAME_MAX];
	size_t envlen;
	uint8_t env[ENC_REASON_MAX + 1 + ENVELOPE_OVERHEAD];
};

/* Everything that holds a value, in one guarded block for the run. */
#define SYN_ENC_CACHE 256 /* a power of two */

struct syn_guarded {
	char row[SYN_ROW_MAX];
	char key[SYN_KEY_MAX + 16];
	char t[4][CLIN_VALUE_MAX];
	char pat_id[80];                 /* the last patient looked up */
	int64_t pat_row;
	/* encounters made or looked up in this step, by a hash of their Id:
	 * a patient's rows in the other files name a few of its encounters in
	 * turn, and a lookup is a keyed hash and two searches */
	struct syn_enc {
		char id[80];
		int64_t row, pid;
	} enc[SYN_ENC_CACHE];
	struct patient p;
	struct clinical_item it;
	uint8_t plain[CLIN_BODY_MAX];
	/* the vitals set being gathered: one patient, encounter and time */
	char set_of[SYN_KEY_MAX];
	char set_patient[80];            /* its PATIENT: the group of its keys */
	int64_t set_pid, set_eid;
	int nset;
	struct syn_member set[SYN_SET_MAX];
	struct syn_member one;           /* an observation that is a result */
	struct syn_item items[SYN_ITEM_BATCH];
	int nitems;
	struct syn_encrow encrows[SYN_ENC_BATCH];
	int nencrows;
};

struct syn_occ {
	uint64_t h;
	uint32_t n;
};

/* An encounter this run made or found, by its key's tag (no Id kept). */
struct syn_encmap {
	uint8_t tag[IDKEY_TAG_BYTES];
	int64_t row, pid;
};

/* The statements written once or more a row, held for a step (prepared on
 * first use, reset after each, finalized when the step ends). */
enum syn_held {
	SYN_INS_ITEM, SYN_INS_ITEMS, SYN_INS_ENCOUNTER, SYN_INS_ENCOUNTERS, SYN_INS_EVENT, SYN_INS_EVENTS, SYN_HELD_N
};

struct synthea_import {
	char dir[512];
	struct synthea_hooks h;
	struct synthea_report r;
	int file;                    /* the current file; SYN_FILES when done */
	int open;
	struct textfile tf;
	struct csv csv;
	struct syn_map map;
	size_t size[SYN_FILES], done_bytes;
	struct syn_guarded *gm;
	/* occurrences of each row key in the current file, by a seeded hash
	 * of the key (no value is kept) */
	struct syn_occ *occ;
	size_t occ_cap, occ_used;
	uint64_t seed;
	/* every encounter made or found in this run, for the other files' rows
	 * (the guarded table above holds the last few by Id) */
	struct syn_encmap *encs;
	size_t encs_cap, encs_used;
	int64_t last_enc;            /* the last one made: checked at each step */
	long batch_patients, batch_rows; /* rows read per step */
	int64_t next_item;           /* the next clinical_items id in this step */
	int64_t next_enc;            /* the next encounters id in this step */
	const char *warn;            /* about the row being made, said once it is */
	struct stmt *held[SYN_HELD_N];
	char now[24];
};

/* Counts a skipped row of the current file and notes "FILE:LINE: why". */
void syn_skip(struct synthea_import *imp, unsigned line, const char *why);
/* Notes "FILE:LINE: what" about a row that was imported (not counted). */
void syn_warn(struct synthea_import *imp, unsigned line, const char *what);
/* How many times key has been seen in the current file, this time included. */
unsigned syn_occurrence(struct synthea_import *imp, const char *key);
/* The patient row of a Synthea patient Id (remembered); FOLIO_EUSAGE when
 * it was not imported. */
int syn_patient(struct synthea_import *imp, struct import_ctx *x, const char *id, int64_t *pid,
		struct folio_err *e);
/* The encounter row of a Synthea encounter Id, which must be patient
 * pid's; *eid 0 for an empty Id. */
int syn_encounter(struct grant *g, struct synthea_import *imp, struct import_ctx *x, const char *id,
		  const char *patient, int64_t pid, int64_t *eid, struct folio_err *e);

/* Write the encounters (and their events) and the items waiting: before
 * the step commits, or anything reads them. */
int syn_encounters_flush(struct grant *g, struct synthea_import *imp, struct folio_err *e);
int syn_items_flush(struct grant *g, struct synthea_import *imp, struct folio_err *e);

/* Held statement which under this step's grant; the caller resets it. */
int syn_hold(struct grant *g, struct synthea_import *imp, enum syn_held which, struct stmt **s,
	     struct folio_err *e);

/* import_synthea_rows.c */
int syn_clinical_row(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e);
/* Saves the vitals set being gathered, if any. */
int syn_vitals_flush(struct grant *g, struct synthea_import *imp, struct import_ctx *x, struct folio_err *e);

#endif
