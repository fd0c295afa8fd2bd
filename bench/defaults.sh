#!/usr/bin/env bash
# Fast at its defaults, on models the gateway has never seen (their config.yaml removed), started as the README
# starts it. One run, every figure a ratio to something measured in the same run:
#   1. in-process ONNX Runtime (2 threads, reused direct buffers) at its best batch size, per model;
#   2. the gateway at 1 / 8 / 64 closed-loop connections, binary tensor bodies and JSON bodies;
#   3. at 1 connection: the gateway's p50/p99 vs the onnxruntime-node peer (when npm is there), vs in-process
#      batch-1 p50 + the machine's trivial HTTP round trip (a trivial Vert.x server at 1 connection) + 0.05 ms;
#   4. 60 s at half the gateway's 64-connection capacity with a GC log: the longest pause.
# Output: bench/out/defaults-STAMP.md and bench/out/defaults-raw-STAMP.jsonl.
# BENCH_MODE=tracing runs only what tracing costs: the gateway with tracing off, then exporting over OTLP/HTTP at
# 1 % sampling (to TrivialServer's /v1/traces sink), twice each in turn, 64 connections on sensor-anomaly JSON
# (the tiny model, where a per-request cost shows most); output bench/out/tracing-STAMP.md.
# Knobs: BENCH_PORT (18281; +1 trivial server, +2 peer), BENCH_SECONDS (10 per closed-loop run),
# BENCH_GATEWAY_JVM (the JVM options of the README's run command), BENCH_QUIET_WAIT, COEDGE_BUILD_DIR.
set -euo pipefail
source "$(dirname "$0")/common.sh"

PORT="${BENCH_PORT:-18281}"
TRIVIAL_PORT=$((PORT + 1))
PEER_PORT=$((PORT + 2))
SECS="${BENCH_SECONDS:-10}"
read -r -a GW_JVM <<<"${BENCH_GATEWAY_JVM:--XX:+UseSerialGC}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/defaults-raw-$STAMP.jsonl"
REPORT="$OUT/defaults-$STAMP.md"
TMP="$(mktemp -d)"
PIDS=()
trap cleanup EXIT
mkdir -p "$OUT"
bench_build

# Models it has never seen: the shipped ONNX files without their config.yaml.
for m in sensor-anomaly sensor-anomaly-large traffic-counter; do
  mkdir -p "$TMP/models/$m/1"
  cp "$ROOT/models/$m/1/model.onnx" "$TMP/models/$m/1/"
done

ort() {
  wait_quiet "$1"
  log "OrtBaseline $1"
  bench_java OrtBaseline --model "$TMP/models/$2/1/model.onnx" --batches "$3" | record "$1" | grep '"summary"'
}
# closed LABEL URL BODY CONNECTIONS PID: one ClosedLoop line.
closed() {
  wait_quiet "$1"
  log "ClosedLoop $1 ($4 connections)"
  bench_java ClosedLoop --url "$2" --body "$3" --connections "$4" --duration "$SECS" --warmup 3 --server-pid "$5" \
    | record "$1"
}

if [[ "${BENCH_MODE:-}" == tracing ]]; then
  "${BENCH_JAVA[@]}" io.coedge.bench.TrivialServer --port "$TRIVIAL_PORT" > "$TMP/sink.log" 2>&1 &
  SINK=$!; PIDS+=("$SINK")
  wait_http_200 "http://127.0.0.1:$TRIVIAL_PORT/v2/health/ready" 30
  declare -A T
  for round in 1 2; do
    for mode in off on; do
      wait_quiet "gateway start ($mode)"
      endpoint=""; [[ "$mode" == on ]] && endpoint="http://127.0.0.1:$TRIVIAL_PORT/v1/traces"
      line="$(COEDGE_CLUSTER_ENABLED=false COEDGE_OBSERVABILITY_OTLP_ENDPOINT="$endpoint" \
        COEDGE_OBSERVABILITY_TRACE_SAMPLING=0.01 "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${GW_JVM[@]}")"
      GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
      T[$mode-$round]="$(closed "tracing-$mode-$round" "http://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer" \
        sensor 64 "$GW")"
      stop_pid "$GW"
    done
  done
  stop_pid "$SINK"
  mean() { awk -v a="$(jnum rps <<<"${T[$1-1]}")" -v b="$(jnum rps <<<"${T[$1-2]}")" 'BEGIN { printf "%.0f", (a + b) / 2 }'; }
  r="$(ratio "$(mean on)" "$(mean off)")"
  {
    echo "### Tracing cost $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
    echo
    echo "sensor-anomaly JSON, 64 connections, closed loop $SECS s per run, runs alternated off/on twice; tracing on ="
    echo "OTLP/HTTP export to a local sink at \`observability.trace-sampling: 0.01\`."
    echo
    echo "| tracing | run 1 | run 2 | mean req/s | p99 ms (run 1 / 2) |"
    echo "|---|---|---|---|---|"
    for mode in off on; do
      echo "| $mode | $(jnum rps <<<"${T[$mode-1]}") | $(jnum rps <<<"${T[$mode-2]}") | $(mean $mode) | $(jnum p99_ms <<<"${T[$mode-1]}") / $(jnum p99_ms <<<"${T[$mode-2]}") |"
    done
    echo
    echo "on / off = $r (goal ≥ 0.97: $(awk -v r="$r" 'BEGIN { print (r >= 0.97) ? "**met**" : "not met" }'))"
    if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes"; fi
  } | tee "$OUT/tracing-$STAMP.md"
  exit 0
fi

ORT_TINY="$(ort ort-sensor-anomaly sensor-anomaly 1,8,32,64)"
ORT_LARGE="$(ort ort-sensor-anomaly-large sensor-anomaly-large 1,8,32,64)"
ORT_CNN="$(ort ort-traffic-counter traffic-counter 1,8,32,64)"

# The machine's HTTP round trip: a trivial Vert.x server at 1 connection.
"${BENCH_JAVA[@]}" io.coedge.bench.TrivialServer --port "$TRIVIAL_PORT" > "$TMP/trivial.log" 2>&1 &
TRIVIAL=$!; PIDS+=("$TRIVIAL")
wait_http_200 "http://127.0.0.1:$TRIVIAL_PORT/v2/health/ready" 30
T1="$(closed trivial-1 "http://127.0.0.1:$TRIVIAL_PORT/v2/models/sensor-anomaly/infer" sensor 1 "$TRIVIAL")"
stop_pid "$TRIVIAL"

# The roll-your-own peer (node:http + onnxruntime-node), when npm can install it.
P1=""; P64=""
if "$ROOT/bench/peer/install.sh"; then
  node "$ROOT/bench/peer/server.js" "$PEER_PORT" "$TMP/models" > "$TMP/peer.log" 2>&1 &
  PEER=$!; PIDS+=("$PEER")
  wait_http_200 "http://127.0.0.1:$PEER_PORT/v2/health/ready" 30
  P1="$(closed peer-1 "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor 1 "$PEER")"
  P64="$(closed peer-64 "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor 64 "$PEER")"
  stop_pid "$PEER"
fi

# The gateway as the README starts it, standalone without Hazelcast (nothing else on the request path changes).
wait_quiet "gateway start"
line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${GW_JVM[@]}")"
GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
U="http://127.0.0.1:$PORT/v2/models"
declare -A R
for n in 1 8 64; do
  R[tiny-json-$n]="$(closed "gw-sensor-json-$n" "$U/sensor-anomaly/infer" sensor "$n" "$GW")"
  R[tiny-bin-$n]="$(closed "gw-sensor-bin-$n" "$U/sensor-anomaly/infer" sensor-bin "$n" "$GW")"
  R[large-json-$n]="$(closed "gw-large-json-$n" "$U/sensor-anomaly-large/infer" mlp "$n" "$GW")"
  R[large-bin-$n]="$(closed "gw-large-bin-$n" "$U/sensor-anomaly-large/infer" mlp-bin "$n" "$GW")"
  R[cnn-bin-$n]="$(closed "gw-cnn-bin-$n" "$U/traffic-counter/infer" frame "$n" "$GW")"
done
stop_pid "$GW"

# 60 s at half the 64-connection capacity of the large model, with a GC log.
HALF="$(awk -v r="$(jnum rps <<<"${R[large-bin-64]}")" 'BEGIN { printf "%.0f", r / 2 }')"
line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${GW_JVM[@]}" \
  "-Xlog:gc:file=$TMP/gc.log")"
GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
wait_quiet "gc run"
log "LoadGen gc-half at $HALF req/s for 60 s"
GCRUN="$(bench_java LoadGen --url "$U/sensor-anomaly-large/infer" --body mlp-bin --rate "$HALF" --duration 60 \
  --warmup 5 --server-pid "$GW" | record gc-half)"
stop_pid "$GW"
MAXPAUSE="$(grep -o 'Pause[^)]*) [0-9.]*ms\|Pause.* [0-9.]*ms' "$TMP/gc.log" | grep -o '[0-9.]*ms$' | tr -d 'ms' \
  | sort -n | tail -1)"
PAUSES="$(grep -c 'Pause' "$TMP/gc.log" || true)"
cp "$TMP/gc.log" "$OUT/defaults-gc-$STAMP.log"

best() { jnum best_samples_per_s <<<"$1"; }
rps() { jnum rps <<<"$1"; }
met() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "**met**" : "not met" }'; }
row() { # LABEL KEY ORT_LINE GOAL
  local r; r="$(ratio "$(rps "${R[$2]}")" "$(best "$3")")"
  echo "| $1 | $(rps "${R[$2]}") req/s, p99 $(jnum p99_ms <<<"${R[$2]}") ms, $(jnum server_cpu_us_per_req <<<"${R[$2]}") µs CPU/req | $(best "$3") samples/s (batch $(jnum best_batch <<<"$3")) | $r | ≥ $4 | $(met "$r" "$4" '>=') |"
}
ort1="$(jnum batch1_single_thread_p50_ms <<<"$ORT_TINY")"
t1="$(jnum p50_ms <<<"$T1")"
g1="$(jnum p50_ms <<<"${R[tiny-json-1]}")"
bound="$(awk -v a="$ort1" -v b="$t1" 'BEGIN { printf "%.3f", a + b + 0.05 }')"
{
  echo "### Defaults run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "Gateway: \`$(basename "$JAR")\`${BENCH_JAR:+ (BENCH_JAR=$BENCH_JAR)}, JVM options \`${GW_JVM[*]}\`; models without config.yaml; closed loop, $SECS s per run; generator on the same cores."
  echo
  echo "| 64 connections | gateway | in-process best | ratio | goal | result |"
  echo "|---|---|---|---|---|---|"
  row "sensor-anomaly-large, binary" large-bin-64 "$ORT_LARGE" 0.9
  row "sensor-anomaly-large, JSON" large-json-64 "$ORT_LARGE" 0.7
  row "traffic-counter, binary" cnn-bin-64 "$ORT_CNN" 0.9
  row "sensor-anomaly (tiny), binary" tiny-bin-64 "$ORT_TINY" 0.9
  row "sensor-anomaly (tiny), JSON" tiny-json-64 "$ORT_TINY" 0.7
  echo
  echo "| connections | sensor JSON | sensor binary | large JSON | large binary | CNN binary |"
  echo "|---|---|---|---|---|---|"
  for n in 1 8 64; do
    cell() { echo "$(rps "${R[$1-$n]}")/s p50 $(jnum p50_ms <<<"${R[$1-$n]}") p99 $(jnum p99_ms <<<"${R[$1-$n]}")"; }
    echo "| $n | $(cell tiny-json) | $(cell tiny-bin) | $(cell large-json) | $(cell large-bin) | $(cell cnn-bin) |"
  done
  echo
  echo "| 1 connection, sensor-anomaly JSON | p50 ms | p99 ms | goal | result |"
  echo "|---|---|---|---|---|"
  echo "| gateway | $g1 | $(jnum p99_ms <<<"${R[tiny-json-1]}") | p50 ≤ in-process $ort1 + HTTP $t1 + 0.05 = $bound | $(met "$g1" "$bound" '<=') |"
  echo "| trivial Vert.x server (HTTP round trip) | $t1 | $(jnum p99_ms <<<"$T1") | | |"
  if [[ -n "$P1" ]]; then
    echo "| onnxruntime-node peer | $(jnum p50_ms <<<"$P1") | $(jnum p99_ms <<<"$P1") | gateway p50 and p99 no worse | $(met "$g1" "$(jnum p50_ms <<<"$P1")" '<=') / $(met "$(jnum p99_ms <<<"${R[tiny-json-1]}")" "$(jnum p99_ms <<<"$P1")" '<=') |"
    echo "| onnxruntime-node peer, 64 connections | $(rps "$P64") req/s | | gateway: $(rps "${R[tiny-json-64]}") req/s JSON ($(ratio "$(rps "${R[tiny-json-64]}")" "$(rps "$P64")")×) | |"
  else
    echo "| onnxruntime-node peer | not run (npm missing) | | | |"
  fi
  echo
  echo "GC at half capacity ($HALF req/s, sensor-anomaly-large binary, 60 s): $PAUSES pauses, longest ${MAXPAUSE:-?} ms (goal ≤ 10 ms: $(met "${MAXPAUSE:-999}" 10 '<=')); p99 $(jnum p99_ms <<<"$GCRUN") ms. Log: \`$(basename "$OUT")/defaults-gc-$STAMP.log\`."
  if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes"; fi
} | tee "$REPORT"
log "results block: $REPORT"
