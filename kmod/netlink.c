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

#include "assoc.h"

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
	[PKTRELAY_A_DEV_ASSOCS] = { .type = NLA_REJECT,
				    .reject_message = "assocs is read-only" },
	[PKTRELAY_A_DEV_ASSOC] = { .type = NLA_REJECT,
				   .reject_message = "associations are read-only" },
	[PKTRELAY_A_DEV_RESET] = { .type = NLA_FLAG },
};

static struct genl_family pktrelay_genl_family;

/* Caller holds RTNL. Returns the pktrelay device the request names. */
static struct net_device *pktrelay_nl_find_dev(struct net *net,
					       struct nlattr **attrs,
					       struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[PKTRELAY_A_DEV_IFINDEX];
	struct nlattr *ifname = attrs[PKTRELAY_A_DEV_IFNAME];
	struct net_device *dev = NULL;

	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex,
					    "no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		struct net_device *named = __dev_get_by_name(net, nla_data(ifname));

		if (!named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "no device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "ifindex and ifname name different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}
	if (!dev) {
		NL_SET_ERR_MSG_MOD(extack,
				   "request needs the device's ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (!pktrelay_is_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "not a pktrelay device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static struct net_device *pktrelay_nl_dev(struct genl_info *info)
{
	return pktrelay_nl_find_dev(genl_info_net(info), info->attrs,
				    info->extack);
}

static int pktrelay_nl_fill_stats(struct sk_buff *skb, struct net_device *dev)
{
	static const int stat_attr[PKTRELAY_STAT_NUM] = {
		[PKTRELAY_STAT_UNHANDLED] = PKTRELAY_A_STATS_UNHANDLED,
		[PKTRELAY_STAT_MALFORMED] = PKTRELAY_A_STATS_MALFORMED,
		[PKTRELAY_STAT_UNREACH_SENT] = PKTRELAY_A_STATS_UNREACH_SENT,
		[PKTRELAY_STAT_ASSOC_CREATED] = PKTRELAY_A_STATS_ASSOC_CREATED,
		[PKTRELAY_STAT_ASSOC_EXPIRED] = PKTRELAY_A_STATS_ASSOC_EXPIRED,
		[PKTRELAY_STAT_ASSOC_REFUSED] = PKTRELAY_A_STATS_ASSOC_REFUSED,
		[PKTRELAY_STAT_OPEN_FAILED] = PKTRELAY_A_STATS_OPEN_FAILED,
		[PKTRELAY_STAT_QUEUE_DROPS] = PKTRELAY_A_STATS_QUEUE_DROPS,
		[PKTRELAY_STAT_NOMEM] = PKTRELAY_A_STATS_NOMEM,
		[PKTRELAY_STAT_UPSTREAM_ERRORS] = PKTRELAY_A_STATS_UPSTREAM_ERRORS,
		[PKTRELAY_STAT_RX_NO_ASSOC] = PKTRELAY_A_STATS_RX_NO_ASSOC,
		[PKTRELAY_STAT_FRAGMENTS] = PKTRELAY_A_STATS_FRAGMENTS,
		[PKTRELAY_STAT_DNS_TRUNCATED] = PKTRELAY_A_STATS_DNS_TRUNCATED,
		[PKTRELAY_STAT_DNS_MALFORMED] = PKTRELAY_A_STATS_DNS_MALFORMED,
		[PKTRELAY_STAT_ECHO_REPLIED] = PKTRELAY_A_STATS_ECHO_REPLIED,
		[PKTRELAY_STAT_ECHO_DROPPED] = PKTRELAY_A_STATS_ECHO_DROPPED,
		[PKTRELAY_STAT_ECHO_RATELIMITED] = PKTRELAY_A_STATS_ECHO_RATELIMITED,
		[PKTRELAY_STAT_ICMP_OTHER] = PKTRELAY_A_STATS_ICMP_OTHER,
		[PKTRELAY_STAT_SOCKS5_CLOSED] = PKTRELAY_A_STATS_SOCKS5_CLOSED,
		[PKTRELAY_STAT_SOCKS5_BAD_DATAGRAM] =
			PKTRELAY_A_STATS_SOCKS5_BAD_DATAGRAM,
		[PKTRELAY_STAT_ASSOC_EVICTED] = PKTRELAY_A_STATS_ASSOC_EVICTED,
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
	    nla_put_u32(skb, PKTRELAY_A_DEV_ASSOCS, atomic_read(&pr->nassocs)) ||
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

	/*
	 * RESET replaces the whole configuration: starting from a new
	 * device's defaults makes every attribute the request leaves out
	 * go back to its default in the same all-or-nothing step, which a
	 * separate "reset, then set" could not promise.
	 */
	if (nla_get_flag(info->attrs[PKTRELAY_A_DEV_RESET]))
		cfg = pktrelay_config_alloc_default();
	else
		cfg = pktrelay_config_dup(old);
	if (!cfg) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = pktrelay_config_apply(cfg, info->attrs, info->extack);
	if (err) {
		pktrelay_config_free(cfg);
		goto out_unlock;
	}
	rcu_assign_pointer(pr->config, cfg);
	pktrelay_config_free_rcu(old);

out_unlock:
	rtnl_unlock();
	return err;
}

static int pktrelay_nl_put_addr(struct sk_buff *skb, int type, u8 family,
				const union pktrelay_addr *addr)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, addr);
}

static int pktrelay_nl_fill_assoc_nest(struct sk_buff *skb,
				       struct pktrelay_assoc *a, u8 cmd)
{
	unsigned long now = jiffies;
	u64 idle = jiffies_to_msecs(now - READ_ONCE(a->last_active));
	u8 state = READ_ONCE(a->state);
	u64 timeout;

	rcu_read_lock();
	timeout = pktrelay_assoc_timeout(a, rcu_dereference(a->pr->config)) *
		  (u64)MSEC_PER_SEC;
	rcu_read_unlock();

	if (nla_put_u32(skb, PKTRELAY_A_ASSOC_ID, a->id) ||
	    nla_put_u8(skb, PKTRELAY_A_ASSOC_FAMILY, a->key.family) ||
	    pktrelay_nl_put_addr(skb, PKTRELAY_A_ASSOC_LOCAL_ADDR, a->key.family,
				 &a->key.addr) ||
	    nla_put_be16(skb, PKTRELAY_A_ASSOC_LOCAL_PORT, a->key.port) ||
	    pktrelay_nl_put_addr(skb, PKTRELAY_A_ASSOC_REMOTE_ADDR,
				 a->key.family, &a->remote) ||
	    nla_put_be16(skb, PKTRELAY_A_ASSOC_REMOTE_PORT, a->remote_port) ||
	    nla_put_u8(skb, PKTRELAY_A_ASSOC_UPSTREAM, a->up->ops->type) ||
	    nla_put_u8(skb, PKTRELAY_A_ASSOC_STATE, state) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_TX_PACKETS,
			      atomic64_read(&a->tx_packets), PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_TX_BYTES,
			      atomic64_read(&a->tx_bytes), PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_RX_PACKETS,
			      atomic64_read(&a->rx_packets), PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_RX_BYTES,
			      atomic64_read(&a->rx_bytes), PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_AGE_MS,
			      jiffies_to_msecs(now - a->created), PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_IDLE_MS, idle,
			      PKTRELAY_A_ASSOC_PAD) ||
	    nla_put_u64_64bit(skb, PKTRELAY_A_ASSOC_EXPIRES_MS,
			      timeout > idle ? timeout - idle : 0,
			      PKTRELAY_A_ASSOC_PAD))
		return -EMSGSIZE;

	/* The upstream's own endpoint exists once the open succeeded. */
	if (smp_load_acquire(&a->opened) &&
	    (pktrelay_nl_put_addr(skb, PKTRELAY_A_ASSOC_RELAY_ADDR,
				  a->relay_family, &a->relay_addr) ||
	     nla_put_be16(skb, PKTRELAY_A_ASSOC_RELAY_PORT, a->relay_port)))
		return -EMSGSIZE;
	if (cmd == PKTRELAY_CMD_ASSOC_DEL &&
	    nla_put_u8(skb, PKTRELAY_A_ASSOC_REASON, a->reason))
		return -EMSGSIZE;
	return 0;
}

static int pktrelay_nl_fill_assoc(struct sk_buff *skb, struct pktrelay_assoc *a,
				  u32 portid, u32 seq, int flags, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktrelay_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PKTRELAY_A_DEV_IFINDEX, a->pr->dev->ifindex))
		goto err;
	nest = nla_nest_start(skb, PKTRELAY_A_DEV_ASSOC);
	if (!nest)
		goto err;
	if (pktrelay_nl_fill_assoc_nest(skb, a, cmd))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* An association message: top-level ifindex plus the nest, at most. */
static size_t pktrelay_nl_assoc_size(void)
{
	return nla_total_size(sizeof(u32))		/* DEV_IFINDEX */
		+ nla_total_size(0)			/* DEV_ASSOC */
		+ nla_total_size(sizeof(u32))		/* ID */
		+ 4 * nla_total_size(sizeof(u8))	/* FAMILY, UPSTREAM, */
							/* STATE, REASON */
		+ 3 * nla_total_size(sizeof(struct in6_addr)) /* addresses */
		+ 3 * nla_total_size(sizeof(__be16))	/* ports */
		+ 7 * nla_total_size_64bit(sizeof(u64)); /* counters, times */
}

/* Any context but hard IRQ: tell listeners an association came or went. */
void pktrelay_nl_notify_assoc(struct pktrelay_assoc *a, u8 cmd)
{
	struct net *net = dev_net(a->pr->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&pktrelay_genl_family, net, 0))
		return;
	msg = genlmsg_new(pktrelay_nl_assoc_size(), GFP_ATOMIC);
	if (!msg)
		return;
	if (WARN_ON_ONCE(pktrelay_nl_fill_assoc(msg, a, 0, 0, 0, cmd))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&pktrelay_genl_family, net, msg, 0, 0,
				GFP_ATOMIC);
}

/*
 * Associations are dumped in id order with the last id sent as cursor, so
 * one that lives through the whole dump is sent exactly once. cb->args[0]
 * holds the device's ifindex once found, cb->args[1] the cursor.
 */
static int pktrelay_nl_assoc_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	unsigned long id = cb->args[1];
	struct pktrelay_assoc *a;
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	if (!cb->args[0]) {
		dev = pktrelay_nl_find_dev(net, info->attrs, cb->extack);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto out_unlock;
		}
		cb->args[0] = dev->ifindex;
	} else {
		dev = __dev_get_by_index(net, cb->args[0]);
		/* Gone between rounds: the dump simply ends. */
		if (!dev || !pktrelay_is_dev(dev))
			goto out_unlock;
	}

	rcu_read_lock();
	xa_for_each_start(&((struct pktrelay_dev *)netdev_priv(dev))->assoc_ids,
			  id, a, cb->args[1] + 1) {
		err = pktrelay_nl_fill_assoc(skb, a, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     PKTRELAY_CMD_ASSOC_GET);
		if (err)
			break;
		cb->args[1] = id;
	}
	rcu_read_unlock();

out_unlock:
	rtnl_unlock();
	if (err && (err != -EMSGSIZE || !skb->len))
		return err;
	return skb->len;
}

static int pktrelay_nl_dev_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = pktrelay_nl_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		pktrelay_assocs_flush(netdev_priv(dev), PKTRELAY_CLOSE_FLUSHED);
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
	{
		.cmd	= PKTRELAY_CMD_ASSOC_GET,
		.dumpit	= pktrelay_nl_assoc_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= PKTRELAY_CMD_DEV_FLUSH,
		.doit	= pktrelay_nl_dev_flush_doit,
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
