#!/usr/bin/env bash
# Builds an aarch64 (ARM64) Java 17 runtime that runs on an x86-64 Debian 12 machine under
# qemu user-mode emulation (no Docker, no host binfmt_misc). Afterwards run-java.sh beside
# this file runs any java command line as an ARM64 process, e.g. the project's fat jar:
#
#   bash scripts/arm64/make-root.sh          # once per machine, ~1 min, idempotent
#   scripts/arm64/run-java.sh -jar target/coedge.jar --port 18080 &
#
#   FORCE=1 bash make-root.sh     rebuild the root from scratch
#   ARM64_ROOT=DIR                put the root elsewhere (default /opt/arm64-root)
#
# Writes only: apt's own places (qemu-user), the root, /tmp/arm64-apt, /tmp/arm64-debs.
# Exit 0 = the emulated JVM runs and reports aarch64. Needs root (apt-get).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${ARM64_ROOT:-/opt/arm64-root}
APTDIR=/tmp/arm64-apt
DEBS=/tmp/arm64-debs
WORK=/tmp/arm64-check
ARM_PACKAGES="openjdk-17-jre-headless coreutils"
RUN_JAVA=$HERE/run-java.sh
APT_INSTALL=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends)

mkdir -p "$WORK"
SUMMARY=$WORK/summary.txt
: > "$SUMMARY"
FAILED=0
log() { printf '\n=== %s\n' "$*"; }
note() { echo "$*" | tee -a "$SUMMARY"; }
fail() { note "FAIL: $*"; FAILED=1; }
now_ms() { date +%s%3N; }

apt_update() { # apt-get update, retried: another session may hold the lists lock
  local i
  for i in 1 2 3 4 5 6; do
    if apt-get -o DPkg::Lock::Timeout=600 "$@" update -qq; then return 0; fi
    echo "apt-get update failed (try $i), retrying in 10 s" >&2
    sleep 10
  done
  return 1
}

# ---------------------------------------------------------------- 1. qemu-user
log "1. qemu-user"
HOST_UPDATED=0
if ! command -v qemu-aarch64 >/dev/null; then
  apt_update
  HOST_UPDATED=1
  # --no-install-recommends: skip qemu-user-binfmt, which only matters with binfmt_misc
  "${APT_INSTALL[@]}" qemu-user
fi
qemu-aarch64 --version | head -1

# ---------------------------------------------------- 2. aarch64 root with a JRE
log "2. aarch64 root at $ROOT"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$DEBS"
: > "$APTDIR/status"   # empty dpkg status: resolve as if nothing were installed
cat > "$APTDIR/apt.conf" <<EOF
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Install-Recommends "false";
Dir::State::Lists "$APTDIR/lists";
Dir::State::status "$APTDIR/status";
Dir::State::extended_states "$APTDIR/extended_states";
Dir::Cache "$APTDIR/cache";
Dir::Cache::archives "$APTDIR/cache/archives";
EOF
export_apt() { APT_CONFIG=$APTDIR/apt.conf "$@"; }
export_apt apt_update
# shellcheck disable=SC2086
PKGS=$(export_apt apt-get -s install $ARM_PACKAGES | awk '/^Inst /{print $2}' | sort)
echo "$(echo "$PKGS" | wc -l) arm64 packages: $(echo $PKGS)"
(cd "$DEBS" && export_apt apt-get download $PKGS 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
STAMP=$(cd "$DEBS" && for p in $PKGS; do ls "${p}"_*_arm64.deb "${p}"_*_all.deb 2>/dev/null | sort -V | tail -1; done || true)
if [[ $(echo "$STAMP" | grep -c .) != $(echo "$PKGS" | grep -c .) ]]; then
  echo "some arm64 .deb files are missing from $DEBS (apt-get download failed?)" >&2
  exit 1
fi
if [[ "${FORCE:-0}" == 1 || ! -x "$ROOT/usr/lib/jvm/java-17-openjdk-arm64/bin/java" \
      || "$(cat "$ROOT/.arm64-root-debs" 2>/dev/null)" != "$STAMP" ]]; then
  rm -rf "$ROOT"
  mkdir -p "$ROOT"
  for deb in $STAMP; do dpkg-deb -x "$DEBS/$deb" "$ROOT"; done
  # Absolute symlinks (jvm.cfg -> /etc/java-17-openjdk/...) would resolve on the host;
  # make them relative so they stay inside the root.
  find "$ROOT" -type l -lname '/*' -print0 | while IFS= read -r -d '' l; do
    ln -sfn "$(realpath -m -s --relative-to="$(dirname "$l")" "$ROOT$(readlink "$l")")" "$l"
  done
  echo "$STAMP" > "$ROOT/.arm64-root-debs"
  echo "extracted $(echo "$STAMP" | wc -l) packages, $(du -sh "$ROOT" | cut -f1)"
else
  echo "root is up to date ($(du -sh "$ROOT" | cut -f1))"
fi

# ------------------------------------------------------------ 3. java -version
log "3. emulated java -version"
t0=$(now_ms)
if "$RUN_JAVA" -version 2>&1 | tee "$WORK/java-version.txt"; then
  note "java -version (emulated): $(( $(now_ms) - t0 )) ms, $(head -1 "$WORK/java-version.txt")"
else
  fail "emulated java -version"
fi
UNAME=$(qemu-aarch64 -L "$ROOT" "$ROOT/bin/uname" -m)
note "uname -m under qemu-aarch64: $UNAME"
[[ "$UNAME" == aarch64 ]] || fail "uname -m under emulation gave $UNAME"


log "summary"
cat "$SUMMARY"
if [[ $FAILED == 0 ]]; then
  echo "ARM64 ROOT READY: $ROOT"
else
  echo "ARM64 ROOT: SOME CHECKS FAILED"
fi
exit $FAILED
