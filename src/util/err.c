/* folio — error slots and small string helpers. */
#include "folio/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct folio_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

void err_clear(struct folio_err *e)
{
	if (e) {
		e->code = FOLIO_OK;
		e->msg[0] = '\0';
	}
}

int err_exit_code(int status)
{
	switch (status) {
	case FOLIO_OK:
	case FOLIO_EFAIL:
	case FOLIO_EUSAGE:
	case FOLIO_EDENIED:
	case FOLIO_ENOTFOUND:
		return status;
	default:
		return FOLIO_EFAIL;
	}
}

void str_digits(char *out, unsigned v, size_t width)
{
	while (width--) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t str_u64(char *out, uint64_t v)
{
	char d[20];
	size_t k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (size_t i = 0; i < k; i++)
		out[i] = d[k - 1 - i];
	out[k] = '\0';
	return k;
}

int str_copy(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (cap == 0)
		return -1;
	n = strlen(src);
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

long utf8_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	long count = 0;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		uint32_t cp;

		if (c < 0x80) {
			need = 0;
			cp = c;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		if (need > 0 && i + need >= len)
			return -1;
		for (size_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* overlong forms, surrogates and out-of-range values are not UTF-8 */
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += need + 1;
		count++;
	}
	return count;
}
