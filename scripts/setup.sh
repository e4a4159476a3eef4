#!/usr/bin/env bash
# Installs what the build and tests need, skipping whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

# Rust's wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen CLI: must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (about 2 minutes)"
  # No --locked: the registry's copy lacks a few of the newest locked dependencies.
  cargo install wasm-bindgen-cli --version "$want"
fi

if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack (about 3 minutes)"
  cargo install wasm-pack
fi

# Debian packages: Chromium and its driver for browser tests; for sandboxes, the OCI runtime
# runc, pasta (package passt), a user-mode network stack, and nft (package nftables) for their
# egress rules.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
[ -x /usr/sbin/runc ] || [ -x /usr/bin/runc ] || missing+=(runc)
[ -x /usr/bin/pasta ] || missing+=(passt)
[ -x /usr/sbin/nft ] || missing+=(nftables)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages, reinstalled only when the lockfile changed.
stamp=node_modules/.e2b-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
