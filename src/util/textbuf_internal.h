/* folio — what textbuf.c (the gap buffer) and textbuf_wrap.c (its layout)
 * share.  Not a public header. */
#ifndef FOLIO_TEXTBUF_INTERNAL_H
#define FOLIO_TEXTBUF_INTERNAL_H

#include "folio/textbuf.h"

/* The byte at logical position i (< length), across the gap. */
static inline unsigned char tb_at(const struct textbuf *tb, size_t i)
{
	return (unsigned char)tb->buf[i < tb->gap ? i : i + (tb->gap_end - tb->gap)];
}

/* Tells the layout caches that removed bytes at pos were replaced by
 * inserted ones (one of the two is 0). */
void textbuf_wrap_edited(struct textbuf *tb, size_t pos, size_t removed, size_t inserted);
/* Frees the caches' row arrays. */
void textbuf_wrap_free(struct textbuf *tb);

#endif
