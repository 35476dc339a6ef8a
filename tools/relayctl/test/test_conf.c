// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: unit test of the key parser set and setconf share (conf.c):
 * configuration files, set arguments, the password-file, and the showconf
 * output read back (round trip). Messages are checked word for word.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <unistd.h>

#include "../conf.h"
#include "../relayctl.h"
#include "roundtrip.h"
#include "test.h"

/* Instead of main.c's: the messages, for the checks. */
static char msgs[8192];
static size_t msgs_len;

void pr_err(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msgs + msgs_len, sizeof(msgs) - msgs_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		msgs_len += (size_t)n;
	if (msgs_len >= sizeof(msgs) - 1)
		msgs_len = sizeof(msgs) - 2;
	msgs[msgs_len++] = '\n';
	msgs[msgs_len] = '\0';
}

void usage_hint(const char *cmd)
{
	(void)cmd;
}

static void msgs_clear(void)
{
	msgs_len = 0;
	msgs[0] = '\0';
}

static int parse_mem(struct set_req *r, const char *text, size_t len)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int err;

	if (!f)
		abort();
	conf_init(r, "setconf", "t.conf");
	msgs_clear();
	err = conf_parse_file(r, f);
	fclose(f);
	return err;
}

static int parse_text(struct set_req *r, const char *text)
{
	return parse_mem(r, text, strlen(text));
}

/* @text must be refused with exactly @msg (without "relayctl: setconf: "). */
static void bad_file(const char *text, const char *msg)
{
	char want[512];
	struct set_req r;

	CHECK(parse_text(&r, text) < 0);
	snprintf(want, sizeof(want), "setconf: %s\n", msg);
	CHECK_STR(msgs, want);
	conf_free(&r);
}

static void test_file_full(void)
{
	struct set_req r;

	CHECK(parse_text(&r,
		"# a comment\n"
		"; another\n"
		"\n"
		"  [Device]  \r\n"
		"upstream = socks5 [2001:db8::1]:1080\n"
		"user = al ice\n"
		"password-file =   /etc/pk trelay/pw  \n"
		"udp-timeout=30\n"
		"\tdns-timeout\t=\t5\t\n"
		"refresh = both\n"
		"max-assocs = 100\n"
		"max-assocs-per-source = off\n"
		"fwmark = 0x10\n"
		"dns = truncate\n"
		"icmp-echo = drop\n"
		"echo-rate = 0\n"
		"echo-burst = 7") == 0);	/* no newline at the end */
	CHECK_STR(msgs, "");
	CHECK(r.reset);
	CHECK(REQ_HAS(&r, PKTRELAY_A_DEV_UPSTREAM));
	CHECK(r.up_type == PKTRELAY_UPSTREAM_SOCKS5);
	CHECK(r.up_has_addr && r.up_addr.family == AF_INET6 &&
	      r.up_addr.port == 1080);
	CHECK(r.up_user && !strcmp(r.up_user, "al ice"));
	CHECK(r.up_pass_file && !strcmp(r.up_pass_file, "/etc/pk trelay/pw"));
	CHECK(r.user_line == 6 && r.pass_line == 7);
	CHECK(r.val[PKTRELAY_A_DEV_UDP_TIMEOUT] == 30);
	CHECK(r.key_line[PKTRELAY_A_DEV_UDP_TIMEOUT] == 8);
	CHECK(r.val[PKTRELAY_A_DEV_DNS_TIMEOUT] == 5);
	CHECK(r.val[PKTRELAY_A_DEV_REFRESH] == PKTRELAY_REFRESH_BOTH);
	CHECK(r.val[PKTRELAY_A_DEV_MAX_ASSOCS] == 100);
	CHECK(REQ_HAS(&r, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE) &&
	      r.val[PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE] == 0);
	CHECK(r.val[PKTRELAY_A_DEV_FWMARK] == 16);
	CHECK(r.val[PKTRELAY_A_DEV_DNS] == PKTRELAY_DNS_TRUNCATE);
	CHECK(r.val[PKTRELAY_A_DEV_ICMP_ECHO] == PKTRELAY_ICMP_ECHO_DROP);
	CHECK(REQ_HAS(&r, PKTRELAY_A_DEV_ECHO_RATE) &&
	      r.val[PKTRELAY_A_DEV_ECHO_RATE] == 0);
	CHECK(r.val[PKTRELAY_A_DEV_ECHO_BURST] == 7);
	conf_free(&r);

	/* Nothing but comments, or nothing at all: every key at its default. */
	CHECK(parse_text(&r, "# nothing\n") == 0);
	CHECK(r.reset && r.have == 0);
	conf_free(&r);
	CHECK(parse_text(&r, "[Device]\n") == 0);
	CHECK(r.reset && r.have == 0);
	conf_free(&r);
}

static void test_file_errors(void)
{
	bad_file("[Device]\nfoo = 1\n", "t.conf:2: \"foo\" is not a key");
	bad_file("[Device]\nudp_timeout = 1\n", "t.conf:2: \"udp_timeout\" is not a key");
	bad_file("[Device]\nUDP-TIMEOUT = 1\n", "t.conf:2: \"UDP-TIMEOUT\" is not a key");
	bad_file("[Device]\nudp-timeout = 5s\n", "t.conf:2: udp-timeout: \"5s\" is not a number");
	bad_file("[Device]\nudp-timeout = 30 # seconds\n",
		 "t.conf:2: udp-timeout: \"30 # seconds\" is not a number");
	bad_file("[Device]\nudp-timeout =\n", "t.conf:2: udp-timeout: missing value");
	bad_file("[Device]\nudp-timeout = \t \n", "t.conf:2: udp-timeout: missing value");
	bad_file("[Device]\nmax-assocs = 4294967296\n",
		 "t.conf:2: max-assocs: \"4294967296\" is too large (the maximum is 4294967295)");
	bad_file("[Device]\nfwmark = 0x\n", "t.conf:2: fwmark: \"0x\" is not a number");
	bad_file("[Device]\nudp-timeout 5\n", "t.conf:2: \"udp-timeout 5\" is not KEY = VALUE");
	bad_file("[Device]\n= 5\n", "t.conf:2: \"= 5\" has no key");
	bad_file("[Device]\nrefresh = maybe\n",
		 "t.conf:2: refresh: \"maybe\" is not one of: outbound, both");
	bad_file("[Device]\ndns = RELAY\n",
		 "t.conf:2: dns: \"RELAY\" is not one of: relay, truncate");
	bad_file("[Device]\nudp-timeout = 1\n# x\nudp-timeout = 1\n",
		 "t.conf:4: udp-timeout: given more than once (first on line 2)");
	bad_file("udp-timeout = 1\n", "t.conf:1: \"udp-timeout = 1\" comes before [Device]");
	bad_file("[Peer]\n", "t.conf:1: \"[Peer]\" is not a section (the one section is [Device])");
	bad_file("[device]\n", "t.conf:1: \"[device]\" is not a section (the one section is [Device])");
	bad_file("[Device]\n[Device]\n", "t.conf:2: [Device]: given more than once (first on line 1)");
	bad_file("[Device]\nudp-timeout = 1\n\n[Peer]\n",
		 "t.conf:4: \"[Peer]\" is not a section (the one section is [Device])");

	/* upstream */
	bad_file("[Device]\nupstream =\n", "t.conf:2: upstream: missing value");
	bad_file("[Device]\nupstream = socks\n",
		 "t.conf:2: upstream: \"socks\" is not one of: none, direct, socks5");
	bad_file("[Device]\nupstream = socks5\n", "t.conf:2: upstream socks5: missing ADDR:PORT");
	bad_file("[Device]\nupstream = socks5 proxy:1080\n",
		 "t.conf:2: upstream socks5: \"proxy:1080\" does not start with an IPv4 address (host names are not resolved)");
	bad_file("[Device]\nupstream = direct 192.0.2.1:1080\n",
		 "t.conf:2: upstream direct: takes no address, got \"192.0.2.1:1080\"");
	bad_file("[Device]\nupstream = socks5 192.0.2.1:1080 user bob\n",
		 "t.conf:2: upstream: unexpected \"user\" (user and password-file are keys of their own)");
	bad_file("[Device]\nupstream = socks5 192.0.2.1:1080 x\n",
		 "t.conf:2: upstream: unexpected \"x\"");
	bad_file("[Device]\nupstream = none\nupstream = direct\n",
		 "t.conf:3: upstream: given more than once (first on line 2)");
	bad_file("[Device]\nupstream = none\nupstream = direct 1 2\n",
		 "t.conf:3: upstream: given more than once (first on line 2)");

	/* credentials */
	bad_file("[Device]\nuser = bob\n",
		 "t.conf:2: user: only with \"upstream = socks5 ADDR:PORT\"");
	bad_file("[Device]\nupstream = direct\npassword-file = /x\n",
		 "t.conf:3: password-file: only with \"upstream = socks5 ADDR:PORT\"");
	bad_file("[Device]\nupstream = socks5 192.0.2.1:1080\nuser = bob\n",
		 "t.conf:3: \"user\" and \"password-file\" go together");
	bad_file("[Device]\npassword-file = /x\nupstream = socks5 192.0.2.1:1080\n",
		 "t.conf:2: \"user\" and \"password-file\" go together");
	bad_file("[Device]\nuser = a\nuser = b\n",
		 "t.conf:3: user: given more than once (first on line 2)");
	bad_file("[Device]\npassword-file = a\npassword-file = a\n",
		 "t.conf:3: password-file: given more than once (first on line 2)");
	bad_file("[Device]\nuser =\n", "t.conf:2: user: missing value");
	bad_file("[Device]\nuser = a\x01z\n", "t.conf:2: user: the name holds a control character");
	bad_file("[Device]\nuser = "
		 "0123456789012345678901234567890123456789012345678901234567890123"
		 "0123456789012345678901234567890123456789012345678901234567890123"
		 "0123456789012345678901234567890123456789012345678901234567890123"
		 "0123456789012345678901234567890123456789012345678901234567890123\n",
		 "t.conf:2: user: the name is longer than 255 bytes");

	/* a NUL byte, which would end the line early if not caught */
	{
		static const char nul[] = "[Device]\nudp-timeout = 1\0\n";
		struct set_req r;

		CHECK(parse_mem(&r, nul, sizeof(nul) - 1) < 0);
		CHECK_STR(msgs, "setconf: t.conf:2: the line holds a NUL byte\n");
		conf_free(&r);
	}
}

static void test_file_limits(void)
{
	char *text = malloc(CONF_LINE_MAX + 64);
	struct set_req r;
	size_t n;

	if (!text)
		abort();
	/* A line of CONF_LINE_MAX bytes (and "\r\n") is read... */
	n = (size_t)sprintf(text, "[Device]\n#");
	memset(text + n, 'x', CONF_LINE_MAX - 1);
	strcpy(text + n + CONF_LINE_MAX - 1, "\r\nudp-timeout = 9\n");
	CHECK(parse_text(&r, text) == 0);
	CHECK(r.val[PKTRELAY_A_DEV_UDP_TIMEOUT] == 9);
	conf_free(&r);
	/* ... one more byte is not. */
	memset(text + n, 'x', CONF_LINE_MAX);
	strcpy(text + n + CONF_LINE_MAX, "\r\n");
	CHECK(parse_text(&r, text) < 0);
	CHECK_STR(msgs, "setconf: t.conf:2: line longer than 4096 bytes\n");
	conf_free(&r);
	free(text);

	/* stdin cannot hold both the configuration and the password */
	conf_init(&r, "setconf", "<stdin>");
	r.stdin_taken = true;
	{
		const char *t = "[Device]\nupstream = socks5 192.0.2.1:1\nuser = u\npassword-file = -\n";
		FILE *f = fmemopen((void *)t, strlen(t), "r");

		msgs_clear();
		CHECK(conf_parse_file(&r, f) < 0);
		fclose(f);
	}
	CHECK_STR(msgs, "setconf: <stdin>:4: password-file: \"-\" is standard input, which holds the configuration\n");
	conf_free(&r);
}

static int parse_argv(struct set_req *r, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	conf_init(r, "set", NULL);
	msgs_clear();
	return conf_parse_args(r, argc, argv);
}

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

static void bad_args(const char *const *args, const char *msg)
{
	struct set_req r;

	CHECK(parse_argv(&r, args) < 0);
	CHECK_STR(msgs, msg);
	conf_free(&r);
}

static void test_args(void)
{
	struct set_req r;

	CHECK(parse_argv(&r, ARGS("udp-timeout", "5", "upstream", "socks5",
				  "192.0.2.1:1080", "user", "bob",
				  "password-file", "-", "fwmark", "off")) == 0);
	CHECK(!r.reset);
	CHECK(r.up_type == PKTRELAY_UPSTREAM_SOCKS5 && r.up_addr.port == 1080);
	CHECK(!strcmp(r.up_user, "bob") && !strcmp(r.up_pass_file, "-"));
	CHECK(r.val[PKTRELAY_A_DEV_UDP_TIMEOUT] == 5);
	CHECK(REQ_HAS(&r, PKTRELAY_A_DEV_FWMARK) && !r.val[PKTRELAY_A_DEV_FWMARK]);
	CHECK(!REQ_HAS(&r, PKTRELAY_A_DEV_DNS));
	conf_free(&r);

	CHECK(parse_argv(&r, ARGS("upstream", "direct", "dns", "truncate")) == 0);
	CHECK(r.up_type == PKTRELAY_UPSTREAM_DIRECT && !r.up_has_addr);
	conf_free(&r);

	bad_args(ARGS("foo", "1"), "set: \"foo\" is not a key\n");
	bad_args(ARGS("udp-timeout"), "set: udp-timeout: missing value\n");
	bad_args(ARGS("udp-timeout", "1", "udp-timeout", "2"),
		 "set: udp-timeout: given more than once\n");
	bad_args(ARGS("upstream"), "set: upstream: missing value\n");
	bad_args(ARGS("upstream", "socks5"), "set: upstream socks5: missing ADDR:PORT\n");
	bad_args(ARGS("upstream", "none", "user", "bob"), "set: \"user\" is not a key\n");
	bad_args(ARGS("upstream", "socks5", "192.0.2.1:1", "user", "bob"),
		 "set: upstream socks5: \"user\" and \"password-file\" go together\n");
	bad_args(ARGS("upstream", "socks5", "192.0.2.1:1", "user", "a", "user", "b"),
		 "set: upstream socks5: user: given more than once\n");
	bad_args(ARGS("upstream", "socks5", "192.0.2.1:1", "user", ""),
		 "set: upstream socks5: user: the name is empty\n");
	bad_args(ARGS("upstream", "socks5", "192.0.2.1:1", "user", " bob"),
		 "set: upstream socks5: user: the name starts or ends with a space\n");
	bad_args(ARGS("upstream", "socks5", "192.0.2.1:1", "user", "a\nb"),
		 "set: upstream socks5: user: the name holds a control character\n");
}

static void test_password(void)
{
	char dir[] = "/tmp/test_conf.XXXXXX", path[64];
	struct set_req r;
	FILE *f;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/pw", dir);

	f = fopen(path, "w");
	fputs("se cret\r\n", f);
	fclose(f);
	conf_init(&r, "setconf", "t.conf");
	r.up_pass_file = strdup(path);
	r.pass_line = 4;
	msgs_clear();
	CHECK(conf_read_password(&r) == 0);
	CHECK(r.up_pass_len == 7 && !memcmp(r.up_pass, "se cret", 7));
	conf_free(&r);
	CHECK(r.up_pass_len == 0 && r.up_pass[0] == 0);

	f = fopen(path, "w");
	fputs("\n", f);
	fclose(f);
	conf_init(&r, "setconf", "t.conf");
	r.up_pass_file = strdup(path);
	r.pass_line = 4;
	CHECK(conf_read_password(&r) < 0);
	conf_free(&r);
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "setconf: t.conf:4: password-file \"%s\" is empty\n", path);
		CHECK_STR(msgs, want);
	}
	unlink(path);
	msgs_clear();
	conf_init(&r, "set", NULL);
	r.up_pass_file = strdup(path);
	CHECK(conf_read_password(&r) < 0);
	conf_free(&r);
	{
		char want[160];

		snprintf(want, sizeof(want),
			 "set: password-file \"%s\": No such file or directory\n", path);
		CHECK_STR(msgs, want);
	}
	rmdir(dir);
}

static void set_default(struct dev_info *d)
{
	struct set_req none;

	conf_init(&none, "setconf", "x");
	rt_apply(&none, d);
}

static void test_print(void)
{
	struct dev_info d;
	char *text, *buf;

	/* A new device. */
	set_default(&d);
	CAPTURE(buf, f, CHECK(conf_print(f, &d) == 0));
	CHECK_STR(buf,
		  "# relayctl showconf relay0\n"
		  "[Device]\n"
		  "upstream = none\n"
		  "udp-timeout = 120\n"
		  "dns-timeout = 15\n"
		  "refresh = outbound\n"
		  "max-assocs = 65536\n"
		  "max-assocs-per-source = off\n"
		  "fwmark = off\n"
		  "dns = relay\n"
		  "icmp-echo = reply\n"
		  "echo-rate = 10000\n"
		  "echo-burst = 1000\n");
	free(buf);
	CHECK(rt_roundtrip(&d, &text) == 0);
	free(text);

	/* Every key away from its default, socks5 over IPv6 with a user. */
	d.up.type = PKTRELAY_UPSTREAM_SOCKS5;
	d.up.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", d.up.addr);
	d.up.have_port = true;
	d.up.port = 1080;
	d.up.have_user = true;
	strcpy(d.up.user, "al ice");
	d.val[PKTRELAY_A_DEV_UDP_TIMEOUT] = 86400;
	d.val[PKTRELAY_A_DEV_DNS_TIMEOUT] = 1;
	d.val[PKTRELAY_A_DEV_REFRESH] = PKTRELAY_REFRESH_BOTH;
	d.val[PKTRELAY_A_DEV_MAX_ASSOCS] = 16777216;
	d.val[PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE] = 4;
	d.val[PKTRELAY_A_DEV_FWMARK] = 0xffffffff;
	d.val[PKTRELAY_A_DEV_DNS] = PKTRELAY_DNS_TRUNCATE;
	d.val[PKTRELAY_A_DEV_ICMP_ECHO] = PKTRELAY_ICMP_ECHO_DROP;
	d.val[PKTRELAY_A_DEV_ECHO_RATE] = 0;
	d.val[PKTRELAY_A_DEV_ECHO_BURST] = 1000000;
	CAPTURE(buf, f, CHECK(conf_print(f, &d) == 0));
	CHECK_STR(buf,
		  "# relayctl showconf relay0\n"
		  "[Device]\n"
		  "upstream = socks5 [2001:db8::1]:1080\n"
		  "user = al ice\n"
		  "# password-file: not shown (the kernel never returns the password); add it for setconf\n"
		  "udp-timeout = 86400\n"
		  "dns-timeout = 1\n"
		  "refresh = both\n"
		  "max-assocs = 16777216\n"
		  "max-assocs-per-source = 4\n"
		  "fwmark = 0xffffffff\n"
		  "dns = truncate\n"
		  "icmp-echo = drop\n"
		  "echo-rate = off\n"
		  "echo-burst = 1000000\n");
	free(buf);
	CHECK(rt_roundtrip(&d, &text) == 0);
	free(text);

	/* Without credentials, no password line; IPv4. */
	d.up.have_user = false;
	d.up.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", d.up.addr);
	CHECK(rt_roundtrip(&d, &text) == 0);
	free(text);
	CAPTURE(buf, f, CHECK(conf_print(f, &d) == 0));
	CHECK(strstr(buf, "\nupstream = socks5 192.0.2.1:1080\nudp-timeout") != NULL);
	CHECK(!strstr(buf, "password"));
	free(buf);

	/* What a file cannot say is refused, not written half. */
	msgs_clear();
	d.val[PKTRELAY_A_DEV_REFRESH] = 9;
	CAPTURE(buf, f, CHECK(conf_print(f, &d) < 0));
	free(buf);
	CHECK_STR(msgs, "showconf: refresh: value 9 is unknown to this relayctl\n");
	d.val[PKTRELAY_A_DEV_REFRESH] = PKTRELAY_REFRESH_BOTH;
	msgs_clear();
	d.up.have_user = true;
	strcpy(d.up.user, "a\tb");
	CAPTURE(buf, f, CHECK(conf_print(f, &d) < 0));
	free(buf);
	CHECK_STR(msgs, "showconf: user: the name holds a control character: it cannot be written to a configuration file\n");
	msgs_clear();
	d.up.have_user = false;
	d.up.type = 42;
	CAPTURE(buf, f, CHECK(conf_print(f, &d) < 0));
	free(buf);
	CHECK_STR(msgs, "showconf: upstream type 42 is unknown to this relayctl\n");
}

int main(void)
{
	test_file_full();
	test_file_errors();
	test_file_limits();
	test_args();
	test_password();
	test_print();
	return test_result("test_conf");
}
