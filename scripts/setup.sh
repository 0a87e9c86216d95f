#!/usr/bin/env bash
# Installs every Debian package venusd needs (idempotent), the npm packages used by interop tests,
# then configures and builds with Ninja. Usage: scripts/setup.sh [--no-build] [--preset NAME]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libasio-dev libcpp-httplib-dev rapidjson-dev libssl-dev liblmdb-dev libsqlite3-dev libfmt-dev
  libcxxopts-dev catch2 libsecp256k1-dev libsodium-dev libtomlplusplus-dev libspdlog-dev
  libhttp-parser-dev zlib1g-dev libgmp-dev
  clang libclang-rt-14-dev
  wrk nginx-light curl file dpkg-dev sqlite3
  # The status page test loads /status in a real headless browser.
  chromium
)
# Node.js (with npm) for the interop tests: the machines ship Node 20; take Debian's only when it is missing.
command -v node >/dev/null || PACKAGES+=(nodejs npm)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# JavaScript oracles for interop tests (test/interop/package.json), installed only when npm is there.
if [ -f test/interop/package.json ] && command -v npm >/dev/null; then
  if [ ! -d test/interop/node_modules ] || [ test/interop/package.json -nt test/interop/node_modules ]; then
    (cd test/interop && npm install --no-audit --no-fund --loglevel=error) || echo "setup: npm install failed; interop tests will be skipped"
    touch test/interop/node_modules 2>/dev/null || true
  fi
fi

build=1
preset=default
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --preset) preset="$2"; shift ;;
  esac
  shift
done
if [ "$build" = 1 ]; then
  cmake --preset "$preset"
  cmake --build --preset "$preset"
fi
