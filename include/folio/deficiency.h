/* folio — completeness review (src/core/deficiency*.c): the rules a chart
 * must meet, the deficiencies found against them, their status chain with
 * who and when, aging and delinquency, the supervisor's queue and a
 * physician's inbox of deficiencies and reminders.
 *
 * When deficiencies are found: at once, in the transaction of the change
 * (hooks, not lazy evaluation).  The chart's own mutators (admit, arrive,
 * transfer, discharge, cancel, visit start/close; document create, edit,
 * sign, addend, amend, retract; coding save; vitals, allergies, NKA) call
 * the evaluator on the encounter they touch.  Why: a signed discharge
 * summary closes its deficiency in the same commit as the signature; each
 * step is stamped with the user who made it and when (a lazy reader would
 * stamp itself); the evaluation runs under a grant on that one chart with
 * its user's keys (the coding and demographics are encrypted), where a
 * lazy queue would have to open every chart, restricted ones included; and
 * a read (queue, inbox) never writes.  `check` runs the same evaluator
 * (after a rule change, or for what no mutator sees: a demographics edit).
 * What depends on the clock (due date, days overdue, delinquent) is
 * computed at each read from the stored anchor (admission, discharge or
 * visit close) and the rule's days as they stand now, so a rule edit moves
 * every open due date at once.
 *
 * Status chain (domain.md): incomplete -> dictated -> transcribed -> signed
 * -> reviewed, or -> completed (met without a signature: a code, a status,
 * a form; or closed by hand).  "withdrawn": the rule no longer applies (the
 * encounter was cancelled, the document retracted).  Open = incomplete,
 * dictated, transcribed.  Only a supervisor (ACT_DEFICIENCY_REOPEN) reopens
 * or edits a closed one; every step is an event row and audited through
 * its grant.
 *
 * Delinquent: an encounter discharged (a visit: closed) more than
 * `delinquent_days` days ago (a site setting, folio/config.h, default 30)
 * with any open deficiency.  Delinquency rate (Joint Commission) =
 * delinquent inpatient records now / average monthly inpatient discharges
 * over the last `delinquency_months` full calendar months before today
 * (default 3; the month under way is left out), against
 * `delinquency_limit_pct` (default 50).
 *
 * Structs hold no PHI except where a comment says "decrypted" (notes).
 * MRNs are chart numbers, not PHI (design.md 2).
 */
#ifndef FOLIO_DEFICIENCY_H
#define FOLIO_DEFICIENCY_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

#define DEF_NAME_MAX 40   /* user names */
#define DEF_TYPE_MAX 24   /* rule codes */
#define DEF_TITLE_MAX 64
#define DEF_NOTE_MAX 400  /* a note or reminder text, bytes */

/* ---- rules (site-editable) ------------------------------------------- */
/* Rule codes of the default set (schema/007_completeness.sql):
 *   hp                 history & physical within `days` of admission
 *   discharge-summary  discharge summary signed
 *   signature          every other document (and addendum) signed
 *   cosignature        cosigned where a cosigner is expected
 *   operative          an operative/procedure note per OR procedure coded
 *   discharge-status   UB-04 discharge status recorded
 *   coding             principal diagnosis coded and the DRG assigned
 *   visit-diagnosis    at least one diagnosis coded for a visit
 *   vitals             vitals taken at a visit
 *   allergies          allergies assessed (an allergy or NKA) at a visit
 *   demographics       patient_check() finds nothing to question */
struct deficiency_rule {
	char code[DEF_TYPE_MAX];
	char title[DEF_TITLE_MAX];
	char applies[12];         /* inpatient | visit | all */
	char anchor[12];          /* admission | discharge: what days count from */
	/* Who answers for it: "attending", "author" (of the document, else the
	 * attending), "cosigner", "coder" (whoever coded the encounter, else the
	 * coding pool), "records" (the records pool), or a user name. */
	char responsible[DEF_NAME_MAX];
	int days;                 /* allowed from the anchor */
	int short_stay;           /* 1: also for inpatient stays shorter than
				   * the site's short_stay_hours (48) */
	int active;
	int64_t row_version;
};

/* Every rule (ACT_QUEUE_VIEW, ACT_DEFICIENCY_EDIT or ACT_DEFICIENCY_RULES). */
int deficiency_rules(struct grant *g, int (*fn)(const struct deficiency_rule *, void *), void *ctx,
		     struct folio_err *e);
/* Changes one field of a rule (ACT_DEFICIENCY_RULES): "days" (0..365),
 * "responsible" (a keyword above or an existing user), "short-stay" and
 * "active" (yes/no), "title".  FOLIO_ENOTFOUND for an unknown rule,
 * FOLIO_EUSAGE for a bad field or value; nothing changes then. */
int deficiency_rule_set(struct grant *g, const char *code, const char *field, const char *value,
			struct folio_err *e) MUST_CHECK;

/* ---- deficiencies ------------------------------------------------------ */
struct deficiency_info {
	int64_t id;
	char mrn[16];
	int64_t encounter_id;
	char enc_kind[16];        /* inpatient, outpatient, emergency */
	char enc_state[16];
	char service[40];         /* the encounter's service, or its clinic */
	char attending[DEF_NAME_MAX];
	char type[DEF_TYPE_MAX];  /* rule code */
	char title[DEF_TITLE_MAX];/* rule title */
	int64_t document_id;      /* the document it is about, 0 none */
	char responsible[DEF_NAME_MAX]; /* user name; "" = the rule's pool (see role) */
	char role[DEF_NAME_MAX];  /* the rule's responsible keyword ("author") */
	int assigned;             /* 1: set by hand (assign), kept over re-evaluation */
	char status[16];          /* see the chain above */
	int open;                 /* incomplete, dictated or transcribed */
	char detail[80];          /* what is missing, without PHI ("document 12 unsigned") */
	char created[24], updated[24];
	char anchor_at[24];       /* admission or discharge/close time it ages from */
	char discharged[24];      /* "" while the encounter is open */
	char due[11];             /* YYYY-MM-DD (UTC) */
	int days_overdue;         /* 0 when not yet due or closed */
	int age_days;             /* days since discharge/close, -1 while open */
	int delinquent;           /* open, and its encounter is delinquent */
	int reminders;            /* reminders sent */
	int64_t row_version;
};

/* Evaluates every encounter of the grant's patient against the rules
 * (ACT_DEFICIENCY_EDIT), then calls fn for each of the patient's
 * deficiencies (open ones first, oldest first); all: closed ones too. */
int deficiency_check(struct grant *g, int all, int (*fn)(const struct deficiency_info *, void *), void *ctx,
		     struct folio_err *e);
/* The patient's deficiencies without evaluating (ACT_CHART_VIEW,
 * ACT_QUEUE_VIEW or ACT_DEFICIENCY_EDIT). */
int deficiency_list(struct grant *g, int all, int (*fn)(const struct deficiency_info *, void *), void *ctx,
		    struct folio_err *e);
/* The MRNs with an encounter admitted, discharged or closed (what `check
 * --all` evaluates one grant at a time) (ACT_QUEUE_VIEW, no patient). */
int deficiency_charts(struct grant *g, int (*fn)(const char *mrn, void *), void *ctx, struct folio_err *e);
/* One deficiency (any grant on its chart, or ACT_QUEUE_VIEW /
 * ACT_INBOX_VIEW without one). */
int deficiency_get(struct grant *g, int64_t id, struct deficiency_info *out, struct folio_err *e) MUST_CHECK;

/* ---- the queue (ACT_QUEUE_VIEW, no patient) ---------------------------- */
struct deficiency_filter {
	const char *physician;    /* responsible person; NULL any */
	const char *service;      /* encounter service or clinic */
	const char *type;         /* rule code */
	int delinquent;           /* only delinquent charts */
	int closed;               /* also closed deficiencies (not in the queue by default) */
};
/* Open deficiencies, most days overdue first (then oldest, then MRN). */
int deficiency_queue(struct grant *g, const struct deficiency_filter *f,
		     int (*fn)(const struct deficiency_info *, void *), void *ctx, struct folio_err *e);

struct deficiency_rate {
	int delinquent;           /* delinquent inpatient records now */
	int discharges;           /* inpatient discharges in the window */
	int months;               /* the window's full calendar months */
	char from[11], to[11];    /* the window, YYYY-MM-DD inclusive */
	double monthly;           /* discharges / months */
	double pct;               /* delinquent / monthly * 100; 0 when monthly is 0 */
	int limit_pct;
	int over;                 /* pct > limit_pct */
	int delinquent_days;
	int incomplete;           /* encounters with any open deficiency */
};
/* The rate as of now (ACT_QUEUE_VIEW, ACT_INBOX_VIEW or ACT_REPORT_RUN). */
int deficiency_rate(struct grant *g, struct deficiency_rate *out, struct folio_err *e);
/* The same as of a given time (epoch seconds): its window, and the
 * deficiencies as they stand aged to that time (a month-end report). */
int deficiency_rate_at(struct grant *g, int64_t now, struct deficiency_rate *out, struct folio_err *e);
/* The arithmetic alone: pct of delinquent over discharges/months (0 when
 * either is 0); for the fixture test and the screen. */
double deficiency_rate_pct(int delinquent, int discharges, int months);

/* ---- changes (ACT_DEFICIENCY_EDIT or ACT_DEFICIENCY_REOPEN on the
 * deficiency's chart; a closed deficiency is changed only by a role the
 * policy lets reopen, else FOLIO_EDENIED) -------------------------------- */
/* Makes user (a physician or supervisor) responsible; re-evaluation keeps
 * it (the rule's own choice no longer applies to this deficiency). */
int deficiency_assign(struct grant *g, int64_t id, const char *user, struct folio_err *e) MUST_CHECK;
/* Closes an open deficiency by hand ("completed"), with an optional note. */
int deficiency_complete(struct grant *g, int64_t id, const char *note, struct folio_err *e) MUST_CHECK;
/* signed or completed -> reviewed (the technician's check of the work; a
 * technician may do it). */
int deficiency_review(struct grant *g, int64_t id, struct folio_err *e) MUST_CHECK;
/* A closed deficiency back to incomplete, why required (ACT_DEFICIENCY_REOPEN).
 * Reopened by a person it stays open until a person closes it (complete):
 * the chart meeting the rule again does not close it. */
int deficiency_reopen(struct grant *g, int64_t id, const char *why, struct folio_err *e) MUST_CHECK;
/* A note on the deficiency (encrypted; at most DEF_NOTE_MAX bytes). */
int deficiency_note(struct grant *g, int64_t id, const char *text, struct folio_err *e) MUST_CHECK;
/* Sends the responsible person a reminder: an alert in their inbox, with
 * an optional note.  FOLIO_EUSAGE when the deficiency is closed or has no
 * one responsible. */
int deficiency_remind(struct grant *g, int64_t id, const char *note, int64_t *reminder_id,
		      struct folio_err *e) MUST_CHECK;

/* The history of one deficiency, oldest first (any grant that may get it). */
struct deficiency_event {
	int64_t id;
	char at[24];
	char by[DEF_NAME_MAX];
	char kind[16];            /* created, status, assign, note, remind, reopen, review, complete */
	char from_status[16], to_status[16];
	char to_user[DEF_NAME_MAX]; /* assign, remind: whom */
	char note[DEF_NOTE_MAX + 1]; /* decrypted; "" when none or the key is not held */
};
int deficiency_events(struct grant *g, int64_t id, int (*fn)(const struct deficiency_event *, void *),
		      void *ctx, struct folio_err *e);

/* ---- a physician's inbox (ACT_INBOX_VIEW, no patient) ------------------ */
/* A physician sees only their own; a supervisor anyone's (user NULL: the
 * signed-in user).  Rows carry the MRN and encounter. */
/* Open deficiencies the user is responsible for, oldest first (by due date,
 * then id). */
int deficiency_inbox(struct grant *g, const char *user, int (*fn)(const struct deficiency_info *, void *),
		     void *ctx, struct folio_err *e);

/* An inbox alert: a reminder sent to the user about a deficiency. */
struct reminder_info {
	int64_t id;               /* the event's id */
	int64_t deficiency_id;
	char mrn[16];
	int64_t encounter_id;
	char type[DEF_TYPE_MAX];
	char title[DEF_TITLE_MAX];
	char from[DEF_NAME_MAX];
	char at[24];
	char note[DEF_NOTE_MAX + 1]; /* decrypted; "" when none */
	int open;                 /* the deficiency is still open */
};
/* Reminders sent to the user, newest first (each says whether its
 * deficiency is still open). */
int deficiency_reminders(struct grant *g, const char *user, int (*fn)(const struct reminder_info *, void *),
			 void *ctx, struct folio_err *e);

/* ---- names ------------------------------------------------------------ */
/* 1 for incomplete, dictated, transcribed. */
int deficiency_status_open(const char *status);

#endif
