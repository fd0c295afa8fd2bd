#!/usr/bin/env bash
# Split computing (docs/architecture.md §6.4) in one JVM: an edge (emulated 8 x slower hardware) and a cloud node
# behind a WAN emulator (10 ms RTT), real Hazelcast and ONNX Runtime on loopback, the shipped split CNN. At 1, 10,
# 50 and 100 Mbit/s: median latency and KB the edge uploads per request for all-local, all-remote, each fixed
# split (b0, b1, b2) and Coedge's choice, one request at a time. Writes bench/out/split-STAMP.md and .jsonl.
#
# Usage: bench/split.sh [requests-per-cell=30] [bandwidths=1,10,50,100] [slower=8]
# Env: COEDGE_BUILD_DIR (target), MVN (./mvnw), MVN_FLAGS (e.g. -o), BENCH_REBUILD=1 forces a build
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${COEDGE_BUILD_DIR:-target}
MVN=${MVN:-./mvnw}
MVN_FLAGS=${MVN_FLAGS:-}
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f "$BUILD/test-classes/io/coedge/routing/SplitBench.class" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" test-compile
fi
if [ ! -s "$BUILD/offload-cp.txt" ] || [ pom.xml -nt "$BUILD/offload-cp.txt" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" dependency:build-classpath -Dmdep.outputFile="$BUILD/offload-cp.txt" >/dev/null
fi
mkdir -p bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=bench/out/split-$STAMP.jsonl
MD=bench/out/split-$STAMP.md
java -Xmx1g -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/offload-cp.txt")" \
  -Djava.util.logging.config.file=/dev/null io.coedge.routing.SplitBench "$@" 2>bench/out/split-$STAMP.log \
  | tee >(grep '^{' >"$RAW") | grep -v '^{' >"$MD.tmp"
{
  echo "### Split run $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  cat "$MD.tmp"
} >"$MD"
rm -f "$MD.tmp"
cat "$MD"
