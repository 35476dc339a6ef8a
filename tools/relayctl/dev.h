/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: one pktrelay device as reported by PKTRELAY_CMD_DEV_GET,
 * parsed from its netlink message and printed as text or JSON.
 */
#ifndef RELAYCTL_DEV_H
#define RELAYCTL_DEV_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/pktrelay.h>

#include "json.h"

#define DEV_MAX_STATS	64

struct dev_stat {
	uint16_t type;		/* PKTRELAY_A_STATS_* */
	uint64_t value;
};

struct dev_upstream {
	bool have_type, have_port, have_user;
	uint8_t type;		/* enum pktrelay_upstream_type */
	int family;		/* AF_INET, AF_INET6, or 0: no address */
	unsigned char addr[16];
	uint16_t port;		/* host byte order */
	char user[PKTRELAY_USERNAME_MAX + 1];
};

struct dev_info {
	uint64_t have;		/* bit PKTRELAY_A_DEV_X: attribute X present */
	uint32_t ifindex;
	char ifname[64];	/* IFNAMSIZ on the kernel side; room to spare */
	uint32_t val[PKTRELAY_A_DEV_MAX + 1];	/* scalar attributes */
	struct dev_upstream up;
	unsigned int nstats;
	struct dev_stat stats[DEV_MAX_STATS];	/* sorted by type */
};

#define DEV_HAS(d, attr)	(((d)->have >> (attr)) & 1)

/* Fill @d from a PKTRELAY_CMD_DEV_GET message. Returns 0, or -1 if malformed. */
int dev_parse(struct nlmsghdr *nlh, struct dev_info *d);

struct rnl;

/*
 * PKTRELAY_CMD_DEV_GET for the device @name into @d. Returns 0, or -1
 * after saying why (no such device, not a pktrelay device, ...).
 */
int dev_fetch(struct rnl *c, const char *name, struct dev_info *d);

void dev_print_text(FILE *f, const struct dev_info *d);
void dev_print_json(struct json *j, const struct dev_info *d);

#endif /* RELAYCTL_DEV_H */
