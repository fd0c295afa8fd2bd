#!/usr/bin/env bash
# Run any java command line under the emulated arm64 (aarch64) JVM built by make-root.sh.
#
#   scripts/arm64/run-java.sh -version
#   scripts/arm64/run-java.sh -Xmx512m -jar app.jar serve --port 8080
#
# Environment:
#   ARM64_ROOT   the aarch64 root folder (default /opt/arm64-root)
#   ARM_MODE     plain  (default) qemu-aarch64 -L ROOT ROOT/.../java ARGS
#                binfmt also registers qemu-aarch64 in a private binfmt_misc instance
#                       (new user + mount namespace; the host's binfmt_misc is not
#                       touched) so that the JVM can start aarch64 children, e.g.
#                       its own jspawnhelper (ProcessBuilder). Needs Linux >= 6.7.
#   QEMU_CPU     emulated CPU model, read by qemu itself (default max; e.g.
#                cortex-a72 for a Raspberry Pi 4, cortex-a76 for a Pi 5)
#
# The java process keeps this script's PID (exec), so `kill $!` stops it.
# Subprocesses: in plain mode ProcessBuilder fails ("Failed to exec spawn helper")
# unless -Djdk.lang.Process.launchMechanism=VFORK is given, and then the children are
# the host's x86-64 programs. Use ARM_MODE=binfmt if the program starts children.
set -euo pipefail

ROOT=${ARM64_ROOT:-/opt/arm64-root}
JAVA=$ROOT/usr/lib/jvm/java-17-openjdk-arm64/bin/java
QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)

if [[ -z "$QEMU" ]]; then
  echo "run-java.sh: qemu-aarch64 not found; run: bash scripts/arm64/make-root.sh" >&2
  exit 127
fi
if [[ ! -x "$JAVA" ]]; then
  echo "run-java.sh: $JAVA missing; run: bash scripts/arm64/make-root.sh" >&2
  exit 127
fi

case "${ARM_MODE:-plain}" in
  plain)
    exec "$QEMU" -L "$ROOT" "$JAVA" "$@"
    ;;
  binfmt)
    # Magic/mask: ELF64 little-endian, e_machine = 0xb7 (aarch64). Flag F: qemu is
    # opened now, so the registration keeps working whatever the child's root is.
    # shellcheck disable=SC2016
    exec unshare --user --map-root-user --mount -- /bin/bash -c '
      set -e
      mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
      printf "%s" ":qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:$1:F" \
        > /proc/sys/fs/binfmt_misc/register
      export QEMU_LD_PREFIX=$2
      java=$3
      shift 3
      exec "$java" "$@"
    ' run-java "$QEMU" "$ROOT" "$JAVA" "$@"
    ;;
  *)
    echo "run-java.sh: ARM_MODE must be plain or binfmt" >&2
    exit 2
    ;;
esac
