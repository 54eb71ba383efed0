/* folio — a patient's demographics: fields, validation, the consistency
 * check, serialisation and sealing, MRNs. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "folio/date.h"
#include "folio/smem.h"

static const struct {
	const char *name, *label, *help;
	size_t max;
} fields[PF_COUNT] = {
#define PATIENT_FIELD_ROW(id, name, label, max, help) [PF_##id] = { name, label, help, max },
	PATIENT_FIELDS(PATIENT_FIELD_ROW)
#undef PATIENT_FIELD_ROW
};

const char *patient_field_name(enum patient_field f)
{
	return (unsigned)f < PF_COUNT ? fields[f].name : "?";
}

const char *patient_field_label(enum patient_field f)
{
	return (unsigned)f < PF_COUNT ? fields[f].label : "?";
}

const char *patient_field_help(enum patient_field f)
{
	return (unsigned)f < PF_COUNT ? fields[f].help : "";
}

size_t patient_field_max(enum patient_field f)
{
	return (unsigned)f < PF_COUNT ? fields[f].max : 0;
}

int patient_field_parse(const char *name)
{
	for (int f = 0; f < PF_COUNT; f++)
		if (strcmp(name, fields[f].name) == 0)
			return f;
	return -1;
}

struct patient *patient_new(void)
{
	return smem_alloc(sizeof(struct patient));
}

void patient_free(struct patient *p)
{
	smem_free(p);
}

void digits_only(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
}

void last_four(const char *s, char out[5])
{
	char d[32];
	size_t n;

	digits_only(s, d, sizeof d);
	n = strlen(d);
	if (n < 4) {
		out[0] = '\0';
		return;
	}
	memcpy(out, d + n - 4, 5);
}

static int phone_like(const char *v)
{
	char d[32];

	for (const char *p = v; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr(" ()-.+x", *p))
			return 0;
	digits_only(v, d, sizeof d);
	return strlen(d) >= 7 && strlen(d) <= 15;
}

int patient_set(struct patient *p, enum patient_field f, const char *value, struct folio_err *e)
{
	char norm[PATIENT_VALUE_MAX];
	size_t n;

	if ((unsigned)f >= PF_COUNT)
		return err_set(e, FOLIO_EUSAGE, "unknown field");
	n = strlen(value);
	while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	while (n && (*value == ' ' || *value == '\t')) {
		value++;
		n--;
	}
	if (utf8_length(value, n) < 0)
		return err_set(e, FOLIO_EUSAGE, "%s: not valid UTF-8 text", fields[f].label);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return err_set(e, FOLIO_EUSAGE, "%s: control characters are not allowed",
				       fields[f].label);
	if (n > fields[f].max && f != PF_DOB)
		return err_set(e, FOLIO_EUSAGE, "%s: at most %zu bytes", fields[f].label, fields[f].max);
	if (n >= sizeof norm)
		return err_set(e, FOLIO_EUSAGE, "%s: too long", fields[f].label);
	memcpy(norm, value, n);
	norm[n] = '\0';
	if (n == 0) {
		p->v[f][0] = '\0';
		return FOLIO_OK;
	}
	switch (f) {
	case PF_DOB: {
		char d[11];
		struct folio_err why;
		if (date_parse(norm, date_today(), d, &why) != FOLIO_OK)
			return err_set(e, FOLIO_EUSAGE, "Date of birth: %s", why.msg);
		str_copy(norm, sizeof norm, d);
		break;
	}
	case PF_SEX:
		norm[0] = (char)toupper((unsigned char)norm[0]);
		if (!strchr("FMXU", norm[0]) || norm[1])
			return err_set(e, FOLIO_EUSAGE, "Administrative sex: F, M, X or U");
		break;
	case PF_SSN: {
		char d[16];
		digits_only(norm, d, sizeof d);
		if (strlen(d) != 9 || strspn(norm, "0123456789- ") != n)
			return err_set(e, FOLIO_EUSAGE, "SSN: nine digits, e.g. 123-45-6789");
		snprintf(norm, sizeof norm, "%.3s-%.2s-%.4s", d, d + 3, d + 5);
		break;
	}
	case PF_PHONE:
	case PF_MOBILE:
	case PF_EMERGENCY_PHONE:
		if (!phone_like(norm))
			return err_set(e, FOLIO_EUSAGE, "%s: digits with ( ) - . + or spaces, 7 to 15 digits",
				       fields[f].label);
		break;
	case PF_STATE:
		for (char *c = norm; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		if (n != 2 || !isalpha((unsigned char)norm[0]) || !isalpha((unsigned char)norm[1]))
			return err_set(e, FOLIO_EUSAGE, "State: a two-letter code");
		break;
	default:
		break;
	}
	memcpy(p->v[f], norm, strlen(norm) + 1);
	smem_wipe(norm, sizeof norm);
	return FOLIO_OK;
}

int patient_check(const struct patient *p, char warnings[][120], int max)
{
	int n = 0;
	int64_t dob = DATE_INVALID, today = date_today();

#define WARN(...) do { if (n < max) snprintf(warnings[n++], 120, __VA_ARGS__); } while (0)
	if (!p->v[PF_LAST][0])
		WARN("no last name");
	if (!p->v[PF_FIRST][0])
		WARN("no first name");
	if (!p->v[PF_DOB][0]) {
		WARN("no date of birth");
	} else {
		int y = 0, m = 0, d = 0;
		if (sscanf(p->v[PF_DOB], "%d-%d-%d", &y, &m, &d) == 3)
			dob = date_days(y, m, d);
		if (dob == DATE_INVALID)
			WARN("date of birth is not a valid date");
		else if (dob > today)
			WARN("date of birth is in the future");
		else if (today - dob > 120 * 36525 / 100)
			WARN("age over 120: check the date of birth");
	}
	if (!p->v[PF_SEX][0])
		WARN("administrative sex not recorded");
	if (p->v[PF_ZIP][0]) {
		const char *z = p->v[PF_ZIP];
		size_t len = strlen(z);
		int ok = (len == 5 && strspn(z, "0123456789") == 5) ||
			 (len == 10 && strspn(z, "0123456789") == 5 && z[5] == '-' &&
			  strspn(z + 6, "0123456789") == 4);
		if (!ok)
			WARN("ZIP code is not 5 digits or ZIP+4");
	}
	for (int f = PF_PHONE; f <= PF_MOBILE; f++) {
		char d[32];
		digits_only(p->v[f], d, sizeof d);
		if (p->v[f][0] && strlen(d) != 10 && !(strlen(d) == 11 && d[0] == '1'))
			WARN("%s does not have 10 digits", fields[f].label);
	}
	if (!p->v[PF_PHONE][0] && !p->v[PF_MOBILE][0])
		WARN("no phone number");
	if (!p->v[PF_ADDRESS][0])
		WARN("no address");
#undef WARN
	return n;
}

/* ---- serialisation -------------------------------------------------- */

size_t patient_serialize(const struct patient *p, uint8_t *out)
{
	size_t o = 0;

	out[o++] = 1; /* format version */
	for (int f = 0; f < PF_COUNT; f++) {
		size_t n = strnlen(p->v[f], PATIENT_VALUE_MAX - 1);
		if (n == 0)
			continue;
		out[o++] = (uint8_t)f;
		out[o++] = (uint8_t)n;
		memcpy(out + o, p->v[f], n);
		o += n;
	}
	return o;
}

int patient_deserialize(const uint8_t *in, size_t len, struct patient *p)
{
	size_t i = 1;

	if (len < 1 || in[0] != 1)
		return -1;
	for (int f = 0; f < PF_COUNT; f++)
		p->v[f][0] = '\0';
	while (i < len) {
		unsigned f, n;
		if (i + 2 > len)
			return -1;
		f = in[i];
		n = in[i + 1];
		i += 2;
		if (f >= PF_COUNT || n >= PATIENT_VALUE_MAX || i + n > len)
			return -1;
		memcpy(p->v[f], in + i, n);
		p->v[f][n] = '\0';
		i += n;
	}
	return 0;
}

/* "patients.COLUMN:ID", the associated data field_ad() makes, without
 * snprintf: a bucket walk builds one per candidate. */
#define PATIENT_AD_MAX 48
static void patient_ad(char ad[PATIENT_AD_MAX], const char *column, int64_t id)
{
	static const char table[] = "patients.";
	char digits[20];
	size_t n = 0, o = sizeof table - 1, c = strlen(column);
	uint64_t v = id < 0 ? -(uint64_t)id : (uint64_t)id;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(ad, table, o);
	memcpy(ad + o, column, c);
	o += c;
	ad[o++] = ':';
	if (id < 0)
		ad[o++] = '-';
	while (n)
		ad[o++] = digits[--n];
	ad[o] = '\0';
}

int patient_seal(const struct keyring *kr, const struct patient *p, int64_t id, uint8_t *plain,
		 uint8_t *out, size_t *outlen, struct folio_err *e)
{
	char ad[PATIENT_AD_MAX];
	size_t n;
	int rc;

	n = patient_serialize(p, plain);
	patient_ad(ad, "demographics", id);
	rc = field_seal(kr, KC_DEMOGRAPHICS, ad, plain, n, out, PATIENT_BLOB_MAX + ENVELOPE_OVERHEAD,
			outlen, e);
	smem_wipe(plain, n);
	return rc;
}

int patient_open(const struct keyring *kr, int64_t id, const uint8_t *env, size_t len, uint8_t *scratch,
		 struct patient *p, struct folio_err *e)
{
	char ad[PATIENT_AD_MAX];
	size_t n;
	int rc;

	patient_ad(ad, "demographics", id);
	if ((rc = field_open(kr, ad, env, len, scratch, PATIENT_BLOB_MAX, &n, e)))
		return rc;
	rc = patient_deserialize(scratch, n, p);
	smem_wipe(scratch, n);
	if (rc != 0)
		return err_set(e, FOLIO_EFAIL, "patient record %" PRId64 " is damaged", id);
	return FOLIO_OK;
}

/* ---- the card --------------------------------------------------------- */

#define CARD_FORMAT 1

void card_view(const struct patient *p, char l4[3][5], struct card *c)
{
	last_four(p->v[PF_PHONE], l4[0]);
	last_four(p->v[PF_MOBILE], l4[1]);
	last_four(p->v[PF_SSN], l4[2]);
	c->last = p->v[PF_LAST];
	c->first = p->v[PF_FIRST];
	c->middle = p->v[PF_MIDDLE];
	c->preferred = p->v[PF_PREFERRED];
	c->dob = p->v[PF_DOB];
	c->sex = p->v[PF_SEX];
	c->l4_phone = l4[0];
	c->l4_mobile = l4[1];
	c->l4_ssn = l4[2];
}

/* The card's strings in their stored order, and the field each comes from
 * (its length limit); -1 for a last four. */
static void card_slots(struct card *c, const char **slots[CARD_STRINGS])
{
	slots[0] = &c->last;
	slots[1] = &c->first;
	slots[2] = &c->middle;
	slots[3] = &c->preferred;
	slots[4] = &c->dob;
	slots[5] = &c->sex;
	slots[6] = &c->l4_phone;
	slots[7] = &c->l4_mobile;
	slots[8] = &c->l4_ssn;
}

static const int card_field[CARD_STRINGS] = { PF_LAST, PF_FIRST, PF_MIDDLE, PF_PREFERRED, PF_DOB, PF_SEX,
					      -1, -1, -1 };

int card_seal(const struct keyring *kr, const struct patient *p, int64_t id, uint8_t *plain, uint8_t *out,
	      size_t *outlen, struct folio_err *e)
{
	char ad[PATIENT_AD_MAX], l4[3][5];
	const char **slots[CARD_STRINGS];
	struct card c;
	size_t o = 0;
	int rc;

	card_view(p, l4, &c);
	card_slots(&c, slots);
	plain[o++] = CARD_FORMAT;
	for (int i = 0; i < CARD_STRINGS; i++) {
		const char *v = *slots[i];
		/* the limit patient_set() holds a field to, so the card can never
		 * say more than a hit (whose buffers have that size) can show */
		size_t n = strnlen(v, card_field[i] < 0 ? 4 : fields[card_field[i]].max);
		memcpy(plain + o, v, n);
		o += n;
		plain[o++] = '\0';
	}
	patient_ad(ad, "card", id);
	rc = field_seal(kr, KC_DEMOGRAPHICS, ad, plain, o, out, CARD_MAX + ENVELOPE_OVERHEAD, outlen, e);
	smem_wipe(plain, o);
	smem_wipe(l4, sizeof l4);
	return rc;
}

int card_open(const struct keyring *kr, int64_t id, const uint8_t *env, size_t len, uint8_t *scratch,
	      struct card *c, struct folio_err *e)
{
	char ad[PATIENT_AD_MAX];
	const char **slots[CARD_STRINGS];
	size_t n, o = 1;
	int rc;

	patient_ad(ad, "card", id);
	if ((rc = field_open(kr, ad, env, len, scratch, CARD_MAX, &n, e)))
		return rc;
	if (n < 1 + CARD_STRINGS || scratch[0] != CARD_FORMAT)
		return err_set(e, FOLIO_EFAIL, "patient card %" PRId64 " is damaged", id);
	card_slots(c, slots);
	for (int i = 0; i < CARD_STRINGS; i++) {
		const uint8_t *nul = o < n ? memchr(scratch + o, '\0', n - o) : NULL;
		if (!nul)
			return err_set(e, FOLIO_EFAIL, "patient card %" PRId64 " is damaged", id);
		*slots[i] = (const char *)scratch + o;
		o = (size_t)(nul - scratch) + 1;
	}
	if (o != n)
		return err_set(e, FOLIO_EFAIL, "patient card %" PRId64 " is damaged", id);
	return FOLIO_OK;
}

/* ---- MRN -------------------------------------------------------------- */

static int luhn_digit(const char *digits, size_t n)
{
	int sum = 0;

	/* Luhn over the payload, doubling from the rightmost payload digit. */
	for (size_t i = 0; i < n; i++) {
		int d = digits[n - 1 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

void mrn_format(int64_t n, char out[MRN_MAX])
{
	char payload[8];

	snprintf(payload, sizeof payload, "%07" PRId64, (n % 10000000 + 10000000) % 10000000);
	memcpy(out, payload, 7);
	out[7] = (char)('0' + luhn_digit(payload, 7));
	out[8] = '\0';
}

int mrn_valid(const char *text)
{
	if (strlen(text) != 8 || strspn(text, "0123456789") != 8)
		return -1;
	return luhn_digit(text, 7) == text[7] - '0' ? 0 : -1;
}
