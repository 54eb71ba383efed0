/* folio — the JSON writer and checker of the FHIR export, and the small
 * pure FHIR forms (dates, ICD-10-CM dots, UUIDs, Patient.link, the count
 * line).  No database and no keys: src/core/export_fhir.c walks the chart.
 * The text is a chart in plaintext, so it lives in guarded memory and grows
 * by copying into a bigger guarded buffer (see folio/smem.h). */
#include "folio/fhir.h"

#include <stdio.h>
#include <string.h>

#include "folio/smem.h"
#include "folio/util.h"

#define JSON_FIRST_CAP 16384

struct json_out {
	char *buf;
	size_t len, cap;
	int depth;
	int failed;
	int started;                     /* the top value was begun */
	unsigned char array[JSON_DEPTH_MAX];
	unsigned count[JSON_DEPTH_MAX];
};

struct json_out *json_new(void)
{
	struct json_out *j = smem_alloc(sizeof *j);

	if (!j)
		return NULL;
	if (!(j->buf = smem_alloc(JSON_FIRST_CAP))) {
		smem_free(j);
		return NULL;
	}
	j->cap = JSON_FIRST_CAP;
	return j;
}

void json_free(struct json_out *j)
{
	if (!j)
		return;
	smem_free(j->buf);
	smem_free(j);
}

int json_failed(const struct json_out *j)
{
	return !j || j->failed;
}

const char *json_text(const struct json_out *j, size_t *len)
{
	if (!j || j->failed || j->depth || !j->started)
		return NULL;
	if (len)
		*len = j->len;
	return j->buf;
}

/* Room for n more bytes and a NUL: a bigger guarded buffer, the old one
 * wiped, never realloc. */
static int reserve(struct json_out *j, size_t n)
{
	size_t cap = j->cap;
	char *nb;

	if (j->failed)
		return -1;
	if (j->len + n + 1 <= j->cap)
		return 0;
	while (cap < j->len + n + 1) {
		if (cap > (size_t)-1 / 2) {
			j->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	if (!(nb = smem_alloc(cap))) {
		j->failed = 1;
		return -1;
	}
	memcpy(nb, j->buf, j->len);
	smem_free(j->buf);
	j->buf = nb;
	j->cap = cap;
	return 0;
}

static void put(struct json_out *j, const char *s, size_t n)
{
	if (reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

/* Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7),
 * or 0 when the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		len = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		len = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		len = 4;
	else
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F; /* no surrogates */
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F; /* nothing past U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return len;
}

static void put_escaped(struct json_out *j, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	put(j, "\"", 1);
	while (i < n && !j->failed) {
		unsigned char c = s[i];
		size_t len;
		char esc[8];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(j, esc, 2);
			i++;
		} else if (c < 0x20) {
			const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" :
					    c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
			if (named)
				put(j, named, 2);
			else {
				snprintf(esc, sizeof esc, "\\u%04x", c);
				put(j, esc, 6);
			}
			i++;
		} else if ((len = utf8_seq(s + i, n - i)) != 0) {
			put(j, text + i, len);
			i += len;
		} else {
			put(j, "\xEF\xBF\xBD", 3); /* U+FFFD for each stray byte */
			i++;
		}
	}
	put(j, "\"", 1);
}

/* The comma and key before a value; -1 (and failed) on a misuse. */
static int begin_value(struct json_out *j, const char *key)
{
	if (!j || j->failed)
		return -1;
	if (j->depth == 0) {
		if (j->started || key) {
			j->failed = 1;
			return -1;
		}
		j->started = 1;
		return 0;
	}
	int lvl = j->depth - 1;
	if (j->array[lvl] ? key != NULL : key == NULL) {
		j->failed = 1;
		return -1;
	}
	if (j->count[lvl]++)
		put(j, ",", 1);
	if (key) {
		put_escaped(j, key, strlen(key));
		put(j, ":", 1);
	}
	return j->failed ? -1 : 0;
}

static void open_level(struct json_out *j, const char *key, int array)
{
	if (begin_value(j, key))
		return;
	if (j->depth >= JSON_DEPTH_MAX) {
		j->failed = 1;
		return;
	}
	j->array[j->depth] = (unsigned char)array;
	j->count[j->depth] = 0;
	j->depth++;
	put(j, array ? "[" : "{", 1);
}

void json_object(struct json_out *j, const char *key)
{
	open_level(j, key, 0);
}

void json_array(struct json_out *j, const char *key)
{
	open_level(j, key, 1);
}

void json_end(struct json_out *j)
{
	if (!j || j->failed)
		return;
	if (j->depth == 0) {
		j->failed = 1;
		return;
	}
	j->depth--;
	put(j, j->array[j->depth] ? "]" : "}", 1);
}

void json_string_n(struct json_out *j, const char *key, const char *value, size_t len)
{
	if (begin_value(j, key) == 0)
		put_escaped(j, value ? value : "", value ? len : 0);
}

void json_string(struct json_out *j, const char *key, const char *value)
{
	json_string_n(j, key, value, value ? strlen(value) : 0);
}

void json_base64(struct json_out *j, const char *key, const void *data, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *d = data;
	size_t i;

	if (begin_value(j, key) || reserve(j, (len + 2) / 3 * 4 + 2))
		return;
	char *o = j->buf + j->len;
	*o++ = '"';
	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		*o++ = abc[v >> 18 & 63];
		*o++ = abc[v >> 12 & 63];
		*o++ = abc[v >> 6 & 63];
		*o++ = abc[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < len ? (unsigned)d[i + 1] << 8 : 0);
		*o++ = abc[v >> 18 & 63];
		*o++ = abc[v >> 12 & 63];
		*o++ = i + 1 < len ? abc[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o++ = '"';
	*o = '\0';
	j->len = (size_t)(o - j->buf);
}

/* Bytes of the JSON number at the start of s[0..n), 0 when none. */
static size_t number_len(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i;
}

int json_number_ok(const char *text)
{
	size_t n = text ? strlen(text) : 0;

	return n && number_len(text, n) == n;
}

void json_number(struct json_out *j, const char *key, const char *text)
{
	if (!json_number_ok(text)) {
		if (j)
			j->failed = 1;
		return;
	}
	if (begin_value(j, key) == 0)
		put(j, text, strlen(text));
}

void json_int(struct json_out *j, const char *key, long long v)
{
	char t[24];

	snprintf(t, sizeof t, "%lld", v);
	json_number(j, key, t);
}

void json_bool(struct json_out *j, const char *key, int v)
{
	if (begin_value(j, key) == 0)
		put(j, v ? "true" : "false", v ? 4 : 5);
}

/* ---- the checker ------------------------------------------------------ */
struct scan {
	const char *s;
	size_t n, i;
};

static void ws(struct scan *p)
{
	while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
		p->i++;
}

static int hex4(const char *s)
{
	for (int k = 0; k < 4; k++)
		if (!strchr("0123456789abcdefABCDEF", s[k]) || !s[k])
			return -1;
	return 0;
}

static int check_string(struct scan *p)
{
	const unsigned char *s = (const unsigned char *)p->s;

	if (p->i >= p->n || s[p->i] != '"')
		return -1;
	p->i++;
	while (p->i < p->n) {
		unsigned char c = s[p->i];
		size_t len;
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (p->i + 1 >= p->n)
				return -1;
			c = s[p->i + 1];
			if (c == 'u') {
				if (p->n - p->i < 6 || hex4(p->s + p->i + 2))
					return -1;
				p->i += 6;
			} else if (c && strchr("\"\\/bfnrt", c)) {
				p->i += 2;
			} else {
				return -1;
			}
			continue;
		}
		if (!(len = utf8_seq(s + p->i, p->n - p->i)))
			return -1;
		p->i += len;
	}
	return -1;
}

static int check_value(struct scan *p, int depth);

/* The members of an object or the items of an array, after its opener. */
static int check_items(struct scan *p, int depth, int object)
{
	char close = object ? '}' : ']';

	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		if (object) {
			ws(p);
			if (check_string(p))
				return -1;
			ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return -1;
			p->i++;
		}
		if (check_value(p, depth + 1))
			return -1;
		ws(p);
		if (p->i >= p->n)
			return -1;
		if (p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		if (p->s[p->i++] != ',')
			return -1;
	}
}

static int check_value(struct scan *p, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t len;

	ws(p);
	if (p->i >= p->n)
		return -1;
	switch (p->s[p->i]) {
	case '{':
	case '[':
		if (depth >= JSON_DEPTH_MAX)
			return -1;
		return check_items(p, depth, p->s[p->i++] == '{');
	case '"':
		return check_string(p);
	default:
		break;
	}
	for (size_t w = 0; w < ARRAY_SIZE(words); w++) {
		len = strlen(words[w]);
		if (p->n - p->i >= len && memcmp(p->s + p->i, words[w], len) == 0) {
			p->i += len;
			return 0;
		}
	}
	if (!(len = number_len(p->s + p->i, p->n - p->i)))
		return -1;
	p->i += len;
	return 0;
}

int json_check(const char *s, size_t n)
{
	struct scan p = { s, n, 0 };

	if (!s || check_value(&p, 0))
		return -1;
	ws(&p);
	return p.i == n ? 0 : -1;
}

/* ---- FHIR forms --------------------------------------------------------- */
static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void fhir_datetime(const char *in, char out[32])
{
	size_t n = in ? strlen(in) : 0;
	const char *sec = "00";

	out[0] = '\0';
	if (n < 10 || !digits(in, 4) || in[4] != '-' || !digits(in + 5, 2) || in[7] != '-' || !digits(in + 8, 2))
		return;
	if (n == 10) {
		snprintf(out, 32, "%.10s", in);
		return;
	}
	if (n < 16 || (in[10] != 'T' && in[10] != ' ') || !digits(in + 11, 2) || in[13] != ':' ||
	    !digits(in + 14, 2))
		return;
	size_t i = 16;
	if (i < n && in[i] == ':') {
		if (n < 19 || !digits(in + 17, 2))
			return;
		sec = in + 17;
		i = 19;
	}
	if (i < n && in[i] == 'Z')
		i++;
	if (i != n)
		return;
	snprintf(out, 32, "%.10sT%.5s:%.2sZ", in, in + 11, sec);
}

void fhir_icd10_dotted(const char *code, char out[16])
{
	size_t n = code ? strlen(code) : 0;

	if (n <= 3 || strchr(code, '.'))
		snprintf(out, 16, "%s", code ? code : "");
	else
		snprintf(out, 16, "%.3s.%.11s", code, code + 3);
}

void fhir_uuid_urn(const char hex[33], char out[46])
{
	static const char x[] = "0123456789abcdef";
	char h[33];

	for (int i = 0; i < 32; i++) {
		char c = hex[i];
		h[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	h[32] = '\0';
	h[12] = '8'; /* version 8: custom (a keyed BLAKE2b) */
	const char *v = strchr(x, h[16]);
	h[16] = x[((v ? v - x : 0) & 3) | 8]; /* variant 10 */
	snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

void fhir_patient_links(struct json_out *j, const struct fhir_link *links, size_t n)
{
	if (!n)
		return;
	json_array(j, "link");
	for (size_t i = 0; i < n; i++) {
		json_object(j, NULL);
		json_object(j, "other");
		json_object(j, "identifier");
		json_string(j, "system", FHIR_MRN_SYSTEM);
		json_string(j, "value", links[i].mrn);
		json_end(j);
		json_end(j);
		json_string(j, "type", links[i].replaced_by ? "replaced-by" : "replaces");
		json_end(j);
	}
	json_end(j);
}

static const char *const resource_names[FHIR_RESOURCES] = {
	[FHIR_PATIENT] = "Patient", [FHIR_ENCOUNTER] = "Encounter", [FHIR_CONDITION] = "Condition",
	[FHIR_OBSERVATION] = "Observation", [FHIR_ALLERGY] = "AllergyIntolerance",
	[FHIR_MEDICATION] = "MedicationRequest", [FHIR_DOCUMENT] = "DocumentReference",
	[FHIR_PROCEDURE] = "Procedure",
};

const char *fhir_resource_name(enum fhir_resource r)
{
	return (unsigned)r < FHIR_RESOURCES ? resource_names[r] : "?";
}

void fhir_counts_text(const struct fhir_counts *c, char *out, size_t cap)
{
	size_t at;
	const char *sep = " (";

	snprintf(out, cap, "FHIR R4 bundle: %d resource%s", c->total, c->total == 1 ? "" : "s");
	for (int r = 0; r < FHIR_RESOURCES; r++) {
		if (!c->n[r])
			continue;
		at = strlen(out);
		if (c->n[r] == 1)
			snprintf(out + at, cap - at, "%s%s", sep, resource_names[r]);
		else
			snprintf(out + at, cap - at, "%s%s \xC3\x97%d", sep, resource_names[r], c->n[r]);
		sep = ", ";
	}
	at = strlen(out);
	if (c->total)
		snprintf(out + at, cap - at, ")");
}
