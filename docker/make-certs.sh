#!/usr/bin/env bash
# Makes a cluster CA and node certificates for a demo Coedge cluster (openssl, EC P-256, PEM).
#
#   docker/make-certs.sh OUT_DIR NODE[=HOST,HOST...] [NODE[=HOST,...] ...]
#
# e.g. docker/make-certs.sh certs edge-1=10.0.0.5,edge-1.lan cloud-1=cloud-1.example.net
#
# Writes OUT_DIR/ca.crt (give to every node as security.tls.ca), OUT_DIR/ca.key (keep it off the nodes), and per
# node OUT_DIR/NODE.crt + OUT_DIR/NODE.key (security.tls.cert / security.tls.key). Each node certificate is for
# server and client use and names its hosts as subject alternative names (IP addresses as IP SANs): list every
# host the node's advertised URL (cluster.advertise-url) may use, since peers verify it. A node with no hosts gets
# NODE itself. An existing ca.crt/ca.key in OUT_DIR is reused, so nodes can be added later.
# Validity in days: CA_DAYS (default 3650), DAYS (default 825).
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
out=$1
shift
ca_days=${CA_DAYS:-3650}
days=${DAYS:-825}
mkdir -p "$out"
umask 077

if [ ! -f "$out/ca.key" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$ca_days" -subj "/O=coedge/CN=coedge cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca.crt"
  echo "made $out/ca.crt (and ca.key: keep it off the nodes)"
fi

for spec in "$@"; do
  name=${spec%%=*}
  hosts=${spec#*=}
  [ "$hosts" = "$spec" ] && hosts=$name
  if ! [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]]; then
    echo "bad node name '$name': letters, digits, . _ - only" >&2
    exit 2
  fi
  san=""
  IFS=',' read -ra list <<< "$hosts"
  for h in "${list[@]}"; do
    if [[ "$h" =~ ^[0-9.]+$ || "$h" == *:* ]]; then
      san="$san,IP:$h"
    else
      san="$san,DNS:$h"
    fi
  done
  san=${san#,}
  ext=$(mktemp)
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" > "$ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/$name.key"
  openssl req -new -key "$out/$name.key" -subj "/O=coedge/CN=$name" -out "$out/$name.csr"
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -sha256 \
    -days "$days" -extfile "$ext" -out "$out/$name.crt" 2>/dev/null
  rm -f "$out/$name.csr" "$ext"
  chmod 644 "$out/$name.crt"
  echo "made $out/$name.crt and $name.key for $san"
done
chmod 644 "$out/ca.crt"
