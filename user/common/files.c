// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "files.h"

int file_read_all(const char *path, size_t max, int flags, char **out, size_t *len)
{
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int fd, err = 0;

	*out = NULL;
	if (flags & FILE_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	if (flags & FILE_NONBLOCK)
		oflags |= O_NONBLOCK;
	fd = open(path, oflags);
	if (fd < 0)
		return -errno;
	struct stat st;
	if ((flags & FILE_REGULAR) && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		close(fd);
		return -EINVAL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 16384;
			if (ncap > max + 2)
				ncap = max + 2; /* room for one byte past max, and the NUL */
			char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
			if (!nb) {
				err = ncap > cap ? -ENOMEM : -EFBIG;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		n += r;
		if (n > max) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	if (!buf && !(buf = malloc(1)))
		return -ENOMEM;
	buf[n] = 0;
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += w;
	}
	return 0;
}

/* Where a write of path lands: a symlink's target (so the link stays a
 * link); *special when that is not a regular file (a device such as
 * /dev/null, a FIFO, a terminal), which is written in place: renaming a
 * file over /dev/null would replace the device. real gets the path to
 * write. 0 or -errno. */
static int write_target(const char *path, char *real, size_t real_len, bool *special)
{
	struct stat st;
	const char *to = path;
	char *resolved = NULL;
	int err = 0;

	*special = false;
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return -errno;
	} else {
		if (S_ISLNK(st.st_mode) && stat(path, &st))
			return -errno; /* a dangling link: nothing to write to */
		*special = !S_ISREG(st.st_mode);
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		/* a link to a regular file: that file is replaced, the link
		 * stays; to anything else (/dev/stdout's pipe), written through */
		if (!*special && (resolved = realpath(path, NULL)))
			to = resolved;
		else if (!*special)
			return -errno;
	}
	if (snprintf(real, real_len, "%s", to) >= (int)real_len)
		err = -ENAMETOOLONG;
	free(resolved);
	return err;
}

int file_check_writable(const char *path)
{
	char real[4096], tmp[4200];
	bool special;
	int fd, err = write_target(path, real, sizeof(real), &special);

	if (err)
		return err;
	if (special)
		return access(real, W_OK) ? -errno : 0;
	/* what the write will need: a new file beside it */
	snprintf(tmp, sizeof(tmp), "%s.check.%d", real, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	unlink(tmp);
	return 0;
}

int file_write_atomic(const char *path, const char *data, size_t len)
{
	char real[4096], tmp[4200];
	bool special;
	int fd, err = write_target(path, real, sizeof(real), &special);

	if (err)
		return err;
	if (special) {
		/* a FIFO nobody reads is an error (ENXIO), not a wait forever */
		fd = open(real, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))
			err = -errno;
		if (!err)
			err = write_all(fd, data, len);
		if (close(fd) && !err)
			err = -errno;
		return err;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", real, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && !unlink(tmp)) /* one of ours, left by a crash */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* the new file keeps the old one's mode: a profile made private stays so */
	struct stat st;
	if (!stat(real, &st) && S_ISREG(st.st_mode))
		fchmod(fd, st.st_mode & 07777);
	err = write_all(fd, data, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, real))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int write_json_file(const char *path, const struct cJSON *doc)
{
	char *text = cJSON_Print(doc);
	size_t len;
	int err;

	if (!text)
		return -ENOMEM;
	len = strlen(text);
	text[len] = '\n'; /* in place of the NUL: the buffer ends there */
	err = file_write_atomic(path, text, len + 1);
	free(text);
	return err;
}
