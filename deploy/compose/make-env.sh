#!/usr/bin/env bash
# Writes var/compose.env (git-ignored) from deploy/compose.env.example with a fresh random value
# for every placeholder. Refuses to overwrite an existing file: the database volume keeps the
# passwords it was initialised with.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-$ROOT/var/compose.env}"
if [ -e "$target" ]; then
  echo "$target exists; remove it first (and the compose volumes, whose passwords it matches)" >&2
  exit 1
fi
mkdir -p "$(dirname "$target")"
umask 077
while IFS= read -r line; do
  if [[ "$line" == *=replace-me ]]; then
    # URL-safe, since the passwords are embedded in database URLs.
    echo "${line%=replace-me}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
  else
    echo "$line"
  fi
done < "$ROOT/deploy/compose.env.example" > "$target"
echo "wrote $target"
