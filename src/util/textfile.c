/* folio — whole-file reader for reference text, with xz decompression
 * (include/folio/textfile.h).  liblzma is the one compression library here
 * because CMS tables in ../shared/codesets are shipped as .xz. */
#include "folio/textfile.h"

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEXTFILE_MAX ((size_t)512 << 20)

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int slurp(const char *path, unsigned char **buf, size_t *len, struct folio_err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, errno == ENOENT ? FOLIO_ENOTFOUND : FOLIO_EFAIL,
			       "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > TEXTFILE_MAX) {
		fclose(f);
		return err_set(e, FOLIO_EFAIL, "%s is not a readable file of at most 512 MiB", path);
	}
	size_t n = (size_t)st.st_size;
	unsigned char *b = malloc(n + 1);
	if (!b) {
		fclose(f);
		return err_set(e, FOLIO_EFAIL, "out of memory reading %s", path);
	}
	if (n && fread(b, 1, n, f) != n) {
		free(b);
		fclose(f);
		return err_set(e, FOLIO_EFAIL, "cannot read %s", path);
	}
	fclose(f);
	b[n] = 0;
	*buf = b;
	*len = n;
	return FOLIO_OK;
}

static int unxz(const char *path, const unsigned char *in, size_t inlen, unsigned char **out,
		size_t *outlen, struct folio_err *e)
{
	lzma_stream s = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return err_set(e, FOLIO_EFAIL, "cannot start the xz decoder for %s", path);
	size_t cap = inlen * 6 + 4096, n = 0;
	unsigned char *b = malloc(cap + 1);
	if (!b) {
		lzma_end(&s);
		return err_set(e, FOLIO_EFAIL, "out of memory reading %s", path);
	}
	s.next_in = in;
	s.avail_in = inlen;
	for (;;) {
		if (n == cap) {
			if (cap >= TEXTFILE_MAX)
				goto too_big;
			size_t ncap = cap * 2 > TEXTFILE_MAX ? TEXTFILE_MAX : cap * 2;
			unsigned char *nb = realloc(b, ncap + 1);
			if (!nb)
				goto nomem;
			b = nb;
			cap = ncap;
		}
		s.next_out = b + n;
		s.avail_out = cap - n;
		lzma_ret r = lzma_code(&s, LZMA_FINISH);
		n = cap - s.avail_out;
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK) {
			lzma_end(&s);
			free(b);
			return err_set(e, FOLIO_EFAIL, "%s is not a valid xz file (%s)", path,
				       r == LZMA_DATA_ERROR || r == LZMA_FORMAT_ERROR ? "corrupt data"
										 : "truncated");
		}
	}
	lzma_end(&s);
	b[n] = 0;
	*out = b;
	*outlen = n;
	return FOLIO_OK;
too_big:
	lzma_end(&s);
	free(b);
	return err_set(e, FOLIO_EFAIL, "%s decompresses to more than 512 MiB", path);
nomem:
	lzma_end(&s);
	free(b);
	return err_set(e, FOLIO_EFAIL, "out of memory reading %s", path);
}

int textfile_read(const char *dir, const char *name, struct textfile *out, struct folio_err *e)
{
	memset(out, 0, sizeof *out);
	char path[512];
	int w = dir ? snprintf(path, sizeof path, "%s/%s", dir, name)
		    : snprintf(path, sizeof path, "%s", name);
	if (w < 0 || (size_t)w >= sizeof path - 3)
		return err_set(e, FOLIO_EUSAGE, "path too long: %s", name);
	struct stat st;
	if (!ends_with(path, ".xz") && stat(path, &st) != 0)
		strcat(path, ".xz");
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	int rc = slurp(path, &raw, &rawlen, e);
	if (rc)
		return rc;
	if (ends_with(path, ".xz")) {
		unsigned char *txt = NULL;
		size_t txtlen = 0;
		rc = unxz(path, raw, rawlen, &txt, &txtlen, e);
		free(raw);
		if (rc)
			return rc;
		raw = txt;
		rawlen = txtlen;
	}
	if (memchr(raw, 0, rawlen)) {
		free(raw);
		return err_set(e, FOLIO_EFAIL, "%s holds a NUL byte: not a text file", path);
	}
	out->data = (char *)raw;
	out->len = rawlen;
	str_copy(out->path, sizeof out->path, path);
	return FOLIO_OK;
}

void textfile_free(struct textfile *t)
{
	free(t->data);
	t->data = NULL;
	t->len = 0;
}

int textfile_next(const struct textfile *t, struct textline *l)
{
	if (l->off >= t->len)
		return 0;
	const char *start = t->data + l->off;
	const char *nl = memchr(start, '\n', t->len - l->off);
	size_t len = nl ? (size_t)(nl - start) : t->len - l->off;
	l->off += len + (nl ? 1 : 0);
	if (len && start[len - 1] == '\r')
		len--;
	l->p = start;
	l->len = len;
	l->lineno++;
	return 1;
}

int textline_split(const struct textline *l, char *buf, char **fields, int max)
{
	memcpy(buf, l->p, l->len);
	buf[l->len] = 0;
	int n = 0;
	char *p = buf;
	for (;;) {
		char *tab = strchr(p, '\t');
		if (n < max)
			fields[n] = p;
		n++;
		if (!tab)
			break;
		*tab = 0;
		p = tab + 1;
	}
	return n;
}
