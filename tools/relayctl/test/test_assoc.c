// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: unit test of association messages (flows, monitor): parsing,
 * the table, the event lines and JSON. The messages are built here the
 * way pktrelay.ko builds them, so both commands are tested without the
 * module. With the argument "json" it prints the JSON array of flows -j,
 * with "events" the JSON lines of monitor -j, for the caller to check
 * with a real JSON parser.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../assoc.h"
#include "../attrs.h"
#include "test.h"

#define ABSENT	(-1)

/* One association message; absent attributes are NULL or ABSENT. */
struct spec {
	uint8_t cmd;
	uint32_t ifindex;	/* 0: no PKTRELAY_A_DEV_IFINDEX */
	uint32_t id;
	int family;
	const char *local;
	int local_port;
	const char *remote;
	int remote_port;
	const char *relay;
	int relay_port;
	int upstream, state, reason;
	int64_t tx_packets, tx_bytes, rx_packets, rx_bytes;
	int64_t age_ms, idle_ms, expires_ms;
};

static void put_addr(struct nl_msg *msg, int type, int family, const char *s)
{
	unsigned char bin[16];

	if (!s)
		return;
	if (inet_pton(family, s, bin) != 1)
		abort();
	nla_put(msg, type, family == AF_INET ? 4 : 16, bin);
}

static void put_port(struct nl_msg *msg, int type, int port)
{
	if (port != ABSENT)
		nla_put_u16(msg, type, htons((uint16_t)port));
}

static void put_u8(struct nl_msg *msg, int type, int v)
{
	if (v != ABSENT)
		nla_put_u8(msg, type, (uint8_t)v);
}

static void put_u64(struct nl_msg *msg, int type, int64_t v)
{
	if (v != ABSENT)
		nla_put_u64(msg, type, (uint64_t)v);
}

static struct nl_msg *build(const struct spec *s)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	if (!msg || !genlmsg_put(msg, 0, 0, 0x20, 0, 0, s->cmd, PKTRELAY_GENL_VERSION))
		abort();
	if (s->ifindex)
		nla_put_u32(msg, PKTRELAY_A_DEV_IFINDEX, s->ifindex);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_ASSOC | NLA_F_NESTED);
	nla_put_u32(msg, PKTRELAY_A_ASSOC_ID, s->id);
	nla_put_u8(msg, PKTRELAY_A_ASSOC_FAMILY, (uint8_t)s->family);
	put_addr(msg, PKTRELAY_A_ASSOC_LOCAL_ADDR, s->family, s->local);
	put_port(msg, PKTRELAY_A_ASSOC_LOCAL_PORT, s->local_port);
	put_addr(msg, PKTRELAY_A_ASSOC_REMOTE_ADDR, s->family, s->remote);
	put_port(msg, PKTRELAY_A_ASSOC_REMOTE_PORT, s->remote_port);
	put_u8(msg, PKTRELAY_A_ASSOC_UPSTREAM, s->upstream);
	put_u8(msg, PKTRELAY_A_ASSOC_STATE, s->state);
	/* nla_put_u64_64bit() pads with PKTRELAY_A_ASSOC_PAD where needed. */
	nla_put(msg, PKTRELAY_A_ASSOC_PAD, 0, NULL);
	put_u64(msg, PKTRELAY_A_ASSOC_TX_PACKETS, s->tx_packets);
	put_u64(msg, PKTRELAY_A_ASSOC_TX_BYTES, s->tx_bytes);
	put_u64(msg, PKTRELAY_A_ASSOC_RX_PACKETS, s->rx_packets);
	put_u64(msg, PKTRELAY_A_ASSOC_RX_BYTES, s->rx_bytes);
	put_u64(msg, PKTRELAY_A_ASSOC_AGE_MS, s->age_ms);
	put_u64(msg, PKTRELAY_A_ASSOC_IDLE_MS, s->idle_ms);
	put_u64(msg, PKTRELAY_A_ASSOC_EXPIRES_MS, s->expires_ms);
	put_addr(msg, PKTRELAY_A_ASSOC_RELAY_ADDR, s->family, s->relay);
	put_port(msg, PKTRELAY_A_ASSOC_RELAY_PORT, s->relay_port);
	put_u8(msg, PKTRELAY_A_ASSOC_REASON, s->reason);
	/* An attribute from a future kernel is ignored. */
	nla_put_u32(msg, PKTRELAY_A_ASSOC_MAX + 3, 1);
	nla_nest_end(msg, nest);
	return msg;
}

static int parse(const struct spec *s, struct assoc_info *a)
{
	struct nl_msg *msg = build(s);
	int err = assoc_parse(nlmsg_hdr(msg), a);

	nlmsg_free(msg);
	return err;
}

/* A ready IPv4 association of the direct upstream, as ASSOC_GET sends it. */
static const struct spec ready4 = {
	.cmd = PKTRELAY_CMD_ASSOC_GET, .ifindex = 7, .id = 12,
	.family = AF_INET,
	.local = "10.99.0.1", .local_port = 40000,
	.remote = "10.200.0.2", .remote_port = 7000,
	.relay = "10.200.0.1", .relay_port = 51234,
	.upstream = PKTRELAY_UPSTREAM_DIRECT, .state = PKTRELAY_ASSOC_READY,
	.reason = ABSENT,
	.tx_packets = 3, .tx_bytes = 120, .rx_packets = 2, .rx_bytes = 5000000000,
	.age_ms = 10250, .idle_ms = 3249, .expires_ms = 116751,
};

/* A pending IPv6 one: no relay address yet. */
static const struct spec pending6 = {
	.cmd = PKTRELAY_CMD_ASSOC_GET, .ifindex = 7, .id = 3,
	.family = AF_INET6,
	.local = "fd00::1", .local_port = 5353,
	.remote = "2001:db8::53", .remote_port = 53,
	.relay = NULL, .relay_port = ABSENT,
	.upstream = PKTRELAY_UPSTREAM_DIRECT, .state = PKTRELAY_ASSOC_PENDING,
	.reason = ABSENT,
	.tx_packets = 1, .tx_bytes = 33, .rx_packets = 0, .rx_bytes = 0,
	.age_ms = 0, .idle_ms = 0, .expires_ms = 15000,
};

/* 10.0.0.10 sorts after 10.0.0.2: addresses compare as numbers. */
static const struct spec low4 = {
	.cmd = PKTRELAY_CMD_ASSOC_GET, .ifindex = 7, .id = 40,
	.family = AF_INET,
	.local = "10.0.0.2", .local_port = 1024,
	.remote = "192.0.2.1", .remote_port = 9,
	.relay = "192.0.2.254", .relay_port = 1,
	.upstream = PKTRELAY_UPSTREAM_DIRECT, .state = PKTRELAY_ASSOC_READY,
	.reason = ABSENT,
	.tx_packets = 123456, .tx_bytes = 98765432, .rx_packets = 0, .rx_bytes = 0,
	.age_ms = 99950, .idle_ms = 99949, .expires_ms = 50,
};

static const struct spec high4 = {
	.cmd = PKTRELAY_CMD_ASSOC_GET, .ifindex = 7, .id = 41,
	.family = AF_INET,
	.local = "10.0.0.10", .local_port = 80,
	.remote = "192.0.2.1", .remote_port = 9,
	.relay = "192.0.2.254", .relay_port = 2,
	.upstream = PKTRELAY_UPSTREAM_DIRECT, .state = PKTRELAY_ASSOC_READY,
	.reason = ABSENT,
	.tx_packets = 1, .tx_bytes = 1, .rx_packets = 1, .rx_bytes = 1,
	.age_ms = 1, .idle_ms = 49, .expires_ms = 86400000,
};

/* Values this version does not know, and nothing optional. */
static const struct spec odd6 = {
	.cmd = PKTRELAY_CMD_ASSOC_GET, .ifindex = 7, .id = 4294967295U,
	.family = AF_INET6,
	.local = "::", .local_port = 65535,
	.remote = NULL, .remote_port = ABSENT,
	.relay = NULL, .relay_port = ABSENT,
	.upstream = 9, .state = 7, .reason = ABSENT,
	.tx_packets = ABSENT, .tx_bytes = ABSENT, .rx_packets = ABSENT,
	.rx_bytes = ABSENT, .age_ms = ABSENT, .idle_ms = ABSENT,
	.expires_ms = ABSENT,
};

static char *render_table(const struct assoc_info *a, size_t n)
{
	char *buf;

	CAPTURE(buf, f, assoc_print_table(f, a, n));
	return buf;
}

static char *render_json(const struct assoc_info *a, size_t n)
{
	struct json j;
	char *buf;
	size_t i;

	CAPTURE(buf, f, {
		json_init(&j, f);
		json_begin_array(&j);
		for (i = 0; i < n; i++)
			assoc_print_json(&j, &a[i]);
		json_end_array(&j);
	});
	return buf;
}

static char *render_event(const struct assoc_info *a, const char *ifname, bool json)
{
	struct json j;
	char *buf;

	CAPTURE(buf, f, {
		if (json) {
			json_init_compact(&j, f);
			assoc_print_event_json(&j, a, ifname);
		} else {
			assoc_print_event(f, a, ifname);
		}
	});
	return buf;
}

static void test_parse_fields(void)
{
	struct assoc_info a;

	CHECK(parse(&ready4, &a) == 0);
	CHECK(a.cmd == PKTRELAY_CMD_ASSOC_GET);
	CHECK(a.have_ifindex && a.ifindex == 7);
	CHECK(a.val[PKTRELAY_A_ASSOC_ID] == 12);
	CHECK(a.val[PKTRELAY_A_ASSOC_LOCAL_PORT] == 40000);
	CHECK(a.val[PKTRELAY_A_ASSOC_RELAY_PORT] == 51234);
	CHECK(a.val[PKTRELAY_A_ASSOC_RX_BYTES] == 5000000000ULL);
	CHECK(!memcmp(a.local, "\x0a\x63\x00\x01", 4));
	CHECK(!ASSOC_HAS(&a, PKTRELAY_A_ASSOC_REASON));
	CHECK(!ASSOC_HAS(&a, PKTRELAY_A_ASSOC_PAD));

	CHECK(parse(&pending6, &a) == 0);
	CHECK(!ASSOC_HAS(&a, PKTRELAY_A_ASSOC_RELAY_ADDR));
	CHECK(!ASSOC_HAS(&a, PKTRELAY_A_ASSOC_RELAY_PORT));
}

static void test_table(void)
{
	const struct spec *specs[] = { &pending6, &ready4, &high4, &low4 };
	struct assoc_info a[4];
	unsigned int i;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(specs); i++)
		CHECK(parse(specs[i], &a[i]) == 0);
	qsort(a, ARRAY_SIZE(a), sizeof(a[0]), assoc_cmp);
	CHECK(a[0].val[PKTRELAY_A_ASSOC_ID] == 40);
	CHECK(a[1].val[PKTRELAY_A_ASSOC_ID] == 41);
	CHECK(a[2].val[PKTRELAY_A_ASSOC_ID] == 12);
	CHECK(a[3].val[PKTRELAY_A_ASSOC_ID] == 3);

	buf = render_table(a, ARRAY_SIZE(a));
	CHECK_STR(buf,
		  "LOCAL            REMOTE             RELAY             UPSTREAM  STATE    "
		  "             TX            RX   IDLE   EXPIRES\n"
		  "10.0.0.2:1024    192.0.2.1:9        192.0.2.254:1     direct    ready    "
		  "123456/98765432           0/0  99.9s      0.1s\n"
		  "10.0.0.10:80     192.0.2.1:9        192.0.2.254:2     direct    ready    "
		  "            1/1           1/1   0.0s  86400.0s\n"
		  "10.99.0.1:40000  10.200.0.2:7000    10.200.0.1:51234  direct    ready    "
		  "          3/120  2/5000000000   3.2s    116.8s\n"
		  "[fd00::1]:5353   [2001:db8::53]:53  -                 direct    pending  "
		  "           1/33           0/0   0.0s     15.0s\n");
	free(buf);

	buf = render_table(a, 0);
	CHECK_STR(buf, "LOCAL  REMOTE  RELAY  UPSTREAM  STATE  TX  RX  IDLE  EXPIRES\n");
	free(buf);
}

static void test_json(void)
{
	struct assoc_info a[2];
	char *buf;

	CHECK(parse(&ready4, &a[0]) == 0);
	CHECK(parse(&pending6, &a[1]) == 0);
	buf = render_json(a, 2);
	CHECK_STR(buf,
		  "[\n"
		  "  {\n"
		  "    \"id\": 12,\n"
		  "    \"family\": \"inet\",\n"
		  "    \"local\": \"10.99.0.1:40000\",\n"
		  "    \"remote\": \"10.200.0.2:7000\",\n"
		  "    \"relay\": \"10.200.0.1:51234\",\n"
		  "    \"upstream\": \"direct\",\n"
		  "    \"state\": \"ready\",\n"
		  "    \"tx_packets\": 3,\n"
		  "    \"tx_bytes\": 120,\n"
		  "    \"rx_packets\": 2,\n"
		  "    \"rx_bytes\": 5000000000,\n"
		  "    \"age_ms\": 10250,\n"
		  "    \"idle_ms\": 3249,\n"
		  "    \"expires_ms\": 116751\n"
		  "  },\n"
		  "  {\n"
		  "    \"id\": 3,\n"
		  "    \"family\": \"inet6\",\n"
		  "    \"local\": \"[fd00::1]:5353\",\n"
		  "    \"remote\": \"[2001:db8::53]:53\",\n"
		  "    \"relay\": null,\n"
		  "    \"upstream\": \"direct\",\n"
		  "    \"state\": \"pending\",\n"
		  "    \"tx_packets\": 1,\n"
		  "    \"tx_bytes\": 33,\n"
		  "    \"rx_packets\": 0,\n"
		  "    \"rx_bytes\": 0,\n"
		  "    \"age_ms\": 0,\n"
		  "    \"idle_ms\": 0,\n"
		  "    \"expires_ms\": 15000\n"
		  "  }\n"
		  "]\n");
	free(buf);

	buf = render_json(a, 0);
	CHECK_STR(buf, "[]\n");
	free(buf);
}

static void test_unknown(void)
{
	struct spec s = odd6;
	struct assoc_info a;
	char *buf;

	CHECK(parse(&s, &a) == 0);
	buf = render_table(&a, 1);
	CHECK_STR(buf,
		  "LOCAL       REMOTE  RELAY  UPSTREAM    STATE        TX   RX  IDLE  EXPIRES\n"
		  "[::]:65535  -       -      unknown(9)  unknown(7)  -/-  -/-     -        -\n");
	free(buf);

	buf = render_json(&a, 1);
	CHECK_STR(buf,
		  "[\n"
		  "  {\n"
		  "    \"id\": 4294967295,\n"
		  "    \"family\": \"inet6\",\n"
		  "    \"local\": \"[::]:65535\",\n"
		  "    \"remote\": null,\n"
		  "    \"relay\": null,\n"
		  "    \"upstream\": \"unknown(9)\",\n"
		  "    \"state\": \"unknown(7)\",\n"
		  "    \"tx_packets\": null,\n"
		  "    \"tx_bytes\": null,\n"
		  "    \"rx_packets\": null,\n"
		  "    \"rx_bytes\": null,\n"
		  "    \"age_ms\": null,\n"
		  "    \"idle_ms\": null,\n"
		  "    \"expires_ms\": null\n"
		  "  }\n"
		  "]\n");
	free(buf);

	/* A DEL with an unknown reason, and without the device's ifindex. */
	s.cmd = PKTRELAY_CMD_ASSOC_DEL;
	s.ifindex = 0;
	s.reason = 42;
	CHECK(parse(&s, &a) == 0);
	buf = render_event(&a, NULL, false);
	CHECK_STR(buf, "del [::]:65535 -> - relay - dev - upstream unknown(9) "
		  "reason unknown(42)\n");
	free(buf);
	buf = render_event(&a, NULL, true);
	CHECK_STR(buf, "{\"event\":\"del\",\"ifindex\":null,\"ifname\":null,"
		  "\"id\":4294967295,\"family\":\"inet6\",\"local\":\"[::]:65535\","
		  "\"remote\":null,\"relay\":null,\"upstream\":\"unknown(9)\","
		  "\"state\":\"unknown(7)\",\"tx_packets\":null,\"tx_bytes\":null,"
		  "\"rx_packets\":null,\"rx_bytes\":null,\"age_ms\":null,"
		  "\"idle_ms\":null,\"expires_ms\":null,\"reason\":\"unknown(42)\"}\n");
	free(buf);

	/* A DEL without a reason. */
	s.reason = ABSENT;
	CHECK(parse(&s, &a) == 0);
	buf = render_event(&a, NULL, false);
	CHECK(strstr(buf, " reason -\n"));
	free(buf);
	buf = render_event(&a, NULL, true);
	CHECK(strstr(buf, ",\"reason\":null}\n"));
	free(buf);
}

static void test_events(void)
{
	struct spec s = ready4;
	struct assoc_info a;
	char *buf;

	s.cmd = PKTRELAY_CMD_ASSOC_NEW;
	CHECK(parse(&s, &a) == 0);
	buf = render_event(&a, "relay0", false);
	CHECK_STR(buf, "new 10.99.0.1:40000 -> 10.200.0.2:7000 relay 10.200.0.1:51234 "
		  "dev relay0 upstream direct\n");
	free(buf);
	buf = render_event(&a, "relay0", true);
	CHECK_STR(buf, "{\"event\":\"new\",\"ifindex\":7,\"ifname\":\"relay0\","
		  "\"id\":12,\"family\":\"inet\",\"local\":\"10.99.0.1:40000\","
		  "\"remote\":\"10.200.0.2:7000\",\"relay\":\"10.200.0.1:51234\","
		  "\"upstream\":\"direct\",\"state\":\"ready\",\"tx_packets\":3,"
		  "\"tx_bytes\":120,\"rx_packets\":2,\"rx_bytes\":5000000000,"
		  "\"age_ms\":10250,\"idle_ms\":3249,\"expires_ms\":116751}\n");
	free(buf);

	/* What pktrelay.ko sends on removal: state dead, so no relay address. */
	s = pending6;
	s.cmd = PKTRELAY_CMD_ASSOC_DEL;
	s.state = PKTRELAY_ASSOC_DEAD;
	s.reason = PKTRELAY_CLOSE_IDLE;
	CHECK(parse(&s, &a) == 0);
	buf = render_event(&a, NULL, false);
	CHECK_STR(buf, "del [fd00::1]:5353 -> [2001:db8::53]:53 relay - dev if7 "
		  "upstream direct reason idle\n");
	free(buf);
	buf = render_event(&a, NULL, true);
	CHECK_STR(buf, "{\"event\":\"del\",\"ifindex\":7,\"ifname\":null,"
		  "\"id\":3,\"family\":\"inet6\",\"local\":\"[fd00::1]:5353\","
		  "\"remote\":\"[2001:db8::53]:53\",\"relay\":null,"
		  "\"upstream\":\"direct\",\"state\":\"dead\",\"tx_packets\":1,"
		  "\"tx_bytes\":33,\"rx_packets\":0,\"rx_bytes\":0,"
		  "\"age_ms\":0,\"idle_ms\":0,\"expires_ms\":15000,"
		  "\"reason\":\"idle\"}\n");
	free(buf);

	/* A DEL of a ready IPv6 association, with its relay address. */
	s.relay = "2001:db8::99";
	s.relay_port = 33000;
	s.reason = PKTRELAY_CLOSE_DEVICE_GONE;
	CHECK(parse(&s, &a) == 0);
	buf = render_event(&a, "re\x01lay", false);
	CHECK_STR(buf, "del [fd00::1]:5353 -> [2001:db8::53]:53 relay [2001:db8::99]:33000 "
		  "dev re\\x01lay upstream direct reason device-gone\n");
	free(buf);
	buf = render_event(&a, "re\x01lay", true);
	CHECK(strstr(buf, "\"ifname\":\"re\\u0001lay\","));
	CHECK(strstr(buf, "\"relay\":\"[2001:db8::99]:33000\","));
	free(buf);
}

static void test_reasons(void)
{
	static const char *const want[] = {
		[PKTRELAY_CLOSE_UNSPEC] = "unknown(0)",
		[PKTRELAY_CLOSE_IDLE] = "idle",
		[PKTRELAY_CLOSE_FLUSHED] = "flushed",
		[PKTRELAY_CLOSE_LIMIT] = "limit",
		[PKTRELAY_CLOSE_UPSTREAM_ERROR] = "upstream-error",
		[PKTRELAY_CLOSE_DEVICE_GONE] = "device-gone",
		[PKTRELAY_CLOSE_MAX + 1] = "unknown(6)",
	};
	struct spec s = ready4;
	struct assoc_info a;
	char line[128], *buf;
	unsigned int i;

	s.cmd = PKTRELAY_CMD_ASSOC_DEL;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		s.reason = (int)i;
		CHECK(parse(&s, &a) == 0);
		buf = render_event(&a, "relay0", false);
		snprintf(line, sizeof(line), "del 10.99.0.1:40000 -> 10.200.0.2:7000 "
			 "relay 10.200.0.1:51234 dev relay0 upstream direct reason %s\n",
			 want[i]);
		CHECK_STR(buf, line);
		free(buf);
	}
}

/* Seconds are rounded to the nearest tenth; no overflow at the top. */
static void test_seconds(void)
{
	static const struct {
		int64_t ms;
		const char *want;
	} cases[] = {
		{ 0, "0.0s" }, { 49, "0.0s" }, { 50, "0.1s" }, { 3249, "3.2s" },
		{ 3250, "3.3s" }, { 59999, "60.0s" }, { 120000, "120.0s" },
	};
	struct spec s = ready4;
	struct assoc_info a;
	char want[64], *buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		s.idle_ms = cases[i].ms;
		CHECK(parse(&s, &a) == 0);
		buf = render_table(&a, 1);
		snprintf(want, sizeof(want), "  %s  ", cases[i].want);
		if (!strstr(buf, want)) {
			fprintf(stderr, "idle %lld ms: no \"%s\" in:\n%s", (long long)cases[i].ms,
				want, buf);
			test_failures++;
		}
		free(buf);
	}

	CHECK(parse(&ready4, &a) == 0);
	a.val[PKTRELAY_A_ASSOC_EXPIRES_MS] = UINT64_MAX;
	buf = render_table(&a, 1);
	CHECK(strstr(buf, "  18446744073709551.6s\n"));
	free(buf);
}

static void test_malformed(void)
{
	struct spec s;
	struct nl_msg *msg;
	struct nlattr *nest;
	struct assoc_info a;

	/* No PKTRELAY_A_DEV_ASSOC nest at all. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, PKTRELAY_CMD_ASSOC_NEW, 1);
	nla_put_u32(msg, PKTRELAY_A_DEV_IFINDEX, 7);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* No id, no family. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, PKTRELAY_CMD_ASSOC_NEW, 1);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_ASSOC | NLA_F_NESTED);
	nla_put(msg, PKTRELAY_A_ASSOC_LOCAL_ADDR, 4, "\x0a\0\0\x01");
	nla_put_u16(msg, PKTRELAY_A_ASSOC_LOCAL_PORT, htons(1));
	nla_nest_end(msg, nest);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* A family that is not IP. */
	msg = build(&ready4);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, PKTRELAY_A_DEV_ASSOC);
	CHECK(nest);
	if (nest) {
		struct nlattr *fam = nla_find(nla_data(nest), nla_len(nest),
					      PKTRELAY_A_ASSOC_FAMILY);

		CHECK(fam);
		if (fam)
			*(uint8_t *)nla_data(fam) = AF_UNIX;
	}
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* An IPv4 association with IPv6-sized addresses. */
	msg = build(&pending6);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, PKTRELAY_A_DEV_ASSOC);
	CHECK(nest);
	if (nest) {
		struct nlattr *fam = nla_find(nla_data(nest), nla_len(nest),
					      PKTRELAY_A_ASSOC_FAMILY);

		if (fam)
			*(uint8_t *)nla_data(fam) = AF_INET;
	}
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* No local address; no local port. */
	s = ready4;
	s.local = NULL;
	CHECK(parse(&s, &a) < 0);
	s = ready4;
	s.local_port = ABSENT;
	CHECK(parse(&s, &a) < 0);

	/* A port too short for a be16, a counter too short for a u64. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, PKTRELAY_CMD_ASSOC_GET, 1);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_ASSOC | NLA_F_NESTED);
	nla_put_u32(msg, PKTRELAY_A_ASSOC_ID, 1);
	nla_put_u8(msg, PKTRELAY_A_ASSOC_FAMILY, AF_INET);
	nla_put(msg, PKTRELAY_A_ASSOC_LOCAL_ADDR, 4, "\x0a\0\0\x01");
	nla_put_u8(msg, PKTRELAY_A_ASSOC_LOCAL_PORT, 1);
	nla_nest_end(msg, nest);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, PKTRELAY_CMD_ASSOC_GET, 1);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_ASSOC | NLA_F_NESTED);
	nla_put_u32(msg, PKTRELAY_A_ASSOC_ID, 1);
	nla_put_u8(msg, PKTRELAY_A_ASSOC_FAMILY, AF_INET);
	nla_put(msg, PKTRELAY_A_ASSOC_LOCAL_ADDR, 4, "\x0a\0\0\x01");
	nla_put_u16(msg, PKTRELAY_A_ASSOC_LOCAL_PORT, htons(1));
	nla_put_u32(msg, PKTRELAY_A_ASSOC_TX_BYTES, 1);
	nla_nest_end(msg, nest);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* A relay address of the wrong size. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, PKTRELAY_CMD_ASSOC_GET, 1);
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_ASSOC | NLA_F_NESTED);
	nla_put_u32(msg, PKTRELAY_A_ASSOC_ID, 1);
	nla_put_u8(msg, PKTRELAY_A_ASSOC_FAMILY, AF_INET);
	nla_put(msg, PKTRELAY_A_ASSOC_LOCAL_ADDR, 4, "\x0a\0\0\x01");
	nla_put_u16(msg, PKTRELAY_A_ASSOC_LOCAL_PORT, htons(1));
	nla_put(msg, PKTRELAY_A_ASSOC_RELAY_ADDR, 5, "\x0a\0\0\x01\x02");
	nla_nest_end(msg, nest);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);

	/* Too short for a generic netlink header. */
	msg = nlmsg_alloc_simple(0x20, 0);
	CHECK(assoc_parse(nlmsg_hdr(msg), &a) < 0);
	nlmsg_free(msg);
}

/* The flows of the tests above as "flows -j" prints them. */
static int print_json_sample(void)
{
	const struct spec *specs[] = { &ready4, &pending6, &low4, &high4, &odd6 };
	struct assoc_info a[ARRAY_SIZE(specs)];
	unsigned int i;
	struct json j;

	for (i = 0; i < ARRAY_SIZE(specs); i++)
		if (parse(specs[i], &a[i]) < 0)
			return 1;
	json_init(&j, stdout);
	json_begin_array(&j);
	for (i = 0; i < ARRAY_SIZE(specs); i++)
		assoc_print_json(&j, &a[i]);
	json_end_array(&j);
	return 0;
}

/* Events as "monitor -j" prints them, one JSON object per line. */
static int print_events_sample(void)
{
	const struct spec *specs[] = { &ready4, &pending6, &odd6 };
	static const char *const names[] = { "relay0", NULL, "q\"\\\x01\xff" };
	struct assoc_info a;
	unsigned int i;
	struct spec s;
	struct json j;

	for (i = 0; i < 2 * ARRAY_SIZE(specs); i++) {
		s = *specs[i / 2];
		s.cmd = i % 2 ? PKTRELAY_CMD_ASSOC_DEL : PKTRELAY_CMD_ASSOC_NEW;
		s.reason = i % 2 ? (int)i : ABSENT;
		if (parse(&s, &a) < 0)
			return 1;
		json_init_compact(&j, stdout);
		assoc_print_event_json(&j, &a, names[i / 2]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "json"))
		return print_json_sample();
	if (argc > 1 && !strcmp(argv[1], "events"))
		return print_events_sample();
	test_parse_fields();
	test_table();
	test_json();
	test_unknown();
	test_events();
	test_reasons();
	test_seconds();
	test_malformed();
	return test_result("test_assoc");
}
