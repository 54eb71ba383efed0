/* folio — paper chart tracking (src/core/tracking*.c): the volumes of a
 * patient's paper chart, where each one is, who asked for it, and every
 * movement it ever made.
 *
 * Each call runs under a grant on one patient's chart (grant_mrn), except
 * the department-wide lists (pull list, overdue list), which take a grant
 * with no patient.  The action each call needs is named beside it.
 *
 * Location and borrower names ("File room A", "Dr Doctor", "Cardiology
 * clinic") are not PHI and are stored plain, so the pull list can be read
 * without decrypting anything.  Free-text reasons (why a chart was
 * requested, why it is missing) may describe the patient's care, so they
 * are sealed under the clinical key like other chart text and only opened
 * for callers that read one patient's history.
 *
 * Times are UTC "YYYY-MM-DDTHH:MM:SSZ"; dates are "YYYY-MM-DD".
 */
#ifndef FOLIO_TRACKING_H
#define FOLIO_TRACKING_H

#include <stddef.h>
#include <stdint.h>

#include "folio/access.h"

#define TRACK_NAME_MAX 48   /* a location or borrower name, with its NUL */
#define TRACK_REASON_MAX 200 /* a decrypted reason, with its NUL */

/* Where a volume is. */
enum track_state {
	TRACK_IN,       /* at its home location */
	TRACK_OUT,      /* charged out to a borrower */
	TRACK_MISSING   /* flagged missing; only a supervisor clears it */
};

struct track_volume {
	int64_t id;
	int number;                     /* 1, 2, ... per patient */
	char home[TRACK_NAME_MAX];      /* "File room A" */
	enum track_state state;
	char borrower[TRACK_NAME_MAX];  /* when out */
	char out_since[24];             /* UTC, when out */
	char due[12];                   /* YYYY-MM-DD, when out */
	int overdue;                    /* out and past due (as of today) */
	char missing_since[24];         /* UTC, when missing */
	int64_t row_version;
};

/* One movement in the history: of a volume, or of a request (volume 0).
 * reason is decrypted (PHI). */
struct track_move {
	int64_t id;
	int volume;                     /* the volume number; 0 for a request */
	char at[24];                    /* when it happened (UTC) */
	char recorded[24];              /* when it was entered (UTC) */
	char by[40];                    /* user who recorded it */
	char kind[12];                  /* created, out, in, missing, found,
	                                   request, cancel */
	char from[TRACK_NAME_MAX], to[TRACK_NAME_MAX];
	char due[12];                   /* out: the due-back date */
	int64_t request;                /* request, cancel, and an out that
	                                   fulfilled one: its number */
	char reason[TRACK_REASON_MAX];
};

/* One open request, for the pull list (no PHI: the reason is not opened). */
struct track_request {
	int64_t id;
	char mrn[16];
	char requester[40];             /* user name */
	char needed[12];                /* YYYY-MM-DD */
	char at[24];                    /* when requested */
	char where[96];                 /* tracking_where() of the patient */
};

/* One volume charged out past its due date (no PHI). */
struct track_overdue {
	char mrn[16];
	int volume;
	char borrower[TRACK_NAME_MAX];
	char out_since[24];
	char due[12];
	int days_over;
};

/* A one-line location of the patient's paper chart: "File room A",
 * "Out: Dr Doctor since 2026-11-20 (overdue)", "MISSING", several volumes
 * joined with "; " ("Vol 1 File room A; Vol 2 MISSING"), or "" when the
 * patient has no paper chart.  Callable under ACT_QUEUE_VIEW,
 * ACT_CHART_TRACK, ACT_CHART_VIEW, ACT_CHART_REQUEST, ACT_CHART_FOUND or
 * ACT_INBOX_VIEW grants on that patient (or, for the department-wide
 * lists, under a grant with no patient).  FOLIO_ENOTFOUND when mrn is not a
 * patient. Reads nothing encrypted. */
int tracking_where(struct grant *g, const char *mrn, char *out, size_t cap, struct folio_err *e);

/* The patient's volumes in number order, via fn (return non-zero to stop).
 * Same grants as tracking_where(), on the grant's patient. */
int tracking_volumes(struct grant *g, int (*fn)(const struct track_volume *, void *), void *ctx,
		     struct folio_err *e);

/* Adds a volume at home (NULL/"" = "File room") (ACT_CHART_TRACK);
 * *number gets its number. */
int tracking_volume_add(struct grant *g, const char *home, int *number, struct folio_err *e) MUST_CHECK;

/* A charge-out. */
struct track_out {
	int volume;        /* 0: the patient's only volume (created at "File room"
	                      when the patient has none yet) */
	const char *to;    /* the borrower: a user, clinic or department (required) */
	const char *due;   /* a date (2026-12-01, T+3 ...); NULL/"" = the day it
	                      went out + site setting chart_due_days (3) */
	const char *at;    /* UTC time it went out; NULL = now.  A back-timed
	                      entry: not in the future, not before the volume's
	                      last movement */
};

/* Charges a volume out (ACT_CHART_TRACK).  Refused (FOLIO_EUSAGE, nothing
 * changed) when the volume is out or missing, when the patient has several
 * volumes and none is named, or when due is before the day it went out.
 * The patient's open requests by a user whose name is the borrower are
 * fulfilled by it. */
int tracking_out(struct grant *g, const struct track_out *o, struct folio_err *e) MUST_CHECK;

/* Checks a charged-out volume back in to its home (ACT_CHART_TRACK); at as
 * for tracking_out.  volume 0 = the one volume that is out.  Refused when
 * it is not out (in, or missing: a supervisor marks a missing one found). */
int tracking_in(struct grant *g, int volume, const char *at, struct folio_err *e) MUST_CHECK;

/* Requests the patient's chart for a date (NULL/"" = today; not before
 * today) with an optional reason (sealed) (ACT_CHART_REQUEST); *id gets
 * the request number.  Refused when the same user already has an open
 * request for this patient for that date. */
int tracking_request(struct grant *g, const char *needed, const char *reason, int64_t *id,
		     struct folio_err *e) MUST_CHECK;

/* Cancels an open request of the grant's patient: one's own under
 * ACT_CHART_REQUEST, anyone's under ACT_CHART_TRACK.  Kept in the history. */
int tracking_request_cancel(struct grant *g, int64_t id, struct folio_err *e) MUST_CHECK;

/* Flags a volume missing with a reason (required, sealed) (ACT_CHART_TRACK).
 * volume 0 = the patient's only volume.  Refused when already missing or
 * when the patient has no paper chart.  A volume that was out is no longer
 * charged to its borrower. */
int tracking_missing(struct grant *g, int volume, const char *why, struct folio_err *e) MUST_CHECK;

/* Clears the missing flag: the volume is back at its home (ACT_CHART_FOUND,
 * supervisors only).  volume 0 = the one missing volume. */
int tracking_found(struct grant *g, int volume, struct folio_err *e) MUST_CHECK;

/* The patient's movements, newest first (ACT_CHART_TRACK, ACT_CHART_REQUEST,
 * ACT_CHART_FOUND or ACT_CHART_VIEW); each row is in guarded memory with
 * its reason opened, valid during the call only. */
int tracking_history(struct grant *g, int (*fn)(const struct track_move *, void *), void *ctx,
		     struct folio_err *e);

/* The grant's patient's open requests, earliest needed first (the same
 * grants as tracking_history). */
int tracking_requests(struct grant *g, int (*fn)(const struct track_request *, void *), void *ctx,
		      struct folio_err *e);

/* The open requests needed on or before `by` (NULL/"" = all), earliest
 * needed first (ACT_CHART_TRACK, grant with no patient). */
int tracking_pull_list(struct grant *g, const char *by, int (*fn)(const struct track_request *, void *),
		       void *ctx, struct folio_err *e);

/* Volumes out past their due date, most overdue first (ACT_CHART_TRACK,
 * grant with no patient). */
int tracking_overdue(struct grant *g, int (*fn)(const struct track_overdue *, void *), void *ctx,
		     struct folio_err *e);

const char *track_state_name(enum track_state s); /* "in", "out", "missing" */

#endif
