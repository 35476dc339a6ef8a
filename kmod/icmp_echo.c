// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: ICMP and ICMPv6 echo, answered in-kernel.
 *
 * Every destination routed into the device answers ping, as gVisor's and
 * tun2socks' stacks do (PROTOCOLS.md section 5): identifier, sequence and
 * payload come back bit for bit. Nothing else ICMP is ever answered, errors
 * least of all (RFC 1122 3.2.2, RFC 4443 2.4).
 *
 * Answers cost CPU, not bandwidth (a reply is the size of its request), so
 * a per-device token bucket bounds them: echo-rate tokens per second, up
 * to echo-burst saved. Its lock is the device's own, and held for a few
 * instructions; there is no global state.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "pktrelay.h"

/* Type, code and checksum: what every ICMP message must have. */
#define PKTRELAY_ICMP_MIN	4
/* An echo message adds identifier and sequence number. */
#define PKTRELAY_ECHO_HLEN	8

void pktrelay_echo_init(struct pktrelay_dev *pr)
{
	spin_lock_init(&pr->echo_lock);
	/* More credit than any depth: the bucket starts full. */
	pr->echo_credit = U64_MAX;
	pr->echo_stamp = ktime_get_ns();
}

/*
 * Take a token from the device's bucket. Credit is kept in nanoseconds:
 * time refills it, a reply costs one token's worth, and it never exceeds
 * echo-burst tokens. Rate and burst are read from the current
 * configuration each time, so a change applies to the next request.
 */
static bool pktrelay_echo_allow(struct pktrelay_dev *pr,
				const struct pktrelay_config *cfg)
{
	u64 cost, depth, credit, now;
	bool ok;

	if (!cfg->echo_rate)
		return true;
	cost = div_u64(NSEC_PER_SEC, cfg->echo_rate);
	depth = cost * max(cfg->echo_burst, 1U);

	spin_lock(&pr->echo_lock);
	/* Read the clock under the lock so it never runs backwards here. */
	now = ktime_get_ns();
	credit = pr->echo_credit;
	if (now > pr->echo_stamp) {
		credit += now - pr->echo_stamp;
		if (credit < pr->echo_credit)	/* wrapped: full anyway */
			credit = U64_MAX;
		pr->echo_stamp = now;
	}
	credit = min(credit, depth);
	ok = credit >= cost;
	if (ok)
		credit -= cost;
	pr->echo_credit = credit;
	spin_unlock(&pr->echo_lock);
	return ok;
}

/*
 * Transmit path (BH disabled): an ICMP (IPv4) or ICMPv6 message of @len
 * bytes, as the IP header says, at @off. Answer it if it is an echo
 * request we may answer, else drop it. Returns a drop reason, or
 * PKTRELAY_STAT_NUM once @skb is consumed.
 */
int pktrelay_echo_xmit(struct pktrelay_dev *pr, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct pktrelay_config *cfg = rcu_dereference_bh(pr->config);
	bool v4 = skb->protocol == htons(ETH_P_IP);
	u8 request = v4 ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
	struct icmphdr *ih;	/* ICMPv6's first four bytes are the same */
	__wsum csum;
	int l4off;

	if (len < PKTRELAY_ICMP_MIN || !pskb_may_pull(skb, off + 2))
		return PKTRELAY_STAT_MALFORMED;
	/* Only the first code of echo request is defined. */
	if (skb->data[off] != request || skb->data[off + 1] != 0)
		return PKTRELAY_STAT_ICMP_OTHER;
	if (len < PKTRELAY_ECHO_HLEN)
		return PKTRELAY_STAT_MALFORMED;
	/* Bytes past the IP length are not the message's: never echo them. */
	if (pskb_trim(skb, off + len))
		return PKTRELAY_STAT_NOMEM;

	/* A corrupt request is not answered with a valid reply. */
	csum = skb_checksum(skb, off, len, 0);
	if (v4) {
		if (csum_fold(csum))
			return PKTRELAY_STAT_MALFORMED;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    IPPROTO_ICMPV6, csum))
			return PKTRELAY_STAT_MALFORMED;
	}

	if (!pktrelay_reply_addrs_ok(skb))
		return PKTRELAY_STAT_ICMP_OTHER;
	if (cfg->icmp_echo == PKTRELAY_ICMP_ECHO_DROP)
		return PKTRELAY_STAT_ECHO_DROPPED;
	if (!pktrelay_echo_allow(pr, cfg))
		return PKTRELAY_STAT_ECHO_RATELIMITED;

	l4off = pktrelay_reply_prepare(pr, skb, off, PKTRELAY_ICMP_MIN,
				       v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (l4off < 0)
		return PKTRELAY_STAT_NOMEM;

	ih = (struct icmphdr *)(skb->data + l4off);
	ih->type = v4 ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
	ih->checksum = 0;
	csum = skb_checksum(skb, l4off, len, 0);
	if (v4) {
		ih->checksum = csum_fold(csum);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ih->checksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					       IPPROTO_ICMPV6, csum);
	}

	pktrelay_stat_inc(pr, PKTRELAY_STAT_ECHO_REPLIED);
	pktrelay_reply_send(pr, skb);
	return PKTRELAY_STAT_NUM;
}
