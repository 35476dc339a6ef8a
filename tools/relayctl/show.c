// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl show [DEV]: configuration and counters of pktrelay devices.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "json.h"
#include "nl.h"
#include "parse.h"
#include "relayctl.h"

struct dev_list {
	struct dev_info *dev;
	size_t n, size;
};

static int collect(struct nlmsghdr *nlh, void *arg)
{
	struct dev_list *l = arg;

	if (grow_array((void **)&l->dev, &l->size, l->n, sizeof(*l->dev), 4))
		return -1;
	if (dev_parse(nlh, &l->dev[l->n]) < 0)
		return -1;
	l->n++;
	return 0;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct dev_info *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

static int get_one(struct rnl *c, const char *name, struct dev_list *l)
{
	struct nl_msg *msg = rnl_request(c, PKTRELAY_CMD_DEV_GET, 0);
	int err;

	if (!msg)
		return -1;
	rnl_mark(c, msg, name);
	if (nla_put_string(msg, PKTRELAY_A_DEV_IFNAME, name) < 0) {
		nlmsg_free(msg);
		pr_err("%s: out of memory", c->op);
		return -1;
	}
	err = rnl_exchange(c, msg, collect, l);
	nlmsg_free(msg);
	if (!err && l->n != 1) {
		c->bad_reply = true;
		err = -1;
	}
	if (err)
		rnl_perror(c);
	return err;
}

int dev_fetch(struct rnl *c, const char *name, struct dev_info *d)
{
	struct dev_list l = { 0 };
	int err = get_one(c, name, &l);

	if (!err)
		*d = l.dev[0];
	free(l.dev);
	return err;
}

static int get_all(struct rnl *c, struct dev_list *l)
{
	struct nl_msg *msg = rnl_request(c, PKTRELAY_CMD_DEV_GET, NLM_F_DUMP);
	int err;

	if (!msg)
		return -1;
	err = rnl_dump(c, msg, collect, l, &l->n, "devices");
	nlmsg_free(msg);
	if (err)
		return -1;
	qsort(l->dev, l->n, sizeof(*l->dev), by_ifindex);
	return 0;
}

static void print_list(const struct dev_list *l, bool json, bool array)
{
	struct json j;
	size_t i;

	if (!json) {
		for (i = 0; i < l->n; i++) {
			if (i)
				putchar('\n');
			dev_print_text(stdout, &l->dev[i]);
		}
		return;
	}
	json_init(&j, stdout);
	if (array)
		json_begin_array(&j);
	for (i = 0; i < l->n; i++)
		dev_print_json(&j, &l->dev[i]);
	if (array)
		json_end_array(&j);
}

void help_show(void)
{
	printf("Usage: " PROG " [-j|--json] show [DEV]\n"
	       "\n"
	       "Show the configuration, the features and the counters of the pktrelay\n"
	       "device DEV, or of every pktrelay device in this network namespace.\n"
	       "With --json, print one JSON object for DEV, or an array of them.\n");
}

int cmd_show(int argc, char **argv, const struct opts *o)
{
	struct dev_list l = { 0 };
	const char *name = NULL;
	struct rnl c;
	int err;

	if (argc > 2) {
		pr_err("show: unexpected argument \"%s\"", argv[2]);
		usage_hint("show");
		return 1;
	}
	if (argc == 2) {
		name = argv[1];
		if (!name[0] || strlen(name) >= IFNAMSIZ) {
			pr_err("show: \"%s\" is not a device name (1 to %d bytes)",
			       name, IFNAMSIZ - 1);
			return 1;
		}
	}

	if (rnl_open(&c, "show") < 0)
		return 1;
	err = name ? get_one(&c, name, &l) : get_all(&c, &l);
	rnl_close(&c);
	if (!err)
		print_list(&l, o->json, !name);
	free(l.dev);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("show: write error");
		return 1;
	}
	return err ? 1 : 0;
}
