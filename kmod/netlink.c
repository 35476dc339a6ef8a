// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the "pktrelay" generic netlink family.
 *
 * Handlers run under RTNL: it orders configuration writers, and it keeps a
 * device found by index or name from being torn down (ndo_uninit runs
 * under RTNL too) while a handler reads its state.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "pktrelay.h"

/* Not const: the 6.1 policy struct takes a non-const pointer. */
static struct netlink_range_validation pktrelay_timeout_range = {
	.min = PKTRELAY_TIMEOUT_MIN,
	.max = PKTRELAY_TIMEOUT_MAX,
};

static struct netlink_range_validation pktrelay_max_assocs_range = {
	.min = 1,
	.max = PKTRELAY_MAX_ASSOCS_MAX,
};

static struct netlink_range_validation pktrelay_per_source_range = {
	.min = 0,
	.max = PKTRELAY_MAX_ASSOCS_MAX,
};

static struct netlink_range_validation pktrelay_echo_burst_range = {
	.min = 1,
	.max = PKTRELAY_ECHO_BURST_MAX,
};

static const struct nla_policy pktrelay_upstream_policy[PKTRELAY_A_UPSTREAM_MAX + 1] = {
	[PKTRELAY_A_UPSTREAM_TYPE] = NLA_POLICY_RANGE(NLA_U8, PKTRELAY_UPSTREAM_NONE,
						      PKTRELAY_UPSTREAM_MAX),
	[PKTRELAY_A_UPSTREAM_ADDR4] = NLA_POLICY_EXACT_LEN(4),
	[PKTRELAY_A_UPSTREAM_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[PKTRELAY_A_UPSTREAM_PORT] = { .type = NLA_BE16 },
	[PKTRELAY_A_UPSTREAM_USERNAME] = { .type = NLA_STRING,
					   .len = PKTRELAY_USERNAME_MAX },
	[PKTRELAY_A_UPSTREAM_PASSWORD] = { .type = NLA_BINARY,
					   .len = PKTRELAY_PASSWORD_MAX },
};

static const struct nla_policy pktrelay_dev_policy[PKTRELAY_A_DEV_MAX + 1] = {
	[PKTRELAY_A_DEV_IFINDEX] = { .type = NLA_U32 },
	[PKTRELAY_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[PKTRELAY_A_DEV_UPSTREAM] = NLA_POLICY_NESTED(pktrelay_upstream_policy),
	[PKTRELAY_A_DEV_UDP_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							     &pktrelay_timeout_range),
	[PKTRELAY_A_DEV_DNS_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							     &pktrelay_timeout_range),
	[PKTRELAY_A_DEV_REFRESH] = NLA_POLICY_RANGE(NLA_U8, PKTRELAY_REFRESH_OUTBOUND,
						    PKTRELAY_REFRESH_MAX),
	[PKTRELAY_A_DEV_MAX_ASSOCS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &pktrelay_max_assocs_range),
	[PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &pktrelay_per_source_range),
	[PKTRELAY_A_DEV_FWMARK] = { .type = NLA_U32 },
	[PKTRELAY_A_DEV_DNS] = NLA_POLICY_RANGE(NLA_U8, PKTRELAY_DNS_RELAY,
						PKTRELAY_DNS_MAX),
	[PKTRELAY_A_DEV_ICMP_ECHO] = NLA_POLICY_RANGE(NLA_U8, PKTRELAY_ICMP_ECHO_REPLY,
						      PKTRELAY_ICMP_ECHO_MAX),
	[PKTRELAY_A_DEV_ECHO_RATE] = { .type = NLA_U32 },
	[PKTRELAY_A_DEV_ECHO_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &pktrelay_echo_burst_range),
	[PKTRELAY_A_DEV_FEATURES] = { .type = NLA_REJECT,
				      .reject_message = "features are read-only" },
	[PKTRELAY_A_DEV_STATS] = { .type = NLA_REJECT,
				   .reject_message = "stats are read-only" },
};

static struct genl_family pktrelay_genl_family;

/* Caller holds RTNL. Returns the pktrelay device the request names. */
static struct net_device *pktrelay_nl_dev(struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[PKTRELAY_A_DEV_IFINDEX];
	struct nlattr *ifname = info->attrs[PKTRELAY_A_DEV_IFNAME];
	struct net *net = genl_info_net(info);
	struct net_device *dev = NULL;

	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifindex,
					    "no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		struct net_device *named = __dev_get_by_name(net, nla_data(ifname));

		if (!named) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifname,
					    "no device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifname,
					    "ifindex and ifname name different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}
	if (!dev) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "request needs the device's ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (!pktrelay_is_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex ?: ifname,
				    "not a pktrelay device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int pktrelay_nl_fill_stats(struct sk_buff *skb, struct net_device *dev)
{
	static const int stat_attr[PKTRELAY_STAT_NUM] = {
		[PKTRELAY_STAT_UNHANDLED] = PKTRELAY_A_STATS_UNHANDLED,
		[PKTRELAY_STAT_MALFORMED] = PKTRELAY_A_STATS_MALFORMED,
		[PKTRELAY_STAT_UNREACH_SENT] = PKTRELAY_A_STATS_UNREACH_SENT,
	};
	struct rtnl_link_stats64 ls;
	u64 cnt[PKTRELAY_STAT_NUM];
	struct nlattr *nest;
	int i;

	dev_get_stats(dev, &ls);
	pktrelay_stats_read(netdev_priv(dev), cnt);

	nest = nla_nest_start(skb, PKTRELAY_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PKTRELAY_A_STATS_TX_PACKETS, ls.tx_packets,
			      PKTRELAY_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_STATS_TX_BYTES, ls.tx_bytes,
			      PKTRELAY_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_STATS_TX_DROPPED, ls.tx_dropped,
			      PKTRELAY_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_STATS_RX_PACKETS, ls.rx_packets,
			      PKTRELAY_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_STATS_RX_BYTES, ls.rx_bytes,
			      PKTRELAY_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_STATS_RX_DROPPED, ls.rx_dropped,
			      PKTRELAY_A_STATS_PAD))
		goto err;
	for (i = 0; i < PKTRELAY_STAT_NUM; i++)
		if (nla_put_u64_64bit(skb, stat_attr[i], cnt[i],
				      PKTRELAY_A_STATS_PAD))
			goto err;
	nla_nest_end(skb, nest);
	return 0;

err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Caller holds RTNL. */
static int pktrelay_nl_fill_dev(struct sk_buff *skb, struct net_device *dev,
				u32 portid, u32 seq, int flags)
{
	struct pktrelay_dev *pr = netdev_priv(dev);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktrelay_genl_family, flags,
			  PKTRELAY_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, PKTRELAY_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, PKTRELAY_A_DEV_IFNAME, dev->name) ||
	    pktrelay_config_fill(skb, rtnl_dereference(pr->config)) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_FEATURES, PKTRELAY_FEATURES) ||
	    pktrelay_nl_fill_stats(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int pktrelay_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	dev = pktrelay_nl_dev(info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_unlock;
	}
	err = pktrelay_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0);
	if (err)
		goto err_unlock;
	rtnl_unlock();

	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * The dump cursor is the last ifindex sent, and every round sends the
 * pktrelay device with the next higher ifindex, so devices created or
 * deleted between rounds never make the dump skip or repeat another one.
 */
static int pktrelay_nl_dev_get_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	int last = cb->args[0];
	struct net_device *dev, *next;
	int err = 0;

	rtnl_lock();
	for (;;) {
		next = NULL;
		for_each_netdev(net, dev) {
			if (pktrelay_is_dev(dev) && dev->ifindex > last &&
			    (!next || dev->ifindex < next->ifindex))
				next = dev;
		}
		if (!next)
			break;
		err = pktrelay_nl_fill_dev(skb, next, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		last = next->ifindex;
	}
	rtnl_unlock();

	cb->args[0] = last;
	/* A full buffer with nothing in it means one device does not fit. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int pktrelay_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pktrelay_config *old, *cfg;
	struct pktrelay_dev *pr;
	struct net_device *dev;
	int err;

	rtnl_lock();
	dev = pktrelay_nl_dev(info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out_unlock;
	}
	pr = netdev_priv(dev);
	old = rtnl_dereference(pr->config);

	cfg = kmemdup(old, sizeof(*old), GFP_KERNEL);
	if (!cfg) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = pktrelay_config_apply(cfg, info->attrs, info->extack);
	if (err) {
		kfree(cfg);
		goto out_unlock;
	}
	rcu_assign_pointer(pr->config, cfg);
	kfree_rcu(old, rcu);

out_unlock:
	rtnl_unlock();
	return err;
}

static const struct genl_small_ops pktrelay_genl_ops[] = {
	{
		.cmd	= PKTRELAY_CMD_DEV_GET,
		.doit	= pktrelay_nl_dev_get_doit,
		.dumpit	= pktrelay_nl_dev_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PKTRELAY_CMD_DEV_SET,
		.doit	= pktrelay_nl_dev_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pktrelay_genl_mcgrps[] = {
	{ .name = PKTRELAY_MCGRP_EVENTS, .flags = GENL_UNS_ADMIN_PERM },
};

static struct genl_family pktrelay_genl_family __ro_after_init = {
	.name		= PKTRELAY_GENL_NAME,
	.version	= PKTRELAY_GENL_VERSION,
	.maxattr	= PKTRELAY_A_DEV_MAX,
	.policy		= pktrelay_dev_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= pktrelay_genl_ops,
	.n_small_ops	= ARRAY_SIZE(pktrelay_genl_ops),
	/* Strict validation of header and attributes for every command. */
	.resv_start_op	= PKTRELAY_CMD_DEV_SET + 1,
	.mcgrps		= pktrelay_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pktrelay_genl_mcgrps),
};

int __init pktrelay_genl_register(void)
{
	return genl_register_family(&pktrelay_genl_family);
}

void pktrelay_genl_unregister(void)
{
	genl_unregister_family(&pktrelay_genl_family);
}
