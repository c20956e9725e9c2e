#!/bin/bash
# Writes the seccomp profile containerd's CRI plugin generates for
# RuntimeDefault, as a Docker-format profile sclens can ship
# (profiles/containerd/), by asking the real containerd: a pod's container
# is created (not started) with RuntimeDefault under Docker's default
# capabilities, then once more with each other capability added and each
# default one dropped; `ctr containers info` gives the OCI profile each was
# given. What every variant has is unconditional; what appears with a
# capability is `includes.caps`, what disappears with one is
# `excludes.caps` (or `includes.caps` for a default capability dropped).
# containerd generates arch-specific entries for the arch it runs on: this
# captures this machine's.
#
# USAGE: scripts/capture-containerd-default.sh OUT.json   (as root)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: $0 OUT.json}
source "$ROOT/tests/lib/engines.sh"
source "$ROOT/tests/lib/cri.sh"
work=$(mktemp -d)
trap 'stop_cri; stop_dockerd; rm -rf "$work"' EXIT
start_dockerd
start_cri
pod=$(cri run-pod capture sclens-capture "$(cat /proc/sys/kernel/random/uuid)")

# capture NAME ARGS...: the OCI seccomp section containerd generates
capture() {
	local name=$1 id
	shift
	id=$(cri create "$pod" "$name" "$CRI_IMAGE" --seccomp runtime-default "$@" -- /bin/true)
	"${CRI_CTR[@]}" containers info "$id" | jq '{seccomp: .Spec.linux.seccomp, caps: .Spec.process.capabilities.bounding}' >"$work/$name.json"
	cri remove "$id"
}

capture base
mapfile -t default_caps < <(jq -r '.caps[]' "$work/base.json")
all_caps=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE
	NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT
	SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE
	AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ
	PERFMON BPF CHECKPOINT_RESTORE)
for cap in "${all_caps[@]}"; do
	if printf '%s\n' "${default_caps[@]}" | grep -qx "CAP_$cap"; then
		capture "drop-$cap" --cap-drop "$cap"
	else
		capture "add-$cap" --cap-add "$cap"
	fi
done
version=$(cri version | jq -r .runtime_version)

/usr/bin/python3 - "$work" "$out" "$version" <<'EOF'
import glob, json, os, sys

work, out, version = sys.argv[1:4]
def entries(path):
    sc = json.load(open(path))["seccomp"]
    return sc, [json.dumps(e, sort_keys=True) for e in sc["syscalls"]]

base_sc, base = entries(os.path.join(work, "base.json"))
includes, excludes = {}, {}
for path in sorted(glob.glob(os.path.join(work, "*-*.json"))):
    kind, cap = os.path.basename(path)[:-5].split("-", 1)
    _, got = entries(path)
    cap = "CAP_" + cap
    for e in got:
        if e not in base:  # appears with an added capability
            includes.setdefault(e, []).append(cap)
    for e in base:
        if e not in got:  # disappears: needs a default cap, or is replaced by an added one
            (includes if kind == "drop" else excludes).setdefault(e, []).append(cap)

syscalls = []
for e in base:
    entry = json.loads(e)
    if e in includes:  # needs a default cap; two such caps: either keeps it
        entry["includes"] = {"caps": includes.pop(e)}
        if len(entry["includes"]["caps"]) > 1:
            sys.exit("capture: %s disappears with any of %s: not one Docker-format entry" % (e[:60], entry["includes"]["caps"]))
    if e in excludes:
        entry["excludes"] = {"caps": excludes[e]}
    syscalls.append(entry)
# includes.caps asks for every cap listed: an entry that comes with any
# one of several caps is written once per cap
for e, caps in includes.items():
    for cap in caps:
        entry = json.loads(e)
        entry["includes"] = {"caps": [cap]}
        syscalls.append(entry)

arches = base_sc["architectures"]
profile = {
    "comment": "The profile containerd %s's CRI plugin generates for RuntimeDefault on %s, captured from the "
               "running containerd by scripts/capture-containerd-default.sh (containerd is Apache-2.0: "
               "see profiles/NOTICE)" % (version, arches[0]),
    "defaultAction": base_sc["defaultAction"],
}
if "defaultErrnoRet" in base_sc:
    profile["defaultErrnoRet"] = base_sc["defaultErrnoRet"]
profile["archMap"] = [{"architecture": arches[0], "subArchitectures": arches[1:]}]
profile["syscalls"] = syscalls
with open(out, "w") as f:
    json.dump(profile, f, indent="\t")
    f.write("\n")
print("%s: %d entries, %d conditional on capabilities" %
      (out, len(syscalls), sum(1 for s in syscalls if "includes" in s or "excludes" in s)))
EOF
