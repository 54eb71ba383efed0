/* folio — the gate (src/access/).  Both front ends reach data only through
 * here: a session proves who is at the keyboard and holds their keys; a grant
 * is one permitted, audited action inside one transaction.
 *
 * Fail closed: an action the policy table does not name for a role is denied,
 * and every denial is audited.  The policy is compiled in (a file edit cannot
 * widen it).  Ownership: sessions and grants are opaque and owned by the
 * caller until access_logout() / access_end().
 */
#ifndef FOLIO_ACCESS_H
#define FOLIO_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "folio/util.h"

struct store;
struct session;
struct grant;

enum role {
	ROLE_FRONTDESK,
	ROLE_TECHNICIAN,
	ROLE_SUPERVISOR,
	ROLE_PHYSICIAN,
	ROLE_ADMIN,
	ROLE_COUNT
};

#define RM_FD (1u << ROLE_FRONTDESK)
#define RM_TE (1u << ROLE_TECHNICIAN)
#define RM_SU (1u << ROLE_SUPERVISOR)
#define RM_PH (1u << ROLE_PHYSICIAN)
#define RM_AD (1u << ROLE_ADMIN)
#define RM_ALL (RM_FD | RM_TE | RM_SU | RM_PH | RM_AD)

/* The policy table: action, audit name, roles allowed, what it is.
 * Anything not listed is denied to everyone. */
#define FOLIO_ACTIONS(_) \
	_(PASSWD_SELF,     "account.passwd",   RM_ALL, "change one's own password") \
	_(USER_ADD,        "user.add",         RM_AD, "create a user account") \
	_(USER_LIST,       "user.list",        RM_AD | RM_SU, "list user accounts") \
	_(USER_LOCK,       "user.lock",        RM_AD, "lock a user account") \
	_(USER_UNLOCK,     "user.unlock",      RM_AD, "unlock a user account") \
	_(USER_RESET,      "user.reset",       RM_AD, "set another user's password") \
	_(AUDIT_VERIFY,    "audit.verify",     RM_AD | RM_SU, "verify the audit chain") \
	_(AUDIT_HEAD,      "audit.head",       RM_AD | RM_SU, "print the audit chain head") \
	_(AUDIT_SHOW,      "audit.show",       RM_AD | RM_SU, "read the audit log") \
	_(CONFIG_READ,     "config.read",      RM_AD | RM_SU, "read site settings") \
	_(CONFIG_SET,      "config.set",       RM_AD, "change site settings") \
	_(DB_CHECK,        "db.check",         RM_AD | RM_SU, "check database integrity") \
	_(DB_BACKUP,       "db.backup",        RM_AD, "back up the database") \
	_(DB_RESTORE,      "db.restore",       RM_AD, "replace the database with a checked backup") \
	_(KEY_ROTATE,      "key.rotate",       RM_AD, "rotate a key class") \
	_(PATIENT_FIND,    "patient.find",     RM_FD | RM_TE | RM_SU | RM_PH, "look up patients") \
	_(PATIENT_VIEW,    "patient.view",     RM_FD | RM_TE | RM_SU | RM_PH, "see demographics") \
	_(PATIENT_ADD,     "patient.add",      RM_FD | RM_TE, "register a patient") \
	_(PATIENT_EDIT,    "patient.edit",     RM_FD | RM_TE | RM_SU, "change demographics") \
	_(PATIENT_RESTRICT, "patient.restrict", RM_TE | RM_SU, "mark a record restricted or not") \
	_(USER_LINK,       "user.link",        RM_AD, "link a staff account to its own patient record") \
	_(CHECKIN,         "encounter.checkin", RM_FD | RM_TE, "check a patient in") \
	_(CHECKIN_LIST,    "encounter.checkins", RM_FD | RM_TE | RM_SU, "today's check-ins") \
	_(ALERT_REVIEW,    "alert.review",     RM_SU, "restricted-record alerts") \
	_(CHART_VIEW,      "chart.view",       RM_TE | RM_SU | RM_PH, "read the clinical chart") \
	_(ENCOUNTER_EDIT,  "encounter.edit",   RM_TE | RM_SU, "admit, transfer, discharge") \
	_(CLINICAL_ENTER,  "clinical.enter",   RM_TE | RM_PH, "enter vitals, history, results") \
	_(NOTE_WRITE,      "note.write",       RM_TE | RM_PH, "write or transcribe a document") \
	_(NOTE_SIGN,       "note.sign",        RM_PH, "sign or cosign a document") \
	_(NOTE_AMEND,      "note.amend",       RM_SU | RM_PH, "amend or retract a document") \
	_(CODE_ASSIGN,     "coding.assign",    RM_TE | RM_SU, "code an encounter, assign the DRG") \
	_(DEFICIENCY_EDIT, "deficiency.edit",  RM_TE | RM_SU, "file and assign deficiencies") \
	_(DEFICIENCY_REOPEN, "deficiency.reopen", RM_SU, "reopen a completed deficiency") \
	_(QUEUE_VIEW,      "queue.view",       RM_TE | RM_SU, "the incomplete-chart queue") \
	_(QUERY_SEND,      "query.send",       RM_TE | RM_SU, "query a physician") \
	_(QUERY_ANSWER,    "query.answer",     RM_PH, "answer a query or deficiency") \
	_(CHART_TRACK,     "chart.track",      RM_TE | RM_SU, "record where a paper chart is") \
	_(ROI_PROCESS,     "roi.process",      RM_TE | RM_SU, "release information") \
	_(DISCLOSURE_ACCOUNT, "roi.accounting", RM_TE | RM_SU, "account for disclosures") \
	_(ACCESS_REPORT,   "report.access",    RM_SU, "who looked at a chart") \
	_(REPORT_RUN,      "report.run",       RM_SU, "department reports") \
	_(IMPORT_RUN,      "import.run",       RM_TE | RM_SU, "import records") \
	_(EXPORT_RUN,      "export.run",       RM_TE | RM_SU, "export records") \
	_(MERGE_PROPOSE,   "merge.propose",    RM_TE | RM_SU, "mark a duplicate pair") \
	_(MERGE_APPROVE,   "merge.approve",    RM_SU, "approve or undo a merge") \
	_(BREAK_GLASS,     "chart.breakglass", RM_FD | RM_TE | RM_SU | RM_PH, "open a restricted record") \
	_(SIGCODE_SET,     "account.sigcode",  RM_SU | RM_PH, "set one's own signature code") \
	_(NOTE_VERIFY,     "note.verify",      RM_TE | RM_SU, "check every document signature") \
	_(CODES_LOAD,      "codes.load",       RM_SU | RM_AD, "load the code sets and grouper tables") \
	_(CODES_SEARCH,    "codes.search",     RM_TE | RM_SU | RM_PH, "look up ICD-10 codes") \
	_(DEFICIENCY_RULES, "deficiency.rules", RM_SU, "edit the completeness rules") \
	_(INBOX_VIEW,      "inbox.view",       RM_PH | RM_SU, "a physician's deficiencies and queries") \
	_(CHART_REQUEST,   "chart.request",    RM_TE | RM_SU | RM_PH, "request a paper chart") \
	_(CHART_FOUND,     "chart.found",      RM_SU, "clear a paper chart's missing flag")

enum action {
#define FOLIO_ACTION_ENUM(id, name, roles, help) ACT_##id,
	FOLIO_ACTIONS(FOLIO_ACTION_ENUM)
#undef FOLIO_ACTION_ENUM
	ACT_COUNT
};

const char *role_name(enum role r);      /* "frontdesk" */
const char *role_title(enum role r);     /* "Front desk" */
/* Parses a role name; -1 when unknown. */
int role_parse(const char *name);
/* KC_BIT mask of the key classes a role holds. */
unsigned role_key_classes(enum role r);
const char *action_name(enum action a);
const char *action_help(enum action a);
/* 1 when the policy names action a for role r; 0 otherwise (including
 * out-of-range values). */
int policy_allows(int role, int action);

/* ---- database ------------------------------------------------------- */
/* Opens an existing database (migrating it if needed). Caller closes. */
int access_open(const char *path, struct store **out, struct folio_err *e) MUST_CHECK;
void access_close(struct store *st);
/* Versions for `folio --version`. */
const char *access_sqlite_version(void);
const char *access_sodium_version(void);
const char *access_journal_mode(void);

/* PRAGMA integrity_check and foreign keys (ACT_DB_CHECK); report gets "ok"
 * or the problems. */
int access_db_check(struct grant *g, char *report, size_t cap, struct folio_err *e);
/* Online backup of the whole (encrypted) database to a new file
 * (ACT_DB_BACKUP). */
int access_db_backup(struct grant *g, const char *dest, struct folio_err *e);
/* What a restore checked and where the replaced database went. */
struct restore_report {
	int schema;            /* the backup's schema version (after migration) */
	int64_t audit_rows;    /* audit rows verified */
	long sampled;          /* envelopes opened as a sample */
	char kept_as[4200];    /* DB.before-restore-STAMP */
};
/* Replaces the database with the backup at path (ACT_DB_RESTORE) after
 * checking a copy of it: it is a folio database this folio knows, PRAGMA
 * integrity_check is ok, the signed-in user's password (pw) opens their
 * keys in it, its audit chain verifies and a random sample of envelopes of
 * every column decrypts.  The live file is swapped under an exclusive lock
 * and kept as DB.before-restore-STAMP; the restored database gets an audit
 * row "db.restore" naming the backup's file name.  Any failure: nothing is
 * replaced. */
int access_db_restore(struct grant *g, const char *backup, const char *pw, size_t pwlen,
		      struct restore_report *r, struct folio_err *e) MUST_CHECK;

/* Creates a new database at path with one admin account and fresh keys of
 * every class; recovery_text receives the recovery key, to be shown once.
 * kdf_fast is for tests only (Argon2id at its minimum limits). */
int access_init_db(const char *path, const char *admin, const char *pw, size_t pwlen,
		   int kdf_fast, char *recovery_text, size_t cap, struct folio_err *e) MUST_CHECK;
/* Uses the recovery key to set a new password on an account and unlock it.
 * Audited as "account.recover". */
int access_recover(struct store *st, const char *recovery_text, const char *user,
		   const char *newpw, size_t newlen, struct folio_err *e) MUST_CHECK;

/* Password rules (at least 12 characters, valid UTF-8, not the user name).
 * Returns 0 or FOLIO_EUSAGE with the reason. */
int access_password_acceptable(const char *user, const char *pw, size_t len, struct folio_err *e);

/* ---- sessions ------------------------------------------------------- */
/* Signs in.  Wrong password or a locked account: FOLIO_EDENIED, audited;
 * the failure that reaches the threshold locks the account until the time
 * given in the message. */
int access_login(struct store *st, const char *user, const char *pw, size_t pwlen,
		 struct session **out, struct folio_err *e) MUST_CHECK;
/* Audits the sign-out, wipes the keys and frees the session. NULL allowed. */
void access_logout(struct session *s);
/* Screen lock: audits (reason "idle" or "by the user"), wipes the keys; the
 * session keeps who it is and the patient in context. */
int access_lock(struct session *s, const char *reason, struct folio_err *e);
/* Brings a locked session back with the user's password. A wrong password
 * counts toward the lockout; a lockout ends the session (FOLIO_EDENIED and
 * session_is_ended() true: the caller should sign it out). */
int access_unlock(struct session *s, const char *pw, size_t pwlen, struct folio_err *e) MUST_CHECK;
/* The interface's state under the lock (src/access/lockseal.c): before
 * access_lock(), access_lock_seal() encrypts every live guarded buffer in
 * place under a key derived from the session's index key with a fresh
 * salt, so once the keys are wiped only the user's password leads back to
 * it; after a successful access_unlock(), access_lock_unseal() decrypts
 * them.  When the session ends at the lock instead, access_lock_drop()
 * zeroes them. */
int access_lock_seal(struct session *s, struct folio_err *e) MUST_CHECK;
int access_lock_unseal(struct session *s, struct folio_err *e) MUST_CHECK;
void access_lock_drop(void);
/* Derives the key of the user's signature code (Argon2id) before the
 * signing grants open their transactions, so the slow step does not hold
 * the write lock; the grants that then sign with the same code use it.
 * FOLIO_EDENIED for a wrong code (nothing kept: the grant refuses and
 * audits it).  access_sign_forget() drops it (done at lock and sign-out). */
int access_sign_prepare(struct session *s, const char *code, size_t len, struct folio_err *e);
void access_sign_forget(struct session *s);
/* Changes the signed-in user's password (old one re-checked); re-wraps the
 * keys, re-encrypts nothing. */
int access_change_password(struct session *s, const char *oldpw, size_t oldlen,
			   const char *newpw, size_t newlen, struct folio_err *e) MUST_CHECK;

const char *session_user(const struct session *s);
enum role session_role(const struct session *s);
int session_is_locked(const struct session *s);
/* 1 once the account was locked out while the session was locked. */
int session_is_ended(const struct session *s);
/* The sign-in before this one ("2026-11-24 09:12 UTC from /dev/pts/3"), or
 * "" on a first sign-in. */
const char *session_last_login(const struct session *s);
/* Failed attempts since that last sign-in. */
int session_failures_since(const struct session *s);
/* Site setting idle_lock_seconds as read at sign-in. */
int session_idle_seconds(const struct session *s);
/* The patient in context (an MRN) for the status line; "" for none. */
const char *session_patient(const struct session *s);
void session_set_patient(struct session *s, const char *mrn);
/* Policy check without auditing, for showing menus. */
int access_may(const struct session *s, enum action a);

/* ---- patient sensitivity ------------------------------------------- */
struct chart_flags {
	int exists;      /* an MRN of this database */
	int restricted;  /* needs a reason (break the glass) before it opens */
	int own;         /* the signed-in user's own record: never opens */
	int test;        /* a TEST patient */
	int opened;      /* restricted, and this session already gave a reason */
};
/* What the gate knows of a chart before anyone opens it: no audit, no PHI. */
int access_chart_flags(struct session *s, const char *mrn, struct chart_flags *f,
		       struct folio_err *e);
/* The MRN of the chart a numbered object belongs to (kind "encounter",
 * "document", "item" — a clinical item, "deficiency", "disclosure", "query",
 * "roi" — a release request):
 * what a command given only an object id needs before it asks for a grant on
 * that chart.  No audit: the
 * chart number is not PHI, and the grant that follows is audited.
 * FOLIO_ENOTFOUND when there is no such object, FOLIO_EUSAGE for an unknown
 * kind. */
int access_object_mrn(struct session *s, const char *kind, int64_t id, char mrn[16],
		      struct folio_err *e);
/* Opens a restricted record for this session (ACT_BREAK_GLASS): the reason
 * (required) is kept encrypted in an alert for the supervisor, and audited. */
int access_break_glass(struct session *s, const char *mrn, const char *reason,
		       struct folio_err *e) MUST_CHECK;

/* ---- grants --------------------------------------------------------- */
/* Asks for one action (mrn/object may be NULL).  On success the audit row is
 * written, a write transaction is open and *out must be ended with
 * access_end().  On denial nothing is open, the denial is audited and
 * FOLIO_EDENIED returned with a message.  With an MRN the gate also checks
 * the chart: one's own record is refused, a restricted one needs
 * access_break_glass() first. */
int access_begin(struct session *s, enum action a, const char *mrn, const char *object_type,
		 const char *object_id, struct grant **out, struct folio_err *e) MUST_CHECK;
/* Ends a grant: commits when status is FOLIO_OK, else rolls back and audits
 * the failure.  Returns the final status (a failed commit turns OK into
 * FOLIO_EFAIL). Frees the grant. */
int access_end(struct grant *g, int status, struct folio_err *e);

#endif
