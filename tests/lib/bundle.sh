# Shell helpers to run real runc containers in tests and the demo.
# make_bundle DIR SECCOMP_FILE CAPS_JSON ARG...
#   SECCOMP_FILE: a file holding an OCI linux.seccomp object ("" for none)
#   CAPS_JSON: a JSON array of capability names, e.g. '["CAP_CHOWN"]'
make_bundle() {
	local dir=$1 seccomp=$2 caps=$3
	shift 3
	local rootfs=${SCLENS_ROOTFS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/tests/rootfs}
	local args="" a
	for a in "$@"; do
		a=${a//\\/\\\\}
		a=${a//\"/\\\"}
		args="$args${args:+, }\"$a\""
	done
	mkdir -p "$dir"
	{
		cat <<JSON
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ $args ],
    "env": [ "PATH=/bin", "TERM=dumb" ],
    "cwd": "/",
    "capabilities": { "bounding": $caps, "effective": $caps, "permitted": $caps },
    "noNewPrivileges": true
  },
  "root": { "path": "$rootfs", "readonly": true },
  "hostname": "sclens-test",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    { "destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "size=1024k"] }
  ],
  "linux": {
JSON
		# CGROUPS_PATH in the environment: an explicit cgroupsPath
		[ -n "${CGROUPS_PATH:-}" ] && printf '    "cgroupsPath": "%s",\n' "$CGROUPS_PATH"
		if [ -n "$seccomp" ]; then
			printf '    "seccomp": '
			cat "$seccomp"
			printf ',\n'
		fi
		cat <<JSON
    "namespaces": [ { "type": "pid" }, { "type": "ipc" }, { "type": "uts" }, { "type": "mount" }, { "type": "network" } ],
    "maskedPaths": [ "/proc/kcore", "/sys/firmware" ],
    "readonlyPaths": [ "/proc/sys", "/proc/sysrq-trigger" ]
  }
}
JSON
	} > "$dir/config.json"
}

# Docker's default capability set, as runc config wants it
DOCKER_DEFAULT_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'

# run_container DIR ID: runs the bundle to completion, output to stdout
run_container() {
	runc run --bundle "$1" "$2" </dev/null
}
