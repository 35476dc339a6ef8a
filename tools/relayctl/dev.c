// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: parse a PKTRELAY_CMD_DEV_GET message and print it.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "attrs.h"
#include "color.h"
#include "dev.h"
#include "parse.h"

_Static_assert(PKTRELAY_A_DEV_MAX < 64, "dev_info.have is a 64-bit mask");

static int parse_upstream(struct nlattr *nest, struct dev_upstream *up)
{
	struct nla_policy policy[PKTRELAY_A_UPSTREAM_MAX + 1] = {
		[PKTRELAY_A_UPSTREAM_TYPE] = { .type = NLA_U8 },
		[PKTRELAY_A_UPSTREAM_ADDR4] = { .minlen = 4 },
		[PKTRELAY_A_UPSTREAM_ADDR6] = { .minlen = 16 },
		[PKTRELAY_A_UPSTREAM_PORT] = { .type = NLA_U16 },
		[PKTRELAY_A_UPSTREAM_USERNAME] = { .type = NLA_STRING },
	};
	struct nlattr *tb[PKTRELAY_A_UPSTREAM_MAX + 1];

	if (nla_parse_nested(tb, PKTRELAY_A_UPSTREAM_MAX, nest, policy) < 0)
		return -1;

	if (tb[PKTRELAY_A_UPSTREAM_TYPE]) {
		up->have_type = true;
		up->type = nla_get_u8(tb[PKTRELAY_A_UPSTREAM_TYPE]);
	}
	if (tb[PKTRELAY_A_UPSTREAM_ADDR4]) {
		up->family = AF_INET;
		memcpy(up->addr, nla_data(tb[PKTRELAY_A_UPSTREAM_ADDR4]), 4);
	} else if (tb[PKTRELAY_A_UPSTREAM_ADDR6]) {
		up->family = AF_INET6;
		memcpy(up->addr, nla_data(tb[PKTRELAY_A_UPSTREAM_ADDR6]), 16);
	}
	if (tb[PKTRELAY_A_UPSTREAM_PORT]) {
		up->have_port = true;
		up->port = ntohs(nla_get_u16(tb[PKTRELAY_A_UPSTREAM_PORT]));
	}
	if (tb[PKTRELAY_A_UPSTREAM_USERNAME]) {
		up->have_user = true;
		copy_string(up->user, sizeof(up->user),
			    nla_data(tb[PKTRELAY_A_UPSTREAM_USERNAME]),
			    (size_t)nla_len(tb[PKTRELAY_A_UPSTREAM_USERNAME]));
	}
	/* PKTRELAY_A_UPSTREAM_PASSWORD is never read, should it ever appear. */
	return 0;
}

static void parse_stats(struct nlattr *nest, struct dev_info *d)
{
	struct nlattr *a;
	unsigned int i;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		struct dev_stat s = { .type = (uint16_t)nla_type(a) };

		if (s.type == PKTRELAY_A_STATS_UNSPEC ||
		    s.type == PKTRELAY_A_STATS_PAD)
			continue;
		if (nla_len(a) == 8)
			s.value = nla_get_u64(a);
		else if (nla_len(a) == 4)
			s.value = nla_get_u32(a);
		else
			continue;
		if (d->nstats == DEV_MAX_STATS)
			break;
		/* Insertion sort: a stable order whatever the kernel's. */
		for (i = d->nstats; i > 0 && d->stats[i - 1].type > s.type; i--)
			d->stats[i] = d->stats[i - 1];
		d->stats[i] = s;
		d->nstats++;
	}
}

int dev_parse(struct nlmsghdr *nlh, struct dev_info *d)
{
	struct nla_policy policy[PKTRELAY_A_DEV_MAX + 1] = {
		[PKTRELAY_A_DEV_IFINDEX] = { .type = NLA_U32 },
		[PKTRELAY_A_DEV_IFNAME] = { .type = NLA_STRING },
		[PKTRELAY_A_DEV_UPSTREAM] = { .type = NLA_NESTED },
		[PKTRELAY_A_DEV_FEATURES] = { .type = NLA_U32 },
		[PKTRELAY_A_DEV_ASSOCS] = { .type = NLA_U32 },
		[PKTRELAY_A_DEV_STATS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[PKTRELAY_A_DEV_MAX + 1];
	const struct cfg_key *k;
	int type;

	memset(d, 0, sizeof(*d));
	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++)
		policy[k->attr].type = k->kind == CFG_ENUM ? NLA_U8 : NLA_U32;

	if (genlmsg_parse(nlh, 0, tb, PKTRELAY_A_DEV_MAX, policy) < 0)
		return -1;

	for (type = 0; type <= PKTRELAY_A_DEV_MAX; type++) {
		if (!tb[type])
			continue;
		switch (policy[type].type) {
		case NLA_U8:
			d->val[type] = nla_get_u8(tb[type]);
			break;
		case NLA_U32:
			d->val[type] = nla_get_u32(tb[type]);
			break;
		default:
			break;
		}
		d->have |= UINT64_C(1) << type;
	}
	d->ifindex = d->val[PKTRELAY_A_DEV_IFINDEX];
	if (tb[PKTRELAY_A_DEV_IFNAME])
		copy_string(d->ifname, sizeof(d->ifname),
			    nla_data(tb[PKTRELAY_A_DEV_IFNAME]),
			    (size_t)nla_len(tb[PKTRELAY_A_DEV_IFNAME]));
	if (tb[PKTRELAY_A_DEV_UPSTREAM] &&
	    parse_upstream(tb[PKTRELAY_A_DEV_UPSTREAM], &d->up) < 0)
		return -1;
	if (tb[PKTRELAY_A_DEV_STATS])
		parse_stats(tb[PKTRELAY_A_DEV_STATS], d);
	return 0;
}

/* @key with every @from replaced by @to, into @buf. */
static const char *respell(char *buf, size_t size, const char *key,
			   char from, char to)
{
	size_t i;

	for (i = 0; key[i] && i + 1 < size; i++)
		buf[i] = key[i] == from ? to : key[i];
	buf[i] = '\0';
	return buf;
}

/* The name of @v in @t, or @fmt (with %u for @v) if it has none. */
static const char *name_or(char *buf, size_t size, const struct names *t,
			   unsigned int v, const char *fmt)
{
	const char *name = names_get(t, v);

	if (name)
		return name;
	snprintf(buf, size, fmt, v);
	return buf;
}

#define enum_name(buf, size, t, v)	name_or(buf, size, t, v, "unknown(%u)")
#define stat_name(buf, size, v)		name_or(buf, size, &stats_names, v, "stat_%u")
#define feature_name(buf, size, v)	name_or(buf, size, &feature_names, v, "bit_%u")

static void upstream_address(char *buf, size_t size, const struct dev_upstream *up)
{
	format_addrport(buf, size, up->family, up->addr, up->have_port, up->port);
}

void dev_print_text(FILE *f, const struct dev_info *d)
{
	char buf[64], addr[ADDRPORT_STRLEN];
	const struct cfg_key *k;
	unsigned int i;
	uint32_t v;

	fprintf(f, "%sdevice: ", c_title());
	print_safe(f, d->ifname);
	fprintf(f, "%s\n", c_off());
	if (DEV_HAS(d, PKTRELAY_A_DEV_IFINDEX))
		fprintf(f, "  %sifindex%s: %" PRIu32 "\n", c_key(), c_off(), d->ifindex);

	if (DEV_HAS(d, PKTRELAY_A_DEV_UPSTREAM)) {
		const struct dev_upstream *up = &d->up;

		fprintf(f, "  %supstream%s:", c_key(), c_off());
		if (up->have_type)
			fprintf(f, " %s", enum_name(buf, sizeof(buf),
						    &upstream_names, up->type));
		if (up->family) {
			upstream_address(addr, sizeof(addr), up);
			fprintf(f, " %s", addr);
		}
		if (up->have_user) {
			fputs(" user ", f);
			print_safe(f, up->user);
		}
		fputc('\n', f);
	}

	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		if (!DEV_HAS(d, k->attr))
			continue;
		v = d->val[k->attr];
		fprintf(f, "  %s%s%s: ", c_key(), k->key, c_off());
		switch (k->kind) {
		case CFG_U32:
			fprintf(f, "%" PRIu32 "\n", v);
			break;
		case CFG_U32_OFF:
			if (v)
				fprintf(f, "%" PRIu32 "\n", v);
			else
				fputs("off\n", f);
			break;
		case CFG_MARK:
			if (v)
				fprintf(f, "0x%" PRIx32 "\n", v);
			else
				fputs("off\n", f);
			break;
		case CFG_ENUM:
			fprintf(f, "%s\n", enum_name(buf, sizeof(buf), k->names, v));
			break;
		}
	}

	if (DEV_HAS(d, PKTRELAY_A_DEV_FEATURES)) {
		v = d->val[PKTRELAY_A_DEV_FEATURES];
		fprintf(f, "  %sfeatures%s:", c_key(), c_off());
		if (!v)
			fputs(" (none)", f);
		for (i = 0; i < 32; i++)
			if (v & (UINT32_C(1) << i))
				fprintf(f, " %s", feature_name(buf, sizeof(buf), i));
		fputc('\n', f);
	}

	if (DEV_HAS(d, PKTRELAY_A_DEV_ASSOCS))
		fprintf(f, "  %sassocs%s: %" PRIu32 "\n", c_key(), c_off(),
			d->val[PKTRELAY_A_DEV_ASSOCS]);

	for (i = 0; i < d->nstats; i++) {
		char name[32];

		fprintf(f, "  %s%s%s: %" PRIu64 "\n", c_key(),
			respell(buf, sizeof(buf),
				stat_name(name, sizeof(name), d->stats[i].type),
				'_', '-'),
			c_off(), d->stats[i].value);
	}
}

void dev_print_json(struct json *j, const struct dev_info *d)
{
	char buf[64], addr[ADDRPORT_STRLEN];
	const struct cfg_key *k;
	unsigned int i;
	uint32_t v;

	json_begin_object(j);
	if (DEV_HAS(d, PKTRELAY_A_DEV_IFNAME))
		json_kv_string(j, "ifname", d->ifname);
	if (DEV_HAS(d, PKTRELAY_A_DEV_IFINDEX))
		json_kv_uint(j, "ifindex", d->ifindex);

	if (DEV_HAS(d, PKTRELAY_A_DEV_UPSTREAM)) {
		const struct dev_upstream *up = &d->up;

		json_key(j, "upstream");
		json_begin_object(j);
		if (up->have_type)
			json_kv_string(j, "type", enum_name(buf, sizeof(buf),
							    &upstream_names, up->type));
		if (up->family) {
			upstream_address(addr, sizeof(addr), up);
			json_kv_string(j, "address", addr);
		}
		if (up->have_user)
			json_kv_string(j, "username", up->user);
		json_end_object(j);
	}

	for (k = cfg_keys; k < cfg_keys + cfg_nkeys; k++) {
		if (!DEV_HAS(d, k->attr))
			continue;
		v = d->val[k->attr];
		json_key(j, respell(buf, sizeof(buf), k->key, '-', '_'));
		if (k->kind == CFG_ENUM)
			json_string(j, enum_name(buf, sizeof(buf), k->names, v));
		else
			json_uint(j, v);
	}

	if (DEV_HAS(d, PKTRELAY_A_DEV_FEATURES)) {
		v = d->val[PKTRELAY_A_DEV_FEATURES];
		json_key(j, "features");
		json_begin_array(j);
		for (i = 0; i < 32; i++)
			if (v & (UINT32_C(1) << i))
				json_string(j, feature_name(buf, sizeof(buf), i));
		json_end_array(j);
	}

	if (DEV_HAS(d, PKTRELAY_A_DEV_ASSOCS))
		json_kv_uint(j, "assocs", d->val[PKTRELAY_A_DEV_ASSOCS]);

	if (DEV_HAS(d, PKTRELAY_A_DEV_STATS)) {
		json_key(j, "stats");
		json_begin_object(j);
		for (i = 0; i < d->nstats; i++)
			json_kv_uint(j, stat_name(buf, sizeof(buf), d->stats[i].type),
				     d->stats[i].value);
		json_end_object(j);
	}
	json_end_object(j);
}
