/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pktrelay: in-kernel UDP/DNS/ICMP packet relay device.
 *
 * This is the one netlink contract between pktrelay.ko and userspace
 * (relayctl, tests). Attribute and command numbers are ABI: append only.
 *
 * Generic netlink family PKTRELAY_GENL_NAME, version PKTRELAY_GENL_VERSION.
 * Every command needs CAP_NET_ADMIN in the user namespace owning the
 * network namespace of the socket (GENL_UNS_ADMIN_PERM). Devices are looked
 * up in the network namespace of the requesting socket.
 *
 * Commands
 * --------
 * PKTRELAY_CMD_DEV_GET
 *	do:   request carries PKTRELAY_A_DEV_IFINDEX or PKTRELAY_A_DEV_IFNAME
 *	      (if both are given they must name the same device).
 *	      Reply: one PKTRELAY_CMD_DEV_GET message describing the device.
 *	dump: no attributes; one message per pktrelay device in the netns.
 *	A device message carries IFINDEX, IFNAME, every configuration attribute
 *	listed below with its current value, and PKTRELAY_A_DEV_STATS.
 *
 * PKTRELAY_CMD_DEV_SET
 *	do: IFINDEX or IFNAME plus any subset of the configuration attributes.
 *	The whole request is validated before anything changes; it is then
 *	applied at once (readers see either the old or the new configuration,
 *	never a mix). A rejected request changes nothing and carries an extack
 *	message naming the bad attribute.
 *
 * Configuration attributes (all optional in DEV_SET)
 * --------------------------------------------------
 * PKTRELAY_A_DEV_UPSTREAM (nested, enum pktrelay_a_upstream)
 *	Where relayed UDP goes. PKTRELAY_A_UPSTREAM_TYPE is required inside.
 *	Types other than PKTRELAY_UPSTREAM_NONE are refused with EOPNOTSUPP
 *	until the module implements them (the extack message says so).
 * PKTRELAY_A_DEV_UDP_TIMEOUT (u32, seconds, 1..86400, default 120)
 *	Idle timeout of a UDP association (RFC 4787 REQ-5).
 * PKTRELAY_A_DEV_DNS_TIMEOUT (u32, seconds, 1..86400, default 15)
 *	Idle timeout of an association whose first destination port was 53.
 * PKTRELAY_A_DEV_REFRESH (u8, enum pktrelay_refresh, default OUTBOUND)
 *	Which packets refresh an association's idle timer (RFC 4787 §4.3).
 * PKTRELAY_A_DEV_MAX_ASSOCS (u32, 1..16777216, default 65536)
 *	Hard cap on associations of the device.
 * PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE (u32, 0 = no limit, default 0)
 *	Cap on associations per local address; the longest-idle one of that
 *	address is evicted for a new one.
 * PKTRELAY_A_DEV_FWMARK (u32, default 0 = none)
 *	Mark put on every upstream socket so policy routing keeps relayed
 *	packets out of the device.
 * PKTRELAY_A_DEV_DNS (u8, enum pktrelay_dns_policy, default RELAY)
 * PKTRELAY_A_DEV_ICMP_ECHO (u8, enum pktrelay_icmp_echo, default REPLY)
 * PKTRELAY_A_DEV_ECHO_RATE (u32, echo replies per second, 0 = unlimited,
 *	default 10000)
 * PKTRELAY_A_DEV_ECHO_BURST (u32, token bucket depth, 1..1000000,
 *	default 1000)
 *
 * Configuration attributes are accepted and reported by the module from
 * version 1 on; which of them already change packet handling is stated by
 * PKTRELAY_A_DEV_FEATURES (see enum pktrelay_feature), so tools and tests
 * never have to guess.
 *
 * Read-only attributes (in replies only; rejected in requests)
 * -----------------------------------------------------------
 * PKTRELAY_A_DEV_FEATURES (u32, bitmask of enum pktrelay_feature)
 * PKTRELAY_A_DEV_STATS (nested, enum pktrelay_a_stats, all u64)
 */
#ifndef _UAPI_LINUX_PKTRELAY_H
#define _UAPI_LINUX_PKTRELAY_H

#define PKTRELAY_GENL_NAME		"pktrelay"
#define PKTRELAY_GENL_VERSION		1
#define PKTRELAY_MCGRP_EVENTS		"events"

/* Limits and defaults of the configuration attributes (see above). */
#define PKTRELAY_TIMEOUT_MIN		1
#define PKTRELAY_TIMEOUT_MAX		86400
#define PKTRELAY_UDP_TIMEOUT_DEFAULT	120
#define PKTRELAY_DNS_TIMEOUT_DEFAULT	15
#define PKTRELAY_MAX_ASSOCS_MAX		(1U << 24)
#define PKTRELAY_MAX_ASSOCS_DEFAULT	65536
#define PKTRELAY_ECHO_RATE_DEFAULT	10000
#define PKTRELAY_ECHO_BURST_MAX		1000000
#define PKTRELAY_ECHO_BURST_DEFAULT	1000
#define PKTRELAY_USERNAME_MAX		255	/* RFC 1929 ULEN */
#define PKTRELAY_PASSWORD_MAX		255	/* RFC 1929 PLEN */

enum pktrelay_cmd {
	PKTRELAY_CMD_UNSPEC,
	PKTRELAY_CMD_DEV_GET,
	PKTRELAY_CMD_DEV_SET,

	__PKTRELAY_CMD_MAX,
};
#define PKTRELAY_CMD_MAX (__PKTRELAY_CMD_MAX - 1)

enum pktrelay_upstream_type {
	PKTRELAY_UPSTREAM_UNSPEC,
	PKTRELAY_UPSTREAM_NONE,		/* no UDP relay: ICMP port unreachable */
	PKTRELAY_UPSTREAM_DIRECT,	/* kernel UDP socket per association */
	PKTRELAY_UPSTREAM_SOCKS5,	/* RFC 1928 UDP ASSOCIATE */

	__PKTRELAY_UPSTREAM_MAX,
};
#define PKTRELAY_UPSTREAM_MAX (__PKTRELAY_UPSTREAM_MAX - 1)

enum pktrelay_refresh {
	PKTRELAY_REFRESH_UNSPEC,
	PKTRELAY_REFRESH_OUTBOUND,	/* only app -> upstream packets */
	PKTRELAY_REFRESH_BOTH,		/* packets in either direction */

	__PKTRELAY_REFRESH_MAX,
};
#define PKTRELAY_REFRESH_MAX (__PKTRELAY_REFRESH_MAX - 1)

enum pktrelay_dns_policy {
	PKTRELAY_DNS_UNSPEC,
	PKTRELAY_DNS_RELAY,	/* relay like any UDP; truncate if upstream none */
	PKTRELAY_DNS_TRUNCATE,	/* answer every query with QR|TC */

	__PKTRELAY_DNS_MAX,
};
#define PKTRELAY_DNS_MAX (__PKTRELAY_DNS_MAX - 1)

enum pktrelay_icmp_echo {
	PKTRELAY_ICMP_ECHO_UNSPEC,
	PKTRELAY_ICMP_ECHO_REPLY,	/* answer echo requests in-kernel */
	PKTRELAY_ICMP_ECHO_DROP,	/* count and drop them */

	__PKTRELAY_ICMP_ECHO_MAX,
};
#define PKTRELAY_ICMP_ECHO_MAX (__PKTRELAY_ICMP_ECHO_MAX - 1)

/* Bits of PKTRELAY_A_DEV_FEATURES: behaviour this module really performs. */
enum pktrelay_feature {
	PKTRELAY_FEATURE_UNREACH	= 1U << 0, /* unhandled -> ICMP unreach */
	PKTRELAY_FEATURE_UDP_RELAY	= 1U << 1, /* association table */
	PKTRELAY_FEATURE_DNS_TRUNCATE	= 1U << 2,
	PKTRELAY_FEATURE_ICMP_ECHO	= 1U << 3,
};

enum pktrelay_a_upstream {
	PKTRELAY_A_UPSTREAM_UNSPEC,
	PKTRELAY_A_UPSTREAM_TYPE,	/* u8, enum pktrelay_upstream_type */
	PKTRELAY_A_UPSTREAM_ADDR4,	/* be32 (binary, 4 bytes) */
	PKTRELAY_A_UPSTREAM_ADDR6,	/* binary, 16 bytes */
	PKTRELAY_A_UPSTREAM_PORT,	/* be16 */
	PKTRELAY_A_UPSTREAM_USERNAME,	/* string, 1..255 bytes (socks5) */
	PKTRELAY_A_UPSTREAM_PASSWORD,	/* binary, 1..255 bytes; never echoed */

	__PKTRELAY_A_UPSTREAM_MAX,
};
#define PKTRELAY_A_UPSTREAM_MAX (__PKTRELAY_A_UPSTREAM_MAX - 1)

enum pktrelay_a_stats {
	PKTRELAY_A_STATS_UNSPEC,
	PKTRELAY_A_STATS_PAD,
	/*
	 * The device's own counters, the same numbers `ip -s link` shows:
	 * TX is what the stack handed to the device and the device relayed
	 * or answered, RX what the device injected back into the stack,
	 * *_DROPPED what it discarded.
	 */
	PKTRELAY_A_STATS_TX_PACKETS,
	PKTRELAY_A_STATS_TX_BYTES,
	PKTRELAY_A_STATS_TX_DROPPED,
	PKTRELAY_A_STATS_RX_PACKETS,
	PKTRELAY_A_STATS_RX_BYTES,
	PKTRELAY_A_STATS_RX_DROPPED,
	/*
	 * Why packets were dropped (each drop also counts in TX_DROPPED):
	 * UNHANDLED: valid IPv4/IPv6 of a kind nothing relays (the app gets
	 *	an ICMP unreachable where one is allowed), or not IP at all;
	 * MALFORMED: headers short or inconsistent (never answered).
	 * UNREACH_SENT counts ICMP/ICMPv6 destination-unreachable errors
	 * handed to the stack for the app (the stack's global ICMP rate limit
	 * may still suppress some).
	 */
	PKTRELAY_A_STATS_UNHANDLED,
	PKTRELAY_A_STATS_MALFORMED,
	PKTRELAY_A_STATS_UNREACH_SENT,

	__PKTRELAY_A_STATS_MAX,
};
#define PKTRELAY_A_STATS_MAX (__PKTRELAY_A_STATS_MAX - 1)

enum pktrelay_a_dev {
	PKTRELAY_A_DEV_UNSPEC,
	PKTRELAY_A_DEV_PAD,
	PKTRELAY_A_DEV_IFINDEX,			/* u32 */
	PKTRELAY_A_DEV_IFNAME,			/* string, < IFNAMSIZ */
	PKTRELAY_A_DEV_UPSTREAM,		/* nested, pktrelay_a_upstream */
	PKTRELAY_A_DEV_UDP_TIMEOUT,		/* u32, seconds */
	PKTRELAY_A_DEV_DNS_TIMEOUT,		/* u32, seconds */
	PKTRELAY_A_DEV_REFRESH,			/* u8, pktrelay_refresh */
	PKTRELAY_A_DEV_MAX_ASSOCS,		/* u32 */
	PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE,	/* u32, 0 = off */
	PKTRELAY_A_DEV_FWMARK,			/* u32 */
	PKTRELAY_A_DEV_DNS,			/* u8, pktrelay_dns_policy */
	PKTRELAY_A_DEV_ICMP_ECHO,		/* u8, pktrelay_icmp_echo */
	PKTRELAY_A_DEV_ECHO_RATE,		/* u32, per second, 0 = off */
	PKTRELAY_A_DEV_ECHO_BURST,		/* u32 */
	PKTRELAY_A_DEV_FEATURES,		/* u32, read-only */
	PKTRELAY_A_DEV_STATS,			/* nested, read-only */

	__PKTRELAY_A_DEV_MAX,
};
#define PKTRELAY_A_DEV_MAX (__PKTRELAY_A_DEV_MAX - 1)

#endif /* _UAPI_LINUX_PKTRELAY_H */
