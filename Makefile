# SPDX-License-Identifier: GPL-2.0
#
# make               build pktrelay.ko and relayctl
# make selftests     build the selftests (fetches the kselftest harness) and
#                    relayctl's fuzz targets (clang)
# make check         sparse + W=1 + checkpatch --strict (kmod/ and include/)
# make test          build, boot Debian's kernel in QEMU and run every selftest
# make bench         build, boot the VM once and run the benchmarks (bench/run.sh)
# make install       install module (+ depmod) and relayctl
# make dkms-install  register and build the module with DKMS
#
# KVER/KDIR select the kernel to build against (default: the newest Debian
# kernel that has headers installed, the one the test VM boots).

KVER ?= $(shell scripts/vm-kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
CHECKPATCH ?= .cache/linux-source/scripts/checkpatch.pl
KBUILD = $(MAKE) -C $(KDIR) M=$(CURDIR)

all: module relayctl

module:
	$(KBUILD) W=1 modules

relayctl:
	$(MAKE) -C tools/relayctl

selftests: relayctl
	$(MAKE) -C selftests
	$(MAKE) -C tools/relayctl fuzz

check:
	$(KBUILD) clean
	$(KBUILD) W=1 C=2 modules 2>&1 | tee .check.log
	@# Kernel headers are not ours to fix: fail on what points into this tree.
	@! grep -E '(kmod/|include/uapi/).*(warning|error):' .check.log || \
		{ echo "make check: compiler/sparse warnings above" >&2; exit 1; }
	@rm -f .check.log
	@test -x $(CHECKPATCH) || scripts/kselftest-headers.sh
	$(CHECKPATCH) --strict --no-tree --terse --show-types \
		-f kmod/*.c kmod/*.h include/uapi/linux/pktrelay.h
	@echo "make check: clean"

test:
	scripts/test.sh

demo:
	scripts/demo.sh

bench:
	bench/run.sh

install: module relayctl
	$(KBUILD) modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools/relayctl install

dkms-install:
	rm -rf /usr/src/pktrelay-$(VERSION)
	mkdir -p /usr/src/pktrelay-$(VERSION)
	cp -r Kbuild Makefile dkms.conf kmod include /usr/src/pktrelay-$(VERSION)/
	dkms install -m pktrelay -v $(VERSION) -k $(KVER)

clean:
	$(KBUILD) clean
	$(MAKE) -C tools/relayctl clean
	$(MAKE) -C selftests clean
	$(MAKE) -C bench clean

.PHONY: all module relayctl selftests check test demo bench install dkms-install clean
