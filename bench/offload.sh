#!/usr/bin/env bash
# Measures offloading (docs/architecture.md) in one JVM: an edge of capacity C (one worker, emulated slow hardware:
# +10 ms per batch) and two cloud nodes behind WAN emulators (20 ms RTT, 50 Mbit/s), real Hazelcast members and
# ONNX Runtime on loopback, open-loop load at 1, 2, 3 and 5 × C with a 100 ms objective, for the cost model
# (local-first) and two baselines: local-only and a static queue-length threshold; then the cost model at 3 × C on
# models with no latency objective (mode no-objective: offloaded share, p99, errors).
# Writes bench/out/offload-STAMP.md (the table) and bench/out/offload-STAMP.jsonl (one line per phase).
#
# Usage: bench/offload.sh [seconds-per-phase=6] [static-threshold=4] [loads=1,2,3,5] [modes=cost-model,local-only,static-threshold,no-objective]
# Env: COEDGE_BUILD_DIR (target), MVN (./mvnw), MVN_FLAGS (e.g. -o), BENCH_REBUILD=1 forces a build
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${COEDGE_BUILD_DIR:-target}
MVN=${MVN:-./mvnw}
MVN_FLAGS=${MVN_FLAGS:-}
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f "$BUILD/test-classes/io/coedge/bench/OffloadBench.class" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" test-compile
fi
if [ ! -s "$BUILD/offload-cp.txt" ] || [ pom.xml -nt "$BUILD/offload-cp.txt" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" dependency:build-classpath -Dmdep.outputFile="$BUILD/offload-cp.txt" >/dev/null
fi
mkdir -p bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=bench/out/offload-$STAMP.jsonl
MD=bench/out/offload-$STAMP.md
java -Xmx1g -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/offload-cp.txt")" \
  -Djava.util.logging.config.file=/dev/null io.coedge.bench.OffloadBench "$@" 2>bench/out/offload-$STAMP.log \
  | tee >(grep '^{' >"$RAW") | grep -v '^{' >"$MD.tmp"
{
  echo "### Offload run $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  cat "$MD.tmp"
} >"$MD"
rm -f "$MD.tmp"
cat "$MD"
