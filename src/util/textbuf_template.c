/* folio — the heading templates a new document starts from, one per
 * document type.  Headings follow the usual sections of each report, each
 * followed by an empty line to type into. */
#include <string.h>

#include "folio/textbuf.h"

#define H(s) s ":\n\n\n"

static const struct {
	const char *type;
	const char *text;
} templates[] = {
	{ "hp", H("Chief complaint") H("History of present illness") H("Past medical history")
		H("Medications") H("Allergies") H("Social history") H("Family history")
		H("Review of systems") H("Physical examination") H("Assessment") H("Plan") },
	{ "progress", H("Subjective") H("Objective") H("Assessment") H("Plan") },
	{ "consult", H("Reason for consultation") H("History") H("Examination") H("Impression")
		H("Recommendations") },
	{ "operative", H("Preoperative diagnosis") H("Postoperative diagnosis") H("Procedure")
		H("Surgeon") H("Assistant") H("Anesthesia") H("Findings") H("Specimens")
		H("Estimated blood loss") H("Complications") H("Description of procedure") },
	{ "procedure", H("Procedure") H("Indication") H("Consent") H("Operator") H("Anesthesia")
		H("Description") H("Findings") H("Specimens") H("Estimated blood loss")
		H("Complications") H("Disposition") },
	{ "discharge", H("Admission date") H("Discharge date") H("Admitting diagnosis")
		H("Discharge diagnoses") H("Hospital course") H("Procedures")
		H("Condition at discharge") H("Discharge medications") H("Instructions")
		H("Follow-up") },
	{ "letter", "Date:\n\nTo:\n\nRe:\n\n\nDear ,\n\n\n\nSincerely,\n\n" },
	{ "other", "" },
	/* Process notes, kept apart from the record: few headings on purpose. */
	{ "psychotherapy", H("Session") H("Content") H("Observations") H("Plan") },
	{ "substance", H("Reason for visit") H("Substance use history") H("Current use")
		H("Withdrawal and risk assessment") H("Assessment") H("Treatment plan") },
};

const char *textbuf_template(const char *doc_type)
{
	if (!doc_type)
		return NULL;
	for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
		if (strcmp(templates[i].type, doc_type) == 0)
			return templates[i].text;
	return NULL;
}
