# sbtrfs: `make` builds, `make test` installs what is missing and runs every test,
# `make demo` tours a scratch btrfs, `make bench` compares with btrfs-progs and python-btrfs.

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man8
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
# systemd searches /usr/local/lib/systemd/system too, so the units follow PREFIX.
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR = $(DESTDIR)$(PREFIX)/share/doc/sbtrfs
# node_exporter's textfile directory as Debian's prometheus-node-exporter sets it.
TEXTFILE_DIR ?= /var/lib/prometheus/node-exporter
DEBUG_BIN = .build/debug/sbtrfs
# The binary the man pages are generated with (any build of this tree).
MAN_BIN ?= $(RELEASE_BIN)
STATIC_FLAGS = --static-swift-stdlib -Xswiftc -static-executable
# Generic metadata through direct accessors, not demangled from mangled names at start-up:
# a sixth of `fi df`'s CPU time (Docs/PERFORMANCE.md).
# Link order: lld packs the functions everyday commands run side by side, and the data they
# touch, so a run faults in a few dozen pages instead of pages all over 26 MB
# (scripts/startup-order.sh, `make startup-order`; without lld next to swift the build links unordered).
ORDER_FILE = scripts/startup-order.txt
LLD = $(wildcard $(dir $(realpath $(SWIFT)))ld.lld)
ORDER_FLAGS = $(if $(and $(LLD),$(wildcard $(ORDER_FILE))),-Xswiftc -use-ld=lld \
	-Xswiftc -Xfrontend -Xswiftc -function-sections \
	-Xlinker --symbol-ordering-file=$(CURDIR)/$(ORDER_FILE) -Xlinker --no-warn-symbol-ordering)
RELEASE_FLAGS = $(STATIC_FLAGS) -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	$(ORDER_FLAGS)
RELEASE_BIN = .build/release/sbtrfs

# Debian packages the build, the tests and the oracles need. prometheus-node-exporter and
# prometheus (for promtool) start their services when installed on a machine with systemd; the
# tests run node_exporter of their own on a loopback port and need neither service. btrbk: the
# backup tool BtrbkTests runs end to end with sbtrfs as its `btrfs`.
DEPS = btrfs-progs libbtrfsutil-dev python3-btrfs python3-btrfsutil pkg-config attr util-linux \
       bash-completion python3-prometheus-client zsh fish scdoc btrfs-compsize prometheus-node-exporter prometheus \
       zlib1g-dev libblkid-dev btrfs-heatmap pngcheck strace btrbk python3-pip libzstd-dev liblzo2-dev
BENCH_DEPS = hyperfine
ORDER_DEPS = valgrind

# AddressSanitizer (with libFuzzer's coverage) in a build of its own, shared by `make fuzz` and
# `make test-asan` (Docs/FUZZING.md).
ASAN_SCRATCH = .build-asan
ASAN_FLAGS = $(shell sh scripts/fuzz/build.sh --print-flags)
# Leak reports would be the Swift runtime's caches, which live as long as the process does; the
# suppressions are toolchain over-reads in generated test code (scripts/fuzz/asan.supp).
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:suppressions=$(CURDIR)/scripts/fuzz/asan.supp SBTRFS_TEST_SANITIZER=address
FUZZ_SECONDS ?= 60
# `make test`'s short run: seconds per target.
FUZZ_SMOKE_SECONDS ?= 3

.PHONY: all build release test deps oracles bench-deps demo bench install install-docs install-units uninstall clean \
	completions man startup-order deb fuzz fuzz-build fuzz-smoke fuzz-corpus test-asan

all: build

build: deps
	$(SWIFT) build

# Fully static: no Swift runtime or libc to find at start-up. SwiftPM does not always recompile
# when only -Xswiftc/-Xfrontend flags change (objects without function sections were kept), so a
# stamp of the flags clears the release objects when they differ.
RELEASE_STAMP = .build/release-flags
release: deps
	@if [ "$$(cat $(RELEASE_STAMP) 2>/dev/null)" != '$(RELEASE_FLAGS)' ]; then \
		rm -rf .build/*-linux-gnu/release $(RELEASE_STAMP); fi
	$(SWIFT) build -c release --product sbtrfs $(RELEASE_FLAGS)
	@echo '$(RELEASE_FLAGS)' >$(RELEASE_STAMP)

test: deps oracles
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(MAKE) fuzz-smoke

# libFuzzer targets (Fuzz/Targets): FUZZ_SECONDS each (or FUZZ_RUNS inputs), FUZZ_TARGETS to pick.
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz/run.sh

fuzz-build: deps
	SWIFT=$(SWIFT) SCRATCH=$(ASAN_SCRATCH) sh scripts/fuzz/build.sh

# A few seconds per target over the committed seeds: part of `make test`.
fuzz-smoke: deps
	SWIFT=$(SWIFT) SCRATCH=$(ASAN_SCRATCH) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) sh scripts/fuzz/smoke.sh

# Seeds from a scratch loop filesystem into Fuzz/Corpus (root).
fuzz-corpus: fuzz-build
	SCRATCH=$(ASAN_SCRATCH) sh scripts/fuzz/capture-corpus.sh

# The whole suite under AddressSanitizer (not part of `make test`: Docs/FUZZING.md says why).
test-asan: deps
	$(SWIFT) build --build-tests --scratch-path $(ASAN_SCRATCH) $(ASAN_FLAGS)
	$(ASAN_ENV) $(SWIFT) test --skip-build --scratch-path $(ASAN_SCRATCH) $(ASAN_FLAGS)

deps:
	@sh scripts/install-deps.sh $(DEPS)

# python-btrfs 15 (PyPI sdist) and bookworm-backports' btrfs-progs (mkfs -O block-group-tree), unpacked
# under .build/oracles for the tests, never installed over Debian's 13 and 6.2.
oracles:
	@sh scripts/fetch-oracles.sh .build/oracles

bench-deps:
	@sh scripts/install-deps.sh $(DEPS) $(BENCH_DEPS)

# Not part of `make test`: builds its fixtures once under /var/tmp/sbtrfs-bench (BENCH_QUICK=1: small ones).
bench: bench-deps release
	/usr/bin/python3 scripts/bench/bench.py

demo: release
	sh scripts/demo.sh $(RELEASE_BIN)

# Regenerate the link order from the release binary's runs, then relink with it.
startup-order: release
	@sh scripts/install-deps.sh $(ORDER_DEPS)
	SWIFT_STATIC=$(dir $(realpath $(SWIFT)))../lib/swift_static/linux sh scripts/startup-order.sh $(RELEASE_BIN) $(ORDER_FILE)
	rm -f $(RELEASE_BIN)  # the order file is not an input SwiftPM tracks
	$(MAKE) release

# Completions/ is generated from the command tree and committed (a test fails when stale).
completions: build
	$(DEBUG_BIN) completion bash >Completions/sbtrfs.bash
	$(DEBUG_BIN) completion zsh >Completions/_sbtrfs
	$(DEBUG_BIN) completion fish >Completions/sbtrfs.fish

man:
	sh scripts/build-man.sh $(MAN_BIN) .build/man

install: release
	install -d $(BINDIR)
	install -m 0755 $(RELEASE_BIN) $(BINDIR)/sbtrfs
	$(MAKE) install-docs install-units

# sbtrfs-metrics.service and .timer: every minute, every mounted btrfs into node_exporter's textfile
# directory (enable with `systemctl enable --now sbtrfs-metrics.timer`).
install-units:
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@TEXTFILE_DIR@|$(TEXTFILE_DIR)|g' \
		systemd/sbtrfs-metrics.service.in >$(DESTDIR)$(UNITDIR)/sbtrfs-metrics.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/sbtrfs-metrics.service
	install -m 0644 systemd/sbtrfs-metrics.timer $(DESTDIR)$(UNITDIR)/sbtrfs-metrics.timer

# Completions, man pages and docs (`make install-docs MAN_BIN=.build/debug/sbtrfs` needs no release build).
install-docs: man
	install -d $(BASHDIR) $(ZSHDIR) $(FISHDIR) $(MANDIR)
	install -m 0644 Completions/sbtrfs.bash $(BASHDIR)/sbtrfs
	install -m 0644 Completions/_sbtrfs $(ZSHDIR)/_sbtrfs
	install -m 0644 Completions/sbtrfs.fish $(FISHDIR)/sbtrfs.fish
	install -m 0644 .build/man/*.8 $(MANDIR)/
	install -d $(DOCDIR)/prometheus
	install -m 0644 README.md Docs/*.md $(DOCDIR)/
	install -m 0644 Docs/prometheus/*.yml $(DOCDIR)/prometheus/

uninstall:
	rm -f $(BINDIR)/sbtrfs $(BASHDIR)/sbtrfs $(ZSHDIR)/_sbtrfs $(FISHDIR)/sbtrfs.fish
	rm -f $(MANDIR)/sbtrfs.8 $(MANDIR)/sbtrfs-*.8
	rm -f $(DESTDIR)$(UNITDIR)/sbtrfs-metrics.service $(DESTDIR)$(UNITDIR)/sbtrfs-metrics.timer
	rm -rf $(DOCDIR)

# Debian package of the static release build (binary, man pages, completions, units, docs):
# .build/sbtrfs_<version>_<arch>.deb. `make deb DEB_BIN=…` packages another build.
DEB_BIN ?= $(RELEASE_BIN)
DEB_OUT ?= .build
deb: $(if $(filter $(RELEASE_BIN),$(DEB_BIN)),release)
	sh scripts/build-deb.sh $(DEB_BIN) $(DEB_OUT)/deb-work $(DEB_OUT)

clean:
	rm -rf .build $(ASAN_SCRATCH)
