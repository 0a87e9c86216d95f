#!/bin/sh
# Runs the BLS interop script against the tool binary given as $1; exit 77 (ctest: skipped) with a
# visible message when Node.js or the pinned npm packages are not installed.
here=$(cd "$(dirname "$0")" && pwd)
modules="$here/../node_modules"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; BLS interop not run"; exit 77
fi
if [ ! -d "$modules/@noble/curves" ] || [ ! -d "$modules/@chainsafe/blst" ]; then
  echo "SKIPPED: $modules lacks @noble/curves or @chainsafe/blst (run npm ci in test/interop); BLS interop not run"
  exit 77
fi
exec node "$here/interop_noble.mjs" "$@"
