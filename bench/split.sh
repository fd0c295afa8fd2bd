#!/usr/bin/env bash
# Split computing (docs/architecture.md §6.4) in one JVM: an edge (emulated SLOWER x slower hardware) and a cloud node
# behind a WAN emulator (10 ms RTT), real Hazelcast and ONNX Runtime on loopback, the shipped split CNN. At 1, 3, 10,
# 50 and 100 Mbit/s: median latency and KB the edge uploads per request for all-local, all-remote, each fixed
# split (b0, b1, b2) and Coedge's choice, one request at a time, the plans interleaved round by round; Coedge gets
# WARM requests per bandwidth phase before measuring (reported). Prints the goal check per bandwidth and writes
# bench/out/split-STAMP.md and .jsonl.
#
# Usage: bench/split.sh [requests-per-cell=40] [bandwidths=1,3,10,50,100] [slower=300] [warm=30]
# Env: see bench/common.sh (COEDGE_BUILD_DIR, MVN, MVN_FLAGS, BENCH_REBUILD=1)
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bench_build
mkdir -p bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/out/split-$STAMP
echo "### Split run $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT.md"
echo >>"$OUT.md"
"${BENCH_JAVA[@]}" -Djava.util.logging.config.file=/dev/null io.coedge.routing.SplitBench "$@" 2>"$OUT.log" \
  | tee >(grep '^{' >"$OUT.jsonl") | grep -v '^{' >>"$OUT.md"
cat "$OUT.md"
