/* folio — a user's keys in one guarded block, no-access between uses. */
#include "folio/crypto.h"

#include <sodium.h>
#include <string.h>

#include "crypto_internal.h"

#define KEYRING_SLOTS 64

struct keyring {
	size_t n;
	struct {
		uint8_t cls;
		uint32_t version;
	} meta[KEYRING_SLOTS];
	uint8_t *keys; /* KEYRING_SLOTS * KEY_BYTES of sodium_malloc memory */
	int borrowed;
};

static const char *const class_names[] = {
	[KC_DEMOGRAPHICS] = "demographics", [KC_CLINICAL] = "clinical",
	[KC_SENSITIVE] = "sensitive",       [KC_INDEX] = "index",
	[KC_AUDIT] = "audit",
};

const char *key_class_name(enum key_class c)
{
	if (c < KC_FIRST || c > KC_LAST)
		return "?";
	return class_names[c];
}

int key_class_parse(const char *name)
{
	for (int c = KC_FIRST; c <= KC_LAST; c++)
		if (strcmp(name, class_names[c]) == 0)
			return c;
	return 0;
}

struct keyring *keyring_new(void)
{
	struct keyring *kr = sodium_malloc(sizeof *kr);

	if (!kr)
		return NULL;
	memset(kr, 0, sizeof *kr);
	kr->keys = sodium_malloc(KEYRING_SLOTS * KEY_BYTES);
	if (!kr->keys) {
		sodium_free(kr);
		return NULL;
	}
	sodium_memzero(kr->keys, KEYRING_SLOTS * KEY_BYTES);
	sodium_mprotect_noaccess(kr->keys);
	return kr;
}

void keyring_clear(struct keyring *kr)
{
	if (!kr)
		return;
	sodium_mprotect_readwrite(kr->keys);
	sodium_memzero(kr->keys, KEYRING_SLOTS * KEY_BYTES);
	sodium_mprotect_noaccess(kr->keys);
	kr->n = 0;
	kr->borrowed = 0;
}

void keyring_free(struct keyring *kr)
{
	if (!kr)
		return;
	sodium_mprotect_readwrite(kr->keys);
	sodium_free(kr->keys); /* wipes */
	sodium_free(kr);
}

static int slot_find(const struct keyring *kr, enum key_class c, uint32_t version)
{
	int best = -1;

	for (size_t i = 0; i < kr->n; i++) {
		if (kr->meta[i].cls != c)
			continue;
		if (version ? kr->meta[i].version == version
			    : (best < 0 || kr->meta[i].version > kr->meta[best].version))
			best = (int)i;
		if (version && best >= 0)
			break;
	}
	return best;
}

int keyring_put(struct keyring *kr, enum key_class c, uint32_t version, const uint8_t *key)
{
	int i;

	if (c < KC_FIRST || c > KC_LAST || version == 0)
		return -1;
	i = slot_find(kr, c, version);
	if (i < 0) {
		if (kr->n == KEYRING_SLOTS)
			return -1;
		i = (int)kr->n++;
	}
	kr->meta[i].cls = (uint8_t)c;
	kr->meta[i].version = version;
	sodium_mprotect_readwrite(kr->keys);
	memcpy(kr->keys + (size_t)i * KEY_BYTES, key, KEY_BYTES);
	sodium_mprotect_noaccess(kr->keys);
	return 0;
}

int keyring_generate(struct keyring *kr, enum key_class c, uint32_t version)
{
	uint8_t *tmp = sodium_malloc(KEY_BYTES);
	int rc;

	if (!tmp)
		return -1;
	randombytes_buf(tmp, KEY_BYTES);
	rc = keyring_put(kr, c, version, tmp);
	sodium_free(tmp);
	return rc;
}

uint32_t keyring_current(const struct keyring *kr, enum key_class c)
{
	int i = slot_find(kr, c, 0);
	return i < 0 ? 0 : kr->meta[i].version;
}

int keyring_has(const struct keyring *kr, enum key_class c, uint32_t version)
{
	return version != 0 && slot_find(kr, c, version) >= 0;
}

unsigned keyring_classes(const struct keyring *kr)
{
	unsigned m = 0;
	for (size_t i = 0; i < kr->n; i++)
		m |= KC_BIT(kr->meta[i].cls);
	return m;
}

size_t keyring_count(const struct keyring *kr)
{
	return kr->n;
}

int keyring_entry(const struct keyring *kr, size_t i, enum key_class *c, uint32_t *version)
{
	if (i >= kr->n)
		return -1;
	*c = (enum key_class)kr->meta[i].cls;
	*version = kr->meta[i].version;
	return 0;
}

const uint8_t *keyring_borrow(const struct keyring *kr, enum key_class c, uint32_t *version)
{
	int i = slot_find(kr, c, *version);

	if (i < 0)
		return NULL;
	*version = kr->meta[i].version;
	/* Borrows nest (a wrap reads one key while another is out, or a bulk
	 * decrypt pinned the ring): the block goes back to no-access when the
	 * last borrower releases it. */
	keyring_pin(kr);
	return kr->keys + (size_t)i * KEY_BYTES;
}

void keyring_release(const struct keyring *kr)
{
	struct keyring *k = (struct keyring *)kr;
	if (k->borrowed > 0 && --k->borrowed == 0)
		sodium_mprotect_noaccess(k->keys);
}

void keyring_pin(const struct keyring *kr)
{
	struct keyring *k = (struct keyring *)kr;
	if (k->borrowed++ == 0)
		sodium_mprotect_readonly(k->keys);
}

void keyring_unpin(const struct keyring *kr)
{
	keyring_release(kr);
}
