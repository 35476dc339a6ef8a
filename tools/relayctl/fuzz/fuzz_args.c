// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the KEY VALUE arguments of "relayctl set DEV ...".
 *
 * The input is split into arguments at NUL bytes and newlines (so seeds are
 * readable, one argument a line). Besides surviving the sanitizers, what
 * set accepts must survive the showconf | setconf round trip: printed as a
 * file and read back by setconf's parser, it must give the same device.
 * The password-file is never read (conf_read_password() is not called).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../conf.h"
#include "../test/roundtrip.h"
#include "split.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS];
	struct set_req r;
	struct dev_info d;
	char *buf, *text;
	int argc = 0;

	buf = fuzz_split(data, size, argv, &argc, MAX_ARGS);
	if (!buf)
		return 0;

	conf_init(&r, "set", NULL);
	if (conf_parse_args(&r, argc, argv) == 0) {
		rt_apply(&r, &d);
		if (rt_roundtrip(&d, &text)) {
			fprintf(stderr, "fuzz_args: set accepts the arguments, but showconf | setconf does not give the same device back:\n%s\n",
				text ? text : "(showconf refused it)");
			abort();
		}
		free(text);
	}
	conf_free(&r);
	free(buf);
	return 0;
}
