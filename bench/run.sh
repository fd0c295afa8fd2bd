#!/usr/bin/env bash
# Runs the serving benchmarks in one go, on this machine, and writes a results block:
#   (a) traffic-counter (compute-bound): highest rate with p99 <= 50 ms via the gateway vs ONNX Runtime in-process
#   (b) sensor-anomaly-large (memory-bound): highest rate with dynamic batching on vs off
#   (c) sensor-anomaly (tiny): highest rate via the gateway vs a trivial Vert.x HTTP+JSON server
#   (d) low load (50 req/s): gateway p50 vs in-process p50 at batch 1
#   (e) idle RSS with the shipped models, time from process start to ready
# Every server is a separate JVM on 127.0.0.1, as is the load generator: they share the cores.
#
# Output: bench/out/results-STAMP.md (the block) and bench/out/raw-STAMP.jsonl (every tool's JSON line, labelled).
# Knobs (environment): BENCH_PORT (18181; +1 for the trivial server), BENCH_STEP_SECONDS (8), BENCH_STEP_WARMUP (2),
# BENCH_LOW_RATE (50), BENCH_QUIET_WAIT (120 s to wait for other load to go), COEDGE_BUILD_DIR, MVN, MVN_FLAGS.
set -euo pipefail
source "$(dirname "$0")/common.sh"

MODELS="${BENCH_MODELS:-$ROOT/models}"
PORT="${BENCH_PORT:-18181}"
TRIVIAL_PORT=$((PORT + 1))
STEP="${BENCH_STEP_SECONDS:-8}"
WARM="${BENCH_STEP_WARMUP:-2}"
LOW_RATE="${BENCH_LOW_RATE:-50}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/raw-$STAMP.jsonl"
REPORT="$OUT/results-$STAMP.md"
TMP="$(mktemp -d)"
PIDS=()

trap cleanup EXIT

met() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "**met**" : "not met" }'; }

# ort LABEL MODEL BATCHES: runs OrtBaseline; prints its summary line.
ort() {
  wait_quiet "$1"
  log "OrtBaseline $1 batches $3"
  bench_java OrtBaseline --model "$2" --batches "$3" | record "$1" | grep '"summary"'
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench_build
mkdir -p "$OUT"
for m in sensor-anomaly sensor-anomaly-large traffic-counter; do
  [[ -f "$MODELS/$m/1/model.onnx" ]] || { echo "run.sh: $MODELS/$m/1/model.onnx missing" >&2; exit 1; }
done
log "raw results: $RAW"
URL="http://127.0.0.1:$PORT/v2/models"

# ---- (e) idle RSS and time to ready: three starts per mode, medians --------------------------------------
# As shipped = embedded Hazelcast on; an own cluster name and a free port so as not to join anyone else's.
declare -A READY RSS BOOT
for mode in cluster-on cluster-off; do
  readies=(); rsses=(); boots=()
  for i in 1 2 3; do
    wait_quiet "start $mode"
    if [[ $mode == cluster-on ]]; then
      serve "$mode" "$MODELS" COEDGE_CLUSTER_NAME="bench-$$" COEDGE_CLUSTER_PORT=0
    else
      serve "$mode" "$MODELS" COEDGE_CLUSTER_ENABLED=false
    fi
    sleep 5 # load-free: let start-up threads finish and settle
    readies+=("$SERVED_READY_MS"); boots+=("$SERVED_BOOT_MS"); rsses+=("$(ps -o rss= -p "$SERVED_PID" | tr -d ' ')")
    echo "{\"label\":\"e-$mode\",\"ready_ms\":$SERVED_READY_MS,\"boot_ms\":\"$SERVED_BOOT_MS\",\"idle_rss_kb\":${rsses[-1]}}" >> "$RAW"
    if [[ $mode == cluster-off && $i == 3 ]]; then break; fi # keep the last one for the load runs
    stop_pid "$SERVED_PID"
  done
  READY[$mode]="$(median "${readies[@]}")"; BOOT[$mode]="$(median "${boots[@]}")"
  RSS[$mode]="$(( $(median "${rsses[@]}") / 1024 ))"
done
GW="$SERVED_PID"

# ---- in-process baselines ---------------------------------------------------------------------------------
ORT_TINY="$(ort ort-sensor-anomaly "$MODELS/sensor-anomaly/1/model.onnx" 1)"
ORT_CNN="$(ort ort-traffic-counter "$MODELS/traffic-counter/1/model.onnx" 1,2,4,8,16,32)"
ORT_LARGE="$(ort ort-sensor-anomaly-large "$MODELS/sensor-anomaly-large/1/model.onnx" 1,2,4,8,16,32)"

# ---- (c) tiny model vs the trivial HTTP+JSON server -----------------------------------------------------
wait_quiet "trivial server start"
"${BENCH_JAVA[@]}" io.coedge.bench.TrivialServer --port "$TRIVIAL_PORT" > "$TMP/trivial.log" 2>&1 &
TRIVIAL=$!; PIDS+=("$TRIVIAL")
wait_http_200 "http://127.0.0.1:$TRIVIAL_PORT/v2/health/ready" 30
C_TRIVIAL="$(find_max c-trivial-server "http://127.0.0.1:$TRIVIAL_PORT/v2/models/sensor-anomaly/infer" sensor 2000 "$TRIVIAL")"
# The floor of (d): the same low-load run against the trivial server (idle wake-ups, loopback, JSON).
D_FLOOR="$(low_load d-low-load-trivial-server "http://127.0.0.1:$TRIVIAL_PORT/v2/models/sensor-anomaly/infer" sensor "$TRIVIAL")"
stop_pid "$TRIVIAL"
C_GW="$(find_max c-gateway-sensor-anomaly "$URL/sensor-anomaly/infer" sensor 2000 "$GW")"

# ---- (d) low load, gateway warm from (c) ----------------------------------------------------------------
D_TINY="$(low_load d-low-load-sensor-anomaly "$URL/sensor-anomaly/infer" sensor "$GW")"
D_CNN="$(low_load d-low-load-traffic-counter "$URL/traffic-counter/infer" frame "$GW")"

# ---- (a) compute-bound traffic-counter ------------------------------------------------------------------
CNN_BEST="$(jnum best_samples_per_s <<<"$ORT_CNN")"
A_GW="$(find_max a-gateway-traffic-counter "$URL/traffic-counter/infer" frame \
  "$(awk -v b="$CNN_BEST" 'BEGIN { printf "%.0f", b / 2 }')" "$GW")"
RSS_AFTER=$(( $(ps -o rss= -p "$GW") / 1024 ))
stop_pid "$GW"

# ---- (b) memory-bound MLP, batching on (as shipped) vs off (a copy with max-batch-size 0) -----------------
for mode in on off; do
  mkdir -p "$TMP/$mode"
  cp -r "$MODELS/sensor-anomaly-large" "$TMP/$mode/"
done
sed -i 's/^max-batch-size:.*/max-batch-size: 0/' "$TMP/off/sensor-anomaly-large/config.yaml"
grep -q '^max-batch-size: 0' "$TMP/off/sensor-anomaly-large/config.yaml" \
  || echo 'max-batch-size: 0' >> "$TMP/off/sensor-anomaly-large/config.yaml"
LARGE_ONE="$(jnum batch1_samples_per_s <<<"$ORT_LARGE")"
for mode in off on; do
  wait_quiet "large-$mode start"
  serve "large-batching-$mode" "$TMP/$mode" COEDGE_CLUSTER_ENABLED=false
  start=$(awk -v b="$LARGE_ONE" -v m="$mode" 'BEGIN { printf "%.0f", (m == "on" ? 1.5 : 0.5) * b }')
  line="$(find_max "b-gateway-large-batching-$mode" "$URL/sensor-anomaly-large/infer" mlp "$start" "$SERVED_PID")"
  if [[ $mode == on ]]; then B_ON="$line"; else B_OFF="$line"; fi
  stop_pid "$SERVED_PID"
done

# ---- the block ------------------------------------------------------------------------------------------
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", a - b }'; }
# cpu_us SUMMARY: server CPU per request at the highest sustained rate, µs (where the cores went).
cpu_us() { awk -v c="$(jnum server_cpu_cores_at_max <<<"$1")" -v r="$(jnum achieved_rps_at_max <<<"$1")" \
  'BEGIN { if (r > 0 && c >= 0) printf "%.0f", 1e6 * c / r; else print "n/a" }'; }
gen_us() { awk -v c="$(jnum gen_cpu_cores_at_max <<<"$1")" -v r="$(jnum achieved_rps_at_max <<<"$1")" \
  'BEGIN { if (r > 0 && c >= 0) printf "%.0f", 1e6 * c / r; else print "n/a" }'; }
a=$(jnum max_sustained_rps <<<"$A_GW"); a_base="$CNN_BEST"; a_r=$(ratio "$a" "$a_base")
a_per_core=$(awk -v r="$(jnum achieved_rps_at_max <<<"$A_GW")" -v c="$(jnum server_cpu_cores_at_max <<<"$A_GW")" \
  'BEGIN { printf "%.0f", (c > 0 ? r / c : 0) }')
a_base_per_core=$(awk -v b="$a_base" -v n="$(jnum threads <<<"$ORT_CNN")" 'BEGIN { printf "%.0f", b / n }')
b_on=$(jnum max_sustained_rps <<<"$B_ON"); b_off=$(jnum max_sustained_rps <<<"$B_OFF"); b_r=$(ratio "$b_on" "$b_off")
c=$(jnum max_sustained_rps <<<"$C_GW"); c_base=$(jnum max_sustained_rps <<<"$C_TRIVIAL"); c_r=$(ratio "$c" "$c_base")
c_cpu=$(cpu_us "$C_GW"); c_base_cpu=$(cpu_us "$C_TRIVIAL"); c_cpu_r=$(ratio "$c_base_cpu" "$c_cpu")
d1=$(jnum service_p50_ms <<<"$D_TINY"); d1i=$(jnum p50_ms <<<"$D_TINY"); d1b=$(jnum batch1_single_thread_p50_ms <<<"$ORT_TINY")
d2=$(jnum service_p50_ms <<<"$D_CNN"); d2i=$(jnum p50_ms <<<"$D_CNN"); d2b=$(jnum batch1_single_thread_p50_ms <<<"$ORT_CNN")
d0=$(jnum service_p50_ms <<<"$D_FLOOR")
{
  echo "### Run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "| target | measured | baseline | ratio / difference | target | result |"
  echo "|---|---|---|---|---|---|"
  echo "| (a) traffic-counter, max rate with p99 ≤ 50 ms | $a req/s | ORT in-process, best batch $(jnum best_batch <<<"$ORT_CNN"): $a_base samples/s | $a_r | ≥ 0.9 | $(met "$a_r" 0.9 '>=') |"
  echo "| (b) sensor-anomaly-large, max rate, batching on vs off | on: $b_on req/s | off: $b_off req/s | $b_r | ≥ 3 | $(met "$b_r" 3 '>=') |"
  echo "| (c) sensor-anomaly, max rate vs trivial Vert.x JSON server | $c req/s | trivial: $c_base req/s | $c_r | ≥ 0.5 | $(met "$c_r" 0.5 '>=') |"
  echo "| (d) p50 at $LOW_RATE req/s, sensor-anomaly (JSON) | $d1 ms | ORT batch 1: $d1b ms | $(delta "$d1" "$d1b") ms | ≤ +0.2 ms | $(met "$(delta "$d1" "$d1b")" 0.2 '<=') |"
  echo "| (d) p50 at $LOW_RATE req/s, traffic-counter (binary frame) | $d2 ms | ORT batch 1: $d2b ms | $(delta "$d2" "$d2b") ms | ≤ +0.2 ms | $(met "$(delta "$d2" "$d2b")" 0.2 '<=') |"
  echo "| (e) idle RSS, shipped models, as shipped (Hazelcast on) | ${RSS[cluster-on]} MB | | | ≤ 250 MB | $(met "${RSS[cluster-on]}" 250 '<=') |"
  echo "| (e) idle RSS, cluster.enabled=false | ${RSS[cluster-off]} MB | | | ≤ 250 MB | $(met "${RSS[cluster-off]}" 250 '<=') |"
  echo "| (e) process start → ready, as shipped (Hazelcast on) | ${READY[cluster-on]} ms | | | ≤ 3000 ms | $(met "${READY[cluster-on]}" 3000 '<=') |"
  echo "| (e) process start → ready, cluster.enabled=false | ${READY[cluster-off]} ms | | | ≤ 3000 ms | $(met "${READY[cluster-off]}" 3000 '<=') |"
  echo
  echo "Where the cores went (same run):"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| (a) gateway req/s per server core at the max rate vs ORT samples/s per thread | $a_per_core vs $a_base_per_core ($(ratio "$a_per_core" "$a_base_per_core")) |"
  echo "| (a) CPU per request at the max rate: gateway / generator | $(cpu_us "$A_GW") µs / $(gen_us "$A_GW") µs |"
  echo "| (a) p99 at the max rate | $(jnum p99_ms_at_max <<<"$A_GW") ms |"
  echo "| (b) ORT in-process, sensor-anomaly-large: batch 1 / best batch $(jnum best_batch <<<"$ORT_LARGE") | $LARGE_ONE / $(jnum best_samples_per_s <<<"$ORT_LARGE") samples/s ($(ratio "$(jnum best_samples_per_s <<<"$ORT_LARGE")" "$LARGE_ONE")×) |"
  echo "| (b) CPU per request at the max rate, batching on / off | $(cpu_us "$B_ON") µs / $(cpu_us "$B_OFF") µs |"
  echo "| (c) server CPU per request at the max rate: gateway / trivial | $c_cpu µs / $c_base_cpu µs (efficiency ratio $c_cpu_r) |"
  echo "| (c) generator CPU per request at the max rate: vs gateway / vs trivial | $(gen_us "$C_GW") µs / $(gen_us "$C_TRIVIAL") µs |"
  echo "| (d) p50 from the intended start (includes the generator's lateness): sensor / frame | $d1i ms / $d2i ms |"
  echo "| (d) floor: trivial server at $LOW_RATE req/s, p50 | $d0 ms |"
  echo "| (e) gateway's own start-up count (no JVM start): Hazelcast on / off | ${BOOT[cluster-on]} ms / ${BOOT[cluster-off]} ms |"
  echo "| (e) RSS after all load runs, cluster.enabled=false | $RSS_AFTER MB |"
  echo
  echo "Medians of three starts for (e). (d) judges the p50 from the actual send. Raw lines: \`$(basename "$RAW")\`."
  if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes"; fi
} | tee "$REPORT"
log "results block: $REPORT"
