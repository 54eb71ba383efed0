/* folio — writing a file a user asked for (an export, a release packet)
 * all or nothing (src/util/outfile.c).
 *
 * The bytes go to a new temporary file beside the destination, created
 * 0600 and synced; placing it is one link() (never replaces: an existing
 * file is refused) or, with force, one rename().  A crash leaves either the
 * whole file or none, and at worst a stray "NAME.tmp-XXXXXX" beside it. */
#ifndef FOLIO_OUTFILE_H
#define FOLIO_OUTFILE_H

#include <stddef.h>

#include "folio/util.h"

/* Writes data to a temporary file beside path; *tmp gets its name (free()
 * it, after outfile_place or outfile_drop). */
int outfile_stage(const char *path, const void *data, size_t len, char **tmp, struct folio_err *e) MUST_CHECK;
/* Moves the staged file to path (FOLIO_EUSAGE when path exists and not
 * force); the temporary name is gone afterwards either way. */
int outfile_place(const char *tmp, const char *path, int force, struct folio_err *e) MUST_CHECK;
/* Writes all len bytes to descriptor fd (retrying short writes and
 * EINTR); 0, or -1 with errno. */
int outfile_write_fd(int fd, const void *data, size_t len);
/* Removes a staged file that is not wanted after all. */
void outfile_drop(const char *tmp);

#endif
