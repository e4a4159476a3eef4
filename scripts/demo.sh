#!/usr/bin/env bash
# The main job: installs what is missing, builds e2b-local and e2b-wasm, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p e2b-local --quiet
export E2B_LOCAL_BIN="$PWD/target/release/e2b-local"
npm run --silent build >/dev/null
node scripts/demo.mjs
