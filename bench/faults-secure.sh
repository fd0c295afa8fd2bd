# Sourced by bench/faults.sh: TLS and API keys for the soak and scenario (g), the soak itself, and scenario (g).
#
# Every node gets its PEM files and its key file on a 1 MiB tmpfs of its own, mounted in the node's private mount
# namespace before the JVM starts ($TMP/wrap.sh; from outside, `nsenter -m` reaches it). $TMP/stash/NODE holds the
# copy a restarted node starts from. Reloads write a temp file in the same folder and rename it (what an operator
# should do); scenario (g) writes the way a writer that runs out of space does, in place, on a full disk.

SEC_KEY_RELOAD_S=2
SEC_TLS_RELOAD_S=5

# secure_yaml NODE: the node's security section (its files on its own tmpfs).
secure_yaml() {
  local d="$TMP/sec/$1"
  cat <<EOF
security:
  tls:
    cert: $d/node.crt
    key: $d/node.key
    ca: $d/ca.crt
    reload-interval-s: $SEC_TLS_RELOAD_S
  auth:
    mode: keys
    key-file: $d/keys.yaml
    key-reload-s: $SEC_KEY_RELOAD_S
    open-metrics: true
EOF
}

# secure_switch: (once) restarts the nodes with TLS and API keys; false, saying why, where the machine cannot.
secure_switch() {
  (( SECURE )) && return 0
  local why="" n
  command -v openssl >/dev/null && command -v unshare >/dev/null && command -v nsenter >/dev/null \
    || why="needs openssl, unshare and nsenter"
  [[ -n "$why" ]] || unshare -m sh -c "mount -t tmpfs -o size=64k coedge-probe $TMP" 2>/dev/null \
    || why="this machine cannot mount a tmpfs in a private mount namespace (unshare -m)"
  if [[ -n "$why" ]]; then echo "faults: (g) and the soak SKIPPED: $why"; return 1; fi
  log "restarting the nodes with TLS and API keys"
  for n in "${NODES[@]}"; do stop_pid "$(cat "$TMP/$n.pid")"; done
  SECURE=1
  secure_up
  for n in "${NODES[@]}"; do start_node "$n"; done
  for n in "${NODES[@]}"; do await_ready "$n"; done
  await_clouds
  write_roll
  # the restarted JVMs warm up (JIT, TLS sessions) before anything is counted: FAULTS_WARM_S, 60 s by default
  SECS=${FAULTS_WARM_S:-60} load warm-up-tls 1 999999 999999 "" "" >/dev/null
}

# secure_up: the CA, a certificate per node (naming 127.0.0.1, where its peers and clients reach it, and its own
# address), one API key (scopes infer and admin) for the load and the script, and the mount wrapper.
secure_up() {
  SCHEME=https
  mkdir -p "$TMP/pki" "$TMP/stash"
  java -cp "$JAR" io.coedge.security.HashKey --id bench --scopes infer,admin >"$TMP/hashkey.out"
  sed -n 's/^# key[^:]*: //p' "$TMP/hashkey.out" >"$TMP/api.key"
  [[ -s "$TMP/api.key" ]] || { echo "faults: HashKey printed no key" >&2; exit 1; }
  CURL=(curl -s --cacert "$TMP/pki/ca.crt" -H "x-api-key: $(cat "$TMP/api.key")")
  LOAD_SEC=(--ca "$TMP/pki/ca.crt" --api-key-file "$TMP/api.key" --max-lifetime-s 10)
  cat >"$TMP/wrap.sh" <<'EOF'
# wrap.sh DIR STASH CMD...: (run under unshare -m) a 1 MiB tmpfs on DIR holding STASH's files, then exec CMD
set -e
mkdir -p "$1"
mount -t tmpfs -o size=1m,mode=0700 coedge-sec "$1"
cp -p "$2"/* "$1"/
shift 2
exec "$@"
EOF
  new_certs
  new_keys 0 0 >"$TMP/stash/keys.yaml"
  local n
  for n in "${NODES[@]}"; do
    mkdir -p "$TMP/stash/$n" "$TMP/sec/$n"
    cp "$TMP/stash/keys.yaml" "$TMP/pki/ca.crt" "$TMP/stash/$n/"
    cp "$TMP/pki/$n.crt" "$TMP/stash/$n/node.crt"
    cp "$TMP/pki/$n.key" "$TMP/stash/$n/node.key"
  done
}

# new_certs: a new key and certificate for every node from the same CA (the CA is made once).
new_certs() {
  bash docker/make-certs.sh "$TMP/pki" "edge=127.0.0.1,${IP[edge]}" "c1=127.0.0.1,${IP[c1]}" \
    "c2=127.0.0.1,${IP[c2]}" >/dev/null
}

# new_keys N EXTRA: the key file's N-th version on stdout: EXTRA + 1 rotating keys, then the load's key with a fresh
# salt (so the file's bytes change every time while the load's key stays valid).
new_keys() {
  local entry i
  entry=$(java -cp "$JAR" io.coedge.security.HashKey --id rot --scopes infer | grep -v '^#')
  echo "keys:"
  for i in $(seq 0 "$2"); do sed "s/id: rot$/id: rot-$1-$i/" <<<"$entry"; done
  java -cp "$JAR" io.coedge.security.HashKey --stdin --id bench --scopes infer,admin <"$TMP/api.key"
}

# in_mnt NODE CMD...: CMD inside NODE's mount namespace (where its tmpfs is).
in_mnt() { local n="$1"; shift; nsenter -t "$(cat "$TMP/$n.pid")" -m "$@"; }

# put NODE FILE SOURCE: replaces FILE in NODE's folder (and its stash) with SOURCE: temp file, then rename.
put() {
  cp "$3" "$TMP/stash/$1/$2"
  in_mnt "$1" sh -c 'cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"' put "$3" "$TMP/sec/$1/$2"
}

# reload_all N: the N-th key file and a new certificate on every node.
reload_all() {
  new_keys "$1" 0 >"$TMP/keys.next"
  new_certs
  local n
  for n in "${NODES[@]}"; do
    put "$n" keys.yaml "$TMP/keys.next"
    put "$n" node.key "$TMP/pki/$n.key"
    put "$n" node.crt "$TMP/pki/$n.crt"
  done
}

# gauge NODE NAME LABELS: a sample's value from NODE's /metrics (empty when absent).
gauge() {
  in_ns "$1" "${CURL[@]}" "$SCHEME://127.0.0.1:8000/metrics" | awk -v m="$2{$3" 'index($0, m) == 1 { print $NF }'
}

# ---- (g) disk full under load: the edge's tmpfs is filled, then its key file, certificate and key are rewritten
# in place as a writer that runs out of space leaves them (the key file cut at the page that fitted, the PEM files
# empty). Expected: no client error (the keys and certificate in force stay), coedge_file_rejected{file} = 1 while
# the disk is full; after the space is freed and the files rewritten whole, both are in force again by themselves.
scenario_g() {
  local d="$TMP/sec/edge" pid
  pid=$(cat "$TMP/edge.pid")
  new_keys g 40 >"$TMP/keys.big"   # larger than the page its predecessor frees: the write is cut
  new_certs
  cat >"$TMP/g-fault.sh" <<EOF
fill() { nsenter -t $pid -m sh -c 'dd if=/dev/zero of=$d/fill bs=4k oflag=append conv=notrunc 2>/dev/null; true'; }
fill
for f in keys.yaml node.crt node.key; do
  nsenter -t $pid -m sh -c ": > $d/\$f"
  [[ \$f == keys.yaml ]] || fill   # the key file's freed page takes the start of its new content, the rest is cut
  case \$f in keys.yaml) src=$TMP/keys.big ;; node.crt) src=$TMP/pki/edge.crt ;; node.key) src=$TMP/pki/edge.key ;; esac
  nsenter -t $pid -m sh -c "cat \$src > $d/\$f" 2>/dev/null || true
done
nsenter -t $pid -m sh -c 'wc -c $d/keys.yaml $d/node.crt $d/node.key; df -k $d | tail -1' >$TMP/g-files.txt
t0=\$(date +%s%3N)
while (( \$(date +%s%3N) - t0 < 20000 )); do
  [[ "\$(gauge edge coedge_file_rejected 'file="key-file"')" == 1* && "\$(gauge edge coedge_file_rejected 'file="tls"')" == 1* ]] \
    && { echo "seen after \$(( \$(date +%s%3N) - t0 )) ms" >$TMP/g-rejected; break; }
  sleep 0.2
done
EOF
  cat >"$TMP/g-heal.sh" <<EOF
t0=\$(date +%s%3N)
nsenter -t $pid -m sh -c 'rm -f $d/fill'
put edge keys.yaml $TMP/keys.big; put edge node.key $TMP/pki/edge.key; put edge node.crt $TMP/pki/edge.crt
while (( \$(date +%s%3N) - t0 < 30000 )); do
  [[ "\$(gauge edge coedge_file_rejected 'file="key-file"')" == 0* && "\$(gauge edge coedge_file_rejected 'file="tls"')" == 0* ]] \
    && { echo \$(( \$(date +%s%3N) - t0 )) >$TMP/g-recovered; break; }
  sleep 0.1
done
EOF
  { declare -f gauge in_ns in_mnt put; declare -p P TMP CURL SCHEME; cat "$TMP/g-heal.sh"; } >"$TMP/g-heal.run"
  { declare -f gauge in_ns; declare -p P TMP CURL SCHEME; cat "$TMP/g-fault.sh"; } >"$TMP/g-fault.run"
  rm -f "$TMP/g-rejected" "$TMP/g-recovered"
  j=$(load disk-full 1 "$F" "$H" "bash $TMP/g-fault.run" "bash $TMP/g-heal.run")
  for _ in $(seq 300); do [[ -f "$TMP/g-recovered" ]] && break; sleep 0.1; done
  local rec=-1 seen="not seen"
  [[ -f "$TMP/g-recovered" ]] && rec=$(cat "$TMP/g-recovered")
  [[ -f "$TMP/g-rejected" ]] && seen="rejected $(cat "$TMP/g-rejected")"
  log "(g) files on the full disk: $(tr '\n' ' ' <"$TMP/g-files.txt"); $seen; in force again ${rec} ms after the heal;" \
    "statuses $(sed -n 's/.*"statuses":\({[^}]*}\).*/\1/p' <<<"$j"), $(jnum auth_or_tls_errors <<<"$j") refused keys or TLS handshakes"
  j=$(sed "s/\"recovery_ms\":[-0-9.]*/\"recovery_ms\":$rec/" <<<"$j")
  row "(g) disk full: key file cut, PEM files emptied" "1 x" "$j" "0 errors, old kept, new in force after" \
    "$(met "(( $(jnum errors <<<"$j") == 0 && rec >= 0 )) && [[ '$seen' != 'not seen' ]]")"
}

# ---- soak: 0.7 x for SOAK minutes through the edge (offload prefer: the clouds serve most of it), the key file and
# every node's certificate replaced every minute; every max(10, SOAK) s per node: RSS, threads, open fds, heap after a full GC,
# node-table rows and the entries of each shared map; slopes per hour from a least-squares fit. Met when no request
# failed and every node applied at least SOAK - 1 key file and certificate reloads.
SOAK_MAPS=(coedge.nodes coedge.versions coedge.notes coedge.rollouts coedge.rollout-nodes)
soak_sample() { # t node rss_kb threads fds heap_used_kb table_rows map_entries...
  local t="$1" n pid heap m metrics
  for n in "${NODES[@]}"; do
    pid=$(cat "$TMP/$n.pid")
    heap=$( { jcmd "$pid" GC.run >/dev/null && jcmd "$pid" GC.heap_info; } 2>/dev/null \
      | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
    metrics=$(in_ns "$n" "${CURL[@]}" "$SCHEME://127.0.0.1:8000/metrics")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$t" "$n" "$(awk '/VmRSS/{print $2}' "/proc/$pid/status")" \
      "$(awk '/Threads/{print $2}' "/proc/$pid/status")" "$(ls "/proc/$pid/fd" | wc -l)" "${heap:-0}" \
      "$(in_ns "$n" "${CURL[@]}" "$SCHEME://127.0.0.1:8000/v2/cluster/nodes" | grep -o '"id":' | wc -l)"
    for m in "${SOAK_MAPS[@]}"; do
      printf '\t%s' "$(awk -v k="coedge_cluster_map_entries{map=\"$m\"" 'index($0, k) == 1 { v = $NF } END { print v + 0 }' \
        <<<"$metrics")"
    done
    echo
  done >>"$SAMPLES"
}

soak_run() {
  SAMPLES="$TMP/soak.tsv"
  local rate minutes="$SOAK" loadpid t0 j n keys tls ok=1
  rate=$(awk -v r="$RATE" 'BEGIN{print r*0.7}')
  log "soak: $minutes min at $rate req/s, key file and certificates replaced every minute"
  ( s0=$(date +%s); i=1
    while :; do
      now=$(date +%s); (( s0 + 60 * i > now )) && sleep $(( s0 + 60 * i - now ))
      reload_all "$i" 2>>"$TMP/reload.log"; echo "$(date +%T) reload $i" >>"$TMP/reload.log"; i=$((i + 1))
    done ) &
  echo $! >"$TMP/reload.pid"
  SECS=$(( minutes * 60 ))
  RATE=$rate load soak 1 999999999 999999999 "" "" >"$TMP/soak.json" &
  loadpid=$!
  t0=$(date +%s)
  while kill -0 "$loadpid" 2>/dev/null; do soak_sample $(( $(date +%s) - t0 )); sleep $(( minutes > 10 ? minutes : 10 )); done
  stop_pid "$(cat "$TMP/reload.pid")"; rm -f "$TMP/reload.pid"
  j=$(cat "$TMP/soak.json")
  cp "$SAMPLES" "bench/results/faults-soak-$STAMP.tsv"
  echo
  echo "Soak: $minutes min at $rate req/s, load average $(cut -d' ' -f1-3 /proc/loadavg): $(jnum requests <<<"$j") requests, $(jnum errors <<<"$j") errors (first: $(jstr first_error <<<"$j")), p99 $(jnum p99_before_ms <<<"$j") ms, served $(sed -n 's/.*"served_before":\({[^}]*}\).*/\1/p' <<<"$j"), errors per minute $(sed -n 's/.*"errors_per_minute":\(\[[^]]*\]\).*/\1/p' <<<"$j"), statuses $(sed -n 's/.*"statuses":\({[^}]*}\).*/\1/p' <<<"$j"), $(jnum auth_or_tls_errors <<<"$j") refused keys or TLS handshakes; reloads at $(grep -o 'reload [0-9]*' "$TMP/reload.log" | wc -l) minute marks"
  echo
  echo "| node | key reloads (refused) | TLS reloads (refused) | RSS MB/h | threads/h | fds/h | heap after GC MB/h | node-table rows/h | map entries/h (${SOAK_MAPS[*]}) | RSS MB first → last |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for n in "${NODES[@]}"; do
    keys=$(grep -c "API keys reloaded" "$TMP/$n.log" || true)
    tls=$(grep -c "TLS certificate reloaded" "$TMP/$n.log" || true)
    (( keys >= minutes - 1 && tls >= minutes - 1 )) || ok=0
    printf '| %s | %s (%s) | %s (%s) ' "$n" "$keys" "$(grep -c "API key file not reloaded" "$TMP/$n.log" || true)" \
      "$tls" "$(grep -c "TLS files changed but cannot be used" "$TMP/$n.log" || true)"
    awk -F'\t' -v n="$n" '$2 == n {
      k++; t[k] = $1 / 3600; for (c = 3; c <= NF; c++) v[c, k] = $c; cols = NF }
      function slope(c,   i, st, sv, stt, stv) { st = sv = stt = stv = 0
        for (i = 1; i <= k; i++) { st += t[i]; sv += v[c, i]; stt += t[i] * t[i]; stv += t[i] * v[c, i] }
        return (k * stt - st * st) == 0 ? 0 : (k * stv - st * sv) / (k * stt - st * st) }
      END { m = ""; for (c = 8; c <= cols; c++) m = m (c > 8 ? ", " : "") sprintf("%.1f", slope(c))
        printf "| %.1f | %.1f | %.1f | %.1f | %.2f | %s | %.0f → %.0f |\n", slope(3) / 1024, slope(4), slope(5),
        slope(6) / 1024, slope(7), m, v[3, 1] / 1024, v[3, k] / 1024 }' "$SAMPLES"
  done
  (( $(jnum errors <<<"$j") == 0 )) || ok=0
  if (( ok )); then echo; echo "soak: 0 errors and every reload applied: met"
  else echo; echo "soak: NOT met (errors or missing reloads above)"; FAILED=1; fi
}
