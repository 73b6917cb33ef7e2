#!/usr/bin/env bash
# The server's speed, by benchmark (never a test): upload→webhook latency for a 10-page
# statement and document-status read throughput with wrk, printed as one table.
# Starts `statera serve` (release build) on SQLite in a temporary data directory.
#   bench/server.sh [UPLOADS] [WRK_SECONDS]     (defaults 30 and 10)
set -euo pipefail
cd "$(dirname "$0")/.."
uploads="${1:-30}"
seconds="${2:-10}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk…" >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
fi
echo "building statera (release)…" >&2
cargo build --release -q -p statera-cli

data="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export STATERA_DATA_DIR="$data" STATERA_BIND="127.0.0.1:$port" STATERA_WEBHOOK_ALLOW_PRIVATE=true
target/release/statera serve 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
key=$(target/release/statera tenant create --name Bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')

echo "machine: $(nproc) cores, $(uname -m); statera $(git rev-parse --short HEAD)"
python3 bench/server.py --base "http://127.0.0.1:$port" --key "$key" \
  --pdf fixtures/statements/mpesa/email_fpdf2_ten_pages/input.pdf \
  --uploads "$uploads" --seconds "$seconds"
