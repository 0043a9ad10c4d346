#!/usr/bin/env bash
# Each kind of request of the load mix alone (issue 15): 64 signed-in
# clients for SECONDS each, against a database kept by bench/load.py --keep.
# It tells what one kind costs (requests/s alone ≈ 1 / its CPU time on these
# cores), which the mix cannot.
#
#   bash bench/load-kinds.sh [sqlite|postgres] [SECONDS] [KEEP_DIR]
#
# Uses target/release/rightsdesk and target/release/load-gen (build them with
# `cargo build --release -p rightsdesk -p rightsdesk-load-gen`), the account
# load.py creates, and for PostgreSQL the database rd_load_100000.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}; SECS=${2:-10}; KEEP=${3:-/tmp/lt100}
BIN=${BIN:-target/release/rightsdesk}; GEN=${GEN:-target/release/load-gen}
ARGS=(--data-dir "$KEEP/$BACKEND-100000")
if [ "$BACKEND" = postgres ]; then
  base=${RIGHTSDESK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  ARGS+=(--database "${base%/*}/rd_load_100000")
fi
out=$(mktemp)
RIGHTSDESK_LOG=warn "$BIN" serve --listen 127.0.0.1:0 "${ARGS[@]}" > "$out" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 60); do grep -q 'listening on' "$out" && break; sleep 0.5; done
ADDR=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
echo "| $BACKEND request alone | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
for KIND in "open case" "list cases" "search" "list recommendations" "create case" "add intervention"; do
  "$GEN" run --base "$ADDR" --clients 64 --seconds "$SECS" --email load@bench.example \
    --password "load test passphrase 2026" --cases 100000 --only "$KIND" |
    python3 -c "import json,sys;r=json.load(sys.stdin);print(f\"| $KIND | {r['per_second']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} |\")"
done
