// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl route: argument parsing (no netlink here).
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "relayctl.h"
#include "route.h"

static const struct {
	const char *name;
	enum route_op op;
} route_ops[] = {
	{ "add", ROUTE_ADD },
	{ "del", ROUTE_DEL },
	{ "delete", ROUTE_DEL },
	{ "show", ROUTE_SHOW },
	{ "list", ROUTE_SHOW },
};

static const char *const op_names[] = {
	[ROUTE_ADD] = "route add",
	[ROUTE_DEL] = "route del",
	[ROUTE_SHOW] = "route show",
};

static int parse_number(const char *op, const char *key, const char *s,
			uint32_t lo, uint32_t hi, uint32_t *out)
{
	const char *why;

	if (parse_u32(s, false, out, &why) < 0) {
		pr_err("%s: %s: \"%s\" %s", op, key, s, why);
		return -1;
	}
	if (*out < lo || *out > hi) {
		pr_err("%s: %s: \"%s\" is out of range %u..%u", op, key, s, lo, hi);
		return -1;
	}
	return 0;
}

/*
 * Tables 253 (default), 254 (main) and 255 (local) belong to the kernel's
 * own rules: a "default dev DEV" there would not vanish harmlessly, and
 * "route del" must never touch them.
 */
static int parse_table(const char *op, const char *s, uint32_t *table)
{
	if (!strcmp(s, "main") || !strcmp(s, "local") || !strcmp(s, "default")) {
		pr_err("%s: table: \"%s\" is the kernel's; pick a table of its own (1..252 or 256..)",
		       op, s);
		return -1;
	}
	if (parse_number(op, "table", s, 1, UINT32_MAX, table) < 0)
		return -1;
	if (*table >= 253 && *table <= 255) {
		pr_err("%s: table: %s is the kernel's %s table; pick one of its own",
		       op, s, *table == 253 ? "default" : *table == 254 ? "main" : "local");
		return -1;
	}
	return 0;
}

/* KEY at argv[i]: its value is argv[i + 1]. Returns the next index, or -1. */
static int parse_key(struct route_args *a, const char *op, int argc, char **argv, int i)
{
	const char *key = argv[i];
	const char *val = i + 1 < argc ? argv[i + 1] : NULL;
	bool *seen;

	if (!strcmp(key, "table"))
		seen = &a->have_table;
	else if (!strcmp(key, "priority") || !strcmp(key, "prio") ||
		 !strcmp(key, "pref"))
		seen = &a->have_prio;
	else if (!strcmp(key, "proto"))
		seen = &a->have_select;
	else {
		pr_err("%s: unexpected argument \"%s\"", op, key);
		usage_hint("route");
		return -1;
	}
	if (*seen) {
		pr_err("%s: %s: given more than once", op, key);
		return -1;
	}
	*seen = true;
	if (!val) {
		pr_err("%s: %s: missing value", op, key);
		return -1;
	}
	if (seen == &a->have_table) {
		if (parse_table(op, val, &a->table) < 0)
			return -1;
	} else if (seen == &a->have_prio) {
		if (a->op != ROUTE_ADD) {
			pr_err("%s: %s: only \"route add\" takes a priority", op, key);
			return -1;
		}
		if (parse_number(op, key, val, 1, ROUTE_PRIO_MAX, &a->prio) < 0)
			return -1;
	} else {
		if (a->op != ROUTE_ADD) {
			pr_err("%s: proto: only \"route add\" takes a protocol", op);
			return -1;
		}
		if (!strcmp(val, "udp")) {
			a->select = ROUTE_SELECT_UDP;
		} else if (!strcmp(val, "all")) {
			a->select = ROUTE_SELECT_ALL;
		} else {
			pr_err("%s: proto: \"%s\" is not one of: udp, all", op, val);
			return -1;
		}
	}
	return i + 2;
}

int route_parse_args(int argc, char **argv, struct route_args *a)
{
	const char *op;
	size_t k;
	int i;

	memset(a, 0, sizeof(*a));
	a->table = ROUTE_TABLE_DEFAULT;
	a->prio = ROUTE_PRIO_DEFAULT;
	a->select = ROUTE_SELECT_UDP;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			a->help = true;
			return 0;
		}
	}
	if (argc < 2) {
		pr_err("route: missing add, del or show");
		usage_hint("route");
		return -1;
	}
	for (k = 0; k < sizeof(route_ops) / sizeof(route_ops[0]); k++)
		if (!strcmp(argv[1], route_ops[k].name))
			break;
	if (k == sizeof(route_ops) / sizeof(route_ops[0])) {
		pr_err("route: \"%s\" is not one of: add, del, show", argv[1]);
		usage_hint("route");
		return -1;
	}
	a->op = route_ops[k].op;
	op = op_names[a->op];

	if (argc < 3) {
		pr_err("%s: missing device", op);
		usage_hint("route");
		return -1;
	}
	a->dev = argv[2];
	if (check_ifname(op, a->dev) < 0)
		return -1;

	for (i = 3; i < argc;) {
		if (!strcmp(argv[i], "-4") || !strcmp(argv[i], "-6")) {
			if (a->v4 || a->v6) {
				pr_err("%s: give at most one of -4 and -6", op);
				return -1;
			}
			*(argv[i][1] == '4' ? &a->v4 : &a->v6) = true;
			i++;
			continue;
		}
		i = parse_key(a, op, argc, argv, i);
		if (i < 0)
			return -1;
	}
	if (!a->v4 && !a->v6)
		a->v4 = a->v6 = true;
	return 0;
}
