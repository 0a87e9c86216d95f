#!/bin/sh
# Runs the RPC interop script against the venusd binary given as $1; exit 77 (ctest: skipped) with a
# visible message when Node.js or the pinned npm packages are missing.
here=$(cd "$(dirname "$0")" && pwd)
modules="$here/../node_modules"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; RPC interop not run"; exit 77
fi
if [ ! -d "$modules/ws" ] || [ ! -d "$modules/@glif/filecoin-rpc-client" ]; then
  echo "SKIPPED: $modules lacks ws or @glif/filecoin-rpc-client (run npm ci in test/interop); RPC interop not run"
  exit 77
fi
exec node "$here/rpc_interop.mjs" "$@"
