/* Writes the seed corpora in tests/fuzz/corpus/ from folio's own API, so the
 * seeds are real envelopes, wraps and recovery keys rather than guesses.
 * Not built by make (FUZZ_SRC takes fuzz_*.c only); rerun by hand:
 *
 *   make && cc -std=c11 -D_DEFAULT_SOURCE -Iinclude -o build/corpus_gen \
 *	tests/fuzz/corpus_gen.c build/libfolio.a $(pkg-config --libs ncursesw sqlite3 libsodium)
 *   build/corpus_gen tests/fuzz/corpus
 *
 * Envelopes and wraps carry random nonces (and the envelopes random keys),
 * so every run writes different bytes of the same shapes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/crypto.h"
#include "folio/smem.h"

/* Must match fixed_rk in fuzz_keywrap.c: the seeds unwrap under it. */
static const char fixed_rk[] = "folio fuzz recovery key 00000001";

static const char *root;

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void puts_file(const char *dir, const char *name, const char *s)
{
	put(dir, name, s, strlen(s));
}

static void envelopes(void)
{
	static const char note[] = "Chief complaint: chest pain on exertion, 2 days. "
				   "Plan: ECG, troponin, review in clinic.";
	struct keyring *kr = keyring_new();
	struct folio_err e;
	uint8_t env[256];
	size_t n;

	if (!kr)
		exit(1);
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		if (keyring_generate(kr, (enum key_class)c, 1) != 0)
			exit(1);
	if (field_seal(kr, KC_DEMOGRAPHICS, "patients.name:1", "Ada Lovelace", 12, env, sizeof env,
		       &n, &e) != FOLIO_OK)
		exit(1);
	put("envelope", "name", env, n);
	put("envelope", "truncated", env, ENVELOPE_OVERHEAD - 1);
	env[0] = 2; /* a future format version */
	put("envelope", "version2", env, n);
	if (field_seal(kr, KC_CLINICAL, "notes.body:1", note, sizeof note - 1, env, sizeof env, &n,
		       &e) != FOLIO_OK)
		exit(1);
	put("envelope", "note", env, n);
	if (field_seal(kr, KC_SENSITIVE, "patients.name:1", "", 0, env, sizeof env, &n, &e) != FOLIO_OK)
		exit(1);
	put("envelope", "empty", env, n);
	keyring_free(kr);
}

static void wraps(void)
{
	struct keyring *kr = keyring_new();
	struct kek *k;
	struct folio_err e;
	uint8_t wrap[WRAP_BYTES];
	char ad[64], name[32];

	if (!kr || kek_from_recovery((const uint8_t *)fixed_rk, &k, &e) != FOLIO_OK)
		exit(1);
	for (int c = KC_FIRST; c <= KC_LAST; c++) {
		uint32_t v = c == KC_AUDIT ? 7 : 1; /* one rotated class */
		if (keyring_generate(kr, (enum key_class)c, v) != 0)
			exit(1);
		snprintf(ad, sizeof ad, "recovery_keys:%d:%u", c, (unsigned)v);
		if (key_wrap(k, kr, (enum key_class)c, v, ad, wrap, &e) != FOLIO_OK)
			exit(1);
		snprintf(name, sizeof name, "%s", key_class_name((enum key_class)c));
		put("keywrap", name, wrap, sizeof wrap);
	}
	put("keywrap", "short", wrap, sizeof wrap - 1);
	kek_free(k);
	keyring_free(kr);
}

static void recovery(void)
{
	uint8_t rk[RECOVERY_KEY_BYTES];
	char text[RECOVERY_TEXT_MAX], alt[RECOVERY_TEXT_MAX];
	size_t o = 0;

	if (recovery_new(rk, text) != 0)
		exit(1);
	puts_file("recovery", "printed", text);
	/* As people type it: lower case, spaces for dashes, O for 0, L for 1. */
	for (const char *p = text; *p && o + 1 < sizeof alt; p++) {
		char ch = *p == '-' ? ' ' : *p == '0' ? 'o' : *p == '1' ? 'l' : *p;
		alt[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	alt[o] = '\0';
	puts_file("recovery", "typed", alt);
	strcpy(alt, text);
	alt[0] = alt[0] == 'Z' ? 'Y' : 'Z'; /* one slip: the checksum must catch it */
	puts_file("recovery", "slip", alt);
	text[20] = '\0';
	puts_file("recovery", "short", text);
}

static void utf8(void)
{
	puts_file("utf8", "ascii", "correct horse battery");
	puts_file("utf8", "latin", "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m");
	puts_file("utf8", "cjk", "\xe7\x97\x85\xe6\xad\xb4");
	puts_file("utf8", "emoji", "pw \xf0\x9f\x94\x91 \xf4\x8f\xbf\xbf");
	put("utf8", "overlong", "\xc0\x80\xe0\x80\xaf", 5);
	put("utf8", "surrogate", "\xed\xa0\x80", 3);
	put("utf8", "toohigh", "\xf4\x90\x80\x80", 4);
	put("utf8", "truncated", "ab\xe2\x82", 4);
	put("utf8", "nul", "a\0b", 3);
}

int main(int argc, char **argv)
{
	if (argc != 2 || smem_init() != 0) {
		fprintf(stderr, "usage: corpus_gen DIR (with DIR/{envelope,keywrap,recovery,utf8})\n");
		return 2;
	}
	root = argv[1];
	envelopes();
	wraps();
	recovery();
	utf8();
	return 0;
}
