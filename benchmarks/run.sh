#!/usr/bin/env bash
# Runs every Claimgate benchmark and writes docs/benchmarks.md:
#   1. OpenSSL's RSA-2048 verify/s, the limit every figure is compared with;
#   2. JMH: Claimgate's verification and authenticate() against nimbus, auth0 java-jwt and jjwt, 1 and 2 threads;
#   3. the gateway bars of issue 12, with hey on loopback, each beside a baseline measured in the same run: the
#      upstream (nginx) answered directly, nginx proxy_pass to it (the floor), the Claimgate gateway proxying and its
#      forward-auth /auth at full speed; p99 at a fixed rate against nginx's; the gateway's peak RSS; its warm-up
#      curve from a fresh start; time to first byte of an SSE answer through it against direct.
# Usage, from anywhere in a clean checkout:  benchmarks/run.sh   (about 25 minutes on 2 cores; the load test alone,
# SKIP_JMH=1, about 7 minutes)
# Knobs (environment), defaults in brackets:
#   SKIP_JMH=1 SKIP_LOAD=1  JMH_WARMUPS [3] JMH_ITERATIONS [5] JMH_SECONDS [2]
#   CONNECTIONS [50]             connections of the full-speed rows
#   LOAD_SECONDS [30]            length of each full-speed row
#   CURVE_SECONDS [60]           1 s slices of the warm-up curve, from a freshly started gateway
#   GATEWAY_WARMUP_SECONDS [60]  further load on the gateway before any row (a JVM on 2 cores needs ~45 s)
#   FIXED_SECONDS [30]           length of each fixed-rate row
#   STREAM_REQUESTS [200]        sequential SSE requests each, direct and through the gateway
#   GATEWAY_JAVA_OPTS [@docker/gateway/jvm.options] JVM flags of the gateway (reported), with MALLOC_ARENA_MAX=2 as shipped
#   GATEWAY_JAR=path (default proxy-validator/gateway/target/claimgate-gateway.jar)
#   GATEWAY_CONFIG=path (default benchmarks/gateway/bench-config.yaml)
#   GATEWAY_SPEND_TRACKING=false measures the gateway without rate limits and spend (default true)
#   MAVEN_ARGS_EXTRA (e.g. -o to build offline); SKIP_BUILD=1 uses the jars already in target/
# Smoke run (proves every row and bar is produced; its figures mean nothing):
#   SKIP_JMH=1 CURVE_SECONDS=5 GATEWAY_WARMUP_SECONDS=5 LOAD_SECONDS=5 FIXED_SECONDS=5 STREAM_REQUESTS=20 benchmarks/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/benchmarks/target/run"
mkdir -p "$OUT"
JMH_WARMUPS="${JMH_WARMUPS:-3}"
JMH_ITERATIONS="${JMH_ITERATIONS:-5}"
JMH_SECONDS="${JMH_SECONDS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
LOAD_SECONDS="${LOAD_SECONDS:-30}"
CURVE_SECONDS="${CURVE_SECONDS:-60}"
GATEWAY_WARMUP_SECONDS="${GATEWAY_WARMUP_SECONDS:-60}"
FIXED_SECONDS="${FIXED_SECONDS:-30}"
STREAM_REQUESTS="${STREAM_REQUESTS:-200}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-@$ROOT/docker/gateway/jvm.options}"
UPSTREAM_PORT=18081
NGINX_PROXY_PORT=18082
GATEWAY_PORT=18083
SSE_PORT=18084
# The command as run, with every knob that was set, for the report.
BENCH_COMMAND="benchmarks/run.sh"
for knob in SKIP_BUILD SKIP_JMH SKIP_LOAD JMH_WARMUPS JMH_ITERATIONS JMH_SECONDS CONNECTIONS LOAD_SECONDS CURVE_SECONDS \
    GATEWAY_WARMUP_SECONDS FIXED_SECONDS STREAM_REQUESTS GATEWAY_JAVA_OPTS GATEWAY_JAR GATEWAY_CONFIG GATEWAY_SPEND_TRACKING; do
  if [ -n "$(printenv "$knob" || true)" ]; then
    BENCH_COMMAND="$knob='$(printenv "$knob")' $BENCH_COMMAND"
  fi
done
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
if [ -n "${SKIP_BUILD:-}" ] && [ -f "$ROOT/benchmarks/target/benchmarks.jar" ]; then
  log "not building (SKIP_BUILD=1): using the jars in target/"
else
  log "building (./mvnw -q -DskipTests package)"
  # The gateway module is named too: the load test runs its jar.
  # shellcheck disable=SC2086 # extra Maven flags, one word each
  ./mvnw -B -q ${MAVEN_ARGS_EXTRA:-} -DskipTests package -pl benchmarks,proxy-validator/gateway -am
fi
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

# ---------------------------------------------------------------- load test (issue 12's gateway bars)
# Every row is measured with hey at $CONNECTIONS connections in this run, beside its baseline (the upstream answered
# directly, nginx proxy_pass to it), so a busy machine moves figure and baseline together. Figures go to
# $OUT/gateway.properties, judged by io.claimgate.benchmarks.gateway.GatewayBars.
ensure_tools() {
  if ! command -v hey >/dev/null || ! command -v curl >/dev/null \
      || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; }; then
    log "installing hey, curl and nginx from Debian"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q hey curl nginx-light >/dev/null
  fi
}

FIGURES="$OUT/gateway.properties"
figure() { printf '%s=%s\n' "$1" "$2" >> "$FIGURES"; }
COMMANDS=()
# The token is never written anywhere: commands are recorded with the variable's name.
remember() { COMMANDS+=("$*"); }

# hey_figures FILE PREFIX: hey's summary -> PREFIX.rps/.p50/.p99 (ms)/.ok (2xx)/.failed (other statuses + errors)
hey_figures() {
  awk -v p="$2" '
    /^Status code distribution:/ {section = "status"; next}
    /^Error distribution:/ {section = "errors"; next}
    /Requests\/sec:/ {rps = $2}
    $1 == "50%" && $2 == "in" {p50 = $3 * 1000}
    $1 == "99%" && $2 == "in" {p99 = $3 * 1000}
    section == "status" && $1 ~ /^\[[0-9]+\]$/ {
      code = substr($1, 2, length($1) - 2); if (code ~ /^2/) ok += $2; else failed += $2 }
    section == "errors" && $1 ~ /^\[[0-9]+\]$/ {failed += substr($1, 2, length($1) - 2)}
    END {
      printf "%s.rps=%s\n%s.p50=%.3f\n%s.p99=%.3f\n%s.ok=%d\n%s.failed=%d\n", p, rps + 0, p, p50, p, p99, p, ok, p, failed
    }' "$1"
}

# run_hey NAME SECONDS URL [extra hey args]: a small chat completion POSTed with the token at $CONNECTIONS
# connections (or the -c/-q given), hey's output kept in $OUT/hey-NAME.txt
run_hey() {
  local name="$1" seconds="$2" url="$3"
  shift 3
  local args=(-z "${seconds}s" -c "$CONNECTIONS" -t 10 -m POST -T application/json -D "$BODY"
    -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" "$@" "$url")
  hey "${args[@]}" > "$OUT/hey-$name.txt" 2>&1 || true
}

# The hey command of a row, as a reader would type it (the token by name).
hey_command() {
  local seconds="$1" url="$2"
  shift 2
  local extra=""
  [ "$#" -gt 0 ] && extra="$(printf '%q ' "$@")"
  printf 'hey -z %ss -c %s -t 10 -m POST -T application/json -D benchmarks/gateway/chat.json -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" %s%s' \
    "$seconds" "$CONNECTIONS" "$extra" "$url"
}

# measure_row NAME URL [extra hey args]: one full-speed row
measure_row() {
  local name="$1" url="$2"
  shift 2
  log "hey $name: $CONNECTIONS connections, ${LOAD_SECONDS}s"
  run_hey "$name" "$LOAD_SECONDS" "$url" "$@"
  hey_figures "$OUT/hey-$name.txt" "row.$name" >> "$FIGURES"
  remember "$(hey_command "$LOAD_SECONDS" "$url" "$@")"
}

rss_kb() { awk -v k="$2" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# sample_rss FILE PID...: the peak of the summed VmRSS of the PIDs, sampled every 0.5 s until FILE.stop exists
sample_rss() {
  local file="$1" peak=0 total kb
  shift
  rm -f "$file.stop"
  while [ ! -f "$file.stop" ]; do
    total=0
    for pid in "$@"; do
      kb="$(rss_kb "$pid" VmRSS:)"
      total=$((total + ${kb:-0}))
    done
    [ "$total" -gt "$peak" ] && peak=$total
    echo "$peak" > "$file"
    sleep 0.5
  done
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

# ttfb_median FILE: median of the second column (seconds) in ms, over the lines whose first column is 200
# (or, with "tail", of the time from first byte to the end: near zero when a proxy buffered the stream)
median_ms() { awk -v what="${2:-first}" '$1 == "200" {print (what == "tail" ? $4 - $2 : $2) * 1000}' "$1" | sort -n | awk '{v[NR] = $1} END {
  if (NR == 0) print ""; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

GATEWAY_NOTE="hey (Debian), ${CONNECTIONS} connections, loopback; every row POSTs a small chat completion \
(benchmarks/gateway/chat.json) with the benchmark token. The upstream is nginx answering a fixed 70-byte JSON; \
'nginx proxy_pass' is nginx proxying to it with keep-alive and no auth, the floor any proxy pays. The gateway was \
started fresh, measured for its warm-up curve (${CURVE_SECONDS} 1 s slices), then warmed up for a further \
${GATEWAY_WARMUP_SECONDS} s (two thirds proxy path, one third /auth) before any row; each full-speed row ran \
${LOAD_SECONDS} s, each fixed-rate row ${FIXED_SECONDS} s. A row with any non-2xx answer or socket error FAILs."
: > "$FIGURES"
if [ -z "${SKIP_LOAD:-}" ]; then
  ensure_tools
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  BODY="$ROOT/benchmarks/gateway/chat.json"
  STREAM_BODY="$ROOT/benchmarks/gateway/chat-stream.json"
  mkdir -p "$OUT/nginx/www/realms/claimgate/protocol/openid-connect"
  java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens jwks \
    > "$OUT/nginx/www/realms/claimgate/protocol/openid-connect/certs"
  CLAIMGATE_BENCH_TOKEN="$(java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens token)"
  export CLAIMGATE_BENCH_TOKEN
  java -cp "$JAR" io.claimgate.benchmarks.gateway.SseUpstream "$SSE_PORT" > "$OUT/sse-upstream.log" 2>&1 &
  PIDS+=("$!")
  # /chat/completions (no /v1) is the streaming route: the upstream hands it to the SSE upstream unbuffered, so
  # direct and through the gateway take the same path behind the upstream port.
  cat > "$OUT/nginx/nginx.conf" <<NGINX
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
  upstream sse { server 127.0.0.1:$SSE_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    root $OUT/nginx/www;
    location = /realms/claimgate/protocol/openid-connect/certs { }
    location = /chat/completions {
      proxy_pass http://sse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
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
NGINX
  "$NGINX" -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
  wait_for_port "$UPSTREAM_PORT"
  wait_for_port "$SSE_PORT"
  figure connections "$CONNECTIONS"
  figure load.seconds "$LOAD_SECONDS"
  figure fixed.seconds "$FIXED_SECONDS"
  figure warmup.seconds "$GATEWAY_WARMUP_SECONDS"

  GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/proxy-validator/gateway/target/claimgate-gateway.jar}"
  GATEWAY_CONFIG="${GATEWAY_CONFIG:-$ROOT/benchmarks/gateway/bench-config.yaml}"
  GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
  AUTH_HEADERS=(-H "X-Original-URI: /v1/chat/completions" -H "X-Model: gpt-4o-mini")
  GATEWAY_PID=""
  if [ -f "$GATEWAY_JAR" ] && [ -f "$GATEWAY_CONFIG" ]; then
    log "starting the gateway: java $GATEWAY_JAVA_OPTS -jar $GATEWAY_JAR serve --config $GATEWAY_CONFIG"
    export CLAIMGATE_BENCH_MASTER_KEY="sk-bench-$RANDOM$RANDOM"
    rm -rf "$OUT/gateway-data"
    # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of JVM flags
    CLAIMGATE_BENCH_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
    CLAIMGATE_BENCH_JWKS="http://127.0.0.1:$UPSTREAM_PORT/realms/claimgate/protocol/openid-connect/certs" \
    CLAIMGATE_BENCH_PORT="$GATEWAY_PORT" CLAIMGATE_BENCH_DATA_DIR="$OUT/gateway-data" \
    CLAIMGATE_BENCH_SPEND="${GATEWAY_SPEND_TRACKING:-true}" \
    MALLOC_ARENA_MAX=2 \
      java $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" serve --config "$GATEWAY_CONFIG" > "$OUT/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
    if wait_for_port "$GATEWAY_PORT" "$GATEWAY_PID"; then
      figure jvm.flags "$(tr '\0' ' ' < "/proc/$GATEWAY_PID/cmdline" | sed 's/ *$//')"
      if command -v jcmd >/dev/null; then
        figure jvm.vmflags "$(jcmd "$GATEWAY_PID" VM.flags 2>/dev/null | tail -n +2 | tr '\n' ' ' | sed 's/ *$//')"
      fi
      # The token's team must exist, as in LiteLLM; created through the management API with the master key.
      TEAM_STATUS="$(curl -sS -o "$OUT/team.json" -w '%{http_code}' -X POST "$GATEWAY_URL/team/new" \
        -H "Authorization: Bearer $CLAIMGATE_BENCH_MASTER_KEY" -H 'Content-Type: application/json' \
        -d '{"team_id":"team-ml-platform","team_alias":"ML platform"}' || true)"
      log "team-ml-platform created: HTTP $TEAM_STATUS"
      # One request of each kind first: a refusal here means every row below would FAIL; say why now.
      for probe in proxy auth; do
        if [ "$probe" = proxy ]; then
          status="$(curl -sS -o "$OUT/probe-$probe.json" -w '%{http_code}' -X POST "$GATEWAY_URL/v1/chat/completions" \
            -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" -H 'Content-Type: application/json' --data-binary "@$BODY" || true)"
        else
          status="$(curl -sS -o "$OUT/probe-$probe.json" -w '%{http_code}' -X POST "$GATEWAY_URL/auth" \
            -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" "${AUTH_HEADERS[@]}" -H 'Content-Type: application/json' \
            --data-binary "@$BODY" || true)"
        fi
        log "first $probe request: HTTP $status $(head -c 300 "$OUT/probe-$probe.json")"
        [ "$status" = 200 ] || GATEWAY_NOTE="$GATEWAY_NOTE The first $probe request was answered $status: \
$(head -c 200 "$OUT/probe-$probe.json" | tr '\n|' '  ')."
      done

      # Warm-up curve: 1 s slices of full load from the fresh gateway, req/s of each.
      log "warm-up curve: $CURVE_SECONDS slices of 1 s at $CONNECTIONS connections, from a fresh gateway"
      CURVE=""
      CURVE_FAILED=0
      for i in $(seq 1 "$CURVE_SECONDS"); do
        run_hey "curve" 1 "$GATEWAY_URL/v1/chat/completions"
        hey_figures "$OUT/hey-curve.txt" s > "$OUT/slice.properties"
        CURVE="$CURVE $(sed -n 's/^s.rps=//p' "$OUT/slice.properties")"
        CURVE_FAILED=$((CURVE_FAILED + $(sed -n 's/^s.failed=//p' "$OUT/slice.properties")))
      done
      figure curve "${CURVE# }"
      figure curve.failed "$CURVE_FAILED"
      remember "for i in \$(seq $CURVE_SECONDS); do $(hey_command 1 "$GATEWAY_URL/v1/chat/completions"); done"
      log "warm-up curve (req/s):$CURVE"

      # A JVM on 2 cores reaches steady speed only after ~45 s of load: warm both paths before any row.
      log "warm-up: ${GATEWAY_WARMUP_SECONDS}s more (two thirds proxy path, one third /auth)"
      run_hey warmup-proxy $((GATEWAY_WARMUP_SECONDS * 2 / 3 > 0 ? GATEWAY_WARMUP_SECONDS * 2 / 3 : 1)) \
        "$GATEWAY_URL/v1/chat/completions"
      run_hey warmup-auth $((GATEWAY_WARMUP_SECONDS / 3 > 0 ? GATEWAY_WARMUP_SECONDS / 3 : 1)) \
        "$GATEWAY_URL/auth" "${AUTH_HEADERS[@]}"
    else
      GATEWAY_NOTE="$GATEWAY_NOTE The gateway did not start: $(tail -1 "$OUT/gateway.log" | cut -c1-200)"
      GATEWAY_PID=""
    fi
  else
    GATEWAY_NOTE="$GATEWAY_NOTE The gateway was not measured: $GATEWAY_JAR was not built."
  fi

  # Full-speed rows, baselines first (nginx gets a short warm-up of its own keep-alive pool).
  run_hey warmup-nginx 3 "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions"
  measure_row direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
  measure_row nginx "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions"
  if [ -n "$GATEWAY_PID" ]; then
    measure_row gateway "$GATEWAY_URL/v1/chat/completions"
    measure_row auth "$GATEWAY_URL/auth" "${AUTH_HEADERS[@]}"
  fi

  # Fixed rate: a third of nginx's full speed, at most 5,000 req/s. hey's -q is per worker: rate = q x c.
  NGINX_RPS="$(sed -n 's/^row.nginx.rps=//p' "$FIGURES")"
  RATE="$(awk -v r="$NGINX_RPS" 'BEGIN {r = int(r / 3); if (r > 5000) r = 5000; print r}')"
  FIXED_C="$CONNECTIONS"
  [ "$RATE" -lt "$FIXED_C" ] && FIXED_C="$RATE"
  if [ "$FIXED_C" -gt 0 ]; then
    FIXED_Q=$((RATE / FIXED_C))
    RATE=$((FIXED_Q * FIXED_C))
    figure fixed.rate "$RATE"
    log "fixed rate: $RATE req/s (hey -c $FIXED_C -q $FIXED_Q), ${FIXED_SECONDS}s each"
    NGINX_WORKERS="$(cat "/proc/$(cat "$OUT/nginx/nginx.pid")/task/$(cat "$OUT/nginx/nginx.pid")/children" 2>/dev/null || true)"
    # shellcheck disable=SC2086 # the worker pids, one argument each
    sample_rss "$OUT/rss-nginx" $NGINX_WORKERS &
    SAMPLER=$!
    CONNECTIONS_SAVED="$CONNECTIONS"
    CONNECTIONS="$FIXED_C"
    run_hey fixed-nginx "$FIXED_SECONDS" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" -q "$FIXED_Q"
    touch "$OUT/rss-nginx.stop"
    wait "$SAMPLER" || true
    hey_figures "$OUT/hey-fixed-nginx.txt" fixed.nginx >> "$FIGURES"
    figure rss.nginx.mb "$(awk '{printf "%.0f", $1 / 1024}' "$OUT/rss-nginx")"
    remember "$(hey_command "$FIXED_SECONDS" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" -q "$FIXED_Q")"
    if [ -n "$GATEWAY_PID" ]; then
      sample_rss "$OUT/rss-gateway" "$GATEWAY_PID" &
      SAMPLER=$!
      run_hey fixed-gateway "$FIXED_SECONDS" "$GATEWAY_URL/v1/chat/completions" -q "$FIXED_Q"
      touch "$OUT/rss-gateway.stop"
      wait "$SAMPLER" || true
      hey_figures "$OUT/hey-fixed-gateway.txt" fixed.gateway >> "$FIGURES"
      figure rss.peak.mb "$(awk '{printf "%.0f", $1 / 1024}' "$OUT/rss-gateway")"
      figure rss.hwm.mb "$(rss_kb "$GATEWAY_PID" VmHWM: | awk '{printf "%.0f", $1 / 1024}')"
      remember "$(hey_command "$FIXED_SECONDS" "$GATEWAY_URL/v1/chat/completions" -q "$FIXED_Q")"
    fi
    CONNECTIONS="$CONNECTIONS_SAVED"
  fi

  # Streaming: time to first byte of an SSE answer, direct and through the gateway, alternating request by request
  # so that drift in the machine's load falls on both; a few unmeasured requests first.
  if [ -n "$GATEWAY_PID" ]; then
    log "streaming: $STREAM_REQUESTS sequential SSE requests each, direct and through the gateway"
    : > "$OUT/ttfb-direct.txt"
    : > "$OUT/ttfb-gateway.txt"
    sse() {
      curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer} %{content_type} %{time_total}\n' -X POST "$1/chat/completions" \
        -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" -H 'Content-Type: application/json' \
        --data-binary "@$STREAM_BODY" 2>/dev/null || echo "000 0 -"
    }
    for i in $(seq 1 $((STREAM_REQUESTS + 20))); do
      d="$(sse "http://127.0.0.1:$UPSTREAM_PORT")"
      g="$(sse "$GATEWAY_URL")"
      if [ "$i" -gt 20 ]; then
        echo "$d" >> "$OUT/ttfb-direct.txt"
        echo "$g" >> "$OUT/ttfb-gateway.txt"
      fi
    done
    figure stream.requests "$STREAM_REQUESTS"
    figure stream.direct.ms "$(median_ms "$OUT/ttfb-direct.txt")"
    figure stream.gateway.ms "$(median_ms "$OUT/ttfb-gateway.txt")"
    figure stream.direct.tail.ms "$(median_ms "$OUT/ttfb-direct.txt" tail)"
    figure stream.gateway.tail.ms "$(median_ms "$OUT/ttfb-gateway.txt" tail)"
    # Failed: not a 200 or not an event stream (an answer buffered into JSON would not be one).
    figure stream.failed "$(cat "$OUT/ttfb-direct.txt" "$OUT/ttfb-gateway.txt" \
      | awk '$1 != "200" || $3 !~ /^text\/event-stream/ {n++} END {print n + 0}')"
    remember "curl -sS -o /dev/null -w '%{time_starttransfer}' -X POST URL/chat/completions -H \"Authorization: Bearer \$CLAIMGATE_BENCH_TOKEN\" -H 'Content-Type: application/json' --data-binary @benchmarks/gateway/chat-stream.json   # x $STREAM_REQUESTS, URL = upstream and gateway alternately"
  fi
  COMMANDS_JOINED=""
  for c in "${COMMANDS[@]:-}"; do
    COMMANDS_JOINED="${COMMANDS_JOINED:+$COMMANDS_JOINED ;; }$c"
  done
  figure commands "$COMMANDS_JOINED"
  echo >&2
  java -cp "$JAR" io.claimgate.benchmarks.gateway.GatewayBars "$FIGURES" | tee "$OUT/bars.txt" >&2
else
  GATEWAY_NOTE="the load test was skipped (SKIP_LOAD=1)."
fi

# ---------------------------------------------------------------- report
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
NOTE="Load average at start: $(sed -n 's/^load average at start: //p' "$OUT/machine.txt"); at end: $LOAD_END. \
Figures taken while other processes competed for the 2 cores are provisional.${BENCH_NOTE:+ $BENCH_NOTE}"
java -cp "$JAR" io.claimgate.benchmarks.BenchmarkReport \
  "jmh=$OUT/jmh.tsv" "openssl1=$OPENSSL1" "openssl2=$OPENSSL2" "gateway=$FIGURES" \
  "machine=$OUT/machine.txt" "command=$BENCH_COMMAND" "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "note=$NOTE" "gatewayNote=$GATEWAY_NOTE" "notes=$ROOT/benchmarks/NOTES.md" "out=$ROOT/docs/benchmarks.md"
log "wrote docs/benchmarks.md"
cat "$ROOT/docs/benchmarks.md"
