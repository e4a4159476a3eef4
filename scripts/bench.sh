#!/usr/bin/env bash
# Benchmarks e2b-wasm against the official e2b SDK on one e2b-local (not a test: it prints figures).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p e2b-local --quiet
export E2B_LOCAL_BIN="$PWD/target/release/e2b-local"
npm run --silent build >/dev/null
node bench/bench.mjs
