// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the UDP association table.
 *
 * One association per local endpoint (family, address, port), whatever the
 * destination: endpoint-independent mapping (RFC 4787 REQ-1), so replies
 * from any remote reach the app. See assoc.h for references and teardown.
 *
 * A new flow never waits: the transmit path inserts a PENDING association
 * with GFP_ATOMIC, parks at most PKTRELAY_ASSOC_QUEUE_LEN packets on it and
 * lets the open work create the upstream in process context. Packets of
 * other flows go on meanwhile; nothing on the packet path takes a lock
 * wider than one association.
 */
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/dst.h>

#include "assoc.h"

#define PKTRELAY_SWEEP_INTERVAL	HZ

static const struct rhashtable_params pktrelay_assoc_params = {
	.key_len		= sizeof(struct pktrelay_assoc_key),
	.key_offset		= offsetof(struct pktrelay_assoc, key),
	.head_offset		= offsetof(struct pktrelay_assoc, node),
	.automatic_shrinking	= true,
};

/* Process-context callers: the counters are per CPU and BH-protected. */
static void pktrelay_stat_inc_task(struct pktrelay_dev *pr,
				   enum pktrelay_stat stat)
{
	local_bh_disable();
	pktrelay_stat_inc(pr, stat);
	local_bh_enable();
}

u32 pktrelay_assoc_timeout(const struct pktrelay_assoc *a,
			   const struct pktrelay_config *cfg)
{
	return a->dns ? cfg->dns_timeout : cfg->udp_timeout;
}

static void pktrelay_assoc_free_rcu(struct rcu_head *head)
{
	struct pktrelay_assoc *a = container_of(head, struct pktrelay_assoc, rcu);
	struct pktrelay_dev *pr = a->pr;

	pktrelay_upstream_put(a->up);
	kfree(a);
	/* wake_up_var() only hashes the address; @pr may be gone after. */
	if (atomic_dec_and_test(&pr->nlive))
		wake_up_var(&pr->nlive);
}

/* Runs an RCU grace period after the last reference went away. */
static void pktrelay_assoc_release(struct work_struct *work)
{
	struct pktrelay_assoc *a = container_of(to_rcu_work(work),
						struct pktrelay_assoc,
						release_work);

	if (a->opened)
		a->ops->close(a);
	/* The receive path may still hold @a from sk_user_data. */
	call_rcu(&a->rcu, pktrelay_assoc_free_rcu);
}

static void pktrelay_assoc_put(struct pktrelay_assoc *a)
{
	if (refcount_dec_and_test(&a->ref)) {
		INIT_RCU_WORK(&a->release_work, pktrelay_assoc_release);
		queue_rcu_work(pktrelay_wq, &a->release_work);
	}
}

/*
 * First phase of removal: mark @a dead, take its queued packets into @q.
 * Returns false if someone else already did.
 */
static bool pktrelay_assoc_kill(struct pktrelay_assoc *a, u8 reason,
				struct sk_buff_head *q, bool *was_ready)
{
	spin_lock_bh(&a->lock);
	if (a->state == PKTRELAY_ASSOC_DEAD) {
		spin_unlock_bh(&a->lock);
		return false;
	}
	*was_ready = a->state == PKTRELAY_ASSOC_READY;
	WRITE_ONCE(a->state, PKTRELAY_ASSOC_DEAD);
	a->reason = reason;
	skb_queue_splice_init(&a->queue, q);
	spin_unlock_bh(&a->lock);
	return true;
}

/* Second phase: out of both indexes, tell listeners, drop the table's ref. */
static void pktrelay_assoc_remove(struct pktrelay_assoc *a, bool was_ready)
{
	struct pktrelay_dev *pr = a->pr;

	rhashtable_remove_fast(&pr->assocs, &a->node, pktrelay_assoc_params);
	xa_erase_bh(&pr->assoc_ids, a->id);
	pktrelay_source_detach(pr, a);
	atomic_dec(&pr->nassocs);
	if (was_ready) {
		if (a->reason == PKTRELAY_CLOSE_IDLE)
			pktrelay_stat_inc_task(pr, PKTRELAY_STAT_ASSOC_EXPIRED);
		pktrelay_nl_notify_assoc(a, PKTRELAY_CMD_ASSOC_DEL);
	}
	pktrelay_assoc_put(a);
}

/*
 * Process context, or softirq when evicting for a new flow. Returns false
 * if @a was already being removed.
 */
bool pktrelay_assoc_unlink(struct pktrelay_assoc *a, u8 reason)
{
	struct sk_buff_head q;
	bool was_ready;

	__skb_queue_head_init(&q);
	if (!pktrelay_assoc_kill(a, reason, &q, &was_ready))
		return false;
	while (!skb_queue_empty(&q)) {
		kfree_skb(__skb_dequeue(&q));
		DEV_STATS_INC(a->pr->dev, tx_dropped);
	}
	pktrelay_assoc_remove(a, was_ready);
	return true;
}

static void pktrelay_assoc_lost_work(struct work_struct *work)
{
	struct pktrelay_assoc *a = container_of(work, struct pktrelay_assoc,
						lost_work);

	/* Only SOCKS5 has a connection that can fail under an association. */
	if (pktrelay_assoc_unlink(a, PKTRELAY_CLOSE_UPSTREAM_ERROR))
		pktrelay_stat_inc_task(a->pr, PKTRELAY_STAT_SOCKS5_CLOSED);
	pktrelay_assoc_put(a);
}

/*
 * Any context, even with socket locks held: the upstream of @a broke, so
 * end the association from process context. A no-op once @a is on its
 * way out (its last reference already gone).
 */
void pktrelay_assoc_upstream_lost(struct pktrelay_assoc *a)
{
	if (!refcount_inc_not_zero(&a->ref))
		return;
	if (!queue_work(pktrelay_wq, &a->lost_work))
		pktrelay_assoc_put(a);	/* already queued; it holds its own */
}

/* BH disabled. @skb starts at its IP header; consumes it. */
static void pktrelay_assoc_forward(struct pktrelay_assoc *a,
				   struct sk_buff *skb,
				   const struct pktrelay_flow *fl)
{
	pktrelay_assoc_touch(a);
	atomic64_inc(&a->tx_packets);
	atomic64_add(fl->payload_len, &a->tx_bytes);
	/*
	 * relay0's tx_bytes count the app's IP packet, as rx_bytes count the
	 * injected one: iptunnel_xmit() measures from the inner network
	 * header, so leave it at the app's IP header when stripping it.
	 */
	skb_reset_inner_network_header(skb);
	__skb_pull(skb, skb->len - fl->payload_len);
	a->ops->send(a, skb, fl);
}

static void pktrelay_assoc_open_work(struct work_struct *work)
{
	struct pktrelay_assoc *a = container_of(work, struct pktrelay_assoc,
						open_work);
	struct pktrelay_dev *pr = a->pr;
	struct pktrelay_flow fl;
	struct sk_buff_head q;
	struct sk_buff *skb;
	bool was_ready, ready;
	int err = -ENODEV;

	if (READ_ONCE(a->state) == PKTRELAY_ASSOC_PENDING)
		err = a->ops->open(a);
	if (!err) {
		/*
		 * Pairs with smp_load_acquire() in netlink.c: whoever sees
		 * opened also sees the endpoint open() wrote.
		 */
		smp_store_release(&a->opened, true);
	}

	if (err) {
		__skb_queue_head_init(&q);
		if (!pktrelay_assoc_kill(a, PKTRELAY_CLOSE_UPSTREAM_ERROR, &q,
					 &was_ready))
			goto out;	/* flushed while opening: not a failure */
		pktrelay_stat_inc_task(pr, PKTRELAY_STAT_OPEN_FAILED);
		local_bh_disable();
		while ((skb = __skb_dequeue(&q))) {
			pktrelay_unreach(pr, skb);
			DEV_STATS_INC(pr->dev, tx_dropped);
			kfree_skb(skb);
		}
		local_bh_enable();
		pktrelay_assoc_remove(a, was_ready);
		goto out;
	}

	/*
	 * Drain under the lock, before READY is visible, so packets that
	 * arrive meanwhile on other CPUs wait their turn: no reordering.
	 */
	spin_lock_bh(&a->lock);
	ready = a->state == PKTRELAY_ASSOC_PENDING;
	if (ready) {
		/* Counted before its first packet leaves: no reply outruns it. */
		pktrelay_stat_inc(pr, PKTRELAY_STAT_ASSOC_CREATED);
		while ((skb = __skb_dequeue(&a->queue))) {
			memcpy(&fl, skb->cb, sizeof(fl));
			pktrelay_assoc_forward(a, skb, &fl);
		}
		WRITE_ONCE(a->state, PKTRELAY_ASSOC_READY);
	}
	spin_unlock_bh(&a->lock);

	if (ready) {
		pktrelay_nl_notify_assoc(a, PKTRELAY_CMD_ASSOC_NEW);
		queue_delayed_work(pktrelay_wq, &pr->sweep,
				   PKTRELAY_SWEEP_INTERVAL);
	}
out:
	pktrelay_assoc_put(a);
}

/* BH disabled: returns a drop reason, or PKTRELAY_STAT_NUM if consumed. */
static int pktrelay_assoc_send(struct pktrelay_assoc *a, struct sk_buff *skb,
			       const struct pktrelay_flow *fl)
{
	u8 state = READ_ONCE(a->state);

	if (state == PKTRELAY_ASSOC_PENDING) {
		spin_lock(&a->lock);
		state = a->state;
		if (state == PKTRELAY_ASSOC_PENDING) {
			if (skb_queue_len(&a->queue) >= PKTRELAY_ASSOC_QUEUE_LEN) {
				spin_unlock(&a->lock);
				return PKTRELAY_STAT_QUEUE_DROPS;
			}
			/* Kept for the ICMP error should the open fail. */
			skb_dst_force(skb);
			memcpy(skb->cb, fl, sizeof(*fl));
			__skb_queue_tail(&a->queue, skb);
			spin_unlock(&a->lock);
			return PKTRELAY_STAT_NUM;
		}
		spin_unlock(&a->lock);
	}
	/* Lost a race with removal; the next packet creates a new one. */
	if (state != PKTRELAY_ASSOC_READY)
		return PKTRELAY_STAT_UNHANDLED;

	pktrelay_assoc_forward(a, skb, fl);
	return PKTRELAY_STAT_NUM;
}

static int pktrelay_assoc_create(struct pktrelay_dev *pr, struct sk_buff *skb,
				 const struct pktrelay_flow *fl,
				 const struct pktrelay_config *cfg,
				 const struct pktrelay_assoc_key *key)
{
	struct pktrelay_assoc *a, *old, *victim;
	int err;

	if (atomic_inc_return(&pr->nassocs) > cfg->max_assocs) {
		atomic_dec(&pr->nassocs);
		pktrelay_unreach(pr, skb);
		return PKTRELAY_STAT_ASSOC_REFUSED;
	}

	a = kzalloc(sizeof(*a), GFP_ATOMIC);
	if (!a) {
		atomic_dec(&pr->nassocs);
		return PKTRELAY_STAT_NOMEM;
	}
	a->key = *key;
	a->pr = pr;
	a->up = pktrelay_upstream_get(cfg->upstream);
	a->ops = a->up->ops;
	a->dns = fl->dport == htons(53);
	a->remote = fl->daddr;
	a->remote_port = fl->dport;
	a->state = PKTRELAY_ASSOC_PENDING;
	refcount_set(&a->ref, 2);	/* the table's and the open work's */
	spin_lock_init(&a->lock);
	__skb_queue_head_init(&a->queue);
	INIT_WORK(&a->open_work, pktrelay_assoc_open_work);
	INIT_WORK(&a->lost_work, pktrelay_assoc_lost_work);
	a->created = jiffies;
	a->last_active = a->created;
	atomic_inc(&pr->nlive);

	/*
	 * Account it to its address before anyone can find it, so no flush
	 * can remove it half-attached; evict for it if that goes over the
	 * per-source limit.
	 */
	victim = pktrelay_source_attach(pr, a, cfg->max_assocs_per_source);
	if (IS_ERR(victim)) {
		pktrelay_stat_inc(pr, PKTRELAY_STAT_NOMEM);	/* unlimited */
	} else if (victim) {
		if (pktrelay_assoc_unlink(victim, PKTRELAY_CLOSE_LIMIT))
			pktrelay_stat_inc(pr, PKTRELAY_STAT_ASSOC_EVICTED);
		pktrelay_assoc_put(victim);
	}

	err = xa_alloc_cyclic_bh(&pr->assoc_ids, &a->id, a, xa_limit_32b,
				 &pr->next_assoc_id, GFP_ATOMIC);
	if (err < 0)
		goto err_free;

	old = rhashtable_lookup_get_insert_fast(&pr->assocs, &a->node,
						pktrelay_assoc_params);
	if (old) {
		/* Another CPU created it first (or the table is full). */
		xa_erase_bh(&pr->assoc_ids, a->id);
		pktrelay_source_detach(pr, a);
		atomic_dec(&pr->nassocs);
		call_rcu(&a->rcu, pktrelay_assoc_free_rcu);
		if (IS_ERR(old))
			return PKTRELAY_STAT_NOMEM;
		return pktrelay_assoc_send(old, skb, fl);
	}

	skb_dst_force(skb);
	memcpy(skb->cb, fl, sizeof(*fl));
	spin_lock(&a->lock);
	__skb_queue_tail(&a->queue, skb);
	spin_unlock(&a->lock);
	queue_work(pktrelay_wq, &a->open_work);
	return PKTRELAY_STAT_NUM;

err_free:
	pktrelay_source_detach(pr, a);
	atomic_dec(&pr->nassocs);
	call_rcu(&a->rcu, pktrelay_assoc_free_rcu);
	return PKTRELAY_STAT_NOMEM;
}

/*
 * Transmit path (BH disabled, RCU held): relay one UDP packet of @fl, or
 * refuse it with ICMP port unreachable when it would need a new
 * association and the device has no upstream. Returns a drop reason for
 * the caller to count, or PKTRELAY_STAT_NUM once the packet is consumed.
 */
int pktrelay_assoc_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
			const struct pktrelay_flow *fl,
			const struct pktrelay_config *cfg)
{
	struct pktrelay_assoc_key key = {
		.addr = fl->saddr,
		.port = fl->sport,
		.family = fl->family,
	};
	struct pktrelay_assoc *a;
	int ret;

	BUILD_BUG_ON(sizeof(*fl) > sizeof(skb->cb));

	/*
	 * BH is disabled already; say RCU explicitly so the rhashtable's
	 * lockdep checks see the read side.
	 */
	rcu_read_lock();
	/* Existing associations keep the upstream they were opened with. */
	a = rhashtable_lookup(&pr->assocs, &key, pktrelay_assoc_params);
	if (a) {
		ret = pktrelay_assoc_send(a, skb, fl);
	} else if (!cfg->upstream) {
		pktrelay_unreach(pr, skb);
		ret = PKTRELAY_STAT_UNHANDLED;
	} else {
		ret = pktrelay_assoc_create(pr, skb, fl, cfg, &key);
	}
	rcu_read_unlock();
	return ret;
}

/* Receive path (softirq, RCU held): a reply for @a, already rewritten. */
void pktrelay_assoc_rx(struct pktrelay_assoc *a, struct sk_buff *skb,
		       unsigned int payload_len)
{
	struct pktrelay_dev *pr = a->pr;

	if (READ_ONCE(a->state) != PKTRELAY_ASSOC_READY) {
		pktrelay_stat_inc(pr, PKTRELAY_STAT_RX_NO_ASSOC);
		DEV_STATS_INC(pr->dev, rx_dropped);
		kfree_skb(skb);
		return;
	}
	/* RFC 4787 4.3: by default inbound traffic keeps nothing open. */
	if (rcu_dereference(pr->config)->refresh == PKTRELAY_REFRESH_BOTH)
		pktrelay_assoc_touch(a);
	atomic64_inc(&a->rx_packets);
	atomic64_add(payload_len, &a->rx_bytes);
	pktrelay_rx_inject(pr, skb);
}

static void pktrelay_assoc_sweep(struct work_struct *work)
{
	struct pktrelay_dev *pr = container_of(to_delayed_work(work),
					       struct pktrelay_dev, sweep);
	const struct pktrelay_config *cfg;
	struct pktrelay_assoc *a;
	unsigned long id;

	rcu_read_lock();
	cfg = rcu_dereference(pr->config);
	xa_for_each(&pr->assoc_ids, id, a) {
		unsigned long idle = pktrelay_assoc_timeout(a, cfg) * HZ;

		if (READ_ONCE(a->state) == PKTRELAY_ASSOC_READY &&
		    time_after(jiffies, READ_ONCE(a->last_active) + idle))
			pktrelay_assoc_unlink(a, PKTRELAY_CLOSE_IDLE);
	}
	rcu_read_unlock();

	/* Open work re-arms the sweep when the table fills again. */
	if (atomic_read(&pr->nassocs))
		queue_delayed_work(pktrelay_wq, &pr->sweep,
				   PKTRELAY_SWEEP_INTERVAL);
}

void pktrelay_assocs_flush(struct pktrelay_dev *pr, u8 reason)
{
	struct pktrelay_assoc *a;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&pr->assoc_ids, id, a)
		pktrelay_assoc_unlink(a, reason);
	rcu_read_unlock();
}

int pktrelay_assocs_init(struct pktrelay_dev *pr)
{
	int err;

	xa_init_flags(&pr->assoc_ids, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
	atomic_set(&pr->nassocs, 0);
	atomic_set(&pr->nlive, 0);
	INIT_DELAYED_WORK(&pr->sweep, pktrelay_assoc_sweep);
	err = rhashtable_init(&pr->assocs, &pktrelay_assoc_params);
	if (err)
		return err;
	err = pktrelay_sources_init(pr);
	if (err)
		rhashtable_destroy(&pr->assocs);
	return err;
}

/*
 * Device teardown, after the device stopped transmitting: remove every
 * association and wait until the last one is freed, so nothing refers to
 * the device (or its namespace's sockets) once this returns.
 */
void pktrelay_assocs_destroy(struct pktrelay_dev *pr)
{
	pktrelay_assocs_flush(pr, PKTRELAY_CLOSE_DEVICE_GONE);
	wait_var_event(&pr->nlive, !atomic_read(&pr->nlive));
	cancel_delayed_work_sync(&pr->sweep);
	pktrelay_sources_destroy(pr);
	rhashtable_destroy(&pr->assocs);
	xa_destroy(&pr->assoc_ids);
}
