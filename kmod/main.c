// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: module entry points.
 *
 * The link kind goes first so that by the time the netlink family becomes
 * visible, every device it could name can exist; teardown runs in reverse
 * so no netlink handler is in flight while the devices are deleted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "pktrelay.h"

static int __init pktrelay_init(void)
{
	int err;

	err = rtnl_link_register(&pktrelay_link_ops);
	if (err)
		return err;

	err = pktrelay_genl_register();
	if (err)
		goto err_link;

	return 0;

err_link:
	rtnl_link_unregister(&pktrelay_link_ops);
	return err;
}

static void __exit pktrelay_exit(void)
{
	pktrelay_genl_unregister();
	/* Deletes every pktrelay device in every namespace. */
	rtnl_link_unregister(&pktrelay_link_ops);
}

module_init(pktrelay_init);
module_exit(pktrelay_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel UDP, DNS and ICMP packet relay device");
MODULE_AUTHOR("pktrelay developers");
MODULE_ALIAS_RTNL_LINK("pktrelay");
MODULE_ALIAS_GENL_FAMILY(PKTRELAY_GENL_NAME);
