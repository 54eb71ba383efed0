/* folio — the PDF writer for release-of-information packets (libharu).
 *
 * A packet is built in guarded memory and handed back as one guarded buffer:
 * the text is patient data, so it never touches a file, an error message or
 * an allocation that is not wiped on free.  US Letter, 72 pt margins, 10 pt
 * body; every page carries a running header (title left, mark right) and a
 * footer (mark left, "Page N of M" right).  Text is UTF-8 and printed with
 * DejaVu Sans (embedded) when fonts-dejavu-core is installed, else with
 * Helvetica in CP1252 ('?' for what it cannot show).
 */
#ifndef FOLIO_PDF_H
#define FOLIO_PDF_H

#include <stddef.h>

#include "folio/util.h"

struct pdf;                      /* a document being built; opaque */

/* A new document. title goes into the document info and the running header of
 * every page; mark is printed in the header and footer of every page (the
 * caller passes "CONFIDENTIAL"). NULL with *e set on failure. */
struct pdf *pdf_new(const char *title, const char *mark, struct folio_err *e);
/* As pdf_new, with DejaVuSans.ttf and DejaVuSans-Bold.ttf looked up in
 * font_dir; NULL (or a directory without them) means the built-in Helvetica
 * in CP1252.  For tests and for sites with their own font directory. */
struct pdf *pdf_new_fonts(const char *title, const char *mark, const char *font_dir,
			  struct folio_err *e);
/* Starts a new page with a heading (bold, larger); a page with nothing on it
 * yet is used as it is. */
int pdf_section(struct pdf *p, const char *heading, struct folio_err *e);
/* A sub-heading on the current page (bold), starting a new page when too near the bottom. */
int pdf_subheading(struct pdf *p, const char *text, struct folio_err *e);
/* UTF-8 text, len bytes (not NUL-terminated necessarily): paragraphs split on
 * '\n', long lines word-wrapped to the page width, new pages as needed.
 * A blank line is kept as vertical space (a final '\n' adds none).  Invalid
 * UTF-8 prints as U+FFFD, control characters and NULs are dropped, tabs are
 * spaces. */
int pdf_text(struct pdf *p, const char *utf8, size_t len, struct folio_err *e);
/* A two-column "label: value" line (label bold), wrapped like pdf_text. */
int pdf_field(struct pdf *p, const char *label, const char *value, struct folio_err *e);
/* Finishes: stamps "Page N of M" and the mark in the footer of every page,
 * then returns the whole file in guarded memory (*out: smem_free by the caller).
 * The pdf is still to be freed with pdf_free; nothing more can be added. */
int pdf_finish(struct pdf *p, unsigned char **out, size_t *len, struct folio_err *e);
int pdf_pages(const struct pdf *p);   /* pages so far */
/* 1 when the text is set in the embedded Unicode font, 0 in Helvetica/CP1252. */
int pdf_unicode(const struct pdf *p);
void pdf_free(struct pdf *p);         /* wipes and frees everything; NULL ok */

#endif
