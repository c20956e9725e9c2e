/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef SCLENS_SEED_H
#define SCLENS_SEED_H

/* Tells the kernel side about threads that were already in seccomp filter
 * mode before it attached: for each, whether it is blocked in a syscall
 * (whose exit must not look like a denial) or not (arm it now). Reads
 * /proc/<pid>/task/<tid>/{status,syscall}. Returns the number of threads
 * seeded, or a negative errno. */
int seed_filtered_threads(int seed_map_fd);

/* Parses a /proc/.../syscall line: the number of the syscall the thread
 * is blocked in, SCLENS_SEED_IN_USER when it is not in one. -EINVAL if
 * the text is not in the kernel's format. */
int seed_parse_syscall_line(const char *line, int *out);

/* From the text of a /proc/<pid>/status: 1 in filter mode, 0 not, or
 * -ENOENT (no Seccomp line) / -EINVAL. */
int seed_status_filter_mode(const char *status);
/* The same from the file, read whole. */
int seed_task_in_filter_mode(const char *status_path);

#endif
