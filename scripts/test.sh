#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (unit, integration, interop, cli).
# Extra arguments go to ctest, e.g. `scripts/test.sh -L unit` or `scripts/test.sh -R rpc`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --preset default "$@"
