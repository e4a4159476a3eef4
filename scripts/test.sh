#!/usr/bin/env bash
# Runs every test: the server's, the SDK's in Node and in headless Chromium and Firefox, the packed
# package as users install it (and as each runtime and bundler of the consumer matrix builds it), and
# the official e2b SDK against e2b-local.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

passed=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ok() { passed=$((passed + 1)); }

step "build e2b-local"
cargo build --release -p e2b-local
export E2B_LOCAL_BIN="$PWD/target/release/e2b-local"

step "e2b-local, wire types and the SDK's pure logic: cargo test"
cargo test --workspace --exclude e2b-wasm
cargo test -p e2b-wasm --lib
ok

step "official e2b SDK against e2b-local"
node --test tests/official-sdk*.test.mjs
ok

step "build the e2b-wasm package"
npm run --silent build

step "the build's glue and the package's entry files: tsc --checkJs, and their tests"
node_modules/.bin/tsc -p pkg/tsconfig.json
node_modules/.bin/tsc -p scripts/tsconfig.json
node --test tests/build/
ok

step "the packed package in Node (ESM, CJS) and in headless Chromium (plain module script, Vite build)"
consumer=$(bash scripts/pack-consumer.sh)
(cd "$consumer" && E2B_WORKSPACE_PACKAGE_JSON="$PWD/../../../package.json" node --test)
ok

step "the packed package's typings under tsc --strict"
node_modules/.bin/tsc -p "$consumer/tsconfig.json"
# A program written for `e2b`, checked against `e2b` and then, unchanged, against e2b-wasm's typings.
node_modules/.bin/tsc -p tests/dropin/tsconfig.json
node_modules/.bin/tsc -p tests/dropin/tsconfig.wasm.json
ok

step "consumer matrix: a real app per runtime and bundler, built from the packed tarball, against e2b-local"
bash scripts/setup-consumers.sh
node --test-reporter=spec tests/consumers/run.mjs
ok

step "the volume explorer (www/) in headless Chromium"
node --test tests/www.test.mjs
ok

step "wasm-bindgen tests in Node, headless Chromium and headless Firefox"
# One e2b-local for all runs: its URL and key are compiled into the tests.
node scripts/with-e2b-local.mjs -- bash -ec '
  wasm-pack test --node
  # The same tests, in the browser (they are not browser-only, so the runner is told to use one).
  # Chromium loads the test page through scripts/with-runner-proxy.mjs (why: see there).
  WASM_BINDGEN_USE_BROWSER=1 node scripts/with-runner-proxy.mjs -- \
    wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)"
  # Firefox ESR and geckodriver from scripts/setup-consumers.sh (the matrix step).
  WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --firefox --geckodriver "$PWD/tests/.cache/cargo/bin/geckodriver"'
ok
ok
ok

printf '\nsuites: %d passed, 0 failed\n' "$passed"
