#!/usr/bin/env bash
# Fast at its defaults, on models the gateway has never seen (their config.yaml removed), started as the README
# starts it. One run, every figure a ratio to something measured in the same run:
#   1. in-process ONNX Runtime (2 threads, reused direct buffers) at its best batch size, per model;
#   2. the machine's ceiling: a trivial Vert.x server (TrivialServer: no compute; a JSON body parsed into floats, a
#      binary body read and dropped) at 1 connection (the HTTP round trip) and at 64 connections with each body;
#   3. the gateway at 1 / 8 / 64 closed-loop connections, binary tensor bodies and JSON bodies (the defaults), and
#      over gRPC: ModelStreamInfer with binary raw_input_contents, 64 in flight on one stream, MLP and CNN;
#   4. at 1 connection: the gateway's p50/p99 vs the onnxruntime-node peer (when npm is there), vs in-process
#      batch-1 p50 + the machine's trivial HTTP round trip + 0.05 ms;
#   5. 60 s at half the gateway's 64-connection capacity with a GC log, on a node warmed first: the pauses inside
#      the measured window (the goal), cut out by the JVM's own uptime, and the longest since the JVM started
#      (context: class loading).
# Warm-up: every server (the trivial one, the peer, each gateway) first gets BENCH_WARMUP_SECONDS (10) of closed-loop
# load at 8 connections on each body it will serve (gRPC: 8 in flight per model), not recorded; then every measured
# closed-loop run has its own 3 s unmeasured start. Each row records the server's and the generator's CPU per request.
# The ceiling, per body at 64 connections, everything on the same cores:
#   c = cores / in-process best samples/s   compute per sample (core-µs), no HTTP
#   h = cores / trivial server's req/s      HTTP per request with zero compute: server + generator + loopback (core-µs)
#   A server doing both for each one-sample request spends c + h core-µs on it, so no HTTP server reaches more than
#   cores / (c + h) req/s, i.e. c / (c + h) of the in-process best: the "ceiling" column next to each ratio. "of
#   ceiling" = the gateway's req/s / (cores / (c + h)). An upper bound: c is the best batch's compute per sample and
#   the trivial server does nothing a real one could skip. (No gRPC ceiling: the trivial server speaks HTTP/1.1.)
# Output: bench/out/defaults-STAMP.md and bench/out/defaults-raw-STAMP.jsonl.
# BENCH_MODE=tracing runs only what tracing costs: the gateway with tracing off, then exporting over OTLP/HTTP at
# 1 % sampling (to TrivialServer's /v1/traces sink), twice each in turn, 64 connections on sensor-anomaly JSON
# (the tiny model, where a per-request cost shows most); output bench/out/tracing-STAMP.md.
# Knobs: BENCH_PORT (18281; +1 trivial server, +2 peer, +3 the gateway's gRPC), BENCH_SECONDS (10 per closed-loop
# run), BENCH_WARMUP_SECONDS (10 per body), BENCH_GATEWAY_JVM (the JVM options of the README's run command),
# BENCH_QUIET_WAIT, COEDGE_BUILD_DIR.
set -euo pipefail
source "$(dirname "$0")/common.sh"

PORT="${BENCH_PORT:-18281}"
TRIVIAL_PORT=$((PORT + 1))
PEER_PORT=$((PORT + 2))
GRPC_PORT=$((PORT + 3))
SECS="${BENCH_SECONDS:-10}"
read -r -a GW_JVM <<<"${BENCH_GATEWAY_JVM:--XX:+UseSerialGC -Xms256m -XX:+AlwaysPreTouch}"
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
# closed LABEL URL BODY CONNECTIONS PID: one ClosedLoop line (rps, p50/p99, server and generator CPU per request).
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
      warm_up "$GW" "http://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer" sensor
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
    echo "sensor-anomaly JSON, 64 connections, closed loop $SECS s per run after a ${BENCH_WARMUP_SECONDS:-10} s warm-up of each"
    echo "gateway at 8 connections, runs alternated off/on twice; tracing on ="
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

# The machine with zero compute: a trivial Vert.x server, its HTTP round trip at 1 connection and its req/s at 64
# connections with each body (mlp-bin is also the tiny model's binary body: the same bytes).
"${BENCH_JAVA[@]}" io.coedge.bench.TrivialServer --port "$TRIVIAL_PORT" > "$TMP/trivial.log" 2>&1 &
TRIVIAL=$!; PIDS+=("$TRIVIAL")
wait_http_200 "http://127.0.0.1:$TRIVIAL_PORT/v2/health/ready" 30
TU="http://127.0.0.1:$TRIVIAL_PORT/v2/models/sensor-anomaly/infer"
warm_up "$TRIVIAL" "$TU" sensor "$TU" mlp-bin "$TU" frame
declare -A TR
TR[1]="$(closed trivial-1 "$TU" sensor 1 "$TRIVIAL")"
for body in sensor mlp-bin frame; do TR[$body]="$(closed "trivial-$body-64" "$TU" "$body" 64 "$TRIVIAL")"; done
stop_pid "$TRIVIAL"

# The roll-your-own peer (node:http + onnxruntime-node), when npm can install it.
P1=""; P64=""
if "$ROOT/bench/peer/install.sh"; then
  node "$ROOT/bench/peer/server.js" "$PEER_PORT" "$TMP/models" > "$TMP/peer.log" 2>&1 &
  PEER=$!; PIDS+=("$PEER")
  wait_http_200 "http://127.0.0.1:$PEER_PORT/v2/health/ready" 30
  warm_up "$PEER" "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor
  P1="$(closed peer-1 "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor 1 "$PEER")"
  P64="$(closed peer-64 "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor 64 "$PEER")"
  stop_pid "$PEER"
fi

# grpc BODY IN_FLIGHT SECONDS WARMUP PID: one GrpcLoad line, ModelStreamInfer on one stream.
grpc() {
  bench_java GrpcLoad --port "$GRPC_PORT" --body "$1" --mode stream --concurrency "$2" --duration "$3" --warmup "$4" \
    --server-pid "$5"
}

# The gateway as the README starts it, standalone without Hazelcast (nothing else on the request path changes), its
# gRPC listener on a port of its own.
wait_quiet "gateway start"
line="$(COEDGE_CLUSTER_ENABLED=false COEDGE_HTTP_GRPC_PORT="$GRPC_PORT" "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" \
  "${GW_JVM[@]}")"
GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
U="http://127.0.0.1:$PORT/v2/models"
warm_up "$GW" "$U/sensor-anomaly/infer" sensor "$U/sensor-anomaly/infer" sensor-bin "$U/sensor-anomaly-large/infer" mlp \
  "$U/sensor-anomaly-large/infer" mlp-bin "$U/traffic-counter/infer" frame
for body in mlp frame; do
  log "warm-up: gRPC $body, ${BENCH_WARMUP_SECONDS:-10} s at 8 in flight (not recorded)"
  grpc "$body" 8 "${BENCH_WARMUP_SECONDS:-10}" 0 "$GW" > /dev/null
done
declare -A R
for n in 1 8 64; do
  R[tiny-json-$n]="$(closed "gw-sensor-json-$n" "$U/sensor-anomaly/infer" sensor "$n" "$GW")"
  R[tiny-bin-$n]="$(closed "gw-sensor-bin-$n" "$U/sensor-anomaly/infer" sensor-bin "$n" "$GW")"
  R[large-json-$n]="$(closed "gw-large-json-$n" "$U/sensor-anomaly-large/infer" mlp "$n" "$GW")"
  R[large-bin-$n]="$(closed "gw-large-bin-$n" "$U/sensor-anomaly-large/infer" mlp-bin "$n" "$GW")"
  R[cnn-bin-$n]="$(closed "gw-cnn-bin-$n" "$U/traffic-counter/infer" frame "$n" "$GW")"
done
for body in mlp frame; do
  wait_quiet "gRPC $body"
  log "GrpcLoad $body (64 in flight, one ModelStreamInfer stream)"
  R[grpc-$body]="$(grpc "$body" 64 "$SECS" 3 "$GW" | record "gw-grpc-stream-$body-64")"
done
stop_pid "$GW"

# 60 s at half the 64-connection capacity of the large model, with a GC log, on a node warmed first; the window is
# cut out of the log by the JVM's own uptime before and after the load tool runs.
HALF="$(awk -v r="$(jnum rps <<<"${R[large-bin-64]}")" 'BEGIN { printf "%.0f", r / 2 }')"
if (( ${HALF:-0} < 1 )); then
  echo "- WARNING: no 64-connection rate for sensor-anomaly-large binary; the GC run used 100 req/s." >> "$TMP/notes"
  HALF=100
fi
line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${GW_JVM[@]}" \
  "-Xlog:gc:file=$TMP/gc.log")"
GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
warm_up "$GW" "$U/sensor-anomaly-large/infer" mlp-bin
wait_quiet "gc run"
log "LoadGen gc-half at $HALF req/s for 60 s"
FROM="$(jvm_uptime "$GW" || true)"
GCRUN="$(bench_java LoadGen --url "$U/sensor-anomaly-large/infer" --body mlp-bin --rate "$HALF" --duration 60 \
  --warmup 5 --server-pid "$GW" | record gc-half || true)"
TO="$(jvm_uptime "$GW" || true)"
stop_pid "$GW"
cp "$TMP/gc.log" "$OUT/defaults-gc-$STAMP.log"
GCW="$(bench_java GcPauses --log "$TMP/gc.log" --from "$FROM" --to "$TO" | record gc-pauses || true)"

best() { jnum best_samples_per_s <<<"$1"; }
rps() { jnum rps <<<"$1"; }
cpu() { echo "$(jnum server_cpu_us_per_req <<<"$1") + $(jnum gen_cpu_us_per_req <<<"$1") µs"; }
met() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "**met**" : "not met" }'; }
# The ceiling of each HTTP row (Ceiling: c, h, cores / (c + h), the gateway's fraction of it); empty if a rate is missing.
declare -A CEIL
ceiling() { # KEY ORT_LINE TRIVIAL_LINE
  CEIL[$1]="$(bench_java Ceiling --best "$(best "$2")" --trivial "$(rps "$3")" --gateway "$(rps "${R[$1]}")" \
    | record "ceiling-$1" || true)"
}
ceiling large-bin-64 "$ORT_LARGE" "${TR[mlp-bin]}"
ceiling large-json-64 "$ORT_LARGE" "${TR[sensor]}"
ceiling cnn-bin-64 "$ORT_CNN" "${TR[frame]}"
ceiling tiny-bin-64 "$ORT_TINY" "${TR[mlp-bin]}"
ceiling tiny-json-64 "$ORT_TINY" "${TR[sensor]}"
row() { # LABEL KEY ORT_LINE GOAL
  local g="${R[$2]}" r; r="$(ratio "$(rps "$g")" "$(best "$3")")"
  echo "| $1 | $(rps "$g") req/s, p99 $(jnum p99_ms <<<"$g") ms | $(cpu "$g") | $(best "$3") samples/s (batch $(jnum best_batch <<<"$3")) | $r | $(jnum ceiling_ratio <<<"${CEIL[$2]:-}") | $(jnum of_ceiling <<<"${CEIL[$2]:-}") | ≥ $4 | $(met "$r" "$4" '>=') |"
}
grow() { # LABEL KEY ORT_LINE
  local g="${R[$2]}" r; r="$(ratio "$(rps "$g")" "$(best "$3")")"
  echo "| $1 | $(rps "$g") answers/s ($(jnum errors <<<"$g") errors) | $(cpu "$g") | $(best "$3") samples/s | $r | — | — | ≥ 0.9 | $(met "$r" 0.9 '>=') |"
}
crow() { # BODY TRIVIAL_LINE KEY MODEL
  local c="${CEIL[$3]:-}"
  echo "| $1 | $(rps "$2") req/s | $(cpu "$2") | $(jnum h_us <<<"$c") µs | $4 | $(jnum c_us <<<"$c") µs | $(jnum max_rps <<<"$c") req/s ($(jnum ceiling_ratio <<<"$c") × in-process) |"
}
ort1="$(jnum batch1_single_thread_p50_ms <<<"$ORT_TINY")"
t1="$(jnum p50_ms <<<"${TR[1]}")"
g1="$(jnum p50_ms <<<"${R[tiny-json-1]}")"
bound="$(awk -v a="$ort1" -v b="$t1" 'BEGIN { printf "%.3f", a + b + 0.05 }')"
longest="$(jnum longest_in_window_ms <<<"$GCW")"
{
  echo "### Defaults run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "Gateway: \`$(basename "$JAR")\`${BENCH_JAR:+ (BENCH_JAR=$BENCH_JAR)}, JVM options \`${GW_JVM[*]}\`; models without config.yaml; closed loop, $SECS s per run after 3 s unmeasured; generator on the same cores."
  echo "Warm-up: every server (trivial, peer, gateways) got ${BENCH_WARMUP_SECONDS:-10} s of closed-loop load at 8 connections on each body it then served (gRPC: 8 in flight per model) before its first measured run, not recorded."
  echo
  echo "| 64 connections | gateway | CPU/req server + generator | in-process best | ratio | ceiling | of ceiling | goal | result |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row "sensor-anomaly-large, binary" large-bin-64 "$ORT_LARGE" 0.9
  row "sensor-anomaly-large, JSON" large-json-64 "$ORT_LARGE" 0.7
  row "traffic-counter, binary" cnn-bin-64 "$ORT_CNN" 0.9
  row "sensor-anomaly (tiny), binary" tiny-bin-64 "$ORT_TINY" 0.9
  row "sensor-anomaly (tiny), JSON" tiny-json-64 "$ORT_TINY" 0.7
  grow "sensor-anomaly-large via gRPC ModelStreamInfer (binary raw_input_contents), 64 in flight" grpc-mlp "$ORT_LARGE"
  grow "traffic-counter via gRPC ModelStreamInfer (binary raw_input_contents), 64 in flight" grpc-frame "$ORT_CNN"
  echo
  echo "Ceiling = c / (c + h): the best ratio any HTTP/1.1 server can reach here; c = $(nproc) cores / in-process best (compute per sample), h = $(nproc) cores / the trivial server's req/s (HTTP per request with zero compute, generator included); of ceiling = gateway req/s / ($(nproc) / (c + h))."
  echo
  echo "| body, 64 connections | trivial server | CPU/req server + generator | h | model | c | best any HTTP server |"
  echo "|---|---|---|---|---|---|---|"
  crow "binary 1×8 row (mlp-bin)" "${TR[mlp-bin]}" large-bin-64 sensor-anomaly-large
  crow "JSON 1×8 row (sensor)" "${TR[sensor]}" large-json-64 sensor-anomaly-large
  crow "binary 1×3×96×96 frame" "${TR[frame]}" cnn-bin-64 traffic-counter
  crow "binary 1×8 row (mlp-bin)" "${TR[mlp-bin]}" tiny-bin-64 sensor-anomaly
  crow "JSON 1×8 row (sensor)" "${TR[sensor]}" tiny-json-64 sensor-anomaly
  echo
  echo "| connections | sensor JSON | sensor binary | large JSON | large binary | CNN binary |"
  echo "|---|---|---|---|---|---|"
  for n in 1 8 64; do
    cell() { echo "$(rps "${R[$1-$n]}")/s p50 $(jnum p50_ms <<<"${R[$1-$n]}") p99 $(jnum p99_ms <<<"${R[$1-$n]}") CPU $(cpu "${R[$1-$n]}")"; }
    echo "| $n | $(cell tiny-json) | $(cell tiny-bin) | $(cell large-json) | $(cell large-bin) | $(cell cnn-bin) |"
  done
  echo
  echo "| 1 connection, sensor-anomaly JSON | p50 ms | p99 ms | goal | result |"
  echo "|---|---|---|---|---|"
  echo "| gateway | $g1 | $(jnum p99_ms <<<"${R[tiny-json-1]}") | p50 ≤ in-process $ort1 + HTTP $t1 + 0.05 = $bound | $(met "$g1" "$bound" '<=') |"
  echo "| trivial Vert.x server (HTTP round trip) | $t1 | $(jnum p99_ms <<<"${TR[1]}") | | |"
  if [[ -n "$P1" ]]; then
    echo "| onnxruntime-node peer | $(jnum p50_ms <<<"$P1") | $(jnum p99_ms <<<"$P1") | gateway p50 and p99 no worse | $(met "$g1" "$(jnum p50_ms <<<"$P1")" '<=') / $(met "$(jnum p99_ms <<<"${R[tiny-json-1]}")" "$(jnum p99_ms <<<"$P1")" '<=') |"
    echo "| onnxruntime-node peer, 64 connections | $(rps "$P64") req/s | | gateway: $(rps "${R[tiny-json-64]}") req/s JSON ($(ratio "$(rps "${R[tiny-json-64]}")" "$(rps "$P64")")×) | |"
  else
    echo "| onnxruntime-node peer | not run (npm missing) | | | |"
  fi
  echo
  echo "GC at half capacity ($HALF req/s, sensor-anomaly-large binary, node warmed first): in the measured window (JVM uptime $FROM–$TO s, $(jnum window_s <<<"$GCW") s: the 60 s run plus the load tool's start-up and 5 s unreported start) $(jnum pauses_in_window <<<"$GCW") pauses, longest ${longest:-?} ms (goal ≤ 10 ms: $(met "${longest:-999}" 10 '<=')); since the JVM started $(jnum pauses_total <<<"$GCW") pauses, longest $(jnum longest_total_ms <<<"$GCW") ms at $(jnum longest_total_at_s <<<"$GCW") s (context: start-up, warm-up); p99 $(jnum p99_ms <<<"$GCRUN") ms. Log: \`$(basename "$OUT")/defaults-gc-$STAMP.log\`."
  if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes"; fi
} | tee "$REPORT"
log "results block: $REPORT"
