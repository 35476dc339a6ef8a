// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl set DEV KEY VALUE...: change a device's configuration.
 *
 * Everything is parsed and checked for syntax first (conf.c, the parser
 * setconf shares); only then is one PKTRELAY_CMD_DEV_SET request sent,
 * which the kernel applies as a whole or not at all. Value ranges are left
 * to the kernel, whose extack message then names the problem.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "attrs.h"
#include "conf.h"
#include "nl.h"
#include "relayctl.h"

/* Longest "KEY at FILE:LINE" label for the kernel's complaints. */
#define LABEL_MAX	128

/* What a rejection of the attribute of @key is said to be about. */
struct set_labels {
	char buf[PKTRELAY_A_DEV_MAX + 8][LABEL_MAX];
	unsigned int n;
};

static const char *label(struct set_labels *l, const struct set_req *r,
			 const char *key, unsigned int line)
{
	char *buf;

	if (!r->file || l->n == sizeof(l->buf) / sizeof(l->buf[0]))
		return key;
	buf = l->buf[l->n++];
	snprintf(buf, LABEL_MAX, "%s at %s:%u", key, r->file, line);
	return buf;
}

static int put_upstream(struct rnl *c, struct nl_msg *msg,
			const struct set_req *r, struct set_labels *l)
{
	unsigned int line = r->key_line[PKTRELAY_A_DEV_UPSTREAM];
	struct nlattr *nest;

	rnl_mark(c, msg, label(l, r, "upstream", line));
	/* Strict kernels want NLA_F_NESTED, which old libnl does not set. */
	nest = nla_nest_start(msg, PKTRELAY_A_DEV_UPSTREAM | NLA_F_NESTED);
	if (!nest || nla_put_u8(msg, PKTRELAY_A_UPSTREAM_TYPE, r->up_type) < 0)
		return -1;
	if (r->up_has_addr) {
		const struct addrport *ap = &r->up_addr;
		int err;

		rnl_mark(c, msg, label(l, r, "upstream address", line));
		if (ap->family == AF_INET)
			err = nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR4,
				      sizeof(ap->addr.v4), &ap->addr.v4);
		else
			err = nla_put(msg, PKTRELAY_A_UPSTREAM_ADDR6,
				      sizeof(ap->addr.v6), &ap->addr.v6);
		if (err < 0)
			return -1;
		rnl_mark(c, msg, label(l, r, "upstream port", line));
		if (nla_put_u16(msg, PKTRELAY_A_UPSTREAM_PORT, htons(ap->port)) < 0)
			return -1;
	}
	if (r->up_user) {
		rnl_mark(c, msg, label(l, r, "user", r->user_line));
		if (nla_put_string(msg, PKTRELAY_A_UPSTREAM_USERNAME, r->up_user) < 0)
			return -1;
	}
	if (r->up_pass_len) {
		rnl_mark(c, msg, label(l, r, "password-file", r->pass_line));
		if (nla_put(msg, PKTRELAY_A_UPSTREAM_PASSWORD, (int)r->up_pass_len,
			    r->up_pass) < 0)
			return -1;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int build(struct rnl *c, struct nl_msg *msg, const struct set_req *r,
		 const char *dev, struct set_labels *l)
{
	const struct cfg_key *k;
	int err;

	rnl_mark(c, msg, dev);
	if (nla_put_string(msg, PKTRELAY_A_DEV_IFNAME, dev) < 0)
		return -1;
	if (r->reset) {
		rnl_mark(c, msg, "reset to the defaults");
		if (nla_put_flag(msg, PKTRELAY_A_DEV_RESET) < 0)
			return -1;
	}
	if (REQ_HAS(r, PKTRELAY_A_DEV_UPSTREAM) && put_upstream(c, msg, r, l) < 0)
		return -1;
	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		if (!REQ_HAS(r, k->attr))
			continue;
		rnl_mark(c, msg, label(l, r, k->key, r->key_line[k->attr]));
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

int set_send(struct rnl *c, const struct set_req *r, const char *dev)
{
	struct set_labels l = { .n = 0 };	/* until rnl_perror() */
	struct nl_msg *msg;
	int ret = -1;

	msg = rnl_request(c, PKTRELAY_CMD_DEV_SET, 0);
	if (!msg)
		return -1;
	if (build(c, msg, r, dev, &l) < 0)
		pr_err("%s: request too large", r->cmd);
	else if (rnl_exchange(c, msg, NULL, NULL) < 0)
		rnl_perror(c);
	else
		ret = 0;
	/* The request holds a copy of the password. */
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	return ret;
}

int cmd_set(int argc, char **argv, const struct opts *o)
{
	struct set_req r;
	struct rnl c;
	int ret = 1;

	(void)o;
	if (argc < 2) {
		pr_err("set: missing device");
		usage_hint("set");
		return 1;
	}
	if (check_ifname("set", argv[1]) < 0)
		return 1;
	if (argc < 3) {
		pr_err("set: nothing to set");
		usage_hint("set");
		return 1;
	}
	conf_init(&r, "set", NULL);
	if (conf_parse_args(&r, argc - 2, argv + 2) < 0 ||
	    conf_read_password(&r) < 0)
		goto out;

	if (rnl_open(&c, "set") < 0)
		goto out;
	if (set_send(&c, &r, argv[1]) == 0)
		ret = 0;
	rnl_close(&c);
out:
	conf_free(&r);
	return ret;
}
