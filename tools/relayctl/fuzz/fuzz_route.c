// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the arguments of "relayctl route add|del|show ...".
 *
 * The input is split into arguments at NUL bytes and newlines, as for
 * fuzz_args. Besides surviving the sanitizers, whatever the parser
 * accepts must be something route add could install safely: a device
 * name that fits, a table of its own (never main, local or default), a
 * rule priority before the main table's rule, at least one family, and
 * the keys only "add" takes only with "add".
 */
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../route.h"
#include "split.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct route_args *a)
{
	const char *why = NULL;
	size_t len = strlen(a->dev);

	if (len == 0 || len >= IFNAMSIZ)
		why = "device name length";
	else if (a->table == 0 || (a->table >= 253 && a->table <= 255))
		why = "a table of the kernel's";
	else if (a->prio == 0 || a->prio > ROUTE_PRIO_MAX)
		why = "priority at or after the main table's rule";
	else if (!a->v4 && !a->v6)
		why = "no family";
	else if (a->op != ROUTE_ADD && (a->have_prio || a->have_select))
		why = "priority or proto accepted without add";
	else if (a->select != ROUTE_SELECT_UDP && a->select != ROUTE_SELECT_ALL)
		why = "unknown selection";
	if (why) {
		fprintf(stderr, "fuzz_route: accepted arguments with %s (dev \"%s\", table %u, priority %u)\n",
			why, a->dev, a->table, a->prio);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS];
	struct route_args a;
	char *buf;
	int argc = 1;

	argv[0] = "route";
	buf = fuzz_split(data, size, argv, &argc, MAX_ARGS);
	if (!buf)
		return 0;
	if (route_parse_args(argc, argv, &a) == 0 && !a.help)
		check(&a);
	free(buf);
	return 0;
}
