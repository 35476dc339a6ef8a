// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl setconf DEV FILE: replace a device's whole configuration with
 * that of a configuration file (like "wg setconf").
 * relayctl showconf DEV: print it in that format.
 *
 * setconf reads and checks the whole file (and the password-file) before
 * it opens a netlink socket; the one DEV_SET request it then sends carries
 * PKTRELAY_A_DEV_RESET, so keys the file leaves out go back to their
 * defaults in the same all-or-nothing step as the others change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "conf.h"
#include "dev.h"
#include "nl.h"
#include "relayctl.h"

/* DEV and one more argument (@what) for setconf, none for showconf. */
static const char *dev_args(const char *cmd, int argc, char **argv,
			    const char *what)
{
	int want = what ? 3 : 2;

	if (argc < 2) {
		pr_err("%s: missing device", cmd);
		usage_hint(cmd);
		return NULL;
	}
	if (check_ifname(cmd, argv[1]) < 0)
		return NULL;
	if (argc < want) {
		pr_err("%s: missing %s", cmd, what);
		usage_hint(cmd);
		return NULL;
	}
	if (argc > want) {
		pr_err("%s: unexpected argument \"%s\"", cmd, argv[want]);
		usage_hint(cmd);
		return NULL;
	}
	return argv[1];
}

void help_setconf(void)
{
	printf("Usage: " PROG " setconf DEV FILE\n"
	       "\n"
	       "Replace the whole configuration of the pktrelay device DEV with the one in\n"
	       "FILE (- is standard input), as \"" PROG " showconf\" prints it:\n"
	       "\n"
	       "  [Device]\n"
	       "  upstream = socks5 192.0.2.1:1080\n"
	       "  user = alice\n"
	       "  password-file = /etc/pktrelay/alice.pass\n"
	       "  udp-timeout = 120\n"
	       "\n"
	       "One KEY = VALUE a line, with the keys and values of \"" PROG " set\"; user\n"
	       "and password-file are keys of their own. Lines starting with # or ; are\n"
	       "comments. Keys the file leaves out take their defaults (upstream none).\n"
	       "The whole file is checked first, and the kernel applies it as a whole, or\n"
	       "not at all. Errors name the file and line. See relayctl(8).\n");
}

int cmd_setconf(int argc, char **argv, const struct opts *o)
{
	struct dev_info d;
	struct set_req r;
	const char *dev, *path, *name;
	struct rnl c;
	int ret = 1;
	FILE *f;

	(void)o;
	dev = dev_args("setconf", argc, argv, "configuration file");
	if (!dev)
		return 1;
	path = argv[2];
	name = strcmp(path, "-") ? path : "<stdin>";
	conf_init(&r, "setconf", name);
	r.stdin_taken = !strcmp(path, "-");

	f = r.stdin_taken ? stdin : fopen(path, "re");
	if (!f) {
		pr_err("setconf: %s: %s", name, strerror(errno));
		return 1;
	}
	if (conf_parse_file(&r, f) < 0) {
		if (f != stdin)
			fclose(f);
		goto out;
	}
	if (f != stdin)
		fclose(f);
	if (conf_read_password(&r) < 0)
		goto out;

	if (rnl_open(&c, "setconf") < 0)
		goto out;
	if (dev_fetch(&c, dev, &d) < 0)
		goto close;
	if (!DEV_HAS(&d, PKTRELAY_A_DEV_FEATURES) ||
	    !(d.val[PKTRELAY_A_DEV_FEATURES] & PKTRELAY_FEATURE_CONFIG_RESET)) {
		pr_err("setconf: the loaded pktrelay module cannot replace a whole configuration (no \"config_reset\" feature): update it, or use \"" PROG " set\"");
		goto close;
	}
	if (set_send(&c, &r, dev) == 0)
		ret = 0;
close:
	rnl_close(&c);
out:
	conf_free(&r);
	return ret;
}

void help_showconf(void)
{
	printf("Usage: " PROG " showconf DEV\n"
	       "\n"
	       "Print the configuration of the pktrelay device DEV as a file for\n"
	       "\"" PROG " setconf\": every key, defaults included. The password of a socks5\n"
	       "upstream is never shown (the kernel never returns it): add a password-file\n"
	       "line before feeding the output to setconf. See relayctl(8).\n");
}

int cmd_showconf(int argc, char **argv, const struct opts *o)
{
	struct dev_info d;
	const char *dev;
	char *text = NULL;
	size_t len = 0;
	struct rnl c;
	int err;
	FILE *f;

	(void)o;
	dev = dev_args("showconf", argc, argv, NULL);
	if (!dev)
		return 1;
	if (rnl_open(&c, "showconf") < 0)
		return 1;
	err = dev_fetch(&c, dev, &d);
	rnl_close(&c);
	if (err)
		return 1;

	/* All or nothing: half a configuration must not reach setconf. */
	f = open_memstream(&text, &len);
	if (!f) {
		pr_err("showconf: out of memory");
		return 1;
	}
	err = conf_print(f, &d);
	if (fclose(f) && !err) {
		pr_err("showconf: out of memory");
		err = -1;
	}
	if (!err)
		fwrite(text, 1, len, stdout);
	free(text);
	if (err)
		return 1;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("showconf: write error");
		return 1;
	}
	return 0;
}
