/* folio — compiling the grouper's boolean formulas (drg_formulas_v430.tsv,
 * hac_v430.tsv) to postfix code over interned keys, once at load time.
 *
 * Grammar: expr = term {'|' term}; term = factor {'&' factor};
 * factor = '~' factor | '(' expr ')' | operand.  An operand is a name,
 * optionally prefixed PDX:, SDX:, ANY: or ONLY:.  Bare MCC and CC are the
 * claim's severity rather than attributes. */
#include <stdio.h>
#include <string.h>

#include "drg_internal.h"

struct fparse {
	struct drg_formula_ctx *ctx;
	const char *p;
	uint16_t *out;
	size_t n, cap;
	int depth;
	int failed;
};

static void fail(struct fparse *f, const char *what)
{
	if (!f->failed)
		snprintf(f->ctx->err, sizeof f->ctx->err, "%s near '%.20s'", what, f->p);
	f->failed = 1;
}

static void emit(struct fparse *f, uint16_t op)
{
	if (f->n >= f->cap) {
		fail(f, "formula too long");
		return;
	}
	f->out[f->n++] = op;
}

static void skip_space(struct fparse *f)
{
	while (*f->p == ' ' || *f->p == '\t')
		f->p++;
}

static int is_name_char(char c)
{
	return c && !strchr(" \t()&|~", c);
}

static void parse_level(struct fparse *f, int level);

static void parse_operand(struct fparse *f)
{
	const char *s = f->p, *colon = NULL;
	int prefix = PFX_BARE;

	while (is_name_char(*f->p)) {
		if (*f->p == ':' && !colon)
			colon = f->p;
		f->p++;
	}
	if (f->p == s) {
		fail(f, "operand expected");
		return;
	}
	if (colon) {
		size_t pl = (size_t)(colon - s);
		static const char *const names[] = { "", "PDX", "SDX", "ANY", "ONLY" };
		prefix = -1;
		for (int i = PFX_PDX; i < PFX_COUNT; i++)
			if (strlen(names[i]) == pl && memcmp(names[i], s, pl) == 0)
				prefix = i;
		if (prefix < 0) {
			fail(f, "unknown operand prefix");
			return;
		}
		s = colon + 1;
	}
	size_t len = (size_t)(f->p - s);
	if (len == 0) {
		fail(f, "empty operand");
		return;
	}
	if (prefix == PFX_BARE && len == 3 && memcmp(s, "MCC", 3) == 0) {
		emit(f, OP_MCC);
		return;
	}
	if (prefix == PFX_BARE && len == 2 && memcmp(s, "CC", 2) == 0) {
		emit(f, OP_CC);
		return;
	}
	int k = f->ctx->key(f->ctx->user, prefix, s, len);
	if (k < 0 || k > OP_KEY_MAX) {
		fail(f, "too many operands");
		return;
	}
	emit(f, (uint16_t)k);
}

static void parse_factor(struct fparse *f)
{
	if (f->failed)
		return;
	if (++f->depth > 200) {
		fail(f, "formula nested too deeply");
		return;
	}
	skip_space(f);
	if (*f->p == '~') {
		f->p++;
		parse_factor(f);
		emit(f, OP_NOT);
	} else if (*f->p == '(') {
		f->p++;
		parse_level(f, 0);
		skip_space(f);
		if (*f->p != ')')
			fail(f, "')' expected");
		else
			f->p++;
	} else {
		parse_operand(f);
	}
	f->depth--;
}

/* level 0: terms joined by '|'; level 1: factors joined by '&' (which
 * binds tighter). */
static void parse_level(struct fparse *f, int level)
{
	static const char sym[] = { '|', '&' };
	static const uint16_t op[] = { OP_OR, OP_AND };

	for (int first = 1;; first = 0) {
		if (!first) {
			skip_space(f);
			if (f->failed || *f->p != sym[level])
				return;
			f->p++;
		}
		if (level)
			parse_factor(f);
		else
			parse_level(f, 1);
		if (!first)
			emit(f, op[level]);
	}
}

int drg_formula_compile(struct drg_formula_ctx *ctx, const char *text, uint16_t *out, size_t cap)
{
	struct fparse f = { .ctx = ctx, .p = text, .out = out, .cap = cap };

	ctx->err[0] = 0;
	parse_level(&f, 0);
	skip_space(&f);
	if (!f.failed && *f.p)
		fail(&f, "unexpected text");
	if (!f.failed && drg_formula_check(out, f.n, OP_KEY_MAX + 1) != 0)
		fail(&f, "formula deeper than the evaluator allows");
	return f.failed ? -1 : (int)f.n;
}

int drg_formula_check(const uint16_t *code, size_t n, uint32_t nkeys)
{
	int depth = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t op = code[i];
		if (op == OP_AND || op == OP_OR) {
			if (depth < 2)
				return -1;
			depth--;
		} else if (op == OP_NOT) {
			if (depth < 1)
				return -1;
		} else if (op == OP_MCC || op == OP_CC || op < nkeys) {
			if (++depth > DRG_STACK_MAX)
				return -1;
		} else {
			return -1;
		}
	}
	return depth == 1 ? 0 : -1;
}
