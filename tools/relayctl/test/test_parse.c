// SPDX-License-Identifier: GPL-2.0
/* relayctl: unit test of number and ADDR:PORT parsing. */
#include <arpa/inet.h>

#include "../parse.h"
#include "test.h"

static void ok_u32(const char *s, bool hex, uint32_t want)
{
	const char *why = NULL;
	uint32_t v = 0xdeadbeef;

	CHECK(parse_u32(s, hex, &v, &why) == 0);
	if (v != want) {
		fprintf(stderr, "parse_u32(\"%s\") = %u, want %u\n", s, v, want);
		test_failures++;
	}
}

static void bad_u32(const char *s, bool hex, const char *want_why)
{
	const char *why = NULL;
	uint32_t v;

	CHECK(parse_u32(s, hex, &v, &why) < 0);
	CHECK(why && !strcmp(why, want_why));
}

static void test_u32(void)
{
	const char *nan = "is not a number";
	const char *big = "is too large (the maximum is 4294967295)";

	ok_u32("0", false, 0);
	ok_u32("120", false, 120);
	ok_u32("007", false, 7);
	ok_u32("4294967295", false, 4294967295U);
	ok_u32("0x1f", true, 0x1f);
	ok_u32("0XFFFFFFFF", true, 0xffffffff);
	ok_u32("0x00000000000001", true, 1);
	ok_u32("42", true, 42);
	bad_u32("", false, nan);
	bad_u32("abc", false, nan);
	bad_u32("-1", false, nan);
	bad_u32("+1", false, nan);
	bad_u32(" 1", false, nan);
	bad_u32("1 ", false, nan);
	bad_u32("1.5", false, nan);
	bad_u32("0x10", false, nan);
	bad_u32("0x", true, nan);
	bad_u32("0xg", true, nan);
	bad_u32("4294967296", false, big);
	bad_u32("99999999999999999999999", false, big);
	bad_u32("0x100000000", true, big);
}

static void ok_ap(const char *s, int family, const char *addr, uint16_t port)
{
	char buf[ADDRPORT_STRLEN], want[ADDRPORT_STRLEN];
	unsigned char bin[16];
	struct addrport ap;
	const char *why = "";

	if (parse_addrport(s, &ap, &why) < 0) {
		fprintf(stderr, "parse_addrport(\"%s\") failed: %s\n", s, why);
		test_failures++;
		return;
	}
	CHECK(ap.family == family);
	CHECK(ap.port == port);
	CHECK(inet_pton(family, addr, bin) == 1);
	CHECK(!memcmp(&ap.addr, bin, family == AF_INET ? 4 : 16));

	/* Formatting gives back the canonical spelling. */
	format_addrport(buf, sizeof(buf), ap.family, &ap.addr, true, ap.port);
	snprintf(want, sizeof(want), family == AF_INET ? "%s:%u" : "[%s]:%u",
		 addr, port);
	CHECK_STR(buf, want);
}

static void bad_ap(const char *s, const char *want_why)
{
	struct addrport ap;
	const char *why = NULL;

	CHECK(parse_addrport(s, &ap, &why) < 0);
	if (!why || strcmp(why, want_why)) {
		fprintf(stderr, "parse_addrport(\"%s\"): got \"%s\", want \"%s\"\n",
			s, why ? why : "(null)", want_why);
		test_failures++;
	}
}

static void test_addrport(void)
{
	const char *noport = "has no port (expected ADDR:PORT or [ADDR]:PORT)";
	const char *badport = "has a bad port (expected 1..65535)";
	const char *bad4 = "does not start with an IPv4 address (host names are not resolved)";
	const char *bad6 = "does not hold an IPv6 address in [ ]";
	char buf[ADDRPORT_STRLEN];
	struct in6_addr a6;
	struct in_addr a4;

	ok_ap("192.0.2.1:1080", AF_INET, "192.0.2.1", 1080);
	ok_ap("0.0.0.0:1", AF_INET, "0.0.0.0", 1);
	ok_ap("255.255.255.255:65535", AF_INET, "255.255.255.255", 65535);
	ok_ap("[::1]:1080", AF_INET6, "::1", 1080);
	ok_ap("[2001:db8::1]:53", AF_INET6, "2001:db8::1", 53);
	ok_ap("[::ffff:192.0.2.1]:9", AF_INET6, "::ffff:192.0.2.1", 9);

	bad_ap("", noport);
	bad_ap("192.0.2.1", noport);
	bad_ap("192.0.2.1:", noport);
	bad_ap("192.0.2.1:0", badport);
	bad_ap("192.0.2.1:65536", badport);
	bad_ap("192.0.2.1:http", badport);
	bad_ap("192.0.2.1:-1", badport);
	bad_ap("192.0.2:80", bad4);
	bad_ap("192.0.2.256:80", bad4);
	bad_ap("localhost:1080", bad4);
	bad_ap(":1080", bad4);
	bad_ap("::1:1080", "is not ADDR:PORT (write an IPv6 address as [ADDR]:PORT)");
	bad_ap("[::1]", "has no port (expected [ADDR]:PORT)");
	bad_ap("[::1]:", noport);
	bad_ap("[::1]x:80", "has junk after ']' (expected [ADDR]:PORT)");
	bad_ap("[::1:80", "lacks the closing ']' (expected [ADDR]:PORT)");
	bad_ap("[192.0.2.1]:80", bad6);
	bad_ap("[]:80", bad6);
	bad_ap("[fe80::1%eth0]:80", "has a zone index, which is not supported");
	bad_ap("[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80", bad6);

	inet_pton(AF_INET, "192.0.2.1", &a4);
	format_addrport(buf, sizeof(buf), AF_INET, &a4, false, 0);
	CHECK_STR(buf, "192.0.2.1");
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	format_addrport(buf, sizeof(buf), AF_INET6, &a6, false, 0);
	CHECK_STR(buf, "2001:db8::1");
}

static void test_copy_string(void)
{
	char buf[4];

	copy_string(buf, sizeof(buf), "ab\0cd", 5);
	CHECK_STR(buf, "ab");
	copy_string(buf, sizeof(buf), "abcdef", 6);
	CHECK_STR(buf, "abc");
	copy_string(buf, sizeof(buf), "xy", 2);
	CHECK_STR(buf, "xy");
}

int main(void)
{
	test_u32();
	test_addrport();
	test_copy_string();
	return test_result("test_parse");
}
