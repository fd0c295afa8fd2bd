#!/usr/bin/env bash
# Which garbage collector an edge node should run with: for each candidate, the gateway on models it has never
# seen (no config.yaml), started with that collector, measured the same way in one run:
#   - its 64-connection capacity on sensor-anomaly-large (binary, 5 s warm-up + 10 s);
#   - 1 closed-loop connection on the tiny sensor model (JSON): p50 and p99;
#   - 15 s of warm-up and 60 s open-loop at half the capacity with a GC log: the longest pause and the count after
#     the warm-up, p99, and the RSS at the end.
# Output: bench/out/gc-STAMP.md. Knobs: BENCH_PORT (18381), BENCH_GCS (space-separated JVM option sets, '|' between
# options of one set; default "-XX:+UseSerialGC" and "-XX:+UseG1GC"), BENCH_QUIET_WAIT, COEDGE_BUILD_DIR.
set -euo pipefail
source "$(dirname "$0")/common.sh"

PORT="${BENCH_PORT:-18381}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/gc-raw-$STAMP.jsonl"
REPORT="$OUT/gc-$STAMP.md"
TMP="$(mktemp -d)"
PIDS=()
trap cleanup EXIT
mkdir -p "$OUT"
bench_build
read -r -a GCS <<<"${BENCH_GCS:--XX:+UseSerialGC -XX:+UseG1GC}"
for m in sensor-anomaly sensor-anomaly-large; do
  mkdir -p "$TMP/models/$m/1"
  cp "$ROOT/models/$m/1/model.onnx" "$TMP/models/$m/1/"
done
U="http://127.0.0.1:$PORT/v2/models"

{
  echo "### GC run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
  echo
  echo "| JVM options | 1 conn p50 / p99 ms | capacity (64 conn) | pauses in 60 s at half | longest pause ms | p99 at half ms | RSS MB |"
  echo "|---|---|---|---|---|---|---|"
} > "$REPORT"
for gc in "${GCS[@]}"; do
  IFS='|' read -r -a opts <<<"$gc"
  wait_quiet "gateway $gc"
  line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/models" "${opts[@]}" \
    "-Xlog:gc:file=$TMP/gc-${gc//[^A-Za-z0-9]/}.log")"
  GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"; PIDS+=("$GW")
  # Capacity first (it also warms the JIT for both models' paths), then the single connection.
  cap="$(bench_java ClosedLoop --url "$U/sensor-anomaly-large/infer" --body mlp-bin --connections 64 --duration 10 \
    --warmup 5 --server-pid "$GW" | record "cap-$gc")"
  one="$(bench_java ClosedLoop --url "$U/sensor-anomaly/infer" --body sensor --connections 1 --duration 10 --warmup 3 \
    --server-pid "$GW" | record "one-$gc")"
  half="$(awk -v r="$(jnum rps <<<"$cap")" 'BEGIN { printf "%.0f", r / 2 }')"
  bench_java LoadGen --url "$U/sensor-anomaly-large/infer" --body mlp-bin --rate "$half" --duration 15 --warmup 0 \
    --server-pid "$GW" > /dev/null
  from="$(ps -o etimes= -p "$GW" | tr -d ' ')"
  run="$(bench_java LoadGen --url "$U/sensor-anomaly-large/infer" --body mlp-bin --rate "$half" --duration 60 \
    --warmup 0 --server-pid "$GW" | record "half-$gc")"
  rss=$(( $(ps -o rss= -p "$GW") / 1024 ))
  stop_pid "$GW"
  log_file="$TMP/gc-${gc//[^A-Za-z0-9]/}.log"
  # Pause lines after the warm-up: "[12.345s][info][gc] GC(7) Pause Young (...) 1.234ms"
  pauses="$(awk -v from="$from" -F'[][]' '/Pause/ { t = $2; sub(/s$/, "", t); if (t + 0 >= from) { n = split($0, w, " ");
    ms = w[n]; sub(/ms$/, "", ms); print ms } }' "$log_file")"
  count="$(grep -c . <<<"$pauses" || true)"
  longest="$(sort -n <<<"$pauses" | tail -1)"
  cp "$log_file" "$OUT/gc-$STAMP-${gc//[^A-Za-z0-9]/}.log"
  echo "| \`$gc\` | $(jnum p50_ms <<<"$one") / $(jnum p99_ms <<<"$one") | $(jnum rps <<<"$cap") req/s | ${count:-0} | ${longest:-none} | $(jnum p99_ms <<<"$run") | $rss |" >> "$REPORT"
done
if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes" >> "$REPORT"; fi
cat "$REPORT"
log "results block: $REPORT"
