#!/usr/bin/env bash
# Real network faults under open-loop load: an edge and two cloud nodes (target/coedge.jar), each in a network
# namespace of its own, joined by veth pairs to a bridge in a fourth namespace (addresses exist inside those
# namespaces only; everything is removed on exit). The edge reaches each cloud's HTTP port through a delay proxy
# in its own namespace (the test WanEmulator as a process: `tc netem` is missing on these machines); loss is
# iptables' statistic match, partitions are iptables DROP on the Hazelcast or the HTTP port, a hung node is
# SIGSTOP, a drain is SIGTERM. The load generator (FaultLoad) runs in the edge's namespace, sends requests that
# prefer offload with a 300 ms deadline, runs the fault and heal commands at fixed times of the run, and prints one
# JSON line per scenario; this script prints a table row each.
#
# Usage: bench/faults.sh [--ci] [--soak MINUTES] [SCENARIO...]     scenarios: a b c d e f g (default all)
#   --ci           the short subset (a, d, f, short phases) for .ci/run
#   --soak M       M minutes at 0.7 x with offload, an API key file and TLS certificate reload on every node every
#                  minute, samples of RSS, heap after GC, fds, threads, node-table size and shared-map sizes
# Before scenario g and the soak the nodes restart serving HTTPS (mutual TLS between nodes, a cluster CA) and asking
# for API keys, their key and PEM files on a small tmpfs of their own (mounted in each node's private mount namespace).
# Env: FAULTS_RATE (req/s of "1 x" load, default 20: what the edge of a shared 2-core box serves alone), FAULTS_SECONDS (per scenario, 20), FAULTS_WARM_S (warm-up after the TLS restart of (g) and the soak, 60), FAULTS_TRACE_DIR (every request's timing per scenario, the node logs, the edge's routing decision log), COEDGE_BUILD_DIR, MVN
# Needs root (namespaces, iptables). Raw lines go to bench/results/faults-STAMP.jsonl, logs to a temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
source bench/faults-secure.sh

CI=0; SOAK=0; SCEN=()
while (( $# )); do
  case "$1" in
    --ci) CI=1 ;;
    --soak) SOAK="${2:-30}"; shift ;;
    *) SCEN+=("$1") ;;
  esac
  shift
done
if (( CI )); then SCEN=(a d f); fi
if (( ${#SCEN[@]} == 0 && SOAK == 0 )); then SCEN=(a b c d e f g); fi
SECURE=0; SCHEME=http; CURL=(curl -s); LOAD_SEC=(); WRAP=()

skip() { echo "faults: SKIPPED: $*"; exit 0; }
[[ "$(id -u)" == 0 ]] || skip "needs root for network namespaces and iptables"
command -v ip >/dev/null && command -v iptables >/dev/null || skip "needs iproute2 and iptables"
P="cf$$"
ip netns add "$P-probe" 2>/dev/null && ip netns del "$P-probe" || skip "this machine cannot create network namespaces"

RATE=${FAULTS_RATE:-20}
SECS=${FAULTS_SECONDS:-20}
if (( CI )); then SECS=${FAULTS_SECONDS:-12}; fi
NET=10.231.$(( $$ % 200 + 20 ))
TMP=$(mktemp -d /tmp/coedge-faults.XXXXXX)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
RAW="bench/results/faults-$STAMP.jsonl"
NODES=(edge c1 c2)
declare -A IP=([edge]=$NET.1 [c1]=$NET.2 [c2]=$NET.3)

teardown() {
  for f in "$TMP"/*.pid; do [[ -f "$f" ]] && stop_pid "$(cat "$f")"; done
  for n in "${NODES[@]}" wan; do ip netns del "$P-$n" 2>/dev/null || true; done
  if [[ "${FAILED:-0}" == 1 ]]; then
    mkdir -p "/tmp/coedge-faults-logs-$STAMP" && cp "$TMP"/*.log "/tmp/coedge-faults-logs-$STAMP/" 2>/dev/null || true
    echo "faults: node logs kept in /tmp/coedge-faults-logs-$STAMP" >&2
  fi
  [[ -n "${FAULTS_TRACE_DIR:-}" ]] && cp "$TMP"/*.log "$FAULTS_TRACE_DIR/" 2>/dev/null
  rm -rf "$TMP"
}
trap teardown EXIT

in_ns() { local n="$1"; shift; ip netns exec "$P-$n" "$@"; }

net_up() {
  ip netns add "$P-wan"
  in_ns wan ip link add br0 type bridge
  in_ns wan ip link set br0 up
  local i=0
  for n in "${NODES[@]}"; do
    i=$((i + 1))
    ip netns add "$P-$n"
    ip link add "${P}a$i" type veth peer name "${P}b$i"
    ip link set "${P}a$i" netns "$P-$n"
    ip link set "${P}b$i" netns "$P-wan"
    in_ns "$n" ip link set "${P}a$i" name eth0
    in_ns "$n" ip addr add "${IP[$n]}/24" dev eth0
    in_ns "$n" ip link set eth0 up
    in_ns "$n" ip link set lo up
    in_ns wan ip link set "${P}b$i" master br0 up
  done
}

# start_node NAME: the jar in NAME's namespace, its config in $TMP/NAME.yaml; PID in $TMP/NAME.pid.
start_node() {
  local n="$1" role=cloud advertise="" i
  [[ "$n" == edge ]] && role=edge
  [[ "$n" == c1 ]] && advertise="$SCHEME://127.0.0.1:9002"
  [[ "$n" == c2 ]] && advertise="$SCHEME://127.0.0.1:9003"
  cat >"$TMP/$n.yaml" <<EOF
node:
  id: $n
  role: $role
  drain-timeout-s: 10
http:
  host: 0.0.0.0
  port: 8000
cluster:
  host: ${IP[$n]}
  port: 5701
  members: ${IP[edge]}:5701,${IP[c1]}:5701,${IP[c2]}:5701
  advertise-url: "$advertise"
  name: faults-$P
offload:
  probe-interval-ms: 250
  eject-base-ms: 5000
EOF
  [[ -n "${FAULTS_TRACE_DIR:-}" && "$n" == edge ]] && printf 'log:\n  routing-decisions: true\n' >>"$TMP/$n.yaml"
  (( SECURE )) && secure_yaml "$n" >>"$TMP/$n.yaml" && WRAP=(unshare -m sh "$TMP/wrap.sh" "$TMP/sec/$n" "$TMP/stash/$n")
  # ip netns exec, not in_ns: a function would run in a subshell and $! would not be the JVM's PID.
  ip netns exec "$P-$n" "${WRAP[@]}" java -Xmx256m -jar "$JAR" --config "$TMP/$n.yaml" >>"$TMP/$n.log" 2>&1 &
  echo $! >"$TMP/$n.pid"
}

await_ready() {
  local n="$1"
  for _ in $(seq 600); do
    [[ "$(in_ns "$n" "${CURL[@]}" -o /dev/null -w '%{http_code}' "$SCHEME://127.0.0.1:8000/v2/health/ready")" == 200 ]] && return 0
    sleep 0.2
  done
  echo "faults: $n never became ready; log:" >&2; tail -20 "$TMP/$n.log" >&2; return 1
}

# The edge sees both clouds fresh in its node table.
await_clouds() {
  for _ in $(seq 300); do
    local t; t=$(in_ns edge "${CURL[@]}" "$SCHEME://127.0.0.1:8000/v2/cluster/nodes" || true)
    [[ "$t" == *'"id":"c1"'* && "$t" == *'"id":"c2"'* ]] && return 0
    sleep 0.2
  done
  echo "faults: the edge does not see both clouds" >&2; return 1
}

start_proxies() {
  echo 0 >"$TMP/rtt"
  local small=("${BENCH_JAVA[@]/-Xms256m/-Xms32m}") i=1 port
  small=("${small[@]/-Xmx768m/-Xmx96m}")
  for c in c1 c2; do
    port=$((9001 + i))
    ip netns exec "$P-edge" "${small[@]}" io.coedge.bench.DelayProxy "$port" "${IP[$c]}" 8000 "$TMP/rtt" \
      >>"$TMP/proxy.log" 2>&1 &
    echo $! >"$TMP/proxy$i.pid"
    i=$((i + 1))
  done
  for port in 9002 9003; do
    for _ in $(seq 300); do in_ns edge bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && break; sleep 0.2; done
    in_ns edge bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null \
      || { echo "faults: delay proxy on $port did not start:" >&2; cat "$TMP/proxy.log" >&2; return 1; }
  done
}

# The rolling restart, as a script FaultLoad can start: each cloud drained (SIGTERM), restarted, ready, in turn.
write_roll() {
  { declare -f stop_pid start_node await_ready in_ns secure_yaml
    declare -p IP NODES P TMP JAR SECURE SCHEME CURL WRAP
    echo 'for n in c1 c2; do stop_pid "$(cat "$TMP/$n.pid")"; start_node "$n"; await_ready "$n"; done'
  } >"$TMP/roll.sh"
}

# load LABEL TIMES_RATE FAULT_AT_MS HEAL_AT_MS FAULT_CMD HEAL_CMD: one FaultLoad run; its JSON line on stdout
# (with FAULTS_TRACE_DIR set, every request's timing also goes to FAULTS_TRACE_DIR/LABEL.tsv).
load() {
  local trace=()
  [[ -n "${FAULTS_TRACE_DIR:-}" ]] && mkdir -p "$FAULTS_TRACE_DIR" && trace=(--trace "$FAULTS_TRACE_DIR/$1.tsv")
  in_ns edge "${BENCH_JAVA[@]}" io.coedge.bench.FaultLoad --label "$1" --port 8000 --rate "$(awk -v r="$RATE" \
    -v x="$2" 'BEGIN{print r*x}')" --seconds "$SECS" --fault-at "$3" --heal-at "$4" --fault "$5" --heal "$6" \
    --timeout-us 300000 --offload prefer "${LOAD_SEC[@]}" "${trace[@]}" 2>>"$TMP/load.log" | grep '^{' | tee -a "$RAW"
}

row() { # row FAULT LOAD JSON EXPECTED MET
  local j="$3"
  printf '| %s | %s | %s (cut %s, late %s) | %s / %s / %s | %s | %s | %s |\n' "$1" "$2" "$(jnum errors <<<"$j")" \
    "$(jnum cut <<<"$j")" "$(jnum late <<<"$j")" "$(jnum p99_before_ms <<<"$j")" "$(jnum p99_during_ms <<<"$j")" \
    "$(jnum p99_after_ms <<<"$j")" "$(jnum recovery_ms <<<"$j")" "$4" "$5" | tee -a "$TMP/rows"
}
met() { if eval "$1"; then echo yes; else echo NO; fi; }

bench_build
net_up
for n in "${NODES[@]}"; do start_node "$n"; done
start_proxies
for n in "${NODES[@]}"; do await_ready "$n"; done
await_clouds
write_roll
log "warm-up"
load warm-up 1 999999 999999 "" "" >/dev/null

F=$(( SECS * 250 )); H=$(( SECS * 500 )) # fault from 1/4 to 1/2 of the run
EDGE_IPT="ip netns exec $P-edge iptables"
echo "### Fault scenarios $STAMP — commit $(git rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), 1 x = $RATE req/s, ${SECS} s per scenario"
echo "(errors: answers other than 200; cut: no answer at all; late: answered or refused more than 50 ms after the"
echo "request's 300 ms deadline, counted from when it was due)"
echo
echo "| fault | load | errors | p99 ms before / during / after | recovery ms | expected | met |"
echo "|---|---|---|---|---|---|---|"
for s in "${SCEN[@]}"; do
  case "$s" in
    a) j=$(load sigstop-cloud 3 "$F" "$H" "kill -STOP $(cat "$TMP/c2.pid")" "kill -CONT $(cat "$TMP/c2.pid")")
       row "(a) cloud c2 SIGSTOP" "3 x" "$j" "0 errors" "$(met "(( $(jnum errors <<<"$j") == 0 ))")" ;;
    b) j=$(load rtt300-loss5 1 "$F" "$H" "echo 300 >$TMP/rtt; $EDGE_IPT -A INPUT -i eth0 -m statistic --mode random \
         --probability 0.05 -j DROP; $EDGE_IPT -A OUTPUT -o eth0 -m statistic --mode random --probability 0.05 -j DROP" \
         "echo 0 >$TMP/rtt; $EDGE_IPT -F")
       row "(b) WAN +300 ms RTT, 5 % loss" "1 x" "$j" "0 errors" "$(met "(( $(jnum errors <<<"$j") == 0 ))")" ;;
    c) j=$(load hazelcast-cut 1 "$F" "$H" "$EDGE_IPT -A INPUT -p tcp --dport 5701 -j DROP; $EDGE_IPT -A INPUT -p tcp \
         --sport 5701 -j DROP" "$EDGE_IPT -F")
       row "(c) Hazelcast cut, HTTP up" "1 x" "$j" "0 errors" "$(met "(( $(jnum errors <<<"$j") == 0 ))")" ;;
    # Only packets leaving eth0 (to the clouds): the load generator reaches the edge's own port 8000 over loopback in
    # the same namespace, and a rule without -o cut that too (requests then waited in TCP retransmission for the heal).
    d) j=$(load http-cut 1 "$F" "$H" "$EDGE_IPT -A OUTPUT -o eth0 -p tcp --dport 8000 -j DROP" "$EDGE_IPT -F")
       row "(d) HTTP cut, Hazelcast up" "1 x" "$j" "0 errors" "$(met "(( $(jnum errors <<<"$j") == 0 ))")" ;;
    e) j=$(load rolling-restart 1 "$F" "$(( SECS * 1000 - 1 ))" "bash $TMP/roll.sh" "")
       row "(e) rolling restart of the clouds" "1 x" "$j" "0 errors" "$(met "(( $(jnum errors <<<"$j") == 0 ))")" ;;
    f) edge=$(cat "$TMP/edge.pid")
       j=$(load sigterm-edge 1 "$F" "$(( SECS * 1000 - 1 ))" "kill -TERM $edge" "")
       code=0; wait "$edge" || code=$?
       row "(f) edge SIGTERM (exit $code)" "1 x" "$j" "0 cut, exit 0" \
         "$(met "(( $(jnum cut <<<"$j") == 0 && code == 0 ))")"
       start_node edge; await_ready edge; await_clouds ;;
    g) secure_switch && scenario_g ;;
    *) echo "faults: unknown scenario $s" >&2 ;;
  esac
done
echo "faults: raw lines in $RAW"
if [[ -f "$TMP/rows" ]] && grep -q '| NO |$' "$TMP/rows"; then
  echo "faults: an expected outcome was not met" >&2
  FAILED=1
fi

# ---- soak (bench/faults-secure.sh): 0.7 x for SOAK minutes with key and certificate reloads every minute.
if (( SOAK > 0 )) && secure_switch; then soak_run; fi
exit "${FAILED:-0}"
