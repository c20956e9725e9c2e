# Real server workloads for the tuning tests: images made from Debian 12's
# own packages with mmdebstrap (no registry), cached between runs in
# /var/cache/sclens-test/images. Sourced by bats files after engines.sh.

WORKLOAD_CACHE=/var/cache/sclens-test/images

# workload_tar NAME PACKAGE...: sets WORKLOAD_TAR to the cached root
# filesystem with the packages and what they depend on, made if missing.
# Returns 1 when it cannot be made (no mmdebstrap, no mirror): the log in
# $WORKLOAD_CACHE/NAME.log says why.
workload_tar() {
	local name=$1 pkgs key
	shift
	pkgs=$(echo "$@" | tr ' ' ',')
	key=$(echo "$pkgs" | md5sum | cut -c1-8)
	WORKLOAD_TAR=$WORKLOAD_CACHE/$name-$key.tar
	[ -s "$WORKLOAD_TAR" ] && return 0
	command -v mmdebstrap >/dev/null || return 1
	mkdir -p "$WORKLOAD_CACHE"
	timeout 900 mmdebstrap --variant=essential --include="$pkgs" bookworm "$WORKLOAD_CACHE/new-$name.tar" \
		>"$WORKLOAD_CACHE/$name.log" 2>&1 || return 1
	mv "$WORKLOAD_CACHE/new-$name.tar" "$WORKLOAD_TAR"
}

# workload_image NAME PACKAGE...: the Docker image sclens-NAME
workload_image() {
	"$DOCKER" image inspect "sclens-$1" >/dev/null 2>&1 && return 0
	workload_tar "$@" || return 1
	"$DOCKER" import "$WORKLOAD_TAR" "sclens-$1" >/dev/null
}

# podman_workload_image NAME PACKAGE...: the same image in Podman's store
podman_workload_image() {
	"${PODMAN[@]}" image exists "sclens-$1" 2>/dev/null && return 0
	workload_tar "$@" || return 1
	"${PODMAN[@]}" import "$WORKLOAD_TAR" "sclens-$1" >/dev/null
}

# kinds FILE: the (call action errno) of a recording's denials, one a line
rec_denial_kinds() {
	jq -r '.recorded[].denials[] | "\(.syscall) \(.action) \(.errno // "")"' "$1" | sort -u
}

# generate_formats REC DIR NAME: the recording's profile in the three
# formats (DIR/NAME.json for Docker and Podman, .oci.json, .yaml for the
# Security Profiles Operator); the other two must allow exactly what the
# Docker one does
generate_formats() {
	"$SCLENS" profile generate "$1" >"$2/$3.json" 2>"$2/$3.gen.err" || return 1
	"$SCLENS" profile generate --format oci "$1" >"$2/$3.oci.json" || return 1
	"$SCLENS" profile generate --format spo --name "$3" "$1" >"$2/$3.yaml" || return 1
	"$SCLENS" profile diff "$2/$3.json" "$2/$3.oci.json" >"$2/$3.oci.diff" || { cat "$2/$3.oci.diff"; return 1; }
	"$SCLENS" profile diff "$2/$3.json" "$2/$3.yaml" >"$2/$3.spo.diff" || { cat "$2/$3.spo.diff"; return 1; }
}

# against_default PROFILE DEFAULT: one line for the test's output: how
# many calls it allows against the engine's default, and the risky calls
# the default allows that it does not
against_default() {
	local allowed base
	allowed=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$1")
	base=$("$SCLENS" profile show "$2" | jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length')
	echo "$allowed calls allowed against $base in $2's default;" \
		"$("$SCLENS" profile diff "$2" "$1" | sed -n "s/^risky, allowed (for some values at least) only in $2: /gone, and risky: /p")"
	[ "$allowed" -lt "$base" ]
}

# no_new_denials REC: every denial watch saw ($WATCH_OUT) the recorded run
# also got (same call, action and errno); the new ones are printed
no_new_denials() {
	denials '"\(.syscall) \(.action) \(.errno // "")"' | tr -d '"' | sort -u >"$BATS_TEST_TMPDIR/new-kinds.txt"
	rec_denial_kinds "$1" >"$BATS_TEST_TMPDIR/old-kinds.txt"
	comm -23 "$BATS_TEST_TMPDIR/new-kinds.txt" "$BATS_TEST_TMPDIR/old-kinds.txt" >"$BATS_TEST_TMPDIR/extra-kinds.txt"
	cat "$BATS_TEST_TMPDIR/extra-kinds.txt"
	[ ! -s "$BATS_TEST_TMPDIR/extra-kinds.txt" ]
}
