// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the "direct" upstream.
 *
 * Each association's UDP socket (udp_sock.c) talks to the app's
 * destinations itself. The socket is unconnected and answers whoever
 * writes to it, so the relay behaves as a full-cone NAT (RFC 4787 REQ-1,
 * REQ-8 open). Replies are rewritten in place into packets for the app's
 * endpoint and injected into the device.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/udp_tunnel.h>

#include "assoc.h"

/* Softirq, RCU held; @skb->data is at the UDP header. Always consumes. */
static int pktrelay_direct_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct pktrelay_assoc *a = rcu_dereference_sk_user_data(sk);
	unsigned int thoff, payload_len;
	struct udphdr *uh;

	if (!a)
		goto drop;

	payload_len = skb->len - sizeof(struct udphdr);
	/* Make the packet start at its IP header again, and writable. */
	__skb_push(skb, skb->data - skb_network_header(skb));
	thoff = skb_transport_offset(skb);
	if (skb_ensure_writable(skb, thoff + sizeof(*uh)))
		goto drop_count;
	uh = udp_hdr(skb);

	/*
	 * UDP verified a full checksum before encap_rcv, so it stays valid
	 * after the incremental updates below. A CHECKSUM_PARTIAL reply (from
	 * a local peer, e.g. over veth) holds only the pseudo-header sum in
	 * the field; the inet_proto_csum_replace helpers update it as such.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = 0;
	}
	if (a->key.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		if (uh->check) {
			inet_proto_csum_replace4(&uh->check, skb, iph->daddr,
						 a->key.addr.v4, true);
			inet_proto_csum_replace2(&uh->check, skb, uh->dest,
						 a->key.port, false);
			if (!uh->check)
				uh->check = CSUM_MANGLED_0;
		}
		csum_replace4(&iph->check, iph->daddr, a->key.addr.v4);
		iph->daddr = a->key.addr.v4;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		inet_proto_csum_replace16(&uh->check, skb, ip6h->daddr.s6_addr32,
					  a->key.addr.v6.s6_addr32, true);
		inet_proto_csum_replace2(&uh->check, skb, uh->dest, a->key.port,
					 false);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
		ip6h->daddr = a->key.addr.v6;
		skb->protocol = htons(ETH_P_IPV6);
	}
	uh->dest = a->key.port;

	skb_scrub_packet(skb, !net_eq(sock_net(sk), dev_net(a->pr->dev)));
	pktrelay_assoc_rx(a, skb, payload_len);
	return 0;

drop_count:
	pktrelay_stat_inc(a->pr, PKTRELAY_STAT_NOMEM);
drop:
	kfree_skb(skb);
	return 0;
}

static int pktrelay_direct_open(struct pktrelay_assoc *a)
{
	return pktrelay_udp_open(a, a->key.family, &a->remote, a->remote_port,
				 pktrelay_direct_rcv);
}

static void pktrelay_direct_send(struct pktrelay_assoc *a, struct sk_buff *skb,
				 const struct pktrelay_flow *fl)
{
	pktrelay_udp_send(a, skb, &fl->daddr, fl->dport, fl->tos);
}

const struct pktrelay_upstream_ops pktrelay_upstream_direct = {
	.type	= PKTRELAY_UPSTREAM_DIRECT,
	.open	= pktrelay_direct_open,
	.send	= pktrelay_direct_send,
	.close	= pktrelay_udp_close,
};
