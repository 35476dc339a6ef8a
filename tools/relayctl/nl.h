/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: the generic netlink conversation with the pktrelay family.
 *
 * One request at a time: build it with rnl_request() (marking each
 * attribute with rnl_mark() so a kernel complaint about it can name the
 * keyword), run it with rnl_exchange(), and on failure let rnl_perror()
 * say what went wrong, kernel extack text included.
 */
#ifndef RELAYCTL_NL_H
#define RELAYCTL_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#define RNL_MAX_LABELS	32

struct rnl_label {
	uint32_t off;		/* of the attribute in the request */
	const char *label;	/* what the user called it */
};

struct rnl {
	struct nl_sock *sk;
	int family;			/* pktrelay's generic netlink id */
	uint32_t family_version;	/* as the kernel reports it */
	uint32_t events_group;		/* PKTRELAY_MCGRP_EVENTS id, or 0 */
	const char *op;			/* command name for messages */

	/* The request in flight. */
	struct rnl_label labels[RNL_MAX_LABELS];
	unsigned int nlabels;
	int (*valid)(struct nlmsghdr *nlh, void *arg);
	void *valid_arg;

	/* Outcome of the last rnl_exchange(). */
	bool done;		/* ACK, error or end of dump seen */
	bool dump_intr;		/* kernel flagged the dump as inconsistent */
	bool bad_reply;		/* valid() refused a reply */
	int error;		/* errno the kernel returned, or 0 */
	int nlerr;		/* libnl failure (negative NLE_*), or 0 */
	char kmsg[256];		/* NLMSGERR_ATTR_MSG */
	const char *bad_attr;	/* label of NLMSGERR_ATTR_OFFS */
	char policy[96];	/* NLMSGERR_ATTR_POLICY, readable */
	int missing_type;	/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
};

/*
 * Open a generic netlink socket with extended ACKs and resolve the
 * pktrelay family (its id, version and multicast groups). Prints the
 * error and returns -1 on failure.
 */
int rnl_open(struct rnl *c, const char *op);
/*
 * Open an rtnetlink socket with extended ACKs, for requests built by
 * libnl-route and run with rnl_exchange(). Prints the error and returns
 * -1 on failure.
 */
int rnl_open_route(struct rnl *c, const char *op);
void rnl_close(struct rnl *c);

/* A new pktrelay request (NLM_F_REQUEST and NLM_F_ACK are added on send). */
struct nl_msg *rnl_request(struct rnl *c, uint8_t cmd, int flags);

/* The next attribute put into @msg is what the user calls @label. */
void rnl_mark(struct rnl *c, struct nl_msg *msg, const char *label);

/*
 * Send @msg and read every reply up to the ACK, error or end of dump,
 * calling @valid for each data message (@valid returns 0, or -1 if it
 * cannot make sense of the message). Returns 0, or -1 with the reason
 * recorded in @c for rnl_perror().
 */
int rnl_exchange(struct rnl *c, struct nl_msg *msg,
		int (*valid)(struct nlmsghdr *nlh, void *arg), void *arg);

/* A dump is run again this often if the kernel flags it inconsistent. */
#define RNL_DUMP_TRIES	3

/*
 * Run the dump request @msg like rnl_exchange(), zeroing *@count (the
 * number of messages @valid has collected) first. If the kernel flags the
 * dump inconsistent (NLM_F_DUMP_INTR), run it again, up to RNL_DUMP_TRIES
 * times, then warn that @what changed. Returns 0, or -1 after rnl_perror().
 */
int rnl_dump(struct rnl *c, struct nl_msg *msg,
	     int (*valid)(struct nlmsghdr *nlh, void *arg), void *arg,
	     size_t *count, const char *what);

/* "relayctl: OP: strerror: kernel message (keyword, valid range)" */
void rnl_perror(const struct rnl *c);

#endif /* RELAYCTL_NL_H */
