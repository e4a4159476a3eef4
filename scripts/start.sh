#!/usr/bin/env bash
# `npm start`: starts e2b-local and serves the volume explorer (www/) for it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
port="${E2B_LOCAL_PORT:-3000}"
banner=$(mktemp)
"$E2B_LOCAL_BIN" serve --port "$port" >"$banner" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$banner"' EXIT
for _ in $(seq 100); do grep -q E2B_API_KEY "$banner" && break; sleep 0.1; done
cat "$banner"
export VITE_E2B_API_URL=$(sed -n 's/^export E2B_API_URL=//p' "$banner")
export VITE_E2B_API_KEY=$(sed -n 's/^export E2B_API_KEY=//p' "$banner")
echo
echo "Open the volume explorer at http://127.0.0.1:5173/ (Ctrl-C stops both)."
node_modules/.bin/vite --config www/vite.config.js --clearScreen false
