#!/usr/bin/env bats
# The cBPF interpreter under libFuzzer with ASan and UBSan: random programs
# and seccomp_data, no crash, no read outside seccomp_data, no endless loop.
load helpers

@test "the cBPF interpreter survives 15 seconds of libFuzzer" {
	cd "$ROOT"
	make -s build/tests/fuzz_cbpf >/dev/null 2>&1 || skip "clang cannot build libFuzzer targets here (libclang-rt-14-dev missing?)"
	mkdir -p "$BATS_TEST_TMPDIR/corpus"
	run build/tests/fuzz_cbpf -max_total_time=15 -max_len=2048 -timeout=5 "$BATS_TEST_TMPDIR/corpus"
	echo "$output" | tail -3
	[ "$status" -eq 0 ]
	[[ "$output" == *"Done "*" runs in "* ]]
}
