/* folio — shared state of one command-line run. */
#ifndef FOLIO_CLI_INTERNAL_H
#define FOLIO_CLI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

struct cli {
	const char *db;            /* resolved database path */
	const char *user;          /* --user */
	const char *password_file; /* --password-file */
	const char *reason;        /* --reason: opens a restricted record */
	const char *reason_opt;    /* the option that gives it, when not --reason */
	const char *sign_code;     /* a signature code to prepare at sign-in (note sign, amend) */
	size_t sign_codelen;
	struct store *st;
	struct session *s;
	struct folio_err err;
};

/* Prints "folio: msg" on stderr and returns code (an exit status). */
int cli_fail(int code, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Prints the error slot and returns its exit status. */
int cli_report(const struct cli *c, int status);
/* Opens the database and signs in as --user. */
int cli_sign_in(struct cli *c);
/* Signs out and closes. */
void cli_done(struct cli *c);

/* Signs in, asks for a grant of action a (on chart mrn, or NULL), runs fn
 * under it, ends it and signs out.  With c->reason a restricted chart is
 * opened first (break the glass).  Returns the exit code. */
int cli_grant(struct cli *c, enum action a, const char *mrn, const char *otype, const char *oid,
	      int (*fn)(struct cli *, struct grant *, void *), void *ctx);

/* The same, for a user already signed in (c->s); neither signs out nor
 * prints: returns the status. */
int cli_grant_run(struct cli *c, enum action a, const char *mrn, const char *otype, const char *oid,
		  int (*fn)(struct cli *, struct grant *, void *), void *ctx);
/* Signs in, finds the chart of object `kind` id (access_object_mrn), runs fn
 * under a grant for a on it, signs out.  Returns the exit code. */
int cli_object_grant(struct cli *c, const char *kind, int64_t id, enum action a,
		     int (*fn)(struct cli *, struct grant *, void *), void *ctx);
/* Options of a command: "--name VALUE" into *value, or a bare "--name"
 * setting *flag.  A list ends with a NULL name. */
struct cli_optdef {
	const char *name;
	const char **value;
	int *flag;
};
/* Parses argv[first..] against defs; "--reason R" (open a restricted chart)
 * is always taken.  0, or prints why and returns 2. */
int cli_options(struct cli *c, int argc, char **argv, int first, const struct cli_optdef *defs);
/* 0 for a well-formed MRN, else prints why and returns 2. */
int cli_mrn(const char *mrn);
/* Parses a positive record number; else prints why and returns 2. */
int cli_id(const char *text, const char *what, int64_t *id);
/* Reads a document's text from file (NULL: stdin) into guarded memory
 * (*text, smem_free), line ends made LF.  Returns 0 or an exit code. */
int cli_text(const char *file, char **text, size_t *len);

/* Reads a secret: from the environment variable env (if set), else the file
 * (first line) if given, else the terminal with echo off (asked twice when
 * confirm).  Returns a smem buffer the caller frees with smem_free(), or NULL
 * after printing why. *len gets its length. */
char *cli_secret(const char *prompt, const char *env, const char *file, int confirm, size_t *len);

/* Option parsing over argv[i..]: returns the value of "--name VALUE" or
 * "--name=VALUE" when argv[*i] is that option (advancing *i), else NULL. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);

/* An option's value copied into a fixed field: NULL values are skipped;
 * one too long is refused naming the option.  Returns 0 or prints why and
 * returns 2. */
struct cli_copy {
	const char *v;
	char *dst;
	size_t cap;
	const char *opt;
};
int cli_copy_all(const struct cli_copy *f, size_t n);

/* TSV output: fields with tabs or line breaks are written with spaces. */
void cli_tsv(const char *const *fields, size_t n);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_recover(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_db(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_rekey(struct cli *c, int argc, char **argv);
int cmd_patient(struct cli *c, int argc, char **argv);
int cmd_checkin(struct cli *c, int argc, char **argv);
int cmd_checkins(struct cli *c, int argc, char **argv);
int cmd_chart(struct cli *c, int argc, char **argv);
/* chart out|in|request|pull-list|overdue|where|history|missing|found|volumes
 * (cmd_tracking.c); cmd_tracking_is() says whether a word is one of them. */
int cmd_tracking(struct cli *c, int argc, char **argv);
int cmd_tracking_is(const char *word);
int cmd_alerts(struct cli *c, int argc, char **argv);
/* vitals, allergy, problem, med, result (argv[0] names the section) */
int cmd_clinical(struct cli *c, int argc, char **argv);
int cmd_encounter(struct cli *c, int argc, char **argv);
int cmd_note(struct cli *c, int argc, char **argv);
/* query new|answer|withdraw|close|list|show: physician queries (cmd_query.c) */
int cmd_query(struct cli *c, int argc, char **argv);
/* codes load|search|list: the code sets (cmd_codes.c) */
int cmd_codes(struct cli *c, int argc, char **argv);
/* drg group: needs no database or sign-in */
int cmd_drg(struct cli *c, int argc, char **argv);
int cmd_coding(struct cli *c, int argc, char **argv);
/* check, queue, deficiency: completeness review (cmd_deficiency.c) */
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_queue(struct cli *c, int argc, char **argv);
int cmd_deficiency(struct cli *c, int argc, char **argv);
/* disclosures, disclosure add|correct, accounting, report NAME: the
 * disclosure ledger and reports (cmd_disclosure.c) */
int cmd_disclosures(struct cli *c, int argc, char **argv);
int cmd_disclosure(struct cli *c, int argc, char **argv);
int cmd_accounting(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
/* report NAME [--from D --to D] [--csv]: the department reports other than
 * `report access` (cmd_report.c); argv[1] is the name. */
int cmd_report_run(struct cli *c, int argc, char **argv);
/* roi new|list|show|select|validate|release|deny|withdraw|extend: release
 * of information; unseal: open a password-sealed packet (cmd_roi.c) */
int cmd_roi(struct cli *c, int argc, char **argv);
int cmd_unseal(struct cli *c, int argc, char **argv);
/* import synthea|hl7 (cmd_import.c dispatches to cmd_import_synthea.c and
 * cmd_import_hl7.c; argv[0] is the format word there) */
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_import_synthea(struct cli *c, int argc, char **argv);
int cmd_import_hl7(struct cli *c, int argc, char **argv);
/* export deid: the de-identified research extract (cmd_export.c) */
int cmd_export(struct cli *c, int argc, char **argv);
/* dup scan|list|show|verify|reject: duplicate charts (cmd_dup.c) */
int cmd_dup(struct cli *c, int argc, char **argv);
/* merge preview|approve|undo|list: merging duplicate charts (cmd_merge.c) */
int cmd_merge(struct cli *c, int argc, char **argv);

#endif
