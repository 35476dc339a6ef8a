// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the relay netdevice (link kind "pktrelay").
 *
 * A pure L3 device like WireGuard's: no link-layer header, no ARP, no
 * qdisc. Packets the stack routes into it reach pktrelay_xmit(); packets
 * the relay produces are injected back as if received on it.
 */
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "pktrelay.h"

/*
 * Large enough that the local stack never fragments a datagram on its way
 * into the device; the relay decides about sizes on the upstream side.
 */
#define PKTRELAY_DEFAULT_MTU	65535
#define PKTRELAY_MIN_MTU	68	/* RFC 791; IPv6 turns off below 1280 */

/* Every pktrelay device, in any namespace. RTNL protects it. */
static LIST_HEAD(pktrelay_devices);

static int pktrelay_dev_init(struct net_device *dev)
{
	struct pktrelay_dev *pr = netdev_priv(dev);
	struct pktrelay_config *cfg;

	int err = -ENOMEM;

	pr->dev = dev;
	INIT_LIST_HEAD(&pr->list);
	pktrelay_echo_init(pr);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;

	pr->stats = netdev_alloc_pcpu_stats(struct pktrelay_pcpu_stats);
	if (!pr->stats)
		goto err_tstats;

	cfg = pktrelay_config_alloc_default();
	if (!cfg)
		goto err_stats;
	RCU_INIT_POINTER(pr->config, cfg);

	err = gro_cells_init(&pr->gro_cells, dev);
	if (err)
		goto err_config;

	err = pktrelay_assocs_init(pr);
	if (err)
		goto err_gro;

	return 0;

err_gro:
	gro_cells_destroy(&pr->gro_cells);
err_config:
	pktrelay_config_free(cfg);
err_stats:
	free_percpu(pr->stats);
err_tstats:
	free_percpu(dev->tstats);
	return err;
}

/*
 * Called under RTNL once the device is unlisted and synchronize_net() has
 * run, so no transmit and no netlink handler still uses what we free.
 */
static void pktrelay_dev_uninit(struct net_device *dev)
{
	struct pktrelay_dev *pr = netdev_priv(dev);

	list_del_init(&pr->list);
	/* Waits until every association and its upstream socket is gone. */
	pktrelay_assocs_destroy(pr);
	gro_cells_destroy(&pr->gro_cells);
	pktrelay_config_free(rtnl_dereference(pr->config));
	RCU_INIT_POINTER(pr->config, NULL);
	free_percpu(pr->stats);
	free_percpu(dev->tstats);
}

static const struct net_device_ops pktrelay_netdev_ops = {
	.ndo_init		= pktrelay_dev_init,
	.ndo_uninit		= pktrelay_dev_uninit,
	.ndo_start_xmit		= pktrelay_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void pktrelay_setup(struct net_device *dev)
{
	dev->netdev_ops = &pktrelay_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_LLTX;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = PKTRELAY_DEFAULT_MTU;
	dev->min_mtu = PKTRELAY_MIN_MTU;
	dev->max_mtu = PKTRELAY_DEFAULT_MTU;
	dev->needs_free_netdev = true;
	/* icmp_ndo_send() needs the route the packet came with. */
	netif_keep_dst(dev);
}

static int pktrelay_newlink(struct net *src_net, struct net_device *dev,
			    struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct pktrelay_dev *pr = netdev_priv(dev);
	int err;

	pr->creating_net = src_net;
	err = register_netdevice(dev);
	if (err)
		return err;
	list_add(&pr->list, &pktrelay_devices);
	return 0;
}

struct rtnl_link_ops pktrelay_link_ops __read_mostly = {
	.kind		= "pktrelay",
	.priv_size	= sizeof(struct pktrelay_dev),
	.setup		= pktrelay_setup,
	.newlink	= pktrelay_newlink,
};

/*
 * A device keeps its upstream sockets in the namespace it was created in,
 * which it holds no reference on. When that namespace goes away, delete
 * the devices created there, wherever they live now, before its sockets
 * can no longer be released.
 */
static void __net_exit pktrelay_net_pre_exit(struct net *net)
{
	struct pktrelay_dev *pr, *tmp;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry_safe(pr, tmp, &pktrelay_devices, list) {
		if (pr->creating_net == net)
			unregister_netdevice_queue(pr->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations pktrelay_net_ops = {
	.pre_exit = pktrelay_net_pre_exit,
};

int __init pktrelay_devices_init(void)
{
	int err;

	err = register_pernet_device(&pktrelay_net_ops);
	if (err)
		return err;
	err = rtnl_link_register(&pktrelay_link_ops);
	if (err)
		unregister_pernet_device(&pktrelay_net_ops);
	return err;
}

void pktrelay_devices_exit(void)
{
	/* Deletes every pktrelay device in every namespace. */
	rtnl_link_unregister(&pktrelay_link_ops);
	unregister_pernet_device(&pktrelay_net_ops);
}

void pktrelay_stats_read(struct pktrelay_dev *pr, u64 out[PKTRELAY_STAT_NUM])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * PKTRELAY_STAT_NUM);
	for_each_possible_cpu(cpu) {
		const struct pktrelay_pcpu_stats *s = per_cpu_ptr(pr->stats, cpu);
		u64 snap[PKTRELAY_STAT_NUM];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < PKTRELAY_STAT_NUM; i++)
				snap[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < PKTRELAY_STAT_NUM; i++)
			out[i] += snap[i];
	}
}
