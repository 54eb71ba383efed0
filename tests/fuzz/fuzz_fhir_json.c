/* libFuzzer target: the JSON writer of the FHIR export
 * (src/interop/fhir_json.c).  The input drives the writer: its first byte
 * of each step picks an operation (open an object or array, close, a
 * string, a key and a string, base64, a number given as text), the bytes
 * up to the next 0xFF are the string, key or number.  Whatever arbitrary
 * bytes come in, a writer that has not failed must give text that
 * json_check() accepts as one well-formed JSON value in UTF-8, and the
 * writer must refuse a number that is not one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folio/fhir.h"
#include "folio/smem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next field: bytes up to 0xFF (or the end), NUL-terminated in buf. */
static size_t field(const uint8_t *data, size_t size, size_t *at, char *buf, size_t cap)
{
	size_t n = 0;

	while (*at < size && data[*at] != 0xFF) {
		if (n + 1 < cap)
			buf[n++] = (char)data[*at];
		(*at)++;
	}
	if (*at < size)
		(*at)++;
	buf[n] = '\0';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char key[256], val[1024];
	unsigned char array[JSON_DEPTH_MAX + 1];
	int depth = 0, misuse = 0, top = 0;
	struct json_out *j;
	size_t at = 0, len;

	if (!ready) {
		if (smem_init() != 0)
			abort();
		ready = 1;
	}
	if (!(j = json_new()))
		return 0;
	json_object(j, NULL);
	array[depth++] = 0;
	top = 1;
	while (at < size && !misuse) {
		uint8_t op = data[at++] % 7;
		int in_array = depth > 0 && array[depth - 1];
		const char *k = in_array ? NULL : key;
		size_t n = 0;

		key[0] = '\0';
		if (!in_array && op != 2)
			field(data, size, &at, key, sizeof key);
		switch (op) {
		case 0:
		case 1:
			if (depth > JSON_DEPTH_MAX - 1 || (depth == 0 && top)) {
				misuse = 1;
				break;
			}
			(op ? json_array : json_object)(j, depth ? k : NULL);
			array[depth++] = (unsigned char)op;
			top = 1;
			break;
		case 2:
			if (depth == 0) {
				misuse = 1;
				break;
			}
			json_end(j);
			depth--;
			break;
		case 3:
		case 4:
			if (depth == 0) {
				misuse = 1;
				break;
			}
			n = field(data, size, &at, val, sizeof val);
			if (op == 3)
				json_string_n(j, k, val, n);
			else
				json_base64(j, k, val, n);
			break;
		default:
			if (depth == 0) {
				misuse = 1;
				break;
			}
			field(data, size, &at, val, sizeof val);
			json_number(j, k, val);
			if (!json_number_ok(val)) {
				if (!json_failed(j))
					abort(); /* text that is not a number got in */
				misuse = 1;
			}
			break;
		}
	}
	if (misuse) {
		/* the writer had to see the misuse only when one reached it */
		json_free(j);
		return 0;
	}
	while (depth-- > 0)
		json_end(j);
	const char *t = json_text(j, &len);
	if (!t || json_failed(j))
		abort(); /* well-formed use must give text */
	if (strlen(t) != len || json_check(t, len) != 0)
		abort(); /* the text must be one JSON value in UTF-8 */
	json_free(j);
	return 0;
}
