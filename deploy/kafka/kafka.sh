#!/usr/bin/env bash
# A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run
# from the Maven jars listed in deploy/kafka/pom.xml with the machine's Java 17.
#
#   deploy/kafka/kafka.sh fetch            download the jars once into the cache
#   deploy/kafka/kafka.sh start            format storage if new, start, wait until it answers
#   deploy/kafka/kafka.sh stop             stop cleanly (SIGTERM, then SIGKILL after 30 s)
#   deploy/kafka/kafka.sh status           exit 0 when it answers
#
# KAFKA_NAME (default kafka) names the instance: its port pair, data dir, pid and log file, so
# the test suite's broker (KAFKA_NAME=kafka-test KAFKA_PORT=19092) never touches `make up`'s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NAME="${KAFKA_NAME:-kafka}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
CACHE="${IPOPS_CACHE_DIR:-$ROOT/var/cache}/kafka-jars"
DATA="${KAFKA_DATA_DIR:-$ROOT/var/data/$NAME}"
PIDFILE="$ROOT/var/run/$NAME.pid"
LOG="$ROOT/var/log/$NAME.log"
HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"

mkdir -p "$ROOT/var/run" "$ROOT/var/log"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch() {
  if [ -f "$CACHE/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { echo "maven (mvn) is required to fetch the Kafka jars" >&2; exit 1; }
  command -v java >/dev/null || { echo "Java 17 is required to run Kafka" >&2; exit 1; }
  echo "fetching Kafka jars into $CACHE"
  rm -rf "$CACHE"; mkdir -p "$CACHE"
  mvn -q -B -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$CACHE" -DincludeScope=runtime
  touch "$CACHE/.complete"
}

write_config() {
  mkdir -p "$DATA"
  cat > "$DATA/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA/logs
num.partitions=6
# Topics are declared in code (ipops.kafka.ensure_topics) with their partition counts; a typo'd
# topic must fail, not appear with defaults.
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
PROPS
}

java_cmd() { java $HEAP -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" -cp "$CACHE/*" "$@"; }

start() {
  fetch
  if port_open "$PORT"; then echo "$NAME already answers on 127.0.0.1:$PORT"; return 0; fi
  write_config
  if [ ! -f "$DATA/logs/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$DATA/server.properties" --standalone >>"$LOG" 2>&1
  fi
  echo "starting $NAME on 127.0.0.1:$PORT (log: $LOG)"
  nohup bash -c "exec java $HEAP -Dlog4j2.configurationFile='$ROOT/deploy/kafka/log4j2.properties' -cp '$CACHE/*' kafka.Kafka '$DATA/server.properties'" >>"$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 120); do
    if port_open "$PORT"; then
      echo "$NAME is up"
      return 0
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "$NAME exited during start-up; last lines of $LOG:" >&2; tail -n 30 "$LOG" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "$NAME did not answer within 60 s" >&2; exit 1
}

stop() {
  if [ ! -f "$PIDFILE" ]; then echo "$NAME is not running (no pid file)"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$NAME did not stop in 30 s; killing"; kill -KILL "$pid"; fi
  fi
  rm -f "$PIDFILE"
  echo "$NAME stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) port_open "$PORT" && echo "$NAME answers on 127.0.0.1:$PORT" ;;
  reset) stop; rm -rf "$DATA"; echo "$NAME data removed" ;;
  *) echo "usage: $0 fetch|start|stop|restart|status|reset" >&2; exit 2 ;;
esac
