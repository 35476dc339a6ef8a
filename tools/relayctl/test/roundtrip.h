/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl tests and fuzz targets: the configuration a parsed request
 * gives a device (what the kernel does with PKTRELAY_A_DEV_RESET), and the
 * showconf | setconf round trip of it.
 */
#ifndef RELAYCTL_ROUNDTRIP_H
#define RELAYCTL_ROUNDTRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../attrs.h"
#include "../conf.h"
#include "../dev.h"

/* A new device's value of @attr (include/uapi/linux/pktrelay.h). */
static inline uint32_t rt_default(int attr)
{
	switch (attr) {
	case PKTRELAY_A_DEV_UDP_TIMEOUT:	return PKTRELAY_UDP_TIMEOUT_DEFAULT;
	case PKTRELAY_A_DEV_DNS_TIMEOUT:	return PKTRELAY_DNS_TIMEOUT_DEFAULT;
	case PKTRELAY_A_DEV_REFRESH:		return PKTRELAY_REFRESH_OUTBOUND;
	case PKTRELAY_A_DEV_MAX_ASSOCS:		return PKTRELAY_MAX_ASSOCS_DEFAULT;
	case PKTRELAY_A_DEV_DNS:		return PKTRELAY_DNS_RELAY;
	case PKTRELAY_A_DEV_ICMP_ECHO:		return PKTRELAY_ICMP_ECHO_REPLY;
	case PKTRELAY_A_DEV_ECHO_RATE:		return PKTRELAY_ECHO_RATE_DEFAULT;
	case PKTRELAY_A_DEV_ECHO_BURST:		return PKTRELAY_ECHO_BURST_DEFAULT;
	default:				return 0;
	}
}

/* The device @r (with reset) leaves behind, as DEV_GET would report it. */
static inline void rt_apply(const struct set_req *r, struct dev_info *d)
{
	const struct cfg_key *k;

	memset(d, 0, sizeof(*d));
	strcpy(d->ifname, "relay0");
	d->ifindex = 7;
	d->have = UINT64_C(1) << PKTRELAY_A_DEV_UPSTREAM;
	d->up.have_type = true;
	d->up.type = PKTRELAY_UPSTREAM_NONE;
	if (REQ_HAS(r, PKTRELAY_A_DEV_UPSTREAM))
		d->up.type = r->up_type;
	if (r->up_has_addr) {
		d->up.family = r->up_addr.family;
		memcpy(d->up.addr, &r->up_addr.addr,
		       r->up_addr.family == AF_INET ? 4 : 16);
		d->up.have_port = true;
		d->up.port = r->up_addr.port;
	}
	if (r->up_user) {
		d->up.have_user = true;
		snprintf(d->up.user, sizeof(d->up.user), "%s", r->up_user);
	}
	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		d->have |= UINT64_C(1) << k->attr;
		d->val[k->attr] = REQ_HAS(r, k->attr) ? r->val[k->attr] :
			rt_default(k->attr);
	}
}

/* Does the request @r (with reset) give the device @d? 0 if so. */
static inline int rt_compare(const struct set_req *r, const struct dev_info *d)
{
	struct dev_info got;
	const struct cfg_key *k;

	rt_apply(r, &got);
	if (got.up.type != d->up.type || got.up.family != d->up.family ||
	    got.up.port != d->up.port || got.up.have_user != d->up.have_user)
		return -1;
	if (got.up.family &&
	    memcmp(got.up.addr, d->up.addr, got.up.family == AF_INET ? 4 : 16))
		return -1;
	if (got.up.have_user && strcmp(got.up.user, d->up.user))
		return -1;
	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++)
		if (got.val[k->attr] != d->val[k->attr])
			return -1;
	return 0;
}

/*
 * showconf of @d, with the password-file line a user adds for a socks5
 * upstream with credentials, read back by setconf's parser: must give @d
 * again. Returns 0, or -1 (and the text in *@text if @text, to free).
 */
static inline int rt_roundtrip(const struct dev_info *d, char **text)
{
	struct set_req r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (text)
		*text = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	err = conf_print(f, d);
	if (!err && d->up.have_user)
		fputs("password-file = /nonexistent/pw\n", f);
	fclose(f);
	if (err) {
		free(buf);
		return -1;
	}

	f = fmemopen(buf, len, "r");
	if (!f)
		abort();
	conf_init(&r, "setconf", "roundtrip");
	err = conf_parse_file(&r, f);
	fclose(f);
	if (!err)
		err = rt_compare(&r, d);
	conf_free(&r);
	if (err && text)
		*text = buf;
	else
		free(buf);
	return err;
}

#endif /* RELAYCTL_ROUNDTRIP_H */
