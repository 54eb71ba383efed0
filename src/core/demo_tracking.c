/* folio — the demo's paper charts: every demo chart has a folder in the
 * file room, and the fixed patients show tracking at work (the interface
 * tests rely on these):
 *   O'Brien-Muñoz (heart)  two volumes, volume 1 out to the doctor, overdue
 *   John Smith (diabetes)  requested by the doctor for tomorrow and by the
 *                          technician for today: the pull list
 *   Jane Smith (asthma)    missing since the last shelf audit
 *   Julia Smith (well)     out to the cardiology clinic, not yet due
 *   Minh Nguyen (admitted) on the ward with the inpatient
 * All of it goes through the gate like any other user's work. */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"
#include "folio/date.h"
#include "folio/tracking.h"

enum demo_track_op { DT_VOLUME, DT_OUT, DT_REQUEST, DT_MISSING };

struct demo_track_step {
	enum demo_story story;
	enum demo_track_op op;
	int doctor;              /* done by the doctor, else the technician */
	const char *text;        /* home, borrower, or reason */
	int days_ago;            /* out: when it went out */
	const char *when;        /* out: due date; request: date needed */
};

static const struct demo_track_step steps[] = {
	{ DEMO_STORY_HEART, DT_VOLUME, 0, "File room A", 0, NULL },
	{ DEMO_STORY_HEART, DT_VOLUME, 0, "File room A", 0, NULL },
	{ DEMO_STORY_HEART, DT_OUT, 0, "doctor", 6, "T-3" },
	{ DEMO_STORY_DIABETES, DT_VOLUME, 0, "File room A", 0, NULL },
	{ DEMO_STORY_DIABETES, DT_REQUEST, 1, "follow-up visit", 0, "T+1" },
	{ DEMO_STORY_DIABETES, DT_REQUEST, 0, "coding review", 0, "T" },
	{ DEMO_STORY_ASTHMA, DT_VOLUME, 0, "File room B", 0, NULL },
	{ DEMO_STORY_ASTHMA, DT_MISSING, 0, "not on the shelf at the last file-room audit", 0, NULL },
	{ DEMO_STORY_WELL, DT_VOLUME, 0, "File room B", 0, NULL },
	{ DEMO_STORY_WELL, DT_OUT, 0, "Cardiology clinic", 1, NULL },
	{ DEMO_STORY_ADMITTED, DT_VOLUME, 0, "File room A", 0, NULL },
	{ DEMO_STORY_ADMITTED, DT_OUT, 0, "Ward 4B", 2, NULL },
};

static const char *mrn_of(const struct demo_chart *c, size_t n, enum demo_story story)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].story == story)
			return c[i].mrn;
	return NULL;
}

static enum action step_action(const struct demo_track_step *st)
{
	return st->op == DT_REQUEST ? ACT_CHART_REQUEST : ACT_CHART_TRACK;
}

static int step_run(struct grant *g, const struct demo_track_step *st, struct folio_err *e)
{
	struct track_out o = { 0 };
	char at[24];
	int64_t id;
	int number;

	switch (st->op) {
	case DT_VOLUME:
		return tracking_volume_add(g, st->text, &number, e);
	case DT_OUT:
		time_utc_format(time_now() - (int64_t)st->days_ago * 86400, at, sizeof at);
		o.volume = 1;
		o.to = st->text;
		o.due = st->when;
		o.at = at;
		return tracking_out(g, &o, e);
	case DT_REQUEST:
		return tracking_request(g, st->when, st->text, &id, e);
	case DT_MISSING:
		return tracking_missing(g, 1, st->text, e);
	}
	return err_set(e, FOLIO_EUSAGE, "unknown demo step");
}

int demo_tracking(struct session *tech, struct session *doctor, const struct demo_chart *c, size_t n,
		  struct folio_err *e)
{
	struct grant *g;
	int rc = FOLIO_OK, number;

	for (size_t i = 0; i < ARRAY_SIZE(steps) && rc == FOLIO_OK; i++) {
		const char *mrn = mrn_of(c, n, steps[i].story);

		if (!mrn)
			continue;
		if ((rc = access_begin(steps[i].doctor ? doctor : tech, step_action(&steps[i]), mrn, "chart-volume",
				       mrn, &g, e)))
			break;
		rc = access_end(g, step_run(g, &steps[i], e), e);
	}
	/* Every other demo chart has its folder, at home. */
	for (size_t i = 0; i < n && rc == FOLIO_OK; i++) {
		if (c[i].story != DEMO_STORY_SYNTHETIC)
			continue;
		if ((rc = access_begin(tech, ACT_CHART_TRACK, c[i].mrn, "chart-volume", c[i].mrn, &g, e)))
			break;
		rc = access_end(g, tracking_volume_add(g, i % 2 ? "File room A" : "File room B", &number, e), e);
	}
	return rc;
}
