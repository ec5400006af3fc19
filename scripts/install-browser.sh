#!/usr/bin/env bash
# Installs what the gateway's dashboard test drives: Debian's chromium (headless) and a CJK font,
# so the Chinese page renders real glyphs in screenshots. Idempotent; needs root (apt-get).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi -E "wenquanyi|noto sans cjk" || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
