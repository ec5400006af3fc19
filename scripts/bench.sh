#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ on this machine and writes docs/BENCHMARKS.md.
# Starts a broker of its own (127.0.0.1:39092) and PostgreSQL; BENCH_QUICK=1 for a smoke run;
# BENCH_ONLY="event_path gateway_overhead" to run some.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export KAFKA_NAME=kafka-bench KAFKA_PORT=39092
deploy/kafka/kafka.sh reset >/dev/null
deploy/kafka/kafka.sh start
trap 'deploy/kafka/kafka.sh stop >/dev/null || true' EXIT
deploy/postgres/pg.sh start

export IPOPS_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export IPOPS_TEST_PG_URL="$(deploy/postgres/pg.sh url postgres)"
mkdir -p var/bench var/log
rm -f var/bench/*.txt

quick=()
[ "${BENCH_QUICK:-0}" = 1 ] && quick=(--quick)
for path in benchmarks/*.py; do
  name="$(basename "$path" .py)"
  case "$name" in __init__|common|report|nginx_proxy) continue ;; esac
  if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then continue; fi
  echo "== $name"
  if ! .venv/bin/python -m "benchmarks.$name" "${quick[@]}" 2>&1 | tee "var/bench/$name.txt"; then
    echo "FAILED: $name" | tee -a "var/bench/$name.txt"
  fi
done
.venv/bin/python -m benchmarks.report
