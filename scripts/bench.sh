#!/bin/bash
# make bench: prints the figures the README quotes.
set -eu
cd "$(dirname "$0")/.."
make -s build/tests/bench build/tests/scdeny
echo "sclens bench, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
build/tests/bench "${BENCH_LOOP:-2000000}" "${BENCH_STORM:-1000000}"
