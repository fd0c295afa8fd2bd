#!/usr/bin/env bash
# Builds the Coedge image with podman, runs it, and checks it as a user would: ready over HTTP, an inference,
# the image's own HEALTHCHECK, a non-root process, a clean stop. Prints the image size, the time from
# `podman run` to ready and the idle RSS. Exit 0 = every check passed.
#
#   docker/test-image.sh                 # this machine's architecture; builds the jar if it is missing
#   docker/test-image.sh --arch arm64    # an ARM64 image on an x86-64 machine, built and run under qemu
#
# Another architecture runs entirely inside docker/binfmt-ns.sh (a private binfmt_misc instance and network
# namespace in a user namespace: the host is not changed; Linux >= 6.7, root): the jlink stage and the server run
# emulated, so everything is several times slower than native and the RSS includes qemu's own memory.
#
# Bases: JDK= and BASE= (build arguments of docker/Dockerfile). Unset, the script uses localhost/coedge-jdk:17-ARCH
# and localhost/coedge-base:12-ARCH when docker/make-base.sh has made them (for this machine's architecture also
# the unsuffixed tags), else the Dockerfile's public defaults. IMAGE defaults to localhost/coedge:test (this
# machine's architecture) or localhost/coedge:test-ARCH; READY_TIMEOUT_S (default 120, emulated 900) bounds the wait;
# MAX_MB (default 200) is the size goal, checked last.
# Runs podman with its own containers.conf (runc when installed, open-file limits within this shell's): hosts with
# a hybrid cgroup layout or without CAP_SYS_RESOURCE then work too. Nothing outside podman's storage is changed.
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(dpkg --print-architecture 2>/dev/null || uname -m)
arch=$host
case "${1:-}" in
  --arch) arch=${2:?--arch needs amd64 or arm64} ;;
  "") ;;
  *) echo "usage: docker/test-image.sh [--arch amd64|arm64]" >&2; exit 2 ;;
esac
emulated=0
[ "$arch" = "$host" ] || emulated=1
if [ "$emulated" = 1 ] && [ -z "${COEDGE_IN_BINFMT_NS:-}" ]; then
  [ -f target/coedge.jar ] || ./mvnw -q -DskipTests package   # needs the network: before the private netns
  COEDGE_IN_BINFMT_NS=1 exec docker/binfmt-ns.sh "$0" "$@"
fi
if [ "$emulated" = 1 ]; then IMAGE=${IMAGE:-localhost/coedge:test-$arch}; else IMAGE=${IMAGE:-localhost/coedge:test}; fi
READY_TIMEOUT_S=${READY_TIMEOUT_S:-$(( emulated ? 900 : 120 ))}
NAME=coedge-test-$$
ms() { date +%s%3N; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# Without systemd podman cannot schedule health-check timers and says so; the check is run by hand below.
# An image of another architecture gets a warning that it does not match this machine's: that is the point here.
quiet() { grep -v -e 'systemd connection' -e 'does not match the expected platform' >&2 || true; }
command -v podman >/dev/null || fail "podman is not installed (Debian: apt-get install podman runc)"
command -v curl >/dev/null || fail "curl is not installed (the checks run from the host)"

conf=$(mktemp -d)
trap 'podman rm -f "$NAME" >/dev/null 2>&1 || true; rm -rf "$conf"' EXIT
source docker/podman-conf.sh
podman_conf "$conf"

if [ ! -f target/coedge.jar ]; then
  ./mvnw -q -DskipTests package
fi
args=(--platform "linux/$arch")
local_base() { # $1 = image name without tag suffix: the ARCH-suffixed one, else (this machine's arch) the plain one
  if podman image exists "$1-$arch"; then echo "$1-$arch"
  elif [ "$emulated" = 0 ] && podman image exists "$1"; then echo "$1"; fi
}
[ -n "${JDK:-}" ] || JDK=$(local_base localhost/coedge-jdk:17)
[ -n "${BASE:-}" ] || BASE=$(local_base localhost/coedge-base:12)
[ -n "${JDK:-}" ] && args+=(--build-arg "JDK=$JDK")
[ -n "${BASE:-}" ] && args+=(--build-arg "BASE=$BASE")

t0=$(ms)
podman build ${QUIET---quiet} --format docker "${args[@]}" -f docker/Dockerfile -t "$IMAGE" . 2> >(quiet) >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
built=$(podman image inspect --format '{{.Architecture}}' "$IMAGE")
echo "built $IMAGE in $(( ($(ms) - t0) / 1000 )) s: $(( size / 1000000 )) MB ($built)"
[ "$built" = "$arch" ] || fail "the image is $built, not $arch"

# Host network with free ports: no bridge, no firewall rules; HTTP on loopback only.
free() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free); cport=$(free)
t0=$(ms)
podman run -d --name "$NAME" --network host -e COEDGE_HTTP_HOST=127.0.0.1 -e COEDGE_HTTP_PORT="$port" \
  -e COEDGE_CLUSTER_PORT="$cport" -e COEDGE_NODE_ID=image-test "$IMAGE" 2> >(quiet) >/dev/null
ready=""
while [ $(( $(ms) - t0 )) -lt $(( READY_TIMEOUT_S * 1000 )) ]; do
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

if [ "$emulated" = 0 ]; then
  podman healthcheck run "$NAME" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
else
  # Under emulation bash alone takes seconds to start, and podman 4.3 keeps the image's 3-s timeout whatever
  # `run --health-timeout` says: the image's own check command, run in the container, bounded by 60 s instead.
  mapfile -t check < <(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE" \
    | python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin)[1:]))')
  timeout 60 podman exec "$NAME" "${check[@]}" || fail "the image's HEALTHCHECK command reports unhealthy"
fi
echo "HEALTHCHECK: healthy$([ "$emulated" = 1 ] && echo ' (timeout 60 s under emulation)')"
uid=$(podman exec "$NAME" bash -c 'read -r _ real _ < <(grep ^Uid: /proc/1/status); echo $real')
[ "$uid" != 0 ] || fail "the server runs as root"
echo "server process uid: $uid"
machine=$(podman exec "$NAME" uname -m)
case "$arch:$machine" in amd64:x86_64|arm64:aarch64) ;; *) fail "uname -m in the container says $machine, not $arch" ;; esac
echo "uname -m in the container: $machine$([ "$emulated" = 1 ] && echo ' (emulated by qemu)')"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/dashboard")" = 200 ] || fail "no /dashboard"

# Idle: nothing sent for a few seconds after the checks.
sleep 5
rss=$(podman exec "$NAME" bash -c 'read -r _ kb unit < <(grep ^VmRSS: /proc/1/status); echo "$kb $unit"')
echo "idle RSS: $rss$([ "$emulated" = 1 ] && echo ' (qemu process: includes the emulator and its code cache)')"

t0=$(ms)
podman stop -t $(( emulated ? 120 : 30 )) "$NAME" 2> >(quiet) >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
echo "stopped in $(( $(ms) - t0 )) ms, exit code $code"
case "$code" in 0|143) ;; *) podman logs "$NAME" | tail -20; fail "exit code $code on stop" ;; esac
echo "summary: arch=$arch emulated=$emulated image_mb=$(( size / 1000000 )) run_to_ready_ms=$ready idle_rss_kb=${rss% *}"
# Last, so that an image over the size goal still gets every other check.
[ "$size" -lt $(( ${MAX_MB:-200} * 1000000 )) ] || fail "image is $(( size / 1000000 )) MB, over ${MAX_MB:-200} MB"
echo "ALL IMAGE CHECKS PASSED"
