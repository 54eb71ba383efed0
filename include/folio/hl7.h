/* folio — HL7 v2 ER7 ("pipe and hat") messages (src/interop/hl7.c): a
 * file split into messages, each message into segments, values read by
 * field, repetition, component and subcomponent with the escapes undone,
 * and the acknowledgement an MLLP peer would get.
 *
 * What arrives in the wild: segments ended by CR, LF or CRLF (or a mix),
 * a UTF-8 byte-order mark, blank lines, several messages per file, FHS/BHS
 * batch envelopes, `""` for "delete this value", ISO 8859-1 text (MSH-18),
 * and files that are not HL7 at all.  The parser is pure: nothing here
 * touches a store or a key.  A message points into the caller's buffer
 * (which holds patient data: keep it in guarded memory) and owns only its
 * segment table.
 */
#ifndef FOLIO_HL7_H
#define FOLIO_HL7_H

#include <stddef.h>

#include "folio/util.h"

#define HL7_SEGMENTS_MAX 4000   /* per message: more is refused, not truncated */
#define HL7_ERROR_MAX 160

struct hl7_seg {
	const char *text;       /* the segment's bytes, without its terminator */
	size_t len;
	char id[4];             /* "PID" */
	int line;               /* 1-based line of the file it starts on */
};

struct hl7_msg {
	struct hl7_seg *seg;    /* malloc'd; seg[0] is the MSH */
	size_t nseg;
	char field, comp, rep, esc, sub;  /* separators from MSH-1 and MSH-2 ('\0': not used) */
	int latin1;             /* MSH-18 says ISO 8859-1: bytes are converted to UTF-8 */
	int number;             /* 1-based position in the file */
	int line;               /* the file line of its MSH */
	char error[HL7_ERROR_MAX];  /* "" when it parsed; else why it is refused as a whole */
};

/* Splits a file (len bytes, any line ends, an optional BOM) into messages
 * and calls fn for each, in order, with the message parsed or with
 * m->error set (segments before any MSH, an MSH without separators, too
 * many segments...).  Batch segments (FHS BHS BTS FTS) are checked for
 * shape and skipped.  A non-zero return from fn stops the walk.  Returns
 * the number of messages seen; *junk counts lines that were not segments
 * at all (a file that is not HL7 has junk and no messages). */
int hl7_split(const char *buf, size_t len, int (*fn)(const struct hl7_msg *m, void *ctx), void *ctx, int *junk);

/* Values.  field, comp and sub count from 1 as HL7 does (MSH-1 is the field
 * separator, MSH-2 the encoding characters); rep counts from 0.  The value
 * is unescaped (\F\ \S\ \T\ \R\ \E\, \Xhh..\, \.br\ as a line feed;
 * highlighting dropped) and converted to UTF-8 (invalid bytes become
 * U+FFFD) into out (cap bytes, always terminated, truncated when longer).
 * Returns the length written, HL7_ABSENT when the field, repetition or
 * component is not there or empty, HL7_NULL for the explicit null `""`. */
#define HL7_ABSENT (-1)
#define HL7_NULL (-2)
int hl7_get(const struct hl7_msg *m, size_t segi, int field, int rep, int comp, int sub, char *out, size_t cap);
/* How many repetitions field has (0 when absent). */
int hl7_reps(const struct hl7_msg *m, size_t segi, int field);
/* The index of the first segment named id at or after from; -1 when none. */
long hl7_find(const struct hl7_msg *m, const char *id, size_t from);

/* The acknowledgement of m (MSA-1 code "AA", "AE" or "AR"; text: why, never
 * patient data) as an ER7 message ending in CR, into out.  now is the
 * timestamp (YYYYMMDDHHMMSS).  Returns the length, or -1 when cap is too
 * small. */
int hl7_ack(const struct hl7_msg *m, const char *code, const char *text, const char *now, char *out,
	    size_t cap);

#endif
