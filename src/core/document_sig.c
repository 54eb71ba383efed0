/* folio — electronic signatures on documents: what a signature covers, and
 * the check of every signature in the file.
 *
 * A signature is Ed25519 over a canonical text (one "name=value" line per
 * fact, fixed order): the document, its patient's MRN, encounter, type,
 * author, version, addendum/amendment links, the signer, their role, the
 * time, the key, and the BLAKE2b-256 of the body's plaintext.  Changing any
 * of those columns, the ciphertext, or the signature row is caught. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "core_internal.h"
#include "folio/smem.h"

#define SIG_MESSAGE_MAX 1024

struct sig_facts {
	int64_t document_id, encounter_id, parent_id, supersedes_id, key_id;
	const char *mrn, *type, *author, *role, *signer, *signed_at;
	int version;
	uint8_t body_hash[HASH_BYTES];
};

/* The canonical text; -1 when it does not fit (it always does for valid
 * rows: names and codes are short). */
static int sig_message(const struct sig_facts *f, char *out, size_t cap)
{
	char hex[2 * HASH_BYTES + 1];
	int n;

	crypto_hex(f->body_hash, HASH_BYTES, hex);
	n = snprintf(out, cap,
		     "folio-signature-v1\n"
		     "document=%" PRId64 "\nmrn=%s\nencounter=%" PRId64 "\ntype=%s\nauthor=%s\nversion=%d\n"
		     "parent=%" PRId64 "\nsupersedes=%" PRId64 "\nrole=%s\nsigner=%s\nsigned_at=%s\nkey=%" PRId64
		     "\nbody=%s\n",
		     f->document_id, f->mrn, f->encounter_id, f->type, f->author, f->version, f->parent_id,
		     f->supersedes_id, f->role, f->signer, f->signed_at, f->key_id, hex);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

static void facts_of(const struct doc_row *d, struct sig_facts *f)
{
	memset(f, 0, sizeof *f);
	f->document_id = d->info.id;
	f->encounter_id = d->info.encounter_id;
	f->parent_id = d->info.parent_id;
	f->supersedes_id = d->info.supersedes_id;
	f->version = d->info.version;
	f->mrn = d->mrn;
	f->type = doc_type_code(d->info.type);
	f->author = d->info.author;
}

int doc_signature_add(struct grant *g, const struct doc_row *d, const char *role, const char *code,
		      size_t codelen, struct folio_err *e)
{
	struct signer *sg = NULL;
	uint8_t sig[SIGNATURE_BYTES];
	char msg[SIG_MESSAGE_MAX], now[24];
	struct sig_facts f;
	struct stmt *s;
	char *text = NULL;
	size_t len = 0;
	int rc, n;

	facts_of(d, &f);
	if ((rc = doc_open_from(g, "documents", "body", d->info.id, &text, &len, e)))
		return rc;
	if (!text)
		return err_set(e, FOLIO_EUSAGE, "document %" PRId64 " has no text to sign", d->info.id);
	crypto_digest(text, len, f.body_hash);
	smem_free(text);
	if ((rc = grant_signer(g, code, codelen, &sg, &f.key_id, e)))
		return rc;
	time_utc_now(now, sizeof now);
	f.role = role;
	f.signer = session_user(grant_session(g));
	f.signed_at = now;
	if ((n = sig_message(&f, msg, sizeof msg)) < 0) {
		signer_free(sg);
		return err_set(e, FOLIO_EFAIL, "document %" PRId64 ": signature text too long", d->info.id);
	}
	signer_sign(sg, msg, (size_t)n, sig);
	signer_free(sg);
	if ((rc = stmt_prepare(grant_store(g), "INSERT INTO signatures (document_id, role, signer, key_id, signed_at,"
				   " body_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, e)))
		return rc;
	stmt_bind_int64(s, 1, d->info.id);
	stmt_bind_text(s, 2, role);
	stmt_bind_text(s, 3, f.signer);
	stmt_bind_int64(s, 4, f.key_id);
	stmt_bind_text(s, 5, now);
	stmt_bind_blob(s, 6, f.body_hash, HASH_BYTES);
	stmt_bind_blob(s, 7, sig, sizeof sig);
	rc = stmt_step(s, e);
	stmt_finalize(s);
	return rc == STMT_DONE ? FOLIO_OK : rc;
}

struct verify_run {
	int (*fn)(int64_t id, const char *mrn, const char *why, void *);
	void *ctx;
	size_t checked, unreadable, failed;
};

static void blob32(struct stmt *s, int col, uint8_t *out, size_t want, int *ok)
{
	size_t n = 0;
	const void *b = stmt_is_null(s, col) ? NULL : stmt_blob(s, col, &n);

	if (b && n == want)
		memcpy(out, b, n);
	else
		*ok = 0;
}

/* Checks one signature row (the query in document_verify_all). */
static const char *verify_one(struct grant *g, struct stmt *s, struct doc_row *d, struct folio_err *e)
{
	uint8_t pk[SIGN_PUBLIC_BYTES], sig[SIGNATURE_BYTES], stored[HASH_BYTES];
	char msg[SIG_MESSAGE_MAX], role[16], signer[40], at[24];
	struct sig_facts f;
	char *text = NULL;
	size_t len = 0;
	int ok = 1, n;

	str_copy(role, sizeof role, stmt_text(s, 1));
	str_copy(signer, sizeof signer, stmt_text(s, 2));
	str_copy(at, sizeof at, stmt_text(s, 4));
	blob32(s, 5, stored, HASH_BYTES, &ok);
	blob32(s, 6, sig, SIGNATURE_BYTES, &ok);
	blob32(s, 7, pk, SIGN_PUBLIC_BYTES, &ok);
	if (!ok)
		return "its signature row is damaged";
	if (stmt_is_null(s, 8) || strcmp(stmt_text(s, 8), signer) != 0)
		return "the signer named is not the owner of the signing key";
	if (doc_load(g, d->info.id, 1, d, e) != FOLIO_OK)
		return "its document row is missing";
	facts_of(d, &f);
	f.key_id = stmt_int64(s, 3);
	f.role = role;
	f.signer = signer;
	f.signed_at = at;
	if (doc_open_from(g, "documents", "body", d->info.id, &text, &len, e) != FOLIO_OK)
		return e->code == FOLIO_EDENIED ? NULL : "its text does not decrypt: the stored text was altered";
	if (!text)
		return "its text was removed after signing";
	crypto_digest(text, len, f.body_hash);
	smem_free(text);
	if (memcmp(f.body_hash, stored, HASH_BYTES) != 0)
		return "its text is not the text that was signed";
	if ((n = sig_message(&f, msg, sizeof msg)) < 0 || signature_check(pk, msg, (size_t)n, sig) != 0)
		return "the signature does not match the document's facts (author, patient, type, time ...)";
	return "";
}

int document_verify_all(struct grant *g, int (*fn)(int64_t id, const char *mrn, const char *why, void *),
			void *ctx, size_t *checked, size_t *unreadable, struct folio_err *e)
{
	struct verify_run run = { fn, ctx, 0, 0, 0 };
	struct doc_row *d;
	struct stmt *s;
	int rc;

	if (grant_action(g) != ACT_NOTE_VERIFY)
		return err_set(e, FOLIO_EDENIED, "note.verify needs its own grant");
	if (!(d = malloc(sizeof *d)))
		return err_set(e, FOLIO_EFAIL, "out of memory");
	if ((rc = stmt_prepare(grant_store(g),
			       "SELECT s.document_id, s.role, s.signer, s.key_id, s.signed_at, s.body_hash, s.signature,"
			       " k.public_key, u.name, (SELECT p.mrn FROM documents d JOIN patients p ON"
			       " p.id = d.patient_id WHERE d.id = s.document_id)"
			       " FROM signatures s LEFT JOIN signing_keys k ON k.id = s.key_id"
			       " LEFT JOIN users u ON u.id = k.user_id ORDER BY s.document_id, s.id", &s, e))) {
		free(d);
		return rc;
	}
	while ((rc = stmt_step(s, e)) == STMT_ROW) {
		struct folio_err e2 = { 0 };
		const char *why;
		char mrn[16];

		memset(d, 0, sizeof *d);
		d->info.id = stmt_int64(s, 0);
		str_copy(mrn, sizeof mrn, stmt_is_null(s, 9) ? "" : stmt_text(s, 9));
		why = verify_one(g, s, d, &e2);
		if (!why) {
			run.unreadable++;
		} else if (!*why) {
			run.checked++;
		} else {
			run.failed++;
			if (fn && fn(d->info.id, mrn, why, ctx))
				break;
		}
	}
	stmt_finalize(s);
	if (rc != STMT_ROW && rc != STMT_DONE) {
		free(d);
		return rc;
	}
	/* A document that claims a signature it does not have. */
	rc = stmt_prepare(grant_store(g), "SELECT d.id, p.mrn FROM documents d JOIN patients p ON p.id = d.patient_id"
					  " WHERE d.status IN ('uncosigned', 'completed', 'amended') AND NOT EXISTS"
					  " (SELECT 1 FROM signatures s WHERE s.document_id = d.id) ORDER BY d.id", &s, e);
	if (rc == FOLIO_OK) {
		while ((rc = stmt_step(s, e)) == STMT_ROW) {
			run.failed++;
			if (fn && fn(stmt_int64(s, 0), stmt_text(s, 1), "it is marked signed but has no signature",
				     ctx))
				break;
		}
		stmt_finalize(s);
		if (rc == STMT_ROW || rc == STMT_DONE)
			rc = FOLIO_OK;
	}
	free(d);
	*checked = run.checked;
	*unreadable = run.unreadable;
	if (rc == FOLIO_OK && run.failed)
		return err_set(e, FOLIO_EFAIL, "%zu document signature%s failed the check", run.failed,
			       run.failed == 1 ? "" : "s");
	return rc;
}
