#!/usr/bin/env bash
# Low-load A/B of two builds of the gateway: each started in turn (-XX:+UseSerialGC, no Hazelcast, the tiny sensor
# model), warmed 10 s at 8 closed-loop connections, then 1 connection (2 s unmeasured + 8 s) with JSON and binary;
# two rounds, alternating, so machine drift shows up as round-to-round spread. sleeps/req: how often the gateway's
# threads went to sleep per request (voluntary context switches), the hand-offs of the request path; a count, which
# a busy machine moves far less than the times.
# usage: bench/ab-low-load.sh JAR_A JAR_B
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_build >/dev/null
TMP=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; rm -rf $TMP' EXIT
for m in sensor-anomaly; do mkdir -p $TMP/models/$m/1; cp models/$m/1/model.onnx $TMP/models/$m/1/; done
PORT=18481
for round in 1 2; do
for jar in "${1:?usage: ab-low-load.sh JAR_A JAR_B}" "${2:?usage: ab-low-load.sh JAR_A JAR_B}"; do
  line="$(BENCH_JAR=$jar COEDGE_CLUSTER_ENABLED=false bench/serve.sh $PORT $TMP/models -XX:+UseSerialGC)"
  GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=($GW)
  warm_up $GW http://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer sensor
  for body in sensor sensor-bin; do
    r="$(bench_java ClosedLoop --url http://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer --body $body --connections 1 --duration 8 --warmup 2 --server-pid $GW)"
    echo "round $round $jar $body p50 $(jnum p50_ms <<<"$r") p99 $(jnum p99_ms <<<"$r") p999 $(jnum p999_ms <<<"$r") max $(jnum max_ms <<<"$r") rps $(jnum rps <<<"$r") cpu/req $(jnum server_cpu_us_per_req <<<"$r") sleeps/req $(jnum server_sleeps_per_req <<<"$r")"
  done
  kill $GW; sleep 2
done
done
