#!/usr/bin/env bash
# Renders an extract --format html page in headless Chromium (Debian's
# `chromium` package) and writes a PNG screenshot, to look at the page as a
# reader will. Usage: scripts/screenshot-html.sh PAGE.html OUT.png [WIDTHxHEIGHT]
set -euo pipefail
page=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1400x1800}
command -v chromium >/dev/null || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# No network is needed (the page is self-contained); these flags keep Chromium
# from trying to reach its own services.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$out" "file://$page" 2>/dev/null
test -s "$out"
echo "wrote $out"
