#!/usr/bin/env bash
# Runs the whole platform on this machine: Kafka (127.0.0.1:9092), the five services
# (127.0.0.1:8001-8005) and the gateway (127.0.0.1:8000), on SQLite files (DB=sqlite, the
# default) or PostgreSQL (DB=postgres). Each process logs to var/log/<name>.log.
#
#   scripts/platform.sh up [sqlite|postgres]
#   scripts/platform.sh down
#   scripts/platform.sh status
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APPS=(pledge trusteeship navigation enforcement operations gateway)
declare -A PORT=([gateway]=8000 [pledge]=8001 [trusteeship]=8002 [navigation]=8003 [enforcement]=8004 [operations]=8005)
mkdir -p var/log var/run var/db var/secrets
chmod 700 var/secrets

installed() { [ -x ".venv/bin/$1" ]; }
answers() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

secret() {  # a random value kept in var/secrets/<name>, made on first use
  local file="var/secrets/$1"
  [ -s "$file" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
  cat "$file"
}

start_app() {
  local name="$1" db="$2" prefix url
  prefix="$(echo "$name" | tr '[:lower:]' '[:upper:]')_"
  if [ -f "var/run/$name.pid" ] && kill -0 "$(cat "var/run/$name.pid")" 2>/dev/null; then
    echo "$name already running"; return 0
  fi
  if [ "$db" = postgres ]; then
    url="$(deploy/postgres/pg.sh url "ipops_$name")"
  else
    url="sqlite+aiosqlite:///$ROOT/var/db/$name.sqlite"
  fi
  env "${prefix}DATABASE_URL=$url" \
      "${prefix}KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092" \
      "${prefix}JWT_JWKS_URL=http://127.0.0.1:8000/.well-known/jwks.json" \
      "${prefix}ENVIRONMENT=dev" \
      "${prefix}PORT=${PORT[$name]}" \
      GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_ID=operator \
      "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET=$(secret operator-client-secret)" \
      "GATEWAY_KEYS_DIR=$ROOT/var/keys" \
      nohup ".venv/bin/$name" >>"var/log/$name.log" 2>&1 &
  echo $! > "var/run/$name.pid"
  echo "started $name on 127.0.0.1:${PORT[$name]} (log: var/log/$name.log)"
}

up() {
  local db="${1:-sqlite}"
  case "$db" in sqlite|postgres) ;; *) echo "DB must be sqlite or postgres" >&2; exit 2 ;; esac
  KAFKA_NAME=kafka KAFKA_PORT=9092 deploy/kafka/kafka.sh start
  if [ "$db" = postgres ]; then
    if ! pg_lsclusters -h 2>/dev/null | grep -q online; then touch var/run/postgres.started; fi
    deploy/postgres/pg.sh start
  fi
  local started=()
  for app in "${APPS[@]}"; do
    if installed "$app"; then start_app "$app" "$db"; started+=("$app"); fi
  done
  echo "waiting for readiness ..."
  local deadline=$((SECONDS + 180))
  for app in "${started[@]}"; do
    until answers "http://127.0.0.1:${PORT[$app]}/readyz"; do
      if ! kill -0 "$(cat "var/run/$app.pid")" 2>/dev/null; then
        echo "$app exited; last lines of var/log/$app.log:" >&2; tail -n 20 "var/log/$app.log" >&2; exit 1
      fi
      if [ $SECONDS -gt $deadline ]; then
        echo "$app not ready after 180 s:" >&2; curl -sS "http://127.0.0.1:${PORT[$app]}/readyz" >&2 || true; exit 1
      fi
      sleep 1
    done
    echo "  $app ready"
  done
  cat <<MSG

ipops is up ($db). Gateway: http://127.0.0.1:8000  (readiness: curl -s 127.0.0.1:8000/readyz)
Operator client: id 'operator', secret in var/secrets/operator-client-secret
  curl -s -u operator:\$(cat var/secrets/operator-client-secret) -d grant_type=client_credentials 127.0.0.1:8000/oauth/token
Stop everything with: make down
MSG
}

stop_pid() {
  local name="$1" pidfile="var/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name"
  fi
  rm -f "$pidfile"
}

down() {
  for app in "${APPS[@]}"; do stop_pid "$app"; done
  KAFKA_NAME=kafka KAFKA_PORT=9092 deploy/kafka/kafka.sh stop
  if [ -f var/run/postgres.started ]; then deploy/postgres/pg.sh stop; rm -f var/run/postgres.started; fi
}

status() {
  for app in "${APPS[@]}"; do
    if answers "http://127.0.0.1:${PORT[$app]}/healthz"; then echo "$app: up"; else echo "$app: down"; fi
  done
  KAFKA_NAME=kafka KAFKA_PORT=9092 deploy/kafka/kafka.sh status || echo "kafka: down"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up [sqlite|postgres] | down | status" >&2; exit 2 ;;
esac
