#!/usr/bin/env bash
# Auth benchmark: in-process token verifications per second (cached, uncached) next to raw HMAC-SHA256
# on the same token (venus_auth_bench), then POST /verify requests per second over keep-alive HTTP on
# loopback with wrk, against a venusd running only the auth module.
#
#   bench/auth/run.sh [DURATION=10s] [CONNECTIONS=32]
#   env: BUILD (default build), WRK_THREADS (default 2), VENUS_THREADS ([api] threads, default 2), CPU
#        (default 0: the in-process program is pinned to this core with taskset when available)
set -euo pipefail
cd "$(dirname "$0")/../.."
dur=${1:-10s}; conns=${2:-32}
BUILD=${BUILD:-build}; WRK_THREADS=${WRK_THREADS:-2}; VENUS_THREADS=${VENUS_THREADS:-2}; CPU=${CPU:-0}
bin="$BUILD/src/venusd"; bench="$BUILD/bench/auth/venus_auth_bench"
[ -x "$bin" ] || { echo "$bin not built" >&2; exit 2; }
[ -x "$bench" ] || { echo "$bench not built (ninja venus_auth_bench)" >&2; exit 2; }

echo "== in-process (one core) =="
if command -v taskset >/dev/null; then taskset -c "$CPU" "$bench" 2; else "$bench" 2; fi

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk): HTTP part skipped" >&2; exit 0; }
work=$(mktemp -d)
cleanup() {
  [ -n "${vpid:-}" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/repo"
cat > "$work/repo/config.toml" <<TOML
[api]
listen = "/ip4/127.0.0.1/tcp/0"
threads = $VENUS_THREADS
[log]
level = "warn"
file = ""
[modules]
enable = ["auth"]
TOML
"$bin" --repo "$work/repo" run 2>"$work/venusd.err" & vpid=$!
for _ in $(seq 100); do [ -s "$work/repo/api" ] && break; sleep 0.1; done
port=$(cut -d/ -f5 "$work/repo/api"); admin=$(cat "$work/repo/token")
curl -sf -XPUT "http://127.0.0.1:$port/user/new" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d '{"Name":"storage-provider-01","State":1}' >/dev/null
token=$(curl -sf -XPOST "http://127.0.0.1:$port/genToken" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d '{"name":"storage-provider-01","perm":"sign"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
cat > "$work/verify.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"token":"$token"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
echo
echo "== POST /verify over HTTP (wrk -t$WRK_THREADS -c$conns -d$dur, venusd [api] threads=$VENUS_THREADS; same 2-core box) =="
wrk -t"$WRK_THREADS" -c"$conns" -d"$dur" --latency -s "$work/verify.lua" "http://127.0.0.1:$port/verify" |
  grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|requests in'
