/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: the one parser of configuration keys, shared by "set" (its
 * KEY VALUE arguments) and "setconf" (a configuration file), and the
 * writer of that file for "showconf".
 *
 * A configuration file (see relayctl(8), CONFIGURATION FILE):
 *
 *	# whole-line comments start with '#' or ';'
 *	[Device]
 *	upstream = socks5 192.0.2.1:1080
 *	user = alice
 *	password-file = /etc/pktrelay/alice.pass
 *	udp-timeout = 120
 *
 * The keys are the words of "set"; "user" and "password-file", which set
 * takes after "upstream socks5 ADDR:PORT", are keys of their own here.
 *
 * Parsing checks syntax only (ranges are the kernel's) and never touches
 * netlink. The only file it reads is the password-file, and only in
 * conf_read_password(), a step of its own that the fuzz targets leave out.
 */
#ifndef RELAYCTL_CONF_H
#define RELAYCTL_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/pktrelay.h>

#include "parse.h"

struct dev_info;
struct rnl;

/* Longest line of a configuration file, newline excluded. */
#define CONF_LINE_MAX	4096

/* One PKTRELAY_CMD_DEV_SET request, as "set" or "setconf" parsed it. */
struct set_req {
	/* Messages read "relayctl: CMD: FILE:LINE: ..." ("CMD: ..." for set). */
	const char *cmd;	/* "set" or "setconf" */
	const char *file;	/* the configuration file as the user named it */
	unsigned int line;	/* line being parsed, or that a message is about */
	bool stdin_taken;	/* the configuration came from standard input */

	bool reset;		/* start from the defaults: PKTRELAY_A_DEV_RESET */
	uint64_t have;		/* bit PKTRELAY_A_DEV_X given */
	uint32_t val[PKTRELAY_A_DEV_MAX + 1];
	unsigned int key_line[PKTRELAY_A_DEV_MAX + 1];	/* where each was given */

	/* upstream TYPE [ADDR:PORT], user NAME, password-file FILE */
	uint8_t up_type;
	bool up_has_addr;
	struct addrport up_addr;
	char *up_user;
	unsigned int user_line;
	char *up_pass_file;
	unsigned int pass_line;
	unsigned char up_pass[PKTRELAY_PASSWORD_MAX];
	size_t up_pass_len;
};

#define REQ_HAS(r, attr)	(((r)->have >> (attr)) & 1)

/* An empty request; @file is NULL for the command line. */
void conf_init(struct set_req *r, const char *cmd, const char *file);

/* Free what @r holds and wipe the password. */
void conf_free(struct set_req *r);

/*
 * The KEY VALUE... arguments of "set" (after DEV). Returns 0, or -1 after
 * printing why.
 */
int conf_parse_args(struct set_req *r, int argc, char **argv);

/*
 * A whole configuration file from @f, named r->file in messages; the
 * request then replaces the whole configuration (r->reset). Returns 0, or
 * -1 after printing "FILE:LINE: why".
 */
int conf_parse_file(struct set_req *r, FILE *f);

/*
 * Read the password from r->up_pass_file ("-": standard input), if the
 * request names one. Returns 0, or -1 after printing why.
 */
int conf_read_password(struct set_req *r);

/*
 * @d's configuration as a file conf_parse_file() reads back to the same
 * configuration, the password aside (never known). Returns 0, or -1 after
 * printing why if @d holds a value the file cannot express.
 */
int conf_print(FILE *f, const struct dev_info *d);

/*
 * Send @r as one PKTRELAY_CMD_DEV_SET request for the device @dev (set.c).
 * Returns 0, or -1 after printing why, the kernel's reason included.
 */
int set_send(struct rnl *c, const struct set_req *r, const char *dev);

#endif /* RELAYCTL_CONF_H */
