#!/usr/bin/env bats
# Installing sclens: make install/uninstall, the man page (generated from
# --help), bash completion, and the Debian package built and installed.
load helpers

@test "make install and uninstall with PREFIX and DESTDIR" {
	d=$BATS_TEST_TMPDIR/root
	make -C "$ROOT" -s install DESTDIR="$d" PREFIX=/usr >/dev/null
	for f in sbin/sclens share/man/man8/sclens.8 share/bash-completion/completions/sclens \
		share/sclens/profiles/NOTICE share/sclens/profiles/docker/docker-v20.10.24.json; do
		[ -e "$d/usr/$f" ] || { echo "missing $f"; false; }
	done
	"$d/usr/sbin/sclens" --version | grep -q '^sclens '
	# the unit runs the binary it was installed with; the docs --help cites
	grep -qx 'ExecStart=/usr/sbin/sclens daemon .*' "$d/lib/systemd/system/sclens.service"
	[ -e "$d/usr/share/doc/sclens/docs/json-schema.md" ]
	[ -e "$d/usr/share/doc/sclens/LICENSE" ]
	make -C "$ROOT" -s uninstall DESTDIR="$d" PREFIX=/usr >/dev/null
	[ -z "$(find "$d" -type f)" ]
	# the default prefix: a unit systemd reads from /usr/local, running /usr/local/sbin/sclens
	make -C "$ROOT" -s install DESTDIR="$d" >/dev/null
	grep -qx 'ExecStart=/usr/local/sbin/sclens daemon .*' "$d/usr/local/lib/systemd/system/sclens.service"
	if command -v systemd-analyze >/dev/null; then
		sed "s|/usr/local/sbin/sclens|$d/usr/local/sbin/sclens|" "$d/usr/local/lib/systemd/system/sclens.service" \
			>"$BATS_TEST_TMPDIR/sclens.service"
		systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/sclens.service"
	fi
	make -C "$ROOT" -s uninstall DESTDIR="$d" >/dev/null
	[ -z "$(find "$d" -type f)" ]
}

@test "the man page is made from --help, with a section per command" {
	command -v man >/dev/null || skip "man is not installed"
	make -C "$ROOT" -s build/sclens.8 >/dev/null
	run man -l "$ROOT/build/sclens.8"
	[ "$status" -eq 0 ]
	# every command sclens lists has its section
	for c in $("$SCLENS" __complete commands | tr a-z A-Z) "PROFILE CONVERT" "FILTER DUMP" "FILTER EVAL"; do
		[[ "$output" == *"SCLENS $c"* ]] || { echo "no section $c"; false; }
	done
	# no drift: every option of --help is in the page
	for o in $("$SCLENS" watch --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		[[ "$output" == *"$o"* ]] || { echo "man page lacks $o"; false; }
	done
}

complete_words() { # complete_words WORD...: what TAB offers for the last word
	# shellcheck disable=SC1091
	source "$ROOT/completions/sclens.bash"
	COMP_WORDS=("$@")
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	COMPREPLY=()
	PATH=$(dirname "$SCLENS"):$PATH _sclens
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "bash completion: commands, options, syscall names, profiles" {
	[ "$(complete_words sclens wa)" = watch ]
	[ "$(complete_words sclens po)" = posture ]
	[ "$(complete_words sclens da)" = daemon ]
	[ "$(complete_words sclens rec)" = record ]
	# every command sclens --help lists
	[ "$("$SCLENS" __complete commands | sort | tr '\n' ' ')" = "$("$SCLENS" --help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 } /^$/ && c { c = 0 }' | sort | tr '\n' ' ')" ]
	complete_words sclens watch --cont | grep -qx -- --container
	complete_words sclens posture --fail | grep -qx -- --fail-on
	complete_words sclens watch -s clock_se | grep -qx clock_settime
	complete_words sclens watch -s %cl | grep -qx %clock
	complete_words sclens explain -f docker-2 | grep -qx docker-20.10
	complete_words sclens profile show pod | grep -qx podman
}

@test "bash completion: only real options, values for each option that takes a closed set, paths with spaces whole" {
	# the examples' words are not options (docker run --security-opt ...)
	[ -z "$(complete_words sclens profile generate --s)" ]
	complete_words sclens profile generate -- | grep -qx -- --format
	[ "$(complete_words sclens explain --cap-add SYS_TI)" = SYS_TIME ]
	[ "$(complete_words sclens watch --method fe)" = fexit ]
	[ "$(complete_words sclens profile generate --format s)" = spo ]
	complete_words sclens watch --kub | grep -qx -- --kubelet-root
	complete_words sclens watch -p 1 | grep -qx 1
	mkdir -p "$BATS_TEST_TMPDIR/a dir"
	touch "$BATS_TEST_TMPDIR/a dir/web profile.json"
	[ "$(complete_words sclens explain -f "$BATS_TEST_TMPDIR/a dir/web")" = "$BATS_TEST_TMPDIR/a dir/web profile.json" ]
	[ "$(complete_words sclens record -o "$BATS_TEST_TMPDIR/a dir/web")" = "$BATS_TEST_TMPDIR/a dir/web profile.json" ]
	[ "$(complete_words sclens help wat)" = watch ]
	# every capability explain accepts
	"$SCLENS" __complete capabilities | grep -qx SYS_ADMIN
	[ "$("$SCLENS" __complete capabilities | wc -l)" -ge 41 ]
}

@test "the Debian package builds, installs and works" {
	need_root
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev is not installed"
	[ -e "$ROOT/.git" ] || skip "not a git checkout"
	run "$ROOT/scripts/build-deb.sh"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	deb=$(ls "$ROOT"/build/deb/sclens_*_"$(dpkg --print-architecture)".deb | tail -1)
	dpkg -i "$deb" >/dev/null
	run /usr/sbin/sclens --version
	dpkg -r sclens >/dev/null || true
	[[ "$output" == "sclens "* ]]
	dpkg -c "$deb" | grep -q 'usr/share/man/man8/sclens.8.gz'
	dpkg -c "$deb" | grep -q 'usr/share/sclens/profiles/NOTICE'
	# the unit (installed, not enabled), the docs --help and the man page cite
	dpkg -c "$deb" | grep -q ' \./lib/systemd/system/sclens.service$'
	dpkg -c "$deb" | grep -q 'usr/share/doc/sclens/docs/json-schema.md'
	dpkg -c "$deb" | grep -q 'usr/share/doc/sclens/examples/daemonset.yaml'
	# Debian's hardening took: relro, bindnow, PIE, fortified calls
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/sbin/sclens >"$BATS_TEST_TMPDIR/sclens"
	readelf -lW "$BATS_TEST_TMPDIR/sclens" | grep -q GNU_RELRO
	readelf -dW "$BATS_TEST_TMPDIR/sclens" | grep -q 'FLAGS.*BIND_NOW'
	readelf -hW "$BATS_TEST_TMPDIR/sclens" | grep -q 'DYN (Position-Independent'
	readelf -sW --dyn-syms "$BATS_TEST_TMPDIR/sclens" | grep -q '__[a-z]*_chk'
	# lintian: no error or warning (info tags allowed)
	if command -v lintian >/dev/null; then
		run lintian --allow-root "$deb"
		echo "$output"
		! grep -E '^[EW]: ' <<<"$output"
	fi
}

@test "the Debian package on a clean Debian 12: installs with its libraries, its unit enabled, /var/log/sclens made; purge removes it" {
	need_root
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev is not installed"
	command -v mmdebstrap >/dev/null || skip "mmdebstrap is not installed"
	[ -e "$ROOT/.git" ] || skip "not a git checkout"
	run "$ROOT/scripts/build-deb.sh"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	deb=$(ls "$ROOT"/build/deb/sclens_*_"$(dpkg --print-architecture)".deb | tail -1)
	# a clean system with what the package declares it needs, and systemd
	# (not running: as in a chroot or an image build), cached
	deps=$(dpkg-deb -f "$deb" Depends | sed 's/([^)]*)//g; s/|[^,]*//g; s/ //g')
	cache=/var/cache/sclens-test/images
	tar=$cache/clean-bookworm-$(echo "$deps" | md5sum | cut -c1-8).tar
	mkdir -p "$cache"
	if [ ! -s "$tar" ]; then
		timeout 900 mmdebstrap --variant=apt --include="systemd,systemd-sysv,$deps" bookworm "$cache/new-clean-bookworm.tar" \
			>"$cache/clean-bookworm.log" 2>&1 || skip "mmdebstrap could not make Debian 12 (no mirror?): $(tail -1 "$cache/clean-bookworm.log")"
		mv "$cache/new-clean-bookworm.tar" "$tar"
	fi
	c=$BATS_TEST_TMPDIR/chroot
	mkdir "$c"
	tar -C "$c" -xf "$tar"
	cp "$deb" "$c/tmp/sclens.deb"
	run chroot "$c" dpkg -i /tmp/sclens.deb
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(readlink "$c/etc/systemd/system/multi-user.target.wants/sclens.service")" = /lib/systemd/system/sclens.service ]
	[ "$(stat -c '%a %U' "$c/var/log/sclens")" = "750 root" ]
	chroot "$c" /usr/sbin/sclens --version | grep -q '^sclens '
	[ -e "$c/usr/share/doc/sclens/docs/json-schema.json" ]
	[ -e "$c/usr/share/doc/sclens/examples/prometheusrule.yaml" ]
	chroot "$c" dpkg --purge sclens
	[ ! -e "$c/var/log/sclens" ]
	[ ! -e "$c/etc/systemd/system/multi-user.target.wants/sclens.service" ]
}

@test "the arm64 package cross-builds: an aarch64 binary with its BPF object, the man page and the profiles" {
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev is not installed"
	command -v aarch64-linux-gnu-gcc >/dev/null || skip "no cross compiler (make cross-arm64 installs it)"
	[ -e "$ROOT/.git" ] || skip "not a git checkout"
	run "$ROOT/scripts/build-deb.sh" arm64
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	deb=$ROOT/build/deb/sclens_0.1.0_arm64.deb
	[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ]
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/sbin/sclens >"$BATS_TEST_TMPDIR/sclens"
	# ELF e_machine 183: EM_AARCH64
	[ "$(od -An -tu2 -j18 -N2 "$BATS_TEST_TMPDIR/sclens" | tr -d ' ')" = 183 ]
	# the skeleton's BPF object is built for arm64 (its registers, not x86's)
	grep -aq syscallno "$BATS_TEST_TMPDIR/sclens"
	! grep -aq orig_ax "$BATS_TEST_TMPDIR/sclens"
	dpkg -c "$deb" | grep -q 'usr/share/man/man8/sclens.8.gz'
	dpkg -c "$deb" | grep -q 'usr/share/sclens/profiles/NOTICE'
}
