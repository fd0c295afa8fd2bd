#!/usr/bin/env bash
# Proves the ARM64 build: runs target/coedge.jar as an ARM64 process under qemu user-mode emulation
# (scripts/arm64/: make-root.sh builds an ARM64 Java root once, run-java.sh runs java in it), and the same jar natively, sends both the same inference requests for the
# shipped models, and checks that the outputs are identical number for number.
#
#   bash scripts/arm64-check.sh        # ~2-4 minutes on a 2-core x86-64 host (emulated start ~10-20 s,
#                                      # plus the one-time ARM64 root setup, ~1 min, if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${ARM64_TOOLS:-scripts/arm64}
[[ -f target/coedge.jar ]] || ./mvnw -q -DskipTests package
[[ -x "${ARM64_ROOT:-/opt/arm64-root}/usr/lib/jvm/java-17-openjdk-arm64/bin/java" ]] || bash "$TOOLS/make-root.sh"

# Free ports unless given: a fixed port might already answer for someone else's server.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ARM_PORT=${ARM_PORT:-$(free_port)}
X86_PORT=${X86_PORT:-$(free_port)}
OUT=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

export COEDGE_CLUSTER_ENABLED=false
"$TOOLS/run-java.sh" -Xmx512m -jar target/coedge.jar --port "$ARM_PORT" --node-id arm64 >"$OUT/arm.log" 2>&1 &
pids+=($!)
java -Xmx512m -jar target/coedge.jar --port "$X86_PORT" --node-id x86 >"$OUT/x86.log" 2>&1 &
pids+=($!)

wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "127.0.0.1:$1/v2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "node on port $1 never became ready"; cat "$OUT"/*.log; return 1
}
t0=$(date +%s)
wait_ready "$X86_PORT"
wait_ready "$ARM_PORT"
echo "ARM64 node ready after $(( $(date +%s) - t0 )) s"
grep -q aarch64 <("$TOOLS/run-java.sh" -XshowSettings:properties -version 2>&1 | grep os.arch) \
  && echo "emulated JVM reports os.arch=aarch64"

SENSOR='{"inputs":[{"name":"features","shape":[2,8],"datatype":"FP32","data":[[298.1,308.6,1551,42.8,0,3.1,1,0],[302.0,310.5,1300,65.0,215,7.9,0,1]]}]}'
echo "$SENSOR" > "$OUT/sensor.json"
awk 'BEGIN{printf "{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,3,96,96],\"datatype\":\"FP32\",\"data\":["; for(i=0;i<27648;i++){printf "%s%.4f", (i?",":""), (i%97)/97.0}; printf "]}]}"}' > "$OUT/frame.json"
status=0
for case in sensor-anomaly:sensor sensor-anomaly-large:sensor traffic-counter:frame; do
  model=${case%%:*}; body="$OUT/${case#*:}.json"
  curl -sf -X POST "127.0.0.1:$ARM_PORT/v2/models/$model/infer" -H 'content-type: application/json' -d @"$body" > "$OUT/$model.arm.json"
  curl -sf -X POST "127.0.0.1:$X86_PORT/v2/models/$model/infer" -H 'content-type: application/json' -d @"$body" > "$OUT/$model.x86.json"
  # Same numbers: equal to within 1e-6 relative (ONNX Runtime's ARM64 and x86-64 GEMM kernels may round the
  # last bit differently); the script prints how many values are bit-identical and the largest difference.
  python3 - "$model" "$OUT/$model.arm.json" "$OUT/$model.x86.json" <<'PY' || status=1
import json, sys
name, a, b = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
da, db = a["outputs"][0]["data"], b["outputs"][0]["data"]
assert len(da) == len(db), "different lengths"
same = sum(1 for x, y in zip(da, db) if x == y)
worst = max(abs(x - y) / max(abs(x), abs(y), 1e-30) for x, y in zip(da, db))
ok = worst <= 1e-6
print(f"{name}: {'same numbers' if ok else 'DIFFERENT'} on arm64 and x86-64: {same}/{len(da)} bit-identical, "
      f"max relative difference {worst:.2e}; arm64 {da[:5]}")
sys.exit(0 if ok else 1)
PY
done
exit $status
