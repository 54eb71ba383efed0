/* folio — unit test: no key, password or recovery key in the database file.
 *
 * After init, users, a password change and a recovery, every class key each
 * user holds (read from the session's keyring), every password used and the
 * recovery key (text and raw bytes) are searched for in the file's bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/crypto/crypto_internal.h"
#include "folio/access.h"
#include "folio/account.h"
#include "folio/grant.h"
#include "folio/smem.h"

#include "unit_fixture.h"

#define ADMIN_PW "leak-marker-admin-7431"
#define CLERK_PW "leak-marker-clerk-9921"
#define NEW_PW "leak-marker-newpw-5510"
#define RECOVERED_PW "leak-marker-recov-3307"

static unsigned char *file_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* Copies every key of the session's ring into out (count returned). */
static size_t keys_of(struct session *s, uint8_t out[][KEY_BYTES], size_t max)
{
	struct folio_err e = { 0 };
	struct grant *g;
	const struct keyring *kr;
	size_t n = 0;

	assert_int_equal(access_begin(s, ACT_PASSWD_SELF, NULL, NULL, NULL, &g, &e), FOLIO_OK);
	kr = grant_keys(g);
	for (size_t i = 0; i < keyring_count(kr) && n < max; i++) {
		enum key_class c;
		uint32_t v;
		const uint8_t *k;

		assert_int_equal(keyring_entry(kr, i, &c, &v), 0);
		k = keyring_borrow(kr, c, &v);
		assert_non_null(k);
		memcpy(out[n++], k, KEY_BYTES);
		keyring_release(kr);
	}
	assert_int_equal(access_end(g, FOLIO_OK, &e), FOLIO_OK);
	return n;
}

static void test_no_secret_in_file(void **state)
{
	uint8_t keys[32][KEY_BYTES], rk[RECOVERY_KEY_BYTES];
	struct folio_err e = { 0 };
	struct fixture *f = fixture_new_db(ADMIN_PW);
	struct session *s;
	unsigned char *file;
	size_t nkeys, n = 0;
	static const char *const passwords[] = { ADMIN_PW, CLERK_PW, NEW_PW, RECOVERED_PW };

	(void)state;
	assert_non_null(f); /* made and opened */
	s = fixture_login(f->st, "admin", ADMIN_PW);
	nkeys = keys_of(s, keys, 32);
	assert_int_equal(nkeys, 5);
	fixture_user_add(s, "clerk", ROLE_FRONTDESK, CLERK_PW);
	assert_int_equal(access_change_password(s, ADMIN_PW, strlen(ADMIN_PW), NEW_PW, strlen(NEW_PW), &e),
			 FOLIO_OK);
	access_logout(s);
	assert_int_equal(access_recover(f->st, f->recovery, "admin", RECOVERED_PW, strlen(RECOVERED_PW), &e),
			 FOLIO_OK);
	access_close(f->st);
	f->st = NULL;
	assert_int_equal(recovery_parse(f->recovery, rk, &e), FOLIO_OK);

	file = file_read(f->path, &n);
	assert_non_null(file);
	assert_true(n > 4096);
	for (size_t i = 0; i < nkeys; i++)
		assert_false(fixture_bytes_contain(file, n, keys[i], KEY_BYTES));
	for (size_t i = 0; i < ARRAY_SIZE(passwords); i++)
		assert_false(fixture_bytes_contain(file, n, passwords[i], strlen(passwords[i])));
	assert_false(fixture_bytes_contain(file, n, f->recovery, strlen(f->recovery)));
	assert_false(fixture_bytes_contain(file, n, rk, sizeof rk));
	/* the test can fail: the user names, which are not secret, are found */
	assert_true(fixture_bytes_contain(file, n, "clerk", 5));
	free(file);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_secret_in_file),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
