#!/usr/bin/env bash
# Builds the Coedge image with podman, runs it, and checks it as a user would: ready over HTTP, an inference,
# the image's own HEALTHCHECK, a non-root process, a clean stop. Prints the image size, the time from
# `podman run` to ready and the idle RSS. Exit 0 = every check passed.
#
#   docker/test-image.sh            # from the repository root or anywhere; builds the jar if it is missing
#
# Bases: JDK= and BASE= (build arguments of docker/Dockerfile). Unset, the script uses localhost/coedge-jdk:17 and
# localhost/coedge-base:12 when docker/make-base.sh has made them, else the Dockerfile's public defaults.
# Runs podman with its own containers.conf (runc when installed, open-file limits within this shell's): hosts with
# a hybrid cgroup layout or without CAP_SYS_RESOURCE then work too. Nothing outside podman's storage is changed.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-localhost/coedge:test}
NAME=coedge-test-$$
ms() { date +%s%3N; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# Without systemd podman cannot schedule health-check timers and says so; the check is run by hand below.
quiet() { grep -v 'systemd connection' >&2 || true; }
command -v podman >/dev/null || fail "podman is not installed (Debian: apt-get install podman runc)"
command -v curl >/dev/null || fail "curl is not installed (the checks run from the host)"

conf=$(mktemp -d)
trap 'podman rm -f "$NAME" >/dev/null 2>&1 || true; rm -rf "$conf"' EXIT
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=65536
{
  echo '[containers]'
  echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=4096:4096\"]"
  echo '[engine]'
  if command -v runc >/dev/null; then echo 'runtime = "runc"'; fi
  echo 'events_logger = "file"'
} > "$conf/containers.conf"
export CONTAINERS_CONF=$conf/containers.conf

if [ ! -f target/coedge.jar ]; then
  ./mvnw -q -DskipTests package
fi
args=()
if [ -z "${JDK:-}" ] && podman image exists localhost/coedge-jdk:17; then JDK=localhost/coedge-jdk:17; fi
if [ -z "${BASE:-}" ] && podman image exists localhost/coedge-base:12; then BASE=localhost/coedge-base:12; fi
[ -n "${JDK:-}" ] && args+=(--build-arg "JDK=$JDK")
[ -n "${BASE:-}" ] && args+=(--build-arg "BASE=$BASE")

t0=$(ms)
podman build ${QUIET---quiet} --format docker "${args[@]}" -f docker/Dockerfile -t "$IMAGE" . >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "built $IMAGE in $(( ($(ms) - t0) / 1000 )) s: $(( size / 1000000 )) MB ($(podman image inspect --format '{{.Architecture}}' "$IMAGE"))"
[ "$size" -lt 200000000 ] || fail "image is $(( size / 1000000 )) MB, over 200 MB"

# Host network with free ports: no bridge, no firewall rules; HTTP on loopback only.
free() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free); cport=$(free)
t0=$(ms)
podman run -d --name "$NAME" --network host -e COEDGE_HTTP_HOST=127.0.0.1 -e COEDGE_HTTP_PORT="$port" \
  -e COEDGE_CLUSTER_PORT="$cport" -e COEDGE_NODE_ID=image-test "$IMAGE" 2> >(quiet) >/dev/null
ready=""
for _ in $(seq 1 600); do
  if curl -sf -m 2 "http://127.0.0.1:$port/v2/health/ready" >/dev/null; then ready=$(( $(ms) - t0 )); break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] || break
  sleep 0.1
done
[ -n "$ready" ] || { podman logs "$NAME" | tail -20; fail "not ready (container log above)"; }
echo "ready ${ready} ms after podman run"

body='{"inputs":[{"name":"features","shape":[1,8],"datatype":"FP32","data":[1,300,310,1500,40,100,2.5,9.0]}]}'
input=$(curl -sf "http://127.0.0.1:$port/v2/models/sensor-anomaly" | python3 -c \
  'import json,sys; i = json.load(sys.stdin)["inputs"][0]; print(i["name"])')
answer=$(curl -sf -H 'content-type: application/json' -d "${body/features/$input}" \
  "http://127.0.0.1:$port/v2/models/sensor-anomaly/infer") || fail "inference failed"
echo "$answer" | grep -q '"model_name":"sensor-anomaly"' || fail "unexpected answer: $answer"
echo "inference: ${answer:0:120}"

podman healthcheck run "$NAME" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
echo "HEALTHCHECK: healthy"
uid=$(podman exec "$NAME" bash -c 'read -r _ real _ < <(grep ^Uid: /proc/1/status); echo $real')
[ "$uid" != 0 ] || fail "the server runs as root"
echo "server process uid: $uid"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/dashboard")" = 200 ] || fail "no /dashboard"

# Idle: nothing sent for a few seconds after the checks.
sleep 5
rss=$(podman exec "$NAME" bash -c 'grep ^VmRSS: /proc/1/status')
echo "idle RSS: ${rss#VmRSS:}"

t0=$(ms)
podman stop -t 30 "$NAME" 2> >(quiet) >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
echo "stopped in $(( $(ms) - t0 )) ms, exit code $code"
case "$code" in 0|143) ;; *) podman logs "$NAME" | tail -20; fail "exit code $code on stop" ;; esac
echo "ALL IMAGE CHECKS PASSED"
