/* folio — the gate's private state and helpers, shared inside src/access. */
#ifndef FOLIO_ACCESS_INTERNAL_H
#define FOLIO_ACCESS_INTERNAL_H

#include <stdint.h>

#include "folio/access.h"
#include "folio/crypto.h"
#include "folio/store.h"

struct session {
	struct store *st;
	/* access_sign_prepare(): the signature code's key, derived before any
	 * transaction, for the grants that sign next (src/access/signkeys.c) */
	struct kek *sign_kek;
	int64_t sign_key_id;
	uint8_t sign_code_hash[HASH_BYTES];
	int64_t user_id;
	char user[40];
	enum role role;
	struct keyring *kr;     /* emptied while locked */
	int locked;
	int ended;              /* locked out during a screen lock */
	char last_login[112];
	int failures_since;
	int idle_seconds;
	char patient[24];
	char workstation[72];
	char glass[8][24];      /* restricted charts opened with a reason */
	unsigned glass_next;
};

struct grant {
	struct session *s;
	struct blinder *blinder;
	void *scratch;          /* grant_scratch(): smem, wiped at the end */
	size_t scratch_len;
	enum action a;
	char mrn[24];
	char object_type[24];
	char object_id[72];
};

/* Who an audit row names. */
struct audit_actor {
	const char *user;
	const char *role;
	const char *workstation;
};

struct audit_entry {
	const char *action;
	const char *outcome;    /* "ok", "denied", "failed" */
	const char *mrn;
	const char *object_type;
	const char *object_id;
	const char *reason;
};

/* Appends one row to the chain inside the caller's write transaction.
 * kr NULL writes an unkeyed row (only for events before sign-in). */
int audit_append(struct store *st, const struct keyring *kr, const struct audit_actor *who,
		 const struct audit_entry *what, struct folio_err *e) MUST_CHECK;
/* Same, as the session's user. */
int audit_session(struct session *s, const struct audit_entry *what, struct folio_err *e) MUST_CHECK;
/* Appends in a transaction of its own (denials, failures, sign-outs);
 * problems are reported on stderr-free paths by returning the status. */
int audit_alone(struct store *st, const struct keyring *kr, const struct audit_actor *who,
		const struct audit_entry *what, struct folio_err *e);

/* The chart check of access_begin: *why gets the refusal, or NULL. */
int chart_gate(struct session *s, const char *mrn, const char **why, struct folio_err *e);
/* The MRN a grant on mrn works on: a merged chart's survivor, else mrn. */
int chart_resolve(struct session *s, const char *mrn, char out[16], struct folio_err *e);

/* A site setting, or its default when unset or unreadable. */
long settings_value(struct store *st, const char *name);

/* Gives user_id fresh KDF parameters from pw and wraps every key of the
 * classes in `classes` that src holds, replacing the user's old wraps.
 * Runs inside the caller's write transaction. */
int user_keys_store(struct store *st, int64_t user_id, enum role r, const struct keyring *src,
		    unsigned classes, const char *pw, size_t pwlen, int kdf_fast, struct folio_err *e) MUST_CHECK;
/* Inserts the account row for name and wraps the classes of role r from src
 * under pw; *id gets the new row id.  Inside the caller's transaction. */
int user_create(struct store *st, const char *name, enum role r, const struct keyring *src,
		const char *pw, size_t pwlen, int kdf_fast, int64_t *id, struct folio_err *e) MUST_CHECK;
/* The stored Argon2id parameters of user_id's password. */
int user_kdf_params(struct store *st, int64_t user_id, struct kdf_params *p, struct folio_err *e) MUST_CHECK;
/* Derives the kek from pw and opens every wrap of user_id into kr.
 * FOLIO_EDENIED when the password is wrong. */
int user_keys_load(struct store *st, int64_t user_id, enum role r, const char *pw, size_t pwlen,
		   struct keyring *kr, struct folio_err *e) MUST_CHECK;
/* Same, and *keep (when not NULL) gets the password's key-encryption key
 * for user_offers_accept (kek_free it). */
int user_keys_open(struct store *st, int64_t user_id, enum role r, const char *pw, size_t pwlen,
		   struct keyring *kr, struct kek **keep, struct folio_err *e) MUST_CHECK;
/* At sign-in, inside the caller's write transaction: opens the key offers a
 * rotation left for user_id into kr and wraps them under k into user_keys
 * (the offers go); a user without a box key pair gets one. */
int user_offers_accept(struct store *st, int64_t user_id, enum role r, const struct kek *k,
		       struct keyring *kr, struct folio_err *e) MUST_CHECK;
/* Opens every key offer filed for recipient (a user id, 0 for the recovery
 * key) with the box pair (bk, pk) into kr, hands each (class, version) to
 * keep() to be wrapped and stored, and deletes the offers.  Inside the
 * caller's write transaction. */
int offers_take(struct store *st, int64_t recipient, const struct boxkey *bk, const uint8_t *pk,
		struct keyring *kr, int (*keep)(void *ctx, enum key_class c, uint32_t v, struct folio_err *e),
		void *ctx, struct folio_err *e) MUST_CHECK;
/* Records that key (c, v) exists (key_versions), created now. */
int key_version_insert(struct store *st, enum key_class c, uint32_t v, struct folio_err *e) MUST_CHECK;
/* Records a failed password for user_id (lockout when the threshold is
 * reached) and audits it; *locked_until gets the lift time or 0. */
int login_failure(struct store *st, int64_t user_id, const char *user, const char *role,
		  const char *workstation, const char *action, int64_t *locked_until,
		  struct folio_err *e);

/* Opens the envelopes of every registered column (src/access/rekey.c)
 * whose class kr holds: all of them (per_column 0) or a random per_column
 * of each; the first that is not an envelope or does not open fails, named
 * by table, column and row (src/access/envscan.c). */
struct envscan {
	long opened;   /* envelopes that opened */
	long unheld;   /* of a class kr does not hold: not tried */
};
int envelope_scan(struct store *st, const struct keyring *kr, long per_column, struct envscan *r,
		  struct folio_err *e) MUST_CHECK;

#endif
