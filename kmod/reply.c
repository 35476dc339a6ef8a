// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: turning a request around into an in-kernel answer.
 *
 * DNS truncation and ICMP echo answer a packet the app sent into the
 * device with the same buffer: addresses swapped, a few bytes rewritten,
 * handed back to the stack as if received on the device. Reusing the skb
 * keeps answering allocation-free in the common case. A packet socket
 * tapping the device holds a clone of the data, so the part we write is
 * copied first when the skb is cloned.
 *
 * The answer carries a bare IP header. IPv4 options and IPv6 extension
 * headers of the request are removed, not reflected: they describe the
 * request's path (record route, timestamps, routing headers) or ask
 * something of the nodes on it (hop-by-hop options), and echoing them
 * back unprocessed would claim things that did not happen. A routing
 * header's final destination is not honoured either; the answer comes
 * from the address the packet was sent to.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "pktrelay.h"

/* What the stack itself uses by default (ip_default_ttl, hop_limit). */
#define PKTRELAY_REPLY_TTL	64

/*
 * Whether an answer may come from the request's destination and go to
 * its source: never from a multicast or broadcast address (RFC 1122
 * 3.2.1.3, RFC 4443 4.2), never to one, never to or from an unspecified
 * address. IPv4 subnet broadcasts are only known to the route the stack
 * chose; packets sent with AF_PACKET have none and are judged by their
 * addresses alone.
 */
bool pktrelay_reply_addrs_ok(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);
		const struct dst_entry *dst = skb_dst(skb);

		if (ipv4_is_multicast(iph->daddr) ||
		    ipv4_is_lbcast(iph->daddr) ||
		    ipv4_is_zeronet(iph->daddr) ||
		    ipv4_is_multicast(iph->saddr) ||
		    ipv4_is_lbcast(iph->saddr) ||
		    ipv4_is_zeronet(iph->saddr))
			return false;
		return !(dst && dst->ops->family == AF_INET &&
			 (skb_rtable(skb)->rt_flags &
			  (RTCF_BROADCAST | RTCF_MULTICAST)));
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		return !(ipv6_addr_is_multicast(&ip6h->daddr) ||
			 ipv6_addr_any(&ip6h->daddr) ||
			 ipv6_addr_is_multicast(&ip6h->saddr) ||
			 ipv6_addr_any(&ip6h->saddr));
	}
}

/*
 * Make @skb, a validated request trimmed to its IP length whose L4 header
 * starts at @l4off, the skeleton of its answer: the first @l4_write bytes
 * of the L4 header writable, options and extension headers removed (the
 * L4 header now follows the fixed IP header, @proto names it), addresses
 * swapped, TTL/hop limit reset, and nothing left of the sender's context.
 * The caller rewrites the L4 header and its checksum, then calls
 * pktrelay_reply_send(). Counts the request in the device's TX counters.
 * BH disabled. Returns the new L4 offset, or -ENOMEM: then the caller
 * drops @skb, whatever state it is in.
 */
int pktrelay_reply_prepare(struct pktrelay_dev *pr, struct sk_buff *skb,
			   unsigned int l4off, unsigned int l4_write, u8 proto)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);
	unsigned int base = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	unsigned int req_len = skb->len;

	/*
	 * The answer is not the sender's: no wmem charge, no mark, no dst,
	 * and no pages still owned by the sender (MSG_ZEROCOPY), which a
	 * receiver could hold on to for as long as it likes.
	 */
	skb_orphan(skb);
	if (skb_orphan_frags_rx(skb, GFP_ATOMIC) ||
	    skb_ensure_writable(skb, l4off + l4_write))
		return -ENOMEM;
	skb_scrub_packet(skb, true);

	if (l4off > base) {
		memmove(skb->data + l4off - base, skb->data, base);
		__skb_pull(skb, l4off - base);
		skb_reset_network_header(skb);
	}
	skb_set_transport_header(skb, base);

	if (v4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->ihl = base / 4;
		iph->tot_len = htons(skb->len);
		iph->ttl = PKTRELAY_REPLY_TTL;
		swap(iph->saddr, iph->daddr);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->nexthdr = proto;
		ip6h->payload_len = htons(skb->len - base);
		ip6h->hop_limit = PKTRELAY_REPLY_TTL;
		swap(ip6h->saddr, ip6h->daddr);
	}
	/* Whatever the request said, the stack checks the answer's sums. */
	skb->ip_summed = CHECKSUM_NONE;
	dev_sw_netstats_tx_add(pr->dev, 1, req_len);
	return base;
}

/* Finish an answer built by pktrelay_reply_prepare() and deliver it. */
void pktrelay_reply_send(struct pktrelay_dev *pr, struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		ip_send_check(ip_hdr(skb));
	pktrelay_rx_inject(pr, skb);
}
