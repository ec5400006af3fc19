#!/usr/bin/env bash
# The test suite on real infrastructure: a Kafka broker of its own (127.0.0.1:19092, separate
# from `make up`'s) and PostgreSQL from Debian's packages. Starts what is not running, stops what
# it started. IPOPS_TEST_SELECT=faults runs the long fault-injection suite instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export KAFKA_NAME=kafka-test KAFKA_PORT=19092
started_kafka=0
if ! deploy/kafka/kafka.sh status >/dev/null 2>&1; then
  deploy/kafka/kafka.sh reset >/dev/null
  deploy/kafka/kafka.sh start
  started_kafka=1
fi
cleanup() { if [ "$started_kafka" = 1 ]; then deploy/kafka/kafka.sh stop >/dev/null || true; fi; }
trap cleanup EXIT

deploy/postgres/pg.sh start
# Debian's chromium and a CJK font for the dashboard's browser test
scripts/install-browser.sh

export IPOPS_TEST_KAFKA="127.0.0.1:$KAFKA_PORT"
export IPOPS_TEST_PG_URL="$(deploy/postgres/pg.sh url postgres)"
export IPOPS_ROOT="$ROOT"

if [ "${IPOPS_TEST_SELECT:-}" = faults ]; then
  marker=(-m faults)
else
  marker=(-m "not faults")
fi
set +e
.venv/bin/python -m pytest "${marker[@]}" --durations=25 "$@"
rc=$?
set -e
exit $rc
