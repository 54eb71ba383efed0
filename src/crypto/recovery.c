/* folio — the printed recovery key: 32 random bytes and a 2-byte checksum in
 * Crockford base32, groups of five, so a typing slip is caught before any
 * unwrap is tried. */
#include "folio/crypto.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#define RK_RAW (RECOVERY_KEY_BYTES + 2)
#define RK_CHARS ((RK_RAW * 8 + 4) / 5) /* 55 */

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void check2(const uint8_t rk[RECOVERY_KEY_BYTES], uint8_t out[2])
{
	uint8_t h[crypto_generichash_BYTES_MIN];
	crypto_generichash(h, sizeof h, rk, RECOVERY_KEY_BYTES, NULL, 0);
	out[0] = h[0];
	out[1] = h[1];
}

int recovery_new(uint8_t rk[RECOVERY_KEY_BYTES], char text[RECOVERY_TEXT_MAX])
{
	uint8_t raw[RK_RAW];
	size_t o = 0;
	unsigned bits = 0, acc = 0;
	int chars = 0;

	randombytes_buf(rk, RECOVERY_KEY_BYTES);
	memcpy(raw, rk, RECOVERY_KEY_BYTES);
	check2(rk, raw + RECOVERY_KEY_BYTES);
	for (size_t i = 0; i < RK_RAW; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			if (chars && chars % 5 == 0)
				text[o++] = '-';
			text[o++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
			chars++;
		}
	}
	if (bits) {
		if (chars % 5 == 0)
			text[o++] = '-';
		text[o++] = alphabet[(acc << (5 - bits)) & 31];
	}
	text[o] = '\0';
	sodium_memzero(raw, sizeof raw);
	return 0;
}

static int decode_char(int ch)
{
	ch = toupper(ch);
	/* Crockford: O reads as 0, I and L as 1 */
	if (ch == 'O')
		ch = '0';
	if (ch == 'I' || ch == 'L')
		ch = '1';
	const char *p = strchr(alphabet, ch);
	return (p && ch) ? (int)(p - alphabet) : -1;
}

int recovery_parse(const char *text, uint8_t rk[RECOVERY_KEY_BYTES], struct folio_err *e)
{
	uint8_t raw[RK_RAW + 1];
	uint8_t want[2];
	size_t o = 0;
	unsigned bits = 0, acc = 0;
	int chars = 0;

	for (const char *p = text; *p; p++) {
		int v;
		if (*p == '-' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		v = decode_char((unsigned char)*p);
		if (v < 0 || chars >= RK_CHARS) {
			sodium_memzero(raw, sizeof raw);
			return err_set(e, FOLIO_EUSAGE, "not a recovery key (unexpected character or length)");
		}
		chars++;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			raw[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= 0xFF;
	}
	/* The last character carries padding bits that must be zero, so each
	 * key has exactly one printed form. */
	if (chars != RK_CHARS || o != RK_RAW || (acc & ((1u << bits) - 1)) != 0) {
		sodium_memzero(raw, sizeof raw);
		return err_set(e, FOLIO_EUSAGE, "not a recovery key (it has %d characters, wanted %d)",
			       chars, RK_CHARS);
	}
	check2(raw, want);
	if (sodium_memcmp(want, raw + RECOVERY_KEY_BYTES, 2) != 0) {
		sodium_memzero(raw, sizeof raw);
		return err_set(e, FOLIO_EUSAGE, "recovery key mistyped (checksum does not match)");
	}
	memcpy(rk, raw, RECOVERY_KEY_BYTES);
	sodium_memzero(raw, sizeof raw);
	return FOLIO_OK;
}
