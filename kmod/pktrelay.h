/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktrelay: internal definitions shared by the module's files.
 *
 * Object lifetimes
 * ----------------
 * struct pktrelay_dev is the netdev private area: the net_device owns it.
 * Everything it points to is allocated in ndo_init and freed in ndo_uninit.
 * ndo_uninit runs under RTNL after the device has been unlisted and after
 * synchronize_net(), so no transmit path and no RTNL-holding netlink
 * handler can still see the device by then.
 *
 * The configuration is read by the packet path under RCU and replaced
 * whole by netlink writers holding RTNL (copy, modify, publish, free the
 * old copy after a grace period), so a reader sees one consistent version.
 */
#ifndef _PKTRELAY_H
#define _PKTRELAY_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/pktrelay.h>

struct genl_info;
struct nlattr;
struct netlink_ext_ack;

/* Per-device configuration; see include/uapi/linux/pktrelay.h. */
struct pktrelay_config {
	struct rcu_head rcu;
	u8 upstream_type;		/* enum pktrelay_upstream_type */
	u8 refresh;			/* enum pktrelay_refresh */
	u8 dns;				/* enum pktrelay_dns_policy */
	u8 icmp_echo;			/* enum pktrelay_icmp_echo */
	u32 udp_timeout;		/* seconds */
	u32 dns_timeout;		/* seconds */
	u32 max_assocs;
	u32 max_assocs_per_source;	/* 0: no limit */
	u32 fwmark;
	u32 echo_rate;			/* per second, 0: unlimited */
	u32 echo_burst;
};

/* Drop reasons and events counted per CPU, beyond the netdev counters. */
enum pktrelay_stat {
	PKTRELAY_STAT_UNHANDLED,
	PKTRELAY_STAT_MALFORMED,
	PKTRELAY_STAT_UNREACH_SENT,

	PKTRELAY_STAT_NUM,
};

struct pktrelay_pcpu_stats {
	u64_stats_t cnt[PKTRELAY_STAT_NUM];
	struct u64_stats_sync syncp;
};

struct pktrelay_dev {
	struct net_device *dev;
	struct pktrelay_config __rcu *config;
	struct pktrelay_pcpu_stats __percpu *stats;
};

/* Behaviour this build really performs (PKTRELAY_A_DEV_FEATURES). */
#define PKTRELAY_FEATURES	PKTRELAY_FEATURE_UNREACH

/* device.c */
extern struct rtnl_link_ops pktrelay_link_ops;

static inline bool pktrelay_is_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &pktrelay_link_ops;
}

/* Callers run with BH disabled (the transmit path), so this CPU is stable. */
static inline void pktrelay_stat_inc(struct pktrelay_dev *pr,
				     enum pktrelay_stat stat)
{
	struct pktrelay_pcpu_stats *s = this_cpu_ptr(pr->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[stat]);
	u64_stats_update_end(&s->syncp);
}

void pktrelay_stats_read(struct pktrelay_dev *pr, u64 out[PKTRELAY_STAT_NUM]);

/* xmit.c */
netdev_tx_t pktrelay_xmit(struct sk_buff *skb, struct net_device *dev);

/* config.c */
struct pktrelay_config *pktrelay_config_alloc_default(void);
int pktrelay_config_apply(struct pktrelay_config *cfg, struct nlattr **attrs,
			  struct netlink_ext_ack *extack);
int pktrelay_config_fill(struct sk_buff *skb,
			 const struct pktrelay_config *cfg);

/* netlink.c */
int pktrelay_genl_register(void);
void pktrelay_genl_unregister(void);

#endif /* _PKTRELAY_H */
