/* folio — what the importers share (src/core/import_keys.c): the keyed
 * lookup of rows an earlier import made, and of patients by another
 * system's identifier.  Synthea CSV (src/core/import_synthea*.c) and HL7 v2
 * (src/core/import_hl7*.c) build on it.
 *
 * An import runs under one ACT_IMPORT_RUN grant with no chart; an
 * import_ctx made from it holds the keyer (guarded memory) so keyed ids
 * cost a hash, not a key derivation.  Identifier values are PHI: they go
 * in sealed, come out only to the caller, and never into a message. */
#ifndef FOLIO_IMPORT_H
#define FOLIO_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"
#include "folio/crypto.h"

struct import_ctx;

/* For a grant of ACT_IMPORT_RUN (or ACT_MERGE_APPROVE, which moves
 * identifiers). */
int import_ctx_new(struct grant *g, struct import_ctx **out, struct folio_err *e) MUST_CHECK;
void import_ctx_free(struct import_ctx *x);

/* Keys.  A key is the source's id of a kind ("synthea", "encounter",
 * "a1b2-..."), stored as a keyed tag (schema/018).  group, when not NULL,
 * is what the source files rows under (Synthea's patient Id): keys of one
 * group are stored side by side, which is what makes a bulk import's keys
 * cheap to write.  A key must be looked up with the group it was made with.
 * HL7 keys have none. */

/* The key's tag, as stored: for an importer that remembers what it made
 * in this run by tag (no identifier kept).  A key made before grouping has
 * another (import_key_find looks for both). */
void import_key_tag(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		    uint8_t tag[IDKEY_TAG_BYTES]);

/* The row an earlier import made for the key: *row_id, or 0 when none. */
int import_key_find(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		    int64_t *row_id, struct folio_err *e) MUST_CHECK;
/* Records that the key made row_id of table. */
int import_key_put(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		   const char *table, int64_t row_id, struct folio_err *e) MUST_CHECK;

/* import_key_find and, when there is none, import_key_put in one
 * statement: *claimed 1 when the key is now row_id's, 0 when an earlier
 * import had it (nothing changed).  Claim only for a row that has passed
 * its checks and is made next in the same transaction: a row skipped after
 * its claim would be "already there" on every rerun. */
int import_key_claim(struct import_ctx *x, const char *source, const char *kind, const char *group, const char *id,
		     const char *table, int64_t row_id, int *claimed, struct folio_err *e) MUST_CHECK;

/* The patient another system knows by value under authority; *patient_id 0
 * when none. */
int external_id_find(struct import_ctx *x, const char *authority, const char *value, int64_t *patient_id,
		     struct folio_err *e) MUST_CHECK;
/* Records value under authority for patient_id; FOLIO_ESTALE when it names
 * another patient already (the caller decides: a duplicate, a merge). */
int external_id_add(struct import_ctx *x, int64_t patient_id, const char *authority, const char *value,
		    struct folio_err *e) MUST_CHECK;

/* The run's row in import_runs (under the import's ACT_IMPORT_RUN grant):
 * begun with its kind ("synthea", "hl7"), ended with its counts and a
 * summary of counts and reasons (never a value). */
int import_run_begin(struct grant *g, const char *kind, int64_t *run_id, struct folio_err *e) MUST_CHECK;
int import_run_end(struct grant *g, int64_t run_id, long read, long imported, long skipped, const char *summary,
		   struct folio_err *e) MUST_CHECK;

#endif
