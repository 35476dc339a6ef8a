// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: injecting packets into the stack as if received on the device.
 *
 * Replies from upstreams and in-kernel answers arrive here as complete IP
 * packets addressed to the app. They enter through the device's GRO cells,
 * so the app's stack sees them on relay0 like any received packet.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

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
