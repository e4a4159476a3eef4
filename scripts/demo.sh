#!/usr/bin/env bash
# The main job: installs what is missing, builds e2b-local and e2b-wasm, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
node scripts/demo.mjs
