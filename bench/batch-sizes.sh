#!/usr/bin/env bash
# Target (a) of issue 2 for several max-batch-size values of one model: the highest rate the gateway sustains
# (FindMaxRate: p99 ≤ 50 ms, < 1 % errors) with the model's config.yaml changed only in max-batch-size.
# Each size gets a fresh gateway on a temporary copy of the model; every process is stopped by PID on exit.
#
# usage: bench/batch-sizes.sh [MODEL=traffic-counter] [BODY=frame] [SIZES="1 2 8"] [START=500]
set -euo pipefail
source "$(dirname "$0")/common.sh"
MODEL="${1:-traffic-counter}"
BODY="${2:-frame}"
SIZES="${3:-1 2 8}"
START="${4:-500}"
PORT="${BENCH_PORT:-18181}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d /tmp/coedge-batch.XXXXXX)"
GW=""
cleanup() { [ -n "$GW" ] && kill "$GW" 2>/dev/null && wait "$GW" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
bench_build
echo "# $MODEL max-batch-size sweep, commit $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ)"
for size in $SIZES; do
  mkdir -p "$TMP/$size"
  cp -r "$ROOT/models/$MODEL" "$TMP/$size/"
  sed -i "s/^max-batch-size:.*/max-batch-size: $size/" "$TMP/$size/$MODEL/config.yaml"
  line="$(COEDGE_CLUSTER_ENABLED=false "$ROOT/bench/serve.sh" "$PORT" "$TMP/$size")"
  GW="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"
  summary="$(bench_java FindMaxRate --url "http://127.0.0.1:$PORT/v2/models/$MODEL/infer" --body "$BODY" \
    --start "$START" --server-pid "$GW" --duration 8 --warmup 2 | grep '"summary"')"
  echo "max-batch-size=$size $summary"
  kill "$GW"; wait "$GW" 2>/dev/null || true; GW=""
done
