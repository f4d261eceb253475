#!/usr/bin/env bash
# Check-in throughput, end to end in process, pinned to one core; SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUIJIAO_BENCH_POSTGRES_URL="${HUIJIAO_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release -p huijiao-server --bench checkins
taskset -c 0 cargo bench -p huijiao-server --bench checkins
