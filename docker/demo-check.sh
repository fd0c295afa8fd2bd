#!/usr/bin/env bash
# The compose demo, end to end, as a script: up -> every node ready and in one cluster -> the dashboard of an edge
# visible (the page and each JSON endpoint it polls) -> offloads under the load generator's load (the edges'
# coedge_offload_total rising, read from Prometheus' HTTP API) -> down. Exit 0 = every step passed; each step
# prints what it saw. Needs the image (docker/test-image.sh makes localhost/coedge:test; COEDGE_IMAGE picks another).
#
#   docker/demo-check.sh              # on this machine's network: ports 8081, 8082, 8091, 8092, 9090 on 127.0.0.1
#   docker/demo-check.sh --private    # inside docker/binfmt-ns.sh's private network namespace (root; Linux >= 6.7):
#                                     # no fixed port on the host, no bridge or firewall rule left on it
#
# Uses podman-compose, else `docker compose`. Without a registry the Prometheus and load-generator images are made
# from the local Debian bases (docker/make-base.sh) when those exist: PROMETHEUS_BASE and LOADGEN_IMAGE override.
# Bounds: READY_S (default 600) for the four nodes to be ready and joined, OFFLOAD_S (600) for offloads to show.
# KEEP=1 leaves the demo running after the checks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --private ] && [ -z "${COEDGE_IN_BINFMT_NS:-}" ]; then
  COEDGE_IN_BINFMT_NS=1 exec docker/binfmt-ns.sh "$0"
fi
PROJECT=coedge-demo
READY_S=${READY_S:-600}
OFFLOAD_S=${OFFLOAD_S:-600}
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "[$(date -u +%T)] $*"; }
if command -v podman-compose >/dev/null; then compose=(podman-compose -f docker/compose.yaml -p "$PROJECT")
elif docker compose version >/dev/null 2>&1; then compose=(docker compose -f docker/compose.yaml -p "$PROJECT")
else fail "needs podman-compose (Debian: apt-get install podman-compose) or docker compose"; fi
export COEDGE_IMAGE=${COEDGE_IMAGE:-localhost/coedge:test}
if command -v podman >/dev/null; then
  podman image exists "$COEDGE_IMAGE" || fail "no image $COEDGE_IMAGE: run docker/test-image.sh first"
  if [ -z "${PROMETHEUS_BASE:-}" ] && podman image exists localhost/coedge-base:12; then
    export PROMETHEUS_BASE=localhost/coedge-base:12
  fi
  if [ -z "${LOADGEN_IMAGE:-}" ] && podman image exists localhost/coedge-jdk:17; then
    export LOADGEN_IMAGE=localhost/coedge-jdk:17
  fi
  source docker/podman-conf.sh
  conf=$(mktemp -d)
  podman_conf "$conf"
fi
export LOADGEN_DURATION_S=${LOADGEN_DURATION_S:-$(( READY_S + OFFLOAD_S ))}

down() {
  step "down"
  "${compose[@]}" down >/dev/null 2>&1 || true
  # podman-compose 1.0.3 leaves the network behind.
  podman network exists "${PROJECT}_default" 2>/dev/null && podman network rm "${PROJECT}_default" >/dev/null || true
}
on_exit() {
  local status=$?
  if [ "$status" != 0 ]; then
    for s in edge-1 cloud-1 loadgen; do echo "--- last log lines of $s"; "${compose[@]}" logs "$s" 2>&1 | tail -8; done
  fi
  [ "${KEEP:-0}" = 1 ] || down
  rm -rf "${conf:-}"
}
trap on_exit EXIT

step "build the Prometheus image (cached layers: seconds once made)"
"${compose[@]}" build prometheus >/dev/null 2>&1 || fail "compose build prometheus failed"
step "up (image $COEDGE_IMAGE)"
"${compose[@]}" up -d >/dev/null 2>&1 || fail "compose up failed: ${compose[*]} up -d"
t0=$(date +%s)
waited() { echo $(( $(date +%s) - t0 )); }
json() { curl -sf -m 5 "$1"; }
nodes_ready=""
while [ "$(waited)" -lt "$READY_S" ]; do
  nodes_ready=$(json http://127.0.0.1:8081/v2/cluster/nodes | python3 -c '
import json, sys
t = json.load(sys.stdin)
print(" ".join(sorted(n["id"] + ":" + n["state"] for n in t["nodes"])))' 2>/dev/null || true)
  ready=0
  for port in 8081 8082 8091 8092; do
    curl -sf -m 5 -o /dev/null "http://127.0.0.1:$port/v2/health/ready" && ready=$(( ready + 1 ))
  done
  [ "$ready" = 4 ] && [ "$(echo "$nodes_ready" | wc -w)" = 4 ] && break
  sleep 2
done
[ "$ready" = 4 ] || fail "$ready of 4 nodes ready after $READY_S s"
[ "$(echo "$nodes_ready" | wc -w)" = 4 ] || fail "edge-1 sees [$nodes_ready], not 4 nodes"
step "4 nodes ready after $(waited) s; edge-1's node table: $nodes_ready"

page=$(curl -sf -m 5 http://127.0.0.1:8081/dashboard) || fail "GET /dashboard failed"
grep -q '<title>Coedge dashboard</title>' <<<"$page" || fail "/dashboard is not the dashboard page"
for path in dashboard/dashboard.js v2/cluster/versions v2/models/stats dashboard/routing; do
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:8081/$path")
  [ "$code" = 200 ] || fail "GET /$path (polled by the dashboard) answered $code"
done
json http://127.0.0.1:8081/metrics | grep -q '^coedge_cluster_nodes' || fail "/metrics has no coedge_cluster_nodes"
step "dashboard visible on edge-1: /dashboard and the five endpoints it polls answer 200"
json http://127.0.0.1:8081/dashboard/routing | python3 -c '
import json, sys; r = json.load(sys.stdin); print("  /dashboard/routing: cloud peers", [p["id"] for p in r["peers"]])'

# The edges' offloads as Prometheus scraped them (every 5 s): first a value, then a larger one.
prom() {
  curl -sf -m 5 --data-urlencode "query=$1" http://127.0.0.1:9090/api/v1/query | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(sum(float(x["value"][1]) for x in r) if r else -1)' 2>/dev/null || echo -1
}
t0=$(date +%s)
first=-1
last=-1
while [ "$(waited)" -lt "$OFFLOAD_S" ]; do
  last=$(prom 'sum(coedge_offload_total{role="edge"})')
  if awk -v v="$last" 'BEGIN { exit !(v > 0) }'; then
    if [ "$first" = -1 ]; then first=$last; step "Prometheus: the edges have offloaded $first requests"
    elif awk -v a="$first" -v b="$last" 'BEGIN { exit !(b > a) }'; then break; fi
  fi
  sleep 5
done
awk -v a="$first" -v b="$last" 'BEGIN { exit !(a > 0 && b > a) }' \
  || fail "coedge_offload_total of the edges did not rise within $OFFLOAD_S s (first $first, last $last)"
step "Prometheus: offloads rising: $first -> $last requests ($(waited) s into the check)"
for q in 'sum by (node) (coedge_offload_total{role="edge"})' \
    'sum by (node, route) (coedge_inference_request_success_total)'; do
  echo "  $q:"
  curl -sf -m 5 --data-urlencode "query=$q" http://127.0.0.1:9090/api/v1/query | python3 -c '
import json, sys
for x in json.load(sys.stdin)["data"]["result"]:
    print("    ", " ".join(k + "=" + v for k, v in sorted(x["metric"].items())), x["value"][1])'
done
targets=$(curl -sf -m 5 http://127.0.0.1:9090/api/v1/targets | python3 -c '
import json, sys; print(sum(1 for t in json.load(sys.stdin)["data"]["activeTargets"] if t["health"] == "up"))')
[ "$targets" = 4 ] || fail "Prometheus scrapes $targets healthy targets, not 4"
step "Prometheus: 4 of 4 scrape targets up"
echo "DEMO CHECK PASSED"
