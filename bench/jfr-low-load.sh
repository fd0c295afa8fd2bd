#!/usr/bin/env bash
# Where the request path's CPU goes on a standalone gateway: starts JAR (default the built one) with the tiny
# sensor model, no Hazelcast (unless asked), -XX:+UseSerialGC, warms it 10 s at 8 connections, then records one JFR phase per
# connection count and body (JSON, binary) and prints bench/jfr_hot.py's summary of the event loops for each.
# Recordings stay in OUT (default bench/out/jfr-TIMESTAMP) for `jfr print` or JDK Mission Control.
# usage: bench/jfr-low-load.sh [JAR] [CONNECTIONS="1 64"] [SECONDS=10]
# COEDGE_CLUSTER_ENABLED=true profiles the README's default instead: one embedded Hazelcast member.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_build >/dev/null
jar="${1:-$JAR}"; conns="${2:-1 64}"; secs="${3:-10}"
OUT="${OUT:-bench/out/jfr-$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"
TMP=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; rm -rf $TMP' EXIT
mkdir -p $TMP/models/sensor-anomaly/1; cp models/sensor-anomaly/1/model.onnx $TMP/models/sensor-anomaly/1/
# JFR's profile settings, but each running Java thread sampled every 1 ms (10 ms gives too few samples of a
# 10 s phase on a busy machine).
JH="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
sed 's/<setting name="period" control="method-sampling-java-interval">10 ms</<setting name="period" control="method-sampling-java-interval">1 ms</' \
  "$JH/lib/jfr/profile.jfc" >$TMP/sample-1ms.jfc
PORT=18791
URL=http://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer
line="$(BENCH_JAR=$jar COEDGE_CLUSTER_ENABLED=${COEDGE_CLUSTER_ENABLED:-false} bench/serve.sh $PORT $TMP/models -XX:+UseSerialGC)"
GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=($GW)
bench_java ClosedLoop --url $URL --body sensor --connections 8 --duration 8 --warmup 2 --server-pid $GW >/dev/null
for c in $conns; do
  for body in sensor sensor-bin; do
    name="$OUT/c$c-$body.jfr"
    jcmd $GW JFR.start name=phase settings=$TMP/sample-1ms.jfc >/dev/null
    r="$(bench_java ClosedLoop --url $URL --body $body --connections $c --duration $secs --warmup 0 --server-pid $GW)"
    jcmd $GW JFR.stop name=phase filename="$PWD/$name" >/dev/null
    echo "== $c connection(s), $body: p50 $(jnum p50_ms <<<"$r") ms, p99 $(jnum p99_ms <<<"$r") ms, $(jnum rps <<<"$r") req/s, cpu/req $(jnum server_cpu_us_per_req <<<"$r") µs ($jar)"
    bench/jfr_hot.py "$name" vert.x-eventloop "${TOP:-20}"
  done
done
kill $GW
