#!/usr/bin/env bash
# Entrypoint of the Coedge services in compose.yaml. Hazelcast binds one concrete IP address and the config takes
# members as IP literals (a host name would need cluster.overlay), so this sets cluster.host to the container's own
# address and cluster.members to the addresses of the services named in DEMO_PEERS (waiting up to 120 s for
# each to appear in the compose network's DNS), then starts the jar with the given arguments.
set -euo pipefail
resolve() { local ip _; read -r ip _ < <(getent ahostsv4 "$1") && echo "$ip"; }
self=$(resolve "$HOSTNAME")
port=${COEDGE_CLUSTER_PORT:-5701}
members=""
for peer in ${DEMO_PEERS//,/ }; do
  ip=""
  for _ in $(seq 1 120); do ip=$(resolve "$peer") && break; sleep 1; done
  [ -n "$ip" ] || { echo "compose-entry: service $peer not found in DNS after 120 s" >&2; exit 1; }
  [ "$ip" = "$self" ] || members="$members,$ip:$port"
done
export COEDGE_CLUSTER_HOST=$self COEDGE_CLUSTER_MEMBERS=${members#,}
echo "compose-entry: cluster.host $self, members $COEDGE_CLUSTER_MEMBERS"
exec java -jar /opt/coedge/coedge.jar "$@"
