#!/usr/bin/env bash
# Installs the benchmark peer's one dependency from the npm registry. --ignore-scripts: the package's
# post-install step only fetches optional GPU libraries (from a host this machine cannot reach); the CPU
# binaries for linux x64/arm64 are inside the npm package itself.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "peer: npm not found (apt-get install npm); skipping the node peer" >&2; exit 3; }
[[ -d node_modules/onnxruntime-node ]] || npm install --no-audit --no-fund --ignore-scripts >/dev/null
