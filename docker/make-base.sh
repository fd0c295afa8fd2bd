#!/usr/bin/env bash
# Makes the two base images docker/Dockerfile needs, from Debian packages, for machines that cannot pull from a
# registry (needs root, debootstrap and podman):
#   localhost/coedge-base:12-ARCH  Debian 12 minbase, trimmed (the final stage: glibc, libstdc++, zlib, bash)
#   localhost/coedge-jdk:17-ARCH   the same plus openjdk-17-jdk-headless (the jlink stage)
# The machine's own architecture is also tagged without the suffix (localhost/coedge-base:12, coedge-jdk:17).
#
#   docker/make-base.sh [amd64|arm64]   # default this machine's architecture (amd64: ~2 min)
#
# Another architecture (arm64 on an x86-64 machine): debootstrap --foreign, then its second stage and the JDK's
# installation run emulated by qemu through docker/binfmt-ns.sh (a private binfmt_misc instance in a user
# namespace: nothing is registered on the host; Linux >= 6.7). Slow: 70 min on a 2-core machine saturated by other
# work (the same steps with a JRE took ~5 min on it idle); the package scripts of ca-certificates and
# ca-certificates-java take most of it.
#
# Then: podman build --format docker --build-arg JDK=localhost/coedge-jdk:17 --build-arg BASE=localhost/coedge-base:12 \
#         -f docker/Dockerfile -t coedge .          (docker/test-image.sh [--arch arm64] does this and checks the image)
# MIRROR overrides the Debian mirror (default: the first URIs: line of /etc/apt/sources.list.d/debian.sources, else
# deb.debian.org). WORK is where the root file system is made (default /tmp/coedge-rootfs-ARCH, removed after).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
host=$(dpkg --print-architecture)
arch=${1:-$host}
case "$arch" in
  amd64|arm64) ;;
  *) echo "make-base.sh: architecture must be amd64 or arm64, not $arch" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "make-base.sh: run as root (debootstrap and chroot need it)" >&2
  exit 1
fi
for tool in debootstrap podman; do
  command -v "$tool" >/dev/null || { echo "make-base.sh: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mirror=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}
root=${WORK:-/tmp/coedge-rootfs-$arch}
rm -rf "$root"
trap 'rm -rf "$root"' EXIT
t0=$(date +%s)
# Runs a command inside the root: directly for this machine's architecture, else emulated in a private binfmt_misc
# instance (NET=0: the host's network, for apt).
emulate=()
[ "$arch" = "$host" ] || emulate=(env NET=0 "$here/binfmt-ns.sh")
inroot() { "${emulate[@]}" unshare --mount --fork --pid --mount-proc="$root/proc" chroot "$root" sh -c "$1"; }
# Tags ARCH-suffixed, and without the suffix for this machine's own architecture.
import() {
  tar --numeric-owner -C "$root" -c . | podman import -q --arch "$arch" --os linux - "$1-$arch" >/dev/null
  [ "$arch" != "$host" ] || podman tag "$1-$arch" "$1"
  echo "$1-$arch made ($(du -sh "$root" | cut -f1), $(( $(date +%s) - t0 )) s so far)"
}

echo "debootstrap minbase bookworm ($arch) from $mirror"
if [ "$arch" = "$host" ]; then
  debootstrap --variant=minbase --arch "$arch" bookworm "$root" "$mirror" >/dev/null
else
  debootstrap --foreign --variant=minbase --arch "$arch" bookworm "$root" "$mirror" >/dev/null
  # container=lxc: debootstrap skips its mknod test, which a user namespace denies (the first stage, run as real
  # root, made /dev's nodes already).
  "${emulate[@]}" env container=lxc chroot "$root" /debootstrap/debootstrap --second-stage >/dev/null \
    || { tail -20 "$root/debootstrap/debootstrap.log" >&2; exit 1; }
fi
# What a container never uses: package caches and lists, documentation, manuals, translations.
trim() {
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*
}
trim
import localhost/coedge-base:12

cp /etc/resolv.conf "$root/etc/resolv.conf"
inroot 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  openjdk-17-jdk-headless >/dev/null'
: > "$root/etc/resolv.conf"
trim
import localhost/coedge-jdk:17
