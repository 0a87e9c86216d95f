#!/bin/sh
# Runs the node interop script against the venusd binary given as $1; exit 77 (ctest: skipped) with a
# visible message when Node.js or the pinned npm packages are missing.
here=$(cd "$(dirname "$0")" && pwd)
modules="$here/../node_modules"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; node interop not run"; exit 77
fi
for m in @glif/filecoin-rpc-client @glif/filecoin-address @ipld/dag-cbor multiformats @multiformats/blake2; do
  if [ ! -d "$modules/$m" ]; then
    echo "SKIPPED: $modules lacks $m (run npm ci in test/interop); node interop not run"; exit 77
  fi
done
exec node "$here/node_interop.mjs" "$@"
