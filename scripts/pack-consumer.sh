#!/usr/bin/env bash
# Packs pkg/ with `npm pack` and installs the tarball into a fresh folder, as a user would,
# with the SDK tests beside it. Prints the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
work=tests/.work
rm -rf "$work/consumer" "$work"/e2b-wasm-*.tgz
mkdir -p "$work/consumer"
tarball=$(npm pack ./pkg --pack-destination "$work" --silent | tail -1)
cd "$work/consumer"
cat > package.json <<JSON
{ "name": "consumer", "private": true, "type": "module", "dependencies": { "e2b-wasm": "file:../$tarball", "undici": "^7.0.0" } }
JSON
npm install --no-audit --no-fund --loglevel=error >/dev/null
cp -r ../../sdk/. ./
cp -r ../../support ./support
pwd
