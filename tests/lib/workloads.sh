# Real server workloads for the tuning tests: images made from Debian 12's
# own packages with mmdebstrap (no registry), cached between runs in
# /var/cache/sclens-test/images. Sourced by bats files after engines.sh.

WORKLOAD_CACHE=/var/cache/sclens-test/images

# workload_image NAME PACKAGE...: the Docker image sclens-NAME, with the
# packages and what they depend on. Returns 1 when it cannot be made (no
# mmdebstrap, no mirror): the log says why.
workload_image() {
	local name=$1 image=sclens-$1
	shift
	local pkgs key tar
	pkgs=$(echo "$@" | tr ' ' ',')
	key=$(echo "$pkgs" | md5sum | cut -c1-8)
	tar=$WORKLOAD_CACHE/$name-$key.tar
	"$DOCKER" image inspect "$image" >/dev/null 2>&1 && return 0
	command -v mmdebstrap >/dev/null || return 1
	mkdir -p "$WORKLOAD_CACHE"
	if [ ! -s "$tar" ]; then
		timeout 900 mmdebstrap --variant=essential --include="$pkgs" bookworm "$WORKLOAD_CACHE/new-$name.tar" \
			>"$WORKLOAD_CACHE/$name.log" 2>&1 || return 1
		mv "$WORKLOAD_CACHE/new-$name.tar" "$tar"
	fi
	"$DOCKER" import "$tar" "$image" >/dev/null
}

# kinds FILE: the (call action errno) of a recording's denials, one a line
rec_denial_kinds() {
	jq -r '.recorded[].denials[] | "\(.syscall) \(.action) \(.errno // "")"' "$1" | sort -u
}
