// SPDX-License-Identifier: GPL-2.0
/*
 * udpperf — the traffic side of pktrelay's benchmarks (bench/guest.sh).
 * IPv4 UDP, batched with sendmmsg/recvmmsg so that the measuring programs
 * cost as little as possible and the path between them dominates.
 *
 *   udpperf send ADDR PORT [--len N] [--secs S] [--rate PPS] [--batch N]
 *                [--warmup-ms MS]
 *	One connected socket. Sends one warm-up datagram (payload starts with
 *	'W'; it lets a relay open its association first), waits MS (200), then
 *	sends datagrams of N bytes (64) starting with 'D' for S seconds (3) as
 *	fast as it can, or at PPS. Prints "tx=SENT err=FAILED secs=ELAPSED".
 *
 *   udpperf sink ADDR PORT [--idle-ms MS] [--max-secs S]
 *	Prints "ready", counts 'D' datagrams until none came for MS (1000)
 *	after the first one, or S seconds (60) passed, then prints
 *	"rx=COUNT bytes=BYTES span=SECS_FIRST_TO_LAST". It drains its socket
 *	every millisecond on a timer rather than being woken per datagram:
 *	it then costs next to nothing, like a peer on another machine, and
 *	does not ping-pong with the sender (costly under TCG).
 *
 *   udpperf echo ADDR PORT
 *	Prints "ready", then sends every datagram back to its sender, forever.
 *
 *   udpperf flows ADDR PORT N [--timeout S]
 *	N sockets, each connected to ADDR:PORT, each sends one datagram; then
 *	waits for every answer (at most S seconds, 30). One flow per socket is
 *	one association in a relay. Prints "ok=K refused=R timeout=T
 *	secs=FIRST_SOCKET_TO_LAST_ANSWER".
 */
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: udpperf send ADDR PORT [--len N] [--secs S] [--rate PPS] [--batch N] [--warmup-ms MS]\n"
		"       udpperf sink ADDR PORT [--idle-ms MS] [--max-secs S]\n"
		"       udpperf echo ADDR PORT\n"
		"       udpperf flows ADDR PORT N [--timeout S]\n");
	exit(2);
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket:");
	return fd;
}

static int bound_socket(const struct sockaddr_in *sin)
{
	int fd = udp_socket(), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	big_rcvbuf(fd);
	if (bind(fd, (const struct sockaddr *)sin, sizeof(*sin)) < 0)
		die("bind:");
	return fd;
}

static void ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

static int cmd_send(const struct sockaddr_in *dst, int argc, char **argv)
{
	long len = 64, batch = 32, warmup_ms = 200;
	double secs = 3, rate = 0, t0, t, next;
	unsigned long long tx = 0, err = 0;
	struct mmsghdr msgs[BATCH_MAX];
	struct iovec iov;
	char *buf;
	int fd, i;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--len"))
			len = parse_long(argv[i + 1], 1, 65507, "--len");
		else if (!strcmp(argv[i], "--secs"))
			secs = parse_double(argv[i + 1], "--secs");
		else if (!strcmp(argv[i], "--rate"))
			rate = parse_double(argv[i + 1], "--rate");
		else if (!strcmp(argv[i], "--batch"))
			batch = parse_long(argv[i + 1], 1, BATCH_MAX, "--batch");
		else if (!strcmp(argv[i], "--warmup-ms"))
			warmup_ms = parse_long(argv[i + 1], 0, 60000, "--warmup-ms");
		else
			usage();
	}
	buf = calloc(1, len);
	if (!buf)
		die("out of memory");
	fd = udp_socket();
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0)
		die("connect:");

	buf[0] = 'W';
	if (send(fd, buf, len, 0) < 0)
		die("warm-up send:");
	usleep(warmup_ms * 1000);
	buf[0] = 'D';

	iov.iov_base = buf;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < batch; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = t = next = now_s();
	while (t - t0 < secs) {
		int n = sendmmsg(fd, msgs, batch, 0);

		/*
		 * ENOBUFS/EAGAIN: a full queue on the path; ECONNREFUSED: an
		 * ICMP error from earlier. Counted, not fatal: the sink's
		 * count is what the bench reports.
		 */
		if (n < 0)
			err += batch;
		else
			tx += n;
		t = now_s();
		if (rate > 0) {
			next += batch / rate;
			if (next > t)
				usleep((useconds_t)((next - t) * 1e6));
			t = now_s();
		}
	}
	printf("tx=%llu err=%llu secs=%.6f\n", tx, err, t - t0);
	return 0;
}

static int cmd_sink(const struct sockaddr_in *sin, int argc, char **argv)
{
	long idle_ms = 1000;
	double max_secs = 60, start, first = 0, last = 0;
	unsigned long long rx = 0, bytes = 0;
	struct mmsghdr msgs[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	const struct timespec tick = { .tv_nsec = 1000000 };
	char *bufs;
	int fd, i;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--idle-ms"))
			idle_ms = parse_long(argv[i + 1], 1, 600000, "--idle-ms");
		else if (!strcmp(argv[i], "--max-secs"))
			max_secs = parse_double(argv[i + 1], "--max-secs");
		else
			usage();
	}
	bufs = malloc((size_t)BATCH_MAX * 65536);
	if (!bufs)
		die("out of memory");
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH_MAX; i++) {
		iov[i].iov_base = bufs + (size_t)i * 65536;
		iov[i].iov_len = 65536;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	fd = bound_socket(sin);
	ready();
	start = now_s();
	for (;;) {
		double t = now_s();
		int n;

		if (t - start >= max_secs)
			break;
		if (rx && (t - last) * 1000 >= idle_ms)
			break;
		/* 8 MB of receive buffer holds far more than a tick's worth */
		n = recvmmsg(fd, msgs, BATCH_MAX, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			nanosleep(&tick, NULL);
			continue;
		}
		t = now_s();
		for (i = 0; i < n; i++) {
			if (msgs[i].msg_len < 1 || bufs[(size_t)i * 65536] != 'D')
				continue;	/* warm-up or stray */
			if (!rx)
				first = t;
			rx++;
			bytes += msgs[i].msg_len;
			last = t;
		}
	}
	printf("rx=%llu bytes=%llu span=%.6f\n", rx, bytes, rx ? last - first : 0.0);
	return 0;
}

static int cmd_echo(const struct sockaddr_in *sin)
{
	struct sockaddr_in peers[BATCH_MAX];
	struct mmsghdr msgs[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	static char bufs[BATCH_MAX][2048];
	int fd = bound_socket(sin), i, n;

	ready();
	for (;;) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < BATCH_MAX; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &peers[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(peers[i]);
		}
		n = recvmmsg(fd, msgs, BATCH_MAX, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recvmmsg:");
		}
		for (i = 0; i < n; i++)
			iov[i].iov_len = msgs[i].msg_len;
		/* An answer that cannot be sent is a lost answer: the client counts it. */
		sendmmsg(fd, msgs, n, 0);
	}
	return 0;
}

static int cmd_flows(const struct sockaddr_in *dst, int argc, char **argv)
{
	long nflows, ok = 0, refused = 0, pending;
	double timeout = 30, t0, tlast = 0;
	struct epoll_event evs[BATCH_MAX];
	struct rlimit rl;
	char buf[2048];
	int ep, i, *fds;

	if (argc < 1)
		usage();
	nflows = parse_long(argv[0], 1, 1000000, "number of flows");
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--timeout"))
			timeout = parse_double(argv[i + 1], "--timeout");
		else
			usage();
	}
	/* One descriptor per flow: raise the limit (root may). */
	rl.rlim_cur = rl.rlim_max = nflows + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit(RLIMIT_NOFILE, %ld):", nflows + 64);
	fds = calloc(nflows, sizeof(*fds));
	if (!fds)
		die("out of memory");
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1:");

	t0 = now_s();
	for (i = 0; i < nflows; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
		int len = snprintf(buf, sizeof(buf), "flow-%d", i);

		fds[i] = udp_socket();
		if (connect(fds[i], (const struct sockaddr *)dst, sizeof(*dst)) < 0)
			die("connect:");
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0)
			die("epoll_ctl:");
		if (send(fds[i], buf, len, 0) < 0)
			die("send (flow %d):", i);
	}
	pending = nflows;
	while (pending) {
		int left = (int)((t0 + timeout - now_s()) * 1000), n;

		if (left <= 0)
			break;
		n = epoll_wait(ep, evs, BATCH_MAX, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait:");
		}
		for (i = 0; i < n; i++) {
			int fd = fds[evs[i].data.u32];

			if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0) {
				if (errno == EAGAIN)
					continue;
				if (errno != ECONNREFUSED)
					die("recv:");
				refused++;
			} else {
				ok++;
			}
			tlast = now_s();
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
			pending--;
		}
	}
	printf("ok=%ld refused=%ld timeout=%ld secs=%.6f\n", ok, refused, pending,
	       (ok + refused ? tlast : now_s()) - t0);
	for (i = 0; i < nflows; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;

	if (argc < 4)
		usage();
	sin = parse_sin(argv[2], argv[3]);
	if (!strcmp(argv[1], "send"))
		return cmd_send(&sin, argc - 4, argv + 4);
	if (!strcmp(argv[1], "sink"))
		return cmd_sink(&sin, argc - 4, argv + 4);
	if (!strcmp(argv[1], "echo") && argc == 4)
		return cmd_echo(&sin);
	if (!strcmp(argv[1], "flows"))
		return cmd_flows(&sin, argc - 4, argv + 4);
	usage();
	return 2;
}
