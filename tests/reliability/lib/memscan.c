/* folio leak scan — searches the memory of a running process for marker
 * values (tests/reliability/leak.sh compiles and runs it as root).
 *
 *   memscan PID MARKERS [--all]
 *
 * MARKERS is a file of lines "label<TAB>value".  Every mapping listed in
 * /proc/PID/maps that is readable (with --all: every mapping, PROT_NONE
 * ones too: /proc/PID/mem reads those for root) is read through
 * /proc/PID/mem and searched for each value in the forms it can take in a
 * C program's memory:
 *   bytes   the UTF-8 bytes themselves (char buffers, stdio, SQLite pages)
 *   wide    one 4-byte wchar_t per character (wide strings, ncursesw input)
 *   cell    one wchar_t per screen cell, cells STRIDE bytes apart: an
 *           ncursesw window buffer (cchar_t), where text shown on the
 *           screen lives
 * Prints "HIT label form address mapping" per hit, then one line
 * "scanned N bytes in M mappings (K skipped)".  Exit 0: no hit; 1: hits;
 * 2: the scan itself failed (nothing could be read), so a clean result is
 * never reported for a process that could not be read.
 *
 * Mappings larger than SKIP_BIG are not read: only sanitizer shadow memory
 * (terabytes of reserved metadata, not data) is that large; each skipped
 * mapping is printed so the test log shows what was left out. */
#define _GNU_SOURCE
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MARK_MAX 128
#define SKIP_BIG ((uint64_t)64 << 30)
#define CHUNK ((size_t)8 << 20)

struct marker {
	char label[64];
	char val[256];
	size_t len;
	long hits;
};

static struct marker marks[MARK_MAX];
static int nmarks;

static int load_markers(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f) && nmarks < MARK_MAX) {
		char *tab = strchr(line, '\t');
		size_t n;

		if (!tab)
			continue;
		*tab++ = 0;
		n = strcspn(tab, "\r\n");
		tab[n] = 0;
		if (n < 4 || n >= sizeof marks[0].val)
			continue;
		snprintf(marks[nmarks].label, sizeof marks[nmarks].label, "%.63s", line);
		memcpy(marks[nmarks].val, tab, n + 1);
		marks[nmarks].len = n;
		nmarks++;
	}
	fclose(f);
	return nmarks > 0 ? 0 : -1;
}

/* 1 when marker m starts at p with characters `stride` bytes apart, each
 * `width` bytes wide (little-endian, high bytes zero). */
static int match_at(const unsigned char *p, const unsigned char *end, const struct marker *m,
		    size_t stride, size_t width)
{
	size_t i, k;

	if ((size_t)(end - p) < (m->len - 1) * stride + width)
		return 0;
	for (i = 0; i < m->len; i++) {
		const unsigned char *c = p + i * stride;
		if (c[0] != (unsigned char)m->val[i])
			return 0;
		for (k = 1; k < width; k++)
			if (c[k])
				return 0;
	}
	return 1;
}

static void report(struct marker *m, const char *form, uint64_t addr, const char *map)
{
	m->hits++;
	if (m->hits <= 5)
		printf("HIT %s %s 0x%llx %s\n", m->label, form, (unsigned long long)addr, map);
}

/* Searches buf (read from address base); only hits starting before
 * `limit` count, the rest of the buffer is overlap with the next chunk. */
static void search(const unsigned char *buf, size_t n, size_t limit, uint64_t base, const char *map)
{
	const unsigned char *end = buf + n;
	size_t cell = sizeof(cchar_t);
	size_t chars = offsetof(cchar_t, chars);
	int j;

	for (j = 0; j < nmarks; j++) {
		struct marker *m = &marks[j];
		const unsigned char *p = buf;
		unsigned char first = (unsigned char)m->val[0];

		while (p < buf + limit && (p = memchr(p, first, (size_t)(buf + limit - p)))) {
			if (match_at(p, end, m, 1, 1))
				report(m, "bytes", base + (uint64_t)(p - buf), map);
			else if (match_at(p, end, m, 4, 4))
				report(m, "wide", base + (uint64_t)(p - buf), map);
			else if (p >= buf + chars && match_at(p, end, m, cell, sizeof(wchar_t)))
				report(m, "cell", base + (uint64_t)(p - buf), map);
			p++;
		}
	}
}

static int pagemap_fd = -1;

/* 1 when the page at addr is in memory or swapped out, per
 * /proc/PID/pagemap (bits 63 and 62); pages never touched (reserved
 * address space, sanitizer metadata) are not read, so the scan neither
 * takes ages nor makes the process map zero pages.  Without a readable
 * pagemap every page counts as present. */
static int page_present(uint64_t addr, long page)
{
	/* entries are read a block at a time: one pread per 4096 pages */
	static uint64_t cache[4096], cache_first = UINT64_MAX;
	static size_t cache_n;
	uint64_t pfn = addr / (uint64_t)page;

	if (pagemap_fd < 0)
		return 1;
	if (cache_first == UINT64_MAX || pfn < cache_first || pfn >= cache_first + cache_n) {
		ssize_t got = pread(pagemap_fd, cache, sizeof cache, (off_t)(pfn * sizeof cache[0]));
		if (got < (ssize_t)sizeof cache[0]) {
			cache_first = UINT64_MAX;
			return 1;
		}
		cache_first = pfn;
		cache_n = (size_t)got / sizeof cache[0];
	}
	return (cache[pfn - cache_first] >> 62) & 3 ? 1 : 0;
}

/* Reads n bytes at addr (page aligned) into buf; pages absent from memory
 * read as zeros; pages that cannot be read (a guard page, PROT_NONE
 * without --all) read as zeros and are counted.  Returns the bytes read. */
static size_t read_span(int fd, unsigned char *buf, size_t n, uint64_t addr, long *unreadable)
{
	size_t done = 0, got_total = 0;
	long page = sysconf(_SC_PAGESIZE);

	while (done < n) {
		size_t step = (size_t)page - (size_t)((addr + done) % (uint64_t)page);
		ssize_t got;

		if (step > n - done)
			step = n - done;
		if (!page_present(addr + done, page)) {
			memset(buf + done, 0, step);
			done += step;
			continue;
		}
		got = pread(fd, buf + done, step, (off_t)(addr + done));
		if (got == (ssize_t)step) {
			got_total += step;
		} else {
			memset(buf + done, 0, step);
			(*unreadable)++;
		}
		done += step;
	}
	return got_total;
}

int main(int argc, char **argv)
{
	char path[64], line[1024];
	FILE *maps;
	int memfd, all, total_hits = 0, j;
	unsigned long long scanned = 0;
	long regions = 0, skipped = 0, unreadable = 0;
	size_t overlap;
	unsigned char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: memscan PID MARKERS [--all]\n");
		return 2;
	}
	all = argc > 3 && strcmp(argv[3], "--all") == 0;
	if (load_markers(argv[2]) != 0) {
		fprintf(stderr, "memscan: no markers in %s\n", argv[2]);
		return 2;
	}
	overlap = 0;
	for (j = 0; j < nmarks; j++)
		if (marks[j].len * sizeof(cchar_t) > overlap)
			overlap = marks[j].len * sizeof(cchar_t);
	snprintf(path, sizeof path, "/proc/%s/maps", argv[1]);
	if (!(maps = fopen(path, "r"))) {
		perror(path);
		return 2;
	}
	snprintf(path, sizeof path, "/proc/%s/mem", argv[1]);
	if ((memfd = open(path, O_RDONLY)) < 0) {
		perror(path);
		return 2;
	}
	snprintf(path, sizeof path, "/proc/%s/pagemap", argv[1]);
	pagemap_fd = open(path, O_RDONLY);
	if (!(buf = malloc(CHUNK + overlap)))
		return 2;
	while (fgets(line, sizeof line, maps)) {
		unsigned long long lo, hi, at;
		char perms[8] = "", name[512] = "", where[600];

		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %511[^\n]", &lo, &hi, perms, name) < 3)
			continue;
		if (strcmp(name, "[vvar]") == 0 || strcmp(name, "[vsyscall]") == 0)
			continue;
		if (perms[0] != 'r' && !all)
			continue;
		if (hi - lo > SKIP_BIG) {
			printf("skip %llx-%llx %s %s (%llu GiB)\n", lo, hi, perms, name[0] ? name : "[anon]",
			       (hi - lo) >> 30);
			skipped++;
			continue;
		}
		regions++;
		for (at = lo; at < hi; at += CHUNK) {
			size_t want = hi - at > CHUNK + overlap ? CHUNK + overlap : (size_t)(hi - at);
			size_t limit = want > CHUNK ? CHUNK : want;
			size_t got = read_span(memfd, buf, want, at, &unreadable);

			if (got == 0)
				continue; /* nothing in memory here */
			scanned += got > limit ? limit : got;
			snprintf(where, sizeof where, "%s %s", perms, name[0] ? name : "[anon]");
			search(buf, want, limit, at, where);
		}
	}
	for (j = 0; j < nmarks; j++)
		total_hits += marks[j].hits > 0;
	for (j = 0; j < nmarks; j++)
		if (marks[j].hits)
			printf("MARKER %s %ld hits\n", marks[j].label, marks[j].hits);
	printf("scanned %llu bytes in %ld mappings (%ld skipped, %ld unreadable pages)\n", scanned,
	       regions, skipped, unreadable);
	if (scanned == 0)
		return 2;
	return total_hits ? 1 : 0;
}
