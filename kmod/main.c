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
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "pktrelay.h"

/* Opens upstreams and releases associations: process context that may sleep. */
struct workqueue_struct *pktrelay_wq;

static int __init pktrelay_init(void)
{
	int err;

	pktrelay_wq = alloc_workqueue("pktrelay", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!pktrelay_wq)
		return -ENOMEM;

	err = pktrelay_devices_init();
	if (err)
		goto err_wq;

	err = pktrelay_genl_register();
	if (err)
		goto err_devices;

	return 0;

err_devices:
	pktrelay_devices_exit();
err_wq:
	destroy_workqueue(pktrelay_wq);
	return err;
}

static void __exit pktrelay_exit(void)
{
	pktrelay_genl_unregister();
	pktrelay_devices_exit();
	/* Associations free themselves in RCU callbacks that live here. */
	rcu_barrier();
	destroy_workqueue(pktrelay_wq);
}

module_init(pktrelay_init);
module_exit(pktrelay_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel UDP, DNS and ICMP packet relay device");
MODULE_AUTHOR("pktrelay developers");
MODULE_ALIAS_RTNL_LINK("pktrelay");
MODULE_ALIAS_GENL_FAMILY(PKTRELAY_GENL_NAME);
