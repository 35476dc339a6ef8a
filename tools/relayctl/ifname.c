// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: the one check every DEV argument goes through, apart from
 * main.c so that the fuzz targets test the real thing.
 */
#include <net/if.h>
#include <string.h>

#include "relayctl.h"

int check_ifname(const char *cmd, const char *name)
{
	if (!name[0] || strlen(name) >= IFNAMSIZ) {
		pr_err("%s: \"%s\" is not a device name (1 to %d bytes)",
		       cmd, name, IFNAMSIZ - 1);
		return -1;
	}
	return 0;
}
