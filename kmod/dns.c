// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: DNS truncation, answered in-kernel.
 *
 * When DNS must not leave over UDP (policy "dns truncate", or no upstream
 * that could carry it), every query gets an empty answer with TC set, so
 * the resolver retries over TCP (RFC 1035 4.2.1, RFC 7766), which takes
 * a path that does not enter the device. This is the recipe of Outline's
 * dnstruncate relay (PROTOCOLS.md section 4), stricter about what it
 * answers: only well-formed standard queries, never responses, NOTIFY or
 * UPDATE, so the device cannot be made to reflect arbitrary DNS messages.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/udp.h>

#include "pktrelay.h"

/* RFC 1035 4.1.1: the fixed header, and the bits of its third byte. */
#define PKTRELAY_DNS_HLEN	12
#define PKTRELAY_DNS_QR		0x80
#define PKTRELAY_DNS_OPCODE	0x78
#define PKTRELAY_DNS_TC		0x02
#define PKTRELAY_DNS_RCODE	0x0f	/* in the fourth byte */

/*
 * Transmit path (BH disabled): answer the UDP datagram to port 53 whose
 * UDP header is at @off, or drop it. pktrelay_udp_parse() has checked the
 * UDP header and trimmed @skb to the UDP length. Returns a drop reason,
 * or PKTRELAY_STAT_NUM once @skb is consumed.
 */
int pktrelay_dns_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
		      const struct pktrelay_flow *fl, unsigned int off)
{
	unsigned int ulen = sizeof(struct udphdr) + fl->payload_len;
	u8 buf[PKTRELAY_DNS_HLEN];
	struct udphdr *uh;
	unsigned int ip_len;
	const u8 *h;
	__wsum csum;
	int l4off;
	u8 *b;

	/*
	 * Bytes after the datagram mean the UDP and IP lengths disagree:
	 * not something a resolver sends, so not something we answer.
	 */
	if (skb->protocol == htons(ETH_P_IP))
		ip_len = ntohs(ip_hdr(skb)->tot_len);
	else
		ip_len = sizeof(struct ipv6hdr) +
			 ntohs(ipv6_hdr(skb)->payload_len);
	if (ip_len != off + ulen || fl->payload_len < PKTRELAY_DNS_HLEN)
		return PKTRELAY_STAT_DNS_MALFORMED;

	h = skb_header_pointer(skb, off + sizeof(*uh), sizeof(buf), buf);
	if (!h)
		return PKTRELAY_STAT_DNS_MALFORMED;
	/* A standard query (QR 0, OPCODE 0) asking at least one question. */
	if ((h[2] & (PKTRELAY_DNS_QR | PKTRELAY_DNS_OPCODE)) ||
	    !(h[4] | h[5]))
		return PKTRELAY_STAT_DNS_MALFORMED;
	if (!pktrelay_reply_addrs_ok(skb))
		return PKTRELAY_STAT_DNS_MALFORMED;

	l4off = pktrelay_reply_prepare(pr, skb, off,
				       sizeof(*uh) + PKTRELAY_DNS_HLEN,
				       IPPROTO_UDP);
	if (l4off < 0)
		return PKTRELAY_STAT_NOMEM;

	uh = (struct udphdr *)(skb->data + l4off);
	swap(uh->source, uh->dest);
	b = (u8 *)(uh + 1);
	/* ID, OPCODE, RD, the question and any OPT record stay as they are. */
	b[2] |= PKTRELAY_DNS_QR | PKTRELAY_DNS_TC;
	b[3] &= ~PKTRELAY_DNS_RCODE;
	/*
	 * ANCOUNT := QDCOUNT although no answer follows: some stub
	 * resolvers (Windows 7) only retry over TCP then.
	 */
	b[6] = b[4];
	b[7] = b[5];

	uh->check = 0;
	csum = skb_checksum(skb, l4off, ulen, 0);
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					      IPPROTO_UDP, csum);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
					    IPPROTO_UDP, csum);
	}
	/* 0 means "no checksum" (IPv4) or is invalid (IPv6): send ~0. */
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	pktrelay_stat_inc(pr, PKTRELAY_STAT_DNS_TRUNCATED);
	pktrelay_reply_send(pr, skb);
	return PKTRELAY_STAT_NUM;
}
