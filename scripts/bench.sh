#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ on this machine and writes docs/BENCHMARKS.md.
# Starts a broker of its own (127.0.0.1:39092) and PostgreSQL; BENCH_QUICK=1 for a smoke run;
# BENCH_ONLY="event_path gateway_overhead" to run some. The machine's own figures (pgbench, wrk
# against a bare FastAPI app: benchmarks/machine.py) are measured first and, in a full run, again
# last, so every goal in the report is a ratio to what the machine did in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=$SECONDS
scripts/install-bench-tools.sh

export KAFKA_NAME=kafka-bench KAFKA_PORT=39092
deploy/kafka/kafka.sh reset >/dev/null
deploy/kafka/kafka.sh start
trap 'deploy/kafka/kafka.sh stop >/dev/null || true' EXIT
deploy/postgres/pg.sh start

export IPOPS_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export IPOPS_TEST_PG_URL="$(deploy/postgres/pg.sh url postgres)"
mkdir -p var/bench var/log
rm -f var/bench/*.txt
git rev-parse --short HEAD > var/bench/commit.log  # the report names the code measured

quick=()
[ "${BENCH_QUICK:-0}" = 1 ] && quick=(--quick)
run() {  # run NAME OUTPUT [ARGS...]: one benchmark, its output kept for the report
  local name="$1" out="$2"; shift 2
  echo "== $name $*"
  local t0=$SECONDS
  if ! .venv/bin/python -m "benchmarks.$name" "${quick[@]}" "$@" 2>&1 | tee "var/bench/$out.txt"; then
    echo "FAILED: $name" | tee -a "var/bench/$out.txt"
  fi
  echo "took $((SECONDS - t0)) s" | tee -a "var/bench/$out.txt"
}
run machine machine --label before
for path in benchmarks/*.py; do
  name="$(basename "$path" .py)"
  case "$name" in __init__|common|report|machine|bare_app|goals|profile_summary) continue ;; esac
  if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then continue; fi
  run "$name" "$name"
done
[ "${BENCH_QUICK:-0}" = 1 ] || run machine machine_after --label after
echo "make bench took $((SECONDS - started)) s" > var/bench/duration.log
.venv/bin/python -m benchmarks.report
