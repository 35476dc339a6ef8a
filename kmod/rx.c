// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: injecting packets into the stack as if received on the device.
 *
 * Replies from upstreams and in-kernel answers arrive here as complete IP
 * packets addressed to the app. They enter through the device's GRO cells,
 * so the app's stack sees them on relay0 like any received packet.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "pktrelay.h"

/* Softirq context. @skb starts at its IP header; consumes it. */
void pktrelay_rx_inject(struct pktrelay_dev *pr, struct sk_buff *skb)
{
	struct net_device *dev = pr->dev;
	unsigned int len = skb->len;

	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	if (gro_cells_receive(&pr->gro_cells, skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
	else
		DEV_STATS_INC(dev, rx_dropped);
}

/*
 * @skb's data is a bare UDP payload: push UDP and IP headers in front of
 * it, making it a datagram from @saddr:@sport to the app's @daddr:@dport.
 * The UDP checksum is left for whoever needs it (CHECKSUM_PARTIAL), as a
 * locally generated packet would be.
 */
int pktrelay_rx_build_udp(struct sk_buff *skb, u8 family,
			  const union pktrelay_addr *saddr, __be16 sport,
			  const union pktrelay_addr *daddr, __be16 dport)
{
	unsigned int len = skb->len + sizeof(struct udphdr);
	struct udphdr *uh;

	if (skb_cow_head(skb, sizeof(struct ipv6hdr) + sizeof(*uh)))
		return -ENOMEM;

	uh = __skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(len);

	if (family == AF_INET) {
		struct iphdr *iph = __skb_push(skb, sizeof(*iph));

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->tot_len = htons(skb->len);
		iph->ttl = 64;
		iph->protocol = IPPROTO_UDP;
		iph->saddr = saddr->v4;
		iph->daddr = daddr->v4;
		ip_send_check(iph);
		uh->check = ~udp_v4_check(len, saddr->v4, daddr->v4, 0);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = __skb_push(skb, sizeof(*ip6h));

		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(len);
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->hop_limit = 64;
		ip6h->saddr = saddr->v6;
		ip6h->daddr = daddr->v6;
		uh->check = ~udp_v6_check(len, &saddr->v6, &daddr->v6, 0);
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_reset_network_header(skb);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	return 0;
}
