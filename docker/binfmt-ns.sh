#!/usr/bin/env bash
# Runs a command where ARM64 programs run under qemu, without changing the host: a new user namespace with an
# identity uid/gid map (0..65535, written by this script as real root: no /etc/subuid needed), a private mount
# namespace holding a private binfmt_misc instance (Linux >= 6.7) where a static qemu-aarch64 is registered with
# flag F (opened once, so it works inside any chroot or container), and, unless NET=0, a private network namespace
# (only lo). The host's /proc/sys/fs/binfmt_misc is never mounted or written.
#
#   docker/binfmt-ns.sh CMD [ARG...]       e.g. docker/binfmt-ns.sh podman run --rm --arch arm64 IMAGE uname -m
#
# Podman works inside it as root on the host's storage. With the private netns, containers on --network host see
# that netns only, so clients (curl) must run inside too; bridge networks (compose) are made in there as well and
# leave no firewall rules on the host. NET=0 keeps the host's network (apt in a chroot needs it), but then
# `podman run --network host` fails (sysfs may only be mounted by the owner of the network namespace).
#
# QEMU names a static qemu-aarch64; else qemu-aarch64-static from PATH; else Debian's qemu-user-static package is
# downloaded and unpacked (not installed: its scripts would register qemu on the host) into QEMU_DIR (default
# /var/cache/coedge/qemu). A dynamically linked qemu does not work here: inside an ARM64 root there is no x86-64
# loader for it. Needs root.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "binfmt-ns.sh: run as root (it writes the namespace's uid map)" >&2; exit 1; }
if [ -z "${QEMU:-}" ]; then
  QEMU=$(command -v qemu-aarch64-static || true)
fi
if [ -z "$QEMU" ]; then
  dir=${QEMU_DIR:-/var/cache/coedge/qemu}
  QEMU=$dir/usr/bin/qemu-aarch64-static
  if [ ! -x "$QEMU" ]; then
    mkdir -p "$dir"
    (cd "$dir" && rm -f qemu-user-static_*.deb && { apt-get download qemu-user-static >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get download qemu-user-static >/dev/null; }; })
    dpkg-deb -x "$dir"/qemu-user-static_*.deb "$dir"
    rm -f "$dir"/qemu-user-static_*.deb
  fi
fi
[ -x "$QEMU" ] || { echo "binfmt-ns.sh: $QEMU is not an executable static qemu-aarch64" >&2; exit 1; }
netns=--net
[ "${NET:-1}" = 0 ] && netns=
fifo=$(mktemp -u /tmp/binfmt-ns.XXXXXX)
mkfifo "$fifo"
# shellcheck disable=SC2016
unshare --user --mount $netns --propagation private -- /bin/bash -c '
  set -e
  read -r _ < "$1"; rm -f "$1"
  ip link set lo up 2>/dev/null || true
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  printf "%s" ":qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:$2:F" \
    > /proc/sys/fs/binfmt_misc/register
  shift 2
  exec "$@"' binfmt-ns "$fifo" "$QEMU" "$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$fifo"' EXIT
# Wait until the child is in its new user namespace, then map root to root and let it go on.
for _ in $(seq 1 500); do
  [ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
  sleep 0.01
done
echo "0 0 65536" > "/proc/$pid/uid_map"
echo "0 0 65536" > "/proc/$pid/gid_map"
echo go > "$fifo"
status=0
wait "$pid" || status=$?
trap - EXIT
rm -f "$fifo"
exit "$status"
