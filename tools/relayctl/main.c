// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: configure pktrelay devices over generic netlink.
 *
 *	relayctl [-j|--json] show [DEV]
 *	relayctl showconf DEV
 *	relayctl set DEV KEY VALUE [KEY VALUE]...
 *	relayctl setconf DEV FILE
 *	relayctl [-j|--json] flows DEV
 *	relayctl flush DEV
 *	relayctl [-j|--json] monitor [DEV]
 *	relayctl [-j|--json] route add|del|show DEV [ARGS]...
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/pktrelay.h>

#include "color.h"
#include "relayctl.h"

#ifndef RELAYCTL_VERSION
#define RELAYCTL_VERSION	"0.1"
#endif

void pr_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void help(void);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, const struct opts *o);
	void (*help)(void);
	const char *usage;
	const char *summary;
} commands[] = {
	{ "show", cmd_show, help_show, "show [DEV]",
	  "show DEV, or every pktrelay device" },
	{ "showconf", cmd_showconf, help_showconf, "showconf DEV",
	  "print the configuration of DEV as a setconf file" },
	{ "set", cmd_set, help_set, "set DEV KEY VALUE [KEY VALUE]...",
	  "change the configuration of DEV" },
	{ "setconf", cmd_setconf, help_setconf, "setconf DEV FILE",
	  "replace the whole configuration of DEV" },
	{ "flows", cmd_flows, help_flows, "flows DEV",
	  "list the UDP associations of DEV" },
	{ "flush", cmd_flush, help_flush, "flush DEV",
	  "remove every UDP association of DEV" },
	{ "monitor", cmd_monitor, help_monitor, "monitor [DEV]",
	  "print associations as they come and go" },
	{ "route", cmd_route, help_route, "route add|del|show DEV [ARGS]...",
	  "send traffic into DEV with policy routing" },
	{ "help", NULL, help, "help [COMMAND]",
	  "show this help, or that of COMMAND" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void usage_hint(const char *cmd)
{
	const struct command *c = cmd ? find_command(cmd) : NULL;

	if (c)
		fprintf(stderr, "Usage: " PROG " %s\nTry '" PROG " %s --help'.\n",
			c->usage, c->name);
	else
		fprintf(stderr, "Usage: " PROG " [-j|--json] COMMAND [ARGS]...\n"
			"Try '" PROG " --help'.\n");
}

static void help(void)
{
	size_t i;

	printf("Usage: " PROG " [OPTIONS] COMMAND [ARGS]...\n"
	       "\n"
	       "Configure pktrelay devices (ip link add relay0 type pktrelay).\n"
	       "Without a command, " PROG " shows every pktrelay device.\n"
	       "\n"
	       "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-34s %s\n", commands[i].usage, commands[i].summary);
	printf("\n"
	       "Options:\n"
	       "  -j, --json      print JSON instead of text (show, flows, monitor, route show)\n"
	       "  --color[=WHEN]  colour the text: auto (on a terminal, unless NO_COLOR is\n"
	       "                  set; the default), always or never\n"
	       "  -h, --help      show this help\n"
	       "  -V, --version   print the version\n"
	       "\n"
	       "Run '" PROG " COMMAND --help' for the help of COMMAND; see relayctl(8).\n");
}

static void version(void)
{
	printf(PROG " %s\n"
	       "generic netlink family \"%s\" version %d\n",
	       RELAYCTL_VERSION, PKTRELAY_GENL_NAME, PKTRELAY_GENL_VERSION);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int main(int argc, char **argv)
{
	static char *show_all[] = { "show", NULL };
	const struct command *cmd;
	int color = COLOR_AUTO;
	struct opts o = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--color") || !strncmp(a, "--color=", 8)) {
			color = a[7] ? color_parse(a + 8) : COLOR_ALWAYS;
			if (color < 0) {
				pr_err("--color: \"%s\" is not one of: auto, always, never", a + 8);
				usage_hint(NULL);
				return 1;
			}
		} else if (is_help(a)) {
			help();
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			version();
			return 0;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			pr_err("unknown option \"%s\"", a);
			usage_hint(NULL);
			return 1;
		}
	}
	argc -= i;
	argv += i;
	color_setup((enum color_when)color);

	if (argc == 0)
		return cmd_show(1, show_all, &o);

	cmd = find_command(argv[0]);
	if (!cmd) {
		pr_err("unknown command \"%s\"", argv[0]);
		usage_hint(NULL);
		return 1;
	}
	if (!cmd->run) {	/* help [COMMAND] */
		const struct command *about = argc > 1 ? find_command(argv[1]) : cmd;

		if (argc > 2) {
			pr_err("help: unexpected argument \"%s\"", argv[2]);
			usage_hint("help");
			return 1;
		}
		if (!about) {
			pr_err("help: unknown command \"%s\"", argv[1]);
			usage_hint("help");
			return 1;
		}
		about->help();
		return 0;
	}
	if (argc > 1 && is_help(argv[1])) {
		cmd->help();
		return 0;
	}
	return cmd->run(argc, argv, &o);
}
