// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the transmit path, where the stack hands packets to the relay.
 *
 * Every packet is validated before anything looks past the IP header, so a
 * forged or truncated packet (raw sockets and AF_PACKET can send anything
 * into the device) is counted as malformed and dropped, never answered.
 * Valid packets that nothing relays yet get the ICMP error an application
 * can act on: port unreachable for UDP (a connected socket sees
 * ECONNREFUSED), host/address unreachable for everything else.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ipv6.h>

#include "pktrelay.h"

/* The UDP header at @off must fit in the packet and agree with @l4_len. */
static bool pktrelay_udp_ok(struct sk_buff *skb, unsigned int off,
			    unsigned int l4_len)
{
	unsigned int ulen;

	if (l4_len < sizeof(struct udphdr) ||
	    !pskb_may_pull(skb, off + sizeof(struct udphdr)))
		return false;
	ulen = ntohs(((struct udphdr *)(skb->data + off))->len);
	return ulen >= sizeof(struct udphdr) && ulen <= l4_len;
}

/*
 * ICMP errors must never answer ICMP errors (RFC 1122 3.2.2, RFC 4443 2.4),
 * so look at the type first. Returns false if the header is cut short.
 */
static bool pktrelay_icmp_type(struct sk_buff *skb, unsigned int off, u8 *type)
{
	if (!pskb_may_pull(skb, off + 1))
		return false;
	*type = skb->data[off];
	return true;
}

static enum pktrelay_stat pktrelay_xmit_ipv4(struct pktrelay_dev *pr,
					     struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int hlen, tot;
	int code = ICMP_HOST_UNREACH;
	u8 type;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return PKTRELAY_STAT_MALFORMED;
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (iph->version != 4 || hlen < sizeof(*iph) || tot < hlen ||
	    tot > skb->len || !pskb_may_pull(skb, hlen))
		return PKTRELAY_STAT_MALFORMED;
	iph = ip_hdr(skb);

	/* Nothing reassembles yet; a later fragment cannot be answered. */
	if (ip_is_fragment(iph))
		return PKTRELAY_STAT_UNHANDLED;

	switch (iph->protocol) {
	case IPPROTO_UDP:
		if (!pktrelay_udp_ok(skb, hlen, tot - hlen))
			return PKTRELAY_STAT_MALFORMED;
		code = ICMP_PORT_UNREACH;
		break;
	case IPPROTO_ICMP:
		if (!pktrelay_icmp_type(skb, hlen, &type))
			return PKTRELAY_STAT_MALFORMED;
		if (icmp_is_err(type))
			return PKTRELAY_STAT_UNHANDLED;
		break;
	}

	icmp_ndo_send(skb, ICMP_DEST_UNREACH, code, 0);
	pktrelay_stat_inc(pr, PKTRELAY_STAT_UNREACH_SENT);
	return PKTRELAY_STAT_UNHANDLED;
}

static enum pktrelay_stat pktrelay_xmit_ipv6(struct pktrelay_dev *pr,
					     struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	u8 code = ICMPV6_ADDR_UNREACH;
	__be16 frag_off = 0;
	unsigned int len;
	u8 nexthdr, type;
	int off;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return PKTRELAY_STAT_MALFORMED;
	ip6h = ipv6_hdr(skb);
	len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
	/* A zero payload length means a jumbogram, which we never route. */
	if (ip6h->version != 6 || !ip6h->payload_len || len > skb->len)
		return PKTRELAY_STAT_MALFORMED;

	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	if (off < 0 || off > len)
		return PKTRELAY_STAT_MALFORMED;
	if (frag_off)
		return PKTRELAY_STAT_UNHANDLED;

	switch (nexthdr) {
	case IPPROTO_UDP:
		if (!pktrelay_udp_ok(skb, off, len - off))
			return PKTRELAY_STAT_MALFORMED;
		code = ICMPV6_PORT_UNREACH;
		break;
	case IPPROTO_ICMPV6:
		if (!pktrelay_icmp_type(skb, off, &type))
			return PKTRELAY_STAT_MALFORMED;
		if (!(type & ICMPV6_INFOMSG_MASK))
			return PKTRELAY_STAT_UNHANDLED;
		break;
	}

	icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH, code, 0);
	pktrelay_stat_inc(pr, PKTRELAY_STAT_UNREACH_SENT);
	return PKTRELAY_STAT_UNHANDLED;
}

netdev_tx_t pktrelay_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pktrelay_dev *pr = netdev_priv(dev);
	enum pktrelay_stat why;

	/* An L3 device: the packet starts with its IP header. */
	skb_reset_network_header(skb);

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		why = pktrelay_xmit_ipv4(pr, skb);
		break;
	case htons(ETH_P_IPV6):
		why = pktrelay_xmit_ipv6(pr, skb);
		break;
	default:
		why = PKTRELAY_STAT_UNHANDLED;
		break;
	}

	pktrelay_stat_inc(pr, why);
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
