// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the "direct" upstream.
 *
 * Each association gets its own kernel UDP socket, bound to an ephemeral
 * port in the namespace the device was created in, and carrying the
 * device's fwmark so policy routing can keep relayed packets out of the
 * device. The socket is unconnected and answers whoever writes to it, so
 * the relay behaves as a full-cone NAT (RFC 4787 REQ-1, REQ-8 open).
 *
 * The app's skb itself is sent: its IP and UDP headers are stripped by the
 * table and udp_tunnel_xmit_skb() pushes the upstream ones, so the payload
 * is never copied. Replies are rewritten in place into packets for the
 * app's endpoint and injected into the device.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>
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

/*
 * The upstream route must not lead back into a pktrelay device: that is a
 * loop, seen when the device's fwmark is not excluded from the rules that
 * steer traffic into it.
 */
static bool pktrelay_direct_loops(const struct net_device *out)
{
	return pktrelay_is_dev(out);
}

/*
 * Choose the source address once, towards the first destination, and keep
 * it for the association's life: the mapping stays stable (RFC 4787 REQ-2)
 * and the send path never has to write it.
 */
static int pktrelay_direct_pick_source(struct pktrelay_assoc *a,
				       struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (a->key.family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr		= a->remote.v4,
			.flowi4_mark	= sk->sk_mark,
			.flowi4_proto	= IPPROTO_UDP,
			.fl4_sport	= a->relay_port,
			.fl4_dport	= a->remote_port,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return PTR_ERR(rt);
		if (pktrelay_direct_loops(rt->dst.dev)) {
			ip_rt_put(rt);
			return -ELOOP;
		}
		a->relay_addr.v4 = fl4.saddr;
		ip_rt_put(rt);
	} else {
		struct flowi6 fl6 = {
			.daddr		= a->remote.v6,
			.flowi6_mark	= sk->sk_mark,
			.flowi6_proto	= IPPROTO_UDP,
			.fl6_sport	= a->relay_port,
			.fl6_dport	= a->remote_port,
		};
		struct dst_entry *dst;

		dst = ipv6_stub->ipv6_dst_lookup_flow(net, sk, &fl6, NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		if (pktrelay_direct_loops(dst->dev)) {
			dst_release(dst);
			return -ELOOP;
		}
		a->relay_addr.v6 = fl6.saddr;
		dst_release(dst);
	}
	return 0;
}

static int pktrelay_direct_open(struct pktrelay_assoc *a)
{
	struct net *net = a->pr->creating_net;
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= a,
		.encap_type	= 1,
		.encap_rcv	= pktrelay_direct_rcv,
	};
	struct udp_port_cfg ucfg = {
		.family		= a->key.family,
		.ipv6_v6only	= 1,
	};
	struct socket *sock;
	int err;

	err = udp_sock_create(net, &ucfg, &sock);
	if (err)
		return err;

	rcu_read_lock();
	sock->sk->sk_mark = rcu_dereference(a->pr->config)->fwmark;
	rcu_read_unlock();
	a->relay_port = inet_sk(sock->sk)->inet_sport;
	err = pktrelay_direct_pick_source(a, sock->sk);
	if (err) {
		udp_tunnel_sock_release(sock);
		return err;
	}
	a->sock = sock;
	setup_udp_tunnel_sock(net, sock, &tcfg);
	return 0;
}

static void pktrelay_direct_close(struct pktrelay_assoc *a)
{
	udp_tunnel_sock_release(a->sock);
	a->sock = NULL;
}

static void pktrelay_direct_send4(struct pktrelay_assoc *a, struct sk_buff *skb,
				  const struct pktrelay_flow *fl)
{
	struct sock *sk = a->sock->sk;
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = {
		.daddr		= fl->daddr.v4,
		.saddr		= a->relay_addr.v4,
		.flowi4_mark	= sk->sk_mark,
		.flowi4_proto	= IPPROTO_UDP,
		.flowi4_tos	= RT_TOS(fl->tos),
		.fl4_sport	= a->relay_port,
		.fl4_dport	= fl->dport,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		goto err;
	if (pktrelay_direct_loops(rt->dst.dev)) {
		ip_rt_put(rt);
		goto err;
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 sizeof(struct iphdr) + sizeof(struct udphdr))) {
		ip_rt_put(rt);
		goto err;
	}
	skb->ip_summed = CHECKSUM_NONE;
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, fl->tos,
			    ip4_dst_hoplimit(&rt->dst), 0, a->relay_port,
			    fl->dport, !net_eq(net, dev_net(a->pr->dev)), false);
	return;

err:
	pktrelay_stat_inc(a->pr, PKTRELAY_STAT_UPSTREAM_ERRORS);
	DEV_STATS_INC(a->pr->dev, tx_dropped);
	kfree_skb(skb);
}

static void pktrelay_direct_send6(struct pktrelay_assoc *a, struct sk_buff *skb,
				  const struct pktrelay_flow *fl)
{
	struct sock *sk = a->sock->sk;
	struct net *net = sock_net(sk);
	struct flowi6 fl6 = {
		.daddr		= fl->daddr.v6,
		.saddr		= a->relay_addr.v6,
		.flowi6_mark	= sk->sk_mark,
		.flowi6_proto	= IPPROTO_UDP,
		.fl6_sport	= a->relay_port,
		.fl6_dport	= fl->dport,
	};
	struct dst_entry *dst;

	dst = ipv6_stub->ipv6_dst_lookup_flow(net, sk, &fl6, NULL);
	if (IS_ERR(dst))
		goto err;
	if (pktrelay_direct_loops(dst->dev)) {
		dst_release(dst);
		goto err;
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
			 sizeof(struct ipv6hdr) + sizeof(struct udphdr))) {
		dst_release(dst);
		goto err;
	}
	skb->ip_summed = CHECKSUM_NONE;
	udp_tunnel6_xmit_skb(dst, sk, skb, a->pr->dev, &fl6.saddr, &fl6.daddr,
			     fl->tos, ip6_dst_hoplimit(dst), 0, a->relay_port,
			     fl->dport, false);
	return;

err:
	pktrelay_stat_inc(a->pr, PKTRELAY_STAT_UPSTREAM_ERRORS);
	DEV_STATS_INC(a->pr->dev, tx_dropped);
	kfree_skb(skb);
}

static void pktrelay_direct_send(struct pktrelay_assoc *a, struct sk_buff *skb,
				 const struct pktrelay_flow *fl)
{
	if (fl->family == AF_INET)
		pktrelay_direct_send4(a, skb, fl);
	else
		pktrelay_direct_send6(a, skb, fl);
}

const struct pktrelay_upstream_ops pktrelay_upstream_direct = {
	.type	= PKTRELAY_UPSTREAM_DIRECT,
	.open	= pktrelay_direct_open,
	.send	= pktrelay_direct_send,
	.close	= pktrelay_direct_close,
};
