// SPDX-License-Identifier: GPL-2.0
/*
 * pktrelay: upstream relay objects.
 *
 * An upstream is what a device relays UDP through: its kind (ops) plus the
 * parameters of that kind (a SOCKS5 server and its credentials). It is
 * immutable once built and reference counted: every configuration copy
 * that names it holds one reference and every association opened through
 * it another, so swapping the device's upstream never pulls it from under
 * associations that still use it. The last put may come from an RCU
 * callback, so freeing never sleeps.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "pktrelay.h"

struct pktrelay_upstream *pktrelay_upstream_get(struct pktrelay_upstream *up)
{
	if (up)
		refcount_inc(&up->ref);
	return up;
}

void pktrelay_upstream_put(struct pktrelay_upstream *up)
{
	if (up && refcount_dec_and_test(&up->ref))
		kfree_sensitive(up);	/* it may hold a password */
}

/* SOCKS5 needs a server; credentials are optional but come in pairs. */
static int pktrelay_upstream_parse_socks5(struct pktrelay_upstream *up,
					  struct nlattr **tb,
					  struct nlattr *nest,
					  struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = tb[PKTRELAY_A_UPSTREAM_ADDR4];
	struct nlattr *a6 = tb[PKTRELAY_A_UPSTREAM_ADDR6];
	struct nlattr *port = tb[PKTRELAY_A_UPSTREAM_PORT];
	struct nlattr *user = tb[PKTRELAY_A_UPSTREAM_USERNAME];
	struct nlattr *pass = tb[PKTRELAY_A_UPSTREAM_PASSWORD];
	int ulen = 0;

	if (!a4 == !a6) {
		NL_SET_ERR_MSG_ATTR(extack, a4 ?: nest,
				    "socks5 needs exactly one server address, IPv4 or IPv6");
		return -EINVAL;
	}
	if (!port || !nla_get_be16(port)) {
		NL_SET_ERR_MSG_ATTR(extack, port ?: nest,
				    "socks5 needs a server port (1-65535)");
		return -EINVAL;
	}
	if (!user != !pass) {
		NL_SET_ERR_MSG_ATTR(extack, user ?: pass,
				    "socks5 username and password go together");
		return -EINVAL;
	}
	if (user) {
		ulen = nla_len(user);
		/* A C string's terminating NUL is not part of the name. */
		if (ulen && !((char *)nla_data(user))[ulen - 1])
			ulen--;
		if (!ulen || !nla_len(pass) || memchr(nla_data(user), 0, ulen)) {
			NL_SET_ERR_MSG_ATTR(extack, !nla_len(pass) ? pass : user,
					    "socks5 username and password need 1-255 bytes (no NUL in the username)");
			return -EINVAL;
		}
	}

	if (a4) {
		up->server.v4.sin_family = AF_INET;
		up->server.v4.sin_addr.s_addr = nla_get_in_addr(a4);
		up->server.v4.sin_port = nla_get_be16(port);
	} else {
		up->server.v6.sin6_family = AF_INET6;
		up->server.v6.sin6_addr = nla_get_in6_addr(a6);
		up->server.v6.sin6_port = nla_get_be16(port);
	}
	if (user) {
		up->ulen = ulen;
		memcpy(up->username, nla_data(user), ulen);
		up->plen = nla_len(pass);
		memcpy(up->password, nla_data(pass), up->plen);
	}
	return 0;
}

/*
 * Build the upstream a PKTRELAY_A_DEV_UPSTREAM nest describes (already
 * validated against the nested policy). *@upp is NULL for "none".
 */
int pktrelay_upstream_parse(struct pktrelay_upstream **upp, struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PKTRELAY_A_UPSTREAM_MAX + 1];
	const struct pktrelay_upstream_ops *ops;
	struct pktrelay_upstream *up;
	int err, i;

	err = nla_parse_nested(tb, PKTRELAY_A_UPSTREAM_MAX, nest, NULL, extack);
	if (err)
		return err;
	if (!tb[PKTRELAY_A_UPSTREAM_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "upstream needs a type");
		return -EINVAL;
	}

	switch (nla_get_u8(tb[PKTRELAY_A_UPSTREAM_TYPE])) {
	case PKTRELAY_UPSTREAM_NONE:
		ops = NULL;
		break;
	case PKTRELAY_UPSTREAM_DIRECT:
		ops = &pktrelay_upstream_direct;
		break;
	case PKTRELAY_UPSTREAM_SOCKS5:
		ops = &pktrelay_upstream_socks5;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[PKTRELAY_A_UPSTREAM_TYPE],
				    "this pktrelay module does not implement that upstream type");
		return -EOPNOTSUPP;
	}

	if (!ops || ops->type != PKTRELAY_UPSTREAM_SOCKS5) {
		for (i = PKTRELAY_A_UPSTREAM_TYPE + 1; i <= PKTRELAY_A_UPSTREAM_MAX; i++) {
			if (tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "this upstream type takes no address or credentials");
				return -EINVAL;
			}
		}
	}

	*upp = NULL;
	if (!ops)
		return 0;

	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	refcount_set(&up->ref, 1);
	up->ops = ops;
	if (ops->type == PKTRELAY_UPSTREAM_SOCKS5) {
		err = pktrelay_upstream_parse_socks5(up, tb, nest, extack);
		if (err) {
			pktrelay_upstream_put(up);
			return err;
		}
	}
	*upp = up;
	return 0;
}

u8 pktrelay_upstream_type(const struct pktrelay_upstream *up)
{
	return up ? up->ops->type : PKTRELAY_UPSTREAM_NONE;
}

/* The PKTRELAY_A_DEV_UPSTREAM nest; the password is never echoed. */
int pktrelay_upstream_fill(struct sk_buff *skb,
			   const struct pktrelay_upstream *up)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PKTRELAY_A_DEV_UPSTREAM);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, PKTRELAY_A_UPSTREAM_TYPE, pktrelay_upstream_type(up)))
		goto err;
	if (up && up->server.sa.sa_family == AF_INET &&
	    (nla_put_in_addr(skb, PKTRELAY_A_UPSTREAM_ADDR4,
			     up->server.v4.sin_addr.s_addr) ||
	     nla_put_be16(skb, PKTRELAY_A_UPSTREAM_PORT, up->server.v4.sin_port)))
		goto err;
	if (up && up->server.sa.sa_family == AF_INET6 &&
	    (nla_put_in6_addr(skb, PKTRELAY_A_UPSTREAM_ADDR6,
			      &up->server.v6.sin6_addr) ||
	     nla_put_be16(skb, PKTRELAY_A_UPSTREAM_PORT, up->server.v6.sin6_port)))
		goto err;
	if (up && up->ulen &&
	    nla_put_string(skb, PKTRELAY_A_UPSTREAM_USERNAME, up->username))
		goto err;
	nla_nest_end(skb, nest);
	return 0;

err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
