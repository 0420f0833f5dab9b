#!/usr/bin/env bash
# Runs every Claimgate benchmark and writes docs/benchmarks.md:
#   1. OpenSSL's RSA-2048 verify/s, the limit every figure is compared with;
#   2. JMH: Claimgate's verification and authenticate() against nimbus, auth0 java-jwt and jjwt, 1 and 2 threads;
#   3. a wrk load test on loopback: an upstream called directly, nginx proxying to it (the floor), and the
#      Claimgate gateway in front of it (when its jar is built).
# Usage, from anywhere in a clean checkout:  benchmarks/run.sh
# Knobs (environment): JMH_WARMUPS=3 JMH_ITERATIONS=5 JMH_SECONDS=2 WRK_SECONDS=10 SKIP_JMH=1 SKIP_LOAD=1
#   GATEWAY_JAR=path (default proxy-validator/gateway/target/claimgate-gateway.jar)
#   GATEWAY_CONFIG=path (default benchmarks/gateway/bench-config.yaml)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/benchmarks/target/run"
mkdir -p "$OUT"
JMH_WARMUPS="${JMH_WARMUPS:-3}"
JMH_ITERATIONS="${JMH_ITERATIONS:-5}"
JMH_SECONDS="${JMH_SECONDS:-2}"
WRK_SECONDS="${WRK_SECONDS:-10}"
UPSTREAM_PORT=18081
NGINX_PROXY_PORT=18082
GATEWAY_PORT=18083
PIDS=()

log() { printf '== %s\n' "$*" >&2; }

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  if [ -f "$OUT/nginx/nginx.pid" ]; then
    kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- build
log "building (./mvnw -q -DskipTests package)"
# The gateway module is named too: the load test runs its jar.
./mvnw -B -q -DskipTests package -pl benchmarks,proxy-validator/gateway -am
JAR="$ROOT/benchmarks/target/benchmarks.jar"

# ---------------------------------------------------------------- machine
{
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -sr)"
  java -version 2>&1
  openssl version
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

# ---------------------------------------------------------------- OpenSSL, the limit
openssl_verify_per_s() {
  # The row reads: rsa 2048 bits <sign s> <verify s> <sign/s> <verify/s>
  awk '/^rsa +2048 bits/ {v=$NF} END {print v}'
}
log "openssl speed -seconds 3 rsa2048 (1 process, then -multi 2)"
OPENSSL1="$(openssl speed -seconds 3 rsa2048 2>/dev/null | openssl_verify_per_s)"
OPENSSL2="$(openssl speed -seconds 3 -multi 2 rsa2048 2>/dev/null | openssl_verify_per_s)"
log "OpenSSL RSA-2048 verify/s: $OPENSSL1 (1 process), $OPENSSL2 (2 processes)"

# ---------------------------------------------------------------- JMH
if [ -z "${SKIP_JMH:-}" ]; then
  log "JMH: $JMH_WARMUPS warm-ups + $JMH_ITERATIONS iterations of ${JMH_SECONDS}s, threads 1 and 2, -prof gc"
  java -cp "$JAR" io.claimgate.benchmarks.BenchmarkSuite "$OUT/jmh.tsv" \
    "$JMH_WARMUPS" "$JMH_ITERATIONS" "$JMH_SECONDS" | tee "$OUT/jmh.log"
fi

# ---------------------------------------------------------------- load test
ensure_tools() {
  if ! command -v wrk >/dev/null || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; }; then
    log "installing wrk and nginx from Debian"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >/dev/null
  fi
}

# wrk --latency output -> "req/s<TAB>p50 ms<TAB>p99 ms"
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    $1 == "50%" {p50 = ms($2)}
    $1 == "99%" {p99 = ms($2)}
    $1 == "Requests/sec:" {rps = $2}
    END {printf "%s\t%.3f\t%.3f", rps, p50, p99}'
}

rss_mb() {
  awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || true
}

# run_wrk LABEL CONNECTIONS URL [PID for RSS]: POSTs a chat completion with the token (gateway/chat.lua)
run_wrk() {
  local label="$1" connections="$2" url="$3" pid="${4:-}"
  local args=(-t 2 -c "$connections" -d "${WRK_SECONDS}s" --latency --timeout 5s -s "$ROOT/benchmarks/gateway/chat.lua")
  log "wrk $label, $connections connections, ${WRK_SECONDS}s"
  local rss="" sampler=""
  rm -f "$OUT/rss.tmp"
  if [ -n "$pid" ]; then
    # Resident memory sampled half-way through the run, i.e. under load.
    ( sleep $((WRK_SECONDS / 2)); rss_mb "$pid" > "$OUT/rss.tmp" ) &
    sampler=$!
  fi
  wrk "${args[@]}" "$url" > "$OUT/wrk-${label// /_}-$connections.txt"
  if [ -n "$sampler" ]; then
    wait "$sampler" || true
    rss="$(cat "$OUT/rss.tmp" 2>/dev/null || true)"
  fi
  local file="$OUT/wrk-${label// /_}-$connections.txt"
  # Non-2xx answers and socket errors would make a fast-looking row meaningless: count them.
  local failed
  failed="$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$file")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$connections" "$(parse_wrk < "$file")" "$rss" "$failed" \
    >> "$OUT/gateway.tsv"
}

# wait_for_port PORT [PID]: up to 60 s, or until PID has exited
wait_for_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
      return 1
    fi
    sleep 0.5
  done
  return 1
}

GATEWAY_NOTE="wrk 4.1 (Debian), 2 threads, ${WRK_SECONDS}s per row, loopback. wrk2 is not packaged in Debian, so there \
is no fixed-rate run: p99 is reported at maximum throughput (64 connections) and at a low connection count (4), \
not at exactly 5,000 req/s. Every row POSTs a small chat completion with the \
benchmark token (benchmarks/gateway/chat.lua). The upstream is nginx answering a fixed 70-byte JSON; 'nginx proxy' \
is nginx proxy_pass to it with keep-alive and no auth, the floor any proxy pays. RSS is VmRSS of the gateway \
process half-way through the run."
if [ -z "${SKIP_LOAD:-}" ]; then
  ensure_tools
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$OUT/nginx/www/realms/claimgate/protocol/openid-connect"
  java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens jwks \
    > "$OUT/nginx/www/realms/claimgate/protocol/openid-connect/certs"
  CLAIMGATE_BENCH_TOKEN="$(java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens token)"
  export CLAIMGATE_BENCH_TOKEN
  cat > "$OUT/nginx/nginx.conf" <<EOF
user root;
worker_processes 1;
daemon on;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp-body;
  proxy_temp_path $OUT/nginx/tmp-proxy;
  fastcgi_temp_path $OUT/nginx/tmp-fastcgi;
  uwsgi_temp_path $OUT/nginx/tmp-uwsgi;
  scgi_temp_path $OUT/nginx/tmp-scgi;
  default_type application/json;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    root $OUT/nginx/www;
    location = /realms/claimgate/protocol/openid-connect/certs { }
    location / { return 200 '{"id":"chatcmpl-bench","object":"chat.completion","model":"gpt-4o-mini"}'; }
  }
  server {
    listen 127.0.0.1:$NGINX_PROXY_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  "$NGINX" -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
  wait_for_port "$UPSTREAM_PORT"
  : > "$OUT/gateway.tsv"
  for connections in 4 64; do
    run_wrk "upstream direct" "$connections" "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
    run_wrk "nginx proxy, no auth" "$connections" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions"
  done

  GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/proxy-validator/gateway/target/claimgate-gateway.jar}"
  GATEWAY_CONFIG="${GATEWAY_CONFIG:-$ROOT/benchmarks/gateway/bench-config.yaml}"
  if [ -f "$GATEWAY_JAR" ] && [ -f "$GATEWAY_CONFIG" ]; then
    log "starting the gateway: $GATEWAY_JAR serve --config $GATEWAY_CONFIG"
    export CLAIMGATE_BENCH_MASTER_KEY="sk-bench-$RANDOM$RANDOM"
    rm -rf "$OUT/gateway-data"
    CLAIMGATE_BENCH_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
    CLAIMGATE_BENCH_JWKS="http://127.0.0.1:$UPSTREAM_PORT/realms/claimgate/protocol/openid-connect/certs" \
    CLAIMGATE_BENCH_PORT="$GATEWAY_PORT" CLAIMGATE_BENCH_DATA_DIR="$OUT/gateway-data" \
      java -Xmx256m -jar "$GATEWAY_JAR" serve --config "$GATEWAY_CONFIG" > "$OUT/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
    if wait_for_port "$GATEWAY_PORT" "$GATEWAY_PID"; then
      # The token's team must exist, as in LiteLLM; created through the management API with the master key.
      curl -sS -o "$OUT/team.json" -w '%{http_code}\n' -X POST "http://127.0.0.1:$GATEWAY_PORT/team/new" \
        -H "Authorization: Bearer $CLAIMGATE_BENCH_MASTER_KEY" -H 'Content-Type: application/json' \
        -d '{"team_id":"team-ml-platform","team_alias":"ML platform"}' >&2 || true
      # Warm the JIT and the caches before measuring.
      wrk -t 2 -c 16 -d 10s -s "$ROOT/benchmarks/gateway/chat.lua" \
        "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >/dev/null
      for connections in 4 64; do
        run_wrk "Claimgate gateway" "$connections" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
          "$GATEWAY_PID"
      done
    else
      GATEWAY_NOTE="$GATEWAY_NOTE The gateway did not start: $(tail -1 "$OUT/gateway.log" | cut -c1-200)"
    fi
  else
    GATEWAY_NOTE="$GATEWAY_NOTE The gateway was not measured: $GATEWAY_JAR was not built."
  fi
fi

# ---------------------------------------------------------------- report
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
NOTE="Load average at start: $(sed -n 's/^load average at start: //p' "$OUT/machine.txt"); at end: $LOAD_END. \
Figures taken while other processes competed for the 2 cores are provisional.${BENCH_NOTE:+ $BENCH_NOTE}"
java -cp "$JAR" io.claimgate.benchmarks.BenchmarkReport \
  "jmh=$OUT/jmh.tsv" "openssl1=$OPENSSL1" "openssl2=$OPENSSL2" "gateway=$OUT/gateway.tsv" \
  "machine=$OUT/machine.txt" "command=benchmarks/run.sh" "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "note=$NOTE" "gatewayNote=$GATEWAY_NOTE" "notes=$ROOT/benchmarks/NOTES.md" "out=$ROOT/docs/benchmarks.md"
log "wrote docs/benchmarks.md"
cat "$ROOT/docs/benchmarks.md"
