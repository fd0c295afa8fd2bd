#!/usr/bin/env bash
# Measures the model lifecycle in one JVM with the 16 MB shipped model (sensor-anomaly-large): signature
# verification cost against hashing the file, publish-to-serving time in explicit and poll mode (poll every 1 s),
# and p99 latency under closed-loop load before and during a swap (with the failed-request count).
# Writes bench/out/lifecycle-STAMP.md.
#
# Usage: bench/lifecycle.sh [rounds=3] [clients=4]
# Env: COEDGE_BUILD_DIR (target), MVN (./mvnw), MVN_FLAGS (e.g. -o), BENCH_REBUILD=1 forces a build
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${COEDGE_BUILD_DIR:-target}
MVN=${MVN:-./mvnw}
MVN_FLAGS=${MVN_FLAGS:-}
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f "$BUILD/test-classes/io/coedge/bench/LifecycleBench.class" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" test-compile
fi
if [ ! -s "$BUILD/lifecycle-cp.txt" ] || [ pom.xml -nt "$BUILD/lifecycle-cp.txt" ]; then
  # shellcheck disable=SC2086
  $MVN -q $MVN_FLAGS -Dcoedge.buildDir="$BUILD" dependency:build-classpath -Dmdep.outputFile="$BUILD/lifecycle-cp.txt" >/dev/null
fi
mkdir -p bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
MD=bench/out/lifecycle-$STAMP.md
{
  echo "### Lifecycle run $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  java -Xmx1g -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/lifecycle-cp.txt")" \
    -Djava.util.logging.config.file=/dev/null io.coedge.bench.LifecycleBench "$@" 2>bench/out/lifecycle-$STAMP.log
} >"$MD"
cat "$MD"
