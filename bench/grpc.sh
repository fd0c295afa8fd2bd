#!/usr/bin/env bash
# gRPC vs REST on this gateway, one run, closed loop (N in flight), every client and the server on 127.0.0.1:
#   sensor-anomaly (tiny): REST JSON, REST binary extension, gRPC unary, gRPC streaming, and the onnxruntime-node peer
#   (bench/peer, REST JSON) when it is installed; traffic-counter (the small CNN, one 1x3x96x96 frame): REST binary,
#   gRPC unary, gRPC streaming.
# Output: bench/results/grpc-STAMP.jsonl (one JSON line per run, labelled). Knobs: BENCH_PORT (18281; gRPC +1,
# peer +2), BENCH_SECONDS (8), BENCH_WARMUP (2), BENCH_CONCURRENCY (64).
set -euo pipefail
source "$(dirname "$0")/common.sh"

PORT="${BENCH_PORT:-18281}"
GRPC_PORT=$((PORT + 1))
PEER_PORT=$((PORT + 2))
SECS="${BENCH_SECONDS:-8}"
WARMUP="${BENCH_WARMUP:-2}"
N="${BENCH_CONCURRENCY:-64}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$ROOT/bench/results"
RAW="$ROOT/bench/results/grpc-$STAMP.jsonl"
TMP="$(mktemp -d)"
PIDS=()
trap cleanup EXIT
bench_build

rest() { # LABEL URL BODY
  log "$1"
  bench_java ClosedLoop --url "$2" --body "$3" --connections "$N" --duration "$SECS" --warmup "$WARMUP" | record "$1"
}
grpc() { # LABEL BODY MODE
  log "$1"
  bench_java GrpcLoad --port "$GRPC_PORT" --body "$2" --mode "$3" --concurrency "$N" --duration "$SECS" \
    --warmup "$WARMUP" | record "$1"
}

COEDGE_CLUSTER_ENABLED=false COEDGE_HTTP_GRPC_PORT="$GRPC_PORT" serve gateway "$ROOT/models"
base="http://127.0.0.1:$PORT/v2/models"
rest sensor-rest-json "$base/sensor-anomaly/infer" sensor
rest sensor-rest-binary "$base/sensor-anomaly/infer" sensor-bin
grpc sensor-grpc-unary sensor unary
grpc sensor-grpc-stream sensor stream
rest cnn-rest-binary "$base/traffic-counter/infer" frame
grpc cnn-grpc-unary frame unary
grpc cnn-grpc-stream frame stream
stop_pid "$SERVED_PID"

if [[ -d "$ROOT/bench/peer/node_modules" ]] && command -v node >/dev/null; then
  node "$ROOT/bench/peer/server.js" "$PEER_PORT" "$ROOT/models" >"$TMP/peer.log" 2>&1 &
  PIDS+=("$!")
  wait_http_200 "http://127.0.0.1:$PEER_PORT/v2/health/ready" 60
  rest sensor-peer-rest-json "http://127.0.0.1:$PEER_PORT/v2/models/sensor-anomaly/infer" sensor
else
  log "onnxruntime-node peer not installed (bench/peer/install.sh): its row is skipped"
fi
log "raw results: $RAW"
