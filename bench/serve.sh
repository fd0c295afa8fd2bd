#!/usr/bin/env bash
# Starts the gateway as its own process on 127.0.0.1:PORT (building it first if needed), waits until
# /v2/health/ready answers 200 and prints one line: "pid=PID ready_ms=MS boot_ms=MS log=FILE", where ready_ms runs
# from just before the process is started to the first 200 (polled every 20 ms) and boot_ms is the gateway's own
# count from its start-up to ready (without JVM start). The caller stops it: kill PID.
#
# usage: bench/serve.sh PORT MODELS_DIR [JVM_OPTION...]
# Gateway settings come from the environment, e.g. COEDGE_CLUSTER_ENABLED=false bench/serve.sh 8081 models
# With COEDGE_SECURITY_TLS_CERT set the readiness poll uses https and trusts BENCH_CA (the CA that signed it).
set -euo pipefail
source "$(dirname "$0")/common.sh"
port="${1:?usage: serve.sh PORT MODELS_DIR [JVM_OPTION...]}"
models="${2:?usage: serve.sh PORT MODELS_DIR [JVM_OPTION...]}"
shift 2
bench_build
mkdir -p "$BUILD/bench-logs"
log="$BUILD/bench-logs/gateway-$port.log"

# Another engineer's server may hold the port; answering for it would measure the wrong process.
if port_in_use "$port"; then
  echo "serve.sh: port $port is already in use on 127.0.0.1; pick another" >&2
  exit 1
fi
ready_url="http://127.0.0.1:$port/v2/health/ready"
curl_tls=()
if [[ -n "${COEDGE_SECURITY_TLS_CERT:-}" ]]; then
  ready_url="https://127.0.0.1:$port/v2/health/ready"
  curl_tls=(--cacert "${BENCH_CA:?serve.sh: with COEDGE_SECURITY_TLS_CERT set, BENCH_CA must name the CA file}")
fi
start_ms=$(date +%s%3N)
# The gRPC listener (default: the HTTP port + 1) is off unless asked for: the benchmarks put their other servers
# on the ports right after the gateway's.
export COEDGE_HTTP_GRPC_PORT="${COEDGE_HTTP_GRPC_PORT:-off}"
nohup java "$@" -jar "$JAR" --port "$port" --models "$models" >"$log" 2>&1 </dev/null &
pid=$!
if wait_http_200 "$ready_url" 60 "${curl_tls[@]}"; then
  ready_ms=$(( $(date +%s%3N) - start_ms ))
  # Proof that the 200 came from this process: its own "ready on" log line (Gateway.start).
  for _ in $(seq 100); do grep -q "ready on" "$log" && break; sleep 0.02; done
  if ! kill -0 "$pid" 2>/dev/null || ! grep -q "ready on" "$log"; then
    echo "serve.sh: something answered on port $port but gateway pid $pid did not log 'ready on'; see $log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  # The gateway's own count, from its Vert.x/engine start (not JVM start): "ready on HOST:PORT in N ms".
  boot_ms="$(sed -n 's/.*ready on .* in \([0-9]*\) ms.*/\1/p' "$log" | head -1)"
  echo "pid=$pid ready_ms=$ready_ms boot_ms=${boot_ms:-?} log=$log"
else
  echo "serve.sh: gateway (pid $pid) on port $port not ready within 60 s; last log lines:" >&2
  tail -5 "$log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi
