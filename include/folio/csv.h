/* folio — an RFC 4180 CSV reader over text in memory (src/interop/csv.c).
 *
 * Pure: no I/O, no allocation.  Quoted fields with embedded commas, quotes
 * ("" inside quotes) and line breaks; CRLF or LF; a UTF-8 byte-order mark
 * before the header is skipped.  The header row gives each column its index
 * by name, so callers take columns by name and never by position.
 *
 * The unquoted field text of the current record goes into a buffer the
 * caller provides (guarded memory when the file holds PHI); it is valid
 * until the next csv_next().  Messages name the line a record starts on and
 * what is wrong with it, never a value.
 */
#ifndef FOLIO_CSV_H
#define FOLIO_CSV_H

#include <stddef.h>

#define CSV_FIELDS_MAX 64
#define CSV_HEADER_MAX 2048   /* bytes of column names kept */

struct csv {
	const char *p, *end;          /* what is left to read */
	unsigned line;                /* the line the current record started on (from 1) */
	unsigned next_line;           /* the line the next record starts on */
	char *buf;                    /* caller's buffer for the record's fields */
	size_t cap;
	size_t nf;                    /* fields in the current record */
	char *f[CSV_FIELDS_MAX];      /* the fields (NUL-terminated, in buf) */
	size_t ncols;                 /* columns of the header */
	char hbuf[CSV_HEADER_MAX];
	const char *col[CSV_FIELDS_MAX]; /* header names (in hbuf) */
	char why[96];                 /* the last refusal, without values */
};

/* Starts reading data[0..len); buf of cap bytes holds each record's fields
 * (a record longer than cap - CSV_FIELDS_MAX is refused). */
void csv_open(struct csv *c, const char *data, size_t len, char *buf, size_t cap);
/* Reads the header row (skipping a BOM): 0, or -1 with c->why (no header,
 * an empty or repeated column name, too many columns). */
int csv_header(struct csv *c);
/* The index of a header column by name (exact, case-sensitive), or -1. */
int csv_col(const struct csv *c, const char *name);
/* The next record: 1 with c->f[0..nf), 0 at the end, -1 when the record is
 * malformed (c->why; c->line is where it starts): an unterminated quote,
 * text after a closing quote, too many fields or bytes, or a field count
 * that is not the header's.  After -1 reading goes on at the next record. */
int csv_next(struct csv *c);
/* Field i of the current record, "" when i is out of range (a column the
 * header lacks: csv_col gave -1). */
const char *csv_field(const struct csv *c, int i);
/* Bytes consumed so far (for progress). */
size_t csv_offset(const struct csv *c, const char *data);

#endif
