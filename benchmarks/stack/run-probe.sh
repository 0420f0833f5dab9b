#!/usr/bin/env bash
# The HTTP stack's own floor on the gateway's proxy path (issue 12): nginx proxy_pass, a minimal Jetty 12 reverse
# proxy set up as the gateway sets up Jetty ("Jetty floor"), the same minimal proxy on Netty 4.2 with 1 and with 2
# event loop threads ("Netty floor"), and the real Claimgate gateway (spend tracking off), in one run on one machine.
# Both probes do the same minimal work per request (io.claimgate.benchmarks.stack.StackProbe): the Authorization
# value read as a String and looked up in a HashMap of one token, the small body read, method, path, headers and body
# forwarded over pooled kept-alive HTTP/1.1 connections, the answer copied back.
#
# Rows: each process is warmed for WARMUP seconds, then ROUNDS rounds of SEGMENT-second segments take turns
# (nginx, jetty, netty-1, netty-2, gateway), so drift on a shared machine falls on all of them; req/s is the mean of
# the segments, p99 the worst, CPU µs per request the process's utime + stime over its segments divided by the
# requests answered (the nginx worker's own column: it is the upstream for every row, and the proxy too in nginx's).
# Then one fixed-rate segment each (hey -c 50 -q 100: 100 req/s per connection, 5,000 req/s offered) for p99.
#
# Usage: benchmarks/stack/run-probe.sh   (after ./mvnw -B -o -q install -DskipTests; needs nginx and hey)
#   WARMUP [45]  SEGMENT [10]  ROUNDS [3]  CONNECTIONS [50]  FIXED_QPS [100] (hey -q: per connection)
#   ROWS ["nginx jetty netty1 netty2 gateway"]  JAVA_OPTS [@docker/gateway/jvm.options]
# Output: benchmarks/target/stack-probe/{table.md,hey-*.txt,*.log}
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/benchmarks/target/stack-probe"
# shellcheck source=../lib/common.sh
. "$ROOT/benchmarks/lib/common.sh"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/proxy-validator/gateway/target/claimgate-gateway.jar}"
GATEWAY_CONFIG="$ROOT/benchmarks/gateway/bench-config.yaml"
BODY="$ROOT/benchmarks/gateway/chat.json"
WARMUP="${WARMUP:-45}"
SEGMENT="${SEGMENT:-10}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
FIXED_QPS="${FIXED_QPS:-100}"
ROWS=(${ROWS:-nginx jetty netty1 netty2 gateway})
JAVA_OPTS="${JAVA_OPTS:-@$ROOT/docker/gateway/jvm.options}"
CLK_TCK="$(getconf CLK_TCK)"

# Clear of run.sh's 18081-18085.
UPSTREAM_PORT=18191
declare -A PORT=([nginx]=18192 [jetty]=18193 [netty1]=18194 [netty2]=18195 [gateway]=18196)
declare -A PID
PIDS=()

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "build first: ./mvnw -B -o -q install -DskipTests" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT/nginx/www/realms/claimgate/protocol/openid-connect"
java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens jwks > "$OUT/nginx/www/realms/claimgate/protocol/openid-connect/certs"
TOKEN="$(java -cp "$JAR" io.claimgate.benchmarks.KeycloakTokens token)"

# run.sh's nginx: one worker answers as the upstream (a fixed 70-byte JSON, and the JWKS for the gateway) and
# proxies to itself with keep-alive as the baseline.
write_nginx_conf "$OUT/nginx" "$UPSTREAM_PORT" "${PORT[nginx]}"
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
wait_for_port "$UPSTREAM_PORT"
# The one worker: its CPU during a probe's segment is the upstream's share alone.
NGINX_WORKER="$(pgrep -P "$(cat "$OUT/nginx/nginx.pid")" | head -1)"
PID[nginx]="$NGINX_WORKER"

start_java() { # NAME COMMAND...
  local name="$1"
  shift
  "$@" > "$OUT/$name.log" 2>&1 &
  PID[$name]=$!
  PIDS+=("$!")
}
upstream="http://127.0.0.1:$UPSTREAM_PORT"
for row in "${ROWS[@]}"; do
  case "$row" in
    jetty) start_java jetty java $JAVA_OPTS -cp "$JAR" io.claimgate.benchmarks.stack.StackProbe jetty "${PORT[jetty]}" "$upstream" "$TOKEN" ;;
    netty1) start_java netty1 java $JAVA_OPTS -Dprobe.eventLoops=1 -cp "$JAR" io.claimgate.benchmarks.stack.StackProbe netty "${PORT[netty1]}" "$upstream" "$TOKEN" ;;
    netty2) start_java netty2 java $JAVA_OPTS -Dprobe.eventLoops=2 -cp "$JAR" io.claimgate.benchmarks.stack.StackProbe netty "${PORT[netty2]}" "$upstream" "$TOKEN" ;;
    gateway)
      export CLAIMGATE_BENCH_MASTER_KEY="sk-bench-$RANDOM$RANDOM"
      start_java gateway env CLAIMGATE_BENCH_UPSTREAM="$upstream" \
        CLAIMGATE_BENCH_JWKS="$upstream/realms/claimgate/protocol/openid-connect/certs" \
        CLAIMGATE_BENCH_PORT="${PORT[gateway]}" CLAIMGATE_BENCH_DATA_DIR="$OUT/gateway-data" CLAIMGATE_BENCH_SPEND=false \
        MALLOC_ARENA_MAX=2 java $JAVA_OPTS -jar "$GATEWAY_JAR" serve --config "$GATEWAY_CONFIG" ;;
  esac
done
LIVE=()
for row in "${ROWS[@]}"; do
  if [ "$row" = nginx ] || wait_for_port "${PORT[$row]}" "${PID[$row]}"; then
    LIVE+=("$row")
  else
    log "$row did not start: $(tail -2 "$OUT/$row.log" | tr '\n' ' ')"
  fi
done
if [[ " ${LIVE[*]} " == *" gateway "* ]]; then
  # The token's team must exist, as in LiteLLM (run.sh does the same).
  curl -sS -o /dev/null -X POST "http://127.0.0.1:${PORT[gateway]}/team/new" \
    -H "Authorization: Bearer $CLAIMGATE_BENCH_MASTER_KEY" -H 'Content-Type: application/json' \
    -d '{"team_id":"team-ml-platform","team_alias":"ML platform"}'
fi
for row in "${LIVE[@]}"; do
  status="$(curl -sS -o "$OUT/first-$row.json" -w '%{http_code}' -X POST "http://127.0.0.1:${PORT[$row]}/v1/chat/completions" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "@$BODY" || true)"
  log "$row: first request HTTP $status $(head -c 120 "$OUT/first-$row.json")"
done
grep -h 'probe on' "$OUT"/jetty.log "$OUT"/netty*.log 2>/dev/null >&2 || true

hey_run() { # NAME SECONDS PORT [extra]
  local name="$1" seconds="$2" port="$3"
  shift 3
  hey -z "${seconds}s" -c "$CONNECTIONS" -t 10 -m POST -T application/json -D "$BODY" \
    -H "Authorization: Bearer $TOKEN" "$@" "http://127.0.0.1:$port/v1/chat/completions" > "$OUT/hey-$name.txt" 2>&1 || true
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '/ 99% in/ {print $3 * 1000}' "$1"; }
ok() { awk '/\[200\]/ {print $2}' "$1" | head -1; }
# answers other than 200, plus hey's errors (timeouts, resets)
failed() { awk '/^ *\[[0-9]+\] +[0-9]+ responses/ && !/\[200\]/ {n += $2} /^ *\[[0-9]+\].*(error|Error|dial|read|EOF|timeout)/ {n += substr($1, 2) + 0} END {print n + 0}' "$1"; }

for row in "${LIVE[@]}"; do
  [ "$row" = nginx ] && continue
  log "warming $row for ${WARMUP}s"
  hey_run "warmup-$row" "$WARMUP" "${PORT[$row]}"
done
hey_run warmup-nginx 5 "${PORT[nginx]}"

declare -A SUM_RPS WORST_P99 OK FAILED TICKS UP_TICKS SEGS
for row in "${LIVE[@]}"; do
  SUM_RPS[$row]=0; WORST_P99[$row]=0; OK[$row]=0; FAILED[$row]=0; TICKS[$row]=0; UP_TICKS[$row]=0; SEGS[$row]=""
done
for round in $(seq 1 "$ROUNDS"); do
  for row in "${LIVE[@]}"; do
    log "round $round: $row"
    t0="$(cpu_ticks "${PID[$row]}")"; u0="$(cpu_ticks "$NGINX_WORKER")"
    hey_run "$row-$round" "$SEGMENT" "${PORT[$row]}"
    t1="$(cpu_ticks "${PID[$row]}")"; u1="$(cpu_ticks "$NGINX_WORKER")"
    f="$OUT/hey-$row-$round.txt"
    SUM_RPS[$row]="$(echo "${SUM_RPS[$row]} + $(rps "$f")" | bc -l)"
    SEGS[$row]="${SEGS[$row]} $(printf '%.0f' "$(rps "$f")")"
    WORST_P99[$row]="$(echo "$(p99 "$f")" "${WORST_P99[$row]}" | awk '{print ($1 > $2 ? $1 : $2)}')"
    OK[$row]=$(( ${OK[$row]} + $(ok "$f") ))
    FAILED[$row]=$(( ${FAILED[$row]} + $(failed "$f") ))
    TICKS[$row]=$(( ${TICKS[$row]} + t1 - t0 ))
    UP_TICKS[$row]=$(( ${UP_TICKS[$row]} + u1 - u0 ))
  done
done
declare -A FIXED_P99 FIXED_RPS
for row in "${LIVE[@]}"; do
  log "fixed rate: $row"
  hey_run "fixed-$row" "$SEGMENT" "${PORT[$row]}" -q "$FIXED_QPS"
  FIXED_P99[$row]="$(p99 "$OUT/hey-fixed-$row.txt")"
  FIXED_RPS[$row]="$(rps "$OUT/hey-fixed-$row.txt")"
done

us_per() { echo "$1 * 1000000 / $CLK_TCK / $2" | bc -l; }
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1); flags: $JAVA_OPTS; nginx: $(nginx -v 2>&1 | cut -d/ -f2); hey -c $CONNECTIONS"
  echo "warm-up ${WARMUP}s each; ${ROUNDS} rounds of ${SEGMENT}s segments in turn; fixed rate: -q $FIXED_QPS per connection"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| row | req/s (mean) | segments | vs nginx | p99 ms (worst) | CPU µs/req (process) | nginx worker µs/req | fixed-rate req/s | fixed-rate p99 ms | non-200 |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  nginx_rps="$(echo "${SUM_RPS[nginx]} / $ROUNDS" | bc -l)"
  for row in "${LIVE[@]}"; do
    mean="$(echo "${SUM_RPS[$row]} / $ROUNDS" | bc -l)"
    if [ "$row" = nginx ]; then
      own="-"   # the worker is both proxy and upstream: see its column
      up="$(us_per "${UP_TICKS[$row]}" "${OK[$row]}")"
    else
      own="$(printf '%.1f' "$(us_per "${TICKS[$row]}" "${OK[$row]}")")"
      up="$(us_per "${UP_TICKS[$row]}" "${OK[$row]}")"
    fi
    printf '| %s | %.0f | %s | %.2fx | %.1f | %s | %.1f | %.0f | %.1f | %s |\n' "$row" "$mean" "${SEGS[$row]# }" \
      "$(echo "$mean / $nginx_rps" | bc -l)" "${WORST_P99[$row]}" "$own" "$up" "${FIXED_RPS[$row]}" \
      "${FIXED_P99[$row]}" "${FAILED[$row]}"
  done
} | tee "$OUT/table.md"
