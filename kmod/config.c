// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: per-device configuration, to and from netlink attributes.
 *
 * The netlink policy (netlink.c) has already checked types and ranges;
 * what is left here are the rules that span attributes, and the apply
 * step, which only ever writes into a private copy the caller publishes.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "pktrelay.h"

struct pktrelay_config *pktrelay_config_alloc_default(void)
{
	struct pktrelay_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;

	cfg->upstream = NULL;	/* none: a new device relays nothing yet */
	cfg->refresh = PKTRELAY_REFRESH_OUTBOUND;
	cfg->dns = PKTRELAY_DNS_RELAY;
	cfg->icmp_echo = PKTRELAY_ICMP_ECHO_REPLY;
	cfg->udp_timeout = PKTRELAY_UDP_TIMEOUT_DEFAULT;
	cfg->dns_timeout = PKTRELAY_DNS_TIMEOUT_DEFAULT;
	cfg->max_assocs = PKTRELAY_MAX_ASSOCS_DEFAULT;
	cfg->echo_rate = PKTRELAY_ECHO_RATE_DEFAULT;
	cfg->echo_burst = PKTRELAY_ECHO_BURST_DEFAULT;
	return cfg;
}

/* A private copy to modify; it holds its own reference on the upstream. */
struct pktrelay_config *pktrelay_config_dup(const struct pktrelay_config *cfg)
{
	struct pktrelay_config *copy = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);

	if (copy)
		pktrelay_upstream_get(copy->upstream);
	return copy;
}

void pktrelay_config_free(struct pktrelay_config *cfg)
{
	if (cfg)
		pktrelay_upstream_put(cfg->upstream);
	kfree(cfg);
}

static void pktrelay_config_free_cb(struct rcu_head *head)
{
	pktrelay_config_free(container_of(head, struct pktrelay_config, rcu));
}

/* Free @cfg once no packet path can still be reading it. */
void pktrelay_config_free_rcu(struct pktrelay_config *cfg)
{
	call_rcu(&cfg->rcu, pktrelay_config_free_cb);
}

static void pktrelay_config_u32(u32 *field, struct nlattr **attrs, int type)
{
	if (attrs[type])
		*field = nla_get_u32(attrs[type]);
}

static void pktrelay_config_u8(u8 *field, struct nlattr **attrs, int type)
{
	if (attrs[type])
		*field = nla_get_u8(attrs[type]);
}

/*
 * Apply every configuration attribute present in @attrs to @cfg, a copy
 * owned by the caller. On error @cfg is half-written and must be dropped
 * with pktrelay_config_free().
 */
int pktrelay_config_apply(struct pktrelay_config *cfg, struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	int err;

	if (attrs[PKTRELAY_A_DEV_UPSTREAM]) {
		struct pktrelay_upstream *up;

		err = pktrelay_upstream_parse(&up, attrs[PKTRELAY_A_DEV_UPSTREAM],
					      extack);
		if (err)
			return err;
		pktrelay_upstream_put(cfg->upstream);
		cfg->upstream = up;
	}

	pktrelay_config_u32(&cfg->udp_timeout, attrs, PKTRELAY_A_DEV_UDP_TIMEOUT);
	pktrelay_config_u32(&cfg->dns_timeout, attrs, PKTRELAY_A_DEV_DNS_TIMEOUT);
	pktrelay_config_u8(&cfg->refresh, attrs, PKTRELAY_A_DEV_REFRESH);
	pktrelay_config_u32(&cfg->max_assocs, attrs, PKTRELAY_A_DEV_MAX_ASSOCS);
	pktrelay_config_u32(&cfg->max_assocs_per_source, attrs,
			    PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE);
	pktrelay_config_u32(&cfg->fwmark, attrs, PKTRELAY_A_DEV_FWMARK);
	pktrelay_config_u8(&cfg->dns, attrs, PKTRELAY_A_DEV_DNS);
	pktrelay_config_u8(&cfg->icmp_echo, attrs, PKTRELAY_A_DEV_ICMP_ECHO);
	pktrelay_config_u32(&cfg->echo_rate, attrs, PKTRELAY_A_DEV_ECHO_RATE);
	pktrelay_config_u32(&cfg->echo_burst, attrs, PKTRELAY_A_DEV_ECHO_BURST);

	if (cfg->max_assocs_per_source > cfg->max_assocs) {
		NL_SET_ERR_MSG_ATTR(extack,
				    attrs[PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE] ?:
				    attrs[PKTRELAY_A_DEV_MAX_ASSOCS],
				    "max-assocs-per-source cannot exceed max-assocs");
		return -EINVAL;
	}
	return 0;
}

int pktrelay_config_fill(struct sk_buff *skb, const struct pktrelay_config *cfg)
{
	if (pktrelay_upstream_fill(skb, cfg->upstream))
		return -EMSGSIZE;

	if (nla_put_u32(skb, PKTRELAY_A_DEV_UDP_TIMEOUT, cfg->udp_timeout) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_DNS_TIMEOUT, cfg->dns_timeout) ||
	    nla_put_u8(skb, PKTRELAY_A_DEV_REFRESH, cfg->refresh) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_MAX_ASSOCS, cfg->max_assocs) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE,
			cfg->max_assocs_per_source) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_FWMARK, cfg->fwmark) ||
	    nla_put_u8(skb, PKTRELAY_A_DEV_DNS, cfg->dns) ||
	    nla_put_u8(skb, PKTRELAY_A_DEV_ICMP_ECHO, cfg->icmp_echo) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_ECHO_RATE, cfg->echo_rate) ||
	    nla_put_u32(skb, PKTRELAY_A_DEV_ECHO_BURST, cfg->echo_burst))
		return -EMSGSIZE;
	return 0;
}
