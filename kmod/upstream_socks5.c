// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: the "socks5" upstream, RFC 1928 UDP ASSOCIATE with optional
 * RFC 1929 username/password authentication.
 *
 * Each association opens, from the open work (process context), one TCP
 * control connection to the server and performs the handshake with a
 * timeout, pipelined in one write as Outline does: greeting, credentials,
 * UDP ASSOCIATE. The reply names the relay endpoint (BND.ADDR:BND.PORT,
 * the server's own address when it answers with zeros), and the
 * association's UDP socket (udp_sock.c) sends every datagram there behind
 * the RFC 1928 section 7 header naming its real destination.
 *
 * The control connection must live as long as the association (RFC 1928
 * 7): its socket's state-change callback ends the association as soon as
 * it leaves ESTABLISHED. Datagrams from anyone but the relay, fragmented
 * ones (FRAG != 0: nothing reassembles) and malformed ones are dropped and
 * counted.
 */
#include <linux/net.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/udp_tunnel.h>

#include "assoc.h"

/* Connect and each handshake read or write must finish within this. */
#define PKTRELAY_SOCKS5_TIMEOUT		(5 * HZ)

#define SOCKS5_VER			0x05
#define SOCKS5_AUTH_VER			0x01	/* RFC 1929 sub-negotiation */
#define SOCKS5_METHOD_NONE		0x00
#define SOCKS5_METHOD_USERPASS		0x02
#define SOCKS5_CMD_UDP_ASSOCIATE	0x03
#define SOCKS5_ATYP_IPV4		0x01
#define SOCKS5_ATYP_IPV6		0x04

static u8 pktrelay_socks5_atyp(u8 family)
{
	return family == AF_INET ? SOCKS5_ATYP_IPV4 : SOCKS5_ATYP_IPV6;
}

static unsigned int pktrelay_socks5_alen(u8 family)
{
	return family == AF_INET ? 4 : 16;
}

static int pktrelay_socks5_write(struct socket *sock, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int n = kernel_sendmsg(sock, &msg, &iov, 1, len);

	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

static int pktrelay_socks5_read(struct socket *sock, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int n = kernel_recvmsg(sock, &msg, &iov, 1, len, MSG_WAITALL);

	if (n < 0)
		return n;
	return n == len ? 0 : -ECONNRESET;	/* closed mid-reply */
}

/* Greeting, credentials and UDP ASSOCIATE in one write (RFC 1928 3-4). */
static int pktrelay_socks5_request(struct socket *ctrl,
				   const struct pktrelay_upstream *up)
{
	u8 buf[3 + 3 + PKTRELAY_USERNAME_MAX + PKTRELAY_PASSWORD_MAX + 10];
	u8 *p = buf;
	int err;

	*p++ = SOCKS5_VER;
	*p++ = 1;
	*p++ = up->ulen ? SOCKS5_METHOD_USERPASS : SOCKS5_METHOD_NONE;
	if (up->ulen) {
		*p++ = SOCKS5_AUTH_VER;
		*p++ = up->ulen;
		memcpy(p, up->username, up->ulen);
		p += up->ulen;
		*p++ = up->plen;
		memcpy(p, up->password, up->plen);
		p += up->plen;
	}
	/* Where we will send from is not known yet: all zeros (RFC 1928 4). */
	*p++ = SOCKS5_VER;
	*p++ = SOCKS5_CMD_UDP_ASSOCIATE;
	*p++ = 0;
	*p++ = SOCKS5_ATYP_IPV4;
	memset(p, 0, 6);
	p += 6;

	err = pktrelay_socks5_write(ctrl, buf, p - buf);
	memzero_explicit(buf, sizeof(buf));
	return err;
}

/* Read the server's answers; on success @a knows the relay endpoint. */
static int pktrelay_socks5_reply(struct pktrelay_assoc *a, struct socket *ctrl)
{
	const struct pktrelay_upstream *up = a->up;
	u8 r[4 + 16 + 2];
	unsigned int alen;
	u8 family;
	int err;

	err = pktrelay_socks5_read(ctrl, r, 2);
	if (err)
		return err;
	if (r[0] != SOCKS5_VER ||
	    r[1] != (up->ulen ? SOCKS5_METHOD_USERPASS : SOCKS5_METHOD_NONE))
		return -ECONNREFUSED;	/* 0xff: no acceptable method */
	if (up->ulen) {
		err = pktrelay_socks5_read(ctrl, r, 2);
		if (err)
			return err;
		if (r[0] != SOCKS5_AUTH_VER || r[1] != 0)
			return -EACCES;
	}

	err = pktrelay_socks5_read(ctrl, r, 4);
	if (err)
		return err;
	if (r[0] != SOCKS5_VER)
		return -EPROTO;
	if (r[1] != 0)
		return -ECONNREFUSED;	/* REP: refused by the server */
	switch (r[3]) {
	case SOCKS5_ATYP_IPV4:
		family = AF_INET;
		break;
	case SOCKS5_ATYP_IPV6:
		family = AF_INET6;
		break;
	default:
		return -EPROTO;		/* a name: we relay to addresses */
	}
	alen = pktrelay_socks5_alen(family);
	err = pktrelay_socks5_read(ctrl, r + 4, alen + 2);
	if (err)
		return err;

	a->relay_family = family;
	memcpy(&a->bnd_addr, r + 4, alen);
	memcpy(&a->bnd_port, r + 4 + alen, 2);
	/* An unspecified BND.ADDR means the server's own address. */
	if (!memchr_inv(&a->bnd_addr, 0, alen)) {
		if (family != up->server.sa.sa_family)
			return -EPROTO;
		if (family == AF_INET)
			a->bnd_addr.v4 = up->server.v4.sin_addr.s_addr;
		else
			a->bnd_addr.v6 = up->server.v6.sin6_addr;
	}
	return 0;
}

static void pktrelay_socks5_state_change(struct sock *sk)
{
	struct pktrelay_assoc *a;

	read_lock_bh(&sk->sk_callback_lock);
	a = sk->sk_user_data;
	if (a) {
		a->ctrl_state_change(sk);
		if (sk->sk_state != TCP_ESTABLISHED)
			pktrelay_assoc_upstream_lost(a);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void pktrelay_socks5_watch(struct pktrelay_assoc *a, struct socket *ctrl)
{
	struct sock *sk = ctrl->sk;

	write_lock_bh(&sk->sk_callback_lock);
	a->ctrl_state_change = sk->sk_state_change;
	sk->sk_user_data = a;
	sk->sk_state_change = pktrelay_socks5_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void pktrelay_socks5_unwatch(struct pktrelay_assoc *a,
				    struct socket *ctrl)
{
	struct sock *sk = ctrl->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_state_change = a->ctrl_state_change;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void pktrelay_socks5_release_ctrl(struct socket *ctrl)
{
	kernel_sock_shutdown(ctrl, SHUT_RDWR);
	sock_release(ctrl);
}

/* Softirq, RCU held; @skb->data is at the UDP header. Always consumes. */
static int pktrelay_socks5_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct pktrelay_assoc *a = rcu_dereference_sk_user_data(sk);
	union pktrelay_addr from = {};
	unsigned int alen, hlen;
	__be16 from_port;
	bool relay;
	u8 *h;

	if (!a)
		goto drop;

	/* Only the relay the server named may send us datagrams. */
	if (a->relay_family == AF_INET)
		relay = ip_hdr(skb)->saddr == a->bnd_addr.v4;
	else
		relay = ipv6_addr_equal(&ipv6_hdr(skb)->saddr, &a->bnd_addr.v6);
	if (!relay || udp_hdr(skb)->source != a->bnd_port)
		goto bad;

	/* RSV, FRAG and ATYP; the address family must be the app's. */
	alen = pktrelay_socks5_alen(a->key.family);
	hlen = sizeof(struct udphdr) + 4 + alen + 2;
	if (!pskb_may_pull(skb, hlen))
		goto bad;
	h = skb->data + sizeof(struct udphdr);
	if (h[0] || h[1] || h[2] || h[3] != pktrelay_socks5_atyp(a->key.family))
		goto bad;
	memcpy(&from, h + 4, alen);
	memcpy(&from_port, h + 4 + alen, 2);

	__skb_pull(skb, hlen);
	skb_scrub_packet(skb, !net_eq(sock_net(sk), dev_net(a->pr->dev)));
	if (pktrelay_rx_build_udp(skb, a->key.family, &from, from_port,
				  &a->key.addr, a->key.port)) {
		pktrelay_stat_inc(a->pr, PKTRELAY_STAT_NOMEM);
		goto drop;
	}
	pktrelay_assoc_rx(a, skb, skb->len - skb_transport_offset(skb) -
				  sizeof(struct udphdr));
	return 0;

bad:
	pktrelay_stat_inc(a->pr, PKTRELAY_STAT_SOCKS5_BAD_DATAGRAM);
drop:
	kfree_skb(skb);
	return 0;
}

static int pktrelay_socks5_open(struct pktrelay_assoc *a)
{
	const struct pktrelay_upstream *up = a->up;
	struct net *net = a->pr->creating_net;
	struct socket *ctrl;
	int err;

	err = sock_create_kern(net, up->server.sa.sa_family, SOCK_STREAM,
			       IPPROTO_TCP, &ctrl);
	if (err)
		return err;
	rcu_read_lock();
	ctrl->sk->sk_mark = rcu_dereference(a->pr->config)->fwmark;
	rcu_read_unlock();
	ctrl->sk->sk_sndtimeo = PKTRELAY_SOCKS5_TIMEOUT;
	ctrl->sk->sk_rcvtimeo = PKTRELAY_SOCKS5_TIMEOUT;

	err = kernel_connect(ctrl, (struct sockaddr *)&up->server,
			     up->server.sa.sa_family == AF_INET ?
			     sizeof(up->server.v4) : sizeof(up->server.v6), 0);
	if (err)
		goto err_ctrl;
	err = pktrelay_socks5_request(ctrl, up);
	if (err)
		goto err_ctrl;
	err = pktrelay_socks5_reply(a, ctrl);
	if (err)
		goto err_ctrl;

	err = pktrelay_udp_open(a, a->relay_family, &a->bnd_addr, a->bnd_port,
				pktrelay_socks5_rcv);
	if (err)
		goto err_ctrl;

	a->ctrl = ctrl;
	pktrelay_socks5_watch(a, ctrl);
	/* Closed before we were watching? Then nobody else will notice. */
	if (READ_ONCE(ctrl->sk->sk_state) != TCP_ESTABLISHED)
		pktrelay_assoc_upstream_lost(a);
	return 0;

err_ctrl:
	pktrelay_socks5_release_ctrl(ctrl);
	return err;
}

/* BH disabled: wrap the payload in the RFC 1928 section 7 header. */
static void pktrelay_socks5_send(struct pktrelay_assoc *a, struct sk_buff *skb,
				 const struct pktrelay_flow *fl)
{
	unsigned int alen = pktrelay_socks5_alen(fl->family);
	u8 *h;

	if (skb_cow_head(skb, 4 + alen + 2)) {
		pktrelay_stat_inc(a->pr, PKTRELAY_STAT_NOMEM);
		DEV_STATS_INC(a->pr->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	h = __skb_push(skb, 4 + alen + 2);
	h[0] = 0;			/* RSV */
	h[1] = 0;
	h[2] = 0;			/* FRAG: standalone */
	h[3] = pktrelay_socks5_atyp(fl->family);
	memcpy(h + 4, &fl->daddr, alen);
	memcpy(h + 4 + alen, &fl->dport, 2);
	pktrelay_udp_send(a, skb, &a->bnd_addr, a->bnd_port, fl->tos);
}

static void pktrelay_socks5_close(struct pktrelay_assoc *a)
{
	pktrelay_udp_close(a);
	pktrelay_socks5_unwatch(a, a->ctrl);
	pktrelay_socks5_release_ctrl(a->ctrl);
	a->ctrl = NULL;
}

const struct pktrelay_upstream_ops pktrelay_upstream_socks5 = {
	.type	= PKTRELAY_UPSTREAM_SOCKS5,
	.open	= pktrelay_socks5_open,
	.send	= pktrelay_socks5_send,
	.close	= pktrelay_socks5_close,
};
