# Sourced by the bench scripts: where the build lives and how to start a bench tool.
# COEDGE_BUILD_DIR  build output folder (default target; parallel work trees use e.g. target-bench)
# MVN               Maven command (default ./mvnw); MVN_FLAGS e.g. -o for offline

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${COEDGE_BUILD_DIR:-target}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
MVN="${MVN:-$ROOT/mvnw}"
JAR="$BUILD/coedge.jar"
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

# Waits until URL answers 200, polling every 20 ms, at most $2 seconds. Prints nothing; status 1 on timeout.
wait_http_200() {
  local url="$1" limit_ms=$(( ${2:-60} * 1000 )) start now
  start=$(date +%s%3N)
  while :; do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" == 200 ]] && return 0
    now=$(date +%s%3N)
    (( now - start > limit_ms )) && return 1
    sleep 0.02
  done
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
