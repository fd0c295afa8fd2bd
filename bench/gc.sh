#!/usr/bin/env bash
# GC pauses on a warmed node, per set of JVM options, the sets alternated over BENCH_ROUNDS rounds. Each run is a
# fresh gateway on models it has never seen (no config.yaml), measured as bench/defaults.sh measures its GC goal:
#   - warmed as defaults.sh warms it (BENCH_WARMUP_SECONDS, 10 s, at 8 connections on sensor-anomaly-large binary);
#   - then BENCH_SECONDS (60) open loop at RATE with a GC log (gc*: phases, heap, CPU). The window is cut out of the
#     log by the JVM's own uptime: pauses in it, the longest, their p99 (nearest rank), the longest since the JVM
#     started (start-up context), and the page faults the collector's thread ("VM Thread") took in the window
#     (first touches of heap pages: on a VM whose host backs guest memory lazily each one costs tens of µs);
#   - the latency p99 and gateway CPU per request at RATE; then, on the same node, its 64-connection capacity (5 s
#     warm-up + 10 s, closed loop) with its CPU per request: do the options cost throughput; RSS at the end.
# RATE: BENCH_RATE, else half the 64-connection capacity of a first node started with the first option set.
# Output: bench/out/gc-STAMP.md, raw lines bench/out/gc-raw-STAMP.jsonl, the GC logs next to them.
# Knobs: BENCH_PORT (18381), BENCH_GCS (space-separated JVM option sets, '|' between options of one set; default
# "-XX:+UseSerialGC" (the README's first command before) and "-XX:+UseSerialGC|-Xms256m|-XX:+AlwaysPreTouch" (now);
# "-XX:+UseSerialGC -XX:+UseG1GC" compares collectors), BENCH_ROUNDS (2), BENCH_RATE,
# BENCH_SECONDS (60), BENCH_WARMUP_SECONDS, BENCH_QUIET_WAIT, COEDGE_BUILD_DIR.
set -euo pipefail
source "$(dirname "$0")/common.sh"

PORT="${BENCH_PORT:-18381}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/gc-raw-$STAMP.jsonl"
REPORT="$OUT/gc-$STAMP.md"
SECS="${BENCH_SECONDS:-60}"
TMP="$(mktemp -d)"
PIDS=()
trap cleanup EXIT
mkdir -p "$OUT"
bench_build
read -r -a GCS <<<"${BENCH_GCS:--XX:+UseSerialGC -XX:+UseSerialGC|-Xms256m|-XX:+AlwaysPreTouch}"
for m in sensor-anomaly sensor-anomaly-large; do
  mkdir -p "$TMP/models/$m/1"
  cp "$ROOT/models/$m/1/model.onnx" "$TMP/models/$m/1/"
done
U="http://127.0.0.1:$PORT/v2/models/sensor-anomaly-large/infer"

# start_gw OPTION_SET [JVM_OPTION...]: a fresh gateway with that set; sets GW and READY_MS.
start_gw() {
  local opts line
  IFS='|' read -r -a opts <<<"$1"; shift
  line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${opts[@]}" "$@")"
  GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
  READY_MS="$(sed -n 's/.*ready_ms=\([0-9]*\).*/\1/p' <<<"$line")"
}
capacity() { bench_java ClosedLoop --url "$U" --body mlp-bin --connections 64 --duration 10 --warmup 5 --server-pid "$1"; }
# The collector's page faults so far: field 10 (minflt) of the VM Thread's stat.
vm_faults() {
  local t
  for t in /proc/"$1"/task/*; do
    if [[ "$(cat "$t/comm")" == "VM Thread" ]]; then sed 's/.*) //' "$t/stat" | awk '{ print $8 }'; return; fi
  done
}

RATE="${BENCH_RATE:-}"
if [[ -z "$RATE" ]]; then
  start_gw "${GCS[0]}"
  warm_up "$GW" "$U" mlp-bin
  probe="$(capacity "$GW" | record rate-probe)"
  RATE="$(awk -v r="$(jnum rps <<<"$probe")" 'BEGIN { printf "%.0f", r / 2 }')"
  stop_pid "$GW"
fi
{
  echo "### GC run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, $SECS s at $RATE req/s"
  echo
  echo "| JVM options | round | ready ms | pauses in window | longest ms | p99 pause ms | VM Thread page faults in window | longest since start ms | p99 at rate ms | CPU µs/req at rate | capacity req/s (CPU µs/req) | RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$REPORT"
for round in $(seq "${BENCH_ROUNDS:-2}"); do
  for gc in "${GCS[@]}"; do
    wait_quiet "gateway $gc"
    name="${gc//[^A-Za-z0-9]/}-r$round"
    log_file="$TMP/gc-$name.log"
    start_gw "$gc" "-Xlog:gc*:file=$log_file:uptime,level,tags"
    warm_up "$GW" "$U" mlp-bin
    from="$(jvm_uptime "$GW")"; f0="$(vm_faults "$GW")"
    run="$(bench_java LoadGen --url "$U" --body mlp-bin --rate "$RATE" --duration "$SECS" --warmup 5 --server-pid "$GW" \
      | record "rate-$name")"
    to="$(jvm_uptime "$GW")"; f1="$(vm_faults "$GW")"
    cap="$(capacity "$GW" | record "cap-$name")"
    rss=$(( $(ps -o rss= -p "$GW") / 1024 ))
    stop_pid "$GW"
    cp "$log_file" "$OUT/gc-$STAMP-$name.log"
    gcw="$(bench_java GcPauses --log "$log_file" --from "$from" --to "$to" | record "pauses-$name")"
    # p99 of the pauses in the window, nearest rank: "[12.345s][info ][gc  ] GC(7) Pause Young (...) 1.234ms"
    p99="$(awk -v from="$from" -v to="$to" -F'[][]' '/\] GC\([0-9]+\) Pause .*ms$/ { t = $2; sub(/s$/, "", t)
      if (t + 0 >= from && t + 0 <= to) { n = split($0, w, " "); ms = w[n]; sub(/ms$/, "", ms); print ms } }' \
      "$log_file" | sort -n | awk '{ v[NR] = $1 } END { if (NR) { k = int(NR * 0.99 + 0.999); print v[k] } }')"
    cpu="$(awk -v c="$(jnum server_cpu_cores <<<"$run")" -v r="$(jnum achieved_rps <<<"$run")" \
      'BEGIN { if (r > 0) printf "%.1f", c * 1e6 / r }')"
    echo "| \`${gc//|/ }\` | $round | $READY_MS | $(jnum pauses_in_window <<<"$gcw") | $(jnum longest_in_window_ms <<<"$gcw") | ${p99:-none} | $(( f1 - f0 )) | $(jnum longest_total_ms <<<"$gcw") | $(jnum p99_ms <<<"$run") | $cpu | $(jnum rps <<<"$cap") ($(jnum server_cpu_us_per_req <<<"$cap")) | $rss |" >> "$REPORT"
  done
done
if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes" >> "$REPORT"; fi
cat "$REPORT"
log "results block: $REPORT"
