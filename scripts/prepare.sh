#!/usr/bin/env bash
# Shared first steps of the demo, the benchmark and `npm start`: install what is missing, then build
# e2b-local and the e2b-wasm package. Sourced, so that E2B_LOCAL_BIN and PATH reach the caller.
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p e2b-local --quiet
export E2B_LOCAL_BIN="$PWD/target/release/e2b-local"
npm run --silent build >/dev/null
