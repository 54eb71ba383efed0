/* folio — unit tests: field envelopes, blind-index tags, the recovery key.
 * (src/crypto/envelope.c, box.c, blind.c, recovery.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "folio/crypto.h"
#include "folio/smem.h"
#include "folio/util.h"

#include "unit_fixture.h"

#define NO_LEN ((size_t)0x5eed)
#define AD1 "patients.name:1"

/* ---- helpers --------------------------------------------------------- */

/* A ring holding version 1 of every class (version 2 of clinical too). */
static struct keyring *ring_full(void)
{
	struct keyring *kr = keyring_new();

	assert_non_null(kr);
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		assert_int_equal(keyring_generate(kr, (enum key_class)c, 1), 0);
	assert_int_equal(keyring_generate(kr, KC_CLINICAL, 2), 0);
	return kr;
}

static struct keyring *ring_with(enum key_class c, uint32_t version)
{
	struct keyring *kr = keyring_new();

	assert_non_null(kr);
	assert_int_equal(keyring_generate(kr, c, version), 0);
	return kr;
}

static int ring_holds(const struct keyring *kr, enum key_class c, uint32_t version)
{
	for (size_t i = 0; i < keyring_count(kr); i++) {
		enum key_class ec;
		uint32_t ev;
		if (keyring_entry(kr, i, &ec, &ev) == 0 && ec == c && ev == version)
			return 1;
	}
	return 0;
}

/* Seals pt into a fresh heap buffer of exactly the envelope's size. */
static uint8_t *seal_new(const struct keyring *kr, enum key_class c, const char *ad, const void *pt,
			 size_t ptlen, size_t *envlen)
{
	struct folio_err e = { 0 };
	uint8_t *env = malloc(ptlen + ENVELOPE_OVERHEAD);

	assert_non_null(env);
	*envlen = NO_LEN;
	assert_int_equal(field_seal(kr, c, ad, pt, ptlen, env, ptlen + ENVELOPE_OVERHEAD, envlen, &e),
			 FOLIO_OK);
	assert_int_equal(*envlen, ptlen + ENVELOPE_OVERHEAD);
	return env;
}

/* Opens env and checks it gives back want. */
static void open_expect(const struct keyring *kr, const char *ad, const uint8_t *env, size_t envlen,
			const void *want, size_t wantlen)
{
	struct folio_err e = { 0 };
	size_t cap = wantlen ? wantlen : 1;
	uint8_t *pt = malloc(cap);
	size_t ptlen = NO_LEN;

	assert_non_null(pt);
	assert_int_equal(field_open(kr, ad, env, envlen, pt, wantlen, &ptlen, &e), FOLIO_OK);
	assert_int_equal(ptlen, wantlen);
	if (wantlen)
		assert_memory_equal(pt, want, wantlen);
	free(pt);
}

/* Tries to open env; returns the status, checks the length was not written
 * and no plaintext reached the buffer. */
static int open_fail(const struct keyring *kr, const char *ad, const uint8_t *env, size_t envlen,
		     const void *secret, size_t secretlen)
{
	struct folio_err e = { 0 };
	uint8_t pt[256];
	size_t ptlen = NO_LEN;
	int rc;

	memset(pt, 0xAA, sizeof pt);
	rc = field_open(kr, ad, env, envlen, pt, sizeof pt, &ptlen, &e);
	assert_int_not_equal(rc, FOLIO_OK);
	assert_int_equal(ptlen, NO_LEN);
	assert_true(e.msg[0] != '\0');
	if (secret && secretlen && secretlen <= sizeof pt)
		assert_true(memcmp(pt, secret, secretlen) != 0);
	return rc;
}

/* ---- envelopes ------------------------------------------------------- */

static void test_seal_open_roundtrip(void **state)
{
	static const char pt[] = "SMITH^JOHN^Q";
	struct keyring *kr = ring_full();
	uint8_t *env;
	size_t n;
	enum key_class c;
	uint32_t v;

	(void)state;
	env = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &n);
	/* the header says what sealed it */
	assert_int_equal(env[0], 1);
	assert_int_equal(field_header(env, n, &c, &v), 0);
	assert_int_equal(c, KC_DEMOGRAPHICS);
	assert_int_equal(v, 1);
	/* the plaintext is not in the envelope */
	assert_false(fixture_bytes_contain(env, n, pt, strlen(pt)));
	open_expect(kr, AD1, env, n, pt, strlen(pt));
	free(env);

	/* the current (highest) version seals */
	env = seal_new(kr, KC_CLINICAL, "notes.body:9", pt, strlen(pt), &n);
	assert_int_equal(field_header(env, n, &c, &v), 0);
	assert_int_equal(c, KC_CLINICAL);
	assert_int_equal(v, 2);
	open_expect(kr, "notes.body:9", env, n, pt, strlen(pt));
	free(env);
	keyring_free(kr);
}

static void test_seal_open_empty(void **state)
{
	struct keyring *kr = ring_full();
	uint8_t *env;
	size_t n;

	(void)state;
	env = seal_new(kr, KC_SENSITIVE, AD1, "", 0, &n);
	assert_int_equal(n, ENVELOPE_OVERHEAD);
	open_expect(kr, AD1, env, n, "", 0);
	/* an empty field still authenticates its place */
	open_fail(kr, "patients.name:2", env, n, NULL, 0);
	free(env);
	keyring_free(kr);
}

static void test_seal_open_100k(void **state)
{
	const size_t len = 100 * 1024;
	struct keyring *kr = ring_full();
	uint8_t *pt = malloc(len);
	uint8_t *env;
	size_t n;

	(void)state;
	assert_non_null(pt);
	for (size_t i = 0; i < len; i++)
		pt[i] = (uint8_t)(i * 131 + (i >> 8));
	env = seal_new(kr, KC_CLINICAL, "documents.body:77", pt, len, &n);
	open_expect(kr, "documents.body:77", env, n, pt, len);
	free(env);
	free(pt);
	keyring_free(kr);
}

/* Every byte of header, nonce, ciphertext and tag, flipped two ways. */
static void test_tamper_every_byte(void **state)
{
	static const char pt[] = "555-12-3456 sensitive";
	struct keyring *kr = ring_full();
	static const uint8_t flips[] = { 0x01, 0x80, 0xFF };
	uint8_t *env;
	size_t n;

	(void)state;
	env = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &n);
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < ARRAY_SIZE(flips); f++) {
			uint8_t *bad = malloc(n);
			enum key_class c;
			uint32_t v;
			int rc, want = FOLIO_EFAIL;

			assert_non_null(bad);
			memcpy(bad, env, n);
			bad[i] ^= flips[f];
			/* A changed header may name a key this ring lacks:
			 * that is reported as "not held", still a failure. */
			if (i < 6 && field_header(bad, n, &c, &v) == 0 && !ring_holds(kr, c, v))
				want = FOLIO_EDENIED;
			rc = open_fail(kr, AD1, bad, n, pt, strlen(pt));
			if (rc != want)
				fail_msg("byte %zu ^ 0x%02x: status %d, wanted %d", i, flips[f], rc, want);
			free(bad);
		}
	}
	/* the untouched envelope still opens */
	open_expect(kr, AD1, env, n, pt, strlen(pt));
	free(env);
	keyring_free(kr);
}

static void test_wrong_associated_data(void **state)
{
	static const char pt[] = "DOE^JANE";
	static const char *const wrong[] = { "patients.name:2", "patients.name:11", "patients.dob:1", "staff.name:1",
					     "" };
	struct keyring *kr = ring_full();
	uint8_t *env;
	size_t n;

	(void)state;
	env = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &n);
	for (size_t i = 0; i < ARRAY_SIZE(wrong); i++)
		assert_int_equal(open_fail(kr, wrong[i], env, n, pt, strlen(pt)), FOLIO_EFAIL);
	open_expect(kr, AD1, env, n, pt, strlen(pt));
	free(env);
	keyring_free(kr);
}

static void test_field_ad(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(field_ad(buf, sizeof buf, "patients", "name", 2), 0);
	assert_string_equal(buf, "patients.name:2");
	assert_int_equal(field_ad(buf, sizeof buf, "a", "b", -5), 0);
	assert_string_equal(buf, "a.b:-5");
	assert_int_equal(field_ad(buf, 8, "patients", "name", 2), -1);
	assert_int_equal(field_ad(buf, sizeof buf, "t", "c", 0), 0);
	assert_string_equal(buf, "t.c:0");
	assert_int_equal(field_ad(buf, sizeof buf, "t", "c", INT64_MAX), 0);
	assert_string_equal(buf, "t.c:9223372036854775807");
	assert_int_equal(field_ad(buf, sizeof buf, "t", "c", INT64_MIN), 0);
	assert_string_equal(buf, "t.c:-9223372036854775808");
	/* exactly filling the buffer, then one byte short */
	assert_int_equal(field_ad(buf, 10, "ab", "cd", 123), 0);
	assert_string_equal(buf, "ab.cd:123");
	assert_int_equal(field_ad(buf, 9, "ab", "cd", 123), -1);
}

static int nonce_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 24);
}

/* Nonces come from a pool (src/crypto/box.c): across several refills no two
 * envelopes share one, and a fork's child does not hand out the parent's
 * next bytes. */
static void test_nonces_unique(void **state)
{
	enum { N = 1000 };
	struct keyring *kr = ring_with(KC_CLINICAL, 1);
	static uint8_t seen[N][24];
	uint8_t child_nonce[24], *env;
	int fd[2], status;
	size_t n;
	pid_t pid;

	(void)state;
	for (int i = 0; i < N; i++) {
		env = seal_new(kr, KC_CLINICAL, "t.c:1", "same", 4, &n);
		memcpy(seen[i], env + 6, 24);
		free(env);
	}
	qsort(seen, N, 24, nonce_cmp);
	for (int i = 1; i < N; i++)
		assert_int_not_equal(memcmp(seen[i - 1], seen[i], 24), 0);
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		env = seal_new(kr, KC_CLINICAL, "t.c:1", "same", 4, &n);
		_exit(write(fd[1], env + 6, 24) == 24 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(read(fd[0], child_nonce, 24), 24);
	env = seal_new(kr, KC_CLINICAL, "t.c:1", "same", 4, &n);
	assert_int_not_equal(memcmp(env + 6, child_nonce, 24), 0);
	free(env);
	close(fd[0]);
	close(fd[1]);
	keyring_free(kr);
}

static void test_wrong_key_same_version(void **state)
{
	static const char pt[] = "history of present illness";
	struct keyring *a = ring_with(KC_CLINICAL, 1);
	struct keyring *b = ring_with(KC_CLINICAL, 1);
	uint8_t *env;
	size_t n;

	(void)state;
	env = seal_new(a, KC_CLINICAL, "notes.body:3", pt, strlen(pt), &n);
	assert_int_equal(open_fail(b, "notes.body:3", env, n, pt, strlen(pt)), FOLIO_EFAIL);
	open_expect(a, "notes.body:3", env, n, pt, strlen(pt));
	free(env);
	keyring_free(a);
	keyring_free(b);
}

static void test_class_not_held(void **state)
{
	static const char pt[] = "psychotherapy note";
	struct keyring *full = ring_full();
	struct keyring *desk = keyring_new();
	struct folio_err e = { 0 };
	uint8_t out[64];
	uint8_t *env;
	size_t n = NO_LEN;

	(void)state;
	assert_non_null(desk);
	assert_int_equal(keyring_generate(desk, KC_DEMOGRAPHICS, 1), 0);
	assert_int_equal(keyring_generate(desk, KC_INDEX, 1), 0);
	/* sealing needs the class */
	assert_int_equal(field_seal(desk, KC_SENSITIVE, AD1, pt, strlen(pt), out, sizeof out, &n, &e),
			 FOLIO_EDENIED);
	assert_int_equal(n, NO_LEN);
	/* opening needs it too */
	env = seal_new(full, KC_SENSITIVE, AD1, pt, strlen(pt), &n);
	assert_int_equal(open_fail(desk, AD1, env, n, pt, strlen(pt)), FOLIO_EDENIED);
	free(env);
	/* and a version the ring does not hold is "not held" as well */
	env = seal_new(full, KC_CLINICAL, AD1, pt, strlen(pt), &n); /* version 2 */
	{
		struct keyring *v1 = ring_with(KC_CLINICAL, 1);
		assert_int_equal(open_fail(v1, AD1, env, n, pt, strlen(pt)), FOLIO_EDENIED);
		keyring_free(v1);
	}
	free(env);
	/* an empty ring holds nothing */
	keyring_clear(full);
	assert_int_equal(field_seal(full, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), out, sizeof out, &n, &e),
			 FOLIO_EDENIED);
	keyring_free(desk);
	keyring_free(full);
}

static void test_truncated(void **state)
{
	static const char pt[] = "0123456789abcdef";
	struct keyring *kr = ring_full();
	uint8_t *env;
	size_t n;

	(void)state;
	env = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &n);
	for (size_t len = 0; len < n; len++) {
		/* an exact-size copy, so a read past the end is caught */
		uint8_t *cut = malloc(len ? len : 1);
		enum key_class c;
		uint32_t v;
		int rc;

		assert_non_null(cut);
		memcpy(cut, env, len);
		if (len < ENVELOPE_OVERHEAD)
			assert_int_equal(field_header(cut, len, &c, &v), -1);
		rc = open_fail(kr, AD1, cut, len, pt, strlen(pt));
		if (rc != FOLIO_EFAIL)
			fail_msg("length %zu of %zu: status %d", len, n, rc);
		free(cut);
	}
	/* a NULL envelope is malformed, not a crash */
	assert_int_equal(open_fail(kr, AD1, NULL, 0, NULL, 0), FOLIO_EFAIL);
	free(env);
	keyring_free(kr);
}

static void test_header_malformed(void **state)
{
	/* header bytes set to `to`: [0] the format, [1] the class, [2..5] the key version */
	static const struct {
		size_t at, len;
		uint8_t to;
	} edits[] = { { 0, 1, 0 }, { 0, 1, 2 }, { 1, 1, 0 }, { 1, 1, KC_LAST + 1 }, { 1, 1, 0xFF }, { 2, 4, 0 } };
	struct keyring *kr = ring_full();
	uint8_t *env;
	uint8_t bad[ENVELOPE_OVERHEAD + 4];
	size_t n;
	enum key_class c = 0;
	uint32_t v = 0;

	(void)state;
	env = seal_new(kr, KC_INDEX, AD1, "abcd", 4, &n);
	assert_int_equal(n, sizeof bad);
	assert_int_equal(field_header(env, n, &c, &v), 0);
	assert_int_equal(c, KC_INDEX);
	assert_int_equal(v, 1);

	/* a wrong format version, class 0 or out of range, key version 0 */
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
		memcpy(bad, env, n);
		memset(bad + edits[i].at, edits[i].to, edits[i].len);
		if (field_header(bad, n, &c, &v) != -1)
			fail_msg("byte %zu = 0x%02x: header accepted", edits[i].at, edits[i].to);
		assert_int_equal(open_fail(kr, AD1, bad, n, NULL, 0), FOLIO_EFAIL);
	}

	/* a big-endian version is read as such */
	memcpy(bad, env, n);
	bad[2] = 0x01;
	bad[5] = 0x02;
	assert_int_equal(field_header(bad, n, &c, &v), 0);
	assert_int_equal(v, 0x01000002u);
	free(env);
	keyring_free(kr);
}

static void test_buffer_too_small(void **state)
{
	static const char pt[] = "twenty bytes of text";
	struct keyring *kr = ring_full();
	struct folio_err e = { 0 };
	const size_t len = strlen(pt);
	uint8_t *env, *small;
	size_t n = NO_LEN, ptlen = NO_LEN;

	(void)state;
	/* seal: one byte short of the envelope */
	small = malloc(len + ENVELOPE_OVERHEAD - 1);
	assert_non_null(small);
	assert_int_equal(field_seal(kr, KC_DEMOGRAPHICS, AD1, pt, len, small, len + ENVELOPE_OVERHEAD - 1,
				    &n, &e),
			 FOLIO_EFAIL);
	assert_int_equal(n, NO_LEN);
	free(small);
	/* open: one byte short of the plaintext (exact heap size: ASan sees
	 * any write past it) */
	env = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, len, &n);
	small = malloc(len - 1);
	assert_non_null(small);
	assert_int_equal(field_open(kr, AD1, env, n, small, len - 1, &ptlen, &e), FOLIO_EFAIL);
	assert_int_equal(ptlen, NO_LEN);
	assert_int_equal(field_open(kr, AD1, env, n, small, 0, &ptlen, &e), FOLIO_EFAIL);
	assert_int_equal(ptlen, NO_LEN);
	free(small);
	free(env);
	keyring_free(kr);
}

static void test_nonce_random(void **state)
{
	static const char pt[] = "same plaintext";
	struct keyring *kr = ring_full();
	uint8_t *a, *b;
	size_t na, nb;

	(void)state;
	a = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &na);
	b = seal_new(kr, KC_DEMOGRAPHICS, AD1, pt, strlen(pt), &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, 6);                      /* same header */
	assert_memory_not_equal(a + 6, b + 6, 24);         /* fresh nonce */
	assert_memory_not_equal(a + ENVELOPE_HEADER, b + ENVELOPE_HEADER, na - ENVELOPE_HEADER);
	open_expect(kr, AD1, a, na, pt, strlen(pt));
	open_expect(kr, AD1, b, nb, pt, strlen(pt));
	free(a);
	free(b);
	keyring_free(kr);
}

/* ---- blind indexes --------------------------------------------------- */

static uint32_t tag_of(const struct keyring *kr, uint64_t id, const char *val, unsigned bits)
{
	struct folio_err e = { 0 };
	uint32_t t = 0xDEADBEEF;

	assert_int_equal(blind_tag(kr, id, val, strlen(val), bits, &t, &e), FOLIO_OK);
	return t;
}

static void test_blind_deterministic(void **state)
{
	struct keyring *kr = ring_full();
	struct keyring *other = ring_full();

	(void)state;
	assert_int_equal(tag_of(kr, 1, "SMITH", 32), tag_of(kr, 1, "SMITH", 32));
	assert_int_equal(tag_of(kr, 7, "OBRIEN", 18), tag_of(kr, 7, "OBRIEN", 18));
	/* different values, different indexes and different keys differ
	 * (32-bit tags: a chance collision is 2^-32) */
	assert_int_not_equal(tag_of(kr, 1, "SMITH", 32), tag_of(kr, 1, "SMYTH", 32));
	assert_int_not_equal(tag_of(kr, 1, "SMITH", 32), tag_of(kr, 2, "SMITH", 32));
	assert_int_not_equal(tag_of(kr, 2, "SMITH", 32), tag_of(kr, 3, "SMITH", 32));
	assert_int_not_equal(tag_of(kr, 1, "SMITH", 32), tag_of(other, 1, "SMITH", 32));
	keyring_free(kr);
	keyring_free(other);
}

static void test_blind_bits(void **state)
{
	struct keyring *kr = ring_full();
	struct folio_err e = { 0 };
	const char *vals[] = { "SMITH", "JONES", "19700101", "4321", "" };
	uint32_t t = 12345;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
		uint32_t full = tag_of(kr, 3, vals[i], 32);
		for (unsigned bits = 1; bits <= 32; bits++) {
			uint32_t tb = tag_of(kr, 3, vals[i], bits);
			if (bits < 32)
				assert_true(tb < (1u << bits));
			/* truncation keeps the leading bits of the full tag */
			assert_int_equal(tb, full >> (32 - bits));
		}
	}
	assert_int_equal(blind_tag(kr, 3, "SMITH", 5, 0, &t, &e), FOLIO_EUSAGE);
	assert_int_equal(t, 12345);
	assert_int_equal(blind_tag(kr, 3, "SMITH", 5, 33, &t, &e), FOLIO_EUSAGE);
	assert_int_equal(t, 12345);
	assert_int_equal(blind_tag(kr, 3, "SMITH", 5, 1000, &t, &e), FOLIO_EUSAGE);
	keyring_free(kr);
}

static void test_blind_needs_index_key(void **state)
{
	struct keyring *kr = keyring_new();
	struct folio_err e = { 0 };
	uint32_t t = 777;

	(void)state;
	assert_non_null(kr);
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		if (c != KC_INDEX)
			assert_int_equal(keyring_generate(kr, (enum key_class)c, 1), 0);
	assert_int_equal(blind_tag(kr, 1, "SMITH", 5, 16, &t, &e), FOLIO_EDENIED);
	assert_int_equal(t, 777);
	/* with it, it works; the newest index key is the one used */
	assert_int_equal(keyring_generate(kr, KC_INDEX, 1), 0);
	{
		uint32_t v1 = tag_of(kr, 1, "SMITH", 32);
		assert_int_equal(keyring_generate(kr, KC_INDEX, 2), 0);
		assert_int_not_equal(tag_of(kr, 1, "SMITH", 32), v1);
	}
	keyring_free(kr);
}

/* ---- recovery key ---------------------------------------------------- */

#define RK_CHARS 55

/* An encoder written here from the format (Crockford base32 of key ||
 * 2-byte BLAKE2b checksum, groups of five), independent of recovery.c. */
static void rk_encode(const uint8_t rk[RECOVERY_KEY_BYTES], char *out)
{
	static const char abc[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t raw[RECOVERY_KEY_BYTES + 2], h[16];
	size_t o = 0;

	memcpy(raw, rk, RECOVERY_KEY_BYTES);
	crypto_generichash(h, sizeof h, rk, RECOVERY_KEY_BYTES, NULL, 0);
	raw[RECOVERY_KEY_BYTES] = h[0];
	raw[RECOVERY_KEY_BYTES + 1] = h[1];
	for (int i = 0; i < RK_CHARS; i++) {
		unsigned v = 0;
		for (int b = 0; b < 5; b++) {
			int bit = i * 5 + b;
			unsigned x = bit < (int)sizeof raw * 8 ? (raw[bit / 8] >> (7 - bit % 8)) & 1 : 0;
			v = (v << 1) | x;
		}
		if (i && i % 5 == 0)
			out[o++] = '-';
		out[o++] = abc[v];
	}
	out[o] = '\0';
}

static void test_recovery_roundtrip(void **state)
{
	uint8_t rk[RECOVERY_KEY_BYTES], back[RECOVERY_KEY_BYTES];
	char text[RECOVERY_TEXT_MAX], mine[RECOVERY_TEXT_MAX];
	struct folio_err e = { 0 };

	(void)state;
	for (int round = 0; round < 20; round++) {
		assert_int_equal(recovery_new(rk, text), 0);
		assert_int_equal(strlen(text), RK_CHARS + 10); /* 11 groups, 10 dashes */
		for (int i = 0; text[i]; i++)
			assert_true(i % 6 == 5 ? text[i] == '-' : strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", text[i]) != NULL);
		rk_encode(rk, mine);
		assert_string_equal(text, mine);
		memset(back, 0, sizeof back);
		assert_int_equal(recovery_parse(text, back, &e), FOLIO_OK);
		assert_memory_equal(back, rk, sizeof rk);
	}
	/* two keys differ */
	assert_int_equal(recovery_new(back, mine), 0);
	assert_memory_not_equal(back, rk, sizeof rk);
}

static void test_recovery_lenient_typing(void **state)
{
	uint8_t rk[RECOVERY_KEY_BYTES], back[RECOVERY_KEY_BYTES];
	char text[RECOVERY_TEXT_MAX], alt[3 * RECOVERY_TEXT_MAX];
	struct folio_err e = { 0 };
	size_t o;

	(void)state;
	assert_int_equal(recovery_new(rk, text), 0);
	/* lower case */
	for (o = 0; text[o]; o++)
		alt[o] = (char)((text[o] >= 'A' && text[o] <= 'Z') ? text[o] - 'A' + 'a' : text[o]);
	alt[o] = '\0';
	memset(back, 0, sizeof back);
	assert_int_equal(recovery_parse(alt, back, &e), FOLIO_OK);
	assert_memory_equal(back, rk, sizeof rk);
	/* no dashes */
	o = 0;
	for (const char *p = text; *p; p++)
		if (*p != '-')
			alt[o++] = *p;
	alt[o] = '\0';
	memset(back, 0, sizeof back);
	assert_int_equal(recovery_parse(alt, back, &e), FOLIO_OK);
	assert_memory_equal(back, rk, sizeof rk);
	/* spaces instead of dashes, extra blanks, a trailing newline */
	o = 0;
	alt[o++] = ' ';
	for (const char *p = text; *p; p++) {
		alt[o++] = *p == '-' ? ' ' : *p;
		if (*p == '-')
			alt[o++] = ' ';
	}
	alt[o++] = '\n';
	alt[o] = '\0';
	memset(back, 0, sizeof back);
	assert_int_equal(recovery_parse(alt, back, &e), FOLIO_OK);
	assert_memory_equal(back, rk, sizeof rk);
}

static void test_recovery_typo(void **state)
{
	static const char abc[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t rk[RECOVERY_KEY_BYTES], back[RECOVERY_KEY_BYTES];
	char text[RECOVERY_TEXT_MAX], bad[RECOVERY_TEXT_MAX];
	struct folio_err e = { 0 };
	int tried = 0;

	(void)state;
	/* A fixed key, so the result is the same on every run: every
	 * one-character slip in the 54 characters that carry only key and
	 * checksum bits, to every other character, is refused. */
	for (int i = 0; i < RECOVERY_KEY_BYTES; i++)
		rk[i] = (uint8_t)(i * 37 + 11);
	rk_encode(rk, text);
	assert_int_equal(recovery_parse(text, back, &e), FOLIO_OK);
	assert_memory_equal(back, rk, sizeof rk);
	for (size_t pos = 0; text[pos + 1]; pos++) { /* all but the last */
		if (text[pos] == '-')
			continue;
		for (const char *c = abc; *c; c++) {
			if (*c == text[pos])
				continue;
			strcpy(bad, text);
			bad[pos] = *c;
			memset(back, 0, sizeof back);
			if (recovery_parse(bad, back, &e) != FOLIO_EUSAGE)
				fail_msg("typo at %zu ('%c' for '%c') accepted", pos, *c, text[pos]);
			assert_non_null(strstr(e.msg, "checksum"));
			tried++;
		}
	}
	assert_int_equal(tried, (RK_CHARS - 1) * 31);
	/* and with a random key, a slip in the first group */
	assert_int_equal(recovery_new(rk, text), 0);
	strcpy(bad, text);
	bad[0] = bad[0] == 'Z' ? 'Y' : 'Z';
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
}

static void test_recovery_wrong_length(void **state)
{
	uint8_t rk[RECOVERY_KEY_BYTES], back[RECOVERY_KEY_BYTES];
	char text[RECOVERY_TEXT_MAX], bad[RECOVERY_TEXT_MAX + 8];
	struct folio_err e = { 0 };
	size_t n;

	(void)state;
	assert_int_equal(recovery_new(rk, text), 0);
	n = strlen(text);
	/* one character short */
	memcpy(bad, text, n - 1);
	bad[n - 1] = '\0';
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
	/* one too many, and a whole group too many */
	snprintf(bad, sizeof bad, "%s0", text);
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
	snprintf(bad, sizeof bad, "%s-00000", text);
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
	/* a group missing */
	assert_int_equal(recovery_parse(text + 6, back, &e), FOLIO_EUSAGE);
	/* nothing, blanks, and characters outside the alphabet */
	assert_int_equal(recovery_parse("", back, &e), FOLIO_EUSAGE);
	assert_int_equal(recovery_parse(" - - ", back, &e), FOLIO_EUSAGE);
	strcpy(bad, text);
	bad[3] = 'U';
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
	strcpy(bad, text);
	bad[3] = '*';
	assert_int_equal(recovery_parse(bad, back, &e), FOLIO_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_open_roundtrip),
		cmocka_unit_test(test_seal_open_empty),
		cmocka_unit_test(test_seal_open_100k),
		cmocka_unit_test(test_tamper_every_byte),
		cmocka_unit_test(test_wrong_associated_data),
		cmocka_unit_test(test_field_ad),
		cmocka_unit_test(test_nonces_unique),
		cmocka_unit_test(test_wrong_key_same_version),
		cmocka_unit_test(test_class_not_held),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_header_malformed),
		cmocka_unit_test(test_buffer_too_small),
		cmocka_unit_test(test_nonce_random),
		cmocka_unit_test(test_blind_deterministic),
		cmocka_unit_test(test_blind_bits),
		cmocka_unit_test(test_blind_needs_index_key),
		cmocka_unit_test(test_recovery_roundtrip),
		cmocka_unit_test(test_recovery_lenient_typing),
		cmocka_unit_test(test_recovery_typo),
		cmocka_unit_test(test_recovery_wrong_length),
	};

	if (smem_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
