/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktrelay: one UDP association, i.e. one local endpoint of an app.
 *
 * Ownership and references
 * ------------------------
 * The table owns an association from insertion until it is unlinked, and
 * holds one reference for that. The open work holds one more while it is
 * queued or running. The packet paths hold none: they find associations
 * under RCU (rhashtable lookup on transmit, sk_user_data on receive).
 *
 * Teardown is two-phase. Unlinking (idle sweep, flush, open failure,
 * device removal) marks the association DEAD, removes it from both
 * indexes and drops the table's reference. The last reference queues
 * release work after an RCU grace period, so no transmit path still uses
 * the upstream when the work closes it; the memory itself is freed one
 * more grace period later, after the upstream socket stopped delivering.
 * Only then is the device's nlive count dropped, which ndo_uninit waits on.
 */
#ifndef _PKTRELAY_ASSOC_H
#define _PKTRELAY_ASSOC_H

#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "pktrelay.h"

/* All bytes take part in hashing and comparison: keep it zeroed. */
struct pktrelay_assoc_key {
	union pktrelay_addr addr;
	__be16 port;
	u8 family;
	u8 pad;
};

/* Packets held while a new association's upstream is being opened. */
#define PKTRELAY_ASSOC_QUEUE_LEN	16

struct pktrelay_assoc {
	struct rhash_head node;
	struct pktrelay_assoc_key key;
	u32 id;
	u8 state;			/* enum pktrelay_assoc_state, ->lock */
	u8 reason;			/* enum pktrelay_close_reason */
	bool dns;			/* first destination port was 53 */
	bool opened;			/* ops->open() succeeded; release */
	refcount_t ref;
	struct pktrelay_dev *pr;
	struct pktrelay_upstream *up;	/* holds a reference */
	const struct pktrelay_upstream_ops *ops;	/* up->ops */

	/* Its local address's accounting (source.c); NULL if none. */
	struct pktrelay_source *src;
	struct list_head src_node;	/* on src->assocs, src->lock */

	/* First destination, for listings. */
	union pktrelay_addr remote;
	__be16 remote_port;

	spinlock_t lock;		/* state and queue */
	struct sk_buff_head queue;
	struct work_struct open_work;
	struct work_struct lost_work;	/* upstream failed under us */
	struct rcu_work release_work;
	struct rcu_head rcu;

	unsigned long created;		/* jiffies */
	unsigned long last_active;	/* jiffies, refreshed per policy */
	atomic64_t tx_packets, tx_bytes, rx_packets, rx_bytes;

	/* Upstream state, owned by ops; set by open(), read under RCU. */
	struct socket *sock;		/* UDP towards the upstream */
	union pktrelay_addr relay_addr;	/* the socket's source address */
	__be16 relay_port;
	u8 relay_family;		/* may differ from the app's (socks5) */

	/* socks5 only */
	struct socket *ctrl;		/* TCP control connection */
	void (*ctrl_state_change)(struct sock *sk);	/* the one we replaced */
	union pktrelay_addr bnd_addr;	/* where the server relays UDP */
	__be16 bnd_port;
};

static inline void pktrelay_assoc_touch(struct pktrelay_assoc *a)
{
	unsigned long now = jiffies;

	/* Avoid dirtying the cache line on every packet of a busy flow. */
	if (READ_ONCE(a->last_active) != now)
		WRITE_ONCE(a->last_active, now);
}

/* source.c */
int pktrelay_sources_init(struct pktrelay_dev *pr);
void pktrelay_sources_destroy(struct pktrelay_dev *pr);
struct pktrelay_assoc *pktrelay_source_attach(struct pktrelay_dev *pr,
					      struct pktrelay_assoc *a,
					      u32 limit);
void pktrelay_source_detach(struct pktrelay_dev *pr, struct pktrelay_assoc *a);

/* udp_sock.c */
int pktrelay_udp_open(struct pktrelay_assoc *a, u8 family,
		      const union pktrelay_addr *peer, __be16 port,
		      int (*rcv)(struct sock *sk, struct sk_buff *skb));
void pktrelay_udp_close(struct pktrelay_assoc *a);
void pktrelay_udp_send(struct pktrelay_assoc *a, struct sk_buff *skb,
		       const union pktrelay_addr *daddr, __be16 dport, u8 tos);

void pktrelay_assoc_rx(struct pktrelay_assoc *a, struct sk_buff *skb,
		       unsigned int payload_len);
bool pktrelay_assoc_unlink(struct pktrelay_assoc *a, u8 reason);
void pktrelay_assoc_upstream_lost(struct pktrelay_assoc *a);
u32 pktrelay_assoc_timeout(const struct pktrelay_assoc *a,
			   const struct pktrelay_config *cfg);

#endif /* _PKTRELAY_ASSOC_H */
