/* folio — what the code-set loader (codes_load.c: find and read the files)
 * and the store (codes_store.c: write them under a grant, read them back)
 * share inside src/core. */
#ifndef FOLIO_CODES_INTERNAL_H
#define FOLIO_CODES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/codes.h"
#include "folio/textfile.h"

/* The kinds of set, in the order a load lists them; the names are
 * code_sets.kind. */
enum codes_kind { KIND_CM, KIND_PCS, KIND_POA, KIND_MCE, KIND_DRG, KIND_WEIGHTS, KIND_COUNT };
const char *codes_kind_name(enum codes_kind k);  /* "icd10cm" */
const char *codes_kind_title(enum codes_kind k); /* "ICD-10-CM codes" */

/* One set a load found, read and checked. */
struct codes_file {
	enum codes_kind kind;
	int fy;
	char path[512];            /* the file or directory, for messages */
	uint64_t hash;             /* FNV-1a 64 of the text or the packed blob */
	struct textfile text;      /* order, POA and weights files: rows point into it */
	struct codes_row *rows;    /* order files */
	char (*poa)[CODES_CODE_MAX];
	struct codes_weight *weights;
	size_t n;                  /* rows, POA codes or weights */
	unsigned char *blob;       /* MCE and MS-DRG: the packed tables */
	size_t blob_len;
	struct codes_set_info *info; /* its line of the summary */
};

struct codes_load {
	struct codes_file *files;
	struct codes_set_info *infos; /* parallel to files */
	size_t n;
};

#endif
