/* folio — the on-disk cache of the packed grouper tables, so `drg group`
 * starts in milliseconds instead of decompressing and parsing 400,000
 * lines of text on every run.
 *
 * The cache file is named after a hash of its key (the table directory
 * and each source file's path, size and modification time) and repeats the
 * key inside, so a changed table or a hash collision is noticed.  It is
 * written to a temporary file and renamed into place, and the packed form
 * carries its own checksum: a torn or damaged cache is rebuilt, and a
 * cache that cannot be written is simply not used. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drg_internal.h"

#define CACHE_KEY_MAX 8192

static int cache_dir(char *out, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && *xdg == '/')
		n = snprintf(out, cap, "%s/folio", xdg);
	else if (home && *home == '/')
		n = snprintf(out, cap, "%s/.cache/folio", home);
	else
		return -1;
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, 0700);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The key: every input that could change the tables. */
static int cache_key(const char *tdir, char *key, size_t cap)
{
	char real[PATH_MAX];
	size_t n = 0;

	if (!realpath(tdir, real))
		return -1;
	int w = snprintf(key, cap, "folio-drg-v430\n%s\n", real);
	if (w < 0 || (size_t)w >= cap)
		return -1;
	n = (size_t)w;
	for (int i = 0; i < DRG_SOURCE_FILES; i++) {
		char path[PATH_MAX + 64];
		struct stat st;
		int pn = snprintf(path, sizeof path, "%s/%s", real, drg_source_files[i]);
		if (pn < 0 || (size_t)pn >= sizeof path - 4)
			return -1;
		if (stat(path, &st) != 0) {
			strncat(path, ".xz", sizeof path - strlen(path) - 1);
			if (stat(path, &st) != 0)
				return -1;
		}
		w = snprintf(key + n, cap - n, "%s %lld %lld.%09ld\n", path, (long long)st.st_size,
			     (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		if (w < 0 || (size_t)w >= cap - n)
			return -1;
		n += (size_t)w;
	}
	return 0;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *b = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size < (off_t)256 << 20 && (b = malloc((size_t)st.st_size))) {
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != (size_t)st.st_size) {
			free(b);
			b = NULL;
		} else {
			*len = got;
		}
	}
	close(fd);
	return b;
}

static int try_cache(const char *path, const char *key, struct drg_tables **out)
{
	size_t len = 0, klen = strlen(key);
	unsigned char *b = read_file(path, &len);
	int rc = -1;

	if (!b)
		return -1;
	if (len > klen + 4) {
		uint32_t stored;
		memcpy(&stored, b, 4);
		if (stored == klen && memcmp(b + 4, key, klen) == 0)
			rc = drg_tables_unpack(b + 4 + klen, len - 4 - klen, out, NULL) ? -1 : 0;
	}
	free(b);
	return rc;
}

static void write_cache(const char *dir, const char *path, const char *key,
			const struct drg_tables *t)
{
	char tmp[PATH_MAX + 32], dbuf[PATH_MAX];
	unsigned char *blob = NULL;
	size_t blen = 0;
	uint32_t klen = (uint32_t)strlen(key);

	if (drg_tables_pack(t, &blob, &blen, NULL))
		return;
	int n1 = snprintf(dbuf, sizeof dbuf, "%s", dir);
	int n2 = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	if (n1 < 0 || (size_t)n1 >= sizeof dbuf || n2 < 0 || (size_t)n2 >= sizeof tmp ||
	    mkdir_p(dbuf) != 0) {
		free(blob);
		return;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(blob);
		return;
	}
	int ok = write(fd, &klen, 4) == 4 && write(fd, key, klen) == (ssize_t)klen;
	for (size_t off = 0; ok && off < blen;) {
		ssize_t w = write(fd, blob + off, blen - off);
		if (w <= 0)
			ok = 0;
		else
			off += (size_t)w;
	}
	ok = ok && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
	free(blob);
}

int drg_tables_load_cached(const char *dir, struct drg_tables **out, struct folio_err *e)
{
	char tdir[512], cdir[PATH_MAX], path[PATH_MAX + 64];
	char *key = NULL;
	int rc;

	*out = NULL;
	if (!dir || !*dir)
		return drg_tables_load(dir, out, e);
	if (drg_tables_dir(dir, tdir, sizeof tdir, NULL) != FOLIO_OK ||
	    cache_dir(cdir, sizeof cdir) != 0 || !(key = malloc(CACHE_KEY_MAX)) ||
	    cache_key(tdir, key, CACHE_KEY_MAX) != 0) {
		free(key);
		return drg_tables_load(dir, out, e);
	}
	int n = snprintf(path, sizeof path, "%s/drg-v430-%016" PRIx64 ".bin", cdir,
			 drg_checksum((const unsigned char *)key, strlen(key)));
	if (n < 0 || (size_t)n >= sizeof path) {
		free(key);
		return drg_tables_load(dir, out, e);
	}
	if (try_cache(path, key, out) == 0) {
		free(key);
		return FOLIO_OK;
	}
	rc = drg_tables_load(dir, out, e);
	if (rc == FOLIO_OK)
		write_cache(cdir, path, key, *out);
	free(key);
	return rc;
}
