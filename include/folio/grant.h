/* folio — what a grant gives the layers below the gate.
 *
 * Included by src/access and src/core only (make check-layers enforces it):
 * a front end holds a grant but cannot reach the store or the keys through it.
 */
#ifndef FOLIO_GRANT_H
#define FOLIO_GRANT_H

#include <stdint.h>

#include "folio/access.h"

struct keyring;

struct store *grant_store(const struct grant *g);
/* The keys of the signed-in user (read-only; never copied out). */
const struct keyring *grant_keys(const struct grant *g);
struct session *grant_session(const struct grant *g);
enum action grant_action(const struct grant *g);
/* 1 when the grant reads the whole clinical chart: viewing it, or releasing
 * (roi.process) or exporting (export.run) what is in it.  The readers of
 * encounters, documents, clinical items, codings and demographics accept
 * these; writers keep their own grants. */
int grant_reads_chart(const struct grant *g);
const char *grant_mrn(const struct grant *g);
/* A site setting (folio/config.h) as it stands, its default when unset:
 * what the domain reads of the site's configuration (no grant of its own). */
long grant_setting(const struct grant *g, const char *name);
/* A secure scratch buffer of at least n bytes owned by the grant, reused
 * across calls (bulk work makes no allocation per record) and wiped at
 * access_end(); its contents do not survive the next call. NULL when out of
 * memory. */
void *grant_scratch(struct grant *g, size_t n);
/* The blind-index subkeys for this grant, derived on first use and wiped
 * at access_end(); NULL (with e set) when the user holds no index key. */
const struct blinder *grant_blinder(struct grant *g, struct folio_err *e);

/* The signed-in user's signing key, opened with their signature code (not
 * the password); free with signer_free().  FOLIO_EDENIED when the code is
 * wrong or none was set.  *key_id names the key for signatures.key_id. */
struct signer;
int grant_signer(struct grant *g, const char *code, size_t len, struct signer **out, int64_t *key_id,
		 struct folio_err *e) MUST_CHECK;

#endif
