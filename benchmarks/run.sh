#!/usr/bin/env bash
# Runs every Claimgate benchmark and writes docs/benchmarks.md:
#   1. OpenSSL's RSA-2048 verify/s, the limit every figure is compared with;
#   2. JMH: Claimgate's verification and authenticate() against nimbus, auth0 java-jwt and jjwt, 1 and 2 threads;
#   3. the gateway bars of issue 12 and the cost of limits and spend (issue 10), with hey on loopback, each beside a
#      baseline measured in the same run: the upstream (nginx) answered directly, nginx proxy_pass to it (the floor),
#      and two Claimgate gateways from the same jar and JVM flags, one with limits and spend off and one with them on
#      (its benchmark team limited high enough never to refuse, so the limiter does its work), each proxying and
#      answering forward-auth /auth at full speed in short alternating segments so that the machine's drift falls on
#      both; p99 at a fixed rate against nginx's; each gateway's peak RSS; its warm-up curve from a fresh start; time
#      to first byte of an SSE answer through each against direct; CPU per request of each gateway and of its
#      embedded PostgreSQL.
# Usage, from anywhere in a clean checkout:  benchmarks/run.sh   (about 30 minutes on 2 cores; the load test alone,
# SKIP_JMH=1, about 12 minutes)
# Knobs (environment), defaults in brackets:
#   SKIP_JMH=1 SKIP_LOAD=1  JMH_WARMUPS [3] JMH_ITERATIONS [5] JMH_SECONDS [2]
#   CONNECTIONS [50]             connections of the full-speed rows
#   LOAD_SECONDS [30]            length of each full-speed row, split into LOAD_ROUNDS segments
#   LOAD_ROUNDS [3]              alternating segments per full-speed row (nginx, gateways off and on, in turn)
#   CURVE_SECONDS [60]           1 s slices of the warm-up curve, from a freshly started gateway (each gateway)
#   GATEWAY_WARMUP_SECONDS [60]  further load on each gateway before any row (a JVM on 2 cores needs ~45 s)
#   STREAM_WARMUP_SECONDS [10]   and then, each, new connections and the streaming route, which the SSE row uses
#   FIXED_SECONDS [30]           length of each fixed-rate row, split into FIXED_ROUNDS segments
#   FIXED_ROUNDS [2]             alternating segments per fixed-rate row (nginx, gateway off, gateway on, in turn)
#   FIXED_WARMUP_SECONDS [10]    one unmeasured segment each at the fixed rate, in the same turn, before those
#   STREAM_REQUESTS [200]        sequential SSE requests each, direct and through each gateway
#   GATEWAY_MODES [off,on]       which gateways: off = limits and spend off, on = on (one of them alone is allowed)
#   GATEWAY_JAVA_OPTS [@docker/gateway/jvm.options] JVM flags of the gateways (reported), with MALLOC_ARENA_MAX=2 as shipped
#   GATEWAY_JAR=path (default proxy-validator/gateway/target/claimgate-gateway.jar)
#   GATEWAY_CONFIG=path (default benchmarks/gateway/bench-config.yaml)
#   GATEWAY_SPEND_TRACKING=true|false  older knob: the same as GATEWAY_MODES=on or =off
#   MAVEN_ARGS_EXTRA (e.g. -o to build offline); SKIP_BUILD=1 uses the jars already in target/
# Smoke run (proves every row and bar is produced; its figures mean nothing):
#   SKIP_JMH=1 CURVE_SECONDS=5 GATEWAY_WARMUP_SECONDS=5 STREAM_WARMUP_SECONDS=2 LOAD_SECONDS=5 FIXED_SECONDS=5 \
#     FIXED_WARMUP_SECONDS=2 STREAM_REQUESTS=20 benchmarks/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=lib/common.sh
. "$ROOT/benchmarks/lib/common.sh"
OUT="$ROOT/benchmarks/target/run"
mkdir -p "$OUT"
JMH_WARMUPS="${JMH_WARMUPS:-3}"
JMH_ITERATIONS="${JMH_ITERATIONS:-5}"
JMH_SECONDS="${JMH_SECONDS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
LOAD_SECONDS="${LOAD_SECONDS:-30}"
LOAD_ROUNDS="${LOAD_ROUNDS:-3}"
CURVE_SECONDS="${CURVE_SECONDS:-60}"
GATEWAY_WARMUP_SECONDS="${GATEWAY_WARMUP_SECONDS:-60}"
STREAM_WARMUP_SECONDS="${STREAM_WARMUP_SECONDS:-10}"
FIXED_SECONDS="${FIXED_SECONDS:-30}"
FIXED_ROUNDS="${FIXED_ROUNDS:-2}"
FIXED_WARMUP_SECONDS="${FIXED_WARMUP_SECONDS:-10}"
STREAM_REQUESTS="${STREAM_REQUESTS:-200}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-@$ROOT/docker/gateway/jvm.options}"
if [ -z "${GATEWAY_MODES:-}" ]; then
  case "${GATEWAY_SPEND_TRACKING:-}" in
    false) GATEWAY_MODES=off ;;
    true) GATEWAY_MODES=on ;;
    *) GATEWAY_MODES=off,on ;;
  esac
fi
MODES=()
for mode in ${GATEWAY_MODES//,/ }; do
  case "$mode" in
    off | on) MODES+=("$mode") ;;
    *) echo "GATEWAY_MODES: '$mode' is neither off nor on" >&2; exit 2 ;;
  esac
done
[ "${#MODES[@]}" -gt 0 ] || { echo "GATEWAY_MODES names no gateway" >&2; exit 2; }
UPSTREAM_PORT=18081
NGINX_PROXY_PORT=18082
SSE_PORT=18084
declare -A GATEWAY_PORT=([off]=18083 [on]=18085)
# The command as run, with every knob that was set, for the report.
BENCH_COMMAND="benchmarks/run.sh"
for knob in SKIP_BUILD SKIP_JMH SKIP_LOAD JMH_WARMUPS JMH_ITERATIONS JMH_SECONDS CONNECTIONS LOAD_SECONDS LOAD_ROUNDS \
    CURVE_SECONDS GATEWAY_WARMUP_SECONDS STREAM_WARMUP_SECONDS FIXED_SECONDS FIXED_ROUNDS FIXED_WARMUP_SECONDS STREAM_REQUESTS GATEWAY_MODES GATEWAY_JAVA_OPTS \
    GATEWAY_JAR GATEWAY_CONFIG GATEWAY_SPEND_TRACKING; do
  if [ -n "$(printenv "$knob" || true)" ]; then
    BENCH_COMMAND="$knob='$(printenv "$knob")' $BENCH_COMMAND"
  fi
done
for rounds in LOAD_ROUNDS FIXED_ROUNDS; do
  [[ "${!rounds}" =~ ^[1-9][0-9]*$ ]] || { echo "$rounds must be a whole number of at least 1" >&2; exit 2; }
done
# Segments of whole seconds, at least one each; a row's length as run is segment x rounds.
LOAD_SEGMENT=$((LOAD_SECONDS / LOAD_ROUNDS > 0 ? LOAD_SECONDS / LOAD_ROUNDS : 1))
FIXED_SEGMENT=$((FIXED_SECONDS / FIXED_ROUNDS > 0 ? FIXED_SECONDS / FIXED_ROUNDS : 1))
LOAD_SECONDS=$((LOAD_SEGMENT * LOAD_ROUNDS))
FIXED_SECONDS=$((FIXED_SEGMENT * FIXED_ROUNDS))
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

# ---------------------------------------------------------------- load test (issue 12's gateway bars, issue 10's cost)
# Every row is measured with hey at $CONNECTIONS connections in this run, beside its baseline (the upstream answered
# directly, nginx proxy_pass to it), so a busy machine moves figure and baseline together; nginx and the two gateways
# take turns in short segments, so drift within the run falls on each. Figures go to $OUT/gateway.properties, judged
# by io.claimgate.benchmarks.gateway.GatewayBars (issue 12, per gateway) and MeteringCost (issue 10, on against off).
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

# combine_segments PREFIX FILE...: the segments of one row (each hey_figures' output with prefix "s") -> PREFIX.*:
# req/s the mean of the equal-length segments, p50 and p99 the worst segment's, 2xx and failed summed; and
# PREFIX.segments.rps, each segment's req/s, so that drift within the run shows.
combine_segments() {
  local prefix="$1"
  shift
  awk -F= -v p="$prefix" '
    $1 == "s.rps" {n++; rps += $2; each = each (n > 1 ? " " : "") sprintf("%.0f", $2)}
    $1 == "s.p50" && $2 > p50 {p50 = $2}
    $1 == "s.p99" && $2 > p99 {p99 = $2}
    $1 == "s.ok" {ok += $2}
    $1 == "s.failed" {failed += $2}
    END {
      printf "%s.rps=%.1f\n%s.p50=%.3f\n%s.p99=%.3f\n%s.ok=%d\n%s.failed=%d\n%s.segments.rps=%s\n", p, (n ? rps / n : 0),
        p, p50, p, p99, p, ok, p, failed, p, each
    }' "$@"
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

CLK_TCK="$(getconf CLK_TCK)"

# postmaster_of DIR: the embedded PostgreSQL's postmaster, the process whose command line names the data directory
# under DIR (its backends rename themselves "postgres: ..." and name no directory)
postmaster_of() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qE -- "postgres.* -D $1( |\$)"; then
      echo "$pid"
      return
    fi
  done
}

# db_ticks POSTMASTER: the CPU ticks of the postmaster and every backend it started: the live ones from
# /proc/PID/task/*/children, those already gone through the postmaster's cutime + cstime (a backend's time moves there
# when it exits, so a sum taken before and after a segment counts each tick once)
db_ticks() {
  local total child
  [ -n "$1" ] || { echo 0; return; }
  total="$(cpu_ticks "$1" children)"
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    total=$((total + $(cpu_ticks "$child")))
  done
  echo "$total"
}

# ttfb_median FILE: median of the second column (seconds) in ms, over the lines whose first column is 200
# (or, with "tail", of the time from first byte to the end: near zero when a proxy buffered the stream)
median_ms() { awk -v what="${2:-first}" '$1 == "200" {print (what == "tail" ? $4 - $2 : $2) * 1000}' "$1" | sort -n | awk '{v[NR] = $1} END {
  if (NR == 0) print ""; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

GATEWAY_NOTE="hey (Debian), ${CONNECTIONS} connections, loopback; every row POSTs a small chat completion \
(benchmarks/gateway/chat.json) with the benchmark token. The upstream is nginx answering a fixed 70-byte JSON; \
'nginx proxy_pass' is nginx proxying to it with keep-alive and no auth, the floor any proxy pays. Two gateways ran \
from the same jar and JVM flags: 'off' with limits and spend off, 'on' with them on and the benchmark team limited \
(rpm_limit, tpm_limit, max_parallel_requests) far above what the run reaches, so the limiter counts every proxied \
request and refuses none. Each gateway was started fresh, measured for its warm-up curve (${CURVE_SECONDS} 1 s \
slices; 'on' first, then 'off', one under load at a time), then warmed up for a further ${GATEWAY_WARMUP_SECONDS} s \
(two thirds proxy path, one third /auth) and ${STREAM_WARMUP_SECONDS} s each of new connections and of the streaming \
route (10 connections) before any row. Each full-speed row ran ${LOAD_SECONDS} s in \
${LOAD_ROUNDS} segments of ${LOAD_SEGMENT} s, nginx and the gateways taking turns, req/s the mean of its segments \
and p50/p99 the worst segment's; each fixed-rate row ran ${FIXED_ROUNDS} segments of ${FIXED_SEGMENT} s in turn, p99 \
the worst segment's and peak RSS the highest, after one unmeasured segment of ${FIXED_WARMUP_SECONDS} s each at the \
same rate in the same turn (its p99 is given under the fixed-rate table). A row with any non-2xx answer or socket \
error FAILs."
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
  write_nginx_conf "$OUT/nginx" "$UPSTREAM_PORT" "$NGINX_PROXY_PORT" "$SSE_PORT"
  "$NGINX" -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
  wait_for_port "$UPSTREAM_PORT"
  wait_for_port "$SSE_PORT"
  figure connections "$CONNECTIONS"
  figure load.seconds "$LOAD_SECONDS"
  figure load.rounds "$LOAD_ROUNDS"
  figure fixed.seconds "$FIXED_SECONDS"
  figure fixed.rounds "$FIXED_ROUNDS"
  figure warmup.seconds "$GATEWAY_WARMUP_SECONDS"

  GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/proxy-validator/gateway/target/claimgate-gateway.jar}"
  GATEWAY_CONFIG="${GATEWAY_CONFIG:-$ROOT/benchmarks/gateway/bench-config.yaml}"
  AUTH_HEADERS=(-H "X-Original-URI: /v1/chat/completions" -H "X-Model: gpt-4o-mini")
  declare -A GATEWAY_URL GATEWAY_PID POSTMASTER
  # The gateways that started and answered; the rows below measure these.
  UP=()
  # The spend-on gateway first: its curve is measured first, and it is the one issue 10 is about.
  ORDERED=()
  for mode in on off; do
    [[ " ${MODES[*]} " == *" $mode "* ]] && ORDERED+=("$mode")
  done
  # The benchmark team: with limits and spend on, limits high enough never to refuse, so the rate limiter counts every
  # request (a team without limits is admitted before any counting) and the row measures its work.
  TEAM_LIMITS=',"rpm_limit":1000000000,"tpm_limit":1000000000,"max_parallel_requests":1000000'
  if [ -f "$GATEWAY_JAR" ] && [ -f "$GATEWAY_CONFIG" ]; then
    export CLAIMGATE_BENCH_MASTER_KEY="sk-bench-$RANDOM$RANDOM"
    for mode in "${ORDERED[@]}"; do
      port="${GATEWAY_PORT[$mode]}"
      url="http://127.0.0.1:$port"
      spend=false
      [ "$mode" = on ] && spend=true
      log "starting gateway $mode (limits and spend $mode): java $GATEWAY_JAVA_OPTS -jar $GATEWAY_JAR serve --config $GATEWAY_CONFIG"
      rm -rf "$OUT/gateway-data-$mode"
      # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of JVM flags
      CLAIMGATE_BENCH_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
      CLAIMGATE_BENCH_JWKS="http://127.0.0.1:$UPSTREAM_PORT/realms/claimgate/protocol/openid-connect/certs" \
      CLAIMGATE_BENCH_PORT="$port" CLAIMGATE_BENCH_DATA_DIR="$OUT/gateway-data-$mode" \
      CLAIMGATE_BENCH_SPEND="$spend" \
      MALLOC_ARENA_MAX=2 \
        java $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" serve --config "$GATEWAY_CONFIG" > "$OUT/gateway-$mode.log" 2>&1 &
      pid=$!
      PIDS+=("$pid")
      if ! wait_for_port "$port" "$pid"; then
        GATEWAY_NOTE="$GATEWAY_NOTE Gateway $mode did not start: $(tail -1 "$OUT/gateway-$mode.log" | cut -c1-200)"
        continue
      fi
      GATEWAY_URL[$mode]="$url"
      GATEWAY_PID[$mode]="$pid"
      POSTMASTER[$mode]="$(postmaster_of "$OUT/gateway-data-$mode")"
      [ -n "${POSTMASTER[$mode]}" ] || log "gateway $mode: no embedded PostgreSQL found under $OUT/gateway-data-$mode"
      figure "$mode.jvm.flags" "$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ *$//')"
      if command -v jcmd >/dev/null; then
        figure "$mode.jvm.vmflags" "$(jcmd "$pid" VM.flags 2>/dev/null | tail -n +2 | tr '\n' ' ' | sed 's/ *$//')"
      fi
      limits=""
      [ "$mode" = on ] && limits="$TEAM_LIMITS"
      # The token's team must exist, as in LiteLLM; created through the management API with the master key.
      status="$(curl -sS -o "$OUT/team-$mode.json" -w '%{http_code}' -X POST "$url/team/new" \
        -H "Authorization: Bearer $CLAIMGATE_BENCH_MASTER_KEY" -H 'Content-Type: application/json' \
        -d "{\"team_id\":\"team-ml-platform\",\"team_alias\":\"ML platform\"$limits}" || true)"
      log "gateway $mode: team-ml-platform created: HTTP $status"
      # One request of each kind first: a refusal here means every row below would FAIL; say why now.
      for probe in proxy auth; do
        if [ "$probe" = proxy ]; then
          status="$(curl -sS -D "$OUT/probe-$mode-$probe.headers" -o "$OUT/probe-$mode-$probe.json" -w '%{http_code}' \
            -X POST "$url/v1/chat/completions" -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" \
            -H 'Content-Type: application/json' --data-binary "@$BODY" || true)"
        else
          status="$(curl -sS -D "$OUT/probe-$mode-$probe.headers" -o "$OUT/probe-$mode-$probe.json" -w '%{http_code}' \
            -X POST "$url/auth" -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" "${AUTH_HEADERS[@]}" \
            -H 'Content-Type: application/json' --data-binary "@$BODY" || true)"
        fi
        log "gateway $mode: first $probe request: HTTP $status $(head -c 300 "$OUT/probe-$mode-$probe.json")"
        [ "$status" = 200 ] || GATEWAY_NOTE="$GATEWAY_NOTE Gateway $mode answered the first $probe request \
$status: $(head -c 200 "$OUT/probe-$mode-$probe.json" | tr '\n|' '  ')."
      done
      # The limiter's answer headers (x-ratelimit-*) show it counted the request: proof the row measures its work.
      limiter="$(grep -ci '^x-ratelimit-remaining-requests:' "$OUT/probe-$mode-proxy.headers" || true)"
      figure "$mode.limiter" "$([ "${limiter:-0}" -gt 0 ] && echo counted || echo skipped)"
      log "gateway $mode: rate limiter $([ "${limiter:-0}" -gt 0 ] && echo counted || echo skipped) the first request"
      UP+=("$mode")
    done

    # Warm-up curve: 1 s slices of full load from each fresh gateway in turn, req/s of each.
    for mode in "${UP[@]}"; do
      log "gateway $mode: warm-up curve, $CURVE_SECONDS slices of 1 s at $CONNECTIONS connections"
      CURVE=""
      CURVE_FAILED=0
      for _ in $(seq 1 "$CURVE_SECONDS"); do
        run_hey "curve-$mode" 1 "${GATEWAY_URL[$mode]}/v1/chat/completions"
        hey_figures "$OUT/hey-curve-$mode.txt" s > "$OUT/slice.properties"
        CURVE="$CURVE $(sed -n 's/^s.rps=//p' "$OUT/slice.properties")"
        CURVE_FAILED=$((CURVE_FAILED + $(sed -n 's/^s.failed=//p' "$OUT/slice.properties")))
      done
      figure "$mode.curve" "${CURVE# }"
      figure "$mode.curve.failed" "$CURVE_FAILED"
      log "gateway $mode: warm-up curve (req/s):$CURVE"
    done
    if [ "${#UP[@]}" -gt 0 ]; then
      remember "for i in \$(seq $CURVE_SECONDS); do $(hey_command 1 "http://127.0.0.1:PORT/v1/chat/completions"); done   # PORT = each gateway's, in turn"
    fi
    # A JVM on 2 cores reaches steady speed only after ~45 s of load: warm both paths of each before any row.
    for mode in "${UP[@]}"; do
      log "gateway $mode: warm-up, ${GATEWAY_WARMUP_SECONDS}s more (two thirds proxy path, one third /auth)"
      run_hey "warmup-proxy-$mode" $((GATEWAY_WARMUP_SECONDS * 2 / 3 > 0 ? GATEWAY_WARMUP_SECONDS * 2 / 3 : 1)) \
        "${GATEWAY_URL[$mode]}/v1/chat/completions"
      run_hey "warmup-auth-$mode" $((GATEWAY_WARMUP_SECONDS / 3 > 0 ? GATEWAY_WARMUP_SECONDS / 3 : 1)) \
        "${GATEWAY_URL[$mode]}/auth" "${AUTH_HEADERS[@]}"
      # The SSE row opens a new connection per request (curl) to the streaming route; warm what it runs too, or it
      # measures the JIT: with only the rows above warmed, the first byte came ~0.9 ms later than once these were.
      log "gateway $mode: warm-up, ${STREAM_WARMUP_SECONDS}s of new connections, ${STREAM_WARMUP_SECONDS}s of streams"
      run_hey "warmup-connect-$mode" "$STREAM_WARMUP_SECONDS" "${GATEWAY_URL[$mode]}/v1/chat/completions" \
        -c 10 -disable-keepalive
      run_hey "warmup-stream-$mode" "$STREAM_WARMUP_SECONDS" "${GATEWAY_URL[$mode]}/chat/completions" \
        -c 10 -D "$STREAM_BODY"
    done
  else
    GATEWAY_NOTE="$GATEWAY_NOTE The gateway was not measured: $GATEWAY_JAR was not built."
  fi
  figure modes "$(IFS=,; echo "${UP[*]:-}")"

  # segment ROW MODE URL ROUND [extra hey args]: one full-speed segment of ROW (MODE "-" for nginx and direct), with
  # the CPU ticks of the gateway and of its PostgreSQL over it
  segment() {
    local row="$1" mode="$2" url="$3" round="$4" name gw0 gw1 db0 db1
    shift 4
    name="$row"
    if [ "$mode" != - ]; then
      name="$row-$mode"
      gw0="$(cpu_ticks "${GATEWAY_PID[$mode]}")"
      db0="$(db_ticks "${POSTMASTER[$mode]}")"
    fi
    run_hey "$name-$round" "$LOAD_SEGMENT" "$url" "$@"
    if [ "$mode" != - ]; then
      gw1="$(cpu_ticks "${GATEWAY_PID[$mode]}")"
      db1="$(db_ticks "${POSTMASTER[$mode]}")"
      printf 's.cpu.gateway=%s\ns.cpu.db=%s\n' "$((gw1 - gw0))" "$((db1 - db0))" > "$OUT/cpu-$name-$round.properties"
    fi
    hey_figures "$OUT/hey-$name-$round.txt" s > "$OUT/seg-$name-$round.properties"
  }
  # row_figures ROW MODE: the segments of a row -> its figures; for a gateway also its CPU µs per request (all ticks
  # of all segments over all requests answered in them)
  row_figures() {
    local row="$1" mode="$2" prefix name
    if [ "$mode" = - ]; then
      prefix="row.$row"
      name="$row"
    else
      prefix="$mode.row.$row"
      name="$row-$mode"
    fi
    combine_segments "$prefix" "$OUT"/seg-"$name"-*.properties >> "$FIGURES"
    if [ "$mode" != - ]; then
      cat "$OUT"/seg-"$name"-*.properties "$OUT"/cpu-"$name"-*.properties | awk -F= -v p="$prefix" -v hz="$CLK_TCK" '
        $1 == "s.ok" || $1 == "s.failed" {n += $2}
        $1 == "s.cpu.gateway" {gw += $2}
        $1 == "s.cpu.db" {db += $2}
        END {if (n > 0) printf "%s.cpu.gateway.us=%.1f\n%s.cpu.db.us=%.1f\n", p, gw / hz * 1e6 / n, p, db / hz * 1e6 / n}' \
        >> "$FIGURES"
    fi
  }

  # Full-speed rows: direct once (informational), then rounds in which nginx, the gateways' proxy path and their
  # /auth each run one segment, the gateways' order swapped every round so neither always follows the other.
  rm -f "$OUT"/seg-*.properties "$OUT"/cpu-*.properties
  run_hey warmup-nginx 3 "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions"
  log "full speed: direct, ${LOAD_ROUNDS} segments of ${LOAD_SEGMENT}s"
  for round in $(seq 1 "$LOAD_ROUNDS"); do
    segment direct - "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" "$round"
  done
  row_figures direct -
  remember "$(hey_command "$LOAD_SEGMENT" "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions")   # x $LOAD_ROUNDS"
  for round in $(seq 1 "$LOAD_ROUNDS"); do
    turn=("${UP[@]}")
    if [ $((round % 2)) -eq 0 ] && [ "${#UP[@]}" -eq 2 ]; then
      turn=("${UP[1]}" "${UP[0]}")
    fi
    log "full speed, round $round of $LOAD_ROUNDS: nginx, then proxy path and /auth of ${turn[*]:-no gateway}, ${LOAD_SEGMENT}s each"
    segment nginx - "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" "$round"
    for mode in "${turn[@]}"; do
      segment gateway "$mode" "${GATEWAY_URL[$mode]}/v1/chat/completions" "$round"
    done
    for mode in "${turn[@]}"; do
      segment auth "$mode" "${GATEWAY_URL[$mode]}/auth" "$round" "${AUTH_HEADERS[@]}"
    done
  done
  row_figures nginx -
  remember "$(hey_command "$LOAD_SEGMENT" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions")   # x $LOAD_ROUNDS, in turn with the gateways"
  for mode in "${UP[@]}"; do
    row_figures gateway "$mode"
    row_figures auth "$mode"
    remember "$(hey_command "$LOAD_SEGMENT" "${GATEWAY_URL[$mode]}/v1/chat/completions")   # gateway $mode, x $LOAD_ROUNDS"
    remember "$(hey_command "$LOAD_SEGMENT" "${GATEWAY_URL[$mode]}/auth" "${AUTH_HEADERS[@]}")   # gateway $mode, x $LOAD_ROUNDS"
  done
  figure clk.tck "$CLK_TCK"

  # Fixed rate: a third of nginx's full speed, at most 5,000 req/s. hey's -q is per worker: rate = q x c.
  NGINX_RPS="$(sed -n 's/^row.nginx.rps=//p' "$FIGURES")"
  RATE="$(awk -v r="$NGINX_RPS" 'BEGIN {r = int(r / 3); if (r > 5000) r = 5000; print r}')"
  FIXED_C="$CONNECTIONS"
  [ "$RATE" -lt "$FIXED_C" ] && FIXED_C="$RATE"
  if [ "$FIXED_C" -gt 0 ]; then
    FIXED_Q=$((RATE / FIXED_C))
    RATE=$((FIXED_Q * FIXED_C))
    figure fixed.rate "$RATE"
    CONNECTIONS_SAVED="$CONNECTIONS"
    CONNECTIONS="$FIXED_C"
    NGINX_WORKERS="$(cat "/proc/$(cat "$OUT/nginx/nginx.pid")/task/$(cat "$OUT/nginx/nginx.pid")/children" 2>/dev/null || true)"
    # fixed_segment NAME URL ROUND PID...: one fixed-rate segment, the peak summed RSS of the PIDs sampled through it
    fixed_segment() {
      local name="$1" url="$2" round="$3" sampler
      shift 3
      # shellcheck disable=SC2068 # the pids, one argument each
      sample_rss "$OUT/rss-$name-$round" $@ &
      sampler=$!
      run_hey "fixed-$name-$round" "$FIXED_SEGMENT" "$url" -q "$FIXED_Q"
      touch "$OUT/rss-$name-$round.stop"
      wait "$sampler" || true
      hey_figures "$OUT/hey-fixed-$name-$round.txt" s > "$OUT/fixedseg-$name-$round.properties"
    }
    rm -f "$OUT"/fixedseg-*.properties "$OUT"/rss-*
    # One unmeasured round first. A gateway's first segment at a fixed rate is the JIT's first sight of what full
    # speed never runs (event loops idling between hey's bursts; pooled upstream connections expired while the other
    # targets ran): its compiled code is thrown away and rebuilt under load, and its CPU per request was half again
    # the later segments'. Its p99 is reported, not judged.
    if [ "$FIXED_WARMUP_SECONDS" -gt 0 ]; then
      log "fixed rate, unmeasured round: $RATE req/s, ${FIXED_WARMUP_SECONDS}s each: nginx ${UP[*]:-}"
      run_hey fixed-warmup-nginx "$FIXED_WARMUP_SECONDS" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" \
        -q "$FIXED_Q"
      hey_figures "$OUT/hey-fixed-warmup-nginx.txt" fixed.warmup.nginx | grep '\.p99=' >> "$FIGURES"
      for mode in "${UP[@]}"; do
        run_hey "fixed-warmup-$mode" "$FIXED_WARMUP_SECONDS" "${GATEWAY_URL[$mode]}/v1/chat/completions" -q "$FIXED_Q"
        hey_figures "$OUT/hey-fixed-warmup-$mode.txt" "$mode.fixed.warmup" | grep '\.p99=' >> "$FIGURES"
      done
      figure fixed.warmup.seconds "$FIXED_WARMUP_SECONDS"
    fi
    for round in $(seq 1 "$FIXED_ROUNDS"); do
      turn=("${UP[@]}")
      if [ $((round % 2)) -eq 0 ] && [ "${#UP[@]}" -eq 2 ]; then
        turn=("${UP[1]}" "${UP[0]}")
      fi
      log "fixed rate, round $round of $FIXED_ROUNDS: $RATE req/s (hey -c $FIXED_C -q $FIXED_Q), ${FIXED_SEGMENT}s each: nginx ${turn[*]:-}"
      # shellcheck disable=SC2086 # the worker pids, one argument each
      fixed_segment nginx "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" "$round" $NGINX_WORKERS
      for mode in "${turn[@]}"; do
        fixed_segment "gateway-$mode" "${GATEWAY_URL[$mode]}/v1/chat/completions" "$round" "${GATEWAY_PID[$mode]}"
      done
    done
    # peak_mb NAME: the highest peak of NAME's segments, in MB
    peak_mb() { cat "$OUT"/rss-"$1"-[0-9]* 2>/dev/null | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }
    combine_segments fixed.nginx "$OUT"/fixedseg-nginx-*.properties >> "$FIGURES"
    figure rss.nginx.mb "$(peak_mb nginx)"
    remember "$(hey_command "$FIXED_SEGMENT" "http://127.0.0.1:$NGINX_PROXY_PORT/v1/chat/completions" -q "$FIXED_Q")   # x $FIXED_ROUNDS, in turn with the gateways"
    for mode in "${UP[@]}"; do
      combine_segments "$mode.fixed.gateway" "$OUT"/fixedseg-gateway-"$mode"-*.properties >> "$FIGURES"
      figure "$mode.rss.peak.mb" "$(peak_mb "gateway-$mode")"
      figure "$mode.rss.hwm.mb" "$(rss_kb "${GATEWAY_PID[$mode]}" VmHWM: | awk '{printf "%.0f", $1 / 1024}')"
      remember "$(hey_command "$FIXED_SEGMENT" "${GATEWAY_URL[$mode]}/v1/chat/completions" -q "$FIXED_Q")   # gateway $mode, x $FIXED_ROUNDS"
    done
    CONNECTIONS="$CONNECTIONS_SAVED"
  fi

  # Streaming: time to first byte of an SSE answer, direct and through each gateway, in turn request by request so
  # that drift in the machine's load falls on all; a few unmeasured requests first.
  if [ "${#UP[@]}" -gt 0 ]; then
    log "streaming: $STREAM_REQUESTS sequential SSE requests each, direct and through gateway ${UP[*]}"
    : > "$OUT/ttfb-direct.txt"
    for mode in "${UP[@]}"; do
      : > "$OUT/ttfb-$mode.txt"
    done
    sse() {
      curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer} %{content_type} %{time_total}\n' -X POST "$1/chat/completions" \
        -H "Authorization: Bearer $CLAIMGATE_BENCH_TOKEN" -H 'Content-Type: application/json' \
        --data-binary "@$STREAM_BODY" 2>/dev/null || echo "000 0 -"
    }
    for i in $(seq 1 $((STREAM_REQUESTS + 20))); do
      d="$(sse "http://127.0.0.1:$UPSTREAM_PORT")"
      [ "$i" -gt 20 ] && echo "$d" >> "$OUT/ttfb-direct.txt"
      for mode in "${UP[@]}"; do
        g="$(sse "${GATEWAY_URL[$mode]}")"
        [ "$i" -gt 20 ] && echo "$g" >> "$OUT/ttfb-$mode.txt"
      done
    done
    # Failed: not a 200 or not an event stream (an answer buffered into JSON would not be one).
    stream_failed() { cat "$@" | awk '$1 != "200" || $3 !~ /^text\/event-stream/ {n++} END {print n + 0}'; }
    figure stream.requests "$STREAM_REQUESTS"
    figure stream.direct.ms "$(median_ms "$OUT/ttfb-direct.txt")"
    figure stream.direct.tail.ms "$(median_ms "$OUT/ttfb-direct.txt" tail)"
    figure stream.direct.failed "$(stream_failed "$OUT/ttfb-direct.txt")"
    for mode in "${UP[@]}"; do
      figure "$mode.stream.gateway.ms" "$(median_ms "$OUT/ttfb-$mode.txt")"
      figure "$mode.stream.gateway.tail.ms" "$(median_ms "$OUT/ttfb-$mode.txt" tail)"
      figure "$mode.stream.gateway.failed" "$(stream_failed "$OUT/ttfb-$mode.txt")"
    done
    remember "curl -sS -o /dev/null -w '%{time_starttransfer}' -X POST URL/chat/completions -H \"Authorization: Bearer \$CLAIMGATE_BENCH_TOKEN\" -H 'Content-Type: application/json' --data-binary @benchmarks/gateway/chat-stream.json   # x $STREAM_REQUESTS, URL = upstream and each gateway in turn"
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
