#!/usr/bin/env bash
# The API against its own OpenAPI document, with schemathesis (PyPI, pinned) driving a real
# server on SQLite with demo data: as an officer, and as a supervisee with the phone's device
# header. Fails on any server error, any response outside its documented schema, status or
# content type. Part of the test command (scripts/test.sh); needs the server binary built.
#   scripts/test-api-contract.sh [EXAMPLES_PER_OPERATION]      (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-50}"
server="${HUIJIAO_SERVER_BIN:-${CARGO_TARGET_DIR:-target}/debug/huijiao-server}"
venv=$(scripts/venv.sh schemathesis)

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port/api/v1"
HUIJIAO_LISTEN="127.0.0.1:$port" HUIJIAO_DATA_DIR="$work/data" HUIJIAO_JOBS_INTERVAL_SECS=0 \
  HUIJIAO_AUTH__ACCESS_TTL_SECS=7200 HUIJIAO_AUTH__ADDRESS_MAX_FAILURES=100000 \
  HUIJIAO_MODEL_DIR="${HUIJIAO_MODEL_DIR:-../shared/models}" \
  "$server" serve --demo >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done

token() { # user [device]
  local body="{\"username\":\"$1\",\"password\":\"Huijiao-Demo-2026\"${2:+,\"device_id\":\"$2\"}}"
  curl -sf -H 'content-type: application/json' -d "$body" "$base/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
officer="$(token officer.donggang)"
supervisee="$(token sv.maxiaojun demo-phone)"

# Signing out or changing the password would end the very session the run goes on with;
# both are tested in the server's own suite.
run() { # name, then extra arguments
  local name=$1
  shift
  echo "-- as $name"
  # From a scratch folder of its own: schemathesis keeps a cache where it runs.
  mkdir -p "$work/$name"
  (cd "$work/$name" && "$venv/bin/schemathesis" run "$base/openapi.json" --url "$base" \
    --checks "${SCHEMATHESIS_CHECKS:-not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,negative_data_rejection}" \
    --phases examples,coverage,fuzzing --max-examples "$examples" --seed 20261202 --workers 1 \
    --exclude-path /auth/logout --exclude-path /auth/password \
    --suppress-health-check all --request-timeout 30 --warnings off "$@")
}
# The two roles run side by side (each schemathesis is one busy Python process; the server
# mostly waits), each into its own log, printed whole once both are done.
run officer -H "Authorization: Bearer $officer" >"$work/officer.log" 2>&1 &
officer_run=$!
run supervisee -H "Authorization: Bearer $supervisee" -H "X-Device-Id: demo-phone" \
  >"$work/supervisee.log" 2>&1 &
supervisee_run=$!
status=0
wait $officer_run || status=1
wait $supervisee_run || status=1
cat "$work/officer.log" "$work/supervisee.log"
if grep -q 'panicked' "$work/server.log"; then
  grep -B2 -A8 'panicked' "$work/server.log" | head -40
  status=1
fi
exit $status
