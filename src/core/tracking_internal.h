/* folio — what the chart-tracking modules share inside src/core:
 * tracking.c (volumes and their movements) and tracking_request.c
 * (requests, the pull list, the overdue list, the history). */
#ifndef FOLIO_TRACKING_INTERNAL_H
#define FOLIO_TRACKING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "folio/grant.h"
#include "folio/tracking.h"

#define TRACK_DEFAULT_HOME "File room"
#define TRACK_WHY_MAX (TRACK_REASON_MAX - 1)

/* The grants that may read where a chart is (no PHI). */
#define TRACK_READERS                                                                                \
	(const enum action[]) { ACT_CHART_TRACK, ACT_CHART_REQUEST, ACT_CHART_FOUND, ACT_CHART_VIEW, \
				ACT_QUEUE_VIEW, ACT_INBOX_VIEW }
#define TRACK_READERS_N 6
/* The grants that may read a patient's history and requests (reasons are
 * opened: roles that read the chart). */
#define TRACK_HISTORY                                                                                \
	(const enum action[]) { ACT_CHART_TRACK, ACT_CHART_REQUEST, ACT_CHART_FOUND, ACT_CHART_VIEW }
#define TRACK_HISTORY_N 4

/* FOLIO_OK when the grant is for one of the n actions in acts; else
 * FOLIO_EDENIED naming what. */
int track_need(struct grant *g, const enum action *acts, size_t n, const char *what, struct folio_err *e);

/* A row of chart_moves to write. */
struct track_move_new {
	int64_t patient_id;
	int64_t volume_id;   /* 0 for a request or a cancel */
	int64_t request_id;  /* 0 for none */
	const char *kind;
	const char *at;      /* UTC; NULL = now */
	const char *from, *to, *due; /* NULL = none */
	const char *reason;  /* sealed under the clinical key; NULL or "" = none */
};
/* Appends the movement (the reason sealed to the new row's id). */
int track_move_write(struct grant *g, const struct track_move_new *m, struct folio_err *e) MUST_CHECK;

/* Today as YYYY-MM-DD. */
void track_today(char out[12]);
/* The day number of a "YYYY-MM-DD..." text; DATE_INVALID when it is not one. */
int64_t track_day(const char *ymd);

/* The location line of patient row pid (see tracking_where). */
int track_where_of(struct grant *g, int64_t pid, char *out, size_t cap, struct folio_err *e);

#endif
