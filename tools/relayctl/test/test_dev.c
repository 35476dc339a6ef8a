// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: unit test of reply parsing and printing. The messages are
 * built here the way pktrelay.ko builds them, so "show" is tested without
 * the module. With the argument "json" it prints a JSON array of odd
 * devices instead, for the caller to check with a real JSON parser.
 */
#include <arpa/inet.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../attrs.h"
#include "../color.h"
#include "../dev.h"
#include "test.h"

static struct nl_msg *new_msg(uint32_t ifindex, const char *ifname)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 1, 0x20, 0, 0, PKTRELAY_CMD_DEV_GET,
				 PKTRELAY_GENL_VERSION))
		abort();
	if (ifindex)
		nla_put_u32(msg, PKTRELAY_A_DEV_IFINDEX, ifindex);
	if (ifname)
		nla_put_string(msg, PKTRELAY_A_DEV_IFNAME, ifname);
	return msg;
}

static void put_config(struct nl_msg *msg, uint32_t per_source, uint32_t fwmark,
		       uint8_t refresh, uint32_t echo_rate)
{
	nla_put_u32(msg, PKTRELAY_A_DEV_UDP_TIMEOUT, 120);
	nla_put_u32(msg, PKTRELAY_A_DEV_DNS_TIMEOUT, 15);
	nla_put_u8(msg, PKTRELAY_A_DEV_REFRESH, refresh);
	nla_put_u32(msg, PKTRELAY_A_DEV_MAX_ASSOCS, 65536);
	nla_put_u32(msg, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, per_source);
	nla_put_u32(msg, PKTRELAY_A_DEV_FWMARK, fwmark);
	nla_put_u8(msg, PKTRELAY_A_DEV_DNS, PKTRELAY_DNS_TRUNCATE);
	nla_put_u8(msg, PKTRELAY_A_DEV_ICMP_ECHO, PKTRELAY_ICMP_ECHO_DROP);
	nla_put_u32(msg, PKTRELAY_A_DEV_ECHO_RATE, echo_rate);
	nla_put_u32(msg, PKTRELAY_A_DEV_ECHO_BURST, 1000);
}

static struct nl_msg *full_msg(void)
{
	struct nl_msg *msg = new_msg(7, "relay0");
	struct nlattr *nest;
	struct in6_addr a6;

	inet_pton(AF_INET6, "2001:db8::1", &a6);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_UPSTREAM | NLA_F_NESTED);
	nla_put_u8(msg, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_SOCKS5);
	nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR6, 16, &a6);
	nla_put_u16(msg, PKTRELAY_A_UPSTREAM_PORT, htons(1080));
	nla_put_string(msg, PKTRELAY_A_UPSTREAM_USERNAME, "alice");
	nla_put(msg, PKTRELAY_A_UPSTREAM_PASSWORD, 6, "secret");
	nla_nest_end(msg, nest);

	put_config(msg, 0, 0x1234, PKTRELAY_REFRESH_BOTH, 10000);
	nla_put_u32(msg, PKTRELAY_A_DEV_FEATURES, PKTRELAY_FEATURE_UNREACH |
		    PKTRELAY_FEATURE_ICMP_ECHO | (1U << 9));
	nla_put_u32(msg, PKTRELAY_A_DEV_ASSOCS, 12);

	/* Out of order, with padding and a counter from a future kernel. */
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_STATS | NLA_F_NESTED);
	nla_put_u64(msg, PKTRELAY_A_STATS_RX_BYTES, 5000000000ULL);
	nla_put(msg, PKTRELAY_A_STATS_PAD, 0, NULL);
	nla_put_u64(msg, 60, 4);
	nla_put_u64(msg, PKTRELAY_A_STATS_TX_PACKETS, 3);
	nla_put_u64(msg, PKTRELAY_A_STATS_UNREACH_SENT, 2);
	nla_nest_end(msg, nest);

	/* An attribute from a future kernel is ignored. */
	nla_put_u32(msg, PKTRELAY_A_DEV_MAX + 5, 1);
	return msg;
}

/* @d as show prints it, as text or as JSON; the caller frees the result. */
static char *render(const struct dev_info *d, bool json)
{
	struct json j;
	char *buf;

	CAPTURE(buf, f, {
		if (json) {
			json_init(&j, f);
			dev_print_json(&j, d);
		} else {
			dev_print_text(f, d);
		}
	});
	return buf;
}

static void test_full(void)
{
	struct nl_msg *msg = full_msg();
	struct dev_info d;
	char *buf;

	CHECK(dev_parse(nlmsg_hdr(msg), &d) == 0);
	nlmsg_free(msg);

	buf = render(&d, false);
	CHECK_STR(buf,
		  "device: relay0\n"
		  "  ifindex: 7\n"
		  "  upstream: socks5 [2001:db8::1]:1080 user alice\n"
		  "  udp-timeout: 120\n"
		  "  dns-timeout: 15\n"
		  "  refresh: both\n"
		  "  max-assocs: 65536\n"
		  "  max-assocs-per-source: off\n"
		  "  fwmark: 0x1234\n"
		  "  dns: truncate\n"
		  "  icmp-echo: drop\n"
		  "  echo-rate: 10000\n"
		  "  echo-burst: 1000\n"
		  "  features: unreach icmp_echo bit_9\n"
		  "  assocs: 12\n"
		  "  tx-packets: 3\n"
		  "  rx-bytes: 5000000000\n"
		  "  unreach-sent: 2\n"
		  "  stat-60: 4\n");
	free(buf);

	buf = render(&d, true);
	CHECK_STR(buf,
		  "{\n"
		  "  \"ifname\": \"relay0\",\n"
		  "  \"ifindex\": 7,\n"
		  "  \"upstream\": {\n"
		  "    \"type\": \"socks5\",\n"
		  "    \"address\": \"[2001:db8::1]:1080\",\n"
		  "    \"username\": \"alice\"\n"
		  "  },\n"
		  "  \"udp_timeout\": 120,\n"
		  "  \"dns_timeout\": 15,\n"
		  "  \"refresh\": \"both\",\n"
		  "  \"max_assocs\": 65536,\n"
		  "  \"max_assocs_per_source\": 0,\n"
		  "  \"fwmark\": 4660,\n"
		  "  \"dns\": \"truncate\",\n"
		  "  \"icmp_echo\": \"drop\",\n"
		  "  \"echo_rate\": 10000,\n"
		  "  \"echo_burst\": 1000,\n"
		  "  \"features\": [\n"
		  "    \"unreach\",\n"
		  "    \"icmp_echo\",\n"
		  "    \"bit_9\"\n"
		  "  ],\n"
		  "  \"assocs\": 12,\n"
		  "  \"stats\": {\n"
		  "    \"tx_packets\": 3,\n"
		  "    \"rx_bytes\": 5000000000,\n"
		  "    \"unreach_sent\": 2,\n"
		  "    \"stat_60\": 4\n"
		  "  }\n"
		  "}\n");
	CHECK(!strstr(buf, "secret"));
	free(buf);
}

/* What pktrelay.ko of today sends for a fresh device. */
static struct nl_msg *default_msg(uint32_t ifindex, const char *ifname)
{
	struct nl_msg *msg = new_msg(ifindex, ifname);
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, PKTRELAY_A_DEV_UPSTREAM | NLA_F_NESTED);
	nla_put_u8(msg, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_NONE);
	nla_nest_end(msg, nest);
	put_config(msg, 0, 0, PKTRELAY_REFRESH_OUTBOUND, 0);
	nla_put_u32(msg, PKTRELAY_A_DEV_FEATURES, PKTRELAY_FEATURE_UNREACH);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_STATS | NLA_F_NESTED);
	for (i = PKTRELAY_A_STATS_MAX; i > PKTRELAY_A_STATS_PAD; i--)
		nla_put_u64(msg, i, (uint64_t)i * 1000);
	nla_nest_end(msg, nest);
	return msg;
}

static void test_default(void)
{
	struct nl_msg *msg = default_msg(3, "relay1");
	struct dev_info d;
	char *buf;
	unsigned int i;

	CHECK(dev_parse(nlmsg_hdr(msg), &d) == 0);
	nlmsg_free(msg);
	CHECK(d.nstats == PKTRELAY_A_STATS_MAX - PKTRELAY_A_STATS_PAD);
	for (i = 0; i < d.nstats; i++)
		CHECK(d.stats[i].type == PKTRELAY_A_STATS_PAD + 1 + i);

	buf = render(&d, false);
	CHECK(strstr(buf, "  upstream: none\n"));
	CHECK(strstr(buf, "  max-assocs-per-source: off\n"));
	CHECK(strstr(buf, "  fwmark: off\n"));
	CHECK(strstr(buf, "  echo-rate: off\n"));
	CHECK(strstr(buf, "  refresh: outbound\n"));
	CHECK(strstr(buf, "  features: unreach\n"));
	CHECK(strstr(buf, "  tx-dropped: 4000\n"));
	CHECK(strstr(buf, "  malformed: 9000\n"));
	CHECK(!strstr(buf, "stat-"));
	/* Colour only when asked; JSON never has any. */
	CHECK(!strchr(buf, '\033'));
	free(buf);

	color_setup(COLOR_ALWAYS);
	buf = render(&d, false);
	CHECK(strstr(buf, "\033[1;32mdevice: relay1\033[0m\n"));
	CHECK(strstr(buf, "  \033[1mfwmark\033[0m: off\n"));
	CHECK(strstr(buf, "  \033[1mtx-dropped\033[0m: 4000\n"));
	free(buf);
	buf = render(&d, true);
	CHECK(!strchr(buf, '\033'));
	color_setup(COLOR_NEVER);
	free(buf);

	buf = render(&d, true);
	CHECK(strstr(buf, "  \"upstream\": {\n    \"type\": \"none\"\n  },\n"));
	CHECK(strstr(buf, "  \"fwmark\": 0,\n"));
	CHECK(strstr(buf, "  \"echo_rate\": 0,\n"));
	CHECK(strstr(buf, "    \"tx_packets\": 2000,\n"));
	CHECK(strstr(buf, "    \"rx_dropped\": 7000,\n"));
	CHECK(strstr(buf, "    \"unreach_sent\": 10000,\n"));
	CHECK(!strstr(buf, "stat_"));
	free(buf);
}

static void test_odd(void)
{
	struct nl_msg *msg = new_msg(9, "a\"b\\\x01\xff");
	struct dev_info d;
	char *buf;

	nla_put_u8(msg, PKTRELAY_A_DEV_REFRESH, 9);
	nla_put_u32(msg, PKTRELAY_A_DEV_FEATURES, 0);
	CHECK(dev_parse(nlmsg_hdr(msg), &d) == 0);
	nlmsg_free(msg);

	buf = render(&d, false);
	CHECK_STR(buf,
		  "device: a\"b\\\\x01\xff\n"
		  "  ifindex: 9\n"
		  "  refresh: unknown(9)\n"
		  "  features: (none)\n");
	free(buf);

	buf = render(&d, true);
	CHECK_STR(buf,
		  "{\n"
		  "  \"ifname\": \"a\\\"b\\\\\\u0001\\ufffd\",\n"
		  "  \"ifindex\": 9,\n"
		  "  \"refresh\": \"unknown(9)\",\n"
		  "  \"features\": []\n"
		  "}\n");
	free(buf);
}

static void test_malformed(void)
{
	struct nl_msg *msg = new_msg(0, "x");
	struct nlattr *nest;
	struct dev_info d;

	nla_put_u8(msg, PKTRELAY_A_DEV_IFINDEX, 1);	/* too short for a u32 */
	CHECK(dev_parse(nlmsg_hdr(msg), &d) < 0);
	nlmsg_free(msg);

	msg = new_msg(1, "x");
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_UPSTREAM | NLA_F_NESTED);
	nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR4, 2, "ab");	/* too short */
	nla_nest_end(msg, nest);
	CHECK(dev_parse(nlmsg_hdr(msg), &d) < 0);
	nlmsg_free(msg);
}

/* An array of devices with every odd byte in their names, for jq. */
static int print_json_sample(void)
{
	static const char *const names[] = {
		"relay0", "q\"uote", "back\\slash", "ctl\x01\x02\x1f\x7f",
		"nl\nnl", "utf8-\xc3\xa9", "bad-\xff\xfe", "trunc\xe2\x82",
	};
	struct json j;
	unsigned int i;

	json_init(&j, stdout);
	json_begin_array(&j);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct nl_msg *msg = i ? default_msg(i + 1, names[i]) : full_msg();
		struct dev_info d;

		if (dev_parse(nlmsg_hdr(msg), &d) < 0)
			return 1;
		nlmsg_free(msg);
		dev_print_json(&j, &d);
	}
	json_end_array(&j);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "json"))
		return print_json_sample();
	test_full();
	test_default();
	test_odd();
	test_malformed();
	return test_result("test_dev");
}
