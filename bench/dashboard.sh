#!/usr/bin/env bash
# What the live dashboard costs the node it polls: one gateway (shipped models, no traffic), and its CPU time
# (utime + stime from /proc/PID/stat) over fixed windows with 0 and with BROWSERS headless Chromium instances
# open on /dashboard (each polls five endpoints every 2 s, the page's default), alternating, REPEATS times, in one
# run. Also the bytes the node wrote per second in each window (/proc/PID/io wchar: the responses), which shows
# the browsers really polled. Browsers are started after each idle window and left to load and settle before
# their window (from when every browser holds a connection to the node); one round with browsers before the first window warms the JIT.
#
#   bench/dashboard.sh        # ~7 min with the defaults; bench/out/dashboard-STAMP.md + dashboard-raw-STAMP.txt
#
# Knobs: BENCH_PORT (default a free port), BROWSERS (5), REPEATS (5), WINDOW_S (30), SETTLE_S (10),
# COEDGE_CLUSTER_ENABLED (false: other people's cluster tests on this machine cannot join), BENCH_JAR.
# Needs chromium (Debian: apt-get install chromium). Every process it starts is stopped by PID at the end.
set -euo pipefail
source "$(dirname "$0")/common.sh"
command -v chromium >/dev/null || { echo "dashboard.sh: needs chromium (apt-get install chromium)" >&2; exit 1; }
[[ -f "$JAR" ]] || (cd "$ROOT" && "$MVN" -q ${MVN_FLAGS:-} -DskipTests package)

PORT="${BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BROWSERS="${BROWSERS:-5}" REPEATS="${REPEATS:-5}" WINDOW_S="${WINDOW_S:-30}" SETTLE_S="${SETTLE_S:-10}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/dashboard-raw-$STAMP.txt"
REPORT="$OUT/dashboard-$STAMP.md"
TMP="$(mktemp -d)"
PIDS=()
BROWSER_PIDS=()
trap 'stop_browsers; cleanup' EXIT
mkdir -p "$OUT"
TICK=$(getconf CLK_TCK)

log "gateway on 127.0.0.1:$PORT (cluster.enabled=${COEDGE_CLUSTER_ENABLED:-false})"
COEDGE_CLUSTER_ENABLED="${COEDGE_CLUSTER_ENABLED:-false}" nohup java -XX:+UseSerialGC -jar "$JAR" --port "$PORT" \
  --models "$ROOT/models" >"$TMP/gateway.log" 2>&1 </dev/null &
GW=$!
PIDS+=("$GW")
wait_http_200 "http://127.0.0.1:$PORT/v2/health/ready" 120 || { tail -5 "$TMP/gateway.log" >&2; exit 1; }
# One poll of the page (dashboard.js: five requests, compressed as a browser asks for them): its bytes turn the
# bytes written per second into polls per second.
POLL_BYTES=0
for path in v2/cluster/nodes v2/cluster/versions v2/models/stats dashboard/routing metrics; do
  POLL_BYTES=$(( POLL_BYTES + $(curl -s --compressed -o /dev/null -w '%{size_header}+%{size_download}' \
    "http://127.0.0.1:$PORT/$path") ))
done
log "one poll of the dashboard: $POLL_BYTES bytes written by the gateway"
echo "poll_bytes=$POLL_BYTES" >> "$RAW"

start_browsers() {
  local i
  for i in $(seq 1 "$BROWSERS"); do
    # Each its own profile; no sandbox (root); nothing but the page: no GPU, extensions, sync or background timers
    # that would slow the page's own polling down.
    chromium --headless=new --no-sandbox --disable-gpu --disable-extensions --disable-background-networking \
      --disable-background-timer-throttling --disable-renderer-backgrounding --no-first-run \
      --user-data-dir="$TMP/profile-$i" --remote-debugging-port=0 "http://127.0.0.1:$PORT/dashboard" \
      >"$TMP/browser-$i.log" 2>&1 </dev/null &
    BROWSER_PIDS+=($!)
  done
}
# Waits (at most 120 s: Chromium starts slowly on a busy machine) until BROWSERS processes hold connections to the
# gateway, so that each window measures browsers that are polling, not starting.
wait_browsers() {
  local deadline=$(( $(date +%s) + 120 )) n
  while :; do
    n=$(ss -Htnp state established "( dport = :$PORT )" | { grep -o "pid=[0-9]*" || true; } | sort -u | wc -l)
    (( n >= BROWSERS )) && return 0
    (( $(date +%s) > deadline )) && { log "only $n of $BROWSERS browsers connected after 120 s"; return 1; }
    sleep 0.5
  done
}
stop_browsers() {
  local p
  for p in "${BROWSER_PIDS[@]}"; do stop_pid "$p"; done
  BROWSER_PIDS=()
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$GW/stat"; }
written() { awk '/^wchar:/ { print $2 }' "/proc/$GW/io"; }
# window LABEL: the gateway's CPU (ms per s = thousandths of a core) and bytes written per second over WINDOW_S,
# with the machine's busy cores at the start for context; one line to the raw file.
window() {
  local c0 w0 c1 w1 busy cpu bps
  busy="$(machine_busy_cores)"
  c0=$(cpu_ticks); w0=$(written)
  sleep "$WINDOW_S"
  c1=$(cpu_ticks); w1=$(written)
  cpu=$(awk -v d=$(( c1 - c0 )) -v t="$TICK" -v w="$WINDOW_S" 'BEGIN { printf "%.1f", d * 1000 / t / w }')
  bps=$(( (w1 - w0) / WINDOW_S ))
  echo "$1 cpu_ms_per_s=$cpu bytes_written_per_s=$bps machine_busy_cores=$busy" | tee -a "$RAW" >&2
}

log "warm-up: $BROWSERS browsers for $(( SETTLE_S + WINDOW_S )) s (not counted)"
start_browsers
wait_browsers
sleep $(( SETTLE_S + WINDOW_S ))
stop_browsers
sleep 2
for r in $(seq 1 "$REPEATS"); do
  window "repeat=$r browsers=0"
  start_browsers
  wait_browsers
  sleep "$SETTLE_S"
  window "repeat=$r browsers=$BROWSERS"
  stop_browsers
  sleep 2
done

# Per repeat, the difference with browsers minus without; the median of each column over the repeats.
summary=$(awk -v n="$BROWSERS" '
  !/^repeat=/ { next }
  { split($2, b, "="); split($3, c, "="); split($4, w, "="); r = substr($1, 8)
    if (b[2] == 0) { idle[r] = c[2]; idlew[r] = w[2] } else { busy[r] = c[2]; busyw[r] = w[2] } }
  function median(a, k, i, j, t, m) { m = 0; for (i in a) v[++m] = a[i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    k = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2; delete v; return k }
  END { for (r in idle) d[r] = busy[r] - idle[r]
    printf "%.1f %.1f %.1f %.0f %.0f", median(idle), median(busy), median(d), median(idlew), median(busyw) }' "$RAW")
read -r idle busy diff idlew busyw <<<"$summary"
{
  echo "### Dashboard cost, run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
  echo
  echo "Gateway CPU over ${WINDOW_S}-s windows, $REPEATS repeats alternating 0 / $BROWSERS headless Chromium on"
  echo "/dashboard (poll every 2 s), cluster.enabled=${COEDGE_CLUSTER_ENABLED:-false}, no inference traffic. Medians:"
  echo
  echo "| browsers | gateway CPU (ms per s = thousandths of a core) | bytes written by the gateway per s |"
  echo "|---|---|---|"
  echo "| 0 | $idle | $idlew |"
  echo "| $BROWSERS | $busy | $busyw |"
  echo "| difference (median of per-repeat differences) | $diff | |"
  echo
  polls=$(awk -v b="$busyw" -v p="$POLL_BYTES" 'BEGIN { printf "%.2f", b / p }')
  echo "One poll (five requests) is $POLL_BYTES bytes, so the browsers made about $polls polls per second together"
  echo "($(awk -v n="$BROWSERS" 'BEGIN { printf "%.1f", n / 2 }') if each kept its 2-s period): about" \
    "$(awk -v d="$diff" -v p="$polls" 'BEGIN { printf "%.1f", (p > 0 ? d / p : 0) }') ms of gateway CPU per poll."
  echo
  echo "Raw windows (machine_busy_cores: the whole machine, measured over 2 s just before each window):"
  echo
  sed 's/^/    /' "$RAW"
} > "$REPORT"
cat "$REPORT"
