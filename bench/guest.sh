#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
#
# bench/guest.sh — pktrelay's benchmarks, run INSIDE the test VM by
# bench/run.sh (one boot). Under QEMU/TCG absolute numbers mean nothing, so
# every number is printed next to baselines measured in the same boot, in
# the same topology (selftests/topo.sh: APP netns with relay0, UP netns over
# a veth), and the cases are interleaved run by run so that drift in the VM
# (the host's other load) spreads over all of them alike.
#
# The cases (what carries the app's UDP from APP to the peer in UP):
#   direct-veth  plain routing over the veth, no relay: the reference that
#                no relay can beat at carrying UDP.
#   relay0       policy routing into relay0 (relayctl route add), upstream
#                direct: in-kernel association, kernel UDP socket per flow.
#   tun-relay    bench/udprelay tun: what tun2socks-style relays do, the job
#                relay0 replaces. Same policy routing, into a tun device; a
#                userspace process reads each packet, relays its payload
#                from a UDP socket per app endpoint (sendmmsg), and writes
#                replies back into the tun with checksums. Written in C,
#                batched where tun allows, tun queue raised to 10000: it
#                flatters userspace rather than a Go tun2socks with a
#                netstack.
#   sock-relay   bench/udprelay sock: the cheapest userspace relay, which
#                needs the app's cooperation: the app sends to the relay's
#                address (127.0.0.1:9100), recvmmsg/sendmmsg both ways, one
#                upstream socket per app endpoint. A lower bound for any
#                userspace relay, not a drop-in alternative.
#
# The measurements:
#   udp    one flow, APP -> UP, bench/udpperf send (sendmmsg, for
#          PKTRELAY_BENCH_SECS) -> bench/udpperf sink, for each size in
#          PKTRELAY_BENCH_SIZES, twice:
#          - as fast as the sender can: delivered datagrams per second
#            (what the sink counted / its first-to-last span, so that a
#            relay draining its queue after the sender stopped gets no
#            credit for time it did not use) and loss (1 - delivered/sent).
#            A relay that cannot keep up shows as loss.
#          - at a fixed PKTRELAY_BENCH_RATE datagrams/s, below what every
#            path carries: CPU time per delivered datagram (busy time of
#            all vCPUs from /proc/stat over the send, whoever spent it:
#            sender, kernel, relay, sink). Same load everywhere, so the
#            difference is what the path costs. (At full speed the figure
#            would charge a userspace relay for the sender's wasted sends.)
#   flows  PKTRELAY_BENCH_FLOWS sockets each send one datagram to an echo
#          server and wait for its answer: setup time of that many
#          associations (flows/s), then the kernel memory they hold once
#          the app's sockets are closed: Slab delta from /proc/meminfo
#          (caches dropped before each reading) plus, for the userspace
#          relays, the relay's RSS delta, per flow. direct-veth holds
#          nothing after the app closes: its figure is the noise floor.
#   ping   ping -f -c PKTRELAY_BENCH_PINGS from APP to the peer's address:
#          direct-veth is answered by the peer's kernel across the veth,
#          relay0 by relay0 itself (icmp-echo reply, echo-rate off),
#          tun-relay by the userspace relay. Round trips per second.
#
# CPUs: the app's side (sender, flows client, ping) runs on CPU 0; the
# peer's side (sink, echo server) and the userspace relays on CPU 1. As on
# a real host: the app on one core, a userspace relay free to use another,
# the peer on another machine (the sink drains its socket on a 1 ms timer
# and costs next to nothing). relay0 and direct-veth do their work in the
# sender's context on CPU 0, so the userspace relays get a CPU to themselves
# that relay0 does not use: the comparison leans their way. Pinned, the
# result does not hang on where the scheduler happened to put three busy
# processes on two vCPUs in this boot.
#
# Each case runs PKTRELAY_BENCH_REPS times; the table gives the median and
# the range. Every run checks that the traffic took the path its case names
# (device counters), so a routing slip cannot pass for a result.
#
# Exit status: 0 when every run worked, whatever the numbers; 1 when
# something did not work (module did not load, a run delivered nothing,
# traffic took the wrong path). Results: $PKTRELAY_VM_OUT/bench.txt (the
# table) and bench.json; bench/run.sh copies them to .cache/bench/.
#
# Environment (defaults in brackets; bench/run.sh sets them from its flags):
#   PKTRELAY_BENCH_REPS [3]        runs of each case
#   PKTRELAY_BENCH_SECS [3]        seconds of sending per UDP run
#   PKTRELAY_BENCH_SIZES ["64 1400"]  UDP payload sizes (at most 1472)
#   PKTRELAY_BENCH_RATE [20000]    datagrams/s of the fixed-rate UDP runs
#   PKTRELAY_BENCH_FLOWS [2000]    flows in the many-flows runs
#   PKTRELAY_BENCH_PINGS [10000]    echo requests per ping run
#   PKTRELAY_BENCH_CASES ["direct-veth relay0 tun-relay sock-relay"]
#   PKTRELAY_BENCH_ONLY ["udp flows ping"]  which measurements
#   PKTRELAY_BENCH_COMMIT          git commit to record in the JSON
set -euo pipefail

if [[ -z ${PKTRELAY_IN_VM:-} ]]; then
	echo "guest.sh: runs inside the test VM only (it loads pktrelay.ko); use bench/run.sh" >&2
	exit 2
fi

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$BENCH/.." && pwd -P)
export REPO
PKTRELAY_KO=${PKTRELAY_KO:-$REPO/pktrelay.ko}
RELAYCTL=${RELAYCTL:-$REPO/tools/relayctl/relayctl}
UDPPERF=$BENCH/udpperf
UDPRELAY=$BENCH/udprelay
OUT=${PKTRELAY_VM_OUT:-/tmp}

REPS=${PKTRELAY_BENCH_REPS:-3}
SECS=${PKTRELAY_BENCH_SECS:-3}
SIZES=${PKTRELAY_BENCH_SIZES:-64 1400}
RATE=${PKTRELAY_BENCH_RATE:-20000}
FLOWS=${PKTRELAY_BENCH_FLOWS:-2000}
PINGS=${PKTRELAY_BENCH_PINGS:-10000}
CASES=${PKTRELAY_BENCH_CASES:-direct-veth relay0 tun-relay sock-relay}
ONLY=${PKTRELAY_BENCH_ONLY:-udp flows ping}

# shellcheck source=../selftests/lib.sh
source "$REPO/selftests/lib.sh"
# shellcheck source=../selftests/topo.sh
source "$REPO/selftests/topo.sh"

say() { echo "bench: $*"; }
T=$(tmpdir)
RESULTS=$T/results.tsv
: >"$RESULTS"

for v in REPS FLOWS PINGS RATE; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || fail "PKTRELAY_BENCH_$v must be a positive integer, not '${!v}'"
done
[[ $SECS =~ ^[0-9]+([.][0-9]+)?$ ]] || fail "PKTRELAY_BENCH_SECS must be a number, not '$SECS'"
for s in $SIZES; do
	if ! [[ $s =~ ^[1-9][0-9]*$ ]] || ((s > 1472)); then fail "bad size '$s' (1..1472: one IPv4 packet on a 1500 MTU)"; fi
done
for c in $CASES; do
	[[ $c =~ ^(direct-veth|relay0|tun-relay|sock-relay)$ ]] || fail "unknown case '$c'"
done
require_root
require_cmd ip jq ping taskset "$UDPPERF" "$UDPRELAY" "$RELAYCTL"

# See "CPUs" above; with one vCPU everything shares it. Prefixes, not
# functions: nsx execs a program.
APP_CPU=0
OTHER_CPU=$(($(nproc) > 1 ? 1 : 0))
ON_APP=(taskset -c "$APP_CPU")
ON_OTHER=(taskset -c "$OTHER_CPU")

# ---- set up: module, topology, relays ------------------------------------

say "loading $PKTRELAY_KO"
# shellcheck disable=SC2046 # one word per dependency
modprobe -a $(modinfo -F depends "$PKTRELAY_KO" | tr , ' ') || fail "modprobe the module's dependencies"
insmod "$PKTRELAY_KO" || fail "insmod $PKTRELAY_KO"
require_module

say "topology (selftests/topo.sh), sink and echo server in UP"
topo_up --no-routing
# Associations must outlive a whole run; ping must not meet the echo limit.
relayctl_app set relay0 udp-timeout 3600 echo-rate off ||
	fail "relayctl set relay0 udp-timeout 3600 echo-rate off"
nsx_bg "$UP" "${ON_OTHER[@]}" "$UDPPERF" echo 10.200.0.2 9001 >"$T/echo.out"
wait_for 10 grep -q ready "$T/echo.out" || fail "udpperf echo did not start"

TUN_PID=
# tun_start: the tun relay and its routing table 201 (rules: route_mode).
tun_start() {
	nsx_bg "$APP" "${ON_OTHER[@]}" "$UDPRELAY" tun tun0 --mark "$RELAY_MARK" >"$T/tun.out" 2>>"$T/tun.err"
	TUN_PID=$BG_PID
	wait_for 10 grep -q ready "$T/tun.out" || fail "udprelay tun did not start: $(cat "$T/tun.err")"
	# No IPv6 on tun0: router solicitations would show in its counters.
	nsx "$APP" sysctl -qw net.ipv6.conf.tun0.disable_ipv6=1 net.ipv4.conf.tun0.rp_filter=0
	ip -n "$APP" addr add 10.98.0.1/32 dev tun0
	# tun's default queue (500 packets) drops part of a burst of new
	# flows before the relay reads them; a tuned deployment raises it.
	ip -n "$APP" link set tun0 txqueuelen 10000 up
	ip -n "$APP" route add default dev tun0 src 10.98.0.1 table 201
}
tun_stop() {
	kill "$TUN_PID"
	wait "$TUN_PID" 2>/dev/null || true
	TUN_PID=
}

# sock_start PORT TARGET_PORT: a socket relay 127.0.0.1:PORT -> UP:TARGET_PORT;
# sets SOCK_PID.
sock_start() {
	nsx_bg "$APP" "${ON_OTHER[@]}" "$UDPRELAY" sock 127.0.0.1 "$1" 10.200.0.2 "$2" --mark "$RELAY_MARK" \
		>"$T/sock-$1.out" 2>>"$T/sock-$1.err"
	SOCK_PID=$BG_PID
	wait_for 10 grep -q ready "$T/sock-$1.out" || fail "udprelay sock :$1 did not start"
}
sock_stop() {
	kill "$1"
	wait "$1" 2>/dev/null || true
}

has_case() { [[ " $CASES " == *" $1 "* ]]; }
if has_case tun-relay; then
	modprobe tun || fail "modprobe tun"
	tun_start
fi
SOCK_DATA_PID=
SOCK_ECHO_PID=
if has_case sock-relay; then
	sock_start 9100 9000	# UDP runs (stays up)
	SOCK_DATA_PID=$SOCK_PID
	sock_start 9101 9001	# flows runs (restarted for each)
	SOCK_ECHO_PID=$SOCK_PID
fi

# relays_alive: a userspace relay that died would leave its case's traffic
# to fall through to the main table (the path check would say so, less
# clearly): say which one and why.
relays_alive() {
	local p
	for p in $TUN_PID $SOCK_DATA_PID $SOCK_ECHO_PID; do
		kill -0 "$p" 2>/dev/null ||
			fail "a userspace relay (pid $p) died: $(cat "$T"/*.err 2>/dev/null)"
	done
}

# route_mode CASE: the policy routing CASE needs, and nothing else.
ROUTE_MODE=none
route_mode() {
	local want=none
	case $1 in
	relay0) want=relay0 ;;
	tun-relay) want=tun ;;
	esac
	[[ $want == "$ROUTE_MODE" ]] && return 0
	case $ROUTE_MODE in
	relay0) relayctl_app route del relay0 >/dev/null || fail "relayctl route del relay0" ;;
	tun)
		ip -n "$APP" rule del prio 301
		ip -n "$APP" rule del prio 300
		;;
	esac
	case $want in
	relay0) relayctl_app route add relay0 >/dev/null || fail "relayctl route add relay0" ;;
	tun)
		# Like relayctl's rules: unmarked UDP and ICMP into tun0; the
		# relay's own sockets carry the mark and take the main table.
		ip -n "$APP" rule add fwmark 0/"$RELAY_MARK" ipproto udp lookup 201 prio 300
		ip -n "$APP" rule add fwmark 0/"$RELAY_MARK" ipproto icmp lookup 201 prio 301
		;;
	esac
	ROUTE_MODE=$want
}

# dest CASE PORT: where the app sends for CASE ("ADDR PORT").
dest() {
	if [[ $1 == sock-relay ]]; then
		echo "127.0.0.1 $(($2 + 100))"
	else
		echo "10.200.0.2 $2"
	fi
}

# Packets the kernel sent into relay0 and into tun0: the path check.
txp() {
	local j
	j=$(ip -n "$APP" -s -j link show "$1" 2>/dev/null) || { echo 0; return; }
	jq -r '.[0].stats64.tx.packets // 0' <<<"$j"
}
counters() { echo "$(txp relay0) $(txp tun0)"; }

# check_path CASE "BEFORE" "AFTER" MIN: CASE's device carried at least MIN
# packets and the other device (almost) none.
check_path() {
	local c=$1 min=$4 b a d_relay d_tun want other
	read -r -a b <<<"$2"
	read -r -a a <<<"$3"
	d_relay=$((a[0] - b[0]))
	d_tun=$((a[1] - b[1]))
	case $c in
	relay0) want=$d_relay other=$d_tun ;;
	tun-relay) want=$d_tun other=$d_relay ;;
	*) want=$min other=$((d_relay + d_tun)) ;;
	esac
	((want >= min)) || fail "$c: only $want packets went into its device (want >= $min): routing is wrong"
	((other <= 10 + min / 100)) ||
		fail "$c: $other packets went into the wrong device (relay0 +$d_relay, tun0 +$d_tun): routing is wrong"
}

# cpu_busy: jiffies (USER_HZ) all CPUs spent not idle since boot.
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 + $10; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# kv KEY TEXT: the value of KEY=VALUE in TEXT.
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

record() { printf '%s\n' "$*" >>"$RESULTS"; }

# ---- 1. UDP throughput, one flow -----------------------------------------

# udp_run CASE SIZE REP [RATE]: one UDP run, as fast as possible or at RATE.
udp_run() {
	local c=$1 size=$2 rep=$3 rate=${4:-} d sink send before after tx rx secs span j0 j1 kind=udp
	local pace=()
	[[ -z $rate ]] || { pace=(--rate "$rate"); kind=udprate; }
	read -r -a d <<<"$(dest "$c" 9000)"
	route_mode "$c"
	nsx_bg "$UP" "${ON_OTHER[@]}" "$UDPPERF" sink 10.200.0.2 9000 --idle-ms 500 \
		--max-secs "$(awk -v s="$SECS" 'BEGIN { print s + 60 }')" >"$T/sink.out"
	sink=$BG_PID
	wait_for 10 grep -q ready "$T/sink.out" || fail "udpperf sink did not start"
	before=$(counters)
	j0=$(cpu_busy)
	send=$(nsx "$APP" "${ON_APP[@]}" "$UDPPERF" send "${d[0]}" "${d[1]}" --len "$size" --secs "$SECS" "${pace[@]}") ||
		fail "$c: udpperf send failed"
	j1=$(cpu_busy)
	wait "$sink" || fail "$c: udpperf sink failed"
	after=$(counters)
	relays_alive
	tx=$(kv tx "$send")
	secs=$(kv secs "$send")
	rx=$(kv rx "$(cat "$T/sink.out")")
	span=$(kv span "$(cat "$T/sink.out")")
	[[ -n $tx && -n $rx && -n $secs && -n $span ]] || fail "$c: cannot parse: $send / $(cat "$T/sink.out")"
	((rx > 0)) || fail "$c, $size bytes: 0 datagrams delivered (sent $tx)"
	check_path "$c" "$before" "$after" "$rx"
	record "$kind $c $size $rep tx=$tx rx=$rx secs=$secs span=$span cpu_s=$(awk -v j=$((j1 - j0)) -v hz="$HZ" 'BEGIN { print j / hz }')"
	say "udp  $(printf '%-11s %4s B %-9s run %s: %9s sent %9s delivered in %ss, %s CPU jiffies' \
		"$c" "$size" "${rate:+@$rate/s}" "$rep" "$tx" "$rx" "$span" $((j1 - j0)))"
}

# ---- 2. many flows: setup time and memory per association ----------------

slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { print $2 }' /proc/meminfo
}
rss_kb() {
	[[ -n ${1:-} ]] || { echo 0; return; }
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

flows_run() {
	local c=$1 rep=$2 d out ok secs s0 s1 r0 r1 pid='' before after n
	read -r -a d <<<"$(dest "$c" 9001)"
	route_mode "$c"
	# Each run starts with no association anywhere.
	case $c in
	relay0)
		relayctl_app flush relay0 >/dev/null || fail "relayctl flush relay0"
		wait_for 30 assocs_is 0 || fail "relay0 still has $(assocs) associations after flush"
		;;
	tun-relay)
		tun_stop
		tun_start
		pid=$TUN_PID
		;;
	sock-relay)
		sock_stop "$SOCK_ECHO_PID"
		sock_start 9101 9001
		SOCK_ECHO_PID=$SOCK_PID
		pid=$SOCK_PID
		;;
	esac
	sleep 1			# let RCU free what the last run closed
	s0=$(slab_kb)
	r0=$(rss_kb "$pid")
	before=$(counters)
	out=$(nsx "$APP" "${ON_APP[@]}" "$UDPPERF" flows "${d[0]}" "${d[1]}" "$FLOWS" --timeout 10) ||
		fail "$c: udpperf flows failed"
	after=$(counters)
	relays_alive
	ok=$(kv ok "$out")
	secs=$(kv secs "$out")
	[[ -n $ok && -n $secs ]] || fail "$c: cannot parse: $out"
	((ok > 0)) || fail "$c: no flow got an answer ($out)"
	check_path "$c" "$before" "$after" "$ok"
	((ok == FLOWS)) || say "WARNING: $c: only $ok of $FLOWS flows were answered ($out)"
	if [[ $c == relay0 ]]; then
		n=$(assocs)
		((n == FLOWS)) || say "WARNING: relay0 holds $n associations, not $FLOWS"
	fi
	sleep 1			# the app's sockets are closed: let RCU free them
	s1=$(slab_kb)
	r1=$(rss_kb "$pid")
	record "flows $c $FLOWS $rep ok=$ok secs=$secs slab_kb=$((s1 - s0)) rss_kb=$((r1 - r0))"
	say "flows $(printf '%-11s run %s: %s/%s answered in %ss, Slab %+d kB, relay RSS %+d kB' \
		"$c" "$rep" "$ok" "$FLOWS" "$secs" $((s1 - s0)) $((r1 - r0)))"
	if [[ $c == relay0 ]]; then
		relayctl_app flush relay0 >/dev/null || fail "relayctl flush relay0"
	fi
}

# ---- 3. ping: in-kernel echo reply vs the real peer ----------------------

ping_run() {
	local c=$1 rep=$2 out before after rcvd ms rtt
	route_mode "$c"
	before=$(counters)
	# ping exits 1 when a reply is missing: the counts below tell.
	out=$(nsx "$APP" "${ON_APP[@]}" ping -f -q -c "$PINGS" -w $((PINGS / 100 + 30)) 10.200.0.2 2>&1) || true
	after=$(counters)
	relays_alive
	rcvd=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	ms=$(sed -n 's/.*received.*time \([0-9]*\)ms.*/\1/p' <<<"$out")
	rtt=$(sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p' <<<"$out")
	[[ -n $rcvd && -n $ms ]] || fail "$c: cannot parse ping: $out"
	((rcvd > 0)) || fail "$c: no echo reply: $out"
	check_path "$c" "$before" "$after" "$rcvd"
	record "ping $c $PINGS $rep rcvd=$rcvd ms=$ms rtt_ms=${rtt:-0}"
	say "ping $(printf '%-11s run %s: %s/%s replies in %s ms, rtt avg %s ms' "$c" "$rep" "$rcvd" "$PINGS" "$ms" "${rtt:-?}")"
}

# ---- run, interleaved -----------------------------------------------------

t0=$SECONDS
say "cases: $CASES; reps $REPS; UDP ${SECS}s x sizes $SIZES, full speed and $RATE/s; $FLOWS flows; $PINGS pings"
if [[ " $ONLY " == *" udp "* ]]; then
	for size in $SIZES; do
		for ((rep = 1; rep <= REPS; rep++)); do
			for c in $CASES; do
				udp_run "$c" "$size" "$rep"
				udp_run "$c" "$size" "$rep" "$RATE"
			done
		done
	done
fi
if [[ " $ONLY " == *" flows "* ]]; then
	for ((rep = 1; rep <= REPS; rep++)); do
		for c in $CASES; do
			flows_run "$c" "$rep"
		done
	done
fi
if [[ " $ONLY " == *" ping "* ]]; then
	for ((rep = 1; rep <= REPS; rep++)); do
		for c in $CASES; do
			# the socket relay cannot carry ICMP
			[[ $c == sock-relay ]] || ping_run "$c" "$rep"
		done
	done
fi
route_mode none
say "measured in $((SECONDS - t0)) s"

relay_json "$APP" relay0 >"$T/relay0.json" || fail "relayctl -j show relay0"
"$PYTHON" "$BENCH/report.py" --results "$RESULTS" --relay0 "$T/relay0.json" \
	--json "$OUT/bench.json" --text "$OUT/bench.txt" \
	--param reps="$REPS" --param secs="$SECS" --param sizes="$SIZES" --param rate="$RATE" \
	--param flows="$FLOWS" --param pings="$PINGS" \
	--param commit="${PKTRELAY_BENCH_COMMIT:-unknown}" ||
	fail "report.py failed"
cat "$OUT/bench.txt"
