/* folio — unit tests: keyrings, key wraps under passwords and the recovery
 * key, and the same through the access API (password change, recovery,
 * the key classes a new account is given). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/access.h"
#include "folio/account.h"
#include "folio/crypto.h"
#include "folio/grant.h"
#include "folio/smem.h"
#include "folio/util.h"

#include "unit_fixture.h"

#define ADMIN_PW FIXTURE_ADMIN_PW
#define NEW_PW "staple grapes 4 lunch"
#define CLERK_PW "front desk password 1"
#define TECH_PW "records tech password"
#define PW_LEN(p) (sizeof(p) - 1)

/* ---- keyring --------------------------------------------------------- */

static void test_keyring_basics(void **state)
{
	struct keyring *kr = keyring_new();
	enum key_class c;
	uint32_t v;

	(void)state;
	assert_non_null(kr);
	assert_int_equal(keyring_count(kr), 0);
	assert_int_equal(keyring_classes(kr), 0);
	assert_int_equal(keyring_current(kr, KC_DEMOGRAPHICS), 0);
	assert_int_equal(keyring_entry(kr, 0, &c, &v), -1);

	assert_int_equal(keyring_generate(kr, KC_DEMOGRAPHICS, 1), 0);
	assert_int_equal(keyring_generate(kr, KC_DEMOGRAPHICS, 3), 0);
	assert_int_equal(keyring_generate(kr, KC_CLINICAL, 2), 0);
	assert_int_equal(keyring_count(kr), 3);
	assert_int_equal(keyring_current(kr, KC_DEMOGRAPHICS), 3);
	assert_int_equal(keyring_current(kr, KC_CLINICAL), 2);
	assert_int_equal(keyring_current(kr, KC_SENSITIVE), 0);
	assert_int_equal(keyring_classes(kr), KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_CLINICAL));
	assert_int_equal(keyring_entry(kr, 1, &c, &v), 0);
	assert_int_equal(c, KC_DEMOGRAPHICS);
	assert_int_equal(v, 3);
	assert_int_equal(keyring_entry(kr, 3, &c, &v), -1);

	/* an equal (class, version) replaces, it does not add */
	assert_int_equal(keyring_generate(kr, KC_DEMOGRAPHICS, 1), 0);
	assert_int_equal(keyring_count(kr), 3);
	/* out-of-range class and version 0 are refused */
	assert_int_not_equal(keyring_generate(kr, 0, 1), 0);
	assert_int_not_equal(keyring_generate(kr, KC_LAST + 1, 1), 0);
	assert_int_not_equal(keyring_generate(kr, KC_AUDIT, 0), 0);
	assert_int_equal(keyring_count(kr), 3);

	for (int k = KC_FIRST; k <= KC_LAST; k++)
		assert_int_equal(keyring_generate(kr, (enum key_class)k, 7), 0);
	assert_int_equal(keyring_classes(kr), KC_ALL);
	assert_int_equal(keyring_count(kr), 8);

	keyring_clear(kr);
	assert_int_equal(keyring_count(kr), 0);
	assert_int_equal(keyring_classes(kr), 0);
	assert_int_equal(keyring_current(kr, KC_DEMOGRAPHICS), 0);
	keyring_free(kr);
	keyring_free(NULL);
}

static void test_key_class_names(void **state)
{
	(void)state;
	assert_string_equal(key_class_name(KC_DEMOGRAPHICS), "demographics");
	assert_string_equal(key_class_name(KC_AUDIT), "audit");
	assert_string_equal(key_class_name(0), "?");
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		assert_int_equal(key_class_parse(key_class_name((enum key_class)c)), c);
	assert_int_equal(key_class_parse("secret"), 0);
}

/* ---- wraps ----------------------------------------------------------- */

static struct kek *kek_pw(const char *pw, const struct kdf_params *p)
{
	struct folio_err e = { 0 };
	struct kek *k = NULL;

	assert_int_equal(kek_from_password(pw, strlen(pw), p, &k, &e), FOLIO_OK);
	assert_non_null(k);
	return k;
}

static void test_wrap_roundtrip(void **state)
{
	static const char pt[] = "diagnosis: J45.909";
	static const char ad[] = "user_keys:7:physician:2:1";
	struct keyring *kr = keyring_new(), *back = keyring_new();
	struct kdf_params p;
	struct kek *k, *k2;
	struct folio_err e = { 0 };
	uint8_t wrap[WRAP_BYTES], env[64], out[64];
	size_t n, ptlen = 0;
	enum key_class c;
	uint32_t v;

	(void)state;
	assert_non_null(kr);
	assert_non_null(back);
	assert_int_equal(keyring_generate(kr, KC_CLINICAL, 1), 0);
	assert_int_equal(keyring_generate(kr, KC_DEMOGRAPHICS, 4), 0);
	kdf_params_new(&p, KDF_FAST_TEST);
	assert_int_equal(kdf_params_check(&p, &e), FOLIO_OK);
	k = kek_pw("password one", &p);
	assert_int_equal(key_wrap(k, kr, KC_CLINICAL, 1, ad, wrap, &e), FOLIO_OK);
	assert_int_equal(key_wrap_header(wrap, sizeof wrap, &c, &v), 0);
	assert_int_equal(c, KC_CLINICAL);
	assert_int_equal(v, 1);

	/* the same password and parameters give the same kek */
	k2 = kek_pw("password one", &p);
	assert_int_equal(key_unwrap(k2, back, ad, wrap, sizeof wrap, &e), FOLIO_OK);
	assert_int_equal(keyring_count(back), 1);
	assert_int_equal(keyring_classes(back), KC_BIT(KC_CLINICAL));
	assert_int_equal(keyring_current(back, KC_CLINICAL), 1);

	/* the unwrapped key opens what the original sealed, and back again */
	assert_int_equal(field_seal(kr, KC_CLINICAL, "notes.body:1", pt, strlen(pt), env, sizeof env, &n, &e),
			 FOLIO_OK);
	assert_int_equal(field_open(back, "notes.body:1", env, n, out, sizeof out, &ptlen, &e), FOLIO_OK);
	assert_int_equal(ptlen, strlen(pt));
	assert_memory_equal(out, pt, ptlen);
	assert_int_equal(field_seal(back, KC_CLINICAL, "notes.body:2", pt, strlen(pt), env, sizeof env, &n, &e),
			 FOLIO_OK);
	assert_int_equal(field_open(kr, "notes.body:2", env, n, out, sizeof out, &ptlen, &e), FOLIO_OK);

	/* a wrap of a class the ring lacks */
	assert_int_equal(key_wrap(k, kr, KC_SENSITIVE, 1, ad, wrap, &e), FOLIO_EDENIED);
	/* a non-current version wraps as itself */
	assert_int_equal(key_wrap(k, kr, KC_DEMOGRAPHICS, 4, ad, wrap, &e), FOLIO_OK);
	assert_int_equal(key_wrap_header(wrap, sizeof wrap, &c, &v), 0);
	assert_int_equal(c, KC_DEMOGRAPHICS);
	assert_int_equal(v, 4);
	kek_free(k);
	kek_free(k2);
	keyring_free(kr);
	keyring_free(back);
}

static void test_wrap_wrong_password_and_ad(void **state)
{
	static const char ad[] = "user_keys:3:frontdesk:1:1";
	struct keyring *kr = keyring_new(), *back = keyring_new();
	struct kdf_params p, p2;
	struct kek *k, *wrong, *salted;
	struct folio_err e = { 0 };
	uint8_t wrap[WRAP_BYTES], bad[WRAP_BYTES];

	(void)state;
	assert_non_null(kr);
	assert_non_null(back);
	assert_int_equal(keyring_generate(kr, KC_DEMOGRAPHICS, 1), 0);
	kdf_params_new(&p, KDF_FAST_TEST);
	p2 = p;
	kdf_params_new(&p2, KDF_FAST_TEST); /* same limits, new salt */
	assert_memory_not_equal(p.salt, p2.salt, sizeof p.salt);
	k = kek_pw("the right password", &p);
	wrong = kek_pw("the wrong password", &p);
	salted = kek_pw("the right password", &p2);
	assert_int_equal(key_wrap(k, kr, KC_DEMOGRAPHICS, 1, ad, wrap, &e), FOLIO_OK);

	assert_int_equal(key_unwrap(wrong, back, ad, wrap, sizeof wrap, &e), FOLIO_EDENIED);
	assert_int_equal(key_unwrap(salted, back, ad, wrap, sizeof wrap, &e), FOLIO_EDENIED);
	/* bound to its owner, role, class and version */
	assert_int_equal(key_unwrap(k, back, "user_keys:4:frontdesk:1:1", wrap, sizeof wrap, &e),
			 FOLIO_EDENIED);
	assert_int_equal(key_unwrap(k, back, "user_keys:3:admin:1:1", wrap, sizeof wrap, &e), FOLIO_EDENIED);
	assert_int_equal(key_unwrap(k, back, "", wrap, sizeof wrap, &e), FOLIO_EDENIED);
	/* an altered key byte or tag */
	memcpy(bad, wrap, sizeof bad);
	bad[ENVELOPE_HEADER + 3] ^= 0x10;
	assert_int_equal(key_unwrap(k, back, ad, bad, sizeof bad, &e), FOLIO_EDENIED);
	memcpy(bad, wrap, sizeof bad);
	bad[WRAP_BYTES - 1] ^= 0x01;
	assert_int_equal(key_unwrap(k, back, ad, bad, sizeof bad, &e), FOLIO_EDENIED);
	/* a wrap relabelled as another class fails too (header is in the AD) */
	memcpy(bad, wrap, sizeof bad);
	bad[1] = KC_CLINICAL;
	assert_int_equal(key_unwrap(k, back, ad, bad, sizeof bad, &e), FOLIO_EDENIED);
	/* nothing was added by any failure */
	assert_int_equal(keyring_count(back), 0);
	assert_int_equal(key_unwrap(k, back, ad, wrap, sizeof wrap, &e), FOLIO_OK);
	assert_int_equal(keyring_count(back), 1);
	kek_free(k);
	kek_free(wrong);
	kek_free(salted);
	keyring_free(kr);
	keyring_free(back);
}

static void test_wrap_malformed(void **state)
{
	/* header bytes set to `to`: [0] the format, [1] the class, [2..5] the key version */
	static const struct {
		size_t at, len;
		uint8_t to;
	} edits[] = { { 0, 1, 2 }, { 0, 1, 0 }, { 1, 1, 0 }, { 1, 1, KC_LAST + 1 }, { 2, 4, 0 } };
	static const char ad[] = "user_keys:1:admin:5:1";
	struct keyring *kr = keyring_new(), *back = keyring_new();
	struct kdf_params p;
	struct kek *k;
	struct folio_err e = { 0 };
	uint8_t wrap[WRAP_BYTES], bad[WRAP_BYTES + 1];
	enum key_class c;
	uint32_t v;

	(void)state;
	assert_non_null(kr);
	assert_non_null(back);
	assert_int_equal(keyring_generate(kr, KC_AUDIT, 1), 0);
	kdf_params_new(&p, KDF_FAST_TEST);
	k = kek_pw("some password", &p);
	assert_int_equal(key_wrap(k, kr, KC_AUDIT, 1, ad, wrap, &e), FOLIO_OK);

	/* short, at every length */
	for (size_t len = 0; len < WRAP_BYTES; len++) {
		uint8_t *cut = malloc(len ? len : 1);
		assert_non_null(cut);
		memcpy(cut, wrap, len);
		assert_int_equal(key_unwrap(k, back, ad, cut, len, &e), FOLIO_EFAIL);
		assert_int_equal(key_wrap_header(cut, len, &c, &v), -1);
		free(cut);
	}
	/* long */
	memcpy(bad, wrap, WRAP_BYTES);
	bad[WRAP_BYTES] = 0;
	assert_int_equal(key_unwrap(k, back, ad, bad, sizeof bad, &e), FOLIO_EFAIL);
	/* a wrong version byte; class 0, class 6, key version 0 */
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
		memcpy(bad, wrap, WRAP_BYTES);
		memset(bad + edits[i].at, edits[i].to, edits[i].len);
		assert_int_equal(key_unwrap(k, back, ad, bad, WRAP_BYTES, &e), FOLIO_EFAIL);
	}
	assert_int_equal(key_unwrap(k, back, ad, NULL, 0, &e), FOLIO_EFAIL);
	assert_int_equal(keyring_count(back), 0);
	kek_free(k);
	keyring_free(kr);
	keyring_free(back);
}

static void test_kek_from_recovery(void **state)
{
	static const char ad[] = "recovery_keys:2:1";
	uint8_t rk[RECOVERY_KEY_BYTES], rk2[RECOVERY_KEY_BYTES], wrap[WRAP_BYTES];
	char text[RECOVERY_TEXT_MAX];
	struct keyring *kr = keyring_new(), *back = keyring_new();
	struct kek *k = NULL, *same = NULL, *other = NULL;
	struct folio_err e = { 0 };

	(void)state;
	assert_non_null(kr);
	assert_non_null(back);
	assert_int_equal(keyring_generate(kr, KC_CLINICAL, 1), 0);
	assert_int_equal(recovery_new(rk, text), 0);
	assert_int_equal(recovery_new(rk2, text), 0);
	assert_int_equal(kek_from_recovery(rk, &k, &e), FOLIO_OK);
	assert_int_equal(kek_from_recovery(rk, &same, &e), FOLIO_OK);
	assert_int_equal(kek_from_recovery(rk2, &other, &e), FOLIO_OK);
	assert_int_equal(key_wrap(k, kr, KC_CLINICAL, 1, ad, wrap, &e), FOLIO_OK);
	assert_int_equal(key_unwrap(other, back, ad, wrap, sizeof wrap, &e), FOLIO_EDENIED);
	assert_int_equal(key_unwrap(same, back, ad, wrap, sizeof wrap, &e), FOLIO_OK);
	assert_int_equal(keyring_current(back, KC_CLINICAL), 1);
	kek_free(k);
	kek_free(same);
	kek_free(other);
	keyring_free(kr);
	keyring_free(back);
}

static void test_kdf_params_check(void **state)
{
	static const uint64_t bad_ops[] = { 0, (uint64_t)1 << 40, UINT64_MAX };
	static const uint64_t bad_mem[] = { 0, 1024, (uint64_t)4 << 40 /* 4 TiB */, UINT64_MAX };
	static const int bad_alg[] = { 0, 1 /* Argon2i13: not what folio writes */, -1 };
	struct kdf_params good, p;
	struct folio_err e = { 0 };
	struct kek *k = NULL;

	(void)state;
	kdf_params_new(&good, KDF_FAST_TEST);
	assert_int_equal(kdf_params_check(&good, &e), FOLIO_OK);
	kdf_params_new(&p, KDF_INTERACTIVE);
	assert_int_equal(kdf_params_check(&p, &e), FOLIO_OK);
	assert_true(p.ops >= good.ops && p.mem > good.mem);
	kdf_params_new(&p, KDF_MODERATE);
	assert_int_equal(kdf_params_check(&p, &e), FOLIO_OK);

	for (size_t i = 0; i < ARRAY_SIZE(bad_ops); i++) {
		p = good;
		p.ops = bad_ops[i];
		assert_int_equal(kdf_params_check(&p, &e), FOLIO_EFAIL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_mem); i++) {
		p = good;
		p.mem = bad_mem[i];
		assert_int_equal(kdf_params_check(&p, &e), FOLIO_EFAIL);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad_alg); i++) {
		p = good;
		p.alg = bad_alg[i];
		assert_int_equal(kdf_params_check(&p, &e), FOLIO_EFAIL);
	}
	/* kek_from_password refuses them before hashing */
	p = good;
	p.mem = UINT64_MAX;
	assert_int_equal(kek_from_password("pw", 2, &p, &k, &e), FOLIO_EFAIL);
	assert_null(k);
}

/* ---- through the access API ----------------------------------------- */

/* Seals under the session's keys inside a grant. */
static size_t seal_in_grant(struct session *s, enum key_class c, const char *ad, const char *pt,
			    uint8_t *env, size_t cap)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin(s, ACT_AUDIT_HEAD);
	size_t n = 0;

	assert_int_equal(field_seal(grant_keys(g), c, ad, pt, strlen(pt), env, cap, &n, &e), FOLIO_OK);
	fixture_end(g);
	return n;
}

static int open_in_grant(struct session *s, enum action a, const char *ad, const uint8_t *env, size_t n,
			 char *out, size_t cap)
{
	struct folio_err e = { 0 };
	struct grant *g = fixture_begin(s, a);
	size_t len = 0;
	int rc = field_open(grant_keys(g), ad, env, n, out, cap - 1, &len, &e);

	out[rc == FOLIO_OK ? len : 0] = '\0';
	fixture_end(g);
	return rc;
}

static void test_change_password_rewraps(void **state)
{
	static const char note[] = "pt reports chest pain";
	static const char name[] = "DOE^JANE";
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct session *s = fixture_login(f->st, "admin", ADMIN_PW);
	uint8_t env1[128], env2[128];
	char out[128];
	size_t n1, n2;
	int64_t wraps = fixture_sql_int(f, "SELECT count(*) FROM user_keys");

	assert_int_equal(wraps, KC_LAST);
	n1 = seal_in_grant(s, KC_CLINICAL, "notes.body:1", note, env1, sizeof env1);
	n2 = seal_in_grant(s, KC_DEMOGRAPHICS, "patients.name:1", name, env2, sizeof env2);

	/* refused: wrong current password, same password, too short */
	assert_int_equal(access_change_password(s, "not my password", 15, NEW_PW, PW_LEN(NEW_PW), &e),
			 FOLIO_EDENIED);
	assert_int_equal(access_change_password(s, ADMIN_PW, PW_LEN(ADMIN_PW), ADMIN_PW, PW_LEN(ADMIN_PW), &e),
			 FOLIO_EUSAGE);
	assert_int_equal(access_change_password(s, ADMIN_PW, PW_LEN(ADMIN_PW), "short", 5, &e), FOLIO_EUSAGE);
	/* none of that changed the password */
	assert_int_equal(fixture_login_rc(f->st, "admin", ADMIN_PW, &e), FOLIO_OK);

	assert_int_equal(access_change_password(s, ADMIN_PW, PW_LEN(ADMIN_PW), NEW_PW, PW_LEN(NEW_PW), &e),
			 FOLIO_OK);
	/* the session keeps working on its keys */
	assert_int_equal(open_in_grant(s, ACT_AUDIT_HEAD, "notes.body:1", env1, n1, out, sizeof out), FOLIO_OK);
	access_logout(s);

	assert_int_equal(fixture_login_rc(f->st, "admin", ADMIN_PW, &e), FOLIO_EDENIED);
	s = fixture_login(f->st, "admin", NEW_PW);
	/* same keys, re-wrapped: what was sealed before still opens */
	assert_int_equal(open_in_grant(s, ACT_AUDIT_HEAD, "notes.body:1", env1, n1, out, sizeof out), FOLIO_OK);
	assert_string_equal(out, note);
	assert_int_equal(open_in_grant(s, ACT_AUDIT_HEAD, "patients.name:1", env2, n2, out, sizeof out),
			 FOLIO_OK);
	assert_string_equal(out, name);
	access_logout(s);
	/* one wrap per class, no stale wraps left beside the new ones */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM user_keys"), wraps);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action = 'account.passwd'"
					    " AND outcome = 'ok'"), 1);
}

static void test_recovery_sets_password(void **state)
{
	static const char note[] = "sealed before recovery";
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	struct session *s = fixture_login(f->st, "admin", ADMIN_PW);
	uint8_t env[96];
	char out[96], lower[RECOVERY_TEXT_MAX];
	size_t n = seal_in_grant(s, KC_SENSITIVE, "notes.body:5", note, env, sizeof env);

	access_logout(s);
	/* typed in lower case */
	for (size_t i = 0; i < sizeof lower; i++)
		lower[i] = (char)((f->recovery[i] >= 'A' && f->recovery[i] <= 'Z') ? f->recovery[i] + 32
										    : f->recovery[i]);
	assert_int_equal(access_recover(f->st, lower, "admin", NEW_PW, PW_LEN(NEW_PW), &e), FOLIO_OK);
	assert_int_equal(fixture_login_rc(f->st, "admin", ADMIN_PW, &e), FOLIO_EDENIED);
	s = fixture_login(f->st, "admin", NEW_PW);
	assert_int_equal(open_in_grant(s, ACT_AUDIT_HEAD, "notes.body:5", env, n, out, sizeof out), FOLIO_OK);
	assert_string_equal(out, note);
	access_logout(s);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action = 'account.recover'"), 1);
}

static void test_recovery_wrong_key(void **state)
{
	struct fixture *f = *state;
	struct folio_err e = { 0 };
	uint8_t rk[RECOVERY_KEY_BYTES];
	char other[RECOVERY_TEXT_MAX], typo[RECOVERY_TEXT_MAX];
	int64_t wraps = fixture_sql_int(f, "SELECT count(*) FROM user_keys");
	int64_t rv = fixture_sql_int(f, "SELECT row_version FROM users WHERE name = 'admin'");

	/* a well-formed key of another database */
	assert_int_equal(recovery_new(rk, other), 0);
	assert_int_equal(access_recover(f->st, other, "admin", NEW_PW, PW_LEN(NEW_PW), &e), FOLIO_EDENIED);
	/* a one-character slip */
	strcpy(typo, f->recovery);
	typo[2] = typo[2] == 'Z' ? 'Y' : 'Z';
	assert_int_equal(access_recover(f->st, typo, "admin", NEW_PW, PW_LEN(NEW_PW), &e), FOLIO_EUSAGE);
	/* a group short */
	assert_int_equal(access_recover(f->st, f->recovery + 6, "admin", NEW_PW, PW_LEN(NEW_PW), &e),
			 FOLIO_EUSAGE);
	/* the right key, an unknown user or an unacceptable password */
	assert_int_equal(access_recover(f->st, f->recovery, "nobody", NEW_PW, PW_LEN(NEW_PW), &e),
			 FOLIO_ENOTFOUND);
	assert_int_equal(access_recover(f->st, f->recovery, "admin", "short", 5, &e), FOLIO_EUSAGE);

	/* nothing changed */
	assert_int_equal(fixture_sql_int(f, "SELECT row_version FROM users WHERE name = 'admin'"), rv);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM user_keys"), wraps);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action = 'account.recover'"), 0);
	assert_int_equal(fixture_login_rc(f->st, "admin", NEW_PW, &e), FOLIO_EDENIED);
	assert_int_equal(fixture_login_rc(f->st, "admin", ADMIN_PW, &e), FOLIO_OK);
}

static void test_new_user_key_classes(void **state)
{
	static const char note[] = "clinical note text";
	static const char name[] = "ROE^RICHARD";
	struct fixture *f = *state;
	struct session *admin = fixture_login(f->st, "admin", ADMIN_PW), *s;
	struct grant *g;
	uint8_t clin[96], demo[96];
	char out[96];
	size_t nc, nd;

	fixture_user_add(admin, "clerk", ROLE_FRONTDESK, CLERK_PW);
	fixture_user_add(admin, "tech", ROLE_TECHNICIAN, TECH_PW);
	nc = seal_in_grant(admin, KC_CLINICAL, "notes.body:1", note, clin, sizeof clin);
	nd = seal_in_grant(admin, KC_DEMOGRAPHICS, "patients.name:1", name, demo, sizeof demo);
	access_logout(admin);

	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM user_keys k JOIN users u ON u.id = k.user_id"
					    " WHERE u.name = 'clerk'"), 3);
	s = fixture_login(f->st, "clerk", CLERK_PW);
	g = fixture_begin(s, ACT_PATIENT_FIND);
	assert_int_equal(keyring_classes(grant_keys(g)),
			 KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT));
	assert_int_equal(keyring_classes(grant_keys(g)), role_key_classes(ROLE_FRONTDESK));
	assert_int_equal(keyring_current(grant_keys(g), KC_CLINICAL), 0);
	assert_int_equal(keyring_current(grant_keys(g), KC_SENSITIVE), 0);
	fixture_end(g);
	/* the cryptography keeps the front desk out of notes */
	assert_int_equal(open_in_grant(s, ACT_PATIENT_VIEW, "notes.body:1", clin, nc, out, sizeof out),
			 FOLIO_EDENIED);
	assert_int_equal(open_in_grant(s, ACT_PATIENT_VIEW, "patients.name:1", demo, nd, out, sizeof out),
			 FOLIO_OK);
	assert_string_equal(out, name);
	access_logout(s);

	s = fixture_login(f->st, "tech", TECH_PW);
	g = fixture_begin(s, ACT_CHART_VIEW);
	assert_int_equal(keyring_classes(grant_keys(g)), KC_BIT(KC_DEMOGRAPHICS) | KC_BIT(KC_CLINICAL) |
								 KC_BIT(KC_INDEX) | KC_BIT(KC_AUDIT));
	assert_int_equal(keyring_classes(grant_keys(g)), role_key_classes(ROLE_TECHNICIAN));
	fixture_end(g);
	assert_int_equal(open_in_grant(s, ACT_CHART_VIEW, "notes.body:1", clin, nc, out, sizeof out), FOLIO_OK);
	assert_string_equal(out, note);
	access_logout(s);
}

int main(void)
{
#define T_DB(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_db, fixture_teardown_db)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyring_basics),
		cmocka_unit_test(test_key_class_names),
		cmocka_unit_test(test_wrap_roundtrip),
		cmocka_unit_test(test_wrap_wrong_password_and_ad),
		cmocka_unit_test(test_wrap_malformed),
		cmocka_unit_test(test_kek_from_recovery),
		cmocka_unit_test(test_kdf_params_check),
		T_DB(test_change_password_rewraps),
		T_DB(test_recovery_sets_password),
		T_DB(test_recovery_wrong_key),
		T_DB(test_new_user_key_classes),
	};
#undef T_DB

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
