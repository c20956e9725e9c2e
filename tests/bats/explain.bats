#!/usr/bin/env bats
# sclens explain and sclens profile convert against moby's real profiles.
load helpers

setup() {
	PROFILES=$ROOT/../shared/profiles
	[ -r "$PROFILES/docker-default.json" ] || skip "../shared/profiles is missing"
	DD=$PROFILES/docker-default.json
}

@test "reference case: clock_settime needs CAP_SYS_TIME in Docker's default profile" {
	run "$SCLENS" explain --profile "$DD" --syscall clock_settime
	[ "$status" -eq 0 ]
	[[ "$output" == *"clock_settime: errno EPERM (1)"* ]]
	[[ "$output" == *"the default action"* ]]
	[[ "$output" == *"allows settimeofday, stime, clock_settime and clock_settime64 only for containers with CAP_SYS_TIME"* ]]
	[[ "$output" == *"docker run --cap-add SYS_TIME"* ]]
	[[ "$output" == *'securityContext.capabilities.add: ["SYS_TIME"]'* ]]
	[[ "$output" != *unconfined* ]]
	run "$SCLENS" explain --profile "$DD" --syscall clock_settime --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.action == "errno" and .errno == 1 and .errno_name == "EPERM" and .rule == null'
	echo "$output" | jq -e '.fix[0].kind == "capability" and .fix[0].docker == "--cap-add SYS_TIME" and .fix[0].entry.index == 27'
	echo "$output" | jq -e '.kernel_requires == "CAP_SYS_TIME"'
}

@test "with --cap-add SYS_TIME (names with or without CAP_) the call is allowed by entry 27" {
	for cap in SYS_TIME CAP_SYS_TIME sys_time; do
		run "$SCLENS" explain -f "$DD" -s clock_settime --cap-add "$cap" --json
		[ "$status" -eq 0 ]
		echo "$output" | jq -e '.action == "allow" and .rule.index == 27 and (.rule.line > 0)'
	done
	# --cap-drop ALL then add it back
	run "$SCLENS" explain -f "$DD" -s clock_settime --cap-drop ALL --cap-add SYS_TIME --json
	echo "$output" | jq -e '.action == "allow"'
	run "$SCLENS" explain -f "$DD" -s clock_settime --cap-add ALL --cap-drop SYS_TIME --json
	echo "$output" | jq -e '.action == "allow"'
}

@test "clone3 is denied with ENOSYS on purpose: no change needed" {
	run "$SCLENS" explain -f "$DD" -s clone3 --json
	echo "$output" | jq -e '.action == "errno" and .errno == 38 and .rule.index == 20 and .fix[0].kind == "none_needed"'
	run "$SCLENS" explain -f "$DD" -s clone3
	[[ "$output" == *"falls back from clone3 to clone"* ]]
}

@test "socket with AF_VSOCK: the entries that almost matched, and the narrowest profile change" {
	run "$SCLENS" explain -f "$DD" -s socket --arg 0=40 --json
	echo "$output" | jq -e '.action == "errno" and ([.fix[] | select(.kind == "argument")] | length) == 3'
	echo "$output" | jq -e '[.fix[] | select(.kind == "argument")][0] | .arg_index == 0 and .passed == 40 and .op == "SCMP_CMP_LT" and .value == 38'
	echo "$output" | jq -e '[.fix[] | select(.kind == "profile")][0].json_patch[0] | .op == "add" and .path == "/syscalls/-" and .value.args[0].value == 40'
	run "$SCLENS" explain -f "$DD" -s socket --arg 0=2 --json
	echo "$output" | jq -e '.action == "allow" and .rule.index == 2'
}

@test "--write-profile writes a complete corrected profile that allows the call and keeps the rest" {
	out=$BATS_TEST_TMPDIR/fixed.json
	run "$SCLENS" explain -f "$DD" -s socket --arg 0=40 --write-profile "$out"
	[ "$status" -eq 0 ]
	[ "$(jq '.syscalls | length' "$out")" -eq $(( $(jq '.syscalls | length' "$DD") + 1 )) ]
	[ "$(jq -c '.archMap' "$out")" = "$(jq -c '.archMap' "$DD")" ]
	[ "$(jq -c '.syscalls[0:33]' "$out")" = "$(jq -c '.syscalls' "$DD")" ]
	run "$SCLENS" explain -f "$out" -s socket --arg 0=40 --json
	echo "$output" | jq -e '.action == "allow"'
	# other families are as before
	run "$SCLENS" explain -f "$out" -s socket --arg 0=2 --json
	echo "$output" | jq -e '.action == "allow" and .rule.index == 2'
}

@test "an entry that denies explicitly is taken out by the patch (moby's example fixture)" {
	out=$BATS_TEST_TMPDIR/fixed.json
	run "$SCLENS" explain -f "$PROFILES/moby-fixture-example.json" -s syslog --json --write-profile "$out"
	echo "$output" | jq -e '.action == "errno" and .errno == 12345 and .rule.index == 3'
	echo "$output" | jq -e '[.fix[] | select(.kind == "profile")][0].json_patch[0] | .op == "remove" and .path == "/syscalls/3"'
	run "$SCLENS" explain -f "$out" -s syslog --json
	echo "$output" | jq -e '.action == "allow"'
}

@test "mount: CAP_SYS_ADMIN is named, with the risk of giving it" {
	run "$SCLENS" explain -f "$DD" -s mount
	[[ "$output" == *"--cap-add SYS_ADMIN"* ]]
	[[ "$output" == *"CAP_SYS_ADMIN gives away"* ]]
	[[ "$output" == *"risk: allowing mount"* ]]
}

@test "personality with an unlisted persona: each allowed value is shown" {
	run "$SCLENS" explain -f "$DD" -s personality --arg 0=0x40000 --json
	echo "$output" | jq -e '.action == "errno" and ([.fix[] | select(.kind == "argument")] | length) == 5'
}

@test "i386 and x32 calls, and an arch outside the profile" {
	run "$SCLENS" explain -f "$DD" -s clock_settime --arch i386 --json
	echo "$output" | jq -e '.action == "errno" and .errno == 1'
	run "$SCLENS" explain -f "$PROFILES/moby-fixture-conditional_include.json" -s chmod --arch i386 --json
	echo "$output" | jq -e '.action == "kill_thread" and .decided_by == "bad_arch"'
}

@test "profile convert: the effective OCI section for Docker's default capabilities" {
	run "$SCLENS" profile convert -f "$DD"
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/oci.json"
	jq -e '.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]' "$BATS_TEST_TMPDIR/oci.json"
	jq -e '[.syscalls[] | select(.includes or .excludes)] | length == 0' "$BATS_TEST_TMPDIR/oci.json"
	jq -e '[.syscalls[].names[]] | index("clock_settime") == null' "$BATS_TEST_TMPDIR/oci.json"
	jq -e '[.syscalls[] | select(.names == ["clone3"])][0].errnoRet == 38' "$BATS_TEST_TMPDIR/oci.json"
	run "$SCLENS" profile convert -f "$DD" --cap-add SYS_TIME
	echo "$output" | jq -e '[.syscalls[].names[]] | index("clock_settime") != null'
}

# name action errno, as Docker's conversion for its default capabilities decides
CONVERTED_CASES="read allow
write allow
arch_prctl allow
ptrace allow
clock_settime errno 1
mount errno 1
reboot errno 1
bpf errno 1
syslog errno 1
kexec_load errno 1
unshare errno 1
clone3 errno 38
open_by_handle_at errno 1
personality allow"

@test "the converted profile allows and denies what Docker's would, read back as OCI" {
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/oci.json"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/oci.json" '[]' true
	while read -r name action errno; do
		for f in "$BATS_TEST_TMPDIR/oci.json" "$BATS_TEST_TMPDIR/b/config.json"; do
			run "$SCLENS" explain -f "$f" -s "$name" --json
			echo "$name $f: $output"
			echo "$output" | jq -e --arg a "$action" '.action == $a'
			[ -z "$errno" ] || echo "$output" | jq -e --argjson e "$errno" '.errno == $e'
		done
	done <<< "$CONVERTED_CASES"
}

@test "bad input: unknown syscall or capability, bad --arg: exit 2" {
	run "$SCLENS" explain -f "$DD" -s no_such_call
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown syscall 'no_such_call'"* ]]
	run "$SCLENS" explain -f "$DD" -s no_such_call --json
	[ "$status" -eq 2 ]
	echo "$output" | grep '^{' | jq -e '.error == "unknown syscall"'
	run "$SCLENS" explain -f "$DD" -s mount --cap-add SYS_NOTHING
	[ "$status" -eq 2 ]
	run "$SCLENS" explain -f "$DD" -s mount --arg 6=1
	[ "$status" -eq 2 ]
	run "$SCLENS" explain -f "$DD"
	[ "$status" -eq 2 ]
}

@test "bad profiles: a clear error naming the place, exit 4, no crash" {
	d=$BATS_TEST_TMPDIR
	head -c 300 "$DD" > "$d/truncated.json"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' > "$d/index6.json"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ALLOW"}]}' > "$d/both.json"
	echo '{"defaultAction": "SCMP_ACT_NOPE"}' > "$d/action.json"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SORTA"}]}]}' > "$d/op.json"
	echo '{"defaultAction": ["SCMP_ACT_ERRNO"]}' > "$d/type.json"
	run "$SCLENS" explain -f "$d/truncated.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"not valid JSON"* ]]
	run "$SCLENS" explain -f "$d/index6.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"syscalls[0].args[0].index"*"out of range"* ]]
	run "$SCLENS" explain -f "$d/both.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *'syscalls[0]: (line 1) has both "name" and "names"'* ]]
	run "$SCLENS" explain -f "$d/action.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *'unknown action "SCMP_ACT_NOPE"'* ]]
	run "$SCLENS" explain -f "$d/op.json" -s read --json
	[ "$status" -eq 4 ]
	echo "$output" | grep '^{' | jq -e '.error == "invalid profile" and (.detail | contains("unknown operator"))'
	run "$SCLENS" explain -f "$d/type.json" -s read
	[ "$status" -eq 4 ]
	run "$SCLENS" explain -f "$d/missing.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"cannot open"* ]]
	run "$SCLENS" profile convert -f "$d/index6.json"
	[ "$status" -eq 4 ]
}

@test "100 MB of nesting is refused quickly, without a crash" {
	head -c 100000000 /dev/zero | tr '\0' '[' > "$BATS_TEST_TMPDIR/deep.json"
	run timeout 20 "$SCLENS" explain -f "$BATS_TEST_TMPDIR/deep.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"larger than any seccomp profile"* ]]
	head -c 1000000 /dev/zero | tr '\0' '[' > "$BATS_TEST_TMPDIR/deep.json"
	run timeout 20 "$SCLENS" explain -f "$BATS_TEST_TMPDIR/deep.json" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"not valid JSON"* ]]
}

@test "explain --arch: Docker's entries for arm and arm64 apply on an arm64 host, not on x86_64" {
	for a in aarch64 arm; do
		run "$SCLENS" explain --profile docker-20.10 --arch $a -s set_tls --json
		echo "$a: $output"
		[ "$status" -eq 0 ]
		echo "$output" | jq -e '.action == "allow" and .decided_by == "entry" and (.rule.names | index("set_tls"))'
	done
	run "$SCLENS" explain --profile docker-20.10 --arch x86_64 -s set_tls --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.action == "errno" and .decided_by == "default_action"'
	# the CAP_SYS_TIME rule is the same on arm64
	run "$SCLENS" explain --profile docker-20.10 --arch aarch64 -s clock_settime
	[[ "$output" == *"fix:  docker run --cap-add SYS_TIME"* ]]
	run "$SCLENS" explain --profile docker-20.10 --arch sparc -s set_tls
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown arch 'sparc' (x86_64, i386, x32, aarch64, arm)"* ]]
}

@test "a YAML alias bomb (345 bytes standing for 9^9 items) is refused at once with a clear error" {
	{
		echo "a: &a [x,x,x,x,x,x,x,x,x]"
		for l in b c d e f g h i; do
			p=$(echo "$l" | tr 'b-i' 'a-h')
			echo "$l: &$l [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"
		done
		echo "defaultAction: SCMP_ACT_ALLOW"
		echo "bomb: *i"
	} >"$BATS_TEST_TMPDIR/bomb.yaml"
	# bounded by the command's own time limit, not by a timing assertion
	run timeout 20 "$SCLENS" explain -f "$BATS_TEST_TMPDIR/bomb.yaml" -s getuid
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"YAML whose aliases expand past"*"refused, as an alias bomb would be"* ]]
	# a profile with a few aliases still loads
	printf 'defaultAction: SCMP_ACT_ERRNO\nsyscalls:\n  - names: &n [getuid]\n    action: SCMP_ACT_ALLOW\n  - names: *n\n    action: SCMP_ACT_LOG\n' >"$BATS_TEST_TMPDIR/ok.yaml"
	run "$SCLENS" explain -f "$BATS_TEST_TMPDIR/ok.yaml" -s getuid
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"getuid: allow"* ]]
}

@test "profile diff exits as diff(1) does: 0 the same, 1 they differ, 2 trouble" {
	run "$SCLENS" profile diff docker-20.10 docker-20.10
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 differences"* ]]
	[[ "$output" != *risky* ]]
	run "$SCLENS" profile diff docker-20.10 docker-25.0
	[ "$status" -eq 1 ]
	# the risky calls each side alone lets through: Docker 25 dropped
	# io_uring (moby #46762) and lets through process_vm_* and
	# name_to_handle_at, which 20.10 did not with Docker's default capabilities
	[[ "$output" == *$'\nrisky, allowed (for some values at least) only in docker-20.10: io_uring_setup\n'* ]]
	[[ "$output" == *$'\nrisky, allowed (for some values at least) only in docker-25.0: name_to_handle_at process_vm_readv process_vm_writev\n'* ]]
	run "$SCLENS" profile diff docker-20.10 "$BATS_TEST_TMPDIR/missing.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing.json: cannot open"* ]]
	run sh -c '"$1" profile diff docker-20.10 docker-25.0 >/dev/full' sh "$SCLENS"
	[ "$status" -eq 2 ]
	[[ "$output" == *"writing the differences failed"* ]]
}

@test "a 400,000-entry profile (issue 25): explained, the deciding entry and its fix, not converted once per capability" {
	/usr/bin/python3 -c 'import json, sys
rules = [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": i, "op": "SCMP_CMP_EQ"}]} for i in range(400000)]
json.dump({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": rules}, open(sys.argv[1], "w"))' "$BATS_TEST_TMPDIR/big.json"
	run "$SCLENS" explain --json -f "$BATS_TEST_TMPDIR/big.json" -s getppid
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.rule.index == 0 and .action == "errno" and (.fix[0].json_patch[0] == {"op": "remove", "path": "/syscalls/0"})'
}
