/* folio — RFC 4180 CSV records out of text in memory (include/folio/csv.h).
 * One pass per record: fields are unquoted into the caller's buffer and
 * line breaks counted as they go, so a message names the record's line. */
#include "folio/csv.h"

#include <stdio.h>
#include <string.h>

void csv_open(struct csv *c, const char *data, size_t len, char *buf, size_t cap)
{
	memset(c, 0, sizeof *c);
	c->p = data;
	c->end = data + len;
	c->buf = buf;
	c->cap = cap;
	c->next_line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Skips to the start of the next line (after a malformed record). */
static void resync(struct csv *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->next_line++;
	}
}

static int refuse(struct csv *c, const char *why)
{
	snprintf(c->why, sizeof c->why, "%s", why);
	resync(c);
	return -1;
}

/* The bytes that end or break an unquoted field. */
static const unsigned char special[256] = { [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1 };

/* Reads one record into buf: 1, 0 at the end, -1 malformed. */
static int record(struct csv *c)
{
	size_t o = 0;

	c->nf = 0;
	c->why[0] = '\0';
	/* blank lines between records are not records */
	while (c->p < c->end && (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n'))) {
		c->p += *c->p == '\r' ? 2 : 1;
		c->next_line++;
	}
	if (c->p >= c->end)
		return 0;
	c->line = c->next_line;
	for (;;) {
		if (c->nf >= CSV_FIELDS_MAX)
			return refuse(c, "more fields than a record may have");
		if (o + 1 >= c->cap)
			return refuse(c, "a record longer than the reader takes");
		c->f[c->nf++] = c->buf + o;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					c->nf = 0;
					snprintf(c->why, sizeof c->why, "a quoted field is not closed");
					return -1;
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						c->p += 2;
						if (o + 1 >= c->cap)
							return refuse(c, "a record longer than the reader takes");
						c->buf[o++] = '"';
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->next_line++;
				if (o + 1 >= c->cap)
					return refuse(c, "a record longer than the reader takes");
				c->buf[o++] = *c->p++;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    !(*c->p == '\r' && (c->p + 1 == c->end || c->p[1] == '\n')))
				return refuse(c, "text after a closing quote");
		} else {
			for (;;) {
				/* a run of plain bytes at once: most fields are nothing else */
				const char *q = c->p;
				while (q < c->end && !special[(unsigned char)*q])
					q++;
				if (o + (size_t)(q - c->p) >= c->cap)
					return refuse(c, "a record longer than the reader takes");
				memcpy(c->buf + o, c->p, (size_t)(q - c->p));
				o += (size_t)(q - c->p);
				c->p = q;
				if (q == c->end || *q == ',' || *q == '\n')
					break;
				if (*q == '"')
					return refuse(c, "a quote inside an unquoted field");
				/* CR: the record's end before LF or the end, else a byte of the field */
				if (q + 1 == c->end || q[1] == '\n')
					break;
				if (o + 1 >= c->cap)
					return refuse(c, "a record longer than the reader takes");
				c->buf[o++] = *c->p++;
			}
		}
		c->buf[o++] = '\0';
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		/* end of record: CRLF, LF or the end of the text */
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->next_line++;
		return 1;
	}
}

int csv_header(struct csv *c)
{
	size_t o = 0;
	int rc = record(c);

	c->ncols = 0;
	if (rc == 0)
		return snprintf(c->why, sizeof c->why, "no header row"), -1;
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < c->nf; i++) {
		size_t n = strlen(c->f[i]);
		if (!n)
			return snprintf(c->why, sizeof c->why, "column %zu of the header has no name", i + 1), -1;
		if (o + n + 1 > sizeof c->hbuf)
			return snprintf(c->why, sizeof c->why, "the header is too long"), -1;
		memcpy(c->hbuf + o, c->f[i], n + 1);
		c->col[i] = c->hbuf + o;
		o += n + 1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->col[j], c->col[i]))
				return snprintf(c->why, sizeof c->why, "column %zu of the header repeats a name",
						i + 1), -1;
	}
	c->ncols = c->nf;
	return 0;
}

int csv_col(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->ncols; i++)
		if (!strcmp(c->col[i], name))
			return (int)i;
	return -1;
}

int csv_next(struct csv *c)
{
	int rc = record(c);

	if (rc == 1 && c->ncols && c->nf != c->ncols) {
		snprintf(c->why, sizeof c->why, "%zu fields where the header has %zu", c->nf, c->ncols);
		c->nf = 0;
		return -1;
	}
	return rc;
}

const char *csv_field(const struct csv *c, int i)
{
	return i >= 0 && (size_t)i < c->nf ? c->f[i] : "";
}

size_t csv_offset(const struct csv *c, const char *data)
{
	return (size_t)(c->p - data);
}
