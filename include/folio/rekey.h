/* folio — key rotation (src/access/rekey.c): the registry of every column
 * that holds field envelopes, and the rotation itself.
 *
 * A rotation of class C makes version v+1, seals it to every holder (key
 * offers, include/folio/crypto.h) and then reseals, in batches of one
 * transaction each, every envelope whose header still says (C, version <=
 * v).  The header's class and version bytes are readable in SQL, so a
 * batch picks only rows still on an old version: a rotation killed at any
 * point continues where it stopped when `folio rekey C` runs again.  When
 * no row is left on an old version, the old versions are marked retired;
 * their wrapped keys are kept (see rekey.c). */
#ifndef FOLIO_REKEY_H
#define FOLIO_REKEY_H

#include <stddef.h>
#include <stdint.h>

#include "folio/util.h"

struct grant;

/* One envelope column.  Its associated data is "ad_table.ad_column:ID"
 * where ID is the SQL expression ad_id over the row (field_ad); k1 and k2
 * are integer columns that find the row again (the same for rowid tables). */
struct envelope_column {
	const char *table, *column;
	const char *ad_table, *ad_column, *ad_id;
	const char *k1, *k2;
};
extern const struct envelope_column envelope_columns[];
extern const size_t envelope_column_count;
/* BLOB columns that hold no field envelope ("table.column"): hashes, salts,
 * key wraps, public keys, signatures, cached tables. */
extern const char *const envelope_exempt[];
extern const size_t envelope_exempt_count;
/* The registry entry of table.column, or NULL. */
const struct envelope_column *envelope_column_find(const char *table, const char *column);

struct rekey_report {
	const char *cls;      /* the class's name */
	uint32_t version;     /* the version every envelope is under now */
	int resumed;          /* an unfinished rotation was continued */
	long resealed;        /* envelopes resealed by this run */
	long batches;
	int retired;          /* old versions marked retired */
};

/* Rotates (or continues rotating) the class named cls ("demographics",
 * "clinical", "sensitive", "audit") under an ACT_KEY_ROTATE
 * grant; batch_rows (0 for the default, 500) rows per transaction.  The
 * index class is refused (blind indexes, pseudonyms and import ids would
 * need rebuilding).  Each batch commits on its own; the grant's own
 * transaction is committed first and an empty one reopened for access_end. */
int access_rekey(struct grant *g, const char *cls, long batch_rows, struct rekey_report *r,
		 struct folio_err *e) MUST_CHECK;

#endif
