#!/usr/bin/env bash
# Rewrite constraints.txt from what the virtual environment holds (after adding a dependency:
# `.venv/bin/pip install NAME==VERSION`, then this). Editable project packages are left out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
{
  echo "# Every Python package ipops installs, pinned (pip -c). Regenerate with scripts/pin.sh after"
  echo "# changing a dependency; versions only, no download addresses."
  .venv/bin/pip freeze --exclude-editable | grep -v -e '^-e' -e '@' | sort -f
} > constraints.txt
