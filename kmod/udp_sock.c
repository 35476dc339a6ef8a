// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the UDP socket an association relays through.
 *
 * Every upstream kind sends over one kernel UDP socket per association:
 * bound to an ephemeral port in the namespace the device was created in,
 * carrying the device's fwmark so policy routing keeps relayed packets out
 * of the device, with replies handed to the upstream's encap_rcv.
 *
 * The app's skb itself is sent: the table strips its IP and UDP headers
 * and udp_tunnel_xmit_skb() pushes the upstream ones, so the payload is
 * never copied.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "assoc.h"

/*
 * The upstream route must not lead back into a pktrelay device: that is a
 * loop, seen when the device's fwmark is not excluded from the rules that
 * steer traffic into it.
 */
static bool pktrelay_udp_loops(const struct net_device *out)
{
	return pktrelay_is_dev(out);
}

static struct rtable *pktrelay_udp_route4(struct pktrelay_assoc *a,
					  struct sock *sk, __be32 daddr,
					  __be16 dport, u8 tos, __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr		= daddr,
		.saddr		= a->relay_addr.v4,
		.flowi4_mark	= sk->sk_mark,
		.flowi4_proto	= IPPROTO_UDP,
		.flowi4_tos	= RT_TOS(tos),
		.fl4_sport	= a->relay_port,
		.fl4_dport	= dport,
	};
	struct rtable *rt = ip_route_output_key(sock_net(sk), &fl4);

	if (IS_ERR(rt))
		return rt;
	if (pktrelay_udp_loops(rt->dst.dev)) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	return rt;
}

static struct dst_entry *pktrelay_udp_route6(struct pktrelay_assoc *a,
					     struct sock *sk,
					     const struct in6_addr *daddr,
					     __be16 dport, struct in6_addr *saddr)
{
	struct flowi6 fl6 = {
		.daddr		= *daddr,
		.saddr		= a->relay_addr.v6,
		.flowi6_mark	= sk->sk_mark,
		.flowi6_proto	= IPPROTO_UDP,
		.fl6_sport	= a->relay_port,
		.fl6_dport	= dport,
	};
	struct dst_entry *dst;

	dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (pktrelay_udp_loops(dst->dev)) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	return dst;
}

/*
 * Choose the source address once, towards the first peer, and keep it
 * for the association's life: the mapping stays stable (RFC 4787 REQ-2,
 * and a SOCKS5 server drops datagrams from any other source) and the send
 * path never has to write it.
 */
static int pktrelay_udp_pick_source(struct pktrelay_assoc *a, struct sock *sk,
				    const union pktrelay_addr *peer,
				    __be16 port)
{
	if (a->relay_family == AF_INET) {
		struct rtable *rt;

		rt = pktrelay_udp_route4(a, sk, peer->v4, port, 0,
					 &a->relay_addr.v4);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		ip_rt_put(rt);
	} else {
		struct dst_entry *dst;

		dst = pktrelay_udp_route6(a, sk, &peer->v6, port,
					  &a->relay_addr.v6);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		dst_release(dst);
	}
	return 0;
}

/*
 * Process context. Opens @a's UDP socket of @family towards @peer:@port
 * (where the first datagram goes) with @rcv for what comes back.
 */
int pktrelay_udp_open(struct pktrelay_assoc *a, u8 family,
		      const union pktrelay_addr *peer, __be16 port,
		      int (*rcv)(struct sock *sk, struct sk_buff *skb))
{
	struct net *net = a->pr->creating_net;
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= a,
		.encap_type	= 1,
		.encap_rcv	= rcv,
	};
	struct udp_port_cfg ucfg = {
		.family		= family,
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
	a->relay_family = family;
	a->relay_port = inet_sk(sock->sk)->inet_sport;
	err = pktrelay_udp_pick_source(a, sock->sk, peer, port);
	if (err) {
		udp_tunnel_sock_release(sock);
		return err;
	}
	a->sock = sock;
	setup_udp_tunnel_sock(net, sock, &tcfg);
	return 0;
}

void pktrelay_udp_close(struct pktrelay_assoc *a)
{
	udp_tunnel_sock_release(a->sock);
	a->sock = NULL;
}

/*
 * BH disabled. Send @skb, whose data is the datagram's payload, from @a's
 * socket to @daddr:@dport. Consumes @skb.
 */
void pktrelay_udp_send(struct pktrelay_assoc *a, struct sk_buff *skb,
		       const union pktrelay_addr *daddr, __be16 dport, u8 tos)
{
	struct sock *sk = a->sock->sk;
	struct net *net = sock_net(sk);
	bool xnet = !net_eq(net, dev_net(a->pr->dev));
	unsigned int hdrlen;

	/* Forwarded packets may carry a checksum state for their old headers. */
	skb->ip_summed = CHECKSUM_NONE;
	/*
	 * A datagram larger than the upstream path is fragmented there, not
	 * refused: IPv4 goes out without DF, and IPv6 must be allowed to
	 * fragment whatever the app's socket said.
	 */
	skb->ignore_df = 1;

	if (a->relay_family == AF_INET) {
		struct rtable *rt;
		__be32 saddr;

		rt = pktrelay_udp_route4(a, sk, daddr->v4, dport, tos, &saddr);
		if (IS_ERR(rt))
			goto err;
		hdrlen = LL_RESERVED_SPACE(rt->dst.dev) + sizeof(struct iphdr) +
			 sizeof(struct udphdr);
		if (skb_cow_head(skb, hdrlen)) {
			ip_rt_put(rt);
			goto err;
		}
		udp_tunnel_xmit_skb(rt, sk, skb, saddr, daddr->v4, tos,
				    ip4_dst_hoplimit(&rt->dst), 0, a->relay_port,
				    dport, xnet, false);
	} else {
		struct in6_addr saddr;
		struct dst_entry *dst;

		dst = pktrelay_udp_route6(a, sk, &daddr->v6, dport, &saddr);
		if (IS_ERR(dst))
			goto err;
		hdrlen = LL_RESERVED_SPACE(dst->dev) + sizeof(struct ipv6hdr) +
			 sizeof(struct udphdr);
		if (skb_cow_head(skb, hdrlen)) {
			dst_release(dst);
			goto err;
		}
		udp_tunnel6_xmit_skb(dst, sk, skb, a->pr->dev, &saddr,
				     (struct in6_addr *)&daddr->v6, tos,
				     ip6_dst_hoplimit(dst), 0, a->relay_port,
				     dport, false);
	}
	return;

err:
	pktrelay_stat_inc(a->pr, PKTRELAY_STAT_UPSTREAM_ERRORS);
	DEV_STATS_INC(a->pr->dev, tx_dropped);
	kfree_skb(skb);
}
