#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [OPTIONS] [--] CMD [ARG...]
#
# Boot Debian's kernel (scripts/vm-kver.sh) under QEMU/TCG with the host root
# mounted read-only over 9p, run CMD in it as root (cwd = repo top, env
# PKTRELAY_IN_VM=1), stream the guest console to stdout and exit with CMD's
# exit status. Exit 125 if the VM produced no status (panic, crash, timeout).
#
# Options:
#   --timeout SECS   kill QEMU after SECS (default $PKTRELAY_VM_TIMEOUT or 1800)
#   --out DIR        keep the writable result export in DIR (rc, dmesg, files
#                    the guest wrote to $PKTRELAY_VM_OUT); default: a temp dir
#   --log FILE       also write the console output (CR-stripped) to FILE
#   --kver VER       kernel to boot (default: scripts/vm-kver.sh)
#   -i, --interactive  attach the terminal to the guest (e.g. CMD = bash);
#                    quit QEMU with Ctrl-A x
#
# Environment: PKTRELAY_VM_MEM (1G), PKTRELAY_VM_SMP (2), PKTRELAY_VM_APPEND
# (extra kernel command line), PKTRELAY_VM_PASSENV (names of extra variables
# to pass into the guest; every PKTRELAY_* variable is passed anyway),
# PKTRELAY_KVER. In the guest: PKTRELAY_IN_VM=1, PKTRELAY_VM_OUT=/run/vm-out
# (writable, ends up in --out DIR), REPO=<repo top>.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
PROG=vm-run.sh

usage() { sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }
die() { echo "$PROG: $*" >&2; exit 125; }

TIMEOUT=${PKTRELAY_VM_TIMEOUT:-1800}
OUTDIR=
LOG=
KVER=
INTERACTIVE=
while (($#)); do
	case $1 in
	--timeout) TIMEOUT=${2:?--timeout needs SECS}; shift 2 ;;
	--timeout=*) TIMEOUT=${1#*=}; shift ;;
	--out) OUTDIR=${2:?--out needs DIR}; shift 2 ;;
	--out=*) OUTDIR=${1#*=}; shift ;;
	--log) LOG=${2:?--log needs FILE}; shift 2 ;;
	--log=*) LOG=${1#*=}; shift ;;
	--kver) KVER=${2:?--kver needs VER}; shift 2 ;;
	--kver=*) KVER=${1#*=}; shift ;;
	-i | --interactive) INTERACTIVE=1; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) echo "$PROG: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
(($#)) || usage
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout wants whole seconds, not '$TIMEOUT'"

[[ -n $KVER ]] || KVER=$("$REPO/scripts/vm-kver.sh") || die "no kernel to boot (run scripts/deps.sh)"
KERNEL=/boot/vmlinuz-$KVER
[[ -r $KERNEL ]] || die "cannot read $KERNEL (missing, or not root: Debian makes it mode 0600)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (run scripts/deps.sh)"

INITRD=$("$HERE/mkinitramfs.sh" "$KVER") || die "building the initramfs failed"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pktrelay-vm.XXXXXX")
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n $OUTDIR ]]; then
	mkdir -p "$OUTDIR"
	OUTDIR=$(cd "$OUTDIR" && pwd -P)
	rm -f "$OUTDIR/rc" "$OUTDIR/dmesg" "$OUTDIR/cmd.sh" "$OUTDIR/repo-path" "$OUTDIR/boot-uptime"
else
	OUTDIR=$TMP/out
	mkdir -p "$OUTDIR"
fi
if [[ -n $LOG ]]; then
	mkdir -p "$(dirname "$LOG")"
	: >"$LOG"
fi

# The command script, run by the guest's /init as: chroot HOSTROOT bash cmd.sh
{
	echo "# cmd: ${*}"
	printf 'cd -- %q || exit 125\n' "$REPO"
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'export HOME=/root LANG=C.UTF-8 PKTRELAY_IN_VM=1 PKTRELAY_VM_OUT=/run/vm-out'
	printf 'export REPO=%q\n' "$REPO"
	if [[ -n $INTERACTIVE ]]; then
		printf 'export TERM=%q\n' "${TERM:-vt100}"
	else
		echo 'export TERM=dumb'
	fi
	while IFS= read -r name; do
		[[ $name == PKTRELAY_IN_VM || $name == PKTRELAY_VM_OUT ]] && continue
		printf 'export %s=%q\n' "$name" "${!name}"
	done < <(compgen -e | grep -E '^PKTRELAY_' || true)
	for name in ${PKTRELAY_VM_PASSENV:-}; do
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad name in PKTRELAY_VM_PASSENV: $name"
		[[ -v $name ]] && printf 'export %s=%q\n' "$name" "${!name}"
	done
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$OUTDIR/cmd.sh"
printf '%s\n' "$REPO" >"$OUTDIR/repo-path"

# QEMU option values: a ',' is written ',,'.
qesc() { printf '%s' "${1//,/,,}"; }

APPEND="console=ttyS0,115200 panic=-1 loglevel=5 log_buf_len=4M mitigations=off"
[[ -n $INTERACTIVE ]] && APPEND+=" pktrelay.interactive=1"
APPEND+=" ${PKTRELAY_VM_APPEND:-}"

QEMU=(
	qemu-system-x86_64
	-accel 'tcg,thread=multi' -cpu max
	-smp "${PKTRELAY_VM_SMP:-2}" -m "${PKTRELAY_VM_MEM:-1G}"
	-nodefaults -display none -no-reboot -nic none
	-kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND"
	-fsdev "local,id=host,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=host,mount_tag=host"
	-fsdev "local,id=out,path=$(qesc "$OUTDIR"),security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=out,mount_tag=out"
	-fsdev "local,id=repo,path=$(qesc "$REPO"),security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=repo,mount_tag=repo"
)

echo "$PROG: booting $KVER (TCG, timeout ${TIMEOUT}s): $*" >&2
start=$(date +%s)
status=0
if [[ -n $INTERACTIVE ]]; then
	timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" -serial mon:stdio || status=$?
else
	# stdin </dev/null: QEMU leaves the terminal alone and Ctrl-C stops it.
	if [[ -n $LOG ]]; then
		timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" -chardev stdio,id=con -serial chardev:con </dev/null |
			sed -u 's/\r$//' | tee -a "$LOG" || status=${PIPESTATUS[0]}
	else
		timeout --foreground -k 10 "$TIMEOUT" "${QEMU[@]}" -chardev stdio,id=con -serial chardev:con </dev/null |
			sed -u 's/\r$//' || status=${PIPESTATUS[0]}
	fi
fi
elapsed=$(($(date +%s) - start))

boot=
[[ -s $OUTDIR/boot-uptime ]] && boot=$(cut -d' ' -f1 "$OUTDIR/boot-uptime")
rc=
[[ -s $OUTDIR/rc ]] && rc=$(tr -dc '0-9' <"$OUTDIR/rc")
if [[ -z $rc ]]; then
	if ((status == 124 || status == 137)); then
		why="timed out after ${TIMEOUT}s"
	else
		why="QEMU exited with status $status: kernel panic, crash or early init failure (see the console above)"
	fi
	echo "$PROG: ERROR: the VM produced no exit status ($why); exit 125" >&2
	exit 125
fi
echo "$PROG: guest command exited with status $rc (VM ${elapsed}s${boot:+, booted in ${boot}s})" >&2
exit "$rc"
