// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl flows DEV: the UDP associations of a pktrelay device.
 * relayctl flush DEV: remove them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "assoc.h"
#include "json.h"
#include "nl.h"
#include "parse.h"
#include "relayctl.h"

struct assoc_list {
	struct assoc_info *assoc;
	size_t n, size;
};

static int collect(struct nlmsghdr *nlh, void *arg)
{
	struct assoc_list *l = arg;

	if (grow_array((void **)&l->assoc, &l->size, l->n, sizeof(*l->assoc), 16))
		return -1;
	if (assoc_parse(nlh, &l->assoc[l->n]) < 0 ||
	    l->assoc[l->n].cmd != PKTRELAY_CMD_ASSOC_GET)
		return -1;
	l->n++;
	return 0;
}

/* The one argument DEV of "flows" and "flush", or NULL after an error. */
static const char *dev_arg(const char *cmd, int argc, char **argv)
{
	if (argc < 2) {
		pr_err("%s: missing device", cmd);
		usage_hint(cmd);
		return NULL;
	}
	if (argc > 2) {
		pr_err("%s: unexpected argument \"%s\"", cmd, argv[2]);
		usage_hint(cmd);
		return NULL;
	}
	return check_ifname(cmd, argv[1]) < 0 ? NULL : argv[1];
}

/* A request for @cmd about the device @name. */
static struct nl_msg *dev_request(struct rnl *c, uint8_t cmd, int flags,
				  const char *name)
{
	struct nl_msg *msg = rnl_request(c, cmd, flags);

	if (!msg)
		return NULL;
	rnl_mark(c, msg, name);
	if (nla_put_string(msg, PKTRELAY_A_DEV_IFNAME, name) < 0) {
		nlmsg_free(msg);
		pr_err("%s: out of memory", c->op);
		return NULL;
	}
	return msg;
}

static int get_flows(struct rnl *c, const char *name, struct assoc_list *l)
{
	struct nl_msg *msg = dev_request(c, PKTRELAY_CMD_ASSOC_GET, NLM_F_DUMP, name);
	int err;

	if (!msg)
		return -1;
	err = rnl_dump(c, msg, collect, l, &l->n, "associations");
	nlmsg_free(msg);
	if (err)
		return -1;
	qsort(l->assoc, l->n, sizeof(*l->assoc), assoc_cmp);
	return 0;
}

static void print_flows(const struct assoc_list *l, bool json)
{
	struct json j;
	size_t i;

	if (!json) {
		assoc_print_table(stdout, l->assoc, l->n);
		return;
	}
	json_init(&j, stdout);
	json_begin_array(&j);
	for (i = 0; i < l->n; i++)
		assoc_print_json(&j, &l->assoc[i]);
	json_end_array(&j);
}

void help_flows(void)
{
	printf("Usage: " PROG " [-j|--json] flows DEV\n"
	       "\n"
	       "List the UDP associations of the pktrelay device DEV, one line each under\n"
	       "a header, in order of local address and port:\n"
	       "  LOCAL     the application's address and port\n"
	       "  REMOTE    its first destination\n"
	       "  RELAY     the upstream socket's source address and port (- until ready)\n"
	       "  UPSTREAM  none, direct or socks5\n"
	       "  STATE     pending, ready or dead\n"
	       "  TX, RX    packets/bytes to and from the upstream (UDP payload)\n"
	       "  IDLE      seconds since the last refresh of the idle timer\n"
	       "  EXPIRES   seconds until the idle timeout\n"
	       "With --json, print an array of objects instead; see relayctl(8).\n");
}

int cmd_flows(int argc, char **argv, const struct opts *o)
{
	struct assoc_list l = { 0 };
	const char *name;
	struct rnl c;
	int err;

	name = dev_arg("flows", argc, argv);
	if (!name)
		return 1;

	if (rnl_open(&c, "flows") < 0)
		return 1;
	err = get_flows(&c, name, &l);
	rnl_close(&c);
	if (!err)
		print_flows(&l, o->json);
	free(l.assoc);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("flows: write error");
		return 1;
	}
	return err ? 1 : 0;
}

void help_flush(void)
{
	printf("Usage: " PROG " flush DEV\n"
	       "\n"
	       "Remove every UDP association of the pktrelay device DEV; their upstream\n"
	       "sockets are closed, and the next packet of a flow opens a new one.\n"
	       "Prints nothing on success.\n");
}

int cmd_flush(int argc, char **argv, const struct opts *o)
{
	struct nl_msg *msg;
	const char *name;
	struct rnl c;
	int ret = 1;

	(void)o;
	name = dev_arg("flush", argc, argv);
	if (!name)
		return 1;

	if (rnl_open(&c, "flush") < 0)
		return 1;
	msg = dev_request(&c, PKTRELAY_CMD_DEV_FLUSH, 0, name);
	if (msg) {
		if (rnl_exchange(&c, msg, NULL, NULL) < 0)
			rnl_perror(&c);
		else
			ret = 0;
		nlmsg_free(msg);
	}
	rnl_close(&c);
	return ret;
}
