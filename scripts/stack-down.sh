#!/usr/bin/env bash
# Stops what scripts/stack-up.sh started, by the pids it recorded in .stack/. Data and logs stay in .stack/.
set -uo pipefail

STACK="$(cd "$(dirname "$0")/.." && pwd)/.stack"

for name in gateway demo-upstream keycloak; do
  pidfile="$STACK/$name.pid"
  [[ -f "$pidfile" ]] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) did not stop in 30 s; sending SIGKILL"
      kill -9 "$pid"
    fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
