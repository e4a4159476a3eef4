#!/usr/bin/env bash
# Benchmarks e2b-wasm against the official e2b SDK on one e2b-local (not a test: it prints figures).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prepare.sh
node bench/bench.mjs
