/* folio — reading reference text files whole, xz-compressed or not
 * (src/util/textfile.c).
 *
 * CMS and CDC code sets arrive as large text files, some of them shipped
 * xz-compressed (../shared/codesets).  Loaders read a file whole into memory
 * they own and walk it line by line; the reader hides whether "NAME" or
 * "NAME.xz" is on disk.  Code sets are public reference data, never patient
 * data, so plain heap memory is right here.
 */
#ifndef FOLIO_TEXTFILE_H
#define FOLIO_TEXTFILE_H

#include <stddef.h>

#include "folio/util.h"

/* A file's whole text.  data is NUL-terminated (len excludes the NUL). */
struct textfile {
	char *data;
	size_t len;
	char path[512]; /* the file actually read, for messages */
};

/* Reads dir/name, or dir/name.xz when name is absent (dir may be NULL: name
 * is then a path).  A name ending in ".xz" is always decompressed.
 * FOLIO_ENOTFOUND when neither exists; FOLIO_EFAIL on a read or xz error,
 * or when the file holds a NUL byte (not a text file).  Files larger than
 * 512 MiB decompressed are refused. */
int textfile_read(const char *dir, const char *name, struct textfile *out,
		  struct folio_err *e);
void textfile_free(struct textfile *t);

/* Line cursor: yields each line without its CR/LF (CRLF, LF and a lone final
 * line all work).  lineno counts from 1, for "file:line" messages. */
struct textline {
	const char *p;   /* this line */
	size_t len;
	unsigned lineno;
	size_t off;      /* private: where the next line starts */
};
/* Returns 1 with the next line in *l, 0 at the end.  Start with *l zeroed. */
int textfile_next(const struct textfile *t, struct textline *l);

/* Splits a line on tabs in place into at most max fields (pointers into a
 * copy the caller provides: buf of at least l->len + 1 bytes).  Returns the
 * number of fields found (which may exceed max; extra fields are not
 * stored). */
int textline_split(const struct textline *l, char *buf, char **fields, int max);

#endif
