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

	cfg->upstream = NULL;	/* none */
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

static int pktrelay_config_upstream(struct pktrelay_config *cfg,
				    struct nlattr *nest,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PKTRELAY_A_UPSTREAM_MAX + 1];
	int err, i;

	/* Already validated against the nested policy as part of the request. */
	err = nla_parse_nested(tb, PKTRELAY_A_UPSTREAM_MAX, nest, NULL, extack);
	if (err)
		return err;

	if (!tb[PKTRELAY_A_UPSTREAM_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "upstream needs a type");
		return -EINVAL;
	}

	switch (nla_get_u8(tb[PKTRELAY_A_UPSTREAM_TYPE])) {
	case PKTRELAY_UPSTREAM_NONE:
		cfg->upstream = NULL;
		break;
	case PKTRELAY_UPSTREAM_DIRECT:
		cfg->upstream = &pktrelay_upstream_direct;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[PKTRELAY_A_UPSTREAM_TYPE],
				    "this pktrelay module does not implement that upstream type yet");
		return -EOPNOTSUPP;
	}

	/* Neither none nor direct takes an address or credentials. */
	for (i = PKTRELAY_A_UPSTREAM_TYPE + 1; i <= PKTRELAY_A_UPSTREAM_MAX; i++) {
		if (tb[i]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "this upstream type takes no address or credentials");
			return -EINVAL;
		}
	}
	return 0;
}

u8 pktrelay_config_upstream_type(const struct pktrelay_config *cfg)
{
	return cfg->upstream ? cfg->upstream->type : PKTRELAY_UPSTREAM_NONE;
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
 * owned by the caller. On error @cfg is half-written and must be dropped.
 */
int pktrelay_config_apply(struct pktrelay_config *cfg, struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	int err;

	if (attrs[PKTRELAY_A_DEV_UPSTREAM]) {
		err = pktrelay_config_upstream(cfg, attrs[PKTRELAY_A_DEV_UPSTREAM],
					       extack);
		if (err)
			return err;
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
	struct nlattr *nest;

	nest = nla_nest_start(skb, PKTRELAY_A_DEV_UPSTREAM);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, PKTRELAY_A_UPSTREAM_TYPE,
		       pktrelay_config_upstream_type(cfg))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);

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
