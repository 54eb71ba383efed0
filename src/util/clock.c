/* folio — time and place of an event, as the audit log records them. */
#include "folio/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t time_now(void)
{
#ifdef FOLIO_TESTING
	const char *fake = getenv("FOLIO_NOW");
	if (fake && *fake)
		return strtoll(fake, NULL, 10);
#endif
	return (int64_t)time(NULL);
}

void time_format_utc(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		str_copy(buf, cap, "?");
}

void time_utc_now(char *buf, size_t cap)
{
	time_utc_format(time_now(), buf, cap);
}

/* The last second formatted is kept: an import stamps every row with the
 * same few seconds, and gmtime_r + strftime cost more than the stamp's use. */
void time_utc_format(int64_t epoch, char *buf, size_t cap)
{
	static _Thread_local int64_t last_epoch = -1;
	static _Thread_local char last[24];
	time_t tt = (time_t)epoch;
	struct tm tm;

	if (epoch != last_epoch) {
		if (!gmtime_r(&tt, &tm) || strftime(last, sizeof last, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
			str_copy(buf, cap, "1970-01-01T00:00:00Z");
			return;
		}
		last_epoch = epoch;
	}
	str_copy(buf, cap, last);
}

void workstation_name(char *buf, size_t cap)
{
	const char *ssh = getenv("SSH_CLIENT");
	const char *tty;

	if (ssh && *ssh) {
		/* "addr port localport": the address is the workstation */
		snprintf(buf, cap, "ssh:%.*s", (int)strcspn(ssh, " "), ssh);
		return;
	}
	tty = isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
	str_copy(buf, cap, tty ? tty : "batch");
}
