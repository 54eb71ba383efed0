/* folio — unit tests: key rotation (issue 9).  Box key pairs and key
 * offers (src/crypto/boxkey.c); the registry of envelope columns against
 * the live schema (every BLOB column is in it or declared not to hold
 * envelopes); and a rotation through the access API: the new version
 * reaches the holders at their next sign-in and the recovery key at the
 * next recovery, and old envelopes keep opening. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "folio/access.h"
#include "folio/crypto.h"
#include "folio/grant.h"
#include "folio/rekey.h"
#include "folio/smem.h"
#include "folio/store.h"

#include "unit_fixture.h"

#define PW FIXTURE_ADMIN_PW
#define TECH_PW "records tech password"

/* ---- box keys and offers ------------------------------------------- */

static void test_offer_roundtrip(void **state)
{
	struct keyring *src = keyring_new(), *dst = keyring_new();
	uint8_t pk[BOX_PUBLIC_BYTES], other_pk[BOX_PUBLIC_BYTES], sealed[KEY_OFFER_BYTES];
	uint8_t env[64 + ENVELOPE_OVERHEAD];
	struct boxkey *bk = NULL, *other = NULL;
	struct folio_err e;
	char out[64];
	size_t n, m;

	(void)state;
	assert_int_equal(keyring_generate(src, KC_CLINICAL, 1), 0);
	assert_int_equal(keyring_generate(src, KC_CLINICAL, 2), 0);
	assert_int_equal(boxkey_new(pk, &bk, &e), FOLIO_OK);
	assert_int_equal(boxkey_new(other_pk, &other, &e), FOLIO_OK);
	assert_memory_not_equal(pk, other_pk, sizeof pk);
	assert_int_equal(key_offer_seal(pk, src, KC_CLINICAL, 2, sealed, &e), FOLIO_OK);
	/* a version the ring does not hold cannot be offered */
	assert_int_equal(key_offer_seal(pk, src, KC_CLINICAL, 3, sealed + 0, &e), FOLIO_EDENIED);
	assert_int_equal(key_offer_seal(pk, src, KC_CLINICAL, 2, sealed, &e), FOLIO_OK);
	/* another pair cannot open it; filed under another version it is refused */
	assert_int_equal(key_offer_open(other, other_pk, dst, KC_CLINICAL, 2, sealed, sizeof sealed, &e),
			 FOLIO_EDENIED);
	assert_int_equal(key_offer_open(bk, pk, dst, KC_CLINICAL, 3, sealed, sizeof sealed, &e), FOLIO_EFAIL);
	assert_int_equal(key_offer_open(bk, pk, dst, KC_DEMOGRAPHICS, 2, sealed, sizeof sealed, &e), FOLIO_EFAIL);
	assert_int_equal(key_offer_open(bk, pk, dst, KC_CLINICAL, 2, sealed, sizeof sealed - 1, &e), FOLIO_EFAIL);
	sealed[60] ^= 1;
	assert_int_equal(key_offer_open(bk, pk, dst, KC_CLINICAL, 2, sealed, sizeof sealed, &e), FOLIO_EDENIED);
	sealed[60] ^= 1;
	assert_int_equal(keyring_count(dst), 0);
	/* the recipient must hold version 1 to check who made the offer */
	assert_int_equal(key_offer_open(bk, pk, dst, KC_CLINICAL, 2, sealed, sizeof sealed, &e), FOLIO_EFAIL);
	assert_int_equal(keyring_count(dst), 0);
	{
		/* an offer planted by someone holding another version 1: refused */
		struct keyring *forger = keyring_new(), *holder = keyring_new();
		uint8_t planted[KEY_OFFER_BYTES];
		assert_int_equal(keyring_generate(forger, KC_CLINICAL, 1), 0);
		assert_int_equal(keyring_generate(forger, KC_CLINICAL, 2), 0);
		assert_int_equal(key_offer_seal(pk, forger, KC_CLINICAL, 2, planted, &e), FOLIO_OK);
		assert_int_equal(keyring_generate(holder, KC_CLINICAL, 1), 0);
		assert_int_equal(key_offer_open(bk, pk, holder, KC_CLINICAL, 2, planted, sizeof planted, &e),
				 FOLIO_EFAIL);
		assert_non_null(strstr(e.msg, "not made by a holder"));
		assert_int_equal(keyring_current(holder, KC_CLINICAL), 1);
		keyring_free(forger);
		keyring_free(holder);
	}
	/* a first version is never offered: nothing before it vouches for it */
	{
		uint8_t v1[KEY_OFFER_BYTES];
		assert_int_equal(key_offer_seal(pk, src, KC_CLINICAL, 1, v1, &e), FOLIO_EDENIED);
	}
	{
		/* the recipient gets the sender's version 1 through an honest wrap */
		struct kdf_params p;
		struct kek *k = NULL;
		uint8_t w[WRAP_BYTES];
		kdf_params_new(&p, KDF_FAST_TEST);
		assert_int_equal(kek_from_password("transfer pw 1", 13, &p, &k, &e), FOLIO_OK);
		assert_int_equal(key_wrap(k, src, KC_CLINICAL, 1, "t", w, &e), FOLIO_OK);
		assert_int_equal(key_unwrap(k, dst, "t", w, sizeof w, &e), FOLIO_OK);
		kek_free(k);
	}
	assert_int_equal(key_offer_open(bk, pk, dst, KC_CLINICAL, 2, sealed, sizeof sealed, &e), FOLIO_OK);
	assert_int_equal(keyring_current(dst, KC_CLINICAL), 2);
	/* the key that arrived is the key that was sent */
	assert_int_equal(field_seal(src, KC_CLINICAL, "t.c:1", "hello", 5, env, sizeof env, &n, &e), FOLIO_OK);
	assert_int_equal(field_open(dst, "t.c:1", env, n, out, sizeof out, &m, &e), FOLIO_OK);
	assert_int_equal(m, 5);
	assert_memory_equal(out, "hello", 5);
	boxkey_free(bk);
	boxkey_free(other);
	keyring_free(src);
	keyring_free(dst);
}

static void test_boxkey_wrap_and_recovery_pair(void **state)
{
	uint8_t rk[RECOVERY_KEY_BYTES], rk2[RECOVERY_KEY_BYTES], pk1[BOX_PUBLIC_BYTES], pk2[BOX_PUBLIC_BYTES];
	uint8_t pk3[BOX_PUBLIC_BYTES], derived[BOX_PUBLIC_BYTES], wrap[BOXKEY_WRAP_BYTES];
	char text[RECOVERY_TEXT_MAX];
	struct boxkey *a = NULL, *b = NULL, *c = NULL, *opened = NULL;
	struct kdf_params p;
	struct kek *k = NULL, *wrong = NULL;
	struct folio_err e;

	(void)state;
	recovery_new(rk, text);
	recovery_new(rk2, text);
	/* the recovery pair is a function of the recovery key alone */
	assert_int_equal(boxkey_from_recovery(rk, pk1, &a, &e), FOLIO_OK);
	assert_int_equal(boxkey_from_recovery(rk, pk2, &b, &e), FOLIO_OK);
	assert_int_equal(boxkey_from_recovery(rk2, pk3, &c, &e), FOLIO_OK);
	assert_memory_equal(pk1, pk2, sizeof pk1);
	assert_memory_not_equal(pk1, pk3, sizeof pk1);
	assert_int_equal(boxkey_public(a, derived), 0);
	assert_memory_equal(derived, pk1, sizeof pk1);
	/* the secret half wrapped under a password key */
	kdf_params_new(&p, KDF_FAST_TEST);
	assert_int_equal(kek_from_password("a password 1", 12, &p, &k, &e), FOLIO_OK);
	assert_int_equal(kek_from_password("a password 2", 12, &p, &wrong, &e), FOLIO_OK);
	assert_int_equal(boxkey_wrap(k, a, "users.box:1", wrap, &e), FOLIO_OK);
	assert_int_equal(boxkey_unwrap(wrong, "users.box:1", wrap, sizeof wrap, &opened, &e), FOLIO_EDENIED);
	assert_int_equal(boxkey_unwrap(k, "users.box:2", wrap, sizeof wrap, &opened, &e), FOLIO_EDENIED);
	assert_int_equal(boxkey_unwrap(k, "users.box:1", wrap, sizeof wrap - 1, &opened, &e), FOLIO_EFAIL);
	assert_int_equal(boxkey_unwrap(k, "users.box:1", wrap, sizeof wrap, &opened, &e), FOLIO_OK);
	assert_int_equal(boxkey_public(opened, derived), 0);
	assert_memory_equal(derived, pk1, sizeof pk1);
	boxkey_free(a);
	boxkey_free(b);
	boxkey_free(c);
	boxkey_free(opened);
	kek_free(k);
	kek_free(wrong);
}

/* ---- the registry against the schema --------------------------------- */

static int exempt(const char *table, const char *column)
{
	char name[160];

	snprintf(name, sizeof name, "%s.%s", table, column);
	for (size_t i = 0; i < envelope_exempt_count; i++)
		if (strcmp(envelope_exempt[i], name) == 0)
			return 1;
	return 0;
}

static void test_registry_covers_schema(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	sqlite3_stmt *s;
	char missing[2048] = "";
	int n = 0, blobs = 0;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p"
						" WHERE m.type = 'table' AND upper(p.type) = 'BLOB' ORDER BY 1, 2",
					    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0), *c = (const char *)sqlite3_column_text(s, 1);
		blobs++;
		if (envelope_column_find(t, c) || exempt(t, c))
			continue;
		n++;
		snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s.%s", t, c);
	}
	sqlite3_finalize(s);
	if (n)
		fail_msg("BLOB columns neither in the envelope registry nor exempt (src/access/rekey.c):%s", missing);
	assert_true(blobs > 20);
	/* and everything the registry names exists, with SQL that prepares */
	for (size_t i = 0; i < envelope_column_count; i++) {
		const struct envelope_column *ec = &envelope_columns[i];
		char sql[512];
		snprintf(sql, sizeof sql, "SELECT %s, %s, %s, %s FROM %s LIMIT 0", ec->ad_id, ec->k1, ec->k2,
			 ec->column, ec->table);
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			fail_msg("registry entry %s.%s: %s", ec->table, ec->column, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		assert_false(exempt(ec->table, ec->column));
	}
	sqlite3_close(db);
}

/* ---- a rotation through the access API ------------------------------- */

static int rekey(struct session *s, const char *cls, struct rekey_report *r, struct folio_err *e)
{
	struct grant *g;
	int rc;

	if ((rc = access_begin(s, ACT_KEY_ROTATE, NULL, "key", cls, &g, e)))
		return rc;
	rc = access_rekey(g, cls, 2, r, e);
	return access_end(g, rc, e);
}

static void test_rotation_reaches_holders(void **state)
{
	struct fixture *f = *state;
	struct rekey_report r;
	struct session *s;
	struct folio_err e;

	fixture_user_add(f->admin, "tech", ROLE_TECHNICIAN, TECH_PW);
	fixture_user_add(f->admin, "desk", ROLE_FRONTDESK, TECH_PW);
	assert_int_equal(rekey(f->admin, "index", &r, &e), FOLIO_EUSAGE);
	assert_int_equal(rekey(f->admin, "nonsense", &r, &e), FOLIO_EUSAGE);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_versions WHERE class = 2"), 1);
	assert_int_equal(rekey(f->admin, "clinical", &r, &e), FOLIO_OK);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.resumed, 0);
	assert_true(r.retired);
	/* sealed to the recovery key, the admin and the technician; the front
	 * desk does not hold clinical and gets nothing */
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers WHERE class = 2 AND version = 2"), 3);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient"
					    " WHERE u.name = 'desk'"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT retired_at IS NOT NULL FROM key_versions WHERE class = 2"
					    " AND version = 1"), 1);
	/* the technician's next sign-in takes the key */
	s = fixture_login(f->st, "tech", TECH_PW);
	access_logout(s);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient"
					    " WHERE u.name = 'tech'"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM user_keys k JOIN users u ON u.id = k.user_id"
					    " WHERE u.name = 'tech' AND k.class = 2 AND k.version = 2"), 1);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers WHERE recipient = 0"), 1);
	/* the recovery key takes its offer at the next recovery */
	assert_int_equal(access_recover(f->st, f->recovery, "tech", "tech after recovery", 19, &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers WHERE recipient = 0"), 0);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM recovery_keys WHERE class = 2 AND version = 2"), 1);
	/* a second run with nothing unfinished makes version 3; a session
	 * whose screen was locked meanwhile takes it when it unlocks */
	s = fixture_login(f->st, "tech", "tech after recovery");
	assert_int_equal(access_lock(s, "idle", &e), FOLIO_OK);
	assert_int_equal(rekey(f->admin, "clinical", &r, &e), FOLIO_OK);
	assert_int_equal(r.version, 3);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient"
					    " WHERE u.name = 'tech'"), 1);
	assert_int_equal(access_unlock(s, "tech after recovery", 19, &e), FOLIO_OK);
	assert_int_equal(fixture_sql_int(f, "SELECT count(*) FROM key_offers o JOIN users u ON u.id = o.recipient"
					    " WHERE u.name = 'tech'"), 0);
	access_logout(s);
	/* a user with no box key yet (a database from before rotation) blocks
	 * the start, by name */
	fixture_sql(f, "UPDATE users SET box_public = NULL WHERE name = 'tech'");
	assert_int_equal(rekey(f->admin, "audit", &r, &e), FOLIO_EUSAGE);
	assert_non_null(strstr(e.msg, "tech"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer_roundtrip),
		cmocka_unit_test(test_boxkey_wrap_and_recovery_pair),
		cmocka_unit_test_setup_teardown(test_registry_covers_schema, fixture_setup_db, fixture_teardown_db),
		cmocka_unit_test_setup_teardown(test_rotation_reaches_holders, fixture_setup_admin,
						fixture_teardown_db),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
