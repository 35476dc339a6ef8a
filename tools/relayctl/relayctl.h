/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: things every command uses.
 */
#ifndef RELAYCTL_H
#define RELAYCTL_H

#include <stdbool.h>

#define PROG	"relayctl"

struct opts {
	bool json;
};

/* "relayctl: " + message + newline on stderr. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage line of @cmd and a pointer to its --help, on stderr. */
void usage_hint(const char *cmd);

/* 0 if @name can be a device name (1 to IFNAMSIZ - 1 bytes), else says so. */
int check_ifname(const char *cmd, const char *name);

int cmd_show(int argc, char **argv, const struct opts *o);
void help_show(void);
int cmd_showconf(int argc, char **argv, const struct opts *o);
void help_showconf(void);
int cmd_set(int argc, char **argv, const struct opts *o);
void help_set(void);
int cmd_setconf(int argc, char **argv, const struct opts *o);
void help_setconf(void);
int cmd_flows(int argc, char **argv, const struct opts *o);
void help_flows(void);
int cmd_flush(int argc, char **argv, const struct opts *o);
void help_flush(void);
int cmd_monitor(int argc, char **argv, const struct opts *o);
void help_monitor(void);
int cmd_route(int argc, char **argv, const struct opts *o);
void help_route(void);

#endif /* RELAYCTL_H */
