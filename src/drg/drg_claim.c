/* folio — one claim line in the grouper test-set layout
 * (../shared/codesets/tests/msdrg_v430_cms_grouper_testset.tsv), and the
 * grouper's names and titles.
 *
 * The parser only refuses what cannot be a claim at all (too few columns,
 * too many codes, a code too long); values the official grouper judges (an
 * age of 300 or "old", sex X, an unknown code, a POA of Q) are passed
 * through for drg_group() to judge. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "drg_internal.h"

enum { COL_ID, COL_VERSION, COL_AGE, COL_SEX, COL_DSTAT, COL_PDX, COL_SDX, COL_PROC, COL_MIN };

struct field {
	const char *p;
	size_t len;
};

static int split_line(const char *line, size_t len, struct field *f, int max)
{
	int n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (n < max) {
				f[n].p = line + start;
				f[n].len = i - start;
			}
			n++;
			start = i + 1;
		}
	}
	return n;
}

static void trim(struct field *f)
{
	while (f->len && (f->p[0] == ' ' || f->p[0] == '\r'))
		f->p++, f->len--;
	while (f->len && (f->p[f->len - 1] == ' ' || f->p[f->len - 1] == '\r'))
		f->len--;
}

/* A whole number; out-of-range values are clamped far outside any valid
 * range so the grouper still sees them as invalid. */
static int parse_number(struct field f, int *out)
{
	char buf[32];
	char *end;

	trim(&f);
	if (f.len == 0 || f.len >= sizeof buf)
		return f.len == 0 ? -1 : (*out = INT_MAX, 0);
	memcpy(buf, f.p, f.len);
	buf[f.len] = 0;
	for (size_t i = 0; i < f.len; i++)
		if (!(isdigit((unsigned char)buf[i]) || (i == 0 && (buf[i] == '-' || buf[i] == '+'))))
			return -1;
	if (f.len == 1 && !isdigit((unsigned char)buf[0]))
		return -1;
	errno = 0;
	long v = strtol(buf, &end, 10);
	if (errno || v > INT_MAX / 2 || v < INT_MIN / 2)
		v = v < 0 ? INT_MIN / 2 : INT_MAX / 2;
	*out = (int)v;
	return 0;
}

/* Copies a code upper-cased; -1 when longer than 7 characters. */
static int copy_code(const char *p, size_t len, char out[DRG_CODE_MAX])
{
	while (len && p[0] == ' ')
		p++, len--;
	while (len && p[len - 1] == ' ')
		len--;
	if (len >= DRG_CODE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)toupper((unsigned char)p[i]);
	out[len] = 0;
	return 0;
}

/* Says which code was refused by its place, not its text: a claim's
 * codes are health information and messages carry none. */
static int refuse(struct folio_err *e, const char *what, int n)
{
	return n ? err_set(e, FOLIO_EUSAGE, "%s %d is longer than 7 characters", what, n)
		 : err_set(e, FOLIO_EUSAGE, "%s is longer than 7 characters", what);
}

int drg_claim_parse(const char *line, size_t len, struct drg_claim *c, char id[64],
		    struct folio_err *e)
{
	struct field f[COL_MIN];
	int n;

	memset(c, 0, sizeof *c);
	id[0] = 0;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	n = split_line(line, len, f, COL_MIN);
	size_t idlen = f[0].len < 63 ? f[0].len : 63;
	memcpy(id, f[0].p, idlen);
	id[idlen] = 0;
	for (size_t i = 0; i < idlen; i++)
		if ((unsigned char)id[i] < 0x20)
			id[i] = ' ';
	if (n < COL_MIN)
		return err_set(e, FOLIO_EUSAGE, "expected at least %d tab-separated columns, found %d",
			       COL_MIN, n);
	/* an age or status that is not a number is as invalid as one out of
	 * range: the grouper says so (INVALID_AGE, an invalid status) */
	if (parse_number(f[COL_AGE], &c->age))
		c->age = INT_MIN / 2;
	if (parse_number(f[COL_DSTAT], &c->discharge_status))
		c->discharge_status = INT_MIN / 2;
	struct field sex = f[COL_SEX];
	trim(&sex);
	/* one letter; anything else is passed on as an invalid sex */
	c->sex = sex.len == 1 ? (char)toupper((unsigned char)sex.p[0]) : '?';
	if (c->sex == 0)
		c->sex = '?';
	if (copy_code(f[COL_PDX].p, f[COL_PDX].len, c->pdx))
		return refuse(e, "the principal diagnosis", 0);

	const char *p = f[COL_SDX].p, *end = p + f[COL_SDX].len;
	while (p < end) {
		const char *s = p;
		while (p < end && *p != ';')
			p++;
		const char *colon = memchr(s, ':', (size_t)(p - s));
		const char *cend = colon ? colon : p;
		const char *q = s;
		while (q < cend && *q == ' ')
			q++;
		if (q < cend) {
			if (c->nsdx >= DRG_MAX_SDX)
				return err_set(e, FOLIO_EUSAGE, "more than %d secondary diagnoses",
					       DRG_MAX_SDX);
			if (copy_code(s, (size_t)(cend - s), c->sdx[c->nsdx].code))
				return refuse(e, "secondary diagnosis", c->nsdx + 1);
			char poa = 'Y';
			if (colon) {
				size_t plen = (size_t)(p - colon - 1);
				/* nothing after the colon is a blank POA; more than one
				 * character can only be an invalid one */
				poa = plen == 0 ? ' ' : plen == 1 ? colon[1] : '?';
				if (poa == 0)
					poa = '?';
			}
			c->sdx[c->nsdx].poa = poa;
			c->nsdx++;
		}
		if (p < end)
			p++;
	}

	p = f[COL_PROC].p;
	end = p + f[COL_PROC].len;
	while (p < end) {
		const char *s = p;
		while (p < end && *p != ';')
			p++;
		const char *q = s;
		while (q < p && *q == ' ')
			q++;
		if (q < p) {
			if (c->nproc >= DRG_MAX_PROC)
				return err_set(e, FOLIO_EUSAGE, "more than %d procedures", DRG_MAX_PROC);
			if (copy_code(s, (size_t)(p - s), c->proc[c->nproc]))
				return refuse(e, "procedure", c->nproc + 1);
			c->nproc++;
		}
		if (p < end)
			p++;
	}
	return FOLIO_OK;
}

const char *drg_title(const struct drg_tables *t, int drg)
{
	if (!t || drg < 0 || drg >= (int)t->n_dinfo)
		return "";
	return t->strings + t->dinfo[drg].title;
}

const char *drg_mdc_title(const struct drg_tables *t, int mdc)
{
	if (!t || mdc < 0 || mdc >= (int)t->n_mdc_title)
		return "";
	return t->strings + t->mdc_title[mdc];
}

const char *drg_sdx_usage_name(enum drg_sdx_usage u)
{
	static const char *const names[] = { "NEITHER",
					     "CC",
					     "MCC",
					     "CC_EXCLUDED",
					     "MCC_EXCLUDED",
					     "CC_EXCLUDED_BY_DRG_LOGIC",
					     "MCC_EXCLUDED_BY_DRG_LOGIC" };
	return (unsigned)u < ARRAY_SIZE(names) ? names[u] : "NEITHER";
}

const char *drg_severity_name(enum drg_severity s)
{
	static const char *const names[] = { "NONE", "NON_CC", "CC", "MCC" };
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "NONE";
}

const char *drg_med_surg_name(enum drg_med_surg m)
{
	static const char *const names[] = { "NONE", "MEDICAL", "SURGICAL" };
	return (unsigned)m < ARRAY_SIZE(names) ? names[m] : "NONE";
}
