/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relayctl: the configuration keys and the names of UAPI enum values,
 * shared by "set" (parsing) and "show" (printing) so both speak the same
 * words.
 */
#ifndef RELAYCTL_ATTRS_H
#define RELAYCTL_ATTRS_H

#include <stdint.h>
#include <stdio.h>

#include <linux/pktrelay.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A list of names indexed by enum value; holes are NULL. */
struct names {
	const char *const *name;
	unsigned int n;
};

/* Name of @v, or NULL if @v has none. */
const char *names_get(const struct names *t, unsigned int v);
/* Value named @s, or -1. */
int names_find(const struct names *t, const char *s);
/* Print "a, b, c" to @f. */
void names_list(const struct names *t, FILE *f);
/* Name of @v, or "unknown(@v)" written into @buf. */
const char *names_enum(const struct names *t, unsigned int v, char *buf,
		       size_t size);

extern const struct names upstream_names;	/* none, direct, socks5 */
extern const struct names feature_names;	/* by bit number */
extern const struct names stats_names;		/* by PKTRELAY_A_STATS_* */
extern const struct names assoc_state_names;	/* pending, ready, dead */
extern const struct names close_reason_names;	/* idle, flushed, ... */

enum cfg_kind {
	CFG_U32,	/* decimal u32 */
	CFG_U32_OFF,	/* decimal u32, or "off" for 0 */
	CFG_MARK,	/* decimal or 0x hex u32, or "off" for 0; shown in hex */
	CFG_ENUM,	/* u8, one of .names */
};

/* A scalar configuration key: "set DEV key VALUE", "key: VALUE" in show. */
struct cfg_key {
	const char *key;	/* hyphenated; the JSON key has '_' instead */
	int attr;		/* PKTRELAY_A_DEV_* */
	enum cfg_kind kind;
	const struct names *names;	/* CFG_ENUM */
};

/* In the order show prints them. "upstream" is handled on its own. */
extern const struct cfg_key cfg_keys[];
extern const unsigned int cfg_nkeys;

const struct cfg_key *cfg_key_find(const char *key);

/*
 * @v of @k written as "set" takes it ("off" for a 0 that means none, marks
 * in hex) into @buf; NULL for an enum value without a name.
 */
const char *cfg_format(const struct cfg_key *k, uint32_t v, char *buf,
		       size_t size);

#endif /* RELAYCTL_ATTRS_H */
