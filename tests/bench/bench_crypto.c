/* folio bench: the costs every screen pays for encryption — sealing and
 * opening a field, computing a blind-index tag, and deriving the
 * key-encryption key at sign-in — each beside a baseline timed in the same
 * run: the same bytes moved with memcpy, an unkeyed FNV-1a hash, and the
 * KDF at its minimum (test) limits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "folio/crypto.h"
#include "folio/smem.h"

#define RUN_SECONDS 0.2

static void die(const char *what, const struct folio_err *e)
{
	fprintf(stderr, "bench_crypto: %s: %s\n", what, e ? e->msg : "failed");
	exit(1);
}

/* ---- rows --------------------------------------------------------------- */

static void header(void)
{
	printf("%-34s %-14s %9s %9s %10s  %s\n", "operation", "data", "ops/s", "MB/s", "time/op",
	       "cost vs baseline");
}

/* One table row.  bytes 0 leaves MB/s blank (the KDF moves no payload);
 * base 0 marks a baseline row itself. */
static void row(const char *what, const char *data, size_t bytes, double sec, double base)
{
	char rate[16], mbs[16], t[16], ratio[32] = "";

	bench_fmt_rate(1.0 / sec, rate, sizeof rate);
	if (bytes)
		snprintf(mbs, sizeof mbs, "%.1f", (double)bytes / sec / 1e6);
	else
		snprintf(mbs, sizeof mbs, "-");
	if (base > 0)
		snprintf(ratio, sizeof ratio, sec / base >= 100 ? "  %.0fx" : "  %.1fx", sec / base);
	printf("%-34s %-14s %9s %9s %10s%s\n", what, data, rate, mbs,
	       bench_fmt_time(sec, t, sizeof t), ratio);
}

/* ---- field_seal + field_open vs memcpy ------------------------------------ */

struct field_ctx {
	const struct keyring *kr;
	const uint8_t *pt;
	size_t len;
	uint8_t *env; /* len + ENVELOPE_OVERHEAD */
	uint8_t *out; /* len, smem as the real callers use for plaintext */
};

static void run_field(void *p, long iters)
{
	struct field_ctx *c = p;
	struct folio_err e;
	size_t envlen, outlen;

	for (long i = 0; i < iters; i++) {
		if (field_seal(c->kr, KC_CLINICAL, "notes.body:42", c->pt, c->len, c->env,
			       c->len + ENVELOPE_OVERHEAD, &envlen, &e) != FOLIO_OK)
			die("field_seal", &e);
		if (field_open(c->kr, "notes.body:42", c->env, envlen, c->out, c->len, &outlen, &e) !=
		    FOLIO_OK)
			die("field_open", &e);
	}
}

/* The data movement of a seal and an open without the cipher: into the
 * envelope buffer and back out. */
static void run_memcpy(void *p, long iters)
{
	struct field_ctx *c = p;

	for (long i = 0; i < iters; i++) {
		memcpy(c->env + ENVELOPE_HEADER, c->pt, c->len);
		BENCH_CLOBBER(c->env);
		memcpy(c->out, c->env + ENVELOPE_HEADER, c->len);
		BENCH_CLOBBER(c->out);
	}
}

static void bench_field(const struct keyring *kr, size_t len, const char *data)
{
	struct field_ctx c = { kr, NULL, len, NULL, NULL };
	uint8_t *pt = malloc(len);
	double sec, base;

	c.env = malloc(len + ENVELOPE_OVERHEAD);
	c.out = smem_alloc(len);
	if (!pt || !c.env || !c.out)
		die("out of memory", NULL);
	crypto_random(pt, len);
	c.pt = pt;
	base = bench_measure(run_memcpy, &c, RUN_SECONDS, 1L << 40, NULL);
	sec = bench_measure(run_field, &c, RUN_SECONDS, 1L << 40, NULL);
	row("field_seal + field_open", data, len, sec, base);
	row("  baseline: memcpy in + out", data, len, base, 0);
	smem_free(c.out);
	free(c.env);
	free(pt);
}

/* ---- blind_tag vs FNV-1a ---------------------------------------------------- */

struct tag_ctx {
	const struct keyring *kr;
	const char *val;
	size_t len;
	uint32_t sink;
};

static void run_blind(void *p, long iters)
{
	struct tag_ctx *c = p;
	struct folio_err e;
	uint32_t tag;

	for (long i = 0; i < iters; i++) {
		if (blind_tag(c->kr, 1, c->val, c->len, 16, &tag, &e) != FOLIO_OK)
			die("blind_tag", &e);
		c->sink ^= tag;
	}
}

/* 32-bit FNV-1a truncated to the same 16 bits: the cheapest hash an index
 * could use if its tags did not have to be secret. */
static void run_fnv(void *p, long iters)
{
	struct tag_ctx *c = p;

	for (long i = 0; i < iters; i++) {
		const unsigned char *s = (const unsigned char *)c->val;
		uint32_t h = 2166136261u;
		BENCH_CLOBBER(s);
		for (size_t k = 0; k < c->len; k++) {
			h ^= s[k];
			h *= 16777619u;
		}
		c->sink ^= h >> 16;
	}
}

static void bench_blind(const struct keyring *kr)
{
	struct tag_ctx c = { kr, "LOVELACE", 8, 0 };
	double sec, base;

	base = bench_measure(run_fnv, &c, RUN_SECONDS, 1L << 40, NULL);
	sec = bench_measure(run_blind, &c, RUN_SECONDS, 1L << 40, NULL);
	row("blind_tag (16-bit, keyed BLAKE2b)", "8 B surname", c.len, sec, base);
	row("  baseline: FNV-1a 32, unkeyed", "8 B surname", c.len, base, 0);
	if (c.sink == 0xFFFFFFFFu)
		putchar(' '); /* reads the sink so neither loop is dead code */
}

/* ---- kek_from_password: INTERACTIVE vs FAST_TEST ------------------------------ */

struct kdf_ctx {
	struct kdf_params p;
};

static void run_kdf(void *p, long iters)
{
	static const char pw[] = "correct horse battery"; /* 21 bytes */
	struct kdf_ctx *c = p;
	struct folio_err e;
	struct kek *k;

	for (long i = 0; i < iters; i++) {
		if (kek_from_password(pw, sizeof pw - 1, &c->p, &k, &e) != FOLIO_OK)
			die("kek_from_password", &e);
		kek_free(k);
	}
}

static void bench_kdf(void)
{
	struct kdf_ctx fast, slow;
	char dslow[32], dfast[32];
	double sec, base;

	kdf_params_new(&fast.p, KDF_FAST_TEST);
	kdf_params_new(&slow.p, KDF_INTERACTIVE);
	snprintf(dfast, sizeof dfast, "%llu KiB, %llu pass",
		 (unsigned long long)(fast.p.mem >> 10), (unsigned long long)fast.p.ops);
	snprintf(dslow, sizeof dslow, "%llu MiB, %llu pass",
		 (unsigned long long)(slow.p.mem >> 20), (unsigned long long)slow.p.ops);
	base = bench_measure(run_kdf, &fast, RUN_SECONDS, 1L << 30, NULL);
	/* Tens of milliseconds each: a short batch is already far above the
	 * clock's resolution, and 5 runs bound the whole row to a few seconds. */
	sec = bench_measure(run_kdf, &slow, 0.3, 8, NULL);
	row("kek_from_password INTERACTIVE", dslow, 0, sec, base);
	row("  baseline: KDF_FAST_TEST", dfast, 0, base, 0);
}

int main(void)
{
	struct keyring *kr;
	double t0 = bench_now();

	if (smem_init() != 0)
		die("smem_init", NULL);
	kr = keyring_new();
	if (!kr || keyring_generate(kr, KC_CLINICAL, 1) != 0 || keyring_generate(kr, KC_INDEX, 1) != 0)
		die("keyring", NULL);

	printf("\nfolio bench: crypto (libsodium %s; XChaCha20-Poly1305, Argon2id)\n",
	       crypto_library_version());
	printf("each figure: median of %d timed batches of >= %.1f s; MB = 10^6 plaintext bytes;\n"
	       "seal+open counts one op per round trip; password 21 bytes\n\n", BENCH_RUNS, RUN_SECONDS);
	header();
	bench_field(kr, 64, "64 B (name)");
	bench_field(kr, 4096, "4 KiB (note)");
	bench_blind(kr);
	bench_kdf();
	printf("\n(bench_crypto took %.1f s)\n", bench_now() - t0);
	keyring_free(kr);
	return 0;
}
