// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl set DEV KEY VALUE...: change a device's configuration.
 *
 * Everything is parsed and checked for syntax first; only then is one
 * PKTRELAY_CMD_DEV_SET request sent, which the kernel applies as a whole
 * or not at all. Value ranges are left to the kernel, whose extack
 * message then names the problem.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>

#include "attrs.h"
#include "nl.h"
#include "parse.h"
#include "relayctl.h"

struct set_req {
	const char *dev;
	uint64_t have;				/* bit PKTRELAY_A_DEV_X given */
	uint32_t val[PKTRELAY_A_DEV_MAX + 1];

	/* upstream TYPE [ADDR:PORT [user NAME] [password-file FILE]] */
	uint8_t up_type;
	bool up_has_addr;
	struct addrport up_addr;
	const char *up_user;
	const char *up_pass_file;
	unsigned char up_pass[PKTRELAY_PASSWORD_MAX];
	size_t up_pass_len;
};

#define HAVE(r, attr)	(((r)->have >> (attr)) & 1)

static int bad_choice(const char *key, const char *value, const struct names *t)
{
	fprintf(stderr, PROG ": set: %s: \"%s\" is not one of: ", key, value);
	names_list(t, stderr);
	fputc('\n', stderr);
	return -1;
}

/*
 * The password, from @path ("-" is standard input): at most
 * PKTRELAY_PASSWORD_MAX bytes once one trailing newline is removed.
 */
static int read_password(struct set_req *r, const char *path)
{
	/* Room for the longest password, "\r\n", and one byte to spot more. */
	unsigned char buf[PKTRELAY_PASSWORD_MAX + 3];
	size_t len = 0;
	ssize_t n;
	int fd, err = -1;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		pr_err("set: password-file \"%s\": %s", path, strerror(errno));
		return -1;
	}
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pr_err("set: password-file \"%s\": %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len && buf[len - 1] == '\n') {
		len--;
		if (len && buf[len - 1] == '\r')
			len--;
	}
	if (len == 0) {
		pr_err("set: password-file \"%s\" is empty", path);
	} else if (len > PKTRELAY_PASSWORD_MAX) {
		pr_err("set: password-file \"%s\": password longer than %d bytes",
		       path, PKTRELAY_PASSWORD_MAX);
	} else {
		memcpy(r->up_pass, buf, len);
		r->up_pass_len = len;
		err = 0;
	}
out:
	explicit_bzero(buf, sizeof(buf));
	if (fd != STDIN_FILENO)
		close(fd);
	return err;
}

/* "upstream" at argv[i - 1]: returns the index after its words, or -1. */
static int parse_upstream(struct set_req *r, int argc, char **argv, int i)
{
	const char *why;
	int type;

	if (HAVE(r, PKTRELAY_A_DEV_UPSTREAM)) {
		pr_err("set: upstream: given more than once");
		return -1;
	}
	r->have |= UINT64_C(1) << PKTRELAY_A_DEV_UPSTREAM;
	if (i >= argc) {
		pr_err("set: upstream: missing value");
		return -1;
	}
	type = names_find(&upstream_names, argv[i]);
	if (type < 0)
		return bad_choice("upstream", argv[i], &upstream_names);
	r->up_type = (uint8_t)type;
	i++;
	if (type != PKTRELAY_UPSTREAM_SOCKS5)
		return i;

	if (i >= argc) {
		pr_err("set: upstream socks5: missing ADDR:PORT");
		return -1;
	}
	if (parse_addrport(argv[i], &r->up_addr, &why) < 0) {
		pr_err("set: upstream socks5: \"%s\" %s", argv[i], why);
		return -1;
	}
	r->up_has_addr = true;
	i++;

	while (i < argc) {
		const char **slot;

		if (!strcmp(argv[i], "user"))
			slot = &r->up_user;
		else if (!strcmp(argv[i], "password-file"))
			slot = &r->up_pass_file;
		else
			break;
		if (*slot) {
			pr_err("set: upstream socks5: %s: given more than once", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			pr_err("set: upstream socks5: %s: missing value", argv[i]);
			return -1;
		}
		*slot = argv[i + 1];
		i += 2;
	}
	if (!r->up_user != !r->up_pass_file) {
		pr_err("set: upstream socks5: \"user\" and \"password-file\" go together");
		return -1;
	}
	return i;
}

static int parse_value(struct set_req *r, const struct cfg_key *k, const char *s)
{
	const char *why;
	uint32_t v = 0;
	int e;

	switch (k->kind) {
	case CFG_ENUM:
		e = names_find(k->names, s);
		if (e < 0)
			return bad_choice(k->key, s, k->names);
		v = (uint32_t)e;
		break;
	case CFG_U32_OFF:
	case CFG_MARK:
		if (!strcmp(s, "off"))
			break;
		/* fall through */
	case CFG_U32:
		if (parse_u32(s, k->kind == CFG_MARK, &v, &why) < 0) {
			pr_err("set: %s: \"%s\" %s", k->key, s, why);
			return -1;
		}
		break;
	}
	r->val[k->attr] = v;
	r->have |= UINT64_C(1) << k->attr;
	return 0;
}

static int parse_args(struct set_req *r, int argc, char **argv)
{
	const struct cfg_key *k;
	int i = 2;

	r->dev = argv[1];
	if (!r->dev[0] || strlen(r->dev) >= IFNAMSIZ) {
		pr_err("set: \"%s\" is not a device name (1 to %d bytes)",
		       r->dev, IFNAMSIZ - 1);
		return -1;
	}
	if (argc < 3) {
		pr_err("set: nothing to set");
		usage_hint("set");
		return -1;
	}
	while (i < argc) {
		const char *key = argv[i++];

		if (!strcmp(key, "upstream")) {
			i = parse_upstream(r, argc, argv, i);
			if (i < 0)
				return -1;
			continue;
		}
		k = cfg_key_find(key);
		if (!k) {
			pr_err("set: \"%s\" is not a key", key);
			usage_hint("set");
			return -1;
		}
		if (HAVE(r, k->attr)) {
			pr_err("set: %s: given more than once", key);
			return -1;
		}
		if (i >= argc) {
			pr_err("set: %s: missing value", key);
			return -1;
		}
		if (parse_value(r, k, argv[i++]) < 0)
			return -1;
	}
	if (r->up_pass_file && read_password(r, r->up_pass_file) < 0)
		return -1;
	return 0;
}

static int put_upstream(struct rnl *c, struct nl_msg *msg, const struct set_req *r)
{
	struct nlattr *nest;

	rnl_mark(c, msg, "upstream");
	/* Strict kernels want NLA_F_NESTED, which old libnl does not set. */
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_UPSTREAM | NLA_F_NESTED);
	if (!nest || nla_put_u8(msg, PKTRELAY_A_UPSTREAM_TYPE, r->up_type) < 0)
		return -1;
	if (r->up_has_addr) {
		const struct addrport *ap = &r->up_addr;
		int err;

		rnl_mark(c, msg, "upstream address");
		if (ap->family == AF_INET)
			err = nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR4,
				      sizeof(ap->addr.v4), &ap->addr.v4);
		else
			err = nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR6,
				      sizeof(ap->addr.v6), &ap->addr.v6);
		if (err < 0)
			return -1;
		rnl_mark(c, msg, "upstream port");
		if (nla_put_u16(msg, PKTRELAY_A_UPSTREAM_PORT, htons(ap->port)) < 0)
			return -1;
	}
	if (r->up_user) {
		rnl_mark(c, msg, "user");
		if (nla_put_string(msg, PKTRELAY_A_UPSTREAM_USERNAME, r->up_user) < 0)
			return -1;
	}
	if (r->up_pass_len) {
		rnl_mark(c, msg, "password-file");
		if (nla_put(msg, PKTRELAY_A_UPSTREAM_PASSWORD, (int)r->up_pass_len,
			    r->up_pass) < 0)
			return -1;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int build(struct rnl *c, struct nl_msg *msg, const struct set_req *r)
{
	const struct cfg_key *k;
	int err;

	rnl_mark(c, msg, r->dev);
	if (nla_put_string(msg, PKTRELAY_A_DEV_IFNAME, r->dev) < 0)
		return -1;
	if (HAVE(r, PKTRELAY_A_DEV_UPSTREAM) && put_upstream(c, msg, r) < 0)
		return -1;
	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		if (!HAVE(r, k->attr))
			continue;
		rnl_mark(c, msg, k->key);
		if (k->kind == CFG_ENUM)
			err = nla_put_u8(msg, k->attr, (uint8_t)r->val[k->attr]);
		else
			err = nla_put_u32(msg, k->attr, r->val[k->attr]);
		if (err < 0)
			return -1;
	}
	return 0;
}

void help_set(void)
{
	printf("Usage: " PROG " set DEV KEY VALUE [KEY VALUE]...\n"
	       "\n"
	       "Change the configuration of the pktrelay device DEV. All keys go into one\n"
	       "request that the kernel applies as a whole, or not at all.\n"
	       "\n"
	       "Keys:\n"
	       "  upstream none|direct             where relayed UDP goes: nowhere, or out\n"
	       "                                   from a UDP socket per association\n"
	       "  upstream socks5 ADDR:PORT [user NAME password-file FILE]\n"
	       "                                   through a SOCKS5 server (IPv6: [ADDR]:PORT);\n"
	       "                                   the password is read from FILE (- is stdin)\n"
	       "  udp-timeout SECS                 idle timeout of a UDP association\n"
	       "  dns-timeout SECS                 idle timeout of a DNS association\n"
	       "  refresh outbound|both            packets that refresh the idle timer\n"
	       "  max-assocs N                     cap on associations of the device\n"
	       "  max-assocs-per-source N|off      cap on associations per local address\n"
	       "  fwmark MARK|off                  mark of upstream sockets (decimal or 0x hex)\n"
	       "  dns relay|truncate               relay DNS, or answer it truncated\n"
	       "  icmp-echo reply|drop             answer ICMP echo requests, or drop them\n"
	       "  echo-rate N|off                  echo replies per second (off: unlimited)\n"
	       "  echo-burst N                     echo reply burst\n"
	       "\n"
	       "Ranges are checked by the kernel; see relayctl(8).\n");
}

int cmd_set(int argc, char **argv, const struct opts *o)
{
	struct set_req r = { 0 };
	struct nl_msg *msg;
	struct rnl c;
	int ret = 1;

	(void)o;
	if (argc < 2) {
		pr_err("set: missing device");
		usage_hint("set");
		return 1;
	}
	if (parse_args(&r, argc, argv) < 0)
		goto out;

	if (rnl_open(&c, "set") < 0)
		goto out;
	msg = rnl_request(&c, PKTRELAY_CMD_DEV_SET, 0);
	if (!msg)
		goto close;
	if (build(&c, msg, &r) < 0)
		pr_err("set: request too large");
	else if (rnl_exchange(&c, msg, NULL, NULL) < 0)
		rnl_perror(&c);
	else
		ret = 0;
	/* The request holds a copy of the password. */
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
close:
	rnl_close(&c);
out:
	explicit_bzero(r.up_pass, sizeof(r.up_pass));
	return ret;
}
