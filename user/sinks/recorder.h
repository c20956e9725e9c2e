/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The recorder (sclens record, and sclens daemon --record): the sink that
 * writes a recording file (docs/tuning.md) from the kernel's record maps
 * for the cgroups the pipeline decided to record. Written at SIGHUP (the
 * recording so far) and at the end, whole or not at all. */
#ifndef SCLENS_RECORDER_H
#define SCLENS_RECORDER_H

#include "sink.h"

struct recording;

/* output NULL: stdout. NULL when out of memory. */
struct sink *recorder_new(struct recording *rec, const char *output);
void recorder_free(struct sink *s);
/* Checks the output can be written before recording for minutes */
int recorder_check_output(const char *path);

#endif
