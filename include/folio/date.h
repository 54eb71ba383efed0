/* folio — dates as records staff type them (src/util/date.c).
 * Accepted: 1962-03-14, 3/14/1962, 3/14/62 (two-digit years: the most recent
 * past year), 14 MAR 1962, 14-MAR-1962, MAR 14 1962, 19620314, and the VistA
 * relative forms T, T-1, T+2, T-1W, T+3M, T-1Y, NOW. */
#ifndef FOLIO_DATE_H
#define FOLIO_DATE_H

#include <stdint.h>

#include "folio/util.h"

#define DATE_INVALID INT64_MIN
/* Days since 1970-01-01 (negative before) of a valid Gregorian date from
 * 1800 to 2200; DATE_INVALID otherwise. */
int64_t date_days(int y, int m, int d);
/* YYYY-MM-DD of a day number into out (11 bytes). */
void date_format_days(int64_t days, char out[11]);
/* Today (UTC) as a day number. */
int64_t date_today(void);
/* Parses text into out "YYYY-MM-DD" relative to today (a day number).
 * FOLIO_EUSAGE with the accepted forms when it is not a date. */
int date_parse(const char *text, int64_t today, char out[11], struct folio_err *e);

/* A date and time as typed: "2026-11-24T14:30", "2026-11-24 14:30", any
 * date form above with "@14:30" or "@1430" (T@14:30, T-1@0800), or NOW.
 * The time is the clinic's wall clock; out gets UTC "YYYY-MM-DDTHH:MM:SSZ". */
int datetime_parse(const char *text, int64_t today, char out[24], struct folio_err *e);
/* A stored UTC time as local "YYYY-MM-DD HH:MM" (the text itself when it is
 * not one). */
void datetime_local(const char *utc, char out[17]);

#endif
