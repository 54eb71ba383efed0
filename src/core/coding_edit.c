/* folio — editing an encounter's code lists in memory (include/folio/coding.h):
 * typed codes and POA indicators into canonical form, add, remove, reorder.
 * Nothing here touches the database: the screen and the command line edit a
 * struct coding and then save it whole. */
#include "folio/coding.h"

#include <ctype.h>
#include <string.h>

#include "folio/smem.h"

struct coding *coding_new(void)
{
	struct coding *c = smem_alloc(sizeof *c);
	if (c)
		memset(c, 0, sizeof *c);
	return c;
}

void coding_free(struct coding *c)
{
	smem_free(c);
}

int coding_code_norm(const char *in, char out[DRG_CODE_MAX], struct folio_err *e)
{
	size_t n = 0;
	if (!in)
		in = "";
	while (isspace((unsigned char)*in))
		in++;
	for (const char *p = in; *p && !isspace((unsigned char)*p); p++) {
		if (*p == '.')
			continue;
		if (!isalnum((unsigned char)*p) || n >= DRG_CODE_MAX - 1)
			return err_set(e, FOLIO_EUSAGE,
				       "a code is 3 to 7 letters and digits (a dot is allowed)");
		out[n++] = (char)toupper((unsigned char)*p);
	}
	const char *rest = in + strcspn(in, " \t\r\n");
	while (isspace((unsigned char)*rest))
		rest++;
	out[n] = 0;
	if (n < 3 || *rest)
		return err_set(e, FOLIO_EUSAGE, "a code is 3 to 7 letters and digits (a dot is allowed)");
	return FOLIO_OK;
}

int coding_poa_norm(const char *in, char *out, struct folio_err *e)
{
	if (!in || !*in || strcmp(in, "-") == 0) {
		*out = ' ';
		return FOLIO_OK;
	}
	if (strlen(in) == 1) {
		char c = (char)toupper((unsigned char)in[0]);
		if (strchr("YNUW1", c)) {
			*out = c;
			return FOLIO_OK;
		}
		if (c == 'E') {
			*out = '1';
			return FOLIO_OK;
		}
	}
	return err_set(e, FOLIO_EUSAGE,
		       "POA is Y (present), N (not present), U (documentation insufficient), "
		       "W (clinically undetermined), E or 1 (exempt), or - (blank)");
}

int coding_find(const struct coding *c, enum coding_list l, const char *code)
{
	int n = l == CODING_SDX ? c->nsdx : c->nproc;
	for (int i = 0; i < n; i++)
		if (strcmp(l == CODING_SDX ? c->sdx[i].code : c->proc[i].code, code) == 0)
			return i;
	return -1;
}

int coding_set_pdx(struct coding *c, const char *code, struct folio_err *e)
{
	char norm[DRG_CODE_MAX];
	int rc = coding_code_norm(code, norm, e);
	if (rc)
		return rc;
	if (coding_find(c, CODING_SDX, norm) >= 0)
		return err_set(e, FOLIO_EUSAGE,
			       "that code is already a secondary diagnosis: make it principal with promote");
	memcpy(c->pdx, norm, sizeof norm);
	return FOLIO_OK;
}

int coding_add_sdx(struct coding *c, const char *code, const char *poa, struct folio_err *e)
{
	char norm[DRG_CODE_MAX], p;
	int rc;
	if ((rc = coding_code_norm(code, norm, e)) || (rc = coding_poa_norm(poa ? poa : "Y", &p, e)))
		return rc;
	if (c->nsdx >= CODING_SDX_MAX)
		return err_set(e, FOLIO_EUSAGE, "at most %d secondary diagnoses", CODING_SDX_MAX);
	if (strcmp(norm, c->pdx) == 0 || coding_find(c, CODING_SDX, norm) >= 0)
		return err_set(e, FOLIO_EUSAGE, "that code is already coded on this encounter");
	memcpy(c->sdx[c->nsdx].code, norm, sizeof norm);
	c->sdx[c->nsdx].poa = p;
	c->nsdx++;
	return FOLIO_OK;
}

int coding_set_poa(struct coding *c, int i, const char *poa, struct folio_err *e)
{
	if (i < 0 || i >= c->nsdx)
		return err_set(e, FOLIO_ENOTFOUND, "no secondary diagnosis %d", i + 1);
	return coding_poa_norm(poa, &c->sdx[i].poa, e);
}

int coding_add_proc(struct coding *c, const char *code, const char *date, struct folio_err *e)
{
	char norm[DRG_CODE_MAX];
	int rc = coding_code_norm(code, norm, e);
	if (rc)
		return rc;
	if (strlen(norm) != 7)
		return err_set(e, FOLIO_EUSAGE, "an ICD-10-PCS code has 7 characters");
	if (c->nproc >= CODING_PROC_MAX)
		return err_set(e, FOLIO_EUSAGE, "at most %d procedures", CODING_PROC_MAX);
	if (date && *date && (strlen(date) != 10 || date[4] != '-' || date[7] != '-'))
		return err_set(e, FOLIO_EUSAGE, "a procedure date is YYYY-MM-DD");
	memcpy(c->proc[c->nproc].code, norm, sizeof norm);
	str_copy(c->proc[c->nproc].date, sizeof c->proc[c->nproc].date, date ? date : "");
	c->nproc++;
	return FOLIO_OK;
}

int coding_remove(struct coding *c, enum coding_list l, int i, struct folio_err *e)
{
	int *n = l == CODING_SDX ? &c->nsdx : &c->nproc;
	if (i < 0 || i >= *n)
		return err_set(e, FOLIO_ENOTFOUND, "no %s %d", l == CODING_SDX ? "secondary diagnosis" : "procedure",
			       i + 1);
	if (l == CODING_SDX)
		memmove(&c->sdx[i], &c->sdx[i + 1], (size_t)(*n - i - 1) * sizeof c->sdx[0]);
	else
		memmove(&c->proc[i], &c->proc[i + 1], (size_t)(*n - i - 1) * sizeof c->proc[0]);
	(*n)--;
	return FOLIO_OK;
}

int coding_move(struct coding *c, enum coding_list l, int i, int dir, struct folio_err *e)
{
	int n = l == CODING_SDX ? c->nsdx : c->nproc, j = i + (dir < 0 ? -1 : 1);
	if (i < 0 || i >= n)
		return err_set(e, FOLIO_ENOTFOUND, "no %s %d", l == CODING_SDX ? "secondary diagnosis" : "procedure",
			       i + 1);
	if (j < 0 || j >= n)
		return err_set(e, FOLIO_EUSAGE, "already %s", dir < 0 ? "first" : "last");
	if (l == CODING_SDX) {
		struct coding_dx t = c->sdx[i];
		c->sdx[i] = c->sdx[j];
		c->sdx[j] = t;
	} else {
		struct coding_proc t = c->proc[i];
		c->proc[i] = c->proc[j];
		c->proc[j] = t;
	}
	return FOLIO_OK;
}

int coding_promote(struct coding *c, int i, struct folio_err *e)
{
	if (i < 0 || i >= c->nsdx)
		return err_set(e, FOLIO_ENOTFOUND, "no secondary diagnosis %d", i + 1);
	char old[DRG_CODE_MAX];
	memcpy(old, c->pdx, sizeof old);
	memcpy(c->pdx, c->sdx[i].code, sizeof old);
	if (coding_remove(c, CODING_SDX, i, e))
		return FOLIO_EFAIL;
	if (old[0]) {
		/* the old principal becomes the first secondary, POA Y until reviewed */
		memmove(&c->sdx[1], &c->sdx[0], (size_t)c->nsdx * sizeof c->sdx[0]);
		memcpy(c->sdx[0].code, old, sizeof old);
		c->sdx[0].poa = 'Y';
		c->nsdx++;
	}
	return FOLIO_OK;
}

int coding_severity_driver(const struct coding_group *gr)
{
	if (!gr->grouped)
		return -1;
	enum drg_sdx_usage want = gr->r.final_severity == DRG_SEV_MCC ? DRG_SDX_MCC
				  : gr->r.final_severity == DRG_SEV_CC ? DRG_SDX_CC
									: DRG_SDX_NEITHER;
	if (want == DRG_SDX_NEITHER)
		return -1;
	for (int i = 0; i < gr->r.nsdx; i++)
		if (gr->r.sdx_usage[i] == want)
			return i;
	return -1;
}
