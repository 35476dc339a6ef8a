// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: colour, only where a person reads it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "color.h"

static bool color_on;

void color_setup(enum color_when when)
{
	const char *term = getenv("TERM");
	const char *no = getenv("NO_COLOR");

	switch (when) {
	case COLOR_ALWAYS:
		color_on = true;
		break;
	case COLOR_NEVER:
		color_on = false;
		break;
	case COLOR_AUTO:
		/* https://no-color.org: set and not empty means no colour */
		color_on = isatty(STDOUT_FILENO) && !(no && no[0]) &&
			   !(term && !strcmp(term, "dumb"));
		break;
	}
}

int color_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return COLOR_AUTO;
	if (!strcmp(s, "always"))
		return COLOR_ALWAYS;
	if (!strcmp(s, "never"))
		return COLOR_NEVER;
	return -1;
}

static const char *esc(const char *seq)
{
	return color_on ? seq : "";
}

const char *c_title(void)
{
	return esc("\033[1;32m");
}

const char *c_key(void)
{
	return esc("\033[1m");
}

const char *c_good(void)
{
	return esc("\033[32m");
}

const char *c_bad(void)
{
	return esc("\033[31m");
}

const char *c_off(void)
{
	return esc("\033[0m");
}
