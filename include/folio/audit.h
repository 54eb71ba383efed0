/* folio — the audit log (src/access/audit.c), design.md section 3.
 *
 * One append-only table; each row's hash is keyed BLAKE2b over the previous
 * hash and the row's canonical bytes.  audit_append() is for src/access only
 * (the gate writes every row); the readers below run under a grant.
 */
#ifndef FOLIO_AUDIT_H
#define FOLIO_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

struct audit_row {
	int64_t seq;
	char at[24];
	char user[40];
	char role[16];
	char workstation[72];
	char action[32];
	char outcome[16];
	char mrn[24];
	char object_type[24];
	char object_id[72];
	char reason[200];
	uint32_t key_version;
};

struct audit_filter {
	const char *user;    /* exact user name, or NULL */
	const char *mrn;     /* exact MRN, or NULL */
	const char *action;  /* action name or prefix ("user." ), or NULL */
	const char *since;   /* "YYYY-MM-DD" inclusive, or NULL */
	const char *until;   /* "YYYY-MM-DD" inclusive, or NULL */
	int64_t limit;       /* newest first when > 0; 0 means all, oldest first */
};

/* Reads rows matching f (ACT_AUDIT_SHOW). A non-zero return from fn stops the walk (still FOLIO_OK). */
int audit_show(struct grant *g, const struct audit_filter *f,
	       int (*fn)(const struct audit_row *, void *), void *ctx, struct folio_err *e);

struct audit_report {
	int64_t rows;          /* rows checked */
	int64_t bad_seq;       /* first bad row, 0 when the chain holds */
	char problem[200];     /* what is wrong with it */
	int64_t head_seq;
	char head_hex[2 * 32 + 1];
};

/* Walks the whole chain (ACT_AUDIT_VERIFY).  expect_head, when given as
 * "SEQ:HEX" from an earlier `audit head`, must still be in the chain.
 * Returns FOLIO_OK when it holds, FOLIO_EFAIL with report->bad_seq set. */
int audit_verify(struct grant *g, const char *expect_head, struct audit_report *r,
		 struct folio_err *e);
/* The newest row's sequence number and hash (ACT_AUDIT_HEAD). */
int audit_head(struct grant *g, int64_t *seq, char hex[2 * 32 + 1], struct folio_err *e);

#endif
