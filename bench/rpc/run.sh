#!/usr/bin/env bash
# JSON-RPC front-end benchmark: requests/s and p50/p99 latency of a trivial read method
# (Filecoin.Version) over keep-alive HTTP on loopback, next to nginx serving a static JSON file of
# the same size, measured with wrk in the same run.
#
#   bench/rpc/run.sh [RUNS=3] [DURATION=10s] [CONNECTIONS=64]
#   env: BUILD (default build), WRK_THREADS (default 2), VENUS_THREADS ([api] threads, default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}; dur=${2:-10s}; conns=${3:-64}
BUILD=${BUILD:-build}; WRK_THREADS=${WRK_THREADS:-2}; VENUS_THREADS=${VENUS_THREADS:-2}
bin="$BUILD/src/venusd"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x /usr/sbin/nginx ] || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 2; }
[ -x "$bin" ] || { echo "$bin not built" >&2; exit 2; }

work=$(mktemp -d)
cleanup() {
  [ -n "${vpid:-}" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null
  [ -n "${npid:-}" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# venusd with logging off the hot path.
mkdir -p "$work/repo"
cat > "$work/repo/config.toml" <<TOML
[api]
listen = "/ip4/127.0.0.1/tcp/0"
threads = $VENUS_THREADS
[log]
level = "warn"
file = ""
TOML
"$bin" --repo "$work/repo" run ${VENUS_ENABLE+--enable "$VENUS_ENABLE"} 2>"$work/venusd.err" & vpid=$!
for _ in $(seq 100); do [ -s "$work/repo/api" ] && break; sleep 0.1; done
vport=$(cut -d/ -f5 "$work/repo/api"); token=$(cat "$work/repo/token")
body='{"jsonrpc":"2.0","id":1,"method":"Filecoin.Version","params":[]}'
reply=$(curl -s -X POST -H "Authorization: Bearer $token" -d "$body" "http://127.0.0.1:$vport/rpc/v1")
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA

# nginx serving a file with the same bytes as the JSON-RPC reply.
nport=$(free_port)
mkdir -p "$work/nginx/html" "$work/nginx/logs"
printf '%s' "$reply" > "$work/nginx/html/body.json"
chmod 755 "$work" "$work/nginx" "$work/nginx/html"; chmod 644 "$work/nginx/html/body.json"
cat > "$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nodelay on;
  keepalive_requests 100000000; keepalive_timeout 65;
  open_file_cache max=16;
  server { listen 127.0.0.1:$nport; root html;
    location = / { default_type application/json; try_files /body.json =404; } }
}
NGINX
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>/dev/null & npid=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$nport/" && break; sleep 0.1; done

measure() {  # name url [lua]
  local name=$1 url=$2 lua=${3:-}
  wrk -t"$WRK_THREADS" -c"$conns" -d2s ${lua:+-s "$lua"} "$url" >/dev/null 2>&1 || true
  for r in $(seq "$runs"); do
    wrk -t"$WRK_THREADS" -c"$conns" -d"$dur" --latency ${lua:+-s "$lua"} "$url" 2>&1 | awk -v n="$name" '
      function ms(v,  u) { u=v; sub(/^[0-9.]+/,"",u); sub(/[a-z]+$/,"",v); return v * (u=="us" ? 0.001 : u=="s" ? 1000 : 1) }
      /Requests\/sec:/ { rps=$2 }
      /^ +50%/ { p50=ms($2) } /^ +99%/ { p99=ms($2) }
      /Non-2xx/ { bad=$5 } /Socket errors/ { gsub(/,/,""); errs=$4+$6+$8+$10 }
      END { printf "%s %.0f %.3f %.3f %d\n", n, rps, p50, p99, bad+errs }'
  done
}

{
  measure venusd "http://127.0.0.1:$vport/rpc/v1" "$work/post.lua"
  measure nginx "http://127.0.0.1:$nport/"
} > "$work/results"

echo "# JSON-RPC Filecoin.Version over keep-alive HTTP vs nginx static file (${#reply} bytes), wrk -t$WRK_THREADS -c$conns -d$dur, $runs runs, median"
echo "# venusd [api] threads = $VENUS_THREADS; nproc = $(nproc)"
printf "%-8s %12s %10s %10s %8s\n" server req/s p50_ms p99_ms errors
for s in venusd nginx; do
  grep "^$s " "$work/results" | sort -k2 -n | awk -v n="$runs" '{ a[NR]=$0 } END { print a[int((n+1)/2)] }' |
    awk '{ printf "%-8s %12s %10s %10s %8s\n", $1, $2, $3, $4, $5 }'
done
v=$(grep '^venusd ' "$work/results" | sort -k2 -n | awk -v n="$runs" '{ a[NR]=$2 } END { print a[int((n+1)/2)] }')
g=$(grep '^nginx ' "$work/results" | sort -k2 -n | awk -v n="$runs" '{ a[NR]=$2 } END { print a[int((n+1)/2)] }')
awk -v v="$v" -v g="$g" 'BEGIN { printf "ratio venusd/nginx: %.2f\n", v / g }'
