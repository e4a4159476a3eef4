#!/usr/bin/env bash
# `npm start`: starts e2b-local and serves the volume explorer (www/) for it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
# The server's own data folder (kept between runs) on a fixed port; the explorer is prefilled with
# its URL and key through VITE_E2B_API_URL and VITE_E2B_API_KEY.
exec node scripts/with-e2b-local.mjs --port "${E2B_LOCAL_PORT:-3000}" --keep-data --print-banner -- bash -c '
  echo
  echo "Open the volume explorer at http://127.0.0.1:5173/ (Ctrl-C stops both)."
  exec node_modules/.bin/vite --config www/vite.config.js --clearScreen false'
