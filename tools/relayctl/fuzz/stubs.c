// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl fuzz targets: main.c's message functions, without main.c. The
 * message is still formatted (so a bad format argument still trips the
 * sanitizers) but not printed: the fuzzer's own output stays readable.
 */
#include <stdarg.h>
#include <stdio.h>

#include "../relayctl.h"

void pr_err(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

void usage_hint(const char *cmd)
{
	(void)cmd;
}
