/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pktrelay: in-kernel UDP/DNS/ICMP packet relay device.
 *
 * This is the one netlink contract between pktrelay.ko and userspace
 * (relayctl, tests). Attribute and command numbers are ABI: append only.
 *
 * Generic netlink family PKTRELAY_GENL_NAME, version PKTRELAY_GENL_VERSION.
 *
 * Upstream sockets live in the network namespace a device was created in,
 * wherever the device is moved afterwards; when that namespace is deleted,
 * the devices created in it are deleted too, wherever they live.
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
 *	Attributes left out keep their current values, unless the request
 *	carries PKTRELAY_A_DEV_RESET: then it starts from the defaults of a new
 *	device (upstream NONE), so the device ends up configured exactly as the
 *	request says, in the same all-or-nothing step ("relayctl setconf").
 *
 * PKTRELAY_CMD_ASSOC_GET
 *	dump only: request carries IFINDEX or IFNAME; one message per UDP
 *	association of that device, each with IFINDEX and a
 *	PKTRELAY_A_DEV_ASSOC nest (enum pktrelay_a_assoc). Associations are
 *	sent in ascending PKTRELAY_A_ASSOC_ID order and the cursor is the
 *	last id sent, so associations that live through the whole dump are
 *	listed exactly once however many are created or removed meanwhile.
 *
 * PKTRELAY_CMD_DEV_FLUSH
 *	do: IFINDEX or IFNAME; removes every association of the device.
 *
 * PKTRELAY_CMD_ASSOC_NEW, PKTRELAY_CMD_ASSOC_DEL
 *	Notifications only, on multicast group PKTRELAY_MCGRP_EVENTS, in the
 *	device's network namespace: an association became ready, or was
 *	removed (PKTRELAY_A_ASSOC_REASON says why). Same layout as
 *	ASSOC_GET replies.
 *
 * Configuration attributes (all optional in DEV_SET)
 * --------------------------------------------------
 * PKTRELAY_A_DEV_UPSTREAM (nested, enum pktrelay_a_upstream)
 *	Where relayed UDP goes. PKTRELAY_A_UPSTREAM_TYPE is required inside.
 *	NONE and DIRECT take no other attribute. Types the module does not
 *	implement yet are refused with EOPNOTSUPP and an extack message.
 *	A new upstream applies to associations created afterwards; existing
 *	associations keep theirs until they are removed.
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
 *	address is evicted for a new one. Must not exceed MAX_ASSOCS (set
 *	both in one request to change them together).
 * PKTRELAY_A_DEV_FWMARK (u32, default 0 = none)
 *	Mark put on every upstream socket so policy routing keeps relayed
 *	packets out of the device.
 * PKTRELAY_A_DEV_DNS (u8, enum pktrelay_dns_policy, default RELAY)
 *	When DNS is truncated (TRUNCATE, or RELAY with upstream NONE), every
 *	UDP packet to port 53 is answered in-kernel or dropped: a standard
 *	query (QR 0, OPCODE QUERY, QDCOUNT > 0, UDP length = IP length, from
 *	and to unicast addresses) gets the query back with QR and TC set,
 *	RCODE 0 and ANCOUNT = QDCOUNT; anything else counts as DNS_MALFORMED.
 * PKTRELAY_A_DEV_ICMP_ECHO (u8, enum pktrelay_icmp_echo, default REPLY)
 *	ICMP/ICMPv6 echo requests (code 0, valid checksum) to any unicast
 *	destination routed into the device are answered in-kernel. Requests
 *	carrying IPv4 options or IPv6 extension headers are answered without
 *	them. Nothing else ICMP is ever answered (ICMP_OTHER).
 * PKTRELAY_A_DEV_ECHO_RATE (u32, echo replies per second, 0 = unlimited,
 *	default 10000)
 * PKTRELAY_A_DEV_ECHO_BURST (u32, token bucket depth, 1..1000000,
 *	default 1000)
 *	One token bucket per device limits echo replies (ECHO_RATELIMITED).
 *
 * Configuration attributes are accepted and reported by the module from
 * version 1 on; which of them already change packet handling is stated by
 * PKTRELAY_A_DEV_FEATURES (see enum pktrelay_feature), so tools and tests
 * never have to guess.
 *
 * Request flags (never in replies)
 * ------------------------------
 * PKTRELAY_A_DEV_RESET (flag)
 *	DEV_SET starts from the defaults instead of the current configuration
 *	(see PKTRELAY_CMD_DEV_SET). Other commands ignore it. Modules that
 *	know it say so with PKTRELAY_FEATURE_CONFIG_RESET; older ones refuse
 *	it as an unknown attribute.
 *
 * Read-only attributes (in replies only; rejected in requests)
 * -----------------------------------------------------------
 * PKTRELAY_A_DEV_FEATURES (u32, bitmask of enum pktrelay_feature)
 * PKTRELAY_A_DEV_ASSOCS (u32, number of associations now)
 * PKTRELAY_A_DEV_ASSOC (nested, enum pktrelay_a_assoc; ASSOC_* messages)
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
	PKTRELAY_CMD_ASSOC_GET,
	PKTRELAY_CMD_DEV_FLUSH,
	PKTRELAY_CMD_ASSOC_NEW,
	PKTRELAY_CMD_ASSOC_DEL,

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
	PKTRELAY_FEATURE_UPSTREAM_DIRECT = 1U << 4,
	PKTRELAY_FEATURE_UPSTREAM_SOCKS5 = 1U << 5,
	PKTRELAY_FEATURE_CONFIG_RESET	= 1U << 6, /* PKTRELAY_A_DEV_RESET */
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
	/* Associations: created (became ready), removed when idle. */
	PKTRELAY_A_STATS_ASSOC_CREATED,
	PKTRELAY_A_STATS_ASSOC_EXPIRED,
	/* New flows refused because max-assocs was reached. */
	PKTRELAY_A_STATS_ASSOC_REFUSED,
	/* Upstream could not be opened for a new association. */
	PKTRELAY_A_STATS_OPEN_FAILED,
	/* Packets dropped because a pending association's queue was full. */
	PKTRELAY_A_STATS_QUEUE_DROPS,
	/* Packets dropped because an atomic allocation failed. */
	PKTRELAY_A_STATS_NOMEM,
	/*
	 * Packets the upstream could not send: no route, or the route leads
	 * back into the device (set an fwmark and a rule that excludes it).
	 */
	PKTRELAY_A_STATS_UPSTREAM_ERRORS,
	/* Replies that arrived for an association already removed. */
	PKTRELAY_A_STATS_RX_NO_ASSOC,
	/* IPv4 fragments and IPv6 fragments: dropped, nothing reassembles. */
	PKTRELAY_A_STATS_FRAGMENTS,
	/* DNS queries answered in-kernel with a truncated (TC) reply. */
	PKTRELAY_A_STATS_DNS_TRUNCATED,
	/* Packets to port 53 that are not a valid DNS query: dropped. */
	PKTRELAY_A_STATS_DNS_MALFORMED,
	/* ICMP/ICMPv6 echo requests answered in-kernel. */
	PKTRELAY_A_STATS_ECHO_REPLIED,
	/* Echo requests dropped by policy (icmp-echo drop). */
	PKTRELAY_A_STATS_ECHO_DROPPED,
	/* Echo requests dropped by the echo-rate token bucket. */
	PKTRELAY_A_STATS_ECHO_RATELIMITED,
	/*
	 * ICMP packets neither echo request nor answerable: other types,
	 * errors, echo requests with a code other than 0, or to or from a
	 * multicast, broadcast or unspecified address. Dropped. (Echo
	 * requests with a bad checksum or cut short count as MALFORMED.)
	 */
	PKTRELAY_A_STATS_ICMP_OTHER,
	/*
	 * SOCKS5: associations ended because the control connection failed
	 * or closed, and datagrams from the server that were malformed or
	 * fragmented (FRAG != 0, RFC 1928 7): dropped.
	 */
	PKTRELAY_A_STATS_SOCKS5_CLOSED,
	PKTRELAY_A_STATS_SOCKS5_BAD_DATAGRAM,
	/* Associations evicted to make room under max-assocs-per-source. */
	PKTRELAY_A_STATS_ASSOC_EVICTED,

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
	PKTRELAY_A_DEV_ECHO_RATE,		/* u32, per second, 0 = unlimited */
	PKTRELAY_A_DEV_ECHO_BURST,		/* u32 */
	PKTRELAY_A_DEV_FEATURES,		/* u32, read-only */
	PKTRELAY_A_DEV_STATS,			/* nested, read-only */
	PKTRELAY_A_DEV_ASSOCS,			/* u32, read-only */
	PKTRELAY_A_DEV_ASSOC,			/* nested, read-only */
	PKTRELAY_A_DEV_RESET,			/* flag, DEV_SET only */

	__PKTRELAY_A_DEV_MAX,
};

#define PKTRELAY_A_DEV_MAX (__PKTRELAY_A_DEV_MAX - 1)

/* Why an association was removed (PKTRELAY_A_ASSOC_REASON). */
enum pktrelay_close_reason {
	PKTRELAY_CLOSE_UNSPEC,
	PKTRELAY_CLOSE_IDLE,		/* idle timeout */
	PKTRELAY_CLOSE_FLUSHED,		/* PKTRELAY_CMD_DEV_FLUSH */
	PKTRELAY_CLOSE_LIMIT,		/* evicted by a per-source limit */
	PKTRELAY_CLOSE_UPSTREAM_ERROR,	/* upstream failed or closed */
	PKTRELAY_CLOSE_DEVICE_GONE,	/* device, namespace or module gone */

	__PKTRELAY_CLOSE_MAX,
};

#define PKTRELAY_CLOSE_MAX (__PKTRELAY_CLOSE_MAX - 1)

enum pktrelay_assoc_state {
	PKTRELAY_ASSOC_PENDING,		/* upstream being opened */
	PKTRELAY_ASSOC_READY,
	PKTRELAY_ASSOC_DEAD,		/* unlinked, being released */
};

enum pktrelay_a_assoc {
	PKTRELAY_A_ASSOC_UNSPEC,
	PKTRELAY_A_ASSOC_PAD,
	PKTRELAY_A_ASSOC_ID,		/* u32, unique per device while alive */
	PKTRELAY_A_ASSOC_FAMILY,	/* u8, AF_INET or AF_INET6 */
	PKTRELAY_A_ASSOC_LOCAL_ADDR,	/* binary, 4 or 16 bytes: the app's */
	PKTRELAY_A_ASSOC_LOCAL_PORT,	/* be16 */
	PKTRELAY_A_ASSOC_REMOTE_ADDR,	/* binary: first destination */
	PKTRELAY_A_ASSOC_REMOTE_PORT,	/* be16 */
	PKTRELAY_A_ASSOC_UPSTREAM,	/* u8, enum pktrelay_upstream_type */
	PKTRELAY_A_ASSOC_RELAY_ADDR,	/* binary, 4 or 16 bytes: upstream */
					/* socket's source, in its own */
					/* family (socks5 may differ) */
	PKTRELAY_A_ASSOC_RELAY_PORT,	/* be16 */
	PKTRELAY_A_ASSOC_STATE,		/* u8, enum pktrelay_assoc_state */
	PKTRELAY_A_ASSOC_TX_PACKETS,	/* u64, app -> upstream */
	PKTRELAY_A_ASSOC_TX_BYTES,	/* u64, UDP payload bytes */
	PKTRELAY_A_ASSOC_RX_PACKETS,	/* u64, upstream -> app */
	PKTRELAY_A_ASSOC_RX_BYTES,	/* u64, UDP payload bytes */
	PKTRELAY_A_ASSOC_AGE_MS,	/* u64, since creation */
	PKTRELAY_A_ASSOC_IDLE_MS,	/* u64, since the last refresh */
	PKTRELAY_A_ASSOC_EXPIRES_MS,	/* u64, until idle expiry */
	PKTRELAY_A_ASSOC_REASON,	/* u8, enum pktrelay_close_reason */

	__PKTRELAY_A_ASSOC_MAX,
};

#define PKTRELAY_A_ASSOC_MAX (__PKTRELAY_A_ASSOC_MAX - 1)

#endif /* _UAPI_LINUX_PKTRELAY_H */
