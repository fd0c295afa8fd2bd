#!/usr/bin/env bash
# Rollout of a 16 MB model to 1 cloud + 3 edge processes on this box, the edges on one site behind one emulated
# WAN link (default 50 Mbit/s, 20 ms RTT) to the cloud: time from publishing until every node serves the version,
# against the physical floor, and the processes' extra CPU and memory during the rollout (RolloutBench).
# Writes bench/results/rollout-STAMP.md (the run's nodes' logs in bench/out/rollout-STAMP/).
#
# Usage: bench/rollout.sh [size_mb=16] [mbps=50] [rtt_ms=20]
# Env: COEDGE_BUILD_DIR (target), MVN (./mvnw), MVN_FLAGS (e.g. -o), BENCH_REBUILD=1 forces a build.
# Needs /usr/bin/python3 with onnx and numpy (apt-get install -y python3-onnx python3-numpy) for the model.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
SIZE=${1:-16}
MBPS=${2:-50}
RTT=${3:-20}
bench_build
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=bench/out/rollout-$STAMP
mkdir -p "$WORK" bench/results
/usr/bin/python3 bench/make_big_model.py "$WORK/big.onnx" "$SIZE" >&2
MD=bench/results/rollout-$STAMP.md
{
  echo "### Rollout run $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  bench_java RolloutBench "$JAR" src/test/resources/cluster-models/relu/1/model.onnx "$WORK/big.onnx" \
    "$WORK" "$MBPS" "$RTT"
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$MD"
rm -f "$WORK/big.onnx"
cat "$MD"
