// SPDX-License-Identifier: GPL-2.0
/*
 * udprelay — the userspace baselines pktrelay is benchmarked against
 * (bench/guest.sh). One process, one thread, epoll, IPv4 UDP, and the same
 * association model as relay0's "direct" upstream: one upstream UDP socket
 * per local (address, port) of the app, whatever the destination, carrying
 * a fwmark so policy routing keeps it out of the relay. Associations never
 * expire here (bench runs are short); no DNS or IPv6 handling.
 *
 *   udprelay tun IFNAME [--mark M] [--no-echo]
 *	What tun2socks-style relays do: read IP packets the routing table
 *	sends into a tun device (one read(2) per packet: tun has no batched
 *	read), send each UDP payload from the app's association socket
 *	(sendmmsg over consecutive packets of one association), and write
 *	replies back into the tun as IPv4/UDP packets with both checksums
 *	computed. ICMP echo requests are answered (unless --no-echo), as
 *	relay0 does in the kernel. Other packets are dropped.
 *
 *   udprelay sock ADDR PORT TARGET_ADDR TARGET_PORT [--mark M]
 *	The cheapest userspace relay there is, a fairer lower bound than a
 *	tun: the app sends to ADDR:PORT itself (no routing trick, no IP
 *	headers to parse or build), recvmmsg/sendmmsg in both directions, one
 *	upstream socket connected to TARGET per app endpoint.
 *
 * Prints "ready" when it is set up; on SIGTERM/SIGINT prints its counters to
 * stderr and exits 0.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common.h"

#define HASH_BITS 16
#define PKT_BUF 2048			/* tun MTU 1500 + room */
#define HDRS (sizeof(struct iphdr) + sizeof(struct udphdr))

struct flow {
	struct flow *next;		/* hash chain */
	uint32_t addr;			/* app's address and port, network order */
	uint16_t port;
	int fd;				/* upstream socket */
};

static struct flow *table[1 << HASH_BITS];
static unsigned int mark;
static unsigned long long n_flows, n_out, n_in, n_drop, n_echo;
static volatile sig_atomic_t stop;
static bool echo = true;
static int ep;

/* packet buffers: reply headers go in front of the payload, no copy */
static unsigned char bufs[BATCH_MAX][PKT_BUF];
static struct sockaddr_in names[BATCH_MAX];
static struct mmsghdr msgs[BATCH_MAX];
static struct iovec iovs[BATCH_MAX];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static unsigned int hash(uint32_t addr, uint16_t port)
{
	uint32_t h = (addr ^ ((uint32_t)port << 16 | port)) * 2654435761u;

	return h >> (32 - HASH_BITS);
}

/* The app endpoint's association, opened on first use. */
static struct flow *flow_get(uint32_t addr, uint16_t port, const struct sockaddr_in *target)
{
	unsigned int h = hash(addr, port);
	struct epoll_event ev = { .events = EPOLLIN };
	struct flow *f;

	for (f = table[h]; f; f = f->next)
		if (f->addr == addr && f->port == port)
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		die("out of memory");
	f->addr = addr;
	f->port = port;
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->fd < 0)
		die("socket:");
	if (mark && setsockopt(f->fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0)
		die("SO_MARK:");
	if (target && connect(f->fd, (const struct sockaddr *)target, sizeof(*target)) < 0)
		die("connect:");
	ev.data.ptr = f;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, f->fd, &ev) < 0)
		die("epoll_ctl:");
	f->next = table[h];
	table[h] = f;
	n_flows++;
	return f;
}

static void reset_msgs(size_t off)
{
	int i;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH_MAX; i++) {
		iovs[i].iov_base = bufs[i] + off;
		iovs[i].iov_len = PKT_BUF - off;
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &names[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(names[i]);
	}
}

/* Send msgs[first..first+n) on fd; what the socket refuses is dropped. */
static void send_run(int fd, int first, int n)
{
	int sent;

	if (!n)
		return;
	sent = sendmmsg(fd, msgs + first, n, MSG_DONTWAIT);
	if (sent < 0)
		sent = 0;
	n_out += sent;
	n_drop += n - sent;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* ---- tun mode ------------------------------------------------------- */

static int tun_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		die("open /dev/net/tun:");
	if (strlen(name) >= IFNAMSIZ)
		die("interface name too long: %s", name);
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("TUNSETIFF %s:", name);
	return fd;
}

/* An ICMP echo request in buf (IPv4, len bytes) becomes its reply, in place. */
static bool icmp_echo(unsigned char *buf, size_t len)
{
	struct iphdr *ip = (struct iphdr *)buf;
	size_t ihl = ip->ihl * 4;
	struct icmphdr *ic = (struct icmphdr *)(buf + ihl);
	uint32_t a;

	if (len < ihl + sizeof(*ic) || ic->type != ICMP_ECHO || ic->code)
		return false;
	ic->type = ICMP_ECHOREPLY;
	ic->checksum = 0;
	ic->checksum = csum_fold(csum_add(0, ic, len - ihl));
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	ip->ttl = 64;
	ip->check = 0;
	ip->check = csum_fold(csum_add(0, ip, ihl));
	return true;
}

/* Packets the app routed into the tun: relay their UDP payloads. */
static void tun_read(int tun)
{
	struct flow *run_flow = NULL;
	int n = 0, i, run_first = 0;
	ssize_t len;

	/* tun has no recvmmsg: one read per packet, as tun2socks does */
	while (n < BATCH_MAX && (len = read(tun, bufs[n], PKT_BUF)) > 0) {
		struct iphdr *ip = (struct iphdr *)bufs[n];
		size_t ihl = ip->ihl * 4;
		struct udphdr *uh = (struct udphdr *)(bufs[n] + ihl);
		struct flow *f;
		size_t ulen;

		if ((size_t)len < sizeof(*ip) || ip->version != 4 || ihl < sizeof(*ip) ||
		    (size_t)len < ihl || ntohs(ip->tot_len) > len ||
		    (ntohs(ip->frag_off) & (IP_MF | IP_OFFMASK))) {
			n_drop++;
			continue;
		}
		if (ip->protocol == IPPROTO_ICMP) {
			if (echo && icmp_echo(bufs[n], ntohs(ip->tot_len)) &&
			    write(tun, bufs[n], ntohs(ip->tot_len)) > 0)
				n_echo++;
			else
				n_drop++;
			continue;
		}
		ulen = ntohs(ip->tot_len) - ihl;
		if (ip->protocol != IPPROTO_UDP || ulen < sizeof(*uh) ||
		    ntohs(uh->len) > ulen || ntohs(uh->len) < sizeof(*uh)) {
			n_drop++;
			continue;
		}
		f = flow_get(ip->saddr, uh->source, NULL);
		names[n] = (struct sockaddr_in){ .sin_family = AF_INET,
			.sin_addr.s_addr = ip->daddr, .sin_port = uh->dest };
		iovs[n].iov_base = (unsigned char *)uh + sizeof(*uh);
		iovs[n].iov_len = ntohs(uh->len) - sizeof(*uh);
		if (f != run_flow) {
			if (run_flow)
				send_run(run_flow->fd, run_first, n - run_first);
			run_flow = f;
			run_first = n;
		}
		n++;
	}
	if (run_flow)
		send_run(run_flow->fd, run_first, n - run_first);
	/* put the iovecs back the way recvmmsg wants them */
	for (i = 0; i < BATCH_MAX; i++) {
		iovs[i].iov_base = bufs[i] + HDRS;
		iovs[i].iov_len = PKT_BUF - HDRS;
	}
}

/* Replies on an association socket: written into the tun as IPv4/UDP. */
static void tun_reply(int tun, struct flow *f)
{
	static uint16_t ip_id;
	int n, i;

	for (i = 0; i < BATCH_MAX; i++)
		msgs[i].msg_hdr.msg_namelen = sizeof(names[i]);
	n = recvmmsg(f->fd, msgs, BATCH_MAX, MSG_DONTWAIT, NULL);
	for (i = 0; i < n; i++) {
		struct iphdr *ip = (struct iphdr *)bufs[i];
		struct udphdr *uh = (struct udphdr *)(bufs[i] + sizeof(*ip));
		size_t ulen = sizeof(*uh) + msgs[i].msg_len;
		uint32_t sum;

		*ip = (struct iphdr){ .version = 4, .ihl = 5, .ttl = 64,
			.tot_len = htons(sizeof(*ip) + ulen), .id = htons(ip_id++),
			.protocol = IPPROTO_UDP, .saddr = names[i].sin_addr.s_addr,
			.daddr = f->addr };
		ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));
		*uh = (struct udphdr){ .source = names[i].sin_port, .dest = f->port,
			.len = htons(ulen) };
		sum = csum_add(0, &ip->saddr, 8);	/* pseudo header: addresses */
		sum += IPPROTO_UDP + ulen;
		uh->check = csum_fold(csum_add(sum, uh, ulen));
		if (!uh->check)
			uh->check = 0xffff;
		if (write(tun, bufs[i], sizeof(*ip) + ulen) > 0)
			n_in++;
		else
			n_drop++;
	}
}

/* ---- sock mode ------------------------------------------------------ */

/* Datagrams from apps on the listening socket: relay them upstream. */
static void sock_read(int lfd, const struct sockaddr_in *target)
{
	struct flow *flows[BATCH_MAX];
	int n, i, first = 0;

	for (i = 0; i < BATCH_MAX; i++) {
		msgs[i].msg_hdr.msg_namelen = sizeof(names[i]);
		iovs[i].iov_len = PKT_BUF - HDRS;
	}
	n = recvmmsg(lfd, msgs, BATCH_MAX, MSG_DONTWAIT, NULL);
	for (i = 0; i < n; i++) {
		flows[i] = flow_get(names[i].sin_addr.s_addr, names[i].sin_port, target);
		iovs[i].iov_len = msgs[i].msg_len;
		/* connected upstream sockets take no address */
		msgs[i].msg_hdr.msg_name = NULL;
		msgs[i].msg_hdr.msg_namelen = 0;
	}
	/* one sendmmsg per run of consecutive datagrams of one association */
	for (i = 1; i <= n; i++) {
		if (i < n && flows[i] == flows[first])
			continue;
		send_run(flows[first]->fd, first, i - first);
		first = i;
	}
	for (i = 0; i < BATCH_MAX; i++) {
		msgs[i].msg_hdr.msg_name = &names[i];
		iovs[i].iov_len = PKT_BUF - HDRS;
	}
}

/* Replies on an association socket: back to the app from the listening socket. */
static void sock_reply(int lfd, struct flow *f)
{
	int n, i, sent;

	for (i = 0; i < BATCH_MAX; i++)
		iovs[i].iov_len = PKT_BUF - HDRS;
	n = recvmmsg(f->fd, msgs, BATCH_MAX, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		iovs[i].iov_len = msgs[i].msg_len;
		names[i] = (struct sockaddr_in){ .sin_family = AF_INET,
			.sin_addr.s_addr = f->addr, .sin_port = f->port };
		msgs[i].msg_hdr.msg_namelen = sizeof(names[i]);
	}
	sent = sendmmsg(lfd, msgs, n, MSG_DONTWAIT);
	if (sent < 0)
		sent = 0;
	n_in += sent;
	n_drop += n - sent;
}

/*
 * Touch every page of the static tables now: the bench reads this process's
 * RSS before and after opening flows, and the lazy first touch of a 512 KB
 * hash table would pass for per-flow memory.
 */
static void prefault(void *p, size_t len)
{
	volatile char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		c[i] = 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udprelay tun IFNAME [--mark M] [--no-echo]\n"
		"       udprelay sock ADDR PORT TARGET_ADDR TARGET_PORT [--mark M]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[BATCH_MAX];
	struct sockaddr_in listen_sin, target;
	bool tun_mode;
	int fd, i, nargs;

	if (argc < 3)
		usage();
	tun_mode = !strcmp(argv[1], "tun");
	if (!tun_mode && strcmp(argv[1], "sock"))
		usage();
	nargs = tun_mode ? 3 : 6;
	if (argc < nargs)
		usage();
	for (i = nargs; i < argc; i++) {
		if (!strcmp(argv[i], "--mark") && i + 1 < argc)
			mark = (unsigned int)parse_long(argv[++i], 0, 0xffffffffL, "--mark");
		else if (!strcmp(argv[i], "--no-echo") && tun_mode)
			echo = false;
		else
			usage();
	}

	/* One descriptor per association: lift the 1024 default (root may). */
	{
		struct rlimit rl = { .rlim_cur = 1 << 20, .rlim_max = 1 << 20 };

		if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && !getrlimit(RLIMIT_NOFILE, &rl)) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	prefault(table, sizeof(table));
	prefault(bufs, sizeof(bufs));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1:");
	if (tun_mode) {
		fd = tun_open(argv[2]);
		reset_msgs(HDRS);
	} else {
		int one = 1;

		listen_sin = parse_sin(argv[2], argv[3]);
		target = parse_sin(argv[4], argv[5]);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket:");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		big_rcvbuf(fd);
		if (bind(fd, (struct sockaddr *)&listen_sin, sizeof(listen_sin)) < 0)
			die("bind:");
		reset_msgs(HDRS);
	}
	ev.data.ptr = NULL;		/* NULL: the tun or the listening socket */
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl:");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);

	while (!stop) {
		int n = epoll_wait(ep, evs, BATCH_MAX, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait:");
		}
		for (i = 0; i < n; i++) {
			struct flow *f = evs[i].data.ptr;

			if (!f && tun_mode)
				tun_read(fd);
			else if (!f)
				sock_read(fd, &target);
			else if (tun_mode)
				tun_reply(fd, f);
			else
				sock_reply(fd, f);
		}
	}
	fprintf(stderr, "udprelay: flows=%llu out=%llu in=%llu echo=%llu drop=%llu\n",
		n_flows, n_out, n_in, n_echo, n_drop);
	return 0;
}
