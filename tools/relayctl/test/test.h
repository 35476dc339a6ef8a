/* SPDX-License-Identifier: GPL-2.0 */
/* relayctl unit tests: a few assertion helpers. */
#ifndef RELAYCTL_TEST_H
#define RELAYCTL_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		test_failures++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (strcmp(g_, w_)) {						\
		fprintf(stderr, "%s:%d: got:\n%s\nwant:\n%s\n",		\
			__FILE__, __LINE__, g_, w_);			\
		test_failures++;					\
	}								\
} while (0)

/* Run @fn(@arg, FILE *) with output to memory; returns the malloc'ed text. */
#define CAPTURE(buf, f, body) do {					\
	size_t len_;							\
	FILE *f = open_memstream(&(buf), &len_);			\
	if (!f)								\
		abort();						\
	body;								\
	fclose(f);							\
} while (0)

static inline int test_result(const char *name)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d failure(s)\n", name, test_failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

#endif /* RELAYCTL_TEST_H */
