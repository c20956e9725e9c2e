# sclens: see README.md. `make` builds build/sclens; `make test` and
# `make demo` first install what a fresh Debian 12 machine lacks.
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BUILD := build
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
CFLAGS ?= -g -O2
# always on, whatever CFLAGS a packager gives (dpkg-buildflags' CPPFLAGS and
# LDFLAGS carry the hardening: _FORTIFY_SOURCE, relro, bindnow)
WARNINGS := -Wall -Wextra -Wno-unused-parameter -Wno-format-truncation \
	-Werror=incompatible-pointer-types -Werror=implicit-function-declaration
ALL_CFLAGS = $(WARNINGS) $(CPPFLAGS) $(CFLAGS)
PKGS := libbpf libseccomp libcjson libmicrohttpd yaml-0.1
# user/ is grouped by the data path (commands, pipeline, sinks, profiles,
# runtimes, common); headers are included by name from every folder
USER_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard user/*/*.c user/*/*.h))))
USER_HDRS := $(wildcard user/*/*.h)
INCLUDES := -Iinclude -I$(BUILD) $(addprefix -I,$(USER_DIRS))
LDLIBS := -lbpf -lelf -lz -lseccomp -lcjson -lmicrohttpd -lyaml -lcrypt -lpthread

USER_SRCS := $(wildcard user/*/*.c)
USER_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(USER_SRCS))) $(BUILD)/obj/builtin_profiles.o
LIB_OBJS := $(filter-out $(BUILD)/obj/main.o,$(USER_OBJS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELPER_SRCS))

.PHONY: all deps demo test test-kernels cross-arm64 deb-arm64 unit bats bench clean vmlinux helpers fuzz fuzzers san man install uninstall deb
all: $(BUILD)/sclens

deps:
	scripts/install-deps.sh

$(BUILD) $(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# BPF object and skeleton (libbpf-bootstrap style)
$(BUILD)/sclens.bpf.o: bpf/sclens.bpf.c $(wildcard bpf/*.bpf.h) include/sclens.h vmlinux/$(ARCH)/vmlinux.h | $(BUILD)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Iinclude -Ivmlinux/$(ARCH) \
		-Wall -Wno-unused-function -c $< -o $@
	llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/sclens.skel.h: $(BUILD)/sclens.bpf.o
	$(BPFTOOL) gen skeleton $< name sclens_bpf > $@

vpath %.c $(USER_DIRS)

$(BUILD)/obj/%.o: %.c $(USER_HDRS) include/sclens.h $(BUILD)/sclens.skel.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -c $< -o $@

# Docker's defaults are compiled in: dockerd keeps its own in its binary
$(BUILD)/builtin_profiles.c: profiles/index.txt $(wildcard profiles/*/*.json) scripts/embed-profiles.sh | $(BUILD)
	scripts/embed-profiles.sh $@

$(BUILD)/obj/builtin_profiles.o: $(BUILD)/builtin_profiles.c user/profiles/builtin.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -c $< -o $@

$(BUILD)/sclens: $(USER_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) tests/unit/unit.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(INCLUDES) -Itests/unit $< $(LIB_OBJS) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/helpers/%.c | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Iinclude $< -lseccomp -lpthread -o $@

helpers: $(HELPER_BINS) $(BUILD)/sclens $(BUILD)/tests/bench
	scripts/build-test-assets.sh $(BUILD)/tests

vmlinux:
	scripts/gen-vmlinux.sh $(ARCH)

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do echo "# $$t"; $$t || exit 1; done

bats: all helpers
	bats --tap tests/bats

# The same sources built with AddressSanitizer and UBSan into build-san/;
# `make test` runs the unit tests and the parsing and replay bats files
# with it, failing on any report.
SAN_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow \
	-fno-sanitize-recover=all
san:
	$(MAKE) BUILD=build-san CFLAGS="$(SAN_FLAGS)" build-san/sclens \
		$(patsubst $(BUILD)/%,build-san/%,$(UNIT_BINS))

# The README's commands: each works on a fresh machine.
test: deps
	$(MAKE) all helpers $(UNIT_BINS) san fuzzers cross-arm64
	scripts/run-tests.sh

# Debian's kernels (tests/kernels/matrix.txt) booted under QEMU with this
# build and the arm64 one; part of `make test`
test-kernels: deps cross-arm64
	$(MAKE) all helpers
	scripts/test-kernels.sh x86 arm64

# arm64, cross-built into build-arm64/ with Debian's gcc-aarch64-linux-gnu
# and the :arm64 libraries through multiarch; its test assets use the
# arch's own busybox
cross-arm64:
	scripts/install-deps.sh --cross arm64
	$(MAKE) ARCH=arm64 BUILD=build-arm64 CC=aarch64-linux-gnu-gcc build-arm64/sclens \
		build-arm64/tests/bench $(patsubst $(BUILD)/%,build-arm64/%,$(HELPER_BINS))
	[ -f build-arm64/busybox ] || (cd build-arm64 && apt-get download -q busybox-static:arm64 && \
		dpkg-deb --fsys-tarfile busybox-static_*_arm64.deb | tar -xO ./bin/busybox >busybox.tmp && \
		chmod 755 busybox.tmp && mv busybox.tmp busybox && rm -f busybox-static_*_arm64.deb)
	CC=aarch64-linux-gnu-gcc BUSYBOX=build-arm64/busybox scripts/build-test-assets.sh build-arm64/tests

demo: deps
	$(MAKE) all helpers
	scripts/demo.sh

bench: deps
	$(MAKE) all helpers
	scripts/bench.sh

clean:
	rm -rf $(BUILD) build-san build-dev build-arm64

# sclens(8), generated from sclens's own --help texts
man: $(BUILD)/sclens.8
$(BUILD)/sclens.8: $(BUILD)/sclens scripts/gen-man.sh
	scripts/gen-man.sh $(BUILD)/sclens $@

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary, the man page,
# bash completion, the systemd unit (running this binary), the docs, the
# licences, and the shipped default profiles with their notice.
PREFIX ?= /usr/local
# systemd reads units from /usr/local/lib/systemd/system too; Debian 12's
# own packages put theirs in /lib/systemd/system
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
DOCDIR ?= $(PREFIX)/share/doc/sclens
install: $(BUILD)/sclens $(BUILD)/sclens.8
	install -D -m 0755 $(BUILD)/sclens $(DESTDIR)$(PREFIX)/sbin/sclens
	install -D -m 0644 $(BUILD)/sclens.8 $(DESTDIR)$(PREFIX)/share/man/man8/sclens.8
	install -D -m 0644 completions/sclens.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sclens
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/sbin/sclens|$(PREFIX)/sbin/sclens|g' deploy/sclens.service >$(DESTDIR)$(UNITDIR)/sclens.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/sclens.service
	install -d $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 README.md LICENSE $(DESTDIR)$(DOCDIR)/
	install -D -m 0644 -t $(DESTDIR)$(DOCDIR)/LICENSES LICENSES/*
	install -m 0644 docs/*.md docs/*.json $(DESTDIR)$(DOCDIR)/docs/
	install -m 0644 deploy/Containerfile deploy/kubernetes/*.yaml deploy/grafana/*.json $(DESTDIR)$(DOCDIR)/examples/
	install -d $(DESTDIR)$(PREFIX)/share/sclens/profiles/docker $(DESTDIR)$(PREFIX)/share/sclens/profiles/containerd
	install -m 0644 profiles/docker/*.json $(DESTDIR)$(PREFIX)/share/sclens/profiles/docker/
	install -m 0644 profiles/containerd/*.json $(DESTDIR)$(PREFIX)/share/sclens/profiles/containerd/
	install -m 0644 profiles/NOTICE profiles/LICENSE.Apache-2.0 profiles/index.txt $(DESTDIR)$(PREFIX)/share/sclens/profiles/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/sclens $(DESTDIR)$(PREFIX)/share/man/man8/sclens.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/sclens $(DESTDIR)$(UNITDIR)/sclens.service
	rm -rf $(DESTDIR)$(PREFIX)/share/sclens $(DESTDIR)$(DOCDIR)

# The Debian package (debian/), into build/deb/
deb:
	scripts/build-deb.sh

# The same for arm64, cross-built, into build/deb/
deb-arm64: cross-arm64
	scripts/build-deb.sh arm64

$(BUILD)/tests/bench: tests/bench/bench.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(INCLUDES) $< $(LIB_OBJS) $(LDLIBS) -o $@

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the user-space sources
# built by clang with ASan and UBSan; `make fuzz` runs each for
# FUZZ_SECONDS, `make test` for a bounded time (scripts/fuzz.sh).
FUZZ_SECONDS ?= 120
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB_OBJS := $(patsubst $(BUILD)/obj/%.o,$(BUILD)/fuzz/obj/%.o,$(LIB_OBJS))
FUZZ_CFLAGS := -g -O1 -fno-sanitize-recover=all -Wno-unused-command-line-argument \
	-Werror=incompatible-pointer-types -Werror=implicit-function-declaration

$(BUILD)/fuzz/obj/builtin_profiles.o: $(BUILD)/builtin_profiles.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined $(INCLUDES) -c $< -o $@

$(BUILD)/fuzz/obj/%.o: %.c $(USER_HDRS) include/sclens.h $(BUILD)/sclens.skel.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined $(INCLUDES) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $(INCLUDES) $< $(FUZZ_LIB_OBJS) $(LDLIBS) -o $@

# kept: make would delete them as intermediates and rebuild each time
.SECONDARY: $(FUZZ_LIB_OBJS)

fuzzers: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	scripts/fuzz.sh $(FUZZ_SECONDS)
