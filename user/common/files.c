// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

int file_write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && !unlink(tmp)) /* one of ours, left by a crash */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* the new file keeps the old one's mode: a profile made private stays so */
	struct stat st;
	if (!stat(path, &st) && S_ISREG(st.st_mode))
		fchmod(fd, st.st_mode & 07777);
	for (size_t off = 0; off < len && !err;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			err = -errno;
		else
			off += w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
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
