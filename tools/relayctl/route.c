// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl route add|del|show DEV: policy routing into a pktrelay device.
 *
 * What "route add" installs, for each address family:
 *   - in table T, one route: "default dev DEV";
 *   - at priority P, rules that send to table T what DEV should see:
 *     "proto udp" selects UDP and ICMP/ICMPv6 echo requests, "proto all"
 *     everything; both skip packets carrying the bits of DEV's fwmark, so
 *     its own upstream traffic does not loop back into it.
 * All of them carry protocol ROUTE_RTPROT, which is how "del" and "show"
 * tell them from anybody else's.
 *
 * Crash safety: T holds nothing but routes through DEV ("add" refuses a
 * table with anything else in it). When DEV goes away the kernel deletes
 * those routes, T is empty, and lookups fall through our rules to the
 * main table: stale rules are harmless and the host stays online.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netlink/cache.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include "color.h"
#include "dev.h"
#include "json.h"
#include "nl.h"
#include "relayctl.h"
#include "route.h"

/*
 * For ICMP the kernel's flow key keeps the message type and code where a
 * port-based protocol keeps its destination port (the "uli" union of
 * struct flowi4/flowi6), and FIB rules compare that field as a port. So
 * "dport TYPE << 8 | CODE" selects echo requests of ping sockets and raw
 * ICMP sockets alike, and leaves ICMP errors the host sends alone.
 */
#define ECHO4_DPORT	(8 << 8)	/* ICMP_ECHO, code 0 */
#define ECHO6_DPORT	(128 << 8)	/* ICMPV6_ECHO_REQUEST, code 0 */

#define MAX_RULES	2	/* per family */
#define MAX_STEPS	(2 * (1 + MAX_RULES))
#define DESC_LEN	192

struct fam {
	int af;
	const char *ip;		/* "-4" or "-6": the steps read like ip(8) */
	const char *json;	/* "inet" or "inet6" */
	uint8_t icmp;		/* IPPROTO_ICMP or IPPROTO_ICMPV6 */
	uint16_t echo_dport;
};

static const struct fam fams[] = {
	{ AF_INET, "-4", "inet", IPPROTO_ICMP, ECHO4_DPORT },
	{ AF_INET6, "-6", "inet6", IPPROTO_ICMPV6, ECHO6_DPORT },
};

/* A rule, as far as relayctl cares. */
struct rule_key {
	uint32_t prio, table, mark, mask;
	uint8_t ipproto;	/* 0: any */
	uint16_t dport;		/* 0: any */
	bool other;		/* some selector or action we never install */
};

/* The state of one family: every rule, every route of table T. */
struct fam_state {
	const struct fam *f;
	struct nl_cache *rules, *routes;
};

enum step_kind { STEP_ROUTE, STEP_RULE };

struct step {
	enum step_kind kind;
	const struct fam *f;
	struct rtnl_route *route;
	struct rtnl_rule *rule;
	char desc[DESC_LEN];	/* "route add default dev relay0 table 5353" */
};

struct plan {
	struct step step[MAX_STEPS];
	unsigned int n;
};

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "ipv6-icmp";
	case IPPROTO_TCP:
		return "tcp";
	}
	return NULL;
}

static void rule_key_of(struct rtnl_rule *r, struct rule_key *k)
{
	uint16_t lo, hi;
	uint8_t p;

	memset(k, 0, sizeof(*k));
	k->prio = rtnl_rule_get_prio(r);
	k->table = rtnl_rule_get_table(r);
	k->mark = rtnl_rule_get_mark(r);
	k->mask = rtnl_rule_get_mask(r);
	if (rtnl_rule_get_ipproto(r, &p) == 0)
		k->ipproto = p;
	if (rtnl_rule_get_dport(r, &lo, &hi) == 0) {
		k->dport = lo;
		k->other |= lo != hi || !lo;
	}
	k->other |= rtnl_rule_get_sport(r, &lo, &hi) == 0;
	k->other |= rtnl_rule_get_action(r) != FR_ACT_TO_TBL;
	k->other |= rtnl_rule_get_src(r) || rtnl_rule_get_dst(r);
	k->other |= rtnl_rule_get_iif(r) || rtnl_rule_get_oif(r);
	k->other |= rtnl_rule_get_dsfield(r) || rtnl_rule_get_goto(r);
	k->other |= rtnl_rule_get_l3mdev(r) > 0;
}

static bool rule_is_ours(struct rtnl_rule *r, const struct fam *f, uint32_t table)
{
	uint8_t p;

	return rtnl_rule_get_family(r) == f->af &&
	       rtnl_rule_get_protocol(r, &p) == 0 && p == ROUTE_RTPROT &&
	       rtnl_rule_get_table(r) == table;
}

/* "priority 5353 ipproto udp fwmark 0/0x100 lookup 5353" */
static void rule_desc(char *buf, size_t size, const struct rule_key *k)
{
	const char *p = proto_name(k->ipproto);
	int n;

	n = snprintf(buf, size, "priority %u", k->prio);
	if (k->ipproto && p)
		n += snprintf(buf + n, size - (size_t)n, " ipproto %s", p);
	else if (k->ipproto)
		n += snprintf(buf + n, size - (size_t)n, " ipproto %u", k->ipproto);
	if (k->dport)
		n += snprintf(buf + n, size - (size_t)n, " dport %u", k->dport);
	if (k->mark || k->mask)
		n += snprintf(buf + n, size - (size_t)n, " fwmark %#x/%#x", k->mark, k->mask);
	snprintf(buf + n, size - (size_t)n, " lookup %u%s", k->table,
		 k->other ? " (and more)" : "");
}

/* What a rule selects, in words: "udp", "icmp echo", "all" or "other". */
static const char *rule_selects(const struct rule_key *k)
{
	if (k->other)
		return "other";
	if (!k->ipproto && !k->dport)
		return "all";
	if (k->ipproto == IPPROTO_UDP && !k->dport)
		return "udp";
	if ((k->ipproto == IPPROTO_ICMP && k->dport == ECHO4_DPORT) ||
	    (k->ipproto == IPPROTO_ICMPV6 && k->dport == ECHO6_DPORT))
		return "icmp echo";
	return "other";
}

/* The rules "route add" wants for @f; returns how many. */
static unsigned int wanted_rules(const struct route_args *a, const struct fam *f,
				 uint32_t mark, struct rule_key *k)
{
	unsigned int n = 0;

	memset(k, 0, MAX_RULES * sizeof(*k));
	k[n].ipproto = a->select == ROUTE_SELECT_UDP ? IPPROTO_UDP : 0;
	n++;
	if (a->select == ROUTE_SELECT_UDP) {
		k[n].ipproto = f->icmp;
		k[n].dport = f->echo_dport;
		n++;
	}
	for (unsigned int i = 0; i < n; i++) {
		k[i].prio = a->prio;
		k[i].table = a->table;
		/* mark 0 under mask MARK: none of the mark's bits set */
		k[i].mark = 0;
		k[i].mask = mark;
	}
	return n;
}

static struct rtnl_rule *rule_new(const struct fam *f, const struct rule_key *k)
{
	struct rtnl_rule *r = rtnl_rule_alloc();

	if (!r)
		return NULL;
	rtnl_rule_set_family(r, f->af);
	rtnl_rule_set_prio(r, k->prio);
	rtnl_rule_set_action(r, FR_ACT_TO_TBL);
	rtnl_rule_set_table(r, k->table);
	rtnl_rule_set_mark(r, k->mark);
	rtnl_rule_set_mask(r, k->mask);
	if ((k->ipproto && rtnl_rule_set_ipproto(r, k->ipproto) < 0) ||
	    (k->dport && rtnl_rule_set_dport_range(r, k->dport, k->dport) < 0) ||
	    rtnl_rule_set_protocol(r, ROUTE_RTPROT) < 0) {
		rtnl_rule_put(r);
		return NULL;
	}
	return r;
}

static struct rtnl_route *route_new(const struct fam *f, uint32_t table, int ifindex)
{
	static const unsigned char zero[16];
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst;

	dst = nl_addr_build(f->af, zero, f->af == AF_INET ? 4 : 16);
	if (!rt || !nh || !dst)
		goto fail;
	nl_addr_set_prefixlen(dst, 0);
	rtnl_route_set_family(rt, (uint8_t)f->af);
	if (rtnl_route_set_dst(rt, dst) < 0)
		goto fail;
	nl_addr_put(dst);
	dst = NULL;
	rtnl_route_set_table(rt, table);
	rtnl_route_set_protocol(rt, ROUTE_RTPROT);
	rtnl_route_set_type(rt, RTN_UNICAST);
	/* No gateway: the destination is on the link, as "ip route" does it. */
	rtnl_route_set_scope(rt, f->af == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(rt, nh);
	return rt;
fail:
	nl_addr_put(dst);
	rtnl_route_nh_free(nh);
	rtnl_route_put(rt);
	return NULL;
}

static bool route_in_table(struct rtnl_route *rt, const struct fam *f, uint32_t table)
{
	return rtnl_route_get_family(rt) == f->af && rtnl_route_get_table(rt) == table;
}

/* The device of a single-hop route, or 0. */
static int route_ifindex(struct rtnl_route *rt)
{
	struct rtnl_nexthop *nh;

	if (rtnl_route_get_nnexthops(rt) != 1)
		return 0;
	nh = rtnl_route_nexthop_n(rt, 0);
	return nh && !rtnl_route_nh_get_gateway(nh) ? rtnl_route_nh_get_ifindex(nh) : 0;
}

/* Installed by us: default, unicast, through some device; returns it or 0. */
static int route_ours_dev(struct rtnl_route *rt)
{
	struct nl_addr *dst = rtnl_route_get_dst(rt);

	if (rtnl_route_get_protocol(rt) != ROUTE_RTPROT ||
	    rtnl_route_get_type(rt) != RTN_UNICAST ||
	    !dst || nl_addr_get_prefixlen(dst) != 0)
		return 0;
	return route_ifindex(rt);
}

/* Installed by us through @ifindex (never true for 0: a gone device). */
static bool route_is_ours(struct rtnl_route *rt, int ifindex)
{
	return ifindex && route_ours_dev(rt) == ifindex;
}

/* "default dev relay0 table 5353" */
static void route_desc(char *buf, size_t size, struct rtnl_route *rt, uint32_t table)
{
	char dev[32], dst[64];
	struct nl_addr *d = rtnl_route_get_dst(rt);
	int ifindex = route_ifindex(rt);

	if (!d || !nl_addr_get_prefixlen(d))
		snprintf(dst, sizeof(dst), "default");
	else
		nl_addr2str(d, dst, sizeof(dst));
	if (!ifindex || !if_indextoname((unsigned int)ifindex, dev))
		snprintf(dev, sizeof(dev), "%s", ifindex ? "?" : "(gateway or multipath)");
	snprintf(buf, size, "%s dev %s table %u", dst, dev, table);
}

static void state_free(struct fam_state *s)
{
	if (s->rules)
		nl_cache_free(s->rules);
	if (s->routes)
		nl_cache_free(s->routes);
	s->rules = s->routes = NULL;
}

static int state_load(struct rnl *c, struct fam_state *s, const struct fam *f)
{
	int err;

	s->f = f;
	err = rtnl_rule_alloc_cache(c->sk, f->af, &s->rules);
	if (err >= 0)
		err = rtnl_route_alloc_cache(c->sk, f->af, 0, &s->routes);
	if (err < 0) {
		pr_err("%s: reading the %s rules and routes: %s", c->op,
		       f->af == AF_INET ? "IPv4" : "IPv6", nl_geterror(err));
		state_free(s);
		return -1;
	}
	return 0;
}

#define for_each_rule(r, s) \
	for (r = (struct rtnl_rule *)nl_cache_get_first((s)->rules); r; \
	     r = (struct rtnl_rule *)nl_cache_get_next((struct nl_object *)r))
#define for_each_route(rt, s) \
	for (rt = (struct rtnl_route *)nl_cache_get_first((s)->routes); rt; \
	     rt = (struct rtnl_route *)nl_cache_get_next((struct nl_object *)rt))
/* Our rules into @table; our routes through @ifindex in @table. */
#define for_each_our_rule(r, s, table) \
	for_each_rule(r, s) \
		if (!rule_is_ours(r, (s)->f, table)) {} else
#define for_each_our_route(rt, s, table, ifindex) \
	for_each_route(rt, s) \
		if (!route_in_table(rt, (s)->f, table) || !route_is_ours(rt, ifindex)) {} else

static void states_free(struct fam_state *s, unsigned int n)
{
	while (n-- > 0)
		state_free(&s[n]);
}

/*
 * The table a device's routes are in, from the routes we installed
 * through @ifindex; 0 if there are none.
 */
static uint32_t find_table(struct fam_state *s, unsigned int n, int ifindex)
{
	struct rtnl_route *rt;
	unsigned int i;

	if (!ifindex)
		return 0;
	for (i = 0; i < n; i++)
		for_each_route(rt, &s[i])
			if (route_is_ours(rt, ifindex))
				return rtnl_route_get_table(rt);
	return 0;
}

/*
 * Run one request built by libnl-route. @inject makes it fail without
 * being sent (RELAYCTL_TEST_FAIL_STEP, for the rollback tests).
 */
static int send_request(struct rnl *c, struct nl_msg *msg, bool inject)
{
	int err;

	if (inject) {
		c->nlerr = 0;
		c->error = EIO;
		c->bad_attr = NULL;
		c->policy[0] = '\0';
		c->missing_type = -1;
		snprintf(c->kmsg, sizeof(c->kmsg), "failure injected by RELAYCTL_TEST_FAIL_STEP");
		nlmsg_free(msg);
		return -1;
	}
	c->nlabels = 0;
	err = rnl_exchange(c, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}

static int do_step(struct rnl *c, const struct step *s, bool add, bool inject)
{
	struct nl_msg *msg = NULL;
	int err;

	if (s->kind == STEP_ROUTE)
		err = add ? rtnl_route_build_add_request(s->route, NLM_F_EXCL, &msg) :
			    rtnl_route_build_del_request(s->route, 0, &msg);
	else
		err = add ? rtnl_rule_build_add_request(s->rule, NLM_F_EXCL, &msg) :
			    rtnl_rule_build_delete_request(s->rule, 0, &msg);
	if (err < 0) {
		memset(c->kmsg, 0, sizeof(c->kmsg));
		c->error = 0;
		c->bad_reply = false;
		c->nlerr = err;
		return -1;
	}
	return send_request(c, msg, inject);
}

static void plan_free(struct plan *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		if (p->step[i].route)
			rtnl_route_put(p->step[i].route);
		if (p->step[i].rule)
			rtnl_rule_put(p->step[i].rule);
	}
	p->n = 0;
}

/* Step number (1-based) that RELAYCTL_TEST_FAIL_STEP asks to fail, or 0. */
static unsigned int fail_step(void)
{
	const char *s = getenv("RELAYCTL_TEST_FAIL_STEP");

	return s ? (unsigned int)strtoul(s, NULL, 10) : 0;
}

/*
 * Run the plan. Adding stops at the first failure and undoes the steps
 * done, newest first, so the rules and routes are as they were; deleting
 * goes on past a failure, to leave as little behind as it can.
 */
static int plan_run(struct rnl *c, struct plan *p, bool add)
{
	unsigned int i, inject = add ? fail_step() : 0;
	char op[DESC_LEN + 64];
	const char *verb = add ? "add" : "del";
	int ret = 0;

	for (i = 0; i < p->n; i++) {
		snprintf(op, sizeof(op), "route %s: step %u of %u (ip %s %s)", verb,
			 i + 1, p->n, p->step[i].f->ip, p->step[i].desc);
		c->op = op;
		if (do_step(c, &p->step[i], add, inject == i + 1) == 0)
			continue;
		rnl_perror(c);
		ret = -1;
		if (add)
			break;
	}
	c->op = add ? "route add" : "route del";
	if (!add || !ret)
		return ret;

	/* Undo, newest first. */
	while (i-- > 0) {
		snprintf(op, sizeof(op), "route add: undoing step %u (ip %s %s)",
			 i + 1, p->step[i].f->ip, p->step[i].desc);
		c->op = op;
		if (do_step(c, &p->step[i], false, false) < 0) {
			rnl_perror(c);
			c->op = "route add";
			pr_err("route add: could not undo everything; see 'relayctl route show'");
			return -1;
		}
	}
	c->op = "route add";
	pr_err("route add: nothing changed");
	return -1;
}

static int plan_add_rule(struct plan *p, const struct fam *f, const struct rule_key *k,
			 struct rtnl_rule *existing, bool add)
{
	struct step *s = &p->step[p->n];
	char d[DESC_LEN - 32];

	s->kind = STEP_RULE;
	s->f = f;
	s->route = NULL;
	if (existing) {
		nl_object_get((struct nl_object *)existing);
		s->rule = existing;
	} else {
		s->rule = rule_new(f, k);
	}
	if (!s->rule)
		return -1;
	rule_desc(d, sizeof(d), k);
	snprintf(s->desc, sizeof(s->desc), "rule %s %s protocol %u", add ? "add" : "del",
		 d, ROUTE_RTPROT);
	p->n++;
	return 0;
}

static void plan_add_route(struct plan *p, const struct fam *f, struct rtnl_route *rt,
			   uint32_t table, bool add)
{
	struct step *s = &p->step[p->n];
	char d[DESC_LEN - 32];

	s->kind = STEP_ROUTE;
	s->f = f;
	s->rule = NULL;
	s->route = rt;
	route_desc(d, sizeof(d), rt, table);
	snprintf(s->desc, sizeof(s->desc), "route %s %s proto %u", add ? "add" : "del",
		 d, ROUTE_RTPROT);
	p->n++;
}

static bool same_rule(const struct rule_key *x, const struct rule_key *y)
{
	return !x->other && !y->other && x->prio == y->prio && x->table == y->table &&
	       x->mark == y->mark && x->mask == y->mask && x->ipproto == y->ipproto &&
	       x->dport == y->dport;
}

/* Our rules for table @table in @s, at most @max of them into @k. */
static unsigned int our_rules(struct fam_state *s, uint32_t table, struct rule_key *k,
			      struct rtnl_rule **obj, unsigned int max)
{
	struct rtnl_rule *r;
	unsigned int n = 0;

	for_each_our_rule(r, s, table) {
		if (n < max) {
			rule_key_of(r, &k[n]);
			if (obj)
				obj[n] = r;
		}
		n++;
	}
	return n;
}

/* Plan "route add" for one family; 0 with nothing to do is fine. */
static int plan_family_add(struct rnl *c, struct plan *p, struct fam_state *s,
			   const struct route_args *a, int ifindex, uint32_t mark)
{
	struct rule_key want[MAX_RULES], have[MAX_RULES + 1];
	unsigned int nwant, nhave, i, j;
	struct rtnl_route *rt;
	bool route_done = false;
	char d[DESC_LEN];

	for_each_route(rt, s) {
		if (!route_in_table(rt, s->f, a->table))
			continue;
		if (route_is_ours(rt, ifindex)) {
			route_done = true;
			continue;
		}
		route_desc(d, sizeof(d), rt, a->table);
		pr_err("%s: table %u already holds a route not installed for %s (ip %s route: %s); "
		       "pick another table", c->op, a->table, a->dev, s->f->ip, d);
		return -1;
	}

	nwant = wanted_rules(a, s->f, mark, want);
	nhave = our_rules(s, a->table, have, NULL, MAX_RULES + 1);
	if (nhave) {
		bool same = nhave == nwant;

		for (i = 0; same && i < nwant; i++) {
			for (j = 0; j < nhave && !same_rule(&want[i], &have[j]); j++)
				;
			same = j < nhave;
		}
		if (!same) {
			pr_err("%s: %s already has different rules for table %u; "
			       "run 'relayctl route del %s' first", c->op, a->dev, a->table,
			       a->dev);
			return -1;
		}
	}

	if (!route_done) {
		rt = route_new(s->f, a->table, ifindex);
		if (!rt)
			goto nomem;
		plan_add_route(p, s->f, rt, a->table, true);
	}
	for (i = 0; !nhave && i < nwant; i++)
		if (plan_add_rule(p, s->f, &want[i], NULL, true) < 0)
			goto nomem;
	return 0;
nomem:
	pr_err("%s: out of memory", c->op);
	return -1;
}

/* Everything "route del" removes for one family: rules first, then routes. */
static int plan_family_del(struct rnl *c, struct plan *p, struct fam_state *s,
			   uint32_t table, int ifindex)
{
	struct rule_key k[MAX_STEPS];
	struct rtnl_rule *obj[MAX_STEPS];
	struct rtnl_route *rt;
	unsigned int n, i;

	n = our_rules(s, table, k, obj, MAX_STEPS);
	if (n > MAX_STEPS - p->n - 1) {
		pr_err("%s: table %u has %u rules marked protocol %u; remove them with ip rule",
		       c->op, table, n, ROUTE_RTPROT);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (plan_add_rule(p, s->f, &k[i], obj[i], false) < 0)
			goto nomem;
	for_each_our_route(rt, s, table, ifindex) {
		if (p->n == MAX_STEPS)
			break;
		nl_object_get((struct nl_object *)rt);
		plan_add_route(p, s->f, rt, table, false);
	}
	return 0;
nomem:
	pr_err("%s: out of memory", c->op);
	return -1;
}

/* Load the state of the families @a selects into @s; returns how many. */
static int load_all(struct rnl *c, const struct route_args *a, struct fam_state *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < 2; i++) {
		if (!(fams[i].af == AF_INET ? a->v4 : a->v6))
			continue;
		if (state_load(c, &s[n], &fams[i]) < 0) {
			states_free(s, n);
			return -1;
		}
		n++;
	}
	return (int)n;
}

static int route_add(const struct route_args *a)
{
	struct fam_state s[2] = { 0 };
	struct plan p = { .n = 0 };
	struct dev_info d;
	struct rnl c;
	int i, n, ifindex, ret = 1;
	uint32_t mark, table;

	if (rnl_open(&c, "route add") < 0)
		return 1;
	if (dev_fetch(&c, a->dev, &d) < 0) {
		rnl_close(&c);
		return 1;
	}
	rnl_close(&c);
	ifindex = (int)d.ifindex;
	mark = d.val[PKTRELAY_A_DEV_FWMARK];
	if (!DEV_HAS(&d, PKTRELAY_A_DEV_FWMARK) || !mark) {
		pr_err("route add: %s has no fwmark, so its own upstream traffic would be "
		       "routed back into it; set one first: relayctl set %s fwmark 0x100",
		       a->dev, a->dev);
		return 1;
	}

	if (rnl_open_route(&c, "route add") < 0)
		return 1;
	n = load_all(&c, a, s);
	if (n < 0)
		goto close;
	table = find_table(s, (unsigned int)n, ifindex);
	if (table && table != a->table) {
		pr_err("route add: %s is already routed through table %u; "
		       "run 'relayctl route del %s' first", a->dev, table, a->dev);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (plan_family_add(&c, &p, &s[i], a, ifindex, mark) < 0)
			goto out;
	ret = plan_run(&c, &p, true) < 0;
out:
	plan_free(&p);
	states_free(s, (unsigned int)n);
close:
	rnl_close(&c);
	return ret;
}

/*
 * Another device whose routes we installed in @table, or 0. Rules do not
 * name a device: when @dev is gone and a later "route add" put another
 * device's route into the same table, the rules left are that device's now.
 */
static int table_taken(struct fam_state *s, unsigned int n, uint32_t table, int ifindex)
{
	struct rtnl_route *rt;
	unsigned int i;
	int dev;

	for (i = 0; i < n; i++)
		for_each_route(rt, &s[i]) {
			if (!route_in_table(rt, s[i].f, table))
				continue;
			dev = route_ours_dev(rt);
			if (dev && dev != ifindex)
				return dev;
		}
	return 0;
}

/* The device's table: given, found from its routes, or the default. */
static uint32_t table_of(const struct route_args *a, struct fam_state *s, unsigned int n,
			 int ifindex)
{
	uint32_t t;

	if (a->have_table)
		return a->table;
	t = find_table(s, n, ifindex);
	return t ? t : ROUTE_TABLE_DEFAULT;
}

static int route_del(const struct route_args *a)
{
	struct fam_state s[2] = { 0 };
	struct plan p = { .n = 0 };
	int i, n, ifindex, other, ret = 1;
	uint32_t table;
	struct rnl c;

	/* Gone devices are fine: their stale rules are what is left to remove. */
	ifindex = (int)if_nametoindex(a->dev);
	if (rnl_open_route(&c, "route del") < 0)
		return 1;
	n = load_all(&c, a, s);
	if (n < 0)
		goto close;
	table = table_of(a, s, (unsigned int)n, ifindex);
	other = table_taken(s, (unsigned int)n, table, ifindex);
	if (other) {
		char name[IF_NAMESIZE];

		pr_err("route del: table %u routes through %s now, not %s; nothing removed",
		       table, if_indextoname((unsigned int)other, name) ? name : "another device",
		       a->dev);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (plan_family_del(&c, &p, &s[i], table, ifindex) < 0)
			goto out;
	if (!p.n) {
		pr_err("route del: no rules or routes of %s installed by relayctl (table %u)",
		       a->dev, table);
		goto out;
	}
	ret = plan_run(&c, &p, false) < 0;
out:
	plan_free(&p);
	states_free(s, (unsigned int)n);
close:
	rnl_close(&c);
	return ret;
}

static void show_json(struct json *j, struct fam_state *s, unsigned int n, uint32_t table,
		      int ifindex, const char *dev)
{
	struct rtnl_route *rt;
	struct rtnl_rule *r;
	struct rule_key k;
	unsigned int i;
	char name[IF_NAMESIZE];

	json_begin_object(j);
	json_kv_string(j, "ifname", dev);
	json_kv_uint(j, "table", table);
	json_key(j, "routes");
	json_begin_array(j);
	for (i = 0; i < n; i++) {
		for_each_our_route(rt, &s[i], table, ifindex) {
			json_begin_object(j);
			json_kv_string(j, "family", s[i].f->json);
			json_kv_string(j, "dst", "default");
			if (if_indextoname((unsigned int)route_ifindex(rt), name))
				json_kv_string(j, "dev", name);
			json_kv_uint(j, "table", table);
			json_kv_uint(j, "protocol", ROUTE_RTPROT);
			json_end_object(j);
		}
	}
	json_end_array(j);
	json_key(j, "rules");
	json_begin_array(j);
	for (i = 0; i < n; i++) {
		for_each_our_rule(r, &s[i], table) {
			rule_key_of(r, &k);
			json_begin_object(j);
			json_kv_string(j, "family", s[i].f->json);
			json_kv_uint(j, "priority", k.prio);
			json_kv_string(j, "selects", rule_selects(&k));
			if (k.ipproto)
				json_kv_uint(j, "ipproto", k.ipproto);
			if (k.dport)
				json_kv_uint(j, "dport", k.dport);
			json_kv_uint(j, "fwmark", k.mark);
			json_kv_uint(j, "fwmask", k.mask);
			json_kv_uint(j, "table", k.table);
			json_kv_uint(j, "protocol", ROUTE_RTPROT);
			json_end_object(j);
		}
	}
	json_end_array(j);
	json_end_object(j);
}

static void show_text(struct fam_state *s, unsigned int n, uint32_t table, int ifindex)
{
	struct rtnl_route *rt;
	struct rtnl_rule *r;
	struct rule_key k;
	unsigned int i;
	char d[DESC_LEN];

	for (i = 0; i < n; i++) {
		for_each_our_route(rt, &s[i], table, ifindex) {
			route_desc(d, sizeof(d), rt, table);
			printf("%s%s route%s %s\n", c_key(), s[i].f->ip, c_off(), d);
		}
		for_each_our_rule(r, &s[i], table) {
			rule_key_of(r, &k);
			rule_desc(d, sizeof(d), &k);
			printf("%s%s rule%s  %s  # %s\n", c_key(), s[i].f->ip, c_off(), d,
			       rule_selects(&k));
		}
	}
}

static int route_show(const struct route_args *a, const struct opts *o)
{
	struct fam_state s[2] = { 0 };
	int n, ifindex;
	unsigned int shown;
	uint32_t table;
	struct rnl c;

	ifindex = (int)if_nametoindex(a->dev);
	if (rnl_open_route(&c, "route show") < 0)
		return 1;
	n = load_all(&c, a, s);
	rnl_close(&c);
	if (n < 0)
		return 1;
	table = table_of(a, s, (unsigned int)n, ifindex);
	/* Another device's table holds nothing of this one's. */
	shown = table_taken(s, (unsigned int)n, table, ifindex) ? 0 : (unsigned int)n;
	if (o->json) {
		struct json j;

		json_init(&j, stdout);
		show_json(&j, s, shown, table, ifindex, a->dev);
	} else {
		show_text(s, shown, table, ifindex);
	}
	states_free(s, (unsigned int)n);
	return fflush(stdout) ? 1 : 0;
}

void help_route(void)
{
	printf("Usage: " PROG " route add DEV [table ID] [priority N] [proto udp|all] [-4|-6]\n"
	       "       " PROG " route del DEV [table ID] [-4|-6]\n"
	       "       " PROG " [-j] route show DEV [table ID] [-4|-6]\n"
	       "\n"
	       "Send traffic into the pktrelay device DEV with policy routing.\n"
	       "\n"
	       "add   puts \"default dev DEV\" into table ID (default %d) and adds rules at\n"
	       "      priority N (default %d) that send to the table: with \"proto udp\"\n"
	       "      (the default) UDP and ICMP/ICMPv6 echo requests, with \"proto all\"\n"
	       "      everything. Packets with DEV's fwmark bits set stay out, so DEV must\n"
	       "      have a fwmark. IPv4 and IPv6 unless -4 or -6. All or nothing: if a\n"
	       "      step fails, the steps done are undone. Running it again changes nothing.\n"
	       "del   removes what \"add\" installed (rules and routes of protocol %d in\n"
	       "      DEV's table), and nothing else; also when DEV is gone.\n"
	       "show  lists what \"add\" installed.\n"
	       "\n"
	       "The table holds only routes through DEV: when DEV goes away, so do they,\n"
	       "and lookups fall through to the main table.\n",
	       ROUTE_TABLE_DEFAULT, ROUTE_PRIO_DEFAULT, ROUTE_RTPROT);
}

int cmd_route(int argc, char **argv, const struct opts *o)
{
	struct route_args a;

	if (route_parse_args(argc, argv, &a) < 0)
		return 1;
	if (a.help) {
		help_route();
		return 0;
	}
	switch (a.op) {
	case ROUTE_ADD:
		return route_add(&a);
	case ROUTE_DEL:
		return route_del(&a);
	case ROUTE_SHOW:
		return route_show(&a, o);
	}
	return 1;
}
