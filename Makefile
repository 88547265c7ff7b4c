# sbtrfs: `make` builds, `make test` installs what is missing and runs every test,
# `make demo` tours a scratch btrfs, `make bench` compares with btrfs-progs and python-btrfs.

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
STATIC_FLAGS = --static-swift-stdlib -Xswiftc -static-executable
RELEASE_BIN = .build/release/sbtrfs

# Debian packages the build, the tests and the oracles need.
DEPS = btrfs-progs libbtrfsutil-dev python3-btrfs python3-btrfsutil pkg-config attr util-linux \
       bash-completion python3-prometheus-client
BENCH_DEPS = hyperfine

.PHONY: all build release test deps bench-deps demo bench install uninstall clean

all: build

build: deps
	$(SWIFT) build

# Fully static: no Swift runtime or libc to find at start-up.
release: deps
	$(SWIFT) build -c release --product sbtrfs $(STATIC_FLAGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

deps:
	@sh scripts/install-deps.sh $(DEPS)

bench-deps:
	@sh scripts/install-deps.sh $(DEPS) $(BENCH_DEPS)

demo: release
	sh scripts/demo.sh $(RELEASE_BIN)

install: release
	install -d $(BINDIR)
	install -m 0755 $(RELEASE_BIN) $(BINDIR)/sbtrfs

uninstall:
	rm -f $(BINDIR)/sbtrfs

clean:
	rm -rf .build
