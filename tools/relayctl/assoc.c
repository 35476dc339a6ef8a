// SPDX-License-Identifier: GPL-2.0
/*
 * relayctl: parse an association message and print it.
 */
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "assoc.h"
#include "attrs.h"
#include "color.h"
#include "parse.h"

_Static_assert(PKTRELAY_A_ASSOC_MAX < 32, "assoc_info.have is a 32-bit mask");

static int addr_len(const struct assoc_info *a)
{
	return a->val[PKTRELAY_A_ASSOC_FAMILY] == AF_INET ? 4 : 16;
}

/* Copy the address attribute @type into @dst; -1 if its length is wrong. */
static int parse_addr(const struct assoc_info *a, struct nlattr **tb, int type,
		      unsigned char *dst)
{
	if (!tb[type])
		return 0;
	if (nla_len(tb[type]) != addr_len(a))
		return -1;
	memcpy(dst, nla_data(tb[type]), (size_t)addr_len(a));
	return 0;
}

static int parse_nest(struct nlattr *nest, struct assoc_info *a)
{
	struct nla_policy policy[PKTRELAY_A_ASSOC_MAX + 1] = {
		[PKTRELAY_A_ASSOC_ID] = { .type = NLA_U32 },
		[PKTRELAY_A_ASSOC_FAMILY] = { .type = NLA_U8 },
		[PKTRELAY_A_ASSOC_LOCAL_PORT] = { .type = NLA_U16 },
		[PKTRELAY_A_ASSOC_REMOTE_PORT] = { .type = NLA_U16 },
		[PKTRELAY_A_ASSOC_UPSTREAM] = { .type = NLA_U8 },
		[PKTRELAY_A_ASSOC_RELAY_PORT] = { .type = NLA_U16 },
		[PKTRELAY_A_ASSOC_STATE] = { .type = NLA_U8 },
		[PKTRELAY_A_ASSOC_TX_PACKETS] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_TX_BYTES] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_RX_PACKETS] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_RX_BYTES] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_AGE_MS] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_IDLE_MS] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_EXPIRES_MS] = { .type = NLA_U64 },
		[PKTRELAY_A_ASSOC_REASON] = { .type = NLA_U8 },
	};
	struct nlattr *tb[PKTRELAY_A_ASSOC_MAX + 1];
	int type;

	if (nla_parse_nested(tb, PKTRELAY_A_ASSOC_MAX, nest, policy) < 0)
		return -1;

	for (type = 0; type <= PKTRELAY_A_ASSOC_MAX; type++) {
		if (!tb[type] || type == PKTRELAY_A_ASSOC_PAD)
			continue;
		switch (policy[type].type) {
		case NLA_U8:
			a->val[type] = nla_get_u8(tb[type]);
			break;
		case NLA_U16:	/* every u16 is a be16 port */
			a->val[type] = ntohs(nla_get_u16(tb[type]));
			break;
		case NLA_U32:
			a->val[type] = nla_get_u32(tb[type]);
			break;
		case NLA_U64:
			a->val[type] = nla_get_u64(tb[type]);
			break;
		default:
			break;
		}
		a->have |= UINT32_C(1) << type;
	}

	if (!ASSOC_HAS(a, PKTRELAY_A_ASSOC_ID) ||
	    !ASSOC_HAS(a, PKTRELAY_A_ASSOC_FAMILY) ||
	    !ASSOC_HAS(a, PKTRELAY_A_ASSOC_LOCAL_ADDR) ||
	    !ASSOC_HAS(a, PKTRELAY_A_ASSOC_LOCAL_PORT))
		return -1;
	if (a->val[PKTRELAY_A_ASSOC_FAMILY] != AF_INET &&
	    a->val[PKTRELAY_A_ASSOC_FAMILY] != AF_INET6)
		return -1;
	if (parse_addr(a, tb, PKTRELAY_A_ASSOC_LOCAL_ADDR, a->local) < 0 ||
	    parse_addr(a, tb, PKTRELAY_A_ASSOC_REMOTE_ADDR, a->remote) < 0)
		return -1;
	/* The relay address has its own family, told by its length. */
	if (tb[PKTRELAY_A_ASSOC_RELAY_ADDR]) {
		int len = nla_len(tb[PKTRELAY_A_ASSOC_RELAY_ADDR]);

		if (len != 4 && len != 16)
			return -1;
		a->relay_family = len == 4 ? AF_INET : AF_INET6;
		memcpy(a->relay, nla_data(tb[PKTRELAY_A_ASSOC_RELAY_ADDR]),
		       (size_t)len);
	}
	return 0;
}

int assoc_parse(struct nlmsghdr *nlh, struct assoc_info *a)
{
	struct nla_policy policy[PKTRELAY_A_DEV_MAX + 1] = {
		[PKTRELAY_A_DEV_IFINDEX] = { .type = NLA_U32 },
		[PKTRELAY_A_DEV_ASSOC] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[PKTRELAY_A_DEV_MAX + 1];

	memset(a, 0, sizeof(*a));
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, PKTRELAY_A_DEV_MAX, policy) < 0)
		return -1;
	a->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (tb[PKTRELAY_A_DEV_IFINDEX]) {
		a->have_ifindex = true;
		a->ifindex = nla_get_u32(tb[PKTRELAY_A_DEV_IFINDEX]);
	}
	if (!tb[PKTRELAY_A_DEV_ASSOC])
		return -1;
	return parse_nest(tb[PKTRELAY_A_DEV_ASSOC], a);
}

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

int assoc_cmp(const void *x, const void *y)
{
	const struct assoc_info *a = x, *b = y;
	int r;

	r = cmp_u64(a->val[PKTRELAY_A_ASSOC_FAMILY], b->val[PKTRELAY_A_ASSOC_FAMILY]);
	if (!r)
		r = memcmp(a->local, b->local, (size_t)addr_len(a));
	if (!r)
		r = cmp_u64(a->val[PKTRELAY_A_ASSOC_LOCAL_PORT],
			    b->val[PKTRELAY_A_ASSOC_LOCAL_PORT]);
	if (!r)
		r = cmp_u64(a->val[PKTRELAY_A_ASSOC_ID], b->val[PKTRELAY_A_ASSOC_ID]);
	return r;
}

/* Which address a format_endpoint() is about. */
enum endpoint {
	EP_LOCAL,
	EP_REMOTE,
	EP_RELAY,
};

/*
 * The endpoint @ep of @a as "A.B.C.D:PORT" or "[IPV6]:PORT" (the bare
 * address if the port is absent), or NULL if its address is absent.
 */
static const char *format_endpoint(char *buf, size_t size,
				   const struct assoc_info *a, enum endpoint ep)
{
	static const struct {
		int addr, port;
		size_t off;
	} eps[] = {
		[EP_LOCAL] = { PKTRELAY_A_ASSOC_LOCAL_ADDR, PKTRELAY_A_ASSOC_LOCAL_PORT,
			       offsetof(struct assoc_info, local) },
		[EP_REMOTE] = { PKTRELAY_A_ASSOC_REMOTE_ADDR, PKTRELAY_A_ASSOC_REMOTE_PORT,
				offsetof(struct assoc_info, remote) },
		[EP_RELAY] = { PKTRELAY_A_ASSOC_RELAY_ADDR, PKTRELAY_A_ASSOC_RELAY_PORT,
			       offsetof(struct assoc_info, relay) },
	};

	if (!ASSOC_HAS(a, eps[ep].addr))
		return NULL;
	format_addrport(buf, size, ep == EP_RELAY ? a->relay_family :
			(int)a->val[PKTRELAY_A_ASSOC_FAMILY],
			(const unsigned char *)a + eps[ep].off,
			ASSOC_HAS(a, eps[ep].port), (uint16_t)a->val[eps[ep].port]);
	return buf;
}

/* The name of the u8 enum attribute @type in @t, or NULL if absent. */
static const char *enum_attr(char *buf, size_t size, const struct assoc_info *a,
			     int type, const struct names *t)
{
	if (!ASSOC_HAS(a, type))
		return NULL;
	return names_enum(t, (unsigned int)a->val[type], buf, size);
}

static const char *family_name(const struct assoc_info *a)
{
	return a->val[PKTRELAY_A_ASSOC_FAMILY] == AF_INET ? "inet" : "inet6";
}

static const char *event_name(char *buf, size_t size, uint8_t cmd)
{
	if (cmd == PKTRELAY_CMD_ASSOC_NEW)
		return "new";
	if (cmd == PKTRELAY_CMD_ASSOC_DEL)
		return "del";
	snprintf(buf, size, "unknown(%u)", cmd);
	return buf;
}

/* --- the flows table ------------------------------------------------------ */

enum column {
	COL_LOCAL,
	COL_REMOTE,
	COL_RELAY,
	COL_UPSTREAM,
	COL_STATE,
	COL_TX,
	COL_RX,
	COL_IDLE,
	COL_EXPIRES,
	NCOLS
};

static const struct {
	const char *title;
	bool right;		/* right-aligned (numbers) */
} columns[NCOLS] = {
	[COL_LOCAL] = { "LOCAL", false },
	[COL_REMOTE] = { "REMOTE", false },
	[COL_RELAY] = { "RELAY", false },
	[COL_UPSTREAM] = { "UPSTREAM", false },
	[COL_STATE] = { "STATE", false },
	[COL_TX] = { "TX", true },
	[COL_RX] = { "RX", true },
	[COL_IDLE] = { "IDLE", true },
	[COL_EXPIRES] = { "EXPIRES", true },
};

/* Room for an ADDRPORT_STRLEN endpoint and for "u64/u64". */
#define CELL_SIZE	64

static void cell(char *buf, const char *s)
{
	snprintf(buf, CELL_SIZE, "%s", s ? s : "-");
}

/* Milliseconds @type as seconds, rounded to one decimal: "3.2s". */
static void cell_secs(char *buf, const struct assoc_info *a, int type)
{
	uint64_t ms = a->val[type], tenths = ms / 100 + (ms % 100 >= 50);

	if (!ASSOC_HAS(a, type))
		cell(buf, NULL);
	else
		snprintf(buf, CELL_SIZE, "%" PRIu64 ".%" PRIu64 "s",
			 tenths / 10, tenths % 10);
}

/* "PACKETS/BYTES", each "-" if absent. */
static void cell_traffic(char *buf, const struct assoc_info *a, int packets,
			 int bytes)
{
	char p[24] = "-", b[24] = "-";

	if (ASSOC_HAS(a, packets))
		snprintf(p, sizeof(p), "%" PRIu64, a->val[packets]);
	if (ASSOC_HAS(a, bytes))
		snprintf(b, sizeof(b), "%" PRIu64, a->val[bytes]);
	snprintf(buf, CELL_SIZE, "%s/%s", p, b);
}

static void format_row(const struct assoc_info *a, char cells[NCOLS][CELL_SIZE])
{
	char buf[ADDRPORT_STRLEN];

	cell(cells[COL_LOCAL], format_endpoint(buf, sizeof(buf), a, EP_LOCAL));
	cell(cells[COL_REMOTE], format_endpoint(buf, sizeof(buf), a, EP_REMOTE));
	cell(cells[COL_RELAY], format_endpoint(buf, sizeof(buf), a, EP_RELAY));
	cell(cells[COL_UPSTREAM], enum_attr(buf, sizeof(buf), a,
					    PKTRELAY_A_ASSOC_UPSTREAM, &upstream_names));
	cell(cells[COL_STATE], enum_attr(buf, sizeof(buf), a,
					 PKTRELAY_A_ASSOC_STATE, &assoc_state_names));
	cell_traffic(cells[COL_TX], a, PKTRELAY_A_ASSOC_TX_PACKETS,
		     PKTRELAY_A_ASSOC_TX_BYTES);
	cell_traffic(cells[COL_RX], a, PKTRELAY_A_ASSOC_RX_PACKETS,
		     PKTRELAY_A_ASSOC_RX_BYTES);
	cell_secs(cells[COL_IDLE], a, PKTRELAY_A_ASSOC_IDLE_MS);
	cell_secs(cells[COL_EXPIRES], a, PKTRELAY_A_ASSOC_EXPIRES_MS);
}

static void print_row(FILE *f, const char *const text[NCOLS],
		      const int width[NCOLS])
{
	int col;

	for (col = 0; col < NCOLS; col++) {
		if (col)
			fputs("  ", f);
		if (columns[col].right)
			fprintf(f, "%*s", width[col], text[col]);
		else if (col == NCOLS - 1)
			fputs(text[col], f);	/* no trailing blanks */
		else
			fprintf(f, "%-*s", width[col], text[col]);
	}
	fputc('\n', f);
}

void assoc_print_table(FILE *f, const struct assoc_info *a, size_t n)
{
	char cells[NCOLS][CELL_SIZE];
	const char *text[NCOLS];
	int width[NCOLS], col, len;
	size_t i;

	/* Two passes over the rows: formatting is cheaper than storing. */
	for (col = 0; col < NCOLS; col++) {
		text[col] = columns[col].title;
		width[col] = (int)strlen(columns[col].title);
	}
	for (i = 0; i < n; i++) {
		format_row(&a[i], cells);
		for (col = 0; col < NCOLS; col++) {
			len = (int)strlen(cells[col]);
			if (len > width[col])
				width[col] = len;
		}
	}
	fputs(c_key(), f);
	print_row(f, text, width);
	fputs(c_off(), f);
	for (col = 0; col < NCOLS; col++)
		text[col] = cells[col];
	for (i = 0; i < n; i++) {
		format_row(&a[i], cells);
		print_row(f, text, width);
	}
}

/* --- JSON ----------------------------------------------------------------- */

static void json_kv_string_or_null(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s)
		json_string(j, s);
	else
		json_null(j);
}

static void json_kv_attr(struct json *j, const char *key,
			 const struct assoc_info *a, int type)
{
	json_key(j, key);
	if (ASSOC_HAS(a, type))
		json_uint(j, a->val[type]);
	else
		json_null(j);
}

static void print_json_members(struct json *j, const struct assoc_info *a)
{
	static const struct {
		const char *key;
		int type;
	} numbers[] = {
		{ "tx_packets", PKTRELAY_A_ASSOC_TX_PACKETS },
		{ "tx_bytes", PKTRELAY_A_ASSOC_TX_BYTES },
		{ "rx_packets", PKTRELAY_A_ASSOC_RX_PACKETS },
		{ "rx_bytes", PKTRELAY_A_ASSOC_RX_BYTES },
		{ "age_ms", PKTRELAY_A_ASSOC_AGE_MS },
		{ "idle_ms", PKTRELAY_A_ASSOC_IDLE_MS },
		{ "expires_ms", PKTRELAY_A_ASSOC_EXPIRES_MS },
	};
	char buf[ADDRPORT_STRLEN];
	size_t i;

	json_kv_uint(j, "id", a->val[PKTRELAY_A_ASSOC_ID]);
	json_kv_string(j, "family", family_name(a));
	json_kv_string_or_null(j, "local", format_endpoint(buf, sizeof(buf), a, EP_LOCAL));
	json_kv_string_or_null(j, "remote", format_endpoint(buf, sizeof(buf), a, EP_REMOTE));
	json_kv_string_or_null(j, "relay", format_endpoint(buf, sizeof(buf), a, EP_RELAY));
	json_kv_string_or_null(j, "upstream",
			       enum_attr(buf, sizeof(buf), a, PKTRELAY_A_ASSOC_UPSTREAM,
					 &upstream_names));
	json_kv_string_or_null(j, "state",
			       enum_attr(buf, sizeof(buf), a, PKTRELAY_A_ASSOC_STATE,
					 &assoc_state_names));
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		json_kv_attr(j, numbers[i].key, a, numbers[i].type);
}

void assoc_print_json(struct json *j, const struct assoc_info *a)
{
	json_begin_object(j);
	print_json_members(j, a);
	json_end_object(j);
}

/* --- events --------------------------------------------------------------- */

void assoc_print_event(FILE *f, const struct assoc_info *a, const char *ifname)
{
	char buf[ADDRPORT_STRLEN];
	const char *s;

	fprintf(f, "%s%s%s ", a->cmd == PKTRELAY_CMD_ASSOC_DEL ? c_bad() : c_good(),
		event_name(buf, sizeof(buf), a->cmd), c_off());
	fputs(format_endpoint(buf, sizeof(buf), a, EP_LOCAL), f);
	s = format_endpoint(buf, sizeof(buf), a, EP_REMOTE);
	fprintf(f, " -> %s", s ? s : "-");
	s = format_endpoint(buf, sizeof(buf), a, EP_RELAY);
	fprintf(f, " relay %s", s ? s : "-");

	fputs(" dev ", f);
	if (ifname)
		print_safe(f, ifname);
	else if (a->have_ifindex)
		fprintf(f, "if%" PRIu32, a->ifindex);
	else
		fputc('-', f);

	s = enum_attr(buf, sizeof(buf), a, PKTRELAY_A_ASSOC_UPSTREAM, &upstream_names);
	fprintf(f, " upstream %s", s ? s : "-");
	if (a->cmd == PKTRELAY_CMD_ASSOC_DEL) {
		s = enum_attr(buf, sizeof(buf), a, PKTRELAY_A_ASSOC_REASON,
			      &close_reason_names);
		fprintf(f, " reason %s", s ? s : "-");
	}
	fputc('\n', f);
}

void assoc_print_event_json(struct json *j, const struct assoc_info *a,
			    const char *ifname)
{
	char buf[32];

	json_begin_object(j);
	json_kv_string(j, "event", event_name(buf, sizeof(buf), a->cmd));
	json_key(j, "ifindex");
	if (a->have_ifindex)
		json_uint(j, a->ifindex);
	else
		json_null(j);
	json_kv_string_or_null(j, "ifname", ifname);
	print_json_members(j, a);
	if (a->cmd == PKTRELAY_CMD_ASSOC_DEL)
		json_kv_string_or_null(j, "reason",
				       enum_attr(buf, sizeof(buf), a, PKTRELAY_A_ASSOC_REASON,
						 &close_reason_names));
	json_end_object(j);
}
