#!/bin/sh
# Side-by-side BLS benchmark, both pinned to one core (the blst binding otherwise spreads pairings over
# both cores): venusd's own implementation (venus_bls_bench) and native blst (@chainsafe/blst).
#   bench/bls/run.sh [build-dir] [runs]     (default build-bls, 3 runs; the best run of each is kept)
# Env: N (messages, default 100), REPS (repetitions per run, default 5), CPU (core, default 0),
#      CLOCK=cpu to time CPU use instead of wall time in both programs (steadier on a busy box).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-bls}
runs=${2:-3}
cpu=${CPU:-0}
bench="$build/bench/bls/venus_bls_bench"
[ -x "$bench" ] || { echo "build it first: ninja -C $build venus_bls_bench" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
  taskset -c "$cpu" "$bench" >> "$tmp/venus"
  if command -v node >/dev/null 2>&1 && [ -d "$root/test/interop/node_modules/@chainsafe/blst" ]; then
    taskset -c "$cpu" node "$here/bench_blst.mjs" >> "$tmp/blst"
  fi
  i=$((i + 1))
done
# best (minimum) of the runs for each metric
best() { awk '$2 ~ /^[0-9.]+$/ { if (!($1 in m) || $2 < m[$1]) m[$1] = $2; u[$1] = $3 } END { for (k in m) print k, m[k], u[k] }' "$1" | sort; }
echo "== venusd (C++, this repo), best of $runs, core $cpu, clock ${CLOCK:-wall}"; best "$tmp/venus"
[ -s "$tmp/blst" ] || { echo "(node or @chainsafe/blst missing: no blst figures)"; exit 0; }
echo "== blst (@chainsafe/blst native), best of $runs, core $cpu, clock ${CLOCK:-wall}"; best "$tmp/blst"
echo "== ratio venusd / blst (lower is better; target <= 1.5 for verify and aggregate-verify)"
{ best "$tmp/venus"; best "$tmp/blst"; } | awk '
  { split($1, p, "_"); k = substr($1, index($1, "_") + 1); if (p[1] == "venus") v[k] = $2; else if (p[1] == "blst") b[k] = $2 }
  END { for (k in v) if (k in b && b[k] > 0) printf "%s %.2fx\n", k, v[k] / b[k] }' | sort
