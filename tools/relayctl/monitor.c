// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl monitor [DEV]: print associations as they come and go, from the
 * PKTRELAY_CMD_ASSOC_NEW and _DEL notifications of the "events" group.
 *
 * The loop polls the netlink socket and a self-pipe that the SIGINT and
 * SIGTERM handlers write to, so a signal ends it cleanly (exit 0) whenever
 * it arrives. Each event is one line, flushed at once, for readers at the
 * other end of a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "assoc.h"
#include "json.h"
#include "nl.h"
#include "parse.h"
#include "relayctl.h"

/* Receive buffer asked for: a flush announces every association at once. */
#define MONITOR_RCVBUF	(4 << 20)

/*
 * Names of devices seen, for events that arrive when their device is no
 * longer listed (device-gone: pktrelay removes the associations of a
 * device once it is unlisted).
 */
struct ifname_cache {
	struct ifname_entry {
		unsigned int ifindex;
		char name[IF_NAMESIZE];
	} *e;
	size_t n, size;
};

struct monitor {
	bool json;
	int family;		/* pktrelay's generic netlink id */
	unsigned int ifindex;	/* only this device's events, or 0 */
	struct ifname_cache names;
	bool write_error;
};

static volatile sig_atomic_t stop;
static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved_errno = errno;
	ssize_t n;

	(void)sig;
	stop = 1;
	n = write(stop_pipe[1], "", 1);	/* if the pipe is full, a wakeup is due */
	(void)n;
	errno = saved_errno;
}

static int catch_signals(void)
{
	struct sigaction sa;

	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		pr_err("monitor: pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a write blocked on a stalled reader returns EINTR. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
		pr_err("monitor: sigaction: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void cache_put(struct ifname_cache *c, unsigned int ifindex, const char *name)
{
	struct ifname_entry *e;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->e[i].ifindex == ifindex) {
			copy_string(c->e[i].name, sizeof(c->e[i].name), name, strlen(name));
			return;
		}
	}
	if (c->n == c->size) {
		size_t size = c->size ? 2 * c->size : 16;

		e = realloc(c->e, size * sizeof(*e));
		if (!e)
			return;		/* only a cache */
		c->e = e;
		c->size = size;
	}
	c->e[c->n].ifindex = ifindex;
	copy_string(c->e[c->n].name, sizeof(c->e[c->n].name), name, strlen(name));
	c->n++;
}

/* Every device there is now. */
static void cache_fill(struct ifname_cache *c)
{
	struct if_nameindex *all = if_nameindex(), *p;

	if (!all)
		return;
	for (p = all; p->if_index; p++)
		cache_put(c, p->if_index, p->if_name);
	if_freenameindex(all);
}

/* The name of @ifindex now, or the last one seen, or NULL. */
static const char *ifname_of(struct ifname_cache *c, unsigned int ifindex,
			     char buf[IF_NAMESIZE])
{
	size_t i;

	if (if_indextoname(ifindex, buf)) {
		cache_put(c, ifindex, buf);
		return buf;
	}
	for (i = 0; i < c->n; i++) {
		if (c->e[i].ifindex == ifindex) {
			memcpy(buf, c->e[i].name, IF_NAMESIZE);
			return buf;
		}
	}
	return NULL;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct monitor *m = arg;
	char buf[IF_NAMESIZE];
	const char *ifname = NULL;
	struct genlmsghdr *g;
	struct assoc_info a;
	struct json j;

	/* Only the kernel's notifications of our family. */
	if (nlmsg_get_src(msg)->nl_pid != 0 || nlh->nlmsg_type != m->family ||
	    !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	g = nlmsg_data(nlh);
	if (g->cmd != PKTRELAY_CMD_ASSOC_NEW && g->cmd != PKTRELAY_CMD_ASSOC_DEL)
		return NL_SKIP;		/* an event this version does not know */
	if (assoc_parse(nlh, &a) < 0) {
		pr_err("monitor: malformed event from the kernel");
		return NL_SKIP;
	}
	if (m->ifindex && (!a.have_ifindex || a.ifindex != m->ifindex))
		return NL_SKIP;
	if (a.have_ifindex)
		ifname = ifname_of(&m->names, a.ifindex, buf);

	if (m->json) {
		json_init_compact(&j, stdout);
		assoc_print_event_json(&j, &a, ifname);
	} else {
		assoc_print_event(stdout, &a, ifname);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		m->write_error = true;
		return NL_STOP;
	}
	return NL_OK;
}

/* Check that @name, of index m->ifindex, is a pktrelay device. */
static int check_device(struct rnl *c, struct monitor *m, const char *name)
{
	struct nl_msg *msg;
	int err;

	msg = rnl_request(c, PKTRELAY_CMD_DEV_GET, 0);
	if (!msg)
		return -1;
	rnl_mark(c, msg, name);
	if (nla_put_u32(msg, PKTRELAY_A_DEV_IFINDEX, m->ifindex) < 0) {
		nlmsg_free(msg);
		pr_err("monitor: out of memory");
		return -1;
	}
	err = rnl_exchange(c, msg, NULL, NULL);
	nlmsg_free(msg);
	if (err < 0)
		rnl_perror(c);
	return err;
}

static int subscribe(struct rnl *c)
{
	int size = MONITOR_RCVBUF, err;

	if (!c->events_group) {
		pr_err("monitor: the pktrelay module has no \"%s\" multicast group",
		       PKTRELAY_MCGRP_EVENTS);
		return -1;
	}
	/* Beyond rmem_max needs CAP_NET_ADMIN, which joining needs anyway. */
	if (setsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)) < 0)
		setsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_RCVBUF,
			   &size, sizeof(size));

	err = nl_socket_add_membership(c->sk, (int)c->events_group);
	if (err < 0) {
		pr_err("monitor: cannot join the \"%s\" group: %s%s",
		       PKTRELAY_MCGRP_EVENTS, nl_geterror(err),
		       err == -NLE_PERM ? " (CAP_NET_ADMIN is required)" : "");
		return -1;
	}
	/* Notifications carry sequence number 0. */
	nl_socket_disable_seq_check(c->sk);
	return 0;
}

/* Until a signal: returns 0, or -1 after printing an error. */
static int event_loop(struct rnl *c, struct monitor *m)
{
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(c->sk), .events = POLLIN },
		{ .fd = stop_pipe[0], .events = POLLIN },
	};
	int err, ret = 0;

	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, m);
	while (!stop) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("monitor: poll: %s", strerror(errno));
			ret = -1;
			break;
		}
		if (pfd[1].revents)
			break;		/* a signal */
		if (!pfd[0].revents)
			continue;
		err = nl_recvmsgs_default(c->sk);
		if (stop)
			break;
		if (m->write_error) {
			pr_err("monitor: write error");
			ret = -1;
			break;
		}
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped events for a full buffer. */
			pr_err("monitor: warning: events lost (receive buffer full)");
		} else if (err < 0) {
			pr_err("monitor: netlink: %s", nl_geterror(err));
			ret = -1;
			break;
		}
	}
	return ret;
}

void help_monitor(void)
{
	printf("Usage: " PROG " [-j|--json] monitor [DEV]\n"
	       "\n"
	       "Print a line for each UDP association that becomes ready (new) or is\n"
	       "removed (del), on the pktrelay device DEV or on every one, until\n"
	       "interrupted:\n"
	       "  new LOCAL -> REMOTE relay RELAY dev DEV upstream TYPE\n"
	       "  del LOCAL -> REMOTE relay RELAY dev DEV upstream TYPE reason REASON\n"
	       "REASON is idle, flushed, limit, upstream-error or device-gone.\n"
	       "With --json, print one JSON object per line instead; see relayctl(8).\n"
	       "\"" PROG ": monitoring\" on standard error tells that events are being\n"
	       "received.\n");
}

int cmd_monitor(int argc, char **argv, const struct opts *o)
{
	struct monitor m = { .json = o->json };
	const char *name = NULL;
	struct rnl c;
	int ret = 1;

	if (argc > 2) {
		pr_err("monitor: unexpected argument \"%s\"", argv[2]);
		usage_hint("monitor");
		return 1;
	}
	if (argc == 2) {
		name = argv[1];
		if (check_ifname("monitor", name) < 0)
			return 1;
		/* Before any netlink: a device that is not there is a usage error. */
		m.ifindex = if_nametoindex(name);
		if (!m.ifindex) {
			pr_err("monitor: %s: %s", name, strerror(errno));
			return 1;
		}
		cache_put(&m.names, m.ifindex, name);
	}
	if (catch_signals() < 0)
		goto out;

	if (rnl_open(&c, "monitor") < 0)
		goto out;
	m.family = c.family;
	if (!name)
		cache_fill(&m.names);
	if ((name && check_device(&c, &m, name) < 0) || subscribe(&c) < 0)
		goto close;
	pr_err("monitoring");
	if (event_loop(&c, &m) == 0)
		ret = 0;
close:
	rnl_close(&c);
out:
	free(m.names.e);
	if (stop_pipe[0] >= 0) {
		close(stop_pipe[0]);
		close(stop_pipe[1]);
	}
	return ret;
}
