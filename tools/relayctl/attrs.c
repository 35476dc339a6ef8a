// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: configuration keys and UAPI enum names.
 */
#include <inttypes.h>
#include <string.h>

#include "attrs.h"

const char *names_get(const struct names *t, unsigned int v)
{
	return v < t->n ? t->name[v] : NULL;
}

int names_find(const struct names *t, const char *s)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->name[i] && !strcmp(t->name[i], s))
			return (int)i;
	return -1;
}

void names_list(const struct names *t, FILE *f)
{
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		if (!t->name[i])
			continue;
		fprintf(f, "%s%s", sep, t->name[i]);
		sep = ", ";
	}
}

const char *names_enum(const struct names *t, unsigned int v, char *buf,
		       size_t size)
{
	const char *name = names_get(t, v);

	if (name)
		return name;
	snprintf(buf, size, "unknown(%u)", v);
	return buf;
}

#define NAMES(var, ...)						\
	static const char *const var##_list[] = { __VA_ARGS__ };	\
	const struct names var = { var##_list, ARRAY_SIZE(var##_list) }

NAMES(upstream_names,
	[PKTRELAY_UPSTREAM_NONE] = "none",
	[PKTRELAY_UPSTREAM_DIRECT] = "direct",
	[PKTRELAY_UPSTREAM_SOCKS5] = "socks5");

/* Indexed by bit number: PKTRELAY_FEATURE_X == 1U << index. */
NAMES(feature_names,
	[0] = "unreach",
	[1] = "udp_relay",
	[2] = "dns_truncate",
	[3] = "icmp_echo",
	[4] = "upstream_direct",
	[5] = "upstream_socks5",
	[6] = "config_reset");

NAMES(stats_names,
	[PKTRELAY_A_STATS_TX_PACKETS] = "tx_packets",
	[PKTRELAY_A_STATS_TX_BYTES] = "tx_bytes",
	[PKTRELAY_A_STATS_TX_DROPPED] = "tx_dropped",
	[PKTRELAY_A_STATS_RX_PACKETS] = "rx_packets",
	[PKTRELAY_A_STATS_RX_BYTES] = "rx_bytes",
	[PKTRELAY_A_STATS_RX_DROPPED] = "rx_dropped",
	[PKTRELAY_A_STATS_UNHANDLED] = "unhandled",
	[PKTRELAY_A_STATS_MALFORMED] = "malformed",
	[PKTRELAY_A_STATS_UNREACH_SENT] = "unreach_sent",
	[PKTRELAY_A_STATS_ASSOC_CREATED] = "assoc_created",
	[PKTRELAY_A_STATS_ASSOC_EXPIRED] = "assoc_expired",
	[PKTRELAY_A_STATS_ASSOC_REFUSED] = "assoc_refused",
	[PKTRELAY_A_STATS_OPEN_FAILED] = "open_failed",
	[PKTRELAY_A_STATS_QUEUE_DROPS] = "queue_drops",
	[PKTRELAY_A_STATS_NOMEM] = "nomem",
	[PKTRELAY_A_STATS_UPSTREAM_ERRORS] = "upstream_errors",
	[PKTRELAY_A_STATS_RX_NO_ASSOC] = "rx_no_assoc",
	[PKTRELAY_A_STATS_FRAGMENTS] = "fragments",
	[PKTRELAY_A_STATS_DNS_TRUNCATED] = "dns_truncated",
	[PKTRELAY_A_STATS_DNS_MALFORMED] = "dns_malformed",
	[PKTRELAY_A_STATS_ECHO_REPLIED] = "echo_replied",
	[PKTRELAY_A_STATS_ECHO_DROPPED] = "echo_dropped",
	[PKTRELAY_A_STATS_ECHO_RATELIMITED] = "echo_ratelimited",
	[PKTRELAY_A_STATS_ICMP_OTHER] = "icmp_other",
	[PKTRELAY_A_STATS_SOCKS5_CLOSED] = "socks5_closed",
	[PKTRELAY_A_STATS_SOCKS5_BAD_DATAGRAM] = "socks5_bad_datagram",
	[PKTRELAY_A_STATS_ASSOC_EVICTED] = "assoc_evicted");

_Static_assert(PKTRELAY_FEATURE_UNREACH == 1U << 0 &&
	       PKTRELAY_FEATURE_UDP_RELAY == 1U << 1 &&
	       PKTRELAY_FEATURE_DNS_TRUNCATE == 1U << 2 &&
	       PKTRELAY_FEATURE_ICMP_ECHO == 1U << 3 &&
	       PKTRELAY_FEATURE_UPSTREAM_DIRECT == 1U << 4 &&
	       PKTRELAY_FEATURE_UPSTREAM_SOCKS5 == 1U << 5 &&
	       PKTRELAY_FEATURE_CONFIG_RESET == 1U << 6,
	       "feature_names is indexed by bit number");

NAMES(assoc_state_names,
	[PKTRELAY_ASSOC_PENDING] = "pending",
	[PKTRELAY_ASSOC_READY] = "ready",
	[PKTRELAY_ASSOC_DEAD] = "dead");

NAMES(close_reason_names,
	[PKTRELAY_CLOSE_IDLE] = "idle",
	[PKTRELAY_CLOSE_FLUSHED] = "flushed",
	[PKTRELAY_CLOSE_LIMIT] = "limit",
	[PKTRELAY_CLOSE_UPSTREAM_ERROR] = "upstream-error",
	[PKTRELAY_CLOSE_DEVICE_GONE] = "device-gone");

NAMES(refresh_names,
	[PKTRELAY_REFRESH_OUTBOUND] = "outbound",
	[PKTRELAY_REFRESH_BOTH] = "both");

NAMES(dns_names,
	[PKTRELAY_DNS_RELAY] = "relay",
	[PKTRELAY_DNS_TRUNCATE] = "truncate");

NAMES(icmp_echo_names,
	[PKTRELAY_ICMP_ECHO_REPLY] = "reply",
	[PKTRELAY_ICMP_ECHO_DROP] = "drop");

const struct cfg_key cfg_keys[] = {
	{ "udp-timeout", PKTRELAY_A_DEV_UDP_TIMEOUT, CFG_U32, NULL },
	{ "dns-timeout", PKTRELAY_A_DEV_DNS_TIMEOUT, CFG_U32, NULL },
	{ "refresh", PKTRELAY_A_DEV_REFRESH, CFG_ENUM, &refresh_names },
	{ "max-assocs", PKTRELAY_A_DEV_MAX_ASSOCS, CFG_U32, NULL },
	{ "max-assocs-per-source", PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE,
	  CFG_U32_OFF, NULL },
	{ "fwmark", PKTRELAY_A_DEV_FWMARK, CFG_MARK, NULL },
	{ "dns", PKTRELAY_A_DEV_DNS, CFG_ENUM, &dns_names },
	{ "icmp-echo", PKTRELAY_A_DEV_ICMP_ECHO, CFG_ENUM, &icmp_echo_names },
	{ "echo-rate", PKTRELAY_A_DEV_ECHO_RATE, CFG_U32_OFF, NULL },
	{ "echo-burst", PKTRELAY_A_DEV_ECHO_BURST, CFG_U32, NULL },
};
const unsigned int cfg_nkeys = ARRAY_SIZE(cfg_keys);

const struct cfg_key *cfg_key_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < cfg_nkeys; i++)
		if (!strcmp(cfg_keys[i].key, key))
			return &cfg_keys[i];
	return NULL;
}

const char *cfg_format(const struct cfg_key *k, uint32_t v, char *buf,
		       size_t size)
{
	switch (k->kind) {
	case CFG_U32_OFF:
	case CFG_MARK:
		if (!v)
			return "off";
		if (k->kind == CFG_MARK) {
			snprintf(buf, size, "0x%" PRIx32, v);
			return buf;
		}
		/* fall through */
	case CFG_U32:
		snprintf(buf, size, "%" PRIu32, v);
		return buf;
	case CFG_ENUM:
		return names_get(k->names, v);
	}
	return NULL;
}
