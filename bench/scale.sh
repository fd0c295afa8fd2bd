#!/usr/bin/env bash
# Elastic scaling. Two parts, both written to bench/results/scale-<UTC>.md (raw lines in scale-raw-<UTC>.jsonl):
# 1. Measured: ElasticScalingIT on loopback (one edge, one cloud node, cloud-nodes.sh as scale.command, load step
#    0.5x -> 3x -> 0.5x of one node's capacity): its line "scale IT: ..." gives the time from the load step until
#    the queues emptied with the new nodes serving, the nodes started and p99 after. SKIP_IT=1 skips it.
# 2. Simulated (io.coedge.bench.ScaleSim, 1 s steps, same square wave for every policy): over- and
#    under-provisioned node-minutes, node-minutes paid, requests beyond the nodes' capacity (offloaded or queued),
#    time from the first step to enough nodes, for Coedge's Scaler (the real class), a fixed cluster (peak and mean
#    size) and the HPA's CPU rule. START_S = seconds from "start a node" to serving (default: 20).
# usage: bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_build >/dev/null
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/scale-$STAMP.md
RAW=bench/results/scale-raw-$STAMP.jsonl
START_S="${START_S:-20}"
{
  echo "# Elastic scaling, $STAMP ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start)"
  echo
  if [[ "${SKIP_IT:-0}" != 1 ]]; then
    log=$(mktemp)
    if "$MVN" -q ${MVN_FLAGS:-} verify -Dtest=none -Dit.test=ElasticScalingIT -Dsurefire.failIfNoSpecifiedTests=false \
         -Dfailsafe.failIfNoSpecifiedTests=false >"$log" 2>&1; then status=passed; else status=FAILED; fi
    echo "## Measured: ElasticScalingIT ($status)"
    echo
    grep -h "scale IT:" "$log" target/failsafe-reports/*ElasticScalingIT*-output.txt 2>/dev/null | sort -u \
      | sed 's/^/    /' || echo "    (no figures line: see target/scale-it/*.log)"
    grep -h "scale decision\|scale command\|scale-in" target/scale-it/cloud-0.log 2>/dev/null \
      | grep -v "reason=steady" | sed 's/^/    /' | head -40 || true
    rm -f "$log"
    echo
  fi
  echo "## Simulated square wave (period 1200 s, 2 h, node start $START_S s)"
  echo
  echo "| policy | node-min paid | over node-min | under node-min | requests beyond capacity | first step: s to enough nodes | offloaded then | on new nodes then |"
  echo "|---|---|---|---|---|---|---|---|"
  bench_java ScaleSim --start-s "$START_S" | tee -a "$RAW" | while read -r line; do
    echo "| $(jstr policy <<<"$line") | $(jnum node_min <<<"$line") | $(jnum over_node_min <<<"$line") | $(jnum under_node_min <<<"$line") | $(jnum offloaded_req <<<"$line") | $(jnum first_step_to_objective_s <<<"$line") | $(jnum first_step_offloaded_req <<<"$line") | $(jnum first_step_new_nodes_req <<<"$line") |"
  done
} | tee "$OUT"
echo "bench: wrote $OUT" >&2
