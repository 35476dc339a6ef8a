/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: one UDP association as reported by PKTRELAY_CMD_ASSOC_GET and
 * announced by PKTRELAY_CMD_ASSOC_NEW and _DEL, parsed from its netlink
 * message and printed as a table row, an event line, or JSON.
 */
#ifndef RELAYCTL_ASSOC_H
#define RELAYCTL_ASSOC_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/pktrelay.h>

#include "json.h"

struct assoc_info {
	uint8_t cmd;		/* PKTRELAY_CMD_* of the message */
	bool have_ifindex;
	uint32_t ifindex;	/* the device's */
	uint32_t have;		/* bit PKTRELAY_A_ASSOC_X: attribute X present */
	/* Scalar attributes by PKTRELAY_A_ASSOC_*; ports in host byte order. */
	uint64_t val[PKTRELAY_A_ASSOC_MAX + 1];
	/* LOCAL_ADDR, REMOTE_ADDR, RELAY_ADDR: 4 or 16 bytes, as .family. */
	unsigned char local[16], remote[16], relay[16];
	/* The relay socket's family may differ from the app's (socks5). */
	int relay_family;
};

#define ASSOC_HAS(a, attr)	(((a)->have >> (attr)) & 1)

/*
 * Fill @a from an association message. ID, FAMILY (AF_INET or AF_INET6),
 * LOCAL_ADDR and LOCAL_PORT are required, and every address must be as
 * long as the family's. Returns 0, or -1 if malformed.
 */
int assoc_parse(struct nlmsghdr *nlh, struct assoc_info *a);

/* qsort() order: family, local address, local port, then id. */
int assoc_cmp(const void *x, const void *y);

/*
 * The flows table: a header line, then one line per association of @a
 * (in the order given) with the columns LOCAL, REMOTE, RELAY, UPSTREAM,
 * STATE, TX, RX, IDLE and EXPIRES, aligned; "-" for what is absent.
 */
void assoc_print_table(FILE *f, const struct assoc_info *a, size_t n);

/* One JSON object with the members of "flows -j". */
void assoc_print_json(struct json *j, const struct assoc_info *a);

/*
 * One event line of "monitor": "new LOCAL -> REMOTE relay RELAY dev IFNAME
 * upstream TYPE", and " reason REASON" for "del". @ifname NULL: the device
 * is shown as "if" IFINDEX.
 */
void assoc_print_event(FILE *f, const struct assoc_info *a, const char *ifname);

/*
 * One JSON object for "monitor -j": "event", "ifindex", "ifname" (null
 * if @ifname is NULL), the members of assoc_print_json(), and "reason"
 * for "del". Write it with a compact struct json for one line per event.
 */
void assoc_print_event_json(struct json *j, const struct assoc_info *a,
			    const char *ifname);

#endif /* RELAYCTL_ASSOC_H */
