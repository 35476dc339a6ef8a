// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: per-source accounting for max-assocs-per-source.
 *
 * A source is one local address (of any port) with live associations. It
 * lists them, so that when a new flow takes the address over its limit the
 * longest-idle association of that same address can be found in O(limit)
 * and evicted: one chatty client cannot starve the others of the table.
 *
 * Sources live in a per-device rhashtable. The table of associations owns
 * them: a source exists while it has at least one association, and is
 * unlinked and freed after an RCU grace period with its last one. Once
 * marked dead under its lock it takes no new association; a creator that
 * finds a dead source looks again and makes a fresh one.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "assoc.h"

struct pktrelay_source {
	struct rhash_head node;
	struct pktrelay_assoc_key key;	/* port always 0 */
	spinlock_t lock;		/* everything below */
	bool dead;
	unsigned int count;
	struct list_head assocs;
	struct rcu_head rcu;
};

static const struct rhashtable_params pktrelay_source_params = {
	.key_len		= sizeof(struct pktrelay_assoc_key),
	.key_offset		= offsetof(struct pktrelay_source, key),
	.head_offset		= offsetof(struct pktrelay_source, node),
	.automatic_shrinking	= true,
};

int pktrelay_sources_init(struct pktrelay_dev *pr)
{
	return rhashtable_init(&pr->sources, &pktrelay_source_params);
}

/* Every association has been detached by now, so the table is empty. */
void pktrelay_sources_destroy(struct pktrelay_dev *pr)
{
	rhashtable_destroy(&pr->sources);
}

static struct pktrelay_source *
pktrelay_source_find_or_add(struct pktrelay_dev *pr,
			    const struct pktrelay_assoc_key *key)
{
	struct pktrelay_source *src, *old;

	src = rhashtable_lookup(&pr->sources, key, pktrelay_source_params);
	if (src)
		return src;

	src = kzalloc(sizeof(*src), GFP_ATOMIC);
	if (!src)
		return NULL;
	src->key = *key;
	spin_lock_init(&src->lock);
	INIT_LIST_HEAD(&src->assocs);
	old = rhashtable_lookup_get_insert_fast(&pr->sources, &src->node,
						pktrelay_source_params);
	if (!old)
		return src;
	kfree(src);
	return IS_ERR(old) ? NULL : old;
}

/*
 * BH disabled, RCU held, before @a is visible in the table. Account @a
 * to its local address. If that takes
 * the address over @limit (0: none), return the longest-idle other
 * association of the address with a reference held, for the caller to
 * evict and put. Returns an ERR_PTR if accounting failed for lack of
 * memory (then @a is simply not limited).
 */
struct pktrelay_assoc *pktrelay_source_attach(struct pktrelay_dev *pr,
					      struct pktrelay_assoc *a,
					      u32 limit)
{
	struct pktrelay_assoc_key key = {
		.addr = a->key.addr,
		.family = a->key.family,
	};
	struct pktrelay_assoc *victim = NULL, *it;
	struct pktrelay_source *src;

	for (;;) {
		src = pktrelay_source_find_or_add(pr, &key);
		if (!src)
			return ERR_PTR(-ENOMEM);
		spin_lock(&src->lock);
		if (!src->dead)
			break;
		/* Being freed, already out of the hashtable: look again. */
		spin_unlock(&src->lock);
	}

	list_add_tail(&a->src_node, &src->assocs);
	a->src = src;
	src->count++;
	if (limit && src->count > limit) {
		list_for_each_entry(it, &src->assocs, src_node) {
			if (it == a || READ_ONCE(it->state) == PKTRELAY_ASSOC_DEAD)
				continue;
			if (!victim || time_before(READ_ONCE(it->last_active),
						   READ_ONCE(victim->last_active)))
				victim = it;
		}
		if (victim && !refcount_inc_not_zero(&victim->ref))
			victim = NULL;
	}
	spin_unlock(&src->lock);
	return victim;
}

/* Any context. Undo pktrelay_source_attach() when @a leaves the table. */
void pktrelay_source_detach(struct pktrelay_dev *pr, struct pktrelay_assoc *a)
{
	struct pktrelay_source *src = a->src;

	if (!src)
		return;
	spin_lock_bh(&src->lock);
	list_del(&a->src_node);
	if (!--src->count) {
		src->dead = true;
		rhashtable_remove_fast(&pr->sources, &src->node,
				       pktrelay_source_params);
		kfree_rcu(src, rcu);
	}
	spin_unlock_bh(&src->lock);
}
