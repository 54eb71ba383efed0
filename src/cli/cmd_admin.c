/* folio — commands that make databases and manage accounts and settings. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_internal.h"
#include "folio/account.h"
#include "folio/config.h"
#include "folio/demo.h"
#include "folio/rekey.h"
#include "folio/smem.h"

#define RECOVERY_TEXT 96

/* Makes the database's folder (owner only) when it is the default one. */
static void make_parent(const char *path)
{
	char dir[4096];
	char *slash;

	if (str_copy(dir, sizeof dir, path) != 0 || !(slash = strrchr(dir, '/')) || slash == dir)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
}

static void print_recovery(const char *text)
{
	fprintf(stderr,
		"\nRECOVERY KEY - shown this once.  Write it down and keep it locked away;\n"
		"it is the only way back in if every admin password is lost:\n\n");
	/* The key goes to stdout alone so a script can capture it. */
	printf("%s\n", text);
	fflush(stdout);
	fputc('\n', stderr);
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *admin = NULL, *v;
	int fast = 0, rc;
	char *pw, *recovery;
	size_t len;

	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--admin")))
			admin = v;
		else if ((v = cli_opt(argc, argv, &i, "--kdf")) && strcmp(v, "fast") == 0)
			fast = 1; /* tests only: Argon2id at its minimum limits */
		else
			return cli_fail(2, "usage: folio init --admin NAME");
	}
	if (!admin)
		return cli_fail(2, "usage: folio init --admin NAME");
	if ((rc = account_name_valid(admin, &c->err)))
		return cli_report(c, rc);
	pw = cli_secret("New admin password: ", "FOLIO_PASSWORD", c->password_file, 1, &len);
	if (!pw)
		return 2;
	if ((rc = access_password_acceptable(admin, pw, len, &c->err))) {
		smem_free(pw);
		return cli_report(c, rc);
	}
	recovery = smem_alloc(RECOVERY_TEXT);
	if (!recovery) {
		smem_free(pw);
		return cli_fail(1, "out of secure memory");
	}
	make_parent(c->db);
	rc = access_init_db(c->db, admin, pw, len, fast, recovery, RECOVERY_TEXT, &c->err);
	smem_free(pw);
	if (rc == FOLIO_OK) {
		fprintf(stderr, "folio: created %s with security officer '%s'\n", c->db, admin);
		print_recovery(recovery);
	}
	smem_free(recovery);
	return cli_report(c, rc);
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	long patients = DEMO_PATIENTS_DEFAULT;
	const char *v, *codesets = NULL;
	char *recovery, *end;
	int rc;

	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--codesets"))) {
			codesets = v;
			continue;
		}
		if (!(v = cli_opt(argc, argv, &i, "--patients")))
			return cli_fail(2, "usage: folio demo [--patients N] [--codesets DIR]");
		errno = 0;
		patients = strtol(v, &end, 10);
		if (errno || *end || end == v || patients < 0 || patients > DEMO_PATIENTS_MAX)
			return cli_fail(2, "--patients takes a whole number from 0 to %d", DEMO_PATIENTS_MAX);
	}
	recovery = smem_alloc(RECOVERY_TEXT);
	if (!recovery)
		return cli_fail(1, "out of secure memory");
	make_parent(c->db);
	rc = demo_create(c->db, patients, codesets, recovery, RECOVERY_TEXT, &c->err);
	if (rc == FOLIO_OK) {
		printf("Demo database %s with %ld patients\n\nuser\trole\tpassword\n", c->db, patients);
		for (size_t i = 0; i < demo_user_count; i++)
			printf("%s\t%s\t%s\n", demo_users[i].name, demo_users[i].role, demo_users[i].password);
		printf("\ndoctor's signature code: %s\n", DEMO_DOCTOR_SIGNATURE_CODE);
		if (codesets)
			printf("code sets loaded from %s\n", codesets);
		printf("\nrecovery key: %s\n", recovery);
	}
	smem_free(recovery);
	return cli_report(c, rc);
}

int cmd_recover(struct cli *c, int argc, char **argv)
{
	const char *user = c->user, *v;
	char *key, *pw;
	size_t klen, len;
	int rc;

	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--user")))
			user = v;
		else
			return cli_fail(2, "usage: folio recover --user NAME");
	}
	if (!user)
		return cli_fail(2, "usage: folio recover --user NAME");
	if ((rc = access_open(c->db, &c->st, &c->err)))
		return cli_report(c, rc);
	key = cli_secret("Recovery key: ", "FOLIO_RECOVERY_KEY", NULL, 0, &klen);
	if (!key) {
		access_close(c->st);
		return 2;
	}
	pw = cli_secret("New password: ", "FOLIO_NEW_PASSWORD", NULL, 1, &len);
	if (!pw) {
		smem_free(key);
		access_close(c->st);
		return 2;
	}
	rc = access_recover(c->st, key, user, pw, len, &c->err);
	smem_free(key);
	smem_free(pw);
	access_close(c->st);
	if (rc == FOLIO_OK)
		fprintf(stderr, "folio: new password set for '%s'; the account is unlocked\n", user);
	return cli_report(c, rc);
}

struct user_args {
	const char *name;
	enum role role;
	char *pw;
	size_t len;
};

static int do_user_add(struct cli *c, struct grant *g, void *ctx)
{
	struct user_args *u = ctx;
	return account_add(g, u->name, u->role, u->pw, u->len, &c->err);
}

static int do_user_reset(struct cli *c, struct grant *g, void *ctx)
{
	struct user_args *u = ctx;
	return account_reset_password(g, u->name, u->pw, u->len, &c->err);
}

static int do_user_lock(struct cli *c, struct grant *g, void *ctx)
{
	return account_lock(g, ((struct user_args *)ctx)->name, &c->err);
}

static int do_user_unlock(struct cli *c, struct grant *g, void *ctx)
{
	return account_unlock(g, ((struct user_args *)ctx)->name, &c->err);
}

static int print_account(const struct account_info *a, void *ctx)
{
	char until[40] = "";
	const char *state = "active";

	(void)ctx;
	if (a->admin_locked)
		state = "locked";
	else if (a->locked_until) {
		state = "locked-out";
		time_format_utc(a->locked_until, until, sizeof until);
	}
	cli_tsv((const char *[]){ a->name, role_name(a->role), state, until, a->last_login, a->last_from,
				  a->created }, 7);
	return 0;
}

static int do_user_list(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "name", "role", "state", "locked_until", "last_login", "last_from",
				  "created" }, 7);
	return account_list(g, print_account, NULL, &c->err);
}

static int user_passwd(struct cli *c, const char *name)
{
	struct user_args u = { name, ROLE_FRONTDESK, NULL, 0 };
	char *old;
	size_t oldlen;
	int rc;

	u.pw = cli_secret("New password: ", "FOLIO_NEW_PASSWORD", NULL, 1, &u.len);
	if (!u.pw)
		return 2;
	if (name && (!c->user || strcmp(name, c->user) != 0)) {
		rc = cli_grant(c, ACT_USER_RESET, NULL, "user", name, do_user_reset, &u);
		smem_free(u.pw);
		if (rc == 0)
			fprintf(stderr, "folio: password of '%s' set\n", name);
		return rc;
	}
	if ((rc = cli_sign_in(c))) {
		smem_free(u.pw);
		return rc;
	}
	/* The current password again, as the sign-in read it. */
	old = cli_secret("Current password: ", "FOLIO_PASSWORD", c->password_file, 0, &oldlen);
	if (!old) {
		smem_free(u.pw);
		cli_done(c);
		return 2;
	}
	rc = access_change_password(c->s, old, oldlen, u.pw, u.len, &c->err);
	smem_free(old);
	smem_free(u.pw);
	cli_done(c);
	if (rc == FOLIO_OK)
		fprintf(stderr, "folio: password changed\n");
	return cli_report(c, rc);
}

static int do_sigcode(struct cli *c, struct grant *g, void *ctx)
{
	struct user_args *u = ctx;
	return account_sigcode_set(g, u->pw, u->len, &c->err);
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	struct user_args u = { NULL, ROLE_FRONTDESK, NULL, 0 };
	const char *sub = argc > 1 ? argv[1] : "";
	const char *v;
	int rc, role = -1;

	if (strcmp(sub, "list") == 0 && argc == 2)
		return cli_grant(c, ACT_USER_LIST, NULL, NULL, NULL, do_user_list, NULL);
	if (strcmp(sub, "passwd") == 0 && argc <= 3)
		return user_passwd(c, argc == 3 ? argv[2] : NULL);
	if (strcmp(sub, "sigcode") == 0 && argc == 2) {
		u.pw = cli_secret("New signature code: ", "FOLIO_NEW_SIGNATURE_CODE", NULL, 1, &u.len);
		if (!u.pw)
			return 2;
		rc = cli_grant(c, ACT_SIGCODE_SET, NULL, "user", c->user, do_sigcode, &u);
		smem_free(u.pw);
		if (rc == 0)
			fprintf(stderr, "folio: signature code set\n");
		return rc;
	}
	if ((strcmp(sub, "lock") == 0 || strcmp(sub, "unlock") == 0) && argc == 3) {
		u.name = argv[2];
		if (sub[0] == 'l')
			return cli_grant(c, ACT_USER_LOCK, NULL, "user", u.name, do_user_lock, &u);
		return cli_grant(c, ACT_USER_UNLOCK, NULL, "user", u.name, do_user_unlock, &u);
	}
	if (strcmp(sub, "add") == 0 && argc >= 3) {
		for (int i = 2; i < argc; i++) {
			if ((v = cli_opt(argc, argv, &i, "--role"))) {
				if ((role = role_parse(v)) < 0)
					return cli_fail(2, "unknown role '%s' (frontdesk technician supervisor"
							   " physician admin)", v);
			} else if (argv[i][0] != '-' && !u.name) {
				u.name = argv[i];
			} else {
				return cli_fail(2, "usage: folio user add NAME --role ROLE");
			}
		}
		if (!u.name || role < 0)
			return cli_fail(2, "usage: folio user add NAME --role ROLE");
		if ((rc = account_name_valid(u.name, &c->err)))
			return cli_report(c, rc);
		u.role = (enum role)role;
		u.pw = cli_secret("Password for the new user: ", "FOLIO_NEW_PASSWORD", NULL, 1, &u.len);
		if (!u.pw)
			return 2;
		if ((rc = access_password_acceptable(u.name, u.pw, u.len, &c->err)) == FOLIO_OK) {
			rc = cli_grant(c, ACT_USER_ADD, NULL, "user", u.name, do_user_add, &u);
			if (rc == 0)
				fprintf(stderr, "folio: user '%s' added as %s\n", u.name, role_name(u.role));
		} else {
			rc = cli_report(c, rc);
		}
		smem_free(u.pw);
		return rc;
	}
	return cli_fail(2, "usage: folio user add NAME --role ROLE | passwd [NAME] | lock NAME |"
			   " unlock NAME | list | sigcode");
}

struct config_args {
	const char *name, *value;
};

static int print_setting(const struct setting_info *si, void *ctx)
{
	char v[24], d[24], range[48];

	(void)ctx;
	snprintf(v, sizeof v, "%ld", si->value);
	snprintf(d, sizeof d, "%ld", si->def);
	snprintf(range, sizeof range, "%ld-%ld", si->min, si->max);
	cli_tsv((const char *[]){ si->name, v, d, range, si->help }, 5);
	return 0;
}

static int do_config_list(struct cli *c, struct grant *g, void *ctx)
{
	(void)ctx;
	cli_tsv((const char *[]){ "name", "value", "default", "range", "meaning" }, 5);
	return config_list(g, print_setting, NULL, &c->err);
}

static int do_config_get(struct cli *c, struct grant *g, void *ctx)
{
	long v;
	int rc = config_get(g, ((struct config_args *)ctx)->name, &v, &c->err);
	if (rc == FOLIO_OK)
		printf("%ld\n", v);
	return rc;
}

static int do_config_set(struct cli *c, struct grant *g, void *ctx)
{
	struct config_args *a = ctx;
	return config_set(g, a->name, a->value, &c->err);
}

int cmd_config(struct cli *c, int argc, char **argv)
{
	struct config_args a = { argc > 2 ? argv[2] : NULL, argc > 3 ? argv[3] : NULL };
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "list") == 0 && argc == 2)
		return cli_grant(c, ACT_CONFIG_READ, NULL, NULL, NULL, do_config_list, NULL);
	if (strcmp(sub, "get") == 0 && argc == 3)
		return cli_grant(c, ACT_CONFIG_READ, NULL, "setting", a.name, do_config_get, &a);
	if (strcmp(sub, "set") == 0 && argc == 4)
		return cli_grant(c, ACT_CONFIG_SET, NULL, "setting", a.name, do_config_set, &a);
	return cli_fail(2, "usage: folio config list | get NAME | set NAME VALUE");
}

static int do_db_check(struct cli *c, struct grant *g, void *ctx)
{
	char report[2048];
	int rc;

	(void)ctx;
	rc = access_db_check(g, report, sizeof report, &c->err);
	if (report[0])
		printf("%s\n", report);
	return rc;
}

int cmd_db(struct cli *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return cli_grant(c, ACT_DB_CHECK, NULL, NULL, NULL, do_db_check, NULL);
	return cli_fail(2, "usage: folio db check");
}

static int do_backup(struct cli *c, struct grant *g, void *ctx)
{
	return access_db_backup(g, ctx, &c->err);
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_fail(2, "usage: folio backup FILE");
	rc = cli_grant(c, ACT_DB_BACKUP, NULL, "file", argv[1], do_backup, argv[1]);
	if (rc == 0)
		fprintf(stderr, "folio: backed up to %s\n", argv[1]);
	return rc;
}

struct restore_args {
	const char *file;
	char *pw;
	size_t len;
	struct restore_report r;
};

static int do_restore(struct cli *c, struct grant *g, void *ctx)
{
	struct restore_args *a = ctx;
	return access_db_restore(g, a->file, a->pw, a->len, &a->r, &c->err);
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	struct restore_args a = { NULL, NULL, 0, { 0 } };
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_fail(2, "usage: folio restore BACKUP");
	a.file = argv[1];
	/* The password again, as the sign-in read it: it must open the
	 * admin's keys inside the backup too. */
	a.pw = cli_secret("Password: ", "FOLIO_PASSWORD", c->password_file, 0, &a.len);
	if (!a.pw)
		return 2;
	rc = cli_grant(c, ACT_DB_RESTORE, NULL, "file", a.file, do_restore, &a);
	smem_free(a.pw);
	if (rc == 0)
		fprintf(stderr,
			"folio: restored from %s (schema %d, %" PRId64 " audit rows verified, %ld envelopes"
			" opened as a sample)\nfolio: the replaced database is kept as %s\n",
			a.file, a.r.schema, a.r.audit_rows, a.r.sampled, a.r.kept_as);
	return rc;
}

struct rekey_args {
	const char *cls;
	long batch;
	struct rekey_report r;
};

static int do_rekey(struct cli *c, struct grant *g, void *ctx)
{
	struct rekey_args *a = ctx;
	return access_rekey(g, a->cls, a->batch, &a->r, &c->err);
}

int cmd_rekey(struct cli *c, int argc, char **argv)
{
	struct rekey_args a = { NULL, 0, { 0 } };
	const char *v;
	char *end;
	int rc;

	for (int i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--batch"))) {
			errno = 0;
			a.batch = strtol(v, &end, 10);
			if (errno || *end || end == v || a.batch < 1 || a.batch > 100000)
				return cli_fail(2, "--batch takes a whole number from 1 to 100000");
		} else if (argv[i][0] != '-' && !a.cls) {
			a.cls = argv[i];
		} else {
			return cli_fail(2, "usage: folio rekey CLASS [--batch ROWS]");
		}
	}
	if (!a.cls)
		return cli_fail(2, "usage: folio rekey demographics|clinical|sensitive|audit [--batch ROWS]");
	rc = cli_grant(c, ACT_KEY_ROTATE, NULL, "key", a.cls, do_rekey, &a);
	if (rc == 0)
		fprintf(stderr, "folio: %s key %s to version %u: %ld envelope(s) resealed in %ld batch(es);"
				" older versions retired (kept for what they sealed)\n", a.r.cls, a.r.resumed ? "rotation finished" : "rotated",
			(unsigned)a.r.version, a.r.resealed, a.r.batches);
	return rc;
}
