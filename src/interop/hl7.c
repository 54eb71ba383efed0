/* folio — HL7 v2 ER7 parsing (include/folio/hl7.h).
 *
 * Nothing is copied at split time: a message is a table of segments
 * pointing into the caller's buffer, and a value is located and decoded
 * only when asked for.  Line ends are whatever the sender used: CR (the
 * standard), LF, CRLF, even mixed in one file. */
#include "folio/hl7.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio/smem.h"

/* ---- lines and segments ----------------------------------------------------- */

static int is_id_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

/* A header segment (MSH, FHS, BHS) names its own separators. */
static int is_header(const char *id)
{
	return !strcmp(id, "MSH") || !strcmp(id, "FHS") || !strcmp(id, "BHS");
}

/* The segment id of a line, or "" when the line is not a segment: three
 * capitals or digits, then the field separator or the end. */
static void line_id(const char *s, size_t n, char fsep, char id[4])
{
	id[0] = '\0';
	if (n < 3 || !is_id_char((unsigned char)s[0]) || !is_id_char((unsigned char)s[1]) ||
	    !is_id_char((unsigned char)s[2]))
		return;
	memcpy(id, s, 3);
	id[3] = '\0';
	if (n == 3)
		return;
	if (is_header(id)) {
		if (is_id_char((unsigned char)s[3]) || s[3] == ' ')
			id[0] = '\0';
		return;
	}
	if (s[3] != (fsep ? fsep : '|'))
		id[0] = '\0';
}

/* The separators of a header segment; an error text when they are unusable. */
static const char *header_seps(const char *s, size_t n, struct hl7_msg *m)
{
	const char *enc = s + 4;
	size_t k = 0;
	char seps[6];

	if (n < 5)
		return "the MSH has no separators";
	m->field = s[3];
	while (4 + k < n && s[4 + k] != m->field && k < 6)
		k++;
	if (k < 1 || k > 5)
		return "the MSH's encoding characters (MSH-2) are missing or malformed";
	/* "^~\\\\&": the escape character doubled, as a program's string
	 * literal leaks into a file; read as the standard "^~\\&". */
	if (k == 5 && enc[2] == enc[3] && enc[2] == '\\')
		enc = "^~\\&", k = 4;
	m->comp = enc[0];
	m->rep = k > 1 ? enc[1] : '\0';
	m->esc = k > 2 ? enc[2] : '\0';
	m->sub = k > 3 ? enc[3] : '\0';
	seps[0] = m->field;
	seps[1] = m->comp;
	seps[2] = m->rep;
	seps[3] = m->esc;
	seps[4] = m->sub;
	for (int i = 0; i < 5; i++) {
		unsigned char c = (unsigned char)seps[i];
		if (!c)
			continue;
		if (is_id_char(c) || (c >= 'a' && c <= 'z') || c < 0x21 || c > 0x7e)
			return "the MSH's separators are not punctuation";
		for (int j = 0; j < i; j++)
			if (seps[j] == seps[i])
				return "the MSH uses one separator twice";
	}
	return NULL;
}

/* ---- splitting -------------------------------------------------------------------- */

struct splitter {
	struct hl7_msg m;
	size_t cap;
	int open;           /* a message is being collected */
	int junk_line;      /* a line that is not a segment, since the last segment */
	int messages;
	int stop;
	int (*fn)(const struct hl7_msg *, void *);
	void *ctx;
};

/* The first reason a message is refused: "line N: what". */
static void msg_error(struct hl7_msg *m, int line, const char *what)
{
	if (!m->error[0])
		snprintf(m->error, sizeof m->error, "line %d: %s", line, what);
}

static void emit(struct splitter *sp)
{
	sp->junk_line = 0;
	if (!sp->open)
		return;
	sp->open = 0;
	sp->messages++;
	sp->m.number = sp->messages;
	if (!sp->stop && sp->fn(&sp->m, sp->ctx))
		sp->stop = 1;
	sp->m.nseg = 0;
	sp->m.error[0] = '\0';
}

static void add_seg(struct splitter *sp, const char *s, size_t n, const char id[4], int line)
{
	struct hl7_seg *g;

	/* Text between messages (a comment, a signature) is passed over; inside
	 * one it means the message was broken apart, and it is refused whole. */
	if (sp->junk_line) {
		msg_error(&sp->m, sp->junk_line, "this line is not a segment");
		sp->junk_line = 0;
	}
	if (sp->m.nseg >= HL7_SEGMENTS_MAX) {
		msg_error(&sp->m, line, "more than 4000 segments in one message");
		return;
	}
	if (sp->m.nseg == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 32;
		if (!(g = realloc(sp->m.seg, cap * sizeof *g))) {
			msg_error(&sp->m, line, "out of memory");
			return;
		}
		sp->m.seg = g;
		sp->cap = cap;
	}
	g = &sp->m.seg[sp->m.nseg++];
	g->text = s;
	g->len = n;
	memcpy(g->id, id, 4);
	g->line = line;
}

/* MSH-18 names ISO 8859-1 ("8859/1"): its bytes are Latin-1. */
static void charset_note(struct hl7_msg *m)
{
	char cs[32];

	m->latin1 = 0;
	if (hl7_get(m, 0, 18, 0, 1, 1, cs, sizeof cs) > 0 && strstr(cs, "8859/1"))
		m->latin1 = 1;
}

static void start_message(struct splitter *sp, const char *s, size_t n, int line)
{
	const char *why;
	char id[4] = "MSH";

	emit(sp);
	memset(sp->m.error, 0, sizeof sp->m.error);
	sp->m.nseg = 0;
	sp->m.line = line;
	sp->open = 1;
	if ((why = header_seps(s, n, &sp->m))) {
		msg_error(&sp->m, line, why);
		sp->m.field = '|';
		sp->m.comp = '^';
		sp->m.rep = '~';
		sp->m.esc = '\\';
		sp->m.sub = '&';
	}
	add_seg(sp, s, n, id, line);
	charset_note(&sp->m);
}

int hl7_split(const char *buf, size_t len, int (*fn)(const struct hl7_msg *m, void *ctx), void *ctx, int *junk)
{
	struct splitter sp;
	const char *p = buf, *end = buf + len;
	int line = 0, orphan_line = 0;

	memset(&sp, 0, sizeof sp);
	sp.fn = fn;
	sp.ctx = ctx;
	*junk = 0;
	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	while (p < end && !sp.stop) {
		const char *q = p;
		size_t n;
		char id[4];

		while (q < end && *q != '\r' && *q != '\n')
			q++;
		n = (size_t)(q - p);
		line++;
		/* Leading spaces are an editor's, not the sender's. */
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n && !is_blank(p, n)) {
			line_id(p, n, sp.open ? sp.m.field : '|', id);
			if (!id[0]) {
				(*junk)++;
				if (sp.open && !sp.junk_line)
					sp.junk_line = line;
			} else if (!strcmp(id, "MSH")) {
				start_message(&sp, p, n, line);
				orphan_line = 0;
			} else if (!strcmp(id, "FHS") || !strcmp(id, "BHS") || !strcmp(id, "BTS") || !strcmp(id, "FTS")) {
				emit(&sp);
			} else if (sp.open) {
				add_seg(&sp, p, n, id, line);
			} else if (!orphan_line) {
				/* Segments with no header: one refused message for the run. */
				orphan_line = line;
				sp.m.nseg = 0;
				sp.m.field = '|';
				sp.m.comp = '^';
				sp.m.rep = '~';
				sp.m.esc = '\\';
				sp.m.sub = '&';
				sp.m.latin1 = 0;
				sp.m.line = line;
				sp.open = 1;
				msg_error(&sp.m, line, "a segment comes before any MSH");
			}
		}
		p = q;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
	}
	emit(&sp);
	free(sp.m.seg);
	return sp.messages;
}

/* ---- locating a value ---------------------------------------------------------------- */

/* The piece number k (0-based) of [s, s+n) split on sep ('\0': no split:
 * only piece 0).  0 when there is no such piece. */
static int piece(const char *s, size_t n, char sep, int k, const char **out, size_t *outlen)
{
	const char *p = s, *end = s + n;

	if (!sep) {
		if (k)
			return 0;
		*out = s;
		*outlen = n;
		return 1;
	}
	for (int i = 0; i < k; i++) {
		const char *q = memchr(p, sep, (size_t)(end - p));
		if (!q)
			return 0;
		p = q + 1;
	}
	const char *q = memchr(p, sep, (size_t)(end - p));
	*out = p;
	*outlen = (size_t)((q ? q : end) - p);
	return 1;
}

/* The raw bytes of a field of segment segi; 0 when absent. */
static int raw_field(const struct hl7_msg *m, size_t segi, int field, const char **out, size_t *n)
{
	const struct hl7_seg *g;

	if (segi >= m->nseg || field < 1)
		return 0;
	g = &m->seg[segi];
	if (is_header(g->id)) {
		if (field == 1) {
			if (g->len < 4)
				return 0;
			*out = g->text + 3;
			*n = 1;
			return 1;
		}
		return g->len > 4 && piece(g->text + 4, g->len - 4, m->field, field - 2, out, n);
	}
	return piece(g->text, g->len, m->field, field, out, n);
}

int hl7_reps(const struct hl7_msg *m, size_t segi, int field)
{
	const char *f;
	size_t n;
	int reps = 1;

	if (!raw_field(m, segi, field, &f, &n) || !n)
		return 0;
	if (segi < m->nseg && is_header(m->seg[segi].id) && field <= 2)
		return 1;
	for (size_t i = 0; m->rep && i < n; i++)
		reps += f[i] == m->rep;
	return reps;
}

long hl7_find(const struct hl7_msg *m, const char *id, size_t from)
{
	for (size_t i = from; i < m->nseg; i++)
		if (!strcmp(m->seg[i].id, id))
			return (long)i;
	return -1;
}

/* ---- decoding ------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

struct outbuf {
	char *p;
	size_t cap, n;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
	/* Never split a character: a value that does not fit stops short. */
	if (o->n + n + 1 > o->cap)
		o->cap = o->n + 1;
	else {
		memcpy(o->p + o->n, s, n);
		o->n += n;
	}
}

/* Appends the bytes of raw text (already unescaped) as UTF-8. */
static void put_text(struct outbuf *o, const unsigned char *s, size_t n, int latin1)
{
	static const char replacement[] = "\xEF\xBF\xBD";

	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k;

		if (c == '\n') {
			put(o, "\n", 1);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			i++; /* control characters are no part of a value */
		} else if (c < 0x80) {
			put(o, (const char *)&s[i++], 1);
		} else if (latin1) {
			char two[2] = { (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)) };
			put(o, two, 2);
			i++;
		} else if ((k = utf8_seq(s + i, n - i))) {
			put(o, (const char *)s + i, k);
			i += k;
		} else {
			put(o, replacement, 3);
			i++;
		}
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes the escapes of [s, s+n) into raw bytes at tmp (n bytes is always
 * enough: every escape is longer than what it stands for). */
static size_t unescape(const struct hl7_msg *m, const char *s, size_t n, unsigned char *tmp)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		const char *close;
		size_t k;

		if (!m->esc || s[i] != m->esc || !(close = memchr(s + i + 1, m->esc, n - i - 1))) {
			tmp[o++] = (unsigned char)s[i];
			continue;
		}
		k = (size_t)(close - (s + i + 1));
		const char *q = s + i + 1;
		if (k == 1 && (*q == 'F' || *q == 'S' || *q == 'T' || *q == 'R' || *q == 'E')) {
			char c = *q == 'F' ? m->field : *q == 'S' ? m->comp : *q == 'T' ? m->sub : *q == 'R' ? m->rep : m->esc;
			if (c)
				tmp[o++] = (unsigned char)c;
		} else if (k == 3 && !memcmp(q, ".br", 3)) {
			tmp[o++] = '\n';
		} else if (k >= 3 && *q == 'X' && (k - 1) % 2 == 0) {
			for (size_t j = 1; j + 1 < k + 1; j += 2) {
				int hi = hexval(q[j]), lo = hexval(q[j + 1]);
				if (hi >= 0 && lo >= 0)
					tmp[o++] = (unsigned char)(hi * 16 + lo);
			}
		} else if (k >= 1 && (*q == 'H' || *q == 'N' || *q == 'Z' || *q == 'C' || *q == 'M' || *q == '.')) {
			/* highlighting, locally defined and formatting escapes carry no text */
			if (k >= 3 && !memcmp(q, ".sp", 3))
				tmp[o++] = '\n';
		} else {
			/* Not an escape folio knows: keep it as it came. */
			memcpy(tmp + o, s + i, k + 2);
			o += k + 2;
		}
		i += k + 1;
	}
	return o;
}

int hl7_get(const struct hl7_msg *m, size_t segi, int field, int rep, int comp, int sub, char *out, size_t cap)
{
	const char *f, *r, *c, *sc;
	size_t fn, rn, cn, sn;
	unsigned char stack[512], *tmp;
	struct outbuf o = { out, cap, 0 };
	size_t raw;

	if (!cap)
		return HL7_ABSENT;
	out[0] = '\0';
	if (rep < 0 || comp < 1 || sub < 1 || !raw_field(m, segi, field, &f, &fn))
		return HL7_ABSENT;
	if (segi < m->nseg && is_header(m->seg[segi].id) && field <= 2) {
		/* MSH-1 and MSH-2 are the separators themselves: never unescaped. */
		if (rep || comp > 1 || sub > 1)
			return HL7_ABSENT;
		/* a header refused for its separators still reads: only
		 * printable ASCII comes out (fuzz finding, tests/fuzz/corpus/hl7/
		 * regress-msh2-latin1) */
		for (size_t i = 0; i < fn; i++)
			if ((unsigned char)f[i] < 0x21 || (unsigned char)f[i] > 0x7e)
				return HL7_ABSENT;
		put(&o, f, fn);
		out[o.n] = '\0';
		return (int)o.n;
	}
	if (!piece(f, fn, m->rep, rep, &r, &rn) || !piece(r, rn, m->comp, comp - 1, &c, &cn) ||
	    !piece(c, cn, m->sub, sub - 1, &sc, &sn) || !sn)
		return HL7_ABSENT;
	if (sn == 2 && sc[0] == '"' && sc[1] == '"')
		return HL7_NULL;
	if (!(tmp = sn <= sizeof stack ? stack : smem_alloc(sn)))
		return HL7_ABSENT;
	raw = unescape(m, sc, sn, tmp);
	put_text(&o, tmp, raw, m->latin1);
	smem_wipe(tmp, sn);
	if (tmp != stack)
		smem_free(tmp);
	out[o.n] = '\0';
	return o.n ? (int)o.n : HL7_ABSENT;
}

/* ---- acknowledgements ------------------------------------------------------------------ */

/* Appends s with the standard separators escaped. */
static void put_escaped(struct outbuf *o, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '|' ? "\\F\\" : *s == '^' ? "\\S\\" : *s == '&' ? "\\T\\" : *s == '~' ? "\\R\\" :
				*s == '\\' ? "\\E\\" : NULL;
		if (e)
			put(o, e, 3);
		else if ((unsigned char)*s >= 0x20)
			put(o, s, 1);
	}
}

int hl7_ack(const struct hl7_msg *m, const char *code, const char *text, const char *now, char *out,
	    size_t cap)
{
	struct outbuf o = { out, cap, 0 };
	char app[64] = "", fac[64] = "", ctl[64] = "", trigger[16] = "", proc[8] = "", ver[16] = "";
	int known = m && m->nseg && !strcmp(m->seg[0].id, "MSH");

	if (known) {
		hl7_get(m, 0, 3, 0, 1, 1, app, sizeof app);
		hl7_get(m, 0, 4, 0, 1, 1, fac, sizeof fac);
		hl7_get(m, 0, 10, 0, 1, 1, ctl, sizeof ctl);
		hl7_get(m, 0, 9, 0, 2, 1, trigger, sizeof trigger);
		hl7_get(m, 0, 11, 0, 1, 1, proc, sizeof proc);
		hl7_get(m, 0, 12, 0, 1, 1, ver, sizeof ver);
	}
	put(&o, "MSH|^~\\&|FOLIO|FOLIO|", strlen("MSH|^~\\&|FOLIO|FOLIO|"));
	put_escaped(&o, app);
	put(&o, "|", 1);
	put_escaped(&o, fac);
	put(&o, "|", 1);
	put_escaped(&o, now);
	put(&o, "||ACK^", 6);
	put_escaped(&o, trigger);
	put(&o, "^ACK|ACK", 8);
	put_escaped(&o, ctl);
	put(&o, "|", 1);
	put_escaped(&o, proc[0] ? proc : "P");
	put(&o, "|", 1);
	put_escaped(&o, ver[0] ? ver : "2.5");
	put(&o, "\rMSA|", 5);
	put_escaped(&o, code);
	put(&o, "|", 1);
	put_escaped(&o, ctl);
	if (text && *text) {
		put(&o, "|", 1);
		put_escaped(&o, text);
	}
	put(&o, "\r", 1);
	if (strcmp(code, "AA") != 0) {
		const char *err = strcmp(code, "AR") == 0 ? "ERR|||200^Unsupported message type^HL70357|E||||"
							  : "ERR|||207^Application internal error^HL70357|E||||";
		put(&o, err, strlen(err));
		put_escaped(&o, text ? text : "");
		put(&o, "\r", 1);
	}
	out[o.n] = '\0';
	return o.cap < cap ? -1 : (int)o.n;
}
