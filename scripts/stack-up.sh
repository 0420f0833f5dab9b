#!/usr/bin/env bash
# Brings up the whole local stack without Docker: Keycloak (Maven Central distribution) with the Claimgate mapper and
# the demo realm, the DEMO upstream (not an LLM), and the gateway with embedded PostgreSQL and demo teams.
# Pids and logs go to .stack/; scripts/stack-down.sh stops everything this script started.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STACK="$ROOT/.stack"
KC_VERSION=26.5.6
KC_HOME="$STACK/keycloak-$KC_VERSION"
KC_PORT="${KC_PORT:-8080}"
KC_MANAGEMENT_PORT="${KC_MANAGEMENT_PORT:-9000}"
UPSTREAM_PORT="${UPSTREAM_PORT:-4001}"
GATEWAY_PORT=4000
MASTER_KEY="${LITELLM_MASTER_KEY:-sk-claimgate-demo}"
JAR="$ROOT/proxy-validator/gateway/target/claimgate-gateway.jar"
EXTENSION="$ROOT/keycloak-extension/target/keycloak-extension.jar"
REALM="$ROOT/docker/keycloak/claimgate-realm.json"

mkdir -p "$STACK"
cd "$ROOT"

log() { printf '==> %s\n' "$*"; }

running() { [[ -f "$STACK/$1.pid" ]] && kill -0 "$(cat "$STACK/$1.pid")" 2>/dev/null; }

# Starts a command in the background, detached from this shell, and records its pid.
start() {
  local name="$1"; shift
  if running "$name"; then
    log "$name already running (pid $(cat "$STACK/$name.pid"))"
    return
  fi
  nohup "$@" >"$STACK/$name.log" 2>&1 &
  echo $! >"$STACK/$name.pid"
  log "$name started (pid $!, log .stack/$name.log)"
}

# Waits until a URL answers 2xx, for at most $2 seconds, failing with the log's tail.
wait_for() {
  local url="$1" seconds="$2" name="$3"
  for _ in $(seq "$seconds"); do
    if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
    if ! running "$name"; then break; fi
    sleep 1
  done
  echo "$name did not become ready at $url; last lines of .stack/$name.log:" >&2
  tail -n 30 "$STACK/$name.log" >&2 || true
  exit 1
}

if [[ "${SKIP_BUILD:-}" != "1" || ! -f "$JAR" || ! -f "$EXTENSION" ]]; then
  log "building the gateway and the Keycloak extension"
  ./mvnw -B -q -pl keycloak-extension,proxy-validator/gateway -am package -DskipTests
fi
[[ -f "$REALM" ]] || { echo "missing realm file $REALM" >&2; exit 1; }

if [[ ! -x "$KC_HOME/bin/kc.sh" ]]; then
  log "unpacking Keycloak $KC_VERSION from Maven Central"
  ./mvnw -B -q -N dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
    -DoutputDirectory="$STACK" -Dmdep.overWriteIfNewer=true
  tar -xzf "$STACK/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$STACK"
fi
mkdir -p "$KC_HOME/providers" "$KC_HOME/data/import"
cp "$EXTENSION" "$KC_HOME/providers/claimgate-keycloak-extension.jar"
cp "$REALM" "$KC_HOME/data/import/claimgate-realm.json"

KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  start keycloak "$KC_HOME/bin/kc.sh" start-dev --import-realm --http-host=127.0.0.1 --http-port="$KC_PORT" \
  --http-management-port="$KC_MANAGEMENT_PORT" --health-enabled=true --cache=local --db=dev-mem
start demo-upstream java -jar "$JAR" demo-upstream --host 127.0.0.1 --port "$UPSTREAM_PORT"

log "waiting for Keycloak (the first start takes about a minute)"
wait_for "http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready" 240 keycloak

KEYCLOAK_JWKS_URL="http://127.0.0.1:$KC_PORT/realms/claimgate/protocol/openid-connect/certs" \
KEYCLOAK_ISSUER="http://127.0.0.1:$KC_PORT/realms/claimgate" \
LITELLM_MASTER_KEY="$MASTER_KEY" \
GATEWAY_HOST=127.0.0.1 \
GATEWAY_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
GATEWAY_DATA_DIR="$STACK/gateway-data" \
MALLOC_ARENA_MAX=2 \
  start gateway java @"$ROOT/docker/gateway/jvm.options" -jar "$JAR" serve --config "$ROOT/docker/gateway/config.yaml"
wait_for "http://127.0.0.1:$GATEWAY_PORT/health/liveliness" 120 gateway

log "creating the demo teams through the management API (an existing team is left as it is)"
for team in '{"team_id":"research","team_alias":"Research","models":["gpt-4o-mini","claude-3-haiku"],"max_budget":100}' \
            '{"team_id":"support","team_alias":"Support","models":["gpt-4o-mini"],"max_budget":20}'; do
  curl -sS -o /dev/null -w '    /team/new -> %{http_code}\n' -X POST "http://127.0.0.1:$GATEWAY_PORT/team/new" \
    -H "Authorization: Bearer $MASTER_KEY" -H 'Content-Type: application/json' -d "$team"
done

cat <<EOF2

Claimgate local stack is up.
  Keycloak        http://127.0.0.1:$KC_PORT  (admin console: admin / admin; realm claimgate)
  Gateway         http://127.0.0.1:$GATEWAY_PORT  (master key: $MASTER_KEY)
  DEMO upstream   http://127.0.0.1:$UPSTREAM_PORT  (echoes who the gateway says you are; not an LLM)

Get a token for alice (team research; bob/bob is in research and support, admin/admin is a proxy admin):
  TOKEN=\$(curl -s -d client_id=llm-gateway -d grant_type=password -d username=alice -d password=alice \\
    http://127.0.0.1:$KC_PORT/realms/claimgate/protocol/openid-connect/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

Call the gateway (streamed):
  curl -N http://127.0.0.1:$GATEWAY_PORT/chat/completions -H "Authorization: Bearer \$TOKEN" \\
    -H 'Content-Type: application/json' \\
    -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]}'

A model the team may not use is refused with 403:
  curl http://127.0.0.1:$GATEWAY_PORT/chat/completions -H "Authorization: Bearer \$TOKEN" -d '{"model":"llama-3-70b"}'

Stop everything: scripts/stack-down.sh
EOF2
