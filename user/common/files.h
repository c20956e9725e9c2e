/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Whole files in and out: read with a size cap (files a container can
 * write are never trusted to be small), written whole or not at all. */
#ifndef SCLENS_FILES_H
#define SCLENS_FILES_H

#include <stddef.h>

/* Reads path into a NUL-terminated buffer of at most max bytes (-EFBIG
 * past it). flags: FILE_NOFOLLOW refuses a symlink as the last component
 * (a tenant's bundle), FILE_NONBLOCK never waits on a FIFO, FILE_REGULAR
 * refuses anything but a regular file (-EINVAL). 0 or -errno. */
#define FILE_NOFOLLOW 1
#define FILE_NONBLOCK 2
#define FILE_REGULAR 4
int file_read_all(const char *path, size_t max, int flags, char **out, size_t *len);

/* Writes data as path's new content: into a new temporary file beside it
 * (O_EXCL, never through a symlink), flushed, then renamed over path, so
 * a reader sees the old file or the new one, never a part. A failed
 * write leaves path as it was. A symlink is followed (the link stays);
 * what is not a regular file (/dev/null, /dev/stdout's terminal or pipe,
 * a FIFO) is written in place, never replaced. 0 or -errno. */
int file_write_atomic(const char *path, const char *data, size_t len);

/* Can file_write_atomic write path? Checked as it would write, without
 * creating or changing path. 0 or -errno. */
int file_check_writable(const char *path);

/* doc, indented, as path's new content (file_write_atomic) */
struct cJSON;
int write_json_file(const char *path, const struct cJSON *doc);

#endif
