#!/usr/bin/env bash
# Node read methods over keep-alive HTTP with wrk: requests/s and latency of Filecoin.ChainHead
# (in memory, answered on the network thread) and Filecoin.StateGetActor (state tree read from
# LMDB on the worker pool) against a fresh devnet daemon.
#
#   bench/node/rpc_run.sh [DURATION=10s] [CONNECTIONS=64]
#   env: BUILD (default build), WRK_THREADS (default 2), VENUS_THREADS ([api] threads, default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
dur=${1:-10s}; conns=${2:-64}
BUILD=${BUILD:-build}; WRK_THREADS=${WRK_THREADS:-2}; VENUS_THREADS=${VENUS_THREADS:-2}
bin="$BUILD/src/venusd"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "$bin not built" >&2; exit 2; }

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
TOML
"$bin" --repo "$work/repo" run --enable node 2>"$work/venusd.err" & vpid=$!
for _ in $(seq 200); do [ -s "$work/repo/api" ] && break; sleep 0.1; done
vport=$(cut -d/ -f5 "$work/repo/api"); token=$(cat "$work/repo/token")

bench() {  # name, JSON body
  local name=$1 body=$2
  local reply
  reply=$(curl -s -X POST -H "Authorization: Bearer $token" -d "$body" "http://127.0.0.1:$vport/rpc/v1")
  case "$reply" in *'"result"'*) ;; *) echo "$name failed: $reply" >&2; exit 1 ;; esac
  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$conns" -d"$dur" --latency -s "$work/post.lua" "http://127.0.0.1:$vport/rpc/v1")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-22s %10s req/s   p50 %-8s p99 %-8s (%s bytes/reply)\n' "$name" "$rps" "$p50" "$p99" "${#reply}"
}

echo "venusd node reads: wrk -t$WRK_THREADS -c$conns -d$dur, [api] threads=$VENUS_THREADS, $(nproc) cores"
bench "Filecoin.ChainHead" '{"jsonrpc":"2.0","id":1,"method":"Filecoin.ChainHead","params":[]}'
bench "Filecoin.StateGetActor" '{"jsonrpc":"2.0","id":1,"method":"Filecoin.StateGetActor","params":["t01000",[]]}'
