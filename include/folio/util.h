/* folio — base definitions shared by every layer.
 *
 * Status codes double as the command line's exit codes (design.md section 6):
 * 0 done, 1 failed, 2 usage, 3 denied, 4 not found.  Every fallible function
 * returns one of these and, on failure, leaves a message in a caller-owned
 * struct folio_err.  Messages never carry patient data: use record ids.
 */
#ifndef FOLIO_UTIL_H
#define FOLIO_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define FOLIO_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define MUST_CHECK __attribute__((warn_unused_result))
#define NORETURN __attribute__((noreturn))

enum folio_status {
	FOLIO_OK = 0,
	FOLIO_EFAIL = 1,     /* failed: I/O, corrupt data, refused input */
	FOLIO_EUSAGE = 2,    /* the caller asked for something malformed */
	FOLIO_EDENIED = 3,   /* policy, wrong password, locked account */
	FOLIO_ENOTFOUND = 4, /* no such user, row or file */
	FOLIO_ESTALE = 5     /* a row changed under an edit; exit 1 */
};

#define FOLIO_ERR_MAX 256

/* A caller-owned error slot.  err_set() formats into it and returns code,
 * so `return err_set(e, FOLIO_EFAIL, "cannot open '%s'", path);` is one line.
 * A NULL slot is allowed and simply drops the message. */
struct folio_err {
	int code;
	char msg[FOLIO_ERR_MAX];
};

int err_set(struct folio_err *e, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);
void err_clear(struct folio_err *e);
/* Exit code for a status (FOLIO_ESTALE maps to 1). */
int err_exit_code(int status);

/* Copies src into dst (capacity cap, always NUL-terminated).
 * Returns 0, or -1 when src did not fit (dst then holds a truncated copy). */
int str_copy(char *dst, size_t cap, const char *src);
/* v as exactly width decimal digits, zero-padded (the high digits of a
 * larger v are dropped), no NUL: dates and times written per row of a bulk
 * import without snprintf. */
void str_digits(char *out, unsigned v, size_t width);
/* v in decimal with its NUL into out (room for 21 bytes); its length. */
size_t str_u64(char *out, uint64_t v);

/* Number of Unicode code points in a UTF-8 string; -1 if it is not valid UTF-8. */
long utf8_length(const char *s, size_t len);

/* UTC time now as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void time_utc_now(char *buf, size_t cap);
/* The same form for epoch seconds. */
void time_utc_format(int64_t epoch, char *buf, size_t cap);
/* Seconds since the epoch; FOLIO_NOW (test builds only) overrides it. */
int64_t time_now(void);
/* Formats an epoch second as "YYYY-MM-DD HH:MM UTC". */
void time_format_utc(int64_t t, char *buf, size_t cap);

/* The workstation this process runs on: the SSH client address when there is
 * one, else the controlling terminal, else "batch". */
void workstation_name(char *buf, size_t cap);

#endif
