/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl route: the arguments of "route add|del|show", parsed without
 * touching netlink so that syntax errors cost nothing and can be fuzzed.
 */
#ifndef RELAYCTL_ROUTE_H
#define RELAYCTL_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

/* The table and rule priority "route add" uses unless told otherwise. */
#define ROUTE_TABLE_DEFAULT	5353
#define ROUTE_PRIO_DEFAULT	5353
/* Rules must come before the main table's, at 32766. */
#define ROUTE_PRIO_MAX		32765

/*
 * The routing protocol number (rtm_protocol, FRA_PROTOCOL) of every rule
 * and route relayctl installs: how "del" and "show" tell them from
 * anybody else's. Unassigned in iproute2's rt_protos.
 */
#define ROUTE_RTPROT		245

enum route_op { ROUTE_ADD, ROUTE_DEL, ROUTE_SHOW };

enum route_select {
	ROUTE_SELECT_UDP,	/* UDP and ICMP/ICMPv6 echo requests */
	ROUTE_SELECT_ALL,	/* every packet */
};

struct route_args {
	enum route_op op;
	const char *dev;
	bool have_table, have_prio, have_select;
	uint32_t table;
	uint32_t prio;
	enum route_select select;
	bool v4, v6;		/* families to act on (both unless -4/-6) */
	bool help;		/* --help among the arguments */
};

/*
 * Parse "route OP DEV [table ID] [priority N] [proto udp|all] [-4|-6]"
 * (argv[0] is "route"). Returns 0, or -1 after printing what was wrong.
 */
int route_parse_args(int argc, char **argv, struct route_args *a);

#endif /* RELAYCTL_ROUTE_H */
