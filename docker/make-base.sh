#!/usr/bin/env bash
# Makes the two base images docker/Dockerfile needs, from Debian packages, for machines that cannot pull from a
# registry (needs root, debootstrap and podman; ~2 min on amd64):
#   localhost/coedge-base:12  Debian 12 minbase, trimmed (the final stage: glibc, libstdc++, zlib, bash)
#   localhost/coedge-jdk:17   the same plus openjdk-17-jdk-headless (the jlink stage)
#
#   docker/make-base.sh [amd64]        # this machine's architecture
#
# Then: podman build --format docker --build-arg JDK=localhost/coedge-jdk:17 --build-arg BASE=localhost/coedge-base:12 \
#         -f docker/Dockerfile -t coedge .
# MIRROR overrides the Debian mirror (default: the first URIs: line of /etc/apt/sources.list.d/debian.sources, else
# deb.debian.org). WORK is where the root file system is made (default /tmp/coedge-rootfs-ARCH, removed after).
set -euo pipefail
arch=${1:-$(dpkg --print-architecture)}
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  echo "make-base.sh: only this machine's architecture ($(dpkg --print-architecture)) is supported, not $arch" >&2
  exit 2
fi
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

echo "debootstrap minbase bookworm ($arch) from $mirror"
debootstrap --variant=minbase --arch "$arch" bookworm "$root" "$mirror" >/dev/null
# What a container never uses: package caches and lists, documentation, manuals, translations.
trim() {
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*
}
trim
tar --numeric-owner -C "$root" -c . | podman import --arch "$arch" - localhost/coedge-base:12 >/dev/null
echo "localhost/coedge-base:12 made ($(du -sh "$root" | cut -f1))"

cp /etc/resolv.conf "$root/etc/resolv.conf"
unshare --mount --fork --pid --mount-proc="$root/proc" chroot "$root" sh -c \
  'apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless >/dev/null'
trim
tar --numeric-owner -C "$root" -c . | podman import --arch "$arch" - localhost/coedge-jdk:17 >/dev/null
echo "localhost/coedge-jdk:17 made ($(du -sh "$root" | cut -f1)) in $(( $(date +%s) - t0 )) s"
