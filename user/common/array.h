/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Growing arrays: the one place their doubling is written. */
#ifndef SCLENS_ARRAY_H
#define SCLENS_ARRAY_H

#include <errno.h>
#include <stdlib.h>

/* Room for element n of the array v of cap elements (n and cap of one
 * type), doubling from first: 0, or -ENOMEM with v and cap unchanged. */
#define ARRAY_GROW(v, cap, n, first)                                             \
	({                                                                       \
		int grow_err_ = 0;                                               \
		if ((n) >= (cap)) {                                              \
			size_t grow_ncap_ = (cap) ? (size_t)(cap) * 2 : (first); \
			__typeof__(v) grow_nv_ = realloc((v), grow_ncap_ * sizeof(*(v))); \
			if (grow_nv_) {                                          \
				(v) = grow_nv_;                                  \
				(cap) = grow_ncap_;                              \
			} else {                                                 \
				grow_err_ = -ENOMEM;                             \
			}                                                        \
		}                                                                \
		grow_err_;                                                       \
	})

#endif
