/* folio — reading passwords and keys without echo, into secure memory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli_internal.h"
#include "folio/smem.h"

#define SECRET_MAX 1100

/* Reads one line from fd into buf (smem), without the line end. */
static int read_line(int fd, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	char ch;
	ssize_t r;

	while ((r = read(fd, &ch, 1)) == 1) {
		if (ch == '\n')
			break;
		if (n + 1 >= cap)
			return -1;
		buf[n++] = ch;
	}
	if (r < 0 || (r == 0 && n == 0))
		return -1;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	return 0;
}

static char *from_tty(const char *prompt, size_t *len)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	char *buf;
	int rc;

	if (fd < 0)
		return NULL;
	buf = smem_alloc(SECRET_MAX);
	if (!buf || tcgetattr(fd, &old) != 0) {
		smem_free(buf);
		close(fd);
		return NULL;
	}
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		smem_free(buf);
		close(fd);
		return NULL;
	}
	rc = read_line(fd, buf, SECRET_MAX, len);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	close(fd);
	if (rc != 0) {
		smem_free(buf);
		return NULL;
	}
	return buf;
}

char *cli_secret(const char *prompt, const char *env, const char *file, int confirm, size_t *len)
{
	const char *v = env ? getenv(env) : NULL;
	char *buf, *again;
	size_t len2;

	if (v) {
		buf = smem_strdup(v);
		if (!buf) {
			cli_fail(1, "out of secure memory");
			return NULL;
		}
		*len = strlen(buf);
		return buf;
	}
	if (file) {
		int fd = open(file, O_RDONLY | O_NOFOLLOW);
		int rc;
		if (fd < 0) {
			cli_fail(2, "cannot read the password file '%s'", file);
			return NULL;
		}
		buf = smem_alloc(SECRET_MAX);
		rc = buf ? read_line(fd, buf, SECRET_MAX, len) : -1;
		close(fd);
		if (rc != 0) {
			smem_free(buf);
			cli_fail(2, "the password file '%s' is empty or its first line is too long", file);
			return NULL;
		}
		return buf;
	}
	buf = from_tty(prompt, len);
	if (!buf) {
		cli_fail(2, "no password: set %s, use --password-file, or run from a terminal",
			 env ? env : "it");
		return NULL;
	}
	if (confirm) {
		again = from_tty("Again: ", &len2);
		if (!again || len2 != *len || smem_equal(buf, again, len2) != 0) {
			smem_free(buf);
			smem_free(again);
			cli_fail(2, "the two entries differ; nothing was changed");
			return NULL;
		}
		smem_free(again);
	}
	return buf;
}
