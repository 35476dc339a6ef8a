/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: colour, only where a person reads it.
 *
 * Off unless standard output is a terminal, NO_COLOR is unset and TERM is
 * not "dumb"; --color=always|never overrides. Pipes and scripts therefore
 * never see escape sequences unless they ask for them.
 */
#ifndef RELAYCTL_COLOR_H
#define RELAYCTL_COLOR_H

#include <stdbool.h>

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Decide once, before printing anything. */
void color_setup(enum color_when when);

/* Parse "auto", "always" or "never"; -1 if it is none of them. */
int color_parse(const char *s);

/*
 * Escape sequences, or "" with colour off: a title (device name, table
 * header), a key, something good (created) or bad (gone), and the reset.
 */
const char *c_title(void);
const char *c_key(void);
const char *c_good(void);
const char *c_bad(void);
const char *c_off(void);

#endif /* RELAYCTL_COLOR_H */
