/* folio — what the demo database's two halves share: demo.c registers the
 * patients and picks whose chart to fill, demo_chart.c fills them. */
#ifndef FOLIO_DEMO_INTERNAL_H
#define FOLIO_DEMO_INTERNAL_H

#include <stddef.h>

#include "folio/access.h"
#include "folio/patient.h"

/* What a demo chart shows.  Each fixed patient shows one part of the chart
 * (the demonstration and the tests rely on it); synthetic patients get a
 * story picked by their number and age. */
enum demo_story {
	DEMO_STORY_NONE,      /* no chart */
	DEMO_STORY_HEART,     /* heart failure: admission with a transfer, a consult letter */
	DEMO_STORY_DIABETES,  /* visits and a discharged admission, signed notes, an addendum */
	DEMO_STORY_ASTHMA,    /* an emergency visit, food allergies */
	DEMO_STORY_WELL,      /* a healthy adult: one visit, no known allergies */
	DEMO_STORY_MOOD,      /* depression: a psychotherapy note (sensitive key) */
	DEMO_STORY_ADMITTED,  /* in hospital now: notes awaiting signature */
	DEMO_STORY_TEST,      /* the TEST patient: a cancelled admission, allergies not assessed */
	DEMO_STORY_SYNTHETIC,
};

/* Synthetic patients with a chart: every DEMO_CHART_EVERY-th one, up to
 * DEMO_CHARTS_MAX charts in all (so big demos stay quick). */
#define DEMO_CHART_EVERY 8
#define DEMO_CHARTS_MAX 96

/* A patient whose chart the demo fills.  Age and sex pick fitting problems
 * and measurements. */
struct demo_chart {
	char mrn[MRN_MAX];
	enum demo_story story;
	int age;   /* years */
	char sex;  /* 'F', 'M', else neither */
};

/* Age in whole years today of a "YYYY-MM-DD" date of birth (0 when it is
 * not one). */
int demo_age(const char *dob);

/* Fills the charts of c[0..n): the technician registers the encounters,
 * transcribes and enters the clinical data, the doctor writes, signs (with
 * DEMO_DOCTOR_SIGNATURE_CODE, at most a dozen signatures in all) and
 * reviews.  Run before any of the patients is restricted. */
int demo_charts(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		struct folio_err *e) MUST_CHECK;

/* The paper charts of c[0..n) (demo_tracking.c): a folder for each, and on
 * the fixed patients one chart out and overdue, one missing, open requests
 * (the pull list).  Run before any of the patients is restricted. */
int demo_tracking(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		  struct folio_err *e) MUST_CHECK;

/* Physician queries on the fixed charts of c[0..n) (demo_query.c): open
 * ones in the doctor's inbox, one overdue and escalated, one answered (a
 * signature by the doctor).  Run after demo_charts(). */
int demo_queries(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		 struct folio_err *e) MUST_CHECK;

/* The technician works the completeness queue (demo_deficiency.c):
 * reminders to the doctor about the most overdue delinquent discharge
 * summaries, a note, a signed summary reviewed.  Run after demo_charts(). */
int demo_deficiencies(struct session *tech, struct folio_err *e) MUST_CHECK;

#endif
