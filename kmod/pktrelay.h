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

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>
#include <linux/pktrelay.h>

struct genl_info;
struct nlattr;
struct netlink_ext_ack;
struct pktrelay_assoc;
struct pktrelay_flow;
struct pktrelay_source;

/*
 * An upstream relay kind. Ops are static: an association keeps a pointer
 * to the ops it was opened with, so swapping the device's upstream never
 * touches associations that already exist.
 */
struct pktrelay_upstream_ops {
	u8 type;			/* enum pktrelay_upstream_type */
	/* Process context, may sleep. Returns 0 or -errno. */
	int (*open)(struct pktrelay_assoc *a);
	/* BH disabled; consumes @skb, whose data starts at the UDP payload. */
	void (*send)(struct pktrelay_assoc *a, struct sk_buff *skb,
		     const struct pktrelay_flow *fl);
	/* Process context; called once, only after a successful open. */
	void (*close)(struct pktrelay_assoc *a);
};

/* An upstream relay as configured; see upstream.c. Immutable once built. */
struct pktrelay_upstream {
	refcount_t ref;
	const struct pktrelay_upstream_ops *ops;
	union {				/* socks5: the server */
		struct sockaddr sa;
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} server;
	u8 ulen, plen;			/* socks5: RFC 1929 credentials */
	char username[PKTRELAY_USERNAME_MAX + 1];	/* NUL-terminated */
	u8 password[PKTRELAY_PASSWORD_MAX];
};

union pktrelay_addr {
	__be32 v4;
	struct in6_addr v6;
};

/* What the transmit path learnt from an app's UDP packet. */
struct pktrelay_flow {
	union pktrelay_addr saddr, daddr;
	__be16 sport, dport;
	u8 family;		/* AF_INET or AF_INET6 */
	u8 tos;			/* IPv4 TOS or IPv6 traffic class */
	bool df;		/* IPv4 DF bit */
	unsigned int payload_len;
};

/* Per-device configuration; see include/uapi/linux/pktrelay.h. */
struct pktrelay_config {
	struct rcu_head rcu;
	/* NULL for PKTRELAY_UPSTREAM_NONE: UDP is not relayed. Holds a ref. */
	struct pktrelay_upstream *upstream;
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
	PKTRELAY_STAT_ASSOC_CREATED,
	PKTRELAY_STAT_ASSOC_EXPIRED,
	PKTRELAY_STAT_ASSOC_REFUSED,
	PKTRELAY_STAT_OPEN_FAILED,
	PKTRELAY_STAT_QUEUE_DROPS,
	PKTRELAY_STAT_NOMEM,
	PKTRELAY_STAT_UPSTREAM_ERRORS,
	PKTRELAY_STAT_RX_NO_ASSOC,
	PKTRELAY_STAT_FRAGMENTS,
	PKTRELAY_STAT_DNS_TRUNCATED,
	PKTRELAY_STAT_DNS_MALFORMED,
	PKTRELAY_STAT_ECHO_REPLIED,
	PKTRELAY_STAT_ECHO_DROPPED,
	PKTRELAY_STAT_ECHO_RATELIMITED,
	PKTRELAY_STAT_ICMP_OTHER,
	PKTRELAY_STAT_SOCKS5_CLOSED,
	PKTRELAY_STAT_SOCKS5_BAD_DATAGRAM,
	PKTRELAY_STAT_ASSOC_EVICTED,

	PKTRELAY_STAT_NUM,
};

struct pktrelay_pcpu_stats {
	u64_stats_t cnt[PKTRELAY_STAT_NUM];
	struct u64_stats_sync syncp;
};

struct pktrelay_dev {
	struct net_device *dev;
	/*
	 * Upstream sockets live in the namespace the device was created in,
	 * wherever the device is moved later (like WireGuard). No reference
	 * is held: the pernet pre_exit hook deletes the device first.
	 */
	struct net *creating_net;
	struct list_head list;		/* pktrelay_devices, under RTNL */
	struct pktrelay_config __rcu *config;
	struct pktrelay_pcpu_stats __percpu *stats;
	struct gro_cells gro_cells;

	/* Association table: see assoc.c for the ownership rules. */
	struct rhashtable assocs;	/* by (family, address, port) */
	struct rhashtable sources;	/* by (family, address): source.c */
	struct xarray assoc_ids;	/* by id: ordered walks, dumps */
	u32 next_assoc_id;
	atomic_t nassocs;		/* linked in the table */
	atomic_t nlive;			/* allocated, not yet freed */
	struct delayed_work sweep;

	/* Echo reply token bucket (icmp_echo.c); the lock is per device. */
	spinlock_t echo_lock;
	u64 echo_credit;		/* nanoseconds of credit */
	u64 echo_stamp;			/* ktime_get_ns() of the last refill */
};

/* Behaviour this build really performs (PKTRELAY_A_DEV_FEATURES). */
#define PKTRELAY_FEATURES	(PKTRELAY_FEATURE_UNREACH | \
				 PKTRELAY_FEATURE_UDP_RELAY | \
				 PKTRELAY_FEATURE_UPSTREAM_DIRECT | \
				 PKTRELAY_FEATURE_UPSTREAM_SOCKS5 | \
				 PKTRELAY_FEATURE_DNS_TRUNCATE | \
				 PKTRELAY_FEATURE_ICMP_ECHO | \
				 PKTRELAY_FEATURE_CONFIG_RESET)

extern struct workqueue_struct *pktrelay_wq;

/* device.c */
extern struct rtnl_link_ops pktrelay_link_ops;
int pktrelay_devices_init(void);
void pktrelay_devices_exit(void);

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
void pktrelay_unreach(struct pktrelay_dev *pr, struct sk_buff *skb);

/* rx.c */
void pktrelay_rx_inject(struct pktrelay_dev *pr, struct sk_buff *skb);
int pktrelay_rx_build_udp(struct sk_buff *skb, u8 family,
			  const union pktrelay_addr *saddr, __be16 sport,
			  const union pktrelay_addr *daddr, __be16 dport);

/* reply.c: in-kernel answers that reuse the request's skb */
bool pktrelay_reply_addrs_ok(const struct sk_buff *skb);
int pktrelay_reply_prepare(struct pktrelay_dev *pr, struct sk_buff *skb,
			   unsigned int l4off, unsigned int l4_write, u8 proto);
void pktrelay_reply_send(struct pktrelay_dev *pr, struct sk_buff *skb);

/* dns.c */
int pktrelay_dns_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
		      const struct pktrelay_flow *fl, unsigned int off);

/* icmp_echo.c */
void pktrelay_echo_init(struct pktrelay_dev *pr);
int pktrelay_echo_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
		       unsigned int off, unsigned int len);

/* assoc.c */
int pktrelay_assocs_init(struct pktrelay_dev *pr);
void pktrelay_assocs_destroy(struct pktrelay_dev *pr);
int pktrelay_assoc_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
			const struct pktrelay_flow *fl,
			const struct pktrelay_config *cfg);
void pktrelay_assocs_flush(struct pktrelay_dev *pr, u8 reason);

/* upstream.c */
struct pktrelay_upstream *pktrelay_upstream_get(struct pktrelay_upstream *up);
void pktrelay_upstream_put(struct pktrelay_upstream *up);
int pktrelay_upstream_parse(struct pktrelay_upstream **upp, struct nlattr *nest,
			    struct netlink_ext_ack *extack);
u8 pktrelay_upstream_type(const struct pktrelay_upstream *up);
int pktrelay_upstream_fill(struct sk_buff *skb,
			   const struct pktrelay_upstream *up);

/* upstream_direct.c, upstream_socks5.c */
extern const struct pktrelay_upstream_ops pktrelay_upstream_direct;
extern const struct pktrelay_upstream_ops pktrelay_upstream_socks5;

/* config.c */
struct pktrelay_config *pktrelay_config_alloc_default(void);
int pktrelay_config_apply(struct pktrelay_config *cfg, struct nlattr **attrs,
			  struct netlink_ext_ack *extack);
int pktrelay_config_fill(struct sk_buff *skb,
			 const struct pktrelay_config *cfg);
struct pktrelay_config *pktrelay_config_dup(const struct pktrelay_config *cfg);
void pktrelay_config_free(struct pktrelay_config *cfg);
void pktrelay_config_free_rcu(struct pktrelay_config *cfg);

/* netlink.c */
int pktrelay_genl_register(void);
void pktrelay_genl_unregister(void);
void pktrelay_nl_notify_assoc(struct pktrelay_assoc *a, u8 cmd);

#endif /* _PKTRELAY_H */
