#!/usr/bin/env bash
# PostgreSQL from Debian's packages: installed if missing, started, one database per service.
#
#   deploy/postgres/pg.sh start      install if needed, start the cluster, create role and databases
#   deploy/postgres/pg.sh stop       stop the cluster
#   deploy/postgres/pg.sh restart    restart it (the reliability suite does this under load)
#   deploy/postgres/pg.sh url [DB]   print the asyncpg URL of a database
#   deploy/postgres/pg.sh drop       drop the platform's databases (`make clean`), if the cluster runs
#
# The role's password is generated on first start into ~/.local/share/ipops/ (never committed):
# a machine-level place, because every clone on the machine shares the one server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PGPORT="${PGPORT:-5432}"
# PG_CLUSTER selects a Debian cluster: the reliability suite restarts its own (`faults`, 5433)
# without disturbing the one the rest of the suite or `make up` uses.
CLUSTER="${PG_CLUSTER:-main}"
ROLE="${IPOPS_PG_ROLE:-ipops}"
MAX_CONNECTIONS="${IPOPS_PG_MAX_CONNECTIONS:-300}"
SECRET="${IPOPS_SECRETS_DIR:-$HOME/.local/share/ipops}/pg-password"
DATABASES="${IPOPS_PG_DATABASES:-ipops_pledge ipops_trusteeship ipops_navigation ipops_enforcement ipops_operations ipops_gateway}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install() {
  if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null; then return 0; fi
  echo "installing PostgreSQL from Debian's packages"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql >/dev/null
}

version() { ls /usr/lib/postgresql | sort -V | tail -n 1; }

psql_admin() { as_root runuser -u postgres -- psql -p "$PGPORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

start() {
  install
  local v; v="$(version)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$v $CLUSTER$"; then
    as_root pg_createcluster "$v" "$CLUSTER" -p "$PGPORT" >/dev/null
  fi
  if ! pg_lsclusters -h | grep "^$v $CLUSTER " | grep -q online; then
    as_root pg_ctlcluster "$v" "$CLUSTER" start
  fi
  for _ in $(seq 1 60); do
    if as_root runuser -u postgres -- pg_isready -q -p "$PGPORT"; then break; fi
    sleep 0.5
  done
  # Six apps with pools of up to 20 connections each, the test process and the reliability
  # suite's restarts outgrow Debian's default of 100 slots: raise it once (takes a restart).
  if [ "$(psql_admin -d postgres -c 'SHOW max_connections')" -lt "$MAX_CONNECTIONS" ]; then
    psql_admin -d postgres -c "ALTER SYSTEM SET max_connections = $MAX_CONNECTIONS" >/dev/null
    as_root pg_ctlcluster "$v" "$CLUSTER" restart
    for _ in $(seq 1 60); do
      if as_root runuser -u postgres -- pg_isready -q -p "$PGPORT"; then break; fi
      sleep 0.5
    done
  fi
  mkdir -p "$(dirname "$SECRET")"; chmod 700 "$(dirname "$SECRET")"
  if [ ! -s "$SECRET" ]; then
    (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRET")
  fi
  local pw; pw="$(cat "$SECRET")"
  psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$pw';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$pw';
  END IF;
END \$\$;
SQL
  for db in $DATABASES; do
    if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql_admin -d postgres -c "CREATE DATABASE $db OWNER $ROLE" >/dev/null
    fi
  done
  echo "PostgreSQL $v ($CLUSTER) is up on 127.0.0.1:$PGPORT with databases: $DATABASES"
}

stop() {
  local v; v="$(version 2>/dev/null || true)"
  [ -n "$v" ] && as_root pg_ctlcluster "$v" "$CLUSTER" stop -m fast 2>/dev/null || true
  echo "PostgreSQL stopped"
}

drop() {
  local v; v="$(version 2>/dev/null || true)"
  if [ -z "$v" ] || ! command -v pg_lsclusters >/dev/null; then return 0; fi  # never installed: nothing to drop
  if ! pg_lsclusters -h | grep -q "^$v $CLUSTER "; then return 0; fi  # no cluster: nothing to drop
  local started=0
  if ! pg_lsclusters -h | grep "^$v $CLUSTER " | grep -q online; then
    as_root pg_ctlcluster "$v" "$CLUSTER" start; started=1
    for _ in $(seq 1 60); do
      if as_root runuser -u postgres -- pg_isready -q -p "$PGPORT"; then break; fi
      sleep 0.5
    done
  fi
  for db in $DATABASES; do
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  done
  if [ "$started" = 1 ]; then as_root pg_ctlcluster "$v" "$CLUSTER" stop -m fast; fi
  echo "PostgreSQL: dropped $DATABASES"
}

url() {
  local db="${1:-postgres}"
  echo "postgresql+asyncpg://$ROLE:$(cat "$SECRET")@127.0.0.1:$PGPORT/$db"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) v="$(version)"; as_root pg_ctlcluster "$v" "$CLUSTER" restart -m fast ;;
  url) shift; url "$@" ;;
  drop) drop ;;
  *) echo "usage: $0 start|stop|restart|url [DB]|drop" >&2; exit 2 ;;
esac
