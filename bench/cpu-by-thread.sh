#!/usr/bin/env bash
# Where a JVM's CPU goes: samples /proc/PID/task/*/stat over SECONDS and prints CPU per thread group
# (thread names with their numbers stripped: "coedge-infer", "vert.x-eventloop-thread", "GC Thread", ...),
# in cores. Run it while a load run is going.   usage: bench/cpu-by-thread.sh PID [SECONDS=5]
set -euo pipefail
pid="${1:?usage: cpu-by-thread.sh PID [SECONDS]}"
secs="${2:-5}"

snapshot() {
  for t in /proc/"$pid"/task/*; do
    # comm may hold spaces; utime and stime are fields 14 and 15 of stat, counted after the ")".
    printf '%s\t%s\n' "$(sed 's/[#-]*[0-9]*$//' "$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')"
  done 2>/dev/null
}

before="$(snapshot)"; sleep "$secs"; after="$(snapshot)"
awk -F'\t' -v secs="$secs" -v hz="$(getconf CLK_TCK)" '
  NR == FNR { b[$1] += $2; next }
  { a[$1] += $2 }
  END { for (k in a) { c = (a[k] - b[k]) / hz / secs; if (c >= 0.005) printf "%6.2f  %s\n", c, k } }
' <(echo "$before") <(echo "$after") | sort -rn
