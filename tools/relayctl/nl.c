// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: the generic netlink conversation with the pktrelay family.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <linux/pktrelay.h>

#include "nl.h"
#include "parse.h"
#include "relayctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* The label of the innermost marked attribute that starts at or before @off. */
static const char *label_at(const struct rnl *c, uint32_t off)
{
	const struct rnl_label *best = NULL;
	unsigned int i;

	for (i = 0; i < c->nlabels; i++)
		if (c->labels[i].off <= off &&
		    (!best || c->labels[i].off >= best->off))
			best = &c->labels[i];
	return best ? best->label : NULL;
}

/* NLMSGERR_ATTR_POLICY: say what the kernel would have accepted. */
static void parse_policy(struct rnl *c, struct nlattr *nest)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, nest, NULL) < 0)
		return;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U])
		snprintf(c->policy, sizeof(c->policy), "valid range %" PRIu64 "..%" PRIu64,
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]),
			 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]));
	else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] && tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S])
		snprintf(c->policy, sizeof(c->policy), "valid range %" PRId64 "..%" PRId64,
			 (int64_t)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]),
			 (int64_t)nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]));
	else if (tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH])
		snprintf(c->policy, sizeof(c->policy), "length %" PRIu32 "..%" PRIu32,
			 tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH] ?
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]) : 0,
			 nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]));
}

/* The extended ACK attributes (enum nlmsgerr_attrs) at @head. */
static void parse_ext_ack(struct rnl *c, struct nlattr *head, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, head, len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		copy_string(c->kmsg, sizeof(c->kmsg), nla_data(tb[NLMSGERR_ATTR_MSG]),
			    (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		c->bad_attr = label_at(c, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_POLICY])
		parse_policy(c, tb[NLMSGERR_ATTR_POLICY]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		c->missing_type = (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

/*
 * An NLMSG_ERROR message (error or ACK): its TLVs follow the struct
 * nlmsgerr and the echoed request, which is only its header if the
 * kernel capped it.
 */
static void parse_error_tlvs(struct rnl *c, struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return;
	off = sizeof(e->error);
	off += (nlh->nlmsg_flags & NLM_F_CAPPED) ? sizeof(e->msg) : e->msg.nlmsg_len;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if (off >= nlh->nlmsg_len)
		return;
	parse_ext_ack(c, (struct nlattr *)((unsigned char *)nlh + off),
		      (int)(nlh->nlmsg_len - off));
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct rnl *c = arg;

	if (c->valid && c->valid(nlmsg_hdr(msg), c->valid_arg) < 0)
		c->bad_reply = true;
	return NL_OK;
}

/* NLMSG_ERROR with an error code. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload of the message; find its header. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((unsigned char *)e - NLMSG_HDRLEN);
	struct rnl *c = arg;

	(void)nla;
	c->error = e->error < 0 ? -e->error : e->error;
	parse_error_tlvs(c, nlh);
	c->done = true;
	return NL_STOP;
}

/* NLMSG_ERROR with error 0: success, possibly with a warning. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	struct rnl *c = arg;

	parse_error_tlvs(c, nlmsg_hdr(msg));
	if (c->kmsg[0])
		pr_err("%s: kernel warning: %s", c->op, c->kmsg);
	c->done = true;
	return NL_STOP;
}

/* NLMSG_DONE: an int error code, then extack TLVs if the dump failed. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct rnl *c = arg;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	int err;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			c->error = -err;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < nlh->nlmsg_len)
			parse_ext_ack(c, (struct nlattr *)((unsigned char *)nlh + off),
				      (int)(nlh->nlmsg_len - off));
	}
	c->done = true;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct rnl *c = arg;

	(void)msg;
	c->dump_intr = true;
	return NL_OK;
}

int rnl_exchange(struct rnl *c, struct nl_msg *msg,
		int (*valid)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct nl_cb *cb;
	int err;

	c->valid = valid;
	c->valid_arg = arg;
	c->done = c->dump_intr = c->bad_reply = false;
	c->error = c->nlerr = 0;
	c->kmsg[0] = c->policy[0] = '\0';
	c->bad_attr = NULL;
	c->missing_type = -1;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		c->nlerr = -NLE_NOMEM;
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, c);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, c);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, c);

	err = nl_send_auto(c->sk, msg);
	if (err < 0)
		c->nlerr = err;
	/* A reply and its ACK come in separate datagrams: read until done. */
	while (err >= 0 && !c->done) {
		err = nl_recvmsgs_report(c->sk, cb);
		if (err < 0 && !c->error)
			c->nlerr = err;
		else if (err == 0)
			c->nlerr = err = -NLE_FAILURE;	/* EOF: cannot happen */
	}
	nl_cb_put(cb);
	return c->error || c->nlerr || c->bad_reply ? -1 : 0;
}

int rnl_dump(struct rnl *c, struct nl_msg *msg,
	     int (*valid)(struct nlmsghdr *nlh, void *arg), void *arg,
	     size_t *count, const char *what)
{
	int tries;

	for (tries = 1; ; tries++) {
		*count = 0;
		/* A retry is a new request: let libnl number it. */
		nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
		if (rnl_exchange(c, msg, valid, arg) < 0) {
			rnl_perror(c);
			return -1;
		}
		if (!c->dump_intr)
			return 0;
		if (tries == RNL_DUMP_TRIES) {
			pr_err("%s: warning: %s changed during the dump, output may be inconsistent",
			       c->op, what);
			return 0;
		}
	}
}

void rnl_perror(const struct rnl *c)
{
	const char *sep = " (";

	if (c->nlerr) {
		pr_err("%s: netlink: %s", c->op, nl_geterror(c->nlerr));
		return;
	}
	if (c->bad_reply || !c->error) {
		pr_err("%s: malformed reply from the kernel", c->op);
		return;
	}
	fprintf(stderr, PROG ": %s: %s", c->op, strerror(c->error));
	if (c->kmsg[0])
		fprintf(stderr, ": %s", c->kmsg);
	if (c->bad_attr) {
		fprintf(stderr, "%s%s", sep, c->bad_attr);
		sep = ", ";
	}
	if (c->policy[0]) {
		fprintf(stderr, "%s%s", sep, c->policy);
		sep = ", ";
	}
	if (c->missing_type >= 0) {
		fprintf(stderr, "%smissing attribute %d", sep, c->missing_type);
		sep = ", ";
	}
	if (c->error == EPERM && !c->kmsg[0]) {
		fprintf(stderr, "%sCAP_NET_ADMIN is required", sep);
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc(')', stderr);
	fputc('\n', stderr);
}

struct nl_msg *rnl_request(struct rnl *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	c->nlabels = 0;
	if (msg && genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
			       flags, cmd, PKTRELAY_GENL_VERSION))
		return msg;
	nlmsg_free(msg);
	pr_err("%s: out of memory", c->op);
	return NULL;
}

void rnl_mark(struct rnl *c, struct nl_msg *msg, const char *label)
{
	if (c->nlabels == RNL_MAX_LABELS)
		return;
	c->labels[c->nlabels].off = NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
	c->labels[c->nlabels].label = label;
	c->nlabels++;
}

/* CTRL_ATTR_MCAST_GROUPS: a nest of groups, each a nest of name and id. */
static int parse_mcast_groups(struct rnl *c, struct nlattr *groups)
{
	struct nla_policy policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
	};
	struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nlattr *grp;
	char name[GENL_NAMSIZ];
	int rem;

	nla_for_each_nested(grp, groups, rem) {
		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, grp, policy) < 0)
			return -1;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		copy_string(name, sizeof(name), nla_data(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    (size_t)nla_len(tb[CTRL_ATTR_MCAST_GRP_NAME]));
		if (!strcmp(name, PKTRELAY_MCGRP_EVENTS))
			c->events_group = nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int on_family(struct nlmsghdr *nlh, void *arg)
{
	struct nla_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
		[CTRL_ATTR_VERSION] = { .type = NLA_U32 },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct rnl *c = arg;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, policy) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return -1;
	c->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		c->family_version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] &&
	    parse_mcast_groups(c, tb[CTRL_ATTR_MCAST_GROUPS]) < 0)
		return -1;
	return 0;
}

/*
 * CTRL_CMD_GETFAMILY by name: the id, the version the module speaks, and
 * the id of its events group.
 */
static int resolve_family(struct rnl *c)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	c->nlabels = 0;
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
				 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, PKTRELAY_GENL_NAME) < 0) {
		nlmsg_free(msg);
		pr_err("%s: out of memory", c->op);
		return -1;
	}
	err = rnl_exchange(c, msg, on_family, c);
	nlmsg_free(msg);
	if (err < 0 && c->error == ENOENT) {
		pr_err("pktrelay generic netlink family not found (is the pktrelay module loaded?)");
		return -1;
	}
	if (err < 0 || !c->family) {
		if (!err)
			c->bad_reply = true;
		rnl_perror(c);
		return -1;
	}
	return 0;
}

/* A netlink socket of @protocol with extended ACKs, in @c. */
static int rnl_socket(struct rnl *c, const char *op, int protocol)
{
	int one = 1, err;

	memset(c, 0, sizeof(*c));
	c->op = op;
	c->missing_type = -1;

	c->sk = nl_socket_alloc();
	if (!c->sk) {
		pr_err("%s: out of memory", op);
		return -1;
	}
	err = nl_connect(c->sk, protocol);
	if (err < 0) {
		pr_err("%s: cannot open a netlink socket: %s", op, nl_geterror(err));
		rnl_close(c);
		return -1;
	}
	/*
	 * Extended ACKs carry the kernel's reason for a refusal; capped ACKs
	 * spare echoing the request. Both are best effort: old kernels
	 * without them still report the errno.
	 */
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return 0;
}

int rnl_open(struct rnl *c, const char *op)
{
	if (rnl_socket(c, op, NETLINK_GENERIC) < 0)
		return -1;
	if (resolve_family(c) < 0) {
		rnl_close(c);
		return -1;
	}
	return 0;
}

int rnl_open_route(struct rnl *c, const char *op)
{
	return rnl_socket(c, op, NETLINK_ROUTE);
}

void rnl_close(struct rnl *c)
{
	nl_socket_free(c->sk);
	c->sk = NULL;
}
