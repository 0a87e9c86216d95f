#!/bin/sh
# Runs the gateway interop script against the venusd binary given as $1; exit 77 (ctest: skipped) when
# Node.js or the pinned npm packages are missing.
here=$(cd "$(dirname "$0")" && pwd)
modules="$here/../node_modules"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is not installed; gateway interop not run"; exit 77
fi
for m in ws @noble/curves @noble/hashes @glif/filecoin-address; do
  if [ ! -d "$modules/$m" ]; then
    echo "SKIPPED: $modules lacks $m (run npm ci in test/interop); gateway interop not run"; exit 77
  fi
done
exec node "$here/gateway_interop.mjs" "$@"
