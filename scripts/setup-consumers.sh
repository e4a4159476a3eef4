#!/usr/bin/env bash
# Installs what the consumer matrix (tests/consumers) and the Firefox run of the wasm-bindgen tests
# need, into ignored folders of the work tree so that a second run finds them and is quick:
# - the matrix's pinned tools (tests/consumers/package-lock.json) in tests/.cache/consumers;
# - the Node versions of tests/consumers/node-versions, from the npm registry's node-<os>-<arch>
#   packages, in tests/.cache/node/<version>;
# - geckodriver, built by cargo, in tests/.cache/cargo/bin; Firefox ESR from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1msetup-consumers:\033[0m %s\n' "$*" >&2; }
cache=tests/.cache
geckodriver_version=0.37.1

# geckodriver compiles for minutes: it builds in the background while npm downloads.
gecko_pid=
if [ ! -x "$cache/cargo/bin/geckodriver" ]; then
  log "building geckodriver $geckodriver_version (several minutes, in the background)"
  mkdir -p "$cache"
  cargo install geckodriver --version "$geckodriver_version" --locked --root "$cache/cargo" \
    >"$cache/geckodriver-install.log" 2>&1 &
  gecko_pid=$!
fi

if ! command -v firefox-esr >/dev/null && ! command -v firefox >/dev/null; then
  log "installing firefox-esr"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq firefox-esr >/dev/null
fi

# The tools, reinstalled only when the lockfile changed.
tools="$cache/consumers"
mkdir -p "$tools"
if [ ! -d "$tools/node_modules" ] || ! cmp -s tests/consumers/package-lock.json "$tools/.lock-stamp"; then
  log "installing the matrix's tools (a few minutes)"
  cp tests/consumers/package.json tests/consumers/package-lock.json "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  cp tests/consumers/package-lock.json "$tools/.lock-stamp"
fi

# Node versions: the registry's per-platform packages carry the binaries themselves.
platform=$(node -p 'process.platform + "-" + process.arch')
while read -r version; do
  [ -n "$version" ] || continue
  dir="$cache/node/$version"
  [ -x "$dir/node_modules/node-$platform/bin/node" ] && continue
  log "installing Node $version"
  mkdir -p "$dir"
  echo '{ "private": true }' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --loglevel=error "node-$platform@$version" >/dev/null
done <tests/consumers/node-versions

if [ -n "$gecko_pid" ]; then
  if ! wait "$gecko_pid"; then
    tail -20 "$cache/geckodriver-install.log" >&2
    log "building geckodriver failed"
    exit 1
  fi
  log "geckodriver built"
fi
