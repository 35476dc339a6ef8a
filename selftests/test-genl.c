// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay generic netlink contract tests (include/uapi/linux/pktrelay.h).
 *
 * Raw AF_NETLINK sockets on purpose: every request carries NLM_F_ACK with
 * NETLINK_EXT_ACK on, and the ack TLVs (NLMSGERR_ATTR_MSG/OFFS/MISS_*) are
 * parsed here, so nothing a library does can hide what the module answers.
 *
 * Every test runs in its own forked child (kselftest harness) which first
 * enters a fresh network namespace; devices die with that namespace when
 * the child exits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/pktrelay.h>

/* the harness itself is not -Wextra clean */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define RECV_BUF (64 * 1024)

/* ------------------------------------------------------------------ */
/* message building                                                    */
/* ------------------------------------------------------------------ */

struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[16384];
	} u;
	int nest[8];
	int depth;
};

static void msg_init(struct msg *m, __u16 type, __u16 flags, const void *hdr,
		     int hdrlen)
{
	memset(m, 0, sizeof(*m));
	m->u.nlh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	m->u.nlh.nlmsg_type = type;
	m->u.nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	if (hdrlen)
		memcpy(NLMSG_DATA(&m->u.nlh), hdr, hdrlen);
}

static void genl_init(struct msg *m, __u16 family, __u8 cmd, __u16 flags)
{
	struct genlmsghdr g = { .cmd = cmd, .version = PKTRELAY_GENL_VERSION };

	msg_init(m, family, flags, &g, sizeof(g));
}

/* Appends an attribute; returns its offset from the start of the message. */
static int put(struct msg *m, __u16 type, const void *data, int len)
{
	int off = NLMSG_ALIGN(m->u.nlh.nlmsg_len);
	struct nlattr *a = (struct nlattr *)(m->u.buf + off);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > (int)sizeof(m->u.buf))
		abort();
	memset(a, 0, NLA_HDRLEN + NLA_ALIGN(len));
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	m->u.nlh.nlmsg_len = off + NLA_ALIGN(a->nla_len);
	return off;
}

static int put_u8(struct msg *m, __u16 type, __u8 v)
{
	return put(m, type, &v, 1);
}

static int put_u16(struct msg *m, __u16 type, __u16 v)
{
	return put(m, type, &v, 2);
}

static int put_u32(struct msg *m, __u16 type, __u32 v)
{
	return put(m, type, &v, 4);
}

static int put_u64(struct msg *m, __u16 type, __u64 v)
{
	return put(m, type, &v, 8);
}

static int put_str(struct msg *m, __u16 type, const char *s)
{
	return put(m, type, s, strlen(s) + 1);
}

static int nest_start_flags(struct msg *m, __u16 type, __u16 flags)
{
	int off = put(m, type | flags, NULL, 0);

	m->nest[m->depth++] = off;
	return off;
}

static int nest_start(struct msg *m, __u16 type)
{
	return nest_start_flags(m, type, NLA_F_NESTED);
}

static void nest_end(struct msg *m)
{
	int off = m->nest[--m->depth];
	struct nlattr *a = (struct nlattr *)(m->u.buf + off);

	a->nla_len = m->u.nlh.nlmsg_len - off;
}

/* ------------------------------------------------------------------ */
/* talking                                                             */
/* ------------------------------------------------------------------ */

struct reply {
	int len;
	struct nlmsghdr *nlh;
};

struct result {
	int err;		/* 0 or -errno from NLMSG_ERROR / NLMSG_DONE */
	bool got_ack;		/* an NLMSG_ERROR or NLMSG_DONE ended it */
	bool has_msg;
	char msg[512];
	bool has_offs;
	__u32 offs;
	bool has_miss_type;
	__u32 miss_type;
	bool has_miss_nest;
	__u32 miss_nest;
	bool dump_intr;		/* some message carried NLM_F_DUMP_INTR */
	int nreplies;
	struct reply *replies;
};

static void result_free(struct result *r)
{
	int i;

	for (i = 0; i < r->nreplies; i++)
		free(r->replies[i].nlh);
	free(r->replies);
	memset(r, 0, sizeof(*r));
}

static int nl_open(int proto)
{
	int one = 1, fd;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static void parse_ack_tlvs(struct result *r, const struct nlmsghdr *h,
			   size_t hdr_payload)
{
	const char *base = (const char *)NLMSG_DATA(h);
	size_t off = NLMSG_ALIGN(hdr_payload);
	size_t end = h->nlmsg_len - NLMSG_HDRLEN;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)(base + off);
		const void *p = (const char *)a + NLA_HDRLEN;
		int plen = a->nla_len - NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			break;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			r->has_msg = true;
			snprintf(r->msg, sizeof(r->msg), "%.*s", plen,
				 (const char *)p);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen == 4) {
				r->has_offs = true;
				memcpy(&r->offs, p, 4);
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (plen == 4) {
				r->has_miss_type = true;
				memcpy(&r->miss_type, p, 4);
			}
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (plen == 4) {
				r->has_miss_nest = true;
				memcpy(&r->miss_nest, p, 4);
			}
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Reads until the NLMSG_ERROR / NLMSG_DONE answering @seq. @pause, if set,
 * is called once after the first datagram of the answer was read.
 */
static int nl_recv_all(int fd, __u32 seq, struct result *r, size_t bufsz,
		       void (*pause)(void *), void *arg)
{
	char *buf = malloc(bufsz);
	bool paused = false;

	if (!buf)
		return -ENOMEM;
	while (!r->got_ack) {
		ssize_t n = recv(fd, buf, bufsz, MSG_TRUNC);
		struct nlmsghdr *h;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -errno;
		}
		if ((size_t)n > bufsz) {
			fprintf(stderr, "# netlink datagram truncated (%zd > %zu)\n",
				n, bufsz);
			free(buf);
			return -EMSGSIZE;
		}
		len = n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				r->dump_intr = true;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				size_t pl = sizeof(*e);

				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					pl += e->msg.nlmsg_len - NLMSG_HDRLEN;
				r->err = e->error;
				r->got_ack = true;
				parse_ack_tlvs(r, h, pl);
				continue;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&err, NLMSG_DATA(h), sizeof(int));
				r->err = err;
				r->got_ack = true;
				parse_ack_tlvs(r, h, sizeof(int));
				continue;
			}
			if (h->nlmsg_type == NLMSG_NOOP)
				continue;
			r->replies = realloc(r->replies, (r->nreplies + 1) *
					     sizeof(*r->replies));
			r->replies[r->nreplies].len = h->nlmsg_len;
			r->replies[r->nreplies].nlh = malloc(h->nlmsg_len);
			memcpy(r->replies[r->nreplies].nlh, h, h->nlmsg_len);
			r->nreplies++;
		}
		if (pause && !paused && !r->got_ack) {
			paused = true;
			pause(arg);
		}
	}
	free(buf);
	return 0;
}

static __u32 g_seq = 1000;

/* Sends @m (NLM_F_ACK added) and collects the answer into @r. */
static int nl_talk_ex(int fd, struct msg *m, struct result *r, size_t bufsz,
		      void (*pause)(void *), void *arg)
{
	memset(r, 0, sizeof(*r));
	m->u.nlh.nlmsg_flags |= NLM_F_ACK;
	m->u.nlh.nlmsg_seq = ++g_seq;
	if (send(fd, m->u.buf, m->u.nlh.nlmsg_len, 0) !=
	    (ssize_t)m->u.nlh.nlmsg_len)
		return -errno;
	return nl_recv_all(fd, m->u.nlh.nlmsg_seq, r, bufsz, pause, arg);
}

static int nl_talk(int fd, struct msg *m, struct result *r)
{
	return nl_talk_ex(fd, m, r, RECV_BUF, NULL, NULL);
}

/* Returns the netlink error of a simple request (0 or -errno). */
static int nl_simple(int fd, struct msg *m)
{
	struct result r;
	int err = nl_talk(fd, m, &r);

	if (!err)
		err = r.err;
	if (err && r.has_msg)
		fprintf(stderr, "# netlink: %s (%s)\n", strerror(-err), r.msg);
	result_free(&r);
	return err;
}

/* ------------------------------------------------------------------ */
/* attribute parsing                                                   */
/* ------------------------------------------------------------------ */

/* Fills tb[] (types masked); returns -1 on malformed/duplicate attrs. */
static int parse_attrs(const void *data, int len, const struct nlattr **tb,
		       int max)
{
	const struct nlattr *a = data;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -1;
		if (type <= max) {
			if (tb[type])
				return -1;
			tb[type] = a;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return len > 0 && len < NLA_HDRLEN ? -1 : 0;
}

static const void *nla_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int nla_len_(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static int genl_payload(const struct nlmsghdr *h, const struct nlattr **tb,
			int max)
{
	const char *p = (const char *)NLMSG_DATA(h) + GENL_HDRLEN;
	int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	if (len < 0)
		return -1;
	return parse_attrs(p, len, tb, max);
}

/* ------------------------------------------------------------------ */
/* generic netlink family and rtnetlink helpers                        */
/* ------------------------------------------------------------------ */

struct family {
	__u16 id;
	__u32 version;
	bool has_events;
	__u32 events_id;
};

static int resolve_family(int fd, struct family *f)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct result r;
	struct msg m;
	int err;

	memset(f, 0, sizeof(*f));
	msg_init(&m, GENL_ID_CTRL, 0, &g, sizeof(g));
	put_str(&m, CTRL_ATTR_FAMILY_NAME, PKTRELAY_GENL_NAME);
	err = nl_talk(fd, &m, &r);
	if (!err)
		err = r.err;
	if (!err && r.nreplies != 1)
		err = -EPROTO;
	if (!err && genl_payload(r.replies[0].nlh, tb, CTRL_ATTR_MAX))
		err = -EPROTO;
	if (!err && (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_VERSION]))
		err = -EPROTO;
	if (!err) {
		f->id = *(const __u16 *)nla_data(tb[CTRL_ATTR_FAMILY_ID]);
		f->version = *(const __u32 *)nla_data(tb[CTRL_ATTR_VERSION]);
	}
	if (!err && tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *grp = nla_data(tb[CTRL_ATTR_MCAST_GROUPS]);
		int rem = nla_len_(tb[CTRL_ATTR_MCAST_GROUPS]);

		while (rem >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
		       grp->nla_len <= rem) {
			const struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

			if (!parse_attrs(nla_data(grp), nla_len_(grp), gt,
					 CTRL_ATTR_MCAST_GRP_MAX) &&
			    gt[CTRL_ATTR_MCAST_GRP_NAME] &&
			    gt[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(nla_data(gt[CTRL_ATTR_MCAST_GRP_NAME]),
				    PKTRELAY_MCGRP_EVENTS)) {
				f->has_events = true;
				f->events_id = *(const __u32 *)
					nla_data(gt[CTRL_ATTR_MCAST_GRP_ID]);
			}
			rem -= NLA_ALIGN(grp->nla_len);
			grp = (const struct nlattr *)((const char *)grp +
						      NLA_ALIGN(grp->nla_len));
		}
	}
	result_free(&r);
	return err;
}

static int link_add(const char *name, const char *kind)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct msg m;
	int fd, err;

	fd = nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	msg_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	put_str(&m, IFLA_IFNAME, name);
	nest_start(&m, IFLA_LINKINFO);
	put_str(&m, IFLA_INFO_KIND, kind);
	nest_end(&m);
	err = nl_simple(fd, &m);
	close(fd);
	return err;
}

static int link_del(int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct msg m;
	int fd, err;

	fd = nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	msg_init(&m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
	err = nl_simple(fd, &m);
	close(fd);
	return err;
}

/* ------------------------------------------------------------------ */
/* pktrelay device messages                                            */
/* ------------------------------------------------------------------ */

struct cfg {
	__u8 up_type;
	__u32 udp_timeout;
	__u32 dns_timeout;
	__u8 refresh;
	__u32 max_assocs;
	__u32 max_per_src;
	__u32 fwmark;
	__u8 dns;
	__u8 icmp_echo;
	__u32 echo_rate;
	__u32 echo_burst;
};

static const struct cfg defaults = {
	.up_type = PKTRELAY_UPSTREAM_NONE,
	.udp_timeout = PKTRELAY_UDP_TIMEOUT_DEFAULT,
	.dns_timeout = PKTRELAY_DNS_TIMEOUT_DEFAULT,
	.refresh = PKTRELAY_REFRESH_OUTBOUND,
	.max_assocs = PKTRELAY_MAX_ASSOCS_DEFAULT,
	.max_per_src = 0,
	.fwmark = 0,
	.dns = PKTRELAY_DNS_RELAY,
	.icmp_echo = PKTRELAY_ICMP_ECHO_REPLY,
	.echo_rate = PKTRELAY_ECHO_RATE_DEFAULT,
	.echo_burst = PKTRELAY_ECHO_BURST_DEFAULT,
};

struct dev {
	__u8 cmd;
	__u32 ifindex;
	char ifname[IFNAMSIZ + 8];
	struct cfg c;
	bool has_up_password;
	bool has_features;
	__u32 features;
	bool has_stats;
	bool has_stat[PKTRELAY_A_STATS_MAX + 1];
	__u64 stat[PKTRELAY_A_STATS_MAX + 1];
};

/* Parses a device message strictly; on error @why says what was wrong. */
static int parse_dev(const struct nlmsghdr *h, __u16 family, struct dev *d,
		     char *why, size_t whylen)
{
	static const struct {
		int type;
		int len;
	} fixed[] = {
		{ PKTRELAY_A_DEV_IFINDEX, 4 },
		{ PKTRELAY_A_DEV_UDP_TIMEOUT, 4 },
		{ PKTRELAY_A_DEV_DNS_TIMEOUT, 4 },
		{ PKTRELAY_A_DEV_REFRESH, 1 },
		{ PKTRELAY_A_DEV_MAX_ASSOCS, 4 },
		{ PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, 4 },
		{ PKTRELAY_A_DEV_FWMARK, 4 },
		{ PKTRELAY_A_DEV_DNS, 1 },
		{ PKTRELAY_A_DEV_ICMP_ECHO, 1 },
		{ PKTRELAY_A_DEV_ECHO_RATE, 4 },
		{ PKTRELAY_A_DEV_ECHO_BURST, 4 },
		{ PKTRELAY_A_DEV_FEATURES, 4 },
	};
	const struct nlattr *tb[PKTRELAY_A_DEV_MAX + 1];
	const struct nlattr *ut[PKTRELAY_A_UPSTREAM_MAX + 1];
	const struct nlattr *st[PKTRELAY_A_STATS_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA(h);
	size_t i;
	int n;

	memset(d, 0, sizeof(*d));
#define WHY(...) do { snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)
	if (h->nlmsg_type != family)
		WHY("nlmsg_type %u is not the family id %u", h->nlmsg_type,
		    family);
	if (h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		WHY("short message");
	d->cmd = g->cmd;
	if (genl_payload(h, tb, PKTRELAY_A_DEV_MAX))
		WHY("malformed or duplicate attributes");
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		const struct nlattr *a = tb[fixed[i].type];

		if (!a)
			WHY("attribute %d missing", fixed[i].type);
		if (nla_len_(a) != fixed[i].len)
			WHY("attribute %d has length %d, want %d",
			    fixed[i].type, nla_len_(a), fixed[i].len);
	}
	if (!tb[PKTRELAY_A_DEV_IFNAME])
		WHY("IFNAME missing");
	n = nla_len_(tb[PKTRELAY_A_DEV_IFNAME]);
	if (n < 2 || n > IFNAMSIZ ||
	    ((const char *)nla_data(tb[PKTRELAY_A_DEV_IFNAME]))[n - 1])
		WHY("IFNAME not a NUL-terminated name (len %d)", n);
	memcpy(d->ifname, nla_data(tb[PKTRELAY_A_DEV_IFNAME]), n);

#define U32(t) (*(const __u32 *)nla_data(tb[t]))
#define U8(t) (*(const __u8 *)nla_data(tb[t]))
	d->ifindex = U32(PKTRELAY_A_DEV_IFINDEX);
	d->c.udp_timeout = U32(PKTRELAY_A_DEV_UDP_TIMEOUT);
	d->c.dns_timeout = U32(PKTRELAY_A_DEV_DNS_TIMEOUT);
	d->c.refresh = U8(PKTRELAY_A_DEV_REFRESH);
	d->c.max_assocs = U32(PKTRELAY_A_DEV_MAX_ASSOCS);
	d->c.max_per_src = U32(PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE);
	d->c.fwmark = U32(PKTRELAY_A_DEV_FWMARK);
	d->c.dns = U8(PKTRELAY_A_DEV_DNS);
	d->c.icmp_echo = U8(PKTRELAY_A_DEV_ICMP_ECHO);
	d->c.echo_rate = U32(PKTRELAY_A_DEV_ECHO_RATE);
	d->c.echo_burst = U32(PKTRELAY_A_DEV_ECHO_BURST);
	d->has_features = true;
	d->features = U32(PKTRELAY_A_DEV_FEATURES);
#undef U32
#undef U8

	if (!tb[PKTRELAY_A_DEV_UPSTREAM])
		WHY("UPSTREAM nest missing");
	if (parse_attrs(nla_data(tb[PKTRELAY_A_DEV_UPSTREAM]),
			nla_len_(tb[PKTRELAY_A_DEV_UPSTREAM]), ut,
			PKTRELAY_A_UPSTREAM_MAX))
		WHY("UPSTREAM nest malformed");
	if (!ut[PKTRELAY_A_UPSTREAM_TYPE] ||
	    nla_len_(ut[PKTRELAY_A_UPSTREAM_TYPE]) != 1)
		WHY("UPSTREAM_TYPE missing or not u8");
	d->c.up_type = *(const __u8 *)nla_data(ut[PKTRELAY_A_UPSTREAM_TYPE]);
	d->has_up_password = ut[PKTRELAY_A_UPSTREAM_PASSWORD] != NULL;

	if (!tb[PKTRELAY_A_DEV_STATS])
		WHY("STATS nest missing");
	if (parse_attrs(nla_data(tb[PKTRELAY_A_DEV_STATS]),
			nla_len_(tb[PKTRELAY_A_DEV_STATS]), st,
			PKTRELAY_A_STATS_MAX))
		WHY("STATS nest malformed");
	d->has_stats = true;
	for (n = PKTRELAY_A_STATS_TX_PACKETS; n <= PKTRELAY_A_STATS_MAX; n++) {
		if (!st[n]) {
			/* the counters of the foundation must be there */
			if (n <= PKTRELAY_A_STATS_UNREACH_SENT)
				WHY("stats attribute %d missing", n);
			continue;
		}
		if (nla_len_(st[n]) != 8)
			WHY("stats attribute %d has length %d, want 8", n,
			    nla_len_(st[n]));
		d->has_stat[n] = true;
		memcpy(&d->stat[n], nla_data(st[n]), 8);
	}
#undef WHY
	return 0;
}

static void put_ident(struct msg *m, int ifindex, const char *ifname)
{
	if (ifindex)
		put_u32(m, PKTRELAY_A_DEV_IFINDEX, ifindex);
	if (ifname)
		put_str(m, PKTRELAY_A_DEV_IFNAME, ifname);
}

/* DEV_GET do; returns the netlink error, fills @d on success. */
static int dev_get(int fd, __u16 fam, int ifindex, const char *ifname,
		   struct dev *d)
{
	char why[160];
	struct result r;
	struct msg m;
	int err;

	genl_init(&m, fam, PKTRELAY_CMD_DEV_GET, 0);
	put_ident(&m, ifindex, ifname);
	err = nl_talk(fd, &m, &r);
	if (!err)
		err = r.err;
	if (!err && r.nreplies != 1) {
		fprintf(stderr, "# DEV_GET: %d replies, want 1\n", r.nreplies);
		err = -EPROTO;
	}
	if (!err && parse_dev(r.replies[0].nlh, fam, d, why, sizeof(why))) {
		fprintf(stderr, "# DEV_GET reply: %s\n", why);
		err = -EPROTO;
	}
	if (err && r.has_msg)
		fprintf(stderr, "# DEV_GET: %s (%s)\n", strerror(-err), r.msg);
	result_free(&r);
	return err;
}

static void put_cfg(struct msg *m, const struct cfg *c)
{
	nest_start(m, PKTRELAY_A_DEV_UPSTREAM);
	put_u8(m, PKTRELAY_A_UPSTREAM_TYPE, c->up_type);
	nest_end(m);
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, c->udp_timeout);
	put_u32(m, PKTRELAY_A_DEV_DNS_TIMEOUT, c->dns_timeout);
	put_u8(m, PKTRELAY_A_DEV_REFRESH, c->refresh);
	put_u32(m, PKTRELAY_A_DEV_MAX_ASSOCS, c->max_assocs);
	put_u32(m, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, c->max_per_src);
	put_u32(m, PKTRELAY_A_DEV_FWMARK, c->fwmark);
	put_u8(m, PKTRELAY_A_DEV_DNS, c->dns);
	put_u8(m, PKTRELAY_A_DEV_ICMP_ECHO, c->icmp_echo);
	put_u32(m, PKTRELAY_A_DEV_ECHO_RATE, c->echo_rate);
	put_u32(m, PKTRELAY_A_DEV_ECHO_BURST, c->echo_burst);
}

static int dev_set_cfg(int fd, __u16 fam, int ifindex, const char *ifname,
		       const struct cfg *c)
{
	struct msg m;

	genl_init(&m, fam, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, ifindex, ifname);
	put_cfg(&m, c);
	return nl_simple(fd, &m);
}

#define EXPECT_CFG(d, want) do {						\
	EXPECT_EQ((want)->up_type, (d)->c.up_type);			\
	EXPECT_EQ((want)->udp_timeout, (d)->c.udp_timeout);		\
	EXPECT_EQ((want)->dns_timeout, (d)->c.dns_timeout);		\
	EXPECT_EQ((want)->refresh, (d)->c.refresh);			\
	EXPECT_EQ((want)->max_assocs, (d)->c.max_assocs);		\
	EXPECT_EQ((want)->max_per_src, (d)->c.max_per_src);		\
	EXPECT_EQ((want)->fwmark, (d)->c.fwmark);			\
	EXPECT_EQ((want)->dns, (d)->c.dns);				\
	EXPECT_EQ((want)->icmp_echo, (d)->c.icmp_echo);			\
	EXPECT_EQ((want)->echo_rate, (d)->c.echo_rate);			\
	EXPECT_EQ((want)->echo_burst, (d)->c.echo_burst);		\
} while (0)

/* DEV_GET dump; fills an array of devices (caller frees). */
static int dev_dump(int fd, __u16 fam, struct dev **out, int *n,
		    bool *dump_intr, size_t bufsz, void (*pause)(void *),
		    void *arg)
{
	char why[160];
	struct result r;
	struct msg m;
	int err, i;

	*out = NULL;
	*n = 0;
	genl_init(&m, fam, PKTRELAY_CMD_DEV_GET, NLM_F_DUMP);
	err = nl_talk_ex(fd, &m, &r, bufsz, pause, arg);
	if (!err)
		err = r.err;
	if (!err) {
		*out = calloc(r.nreplies + 1, sizeof(**out));
		for (i = 0; i < r.nreplies; i++) {
			if (parse_dev(r.replies[i].nlh, fam, &(*out)[i], why,
				      sizeof(why))) {
				fprintf(stderr, "# dump message %d: %s\n", i,
					why);
				err = -EPROTO;
				break;
			}
		}
		*n = r.nreplies;
	}
	if (dump_intr)
		*dump_intr = r.dump_intr;
	if (err && r.has_msg)
		fprintf(stderr, "# dump: %s (%s)\n", strerror(-err), r.msg);
	result_free(&r);
	return err;
}

/* ------------------------------------------------------------------ */
/* fixture: fresh netns with relay0                                    */
/* ------------------------------------------------------------------ */

FIXTURE(dev) {
	int fd;
	struct family fam;
	int ifindex;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->fd = nl_open(NETLINK_GENERIC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, resolve_family(self->fd, &self->fam))
		TH_LOG("family '%s' not found: is pktrelay.ko loaded?",
		       PKTRELAY_GENL_NAME);
	ASSERT_EQ(0, link_add("relay0", "pktrelay"));
	self->ifindex = if_nametoindex("relay0");
	ASSERT_LT(0, self->ifindex);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, family)
{
	int fd;

	EXPECT_EQ((__u32)PKTRELAY_GENL_VERSION, self->fam.version);
	EXPECT_NE(0, self->fam.id);
	ASSERT_TRUE(self->fam.has_events)
		TH_LOG("multicast group '%s' missing", PKTRELAY_MCGRP_EVENTS);
	EXPECT_NE(0U, self->fam.events_id);
	/* The group can be joined (as root). */
	fd = nl_open(NETLINK_GENERIC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&self->fam.events_id,
				sizeof(self->fam.events_id)))
		TH_LOG("join events: %m");
	close(fd);
}

TEST_F(dev, get_defaults)
{
	struct dev d;
	int n;

	/* by ifindex */
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_EQ(PKTRELAY_CMD_DEV_GET, d.cmd);
	EXPECT_EQ(self->ifindex, (int)d.ifindex);
	EXPECT_STREQ("relay0", d.ifname);
	EXPECT_CFG(&d, &defaults);
	EXPECT_FALSE(d.has_up_password);
	ASSERT_TRUE(d.has_features);
	/* this module drops unhandled packets with ICMP unreachable */
	EXPECT_TRUE(!!(d.features & PKTRELAY_FEATURE_UNREACH));
	/* only bits the UAPI defines (extend this list with the enum) */
	EXPECT_EQ(0U, d.features & ~(__u32)(PKTRELAY_FEATURE_UNREACH |
					    PKTRELAY_FEATURE_UDP_RELAY |
					    PKTRELAY_FEATURE_DNS_TRUNCATE |
					    PKTRELAY_FEATURE_ICMP_ECHO |
					    PKTRELAY_FEATURE_UPSTREAM_DIRECT |
					    PKTRELAY_FEATURE_UPSTREAM_SOCKS5 |
					    PKTRELAY_FEATURE_CONFIG_RESET))
		TH_LOG("unknown feature bits 0x%x", d.features);
	ASSERT_TRUE(d.has_stats);
	/* a fresh device that is down has passed no packets */
	for (n = PKTRELAY_A_STATS_TX_PACKETS; n <= PKTRELAY_A_STATS_MAX; n++) {
		if (!d.has_stat[n])
			continue;
		EXPECT_EQ(0ULL, d.stat[n]) TH_LOG("stat %d = %llu", n,
						 (unsigned long long)d.stat[n]);
	}

	/* by ifname */
	memset(&d, 0, sizeof(d));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, 0, "relay0", &d));
	EXPECT_EQ(PKTRELAY_CMD_DEV_GET, d.cmd);
	EXPECT_EQ(self->ifindex, (int)d.ifindex);
	EXPECT_STREQ("relay0", d.ifname);
	EXPECT_CFG(&d, &defaults);

	/* by both, naming the same device */
	memset(&d, 0, sizeof(d));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, "relay0",
			     &d));
	EXPECT_EQ(self->ifindex, (int)d.ifindex);
}

TEST_F(dev, dump_exact)
{
	const char *names[] = { "relay0", "relay1", "relay2" };
	bool seen[3] = { false, false, false };
	struct dev *devs;
	int n, i, j;

	ASSERT_EQ(0, link_add("relay1", "pktrelay"));
	ASSERT_EQ(0, link_add("relay2", "pktrelay"));
	/* some other device that must not be listed */
	if (link_add("dum0", "dummy")) {
		ASSERT_EQ(0, link_add("dum0", "veth"));
	}
	ASSERT_LT(0, (int)if_nametoindex("dum0"));

	ASSERT_EQ(0, dev_dump(self->fd, self->fam.id, &devs, &n, NULL,
			      RECV_BUF, NULL, NULL));
	EXPECT_EQ(3, n);
	for (i = 0; i < n; i++) {
		bool known = false;

		EXPECT_EQ(PKTRELAY_CMD_DEV_GET, devs[i].cmd);
		for (j = 0; j < 3; j++) {
			if (strcmp(devs[i].ifname, names[j]))
				continue;
			known = true;
			EXPECT_FALSE(seen[j]) TH_LOG("%s listed twice",
						     names[j]);
			seen[j] = true;
			EXPECT_EQ(if_nametoindex(names[j]), devs[i].ifindex);
		}
		EXPECT_TRUE(known) TH_LOG("unexpected device %s in dump",
					  devs[i].ifname);
		EXPECT_CFG(&devs[i], &defaults);
	}
	for (j = 0; j < 3; j++) {
		EXPECT_TRUE(seen[j]) TH_LOG("%s missing from dump", names[j]);
	}
	free(devs);
}

#define MANY 200

/* A dump that needs several datagrams lists every device exactly once. */
TEST_F_TIMEOUT(dev, dump_many, 900)
{
	static bool seen[MANY];
	char name[IFNAMSIZ];
	struct dev *devs;
	int n, i, k;

	for (i = 1; i < MANY; i++) {
		snprintf(name, sizeof(name), "pr%d", i);
		ASSERT_EQ(0, link_add(name, "pktrelay"));
	}
	ASSERT_EQ(0, dev_dump(self->fd, self->fam.id, &devs, &n, NULL,
			      RECV_BUF, NULL, NULL));
	EXPECT_EQ(MANY, n);
	for (i = 0; i < n; i++) {
		if (!strcmp(devs[i].ifname, "relay0")) {
			k = 0;
		} else {
			ASSERT_EQ(1, sscanf(devs[i].ifname, "pr%d", &k))
				TH_LOG("unexpected %s", devs[i].ifname);
			ASSERT_TRUE(k > 0 && k < MANY);
		}
		EXPECT_FALSE(seen[k]) TH_LOG("%s listed twice", devs[i].ifname);
		seen[k] = true;
	}
	for (k = 0; k < MANY; k++) {
		EXPECT_TRUE(seen[k]) TH_LOG("device #%d missing", k);
	}
	free(devs);
}

struct del_ctx {
	int *ifindex;
	bool *deleted;
	int count;
};

static void delete_some(void *arg)
{
	struct del_ctx *c = arg;
	int i;

	/* delete every third device, early ones included */
	for (i = 0; i < c->count; i += 3) {
		if (!link_del(c->ifindex[i]))
			c->deleted[i] = true;
	}
}

/*
 * Devices deleted while a multi-part dump is in progress: the dump must
 * finish, list no device twice, and list every device that survived — or
 * flag NLM_F_DUMP_INTR so userspace knows to retry.
 */
TEST_F_TIMEOUT(dev, dump_concurrent_delete, 900)
{
	enum { N = 100 };
	static int ifindex[N];
	static bool deleted[N], seen[N];
	struct del_ctx ctx = { ifindex, deleted, N };
	char name[IFNAMSIZ];
	bool intr = false;
	struct dev *devs;
	int n, i, k, fd, missing = 0;

	ifindex[0] = self->ifindex;
	for (i = 1; i < N; i++) {
		snprintf(name, sizeof(name), "pr%d", i);
		ASSERT_EQ(0, link_add(name, "pktrelay"));
		ifindex[i] = if_nametoindex(name);
		ASSERT_LT(0, ifindex[i]);
	}
	/*
	 * A fresh socket read with a small buffer: the kernel sizes dump
	 * datagrams by the largest read so far, so the dump comes in many.
	 */
	fd = nl_open(NETLINK_GENERIC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dev_dump(fd, self->fam.id, &devs, &n, &intr, 8192,
			      delete_some, &ctx));
	close(fd);
	ASSERT_TRUE(deleted[0]);
	for (i = 0; i < n; i++) {
		for (k = 0; k < N; k++)
			if (ifindex[k] == (int)devs[i].ifindex)
				break;
		ASSERT_LT(k, N) TH_LOG("unknown ifindex %u (%s)",
				       devs[i].ifindex, devs[i].ifname);
		EXPECT_FALSE(seen[k]) TH_LOG("ifindex %d listed twice",
					     ifindex[k]);
		seen[k] = true;
	}
	for (k = 0; k < N; k++)
		if (!deleted[k] && !seen[k])
			missing++;
	TH_LOG("dump: %d messages, %d surviving devices missing, DUMP_INTR %d",
	       n, missing, intr);
	EXPECT_TRUE(missing == 0 || intr)
		TH_LOG("%d surviving devices silently skipped by the dump",
		       missing);
	free(devs);
}

TEST_F(dev, set_roundtrip)
{
	const struct cfg a = {
		.up_type = PKTRELAY_UPSTREAM_NONE,
		.udp_timeout = PKTRELAY_TIMEOUT_MAX,
		.dns_timeout = PKTRELAY_TIMEOUT_MIN,
		.refresh = PKTRELAY_REFRESH_BOTH,
		.max_assocs = PKTRELAY_MAX_ASSOCS_MAX,
		.max_per_src = 4,
		.fwmark = 0xdeadbeef,
		.dns = PKTRELAY_DNS_TRUNCATE,
		.icmp_echo = PKTRELAY_ICMP_ECHO_DROP,
		.echo_rate = 0,
		.echo_burst = PKTRELAY_ECHO_BURST_MAX,
	};
	const struct cfg b = {
		.up_type = PKTRELAY_UPSTREAM_NONE,
		.udp_timeout = PKTRELAY_TIMEOUT_MIN,
		.dns_timeout = PKTRELAY_TIMEOUT_MAX,
		.refresh = PKTRELAY_REFRESH_OUTBOUND,
		.max_assocs = 1,
		.max_per_src = 1,
		.fwmark = 0x10,
		.dns = PKTRELAY_DNS_RELAY,
		.icmp_echo = PKTRELAY_ICMP_ECHO_REPLY,
		.echo_rate = 50,
		.echo_burst = 1,
	};
	struct cfg want;
	struct dev d;
	struct msg m;
	int other;

	ASSERT_EQ(0, link_add("relay1", "pktrelay"));
	other = if_nametoindex("relay1");

	ASSERT_EQ(0, dev_set_cfg(self->fd, self->fam.id, self->ifindex, NULL,
				 &a));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &a);

	/* per device: relay1 kept its defaults */
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, other, NULL, &d));
	EXPECT_CFG(&d, &defaults);

	/* by name, the other extreme */
	ASSERT_EQ(0, dev_set_cfg(self->fd, self->fam.id, 0, "relay0", &b));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, 0, "relay0", &d));
	EXPECT_CFG(&d, &b);

	/* a partial set changes only what it names */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, "relay0");
	put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 33);
	put_u8(&m, PKTRELAY_A_DEV_ICMP_ECHO, PKTRELAY_ICMP_ECHO_DROP);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	want = b;
	want.udp_timeout = 33;
	want.icmp_echo = PKTRELAY_ICMP_ECHO_DROP;
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &want);

	/* a set with identification only is a no-op that succeeds */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &want);

	/* back to the defaults */
	ASSERT_EQ(0, dev_set_cfg(self->fd, self->fam.id, self->ifindex, NULL,
				 &defaults));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &defaults);
}

static void put_socks5(struct msg *m)
{
	__u32 a4 = htonl(0xc0000201);	/* 192.0.2.1 */

	nest_start(m, PKTRELAY_A_DEV_UPSTREAM);
	put_u8(m, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_SOCKS5);
	put(m, PKTRELAY_A_UPSTREAM_ADDR4, &a4, 4);
	put_u16(m, PKTRELAY_A_UPSTREAM_PORT, htons(1080));
	put_str(m, PKTRELAY_A_UPSTREAM_USERNAME, "alice");
	put(m, PKTRELAY_A_UPSTREAM_PASSWORD, "secret", 6);
	nest_end(m);
}

/* @c (whose up_type is ignored), then a socks5 upstream. */
static int dev_set_cfg_socks5(int fd, __u16 fam, int ifindex,
			      const struct cfg *c)
{
	struct cfg none = *c;
	struct msg m;
	int err;

	none.up_type = PKTRELAY_UPSTREAM_NONE;
	err = dev_set_cfg(fd, fam, ifindex, NULL, &none);
	if (err)
		return err;
	genl_init(&m, fam, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, ifindex, NULL);
	put_socks5(&m);
	return nl_simple(fd, &m);
}

/*
 * RESET (relayctl setconf): the request starts from the defaults, so what
 * it leaves out, the upstream included, goes back to its default; and a
 * rejected RESET request changes nothing either.
 */
TEST_F(dev, set_reset)
{
	const struct cfg a = {
		.up_type = PKTRELAY_UPSTREAM_SOCKS5,
		.udp_timeout = 30,
		.dns_timeout = 5,
		.refresh = PKTRELAY_REFRESH_BOTH,
		.max_assocs = 100,
		.max_per_src = 4,
		.fwmark = 0x10,
		.dns = PKTRELAY_DNS_TRUNCATE,
		.icmp_echo = PKTRELAY_ICMP_ECHO_DROP,
		.echo_rate = 50,
		.echo_burst = 10,
	};
	struct cfg want;
	struct result r;
	struct dev d;
	struct msg m;

	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	if (!(d.features & PKTRELAY_FEATURE_CONFIG_RESET))
		SKIP(return, "module without PKTRELAY_FEATURE_CONFIG_RESET");

	/* every key away from its default, socks5 with credentials */
	ASSERT_EQ(0, dev_set_cfg_socks5(self->fd, self->fam.id, self->ifindex,
					&a));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &a);

	/* RESET with one key: that key, and the defaults for the rest */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 33);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	want = defaults;
	want.udp_timeout = 33;
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &want);

	/* a rejected RESET request leaves the whole old configuration */
	ASSERT_EQ(0, dev_set_cfg_socks5(self->fd, self->fam.id, self->ifindex,
					&a));
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	put_u32(&m, PKTRELAY_A_DEV_DNS_TIMEOUT, 7);
	put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 0);
	ASSERT_EQ(0, nl_talk(self->fd, &m, &r));
	EXPECT_NE(0, r.err);
	EXPECT_TRUE(r.has_msg && r.msg[0]) TH_LOG("no extack message");
	result_free(&r);
	/* the cross-key rule is checked on the reset configuration */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	put_u32(&m, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE,
		PKTRELAY_MAX_ASSOCS_DEFAULT + 1);
	ASSERT_EQ(0, nl_talk(self->fd, &m, &r));
	EXPECT_EQ(-EINVAL, r.err);
	result_free(&r);
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &a);

	/* RESET alone: a new device's configuration */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &defaults);

	/* RESET with a new upstream and the credentials */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	put_socks5(&m);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	want = defaults;
	want.up_type = PKTRELAY_UPSTREAM_SOCKS5;
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &want);
	EXPECT_FALSE(d.has_up_password);

	/* other commands ignore the flag */
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_GET, 0);
	put_ident(&m, self->ifindex, NULL);
	put(&m, PKTRELAY_A_DEV_RESET, NULL, 0);
	ASSERT_EQ(0, nl_talk(self->fd, &m, &r));
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(1, r.nreplies);
	result_free(&r);
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &want);
}

/* Devices are looked up in the netns of the requesting socket. */
TEST_F(dev, netns_isolation)
{
	struct dev d, *devs;
	struct family f2;
	int fd2, n;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	fd2 = nl_open(NETLINK_GENERIC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, resolve_family(fd2, &f2));
	EXPECT_EQ(self->fam.id, f2.id);
	/* the new netns has no relay0, not even under its ifindex */
	EXPECT_EQ(-ENODEV, dev_get(fd2, f2.id, 0, "relay0", &d));
	EXPECT_EQ(-ENODEV, dev_get(fd2, f2.id, self->ifindex, NULL, &d));
	ASSERT_EQ(0, dev_dump(fd2, f2.id, &devs, &n, NULL, RECV_BUF, NULL,
			      NULL));
	EXPECT_EQ(0, n);
	free(devs);
	/* a device of the same name here is a different device */
	ASSERT_EQ(0, link_add("relay0", "pktrelay"));
	ASSERT_EQ(0, dev_get(fd2, f2.id, 0, "relay0", &d));
	EXPECT_EQ(if_nametoindex("relay0"), d.ifindex);
	close(fd2);
	/* the old socket still talks to the first netns */
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, 0, "relay0", &d));
	EXPECT_EQ(self->ifindex, (int)d.ifindex);
}

static int drop_privileges(void)
{
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) ||
	    setgroups(0, NULL) ||
	    setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	return 0;
}

/* CAP_NET_ADMIN is needed for DEV_GET (do and dump) and DEV_SET. */
TEST_F(dev, unprivileged_eperm)
{
	struct dev d;
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct family f;
		struct dev *devs;
		struct msg m;
		int fd, n, rc = 0, e;

		if (drop_privileges()) {
			perror("drop privileges");
			_exit(100);
		}
		fd = nl_open(NETLINK_GENERIC);
		if (fd < 0 || resolve_family(fd, &f)) {
			fprintf(stderr, "# unprivileged: cannot resolve family\n");
			_exit(101);
		}
		e = dev_get(fd, f.id, 0, "relay0", &d);
		if (e != -EPERM) {
			fprintf(stderr, "# unprivileged DEV_GET: %d, want -EPERM\n", e);
			rc |= 1;
		}
		e = dev_dump(fd, f.id, &devs, &n, NULL, RECV_BUF, NULL, NULL);
		if (e != -EPERM) {
			fprintf(stderr, "# unprivileged dump: %d (%d devices), want -EPERM\n",
				e, n);
			rc |= 2;
		}
		genl_init(&m, f.id, PKTRELAY_CMD_DEV_SET, 0);
		put_ident(&m, 0, "relay0");
		put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
		e = nl_simple(fd, &m);
		if (e != -EPERM) {
			fprintf(stderr, "# unprivileged DEV_SET: %d, want -EPERM\n", e);
			rc |= 4;
		}
		_exit(rc);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* nothing changed */
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &defaults);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user namespace owning the netns
 * is enough, so an unprivileged user's own user+net namespace works.
 */
TEST_F(dev, userns_owner_allowed)
{
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct family f;
		struct dev d, *devs;
		struct msg m;
		int fd, n, e, rc = 0;

		if (drop_privileges())
			_exit(100);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
			fprintf(stderr, "# unshare(NEWUSER|NEWNET): %m\n");
			_exit(99); /* skip */
		}
		if (write_file("/proc/self/setgroups", "deny") ||
		    write_file("/proc/self/uid_map", "0 65534 1") ||
		    write_file("/proc/self/gid_map", "0 65534 1"))
			fprintf(stderr, "# (no uid/gid map: %m)\n");
		fd = nl_open(NETLINK_GENERIC);
		if (fd < 0 || resolve_family(fd, &f))
			_exit(101);
		e = dev_dump(fd, f.id, &devs, &n, NULL, RECV_BUF, NULL, NULL);
		if (e || n != 0) {
			fprintf(stderr, "# dump in own userns: %d (%d devices), want 0 (0)\n",
				e, n);
			rc |= 1;
		}
		e = link_add("relay0", "pktrelay");
		if (e) {
			fprintf(stderr, "# note: creating a pktrelay device in a user-owned netns: %s\n",
				strerror(-e));
			_exit(rc);
		}
		e = dev_get(fd, f.id, 0, "relay0", &d);
		if (e) {
			fprintf(stderr, "# DEV_GET in own userns: %d\n", e);
			rc |= 2;
		}
		genl_init(&m, f.id, PKTRELAY_CMD_DEV_SET, 0);
		put_ident(&m, 0, "relay0");
		put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 31);
		e = nl_simple(fd, &m);
		if (e) {
			fprintf(stderr, "# DEV_SET in own userns: %d\n", e);
			rc |= 4;
		}
		if (!dev_get(fd, f.id, 0, "relay0", &d) &&
		    d.c.udp_timeout != 31) {
			fprintf(stderr, "# udp_timeout %u after set, want 31\n",
				d.c.udp_timeout);
			rc |= 8;
		}
		_exit(rc);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 99)
		SKIP(return, "cannot create a user namespace here (chroot, or unprivileged user namespaces disabled)");
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ------------------------------------------------------------------ */
/* rejections                                                          */
/* ------------------------------------------------------------------ */

struct ctx {
	int ifindex;	/* relay0 */
	int ifindex1;	/* relay1 */
};

/* Where NLMSGERR_ATTR_OFFS must point (any of off[]), or a MISS_TYPE. */
struct want {
	int off[2];
	int noff;
	int miss_type;	/* accepted instead of OFFS if > 0 */
};

typedef void (*build_fn)(struct msg *m, const struct ctx *c, struct want *w);

FIXTURE(reject) {
	int fd;
	struct family fam;
	struct ctx c;
};

FIXTURE_VARIANT(reject) {
	__u8 cmd;
	build_fn build;
	int err[4];		/* accepted errnos (positive), 0-terminated */
	bool need_offs;		/* OFFS (or MISS_TYPE) required */
	__u32 skip_if_feature;	/* not a rejection once this is implemented */
};

FIXTURE_SETUP(reject)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->fd = nl_open(NETLINK_GENERIC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, resolve_family(self->fd, &self->fam))
		TH_LOG("family '%s' not found", PKTRELAY_GENL_NAME);
	ASSERT_EQ(0, link_add("relay0", "pktrelay"));
	ASSERT_EQ(0, link_add("relay1", "pktrelay"));
	self->c.ifindex = if_nametoindex("relay0");
	self->c.ifindex1 = if_nametoindex("relay1");
	ASSERT_LT(0, self->c.ifindex);
	ASSERT_LT(0, self->c.ifindex1);
}

FIXTURE_TEARDOWN(reject)
{
	close(self->fd);
}

static void want_at(struct want *w, int off)
{
	w->off[w->noff++] = off;
}

/* good attribute, then the bad one (added by caller), then another good */
static void pre(struct msg *m, const struct ctx *c)
{
	put_u32(m, PKTRELAY_A_DEV_IFINDEX, c->ifindex);
	put_u32(m, PKTRELAY_A_DEV_FWMARK, 0x77);
	put_u8(m, PKTRELAY_A_DEV_DNS, PKTRELAY_DNS_TRUNCATE);
}

static void post(struct msg *m)
{
	put_u32(m, PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, 7);
	put_u32(m, PKTRELAY_A_DEV_ECHO_RATE, 77);
}

#define BAD_U32(fn, attr, val)						\
static void fn(struct msg *m, const struct ctx *c, struct want *w)	\
{									\
	pre(m, c);							\
	want_at(w, put_u32(m, attr, val));				\
	post(m);							\
}
#define BAD_U8(fn, attr, val)						\
static void fn(struct msg *m, const struct ctx *c, struct want *w)	\
{									\
	pre(m, c);							\
	want_at(w, put_u8(m, attr, val));				\
	post(m);							\
}

BAD_U32(b_udp_timeout_0, PKTRELAY_A_DEV_UDP_TIMEOUT, 0)
BAD_U32(b_udp_timeout_86401, PKTRELAY_A_DEV_UDP_TIMEOUT, PKTRELAY_TIMEOUT_MAX + 1)
BAD_U32(b_dns_timeout_0, PKTRELAY_A_DEV_DNS_TIMEOUT, 0)
BAD_U32(b_dns_timeout_86401, PKTRELAY_A_DEV_DNS_TIMEOUT, PKTRELAY_TIMEOUT_MAX + 1)
BAD_U8(b_refresh_0, PKTRELAY_A_DEV_REFRESH, 0)
BAD_U8(b_refresh_3, PKTRELAY_A_DEV_REFRESH, 3)
BAD_U8(b_dns_0, PKTRELAY_A_DEV_DNS, 0)
BAD_U8(b_dns_3, PKTRELAY_A_DEV_DNS, 3)
BAD_U8(b_icmp_echo_0, PKTRELAY_A_DEV_ICMP_ECHO, 0)
BAD_U8(b_icmp_echo_3, PKTRELAY_A_DEV_ICMP_ECHO, 3)
BAD_U32(b_max_assocs_0, PKTRELAY_A_DEV_MAX_ASSOCS, 0)
BAD_U32(b_max_assocs_big, PKTRELAY_A_DEV_MAX_ASSOCS, PKTRELAY_MAX_ASSOCS_MAX + 1)
BAD_U32(b_echo_burst_0, PKTRELAY_A_DEV_ECHO_BURST, 0)
BAD_U32(b_echo_burst_big, PKTRELAY_A_DEV_ECHO_BURST, PKTRELAY_ECHO_BURST_MAX + 1)
/* read-only attributes */
BAD_U32(b_features, PKTRELAY_A_DEV_FEATURES, PKTRELAY_FEATURE_UNREACH)
BAD_U32(b_assocs, PKTRELAY_A_DEV_ASSOCS, 1)
/* wrong lengths: u8 where u32 is expected and the other way round */
BAD_U8(b_udp_timeout_u8, PKTRELAY_A_DEV_UDP_TIMEOUT, 30)
BAD_U32(b_refresh_u32, PKTRELAY_A_DEV_REFRESH, PKTRELAY_REFRESH_BOTH)
/* an attribute type the contract does not know */
BAD_U32(b_unknown_attr, 200, 1)

static void b_udp_timeout_u64(struct msg *m, const struct ctx *c,
			      struct want *w)
{
	pre(m, c);
	want_at(w, put_u64(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30));
	post(m);
}

static void b_stats(struct msg *m, const struct ctx *c, struct want *w)
{
	int off;

	pre(m, c);
	off = nest_start(m, PKTRELAY_A_DEV_STATS);
	put_u64(m, PKTRELAY_A_STATS_TX_PACKETS, 1);
	nest_end(m);
	want_at(w, off);
	post(m);
}

static void b_assoc(struct msg *m, const struct ctx *c, struct want *w)
{
	int off;

	pre(m, c);
	off = nest_start(m, PKTRELAY_A_DEV_ASSOC);
	put_u32(m, PKTRELAY_A_ASSOC_ID, 1);
	nest_end(m);
	want_at(w, off);
	post(m);
}

static void b_upstream_no_type(struct msg *m, const struct ctx *c,
			       struct want *w)
{
	int off;

	pre(m, c);
	off = nest_start(m, PKTRELAY_A_DEV_UPSTREAM);
	put_u16(m, PKTRELAY_A_UPSTREAM_PORT, htons(1080));
	nest_end(m);
	want_at(w, off);
	w->miss_type = PKTRELAY_A_UPSTREAM_TYPE;
	post(m);
}

static void upstream_type(struct msg *m, const struct ctx *c, struct want *w,
			  __u8 type, bool addr)
{
	int off;

	pre(m, c);
	off = nest_start(m, PKTRELAY_A_DEV_UPSTREAM);
	want_at(w, off);
	want_at(w, put_u8(m, PKTRELAY_A_UPSTREAM_TYPE, type));
	if (addr) {
		__u32 a4 = htonl(0x7f000001);

		put(m, PKTRELAY_A_UPSTREAM_ADDR4, &a4, 4);
		put_u16(m, PKTRELAY_A_UPSTREAM_PORT, htons(1080));
	}
	nest_end(m);
	post(m);
}

static void b_upstream_99(struct msg *m, const struct ctx *c, struct want *w)
{
	upstream_type(m, c, w, 99, false);
}

static void b_upstream_0(struct msg *m, const struct ctx *c, struct want *w)
{
	upstream_type(m, c, w, PKTRELAY_UPSTREAM_UNSPEC, false);
}

static void b_upstream_direct(struct msg *m, const struct ctx *c,
			      struct want *w)
{
	/* DIRECT takes no other attribute */
	upstream_type(m, c, w, PKTRELAY_UPSTREAM_DIRECT, false);
}

static void b_upstream_socks5(struct msg *m, const struct ctx *c,
			      struct want *w)
{
	upstream_type(m, c, w, PKTRELAY_UPSTREAM_SOCKS5, true);
}

/* NONE and DIRECT take no other attribute */
static void upstream_with_addr(struct msg *m, const struct ctx *c,
			       struct want *w, __u8 type)
{
	__u32 a4 = htonl(0x7f000001);
	int off;

	pre(m, c);
	off = nest_start(m, PKTRELAY_A_DEV_UPSTREAM);
	want_at(w, off);
	put_u8(m, PKTRELAY_A_UPSTREAM_TYPE, type);
	want_at(w, put(m, PKTRELAY_A_UPSTREAM_ADDR4, &a4, 4));
	nest_end(m);
	post(m);
}

static void b_upstream_none_addr(struct msg *m, const struct ctx *c,
				 struct want *w)
{
	upstream_with_addr(m, c, w, PKTRELAY_UPSTREAM_NONE);
}

static void b_upstream_direct_addr(struct msg *m, const struct ctx *c,
				   struct want *w)
{
	upstream_with_addr(m, c, w, PKTRELAY_UPSTREAM_DIRECT);
}

static void b_upstream_no_nested_flag(struct msg *m, const struct ctx *c,
				      struct want *w)
{
	int off;

	pre(m, c);
	off = nest_start_flags(m, PKTRELAY_A_DEV_UPSTREAM, 0);
	put_u8(m, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_NONE);
	nest_end(m);
	want_at(w, off);
	post(m);
}

/* RESET is a flag: a payload is refused, as is a bad value beside it */
static void b_reset_payload(struct msg *m, const struct ctx *c, struct want *w)
{
	pre(m, c);
	want_at(w, put_u32(m, PKTRELAY_A_DEV_RESET, 1));
	post(m);
}

static void b_reset_bad_value(struct msg *m, const struct ctx *c,
			      struct want *w)
{
	put(m, PKTRELAY_A_DEV_RESET, NULL, 0);
	pre(m, c);
	want_at(w, put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 0));
	post(m);
}

static void b_no_ident(struct msg *m, const struct ctx *c, struct want *w)
{
	(void)c;
	(void)w;
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_unknown_ifindex(struct msg *m, const struct ctx *c,
			      struct want *w)
{
	(void)c;
	want_at(w, put_u32(m, PKTRELAY_A_DEV_IFINDEX, 999999));
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_unknown_ifname(struct msg *m, const struct ctx *c,
			     struct want *w)
{
	(void)c;
	want_at(w, put_str(m, PKTRELAY_A_DEV_IFNAME, "nosuchdev0"));
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_ifname_lo(struct msg *m, const struct ctx *c, struct want *w)
{
	(void)c;
	want_at(w, put_str(m, PKTRELAY_A_DEV_IFNAME, "lo"));
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_ifindex_lo(struct msg *m, const struct ctx *c, struct want *w)
{
	(void)c;
	want_at(w, put_u32(m, PKTRELAY_A_DEV_IFINDEX, 1));
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_mismatch(struct msg *m, const struct ctx *c, struct want *w)
{
	int a = put_u32(m, PKTRELAY_A_DEV_IFINDEX, c->ifindex);
	int b = put_str(m, PKTRELAY_A_DEV_IFNAME, "relay1");

	want_at(w, a);
	want_at(w, b);
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_ifname_long(struct msg *m, const struct ctx *c, struct want *w)
{
	(void)c;
	want_at(w, put_str(m, PKTRELAY_A_DEV_IFNAME,
			   "relay0relay0relay0relay0relay0"));
	put_u32(m, PKTRELAY_A_DEV_UDP_TIMEOUT, 30);
}

static void b_ifindex_u8(struct msg *m, const struct ctx *c, struct want *w)
{
	want_at(w, put_u8(m, PKTRELAY_A_DEV_IFINDEX, c->ifindex));
}

#define SET PKTRELAY_CMD_DEV_SET
#define GET PKTRELAY_CMD_DEV_GET
#define RANGE { EINVAL, ERANGE }

FIXTURE_VARIANT_ADD(reject, set_udp_timeout_0) {
	.cmd = SET, .build = b_udp_timeout_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_udp_timeout_86401) {
	.cmd = SET, .build = b_udp_timeout_86401,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_dns_timeout_0) {
	.cmd = SET, .build = b_dns_timeout_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_dns_timeout_86401) {
	.cmd = SET, .build = b_dns_timeout_86401,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_refresh_0) {
	.cmd = SET, .build = b_refresh_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_refresh_3) {
	.cmd = SET, .build = b_refresh_3,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_dns_0) {
	.cmd = SET, .build = b_dns_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_dns_3) {
	.cmd = SET, .build = b_dns_3,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_icmp_echo_0) {
	.cmd = SET, .build = b_icmp_echo_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_icmp_echo_3) {
	.cmd = SET, .build = b_icmp_echo_3,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_max_assocs_0) {
	.cmd = SET, .build = b_max_assocs_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_max_assocs_too_big) {
	.cmd = SET, .build = b_max_assocs_big,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_echo_burst_0) {
	.cmd = SET, .build = b_echo_burst_0,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_echo_burst_too_big) {
	.cmd = SET, .build = b_echo_burst_big,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_without_type) {
	.cmd = SET, .build = b_upstream_no_type,
	.err = { EINVAL }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_type_99) {
	.cmd = SET, .build = b_upstream_99,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_type_unspec) {
	.cmd = SET, .build = b_upstream_0,
	.err = RANGE, .need_offs = true,
};
/* until the module implements them (FEATURES tells) */
FIXTURE_VARIANT_ADD(reject, set_upstream_direct) {
	.cmd = SET, .build = b_upstream_direct,
	.err = { EOPNOTSUPP }, .need_offs = true,
	.skip_if_feature = PKTRELAY_FEATURE_UPSTREAM_DIRECT,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_socks5) {
	.cmd = SET, .build = b_upstream_socks5,
	.err = { EOPNOTSUPP }, .need_offs = true,
	.skip_if_feature = PKTRELAY_FEATURE_UPSTREAM_SOCKS5,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_none_with_addr) {
	.cmd = SET, .build = b_upstream_none_addr,
	.err = { EINVAL }, .need_offs = true,
};
/* refused as unimplemented, or for the address: either way nothing changes */
FIXTURE_VARIANT_ADD(reject, set_upstream_direct_with_addr) {
	.cmd = SET, .build = b_upstream_direct_addr,
	.err = { EINVAL, EOPNOTSUPP }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_upstream_without_nla_f_nested) {
	.cmd = SET, .build = b_upstream_no_nested_flag,
	.err = { EINVAL }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_features_readonly) {
	.cmd = SET, .build = b_features,
	.err = { EINVAL, EOPNOTSUPP }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_stats_readonly) {
	.cmd = SET, .build = b_stats,
	.err = { EINVAL, EOPNOTSUPP }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_assocs_readonly) {
	.cmd = SET, .build = b_assocs,
	.err = { EINVAL, EOPNOTSUPP }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_assoc_readonly) {
	.cmd = SET, .build = b_assoc,
	.err = { EINVAL, EOPNOTSUPP }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_udp_timeout_as_u8) {
	.cmd = SET, .build = b_udp_timeout_u8,
	.err = { EINVAL }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_udp_timeout_as_u64) {
	.cmd = SET, .build = b_udp_timeout_u64,
	.err = { EINVAL }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_refresh_as_u32) {
	.cmd = SET, .build = b_refresh_u32,
	.err = { EINVAL }, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_unknown_attr) {
	.cmd = SET, .build = b_unknown_attr,
	.err = { EINVAL }, .need_offs = true,
};
/* 6.1 says ERANGE ("Attribute failed policy validation") for a flag's payload */
FIXTURE_VARIANT_ADD(reject, set_reset_with_payload) {
	.cmd = SET, .build = b_reset_payload,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_reset_with_bad_value) {
	.cmd = SET, .build = b_reset_bad_value,
	.err = RANGE, .need_offs = true,
};
FIXTURE_VARIANT_ADD(reject, set_no_ident) {
	.cmd = SET, .build = b_no_ident,
	.err = { EINVAL }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_unknown_ifindex) {
	.cmd = SET, .build = b_unknown_ifindex,
	.err = { ENODEV }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_unknown_ifname) {
	.cmd = SET, .build = b_unknown_ifname,
	.err = { ENODEV }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_ifname_lo) {
	.cmd = SET, .build = b_ifname_lo,
	.err = { ENODEV, EOPNOTSUPP }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_ifindex_lo) {
	.cmd = SET, .build = b_ifindex_lo,
	.err = { ENODEV, EOPNOTSUPP }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_ifindex_ifname_mismatch) {
	.cmd = SET, .build = b_mismatch,
	.err = { EINVAL }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, set_ifname_too_long) {
	.cmd = SET, .build = b_ifname_long,
	.err = { EINVAL, ERANGE, ENODEV }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_no_ident) {
	.cmd = GET, .build = b_no_ident,
	.err = { EINVAL }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_unknown_ifindex) {
	.cmd = GET, .build = b_unknown_ifindex,
	.err = { ENODEV }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_unknown_ifname) {
	.cmd = GET, .build = b_unknown_ifname,
	.err = { ENODEV }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_ifname_lo) {
	.cmd = GET, .build = b_ifname_lo,
	.err = { ENODEV, EOPNOTSUPP }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_ifindex_lo) {
	.cmd = GET, .build = b_ifindex_lo,
	.err = { ENODEV, EOPNOTSUPP }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_ifindex_ifname_mismatch) {
	.cmd = GET, .build = b_mismatch,
	.err = { EINVAL }, .need_offs = false,
};
FIXTURE_VARIANT_ADD(reject, get_ifindex_as_u8) {
	.cmd = GET, .build = b_ifindex_u8,
	.err = { EINVAL }, .need_offs = true,
};

TEST_F(reject, rejected_with_extack_and_nothing_changes)
{
	struct want w = { .noff = 0 };
	bool errno_ok = false, offs_ok = false;
	struct result r;
	struct dev d;
	struct msg m;
	int i;

	if (variant->skip_if_feature) {
		ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->c.ifindex,
				     NULL, &d));
		if (d.features & variant->skip_if_feature)
			SKIP(return, "feature 0x%x implemented now",
			     variant->skip_if_feature);
	}
	genl_init(&m, self->fam.id, variant->cmd, 0);
	variant->build(&m, &self->c, &w);
	ASSERT_EQ(0, nl_talk(self->fd, &m, &r));
	ASSERT_TRUE(r.got_ack);
	TH_LOG("reply: err %d (%s) msg \"%s\" offs %s%u miss_type %s%u",
	       r.err, strerror(-r.err), r.has_msg ? r.msg : "(none)",
	       r.has_offs ? "" : "none/", r.offs,
	       r.has_miss_type ? "" : "none/", r.miss_type);
	EXPECT_EQ(0, r.nreplies);
	ASSERT_NE(0, r.err) TH_LOG("request was accepted");
	for (i = 0; i < 4 && variant->err[i]; i++)
		if (r.err == -variant->err[i])
			errno_ok = true;
	EXPECT_TRUE(errno_ok) TH_LOG("errno %d (%s) not expected (want %s%s%s)",
				     -r.err, strerror(-r.err),
				     strerror(variant->err[0]),
				     variant->err[1] ? " or " : "",
				     variant->err[1] ? strerror(variant->err[1]) : "");
	EXPECT_TRUE(r.has_msg && r.msg[0]) TH_LOG("no extack message");
	if (variant->need_offs) {
		for (i = 0; i < w.noff; i++)
			if (r.has_offs && r.offs == (__u32)w.off[i])
				offs_ok = true;
		if (w.miss_type && r.has_miss_type &&
		    r.miss_type == (__u32)w.miss_type)
			offs_ok = true;
		EXPECT_TRUE(offs_ok)
			TH_LOG("NLMSGERR_ATTR_OFFS %s%u does not point at the bad attribute (offset %d%s%d)",
			       r.has_offs ? "" : "missing/", r.offs, w.off[0],
			       w.noff > 1 ? " or " : "",
			       w.noff > 1 ? w.off[1] : 0);
	} else if (r.has_offs && w.noff) {
		/* optional, but if given it must be one of the candidates */
		for (i = 0; i < w.noff; i++)
			if (r.offs == (__u32)w.off[i])
				offs_ok = true;
		EXPECT_TRUE(offs_ok) TH_LOG("OFFS %u points elsewhere", r.offs);
	} else if (r.has_offs) {
		EXPECT_LT(r.offs, m.u.nlh.nlmsg_len);
	}
	result_free(&r);

	/* a rejected request changes nothing, on either device */
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->c.ifindex, NULL, &d));
	EXPECT_CFG(&d, &defaults);
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->c.ifindex1, NULL, &d));
	EXPECT_CFG(&d, &defaults);
}

/* Values at the edges of every range are accepted. */
TEST_F(dev, set_edges_accepted)
{
	static const struct {
		int attr;
		int len;
		__u32 val;
	} ok[] = {
		{ PKTRELAY_A_DEV_UDP_TIMEOUT, 4, PKTRELAY_TIMEOUT_MIN },
		{ PKTRELAY_A_DEV_UDP_TIMEOUT, 4, PKTRELAY_TIMEOUT_MAX },
		{ PKTRELAY_A_DEV_DNS_TIMEOUT, 4, PKTRELAY_TIMEOUT_MIN },
		{ PKTRELAY_A_DEV_DNS_TIMEOUT, 4, PKTRELAY_TIMEOUT_MAX },
		{ PKTRELAY_A_DEV_MAX_ASSOCS, 4, 1 },
		{ PKTRELAY_A_DEV_MAX_ASSOCS, 4, PKTRELAY_MAX_ASSOCS_MAX },
		{ PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, 4, 0 },
		/* (max-assocs is at its maximum here) */
		{ PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE, 4, PKTRELAY_MAX_ASSOCS_MAX },
		{ PKTRELAY_A_DEV_FWMARK, 4, 0xffffffff },
		{ PKTRELAY_A_DEV_ECHO_RATE, 4, 0 },
		{ PKTRELAY_A_DEV_ECHO_RATE, 4, 0xffffffff },
		{ PKTRELAY_A_DEV_ECHO_BURST, 4, 1 },
		{ PKTRELAY_A_DEV_ECHO_BURST, 4, PKTRELAY_ECHO_BURST_MAX },
		{ PKTRELAY_A_DEV_REFRESH, 1, PKTRELAY_REFRESH_MAX },
		{ PKTRELAY_A_DEV_DNS, 1, PKTRELAY_DNS_MAX },
		{ PKTRELAY_A_DEV_ICMP_ECHO, 1, PKTRELAY_ICMP_ECHO_MAX },
	};
	struct dev d;
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		__u32 got = 0;

		genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
		put_ident(&m, self->ifindex, NULL);
		if (ok[i].len == 1)
			put_u8(&m, ok[i].attr, ok[i].val);
		else
			put_u32(&m, ok[i].attr, ok[i].val);
		EXPECT_EQ(0, nl_simple(self->fd, &m))
			TH_LOG("attr %d = %u rejected", ok[i].attr, ok[i].val);
		ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex,
				     NULL, &d));
		switch (ok[i].attr) {
		case PKTRELAY_A_DEV_UDP_TIMEOUT: got = d.c.udp_timeout; break;
		case PKTRELAY_A_DEV_DNS_TIMEOUT: got = d.c.dns_timeout; break;
		case PKTRELAY_A_DEV_MAX_ASSOCS: got = d.c.max_assocs; break;
		case PKTRELAY_A_DEV_MAX_ASSOCS_PER_SOURCE: got = d.c.max_per_src; break;
		case PKTRELAY_A_DEV_FWMARK: got = d.c.fwmark; break;
		case PKTRELAY_A_DEV_ECHO_RATE: got = d.c.echo_rate; break;
		case PKTRELAY_A_DEV_ECHO_BURST: got = d.c.echo_burst; break;
		case PKTRELAY_A_DEV_REFRESH: got = d.c.refresh; break;
		case PKTRELAY_A_DEV_DNS: got = d.c.dns; break;
		case PKTRELAY_A_DEV_ICMP_ECHO: got = d.c.icmp_echo; break;
		}
		EXPECT_EQ(ok[i].val, got) TH_LOG("attr %d", ok[i].attr);
	}
}

/* The upstream nest with TYPE NONE is accepted and reported back. */
TEST_F(dev, set_upstream_none)
{
	struct dev d;
	struct msg m;

	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, 0, "relay0");
	nest_start(&m, PKTRELAY_A_DEV_UPSTREAM);
	put_u8(&m, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_NONE);
	nest_end(&m);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_EQ(PKTRELAY_UPSTREAM_NONE, d.c.up_type);
	EXPECT_FALSE(d.has_up_password);
}

/* Once the module implements DIRECT it is accepted and reported back. */
TEST_F(dev, set_upstream_direct_when_implemented)
{
	struct dev d;
	struct msg m;

	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	if (!(d.features & PKTRELAY_FEATURE_UPSTREAM_DIRECT))
		SKIP(return, "upstream direct not implemented (FEATURES 0x%x)",
		     d.features);
	genl_init(&m, self->fam.id, PKTRELAY_CMD_DEV_SET, 0);
	put_ident(&m, self->ifindex, NULL);
	nest_start(&m, PKTRELAY_A_DEV_UPSTREAM);
	put_u8(&m, PKTRELAY_A_UPSTREAM_TYPE, PKTRELAY_UPSTREAM_DIRECT);
	nest_end(&m);
	put_u32(&m, PKTRELAY_A_DEV_UDP_TIMEOUT, 44);
	ASSERT_EQ(0, nl_simple(self->fd, &m));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_EQ(PKTRELAY_UPSTREAM_DIRECT, d.c.up_type);
	EXPECT_EQ(44U, d.c.udp_timeout);
	ASSERT_EQ(0, dev_set_cfg(self->fd, self->fam.id, self->ifindex, NULL,
				 &defaults));
	ASSERT_EQ(0, dev_get(self->fd, self->fam.id, self->ifindex, NULL, &d));
	EXPECT_CFG(&d, &defaults);
}

TEST_HARNESS_MAIN
