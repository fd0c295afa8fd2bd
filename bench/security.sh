#!/usr/bin/env bash
# Issue 5, "Measure": what TLS and API-key authentication cost on the tiny model (sensor-anomaly, JSON 1×8, as in
# parts (c) and (d) of run.sh), as ratios to plain HTTP measured in the same run. One gateway per configuration,
# in turn, each a fresh process with COEDGE_CLUSTER_ENABLED=false on 127.0.0.1:
#   plain       HTTP/1.1, no credentials
#   https       HTTPS, HTTP/1.1 (ALPN offers h2; the client asks for http/1.1)
#   https-keys  HTTPS + security.auth.mode=keys (X-API-Key header on every request)
#   plain-keys  HTTP + API keys
#   https-h2    HTTPS, HTTP/2 (streams over BENCH_H2_CONNECTIONS connections; not in the default list)
#   https-mtls  HTTPS with security.tls.ca set and a client certificate presented (not in the default list)
# and for each measures:
#   - the highest sustained rate (FindMaxRate: p99 <= 50 ms, < 1 % errors),
#   - the gateway's (and the generator's) CPU per request at a fixed BENCH_CPU_RATE req/s,
#   - the p50 at BENCH_LOW_RATE req/s after a JIT warm-up (LoadGen, as run.sh's (d), warm-up 10 s at 2000 req/s),
# and, for https, full TLS handshakes per second with `openssl s_time -new` and the gateway's CPU per handshake.
# The load client keeps its connections alive: a TLS handshake is paid per connection, not per request.
#
# Output: a markdown block on stdout and in bench/out/security-STAMP.md; raw JSON lines in
# bench/out/security-raw-STAMP.jsonl. Certificates and the API key live in a temp folder removed at exit; every
# process started here is stopped by PID at exit (also on Ctrl-C). About 3 minutes per configuration on 2 cores.
# Knobs (environment): BENCH_SECURITY_CONFIGS ("plain https https-keys plain-keys"), BENCH_PORT (18183),
# BENCH_STEP_SECONDS (5), BENCH_STEP_WARMUP (2), BENCH_START (3000, FindMaxRate's first rate), BENCH_CPU_RATE (5000),
# BENCH_LOW_RATE (50), BENCH_H2_CONNECTIONS (2), BENCH_QUIET_WAIT (120), COEDGE_BUILD_DIR, MVN, MVN_FLAGS.
set -euo pipefail
source "$(dirname "$0")/common.sh"

CONFIGS=(${BENCH_SECURITY_CONFIGS:-plain https https-keys plain-keys})
MODELS="${BENCH_MODELS:-$ROOT/models}"
PORT="${BENCH_PORT:-18183}"
STEP="${BENCH_STEP_SECONDS:-5}"
WARM="${BENCH_STEP_WARMUP:-2}"
START="${BENCH_START:-3000}"
CPU_RATE="${BENCH_CPU_RATE:-5000}"
LOW_RATE="${BENCH_LOW_RATE:-50}"
H2_CONNECTIONS="${BENCH_H2_CONNECTIONS:-2}"
OUT="${BENCH_OUT:-$ROOT/bench/out}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/security-raw-$STAMP.jsonl"
REPORT="$OUT/security-$STAMP.md"
TMP="$(mktemp -d)"
PIDS=()

trap cleanup EXIT

for c in "${CONFIGS[@]}"; do
  case "$c" in plain|https|https-keys|plain-keys|https-h2|https-mtls) ;;
    *) echo "security.sh: unknown configuration '$c' in BENCH_SECURITY_CONFIGS;" \
         "allowed: plain https https-keys plain-keys https-h2 https-mtls" >&2; exit 2 ;;
  esac
done
if [[ "${CONFIGS[0]}" != plain ]]; then
  echo "security.sh: the first configuration must be plain (the baseline)" >&2
  exit 2
fi
[[ -f "$MODELS/sensor-anomaly/1/model.onnx" ]] || { echo "security.sh: $MODELS/sensor-anomaly missing" >&2; exit 1; }
command -v openssl >/dev/null || { echo "security.sh: needs openssl (certificates, s_time)" >&2; exit 1; }

bench_build
mkdir -p "$OUT"
log "raw results: $RAW"

# ---- certificates (the project's own script) and one API key (the project's own tool) ----------------------------
bash "$ROOT/docker/make-certs.sh" "$TMP/pki" gateway=127.0.0.1,localhost bench-client >/dev/null
CA="$TMP/pki/ca.crt"
java -cp "$JAR" io.coedge.security.HashKey --id bench --scopes infer > "$TMP/hashkey.out"
API_KEY="$(sed -n 's/^# key[^:]*: //p' "$TMP/hashkey.out")"
{ echo "keys:"; grep -v '^#' "$TMP/hashkey.out"; } > "$TMP/keys.yaml"
[[ -n "$API_KEY" ]] || { echo "security.sh: HashKey printed no key" >&2; exit 1; }

# config_env NAME: the gateway's environment for a configuration.
config_env() {
  local env=(COEDGE_CLUSTER_ENABLED=false)
  case "$1" in https*)
    env+=(COEDGE_SECURITY_TLS_CERT="$TMP/pki/gateway.crt" COEDGE_SECURITY_TLS_KEY="$TMP/pki/gateway.key"
      BENCH_CA="$CA") ;;
  esac
  [[ "$1" == https-mtls ]] && env+=(COEDGE_SECURITY_TLS_CA="$CA")
  [[ "$1" == *keys ]] && env+=(COEDGE_SECURITY_AUTH_MODE=keys COEDGE_SECURITY_AUTH_KEY_FILE="$TMP/keys.yaml")
  printf '%s\n' "${env[@]}"
}

# client_opts NAME: the load tools' options for a configuration (one per line).
client_opts() {
  case "$1" in https*) printf '%s\n' --https "$CA" ;; esac
  [[ "$1" == https-h2 ]] && printf '%s\n' --h2 --h2-connections "$H2_CONNECTIONS"
  [[ "$1" == https-mtls ]] && printf '%s\n' --client-cert "$TMP/pki/bench-client.crt" \
    --client-key "$TMP/pki/bench-client.key"
  [[ "$1" == *keys ]] && printf '%s\n' --header "X-API-Key:$API_KEY"
  return 0
}

# fixed_rate LABEL URL PID [OPTION...]: CPU_RATE req/s for 10 s after 2 s, for CPU per request at one common rate.
# A fresh generator JVM first opens its connections at 1000 req/s for 8 s (unmeasured): cold, it would otherwise
# open all 256 at once at the full rate, and a storm of 256 TLS handshakes between two cold JVMs takes longer than
# the 5 s connect timeout on 2 cores.
fixed_rate() {
  wait_quiet "$1"
  log "LoadGen $1 at $CPU_RATE req/s"
  bench_java LoadGen --url "$2" --body sensor --rate "$CPU_RATE" --duration 10 --warmup 2 --prewarm 8 \
    --prewarm-rate 1000 --server-pid "$3" "${@:4}" | record "$1"
}

# handshakes LABEL PID: full TLS handshakes per second for 5 s (openssl s_time -new) and the gateway's CPU meanwhile.
handshakes() {
  wait_quiet "$1"
  log "openssl s_time -new $1"
  local before after t0 t1 out n
  before=$(awk '{ print $14 + $15 }' "/proc/$2/stat"); t0=$(date +%s%3N)
  out="$(openssl s_time -connect "127.0.0.1:$PORT" -new -time 5 -CAfile "$CA" -verify 1 2>&1 || true)"
  after=$(awk '{ print $14 + $15 }' "/proc/$2/stat"); t1=$(date +%s%3N)
  n="$(sed -n 's/^\([0-9]*\) connections in [0-9.]* real seconds.*/\1/p' <<<"$out" | head -1)"
  [[ -n "$n" ]] || { log "s_time gave no count: $(tail -2 <<<"$out")"; return 0; }
  # CPU ticks are 10 ms (USER_HZ 100); s_time's own "real seconds" is whole seconds, so the wall time is ours.
  echo "{\"label\":\"$1\",\"handshakes\":$n,\"wall_ms\":$(( t1 - t0 ))," \
    "\"server_cpu_ms\":$(( (after - before) * 10 ))}" | tee -a "$RAW"
}

declare -A MAX LOW CPU HS
for c in "${CONFIGS[@]}"; do
  mapfile -t env < <(config_env "$c")
  mapfile -t opts < <(client_opts "$c")
  wait_quiet "start $c"
  serve "$c" "$MODELS" "${env[@]}"
  scheme=http; [[ "$c" == https* ]] && scheme=https
  url="$scheme://127.0.0.1:$PORT/v2/models/sensor-anomaly/infer"
  # A first step that fails caps the search at it: start low and let the generator JVM (JIT, TLS, its 256
  # connections) warm up for 8 s first, so that step 1 measures the server, not the generator's start.
  MAX[$c]="$(find_max "$c-max" "$url" sensor "$START" "$SERVED_PID" --prewarm 8 "${opts[@]}")"
  CPU[$c]="$(fixed_rate "$c-cpu-at-$CPU_RATE" "$url" "$SERVED_PID" "${opts[@]}")"
  # The generator is a fresh JVM: a longer, faster warm-up than run.sh's (6 s at 500 req/s) so that its TLS code is
  # compiled too before the p50 is taken (the options given last win).
  LOW[$c]="$(low_load "$c-p50-at-$LOW_RATE" "$url" sensor "$SERVED_PID" "${opts[@]}" --prewarm 10 \
    --prewarm-rate 2000)"
  # After the load runs: the gateway is warm, so this is the steady cost of a handshake, not the JIT's.
  [[ "$c" == https ]] && HS[$c]="$(handshakes "$c-handshakes" "$SERVED_PID")"
  stop_pid "$SERVED_PID"
done

# ---- the block ------------------------------------------------------------------------------------------------
two() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
per_req_us() { awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0 && c >= 0) printf "%.1f", 1e6 * c / r; else print "n/a" }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", a - b }'; }
declare -A RATE P50 SCPU GCPU MCPU
for c in "${CONFIGS[@]}"; do
  RATE[$c]="$(jnum max_sustained_rps <<<"${MAX[$c]}")"
  P50[$c]="$(jnum service_p50_ms <<<"${LOW[$c]}")"
  SCPU[$c]="$(per_req_us "$(jnum server_cpu_cores <<<"${CPU[$c]}")" "$(jnum achieved_rps <<<"${CPU[$c]}")")"
  GCPU[$c]="$(per_req_us "$(jnum gen_cpu_cores <<<"${CPU[$c]}")" "$(jnum achieved_rps <<<"${CPU[$c]}")")"
  MCPU[$c]="$(per_req_us "$(jnum server_cpu_cores_at_max <<<"${MAX[$c]}")" \
    "$(jnum achieved_rps_at_max <<<"${MAX[$c]}")")"
done
describe() { # describe NAME: what was negotiated, from the tools' own lines
  local line="${CPU[$1]}" tls
  tls="$(jstr tls <<<"$line")"
  echo "$(jstr http_version <<<"$line")${tls:+, $tls}"
}
{
  echo "### Security cost run $STAMP — commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "| configuration | negotiated | max rate, p99 ≤ 50 ms | ratio to plain | p50 at $LOW_RATE req/s | vs plain |"
  echo "|---|---|---|---|---|---|"
  for c in "${CONFIGS[@]}"; do
    echo "| $c | $(describe "$c") | ${RATE[$c]} req/s | $(ratio "${RATE[$c]}" "${RATE[plain]}")" \
      "| ${P50[$c]} ms | $(ratio "${P50[$c]}" "${P50[plain]}") ($(delta "${P50[$c]}" "${P50[plain]}") ms) |"
  done
  echo
  echo "| configuration | gateway CPU / request at the max rate | ratio to plain" \
    "| gateway CPU / request at $CPU_RATE req/s | ratio to plain | generator CPU / request at $CPU_RATE req/s" \
    "| cores at the max rate: gateway + generator |"
  echo "|---|---|---|---|---|---|---|"
  for c in "${CONFIGS[@]}"; do
    echo "| $c | ${MCPU[$c]} µs | $(ratio "${MCPU[$c]}" "${MCPU[plain]}")" \
      "| ${SCPU[$c]} µs | $(ratio "${SCPU[$c]}" "${SCPU[plain]}") | ${GCPU[$c]} µs" \
      "| $(two "$(jnum server_cpu_cores_at_max <<<"${MAX[$c]}")") +" \
      "$(two "$(jnum gen_cpu_cores_at_max <<<"${MAX[$c]}")") |"
  done
  echo
  if [[ -n "${HS[https]:-}" ]]; then
    hs_n="$(jnum handshakes <<<"${HS[https]}")"; hs_wall="$(jnum wall_ms <<<"${HS[https]}")"
    hs_ms="$(jnum server_cpu_ms <<<"${HS[https]}")"
    echo "Full TLS handshakes (openssl s_time -new, EC P-256 certificate, 5 s, client on the same cores):" \
      "$(awk -v n="$hs_n" -v w="$hs_wall" 'BEGIN { printf "%.0f", 1000 * n / w }')/s, gateway CPU" \
      "$(awk -v n="$hs_n" -v m="$hs_ms" 'BEGIN { if (n > 0) printf "%.0f", 1000 * m / n; else print "n/a" }') µs" \
      "per handshake."
    echo
  fi
  echo "Connections the generator opened (one TLS handshake each over HTTPS), per tool: max / fixed rate / low load:" \
    "$(for c in "${CONFIGS[@]}"; do printf '%s %s / %s / %s; ' "$c" "$(jnum connections_opened <<<"${MAX[$c]}")" \
      "$(jnum connections_opened <<<"${CPU[$c]}")" "$(jnum connections_opened <<<"${LOW[$c]}")"; done)"
  echo "p50 is from the actual send (service_p50_ms). Raw lines: \`$(basename "$RAW")\`."
  if [[ -f "$TMP/notes" ]]; then cat "$TMP/notes"; fi
} | tee "$REPORT"
log "results block: $REPORT"
