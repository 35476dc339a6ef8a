// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the transmit path, where the stack hands packets to the relay.
 *
 * Every packet is validated before anything looks past the IP header, so a
 * forged or truncated packet (raw sockets and AF_PACKET can send anything
 * into the device) is counted as malformed and dropped, never answered.
 * ICMP echo requests and, by policy, DNS queries are answered in-kernel
 * (icmp_echo.c, dns.c); other ICMP is dropped. Valid packets that nothing
 * relays get the ICMP error an application can act on: port unreachable
 * for UDP (a connected socket sees ECONNREFUSED), host/address
 * unreachable for everything else.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "pktrelay.h"

/*
 * The UDP header at @off must fit in the packet and agree with @l4_len.
 * On success the packet is trimmed to the UDP length and @fl gets ports
 * and payload length.
 */
static bool pktrelay_udp_parse(struct sk_buff *skb, unsigned int off,
			       unsigned int l4_len, struct pktrelay_flow *fl)
{
	const struct udphdr *uh;
	unsigned int ulen;

	if (l4_len < sizeof(*uh) || !pskb_may_pull(skb, off + sizeof(*uh)))
		return false;
	uh = (const struct udphdr *)(skb->data + off);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > l4_len)
		return false;
	fl->sport = uh->source;
	fl->dport = uh->dest;
	fl->payload_len = ulen - sizeof(*uh);
	return !pskb_trim(skb, off + ulen);
}

/*
 * Tell the app its packet cannot be delivered. Only for packets the
 * transmit path validated: UDP gets port unreachable, the rest host or
 * address unreachable. BH disabled.
 */
void pktrelay_unreach(struct pktrelay_dev *pr, struct sk_buff *skb)
{
	/*
	 * The ICMP code would refuse silently to answer multicast or
	 * broadcast, or a packet without a unicast source (RFC 1122
	 * 3.2.2, RFC 4443 2.4(e)), and IPv4 errors need the packet's route;
	 * multicast UDP (mDNS, SSDP) routed into the device ends up here.
	 * Check first, with the rules every answer of ours follows, so
	 * unreach_sent counts only errors that are really sent.
	 */
	if (!pktrelay_reply_addrs_ok(skb))
		return;
	if (skb->protocol == htons(ETH_P_IP)) {
		bool udp = ip_hdr(skb)->protocol == IPPROTO_UDP;

		if (!skb_rtable(skb))
			return;
		icmp_ndo_send(skb, ICMP_DEST_UNREACH,
			      udp ? ICMP_PORT_UNREACH : ICMP_HOST_UNREACH, 0);
	} else {
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		__be16 frag_off;
		bool udp;

		udp = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off) >= 0 && nexthdr == IPPROTO_UDP;
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
				udp ? ICMPV6_PORT_UNREACH : ICMPV6_ADDR_UNREACH, 0);
	}
	pktrelay_stat_inc(pr, PKTRELAY_STAT_UNREACH_SENT);
}

/*
 * A valid UDP packet whose header is at @off: DNS is answered truncated
 * when the policy says so, or when there is no upstream to relay it (so
 * resolvers fall back to TCP instead of timing out); everything else goes
 * to the association table, which relays or refuses it.
 */
static int pktrelay_xmit_udp(struct pktrelay_dev *pr, struct sk_buff *skb,
			     const struct pktrelay_flow *fl, unsigned int off)
{
	const struct pktrelay_config *cfg = rcu_dereference_bh(pr->config);

	if (fl->dport == htons(53) &&
	    (cfg->dns == PKTRELAY_DNS_TRUNCATE || !cfg->upstream))
		return pktrelay_dns_xmit(pr, skb, fl, off);
	return pktrelay_assoc_xmit(pr, skb, fl, cfg);
}

static int pktrelay_xmit_ipv4(struct pktrelay_dev *pr, struct sk_buff *skb)
{
	struct pktrelay_flow fl = { .family = AF_INET };
	const struct iphdr *iph;
	unsigned int hlen, tot;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return PKTRELAY_STAT_MALFORMED;
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (iph->version != 4 || hlen < sizeof(*iph) || tot < hlen ||
	    tot > skb->len || !pskb_may_pull(skb, hlen))
		return PKTRELAY_STAT_MALFORMED;
	iph = ip_hdr(skb);

	/* Nothing reassembles; a later fragment cannot even be answered. */
	if (ip_is_fragment(iph))
		return PKTRELAY_STAT_FRAGMENTS;

	switch (iph->protocol) {
	case IPPROTO_UDP:
		fl.saddr.v4 = iph->saddr;
		fl.daddr.v4 = iph->daddr;
		fl.tos = iph->tos;
		fl.df = !!(iph->frag_off & htons(IP_DF));
		if (!pktrelay_udp_parse(skb, hlen, tot - hlen, &fl))
			return PKTRELAY_STAT_MALFORMED;
		return pktrelay_xmit_udp(pr, skb, &fl, hlen);
	case IPPROTO_ICMP:
		return pktrelay_echo_xmit(pr, skb, hlen, tot - hlen);
	}

	pktrelay_unreach(pr, skb);
	return PKTRELAY_STAT_UNHANDLED;
}

static int pktrelay_xmit_ipv6(struct pktrelay_dev *pr, struct sk_buff *skb)
{
	struct pktrelay_flow fl = { .family = AF_INET6 };
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	unsigned int len;
	u8 nexthdr;
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
		return PKTRELAY_STAT_FRAGMENTS;

	switch (nexthdr) {
	case IPPROTO_UDP:
		ip6h = ipv6_hdr(skb);
		fl.saddr.v6 = ip6h->saddr;
		fl.daddr.v6 = ip6h->daddr;
		fl.tos = ipv6_get_dsfield(ip6h);
		if (!pktrelay_udp_parse(skb, off, len - off, &fl))
			return PKTRELAY_STAT_MALFORMED;
		return pktrelay_xmit_udp(pr, skb, &fl, off);
	case IPPROTO_ICMPV6:
		return pktrelay_echo_xmit(pr, skb, off, len - off);
	}

	pktrelay_unreach(pr, skb);
	return PKTRELAY_STAT_UNHANDLED;
}

netdev_tx_t pktrelay_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pktrelay_dev *pr = netdev_priv(dev);
	int why;

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

	/* PKTRELAY_STAT_NUM: a handler took the packet. */
	if (why == PKTRELAY_STAT_NUM)
		return NETDEV_TX_OK;
	pktrelay_stat_inc(pr, why);
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
