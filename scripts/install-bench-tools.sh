#!/usr/bin/env bash
# What `make bench` measures the machine with, besides the Python packages (py-spy is pinned in
# requirements-dev.txt): pgbench (PostgreSQL's client package) and wrk, from Debian's packages.
# Idempotent: installs only what is missing; needs root (apt-get) only then.
set -euo pipefail
missing=()
command -v pgbench >/dev/null || missing+=(postgresql-client)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq "${missing[@]}" >/dev/null
