#!/bin/sh
# scale.command for ElasticScalingIT: starts or stops cloud node processes on this host.
#   $1                  the desired number of cloud nodes (the leader, started by the test, counts as one)
#   SCALE_STOP_NODE     set on scale-in: the node (already drained by the leader) to stop with SIGTERM
#   SCALE_IT_DIR        where each started node's PID file (<id>.pid) and log (<id>.log) are kept
#   SCALE_IT_JAVA, SCALE_IT_CP, SCALE_IT_MODELS, SCALE_IT_MEMBERS, SCALE_IT_EXTRA_US: how to start a node
# Prints one line: what it did.
set -eu
desired="$1"
dir="$SCALE_IT_DIR"
mkdir -p "$dir"

if [ -n "${SCALE_STOP_NODE:-}" ]; then
  f="$dir/$SCALE_STOP_NODE.pid"
  if [ ! -e "$f" ]; then
    echo "no node $SCALE_STOP_NODE started here"
    exit 3
  fi
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  rm -f "$f"
  echo "stopped $SCALE_STOP_NODE (pid $pid) for $desired nodes"
  exit 0
fi

have=1
for f in "$dir"/*.pid; do
  [ -e "$f" ] || continue
  if kill -0 "$(cat "$f")" 2>/dev/null; then
    have=$((have + 1))
  else
    rm -f "$f"
  fi
done
n=$(cat "$dir/seq" 2>/dev/null || echo 0)
started=""
unset SCALE_STOP_NODE SCALE_DESIRED_NODES
while [ "$have" -lt "$desired" ]; do
  n=$((n + 1))
  echo "$n" > "$dir/seq"
  id="scaled-$n"
  "$SCALE_IT_JAVA" -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dslow.extra-us="$SCALE_IT_EXTRA_US" \
    -cp "$SCALE_IT_CP" io.coedge.process.SlowNode --node-id "$id" --role cloud --port 0 \
    --models "$SCALE_IT_MODELS" --cluster-port 0 --cluster-members "$SCALE_IT_MEMBERS" > "$dir/$id.log" 2>&1 &
  echo $! > "$dir/$id.pid"
  have=$((have + 1))
  started="$started $id"
done
echo "desired $desired, running $have, started:${started:- none}"
