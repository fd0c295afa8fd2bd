# Sourced by the bench scripts: where the build lives and how to start a bench tool.
# COEDGE_BUILD_DIR  build output folder (default target; parallel work trees use e.g. target-bench)
# MVN               Maven command (default ./mvnw); MVN_FLAGS e.g. -o for offline

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${COEDGE_BUILD_DIR:-target}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
MVN="${MVN:-$ROOT/mvnw}"
JAR="${BENCH_JAR:-$BUILD/coedge.jar}" # BENCH_JAR: another build of the gateway (before/after runs)
CP_FILE="$BUILD/bench-classpath.txt"

# Builds the jar and the test classes (the bench tools live in test scope) unless both exist
# (BENCH_REBUILD=1 forces it), then sets BENCH_JAVA, the command line that starts a bench tool.
bench_build() {
  if [[ ! -f "$JAR" || ! -d "$BUILD/test-classes/io/coedge/bench" || ! -f "$CP_FILE" || "${BENCH_REBUILD:-0}" == 1 ]]; then
    echo "bench: building into $BUILD" >&2
    (cd "$ROOT" && "$MVN" -q ${MVN_FLAGS:-} -Dcoedge.buildDir="$BUILD" -DskipTests package \
       && "$MVN" -q ${MVN_FLAGS:-} -Dcoedge.buildDir="$BUILD" dependency:build-classpath \
            -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") >&2
  fi
  # A small heap: the tools share the cores and the memory with the server under test.
  BENCH_JAVA=(java -Xms256m -Xmx768m -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$CP_FILE")")
}

# bench_java CLASS ARGS...: runs a bench tool in its own JVM, after bench_build.
# To run one in the background with its real PID in $!, use: "${BENCH_JAVA[@]}" io.coedge.bench.CLASS ARGS &
bench_java() {
  local cls="$1"; shift
  "${BENCH_JAVA[@]}" "io.coedge.bench.$cls" "$@"
}

# wait_http_200 URL [SECONDS [CURL_OPTION...]]: waits until URL answers 200, polling every 20 ms, at most SECONDS
# (60). Prints nothing; status 1 on timeout. For https, pass e.g. --cacert CA_FILE.
wait_http_200() {
  local url="$1" limit_ms=$(( ${2:-60} * 1000 )) start now
  shift; (( $# )) && shift
  start=$(date +%s%3N)
  while :; do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" 2>/dev/null)" == 200 ]] && return 0
    now=$(date +%s%3N)
    (( now - start > limit_ms )) && return 1
    sleep 0.02
  done
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---- Helpers for the scripts that run measurements (run.sh, security.sh). They expect the caller to set:
# RAW (the raw JSON-lines file), TMP (a temp folder; warnings go to $TMP/notes), PIDS (array of processes to stop),
# PORT (the gateway's port), STEP and WARM (FindMaxRate step and warm-up seconds), LOW_RATE (req/s of low_load).

# Stops one process we started: TERM, up to 10 s for the gateway's ordered shutdown, then KILL.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
# Stops every process in PIDS and removes TMP: the scripts' EXIT trap (trap cleanup EXIT).
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$TMP"
}
log() { echo "[$(date +%T)] $*" >&2; }

# jnum KEY: the number after "KEY": in the JSON line on stdin (our tools print flat lines).
jnum() { sed -n "s/.*\"$1\":\(-\{0,1\}[0-9.eE+-]*\).*/\1/p" | head -1; }
# jstr KEY: the string value of "KEY" in the JSON line on stdin (no escaped quotes inside).
jstr() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1; }

# Tags each JSON line from a tool with a label and appends it to the raw file; passes lines through.
record() { sed -u "s/^{/{\"label\":\"$1\",/" | tee -a "$RAW"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Cores busy on the whole machine over 2 s (from /proc/stat).
machine_busy_cores() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  awk -v n="$(nproc)" -v u="$(( (b[1]+b[2]+b[3]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[6]+a[7]+a[8]) ))" \
      -v t="$(( (b[1]+b[2]+b[3]+b[4]+b[5]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]+a[8]) ))" \
      'BEGIN { printf "%.2f", (t > 0 ? n * u / t : 0) }'
}

# Other people's work on the machine skews everything: wait (bounded) until it is quiet, else say so.
wait_quiet() {
  local deadline=$(( $(date +%s) + ${BENCH_QUIET_WAIT:-120} )) busy
  while :; do
    busy="$(machine_busy_cores)"
    awk -v b="$busy" 'BEGIN { exit !(b < 0.3) }' && return 0
    if (( $(date +%s) > deadline )); then
      log "WARNING: $busy cores busy with other work before '$1'; measuring anyway"
      echo "- WARNING: $busy cores were busy with other processes just before $1." >> "$TMP/notes"
      return 0
    fi
    log "waiting for the machine to go quiet ($busy cores busy) before $1"
    sleep 5
  done
}

# serve NAME MODELS_DIR [VAR=value...]: starts a gateway with extra environment; sets SERVED_PID, SERVED_READY_MS.
serve() {
  local name="$1" dir="$2" line; shift 2
  line="$(env "$@" "$ROOT/bench/serve.sh" "$PORT" "$dir")"
  SERVED_PID="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line")"
  SERVED_READY_MS="$(sed -n 's/.*ready_ms=\([0-9]*\).*/\1/p' <<<"$line")"
  SERVED_BOOT_MS="$(sed -n 's/.*boot_ms=\([0-9?]*\).*/\1/p' <<<"$line")"
  PIDS+=("$SERVED_PID")
  log "gateway '$name' pid $SERVED_PID ready in $SERVED_READY_MS ms (own count $SERVED_BOOT_MS ms)"
}

# warm_up PID URL BODY [URL BODY]...: before a server's first measured run, BENCH_WARMUP_SECONDS (10) of closed-loop
# load at 8 connections on each body it will serve; nothing recorded. A fresh JVM's first seconds measure its JIT.
warm_up() {
  local pid="$1" secs="${BENCH_WARMUP_SECONDS:-10}"; shift
  while (( $# >= 2 )); do
    log "warm-up: $2 on $1, $secs s at 8 connections (not recorded)"
    bench_java ClosedLoop --url "$1" --body "$2" --connections 8 --duration "$secs" --warmup 0 --server-pid "$pid" \
      >/dev/null
    shift 2
  done
}

# jvm_uptime PID: seconds since that JVM started, as it counts them itself (jcmd VM.uptime): the clock of the uptime
# decoration on -Xlog lines ("[12.345s]"), to cut a window out of a GC log.
jvm_uptime() {
  jcmd "$1" VM.uptime | awk 'NR == 2 { print $1 }'
}

# find_max LABEL URL BODY START PID [OPTION...]: runs FindMaxRate (extra tool options last); prints its summary line.
find_max() {
  wait_quiet "$1"
  log "FindMaxRate $1 from $4 req/s"
  bench_java FindMaxRate --url "$2" --body "$3" --start "$4" --server-pid "$5" --duration "$STEP" --warmup "$WARM" \
    "${@:6}" | record "$1" | grep '"summary"'
}

# low_load LABEL URL BODY PID [OPTION...]: LOW_RATE req/s for 20 s after a JIT warm-up of both JVMs at 500 req/s;
# one line.
low_load() {
  wait_quiet "$1"
  log "LoadGen $1 at $LOW_RATE req/s"
  bench_java LoadGen --url "$2" --body "$3" --rate "$LOW_RATE" --duration 20 --warmup 2 --prewarm 6 \
    --prewarm-rate 500 --server-pid "$4" "${@:5}" | record "$1"
}

