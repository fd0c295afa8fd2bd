#!/usr/bin/env bash
# Measures the shared node table (docs/architecture.md) with real processes on loopback:
#   - age of peers' records when read on one node (p50/p99), and their age when a new write is first seen
#   - CPU and RSS of each member at 3 and at 8 nodes (one JVM per node), idle, and while one node is polled
#   - idle RSS of one clustered node (standalone), with default JVM flags and with JAVA_OPTS, and unclustered
# Every process it starts is stopped by PID on exit. Needs: the jar and test classes (mvn -DskipTests
# package test-compile), curl, python3 (free ports), jcmd.
#
# Usage: bench/cluster.sh
# Env: JAR (target/coedge.jar), MODELS (src/test/resources/cluster-models), JAVA_OPTS (-Xmx256m -XX:+UseSerialGC),
#      SIZES ("3 8"), SAMPLE_S (10), SETTLE_S (10)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-target/coedge.jar}
CLASSES=${CLASSES:-$(dirname "$JAR")/test-classes}
MODELS=${MODELS:-src/test/resources/cluster-models}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
SIZES=${SIZES:-3 8}
SAMPLE_S=${SAMPLE_S:-10}
SETTLE_S=${SETTLE_S:-10}
TICKS=$(getconf CLK_TCK)
OUT=$(mktemp -d /tmp/coedge-bench.XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_node NAME HTTP_PORT CLUSTER_PORT MEMBERS JVM_OPTS [ENV=VALUE...]: starts one node, appends its PID
start_node() {
  local name=$1 http=$2 cport=$3 members=$4 opts=$5
  shift 5
  local args=(--node-id "$name" --port "$http" --models "$MODELS" --cluster-port "$cport")
  [ -n "$members" ] && args+=(--cluster-members "$members")
  # shellcheck disable=SC2086
  env COEDGE_CLUSTER_NAME="bench-$$" COEDGE_NODE_ROLE=cloud "$@" java $opts -jar "$JAR" "${args[@]}" \
    >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
}

wait_ready() { # wait_ready HTTP_PORT
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/v2/health/ready" && return 0
    sleep 0.2
  done
  echo "node on port $1 not ready; logs in $OUT" >&2
  return 1
}

fresh_count() { # fresh_count HTTP_PORT
  curl -sf "http://127.0.0.1:$1/v2/cluster/nodes" | python3 -c \
    'import json,sys; print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["fresh"]))' 2>/dev/null || echo 0
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# cpu_window SECONDS PID...: prints "pid cpu%" over the window for each PID
cpu_window() {
  local s=$1
  shift
  local -A before
  for p in "$@"; do before[$p]=$(cpu_ticks "$p"); done
  sleep "$s"
  for p in "$@"; do
    echo "$p $(awk -v a="${before[$p]}" -v b="$(cpu_ticks "$p")" -v t="$TICKS" -v s="$s" \
      'BEGIN { printf "%.1f", (b - a) * 100 / (t * s) }')"
  done
}

report_members() { # report_members LABEL PID...: RSS and ps's lifetime %CPU per member, then the mean RSS
  local label=$1
  shift
  ps -o pid=,rss=,pcpu= -p "$(IFS=,; echo "$*")" | awk -v l="$label" \
    '{ printf "%s pid=%s rss_mb=%.0f ps_pcpu=%s\n", l, $1, $2 / 1024, $3; sum += $2; n++ }
     END { printf "%s mean_rss_mb=%.0f\n", l, sum / n / 1024 }'
}

heap_used_after_gc() { # heap_used_after_gc PID: MB of heap in use after a full GC
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | awk '/generation|heap/ && !/Metaspace|class space/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); sum += v } }
    END { printf "%.1f\n", sum / 1024 }'
}

cluster_run() { # cluster_run N
  local n=$1 http=() cport=() members
  for i in $(seq 0 $((n - 1))); do http+=("$(free_port)"); cport+=("$(free_port)"); done
  members=$(for p in "${cport[@]}"; do printf '127.0.0.1:%s,' "$p"; done)
  members=${members%,}
  local t0=$(date +%s%N)
  for i in $(seq 0 $((n - 1))); do
    start_node "b$i" "${http[$i]}" "${cport[$i]}" "$members" "$JAVA_OPTS"
    sleep 1 # stagger: this box has two cores shared with others
  done
  for i in $(seq 0 $((n - 1))); do wait_ready "${http[$i]}"; done
  for _ in $(seq 1 300); do
    local all=1
    for i in $(seq 0 $((n - 1))); do [ "$(fresh_count "${http[$i]}")" -eq "$n" ] || all=0; done
    [ $all -eq 1 ] && break
    sleep 0.1
  done
  echo "n=$n: all nodes see $n fresh records $(( ($(date +%s%N) - t0) / 1000000 )) ms after the first launch"
  sleep "$SETTLE_S"
  cpu_window "$SAMPLE_S" "${PIDS[@]}" | awk -v n="$n" '{ printf "n=%s idle pid=%s cpu_pct=%s\n", n, $1, $2; s += $2 }
    END { printf "n=%s idle mean_cpu_pct=%.1f\n", n, s / NR }'
  echo "n=$n reader b0: sampling /v2/cluster/nodes every 5 ms for ${SAMPLE_S} s"
  java -cp "$CLASSES:$JAR" io.coedge.bench.ClusterBench "http://127.0.0.1:${http[0]}" "$SAMPLE_S" 5 | sed "s/^/n=$n /"
  report_members "n=$n" "${PIDS[@]}"
  echo "n=$n heap_used_after_gc_mb(b1)=$(heap_used_after_gc "${PIDS[1]}")"
  cleanup
}

idle_single() { # idle_single LABEL JVM_OPTS [ENV=VALUE...]
  local label=$1 opts=$2
  shift 2
  local http
  http=$(free_port)
  start_node solo "$http" "$(free_port)" "" "$opts" "$@"
  wait_ready "$http"
  sleep "$SETTLE_S"
  local pid=${PIDS[0]}
  echo "single $label rss_mb=$(($(ps -o rss= -p "$pid") / 1024)) cpu_pct=$(cpu_window 5 "$pid" | cut -d' ' -f2)" \
    "heap_used_after_gc_mb=$(heap_used_after_gc "$pid") rss_after_gc_mb=$(($(ps -o rss= -p "$pid") / 1024))"
  cleanup
}

echo "jar=$JAR java_opts='$JAVA_OPTS' logs=$OUT cores=$(nproc)"
idle_single "clustered, default JVM flags" ""
idle_single "clustered, JAVA_OPTS" "$JAVA_OPTS"
idle_single "unclustered (cluster.enabled=false), JAVA_OPTS" "$JAVA_OPTS" COEDGE_CLUSTER_ENABLED=false
for n in $SIZES; do cluster_run "$n"; done
