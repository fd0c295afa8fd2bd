#!/usr/bin/env bash
# 64-connection A/B of two or more builds of the gateway: each started in turn (-XX:+UseSerialGC, no Hazelcast, the
# shipped sensor-anomaly-large MLP and traffic-counter CNN without their config.yaml, as bench/defaults.sh runs
# them), then closed-loop runs in this order: MLP JSON at 8 connections (the tuner's cap stays at its start, as in
# defaults.sh), MLP JSON at 64 ("first": the first 64-connection run of the model), MLP binary at 64, MLP JSON at
# 64 again ("again": the node warm at 64), CNN binary frames at 64. Rounds alternate the builds, so machine drift
# shows up as round-to-round spread.
# Per run: req/s, gateway and generator CPU per request (µs) and in cores, the gateway's sleeps per request, and the
# mean rows per batch during the run (from coedge_batch_size in /metrics).
# usage: bench/ab-load.sh JAR_A JAR_B [JAR...]     knobs: BENCH_ROUNDS (2), BENCH_SECONDS (8), BENCH_PORT (18491),
#        BENCH_JFR=DIR (one JFR recording per build and round, DIR/<round>-<n>.jfr)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
(( $# >= 2 )) || { echo "usage: bench/ab-load.sh JAR_A JAR_B [JAR...]" >&2; exit 2; }
bench_build >/dev/null
TMP=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; rm -rf $TMP' EXIT
for m in sensor-anomaly-large traffic-counter; do mkdir -p $TMP/models/$m/1; cp models/$m/1/model.onnx $TMP/models/$m/1/; done
PORT="${BENCH_PORT:-18491}"; SECS="${BENCH_SECONDS:-8}"
U="http://127.0.0.1:$PORT/v2/models"

# batch_sums MODEL: "sum count" of coedge_batch_size for the model, from /metrics.
batch_sums() {
  curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="model=\"$1\"" '
    index($0, "coedge_batch_size_sum{") == 1 && index($0, m) { s = $2 }
    index($0, "coedge_batch_size_count{") == 1 && index($0, m) { c = $2 }
    END { printf "%s %s", s + 0, c + 0 }'
}
# run LABEL MODEL BODY CONNECTIONS: one closed-loop run, one line.
run() {
  local b0 b1 r
  b0=($(batch_sums "$2"))
  r="$(bench_java ClosedLoop --url "$U/$2/infer" --body "$3" --connections "$4" --duration "$SECS" --warmup 2 \
    --server-pid "$GW")"
  b1=($(batch_sums "$2"))
  awk -v l="$1" -v rps="$(jnum rps <<<"$r")" -v s="$(jnum server_cpu_us_per_req <<<"$r")" \
      -v g="$(jnum gen_cpu_us_per_req <<<"$r")" -v sl="$(jnum server_sleeps_per_req <<<"$r")" \
      -v p50="$(jnum p50_ms <<<"$r")" -v ds="$(awk -v a="${b0[0]}" -v b="${b1[0]}" 'BEGIN { print b - a }')" \
      -v dc="$(( ${b1[1]%.*} - ${b0[1]%.*} ))" -v e="$(jnum errors <<<"$r")" 'BEGIN {
    printf "  %-14s %6d req/s  p50 %7.3f ms  gw %7.1f us/req (%.2f cores)  gen %6.1f us/req (%.2f cores)  sleeps/req %5.2f  rows/batch %5.1f  errors %d\n",
      l, rps, p50, s, s * rps / 1e6, g, g * rps / 1e6, sl, (dc > 0 ? ds / dc : 0), e }'
}
for round in $(seq "${BENCH_ROUNDS:-2}"); do
  n=0
  for jar in "$@"; do
    n=$((n + 1))
    jvm=(-XX:+UseSerialGC)
    [[ -n "${BENCH_JFR:-}" ]] && mkdir -p "$BENCH_JFR" && jvm+=("-XX:StartFlightRecording=filename=$BENCH_JFR/$round-$n.jfr,settings=profile,dumponexit=true")
    line="$(BENCH_JAR=$jar COEDGE_CLUSTER_ENABLED=false bench/serve.sh $PORT $TMP/models "${jvm[@]}")"
    GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=($GW)
    echo "round $round build $n: $jar (load average $(cut -d' ' -f1 /proc/loadavg))"
    run mlp-json-8 sensor-anomaly-large mlp 8
    run mlp-json-64 sensor-anomaly-large mlp 64
    run mlp-bin-64 sensor-anomaly-large mlp-bin 64
    run mlp-json-64b sensor-anomaly-large mlp 64
    run cnn-bin-64 traffic-counter frame 64
    stop_pid $GW; sleep 1
  done
done
