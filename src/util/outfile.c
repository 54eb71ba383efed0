/* folio — all-or-nothing output files (include/folio/outfile.h). */
#include "folio/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int outfile_write_fd(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int outfile_stage(const char *path, const void *data, size_t len, char **tmp, struct folio_err *e)
{
	size_t n = strlen(path) + 16;
	char *t = malloc(n);
	int fd, rc = FOLIO_OK;

	*tmp = NULL;
	if (!t)
		return err_set(e, FOLIO_EFAIL, "out of memory");
	snprintf(t, n, "%s.tmp-XXXXXX", path);
	/* mkstemp creates 0600: the packet is never readable by others. */
	if ((fd = mkstemp(t)) < 0) {
		rc = err_set(e, FOLIO_EFAIL, "cannot create a file beside %s: %s", path, strerror(errno));
		free(t);
		return rc;
	}
	if (outfile_write_fd(fd, data, len) != 0 || fsync(fd) != 0)
		rc = err_set(e, FOLIO_EFAIL, "cannot write %s: %s", path, strerror(errno));
	if (close(fd) != 0 && !rc)
		rc = err_set(e, FOLIO_EFAIL, "cannot write %s: %s", path, strerror(errno));
	if (rc) {
		unlink(t);
		free(t);
		return rc;
	}
	*tmp = t;
	return FOLIO_OK;
}

int outfile_place(const char *tmp, const char *path, int force, struct folio_err *e)
{
	int rc = FOLIO_OK;

	if (force ? rename(tmp, path) != 0 : link(tmp, path) != 0)
		rc = errno == EEXIST ? err_set(e, FOLIO_EUSAGE, "%s exists: give --force to replace it", path)
				     : err_set(e, FOLIO_EFAIL, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return rc;
}

void outfile_drop(const char *tmp)
{
	if (tmp)
		unlink(tmp);
}
