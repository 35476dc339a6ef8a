// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the configuration file parser of "relayctl setconf",
 * fed from memory through fmemopen().
 *
 * Besides surviving the sanitizers, a file that parses must give a device
 * whose showconf output parses back to the same device (the round trip
 * "showconf | setconf" is a no-op). The password-file is never read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../conf.h"
#include "../test/roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct set_req r;
	struct dev_info d;
	char *text;
	FILE *f;

	if (!size)	/* fmemopen() wants a buffer */
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	conf_init(&r, "setconf", "fuzz.conf");
	if (conf_parse_file(&r, f) == 0) {
		rt_apply(&r, &d);
		if (rt_roundtrip(&d, &text)) {
			fprintf(stderr, "fuzz_conf: the file parses, but showconf | setconf does not give the same device back:\n%s\n",
				text ? text : "(showconf refused it)");
			abort();
		}
		free(text);
	}
	fclose(f);
	conf_free(&r);
	return 0;
}
