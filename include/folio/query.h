/* folio — physician queries (src/core/query*.c): a coder asks the physician
 * to clarify the documentation of an encounter, in the form AHIMA/ACDIS
 * compliant practice (2022) allows, and the answer goes into the record as
 * a signed addendum.
 *
 *   open --answer--> answered --close--> closed
 *   open --withdraw--> withdrawn
 *   open is shown as "escalated" from its escalation date on (worked out
 *   when read, nothing is stored), and as overdue after its due date.
 *
 * Rules kept here, whichever front end asks:
 *  - a query cites at least one clinical indicator from the record;
 *  - multiple choice offers at least two clinically reasonable options AND
 *    "Other" AND "Clinically undetermined" (refused without them);
 *  - yes/no only in the cases domain.md allows (QUERY_YESNO_CASES): to
 *    confirm what is documented, present-on-admission status, a
 *    cause-and-effect link, or to resolve conflicting documentation — never
 *    to bring in a diagnosis the record does not hold;
 *  - no query mentions payment, DRGs or quality scores;
 *  - it goes to a physician's account, with a due date and an escalation
 *    date (defaults: the site settings query_due_days, query_escalate_days).
 *
 * The question, indicators, options, answer and withdrawal reason are PHI:
 * sealed under the clinical key (AD queries.COLUMN:ID).  Plain are only the
 * status, who, when, the encounter and the patient.  Calls on one query run
 * under a grant on its chart (grant_mrn); lists across charts (an inbox,
 * the overdue list) take a grant with no patient and return plain facts
 * only.  Dates are "YYYY-MM-DD" (UTC days, as date_today()).
 */
#ifndef FOLIO_QUERY_H
#define FOLIO_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

#define QUERY_QUESTION_MAX 1000  /* bytes of the question */
#define QUERY_LINE_MAX 300       /* bytes of one indicator or option */
#define QUERY_ANSWER_MAX 2000    /* bytes of a free-text answer or a comment */
#define QUERY_INDICATORS_MAX 20
#define QUERY_OPTIONS_MAX 10     /* including Other and Clinically undetermined */

/* The two options every multiple-choice (and yes/no) query offers. */
#define QUERY_OPTION_OTHER "Other"
#define QUERY_OPTION_UNDETERMINED "Clinically undetermined"

enum query_format { QUERY_OPEN, QUERY_CHOICE, QUERY_YESNO, QUERY_FORMATS };
/* "open", "multiple-choice", "yes-no". */
const char *query_format_name(enum query_format f);
/* -1 when unknown. */
int query_format_parse(const char *name);

/* When a yes/no query is allowed: code, what it covers. */
#define QUERY_YESNO_CASES(_) \
	_(DOCUMENTED, "documented", "confirm a diagnosis or fact already documented in the record") \
	_(POA,        "poa",        "present-on-admission status of a documented condition") \
	_(CAUSE,      "cause",      "a cause-and-effect link between documented conditions") \
	_(CONFLICT,   "conflict",   "resolve conflicting documentation in the record")

enum query_yesno_case {
#define QUERY_YESNO_ENUM(id, code, help) QUERY_YN_##id,
	QUERY_YESNO_CASES(QUERY_YESNO_ENUM)
#undef QUERY_YESNO_ENUM
	QUERY_YN_COUNT
};
const char *query_yesno_code(int c);  /* "poa"; NULL past the end */
const char *query_yesno_help(int c);
int query_yesno_parse(const char *code); /* -1 when not one */

/* A new query (what the coder gives). */
struct query_new {
	int64_t encounter_id;
	const char *to;                  /* the physician's user name */
	enum query_format format;
	const char *yesno_case;          /* yes-no: a QUERY_YESNO_CASES code */
	const char *question;
	const char *const *indicators;   /* quoted from the record */
	size_t n_indicators;
	const char *const *options;      /* multiple-choice only */
	size_t n_options;
	const char *due, *escalate;      /* YYYY-MM-DD; NULL: the site's defaults */
};

/* The plain facts of a query: no PHI. */
struct query_info {
	int64_t id, encounter_id;
	char mrn[16];
	enum query_format format;
	char yesno_case[16];             /* "" unless yes-no */
	char status[12];                 /* open, escalated, answered, withdrawn, closed */
	char to[40], from[40];
	char created[24];                /* UTC time */
	char due[11], escalate[11];      /* dates */
	int days_overdue;                /* open/escalated past due: days since due, else 0 */
	char answered_at[24], answered_by[40];
	int64_t addendum_id;             /* the signed answer in the record, 0 before */
	char ended_at[24], ended_by[40]; /* withdrawn or closed: when, by whom */
	int64_t row_version;
};

/* The text of a query (PHI): one guarded block, free with query_text_free(). */
struct query_text {
	const char *question;
	const char *indicators[QUERY_INDICATORS_MAX];
	size_t n_indicators;
	const char *options[QUERY_OPTIONS_MAX];  /* multiple-choice and yes-no */
	size_t n_options;
	int answer_option;               /* 1-based option picked, 0 when none */
	const char *answer;              /* free text ("" when none) */
	const char *comment;             /* "" when none */
	const char *withdraw_reason;     /* "" when none */
};
void query_text_free(struct query_text *t);

/* The physician's answer. */
struct query_reply {
	int option;                      /* 1-based; 0: free text only (open) */
	const char *text;                /* open: the answer; "Other": what */
	const char *comment;             /* optional */
};

/* The due and escalation dates a new query gets when none are given. */
int query_default_dates(struct grant *g, char due[11], char escalate[11], struct folio_err *e);

/* Raises a query on an encounter of the grant's chart (ACT_QUERY_SEND).
 * FOLIO_EUSAGE with the rule broken (never the text) when refused. */
int query_create(struct grant *g, const struct query_new *q, int64_t *id, struct folio_err *e) MUST_CHECK;

/* Answers query id (ACT_QUERY_ANSWER, by the physician it was sent to),
 * signed with their signature code: the answer is filed as an addendum to
 * the encounter's discharge summary, else its latest signed document, else
 * as a new progress note on the encounter, and signed at once (the same
 * signature as document_sign).  *document_id gets the addendum (or note);
 * the query keeps it and becomes "answered".  Nothing is kept when the
 * code is wrong (FOLIO_EDENIED). */
int query_answer(struct grant *g, int64_t id, const struct query_reply *r, const char *code, size_t codelen,
		 int64_t *document_id, struct folio_err *e) MUST_CHECK;
/* Withdraws an open query (ACT_QUERY_SEND), with a reason (sealed). */
int query_withdraw(struct grant *g, int64_t id, const char *reason, struct folio_err *e) MUST_CHECK;
/* Closes an answered query once the coder has reviewed the answer
 * (ACT_QUERY_SEND). */
int query_close(struct grant *g, int64_t id, struct folio_err *e) MUST_CHECK;

/* One query of the grant's chart: facts, and when text is not NULL its
 * text (ACT_CHART_VIEW, ACT_QUERY_SEND or ACT_QUERY_ANSWER). */
int query_get(struct grant *g, int64_t id, struct query_info *info, struct query_text **text,
	      struct folio_err *e) MUST_CHECK;

/* Which queries a list wants; zero/NULL fields do not filter. */
struct query_filter {
	const char *to;                  /* addressed to this physician */
	const char *from;                /* raised by this user */
	const char *status;              /* open, escalated, answered, withdrawn, closed,
	                                    "pending" (open or escalated), "all" */
	int64_t encounter_id;
	int overdue;                     /* only those past due */
};
/* Queries, oldest first (most overdue first with f->overdue): of the
 * grant's chart when it names one (ACT_CHART_VIEW), else across charts
 * (ACT_QUERY_SEND, ACT_INBOX_VIEW, ACT_QUEUE_VIEW).  A physician sees only
 * the queries sent to them.  fn returning non-zero stops the walk. */
int query_list(struct grant *g, const struct query_filter *f, int (*fn)(const struct query_info *, void *),
	       void *ctx, struct folio_err *e);
/* The pending (open or escalated) queries to a physician, oldest first: the
 * query half of their inbox (ACT_INBOX_VIEW; a physician: their own). */
int query_inbox(struct grant *g, const char *physician, int (*fn)(const struct query_info *, void *), void *ctx,
		struct folio_err *e);
/* Pending queries past their due date, most overdue first, for the
 * supervisor's queue (a grant with no chart: ACT_QUEUE_VIEW, ACT_QUERY_SEND
 * or ACT_INBOX_VIEW); physician NULL for all. */
int query_overdue(struct grant *g, const char *physician, int (*fn)(const struct query_info *, void *),
		  void *ctx, struct folio_err *e);

/* (The chart of a query number: access_object_mrn(session, "query", id).) */

/* Lines of the record a coder may quote as indicators for encounter enc of
 * the grant's chart (ACT_CHART_VIEW): its results, vitals and problems
 * (the patient's active ones), then the lines of its documents the user
 * can read, each after the document's title and number ("Discharge
 * summary 12: ...").  fn gets each line (PHI, valid only during the call)
 * and where it comes from ("result", "vitals", "problem", "document 12");
 * non-zero stops. */
int query_indicator_lines(struct grant *g, int64_t enc, int (*fn)(const char *line, const char *source, void *),
			  void *ctx, struct folio_err *e);

#endif
