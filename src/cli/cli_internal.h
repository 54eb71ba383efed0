/* folio — shared state of one command-line run. */
#ifndef FOLIO_CLI_INTERNAL_H
#define FOLIO_CLI_INTERNAL_H

#include <stddef.h>

#include "folio/access.h"

struct cli {
	const char *db;            /* resolved database path */
	const char *user;          /* --user */
	const char *password_file; /* --password-file */
	const char *reason;        /* --reason: opens a restricted record */
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

/* Reads a secret: from the environment variable env (if set), else the file
 * (first line) if given, else the terminal with echo off (asked twice when
 * confirm).  Returns a smem buffer the caller frees with smem_free(), or NULL
 * after printing why. *len gets its length. */
char *cli_secret(const char *prompt, const char *env, const char *file, int confirm, size_t *len);

/* Option parsing over argv[i..]: returns the value of "--name VALUE" or
 * "--name=VALUE" when argv[*i] is that option (advancing *i), else NULL. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);

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
int cmd_patient(struct cli *c, int argc, char **argv);
int cmd_checkin(struct cli *c, int argc, char **argv);
int cmd_checkins(struct cli *c, int argc, char **argv);
int cmd_chart(struct cli *c, int argc, char **argv);
int cmd_alerts(struct cli *c, int argc, char **argv);

#endif
