#!/bin/sh
# Starts venusd ($1) in a temp repo, exports its genesis CAR and checks it with @ipld/car
# (genesis_car_check.mjs); exit 77 (ctest: skipped) when node or the npm packages are missing.
here=$(cd "$(dirname "$0")" && pwd)
modules="$here/../node_modules"
if ! command -v node >/dev/null 2>&1; then echo "SKIPPED: node is not installed"; exit 77; fi
for m in @ipld/car @ipld/dag-cbor multiformats @multiformats/blake2; do
  if [ ! -d "$modules/$m" ]; then echo "SKIPPED: $modules lacks $m"; exit 77; fi
done
venusd=$1
dir=$(mktemp -d)
"$venusd" --repo "$dir/repo" run --enable node --listen /ip4/127.0.0.1/tcp/0 >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
i=0
until [ -s "$dir/repo/api" ]; do
  i=$((i+1)); if [ $i -gt 200 ]; then echo "venusd did not start"; cat "$dir/log"; exit 1; fi; sleep 0.1
done
"$venusd" --repo "$dir/repo" chain export-genesis "$dir/genesis.car" || exit 1
node "$here/genesis_car_check.mjs" "$dir/genesis.car"
