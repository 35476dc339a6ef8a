/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl fuzz targets: fuzzer input as command-line arguments, split at
 * NUL bytes and newlines (so seeds are readable, one argument a line).
 */
#ifndef RELAYCTL_FUZZ_SPLIT_H
#define RELAYCTL_FUZZ_SPLIT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Copy @data into a new NUL-terminated buffer (returned; free it) and add
 * its arguments to @argv after the @*argc already there, @max in all. A
 * separator at the very end ends the last argument, no more.
 */
static inline char *fuzz_split(const uint8_t *data, size_t size, char **argv,
			       int *argc, int max)
{
	char *buf = malloc(size + 1), *p;

	if (!buf)
		return NULL;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf; *argc < max && p < buf + size; ) {
		size_t n = strcspn(p, "\n");	/* stops at NUL too */

		argv[(*argc)++] = p;
		p[n] = '\0';
		p += n + 1;
	}
	return buf;
}

#endif /* RELAYCTL_FUZZ_SPLIT_H */
