#!/usr/bin/env bash
# Everything a fresh machine needs before ipops runs: a Python 3.11 virtual environment with the
# pinned packages, and Kafka's jars in the cache. Safe to run again; it does only what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11+ is required"'

PACKAGES=(-e shared)
for dir in services/*/ gateway/; do
  [ -f "$dir/pyproject.toml" ] && PACKAGES+=(-e "${dir%/}")
done
STAMP=".venv/.installed"
# Reinstall when the pins or any package definition changed since the last install.
SOURCES=(constraints.txt requirements-dev.txt shared/pyproject.toml services/*/pyproject.toml)
[ -f gateway/pyproject.toml ] && SOURCES+=(gateway/pyproject.toml)
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$STAMP" ] || [ -n "$(find "${SOURCES[@]}" -newer "$STAMP" 2>/dev/null)" ]; then
  echo "installing Python packages (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade "pip==26.3"
  .venv/bin/python -m pip install -q -c constraints.txt -r requirements-dev.txt "${PACKAGES[@]}"
  touch "$STAMP"
fi

deploy/kafka/kafka.sh fetch
